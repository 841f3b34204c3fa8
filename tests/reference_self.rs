//! The independent reference of `tests/reference/mod.rs`, tested alone
//! against the examples DESIGN gives (§1.2, §1.4, §2, §6) and those of
//! issue 11, so that a wrong reference is caught before it is compared with
//! the crate (`tests/properties/`, `fuzz/`). Nothing here runs the crate.
//!
//! `cargo test --test reference_self`.

#[path = "reference/mod.rs"]
mod reference;

use reference::{
    classify, classify_line, cli_lines, rows, split_line, step, Graph, Options, Outcome, Source,
    Ty, Versions, ADDRESSES, DOCUMENTED, GRAPH,
};

/// What a case must give: an error, or a route with these template, params
/// and canonical form (the documented flag follows from the template).
enum Want {
    Err(&'static str, usize),
    Ok(
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
    ),
}

use Want::{Err, Ok};

/// Checks every case and reports every failure at once. A `T ` prefix is
/// template mode; `L ` a CLI line through the line entry point (`LT ` both).
#[track_caller]
fn check(cases: &[(&str, Want)], opts: &Options) {
    let mut failures = Vec::new();
    for (input, want) in cases {
        let (mode, text) = match input.split_once(' ') {
            Some((mode @ ("T" | "L" | "LT"), text)) => (mode, text),
            _ => ("", *input),
        };
        let o = Options {
            template: mode.contains('T'),
            ..opts.clone()
        };
        let got = if mode.starts_with('L') {
            classify_line(&o, text.as_bytes())
        } else {
            classify(&o, None, text.as_bytes())
        };
        let matches = match (want, &got) {
            (
                Err(kind, offset),
                Outcome::Err {
                    kind: k,
                    offset: at,
                },
            ) => kind == k && offset == at,
            (
                Ok(template, params, canonical),
                Outcome::Ok {
                    template: t,
                    documented,
                    params: p,
                    canonical: c,
                    ..
                },
            ) => {
                let p: Vec<(&str, &str)> =
                    p.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                t == template
                    && *documented == DOCUMENTED.contains(template)
                    && p == *params
                    && c == canonical
            }
            _ => false,
        };
        if !matches {
            let want = match want {
                Err(kind, offset) => format!("{kind} at {offset}"),
                Ok(template, params, canonical) => format!("{template} {params:?} {canonical}"),
            };
            failures.push(format!("{input:?}\n  got  {got:?}\n  want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn versioned(version: &str, query: Option<&str>, got: &Outcome) -> bool {
    matches!(got, Outcome::Ok { version: v, query: q, .. }
        if v.as_deref() == Some(version) && q.as_deref() == query)
}

// ---------------------------------------------------------------------------
// DESIGN §1.2: the table.
// ---------------------------------------------------------------------------

#[test]
fn the_table_has_its_73_rows() {
    // Rows of two spellings are one row of the table: `root` / `driveItem`
    // on a SharedDriveItem, `allTime` / `lastSevenDays`, the action.
    let two_spellings = 3;
    assert_eq!(GRAPH.len() + ADDRESSES.len() - two_spellings, 73);
    let beta: Vec<(Ty, &str)> = GRAPH
        .iter()
        .filter(|e| e.versions == Versions::Beta)
        .map(|e| (e.from, e.word))
        .collect();
    assert_eq!(
        beta,
        [
            (Ty::User, "joinedGroups"),
            (Ty::List, "activities"),
            (Ty::ListItem, "activities"),
            (Ty::Drive, "activities"),
            (Ty::DriveItem, "activities"),
            (Ty::ItemActivityOld, "driveItem"),
            (Ty::ItemActivityOld, "listItem"),
        ]
    );
    let legacy: Vec<(Ty, &str)> = GRAPH
        .iter()
        .filter(|e| e.source == Source::Legacy)
        .map(|e| (e.from, e.word))
        .collect();
    assert_eq!(legacy, [(Ty::Root, "workbooks"), (Ty::Team, "sites")]);
    assert!(ADDRESSES
        .iter()
        .all(|a| a.source == Source::Convention && a.versions == Versions::Both));
    // Every type but the root and the end is left by some row, and under
    // v1.0 every type a `both` row reaches still has a way on.
    for e in rows(Graph::V1) {
        assert!(
            e.to == Ty::Done || rows(Graph::V1).any(|next| next.from == e.to),
            "{e:?}"
        );
    }
    assert!(step(Ty::Drive, b"ACTIVITIES", Graph::All).is_some());
    assert!(step(Ty::Drive, b"activities", Graph::V1).is_none());
}

const ROWS: &[(&str, Want)] = &[
    ("/me/drive/root/checkout", Ok("/me/drive/root/checkout", &[], "/me/drive/root/checkout")),
    (
        "/drive/root:/Documents/MyFile.xlsx:/checkout",
        Ok(
            "/drive/root:/{path}:/checkout",
            &[("path", "Documents/MyFile.xlsx")],
            "/drive/root:/Documents/MyFile.xlsx:/checkout",
        ),
    ),
    (
        "/teams/t1/channels/c1/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "t1"), ("channelId", "c1")],
            "/teams/t1/channels/c1/filesFolder/checkout",
        ),
    ),
    (
        "/teams/t1/allChannels/c1/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/allChannels/{channelId}/filesFolder/checkout",
            &[("teamId", "t1"), ("channelId", "c1")],
            "/teams/t1/allChannels/c1/filesFolder/checkout",
        ),
    ),
    (
        "/teams/t1/incomingChannels('c1')/FILESFOLDER/checkout",
        Ok(
            "/teams/{teamId}/incomingChannels/{channelId}/filesFolder/checkout",
            &[("teamId", "t1"), ("channelId", "c1")],
            "/teams/t1/incomingChannels/c1/filesFolder/checkout",
        ),
    ),
    (
        "/groups/g/team/primaryChannel/filesFolder/checkout",
        Ok(
            "/groups/{groupId}/team/primaryChannel/filesFolder/checkout",
            &[("groupId", "g")],
            "/groups/g/team/primaryChannel/filesFolder/checkout",
        ),
    ),
    (
        "/teams/t/group/sites/root/drive/root/checkout",
        Ok(
            "/teams/{teamId}/group/sites/{siteId}/drive/root/checkout",
            &[("teamId", "t"), ("siteId", "root")],
            "/teams/t/group/sites/root/drive/root/checkout",
        ),
    ),
    (
        "/teams/t/sites/s/drive/root/checkout",
        Ok(
            "/teams/{teamId}/sites/{siteId}/drive/root/checkout",
            &[("teamId", "t"), ("siteId", "s")],
            "/teams/t/sites/s/drive/root/checkout",
        ),
    ),
    (
        "/me/followedSites/s/sites/sub/drives/d/root/checkout",
        Ok(
            "/me/followedSites/{siteId}/sites/{siteId}/drives/{drivesId}/root/checkout",
            &[("siteId", "s"), ("siteId", "sub"), ("drivesId", "d")],
            "/me/followedSites/s/sites/sub/drives/d/root/checkout",
        ),
    ),
    (
        "/me/joinedGroups/g/drive/root/checkout",
        Ok(
            "/me/joinedGroups/{groupId}/drive/root/checkout",
            &[("groupId", "g")],
            "/me/joinedGroups/g/drive/root/checkout",
        ),
    ),
    (
        "/sites/s/lists/l/items/1/driveItem/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/items/{listItemId}/driveItem/checkout",
            &[("siteId", "s"), ("listId", "l"), ("listItemId", "1")],
            "/sites/s/lists/l/items/1/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/lists/l/drive/root/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/drive/root/checkout",
            &[("siteId", "s"), ("listId", "l")],
            "/sites/s/lists/l/drive/root/checkout",
        ),
    ),
    (
        "/sites/s/analytics/allTime/activities/a/driveItem/checkout",
        Ok(
            "/sites/{siteId}/analytics/allTime/activities/{itemActivityId}/driveItem/checkout",
            &[("siteId", "s"), ("itemActivityId", "a")],
            "/sites/s/analytics/allTime/activities/a/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/lists/l/items/7/analytics/lastSevenDays/activities/a/driveItem/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/items/{listItemId}/analytics/lastSevenDays/activities/{itemActivityId}/driveItem/checkout",
            &[("siteId", "s"), ("listId", "l"), ("listItemId", "7"), ("itemActivityId", "a")],
            "/sites/s/lists/l/items/7/analytics/lastSevenDays/activities/a/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/items/b/microsoft.graph.driveItem/checkout",
        Ok(
            "/sites/{siteId}/items/{baseItemId}/microsoft.graph.driveItem/checkout",
            &[("siteId", "s"), ("baseItemId", "b")],
            "/sites/s/items/b/microsoft.graph.driveItem/checkout",
        ),
    ),
    (
        "/sites/s/items/b/Microsoft.Graph.ListItem/driveItem/checkout",
        Ok(
            "/sites/{siteId}/items/{baseItemId}/microsoft.graph.listItem/driveItem/checkout",
            &[("siteId", "s"), ("baseItemId", "b")],
            "/sites/s/items/b/microsoft.graph.listItem/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/items/b/microsoft.graph.list/drive/root/checkout",
        Ok(
            "/sites/{siteId}/items/{baseItemId}/microsoft.graph.list/drive/root/checkout",
            &[("siteId", "s"), ("baseItemId", "b")],
            "/sites/s/items/b/microsoft.graph.list/drive/root/checkout",
        ),
    ),
    (
        "/sites/s/items/b/microsoft.graph.drive/root/checkout",
        Ok(
            "/sites/{siteId}/items/{baseItemId}/microsoft.graph.drive/root/checkout",
            &[("siteId", "s"), ("baseItemId", "b")],
            "/sites/s/items/b/microsoft.graph.drive/root/checkout",
        ),
    ),
    (
        "/sites/s/items/b/microsoft.graph.site/drive/root/checkout",
        Ok(
            "/sites/{siteId}/items/{baseItemId}/microsoft.graph.site/drive/root/checkout",
            &[("siteId", "s"), ("baseItemId", "b")],
            "/sites/s/items/b/microsoft.graph.site/drive/root/checkout",
        ),
    ),
    (
        "/shares/u!x/list/drive/root/checkout",
        Ok(
            "/shares/{sharesId}/list/drive/root/checkout",
            &[("sharesId", "u!x")],
            "/shares/u!x/list/drive/root/checkout",
        ),
    ),
    (
        "/shares/u!x/listItem/driveItem/checkout",
        Ok(
            "/shares/{sharesId}/listItem/driveItem/checkout",
            &[("sharesId", "u!x")],
            "/shares/u!x/listItem/driveItem/checkout",
        ),
    ),
    (
        "/shares/s!x/site/drive/root/checkout",
        Ok(
            "/shares/{sharesId}/site/drive/root/checkout",
            &[("sharesId", "s!x")],
            "/shares/s!x/site/drive/root/checkout",
        ),
    ),
    (
        "/drive/following/f/checkout",
        Ok("/drive/following/{driveItemId}/checkout", &[("driveItemId", "f")], "/drive/following/f/checkout"),
    ),
    (
        "/drive/bundles/b/checkout",
        Ok("/drive/bundles/{driveItemId}/checkout", &[("driveItemId", "b")], "/drive/bundles/b/checkout"),
    ),
    (
        "/drive/list/items/3/driveItem/checkout",
        Ok(
            "/drive/list/items/{listItemId}/driveItem/checkout",
            &[("listItemId", "3")],
            "/drive/list/items/3/driveItem/checkout",
        ),
    ),
    (
        "/drive/activities/a/driveItem/checkout",
        Ok(
            "/drive/activities/{itemActivityId}/driveItem/checkout",
            &[("itemActivityId", "a")],
            "/drive/activities/a/driveItem/checkout",
        ),
    ),
    (
        "/drive/root/activities/a/listItem/driveItem/checkout",
        Ok(
            "/drive/root/activities/{itemActivityId}/listItem/driveItem/checkout",
            &[("itemActivityId", "a")],
            "/drive/root/activities/a/listItem/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/lists/l/activities/a/driveItem/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/activities/{itemActivityId}/driveItem/checkout",
            &[("siteId", "s"), ("listId", "l"), ("itemActivityId", "a")],
            "/sites/s/lists/l/activities/a/driveItem/checkout",
        ),
    ),
    (
        "/sites/s/lists/l/items/1/activities/a/driveItem/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/items/{listItemId}/activities/{itemActivityId}/driveItem/checkout",
            &[("siteId", "s"), ("listId", "l"), ("listItemId", "1"), ("itemActivityId", "a")],
            "/sites/s/lists/l/items/1/activities/a/driveItem/checkout",
        ),
    ),
    (
        "/storage/fileStorage/containers/b!c/drive/root/checkout",
        Ok(
            "/storage/fileStorage/containers/{containerId}/drive/root/checkout",
            &[("containerId", "b!c")],
            "/storage/fileStorage/containers/b!c/drive/root/checkout",
        ),
    ),
    (
        "/storage/fileStorage/deletedContainers/b!c/drive/items/i/checkout",
        Ok(
            "/storage/fileStorage/deletedContainers/{containerId}/drive/items/{driveItemId}/checkout",
            &[("containerId", "b!c"), ("driveItemId", "i")],
            "/storage/fileStorage/deletedContainers/b!c/drive/items/i/checkout",
        ),
    ),
    (
        "/workbooks/w/microsoft.graph.checkout",
        Ok("/workbooks/{workbooksId}/checkout", &[("workbooksId", "w")], "/workbooks/w/checkout"),
    ),
    // Out of scope (DESIGN §1.2): a gateway sees them as unknown.
    ("/groups/g/members/u/drive/root/checkout", Err("unknown_segment", 10)),
    ("/me/insights/used/x/resource/checkout", Err("unknown_segment", 4)),
    // A cast must be qualified.
    ("/sites/s/items/b/driveItem/checkout", Err("nesting", 17)),
    ("/sites/s/items/b/microsoft.graph.root/checkout", Err("unknown_segment", 17)),
];

#[test]
fn every_row_of_the_table_classifies() {
    let o = Options::default();
    check(ROWS, &o);
}

// ---------------------------------------------------------------------------
// DESIGN §1.2 "Versions", decisions (h) and (i).
// ---------------------------------------------------------------------------

const V1: &[(&str, Want)] = &[
    // (i): a spelling only beta rows use is not a word of v1.0.
    (
        "/v1.0/me/joinedGroups/g/drive/root/checkout",
        Err("unknown_segment", 9),
    ),
    (
        "/V1.0/me/JOINEDGROUPS/g/drive/root/checkout",
        Err("unknown_segment", 9),
    ),
    (
        "https://graph.microsoft.com/v1.0/me/joinedGroups/g/drive/root/checkout",
        Err("unknown_segment", 36),
    ),
    // (i): a word v1.0 uses elsewhere, not from here.
    (
        "/v1.0/me/drive/activities/a/driveItem/checkout",
        Err("nesting", 15),
    ),
    (
        "/v1.0/me/drive/root/activities/a/driveItem/checkout",
        Err("nesting", 20),
    ),
    (
        "/v1.0/sites/s/lists/l/activities/a/driveItem/checkout",
        Err("nesting", 22),
    ),
    (
        "/v1.0/sites/s/lists/l/items/1/activities/a/driveItem/checkout",
        Err("nesting", 30),
    ),
    // v1.0 has `activities` on an ItemActivityStat.
    (
        "/v1.0/me/drive/root/analytics/allTime/activities/a/driveItem/checkout",
        Ok(
            "/me/drive/root/analytics/allTime/activities/{itemActivityId}/driveItem/checkout",
            &[("itemActivityId", "a")],
            "/me/drive/root/analytics/allTime/activities/a/driveItem/checkout",
        ),
    ),
    // (h): beta, localtest, no version: every row.
    (
        "/beta/me/joinedGroups/g/drive/root/checkout",
        Ok(
            "/me/joinedGroups/{groupId}/drive/root/checkout",
            &[("groupId", "g")],
            "/me/joinedGroups/g/drive/root/checkout",
        ),
    ),
    (
        "/localtest/me/drive/activities/a/driveItem/checkout",
        Ok(
            "/me/drive/activities/{itemActivityId}/driveItem/checkout",
            &[("itemActivityId", "a")],
            "/me/drive/activities/a/driveItem/checkout",
        ),
    ),
    // (h): every template, even one that names v1.0.
    (
        "T /v1.0/me/joinedGroups/{g}/drive/root/checkout",
        Ok(
            "/me/joinedGroups/{groupId}/drive/root/checkout",
            &[("groupId", "{g}")],
            "/me/joinedGroups/{g}/drive/root/checkout",
        ),
    ),
    // `v1.0` as a word elsewhere is no version.
    ("/me/v1.0/drive/root/checkout", Err("unknown_segment", 4)),
];

const V1_CONFIGURED: &[(&str, Want)] = &[
    (
        "/v1.0/me/joinedGroups/g/drive/root/checkout",
        Err("unknown_segment", 9),
    ),
    (
        "/v2.0/me/joinedGroups/g/drive/root/checkout",
        Ok(
            "/me/joinedGroups/{groupId}/drive/root/checkout",
            &[("groupId", "g")],
            "/me/joinedGroups/g/drive/root/checkout",
        ),
    ),
];

#[test]
fn v1_targets_use_only_both_rows() {
    let o = Options::default();
    check(V1, &o);

    // (h): the configured version that equals `v1.0` ignoring case.
    let o = Options {
        versions: vec!["V1.0".into(), "v2.0".into()],
        ..Options::default()
    };
    let got = classify(&o, None, b"/v1.0/me/drive/root/checkout");
    assert!(versioned("V1.0", None, &got), "{got:?}");
    check(V1_CONFIGURED, &o);
}

// ---------------------------------------------------------------------------
// DESIGN §1.4: keys, per-key alphabets, path-based addresses, sites by path.
// ---------------------------------------------------------------------------

const KEYS: &[(&str, Want)] = &[
    (
        "/me/drive/items('01AB')/checkout",
        Ok("/me/drive/items/{driveItemId}/checkout", &[("driveItemId", "01AB")], "/me/drive/items/01AB/checkout"),
    ),
    (
        "/drives/b%21x/items/7DDA670C5E7F91DF!114/checkout",
        Ok(
            "/drives/{drivesId}/items/{driveItemId}/checkout",
            &[("drivesId", "b!x"), ("driveItemId", "7DDA670C5E7F91DF!114")],
            "/drives/b!x/items/7DDA670C5E7F91DF!114/checkout",
        ),
    ),
    (
        "/users/john.doe@contoso.com/drive/root/checkout",
        Ok("/users/{userId}/drive/root/checkout", &[("userId", "john.doe@contoso.com")], "/users/john.doe@contoso.com/drive/root/checkout"),
    ),
    ("/drives/a%20b/root/checkout", Err("invalid_id", 8)),
    ("/drives/a%25b/root/checkout", Err("invalid_id", 8)),
    ("/drives/a%2Fb/root/checkout", Err("encoding", 9)),
    ("/shares/x!y/root/checkout", Err("invalid_id", 8)),
    ("/me/drive/special/desktop/checkout", Err("invalid_id", 18)),
    // (o): a channel id holds `:`, raw or `%3A`.
    (
        "/teams/t/channels/19:f253e46c035b42308e9a4a22a87037af@thread.skype/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "t"), ("channelId", "19:f253e46c035b42308e9a4a22a87037af@thread.skype")],
            "/teams/t/channels/19:f253e46c035b42308e9a4a22a87037af@thread.skype/filesFolder/checkout",
        ),
    ),
    (
        "/teams/t/channels/19%3Af253e46c035b42308e9a4a22a87037af@thread.skype/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "t"), ("channelId", "19:f253e46c035b42308e9a4a22a87037af@thread.skype")],
            "/teams/t/channels/19:f253e46c035b42308e9a4a22a87037af@thread.skype/filesFolder/checkout",
        ),
    ),
    // (o): a raw `:` ending a channel key segment before `/` opens an
    // address: `nesting` on a Channel, at that `:`.
    ("/teams/t/channels/19:x:/filesFolder/checkout", Err("nesting", 22)),
    ("/teams/t/channels('19:x'):/a:/filesFolder/checkout", Err("nesting", 25)),
    // (q): a `:` ending a channel id prints `%3A`.
    (
        "/teams/t/channels/19:x%3A/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "t"), ("channelId", "19:x:")],
            "/teams/t/channels/19:x%3A/filesFolder/checkout",
        ),
    ),
    (
        "/teams/t/channels('19:x:')/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "t"), ("channelId", "19:x:")],
            "/teams/t/channels/19:x%3A/filesFolder/checkout",
        ),
    ),
    ("/teams/t/channels/a%20b/filesFolder/checkout", Err("invalid_id", 18)),
    // (o): a list may be addressed by its title, the space as `%20`.
    (
        "/sites/s/lists/Shared%20Documents/drive/root/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/drive/root/checkout",
            &[("siteId", "s"), ("listId", "Shared Documents")],
            "/sites/s/lists/Shared%20Documents/drive/root/checkout",
        ),
    ),
    ("/sites/s/lists/Shared Documents/drive/root/checkout", Err("syntax", 21)),
    ("/sites/s/lists/a:b/drive/root/checkout", Err("invalid_id", 15)),
    ("/sites/s/lists/a%3Ab/drive/root/checkout", Err("invalid_id", 15)),
    // A `:` in any other key.
    ("/drives/a:b/root/checkout", Err("invalid_id", 8)),
    ("/teams/a%3Ab/primaryChannel/filesFolder/checkout", Err("invalid_id", 7)),
    ("/sites/s/lists/l/items/1:2/driveItem/checkout", Err("invalid_id", 23)),
];

