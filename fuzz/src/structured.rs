//! A generator of valid checkout routes, built on the model of the
//! independent reference (`tests/reference/mod.rs`: its type graph, key
//! rules, byte classes and defaults), never on the crate's: a random walk
//! over the reference's `GRAPH` that knows, for the target it renders, the
//! template, params, version, query and canonical form the crate must
//! report. A row added to `GRAPH` (or to `ADDRESSES`, or a key alphabet to
//! `KEY_ALPHABETS`) is walked with no change here. The version is chosen
//! first: a v1.0 target walks only the rows v1.0 has (DESIGN §1.2
//! "Versions", decision (h)).
//!
//! It generates nothing that issue 12's rules refuse (DESIGN §1.4, §6): no
//! key starts with `@` or `microsoft.graph.`, and no path name has a
//! decoded `%` before two hex digits, a leading or trailing space (or
//! no-break space, which NFKC folds to a space), a trailing `.`, a reserved
//! or device name (`CON`, `desktop.ini`, `com1.txt`, ...), a leading `~$` or
//! `_vti_`. (Its other characters fold to themselves under NFKC, and none
//! is a C1 control.)
//!
//! The rendering varies everything DESIGN says does not matter: keyword
//! casing, `microsoft.graph.checkout` for `checkout`, a version prefix or
//! absolute-form with any allowed host, `:443`, the `('key')` form,
//! percent-escapes of characters that need none, a query. Keys come from the
//! key alphabet and meet their per-key rules; path values avoid the
//! forbidden characters. When the rendering crosses a limit of DESIGN §1.6 the
//! expected outcome is a `limit` error instead.

use std::sync::LazyLock;

use arbitrary::{Result, Unstructured};

use crate::reference::{
    address_to, encode_key, encode_path_value, is_allowed_raw, is_forbidden_path_char, is_key_byte,
    key_extra, key_rules, Edge, Graph, KeyRule, Ty, DEFAULT_HOSTS, DEFAULT_MAX_KEY_LEN,
    DEFAULT_MAX_PATH_CHARS, DEFAULT_MAX_SEGMENTS, DEFAULT_MAX_TARGET_LEN, DEFAULT_VERSIONS,
    DOCUMENTED, GRAPH, SHARE_PREFIXES, SPECIAL_FOLDERS,
};

/// Every ASCII byte once, in the order the generator picks from; which of
/// them go into each alphabet below is the reference's to say.
const ASCII_ORDER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\
    -._~!$&'()*+,=:@/? #%;[]{}^`\"<>\\|\
    \x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\
    \x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f";

/// Characters a path name may hold only percent-encoded beyond the ASCII
/// ones: a sample of non-ASCII text (DESIGN §1.4 forbids none of them).
const NON_ASCII_NAME_CHARS: &[char] = &[
    '\u{e9}',
    '\u{41e}',
    '\u{442}',
    '\u{4e2d}',
    '\u{1f600}',
    '\u{a0}',
    '\u{2028}',
    '\u{fffd}',
];

/// The byte sets the generator picks from, derived once from the
/// reference's byte classes.
struct Alphabets {
    /// The key alphabet (DESIGN §1.4).
    key: Vec<u8>,
    /// What a path name may hold raw: the raw set of DESIGN §1.5 less `%`,
    /// the separator `/` and the characters forbidden in names.
    path_raw: Vec<u8>,
    /// What a path name may hold only percent-encoded: allowed in names, not
    /// raw in a target.
    path_encoded: Vec<char>,
    /// A query's raw bytes: the raw set, `?` too, and no `%` (escapes are
    /// written apart).
    query: Vec<u8>,
}

