//! Stage 1: the checks that look at bytes, not at structure: the length
//! limit, one scan of the whole target for bytes outside the allowed set and
//! malformed percent-escapes (SPEC 6, order of checks 1 and 3), and the
//! decoding helpers the later stages share.

use crate::error::{Error, ErrorKind};

/// Byte classes for the scan.
const OTHER: u8 = 0;
/// Allowed anywhere: `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @ /`.
const PLAIN: u8 = 1;
/// `%`, which must start `%XX`.
const PERCENT: u8 = 2;
/// `?`, which starts the query and may repeat inside it.
const QUERY: u8 = 3;
/// `{` and `}`, allowed in a template's path.
const BRACE: u8 = 4;

static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b: u8 = 0;
    loop {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = PLAIN;
        }
        if b == u8::MAX {
            break;
        }
        b += 1;
    }
    let plain = b"-._~!$&'()*+,=:@/";
    let mut i = 0;
    while i < plain.len() {
        table[plain[i] as usize] = PLAIN;
        i += 1;
    }
    table[b'%' as usize] = PERCENT;
    table[b'?' as usize] = QUERY;
    table[b'{' as usize] = BRACE;
    table[b'}' as usize] = BRACE;
    table
};

/// Step 1: the target's length, before any other work.
#[inline]
pub(crate) fn check_length(len: usize, max: usize) -> Result<(), Error> {
    if len > max {
        return Err(too_long(len, max));
    }
    Ok(())
}

#[cold]
fn too_long(len: usize, max: usize) -> Error {
    Error::new(
        ErrorKind::Limit,
        max,
        format!("the target is {len} bytes long: at most {max} are allowed (the limit is crossed at byte {max})"),
    )
}

/// Step 3: one scan of the whole target, leftmost problem first. Braces pass
/// only in a template's path (before the first `?`); the grammar decides
/// whether they form a placeholder.
pub(crate) fn scan(target: &[u8], template: bool) -> Result<(), Error> {
    match first_problem(target, template) {
        None => Ok(()),
        Some(at) if target[at] == b'%' => Err(Error::new(
            ErrorKind::Encoding,
            at,
            format!(
                "`%` at byte {at} is not followed by two hex digits: write a literal `%` as `%25`"
            ),
        )),
        Some(at) => Err(bad_byte(target[at], at)),
    }
}

/// Whether a piece of a request target passes the scan of step 3.
pub(crate) fn is_clean(piece: &[u8]) -> bool {
    first_problem(piece, false).is_none()
}

/// The offset of the first byte outside the allowed set, or of the first
/// `%` not followed by two hex digits.
fn first_problem(target: &[u8], template: bool) -> Option<usize> {
    let mut in_query = false;
    let mut i = 0;
    while i < target.len() {
        match CLASS[usize::from(target[i])] {
            PLAIN => {}
            PERCENT if escape_at(target, i).is_some() => i += 2,
            QUERY => in_query = true,
            BRACE if template && !in_query => {}
            _ => return Some(i),
        }
        i += 1;
    }
    None
}

/// The byte that the `%XX` escape at `at` stands for, if it is one.
#[inline]
pub(crate) fn escape_at(text: &[u8], at: usize) -> Option<u8> {
    match text.get(at..at + 3)? {
        [b'%', high, low] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
            Some(hex_value(*high) << 4 | hex_value(*low))
        }
        _ => None,
    }
}

/// The `syntax` error for a byte outside the allowed set.
pub(crate) fn bad_byte(b: u8, at: usize) -> Error {
    let found = match b {
        b' ' => "a space".to_owned(),
        b'\t' => "a tab".to_owned(),
        b'\r' => "a carriage return".to_owned(),
        b'\n' => "a line feed".to_owned(),
        0x80.. => format!("the non-ASCII byte 0x{b:02X}"),
        _ if b.is_ascii_graphic() => format!("`{}`", char::from(b)),
        _ => format!("the control byte 0x{b:02X}"),
    };
    let hint = match b {
        b'#' => ": a fragment never reaches the server",
        b';' => ": path parameters are not part of Graph URLs",
        b'\\' => ": backslash is not a path separator",
        0x80.. => ": clients percent-encode non-ASCII",
        _ => ": clients percent-encode it",
    };
    Error::new(
        ErrorKind::Syntax,
        at,
        format!("{found} at byte {at} is not allowed in a request target{hint}"),
    )
}

/// The value of one hex digit (0 for anything else).
pub(crate) fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// The byte a `%XX` escape at `at` stands for.
pub(crate) fn escaped_byte(text: &[u8], at: usize) -> u8 {
    hex_value(text[at + 1]) << 4 | hex_value(text[at + 2])
}

/// Whether a segment is `.` or `..`, written raw or with `%2E` escapes.
#[inline]
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut dots = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' {
            i += 1;
        } else if bytes[i] == b'%'
            && bytes.get(i + 1) == Some(&b'2')
            && matches!(bytes.get(i + 2), Some(b'e' | b'E'))
        {
            i += 3;
        } else {
            return false;
        }
        dots += 1;
        if dots > 2 {
            return false;
        }
    }
    dots > 0
}

/// Percent-decodes `text` once. The scan has checked every escape.
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    // Every `%` starts an escape: the exact length, so that the value
    // becomes a `Box<str>` without a second allocation.
    let escapes = memchr::memchr_iter(b'%', bytes).count();
    let mut out = Vec::with_capacity(bytes.len().saturating_sub(2 * escapes));
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(escaped_byte(bytes, i));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Percent-decodes a key once, into one allocation of `decoded_len`
/// bytes, which the key checks have counted. Every escape must stand for
/// an ASCII byte (the key checks refuse the others first).
pub(crate) fn decode_ascii(text: &str, decoded_len: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(decoded_len);
    let mut i = 0;
    while i < bytes.len() {
        let (byte, width) = escape_at(bytes, i).map_or((bytes[i], 1), |decoded| (decoded, 3));
        out.push(char::from(byte));
        i += width;
    }
    out
}

/// The raw offset (within `text`) of the decoded byte at index `decoded`.
pub(crate) fn raw_offset_of(text: &str, decoded: usize) -> usize {
    let bytes = text.as_bytes();
    let mut raw = 0;
    let mut seen = 0;
    while raw < bytes.len() && seen < decoded {
        raw += if bytes[raw] == b'%' { 3 } else { 1 };
        seen += 1;
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_raw_and_encoded() {
        for dot in [".", "..", "%2e", "%2E", "%2e%2E", ".%2E", "%2e."] {
            assert!(is_dot_segment(dot), "{dot}");
        }
        for not in ["", "...", "%2e%2e%2e", ".a", "%2f", "%2", "a.."] {
            assert!(!is_dot_segment(not), "{not}");
        }
    }

    #[test]
    fn decoding_maps_back_to_raw_offsets() {
        assert_eq!(decode("a%21b%2Fc"), b"a!b/c");
        assert_eq!(raw_offset_of("a%21b%2Fc", 3), 5);
        assert_eq!(raw_offset_of("a%21b%2Fc", 1), 1);
    }
}
