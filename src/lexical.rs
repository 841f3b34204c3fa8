//! Stage 1: what is decided by bytes alone, before any structure: the byte
//! classes (written once, here, in one table), the length limit, the scan of
//! the whole target for bytes outside the allowed set and malformed
//! percent-escapes (docs/DESIGN.md §6, order of checks 1 and 3), and the
//! escape helpers and the path encoder that later stages share.

use std::fmt::{self, Write};

use crate::error::{Error, Located, Reason};
use crate::model::KeyRule;

/// Allowed raw anywhere in a target: `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @ /`.
const ALLOWED: u8 = 1;
/// In the key alphabet: `A-Z a-z 0-9 - . _ ~ ! , @` (docs/DESIGN.md §1.4).
pub(crate) const KEY: u8 = 2;
/// Printed raw in a canonical path value: the allowed bytes but `/`
/// (docs/DESIGN.md §6 "Output").
const PATH_SAFE: u8 = 4;

/// The key alphabet, `A-Z a-z 0-9 - . _ ~ ! , @` (DESIGN §1.4), as the
/// ranges of bytes it is made of: its one definition. The byte table below
/// and the sixteen-byte check are both built from it.
const KEY_RANGES: &[(u8, u8)] = &[
    (b'0', b'9'),
    (b'@', b'Z'),
    (b'a', b'z'),
    (b',', b'.'),
    (b'_', b'_'),
    (b'~', b'~'),
    (b'!', b'!'),
];

/// The bytes allowed raw anywhere in a target (DESIGN §1.5),
/// `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @ /`, as ranges: their one
/// definition.
const ALLOWED_RANGES: &[(u8, u8)] = &[
    (b'&', b':'),
    (b'@', b'Z'),
    (b'a', b'z'),
    (b'!', b'!'),
    (b'$', b'$'),
    (b'=', b'='),
    (b'_', b'_'),
    (b'~', b'~'),
];

/// Whether `b` is in one of `ranges`. Comparisons without branches, so
/// that the compiler can run it on sixteen bytes at once ([`all_in`]).
#[inline]
const fn in_ranges(b: u8, ranges: &[(u8, u8)]) -> bool {
    let mut found = false;
    let mut i = 0;
    while i < ranges.len() {
        let (low, high) = ranges[i];
        // Bitwise, not lazy: a branch per byte would stop the vector code.
        found |= b.wrapping_sub(low) <= high - low;
        i += 1;
    }
    found
}

/// Whether sixteen bytes are all in `ranges`: one pass with no branch per
/// byte, which the compiler turns into vector instructions (the ranges
/// are constants where it is called).
#[inline]
fn all_in(chunk: &[u8; 16], ranges: &[(u8, u8)]) -> bool {
    chunk
        .iter()
        .fold(true, |all, &b| all & in_ranges(b, ranges))
}

/// Whether sixteen bytes are all in the key alphabet.
#[inline]
pub(crate) fn all_key_bytes(chunk: &[u8; 16]) -> bool {
    all_in(chunk, KEY_RANGES)
}

/// The class bits of every byte. Bytes 0x80 and up are in no class.
static CLASSES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        if in_ranges(b, KEY_RANGES) {
            table[b as usize] |= KEY;
        }
        if in_ranges(b, ALLOWED_RANGES) {
            table[b as usize] |= ALLOWED;
            if b != b'/' {
                table[b as usize] |= PATH_SAFE;
            }
        }
        b += 1;
    }
    table
};

/// The class bits of a byte.
#[inline]
pub(crate) fn class(b: u8) -> u8 {
    CLASSES[usize::from(b)]
}

/// Whether `b` is in the key alphabet.
#[inline]
pub(crate) fn is_key_byte(b: u8) -> bool {
    class(b) & KEY != 0
}

/// Whether `b` may stand raw in a target (outside the query).
#[inline]
pub(crate) fn is_allowed_raw(b: u8) -> bool {
    class(b) & ALLOWED != 0
}

/// Step 1: the target's length, before any other work.
#[inline]
pub(crate) fn check_length(len: usize, max: usize) -> Result<(), Error> {
    if len > max {
        return Err(Error::new(max, Reason::TooLong { len, max }));
    }
    Ok(())
}

/// Step 3: one scan of the whole target, leftmost problem first. Braces pass
/// only in a template's path (before the first `?`); the grammar decides
/// whether they form a placeholder.
pub(crate) fn scan(target: &[u8], template: bool) -> Result<(), Error> {
    match first_problem(target, template) {
        None => Ok(()),
        Some(at) => Err(Error::new(at, problem(target[at]))),
    }
}

/// The scan of step 3 on a piece of a request target (no braces): the
/// first problem in the piece, where it is.
pub(crate) fn scan_piece(piece: &str) -> Result<(), Located<'_>> {
    match first_problem(piece.as_bytes(), false) {
        None => Ok(()),
        Some(at) => Err(Located::new(&piece[at..], problem(piece.as_bytes()[at]))),
    }
}

/// Whether a piece of a request target passes the scan of step 3.
pub(crate) fn is_clean(piece: &[u8]) -> bool {
    first_problem(piece, false).is_none()
}

/// What the scan found wrong with the byte it stopped at.
fn problem(b: u8) -> Reason {
    if b == b'%' {
        Reason::BadPercent
    } else {
        Reason::BadByte(b)
    }
}

