//! The sidecar's server (docs/DESIGN.md §11 "Hardening"): hyper 1 over
//! tokio, one task per connection.
//!
//! - A connection limit: a semaphore permit per connection, taken before
//!   `accept`, so that connections over the limit wait in the backlog.
//! - A header read timeout, which hyper also applies while a keep-alive
//!   connection waits for its next request (so it is the idle timeout
//!   too), and a request timeout around reading a body.
//! - A header size limit: hyper answers 431 above it.
//! - Fail closed: a check that panics or times out is answered with a
//!   denial, never an allow.
//! - `SIGHUP` reloads the policy (a bad file keeps the one in force);
//!   `SIGTERM` and `SIGINT` stop accepting, let the requests in flight
//!   finish (up to the shutdown grace), then exit.

use std::convert::Infallible;
use std::io::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use bytes::Bytes;
use futures_util::FutureExt as _;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::Semaphore;

use crate::gate::{self, Body, Denial, Verdict};

use super::config::{self, Server};
use super::metrics::{Metrics, Outcome};
use super::policy::{Allowed, Policy};
use super::protocol::{self, Endpoint, Original};

/// What every connection shares.
struct State {
    server: Server,
    policy: RwLock<Arc<Policy>>,
    metrics: Metrics,
    config_path: PathBuf,
    draining: AtomicBool,
}

/// Serves until `SIGTERM` or `SIGINT`.
pub(crate) async fn serve(config_path: PathBuf, config: config::Config) -> std::io::Result<()> {
    let listener = TcpListener::bind(config.server.listen).await?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    // The one line on stdout: where to reach the sidecar (the port, when
    // the file asked for port 0).
    println!("listening on {}", listener.local_addr()?);
    std::io::stdout().flush()?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    let state = Arc::new(State {
        server: config.server,
        policy: RwLock::new(Arc::new(config.policy)),
        metrics: Metrics::new(),
        config_path,
        draining: AtomicBool::new(false),
    });
    let permits = Arc::new(Semaphore::new(state.server.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.server.header_read_timeout)
        .max_header_size(state.server.max_header_bytes);
    loop {
        tokio::select! {
            accepted = accept(&listener, &permits) => {
                let Ok((stream, permit)) = accepted else { continue };
                let state = Arc::clone(&state);
                let service = service_fn(move |request| handle(Arc::clone(&state), request));
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    // A connection that breaks off or times out is closed;
                    // its requests were answered or never read.
                    let _ = connection.await;
                    drop(permit);
                });
            }
            _ = hangup.recv() => reload(&state),
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        }
    }
    state.draining.store(true, Ordering::SeqCst);
    drop(listener);
    tracing::info!(connections = graceful.count(), "shutting down: draining");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("drained"),
        () = tokio::time::sleep(state.server.shutdown_grace) => {
            tracing::warn!("shutdown grace over: closing the connections left");
        }
    }
    Ok(())
}

async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> std::io::Result<(tokio::net::TcpStream, tokio::sync::OwnedSemaphorePermit)> {
    let permit = Arc::clone(permits)
        .acquire_owned()
        .await
        .map_err(std::io::Error::other)?;
    let (stream, _) = listener.accept().await?;
    // Small answers: send each at once.
    let _ = stream.set_nodelay(true);
    Ok((stream, permit))
}

/// Loads the file again; a file that does not load leaves the policy as
/// it is. Requests in flight keep the policy they started with.
fn reload(state: &State) {
    match config::load(&state.config_path) {
        Ok(config) => {
            if config.server != state.server {
                tracing::warn!(
                    "reload: the [server] and [headers] settings take effect on restart only"
                );
            }
            *state
                .policy
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(config.policy);
            state.metrics.reloaded(true);
            tracing::info!(path = %state.config_path.display(), "reload: new policy in force");
        }
        Err(error) => {
            state.metrics.reloaded(false);
            tracing::error!(%error, "reload: refused, the policy in force stays");
        }
    }
}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let Some(endpoint) = Endpoint::of(request.uri().path(), &state.server.headers) else {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "not an endpoint of the sidecar\n",
        ));
    };
    Ok(match endpoint {
        Endpoint::Healthz => plain(StatusCode::OK, "ok\n"),
        Endpoint::Readyz if state.draining.load(Ordering::SeqCst) => {
            plain(StatusCode::SERVICE_UNAVAILABLE, "draining\n")
        }
        Endpoint::Readyz => plain(StatusCode::OK, "ready\n"),
        Endpoint::Metrics => {
            let mut response = plain(StatusCode::OK, "");
            *response.body_mut() = Full::new(Bytes::from(state.metrics.encode()));
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            response
        }
        Endpoint::Nginx | Endpoint::Forward | Endpoint::Envoy => {
            let started = Instant::now();
            tracing::debug!(uri = %request.uri(), headers = ?request.headers(), "check request");
            let policy = Arc::clone(
                &state
                    .policy
                    .read()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            // Whatever goes wrong in the check, the answer is a denial.
            let (verdict, original) = AssertUnwindSafe(check(&state, &policy, endpoint, request))
                .catch_unwind()
                .await
                .unwrap_or((Verdict::Deny(Denial::Internal), None));
            record(&state, &verdict, original.as_ref(), started);
            protocol::answer(endpoint, &verdict, policy.format)
        }
    })
}

