//! Stage 4: the walk. It reads the path one segment at a time, left to
//! right, and moves over the type graph of [`crate::model`]: each segment
//! must be allowed where the walk stands, and each one is checked
//! completely before the next (docs/DESIGN.md §6), so that the first
//! problem in the path is the one reported.
//!
//! Shortcuts. Nearly every real request is plain: keyword segments spelled
//! as the model spells them (in any case) and keys of key bytes only. For
//! such a segment the walk takes a shortcut, a faster primitive for the
//! same decision: [`grammar::keyword_at`] matches a keyword in place, and a
//! plain key is taken as a run of key bytes. A shortcut either decides the
//! segment exactly as the full step would, or gives up and leaves the
//! segment to the full step; it never has a rule of its own. Debug builds
//! (so every test and fuzz run) replay each segment a shortcut took with
//! the full step and assert the same state ([`Walk::check_shortcut`]).
//! The walk is compiled with and without shortcuts; the benchmarks' walk
//! only line measures what they gain.

use std::borrow::Cow;

use crate::error::{Located, Place, Reason, Snippet};
use crate::grammar::{self, KeywordSegment, PathAddress, Segment};
use crate::lexical;
use crate::model::{self, Edge, Graph, Key, KeyRule, Keyed, Lookup, Next, Type};
use crate::names;
use crate::route::{Route, Step, StepKind};
use crate::shape::ShapeKey;
use crate::target::{self, Target};
use crate::Parser;

/// Where the walk stands between two segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// On a resource of this type.
    At(Type),
    /// After a keyword whose key is the next segment.
    NeedsKey(&'static Keyed),
    /// After the action: nothing may follow.
    Done,
}

impl Position {
    /// Where taking `edge` leaves the walk: a keyword with a key waits for
    /// its key, the action ends the route, anything else stands on the type
    /// it leads to. (A key, when it comes, leads to `to`.)
    fn after(edge: &'static Edge) -> Position {
        match (&edge.keyed, edge.next) {
            (Some(keyed), _) => Position::NeedsKey(keyed),
            (None, Next::Action) => Position::Done,
            (None, Next::Type(to)) => Position::At(to),
        }
    }

    /// Where a path-based address that opens here would stand.
    fn place(self) -> Place {
        match self {
            Position::At(ty) => Place::At(ty),
            Position::NeedsKey(keyed) => Place::NeedsKey(keyed.keyword),
            Position::Done => Place::Done,
        }
    }
}

/// Walks the path of `target` into `route` (empty on entry) and returns
/// the route's shape. `text` is the whole target, which every piece is a
/// slice of; `SHORTCUTS` turns the shortcuts on.
pub(crate) fn walk<'a, const SHORTCUTS: bool>(
    parser: &Parser,
    text: &'a str,
    target: &Target<'a>,
    template: bool,
    route: &mut Route<'a>,
) -> Result<ShapeKey, Located<'a>> {
    // Inside a batch, the batch's version applies from the start.
    let graph = match &parser.batch_version {
        Some(version) if !template => Graph::of_version(version),
        _ => Graph::All,
    };
    route.version.clone_from(&parser.batch_version);
    let mut walk = Walk {
        parser,
        template,
        absolute: target.absolute,
        text,
        path_end: "",
        segments: 0,
        position: Position::At(Type::Root),
        graph,
        shape: ShapeKey::default(),
        route,
    };
    walk.run::<SHORTCUTS>(target.path_and_query)?;
    Ok(walk.shape)
}

/// The state of one walk.
struct Walk<'p, 'a, 'r> {
    parser: &'p Parser,
    template: bool,
    absolute: bool,
    /// The whole target, for offsets that a message names.
    text: &'a str,
    /// The empty rest of the path at its end, where `incomplete` points,
    /// once the path is split from the query.
    path_end: &'a str,
    segments: usize,
    position: Position,
    /// The rows the walk may take: all of them until a `v1.0` version
    /// segment says otherwise (docs/DESIGN.md §1.2).
    graph: Graph,
    shape: ShapeKey,
    route: &'r mut Route<'a>,
}

