//! Stage 2: the request target's form (SPEC 1.1 and 6 "Targets and hosts"):
//! origin-form `/path?query` or absolute-form `https://host[:443]/path?query`,
//! the authority checks, and the split into path and query.

use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::IResult;

use crate::error::{snippet, Error, ErrorKind};
use crate::lexical;
use crate::Parser;

/// A request target split into its parts. The path still holds the version
/// segment, which the validator reads as the first segment.
#[derive(Debug)]
pub(crate) struct Target<'a> {
    /// From the first `/` of the path up to the query (may be empty in
    /// absolute-form, which is `incomplete`).
    pub(crate) path: &'a str,
    /// Offset of `path` in the target.
    pub(crate) path_start: usize,
    /// Whether the target was in absolute-form, where a version is required.
    pub(crate) absolute: bool,
    /// The raw query, without its `?`.
    pub(crate) query: Option<&'a str>,
}

type Res<'a, O> = IResult<&'a str, O, ()>;

/// `scheme ":"` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn scheme(input: &str) -> Res<'_, &str> {
    let (rest, first) = take_while1(|c: char| c.is_ascii_alphabetic())(input)?;
    let (rest, more) =
        take_while(|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))(rest)?;
    let (rest, _) = tag(":")(rest)?;
    Ok((rest, &input[..first.len() + more.len()]))
}

/// Splits a target that has passed the byte scan.
pub(crate) fn split<'a>(
    target: &'a str,
    parser: &Parser,
    template: bool,
) -> Result<Target<'a>, Error> {
    // memchr's vectorized search: the whole target is read for its `?`.
    let (before_query, query) = match memchr::memchr(b'?', target.as_bytes()) {
        Some(at) => (&target[..at], Some(&target[at + 1..])),
        None => (target, None),
    };
    // The query is only ever read by the scan; a request target is scanned
    // by the stages that read it (see `validate::request_text`), so scan the
    // query here. Any error makes the caller run the full scan, which
    // reports the right byte.
    if !query.is_none_or(|q| lexical::is_clean(q.as_bytes())) {
        return Err(Error::new(
            ErrorKind::Syntax,
            before_query.len() + 1,
            "the query holds a byte the scan refuses".to_owned(),
        ));
    }
    if before_query.starts_with('/') {
        return Ok(Target {
            path: before_query,
            path_start: 0,
            absolute: false,
            query,
        });
    }
    let Ok((after_scheme, name)) = scheme(before_query) else {
        return Err(Error::new(
            ErrorKind::Syntax,
            0,
            format!(
                "`{}` at byte 0 starts neither an origin-form target (`/...`) nor an absolute URL (`https://...`)",
                snippet(before_query)
            ),
        ));
    };
    if !name.eq_ignore_ascii_case("https") {
        return Err(Error::new(
            ErrorKind::Host,
            0,
            format!(
                "scheme `{}` at byte 0 is not allowed: only `https` is",
                snippet(name)
            ),
        ));
    }
    let authority_input = slashes(before_query, after_scheme)?;
    let authority_start = before_query.len() - authority_input.len();
    let (path, authority) =
        take_till::<_, _, ()>(|c| c == '/')(authority_input).unwrap_or(("", authority_input));
    check_authority(authority, authority_start, parser, template)?;
    Ok(Target {
        path,
        path_start: before_query.len() - path.len(),
        absolute: true,
        query,
    })
}

/// The `//` after `https:`.
fn slashes<'a>(before_query: &str, after_scheme: &'a str) -> Result<&'a str, Error> {
    let mut rest = after_scheme;
    for _ in 0..2 {
        let Ok((after, _)) = tag::<_, _, ()>("/")(rest) else {
            let at = before_query.len() - rest.len();
            return Err(Error::new(
                ErrorKind::Syntax,
                at,
                format!("expected `//` after `https:`, found a bad absolute URL at byte {at}"),
            ));
        };
        rest = after;
    }
    Ok(rest)
}

/// Userinfo, port and host: each wrong one is a `host` error at the authority's start.
fn check_authority(
    authority: &str,
    at: usize,
    parser: &Parser,
    template: bool,
) -> Result<(), Error> {
    if template {
        if let Some(brace) = authority.find(['{', '}']) {
            return Err(Error::new(
                ErrorKind::Syntax,
                at + brace,
                format!("a brace at byte {} is not allowed in the host", at + brace),
            ));
        }
    }
    if !lexical::is_clean(authority.as_bytes()) {
        return Err(Error::new(
            ErrorKind::Syntax,
            at,
            "the authority holds a byte the scan refuses".to_owned(),
        ));
    }
    let host_error = |what: String| Error::new(ErrorKind::Host, at, format!("{what} at byte {at}"));
    if authority.contains('@') {
        return Err(host_error(format!(
            "userinfo in `{}` is not allowed",
            snippet(authority)
        )));
    }
    let host = match authority.split_once(':') {
        Some((host, "443")) => host,
        Some((_, port)) => {
            return Err(host_error(format!(
                "port `{}` is not allowed: only 443 is",
                snippet(port)
            )))
        }
        None => authority,
    };
    if !parser
        .accepted_hosts()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
    {
        let allowed: Vec<&str> = parser.accepted_hosts().collect();
        return Err(host_error(format!(
            "host `{}` is not allowed (expected one of {})",
            snippet(host),
            allowed.join(", ")
        )));
    }
    Ok(())
}
