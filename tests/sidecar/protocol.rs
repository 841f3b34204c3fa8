//! The sidecar's protocols at the HTTP level: check requests shaped as
//! Envoy's `ext_authz` HTTP service and Traefik's `ForwardAuth` send them
//! (from their documentation: Envoy sends the original method, its
//! `path_prefix` and the original path, and the body with
//! `with_request_body`; Traefik sends `GET` to its address with
//! `X-Forwarded-Method`, `-Uri`, `-Host`, `-Proto`, `-For`, and the body
//! with `forwardBody`), the answers, the configuration file's errors, the
//! metrics, reloads and the server's limits.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::{send_raw, Sidecar};

const POLICY: &str = r#"
[policy]
non_checkout = "allow"
error_format = "graph"

[[rule]]
template = "/drives/{drive-id}/items/{item-id}/checkout"
action = "deny"

[[rule]]
template = "/me/drive/items/{item-id}/checkout"
action = "allow"
labels = { team = "docs", tier = "gold" }
"#;

#[tokio::test]
async fn envoy_ext_authz_requests() {
    let sidecar = Sidecar::start("", POLICY);
    let envoy = |method: &str, path: &str| format!("{method} /envoy{path}");
    // Allowed: 200 (Envoy reads nothing else as allowed), with the route.
    let answer = send_raw(
        sidecar.addr,
        &envoy("POST", "/v1.0/me/drive/items/01AB/checkout?a=1"),
        &[("x-request-id", "r1")],
        b"",
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("x-graph-route"),
        Some("/me/drive/items/{driveItemId}/checkout")
    );
    assert_eq!(answer.header("x-graph-param-driveitemid"), Some("01AB"));
    assert_eq!(answer.header("x-graph-documented"), Some("true"));
    assert_eq!(answer.header("x-graph-version"), Some("v1.0"));
    assert_eq!(
        answer.header("x-graph-rule"),
        Some("/me/drive/items/{item-id}/checkout")
    );
    assert_eq!(answer.header("x-graph-label-team"), Some("docs"));
    assert_eq!(answer.header("x-graph-label-tier"), Some("gold"));
    // Param values are percent-encoded where a header could not hold them.
    let answer = send_raw(
        sidecar.addr,
        &envoy(
            "POST",
            "/v1.0/me/drive/root:/Q3%20Report%E2%82%AC.docx:/checkout",
        ),
        &[],
        b"",
    )
    .await;
    assert_eq!(
        answer.header("x-graph-param-path"),
        Some("Q3%20Report%E2%82%AC.docx")
    );
    // Denied by the policy: 403 in Graph's error shape.
    let answer = send_raw(
        sidecar.addr,
        &envoy("POST", "/v1.0/drives/b!x/items/01AB/checkout"),
        &[],
        b"",
    )
    .await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.json()["error"]["code"], "accessDenied");
    assert_eq!(answer.header("x-graph-error-kind"), Some("policy"));
    // Invalid: the kind's status.
    let answer = send_raw(
        sidecar.addr,
        &envoy("GET", "/v1.0/me/drive/root/checkout"),
        &[],
        b"",
    )
    .await;
    assert_eq!((answer.status, answer.header("allow")), (405, Some("POST")));
    assert_eq!(answer.json()["error"]["innerError"]["code"], "method");
    let answer = send_raw(
        sidecar.addr,
        &envoy("POST", "/v1.0/me/drive/items/a%2Fb/checkout"),
        &[],
        b"",
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.json()["error"]["innerError"]["offset"], 22);
    // Other traffic passes.
    let answer = send_raw(sidecar.addr, &envoy("GET", "/v1.0/me"), &[], b"").await;
    assert_eq!(
        (answer.status, answer.header("x-graph-decision")),
        (200, Some("pass"))
    );
}

/// Envoy with `with_request_body`: the body of a batch comes with the
/// check, and each of its requests is decided.
#[tokio::test]
async fn envoy_batches_with_their_body() {
    let sidecar = Sidecar::start("", POLICY);
    let envoy = |method: &str, path: &str| format!("{method} /envoy{path}");
    // With `with_request_body`, a batch is read and each request decided.
    let denied = br#"{"requests":[{"id":"1","method":"GET","url":"/me"},{"id":"2","method":"POST","url":"/drives/d/items/i/checkout"}]}"#;
    let answer = send_raw(
        sidecar.addr,
        &envoy("POST", "/v1.0/$batch"),
        &[("content-type", "application/json")],
        denied,
    )
    .await;
    assert_eq!(answer.status, 403);
    assert!(answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("`2`"));
    let allowed =
        br#"{"requests":[{"id":"1","method":"POST","url":"me/drive/items/01AB/checkout"}]}"#;
    let answer = send_raw(sidecar.addr, &envoy("POST", "/v1.0/$batch"), &[], allowed).await;
    assert_eq!(
        (answer.status, answer.header("x-graph-batch")),
        (200, Some("1"))
    );
    assert_eq!(
        answer.header("x-graph-route"),
        Some("/me/drive/items/{driveItemId}/checkout")
    );
    // A body Envoy cut short is not checked.
    let answer = send_raw(
        sidecar.addr,
        &envoy("POST", "/v1.0/$batch"),
        &[("x-envoy-auth-partial-body", "true")],
        allowed,
    )
    .await;
    assert_eq!(answer.status, 413);
}

