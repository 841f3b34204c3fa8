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

use crate::{Error, ErrorKind, Parser, Route};

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
#[derive(Debug, Clone, Default)]
pub struct ClassifyLayer {
    parser: Arc<Parser>,
}

impl ClassifyLayer {
    /// A layer with the default [`Parser`].
    pub fn new() -> ClassifyLayer {
        ClassifyLayer::default()
    }

    /// A layer with this parser (versions, hosts, limits, documented-only).
    pub fn with_parser(parser: Parser) -> ClassifyLayer {
        ClassifyLayer {
            parser: Arc::new(parser),
        }
    }
}

impl<S> Layer<S> for ClassifyLayer {
    type Service = Classify<S>;

    fn layer(&self, inner: S) -> Classify<S> {
        Classify {
            inner,
            parser: Arc::clone(&self.parser),
        }
    }
}

/// The service that [`ClassifyLayer`] wraps around another.
#[derive(Debug, Clone)]
pub struct Classify<S> {
    inner: S,
    parser: Arc<Parser>,
}

/// Turns the inner service's response into the layer's response type.
type Wrap<B> = fn(Response<B>) -> Response<ClassifyBody<B>>;

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Classify<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
{
    type Response = Response<ClassifyBody<ResBody>>;
    type Error = S::Error;
    type Future =
        EitherFuture<Ready<Result<Self::Response, S::Error>>, MapOk<S::Future, Wrap<ResBody>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        match self
            .parser
            .classify_request(&request)
            .map(Route::into_owned)
        {
            Ok(route) => {
                request.extensions_mut().insert(route);
                let wrap: Wrap<ResBody> = |response| response.map(Either::Left);
                EitherFuture::Right(self.inner.call(request).map_ok(wrap))
            }
            Err(error) => EitherFuture::Left(future::ready(Ok(
                problem_response(&error).map(Either::Right)
            ))),
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
    let status = status_for(kind);
    let body = serde_json::json!({
        "type": format!("tag:graph-checkout-route,2026:{}", kind.as_str()),
        "title": title(kind),
        "status": status.as_u16(),
        "detail": error.message(),
        "kind": kind.as_str(),
        "offset": error.offset(),
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if kind == ErrorKind::Method {
        headers.insert(ALLOW, HeaderValue::from_static("POST"));
    }
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
