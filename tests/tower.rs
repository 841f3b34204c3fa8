//! Feature `tower`: the layer hands accepted requests on with their route
//! and answers every kind of reject itself, with the status and problem
//! document of the issue's table.

#![cfg(feature = "tower")]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use graph_checkout_route::{ClassifyLayer, ClassifyRequestBody, Parser, Route};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{service_fn, Layer, ServiceExt};

/// What the inner service receives.
type Inner = ClassifyRequestBody<Full<Bytes>>;

/// An inner service that answers 204 with the route's template in a header,
/// counting its calls.
fn upstream(
    calls: Arc<AtomicUsize>,
) -> impl tower::Service<
    Request<Inner>,
    Response = Response<Full<Bytes>>,
    Error = Infallible,
    Future: Send,
> + Clone
       + Send
       + 'static {
    service_fn(move |request: Request<Inner>| {
        let calls = Arc::clone(&calls);
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            let route = request
                .extensions()
                .get::<Route<'static>>()
                .expect("the layer puts the route in the extensions");
            let response = Response::builder()
                .status(StatusCode::NO_CONTENT)
                .header("x-route-template", route.template().as_ref())
                .body(Full::new(Bytes::new()))
                .unwrap();
            Ok::<_, Infallible>(response)
        }
    })
}

async fn send(
    layer: &ClassifyLayer,
    method: &str,
    uri: &str,
) -> (StatusCode, http::HeaderMap, Bytes, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let service = layer.layer(upstream(Arc::clone(&calls)));
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn accepted_requests_reach_the_inner_service_with_their_route() {
    let layer = ClassifyLayer::new();
    for (uri, template) in [
        ("/v1.0/me/drive/root/checkout", "/me/drive/root/checkout"),
        (
            "/drives/b%21x/items/01AB/checkout?$select=id",
            "/drives/{drivesId}/items/{driveItemId}/checkout",
        ),
        (
            "https://graph.microsoft.com/v1.0/me/drive/root:/a%20b.txt:/checkout",
            "/me/drive/root:/{path}:/checkout",
        ),
    ] {
        let (status, headers, body, calls) = send(&layer, "POST", uri).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{uri}");
        assert_eq!(headers["x-route-template"], template, "{uri}");
        assert!(body.is_empty());
        assert_eq!(calls, 1);
    }
}

#[tokio::test]
async fn every_kind_of_reject_is_answered_by_the_layer() {
    let long = format!("/me/drive/items/{}/checkout", "a".repeat(2100));
    let cases: [(&str, &str, StatusCode, &str, usize); 10] = [
        (
            "GET",
            "/me/drive/root/checkout",
            StatusCode::METHOD_NOT_ALLOWED,
            "method",
            0,
        ),
        ("POST", &long, StatusCode::URI_TOO_LONG, "limit", 2048),
        (
            "POST",
            "/me/drive//root/checkout",
            StatusCode::BAD_REQUEST,
            "syntax",
            10,
        ),
        (
            "POST",
            "/me/drive/items/a%2Fb/checkout",
            StatusCode::BAD_REQUEST,
            "encoding",
            17,
        ),
        (
            "POST",
            "https://evil.example/v1.0/me/drive/root/checkout",
            StatusCode::BAD_REQUEST,
            "host",
            8,
        ),
        (
            "POST",
            "/me/drive/bogus/checkout",
            StatusCode::NOT_FOUND,
            "unknown_segment",
            10,
        ),
        (
            "POST",
            "/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout",
            StatusCode::NOT_FOUND,
            "nesting",
            20,
        ),
        (
            "POST",
            "/me/drive/items",
            StatusCode::NOT_FOUND,
            "incomplete",
            15,
        ),
        (
            "POST",
            "/shares/x/root/checkout",
            StatusCode::NOT_FOUND,
            "invalid_id",
            8,
        ),
        (
            "POST",
            "/me/drive/root/listItem/driveItem/checkout",
            StatusCode::NOT_FOUND,
            "undocumented",
            0,
        ),
    ];
    let open = ClassifyLayer::new();
    let strict = ClassifyLayer::with_parser(Parser::new().documented_only(true));
    for (method, uri, want_status, kind, offset) in cases {
        let layer = if kind == "undocumented" {
            &strict
        } else {
            &open
        };
        let (status, headers, body, calls) = send(layer, method, uri).await;
        assert_eq!(status, want_status, "{method} {uri}");
        assert_eq!(calls, 0, "{method} {uri}: the inner service was called");
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(
            headers.get("allow").map(|v| v.to_str().unwrap()),
            (kind == "method").then_some("POST"),
            "{method} {uri}"
        );
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["kind"], kind, "{method} {uri}: {problem}");
        assert_eq!(problem["offset"], offset, "{method} {uri}: {problem}");
        assert_eq!(problem["status"], want_status.as_u16());
        assert_eq!(
            problem["type"],
            format!("tag:graph-checkout-route,2026:{kind}")
        );
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()));
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.len() > 10, "{detail}");
    }
}

