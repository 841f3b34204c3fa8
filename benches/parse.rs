//! Criterion benchmarks. Compare ratios within one run, not absolute times:
//! the machines these run on are shared and noisy.
//!
//! Groups:
//! - `parse/<route>`: each documented route with realistic IDs;
//! - `mixed`: all 20 documented routes in one pass;
//! - `compare`: the 17 seed routes through this crate, `matchit` and a
//!   `regex::RegexSet` plus per-route captures, on the same concrete paths;
//!   `compare_varied` the same with 8 ID sets a route; `compare_graph` 13
//!   routes of the wider type graph with 8 ID sets each;
//! - `hostile`: one reject of each kind beside an accepted target of the
//!   same length (a reject must cost at most twice an accept);
//! - `escaped`: targets whose keys and paths must be percent-decoded;
//! - `linear`: valid-looking and hostile targets at 1x, 10x and 100x length
//!   (limits raised), so that time per byte can be seen to stay flat.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use graph_checkout_route::{parse, ErrorKind, Parser, DOCUMENTED_TEMPLATES};

#[path = "../tests/util/fill.rs"]
mod fill;

use fill::{fill, fill_with, ID_SETS};

fn short_name(template: &str) -> String {
    template
        .trim_start_matches('/')
        .trim_end_matches("/checkout")
        .replace("microsoft.graph.sharedDriveItem", "cast")
        .replace(['{', '}'], "")
}

fn bench_each_route(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for template in DOCUMENTED_TEMPLATES {
        let target = fill(template);
        group.throughput(Throughput::Bytes(target.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(short_name(template)),
            &target,
            |b, target| {
                b.iter(|| {
                    let route = parse(black_box(target)).expect("documented");
                    assert!(route.is_documented());
                    route
                });
            },
        );
    }
    group.finish();
}

fn bench_mixed(c: &mut Criterion) {
    let targets: Vec<String> = DOCUMENTED_TEMPLATES
        .iter()
        .map(|t| format!("/v1.0{}", fill(t)))
        .collect();
    let bytes: usize = targets.iter().map(String::len).sum();
    let mut group = c.benchmark_group("mixed");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("documented_20", |b| {
        b.iter(|| {
            let mut params = 0;
            for target in &targets {
                let route = parse(black_box(target)).expect("documented");
                assert!(route.is_documented());
                params += route.params().count();
            }
            params
        });
    });
    group.finish();
}

/// The 17 templates of the seed document (the first 17 documented ones).
fn seed_templates() -> &'static [&'static str] {
    &DOCUMENTED_TEMPLATES[..17]
}

/// Routes of the type graph beyond the documented ones, for the
/// `compare_graph` group: teams and channels, lists, subsites, followed
/// sites, storage containers, analytics shortcuts, casts.
const GRAPH_TEMPLATES: [&str; 13] = [
    "/drive/root/checkout",
    "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
    "/teams/{teamId}/primaryChannel/filesFolder/checkout",
    "/groups/{groupId}/team/channels/{channelId}/filesFolder/checkout",
    "/sites/{siteId}/lists/{listId}/items/{listItemId}/driveItem/checkout",
    "/sites/{siteId}/lists/{listId}/drive/root/checkout",
    "/sites/{siteId}/sites/{siteId}/drive/items/{driveItemId}/checkout",
    "/storage/fileStorage/containers/{containerId}/drive/root/checkout",
    "/me/followedSites/{siteId}/drive/root/checkout",
    "/drives/{drivesId}/items/{driveItemId}/analytics/allTime/activities/{itemActivityId}/driveItem/checkout",
    "/sites/{siteId}/items/{baseItemId}/microsoft.graph.driveItem/checkout",
    "/shares/{sharesId}/listItem/driveItem/checkout",
    "/drives/{drivesId}/following/{driveItemId}/checkout",
];

/// A template as matchit takes it: matchit refuses a parameter name that
/// repeats, so the second one gets a number.
fn matchit_route(template: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::new();
    for (i, piece) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if seen.contains(&name) => write!(out, "{{{name}{i}}}").unwrap(),
            Some(name) => {
                seen.push(name);
                out.push_str(piece);
            }
            None => out.push_str(piece),
        }
    }
    out
}

