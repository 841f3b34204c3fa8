//! Stage 4: the validator. It runs the stages in the order of SPEC 6 (length,
//! method, byte scan, target form, then the path one segment at a time) and
//! walks the segments over the type graph of [`crate::model`], producing a
//! [`Route`] or the first [`Error`].

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::error::{snippet, Error, ErrorKind};
use crate::fast;
use crate::grammar::{self, Cursor, KeywordSegment, ParenError, PathAddress, Segment};
use crate::lexical;
use crate::model::{self, Edge, Keyword, Type, DOCUMENTED_TEMPLATES};
use crate::route::{is_placeholder, shape_key, Route, Step, StepKind};
use crate::target::{self, Target};
use crate::Parser;

/// What the input is: a request target, or a route template whose keys and
/// path values may be `{name}` placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Request,
    Template,
}

/// Every check of SPEC 6, in its order, then the documented-routes lookup,
/// on raw bytes.
pub(crate) fn request_bytes<'a>(
    parser: &'a Parser,
    method: Option<&[u8]>,
    input: &'a [u8],
    mode: Mode,
) -> Result<Route<'a>, Error> {
    check_length_and_method(parser, method, input.len())?;
    match std::str::from_utf8(input) {
        Ok(text) => request_text(parser, text, mode),
        // A byte that is not UTF-8 is not ASCII either: the scan reports it,
        // or an earlier problem.
        Err(e) => Err(lexical::scan(input, mode == Mode::Template)
            .err()
            .unwrap_or_else(|| lexical::bad_byte(input[e.valid_up_to()], e.valid_up_to()))),
    }
}

/// [`request_bytes`] for input that is known to be UTF-8.
#[inline]
pub(crate) fn request_str<'a>(
    parser: &'a Parser,
    method: Option<&[u8]>,
    input: &'a str,
    mode: Mode,
) -> Result<Route<'a>, Error> {
    check_length_and_method(parser, method, input.len())?;
    request_text(parser, input, mode)
}

#[inline]
fn check_length_and_method(
    parser: &Parser,
    method: Option<&[u8]>,
    len: usize,
) -> Result<(), Error> {
    lexical::check_length(len, parser.limits.max_target_len)?;
    match method {
        Some(method) => check_method(method),
        None => Ok(()),
    }
}

/// Steps 3 to 7 of SPEC 6.
///
/// A request target is scanned once, by the stages that read it: every byte
/// of an accepted target is checked against the allowed set by the grammar
/// and the walk (keys against their alphabet, keywords against their
/// spelling, everything else with [`lexical::is_clean`]). Only when a later
/// stage finds a problem does the full scan of step 3 run, so that a bad
/// byte anywhere still wins over it, as SPEC 6 orders. Templates are not on
/// a hot path and are scanned first.
#[inline]
fn request_text<'a>(parser: &'a Parser, text: &'a str, mode: Mode) -> Result<Route<'a>, Error> {
    if mode == Mode::Request {
        let mut route = Route::empty();
        if fast::classify(parser, text, &mut route).is_some() {
            debug_assert!(
                walk(parser, text, mode).as_ref() == Ok(&route),
                "the fast path and the validator disagree on {text:?}"
            );
            return Ok(route);
        }
    }
    checked_walk(parser, text, mode)
}

/// The walk alone, without the fast path: for the `compare` benchmark's
/// walk-only line.
pub(crate) fn request_str_walk_only<'a>(
    parser: &'a Parser,
    input: &'a str,
) -> Result<Route<'a>, Error> {
    check_length_and_method(parser, None, input.len())?;
    checked_walk(parser, input, Mode::Request)
}

/// Everything the fast path leaves: templates, and requests it gave up on.
/// Kept out of line so that the fast path can be inlined into its callers.
#[inline(never)]
fn checked_walk<'a>(parser: &'a Parser, text: &'a str, mode: Mode) -> Result<Route<'a>, Error> {
    let template = mode == Mode::Template;
    if template {
        lexical::scan(text.as_bytes(), true)?;
    }
    walk(parser, text, mode).map_err(|error| match lexical::scan(text.as_bytes(), template) {
        Err(scan_error) => scan_error,
        Ok(()) => error,
    })
}

