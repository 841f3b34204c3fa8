//! Backend equivalence on fuzzed keys and paths: for every target the crate
//! accepts, every store behind Graph that `tests/backends/readers.rs`
//! models (an OData backend, a second decoding, NFKC folding, Win32's
//! stripping) reads the same keys and names as the gateway did.

#![no_main]

use graph_checkout_route_fuzz::readers::verdict_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(why) = verdict_bytes(data) {
        panic!("{why}");
    }
});
