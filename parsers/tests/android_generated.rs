//! Android parsers against generated handsets: every schema generation of every renderer is
//! parsed through the registry (the path rule picks the parser) and each parsed field is compared
//! with the world.
use std::collections::BTreeMap;

use linesift_parsers::registry::{path_patterns, registry, DbInput};
use linesift_parsers::{Attachment, Direction, Message, ParseError, ParseOutput, RecordState};
use linesift_testdata::archive::DeviceFile;
use linesift_testdata::render::android::{
    self, bugle, calllog, contacts, mms_image_name, mmssms, Profile,
};
use linesift_testdata::world::*;

const T0: i64 = 1_700_000_000_000;

#[allow(clippy::too_many_arguments)]
fn msg(
    key: u64,
    app: GApp,
    ts_ms: i64,
    outgoing: bool,
    peer: &str,
    style: u32,
    body: &str,
    state: GState,
) -> GMessage {
    GMessage {
        key,
        app,
        ts_ms,
        outgoing,
        peer: peer.to_string(),
        peer_raw: if peer.starts_with('+') {
            uk_style(peer, style)
        } else {
            peer.to_string()
        },
        extra_recipients: Vec::new(),
        group: None,
        body: body.to_string(),
        state,
        read: !key.is_multiple_of(3),
    }
}

fn handset(records_owner: bool) -> Handset {
    let mut h = Handset::new("EXH-01", Os::Android, Layout::Folder, &drama_mobile(100));
    h.owner_numbers.push(drama_mobile(101));
    h.records_owner = records_owner;
    let (a, b, c, d, e, f, g, k) = (
        drama_mobile(201),
        drama_mobile(202),
        drama_mobile(203),
        drama_mobile(204),
        drama_mobile(205),
        drama_mobile(206),
        drama_mobile(207),
        drama_mobile(208),
    );
    h.contacts = vec![
        GContact {
            name: "Alice Example".into(),
            numbers: vec![(a.clone(), uk_style(&a, 1), "Mobile".into())],
            emails: vec!["alice@example.com".into()],
            state: GState::Live,
        },
        GContact {
            name: "Bob Test".into(),
            numbers: vec![
                (drama_leeds(5), uk_style(&drama_leeds(5), 4), "Home".into()),
                (b.clone(), uk_style(&b, 7), "Burner".into()),
            ],
            emails: vec![],
            state: GState::Live,
        },
        GContact {
            name: "Carol Gone".into(),
            numbers: vec![(c.clone(), uk_style(&c, 2), "Mobile".into())],
            emails: vec![],
            state: GState::Deleted,
        },
        GContact {
            name: "Dåve Wål 😀".into(),
            numbers: vec![(
                drama_london(7),
                uk_style(&drama_london(7), 6),
                "Work".into(),
            )],
            emails: vec![],
            state: GState::WalOnly,
        },
    ];
    let lads = GGroup {
        id: "g1".into(),
        name: "Lads".into(),
        members: vec![a.clone(), b.clone(), e.clone()],
    };
    let crew = GGroup {
        id: "g2".into(),
        name: "Crew 🔥".into(),
        members: vec![e.clone(), k.clone()],
    };
    let mut m = vec![
        msg(
            1,
            GApp::Sms,
            T0 + 123,
            false,
            &a,
            2,
            "Hi there",
            GState::Live,
        ),
        msg(
            2,
            GApp::Sms,
            T0 + 60_456,
            true,
            &a,
            0,
            "On my way 🚗 café – ok?",
            GState::Live,
        ),
        msg(
            3,
            GApp::Sms,
            T0 + 120_789,
            false,
            &b,
            3,
            "wal only text",
            GState::WalOnly,
        ),
        msg(
            4,
            GApp::Sms,
            T0 + 180_001,
            true,
            &d,
            5,
            "deleted sms",
            GState::Deleted,
        ),
        msg(
            5,
            GApp::Mms,
            T0 + 240_000,
            true,
            &a,
            2,
            "group pic 📷",
            GState::Live,
        ),
        msg(
            6,
            GApp::Mms,
            T0 + 300_000,
            false,
            &b,
            7,
            "nice one",
            GState::Live,
        ),
        msg(
            7,
            GApp::Mms,
            T0 + 360_000,
            false,
            &f,
            1,
            "wal mms with pic",
            GState::WalOnly,
        ),
        msg(
            8,
            GApp::Rcs,
            T0 + 420_321,
            true,
            &a,
            2,
            "rcs out",
            GState::Live,
        ),
        msg(
            9,
            GApp::Rcs,
            T0 + 480_654,
            false,
            &g,
            6,
            "rcs wal in",
            GState::WalOnly,
        ),
        msg(
            10,
            GApp::Rcs,
            T0 + 540_987,
            false,
            &e,
            4,
            "crew msg ✅",
            GState::Live,
        ),
        msg(
            11,
            GApp::Rcs,
            T0 + 600_111,
            true,
            &g,
            6,
            "rcs deleted",
            GState::Deleted,
        ),
        msg(
            12,
            GApp::Sms,
            T0 + 660_222,
            false,
            "PARCELCO",
            0,
            "Your parcel is due today",
            GState::Live,
        ),
        msg(
            13,
            GApp::Mms,
            T0 + 720_000,
            false,
            &d,
            5,
            "deleted mms",
            GState::Deleted,
        ),
    ];
    m[4].group = Some(lads.clone());
    m[5].group = Some(lads);
    m[9].group = Some(crew);
    h.messages = m;
    let call =
        |ts: i64, dur: i64, dir: GCallDir, peer: &str, style: u32, video: bool, state| GCall {
            app: GApp::Sms,
            ts_ms: ts,
            duration_s: dur,
            direction: dir,
            peer: peer.to_string(),
            peer_raw: uk_style(peer, style),
            video,
            state,
        };
    h.calls = vec![
        call(
            T0 + 1_000_001,
            61,
            GCallDir::Incoming,
            &a,
            1,
            false,
            GState::Live,
        ),
        call(
            T0 + 2_000_002,
            30,
            GCallDir::Outgoing,
            &b,
            4,
            true,
            GState::Live,
        ),
        call(
            T0 + 3_000_003,
            0,
            GCallDir::Missed,
            &e,
            2,
            false,
            GState::WalOnly,
        ),
        call(
            T0 + 4_000_004,
            0,
            GCallDir::Rejected,
            &f,
            0,
            false,
            GState::Deleted,
        ),
        call(
            T0 + 5_000_005,
            12,
            GCallDir::Outgoing,
            &drama_leeds(5),
            3,
            false,
            GState::Live,
        ),
    ];
    h
}

