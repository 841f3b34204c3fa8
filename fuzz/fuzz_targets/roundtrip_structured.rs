//! Valid routes generated from the reference's type graph (DESIGN §1.2; see
//! `src/structured.rs`), rendered with random casing, version or
//! absolute-form, `('key')` keys, needless escapes and a query: the crate
//! must report exactly the template, params, version, query and canonical
//! form the generator knows (or a `limit` error when the rendering crossed
//! a limit), and the route must round-trip.

#![no_main]

use std::sync::LazyLock;

use arbitrary::Unstructured;
use graph_checkout_route::{ErrorKind, Parser};
use graph_checkout_route_fuzz::checks::{check_line, escape, Mode, Seen};
use graph_checkout_route_fuzz::structured::{generate, Expected};
use libfuzzer_sys::fuzz_target;

static PARSER: LazyLock<Parser> = LazyLock::new(Parser::new);

fuzz_target!(|data: &[u8]| {
    let Ok(generated) = generate(&mut Unstructured::new(data)) else {
        return;
    };
    let line = &generated.line;
    let result = check_line(&PARSER, Mode::Request, line);
    match (&generated.expected, result) {
        (
            Expected::Ok {
                template,
                documented,
                params,
                version,
                query,
                canonical,
            },
            Ok(route),
        ) => {
            let want = Seen {
                template: template.clone(),
                documented: *documented,
                params: params.clone(),
                canonical: canonical.clone(),
            };
            assert_eq!(Seen::of(&route), want, "`{}`", escape(line));
            assert_eq!(
                route.version(),
                version.as_deref(),
                "`{}`: version",
                escape(line)
            );
            assert_eq!(route.query(), query.as_deref(), "`{}`: query", escape(line));

            // A target without braces means the same as a template.
            let as_template = check_line(&PARSER, Mode::Template, line).unwrap_or_else(|e| {
                panic!(
                    "`{}`: rejected as a template: {} at {}: {e}",
                    escape(line),
                    e.kind(),
                    e.offset()
                )
            });
            // Literal path values are re-encoded like a request's in a
            // template too (the reference's decision (g)), so even the
            // canonical form is the same.
            let shape = Seen::of(&as_template);
            assert_eq!(
                (
                    &shape.template,
                    shape.documented,
                    &shape.params,
                    &shape.canonical
                ),
                (template, *documented, params, canonical),
                "`{}`: template mode disagrees",
                escape(line)
            );
        }
        (Expected::Ok { .. }, Err(err)) => panic!(
            "`{}`: valid route rejected: {} at {}: {err}",
            escape(line),
            err.kind(),
            err.offset()
        ),
        (Expected::Limit, Err(err)) => assert_eq!(
            err.kind(),
            ErrorKind::Limit,
            "`{}`: over a limit, but {} at {}: {err}",
            escape(line),
            err.kind(),
            err.offset()
        ),
        (Expected::Limit, Ok(route)) => panic!(
            "`{}`: over a limit, but accepted as {}",
            escape(line),
            route.template()
        ),
    };
});
