//! The whole pipeline over generated extractions in every layout (Cellebrite Android and iOS
//! zips, Magnet-style zip, tar, tar.gz, folder) and several schema generations: what was generated
//! must come out, with the right state and provenance.
mod common;

use common::*;
use linesift_testdata::archive::write_world;
use linesift_testdata::world::*;
use std::collections::BTreeMap;

/// A one-to-one message; the peer is stored in style `key % 8` (WhatsApp stores JIDs: style 0).
fn msg(
    key: u64,
    app: GApp,
    ts_ms: i64,
    outgoing: bool,
    peer: &str,
    body: &str,
    state: GState,
) -> GMessage {
    let style = if app == GApp::WhatsApp {
        0
    } else {
        key as u32 % 8
    };
    GMessage {
        key,
        app,
        ts_ms,
        outgoing,
        peer: peer.to_string(),
        peer_raw: uk_style(peer, style),
        extra_recipients: Vec::new(),
        group: None,
        body: body.to_string(),
        state,
        read: true,
    }
}

fn handset(i: u32, os: Os, layout: Layout) -> Handset {
    let owner = drama_mobile(100 + i);
    let mut h = Handset::new(&format!("EXH-{i:02}"), os, layout, &owner);
    // Android 4.x (generation 2 of the renderers) has no RCS.
    let apps: &[GApp] = match os {
        Os::Android if i.is_multiple_of(3) => &[GApp::Sms, GApp::Mms, GApp::WhatsApp],
        Os::Android => &[GApp::Sms, GApp::Rcs, GApp::WhatsApp],
        Os::Ios => &[GApp::Sms, GApp::IMessage, GApp::WhatsApp],
    };
    let base = 1_709_294_400_000i64 + i as i64 * 86_400_000;
    for k in 0..12u64 {
        let app = apps[(k % apps.len() as u64) as usize];
        let peer = drama_mobile(200 + (k as u32 % 4));
        let state = if k >= 10 {
            GState::WalOnly
        } else {
            GState::Live
        };
        let body = format!("exhibit {i} message {k} ✓ “quoted” £20");
        h.messages.push(msg(
            i as u64 * 1000 + k,
            app,
            base + k as i64 * 60_123,
            k % 3 == 0,
            &peer,
            &body,
            state,
        ));
    }
    h.contacts.push(GContact {
        name: format!("Contact of {i}"),
        numbers: vec![(
            drama_mobile(200),
            uk_style(&drama_mobile(200), 1),
            "Mobile".into(),
        )],
        emails: vec![],
        state: GState::Live,
    });
    h.calls.push(GCall {
        app: GApp::Sms,
        ts_ms: base + 3_600_000,
        duration_s: 42,
        direction: GCallDir::Outgoing,
        peer: drama_mobile(201),
        peer_raw: uk_style(&drama_mobile(201), 2),
        video: false,
        state: GState::Live,
    });
    h
}

