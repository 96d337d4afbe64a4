//! ios.sms against the real plaso sms.db sample (read as bytes, through the in-memory image).
use linesift_parsers::ios::typedstream;
use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::sqlite::DbImage;
use linesift_parsers::{Direction, RecordState};

const SAMPLE: &str = "/work/shared/data/plaso/sqlite/imessage_chat.db";

fn sample() -> Option<Vec<u8>> {
    match std::fs::read(SAMPLE) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!("skipping: {SAMPLE}: {e}");
            None
        }
    }
}

#[test]
fn plaso_imessage_chat_db() {
    let Some(main) = sample() else { return };
    let spec = by_name("ios.sms").unwrap();
    let path = "/private/var/mobile/Library/SMS/sms.db";
    assert!(regex::Regex::new(spec.pattern).unwrap().is_match(path));
    let out = (spec.parse)(&DbInput::new(path, &main)).unwrap();
    assert_eq!(out.messages.len(), 10);
    let rowids: Vec<i64> = out
        .messages
        .iter()
        .map(|m| m.origin.rowid.unwrap())
        .collect();
    assert_eq!(rowids, (1..=10).collect::<Vec<_>>());
    assert!(out
        .messages
        .iter()
        .all(|m| m.origin.state == RecordState::Live));
    assert!(out.messages.iter().all(|m| m.app == "imessage"));

    let m1 = &out.messages[0];
    assert_eq!(m1.direction, Direction::Incoming);
    // date 469908586 Cocoa seconds = 2015-11-22T18:09:46Z
    assert_eq!(m1.timestamp_ms, Some(1_448_215_786_000));
    assert_eq!(m1.sender_raw.as_deref(), Some("447775455555"));
    assert_eq!(m1.thread_id.as_deref(), Some("iMessage;-;+447775446518"));
    assert!(m1
        .body
        .as_deref()
        .unwrap()
        .starts_with("Hey Kenneth, it's Eireanne!"));
    // The account is an Apple ID: the handset's own address, not a phone number.
    assert_eq!(m1.recipients_raw, vec!["ken.doh@icloud.com".to_string()]);

    let m7 = &out.messages[6];
    assert_eq!(m7.body.as_deref(), Some("Aww okay fab! "));
    let m10 = &out.messages[9];
    assert_eq!(m10.direction, Direction::Outgoing);
    assert_eq!(m10.sender_raw.as_deref(), Some("ken.doh@icloud.com"));
    assert_eq!(m10.recipients_raw, vec!["447775455555".to_string()]);
    let m8 = &out.messages[7];
    assert_eq!(m8.sender_raw.as_deref(), Some("xxxxxx2015@icloud.com"));
    assert_eq!(
        m8.thread_id.as_deref(),
        Some("iMessage;-;jondoh2015@icloud.com")
    );
    // No phone-like own account in this database: the owner is an Apple ID; chat rows carry
    // last_addressed_handle +447775667416 though.
    assert!(out
        .owners
        .iter()
        .any(|o| o.number_raw == "+447775667416" && o.how == "chat.last_addressed_handle"));
    let mut keys: Vec<_> = out.owners.iter().map(|o| (&o.number_raw, &o.how)).collect();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n);
    assert!(out.messages.iter().all(|m| m.body_raw_hex.is_none()));
    // The parser reports the rows whose text and attributedBody disagree.
    let flagged: Vec<i64> = out
        .messages
        .iter()
        .filter(|m| m.flags.iter().any(|f| f == "attributed_body_differs"))
        .map(|m| m.origin.rowid.unwrap())
        .collect();
    assert_eq!(flagged, vec![6, 10]);
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("message 6:")));
}

/// Every real attributedBody in the sample decodes to exactly the message's `text`.
#[test]
fn plaso_attributed_bodies_decode_to_text() {
    let Some(main) = sample() else { return };
    let img = DbImage::open(&main, None).unwrap();
    let t = img.select("message", &["text", "attributedBody"]).unwrap();
    let (tc, ac) = (t.col("text"), t.col("attributedBody"));
    let mut n = 0;
    let mut differ = Vec::new();
    for r in &t.rows {
        let blob = r.blob(ac).expect("attributedBody present");
        let d = typedstream::decode(blob).unwrap();
        assert_eq!(
            d.root_classes.first().map(String::as_str),
            Some("NSMutableAttributedString")
        );
        let text = String::from_utf8(d.text_bytes().unwrap().to_vec()).unwrap();
        if Some(&text) == r.text(tc).as_ref() {
            n += 1;
        } else {
            eprintln!(
                "row {:?}: text {:?} vs attributedBody {:?}",
                r.rowid,
                r.text(tc),
                text
            );
            differ.push(r.rowid.unwrap());
        }
    }
    // The sample's `text` of rows 6 and 10 was edited after the fact but their attributedBody
    // was not: the archive still says "Microsoft Office" where `text` says "Open Office".
    assert_eq!(n, 8);
    assert_eq!(differ, vec![6, 10]);
}
