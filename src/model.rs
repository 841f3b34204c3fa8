//! The type graph of Microsoft Graph that a checkout route walks, and the
//! documented routes, as data (docs/DESIGN.md §1.2, §1.3).
//!
//! Everything about the model is written once, here: the resource types,
//! the keywords with their spellings, and [`ROWS`], one row per edge
//! `from --segment--> next`. The keyword enum, the spelling table, the
//! per-type edge ranges, the row numbers and what each type may do (take a
//! path-based address, end with the action) are derived from these lists.
//! Adding an edge is adding one row.

use std::fmt;

/// Declares the resource types: the enum and the name messages print.
macro_rules! types {
    ($($(#[$doc:meta])* $name:ident => $shown:literal, $csdl:literal;)*) => {
        /// A resource type of the Graph data model that a route passes through.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub(crate) enum Type {
            $($(#[$doc])* $name,)*
        }

        impl Type {
            /// Every type, in declaration order.
            pub(crate) const ALL: &'static [Type] = &[$(Type::$name,)*];

            /// The type's name as messages print it: "a Drive".
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Type::$name => $shown,)*
                }
            }

            /// The type's name in Microsoft's metadata (CSDL): `driveItem`.
            #[cfg(test)]
            pub(crate) fn csdl_name(self) -> &'static str {
                match self {
                    $(Type::$name => $csdl,)*
                }
            }
        }
    };
}

types! {
    /// The service root, before the first segment.
    Root => "the service root", "root";
    User => "a User", "user";
    Group => "a Group", "group";
    Team => "a Team", "team";
    Channel => "a Channel", "channel";
    Site => "a Site", "site";
    List => "a List", "list";
    Drive => "a Drive", "drive";
    BaseItem => "a BaseItem", "baseItem";
    SharedDriveItem => "a SharedDriveItem", "sharedDriveItem";
    DriveItem => "a DriveItem", "driveItem";
    ListItem => "a ListItem", "listItem";
    ItemAnalytics => "an ItemAnalytics", "itemAnalytics";
    ItemActivityStat => "an ItemActivityStat", "itemActivityStat";
    ItemActivity => "an ItemActivity", "itemActivity";
    /// The activity type of beta's activities navigation.
    ItemActivityOld => "an ItemActivityOLD", "itemActivityOLD";
    Storage => "the Storage", "storage";
    FileStorage => "a FileStorage", "fileStorage";
    /// A SharePoint Embedded container.
    FileStorageContainer => "a FileStorageContainer", "fileStorageContainer";
}

