//! Edge cases of the iOS parsers on hand-built databases in the real schemas: invalid UTF-8,
//! status flags, missing columns, damaged attributedBody, group call participants.
use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::{Direction, ParseOutput};
use linesift_testdata::render::ios::typedstream::{encode_attributed, Flavor};
use linesift_testdata::render::ios::{callhistory, sms};
use linesift_testdata::sqlitefile::build;

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn run(parser: &str, path: &str, main: &[u8]) -> ParseOutput {
    let spec = by_name(parser).unwrap();
    assert!(regex::Regex::new(spec.pattern).unwrap().is_match(path));
    (spec.parse)(&DbInput::new(path, main)).unwrap()
}

#[test]
fn sms_flags_invalid_utf8_and_damaged_archives() {
    // Not UTF-8: the lone 0xFF byte.
    let bad_text = b"price \xff 20";
    let mut bad_ab = encode_attributed("XXXXXXXXXXXX", Flavor::Immutable);
    let at = bad_ab
        .windows(12)
        .position(|w| w == b"XXXXXXXXXXXX")
        .unwrap();
    bad_ab[at + 3] = 0xfe;
    let good = encode_attributed("kept before the damage", Flavor::Immutable);
    let truncated = &good[..good.len() - 6];
    let garbage = [0x04u8, 0x0b, 0x13, 0x37, 0xff, 0x00];
    let d = 700_000_000_000_000_000i64;
    let rows = [
        // 1: outgoing not delivered -> maybe_failed
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered, is_sent) VALUES (1, 'g1', 'hello', 1, 'SMS', {d}, 1, 0, 0);"),
        // 2: outgoing with an error -> failed; edited
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered, error, date_edited) VALUES (2, 'g2', 'edited', 1, 'iMessage', {d}, 1, 0, 22, {d});"),
        // 3: incoming unsent (retracted), RCS
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered, date_retracted) VALUES (3, 'g3', NULL, 1, 'RCS', {d}, 0, 1, {d});"),
        // 4: text not UTF-8
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me) VALUES (4, 'g4', CAST(X'{}' AS TEXT), 1, 'SMS', {d}, 0);", hexs(bad_text)),
        // 5: attributedBody whose text is not UTF-8
        format!("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES (5, 'g5', NULL, X'{}', 1, 'iMessage', {d}, 0);", hexs(&bad_ab)),
        // 6: truncated attributedBody: text kept, warning
        format!("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES (6, 'g6', NULL, X'{}', 1, 'iMessage', {d}, 0);", hexs(truncated)),
        // 7: garbage attributedBody: no text, warning, no panic
        format!("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES (7, 'g7', NULL, X'{}', 1, 'iMessage', {d}, 0);", hexs(&garbage)),
        "INSERT INTO handle (ROWID, id, service) VALUES (1, '07700 900321', 'SMS');".to_string(),
    ];
    let db = build(4096, sms::SCHEMA_CURRENT, &rows, &[]);
    let out = run("ios.sms", sms::PATH, &db.main);
    let m = &out.messages;
    assert_eq!(m.len(), 7);
    assert_eq!(m[0].flags, vec!["maybe_failed"]);
    assert_eq!(m[1].flags, vec!["failed", "edited"]);
    assert_eq!(m[2].flags, vec!["unsent"]);
    assert_eq!((m[2].app, m[2].direction), ("rcs", Direction::Incoming));
    assert_eq!(m[2].body, None);
    assert_eq!(m[3].body.as_deref(), Some("price \u{fffd} 20"));
    assert_eq!(m[3].body_raw_hex.as_deref(), Some("707269636520ff203230"));
    assert!(m[4].body.as_deref().unwrap().contains('\u{fffd}'));
    assert_eq!(
        m[4].body_raw_hex.as_deref(),
        Some("585858fe5858585858585858")
    );
    assert_eq!(m[5].body.as_deref(), Some("kept before the damage"));
    assert_eq!(m[6].body, None);
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.starts_with("message 6:") && w.message.contains("text kept")));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.starts_with("message 7:") && w.message.contains("unreadable")));
    assert!(m
        .iter()
        .all(|x| x.sender_raw.as_deref() == Some("07700 900321")
            || x.direction == Direction::Outgoing));
}

