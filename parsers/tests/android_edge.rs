//! Android parsers on the awkward cases: invalid UTF-8, Samsung spam, MMS reports, schema drift,
//! unknown layouts and damaged files.
use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::{Direction, ParseError, ParseOutput};
use linesift_testdata::render::android::{bugle, calllog, mmssms, Profile};
use linesift_testdata::sqlitefile::{build, DbFiles};
use linesift_testdata::world::*;

const PARSERS: &[&str] = &[
    "android.mmssms",
    "android.bugle",
    "android.contacts2",
    "android.calllog",
    "android.samsung_logs",
    "android.telephony",
];

fn run(parser: &str, db: &DbFiles) -> Result<ParseOutput, ParseError> {
    let spec = by_name(parser).unwrap();
    let mut input = DbInput::new("/test", &db.main);
    input.wal = db.wal.as_deref();
    (spec.parse)(&input)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn invalid_utf8_bodies_keep_lossy_text_and_raw_hex() {
    let db = build(
        4096,
        &mmssms::schema(Profile::Modern),
        &s(&[
            "INSERT INTO sms (_id,thread_id,address,date,type,read,body) VALUES (1,1,'07700 900201',1700000000123,1,0,CAST(X'48c3283f' AS TEXT));",
            "INSERT INTO pdu (_id,thread_id,date,msg_box,read,m_type) VALUES (1,1,1700000100,1,1,132);",
            "INSERT INTO addr (msg_id,address,type) VALUES (1,'+447700900201',137);",
            "INSERT INTO part (mid,seq,ct,text) VALUES (1,0,'text/plain',CAST(X'ff6869' AS TEXT));",
        ]),
        &[],
    );
    let out = run("android.mmssms", &db).unwrap();
    assert_eq!(out.messages.len(), 2);
    let sms = &out.messages[0];
    assert_eq!(sms.body.as_deref(), Some("H\u{FFFD}(?"));
    assert_eq!(sms.body_raw_hex.as_deref(), Some("48c3283f"));
    let mms = &out.messages[1];
    assert_eq!(mms.body.as_deref(), Some("\u{FFFD}hi"));
    assert_eq!(mms.body_raw_hex.as_deref(), Some("ff6869"));
    assert_eq!(mms.timestamp_ms, Some(1_700_000_100_000));
    assert_eq!(mms.sender_raw.as_deref(), Some("+447700900201"));
}

#[test]
fn samsung_spam_and_mms_reports() {
    let db = build(
        4096,
        &mmssms::schema(Profile::Samsung),
        &s(&[
            "INSERT INTO sms (_id,thread_id,address,date,type,read,body,sim_slot,hidden) VALUES (1,1,'07700900202',1700000000000,2,1,'normal',0,0);",
            "INSERT INTO spam_sms (_id,thread_id,address,date,type,read,body) VALUES (1,0,'07700900203',1700000001000,1,0,'WIN A PRIZE');",
            // A sent MMS, its delivery report (134) and read report (136).
            "INSERT INTO pdu (_id,thread_id,date,msg_box,read,m_type,m_id) VALUES (1,1,1700000002,2,1,128,'abc');",
            "INSERT INTO pdu (_id,thread_id,date,msg_box,read,m_type,m_id) VALUES (2,1,1700000003,1,1,134,'abc');",
            "INSERT INTO pdu (_id,thread_id,date,msg_box,read,m_type,m_id) VALUES (3,1,1700000004,1,1,136,'abc');",
            "INSERT INTO addr (msg_id,address,type) VALUES (1,'+447700900100',137),(1,'07700900202',151),(1,'07700900204',130);",
            "INSERT INTO part (mid,seq,ct,name,cl,text) VALUES (1,0,'text/plain',NULL,'text_0.txt','look'),(1,1,'video/mp4','clip.mp4','clip.mp4',NULL);",
            // A Samsung RCS row in a table this parser does not map.
            "CREATE TABLE im (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, body TEXT, date INTEGER);",
            "INSERT INTO im VALUES (1, 3, '+447700900205', 'rcs hello', 1700000005000);",
        ]),
        &[],
    );
    let out = run("android.mmssms", &db).unwrap();
    let tables: Vec<&str> = out
        .messages
        .iter()
        .map(|m| m.origin.table.as_str())
        .collect();
    assert_eq!(tables, vec!["sms", "spam_sms", "pdu"]);
    assert!(out.messages[0].flags.is_empty());
    assert_eq!(out.messages[1].flags, vec!["spam".to_string()]);
    assert_eq!(out.messages[1].direction, Direction::Incoming);
    assert_eq!(out.messages[1].sender_raw.as_deref(), Some("07700900203"));
    let mms = &out.messages[2];
    assert_eq!(mms.direction, Direction::Outgoing);
    // This handset stored its own number as the FROM of a sent MMS.
    assert_eq!(mms.sender_raw.as_deref(), Some("+447700900100"));
    assert_eq!(mms.recipients_raw, vec!["07700900202", "07700900204"]);
    assert_eq!(out.owners.len(), 1);
    assert_eq!(out.owners[0].number_raw, "+447700900100");
    assert_eq!(out.owners[0].origin.table, "pdu");
    assert_eq!(mms.body.as_deref(), Some("look"));
    assert_eq!(mms.attachments.len(), 1);
    assert_eq!(mms.attachments[0].kind.as_deref(), Some("video/mp4"));
    assert_eq!(mms.attachments[0].file_name.as_deref(), Some("clip.mp4"));
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("2 delivery/read report rows")));
    assert!(out.warnings.iter().any(|w| w
        .message
        .starts_with("table im (Samsung RCS chat messages) holds 1 rows")));
}