/// Declares the keywords: the public enum, the canonical spelling of each,
/// and [`SPELLINGS`], every spelling a segment may have (aliases after
/// their canonical spelling).
macro_rules! keywords {
    ($($(#[$doc:meta])* $name:ident = $canonical:literal $(| $alias:literal)*;)*) => {
        /// A word of the data model: a navigation segment, a type cast or
        /// the action.
        ///
        /// Keywords match ASCII case-insensitively; [`Keyword::as_str`]
        /// gives the canonical spelling that templates and canonical targets
        /// use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Keyword {
            $($(#[$doc])* $name,)*
        }

        impl Keyword {
            /// Every keyword, in declaration order.
            pub(crate) const ALL: &'static [Keyword] = &[$(Keyword::$name,)*];

            /// The canonical spelling: `joinedTeams`,
            /// `microsoft.graph.sharedDriveItem`, `checkout`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Keyword::$name => $canonical,)*
                }
            }
        }

        /// Every spelling of every keyword, ASCII case aside: the canonical
        /// one first, then its aliases.
        pub(crate) const SPELLINGS: &[(&str, Keyword)] = &[
            $(($canonical, Keyword::$name), $(($alias, Keyword::$name),)*)*
        ];
    };
}

keywords! {
    /// `me`
    Me = "me";
    /// `users`
    Users = "users";
    /// `groups`
    Groups = "groups";
    /// `sites`
    Sites = "sites";
    /// `drives`
    Drives = "drives";
    /// `shares`
    Shares = "shares";
    /// `teams`
    Teams = "teams";
    /// `storage`
    Storage = "storage";
    /// `workbooks`
    Workbooks = "workbooks";
    /// `drive`
    Drive = "drive";
    /// `joinedTeams`
    JoinedTeams = "joinedTeams";
    /// `followedSites`
    FollowedSites = "followedSites";
    /// `joinedGroups` (beta)
    JoinedGroups = "joinedGroups";
    /// `team`
    Team = "team";
    /// `group`
    Group = "group";
    /// `channels`
    Channels = "channels";
    /// `allChannels`
    AllChannels = "allChannels";
    /// `incomingChannels`
    IncomingChannels = "incomingChannels";
    /// `primaryChannel`
    PrimaryChannel = "primaryChannel";
    /// `filesFolder`
    FilesFolder = "filesFolder";
    /// `lists`
    Lists = "lists";
    /// `list`
    List = "list";
    /// `site`
    Site = "site";
    /// `items`
    Items = "items";
    /// `special`
    Special = "special";
    /// `following`
    Following = "following";
    /// `bundles`
    Bundles = "bundles";
    /// `children`
    Children = "children";
    /// `root`
    Root = "root";
    /// `driveItem`
    DriveItem = "driveItem";
    /// `listItem`
    ListItem = "listItem";
    /// `analytics`
    Analytics = "analytics";
    /// `itemActivityStats`
    ItemActivityStats = "itemActivityStats";
    /// `allTime`
    AllTime = "allTime";
    /// `lastSevenDays`
    LastSevenDays = "lastSevenDays";
    /// `activities`
    Activities = "activities";
    /// `fileStorage`
    FileStorage = "fileStorage";
    /// `containers`
    Containers = "containers";
    /// `deletedContainers`
    DeletedContainers = "deletedContainers";
    /// `microsoft.graph.sharedDriveItem`, the type cast from a BaseItem.
    SharedDriveItem = "microsoft.graph.sharedDriveItem";
    /// `microsoft.graph.driveItem`, a type cast from a BaseItem.
    DriveItemCast = "microsoft.graph.driveItem";
    /// `microsoft.graph.listItem`, a type cast from a BaseItem.
    ListItemCast = "microsoft.graph.listItem";
    /// `microsoft.graph.list`, a type cast from a BaseItem.
    ListCast = "microsoft.graph.list";
    /// `microsoft.graph.drive`, a type cast from a BaseItem.
    DriveCast = "microsoft.graph.drive";
    /// `microsoft.graph.site`, a type cast from a BaseItem.
    SiteCast = "microsoft.graph.site";
    /// `checkout` (or `microsoft.graph.checkout`), the action.
    Checkout = "checkout" | "microsoft.graph.checkout";
}

impl Keyword {
    /// Looks a word up among the spellings of the keywords that `graph`'s
    /// rows use, ASCII case-insensitively.
    pub(crate) fn lookup(word: &str, graph: Graph) -> Option<Keyword> {
        SPELLINGS
            .iter()
            .find(|(spelling, _)| spelling.eq_ignore_ascii_case(word))
            .map(|&(_, keyword)| keyword)
            .filter(|&keyword| graph == Graph::All || USED_IN_V1[keyword as usize])
    }

    /// The keyword's spellings, canonical first.
    pub(crate) fn spellings(self) -> impl Iterator<Item = &'static str> {
        let (start, end) = spelling_range(self);
        SPELLINGS[start..end].iter().map(|&(spelling, _)| spelling)
    }

    /// Whether `word` is a spelling of the keyword, ASCII case aside.
    fn is_spelled(self, word: &str) -> bool {
        self.spellings()
            .any(|spelling| spelling.eq_ignore_ascii_case(word))
    }
}

/// For each keyword, the range of [`SPELLINGS`] that spells it.
static SPELLING_RANGES: [(usize, usize); Keyword::ALL.len()] = {
    let mut groups = [0; SPELLINGS.len()];
    let mut i = 0;
    while i < SPELLINGS.len() {
        groups[i] = SPELLINGS[i].1 as usize;
        i += 1;
    }
    group_ranges(&groups)
};

/// For a list whose items are grouped (`groups[i]` is the group of item
/// `i`, each group's items next to each other, groups numbered below `N`),
/// the range of items of each group; `(0, 0)` for a group with none. A
/// group that is not contiguous stops the build.
pub(crate) const fn group_ranges<const N: usize>(groups: &[usize]) -> [(usize, usize); N] {
    let mut ranges = [(0, 0); N];
    let mut i = 0;
    while i < groups.len() {
        let group = groups[i];
        if ranges[group].1 == 0 {
            ranges[group].0 = i;
        }
        assert!(
            ranges[group].1 == 0 || ranges[group].1 == i,
            "the items of a group are next to each other"
        );
        ranges[group].1 = i + 1;
        i += 1;
    }
    ranges
}

