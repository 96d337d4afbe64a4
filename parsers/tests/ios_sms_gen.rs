//! ios.sms against generated sms.db files in both schema versions, field by field.
mod ios_common;

use std::collections::BTreeSet;

use ios_common::*;
use linesift_parsers::{Direction, RecordState};
use linesift_testdata::render::ios::files;
use linesift_testdata::render::ios::sms::{attachment_for, service_for, stored_peer, PATH};
use linesift_testdata::world::*;

fn expected_app(a: GApp) -> &'static str {
    match a {
        GApp::Sms | GApp::Mms => "sms",
        GApp::IMessage => "imessage",
        GApp::Rcs => "rcs",
        GApp::WhatsApp => unreachable!(),
    }
}

fn check(generation: u32, records_owner: bool) {
    let h = handset(records_owner);
    let files = files(&h, generation);
    assert!(
        file(&files, &format!("{PATH}-wal")).is_some(),
        "WAL rendered"
    );
    let out = parse("ios.sms", &files, PATH, true).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let in_db: Vec<&GMessage> = h
        .messages
        .iter()
        .filter(|m| m.app != GApp::WhatsApp)
        .collect();
    let expected: Vec<(i64, &GMessage)> = in_db
        .iter()
        .enumerate()
        .filter(|(_, m)| m.state != GState::Deleted)
        .map(|(i, m)| (i as i64 + 1, *m))
        .collect();
    assert_eq!(out.messages.len(), expected.len());
    let owner = h.owner().to_string();
    let mut group_threads = BTreeSet::new();
    let mut one_to_one = BTreeSet::new();
    for (m, (rowid, g)) in out.messages.iter().zip(&expected) {
        let ctx = format!("gen {generation} key {}", g.key);
        assert_eq!(m.origin.table, "message");
        assert_eq!(m.origin.rowid, Some(*rowid), "{ctx}");
        let state = match g.state {
            GState::WalOnly => RecordState::WalOnly,
            _ => RecordState::Live,
        };
        assert_eq!(m.origin.state, state, "{ctx}");
        assert_eq!(m.app, expected_app(g.app), "{ctx}");
        assert_eq!(m.service.as_deref(), service_for(g.app), "{ctx}");
        assert_eq!(m.body.as_deref(), Some(g.body.as_str()), "{ctx}");
        assert_eq!(m.body_raw_hex, None);
        let ts = if generation == 0 {
            g.ts_ms
        } else {
            g.ts_ms.div_euclid(1000) * 1000
        };
        assert_eq!(m.timestamp_ms, Some(ts), "{ctx}");
        assert!(m.flags.is_empty(), "{ctx}: {:?}", m.flags);
        // The handset's own account: its number, or (owner not recorded) its Apple ID.
        let own: Vec<String> = if records_owner {
            vec![owner.clone()]
        } else {
            vec!["handset@example.invalid".into()]
        };
        if g.outgoing {
            assert_eq!(m.direction, Direction::Outgoing, "{ctx}");
            let sender = if records_owner {
                Some(owner.clone())
            } else {
                Some("handset@example.invalid".to_string())
            };
            assert_eq!(m.sender_raw, sender, "{ctx}");
            let mut got = m.recipients_raw.clone();
            got.sort();
            let mut want = match &g.group {
                Some(gr) => gr.members.clone(),
                None => vec![g.peer_raw.clone()],
            };
            want.sort();
            assert_eq!(got, want, "{ctx}");
            assert_eq!(m.read, None);
        } else {
            assert_eq!(m.direction, Direction::Incoming, "{ctx}");
            assert_eq!(m.sender_raw.as_deref(), Some(stored_peer(g)), "{ctx}");
            if g.group.is_some() {
                assert_eq!(m.sender_raw.as_deref(), Some(g.peer.as_str()));
            }
            assert_eq!(m.recipients_raw, own, "{ctx}");
            assert_eq!(m.read, Some(g.read), "{ctx}");
        }
        match &g.group {
            Some(gr) => {
                group_threads.insert(m.thread_id.clone().unwrap());
                assert_eq!(m.thread_name.as_deref(), Some(gr.name.as_str()));
            }
            None => {
                assert_eq!(m.thread_name, None);
                let t = m.thread_id.clone().unwrap();
                assert!(t.ends_with(&g.peer_raw), "{ctx}: {t}");
                one_to_one.insert((t, g.peer_raw.clone()));
            }
        }
        let att: Vec<_> = m
            .attachments
            .iter()
            .map(|a| {
                (
                    a.kind.clone().unwrap(),
                    a.file_name.clone().unwrap(),
                    a.size.unwrap(),
                )
            })
            .collect();
        let want: Vec<_> = attachment_for(g)
            .map(|(k, n, s)| (k.to_string(), n, s))
            .into_iter()
            .collect();
        assert_eq!(att, want, "{ctx}");
    }
    // The three-member group chat is one thread.
    assert_eq!(group_threads.len(), 1);
    assert!(out.messages.iter().any(|m| !m.attachments.is_empty()));
    // Owner numbers: every one is the handset's own number, deduplicated.
    let hows: BTreeSet<&str> = out.owners.iter().map(|o| o.how.as_str()).collect();
    if records_owner {
        assert!(out.owners.iter().all(|o| o.number_raw == owner));
        let mut want: BTreeSet<&str> = [
            "message.account",
            "chat.account_login",
            "chat.last_addressed_handle",
        ]
        .into_iter()
        .collect();
        if generation == 0 {
            want.insert("message.destination_caller_id");
        }
        assert_eq!(hows, want);
        assert_eq!(out.owners.len(), want.len());
    } else {
        assert!(out.owners.is_empty(), "{:?}", out.owners);
    }

    // Without the WAL the WAL-only messages are not there, and the rest is unchanged.
    let base = parse("ios.sms", &files, PATH, false).unwrap();
    let wal_only = expected
        .iter()
        .filter(|(_, g)| g.state == GState::WalOnly)
        .count();
    assert!(wal_only >= 2);
    assert_eq!(base.messages.len(), expected.len() - wal_only);
    assert!(base
        .messages
        .iter()
        .all(|m| m.origin.state == RecordState::Live));
}