#[test]
fn keys_follow_design_1_4() {
    let o = Options::default();
    check(KEYS, &o);
}

const PATHS: &[(&str, Want)] = &[
    (
        "/me/drive/root:/Documents/Q3%20Report.docx:/checkout",
        Ok("/me/drive/root:/{path}:/checkout", &[("path", "Documents/Q3 Report.docx")], "/me/drive/root:/Documents/Q3%20Report.docx:/checkout"),
    ),
    (
        "/me/drive/items/i:/a/b.txt:/checkout",
        Ok("/me/drive/items/{driveItemId}:/{path}:/checkout", &[("driveItemId", "i"), ("path", "a/b.txt")], "/me/drive/items/i:/a/b.txt:/checkout"),
    ),
    (
        "/me/drive/special/documents:/x.xlsx:/checkout",
        Ok("/me/drive/special/{driveItemId}:/{path}:/checkout", &[("driveItemId", "documents"), ("path", "x.xlsx")], "/me/drive/special/documents:/x.xlsx:/checkout"),
    ),
    (
        "/me/drive/root:/%D0%9E%D1%82%D1%87%D0%B5%D1%82.docx:/checkout",
        Ok("/me/drive/root:/{path}:/checkout", &[("path", "Отчет.docx")], "/me/drive/root:/%D0%9E%D1%82%D1%87%D0%B5%D1%82.docx:/checkout"),
    ),
    ("/me/drive/root:/a%2Fb:/checkout", Err("encoding", 17)),
    ("/me/drive/root:/a%3Fb:/checkout", Err("invalid_id", 16)),
    // (p): a site by server-relative path, on the hostname key.
    (
        "/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/checkout",
        Ok(
            "/sites/{siteId}:/{path}:/drive/root/checkout",
            &[("siteId", "contoso.sharepoint.com"), ("path", "sites/Marketing")],
            "/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/checkout",
        ),
    ),
    (
        "/sites('contoso.sharepoint.com'):/sites/Marketing%20Team:/lists/Shared%20Documents/items/4/driveItem/checkout",
        Ok(
            "/sites/{siteId}:/{path}:/lists/{listId}/items/{listItemId}/driveItem/checkout",
            &[("siteId", "contoso.sharepoint.com"), ("path", "sites/Marketing Team"), ("listId", "Shared Documents"), ("listItemId", "4")],
            "/sites/contoso.sharepoint.com:/sites/Marketing%20Team:/lists/Shared%20Documents/items/4/driveItem/checkout",
        ),
    ),
    (
        "/groups/g/sites/root:/sites/a:/sites/sub:/b:/drive/root:/c.docx:/checkout",
        Ok(
            "/groups/{groupId}/sites/{siteId}:/{path}:/sites/{siteId}:/{path}:/drive/root:/{path}:/checkout",
            &[("groupId", "g"), ("siteId", "root"), ("path", "sites/a"), ("siteId", "sub"), ("path", "b"), ("path", "c.docx")],
            "/groups/g/sites/root:/sites/a:/sites/sub:/b:/drive/root:/c.docx:/checkout",
        ),
    ),
    (
        "/v1.0/me/followedSites/h:/x:/drive/root/checkout",
        Ok(
            "/me/followedSites/{siteId}:/{path}:/drive/root/checkout",
            &[("siteId", "h"), ("path", "x")],
            "/me/followedSites/h:/x:/drive/root/checkout",
        ),
    ),
    // (r): on a Site reached by a keyword too.
    (
        "/shares/u!x/site:/a:/drive/root/checkout",
        Ok(
            "/shares/{sharesId}/site:/{path}:/drive/root/checkout",
            &[("sharesId", "u!x"), ("path", "a")],
            "/shares/u!x/site:/a:/drive/root/checkout",
        ),
    ),
    // Same checks as an item's (DESIGN §6 "Path-based addresses").
    ("/sites/h:/a%2Fb:/drive/root/checkout", Err("encoding", 11)),
    ("/sites/h:/a//b:/drive/root/checkout", Err("syntax", 12)),
    ("/sites/h:/a*b:/drive/root/checkout", Err("invalid_id", 10)),
    ("/sites/h:/sites/x", Err("incomplete", 17)),
    // A Site is no DriveItem, a DriveItem no Site; other types: nesting.
    ("/sites/h:/x:/checkout", Err("nesting", 13)),
    ("/sites/h:/x:/root/checkout", Err("nesting", 13)),
    ("/me/drive/root:/x:/drive/root/checkout", Err("nesting", 19)),
    ("/drives/d:/x:/root/checkout", Err("nesting", 9)),
    ("/sites/s/lists/l:/x:/drive/root/checkout", Err("nesting", 16)),
    ("/me/drive:/x:/root/checkout", Err("nesting", 9)),
    ("/sites:/x:/drive/root/checkout", Err("nesting", 6)),
];

