//! A test-side model of the stores behind Microsoft Graph: how each of them
//! may read a key or a path value that the gateway has already accepted.
//!
//! It is written from what those stores are known to do, not from the code
//! under test, and it decodes with the `percent-encoding` crate rather than
//! the crate's own decoder:
//!
//! - an OData backend reads a key starting with `@` as a parameter alias
//!   and one starting with `microsoft.graph.` (any case) as a type cast;
//! - a backend that decodes twice reads `%252F` as `/`;
//! - a best-fit code-page mapping applies Unicode's NFKC folding
//!   (`．．／` is `../`);
//! - Win32 strips trailing dots and spaces from a name (and some clients
//!   leading spaces too), and reads a device name, with any extension, as
//!   the device.
//!
//! [`check_path`] and [`check_key`] say whether every reader sees the same
//! thing the gateway saw, and [`verdict`] applies them to a target built
//! from one of the [`SHAPES`]. Shared by `tests/backends/main.rs` and the
//! fuzz target `backends`.

use graph_checkout_route::parse;
use percent_encoding::percent_decode_str;
use unicode_normalization::UnicodeNormalization;

/// One way a store may read a path value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Decodes once, as the gateway does.
    Once,
    /// Decodes a second time (lossily: invalid UTF-8 becomes U+FFFD).
    Twice,
    /// Decodes once and folds each name with NFKC.
    Nfkc,
    /// Decodes once and strips each name's edge spaces and trailing dots.
    Win32,
    /// NFKC first, then Win32's stripping: a best-fit mapping in front of
    /// a Windows file system.
    NfkcWin32,
}

/// Every reader.
pub const READERS: [Reader; 5] = [
    Reader::Once,
    Reader::Twice,
    Reader::Nfkc,
    Reader::Win32,
    Reader::NfkcWin32,
];

/// The names `reader` reads in a raw (still percent-encoded) path value,
/// or `None` when it does not decode to UTF-8 once.
pub fn read(reader: Reader, raw: &str) -> Option<Vec<String>> {
    let once = percent_decode_str(raw).decode_utf8().ok()?.into_owned();
    let value = match reader {
        Reader::Twice => percent_decode_str(&once).decode_utf8_lossy().into_owned(),
        _ => once,
    };
    Some(
        value
            .split('/')
            .map(|name| match reader {
                Reader::Once | Reader::Twice => name.to_owned(),
                Reader::Nfkc => name.nfkc().collect(),
                Reader::Win32 => strip(name).to_owned(),
                Reader::NfkcWin32 => strip(&name.nfkc().collect::<String>()).to_owned(),
            })
            .collect(),
    )
}

fn strip(name: &str) -> &str {
    name.trim_start_matches(' ').trim_end_matches([' ', '.'])
}

/// Whether a name read by some store is a name at all and names a file:
/// not empty, not `.` or `..`, without a separator, a character no file
/// name may hold, or a control character, and not a Windows device.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("an empty name");
    }
    if name == "." || name == ".." {
        return Some("a dot segment");
    }
    if name.contains(['/', '\\']) {
        return Some("a separator");
    }
    if name.contains(['"', '*', ':', '<', '>', '?', '|']) {
        return Some("a forbidden character");
    }
    if name.chars().any(char::is_control) {
        return Some("a control character");
    }
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let device = matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit());
    device.then_some("a device name")
}

/// Checks that every reader reads the accepted raw path value `raw` as the
/// gateway did: `accepted` is the value the gateway reported (decoded).
/// Decoding twice and Win32's stripping must read exactly the same names;
/// NFKC may change letters (`ﬁ` is `fi`) but not the number of names, and
/// no reader may see a name that is not a plain file name.
pub fn check_path(raw: &str, accepted: &str) -> Result<(), String> {
    let once = read(Reader::Once, raw).ok_or("the accepted path is not UTF-8 decoded once")?;
    if once.join("/") != accepted {
        return Err(format!(
            "decoded once it is {once:?}, the gateway said {accepted:?}"
        ));
    }
    for reader in READERS {
        let names = read(reader, raw).expect("decodes once");
        if names.len() != once.len() {
            return Err(format!("{reader:?} reads {names:?}, the gateway {once:?}"));
        }
        if let Some((name, why)) = names.iter().find_map(|n| bad_name(n).map(|why| (n, why))) {
            return Err(format!("{reader:?} reads {name:?}: {why}"));
        }
        if matches!(reader, Reader::Twice | Reader::Win32) && names != once {
            return Err(format!("{reader:?} reads {names:?}, the gateway {once:?}"));
        }
    }
    Ok(())
}

