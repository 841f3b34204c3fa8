//! An independent reference of DESIGN §1, §2 and §6, for the property
//! tests. Written from the SPEC text (ported from a Python model of it;
//! `docs/DESIGN.md` keeps its section numbers), never from `src/`: plain,
//! slow, allocating, std only (but for `unicode-normalization`'s NFKC, which
//! the naming rules of DESIGN §1.4 are defined by), and laid out in the
//! order of checks of DESIGN §6 so that each rule can be read next to its
//! sentence there.
//!
//! Where the SPEC leaves a choice, the project decided as follows, and this
//! file follows those decisions (each is cited where it applies as
//! "decision (x)"):
//!
//! - (a) `https:/x...` (one slash) is `syntax` at the first byte that is not
//!   the expected `/` (offset 7 there), not at 6.
//! - (b) In template mode a brace in the authority is `syntax` at that
//!   brace, and a brace in the query is `syntax` at that brace during the
//!   byte scan (leftmost problem first, like any bad byte).
//! - (c) A `%` in a keyword-position segment is `encoding` only when it is in
//!   the word before `(`: a `('key')` part is decoded and checked like any
//!   key, so `drives('b%21x')` is the drive `b!x`.
//! - (d) A `('.')` / `('..')` key is `syntax` at the key start.
//! - (e) In a path-based address, an empty last inner segment right before
//!   the closing `:` (`root:/a/:/checkout`, `root:/:/checkout`) is `syntax`
//!   at the `/` before the `:`.
//! - (f) An unclosed address is checked like a closed one, up to the end of
//!   the path: its inner segments (count, empty, dot, `%2F`, a `%25` before
//!   two hex digits), then its value (UTF-8, length, the naming rules); only
//!   then is it `incomplete` at the end of the path (DESIGN §6 "Path-based
//!   addresses", issue 12; before issue 12 it was `incomplete` before the
//!   value's checks).
//! - (g) The canonical form of a template keeps placeholders as written and
//!   re-encodes literal path values like a request's.
//!
//! Issue 11 (the type graph with versions, sites by path, the alphabets of
//! `channelId` and `listId`, CLI lines, templates):
//!
//! - (h) A target "is v1.0" when its version segment matched a configured
//!   version that equals `v1.0` ignoring ASCII case. Only such targets use
//!   the v1.0 graph (the rows tagged `both`); no version, any other
//!   version, and every template (even one that names v1.0) use all rows.
//! - (i) Under the v1.0 graph, a word of the model is a spelling used by at
//!   least one `both` row: a spelling only beta rows use (`joinedGroups`)
//!   is `unknown_segment`; a word some `both` row uses but not from the
//!   current type (`activities` on a Drive) is `nesting`.
//! - (j) The line entry point drops ONE `\r` that is the last byte of the
//!   line; any other `\r` stays and is a bad byte. A UTF-8 BOM is skipped
//!   only at the very start of the CLI's input ([`cli_lines`]), not by the
//!   line entry point.
//! - (k) `METHOD TARGET HTTP/d.d`: only with a METHOD prefix (`[A-Z]+` and
//!   one space); the suffix is exactly one space, `HTTP/`, one ASCII digit,
//!   `.`, one ASCII digit, at the end of the line (after (j)). Anything else
//!   (no method, two spaces, `HTTP/1.10`, `http/1.1`) stays in the target.
//!   Offsets count from the target's first byte.
//! - (l) `{+baseurl}` is recognised only as exactly those 10 bytes at the
//!   very start of a template; the rest is read as origin-form (a version
//!   may follow); if it does not start with `/`, `syntax` at offset 10.
//!   Offsets count in the original template, prefix included.
//! - (m) A trailing query expression `{?` NAME (`,` NAME)* `}` that ends the
//!   template is dropped before the byte scan. Any other brace keeps the
//!   rules of (b) and DESIGN §6 "Templates".
//! - (n) A placeholder NAME is one or more of `A-Z a-z 0-9 _ - .` and `%XX`
//!   (two hex digits); a placeholder's param value is its text with braces.
//! - (o) `channelId` decoded alphabet = key alphabet plus `:`; `listId` =
//!   key alphabet plus space (only as `%20`: a raw space is a bad byte). A
//!   channel key segment ending with a raw `:` followed by `/` opens a
//!   path-based address, which on a Channel is `nesting` at that `:`.
//! - (p) After a key that reaches a Site, a `:` that ends the key segment
//!   and is followed by `/` opens a path-based address on the Site, with
//!   exactly the checks of a DriveItem's, param `path`, leading to the Site.
//! - (q) Canonical form: keys printed decoded, except a space in a `listId`
//!   (`%20`) and a `:` that is the last byte of a `channelId` (`%3A`).
//!
//! Decided here, where the SPEC and (h) to (q) still leave a choice
//! (proposed for the project's decision list):
//!
//! - (r) A path-based address may stand on any Site, however it was
//!   reached: after a keyword (`shares/{id}/site:/sites/a:`,
//!   `items/{id}/microsoft.graph.site:/a:`) as after a key (decision (p)
//!   names keys only; DESIGN §1.2 has the row on the type and DESIGN §6
//!   makes the address `nesting` only on a type that is neither a DriveItem
//!   nor a Site).
//! - (s) The suffix of (k) needs a target before it that is not empty and
//!   does not end with a space: `POST /x  HTTP/1.1` keeps the whole
//!   `/x  HTTP/1.1` as the target (`syntax` at 2), and `POST  HTTP/1.1`
//!   keeps ` HTTP/1.1` (`syntax` at 0). The suffix's space is its own, not
//!   the method's: `POST HTTP/1.1` has the target `HTTP/1.1`.
//! - (t) A placeholder filling a whole path value skips every check of the
//!   value, the `%2F` of an inner segment included: with the `%XX` of (n),
//!   `root:/{a%2Fb}:` is the placeholder `{a%2Fb}`, as `items/{a%2Fb}` is
//!   (placeholders skip the key rules).
//! - (u) The trailing query expression of (m) is looked for after (j) and
//!   (k), on the template alone; the length limit (step (1)) counts the
//!   whole template, the prefix of (l) and the expression of (m) included.
//! - (v) The CLI's input: the `\n` that ends the input ends its last line
//!   and opens no empty one (`a\n` is one line, `a\n\n` two, the empty
//!   input none); the BOM of (j) is skipped before the split.
//!
//! Issue 12 (what the stores behind Graph read: OData aliases and casts in
//! keys; double decoding, Win32 name stripping, reserved names and NFKC in
//! path names; the version segment), decided here where DESIGN §1.4 and §6
//! still leave a choice (proposed for the project's decision list):
//!
//! - (w) In absolute-form, a `%` anywhere in the version segment's text
//!   (the text before a `:` that opens an address), a `('...')` part
//!   included, is `encoding` at the first `%`: DESIGN §6 says "a `%` in
//!   it", and a version takes no key, so decision (c) (only the word before
//!   `(` is a keyword) does not apply. With an allowed host,
//!   `https://HOST/x('%41')/...` is `encoding` at the `%`, and
//!   `https://HOST/x('a')/...` `unknown_segment` at `x`.
//! - (x) The double-decoding rule (a `%25` whose `%` comes before two hex
//!   digits) is read on the decoded name only, in the one pass over the
//!   inner segments; the NFKC form is checked against the naming rules of
//!   DESIGN §1.4 (forbidden characters, `/`, `.`/`..`, edge spaces, a
//!   trailing `.`, reserved names, `~$`, `_vti_`), not against it:
//!   `a%25%EF%BC%92%EF%BC%A6` (`a%２Ｆ`, NFKC `a%2F`) is accepted. The two
//!   hex digits must follow in the `%`'s own name: `a%25/41` is accepted.
//! - (y) A device name "with any extension" is the name's text before its
//!   first `.`, compared whole and ASCII case-insensitively, nothing
//!   stripped: `Com1.tar.gz` and `CON..txt` are refused; `CON .txt`,
//!   `.CON`, `COM10` and `CONSOLE.txt` are names. `.lock` and
//!   `desktop.ini` are reserved only as the whole name (`desktop.ini.bak`
//!   is a name).
//! - (z) "Space" in the edge rule is U+0020 alone, raw in the decoded name
//!   or in its NFKC form (so U+00A0 and U+3000 at an edge are refused
//!   through NFKC); other invisible characters NFKC keeps (U+200B, U+2028,
//!   U+FEFF) are ordinary characters of a name, at an edge too.

