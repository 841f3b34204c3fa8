//! A log line that does not have the shape its `--input` format promises:
//! the CLI's own error, beside the library's, under the kind `log_format`.

use std::fmt;

/// The kind name of every [`LogFormatError`], as the output spells it.
pub(crate) const KIND: &str = "log_format";

/// What was wrong with a log line, and where: `offset` counts bytes from
/// the start of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogFormatError {
    pub(crate) offset: usize,
    pub(crate) reason: Reason,
}

/// In the shape of the library's errors: `kind`, `offset`, `message`.
impl serde::Serialize for LogFormatError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;

        struct Message<'e>(&'e LogFormatError);
        impl serde::Serialize for Message<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }

        let mut out = serializer.serialize_struct("Error", 3)?;
        out.serialize_field("kind", KIND)?;
        out.serialize_field("offset", &self.offset)?;
        out.serialize_field("message", &Message(self))?;
        out.end()
    }
}

/// Why a line is not a log line of its format. The message is written
/// from these only when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// A line longer than the CLI reads whole for a log format.
    LineTooLong { len: usize, max: usize },
    /// Combined/common: no `"` opens a request field.
    NoRequestField,
    /// Combined/common: the request field does not follow a `[time]`.
    NoTimestamp,
    /// Combined/common: no `"` closes the request field.
    UnclosedRequestField,
    /// Combined/common: a `\` escape the access log writers do not write.
    UnknownEscape,
    /// Combined/common: the request field holds no request (`-` or empty:
    /// what a server logs for a connection that sent none).
    NoRequest,
    /// Combined/common: no three-digit status after the request field.
    NoStatus,
    /// JSON: the line is not JSON.
    NotJson(JsonProblem),
    /// JSON: the line is JSON, but not an object.
    NotAnObject,
    /// JSON: the field is not in the line.
    MissingField { field: String },
    /// JSON: the field holds something other than a string.
    NotAString { field: String, found: &'static str },
    /// JSON: the field appears twice; one reader would take the first and
    /// another the last, so neither is taken.
    RepeatedField { field: String },
}

/// Where the JSON of a line breaks, as `serde_json` sorts its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonProblem {
    /// Not JSON's grammar (or not UTF-8).
    Syntax,
    /// The line ends inside a value.
    Eof,
    /// A value JSON cannot hold (a number out of range).
    Data,
}

impl fmt::Display for LogFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &self.reason {
            Reason::LineTooLong { len, max } => write!(
                f,
                "a line of {len} bytes is longer than a log line is read whole ({max} bytes)"
            ),
            Reason::NoRequestField => write!(
                f,
                "no `\"` opens a request field: not a combined or common log line"
            ),
            Reason::NoTimestamp => write!(
                f,
                "the request field at byte {at} does not follow a `[time]` field and a space: not a combined or common log line"
            ),
            Reason::UnclosedRequestField => {
                write!(f, "the request field opened at byte {at} is not closed")
            }
            Reason::UnknownEscape => write!(
                f,
                "the escape at byte {at} is none that nginx or Apache writes (`\\xHH`, `\\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\v`, `\\f`)"
            ),
            Reason::NoRequest => write!(f, "the request field at byte {at} holds no request"),
            Reason::NoStatus => write!(
                f,
                "no three-digit status follows the request field at byte {at}"
            ),
            Reason::NotJson(problem) => {
                let what = match problem {
                    JsonProblem::Syntax => "not JSON",
                    JsonProblem::Eof => "the line ends inside a JSON value",
                    JsonProblem::Data => "a JSON value out of range",
                };
                write!(f, "{what} at byte {at}")
            }
            Reason::NotAnObject => write!(f, "the line is JSON but not an object"),
            Reason::MissingField { field } => write!(f, "no field `{field}` in the line"),
            Reason::NotAString { field, found } => {
                write!(f, "the field `{field}` at byte {at} holds {found}, not a string")
            }
            Reason::RepeatedField { field } => {
                write!(f, "the field `{field}` appears twice (again at byte {at})")
            }
        }
    }
}
