//! Stage 3: the grammar of the path (docs/DESIGN.md §6). It cuts the path
//! into URL segments one at a time, so that an earlier segment's error
//! always wins, and reads each segment's shape: a keyword with an optional
//! `('key')`, a key, the `:` that opens a path-based address, a path value,
//! a template placeholder. It knows nothing of the type graph: the walk
//! (`validate`) asks for the next piece and decides what it means.
//!
//! The shapes are nom parsers. Two primitives are hand-written, because the
//! walk spends most of its time in them and a table-driven loop beats a
//! chain of combinators there: [`segment`], one pass over a segment that
//! finds its end and, on the way, its first `(`, its first `%` and whether
//! every byte is a key byte; and [`keyword_at`], which matches a keyword in
//! place, eight bytes at a time. Both keep nom's signature (`input -> (rest,
//! output)`), so they compose like any other parser.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while1, take_while_m_n};
use nom::combinator::{all_consuming, eof, recognize};
use nom::multi::{many1_count, separated_list1};
use nom::sequence::delimited;
use nom::{IResult, Parser};

use crate::error::{Located, ParenFault, Reason};
use crate::lexical::{self, KEY};
use crate::model::{self, Edge, Graph, Keyword, Next, Type, Via, EDGES, SPELLINGS};

/// The result of a grammar rule: the rest of the input and what was read.
pub(crate) type Parsed<'a, O> = Result<(&'a str, O), Located<'a>>;

/// Runs a nom parser that must match at `input`, or fails there with
/// `reason`.
pub(crate) fn expect<'a, O>(
    input: &'a str,
    mut parser: impl Parser<&'a str, Output = O, Error = ()>,
    reason: impl FnOnce() -> Reason,
) -> Parsed<'a, O> {
    parser
        .parse_complete(input)
        .map_err(|_| Located::new(input, reason()))
}

/// One URL path segment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    /// The segment as written, between two `/` (or a `/` and the path's end).
    pub(crate) raw: &'a str,
    /// The segment without the `:` that opens a path-based address.
    pub(crate) text: &'a str,
    /// Whether `raw` ends with a `:` that opens a path-based address: a `:`
    /// that ends the segment and is followed by `/`.
    pub(crate) opens_path: bool,
    /// Whether a `/` follows the segment (otherwise the path ends there).
    pub(crate) followed_by_slash: bool,
    /// Whether every byte of `text` is in the key alphabet: such a key
    /// needs no decoding.
    pub(crate) plain: bool,
    /// Offset in `raw` of the first `(`.
    paren: Option<usize>,
    /// Offset in `raw` of the first `%`.
    percent: Option<usize>,
}

impl<'a> Segment<'a> {
    /// The `:` that opens a path-based address after this segment.
    pub(crate) fn opener(&self) -> Option<&'a str> {
        self.opens_path.then(|| &self.raw[self.text.len()..])
    }
}

/// Cuts the segment that `input` (the path after a `/`) starts with. Never
/// fails; the rest starts at the next `/` or is empty.
///
/// Hand-written: one pass over the bytes finds the end and the facts the
/// keyword and key rules need, so that neither reads the segment again.
#[inline]
pub(crate) fn segment(input: &str) -> (&str, Segment<'_>) {
    let bytes = input.as_bytes();
    let mut end = bytes.len();
    let mut first_non_key = None;
    let mut paren = None;
    let mut percent = None;
    let mut i = key_run(bytes);
    while i < bytes.len() {
        let b = bytes[i];
        if lexical::class(b) & KEY == 0 {
            if b == b'/' {
                end = i;
                break;
            }
            first_non_key.get_or_insert(i);
            if b == b'(' {
                paren.get_or_insert(i);
            } else if b == b'%' {
                percent.get_or_insert(i);
            }
        }
        i += 1;
    }
    let (raw, rest) = input.split_at(end);
    let followed_by_slash = !rest.is_empty();
    let opens_path = followed_by_slash && raw.ends_with(':');
    let text_len = raw.len() - usize::from(opens_path);
    let segment = Segment {
        raw,
        text: &raw[..text_len],
        opens_path,
        followed_by_slash,
        plain: first_non_key.is_none_or(|at| at >= text_len),
        paren,
        percent,
    };
    (rest, segment)
}

