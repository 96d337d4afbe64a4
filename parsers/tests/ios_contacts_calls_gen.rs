//! ios.addressbook, ios.callhistory and ios.call_history_legacy against generated databases.
mod ios_common;

use ios_common::*;
use linesift_parsers::{Direction, RecordState};
use linesift_testdata::render::ios::{addressbook, callhistory, files};
use linesift_testdata::world::*;

fn state(s: GState) -> RecordState {
    match s {
        GState::WalOnly => RecordState::WalOnly,
        _ => RecordState::Live,
    }
}

fn check_addressbook(generation: u32) {
    let h = handset_full();
    let files = files(&h, generation);
    let out = parse("ios.addressbook", &files, addressbook::PATH, true).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    // Expected: every phone/email of live and WAL-only contacts in person order, then the
    // name-only contacts.
    let mut want = Vec::new();
    let mut name_only = Vec::new();
    for (i, c) in h.contacts.iter().enumerate() {
        if c.state == GState::Deleted {
            continue;
        }
        let key = (i + 1).to_string();
        let mut rows: Vec<(&str, String, String)> = c
            .numbers
            .iter()
            .map(|(_, raw, label)| ("phone", raw.clone(), label.clone()))
            .collect();
        rows.extend(
            c.emails
                .iter()
                .map(|e| ("email", e.clone(), "Home".to_string())),
        );
        if rows.is_empty() {
            name_only.push((key.clone(), c.name.clone(), state(c.state)));
        }
        for r in rows {
            want.push((key.clone(), c.name.clone(), r, state(c.state)));
        }
    }
    assert_eq!(out.contacts.len(), want.len() + name_only.len());
    for (got, (key, name, (kind, value, label), st)) in out.contacts.iter().zip(&want) {
        assert_eq!(got.app, "ios_addressbook");
        assert_eq!(got.origin.table, "ABMultiValue");
        assert_eq!(got.origin.state, *st, "{name}");
        assert_eq!(got.contact_key.as_ref(), Some(key));
        assert_eq!(got.display_name.as_ref(), Some(name));
        assert_eq!(got.value_kind, *kind);
        assert_eq!(got.number_raw.as_ref(), Some(value));
        assert_eq!(got.label.as_ref(), Some(label));
    }
    for (got, (key, name, st)) in out.contacts[want.len()..].iter().zip(&name_only) {
        assert_eq!(got.origin.table, "ABPerson");
        assert_eq!(got.origin.rowid.map(|r| r.to_string()).as_ref(), Some(key));
        assert_eq!(got.origin.state, *st);
        assert_eq!(got.display_name.as_ref(), Some(name));
        assert_eq!(got.number_raw, None);
    }
    // Raw labels really are stored in the iOS form.
    let main = file(&files, addressbook::PATH).unwrap();
    let img = linesift_parsers::sqlite::DbImage::open(main, None).unwrap();
    let t = img.select("ABMultiValueLabel", &["value"]).unwrap();
    assert!(t
        .rows
        .iter()
        .any(|r| r.text(t.col("value")).as_deref() == Some("_$!<Mobile>!$_")));
    // Without the WAL the WAL-only person is missing.
    let base = parse("ios.addressbook", &files, addressbook::PATH, false).unwrap();
    assert!(base.contacts.len() < out.contacts.len());
    assert!(base
        .contacts
        .iter()
        .all(|c| c.origin.state == RecordState::Live));
}

#[test]
fn addressbook_current_layout() {
    check_addressbook(0);
}

#[test]
fn addressbook_older_layout() {
    check_addressbook(1);
}

fn check_calls(generation: u32) {
    let h = handset_full();
    let files = files(&h, generation);
    let (parser, path) = if generation >= 2 {
        ("ios.call_history_legacy", callhistory::LEGACY_PATH)
    } else {
        ("ios.callhistory", callhistory::PATH)
    };
    assert!(file(&files, callhistory::PATH).is_some() == (generation < 2));
    assert!(file(&files, callhistory::LEGACY_PATH).is_some() == (generation >= 2));
    let out = parse(parser, &files, path, true).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let want: Vec<&GCall> = h
        .calls
        .iter()
        .filter(|c| callhistory::in_store(c, generation) && c.state != GState::Deleted)
        .collect();
    assert_eq!(out.calls.len(), want.len());
    assert!(want.iter().any(|c| c.state == GState::WalOnly));
    for (got, g) in out.calls.iter().zip(&want) {
        let ctx = format!("gen {generation} {:?}", g);
        assert_eq!(got.app, "ios_callhistory");
        assert_eq!(got.origin.state, state(g.state), "{ctx}");
        assert_eq!(got.number_raw.as_ref(), Some(&g.peer_raw), "{ctx}");
        let ts = if generation >= 2 {
            g.ts_ms.div_euclid(1000) * 1000
        } else {
            g.ts_ms
        };
        assert_eq!(got.timestamp_ms, Some(ts), "{ctx}");
        assert_eq!(got.duration_s, Some(g.duration_s), "{ctx}");
        let dir = match g.direction {
            GCallDir::Incoming => Direction::Incoming,
            GCallDir::Outgoing => Direction::Outgoing,
            // iOS keeps no "rejected": both are unanswered incoming calls.
            GCallDir::Missed | GCallDir::Rejected => Direction::Missed,
        };
        assert_eq!(got.direction, dir, "{ctx}");
        // Video is known for FaceTime in every layout, for other apps only from ZCALL_CATEGORY.
        let video = g.video && (g.app == GApp::IMessage || generation == 0);
        assert_eq!(got.video, video, "{ctx}");
        if generation < 2 {
            let (ct, provider) = callhistory::call_type(g);
            assert_eq!(got.type_raw, Some(format!("{ct}/{provider}")), "{ctx}");
        }
        assert!(got.participants_raw.is_empty());
        assert_eq!(got.name, None);
        assert_eq!(
            got.origin.table,
            if generation >= 2 {
                "call"
            } else {
                "ZCALLRECORD"
            }
        );
    }
    assert_eq!(
        out.calls.iter().map(|c| c.origin.rowid).collect::<Vec<_>>(),
        {
            let mut v: Vec<_> = out.calls.iter().map(|c| c.origin.rowid).collect();
            v.sort();
            v
        }
    );
    let base = parse(parser, &files, path, false).unwrap();
    assert_eq!(
        base.calls.len(),
        want.iter().filter(|c| c.state == GState::Live).count()
    );
}

#[test]
fn callhistory_current_store() {
    check_calls(0);
}

#[test]
fn callhistory_ios9_store_with_blob_addresses() {
    check_calls(1);
}

#[test]
fn call_history_legacy_db() {
    check_calls(2);
}

#[test]
fn wrong_databases_are_unknown_schema() {
    let files = files(&handset_full(), 0);
    let sms = file(&files, "/private/var/mobile/Library/SMS/sms.db").unwrap();
    for name in [
        "ios.addressbook",
        "ios.callhistory",
        "ios.call_history_legacy",
    ] {
        let spec = linesift_parsers::registry::by_name(name).unwrap();
        match (spec.parse)(&linesift_parsers::registry::DbInput::new("/x", sms)) {
            Err(linesift_parsers::ParseError::UnknownSchema(s)) => {
                assert!(s.contains("tables:") && s.contains("message"), "{s}")
            }
            other => panic!("{name}: {other:?}"),
        }
        assert!((spec.parse)(&linesift_parsers::registry::DbInput::new("/x", b"junk")).is_err());
    }
}