/// Parse a device file (with its -wal) through the parser whose path rule matches it.
fn parse(files: &[DeviceFile], path: &str) -> (&'static str, Result<ParseOutput, ParseError>) {
    let main = &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no file {path}"))
        .bytes;
    let wal_path = format!("{path}-wal");
    let wal = files
        .iter()
        .find(|f| f.path == wal_path)
        .map(|f| &f.bytes[..]);
    let set = regex::RegexSet::new(path_patterns()).unwrap();
    let hits: Vec<usize> = set.matches(path).into_iter().collect();
    assert_eq!(
        hits.len(),
        1,
        "exactly one parser should claim {path}: {hits:?}"
    );
    let spec = registry()[hits[0]];
    let mut input = DbInput::new(path, main);
    input.wal = wal;
    (spec.parser, (spec.parse)(&input))
}

fn state(s: GState) -> RecordState {
    match s {
        GState::Live => RecordState::Live,
        GState::WalOnly => RecordState::WalOnly,
        GState::Deleted => panic!("deleted records are not expected live"),
    }
}

fn dir(outgoing: bool) -> Direction {
    if outgoing {
        Direction::Outgoing
    } else {
        Direction::Incoming
    }
}

/// Conversation key of a world message (group id, or the sorted peer set).
fn conv_key(m: &GMessage) -> String {
    match &m.group {
        Some(g) => format!("group:{}", g.id),
        None => {
            let mut v = vec![m.peer.clone()];
            v.extend(m.extra_recipients.iter().cloned());
            v.sort();
            v.join(",")
        }
    }
}

/// Messages that share a conversation share a thread id, and only they do.
fn check_threads(pairs: &[(&GMessage, &Message)]) {
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    let mut by_thread: BTreeMap<String, String> = BTreeMap::new();
    for (w, p) in pairs {
        let t = p.thread_id.clone().expect("thread id");
        let k = conv_key(w);
        assert_eq!(by_key.entry(k.clone()).or_insert(t.clone()), &t, "key {k}");
        assert_eq!(
            by_thread.entry(t.clone()).or_insert(k.clone()),
            &k,
            "thread {t}"
        );
    }
}

