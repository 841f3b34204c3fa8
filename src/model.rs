//! The Graph data model of SPEC 1.2 and the documented routes of SPEC 1.3, as
//! data. The validator walks [`EDGES`]; nothing else in the crate knows which
//! segment may follow which.

use std::fmt;

/// A resource type of the Graph data model that a route passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Type {
    /// The service root, before the first segment.
    Root,
    User,
    Group,
    Team,
    Site,
    Drive,
    BaseItem,
    SharedDriveItem,
    DriveItem,
    ListItem,
    ItemAnalytics,
    ItemActivityStat,
    ItemActivity,
}

/// How many types there are.
const TYPES: usize = Type::ItemActivity as usize + 1;

impl Type {
    /// The type's name as messages print it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Type::Root => "the service root",
            Type::User => "a User",
            Type::Group => "a Group",
            Type::Team => "a Team",
            Type::Site => "a Site",
            Type::Drive => "a Drive",
            Type::BaseItem => "a BaseItem",
            Type::SharedDriveItem => "a SharedDriveItem",
            Type::DriveItem => "a DriveItem",
            Type::ListItem => "a ListItem",
            Type::ItemAnalytics => "an ItemAnalytics",
            Type::ItemActivityStat => "an ItemActivityStat",
            Type::ItemActivity => "an ItemActivity",
        }
    }
}

/// A word of the data model: a navigation segment, the type cast or the action.
///
/// Keywords match ASCII case-insensitively; [`Keyword::as_str`] gives the
/// canonical spelling that templates and canonical targets use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Keyword {
    /// `me`
    Me,
    /// `users`
    Users,
    /// `groups`
    Groups,
    /// `sites`
    Sites,
    /// `drives`
    Drives,
    /// `shares`
    Shares,
    /// `workbooks`
    Workbooks,
    /// `drive`
    Drive,
    /// `joinedTeams`
    JoinedTeams,
    /// `items`
    Items,
    /// `special`
    Special,
    /// `children`
    Children,
    /// `root`
    Root,
    /// `driveItem`
    DriveItem,
    /// `listItem`
    ListItem,
    /// `analytics`
    Analytics,
    /// `itemActivityStats`
    ItemActivityStats,
    /// `activities`
    Activities,
    /// `microsoft.graph.sharedDriveItem`, the type cast from a BaseItem.
    SharedDriveItem,
    /// `checkout` (or `microsoft.graph.checkout`), the action.
    Checkout,
}

/// Every spelling a segment may have, in canonical form; lookups ignore ASCII case.
const SPELLINGS: [(&str, Keyword); 21] = [
    ("me", Keyword::Me),
    ("users", Keyword::Users),
    ("groups", Keyword::Groups),
    ("sites", Keyword::Sites),
    ("drives", Keyword::Drives),
    ("shares", Keyword::Shares),
    ("workbooks", Keyword::Workbooks),
    ("drive", Keyword::Drive),
    ("joinedTeams", Keyword::JoinedTeams),
    ("items", Keyword::Items),
    ("special", Keyword::Special),
    ("children", Keyword::Children),
    ("root", Keyword::Root),
    ("driveItem", Keyword::DriveItem),
    ("listItem", Keyword::ListItem),
    ("analytics", Keyword::Analytics),
    ("itemActivityStats", Keyword::ItemActivityStats),
    ("activities", Keyword::Activities),
    ("microsoft.graph.sharedDriveItem", Keyword::SharedDriveItem),
    ("checkout", Keyword::Checkout),
    ("microsoft.graph.checkout", Keyword::Checkout),
];

impl Keyword {
    /// The canonical spelling: `joinedTeams`, `microsoft.graph.sharedDriveItem`, `checkout`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Keyword::Me => "me",
            Keyword::Users => "users",
            Keyword::Groups => "groups",
            Keyword::Sites => "sites",
            Keyword::Drives => "drives",
            Keyword::Shares => "shares",
            Keyword::Workbooks => "workbooks",
            Keyword::Drive => "drive",
            Keyword::JoinedTeams => "joinedTeams",
            Keyword::Items => "items",
            Keyword::Special => "special",
            Keyword::Children => "children",
            Keyword::Root => "root",
            Keyword::DriveItem => "driveItem",
            Keyword::ListItem => "listItem",
            Keyword::Analytics => "analytics",
            Keyword::ItemActivityStats => "itemActivityStats",
            Keyword::Activities => "activities",
            Keyword::SharedDriveItem => "microsoft.graph.sharedDriveItem",
            Keyword::Checkout => "checkout",
        }
    }

    /// Looks a segment up, ASCII case-insensitively.
    pub(crate) fn lookup(word: &str) -> Option<Keyword> {
        SPELLINGS
            .iter()
            .find(|(spelling, _)| {
                spelling.len() == word.len() && spelling.eq_ignore_ascii_case(word)
            })
            .map(|(_, keyword)| *keyword)
    }
}

