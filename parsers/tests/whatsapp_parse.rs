//! WhatsApp parsers against the generated world: every schema generation on Android (modern with
//! LID chats, modern, transitional, legacy) and iOS (current and older ChatStorage), field by
//! field.
use std::collections::BTreeMap;

use linesift_parsers::registry::{by_name, registry, DbInput};
use linesift_parsers::sqlite::DbImage;
use linesift_parsers::{Attachment, Direction, ParseError, ParseOutput, RecordState};
use linesift_testdata::archive::DeviceFile;
use linesift_testdata::render::whatsapp::{
    self as wa, broadcast_recipients, chat_jid, demo_handset, extras, groups, is_broadcast, jid,
    wa_calls, wa_messages,
};
use linesift_testdata::{GCallDir, GState, Handset, Os};

fn find<'a>(files: &'a [DeviceFile], suffix: &str) -> (&'a DeviceFile, Option<&'a DeviceFile>) {
    let main = files
        .iter()
        .find(|f| f.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix}"));
    let wal = files
        .iter()
        .find(|f| f.path == format!("{}-wal", main.path));
    (main, wal)
}

/// Parse a generated file with the parser whose path rule matches it (so the rules are tested).
fn parse(files: &[DeviceFile], suffix: &str) -> ParseOutput {
    let (main, wal) = find(files, suffix);
    let specs: Vec<_> = registry()
        .into_iter()
        .filter(|s| regex::Regex::new(s.pattern).unwrap().is_match(&main.path))
        .collect();
    assert_eq!(specs.len(), 1, "exactly one parser for {}", main.path);
    let input = DbInput {
        path: &main.path,
        main: &main.bytes,
        wal: wal.map(|w| w.bytes.as_slice()),
        journal: None,
        recover: false,
    };
    (specs[0].parse)(&input).unwrap_or_else(|e| panic!("{}: {e}", main.path))
}