#[test]
fn path_addresses_follow_design_1_4() {
    let o = Options::default();
    check(PATHS, &o);
}

// ---------------------------------------------------------------------------
// DESIGN §2: the examples.
// ---------------------------------------------------------------------------

const DESIGN_2: &[(&str, Want)] = &[
    (
        "/drives/d1/items/i1/microsoft.graph.sharedDriveItem/root/checkout",
        Err("nesting", 20),
    ),
    ("/me/drive/checkout", Err("nesting", 10)),
    ("/me/drive/bogus/checkout", Err("unknown_segment", 10)),
    ("/me/drive/root", Err("incomplete", 14)),
    ("/me/drive/root/content", Err("unknown_segment", 15)),
    ("/me/drive/root/check-out", Err("unknown_segment", 15)),
    ("/me/drive/root/checkout/x", Err("nesting", 24)),
    (
        "/me/drive/root/microsoft.graph.driveItem/checkout",
        Err("nesting", 15),
    ),
];

#[test]
fn design_2_examples() {
    let o = Options::default();
    check(DESIGN_2, &o);
}

// ---------------------------------------------------------------------------
// DESIGN §6: versions, keywords, targets, output.
// ---------------------------------------------------------------------------

const DESIGN_6: &[(&str, Want)] = &[
    ("/me/drive/root/check%6Fut", Err("encoding", 20)),
    ("/me('x')/drive/root/checkout", Err("syntax", 3)),
    ("/me/drive/root/checkout()", Err("syntax", 23)),
    ("*", Err("syntax", 0)),
    ("me/drive", Err("syntax", 0)),
    (
        "http://graph.microsoft.com/v1.0/me/drive/root/checkout",
        Err("host", 0),
    ),
    ("https://graph.microsoft.com", Err("incomplete", 27)),
    ("https://graph.microsoft.com/", Err("syntax", 27)),
    (
        "https://graph.microsoft.com/me/drive/root/checkout",
        Err("unknown_segment", 28),
    ),
    ("/me/drive/items", Err("incomplete", 15)),
    ("/me/drive/items?x", Err("incomplete", 15)),
    ("/me/drive/root/checkout#x", Err("syntax", 23)),
];

