//! Feature `tower`: a [`Layer`] that classifies every request before the
//! service it wraps sees it (docs/DESIGN.md §11).
//!
//! An accepted request goes on with its owned [`Route`] in its extensions
//! (`request.extensions().get::<Route<'static>>()`). A refused one never
//! reaches the inner service: the layer answers it with the status of
//! [`status_for`] and a body that names the error kind, offset and message
//! (an RFC 9457 problem document, [`problem_response`], or Graph's own
//! error shape). A JSON batch is read (up to a size limit) and every
//! request in it decided alike.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::{self, Either as EitherFuture, MapOk, Ready, TryFutureExt};
use http::{Request, Response};
use http_body::Body as HttpBody;
use http_body_util::{BodyExt, Either, Full, Limited};
use tower_layer::Layer;
use tower_service::Service;

use crate::gate::{self, Body, Denial, Options, Rules, Verdict};
use crate::{Error, ErrorFormat, NonCheckout, Parser, Route, RouteTable};

pub use crate::gate::status_for;

/// The body of a response that went through [`Classify`]: the inner
/// service's (`Left`) or the layer's own refusal (`Right`).
pub type ClassifyBody<B> = Either<B, Full<Bytes>>;

/// The body of a request that went on through [`Classify`]: as it arrived
/// (`Left`), or a batch body the layer read to check it (`Right`).
pub type ClassifyRequestBody<B> = Either<B, Full<Bytes>>;

/// The longest batch body a layer reads by default: 1 MiB, far more than
/// 20 requests need.
pub const DEFAULT_MAX_BATCH_BODY: usize = 1 << 20;

/// A [`Layer`] that classifies each request with a [`Parser`] (feature
/// `tower`).
///
/// An accepted request goes on to the inner service with its owned
/// [`Route`] in its extensions. A refused one never reaches it: the layer
/// answers with the status of [`status_for`] and a problem document naming
/// the kind, offset and message ([`problem_response`]), or Graph's error
/// shape ([`ClassifyLayer::error_format`]).
///
/// ```
/// use std::convert::Infallible;
/// use graph_checkout_route::{ClassifyLayer, ClassifyRequestBody, Parser, Route};
/// use http_body_util::Empty;
/// use tower::{service_fn, Layer, ServiceExt};
///
/// type Body = ClassifyRequestBody<Empty<bytes::Bytes>>;
/// let layer = ClassifyLayer::with_parser(Parser::new().versions(["v1.0"]));
/// let service = layer.layer(service_fn(|request: http::Request<Body>| async move {
///     let route = request.extensions().get::<Route<'static>>().unwrap();
///     Ok::<_, Infallible>(http::Response::new(route.template().into_owned()))
/// }));
/// let request = http::Request::post("/v1.0/me/drive/root/checkout").body(Empty::new()).unwrap();
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let response = service.oneshot(request).await.unwrap();
/// assert_eq!(response.status(), 200);
/// # });
/// ```
///
/// With a [`RouteTable`] ([`ClassifyLayer::with_table`]), only requests
/// that match one of its templates go on, with a [`TableMatch`] beside the
/// route in the extensions; a valid checkout route that no template matches
/// is answered 404 with the kind `no_match`.
///
/// By default every other request is refused too (with the error its
/// classification gives: `GET /v1.0/me` is a `method` error);
/// [`ClassifyLayer::non_checkout`] lets the requests that provably are not
/// checkouts pass (docs/DESIGN.md §9). A JSON batch (`POST /v1.0/$batch`) is
/// never one of those: the layer reads its body (413 above
/// [`ClassifyLayer::max_batch_body`]) and lets it on only if every request
/// in it would go on by itself, with a [`BatchMatch`] in the extensions.
#[derive(Debug)]
pub struct ClassifyLayer<T = ()> {
    policy: Policy<T>,
    options: Options,
    format: ErrorFormat,
    max_batch_body: usize,
}

/// What decides which checkout routes go on: a parser alone, or a table,
/// whose own parser classifies them.
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

