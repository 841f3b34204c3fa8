//! Errors: one public [`Error`] with a stable [`ErrorKind`], a byte offset
//! and a message, and a caret rendering for people.
//!
//! An error is data: a private [`Reason`] carries what its message needs
//! (the word that was found, the type it was found on, a limit), and the
//! message is composed only when the error is displayed. Rejecting a
//! request costs no formatting, which matters to a gateway that rejects a
//! flood of bad requests, and each message is written once, in
//! [`Reason::describe`]. Each reason has exactly one kind.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use crate::model::{
    AllowedAfter, Graph, KeyFault, KeyRule, Keyword, PathTakers, Type, SPECIAL_FOLDERS,
};
use crate::names::NameFault;

/// What kind of problem rejected a request target (docs/DESIGN.md §2).
///
/// The snake_case names from [`ErrorKind::as_str`] are stable: logs, metrics
/// and the CLI's JSON use them. New kinds may be added, so match with a
/// wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The method is not `POST`.
    Method,
    /// Over a configured limit: target length, segment count, key length,
    /// path-address length.
    Limit,
    /// A malformed target: a byte outside the allowed set, an empty or dot
    /// segment, a trailing `/`, a bad absolute URL or `('key')` form.
    Syntax,
    /// A bad percent-escape, or one that is not allowed where it stands.
    Encoding,
    /// An absolute-form target with a scheme, userinfo, port or host that is
    /// not allowed.
    Host,
    /// A segment where a keyword belongs that is no keyword of the model.
    UnknownSegment,
    /// A keyword of the model in a place the type graph does not allow.
    Nesting,
    /// A key that breaks its key's rules.
    InvalidId,
    /// The path ends before the action, or a key is missing.
    Incomplete,
    /// Documented-only mode: a valid route that is not one of the 20
    /// documented templates.
    Undocumented,
}

impl ErrorKind {
    /// The stable snake_case name: `unknown_segment`, `invalid_id`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Method => "method",
            ErrorKind::Limit => "limit",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Host => "host",
            ErrorKind::UnknownSegment => "unknown_segment",
            ErrorKind::Nesting => "nesting",
            ErrorKind::InvalidId => "invalid_id",
            ErrorKind::Incomplete => "incomplete",
            ErrorKind::Undocumented => "undocumented",
        }
    }

    /// Every kind, in the order of docs/DESIGN.md §2.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::Method,
        ErrorKind::Limit,
        ErrorKind::Syntax,
        ErrorKind::Encoding,
        ErrorKind::Host,
        ErrorKind::UnknownSegment,
        ErrorKind::Nesting,
        ErrorKind::InvalidId,
        ErrorKind::Incomplete,
        ErrorKind::Undocumented,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request target is not a valid checkout request.
///
/// The kind and the offset are the contract; the message (its `Display`)
/// is for people and may change between versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    offset: usize,
    reason: Reason,
}

impl Error {
    /// An error at `offset`: its kind is the reason's.
    #[cold]
    pub(crate) fn new(offset: usize, reason: Reason) -> Error {
        Error { offset, reason }
    }