#[test]
fn design_6_examples() {
    let o = Options::default();
    let got = classify(&o, None, b"/BETA/me/drive/root/checkout?");
    assert!(versioned("beta", Some(""), &got), "{got:?}");
    let got = classify(&o, None, b"/me/drive/root/checkout?a=1?b");
    assert!(
        matches!(&got, Outcome::Ok { version: None, query: Some(q), .. } if q == "a=1?b"),
        "{got:?}"
    );
    check(DESIGN_6, &o);
}

// ---------------------------------------------------------------------------
// DESIGN §6 "CLI lines", decisions (j), (k), (s) and (v).
// ---------------------------------------------------------------------------

/// `/me/drive/root/checkout`, accepted.
const ROOT: Want = Ok("/me/drive/root/checkout", &[], "/me/drive/root/checkout");

const LINES: &[(&str, Want)] = &[
    ("L /me/drive/root/checkout\r", ROOT),
    ("L POST /me/drive/root/checkout\r", ROOT),
    ("L POST /me/drive/root/checkout HTTP/1.1", ROOT),
    ("L POST /me/drive/root/checkout HTTP/2.0\r", ROOT),
    ("L POST /me/drive/root/checkout?a HTTP/1.1", ROOT),
    ("L GET /me/drive/root/checkout HTTP/1.1", Err("method", 0)),
    // (j): only one `\r`, only at the very end.
    ("L /me/drive/root/checkout\r\r", Err("syntax", 23)),
    ("L /me/drive\r/root/checkout", Err("syntax", 9)),
    (
        "L POST /me/drive/root/checkout HTTP/1.1\r\r",
        Err("syntax", 23),
    ),
    // (k): without a method, or any other suffix, the text stays.
    ("L /me/drive/root/checkout HTTP/1.1", Err("syntax", 23)),
    (
        "L POST /me/drive/root/checkout HTTP/1.10",
        Err("syntax", 23),
    ),
    ("L POST /me/drive/root/checkout http/1.1", Err("syntax", 23)),
    ("L POST /me/drive/root/checkout HTTP/1.x", Err("syntax", 23)),
    (
        "L POST /me/drive/root/checkout\tHTTP/1.1",
        Err("syntax", 23),
    ),
    // (s): one space each, a target before the suffix.
    (
        "L POST /me/drive/root/checkout  HTTP/1.1",
        Err("syntax", 23),
    ),
    ("L POST  HTTP/1.1", Err("syntax", 0)),
    ("L POST HTTP/1.1", Err("syntax", 0)),
    ("L post /me/drive/root/checkout", Err("syntax", 4)),
    ("L POST  /me/drive/root/checkout", Err("syntax", 0)),
    ("L ", Err("syntax", 0)),
    ("L \r", Err("syntax", 0)),
    // Offsets count from the target's first byte.
    (
        "L POST /me/drive/bogus/checkout HTTP/1.1\r",
        Err("unknown_segment", 10),
    ),
    (
        "LT POST /drives/{drive-id}/root/checkout HTTP/1.1\r",
        Ok(
            "/drives/{drivesId}/root/checkout",
            &[("drivesId", "{drive-id}")],
            "/drives/{drive-id}/root/checkout",
        ),
    ),
    ("LT /me/drive/root/checkout{?a}\r", ROOT),
];

