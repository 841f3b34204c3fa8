//! The CLI on what logs hold: the access-log formats (`--input combined`,
//! `--input json`) case by case from `tests/data/logs/`, the summary
//! against the per-line output, `--jobs`, `--fail-on-reject`, the exit
//! statuses, CRLF and BOM files, standard input, a closed pipe, and the
//! progress line.

#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

#[path = "util/cli.rs"]
mod util_cli;
use util_cli::{json_lines, root, run, BIN};

/// Runs the CLI, which must succeed with nothing on stderr.
fn ok(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let output = run(args, stdin);
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{args:?}: status {:?}, stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// An output object in the cases' notation: `ok TEMPLATE NAME=VALUE...`
/// or `err KIND @OFFSET`.
fn short(value: &Value) -> String {
    if value["ok"] == Value::Bool(true) {
        let mut shown = vec![format!("ok {}", value["template"].as_str().unwrap())];
        for param in value["params"].as_array().unwrap() {
            shown.push(format!(
                "{}={}",
                param[0].as_str().unwrap(),
                param[1].as_str().unwrap()
            ));
        }
        shown.join(" ")
    } else {
        format!(
            "err {} @{}",
            value["error"]["kind"].as_str().unwrap(),
            value["error"]["offset"]
        )
    }
}

/// One group of cases: the extra arguments, and for each case its line in
/// the file, its expectation and its log line.
struct Group {
    args: Vec<String>,
    cases: Vec<(usize, String, String)>,
}

fn groups(file: &str) -> Vec<Group> {
    let text = std::fs::read_to_string(root().join("tests/data/logs").join(file)).unwrap();
    let mut groups = vec![Group {
        args: vec![],
        cases: vec![],
    }];
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(args) = line.strip_prefix('@') {
            groups.push(Group {
                args: args.split_whitespace().map(str::to_owned).collect(),
                cases: vec![],
            });
            continue;
        }
        let (expected, log_line) = line
            .split_once(" ||")
            .unwrap_or_else(|| panic!("{file}:{}: no ` || `", index + 1));
        let log_line = log_line.strip_prefix(' ').unwrap_or(log_line);
        let group = groups.last_mut().unwrap();
        group
            .cases
            .push((index + 1, expected.trim().to_owned(), log_line.to_owned()));
    }
    groups
}