    /// The same error, `by` bytes further on: for a piece of the target
    /// that was read on its own.
    pub(crate) fn shifted(self, by: usize) -> Error {
        Error {
            offset: self.offset + by,
            ..self
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.reason.kind()
    }

    /// The byte offset of the problem in the request target (not counting a
    /// `METHOD ` prefix).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The one-line message: what was found, what was expected, and where
    /// (the same text as `Display`, composed on each call).
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Renders the error for a person: the message, then the target with a
    /// caret under the offending byte. Bytes that are not printable ASCII are
    /// shown as `?` so that the caret stays in its column.
    ///
    /// ```
    /// let err = graph_checkout_route::parse("/me/drive/checkout").unwrap_err();
    /// let shown = err.caret(b"/me/drive/checkout");
    /// assert_eq!(shown.lines().nth(2), Some("            ^"));
    /// ```
    pub fn caret(&self, target: &[u8]) -> String {
        format!(
            "error[{}]: {}\n{}",
            self.kind(),
            self,
            point_at(target, self.offset)
        )
    }
}

/// Two lines that point at a byte of an input: the input, and a caret
/// under the byte at `offset`, each indented by two spaces. A long input is
/// shown as a window around the caret; bytes that are not printable ASCII
/// are shown as `?`, so that the caret stays in its column.
///
/// ```
/// assert_eq!(graph_checkout_route::point_at(b"/me/dr\x01ve", 6), "  /me/dr?ve\n        ^");
/// ```
pub fn point_at(input: &[u8], offset: usize) -> String {
    const MAX_SHOWN: usize = 240;
    // Keep the caret on screen for long inputs: show a window around it.
    let start = offset.saturating_sub(MAX_SHOWN / 2);
    let start = if input.len() > MAX_SHOWN { start } else { 0 };
    let end = input.len().min(start + MAX_SHOWN);
    let mut shown = String::with_capacity(end - start + 8);
    if start > 0 {
        shown.push_str("...");
    }
    shown.extend(input[start.min(end)..end].iter().map(|&b| {
        if b.is_ascii_graphic() {
            char::from(b)
        } else {
            '?'
        }
    }));
    let column = offset.saturating_sub(start) + if start > 0 { 3 } else { 0 };
    format!("  {}\n  {}^", shown, " ".repeat(column))
}

/// The message: what was found, what was expected, and where.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.reason.describe(self.offset, f)
    }
}

impl std::error::Error for Error {}

#[cfg(feature = "serde")]
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The message is written straight into the output, not built as
        // a String first: a log of rejects is mostly messages.
        struct Message<'e>(&'e Error);
        impl serde::Serialize for Message<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }

        let mut out = serializer.serialize_struct("Error", 3)?;
        out.serialize_field("kind", self.kind().as_str())?;
        out.serialize_field("offset", &self.offset)?;
        out.serialize_field("message", &Message(self))?;
        out.end()
    }
}

/// A reason at a place in the input: `at` is the input from the offending
/// byte on, a slice of the target, so that its offset is its distance from
/// the target's start. The stages that read pieces of a target report
/// this; the pipeline turns it into an [`Error`]. (Bytes, not `str`: the
/// byte where a limit is crossed may sit inside a character.)
#[derive(Debug)]
pub(crate) struct Located<'a> {
    pub(crate) at: &'a [u8],
    pub(crate) reason: Reason,
}

