//! What the CLI writes for a line: one JSON object, or a line of text (a
//! caret under each error); or nothing, counted into the summary instead.

use std::io::{self, Write};

use graph_checkout_route::{Error, Route};
use serde::Serialize;

use super::log_format;
use super::outcome::Outcome;
use super::summary::Summary;

/// How each line's outcome is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One JSON object per line.
    Json,
    /// One line per result, with a caret under each error.
    Text,
}

/// What is written, and where the counts go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    pub(crate) format: Format,
    /// Each object (or text line) names its line number, from 1.
    pub(crate) line_numbers: bool,
    /// Nothing per line: only the counts, for the summary at the end.
    pub(crate) summary_only: bool,
}

impl Output {
    /// Counts the outcome of line `number` into `summary`, and writes it
    /// unless only the summary is wanted.
    pub(crate) fn record(
        self,
        out: &mut Vec<u8>,
        summary: &mut Summary,
        number: u64,
        outcome: &Outcome<'_>,
    ) -> io::Result<()> {
        if self.summary_only {
            summary.count(outcome);
            return Ok(());
        }
        summary.tally(outcome);
        let line = self.line_numbers.then_some(number);
        match self.format {
            Format::Json => write_json(out, line, outcome),
            Format::Text => write_text(out, line, outcome),
        }
    }
}

#[derive(Serialize)]
struct Accepted<'r, 'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    ok: bool,
    #[serde(flatten)]
    route: &'r Route<'a>,
}

#[derive(Serialize)]
struct Rejected<E> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    ok: bool,
    error: E,
}

/// One JSON object. sonic-rs writes it: its escaping of strings is SIMD,
/// where serde_json's goes byte by byte, and the strings of a route (its
/// template, canonical form and params) are most of a line's output.
fn write_json(out: &mut Vec<u8>, line: Option<u64>, outcome: &Outcome<'_>) -> io::Result<()> {
    match outcome {
        Outcome::Accepted(route) => sonic_rs::to_writer(
            &mut *out,
            &Accepted {
                line,
                ok: true,
                route,
            },
        ),
        Outcome::Refused { error, .. } => sonic_rs::to_writer(
            &mut *out,
            &Rejected::<&Error> {
                line,
                ok: false,
                error,
            },
        ),
        Outcome::LogFormat { error, .. } => sonic_rs::to_writer(
            &mut *out,
            &Rejected {
                line,
                ok: false,
                error,
            },
        ),
    }
    .map_err(io::Error::other)?;
    out.push(b'\n');
    Ok(())
}

fn write_text(out: &mut Vec<u8>, line: Option<u64>, outcome: &Outcome<'_>) -> io::Result<()> {
    if let Some(number) = line {
        write!(out, "line {number}: ")?;
    }
    match outcome {
        Outcome::Accepted(route) => {
            let documented = if route.is_documented() {
                "documented"
            } else {
                "undocumented"
            };
            write!(out, "ok {} ({documented})", route.template())?;
            for (name, value) in route.params() {
                write!(out, " {name}={value}")?;
            }
            writeln!(out)
        }
        Outcome::Refused { error, target } => writeln!(out, "{}", error.caret(target)),
        Outcome::LogFormat { error, line } => writeln!(
            out,
            "error[{}]: {error}\n{}",
            log_format::KIND,
            graph_checkout_route::point_at(line, error.offset)
        ),
    }
}
