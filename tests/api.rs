//! The public API beyond the conformance cases: borrowing, owned routes,
//! serde, error values, auto traits.

use graph_checkout_route::{
    classify, classify_bytes, parse, parse_bytes, parse_template, Error, ErrorKind, Keyword,
    Limits, Parser, Route, Step,
};

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Route<'static>>();
    check::<Step<'static>>();
    check::<Error>();
    check::<ErrorKind>();
    check::<Parser>();
    check::<Limits>();
    check::<Keyword>();
}

#[test]
fn unescaped_keys_borrow_from_the_input_and_escaped_ones_are_decoded() {
    let target = String::from("/drives/b!plain/items/b%21escaped/checkout");
    let route = parse(&target).unwrap();
    let steps = route.steps();
    assert_eq!(steps[0].value(), Some("b!plain"));
    assert_eq!(steps[1].value(), Some("b!escaped"));
    // Only the unescaped value is a slice of the input.
    assert_eq!(steps[1].borrowed(), None);
    let plain: &str = steps[0].borrowed().expect("an unescaped key is borrowed");
    assert!(target.as_bytes().as_ptr_range().contains(&plain.as_ptr()));
}

#[test]
fn steps_expose_keywords_and_params() {
    let route = parse("/me/drive/items/i1/listItem/driveItem/checkout").unwrap();
    let keywords: Vec<Option<Keyword>> = route.steps().iter().map(Step::keyword).collect();
    assert_eq!(
        keywords,
        [
            Some(Keyword::Me),
            Some(Keyword::Drive),
            Some(Keyword::Items),
            Some(Keyword::ListItem),
            Some(Keyword::DriveItem)
        ]
    );
    assert_eq!(route.steps()[2].param(), Some(("driveItemId", "i1")));
    assert_eq!(route.steps()[0].param(), None);
    assert_eq!(
        Keyword::SharedDriveItem.as_str(),
        "microsoft.graph.sharedDriveItem"
    );
    assert_eq!(Keyword::Checkout.to_string(), "checkout");

    let route = parse("/me/drive/root:/a/b.txt:/checkout").unwrap();
    assert!(route.steps()[3].is_path());
    assert_eq!(route.steps()[3].keyword(), None);
    assert_eq!(route.steps()[3].param(), Some(("path", "a/b.txt")));
}

#[test]
fn owned_routes_outlive_their_input() {
    let owned: Route<'static> = {
        let target = String::from("/v1.0/drives/b%21x/root/checkout?q=1");
        parse(&target).unwrap().into_owned()
    };
    assert_eq!(owned.template(), "/drives/{drivesId}/root/checkout");
    assert_eq!(owned.version(), Some("v1.0"));
    assert_eq!(owned.query(), Some("q=1"));
    assert_eq!(owned.params().collect::<Vec<_>>(), [("drivesId", "b!x")]);
    assert_eq!(owned.to_string(), "/drives/b!x/root/checkout");
}

#[cfg(feature = "serde")]
#[test]
fn routes_serialize_as_the_cli_fields() {
    let route = parse("/BETA/Me/Drive/Special/Documents/Microsoft.Graph.Checkout?").unwrap();
    assert_eq!(
        serde_json::to_value(&route).unwrap(),
        serde_json::json!({
            "template": "/me/drive/special/{driveItemId}/checkout",
            "documented": true,
            "version": "beta",
            "params": [["driveItemId", "Documents"]],
            "canonical": "/me/drive/special/Documents/checkout",
            "query": "",
        })
    );
}

#[test]
fn errors_carry_kind_offset_and_a_message_that_says_where() {
    let err = parse("/me/drive/items/i1/listItem/listItem/checkout").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Nesting);
    assert_eq!(err.offset(), 28);
    let message = err.to_string();
    assert!(message.contains("`listItem`"), "{message}");
    assert!(message.contains("byte 28"), "{message}");
    assert!(message.contains("a ListItem has `driveItem`"), "{message}");
    assert_eq!(message, err.message());
    #[cfg(feature = "serde")]
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        serde_json::json!({"kind": "nesting", "offset": 28, "message": message})
    );
    let source: &dyn std::error::Error = &err;
    assert!(source.source().is_none());
}

#[test]
fn error_kinds_have_stable_names() {
    let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "method",
            "limit",
            "syntax",
            "encoding",
            "host",
            "unknown_segment",
            "nesting",
            "invalid_id",
            "incomplete",
            "undocumented"
        ]
    );
}

