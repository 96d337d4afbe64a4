//! Recovery on databases generated here with SQLite itself (synthetic data, Ofcom drama
//! numbers only): an Android-style `sms` table with deletions that free cells and whole pages, in
//! each text encoding; a dropped table; a WAL with deletes and updates; a persisted rollback
//! journal. The generator knows exactly which rows were deleted, so recall and precision are
//! checked against that truth.
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use linesift_parsers::recover::{self, Recovered, Source};
use linesift_parsers::sqlite::row::Val;
use linesift_parsers::sqlite::DbImage;
use linesift_parsers::RecordState;
use rusqlite::Connection;

static N: AtomicUsize = AtomicUsize::new(0);

fn tmp_path(tag: &str) -> PathBuf {
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "linesift-recover-{}-{}-{}",
        std::process::id(),
        tag,
        n
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("db.sqlite")
}

fn body(i: u32) -> String {
    let words = [
        "meet", "at", "the", "usual", "place", "bring", "cash", "tomorrow", "ok",
    ];
    let mut s = format!("msg {i}:");
    for k in 0..(3 + i % 9) {
        s.push(' ');
        s.push_str(words[((i + k) % 9) as usize]);
    }
    if i.is_multiple_of(5) {
        s.push_str(" – £20 ✓"); // non-ASCII text
    }
    s
}

fn number(i: u32) -> String {
    format!("+447700900{:03}", i % 1000)
}

struct Gen {
    main: Vec<u8>,
    journal: Option<Vec<u8>>,
    deleted: BTreeMap<i64, (String, String, i64)>,
}

