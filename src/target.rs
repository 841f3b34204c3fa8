//! Stage 2: the request target's form (docs/DESIGN.md §1.1, §6 "Targets and
//! hosts"): origin-form `/path?query` or absolute-form
//! `https://host[:443]/path?query`, the authority checks, and the split into
//! path and query, as nom parsers.

use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::combinator::{opt, recognize, rest};
use nom::sequence::preceded;
use nom::Parser as _;

use crate::error::{Located, Reason, Snippet};
use crate::grammar::expect;
use crate::lexical;
use crate::Parser;

/// A request target without its scheme and authority: the path and the
/// query, which [`split_query`] tells apart. The path still holds the
/// version segment, which the walk reads as the first segment.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    /// From the first `/` of the path to the end of the target (empty in an
    /// absolute-form target without a path, which is `incomplete`).
    pub(crate) path_and_query: &'a str,
    /// Whether the target was in absolute-form, where a version is required.
    pub(crate) absolute: bool,
}

/// Reads a target's form, and in absolute-form checks its scheme and
/// authority. A request target has not been scanned yet, so each piece that
/// no later stage reads byte by byte (the authority, the query) is scanned
/// where it is read; a template was scanned whole before.
#[inline]
pub(crate) fn split<'a>(
    target: &'a str,
    parser: &Parser,
    template: bool,
) -> Result<Target<'a>, Located<'a>> {
    if target.starts_with('/') {
        return Ok(Target {
            path_and_query: target,
            absolute: false,
        });
    }
    let path_and_query = absolute_form(target, parser, template)?;
    Ok(Target {
        path_and_query,
        absolute: true,
    })
}

/// Splits the rest of a target at its first `?`: the rest of the path, and
/// the raw query without its `?`, scanned. The walk takes the segments it
/// decides by shortcut first, up to a `?` at most, and asks for the split
/// only from where they stop, so that a common request is read once.
#[inline]
pub(crate) fn split_query(rest: &str) -> Result<(&str, Option<&str>), Located<'_>> {
    // Where the shortcuts took the whole path, the rest is empty or the
    // query; otherwise memchr's vectorized search, from where they stopped.
    let at = match rest.as_bytes().first() {
        None => None,
        Some(b'?') => Some(0),
        Some(_) => memchr::memchr(b'?', rest.as_bytes()),
    };
    match at {
        Some(at) => {
            let query = &rest[at + 1..];
            lexical::scan_piece(query)?;
            Ok((&rest[..at], Some(query)))
        }
        None => Ok((rest, None)),
    }
}

/// `https://authority/path?query`: the path and the query, after the checks
/// of the scheme and the authority. The authority ends at the first `/` or
/// `?`.
fn absolute_form<'a>(
    input: &'a str,
    parser: &Parser,
    template: bool,
) -> Result<&'a str, Located<'a>> {
    // RFC 3986: a letter, then letters, digits, `+`, `-`, `.`.
    let scheme = recognize((
        take_while1(|c: char| c.is_ascii_alphabetic()),
        take_while(|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
    ));
    let (after, scheme) = expect(input, (scheme, tag(":")).map(|(name, _)| name), || {
        Reason::NotATarget(Snippet::new(input))
    })?;
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(Located::new(input, Reason::Scheme(Snippet::new(scheme))));
    }
    // Each `/` on its own, so that `https:/x` fails at the byte after the
    // first one.
    let (after, _) = expect(after, tag("/"), || Reason::NoSlashes)?;
    let (authority_start, _) = expect(after, tag("/"), || Reason::NoSlashes)?;
    let (path_and_query, authority) =
        expect(authority_start, take_till(|c| c == '/' || c == '?'), || {
            Reason::NoSlashes
        })?;
    check_authority(authority, parser, template)?;
    Ok(path_and_query)
}

/// Userinfo, port and host: each wrong one is a `host` error at the
/// authority's start.
fn check_authority<'a>(
    authority: &'a str,
    parser: &Parser,
    template: bool,
) -> Result<(), Located<'a>> {
    if template {
        if let Some(brace) = memchr::memchr2(b'{', b'}', authority.as_bytes()) {
            return Err(Located::new(&authority[brace..], Reason::BraceInHost));
        }
    }
    lexical::scan_piece(authority)?;
    let refuse = |reason| Err(Located::new(authority, reason));
    if authority.contains('@') {
        return refuse(Reason::Userinfo(Snippet::new(authority)));
    }
    // `host [":" port]`.
    let mut host_port = (
        take_till::<_, _, ()>(|c| c == ':'),
        opt(preceded(tag(":"), rest)),
    );
    let (host, port) = match host_port.parse_complete(authority) {
        Ok((_, parts)) => parts,
        Err(_) => (authority, None),
    };
    if let Some(port) = port.filter(|&port| port != "443") {
        return refuse(Reason::Port(Snippet::new(port)));
    }
    if !parser
        .hosts
        .as_slice()
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
    {
        return refuse(Reason::Host {
            host: Snippet::new(host),
            allowed: parser.hosts.clone(),
        });
    }
    Ok(())
}
