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

/// A request target split into its parts. The path still holds the version
/// segment, which the walk reads as the first segment.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    /// From the first `/` of the path up to the query (empty in an
    /// absolute-form target without a path, which is `incomplete`).
    pub(crate) path: &'a str,
    /// Whether the target was in absolute-form, where a version is required.
    pub(crate) absolute: bool,
    /// The raw query, without its `?`.
    pub(crate) query: Option<&'a str>,
}

/// Splits a target. A request target has not been scanned yet, so each
/// piece that no later stage reads byte by byte (the query, the authority)
/// is scanned here; a template was scanned whole before.
pub(crate) fn split<'a>(
    target: &'a str,
    parser: &Parser,
    template: bool,
) -> Result<Target<'a>, Located<'a>> {
    // memchr's vectorized search: the whole target is read for its `?`.
    let (before_query, query) = match memchr::memchr(b'?', target.as_bytes()) {
        Some(at) => (&target[..at], Some(&target[at + 1..])),
        None => (target, None),
    };
    if let Some(query) = query {
        lexical::scan_piece(query)?;
    }
    if before_query.starts_with('/') {
        return Ok(Target {
            path: before_query,
            absolute: false,
            query,
        });
    }
    let path = absolute_form(before_query, parser, template)?;
    Ok(Target {
        path,
        absolute: true,
        query,
    })
}

/// `https://authority/path`: the path, after the checks of the scheme and
/// the authority.
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
    let (path, authority) = expect(authority_start, take_till(|c| c == '/'), || {
        Reason::NoSlashes
    })?;
    check_authority(authority, parser, template)?;
    Ok(path)
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