/// The range of [`SPELLINGS`] that spells `keyword`.
#[inline]
pub(crate) const fn spelling_range(keyword: Keyword) -> (usize, usize) {
    SPELLING_RANGES[keyword as usize]
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The special folders that `special/{name}` may name (ASCII
/// case-insensitive).
pub(crate) const SPECIAL_FOLDERS: [&str; 6] = [
    "documents",
    "photos",
    "cameraroll",
    "approot",
    "music",
    "recordings",
];

/// Whether `key` is one of [`SPECIAL_FOLDERS`], ASCII case aside. The
/// names are lowercase letters, so a byte matches a name's byte exactly
/// when it is that byte with or without the 0x20 bit, which one OR tells.
#[inline]
fn is_special_folder(key: &[u8]) -> bool {
    SPECIAL_FOLDERS
        .iter()
        .any(|name| name.len() == key.len() && name.bytes().zip(key).all(|(n, &k)| k | 0x20 == n))
}

const _: () = {
    let mut i = 0;
    while i < SPECIAL_FOLDERS.len() {
        let name = SPECIAL_FOLDERS[i].as_bytes();
        let mut j = 0;
        while j < name.len() {
            assert!(
                name[j].is_ascii_lowercase(),
                "special folder names are lowercase letters"
            );
            j += 1;
        }
        i += 1;
    }
};

/// What a key must be beyond the common alphabet (docs/DESIGN.md §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum KeyRule {
    /// Any key in the alphabet.
    Any,
    /// `u!` or `s!` and at least one more character.
    Share,
    /// One of [`SPECIAL_FOLDERS`].
    SpecialFolder,
    /// The alphabet and `:`, raw or `%3A`: channel ids look like
    /// `19:f253e46c035b42308e9a4a22a87037af@thread.skype`.
    Channel,
    /// The alphabet and a space, written `%20`: a list may be named by its
    /// title (`Shared%20Documents`).
    ListId,
}

impl KeyRule {
    /// The bytes the key may hold beyond the alphabet, once decoded. (A
    /// byte that the scan refuses raw, a space, still has to arrive
    /// escaped.)
    #[inline]
    pub(crate) fn extra_bytes(self) -> &'static [u8] {
        match self {
            KeyRule::Channel => b":",
            KeyRule::ListId => b" ",
            KeyRule::Any | KeyRule::Share | KeyRule::SpecialFolder => b"",
        }
    }

    /// Whether a decoded key meets the rule, and the rule every key
    /// meets: it is not something else to an OData backend. A key that
    /// starts with `@` is a parameter alias (the backend resolves
    /// `items/@p?@p='x'` from the query, so a rule on the key `@p` would not
    /// apply to the item `x`); one that starts with `microsoft.graph.`, in
    /// any case, is a type cast on the collection, not a key.
    ///
    /// The walk asks this of every key, so the keys that meet their rule
    /// are told here with a test or two and no call (a call in the walk's
    /// loop costs it the registers it keeps its constants in): a key that
    /// starts with neither `@` nor an `m` can be neither an alias nor a
    /// cast, and then it is its own rule, [`KeyRule::own_rule`], that
    /// decides. Every other key, every refusal among them, is
    /// [`KeyRule::check_slowly`]'s, which has the rules in their order; the
    /// first test only tells when to give up on the short way.
    #[inline]
    pub(crate) fn check(self, key: &str) -> Result<(), KeyFault> {
        let bytes = key.as_bytes();
        let first = bytes.first().copied().unwrap_or_default();
        if first != b'@' && first | 0x20 != b'm' && self.own_rule(bytes) {
            debug_assert!(self.check_slowly(key).is_ok(), "{self:?} {key:?}");
            return Ok(());
        }
        self.check_slowly(key)
    }

    /// [`KeyRule::check`], every rule in its order.
    #[cold]
    #[inline(never)]
    fn check_slowly(self, key: &str) -> Result<(), KeyFault> {
        if key.starts_with('@') {
            return Err(KeyFault::Alias);
        }
        if key
            .get(..CAST_PREFIX.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(CAST_PREFIX))
        {
            return Err(KeyFault::Cast);
        }
        if self.own_rule(key.as_bytes()) {
            Ok(())
        } else {
            Err(KeyFault::Rule(self))
        }
    }

    /// Whether a decoded key meets the rule of its own, beyond the ones
    /// every key meets: the one definition of each. Two tests of the rule,
    /// not a `match`: that was a jump table, an indirect branch for every
    /// key the walk checks, mispredicted on a varied input.
    #[inline]
    fn own_rule(self, key: &[u8]) -> bool {
        if self == KeyRule::Share {
            matches!(key, [b'u' | b's', b'!', _, ..])
        } else if self == KeyRule::SpecialFolder {
            is_special_folder(key)
        } else {
            true
        }
    }
}

/// The namespace of Graph's casts and actions.
const CAST_PREFIX: &str = "microsoft.graph.";

/// Why a key breaks its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum KeyFault {
    /// It starts with `@`: an OData parameter alias.
    Alias,
    /// It starts with `microsoft.graph.`: a type cast.
    Cast,
    /// It breaks the rule of its key.
    Rule(KeyRule),
}

/// The key that follows a keyword (or fills a path-based address): its
/// canonical parameter name and its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub(crate) param: &'static str,
    pub(crate) rule: KeyRule,
}

