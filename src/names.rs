//! The names a path-based address may hold (docs/DESIGN.md §1.4): what a
//! file or folder name of OneDrive and SharePoint may be, and what a
//! Windows-based store behind Graph would read as another name.
//!
//! A name that such a store would change (Win32 strips a trailing dot or
//! space, so `..%20` becomes `..`; a device name such as `CON.txt` is the
//! device; a best-fit mapping folds fullwidth `．．／` to `../`) is refused,
//! so that no normalization behind the gateway can turn an accepted path
//! into a different one. The rules are checked on each segment as decoded,
//! and, when the segment is not ASCII, on its NFKC form too (the
//! compatibility folding that best-fit mappings apply; ASCII is its own
//! NFKC form, so ASCII names never pay for it).

use unicode_normalization::UnicodeNormalization;

/// What is wrong with a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameFault {
    /// A character no file name may hold: `" * : < > ? \ |`, or a control
    /// character (C0, DEL or C1).
    Forbidden(char),
    /// A space at the start or the end.
    EdgeSpace,
    /// A `.` at the end.
    TrailingDot,
    /// A name OneDrive or SharePoint reserves.
    Reserved,
    /// Once folded, a `/`, `.` or `..`: another number of segments.
    FoldsToSeparator,
}

/// The first fault of a decoded path value, and whether it shows only in a
/// segment's NFKC form.
pub(crate) fn check_path(value: &str) -> Result<(), (NameFault, bool)> {
    if let Some(c) = value.chars().find(|&c| is_forbidden(c)) {
        return Err((NameFault::Forbidden(c), false));
    }
    for segment in value.split('/') {
        check_name(segment).map_err(|fault| (fault, false))?;
        if !segment.is_ascii() {
            let folded: String = segment.nfkc().collect();
            if folded != segment {
                check_folded(&folded).map_err(|fault| (fault, true))?;
            }
        }
    }
    Ok(())
}

/// A segment's NFKC form: every rule of a name, and no separator.
fn check_folded(folded: &str) -> Result<(), NameFault> {
    if let Some(c) = folded.chars().find(|&c| is_forbidden(c)) {
        return Err(NameFault::Forbidden(c));
    }
    if folded.contains('/') || folded == "." || folded == ".." {
        return Err(NameFault::FoldsToSeparator);
    }
    check_name(folded)
}

/// OneDrive's forbidden file-name characters, and every control character.
fn is_forbidden(c: char) -> bool {
    matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '\\' | '|') || c.is_control()
}

/// The rules of one name (one segment of a path).
fn check_name(name: &str) -> Result<(), NameFault> {
    if name.starts_with(' ') || name.ends_with(' ') {
        return Err(NameFault::EdgeSpace);
    }
    if name.ends_with('.') {
        return Err(NameFault::TrailingDot);
    }
    if is_reserved(name) {
        return Err(NameFault::Reserved);
    }
    Ok(())
}

/// OneDrive and SharePoint's reserved names, ASCII case-insensitively:
/// `.lock`, `desktop.ini`, the Windows device names (`CON`, `PRN`, `AUX`,
/// `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`, also with any extension: Win32
/// reads `CON.txt` as the device), a name starting with `~$` (Office's
/// lock files), and `_vti_` anywhere (FrontPage's folders).
fn is_reserved(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == ".lock"
        || lower == "desktop.ini"
        || lower.starts_with("~$")
        || lower.contains("_vti_")
    {
        return true;
    }
    let stem = lower.split('.').next().unwrap_or_default();
    match stem.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', digit] | [b'l', b'p', b't', digit] => digit.is_ascii_digit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_store_would_read_otherwise_are_refused() {
        for (path, fault, folded) in [
            (
                "a/..%20".replace("%20", " ").as_str(),
                NameFault::EdgeSpace,
                false,
            ),
            ("secret.docx.", NameFault::TrailingDot, false),
            (" lead", NameFault::EdgeSpace, false),
            ("CON.txt", NameFault::Reserved, false),
            ("lpt9", NameFault::Reserved, false),
            ("a/Desktop.INI", NameFault::Reserved, false),
            ("~$report.docx", NameFault::Reserved, false),
            ("site/_VTI_bin/x", NameFault::Reserved, false),
            ("a\u{85}b", NameFault::Forbidden('\u{85}'), false),
            (
                "public/\u{FF0E}\u{FF0E}\u{FF0F}secret.docx",
                NameFault::FoldsToSeparator,
                true,
            ),
            ("\u{FF0E}\u{FF0E}", NameFault::FoldsToSeparator, true),
            ("a\u{FF1A}b", NameFault::Forbidden(':'), true),
            ("\u{FF23}\u{FF2F}\u{FF2E}", NameFault::Reserved, true),
        ] {
            assert_eq!(check_path(path), Err((fault, folded)), "{path:?}");
        }
    }

    #[test]
    fn ordinary_names_pass() {
        for path in [
            "Documents/Q3 Report.docx",
            "a/b.c/.hidden",
            "CONSOLE.txt",
            "COM10",
            "lock",
            "\u{FB01}le.txt",
            "Отчет.docx",
            "vti_/x",
        ] {
            assert_eq!(check_path(path), Ok(()), "{path:?}");
        }
    }
}