/// The contenders of a `compare` group on one corpus of targets of the
/// `routes`: this crate (with and without its shortcuts), matchit and a
/// regex set.
fn compare_corpus(
    c: &mut Criterion,
    name: &str,
    routes: &[&str],
    targets: &[String],
    templates: &[&str],
) {
    let bytes: usize = targets.iter().map(String::len).sum();

    let mut matchit = matchit::Router::new();
    for (index, template) in routes.iter().enumerate() {
        matchit
            .insert(matchit_route(template), index)
            .expect("matchit accepts the routes");
    }

    let patterns: Vec<String> = routes
        .iter()
        .map(|t| {
            let mut pattern = String::from("^");
            for (i, piece) in t.split('{').enumerate() {
                let literal = if i == 0 {
                    piece
                } else {
                    piece.split_once('}').unwrap().1
                };
                if i > 0 {
                    pattern.push_str("([^/]+)");
                }
                pattern.push_str(&regex::escape(literal));
            }
            pattern.push('$');
            pattern
        })
        .collect();
    let set = regex::RegexSet::new(&patterns).unwrap();
    let expected: usize = templates.iter().map(|t| t.matches('{').count()).sum();
    let each: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| regex::Regex::new(p).unwrap())
        .collect();

    // Every contender must agree on which route each target is.
    let parser = Parser::new();
    for (target, template) in targets.iter().zip(templates) {
        let index = routes.iter().position(|t| t == template).unwrap();
        assert_eq!(parse(target).unwrap().template(), *template);
        assert_eq!(
            parser.parse_walk_only(target).unwrap().template(),
            *template
        );
        assert_eq!(*matchit.at(target).unwrap().value, index);
        assert_eq!(set.matches(target).iter().next(), Some(index));
    }

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("graph_checkout_route", |b| {
        b.iter(|| {
            let mut params = 0;
            for target in targets {
                let route = parse(black_box(target)).expect("seed route");
                params += route.params().count();
            }
            assert_eq!(params, expected);
            params
        });
    });
    group.bench_function("walk_only", |b| {
        b.iter(|| {
            let mut params = 0;
            for target in targets {
                let route = parser
                    .parse_walk_only(black_box(target))
                    .expect("seed route");
                params += route.params().count();
            }
            assert_eq!(params, expected);
            params
        });
    });
    group.bench_function("matchit", |b| {
        b.iter(|| {
            let mut params = 0;
            for target in targets {
                let found = matchit.at(black_box(target)).expect("seed route");
                params += found.params.iter().count();
            }
            assert_eq!(params, expected);
            params
        });
    });
    group.bench_function("regex", |b| {
        b.iter(|| {
            let mut params = 0;
            for target in targets {
                let index = set
                    .matches(black_box(target))
                    .iter()
                    .next()
                    .expect("seed route");
                let captures = each[index].captures(target).expect("seed route");
                params += captures.len() - 1;
            }
            assert_eq!(params, expected);
            params
        });
    });
    group.finish();
}

/// `compare`: the 17 seed routes, each once with the IDs of
/// `examples/requests.txt`; `compare_varied`: the same routes with 8 ID
/// sets each (136 targets, in an interleaved order), so that the loop does
/// not train the branch predictor on one target per route.
fn bench_compare(c: &mut Criterion) {
    let templates = seed_templates();
    let targets: Vec<String> = templates.iter().map(|t| fill(t)).collect();
    compare_corpus(c, "compare", templates, &targets, templates);

    let mut varied = Vec::new();
    let mut varied_templates = Vec::new();
    for set in 0..ID_SETS {
        for i in 0..templates.len() {
            let template = templates[(i + 5 * set) % templates.len()];
            varied.push(fill_with(template, set));
            varied_templates.push(template);
        }
    }
    compare_corpus(c, "compare_varied", templates, &varied, &varied_templates);

    let mut graph = Vec::new();
    let mut graph_templates = Vec::new();
    for set in 0..ID_SETS {
        for template in GRAPH_TEMPLATES {
            graph.push(fill_with(template, set));
            graph_templates.push(template);
        }
    }
    compare_corpus(
        c,
        "compare_graph",
        &GRAPH_TEMPLATES,
        &graph,
        &graph_templates,
    );
}