impl Key {
    /// Whether two values of this key name the same resource, as Graph
    /// compares them: a special folder's name, a user, group or team id
    /// (GUIDs and user principal names) in any ASCII case; a site id's host
    /// name (the part before its first `,`) in any ASCII case and the rest
    /// exactly; every other key exactly.
    pub(crate) fn same(self, a: &str, b: &str) -> bool {
        match (self.rule, self.param) {
            (KeyRule::SpecialFolder, _) | (_, "userId" | "groupId" | "teamId") => {
                a.eq_ignore_ascii_case(b)
            }
            (_, "siteId") => {
                let (a_host, a_rest) = a.split_once(',').unwrap_or((a, ""));
                let (b_host, b_rest) = b.split_once(',').unwrap_or((b, ""));
                a_host.eq_ignore_ascii_case(b_host)
                    && a_rest == b_rest
                    && a.contains(',') == b.contains(',')
            }
            _ => a == b,
        }
    }
}

/// How a row's step is written in a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Via {
    /// A keyword segment, followed by a key segment when the row has a key.
    Word(Keyword),
    /// A path-based address `:/{path}:` after the segment that reached the
    /// type (docs/DESIGN.md §1.4).
    PathAddress,
}

/// Where a row leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Next {
    /// To a resource of this type.
    Type(Type),
    /// Nowhere: the row is the action, which ends the route.
    Action,
}

/// Which API versions have a row (docs/DESIGN.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Versions {
    /// v1.0 and beta.
    Both,
    /// Only beta.
    Beta,
}

/// Which rows a walk may take: a v1.0 target the rows of v1.0, every other
/// target and every template all rows (docs/DESIGN.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Graph {
    V1,
    All,
}

impl Graph {
    /// The graph a target of this version is checked against.
    pub(crate) fn of_version(version: &str) -> Graph {
        if version.eq_ignore_ascii_case("v1.0") {
            Graph::V1
        } else {
            Graph::All
        }
    }

    /// Whether the graph has a row with these versions.
    #[inline]
    pub(crate) const fn has(self, versions: Versions) -> bool {
        matches!(
            (self, versions),
            (Graph::All, _) | (Graph::V1, Versions::Both)
        )
    }
}

/// Where a row comes from (docs/DESIGN.md §8); a test ties each metadata
/// row to Microsoft's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Source {
    /// A navigation property, entity set, singleton, type cast or bound
    /// action of Graph's CSDL metadata.
    Metadata,
    /// A URL convention of Graph's documentation: path-based addressing.
    Convention,
    /// An older form the Graph checkout page the project started from uses,
    /// gone from current metadata.
    Legacy,
}

/// A keyword row followed by a key segment, as the walk needs it while it
/// waits for the key: derived from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Keyed {
    /// The row's index in [`EDGES`].
    pub(crate) row: u8,
    pub(crate) keyword: Keyword,
    pub(crate) key: Key,
    /// Where the key leads.
    pub(crate) to: Type,
}

/// One edge of the type graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    /// The row's index in [`EDGES`]: a route step records it.
    pub(crate) row: u8,
    pub(crate) from: Type,
    pub(crate) via: Via,
    /// The key after the keyword, or the path value of a path-based address.
    pub(crate) key: Option<Key>,
    pub(crate) next: Next,
    pub(crate) versions: Versions,
    pub(crate) source: Source,
    /// Derived: the row as [`Keyed`] when it is a keyword with a key.
    pub(crate) keyed: Option<Keyed>,
}

impl Edge {
    /// The row's keyword; `None` for a path-based address.
    pub(crate) fn keyword(&self) -> Option<Keyword> {
        match self.via {
            Via::Word(keyword) => Some(keyword),
            Via::PathAddress => None,
        }
    }

    /// The canonical parameter name of the row's key, if it has one.
    pub(crate) fn param(&self) -> Option<&'static str> {
        self.key.map(|key| key.param)
    }

    /// The keyword step is followed by a key segment; the step leads to a
    /// type only then.
    const fn new(from: Type, via: Via, key: Option<Key>, next: Next) -> Edge {
        Edge {
            row: 0,
            from,
            via,
            key,
            next,
            versions: Versions::Both,
            source: Source::Metadata,
            keyed: None,
        }
    }

    /// The row, available in beta only.
    const fn beta(mut self) -> Edge {
        self.versions = Versions::Beta;
        self
    }

    /// The row, kept because the start page uses it.
    const fn legacy(mut self) -> Edge {
        self.source = Source::Legacy;
        self
    }
}

/// `from --word--> to`.
const fn step(from: Type, word: Keyword, to: Type) -> Edge {
    Edge::new(from, Via::Word(word), None, Next::Type(to))
}

/// `from --word/{param}--> to`.
const fn keyed(from: Type, word: Keyword, param: &'static str, to: Type) -> Edge {
    ruled(from, word, param, KeyRule::Any, to)
}

