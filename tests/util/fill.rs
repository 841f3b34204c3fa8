//! Route templates filled with realistic IDs: the one helper that the
//! tests, the benchmarks and the examples' tests share (benches include it
//! with `#[path]`). Plain std, so that any target can include it.
//!
//! Set 0 holds the IDs of `examples/requests.txt`; sets 1 to 7 vary every ID
//! the way real traffic does (other lengths, business and personal item
//! IDs, share IDs of both kinds, bare site host names, other special
//! folders), so that a benchmark loop over them does not train the branch
//! predictor on one length per key. None of them holds a byte that needs
//! escaping; channel ids hold a `:`, as real ones do.

#![allow(dead_code)]

/// How many ID sets [`fill_with`] knows.
pub const ID_SETS: usize = 8;

/// `template` with the IDs of set 0 in place of its placeholders.
pub fn fill(template: &str) -> String {
    fill_with(template, 0)
}

/// `template` with the IDs of set `set % ID_SETS` in place of its
/// placeholders. A placeholder is a whole segment `{name}` (or a whole path
/// value `:/{path}:`); an item under `special/` becomes a special-folder
/// name, and a second `{driveItemId}` another item than the first.
pub fn fill_with(template: &str, set: usize) -> String {
    let ids = Ids::new(set % ID_SETS);
    let mut out = String::with_capacity(template.len() * 2);
    let mut previous = "";
    let mut items = 0;
    for (i, piece) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let value = match piece {
            "{driveItemId}" if previous == "special" => ids.special.clone(),
            "{driveItemId}" => {
                items += 1;
                if items == 1 {
                    ids.item.clone()
                } else {
                    ids.child.clone()
                }
            }
            "{path}:" => format!("{}:", ids.path),
            _ => match piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => ids.value(name),
                None => piece.to_owned(),
            },
        };
        out.push_str(&value);
        previous = piece;
    }
    out
}

/// One set of IDs.
struct Ids {
    drive: String,
    share: String,
    item: String,
    child: String,
    base_item: String,
    workbook: String,
    group: String,
    site: String,
    user: String,
    special: String,
    stat: String,
    activity: String,
    path: String,
    team: String,
    channel: String,
    list: String,
    list_item: String,
    container: String,
    other: String,
}

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8] = b"0123456789abcdef";
const SPECIAL: [&str; 6] = [
    "documents",
    "photos",
    "cameraroll",
    "approot",
    "music",
    "recordings",
];

