//! The CLI, run as a built binary: JSON lines, the text format, options, raw
//! input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use graph_checkout_route::{ErrorKind, Parser, DOCUMENTED_TEMPLATES};
use serde_json::Value;

#[path = "util/cli.rs"]
mod util_cli;
use util_cli::run;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/requests.txt");

/// Runs the CLI, which must succeed.
fn cli(args: &[&str], stdin: &[u8]) -> Output {
    let output = run(args, stdin);
    assert!(
        output.status.success(),
        "exit status {:?}, stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json_lines(output: &Output) -> Vec<Value> {
    util_cli::json_lines(&output.stdout)
}

/// A short form of one output object: `ok TEMPLATE` or `err KIND @OFFSET`.
fn summary(value: &Value) -> String {
    if value["ok"] == Value::Bool(true) {
        format!("ok {}", value["template"].as_str().unwrap())
    } else {
        format!(
            "err {} @{}",
            value["error"]["kind"].as_str().unwrap(),
            value["error"]["offset"]
        )
    }
}

/// What each line of `examples/requests.txt` must give, in order.
const EXPECTED_EXAMPLES: [&str; 50] = [
    "ok /me/drive/root/checkout",
    "ok /drives/{drivesId}/root/checkout",
    "ok /shares/{sharesId}/root/checkout",
    "ok /workbooks/{workbooksId}/checkout",
    "ok /shares/{sharesId}/driveItem/checkout",
    "ok /me/drive/items/{driveItemId}/checkout",
    "ok /me/drive/special/{driveItemId}/checkout",
    "ok /drives/{drivesId}/items/{driveItemId}/checkout",
    "ok /shares/{sharesId}/items/{driveItemId}/checkout",
    "ok /drives/{drivesId}/special/{driveItemId}/checkout",
    "ok /workbooks/{workbooksId}/children/{driveItemId}/checkout",
    "ok /me/drive/items/{driveItemId}/listItem/driveItem/checkout",
    "ok /me/drive/items/{driveItemId}/children/{driveItemId}/checkout",
    "ok /me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/root/checkout",
    "ok /me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/driveItem/checkout",
    "ok /me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/items/{driveItemId}/checkout",
    "ok /me/drive/items/{driveItemId}/analytics/itemActivityStats/{itemActivityStatId}/activities/{itemActivityId}/driveItem/checkout",
    "ok /groups/{groupId}/drive/items/{driveItemId}/checkout",
    "ok /sites/{siteId}/drive/items/{driveItemId}/checkout",
    "ok /users/{userId}/drive/items/{driveItemId}/checkout",
    // The seed document's own example request.
    "ok /me/drive/root/checkout",
    "ok /drives/{drivesId}/items/{driveItemId}/checkout",
    "ok /me/drive/items/{driveItemId}/checkout",
    // Valid, undocumented.
    "ok /users/{userId}/drives/{drivesId}/root/checkout",
    "ok /sites/{siteId}/drive/root/checkout",
    "ok /groups/{groupId}/drive/special/{driveItemId}/checkout",
    "ok /me/drive/root:/{path}:/checkout",
    "ok /users/{userId}/drive/items/{driveItemId}/checkout",
    // One reject of each kind.
    "err method @0",
    "err limit @2048",
    "err syntax @28",
    "err encoding @55",
    "err host @0",
    "err unknown_segment @15",
    "err nesting @121",
    "err invalid_id @13",
    "err incomplete @19",
    // Routes of the wider type graph.
    "ok /teams/{teamId}/channels/{channelId}/filesFolder/checkout",
    "ok /groups/{groupId}/team/primaryChannel/filesFolder:/{path}:/checkout",
    "ok /sites/{siteId}/lists/{listId}/items/{listItemId}/driveItem/checkout",
    "ok /sites/{siteId}/lists/{listId}/drive/root/checkout",
    "ok /sites/{siteId}:/{path}:/drive/root/checkout",
    "ok /drive/root:/{path}:/checkout",
    "ok /storage/fileStorage/containers/{containerId}/drive/items/{driveItemId}/checkout",
    "ok /me/followedSites/{siteId}/drive/root/checkout",
    "ok /sites/{siteId}/sites/{siteId}/drive/items/{driveItemId}/checkout",
    "ok /sites/{siteId}/items/{baseItemId}/microsoft.graph.driveItem/checkout",
    "ok /me/drive/items/{driveItemId}/analytics/allTime/activities/{itemActivityId}/driveItem/checkout",
    "ok /drives/{drivesId}/items/{driveItemId}/activities/{itemActivityId}/driveItem/checkout",
    "ok /me/joinedGroups/{groupId}/drive/root/checkout",
];

#[test]
fn classifies_the_example_file() {
    let lines = json_lines(&cli(&["classify", EXAMPLES], b""));
    let got: Vec<String> = lines.iter().map(summary).collect();
    assert_eq!(got, EXPECTED_EXAMPLES);

    // Every documented template is in the file, and every error kind that
    // does not need an option.
    for template in DOCUMENTED_TEMPLATES {
        assert!(
            got.contains(&format!("ok {template}")),
            "{template} is missing"
        );
    }
    for kind in ErrorKind::ALL {
        let present = got.iter().any(|g| g.starts_with(&format!("err {kind} ")));
        assert_eq!(present, kind != ErrorKind::Undocumented, "{kind}");
    }
}

#[test]
fn json_lines_carry_every_field_of_the_route() {
    let lines = json_lines(&cli(&["classify", EXAMPLES], b""));
    let input = std::fs::read(EXAMPLES).unwrap();
    let parser = Parser::new();
    for (line, value) in input.split(|&b| b == b'\n').zip(&lines) {
        let expected = match parser.classify_line(line) {
            Ok(route) => serde_json::json!({
                "ok": true,
                "template": route.template(),
                "documented": route.is_documented(),
                "version": route.version(),
                "params": route.params().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
                "canonical": route.to_string(),
                "query": route.query(),
            }),
            Err(e) => serde_json::json!({
                "ok": false,
                "error": {"kind": e.kind().as_str(), "offset": e.offset(), "message": e.message()},
            }),
        };
        assert_eq!(*value, expected, "line {}", String::from_utf8_lossy(line));
    }
}

#[test]
fn prints_exact_json_for_the_seed_example() {
    let output = cli(
        &["classify"],
        b"POST https://graph.microsoft.com/localtest/me/drive/root/checkout\n\
          /v1.0/drives/b%21x/items/01AB/checkout?a=1\n",
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        concat!(
            r#"{"ok":true,"template":"/me/drive/root/checkout","documented":true,"version":"localtest","params":[],"canonical":"/me/drive/root/checkout","query":null}"#,
            "\n",
            r#"{"ok":true,"template":"/drives/{drivesId}/items/{driveItemId}/checkout","documented":true,"version":"v1.0","params":[["drivesId","b!x"],["driveItemId","01AB"]],"canonical":"/drives/b!x/items/01AB/checkout","query":"a=1"}"#,
            "\n"
        )
    );
}

#[test]
fn every_line_gives_one_object_even_when_it_is_not_text() {
    // Invalid UTF-8, an empty line, a CRLF line ending (the CR belongs to
    // it), a last line without LF.
    let input = b"/me/drive/root/\xFF/checkout\n\n/me/drive/root/checkout\r\npost /x\nPOST  /x\n/me/drive/root/checkout";
    let got: Vec<String> = json_lines(&cli(&["classify"], input))
        .iter()
        .map(summary)
        .collect();
    assert_eq!(
        got,
        [
            "err syntax @15",
            "err syntax @0",
            "ok /me/drive/root/checkout",
            "err syntax @4",
            "err syntax @0",
            "ok /me/drive/root/checkout",
        ]
    );
}

#[test]
fn text_format_draws_a_caret_under_the_error() {
    let output = cli(
        &["classify", "--format", "text"],
        b"GET /me/drive/root/checkout\n/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout\n/drives/b%21x/root/checkout\n",
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("error[method]: "), "{text}");
    assert_eq!(lines[1], "  /me/drive/root/checkout");
    assert_eq!(lines[2], "  ^");
    assert!(lines[3].starts_with("error[nesting]: "), "{text}");
    assert!(
        lines[3].contains("microsoft.graph.sharedDriveItem"),
        "{text}"
    );
    assert!(lines[3].contains("a DriveItem has"), "{text}");
    assert_eq!(lines[5], format!("  {}^", " ".repeat(20)));
    assert_eq!(
        lines[6],
        "ok /drives/{drivesId}/root/checkout (documented) drivesId=b!x"
    );
}

#[test]
fn options_mirror_the_parser() {
    let input = b"/users/u1/drives/d1/root/checkout\n/beta/me/drive/root/checkout\nhttps://graph.example.com/v1.0/me/drive/root/checkout\n/me/drive/items/0123456789/checkout\n";
    let defaults: Vec<String> = json_lines(&cli(&["classify"], input))
        .iter()
        .map(summary)
        .collect();
    assert_eq!(
        defaults,
        [
            "ok /users/{userId}/drives/{drivesId}/root/checkout",
            "ok /me/drive/root/checkout",
            "err host @8",
            "ok /me/drive/items/{driveItemId}/checkout",
        ]
    );
    let args = [
        "classify",
        "--documented-only",
        "--version",
        "v1.0",
        "--host",
        "graph.example.com",
        "--max-key-length",
        "8",
    ];
    let strict: Vec<String> = json_lines(&cli(&args, input)).iter().map(summary).collect();
    assert_eq!(
        strict,
        [
            "err undocumented @0",
            "err unknown_segment @1",
            "ok /me/drive/root/checkout",
            "err limit @24",
        ]
    );
    let short: Vec<String> = json_lines(&cli(&["classify", "--max-length", "20"], input))
        .iter()
        .map(summary)
        .collect();
    assert_eq!(short[0], "err limit @20");
}

#[test]
fn template_command_validates_templates() {
    let input = b"/drives/{drive-id}/root/checkout\n/drives/{drivesId}/items/{driveItemId}/microsoft.graph.sharedDriveItem/root/checkout\nPOST /me/drive/root:/{path}:/checkout\n";
    let lines = json_lines(&cli(&["template"], input));
    let got: Vec<String> = lines.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            "ok /drives/{drivesId}/root/checkout",
            "err nesting @39",
            "ok /me/drive/root:/{path}:/checkout",
        ]
    );
    assert_eq!(
        lines[0]["params"],
        serde_json::json!([["drivesId", "{drive-id}"]])
    );
    assert_eq!(lines[0]["documented"], Value::Bool(true));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let output = Command::new(env!("CARGO_BIN_EXE_graph-checkout-route"))
        .args(["classify", "/nonexistent/requests.txt"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/requests.txt"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The limits are named as the library names them (`max_target_len` is
/// `--max-target-len`); the old spellings still work and mean the same.
#[test]
fn limit_options_are_named_like_the_library() {
    let input = b"/me/drive/items/0123456789/checkout\n/me/drive/root:/abcdefghijk:/checkout\n/me/drive/items/i1/children/i2/checkout\n";
    let run = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["classify"];
        all.extend_from_slice(args);
        json_lines(&cli(&all, input)).iter().map(summary).collect()
    };
    assert_eq!(run(&["--max-target-len", "20"])[0], "err limit @20");
    assert_eq!(run(&["--max-key-len", "8"])[0], "err limit @24");
    assert_eq!(run(&["--max-path-chars", "10"])[1], "err limit @26");
    assert_eq!(run(&["--max-segments", "5"])[2], "err limit @28");
    assert_eq!(
        run(&["--max-length", "20"]),
        run(&["--max-target-len", "20"])
    );
    assert_eq!(
        run(&["--max-key-length", "8"]),
        run(&["--max-key-len", "8"])
    );
}

/// A line longer than the length limit is measured, not buffered: a
/// 100 MB line with the CLI's address space capped at 60 MB still gets its
/// `limit` error with its length, and the next line is read. (Buffering the
/// line would fail to allocate.)
#[test]
fn a_long_line_is_not_buffered_whole() {
    const LEN: usize = 100_000_000;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 61440; exec {} classify",
            env!("CARGO_BIN_EXE_graph-checkout-route")
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(b"POST /me/drive/items/").unwrap();
        let block = vec![b'a'; 1 << 20];
        let mut left = LEN;
        while left > 0 {
            let n = left.min(block.len());
            stdin.write_all(&block[..n]).unwrap();
            left -= n;
        }
        stdin
            .write_all(b"/checkout HTTP/1.1\r\n/me/drive/root/checkout\n")
            .unwrap();
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(summary(&lines[0]), "err limit @2048");
    let target_len = "/me/drive/items/".len() + LEN + "/checkout".len();
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("is {target_len} bytes long")),
        "{message}"
    );
    assert_eq!(summary(&lines[1]), "ok /me/drive/root/checkout");
}
