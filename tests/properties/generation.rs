//! Generated routes: a walk through the reference's type graph, rendered
//! into a target, with everything the generator knows about it (what it
//! must classify as, and where the mutations can cut or insert).
//!
//! The walk takes the rows of the target's graph (DESIGN §1.2 "Versions"):
//! a v1.0 request only `both` rows, anything else any row (decision (h)).

use crate::ids::key_value;
use crate::reference::{address_to, Edge, Graph, Options, Outcome, Ty, BASEURL, DOCUMENTED, GRAPH};
use crate::tape::{Rng, Tape};

/// A literal key in the target, with the offsets where a byte string can be
/// inserted without splitting an escape.
#[derive(Debug, Clone)]
pub struct KeySpan {
    pub start: usize,
    pub end: usize,
    pub points: Vec<usize>,
    pub paren: bool,
    pub word: &'static str,
    pub name: &'static str,
}

/// A literal path value, with insertion points between characters.
#[derive(Debug, Clone)]
pub struct PathSpan {
    pub start: usize,
    pub points: Vec<usize>,
}

/// A route built from a walk through the type graph, with everything the
/// generator knows about it.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub target: String,
    // What the target must classify as (computed here, by the generator).
    pub template: String,
    pub params: Vec<(String, String)>,
    pub canonical: String,
    pub version: Option<String>,
    pub query: Option<String>,
    // Structure, for mutations.
    pub absolute: bool,
    /// Offset of the path's first `/`.
    pub path_start: usize,
    /// End of the path: the `?`, a template's trailing query expression, or
    /// the end of the target.
    pub path_end: usize,
    /// End of the query (if any): the start of the query expression, or the
    /// end of the target.
    pub query_end: usize,
    /// Template mode: the target starts with `{+baseurl}` (decision (l)).
    pub baseurl: bool,
    /// Template mode: the offset of the trailing query expression `{?a,b}`
    /// (decision (m)).
    pub expression: Option<usize>,
    /// The route was walked on the v1.0 graph (decision (h)).
    pub v1: bool,
    /// Offsets of the `/` bytes of the path.
    pub slashes: Vec<usize>,
    /// Where a new step could start (`/` of a step, or `path_end`) and the
    /// type there; `first` marks the origin-form first segment (which is
    /// tried as a version).
    pub boundaries: Vec<(usize, Ty, bool)>,
    /// Spans of keyword words (without `('key')` or an address `:`), with
    /// the `first` flag as above.
    pub keywords: Vec<(usize, usize, bool)>,
    pub keys: Vec<KeySpan>,
    pub paths: Vec<PathSpan>,
    /// Offsets where cutting the path gives a valid prefix that ends before
    /// the action (`incomplete` at the cut).
    pub cuts: Vec<usize>,
    /// Where a `:/x:` could open a path-based address: right after a
    /// keyword or a key (not after an address), with the type there.
    pub openers: Vec<(usize, Ty)>,
}

impl Generated {
    /// The rows the route was walked on.
    pub fn graph(&self) -> Graph {
        if self.v1 {
            Graph::V1
        } else {
            Graph::All
        }
    }

    pub fn documented(&self) -> bool {
        DOCUMENTED.contains(&self.template.as_str())
    }

    pub fn expected(&self) -> Outcome {
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

/// DESIGN §6 "Output": a path value re-encoded minimally, uppercase hex.
/// (Written again here so that the generator does not lean on the
/// reference.)
pub fn canonical_path(value: &str) -> String {
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
pub const NAME_CHARS: &[char] = &[
    'a', 'b', 'Q', 'Z', '0', '7', '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '+', ',', '=',
    '@', ' ', '#', '%', ';', '[', ']', '{', '}', '^', '`', 'é', 'О', 'т', 'ч', '€', '日', '本',
    '😀', 'ß', '\u{a0}',
];

pub fn is_raw_safe_in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()+,=@".contains(c)
}

/// A path name of [`NAME_CHARS`] changed, if need be, so that the naming
/// rules of DESIGN §1.4 accept it (written again here, like
/// [`canonical_path`], not taken from the reference): a `%` before two hex
/// digits gets a `_` after it (a second decoding would read an escape); a
/// name a Windows-based store would read as another (a leading or trailing
/// space, or no-break space, which NFKC folds to a space; a trailing `.`; a
/// leading `~$`), and `.` or `..`, get an `n` at both ends. The other
/// characters of [`NAME_CHARS`] spell no reserved name and fold to
/// themselves under NFKC.
pub fn valid_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let hex = |k: usize| chars.get(k).is_some_and(char::is_ascii_hexdigit);
        if c == '%' && hex(i + 1) && hex(i + 2) {
            out.push('_');
        }
    }
    let edge = |c: char| c == ' ' || c == '\u{a0}';
    if out.starts_with(edge) || out.ends_with(edge) || out.ends_with('.') || out.starts_with("~$") {
        out = format!("n{out}n");
    }
    out
}