/// The offset of the first byte outside the allowed set, or of the first
/// `%` not followed by two hex digits.
fn first_problem(target: &[u8], template: bool) -> Option<usize> {
    let mut in_query = false;
    let mut i = 0;
    while i < target.len() {
        // Sixteen plain bytes at a time; a `%`, `?`, brace or bad byte in
        // them sends the loop byte by byte until the next sixteen.
        if let Some(chunk) = target[i..].first_chunk::<16>() {
            if all_in(chunk, ALLOWED_RANGES) {
                i += 16;
                continue;
            }
        }
        let b = target[i];
        if class(b) & ALLOWED == 0 {
            match b {
                b'%' if escape_at(target, i).is_some() => i += 2,
                b'?' => in_query = true,
                b'{' | b'}' if template && !in_query => {}
                _ => return Some(i),
            }
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

/// The value of one hex digit (0 for anything else).
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
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

/// Percent-decodes `text` once, into one allocation of `decoded_len` bytes
/// (the caller counted them). Every `%` starts an escape: the scan, or the
/// key checks, have made sure.
pub(crate) fn decode(text: &str, decoded_len: usize) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(decoded_len);
    let mut i = 0;
    while i < bytes.len() {
        if let Some(decoded) = escape_at(bytes, i) {
            out.push(decoded);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The length of `text` once decoded: every `%` starts an escape.
pub(crate) fn decoded_len(text: &str) -> usize {
    text.len() - 2 * memchr::memchr_iter(b'%', text.as_bytes()).count()
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

/// Writes a decoded path value percent-encoded minimally (docs/DESIGN.md §6
/// "Output"): every UTF-8 byte outside
/// ``A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , = : @`` as `%XX`, uppercase;
/// `/` stays the separator.
pub(crate) fn write_path(out: &mut impl Write, value: &str) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = value.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if class(b) & PATH_SAFE != 0 || b == b'/' {
            continue;
        }
        // A run of safe bytes starts after a whole character and ends before
        // one: a byte of a multi-byte character is never safe.
        if run < i {
            out.write_str(&value[run..i])?;
        }
        out.write_char('%')?;
        out.write_char(char::from(HEX[usize::from(b >> 4)]))?;
        out.write_char(char::from(HEX[usize::from(b & 0xF)]))?;
        run = i + 1;
    }
    out.write_str(&value[run..])
}

/// Writes a decoded key as the canonical form prints it (docs/DESIGN.md §6
/// "Output"): as it is, since its alphabet needs no escape, but for the
/// bytes some keys add to it: a space in a list id as `%20`, and a `:`
/// that ends a channel id as `%3A`, so that it cannot open a path-based
/// address.
pub(crate) fn write_key(out: &mut impl Write, value: &str, rule: KeyRule) -> fmt::Result {
    match rule {
        KeyRule::ListId => {
            for (i, piece) in value.split(' ').enumerate() {
                if i > 0 {
                    out.write_str("%20")?;
                }
                out.write_str(piece)?;
            }
            Ok(())
        }
        KeyRule::Channel => match value.strip_suffix(':') {
            Some(rest) => {
                out.write_str(rest)?;
                out.write_str("%3A")
            }
            None => out.write_str(value),
        },
        KeyRule::Any | KeyRule::Share | KeyRule::SpecialFolder => out.write_str(value),
    }
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
        assert_eq!(decode("a%21b%2Fc", decoded_len("a%21b%2Fc")), b"a!b/c");
        assert_eq!(raw_offset_of("a%21b%2Fc", 3), 5);
        assert_eq!(raw_offset_of("a%21b%2Fc", 1), 1);
    }

    #[test]
    fn paths_are_encoded_minimally() {
        let mut out = String::new();
        write_path(&mut out, "Q3 Report/Отчет#1%.docx").unwrap();
        assert_eq!(
            out,
            "Q3%20Report/%D0%9E%D1%82%D1%87%D0%B5%D1%82%231%25.docx"
        );
    }

    /// The sixteen-byte checks are the byte table, byte for byte: every
    /// byte value in every lane, among key bytes.
    #[test]
    fn sixteen_bytes_at_once_agree_with_the_table() {
        for lane in 0..16 {
            for b in 0..=255u8 {
                let mut chunk = *b"abcdefghijklmnop";
                chunk[lane] = b;
                assert_eq!(
                    all_key_bytes(&chunk),
                    is_key_byte(b),
                    "{b:#04x} in lane {lane}"
                );
                assert_eq!(
                    all_in(&chunk, ALLOWED_RANGES),
                    class(b) & ALLOWED != 0,
                    "{b:#04x} in lane {lane}"
                );
            }
        }
        let allowed: Vec<u8> = (0..=255u8).filter(|&b| class(b) & ALLOWED != 0).collect();
        let mut expected: Vec<u8> = b"-._~!$&'()*+,=:@/".to_vec();
        expected.extend((0..=255u8).filter(u8::is_ascii_alphanumeric));
        expected.sort_unstable();
        assert_eq!(allowed, expected);
        let expected: Vec<u8> = (0..=255u8)
            .filter(|b| b.is_ascii_alphanumeric() || b"-._~!,@".contains(b))
            .collect();
        let found: Vec<u8> = (0..=255u8).filter(|&b| is_key_byte(b)).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn the_classes_nest() {
        for b in 0..=255u8 {
            if is_key_byte(b) {
                assert!(class(b) & ALLOWED != 0 && class(b) & PATH_SAFE != 0, "{b}");
            }
            if class(b) & PATH_SAFE != 0 {
                assert!(class(b) & ALLOWED != 0, "{b}");
            }
        }
    }
}
