//! Feature `tower`: the layer hands accepted requests on with their route
//! and answers every kind of reject itself, with the status and problem
//! document of the table.

#![cfg(feature = "tower")]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use graph_checkout_route::{ClassifyLayer, Parser, Route};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use tower::{service_fn, Layer, ServiceExt};

/// An inner service that answers 204 with the route's template in a header,
/// counting its calls.
fn upstream(
    calls: Arc<AtomicUsize>,
) -> impl tower::Service<Request<()>, Response = Response<Full<Bytes>>, Error = Infallible> + Clone
{
    service_fn(move |request: Request<()>| {
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
    let request = Request::builder().method(method).uri(uri).body(()).unwrap();
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
        service_fn(move |request: Request<()>| {
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
        let request = Request::post(uri).body(()).unwrap();
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
        .body(())
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
        .body(())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["kind"], "unknown_segment");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