/// DESIGN §6 "Output" and decision (q): a decoded key as the canonical form
/// prints it: as it is, but a space (of a `listId`) as `%20` and a `:` that
/// ends the key (of a `channelId`) as `%3A`. (Written again here, like
/// [`canonical_path`].)
pub fn canonical_key(value: &str) -> String {
    let last = value.len().saturating_sub(1);
    value
        .bytes()
        .enumerate()
        .map(|(i, b)| match b {
            b' ' => "%20".to_string(),
            b':' if i == last => "%3A".to_string(),
            _ => char::from(b).to_string(),
        })
        .collect()
}

/// An RFC 6570 variable name (decision (n)): letters, digits, `_ - .` and
/// now and then a `%XX` (`drive%2Did`).
pub fn placeholder_name(r: &mut Rng) -> String {
    let mut name = String::new();
    for _ in 0..=r.below(10) {
        if r.chance(15) {
            const ESCAPES: [&str; 6] = ["%2D", "%2d", "%5F", "%2E", "%24", "%40"];
            name.push_str(ESCAPES[r.below(ESCAPES.len())]);
        } else {
            name.push(char::from(*r.pick(b"ABCXYZabcxyz0189_-.".as_slice())));
        }
    }
    name
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

/// The edges of `graph` allowed from `ty`, the action first (so that a 0
/// draw ends the route).
fn edges_from(ty: Ty, graph: Graph) -> Vec<&'static Edge> {
    let mut edges: Vec<&Edge> = GRAPH
        .iter()
        .filter(|e| e.from == ty && graph.has(e.versions))
        .collect();
    edges.sort_by_key(|e| e.to != Ty::Done);
    edges
}

