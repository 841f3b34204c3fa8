//! The conformance suite: every case of `tests/cases/*.txt` through the
//! public API, with every failing line reported at once. Every accepted case
//! is also round-tripped through its canonical form.

mod util;

use std::path::Path;

use graph_checkout_route::{Error, Route};
use util::{escape, Case, Expect};

fn run(case: &Case) -> Result<Route<'_>, Error> {
    if case.template {
        case.parser.classify_template_line(&case.input)
    } else {
        case.parser.classify_line(&case.input)
    }
}

/// What the case got, written like an expectation, for failure reports.
fn describe(result: &Result<Route<'_>, Error>) -> String {
    match result {
        Ok(route) => {
            let params: Vec<String> = route
                .params()
                .map(|(name, value)| format!("{name}={}", escape(value.as_bytes())))
                .collect();
            let documented = if route.is_documented() {
                "documented"
            } else {
                "undocumented"
            };
            format!(
                "ok {} {documented} {} (+version={:?} +query={:?} +canonical={})",
                route.template(),
                params.join(" "),
                route.version(),
                route.query(),
                route
            )
        }
        Err(e) => format!("err {} @{} ({})", e.kind(), e.offset(), e),
    }
}

fn check(case: &Case) -> Result<(), String> {
    let result = run(case);
    let matches = match (&case.expect, &result) {
        (
            Expect::Ok {
                template,
                documented,
                params,
                version,
                query,
                canonical,
            },
            Ok(route),
        ) => {
            let got: Vec<(String, String)> = route
                .params()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect();
            route.template() == template.as_str()
                && route.is_documented() == *documented
                && got == *params
                && version
                    .as_ref()
                    .is_none_or(|v| v.as_deref() == route.version())
                && query.as_ref().is_none_or(|q| q.as_deref() == route.query())
                && canonical.as_ref().is_none_or(|c| *c == route.to_string())
        }
        (Expect::Err { kind, offset }, Err(error)) => {
            error.kind().as_str() == kind && error.offset() == *offset
        }
        _ => false,
    };
    if !matches {
        return Err(format!("got {}", describe(&result)));
    }
    if let Ok(route) = &result {
        round_trip(case, route)?;
    }
    Ok(())
}

/// Parsing the canonical form gives the same template and params.
///
/// The canonical form writes every `('key')` as a segment of its own, so a
/// route near the segment limit can have a canonical form over it (DESIGN §1.6
/// against DESIGN §5): the round trip lifts that one limit. It never needs more
/// bytes, so the length limit stays.
fn round_trip(case: &Case, route: &Route<'_>) -> Result<(), String> {
    let canonical = route.to_string();
    let parser = case.parser.clone().max_segments(usize::MAX);
    let again = if case.template {
        parser.parse_template(&canonical)
    } else {
        parser.parse(&canonical)
    };
    match again {
        Ok(again)
            if again.template() == route.template()
                && again.params().eq(route.params())
                && again.to_string() == canonical =>
        {
            Ok(())
        }
        other => Err(format!(
            "canonical form `{canonical}` does not round-trip: {}",
            describe(&other)
        )),
    }
}

#[test]
fn conformance_cases() {
    let cases = util::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"));
    assert!(!cases.is_empty(), "no cases found");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case).err().map(|why| {
                format!(
                    "{}: {}\n    expected {:?}\n    {why}",
                    case.origin,
                    escape(&case.input),
                    case.expect
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{} conformance cases passed", cases.len());
}