impl<'a> Located<'a> {
    /// `reason` at the start of `at`.
    #[cold]
    pub(crate) fn new(at: &'a str, reason: Reason) -> Located<'a> {
        Located {
            at: at.as_bytes(),
            reason,
        }
    }

    /// `reason` at byte `i` of `text`.
    #[cold]
    pub(crate) fn at_byte(text: &'a str, i: usize, reason: Reason) -> Located<'a> {
        Located {
            at: &text.as_bytes()[i.min(text.len())..],
            reason,
        }
    }

    /// The error, with its offset in `target`, which `at` is a slice of.
    #[cold]
    pub(crate) fn into_error(self, target: &str) -> Error {
        Error::new(
            self.at.as_ptr() as usize - target.as_ptr() as usize,
            self.reason,
        )
    }
}

/// The configured versions or hosts, shared with the [`Parser`](crate::Parser)
/// that refused a request, for the message to list: the defaults are a
/// static list, so that copying them into an error costs nothing; a list
/// given to the builder is shared by reference count.
#[derive(Debug, Clone)]
pub(crate) enum Names {
    Static(&'static [Cow<'static, str>]),
    Shared(Arc<[Cow<'static, str>]>),
}

impl Names {
    /// The names, in their configured order.
    pub(crate) fn as_slice(&self) -> &[Cow<'static, str>] {
        match self {
            Names::Static(names) => names,
            Names::Shared(names) => names,
        }
    }
}

impl<S: Into<Cow<'static, str>>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Names {
        Names::Shared(names.into_iter().map(Into::into).collect())
    }
}

/// Lists of the same names are equal, however they are kept.
impl PartialEq for Names {
    fn eq(&self, other: &Names) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Names {}

/// Why a target was refused, with what its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The target is `len` bytes long; at most `max` are allowed.
    TooLong {
        len: usize,
        max: usize,
    },
    /// The method is not `POST`.
    Method(Snippet),
    /// A byte outside the allowed set.
    BadByte(u8),
    /// A `%` not followed by two hex digits.
    BadPercent,
    /// Neither `/...` nor `scheme:...`.
    NotATarget(Snippet),
    /// A scheme other than `https`.
    Scheme(Snippet),
    /// `https:` not followed by `//`.
    NoSlashes,
    /// `{+baseurl}` not followed by an origin-form target.
    AfterBaseUrl,
    /// A brace in a template's authority.
    BraceInHost,
    Userinfo(Snippet),
    Port(Snippet),
    Host {
        host: Snippet,
        allowed: Names,
    },
    /// An absolute URL whose first segment is no configured version.
    UnknownVersion {
        found: Snippet,
        allowed: Names,
    },
    /// The segment at the offset is one over `max`.
    SegmentLimit {
        max: usize,
    },
    /// An empty segment: `//` or a trailing `/`.
    EmptySegment,
    DotSegment(Snippet),
    /// A brace outside a whole-key or whole-path placeholder.
    Brace,
    EscapeInKeyword(Snippet),
    UnknownSegment {
        word: Snippet,
        on: Type,
        graph: Graph,
    },
    Misplaced {
        word: Snippet,
        on: Type,
        graph: Graph,
    },
    /// Anything after the action.
    AfterAction(Snippet),
    /// `(` after a keyword that takes no key.
    NoKeyTaken(Keyword),
    /// A malformed `('key')`.
    Paren {
        keyword: Keyword,
        fault: ParenFault,
    },
    /// `('')`.
    EmptyParenKey(Keyword),
    /// A key `.` or `..`, raw or encoded.
    DotKey(Snippet),
    /// An escape not allowed in a key, as written.
    KeyEscape(Snippet),
    KeyLimit {
        param: &'static str,
        len: usize,
        max: usize,
    },
    EmptyKey(&'static str),
    /// A decoded key byte outside the key's alphabet.
    KeyAlphabet {
        param: &'static str,
        byte: u8,
        rule: KeyRule,
    },
    KeyRule {
        param: &'static str,
        key: Snippet,
        fault: KeyFault,
    },
    /// A path-based address where the walk stands somewhere that takes none.
    PathNotHere(Place, Graph),
    /// `%2F` in a path-based address.
    EncodedSlash,
    /// A path-based address with no closing `:`; it started at `start`.
    UnclosedPath {
        start: usize,
    },
    /// The escapes from the offset do not decode to UTF-8.
    PathNotUtf8,
    /// The path-based address is longer than `max` characters.
    PathLimit {
        max: usize,
    },
    /// A character no file name may hold.
    BadName {
        fault: NameFault,
        folded: bool,
    },
    /// A `%25` whose `%`, with the two hex digits after it, a second
    /// decoding would read as an escape.
    DoubleEncoding,
    /// The path ends where a keyword needs its key.
    MissingKey {
        keyword: Keyword,
        param: &'static str,
    },
    /// The path ends on a resource, before the action.
    EndsBeforeAction(Type, Graph),
    /// Documented-only mode.
    Undocumented,
}

/// What is wrong with a `('key')` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParenFault {
    /// No `'` right after `(`.
    Quote,
    /// No closing `'`.
    ClosingQuote,
    /// No `)` after the closing `'`.
    CloseParen,
    /// Something after the `)`.
    Trailing,
}

/// Where the walk stood when a path-based address opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    At(Type),
    NeedsKey(Keyword),
    Done,
}

