//! Arbitrary bytes as a line, through the crate and through the independent
//! reference of `tests/reference/mod.rs`, in request and template mode,
//! with the default options and with tight ones: both must agree exactly
//! (error kind and offset, or template, params, canonical form, version and
//! query), and the crate must meet every property of `classify_bytes`.

#![no_main]

use std::sync::LazyLock;

use graph_checkout_route_fuzz::differential::{compare, configs, Config};
use libfuzzer_sys::fuzz_target;

static CONFIGS: LazyLock<Vec<Config>> = LazyLock::new(configs);

fuzz_target!(|line: &[u8]| {
    for config in CONFIGS.iter() {
        compare(config, line);
    }
});
