//! Android parsers against real public samples in ../shared/data (bytes only: DbImage builds the
//! image in memory; SQLite never opens the evidence files).
use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::{Direction, ParseError, ParseOutput, RecordState};
use std::path::PathBuf;

/// The shared sample folder: `$LINESIFT_SHARED_DATA`, else the first `shared/data` found above
/// the crate (the repository sits next to `shared/`, worktrees one level deeper).
fn shared() -> PathBuf {
    if let Some(p) = std::env::var_os("LINESIFT_SHARED_DATA") {
        return PathBuf::from(p);
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|a| a.join("shared/data"))
        .find(|p| p.is_dir())
        .expect("shared/data not found above the crate; set LINESIFT_SHARED_DATA")
}

fn read(rel: &str) -> Vec<u8> {
    let p = shared().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn run(
    parser: &str,
    path: &str,
    main: &[u8],
    wal: Option<&[u8]>,
) -> Result<ParseOutput, ParseError> {
    let spec = by_name(parser).expect("registered");
    let re = regex::Regex::new(spec.pattern).unwrap();
    assert!(re.is_match(path), "{parser} pattern should match {path}");
    let mut input = DbInput::new(path, main);
    input.wal = wal;
    (spec.parse)(&input)
}

#[test]
fn plaso_mmssms_has_nine_sms() {
    let main = read("plaso/android/mmssms.db");
    let out = run(
        "android.mmssms",
        "/data/data/com.android.providers.telephony/databases/mmssms.db",
        &main,
        None,
    )
    .unwrap();
    assert_eq!(out.messages.len(), 9);
    assert!(out.messages.iter().all(|m| m.app == "sms"
        && m.origin.table == "sms"
        && m.origin.state == RecordState::Live
        && m.service.as_deref() == Some("SMS")
        && m.thread_id.as_deref() == Some("1")));
    // Ordered by rowid.
    let ids: Vec<i64> = out
        .messages
        .iter()
        .map(|m| m.origin.rowid.unwrap())
        .collect();
    assert_eq!(ids, (1..=9).collect::<Vec<_>>());
    let first = &out.messages[0];
    assert_eq!(first.direction, Direction::Outgoing);
    assert_eq!(first.timestamp_ms, Some(1_383_065_788_038));
    assert_eq!(first.recipients_raw, vec!["1 555-521-5554".to_string()]);
    assert_eq!(first.sender_raw, None);
    assert_eq!(
        first.body.as_deref(),
        Some("Yo Fred this is my new number.")
    );
    assert_eq!(first.read, Some(true));
    let third = &out.messages[2];
    assert_eq!(third.direction, Direction::Incoming);
    assert_eq!(third.timestamp_ms, Some(1_383_066_341_303));
    assert_eq!(third.sender_raw.as_deref(), Some("15555215554"));
    assert!(third.recipients_raw.is_empty());
    assert_eq!(third.body.as_deref(), Some("What message?"));
    assert_eq!(third.read, Some(false));
    let outgoing = out
        .messages
        .iter()
        .filter(|m| m.direction == Direction::Outgoing)
        .count();
    assert_eq!(outgoing, 5);
    // The 4.x layout has every column the parser reads.
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(out.table_counts.contains(&("sms".to_string(), 9)));
}

#[test]
fn plaso_contacts2_has_three_legacy_calls() {
    let main = read("plaso/android/contacts2.db");
    let out = run(
        "android.contacts2",
        "/data/data/com.android.providers.contacts/databases/contacts2.db",
        &main,
        None,
    )
    .unwrap();
    assert_eq!(out.calls.len(), 3);
    assert!(out.contacts.is_empty());
    let c: Vec<(Option<i64>, Direction, Option<i64>, Option<i64>)> = out
        .calls
        .iter()
        .map(|c| (c.origin.rowid, c.direction, c.timestamp_ms, c.duration_s))
        .collect();
    assert_eq!(
        c,
        vec![
            (
                Some(714),
                Direction::Missed,
                Some(1_383_772_636_690),
                Some(0)
            ),
            (
                Some(715),
                Direction::Outgoing,
                Some(1_383_772_733_283),
                Some(126)
            ),
            (
                Some(717),
                Direction::Incoming,
                Some(1_383_782_616_690),
                Some(639)
            ),
        ]
    );
    assert!(out
        .calls
        .iter()
        .all(|c| c.number_raw.as_deref() == Some("5404561685")
            && c.name.as_deref() == Some("Barney")
            && c.app == "android_calllog"
            && !c.video
            && c.account.is_none()));
    assert_eq!(out.calls[0].type_raw.as_deref(), Some("3"));
    assert!(out.owners.is_empty());
}

#[test]
fn andriller_calllog_has_one_call() {
    let main = read("andriller/calllog.db");
    let wal = read("andriller/calllog.db-wal");
    let out = run(
        "android.calllog",
        "/data/user_de/0/com.android.providers.contacts/databases/calllog.db",
        &main,
        Some(&wal),
    )
    .unwrap();
    assert_eq!(out.calls.len(), 1);
    let c = &out.calls[0];
    assert_eq!(c.direction, Direction::Outgoing);
    assert_eq!(c.timestamp_ms, Some(1_588_858_433_593));
    assert_eq!(c.duration_s, Some(0));
    assert_eq!(c.origin.rowid, Some(1));
    assert_eq!(c.origin.state, RecordState::Live);
    assert!(c.account.is_none());
    assert!(out.owners.is_empty());
    // The real calllog.db layout has every column the parser reads.
    assert!(
        !out.warnings.iter().any(|w| w.message.contains("missing")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn wrong_database_is_unknown_schema() {
    // calllog.db handed to the mmssms parser: names the tables it found.
    let main = read("andriller/calllog.db");
    let err = run(
        "android.mmssms",
        "/data/data/com.android.providers.telephony/databases/mmssms.db",
        &main,
        None,
    )
    .unwrap_err();
    match err {
        ParseError::UnknownSchema(s) => {
            assert!(s.contains("calls") && s.contains("user_version 5"), "{s}")
        }
        e => panic!("expected UnknownSchema, got {e}"),
    }
    let mms = read("plaso/android/mmssms.db");
    for p in [
        "android.bugle",
        "android.telephony",
        "android.samsung_logs",
        "android.calllog",
    ] {
        let spec = by_name(p).unwrap();
        let r = (spec.parse)(&DbInput::new("/x", &mms));
        assert!(matches!(r, Err(ParseError::UnknownSchema(_))), "{p}");
    }
}
