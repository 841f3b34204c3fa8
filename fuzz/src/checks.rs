//! The properties every fuzz target asserts, written once.
//!
//! The fuzz crate uses this file as its `checks` module, and
//! `tests/fuzz_regressions.rs` includes the same file with `#[path]`, so a
//! saved fuzzer finding is replayed by `cargo test` against exactly the
//! assertions that caught it. It therefore depends on nothing but the
//! library and std.

use std::fmt::Write as _;

use graph_checkout_route::{
    split_request_line, Error, ErrorKind, Parser, Route, DOCUMENTED_TEMPLATES,
};

/// A line as the case files write it: printable ASCII as is, every other
/// byte as `\xHH`, so that a panic message can be pasted into a case file.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'\\' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// Which entry point a line goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `Parser::classify_line`; round trip through `Parser::parse`.
    Request,
    /// `Parser::classify_template_line`; round trip through `Parser::parse_template`.
    Template,
}

/// A route's observable parts, for comparing two routes from different inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `Route::template()`.
    pub template: String,
    /// `Route::is_documented()`.
    pub documented: bool,
    /// `Route::params()`, owned.
    pub params: Vec<(String, String)>,
    /// `Route::to_string()`.
    pub canonical: String,
}

impl Seen {
    /// Reads the observable parts of a route.
    pub fn of(route: &Route<'_>) -> Seen {
        Seen {
            template: route.template().into_owned(),
            documented: route.is_documented(),
            params: route
                .params()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
            canonical: route.to_string(),
        }
    }
}

/// Classifies one line with the mode's line entry point and asserts
/// everything that must hold whatever the line holds:
///
/// - no panic (the caller's harness notices);
/// - an error's offset lies inside the target (`<=` its length: an
///   `incomplete` points at the end), and its message renders;
/// - the `&[u8]` and `&str` entry points agree with the line entry point;
/// - an accepted route is consistent (template, documented flag, params)
///   and round-trips: its canonical form parses back to the same template
///   and params and prints the same canonical form.
///
/// Returns the result so that callers can compare it with a reference.
pub fn check_line<'a>(parser: &'a Parser, mode: Mode, line: &'a [u8]) -> Result<Route<'a>, Error> {
    let (method, target) = split_request_line(line);
    let result = match mode {
        Mode::Request => parser.classify_line(line),
        Mode::Template => parser.classify_template_line(line),
    };
    match &result {
        Ok(route) => {
            check_route(parser, mode, route, line);
            if method == b"POST" {
                check_entry_points(parser, mode, target, route, line);
            }
        }
        Err(err) => {
            assert!(
                err.offset() <= target.len(),
                "{mode:?} `{}`: {} error at offset {} past the end of a {}-byte target",
                escape(line),
                err.kind(),
                err.offset(),
                target.len(),
            );
            assert!(!err.to_string().is_empty(), "empty error message");
            if method == b"POST" {
                check_entry_points_err(parser, mode, target, err, line);
            }
        }
    }
    result
}

/// The entry points that take the bare target (`parse_bytes`, `parse` or
/// their template twins) give the same route as the line entry point.
fn check_entry_points(parser: &Parser, mode: Mode, target: &[u8], route: &Route<'_>, line: &[u8]) {
    let by_bytes = match mode {
        Mode::Request => parser.parse_bytes(target),
        Mode::Template => parser.parse_template_bytes(target),
    };
    assert_eq!(
        by_bytes.as_ref().ok().map(full),
        Some(full(route)),
        "{mode:?} `{}`: the bytes entry point disagrees with the line entry point",
        escape(line)
    );
    if let Ok(text) = std::str::from_utf8(target) {
        let by_str = match mode {
            Mode::Request => parser.parse(text),
            Mode::Template => parser.parse_template(text),
        };
        assert_eq!(
            by_str.as_ref().ok().map(full),
            Some(full(route)),
            "{mode:?} `{}`: the &str entry point disagrees with the line entry point",
            escape(line)
        );
    }
}

/// Everything a route shows, version and query included.
fn full(route: &Route<'_>) -> (Seen, Option<String>, Option<String>) {
    (
        Seen::of(route),
        route.version().map(str::to_owned),
        route.query().map(str::to_owned),
    )
}