/// Steps 4 to 7 of SPEC 6, assuming the scan of step 3 found nothing.
fn walk<'a>(parser: &'a Parser, text: &'a str, mode: Mode) -> Result<Route<'a>, Error> {
    let parts = target::split(text, parser, mode == Mode::Template)?;
    let mut route = Route::empty();
    route.query = parts.query.map(Cow::Borrowed);
    Walk::new(parser, mode, &parts, &mut route).run()?;
    route.documented = documented_index(&route.steps);
    if parser.documented_only && route.documented.is_none() {
        return Err(Error::new(
            ErrorKind::Undocumented,
            0,
            "the route is valid but is not one of the 20 documented checkout routes (documented-only mode)"
                .to_owned(),
        ));
    }
    Ok(route)
}

fn check_method(method: &[u8]) -> Result<(), Error> {
    if method == b"POST" {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Method,
        0,
        format!(
            "method `{}` is not allowed: checkout takes `POST` (methods are case-sensitive)",
            snippet(&String::from_utf8_lossy(method))
        ),
    ))
}

/// The shapes of the documented templates, parsed once by the same walker,
/// as [`shape_key`]s, in a table that finds a key with one multiplication.
static DOCUMENTED_SHAPES: LazyLock<ShapeTable> = LazyLock::new(|| {
    let parser = Parser::default();
    let keys: Vec<u64> = DOCUMENTED_TEMPLATES
        .iter()
        .map(|template| {
            let parts = target::split(template, &parser, true)
                .expect("documented templates are origin-form");
            let mut route = Route::empty();
            Walk::new(&parser, Mode::Template, &parts, &mut route)
                .run()
                .expect("documented templates are valid routes");
            shape_key(&route.steps).expect("documented templates are short")
        })
        .collect();
    ShapeTable::new(&keys)
});

/// A perfect hash table from the 20 documented shape keys to their index
/// in [`DOCUMENTED_TEMPLATES`]: 64 slots, a key's slot the top 6 bits of
/// the key times a multiplier chosen, when the table is built, so that no
/// two keys share a slot.
struct ShapeTable {
    multiplier: u64,
    /// `(key, index)`; an empty slot holds `u64::MAX`, which no shape key
    /// reaches (10 steps of 6 bits).
    slots: [(u64, usize); 64],
}

impl ShapeTable {
    fn new(keys: &[u64]) -> ShapeTable {
        let mut multiplier = 0x9E37_79B9_7F4A_7C15_u64;
        loop {
            let mut slots = [(u64::MAX, 0); 64];
            let fits = keys.iter().enumerate().all(|(index, &key)| {
                let slot = &mut slots[Self::slot(multiplier, key)];
                let free = slot.0 == u64::MAX;
                *slot = (key, index);
                free
            });
            if fits {
                return ShapeTable { multiplier, slots };
            }
            multiplier = multiplier.wrapping_add(0x6A09_E667_F3BC_C909) | 1;
        }
    }

    #[inline]
    fn slot(multiplier: u64, key: u64) -> usize {
        (key.wrapping_mul(multiplier) >> 58) as usize
    }

    #[inline]
    fn get(&self, key: u64) -> Option<usize> {
        let (slot_key, index) = self.slots[Self::slot(self.multiplier, key)];
        (slot_key == key).then_some(index)
    }
}

