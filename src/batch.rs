//! JSON batches (docs/DESIGN.md §10): `POST /v1.0/$batch` carries up to 20
//! requests of its own in its body, so a rule that reads only targets
//! would let a checkout through inside one. [`Parser::classify_batch`]
//! reads the body and screens every inner request like a request of its
//! own ([`Parser::screen`]).
//!
//! Graph reads a batch's members loosely, so this reads them strictly:
//! member names are matched in any ASCII case and a name that repeats in
//! any case is an error (a backend that kept the last `URL` would read
//! another request than one that kept the first `url`); `id`, `method`
//! and `url` must be strings; ids are unique in any ASCII case, as Graph
//! compares them. An inner `url` is the path after the batch's version:
//! no scheme, host or version of its own, a leading `/` optional.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::{Error, Parser, Screened};

/// The most requests Graph takes in one batch.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// One request of a batch, screened.
#[derive(Debug)]
pub struct BatchRequest {
    id: String,
    method: String,
    url: String,
    offset: usize,
    screened: Screened<'static>,
    /// For a request that is not a checkout: the error its classification
    /// gives, for a gateway that refuses such requests.
    refusal: Option<Error>,
}

impl BatchRequest {
    /// Its `id`, as written.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its `method`, as written.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Its `url`, as written (JSON escapes decoded).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The byte offset of the request's object in the batch body.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What it is: a checkout route (with the batch's version), provably
    /// not a checkout, a batch (which a batch may not hold), or the error
    /// that refuses it. Offsets of an error count in the url as read, with
    /// its leading `/` (one is put before a url that has none).
    pub fn screened(&self) -> &Screened<'static> {
        &self.screened
    }

    /// The error that refuses the request as a checkout request: for one
    /// that screens as not a checkout, its classification's error.
    #[cfg(feature = "tower")]
    pub(crate) fn refusal(&self) -> Option<&Error> {
        self.refusal.as_ref()
    }
}

/// A batch body that cannot be read as a batch: one error for the whole
/// batch, at a byte offset into the body.
#[derive(Debug)]
pub struct BatchError {
    offset: usize,
    reason: BatchReason,
}

impl BatchError {
    /// The byte offset in the body where the problem is.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What the problem is.
    pub fn reason(&self) -> &BatchReason {
        &self.reason
    }
}

/// Why a batch body is refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum BatchReason {
    /// Not UTF-8 (JSON text is).
    NotUtf8,
    /// Not JSON; serde_json's reading of it.
    Json(serde_json::Error),
    /// The body, or one of its requests, is not a JSON object.
    NotAnObject,
    /// No `requests` member, or it is not an array.
    NoRequests,
    /// More requests than [`MAX_BATCH_REQUESTS`].
    TooMany {
        /// How many there are.
        count: usize,
    },
    /// A member name that repeats, in some ASCII case, in one object.
    RepeatedMember {
        /// The name, as written the second time.
        name: String,
    },
    /// A request without this member.
    Missing(BatchField),
    /// A request whose member is not a JSON string.
    NotAString(BatchField),
    /// An `id` that another request of the batch has, in some ASCII case.
    DuplicateId {
        /// The id, as written the second time.
        id: String,
    },
}

/// The members of a batch request that this reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchField {
    /// `id`.
    Id,
    /// `method`.
    Method,
    /// `url`.
    Url,
}

impl BatchField {
    fn name(self) -> &'static str {
        match self {
            BatchField::Id => "id",
            BatchField::Method => "method",
            BatchField::Url => "url",
        }
    }
}