#![allow(dead_code)]

// ---------------------------------------------------------------------------
// The data model of DESIGN §1.2 and §1.3, as data.
// ---------------------------------------------------------------------------

/// The types of the type graph (DESIGN §1.2). `Done` is "after the action".
/// `ItemActivityOld` is the beta-only `itemActivityOLD` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Root,
    User,
    Group,
    Team,
    Channel,
    Site,
    BaseItem,
    List,
    ListItem,
    SharedDriveItem,
    Drive,
    DriveItem,
    ItemAnalytics,
    ItemActivityStat,
    ItemActivity,
    ItemActivityOld,
    Storage,
    FileStorage,
    FileStorageContainer,
    Done,
}

/// DESIGN §1.2, the `versions` column: in both v1.0 and beta, or in beta
/// only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    Both,
    Beta,
}

/// DESIGN §1.2, the `source` column: where a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Microsoft's CSDL metadata: a singleton, entity set, navigation
    /// property, derived-type cast or the bound action.
    Metadata,
    /// A URL convention Microsoft documents: path-based addressing.
    Convention,
    /// A legacy edge of the source document, gone from current metadata.
    Legacy,
}

/// Which rows a target is checked against (DESIGN §1.2 "Versions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graph {
    /// The v1.0 graph: the rows tagged `both`.
    V1,
    /// The whole table.
    All,
}

impl Graph {
    /// DESIGN §1.2 "Versions" and decision (h): the v1.0 graph for a target
    /// (not a template) whose version segment matched a configured version
    /// equal to `v1.0` ignoring ASCII case; the whole table otherwise.
    pub fn of(version: Option<&str>, template: bool) -> Graph {
        match version {
            Some(v) if !template && v.eq_ignore_ascii_case("v1.0") => Graph::V1,
            _ => Graph::All,
        }
    }

    /// Whether a row of these versions is in this graph.
    pub fn has(self, versions: Versions) -> bool {
        self == Graph::All || versions == Versions::Both
    }
}

/// One row of the table of DESIGN §1.2: from `from`, the segment `word`
/// (matched ASCII case-insensitively, printed as `canonical`), followed by
/// a key named `key` when the row has `{key}`, leads to `to`; in the API
/// versions `versions`, from `source`.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub from: Ty,
    pub word: &'static str,
    pub canonical: &'static str,
    pub key: Option<&'static str>,
    pub to: Ty,
    pub versions: Versions,
    pub source: Source,
}

/// A row in both versions, from the metadata: most of the table.
const fn edge(from: Ty, word: &'static str, key: Option<&'static str>, to: Ty) -> Edge {
    Edge {
        from,
        word,
        canonical: word,
        key,
        to,
        versions: Versions::Both,
        source: Source::Metadata,
    }
}

/// A row of the metadata that only beta has.
const fn beta(from: Ty, word: &'static str, key: Option<&'static str>, to: Ty) -> Edge {
    Edge {
        versions: Versions::Beta,
        ..edge(from, word, key, to)
    }
}

/// A legacy row of the source document (in both versions' routes).
const fn legacy(from: Ty, word: &'static str, key: Option<&'static str>, to: Ty) -> Edge {
    Edge {
        source: Source::Legacy,
        ..edge(from, word, key, to)
    }
}