/// `from --word/{param}--> to`, with a rule on the key.
const fn ruled(from: Type, word: Keyword, param: &'static str, rule: KeyRule, to: Type) -> Edge {
    Edge::new(
        from,
        Via::Word(word),
        Some(Key { param, rule }),
        Next::Type(to),
    )
}

/// `from --:/{path}:--> to`.
const fn path(from: Type, to: Type) -> Edge {
    let key = Key {
        param: PATH_PARAM,
        rule: KeyRule::Any,
    };
    let mut edge = Edge::new(from, Via::PathAddress, Some(key), Next::Type(to));
    edge.source = Source::Convention;
    edge
}

/// The action on `from`: the route's last segment.
const fn action(from: Type, word: Keyword) -> Edge {
    Edge::new(from, Via::Word(word), None, Next::Action)
}

/// The parameter name of a path-based address (`root:/{path}:`).
pub(crate) const PATH_PARAM: &str = "path";

/// The type graph of docs/DESIGN.md §1.2, one row per edge, the rows of
/// one `from` together (the per-type ranges rely on it, and a compile-time
/// check enforces it). `step` is a keyword without a key, `keyed` one
/// followed by a key segment (`ruled`: with a rule on the key), `path` a
/// path-based address, `action` the action that ends the route; `.beta()`
/// marks a row that only beta has, `.legacy()` one that only the start page
/// has. Every other row is a navigation property, entity set, singleton,
/// cast or action of Graph's metadata, which a test checks.
#[rustfmt::skip]
const ROWS: &[Edge] = {
    use Keyword as K;
    use KeyRule::{Channel, ListId, Share, SpecialFolder};
    use Type as T;
    &[
        step(T::Root, K::Me, T::User),
        keyed(T::Root, K::Users, "userId", T::User),
        keyed(T::Root, K::Groups, "groupId", T::Group),
        keyed(T::Root, K::Sites, "siteId", T::Site),
        keyed(T::Root, K::Drives, "drivesId", T::Drive),
        ruled(T::Root, K::Shares, "sharesId", Share, T::SharedDriveItem),
        step(T::Root, K::Drive, T::Drive),
        keyed(T::Root, K::Teams, "teamId", T::Team),
        step(T::Root, K::Storage, T::Storage),
        keyed(T::Root, K::Workbooks, "workbooksId", T::DriveItem).legacy(),

        step(T::User, K::Drive, T::Drive),
        keyed(T::User, K::Drives, "drivesId", T::Drive),
        keyed(T::User, K::JoinedTeams, "groupId", T::Team),
        keyed(T::User, K::FollowedSites, "siteId", T::Site),
        keyed(T::User, K::JoinedGroups, "groupId", T::Group).beta(),

        step(T::Group, K::Drive, T::Drive),
        keyed(T::Group, K::Drives, "drivesId", T::Drive),
        keyed(T::Group, K::Sites, "siteId", T::Site),
        step(T::Group, K::Team, T::Team),

        ruled(T::Team, K::Channels, "channelId", Channel, T::Channel),
        ruled(T::Team, K::AllChannels, "channelId", Channel, T::Channel),
        ruled(T::Team, K::IncomingChannels, "channelId", Channel, T::Channel),
        step(T::Team, K::PrimaryChannel, T::Channel),
        step(T::Team, K::Group, T::Group),
        keyed(T::Team, K::Sites, "siteId", T::Site).legacy(),

        step(T::Channel, K::FilesFolder, T::DriveItem),

        step(T::Site, K::Drive, T::Drive),
        keyed(T::Site, K::Drives, "drivesId", T::Drive),
        keyed(T::Site, K::Items, "baseItemId", T::BaseItem),
        ruled(T::Site, K::Lists, "listId", ListId, T::List),
        keyed(T::Site, K::Sites, "siteId", T::Site),
        step(T::Site, K::Analytics, T::ItemAnalytics),
        path(T::Site, T::Site),

        step(T::BaseItem, K::SharedDriveItem, T::SharedDriveItem),
        step(T::BaseItem, K::DriveItemCast, T::DriveItem),
        step(T::BaseItem, K::ListItemCast, T::ListItem),
        step(T::BaseItem, K::ListCast, T::List),
        step(T::BaseItem, K::DriveCast, T::Drive),
        step(T::BaseItem, K::SiteCast, T::Site),

        step(T::List, K::Drive, T::Drive),
        keyed(T::List, K::Items, "listItemId", T::ListItem),
        keyed(T::List, K::Activities, "itemActivityId", T::ItemActivityOld).beta(),

        step(T::ListItem, K::DriveItem, T::DriveItem),
        step(T::ListItem, K::Analytics, T::ItemAnalytics),
        keyed(T::ListItem, K::Activities, "itemActivityId", T::ItemActivityOld).beta(),

        step(T::SharedDriveItem, K::Root, T::DriveItem),
        step(T::SharedDriveItem, K::DriveItem, T::DriveItem),
        keyed(T::SharedDriveItem, K::Items, "driveItemId", T::DriveItem),
        step(T::SharedDriveItem, K::List, T::List),
        step(T::SharedDriveItem, K::ListItem, T::ListItem),
        step(T::SharedDriveItem, K::Site, T::Site),

        step(T::Drive, K::Root, T::DriveItem),
        keyed(T::Drive, K::Items, "driveItemId", T::DriveItem),
        ruled(T::Drive, K::Special, "driveItemId", SpecialFolder, T::DriveItem),
        keyed(T::Drive, K::Following, "driveItemId", T::DriveItem),
        keyed(T::Drive, K::Bundles, "driveItemId", T::DriveItem),
        step(T::Drive, K::List, T::List),
        keyed(T::Drive, K::Activities, "itemActivityId", T::ItemActivityOld).beta(),

        keyed(T::DriveItem, K::Children, "driveItemId", T::DriveItem),
        step(T::DriveItem, K::ListItem, T::ListItem),
        step(T::DriveItem, K::Analytics, T::ItemAnalytics),
        path(T::DriveItem, T::DriveItem),
        keyed(T::DriveItem, K::Activities, "itemActivityId", T::ItemActivityOld).beta(),
        action(T::DriveItem, K::Checkout),

        keyed(T::ItemAnalytics, K::ItemActivityStats, "itemActivityStatId", T::ItemActivityStat),
        step(T::ItemAnalytics, K::AllTime, T::ItemActivityStat),
        step(T::ItemAnalytics, K::LastSevenDays, T::ItemActivityStat),

        keyed(T::ItemActivityStat, K::Activities, "itemActivityId", T::ItemActivity),

        step(T::ItemActivity, K::DriveItem, T::DriveItem),

        step(T::ItemActivityOld, K::DriveItem, T::DriveItem).beta(),
        step(T::ItemActivityOld, K::ListItem, T::ListItem).beta(),

        step(T::Storage, K::FileStorage, T::FileStorage),

        keyed(T::FileStorage, K::Containers, "containerId", T::FileStorageContainer),
        keyed(T::FileStorage, K::DeletedContainers, "containerId", T::FileStorageContainer),

        step(T::FileStorageContainer, K::Drive, T::Drive),
    ]
};

