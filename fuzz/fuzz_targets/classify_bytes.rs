//! Arbitrary bytes as a CLI line (`Parser::classify_line`): no panic, an
//! error's offset inside the target, entry points that agree, and accepted
//! routes that round-trip through their canonical form.

#![no_main]

use std::sync::LazyLock;

use graph_checkout_route::Parser;
use graph_checkout_route_fuzz::checks::{check_line, Mode};
use libfuzzer_sys::fuzz_target;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

fuzz_target!(|line: &[u8]| {
    let _ = check_line(&PARSER, Mode::Request, line);
});