#[test]
fn cli_lines_follow_design_6() {
    let o = Options::default();
    check(LINES, &o);
    assert_eq!(
        split_line(b"PATCH /x HTTP/1.1\r"),
        (&b"PATCH"[..], &b"/x"[..])
    );
    assert_eq!(
        split_line(b"/x HTTP/1.1"),
        (&b"POST"[..], &b"/x HTTP/1.1"[..])
    );
    // (s): a 3-byte limit sees the text that stays.
    let tight = Options {
        max_target_len: 3,
        ..Options::default()
    };
    assert_eq!(
        classify_line(&tight, b"POST /x HTTP/1.1"),
        Outcome::Err {
            kind: "unknown_segment",
            offset: 1
        }
    );
    assert_eq!(
        classify_line(&tight, b"POST /x  HTTP/1.1"),
        Outcome::Err {
            kind: "limit",
            offset: 3
        }
    );
}

#[test]
fn cli_input_is_split_as_design_6_says() {
    let lines = |input: &[u8]| -> Vec<Vec<u8>> {
        cli_lines(input).into_iter().map(<[u8]>::to_vec).collect()
    };
    assert_eq!(lines(b""), Vec::<Vec<u8>>::new());
    // (v): the last `\n` ends a line, it opens none.
    assert_eq!(lines(b"\n"), vec![b"".to_vec()]);
    assert_eq!(lines(b"a\n\n"), vec![b"a".to_vec(), b"".to_vec()]);
    assert_eq!(lines(b"a\r\nb\r\n"), vec![b"a\r".to_vec(), b"b\r".to_vec()]);
    assert_eq!(
        lines(b"a\r\n\nb\r"),
        vec![b"a\r".to_vec(), b"".to_vec(), b"b\r".to_vec()]
    );
    // (j): the BOM only at the very start.
    assert_eq!(
        lines(b"\xEF\xBB\xBFa\n\xEF\xBB\xBFb"),
        vec![b"a".to_vec(), b"\xEF\xBB\xBFb".to_vec()]
    );
    let o = Options::default();
    let outcomes: Vec<Outcome> =
        cli_lines(b"\xEF\xBB\xBF/me/drive/root/checkout\r\n\xEF\xBB\xBF/me/drive/root/checkout\r")
            .into_iter()
            .map(|line| classify_line(&o, line))
            .collect();
    assert!(matches!(outcomes[0], Outcome::Ok { .. }), "{outcomes:?}");
    assert_eq!(
        outcomes[1],
        Outcome::Err {
            kind: "syntax",
            offset: 0
        }
    );
}

