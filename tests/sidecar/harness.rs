//! What the sidecar tests run: the sidecar binary with a config file of the
//! test's, a stub upstream that records what reaches it, real nginx and
//! Caddy with the configs of `examples/gateways/`, and clients (one raw
//! request per connection, or many over keep-alive connections).
//!
//! Everything listens on 127.0.0.1, on ports the system picks. A gateway
//! that is not installed skips its tests with a message, unless the
//! environment variable `GRAPH_CHECKOUT_REQUIRE_GATEWAYS` is set (as
//! `.ci/run` sets it), which makes a missing gateway a failure.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A private directory, removed at the end.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "graph-checkout-{what}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // nginx's workers run as another user when the tests run as root.
        let _ = std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777));
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process, stopped (`SIGTERM`, then `SIGKILL`) when dropped.
pub struct Process {
    pub child: Child,
    pub log: PathBuf,
}

impl Process {
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} {}", self.child.id());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for the process to exit by itself, up to `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .status();
            if self.wait_exit(Duration::from_secs(5)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// The sidecar, running with a config file the test can rewrite.
pub struct Sidecar {
    pub process: Process,
    pub addr: SocketAddr,
    pub config: PathBuf,
    _dir: TempDir,
}

/// The `[server]` lines every test's sidecar gets, before its own.
const LISTEN: &str = "listen = \"127.0.0.1:0\"\n";

impl Sidecar {
    /// Starts the sidecar with `[server]` lines `server` (besides its
    /// address) and the rest of the file `rest` (`[policy]`, `[[rule]]`).
    pub fn start(server: &str, rest: &str) -> Sidecar {
        let dir = TempDir::new("sidecar");
        let config = dir.path("policy.toml");
        std::fs::write(&config, config_text(server, rest)).unwrap();
        let log = dir.path("sidecar.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
            .args(["serve", "--config"])
            .arg(&config)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the sidecar starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the sidecar says where it listens");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {line:?}: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            })
            .parse()
            .unwrap();
        Sidecar {
            process: Process { child, log },
            addr,
            config,
            _dir: dir,
        }
    }

    /// Rewrites the config file (server lines and rest, as for `start`)
    /// and tells the sidecar to reload it.
    pub fn reload(&self, server: &str, rest: &str) {
        self.reload_text(&config_text(server, rest));
    }

    pub fn reload_text(&self, text: &str) {
        std::fs::write(&self.config, text).unwrap();
        self.process.signal("HUP");
    }
}

pub fn config_text(server: &str, rest: &str) -> String {
    format!("[server]\n{LISTEN}{server}\n{rest}")
}

/// What reached the stub upstream: each request's method, target and
/// `X-Graph-Route` header (`None` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub route: Option<String>,
}

/// A stub upstream: answers 204 to everything and records it.
pub struct Upstream {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Upstream {
    pub async fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let recorded = Arc::clone(&seen);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let recorded = Arc::clone(&recorded);
                        async move {
                            let route = request.headers().get("x-graph-route").map(|value| {
                                String::from_utf8_lossy(value.as_bytes()).into_owned()
                            });
                            recorded.lock().unwrap().push(Seen {
                                method: request.method().to_string(),
                                target: request.uri().to_string(),
                                route,
                            });
                            let _ = request.into_body().collect().await;
                            let mut response = Response::new(Full::new(Bytes::new()));
                            *response.status_mut() = StatusCode::NO_CONTENT;
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Upstream { addr, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether a gateway's binary is here; when it is not, either skips (a
/// message on stderr) or fails when gateways are required.
pub fn have(binary: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {binary}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            std::env::var_os("GRAPH_CHECKOUT_REQUIRE_GATEWAYS").is_none(),
            "{binary} is not installed, and GRAPH_CHECKOUT_REQUIRE_GATEWAYS is set"
        );
        eprintln!("SKIPPED: {binary} is not installed (apt-get install {binary})");
    }
    found
}

/// A gateway in front of the upstream, asking the sidecar.
pub struct Gateway {
    pub name: &'static str,
    pub addr: SocketAddr,
    pub process: Process,
    _dir: TempDir,
}

/// `examples/gateways/nginx.conf`, started as it is with its placeholders
/// filled in.
pub fn nginx(sidecar: SocketAddr, upstream: SocketAddr) -> Gateway {
    let dir = TempDir::new("nginx");
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let text = include_str!("../../examples/gateways/nginx.conf")
        .replace("{{DIR}}", dir.0.to_str().unwrap())
        .replace("{{LISTEN}}", &addr.to_string())
        .replace("{{SIDECAR}}", &sidecar.to_string())
        .replace("{{UPSTREAM}}", &upstream.to_string());
    let config = dir.path("nginx.conf");
    std::fs::write(&config, text).unwrap();
    let log = dir.path("error.log");
    let child = Command::new("nginx")
        .arg("-p")
        .arg(&dir.0)
        .arg("-c")
        .arg(&config)
        .arg("-e")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    ready(Gateway {
        name: "nginx",
        addr,
        process: Process { child, log },
        _dir: dir,
    })
}

/// `examples/gateways/Caddyfile`, started as it is with its placeholders
/// filled in.
pub fn caddy(sidecar: SocketAddr, upstream: SocketAddr) -> Gateway {
    let dir = TempDir::new("caddy");
    let port = free_port();
    let text = include_str!("../../examples/gateways/Caddyfile")
        .replace("{{PORT}}", &port.to_string())
        .replace("{{BIND}}", "127.0.0.1")
        .replace("{{SIDECAR}}", &sidecar.to_string())
        .replace("{{UPSTREAM}}", &upstream.to_string());
    let config = dir.path("Caddyfile");
    std::fs::write(&config, text).unwrap();
    let log = dir.path("caddy.log");
    // Caddy 2.6 saves its config under the config home: keep it private.
    let child = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&config)
        .env("XDG_CONFIG_HOME", &dir.0)
        .env("XDG_DATA_HOME", &dir.0)
        .env("HOME", &dir.0)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("caddy starts");
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    ready(Gateway {
        name: "caddy",
        addr,
        process: Process { child, log },
        _dir: dir,
    })
}

/// Waits until the gateway accepts connections.
fn ready(mut gateway: Gateway) -> Gateway {
    for _ in 0..500 {
        if std::net::TcpStream::connect(gateway.addr).is_ok() {
            return gateway;
        }
        if let Some(status) = gateway.process.child.try_wait().unwrap() {
            panic!(
                "{} exited with {status}: {}",
                gateway.name,
                gateway.process.log()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!(
        "{} does not listen on {}: {}",
        gateway.name,
        gateway.addr,
        gateway.process.log()
    );
}

/// A response as read off the wire.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One request on its own connection, written byte for byte as given
/// (`METHOD TARGET`, extra header lines, a body), read to the end.
pub async fn send_raw(
    addr: SocketAddr,
    request_line: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head =
        format!("{request_line} HTTP/1.1\r\nHost: graph.microsoft.com\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
    // One write, as clients send a small request: Caddy (Go's server)
    // answers a refusal without reading the body and, with `Connection:
    // close`, closes; a body that arrives after that is unread, and the
    // kernel answers it with a reset that can destroy the response before
    // it is read (seen in 3 of 40 tries with two writes, 0 of 40 with one).
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).await.unwrap();
    let mut data = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut data))
        .await
        .expect("an answer in time")
        .unwrap();
    parse_answer(&data)
}

/// A response: status line, headers, and a body by `Content-Length`,
/// chunks, or to the end.
pub fn parse_answer(data: &[u8]) -> Answer {
    let text_end = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&data[..text_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &data[text_end + 4..];
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// Sends every request of `targets` (`(method, target)`), `concurrency`
/// at a time over keep-alive connections, and returns each one's status in
/// order (`None` for a request that got no answer). `during` runs once
/// `trigger_after` answers have come back.
pub async fn load<F: FnOnce() + Send + 'static>(
    addr: SocketAddr,
    targets: Vec<(String, String)>,
    concurrency: usize,
    trigger_after: usize,
    during: F,
) -> Vec<Option<u16>> {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(concurrency)
        .build_http();
    let total = targets.len();
    let queue = Arc::new(Mutex::new(
        targets.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let results = Arc::new(Mutex::new(vec![None; total]));
    let answered = Arc::new(AtomicUsize::new(0));
    let during = Arc::new(Mutex::new(Some(during)));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, queue, results, answered, during) = (
            client.clone(),
            Arc::clone(&queue),
            Arc::clone(&results),
            Arc::clone(&answered),
            Arc::clone(&during),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let Some((index, (method, target))) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let request = Request::builder()
                    .method(method.as_str())
                    .uri(format!("http://{addr}{target}"))
                    .header("host", "graph.microsoft.com")
                    .body(Full::new(Bytes::new()))
                    .unwrap();
                let status =
                    match tokio::time::timeout(Duration::from_secs(30), client.request(request))
                        .await
                    {
                        Ok(Ok(response)) => {
                            let status = response.status().as_u16();
                            let _ = response.into_body().collect().await;
                            Some(status)
                        }
                        _ => None,
                    };
                results.lock().unwrap()[index] = status;
                if answered.fetch_add(1, Ordering::SeqCst) + 1 == trigger_after {
                    if let Some(during) = during.lock().unwrap().take() {
                        during();
                    }
                }
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    Arc::try_unwrap(results).unwrap().into_inner().unwrap()
}
