//! The crate against the independent reference of `tests/reference/mod.rs`
//! (written from the SPEC, never from `src/`): on every line both must give
//! the same error kind and offset, or the same template, documented flag,
//! params, canonical form, version and query.
//!
//! Used by the `differential` fuzz target and by `tests/fuzz_regressions.rs`;
//! both mount the reference as `crate::reference` and the checks as
//! `crate::checks`.

use graph_checkout_route::Parser;

use crate::checks::{check_line, escape, Mode, Seen};
use crate::reference::{self, Options, Outcome};

/// A parser configuration, given to both implementations.
pub struct Config {
    /// For failure reports.
    pub name: &'static str,
    /// Request lines or template lines.
    pub mode: Mode,
    /// The crate's parser.
    pub parser: Parser,
    /// The reference's options, meaning the same.
    pub options: Options,
}

/// The configurations every line goes through: the defaults in both modes,
/// and tight options in both modes (documented-only, small limits, other
/// versions and hosts), so that every limit, `undocumented` and the version
/// spelling are reachable by short inputs.
pub fn configs() -> Vec<Config> {
    let mut configs = Vec::new();
    for (mode, template) in [(Mode::Request, false), (Mode::Template, true)] {
        configs.push(Config {
            name: "default",
            mode,
            parser: Parser::new(),
            options: Options {
                template,
                ..Options::default()
            },
        });
        let versions = ["v2.0", "Beta"];
        let hosts = ["graph.example.com", "GRAPH.test"];
        configs.push(Config {
            name: "tight",
            mode,
            parser: Parser::new()
                .documented_only(true)
                .max_target_len(120)
                .max_segments(7)
                .max_key_len(12)
                .max_path_chars(10)
                .versions(versions)
                .hosts(hosts),
            options: Options {
                template,
                documented_only: true,
                max_target_len: 120,
                max_segments: 7,
                max_key_len: 12,
                max_path_chars: 10,
                versions: versions.iter().map(ToString::to_string).collect(),
                hosts: hosts.iter().map(ToString::to_string).collect(),
            },
        });
    }
    configs
}

/// Runs one line through both implementations under one configuration
/// (the crate through [`check_line`], so every property of the other
/// targets is asserted too) and panics when they disagree.
pub fn compare(config: &Config, line: &[u8]) {
    let ours = check_line(&config.parser, config.mode, line);
    let theirs = reference::classify_line(&config.options, line);
    let context = || format!("{:?} {} `{}`", config.mode, config.name, escape(line));
    match (ours, theirs) {
        (Err(err), Outcome::Err { kind, offset }) => assert_eq!(
            (err.kind().as_str(), err.offset()),
            (kind, offset),
            "{}: crate and reference reject differently ({err})",
            context()
        ),
        (
            Ok(route),
            Outcome::Ok {
                template,
                documented,
                params,
                canonical,
                version,
                query,
            },
        ) => {
            let seen = Seen::of(&route);
            let want = Seen {
                template,
                documented,
                params,
                canonical,
            };
            assert_eq!(
                (seen, route.version(), route.query()),
                (want, version.as_deref(), query.as_deref()),
                "{}: crate (left) and reference (right) accept differently",
                context()
            );
        }
        (Ok(route), Outcome::Err { kind, offset }) => panic!(
            "{}: the crate accepts ({}, canonical `{route}`), the reference rejects: {kind} at {offset}",
            context(),
            route.template()
        ),
        (Err(err), Outcome::Ok { template, .. }) => panic!(
            "{}: the crate rejects ({} at {}: {err}), the reference accepts as {template}",
            context(),
            err.kind(),
            err.offset()
        ),
    }
}