/// ASCII case-insensitive equality, with the length compared first (most
/// candidates differ in length).
#[inline]
fn same_ignoring_case(word: &str, spelling: &str) -> bool {
    // A short loop the compiler inlines, where `==` and
    // `eq_ignore_ascii_case` call out: a byte matches itself, or the other
    // case of a letter.
    word.len() == spelling.len()
        && word
            .bytes()
            .zip(spelling.bytes())
            .all(|(w, s)| w == s || (s.is_ascii_alphabetic() && w ^ 0x20 == s))
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Extra rules a key must meet beyond the common alphabet (SPEC 1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum KeyRule {
    /// Any key in the alphabet.
    Any,
    /// `u!` or `s!` and at least one more character.
    Share,
    /// One of the special-folder names, ASCII case-insensitive.
    SpecialFolder,
}

/// The special folders that `special/{name}` may name.
pub(crate) const SPECIAL_FOLDERS: [&str; 6] = [
    "documents",
    "photos",
    "cameraroll",
    "approot",
    "music",
    "recordings",
];

impl KeyRule {
    /// Whether a decoded key meets the rule.
    #[inline]
    pub(crate) fn allows(self, key: &str) -> bool {
        match self {
            KeyRule::Any => true,
            KeyRule::Share => (key.starts_with("u!") || key.starts_with("s!")) && key.len() > 2,
            KeyRule::SpecialFolder => SPECIAL_FOLDERS
                .iter()
                .any(|name| name.eq_ignore_ascii_case(key)),
        }
    }

    /// What the rule asks for, as messages print it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            KeyRule::Any => "",
            KeyRule::Share => "a share id starts with `u!` or `s!` and has more after it",
            KeyRule::SpecialFolder => {
                "a special folder is one of documents, photos, cameraroll, approot, music, recordings"
            }
        }
    }
}

/// One step of the type graph: from a type, a keyword (with a key when
/// `param` is set) leads to another type. The action leads nowhere (`to` is
/// `None`).
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    pub(crate) from: Type,
    pub(crate) keyword: Keyword,
    /// `keyword.as_str()`, at hand for the lookup.
    pub(crate) word: &'static str,
    /// The same, prepared for the fast path.
    pub(crate) spelling: Spelling,
    /// The canonical parameter name of the key that follows the keyword.
    pub(crate) param: Option<&'static str>,
    pub(crate) rule: KeyRule,
    pub(crate) to: Option<Type>,
}

const fn step(from: Type, keyword: Keyword, to: Type) -> Edge {
    Edge {
        from,
        keyword,
        word: keyword.as_str(),
        spelling: Spelling::new(keyword.as_str()),
        param: None,
        rule: KeyRule::Any,
        to: Some(to),
    }
}

const fn keyed(from: Type, keyword: Keyword, param: &'static str, to: Type) -> Edge {
    Edge {
        from,
        keyword,
        word: keyword.as_str(),
        spelling: Spelling::new(keyword.as_str()),
        param: Some(param),
        rule: KeyRule::Any,
        to: Some(to),
    }
}

const fn ruled(from: Type, keyword: Keyword, param: &'static str, rule: KeyRule, to: Type) -> Edge {
    Edge {
        from,
        keyword,
        word: keyword.as_str(),
        spelling: Spelling::new(keyword.as_str()),
        param: Some(param),
        rule,
        to: Some(to),
    }
}

/// The number of rows of [`EDGES`].
pub(crate) const EDGE_COUNT: usize = 31;

