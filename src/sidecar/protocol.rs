//! The check requests each gateway sends, and the answers it reads
//! (docs/DESIGN.md §11 "Protocols").
//!
//! | endpoint | gateway | the original request is in |
//! |---|---|---|
//! | `/auth/nginx` | nginx `auth_request` | the headers `X-Original-Method`, `X-Original-URI` (set by the nginx config) |
//! | `/auth/forward` | Caddy `forward_auth`, Traefik `ForwardAuth` | the headers `X-Forwarded-Method`, `X-Forwarded-Uri` (set by the gateway) |
//! | `/envoy/...` | Envoy `ext_authz` (HTTP service, `path_prefix: /envoy`) | the check request's own method, and its path after the prefix |
//!
//! The header names and the prefix are configurable. An allowed request is
//! answered 204 (Envoy: 200, the only status it reads as allowed) with the
//! route in headers; a refused one with the status of its denial, the
//! body in the policy's format, and the same facts in headers (nginx
//! drops the body of a check answer; its config rebuilds the answer from
//! these headers).

use std::fmt::Write as _;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::Full;

use crate::gate::{self, Denial, Verdict};
use crate::Route;

use super::config::Headers;
use super::policy::Allowed;

/// What a check request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// nginx `auth_request`.
    Nginx,
    /// Caddy `forward_auth`, Traefik `ForwardAuth`.
    Forward,
    /// Envoy `ext_authz`.
    Envoy,
    Metrics,
    Healthz,
    Readyz,
}

impl Endpoint {
    /// The endpoint of a request path, if it is one.
    pub(crate) fn of(path: &str, headers: &Headers) -> Option<Endpoint> {
        match path {
            "/auth/nginx" => Some(Endpoint::Nginx),
            "/auth/forward" => Some(Endpoint::Forward),
            "/metrics" => Some(Endpoint::Metrics),
            "/healthz" => Some(Endpoint::Healthz),
            "/readyz" => Some(Endpoint::Readyz),
            _ => path
                .strip_prefix(headers.envoy_prefix.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .map(|_| Endpoint::Envoy),
        }
    }

    /// The status of an allow: Envoy reads only 200 as one.
    fn allow_status(self) -> StatusCode {
        match self {
            Endpoint::Envoy => StatusCode::OK,
            _ => StatusCode::NO_CONTENT,
        }
    }
}

/// The original request a check request names: method and target, as bytes.
#[derive(Debug)]
pub(crate) struct Original {
    pub(crate) method: Vec<u8>,
    pub(crate) target: Vec<u8>,
}

/// Reads the original request of a check request, or says why it cannot.
pub(crate) fn original<B>(
    endpoint: Endpoint,
    request: &Request<B>,
    headers: &Headers,
) -> Result<Original, Denial> {
    let from_headers = |method: &HeaderName, uri: &HeaderName| -> Result<Original, Denial> {
        Ok(Original {
            method: single(request.headers(), method)?.as_bytes().to_vec(),
            target: single(request.headers(), uri)?.as_bytes().to_vec(),
        })
    };
    match endpoint {
        Endpoint::Nginx => from_headers(&headers.nginx_method, &headers.nginx_uri),
        Endpoint::Forward => from_headers(&headers.forwarded_method, &headers.forwarded_uri),
        Endpoint::Envoy => {
            let path_and_query = request.uri().path_and_query().map_or("", |pq| pq.as_str());
            // Envoy sends the prefix, then the original path and query.
            let target = &path_and_query[headers.envoy_prefix.len().min(path_and_query.len())..];
            let target = if target.is_empty() || target.starts_with('?') {
                format!("/{target}")
            } else {
                target.to_owned()
            };
            Ok(Original {
                method: request.method().as_str().as_bytes().to_vec(),
                target: target.into_bytes(),
            })
        }
        Endpoint::Metrics | Endpoint::Healthz | Endpoint::Readyz => Err(Denial::Internal),
    }
}

/// The one value of a header; a missing or repeated one is refused: the
/// gateway sets it, so anything else is a configuration the sidecar
/// cannot trust.
fn single<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<&'h HeaderValue, Denial> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => Ok(value),
        (None, _) => Err(Denial::CheckRequest(format!(
            "the header `{name}` is missing"
        ))),
        (Some(_), Some(_)) => Err(Denial::CheckRequest(format!(
            "the header `{name}` is repeated"
        ))),
    }
}