/// DESIGN §1.2, row by row, in the order of its table; a row of two
/// spellings (`root` / `driveItem`, `allTime` / `lastSevenDays`, the
/// action) is one edge per spelling. The two path-based address rows
/// `:/{path}:` are not segments: they are [`ADDRESSES`].
pub const GRAPH: &[Edge] = &[
    // (root): singletons and entity sets.
    edge(Ty::Root, "me", None, Ty::User),
    edge(Ty::Root, "users", Some("userId"), Ty::User),
    edge(Ty::Root, "groups", Some("groupId"), Ty::Group),
    edge(Ty::Root, "sites", Some("siteId"), Ty::Site),
    edge(Ty::Root, "drives", Some("drivesId"), Ty::Drive),
    edge(Ty::Root, "shares", Some("sharesId"), Ty::SharedDriveItem),
    // The signed-in user's drive.
    edge(Ty::Root, "drive", None, Ty::Drive),
    edge(Ty::Root, "teams", Some("teamId"), Ty::Team),
    edge(Ty::Root, "storage", None, Ty::Storage),
    // In the source document, gone from current metadata.
    legacy(Ty::Root, "workbooks", Some("workbooksId"), Ty::DriveItem),
    // User.
    edge(Ty::User, "drive", None, Ty::Drive),
    edge(Ty::User, "drives", Some("drivesId"), Ty::Drive),
    // The source document's parameter name.
    edge(Ty::User, "joinedTeams", Some("groupId"), Ty::Team),
    edge(Ty::User, "followedSites", Some("siteId"), Ty::Site),
    beta(Ty::User, "joinedGroups", Some("groupId"), Ty::Group),
    // Group (`sites/root` is the group's team site: an ordinary key).
    edge(Ty::Group, "drive", None, Ty::Drive),
    edge(Ty::Group, "drives", Some("drivesId"), Ty::Drive),
    edge(Ty::Group, "sites", Some("siteId"), Ty::Site),
    edge(Ty::Group, "team", None, Ty::Team),
    // Team.
    edge(Ty::Team, "channels", Some("channelId"), Ty::Channel),
    edge(Ty::Team, "allChannels", Some("channelId"), Ty::Channel),
    edge(Ty::Team, "incomingChannels", Some("channelId"), Ty::Channel),
    edge(Ty::Team, "primaryChannel", None, Ty::Channel),
    edge(Ty::Team, "group", None, Ty::Group),
    // In the source document (`joinedTeams` was typed as groups before 2020).
    legacy(Ty::Team, "sites", Some("siteId"), Ty::Site),
    // Channel.
    edge(Ty::Channel, "filesFolder", None, Ty::DriveItem),
    // Site (and `:/{path}:`, in ADDRESSES).
    edge(Ty::Site, "drive", None, Ty::Drive),
    edge(Ty::Site, "drives", Some("drivesId"), Ty::Drive),
    edge(Ty::Site, "items", Some("baseItemId"), Ty::BaseItem),
    edge(Ty::Site, "lists", Some("listId"), Ty::List),
    // Subsites.
    edge(Ty::Site, "sites", Some("siteId"), Ty::Site),
    edge(Ty::Site, "analytics", None, Ty::ItemAnalytics),
    // BaseItem: the derived-type casts, always namespace-qualified.
    edge(
        Ty::BaseItem,
        "microsoft.graph.sharedDriveItem",
        None,
        Ty::SharedDriveItem,
    ),
    edge(
        Ty::BaseItem,
        "microsoft.graph.driveItem",
        None,
        Ty::DriveItem,
    ),
    edge(Ty::BaseItem, "microsoft.graph.listItem", None, Ty::ListItem),
    edge(Ty::BaseItem, "microsoft.graph.list", None, Ty::List),
    edge(Ty::BaseItem, "microsoft.graph.drive", None, Ty::Drive),
    edge(Ty::BaseItem, "microsoft.graph.site", None, Ty::Site),
    // List.
    edge(Ty::List, "drive", None, Ty::Drive),
    edge(Ty::List, "items", Some("listItemId"), Ty::ListItem),
    beta(
        Ty::List,
        "activities",
        Some("itemActivityId"),
        Ty::ItemActivityOld,
    ),
    // ListItem.
    edge(Ty::ListItem, "driveItem", None, Ty::DriveItem),
    edge(Ty::ListItem, "analytics", None, Ty::ItemAnalytics),
    beta(
        Ty::ListItem,
        "activities",
        Some("itemActivityId"),
        Ty::ItemActivityOld,
    ),
    // SharedDriveItem.
    edge(Ty::SharedDriveItem, "root", None, Ty::DriveItem),
    edge(Ty::SharedDriveItem, "driveItem", None, Ty::DriveItem),
    edge(
        Ty::SharedDriveItem,
        "items",
        Some("driveItemId"),
        Ty::DriveItem,
    ),
    edge(Ty::SharedDriveItem, "list", None, Ty::List),
    edge(Ty::SharedDriveItem, "listItem", None, Ty::ListItem),
    edge(Ty::SharedDriveItem, "site", None, Ty::Site),
    // Drive.
    edge(Ty::Drive, "root", None, Ty::DriveItem),
    edge(Ty::Drive, "items", Some("driveItemId"), Ty::DriveItem),
    edge(Ty::Drive, "special", Some("driveItemId"), Ty::DriveItem),
    edge(Ty::Drive, "following", Some("driveItemId"), Ty::DriveItem),
    edge(Ty::Drive, "bundles", Some("driveItemId"), Ty::DriveItem),
    edge(Ty::Drive, "list", None, Ty::List),
    beta(
        Ty::Drive,
        "activities",
        Some("itemActivityId"),
        Ty::ItemActivityOld,
    ),
    // DriveItem (and `:/{path}:`, in ADDRESSES).
    edge(
        Ty::DriveItem,
        "children",
        Some("driveItemId"),
        Ty::DriveItem,
    ),
    edge(Ty::DriveItem, "listItem", None, Ty::ListItem),
    edge(Ty::DriveItem, "analytics", None, Ty::ItemAnalytics),
    beta(
        Ty::DriveItem,
        "activities",
        Some("itemActivityId"),
        Ty::ItemActivityOld,
    ),
    // ItemAnalytics.
    edge(
        Ty::ItemAnalytics,
        "itemActivityStats",
        Some("itemActivityStatId"),
        Ty::ItemActivityStat,
    ),
    edge(Ty::ItemAnalytics, "allTime", None, Ty::ItemActivityStat),
    edge(
        Ty::ItemAnalytics,
        "lastSevenDays",
        None,
        Ty::ItemActivityStat,
    ),
    // ItemActivityStat, ItemActivity, ItemActivityOLD.
    edge(
        Ty::ItemActivityStat,
        "activities",
        Some("itemActivityId"),
        Ty::ItemActivity,
    ),
    edge(Ty::ItemActivity, "driveItem", None, Ty::DriveItem),
    beta(Ty::ItemActivityOld, "driveItem", None, Ty::DriveItem),
    beta(Ty::ItemActivityOld, "listItem", None, Ty::ListItem),
    // Storage, FileStorage (SharePoint Embedded), FileStorageContainer.
    edge(Ty::Storage, "fileStorage", None, Ty::FileStorage),
    edge(
        Ty::FileStorage,
        "containers",
        Some("containerId"),
        Ty::FileStorageContainer,
    ),
    edge(
        Ty::FileStorage,
        "deletedContainers",
        Some("containerId"),
        Ty::FileStorageContainer,
    ),
    edge(Ty::FileStorageContainer, "drive", None, Ty::Drive),
    // The bound action, qualified or not; canonical spelling `checkout`.
    edge(Ty::DriveItem, "checkout", None, Ty::Done),
    Edge {
        canonical: "checkout",
        ..edge(Ty::DriveItem, "microsoft.graph.checkout", None, Ty::Done)
    },
];

/// A `:/{path}:` row of DESIGN §1.2: a path-based address on `from`
/// (DESIGN §1.4), leading to `to`.
#[derive(Debug, Clone, Copy)]
pub struct Address {
    pub from: Ty,
    pub to: Ty,
    pub versions: Versions,
    pub source: Source,
}

/// DESIGN §1.2: the two path-based address rows, in the table's order:
/// a site by server-relative path (decisions (p) and (r)), and an item by
/// path.
pub const ADDRESSES: [Address; 2] = [
    Address {
        from: Ty::Site,
        to: Ty::Site,
        versions: Versions::Both,
        source: Source::Convention,
    },
    Address {
        from: Ty::DriveItem,
        to: Ty::DriveItem,
        versions: Versions::Both,
        source: Source::Convention,
    },
];

/// DESIGN §1.3: the 20 documented templates.
pub const DOCUMENTED: [&str; 20] = [
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

/// DESIGN §1.4: the special-folder names (ASCII case-insensitive).
pub const SPECIAL_FOLDERS: [&str; 6] = [
    "documents",
    "photos",
    "cameraroll",
    "approot",
    "music",
    "recordings",
];

/// DESIGN §1.4: the prefixes of a `sharesId`; at least one byte follows.
pub const SHARE_PREFIXES: [&str; 2] = ["u!", "s!"];

/// DESIGN §1.4: what a key must be beyond the key alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// One of [`SHARE_PREFIXES`] and at least one byte more.
    SharePrefix,
    /// One of [`SPECIAL_FOLDERS`].
    SpecialFolder,
}

/// Which keys a per-key rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOf {
    /// The keys of that canonical param name, after any keyword.
    Name(&'static str),
    /// The key after that keyword (a `word` of [`GRAPH`]).
    Word(&'static str),
}

impl KeyOf {
    fn is(self, name: &str, word: &str) -> bool {
        match self {
            KeyOf::Name(n) => n == name,
            KeyOf::Word(w) => w == word,
        }
    }
}

/// DESIGN §1.4: the per-key rules, in the order they are checked.
pub const KEY_RULES: [(KeyOf, KeyRule); 2] = [
    (KeyOf::Name("sharesId"), KeyRule::SharePrefix),
    (KeyOf::Word("special"), KeyRule::SpecialFolder),
];

/// DESIGN §1.4 and decision (o): the keys whose decoded alphabet is wider
/// than the key alphabet, and the bytes they may hold beyond it. Channel
/// ids look like `19:f253e46c035b42308e9a4a22a87037af@thread.skype`; a list
/// may be addressed by its title (`Shared%20Documents`: a raw space is a
/// bad byte of the scan, so the space arrives as `%20`).
pub const KEY_ALPHABETS: [(KeyOf, &[u8]); 2] = [
    (KeyOf::Name("channelId"), b":"),
    (KeyOf::Name("listId"), b" "),
];

/// DESIGN §1.4: the prefixes an OData backend reads as something other than
/// a key, refused in every key (after decoding, ASCII case-insensitive): a
/// parameter alias `@p`, resolved from the query, and a qualified name,
/// read as a type cast on the collection.
pub const REFUSED_KEY_PREFIXES: [&str; 2] = ["@", "microsoft.graph."];

/// Whether a decoded key starts with one of [`REFUSED_KEY_PREFIXES`].
pub fn has_refused_prefix(value: &str) -> bool {
    REFUSED_KEY_PREFIXES.iter().any(|p| {
        value
            .as_bytes()
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
    })
}

/// DESIGN §1.4: OneDrive and SharePoint's reserved names, refused as the
/// whole name (ASCII case-insensitive).
pub const RESERVED_NAMES: [&str; 2] = [".lock", "desktop.ini"];

/// DESIGN §1.4: the Win32 device names, refused as the whole name or with
/// any extension (decision (y): the text before the first `.`), ASCII
/// case-insensitive. `COM` and `LPT` take one digit, `0` to `9`.
pub const DEVICE_NAMES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];
pub const NUMBERED_DEVICE_NAMES: [&str; 2] = ["COM", "LPT"];

