//! The sidecar behind a real nginx (`auth_request`) and a real Caddy
//! (`forward_auth`), started with the configs of `examples/gateways/`:
//! every documented route and the routes of `tests/data/gateway_requests.txt`
//! go through with their template, every refusal comes back with its status
//! and body, other traffic passes only when the policy says so, and under
//! load, a killed sidecar and a reload, every request is answered and only
//! allowed ones reach the upstream.

use std::collections::HashMap;
use std::net::SocketAddr;

use graph_checkout_route::DOCUMENTED_TEMPLATES;

use crate::fill::fill;
use crate::harness::{self, caddy, have, load, nginx, send_raw, Gateway, Sidecar, Upstream};
use crate::util::unescape;

/// The policy of `tests/data/gateway_requests.txt`.
const POLICY: &str = r#"
[policy]
non_checkout = "deny"

[[rule]]
template = "/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout"
action = "deny"
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Nginx,
    Caddy,
}

impl Kind {
    fn binary(self) -> &'static str {
        match self {
            Kind::Nginx => "nginx",
            Kind::Caddy => "caddy",
        }
    }

    fn start(self, sidecar: SocketAddr, upstream: SocketAddr) -> Gateway {
        match self {
            Kind::Nginx => nginx(sidecar, upstream),
            Kind::Caddy => caddy(sidecar, upstream),
        }
    }

    /// What the client gets when the sidecar does not answer.
    fn unanswered(self) -> u16 {
        match self {
            // The config's @graph_denied, for a 500 without a status.
            Kind::Nginx => 503,
            // Caddy's own, for a failed dial.
            Kind::Caddy => 502,
        }
    }
}

/// What a request of the data file should get.
#[derive(Debug, Clone)]
enum Expect {
    Allow(String),
    Deny(u16, String, u64),
}

fn cases() -> Vec<(String, String, Expect)> {
    let mut cases: Vec<(String, String, Expect)> = DOCUMENTED_TEMPLATES
        .iter()
        .map(|template| {
            // Through a gateway the target is in origin form.
            let target = fill(template);
            let target = if target.starts_with('/') {
                format!("/v1.0{target}")
            } else {
                target
            };
            (
                "POST".to_owned(),
                target,
                Expect::Allow((*template).to_owned()),
            )
        })
        .collect();
    let text = include_str!("../data/gateway_requests.txt");
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let origin = format!("gateway_requests.txt:{}", number + 1);
        let (request, expected) = line.rsplit_once(" => ").expect("REQUEST => EXPECTED");
        let (method, target) = request.split_once(' ').expect("METHOD TARGET");
        let target = String::from_utf8(unescape(target, &origin)).unwrap();
        let expected: Vec<&str> = expected.split_whitespace().collect();
        let expect = match expected.as_slice() {
            ["allow", template] => Expect::Allow((*template).to_owned()),
            ["deny", status, kind, offset] => Expect::Deny(
                status.parse().unwrap(),
                (*kind).to_owned(),
                offset.parse().unwrap(),
            ),
            _ => panic!("{origin}: expected `allow TEMPLATE` or `deny STATUS KIND OFFSET`"),
        };
        cases.push((method.to_owned(), target, expect));
    }
    cases
}