/// The type graph of SPEC 1.2, one row per `from --segment--> to`, grouped
/// by `from` (the lookup table below relies on the grouping). The action is
/// the row that leads nowhere.
pub(crate) static EDGES: [Edge; EDGE_COUNT] = {
    use Keyword as K;
    use Type as T;
    [
        step(T::Root, K::Me, T::User),
        keyed(T::Root, K::Users, "userId", T::User),
        keyed(T::Root, K::Groups, "groupId", T::Group),
        keyed(T::Root, K::Sites, "siteId", T::Site),
        keyed(T::Root, K::Drives, "drivesId", T::Drive),
        ruled(
            T::Root,
            K::Shares,
            "sharesId",
            KeyRule::Share,
            T::SharedDriveItem,
        ),
        keyed(T::Root, K::Workbooks, "workbooksId", T::DriveItem),
        step(T::User, K::Drive, T::Drive),
        keyed(T::User, K::Drives, "drivesId", T::Drive),
        keyed(T::User, K::JoinedTeams, "groupId", T::Team),
        step(T::Group, K::Drive, T::Drive),
        keyed(T::Group, K::Drives, "drivesId", T::Drive),
        keyed(T::Team, K::Sites, "siteId", T::Site),
        step(T::Site, K::Drive, T::Drive),
        keyed(T::Site, K::Drives, "drivesId", T::Drive),
        keyed(T::Site, K::Items, "baseItemId", T::BaseItem),
        step(T::BaseItem, K::SharedDriveItem, T::SharedDriveItem),
        step(T::SharedDriveItem, K::Root, T::DriveItem),
        step(T::SharedDriveItem, K::DriveItem, T::DriveItem),
        keyed(T::SharedDriveItem, K::Items, "driveItemId", T::DriveItem),
        step(T::Drive, K::Root, T::DriveItem),
        keyed(T::Drive, K::Items, "driveItemId", T::DriveItem),
        ruled(
            T::Drive,
            K::Special,
            "driveItemId",
            KeyRule::SpecialFolder,
            T::DriveItem,
        ),
        keyed(T::DriveItem, K::Children, "driveItemId", T::DriveItem),
        step(T::DriveItem, K::ListItem, T::ListItem),
        step(T::DriveItem, K::Analytics, T::ItemAnalytics),
        Edge {
            from: T::DriveItem,
            keyword: K::Checkout,
            word: K::Checkout.as_str(),
            spelling: Spelling::new(K::Checkout.as_str()),
            param: None,
            rule: KeyRule::Any,
            to: None,
        },
        step(T::ListItem, K::DriveItem, T::DriveItem),
        keyed(
            T::ItemAnalytics,
            K::ItemActivityStats,
            "itemActivityStatId",
            T::ItemActivityStat,
        ),
        keyed(
            T::ItemActivityStat,
            K::Activities,
            "itemActivityId",
            T::ItemActivity,
        ),
        step(T::ItemActivity, K::DriveItem, T::DriveItem),
    ]
};

/// For each type, the range of [`EDGES`] that leaves it.
static FROM: [(usize, usize); TYPES] = {
    let mut ranges = [(0, 0); TYPES];
    let mut i = 0;
    while i < EDGES.len() {
        let from = EDGES[i].from as usize;
        if ranges[from].1 == 0 {
            ranges[from].0 = i;
        }
        // The rows of one type must be contiguous.
        assert!(ranges[from].1 == 0 || ranges[from].1 == i);
        ranges[from].1 = i + 1;
        i += 1;
    }
    ranges
};

/// The row of an edge in [`EDGES`].
pub(crate) fn edge_index(edge: &'static Edge) -> usize {
    (std::ptr::from_ref(edge) as usize - EDGES.as_ptr() as usize) / std::mem::size_of::<Edge>()
}

/// The edges that leave a type.
#[inline]
pub(crate) fn edges_from(from: Type) -> &'static [Edge] {
    let (start, end) = FROM[from as usize];
    &EDGES[start..end]
}

/// What a word means where a keyword belongs on a resource of type `from`.
pub(crate) enum Lookup {
    /// The edge the word takes.
    Edge(&'static Edge),
    /// A keyword of the model that `from` does not allow.
    Misplaced,
    /// No keyword of the model.
    Unknown,
}

/// Looks `word` up among the edges that leave `from` first (the common
/// case, a handful of comparisons), then among all keywords.
#[inline]
pub(crate) fn lookup(from: Type, word: &str) -> Lookup {
    let edges = edges_from(from);
    let edge = edges
        .iter()
        .find(|edge| same_ignoring_case(word, edge.word))
        .or_else(|| {
            // The one keyword with a second spelling.
            same_ignoring_case(word, "microsoft.graph.checkout")
                .then(|| edges.iter().find(|edge| edge.keyword == Keyword::Checkout))
                .flatten()
        });
    match edge {
        Some(edge) => Lookup::Edge(edge),
        None if Keyword::lookup(word).is_some() => Lookup::Misplaced,
        None => Lookup::Unknown,
    }
}

/// A keyword's spelling, prepared for the fast path to find it at the start
/// of the rest of a target eight bytes at a time: each group of eight bytes
/// is OR-ed with `letters` (0x20 in the lanes of the spelling's letters) and
/// compared with `words` (the spelling OR-ed the same way). A letter lane
/// then matches the letter in either case and nothing else; any other lane
/// (`.`) matches only itself. So a match also proves that every byte of the
/// segment is a key byte.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Spelling {
    len: usize,
    words: [u64; 4],
    letters: [u64; 4],
    /// Groups of eight bytes: `len` rounded up.
    groups: usize,
    /// The lanes of the last group that belong to the spelling.
    last: u64,
}