impl<T: Clone> Rules for Policy<T> {
    type Allowed = Option<TableMatch<T>>;

    fn judge(&self, route: &Route<'_>) -> Result<Self::Allowed, Denial> {
        let Policy::Table(table) = self else {
            return Ok(None);
        };
        match table.find(route) {
            Some((template, value)) => Ok(Some(TableMatch {
                template: template.to_owned(),
                value: value.clone(),
            })),
            None => Err(Denial::NoMatch(route.template().into_owned())),
        }
    }
}

impl<T> Clone for ClassifyLayer<T> {
    fn clone(&self) -> Self {
        ClassifyLayer {
            policy: self.policy.clone(),
            ..*self
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
        ClassifyLayer::of(Policy::Parser(Arc::new(parser)))
    }
}

impl<T> ClassifyLayer<T> {
    /// A layer that lets through only the requests that match a template of
    /// `table`, classified with the table's parser.
    pub fn with_table(table: RouteTable<T>) -> ClassifyLayer<T> {
        ClassifyLayer::of(Policy::Table(Arc::new(table)))
    }

    fn of(policy: Policy<T>) -> ClassifyLayer<T> {
        ClassifyLayer {
            policy,
            options: Options::default(),
            format: ErrorFormat::default(),
            max_batch_body: DEFAULT_MAX_BATCH_BODY,
        }
    }

    /// What to do with a request that provably is not a checkout
    /// ([`NonCheckout::Deny`] by default).
    #[must_use]
    pub fn non_checkout(mut self, choice: NonCheckout) -> Self {
        self.options.non_checkout = choice;
        self
    }

    /// The body of the layer's refusals ([`ErrorFormat::Problem`] by
    /// default).
    #[must_use]
    pub fn error_format(mut self, format: ErrorFormat) -> Self {
        self.format = format;
        self
    }

    /// The longest JSON batch body the layer reads; a longer one is
    /// answered 413 ([`DEFAULT_MAX_BATCH_BODY`] by default).
    #[must_use]
    pub fn max_batch_body(mut self, bytes: usize) -> Self {
        self.max_batch_body = bytes;
        self
    }
}

impl<S, T> Layer<S> for ClassifyLayer<T> {
    type Service = Classify<S, T>;