#[test]
fn missing_columns_are_null_with_a_warning() {
    // An sms table from some vendor build without `read`, and no pdu at all.
    let db = build(
        4096,
        "CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, type INTEGER, body TEXT);",
        &s(&["INSERT INTO sms VALUES (7, 2, '+447700900205', 1700000000999, 5, 'failed send');"]),
        &[],
    );
    let out = run("android.mmssms", &db).unwrap();
    assert_eq!(out.messages.len(), 1);
    let m = &out.messages[0];
    assert_eq!(m.read, None);
    assert_eq!(m.direction, Direction::Outgoing);
    assert_eq!(m.flags, vec!["failed".to_string()]);
    assert_eq!(m.recipients_raw, vec!["+447700900205"]);
    assert_eq!(m.origin.rowid, Some(7));
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message == "table sms: column read missing, treated as NULL"),
        "{:?}",
        out.warnings
    );
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("no pdu table")));
}

#[test]
fn contacts2_name_and_account_variants() {
    // A build whose raw_contacts spells the names display_name_primary / display_name_alternative
    // and keeps the account on the row; one contact marked deleted; a custom phone label and an
    // unknown type code.
    let db = build(
        4096,
        "CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT,mimetype TEXT NOT NULL);
         CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_name TEXT, account_type TEXT, deleted INTEGER NOT NULL DEFAULT 0, display_name_primary TEXT, display_name_alternative TEXT);
         CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT, mimetype_id INTEGER NOT NULL, raw_contact_id INTEGER NOT NULL, data1 TEXT, data2 TEXT, data3 TEXT);",
        &s(&[
            "INSERT INTO mimetypes VALUES (1,'vnd.android.cursor.item/name'),(2,'vnd.android.cursor.item/phone_v2'),(3,'vnd.android.cursor.item/email_v2');",
            "INSERT INTO raw_contacts VALUES (1,'sim','vnd.sec.contact.sim',0,'Eve Sim',NULL),(2,NULL,NULL,1,NULL,'Gone, Frank');",
            "INSERT INTO data VALUES (1,1,1,'Eve Sim',NULL,NULL),(2,2,1,'07700 900206','0','Plug'),(3,2,2,'+447700900207','42',NULL),(4,3,2,'frank@example.com','2',NULL);",
        ]),
        &[],
    );
    let out = run("android.contacts2", &db).unwrap();
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
                Some("Eve Sim"),
                Some("07700 900206"),
                "phone",
                Some("Plug"),
                Some("sim (vnd.sec.contact.sim)")
            ),
            (
                Some("Gone, Frank"),
                Some("+447700900207"),
                "phone",
                Some("type 42"),
                None
            ),
            (
                Some("Gone, Frank"),
                Some("frank@example.com"),
                "email",
                Some("Work"),
                None
            ),
        ]
    );
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("1 contacts are marked deleted")));
    // No spurious warnings for the name spelling this version does not use.
    assert!(!out
        .warnings
        .iter()
        .any(|w| w.message.contains("display_name missing")));
}

