//! A generator of valid checkout routes, written from SPEC 1.2-1.6 without
//! looking at the crate's model: a random walk over the type graph that
//! knows, for the target it renders, the template, params, version, query
//! and canonical form the crate must report.
//!
//! The rendering varies everything the SPEC says does not matter: keyword
//! casing, `microsoft.graph.checkout` for `checkout`, a version prefix or
//! absolute-form with any allowed host, `:443`, the `('key')` form,
//! percent-escapes of characters that need none, a query. Keys come from the
//! key alphabet and meet their per-key rules; path values avoid the
//! forbidden characters. When the rendering crosses a limit of SPEC 1.6 the
//! expected outcome is a `limit` error instead.

use arbitrary::{Result, Unstructured};

/// The resource types of SPEC 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Root,
    User,
    Group,
    Team,
    Site,
    Drive,
    BaseItem,
    Shared,
    DriveItem,
    ListItem,
    Analytics,
    Stat,
    Activity,
}

/// What a key must look like beyond the common alphabet (SPEC 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Any,
    Share,
    Special,
}

/// One row of the table of SPEC 1.2 (the action is handled apart).
struct Edge {
    from: Ty,
    word: &'static str,
    param: Option<(&'static str, Rule)>,
    to: Ty,
}

const fn plain(from: Ty, word: &'static str, to: Ty) -> Edge {
    Edge {
        from,
        word,
        param: None,
        to,
    }
}

const fn keyed(from: Ty, word: &'static str, param: &'static str, to: Ty) -> Edge {
    Edge {
        from,
        word,
        param: Some((param, Rule::Any)),
        to,
    }
}

const fn ruled(from: Ty, word: &'static str, param: &'static str, rule: Rule, to: Ty) -> Edge {
    Edge {
        from,
        word,
        param: Some((param, rule)),
        to,
    }
}

/// SPEC 1.2, row by row.
const EDGES: &[Edge] = &[
    plain(Ty::Root, "me", Ty::User),
    keyed(Ty::Root, "users", "userId", Ty::User),
    keyed(Ty::Root, "groups", "groupId", Ty::Group),
    keyed(Ty::Root, "sites", "siteId", Ty::Site),
    keyed(Ty::Root, "drives", "drivesId", Ty::Drive),
    ruled(Ty::Root, "shares", "sharesId", Rule::Share, Ty::Shared),
    keyed(Ty::Root, "workbooks", "workbooksId", Ty::DriveItem),
    plain(Ty::User, "drive", Ty::Drive),
    keyed(Ty::User, "drives", "drivesId", Ty::Drive),
    keyed(Ty::User, "joinedTeams", "groupId", Ty::Team),
    plain(Ty::Group, "drive", Ty::Drive),
    keyed(Ty::Group, "drives", "drivesId", Ty::Drive),
    keyed(Ty::Team, "sites", "siteId", Ty::Site),
    plain(Ty::Site, "drive", Ty::Drive),
    keyed(Ty::Site, "drives", "drivesId", Ty::Drive),
    keyed(Ty::Site, "items", "baseItemId", Ty::BaseItem),
    plain(Ty::BaseItem, "microsoft.graph.sharedDriveItem", Ty::Shared),
    plain(Ty::Shared, "root", Ty::DriveItem),
    plain(Ty::Shared, "driveItem", Ty::DriveItem),
    keyed(Ty::Shared, "items", "driveItemId", Ty::DriveItem),
    plain(Ty::Drive, "root", Ty::DriveItem),
    keyed(Ty::Drive, "items", "driveItemId", Ty::DriveItem),
    ruled(
        Ty::Drive,
        "special",
        "driveItemId",
        Rule::Special,
        Ty::DriveItem,
    ),
    keyed(Ty::DriveItem, "children", "driveItemId", Ty::DriveItem),
    plain(Ty::DriveItem, "listItem", Ty::ListItem),
    plain(Ty::DriveItem, "analytics", Ty::Analytics),
    plain(Ty::ListItem, "driveItem", Ty::DriveItem),
    keyed(
        Ty::Analytics,
        "itemActivityStats",
        "itemActivityStatId",
        Ty::Stat,
    ),
    keyed(Ty::Stat, "activities", "itemActivityId", Ty::Activity),
    plain(Ty::Activity, "driveItem", Ty::DriveItem),
];

/// SPEC 1.3, copied from the SPEC rather than from the crate.
const DOCUMENTED: [&str; 20] = [
    "/me/drive/root/checkout",
    "/drives/{drivesId}/root/checkout",
    "/shares/{sharesId}/root/checkout",
    "/workbooks/{workbooksId}/checkout",
    "/shares/{sharesId}/driveItem/checkout",
    "/me/drive/items/{driveItemId}/checkout",
    "/me/drive/special/{driveItemId}/checkout",
    "/drives/{drivesId}/items/{driveItemId}/checkout",
    "/shares/{sharesId}/items/{driveItemId}/checkout",
    "/drives/{drivesId}/special/{driveItemId}/checkout",
    "/workbooks/{workbooksId}/children/{driveItemId}/checkout",
    "/me/drive/items/{driveItemId}/listItem/driveItem/checkout",
    "/me/drive/items/{driveItemId}/children/{driveItemId}/checkout",
    "/me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/root/checkout",
    "/me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/driveItem/checkout",
    "/me/joinedTeams/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/items/{driveItemId}/checkout",
    "/me/drive/items/{driveItemId}/analytics/itemActivityStats/{itemActivityStatId}/activities/{itemActivityId}/driveItem/checkout",
    "/groups/{groupId}/drive/items/{driveItemId}/checkout",
    "/sites/{siteId}/drive/items/{driveItemId}/checkout",
    "/users/{userId}/drive/items/{driveItemId}/checkout",
];

const VERSIONS: [&str; 3] = ["v1.0", "beta", "localtest"];
const HOSTS: [&str; 4] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];
const SPECIAL_FOLDERS: [&str; 6] = [
    "documents",
    "photos",
    "cameraroll",
    "approot",
    "music",
    "recordings",
];

