//! Real ID shapes (DESIGN §1.4): the key values the generator writes.

use crate::reference::{key_rules, KeyRule, SPECIAL_FOLDERS};
use crate::tape::Rng;

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX_LOWER: &[u8] = b"0123456789abcdef";

/// `01` + 32 base32 characters: a business (OneDrive for Business /
/// SharePoint) item id.
fn business_id(r: &mut Rng) -> String {
    format!("01{}", r.string(BASE32, 32, 32))
}

/// `b!` + base64url: a drive id.
fn drive_id(r: &mut Rng) -> String {
    format!("b!{}", r.string(BASE64URL, 64, 64))
}

/// `u!` / `s!` + base64url: a share id.
fn share_id(r: &mut Rng) -> String {
    let prefix = if r.chance(50) { "u!" } else { "s!" };
    format!("{prefix}{}", r.string(BASE64URL, 1, 60))
}

fn guid(r: &mut Rng) -> String {
    let g = format!(
        "{}-{}-{}-{}-{}",
        r.string(HEX_UPPER, 8, 8),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 4, 4),
        r.string(HEX_UPPER, 12, 12)
    );
    if r.chance(50) {
        g.to_ascii_lowercase()
    } else {
        g
    }
}

/// A user principal name, `john.doe@contoso.com`.
fn upn(r: &mut Rng) -> String {
    format!(
        "{}@{}.{}",
        r.string(b"abcdefghijklmnopqrstuvwxyz0123456789._-", 1, 12),
        r.string(LOWER_DIGITS, 1, 10),
        r.string(b"abcdefghijklmnopqrstuvwxyz", 2, 5)
    )
}

/// `host,guid,guid` (or a bare hostname): a site id.
fn site_id(r: &mut Rng) -> String {
    let host = format!("{}.sharepoint.com", r.string(LOWER_DIGITS, 3, 10));
    if r.chance(70) {
        format!("{host},{},{}", guid(r), guid(r))
    } else {
        host
    }
}

/// `7DDA670C5E7F91DF!114`: a personal (OneDrive consumer) item id.
fn personal_id(r: &mut Rng) -> String {
    format!(
        "{}!{}",
        r.string(HEX_UPPER, 16, 16),
        r.string(b"0123456789", 1, 6)
    )
}

/// `19:` + 32 hex digits + `@thread.skype` (or `@thread.tacv2`): a Teams
/// channel id (DESIGN §1.4: the `channelId` alphabet has `:`). Now and then
/// one that ends with `:`, which the canonical form prints `%3A`
/// (decision (q)).
fn channel_id(r: &mut Rng) -> String {
    let domain = if r.chance(70) { "skype" } else { "tacv2" };
    let id = format!("19:{}@thread.{domain}", r.string(HEX_LOWER, 32, 32));
    if r.chance(10) {
        format!("{id}:")
    } else {
        id
    }
}

/// A list title, with spaces (DESIGN §1.4: the `listId` alphabet has a
/// space, written `%20`).
fn list_title(r: &mut Rng) -> String {
    const TITLES: &[&str] = &[
        "Documents",
        "Shared Documents",
        "Site Pages",
        "Form Templates",
        "Style Library",
        "Q3 Reports 2026",
    ];
    if r.chance(70) {
        return (*r.pick(TITLES)).to_string();
    }
    let words: Vec<String> = (0..=r.below(3))
        .map(|_| r.string(b"ABCabcxyz019-_.", 1, 8))
        .collect();
    let title = words.join(" ");
    // `.` and `..` are dot segments, not titles.
    if title == "." || title == ".." {
        format!("{title}x")
    } else {
        title
    }
}

/// A list item id: a small number.
fn list_item_id(r: &mut Rng) -> String {
    (1 + r.below(9999)).to_string()
}

/// A special-folder name in any case.
fn special_folder(r: &mut Rng) -> String {
    let name = *r.pick(&SPECIAL_FOLDERS);
    r.mixed_case(name)
}

/// A decoded key value of the right shape for the key `name` of `word`:
/// one that meets the key's per-key rule (the reference's `KEY_RULES`), if
/// it has one.
pub fn key_value(r: &mut Rng, word: &str, name: &str) -> String {
    match key_rules(name, word).next() {
        Some(KeyRule::SpecialFolder) => return special_folder(r),
        Some(KeyRule::SharePrefix) => return share_id(r),
        None => {}
    }
    let shapes: &[fn(&mut Rng) -> String] = match name {
        "userId" => &[guid, upn],
        "groupId" | "teamId" | "itemActivityStatId" | "itemActivityId" => &[guid],
        "siteId" => &[site_id],
        "drivesId" => &[drive_id, |r| r.string(HEX_UPPER, 16, 16)],
        // SharePoint Embedded containers are drives: `b!` ids.
        "containerId" => &[drive_id],
        "channelId" => &[channel_id],
        "listId" => &[guid, list_title],
        "listItemId" => &[list_item_id],
        _ => &[business_id, personal_id, guid],
    };
    // Now and then any shape in any position: keys are only checked
    // against the alphabet, not against the shape. (The shapes below fit
    // every key's alphabet; channel ids and list titles fit only theirs.)
    if r.chance(10) {
        let any: &[fn(&mut Rng) -> String] = &[
            business_id,
            drive_id,
            guid,
            upn,
            site_id,
            personal_id,
            share_id,
        ];
        return r.pick(any)(r);
    }
    r.pick(shapes)(r)
}