/// Requests that a store behind Graph would read as another item or path
/// never reach the inner service.
#[tokio::test]
async fn backend_readings_are_refused_before_the_service() {
    let cases = [
        ("/me/drive/items/@p/checkout?@p='SECRET'", "invalid_id", 16),
        (
            "/me/drive/items/microsoft.graph.driveItem/checkout",
            "invalid_id",
            16,
        ),
        (
            "/me/drive/root:/public/..%20/secret.docx:/checkout",
            "invalid_id",
            16,
        ),
        ("/me/drive/root:/secret.docx.:/checkout", "invalid_id", 16),
        (
            "/me/drive/root:/public%252F..%252Fsecret.docx:/checkout",
            "encoding",
            22,
        ),
        (
            "/me/drive/root:/public/%EF%BC%8E%EF%BC%8E%EF%BC%8Fsecret.docx:/checkout",
            "invalid_id",
            16,
        ),
    ];
    let layer = ClassifyLayer::new();
    for (uri, kind, offset) in cases {
        let (status, _, body, calls) = send(&layer, "POST", uri).await;
        assert_eq!(calls, 0, "{uri}: the inner service was called");
        assert!(status.is_client_error(), "{uri}: {status}");
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (problem["kind"].as_str(), problem["offset"].as_u64()),
            (Some(kind), Some(offset)),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn with_a_route_table_only_its_templates_go_on() {
    use graph_checkout_route::{RouteTable, TableMatch};

    let mut table = RouteTable::with_parser(Parser::new().versions(["v1.0"]));
    table
        .insert("/drives/{d}/items/{i}/checkout", "drive-items")
        .unwrap();
    table
        .insert("/drives/b!hr/items/{i}/checkout", "hr-only")
        .unwrap();
    let layer = graph_checkout_route::ClassifyLayer::with_table(table);

    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let inner = {
        let (calls, seen) = (Arc::clone(&calls), Arc::clone(&seen));
        service_fn(move |request: Request<Inner>| {
            calls.fetch_add(1, Ordering::SeqCst);
            let matched = request
                .extensions()
                .get::<TableMatch<&'static str>>()
                .cloned()
                .expect("a table layer puts the match in the extensions");
            assert!(request.extensions().get::<Route<'static>>().is_some());
            seen.lock().unwrap().push(matched);
            async { Ok::<_, Infallible>(Response::new(Full::new(Bytes::new()))) }
        })
    };
    let service = layer.layer(inner);

    for (uri, value) in [
        ("/v1.0/drives/b!hr/items/01AB/checkout", "hr-only"),
        ("/v1.0/drives/b%21it/items/01AB/checkout", "drive-items"),
    ] {
        let request = Request::post(uri).body(Full::new(Bytes::new())).unwrap();
        let response = service.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(seen.lock().unwrap().last().unwrap().value, value, "{uri}");
    }
    assert_eq!(
        seen.lock().unwrap()[0].template,
        "/drives/b!hr/items/{i}/checkout"
    );

    // A valid checkout route outside the table: 404, kind `no_match`.
    let request = Request::post("/v1.0/me/drive/root/checkout")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["kind"], "no_match");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("/me/drive/root/checkout"));

    // The table's parser decides: `beta` is not one of its versions.
    let request = Request::post("/beta/drives/b!hr/items/01AB/checkout")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["kind"], "unknown_segment");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// Sends a request with a body through `layer` to an inner service that
/// answers 204 and reports what it saw: the route template, or
/// `batch:<ids>` for a batch, or `-` for a request without a route; and
/// the body it received.
async fn send_body<T: Clone + Send + Sync + 'static>(
    layer: &ClassifyLayer<T>,
    method: &str,
    uri: &str,
    body: &'static [u8],
) -> (StatusCode, String, Bytes, usize) {
    use graph_checkout_route::BatchMatch;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(String::new()));
    let inner = {
        let (calls, seen) = (Arc::clone(&calls), Arc::clone(&seen));
        service_fn(move |request: Request<Inner>| {
            let (calls, seen) = (Arc::clone(&calls), Arc::clone(&seen));
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                let what = match (
                    request.extensions().get::<Route<'static>>(),
                    request.extensions().get::<BatchMatch<T>>(),
                ) {
                    (Some(route), _) => route.template().into_owned(),
                    (None, Some(batch)) => {
                        let ids: Vec<_> = batch
                            .checkouts
                            .iter()
                            .map(|(id, _, _)| id.as_str())
                            .collect();
                        format!("batch:{}", ids.join(","))
                    }
                    (None, None) => "-".to_owned(),
                };
                let body = request.into_body().collect().await.unwrap().to_bytes();
                *seen.lock().unwrap() = what;
                Ok::<_, Infallible>(
                    Response::builder()
                        .status(StatusCode::NO_CONTENT)
                        .body(Full::new(body))
                        .unwrap(),
                )
            }
        })
    };
    let service = layer.layer(inner);
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Full::new(Bytes::from_static(body)))
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let what = seen.lock().unwrap().clone();
    (status, what, body, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn other_traffic_passes_only_when_it_provably_is_no_checkout() {
    use graph_checkout_route::NonCheckout;
    let open = ClassifyLayer::new().non_checkout(NonCheckout::Allow);
    for (method, uri) in [
        ("GET", "/v1.0/me"),
        ("OPTIONS", "/v1.0/me/drive/root"),
        ("GET", "/healthz"),
    ] {
        let (status, what, _, calls) = send_body(&open, method, uri, b"").await;
        assert_eq!(
            (status, what.as_str(), calls),
            (StatusCode::NO_CONTENT, "-", 1),
            "{method} {uri}"
        );
    }
    // Escapes and case never make a checkout "other traffic".
    for (method, uri, status) in [
        ("POST", "/me/drive/root/check%6Fut", StatusCode::BAD_REQUEST),
        (
            "POST",
            "/me/drive/root/CHECK%256Fut",
            StatusCode::BAD_REQUEST,
        ),
        (
            "GET",
            "/me/drive/root/checkout",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "POST",
            "/me/drive/root/checkout%2F",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (got, _, _, calls) = send_body(&open, method, uri, b"").await;
        assert_eq!((got, calls), (status, 0), "{method} {uri}");
    }
    // By default other traffic is refused, with its classification's error.
    let (status, _, _, calls) = send_body(&ClassifyLayer::new(), "GET", "/v1.0/me", b"").await;
    assert_eq!((status, calls), (StatusCode::METHOD_NOT_ALLOWED, 0));
}

#[tokio::test]
async fn refusals_can_take_graphs_error_shape() {
    use graph_checkout_route::ErrorFormat;
    let layer = ClassifyLayer::new().error_format(ErrorFormat::Graph);
    let (status, _, body, _) = send_body(&layer, "POST", "/me/drive/bogus/checkout", b"").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"]["code"], "itemNotFound");
    assert_eq!(error["error"]["innerError"]["code"], "unknown_segment");
    assert_eq!(error["error"]["innerError"]["offset"], 10);
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("bogus"));
}

#[tokio::test]
async fn batches_are_read_and_every_request_decided() {
    use graph_checkout_route::{NonCheckout, RouteTable};
    let mut table = RouteTable::new();
    table
        .insert("/me/drive/items/{id}/checkout", "mine")
        .unwrap();
    let layer = ClassifyLayer::with_table(table)
        .non_checkout(NonCheckout::Allow)
        .max_batch_body(2048);
    let allowed: &'static [u8] = br#"{"requests":[{"id":"1","method":"GET","url":"/me"},{"id":"2","method":"POST","url":"me/drive/items/01AB/checkout"}]}"#;
    let (status, what, body, calls) = send_body(&layer, "POST", "/v1.0/$batch", allowed).await;
    assert_eq!(
        (status, what.as_str(), calls),
        (StatusCode::NO_CONTENT, "batch:2", 1)
    );
    // The inner service gets the body the layer read.
    assert_eq!(&body[..], allowed);

    // One checkout outside the table denies the whole batch.
    let outside: &'static [u8] = br#"{"requests":[{"id":"1","method":"POST","url":"/me/drive/items/01AB/checkout"},{"id":"2","method":"POST","url":"/drives/d/root/checkout"}]}"#;
    let (status, _, body, calls) = send_body(&layer, "POST", "/v1.0/$batch", outside).await;
    assert_eq!((status, calls), (StatusCode::NOT_FOUND, 0));
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["kind"], "no_match");
    assert!(
        problem["detail"].as_str().unwrap().contains("`2`"),
        "{problem}"
    );

    // A hidden checkout inside a batch is refused like one outside.
    let hidden: &'static [u8] =
        br#"{"requests":[{"id":"1","method":"POST","url":"/me/drive/items/01AB/check%6Fut"}]}"#;
    let (status, _, body, calls) = send_body(&layer, "POST", "/v1.0/%24batch", hidden).await;
    assert_eq!((status, calls), (StatusCode::BAD_REQUEST, 0));
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (problem["kind"].as_str(), problem["offset"].as_u64()),
        (Some("encoding"), Some(26))
    );

    // A malformed batch, and one over the size limit.
    let (status, _, body, calls) = send_body(
        &layer,
        "POST",
        "/v1.0/$batch",
        br#"{"requests":[{"id":"1","ID":"2"}]}"#,
    )
    .await;
    assert_eq!((status, calls), (StatusCode::BAD_REQUEST, 0));
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (problem["kind"].as_str(), problem["offset"].as_u64()),
        (Some("batch"), Some(28))
    );
    let large: &'static [u8] = &[b' '; 4096];
    let (status, _, _, calls) = send_body(&layer, "POST", "/v1.0/$batch", large).await;
    assert_eq!((status, calls), (StatusCode::PAYLOAD_TOO_LARGE, 0));
}