impl Reason {
    /// The kind of error this reason is.
    pub(crate) fn kind(&self) -> ErrorKind {
        use Reason as R;
        match self {
            R::Method(_) => ErrorKind::Method,
            R::TooLong { .. }
            | R::SegmentLimit { .. }
            | R::KeyLimit { .. }
            | R::PathLimit { .. } => ErrorKind::Limit,
            R::BadByte(_)
            | R::NotATarget(_)
            | R::NoSlashes
            | R::AfterBaseUrl
            | R::BraceInHost
            | R::EmptySegment
            | R::DotSegment(_)
            | R::Brace
            | R::NoKeyTaken(_)
            | R::Paren { .. }
            | R::DotKey(_) => ErrorKind::Syntax,
            R::BadPercent
            | R::EscapeInKeyword(_)
            | R::KeyEscape(_)
            | R::EncodedSlash
            | R::DoubleEncoding
            | R::PathNotUtf8 => ErrorKind::Encoding,
            R::Scheme(_) | R::Userinfo(_) | R::Port(_) | R::Host { .. } => ErrorKind::Host,
            R::UnknownVersion { .. } | R::UnknownSegment { .. } => ErrorKind::UnknownSegment,
            R::Misplaced { .. } | R::AfterAction(_) | R::PathNotHere(..) => ErrorKind::Nesting,
            R::EmptyParenKey(_)
            | R::EmptyKey(_)
            | R::KeyAlphabet { .. }
            | R::KeyRule { .. }
            | R::BadName { .. } => ErrorKind::InvalidId,
            R::UnclosedPath { .. } | R::MissingKey { .. } | R::EndsBeforeAction(..) => {
                ErrorKind::Incomplete
            }
            R::Undocumented => ErrorKind::Undocumented,
        }
    }

