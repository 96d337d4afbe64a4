//! A small iOS world shared by the generated-data tests.
#![allow(dead_code)]
use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::{ParseError, ParseOutput};
use linesift_testdata::archive::DeviceFile;
use linesift_testdata::world::*;

pub fn handset(records_owner: bool) -> Handset {
    let mut h = Handset::new("EXH-07", Os::Ios, Layout::Folder, &drama_mobile(100));
    h.records_owner = records_owner;
    let group = GGroup {
        id: "907".into(),
        name: "Lads 🚗".into(),
        members: vec![drama_mobile(301), drama_mobile(302), drama_mobile(303)],
    };
    let bodies = [
        "you about? need 2",
        "£20 each, 3 for 50 🚀",
        "",
        "ok 👍🏽 see you at the usual",
        "𝄞 non-BMP 𠜎 text",
        "New number, save this one. Same line, same quality. Open 10am till late. Text for menu.",
        "Long advert ........................................................................................................................................................................................................................................................................................ end",
        "wrong number?",
    ];
    let apps = [GApp::Sms, GApp::IMessage, GApp::Rcs, GApp::Mms];
    let mut key = 10u64;
    let mut ts = 1_700_000_000_123i64;
    for i in 0..16u32 {
        let peer = drama_mobile(200 + i % 5);
        let state = match i {
            5 | 11 => GState::WalOnly,
            8 => GState::Deleted,
            _ => GState::Live,
        };
        h.messages.push(GMessage {
            key,
            app: apps[(i % 4) as usize],
            ts_ms: ts,
            outgoing: i % 3 == 1,
            peer_raw: uk_style(&peer, i % 8),
            peer,
            extra_recipients: vec![],
            group: None,
            body: bodies[(i % 8) as usize].to_string(),
            state,
            read: i % 2 == 0,
        });
        key += 1;
        ts += 61_007 + i as i64 * 1_003;
    }
    for (i, sender) in [301u32, 302, 303, 0, 302].iter().enumerate() {
        let outgoing = *sender == 0;
        let peer = if outgoing {
            drama_mobile(301)
        } else {
            drama_mobile(*sender)
        };
        h.messages.push(GMessage {
            key,
            app: GApp::IMessage,
            ts_ms: ts,
            outgoing,
            peer_raw: uk_style(&peer, 1),
            peer,
            extra_recipients: vec![],
            group: Some(group.clone()),
            body: format!("group msg {i} 🎉"),
            state: if i == 4 {
                GState::WalOnly
            } else {
                GState::Live
            },
            read: true,
        });
        key += 1;
        ts += 3_333;
    }
    // Not in sms.db.
    h.messages.push(GMessage {
        key,
        app: GApp::WhatsApp,
        ts_ms: ts,
        outgoing: false,
        peer: drama_mobile(400),
        peer_raw: drama_mobile(400),
        extra_recipients: vec![],
        group: None,
        body: "whatsapp".into(),
        state: GState::Live,
        read: true,
    });
    h
}

pub fn file<'a>(files: &'a [DeviceFile], path: &str) -> Option<&'a [u8]> {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.bytes.as_slice())
}

/// Run the parser named `parser` on the database at `path` among `files` (with its -wal).
pub fn parse(
    parser: &str,
    files: &[DeviceFile],
    path: &str,
    with_wal: bool,
) -> Result<ParseOutput, ParseError> {
    let spec = by_name(parser).expect("spec registered");
    assert!(
        regex::Regex::new(spec.pattern).unwrap().is_match(path),
        "{parser} pattern must match {path}"
    );
    let main = file(files, path).expect("main file rendered");
    let wal_path = format!("{path}-wal");
    let wal = if with_wal {
        file(files, &wal_path)
    } else {
        None
    };
    let mut input = DbInput::new(path, main);
    input.wal = wal;
    (spec.parse)(&input)
}

/// A handset with contacts and calls (and the messages of [`handset`]).
pub fn handset_full() -> Handset {
    let mut h = handset(true);
    let labels = ["Mobile", "iPhone", "Work", "burner 2", "Home"];
    let names = [
        "Dave Smith",
        "Big Kev",
        "Lee",
        "Ann-Marie O'Neil",
        "Zoë 🚗 Jones",
        "No Numbers Here",
        "Wal Only",
        "Deleted Person",
    ];
    for (i, name) in names.iter().enumerate() {
        let i = i as u32;
        let mut numbers = Vec::new();
        if *name != "No Numbers Here" {
            let n = drama_mobile(500 + i);
            numbers.push((
                n.clone(),
                uk_style(&n, i),
                labels[(i % 5) as usize].to_string(),
            ));
            if i.is_multiple_of(3) {
                let l = drama_leeds(10 + i);
                numbers.push((l.clone(), uk_style(&l, i + 3), "Home".to_string()));
            }
        }
        let emails = if i == 1 || i == 5 {
            vec![format!("contact{i}@example.com")]
        } else {
            vec![]
        };
        h.contacts.push(GContact {
            name: name.to_string(),
            numbers,
            emails,
            state: match *name {
                "Wal Only" => GState::WalOnly,
                "Deleted Person" => GState::Deleted,
                _ => GState::Live,
            },
        });
    }
    // No numbers and no emails at all: a name-only row.
    h.contacts.push(GContact {
        name: "Just A Name".into(),
        numbers: vec![],
        emails: vec![],
        state: GState::Live,
    });
    let dirs = [
        GCallDir::Incoming,
        GCallDir::Outgoing,
        GCallDir::Missed,
        GCallDir::Rejected,
    ];
    let apps = [
        GApp::Sms,
        GApp::IMessage,
        GApp::WhatsApp,
        GApp::Sms,
        GApp::IMessage,
    ];
    let mut ts = 1_700_100_000_457i64;
    for i in 0..14u32 {
        let peer = if i % 4 == 3 {
            drama_london(100 + i)
        } else {
            drama_mobile(600 + i)
        };
        let direction = dirs[(i % 4) as usize];
        h.calls.push(GCall {
            app: apps[(i % 5) as usize],
            ts_ms: ts,
            duration_s: match direction {
                GCallDir::Missed | GCallDir::Rejected => 0,
                _ => 5 + i as i64 * 17,
            },
            direction,
            peer_raw: uk_style(&peer, i),
            peer,
            video: i % 2 == 1,
            state: match i {
                4 | 9 => GState::WalOnly,
                6 => GState::Deleted,
                _ => GState::Live,
            },
        });
        ts += 3_600_123 + i as i64;
    }
    h
}
