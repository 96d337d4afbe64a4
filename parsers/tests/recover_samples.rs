//! Recovery on the public sample databases (plaso) with known answers.
use std::path::Path;

use linesift_parsers::recover::{self, Recovered};
use linesift_parsers::RecordState;

const DATA: &str = "/work/shared/data";

fn read(rel: &str) -> Option<Vec<u8>> {
    let p = Path::new(DATA).join(rel);
    std::fs::read(p).ok()
}

fn text_of(r: &Recovered) -> String {
    r.vals
        .iter()
        .filter_map(|v| v.as_text())
        .collect::<Vec<_>>()
        .join("|")
}

/// Print what recovery finds in `RECOVER_FILE` (with optional `RECOVER_WAL`): a debugging aid.
#[test]
#[ignore]
fn dump() {
    let Ok(f) = std::env::var("RECOVER_FILE") else {
        return;
    };
    let main = std::fs::read(f).unwrap();
    let wal = std::env::var("RECOVER_WAL")
        .ok()
        .map(|w| std::fs::read(w).unwrap());
    let mut out = std::io::stdout();
    let s = recover::write_jsonl(&mut out, &main, wal.as_deref(), None).unwrap();
    eprintln!("{s:?}");
}

#[test]
fn zeroed_freelist_pages_yield_nothing() {
    let Some(main) = read("plaso/sqlite/imessage_chat.db") else {
        eprintln!("sample missing; skipped");
        return;
    };
    let rec = recover::recover(&main, None, None);
    let freelist: Vec<_> = rec
        .records
        .iter()
        .filter(|r| r.state == RecordState::Freelist)
        .collect();
    assert!(freelist.is_empty(), "{freelist:?}");
}

fn freelist_text(rel: &str, min: usize) {
    let Some(main) = read(rel) else {
        eprintln!("sample missing; skipped");
        return;
    };
    let rec = recover::recover(&main, None, None);
    let fl: Vec<_> = rec
        .records
        .iter()
        .filter(|r| r.state == RecordState::Freelist)
        .collect();
    for r in fl.iter().take(5) {
        eprintln!("{:?} {:?} {}", r.table, r.page, text_of(r));
    }
    eprintln!("{rel}: {} freelist records", fl.len());
    // Attributed to a real table and carrying text.
    let with_text = fl
        .iter()
        .filter(|r| r.table.is_some())
        .filter(|r| text_of(r).chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .count();
    assert!(
        with_text >= min,
        "{rel}: only {with_text} freelist rows with text"
    );
    // None of them is a live row (checked through SQLite on the in-memory image).
    let img = linesift_parsers::sqlite::DbImage::open(&main, None).unwrap();
    for r in &fl {
        let Some(t) = &r.table else { continue };
        let cols: Vec<&str> = r.columns.iter().map(String::as_str).collect();
        let live = img.select(t, &cols).unwrap();
        assert!(
            !live.rows.iter().any(|l| l.vals == r.vals),
            "live row reported as freelist: {r:?}"
        );
    }
}

#[test]
fn tango_freelist_leaves_yield_rows() {
    freelist_text("plaso/android/tango_profile.db", 20);
}

#[test]
fn twitter_freelist_leaves_yield_rows() {
    // Its 16 freelist leaves hold 59 cells, all rowids still live; only versions whose values
    // differ from the live row are recovered (one Users row) (the others would double-count live rows).
    freelist_text("plaso/ios/twitter.db", 1);
}

#[test]
fn wal_history_rows_carry_their_commit() {
    let (Some(main), Some(wal)) = (
        read("plaso/wal_database.db"),
        read("plaso/wal_database.db-wal"),
    ) else {
        eprintln!("sample missing; skipped");
        return;
    };
    let img = linesift_parsers::sqlite::DbImage::open(&main, Some(&wal)).unwrap();
    let live = img.select("MyTable", &["Field1", "Field2"]).unwrap();
    assert_eq!(live.rows.len(), 11);
    let live_ids: std::collections::BTreeSet<i64> =
        live.rows.iter().filter_map(|r| r.rowid).collect();
    let rec = recover::recover(&main, Some(&wal), None);
    let sup: Vec<&Recovered> = rec
        .records
        .iter()
        .filter(|r| r.table.as_deref() == Some("MyTable") && r.state == RecordState::Superseded)
        .collect();
    for r in &sup {
        eprintln!(
            "{:?} {} {:?} {:?}",
            r.rowid,
            r.detail(),
            r.commits,
            text_of(r)
        );
        // Never a copy of a live row.
        assert!(!live
            .rows
            .iter()
            .any(|l| l.rowid == r.rowid && l.vals[0] == r.vals[0] && l.vals[1] == r.vals[1]));
        assert!(r.commit.is_some(), "superseded row without its commit");
    }
    let mut ids = live_ids.clone();
    ids.extend(sup.iter().filter_map(|r| r.rowid));
    assert_eq!(ids.len(), 13, "distinct rowids visible at some commit");
    let find = |t: &str| sup.iter().find(|r| text_of(r).starts_with(t)).copied();
    let d1 = find("Deleted Text 1|").expect("Deleted Text 1");
    assert_eq!(d1.rowid, Some(3));
    assert_eq!(d1.commits, vec![0]);
    let d2 = find("Deleted Text 2|").expect("Deleted Text 2");
    assert_eq!(d2.rowid, Some(6));
    assert_eq!(d2.commits, vec![0, 1]);
    assert_eq!(d2.commit, Some(1));
    let old = find("Committed Text 3|").expect("old version of rowid 4");
    assert_eq!(old.rowid, Some(4));
    assert_eq!(old.commits, vec![0, 1, 2]);
    // Nothing in the recovered set is all NULL or a duplicate.
    let mut seen = std::collections::HashSet::new();
    for r in &rec.records {
        assert!(r.vals.iter().any(|v| !v.is_null()), "{r:?}");
        assert!(
            seen.insert(format!("{:?}{:?}", r.table, r.vals)),
            "duplicate {r:?}"
        );
    }
    // The same rows through the artifact-parser API.
    let rows = recover::rows_for_table(&main, Some(&wal), "mytable", &["Field1", "Nope"]);
    let r3 = rows.iter().find(|r| r.rowid == Some(3)).unwrap();
    assert_eq!(r3.state, RecordState::Superseded);
    assert_eq!(r3.vals[0].as_text().as_deref(), Some("Deleted Text 1"));
    assert!(r3.vals[1].is_null());
    let r6 = rows.iter().find(|r| r.rowid == Some(6)).unwrap();
    assert!(
        r6.detail.as_deref().unwrap().contains("commit 1"),
        "{:?}",
        r6.detail
    );
    let o = r6.origin("MyTable");
    assert_eq!(o.state, RecordState::Superseded);
}

#[test]
fn jsonl_lines_are_objects_with_the_documented_fields() {
    let Some(main) = read("plaso/android/tango_profile.db") else {
        eprintln!("sample missing; skipped");
        return;
    };
    let mut buf = Vec::new();
    let sum = recover::write_jsonl(&mut buf, &main, None, None).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), sum.records);
    assert!(sum.records > 0);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        for f in [
            "state",
            "table",
            "page",
            "offset",
            "commit",
            "confidence",
            "values",
        ] {
            assert!(v.get(f).is_some(), "missing {f} in {l}");
        }
        assert!(v["values"].is_array());
    }
    // Same input, same output.
    let mut again = Vec::new();
    recover::write_jsonl(&mut again, &main, None, None).unwrap();
    assert_eq!(text.as_bytes(), &again[..]);
}