    /// The message of an error with this reason at byte `at`.
    #[allow(clippy::too_many_lines)]
    fn describe(&self, at: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Reason as R;
        match self {
            R::TooLong { len, max } => write!(
                f,
                "the target is {len} bytes long: at most {max} are allowed (the limit is crossed at byte {max})"
            ),
            R::Method(method) => write!(
                f,
                "method `{method}` is not allowed: checkout takes `POST` (methods are case-sensitive)"
            ),
            R::BadByte(b) => {
                let hint = match b {
                    b'#' => "a fragment never reaches the server",
                    b';' => "path parameters are not part of Graph URLs",
                    b'\\' => "backslash is not a path separator",
                    0x80.. => "clients percent-encode non-ASCII",
                    _ => "clients percent-encode it",
                };
                write!(
                    f,
                    "{} at byte {at} is not allowed in a request target: {hint}",
                    ByteName(*b)
                )
            }
            R::BadPercent => write!(
                f,
                "`%` at byte {at} is not followed by two hex digits: write a literal `%` as `%25`"
            ),
            R::NotATarget(found) => write!(
                f,
                "`{found}` at byte 0 starts neither an origin-form target (`/...`) nor an absolute URL (`https://...`)"
            ),
            R::Scheme(scheme) => write!(
                f,
                "scheme `{scheme}` at byte 0 is not allowed: only `https` is"
            ),
            R::NoSlashes => write!(
                f,
                "expected `//` after `https:`, found a bad absolute URL at byte {at}"
            ),
            R::AfterBaseUrl => write!(
                f,
                "`{{+baseurl}}` must be followed by the path, starting with `/`, at byte {at}"
            ),
            R::BraceInHost => write!(f, "a brace at byte {at} is not allowed in the host"),
            R::Userinfo(authority) => {
                write!(f, "userinfo in `{authority}` is not allowed at byte {at}")
            }
            R::Port(port) => write!(
                f,
                "port `{port}` is not allowed: only 443 is at byte {at}"
            ),
            R::Host { host, allowed } => write!(
                f,
                "host `{host}` is not allowed (expected one of {}) at byte {at}",
                List(allowed.as_slice(), "")
            ),
            R::UnknownVersion { found, allowed } => write!(
                f,
                "unknown version `{found}` at byte {at}: an absolute URL needs one of {} first",
                List(allowed.as_slice(), "`")
            ),
            R::SegmentLimit { max } => write!(
                f,
                "segment {} starts at byte {at}: at most {max} path segments are allowed",
                max + 1
            ),
            R::EmptySegment => write!(
                f,
                "superfluous `/` at byte {at}: empty segments and trailing slashes are not allowed"
            ),
            R::DotSegment(segment) => write!(
                f,
                "dot segment `{segment}` at byte {at}: `.` and `..` are never resolved here"
            ),
            R::Brace => write!(
                f,
                "brace at byte {at}: a placeholder `{{name}}` must fill a whole key or path"
            ),
            R::EscapeInKeyword(word) => write!(
                f,
                "percent-escape at byte {at} inside the keyword `{word}`: keywords are matched as written, never decoded"
            ),
            R::UnknownSegment { word, on, graph } => write!(
                f,
                "unknown segment `{word}` at byte {at}: {} has {}",
                on.name(),
                AllowedAfter(*on, *graph)
            ),
            R::Misplaced { word, on, graph } => write!(
                f,
                "unexpected segment `{word}` at byte {at}: {} has {}",
                on.name(),
                AllowedAfter(*on, *graph)
            ),
            R::AfterAction(segment) => write!(
                f,
                "unexpected segment `{segment}` at byte {at}: nothing may follow the action `checkout`"
            ),
            R::NoKeyTaken(keyword) => write!(f, "`(` at byte {at}: `{keyword}` takes no key"),
            R::Paren { keyword, fault } => {
                let what = match fault {
                    ParenFault::Quote => "expected `'` after `(`: keys in parentheses are quoted",
                    ParenFault::ClosingQuote => "the quoted key has no closing `'`",
                    ParenFault::CloseParen => "expected `)` after the quoted key",
                    ParenFault::Trailing => "nothing may follow `)` in a segment",
                };
                write!(
                    f,
                    "malformed key of `{keyword}` at byte {at}: {what} (the form is `{keyword}('KEY')`)"
                )
            }
            R::EmptyParenKey(keyword) => write!(f, "empty key of `{keyword}` at byte {at}"),
            R::DotKey(key) => write!(f, "key `{key}` at byte {at} is a dot segment"),
            R::KeyEscape(escape) => write!(
                f,
                "escape `{escape}` at byte {at} is not allowed in a key: encoded separators, controls and non-ASCII bytes are rejected"
            ),
            R::KeyLimit { param, len, max } => write!(
                f,
                "key `{param}` is {len} bytes long after decoding: at most {max} are allowed (crossed at byte {at})"
            ),
            R::EmptyKey(param) => write!(f, "empty key `{param}` at byte {at}"),
            R::KeyAlphabet { param, byte, rule } => {
                write!(
                    f,
                    "key `{param}` at byte {at} holds `{}`: a key holds only A-Z a-z 0-9 - . _ ~ ! , @",
                    char::from(*byte).escape_default()
                )?;
                match rule {
                    KeyRule::Channel => f.write_str(" and `:`")?,
                    KeyRule::ListId => f.write_str(" and a space (`%20`)")?,
                    KeyRule::Any | KeyRule::Share | KeyRule::SpecialFolder => {}
                }
                f.write_str(" after decoding")
            }
            R::KeyRule { param, key, fault } => {
                write!(f, "key `{param}` at byte {at} is `{key}`: ")?;
                match fault {
                    KeyFault::Alias => f.write_str(
                        "a key starting with `@` is an OData parameter alias, which the backend resolves from the query",
                    ),
                    KeyFault::Cast => f.write_str(
                        "a key starting with `microsoft.graph.` is a type cast to the backend, not a key",
                    ),
                    KeyFault::Rule(KeyRule::Share) => {
                        f.write_str("a share id starts with `u!` or `s!` and has more after it")
                    }
                    KeyFault::Rule(KeyRule::SpecialFolder) => {
                        f.write_str("a special folder is one of ")?;
                        f.write_str(&SPECIAL_FOLDERS.join(", "))
                    }
                    KeyFault::Rule(KeyRule::Any | KeyRule::Channel | KeyRule::ListId) => Ok(()),
                }
            }
            R::PathNotHere(place, graph) => {
                write!(
                    f,
                    "a path-based address opens at byte {at}, but only {PathTakers} takes one: "
                )?;
                match place {
                    Place::At(ty) => write!(f, "{} has {}", ty.name(), AllowedAfter(*ty, *graph)),
                    Place::NeedsKey(keyword) => write!(f, "`{keyword}` needs a key first"),
                    Place::Done => f.write_str("nothing may follow the action"),
                }
            }
            R::EncodedSlash => write!(
                f,
                "encoded `/` at byte {at} in a path-based address: it would change where the path splits"
            ),
            R::UnclosedPath { start } => write!(
                f,
                "the path ends at byte {at} inside the path-based address that starts at byte {start}: expected a closing `:` and then `/checkout`"
            ),
            R::PathNotUtf8 => write!(
                f,
                "the escapes from byte {at} do not decode to UTF-8: file names are UTF-8, percent-encoded"
            ),
            R::PathLimit { max } => write!(
                f,
                "the path-based address is longer than {max} characters: character {} is at byte {at}",
                max + 1
            ),
            R::BadName { fault, folded } => {
                write!(f, "the path at byte {at} has a name ")?;
                f.write_str(if *folded {
                    "whose NFKC form (as a best-fit mapping folds it) "
                } else {
                    "that "
                })?;
                match fault {
                    NameFault::Forbidden(c) => write!(
                        f,
                        "holds `{}`: file names may not hold \" * : < > ? \\ | or control characters",
                        c.escape_default()
                    ),
                    NameFault::EdgeSpace => f.write_str(
                        "starts or ends with a space, which a Windows-based store strips",
                    ),
                    NameFault::TrailingDot => {
                        f.write_str("ends with `.`, which a Windows-based store strips")
                    }
                    NameFault::Reserved => f.write_str(
                        "OneDrive or SharePoint reserves (a device name, `.lock`, `desktop.ini`, `~$...`, `_vti_`)",
                    ),
                    NameFault::FoldsToSeparator => f.write_str("holds a `/` or is `.` or `..`"),
                }
            }
            R::DoubleEncoding => write!(
                f,
                "`%25` at byte {at} decodes to a `%` followed by two hex digits: a backend that decodes twice would read another path"
            ),
            R::MissingKey { keyword, param } => write!(
                f,
                "the path ends at byte {at} where `{keyword}` needs a key: expected `{keyword}/{{{param}}}`"
            ),
            R::EndsBeforeAction(on, graph) => write!(
                f,
                "the path ends at byte {at} before the action: {} has {}",
                on.name(),
                AllowedAfter(*on, *graph)
            ),
            R::Undocumented => f.write_str(
                "the route is valid but is not one of the 20 documented checkout routes (documented-only mode)",
            ),
        }
    }
}

