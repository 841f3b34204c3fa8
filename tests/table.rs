//! The route table: building it from templates, refusing bad and duplicate
//! templates, and looking requests up by shape, most specific first.

use graph_checkout_route::{
    ErrorKind, InsertError, Lookup, Parser, RouteTable, DOCUMENTED_TEMPLATES,
};

fn documented_table() -> RouteTable<usize> {
    let mut table = RouteTable::new();
    for (index, template) in DOCUMENTED_TEMPLATES.iter().enumerate() {
        table.insert(template, index).unwrap();
    }
    table
}

#[track_caller]
fn hit<'a>(table: &'a RouteTable<usize>, target: &'a str) -> (&'a str, usize) {
    match table.lookup("POST", target) {
        Lookup::Found(found) => (found.template(), *found.value()),
        other => panic!("{target}: {other:?}"),
    }
}

#[test]
fn every_documented_route_finds_its_own_template() {
    let table = documented_table();
    assert_eq!(table.len(), 20);
    let requests = [
        "/me/drive/root/checkout",
        "/v1.0/drives/b!x/root/checkout",
        "/shares/u!x/root/checkout",
        "/workbooks/w/checkout",
        "/shares/s!x/driveItem/checkout",
        "/me/drive/items/i/checkout",
        "/me/drive/special/documents/checkout",
        "/drives/d/items/i/checkout",
        "/shares/u!x/items/i/checkout",
        "/drives/d/special/music/checkout",
        "/workbooks/w/children/c/checkout",
        "/me/drive/items/i/listItem/driveItem/checkout",
        "/me/drive/items/i/children/c/checkout",
        "/me/joinedTeams/g/sites/s/items/b/microsoft.graph.sharedDriveItem/root/checkout",
        "/me/joinedTeams/g/sites/s/items/b/microsoft.graph.sharedDriveItem/driveItem/checkout",
        "/me/joinedTeams/g/sites/s/items/b/microsoft.graph.sharedDriveItem/items/i/checkout",
        "/me/drive/items/i/analytics/itemActivityStats/s/activities/a/driveItem/checkout",
        "/groups/g/drive/items/i/checkout",
        "/sites/s/drive/items/i/checkout",
        "https://graph.microsoft.com/beta/users('u')/drive/items('i')/checkout",
    ];
    for (index, target) in requests.iter().enumerate() {
        assert_eq!(
            hit(&table, target),
            (DOCUMENTED_TEMPLATES[index], index),
            "{target}"
        );
    }
}

#[test]
fn matching_is_by_shape_not_placeholder_names() {
    let mut table = RouteTable::new();
    table
        .insert("/drives/{drive-id}/items/{item-id}/checkout", 1)
        .unwrap();
    let refused = table
        .insert("/drives/{a}/items/{b}/checkout", 2)
        .unwrap_err();
    assert_eq!(
        refused,
        InsertError::Duplicate {
            template: "/drives/{a}/items/{b}/checkout".to_owned(),
            existing: "/drives/{drive-id}/items/{item-id}/checkout".to_owned(),
        }
    );
    // The paren form and another version prefix are the same shape too.
    assert!(matches!(
        table.insert("/v1.0/drives('{x}')/items('{y}')/checkout", 3),
        Err(InsertError::Duplicate { .. })
    ));
    assert_eq!(table.len(), 1);
    assert_eq!(
        hit(&table, "/drives/d/items/i/checkout"),
        ("/drives/{drive-id}/items/{item-id}/checkout", 1)
    );
}

#[test]
fn invalid_templates_are_refused_with_the_parser_error() {
    let mut table = RouteTable::<()>::new();
    for (template, kind) in [
        (
            "/drives/{drivesId}/items/{driveItemId}/microsoft.graph.sharedDriveItem/root/checkout",
            ErrorKind::Nesting,
        ),
        ("/me/drive/root", ErrorKind::Incomplete),
        ("/me/{drive}/root/checkout", ErrorKind::Syntax),
        ("/shares/x/root/checkout", ErrorKind::InvalidId),
    ] {
        match table.insert(template, ()) {
            Err(InsertError::Invalid(error)) => assert_eq!(error.kind(), kind, "{template}"),
            other => panic!("{template}: {other:?}"),
        }
    }
    assert!(table.is_empty());
}