impl Spelling {
    const fn new(word: &str) -> Spelling {
        let bytes = word.as_bytes();
        assert!(
            !bytes.is_empty() && bytes.len() <= 32,
            "spellings have 1 to 32 bytes"
        );
        let mut words = [0; 4];
        let mut letters = [0; 4];
        let mut i = 0;
        while i < bytes.len() {
            let letter: u64 = if bytes[i].is_ascii_alphabetic() {
                0x20
            } else {
                0
            };
            let shift = 8 * (i % 8);
            letters[i / 8] |= letter << shift;
            words[i / 8] |= ((bytes[i] as u64) | letter) << shift;
            i += 1;
        }
        let tail = bytes.len() % 8;
        Spelling {
            len: bytes.len(),
            words,
            letters,
            groups: bytes.len().div_ceil(8),
            last: if tail == 0 {
                u64::MAX
            } else {
                (1 << (8 * tail)) - 1
            },
        }
    }

    /// The spelling's length in bytes.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether `rest` starts with this spelling as a whole segment: followed
    /// by the end, `/` or `?`. The segment's end is looked at first, which
    /// turns most other spellings down with one comparison.
    #[inline]
    pub(crate) fn starts(&self, rest: &[u8]) -> bool {
        if !matches!(rest.get(self.len), None | Some(b'/' | b'?')) {
            return false;
        }
        // Most keywords fit in one group.
        if self.groups == 1 {
            return (group_at(rest, 0) | self.letters[0]) & self.last == self.words[0];
        }
        self.compare(rest)
    }

    /// The comparison of a spelling of more than one group; the last group
    /// only in the spelling's lanes.
    fn compare(&self, rest: &[u8]) -> bool {
        let last = self.groups - 1;
        (0..last).all(|k| (group_at(rest, 8 * k) | self.letters[k]) == self.words[k])
            && (group_at(rest, 8 * last) | self.letters[last]) & self.last == self.words[last]
    }
}

/// The eight bytes of `rest` from `at`, little-endian; past the end of the
/// target, zeros, which no lane of a spelling holds.
#[inline]
fn group_at(rest: &[u8], at: usize) -> u64 {
    match rest.get(at..at + 8) {
        Some(group) => u64::from_le_bytes(group.try_into().expect("eight bytes")),
        None => rest[at.min(rest.len())..]
            .iter()
            .rev()
            .fold(0, |group, &b| group << 8 | u64::from(b)),
    }
}

/// The second spelling of the action.
static CHECKOUT_ALIAS: Spelling = Spelling::new("microsoft.graph.checkout");

/// The fast path's keyword lookup: the edge from `from` whose keyword the
/// rest of a target starts with, as a whole segment (see [`Spelling`]), and
/// the keyword's length as written. `None` for anything else, misplaced
/// keywords included: the validator has the words for those.
#[inline]
pub(crate) fn keyword_at(from: Type, rest: &[u8]) -> Option<(&'static Edge, usize)> {
    let edges = edges_from(from);
    if let Some(edge) = edges.iter().find(|edge| edge.spelling.starts(rest)) {
        return Some((edge, edge.spelling.len()));
    }
    let checkout = edges
        .iter()
        .find(|edge| edge.keyword == Keyword::Checkout)?;
    CHECKOUT_ALIAS
        .starts(rest)
        .then_some((checkout, CHECKOUT_ALIAS.len()))
}

/// The parameter name of a path-based address (`root:/{path}:`).
pub(crate) const PATH_PARAM: &str = "path";

/// What may follow a type, as messages print it: "`root`, `items`, `special`".
pub(crate) fn allowed_after(from: Type) -> String {
    let mut out = String::new();
    let words = edges_from(from).iter().map(|edge| edge.keyword.as_str());
    let extra: &[&str] = if from == Type::DriveItem {
        &[":/{path}:"]
    } else {
        &[]
    };
    for word in words.chain(extra.iter().copied()) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(word);
        out.push('`');
    }
    out
}

/// The 20 documented templates of SPEC 1.3: the 17 of the seed document, then
/// the 3 more of the published v1.0 page. A route whose shape matches one of
/// these is documented, and this string is its identifier.
pub const DOCUMENTED_TEMPLATES: [&str; 20] = [
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
