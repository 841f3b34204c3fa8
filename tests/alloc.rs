//! Parsing a documented route whose keys hold no escape allocates nothing:
//! the route borrows every key from the input and keeps its steps inline.
//! Counted by a counting global allocator (allocation-counter), which only
//! this test binary links.

use graph_checkout_route::{
    classify, parse, parse_template, Lookup, RouteTable, DOCUMENTED_TEMPLATES,
};

#[path = "util/fill.rs"]
mod fill;

use fill::fill;

#[test]
fn parsing_unescaped_documented_routes_allocates_nothing() {
    let targets: Vec<String> = DOCUMENTED_TEMPLATES
        .iter()
        .flat_map(|t| {
            let path = fill(t);
            [
                path.clone(),
                format!("/v1.0{path}?$select=id"),
                format!(
                    "https://graph.microsoft.com/beta{}",
                    path.replace("/me/", "/ME/")
                        .replace("/drive/", "/Drive/")
                        .replace("/items/", "/ITEMS/")
                        .replace("/checkout", "/Microsoft.Graph.Checkout")
                ),
            ]
        })
        .collect();
    // Warm up the lazily built tables (the default parser, the documented
    // shapes): built once per process, not per parse.
    parse(&targets[0]).unwrap();

    for target in &targets {
        let mut documented = false;
        let info = allocation_counter::measure(|| {
            let route = classify("POST", target).unwrap();
            documented = route.is_documented();
            // Reading the route allocates nothing either.
            assert!(route.params().count() <= 4);
            assert!(route.version().is_some() || !target.starts_with("https"));
        });
        assert!(documented, "{target}");
        assert_eq!(
            info.count_total, 0,
            "{target} allocated {} times",
            info.count_total
        );
    }
}

#[test]
fn escaped_keys_allocate_only_their_decoded_copy() {
    let target = "/drives/b%21x/items/01AB/checkout";
    parse(target).unwrap();
    let info = allocation_counter::measure(|| {
        let route = parse(target).unwrap();
        assert_eq!(route.params().next(), Some(("drivesId", "b!x")));
    });
    assert_eq!(info.count_total, 1);
}

#[test]
fn a_route_table_lookup_allocates_nothing() {
    let mut table = RouteTable::new();
    for template in DOCUMENTED_TEMPLATES {
        table.insert(template, template.len()).unwrap();
    }
    let targets: Vec<String> = DOCUMENTED_TEMPLATES.iter().map(|t| fill(t)).collect();
    parse_template(DOCUMENTED_TEMPLATES[0]).unwrap();
    for target in &targets {
        let info = allocation_counter::measure(|| {
            assert!(matches!(table.lookup("POST", target), Lookup::Found(_)));
        });
        assert_eq!(info.count_total, 0, "{target}");
    }
}