#[test]
fn every_layout_and_generation_comes_out_whole() {
    let t = tmp();
    let world = World {
        handsets: vec![
            handset(1, Os::Android, Layout::CellebriteAndroidZip),
            handset(2, Os::Ios, Layout::CellebriteIosZip),
            handset(3, Os::Android, Layout::MagnetZip),
            handset(4, Os::Ios, Layout::Tar),
            handset(5, Os::Android, Layout::TarGz),
            handset(6, Os::Ios, Layout::Folder),
        ],
    };
    // Handset i (0-based) renders generation i: Android 0 modern, 2 legacy (4.x), 4 Samsung.
    let exhibits = write_world(&world, &t.path().join("ex"), |i| i as u32).unwrap();
    if let Ok(keep) = std::env::var("LINESIFT_KEEP_WORLD") {
        write_world(&world, std::path::Path::new(&keep), |i| i as u32).unwrap();
    }
    let out = t.path().join("case");
    let mut args: Vec<String> = vec!["process".into()];
    args.extend(exhibits.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string(), "-q".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = linesift(&refs);
    assert!(code(&o) <= 1, "{}", stderr(&o));

    let m = read_json(&out.join("manifest.json"));
    let rows = std::fs::read_to_string(out.join("jsonl/messages.jsonl")).unwrap();
    let msgs: Vec<serde_json::Value> = rows
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ex_ids: Vec<String> = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["exhibit_id"].as_str().unwrap().to_string())
        .collect();
    for (hi, h) in world.handsets.iter().enumerate() {
        let mine: Vec<&serde_json::Value> = msgs
            .iter()
            .filter(|r| r["exhibit_id"] == ex_ids[hi].as_str())
            .collect();
        // Current records, each event once (an app's copy of an SMS carries duplicate_of).
        let live: Vec<&serde_json::Value> = mine
            .iter()
            .copied()
            .filter(|r| {
                (r["record_state"] == "live" || r["record_state"] == "wal_only")
                    && r["duplicate_of"].is_null()
            })
            .collect();
        assert_eq!(
            live.len(),
            h.messages.len(),
            "{}: {:?}",
            h.label,
            m["exhibits"][hi]
        );
        // The WhatsApp renderer marks some messages deleted-for-everyone (its documented rule by
        // key): those keep no text, only the flag.
        let revoked = |g: &GMessage| {
            g.app == GApp::WhatsApp
                && linesift_testdata::render::whatsapp::extras(g, h.os, hi as u32).revoked
        };
        let mut want: Vec<&str> = h
            .messages
            .iter()
            .map(|g| if revoked(g) { "" } else { g.body.as_str() })
            .collect();
        let mut got: Vec<&str> = live
            .iter()
            .map(|r| r["body"].as_str().unwrap_or(""))
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{}", h.label);
        let wal_want = h
            .messages
            .iter()
            .filter(|g| g.state == GState::WalOnly)
            .count();
        let wal_got = live
            .iter()
            .filter(|r| r["record_state"] == "wal_only")
            .count();
        assert_eq!(wal_got, wal_want, "{}: wal_only records", h.label);
        // Directions and timestamps to the millisecond, matched by body.
        let by_body: BTreeMap<&str, &GMessage> =
            h.messages.iter().map(|g| (g.body.as_str(), g)).collect();
        for r in &live {
            let Some(g) = r["body"].as_str().map(|b| by_body[b]) else {
                assert!(r["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "deleted_for_everyone"));
                continue;
            };
            let dir = if g.outgoing { "outgoing" } else { "incoming" };
            assert_eq!(r["direction"], dir, "{}: {}", h.label, g.body);
            // Exact to the millisecond, or to the second where the store keeps whole seconds
            // (older iOS sms.db, MMS pdu dates).
            let got = r["timestamp_utc"].as_str().unwrap();
            let exact = linesift_parsers::iso_utc_ms(g.ts_ms);
            let secs = linesift_parsers::iso_utc_ms(g.ts_ms / 1000 * 1000);
            assert!(
                got == exact || got == secs,
                "{}: {}: {got} vs {exact}",
                h.label,
                g.body
            );
            // Provenance: the artifact is in the manifest with the same SHA-256.
            let art = m["artifacts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["path"] == r["artifact_path"] && a["exhibit_id"] == r["exhibit_id"])
                .unwrap();
            assert_eq!(art["sha256"], r["artifact_sha256"]);
            assert!(r["source_table"].as_str().is_some_and(|s| !s.is_empty()));
        }
        let calls = std::fs::read_to_string(out.join("jsonl/calls.jsonl")).unwrap();
        let n_calls = calls
            .lines()
            .filter(|l| l.contains(ex_ids[hi].as_str()) && l.contains("\"duration_s\":42"))
            .count();
        assert!(n_calls >= 1, "{}: the cellular call", h.label);
    }
}

fn run_case(
    exhibits: &[std::path::PathBuf],
    out: &std::path::Path,
    threads: &str,
    tz: &str,
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_linesift"));
    cmd.arg("process")
        .args(exhibits)
        .arg("-o")
        .arg(out)
        .args(["-q", "--threads", threads]);
    cmd.env("TZ", tz).output().unwrap()
}

#[test]
fn outputs_do_not_depend_on_time_zone_or_thread_count() {
    let t = tmp();
    let world = World {
        handsets: vec![
            handset(1, Os::Android, Layout::CellebriteAndroidZip),
            handset(2, Os::Ios, Layout::TarGz),
            handset(4, Os::Android, Layout::Folder),
        ],
    };
    let exhibits = write_world(&world, &t.path().join("ex"), |i| i as u32).unwrap();
    let a = t.path().join("utc");
    let b = t.path().join("ny");
    assert!(code(&run_case(&exhibits, &a, "1", "UTC")) <= 1);
    assert!(code(&run_case(&exhibits, &b, "2", "America/New_York")) <= 1);
    let (ca, cb) = (comparable(&a), comparable(&b));
    assert!(
        ca.iter()
            .any(|(n, b)| n == "csv/messages.csv" && b.len() > 1000),
        "messages were parsed"
    );
    assert_eq!(ca.len(), cb.len());
    for ((na, ba), (nb, bb)) in ca.iter().zip(&cb) {
        assert_eq!(na, nb);
        assert!(
            ba == bb,
            "{na} differs between TZ=UTC/1 thread and TZ=America/New_York/2 threads"
        );
    }
}

#[test]
fn a_handset_whose_databases_are_all_damaged_still_yields_an_explained_case() {
    let t = tmp();
    let good = handset(1, Os::Android, Layout::CellebriteAndroidZip);
    let files = linesift_testdata::render::handset_files(&good, 0);
    // Every database damaged: truncated mid-page, zeroed header, random bytes, empty.
    let damaged: Vec<linesift_testdata::archive::DeviceFile> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut b = f.bytes.clone();
            match i % 4 {
                0 => b.truncate(b.len() / 3 + 7),
                1 => b[..100].fill(0),
                2 => b
                    .iter_mut()
                    .enumerate()
                    .for_each(|(j, x)| *x = (j * 131 % 251) as u8),
                _ => b.clear(),
            }
            linesift_testdata::archive::DeviceFile::new(f.path.clone(), b)
        })
        .collect();
    let bad = t.path().join("BAD.zip");
    linesift_testdata::archive::write(Layout::CellebriteAndroidZip, &damaged, &bad).unwrap();
    let goodp = write_world(
        &World {
            handsets: vec![good.clone()],
        },
        &t.path().join("ok"),
        |_| 0,
    )
    .unwrap();
    let out = t.path().join("case");
    let o = run_case(&[bad, goodp[0].clone()], &out, "2", "UTC");
    assert_eq!(code(&o), 1, "done with warnings: {}", stderr(&o));
    let m = read_json(&out.join("manifest.json"));
    let arts = m["artifacts"].as_array().unwrap();
    let bad_id = m["exhibits"][0]["exhibit_id"].as_str().unwrap();
    let bad_arts: Vec<&serde_json::Value> =
        arts.iter().filter(|a| a["exhibit_id"] == bad_id).collect();
    assert!(!bad_arts.is_empty());
    for a in &bad_arts {
        assert_ne!(a["status"], "parsed", "{a}");
        assert!(
            !a["detail"].as_str().unwrap_or("").is_empty() || a["status"] == "parsed_with_warnings",
            "{a}"
        );
    }
    let problems = std::fs::read_to_string(out.join("csv/problems.csv")).unwrap();
    for a in &bad_arts {
        assert!(
            problems.contains(a["path"].as_str().unwrap()),
            "problem rows name {}",
            a["path"]
        );
    }
    // The good exhibit is complete.
    let msgs = std::fs::read_to_string(out.join("jsonl/messages.jsonl")).unwrap();
    let good_id = m["exhibits"][1]["exhibit_id"].as_str().unwrap();
    assert_eq!(
        msgs.lines().filter(|l| l.contains(good_id)).count(),
        good.messages.len()
    );
}

#[test]
fn whatsapp_ios_lid_chats_show_phone_numbers_through_lid_sqlite() {
    let t = tmp();
    let mut h = linesift_testdata::render::whatsapp::demo_handset(Os::Ios);
    h.layout = Layout::CellebriteIosZip;
    let ex = write_world(
        &World {
            handsets: vec![h.clone()],
        },
        &t.path().join("ex"),
        |_| 0,
    )
    .unwrap();
    let out = t.path().join("case");
    assert!(code(&run_case(&ex, &out, "2", "UTC")) <= 1);
    let msgs = std::fs::read_to_string(out.join("jsonl/messages.jsonl")).unwrap();
    let wa: Vec<serde_json::Value> = msgs
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["app"] == "whatsapp" && r["parser"] == "whatsapp.ios.chatstorage")
        .collect();
    assert!(!wa.is_empty());
    let lid_senders = wa
        .iter()
        .filter(|r| {
            r["sender_raw"]
                .as_str()
                .is_some_and(|s| s.ends_with("@lid"))
        })
        .count();
    assert_eq!(
        lid_senders, 0,
        "every LID sender mapped to its phone-number JID"
    );
    assert!(wa.iter().any(|r| r["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "lid_resolved")));
}

#[test]
fn deleted_messages_come_back_through_the_same_parsers_marked_as_recovered() {
    let t = tmp();
    let mut hs = vec![
        handset(1, Os::Android, Layout::CellebriteAndroidZip),
        handset(2, Os::Ios, Layout::Tar),
    ];
    for h in &mut hs {
        for m in h.messages.iter_mut().filter(|m| m.app == GApp::Sms).take(3) {
            m.state = GState::Deleted;
            m.body = format!("DELETED {} {}", h.label, m.key);
        }
    }
    let world = World { handsets: hs };
    let ex = write_world(&world, &t.path().join("ex"), |_| 0).unwrap();
    if let Ok(keep) = std::env::var("LINESIFT_KEEP_WORLD") {
        write_world(&world, std::path::Path::new(&keep), |_| 0).unwrap();
    }
    let out = t.path().join("case");
    assert!(code(&run_case(&ex, &out, "2", "UTC")) <= 1);
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(out.join("jsonl/messages.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for h in &world.handsets {
        let deleted: Vec<&GMessage> = h
            .messages
            .iter()
            .filter(|m| m.state == GState::Deleted)
            .collect();
        assert_eq!(deleted.len(), 3);
        let mut found = 0;
        for d in &deleted {
            let hits: Vec<&serde_json::Value> = rows
                .iter()
                .filter(|r| r["body"].as_str() == Some(d.body.as_str()))
                .collect();
            for r in &hits {
                let st = r["record_state"].as_str().unwrap();
                assert!(
                    ["freeblock", "freelist", "unallocated", "superseded"].contains(&st),
                    "{}: {st}",
                    d.body
                );
                assert!(
                    r["source_offset"].as_i64().is_some(),
                    "recovered records carry their byte offset"
                );
            }
            found += !hits.is_empty() as usize;
        }
        assert!(
            found >= 2,
            "{}: {found} of 3 deleted SMS recovered",
            h.label
        );
        // Live messages are not doubled by recovery.
        for m in h.messages.iter().filter(|m| m.state == GState::Live) {
            let n = rows
                .iter()
                .filter(|r| {
                    r["body"].as_str() == Some(m.body.as_str())
                        && r["duplicate_of"].is_null()
                        && (r["record_state"] == "live" || r["record_state"] == "wal_only")
                })
                .count();
            assert_eq!(n, 1, "{}", m.body);
        }
    }
}
