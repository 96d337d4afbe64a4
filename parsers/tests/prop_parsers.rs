//! Property tests: no parser panics on arbitrary or mutated bytes, and our WAL replay agrees with
//! SQLite's own reading of the same database plus WAL.
use std::sync::OnceLock;

use linesift_parsers::registry::{registry, DbInput};
use linesift_parsers::sqlite::row::Val;
use linesift_parsers::sqlite::DbImage;
use linesift_testdata::sqlitefile::{build, q, DbFiles};
use proptest::prelude::*;
use rusqlite::Connection;

/// Everything a parser would do with the bytes: open, list, select every table, and run every
/// registered SQLite artifact parser on them.
fn exercise(main: &[u8], wal: Option<&[u8]>) {
    if let Ok(img) = DbImage::open(main, wal) {
        let _ = img.schema_summary();
        for t in img.tables() {
            let cols = img.columns(&t);
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            if let Ok(rows) = img.select(&t, &refs) {
                for r in &rows.rows {
                    let _ = r.origin(&t);
                }
            }
        }
    }
    for spec in registry().into_iter().filter(|s| s.sqlite) {
        let input = DbInput {
            path: "/data/data/x/databases/x.db",
            main,
            wal,
            journal: None,
            recover: true,
        };
        let _ = (spec.parse)(&input);
    }
}

/// A small real database with a WAL: two tables, an index, text, blobs, a WITHOUT ROWID table.
fn sample() -> &'static DbFiles {
    static S: OnceLock<DbFiles> = OnceLock::new();
    S.get_or_init(|| {
        let live: Vec<String> = (1..=30)
            .map(|i| {
                format!(
                    "INSERT INTO sms(address, body, date) VALUES ({}, {}, {});",
                    q(&format!("07700 900{i:03}")),
                    q(&"hi ".repeat(i * 3)),
                    1_700_000_000_000i64 + i as i64
                )
            })
            .chain(["INSERT INTO kv VALUES ('a', x'00ff')".to_string()])
            .collect();
        let wal = vec![
            "INSERT INTO sms(address, body, date) VALUES ('07700 900999', 'late', 1)".to_string(),
            "UPDATE sms SET body = 'edited' WHERE _id = 4".to_string(),
            "DELETE FROM sms WHERE _id = 5".to_string(),
        ];
        build(
            512,
            "CREATE TABLE sms(_id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, body TEXT, date INTEGER);
             CREATE INDEX sms_date ON sms(date);
             CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;",
            &live,
            &wal,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_panic_on_arbitrary_bytes(
        body in proptest::collection::vec(any::<u8>(), 0..3000),
        magic in any::<bool>(),
        wal in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..2000)),
    ) {
        let mut main = if magic { b"SQLite format 3\0".to_vec() } else { Vec::new() };
        main.extend_from_slice(&body);
        exercise(&main, wal.as_deref());
    }

    #[test]
    fn no_panic_on_mutated_real_images(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..24),
        wal_edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let s = sample();
        let mut main = s.main.clone();
        for (i, b) in &edits {
            let at = i.index(main.len());
            main[at] = *b;
        }
        let mut wal = s.wal.clone().unwrap();
        for (i, b) in &wal_edits {
            let at = i.index(wal.len());
            wal[at] = *b;
        }
        if let Some(c) = cut {
            main.truncate(c.index(main.len() + 1));
        }
        exercise(&main, Some(&wal));
        exercise(&main, None);
    }
}

#[derive(Debug, Clone)]
enum Op {
    Insert(String),
    Update(usize, String),
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => "[a-z ]{0,300}".prop_map(Op::Insert),
        1 => (1usize..40, "[a-z]{0,600}").prop_map(|(i, s)| Op::Update(i, s)),
        1 => (1usize..40).prop_map(Op::Delete),
    ]
}

fn sql(ops: &[Op]) -> Vec<String> {
    ops.iter()
        .map(|o| match o {
            Op::Insert(s) => format!("INSERT INTO t(body, n) VALUES ({}, {})", q(s), s.len()),
            Op::Update(i, s) => format!("UPDATE t SET body = {}, n = -1 WHERE id = {i}", q(s)),
            Op::Delete(i) => format!("DELETE FROM t WHERE id = {i}"),
        })
        .collect()
}

type Row = (i64, Option<String>, Option<i64>);

/// SQLite's own view: the files copied into a private temp folder and opened there.
fn sqlite_view(f: &DbFiles) -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("copy.db");
    std::fs::write(&p, &f.main).unwrap();
    if let Some(w) = &f.wal {
        std::fs::write(dir.path().join("copy.db-wal"), w).unwrap();
    }
    let c = Connection::open(&p).unwrap();
    let mut st = c.prepare("SELECT id, body, n FROM t ORDER BY id").unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

fn our_view(f: &DbFiles) -> Vec<Row> {
    let img = DbImage::open(&f.main, f.wal.as_deref()).unwrap();
    let t = img.select("t", &["body", "n"]).unwrap();
    t.rows
        .iter()
        .map(|r| {
            let body = match r.get(t.col("body")) {
                Val::Null => None,
                v => v.as_text(),
            };
            (r.rowid.unwrap(), body, r.i64(t.col("n")))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn wal_replay_agrees_with_sqlite(
        page_size in prop::sample::select(vec![512u32, 1024, 4096]),
        live in proptest::collection::vec(op(), 0..40),
        wal in proptest::collection::vec(op(), 0..40),
    ) {
        let f = build(
            page_size,
            "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT, n INTEGER); CREATE INDEX t_n ON t(n);",
            &sql(&live),
            &sql(&wal),
        );
        let ours = our_view(&f);
        prop_assert_eq!(&ours, &sqlite_view(&f));
        // The WAL-only tagging agrees with the main file read alone.
        let alone = our_view(&DbFiles { main: f.main.clone(), wal: None });
        let img = DbImage::open(&f.main, f.wal.as_deref()).unwrap();
        let t = img.select("t", &["body", "n"]).unwrap();
        for (r, row) in t.rows.iter().zip(&ours) {
            let in_main = alone.contains(row);
            prop_assert_eq!(r.state == linesift_parsers::RecordState::Live, in_main, "{:?}", row);
        }
    }
}