#[test]
fn the_most_specific_template_wins() {
    let mut table = RouteTable::new();
    table.insert("/drives/{d}/items/{i}/checkout", 0).unwrap();
    table.insert("/drives/b!hr/items/{i}/checkout", 1).unwrap();
    table
        .insert("/drives/{d}/items/01PAYROLL/checkout", 2)
        .unwrap();
    table
        .insert("/drives/b!hr/items/01PAYROLL/checkout", 3)
        .unwrap();
    table
        .insert("/drives/{d}/root:/Finance/{path}:/checkout", 4)
        .unwrap_err();
    table
        .insert("/drives/{d}/root:/{path}:/checkout", 5)
        .unwrap();
    table
        .insert("/drives/{d}/root:/Finance/Q3.xlsx:/checkout", 6)
        .unwrap();

    assert_eq!(hit(&table, "/drives/b!hr/items/01PAYROLL/checkout").1, 3);
    // Literal first, left to right: the drive literal outranks the item one.
    assert_eq!(hit(&table, "/drives/b!hr/items/01OTHER/checkout").1, 1);
    assert_eq!(
        hit(&table, "/drives/b%21hr/items/01OTHER/checkout").1,
        1,
        "literals match decoded keys"
    );
    assert_eq!(hit(&table, "/drives/b!it/items/01PAYROLL/checkout").1, 2);
    assert_eq!(hit(&table, "/drives/b!it/items/01OTHER/checkout").1, 0);
    assert_eq!(
        hit(&table, "/drives/b!it/root:/Finance/Q3.xlsx:/checkout").1,
        6
    );
    assert_eq!(
        hit(&table, "/drives/b!it/root:/Finance/Q4.xlsx:/checkout").1,
        5
    );
    // Keys are case-sensitive, so a literal only matches its own spelling.
    assert_eq!(hit(&table, "/drives/B!HR/items/01PAYROLL/checkout").1, 2);
    assert_eq!(table.len(), 6);
    let mut values: Vec<usize> = table.iter().map(|(_, v)| *v).collect();
    values.sort_unstable();
    assert_eq!(values, [0, 1, 2, 3, 5, 6]);
}

#[test]
fn valid_routes_outside_the_table_and_invalid_requests_are_told_apart() {
    let table = documented_table();
    match table.lookup("POST", "/users/u/drives/d/root/checkout") {
        Lookup::NoMatch(route) => {
            assert_eq!(
                route.template(),
                "/users/{userId}/drives/{drivesId}/root/checkout"
            );
            assert_eq!(
                route.params().collect::<Vec<_>>(),
                [("userId", "u"), ("drivesId", "d")]
            );
        }
        other => panic!("{other:?}"),
    }
    match table.lookup("POST", "/me/drive/bogus/checkout") {
        Lookup::Invalid(error) => assert_eq!(
            (error.kind(), error.offset()),
            (ErrorKind::UnknownSegment, 10)
        ),
        other => panic!("{other:?}"),
    }
    match table.lookup_bytes(b"DELETE", b"/me/drive/root/checkout") {
        Lookup::Invalid(error) => assert_eq!(error.kind(), ErrorKind::Method),
        other => panic!("{other:?}"),
    };
}

#[test]
fn the_table_parses_with_its_own_parser() {
    let mut table = RouteTable::with_parser(Parser::new().versions(["v1.0"]));
    table.insert("/me/drive/root/checkout", "root").unwrap();
    assert_eq!(
        table
            .lookup("POST", "/v1.0/me/drive/root/checkout")
            .found()
            .unwrap()
            .value(),
        &"root"
    );
    match table.lookup("POST", "/beta/me/drive/root/checkout") {
        Lookup::Invalid(error) => assert_eq!(error.kind(), ErrorKind::UnknownSegment),
        other => panic!("{other:?}"),
    }
    let found = table
        .lookup("POST", "/v1.0/me/drive/root/checkout?x=1")
        .found()
        .unwrap();
    assert_eq!(found.route().query(), Some("x=1"));
    assert_eq!(found.into_route().version(), Some("v1.0"));
}