/// The length of the run of key bytes that `bytes` starts with.
///
/// Most of a target is IDs, so they are taken sixteen bytes at a time
/// ([`lexical::all_key_bytes`], vector instructions) up to the first
/// sixteen that hold anything else; in those, the first other byte is
/// found eight bytes at a time from a mask ([`lexical::non_key_lanes`]),
/// with no branch per byte, which a varied input would mispredict; the
/// last bytes of the input, byte by byte.
#[inline]
pub(crate) fn key_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes[i..].first_chunk::<16>() {
        if !lexical::all_key_bytes(chunk) {
            break;
        }
        i += 16;
    }
    while i < bytes.len() && lexical::is_key_byte(bytes[i]) {
        i += 1;
    }
    i
}

/// A segment where a keyword belongs: the word and its `('key')`, if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeywordSegment<'a> {
    /// The part before any `(`.
    pub(crate) word: &'a str,
    /// From the `(` to the end of the segment's text.
    pub(crate) parenthesized: Option<&'a str>,
    /// The first `%` in the word: keywords are never escaped.
    pub(crate) escape: Option<&'a str>,
}

/// Reads a keyword segment as `word` or `word(...)`, from what [`segment`]
/// already found.
pub(crate) fn keyword_segment<'a>(segment: &Segment<'a>) -> KeywordSegment<'a> {
    let text = segment.text;
    let word_len = segment
        .paren
        .filter(|&i| i < text.len())
        .unwrap_or(text.len());
    let (word, parenthesized) = text.split_at(word_len);
    KeywordSegment {
        word,
        parenthesized: (!parenthesized.is_empty()).then_some(parenthesized),
        escape: segment
            .percent
            .filter(|&i| i < word_len)
            .map(|i| &text[i..]),
    }
}

/// `('KEY')`, the OData parenthesized key, filling the rest of the segment
/// from its `(`. Gives the key.
pub(crate) fn paren_key(input: &str, keyword: Keyword) -> Parsed<'_, &str> {
    let fault = |fault| move || Reason::Paren { keyword, fault };
    let (rest, _) = expect(input, tag::<_, _, ()>("("), fault(ParenFault::Quote))?;
    let (key_input, _) = expect(rest, tag("'"), fault(ParenFault::Quote))?;
    let (rest, key) = expect(
        key_input,
        take_till(|c| c == '\''),
        fault(ParenFault::Quote),
    )?;
    let (rest, _) = expect(rest, tag("'"), fault(ParenFault::ClosingQuote))?;
    let (rest, _) = expect(rest, tag(")"), fault(ParenFault::CloseParen))?;
    let (rest, _) = expect(rest, eof, fault(ParenFault::Trailing))?;
    if key.is_empty() {
        return Err(Located::new(key_input, Reason::EmptyParenKey(keyword)));
    }
    Ok((rest, key))
}

/// A path-based address: the part of `root:/a/b.txt:` between `:/` and `:`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathAddress<'a> {
    /// The raw value, without the leading `/` or the closing `:`.
    pub(crate) value: &'a str,
    /// Whether a closing `:` was found before the end of the path.
    pub(crate) closed: bool,
}

/// The path-based address that `input` starts with: the `/` after the
/// opening `:`, then the value up to the first `:` that is followed by `/`
/// or ends the path (without one: to the end of the path). The rest starts
/// after the closing `:`.
pub(crate) fn path_address(input: &str) -> (&str, PathAddress<'_>) {
    let body = input.strip_prefix('/').unwrap_or(input);
    let (rest, value) = path_value(body);
    let closed = rest.starts_with(':');
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    (rest, PathAddress { value, closed })
}

