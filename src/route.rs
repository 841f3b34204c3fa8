//! [`Route`], the typed AST: the steps of a valid checkout request, with its
//! template, parameters and canonical form.

use std::borrow::Cow;
use std::fmt::{self, Write};

use smallvec::SmallVec;

use crate::lexical::{write_key, write_path};
use crate::model::{Edge, Keyword, Via, DOCUMENTED_TEMPLATES, EDGES, EDGE_COUNT};

/// One step of a route: a keyword of the data model (with its key when it
/// takes one), or a path-based address. The action that ends every route is
/// not a step.
///
/// A value is a slice of the input when nothing in it was escaped, and an
/// owned copy otherwise (see [`Step::borrowed`]).
#[derive(Debug, Clone)]
pub struct Step<'a>(Repr<'a>);

/// A [`Step`]: three words, with the kind and the placeholder flag beside
/// the enum's tag (a `Cow` and a flag would take four).
#[derive(Debug, Clone)]
enum Repr<'a> {
    /// A keyword without a key.
    Keyword(StepKind),
    /// A key or path value as it stands in the input. The flag: the value
    /// is a template's `{name}` placeholder, not a literal (a template's
    /// literal path may decode to `{name}` too, from `%7Bname%7D`).
    Borrowed(StepKind, bool, &'a str),
    /// A key or path value that the route owns: decoded from escapes, or
    /// copied by [`Route::into_owned`]; the flag as above.
    Owned(StepKind, bool, Box<str>),
}

/// Equal kinds and equal values, however the values are stored.
impl PartialEq for Step<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind()
            && self.is_placeholder() == other.is_placeholder()
            && self.value() == other.value()
    }
}

impl Eq for Step<'_> {}

/// What a step is, without its value: the row of the step's edge in the
/// type graph. Two routes with equal kinds in the same order have the same
/// shape (and the same template). Made from a row number by the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct StepKind(pub(crate) u8);

/// The parameter name of each row's key: [`Step::param`] reads it here, one
/// load, rather than through the row.
static PARAMS: [Option<&str>; EDGE_COUNT] = {
    let mut names = [None; EDGE_COUNT];
    let mut row = 0;
    while row < EDGE_COUNT {
        if let Some(key) = EDGES[row].key {
            names[row] = Some(key.param);
        }
        row += 1;
    }
    names
};

impl StepKind {
    /// The step's edge.
    #[inline]
    pub(crate) fn edge(self) -> &'static Edge {
        &EDGES[usize::from(self.0)]
    }
}

impl<'a> Step<'a> {
    /// A step of `kind` with its key or path value, if it takes one;
    /// `placeholder` as in [`Repr`].
    #[inline]
    pub(crate) fn new(kind: StepKind, value: Option<Cow<'a, str>>, placeholder: bool) -> Step<'a> {
        Step(match value {
            None => Repr::Keyword(kind),
            Some(Cow::Borrowed(value)) => Repr::Borrowed(kind, placeholder, value),
            Some(Cow::Owned(value)) => Repr::Owned(kind, placeholder, value.into_boxed_str()),
        })
    }

    #[inline]
    pub(crate) fn kind(&self) -> StepKind {
        match self.0 {
            Repr::Keyword(kind) | Repr::Borrowed(kind, ..) | Repr::Owned(kind, ..) => kind,
        }
    }

    /// Whether the value is a template's `{name}` placeholder.
    #[inline]
    pub(crate) fn is_placeholder(&self) -> bool {
        match self.0 {
            Repr::Keyword(_) => false,
            Repr::Borrowed(_, placeholder, _) | Repr::Owned(_, placeholder, _) => placeholder,
        }
    }

    /// The step's keyword; `None` for a path-based address.
    pub fn keyword(&self) -> Option<Keyword> {
        self.kind().edge().keyword()
    }

    /// The step's parameter, `(canonical name, decoded value)`, when it has
    /// one: `("drivesId", "b!...")`, `("path", "Documents/Q3 Report.docx")`.
    #[inline]
    pub fn param(&self) -> Option<(&'static str, &str)> {
        // A step has a value exactly when its edge has a key.
        Some((PARAMS[usize::from(self.kind().0)]?, self.value()?))
    }

    /// The decoded key or path value; `None` for a keyword without a key.
    #[inline]
    pub fn value(&self) -> Option<&str> {
        match &self.0 {
            Repr::Keyword(_) => None,
            Repr::Borrowed(_, _, value) => Some(value),
            Repr::Owned(_, _, value) => Some(value),
        }
    }

    /// The value as a slice of the input, with the input's lifetime: `Some`
    /// when nothing in it was escaped, so that taking it allocated nothing;
    /// `None` for a decoded value, a keyword without a key, or a route made
    /// owned by [`Route::into_owned`].
    pub fn borrowed(&self) -> Option<&'a str> {
        match self.0 {
            Repr::Borrowed(_, _, value) => Some(value),
            Repr::Keyword(_) | Repr::Owned(..) => None,
        }
    }

