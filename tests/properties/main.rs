//! Property tests (issue 3): generated valid routes are accepted with the
//! template and params their generator knows; generated mutations are
//! rejected with the error the mutation implies; and on generated and
//! mutated targets (requests and templates, default and other options) the
//! crate agrees exactly with the independent reference of
//! `tests/reference/mod.rs`.
//!
//! Generation is driven by a "tape" of random `u32`s: each structural
//! choice takes one value, and 0 always means the simplest choice, so that
//! proptest's shrinking (values toward 0, tape shorter) shrinks the route.
//! ID contents come from a small PRNG seeded from one tape value.
//!
//! The properties are here; what they are built from is in the modules:
//! [`tape`] (the tape and the PRNG), [`ids`] (real ID shapes),
//! [`generation`] (routes from a walk through the type graph), [`options`]
//! (other parser options), [`mutations`] (one change with a known outcome),
//! [`lines`] (the CLI line forms of a target, and changes to them),
//! [`havoc`] (free-form edits for the differential property) and
//! [`running`] (the crate and the reference on the same input).
//! [`decisions`] pins the project's decisions where the SPEC is ambiguous.

#[path = "../reference/mod.rs"]
mod reference;

mod decisions;
mod generation;
mod havoc;
mod ids;
mod lines;
mod mutations;
mod options;
mod running;
mod tape;

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use generation::{canonical_path, generate, is_raw_safe_in_path, valid_name, NAME_CHARS};
use havoc::{havoc, soup};
use mutations::mutate;
use options::options;
use reference::{Options, Outcome};
use running::{crate_line_outcome, crate_outcome, err, line_of, reference_outcome, reparse, show};
use tape::Tape;

fn tape() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(any::<u32>(), 0..160)
}

/// `cases` per property, unless `PROPTEST_CASES` asks for another number
/// (for a long run: `PROPTEST_CASES=100000 cargo test --release --test
/// properties`).
fn config(cases: u32) -> ProptestConfig {
    let from_env = std::env::var("PROPTEST_CASES").is_ok();
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if from_env { default.cases } else { cases },
        // Failing seeds go to the crate's `proptest-regressions/` folder and
        // are replayed first on every run. The path is taken as it is,
        // relative to the package root where `cargo test` runs the tests,
        // not derived from this file's path.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..default
    }
}