/// An Android-like sms table: 400 rows, then deletions (scattered rows and one long run that
/// empties whole pages onto the freelist).
fn gen_sms(encoding: &str, journal_persist: bool) -> Gen {
    let path = tmp_path(encoding);
    let c = Connection::open(&path).unwrap();
    c.execute_batch(&format!(
        "PRAGMA page_size=4096; PRAGMA encoding='{encoding}'; PRAGMA secure_delete=0; PRAGMA auto_vacuum=0;"
    ))
    .unwrap();
    if journal_persist {
        c.pragma_update(None, "journal_mode", "PERSIST").unwrap();
    }
    c.execute_batch(
        "CREATE TABLE sms (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, address TEXT, \
         person INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0, read INTEGER DEFAULT 0, \
         type INTEGER, body TEXT, seen INTEGER DEFAULT 0);
         CREATE INDEX sms_date ON sms(date);
         CREATE TABLE threads (_id INTEGER PRIMARY KEY, recipient_ids TEXT, snippet TEXT);",
    )
    .unwrap();
    c.execute_batch("BEGIN").unwrap();
    for i in 1..=400u32 {
        c.execute(
            "INSERT INTO sms (_id, thread_id, address, person, date, type, body) VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6)",
            rusqlite::params![i, 1 + i % 7, number(i), 1_700_000_000_000i64 + i as i64 * 61_000, 1 + i % 2, body(i)],
        )
        .unwrap();
    }
    for t in 1..=7 {
        c.execute(
            "INSERT INTO threads VALUES (?1, ?2, ?3)",
            rusqlite::params![t, t.to_string(), format!("snippet {t}")],
        )
        .unwrap();
    }
    c.execute_batch("COMMIT").unwrap();
    let mut deleted = BTreeMap::new();
    let del = |c: &Connection, id: i64, deleted: &mut BTreeMap<i64, (String, String, i64)>| {
        let row: (String, String, i64) = c
            .query_row(
                "SELECT address, body, date FROM sms WHERE _id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        c.execute("DELETE FROM sms WHERE _id = ?1", [id]).unwrap();
        deleted.insert(id, row);
    };
    for id in (3..400).step_by(11) {
        del(&c, id, &mut deleted);
    }
    for id in 150..=230 {
        if !deleted.contains_key(&id) {
            del(&c, id, &mut deleted);
        }
    }
    drop(c);
    let main = std::fs::read(&path).unwrap();
    let jpath = PathBuf::from(format!("{}-journal", path.display()));
    let journal = std::fs::read(jpath).ok().filter(|j| !j.is_empty());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    Gen {
        main,
        journal,
        deleted,
    }
}

fn text(v: &Val) -> Option<String> {
    match v {
        Val::Text(s) => Some(s.clone()),
        _ => None,
    }
}

fn check_sms(g: &Gen, encoding: &str) -> Vec<Recovered> {
    let rec = recover::recover(&g.main, None, g.journal.as_deref());
    let img = DbImage::open(&g.main, None).unwrap();
    let live = img
        .select("sms", &["address", "body", "date"])
        .unwrap()
        .rows;
    assert_eq!(live.len(), 400 - g.deleted.len());
    let sms: Vec<&Recovered> = rec
        .records
        .iter()
        .filter(|r| r.table.as_deref() == Some("sms"))
        .collect();
    let col = |r: &Recovered, n: &str| r.columns.iter().position(|c| c == n).unwrap();
    let mut found = BTreeSet::new();
    for r in &sms {
        let addr = text(&r.vals[col(r, "address")]);
        let b = text(&r.vals[col(r, "body")]);
        let date = r.vals[col(r, "date")].as_i64();
        // Never a live row.
        assert!(
            !live
                .iter()
                .any(|l| text(&l.vals[1]) == b && l.vals[2].as_i64() == date),
            "{encoding}: live row reported as {}: {:?}",
            r.state.as_str(),
            r.vals
        );
        // Every recovered sms row is one of the deleted rows, exactly.
        let hit = g.deleted.iter().find(|(_, (a, bb, d))| {
            Some(a) == addr.as_ref() && Some(bb) == b.as_ref() && Some(*d) == date
        });
        let (id, _) = hit.unwrap_or_else(|| panic!("{encoding}: not a deleted row: {r:?}"));
        if let Some(rid) = r.rowid {
            assert_eq!(rid, *id, "{encoding}: wrong rowid");
            assert_eq!(r.vals[col(r, "_id")].as_i64(), Some(*id));
        }
        assert!(!r.state.is_current());
        found.insert(*id);
    }
    // The ceiling: deleted rows whose body text (in the database's encoding) is still in the file.
    let enc = |t: &str| -> Vec<u8> {
        match encoding {
            "UTF-16le" => t.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            "UTF-16be" => t.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
            _ => t.as_bytes().to_vec(),
        }
    };
    let present: BTreeSet<i64> = g
        .deleted
        .iter()
        .filter(|(_, (_, b, _))| {
            let n = enc(b);
            g.main.windows(n.len()).any(|w| w == &n[..])
        })
        .map(|(id, _)| *id)
        .collect();
    let recall = found.len() as f64 / present.len().max(1) as f64;
    if std::env::var("RECOVER_VERBOSE").is_ok() {
        for id in present.difference(&found) {
            eprintln!("missed {id} although its body is in the file");
        }
    }
    eprintln!(
        "{encoding}: {} deleted, {} still in the file, {} recovered ({:.2} of those); states {:?}",
        g.deleted.len(),
        present.len(),
        found.len(),
        recall,
        sms.iter().fold(BTreeMap::new(), |mut m, r| {
            *m.entry(r.state.as_str()).or_insert(0) += 1;
            m
        })
    );
    assert!(
        present.len() * 2 > g.deleted.len(),
        "generator: too few rows left in the file"
    );
    assert!(
        recall >= 0.95,
        "{encoding}: recall {recall:.2} of the rows still in the file"
    );
    assert!(sms.iter().any(|r| r.state == RecordState::Freelist));
    assert!(sms.iter().any(|r| r.state == RecordState::Freeblock));
    rec.records.clone()
}

#[test]
fn sms_deleted_rows_utf8() {
    let g = gen_sms("UTF-8", false);
    check_sms(&g, "UTF-8");
}

#[test]
fn sms_deleted_rows_utf16le() {
    let g = gen_sms("UTF-16le", false);
    check_sms(&g, "UTF-16le");
}

#[test]
fn sms_deleted_rows_utf16be() {
    let g = gen_sms("UTF-16be", false);
    check_sms(&g, "UTF-16be");
}

#[test]
fn persisted_journal_pages_are_read() {
    let g = gen_sms("UTF-8", true);
    let j = g.journal.as_ref().expect("PERSIST leaves the journal");
    assert!(
        j[..28].iter().all(|&b| b == 0),
        "header zeroed after commit"
    );
    let recs = check_sms(&g, "UTF-8+journal");
    // Rows deleted by the last transaction are in the journal's pre-images as intact cells.
    assert!(recs.iter().any(|r| r.source == Source::Journal
        && r.state == RecordState::Superseded
        && r.rowid.is_some()));
}

#[test]
fn dropped_table_rows_are_attributed_to_it() {
    let path = tmp_path("drop");
    let c = Connection::open(&path).unwrap();
    c.execute_batch(
        "PRAGMA secure_delete=0;
         CREATE TABLE keep (id INTEGER PRIMARY KEY, note TEXT);
         INSERT INTO keep VALUES (1, 'still here');
         CREATE TABLE contacts_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, number TEXT, starred INTEGER);",
    )
    .unwrap();
    for i in 0..60 {
        c.execute(
            "INSERT INTO contacts_old (name, number, starred) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                format!("Contact {i}"),
                format!("+4411349600{:02}", i),
                i % 2
            ],
        )
        .unwrap();
    }
    c.execute_batch("DROP TABLE contacts_old;").unwrap();
    drop(c);
    let main = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    let rec = recover::recover(&main, None, None);
    let rows: Vec<&Recovered> = rec
        .records
        .iter()
        .filter(|r| r.table.as_deref() == Some("contacts_old"))
        .collect();
    assert!(rows.iter().all(|r| r.table_dropped));
    let names: BTreeSet<String> = rows.iter().filter_map(|r| text(&r.vals[1])).collect();
    assert!(names.len() >= 55, "only {} of 60 dropped rows", names.len());
    for r in &rows {
        let n = text(&r.vals[1]).unwrap();
        let i: u32 = n.trim_start_matches("Contact ").parse().unwrap();
        assert_eq!(text(&r.vals[2]).unwrap(), format!("+4411349600{:02}", i));
    }
    // Nothing was forced into the live table.
    assert!(!rec
        .records
        .iter()
        .any(|r| r.table.as_deref() == Some("keep")));
}

