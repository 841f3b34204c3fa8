//! The example gateway end to end: `examples/upstream.rs` and
//! `examples/gateway.rs` on 127.0.0.1 ephemeral ports inside the test, and
//! real HTTP/1.1 requests over TCP from hyper's client (and, for an
//! absolute-form target, from a raw socket).

#![cfg(feature = "tower")]

#[path = "util/fill.rs"]
mod fill;
#[path = "../examples/gateway.rs"]
mod gateway;
#[path = "../examples/upstream.rs"]
mod upstream;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use graph_checkout_route::{Parser, DOCUMENTED_TEMPLATES};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use fill::fill;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// The upstream and, in front of it, a documented-only gateway.
struct Stack {
    gateway: SocketAddr,
    upstream_served: Arc<AtomicUsize>,
    client: HttpClient,
}

async fn start() -> Stack {
    let upstream_served = Arc::new(AtomicUsize::new(0));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    tokio::spawn(upstream::serve(listener, Arc::clone(&upstream_served)));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway = listener.local_addr().unwrap();
    let upstream_url = format!("http://{upstream}").parse().unwrap();
    tokio::spawn(gateway::serve(
        listener,
        upstream_url,
        Parser::new().documented_only(true),
    ));
    Stack {
        gateway,
        upstream_served,
        client: Client::builder(TokioExecutor::new()).build_http(),
    }
}

/// Status, headers and body of one request through the gateway.
async fn send(stack: &Stack, method: Method, target: &str) -> (StatusCode, http::HeaderMap, Bytes) {
    let request = Request::builder()
        .method(method)
        .uri(format!("http://{}{target}", stack.gateway))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = stack.client.request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_reaches_the_upstream_with_its_template() {
    let stack = start().await;
    for template in DOCUMENTED_TEMPLATES {
        let target = format!("/v1.0{}?$select=id", fill(template));
        let (status, headers, body) = send(&stack, Method::POST, &target).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{target}: {body:?}");
        assert_eq!(headers[upstream::SAW_ROUTE_HEADER], template, "{target}");
    }
    assert_eq!(
        stack.upstream_served.load(Ordering::SeqCst),
        DOCUMENTED_TEMPLATES.len()
    );
}

/// One reject of every error kind: method, target, status, kind, offset.
const REJECTS: &[(&str, &str, u16, &str, usize)] = &[
    ("GET", "/v1.0/me/drive/root/checkout", 405, "method", 0),
    ("POST", "LONG", 414, "limit", 2048),
    ("POST", "/v1.0/me/drive//root/checkout", 400, "syntax", 15),
    (
        "POST",
        "/v1.0/me/drive/items/a%2Fb/checkout",
        400,
        "encoding",
        22,
    ),
    (
        "POST",
        "/v1.0/me/drive/bogus/checkout",
        404,
        "unknown_segment",
        15,
    ),
    (
        "POST",
        "/v1.0/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout",
        404,
        "nesting",
        25,
    ),
    ("POST", "/v1.0/me/drive/items", 404, "incomplete", 20),
    (
        "POST",
        "/v1.0/shares/x/root/checkout",
        404,
        "invalid_id",
        13,
    ),
    (
        "POST",
        "/v1.0/me/drive/root/listItem/driveItem/checkout",
        404,
        "undocumented",
        0,
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_reject_is_answered_by_the_gateway_itself() {
    let stack = start().await;
    let long = format!("/v1.0/me/drive/items/{}/checkout", "a".repeat(2100));
    for &(method, target, status, kind, offset) in REJECTS {
        let target = if target == "LONG" {
            long.as_str()
        } else {
            target
        };
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let (got, headers, body) = send(&stack, method.clone(), target).await;
        assert_eq!(got.as_u16(), status, "{method} {target}: {body:?}");
        assert_eq!(headers["content-type"], "application/problem+json");
        if kind == "method" {
            assert_eq!(headers["allow"], "POST");
        }
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["kind"], kind, "{method} {target}: {problem}");
        assert_eq!(problem["offset"], offset, "{method} {target}: {problem}");
        assert_eq!(problem["status"], status);
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }

    // `host`: an absolute-form target naming another host, as a client
    // talking to a forward proxy sends it; written on a raw socket.
    let mut stream = TcpStream::connect(stack.gateway).await.unwrap();
    stream
        .write_all(
            b"POST https://evil.example/v1.0/me/drive/root/checkout HTTP/1.1\r\n\
              Host: evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8(raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 400 "), "{raw}");
    let body = &raw[raw.find("\r\n\r\n").unwrap() + 4..];
    let problem: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (problem["kind"].as_str(), problem["offset"].as_u64()),
        (Some("host"), Some(8))
    );

    assert_eq!(
        stack.upstream_served.load(Ordering::SeqCst),
        0,
        "a reject reached the upstream"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_are_all_answered() {
    let stack = Arc::new(start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..1000 {
        let stack = Arc::clone(&stack);
        tasks.spawn(async move {
            // Every fifth request is a reject; the others cycle through the
            // documented routes.
            let (target, expected) = if n % 5 == 4 {
                ("/v1.0/me/drive/bogus/checkout".to_owned(), None)
            } else {
                let template = DOCUMENTED_TEMPLATES[n % DOCUMENTED_TEMPLATES.len()];
                (fill(template), Some(template))
            };
            let (status, headers, _) = send(&stack, Method::POST, &target).await;
            match expected {
                Some(template) => {
                    assert_eq!(status, StatusCode::NO_CONTENT, "{target}");
                    assert_eq!(headers[upstream::SAW_ROUTE_HEADER], template);
                }
                None => assert_eq!(status, StatusCode::NOT_FOUND, "{target}"),
            }
            expected.is_some()
        });
    }
    let mut answered = 0;
    let mut forwarded = 0;
    while let Some(result) = tasks.join_next().await {
        answered += 1;
        forwarded += usize::from(result.expect("a request task failed"));
    }
    assert_eq!(answered, 1000);
    assert_eq!(forwarded, 800);
    assert_eq!(stack.upstream_served.load(Ordering::SeqCst), 800);
}