/// Everything up to a `:` that is followed by `/` or ends the input.
fn path_value(input: &str) -> (&str, &str) {
    let mut taken = 0;
    loop {
        let run: IResult<&str, &str, ()> = take_till(|c| c == ':').parse_complete(&input[taken..]);
        let (rest, run) = run.unwrap_or(("", &input[taken..]));
        taken += run.len();
        match rest.as_bytes() {
            [] | [b':'] | [b':', b'/', ..] => return (&input[taken..], &input[..taken]),
            _ => taken += 1,
        }
    }
}

/// The URL segments inside a path value, each with whether a `/` follows it.
pub(crate) fn path_segments(value: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut parts = value.split('/').peekable();
    std::iter::from_fn(move || {
        let part = parts.next()?;
        Some((part, parts.peek().is_some()))
    })
}

/// A placeholder's name (docs/DESIGN.md §6 "Templates"): one or more of
/// `A-Z a-z 0-9 _ - .` and `%XX`, the variable names of RFC 6570, as
/// Microsoft's SDKs write them (`drive%2Did`).
fn placeholder_name(input: &str) -> IResult<&str, &str, ()> {
    let plain = take_while1(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let escape = recognize((
        tag("%"),
        take_while_m_n(2, 2, |c: char| c.is_ascii_hexdigit()),
    ));
    recognize(many1_count(alt((plain, escape)))).parse_complete(input)
}

/// Whether a key or path value is a template placeholder, `{NAME}`,
/// filling the whole value.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let mut placeholder = all_consuming(delimited(tag("{"), placeholder_name, tag("}")));
    placeholder.parse_complete(value).is_ok()
}

/// The frame of a template: where its target starts and ends once a
/// leading `{+baseurl}` (Kiota's templates begin so) and a trailing RFC 6570
/// query expression `{?NAME,NAME,...}` are set aside. A start past 0 means
/// a `{+baseurl}`.
pub(crate) fn template_frame(template: &[u8]) -> (usize, usize) {
    const BASE_URL: &[u8] = b"{+baseurl}";
    let start = if template.starts_with(BASE_URL) {
        BASE_URL.len()
    } else {
        0
    };
    let end = memchr::memrchr(b'{', template)
        .filter(|&brace| brace >= start)
        .filter(|&brace| {
            let mut query = all_consuming(delimited(
                tag("{?"),
                separated_list1(tag(","), placeholder_name),
                tag("}"),
            ));
            std::str::from_utf8(&template[brace..])
                .is_ok_and(|expression| query.parse_complete(expression).is_ok())
        })
        .unwrap_or(template.len());
    (start, end)
}

/// A brace in a template where no placeholder may stand: `syntax` there.
pub(crate) fn no_brace(text: &str) -> Result<(), Located<'_>> {
    match memchr::memchr2(b'{', b'}', text.as_bytes()) {
        Some(i) => Err(Located::new(&text[i..], Reason::Brace)),
        None => Ok(()),
    }
}

/// The edge from `from` whose keyword `rest` starts with as a whole segment
/// (followed by the end, `/` or the `?` of a query), and the keyword's
/// length as written; `None` for anything else, misplaced keywords
/// included.
///
/// The walk's shortcut: it decides the common keyword segment without
/// cutting it first. See [`Spelling`] for how it compares.
#[inline]
pub(crate) fn keyword_at(from: Type, rest: &[u8], graph: Graph) -> Option<(&'static Edge, usize)> {
    // Every spelling starts with two letters: compare those first, both
    // folded to lowercase, which turns most candidates down with one
    // comparison of two bytes.
    let head = head(*rest.first_chunk::<2>()?);
    let of_type = match graph {
        Graph::V1 => &V1_OF_TYPE,
        Graph::All => &ALL_OF_TYPE,
    };
    of_type[from as usize]
        .iter()
        .find(|candidate| candidate.head == head && candidate.spelling.starts(rest))
        .map(|candidate| (candidate.edge, candidate.spelling.len))
}

/// Two bytes with the lowercase bit set, as [`keyword_at`] compares them.
const fn head(bytes: [u8; 2]) -> u16 {
    u16::from_le_bytes(bytes) | 0x2020
}