fn check_mmssms(h: &Handset, p: Profile, out: &ParseOutput) {
    let live = |app| {
        h.messages
            .iter()
            .filter(move |m| m.app == app && m.state != GState::Deleted)
    };
    let expected: Vec<&GMessage> = live(GApp::Sms).chain(live(GApp::Mms)).collect();
    assert_eq!(
        out.messages.len(),
        expected.len(),
        "{p:?}: {:#?}",
        out.messages
    );
    let mut pairs = Vec::new();
    for (w, m) in expected.iter().zip(&out.messages) {
        let ctx = format!("{p:?} key {}", w.key);
        assert_eq!(m.origin.state, state(w.state), "{ctx}");
        assert_eq!(m.direction, dir(w.outgoing), "{ctx}");
        assert_eq!(m.body.as_deref(), Some(w.body.as_str()), "{ctx}");
        assert_eq!(m.body_raw_hex, None, "{ctx}");
        assert_eq!(m.read, Some(w.read), "{ctx}");
        assert!(m.flags.is_empty(), "{ctx}: {:?}", m.flags);
        if w.app == GApp::Sms {
            assert_eq!((m.app, m.service.as_deref()), ("sms", Some("SMS")), "{ctx}");
            assert_eq!(m.origin.table, "sms");
            assert_eq!(m.timestamp_ms, Some(w.ts_ms), "{ctx}");
            assert!(m.attachments.is_empty());
            if w.outgoing {
                assert_eq!(m.sender_raw, None, "{ctx}");
                assert_eq!(m.recipients_raw, vec![w.peer_raw.clone()], "{ctx}");
            } else {
                assert_eq!(m.sender_raw.as_deref(), Some(w.peer_raw.as_str()), "{ctx}");
                assert!(m.recipients_raw.is_empty(), "{ctx}");
            }
        } else {
            assert_eq!((m.app, m.service.as_deref()), ("mms", Some("MMS")), "{ctx}");
            assert_eq!(m.origin.table, "pdu");
            assert_eq!(m.timestamp_ms, Some(w.ts_ms / 1000 * 1000), "{ctx}");
            let att: Vec<Attachment> = mms_image_name(w)
                .map(|n| Attachment {
                    kind: Some("image/jpeg".into()),
                    file_name: Some(n),
                    size: None,
                    caption: None,
                })
                .into_iter()
                .collect();
            assert_eq!(m.attachments, att, "{ctx}");
            if w.outgoing {
                assert_eq!(m.sender_raw, None, "{ctx}");
                assert_eq!(m.recipients_raw, mmssms::outgoing_recipients(w), "{ctx}");
            } else {
                assert_eq!(m.sender_raw.as_deref(), Some(w.peer_raw.as_str()), "{ctx}");
                let mut to: Vec<String> = Vec::new();
                if h.records_owner {
                    to.push(h.owner().to_string());
                }
                if let Some(g) = &w.group {
                    to.extend(g.members.iter().filter(|x| **x != w.peer).cloned());
                }
                assert_eq!(m.recipients_raw, to, "{ctx}");
            }
        }
        pairs.push((*w, m));
    }
    check_threads(&pairs);
    let group_threads: Vec<&String> = pairs
        .iter()
        .filter(|(w, _)| w.group.is_some())
        .filter_map(|(_, m)| m.thread_id.as_ref())
        .collect();
    assert_eq!(group_threads.len(), 2);
    assert_eq!(
        group_threads[0], group_threads[1],
        "group MMS share a thread"
    );
    // Rowid order within each table.
    for t in ["sms", "pdu"] {
        let ids: Vec<i64> = out
            .messages
            .iter()
            .filter(|m| m.origin.table == t)
            .map(|m| m.origin.rowid.unwrap())
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{t}: {ids:?}");
    }
    // Every layout has the columns the parser reads; sent MMS use the self token, so no owner.
    assert!(out.warnings.is_empty(), "{p:?}: {:?}", out.warnings);
    assert!(out.owners.is_empty());
}