fn state(s: GState) -> RecordState {
    match s {
        GState::Live => RecordState::Live,
        GState::WalOnly => RecordState::WalOnly,
        GState::Deleted => panic!("deleted records are not expected"),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Check every message field against the world.
fn check_messages(h: &Handset, out: &ParseOutput, os: Os, generation: u32) {
    let by_ts: BTreeMap<i64, &linesift_parsers::Message> = out
        .messages
        .iter()
        .map(|m| (m.timestamp_ms.expect("every message has a time"), m))
        .collect();
    assert_eq!(by_ts.len(), out.messages.len(), "one message per timestamp");
    let mut expected = 0usize;
    for m in wa_messages(h) {
        if m.state == GState::Deleted {
            assert!(
                !by_ts.contains_key(&m.ts_ms),
                "deleted message {} reported as current",
                m.key
            );
            continue;
        }
        expected += 1;
        let p = by_ts
            .get(&m.ts_ms)
            .unwrap_or_else(|| panic!("message {} missing", m.key));
        let x = extras(m, os, generation);
        let ctx = format!("gen {generation} key {} {:?}", m.key, p);
        assert_eq!(p.app, "whatsapp", "{ctx}");
        assert_eq!(p.service.as_deref(), Some("WhatsApp"), "{ctx}");
        assert_eq!(p.origin.state, state(m.state), "{ctx}");
        assert!(p.origin.rowid.is_some(), "{ctx}");
        assert_eq!(
            p.direction,
            if m.outgoing {
                Direction::Outgoing
            } else {
                Direction::Incoming
            },
            "{ctx}"
        );
        assert_eq!(p.thread_id.as_deref(), Some(chat_jid(m).as_str()), "{ctx}");
        assert_eq!(
            p.thread_name.as_deref(),
            m.group.as_ref().map(|g| g.name.as_str()),
            "{ctx}"
        );
        if m.outgoing {
            assert_eq!(p.sender_raw, None, "{ctx}");
            let want: Vec<String> = if let Some(g) = &m.group {
                g.members.iter().map(|e| jid(e)).collect()
            } else if is_broadcast(m) {
                broadcast_recipients(m).iter().map(|e| jid(e)).collect()
            } else {
                vec![jid(&m.peer)]
            };
            assert_eq!(sorted(p.recipients_raw.clone()), sorted(want), "{ctx}");
        } else {
            assert_eq!(
                p.sender_raw.as_deref(),
                Some(jid(&m.peer).as_str()),
                "{ctx}"
            );
            assert!(p.recipients_raw.is_empty(), "{ctx}");
        }
        for party in p.sender_raw.iter().chain(p.recipients_raw.iter()) {
            assert!(party.ends_with("@s.whatsapp.net"), "{ctx}: {party}");
        }
        if x.revoked {
            assert_eq!(p.body, None, "{ctx}");
            assert!(p.attachments.is_empty(), "{ctx}");
        } else {
            assert_eq!(p.body.as_deref(), Some(m.body.as_str()), "{ctx}");
        }
        let want_att: Vec<Attachment> = x
            .media
            .iter()
            .map(|md| Attachment {
                kind: Some(md.mime.to_string()),
                file_name: Some(md.file_name.clone()),
                size: Some(md.size),
                caption: Some(m.body.clone()),
            })
            .collect();
        assert_eq!(p.attachments, want_att, "{ctx}");
        let mut want_flags: Vec<&str> = Vec::new();
        if x.revoked {
            want_flags.push("deleted_for_everyone");
        }
        if x.edited {
            want_flags.push("edited");
        }
        if is_broadcast(m) {
            want_flags.push("broadcast_list");
        }
        let mut got: Vec<&str> = p.flags.iter().map(String::as_str).collect();
        got.sort();
        want_flags.sort();
        assert_eq!(got, want_flags, "{ctx}");
        if os == Os::Android && !m.outgoing && m.read {
            assert_eq!(p.read, Some(true), "{ctx}");
        }
        assert_eq!(p.body_raw_hex, None, "{ctx}");
    }
    // One "group created" system message per group, kept with the flag `system`.
    for (g, ts) in groups(h) {
        expected += 1;
        let p = by_ts.get(&ts).expect("system message");
        assert_eq!(p.flags, vec!["system".to_string()]);
        assert_eq!(p.thread_id.as_deref(), Some(wa::group_jid(&g).as_str()));
        assert_eq!(p.thread_name.as_deref(), Some(g.name.as_str()));
        assert_eq!(p.sender_raw, None);
    }
    assert_eq!(
        out.messages.len(),
        expected,
        "gen {generation}: message count"
    );
    // Edits, media, deletions and broadcast lists are really exercised.
    let all_flags: Vec<&str> = out
        .messages
        .iter()
        .flat_map(|m| m.flags.iter().map(String::as_str))
        .collect();
    for f in ["deleted_for_everyone", "broadcast_list", "system"] {
        assert!(all_flags.contains(&f), "gen {generation}: no {f}");
    }
    if os == Os::Android && generation <= 2 {
        assert!(all_flags.contains(&"edited"));
    }
    assert!(out.messages.iter().any(|m| !m.attachments.is_empty()));
    assert!(out
        .messages
        .iter()
        .any(|m| m.origin.state == RecordState::WalOnly));
}

fn check_calls(h: &Handset, out: &ParseOutput) {
    let want: Vec<_> = wa_calls(h)
        .into_iter()
        .filter(|c| c.state != GState::Deleted)
        .collect();
    assert_eq!(out.calls.len(), want.len());
    for (c, p) in want.iter().zip(out.calls.iter()) {
        let ctx = format!("{p:?}");
        assert_eq!(p.app, "whatsapp");
        assert_eq!(p.timestamp_ms, Some(c.ts_ms), "{ctx}");
        assert_eq!(p.duration_s, Some(c.duration_s), "{ctx}");
        assert_eq!(
            p.number_raw.as_deref(),
            Some(jid(&c.peer).as_str()),
            "{ctx}"
        );
        assert_eq!(p.video, c.video, "{ctx}");
        assert_eq!(
            p.direction,
            match c.direction {
                GCallDir::Incoming => Direction::Incoming,
                GCallDir::Outgoing => Direction::Outgoing,
                GCallDir::Missed => Direction::Missed,
                GCallDir::Rejected => Direction::Rejected,
            },
            "{ctx}"
        );
        assert_eq!(p.origin.state, state(c.state), "{ctx}");
        assert!(p.participants_raw.is_empty(), "{ctx}");
    }
}

fn check_contacts(h: &Handset, out: &ParseOutput) {
    let mut want = Vec::new();
    for c in &h.contacts {
        if c.state == GState::Deleted {
            continue;
        }
        for (e164, _, label) in &c.numbers {
            want.push((jid(e164), c.name.clone(), label.clone(), state(c.state)));
        }
    }
    let got: Vec<_> = out
        .contacts
        .iter()
        .map(|c| {
            assert_eq!(c.app, "whatsapp");
            assert_eq!(c.value_kind, "jid");
            (
                c.number_raw.clone().unwrap(),
                c.display_name.clone().unwrap(),
                c.label.clone().unwrap(),
                c.origin.state,
            )
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn android_every_generation_matches_the_world() {
    let h = demo_handset(Os::Android);
    for generation in 0..=3 {
        let files = wa::files(&h, generation);
        let out = parse(&files, "/msgstore.db");
        check_messages(&h, &out, Os::Android, generation);
        check_calls(&h, &out);
        // A well-formed database of a known generation raises no warning, bar the transitional
        // note and, in the legacy generation, columns that version did not have yet.
        let unexpected: Vec<_> = out
            .warnings
            .iter()
            .filter(|w| !w.message.starts_with("transitional"))
            .filter(|w| {
                !(generation == 3
                    && w.message
                        == "table call_log: column group_jid_row_id missing, treated as NULL")
            })
            .collect();
        assert!(unexpected.is_empty(), "gen {generation}: {unexpected:?}");
        let contacts = parse(&files, "/wa.db");
        assert!(contacts.warnings.is_empty(), "{:?}", contacts.warnings);
        check_contacts(&h, &contacts);
        let prefs = parse(&files, ".xml");
        let owners: Vec<&str> = prefs.owners.iter().map(|o| o.number_raw.as_str()).collect();
        assert!(
            owners.contains(&"447700900100@s.whatsapp.net"),
            "{owners:?}"
        );
        assert!(owners.contains(&"+447700900100"), "{owners:?}");
        let me = parse(&files, "/files/me");
        let owners: Vec<&str> = me.owners.iter().map(|o| o.number_raw.as_str()).collect();
        assert_eq!(owners, vec!["447700900100@s.whatsapp.net", "+447700900100"]);
        assert!(me.warnings.is_empty(), "{:?}", me.warnings);
        if generation == 2 {
            // Migrated rows come once, from `message`; the two not yet migrated from `messages`.
            assert!(
                out.warnings
                    .iter()
                    .any(|w| w.message.contains("transitional")
                        && w.message.contains("2 found only in messages")),
                "{:?}",
                out.warnings
            );
            let legacy = out
                .messages
                .iter()
                .filter(|m| m.origin.table == "messages")
                .count();
            assert_eq!(legacy, 2);
            let (main, _) = find(&files, "/msgstore.db");
            let img = DbImage::open(&main.bytes, None).unwrap();
            let copies: i64 = img
                .conn()
                .query_row("SELECT count(*) FROM messages WHERE _id > 1", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert!(copies > 4, "legacy copies {copies}");
        }
        if generation == 3 {
            assert!(out.messages.iter().all(|m| m.origin.table == "messages"));
        }
    }
}

#[test]
fn android_lid_chats_show_the_phone_number_jid() {
    let h = demo_handset(Os::Android);
    let files = wa::files(&h, 0);
    let (main, wal) = find(&files, "/msgstore.db");
    // The database really references people by LID ...
    let img = DbImage::open(&main.bytes, wal.map(|w| w.bytes.as_slice())).unwrap();
    let lids: i64 = img
        .conn()
        .query_row("SELECT count(*) FROM jid WHERE server = 'lid'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let lid_chats: i64 = img
        .conn()
        .query_row(
            "SELECT count(*) FROM chat JOIN jid ON jid._id = chat.jid_row_id WHERE jid.server = 'lid'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        lids >= 2 && lid_chats >= 1,
        "lids {lids}, lid chats {lid_chats}"
    );
    // ... and the parser shows phone-number JIDs only.
    let out = parse(&files, "/msgstore.db");
    for m in &out.messages {
        for p in m
            .sender_raw
            .iter()
            .chain(m.recipients_raw.iter())
            .chain(m.thread_id.iter())
        {
            assert!(!p.ends_with("@lid"), "{m:?}");
        }
    }
    for c in &out.calls {
        assert!(!c.number_raw.as_deref().unwrap_or("").ends_with("@lid"));
    }
    let lid_peer = wa_messages(&h)
        .into_iter()
        .find(|m| m.group.is_none() && !is_broadcast(m) && wa::uses_lid(&m.peer))
        .expect("a LID peer");
    assert!(out
        .messages
        .iter()
        .any(|m| m.thread_id.as_deref() == Some(jid(&lid_peer.peer).as_str())));
    assert!(!out.warnings.iter().any(|w| w.message.contains("LID")));
}

#[test]
fn android_unmapped_lid_is_kept_and_reported() {
    let h = demo_handset(Os::Android);
    let files = wa::files(&h, 0);
    let (main, wal) = find(&files, "/msgstore.db");
    // Rebuild the image without jid_map (a database whose map was not written yet).
    let img = DbImage::open(&main.bytes, wal.map(|w| w.bytes.as_slice())).unwrap();
    let bytes = img.bytes.clone();
    let path = std::env::temp_dir().join(format!("wa_nomap_{}.db", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode=DELETE; DELETE FROM jid_map;")
            .unwrap();
    }
    let edited = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let spec = by_name("whatsapp.android.msgstore").unwrap();
    let out = (spec.parse)(&DbInput::new(
        "/data/data/com.whatsapp/databases/msgstore.db",
        &edited,
    ))
    .unwrap();
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("LID") && w.message.contains("@lid")));
    assert!(out
        .messages
        .iter()
        .any(|m| m.thread_id.as_deref().is_some_and(|t| t.ends_with("@lid"))));
}

#[test]
fn whatsapp_business_paths_are_parsed() {
    let h = demo_handset(Os::Android);
    let files = wa::android::files(&h, 1, "com.whatsapp.w4b");
    assert!(files.iter().all(|f| f.path.contains("/com.whatsapp.w4b/")));
    let out = parse(&files, "/msgstore.db");
    assert!(!out.messages.is_empty());
    assert!(out
        .messages
        .iter()
        .all(|m| m.service.as_deref() == Some("WhatsApp Business")));
    assert!(!parse(&files, "/wa.db").contacts.is_empty());
    assert!(!parse(&files, ".xml").owners.is_empty());
}

#[test]
fn ios_every_generation_matches_the_world() {
    let h = demo_handset(Os::Ios);
    for generation in 0..=1 {
        let files = wa::files(&h, generation);
        for f in &files {
            assert!(f
                .path
                .starts_with("/private/var/mobile/Containers/Shared/AppGroup/"));
        }
        let mut out = parse(&files, "/ChatStorage.sqlite");
        let mut calls = parse(&files, "/CallHistory.sqlite");
        if generation == 0 {
            // Current iOS stores reference some people by LID only: kept, and reported ...
            let has_lid = |o: &ParseOutput| {
                o.messages.iter().any(|m| {
                    m.sender_raw
                        .iter()
                        .chain(m.recipients_raw.iter())
                        .chain(m.thread_id.iter())
                        .any(|j| j.ends_with("@lid"))
                }) || o
                    .calls
                    .iter()
                    .any(|c| c.number_raw.as_deref().is_some_and(|n| n.ends_with("@lid")))
            };
            assert!(has_lid(&out) && has_lid(&calls));
            for o in [&out, &calls] {
                assert!(o
                    .warnings
                    .iter()
                    .any(|w| w.message.contains("kept as LIDs")));
            }
            // ... and shown as phone numbers through the container's LID.sqlite.
            let lids = parse(&files, "/LID.sqlite");
            let map = linesift_parsers::whatsapp::ios::lid_map(&lids);
            assert!(!map.is_empty());
            for o in [&mut out, &mut calls] {
                linesift_parsers::whatsapp::ios::resolve_lids(o, &map);
                assert!(!has_lid(o));
                assert!(o.warnings.is_empty(), "{:?}", o.warnings);
            }
            let resolved = out
                .messages
                .iter()
                .filter(|m| m.flags.iter().any(|f| f == "lid_resolved"))
                .count();
            assert!(resolved >= 4, "{resolved}");
            for m in &mut out.messages {
                m.flags.retain(|f| f != "lid_resolved");
            }
        } else {
            assert!(!files.iter().any(|f| f.path.ends_with("/LID.sqlite")));
        }
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        check_messages(&h, &out, Os::Ios, generation);
        assert!(out
            .table_counts
            .iter()
            .any(|(t, n)| t.contains("broadcast copies") && *n > 0));
        check_calls(&h, &calls);
        check_contacts(&h, &parse(&files, "/ContactsV2.sqlite"));
        let prefs = parse(&files, ".plist");
        let owners: Vec<&str> = prefs.owners.iter().map(|o| o.number_raw.as_str()).collect();
        assert_eq!(owners, vec!["447700900100@s.whatsapp.net"], "{prefs:?}");
        assert!(prefs.owners[0].how.contains("OwnJabberID"));
        assert!(prefs.owners[0].origin.offset.is_some());
    }
}

#[test]
fn unknown_future_schema_is_reported_not_a_panic() {
    let db = linesift_testdata::sqlitefile::build(
        4096,
        "CREATE TABLE message_v9 (_id INTEGER PRIMARY KEY, body TEXT); CREATE TABLE chat_v9 (_id INTEGER PRIMARY KEY); PRAGMA user_version = 77;",
        &["INSERT INTO message_v9 (body) VALUES ('x')".to_string()],
        &[],
    );
    for name in [
        "whatsapp.android.msgstore",
        "whatsapp.android.wa",
        "whatsapp.ios.chatstorage",
        "whatsapp.ios.contacts",
        "whatsapp.ios.callhistory",
    ] {
        let spec = by_name(name).unwrap();
        match (spec.parse)(&DbInput::new("/x", &db.main)) {
            Err(ParseError::UnknownSchema(msg)) => {
                assert!(
                    msg.contains("message_v9") && msg.contains("user_version 77"),
                    "{msg}"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    // A message table that lost its key columns: warnings naming them, no panic, no crash.
    let db = linesift_testdata::sqlitefile::build(
        4096,
        "CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INTEGER, text_data TEXT, ts_v2 INTEGER);",
        &["INSERT INTO message (conversation_id, text_data, ts_v2) VALUES (3, 'hello', 1)".to_string()],
        &[],
    );
    let spec = by_name("whatsapp.android.msgstore").unwrap();
    let out = (spec.parse)(&DbInput::new("/x", &db.main)).unwrap();
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.starts_with("table jid missing")));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.starts_with("table chat missing")));
    for col in ["chat_row_id", "from_me", "timestamp"] {
        assert!(
            out.warnings.iter().any(|w| w.message.contains(col)),
            "{col}: {:?}",
            out.warnings
        );
    }
    // Garbage is an error, not a panic.
    assert!((spec.parse)(&DbInput::new("/x", b"not a database at all")).is_err());
    let prefs = by_name("whatsapp.android.prefs").unwrap();
    assert!((prefs.parse)(&DbInput::new("/x.xml", b"\x00\x01")).is_err());
    let plist = by_name("whatsapp.ios.prefs").unwrap();
    assert!((plist.parse)(&DbInput::new("/x.plist", b"\x00\x01")).is_err());
    // A damaged binary plist (cut short, trailer garbage) is an error, not a panic.
    let good = linesift_testdata::render::whatsapp::ios::prefs_plist("+447700900100");
    for cut in [8, 20, good.len() / 2, good.len() - 1] {
        let _ = (plist.parse)(&DbInput::new("/x.plist", &good[..cut]));
    }
    let mut bad = good.clone();
    let n = bad.len();
    bad[n - 9] = 0xFF;
    bad[n - 20] = 0x7F;
    let _ = (plist.parse)(&DbInput::new("/x.plist", &bad));
    let me = by_name("whatsapp.android.me").unwrap();
    let good = linesift_testdata::render::whatsapp::android::me_file("+447700900100");
    for cut in [3, 10, good.len() / 2, good.len() - 1] {
        let _ = (me.parse)(&DbInput::new(
            "/data/data/com.whatsapp/files/me",
            &good[..cut],
        ));
    }
    // An unknown layout with the JID in it: found by pattern, with a warning.
    let out = (me.parse)(&DbInput::new(
        "/data/data/com.whatsapp/files/me",
        b"\x01\x02junk447700900555@s.whatsapp.net\x00",
    ))
    .unwrap();
    assert_eq!(out.owners[0].number_raw, "447700900555@s.whatsapp.net");
    assert!(!out.warnings.is_empty());
    // The XML form of the same plist.
    let xml = b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>OwnJabberID</key><string>447700900321@s.whatsapp.net</string></dict></plist>";
    let out = (plist.parse)(&DbInput::new("/x.plist", xml)).unwrap();
    assert_eq!(out.owners[0].number_raw, "447700900321@s.whatsapp.net");
}

#[test]
fn android_status_updates_lid_senders_and_legacy_member_table() {
    use linesift_testdata::render::whatsapp::android::{LEGACY, LID_TABLES, MODERN};
    let schema = format!("{MODERN}{LID_TABLES}{LEGACY}");
    let s = |x: &str| x.to_string();
    let live = vec![
        s("INSERT INTO jid (_id, user, server, raw_string) VALUES (1, 'status', 'broadcast', 'status@broadcast')"),
        s("INSERT INTO jid (_id, user, server, raw_string) VALUES (2, '447700900201', 's.whatsapp.net', '447700900201@s.whatsapp.net')"),
        s("INSERT INTO jid (_id, user, server, raw_string) VALUES (3, '123456789012345', 'lid', '123456789012345@lid')"),
        s("INSERT INTO jid (_id, user, server, raw_string) VALUES (4, '120363000000000777', 'g.us', '120363000000000777@g.us')"),
        s("INSERT INTO jid (_id, user, server, raw_string) VALUES (5, '447700900202', 's.whatsapp.net', '447700900202:7@s.whatsapp.net')"),
        s("INSERT INTO jid_map (lid_row_id, jid_row_id) VALUES (3, 2)"),
        s("INSERT INTO chat (_id, jid_row_id, subject) VALUES (1, 1, NULL)"),
        s("INSERT INTO chat (_id, jid_row_id, subject) VALUES (2, 4, 'Old group')"),
        // Members only in the legacy text table (early modern databases).
        s("INSERT INTO group_participants (gjid, jid) VALUES ('120363000000000777@g.us', '447700900201@s.whatsapp.net')"),
        s("INSERT INTO group_participants (gjid, jid) VALUES ('120363000000000777@g.us', '')"),
        // A status update posted by a LID sender; a group message from a device JID; one sent.
        s("INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data) VALUES (10, 1, 0, 'A1', 3, 1709294400123, 0, 'status text')"),
        s("INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data) VALUES (11, 2, 0, 'A2', 5, 1709294401123, 0, 'hi group')"),
        s("INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, timestamp, message_type, text_data) VALUES (12, 2, 1, 'A3', NULL, 1709294402123, 0, 'reply')"),
    ];
    let db = linesift_testdata::sqlitefile::build(4096, &schema, &live, &[]);
    let spec = by_name("whatsapp.android.msgstore").unwrap();
    let out = (spec.parse)(&DbInput::new(
        "/data/data/com.whatsapp/databases/msgstore.db",
        &db.main,
    ))
    .unwrap();
    assert_eq!(out.messages.len(), 3);
    let st = &out.messages[0];
    assert_eq!(st.thread_id.as_deref(), Some("status@broadcast"));
    assert_eq!(
        st.sender_raw.as_deref(),
        Some("447700900201@s.whatsapp.net")
    );
    assert_eq!(st.flags, vec!["status".to_string()]);
    let g = &out.messages[1];
    assert_eq!(g.sender_raw.as_deref(), Some("447700900202@s.whatsapp.net"));
    assert_eq!(g.thread_name.as_deref(), Some("Old group"));
    let r = &out.messages[2];
    assert_eq!(
        r.recipients_raw,
        vec!["447700900201@s.whatsapp.net".to_string()]
    );
    assert_eq!(r.direction, Direction::Outgoing);
}

#[test]
fn damaged_plist_and_me_files_never_panic() {
    let plist = by_name("whatsapp.ios.prefs").unwrap();
    let me = by_name("whatsapp.android.me").unwrap();
    let p = linesift_testdata::render::whatsapp::ios::prefs_plist("+447700900100");
    let m = linesift_testdata::render::whatsapp::android::me_file("+447700900100");
    for (spec, good) in [(plist, &p), (me, &m)] {
        for cut in 0..good.len() {
            let _ = (spec.parse)(&DbInput::new("/x", &good[..cut]));
        }
        for i in 0..good.len() {
            for v in [0x00u8, 0x0F, 0x7F, 0xDF, 0xFF] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = (spec.parse)(&DbInput::new("/x", &bad));
            }
        }
        assert!(!(spec.parse)(&DbInput::new("/x", good))
            .unwrap()
            .owners
            .is_empty());
    }
}
