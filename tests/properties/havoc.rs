//! Free-form mutations for the differential property: random edits of a
//! generated target, and targets made of random pieces.

use crate::tape::Tape;

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
    // Issue 11: the new graph, per-key alphabets, lines, templates.
    b"teams",
    b"channels",
    b"lists",
    b"site",
    b"storage",
    b"joinedGroups",
    b"19:a@thread.skype",
    b"Shared%20Documents",
    b"{+baseurl}",
    b"{?a,b}",
    b"{a%2Db}",
    b"{a.b}",
    b" HTTP/1.1",
    b"\r",
    // Issue 12: aliases and casts in keys; what a second decoding, Win32 or
    // NFKC reads in a path name; the version opening an address.
    b"@p",
    b"%40",
    b"microsoft.graph.",
    b"%25",
    b"%2541",
    b"%25%32%46",
    b".",
    b"%20",
    b"%C2%A0",
    b"%C2%85",
    b"%EF%BC%8E",
    b"%EF%BC%8F",
    b"CON",
    b"com1.txt",
    b"~$",
    b"_vti_",
    b"desktop.ini",
    b"v1.0:/",
];

/// One to three random edits anywhere, escapes and structure included.
pub fn havoc(tape: &mut Tape, target: &[u8]) -> Vec<u8> {
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
/// escape DESIGN talks about.
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
    // Issue 11: the new graph, per-key alphabets, lines, templates.
    "teams",
    "channels",
    "primaryChannel",
    "filesFolder",
    "lists",
    "list",
    "site",
    "team",
    "group",
    "followedSites",
    "joinedGroups",
    "storage",
    "fileStorage",
    "containers",
    "allTime",
    "microsoft.graph.driveItem",
    "microsoft.graph.site",
    "19:a@thread.skype",
    "19%3Ab",
    "Shared%20Documents",
    "contoso.sharepoint.com",
    "{+baseurl}",
    "{?a}",
    "{?a,b}",
    "{drive%2Did}",
    "{a.b}",
    " HTTP/1.1",
    "\r",
    // Issue 12: aliases and casts in keys; what a second decoding, Win32 or
    // NFKC reads in a path name; the version opening an address.
    "@p",
    "%40x",
    "microsoft.graph.x",
    "%2541",
    "%25",
    "x.",
    "%20",
    "%C2%A0",
    "%C2%9F",
    "%EF%BC%8E%EF%BC%8E",
    "%EF%BC%A3ON",
    "CON",
    "nul.txt",
    "LPT1",
    "~$x",
    "a_vti_",
    ".lock",
    "v1.0:",
];

/// A target made of 1 to 14 random pieces (mostly after a leading `/`).
pub fn soup(tape: &mut Tape) -> Vec<u8> {
    let mut t = String::new();
    if tape.below(5) != 0 {
        t.push('/');
    }
    for _ in 0..=tape.below(14) {
        t.push_str(SOUP[tape.below(SOUP.len())]);
    }
    t.into_bytes()
}