/// DESIGN §1.4: the prefix (`~$`, Office's owner files) and the infix
/// (`_vti_`, FrontPage's folders, ASCII case-insensitive) that SharePoint
/// refuses in a name.
pub const RESERVED_PREFIX: &str = "~$";
pub const RESERVED_INFIX: &str = "_vti_";

/// Whether `stem` is a device name of [`DEVICE_NAMES`] or
/// [`NUMBERED_DEVICE_NAMES`] with its digit.
fn is_device_name(stem: &str) -> bool {
    let b = stem.as_bytes();
    DEVICE_NAMES
        .iter()
        .any(|d| d.as_bytes().eq_ignore_ascii_case(b))
        || (b.len() == 4
            && b[3].is_ascii_digit()
            && NUMBERED_DEVICE_NAMES
                .iter()
                .any(|d| d.as_bytes().eq_ignore_ascii_case(&b[..3])))
}

/// DESIGN §1.4 and §6 "Path-based addresses": whether one decoded name of
/// a path value breaks a naming rule (`invalid_id`): a forbidden character
/// (C0, DEL and C1 controls included), a leading or trailing space or a
/// trailing `.` (Win32 strips them; decision (z): U+0020), a reserved name,
/// a device name with or without an extension (decision (y)), a leading
/// `~$`, `_vti_` anywhere; or a Unicode NFKC form (the compatibility
/// folding of best-fit mappings) that is `.` or `..`, holds a `/`, or
/// breaks one of these rules itself (decision (x): not the
/// double-decoding rule, which is checked in the one pass).
pub fn name_breaks_rules(name: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfkc().collect();
    breaks_name_rules(name)
        || folded == "."
        || folded == ".."
        || folded.contains('/')
        || breaks_name_rules(&folded)
}

/// The rules of [`name_breaks_rules`] on one form of a name.
fn breaks_name_rules(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    name.chars().any(is_forbidden_path_char)
        || name.starts_with(' ')
        || name.ends_with(' ')
        || name.ends_with('.')
        || RESERVED_NAMES.contains(&lower.as_str())
        || is_device_name(stem)
        || name.starts_with(RESERVED_PREFIX)
        || lower.contains(RESERVED_INFIX)
}

/// DESIGN §1.6: the default limits: target bytes, URL path segments, decoded
/// key bytes, path value characters.
pub const DEFAULT_MAX_TARGET_LEN: usize = 2048;
pub const DEFAULT_MAX_SEGMENTS: usize = 64;
pub const DEFAULT_MAX_KEY_LEN: usize = 1024;
pub const DEFAULT_MAX_PATH_CHARS: usize = 400;

/// DESIGN §1.1: default versions and hosts.
pub const DEFAULT_VERSIONS: [&str; 3] = ["v1.0", "beta", "localtest"];
pub const DEFAULT_HOSTS: [&str; 4] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

/// The rows of [`GRAPH`] in `graph`.
pub fn rows(graph: Graph) -> impl Iterator<Item = &'static Edge> {
    GRAPH.iter().filter(move |e| graph.has(e.versions))
}

/// The keywords of the model: every distinct `word` of the rows in `graph`
/// (decision (i): under v1.0, a spelling that only beta rows use is not
/// one).
pub fn is_model_word(word: &[u8], graph: Graph) -> bool {
    rows(graph).any(|e| e.word.as_bytes().eq_ignore_ascii_case(word))
}

/// The row of `graph` for `word` on `from`, if the type graph allows it.
pub fn step(from: Ty, word: &[u8], graph: Graph) -> Option<&'static Edge> {
    rows(graph).find(|e| e.from == from && e.word.as_bytes().eq_ignore_ascii_case(word))
}

/// The type a path-based address on `from` leads to, if `graph` has one
/// there (DESIGN §1.2, §6 "Path-based addresses").
pub fn address_to(from: Ty, graph: Graph) -> Option<Ty> {
    ADDRESSES
        .iter()
        .find(|a| a.from == from && graph.has(a.versions))
        .map(|a| a.to)
}

/// The rules of [`KEY_RULES`] for the key `name` of the keyword `word`.
pub fn key_rules<'a>(name: &'a str, word: &'a str) -> impl Iterator<Item = KeyRule> + 'a {
    KEY_RULES
        .iter()
        .filter(move |(of, _)| of.is(name, word))
        .map(|&(_, rule)| rule)
}

/// The bytes of [`KEY_ALPHABETS`] the key `name` of `word` may hold beyond
/// the key alphabet.
pub fn key_extra(name: &str, word: &str) -> Vec<u8> {
    KEY_ALPHABETS
        .iter()
        .filter(|(of, _)| of.is(name, word))
        .flat_map(|(_, extra)| extra.iter().copied())
        .collect()
}

/// Whether a decoded key meets a per-key rule (DESIGN §1.4).
pub fn meets(rule: KeyRule, value: &str) -> bool {
    match rule {
        KeyRule::SharePrefix => SHARE_PREFIXES
            .iter()
            .any(|p| value.len() > p.len() && value.starts_with(p)),
        KeyRule::SpecialFolder => SPECIAL_FOLDERS
            .iter()
            .any(|f| f.eq_ignore_ascii_case(value)),
    }
}

// ---------------------------------------------------------------------------
// Byte classes (DESIGN §1.4, §1.5, §6 "Output").
// ---------------------------------------------------------------------------

/// DESIGN §1.5: raw bytes allowed in a target (the query's `?` is handled
/// separately).
pub fn is_allowed_raw(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,=:@/%".contains(&b)
}

/// DESIGN §1.4: the key alphabet, after decoding.
pub fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!,@".contains(&b)
}

/// DESIGN §6 "Output": bytes a canonical path value keeps raw.
pub fn is_path_keep(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,=:@".contains(&b)
}