/// Fewest rows of `graph` from `ty` to the action.
fn distance(ty: Ty, graph: Graph) -> usize {
    let mut known = vec![(Ty::Done, 0)];
    loop {
        let mut changed = false;
        for e in GRAPH.iter().filter(|e| graph.has(e.versions)) {
            let Some(&(_, d)) = known.iter().find(|(t, _)| *t == e.to) else {
                continue;
            };
            match known.iter_mut().find(|(t, _)| *t == e.from) {
                Some(k) if k.1 <= d + 1 => {}
                Some(k) => {
                    k.1 = d + 1;
                    changed = true;
                }
                None => {
                    known.push((e.from, d + 1));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    known
        .iter()
        .find(|(t, _)| *t == ty)
        .map_or(usize::MAX, |&(_, d)| d)
}

pub fn generate(tape: &mut Tape, opts: &Options) -> Generated {
    let mut r = tape.rng();
    let mut g = Generated::default();

    // Target form and version (DESIGN §1.1).
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
    } else if opts.template && tape.chance(25) {
        // Kiota's templates start with `{+baseurl}` (DESIGN §6 "Templates").
        g.target.push_str(std::str::from_utf8(BASEURL).unwrap());
        g.baseurl = true;
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
        g.v1 = Graph::of(Some(&version), opts.template) == Graph::V1;
        g.version = Some(version);
        g.cuts.push(g.target.len());
    }
    let first_is_keyword = g.version.is_none();

    // The walk through the type graph (DESIGN §1.2), on the target's rows.
    let graph = g.graph();
    let mut ty = Ty::Root;
    let mut steps = 0;
    loop {
        let first = first_is_keyword && steps == 0;
        g.boundaries.push((g.target.len(), ty, first));
        if steps > 0 {
            g.cuts.push(g.target.len());
        }
        let edges = edges_from(ty, graph);
        let actions = edges.iter().filter(|e| e.to == Ty::Done).count();
        let edge = if actions > 0 && (steps >= MAX_STEPS || !tape.chance(60)) {
            edges[tape.below(actions)]
        } else if steps >= MAX_STEPS {
            // Long enough: the shortest way on to the action (the graph has
            // cycles: subsites, a team's group's team, casts back to a Site).
            let nearest = edges.iter().map(|e| distance(e.to, graph)).min().unwrap();
            *edges
                .iter()
                .find(|e| distance(e.to, graph) == nearest)
                .unwrap()
        } else {
            edges[actions + tape.below(edges.len() - actions)]
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
        g.openers.push((g.target.len(), ty));
        if ty == Ty::Done {
            break;
        }
        // A path-based address on a DriveItem, or a site by path on a Site
        // (DESIGN §1.4, decisions (p) and (r)).
        if address_to(ty, graph).is_some() && tape.chance(25) {
            push_address(&mut g, tape, &mut r, opts, ty);
        }
    }
    g.path_end = g.target.len();
    g.boundaries.push((g.target.len(), Ty::Done, false));
    push_query(&mut g, tape, &mut r, opts);
    g
}

/// A query, exposed raw (DESIGN §1.1), and in a template a trailing query
/// expression.
fn push_query(g: &mut Generated, tape: &mut Tape, r: &mut Rng, opts: &Options) {
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
    g.query_end = g.target.len();

    // Template mode: a trailing RFC 6570 query expression, dropped
    // (DESIGN §6 "Templates", decision (m)).
    if opts.template && tape.chance(20) {
        g.expression = Some(g.target.len());
        g.target.push_str("{?");
        for i in 0..=tape.below(3) {
            if i > 0 {
                g.target.push(',');
            }
            g.target.push_str(&placeholder_name(r));
        }
        g.target.push('}');
    }
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
    let (value, canonical) = if opts.template && tape.chance(70) {
        let placeholder = if tape.chance(50) {
            format!("{{{name}}}")
        } else {
            format!("{{{}}}", placeholder_name(r))
        };
        g.target.push_str(&placeholder);
        (placeholder.clone(), placeholder)
    } else {
        let value = key_value(r, word, name);
        let escape = tape.chance(25);
        let mut points = vec![g.target.len()];
        let last = value.len() - 1;
        for (i, b) in value.bytes().enumerate() {
            // A space (of a list title) only as `%20`: a raw one is a bad
            // byte. A raw `:` ending a key segment would open an address
            // (decision (o)); elsewhere a channel id's `:` is raw or `%3A`.
            let must = b == b' ' || (b == b':' && i == last && !paren);
            if must || (b == b':' && r.chance(30)) || (escape && r.chance(30)) {
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
        let canonical = canonical_key(&value);
        (value, canonical)
    };
    if paren {
        g.target.push_str("')");
    }
    // Template: canonical placeholder name; canonical form: the decoded key
    // (decision (q)), or the placeholder as written.
    g.template.push_str("/{");
    g.template.push_str(name);
    g.template.push('}');
    g.canonical.push('/');
    g.canonical.push_str(&canonical);
    g.params.push((name.to_string(), value));
}

/// A path-based address after a DriveItem or Site step (DESIGN §1.4): 1 to
/// 4 names of any characters but the forbidden ones, that the naming rules
/// accept ([`valid_name`]), percent-encoded where needed (and now and then
/// where not), or in a template a placeholder. On a Site, now and then a
/// server-relative site path (`sites/Marketing`).
fn push_address(g: &mut Generated, tape: &mut Tape, r: &mut Rng, opts: &Options, on: Ty) {
    g.target.push(':');
    g.slashes.push(g.target.len());
    g.target.push('/');
    let start = g.target.len();
    let (value, canonical) = if opts.template && tape.chance(50) {
        let placeholder = match tape.below(3) {
            0 => "{path}".to_string(),
            1 => "{p-1}".to_string(),
            _ => format!("{{{}}}", placeholder_name(r)),
        };
        g.target.push_str(&placeholder);
        (placeholder.clone(), placeholder)
    } else {
        const SITES: &[&str] = &[
            "Marketing",
            "Finance Team",
            "Ventes-Europe",
            "研究",
            "a.b_c~d",
        ];
        let site = (on == Ty::Site && tape.chance(50))
            .then(|| [*r.pick(&["sites", "teams", "personal"]), *r.pick(SITES)]);
        let mut names = Vec::new();
        let mut points = vec![g.target.len()];
        let count = if site.is_some() { 2 } else { 1 + tape.below(4) };
        for i in 0..count {
            if i > 0 {
                // Unclosed after a name: `incomplete` at the end.
                g.cuts.push(g.target.len());
                g.slashes.push(g.target.len());
                g.target.push('/');
                points.push(g.target.len());
            }
            let mut name: String = if let Some(words) = site {
                words[i].to_string()
            } else {
                (0..=tape.below(8))
                    .map(|_| *tape.pick(NAME_CHARS))
                    .collect()
            };
            // Only names the naming rules accept (DESIGN §1.4): not `.` or
            // `..`, nothing a second decoding or a Windows-based store
            // would read as another name.
            name = valid_name(&name);
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
