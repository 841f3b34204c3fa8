//! One input line to one outcome: the request is taken out of the line by
//! its format (`--input`), then classified by the library.

use graph_checkout_route::{Error, Parser, Route};

use super::combined;
use super::json_log::Fields;
use super::lines::{Line, LongLine};
use super::log_format::{LogFormatError, Reason};

/// What a line holds, and so how its request is read.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// A request line: `TARGET`, `METHOD TARGET` or `METHOD TARGET HTTP/d.d`.
    Lines,
    /// A route template line (the `template` command).
    Templates,
    /// An nginx or Apache combined or common access log line.
    Combined,
    /// A JSON access log line, with the fields of its method and target.
    Json(Fields),
}

/// Room in a log line beside its request: the other fields of a combined
/// line or a JSON object (user agents, referers, headers).
const LOG_LINE_SLACK: usize = 64 * 1024;

/// How much longer than its target a log line's request can grow by the
/// log's escapes (JSON's `\u00XX` for one byte).
const LOG_ESCAPE_GROWTH: usize = 6;

impl Input {
    /// The longest line kept whole for this input with targets of at most
    /// `max_target_len` bytes; `None` for request lines, whose reader
    /// measures longer ones itself (see `Lines::for_targets`).
    pub(crate) fn max_log_line(&self, max_target_len: usize) -> Option<usize> {
        match self {
            Input::Lines | Input::Templates => None,
            Input::Combined | Input::Json(_) => Some(
                max_target_len
                    .saturating_mul(LOG_ESCAPE_GROWTH)
                    .saturating_add(LOG_LINE_SLACK),
            ),
        }
    }
}

/// What became of one line.
pub(crate) enum Outcome<'a> {
    /// A checkout route.
    Accepted(Route<'a>),
    /// The request was read and refused; `target` is what the error's
    /// offset counts in.
    Refused { error: Error, target: &'a [u8] },
    /// The line is not a line of its format; the offset counts in `line`.
    LogFormat {
        error: LogFormatError,
        line: &'a [u8],
    },
}

/// Reads and classifies lines.
pub(crate) struct Classifier {
    pub(crate) parser: Parser,
    pub(crate) input: Input,
}

impl Classifier {
    /// The outcome of `line`; `scratch` holds a request that had escapes.
    pub(crate) fn classify<'a>(&self, line: Line<'a>, scratch: &'a mut Vec<u8>) -> Outcome<'a> {
        let line = match line {
            Line::Kept(line) => line,
            Line::Long(long) => return self.long(&long),
        };
        match &self.input {
            Input::Lines => self.request_line(line),
            Input::Templates => line_outcome(self.parser.classify_template_line(line), line),
            Input::Combined => match combined::request_line(strip_cr(line), scratch) {
                Ok(request) => self.request_line(request),
                Err(error) => Outcome::LogFormat { error, line },
            },
            Input::Json(fields) => match fields.read(strip_cr(line)) {
                Ok(request) => {
                    let target: &'a [u8] = match request.target {
                        std::borrow::Cow::Borrowed(target) => target.as_bytes(),
                        std::borrow::Cow::Owned(target) => {
                            *scratch = target.into_bytes();
                            scratch
                        }
                    };
                    outcome(
                        self.parser
                            .classify_bytes(request.method.as_bytes(), target),
                        target,
                    )
                }
                Err(error) => Outcome::LogFormat { error, line },
            },
        }
    }

    fn request_line<'a>(&self, line: &'a [u8]) -> Outcome<'a> {
        line_outcome(self.parser.classify_line(line), line)
    }

    /// A line too long to keep: for request lines and templates, the
    /// length error of its target (or, when the target fits, of its long
    /// method); for a log, a line longer than a log line is read whole.
    fn long<'a>(&self, long: &LongLine<'a>) -> Outcome<'a> {
        if let Some(max) = self
            .input
            .max_log_line(self.parser.current_limits().max_target_len)
        {
            return Outcome::LogFormat {
                error: LogFormatError {
                    offset: max,
                    reason: Reason::LineTooLong { len: long.len, max },
                },
                line: long.head,
            };
        }
        let result = if let Err(error) = self.parser.check_target_len(long.target_len) {
            Err(error)
        } else {
            // The target fits: the line is long for its method, far longer
            // than `POST`, whose check comes next.
            let method = long.method_len.unwrap_or(0).min(long.head.len());
            self.parser.classify_bytes(&long.head[..method], b"")
        };
        line_outcome(result, long.head)
    }
}

/// A log line without the `\r` of a CRLF line ending, which ends the line
/// and is not part of its last field. (A request line's own `\r` is
/// `split_request_line`'s to strip.)
fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The outcome of a request or template line. The target an error's
/// offset counts in is split off the line again only for a refusal: an
/// accepted line needs no second look.
fn line_outcome<'a>(result: Result<Route<'a>, Error>, line: &'a [u8]) -> Outcome<'a> {
    match result {
        Ok(route) => Outcome::Accepted(route),
        Err(error) => Outcome::Refused {
            error,
            target: graph_checkout_route::split_request_line(line).1,
        },
    }
}

fn outcome<'a>(result: Result<Route<'a>, Error>, target: &'a [u8]) -> Outcome<'a> {
    match result {
        Ok(route) => Outcome::Accepted(route),
        Err(error) => Outcome::Refused { error, target },
    }
}
