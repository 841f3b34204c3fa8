//! A line as the CLI reads it (docs/DESIGN.md §6 "CLI lines"): a target, a
//! method and a target, or an HTTP/1.1 request line, as an access log or a
//! list of requests holds them.

use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::combinator::{all_consuming, recognize};
use nom::{IResult, Parser as _};

/// Splits a line into method and target.
///
/// - One `\r` at the end of the line is its line ending (a file with CRLF
///   line endings), not part of the target.
/// - `METHOD TARGET` when the line starts with `[A-Z]+` and one space;
///   otherwise the whole line is the target, and the method is `POST`.
/// - With a method, a line that ends with one space and `HTTP/`, a digit,
///   `.` and a digit is an HTTP/1.1 request line: that suffix is not part
///   of the target, provided a target stands before it (not empty, and not
///   ending with a space: the suffix's space is its own, so a doubled
///   space leaves the whole rest as the target, to be refused there).
///
/// ```
/// use graph_checkout_route::split_request_line;
/// assert_eq!(split_request_line(b"GET /x"), (&b"GET"[..], &b"/x"[..]));
/// assert_eq!(split_request_line(b"/x"), (&b"POST"[..], &b"/x"[..]));
/// assert_eq!(split_request_line(b"post /x"), (&b"POST"[..], &b"post /x"[..]));
/// assert_eq!(split_request_line(b"POST /x HTTP/1.1\r"), (&b"POST"[..], &b"/x"[..]));
/// assert_eq!(split_request_line(b"/x HTTP/1.1"), (&b"POST"[..], &b"/x HTTP/1.1"[..]));
/// ```
pub fn split_request_line(line: &[u8]) -> (&[u8], &[u8]) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let method: IResult<&[u8], &[u8], ()> = (take_while1(|b: u8| b.is_ascii_uppercase()), tag(" "))
        .map(|(method, _)| method)
        .parse_complete(line);
    match method {
        Ok((target, method)) => (method, without_http_version(target)),
        Err(_) => (b"POST", line),
    }
}

/// `target` without a final ` HTTP/d.d`.
fn without_http_version(target: &[u8]) -> &[u8] {
    const SUFFIX: usize = b" HTTP/1.1".len();
    let Some(at) = target.len().checked_sub(SUFFIX) else {
        return target;
    };
    let digit = || take_while_m_n(1, 1, |b: u8| b.is_ascii_digit());
    let mut version = all_consuming(recognize((tag(" HTTP/"), digit(), tag("."), digit())));
    let found: IResult<&[u8], &[u8], ()> = version.parse_complete(&target[at..]);
    match found {
        Ok(_) if at > 0 && target[at - 1] != b' ' => &target[..at],
        _ => target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_drop_their_http_version() {
        let cases: [(&[u8], &[u8], &[u8]); 9] = [
            (b"POST /x HTTP/1.1", b"POST", b"/x"),
            (b"GET /x HTTP/2.0\r", b"GET", b"/x"),
            (b"POST /x  HTTP/1.1", b"POST", b"/x  HTTP/1.1"),
            (b"POST  HTTP/1.1", b"POST", b" HTTP/1.1"),
            (b"POST /x HTTP/1.10", b"POST", b"/x HTTP/1.10"),
            (b"POST /x http/1.1", b"POST", b"/x http/1.1"),
            (b"POST HTTP/1.1", b"POST", b"HTTP/1.1"),
            (b"/x\r\r", b"POST", b"/x\r"),
            (b"POST /x\rHTTP/1.1", b"POST", b"/x\rHTTP/1.1"),
        ];
        for (line, method, target) in cases {
            assert_eq!(split_request_line(line), (method, target), "{line:?}");
        }
    }
}
