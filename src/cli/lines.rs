//! The lines of the CLI's input, read with bounded memory.
//!
//! Input is split on `\n`. A line longer than a request target can be (the
//! length limit, plus room for a method, an HTTP version and a `\r`) is
//! read to its end without being kept: only its first bytes, its length
//! and what the length check needs are. So a 200 MB line costs the buffer
//! of a long target, not 200 MB, and still gets its `limit` error.

use std::io::{self, BufRead, BufReader, Read};

/// Room beyond the target limit for `METHOD ` of a request that could
/// still be within the limit, ` HTTP/d.d` and `\r`.
const SLACK: usize = 16;

/// A UTF-8 byte order mark, skipped at the start of the input.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One line, as far as it is kept.
pub(crate) enum Line<'a> {
    /// The whole line, without its `\n`.
    Kept(&'a [u8]),
    /// A line too long to keep.
    Long(LongLine<'a>),
}

/// What is known of a line too long to keep.
pub(crate) struct LongLine<'a> {
    /// Its first bytes.
    pub(crate) head: &'a [u8],
    /// Its length, without its `\n`.
    pub(crate) len: usize,
    /// The length of its target: the line without a `METHOD ` prefix, a
    /// final ` HTTP/d.d` and `\r` (as `split_request_line` reads a line).
    pub(crate) target_len: usize,
    /// The length of its `[A-Z]+` method prefix, when a space follows it.
    pub(crate) method_len: Option<usize>,
}

/// The lines of an input.
pub(crate) struct Lines<R> {
    input: R,
    kept: Vec<u8>,
    keep: usize,
    first: bool,
    consumed: u64,
}

/// How long a line may be and still be kept whole when its target may be
/// at most `max_target_len` bytes long.
pub(crate) fn keep_for_targets(max_target_len: usize) -> usize {
    max_target_len.saturating_add(SLACK)
}

impl<R: BufRead> Lines<R> {
    /// The lines of `input`, keeping whole the lines of at most `keep`
    /// bytes. A byte order mark at its start is skipped.
    pub(crate) fn new(input: R, keep: usize) -> Lines<R> {
        Lines {
            input,
            kept: Vec::with_capacity(256),
            keep,
            first: true,
            consumed: 0,
        }
    }

    /// The same, for a part of an input after its start: a byte order
    /// mark there is not skipped.
    pub(crate) fn after_start(mut self) -> Lines<R> {
        self.first = false;
        self
    }

    /// How many bytes of the input the lines so far took.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next line; `None` at the end of the input. A last line without
    /// `\n` counts, and so does an empty line.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.kept.clear();
        let mut len = 0;
        // The `[A-Z]+` run the line starts with, and whether it is over.
        let mut upper = 0;
        let mut upper_ended_by = None;
        // The line's last bytes, for its `\r` and ` HTTP/d.d`.
        let mut tail: Vec<u8> = Vec::with_capacity(2 * SLACK);
        let mut read_any = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                if !read_any {
                    return Ok(None);
                }
                break;
            }
            read_any = true;
            let (part, newline) = match memchr::memchr(b'\n', chunk) {
                Some(at) => (&chunk[..at], true),
                None => (chunk, false),
            };
            if upper_ended_by.is_none() {
                let run = part.iter().take_while(|b| b.is_ascii_uppercase()).count();
                upper += run;
                upper_ended_by = part.get(run).copied();
            }
            let room = self.keep.saturating_sub(self.kept.len());
            self.kept.extend_from_slice(&part[..part.len().min(room)]);
            tail.extend_from_slice(&part[part.len().saturating_sub(SLACK)..]);
            let excess = tail.len().saturating_sub(SLACK);
            tail.drain(..excess);
            len += part.len();
            let used = part.len() + usize::from(newline);
            self.input.consume(used);
            self.consumed += used as u64;
            if newline {
                break;
            }
        }
        let bom = std::mem::take(&mut self.first) && self.kept.starts_with(BOM);
        let start = if bom { BOM.len() } else { 0 };
        if len <= self.keep {
            return Ok(Some(Line::Kept(&self.kept[start..])));
        }
        let method_len = (upper > 0 && upper_ended_by == Some(b' ')).then_some(upper);
        Ok(Some(Line::Long(LongLine {
            head: &self.kept[start..],
            len: len - start,
            target_len: target_len(len - start, method_len, &tail),
            method_len,
        })))
    }
}

impl<R: Read> Lines<BufReader<R>> {
    /// Whether everything read from the input so far has been handed out
    /// as lines: the next line needs a read, which may wait (a pipe), so
    /// what was written for the lines before should be flushed first.
    pub(crate) fn drained(&self) -> bool {
        self.input.buffer().is_empty()
    }

    /// What was read from the input and not yet handed out as lines.
    pub(crate) fn leftover(&self) -> &[u8] {
        self.input.buffer()
    }
}

/// The length of a line's target, from the line's length, its method
/// prefix and its last bytes, by the rules of `split_request_line`.
fn target_len(len: usize, method_len: Option<usize>, tail: &[u8]) -> usize {
    let mut len = len;
    let mut tail = tail;
    if let Some(rest) = tail.strip_suffix(b"\r") {
        len -= 1;
        tail = rest;
    }
    let Some(method_len) = method_len else {
        return len;
    };
    len -= method_len + 1;
    let http = tail.len() >= 9 && {
        let v = &tail[tail.len() - 9..];
        v.starts_with(b" HTTP/") && v[6].is_ascii_digit() && v[7] == b'.' && v[8].is_ascii_digit()
    };
    if http {
        len - 9
    } else {
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> Vec<String> {
        let mut lines = Lines::new(input, keep_for_targets(max));
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            out.push(match line {
                Line::Kept(line) => String::from_utf8_lossy(line).into_owned(),
                Line::Long(long) => format!(
                    "long {} {:?} {}",
                    long.target_len,
                    long.method_len,
                    String::from_utf8_lossy(long.head)
                ),
            });
        }
        out
    }

    #[test]
    fn lines_split_on_newline_only() {
        assert_eq!(read(b"a\r\n\nb", 100), ["a\r", "", "b"]);
        assert_eq!(read(b"", 100), Vec::<String>::new());
        assert_eq!(read(b"\n", 100), [""]);
        assert_eq!(
            read(b"\xEF\xBB\xBFa\n\xEF\xBB\xBFb", 100),
            ["a", "\u{feff}b"]
        );
    }

    #[test]
    fn long_lines_are_measured_not_kept() {
        let mut input = b"POST /".to_vec();
        input.extend(std::iter::repeat_n(b'a', 100));
        input.extend_from_slice(b" HTTP/1.1\r\nnext\n");
        let got = read(&input, 10);
        assert_eq!(got.len(), 2);
        assert!(
            got[0].starts_with("long 101 Some(4) POST /aaaa"),
            "{}",
            got[0]
        );
        assert_eq!(got[0].len(), "long 101 Some(4) ".len() + 26);
        assert_eq!(got[1], "next");
        // A long method, a short target.
        let mut input = vec![b'A'; 100];
        input.extend_from_slice(b" /x");
        assert_eq!(read(&input, 10)[0].split(' ').nth(1), Some("2"));
    }
}
