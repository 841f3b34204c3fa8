//! `--summary`: the lines counted by route template and by error kind,
//! written once at the end instead of one object per line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::log_format;
use super::outcome::Outcome;

/// The counts of a run, or of a part of it (they add up).
#[derive(Debug, Default)]
pub(crate) struct Summary {
    lines: u64,
    accepted: u64,
    /// For each template: whether it is documented, and its count.
    templates: HashMap<Cow<'static, str>, (bool, u64)>,
    errors: HashMap<&'static str, u64>,
}

impl Summary {
    /// Counts one line as accepted or rejected only: all that the exit
    /// status needs, without the cost of naming its template.
    pub(crate) fn tally(&mut self, outcome: &Outcome<'_>) {
        self.lines += 1;
        self.accepted += u64::from(matches!(outcome, Outcome::Accepted(_)));
    }

    /// Counts one line's outcome, by template or error kind.
    pub(crate) fn count(&mut self, outcome: &Outcome<'_>) {
        self.lines += 1;
        let kind = match outcome {
            Outcome::Accepted(route) => {
                self.accepted += 1;
                let template = route.template();
                if let Some((_, count)) = self.templates.get_mut(&*template) {
                    *count += 1;
                } else {
                    self.templates.insert(template, (route.is_documented(), 1));
                }
                return;
            }
            Outcome::Refused { error, .. } => error.kind().as_str(),
            Outcome::LogFormat { .. } => log_format::KIND,
        };
        *self.errors.entry(kind).or_default() += 1;
    }

    /// Adds the counts of another part of the run.
    pub(crate) fn merge(&mut self, other: Summary) {
        self.lines += other.lines;
        self.accepted += other.accepted;
        for (template, (documented, count)) in other.templates {
            self.templates.entry(template).or_insert((documented, 0)).1 += count;
        }
        for (kind, count) in other.errors {
            *self.errors.entry(kind).or_default() += count;
        }
    }

    /// How many lines were rejected, for any reason.
    pub(crate) fn rejected(&self) -> u64 {
        self.lines - self.accepted
    }

    /// The summary as one JSON document.
    pub(crate) fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.document()).map_err(io::Error::from)?;
        out.write_all(b"\n")
    }

    /// The summary as a table for a person.
    pub(crate) fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        let document = self.document();
        // Every count is at most the line count; "count" heads the column.
        let width = document.lines.to_string().len().max("count".len());
        writeln!(out, "{:>width$}  lines", document.lines)?;
        writeln!(out, "{:>width$}  accepted", document.accepted)?;
        writeln!(out, "{:>width$}  rejected", document.rejected)?;
        if !document.templates.is_empty() {
            writeln!(out)?;
            writeln!(out, "{:>width$}  template", "count")?;
            for row in &document.templates {
                let note = if row.documented {
                    ""
                } else {
                    " (undocumented)"
                };
                writeln!(out, "{:>width$}  {}{note}", row.count, row.template)?;
            }
        }
        if !document.errors.is_empty() {
            writeln!(out)?;
            writeln!(out, "{:>width$}  error", "count")?;
            for row in &document.errors {
                writeln!(out, "{:>width$}  {}", row.count, row.kind)?;
            }
        }
        Ok(())
    }

    /// The document both forms show: each list by count, largest first,
    /// ties by name.
    fn document(&self) -> Document<'_> {
        let mut templates: Vec<TemplateCount<'_>> = self
            .templates
            .iter()
            .map(|(template, &(documented, count))| TemplateCount {
                template,
                documented,
                count,
            })
            .collect();
        templates.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.template.cmp(b.template))
        });
        let mut errors: Vec<ErrorCount> = self
            .errors
            .iter()
            .map(|(&kind, &count)| ErrorCount { kind, count })
            .collect();
        errors.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.kind.cmp(b.kind)));
        Document {
            lines: self.lines,
            accepted: self.accepted,
            rejected: self.rejected(),
            templates,
            errors,
        }
    }
}

#[derive(Serialize)]
struct Document<'s> {
    lines: u64,
    accepted: u64,
    rejected: u64,
    templates: Vec<TemplateCount<'s>>,
    errors: Vec<ErrorCount>,
}

#[derive(Serialize)]
struct TemplateCount<'s> {
    template: &'s str,
    documented: bool,
    count: u64,
}

#[derive(Serialize)]
struct ErrorCount {
    kind: &'static str,
    count: u64,
}