impl BatchReason {
    /// The reason's name in snake case (`duplicate_id`), for logs, metrics
    /// and error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            BatchReason::NotUtf8 => "not_utf8",
            BatchReason::Json(_) => "json",
            BatchReason::NotAnObject => "not_an_object",
            BatchReason::NoRequests => "no_requests",
            BatchReason::TooMany { .. } => "too_many",
            BatchReason::RepeatedMember { .. } => "repeated_member",
            BatchReason::Missing(_) => "missing",
            BatchReason::NotAString(_) => "not_a_string",
            BatchReason::DuplicateId { .. } => "duplicate_id",
        }
    }
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &self.reason {
            BatchReason::NotUtf8 => write!(f, "the batch body is not UTF-8 from byte {at}"),
            BatchReason::Json(err) => write!(f, "the batch body is not JSON at byte {at}: {err}"),
            BatchReason::NotAnObject => write!(f, "the value at byte {at} is not a JSON object"),
            BatchReason::NoRequests => {
                write!(f, "the batch has no `requests` array (byte {at})")
            }
            BatchReason::TooMany { count } => write!(
                f,
                "the batch holds {count} requests, more than Graph's {MAX_BATCH_REQUESTS}: request {} is at byte {at}",
                MAX_BATCH_REQUESTS + 1
            ),
            BatchReason::RepeatedMember { name } => write!(
                f,
                "the member `{}` at byte {at} repeats a name of its object (names are compared in any case)",
                name.escape_debug()
            ),
            BatchReason::Missing(field) => write!(
                f,
                "the request at byte {at} has no `{}`",
                field.name()
            ),
            BatchReason::NotAString(field) => write!(
                f,
                "the `{}` at byte {at} is not a JSON string",
                field.name()
            ),
            BatchReason::DuplicateId { id } => write!(
                f,
                "the id `{}` at byte {at} is already the id of another request of the batch (ids are compared in any case)",
                id.escape_debug()
            ),
        }
    }
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            BatchReason::Json(err) => Some(err),
            _ => None,
        }
    }
}

impl Parser {
    /// Reads a JSON batch body sent to `version` (`v1.0`, `beta`: the
    /// version of its `$batch` target) and screens each of its requests,
    /// in order.
    ///
    /// ```
    /// use graph_checkout_route::{Parser, Screened};
    ///
    /// let body = br#"{"requests": [
    ///     {"id": "1", "method": "GET", "url": "/me"},
    ///     {"id": "2", "method": "POST", "url": "me/drive/items/01AB/checkout"}
    /// ]}"#;
    /// let requests = Parser::new().classify_batch(body, "v1.0").unwrap();
    /// assert!(matches!(requests[0].screened(), Screened::NotCheckout));
    /// let Screened::Checkout(route) = requests[1].screened() else { panic!() };
    /// assert_eq!(route.template(), "/me/drive/items/{driveItemId}/checkout");
    /// assert_eq!(route.version(), Some("v1.0"));
    ///
    /// let err = Parser::new()
    ///     .classify_batch(br#"{"requests": [{"id": "a", "method": "GET", "url": "/me"}, {"id": "A", "method": "GET", "url": "/me"}]}"#, "v1.0")
    ///     .unwrap_err();
    /// assert_eq!(err.offset(), 65);
    /// ```
    pub fn classify_batch(
        &self,
        body: &[u8],
        version: &str,
    ) -> Result<Vec<BatchRequest>, BatchError> {
        self.batch_in(body, Some(self.spelling_of(version)))
    }