#[tokio::test]
async fn traefik_forward_auth_requests() {
    let sidecar = Sidecar::start("", POLICY);
    let forwarded = |method: &'static str, uri: &'static str| {
        [
            ("X-Forwarded-Method", method),
            ("X-Forwarded-Uri", uri),
            ("X-Forwarded-Host", "graph.microsoft.com"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-For", "203.0.113.7"),
            ("X-Forwarded-Port", "443"),
        ]
    };
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/forward",
        &forwarded("POST", "/v1.0/me/drive/items/01AB/checkout"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 204);
    assert_eq!(
        answer.header("x-graph-route"),
        Some("/me/drive/items/{driveItemId}/checkout")
    );
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/forward",
        &forwarded("POST", "/v1.0/me/drive/bogus/checkout"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"]["code"], "itemNotFound");
    // `preserveRequestMethod: true` sends the original method: the same.
    let answer = send_raw(
        sidecar.addr,
        "POST /auth/forward",
        &forwarded("POST", "/v1.0/me/drive/items/01AB/checkout"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 204);
    // `forwardBody: true` sends the body: a batch is read.
    let body = br#"{"requests":[{"id":"1","method":"POST","url":"/drives/d/items/i/checkout"}]}"#;
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/forward",
        &forwarded("POST", "/v1.0/$batch"),
        body,
    )
    .await;
    assert_eq!(answer.status, 403);
    // Without the body, a batch is refused unseen.
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/forward",
        &forwarded("POST", "/v1.0/$batch"),
        b"",
    )
    .await;
    assert_eq!(
        (answer.status, answer.header("x-graph-error-kind")),
        (403, Some("batch_unseen"))
    );
}

#[tokio::test]
async fn check_requests_without_the_request_are_refused() {
    let sidecar = Sidecar::start("", POLICY);
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/nginx",
        &[("X-Original-Method", "POST")],
        b"",
    )
    .await;
    assert_eq!(
        (answer.status, answer.header("x-graph-error-kind")),
        (400, Some("check_request"))
    );
    // Two values of a header the gateway sets: which one would the gateway mean?
    let twice = [
        ("X-Forwarded-Method", "POST"),
        ("X-Forwarded-Uri", "/v1.0/me"),
        ("X-Forwarded-Uri", "/v1.0/me/drive/root/checkout"),
    ];
    let answer = send_raw(sidecar.addr, "GET /auth/forward", &twice, b"").await;
    assert_eq!(answer.status, 400);
    let answer = send_raw(sidecar.addr, "GET /nowhere", &[], b"").await;
    assert_eq!(answer.status, 404);
    // The nginx endpoint reads its own headers only.
    let other = [
        ("X-Forwarded-Method", "POST"),
        ("X-Forwarded-Uri", "/v1.0/me"),
    ];
    let answer = send_raw(sidecar.addr, "GET /auth/nginx", &other, b"").await;
    assert_eq!(answer.status, 400);
}