#[test]
fn calllog_types_and_accounts() {
    let db = build(
        4096,
        calllog::SCHEMA,
        &s(&[
            "INSERT INTO calls (_id,number,date,duration,type,features,phone_account_address) VALUES (1,'07700900208',1700000000001,5,4,0,'+447700900100');",
            "INSERT INTO calls (_id,number,date,duration,type,features,phone_account_address) VALUES (2,'07700900209',1700000000002,0,6,0,'E0:22:foo@example.com');",
            "INSERT INTO calls (_id,number,date,duration,type,features,phone_account_address) VALUES (3,'',1700000000003,9,7,1,'+447700900100');",
            "INSERT INTO calls (_id,number,date,duration,type,features,phone_account_address) VALUES (4,'07700900210',1700000000004,1,99,0,'');",
        ]),
        &[],
    );
    let out = run("android.calllog", &db).unwrap();
    let d: Vec<(Direction, bool, Option<&str>, Option<&str>)> = out
        .calls
        .iter()
        .map(|c| {
            (
                c.direction,
                c.video,
                c.number_raw.as_deref(),
                c.account.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        d,
        vec![
            (
                Direction::Incoming,
                false,
                Some("07700900208"),
                Some("+447700900100")
            ),
            (
                Direction::Rejected,
                false,
                Some("07700900209"),
                Some("E0:22:foo@example.com")
            ),
            (Direction::Incoming, true, None, Some("+447700900100")),
            (Direction::Unknown, false, Some("07700900210"), None),
        ]
    );
    assert_eq!(out.calls[3].type_raw.as_deref(), Some("99"));
    // One owner number, from the first row that shows it; the SIP-like account is not a number.
    assert_eq!(out.owners.len(), 1);
    assert_eq!(out.owners[0].number_raw, "+447700900100");
    assert_eq!(out.owners[0].origin.rowid, Some(1));
}

#[test]
fn bugle_direction_without_sender_and_odd_protocols() {
    let db = build(
        4096,
        &bugle::schema(Profile::Modern),
        &s(&[
            "INSERT INTO participants (_id,sub_id,normalized_destination,send_destination) VALUES (1,1,'+447700900100','+447700900100'),(2,-2,'+447700900211','07700 900211');",
            "INSERT INTO conversations (_id,name,participant_count) VALUES (1,'07700 900211',1);",
            "INSERT INTO conversation_participants (conversation_id,participant_id) VALUES (1,2);",
            // Sender missing: status 2 (outgoing delivered), status 100 (incoming).
            "INSERT INTO messages (_id,conversation_id,sender_id,received_timestamp,message_protocol,message_status,read,self_id) VALUES (1,1,NULL,1700000000001,0,2,1,1);",
            "INSERT INTO messages (_id,conversation_id,sender_id,received_timestamp,message_protocol,message_status,read,self_id) VALUES (2,1,NULL,1700000000002,0,100,0,1);",
            "INSERT INTO messages (_id,conversation_id,sender_id,received_timestamp,message_protocol,message_status,read,self_id) VALUES (3,1,2,1700000000003,5,100,0,1);",
            "INSERT INTO parts (message_id,text,content_type,conversation_id) VALUES (1,'a','text/plain',1),(2,'b','text/plain',1),(3,'c','text/plain',1);",
            "INSERT INTO parts (message_id,text,uri,content_type,conversation_id,file_name,file_size_bytes) VALUES (3,NULL,'content://com.google.android.apps.messaging.datamodel.MediaScratchFileProvider/1','image/jpeg',1,'IMG_0001.jpg',2048);",
        ]),
        &[],
    );
    let out = run("android.bugle", &db).unwrap();
    let d: Vec<(Direction, &str, Option<&str>)> = out
        .messages
        .iter()
        .map(|m| (m.direction, m.app, m.sender_raw.as_deref()))
        .collect();
    assert_eq!(
        d,
        vec![
            (Direction::Outgoing, "sms", Some("+447700900100")),
            (Direction::Incoming, "sms", None),
            (Direction::Incoming, "rcs", Some("07700 900211")),
        ]
    );
    assert_eq!(out.messages[0].recipients_raw, vec!["07700 900211"]);
    assert_eq!(out.messages[2].body.as_deref(), Some("c"));
    let a = &out.messages[2].attachments;
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].kind.as_deref(), a[0].file_name.as_deref(), a[0].size),
        (Some("image/jpeg"), Some("IMG_0001.jpg"), Some(2048))
    );
    assert_eq!(out.messages[1].recipients_raw, vec!["+447700900100"]);
    assert!(out
        .warnings
        .iter()
        .any(|w| w.message.contains("message_protocol values 5 ")));
    assert_eq!(out.owners.len(), 1);
    assert!(out.owners[0].how.contains("self participant"));
}