#[test]
fn wal_deletes_and_updates_are_superseded_with_commits() {
    let schema = "CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT, handle_id INTEGER, date INTEGER, is_from_me INTEGER);";
    let live: Vec<String> = (1..=30)
        .map(|i| {
            format!(
                "INSERT INTO message (text, handle_id, date, is_from_me) VALUES ('hello {i}', {}, {}, {})",
                i % 3,
                600_000_000 + i * 10,
                i % 2
            )
        })
        .collect();
    let wal = vec![
        "DELETE FROM message WHERE ROWID IN (5, 6, 7)".to_string(),
        "UPDATE message SET text = 'edited 10' WHERE ROWID = 10".to_string(),
        "INSERT INTO message (text, handle_id, date, is_from_me) VALUES ('new 31', 1, 600000400, 0)"
            .to_string(),
    ];
    let files = linesift_testdata::sqlitefile::build(4096, schema, &live, &wal);
    let w = files.wal.as_deref().expect("wal");
    let rec = recover::recover(&files.main, Some(w), None);
    let img = DbImage::open(&files.main, Some(w)).unwrap();
    let live_rows = img.select("message", &["text"]).unwrap().rows;
    let live_texts: BTreeSet<String> = live_rows.iter().filter_map(|r| text(&r.vals[0])).collect();
    let sup: Vec<&Recovered> = rec
        .records
        .iter()
        .filter(|r| r.table.as_deref() == Some("message"))
        .collect();
    let texts: BTreeSet<String> = sup.iter().filter_map(|r| text(&r.vals[1])).collect();
    for t in ["hello 5", "hello 6", "hello 7", "hello 10"] {
        assert!(texts.contains(t), "{t} not recovered: {texts:?}");
    }
    for t in &texts {
        assert!(!live_texts.contains(t), "live row {t} reported");
    }
    // The pre-WAL versions are tagged commit 0 (main file) and superseded.
    for r in sup.iter().filter(|r| r.state == RecordState::Superseded) {
        assert!(r.commit.is_some());
    }
    // rows_for_table gives the same rows to the artifact parsers.
    let rows = recover::rows_for_table(&files.main, Some(w), "message", &["text", "date", "nope"]);
    assert!(rows
        .iter()
        .any(|r| r.vals[0] == Val::Text("hello 10".into()) && r.vals[2].is_null()));
}

