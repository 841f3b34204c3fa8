//! The project's decisions where the SPEC is ambiguous, pinned: corner
//! cases the crate and the reference must both give exactly, and the
//! documented list.

use crate::reference::{self, Options, Outcome, DOCUMENTED};
use crate::running::{crate_line_outcome, crate_outcome, err, reference_outcome};

/// What a corner case must give.
enum Want {
    Err(&'static str, usize),
    Ok {
        template: &'static str,
        params: &'static [(&'static str, &'static str)],
        canonical: &'static str,
    },
}

impl Want {
    fn outcome(&self) -> Outcome {
        match *self {
            Want::Err(kind, offset) => err(kind, offset),
            Want::Ok {
                template,
                params,
                canonical,
            } => Outcome::Ok {
                template: template.to_string(),
                documented: DOCUMENTED.contains(&template),
                params: params
                    .iter()
                    .map(|&(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                canonical: canonical.to_string(),
                version: None,
                query: None,
            },
        }
    }
}

/// Corner cases of DESIGN §6, most of them the project decisions (a) to (z)
/// listed in `tests/reference/mod.rs`: the crate and the reference must both
/// give exactly this. A `T ` prefix means template mode, an `L ` prefix a
/// CLI line through the line entry points (`LT ` both).
const CORNERS: &[(&str, Want)] = &[
    // (a) One slash after `https:`: `syntax` at the first byte that is not
    // the expected `/`.
    (
        "https:/x/v1.0/me/drive/root/checkout",
        Want::Err("syntax", 7),
    ),
    ("https:x", Want::Err("syntax", 6)),
    ("https:", Want::Err("syntax", 6)),
    ("https:/", Want::Err("syntax", 7)),
    // (b) Template braces in the authority and the query.
    (
        "T https://{host}/v1.0/me/drive/root/checkout",
        Want::Err("syntax", 8),
    ),
    (
        "T https://u@gr{aph.microsoft.com/v1.0/me/drive/root/checkout",
        Want::Err("syntax", 12),
    ),
    (
        "T https://gr{aph.microsoft.com:8443/v1.0/me/drive/root/checkout",
        Want::Err("syntax", 10),
    ),
    ("T /me/drive/root/checkout?a={b}", Want::Err("syntax", 26)),
    ("T /me/drive/root/checkout?%4{", Want::Err("encoding", 24)),
    ("T /me/drive/root/checkout?{%4", Want::Err("syntax", 24)),
    // (c) Only the word before `(` is the keyword; the key is decoded.
    (
        "/drives('b%21x')/root/checkout",
        Want::Ok {
            template: "/drives/{drivesId}/root/checkout",
            params: &[("drivesId", "b!x")],
            canonical: "/drives/b!x/root/checkout",
        },
    ),
    (
        "/me/drive/items('%2Fx')/checkout",
        Want::Err("encoding", 17),
    ),
    ("/me/drive/item%73('x')/checkout", Want::Err("encoding", 14)),
    // (d) A dot key in `('...')` is `syntax` at the key start.
    ("/me/drive/items('.')/checkout", Want::Err("syntax", 17)),
    // DESIGN §1.4 "Key `.` or `..` is a dot segment", also before an address.
    ("/me/drive/items/.:/a:/checkout", Want::Err("syntax", 16)),
    (
        "/me/drive/items/%2E%2e:/a:/checkout",
        Want::Err("syntax", 16),
    ),
    (
        "/me/drive/items('%2e%2E')/checkout",
        Want::Err("syntax", 17),
    ),
    // (e) An empty last inner segment before the closing `:`.
    ("/me/drive/root:/a/:/checkout", Want::Err("syntax", 17)),
    ("/me/drive/root:/:/checkout", Want::Err("syntax", 15)),
    ("/me/drive/root:/a//b:/checkout", Want::Err("syntax", 18)),
    // (f) Unclosed: checked to the end of the path like a closed address
    // (inner segments, then the value), then `incomplete`.
    ("/me/drive/root:/a%FF/b", Want::Err("encoding", 17)),
    ("/me/drive/root:/a%FF/b%2F", Want::Err("encoding", 22)),
    ("/me/drive/root:/a/%2e", Want::Err("syntax", 18)),
    ("/me/drive/root:/a%3F", Want::Err("invalid_id", 16)),
    ("/me/drive/root:/a/b%2541", Want::Err("encoding", 19)),
    ("/me/drive/root:/a/b.", Want::Err("invalid_id", 16)),
    ("/sites/h:/sites/CON", Want::Err("invalid_id", 10)),
    ("/me/drive/root:/a/b?x", Want::Err("incomplete", 19)),
    // (g) Template canonical forms: placeholders as written, literal path
    // values re-encoded minimally.
    (
        "T /drives/{drive-id}/root:/Q3%20report%41(%31):/checkout",
        Want::Ok {
            template: "/drives/{drivesId}/root:/{path}:/checkout",
            params: &[("drivesId", "{drive-id}"), ("path", "Q3 reportA(1)")],
            canonical: "/drives/{drive-id}/root:/Q3%20reportA(1):/checkout",
        },
    ),
    (
        "T /me/drive/items('{x}'):/{y}:/checkout",
        Want::Ok {
            template: "/me/drive/items/{driveItemId}:/{path}:/checkout",
            params: &[("driveItemId", "{x}"), ("path", "{y}")],
            canonical: "/me/drive/items/{x}:/{y}:/checkout",
        },
    ),
    (
        "T /drives/{drive-id}/root:/Q3%2a:/checkout",
        Want::Err("invalid_id", 25),
    ),
    // A literal path value that decodes to placeholder-shaped text is still
    // a literal (it was written escaped, and is checked as one), so its
    // canonical form re-encodes it: printing `{a}` would make it a
    // placeholder when the canonical form is parsed again.
    (
        "T /me/drive/root:/%7Ba%7D:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "{a}")],
            canonical: "/me/drive/root:/%7Ba%7D:/checkout",
        },
    ),
    // Other corners of DESIGN §6 that the generators reach only rarely.
    (
        "https://graph.microsoft.com:443:443/v1.0/me/drive/root/checkout",
        Want::Err("host", 8),
    ),
    (
        "https://graph.microsoft.com:443?x",
        Want::Err("incomplete", 31),
    ),
    ("/me/drive/root/checkout:/a:", Want::Err("nesting", 23)),
    ("/drives/b!x:/x:/root/checkout", Want::Err("nesting", 11)),
    ("/me/drive/items:/a:/checkout", Want::Err("nesting", 15)),
    ("/me/drive/root:/a:b:/checkout", Want::Err("invalid_id", 16)),
    (
        "/me/drive/root:/%ED%A0%80:/checkout",
        Want::Err("encoding", 16),
    ),
    (
        "/me/drive/items('x')('y')/checkout",
        Want::Err("syntax", 20),
    ),
    ("/me/drive/items('x:/a:/checkout", Want::Err("syntax", 18)),
    ("T /drives/%2F{x}/root/checkout", Want::Err("syntax", 11)),
    ("T /me/drive/root:/{path}", Want::Err("incomplete", 22)),
    // (h) Only a v1.0 request uses the v1.0 graph; a template never does.
    (
        "/v1.0/me/joinedGroups/g/drive/root/checkout",
        Want::Err("unknown_segment", 9),
    ),
    (
        "T /v1.0/me/joinedGroups/{g}/drive/root",
        Want::Err("incomplete", 36),
    ),
    // (i) A word v1.0 has elsewhere: `nesting`.
    (
        "/v1.0/me/drive/activities/a/driveItem/checkout",
        Want::Err("nesting", 15),
    ),
    // (j), (k), (s) Line forms.
    (
        "L POST /me/drive/root/checkout HTTP/1.1\r",
        Want::Ok {
            template: "/me/drive/root/checkout",
            params: &[],
            canonical: "/me/drive/root/checkout",
        },
    ),
    ("L /me/drive/root/checkout\r\r", Want::Err("syntax", 23)),
    (
        "L /me/drive/root/checkout HTTP/1.1",
        Want::Err("syntax", 23),
    ),
    (
        "L POST /me/drive/root/checkout  HTTP/1.1",
        Want::Err("syntax", 23),
    ),
    ("L POST  HTTP/1.1", Want::Err("syntax", 0)),
    // (l) `{+baseurl}` and then `/`, offsets counted from the prefix.
    (
        "T {+baseurl}me/drive/root/checkout",
        Want::Err("syntax", 10),
    ),
    (
        "T {+baseurl}/me/drive/bogus/checkout",
        Want::Err("unknown_segment", 20),
    ),
    // (m) One query expression, ending the template.
    ("T /me/drive/root/checkout{?a}{?b}", Want::Err("syntax", 26)),
    ("T /me/drive/root{?a,b}", Want::Err("incomplete", 14)),
    // (n) RFC 6570 names.
    (
        "T /drives/{drive%2Did}/root/checkout",
        Want::Ok {
            template: "/drives/{drivesId}/root/checkout",
            params: &[("drivesId", "{drive%2Did}")],
            canonical: "/drives/{drive%2Did}/root/checkout",
        },
    ),
    // (o) Per-key alphabets; a raw `:` ending a channel key opens an
    // address, `nesting` on a Channel.
    (
        "/teams/t/channels/19:x:/filesFolder/checkout",
        Want::Err("nesting", 22),
    ),
    (
        "/sites/s/lists/a%3Ab/drive/root/checkout",
        Want::Err("invalid_id", 15),
    ),
    (
        "/teams/t/channels/a%20b/filesFolder/checkout",
        Want::Err("invalid_id", 18),
    ),
    // (p) A site by path.
    (
        "/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/checkout",
        Want::Ok {
            template: "/sites/{siteId}:/{path}:/drive/root/checkout",
            params: &[
                ("siteId", "contoso.sharepoint.com"),
                ("path", "sites/Marketing"),
            ],
            canonical: "/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/checkout",
        },
    ),
    // (q) Canonical keys.
    (
        "/teams/t/channels('19:x:')/filesFolder/checkout",
        Want::Ok {
            template: "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            params: &[("teamId", "t"), ("channelId", "19:x:")],
            canonical: "/teams/t/channels/19:x%3A/filesFolder/checkout",
        },
    ),
    (
        "/sites/s/lists/Shared%20Documents/drive/root/checkout",
        Want::Ok {
            template: "/sites/{siteId}/lists/{listId}/drive/root/checkout",
            params: &[("siteId", "s"), ("listId", "Shared Documents")],
            canonical: "/sites/s/lists/Shared%20Documents/drive/root/checkout",
        },
    ),
    // (r) An address on a Site reached by a keyword.
    (
        "/shares/u!x/site:/a:/drive/root/checkout",
        Want::Ok {
            template: "/shares/{sharesId}/site:/{path}:/drive/root/checkout",
            params: &[("sharesId", "u!x"), ("path", "a")],
            canonical: "/shares/u!x/site:/a:/drive/root/checkout",
        },
    ),
    // (t) A path placeholder skips the value's checks.
    (
        "T /me/drive/root:/{a%2Fb}:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "{a%2Fb}")],
            canonical: "/me/drive/root:/{a%2Fb}:/checkout",
        },
    ),
    (
        "T /me/drive/root:/{CON.}:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "{CON.}")],
            canonical: "/me/drive/root:/{CON.}:/checkout",
        },
    ),
    // (w) A `%` anywhere in an absolute URL's version segment, `('...')`
    // included, before an address opener too.
    (
        "https://graph.microsoft.com/x('%41')/me/drive/root/checkout",
        Want::Err("encoding", 31),
    ),
    (
        "https://graph.microsoft.com/v%31.0:/x:/me/drive/root/checkout",
        Want::Err("encoding", 29),
    ),
    (
        "https://graph.microsoft.com/x('a')/me/drive/root/checkout",
        Want::Err("unknown_segment", 28),
    ),
    // (x) The double-decoding rule is not read on the NFKC form.
    (
        "/me/drive/root:/a%25%EF%BC%92%EF%BC%A6:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "a%\u{ff12}\u{ff26}")],
            canonical: "/me/drive/root:/a%25%EF%BC%92%EF%BC%A6:/checkout",
        },
    ),
    (
        "/me/drive/root:/a%EF%BC%85%32%46:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "a\u{ff05}2F")],
            canonical: "/me/drive/root:/a%EF%BC%852F:/checkout",
        },
    ),
    // ... and a `%` only before two hex digits of its own name.
    (
        "/me/drive/root:/a%25/41:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "a%/41")],
            canonical: "/me/drive/root:/a%25/41:/checkout",
        },
    ),
    // (y) A device name is the text before the first `.`, nothing stripped.
    (
        "/me/drive/root:/CON..txt:/checkout",
        Want::Err("invalid_id", 16),
    ),
    (
        "/me/drive/root:/CON%20.txt/.CON/COM10/desktop.ini.bak:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "CON .txt/.CON/COM10/desktop.ini.bak")],
            canonical: "/me/drive/root:/CON%20.txt/.CON/COM10/desktop.ini.bak:/checkout",
        },
    ),
    // ... through NFKC too: a superscript digit folds to a digit.
    (
        "/me/drive/root:/COM%C2%B9.txt:/checkout",
        Want::Err("invalid_id", 16),
    ),
    // (z) An edge space is U+0020, raw or after NFKC (U+3000); other
    // invisible characters NFKC keeps are ordinary.
    (
        "/me/drive/root:/a%E3%80%80:/checkout",
        Want::Err("invalid_id", 16),
    ),
    (
        "/me/drive/root:/%E2%80%8Ba%E2%80%A8:/checkout",
        Want::Ok {
            template: "/me/drive/root:/{path}:/checkout",
            params: &[("path", "\u{200b}a\u{2028}")],
            canonical: "/me/drive/root:/%E2%80%8Ba%E2%80%A8:/checkout",
        },
    ),
    // The version segment may open an address: on the root, `nesting`.
    ("/v1.0:/me/drive/root/checkout", Want::Err("nesting", 5)),
    (
        "T {+baseurl}/beta:/x:/me/drive/root/checkout",
        Want::Err("nesting", 15),
    ),
    ("/v1.0:", Want::Err("unknown_segment", 1)),
    // Keys: the alias and cast prefixes after decoding, in every key; a
    // placeholder skips them.
    (
        "/me/drive/items('%40p')/checkout",
        Want::Err("invalid_id", 17),
    ),
    (
        "/sites/@h:/a:/drive/root/checkout",
        Want::Err("invalid_id", 7),
    ),
    ("T /drives/@d/root/checkout", Want::Err("invalid_id", 8)),
    (
        "T /drives/{%40d}/root/checkout",
        Want::Ok {
            template: "/drives/{drivesId}/root/checkout",
            params: &[("drivesId", "{%40d}")],
            canonical: "/drives/{%40d}/root/checkout",
        },
    ),
];