proptest! {
    #![proptest_config(config(4096))]

    /// (a) Every walk through the type graph, with real ID shapes and every
    /// spelling DESIGN allows, is accepted with exactly the template,
    /// params, canonical form, version and query the generator knows; and
    /// the canonical form parses to the same template and params.
    #[test]
    fn generated_routes_are_accepted(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = Options { template, ..Options::default() };
        let g = generate(&mut tape, &o);
        let target = g.target.as_bytes();
        let expected = if target.len() > o.max_target_len {
            err("limit", o.max_target_len)
        } else {
            g.expected()
        };
        // The reference first, here and below: when both fail, the test
        // side (generator, mutation or reference) is the one to fix.
        let reference = reference_outcome(&o, None, target);
        prop_assert_eq!(&reference, &expected, "reference on {}", g.target);
        // DESIGN §5 "Round trip", on the reference alone: the canonical form
        // the generator knows (decision (q) for keys) parses to the same
        // template and params.
        if let Outcome::Ok { .. } = &expected {
            let again = reference_outcome(&o, None, g.canonical.as_bytes());
            let Outcome::Ok { template, params, .. } = &again else {
                return Err(TestCaseError::fail(format!(
                    "reference: canonical {} of {} does not parse: {again:?}",
                    g.canonical, g.target
                )));
            };
            prop_assert_eq!(template, &g.template);
            prop_assert_eq!(params, &g.params);
        }
        let got = crate_outcome(&o, None, target);
        prop_assert_eq!(&got, &expected, "crate on {}", g.target);

        if let Outcome::Ok { canonical, .. } = &got {
            let again = reparse(&o, canonical);
            let Outcome::Ok { template, params, .. } = &again else {
                return Err(TestCaseError::fail(format!(
                    "canonical {canonical} of {} does not parse: {again:?}",
                    g.target
                )));
            };
            prop_assert_eq!(template, &g.template);
            prop_assert_eq!(params, &g.params);
            let again = reference_outcome(&o, None, canonical.as_bytes());
            let Outcome::Ok { template, params, .. } = &again else {
                return Err(TestCaseError::fail(format!(
                    "reference: canonical {canonical} does not parse: {again:?}"
                )));
            };
            prop_assert_eq!(template, &g.template);
            prop_assert_eq!(params, &g.params);
        }
    }

    /// (b) One mutation of a valid route gives the error the mutation
    /// implies (DESIGN §1.5, §2 and §6), in the crate and in the reference.
    #[test]
    fn mutations_are_rejected_as_the_spec_says(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = Options { template, ..Options::default() };
        let g = generate(&mut tape, &o);
        prop_assume!(g.target.len() <= o.max_target_len);
        let Some(m) = (0..4).find_map(|_| mutate(&mut tape, &g, &o)) else {
            return Ok(());
        };
        // A mutation that pushes the target over the limit gives `limit`
        // first; only the limit mutation itself may do that.
        prop_assume!(m.target.len() <= m.opts.max_target_len || m.expected == err("limit", m.opts.max_target_len));
        let method = m.method.as_deref();
        let reference = reference_outcome(&m.opts, method, &m.target);
        prop_assert_eq!(
            &reference, &m.expected,
            "reference on {:?} ({} of {})", show(&m.target), m.what, g.target
        );
        let got = crate_outcome(&m.opts, method, &m.target);
        prop_assert_eq!(
            &got, &m.expected,
            "crate on {:?} ({} of {})", show(&m.target), m.what, g.target
        );
    }

    /// (c) On generated, mutated and havocked requests and templates, with
    /// default and other options, the crate and the reference agree exactly.
    #[test]
    fn crate_agrees_with_the_reference(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = options(&mut tape, template);
        let g = generate(&mut tape, &o);
        let (target, method, o) = match tape.below(4) {
            0 => (g.target.as_bytes().to_vec(), None, o),
            3 => (soup(&mut tape), None, o),
            1 => match (0..4).find_map(|_| mutate(&mut tape, &g, &o)) {
                Some(m) => (m.target, m.method, m.opts),
                None => (g.target.as_bytes().to_vec(), None, o),
            },
            _ => (havoc(&mut tape, g.target.as_bytes()), None, o),
        };
        // Now and then an explicit `POST`, through the method-taking entry
        // points and the CLI line form.
        let method = match method {
            None if tape.chance(30) => Some(b"POST".to_vec()),
            other => other,
        };
        // Templates only take a method through the CLI line form.
        let method = method.filter(|m| !o.template || line_of(m, &target).is_some());
        let got = crate_outcome(&o, method.as_deref(), &target);
        let reference = reference_outcome(&o, method.as_deref(), &target);
        prop_assert_eq!(
            &got, &reference,
            "crate (left) and reference (right) differ on {:?} (template mode {}, method {:?}, options {:?})",
            show(&target), o.template, method.as_deref().map(show), o
        );

        // Now and then the same as a CLI line, in any of its forms
        // (DESIGN §6 "CLI lines"), through the line entry points.
        if tape.chance(25) {
            let line = lines::line(&mut tape, method.as_deref(), &target);
            let got = crate_line_outcome(&o, &line);
            let reference = reference::classify_line(&o, &line);
            prop_assert_eq!(
                &got, &reference,
                "crate (left) and reference (right) differ on the line {:?} (template mode {}, options {:?})",
                show(&line), o.template, o
            );
        }
    }

    /// (d) A generated route written as a CLI line, in each of the line
    /// forms of DESIGN §6 "CLI lines" (a method or none, an HTTP/1.1
    /// request line's version, a CRLF's `\r`), classifies as its target;
    /// and one change to the line gives the error DESIGN implies, in the
    /// crate and in the reference.
    #[test]
    fn generated_lines_classify_like_their_targets(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = Options { template, ..Options::default() };
        let g = generate(&mut tape, &o);
        prop_assume!(g.target.len() <= o.max_target_len);
        let method = tape.chance(60).then_some(&b"POST"[..]);
        let line = lines::line(&mut tape, method, g.target.as_bytes());
        let expected = g.expected();
        let reference = reference::classify_line(&o, &line);
        prop_assert_eq!(&reference, &expected, "reference on the line {:?}", show(&line));
        let got = crate_line_outcome(&o, &line);
        prop_assert_eq!(&got, &expected, "crate on the line {:?}", show(&line));

        let Some(m) = (0..4).find_map(|_| lines::mutate_line(&mut tape, &g, &o)) else {
            return Ok(());
        };
        let reference = reference::classify_line(&o, &m.line);
        prop_assert_eq!(
            &reference, &m.expected,
            "reference on the line {:?} ({} of {})", show(&m.line), m.what, g.target
        );
        let got = crate_line_outcome(&o, &m.line);
        prop_assert_eq!(
            &got, &m.expected,
            "crate on the line {:?} ({} of {})", show(&m.line), m.what, g.target
        );
    }
}