/// A byte as messages name it: "a space", "`#`", "the control byte 0x01".
struct ByteName(u8);

impl fmt::Display for ByteName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b' ' => f.write_str("a space"),
            b'\t' => f.write_str("a tab"),
            b'\r' => f.write_str("a carriage return"),
            b'\n' => f.write_str("a line feed"),
            b @ 0x80.. => write!(f, "the non-ASCII byte 0x{b:02X}"),
            b if b.is_ascii_graphic() => write!(f, "`{}`", char::from(b)),
            b => write!(f, "the control byte 0x{b:02X}"),
        }
    }
}

/// A list of names, each between `quote`s, joined with ", ".
struct List<'a>(&'a [Cow<'static, str>], &'a str);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let List(names, quote) = self;
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{quote}{name}{quote}")?;
        }
        Ok(())
    }
}

/// A piece of the input for a message, kept inline (no allocation) and cut
/// short when it is long.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Snippet {
    bytes: [u8; Snippet::MAX],
    len: u8,
    cut: bool,
}

impl Snippet {
    /// The longest piece shown; longer ones end in `...`.
    const MAX: usize = 48;

    /// The start of `text`, cut at a character boundary.
    pub(crate) fn new(text: &str) -> Snippet {
        let mut len = text.len().min(Snippet::MAX);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        Snippet::of_bytes(&text.as_bytes()[..len], len < text.len())
    }

    /// The start of raw bytes, shown with `U+FFFD` for what is not UTF-8.
    pub(crate) fn lossy(bytes: &[u8]) -> Snippet {
        let len = bytes.len().min(Snippet::MAX);
        Snippet::of_bytes(&bytes[..len], len < bytes.len())
    }

    fn of_bytes(piece: &[u8], cut: bool) -> Snippet {
        let mut bytes = [0; Snippet::MAX];
        bytes[..piece.len()].copy_from_slice(piece);
        Snippet {
            bytes,
            len: u8::try_from(piece.len()).unwrap_or(u8::MAX),
            cut,
        }
    }
}

/// The piece, with every control character escaped (`\r`, `\u{1b}`), so
/// that a message is always one line that no input can split or recolour
/// (a method `GET\r\nX` in a log).
impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let piece = &self.bytes[..usize::from(self.len)];
        for chunk in piece.utf8_chunks() {
            for c in chunk.valid().chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    f.write_char(c)?;
                }
            }
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        if self.cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}