/// A keyword's spelling, prepared to be found at the start of the rest of
/// a path eight bytes at a time.
///
/// Each group of eight bytes of the input is OR-ed with `letters` (0x20 in
/// the lanes that hold a letter of the spelling) and compared with `words`
/// (the spelling OR-ed the same way). In a letter lane, OR-ing 0x20 folds
/// `A-Z` onto `a-z`, and only the two cases of that letter land on the
/// lowercase letter (no other byte `b` has `b | 0x20` equal to a lowercase
/// letter but the letter's own two cases); any other lane (`.`) is
/// compared as it is. So a match is an ASCII case-insensitive match, and
/// it proves that every byte of the segment is a byte of the spelling,
/// which is all key bytes: the walk needs no other check of those bytes.
/// The segment's end is looked at first, which turns most other spellings
/// down with one comparison.
#[derive(Debug)]
struct Spelling {
    len: usize,
    words: [u64; 4],
    letters: [u64; 4],
    /// Groups of eight bytes: `len` rounded up.
    groups: usize,
    /// The lanes of the last group that belong to the spelling.
    last: u64,
}

impl Spelling {
    const fn new(word: &str) -> Spelling {
        let bytes = word.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= 32,
            "spellings have 1 to 32 bytes"
        );
        let mut words = [0; 4];
        let mut letters = [0; 4];
        let mut i = 0;
        while i < bytes.len() {
            let letter: u64 = if bytes[i].is_ascii_alphabetic() {
                0x20
            } else {
                0
            };
            let shift = 8 * (i % 8);
            letters[i / 8] |= letter << shift;
            words[i / 8] |= ((bytes[i] as u64) | letter) << shift;
            i += 1;
        }
        let tail = bytes.len() % 8;
        Spelling {
            len: bytes.len(),
            words,
            letters,
            groups: bytes.len().div_ceil(8),
            last: if tail == 0 {
                u64::MAX
            } else {
                (1 << (8 * tail)) - 1
            },
        }
    }

    /// Whether `rest` starts with this spelling as a whole segment.
    #[inline]
    fn starts(&self, rest: &[u8]) -> bool {
        if !matches!(rest.get(self.len), None | Some(b'/' | b'?')) {
            return false;
        }
        // Most keywords fit in one group.
        if self.groups == 1 {
            return (group_at(rest, 0) | self.letters[0]) & self.last == self.words[0];
        }
        self.compare(rest)
    }

    /// The comparison of a spelling of more than one group, out of line:
    /// inlined, the compiler prepares the later groups' loads on every call
    /// of [`keyword_at`], even when the first group already differs.
    #[inline(never)]
    fn compare(&self, rest: &[u8]) -> bool {
        let last = self.groups - 1;
        (0..last).all(|k| (group_at(rest, 8 * k) | self.letters[k]) == self.words[k])
            && (group_at(rest, 8 * last) | self.letters[last]) & self.last == self.words[last]
    }
}

/// The eight bytes of `rest` from `at`, little-endian; past the end of the
/// input, zeros, which no lane of a spelling holds.
#[inline]
fn group_at(rest: &[u8], at: usize) -> u64 {
    let tail = rest.get(at..).unwrap_or_default();
    match tail.first_chunk::<8>() {
        Some(group) => u64::from_le_bytes(*group),
        None => tail
            .iter()
            .rev()
            .fold(0, |group, &b| group << 8 | u64::from(b)),
    }
}

/// One spelling that a keyword segment may have on a type, and its row.
#[derive(Debug)]
struct Candidate {
    /// The first two bytes of the spelling, folded to lowercase.
    head: u16,
    edge: &'static Edge,
    spelling: Spelling,
}

/// How many spellings the keyword rows have, aliases included.
const CANDIDATE_COUNT: usize = {
    let mut count = 0;
    let mut row = 0;
    while row < EDGES.len() {
        if let Via::Word(keyword) = EDGES[row].via {
            let (start, end) = model::spelling_range(keyword);
            count += end - start;
        }
        row += 1;
    }
    count
};