#[test]
fn sms_missing_columns_and_tables_are_warnings() {
    // A cut-down message table (no is_read, no attributedBody) and no chat tables at all.
    let schema = "CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT, text TEXT, handle_id INTEGER, service TEXT, account TEXT, date INTEGER, is_from_me INTEGER, is_delivered INTEGER);
                  CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT);";
    let rows = [
        "INSERT INTO handle VALUES (1, '+447700900111', 'gb', 'SMS', NULL);".to_string(),
        "INSERT INTO message VALUES (1, 'a', 'hi', 1, 'SMS', 'P:+447700900999', 500000000, 0, 1);"
            .to_string(),
    ];
    let db = build(4096, schema, &rows, &[]);
    let out = run("ios.sms", sms::PATH, &db.main);
    assert_eq!(out.messages.len(), 1);
    let m = &out.messages[0];
    assert_eq!(m.body.as_deref(), Some("hi"));
    assert_eq!(m.read, None);
    assert_eq!(m.timestamp_ms, Some((500_000_000 + 978_307_200) * 1000));
    assert_eq!(m.recipients_raw, vec!["+447700900999".to_string()]);
    let w: Vec<&str> = out.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        w.iter().any(|w| w.contains("column is_read missing")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("column attributedBody missing")),
        "{w:?}"
    );
    assert!(w.iter().any(|w| w.contains("table chat missing")), "{w:?}");
    assert_eq!(out.owners.len(), 1);
    assert_eq!(out.owners[0].how, "message.account");
    assert_eq!(out.owners[0].number_raw, "+447700900999");
}

#[test]
fn callhistory_group_participants_blob_addresses_and_temp_store() {
    let rows = [
        "INSERT INTO ZHANDLE (Z_PK, Z_ENT, Z_OPT, ZTYPE, ZNORMALIZEDVALUE, ZVALUE) VALUES (1, 4, 1, 2, '+447700900701', '07700 900701'), (2, 4, 1, 2, '+447700900702', '07700 900702'), (3, 4, 1, 2, '+447700900703', '07700 900703');".to_string(),
        // Group FaceTime video with no ZADDRESS: the first participant stands in.
        "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALL_CATEGORY, ZCALLTYPE, ZORIGINATED, ZDATE, ZDURATION, ZADDRESS, ZSERVICE_PROVIDER) VALUES (1, 2, 1, 1, 2, 8, 0, 720000000.5, 61.6, NULL, 'com.apple.FaceTime');".to_string(),
        "INSERT INTO Z_2REMOTEPARTICIPANTHANDLES VALUES (1, 3), (1, 1), (1, 2);".to_string(),
        // Address as a blob, not UTF-8.
        "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZORIGINATED, ZDATE, ZDURATION, ZADDRESS) VALUES (2, 2, 1, 0, 1, 0, 720000100, 0, X'3037373030FF');".to_string(),
    ];
    let db = build(4096, callhistory::SCHEMA_CURRENT, &rows, &[]);
    let path = "/private/var/mobile/Library/CallHistoryDB/CallHistoryTemp.storedata";
    let out = run("ios.callhistory", path, &db.main);
    assert_eq!(out.calls.len(), 2);
    let c = &out.calls[0];
    assert!(c.video);
    assert_eq!(c.direction, Direction::Incoming);
    assert_eq!(c.duration_s, Some(62));
    assert_eq!(
        c.timestamp_ms,
        Some((720_000_000 + 978_307_200) * 1000 + 500)
    );
    assert_eq!(c.number_raw.as_deref(), Some("07700 900701"));
    assert_eq!(c.participants_raw, vec!["07700 900702", "07700 900703"]);
    let c = &out.calls[1];
    assert_eq!(c.direction, Direction::Missed);
    assert_eq!(c.number_raw.as_deref(), Some("07700\u{fffd}"));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("ZCALLRECORD 2") && w.message.contains("3037373030ff")));
}

