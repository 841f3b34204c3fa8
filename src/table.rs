//! [`RouteTable`]: templates with a value each (a policy, an upstream, a
//! metrics label), looked up by the shape of a request's route.

use std::collections::HashMap;

use smallvec::SmallVec;

use crate::route::{Step, StepKind};
use crate::{Error, Parser, Route};

/// A table of route templates, each with a value, for a gateway to look
/// requests up in.
///
/// A request matches a template when its route has the same shape (the same
/// steps in the same order: `/drives/{a}/root/checkout` and
/// `/drives/{b}/root/checkout` are one shape) and every literal key or path
/// of the template equals the request's, decoded. Keys are compared as
/// Graph compares them: a special folder's name and a `userId`, `groupId`
/// or `teamId` in any ASCII case, a `siteId`'s host name (before its first
/// `,`) in any ASCII case and the rest exactly, every other key and every
/// path exactly; so `special/AppRoot` and `special/%41PPROOT` hit the same
/// rule. The route's params keep the spelling that arrived. When several templates match, the
/// most specific wins: at the first step where they differ, a literal beats
/// a placeholder. A lookup costs one parse and one hash lookup.
///
/// ```
/// use graph_checkout_route::{Lookup, RouteTable, DOCUMENTED_TEMPLATES};
///
/// let mut table = RouteTable::new();
/// for template in DOCUMENTED_TEMPLATES {
///     table.insert(template, "documented").unwrap();
/// }
/// table.insert("/me/drive/special/approot/checkout", "app folder").unwrap();
///
/// // The literal template is more specific than the documented one.
/// let hit = table.lookup("POST", "/v1.0/me/drive/special/approot/checkout").found().unwrap();
/// assert_eq!((hit.template(), *hit.value()), ("/me/drive/special/approot/checkout", "app folder"));
/// let hit = table.lookup("POST", "/v1.0/me/drive/special/photos/checkout").found().unwrap();
/// assert_eq!((hit.template(), *hit.value()), ("/me/drive/special/{driveItemId}/checkout", "documented"));
///
/// // A valid route that no template covers, and a request that is no route.
/// let miss = table.lookup("POST", "/users/u1/drives/d1/root/checkout");
/// assert!(matches!(miss, Lookup::NoMatch(route) if route.template() == "/users/{userId}/drives/{drivesId}/root/checkout"));
/// let miss = table.lookup("GET", "/me/drive/root/checkout");
/// assert!(matches!(miss, Lookup::Invalid(_)));
/// ```
#[derive(Debug, Clone)]
pub struct RouteTable<T> {
    parser: Parser,
    shapes: HashMap<Vec<StepKind>, Vec<Entry<T>>>,
    len: usize,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    /// The template as it was inserted.
    template: String,
    /// One item per step: the literal value to match, or `None` for a
    /// placeholder or a step without a value.
    literals: Vec<Option<String>>,
    value: T,
}

impl<T> Entry<T> {
    fn matches(&self, route: &Route<'_>) -> bool {
        self.literals
            .iter()
            .zip(route.steps())
            .all(|(literal, step)| {
                literal
                    .as_deref()
                    .is_none_or(|l| step.value().is_some_and(|v| step.same_value(v, l)))
            })
    }

    /// Literal-first, left to right: the order in which entries of one shape
    /// are tried.
    fn specificity(&self) -> impl Iterator<Item = bool> + '_ {
        self.literals.iter().map(Option::is_none)
    }
}

/// A request found in a [`RouteTable`].
#[derive(Debug)]
pub struct Match<'a, T> {
    route: Route<'a>,
    template: &'a str,
    value: &'a T,
}

impl<'a, T> Match<'a, T> {
    /// The request's route.
    pub fn route(&self) -> &Route<'a> {
        &self.route
    }

    /// The request's route, by value.
    pub fn into_route(self) -> Route<'a> {
        self.route
    }

    /// The template that matched, as it was inserted.
    pub fn template(&self) -> &'a str {
        self.template
    }

    /// The value stored with the template.
    pub fn value(&self) -> &'a T {
        self.value
    }
}

