//! Stage 3: the grammar of the path. It cuts the path into URL segments one
//! at a time (so that an earlier segment's error always wins), finds
//! path-based addresses `:/...:`, and reads a keyword segment as a word with
//! an optional `('key')`. It knows nothing of the type graph: the validator
//! asks it for the next piece and decides what the piece means.
//!
//! The `('key')` form and path values are nom parsers. Cutting segments is
//! the hot loop of the crate, so it is a table-driven byte loop instead: one
//! pass that finds the segment's end and, on the way, its first `(`, its
//! first `%` and whether every byte is in the key alphabet, so that neither
//! the keyword nor the key stage has to read the segment again.

use nom::bytes::complete::{tag, take_till};
use nom::IResult;

type Res<'a, O> = IResult<&'a str, O, ()>;

/// One URL path segment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    /// The segment as written, between two `/` (or a `/` and the path's end).
    pub(crate) raw: &'a str,
    /// The segment without the `:` that opens a path-based address.
    pub(crate) text: &'a str,
    /// Offset of the segment's first byte in the target.
    pub(crate) start: usize,
    /// Offset of the `:` that opens a path-based address right after this
    /// segment: a `:` that ends the segment and is followed by `/`.
    pub(crate) opener: Option<usize>,
    /// Whether a `/` follows the segment (otherwise the path ends there).
    pub(crate) followed_by_slash: bool,
    /// Whether every byte of `text` is in the key alphabet of SPEC 1.4
    /// (`A-Z a-z 0-9 - . _ ~ ! , @`): such a key needs no decoding.
    pub(crate) plain: bool,
    /// Offset in `raw` of the first `(`.
    paren: Option<usize>,
    /// Offset in `raw` of the first `%`.
    percent: Option<usize>,
}

impl Segment<'_> {
    /// Where an empty segment is reported: the superfluous `/`, which is the
    /// second `/` of `//` or a trailing `/` itself.
    pub(crate) fn empty_offset(&self) -> usize {
        if self.followed_by_slash {
            self.start
        } else {
            self.start - 1
        }
    }
}

/// A path-based address: the part of `root:/a/b.txt:` between `:/` and `:`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathAddress<'a> {
    /// The raw value, without the leading `/` or the closing `:`.
    pub(crate) value: &'a str,
    /// Offset of `value` in the target.
    pub(crate) start: usize,
    /// Whether a closing `:` was found before the end of the path.
    pub(crate) closed: bool,
}

impl<'a> PathAddress<'a> {
    /// The URL segments inside the address, with their offsets.
    pub(crate) fn segments(&self) -> impl Iterator<Item = Segment<'a>> + 'a {
        let value = self.value;
        let base = self.start;
        let mut offset = 0;
        value.split('/').map(move |raw| {
            let start = base + offset;
            offset += raw.len() + 1;
            Segment {
                raw,
                text: raw,
                start,
                opener: None,
                followed_by_slash: offset <= value.len(),
                plain: false,
                paren: None,
                percent: None,
            }
        })
    }
}

/// Walks a path piece by piece.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    path: &'a str,
    rest: &'a str,
    base: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over `path`, which starts at `base` in the target.
    pub(crate) fn new(path: &'a str, base: usize) -> Cursor<'a> {
        Cursor {
            path,
            rest: path,
            base,
        }
    }

    fn offset(&self, rest: &str) -> usize {
        self.base + self.path.len() - rest.len()
    }

    /// The next URL segment, or `None` at the end of the path.
    #[inline]
    pub(crate) fn next_segment(&mut self) -> Option<Segment<'a>> {
        let after_slash = self.rest.strip_prefix('/')?;
        let scan = scan_segment(after_slash.as_bytes());
        let (raw, rest) = after_slash.split_at(scan.end);
        let followed_by_slash = !rest.is_empty();
        let opens_path = followed_by_slash && raw.ends_with(':');
        let text_len = raw.len() - usize::from(opens_path);
        let start = self.offset(after_slash);
        self.rest = rest;
        Some(Segment {
            raw,
            text: &raw[..text_len],
            start,
            opener: opens_path.then(|| start + text_len),
            followed_by_slash,
            plain: scan.first_non_key >= text_len,
            paren: scan.paren,
            percent: scan.percent,
        })
    }

    /// The path-based address that the last segment opened. It runs from the
    /// `/` after the opening `:` to the first `:` followed by `/` or by the
    /// end of the path; without one, to the end of the path.
    pub(crate) fn path_address(&mut self) -> PathAddress<'a> {
        let body = self.rest.strip_prefix('/').unwrap_or(self.rest);
        let start = self.offset(body);
        let (rest, value) = path_value(body);
        let closed = rest.starts_with(':');
        self.rest = rest.strip_prefix(':').unwrap_or(rest);
        PathAddress {
            value,
            start,
            closed,
        }
    }
}

