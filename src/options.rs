//! [`Parser`]: the options (versions, hosts, limits, documented-only). The
//! entry points that use them are in `pipeline`.

use std::borrow::Cow;

use crate::error::Names;

/// The limits of docs/DESIGN.md §1.6. Over any of them is an [`ErrorKind::Limit`](crate::ErrorKind::Limit) error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request target in bytes (Graph's URL limit: 2048). Checked
    /// before any other work.
    pub max_target_len: usize,
    /// Most URL path segments, counting the version and each segment inside
    /// a path-based address (64).
    pub max_segments: usize,
    /// Longest key in bytes, after percent-decoding (1024).
    pub max_key_len: usize,
    /// Longest path-based address in Unicode scalar values, after
    /// percent-decoding, leading `/` not counted (400, the SharePoint limit).
    pub max_path_chars: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_target_len: 2048,
            max_segments: 64,
            max_key_len: 1024,
            max_path_chars: 400,
        }
    }
}

/// The API versions accepted by default; `localtest` is the version of the
/// seed document's example request.
pub const DEFAULT_VERSIONS: [&str; 3] = ["v1.0", "beta", "localtest"];

/// The hosts accepted in absolute-form targets by default: the global service
/// and the national clouds.
pub const DEFAULT_HOSTS: [&str; 4] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

/// A configured classifier: which versions and hosts are accepted, the
/// limits, and whether undocumented routes are errors.
///
/// The free functions ([`parse`](crate::parse), [`classify`](crate::classify),
/// ...) use `Parser::default()`. Build one once and share it: parsing takes
/// `&self`. A [`Route`](crate::Route) borrows from its input only, never
/// from the parser.
///
/// ```
/// use graph_checkout_route::{ErrorKind, Parser};
///
/// let parser = Parser::new().versions(["v1.0"]).documented_only(true);
/// let route = parser.parse("/v1.0/me/drive/root/checkout").unwrap();
/// assert_eq!(route.version(), Some("v1.0"));
///
/// let err = parser.parse("/beta/me/drive/root/checkout").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownSegment);
/// let err = parser.parse("/users/u1/drives/d1/root/checkout").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Undocumented);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parser {
    pub(crate) versions: Names,
    pub(crate) hosts: Names,
    pub(crate) limits: Limits,
    pub(crate) documented_only: bool,
    /// Set for the requests inside a JSON batch, which have no version
    /// segment of their own: the batch's version, in its configured
    /// spelling (see [`Parser::inside_batch`]).
    pub(crate) batch_version: Option<Cow<'static, str>>,
}

/// [`DEFAULT_VERSIONS`] and [`DEFAULT_HOSTS`] as a parser keeps them.
/// (The patterns name every element, so a list that grows without them
/// does not compile.)
static DEFAULT_VERSION_NAMES: [Cow<'static, str>; 3] = {
    let [a, b, c] = DEFAULT_VERSIONS;
    [Cow::Borrowed(a), Cow::Borrowed(b), Cow::Borrowed(c)]
};
static DEFAULT_HOST_NAMES: [Cow<'static, str>; 4] = {
    let [a, b, c, d] = DEFAULT_HOSTS;
    [
        Cow::Borrowed(a),
        Cow::Borrowed(b),
        Cow::Borrowed(c),
        Cow::Borrowed(d),
    ]
};

impl Default for Parser {
    fn default() -> Parser {
        Parser {
            versions: Names::Static(&DEFAULT_VERSION_NAMES),
            hosts: Names::Static(&DEFAULT_HOST_NAMES),
            limits: Limits::default(),
            documented_only: false,
            batch_version: None,
        }
    }
}

/// One builder method per field of [`Limits`], named as the field.
macro_rules! limit_setters {
    ($($(#[$doc:meta])* $limit:ident;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $limit(mut self, value: usize) -> Parser {
                self.limits.$limit = value;
                self
            }
        )*
    };
}

impl Parser {
    /// The default parser: versions [`DEFAULT_VERSIONS`], hosts
    /// [`DEFAULT_HOSTS`], [`Limits::default`], undocumented routes accepted.
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Replaces the accepted API versions (matched ASCII case-insensitively,
    /// reported in the spelling given here).
    #[must_use]
    pub fn versions(
        mut self,
        versions: impl IntoIterator<Item = impl Into<Cow<'static, str>>>,
    ) -> Parser {
        self.versions = versions.into_iter().collect();
        self
    }

    /// Replaces the hosts accepted in absolute-form targets (matched ASCII
    /// case-insensitively).
    #[must_use]
    pub fn hosts(
        mut self,
        hosts: impl IntoIterator<Item = impl Into<Cow<'static, str>>>,
    ) -> Parser {
        self.hosts = hosts.into_iter().collect();
        self
    }

    /// Replaces all limits at once.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Parser {
        self.limits = limits;
        self
    }

    limit_setters! {
        /// Sets the longest request target, in bytes.
        max_target_len;
        /// Sets the most URL path segments.
        max_segments;
        /// Sets the longest decoded key, in bytes.
        max_key_len;
        /// Sets the longest decoded path-based address, in Unicode scalar values.
        max_path_chars;
    }

    /// When on, a valid route that is not one of the 20 documented templates
    /// is an [`ErrorKind::Undocumented`](crate::ErrorKind::Undocumented) error.
    #[must_use]
    pub fn documented_only(mut self, on: bool) -> Parser {
        self.documented_only = on;
        self
    }

    /// The accepted API versions.
    pub fn accepted_versions(&self) -> impl Iterator<Item = &str> {
        self.versions.as_slice().iter().map(AsRef::as_ref)
    }

    /// The hosts accepted in absolute-form targets.
    pub fn accepted_hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts.as_slice().iter().map(AsRef::as_ref)
    }

    /// The limits in force.
    pub fn current_limits(&self) -> Limits {
        self.limits
    }

    /// The parser for the requests inside a JSON batch sent to `version`
    /// (one of this parser's, in its configured spelling): their URLs are
    /// the path after the batch's version, so a version word there is an
    /// unknown segment, as Graph reads it, and they are checked against
    /// the graph of the batch's version, which their routes report.
    #[cfg(feature = "batch")]
    pub(crate) fn inside_batch(&self, version: Option<Cow<'static, str>>) -> Parser {
        Parser {
            versions: Names::Static(&[]),
            batch_version: version,
            ..self.clone()
        }
    }

    /// Whether undocumented routes are errors.
    pub fn is_documented_only(&self) -> bool {
        self.documented_only
    }
}