#[test]
fn a_literal_path_in_placeholder_shape_is_a_literal() {
    // `%7Bpath%7D` decodes to `{path}`, a file really named so: it matches
    // only that file, unlike the placeholder `{path}`.
    let mut table = RouteTable::new();
    table
        .insert("/me/drive/root:/%7Bpath%7D:/checkout", "literal")
        .unwrap();
    table
        .insert("/me/drive/root:/{path}:/checkout", "any")
        .unwrap();
    assert_eq!(
        table
            .lookup("POST", "/me/drive/root:/%7Bpath%7D:/checkout")
            .found()
            .map(|found| *found.value()),
        Some("literal")
    );
    assert_eq!(
        table
            .lookup("POST", "/me/drive/root:/report.docx:/checkout")
            .found()
            .map(|found| *found.value()),
        Some("any")
    );
    let route =
        graph_checkout_route::parse_template("/me/drive/root:/%7Bpath%7D:/checkout").unwrap();
    assert_eq!(route.to_string(), "/me/drive/root:/%7Bpath%7D:/checkout");
}

/// Templates pasted from Microsoft's SDKs and docs are route-table keys as
/// they are written: `{+baseurl}`, RFC 6570 names, a query expression.
#[test]
fn templates_as_microsoft_writes_them_are_keys() {
    let mut table = RouteTable::new();
    table
        .insert(
            "{+baseurl}/drives/{drive%2Did}/items/{driveItem%2Did}/checkout{?%24select}",
            "sdk",
        )
        .unwrap();
    table
        .insert(
            "{+baseurl}/storage/fileStorage/containers/{fileStorageContainer%2Did}/drive/items/{driveItem%2Did}/checkout",
            "embedded",
        )
        .unwrap();
    // The docs' spelling of the first is the same shape: a duplicate.
    assert!(table
        .insert("/drives/{drive-id}/items/{item-id}/checkout", "docs")
        .is_err());
    let found = table
        .lookup("POST", "/v1.0/drives/b!x/items/01AB/checkout")
        .found()
        .unwrap();
    assert_eq!(*found.value(), "sdk");
    assert_eq!(
        found.template(),
        "{+baseurl}/drives/{drive%2Did}/items/{driveItem%2Did}/checkout{?%24select}"
    );
    let found = table
        .lookup(
            "POST",
            "https://graph.microsoft.com/v1.0/storage/fileStorage/containers/b!c1/drive/items/01AB/checkout",
        )
        .found()
        .unwrap();
    assert_eq!(*found.value(), "embedded");
}

/// `tests/data/table_keys.txt`: which literal keys match in any ASCII case.
#[test]
fn literal_keys_match_as_graph_compares_them() {
    let cases = include_str!("data/table_keys.txt");
    let mut failures = Vec::new();
    for (number, line) in cases.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (pair, expected) = line
            .rsplit_once(" => ")
            .expect("TEMPLATE | REQUEST => hit|miss");
        let (template, request) = pair.split_once(" | ").expect("TEMPLATE | REQUEST");
        let mut table = RouteTable::new();
        table.insert(template, ()).unwrap();
        let found = table.lookup("POST", request).found();
        let outcome = match (expected, &found) {
            ("hit", Some(found)) => {
                // The params are the request's own, not the template's.
                let arrived = graph_checkout_route::parse(request).unwrap();
                let ours: Vec<_> = found.route().params().collect();
                let theirs: Vec<_> = arrived.params().collect();
                (ours == theirs)
                    .then_some(())
                    .ok_or(format!("params {ours:?}"))
            }
            ("miss", None) => Ok(()),
            ("hit" | "miss", _) => Err(format!("expected {expected}")),
            _ => panic!("line {}: expected `hit` or `miss`", number + 1),
        };
        if let Err(why) = outcome {
            failures.push(format!("table_keys.txt:{}: {line}: {why}", number + 1));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn case_insensitive_keys_are_one_rule() {
    let mut table = RouteTable::new();
    table
        .insert("/me/drive/special/approot/checkout", 1)
        .unwrap();
    assert!(matches!(
        table.insert("/me/drive/special/AppRoot/checkout", 2),
        Err(InsertError::Duplicate { .. })
    ));
    assert!(matches!(
        table.insert("/users/ALICE/drive/root/checkout", 3),
        Ok(())
    ));
    assert!(matches!(
        table.insert("/users/alice/drive/root/checkout", 4),
        Err(InsertError::Duplicate { .. })
    ));
    // Exact keys stay apart.
    table.insert("/drives/b!a/root/checkout", 5).unwrap();
    table.insert("/drives/b!A/root/checkout", 6).unwrap();
    assert_eq!(table.len(), 4);
}