/// SPEC 1.4: the key alphabet after decoding.
const KEY_ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!,@";

/// Characters a path name may hold raw (SPEC 1.5's raw set minus `%`, `/`,
/// `:`, and minus `*`, which OneDrive forbids in names).
const PATH_RAW: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()+,=@";

/// Characters a path name may hold only percent-encoded: allowed in names,
/// not allowed raw in a target.
const PATH_ENCODED: &[char] = &[
    ' ',
    '#',
    '%',
    ';',
    '[',
    ']',
    '{',
    '}',
    '^',
    '`',
    '\u{e9}',
    '\u{41e}',
    '\u{442}',
    '\u{4e2d}',
    '\u{1f600}',
    '\u{a0}',
    '\u{2028}',
    '\u{fffd}',
];

/// The limits of SPEC 1.6 (the default parser's).
const MAX_TARGET: usize = 2048;
const MAX_SEGMENTS: usize = 64;
const MAX_KEY: usize = 1024;
const MAX_PATH_CHARS: usize = 400;

/// What the crate must answer for [`Generated::line`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Accepted with exactly these parts.
    Ok {
        /// The template of SPEC 1.3's rendering.
        template: String,
        /// Whether it is one of the 20.
        documented: bool,
        /// `(name, decoded value)` in path order.
        params: Vec<(String, String)>,
        /// The version in its configured spelling.
        version: Option<String>,
        /// The raw query.
        query: Option<String>,
        /// The canonical form of SPEC 6 "Output".
        canonical: String,
    },
    /// The rendering crossed a limit of SPEC 1.6.
    Limit,
}

/// A rendered line and what it must classify as.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `METHOD TARGET` or `TARGET`, for `Parser::classify_line`.
    pub line: Vec<u8>,
    /// The answer the SPEC gives.
    pub expected: Expected,
}