static ALPHABETS: LazyLock<Alphabets> = LazyLock::new(|| {
    debug_assert!((0..=0x7f).all(|b| ASCII_ORDER.iter().filter(|&&x| x == b).count() == 1));
    let pick = |keep: &dyn Fn(u8) -> bool| -> Vec<u8> {
        ASCII_ORDER.iter().copied().filter(|&b| keep(b)).collect()
    };
    let path_raw = |b: u8| {
        is_allowed_raw(b) && b != b'%' && b != b'/' && !is_forbidden_path_char(char::from(b))
    };
    let in_name = |c: char| c != '/' && !is_forbidden_path_char(c);
    Alphabets {
        key: pick(&is_key_byte),
        path_raw: pick(&path_raw),
        path_encoded: pick(&|b| !path_raw(b) && in_name(char::from(b)))
            .into_iter()
            .map(char::from)
            .chain(NON_ASCII_NAME_CHARS.iter().copied().filter(|&c| in_name(c)))
            .collect(),
        query: pick(&|b| (is_allowed_raw(b) && b != b'%') || b == b'?'),
    }
});

/// Fewest rows of [`GRAPH`] from each type to the action ([`Ty::Done`]),
/// in the v1.0 graph and in the whole one: a breadth-first search from
/// `Done` against the rows' direction.
static DISTANCES: LazyLock<[Vec<(Ty, usize)>; 2]> =
    LazyLock::new(|| [distances(Graph::V1), distances(Graph::All)]);

fn distances(graph: Graph) -> Vec<(Ty, usize)> {
    let mut known = vec![(Ty::Done, 0)];
    let mut frontier = vec![Ty::Done];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for edge in GRAPH.iter().filter(|e| graph.has(e.versions)) {
            let reached = known.iter().any(|&(ty, _)| ty == edge.from);
            if frontier.contains(&edge.to) && !reached {
                let (_, to) = known.iter().find(|&&(ty, _)| ty == edge.to).unwrap();
                known.push((edge.from, to + 1));
                next.push(edge.from);
            }
        }
        frontier = next;
    }
    known
}

/// The distance of [`DISTANCES`] in `graph`; `None` for a type with no way
/// to the action there.
fn distance(ty: Ty, graph: Graph) -> Option<usize> {
    let table = &DISTANCES[usize::from(graph == Graph::All)];
    table.iter().find(|&&(t, _)| t == ty).map(|&(_, d)| d)
}

/// The rows of `graph` from `ty` that a walk may take: not the action, and
/// with a way on to it.
fn steps_from(ty: Ty, graph: Graph) -> impl Iterator<Item = &'static Edge> {
    GRAPH.iter().filter(move |e| {
        e.from == ty && graph.has(e.versions) && e.to != Ty::Done && distance(e.to, graph).is_some()
    })
}

/// The action's rows from `ty`, the canonical spelling's apart from the
/// others (`microsoft.graph.checkout`).
fn actions_from(ty: Ty) -> (Vec<&'static Edge>, Vec<&'static Edge>) {
    GRAPH
        .iter()
        .filter(|e| e.from == ty && e.to == Ty::Done)
        .partition(|e| e.word == e.canonical)
}

/// What the crate must answer for [`Generated::line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Accepted with exactly these parts.
    Ok {
        /// The template of DESIGN §1.3's rendering.
        template: String,
        /// Whether it is one of the 20.
        documented: bool,
        /// `(name, decoded value)` in path order.
        params: Vec<(String, String)>,
        /// The version in its configured spelling.
        version: Option<String>,
        /// The raw query.
        query: Option<String>,
        /// The canonical form of DESIGN §6 "Output".
        canonical: String,
    },
    /// The rendering crossed a limit of DESIGN §1.6.
    Limit,
}

/// A rendered line and what it must classify as.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `METHOD TARGET` or `TARGET`, for `Parser::classify_line`.
    pub line: Vec<u8>,
    /// The answer DESIGN gives.
    pub expected: Expected,
}