/// Where a path-based address can stand, what follows it, and the template
/// the route gives: on a DriveItem, and a site by path on a Site (DESIGN
/// §1.4, decisions (p) and (r)).
const PATH_BASES: [(&str, &str, &str); 7] = [
    (
        "/me/drive/root",
        "/checkout",
        "/me/drive/root:/{path}:/checkout",
    ),
    (
        "/drives/b!x/items/01AB",
        "/checkout",
        "/drives/{drivesId}/items/{driveItemId}:/{path}:/checkout",
    ),
    (
        "/me/drive/special/Documents",
        "/checkout",
        "/me/drive/special/{driveItemId}:/{path}:/checkout",
    ),
    (
        "/shares/u!x/driveItem",
        "/checkout",
        "/shares/{sharesId}/driveItem:/{path}:/checkout",
    ),
    (
        "/sites/contoso.sharepoint.com",
        "/drive/root/checkout",
        "/sites/{siteId}:/{path}:/drive/root/checkout",
    ),
    (
        "/groups/g/sites/root",
        "/lists/Documents/drive/root/checkout",
        "/groups/{groupId}/sites/{siteId}:/{path}:/lists/{listId}/drive/root/checkout",
    ),
    (
        "/shares/s!x/site",
        "/drive/root/checkout",
        "/shares/{sharesId}/site:/{path}:/drive/root/checkout",
    ),
];

proptest! {
    #![proptest_config(config(1024))]

    /// (issue 4) A path-based address of any allowed names, escaped as a
    /// client would (everything but the raw-safe ASCII, plus needless
    /// escapes of safe characters now and then), gives exactly its decoded
    /// value as `path`; and the route round-trips through `Display`: the
    /// canonical form parses to the same params and prints itself again.
    #[test]
    fn path_addresses_round_trip_through_display(
        names in prop::collection::vec(
            prop::collection::vec(prop::sample::select(NAME_CHARS), 1..10),
            1..5,
        ),
        needless in prop::collection::vec(any::<bool>(), 40),
        base in 0..PATH_BASES.len(),
    ) {
        // Only names the naming rules of DESIGN §1.4 accept (not `.` or
        // `..`, no edge space, no trailing `.`, ...).
        let names: Vec<String> = names
            .into_iter()
            .map(|name| valid_name(&String::from_iter(name)))
            .collect();
        let value = names.join("/");
        let mut flips = needless.iter().cycle();
        let mut encoded = String::new();
        for c in value.chars() {
            let escape = c != '/'
                && (!is_raw_safe_in_path(c) || *flips.next().unwrap_or(&false));
            if escape {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    write!(encoded, "%{b:02X}").expect("writing to a String cannot fail");
                }
            } else {
                encoded.push(c);
            }
        }
        let (prefix, suffix, template) = PATH_BASES[base];
        let target = format!("{prefix}:/{encoded}:{suffix}");

        let route = graph_checkout_route::parse(&target)
            .map_err(|e| TestCaseError::fail(format!("{target}: {} at {}: {e}", e.kind(), e.offset())))?;
        prop_assert_eq!(route.template(), template);
        let params: Vec<(&str, &str)> = route.params().collect();
        // The one address's value, wherever it stands (a site's address
        // has params after it).
        let path = params.iter().find(|(name, _)| *name == "path").copied();
        prop_assert_eq!(path, Some(("path", value.as_str())), "{}", target);

        let canonical = route.to_string();
        prop_assert!(canonical.ends_with(&format!(":/{}:{suffix}", canonical_path(&value))), "{}", canonical);
        let again = graph_checkout_route::parse(&canonical)
            .map_err(|e| TestCaseError::fail(format!("{canonical}: {e}")))?;
        let again_params: Vec<(&str, &str)> = again.params().collect();
        prop_assert_eq!(&again_params, &params);
        prop_assert_eq!(again.to_string(), canonical.as_str());
    }
}