/// Every spelling of every keyword row of a graph, prepared for
/// [`keyword_at`], and the range of them that each type's rows have.
struct Candidates {
    /// Grouped by the row's type (as the rows are). Within a type, the
    /// action's spelling first (every route ends with it, so on a DriveItem
    /// it is the likeliest next segment), then the other canonical
    /// spellings, then the aliases.
    all: [Candidate; CANDIDATE_COUNT],
    of_type: [(usize, usize); Type::ALL.len()],
}

/// The candidates of the whole table, and of the v1.0 rows.
static ALL_CANDIDATES: Candidates = candidates(Graph::All);
static V1_CANDIDATES: Candidates = candidates(Graph::V1);

const fn candidates(graph: Graph) -> Candidates {
    let mut all = [const {
        Candidate {
            head: 0,
            edge: &EDGES[0],
            spelling: Spelling::new("-"),
        }
    }; CANDIDATE_COUNT];
    let mut of_type = [(0, 0); Type::ALL.len()];
    let mut n = 0;
    let mut ty = 0;
    while ty < Type::ALL.len() {
        let start = n;
        let mut rank = 0;
        while rank < 3 {
            let mut row = 0;
            while row < EDGES.len() {
                let edge = &EDGES[row];
                let here = edge.from as usize == ty && graph.has(edge.versions);
                if let (true, Via::Word(keyword)) = (here, edge.via) {
                    let (first, end) = model::spelling_range(keyword);
                    let mut i = first;
                    while i < end {
                        let action = matches!(edge.next, Next::Action);
                        let this_rank = match (i == first, action) {
                            (true, true) => 0,
                            (true, false) => 1,
                            (false, _) => 2,
                        };
                        if this_rank == rank {
                            let word = SPELLINGS[i].0.as_bytes();
                            assert!(
                                word.len() >= 2
                                    && word[0].is_ascii_alphabetic()
                                    && word[1].is_ascii_alphabetic(),
                                "a spelling starts with two letters"
                            );
                            all[n] = Candidate {
                                head: head([word[0], word[1]]),
                                edge,
                                spelling: Spelling::new(SPELLINGS[i].0),
                            };
                            n += 1;
                        }
                        i += 1;
                    }
                }
                row += 1;
            }
            rank += 1;
        }
        of_type[ty] = (start, n);
        ty += 1;
    }
    Candidates { all, of_type }
}

/// For each type, its slice of a graph's candidates.
static ALL_OF_TYPE: [&[Candidate]; Type::ALL.len()] = of_type(&ALL_CANDIDATES);
static V1_OF_TYPE: [&[Candidate]; Type::ALL.len()] = of_type(&V1_CANDIDATES);