/// One step of the walk, before rendering.
enum Walk {
    Edge(&'static Edge, Option<String>),
    Path(Vec<String>),
}

/// Generates one route from the fuzzer's bytes.
pub fn generate(u: &mut Unstructured<'_>) -> Result<Generated> {
    let mut r = Render::default();
    let mut segments = 0usize;
    let mut path_too_long = false;
    let mut key_too_long = false;

    let method = u.ratio(1, 4)?;
    let version = if u.ratio(1, 4)? {
        // Absolute-form: the version is required.
        let scheme = cased(u, "https")?;
        let host = *u.choose(&DEFAULT_HOSTS)?;
        let host = cased(u, host)?;
        let port = if u.ratio(1, 3)? { ":443" } else { "" };
        r.raw(&format!("{scheme}://{host}{port}"));
        Some(*u.choose(&DEFAULT_VERSIONS)?)
    } else if u.ratio(1, 2)? {
        Some(*u.choose(&DEFAULT_VERSIONS)?)
    } else {
        None
    };
    if let Some(version) = version {
        r.raw("/");
        r.raw(&cased(u, version)?);
        segments += 1;
    }
    // The line is a request: a v1.0 one walks the v1.0 graph. (Read as a
    // template, the same line is checked against every row, which holds
    // these too.)
    let graph = Graph::of(version, false);
    let (walk, last) = walk(u, graph)?;

    let mut template = String::new();
    let mut canonical = String::new();
    let mut params = Vec::new();
    for step in &walk {
        match step {
            Walk::Edge(edge, key) => {
                let word = cased(u, edge.word)?;
                r.raw("/");
                r.raw(&word);
                segments += 1;
                template.push('/');
                template.push_str(edge.canonical);
                canonical.push('/');
                canonical.push_str(edge.canonical);
                if let (Some(name), Some(key)) = (edge.key, key) {
                    if key.len() > DEFAULT_MAX_KEY_LEN {
                        key_too_long = true;
                    }
                    // A space (of a `listId`) is only ever `%20`; a `:` that
                    // ends a key (of a `channelId`) is written `%3A`, which
                    // cannot open a path-based address (decision (o)).
                    let (body, colon) = match key.strip_suffix(':') {
                        Some(body) => (body, "%3A"),
                        None => (key.as_str(), ""),
                    };
                    let rendered = escape_some(u, body, |c| c == ' ')? + colon;
                    if u.ratio(1, 4)? {
                        r.raw(&format!("('{rendered}')"));
                    } else {
                        r.raw("/");
                        r.raw(&rendered);
                        segments += 1;
                    }
                    template.push_str(&format!("/{{{name}}}"));
                    canonical.push('/');
                    canonical.push_str(&encode_key(key));
                    params.push((name.to_owned(), key.clone()));
                }
            }
            Walk::Path(names) => {
                let value = names.join("/");
                if value.chars().count() > DEFAULT_MAX_PATH_CHARS {
                    path_too_long = true;
                }
                r.raw(":");
                for name in names {
                    r.raw("/");
                    r.raw(&escape_some(u, name, |c| {
                        u8::try_from(c).map_or(true, |b| !ALPHABETS.path_raw.contains(&b))
                    })?);
                    segments += 1;
                }
                r.raw(":");
                template.push_str(":/{path}:");
                canonical.push_str(":/");
                canonical.push_str(&encode_path_value(&value));
                canonical.push(':');
                params.push(("path".to_owned(), value));
            }
        }
    }
    // The action: now and then in another spelling than the canonical one.
    let (plain, others) = actions_from(last);
    let spellings = if plain.is_empty() || (!others.is_empty() && u.ratio(1, 4)?) {
        &others
    } else {
        &plain
    };
    let action = *u.choose(spellings)?;
    r.raw("/");
    r.raw(&cased(u, action.word)?);
    segments += 1;
    template.push('/');
    template.push_str(action.canonical);
    canonical.push('/');
    canonical.push_str(action.canonical);

    let query = if u.ratio(1, 3)? {
        let query = query(u)?;
        r.raw("?");
        r.raw(&query);
        Some(query)
    } else {
        None
    };

    let target = r.0;
    let expected = if target.len() > DEFAULT_MAX_TARGET_LEN
        || segments > DEFAULT_MAX_SEGMENTS
        || path_too_long
        || key_too_long
    {
        Expected::Limit
    } else {
        Expected::Ok {
            documented: DOCUMENTED.contains(&template.as_str()),
            template,
            params,
            version: version.map(str::to_owned),
            query,
            canonical,
        }
    };
    let mut line = Vec::with_capacity(target.len() + 5);
    if method {
        line.extend_from_slice(b"POST ");
    }
    line.extend_from_slice(target.as_bytes());
    Ok(Generated { line, expected })
}

#[derive(Default)]
struct Render(String);

impl Render {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }
}

