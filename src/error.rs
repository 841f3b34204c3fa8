//! Errors: one public [`Error`] with a stable [`ErrorKind`], a byte offset and
//! a message, and a caret rendering for people.

use std::fmt;

/// What kind of problem rejected a request target (SPEC 2).
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

    /// Every kind, in the order of SPEC 2.
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
/// The kind and the offset are the contract; the message is for people and
/// may change between versions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: usize, message: String) -> Error {
        Error {
            kind,
            offset,
            message,
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset of the problem in the request target (not counting a
    /// `METHOD ` prefix).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The one-line message: what was found, what was expected, and where.
    pub fn message(&self) -> &str {
        &self.message
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
        const MAX_SHOWN: usize = 240;
        // Keep the caret on screen for long targets: show a window around it.
        let start = self.offset.saturating_sub(MAX_SHOWN / 2);
        let start = if target.len() > MAX_SHOWN { start } else { 0 };
        let end = target.len().min(start + MAX_SHOWN);
        let mut shown = String::with_capacity(end - start + 8);
        if start > 0 {
            shown.push_str("...");
        }
        shown.extend(target[start.min(end)..end].iter().map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '?'
            }
        }));
        let column = self.offset - start + if start > 0 { 3 } else { 0 };
        format!(
            "error[{}]: {}\n  {}\n  {}^",
            self.kind,
            self.message,
            shown,
            " ".repeat(column)
        )
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Error", 3)?;
        out.serialize_field("kind", self.kind.as_str())?;
        out.serialize_field("offset", &self.offset)?;
        out.serialize_field("message", &self.message)?;
        out.end()
    }
}

/// Shows a piece of the input in a message, cut short when it is long.
pub(crate) fn snippet(text: &str) -> String {
    const MAX: usize = 48;
    if text.len() <= MAX {
        text.to_owned()
    } else {
        let mut cut = MAX;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &text[..cut])
    }
}
