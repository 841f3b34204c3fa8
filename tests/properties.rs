//! Property tests (issue 3): generated valid routes are accepted with the
//! template and params their generator knows; generated mutations are
//! rejected with the error the mutation implies; and on generated and
//! mutated targets (requests and templates, default and other options) the
//! crate agrees exactly with the independent reference of
//! `tests/reference/mod.rs`.
//!
//! Generation is driven by a "tape" of random `u32`s: each structural
//! choice takes one value, and 0 always means the simplest choice, so that
//! proptest's shrinking (values toward 0, tape shorter) shrinks the route.
//! ID contents come from a small PRNG seeded from one tape value.

mod reference;

use std::fmt::Write as _;

use graph_checkout_route::{Error, Parser, Route};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use reference::{Edge, Options, Outcome, Ty, DOCUMENTED, GRAPH, SPECIAL_FOLDERS};

// ---------------------------------------------------------------------------
// Randomness.
// ---------------------------------------------------------------------------

/// The tape of structural choices; 0 once it runs out.
struct Tape {
    values: Vec<u32>,
    next: usize,
}

impl Tape {
    fn new(values: Vec<u32>) -> Tape {
        Tape { values, next: 0 }
    }

    fn draw(&mut self) -> u32 {
        let value = self.values.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        value
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.draw()).unwrap() % n
    }

    /// True with about `percent`% probability; false for a 0 draw.
    fn chance(&mut self, percent: u32) -> bool {
        self.draw() % 100 >= 100 - percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A PRNG for contents (ID characters, casing), seeded from the tape.
    fn rng(&mut self) -> Rng {
        Rng(u64::from(self.draw()))
    }
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn string(&mut self, alphabet: &[u8], min: usize, max: usize) -> String {
        let len = min + self.below(max - min + 1);
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }

    /// Each ASCII letter in a random case.
    fn mixed_case(&mut self, word: &str) -> String {
        word.chars()
            .map(|c| {
                if self.chance(50) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }

    /// `%XX` for a byte, hex digits in a random case.
    fn escape(&mut self, b: u8) -> String {
        let text = format!("%{b:02X}");
        if self.chance(50) {
            text.to_ascii_lowercase()
        } else {
            text
        }
    }
}

// ---------------------------------------------------------------------------
// Real ID shapes (SPEC 1.4).
// ---------------------------------------------------------------------------

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `01` + 32 base32 characters: a business (OneDrive for Business /
/// SharePoint) item id.
fn business_id(r: &mut Rng) -> String {
    format!("01{}", r.string(BASE32, 32, 32))
}

/// `b!` + base64url: a drive id.
fn drive_id(r: &mut Rng) -> String {
    format!("b!{}", r.string(BASE64URL, 64, 64))
}

/// `u!` / `s!` + base64url: a share id.
fn share_id(r: &mut Rng) -> String {
    let prefix = if r.chance(50) { "u!" } else { "s!" };
    format!("{prefix}{}", r.string(BASE64URL, 1, 60))
}

fn guid(r: &mut Rng) -> String {
    let g = format!(
        "{}-{}-{}-{}-{}",
        r.string(HEX_UPPER, 8, 8),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 12, 12)
    );
    if r.chance(50) {
        g.to_ascii_lowercase()
    } else {
        g
    }
}

/// A user principal name, `john.doe@contoso.com`.
fn upn(r: &mut Rng) -> String {
    format!(
        "{}@{}.{}",
        r.string(b"abcdefghijklmnopqrstuvwxyz0123456789._-", 1, 12),
        r.string(LOWER_DIGITS, 1, 10),
        r.string(b"abcdefghijklmnopqrstuvwxyz", 2, 5)
    )
}

/// `host,guid,guid` (or a bare hostname): a site id.
fn site_id(r: &mut Rng) -> String {
    let host = format!("{}.sharepoint.com", r.string(LOWER_DIGITS, 3, 10));
    if r.chance(70) {
        format!("{host},{},{}", guid(r), guid(r))
    } else {
        host
    }
}

/// `7DDA670C5E7F91DF!114`: a personal (OneDrive consumer) item id.
fn personal_id(r: &mut Rng) -> String {
    format!(
        "{}!{}",
        r.string(HEX_UPPER, 16, 16),
        r.string(b"0123456789", 1, 6)
    )
}

/// A special-folder name in any case.
fn special_folder(r: &mut Rng) -> String {
    let name = *r.pick(&SPECIAL_FOLDERS);
    r.mixed_case(name)
}

/// A decoded key value of the right shape for the key `name` of `word`.
fn key_value(r: &mut Rng, word: &str, name: &str) -> String {
    if word == "special" {
        return special_folder(r);
    }
    if name == "sharesId" {
        return share_id(r);
    }
    let shapes: &[fn(&mut Rng) -> String] = match name {
        "userId" => &[guid, upn],
        "groupId" | "itemActivityStatId" | "itemActivityId" => &[guid],
        "siteId" => &[site_id],
        "drivesId" => &[drive_id, |r| r.string(HEX_UPPER, 16, 16)],
        _ => &[business_id, personal_id, guid],
    };
    // Now and then any shape in any position: keys are only checked
    // against the alphabet, not against the shape.
    if r.chance(10) {
        let any: &[fn(&mut Rng) -> String] = &[
            business_id,
            drive_id,
            guid,
            upn,
            site_id,
            personal_id,
            share_id,
        ];
        return r.pick(any)(r);
    }
    r.pick(shapes)(r)
}

// ---------------------------------------------------------------------------
// Generated routes.
// ---------------------------------------------------------------------------

/// A literal key in the target, with the offsets where a byte string can be
/// inserted without splitting an escape.
#[derive(Debug, Clone)]
struct KeySpan {
    start: usize,
    end: usize,
    points: Vec<usize>,
    paren: bool,
    word: &'static str,
    name: &'static str,
}

/// A literal path value, with insertion points between characters.
#[derive(Debug, Clone)]
struct PathSpan {
    start: usize,
    points: Vec<usize>,
}

/// A route built from a walk through the type graph, with everything the
/// generator knows about it.
#[derive(Debug, Clone, Default)]
struct Generated {
    target: String,
    // What the target must classify as (computed here, by the generator).
    template: String,
    params: Vec<(String, String)>,
    canonical: String,
    version: Option<String>,
    query: Option<String>,
    // Structure, for mutations.
    absolute: bool,
    /// Offset of the path's first `/`.
    path_start: usize,
    /// End of the path: the `?` or the end of the target.
    path_end: usize,
    /// Offsets of the `/` bytes of the path.
    slashes: Vec<usize>,
    /// Where a new step could start (`/` of a step, or `path_end`) and the
    /// type there; `first` marks the origin-form first segment (which is
    /// tried as a version).
    boundaries: Vec<(usize, Ty, bool)>,
    /// Spans of keyword words (without `('key')` or an address `:`), with
    /// the `first` flag as above.
    keywords: Vec<(usize, usize, bool)>,
    keys: Vec<KeySpan>,
    paths: Vec<PathSpan>,
    /// Offsets where cutting the path gives a valid prefix that ends before
    /// the action (`incomplete` at the cut).
    cuts: Vec<usize>,
}

impl Generated {
    fn documented(&self) -> bool {
        DOCUMENTED.contains(&self.template.as_str())
    }

    fn expected(&self) -> Outcome {
        Outcome::Ok {
            template: self.template.clone(),
            documented: self.documented(),
            params: self.params.clone(),
            canonical: self.canonical.clone(),
            version: self.version.clone(),
            query: self.query.clone(),
        }
    }
}

/// SPEC 6 "Output": a path value re-encoded minimally, uppercase hex.
/// (Written again here so that the generator does not lean on the
/// reference.)
fn canonical_path(value: &str) -> String {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,=:@/".contains(&b);
    value
        .bytes()
        .map(|b| {
            if keep(b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Characters of path names: raw-safe ASCII, ASCII that must be escaped,
/// and non-ASCII (always escaped). None is forbidden in a file name.
const NAME_CHARS: &[char] = &[
    'a', 'b', 'Q', 'Z', '0', '7', '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '+', ',', '=',
    '@', ' ', '#', '%', ';', '[', ']', '{', '}', '^', '`', 'é', 'О', 'т', 'ч', '€', '日', '本',
    '😀', 'ß', '\u{a0}',
];

fn is_raw_safe_in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()+,=@".contains(c)
}

/// Walk limit: at most this many steps, so that targets stay well under the
/// default limits.
const MAX_STEPS: usize = 9;

fn push_cased(t: &mut String, tape: &mut Tape, r: &mut Rng, word: &str) {
    if tape.chance(50) {
        t.push_str(&r.mixed_case(word));
    } else {
        t.push_str(word);
    }
}

/// The edges allowed from `ty`, the action first (so that a 0 draw ends
/// the route).
fn edges_from(ty: Ty) -> Vec<&'static Edge> {
    let mut edges: Vec<&Edge> = GRAPH.iter().filter(|e| e.from == ty).collect();
    edges.sort_by_key(|e| e.to != Ty::Done);
    edges
}

fn generate(tape: &mut Tape, opts: &Options) -> Generated {
    let mut r = tape.rng();
    let mut g = Generated::default();

    // Target form and version (SPEC 1.1).
    let has_versions = !opts.versions.is_empty();
    let form = tape.below(3);
    g.absolute = form == 2 && has_versions && !opts.hosts.is_empty();
    if g.absolute {
        push_cased(&mut g.target, tape, &mut r, "https");
        g.target.push_str("://");
        let host = tape.pick(&opts.hosts).clone();
        push_cased(&mut g.target, tape, &mut r, &host);
        if tape.chance(30) {
            g.target.push_str(":443");
        }
    }
    g.path_start = g.target.len();
    if g.absolute {
        g.cuts.push(g.target.len());
    }
    if g.absolute || (form == 1 && has_versions) {
        let version = tape.pick(&opts.versions).clone();
        g.slashes.push(g.target.len());
        g.target.push('/');
        push_cased(&mut g.target, tape, &mut r, &version);
        g.version = Some(version);
        g.cuts.push(g.target.len());
    }
    let first_is_keyword = g.version.is_none();

    // The walk through the type graph (SPEC 1.2).
    let mut ty = Ty::Root;
    let mut steps = 0;
    loop {
        let first = first_is_keyword && steps == 0;
        g.boundaries.push((g.target.len(), ty, first));
        if steps > 0 {
            g.cuts.push(g.target.len());
        }
        let edges = edges_from(ty);
        let edge = if ty == Ty::DriveItem && (steps >= MAX_STEPS || !tape.chance(60)) {
            edges[tape.below(2)]
        } else if ty == Ty::DriveItem {
            edges[2 + tape.below(edges.len() - 2)]
        } else {
            *tape.pick(&edges)
        };
        steps += 1;

        g.slashes.push(g.target.len());
        g.target.push('/');
        let word_start = g.target.len();
        push_cased(&mut g.target, tape, &mut r, edge.word);
        g.keywords.push((word_start, g.target.len(), first));
        g.template.push('/');
        g.template.push_str(edge.canonical);
        g.canonical.push('/');
        g.canonical.push_str(edge.canonical);
        if let Some(name) = edge.key {
            push_key(&mut g, tape, &mut r, opts, edge.word, name);
        }

        ty = edge.to;
        if ty == Ty::Done {
            break;
        }
        if ty == Ty::DriveItem && tape.chance(25) {
            push_address(&mut g, tape, &mut r, opts);
        }
    }
    g.path_end = g.target.len();
    g.boundaries.push((g.target.len(), Ty::Done, false));

    // A query, exposed raw (SPEC 1.1).
    if tape.chance(25) {
        g.target.push('?');
        let mut query = String::new();
        for _ in 0..tape.below(12) {
            if r.chance(20) {
                let b = u8::try_from(r.below(256)).unwrap();
                query.push_str(&r.escape(b));
            } else {
                query.push(char::from(*r.pick(b"AZaz09-._~!$&'()*+,=:@/?".as_slice())));
            }
        }
        g.target.push_str(&query);
        g.query = Some(query);
    }
    g
}

/// The key of a key-taking keyword just written: as a segment or as
/// `('key')`, a literal of the right shape (escaped now and then) or, in a
/// template, a placeholder.
fn push_key(
    g: &mut Generated,
    tape: &mut Tape,
    r: &mut Rng,
    opts: &Options,
    word: &'static str,
    name: &'static str,
) {
    // A key-taking keyword at the end is `incomplete` there.
    g.cuts.push(g.target.len());
    let paren = tape.chance(25);
    if paren {
        g.target.push_str("('");
    } else {
        g.slashes.push(g.target.len());
        g.target.push('/');
    }
    let start = g.target.len();
    let value = if opts.template && tape.chance(70) {
        let placeholder = if tape.chance(50) {
            format!("{{{name}}}")
        } else {
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
            format!("{{{}}}", r.string(alphabet, 1, 12))
        };
        g.target.push_str(&placeholder);
        placeholder
    } else {
        let value = key_value(r, word, name);
        let escape = tape.chance(25);
        let mut points = vec![g.target.len()];
        for b in value.bytes() {
            if escape && r.chance(30) {
                g.target.push_str(&r.escape(b));
            } else {
                g.target.push(char::from(b));
            }
            points.push(g.target.len());
        }
        g.keys.push(KeySpan {
            start,
            end: g.target.len(),
            points,
            paren,
            word,
            name,
        });
        value
    };
    if paren {
        g.target.push_str("')");
    }
    // Template: canonical placeholder name; canonical form: the decoded key
    // (or the placeholder as written).
    g.template.push_str("/{");
    g.template.push_str(name);
    g.template.push('}');
    g.canonical.push('/');
    g.canonical.push_str(&value);
    g.params.push((name.to_string(), value));
}

/// A path-based address after a DriveItem step (SPEC 1.4): 1 to 4 names of
/// any characters but the forbidden ones, percent-encoded where needed (and
/// now and then where not), or in a template a placeholder.
fn push_address(g: &mut Generated, tape: &mut Tape, r: &mut Rng, opts: &Options) {
    g.target.push(':');
    g.slashes.push(g.target.len());
    g.target.push('/');
    let start = g.target.len();
    let (value, canonical) = if opts.template && tape.chance(50) {
        let placeholder = if tape.chance(50) { "{path}" } else { "{p-1}" };
        g.target.push_str(placeholder);
        (placeholder.to_string(), placeholder.to_string())
    } else {
        let mut names = Vec::new();
        let mut points = vec![g.target.len()];
        for i in 0..=tape.below(4) {
            if i > 0 {
                // Unclosed after a name: `incomplete` at the end.
                g.cuts.push(g.target.len());
                g.slashes.push(g.target.len());
                g.target.push('/');
                points.push(g.target.len());
            }
            let mut name: String = (0..=tape.below(8))
                .map(|_| *tape.pick(NAME_CHARS))
                .collect();
            if name == "." || name == ".." {
                name.push('x');
            }
            // Now and then a name shaped like a placeholder, `{a}`: written
            // escaped, it is a literal, in templates too.
            if tape.chance(10) {
                name = format!("{{{}}}", r.string(b"aZ9_-", 1, 4));
            }
            for c in name.chars() {
                if is_raw_safe_in_path(c) && !r.chance(15) {
                    g.target.push(c);
                } else {
                    let mut buf = [0u8; 4];
                    for &b in c.encode_utf8(&mut buf).as_bytes() {
                        g.target.push_str(&r.escape(b));
                    }
                }
                points.push(g.target.len());
            }
            names.push(name);
        }
        g.paths.push(PathSpan { start, points });
        let value = names.join("/");
        let canonical = canonical_path(&value);
        (value, canonical)
    };
    g.cuts.push(g.target.len());
    g.target.push(':');
    g.template.push_str(":/{path}:");
    g.canonical.push_str(":/");
    g.canonical.push_str(&canonical);
    g.canonical.push(':');
    g.params.push(("path".to_string(), value));
}

// ---------------------------------------------------------------------------
// Running the crate.
// ---------------------------------------------------------------------------

fn parser(o: &Options) -> Parser {
    Parser::new()
        .documented_only(o.documented_only)
        .max_target_len(o.max_len)
        .max_segments(o.max_segments)
        .max_key_len(o.max_key)
        .max_path_chars(o.max_path)
        .versions(o.versions.clone())
        .hosts(o.hosts.clone())
}

fn outcome(result: Result<Route<'_>, Error>) -> Outcome {
    match result {
        Ok(route) => Outcome::Ok {
            template: route.template().into_owned(),
            documented: route.is_documented(),
            params: route
                .params()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            canonical: route.to_string(),
            version: route.version().map(str::to_string),
            query: route.query().map(str::to_string),
        },
        Err(e) => Outcome::Err {
            kind: e.kind().as_str(),
            offset: e.offset(),
        },
    }
}

/// The crate's outcome for `target` (and `method`, when given), through
/// every entry point that applies; they must all agree.
fn crate_outcome(o: &Options, method: Option<&[u8]>, target: &[u8]) -> Outcome {
    let p = parser(o);
    let result = match (o.template, method) {
        (false, None) => outcome(p.parse_bytes(target)),
        (false, Some(m)) => outcome(p.classify_bytes(m, target)),
        (true, None) => outcome(p.parse_template_bytes(target)),
        (true, Some(m)) => {
            let mut line = m.to_vec();
            line.push(b' ');
            line.extend_from_slice(target);
            assert!(m.iter().all(u8::is_ascii_uppercase) && !m.is_empty());
            outcome(p.classify_template_line(&line))
        }
    };
    // The `&str` twins and the CLI line form are thin wrappers: same result.
    if let Ok(text) = std::str::from_utf8(target) {
        let other = match (o.template, method) {
            (false, None) => outcome(p.parse(text)),
            (false, Some(m)) => match std::str::from_utf8(m) {
                Ok(m) => outcome(p.classify(m, text)),
                Err(_) => result.clone(),
            },
            (true, None) => outcome(p.parse_template(text)),
            (true, Some(_)) => result.clone(),
        };
        assert_eq!(result, other, "bytes and &str entry points differ");
    }
    if !o.template {
        if let Some(m) = method.filter(|m| !m.is_empty() && m.iter().all(u8::is_ascii_uppercase)) {
            let mut line = m.to_vec();
            line.push(b' ');
            line.extend_from_slice(target);
            assert_eq!(
                result,
                outcome(p.classify_line(&line)),
                "classify_line differs"
            );
        }
    }
    result
}

fn reference_outcome(o: &Options, method: Option<&[u8]>, target: &[u8]) -> Outcome {
    reference::classify(o, method, target)
}

/// Parses the canonical form of an accepted route again.
fn reparse(o: &Options, canonical: &str) -> Outcome {
    let p = parser(o);
    if o.template {
        outcome(p.parse_template(canonical))
    } else {
        outcome(p.parse(canonical))
    }
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------
// Options.
// ---------------------------------------------------------------------------

/// Non-default options now and then: small limits, other versions and
/// hosts (some overlapping keywords, some empty), documented-only.
fn options(tape: &mut Tape, template: bool) -> Options {
    let mut o = Options {
        template,
        ..Options::default()
    };
    if !tape.chance(40) {
        return o;
    }
    o.documented_only = tape.chance(25);
    if tape.chance(15) {
        o.max_len = tape.below(300);
    }
    if tape.chance(25) {
        o.max_segments = tape.below(20);
    }
    if tape.chance(25) {
        o.max_key = tape.below(50);
    }
    if tape.chance(25) {
        o.max_path = tape.below(25);
    }
    if tape.chance(25) {
        let lists: &[&[&str]] = &[
            &[],
            &["v1.0"],
            &["V2.0", "Beta"],
            &["me", "v1.0"],
            &["drive"],
            &["x_y-z~1", "BETA"],
        ];
        o.versions = tape.pick(lists).iter().map(ToString::to_string).collect();
    }
    if tape.chance(25) {
        let lists: &[&[&str]] = &[
            &[],
            &["example.com"],
            &["GRAPH.MICROSOFT.COM", "localhost"],
            &["graph.microsoft.com:443"],
            &["a-b.example"],
        ];
        o.hosts = tape.pick(lists).iter().map(ToString::to_string).collect();
    }
    o
}

// ---------------------------------------------------------------------------
// Mutations with a known outcome (SPEC 1.5, 2, 6).
// ---------------------------------------------------------------------------

/// A mutated request and the error it must give.
#[derive(Debug)]
struct Mutant {
    what: String,
    target: Vec<u8>,
    method: Option<Vec<u8>>,
    opts: Options,
    expected: Outcome,
}

fn err(kind: &'static str, offset: usize) -> Outcome {
    Outcome::Err { kind, offset }
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

/// Words that are not keywords of the model (SPEC 2 `unknown_segment`).
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

/// One mutation of `g`, with the outcome the SPEC gives it. `None` when the
/// chosen mutation does not apply to this route.
#[allow(clippy::too_many_lines)]
fn mutate(tape: &mut Tape, g: &Generated, opts: &Options) -> Option<Mutant> {
    let t = g.target.as_str();
    let mut r = tape.rng();
    let mut mutant = Mutant {
        what: String::new(),
        target: Vec::new(),
        method: None,
        opts: opts.clone(),
        expected: err("syntax", 0),
    };
    match tape.below(17) {
        3 | 14 | 15 if g.keys.is_empty() => return None,
        4 if g.paths.is_empty() => return None,
        // `//`: an empty segment, `syntax` at the second `/`.
        0 => {
            let at = *tape.pick(&g.slashes) + 1;
            mutant.what = format!("`//` at {at}");
            mutant.target = insert(t, at, b"/");
            mutant.expected = err("syntax", at);
        }
        // A trailing `/`: `syntax` at that `/`.
        1 => {
            mutant.what = "trailing `/`".into();
            mutant.target = insert(t, g.path_end, b"/");
            mutant.expected = err("syntax", g.path_end);
        }
        // A dot segment, raw or encoded: `syntax` at its start.
        2 => {
            let mut places = g.slashes.clone();
            places.push(g.path_end);
            let at = *tape.pick(&places);
            let dots = *r.pick(&["/.", "/..", "/%2e", "/%2E%2e", "/.%2E", "/%2e."]);
            mutant.what = format!("`{dots}` at {at}");
            mutant.target = insert(t, at, dots.as_bytes());
            mutant.expected = err("syntax", at + 1);
        }
        // An escape not allowed in a key: `encoding` at its `%`.
        3 => {
            let key = tape.pick(&g.keys);
            let at = *tape.pick(&key.points);
            let bad = *r.pick(&[
                "%2F", "%2f", "%5C", "%3F", "%23", "%00", "%1F", "%0a", "%7F", "%80", "%C3", "%ff",
            ]);
            mutant.what = format!("`{bad}` in a key at {at}");
            mutant.target = insert(t, at, bad.as_bytes());
            mutant.expected = err("encoding", at);
        }
        // In a path value: `%2F` or bad UTF-8 is `encoding` at the `%`; a
        // forbidden character is `invalid_id` at the value's start.
        4 => {
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
        // A raw byte outside the allowed set: `syntax` at that byte.
        5 => {
            let points = escape_safe_points(t.as_bytes());
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
            if !opts.template || g.query.as_ref().is_some_and(|_| at > g.path_end) {
                bad.push(b"{");
                bad.push(b"}");
            }
            let bytes = *r.pick(&bad);
            mutant.what = format!("{:?} at {at}", show(bytes));
            mutant.target = insert(t, at, bytes);
            mutant.expected = err("syntax", at);
        }
        // The cast where the type is not a BaseItem: `nesting` at its start.
        6 => {
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
        // An unknown word where a step could start: `unknown_segment`, or
        // `nesting` after the action.
        7 => {
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
        // A keyword replaced by an unknown word: `unknown_segment` there.
        8 => {
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
        // A `%` in a keyword: `encoding` at that `%`, never the keyword.
        9 => {
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
        // The path cut before the action: `incomplete` at the cut (the query,
        // if any, stays).
        10 => {
            let at = *tape.pick(&g.cuts);
            mutant.what = format!("cut at {at}");
            let mut out = t.as_bytes()[..at].to_vec();
            out.extend_from_slice(&t.as_bytes()[g.path_end..]);
            mutant.target = out;
            mutant.expected = err("incomplete", at);
        }
        // Another method: `method` at 0.
        11 => {
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
        // One byte over the length limit: `limit` at the limit.
        12 => {
            let limit = tape.below(t.len());
            mutant.what = format!("max length {limit}");
            mutant.target = t.as_bytes().to_vec();
            mutant.opts.max_len = limit;
            mutant.expected = err("limit", limit);
        }
        // Documented-only: `undocumented` at 0 unless documented.
        13 => {
            mutant.what = "documented-only".into();
            mutant.target = t.as_bytes().to_vec();
            mutant.opts.documented_only = true;
            mutant.expected = if g.documented() {
                g.expected()
            } else {
                err("undocumented", 0)
            };
        }
        // A byte outside the key alphabet: `invalid_id` at the key start.
        14 => {
            let key = tape.pick(&g.keys);
            let at = *tape.pick(&key.points);
            let mut bad = vec![
                "%20", "%25", "%3A", "%2B", "%27", "%28", "%7E%3D", "$", "*", "+", "=", "&", "(",
                ")",
            ];
            if !key.paren {
                bad.push("'");
            }
            let bytes = *r.pick(&bad);
            mutant.what = format!("`{bytes}` in a key at {at}");
            mutant.target = insert(t, at, bytes.as_bytes());
            mutant.expected = err("invalid_id", key.start);
        }
        // A key that breaks its per-key rule (SPEC 1.4), or an empty or dot
        // `('key')` (decision (d)).
        15 => {
            let key = tape.pick(&g.keys);
            // A dot key, in any form (`/..`, `('..')`, `..:` before an
            // address): `syntax` at the key start (SPEC 1.4, decision (d)).
            let (value, expected): (&str, Outcome) = if r.chance(40) {
                (
                    *r.pick(&[".", "..", "%2e", "%2E.", "%2e%2E"]),
                    err("syntax", key.start),
                )
            } else if key.word == "special" {
                (
                    *r.pick(&["Documentz", "docs", "Desktop", "root", "Document%73x"]),
                    err("invalid_id", key.start),
                )
            } else if key.name == "sharesId" {
                (
                    *r.pick(&["U!abc", "u!", "s%21", "s", "abc", "a!bc", "S!x", "%75!"]),
                    err("invalid_id", key.start),
                )
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
        // Template mode: a brace in the query is a bad byte (decision (b)).
        _ => {
            if !opts.template {
                return None;
            }
            let mut out = t.as_bytes().to_vec();
            let at = if g.query.is_some() {
                let query_start = g.path_end + 1;
                query_start + r.below(t.len() - query_start + 1)
            } else {
                out.push(b'?');
                out.len()
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
    }
    Some(mutant)
}

// ---------------------------------------------------------------------------
// Free-form mutations for the differential property.
// ---------------------------------------------------------------------------

const HAVOC_TOKENS: &[&[u8]] = &[
    b"/",
    b"//",
    b":",
    b":/",
    b"/:",
    b"%",
    b"%2",
    b"%2F",
    b"%2e",
    b".",
    b"..",
    b"(",
    b")",
    b"'",
    b"('",
    b"')",
    b"('x')",
    b"{",
    b"}",
    b"{x}",
    b"{path}",
    b"?",
    b"#",
    b"%C3%A9",
    b"%80",
    b"%00",
    b" ",
    b"\xff",
    b"@",
    b":443",
    b":80",
    b"microsoft.graph.checkout",
    b"checkout",
    b"items",
    b"root",
    b"v1.0",
    b"*",
    b"\"",
    b"|",
    b"%3A",
    b"%20",
    b"u!",
    b"s!",
    b"https://",
    b"/me",
    b"microsoft.graph.sharedDriveItem",
    b"special",
    b"documents",
    b"%2e%2e",
    b"\\",
    b";",
];

/// One to three random edits anywhere, escapes and structure included.
fn havoc(tape: &mut Tape, target: &[u8]) -> Vec<u8> {
    let mut t = target.to_vec();
    let mut r = tape.rng();
    for _ in 0..=tape.below(3) {
        let at = r.below(t.len() + 1);
        match tape.below(6) {
            0 | 1 => {
                let token = *r.pick(HAVOC_TOKENS);
                t.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + 1 + r.below(8)).min(t.len());
                t.drain(at..end);
            }
            3 => {
                // Duplicate a run (segments, keys, escapes).
                let end = (at + 1 + r.below(30)).min(t.len());
                let run = t[at..end].to_vec();
                t.splice(end..end, run);
            }
            4 => {
                if at < t.len() {
                    t[at] = *r.pick(b"/:%()'{}.?!2Fa~=@");
                }
            }
            _ => {
                if at < t.len() {
                    t[at] = t[at].to_ascii_uppercase();
                }
                t.truncate(r.below(t.len() + 1).max(at));
            }
        }
    }
    t
}

/// Pieces of targets for [`soup`]: every kind of segment, separator and
/// escape the SPEC talks about.
const SOUP: &[&str] = &[
    "/",
    "/",
    "/",
    "/",
    "//",
    ":",
    ":/",
    "/:",
    "(",
    ")",
    "'",
    "('",
    "')",
    "('x')",
    "('')",
    "?",
    "%2F",
    "%2e",
    "%2E%2e",
    "%41",
    "%21",
    "%C3%A9",
    "%ff",
    "%00",
    "%3A",
    "%",
    "%4",
    ".",
    "..",
    "{",
    "}",
    "{x}",
    "{path}",
    "{drive-id}",
    "me",
    "drive",
    "drives",
    "root",
    "items",
    "children",
    "special",
    "documents",
    "shares",
    "u!x",
    "s!",
    "sites",
    "users",
    "groups",
    "workbooks",
    "joinedTeams",
    "listItem",
    "driveItem",
    "analytics",
    "itemActivityStats",
    "activities",
    "microsoft.graph.sharedDriveItem",
    "microsoft.graph.checkout",
    "checkout",
    "CheckOut",
    "v1.0",
    "BETA",
    "localtest",
    "https://",
    "https:/",
    "HTTPS://graph.microsoft.com",
    "graph.microsoft.com",
    ":443",
    "@",
    "b!x",
    "01ABC",
    "a",
    "Z9",
    "*",
    "#",
    " ",
    "\\",
];

/// A target made of 1 to 14 random pieces (mostly after a leading `/`).
fn soup(tape: &mut Tape) -> Vec<u8> {
    let mut t = String::new();
    if tape.below(5) != 0 {
        t.push('/');
    }
    for _ in 0..=tape.below(14) {
        t.push_str(SOUP[tape.below(SOUP.len())]);
    }
    t.into_bytes()
}

// ---------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------

fn tape() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(any::<u32>(), 0..160)
}

/// `cases` per property, unless `PROPTEST_CASES` asks for another number
/// (for a long run: `PROPTEST_CASES=100000 cargo test --release --test
/// properties`).
fn config(cases: u32) -> ProptestConfig {
    let from_env = std::env::var("PROPTEST_CASES").is_ok();
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if from_env { default.cases } else { cases },
        // Failing seeds go to the crate's `proptest-regressions/` folder and
        // are replayed first on every run.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..default
    }
}

proptest! {
    #![proptest_config(config(4096))]

    /// (a) Every walk through the type graph, with real ID shapes and every
    /// spelling the SPEC allows, is accepted with exactly the template,
    /// params, canonical form, version and query the generator knows; and
    /// the canonical form parses to the same template and params.
    #[test]
    fn generated_routes_are_accepted(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = Options { template, ..Options::default() };
        let g = generate(&mut tape, &o);
        let target = g.target.as_bytes();
        let expected = if target.len() > o.max_len {
            err("limit", o.max_len)
        } else {
            g.expected()
        };
        let got = crate_outcome(&o, None, target);
        prop_assert_eq!(&got, &expected, "crate on {}", g.target);
        let reference = reference_outcome(&o, None, target);
        prop_assert_eq!(&reference, &expected, "reference on {}", g.target);

        if let Outcome::Ok { canonical, .. } = &got {
            let again = reparse(&o, canonical);
            let Outcome::Ok { template, params, .. } = &again else {
                return Err(TestCaseError::fail(format!(
                    "canonical {canonical} of {} does not parse: {again:?}",
                    g.target
                )));
            };
            prop_assert_eq!(template, &g.template);
            prop_assert_eq!(params, &g.params);
            let again = reference_outcome(&o, None, canonical.as_bytes());
            let Outcome::Ok { template, params, .. } = &again else {
                return Err(TestCaseError::fail(format!(
                    "reference: canonical {canonical} does not parse: {again:?}"
                )));
            };
            prop_assert_eq!(template, &g.template);
            prop_assert_eq!(params, &g.params);
        }
    }

    /// (b) One mutation of a valid route gives the error the mutation
    /// implies (SPEC 1.5, 2 and 6), in the crate and in the reference.
    #[test]
    fn mutations_are_rejected_as_the_spec_says(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = Options { template, ..Options::default() };
        let g = generate(&mut tape, &o);
        prop_assume!(g.target.len() <= o.max_len);
        let Some(m) = (0..4).find_map(|_| mutate(&mut tape, &g, &o)) else {
            return Ok(());
        };
        // A mutation that pushes the target over the limit gives `limit`
        // first; only the limit mutation itself may do that.
        prop_assume!(m.target.len() <= m.opts.max_len || m.expected == err("limit", m.opts.max_len));
        let method = m.method.as_deref();
        let got = crate_outcome(&m.opts, method, &m.target);
        prop_assert_eq!(
            &got, &m.expected,
            "crate on {:?} ({} of {})", show(&m.target), m.what, g.target
        );
        let reference = reference_outcome(&m.opts, method, &m.target);
        prop_assert_eq!(
            &reference, &m.expected,
            "reference on {:?} ({} of {})", show(&m.target), m.what, g.target
        );
    }

    /// (c) On generated, mutated and havocked requests and templates, with
    /// default and other options, the crate and the reference agree exactly.
    #[test]
    fn crate_agrees_with_the_reference(values in tape(), template in any::<bool>()) {
        let mut tape = Tape::new(values);
        let o = options(&mut tape, template);
        let g = generate(&mut tape, &o);
        let (target, method, o) = match tape.below(4) {
            0 => (g.target.as_bytes().to_vec(), None, o),
            3 => (soup(&mut tape), None, o),
            1 => match (0..4).find_map(|_| mutate(&mut tape, &g, &o)) {
                Some(m) => (m.target, m.method, m.opts),
                None => (g.target.as_bytes().to_vec(), None, o),
            },
            _ => (havoc(&mut tape, g.target.as_bytes()), None, o),
        };
        // Now and then an explicit `POST`, through the method-taking entry
        // points and the CLI line form.
        let method = match method {
            None if tape.chance(30) => Some(b"POST".to_vec()),
            other => other,
        };
        // Templates only take a method through the CLI line form.
        let method = method.filter(|m| {
            !o.template || (!m.is_empty() && m.iter().all(u8::is_ascii_uppercase))
        });
        let got = crate_outcome(&o, method.as_deref(), &target);
        let reference = reference_outcome(&o, method.as_deref(), &target);
        prop_assert_eq!(
            &got, &reference,
            "crate (left) and reference (right) differ on {:?} (template mode {}, method {:?}, options {:?})",
            show(&target), o.template, method.as_deref().map(show), o
        );
    }
}

// ---------------------------------------------------------------------------
// The project's decisions where the SPEC is ambiguous, pinned.
// ---------------------------------------------------------------------------

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

/// Corner cases of SPEC 6, most of them the project decisions (a) to (g)
/// listed in `tests/reference/mod.rs`: the crate and the reference must both
/// give exactly this. A `T ` prefix means template mode.
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
    // SPEC 1.4 "Key `.` or `..` is a dot segment", also before an address.
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
    // (f) Unclosed: after the inner segments' checks, before the value's.
    ("/me/drive/root:/a%FF/b", Want::Err("incomplete", 22)),
    ("/me/drive/root:/a%FF/b%2F", Want::Err("encoding", 22)),
    ("/me/drive/root:/a/%2e", Want::Err("syntax", 18)),
    ("/me/drive/root:/a%3F", Want::Err("incomplete", 20)),
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
    // Other corners of SPEC 6 that the generators reach only rarely.
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
];

#[test]
fn corners_follow_the_project_decisions() {
    let mut failures = Vec::new();
    for (input, want) in CORNERS {
        let (template, target) = match input.strip_prefix("T ") {
            Some(rest) => (true, rest),
            None => (false, *input),
        };
        let o = Options {
            template,
            ..Options::default()
        };
        let want = want.outcome();
        for (who, got) in [
            ("crate", crate_outcome(&o, None, target.as_bytes())),
            ("reference", reference_outcome(&o, None, target.as_bytes())),
        ] {
            if got != want {
                failures.push(format!("{who}: {input}\n  got  {got:?}\n  want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// SPEC 1.4 "Key `.` or `..` is a dot segment" and decision (d), with small
/// key limits: SPEC 6 checks dot segments before the position's own checks
/// (the key limit among them), so a dot key is `syntax` at the key start
/// under any key limit, as `/items/..` is, also when it is not a whole URL
/// segment: `('..')`, or `..:` before a path-based address. (The crate
/// checks the limit first there: `limit` at 17 for `items('..')` with
/// `max_key_len(0)`.)
#[test]
fn dot_keys_are_syntax_under_any_key_limit() {
    let mut failures = Vec::new();
    for max_key in 0..3 {
        let o = Options {
            max_key,
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
                        "{who}: {target} with max_key {max_key}: got {got:?}, want {want:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The 20 templates of SPEC 1.3, as the reference writes them, are the
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

/// Where a path-based address can stand, with the template it gives.
const PATH_BASES: [(&str, &str); 4] = [
    ("/me/drive/root", "/me/drive/root:/{path}:/checkout"),
    (
        "/drives/b!x/items/01AB",
        "/drives/{drivesId}/items/{driveItemId}:/{path}:/checkout",
    ),
    (
        "/me/drive/special/Documents",
        "/me/drive/special/{driveItemId}:/{path}:/checkout",
    ),
    (
        "/shares/u!x/driveItem",
        "/shares/{sharesId}/driveItem:/{path}:/checkout",
    ),
];

proptest! {
    #![proptest_config(config(1024))]

    /// (issue 4) A path-based address of any allowed names, escaped as a
    /// client would (everything but the raw-safe ASCII, plus needless
    /// escapes of safe characters now and then), gives exactly its decoded
    /// value as `path`; and the route round-trips through `Display`: the
    /// canonical form parses to the same params and prints itself again.
    #[test]
    fn path_addresses_round_trip_through_display(
        names in prop::collection::vec(
            prop::collection::vec(prop::sample::select(NAME_CHARS), 1..10),
            1..5,
        ),
        needless in prop::collection::vec(any::<bool>(), 40),
        base in 0..PATH_BASES.len(),
    ) {
        let names: Vec<String> = names.into_iter().map(String::from_iter).collect();
        prop_assume!(names.iter().all(|name| name != "." && name != ".."));
        let value = names.join("/");
        let mut flips = needless.iter().cycle();
        let mut encoded = String::new();
        for c in value.chars() {
            let escape = c != '/'
                && (!is_raw_safe_in_path(c) || *flips.next().unwrap_or(&false));
            if escape {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    write!(encoded, "%{b:02X}").expect("writing to a String cannot fail");
                }
            } else {
                encoded.push(c);
            }
        }
        let (prefix, template) = PATH_BASES[base];
        let target = format!("{prefix}:/{encoded}:/checkout");

        let route = graph_checkout_route::parse(&target)
            .map_err(|e| TestCaseError::fail(format!("{target}: {} at {}: {e}", e.kind(), e.offset())))?;
        prop_assert_eq!(route.template(), template);
        let params: Vec<(&str, &str)> = route.params().collect();
        prop_assert_eq!(params.last().copied(), Some(("path", value.as_str())), "{}", target);

        let canonical = route.to_string();
        prop_assert!(canonical.ends_with(&format!(":/{}:/checkout", canonical_path(&value))), "{}", canonical);
        let again = graph_checkout_route::parse(&canonical)
            .map_err(|e| TestCaseError::fail(format!("{canonical}: {e}")))?;
        let again_params: Vec<(&str, &str)> = again.params().collect();
        prop_assert_eq!(&again_params, &params);
        prop_assert_eq!(again.to_string(), canonical.as_str());
    }
}