/// The answer to a check request.
pub(crate) fn answer(
    endpoint: Endpoint,
    verdict: &Verdict<Allowed>,
    format: gate::ErrorFormat,
) -> Response<Full<Bytes>> {
    match verdict {
        Verdict::Checkout(route, allowed) => {
            let mut response = empty(endpoint.allow_status());
            let headers = response.headers_mut();
            headers.insert(DECISION, HeaderValue::from_static("allow"));
            route_headers(headers, route);
            if let Some(rule) = &allowed.rule {
                insert_text(headers, RULE, rule);
            }
            for (name, value) in &allowed.labels {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(format!("x-graph-label-{name}").as_bytes()),
                    HeaderValue::from_str(value),
                ) {
                    headers.append(name, value);
                }
            }
            response
        }
        Verdict::Pass => {
            let mut response = empty(endpoint.allow_status());
            let headers = response.headers_mut();
            headers.insert(DECISION, HeaderValue::from_static("pass"));
            // No route, said out loud: a gateway that copies these headers
            // onto the request then overwrites any the client sent (Caddy
            // 2.6 would copy its placeholder's text for a missing one).
            headers.insert(ROUTE, HeaderValue::from_static(""));
            headers.insert(DOCUMENTED, HeaderValue::from_static(""));
            response
        }
        Verdict::Batch(checkouts) => {
            let mut response = empty(endpoint.allow_status());
            let headers = response.headers_mut();
            headers.insert(DECISION, HeaderValue::from_static("allow"));
            headers.insert(BATCH, HeaderValue::from(checkouts.len()));
            for (_, route, _) in checkouts {
                insert_text(headers, ROUTE, &route.template());
            }
            response
        }
        Verdict::Deny(denial) => deny(denial, format),
    }
}

/// The answer that refuses: the status and body of the denial, and the
/// same facts in headers, for a gateway that drops the body.
pub(crate) fn deny(denial: &Denial, format: gate::ErrorFormat) -> Response<Full<Bytes>> {
    let response = gate::deny_response(denial, format);
    let body = match format {
        gate::ErrorFormat::Problem => gate::problem_body(denial),
        gate::ErrorFormat::Graph => gate::graph_body(denial),
    };
    let (mut parts, full) = response.into_parts();
    let headers = &mut parts.headers;
    headers.insert(DECISION, HeaderValue::from_static("deny"));
    headers.insert(KIND, HeaderValue::from_static(denial.kind()));
    headers.insert(STATUS, HeaderValue::from(denial.status().as_u16()));
    if let Ok(value) = HeaderValue::from_str(&ascii_json(&body)) {
        headers.insert(ERROR_BODY, value);
    }
    if let Denial::Policy(template) = denial {
        insert_text(headers, ROUTE, template);
    }
    Response::from_parts(parts, full)
}

/// The route's facts as headers: template, documented flag, version, and
/// each param, in path order (a name that repeats is repeated).
fn route_headers(headers: &mut HeaderMap, route: &Route<'_>) {
    insert_text(headers, ROUTE, &route.template());
    headers.insert(
        DOCUMENTED,
        HeaderValue::from_static(if route.is_documented() {
            "true"
        } else {
            "false"
        }),
    );
    if let Some(version) = route.version() {
        insert_text(headers, VERSION, version);
    }
    for (name, value) in route.params() {
        if let Ok(name) = HeaderName::from_bytes(format!("x-graph-param-{name}").as_bytes()) {
            if let Ok(value) = HeaderValue::from_str(&header_safe(value)) {
                headers.append(name, value);
            }
        }
    }
}

fn insert_text(headers: &mut HeaderMap, name: HeaderName, text: &str) {
    if let Ok(value) = HeaderValue::from_str(&header_safe(text)) {
        headers.append(name, value);
    }
}

/// `text` with every byte a header value may not hold as it is (controls,
/// space, non-ASCII, and `%` itself) percent-encoded.
pub(crate) fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_graphic() && byte != b'%' {
            out.push(char::from(byte));
        } else {
            // Writing into a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// JSON text with every character outside printable ASCII written as a
/// `\u` escape: still the same JSON, and a valid header value (nginx
/// returns it as the body of a refusal).
pub(crate) fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

fn empty(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

/// `allow`, `pass` or `deny`.
const DECISION: HeaderName = HeaderName::from_static("x-graph-decision");
/// The route template (repeated for each checkout of a batch).
const ROUTE: HeaderName = HeaderName::from_static("x-graph-route");
const DOCUMENTED: HeaderName = HeaderName::from_static("x-graph-documented");
const VERSION: HeaderName = HeaderName::from_static("x-graph-version");
/// The template of the rule that allowed the route.
const RULE: HeaderName = HeaderName::from_static("x-graph-rule");
/// The number of checkouts in an allowed batch.
const BATCH: HeaderName = HeaderName::from_static("x-graph-batch");
/// The kind of a denial.
const KIND: HeaderName = HeaderName::from_static("x-graph-error-kind");
/// The status of a denial (nginx answers its own status otherwise).
const STATUS: HeaderName = HeaderName::from_static("x-graph-status");
/// The body of a denial, as ASCII JSON.
const ERROR_BODY: HeaderName = HeaderName::from_static("x-graph-error-body");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_visible_ascii() {
        assert_eq!(header_safe("a b%c/ü"), "a%20b%25c/%C3%BC");
        assert_eq!(
            ascii_json(r#"{"m":"ü\u0001 😀"}"#),
            r#"{"m":"\u00fc\u0001 \ud83d\ude00"}"#
        );
        let value: serde_json::Value =
            serde_json::from_str(&ascii_json("{\"m\":\"ü\u{7f}😀\"}")).unwrap();
        assert_eq!(value["m"], "ü\u{7f}😀");
    }
}
