//! The order of the stages (docs/DESIGN.md §6 "Order of checks"), and the
//! entry points of [`Parser`] that run them: (1) the length limit, (2) the
//! method, (3) the byte scan, (4) the target's form, (5, 6) the walk over
//! the path, (7) documented-only.
//!
//! The scan of step 3 reads every byte for the allowed set. For a request,
//! whose bytes the later stages read anyway (keys against their alphabet,
//! keywords against their spelling, the other pieces scanned as they come),
//! it runs only when a later stage refuses the target: an accepted target
//! has had every byte checked, and a refused one gets the scan's error if
//! the scan finds one, since step 3 comes before the others. A template is
//! scanned first: templates are not on a hot path.

use std::sync::LazyLock;

use crate::error::{Error, Reason, Snippet};
use crate::grammar;
use crate::lexical;
use crate::model::DOCUMENTED_TEMPLATES;
use crate::route::Route;
use crate::shape::{ShapeKey, ShapeTable};
use crate::target;
use crate::validate;
use crate::Parser;

/// What the input is: a request target, or a route template whose keys and
/// path values may be `{name}` placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Request,
    Template,
}

impl Parser {
    /// Parses a request target; the method is taken to be `POST`.
    #[inline]
    pub fn parse<'a>(&self, target: &'a str) -> Result<Route<'a>, Error> {
        self.run_str(None, target, Mode::Request)
    }

    /// [`Parser::parse`] with the walk's shortcuts off: for the benchmark
    /// that measures what they gain. Not part of the API.
    #[doc(hidden)]
    pub fn parse_walk_only<'a>(&self, target: &'a str) -> Result<Route<'a>, Error> {
        self.check_length_and_method(None, target.len())?;
        self.walk::<false>(target, Mode::Request)
    }

    /// Parses a request target given as raw bytes (a log line, a socket
    /// buffer): bytes that are not UTF-8 are `syntax` errors found by the same
    /// byte scan as every other bad byte.
    pub fn parse_bytes<'a>(&self, target: &'a [u8]) -> Result<Route<'a>, Error> {
        self.run_bytes(None, target, Mode::Request)
    }

    /// Classifies a request: the method must be exactly `POST`.
    pub fn classify<'a>(&self, method: &str, target: &'a str) -> Result<Route<'a>, Error> {
        self.run_str(Some(method.as_bytes()), target, Mode::Request)
    }

    /// [`Parser::classify`] on raw bytes.
    pub fn classify_bytes<'a>(&self, method: &[u8], target: &'a [u8]) -> Result<Route<'a>, Error> {
        self.run_bytes(Some(method), target, Mode::Request)
    }

    /// The first check of every target, on its length alone: `Err` with the
    /// `limit` error a target of `len` bytes gets, if it is over the limit.
    /// For a reader that does not keep a line that long (the CLI measures
    /// such a line instead of buffering it).
    pub fn check_target_len(&self, len: usize) -> Result<(), Error> {
        lexical::check_length(len, self.limits.max_target_len)
    }

    /// Classifies one line as the CLI reads it: `TARGET`, or `METHOD TARGET`
    /// where `METHOD` is `[A-Z]+` followed by one space. A line without a
    /// method is a `POST`. Offsets in errors count from the start of the
    /// target. See [`split_request_line`](crate::split_request_line).
    pub fn classify_line<'a>(&self, line: &'a [u8]) -> Result<Route<'a>, Error> {
        let (method, target) = crate::split_request_line(line);
        self.classify_bytes(method, target)
    }

    /// Parses a route template such as `/drives/{drivesId}/root/checkout`:
    /// `{name}` placeholders stand in key and path positions, and everything
    /// else is checked as in a request target.
    pub fn parse_template<'a>(&self, template: &'a str) -> Result<Route<'a>, Error> {
        self.run_str(None, template, Mode::Template)
    }

    /// [`Parser::parse_template`] on raw bytes.
    pub fn parse_template_bytes<'a>(&self, template: &'a [u8]) -> Result<Route<'a>, Error> {
        self.run_bytes(None, template, Mode::Template)
    }

    /// Classifies one line of templates as the CLI's `template` command reads
    /// it, with the same optional method prefix as [`Parser::classify_line`].
    pub fn classify_template_line<'a>(&self, line: &'a [u8]) -> Result<Route<'a>, Error> {
        let (method, template) = crate::split_request_line(line);
        self.run_bytes(Some(method), template, Mode::Template)
    }

    /// Steps 1 to 7 on raw bytes.
    fn run_bytes<'a>(
        &self,
        method: Option<&[u8]>,
        input: &'a [u8],
        mode: Mode,
    ) -> Result<Route<'a>, Error> {
        self.check_length_and_method(method, input.len())?;
        match std::str::from_utf8(input) {
            Ok(text) => self.run_text(text, mode),
            // A byte that is not UTF-8 is not ASCII either: the scan reports
            // it, or an earlier problem.
            // (In a template, that byte is in the part the scan reads: what
            // the frame sets aside is ASCII.)
            Err(e) => {
                let template = mode == Mode::Template;
                let (start, end) = frame(input, template);
                Err(lexical::scan(&input[start..end], template)
                    .map_err(|error| error.shifted(start))
                    .err()
                    .unwrap_or_else(|| {
                        let at = e.valid_up_to();
                        Error::new(at, Reason::BadByte(input[at]))
                    }))
            }
        }
    }

    /// Steps 1 to 7 on input known to be UTF-8.
    #[inline]
    fn run_str<'a>(
        &self,
        method: Option<&[u8]>,
        input: &'a str,
        mode: Mode,
    ) -> Result<Route<'a>, Error> {
        self.check_length_and_method(method, input.len())?;
        self.run_text(input, mode)
    }

    /// Steps 1 and 2.
    #[inline]
    fn check_length_and_method(&self, method: Option<&[u8]>, len: usize) -> Result<(), Error> {
        lexical::check_length(len, self.limits.max_target_len)?;
        match method {
            Some(method) if method != b"POST" => {
                Err(Error::new(0, Reason::Method(Snippet::lossy(method))))
            }
            _ => Ok(()),
        }
    }

    /// Steps 3 to 7, with the walk's shortcuts (which debug builds check
    /// segment by segment against the full step: see `validate`).
    #[inline]
    fn run_text<'a>(&self, text: &'a str, mode: Mode) -> Result<Route<'a>, Error> {
        self.walk::<true>(text, mode)
    }

    /// Steps 3 to 7, with or without the walk's shortcuts. Inlined, so that
    /// the route is built where the caller keeps it, not copied there.
    // Measured: with a plain `#[inline]` the compiler keeps it out of line
    // in some callers, and the route is copied once more.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn walk<'a, const SHORTCUTS: bool>(
        &self,
        text: &'a str,
        mode: Mode,
    ) -> Result<Route<'a>, Error> {
        let template = mode == Mode::Template;
        let (start, end) = frame(text.as_bytes(), template);
        // ASCII bytes bound the frame, so both ends are character boundaries.
        let body = text.get(start..end).unwrap_or(text);
        if template {
            lexical::scan(body.as_bytes(), true).map_err(|error| error.shifted(start))?;
            // After `{+baseurl}`, an origin-form target.
            if start > 0 && !body.starts_with('/') {
                return Err(Error::new(start, Reason::AfterBaseUrl));
            }
        }
        let mut route = Route::empty();
        let walked = target::split(body, self, template).and_then(|target| {
            validate::walk::<SHORTCUTS>(self, text, &target, template, &mut route)
        });
        let shape = match walked {
            Ok(shape) => shape,
            Err(refused) => {
                let error = refused.into_error(text);
                return Err(if template {
                    error
                } else {
                    lexical::scan(text.as_bytes(), false).err().unwrap_or(error)
                });
            }
        };
        route.documented = documented(shape);
        if self.documented_only && route.documented.is_none() {
            return Err(Error::new(0, Reason::Undocumented));
        }
        Ok(route)
    }
}

