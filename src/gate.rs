//! What a gateway decides about one request, and how it says no
//! (docs/DESIGN.md §11). The tower layer and the sidecar decide alike:
//! they screen the request (§9), read a batch's body when they have it
//! (§10), apply their rules to every checkout route, and answer a deny
//! with a status and a body built here.

use bytes::Bytes;
use http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use http::{Response, StatusCode};
use http_body_util::Full;

use crate::batch::BatchError;
use crate::{Error, ErrorKind, Parser, Route, Screened};

/// What a gateway does with a request that provably is not a checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NonCheckout {
    /// Refuse it, with the error its classification gives (the default:
    /// the gateway guards checkouts only).
    #[default]
    Deny,
    /// Let it pass, unclassified.
    Allow,
}

/// What a gateway does with a JSON batch whose body it cannot see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnseenBatch {
    /// Refuse it (the default): its requests cannot be checked.
    #[default]
    Deny,
    /// Let it pass unchecked. A way around every rule for a client that
    /// puts its checkout in a batch; for a gateway that checks batches
    /// elsewhere.
    Allow,
}

/// The body a denial carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorFormat {
    /// An RFC 9457 `application/problem+json` document (the default).
    #[default]
    Problem,
    /// Microsoft Graph's own error shape, `{"error":{"code":...,
    /// "message":...}}`, so that Graph SDK clients read it.
    Graph,
}

/// The body of a request as the gateway has it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'b> {
    /// Not available (an `auth_request` subrequest has none).
    Unseen,
    /// The whole body.
    Seen(&'b [u8]),
}

/// A gateway's rules for checkout routes: allowed, with what the gateway
/// keeps of the rule, or denied.
pub(crate) trait Rules {
    /// What an allowed route carries on (a table match, labels).
    type Allowed;

    /// Whether `route` may go on.
    fn judge(&self, route: &Route<'_>) -> Result<Self::Allowed, Denial>;
}

/// How a gateway decides.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    pub(crate) non_checkout: NonCheckout,
    pub(crate) unseen_batch: UnseenBatch,
}

/// A gateway's decision.
#[derive(Debug)]
pub(crate) enum Verdict<A> {
    /// A checkout that may go on.
    Checkout(Route<'static>, A),
    /// Not a checkout, and such requests pass; or a batch that passes
    /// unseen.
    Pass,
    /// A batch whose every request may go on: its checkouts, with their
    /// ids.
    Batch(Vec<(String, Route<'static>, A)>),
    /// Refused.
    Deny(Denial),
}

/// Why a gateway refuses a request.
#[derive(Debug)]
pub(crate) enum Denial {
    /// Not a valid checkout request (or, with [`NonCheckout::Deny`], not
    /// a checkout at all): the parser's error.
    Invalid(Error),
    /// A valid checkout route that no template of the table matches.
    NoMatch(String),
    /// A checkout route that a rule (or the default action) denies: the
    /// sidecar's policy.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Policy(String),
    /// A check request that does not say which request to check (a header
    /// the gateway should have set is missing or repeated).
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    CheckRequest(String),
    /// A batch body that cannot be read as one.
    Batch(BatchError),
    /// A batch inside a batch.
    NestedBatch,
    /// A batch refused for one of its requests: its id, and why.
    InBatch(String, Box<Denial>),
    /// A batch whose body the gateway cannot see.
    BatchUnseen,
    /// A batch body over the gateway's limit.
    BatchTooLarge(usize),
    /// The gateway itself failed: it refuses rather than allow unchecked.
    Internal,
}

impl Denial {
    /// The HTTP status of the refusal.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Denial::Invalid(error) => status_for(error.kind()),
            Denial::NoMatch(_) => StatusCode::NOT_FOUND,
            Denial::Policy(_) | Denial::BatchUnseen => StatusCode::FORBIDDEN,
            Denial::Batch(_) | Denial::NestedBatch | Denial::CheckRequest(_) => {
                StatusCode::BAD_REQUEST
            }
            Denial::InBatch(_, inner) => inner.status(),
            Denial::BatchTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Denial::Internal => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Its name in snake case: the error kind for an invalid request,
    /// else the gateway's own (`policy`, `no_match`, `batch`, ...).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Denial::Invalid(error) => error.kind().as_str(),
            Denial::NoMatch(_) => "no_match",
            Denial::Policy(_) => "policy",
            Denial::Batch(_) => "batch",
            Denial::NestedBatch => "nested_batch",
            Denial::CheckRequest(_) => "check_request",
            Denial::InBatch(_, inner) => inner.kind(),
            Denial::BatchUnseen => "batch_unseen",
            Denial::BatchTooLarge(_) => "batch_too_large",
            Denial::Internal => "internal",
        }
    }

    /// The byte offset the refusal points at: into the target, or into the
    /// batch body for a batch error. 0 where nothing more precise applies.
    pub(crate) fn offset(&self) -> usize {
        match self {
            Denial::Invalid(error) => error.offset(),
            Denial::Batch(error) => error.offset(),
            Denial::InBatch(_, inner) => inner.offset(),
            _ => 0,
        }
    }

    /// A short summary: the problem document's `title`.
    fn title(&self) -> &'static str {
        match self {
            Denial::Invalid(error) => title(error.kind()),
            Denial::NoMatch(_) => "No route of the gateway matches",
            Denial::Policy(_) => "Denied by the gateway's policy",
            Denial::Batch(_) => "Malformed JSON batch",
            Denial::NestedBatch => "Batch inside a batch",
            Denial::CheckRequest(_) => "Check request without the request to check",
            Denial::InBatch(_, inner) => inner.title(),
            Denial::BatchUnseen => "Batch not checked",
            Denial::BatchTooLarge(_) => "Batch body too large",
            Denial::Internal => "Authorization failed",
        }
    }
}

