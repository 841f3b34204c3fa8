//! Mutations with a known outcome (DESIGN §1.5, §2, §6): one change to a
//! generated route, and the error DESIGN gives the result.

use crate::generation::Generated;
use crate::reference::{
    address_to, key_rules, KeyRule, Options, Outcome, Ty, Versions, BASEURL, GRAPH,
};
use crate::running::{err, show};
use crate::tape::Tape;

/// A mutated request and the error it must give.
#[derive(Debug)]
pub struct Mutant {
    pub what: String,
    pub target: Vec<u8>,
    pub method: Option<Vec<u8>>,
    pub opts: Options,
    pub expected: Outcome,
}

fn insert(target: &str, at: usize, text: &[u8]) -> Vec<u8> {
    let mut out = target.as_bytes()[..at].to_vec();
    out.extend_from_slice(text);
    out.extend_from_slice(&target.as_bytes()[at..]);
    out
}

/// Offsets where a byte string can go without splitting an escape.
fn escape_safe_points(t: &[u8]) -> Vec<usize> {
    (0..=t.len())
        .filter(|&i| (i < 1 || t[i - 1] != b'%') && (i < 2 || t[i - 2] != b'%'))
        .collect()
}

/// What can stand between `{+baseurl}` and the `/` it needs (decision (l)).
const BEFORE_SLASH: [&[u8]; 4] = [b"x", b"v1.0", b"{x}", b"%41"];

/// Words that are not keywords of the model (DESIGN §2 `unknown_segment`).
const UNKNOWN_WORDS: &[&str] = &[
    "bogus",
    "content",
    "check-out",
    "sharedDriveItem",
    "microsoft.graph.root",
    "checkouts",
    "Item",
    "listItems",
    "me2",
    "v1.0",
    "BETA",
    "microsoft.graph",
];

fn is_version_word(o: &Options, word: &str) -> bool {
    o.versions.iter().any(|v| v.eq_ignore_ascii_case(word))
}

/// The mutations of [`mutate`], each with the outcome it implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutation {
    /// `//`: an empty segment, `syntax` at the second `/`.
    DoubleSlash,
    /// A trailing `/`: `syntax` at that `/`.
    TrailingSlash,
    /// A dot segment, raw or encoded: `syntax` at its start.
    DotSegment,
    /// An escape not allowed in a key: `encoding` at its `%`.
    BadKeyEscape,
    /// In a path value: `%2F` or bad UTF-8 is `encoding` at the `%`; a
    /// forbidden character is `invalid_id` at the value's start.
    BadPathValue,
    /// A raw byte outside the allowed set: `syntax` at that byte.
    BadRawByte,
    /// The cast where the type is not a BaseItem: `nesting` at its start.
    MisplacedCast,
    /// An unknown word where a step could start: `unknown_segment`, or
    /// `nesting` after the action.
    UnknownWordInserted,
    /// A keyword replaced by an unknown word: `unknown_segment` there.
    KeywordReplaced,
    /// A `%` in a keyword: `encoding` at that `%`, never the keyword.
    KeywordByteEscaped,
    /// The path cut before the action: `incomplete` at the cut (the query,
    /// if any, stays).
    CutBeforeAction,
    /// Another method: `method` at 0.
    OtherMethod,
    /// One byte over the length limit: `limit` at the limit.
    LengthLimitBelowTarget,
    /// Documented-only: `undocumented` at 0 unless documented.
    DocumentedOnlyMode,
    /// A byte outside the key alphabet: `invalid_id` at the key start.
    ByteOutsideKeyAlphabet,
    /// A key that breaks its per-key rule (DESIGN §1.4), or an empty or dot
    /// `('key')` (decision (d)).
    KeyBreaksItsRule,
    /// Template mode: a brace in the query is a bad byte (decision (b)).
    BraceInTemplateQuery,
    /// A v1.0 target: a beta-only row's word where a step could start is
    /// `unknown_segment` when no `both` row spells it (`joinedGroups`), else
    /// `nesting` (decision (i)).
    BetaRowUnderV1,
    /// A `:` or a space in a key (DESIGN §1.4, decision (o)): a raw space is
    /// a bad byte (`syntax` there); `:` or `%3A` outside a `channelId`, and
    /// `%20` outside a `listId`, are `invalid_id` at the key start.
    ColonOrSpaceInKey,
    /// A raw `:` ending a channel key segment opens an address: `nesting`
    /// there, on a Channel (decision (o)).
    ChannelKeyOpensAddress,
    /// `:/x:` after a step to a type that is neither a DriveItem nor a Site:
    /// `nesting` at the `:` (DESIGN §6 "Path-based addresses").
    AddressOnAnotherType,
    /// Template mode: `{+baseurl}` not followed by `/`: `syntax` at 10
    /// (decision (l)).
    BaseurlWithoutSlash,
    /// Template mode: the query expression no longer ends the template, so
    /// it stays: a bad byte of the query (decision (m)).
    ExpressionNotLast,
    /// A key made an OData parameter alias (`@...`) or a qualified name
    /// (`microsoft.graph....`, any case, escaped or not): `invalid_id` at
    /// the key start (DESIGN §1.4).
    KeyAliasOrCast,
    /// A name of a path value replaced by one a Windows-based store reads
    /// as another (a trailing `.`, an edge space, a reserved or device name,
    /// `~$`, `_vti_`, a C1 control, an NFKC look-alike): `invalid_id` at the
    /// value's first byte (DESIGN §1.4, §6 "Path-based addresses").
    PathNameRefused,
    /// A `%25` before two hex digits, raw or escaped, in a path name (a
    /// second decoding would read an escape): `encoding` at that `%25`.
    PathDoubleEncoded,
    /// A path value cut after its value, so that the address never closes,
    /// with a name refused or a `%25` before hex in it: checked to the end
    /// of the path, the error of the name, not `incomplete` (decision (f)).
    UnclosedAddressChecked,
    /// `:/x:` right after the version segment: the version opens an address
    /// on the service root, `nesting` at the `:` (DESIGN §6 "Version
    /// position").
    VersionOpensAddress,
    /// A byte of the version escaped: `encoding` at that `%`, in origin-form
    /// (a keyword then) and in absolute-form (decision (w)).
    VersionByteEscaped,
}