/// DESIGN §6 "Path-based addresses": forbidden characters of a decoded name:
/// OneDrive's `" * : < > ? \ |`, and the controls U+0000-U+001F and
/// U+007F-U+009F (DEL and the C1 controls).
pub fn is_forbidden_path_char(c: char) -> bool {
    "\"*:<>?\\|".contains(c) || c < '\u{20}' || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// DESIGN §1.4 / §6 "Key position": escapes that are `encoding` in a key:
/// encoded `/ \ ? #`, controls `%00`-`%1F` and `%7F`, and `%80`-`%FF`.
fn is_bad_key_escape(v: u8) -> bool {
    matches!(v, b'/' | b'\\' | b'?' | b'#') || v < 0x20 || v == 0x7f || v >= 0x80
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn is_brace(b: u8) -> bool {
    b == b'{' || b == b'}'
}

/// DESIGN §6 "Templates" and decision (n): a placeholder NAME is one or
/// more of `A-Z a-z 0-9 _ - .` and `%` followed by two hex digits (RFC
/// 6570 variable names: `drive%2Did`).
pub fn is_placeholder_name(name: &[u8]) -> bool {
    let mut i = 0;
    while i < name.len() {
        let b = name[i];
        if b == b'%' {
            let two_hex = i + 2 < name.len()
                && hex_value(name[i + 1]).is_some()
                && hex_value(name[i + 2]).is_some();
            if !two_hex {
                return false;
            }
            i += 3;
        } else if b.is_ascii_alphanumeric() || b"_-.".contains(&b) {
            i += 1;
        } else {
            return false;
        }
    }
    !name.is_empty()
}

/// DESIGN §6 "Templates": a placeholder is `{NAME}`, filling the whole key
/// or path value.
pub fn is_placeholder(raw: &[u8]) -> bool {
    raw.len() >= 3
        && raw[0] == b'{'
        && raw[raw.len() - 1] == b'}'
        && is_placeholder_name(&raw[1..raw.len() - 1])
}

/// Decodes each `%XX` of `raw` exactly once (DESIGN §1.4). `raw` has passed
/// the byte scan, so every `%` starts a valid escape. Returns the decoded
/// bytes and, for each of them, the offset in the target of the raw byte
/// (or `%`) it came from; `base` is the offset of `raw[0]`.
fn decode(raw: &[u8], base: usize) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        offsets.push(base + i);
        if raw[i] == b'%' {
            out.push(hex_value(raw[i + 1]).unwrap() * 16 + hex_value(raw[i + 2]).unwrap());
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    (out, offsets)
}

/// DESIGN §1.5: `.` and `..`, raw or encoded (`%2e%2e`, `.%2E`).
fn is_dot_segment(raw: &[u8]) -> bool {
    let (decoded, _) = decode(raw, 0);
    decoded == b"." || decoded == b".."
}

/// DESIGN §6 "Path-based addresses": in one inner segment of a path value
/// (`raw`, at offset `base`), the offset of the leftmost escape that is
/// `encoding` there: an encoded `/`, or a `%25` whose decoded `%` is
/// followed in the decoded name by two hex digits, raw or escaped (`%252F`,
/// `%25%32%46`). A decoded `%` can only come from `%25`: the byte scan
/// makes every raw `%` an escape.
fn bad_name_escape(raw: &[u8], base: usize) -> Option<usize> {
    let (decoded, offsets) = decode(raw, base);
    (0..decoded.len()).find_map(|j| {
        let hex = |k: usize| decoded.get(k).is_some_and(u8::is_ascii_hexdigit);
        let bad = decoded[j] == b'/' || (decoded[j] == b'%' && hex(j + 1) && hex(j + 2));
        bad.then_some(offsets[j])
    })
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn push_escape(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
    out.push(char::from(HEX_UPPER[usize::from(b & 0xf)]));
}

/// DESIGN §6 "Output": a path value re-encoded minimally, uppercase hex; the
/// `/` between names stays a separator.
pub fn encode_path_value(value: &str) -> String {
    let mut out = String::new();
    for &b in value.as_bytes() {
        if is_path_keep(b) || b == b'/' {
            out.push(char::from(b));
        } else {
            push_escape(&mut out, b);
        }
    }
    out
}

/// DESIGN §6 "Output" and decision (q): a decoded key as the canonical form
/// prints it. Its alphabet needs no escape, but for the two bytes of
/// [`KEY_ALPHABETS`]: a space (only a `listId` holds one) prints `%20`, a
/// raw space being a bad byte; a `:` that ends the key (only a `channelId`
/// holds one) prints `%3A`, so that it cannot open a path-based address.
/// Any other `:` prints raw.
pub fn encode_key(value: &str) -> String {
    let mut out = String::new();
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' || (b == b':' && i + 1 == bytes.len()) {
            push_escape(&mut out, b);
        } else {
            out.push(char::from(b));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Options and results.
// ---------------------------------------------------------------------------

/// The parser options of DESIGN §1.1, §1.3 and §1.6, plus template mode
/// (DESIGN §3).
#[derive(Debug, Clone)]
pub struct Options {
    pub template: bool,
    pub documented_only: bool,
    pub max_target_len: usize,
    pub max_segments: usize,
    pub max_key_len: usize,
    pub max_path_chars: usize,
    pub versions: Vec<String>,
    pub hosts: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            template: false,
            documented_only: false,
            max_target_len: DEFAULT_MAX_TARGET_LEN,
            max_segments: DEFAULT_MAX_SEGMENTS,
            max_key_len: DEFAULT_MAX_KEY_LEN,
            max_path_chars: DEFAULT_MAX_PATH_CHARS,
            versions: DEFAULT_VERSIONS.iter().map(ToString::to_string).collect(),
            hosts: DEFAULT_HOSTS.iter().map(ToString::to_string).collect(),
        }
    }
}

/// What a target classifies as: the fields of the CLI's JSON (DESIGN §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok {
        template: String,
        documented: bool,
        params: Vec<(String, String)>,
        canonical: String,
        version: Option<String>,
        query: Option<String>,
    },
    Err {
        kind: &'static str,
        offset: usize,
    },
}

/// An error of DESIGN §2: its kind's snake_case name and its offset.
type Fail = (&'static str, usize);

fn fail<T>(kind: &'static str, offset: usize) -> Result<T, Fail> {
    Err((kind, offset))
}

// ---------------------------------------------------------------------------
// CLI lines (DESIGN §4, §6 "CLI lines").
// ---------------------------------------------------------------------------

/// The CLI's input as lines (DESIGN §4, §6 "CLI lines"): a UTF-8 byte order
/// mark at the very start of the input is skipped (decision (j): the CLI
/// does it, not the line entry point); the rest is split on `\n` only; a
/// last line without `\n` is a line, and the `\n` that ends the input ends
/// its last line (decision (v)). Each line keeps its `\r`: the line entry
/// point drops the one that belongs to the line ending.
pub fn cli_lines(input: &[u8]) -> Vec<&[u8]> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    if input.is_empty() || input.ends_with(b"\n") {
        lines.pop();
    }
    lines
}

/// DESIGN §6 "CLI lines": the method and the target of a line, decisions
/// (j), (k) and (s). One `\r` that is the last byte of the line belongs to
/// the line ending; then `METHOD TARGET` when the line starts with `[A-Z]+`
/// and one space, with an HTTP/1.1 request line's ` HTTP/d.d` dropped from
/// the end; else the whole line is the target of a POST.
pub fn split_line(line: &[u8]) -> (&[u8], &[u8]) {
    // (j) One `\r` at the very end: the CRLF line ending's.
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let letters = line.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters > 0 && line.get(letters) == Some(&b' ') {
        (&line[..letters], strip_http_version(&line[letters + 1..]))
    } else {
        (b"POST", line)
    }
}

/// Decisions (k) and (s): ` HTTP/` digit `.` digit ending what follows
/// the method is dropped, when a target stands before it that is not empty
/// and does not end with a space (one space each).
fn strip_http_version(rest: &[u8]) -> &[u8] {
    const SUFFIX: usize = b" HTTP/1.1".len();
    let n = rest.len();
    let is_suffix = |s: &[u8]| {
        s.starts_with(b" HTTP/") && s[6].is_ascii_digit() && s[7] == b'.' && s[8].is_ascii_digit()
    };
    if n > SUFFIX && is_suffix(&rest[n - SUFFIX..]) && rest[n - SUFFIX - 1] != b' ' {
        &rest[..n - SUFFIX]
    } else {
        rest
    }
}

/// A CLI line (DESIGN §4, §6 "CLI lines"), in the options' mode: the
/// reference's line entry point.
pub fn classify_line(opts: &Options, line: &[u8]) -> Outcome {
    let (method, target) = split_line(line);
    classify(opts, Some(method), target)
}

/// A request target (or template, in template mode), with an optional
/// method (`None`: POST assumed).
pub fn classify(opts: &Options, method: Option<&[u8]>, target: &[u8]) -> Outcome {
    match run(opts, method, target) {
        Ok(outcome) => outcome,
        Err((kind, offset)) => Outcome::Err { kind, offset },
    }
}

// ---------------------------------------------------------------------------
// DESIGN §6 "Order of checks", steps (1) to (7).
// ---------------------------------------------------------------------------