    /// [`Parser::classify_batch`] for a batch sent to `version`, or to no
    /// version this parser knows (then the whole graph applies).
    pub(crate) fn batch_in(
        &self,
        body: &[u8],
        version: Option<Cow<'static, str>>,
    ) -> Result<Vec<BatchRequest>, BatchError> {
        let text = std::str::from_utf8(body).map_err(|e| BatchError {
            offset: e.valid_up_to(),
            reason: BatchReason::NotUtf8,
        })?;
        let top: &RawValue = serde_json::from_str(text).map_err(|err| json_error(text, err))?;
        let top = Members::of(text, top)?;
        let requests = top.find(text, "requests")?.ok_or(BatchError {
            offset: offset_of(text, top.raw.get()),
            reason: BatchReason::NoRequests,
        })?;
        let requests: Vec<&RawValue> =
            serde_json::from_str(requests.get()).map_err(|_| BatchError {
                offset: offset_of(text, requests.get()),
                reason: BatchReason::NoRequests,
            })?;
        if let Some(extra) = requests.get(MAX_BATCH_REQUESTS) {
            return Err(BatchError {
                offset: offset_of(text, extra.get()),
                reason: BatchReason::TooMany {
                    count: requests.len(),
                },
            });
        }
        let inner = self.inside_batch(version);
        let mut screened: Vec<BatchRequest> = Vec::with_capacity(requests.len());
        for request in requests {
            let offset = offset_of(text, request.get());
            let members = Members::of(text, request)?;
            let field = |field: BatchField| -> Result<(String, usize), BatchError> {
                let raw = members.find(text, field.name())?.ok_or(BatchError {
                    offset,
                    reason: BatchReason::Missing(field),
                })?;
                let at = offset_of(text, raw.get());
                let value: String = serde_json::from_str(raw.get()).map_err(|_| BatchError {
                    offset: at,
                    reason: BatchReason::NotAString(field),
                })?;
                Ok((value, at))
            };
            let (id, id_at) = field(BatchField::Id)?;
            let (method, _) = field(BatchField::Method)?;
            let (url, _) = field(BatchField::Url)?;
            if screened
                .iter()
                .any(|other| other.id.eq_ignore_ascii_case(&id))
            {
                return Err(BatchError {
                    offset: id_at,
                    reason: BatchReason::DuplicateId { id },
                });
            }
            let target: Cow<'_, str> = if url.starts_with('/') {
                Cow::Borrowed(&url)
            } else {
                Cow::Owned(format!("/{url}"))
            };
            let outcome = inner.screen(&method, &target).into_owned();
            let refusal = match outcome {
                Screened::NotCheckout => inner.classify(&method, &target).err(),
                _ => None,
            };
            screened.push(BatchRequest {
                id,
                method,
                url,
                offset,
                screened: outcome,
                refusal,
            });
        }
        Ok(screened)
    }

    /// The version of a batch target (`/v1.0/$batch`,
    /// `https://graph.microsoft.com/beta/$batch`): its first path segment,
    /// in this parser's spelling, when it is one of its versions.
    #[cfg(feature = "tower")]
    pub(crate) fn version_of(&self, target: &[u8]) -> Option<Cow<'static, str>> {
        let text = std::str::from_utf8(target).ok()?;
        let path = match text.find("://") {
            Some(scheme_end) => {
                let authority_and_path = &text[scheme_end + 3..];
                &authority_and_path[authority_and_path.find('/')?..]
            }
            None => text,
        };
        let first = path.strip_prefix('/')?.split(['/', '?']).next()?;
        self.versions
            .as_slice()
            .iter()
            .find(|configured| configured.eq_ignore_ascii_case(first))
            .cloned()
    }

    /// `version` in this parser's spelling when it is one of its versions,
    /// else as given.
    fn spelling_of(&self, version: &str) -> Cow<'static, str> {
        self.versions
            .as_slice()
            .iter()
            .find(|configured| configured.eq_ignore_ascii_case(version))
            .cloned()
            .unwrap_or_else(|| Cow::Owned(version.to_owned()))
    }
}

/// The members of a JSON object in the order written, names decoded and
/// values left raw (slices of the body, so their offsets are known).
struct Members<'a> {
    raw: &'a RawValue,
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Members<'a> {
    /// The members of `raw`, a value of `body`, if it is an object.
    fn of(body: &'a str, raw: &'a RawValue) -> Result<Members<'a>, BatchError> {
        let Object(members) = serde_json::from_str(raw.get()).map_err(|_| BatchError {
            offset: offset_of(body, raw.get()),
            reason: BatchReason::NotAnObject,
        })?;
        Ok(Members { raw, members })
    }

    /// The value of the member `name` (in any ASCII case), or the error of
    /// a member whose name repeats another's in some case.
    fn find(&self, body: &str, name: &str) -> Result<Option<&'a RawValue>, BatchError> {
        for (index, (first, _)) in self.members.iter().enumerate() {
            if let Some((again, value)) = self.members[index + 1..]
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(first))
            {
                return Err(BatchError {
                    offset: offset_of(body, value.get()),
                    reason: BatchReason::RepeatedMember {
                        name: again.clone().into_owned(),
                    },
                });
            }
        }
        Ok(self
            .members
            .iter()
            .find(|(member, _)| member.eq_ignore_ascii_case(name))
            .map(|(_, value)| *value))
    }
}

/// A JSON object's members, as serde reads them.
struct Object<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Object<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Object<'de>, M::Error> {
                let mut members = Vec::new();
                while let Some((name, value)) = map.next_entry::<Name<'de>, &'de RawValue>()? {
                    members.push((name.0, value));
                }
                Ok(Object(members))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// A member name, borrowed from the body unless it held an escape.
struct Name<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Name<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(name)))
            }
            fn visit_str<E>(self, name: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// Where `part`, a slice of `body`, starts in it.
fn offset_of(body: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(body.as_ptr() as usize)
}

/// serde_json's error at its line and column, as a byte offset.
fn json_error(body: &str, err: serde_json::Error) -> BatchError {
    let line_start: usize = body
        .split_inclusive('\n')
        .take(err.line().saturating_sub(1))
        .map(str::len)
        .sum();
    BatchError {
        offset: (line_start + err.column().saturating_sub(1)).min(body.len()),
        reason: BatchReason::Json(err),
    }
}
