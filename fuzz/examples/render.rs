//! Prints the line that `roundtrip_structured` renders from a fuzzer input,
//! so that a finding can be saved as a regression file:
//!
//! ```text
//! cargo run --example render -- artifacts/roundtrip_structured/crash-... \
//!     > ../tests/fuzz-regressions/request/roundtrip_structured-NAME
//! ```
//!
//! The expected outcome goes to stderr.

use std::io::Write;

use arbitrary::Unstructured;
use graph_checkout_route_fuzz::structured::generate;

fn main() {
    let path = std::env::args_os().nth(1).expect("usage: render FILE");
    let data = std::fs::read(&path).expect("readable input file");
    match generate(&mut Unstructured::new(&data)) {
        Ok(generated) => {
            eprintln!("{:?}", generated.expected);
            std::io::stdout()
                .write_all(&generated.line)
                .expect("writable stdout");
        }
        Err(err) => {
            eprintln!("the input renders no route: {err}");
            std::process::exit(1);
        }
    }
}