/// The walk: rows of `graph` chosen by the fuzzer from the current type,
/// path-based addresses where [`address_to`] has one (a DriveItem, a Site),
/// then the shortest way to a type with an action. Returns the steps and
/// that last type.
fn walk(u: &mut Unstructured<'_>, graph: Graph) -> Result<(Vec<Walk>, Ty)> {
    let mut steps: Vec<Walk> = Vec::new();
    let mut ty = Ty::Root;
    let wanted = u.int_in_range(0..=40u8)?;
    for _ in 0..wanted {
        let edges: Vec<&'static Edge> = steps_from(ty, graph).collect();
        // Two path-based addresses in a row cannot be written (`:/a::/b:`
        // holds one address `a:`), so a path follows only a keyword or key.
        let path_ok =
            address_to(ty, graph).is_some() && !matches!(steps.last(), Some(Walk::Path(_)));
        let choices = edges.len() + usize::from(path_ok);
        if choices == 0 {
            break;
        }
        let pick = u.choose_index(choices)?;
        if pick == edges.len() {
            steps.push(Walk::Path(path(u)?));
        } else {
            let edge = edges[pick];
            steps.push(Walk::Edge(edge, key_for(u, edge)?));
            ty = edge.to;
        }
    }
    while !GRAPH.iter().any(|e| e.from == ty && e.to == Ty::Done) {
        let edge = steps_from(ty, graph)
            .min_by_key(|e| distance(e.to, graph))
            .expect("every type of the walk has a way to the action");
        steps.push(Walk::Edge(edge, key_for(u, edge)?));
        ty = edge.to;
    }
    Ok((steps, ty))
}

/// The key of `edge`, if its row has one: from the key's alphabet (the key
/// alphabet and the key's own bytes, DESIGN §1.4 and decision (o)), and
/// meeting the key's per-key rule, if any.
fn key_for(u: &mut Unstructured<'_>, edge: &Edge) -> Result<Option<String>> {
    let Some(name) = edge.key else {
        return Ok(None);
    };
    let key = match key_rules(name, edge.word).next() {
        None => {
            let mut key = key_text(u, &key_extra(name, edge.word))?;
            // Not a dot segment; and nothing issue 12 refuses: a parameter
            // alias `@p`, or a qualified name the backend reads as a cast.
            let lower = key.to_ascii_lowercase();
            if key == "."
                || key == ".."
                || key.starts_with('@')
                || lower.starts_with("microsoft.graph.")
            {
                key.insert(0, 'k');
            }
            key
        }
        Some(KeyRule::SharePrefix) => {
            let prefix = *u.choose(&SHARE_PREFIXES)?;
            format!("{prefix}{}", key_text(u, &[])?)
        }
        Some(KeyRule::SpecialFolder) => {
            let name = *u.choose(&SPECIAL_FOLDERS)?;
            cased(u, name)?
        }
    };
    Ok(Some(key))
}

/// 1 to 40 key characters, now and then much longer to reach the key limit:
/// from the key alphabet, and now and then one of `extra`.
fn key_text(u: &mut Unstructured<'_>, extra: &[u8]) -> Result<String> {
    // `ratio` answers true once the fuzzer's bytes run out: keep the rare,
    // costly branch on false.
    let len = if !u.ratio(63, 64)? {
        u.int_in_range(1000..=1030usize)?
    } else {
        u.int_in_range(1..=40usize)?
    };
    let mut key = String::with_capacity(len);
    for _ in 0..len {
        if !extra.is_empty() && u.ratio(1, 8)? {
            key.push(char::from(*u.choose(extra)?));
        } else {
            key.push(char::from(*u.choose(&ALPHABETS.key)?));
        }
    }
    Ok(key)
}