#[test]
fn sms_recently_deleted_reactions_and_events() {
    let d = 710_000_000_000_000_000i64;
    let part = encode_attributed("deleted part text", Flavor::Immutable);
    let rows = [
        "INSERT INTO handle (ROWID, id, service) VALUES (1, '+447700900555', 'iMessage');".to_string(),
        "INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name) VALUES (1, 'iMessage;-;+447700900555', 45, '+447700900555', 'iMessage');".to_string(),
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered) VALUES (1, 'm1', 'normal', 1, 'iMessage', {d}, 0, 1);"),
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered) VALUES (2, 'm2', 'recently deleted', 1, 'iMessage', {d}, 0, 1);"),
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered) VALUES (3, 'm3', NULL, 1, 'iMessage', {d}, 0, 1);"),
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered, associated_message_type, associated_message_guid) VALUES (4, 'm4', 'Loved “normal”', 1, 'iMessage', {d}, 1, 1, 2000, 'p:0/m1');"),
        format!("INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, is_delivered, item_type) VALUES (5, 'm5', NULL, 1, 'iMessage', {d}, 0, 1, 2);"),
        "INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, 1), (1, 4), (1, 5);".to_string(),
        format!("INSERT INTO chat_recoverable_message_join (chat_id, message_id, delete_date) VALUES (1, 2, {d}), (1, 3, {d});"),
        format!("INSERT INTO recoverable_message_part (chat_id, message_id, part_index, delete_date, part_text) VALUES (1, 3, 0, {d}, X'{}');", hexs(&part)),
    ];
    let db = build(4096, sms::SCHEMA_CURRENT, &rows, &[]);
    let out = run("ios.sms", sms::PATH, &db.main);
    let m = &out.messages;
    assert_eq!(m.len(), 5);
    assert!(m[0].flags.is_empty());
    assert_eq!(m[1].flags, vec!["recently_deleted"]);
    assert_eq!(m[1].thread_id.as_deref(), Some("iMessage;-;+447700900555"));
    assert_eq!(
        m[2].flags,
        vec!["recently_deleted", "body_from_recoverable_part"]
    );
    assert_eq!(m[2].body.as_deref(), Some("deleted part text"));
    assert_eq!(m[3].flags, vec!["reaction"]);
    assert_eq!(m[4].flags, vec!["system_event"]);
}

#[test]
fn typedstream_big_endian_header_is_read() {
    // The same archive in big-endian byte order ("typedstream" signature): only multi-byte
    // integers change order.
    let mut v = vec![4u8, 11];
    v.extend_from_slice(b"typedstream");
    v.extend_from_slice(&[0x81, 0x03, 0xe8, 0x84, 0x01, b'@', 0x84, 0x84, 0x84, 8]);
    v.extend_from_slice(b"NSString");
    v.extend_from_slice(&[0x01, 0x85, 0x84, 0x01, b'+', 0x81, 0x00, 0xc8]);
    v.extend(std::iter::repeat_n(b'b', 200));
    v.push(0x86);
    let d = linesift_parsers::ios::typedstream::decode(&v).unwrap();
    assert_eq!(d.text_bytes(), Some(&[b'b'; 200][..]));
}

#[test]
fn addressbook_names_labels_and_other_properties() {
    use linesift_testdata::render::ios::addressbook;
    let rows = [
        "INSERT INTO ABStore (ROWID, Name, Type, guid) VALUES (1, 'iCloud', 1, 's1');".to_string(),
        "INSERT INTO ABMultiValueLabel (ROWID, value) VALUES (1, '_$!<Mobile>!$_'), (2, 'Plug line'), (3, '_$!<HomePage>!$_');".to_string(),
        "INSERT INTO ABPerson (ROWID, First, Last, Middle, StoreID, guid) VALUES (1, 'Anne', 'Smith', 'B', 1, 'p1');".to_string(),
        "INSERT INTO ABPerson (ROWID, Organization, guid) VALUES (2, 'Kebab Hut Ltd', 'p2');".to_string(),
        "INSERT INTO ABPerson (ROWID, Nickname, guid) VALUES (3, 'Tiny', 'p3');".to_string(),
        "INSERT INTO ABPerson (ROWID, guid) VALUES (4, 'p4');".to_string(),
        "INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value, guid) VALUES (1, 1, 3, 0, 1, '07700 900801', 'm1'), (2, 2, 3, 0, 2, '0113 496 0801', 'm2'), (3, 3, 3, 0, NULL, '+447700900803', 'm3'), (4, 1, 22, 1, 3, 'http://example.com', 'm4'), (5, 4, 4, 0, NULL, 'x@example.com', 'm5');".to_string(),
    ];
    let db = build(4096, addressbook::SCHEMA_CURRENT, &rows, &[]);
    let out = run("ios.addressbook", addressbook::PATH, &db.main);
    let got: Vec<(Option<&str>, Option<&str>, &str, Option<&str>, Option<&str>)> = out
        .contacts
        .iter()
        .map(|c| {
            (
                c.display_name.as_deref(),
                c.number_raw.as_deref(),
                c.value_kind,
                c.label.as_deref(),
                c.account.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("Anne B Smith"),
                Some("07700 900801"),
                "phone",
                Some("Mobile"),
                Some("iCloud")
            ),
            (
                Some("Kebab Hut Ltd"),
                Some("0113 496 0801"),
                "phone",
                Some("Plug line"),
                None
            ),
            (Some("Tiny"), Some("+447700900803"), "phone", None, None),
            (None, Some("x@example.com"), "email", None, None),
        ]
    );
}