fn run(o: &Options, method: Option<&[u8]>, t: &[u8]) -> Result<Outcome, Fail> {
    // (1) Target length, before any other work: `limit` at the limit. A
    // template counts whole, `{+baseurl}` and `{?...}` included (decision
    // (u)).
    if t.len() > o.max_target_len {
        return fail("limit", o.max_target_len);
    }

    // (2) Method, compared byte-exactly with `POST`: `method` at 0.
    if let Some(m) = method {
        if m != b"POST" {
            return fail("method", 0);
        }
    }

    // Templates: a trailing query expression `{?a,b}` is dropped before the
    // byte scan (DESIGN §6 "Templates", decision (m)); offsets still count
    // in the whole template.
    let t = if o.template {
        &t[..t.len() - query_expression_len(t)]
    } else {
        t
    };

    // (3) One scan of the whole target, leftmost problem first.
    scan(o, t)?;

    // The query is split off at the first `?` and exposed raw (DESIGN §1.1);
    // the path ends there (DESIGN §6 "Offsets of incomplete").
    let (path, query) = match t.iter().position(|&b| b == b'?') {
        Some(q) => (
            &t[..q],
            Some(String::from_utf8(t[q + 1..].to_vec()).unwrap()),
        ),
        None => (t, None),
    };

    // (4) Scheme and authority: where the path starts, and whether the
    // target is in absolute-form.
    let (path_start, absolute) = target_form(o, path)?;

    // (5) and (6): the path, segment by segment; a path that ends before
    // the action is `incomplete`.
    let walked = walk(o, path, path_start, absolute)?;

    // Rendering (DESIGN §1.3, §3, §6 "Output").
    let documented = DOCUMENTED.contains(&walked.template.as_str());

    // (7) Documented-only mode: `undocumented` at 0.
    if o.documented_only && !documented {
        return fail("undocumented", 0);
    }

    Ok(Outcome::Ok {
        template: walked.template,
        documented,
        params: walked.params,
        canonical: walked.canonical,
        version: walked.version,
        query,
    })
}

/// DESIGN §6 "Templates", decisions (m) and (n): the length of the query
/// expression `{?` NAME (`,` NAME)* `}` that ends the template, or 0. A
/// NAME holds no brace, so the expression can only start at the last `{`.
fn query_expression_len(t: &[u8]) -> usize {
    let Some(open) = t.iter().rposition(|&b| b == b'{') else {
        return 0;
    };
    let expression = &t[open..];
    let Some(names) = expression
        .strip_prefix(b"{?")
        .and_then(|rest| rest.strip_suffix(b"}"))
    else {
        return 0;
    };
    if names.split(|&b| b == b',').all(is_placeholder_name) {
        expression.len()
    } else {
        0
    }
}

/// Step (3): a raw byte outside the allowed set (DESIGN §1.5; any byte >= 0x80
/// included) is `syntax` at that byte; a `%` not followed by two hex digits
/// is `encoding` at the `%`, in the query too; `?` may repeat in the query.
/// Templates (DESIGN §6 "Templates") also allow `{` and `}`, but not in the
/// query, where a brace is a bad byte like any other (decision (b)).
fn scan(o: &Options, t: &[u8]) -> Result<(), Fail> {
    let mut in_query = false;
    for (i, &b) in t.iter().enumerate() {
        if b == b'%' {
            let two_hex =
                i + 2 < t.len() && hex_value(t[i + 1]).is_some() && hex_value(t[i + 2]).is_some();
            if !two_hex {
                return fail("encoding", i);
            }
        } else if b == b'?' {
            in_query = true;
        } else if o.template && is_brace(b) && !in_query {
            // A brace in the path of a template; where it stands is checked
            // later (authority, keyword, key or path value).
        } else if !is_allowed_raw(b) {
            return fail("syntax", i);
        }
    }
    Ok(())
}

/// DESIGN §6 "Templates", decision (l): the prefix a template may begin with.
pub const BASEURL: &[u8] = b"{+baseurl}";

/// Step (4), DESIGN §1.1 and §6 "Targets and hosts". Returns the offset of the
/// path's first `/` and whether the target is in absolute-form.
fn target_form(o: &Options, path: &[u8]) -> Result<(usize, bool), Fail> {
    // origin-form
    if path.first() == Some(&b'/') {
        return Ok((0, false));
    }

    // Templates: exactly `{+baseurl}` at the very start; the rest is read as
    // origin-form and must start with `/`, else `syntax` at the byte after
    // `}` (decision (l)).
    if o.template {
        if let Some(rest) = path.strip_prefix(BASEURL) {
            if rest.first() != Some(&b'/') {
                return fail("syntax", BASEURL.len());
            }
            return Ok((BASEURL.len(), false));
        }
    }

    // `scheme:` (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ));
    // a target starting with neither `/` nor `scheme:` is `syntax` at 0.
    let scheme_len = match path.first() {
        Some(b) if b.is_ascii_alphabetic() => path
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
            .count(),
        _ => return fail("syntax", 0),
    };
    if path.get(scheme_len) != Some(&b':') {
        return fail("syntax", 0);
    }

    // The scheme is ASCII case-insensitive; another one is `host` at 0.
    if !path[..scheme_len].eq_ignore_ascii_case(b"https") {
        return fail("host", 0);
    }

    // `//` after `https:`. Decision (a): `syntax` at the first byte that is
    // not the expected `/` (at the end of the path when it stops short).
    for i in scheme_len + 1..scheme_len + 3 {
        if path.get(i) != Some(&b'/') {
            return fail("syntax", i);
        }
    }

    // The authority runs to the next `/` or to the end of the path.
    let start = scheme_len + 3;
    let end = path[start..]
        .iter()
        .position(|&b| b == b'/')
        .map_or(path.len(), |k| start + k);
    let authority = &path[start..end];

    // Decision (b): in a template, a brace in the authority is `syntax` at
    // that brace.
    if o.template {
        if let Some(k) = authority.iter().position(|&b| is_brace(b)) {
            return fail("syntax", start + k);
        }
    }

    // Userinfo, a port other than exactly `443`, or a host outside the list
    // are `host` at the authority start; the host is compared ASCII
    // case-insensitively, raw.
    if authority.contains(&b'@') {
        return fail("host", start);
    }
    // The port starts at the first `:`: a host (RFC 3986 reg-name; IP
    // literals need `[`, which the scan rejects) holds no `:`, so
    // `host:443:443` has the port `443:443`, whatever hosts are configured.
    let host = match authority.iter().position(|&b| b == b':') {
        Some(colon) => {
            if &authority[colon + 1..] != b"443" {
                return fail("host", start);
            }
            &authority[..colon]
        }
        None => authority,
    };
    if !o
        .hosts
        .iter()
        .any(|h| h.as_bytes().eq_ignore_ascii_case(host))
    {
        return fail("host", start);
    }

    // `https://host` with no path is `incomplete` (at the end of the path).
    if end == path.len() {
        return fail("incomplete", path.len());
    }
    Ok((end, true))
}

// ---------------------------------------------------------------------------
// Step (5): the path.
// ---------------------------------------------------------------------------

/// What the walk of the path produced.
struct Walked {
    template: String,
    canonical: String,
    params: Vec<(String, String)>,
    version: Option<String>,
}

/// The walker's state: the path, the segments, and what has been read.
struct Walker<'o, 'p> {
    opts: &'o Options,
    path: &'p [u8],
    /// `(start, end)` of each URL path segment: `start` is the byte after
    /// its `/`, `end` the next `/` or the end of the path.
    segments: Vec<(usize, usize)>,
    /// Segments seen so far, for the segment limit (DESIGN §6: URL path
    /// segments, counting the version and each segment inside an address).
    count: usize,
    /// The rows the walk may take (DESIGN §1.2 "Versions").
    graph: Graph,
    ty: Ty,
    template: String,
    canonical: String,
    params: Vec<(String, String)>,
}