/// 1 to 6 names, each 1 to 30 characters, now and then one long name to
/// reach the path limit; never `.` or `..`.
fn path(u: &mut Unstructured<'_>) -> Result<Vec<String>> {
    if !u.ratio(15, 16)? {
        // A literal name in placeholder shape, `{a}` (it must reach the
        // target as `%7Ba%7D`): in a template it is still a literal.
        let len = u.int_in_range(1..=8usize)?;
        let mut name = String::from("{");
        for _ in 0..len {
            name.push(char::from(*u.choose(b"abcXYZ019_-")?));
        }
        name.push('}');
        return Ok(vec![name]);
    }
    let count = u.int_in_range(1..=6usize)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        let len = if !u.ratio(63, 64)? {
            u.int_in_range(380..=420usize)?
        } else {
            u.int_in_range(1..=30usize)?
        };
        let mut name = String::with_capacity(len);
        for _ in 0..len {
            if u.ratio(1, 5)? {
                name.push(*u.choose(&ALPHABETS.path_encoded)?);
            } else {
                name.push(char::from(*u.choose(&ALPHABETS.path_raw)?));
            }
        }
        if name == "." || name == ".." {
            name.push('n');
        }
        names.push(not_for_issue_12(name));
    }
    Ok(names)
}

/// Reserved names of OneDrive and SharePoint that issue 12 refuses (whole
/// name, ASCII case-insensitive; the device names with any extension too).
const RESERVED: &[&str] = &[".lock", "desktop.ini", "con", "prn", "aux", "nul"];

/// A path name changed, if need be, so that issue 12's naming rules
/// (DESIGN §1.4 and §6) accept it: no decoded `%` before two hex digits, no
/// `_vti_`, no leading or trailing space or no-break space (NFKC reads it
/// as a space), no trailing `.`, no leading `~$`, no reserved name.
fn not_for_issue_12(name: String) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let hex = |k: usize| chars.get(k).is_some_and(char::is_ascii_hexdigit);
        if c == '%' && hex(i + 1) && hex(i + 2) {
            out.push('_');
        }
    }
    while let Some(at) = out.to_ascii_lowercase().find("_vti_") {
        out.replace_range(at..at + 5, "_vt_");
    }
    let lower = out.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or("");
    let device = RESERVED[2..].contains(&stem)
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit());
    let edge = |c: char| c == ' ' || c == '\u{a0}';
    if device
        || RESERVED.contains(&lower.as_str())
        || out.starts_with(edge)
        || out.ends_with(edge)
        || out.ends_with('.')
        || out.starts_with("~$")
    {
        format!("n{out}n")
    } else {
        out
    }
}

/// A query of raw-allowed bytes, `?`, `/` and well-formed escapes.
fn query(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(0..=30usize)?;
    let mut query = String::with_capacity(len);
    for _ in 0..len {
        if u.ratio(1, 8)? {
            let byte: u8 = u.arbitrary()?;
            hex_escape(u, byte, &mut query)?;
        } else {
            query.push(char::from(*u.choose(&ALPHABETS.query)?));
        }
    }
    Ok(query)
}

/// The word with each ASCII letter's case chosen by the fuzzer.
fn cased(u: &mut Unstructured<'_>, word: &str) -> Result<String> {
    if u.ratio(1, 2)? {
        return Ok(word.to_owned());
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        out.push(if u.arbitrary()? {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
    }
    Ok(out)
}

/// Appends `%XX` with the hex digits' case chosen by the fuzzer.
fn hex_escape(u: &mut Unstructured<'_>, byte: u8, out: &mut String) -> Result<()> {
    let digits: &[u8; 16] = if u.arbitrary()? {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push('%');
    out.push(char::from(digits[usize::from(byte >> 4)]));
    out.push(char::from(digits[usize::from(byte & 0xF)]));
    Ok(())
}

/// Renders decoded text for a target: characters for which `must` holds are
/// always percent-encoded (as UTF-8), the others now and then.
fn escape_some(
    u: &mut Unstructured<'_>,
    text: &str,
    must: impl Fn(char) -> bool,
) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let sometimes = u.ratio(1, 3)?;
    for c in text.chars() {
        if must(c) || (sometimes && u.ratio(1, 4)?) {
            let mut buf = [0; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                hex_escape(u, b, &mut out)?;
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}
