//! `graph-checkout-route serve`: an authorization sidecar for gateways
//! that are not written in Rust (feature `serve`; docs/DESIGN.md §11).
//!
//! nginx (`auth_request`), Caddy (`forward_auth`), Traefik (`ForwardAuth`)
//! and Envoy (`ext_authz`, HTTP service) ask it about every request before
//! they forward it; it answers allow or deny from a policy file. The parts:
//! `config` reads the file, `policy` holds its rules, `protocol` reads
//! each gateway's check requests and writes the answers it expects,
//! `server` runs the HTTP server, `metrics` counts.

mod config;
mod metrics;
mod policy;
mod protocol;
mod server;

use std::fmt;
use std::path::Path;

pub use config::ConfigError;

/// Why the sidecar stopped or did not start.
#[derive(Debug)]
pub enum RunError {
    /// The configuration file cannot be used (exit code 2 in the CLI).
    Config(ConfigError),
    /// The server could not run: the address is taken, signals cannot be
    /// handled.
    Io(std::io::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Config(error) => write!(f, "{error}"),
            RunError::Io(error) => write!(f, "the sidecar cannot run: {error}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Checks the configuration file at `path` as the sidecar would read it.
pub fn check_config(path: &Path) -> Result<(), ConfigError> {
    config::load(path).map(drop)
}

/// Runs the sidecar with the configuration file at `path` until `SIGTERM`
/// or `SIGINT`, logging JSON lines to stderr (the level from the
/// environment variable `GRAPH_CHECKOUT_LOG`, `info` by default). Prints
/// `listening on ADDRESS:PORT` on stdout once it accepts connections.
pub fn run(path: &Path) -> Result<(), RunError> {
    let config = config::load(path).map_err(RunError::Config)?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("GRAPH_CHECKOUT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A subscriber set before (by an embedding program) stays.
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(RunError::Io)?;
    runtime
        .block_on(server::serve(path.to_owned(), config))
        .map_err(RunError::Io)
}