// ---------------------------------------------------------------------------
// DESIGN §6 "Templates", decisions (l), (m), (n), (t).
// ---------------------------------------------------------------------------

const TEMPLATES: &[(&str, Want)] = &[
    (
        "T {+baseurl}/drives/{drive%2Did}/items/{driveItem%2Did}/checkout",
        Ok(
            "/drives/{drivesId}/items/{driveItemId}/checkout",
            &[
                ("drivesId", "{drive%2Did}"),
                ("driveItemId", "{driveItem%2Did}"),
            ],
            "/drives/{drive%2Did}/items/{driveItem%2Did}/checkout",
        ),
    ),
    (
        "T /drives/{drive-id}/root/checkout",
        Ok(
            "/drives/{drivesId}/root/checkout",
            &[("drivesId", "{drive-id}")],
            "/drives/{drive-id}/root/checkout",
        ),
    ),
    (
        "T /sites/{site-id}/lists/{list-id}/items/{item-id}/driveItem/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/items/{listItemId}/driveItem/checkout",
            &[
                ("siteId", "{site-id}"),
                ("listId", "{list-id}"),
                ("listItemId", "{item-id}"),
            ],
            "/sites/{site-id}/lists/{list-id}/items/{item-id}/driveItem/checkout",
        ),
    ),
    (
        "T /teams/{id}/channels/{id}/filesFolder/checkout",
        Ok(
            "/teams/{teamId}/channels/{channelId}/filesFolder/checkout",
            &[("teamId", "{id}"), ("channelId", "{id}")],
            "/teams/{id}/channels/{id}/filesFolder/checkout",
        ),
    ),
    (
        "T /storage/fileStorage/containers/{id}/drive/root/checkout",
        Ok(
            "/storage/fileStorage/containers/{containerId}/drive/root/checkout",
            &[("containerId", "{id}")],
            "/storage/fileStorage/containers/{id}/drive/root/checkout",
        ),
    ),
    (
        "T /sites/{siteId}:/{path}:/drive/root/checkout",
        Ok(
            "/sites/{siteId}:/{path}:/drive/root/checkout",
            &[("siteId", "{siteId}"), ("path", "{path}")],
            "/sites/{siteId}:/{path}:/drive/root/checkout",
        ),
    ),
    (
        "T {+baseurl}/v1.0/me/drive/items/{driveItem.id}/checkout{?%24select,expand}",
        Ok(
            "/me/drive/items/{driveItemId}/checkout",
            &[("driveItemId", "{driveItem.id}")],
            "/me/drive/items/{driveItem.id}/checkout",
        ),
    ),
    // Literal keys are checked and printed like a request's (q).
    (
        "T /sites/{s}/lists/Shared%20Documents/drive/root/checkout",
        Ok(
            "/sites/{siteId}/lists/{listId}/drive/root/checkout",
            &[("siteId", "{s}"), ("listId", "Shared Documents")],
            "/sites/{s}/lists/Shared%20Documents/drive/root/checkout",
        ),
    ),
    // (t): a path placeholder skips the value's checks.
    (
        "T /me/drive/root:/{a%2Fb}:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "{a%2Fb}")],
            "/me/drive/root:/{a%2Fb}:/checkout",
        ),
    ),
    ("T /me/drive/root:/x%2F{a}:/checkout", Err("syntax", 20)),
    // (l): exactly `{+baseurl}`, then `/`; offsets count it.
    ("T {+baseurl}me/drive/root/checkout", Err("syntax", 10)),
    ("T {+baseurl}", Err("syntax", 10)),
    ("T {+baseurl}?x", Err("syntax", 10)),
    (
        "T {+baseurl}https://graph.microsoft.com/v1.0/me/drive/root/checkout",
        Err("syntax", 10),
    ),
    ("T {+BaseUrl}/me/drive/root/checkout", Err("syntax", 0)),
    ("T {baseurl}/me/drive/root/checkout", Err("syntax", 0)),
    ("T /x{+baseurl}/me/drive/root/checkout", Err("syntax", 2)),
    (
        "T {+baseurl}/me/drive/bogus/checkout",
        Err("unknown_segment", 20),
    ),
    ("T {+baseurl}/me/drive/root", Err("incomplete", 24)),
    ("{+baseurl}/me/drive/root/checkout", Err("syntax", 0)),
    // (m): only one expression, ending the template.
    ("T /me/drive/root{?a}", Err("incomplete", 14)),
    ("T /me/drive/root/checkout{?a}{?b}", Err("syntax", 26)),
    ("T /me/drive/root/checkout{?}", Err("syntax", 25)),
    ("T /me/drive/root/checkout{?a,}", Err("syntax", 27)),
    ("T /me/drive/root/checkout{?a b}", Err("syntax", 26)),
    ("T /me/drive/root/checkout{?a}x", Err("syntax", 26)),
    ("T /me{?a}/drive/root/checkout", Err("syntax", 6)),
    ("T /me/drive/root/checkout{?a%2}", Err("encoding", 26)),
    ("T /me/drive/root/checkout{a}", Err("syntax", 23)),
    ("/me/drive/root/checkout{?a}", Err("syntax", 23)),
    // (n): names.
    ("T /drives/{a%2}/root/checkout", Err("encoding", 10)),
    ("T /drives/{a+b}/root/checkout", Err("syntax", 8)),
    ("T /drives/{}/root/checkout", Err("syntax", 8)),
];

