//! `graph-checkout-route serve` (feature `serve`), over real HTTP: its
//! protocols at the HTTP level (`protocol`), and behind a real nginx and a
//! real Caddy (`gateways`). `harness` starts the processes.

#![cfg(feature = "serve")]

#[path = "../util/fill.rs"]
mod fill;
#[path = "../util/mod.rs"]
mod util;

mod gateways;
mod harness;
mod protocol;