/// The index in [`DOCUMENTED_TEMPLATES`] of the template of this shape.
#[inline]
pub(crate) fn documented_index(steps: &[Step<'_>]) -> Option<usize> {
    shape_key(steps).and_then(documented_by_key)
}

/// [`documented_index`] of a route whose [`shape_key`] is known.
#[inline]
pub(crate) fn documented_by_key(key: u64) -> Option<usize> {
    DOCUMENTED_SHAPES.get(key)
}

/// Where the walk stands after a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// On a resource of this type.
    At(Type),
    /// After a keyword that takes a key in the next segment.
    NeedsKey(&'static Edge),
    /// After the action: nothing may follow.
    Done,
}

/// The walk over one target's path.
struct Walk<'a, 'r> {
    parser: &'a Parser,
    template: bool,
    path: &'a str,
    path_start: usize,
    absolute: bool,
    segments: usize,
    position: Position,
    /// The route being built: the walk pushes its steps and sets its version.
    route: &'r mut Route<'a>,
}

impl<'a, 'r> Walk<'a, 'r> {
    fn new(
        parser: &'a Parser,
        mode: Mode,
        parts: &Target<'a>,
        route: &'r mut Route<'a>,
    ) -> Walk<'a, 'r> {
        Walk {
            parser,
            template: mode == Mode::Template,
            path: parts.path,
            path_start: parts.path_start,
            absolute: parts.absolute,
            segments: 0,
            position: Position::At(Type::Root),
            route,
        }
    }

    fn path_end(&self) -> usize {
        self.path_start + self.path.len()
    }

    /// Appends a step; `raw` is its value as written, a placeholder only in
    /// a template and only when it has the `{name}` shape before decoding.
    #[inline]
    fn push(&mut self, kind: StepKind, value: Option<Cow<'a, str>>, raw: &str) {
        let placeholder = self.template && is_placeholder(raw);
        self.route.steps.push(Step::new(kind, value, placeholder));
    }

    fn run(mut self) -> Result<(), Error> {
        let mut cursor = Cursor::new(self.path, self.path_start);
        let mut first = true;
        while let Some(segment) = cursor.next_segment() {
            self.count_segment(segment.start)?;
            check_not_empty_or_dot(&segment)?;
            let version = first && self.version(&segment)?;
            first = false;
            if !version {
                match self.position {
                    Position::Done => return Err(after_action(&segment)),
                    Position::NeedsKey(edge) => {
                        let key = self.segment_key(&segment, edge)?;
                        self.push(StepKind::edge(edge), Some(key), segment.text);
                        self.position = Position::At(edge.to.unwrap_or(Type::DriveItem));
                    }
                    Position::At(from) => self.keyword(&segment, from)?,
                }
            }
            if let Some(colon) = segment.opener {
                self.check_path_allowed(colon)?;
                let address = cursor.path_address();
                let value = self.path_address(&address)?;
                self.push(StepKind::PATH, Some(value), address.value);
            }
        }
        match self.position {
            Position::Done => Ok(()),
            Position::NeedsKey(edge) => Err(Error::new(
                ErrorKind::Incomplete,
                self.path_end(),
                format!(
                    "the path ends at byte {} where `{}` needs a key: expected `{}/{{{}}}`",
                    self.path_end(),
                    edge.keyword,
                    edge.keyword,
                    edge.param.unwrap_or("id")
                ),
            )),
            Position::At(at) => Err(Error::new(
                ErrorKind::Incomplete,
                self.path_end(),
                format!(
                    "the path ends at byte {} before the action: {} has {}",
                    self.path_end(),
                    at.name(),
                    model::allowed_after(at)
                ),
            )),
        }
    }

    #[inline]
    fn count_segment(&mut self, start: usize) -> Result<(), Error> {
        self.segments += 1;
        let max = self.parser.limits.max_segments;
        if self.segments > max {
            return Err(Error::new(
                ErrorKind::Limit,
                start,
                format!(
                    "segment {} starts at byte {start}: at most {max} path segments are allowed",
                    self.segments
                ),
            ));
        }
        Ok(())
    }

    /// The first segment: a version, required in absolute-form and tried
    /// first in origin-form. Returns whether it was one. The whole segment
    /// must be the version: `v1.0:` followed by `/` is not one.
    fn version(&mut self, segment: &Segment<'a>) -> Result<bool, Error> {
        let parser = self.parser;
        if let Some(version) = parser.versions.iter().find(|v| {
            // A configured version with bytes the scan refuses never
            // matches: such a target is refused by the scan.
            v.len() == segment.raw.len()
                && v.eq_ignore_ascii_case(segment.raw)
                && lexical::is_clean(v.as_bytes())
        }) {
            self.route.version = Some(Cow::Borrowed(version.as_ref()));
            return Ok(true);
        }
        if !self.absolute {
            return Ok(false);
        }
        let expected: Vec<String> = parser
            .accepted_versions()
            .map(|v| format!("`{v}`"))
            .collect();
        Err(Error::new(
            ErrorKind::UnknownSegment,
            segment.start,
            format!(
                "unknown version `{}` at byte {}: an absolute URL needs one of {} first",
                snippet(segment.text),
                segment.start,
                expected.join(", ")
            ),
        ))
    }

    /// A segment where a keyword belongs, on a resource of type `from`.
    fn keyword(&mut self, segment: &Segment<'a>, from: Type) -> Result<(), Error> {
        let KeywordSegment {
            word,
            paren,
            parenthesized,
            escape,
        } = grammar::keyword_segment(segment);
        if self.template {
            check_no_brace(word, segment.start)?;
        }
        // The keyword itself is matched as written; a `('key')` after it is a
        // key like any other, decoded once (so `drives('b%21...')` is the
        // same route as `drives/b%21...`).
        if let Some(at) = escape {
            return Err(escape_in_keyword(word, at));
        }
        let edge = match model::lookup(from, word) {
            model::Lookup::Edge(edge) => edge,
            model::Lookup::Misplaced => {
                return Err(Error::new(
                    ErrorKind::Nesting,
                    segment.start,
                    format!(
                        "unexpected segment `{}` at byte {}: {} has {}",
                        snippet(word),
                        segment.start,
                        from.name(),
                        model::allowed_after(from)
                    ),
                ))
            }
            model::Lookup::Unknown => {
                return Err(Error::new(
                    ErrorKind::UnknownSegment,
                    segment.start,
                    format!(
                        "unknown segment `{}` at byte {}: {} has {}",
                        snippet(word),
                        segment.start,
                        from.name(),
                        model::allowed_after(from)
                    ),
                ))
            }
        };
        let keyword = edge.keyword;
        match (edge.param, paren) {
            (Some(_), Some(at)) => {
                let (key, key_start) =
                    grammar::paren_key(parenthesized, at).map_err(|e| paren_error(e, keyword))?;
                let value = self.key(key, key_start, false, edge)?;
                self.push(StepKind::edge(edge), Some(value), key);
                self.position = Position::At(edge.to.unwrap_or(Type::DriveItem));
            }
            (Some(_), None) => self.position = Position::NeedsKey(edge),
            (None, Some(at)) => {
                return Err(Error::new(
                    ErrorKind::Syntax,
                    at,
                    format!("`(` at byte {at}: `{keyword}` takes no key"),
                ))
            }
            (None, None) => match edge.to {
                Some(to) => {
                    self.push(StepKind::edge(edge), None, "");
                    self.position = Position::At(to);
                }
                None => self.position = Position::Done,
            },
        }
        Ok(())
    }

    /// A key segment. The common key, all alphabet bytes within the limit,
    /// is taken here without a call; the rest goes through [`Walk::key`].
    #[inline]
    fn segment_key(&self, segment: &Segment<'a>, edge: &Edge) -> Result<Cow<'a, str>, Error> {
        let text = segment.text;
        // A plain key holds no escape, so its raw length is its length, and
        // one that does not start with `.` is no dot segment.
        if segment.plain
            && !self.template
            && !text.is_empty()
            && !text.starts_with('.')
            && text.len() <= self.parser.limits.max_key_len
            && edge.rule.allows(text)
        {
            return Ok(Cow::Borrowed(text));
        }
        self.key(text, segment.start, segment.plain, edge)
    }

    /// A key, as a segment or inside `('...')`, starting at `start`.
    fn key(
        &self,
        raw: &'a str,
        start: usize,
        plain: bool,
        edge: &Edge,
    ) -> Result<Cow<'a, str>, Error> {
        let name = edge.param.unwrap_or("id");
        // A key `.` or `..`, raw or encoded, is a dot segment (SPEC 1.4), and
        // dot segments are checked before the position's own checks (SPEC 6):
        // this catches the keys that are not a whole segment, `('..')` and
        // `..` before a path address's `:`.
        if matches!(raw.as_bytes().first(), Some(b'.' | b'%')) && lexical::is_dot_segment(raw) {
            return Err(Error::new(
                ErrorKind::Syntax,
                start,
                format!("key `{raw}` at byte {start} is a dot segment"),
            ));
        }
        if self.template {
            if is_placeholder(raw) {
                return Ok(Cow::Borrowed(raw));
            }
            check_no_brace(raw, start)?;
        }
        let max = self.parser.limits.max_key_len;
        let bytes = raw.as_bytes();
        // A segment the grammar found plain holds only alphabet bytes.
        let (escapes, outside_alphabet) = if plain {
            (0, None)
        } else {
            scan_key(raw, start)?
        };
        let decoded_len = bytes.len() - 2 * escapes;
        let over_limit_at = (decoded_len > max).then(|| start + lexical::raw_offset_of(raw, max));
        if let Some(at) = over_limit_at {
            return Err(Error::new(
                ErrorKind::Limit,
                at,
                format!("key `{name}` is {decoded_len} bytes long after decoding: at most {max} are allowed (crossed at byte {at})"),
            ));
        }
        if raw.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidId,
                start,
                format!("empty key `{name}` at byte {start}"),
            ));
        }
        let key = if escapes > 0 {
            // Every decoded byte is ASCII: the loop refused the rest.
            Cow::Owned(lexical::decode_ascii(raw, decoded_len))
        } else {
            Cow::Borrowed(raw)
        };
        if let Some(bad) = outside_alphabet {
            return Err(Error::new(
                ErrorKind::InvalidId,
                start,
                format!(
                    "key `{name}` at byte {start} holds `{}`: a key holds only A-Z a-z 0-9 - . _ ~ ! , @ after decoding",
                    char::from(bad).escape_default()
                ),
            ));
        }
        if !edge.rule.allows(&key) {
            return Err(Error::new(
                ErrorKind::InvalidId,
                start,
                format!(
                    "key `{name}` at byte {start} is `{}`: {}",
                    snippet(&key),
                    edge.rule.describe()
                ),
            ));
        }
        Ok(key)
    }

    /// A `:` that opens a path-based address is allowed only on a DriveItem.
    fn check_path_allowed(&self, colon: usize) -> Result<(), Error> {
        let on = match self.position {
            Position::At(Type::DriveItem) => return Ok(()),
            Position::At(at) => format!("{} has {}", at.name(), model::allowed_after(at)),
            Position::NeedsKey(edge) => format!("`{}` needs a key first", edge.keyword),
            Position::Done => "nothing may follow the action".to_owned(),
        };
        Err(Error::new(
            ErrorKind::Nesting,
            colon,
            format!(
                "a path-based address opens at byte {colon}, but only a DriveItem takes one: {on}"
            ),
        ))
    }

    /// The value of a path-based address (SPEC 1.4, 6 "Path-based addresses").
    fn path_address(&mut self, address: &PathAddress<'a>) -> Result<Cow<'a, str>, Error> {
        let value = address.value;
        if !self.template && !lexical::is_clean(value.as_bytes()) {
            // Only the full scan can say which byte is wrong (see `request_text`).
            return Err(Error::new(
                ErrorKind::Syntax,
                address.start,
                "the path-based address holds a byte the scan refuses".to_owned(),
            ));
        }
        if self.template && is_placeholder(value) {
            self.count_segment(address.start)?;
            return Ok(Cow::Borrowed(value));
        }
        for segment in address.segments() {
            self.count_segment(segment.start)?;
            check_not_empty_or_dot(&segment)?;
            if self.template {
                check_no_brace(segment.raw, segment.start)?;
            }
            if let Some(i) = find_escape(segment.raw, b'/') {
                let at = segment.start + i;
                return Err(Error::new(
                    ErrorKind::Encoding,
                    at,
                    format!("encoded `/` at byte {at} in a path-based address: it would change where the path splits"),
                ));
            }
        }
        if !address.closed {
            let end = self.path_end();
            return Err(Error::new(
                ErrorKind::Incomplete,
                end,
                format!(
                    "the path ends at byte {end} inside the path-based address that starts at byte {}: expected a closing `:` and then `/checkout`",
                    address.start
                ),
            ));
        }
        let decoded = if value.contains('%') {
            let bytes = lexical::decode(value);
            match String::from_utf8(bytes) {
                Ok(text) => Cow::Owned(text),
                Err(e) => {
                    let at =
                        address.start + lexical::raw_offset_of(value, e.utf8_error().valid_up_to());
                    return Err(Error::new(
                        ErrorKind::Encoding,
                        at,
                        format!("the escapes from byte {at} do not decode to UTF-8: file names are UTF-8, percent-encoded"),
                    ));
                }
            }
        } else {
            Cow::Borrowed(value)
        };
        let max = self.parser.limits.max_path_chars;
        if let Some((index, _)) = decoded.char_indices().nth(max) {
            let at = address.start + lexical::raw_offset_of(value, index);
            return Err(Error::new(
                ErrorKind::Limit,
                at,
                format!("the path-based address is longer than {max} characters: character {} is at byte {at}", max + 1),
            ));
        }
        if let Some(bad) = decoded.chars().find(|&c| is_forbidden_in_name(c)) {
            return Err(Error::new(
                ErrorKind::InvalidId,
                address.start,
                format!(
                    "the path at byte {} holds `{}`: file names may not hold \" * : < > ? \\ | or control characters",
                    address.start,
                    bad.escape_default()
                ),
            ));
        }
        Ok(decoded)
    }
}

