//! A stub upstream that answers every request `204 No Content`, like Graph
//! answers a checkout, for trying `examples/gateway.rs` out.
//!
//! It echoes the route template the gateway added (`x-graph-route`) back as
//! `x-upstream-saw-route`, so a client can see what reached it.
//!
//! ```sh
//! cargo run --features tower --example upstream -- 127.0.0.1:8081
//! ```

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The header the gateway adds and the upstream echoes as
/// [`SAW_ROUTE_HEADER`].
pub const ROUTE_HEADER: &str = "x-graph-route";
/// The upstream's echo of [`ROUTE_HEADER`].
pub const SAW_ROUTE_HEADER: &str = "x-upstream-saw-route";

/// Serves `listener` forever, counting the requests it answers in `served`.
pub async fn serve(listener: TcpListener, served: Arc<AtomicUsize>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let served = Arc::clone(&served);
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                served.fetch_add(1, Ordering::SeqCst);
                let mut response = Response::new(Full::new(Bytes::new()));
                *response.status_mut() = StatusCode::NO_CONTENT;
                if let Some(route) = request.headers().get(ROUTE_HEADER) {
                    response
                        .headers_mut()
                        .insert(SAW_ROUTE_HEADER, route.clone());
                }
                async move { Ok::<_, Infallible>(response) }
            });
            // A connection that breaks off is the client's business.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[allow(dead_code)] // tests/gateway.rs includes this file for `serve`.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".to_owned())
        .parse()
        .expect("usage: upstream [ADDRESS:PORT]");
    let listener = TcpListener::bind(addr).await?;
    println!("upstream listening on http://{}", listener.local_addr()?);
    serve(listener, Arc::new(AtomicUsize::new(0))).await;
    Ok(())
}