/// What one pass over a segment found.
struct SegmentScan {
    /// The offset of the next `/` (or the end of the input).
    end: usize,
    /// The offset of the first byte outside the key alphabet (or `end`).
    first_non_key: usize,
    paren: Option<usize>,
    percent: Option<usize>,
}

// Only the key class has bit 0 set, so the AND of a run of classes is
// `KEY_BYTE` exactly when every byte of the run is a key byte.
const KEY_BYTE: u8 = 1;
const SLASH: u8 = 2;
const OPEN_PAREN: u8 = 4;
const PERCENT: u8 = 6;
const OTHER: u8 = 0;

/// Byte classes for [`scan_segment`].
static SEGMENT_BYTES: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'!' | b',' | b'@')
        {
            table[b as usize] = KEY_BYTE;
        }
        b += 1;
    }
    table[b'/' as usize] = SLASH;
    table[b'(' as usize] = OPEN_PAREN;
    table[b'%' as usize] = PERCENT;
    table
};

/// The length of the run of key bytes that `bytes` starts with.
///
/// Most of a target is IDs: they are taken eight bytes at a time, with the
/// AND of the eight byte classes and no branch per byte, up to the first
/// group that holds anything else.
#[inline]
pub(crate) fn key_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(group) = bytes[i..].first_chunk::<8>() {
        let classes = group
            .iter()
            .fold(KEY_BYTE, |all, &b| all & SEGMENT_BYTES[usize::from(b)]);
        if classes != KEY_BYTE {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && SEGMENT_BYTES[usize::from(bytes[i])] == KEY_BYTE {
        i += 1;
    }
    i
}

/// One pass over a segment: up to the next `/`.
#[inline]
fn scan_segment(bytes: &[u8]) -> SegmentScan {
    let mut scan = SegmentScan {
        end: bytes.len(),
        first_non_key: bytes.len(),
        paren: None,
        percent: None,
    };
    let mut i = key_run(bytes);
    while i < bytes.len() {
        match SEGMENT_BYTES[usize::from(bytes[i])] {
            KEY_BYTE => {}
            SLASH => {
                scan.end = i;
                scan.first_non_key = scan.first_non_key.min(i);
                return scan;
            }
            class => {
                scan.first_non_key = scan.first_non_key.min(i);
                if class == OPEN_PAREN {
                    scan.paren.get_or_insert(i);
                } else if class == PERCENT {
                    scan.percent.get_or_insert(i);
                }
            }
        }
        i += 1;
    }
    scan
}

/// Splits `input` before the first `stop` byte: `(rest, taken)`, the order
/// of nom's results. Runs nom on bytes, which is a plain byte loop; `stop`
/// is ASCII, so the split is always on a character boundary.
#[inline]
fn till_byte(input: &str, stop: u8) -> (&str, &str) {
    let taken = take_till::<_, &[u8], ()>(|b| b == stop)(input.as_bytes())
        .map_or(input.len(), |(_, taken)| taken.len());
    let (taken, rest) = input.split_at(taken);
    (rest, taken)
}

/// A path-address value: everything up to a `:` that is followed by `/` or
/// ends the path. The rest starts at that `:` (or is empty when unclosed).
fn path_value(input: &str) -> (&str, &str) {
    let mut taken = 0;
    loop {
        let (rest, run) = till_byte(&input[taken..], b':');
        taken += run.len();
        match rest.as_bytes() {
            [] | [b':'] | [b':', b'/', ..] => return (&input[taken..], &input[..taken]),
            _ => taken += 1,
        }
    }
}

/// A segment where a keyword belongs, read as `word` or `word(...)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeywordSegment<'a> {
    /// The part before any `(`.
    pub(crate) word: &'a str,
    /// Offset of the `(`, if there is one.
    pub(crate) paren: Option<usize>,
    /// From the `(` to the end of the segment.
    pub(crate) parenthesized: &'a str,
    /// Offset of the first `%` in the word: keywords are never escaped.
    pub(crate) escape: Option<usize>,
}