fn bench_hostile(c: &mut Criterion) {
    let long = format!("/me/drive/items/{}/checkout", "a".repeat(3000));
    let cases: [(&str, &str, ErrorKind); 9] = [
        ("limit", &long, ErrorKind::Limit),
        (
            "syntax_space",
            "/me/drive/items/01AB CD/checkout",
            ErrorKind::Syntax,
        ),
        (
            "syntax_dot",
            "/me/drive/items/01ABCD/../../checkout",
            ErrorKind::Syntax,
        ),
        (
            "encoding",
            "/me/drive/items/01AB%2F..%2Fsecret/checkout",
            ErrorKind::Encoding,
        ),
        (
            "host",
            "https://graph.microsoft.com.evil.example/v1.0/me/drive/root/checkout",
            ErrorKind::Host,
        ),
        (
            "unknown_segment",
            "/v1.0/me/drive/root/content",
            ErrorKind::UnknownSegment,
        ),
        (
            "nesting",
            "/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout",
            ErrorKind::Nesting,
        ),
        (
            "invalid_id",
            "/shares/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/root/checkout",
            ErrorKind::InvalidId,
        ),
        (
            "incomplete",
            "/v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
            ErrorKind::Incomplete,
        ),
    ];
    let mut group = c.benchmark_group("hostile");
    // The yardstick: an accepted target as long as the rejects are.
    let accepted = "/v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/checkout";
    group.throughput(Throughput::Bytes(accepted.len() as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter("accept"),
        accepted,
        |b, target| {
            b.iter(|| {
                let route = parse(black_box(target)).expect("valid");
                assert!(route.is_documented());
                route
            });
        },
    );
    for (name, target, kind) in cases {
        group.throughput(Throughput::Bytes(target.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), target, |b, target| {
            b.iter(|| {
                let error = parse(black_box(target)).unwrap_err();
                assert_eq!(error.kind(), kind);
                error
            });
        });
    }
    group.finish();
}

fn bench_escaped(c: &mut Criterion) {
    let cases = [
        (
            "drive_id",
            fill("/drives/{drivesId}/items/{driveItemId}/checkout").replacen('!', "%21", 1),
        ),
        (
            "every_byte",
            format!(
                "/me/drive/items/{}/checkout",
                "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K".bytes().fold(String::new(), |mut out, b| {
                    let _ = write!(out, "%{b:02X}");
                    out
                })
            ),
        ),
        (
            "path_address",
            "/me/drive/root:/Documents/%D0%9E%D1%82%D1%87%D0%B5%D1%82%20Q3%20%E2%80%94%20final.docx:/checkout".to_owned(),
        ),
    ];
    let mut group = c.benchmark_group("escaped");
    for (name, target) in &cases {
        group.throughput(Throughput::Bytes(target.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), target, |b, target| {
            b.iter(|| {
                let route = parse(black_box(target)).expect("valid");
                assert!(route.params().count() >= 1);
                route
            });
        });
    }
    group.finish();
}

/// A named target builder for `linear`, and the error it must give.
type Shape = (&'static str, fn(usize) -> String, Option<ErrorKind>);

fn bench_linear(c: &mut Criterion) {
    let parser = Parser::new()
        .max_target_len(1 << 22)
        .max_segments(1 << 20)
        .max_key_len(1 << 22)
        .max_path_chars(1 << 22);
    // Each shape is built so that its length grows with `n`.
    let shapes: [Shape; 5] = [
        (
            "long_key",
            |n| format!("/me/drive/items/{}/checkout", "A1b2".repeat(30 * n)),
            None,
        ),
        (
            "deep_children",
            |n| format!("/me/drive/root{}/checkout", "/children/01ABC".repeat(8 * n)),
            None,
        ),
        (
            "path_segments",
            |n| {
                format!(
                    "/me/drive/root:/{}x.txt:/checkout",
                    "dir%20a/".repeat(12 * n)
                )
            },
            None,
        ),
        (
            "escaped_key_then_bad",
            |n| format!("/me/drive/items/{}%2F/checkout", "%41".repeat(40 * n)),
            Some(ErrorKind::Encoding),
        ),
        (
            "unclosed_paren",
            |n| format!("/me/drive/items('{}/checkout", "a".repeat(120 * n)),
            Some(ErrorKind::Syntax),
        ),
    ];
    let mut group = c.benchmark_group("linear");
    for (name, build, expected) in shapes {
        for scale in [1, 10, 100] {
            let target = build(scale);
            group.throughput(Throughput::Bytes(target.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(name, format!("{scale}x")),
                &target,
                |b, target| {
                    b.iter(|| {
                        let result = parser.parse(black_box(target));
                        assert_eq!(
                            result.as_ref().err().map(graph_checkout_route::Error::kind),
                            expected
                        );
                        result.is_ok()
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_each_route,
    bench_mixed,
    bench_compare,
    bench_hostile,
    bench_escaped,
    bench_linear
);
criterion_main!(benches);
