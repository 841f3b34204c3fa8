//! Running the crate and the reference on the same target, with the same
//! options, as comparable [`Outcome`]s.

use graph_checkout_route::{Error, Parser, Route};

use crate::reference::{self, Options, Outcome};

pub fn parser(o: &Options) -> Parser {
    Parser::new()
        .documented_only(o.documented_only)
        .max_target_len(o.max_target_len)
        .max_segments(o.max_segments)
        .max_key_len(o.max_key_len)
        .max_path_chars(o.max_path_chars)
        .versions(o.versions.clone())
        .hosts(o.hosts.clone())
}

pub fn outcome(result: Result<Route<'_>, Error>) -> Outcome {
    match result {
        Ok(route) => Outcome::Ok {
            template: route.template().into_owned(),
            documented: route.is_documented(),
            params: route
                .params()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            canonical: route.to_string(),
            version: route.version().map(str::to_string),
            query: route.query().map(str::to_string),
        },
        Err(e) => Outcome::Err {
            kind: e.kind().as_str(),
            offset: e.offset(),
        },
    }
}

/// The crate's outcome for `target` (and `method`, when given), through
/// every entry point that applies; they must all agree.
pub fn crate_outcome(o: &Options, method: Option<&[u8]>, target: &[u8]) -> Outcome {
    let p = parser(o);
    let result = match (o.template, method) {
        (false, None) => outcome(p.parse_bytes(target)),
        (false, Some(m)) => outcome(p.classify_bytes(m, target)),
        (true, None) => outcome(p.parse_template_bytes(target)),
        (true, Some(m)) => {
            let line = line_of(m, target).expect("a template's method goes in a line");
            outcome(p.classify_template_line(&line))
        }
    };
    // The `&str` twins and the CLI line form are thin wrappers: same result.
    if let Ok(text) = std::str::from_utf8(target) {
        let other = match (o.template, method) {
            (false, None) => outcome(p.parse(text)),
            (false, Some(m)) => match std::str::from_utf8(m) {
                Ok(m) => outcome(p.classify(m, text)),
                Err(_) => result.clone(),
            },
            (true, None) => outcome(p.parse_template(text)),
            (true, Some(_)) => result.clone(),
        };
        assert_eq!(result, other, "bytes and &str entry points differ");
    }
    if !o.template {
        if let Some(line) = method.and_then(|m| line_of(m, target)) {
            assert_eq!(
                result,
                outcome(p.classify_line(&line)),
                "classify_line differs"
            );
        }
    }
    result
}

/// The line `METHOD TARGET` when a line entry point reads exactly this
/// method and target back from it (DESIGN §6 "CLI lines"): not when the
/// method is not `[A-Z]+`, nor when the target ends with what a line
/// ending or a request line's ` HTTP/d.d` would take (decisions (j), (k)).
pub fn line_of(method: &[u8], target: &[u8]) -> Option<Vec<u8>> {
    let mut line = method.to_vec();
    line.push(b' ');
    line.extend_from_slice(target);
    (reference::split_line(&line) == (method, target)).then_some(line)
}

/// The crate's outcome for a CLI line, through the mode's line entry point.
pub fn crate_line_outcome(o: &Options, line: &[u8]) -> Outcome {
    let p = parser(o);
    if o.template {
        outcome(p.classify_template_line(line))
    } else {
        outcome(p.classify_line(line))
    }
}

pub fn reference_outcome(o: &Options, method: Option<&[u8]>, target: &[u8]) -> Outcome {
    reference::classify(o, method, target)
}

/// Parses the canonical form of an accepted route again.
pub fn reparse(o: &Options, canonical: &str) -> Outcome {
    let p = parser(o);
    if o.template {
        outcome(p.parse_template(canonical))
    } else {
        outcome(p.parse(canonical))
    }
}

pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An error outcome: its kind's snake_case name and its offset.
pub fn err(kind: &'static str, offset: usize) -> Outcome {
    Outcome::Err { kind, offset }
}
