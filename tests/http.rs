//! Feature `http`: `http::Request`s and `(Method, Uri)` pairs classify like
//! the same method and target given as strings.

#![cfg(feature = "http")]

use graph_checkout_route::{classify, ErrorKind, Parser, Route};
use http::{Method, Request, Uri};

/// Targets that `http::Uri` keeps as written, with what the parser says.
const TARGETS: &[&str] = &[
    "/v1.0/me/drive/root/checkout",
    "/beta/drives/b%21t18F8ybs/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/checkout?$select=id",
    "/users('48d31887-5fad-4d73-a9f5-3c356e68a038')/drive/items('01AB')/checkout",
    "/me/drive/root:/Documents/Q3%20Report.docx:/checkout",
    "https://graph.microsoft.com/v1.0/shares/u!aHR0cHM6Ly9jb250b3Nv/root/checkout",
    "https://GRAPH.microsoft.com:443/v1.0/me/drive/special/documents/checkout?a=1",
    "https://graph.microsoft.com:8443/v1.0/me/drive/root/checkout",
    "https://evil.example/v1.0/me/drive/root/checkout",
    "https://graph.microsoft.com/me/drive/root/checkout",
    "/me/drive/root/../checkout",
    "/me/drive/items/a%2Fb/checkout",
    "/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout",
    "/me/drive/root/checkout/",
    "/me/drive/items",
    "*",
    "graph.microsoft.com:443",
    // What a store behind Graph would read as another item or path.
    "/me/drive/items/@p/checkout?@p='SECRET'",
    "/me/drive/items/microsoft.graph.driveItem/checkout",
    "/me/drive/root:/public/..%20/secret.docx:/checkout",
    "/me/drive/root:/secret.docx.:/checkout",
    "/me/drive/root:/public%252F..%252Fsecret.docx:/checkout",
    "/me/drive/root:/public/%EF%BC%8E%EF%BC%8E%EF%BC%8Fsecret.docx:/checkout",
];

/// Template, params and query of a route, or kind and offset of an error.
type Outcome = Result<(String, Vec<(String, String)>, Option<String>), (ErrorKind, usize)>;

fn outcome(result: Result<Route<'_>, graph_checkout_route::Error>) -> Outcome {
    result
        .map(|route| {
            (
                route.template().into_owned(),
                route
                    .params()
                    .map(|(name, value)| (name.to_owned(), value.to_owned()))
                    .collect(),
                route.query().map(str::to_owned),
            )
        })
        .map_err(|err| (err.kind(), err.offset()))
}

#[test]
fn uris_classify_like_their_targets() {
    let parser = Parser::new();
    for target in TARGETS {
        let uri: Uri = target.parse().unwrap_or_else(|e| panic!("{target}: {e}"));
        for method in [
            Method::POST,
            Method::GET,
            Method::from_bytes(b"post").unwrap(),
        ] {
            let expected = outcome(classify(method.as_str(), target));
            assert_eq!(
                outcome(parser.classify_uri(&method, &uri)),
                expected,
                "{method} {target}"
            );
            let request = Request::builder()
                .method(method.clone())
                .uri(uri.clone())
                .body(())
                .unwrap();
            assert_eq!(
                outcome(parser.classify_request(&request)),
                expected,
                "{method} {target} as a request"
            );
        }
    }
}

#[test]
fn origin_form_borrows_and_absolute_form_owns() {
    let parser = Parser::new();
    let uri: Uri = "/drives/b!x/root/checkout".parse().unwrap();
    let route = graph_checkout_route::classify_uri(&Method::POST, &uri).unwrap();
    let key = route.steps()[0].borrowed().unwrap();
    assert!(std::ptr::eq(key.as_ptr(), uri.path()[8..].as_ptr()));

    let uri: Uri = "https://graph.microsoft.com/v1.0/drives/b!x/root/checkout"
        .parse()
        .unwrap();
    let route: Route<'static> = parser
        .classify_uri(&Method::POST, &uri)
        .unwrap()
        .into_owned();
    assert_eq!(route.params().collect::<Vec<_>>(), [("drivesId", "b!x")]);
    assert_eq!(route.steps()[0].borrowed(), None);
    assert_eq!(route.version(), Some("v1.0"));
}

#[test]
fn what_uri_changes_before_the_parser_sees_it() {
    let parser = Parser::new();
    // `Uri` drops a fragment: the parser never sees the `#`.
    let uri: Uri = "/me/drive/root/checkout#x".parse().unwrap();
    assert!(parser.classify_uri(&Method::POST, &uri).is_ok());
    assert_eq!(
        classify("POST", "/me/drive/root/checkout#x")
            .unwrap_err()
            .kind(),
        ErrorKind::Syntax
    );
    // `Uri` gives a path-less absolute URI the path `/`: a trailing `/`.
    let uri: Uri = "https://graph.microsoft.com".parse().unwrap();
    let err = parser.classify_uri(&Method::POST, &uri).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Syntax, 27));
}

#[test]
fn the_parser_options_apply() {
    let parser = Parser::new().documented_only(true);
    let uri: Uri = "/me/drive/root/listItem/driveItem/checkout"
        .parse()
        .unwrap();
    let err = parser.classify_uri(&Method::POST, &uri).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Undocumented);
}