/// A checked key: its param value (decoded, or a template's placeholder as
/// written) and how the canonical form prints it.
struct Key {
    value: String,
    canonical: String,
}

// One loop over the segments, in DESIGN's order of checks: kept in one
// piece on purpose, so that it reads like DESIGN §6.
#[allow(clippy::too_many_lines)]
fn walk(opts: &Options, path: &[u8], path_start: usize, absolute: bool) -> Result<Walked, Fail> {
    let mut segments = Vec::new();
    let mut slash = path_start;
    loop {
        let next = path[slash + 1..]
            .iter()
            .position(|&b| b == b'/')
            .map(|k| slash + 1 + k);
        segments.push((slash + 1, next.unwrap_or(path.len())));
        match next {
            Some(n) => slash = n,
            None => break,
        }
    }
    let mut w = Walker {
        opts,
        path,
        segments,
        count: 0,
        graph: Graph::of(None, opts.template),
        ty: Ty::Root,
        template: String::new(),
        canonical: String::new(),
        params: Vec::new(),
    };
    let end = path.len();
    let mut version = None;
    let mut index = 0;

    while index < w.segments.len() {
        let (s, e) = w.segments[index];
        w.segment_checks(index)?;
        let raw = &path[s..e];

        // A `:` that ends the segment and is followed by `/` opens a
        // path-based address (DESIGN §6 "Path-based addresses").
        let opens_address = raw.last() == Some(&b':') && e < end;
        let word_end = if opens_address { e - 1 } else { e };
        let word_raw = &path[s..word_end];

        // Version position: the first segment is tried as a version first
        // (ASCII case-insensitive, reported in its configured spelling), on
        // its text before a `:` that opens an address: the version may open
        // one, which on the service root is `nesting` at the `:`. In
        // absolute-form it must be one: a `%` in it is `encoding` at the
        // first `%` (decision (w)), anything else `unknown_segment`. The
        // version picks the rows of the walk (DESIGN §1.2 "Versions",
        // decision (h)).
        if index == 0 {
            if let Some(v) = opts
                .versions
                .iter()
                .find(|v| v.as_bytes().eq_ignore_ascii_case(word_raw))
            {
                w.graph = Graph::of(Some(v), opts.template);
                version = Some(v.clone());
                index += 1;
                if opens_address {
                    index = w.address(e)?;
                }
                continue;
            }
            if absolute {
                // In a template, a brace here is no placeholder: `syntax`
                // at the first brace, as anywhere but a key or path value.
                if opts.template {
                    if let Some(k) = word_raw.iter().position(|&b| is_brace(b)) {
                        return fail("syntax", s + k);
                    }
                }
                if let Some(k) = word_raw.iter().position(|&b| b == b'%') {
                    return fail("encoding", s + k);
                }
                return fail("unknown_segment", s);
            }
        }

        // Keyword position: anything after the action is `nesting`.
        if w.ty == Ty::Done {
            return fail("nesting", s);
        }
        let paren = word_raw.iter().position(|&b| b == b'(');
        let keyword = &word_raw[..paren.unwrap_or(word_raw.len())];

        // Templates: a brace anywhere but in a whole key or path value is
        // `syntax` at the first brace.
        if opts.template {
            if let Some(k) = keyword.iter().position(|&b| is_brace(b)) {
                return fail("syntax", s + k);
            }
        }
        // Any `%` in the keyword is `encoding` at the first `%`; only the
        // word before `(` is the keyword (decision (c)).
        if let Some(k) = keyword.iter().position(|&b| b == b'%') {
            return fail("encoding", s + k);
        }
        // A word not in the model: `unknown_segment`; a model word not
        // allowed here: `nesting`. Under v1.0 the model is its rows only
        // (decision (i)).
        if !is_model_word(keyword, w.graph) {
            return fail("unknown_segment", s);
        }
        let Some(edge) = step(w.ty, keyword, w.graph) else {
            return fail("nesting", s);
        };

        match (edge.key, paren) {
            // Parentheses on a keyword that takes no key: `syntax` at `(`.
            (None, Some(open)) => return fail("syntax", s + open),
            (None, None) => w.push_keyword(edge),
            // `name('KEY')` (DESIGN §1.4, §6 "('key') form").
            (Some(name), Some(open)) => {
                let (ks, ke) = paren_key(path, s + open, word_end)?;
                let key = w.check_key(ks, ke, name, edge.word)?;
                w.push_key(edge, name, key);
            }
            // Key as segment: the next segment is the key.
            (Some(name), None) => {
                // An address right after a keyword that needs a key is
                // `nesting` at the opening `:`.
                if opens_address {
                    return fail("nesting", e - 1);
                }
                // A key-taking keyword at the end is `incomplete`.
                index += 1;
                if index >= w.segments.len() {
                    return fail("incomplete", end);
                }
                let (ks, ke) = w.segments[index];
                w.segment_checks(index)?;
                // A raw `:` ending the key segment before a `/` opens an
                // address, for a `channelId` too, whose alphabet has `:`
                // (decision (o)); `%3A` never does.
                let key_opens = path[ks..ke].last() == Some(&b':') && ke < end;
                let key_end = if key_opens { ke - 1 } else { ke };
                let key = w.check_key(ks, key_end, name, edge.word)?;
                w.push_key(edge, name, key);
                if key_opens {
                    index = w.address(ke)?;
                    continue;
                }
            }
        }

        index += 1;
        if opens_address {
            index = w.address(e)?;
        }
    }

    // (6) A path that ends before the action: `incomplete` at its end.
    if w.ty != Ty::Done {
        return fail("incomplete", end);
    }
    Ok(Walked {
        template: w.template,
        canonical: w.canonical,
        params: w.params,
        version,
    })
}

/// DESIGN §6 "('key') form": the whole segment is `name('KEY')`, `open` is
/// the offset of `(` and `end` the end of the segment (before an address
/// opener `:`). Returns the key's span.
fn paren_key(path: &[u8], open: usize, end: usize) -> Result<(usize, usize), Fail> {
    // No `'` after `(`: `syntax` at the byte after `(`.
    if open + 1 >= end || path[open + 1] != b'\'' {
        return fail("syntax", open + 1);
    }
    let start = open + 2;
    // No closing `'`: `syntax` at the end of the segment.
    let Some(close) = path[start..end]
        .iter()
        .position(|&b| b == b'\'')
        .map(|k| start + k)
    else {
        return fail("syntax", end);
    };
    // No `)` after the closing `'`, or anything after `)`: `syntax` there.
    if close + 1 >= end || path[close + 1] != b')' {
        return fail("syntax", close + 1);
    }
    if close + 2 < end {
        return fail("syntax", close + 2);
    }
    // `('')`: `invalid_id` at the key start.
    if close == start {
        return fail("invalid_id", start);
    }
    Ok((start, close))
}

impl Walker<'_, '_> {
    /// DESIGN §6 "Inside one segment", before the position's own checks:
    /// segment count (`limit` at the start of segment N+1) → empty segment
    /// (`syntax` at the superfluous `/`) → dot segment (`syntax` at the
    /// segment start).
    fn segment_checks(&mut self, index: usize) -> Result<(), Fail> {
        let (s, e) = self.segments[index];
        self.count += 1;
        if self.count > self.opts.max_segments {
            return fail("limit", s);
        }
        if s == e {
            // The second `/` of `//` (which starts this empty segment), or a
            // trailing `/` itself (the one before it).
            let last = index + 1 == self.segments.len();
            return fail("syntax", if last { s - 1 } else { s });
        }
        if is_dot_segment(&self.path[s..e]) {
            return fail("syntax", s);
        }
        Ok(())
    }

