//! Backend equivalence (issue 12): for every generated target the crate
//! accepts, every store behind Graph, as `readers.rs` models them, reads
//! the same keys and the same path names as the gateway did.
//!
//! Targets are built from pieces that real names are made of and pieces
//! that each store reads differently (`%2541`, `..%20`, fullwidth `．`, `ＣＯＮ`,
//! `@`, `microsoft.graph.`), in every place a key or a path-based address
//! may stand. Refusing is always allowed here; the conformance cases say
//! which refusals are expected.

mod readers;

use readers::{verdict, verdict_bytes, SHAPES};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

/// Pieces of a name: ordinary ones, and ones some store reads differently.
#[rustfmt::skip]
const NAME_PIECES: &[&str] = &[
    // Ordinary.
    "a", "Report", "Q3", "txt", ".", "-", "_", "~", "$", "!", "%20", "%41", "%23", "%25",
    "%C3%A9", "e%CC%81", "%E6%97%A5", "%EF%AC%81", "%2E", "%E2%81%84", "%E2%88%95",
    // Dots and spaces, raw, encoded, and as look-alikes that NFKC folds.
    "..", "%2e%2e", "%EF%BC%8E", "%E2%80%A4", "%E2%80%A5", "%E2%80%A6", "%EF%B9%92",
    "%C2%A0", "%E3%80%80", "%E2%80%82",
    // A second decoding.
    "%2541", "%252F", "%252e", "%25%32%46", "%25%35%43", "%2525",
    // Separators and forbidden characters, escaped and fullwidth.
    "%2F", "%5C", "%EF%BC%8F", "%EF%BC%BC", "%3F", "%EF%BC%9F", "%2A", "%EF%BC%8A", "%3A",
    "%EF%BC%9A", "%7C", "%EF%BD%9C", "%22", "%EF%BC%82", "%3C", "%EF%BC%9C", "%EF%BC%9E",
    // Controls.
    "%00", "%09", "%7F", "%C2%85", "%C2%9F",
    // Devices and reserved names, plain and folded.
    "CON", "con", "Nul", "LPT1", "COM", "%C2%B9", "%EF%BC%A3%EF%BC%AF%EF%BC%AE", "desktop.ini",
    "~$", "_vti_", ".lock",
];

/// Pieces of a key: ordinary ones, and the OData readings.
#[rustfmt::skip]
const KEY_PIECES: &[&str] = &[
    "a", "01AB", "b!x", "john.doe", "@", "%40", "microsoft.graph.", "MICROSOFT.Graph.",
    "microsoft%2Egraph.", "driveItem", "~", "-", "%41", "%20", ".", "..",
];

fn joined(pieces: &'static [&'static str], words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 1..=words).prop_map(|p| p.concat())
}

/// A target, its raw key (if its shape has one) and its raw path value.
fn target() -> impl Strategy<Value = (usize, String, String)> {
    (
        0..SHAPES.len(),
        joined(KEY_PIECES, 3),
        prop::collection::vec(joined(NAME_PIECES, 4), 1..=3).prop_map(|names| names.join("/")),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4096,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_store_reads_an_accepted_target_as_the_gateway((shape, key, path) in target()) {
        if let Err(why) = verdict(shape, &key, &path) {
            prop_assert!(false, "{}", why);
        }
    }
}

/// The generator reaches both sides: a property that only ever saw refusals
/// would prove nothing.
#[test]
fn the_generator_reaches_accepted_and_refused_targets() {
    let mut runner = TestRunner::new(Config {
        rng_seed: proptest::test_runner::RngSeed::Fixed(12),
        ..Config::default()
    });
    let strategy = target();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..2000 {
        let (shape, key, path) = strategy.new_tree(&mut runner).unwrap().current();
        match verdict(shape, &key, &path) {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(why) => panic!("{why}"),
        }
    }
    assert!(
        accepted >= 200 && refused >= 200,
        "accepted {accepted}, refused {refused}"
    );
}

/// The model sees each known bypass: were the crate to accept one of these,
/// the property would fail.
#[test]
fn the_model_reads_each_known_bypass_otherwise() {
    for raw in [
        "public/..%20/secret.docx",
        "secret.docx.",
        "public%252F..%252Fsecret.docx",
        "public/%EF%BC%8E%EF%BC%8E%EF%BC%8Fsecret.docx",
        "CON.txt",
        "a%C2%85b",
        "%EF%BC%A3%EF%BC%AF%EF%BC%AE",
    ] {
        let once = readers::read(readers::Reader::Once, raw).unwrap().join("/");
        assert!(readers::check_path(raw, &once).is_err(), "{raw}");
    }
    for raw in [
        "@p",
        "%40p",
        "microsoft.graph.driveItem",
        "Microsoft.Graph.x",
    ] {
        let once = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .unwrap();
        assert!(readers::check_key(raw, &once).is_err(), "{raw}");
    }
    assert_eq!(readers::check_path("%EF%AC%81le.txt", "ﬁle.txt"), Ok(()));
}

/// The committed seeds of the fuzz target `backends` hold accepted and
/// refused targets, and every store reads the accepted ones alike.
#[test]
fn the_fuzz_seeds_are_read_alike() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/backends/seeds");
    let (mut accepted, mut refused) = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        match verdict_bytes(&std::fs::read(&path).unwrap()) {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(why) => panic!("{}: {why}", path.display()),
        }
    }
    assert!(
        accepted > 0 && refused > 0,
        "accepted {accepted}, refused {refused}"
    );
}