fn check_bugle(h: &Handset, p: Profile, out: &ParseOutput) {
    let all = bugle::messages(h, p);
    // First stored form of each number (peer first, then the other members), as the app keeps
    // one participant per number.
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for m in &all {
        first.entry(m.peer.clone()).or_insert(m.peer_raw.clone());
        if let Some(g) = &m.group {
            for x in &g.members {
                first.entry(x.clone()).or_insert(x.clone());
            }
        }
    }
    let expected: Vec<&&GMessage> = all.iter().filter(|m| m.state != GState::Deleted).collect();
    assert_eq!(out.messages.len(), expected.len(), "{p:?}");
    let owner = h.records_owner.then(|| h.owner().to_string());
    let mut pairs = Vec::new();
    for (w, m) in expected.iter().zip(&out.messages) {
        let ctx = format!("bugle {p:?} key {}", w.key);
        let app = match w.app {
            GApp::Sms => "sms",
            GApp::Mms => "mms",
            _ => "rcs",
        };
        assert_eq!(m.app, app, "{ctx}");
        assert_eq!(m.origin.table, "messages");
        assert_eq!(m.origin.state, state(w.state), "{ctx}");
        assert_eq!(m.direction, dir(w.outgoing), "{ctx}");
        assert_eq!(m.timestamp_ms, Some(w.ts_ms), "{ctx}");
        assert_eq!(m.body.as_deref(), Some(w.body.as_str()), "{ctx}");
        assert_eq!(m.read, Some(w.read), "{ctx}");
        assert_eq!(
            m.thread_name.as_deref(),
            w.group.as_ref().map(|g| g.name.as_str()),
            "{ctx}"
        );
        let members: Vec<String> = match &w.group {
            Some(g) => g.members.iter().map(|x| first[x].clone()).collect(),
            None => vec![first[&w.peer].clone()],
        };
        if w.outgoing {
            assert_eq!(m.sender_raw, owner, "{ctx}");
            assert_eq!(m.recipients_raw, members, "{ctx}");
        } else {
            // Google Messages keeps the sender's address on the message itself; the AOSP app
            // only has the participant (first stored form).
            let want = if p == Profile::Legacy {
                &first[&w.peer]
            } else {
                &w.peer_raw
            };
            assert_eq!(m.sender_raw.as_ref(), Some(want), "{ctx}");
            assert_eq!(
                m.recipients_raw,
                owner.clone().into_iter().collect::<Vec<_>>(),
                "{ctx}"
            );
        }
        let kinds: Vec<Option<&str>> = m.attachments.iter().map(|a| a.kind.as_deref()).collect();
        let want: Vec<Option<&str>> = mms_image_name(w)
            .map(|_| Some("image/jpeg"))
            .into_iter()
            .collect();
        assert_eq!(kinds, want, "{ctx}");
        pairs.push((**w, m));
    }
    check_threads(&pairs);
    let owners: Vec<(&str, &str)> = out
        .owners
        .iter()
        .map(|o| (o.number_raw.as_str(), o.origin.table.as_str()))
        .collect();
    let mut want = Vec::new();
    if let Some(o) = owner.as_deref() {
        want.push((o, "participants"));
        let rcs_in = expected.iter().any(|m| m.app == GApp::Rcs && !m.outgoing);
        if p != Profile::Legacy && rcs_in {
            want.push((o, "messages"));
        }
    }
    assert_eq!(owners, want, "{p:?}");
}

fn check_contacts(h: &Handset, p: Profile, out: &ParseOutput) {
    let mut exp = Vec::new();
    for (i, c) in h.contacts.iter().enumerate() {
        if c.state == GState::Deleted {
            continue;
        }
        let acct = contacts::account_of(i).map(|(n, t)| format!("{n} ({t})"));
        for (_, stored, label) in &c.numbers {
            exp.push((c, "phone", stored.clone(), label.clone(), acct.clone(), i));
        }
        for e in &c.emails {
            exp.push((c, "email", e.clone(), "Home".to_string(), acct.clone(), i));
        }
    }
    assert_eq!(out.contacts.len(), exp.len(), "{p:?}: {:#?}", out.contacts);
    for ((c, kind, number, label, acct, i), got) in exp.iter().zip(&out.contacts) {
        let ctx = format!("{p:?} contact {}", c.name);
        assert_eq!(got.app, "android_contacts");
        assert_eq!(got.origin.table, "data");
        assert_eq!(got.origin.state, state(c.state), "{ctx}");
        assert_eq!(got.display_name.as_deref(), Some(c.name.as_str()), "{ctx}");
        assert_eq!(got.value_kind, *kind, "{ctx}");
        assert_eq!(got.number_raw.as_ref(), Some(number), "{ctx}");
        assert_eq!(got.label.as_ref(), Some(label), "{ctx}");
        assert_eq!(&got.account, acct, "{ctx}");
        assert_eq!(got.contact_key, Some((i + 1).to_string()), "{ctx}");
    }
}