#[test]
fn current_schema_nanoseconds_attributed_body() {
    check(0, true);
}

#[test]
fn ios9_schema_seconds_text() {
    check(1, true);
}

#[test]
fn owner_not_recorded() {
    check(0, false);
    check(1, false);
}

#[test]
fn current_schema_keeps_most_texts_only_in_attributed_body() {
    let h = handset(true);
    let files = files(&h, 0);
    let main = file(&files, PATH).unwrap();
    let wal = file(&files, &format!("{PATH}-wal"));
    let img = linesift_parsers::sqlite::DbImage::open(main, wal).unwrap();
    let t = img.select("message", &["text", "attributedBody"]).unwrap();
    let nulls = t
        .rows
        .iter()
        .filter(|r| r.get(t.col("text")).is_null())
        .count();
    assert!(nulls * 2 > t.rows.len(), "{nulls} of {}", t.rows.len());
    assert!(t
        .rows
        .iter()
        .all(|r| r.blob(t.col("attributedBody")).is_some()));
}

#[test]
fn garbage_and_foreign_databases() {
    let spec = linesift_parsers::registry::by_name("ios.sms").unwrap();
    let r = (spec.parse)(&linesift_parsers::registry::DbInput::new(
        PATH,
        b"not a database",
    ));
    assert!(r.is_err());
    let files = files(&handset(true), 0);
    // An address book is not an sms.db: unknown schema naming the tables.
    let other = linesift_testdata::sqlitefile::build(
        4096,
        "CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT);",
        &[],
        &[],
    );
    let r = (spec.parse)(&linesift_parsers::registry::DbInput::new(PATH, &other.main));
    match r {
        Err(linesift_parsers::ParseError::UnknownSchema(s)) => assert!(s.contains("ABPerson")),
        other => panic!("{other:?}"),
    }
    assert!(!files.is_empty());
}

#[test]
fn rendering_is_deterministic_and_covers_every_layout() {
    let h = handset_full();
    for generation in 0..3 {
        let a = files(&h, generation);
        let b = files(&h, generation);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.path, y.path);
            // The generator fixes the WAL salts SQLite would draw at random, so WALs too are
            // byte-identical between runs.
            assert!(x.bytes == y.bytes, "{} differs between runs", x.path);
        }
        // Every rendered database is claimed by exactly one iOS parser.
        for f in a.iter().filter(|f| !f.path.ends_with("-wal")) {
            let n = linesift_parsers::ios::SPECS
                .iter()
                .filter(|s| regex::Regex::new(s.pattern).unwrap().is_match(&f.path))
                .count();
            assert_eq!(n, 1, "{}", f.path);
        }
    }
    // The OS dispatch of the generator uses these renderers.
    let all = linesift_testdata::render::handset_files(&h, 0);
    for f in files(&h, 0) {
        assert!(
            all.iter().any(|g| g.path == f.path && g.bytes == f.bytes),
            "{}",
            f.path
        );
    }
}