#[test]
fn templates_follow_design_6() {
    let o = Options::default();
    check(TEMPLATES, &o);
    let t = Options {
        template: true,
        ..Options::default()
    };
    let got = classify(&t, None, b"/me/drive/root/checkout?x=1{?a,b}");
    assert!(
        matches!(&got, Outcome::Ok { query: Some(q), .. } if q == "x=1"),
        "{got:?}"
    );
    // (u): the limit counts the whole template.
    let tight = Options {
        template: true,
        max_target_len: 23,
        ..Options::default()
    };
    assert_eq!(
        classify(&tight, None, b"/me/drive/root/checkout{?a}"),
        Outcome::Err {
            kind: "limit",
            offset: 23
        }
    );
    assert!(matches!(
        classify(&tight, None, b"/me/drive/root/checkout"),
        Outcome::Ok { .. }
    ));
}

// ---------------------------------------------------------------------------
// The conformance cases of `tests/cases/*.txt`, through the reference.
// ---------------------------------------------------------------------------

/// `\xHH` bytes and `\[TEXT]*N` repeats, as `tests/cases/README.md` writes
/// them; any other backslash is literal. (Read here again, not with
/// `tests/util`, which builds the crate's parser.)
fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            if let Some(byte) = text
                .get(i + 2..i + 4)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(byte);
                i += 4;
                continue;
            }
        }
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'[') {
            let close = i + text[i..].find("]*").expect("`\\[` without `]*N`");
            let digits: String = text[close + 2..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let piece = unescape(&text[i + 2..close]);
            for _ in 0..digits.parse::<usize>().expect("`\\[TEXT]*` needs a count") {
                out.extend_from_slice(&piece);
            }
            i = close + 2 + digits.len();
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The options of a directive line (`tests/cases/README.md`).
fn directive(words: &str) -> Options {
    let mut o = Options::default();
    for word in words.split_whitespace() {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        let number = || value.parse::<usize>().expect("a number");
        let list = || value.split(',').map(str::to_owned).collect::<Vec<_>>();
        match key {
            "request" => {}
            "template" => o.template = true,
            "documented-only" => o.documented_only = true,
            "max-target-len" => o.max_target_len = number(),
            "max-segments" => o.max_segments = number(),
            "max-key-len" => o.max_key_len = number(),
            "max-path-chars" => o.max_path_chars = number(),
            "versions" => o.versions = list(),
            "hosts" => o.hosts = list(),
            _ => panic!("unknown directive word `{word}`"),
        }
    }
    o
}

/// Whether the reference's outcome is what the case's EXPECTED says.
fn meets_expectation(expect: &str, got: &Outcome) -> bool {
    let mut words = expect.split_whitespace();
    match (words.next(), got) {
        (Some("err"), Outcome::Err { kind, offset }) => {
            let want_kind = words.next();
            let want_offset = words.next().and_then(|w| w.strip_prefix('@'));
            want_kind == Some(*kind) && want_offset == Some(&offset.to_string())
        }
        (
            Some("ok"),
            Outcome::Ok {
                template,
                documented,
                params,
                canonical,
                version,
                query,
            },
        ) => {
            let want_documented = match words.nth(1) {
                Some("documented") => true,
                Some("undocumented") => false,
                other => panic!("documented|undocumented, found {other:?}"),
            };
            let mut want_params = Vec::new();
            let mut extra_checks = true;
            for word in words {
                let (key, value) = word.split_once('=').expect("NAME=VALUE");
                let value = String::from_utf8(unescape(value)).expect("UTF-8");
                let optional = (value != "-").then(|| value.clone());
                extra_checks &= match key {
                    "+version" => *version == optional,
                    "+query" => *query == optional,
                    "+canonical" => *canonical == value,
                    _ => {
                        want_params.push((key.to_owned(), value));
                        true
                    }
                };
            }
            expect.split_whitespace().nth(1) == Some(template.as_str())
                && *documented == want_documented
                && *params == want_params
                && extra_checks
        }
        _ => false,
    }
}

/// Every conformance case, through the reference's line entry point: the
/// cases are the crate's contract, and the reference must read DESIGN the
/// same way (`tests/conformance.rs` runs them through the crate).
#[test]
fn conformance_cases_hold_for_the_reference() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let mut o = Options::default();
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(words) = trimmed.strip_prefix('@') {
                o = directive(words);
                continue;
            }
            let (input, expect) = line.rsplit_once(" => ").expect("INPUT => EXPECTED");
            let input = match input.trim() {
                "\"\"" => Vec::new(),
                input => unescape(input),
            };
            let got = classify_line(&o, &input);
            count += 1;
            if !meets_expectation(expect.trim(), &got) {
                failures.push(format!(
                    "{name}:{}: {}\n  got  {got:?}\n  want {}",
                    index + 1,
                    String::from_utf8_lossy(&input),
                    expect.trim()
                ));
            }
        }
    }
    assert!(count > 1000, "only {count} cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} conformance cases hold for the reference");
}