#[test]
fn corners_follow_the_project_decisions() {
    let mut failures = Vec::new();
    for (input, want) in CORNERS {
        let (mode, target) = match input.split_once(' ') {
            Some((mode @ ("T" | "L" | "LT"), rest)) => (mode, rest),
            _ => ("", *input),
        };
        let o = Options {
            template: mode.contains('T'),
            ..Options::default()
        };
        let want = want.outcome();
        let bytes = target.as_bytes();
        let outcomes = if mode.starts_with('L') {
            [
                ("crate", crate_line_outcome(&o, bytes)),
                ("reference", reference::classify_line(&o, bytes)),
            ]
        } else {
            [
                ("crate", crate_outcome(&o, None, bytes)),
                ("reference", reference_outcome(&o, None, bytes)),
            ]
        };
        for (who, got) in outcomes {
            if got != want {
                failures.push(format!("{who}: {input}\n  got  {got:?}\n  want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// DESIGN §1.4 "Key `.` or `..` is a dot segment" and decision (d), with small
/// key limits: DESIGN §6 checks dot segments before the position's own checks
/// (the key limit among them), so a dot key is `syntax` at the key start
/// under any key limit, as `/items/..` is, also when it is not a whole URL
/// segment: `('..')`, or `..:` before a path-based address. (The crate
/// checks the limit first there: `limit` at 17 for `items('..')` with
/// `max_key_len(0)`.)
#[test]
fn dot_keys_are_syntax_under_any_key_limit() {
    let mut failures = Vec::new();
    for max_key_len in 0..3 {
        let o = Options {
            max_key_len,
            ..Options::default()
        };
        for target in [
            "/me/drive/items('..')/checkout",
            "/me/drive/items('.')/checkout",
            "/me/drive/items('%2e%2E')/checkout",
            "/me/drive/items/../checkout",
            "/me/drive/items/.:/a:/checkout",
            "/me/drive/items/..:/a:/checkout",
            "/me/drive/items/%2e%2E:/a:/checkout",
        ] {
            let start = if target.contains('(') { 17 } else { 16 };
            let want = err("syntax", start);
            for (who, got) in [
                ("crate", crate_outcome(&o, None, target.as_bytes())),
                ("reference", reference_outcome(&o, None, target.as_bytes())),
            ] {
                if got != want {
                    failures.push(format!(
                        "{who}: {target} with max_key_len {max_key_len}: got {got:?}, want {want:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The 20 templates of DESIGN §1.3, as the reference writes them, are the
/// crate's documented templates, and each parses (as a template) to itself.
#[test]
fn documented_templates_are_the_spec_list() {
    let mut ours: Vec<&str> = graph_checkout_route::DOCUMENTED_TEMPLATES.to_vec();
    let mut spec: Vec<&str> = DOCUMENTED.to_vec();
    ours.sort_unstable();
    spec.sort_unstable();
    assert_eq!(ours, spec);
    let o = Options {
        template: true,
        ..Options::default()
    };
    for template in DOCUMENTED {
        let got = crate_outcome(&o, None, template.as_bytes());
        assert_eq!(got, reference_outcome(&o, None, template.as_bytes()));
        let Outcome::Ok {
            template: got_template,
            documented,
            canonical,
            ..
        } = got
        else {
            panic!("{template}: {got:?}");
        };
        assert!(documented);
        assert_eq!(
            (got_template.as_str(), canonical.as_str()),
            (template, template)
        );
    }
}