/// Checks that an OData backend reads the accepted raw key `raw` as the key
/// the gateway reported, `accepted`: decoded once, the same text, and
/// neither a parameter alias nor a type cast.
pub fn check_key(raw: &str, accepted: &str) -> Result<(), String> {
    let key = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| "the accepted key is not UTF-8 decoded once".to_owned())?;
    if key != accepted {
        return Err(format!(
            "decoded once it is {key:?}, the gateway said {accepted:?}"
        ));
    }
    if key.starts_with('@') {
        return Err(format!("the backend reads {key:?} as a parameter alias"));
    }
    let cast = "microsoft.graph.";
    if key.len() >= cast.len() && key.as_bytes()[..cast.len()].eq_ignore_ascii_case(cast.as_bytes())
    {
        return Err(format!("the backend reads {key:?} as a type cast"));
    }
    Ok(())
}

/// The shapes a key or path stands in: `{K}` is the key, `{P}` the path
/// value; with the name of the key's param, and whether there is a path.
#[rustfmt::skip]
pub const SHAPES: &[(&str, Option<&str>, bool)] = &[
    ("/me/drive/root:/{P}:/checkout", None, true),
    ("/drives/b!x/items/01AB:/{P}:/checkout", None, true),
    ("/me/drive/special/documents:/{P}:/checkout", None, true),
    ("/sites/contoso.sharepoint.com:/{P}:/drive/root/checkout", None, true),
    ("/me/drive/items/{K}/checkout", Some("driveItemId"), false),
    ("/me/drive/items('{K}')/checkout", Some("driveItemId"), false),
    ("/users/{K}/drive/root/checkout", Some("userId"), false),
    ("/drives/{K}/root:/{P}:/checkout", Some("drivesId"), true),
];

/// `form` with its markers replaced, in one pass (a key may hold `{P}`).
fn fill(form: &str, key: &str, path: &str) -> String {
    let mut out = String::new();
    let mut rest = form;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        out.push_str(if rest[at..].starts_with("{K}") {
            key
        } else {
            path
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// The readers' verdict on a target built from `SHAPES[shape]` (modulo
/// their number): `Ok(true)` accepted and read alike by every store,
/// `Ok(false)` refused, or accepted as another shape (a key or path that
/// held a separator, or a `?` that began a query); `Err` when a store reads
/// it otherwise.
pub fn verdict(shape: usize, key: &str, path: &str) -> Result<bool, String> {
    let (form, key_param, has_path) = SHAPES[shape % SHAPES.len()];
    let target = fill(form, key, path);
    let Ok(route) = parse(&target) else {
        return Ok(false);
    };
    let shape = fill(form, "{k}", "{p}");
    let shape =
        graph_checkout_route::parse_template(&shape).expect("every shape is a valid template");
    // A `?` in the key or the path begins a query: then the route may have
    // the shape's template and still have split the target elsewhere
    // (`01AB:/tf:/checkout?:/checkout` is the path `tf` and the query
    // `:/checkout`), so the filled values are not what was read.
    if route.template() != shape.template() || route.query().is_some() {
        return Ok(false);
    }
    let context = |why: String| format!("{target}: {why}");
    for (name, value) in route.params() {
        if Some(name) == key_param {
            check_key(key, value).map_err(context)?;
        } else if name == "path" && has_path {
            check_path(path, value).map_err(context)?;
        }
    }
    Ok(true)
}

/// [`verdict`] on raw bytes, as the fuzz target `backends` reads them: the
/// first byte picks the shape, the rest is `KEY\nPATH` (or `PATH` alone).
/// Bytes that are not UTF-8 are refused like any other target.
pub fn verdict_bytes(data: &[u8]) -> Result<bool, String> {
    let Some((&shape, rest)) = data.split_first() else {
        return Ok(false);
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return Ok(false);
    };
    let (key, path) = rest.split_once('\n').unwrap_or(("a", rest));
    verdict(usize::from(shape), key, path)
}