impl std::fmt::Display for Denial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Denial::Invalid(error) => write!(f, "{error}"),
            Denial::NoMatch(template) => write!(
                f,
                "the checkout route `{template}` matches no template of the gateway's route table"
            ),
            Denial::Policy(template) => {
                write!(
                    f,
                    "the gateway's policy denies the checkout route `{template}`"
                )
            }
            Denial::Batch(error) => write!(f, "{error}"),
            Denial::NestedBatch => f.write_str("a batch may not hold a batch"),
            Denial::CheckRequest(why) => write!(f, "the check request cannot be read: {why}"),
            Denial::InBatch(id, inner) => {
                write!(
                    f,
                    "the batch's request `{}` is refused: {inner}",
                    id.escape_debug()
                )
            }
            Denial::BatchUnseen => {
                f.write_str("a JSON batch may carry checkouts, and the gateway cannot see its body")
            }
            Denial::BatchTooLarge(limit) => {
                write!(
                    f,
                    "the batch body is longer than the gateway's {limit} bytes"
                )
            }
            Denial::Internal => f.write_str("the authorization check failed; refused"),
        }
    }
}

/// Decides on one request.
pub(crate) fn decide<R: Rules>(
    parser: &Parser,
    rules: &R,
    options: Options,
    method: &[u8],
    target: &[u8],
    body: Body<'_>,
) -> Verdict<R::Allowed> {
    match parser.screen_bytes(method, target) {
        Screened::Checkout(route) => match rules.judge(&route) {
            Ok(allowed) => Verdict::Checkout(route.into_owned(), allowed),
            Err(denial) => Verdict::Deny(denial),
        },
        Screened::Rejected(error) => Verdict::Deny(Denial::Invalid(error)),
        Screened::NotCheckout => match options.non_checkout {
            NonCheckout::Allow => Verdict::Pass,
            NonCheckout::Deny => Verdict::Deny(refusal(parser, method, target)),
        },
        Screened::Batch => match body {
            Body::Unseen => match options.unseen_batch {
                UnseenBatch::Allow => Verdict::Pass,
                UnseenBatch::Deny => Verdict::Deny(Denial::BatchUnseen),
            },
            Body::Seen(body) => batch(parser, rules, options, target, body),
        },
    }
}

/// The error that refuses a request that is not a checkout, when such
/// requests are refused.
fn refusal(parser: &Parser, method: &[u8], target: &[u8]) -> Denial {
    match parser.classify_bytes(method, target) {
        Err(error) => Denial::Invalid(error),
        // The screen found no `checkout`, so no route can be valid: were
        // one to be, refuse rather than guess.
        Ok(_) => Denial::Internal,
    }
}

