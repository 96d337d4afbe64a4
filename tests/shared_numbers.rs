//! A generated case of 20 handsets: the shared-number table, the names each handset saved, and
//! the owner numbers (recorded, or proved by twin messages) must equal the known answer exactly.
mod common;

use common::*;
use linesift_testdata::archive::write_world;
use linesift_testdata::rng::Rng;
use linesift_testdata::world::*;
use std::collections::{BTreeMap, BTreeSet};

const LAYOUTS: [Layout; 6] = [
    Layout::CellebriteAndroidZip,
    Layout::CellebriteIosZip,
    Layout::MagnetZip,
    Layout::Tar,
    Layout::TarGz,
    Layout::Folder,
];

fn world() -> World {
    let mut rng = Rng::new(20);
    // People: 40 mobiles and 5 Leeds landlines, shared between handsets at random.
    let people: Vec<String> = (0..40)
        .map(|i| drama_mobile(300 + i))
        .chain((0..5).map(|i| drama_leeds(10 + i)))
        .collect();
    let names = [
        "Tony", "T line", "Sam", "Big Man", "Mum", "Kez", "Work", "Dealer", "Jay", "Cab",
    ];
    let mut hs: Vec<Handset> = (0..20u32)
        .map(|i| {
            let os = if i % 2 == 0 { Os::Android } else { Os::Ios };
            let mut h = Handset::new(
                &format!("H{i:02}"),
                os,
                LAYOUTS[i as usize % 6],
                &drama_mobile(100 + i),
            );
            // Every fourth handset records nothing about its own number.
            h.records_owner = i % 4 != 3;
            h
        })
        .collect();
    let base = 1_709_294_400_000i64;
    let mut key = 1u64;
    for (hi, h) in hs.iter_mut().enumerate() {
        let n_contacts = 3 + rng.below(5) as usize;
        let mut mine: BTreeSet<usize> = BTreeSet::new();
        while mine.len() < n_contacts {
            mine.insert(rng.below(people.len() as u64) as usize);
        }
        for &p in &mine {
            let e = &people[p];
            let name = format!("{} {}", names[(p + hi) % names.len()], p);
            h.contacts.push(GContact {
                name,
                numbers: vec![(e.clone(), uk_style(e, rng.below(8) as u32), "Mobile".into())],
                emails: vec![],
                state: GState::Live,
            });
        }
        // Messages and calls with some contacts and some strangers.
        for k in 0..8 {
            let p = if k % 3 == 0 {
                rng.below(people.len() as u64) as usize
            } else {
                *mine.iter().nth(k % mine.len()).unwrap()
            };
            let peer = people[p].clone();
            let app = if h.os == Os::Ios && k % 2 == 0 {
                GApp::IMessage
            } else {
                GApp::Sms
            };
            h.messages.push(GMessage {
                key,
                app,
                ts_ms: base + key as i64 * 61_000,
                outgoing: k % 2 == 0,
                peer: peer.clone(),
                peer_raw: uk_style(&peer, rng.below(8) as u32),
                extra_recipients: vec![],
                group: None,
                body: format!("msg {key} from {}", h.label),
                state: GState::Live,
                read: true,
            });
            key += 1;
        }
        let p = rng.below(people.len() as u64) as usize;
        h.calls.push(GCall {
            app: GApp::Sms,
            ts_ms: base + key as i64 * 61_000,
            duration_s: 30,
            direction: GCallDir::Incoming,
            peer: people[p].clone(),
            peer_raw: uk_style(&people[p], 3),
            video: false,
            state: GState::Live,
        });
    }
    // Twins: each handset that records no own number texts two others, whose handsets hold the
    // same texts as received from it.
    let owners: Vec<String> = hs.iter().map(|h| h.owner().to_string()).collect();
    for a in 0..hs.len() {
        if hs[a].records_owner {
            continue;
        }
        for d in [1usize, 2] {
            let b = (a + d) % hs.len();
            let ts = base + 50_000_000 + (a * 10 + d) as i64 * 1000;
            let body = format!("twin text {a}->{b}");
            let m = |outgoing: bool, peer: &str, style: u32| GMessage {
                key: 0,
                app: GApp::Sms,
                ts_ms: ts,
                outgoing,
                peer: peer.to_string(),
                peer_raw: uk_style(peer, style),
                extra_recipients: vec![],
                group: None,
                body: body.clone(),
                state: GState::Live,
                read: true,
            };
            let mut out = m(true, &owners[b], 1);
            out.key = key;
            let mut inc = m(false, &owners[a], 0);
            inc.key = key;
            key += 1;
            hs[a].messages.push(out);
            hs[b].messages.push(inc);
        }
    }
    World { handsets: hs }
}