/// What a [`RouteTable`] lookup found.
// The two large variants are the common outcomes; boxing them would cost an
// allocation per request.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Lookup<'a, T> {
    /// A template of the table matches the request.
    Found(Match<'a, T>),
    /// The request is a valid checkout route, but no template of the table
    /// matches it.
    NoMatch(Route<'a>),
    /// The request is not a valid checkout request.
    Invalid(Error),
}

impl<'a, T> Lookup<'a, T> {
    /// The match, if a template matched.
    pub fn found(self) -> Option<Match<'a, T>> {
        match self {
            Lookup::Found(found) => Some(found),
            _ => None,
        }
    }
}

/// Why [`RouteTable::insert`] refused a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InsertError {
    /// The template is not a valid checkout route template.
    #[error("invalid template: {0}")]
    Invalid(#[from] Error),
    /// A template with the same shape and the same literals is already in
    /// the table.
    #[error("template `{template}` has the same shape as `{existing}`, already in the table")]
    Duplicate {
        /// The template that was refused.
        template: String,
        /// The template already in the table.
        existing: String,
    },
}

impl<T> Default for RouteTable<T> {
    fn default() -> Self {
        RouteTable::with_parser(Parser::default())
    }
}

impl<T> RouteTable<T> {
    /// An empty table that parses templates and requests with the default
    /// [`Parser`].
    pub fn new() -> Self {
        RouteTable::default()
    }

    /// An empty table that parses templates and requests with `parser`.
    pub fn with_parser(parser: Parser) -> Self {
        RouteTable {
            parser,
            shapes: HashMap::new(),
            len: 0,
        }
    }

    /// The parser the table uses.
    pub fn parser(&self) -> &Parser {
        &self.parser
    }

    /// How many templates the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table holds no template.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a template with its value. Refuses a template that is not valid
    /// (with the parser's error) or that has the same shape and literals as
    /// one already present.
    pub fn insert(&mut self, template: &str, value: T) -> Result<(), InsertError> {
        let route = self.parser.parse_template(template)?;
        let shape: Vec<StepKind> = route.steps().iter().map(Step::kind).collect();
        let literals: Vec<Option<String>> = route
            .steps()
            .iter()
            .map(|step| {
                step.value()
                    .filter(|_| !step.is_placeholder())
                    .map(ToString::to_string)
            })
            .collect();
        let same_literals = |entry: &Entry<T>| {
            entry.literals.len() == literals.len()
                && entry.literals.iter().zip(&literals).zip(route.steps()).all(
                    |((theirs, ours), step)| match (theirs, ours) {
                        (Some(theirs), Some(ours)) => step.same_value(theirs, ours),
                        (None, None) => true,
                        _ => false,
                    },
                )
        };
        let entries = self.shapes.entry(shape).or_default();
        if let Some(existing) = entries.iter().find(|entry| same_literals(entry)) {
            return Err(InsertError::Duplicate {
                template: template.to_owned(),
                existing: existing.template.clone(),
            });
        }
        let entry = Entry {
            template: template.to_owned(),
            literals,
            value,
        };
        let at = entries.partition_point(|other| other.specificity().le(entry.specificity()));
        entries.insert(at, entry);
        self.len += 1;
        Ok(())
    }

    /// Classifies a request and finds the template it matches.
    pub fn lookup<'a>(&'a self, method: &str, target: &'a str) -> Lookup<'a, T> {
        self.lookup_bytes(method.as_bytes(), target.as_bytes())
    }

    /// [`RouteTable::lookup`] on raw bytes.
    pub fn lookup_bytes<'a>(&'a self, method: &[u8], target: &'a [u8]) -> Lookup<'a, T> {
        let route = match self.parser.classify_bytes(method, target) {
            Ok(route) => route,
            Err(error) => return Lookup::Invalid(error),
        };
        match self.find(&route) {
            Some((template, value)) => Lookup::Found(Match {
                route,
                template,
                value,
            }),
            None => Lookup::NoMatch(route),
        }
    }

    /// Finds the template that a route already parsed matches, whatever it
    /// borrows from (a `Route<'static>` from a request's extensions, say):
    /// the template as it was inserted, and its value.
    pub fn find(&self, route: &Route<'_>) -> Option<(&str, &T)> {
        let shape: SmallVec<[StepKind; 16]> = route.steps().iter().map(Step::kind).collect();
        let entry = self
            .shapes
            .get(&shape[..])?
            .iter()
            .find(|entry| entry.matches(route))?;
        Some((&entry.template, &entry.value))
    }

    /// The templates and their values, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.shapes
            .values()
            .flatten()
            .map(|entry| (entry.template.as_str(), &entry.value))
    }
}