impl Ids {
    fn new(set: usize) -> Ids {
        if set == 0 {
            return Ids {
                drive: "b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFJpsk6cmeO8Yxrr0I8-DrmS4zUqeVl4iIF".into(),
                share: "u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL3NpdGVzL21hcmtldGluZy9Eb2N1bWVudHMvUTMuZG9jeA".into(),
                item: "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K".into(),
                child: "01BYE5RZ3MPQ7RDZ2XCVHJ6E7M2SLBPSMY".into(),
                base_item: "01BYE5RZ5LQYT3YMIX2JG3JNA5F6WVSPOI".into(),
                workbook: "01AZJL5PN6Y2GOVW7725BZO354PWSELRRZ".into(),
                group: "02bd9fd6-8f93-4758-87c3-1fb73740a315".into(),
                site: "contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE".into(),
                user: "john.doe@contoso.com".into(),
                special: "documents".into(),
                stat: "2026-11-26T00-00-00Z".into(),
                activity: "c2f5a4e8-6b1d-4d7e-9a3f-0e8b7c6d5a41".into(),
                path: "Documents/Q3-Report.docx".into(),
                team: "172b0cce-e65d-44ce-9a49-91d9f2e8493a".into(),
                channel: "19:f253e46c035b42308e9a4a22a87037af@thread.skype".into(),
                list: "8f2e3c1a-4b5d-4e6f-9a0b-1c2d3e4f5a6b".into(),
                list_item: "42".into(),
                container: "b!ISJs1WRro0y0EWgkUYcktDa0mE8zSlFEqFzqRn70Zwp1CEtDEBZgQICPkRbil_5Z".into(),
                other: "48d31887-5fad-4d73-a9f5-3c356e68a038".into(),
            };
        }
        let mut r = Rng(0x5EED_0000 + u64::try_from(set).expect("a small set number"));
        let personal = set % 3 == 2;
        let item = |r: &mut Rng| {
            if personal {
                r.personal_item()
            } else {
                r.business_item()
            }
        };
        let share_kind = if set % 2 == 0 { "s!" } else { "u!" };
        let share_len = 22 + r.below(80);
        let site = if set % 4 == 3 {
            format!("{}.sharepoint.com", r.word(4, 12))
        } else {
            format!(
                "{}.sharepoint.com,{},{}",
                r.word(4, 12),
                r.guid().to_uppercase(),
                r.guid().to_uppercase()
            )
        };
        Ids {
            drive: format!("b!{}", r.string(BASE64URL, 64, 64)),
            share: format!("{share_kind}{}", r.string(BASE64URL, share_len, share_len)),
            item: item(&mut r),
            child: item(&mut r),
            base_item: r.business_item(),
            workbook: r.business_item(),
            group: r.guid(),
            site,
            user: if set % 3 == 1 {
                r.guid()
            } else {
                format!("{}.{}@{}.com", r.word(2, 9), r.word(3, 12), r.word(4, 10))
            },
            special: SPECIAL[set % SPECIAL.len()].into(),
            stat: format!(
                "2026-{:02}-{:02}T00-00-00Z",
                1 + r.below(12),
                1 + r.below(28)
            ),
            activity: r.guid(),
            path: format!("{}/{}.docx", r.word(3, 10), r.word(3, 16)),
            team: r.guid(),
            channel: format!("19:{}@thread.skype", r.string(HEX, 32, 32)),
            list: r.guid(),
            list_item: (1 + r.below(9999)).to_string(),
            container: format!("b!{}", r.string(BASE64URL, 64, 64)),
            other: r.guid(),
        }
    }

    /// The value of a placeholder other than `{driveItemId}` and `{path}`.
    fn value(&self, name: &str) -> String {
        match name {
            "drivesId" => &self.drive,
            "sharesId" => &self.share,
            "baseItemId" => &self.base_item,
            "workbooksId" => &self.workbook,
            "groupId" => &self.group,
            "siteId" => &self.site,
            "userId" => &self.user,
            "itemActivityStatId" => &self.stat,
            "itemActivityId" => &self.activity,
            "teamId" => &self.team,
            "channelId" => &self.channel,
            "listId" => &self.list,
            "listItemId" => &self.list_item,
            "containerId" => &self.container,
            _ => &self.other,
        }
        .clone()
    }
}

/// splitmix64: the same IDs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }

    fn string(&mut self, alphabet: &[u8], min: usize, max: usize) -> String {
        let len = min + self.below(max - min + 1);
        (0..len)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }

    fn word(&mut self, min: usize, max: usize) -> String {
        self.string(b"abcdefghijklmnopqrstuvwxyz", min, max)
    }

    fn guid(&mut self) -> String {
        [8, 4, 4, 4, 12]
            .iter()
            .map(|&n| self.string(HEX, n, n))
            .collect::<Vec<_>>()
            .join("-")
    }

    /// `01` + 32 base32 characters: a OneDrive for Business item.
    fn business_item(&mut self) -> String {
        format!("01{}", self.string(BASE32, 32, 32))
    }

    /// `7DDA670C5E7F91DF!114`: a personal OneDrive item.
    fn personal_item(&mut self) -> String {
        let n = 1 + self.below(99_999);
        format!("{}!{n}", self.string(b"0123456789ABCDEF", 16, 16))
    }
}