/// `with_account`: calllog.db (false: the legacy contacts2.db table, no phone_account_address
/// or features column).
fn check_calls(h: &Handset, out: &ParseOutput, app: &str, with_account: bool) {
    let exp: Vec<&GCall> = calllog::calls(h)
        .into_iter()
        .filter(|c| c.state != GState::Deleted)
        .collect();
    let got: Vec<_> = out.calls.iter().filter(|c| c.app == app).collect();
    assert_eq!(got.len(), exp.len(), "{app}");
    let acct = (with_account && h.records_owner).then(|| h.owner().to_string());
    for (w, c) in exp.iter().zip(got) {
        let ctx = format!("{app} call at {}", w.ts_ms);
        assert_eq!(c.origin.state, state(w.state), "{ctx}");
        assert_eq!(c.timestamp_ms, Some(w.ts_ms), "{ctx}");
        assert_eq!(c.duration_s, Some(w.duration_s), "{ctx}");
        assert_eq!(c.number_raw.as_ref(), Some(&w.peer_raw), "{ctx}");
        assert_eq!(c.name.as_deref(), calllog::saved_name(h, &w.peer), "{ctx}");
        assert_eq!(
            c.type_raw,
            Some(calllog::call_type(w.direction).to_string()),
            "{ctx}"
        );
        let d = match w.direction {
            GCallDir::Incoming => Direction::Incoming,
            GCallDir::Outgoing => Direction::Outgoing,
            GCallDir::Missed => Direction::Missed,
            GCallDir::Rejected => Direction::Rejected,
        };
        assert_eq!(c.direction, d, "{ctx}");
        if app != "samsung_logs" {
            // The legacy calls table has no `features` column: no call can be told as video.
            assert_eq!(c.video, w.video && with_account, "{ctx}");
            assert_eq!(c.account, acct, "{ctx}");
        }
    }
}