/// Path names a Windows-based store or a best-fit mapping reads as another
/// name, as written in a target (DESIGN §1.4).
const REFUSED_NAMES: &[&str] = &[
    "x.",
    "x%2E",
    "a..",
    "x%20",
    "%20x",
    "%C2%A0x",
    "x%c2%a0",
    "x%E3%80%80",
    "CON",
    "con.txt",
    "Com1.tar.gz",
    "LPT9",
    "nul",
    "PRN.x",
    "aUx",
    "desktop.INI",
    ".lock",
    "~$a.docx",
    "~%24x",
    "a_vti_b",
    "_VTI_",
    "a%C2%85",
    "%C2%9F",
    "%EF%BC%A3%EF%BC%AF%EF%BC%AE",
    "%EF%BC%8E%EF%BC%8E",
    "%E2%80%A5",
    "%E2%80%A4",
    "a%EF%BC%8Fb",
    "a%EF%BC%9Fb",
    "a%EF%BC%BCb",
    "COM%C2%B9",
    "%EF%BD%9E%EF%BC%84x",
    "x%EF%BC%8E",
];

/// A `%25` and two hex digits, raw or escaped (`%252F`, `%25%32%46`).
const DOUBLE_ENCODED: &[&str] = &[
    "%2541",
    "%252F",
    "%252f",
    "%25%32%46",
    "%25%34%31",
    "%25aF",
    "%252e",
    "%25%65%65",
];

/// The raw names of a path value: `(start, end)` of each, between the
/// value's first byte and its last insertion point.
fn path_names(t: &str, path: &crate::generation::PathSpan) -> Vec<(usize, usize)> {
    let end = *path.points.last().unwrap();
    let mut names = Vec::new();
    let mut a = path.start;
    for (i, &b) in t.as_bytes()[path.start..end].iter().enumerate() {
        if b == b'/' {
            names.push((a, path.start + i));
            a = path.start + i + 1;
        }
    }
    names.push((a, end));
    names
}