/// Reads a keyword segment: the word before its first `(`, and any `%` in
/// that word, from what [`Cursor::next_segment`] already found.
#[inline]
pub(crate) fn keyword_segment<'a>(segment: &Segment<'a>) -> KeywordSegment<'a> {
    let text = segment.text;
    let paren = segment.paren.filter(|&i| i < text.len());
    let word_len = paren.unwrap_or(text.len());
    KeywordSegment {
        word: &text[..word_len],
        paren: paren.map(|i| segment.start + i),
        parenthesized: &text[word_len..],
        escape: segment
            .percent
            .filter(|&i| i < word_len)
            .map(|i| segment.start + i),
    }
}

/// What is wrong with a `('key')` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParenError {
    /// Malformed at this offset (`syntax`).
    Syntax(usize, &'static str),
    /// `('')`: the key at this offset is empty (`invalid_id`).
    EmptyKey(usize),
}

/// Reads `('KEY')`, the OData parenthesized key: the whole rest of the
/// segment, starting at the `(` at offset `at`. Gives the key and its offset.
pub(crate) fn paren_key(text: &str, at: usize) -> Result<(&str, usize), ParenError> {
    let offset = |rest: &str| at + text.len() - rest.len();
    let open: Res<'_, &str> = tag("(")(text);
    let Ok((rest, _)) = open else {
        return Err(ParenError::Syntax(at, "expected `(`"));
    };
    let quote: Res<'_, &str> = tag("'")(rest);
    let Ok((key_input, _)) = quote else {
        return Err(ParenError::Syntax(
            offset(rest),
            "expected `'` after `(`: keys in parentheses are quoted",
        ));
    };
    let key_start = offset(key_input);
    let (rest, key) = till_byte(key_input, b'\'');
    let closing: Res<'_, &str> = tag("'")(rest);
    let Ok((rest, _)) = closing else {
        return Err(ParenError::Syntax(
            offset(rest),
            "the quoted key has no closing `'`",
        ));
    };
    let close: Res<'_, &str> = tag(")")(rest);
    let Ok((rest, _)) = close else {
        return Err(ParenError::Syntax(
            offset(rest),
            "expected `)` after the quoted key",
        ));
    };
    if !rest.is_empty() {
        return Err(ParenError::Syntax(
            offset(rest),
            "nothing may follow `)` in a segment",
        ));
    }
    if key.is_empty() {
        return Err(ParenError::EmptyKey(key_start));
    }
    Ok((key, key_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Vec<(String, usize, Option<usize>)> {
        let mut cursor = Cursor::new(path, 0);
        let mut out = Vec::new();
        while let Some(segment) = cursor.next_segment() {
            out.push((segment.text.to_owned(), segment.start, segment.opener));
            if segment.opener.is_some() {
                let address = cursor.path_address();
                out.push((format!("<{}>", address.value), address.start, None));
            }
        }
        out
    }

    #[test]
    fn cuts_segments_and_addresses() {
        assert_eq!(
            segments("/me/drive/root:/a/b.txt:/checkout"),
            vec![
                ("me".to_owned(), 1, None),
                ("drive".to_owned(), 4, None),
                ("root".to_owned(), 10, Some(14)),
                ("<a/b.txt>".to_owned(), 16, None),
                ("checkout".to_owned(), 25, None),
            ]
        );
        // A `:` inside the value does not close it unless `/` or the end follows.
        assert_eq!(segments("/root:/a:b:")[1], ("<a:b>".to_owned(), 7, None));
        // Unclosed: runs to the end.
        assert_eq!(
            segments("/root:/a/checkout")[1],
            ("<a/checkout>".to_owned(), 7, None)
        );
        // A trailing `:` with nothing after it opens nothing.
        assert_eq!(segments("/root:"), vec![("root:".to_owned(), 1, None)]);
    }

    #[test]
    fn reads_parenthesized_keys() {
        assert_eq!(paren_key("('abc')", 10), Ok(("abc", 12)));
        assert!(matches!(
            paren_key("(abc)", 10),
            Err(ParenError::Syntax(11, _))
        ));
        assert!(matches!(
            paren_key("('abc", 10),
            Err(ParenError::Syntax(15, _))
        ));
        assert!(matches!(
            paren_key("('a')b", 10),
            Err(ParenError::Syntax(15, _))
        ));
        assert!(matches!(
            paren_key("('a'b", 10),
            Err(ParenError::Syntax(14, _))
        ));
        assert_eq!(paren_key("('')", 10), Err(ParenError::EmptyKey(12)));
    }
}
