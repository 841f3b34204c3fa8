#![doc = include_str!("../README.md")]
// On docs.rs (nightly), badge each item with the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The stages in the order a target goes through them: bytes, the target's
// form, the path's grammar, the walk over the model; the pipeline runs
// them in that order and builds the route.
mod grammar;
mod lexical;
mod pipeline;
mod target;
mod validate;

mod error;
mod line;
mod model;
mod names;
mod options;
mod route;
mod screen;
mod shape;
mod table;

#[cfg(feature = "batch")]
mod batch;
#[cfg(feature = "tower")]
mod gate;
#[cfg(feature = "http")]
mod http_support;
#[cfg(feature = "serve")]
pub mod sidecar;
#[cfg(feature = "tower")]
mod tower_support;

use std::sync::LazyLock;

#[cfg(feature = "batch")]
pub use batch::{BatchError, BatchField, BatchReason, BatchRequest, MAX_BATCH_REQUESTS};
pub use error::{point_at, Error, ErrorKind};
#[cfg(feature = "tower")]
pub use gate::{ErrorFormat, NonCheckout, UnseenBatch};
pub use line::split_request_line;
pub use model::{Keyword, DOCUMENTED_TEMPLATES};
pub use options::{Limits, Parser, DEFAULT_HOSTS, DEFAULT_VERSIONS};
pub use route::{Route, Step};
pub use screen::Screened;
pub use table::{InsertError, Lookup, Match, RouteTable};
#[cfg(feature = "tower")]
pub use tower_support::{
    problem_response, status_for, BatchMatch, Classify, ClassifyBody, ClassifyLayer,
    ClassifyRequestBody, TableMatch, DEFAULT_MAX_BATCH_BODY,
};

static DEFAULT: LazyLock<Parser> = LazyLock::new(Parser::default);

/// Parses a request target with the default [`Parser`]; the method is taken
/// to be `POST`.
#[inline]
pub fn parse(target: &str) -> Result<Route<'_>, Error> {
    DEFAULT.parse(target)
}

/// [`parse`] on raw bytes.
pub fn parse_bytes(target: &[u8]) -> Result<Route<'_>, Error> {
    DEFAULT.parse_bytes(target)
}

/// Classifies a request with the default [`Parser`]: the method must be
/// exactly `POST`.
pub fn classify<'a>(method: &str, target: &'a str) -> Result<Route<'a>, Error> {
    DEFAULT.classify(method, target)
}

/// [`classify`] on raw bytes.
pub fn classify_bytes<'a>(method: &[u8], target: &'a [u8]) -> Result<Route<'a>, Error> {
    DEFAULT.classify_bytes(method, target)
}

/// Screens a request with the default [`Parser`]: a checkout, provably not
/// a checkout, a batch, or refused (see [`Parser::screen`]).
pub fn screen<'a>(method: &str, target: &'a str) -> Screened<'a> {
    DEFAULT.screen(method, target)
}

/// Parses a route template (`/drives/{drive-id}/root/checkout`) with the
/// default [`Parser`].
pub fn parse_template(template: &str) -> Result<Route<'_>, Error> {
    DEFAULT.parse_template(template)
}

/// Classifies an [`http::Request`] with the default [`Parser`] (feature
/// `http`; see [`Parser::classify_request`]).
///
/// ```
/// let request = http::Request::post("/v1.0/me/drive/root/checkout").body(()).unwrap();
/// let route = graph_checkout_route::classify_request(&request).unwrap();
/// assert_eq!(route.template(), "/me/drive/root/checkout");
/// ```
#[cfg(feature = "http")]
pub fn classify_request<B>(request: &http::Request<B>) -> Result<Route<'_>, Error> {
    DEFAULT.classify_request(request)
}

/// Classifies a method and request URI with the default [`Parser`] (feature
/// `http`; see [`Parser::classify_uri`]).
#[cfg(feature = "http")]
pub fn classify_uri<'a>(method: &http::Method, uri: &'a http::Uri) -> Result<Route<'a>, Error> {
    DEFAULT.classify_uri(method, uri)
}