fn check_entry_points_err(parser: &Parser, mode: Mode, target: &[u8], err: &Error, line: &[u8]) {
    let expected = (err.kind(), err.offset());
    let by_bytes = match mode {
        Mode::Request => parser.parse_bytes(target),
        Mode::Template => parser.parse_template_bytes(target),
    };
    assert_eq!(
        by_bytes.err().map(|e| (e.kind(), e.offset())),
        Some(expected),
        "{mode:?} `{}`: the bytes entry point disagrees with the line entry point",
        escape(line)
    );
    if let Ok(text) = std::str::from_utf8(target) {
        let by_str = match mode {
            Mode::Request => parser.parse(text),
            Mode::Template => parser.parse_template(text),
        };
        assert_eq!(
            by_str.err().map(|e| (e.kind(), e.offset())),
            Some(expected),
            "{mode:?} `{}`: the &str entry point disagrees with the line entry point",
            escape(line)
        );
    }
}

/// An accepted route is self-consistent and round-trips through its
/// canonical form (DESIGN §3 `Display`, DESIGN §5 "Round trip").
pub fn check_route(parser: &Parser, mode: Mode, route: &Route<'_>, line: &[u8]) {
    let seen = Seen::of(route);
    let context = || {
        format!(
            "{mode:?} `{}` (canonical `{}`)",
            escape(line),
            seen.canonical
        )
    };

    assert_eq!(
        seen.documented,
        DOCUMENTED_TEMPLATES.contains(&seen.template.as_str()),
        "{}: documented flag and template `{}` disagree",
        context(),
        seen.template
    );
    assert_eq!(
        seen.template.matches('{').count(),
        seen.params.len(),
        "{}: template `{}` and params {:?} disagree",
        context(),
        seen.template,
        seen.params
    );

    let again = reparse(parser, mode, &seen.canonical, Lift::Segments);
    let again = match again {
        Ok(again) => again,
        Err(err) => panic!(
            "{}: the canonical form does not parse back: {} at {}: {err}",
            context(),
            err.kind(),
            err.offset()
        ),
    };
    assert_eq!(
        again,
        seen,
        "{}: the round trip changed the route",
        context()
    );

    // A route's template is itself a template of the same route. Placeholder
    // names can be longer than the keys they stand for, so the template may
    // be longer than the 2048 bytes a target may have: that limit is lifted.
    match reparse(
        parser,
        Mode::Template,
        &seen.template,
        Lift::SegmentsAndLength,
    ) {
        Ok(shape) => assert_eq!(
            (&shape.template, shape.documented),
            (&seen.template, seen.documented),
            "{}: template `{}` parses to another template",
            context(),
            seen.template
        ),
        Err(err) => panic!(
            "{}: template `{}` is not a valid template: {} at {}: {err}",
            context(),
            seen.template,
            err.kind(),
            err.offset()
        ),
    }
}

/// Which limits [`reparse`] may lift after a `limit` error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lift {
    Segments,
    SegmentsAndLength,
}

/// Parses a printed form again. A `limit` error is retried with the limit
/// lifted where the caller allows it: the target length for templates
/// (placeholder names may be longer than the keys they stand for), and the
/// segment count always, because every `('key')` (one URL segment) prints
/// as two (`items/key`), so a route within the segment limit can have a
/// canonical form over it (the crate's `Display` documents this).
fn reparse(parser: &Parser, mode: Mode, text: &str, lift: Lift) -> Result<Seen, Error> {
    let parse = |parser: &Parser| {
        match mode {
            Mode::Request => parser.parse(text),
            Mode::Template => parser.parse_template(text),
        }
        .map(|route| Seen::of(&route))
    };
    match parse(parser) {
        Err(err) if err.kind() == ErrorKind::Limit => {
            let limits = parser.current_limits();
            let mut roomy = parser.clone();
            if lift == Lift::SegmentsAndLength && text.len() > limits.max_target_len {
                roomy = roomy.max_target_len(usize::MAX);
            }
            if text.matches('/').count() > limits.max_segments {
                roomy = roomy.max_segments(usize::MAX);
            }
            if roomy == *parser {
                Err(err)
            } else {
                parse(&roomy)
            }
        }
        other => other,
    }
}