const fn of_type(candidates: &'static Candidates) -> [&'static [Candidate]; Type::ALL.len()] {
    let mut slices: [&[Candidate]; Type::ALL.len()] = [&[]; Type::ALL.len()];
    let mut ty = 0;
    while ty < Type::ALL.len() {
        let (start, end) = candidates.of_type[ty];
        slices[ty] = candidates.all.split_at(start).1.split_at(end - start).0;
        ty += 1;
    }
    slices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(path: &str) -> Vec<(String, bool)> {
        let mut rest = path;
        let mut out = Vec::new();
        while let Some(after) = rest.strip_prefix('/') {
            let (next, segment) = segment(after);
            out.push((segment.text.to_owned(), segment.opens_path));
            rest = next;
            if segment.opens_path {
                let (next, address) = path_address(rest);
                out.push((format!("<{}>", address.value), address.closed));
                rest = next;
            }
        }
        out
    }

    #[test]
    fn cuts_segments_and_addresses() {
        assert_eq!(
            segments("/me/drive/root:/a/b.txt:/checkout"),
            [
                ("me".to_owned(), false),
                ("drive".to_owned(), false),
                ("root".to_owned(), true),
                ("<a/b.txt>".to_owned(), true),
                ("checkout".to_owned(), false),
            ]
        );
        // A `:` inside the value does not close it unless `/` or the end follows.
        assert_eq!(segments("/root:/a:b:")[1], ("<a:b>".to_owned(), true));
        // Unclosed: runs to the end.
        assert_eq!(
            segments("/root:/a/checkout")[1],
            ("<a/checkout>".to_owned(), false)
        );
        // A trailing `:` with nothing after it opens nothing.
        assert_eq!(segments("/root:"), [("root:".to_owned(), false)]);
    }

    fn paren(text: &str) -> Result<&str, (usize, ErrorKind)> {
        paren_key(text, Keyword::Items)
            .map(|(_, key)| key)
            .map_err(|e| (text.len() - e.at.len(), e.reason.kind()))
    }

    use crate::ErrorKind;

    #[test]
    fn reads_parenthesized_keys() {
        assert_eq!(paren("('abc')"), Ok("abc"));
        assert_eq!(paren("(abc)"), Err((1, ErrorKind::Syntax)));
        assert_eq!(paren("('abc"), Err((5, ErrorKind::Syntax)));
        assert_eq!(paren("('a')b"), Err((5, ErrorKind::Syntax)));
        assert_eq!(paren("('a'b"), Err((4, ErrorKind::Syntax)));
        assert_eq!(paren("('')"), Err((2, ErrorKind::InvalidId)));
    }

    #[test]
    fn placeholders_fill_the_whole_value() {
        for name in ["{drive-id}", "{a_1}", "{drive%2Did}", "{item.id}"] {
            assert!(is_placeholder(name), "{name}");
        }
        for not in [
            "{}", "{a", "a}", "{a}b", "x{a}", "{a:b}", "{a}}", "{a%2}", "{%zz}",
        ] {
            assert!(!is_placeholder(not), "{not}");
        }
    }

    #[test]
    fn templates_set_their_base_url_and_query_expression_aside() {
        let frame = |t: &str| template_frame(t.as_bytes());
        assert_eq!(frame("/me/drive/root/checkout"), (0, 23));
        assert_eq!(frame("{+baseurl}/me/drive/root/checkout"), (10, 33));
        assert_eq!(frame("/me/drive/root/checkout{?select,expand}"), (0, 23));
        assert_eq!(frame("{+baseurl}{?a}"), (10, 10));
        // Not a query expression: left to the grammar and the scan.
        assert_eq!(frame("/x{?}"), (0, 5));
        assert_eq!(frame("/x{?a,}"), (0, 7));
        assert_eq!(frame("/x{a}"), (0, 5));
    }

    /// The SWAR comparison is an ASCII case-insensitive comparison of whole
    /// segments, byte for byte: every spelling against every one-byte
    /// change of it and against its own case variants.
    #[test]
    fn keywords_in_place_match_exactly_the_scalar_comparison() {
        for &(word, _) in SPELLINGS {
            let spelling = &Spelling::new(word);
            let mut inputs: Vec<Vec<u8>> = vec![
                word.as_bytes().to_vec(),
                word.to_ascii_uppercase().into_bytes(),
                format!("{word}/x").into_bytes(),
                format!("{word}x").into_bytes(),
                format!("{word}:").into_bytes(),
                word.as_bytes()[..word.len() - 1].to_vec(),
            ];
            for at in 0..word.len() {
                for b in [0u8, b'.', b'@', b'[', b'`', b'{', 0x80, 0xC1, b'A', b'z'] {
                    let mut changed = word.as_bytes().to_vec();
                    changed[at] = b;
                    inputs.push(changed);
                }
            }
            for input in inputs {
                let end = input
                    .iter()
                    .position(|&b| b == b'/' || b == b'?')
                    .unwrap_or(input.len());
                let scalar = input[..end].eq_ignore_ascii_case(word.as_bytes());
                assert_eq!(spelling.starts(&input), scalar, "{word} vs {input:?}");
            }
        }
    }
}