fn run_handset(h: &Handset) {
    for generation in 0..3 {
        let p = Profile::of(generation);
        let files = android::files(h, generation);
        // mmssms
        let (name, r) = parse(&files, &android::mmssms_path(p));
        assert_eq!(name, "android.mmssms");
        check_mmssms(h, p, &r.unwrap());
        // bugle
        let (name, r) = parse(&files, &bugle::path(p));
        assert_eq!(name, "android.bugle");
        let out = r.unwrap();
        check_bugle(h, p, &out);
        assert!(out.warnings.is_empty(), "bugle {p:?}: {:?}", out.warnings);
        // contacts2 (+ legacy calls)
        let (name, r) = parse(&files, &android::contacts2_path(p));
        assert_eq!(name, "android.contacts2");
        let c2 = files
            .iter()
            .find(|f| f.path == android::contacts2_path(p))
            .unwrap();
        assert!(
            c2.bytes.windows(17).any(|w| w == b"COLLATE PHONEBOOK"),
            "the schema carries Android's collation"
        );
        let out = r.unwrap();
        check_contacts(h, p, &out);
        if p == Profile::Legacy {
            check_calls(h, &out, "android_calllog", false);
            // The 4.x calls table has no features / phone_account_address: said, not hidden.
            let w: Vec<&str> = out.warnings.iter().map(|w| w.message.as_str()).collect();
            assert_eq!(
                w,
                vec![
                    "table calls: column features missing, treated as NULL",
                    "table calls: column phone_account_address missing, treated as NULL"
                ]
            );
            assert!(out.owners.is_empty());
            assert!(!files.iter().any(|f| f.path.ends_with("calllog.db")));
        } else {
            assert!(out.calls.is_empty());
            assert!(
                out.warnings.is_empty(),
                "contacts2 {p:?}: {:?}",
                out.warnings
            );
            let (name, r) = parse(&files, &android::calllog_path(p));
            assert_eq!(name, "android.calllog");
            let out = r.unwrap();
            check_calls(h, &out, "android_calllog", true);
            assert!(out.warnings.is_empty(), "calllog {p:?}: {:?}", out.warnings);
            let owners: Vec<(&str, &str)> = out
                .owners
                .iter()
                .map(|o| (o.number_raw.as_str(), o.how.as_str()))
                .collect();
            if h.records_owner {
                assert_eq!(
                    owners,
                    vec![(h.owner(), "calllog.db calls.phone_account_address")]
                );
            } else {
                assert!(owners.is_empty());
            }
        }
        // Samsung logs
        let logs = android::samsung_logs_path(p);
        if p == Profile::Samsung {
            let (name, r) = parse(&files, &logs);
            assert_eq!(name, "android.samsung_logs");
            let out = r.unwrap();
            check_calls(h, &out, "samsung_logs", false);
            assert!(out.warnings.is_empty(), "logs: {:?}", out.warnings);
            let exp: Vec<&GMessage> = h
                .messages
                .iter()
                .filter(|m| matches!(m.app, GApp::Sms | GApp::Mms) && m.state != GState::Deleted)
                .collect();
            assert_eq!(out.messages.len(), exp.len());
            for (w, m) in exp.iter().zip(&out.messages) {
                assert_eq!(m.app, if w.app == GApp::Mms { "mms" } else { "sms" });
                assert_eq!(m.direction, dir(w.outgoing));
                assert_eq!(m.timestamp_ms, Some(w.ts_ms));
                assert_eq!(m.body.as_deref(), Some(w.body.as_str()));
                assert_eq!(m.origin.state, state(w.state));
                assert_eq!(m.flags, vec!["log_copy".to_string()]);
                if w.outgoing {
                    assert_eq!(m.recipients_raw, vec![w.peer_raw.clone()]);
                } else {
                    assert_eq!(m.sender_raw.as_ref(), Some(&w.peer_raw));
                }
            }
        } else {
            assert!(!files.iter().any(|f| f.path == logs));
        }
        // telephony siminfo
        let (name, r) = parse(&files, &android::telephony_path(p));
        assert_eq!(name, "android.telephony");
        let out = r.unwrap();
        let got: Vec<(&str, &str)> = out
            .owners
            .iter()
            .map(|o| (o.number_raw.as_str(), o.how.as_str()))
            .collect();
        if h.records_owner {
            assert_eq!(got.len(), h.owner_numbers.len(), "{p:?}: {got:?}");
            for (i, (n, how)) in got.iter().enumerate() {
                let e164 = &h.owner_numbers[i];
                let (want, col) = match p {
                    Profile::Modern => (e164.clone(), "siminfo.number"),
                    Profile::Legacy => (uk_style(e164, 2), "siminfo.number"),
                    Profile::Samsung => (e164.clone(), "siminfo.phone_number_source_carrier"),
                };
                assert_eq!(*n, want);
                assert!(how.starts_with(&format!("telephony.db {col}")), "{how}");
                assert!(how.contains(&format!("slot {i}")), "{how}");
            }
        } else {
            assert!(got.is_empty());
            assert!(out
                .warnings
                .iter()
                .any(|w| w.message.contains("no SIM records")));
        }
    }
}

#[test]
fn generated_handset_every_generation() {
    run_handset(&handset(true));
}

#[test]
fn generated_handset_that_does_not_record_its_number() {
    run_handset(&handset(false));
}

#[test]
fn handset_files_renders_android_databases_at_device_paths() {
    let h = handset(true);
    for generation in 0..3 {
        let p = Profile::of(generation);
        let files = linesift_testdata::render::handset_files(&h, generation);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let mut want = vec![
            android::mmssms_path(p),
            bugle::path(p),
            android::contacts2_path(p),
        ];
        if p != Profile::Legacy {
            want.push(android::calllog_path(p));
        }
        if p == Profile::Samsung {
            want.push(android::samsung_logs_path(p));
        }
        want.push(android::telephony_path(p));
        for w in &want {
            assert!(
                paths.contains(&w.as_str()),
                "{p:?}: {w} missing from {paths:?}"
            );
        }
        // WAL companions exist exactly for the databases with WAL-only records.
        for f in files.iter().filter(|f| f.path.ends_with("-wal")) {
            assert!(
                want.iter().any(|w| format!("{w}-wal") == f.path),
                "{}",
                f.path
            );
        }
        assert!(paths.contains(&format!("{}-wal", android::mmssms_path(p)).as_str()));
        assert!(!paths.contains(&format!("{}-wal", android::telephony_path(p)).as_str()));
        // Every file is claimed by exactly one Android parser.
        let set = regex::RegexSet::new(path_patterns()).unwrap();
        for w in &want {
            assert_eq!(set.matches(w).into_iter().count(), 1, "{w}");
        }
    }
    let mut ios = h.clone();
    ios.os = Os::Ios;
    assert!(linesift_testdata::render::handset_files(&ios, 0)
        .iter()
        .all(|f| !f.path.contains("com.android")));
}