/// How many rows the type graph has.
pub(crate) const EDGE_COUNT: usize = ROWS.len();

/// [`ROWS`] with each row's index filled in.
pub(crate) static EDGES: [Edge; EDGE_COUNT] = {
    assert!(EDGE_COUNT <= u8::MAX as usize, "a row number is one byte");
    let mut edges = [ROWS[0]; EDGE_COUNT];
    let mut i = 0;
    while i < EDGE_COUNT {
        edges[i] = ROWS[i];
        // In range: checked above.
        #[allow(clippy::cast_possible_truncation)]
        let row = i as u8;
        edges[i].row = row;
        edges[i].keyed = match (edges[i].via, edges[i].key, edges[i].next) {
            (Via::Word(keyword), Some(key), Next::Type(to)) => Some(Keyed {
                row,
                keyword,
                key,
                to,
            }),
            // A key leads to a resource: the action takes none.
            (_, Some(_), Next::Action) => panic!("the action takes no key"),
            _ => None,
        };
        i += 1;
    }
    edges
};

/// For each keyword, whether a v1.0 row uses it: under v1.0, a word only
/// beta rows use is no word of the model.
static USED_IN_V1: [bool; Keyword::ALL.len()] = {
    let mut used = [false; Keyword::ALL.len()];
    let mut i = 0;
    while i < EDGE_COUNT {
        if let (Via::Word(keyword), Versions::Both) = (ROWS[i].via, ROWS[i].versions) {
            used[keyword as usize] = true;
        }
        i += 1;
    }
    used
};

/// For each type, the range of [`EDGES`] that leaves it.
static FROM: [(usize, usize); Type::ALL.len()] = {
    let mut groups = [0; EDGE_COUNT];
    let mut i = 0;
    while i < EDGE_COUNT {
        groups[i] = ROWS[i].from as usize;
        i += 1;
    }
    group_ranges(&groups)
};

/// The edges that leave a type.
#[inline]
pub(crate) fn edges_from(from: Type) -> &'static [Edge] {
    let (start, end) = FROM[from as usize];
    &EDGES[start..end]
}

/// The edge that a path-based address takes from `from`, if the type takes one.
pub(crate) fn path_edge(from: Type) -> Option<&'static Edge> {
    edges_from(from)
        .iter()
        .find(|edge| edge.via == Via::PathAddress)
}