fn replace(t: &str, start: usize, end: usize, text: &[u8]) -> Vec<u8> {
    let mut out = t.as_bytes()[..start].to_vec();
    out.extend_from_slice(text);
    out.extend_from_slice(&t.as_bytes()[end..]);
    out
}

impl Mutation {
    /// Every mutation, in the order the tape picks from. A new one goes at
    /// the end: the seeds in `proptest-regressions/` pick by position.
    pub const ALL: [Mutation; 29] = [
        Mutation::DoubleSlash,
        Mutation::TrailingSlash,
        Mutation::DotSegment,
        Mutation::BadKeyEscape,
        Mutation::BadPathValue,
        Mutation::BadRawByte,
        Mutation::MisplacedCast,
        Mutation::UnknownWordInserted,
        Mutation::KeywordReplaced,
        Mutation::KeywordByteEscaped,
        Mutation::CutBeforeAction,
        Mutation::OtherMethod,
        Mutation::LengthLimitBelowTarget,
        Mutation::DocumentedOnlyMode,
        Mutation::ByteOutsideKeyAlphabet,
        Mutation::KeyBreaksItsRule,
        Mutation::BraceInTemplateQuery,
        Mutation::BetaRowUnderV1,
        Mutation::ColonOrSpaceInKey,
        Mutation::ChannelKeyOpensAddress,
        Mutation::AddressOnAnotherType,
        Mutation::BaseurlWithoutSlash,
        Mutation::ExpressionNotLast,
        Mutation::KeyAliasOrCast,
        Mutation::PathNameRefused,
        Mutation::PathDoubleEncoded,
        Mutation::UnclosedAddressChecked,
        Mutation::VersionOpensAddress,
        Mutation::VersionByteEscaped,
    ];
}