#[test]
fn caret_points_at_the_offset() {
    let target = "/me/drive/bogus/checkout";
    let err = parse(target).unwrap_err();
    let shown = err.caret(target.as_bytes());
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("error[unknown_segment]: "));
    assert_eq!(lines[1], format!("  {target}"));
    assert_eq!(lines[2].find('^'), Some(2 + 10));

    // Long targets are shown as a window that keeps the caret in view.
    let long = format!("/me/drive/items/{}/bogus/checkout", "a".repeat(1000));
    let err = parse(&long).unwrap_err();
    let shown = err.caret(long.as_bytes());
    let lines: Vec<&str> = shown.lines().collect();
    let caret = lines[2].find('^').unwrap();
    assert_eq!(&lines[1][caret..caret + 5], "bogus");
}

#[test]
fn byte_and_str_entry_points_agree() {
    for target in [
        "/me/drive/root/checkout",
        "/me/drive/root/che\u{e9}ckout",
        "/me/drive/root",
        "https://graph.microsoft.com/v1.0/me/drive/root/checkout",
    ] {
        let a = parse(target)
            .map(|r| r.to_string())
            .map_err(|e| (e.kind(), e.offset()));
        let b = parse_bytes(target.as_bytes())
            .map(|r| r.to_string())
            .map_err(|e| (e.kind(), e.offset()));
        let c = classify("POST", target)
            .map(|r| r.to_string())
            .map_err(|e| (e.kind(), e.offset()));
        let d = classify_bytes(b"POST", target.as_bytes())
            .map(|r| r.to_string())
            .map_err(|e| (e.kind(), e.offset()));
        assert_eq!(a, b, "{target}");
        assert_eq!(a, c, "{target}");
        assert_eq!(a, d, "{target}");
    }
    // Invalid UTF-8 goes through the same byte scan as any other bad byte.
    let err = parse_bytes(b"/me/drive/\xC3(/checkout").unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Syntax, 10));
}

#[test]
fn the_length_limit_comes_before_everything_else() {
    // A 1 MiB line that is wrong in every way from its first byte on: a bad
    // method, a bad byte at 0. Any check that read the target before the
    // length check would have reported byte 0; only the length is looked at.
    let mut line = b"GET ".to_vec();
    line.extend(std::iter::repeat_n(0x7F_u8, 1 << 20));
    let err = graph_checkout_route::Parser::new()
        .classify_line(&line)
        .unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Limit, 2048));
    let err = parse_bytes(&line[4..]).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Limit, 2048));
    // Under the limit, the method comes next.
    let err = classify("GET", "/\u{7f}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Method);
}

#[test]
fn templates_render_back_byte_for_byte() {
    for template in graph_checkout_route::DOCUMENTED_TEMPLATES {
        let route = parse_template(template).unwrap();
        assert!(route.is_documented(), "{template}");
        assert_eq!(route.template(), template);
        assert_eq!(route.to_string(), template);
    }
}

#[test]
fn parser_options_read_back() {
    let parser = Parser::new()
        .versions(["v1.0"])
        .hosts([String::from("graph.example.com")])
        .max_segments(10)
        .documented_only(true);
    assert_eq!(parser.accepted_versions().collect::<Vec<_>>(), ["v1.0"]);
    assert_eq!(
        parser.accepted_hosts().collect::<Vec<_>>(),
        ["graph.example.com"]
    );
    assert_eq!(parser.current_limits().max_segments, 10);
    assert!(parser.is_documented_only());
    assert_eq!(Parser::new().current_limits(), Limits::default());
}

/// A message is one line whatever the input holds: control characters
/// from the input are escaped, never copied.
#[test]
fn messages_never_carry_raw_control_characters() {
    let err = classify("GET\r\nX-Injected: 1", "/me/drive/root/checkout").unwrap_err();
    let message = err.to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.contains(r"GET\r\nX-Injected"), "{message}");
    let err = graph_checkout_route::parse_bytes(b"https://graph.microsoft.com/v1\x1b[31m/me")
        .unwrap_err();
    assert!(!err.to_string().chars().any(char::is_control), "{err}");
    let err = graph_checkout_route::Parser::new()
        .classify_bytes(b"G\x00T", b"/x")
        .unwrap_err();
    assert!(!err.to_string().chars().any(char::is_control), "{err}");
}