/// What a word means where a keyword belongs on a resource of type `from`.
pub(crate) enum Lookup {
    /// The edge the word takes, and the keyword the word spells.
    Edge(&'static Edge, Keyword),
    /// A keyword of the model that `from` does not allow.
    Misplaced,
    /// No keyword of the model.
    Unknown,
}

/// Looks `word` up among `graph`'s edges that leave `from` first (the
/// common case, a handful of comparisons), then among the keywords of
/// `graph` (ASCII case-insensitively).
pub(crate) fn lookup(from: Type, word: &str, graph: Graph) -> Lookup {
    let edge = edges_from(from).iter().find_map(|edge| match edge.via {
        Via::Word(keyword) if graph.has(edge.versions) && keyword.is_spelled(word) => {
            Some((edge, keyword))
        }
        _ => None,
    });
    match edge {
        Some((edge, keyword)) => Lookup::Edge(edge, keyword),
        None if Keyword::lookup(word, graph).is_some() => Lookup::Misplaced,
        None => Lookup::Unknown,
    }
}

/// The types that take a path-based address, as messages print them: "a
/// Site or a DriveItem".
pub(crate) struct PathTakers;

impl fmt::Display for PathTakers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let takers = EDGES.iter().filter(|edge| edge.via == Via::PathAddress);
        for (i, edge) in takers.enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            f.write_str(edge.from.name())?;
        }
        Ok(())
    }
}

/// What may follow a type in a graph, as messages print it: "`root`,
/// `items`, `special`".
pub(crate) struct AllowedAfter(pub(crate) Type, pub(crate) Graph);

impl fmt::Display for AllowedAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let AllowedAfter(from, graph) = *self;
        let edges = edges_from(from)
            .iter()
            .filter(|edge| graph.has(edge.versions));
        for (i, edge) in edges.enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match edge.via {
                Via::Word(keyword) => write!(f, "`{keyword}`")?,
                Via::PathAddress => write!(f, "`:/{{{PATH_PARAM}}}:`")?,
            }
        }
        Ok(())
    }
}