/// The known answer: number -> exhibit index -> names saved.
fn expected(w: &World) -> BTreeMap<String, BTreeMap<usize, BTreeSet<String>>> {
    let mut seen: BTreeMap<String, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    for (i, h) in w.handsets.iter().enumerate() {
        let own = h.owner();
        let mut add = |n: &str, name: Option<&str>| {
            let e = seen.entry(n.to_string()).or_default().entry(i).or_default();
            if let Some(x) = name {
                e.insert(x.to_string());
            }
        };
        add(own, None);
        for c in &h.contacts {
            for (n, _, _) in &c.numbers {
                add(n, Some(&c.name));
            }
        }
        for m in &h.messages {
            if m.peer != own {
                add(&m.peer, None);
            }
        }
        for c in &h.calls {
            add(&c.peer, None);
        }
    }
    seen.retain(|_, ex| ex.len() >= 2);
    seen
}

#[test]
fn shared_numbers_and_owners_of_twenty_handsets_are_exact() {
    let w = world();
    let t = tmp();
    let exhibits = write_world(&w, &t.path().join("ex"), |i| (i / 2) as u32 % 3).unwrap();
    let out = t.path().join("case");
    let mut args: Vec<String> = vec!["process".into()];
    args.extend(exhibits.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string(), "-q".into()]);
    let o = linesift(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let m = read_json(&out.join("manifest.json"));
    let ex_ids: Vec<String> = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["exhibit_id"].as_str().unwrap().to_string())
        .collect();
    let idx = |id: &str| ex_ids.iter().position(|x| x == id).unwrap();

    // Owner numbers: exactly the handset's own number, recorded or inferred.
    for (i, h) in w.handsets.iter().enumerate() {
        let got: Vec<&str> = m["exhibits"][i]["owner_numbers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["number"].as_str().unwrap())
            .collect();
        assert_eq!(
            got,
            vec![h.owner()],
            "{} (records_owner {})",
            h.label,
            h.records_owner
        );
        if !h.records_owner {
            let how = m["exhibits"][i]["owner_numbers"][0]["how"]
                .as_str()
                .unwrap();
            assert!(how.starts_with("inferred from other exhibits"), "{how}");
        }
    }

    let want = expected(&w);
    let rows = std::fs::read_to_string(out.join("jsonl/shared_numbers.jsonl")).unwrap();
    let mut got: BTreeMap<String, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    for l in rows.lines() {
        let r: serde_json::Value = serde_json::from_str(l).unwrap();
        let names: BTreeSet<String> = r["names_saved"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let n = r["number_e164"].as_str().unwrap().to_string();
        let ex = idx(r["exhibit_id"].as_str().unwrap());
        assert_eq!(
            r["exhibit_count"].as_u64().unwrap() as usize,
            want.get(&n).map_or(0, |e| e.len()),
            "{n}"
        );
        got.entry(n).or_default().insert(ex, names);
    }
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    assert_eq!(got, want);
    assert!(
        want.len() >= 10,
        "the world must share numbers ({} shared)",
        want.len()
    );
}
