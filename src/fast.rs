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
use crate::route::{Route, Step, StepKind};
use crate::validate::documented_index;
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
    let mut segments = 0;
    let mut start = 1;
    loop {
        // A segment ends at the first byte that is not a key byte: a `/`,
        // the `?` of the query, the end, or something only the validator
        // handles.
        let end = start + key_run(&bytes[start..]);
        let last = match bytes.get(end) {
            None => true,
            Some(b'/') => false,
            Some(b'?') => {
                let query = &text[end + 1..];
                if !lexical::is_clean(query.as_bytes()) {
                    return None;
                }
                route.query = Some(Cow::Borrowed(query));
                true
            }
            Some(_) => return None,
        };
        let segment = &text[start..end];
        segments += 1;
        // Empty segments and any segment that could be a dot segment are
        // the validator's to report.
        if segments > limits.max_segments || segment.is_empty() || segment.starts_with('.') {
            return None;
        }
        // A version that matches a segment of key bytes is made of key
        // bytes, which the scan allows: no need to check that here.
        let version = if segments == 1 {
            parser
                .versions
                .iter()
                .find(|v| v.len() == segment.len() && v.eq_ignore_ascii_case(segment))
        } else {
            None
        };
        if let Some(version) = version {
            route.version = Some(Cow::Borrowed(version.as_ref()));
        } else {
            position = match position {
                Position::At(from) => match model::lookup_plain(from, segment)? {
                    edge if edge.param.is_some() => Position::NeedsKey(edge),
                    edge => match edge.to {
                        Some(to) => {
                            push(route, edge, None);
                            Position::At(to)
                        }
                        // The action, which is not a step.
                        None => Position::Done,
                    },
                },
                Position::NeedsKey(edge) => {
                    if segment.len() > limits.max_key_len || !edge.rule.allows(segment) {
                        return None;
                    }
                    push(route, edge, Some(segment));
                    Position::At(edge.to.unwrap_or(Type::DriveItem))
                }
                Position::Done => return None,
            };
        }
        if last {
            break;
        }
        start = end + 1;
    }
    if !matches!(position, Position::Done) {
        return None;
    }
    route.documented = documented_index(&route.steps);
    if parser.documented_only && route.documented.is_none() {
        return None;
    }
    Some(())
}

#[inline]
fn push<'a>(route: &mut Route<'a>, edge: &'static Edge, key: Option<&'a str>) {
    route.steps.push(Step {
        kind: StepKind::edge(edge),
        value: key.map(Cow::Borrowed),
        placeholder: false,
    });
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