impl<'a> Walk<'_, 'a, '_> {
    fn run<const SHORTCUTS: bool>(&mut self, path_and_query: &'a str) -> Result<(), Located<'a>> {
        let mut rest = path_and_query;
        let mut first = true;
        if SHORTCUTS {
            // The shortcuts stop at a `?` at the latest.
            let taken = self.shortcuts(rest, first);
            first = taken.len() == rest.len();
            rest = taken;
        }
        let (path, query) = target::split_query(rest)?;
        self.route.query = query.map(Cow::Borrowed);
        self.path_end = &path[path.len()..];
        rest = path;
        while let Some(after) = rest.strip_prefix('/') {
            if SHORTCUTS {
                let taken = self.shortcuts(rest, first);
                if taken.len() < rest.len() {
                    rest = taken;
                    first = false;
                    continue;
                }
            }
            self.count_segment(after)?;
            rest = self.segment(rest, first)?;
            first = false;
        }
        self.end()
    }

    /// Takes the segments from `rest` (the path from a `/`) on that a
    /// shortcut decides, a faster primitive for the same decision, and
    /// returns the rest from the first segment it leaves to
    /// [`Walk::segment`], or from the `?` of the query: a segment that a
    /// shortcut takes ends at `/`, `?` or the end of the target. Whatever
    /// a shortcut takes, the full step takes the same way. The walk's
    /// state is kept in locals here, which the compiler keeps in
    /// registers.
    #[inline]
    fn shortcuts(&mut self, mut rest: &'a str, first: bool) -> &'a str {
        let max = self.parser.limits.max_segments;
        if first {
            match self.version_shortcut(rest) {
                Ok(Some(next)) => rest = next,
                Ok(None) => {}
                Err(Stop) => return rest,
            }
        }
        // Whether the next segment is the target's first, for the replay.
        #[cfg(debug_assertions)]
        let mut first = first && self.segments == 0;
        let graph = self.graph;
        let mut position = self.position;
        let mut shape = self.shape;
        let mut segments = self.segments;
        while let Some(after) = rest.strip_prefix('/') {
            // The full step counts the segment over the limit and says so.
            if segments >= max {
                break;
            }
            #[cfg(debug_assertions)]
            let before = Checkpoint {
                position,
                shape,
                steps: self.route.steps.len(),
                version: self.route.version.clone(),
            };
            let next = match position {
                Position::At(from) => {
                    let Some((edge, len)) = grammar::keyword_at(from, after.as_bytes(), graph)
                    else {
                        break;
                    };
                    position = Position::after(edge);
                    if let Position::At(_) = position {
                        self.route
                            .steps
                            .push(Step::new(StepKind(edge.row), None, false));
                        shape = shape.with(edge.row);
                    }
                    &after[len..]
                }
                Position::NeedsKey(keyed) => {
                    let (plain, next) = after.split_at(grammar::key_run(after.as_bytes()));
                    if !matches!(next.as_bytes().first(), None | Some(b'/' | b'?'))
                        || !self.is_plain_key(plain, keyed.key)
                    {
                        break;
                    }
                    let value = Some(Cow::Borrowed(plain));
                    self.route
                        .steps
                        .push(Step::new(StepKind(keyed.row), value, false));
                    shape = shape.with(keyed.row);
                    position = Position::At(keyed.to);
                    next
                }
                Position::Done => break,
            };
            segments += 1;
            #[cfg(debug_assertions)]
            {
                self.segments = segments;
                self.position = position;
                self.shape = shape;
                self.check_shortcut(before, rest, first, next);
                first = false;
            }
            rest = next;
        }
        self.position = position;
        self.shape = shape;
        self.segments = segments;
        rest
    }

    /// The shortcut for the first segment, which the full step tries as a
    /// version first, and so does this: the rest after the version, `None`
    /// when there is none (an origin-form target goes on with its first
    /// keyword), or [`Stop`] to leave the segment to the full step.
    #[inline]
    fn version_shortcut(&mut self, rest: &'a str) -> Result<Option<&'a str>, Stop> {
        let after = rest.strip_prefix('/').ok_or(Stop)?;
        if self.segments >= self.parser.limits.max_segments {
            return Err(Stop);
        }
        let Some((version, raw)) = version_at(self.parser, after) else {
            return if self.absolute { Err(Stop) } else { Ok(None) };
        };
        // A version segment that the full step would refuse, or that opens
        // a path-based address, is the full step's.
        if raw.is_empty() || raw.ends_with(':') || lexical::is_dot_segment(raw) {
            return Err(Stop);
        }
        #[cfg(debug_assertions)]
        let before = self.checkpoint();
        self.set_version(version, raw);
        self.segments += 1;
        let next = &after[raw.len()..];
        #[cfg(debug_assertions)]
        self.check_shortcut(before, rest, true, next);
        Ok(Some(next))
    }

    /// The state that a segment changes, to replay it.
    #[cfg(debug_assertions)]
    fn checkpoint(&self) -> Checkpoint<'a> {
        Checkpoint {
            position: self.position,
            shape: self.shape,
            steps: self.route.steps.len(),
            version: self.route.version.clone(),
        }
    }

    /// Debug builds, and so every test and fuzz run: the segment that a
    /// shortcut took at `slash` is taken again by the full step, which must
    /// leave the walk in the same state. Neither allocates on such a
    /// segment (no decoding), so allocation counts are the same as in a
    /// release build.
    #[cfg(debug_assertions)]
    fn check_shortcut(
        &mut self,
        before: Checkpoint<'a>,
        slash: &'a str,
        first: bool,
        next: &'a str,
    ) {
        let after = (
            self.checkpoint(),
            self.route.steps.get(before.steps).cloned(),
        );
        self.position = before.position;
        self.shape = before.shape;
        self.route.steps.truncate(before.steps);
        self.route.version = before.version;
        // The full step reads the path only: the shortcut may have stopped
        // at the query's `?`.
        let path = &slash[..memchr::memchr(b'?', slash.as_bytes()).unwrap_or(slash.len())];
        let query = slash.len() - path.len();
        let full = self
            .segment(path, first)
            .map(|rest| rest.len() + query)
            .map_err(|refused| refused.reason);
        let again = (
            self.checkpoint(),
            self.route.steps.get(before.steps).cloned(),
        );
        assert!(
            full.as_ref() == Ok(&next.len()) && again == after,
            "a shortcut and the full step disagree on the segment at {slash:?}: {after:?} vs {again:?}, {full:?}"
        );
    }

    /// One segment, every check in its order: the full step. `slash` is
    /// the rest of the path from the `/` before the segment.
    fn segment(&mut self, slash: &'a str, first: bool) -> Result<&'a str, Located<'a>> {
        let (mut rest, segment) = grammar::segment(&slash[1..]);
        check_not_empty_or_dot(segment.raw, slash, segment.followed_by_slash)?;
        let version = first && self.version(&segment)?;
        if !version {
            match self.position {
                Position::Done => {
                    return Err(Located::new(
                        segment.raw,
                        Reason::AfterAction(Snippet::new(segment.raw)),
                    ))
                }
                Position::NeedsKey(keyed) => {
                    let value = self.segment_key(&segment, keyed.key)?;
                    self.push(keyed.row, Some(value), segment.text);
                    self.position = Position::At(keyed.to);
                }
                Position::At(from) => self.keyword(&segment, from)?,
            }
        }
        if let Some(colon) = segment.opener() {
            rest = self.path_address(colon, rest)?;
        }
        Ok(rest)
    }

    /// Counts a segment that starts at `start`: over the limit is `limit`
    /// there.
    #[inline]
    fn count_segment(&mut self, start: &'a str) -> Result<(), Located<'a>> {
        self.segments += 1;
        let max = self.parser.limits.max_segments;
        if self.segments > max {
            return Err(Located::new(start, Reason::SegmentLimit { max }));
        }
        Ok(())
    }

    /// The path's end: only after the action is the route complete.
    #[inline]
    fn end(&self) -> Result<(), Located<'a>> {
        let reason = match self.position {
            Position::Done => return Ok(()),
            Position::NeedsKey(keyed) => Reason::MissingKey {
                keyword: keyed.keyword,
                param: keyed.key.param,
            },
            Position::At(on) => Reason::EndsBeforeAction(on, self.graph),
        };
        Err(Located::new(self.path_end, reason))
    }

    /// Appends the step of `edge`; `raw` is its value as written, a
    /// placeholder only in a template and only when it has the `{name}`
    /// shape before decoding.
    #[inline]
    fn push(&mut self, row: u8, value: Option<Cow<'a, str>>, raw: &str) {
        let placeholder = self.template && value.is_some() && grammar::is_placeholder(raw);
        self.route
            .steps
            .push(Step::new(StepKind(row), value, placeholder));
        self.shape = self.shape.with(row);
    }

    /// Takes the edge of a keyword segment (with no `('key')`).
    #[inline]
    fn take(&mut self, edge: &'static Edge) {
        self.position = Position::after(edge);
        if let Position::At(_) = self.position {
            self.push(edge.row, None, "");
        }
    }

    /// The first segment: a version, required in absolute-form and tried
    /// first in origin-form. Returns whether it was one.
    fn version(&mut self, segment: &Segment<'a>) -> Result<bool, Located<'a>> {
        // The segment without the `:` of a path-based address that it
        // opens: the version may open one, like any segment (on the root,
        // where it is `nesting`).
        if let Some((version, raw)) = version_at(self.parser, segment.text) {
            self.set_version(version, raw);
            return Ok(true);
        }
        if !self.absolute {
            return Ok(false);
        }
        // In a template, a brace is a placeholder only in a key or a path
        // value: here it is `syntax`, as it is in any keyword.
        if self.template {
            grammar::no_brace(segment.text)?;
        }
        // The version is a keyword: never decoded.
        if let Some(percent) = memchr::memchr(b'%', segment.text.as_bytes()) {
            return Err(Located::new(
                &segment.text[percent..],
                Reason::EscapeInKeyword(Snippet::new(segment.text)),
            ));
        }
        Err(Located::new(
            segment.raw,
            Reason::UnknownVersion {
                found: Snippet::new(segment.text),
                allowed: self.parser.versions.clone(),
            },
        ))
    }

    /// Records the version `raw` named, in its configured spelling,
    /// borrowed from the input when the spellings agree.
    #[allow(clippy::ptr_arg)] // Whether the spelling is borrowed matters.
    fn set_version(&mut self, configured: &Cow<'static, str>, raw: &'a str) {
        // A template is checked against every row, whatever its version.
        if !self.template {
            self.graph = Graph::of_version(configured);
        }
        self.route.version = Some(match configured {
            Cow::Borrowed(version) => Cow::Borrowed(version),
            Cow::Owned(version) if version == raw => Cow::Borrowed(raw),
            Cow::Owned(version) => Cow::Owned(version.clone()),
        });
    }

    /// A segment where a keyword belongs, on a resource of type `from`.
    fn keyword(&mut self, segment: &Segment<'a>, from: Type) -> Result<(), Located<'a>> {
        let KeywordSegment {
            word,
            parenthesized,
            escape,
        } = grammar::keyword_segment(segment);
        if self.template {
            grammar::no_brace(word)?;
        }
        // The keyword itself is matched as written; a `('key')` after it is
        // a key like any other, decoded once (so `drives('b%21...')` is the
        // same route as `drives/b%21...`).
        if let Some(at) = escape {
            return Err(Located::new(
                at,
                Reason::EscapeInKeyword(Snippet::new(word)),
            ));
        }
        let (edge, keyword) = match model::lookup(from, word, self.graph) {
            Lookup::Edge(edge, keyword) => (edge, keyword),
            Lookup::Misplaced => {
                let word = Snippet::new(word);
                return Err(Located::new(
                    segment.raw,
                    Reason::Misplaced {
                        word,
                        on: from,
                        graph: self.graph,
                    },
                ));
            }
            Lookup::Unknown => {
                let word = Snippet::new(word);
                return Err(Located::new(
                    segment.raw,
                    Reason::UnknownSegment {
                        word,
                        on: from,
                        graph: self.graph,
                    },
                ));
            }
        };
        let Some(paren) = parenthesized else {
            self.take(edge);
            return Ok(());
        };
        let Position::NeedsKey(keyed) = Position::after(edge) else {
            return Err(Located::new(paren, Reason::NoKeyTaken(keyword)));
        };
        let (_, raw) = grammar::paren_key(paren, keyword)?;
        let value = self.key(raw, false, keyed.key)?;
        self.push(keyed.row, Some(value), raw);
        self.position = Position::At(keyed.to);
        Ok(())
    }

    /// A key that needs no decoding and meets its rule, as the walk takes
    /// it without a closer look: the caller has seen that `text` is key
    /// bytes only. A key that starts with `.` could be a dot segment.
    #[inline]
    fn is_plain_key(&self, text: &str, key: Key) -> bool {
        !text.is_empty()
            && !text.starts_with('.')
            && text.len() <= self.parser.limits.max_key_len
            && key.rule.check(text).is_ok()
    }

    /// A key segment.
    #[inline]
    fn segment_key(&self, segment: &Segment<'a>, key: Key) -> Result<Cow<'a, str>, Located<'a>> {
        if segment.plain && self.is_plain_key(segment.text, key) {
            return Ok(Cow::Borrowed(segment.text));
        }
        self.key(segment.text, segment.plain, key)
    }

    /// A key, as a segment or inside `('...')`, every check in its order
    /// (docs/DESIGN.md §6 "Key position"). `plain`: the grammar found only
    /// key bytes in it.
    fn key(&self, raw: &'a str, plain: bool, key: Key) -> Result<Cow<'a, str>, Located<'a>> {
        let Key { param, rule } = key;
        // A key `.` or `..`, raw or encoded, is a dot segment, and dot
        // segments are checked before the position's own checks: this
        // catches the keys that are not a whole segment, `('..')` and `..`
        // before a path address's `:`.
        if matches!(raw.as_bytes().first(), Some(b'.' | b'%')) && lexical::is_dot_segment(raw) {
            return Err(Located::new(raw, Reason::DotKey(Snippet::new(raw))));
        }
        if self.template {
            if grammar::is_placeholder(raw) {
                return Ok(Cow::Borrowed(raw));
            }
            grammar::no_brace(raw)?;
        }
        let max = self.parser.limits.max_key_len;
        let (escapes, outside_alphabet) = if plain {
            (0, None)
        } else {
            scan_key(raw, rule)?
        };
        let decoded_len = raw.len() - 2 * escapes;
        if decoded_len > max {
            let crossed = lexical::raw_offset_of(raw, max);
            return Err(Located::at_byte(
                raw,
                crossed,
                Reason::KeyLimit {
                    param,
                    len: decoded_len,
                    max,
                },
            ));
        }
        if raw.is_empty() {
            return Err(Located::new(raw, Reason::EmptyKey(param)));
        }
        if let Some(byte) = outside_alphabet {
            return Err(Located::new(raw, Reason::KeyAlphabet { param, byte, rule }));
        }
        let value = if escapes > 0 {
            // Every decoded byte is ASCII: `scan_key` refused the rest.
            let bytes = lexical::decode(raw, decoded_len);
            Cow::Owned(
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            )
        } else {
            Cow::Borrowed(raw)
        };
        if let Err(fault) = rule.check(&value) {
            let key = Snippet::new(&value);
            return Err(Located::new(raw, Reason::KeyRule { param, key, fault }));
        }
        Ok(value)
    }

    /// The path-based address that the `:` at `colon` opens; `rest` starts
    /// with the `/` after it. Returns the rest after the closing `:`.
    fn path_address(&mut self, colon: &'a str, rest: &'a str) -> Result<&'a str, Located<'a>> {
        let edge = match self.position {
            Position::At(ty) => model::path_edge(ty),
            _ => None,
        };
        let Some(edge) = edge else {
            return Err(Located::new(
                colon,
                Reason::PathNotHere(self.position.place(), self.graph),
            ));
        };
        let (after, address) = grammar::path_address(rest);
        let value = self.path_value(&address, rest)?;
        self.push(edge.row, Some(value), address.value);
        self.position = Position::after(edge);
        Ok(after)
    }

    /// The value of a path-based address (docs/DESIGN.md §1.4, §6
    /// "Path-based addresses"); `body` starts with the `/` before it.
    fn path_value(
        &mut self,
        address: &PathAddress<'a>,
        body: &'a str,
    ) -> Result<Cow<'a, str>, Located<'a>> {
        let value = address.value;
        if !self.template {
            // No later stage reads these bytes against the allowed set.
            lexical::scan_piece(value)?;
        } else if grammar::is_placeholder(value) {
            self.count_segment(value)?;
            return Ok(Cow::Borrowed(value));
        }
        for (part, followed_by_slash) in grammar::path_segments(value) {
            self.count_segment(part)?;
            // The `/` before a part of the value is the byte before it in
            // `body`, which starts one byte before the value.
            let slash = &body[part.as_ptr() as usize - value.as_ptr() as usize..];
            check_not_empty_or_dot(part, slash, followed_by_slash)?;
            if self.template {
                grammar::no_brace(part)?;
            }
            check_path_escapes(part)?;
        }
        let decoded = if value.contains('%') {
            let bytes = lexical::decode(value, lexical::decoded_len(value));
            match String::from_utf8(bytes) {
                Ok(text) => Cow::Owned(text),
                Err(e) => {
                    let bad = lexical::raw_offset_of(value, e.utf8_error().valid_up_to());
                    return Err(Located::at_byte(value, bad, Reason::PathNotUtf8));
                }
            }
        } else {
            Cow::Borrowed(value)
        };
        let max = self.parser.limits.max_path_chars;
        if let Some((index, _)) = decoded.char_indices().nth(max) {
            let crossed = lexical::raw_offset_of(value, index);
            return Err(Located::at_byte(value, crossed, Reason::PathLimit { max }));
        }
        if let Err((fault, folded)) = names::check_path(&decoded) {
            return Err(Located::new(value, Reason::BadName { fault, folded }));
        }
        // An address without its closing `:` has had every check above: its
        // value is what it would be if it were closed.
        if !address.closed {
            let start = value.as_ptr() as usize - self.text.as_ptr() as usize;
            return Err(Located::new(self.path_end, Reason::UnclosedPath { start }));
        }
        Ok(decoded)
    }
}

/// The escapes of one segment of a path value, left to right: an encoded
/// `/` would move where the path splits; a `%25` whose `%` is followed,
/// once decoded, by two hex digits (raw or escaped: `%252F`, `%25%32%46`)
/// would be read as another escape by a backend that decodes twice. Both
/// are `encoding` at their `%`.
fn check_path_escapes(part: &str) -> Result<(), Located<'_>> {
    let bytes = part.as_bytes();
    // The decoded byte at raw offset `at`, and the raw offset after it.
    let decoded_at = |at: usize| match lexical::escape_at(bytes, at) {
        Some(b) => Some((b, at + 3)),
        None => bytes.get(at).map(|&b| (b, at + 1)),
    };
    for at in memchr::memchr_iter(b'%', bytes) {
        match lexical::escape_at(bytes, at) {
            Some(b'/') => return Err(Located::new(&part[at..], Reason::EncodedSlash)),
            Some(b'%') => {
                let second_decoding = decoded_at(at + 3)
                    .and_then(|(high, next)| Some((high, decoded_at(next)?.0)))
                    .is_some_and(|(high, low)| high.is_ascii_hexdigit() && low.is_ascii_hexdigit());
                if second_decoding {
                    return Err(Located::new(&part[at..], Reason::DoubleEncoding));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A shortcut leaves the segment to the full step.
struct Stop;

/// What [`Walk::check_shortcut`] compares.
#[cfg(debug_assertions)]
#[derive(Debug, PartialEq, Eq)]
struct Checkpoint<'a> {
    position: Position,
    shape: ShapeKey,
    steps: usize,
    version: Option<Cow<'a, str>>,
}

/// The configured version that `rest` (the path after a `/`) starts with
/// as a whole segment (followed by `/`, `?` or the end), ASCII case aside,
/// and that segment. A version is one
/// whole segment, so a configured version with a `/` never matches; nor
/// does one with bytes the scan refuses: such a target is refused by the
/// scan.
#[inline]
fn version_at<'p, 'a>(
    parser: &'p Parser,
    rest: &'a str,
) -> Option<(&'p Cow<'static, str>, &'a str)> {
    let bytes = rest.as_bytes();
    parser.versions.as_slice().iter().find_map(|version| {
        let len = version.len();
        let raw = bytes.get(..len)?;
        // The segment's end first: it turns most versions down at once.
        let matches = matches!(bytes.get(len), None | Some(b'/' | b'?'))
            && raw.eq_ignore_ascii_case(version.as_bytes())
            && !version.contains('/')
            && lexical::is_clean(version.as_bytes());
        // A clean version is ASCII, so `len` is a character boundary.
        Some((version, rest.get(..len).filter(|_| matches)?))
    })
}

/// Empty segments (`//`, a trailing `/`) and dot segments, raw or encoded.
/// `slash` starts at the `/` before the segment; `followed_by_slash` says
/// whether another `/` follows it.
#[inline]
fn check_not_empty_or_dot<'a>(
    raw: &'a str,
    slash: &'a str,
    followed_by_slash: bool,
) -> Result<(), Located<'a>> {
    // Only an empty segment or one that starts with `.` or `%` can fail.
    match raw.as_bytes().first() {
        Some(b'.' | b'%') | None => empty_or_dot(raw, slash, followed_by_slash),
        Some(_) => Ok(()),
    }
}

/// The rare half of [`check_not_empty_or_dot`], kept out of the hot loop.
#[inline(never)]
fn empty_or_dot<'a>(
    raw: &'a str,
    slash: &'a str,
    followed_by_slash: bool,
) -> Result<(), Located<'a>> {
    if raw.is_empty() {
        // The superfluous `/`: the second of `//`, where the empty segment
        // starts, or a trailing `/` itself.
        let at = if followed_by_slash { raw } else { slash };
        return Err(Located::new(at, Reason::EmptySegment));
    }
    if lexical::is_dot_segment(raw) {
        return Err(Located::new(raw, Reason::DotSegment(Snippet::new(raw))));
    }
    Ok(())
}

/// One pass over a key that is not plain: the number of escapes and the
/// first decoded byte outside the alphabet. Escapes are checked as they
/// come, and the first bad one is the error; a byte outside the alphabet is
/// only noted, because a bad escape after it still wins (docs/DESIGN.md
/// §6, key position).
fn scan_key(raw: &str, rule: KeyRule) -> Result<(usize, Option<u8>), Located<'_>> {
    let bytes = raw.as_bytes();
    let extra = rule.extra_bytes();
    let mut outside_alphabet = None;
    let mut escapes = 0;
    let mut i = 0;
    loop {
        i += grammar::key_run(&bytes[i..]);
        let Some(&b) = bytes.get(i) else {
            return Ok((escapes, outside_alphabet));
        };
        if b != b'%' {
            // A byte beyond the alphabet that the key's rule allows passes
            // raw only where the scan allows it raw (`:`, not a space).
            if !(extra.contains(&b) && lexical::is_allowed_raw(b)) {
                outside_alphabet.get_or_insert(b);
            }
            i += 1;
            continue;
        }
        let decoded = lexical::escape_at(bytes, i)
            .filter(|d| !matches!(d, b'/' | b'\\' | b'?' | b'#' | 0x00..=0x1F | 0x7F..));
        let Some(decoded) = decoded else {
            let escape = Snippet::new(raw.get(i..i + 3).unwrap_or(&raw[i..]));
            return Err(Located::new(&raw[i..], Reason::KeyEscape(escape)));
        };
        if !lexical::is_key_byte(decoded) && !extra.contains(&decoded) {
            outside_alphabet.get_or_insert(decoded);
        }
        escapes += 1;
        i += 3;
    }
}
