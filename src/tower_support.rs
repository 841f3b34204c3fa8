//! Feature `tower`: a [`Layer`] that classifies every request before the
//! service it wraps sees it.
//!
//! An accepted request goes on with its owned [`Route`] in its extensions
//! (`request.extensions().get::<Route<'static>>()`). A rejected one never
//! reaches the inner service: the layer answers it with the status of
//! [`status_for`] and an RFC 9457 `application/problem+json` body that names
//! the error kind, offset and message ([`problem_response`]).

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::{self, Either as EitherFuture, MapOk, Ready, TryFutureExt};
use http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use http::{Request, Response, StatusCode};
use http_body_util::{Either, Full};
use tower_layer::Layer;
use tower_service::Service;

use crate::{Error, ErrorKind, Parser, Route, RouteTable};

/// The body of a response that went through [`Classify`]: the inner
/// service's (`Left`) or the layer's problem document (`Right`).
pub type ClassifyBody<B> = Either<B, Full<Bytes>>;

/// A [`Layer`] that classifies each request with a [`Parser`] (feature
/// `tower`).
///
/// An accepted request goes on to the inner service with its owned
/// [`Route`] in its extensions. A rejected one never reaches it: the layer
/// answers with [`problem_response`] (status of [`status_for`], an RFC 9457
/// problem document naming the kind, offset and message).
///
/// ```
/// use std::convert::Infallible;
/// use graph_checkout_route::{ClassifyLayer, Parser, Route};
/// use tower::{service_fn, Layer, ServiceExt};
///
/// let layer = ClassifyLayer::with_parser(Parser::new().versions(["v1.0"]));
/// let service = layer.layer(service_fn(|request: http::Request<()>| async move {
///     let route = request.extensions().get::<Route<'static>>().unwrap();
///     Ok::<_, Infallible>(http::Response::new(route.template().into_owned()))
/// }));
/// let request = http::Request::post("/v1.0/me/drive/root/checkout").body(()).unwrap();
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let response = service.oneshot(request).await.unwrap();
/// assert_eq!(response.status(), 200);
/// # });
/// ```
///
/// With a [`RouteTable`] ([`ClassifyLayer::with_table`]), only requests
/// that match one of its templates go on, with a [`TableMatch`] beside the
/// route in the extensions; a valid checkout route that no template matches
/// is answered 404 with the problem kind `no_match`.
#[derive(Debug)]
pub struct ClassifyLayer<T = ()> {
    policy: Policy<T>,
}

/// What decides which requests go on: a parser alone, or a table, whose
/// own parser classifies them.
#[derive(Debug)]
enum Policy<T> {
    Parser(Arc<Parser>),
    Table(Arc<RouteTable<T>>),
}

impl<T> Clone for Policy<T> {
    fn clone(&self) -> Self {
        match self {
            Policy::Parser(parser) => Policy::Parser(Arc::clone(parser)),
            Policy::Table(table) => Policy::Table(Arc::clone(table)),
        }
    }
}

impl<T> Policy<T> {
    fn parser(&self) -> &Parser {
        match self {
            Policy::Parser(parser) => parser,
            Policy::Table(table) => table.parser(),
        }
    }
}

impl<T> Clone for ClassifyLayer<T> {
    fn clone(&self) -> Self {
        ClassifyLayer {
            policy: self.policy.clone(),
        }
    }
}

impl Default for ClassifyLayer {
    fn default() -> Self {
        ClassifyLayer::with_parser(Parser::default())
    }
}

impl ClassifyLayer {
    /// A layer with the default [`Parser`].
    pub fn new() -> ClassifyLayer {
        ClassifyLayer::default()
    }

    /// A layer with this parser (versions, hosts, limits, documented-only).
    pub fn with_parser(parser: Parser) -> ClassifyLayer {
        ClassifyLayer {
            policy: Policy::Parser(Arc::new(parser)),
        }
    }
}

impl<T> ClassifyLayer<T> {
    /// A layer that lets through only the requests that match a template of
    /// `table`, classified with the table's parser.
    pub fn with_table(table: RouteTable<T>) -> ClassifyLayer<T> {
        ClassifyLayer {
            policy: Policy::Table(Arc::new(table)),
        }
    }
}

impl<S, T> Layer<S> for ClassifyLayer<T> {
    type Service = Classify<S, T>;

