//! Arbitrary bytes as a line of the CLI's `template` command
//! (`Parser::classify_template_line`): no panic, an error's offset inside
//! the template, entry points that agree, and accepted templates that
//! round-trip through `parse_template`.

#![no_main]

use std::sync::LazyLock;

use graph_checkout_route::Parser;
use graph_checkout_route_fuzz::checks::{check_line, Mode};
use libfuzzer_sys::fuzz_target;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

fuzz_target!(|line: &[u8]| {
    let _ = check_line(&PARSER, Mode::Template, line);
});