/// Decides on a check request: on its head alone, and for a batch on the
/// body too when the check request carries one.
async fn check(
    state: &State,
    policy: &Policy,
    endpoint: Endpoint,
    request: Request<Incoming>,
) -> (Verdict<Allowed>, Option<Original>) {
    let original = match protocol::original(endpoint, &request, &state.server.headers) {
        Ok(original) => original,
        Err(denial) => return (Verdict::Deny(denial), None),
    };
    let verdict = decide_on(state, policy, &original, request).await;
    (verdict, Some(original))
}

async fn decide_on(
    state: &State,
    policy: &Policy,
    original: &Original,
    request: Request<Incoming>,
) -> Verdict<Allowed> {
    let decide = |body: Body<'_>| {
        gate::decide(
            policy.parser(),
            policy,
            policy.options(),
            &original.method,
            &original.target,
            body,
        )
    };
    let verdict = decide(Body::Unseen);
    if !matches!(verdict, Verdict::Deny(Denial::BatchUnseen)) {
        return verdict;
    }
    // A batch. Envoy says when it cut the body short.
    if request
        .headers()
        .get("x-envoy-auth-partial-body")
        .is_some_and(|value| value == "true")
    {
        return Verdict::Deny(Denial::BatchTooLarge(state.server.max_batch_body));
    }
    let limit = state.server.max_batch_body;
    let read = Limited::new(request.into_body(), limit).collect();
    let body = match tokio::time::timeout(state.server.request_timeout, read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            return Verdict::Deny(Denial::BatchTooLarge(limit));
        }
        // A body that breaks off or comes too slowly is not checked.
        Ok(Err(_)) | Err(_) => return Verdict::Deny(Denial::Internal),
    };
    if body.is_empty() {
        // The gateway did not send the body (nginx, Caddy, Traefik without
        // forwardBody): the policy's choice for unseen batches applies.
        verdict
    } else {
        decide(Body::Seen(&body))
    }
}

/// Metrics and a log line for a decision (a log line for each denial, and
/// for each allow when the file asks for it).
fn record(
    state: &State,
    verdict: &Verdict<Allowed>,
    original: Option<&Original>,
    started: Instant,
) {
    let took = started.elapsed();
    let method = original
        .map(|o| String::from_utf8_lossy(&o.method).into_owned())
        .unwrap_or_default();
    let target = original
        .map(|o| String::from_utf8_lossy(&o.target).into_owned())
        .unwrap_or_default();
    match verdict {
        Verdict::Checkout(route, _) => {
            let template = route.template();
            state.metrics.decided(Outcome::allow, Some(&template), took);
            if state.server.log_allows {
                tracing::info!(decision = "allow", %method, %target, template = %template, "allowed");
            }
        }
        Verdict::Batch(checkouts) => {
            state.metrics.decided(Outcome::allow, Some("$batch"), took);
            if state.server.log_allows {
                tracing::info!(
                    decision = "allow",
                    checkouts = checkouts.len(),
                    "batch allowed"
                );
            }
        }
        Verdict::Pass => {
            state.metrics.decided(Outcome::pass, None, took);
            if state.server.log_allows {
                tracing::info!(decision = "pass", %method, %target, "not a checkout: passed");
            }
        }
        Verdict::Deny(denial) => {
            let template = match denial {
                Denial::Policy(template) => Some(template.as_str()),
                _ => None,
            };
            state.metrics.decided(Outcome::deny, template, took);
            state.metrics.denied(denial.kind());
            tracing::info!(
                decision = "deny",
                %method,
                %target,
                kind = denial.kind(),
                status = denial.status().as_u16(),
                offset = denial.offset(),
                reason = %denial,
                "denied"
            );
        }
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