    fn layer(&self, inner: S) -> Classify<S, T> {
        Classify {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// The service that [`ClassifyLayer`] wraps around another.
#[derive(Debug)]
pub struct Classify<S, T = ()> {
    inner: S,
    policy: Policy<T>,
}

impl<S: Clone, T> Clone for Classify<S, T> {
    fn clone(&self) -> Self {
        Classify {
            inner: self.inner.clone(),
            policy: self.policy.clone(),
        }
    }
}

/// What a layer with a [`RouteTable`] puts into the extensions of a request
/// that matched, beside its `Route<'static>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMatch<T> {
    /// The template that matched, as it was inserted into the table.
    pub template: String,
    /// The value stored with that template (a policy, an upstream, a label).
    pub value: T,
}

/// Why the layer answers a request itself.
enum Reject {
    Invalid(Error),
    /// A valid checkout route outside the table; its template.
    NoMatch(String),
}

/// Turns the inner service's response into the layer's response type.
type Wrap<B> = fn(Response<B>) -> Response<ClassifyBody<B>>;

impl<S, T, ReqBody, ResBody> Service<Request<ReqBody>> for Classify<S, T>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    T: Clone + Send + Sync + 'static,
{
    type Response = Response<ClassifyBody<ResBody>>;
    type Error = S::Error;
    type Future =
        EitherFuture<Ready<Result<Self::Response, S::Error>>, MapOk<S::Future, Wrap<ResBody>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        match self.classify(&request) {
            Ok((route, matched)) => {
                let extensions = request.extensions_mut();
                extensions.insert(route);
                if let Some(matched) = matched {
                    extensions.insert(matched);
                }
                let wrap: Wrap<ResBody> = |response| response.map(Either::Left);
                EitherFuture::Right(self.inner.call(request).map_ok(wrap))
            }
            Err(reject) => {
                let response = match reject {
                    Reject::Invalid(error) => problem_response(&error),
                    Reject::NoMatch(template) => no_match_response(&template),
                };
                EitherFuture::Left(future::ready(Ok(response.map(Either::Right))))
            }
        }
    }
}

impl<S, T: Clone> Classify<S, T> {
    /// The owned route (and table match) of a request, or why it is refused.
    fn classify<B>(
        &self,
        request: &Request<B>,
    ) -> Result<(Route<'static>, Option<TableMatch<T>>), Reject> {
        let route = self
            .policy
            .parser()
            .classify_request(request)
            .map_err(Reject::Invalid)?;
        let Policy::Table(table) = &self.policy else {
            return Ok((route.into_owned(), None));
        };
        match table.find(&route) {
            Some((template, value)) => {
                let matched = TableMatch {
                    template: template.to_owned(),
                    value: value.clone(),
                };
                Ok((route.into_owned(), Some(matched)))
            }
            None => Err(Reject::NoMatch(route.template().into_owned())),
        }
    }
}

/// The HTTP status for a rejected request: `method` 405, `limit` 414;
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

/// The response for a rejected request: the status of [`status_for`],
/// `Allow: POST` for a `method` error, and an RFC 9457 problem document:
///
/// ```json
/// {"type":"tag:graph-checkout-route,2026:nesting","title":"Segment not allowed here",
///  "status":404,"detail":"unexpected segment ...","kind":"nesting","offset":26}
/// ```
///
/// `type` is a tag URI (RFC 4151) per kind, an identifier rather than a
/// link; `kind` and `offset` are the [`Error`]'s.
pub fn problem_response(error: &Error) -> Response<Full<Bytes>> {
    let kind = error.kind();
    let mut response = problem(
        status_for(kind),
        kind.as_str(),
        title(kind),
        &error.to_string(),
        error.offset(),
    );
    if kind == ErrorKind::Method {
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// The 404 of a layer with a [`RouteTable`] for a valid checkout route
/// that matches none of its templates: problem kind `no_match`, offset 0.
fn no_match_response(template: &str) -> Response<Full<Bytes>> {
    problem(
        StatusCode::NOT_FOUND,
        "no_match",
        "No route of the gateway matches",
        &format!(
            "the checkout route `{template}` matches no template of the gateway's route table"
        ),
        0,
    )
}

/// An RFC 9457 problem response.
fn problem(
    status: StatusCode,
    kind: &str,
    title: &str,
    detail: &str,
    offset: usize,
) -> Response<Full<Bytes>> {
    let body = serde_json::json!({
        "type": format!("tag:graph-checkout-route,2026:{kind}"),
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "kind": kind,
        "offset": offset,
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// A short summary of each kind, the problem document's `title`.
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
