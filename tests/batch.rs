//! `Parser::classify_batch` (feature `batch`) on the cases of
//! `tests/data/batches.txt`: every inner request screened, or one error for
//! the batch with its reason and offset.

#![cfg(feature = "batch")]

mod util;

use graph_checkout_route::{BatchRequest, Parser, Screened};

fn describe(request: &BatchRequest) -> String {
    let id = request.id();
    match request.screened() {
        Screened::Checkout(route) => format!("{id} checkout {}", route.template()),
        Screened::NotCheckout => format!("{id} not_checkout"),
        Screened::Batch => format!("{id} batch"),
        Screened::Rejected(err) => format!("{id} err {} @{}", err.kind(), err.offset()),
    }
}

#[test]
fn batch_cases() {
    let text = include_str!("data/batches.txt");
    let parser = Parser::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        count += 1;
        let origin = format!("batches.txt:{}", number + 1);
        let (version, rest) = line.split_once(' ').expect("VERSION BODY => EXPECTED");
        let (body, expected) = rest.rsplit_once(" => ").expect("VERSION BODY => EXPECTED");
        let body = if body == "\"\"" {
            Vec::new()
        } else {
            util::unescape(body, &origin)
        };
        let got = match parser.classify_batch(&body, version) {
            Ok(requests) if requests.is_empty() => "none".to_owned(),
            Ok(requests) => requests
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join(" ; "),
            Err(err) => {
                // Every error renders, and names its own offset.
                let message = err.to_string();
                assert!(
                    message.contains(&err.offset().to_string()),
                    "{origin}: {message}"
                );
                format!("err {} @{}", err.reason().code(), err.offset())
            }
        };
        if got != expected.trim() {
            failures.push(format!(
                "{origin}: {line}\n    expected {expected}\n    got      {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} batch cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Inner routes carry the batch's version, in the parser's spelling.
#[test]
fn inner_routes_report_the_batch_version() {
    let body = br#"{"requests":[{"id":"1","method":"POST","url":"/me/drive/root/checkout"}]}"#;
    let parser = Parser::new().versions(["V1.0", "beta"]);
    let requests = parser.classify_batch(body, "v1.0").unwrap();
    let Screened::Checkout(route) = requests[0].screened() else {
        panic!("{:?}", requests[0].screened());
    };
    assert_eq!(route.version(), Some("V1.0"));
    assert_eq!(requests[0].method(), "POST");
    assert_eq!(requests[0].url(), "/me/drive/root/checkout");
    assert_eq!(requests[0].offset(), 13);
}