#[test]
fn unknown_schema_names_tables_and_user_version() {
    let db = build(
        4096,
        "CREATE TABLE notes (_id INTEGER PRIMARY KEY, body TEXT); PRAGMA user_version = 3;",
        &[],
        &[],
    );
    for p in PARSERS {
        match run(p, &db) {
            Err(ParseError::UnknownSchema(s)) => {
                assert!(
                    s.contains("notes") && s.contains("user_version 3"),
                    "{p}: {s}"
                )
            }
            other => panic!("{p}: expected UnknownSchema, got {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn damaged_inputs_are_errors_not_panics() {
    let mut h = Handset::new("EXH-09", Os::Android, Layout::Folder, &drama_mobile(300));
    for i in 0..200u64 {
        h.messages.push(GMessage {
            key: i,
            app: if i % 4 == 0 { GApp::Mms } else { GApp::Sms },
            ts_ms: 1_700_000_000_000 + i as i64 * 1000,
            outgoing: i % 2 == 0,
            peer: drama_mobile(400 + (i % 50) as u32),
            peer_raw: uk_style(&drama_mobile(400 + (i % 50) as u32), i as u32),
            extra_recipients: vec![],
            group: None,
            body: format!("message number {i} with some padding text to fill pages"),
            state: GState::Live,
            read: true,
        });
    }
    let db = mmssms::render(&h, Profile::Modern);
    assert!(db.main.len() > 16 * 4096);
    // Random bytes (deterministic), the header alone, a truncated file, and a file whose pages
    // after the schema are overwritten.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let random: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let mut scribbled = db.main.clone();
    for (i, b) in scribbled.iter_mut().enumerate().skip(3 * 4096) {
        *b = (i as u8).wrapping_mul(31);
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("random", random),
        ("header only", db.main[..100].to_vec()),
        ("truncated", db.main[..db.main.len() / 2 + 123].to_vec()),
        ("scribbled", scribbled),
    ];
    for (what, bytes) in &cases {
        for p in PARSERS {
            let spec = by_name(p).unwrap();
            let r = (spec.parse)(&DbInput::new("/x", bytes));
            match (what, r) {
                (&"empty" | &"random", r) => {
                    assert!(matches!(r, Err(ParseError::NotSqlite(_))), "{what} {p}")
                }
                // Whatever a damaged file yields, it says so: an error, or a warning.
                (_, Ok(out)) => assert!(!out.warnings.is_empty(), "{what} {p}: silent"),
                (_, Err(_)) => {}
            }
        }
    }
}

#[test]
fn one_damaged_table_does_not_lose_the_others() {
    let mut h = Handset::new("EXH-10", Os::Android, Layout::Folder, &drama_mobile(301));
    for i in 0..40u64 {
        let peer = drama_mobile(500 + (i % 7) as u32);
        h.messages.push(GMessage {
            key: i,
            app: if i % 2 == 0 { GApp::Mms } else { GApp::Sms },
            ts_ms: 1_700_000_000_000 + i as i64 * 1000,
            outgoing: i % 3 == 0,
            peer_raw: uk_style(&peer, i as u32),
            peer,
            extra_recipients: vec![],
            group: None,
            body: format!("body {i}"),
            state: GState::Live,
            read: true,
        });
    }
    let mut db = mmssms::render(&h, Profile::Modern);
    let img = linesift_parsers::sqlite::DbImage::open(&db.main, None).unwrap();
    let root: i64 = img
        .conn()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'pdu'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(img);
    let start = (root as usize - 1) * 4096;
    db.main[start..start + 4096].fill(0xA5);
    let out = run("android.mmssms", &db).unwrap();
    assert_eq!(out.messages.len(), 20, "the SMS survive");
    assert!(out.messages.iter().all(|m| m.app == "sms"));
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.starts_with("table pdu unreadable")),
        "{:?}",
        out.warnings
    );
    // With the sms table damaged too, nothing is readable: an error, not an empty success.
    let img = linesift_parsers::sqlite::DbImage::open(&db.main, None).unwrap();
    let root: i64 = img
        .conn()
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sms'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(img);
    let start = (root as usize - 1) * 4096;
    db.main[start..start + 4096].fill(0xA5);
    assert!(matches!(
        run("android.mmssms", &db),
        Err(ParseError::Corrupt(_))
    ));
}
