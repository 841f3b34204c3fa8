//! Every input a fuzzer of `fuzz/` ever found failing, replayed with the
//! fuzz targets' own assertions (`fuzz/src/checks.rs`, included below):
//! no panic, an error offset inside the target, entry points that agree,
//! round trip through the canonical form.
//!
//! `tests/fuzz-regressions/request/*` are lines for `Parser::classify_line`,
//! `tests/fuzz-regressions/template/*` lines for
//! `Parser::classify_template_line`, and `tests/fuzz-regressions/differential/*`
//! lines that go, like in the `differential` target, through both and
//! through the reference of `tests/reference/` under every configuration of
//! `fuzz/src/differential.rs`; `tests/fuzz-regressions/backends/*` inputs
//! of the `backends` target, checked against the model of the stores
//! behind Graph (`tests/backends/readers.rs`); one raw input per file, any
//! bytes.

#[path = "../fuzz/src/checks.rs"]
mod checks;
#[path = "../fuzz/src/differential.rs"]
mod differential;
#[path = "backends/readers.rs"]
mod readers;
mod reference;

use std::path::{Path, PathBuf};

use checks::{check_line, escape, Mode};
use graph_checkout_route::Parser;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-regressions");

/// How a saved input is replayed.
#[derive(Debug, Clone, Copy)]
enum Replay {
    Line(Mode),
    Differential,
    Backends,
}

/// One saved input.
struct Input {
    name: String,
    replay: Replay,
    bytes: Vec<u8>,
}

fn inputs() -> Vec<Input> {
    let mut inputs = Vec::new();
    for (folder, replay) in [
        ("request", Replay::Line(Mode::Request)),
        ("template", Replay::Line(Mode::Template)),
        ("differential", Replay::Differential),
        ("backends", Replay::Backends),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(DIR).join(folder))
            .unwrap_or_else(|e| panic!("{DIR}/{folder}: {e}"))
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let name = format!("{folder}/{}", file.file_name().unwrap().to_string_lossy());
            inputs.push(Input {
                bytes: std::fs::read(&file).unwrap_or_else(|e| panic!("{name}: {e}")),
                name,
                replay,
            });
        }
    }
    inputs
}

/// Runs the checks on every input and reports every failure at once.
#[test]
fn fuzz_regressions_replay() {
    let parser = Parser::new();
    let configs = differential::configs();
    let mut failures = Vec::new();
    let mut count = 0;
    for input in inputs() {
        count += 1;
        let outcome = std::panic::catch_unwind(|| match input.replay {
            Replay::Line(mode) => {
                let _ = check_line(&parser, mode, &input.bytes);
            }
            Replay::Differential => {
                for config in &configs {
                    differential::compare(config, &input.bytes);
                }
            }
            Replay::Backends => {
                if let Err(why) = readers::verdict_bytes(&input.bytes) {
                    panic!("{why}");
                }
            }
        });
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            let mut message = message.to_owned();
            if let Some((cut, _)) = message.char_indices().nth(2000) {
                message.truncate(cut);
                message.push_str("...");
            }
            failures.push(format!(
                "{} ({} bytes: `{}`):\n  {message}",
                input.name,
                input.bytes.len(),
                escape(&input.bytes[..input.bytes.len().min(120)]),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} fuzz regressions fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count > 0, "no fuzz regression inputs under {DIR}");
}