/// One pass over a key that is not plain: the number of escapes and the
/// first decoded byte outside the alphabet. Escapes are checked as they
/// come, and the first bad one is the error; a byte outside the alphabet is
/// only noted, because a bad escape after it still wins (SPEC 6, key
/// position).
fn scan_key(raw: &str, start: usize) -> Result<(usize, Option<u8>), Error> {
    let bytes = raw.as_bytes();
    let mut outside_alphabet = None;
    let mut escapes = 0;
    let mut i = 0;
    loop {
        // The common case: a run of alphabet bytes.
        while i < bytes.len() && KEY_ALPHABET[usize::from(bytes[i])] {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            return Ok((escapes, outside_alphabet));
        };
        if b != b'%' {
            outside_alphabet.get_or_insert(b);
            i += 1;
            continue;
        }
        let decoded = lexical::escape_at(bytes, i)
            .filter(|d| !matches!(d, b'/' | b'\\' | b'?' | b'#' | 0x00..=0x1F | 0x7F..))
            .ok_or_else(|| bad_key_escape(raw, start, i))?;
        if !KEY_ALPHABET[usize::from(decoded)] {
            outside_alphabet.get_or_insert(decoded);
        }
        escapes += 1;
        i += 3;
    }
}

#[cold]
fn bad_key_escape(raw: &str, start: usize, i: usize) -> Error {
    Error::new(
        ErrorKind::Encoding,
        start + i,
        format!(
            "escape `{}` at byte {} is not allowed in a key: encoded separators, controls and non-ASCII bytes are rejected",
            raw.get(i..i + 3).unwrap_or(&raw[i..]),
            start + i
        ),
    )
}

