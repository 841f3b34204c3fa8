//! `--input combined`: the request of an access log line in the "combined"
//! or "common" format of nginx and Apache:
//!
//! ```text
//! 127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "POST /v1.0/me/drive/root/checkout HTTP/1.1" 204 0 "-" "curl/8.5.0"
//! ```
//!
//! The request line is the first double-quoted field. It follows the
//! `[time]` field and a space, and a three-digit status follows it; what
//! stands before the time (host, identity, user, an Apache virtual host)
//! and after the status (size, referer, user agent, more fields) is not
//! read. Inside the field, the escapes the servers write are undone:
//! nginx writes `"`, `\` and every byte outside printable ASCII as `\xHH`;
//! Apache writes `\"` and `\\`, whitespace as `\n`, `\t` and the like, and
//! other bytes as `\xhh`.

use super::log_format::{LogFormatError, Reason};

/// The request line of `line`, its escapes undone (in `scratch` when it
/// held any).
pub(crate) fn request_line<'a>(
    line: &'a [u8],
    scratch: &'a mut Vec<u8>,
) -> Result<&'a [u8], LogFormatError> {
    let error = |offset, reason| LogFormatError { offset, reason };
    let open = memchr::memchr(b'"', line).ok_or(error(0, Reason::NoRequestField))?;
    let before = &line[..open];
    if !before.ends_with(b"] ") || !before.contains(&b'[') {
        return Err(error(open, Reason::NoTimestamp));
    }
    let start = open + 1;
    let mut end = start;
    let mut escaped = false;
    loop {
        match line.get(end) {
            None => return Err(error(open, Reason::UnclosedRequestField)),
            Some(b'"') => break,
            Some(b'\\') => {
                escaped = true;
                end += 2;
            }
            Some(_) => end += 1,
        }
    }
    if !has_status(&line[end + 1..]) {
        return Err(error(end + 1, Reason::NoStatus));
    }
    let field = &line[start..end];
    if field.is_empty() || field == b"-" {
        return Err(error(start, Reason::NoRequest));
    }
    if !escaped {
        return Ok(field);
    }
    scratch.clear();
    let mut i = 0;
    while i < field.len() {
        let byte = field[i];
        if byte != b'\\' {
            scratch.push(byte);
            i += 1;
            continue;
        }
        let (decoded, len) = match field.get(i + 1..) {
            Some([b'x', high, low, ..]) => match (hex(*high), hex(*low)) {
                (Some(high), Some(low)) => (high << 4 | low, 4),
                _ => return Err(error(start + i, Reason::UnknownEscape)),
            },
            Some([b'"', ..]) => (b'"', 2),
            Some([b'\\', ..]) => (b'\\', 2),
            Some([b'n', ..]) => (b'\n', 2),
            Some([b'r', ..]) => (b'\r', 2),
            Some([b't', ..]) => (b'\t', 2),
            Some([b'v', ..]) => (0x0B, 2),
            Some([b'f', ..]) => (0x0C, 2),
            _ => return Err(error(start + i, Reason::UnknownEscape)),
        };
        scratch.push(decoded);
        i += len;
    }
    Ok(scratch)
}

/// Whether `after` (what follows the request field's closing quote) starts
/// with a space and a three-digit status that ends the line or a field.
fn has_status(after: &[u8]) -> bool {
    match after {
        [b' ', a, b, c, rest @ ..] => {
            [a, b, c].iter().all(|d| d.is_ascii_digit())
                && matches!(rest.first(), None | Some(b' '))
        }
        _ => false,
    }
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &[u8]) -> Result<Vec<u8>, (usize, Reason)> {
        let mut scratch = Vec::new();
        request_line(line, &mut scratch)
            .map(<[u8]>::to_vec)
            .map_err(|e| (e.offset, e.reason))
    }

    #[test]
    fn the_request_field_is_read_and_unescaped() {
        let nginx = b"127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] \"POST /v1.0/me/drive/root/checkout HTTP/1.1\" 204 0 \"-\" \"curl/8.5.0\"";
        assert_eq!(
            read(nginx).unwrap(),
            b"POST /v1.0/me/drive/root/checkout HTTP/1.1"
        );
        let common =
            b"::1 - alice [01/Dec/2026:10:00:00 +0000] \"GET /x\\x22y\\x5C HTTP/1.0\" 404 153";
        assert_eq!(read(common).unwrap(), b"GET /x\"y\\ HTTP/1.0");
        let apache = b"h - - [t] \"GET /a\\\"b\\\\c\\td HTTP/1.1\" 200 -";
        assert_eq!(read(apache).unwrap(), b"GET /a\"b\\c\td HTTP/1.1");
        let vhost = b"example.com:443 10.0.0.1 - - [t] \"POST /x HTTP/2.0\" 204 0";
        assert_eq!(read(vhost).unwrap(), b"POST /x HTTP/2.0");
    }

    #[test]
    fn each_problem_has_its_reason_and_offset() {
        let cases: [(&[u8], usize, Reason); 8] = [
            (b"POST /x HTTP/1.1", 0, Reason::NoRequestField),
            (b"{\"method\":\"POST\"}", 1, Reason::NoTimestamp),
            (
                b"h - - [t] \"POST /x HTTP/1.1",
                10,
                Reason::UnclosedRequestField,
            ),
            (
                b"h - - [t] \"POST /x\\\" 204 0",
                10,
                Reason::UnclosedRequestField,
            ),
            (b"h - - [t] \"-\" 400 0", 11, Reason::NoRequest),
            (b"h - - [t] \"\" 400 0", 11, Reason::NoRequest),
            (b"h - - [t] \"POST /x\" 2040 0", 19, Reason::NoStatus),
            (b"h - - [t] \"POST /\\q\" 200 0", 17, Reason::UnknownEscape),
        ];
        for (line, offset, reason) in cases {
            assert_eq!(
                read(line),
                Err((offset, reason)),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(
            read(b"h - - [t] \"POST /\\x4\" 200 0"),
            Err((17, Reason::UnknownEscape))
        );
    }
}