/// A WAL whose only transaction is turned into an unfinished one (commit flag cleared, checksum
/// recomputed), and the same WAL with other salts in its header (a WAL generation from before a
/// checkpoint): the rows in its frames are not in the current state, and are recovered tagged
/// `uncommitted` / `stale`, with no commit number.
#[test]
fn uncommitted_and_stale_wal_frames() {
    use linesift_parsers::sqlite::wal::{wal_checksum, Wal};
    let schema = "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, text TEXT, date INTEGER);";
    let live: Vec<String> = (1..=5)
        .map(|i| format!("INSERT INTO message VALUES ({i}, 'kept {i}', {})", 1000 + i))
        .collect();
    let wal = vec!["INSERT INTO message VALUES (6, 'pending text six', 2000)".to_string()];
    let files = linesift_testdata::sqlitefile::build(4096, schema, &live, &wal);
    let w = files.wal.clone().expect("wal");
    let parsed = Wal::parse(&w).unwrap();
    assert_eq!(parsed.commit_count(), 1);
    let ps = parsed.page_size;
    let last = parsed.frames.last().unwrap().offset as usize;
    // Unfinished: clear the commit flag of the last frame and recompute its checksum.
    let mut unf = w.clone();
    unf[last + 4..last + 8].copy_from_slice(&[0, 0, 0, 0]);
    let be = parsed.big_endian_checksum;
    let prev = if parsed.frames.len() == 1 {
        wal_checksum(be, &unf[..24], (0, 0))
    } else {
        let p = last - 24 - ps;
        (
            u32::from_be_bytes(unf[p + 16..p + 20].try_into().unwrap()),
            u32::from_be_bytes(unf[p + 20..p + 24].try_into().unwrap()),
        )
    };
    let s = wal_checksum(be, &unf[last..last + 8], prev);
    let s = wal_checksum(be, &unf[last + 24..last + 24 + ps], s);
    unf[last + 16..last + 20].copy_from_slice(&s.0.to_be_bytes());
    unf[last + 20..last + 24].copy_from_slice(&s.1.to_be_bytes());
    // Stale: other salts in the header (the frames then belong to an older generation).
    let mut stale = w.clone();
    stale[16] ^= 0xff;
    for (bytes, status) in [(&unf, "uncommitted"), (&stale, "stale")] {
        let img = DbImage::open(&files.main, Some(bytes)).unwrap();
        let now = img.select("message", &["text"]).unwrap();
        assert_eq!(now.rows.len(), 5, "{status}: the frame must not be applied");
        let rec = recover::recover(&files.main, Some(bytes), None);
        let r = rec
            .records
            .iter()
            .find(|r| r.vals.get(1) == Some(&Val::Text("pending text six".into())))
            .unwrap_or_else(|| panic!("{status}: row not recovered: {:?}", rec.records));
        assert_eq!(r.wal_status, Some(status));
        assert_eq!(r.commit, None);
        assert_eq!(r.rowid, Some(6));
        assert_eq!(r.state, RecordState::Superseded);
        assert_eq!(r.source, Source::Wal);
        // Live rows are not repeated from the frame's copy of the page.
        assert!(!rec
            .records
            .iter()
            .any(|r| matches!(r.vals.get(1), Some(Val::Text(t)) if t.starts_with("kept"))));
    }
}

/// Damaged databases: cyclic freelist and b-tree links, and many random byte mutations of a real
/// small database. Recovery must finish without a panic on every one of them.
#[test]
fn damaged_images_never_panic_or_hang() {
    let g = gen_sms("UTF-8", false);
    let base = g.main.clone();
    let ps = 4096usize;
    // Freelist trunk pointing at itself, and the first b-tree page's right child at itself.
    let mut cyc = base.clone();
    let trunk = u32::from_be_bytes(cyc[32..36].try_into().unwrap());
    if trunk != 0 {
        let at = (trunk as usize - 1) * ps;
        cyc[at..at + 4].copy_from_slice(&trunk.to_be_bytes());
    }
    for pg in 2..(cyc.len() / ps) {
        let at = (pg - 1) * ps;
        if cyc[at] == 5 {
            cyc[at + 8..at + 12].copy_from_slice(&(pg as u32).to_be_bytes());
            break;
        }
    }
    let t = std::time::Instant::now();
    let _ = recover::recover(&cyc, None, None);
    // Random mutations (deterministic xorshift).
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..40 {
        let mut m = base.clone();
        let n = 1 + (next() % 64) as usize;
        for _ in 0..n {
            let at = (next() as usize) % m.len();
            m[at] = next() as u8;
        }
        if round % 4 == 0 {
            // Header fields: page size, reserved bytes, freelist, encoding.
            for at in [16usize, 17, 20, 32, 33, 34, 35, 36, 56, 59] {
                m[at] = next() as u8;
            }
        }
        let _ = recover::recover(&m, None, Some(&m[..m.len().min(9000)]));
    }
    assert!(
        t.elapsed().as_secs() < 120,
        "recovery on damaged input too slow"
    );
}