/// Every case of `file`, through `classify --input FORMAT`, each group in
/// one run; every failing case is reported at once.
fn check_cases(file: &str, format: &str) {
    let mut failures = Vec::new();
    let mut count = 0;
    for group in groups(file) {
        if group.cases.is_empty() {
            continue;
        }
        let mut input = String::new();
        for (_, _, line) in &group.cases {
            input.push_str(line);
            input.push('\n');
        }
        let mut args = vec!["classify", "--input", format, "--line-numbers"];
        args.extend(group.args.iter().map(String::as_str));
        args.push("-");
        let results = json_lines(&ok(&args, input.as_bytes()));
        assert_eq!(
            results.len(),
            group.cases.len(),
            "{file}: one result a line"
        );
        for (number, ((at, expected, line), result)) in (1..).zip(group.cases.iter().zip(&results))
        {
            count += 1;
            assert_eq!(result["line"], Value::from(number), "{file}:{at}");
            let got = short(result);
            if &got != expected {
                failures.push(format!(
                    "{file}:{at}: expected {expected}, got {got}\n  {line}\n  {result}"
                ));
            }
        }
    }
    assert!(count > 0, "{file} has cases");
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn combined_and_common_log_lines() {
    check_cases("combined.txt", "combined");
}

#[test]
fn json_log_lines() {
    check_cases("json.txt", "json");
}

/// The summary is the per-line output counted: the same run's lines,
/// counted here by template and by error kind, sorted as documented.
#[test]
fn the_summary_counts_the_per_line_output() {
    for (file, format) in [
        ("examples/access.log", "combined"),
        ("examples/access.json", "json"),
        ("examples/requests.txt", "lines"),
    ] {
        let lines = json_lines(&ok(&["classify", "--input", format, file], b""));
        let mut templates: BTreeMap<(String, bool), u64> = BTreeMap::new();
        let mut errors: BTreeMap<String, u64> = BTreeMap::new();
        for line in &lines {
            if line["ok"] == Value::Bool(true) {
                let key = (
                    line["template"].as_str().unwrap().to_owned(),
                    line["documented"].as_bool().unwrap(),
                );
                *templates.entry(key).or_default() += 1;
            } else {
                *errors
                    .entry(line["error"]["kind"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
        let mut templates: Vec<_> = templates.into_iter().collect();
        templates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0 .0.cmp(&b.0 .0)));
        let mut errors: Vec<_> = errors.into_iter().collect();
        errors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let accepted: u64 = templates.iter().map(|(_, count)| count).sum();
        let expected = serde_json::json!({
            "lines": lines.len(),
            "accepted": accepted,
            "rejected": lines.len() as u64 - accepted,
            "templates": templates.iter().map(|((template, documented), count)| serde_json::json!({
                "template": template, "documented": documented, "count": count
            })).collect::<Vec<_>>(),
            "errors": errors.iter().map(|(kind, count)| serde_json::json!({"kind": kind, "count": count})).collect::<Vec<_>>(),
        });
        let summary: Value = serde_json::from_slice(&ok(
            &["classify", "--input", format, "--summary", file],
            b"",
        ))
        .expect("one JSON document");
        assert_eq!(summary, expected, "{file}");

        // The table shows the same counts, in the same order.
        let table = String::from_utf8(ok(
            &[
                "classify",
                "--input",
                format,
                "--summary",
                "--format",
                "text",
                file,
            ],
            b"",
        ))
        .unwrap();
        let rows: Vec<(u64, String)> = table
            .lines()
            .filter_map(|row| {
                let (count, rest) = row.trim_start().split_once("  ")?;
                Some((count.parse().ok()?, rest.to_owned()))
            })
            .collect();
        let mut wanted = vec![
            (lines.len() as u64, "lines".to_owned()),
            (accepted, "accepted".to_owned()),
            (lines.len() as u64 - accepted, "rejected".to_owned()),
        ];
        for ((template, documented), count) in &templates {
            let note = if *documented { "" } else { " (undocumented)" };
            wanted.push((*count, format!("{template}{note}")));
        }
        for (kind, count) in &errors {
            wanted.push((*count, kind.clone()));
        }
        assert_eq!(rows, wanted, "{file}:\n{table}");
    }
}

/// An input of several megabytes (more than one chunk of the reader's), in
/// every shape a line can take: requests, log lines, CRLF, empty lines, a
/// line far longer than any limit, and a last line without its newline.
fn big_input() -> Vec<u8> {
    let requests = std::fs::read(root().join("examples/requests.txt")).unwrap();
    let log = std::fs::read(root().join("examples/access.log")).unwrap();
    let json = std::fs::read(root().join("examples/access.json")).unwrap();
    let mut input = Vec::new();
    for round in 0..600 {
        input.extend_from_slice(&requests);
        input.extend_from_slice(&log);
        input.extend_from_slice(&json);
        if round % 300 == 7 {
            input.extend_from_slice(b"POST /v1.0/me/drive/root/checkout HTTP/1.1\r\n\n");
            input.extend_from_slice(b"POST /");
            // Longer than a chunk of the reader's (1 MiB).
            input.extend(std::iter::repeat_n(b'a', 5 << 18));
            input.extend_from_slice(b" HTTP/1.1\n");
        }
    }
    input.extend_from_slice(b"POST /v1.0/me/drive/root/checkout");
    input
}

#[test]
fn jobs_keep_the_output_byte_for_byte() {
    let input = big_input();
    let file = std::env::temp_dir().join(format!("gcr-jobs-{}.txt", std::process::id()));
    std::fs::write(&file, &input).unwrap();
    let path = file.to_str().unwrap();
    for format in ["lines", "combined", "json"] {
        for extra in [
            &["--line-numbers"][..],
            &["--summary"],
            &["--format", "text"],
        ] {
            let with = |jobs: &str| {
                let mut args = vec!["classify", "--input", format, "--jobs", jobs];
                args.extend_from_slice(extra);
                args.push(path);
                ok(&args, b"")
            };
            let one = with("1");
            assert!(!one.is_empty());
            assert!(
                one == with("2"),
                "--input {format} {extra:?}: --jobs 2 differs from --jobs 1"
            );
            if extra == ["--line-numbers"] {
                assert!(
                    one == with("3"),
                    "--input {format}: --jobs 3 differs from --jobs 1"
                );
            }
        }
    }
    // From standard input too (the reader takes what each read gives).
    let one = ok(&["classify", "--jobs", "1", "--line-numbers", "-"], &input);
    let two = ok(&["classify", "--jobs", "2", "--line-numbers", "-"], &input);
    assert!(one == two, "standard input: --jobs 2 differs from --jobs 1");
    let lines = json_lines(&one);
    assert_eq!(lines.len(), input.split(|&b| b == b'\n').count());
    let _ = std::fs::remove_file(&file);
}

#[test]
fn crlf_and_a_byte_order_mark_read_as_plain_lines() {
    for (file, format) in [
        ("examples/access.log", "combined"),
        ("examples/access.json", "json"),
        ("examples/requests.txt", "lines"),
    ] {
        let plain = std::fs::read(root().join(file)).unwrap();
        let mut crlf = b"\xEF\xBB\xBF".to_vec();
        for line in plain.split_inclusive(|&b| b == b'\n') {
            crlf.extend_from_slice(line.strip_suffix(b"\n").unwrap_or(line));
            crlf.extend_from_slice(b"\r\n");
        }
        for jobs in ["1", "2"] {
            let args = [
                "classify",
                "--input",
                format,
                "--line-numbers",
                "--jobs",
                jobs,
                "-",
            ];
            assert_eq!(
                String::from_utf8(ok(&args, &crlf)).unwrap(),
                String::from_utf8(ok(&args, &plain)).unwrap(),
                "{file}, --jobs {jobs}"
            );
        }
    }
}

#[test]
fn fail_on_reject_sets_the_exit_status() {
    let mixed = run(
        &[
            "classify",
            "--fail-on-reject",
            "examples/access.log",
            "--input",
            "combined",
        ],
        b"",
    );
    assert_eq!(mixed.status.code(), Some(2));
    assert!(!mixed.stdout.is_empty(), "the lines are still written");
    let summary = run(
        &["classify", "--fail-on-reject", "--summary", "-"],
        b"GET /v1.0/me\n",
    );
    assert_eq!(summary.status.code(), Some(2));
    let fine = run(
        &["classify", "--fail-on-reject", "-"],
        b"/me/drive/root/checkout\nPOST /v1.0/drives/b!x/root/checkout HTTP/1.1\n",
    );
    assert_eq!(fine.status.code(), Some(0));
    let without = run(
        &["classify", "examples/access.log", "--input", "combined"],
        b"",
    );
    assert_eq!(without.status.code(), Some(0));
    // Templates too: a CI check of a route file.
    let templates = run(
        &["template", "--fail-on-reject", "-"],
        b"/drives/{drive-id}/root/checkout\n/nope\n",
    );
    assert_eq!(templates.status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let input = big_input();
    for jobs in ["1", "2"] {
        let mut child = Command::new(BIN)
            .args(["classify", "--jobs", jobs, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = {
            let input = input.clone();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            })
        };
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        assert!(first.starts_with(b"{\"ok\":"), "--jobs {jobs}");
        assert_eq!(output.status.code(), Some(0), "--jobs {jobs}");
        assert!(
            output.stderr.is_empty(),
            "--jobs {jobs}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn conventions_of_the_command_line() {
    // `-` is standard input, as is no file at all.
    let line = b"/me/drive/root/checkout\n";
    assert_eq!(ok(&["classify", "-"], line), ok(&["classify"], line));

    // --version prints the tool's version; --api-version takes an API
    // version, and the old spelling `--version V` still does.
    let version = format!("graph-checkout-route {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8(ok(&["--version"], b"")).unwrap(), version);
    assert_eq!(
        String::from_utf8(ok(&["classify", "--version"], b"")).unwrap(),
        version
    );
    let beta = b"/beta/me/drive/root/checkout\n";
    let kind = |args: &[&str]| short(&json_lines(&ok(args, beta))[0]);
    assert_eq!(kind(&["classify"]), "ok /me/drive/root/checkout");
    assert_eq!(
        kind(&["classify", "--api-version", "v1.0"]),
        "err unknown_segment @1"
    );
    assert_eq!(
        kind(&["classify", "--version", "v1.0"]),
        "err unknown_segment @1"
    );
    assert_eq!(
        kind(&["classify", "--api-version", "v1.0", "--version", "beta"]),
        "ok /me/drive/root/checkout"
    );

    // --help shows the defaults and the exit-status rule.
    let help = String::from_utf8(ok(&["classify", "--help"], b"")).unwrap();
    for shown in [
        "[default: v1.0 beta localtest]",
        "[default: graph.microsoft.com graph.microsoft.us",
        "[default: 2048]",
        "[default: 64]",
        "[default: 1024]",
        "[default: 400]",
        "[default: lines]",
        "[default: method]",
        "[default: path]",
        "Exit status: 0",
        "--fail-on-reject",
    ] {
        assert!(help.contains(shown), "--help lacks {shown:?}:\n{help}");
    }

    // A file that is not there, or a directory: the message names it.
    let missing = run(&["classify", "no/such/file.log"], b"");
    assert_eq!(missing.status.code(), Some(1));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("no/such/file.log") && message.contains("No such file"),
        "{message}"
    );
    let directory = run(&["classify", "examples"], b"");
    assert_eq!(directory.status.code(), Some(1));
    let message = String::from_utf8_lossy(&directory.stderr);
    assert!(message.contains("examples: is a directory"), "{message}");
}

/// With standard error on a terminal and a file as input, a progress line
/// is drawn there; `script` gives the run a terminal. Without a terminal
/// (every other test here) standard error stays empty.
#[test]
fn progress_is_drawn_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) to give the run a terminal");
        return;
    }
    let file: PathBuf =
        std::env::temp_dir().join(format!("gcr-progress-{}.txt", std::process::id()));
    let requests = std::fs::read(root().join("examples/requests.txt")).unwrap();
    std::fs::write(&file, requests.repeat(20_000)).unwrap();
    let command = format!("{BIN} classify --jobs 1 {} > /dev/null", file.display());
    let output = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(output.status.success(), "{output:?}");
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert!(
        terminal.contains("lines/s") && terminal.contains("MiB"),
        "no progress line on the terminal: {terminal:?}"
    );
}