/// Empty segments (`//`, a trailing `/`) and dot segments, raw or encoded.
#[inline]
fn check_not_empty_or_dot(segment: &Segment<'_>) -> Result<(), Error> {
    // Only an empty segment or one that starts with `.` or `%` can fail.
    match segment.raw.as_bytes().first() {
        Some(b'.' | b'%') | None => empty_or_dot(segment),
        Some(_) => Ok(()),
    }
}

/// The rare half of [`check_not_empty_or_dot`], kept out of the hot loop.
#[inline(never)]
fn empty_or_dot(segment: &Segment<'_>) -> Result<(), Error> {
    if segment.raw.is_empty() {
        let at = segment.empty_offset();
        return Err(Error::new(
            ErrorKind::Syntax,
            at,
            format!(
                "superfluous `/` at byte {at}: empty segments and trailing slashes are not allowed"
            ),
        ));
    }
    if lexical::is_dot_segment(segment.raw) {
        return Err(Error::new(
            ErrorKind::Syntax,
            segment.start,
            format!(
                "dot segment `{}` at byte {}: `.` and `..` are never resolved here",
                segment.raw, segment.start
            ),
        ));
    }
    Ok(())
}

/// Keywords are matched as written, never decoded.
#[cold]
fn escape_in_keyword(word: &str, at: usize) -> Error {
    Error::new(
        ErrorKind::Encoding,
        at,
        format!(
            "percent-escape at byte {at} inside the keyword `{}`: keywords are matched as written, never decoded",
            snippet(word)
        ),
    )
}