    fn layer(&self, inner: S) -> Classify<S, T> {
        Classify {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service that [`ClassifyLayer`] wraps around another.
#[derive(Debug)]
pub struct Classify<S, T = ()> {
    inner: S,
    layer: ClassifyLayer<T>,
}

impl<S: Clone, T> Clone for Classify<S, T> {
    fn clone(&self) -> Self {
        Classify {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
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

/// What the layer puts into the extensions of a JSON batch that goes on:
/// each checkout in it, in order, with its id, its route and its table
/// match (`None` without a table). Requests in it that are not checkouts
/// are not listed.
#[derive(Debug, Clone)]
pub struct BatchMatch<T> {
    /// `(id, route, table match)` for each checkout of the batch.
    pub checkouts: Vec<(String, Route<'static>, Option<TableMatch<T>>)>,
}

/// Turns the inner service's response into the layer's response type.
type Wrap<B> = fn(Response<B>) -> Response<ClassifyBody<B>>;

/// The error of a request body, boxed.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The future of a batch: its body is read first.
type BatchFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, T, ReqBody, ResBody> Service<Request<ReqBody>> for Classify<S, T>
where
    S: Service<Request<ClassifyRequestBody<ReqBody>>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    S::Error: Send,
    ReqBody: HttpBody<Data = Bytes> + Send + 'static,
    ReqBody::Error: Into<BoxError>,
    ResBody: Send + 'static,
    T: Clone + Send + Sync + 'static,
{
    type Response = Response<ClassifyBody<ResBody>>;
    type Error = S::Error;
    type Future = EitherFuture<
        Ready<Result<Self::Response, S::Error>>,
        EitherFuture<MapOk<S::Future, Wrap<ResBody>>, BatchFuture<Self::Response, S::Error>>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let verdict = self.decide(&request, Body::Unseen);
        if let Verdict::Deny(Denial::BatchUnseen) = verdict {
            // A batch: read its body, then decide again. The inner service
            // that was made ready goes into the future; a clone stays.
            let clone = self.inner.clone();
            let inner = std::mem::replace(&mut self.inner, clone);
            let layer = self.layer.clone();
            let future: BatchFuture<Self::Response, S::Error> =
                Box::pin(batch(inner, layer, request));
            return EitherFuture::Right(EitherFuture::Right(future));
        }
        match forward(verdict, request) {
            Ok(request) => {
                let wrap: Wrap<ResBody> = |response| response.map(Either::Left);
                EitherFuture::Right(EitherFuture::Left(self.inner.call(request).map_ok(wrap)))
            }
            Err(denial) => EitherFuture::Left(future::ready(Ok(self.refuse(&denial)))),
        }
    }
}

impl<S, T: Clone> Classify<S, T> {
    fn decide<B>(&self, request: &Request<B>, body: Body<'_>) -> Verdict<Option<TableMatch<T>>> {
        decide(&self.layer, request, body)
    }

    fn refuse<B>(&self, denial: &Denial) -> Response<ClassifyBody<B>> {
        gate::deny_response(denial, self.layer.format).map(Either::Right)
    }
}

fn decide<T: Clone, B>(
    layer: &ClassifyLayer<T>,
    request: &Request<B>,
    body: Body<'_>,
) -> Verdict<Option<TableMatch<T>>> {
    let target = crate::http_support::target(request.uri());
    gate::decide(
        layer.policy.parser(),
        &layer.policy,
        layer.options,
        request.method().as_str().as_bytes(),
        target.as_bytes(),
        body,
    )
}

/// The request to hand on for a verdict that lets it go, with what the
/// layer learned in its extensions; or why not.
fn forward<T: Clone + Send + Sync + 'static, B>(
    verdict: Verdict<Option<TableMatch<T>>>,
    request: Request<B>,
) -> Result<Request<ClassifyRequestBody<B>>, Denial> {
    let mut request = request.map(Either::Left);
    let extensions = request.extensions_mut();
    match verdict {
        Verdict::Checkout(route, matched) => {
            extensions.insert(route);
            if let Some(matched) = matched {
                extensions.insert(matched);
            }
        }
        Verdict::Pass => {}
        Verdict::Batch(checkouts) => {
            extensions.insert(BatchMatch { checkouts });
        }
        Verdict::Deny(denial) => return Err(denial),
    }
    Ok(request)
}

/// Reads a batch's body (at most the layer's limit), decides on it, and
/// hands the request on with the body it read, or refuses it.
async fn batch<S, T, ReqBody, ResBody>(
    mut inner: S,
    layer: ClassifyLayer<T>,
    request: Request<ReqBody>,
) -> Result<Response<ClassifyBody<ResBody>>, S::Error>
where
    S: Service<Request<ClassifyRequestBody<ReqBody>>, Response = Response<ResBody>>,
    ReqBody: HttpBody<Data = Bytes>,
    ReqBody::Error: Into<BoxError>,
    T: Clone + Send + Sync + 'static,
{
    let (parts, body) = request.into_parts();
    let refuse = |denial: &Denial| gate::deny_response(denial, layer.format).map(Either::Right);
    let bytes = match Limited::new(body, layer.max_batch_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return Ok(refuse(&Denial::BatchTooLarge(layer.max_batch_body)));
        }
        // The body broke off: nothing to check, so nothing goes on.
        Err(_) => return Ok(refuse(&Denial::Internal)),
    };
    let request = Request::from_parts(parts, ());
    let verdict = decide(&layer, &request, Body::Seen(&bytes));
    match forward(verdict, request) {
        Ok(request) => {
            let request = request.map(|_| Either::Right(Full::new(bytes)));
            Ok(inner.call(request).await?.map(Either::Left))
        }
        Err(denial) => Ok(refuse(&denial)),
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
    gate::deny_response(&Denial::Invalid(error.clone()), ErrorFormat::Problem)
}
