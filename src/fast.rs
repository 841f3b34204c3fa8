//! The fast path: the common request, classified in one tight loop.
//!
//! Nearly every real request is an origin-form target whose segments hold
//! only key bytes (`A-Z a-z 0-9 - . _ ~ ! , @`): no escape, no `('key')`,
//! no path-based address, no error. For such a target the validator's
//! generality (offsets for errors, escapes, the order of checks) buys
//! nothing, so this loop handles it alone and gives up, returning `None`,
//! at the first thing it does not handle; the validator then classifies
//! the target from the start and is the only one that ever reports an
//! error.
//!
//! Whatever this module accepts, the validator accepts as the same route:
//! it makes the same checks on a subset of inputs (debug builds, and so
//! every test and fuzz run, assert this on each call; see
//! `validate::request_text`).

use std::borrow::Cow;

use crate::grammar::key_run;
use crate::lexical;
use crate::model::{self, Edge, Type};
use crate::route::{Route, ShapeKey, Step, StepKind};
use crate::validate::documented_by_key;
use crate::Parser;

/// Where the loop stands, as in the validator's walk.
#[derive(Clone, Copy)]
enum Position {
    At(Type),
    NeedsKey(&'static Edge),
    Done,
}

/// Classifies an origin-form request target whose path segments are all
/// key bytes into `route` (empty on entry), or gives up with `None`, leaving
/// `route` to be thrown away. The length limit and the method are checked
/// by the caller. Filling the caller's route saves moving it.
#[inline]
pub(crate) fn classify<'a>(parser: &'a Parser, text: &'a str, route: &mut Route<'a>) -> Option<()> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'/') {
        return None;
    }
    let limits = &parser.limits;
    let mut position = Position::At(Type::Root);
    let mut segments = 1;
    let mut shape = ShapeKey::default();
    // The first segment may be a version; the loop starts at the one after.
    let mut start = match version_at(parser, &bytes[1..]) {
        Some(version) => {
            route.version = Some(Cow::Borrowed(version));
            let end = 1 + version.len();
            match bytes.get(end) {
                Some(b'/') => {
                    segments += 1;
                    end + 1
                }
                // A version alone is not a route: the validator says why.
                _ => return None,
            }
        }
        None => 1,
    };
    loop {
        let rest = &bytes[start..];
        // Where the segment ends, and what it was.
        let end = match position {
            // A keyword is matched in place: no scan of its bytes.
            Position::At(from) => {
                let (edge, len) = model::keyword_at(from, rest)?;
                position = match (edge.param, edge.to) {
                    (Some(_), _) => Position::NeedsKey(edge),
                    (None, Some(to)) => {
                        shape = push(route, shape, edge, None);
                        Position::At(to)
                    }
                    // The action, which is not a step.
                    (None, None) => Position::Done,
                };
                start + len
            }
            // A key runs to the first byte that is not a key byte.
            Position::NeedsKey(edge) => {
                let end = start + key_run(rest);
                let key = &text[start..end];
                // Empty keys and any key that could be a dot segment
                // are the validator's to report.
                if key.is_empty()
                    || key.starts_with('.')
                    || key.len() > limits.max_key_len
                    || !edge.rule.allows(key)
                {
                    return None;
                }
                shape = push(route, shape, edge, Some(key));
                position = Position::At(edge.to.unwrap_or(Type::DriveItem));
                end
            }
            Position::Done => return None,
        };
        match bytes.get(end) {
            None => break,
            Some(b'/') => {
                segments += 1;
                start = end + 1;
            }
            Some(b'?') => {
                let query = &text[end + 1..];
                if !lexical::is_clean(query.as_bytes()) {
                    return None;
                }
                route.query = Some(Cow::Borrowed(query));
                break;
            }
            // Something only the validator handles: `(`, `%`, `:`, ...
            Some(_) => return None,
        }
    }
    // Over the segment limit: the validator's to report.
    if segments > limits.max_segments {
        return None;
    }
    if !matches!(position, Position::Done) {
        return None;
    }
    route.documented = shape.get().and_then(documented_by_key);
    if parser.documented_only && route.documented.is_none() {
        return None;
    }
    Some(())
}

/// The configured version that `rest` starts with, as a whole segment. Only
/// a version made of key bytes counts here: the others are the validator's.
#[inline]
fn version_at<'p>(parser: &'p Parser, rest: &[u8]) -> Option<&'p str> {
    parser
        .versions
        .iter()
        .map(AsRef::as_ref)
        .find(|version: &&str| {
            let len = version.len();
            len > 0
                && matches!(rest.get(len), None | Some(b'/' | b'?'))
                && rest.len() >= len
                && rest[..len].eq_ignore_ascii_case(version.as_bytes())
                && key_run(version.as_bytes()) == len
                && !version.starts_with('.')
        })
}

/// Pushes a step of `edge` and returns the shape key extended by it.
#[inline]
fn push<'a>(
    route: &mut Route<'a>,
    shape: ShapeKey,
    edge: &'static Edge,
    key: Option<&'a str>,
) -> ShapeKey {
    let kind = StepKind::edge(edge);
    route
        .steps
        .push(Step::new(kind, key.map(Cow::Borrowed), false));
    shape.with(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takes(parser: &Parser, target: &str) -> bool {
        classify(parser, target, &mut Route::empty()).is_some()
    }

    /// The common requests stay on the fast path (a performance property:
    /// the results are checked against the validator on every call in
    /// debug builds).
    #[test]
    fn plain_requests_take_the_fast_path() {
        let parser = Parser::new();
        for target in [
            "/me/drive/root/checkout",
            "/v1.0/drives/b!t18F8ybsHUq1z3LT/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/checkout",
            "/BETA/Me/Drive/Items/01AB/Microsoft.Graph.Checkout?$select=id",
            "/sites/contoso.sharepoint.com,2C712604-1370-44E7,2D2244C3/items/01AB/microsoft.graph.sharedDriveItem/root/checkout",
            "/users/john.doe@contoso.com/drive/special/documents/checkout",
        ] {
            assert!(takes(&parser, target), "{target}");
        }
    }

    /// Everything else goes to the validator, accepted or not.
    #[test]
    fn anything_else_is_left_to_the_validator() {
        let parser = Parser::new();
        for target in [
            "https://graph.microsoft.com/v1.0/me/drive/root/checkout",
            "/drives/b%21x/root/checkout",
            "/me/drive/items('01AB')/checkout",
            "/me/drive/root:/a.txt:/checkout",
            "/me/drive/items/.x/checkout",
            "/me/drive//root/checkout",
            "/me/drive/root/checkout/",
            "/me/drive/root",
            "/me/drive/bogus/checkout",
            "/me/drive/root/checkout/checkout",
            "/shares/x/root/checkout",
            "/me/drive/root/checkout?a#b",
        ] {
            assert!(!takes(&parser, target), "{target}");
        }
        let documented_only = Parser::new().documented_only(true);
        assert!(!takes(
            &documented_only,
            "/me/drive/root/listItem/driveItem/checkout"
        ));
        let tight = Parser::new().max_segments(3);
        assert!(!takes(&tight, "/me/drive/root/checkout"));
    }
}