async fn routes_and_refusals(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("", POLICY);
    let gateway = kind.start(sidecar.addr, upstream.addr);
    let mut failures = Vec::new();
    for (method, target, expect) in cases() {
        let answer = send_raw(gateway.addr, &format!("{method} {target}"), &[], b"").await;
        let seen = upstream.take();
        let what = format!(
            "{} {method} {}",
            gateway.name,
            &target[..target.len().min(120)]
        );
        match &expect {
            Expect::Allow(template) => {
                let route = seen.first().and_then(|s| s.route.clone());
                if answer.status != 204
                    || seen.len() != 1
                    || route.as_deref() != Some(template)
                    || seen[0].target != target
                {
                    failures.push(format!(
                        "{what}: expected the upstream to see {template}; got {} and {seen:?}",
                        answer.status
                    ));
                }
            }
            Expect::Deny(status, kind, offset) => {
                let body: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
                let named = body
                    .as_ref()
                    .map(|b| (b["kind"].as_str().map(str::to_owned), b["offset"].as_u64()));
                if answer.status != *status
                    || !seen.is_empty()
                    || named != Some((Some(kind.clone()), Some(*offset)))
                {
                    failures.push(format!(
                        "{what}: expected {status} {kind} @{offset}; got {} {} and the upstream saw {seen:?}",
                        answer.status,
                        String::from_utf8_lossy(&answer.body)
                    ));
                }
                if *status == 405 && answer.header("allow") != Some("POST") {
                    failures.push(format!("{what}: a 405 without `Allow: POST`"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}\nsidecar log:\n{}",
        failures.len(),
        failures.join("\n"),
        sidecar.process.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_routes_and_refusals() {
    routes_and_refusals(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_routes_and_refusals() {
    routes_and_refusals(Kind::Caddy).await;
}

/// Other traffic passes only when the policy says so, and then without a
/// route header, whatever the client sent.
async fn pass_through(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("", "[policy]\nnon_checkout = \"allow\"\n");
    let gateway = kind.start(sidecar.addr, upstream.addr);
    let spoof = [("X-Graph-Route", "/me/drive/root/checkout")];
    for target in ["/v1.0/me", "/v1.0/me/drive/root/children", "/healthz"] {
        let answer = send_raw(gateway.addr, &format!("GET {target}"), &spoof, b"").await;
        let seen = upstream.take();
        assert_eq!(answer.status, 204, "{} GET {target}", gateway.name);
        assert_eq!(seen.len(), 1, "{} GET {target}", gateway.name);
        assert!(
            seen[0].route.as_deref().is_none_or(str::is_empty),
            "{}: the client's route header went on: {seen:?}",
            gateway.name
        );
    }
    // A hidden checkout is never "other traffic".
    let answer = send_raw(
        gateway.addr,
        "POST /v1.0/me/drive/root/check%6Fut",
        &[],
        b"",
    )
    .await;
    assert_eq!(
        (answer.status, upstream.take().len()),
        (400, 0),
        "{}",
        gateway.name
    );

    // And with other traffic refused, the same requests stop at the gateway.
    sidecar.reload("", "[policy]\nnon_checkout = \"deny\"\n");
    wait_for_reload(&sidecar).await;
    let answer = send_raw(gateway.addr, "GET /v1.0/me", &[], b"").await;
    assert_eq!(
        (answer.status, upstream.take().len()),
        (405, 0),
        "{}",
        gateway.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_pass_through() {
    pass_through(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_pass_through() {
    pass_through(Kind::Caddy).await;
}

/// Waits until the sidecar's metrics count one more reload.
async fn wait_for_reload(sidecar: &Sidecar) {
    for _ in 0..200 {
        let metrics = send_raw(sidecar.addr, "GET /metrics", &[], b"").await;
        if String::from_utf8_lossy(&metrics.body)
            .contains("graph_checkout_reloads_total{result=\"ok\"} 1")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the sidecar did not reload: {}", sidecar.process.log());
}

/// A mix of allowed and refused requests, cycled to `count`, with what each
/// should get (200-299 for an allow).
fn mix(count: usize) -> (Vec<(String, String)>, Vec<u16>) {
    let kinds: Vec<(&str, String, u16)> = vec![
        ("POST", "/v1.0/me/drive/root/checkout".into(), 204),
        (
            "POST",
            fill("/drives/{drivesId}/items/{driveItemId}/checkout"),
            204,
        ),
        (
            "POST",
            "/v1.0/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/checkout".into(),
            204,
        ),
        (
            "POST",
            "/v1.0/me/drive/items/01AB/children/01CD/checkout".into(),
            204,
        ),
        ("GET", "/v1.0/me/drive/root/checkout".into(), 405),
        ("POST", "/v1.0/me/drive/bogus/checkout".into(), 404),
        ("POST", "/v1.0/me/drive/root/check%6Fut".into(), 400),
        (
            "POST",
            "/v1.0/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout".into(),
            403,
        ),
    ];
    (0..count)
        .map(|i| {
            let (method, target, status) = &kinds[i % kinds.len()];
            ((method.to_string(), target.clone()), *status)
        })
        .unzip()
}

/// 10 000 requests at 100 concurrent connections: every one answered as
/// its kind should be, and only the allowed ones forwarded, each with its
/// route.
async fn under_load(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("max_connections = 256", POLICY);
    let gateway = kind.start(sidecar.addr, upstream.addr);
    let (requests, expected) = mix(10_000);
    let statuses = load(gateway.addr, requests, 100, usize::MAX, || {}).await;
    let mut wrong: HashMap<(Option<u16>, u16), usize> = HashMap::new();
    for (got, want) in statuses.iter().zip(&expected) {
        if *got != Some(*want) {
            *wrong.entry((*got, *want)).or_default() += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{}: (got, expected) counts: {wrong:?}",
        gateway.name
    );
    let seen = upstream.seen();
    let allowed = expected.iter().filter(|s| **s == 204).count();
    assert_eq!(seen.len(), allowed, "{}: forwarded requests", gateway.name);
    assert!(
        seen.iter()
            .all(|s| s.route.as_deref().is_some_and(|r| r.ends_with("/checkout"))),
        "{}",
        gateway.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_under_load() {
    under_load(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_under_load() {
    under_load(Kind::Caddy).await;
}

/// The sidecar is killed in the middle of a run: every request is still
/// answered, and none reaches the upstream without the sidecar's allow.
async fn sidecar_killed(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("", POLICY);
    let gateway = kind.start(sidecar.addr, upstream.addr);
    let requests: Vec<(String, String)> = (0..4000)
        .map(|i| {
            (
                "POST".to_owned(),
                format!("/v1.0/me/drive/items/item{i}/checkout"),
            )
        })
        .collect();
    let pid = sidecar.process.child.id();
    let statuses = load(gateway.addr, requests, 50, 1000, move || {
        let _ = std::process::Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status();
    })
    .await;
    assert!(
        statuses.iter().all(Option::is_some),
        "{}: unanswered requests",
        gateway.name
    );
    let allowed = statuses.iter().filter(|s| **s == Some(204)).count();
    let refused: Vec<u16> = statuses
        .iter()
        .flatten()
        .copied()
        .filter(|s| *s != 204)
        .collect();
    assert!(
        allowed >= 1000,
        "{}: {allowed} allowed before the kill",
        gateway.name
    );
    assert!(
        !refused.is_empty(),
        "{}: the kill changed nothing",
        gateway.name
    );
    assert!(
        refused.iter().all(|s| *s == kind.unanswered()),
        "{}: refusals {:?}",
        gateway.name,
        refused.iter().take(5).collect::<Vec<_>>()
    );
    // The upstream saw exactly the allowed requests, each with its route.
    let seen = upstream.seen();
    assert_eq!(seen.len(), allowed, "{}", gateway.name);
    assert!(seen
        .iter()
        .all(|s| s.route.as_deref() == Some("/me/drive/items/{driveItemId}/checkout")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_sidecar_killed_fails_closed() {
    sidecar_killed(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_sidecar_killed_fails_closed() {
    sidecar_killed(Kind::Caddy).await;
}

/// A policy reload in the middle of a run: nothing is dropped, every
/// request gets the old policy's answer or the new one's, and the new one
/// holds afterwards.
async fn reload_under_load(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("", POLICY);
    let gateway = kind.start(sidecar.addr, upstream.addr);
    // The new policy turns the two rules around.
    let flipped = r#"
[[rule]]
template = "/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout"
action = "allow"

[[rule]]
template = "/me/drive/root/checkout"
action = "deny"
"#;
    let (requests, expected) = mix(6000);
    let config = sidecar.config.clone();
    let pid = sidecar.process.child.id();
    let text = harness::config_text("", flipped);
    let statuses = load(gateway.addr, requests.clone(), 50, 2000, move || {
        std::fs::write(&config, text).unwrap();
        let _ = std::process::Command::new("kill")
            .arg("-HUP")
            .arg(pid.to_string())
            .status();
    })
    .await;
    for ((request, got), want) in requests.iter().zip(&statuses).zip(&expected) {
        let toggled = request.0 == "POST"
            && (request.1.contains("/shares/") || request.1 == "/v1.0/me/drive/root/checkout");
        let fine = match got {
            Some(got) if toggled => *got == 204 || *got == 403,
            Some(got) => got == want,
            None => false,
        };
        if !fine {
            // Check requests that reached the upstream mean the gateway sent
            // them to the wrong place (Caddy 2.6 did, with keep-alive on).
            let misrouted = upstream
                .seen()
                .iter()
                .filter(|s| s.target.starts_with("/auth"))
                .count();
            panic!(
                "{}: {request:?} got {got:?}, expected {want}; {misrouted} check requests reached the upstream",
                gateway.name
            );
        }
    }
    let after = send_raw(gateway.addr, "POST /v1.0/me/drive/root/checkout", &[], b"").await;
    assert_eq!(after.status, 403, "{}: the new policy holds", gateway.name);
    let after = send_raw(
        gateway.addr,
        "POST /v1.0/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout",
        &[],
        b"",
    )
    .await;
    assert_eq!(after.status, 204, "{}: the new policy holds", gateway.name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_reload_under_load() {
    reload_under_load(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_reload_under_load() {
    reload_under_load(Kind::Caddy).await;
}

/// A batch carrying a refused checkout is refused: these gateways do not
/// send the body, so a batch is refused unseen, unless the policy lets
/// batches pass (a way around every rule, for a gateway that checks
/// batches elsewhere).
async fn batches(kind: Kind) {
    if !have(kind.binary()) {
        return;
    }
    let upstream = Upstream::start().await;
    let sidecar = Sidecar::start("", POLICY);
    let gateway = kind.start(sidecar.addr, upstream.addr);
    let body = br#"{"requests":[{"id":"1","method":"POST","url":"/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout"}]}"#;
    let headers = [("Content-Type", "application/json")];
    let answer = send_raw(gateway.addr, "POST /v1.0/$batch", &headers, body).await;
    assert_eq!(
        (answer.status, upstream.take().len()),
        (403, 0),
        "{}",
        gateway.name
    );
    assert_eq!(answer.json()["kind"], "batch_unseen");

    let allow_batches = POLICY.replacen("[policy]\n", "[policy]\nbatch = \"allow\"\n", 1);
    sidecar.reload("", &allow_batches);
    wait_for_reload(&sidecar).await;
    let answer = send_raw(gateway.addr, "POST /v1.0/$batch", &headers, body).await;
    assert_eq!(
        (answer.status, upstream.take().len()),
        (204, 1),
        "{}",
        gateway.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_batches() {
    batches(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_batches() {
    batches(Kind::Caddy).await;
}