fn batch<R: Rules>(
    parser: &Parser,
    rules: &R,
    options: Options,
    target: &[u8],
    body: &[u8],
) -> Verdict<R::Allowed> {
    let requests = match parser.batch_in(body, parser.version_of(target)) {
        Ok(requests) => requests,
        Err(error) => return Verdict::Deny(Denial::Batch(error)),
    };
    let mut allowed = Vec::new();
    for request in requests {
        let denial = match request.screened() {
            Screened::Checkout(route) => match rules.judge(route) {
                Ok(kept) => {
                    allowed.push((request.id().to_owned(), route.clone(), kept));
                    continue;
                }
                Err(denial) => denial,
            },
            Screened::NotCheckout => match options.non_checkout {
                NonCheckout::Allow => continue,
                NonCheckout::Deny => match request.refusal() {
                    Some(error) => Denial::Invalid(error.clone()),
                    None => Denial::Internal,
                },
            },
            Screened::Batch => Denial::NestedBatch,
            Screened::Rejected(error) => Denial::Invalid(error.clone()),
        };
        return Verdict::Deny(Denial::InBatch(request.id().to_owned(), Box::new(denial)));
    }
    Verdict::Batch(allowed)
}

/// The HTTP status for an invalid request: `method` 405, `limit` 414;
/// `syntax`, `encoding`, `host` 400; `unknown_segment`, `nesting`,
/// `incomplete`, `invalid_id`, `undocumented` 404 (the target names no
/// checkout route).
pub fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Method => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::Limit => StatusCode::URI_TOO_LONG,
        ErrorKind::UnknownSegment
        | ErrorKind::Nesting
        | ErrorKind::Incomplete
        | ErrorKind::InvalidId
        | ErrorKind::Undocumented => StatusCode::NOT_FOUND,
        ErrorKind::Syntax | ErrorKind::Encoding | ErrorKind::Host => StatusCode::BAD_REQUEST,
    }
}

/// The response that refuses a request: its status, `Allow: POST` for a
/// `method` error, and a body in `format`.
pub(crate) fn deny_response(denial: &Denial, format: ErrorFormat) -> Response<Full<Bytes>> {
    let status = denial.status();
    let (content_type, body) = match format {
        ErrorFormat::Problem => ("application/problem+json", problem_body(denial)),
        ErrorFormat::Graph => ("application/json", graph_body(denial)),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if status == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// An RFC 9457 problem document:
///
/// ```json
/// {"type":"tag:graph-checkout-route,2026:nesting","title":"Segment not allowed here",
///  "status":404,"detail":"unexpected segment ...","kind":"nesting","offset":26}
/// ```
///
/// `type` is a tag URI (RFC 4151) per kind, an identifier rather than a
/// link.
pub(crate) fn problem_body(denial: &Denial) -> String {
    let kind = denial.kind();
    serde_json::json!({
        "type": format!("tag:graph-checkout-route,2026:{kind}"),
        "title": denial.title(),
        "status": denial.status().as_u16(),
        "detail": denial.to_string(),
        "kind": kind,
        "offset": denial.offset(),
    })
    .to_string()
}

/// Graph's error shape, with the documented code for the status and this
/// crate's kind and offset in `innerError`:
///
/// ```json
/// {"error":{"code":"itemNotFound","message":"unexpected segment ...",
///  "innerError":{"code":"nesting","offset":26}}}
/// ```
pub(crate) fn graph_body(denial: &Denial) -> String {
    serde_json::json!({
        "error": {
            "code": graph_code(denial.status()),
            "message": denial.to_string(),
            "innerError": { "code": denial.kind(), "offset": denial.offset() },
        }
    })
    .to_string()
}

/// The code of Graph's documented error codes that fits the status.
fn graph_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => "accessDenied",
        StatusCode::NOT_FOUND => "itemNotFound",
        StatusCode::SERVICE_UNAVAILABLE => "serviceNotAvailable",
        _ => "invalidRequest",
    }
}

/// A short summary of each kind.
fn title(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Method => "Method not allowed",
        ErrorKind::Limit => "Request target over a limit",
        ErrorKind::Syntax => "Malformed request target",
        ErrorKind::Encoding => "Percent-escape not allowed here",
        ErrorKind::Host => "Scheme, host or port not allowed",
        ErrorKind::UnknownSegment => "Unknown segment",
        ErrorKind::Nesting => "Segment not allowed here",
        ErrorKind::Incomplete => "Route ends before the action",
        ErrorKind::InvalidId => "Invalid key or path",
        ErrorKind::Undocumented => "Route not documented",
    }
}