    /// Whether `a` and `b`, values of this step's key, name the same
    /// resource (see `RouteTable`).
    pub(crate) fn same_value(&self, a: &str, b: &str) -> bool {
        self.kind().edge().key.is_some_and(|key| key.same(a, b))
    }

    /// Whether the step is a path-based address (`:/a/b.txt:`).
    pub fn is_path(&self) -> bool {
        self.kind().edge().via == Via::PathAddress
    }

    fn into_owned<'b>(self) -> Step<'b> {
        Step(match self.0 {
            Repr::Keyword(kind) => Repr::Keyword(kind),
            Repr::Borrowed(kind, placeholder, value) => {
                Repr::Owned(kind, placeholder, value.into())
            }
            Repr::Owned(kind, placeholder, value) => Repr::Owned(kind, placeholder, value),
        })
    }
}

/// The steps of a route. Long enough for every documented route (7 steps at
/// most) without touching the heap, and short enough to keep a `Route`
/// cheap to move.
pub(crate) type Steps<'a> = SmallVec<[Step<'a>; 7]>;

/// A valid checkout request: the typed AST, borrowing from the input.
///
/// ```
/// let route = graph_checkout_route::parse("/v1.0/drives/b%21x/items/01AB/checkout?a=1").unwrap();
/// assert_eq!(route.template(), "/drives/{drivesId}/items/{driveItemId}/checkout");
/// assert!(route.is_documented());
/// assert_eq!(route.version(), Some("v1.0"));
/// assert_eq!(route.query(), Some("a=1"));
/// let params: Vec<_> = route.params().collect();
/// assert_eq!(params, [("drivesId", "b!x"), ("driveItemId", "01AB")]);
/// assert_eq!(route.to_string(), "/drives/b!x/items/01AB/checkout");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route<'a> {
    pub(crate) steps: Steps<'a>,
    pub(crate) version: Option<Cow<'a, str>>,
    pub(crate) query: Option<Cow<'a, str>>,
    /// Index into [`DOCUMENTED_TEMPLATES`].
    pub(crate) documented: Option<u8>,
}