// ---------------------------------------------------------------------------
// Issue 12: DESIGN §1.4 and §6, decisions (f) and (w) to (z).
// ---------------------------------------------------------------------------

const SECURITY: &[(&str, Want)] = &[
    // Keys an OData backend reads as an alias or a cast, in every key.
    ("/me/drive/items/@p/checkout?@p='x'", Err("invalid_id", 16)),
    ("/me/drive/items/%40/checkout", Err("invalid_id", 16)),
    (
        "/me/drive/items/Microsoft.Graph./checkout",
        Err("invalid_id", 16),
    ),
    ("/sites/@h:/a:/drive/root/checkout", Err("invalid_id", 7)),
    (
        "/teams/t/channels/@19:x/filesFolder/checkout",
        Err("invalid_id", 18),
    ),
    (
        "/sites/s/lists/@l/drive/root/checkout",
        Err("invalid_id", 15),
    ),
    (
        "/me/drive/items/microsoft.graph/checkout",
        Ok(
            "/me/drive/items/{driveItemId}/checkout",
            &[("driveItemId", "microsoft.graph")],
            "/me/drive/items/microsoft.graph/checkout",
        ),
    ),
    ("T /drives/@d/root/checkout", Err("invalid_id", 8)),
    ("T /drives/{@d}/root/checkout", Err("syntax", 8)),
    // The one pass: `%2F` and a `%25` before two hex digits, leftmost first.
    ("/me/drive/root:/%2541%2F:/checkout", Err("encoding", 16)),
    ("/me/drive/root:/a%2F%2541:/checkout", Err("encoding", 17)),
    (
        "/me/drive/root:/a%25%25%41%41:/checkout",
        Err("encoding", 20),
    ),
    ("/me/drive/root:/a%2541/%2e:/checkout", Err("encoding", 17)),
    ("/me/drive/root:/a./%2e:/checkout", Err("syntax", 19)),
    (
        "/me/drive/root:/a%25:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "a%")],
            "/me/drive/root:/a%25:/checkout",
        ),
    ),
    ("T /me/drive/root:/a%2541{p}:/checkout", Err("syntax", 22)),
    // Names: C1, edges, reserved, NFKC.
    ("/me/drive/root:/a%C2%80:/checkout", Err("invalid_id", 16)),
    (
        "/me/drive/root:/a%C2%A0b/%E3%80%80:/checkout",
        Err("invalid_id", 16),
    ),
    (
        "/me/drive/root:/%EF%BC%BFvti_x:/checkout",
        Err("invalid_id", 16),
    ),
    (
        "/me/drive/root:/%EF%BD%9E%EF%BC%84x:/checkout",
        Err("invalid_id", 16),
    ),
    (
        "/me/drive/root:/LPT%C2%B3.txt:/checkout",
        Err("invalid_id", 16),
    ),
    ("/me/drive/root:/%E2%80%A4:/checkout", Err("invalid_id", 16)),
    (
        "/me/drive/root:/desktop%2Eini:/checkout",
        Err("invalid_id", 16),
    ),
    (
        "/sites/h:/sites/a.:/drive/root/checkout",
        Err("invalid_id", 10),
    ),
    (
        "/me/drive/root:/%E2%84%AA:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "\u{212a}")],
            "/me/drive/root:/%E2%84%AA:/checkout",
        ),
    ),
    // (f): an unclosed address is checked to the end of the path.
    ("/me/drive/root:/a%FF/b", Err("encoding", 17)),
    ("/me/drive/root:/a%3F", Err("invalid_id", 16)),
    ("/me/drive/root:/a:b", Err("invalid_id", 16)),
    ("/me/drive/root:/a/b.", Err("invalid_id", 16)),
    ("/me/drive/root:/a?x", Err("incomplete", 17)),
    ("T /me/drive/root:/{p}", Err("incomplete", 19)),
    // The version: an escape in an absolute URL's, an address after it.
    (
        "https://graph.microsoft.com/%76%31.0/me/drive/root/checkout",
        Err("encoding", 28),
    ),
    ("/v1.0:/me/drive/root/checkout", Err("nesting", 5)),
    ("/BETA:/x:/me/drive/root/checkout", Err("nesting", 5)),
    (
        "https://graph.microsoft.com/v1.0:/x:/me/drive/root/checkout",
        Err("nesting", 32),
    ),
    ("/v1.0:", Err("unknown_segment", 1)),
    ("/v1.0:x/me/drive/root/checkout", Err("unknown_segment", 1)),
    // (w): a `%` anywhere in the absolute URL's version segment.
    (
        "https://graph.microsoft.com/x('%41')/me/drive/root/checkout",
        Err("encoding", 31),
    ),
    (
        "https://graph.microsoft.com/v%31.0:/me/drive/root/checkout",
        Err("encoding", 29),
    ),
    (
        "https://graph.microsoft.com/x('a')/me/drive/root/checkout",
        Err("unknown_segment", 28),
    ),
    // (x): the NFKC form is not read for the double-decoding rule.
    (
        "/me/drive/root:/a%25%EF%BC%92%EF%BC%A6:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "a%\u{ff12}\u{ff26}")],
            "/me/drive/root:/a%25%EF%BC%92%EF%BC%A6:/checkout",
        ),
    ),
    // (y): device names before the first `.`, nothing stripped.
    ("/me/drive/root:/CON..txt:/checkout", Err("invalid_id", 16)),
    (
        "/me/drive/root:/CON%20.txt/.CON:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "CON .txt/.CON")],
            "/me/drive/root:/CON%20.txt/.CON:/checkout",
        ),
    ),
    // (z): a space is U+0020; NFKC folds U+00A0 and U+3000 to it, not U+200B.
    ("/me/drive/root:/%C2%A0a:/checkout", Err("invalid_id", 16)),
    (
        "/me/drive/root:/%E2%80%8Ba%E2%80%A8:/checkout",
        Ok(
            "/me/drive/root:/{path}:/checkout",
            &[("path", "\u{200b}a\u{2028}")],
            "/me/drive/root:/%E2%80%8Ba%E2%80%A8:/checkout",
        ),
    ),
];

#[test]
fn issue_12_rules_follow_design_1_4_and_6() {
    let o = Options::default();
    check(SECURITY, &o);
}