/// Where the target of an input starts and ends: the whole of a request; a
/// template without its `{+baseurl}` and its trailing `{?...}`.
#[inline]
fn frame(input: &[u8], template: bool) -> (usize, usize) {
    if template {
        grammar::template_frame(input)
    } else {
        (0, input.len())
    }
}

/// The index in [`DOCUMENTED_TEMPLATES`] of the template of this shape
/// (one byte: there are 20).
#[inline]
fn documented(shape: ShapeKey) -> Option<u8> {
    DOCUMENTED_SHAPES
        .get(shape)
        .and_then(|index| u8::try_from(index).ok())
}

/// The shapes of the documented templates, walked once by the same walk.
static DOCUMENTED_SHAPES: LazyLock<ShapeTable> = LazyLock::new(|| {
    let parser = Parser::default();
    let shapes: Vec<ShapeKey> = DOCUMENTED_TEMPLATES
        .iter()
        .map(|template| {
            let mut route = Route::empty();
            target::split(template, &parser, true)
                .and_then(|target| {
                    validate::walk::<false>(&parser, template, &target, true, &mut route)
                })
                // Every documented template walks (the tests parse each
                // one); if one did not, its empty shape, which no route
                // has, would keep the others at their indexes.
                .unwrap_or_default()
        })
        .collect();
    ShapeTable::new(&shapes)
});