#[tokio::test]
async fn health_metrics_and_reloads() {
    let sidecar = Sidecar::start("", POLICY);
    assert_eq!(
        send_raw(sidecar.addr, "GET /healthz", &[], b"")
            .await
            .status,
        200
    );
    assert_eq!(
        send_raw(sidecar.addr, "GET /readyz", &[], b"").await.status,
        200
    );
    let check = |uri: &'static str| [("X-Original-Method", "POST"), ("X-Original-URI", uri)];
    for _ in 0..3 {
        send_raw(
            sidecar.addr,
            "GET /auth/nginx",
            &check("/v1.0/me/drive/items/01AB/checkout"),
            b"",
        )
        .await;
    }
    send_raw(
        sidecar.addr,
        "GET /auth/nginx",
        &check("/v1.0/me/drive/bogus/checkout"),
        b"",
    )
    .await;

    // A reload with a bad file keeps the policy in force.
    sidecar.reload_text("[policy]\ndefault = \"maybe\"\n");
    let metrics = wait_metric(&sidecar, "graph_checkout_reloads_total{result=\"error\"} 1").await;
    assert!(metrics.contains("graph_checkout_decisions_total{outcome=\"allow\",template=\"/me/drive/items/{driveItemId}/checkout\"} 3"), "{metrics}");
    assert!(
        metrics.contains("graph_checkout_denials_total{kind=\"unknown_segment\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("graph_checkout_decision_seconds_count 4"),
        "{metrics}"
    );
    assert!(
        sidecar.process.log().contains("unknown variant `maybe`"),
        "{}",
        sidecar.process.log()
    );
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/nginx",
        &check("/v1.0/drives/b!x/items/01AB/checkout"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 403, "the old policy is still in force");

    // A good one replaces it.
    sidecar.reload("", "[policy]\ndefault = \"deny\"\n");
    wait_metric(&sidecar, "graph_checkout_reloads_total{result=\"ok\"} 1").await;
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/nginx",
        &check("/v1.0/me/drive/items/01AB/checkout"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 403, "the new default action");
}

async fn wait_metric(sidecar: &Sidecar, line: &str) -> String {
    for _ in 0..200 {
        let metrics = send_raw(sidecar.addr, "GET /metrics", &[], b"").await;
        let text = String::from_utf8_lossy(&metrics.body).into_owned();
        if text.contains(line) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no `{line}` in the metrics: {}", sidecar.process.log());
}

#[test]
fn a_bad_file_at_start_is_exit_code_2_with_its_line_and_column() {
    let dir = crate::harness::TempDir::new("bad-config");
    let path = dir.path("policy.toml");
    std::fs::write(
        &path,
        "[policy]\n\n[[rule]]\ntemplate = \"/me/drive/bogus/checkout\"\naction = \"deny\"\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
        .args(["serve", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("policy.toml:4:23: the template `/me/drive/bogus/checkout` is not a valid checkout template"), "{stderr}");
    // `--check` says the same without serving.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
        .args(["serve", "--check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let good = dir.path("good.toml");
    std::fs::write(&good, POLICY).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
        .args(["serve", "--check", "--config"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn oversized_heads_and_slow_clients() {
    let sidecar = Sidecar::start(
        "max_header_bytes = 8192\nheader_read_timeout_ms = 300",
        POLICY,
    );
    // A head over the limit: 431.
    let big = "a".repeat(9000);
    let answer = send_raw(
        sidecar.addr,
        "GET /auth/nginx",
        &[("X-Original-Method", "POST"), ("X-Padding", &big)],
        b"",
    )
    .await;
    assert_eq!(answer.status, 431);
    // A client that sends half a head is cut off, and so is one that
    // keeps an idle connection after its answer.
    let mut slow = TcpStream::connect(sidecar.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the half-sent head kept its connection");
    let mut idle = TcpStream::connect(sidecar.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut answer)).await;
    assert!(closed.is_ok(), "the idle connection stayed open");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[tokio::test]
async fn connections_over_the_limit_wait_their_turn() {
    let sidecar = Sidecar::start("max_connections = 1\nheader_read_timeout_ms = 500", POLICY);
    // One connection holds the only place, idle.
    let _holder = TcpStream::connect(sidecar.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The next is answered once the first is closed for idling: it waits
    // in the backlog, it is not refused.
    let answer = send_raw(sidecar.addr, "GET /healthz", &[], b"").await;
    assert_eq!(answer.status, 200);
}

#[tokio::test]
async fn sigterm_drains_requests_in_flight() {
    let mut sidecar = Sidecar::start("", POLICY);
    // A batch whose body is on its way when the signal comes.
    let body =
        br#"{"requests":[{"id":"1","method":"POST","url":"/me/drive/items/01AB/checkout"}]}"#;
    let mut stream = TcpStream::connect(sidecar.addr).await.unwrap();
    let head = format!(
        "POST /envoy/v1.0/$batch HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    sidecar.process.signal("TERM");
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The listener is closed; the request in flight is still answered.
    stream.write_all(&body[10..]).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = crate::harness::parse_answer(&answer[..n]);
    assert_eq!(
        (answer.status, answer.header("x-graph-batch")),
        (200, Some("1"))
    );
    drop(stream);
    let status = sidecar
        .process
        .wait_exit(Duration::from_secs(15))
        .expect("the sidecar exits after draining");
    assert!(status.success(), "{status}");
}

/// The README's policy file loads, and the Envoy and Traefik examples
/// name the endpoints the sidecar serves.
#[test]
fn the_example_files_fit_the_sidecar() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
        .args(["serve", "--check", "--config"])
        .arg(root.join("examples/gateways/policy.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let envoy = include_str!("../../examples/gateways/envoy.yaml");
    assert!(envoy.contains("path_prefix: /envoy") && envoy.contains("failure_mode_allow: false"));
    let traefik = include_str!("../../examples/gateways/traefik-dynamic.yml");
    assert!(traefik.contains("/auth/forward") && traefik.contains("trustForwardHeader: false"));
}
