//! A small reverse proxy in front of a Graph-like upstream: it classifies
//! every request with `ClassifyLayer`, forwards the accepted checkout
//! requests with the route template in an `x-graph-route` header (the
//! low-cardinality label gateways use for metrics and rate limits), and lets
//! the layer answer the rest with a problem document.
//!
//! ```sh
//! cargo run --features tower --example upstream -- 127.0.0.1:8081 &
//! cargo run --features tower --example gateway -- 127.0.0.1:8080 http://127.0.0.1:8081
//! curl -i -X POST http://127.0.0.1:8080/v1.0/me/drive/items/01AB/checkout
//! curl -i -X POST http://127.0.0.1:8080/v1.0/me/drive/bogus/checkout
//! ```

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use graph_checkout_route::{ClassifyLayer, ClassifyRequestBody, Parser, Route};
use http::header::HeaderValue;
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{service_fn, Layer};

/// The header that carries the route template to the upstream.
pub const ROUTE_HEADER: &str = "x-graph-route";

/// What the proxy answers with: the upstream's response, or its own 502.
type ProxyBody = Either<Incoming, Full<Bytes>>;

/// What the proxy forwards: the client's body, or a batch body the layer read.
type Forwarded = ClassifyRequestBody<Incoming>;

/// Serves `listener` forever, forwarding accepted requests to `upstream`
/// (`http://host:port`), classified by `parser`.
pub async fn serve(listener: TcpListener, upstream: Uri, parser: Parser) {
    let client: Client<HttpConnector, Forwarded> =
        Client::builder(TokioExecutor::new()).build_http();
    let layer = ClassifyLayer::with_parser(parser);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let client = client.clone();
        let upstream = upstream.clone();
        let proxy = service_fn(move |request: Request<Forwarded>| {
            forward(client.clone(), upstream.clone(), request)
        });
        let service = TowerToHyperService::new(layer.layer(proxy));
        tokio::spawn(async move {
            // A connection that breaks off is the client's business.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Sends an accepted request on to the upstream, with its template.
async fn forward(
    client: Client<HttpConnector, Forwarded>,
    upstream: Uri,
    mut request: Request<Forwarded>,
) -> Result<Response<ProxyBody>, Infallible> {
    // The layer put the route there; without it the request would not be here.
    let template = request
        .extensions()
        .get::<Route<'static>>()
        .map(|route| route.template().into_owned())
        .unwrap_or_default();
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let mut parts = upstream.into_parts();
    parts.path_and_query = path.parse().ok();
    *request.uri_mut() = Uri::from_parts(parts).expect("an upstream URL and a path make a URI");
    if let Ok(value) = HeaderValue::from_str(&template) {
        request.headers_mut().insert(ROUTE_HEADER, value);
    }
    match client.request(request).await {
        Ok(response) => Ok(response.map(Either::Left)),
        Err(error) => {
            let mut response = Response::new(Either::Right(Full::new(Bytes::from(format!(
                "upstream unreachable: {error}\n"
            )))));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            Ok(response)
        }
    }
}

#[allow(dead_code)] // tests/gateway.rs includes this file for `serve`.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gateway LISTEN_ADDRESS:PORT UPSTREAM_URL";
    let listen: SocketAddr = args.next().expect(usage).parse().expect(usage);
    let upstream: Uri = args.next().expect(usage).parse().expect(usage);
    let listener = TcpListener::bind(listen).await?;
    println!(
        "gateway listening on http://{}, forwarding to {upstream}",
        listener.local_addr()?
    );
    serve(listener, upstream, Parser::new()).await;
    Ok(())
}