impl<'a> Route<'a> {
    /// A route with no steps yet, for the validator to fill.
    #[inline]
    pub(crate) fn empty() -> Route<'a> {
        Route {
            steps: Steps::new(),
            version: None,
            query: None,
            documented: None,
        }
    }

    /// The route's identifier: its documented template
    /// (`/drives/{drivesId}/items/{driveItemId}/checkout`), or for an
    /// undocumented route the template rendered the same way (canonical
    /// keyword spelling and placeholder names, no version, no query).
    pub fn template(&self) -> Cow<'static, str> {
        match self.documented {
            Some(index) => Cow::Borrowed(DOCUMENTED_TEMPLATES[usize::from(index)]),
            None => Cow::Owned(self.render(Values::Placeholders)),
        }
    }

    /// Whether the route is one of the 20 documented templates (DESIGN §1.3).
    pub fn is_documented(&self) -> bool {
        self.documented.is_some()
    }

    /// The parameters `(canonical name, decoded value)` in path order. A
    /// name can appear twice (`children/{driveItemId}` after
    /// `items/{driveItemId}`).
    #[inline]
    pub fn params(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.steps.iter().filter_map(Step::param)
    }

    /// The API version the target named, in its configured spelling
    /// (`/BETA/...` gives `beta`); `None` when the target had none.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The raw query without its `?` (`""` for a bare `?`); `None` when absent.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// The steps of the route, in path order.
    pub fn steps(&self) -> &[Step<'a>] {
        &self.steps
    }

    /// Copies every borrowed part, so that the route can outlive its input
    /// (to be stored in a request's extensions, say).
    pub fn into_owned(self) -> Route<'static> {
        self.owned()
    }

    /// [`Route::into_owned`] under any lifetime: a route is invariant in its
    /// lifetime (the steps are a `SmallVec`), so a `Route<'static>` does not
    /// turn into a shorter-lived one by itself.
    pub(crate) fn owned<'b>(self) -> Route<'b> {
        Route {
            steps: self.steps.into_iter().map(Step::into_owned).collect(),
            version: self.version.map(|v| Cow::Owned(v.into_owned())),
            query: self.query.map(|q| Cow::Owned(q.into_owned())),
            documented: self.documented,
        }
    }

    fn render(&self, values: Values) -> String {
        let mut out = String::with_capacity(64);
        self.write(&mut out, values)
            .expect("writing to a String cannot fail");
        out
    }

    fn write(&self, out: &mut impl Write, values: Values) -> fmt::Result {
        for step in &self.steps {
            let edge = step.kind().edge();
            let value = step.value();
            match edge.via {
                Via::Word(keyword) => {
                    out.write_char('/')?;
                    out.write_str(keyword.as_str())?;
                    if let (Some(key), Some(value)) = (edge.key, value) {
                        out.write_char('/')?;
                        match values {
                            Values::Placeholders => write!(out, "{{{}}}", key.param)?,
                            Values::Canonical => write_key(out, value, key.rule)?,
                        }
                    }
                }
                Via::PathAddress => {
                    out.write_str(":/")?;
                    let value = value.unwrap_or_default();
                    match (values, edge.param()) {
                        (Values::Placeholders, Some(name)) => write!(out, "{{{name}}}")?,
                        (Values::Placeholders, None) => {}
                        (Values::Canonical, _) if step.is_placeholder() => out.write_str(value)?,
                        (Values::Canonical, _) => write_path(out, value)?,
                    }
                    out.write_char(':')?;
                }
            }
        }
        out.write_str("/checkout")
    }
}

/// Whether keys and paths are printed as values or as `{name}` placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    Placeholders,
    Canonical,
}

/// The canonical target: no host, no version, no query; keywords in
/// canonical spelling; keys decoded; path values re-encoded minimally.
/// Parsing it gives the same template and parameters. It is never longer
/// than the target it came from, but every `('key')` becomes a segment of
/// its own, so a route near the segment limit can have a canonical form
/// over it.
impl fmt::Display for Route<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Values::Canonical)
    }
}

/// Serializes as an object: `template`, `documented`, `version`, `params`
/// (`[name, value]` pairs in path order), `canonical`, `query`, the fields of
/// the CLI's JSON lines.
#[cfg(feature = "serde")]
impl serde::Serialize for Route<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;

        struct Params<'r, 'a>(&'r Route<'a>);
        impl serde::Serialize for Params<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.params())
            }
        }
        struct Canonical<'r, 'a>(&'r Route<'a>);
        impl serde::Serialize for Canonical<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }

        let mut out = serializer.serialize_struct("Route", 6)?;
        out.serialize_field("template", &self.template())?;
        out.serialize_field("documented", &self.is_documented())?;
        out.serialize_field("version", &self.version())?;
        out.serialize_field("params", &Params(self))?;
        out.serialize_field("canonical", &Canonical(self))?;
        out.serialize_field("query", &self.query())?;
        out.end()
    }
}