/// A brace outside a whole-key or whole-path placeholder.
fn check_no_brace(text: &str, start: usize) -> Result<(), Error> {
    match text.find(['{', '}']) {
        Some(i) => {
            let at = start + i;
            Err(Error::new(
                ErrorKind::Syntax,
                at,
                format!(
                    "brace at byte {at}: a placeholder `{{name}}` must fill a whole key or path"
                ),
            ))
        }
        None => Ok(()),
    }
}

fn after_action(segment: &Segment<'_>) -> Error {
    Error::new(
        ErrorKind::Nesting,
        segment.start,
        format!(
            "unexpected segment `{}` at byte {}: nothing may follow the action `checkout`",
            snippet(segment.raw),
            segment.start
        ),
    )
}

fn paren_error(error: ParenError, keyword: Keyword) -> Error {
    match error {
        ParenError::Syntax(at, what) => Error::new(
            ErrorKind::Syntax,
            at,
            format!("malformed key of `{keyword}` at byte {at}: {what} (the form is `{keyword}('KEY')`)"),
        ),
        ParenError::EmptyKey(at) => Error::new(
            ErrorKind::InvalidId,
            at,
            format!("empty key of `{keyword}` at byte {at}"),
        ),
    }
}

/// The offset in `text` of the first `%XX` escape that decodes to `byte`.
fn find_escape(text: &str, byte: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b'%' && lexical::escaped_byte(bytes, i) == byte)
}

/// The key alphabet of SPEC 1.4: `A-Z a-z 0-9 - . _ ~ ! , @`.
static KEY_ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut b: u8 = 0;
    while b < 0x80 {
        table[b as usize] = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'!' | b',' | b'@');
        b += 1;
    }
    table
};

/// OneDrive's forbidden file-name characters and the controls.
fn is_forbidden_in_name(c: char) -> bool {
    matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '\\' | '|') || c.is_ascii_control()
}