/// One mutation of `g`, with the outcome DESIGN gives it. `None` when the
/// chosen mutation does not apply to this route.
#[allow(clippy::too_many_lines)]
pub fn mutate(tape: &mut Tape, g: &Generated, opts: &Options) -> Option<Mutant> {
    let t = g.target.as_str();
    let mut r = tape.rng();
    let mut mutant = Mutant {
        what: String::new(),
        target: Vec::new(),
        method: None,
        opts: opts.clone(),
        expected: err("syntax", 0),
    };
    match *tape.pick(&Mutation::ALL) {
        Mutation::BadKeyEscape
        | Mutation::ByteOutsideKeyAlphabet
        | Mutation::KeyBreaksItsRule
        | Mutation::ColonOrSpaceInKey
            if g.keys.is_empty() =>
        {
            return None
        }
        Mutation::KeyAliasOrCast if g.keys.is_empty() => return None,
        Mutation::BadPathValue
        | Mutation::PathNameRefused
        | Mutation::PathDoubleEncoded
        | Mutation::UnclosedAddressChecked
            if g.paths.is_empty() =>
        {
            return None
        }
        Mutation::VersionOpensAddress | Mutation::VersionByteEscaped if g.version.is_none() => {
            return None
        }
        Mutation::DoubleSlash => {
            let at = *tape.pick(&g.slashes) + 1;
            mutant.what = format!("`//` at {at}");
            mutant.target = insert(t, at, b"/");
            mutant.expected = err("syntax", at);
        }
        Mutation::TrailingSlash => {
            mutant.what = "trailing `/`".into();
            mutant.target = insert(t, g.path_end, b"/");
            mutant.expected = err("syntax", g.path_end);
        }
        Mutation::DotSegment => {
            let mut places = g.slashes.clone();
            places.push(g.path_end);
            let at = *tape.pick(&places);
            let dots = *r.pick(&["/.", "/..", "/%2e", "/%2E%2e", "/.%2E", "/%2e."]);
            mutant.what = format!("`{dots}` at {at}");
            mutant.target = insert(t, at, dots.as_bytes());
            mutant.expected = err("syntax", at + 1);
        }
        Mutation::BadKeyEscape => {
            let key = tape.pick(&g.keys);
            let at = *tape.pick(&key.points);
            let bad = *r.pick(&[
                "%2F", "%2f", "%5C", "%3F", "%23", "%00", "%1F", "%0a", "%7F", "%80", "%C3", "%ff",
            ]);
            mutant.what = format!("`{bad}` in a key at {at}");
            mutant.target = insert(t, at, bad.as_bytes());
            mutant.expected = err("encoding", at);
        }
        Mutation::BadPathValue => {
            let path = tape.pick(&g.paths);
            let at = *tape.pick(&path.points);
            let (bad, expected) = if r.chance(50) {
                let bad = *r.pick(&[
                    "%2F",
                    "%2f",
                    "%80",
                    "%BF",
                    "%ff",
                    "%C0%AF",
                    "%E0%80%80",
                    "%ED%A0%80",
                    "%F4%90%80%80",
                    "%C3",
                ]);
                (bad, err("encoding", at))
            } else {
                let bad = *r.pick(&[
                    "%00", "%1f", "%7F", "%22", "%2A", "*", "%3A", "%3c", "%3E", "%3F", "%5C",
                    "%7c",
                ]);
                (bad, err("invalid_id", path.start))
            };
            mutant.what = format!("`{bad}` in a path at {at}");
            mutant.target = insert(t, at, bad.as_bytes());
            mutant.expected = expected;
        }
        Mutation::BadRawByte => {
            // Not inside or after a query expression: it would no longer
            // end the template, and its own `}` would come first.
            let points: Vec<usize> = escape_safe_points(t.as_bytes())
                .into_iter()
                .filter(|&at| g.expression.is_none_or(|e| at <= e))
                .collect();
            let at = *tape.pick(&points);
            let mut bad: Vec<&[u8]> = vec![
                b";x",
                b";",
                b"#",
                b"#frag",
                b"\\",
                b" ",
                b"\t",
                b"\r",
                b"\n",
                b"[",
                b"]",
                b"\"",
                b"<",
                b">",
                b"^",
                b"|",
                b"`",
                b"\x00",
                b"\x7f",
                b"\x80",
                b"\xc3\xa9",
                b"\xff",
                b"\xed\xa0\x80",
            ];
            if !opts.template || g.query.is_some() && at > g.path_end && at <= g.query_end {
                bad.push(b"{");
                bad.push(b"}");
            }
            let bytes = *r.pick(&bad);
            mutant.what = format!("{:?} at {at}", show(bytes));
            mutant.target = insert(t, at, bytes);
            mutant.expected = err("syntax", at);
        }
        Mutation::MisplacedCast => {
            let places: Vec<_> = g
                .boundaries
                .iter()
                .filter(|(_, ty, _)| *ty != Ty::BaseItem)
                .collect();
            let &(at, _, _) = *tape.pick(&places);
            let cast = r.mixed_case("microsoft.graph.sharedDriveItem");
            mutant.what = format!("cast at {at}");
            mutant.target = insert(t, at, format!("/{cast}").as_bytes());
            mutant.expected = err("nesting", at + 1);
        }
        Mutation::UnknownWordInserted => {
            let &(at, ty, first) = tape.pick(&g.boundaries);
            let word = *r.pick(UNKNOWN_WORDS);
            if first && is_version_word(opts, word) {
                return None;
            }
            mutant.what = format!("`/{word}` at {at}");
            mutant.target = insert(t, at, format!("/{word}").as_bytes());
            mutant.expected = if ty == Ty::Done {
                err("nesting", at + 1)
            } else {
                err("unknown_segment", at + 1)
            };
        }
        Mutation::KeywordReplaced => {
            let &(start, end, first) = tape.pick(&g.keywords);
            let word = *r.pick(UNKNOWN_WORDS);
            if first && is_version_word(opts, word) {
                return None;
            }
            mutant.what = format!("keyword at {start} replaced by `{word}`");
            let mut out = t.as_bytes()[..start].to_vec();
            out.extend_from_slice(word.as_bytes());
            out.extend_from_slice(&t.as_bytes()[end..]);
            mutant.target = out;
            mutant.expected = err("unknown_segment", start);
        }
        Mutation::KeywordByteEscaped => {
            let &(start, end, _) = tape.pick(&g.keywords);
            let at = start + r.below(end - start);
            let b = t.as_bytes()[at];
            mutant.what = format!("keyword byte {at} escaped");
            let mut out = t.as_bytes()[..at].to_vec();
            out.extend_from_slice(r.escape(b).as_bytes());
            out.extend_from_slice(&t.as_bytes()[at + 1..]);
            mutant.target = out;
            mutant.expected = err("encoding", at);
        }
        Mutation::CutBeforeAction => {
            let at = *tape.pick(&g.cuts);
            mutant.what = format!("cut at {at}");
            let mut out = t.as_bytes()[..at].to_vec();
            out.extend_from_slice(&t.as_bytes()[g.path_end..]);
            mutant.target = out;
            mutant.expected = err("incomplete", at);
        }
        Mutation::OtherMethod => {
            let method = *r.pick(&[
                &b"GET"[..],
                b"PUT",
                b"post",
                b"Post",
                b"POST ",
                b"",
                b"PATCH",
            ]);
            // Templates take a method only through the CLI line form.
            if opts.template && (method.is_empty() || !method.iter().all(u8::is_ascii_uppercase)) {
                return None;
            }
            mutant.what = format!("method {:?}", show(method));
            mutant.target = t.as_bytes().to_vec();
            mutant.method = Some(method.to_vec());
            mutant.expected = err("method", 0);
        }
        Mutation::LengthLimitBelowTarget => {
            let limit = tape.below(t.len());
            mutant.what = format!("max length {limit}");
            mutant.target = t.as_bytes().to_vec();
            mutant.opts.max_target_len = limit;
            mutant.expected = err("limit", limit);
        }
        Mutation::DocumentedOnlyMode => {
            mutant.what = "documented-only".into();
            mutant.target = t.as_bytes().to_vec();
            mutant.opts.documented_only = true;
            mutant.expected = if g.documented() {
                g.expected()
            } else {
                err("undocumented", 0)
            };
        }
        Mutation::ByteOutsideKeyAlphabet => {
            let key = tape.pick(&g.keys);
            let at = *tape.pick(&key.points);
            let mut bad = vec![
                "%25", "%2B", "%27", "%28", "%7E%3D", "$", "*", "+", "=", "&", "(", ")",
            ];
            if !key.paren {
                bad.push("'");
            }
            // Two keys widen the alphabet (DESIGN §1.4, decision (o)).
            if key.name != "listId" {
                bad.push("%20");
            }
            if key.name != "channelId" {
                bad.push("%3A");
            }
            let bytes = *r.pick(&bad);
            mutant.what = format!("`{bytes}` in a key at {at}");
            mutant.target = insert(t, at, bytes.as_bytes());
            mutant.expected = err("invalid_id", key.start);
        }
        Mutation::KeyBreaksItsRule => {
            let key = tape.pick(&g.keys);
            // A dot key, in any form (`/..`, `('..')`, `..:` before an
            // address): `syntax` at the key start (DESIGN §1.4, decision (d)).
            let (value, expected): (&str, Outcome) = if r.chance(40) {
                (
                    *r.pick(&[".", "..", "%2e", "%2E.", "%2e%2E"]),
                    err("syntax", key.start),
                )
            } else if let Some(rule) = key_rules(key.name, key.word).next() {
                let against: &[&str] = match rule {
                    KeyRule::SpecialFolder => {
                        &["Documentz", "docs", "Desktop", "root", "Document%73x"]
                    }
                    KeyRule::SharePrefix => {
                        &["U!abc", "u!", "s%21", "s", "abc", "a!bc", "S!x", "%75!"]
                    }
                };
                (*r.pick(against), err("invalid_id", key.start))
            } else if key.paren {
                ("", err("invalid_id", key.start))
            } else {
                return None;
            };
            mutant.what = format!("key at {} replaced by `{value}`", key.start);
            let mut out = t.as_bytes()[..key.start].to_vec();
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(&t.as_bytes()[key.end..]);
            mutant.target = out;
            mutant.expected = expected;
        }
        Mutation::BraceInTemplateQuery => {
            if !opts.template {
                return None;
            }
            // In the query, before a trailing query expression (which must
            // stay last to be dropped, decision (m)).
            let mut out = t.as_bytes().to_vec();
            let at = if g.query.is_some() {
                let query_start = g.path_end + 1;
                query_start + r.below(g.query_end - query_start + 1)
            } else {
                out.insert(g.query_end, b'?');
                g.query_end + 1
            };
            // Not inside an escape.
            if at >= 1 && out[at - 1] == b'%' || at >= 2 && out[at - 2] == b'%' {
                return None;
            }
            out.insert(at, *r.pick(b"{}"));
            mutant.what = format!("brace in the query at {at}");
            mutant.target = out;
            mutant.expected = err("syntax", at);
        }
        Mutation::BetaRowUnderV1 => {
            if !g.v1 {
                return None;
            }
            let &(at, ty, _) = tape.pick(&g.boundaries);
            let beta: Vec<_> = GRAPH
                .iter()
                .filter(|e| e.versions == Versions::Beta)
                .collect();
            let edge = *tape.pick(&beta);
            let both = |e: &&crate::reference::Edge| e.versions == Versions::Both;
            let spelled = |e: &&crate::reference::Edge| e.word.eq_ignore_ascii_case(edge.word);
            let expected = if ty == Ty::Done {
                err("nesting", at + 1)
            } else if !GRAPH.iter().filter(both).any(|e| spelled(&e)) {
                err("unknown_segment", at + 1)
            } else if GRAPH
                .iter()
                .filter(both)
                .any(|e| e.from == ty && spelled(&e))
            {
                // v1.0 has this word here (`activities` on an
                // ItemActivityStat): no error to expect.
                return None;
            } else {
                err("nesting", at + 1)
            };
            let word = r.mixed_case(edge.word);
            let text = match edge.key {
                Some(_) => format!("/{word}/x1"),
                None => format!("/{word}"),
            };
            mutant.what = format!("beta `{text}` at {at}");
            mutant.target = insert(t, at, text.as_bytes());
            mutant.expected = expected;
        }
        Mutation::ColonOrSpaceInKey => {
            let key = tape.pick(&g.keys);
            let at = *tape.pick(&key.points);
            let mut bad = vec![(" ", err("syntax", at))];
            let invalid = err("invalid_id", key.start);
            if key.name != "listId" {
                bad.push(("%20", invalid.clone()));
            }
            if key.name != "channelId" {
                bad.push(("%3A", invalid.clone()));
                bad.push(("%3a", invalid.clone()));
                // A raw `:` ending a key segment would open an address.
                if key.paren || at != key.end {
                    bad.push((":", invalid));
                }
            }
            let (bytes, expected) = r.pick(&bad).clone();
            mutant.what = format!("`{bytes}` in the {} at {at}", key.name);
            mutant.target = insert(t, at, bytes.as_bytes());
            mutant.expected = expected;
        }
        Mutation::ChannelKeyOpensAddress => {
            let keys: Vec<_> = g
                .keys
                .iter()
                .filter(|k| k.name == "channelId" && !k.paren)
                .collect();
            if keys.is_empty() {
                return None;
            }
            let key = *tape.pick(&keys);
            mutant.what = format!("raw `:` ending the channel key at {}", key.end);
            mutant.target = insert(t, key.end, b":");
            mutant.expected = err("nesting", key.end);
        }
        Mutation::AddressOnAnotherType => {
            let places: Vec<_> = g
                .openers
                .iter()
                .filter(|&&(_, ty)| address_to(ty, g.graph()).is_none())
                .collect();
            if places.is_empty() {
                return None;
            }
            let &(at, ty) = *tape.pick(&places);
            mutant.what = format!("`:/x:` at {at}, on {ty:?}");
            mutant.target = insert(t, at, b":/x:");
            mutant.expected = err("nesting", at);
        }
        Mutation::BaseurlWithoutSlash => {
            if !g.baseurl {
                return None;
            }
            // The `/` after `{+baseurl}` dropped, or a byte before it.
            let at = BASEURL.len();
            mutant.target = if r.chance(50) {
                mutant.what = "`{+baseurl}` without its `/`".into();
                let mut out = t.as_bytes().to_vec();
                out.remove(at);
                out
            } else {
                mutant.what = "a byte between `{+baseurl}` and `/`".into();
                insert(t, at, BEFORE_SLASH[r.below(BEFORE_SLASH.len())])
            };
            mutant.expected = err("syntax", at);
        }
        Mutation::ExpressionNotLast => {
            let start = g.expression?;
            mutant.what = "a byte after the query expression".into();
            let mut out = t.as_bytes().to_vec();
            out.push(*r.pick(b"ax-}"));
            mutant.target = out;
            // The expression stays: its `{` is a bad byte of the query when
            // a query came before it; else its `?` opens the query and its
            // `}` is the first bad byte.
            mutant.expected = if g.query.is_some() {
                err("syntax", start)
            } else {
                err("syntax", t.len() - 1)
            };
        }
        Mutation::KeyAliasOrCast => {
            let key = tape.pick(&g.keys);
            let prefix = *r.pick(&[
                "@",
                "%40",
                "microsoft.graph.",
                "MICROSOFT.GRAPH.",
                "Microsoft%2EGraph.",
                "microsoft.graph%2e",
                "microsoft.graph.driveItem.",
            ]);
            mutant.what = format!("`{prefix}` before the key at {}", key.start);
            mutant.target = insert(t, key.start, prefix.as_bytes());
            mutant.expected = err("invalid_id", key.start);
        }
        Mutation::PathNameRefused => {
            let path = tape.pick(&g.paths);
            let (start, end) = *tape.pick(&path_names(t, path));
            let name = *r.pick(REFUSED_NAMES);
            mutant.what = format!("path name at {start} replaced by `{name}`");
            mutant.target = replace(t, start, end, name.as_bytes());
            mutant.expected = err("invalid_id", path.start);
        }
        Mutation::PathDoubleEncoded => {
            let path = tape.pick(&g.paths);
            let at = *tape.pick(&path.points);
            let bad = *r.pick(DOUBLE_ENCODED);
            mutant.what = format!("`{bad}` in a path at {at}");
            mutant.target = insert(t, at, bad.as_bytes());
            mutant.expected = err("encoding", at);
        }
        Mutation::UnclosedAddressChecked => {
            let path = tape.pick(&g.paths);
            let value_end = *path.points.last().unwrap();
            // The path cut after the value (the query, if any, stays).
            let cut = |target: Vec<u8>, value_end: usize| {
                let mut out = target[..value_end].to_vec();
                out.extend_from_slice(&t.as_bytes()[g.path_end..]);
                out
            };
            if r.chance(50) {
                let (start, end) = *tape.pick(&path_names(t, path));
                let name = *r.pick(REFUSED_NAMES);
                mutant.what = format!("unclosed, path name at {start} replaced by `{name}`");
                let moved = value_end + name.len() - (end - start);
                mutant.target = cut(replace(t, start, end, name.as_bytes()), moved);
                mutant.expected = err("invalid_id", path.start);
            } else {
                let at = *tape.pick(&path.points);
                let bad = *r.pick(DOUBLE_ENCODED);
                mutant.what = format!("unclosed, `{bad}` in a path at {at}");
                mutant.target = cut(insert(t, at, bad.as_bytes()), value_end + bad.len());
                mutant.expected = err("encoding", at);
            }
        }
        Mutation::VersionOpensAddress => {
            // The version segment follows the path's first `/`.
            let end = g.path_start + 1 + g.version.as_ref()?.len();
            mutant.what = format!("`:/x:` after the version, at {end}");
            mutant.target = insert(t, end, b":/x:");
            mutant.expected = err("nesting", end);
        }
        Mutation::VersionByteEscaped => {
            let start = g.path_start + 1;
            let at = start + r.below(g.version.as_ref()?.len());
            let b = t.as_bytes()[at];
            mutant.what = format!("version byte {at} escaped");
            mutant.target = replace(t, at, at + 1, r.escape(b).as_bytes());
            mutant.expected = err("encoding", at);
        }
    }
    Some(mutant)
}

/// The saved regression seeds pick a mutation by its position in
/// [`Mutation::ALL`]: the list must keep the declaration order (new ones at
/// the end of both).
#[test]
fn mutations_are_listed_in_declaration_order() {
    for (position, &mutation) in Mutation::ALL.iter().enumerate() {
        assert_eq!(mutation as usize, position, "{mutation:?}");
    }
}