/// One step of the walk, before rendering.
enum Walk {
    Edge(&'static Edge, Option<String>),
    Path(Vec<String>),
}

/// Generates one route from the fuzzer's bytes.
pub fn generate(u: &mut Unstructured<'_>) -> Result<Generated> {
    let walk = walk(u)?;
    let mut r = Render::default();
    let mut segments = 0usize;
    let mut path_too_long = false;
    let mut key_too_long = false;

    let method = u.ratio(1, 4)?;
    let version = if u.ratio(1, 4)? {
        // Absolute-form: the version is required.
        let scheme = cased(u, "https")?;
        let host = *u.choose(&HOSTS)?;
        let host = cased(u, host)?;
        let port = if u.ratio(1, 3)? { ":443" } else { "" };
        r.raw(&format!("{scheme}://{host}{port}"));
        Some(*u.choose(&VERSIONS)?)
    } else if u.ratio(1, 2)? {
        Some(*u.choose(&VERSIONS)?)
    } else {
        None
    };
    if let Some(version) = version {
        r.raw("/");
        r.raw(&cased(u, version)?);
        segments += 1;
    }

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
                template.push_str(edge.word);
                canonical.push('/');
                canonical.push_str(edge.word);
                if let (Some((name, _)), Some(key)) = (edge.param, key) {
                    if key.len() > MAX_KEY {
                        key_too_long = true;
                    }
                    let rendered = escape_some(u, key, |_| false)?;
                    if u.ratio(1, 4)? {
                        r.raw(&format!("('{rendered}')"));
                    } else {
                        r.raw("/");
                        r.raw(&rendered);
                        segments += 1;
                    }
                    template.push_str(&format!("/{{{name}}}"));
                    canonical.push('/');
                    canonical.push_str(key);
                    params.push(((*name).to_owned(), key.clone()));
                }
            }
            Walk::Path(names) => {
                let value = names.join("/");
                if value.chars().count() > MAX_PATH_CHARS {
                    path_too_long = true;
                }
                r.raw(":");
                for name in names {
                    r.raw("/");
                    r.raw(&escape_some(u, name, |c| {
                        u8::try_from(c).map_or(true, |b| !PATH_RAW.contains(&b))
                    })?);
                    segments += 1;
                }
                r.raw(":");
                template.push_str(":/{path}:");
                canonical.push_str(":/");
                canonical.push_str(&encode_path(&value));
                canonical.push(':');
                params.push(("path".to_owned(), value));
            }
        }
    }
    let action = if u.ratio(1, 4)? {
        "microsoft.graph.checkout"
    } else {
        "checkout"
    };
    r.raw("/");
    r.raw(&cased(u, action)?);
    segments += 1;
    template.push_str("/checkout");
    canonical.push_str("/checkout");

    let query = if u.ratio(1, 3)? {
        let query = query(u)?;
        r.raw("?");
        r.raw(&query);
        Some(query)
    } else {
        None
    };

    let target = r.0;
    let expected =
        if target.len() > MAX_TARGET || segments > MAX_SEGMENTS || path_too_long || key_too_long {
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

/// The walk: edges chosen by the fuzzer from the current type, path-based
/// addresses on a DriveItem, then the shortest way to a DriveItem.
fn walk(u: &mut Unstructured<'_>) -> Result<Vec<Walk>> {
    let mut steps: Vec<Walk> = Vec::new();
    let mut ty = Ty::Root;
    let wanted = u.int_in_range(0..=40u8)?;
    for _ in 0..wanted {
        let edges: Vec<&'static Edge> = EDGES.iter().filter(|e| e.from == ty).collect();
        // Two path-based addresses in a row cannot be written (`:/a::/b:`
        // holds one address `a:`), so a path follows only a keyword or key.
        let path_ok = ty == Ty::DriveItem && !matches!(steps.last(), Some(Walk::Path(_)));
        let choices = edges.len() + usize::from(path_ok);
        let pick = u.choose_index(choices)?;
        if pick == edges.len() {
            steps.push(Walk::Path(path(u)?));
        } else {
            let edge = edges[pick];
            steps.push(Walk::Edge(edge, key_for(u, edge)?));
            ty = edge.to;
        }
    }
    while ty != Ty::DriveItem {
        let edge = EDGES
            .iter()
            .filter(|e| e.from == ty)
            .min_by_key(|e| distance(e.to))
            .expect("every type has an edge");
        steps.push(Walk::Edge(edge, key_for(u, edge)?));
        ty = edge.to;
    }
    Ok(steps)
}

/// Fewest steps from a type to a DriveItem, read off the table by hand.
fn distance(ty: Ty) -> usize {
    match ty {
        Ty::DriveItem => 0,
        Ty::Root | Ty::Drive | Ty::Shared | Ty::ListItem | Ty::Activity => 1,
        Ty::User | Ty::Group | Ty::Site | Ty::BaseItem | Ty::Stat => 2,
        Ty::Team | Ty::Analytics => 3,
    }
}

fn key_for(u: &mut Unstructured<'_>, edge: &Edge) -> Result<Option<String>> {
    let Some((_, rule)) = edge.param else {
        return Ok(None);
    };
    let key = match rule {
        Rule::Any => {
            let mut key = key_text(u)?;
            if key == "." || key == ".." {
                key.insert(0, 'k');
            }
            key
        }
        Rule::Share => {
            let prefix = if u.arbitrary()? { "u!" } else { "s!" };
            format!("{prefix}{}", key_text(u)?)
        }
        Rule::Special => {
            let name = *u.choose(&SPECIAL_FOLDERS)?;
            cased(u, name)?
        }
    };
    Ok(Some(key))
}

/// 1 to 40 key characters, now and then much longer to reach the key limit.
fn key_text(u: &mut Unstructured<'_>) -> Result<String> {
    // `ratio` answers true once the fuzzer's bytes run out: keep the rare,
    // costly branch on false.
    let len = if !u.ratio(63, 64)? {
        u.int_in_range(1000..=1030usize)?
    } else {
        u.int_in_range(1..=40usize)?
    };
    let mut key = String::with_capacity(len);
    for _ in 0..len {
        key.push(char::from(*u.choose(KEY_ALPHABET)?));
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
                name.push(*u.choose(PATH_ENCODED)?);
            } else {
                name.push(char::from(*u.choose(PATH_RAW)?));
            }
        }
        if name == "." || name == ".." {
            name.push('n');
        }
        names.push(name);
    }
    Ok(names)
}

/// A query of raw-allowed bytes, `?`, `/` and well-formed escapes.
fn query(u: &mut Unstructured<'_>) -> Result<String> {
    const RAW: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/?";
    let len = u.int_in_range(0..=30usize)?;
    let mut query = String::with_capacity(len);
    for _ in 0..len {
        if u.ratio(1, 8)? {
            let byte: u8 = u.arbitrary()?;
            hex_escape(u, byte, &mut query)?;
        } else {
            query.push(char::from(*u.choose(RAW)?));
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

/// SPEC 6 "Output": every UTF-8 byte outside the path-safe set as `%XX`,
/// uppercase; `/` stays the separator.
fn encode_path(value: &str) -> String {
    const SAFE: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if SAFE.contains(&b) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}