/// The 20 documented templates (docs/DESIGN.md §1.3): the 17 of the Graph
/// checkout page the project started from, then the 3 more of the published
/// v1.0 page. A route whose shape is one of these is documented, and this
/// string is its identifier.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The OR of the 0x20 bit that tells a special folder's name is ASCII
    /// case folding for these names: every case of each name, and the
    /// bytes that differ from a letter in the 0x20 bit alone (`@` for `` ` ``
    /// and the like), are told as `eq_ignore_ascii_case` tells them.
    #[test]
    fn special_folders_fold_case_as_ascii_does() {
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for name in SPECIAL_FOLDERS {
            let name = name.as_bytes();
            keys.push(name.to_ascii_uppercase());
            keys.push(name[..name.len() - 1].to_vec());
            keys.push([name, b"s"].concat());
            for at in 0..name.len() {
                for b in [
                    name[at] ^ 0x20,
                    name[at] ^ 0x01,
                    name[at] & !0x60,
                    b'@',
                    0xC0,
                ] {
                    let mut key = name.to_vec();
                    key[at] = b;
                    keys.push(key);
                }
            }
        }
        for key in keys {
            let expected = SPECIAL_FOLDERS
                .iter()
                .any(|name| name.as_bytes().eq_ignore_ascii_case(&key));
            assert_eq!(is_special_folder(&key), expected, "{key:?}");
        }
    }

    #[test]
    fn every_type_but_the_end_of_a_route_has_a_way_on() {
        for &ty in Type::ALL {
            assert!(!edges_from(ty).is_empty(), "{ty:?} leads nowhere");
        }
    }

    #[test]
    fn rows_know_their_index() {
        for (i, edge) in EDGES.iter().enumerate() {
            assert_eq!(usize::from(edge.row), i);
        }
    }

    #[test]
    fn lookups_ignore_ascii_case_and_know_aliases() {
        assert_eq!(
            Keyword::lookup("MICROSOFT.GRAPH.CHECKOUT", Graph::All),
            Some(Keyword::Checkout)
        );
        assert!(matches!(
            lookup(Type::DriveItem, "Checkout", Graph::All),
            Lookup::Edge(edge, Keyword::Checkout) if edge.next == Next::Action
        ));
        assert!(matches!(
            lookup(Type::Drive, "checkout", Graph::All),
            Lookup::Misplaced
        ));
        assert!(matches!(
            lookup(Type::Drive, "content", Graph::All),
            Lookup::Unknown
        ));
        assert_eq!(
            Keyword::Checkout.spellings().collect::<Vec<_>>(),
            ["checkout", "microsoft.graph.checkout"]
        );
    }

    /// Under v1.0 a word that only beta rows use is no word of the model; a
    /// v1.0 word on a type whose row for it is beta-only is misplaced.
    #[test]
    fn the_v1_graph_has_the_rows_tagged_both() {
        assert!(matches!(
            lookup(Type::User, "joinedGroups", Graph::All),
            Lookup::Edge(..)
        ));
        assert!(matches!(
            lookup(Type::User, "joinedGroups", Graph::V1),
            Lookup::Unknown
        ));
        assert!(matches!(
            lookup(Type::Drive, "activities", Graph::All),
            Lookup::Edge(..)
        ));
        assert!(matches!(
            lookup(Type::Drive, "activities", Graph::V1),
            Lookup::Misplaced
        ));
        assert!(matches!(
            lookup(Type::ItemActivityStat, "activities", Graph::V1),
            Lookup::Edge(..)
        ));
        assert_eq!(Graph::of_version("V1.0"), Graph::V1);
        assert_eq!(Graph::of_version("beta"), Graph::All);
    }

    #[test]
    fn a_site_and_a_drive_item_take_a_path_address() {
        for &ty in Type::ALL {
            let takes = matches!(ty, Type::DriveItem | Type::Site);
            assert_eq!(path_edge(ty).is_some(), takes, "{ty:?}");
        }
        assert_eq!(PathTakers.to_string(), "a Site or a DriveItem");
        assert_eq!(
            AllowedAfter(Type::DriveItem, Graph::V1).to_string(),
            "`children`, `listItem`, `analytics`, `:/{path}:`, `checkout`"
        );
    }

    /// One fact of Microsoft's metadata: `kind from name to collection`.
    type Fact = (String, String, String, String, String);

    fn facts(file: &str) -> Vec<Fact> {
        let path = format!(
            "{}/tests/data/graph-metadata/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                (
                    f[0].into(),
                    f[1].into(),
                    f[2].into(),
                    f[3].into(),
                    f[4].into(),
                )
            })
            .collect()
    }

    /// The fact a metadata row rests on: an entity set or singleton at the
    /// root, a navigation property (a collection exactly when the row takes
    /// a key), a derived type a cast names, or the bound action.
    fn fact_of(edge: &Edge) -> Fact {
        let to = match edge.next {
            Next::Type(to) => to.csdl_name(),
            Next::Action => "-",
        };
        let keyword = edge
            .keyword()
            .expect("a metadata row is a keyword")
            .as_str();
        let collection = if edge.key.is_some() { "yes" } else { "no" };
        let fact = |kind: &str, from: &str, name: &str, to: &str, collection: &str| {
            (
                kind.into(),
                from.into(),
                name.into(),
                to.into(),
                collection.into(),
            )
        };
        if let Some(cast) = keyword.strip_prefix("microsoft.graph.") {
            if edge.next != Next::Action {
                assert_eq!(cast, to, "a cast names the type it leads to");
                return fact("base", cast, "-", edge.from.csdl_name(), "-");
            }
        }
        match (edge.from, edge.next) {
            (_, Next::Action) => fact("action", edge.from.csdl_name(), "checkout", "-", "-"),
            (Type::Root, _) if edge.key.is_some() => fact("set", "root", keyword, to, "yes"),
            (Type::Root, _) => fact("singleton", "root", keyword, to, "no"),
            _ => fact("nav", edge.from.csdl_name(), keyword, to, collection),
        }
    }

    /// Every row marked as metadata is in Microsoft's metadata, with the
    /// same shape, in exactly the versions the row is tagged with; every
    /// other row is one of the named exceptions.
    #[test]
    fn every_row_rests_on_the_metadata_or_is_a_named_exception() {
        let v1 = facts("navigation-v1.0.tsv");
        let beta = facts("navigation-beta.tsv");
        for edge in &EDGES {
            match edge.source {
                Source::Metadata => {
                    let fact = fact_of(edge);
                    assert!(
                        beta.contains(&fact),
                        "row {} ({edge:?}): {fact:?} is not in the beta metadata",
                        edge.row
                    );
                    assert_eq!(
                        v1.contains(&fact),
                        edge.versions == Versions::Both,
                        "row {} ({edge:?}): {fact:?} in the v1.0 metadata, versions {:?}",
                        edge.row,
                        edge.versions
                    );
                }
                Source::Convention => assert_eq!(edge.via, Via::PathAddress, "row {}", edge.row),
                Source::Legacy => {
                    let legacy = matches!(
                        (edge.from, edge.keyword()),
                        (Type::Root, Some(Keyword::Workbooks)) | (Type::Team, Some(Keyword::Sites))
                    );
                    assert!(legacy, "row {} ({edge:?}) is no named legacy row", edge.row);
                    assert!(!beta.contains(&fact_of(edge)) && !v1.contains(&fact_of(edge)));
                }
            }
        }
    }
}
