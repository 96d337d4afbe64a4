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

fn freelist_text(rel: &str) {
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
    assert!(fl.len() >= 10, "{rel}: only {} freelist records", fl.len());
    // Attributed to a real table and carrying text.
    assert!(fl.iter().filter(|r| r.table.is_some()).any(|r| text_of(r)
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        >= 4));
}

#[test]
fn tango_freelist_leaves_yield_rows() {
    freelist_text("plaso/android/tango_profile.db");
}

#[test]
fn twitter_freelist_leaves_yield_rows() {
    freelist_text("plaso/ios/twitter.db");
}
