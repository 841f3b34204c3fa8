//! `Parser::screen`: a request passes as "not a checkout" only when no
//! decoding and no folding of its target could read `checkout` (or
//! `$batch`) in it. Checked against a reference written apart from the
//! crate: whole-string percent-decoding passes with the `percent-encoding`
//! crate until nothing changes; then two readings, the bytes in ASCII lower
//! case, and the text (invalid UTF-8 left out, found with
//! `std::str::from_utf8`'s errors) in NFKD with its combining marks dropped,
//! in lower case.

use graph_checkout_route::{parse, screen, Screened};
use percent_encoding::percent_decode;
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Every reading of `target` some component behind the gateway might make,
/// folded as far as it goes.
fn reference_readings(target: &[u8]) -> [String; 2] {
    let mut bytes = target.to_vec();
    loop {
        let decoded: Vec<u8> = percent_decode(&bytes).collect();
        if decoded == bytes {
            break;
        }
        bytes = decoded;
    }
    let ascii_folded = String::from_utf8_lossy(&bytes.to_ascii_lowercase()).into_owned();
    let mut text = String::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                rest = &[];
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap());
                rest = &after[err.error_len().unwrap_or(after.len())..];
            }
        }
    }
    let unicode_folded: String = text
        .nfkd()
        .filter(|&c| !is_combining_mark(c))
        .collect::<String>()
        .to_lowercase();
    [ascii_folded, unicode_folded]
}

fn spelled(readings: &[String; 2], needle: &str) -> bool {
    readings.iter().any(|reading| reading.contains(needle))
}

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "/me", "/drive", "/root", "/items/01AB", "/v1.0", "/", "/check", "check", "out", "CHECK", "Out",
    "%63", "%43", "%68", "%6F", "%6f", "%25", "%2563", "%25%36%33", "%252563", "%2536", "3", "%33",
    "ｃ", "%EF%BD%83", "%EF%BD%88", "ｅｃｋｏｕｔ", "$batch", "%24batch", "%2524BATCH", "?x=", "?",
    "%", "%%", "%2", "%zz", ":/a:", "('a')", "microsoft.graph.", "/users/u1", "%FF", "%C3", "\u{301}",
    "%CC%81", "\u{e9}", "e%CC%81", "\u{212a}",
];

fn target() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..10).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_that_reads_as_checkout_passes(target in target(), method in prop::sample::select(&["POST", "GET", "post"][..])) {
        let folded = reference_readings(target.as_bytes());
        let screened = screen(method, &target);
        if spelled(&folded, "checkout") {
            prop_assert!(
                matches!(screened, Screened::Checkout(_) | Screened::Rejected(_)),
                "{} reads as {:?} but screens as {:?}", target, folded, screened
            );
        } else if spelled(&folded, "$batch") {
            prop_assert!(matches!(screened, Screened::Batch), "{} reads as {:?}: {:?}", target, folded, screened);
        } else {
            prop_assert!(matches!(screened, Screened::NotCheckout), "{} reads as {:?}: {:?}", target, folded, screened);
        }
        // A valid checkout is always classified as one.
        if method == "POST" && parse(&target).is_ok() {
            prop_assert!(matches!(screened, Screened::Checkout(_)), "{}", target);
        }
    }
}

#[test]
fn hidden_checkouts_are_screened() {
    for target in [
        "/me/drive/root/checkout",
        "/me/drive/root/check%6Fut",
        "/me/drive/root/CHECK%256Fut",
        "/me/drive/root/check%25%36%46ut",
        "/me/drive/root/%EF%BD%83heckout",
        "/me/drive/root/checkout%2F",
        "/x?y=checkout",
        "/$batchｅｃｋｏｕｔ%25%2563check",
        "/me/drive/root/ch%C3%A9ckout",
        "/me/drive/root/check%FFout",
    ] {
        assert!(
            !matches!(screen("POST", target), Screened::NotCheckout),
            "{target}"
        );
        assert!(
            !matches!(screen("GET", target), Screened::NotCheckout),
            "{target}"
        );
    }
    for target in ["/v1.0/me", "/healthz", "/v1.0/me/drive/root/children", "*"] {
        assert!(
            matches!(screen("GET", target), Screened::NotCheckout),
            "{target}"
        );
    }
    assert!(matches!(screen("POST", "/v1.0/%24BATCH"), Screened::Batch));
}