    /// DESIGN §6 "Key position", for the key at `start..end` of the keyword
    /// `word` whose canonical param name is `name`.
    fn check_key(&self, start: usize, end: usize, name: &str, word: &str) -> Result<Key, Fail> {
        let raw = &self.path[start..end];

        // DESIGN §1.4: a key `.` or `..` (raw or encoded) is a dot segment,
        // `syntax` at the key start, and DESIGN §6 checks dot segments before
        // the position's own checks. A key segment that is a dot segment was
        // caught with its segment already; this catches the keys that are
        // not a whole URL segment: `('..')` (decision (d)) and `..:` before
        // a path-based address (`items/.:/a:`).
        if is_dot_segment(raw) {
            return fail("syntax", start);
        }

        // Templates: a placeholder fills the whole key and skips the key
        // rules and the key limit; a brace anywhere else is `syntax` at the
        // first brace.
        if self.opts.template {
            if is_placeholder(raw) {
                let text = String::from_utf8(raw.to_vec()).unwrap();
                return Ok(Key {
                    value: text.clone(),
                    canonical: text,
                });
            }
            if let Some(k) = raw.iter().position(|&b| is_brace(b)) {
                return fail("syntax", start + k);
            }
        }

        // Escapes left to right: encoded `/ \ ? #`, controls, `%80`-`%FF`
        // are `encoding` at the `%`.
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%' {
                let v = hex_value(raw[i + 1]).unwrap() * 16 + hex_value(raw[i + 2]).unwrap();
                if is_bad_key_escape(v) {
                    return fail("encoding", start + i);
                }
                i += 3;
            } else {
                i += 1;
            }
        }
        let (decoded, offsets) = decode(raw, start);

        // Decoded length over the limit: `limit` at the raw offset of the
        // first byte past it.
        if decoded.len() > self.opts.max_key_len {
            return fail("limit", offsets[self.opts.max_key_len]);
        }
        // Empty, then the decoded alphabet: `invalid_id` at the key start.
        // The alphabet is the key's own (DESIGN §1.4, decision (o): a
        // `channelId` also holds `:`, a `listId` a space). DESIGN §6 names
        // those alphabets among the per-key rules; both steps give
        // `invalid_id` at the key start, so checking them here, in one
        // pass, gives the same outcome.
        let extra = key_extra(name, word);
        if decoded.is_empty()
            || !decoded
                .iter()
                .all(|&b| is_key_byte(b) || extra.contains(&b))
        {
            return fail("invalid_id", start);
        }
        let value = String::from_utf8(decoded).unwrap();

        // Per-key rules (DESIGN §1.4): `invalid_id` at the key start. The
        // prefixes an OData backend reads as an alias or a cast hold for
        // every key.
        if key_rules(name, word).any(|rule| !meets(rule, &value)) || has_refused_prefix(&value) {
            return fail("invalid_id", start);
        }
        // DESIGN §6 "Output", decision (q).
        Ok(Key {
            canonical: encode_key(&value),
            value,
        })
    }

    fn push_keyword(&mut self, edge: &Edge) {
        self.template.push('/');
        self.template.push_str(edge.canonical);
        self.canonical.push('/');
        self.canonical.push_str(edge.canonical);
        self.ty = edge.to;
    }

    /// A keyword and its key: the template gets `{name}`, the canonical form
    /// the key as [`Key`] prints it.
    fn push_key(&mut self, edge: &Edge, name: &str, key: Key) {
        self.push_keyword(edge);
        self.template.push_str("/{");
        self.template.push_str(name);
        self.template.push('}');
        self.canonical.push('/');
        self.canonical.push_str(&key.canonical);
        self.params.push((name.to_string(), key.value));
    }

    /// DESIGN §1.4 and §6 "Path-based addresses". `slash` is the offset of the
    /// `/` after the opening `:`. Returns the index of the first segment
    /// after the address.
    fn address(&mut self, slash: usize) -> Result<usize, Fail> {
        // On a type that is neither a DriveItem nor a Site (the rows of
        // ADDRESSES): `nesting` at the opening `:`. On a Site it is a site by
        // path (DESIGN §1.4, decisions (p) and (r)), checked like an item's.
        let Some(to) = address_to(self.ty, self.graph) else {
            return fail("nesting", slash - 1);
        };
        let path = self.path;
        let end = path.len();
        let start = slash + 1;

        // It closes at the first `:` followed by `/` or the end of the path.
        let close =
            (start..end).find(|&k| path[k] == b':' && (k + 1 == end || path[k + 1] == b'/'));
        let inner_end = close.unwrap_or(end);
        // A placeholder fills the whole value and skips the value's checks,
        // `%2F` included (decision (t)).
        let whole_placeholder = self.opts.template && is_placeholder(&path[start..inner_end]);

        // Each inner segment, left to right: count, empty, dot, then in one
        // left-to-right pass `%2F` and a `%25` whose `%` comes before two
        // hex digits in the decoded name (a second decoding would read
        // another path): `encoding` at that `%`.
        let mut a = start;
        loop {
            let b = path[a..inner_end]
                .iter()
                .position(|&x| x == b'/')
                .map_or(inner_end, |k| a + k);
            self.count += 1;
            if self.count > self.opts.max_segments {
                return fail("limit", a);
            }
            if a == b {
                // The superfluous `/` of `//` is the one at `a`; an empty
                // last inner segment (right before the closing `:` or the
                // end) is `syntax` at the `/` before it (decision (e)).
                return fail("syntax", if a < inner_end { a } else { a - 1 });
            }
            if is_dot_segment(&path[a..b]) {
                return fail("syntax", a);
            }
            if self.opts.template && !whole_placeholder {
                if let Some(k) = path[a..b].iter().position(|&x| is_brace(x)) {
                    return fail("syntax", a + k);
                }
            }
            if !whole_placeholder {
                if let Some(at) = bad_name_escape(&path[a..b], a) {
                    return fail("encoding", at);
                }
            }
            if b == inner_end {
                break;
            }
            a = b + 1;
        }

        let raw = &path[start..inner_end];
        let (value, canonical) = if whole_placeholder {
            let text = String::from_utf8(raw.to_vec()).unwrap();
            (text.clone(), text)
        } else {
            let (decoded, offsets) = decode(raw, start);
            // UTF-8 (overlongs and surrogates invalid): `encoding` at the
            // `%` starting the first bad sequence.
            let value = match String::from_utf8(decoded) {
                Ok(v) => v,
                Err(e) => return fail("encoding", offsets[e.utf8_error().valid_up_to()]),
            };
            // At most N Unicode scalar values: `limit` at character N+1.
            if let Some((byte, _)) = value.char_indices().nth(self.opts.max_path_chars) {
                return fail("limit", offsets[byte]);
            }
            // The naming rules, on each name and on its NFKC form: a
            // forbidden character (decoded or raw), an edge space, a
            // trailing `.`, a reserved name (DESIGN §1.4): `invalid_id` at
            // the first byte of the path value.
            if value.split('/').any(name_breaks_rules) {
                return fail("invalid_id", start);
            }
            // Decision (g): literal values are re-encoded, in templates too.
            let canonical = encode_path_value(&value);
            (value, canonical)
        };

        // Unclosed: checked to the end of the path like a closed address,
        // then `incomplete` at the end of the path (decision (f)).
        let Some(close) = close else {
            return fail("incomplete", end);
        };

        self.template.push_str(":/{path}:");
        self.canonical.push_str(":/");
        self.canonical.push_str(&canonical);
        self.canonical.push(':');
        self.params.push(("path".to_string(), value));
        self.ty = to;

        // Skip the URL segments the address covered.
        Ok(self
            .segments
            .iter()
            .position(|&(s, _)| s > close)
            .unwrap_or(self.segments.len()))
    }
}
