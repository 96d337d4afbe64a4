//! WAL replay against real public samples in ../shared/data (read as bytes, never opened by SQLite).
use linesift_parsers::sqlite::DbImage;
use linesift_parsers::RecordState;
use std::path::PathBuf;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(shared(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn plaso_wal_database_has_ten_rows_in_main_and_eleven_with_wal() {
    let main = read("plaso/wal_database.db");
    let wal = read("plaso/wal_database.db-wal");
    let alone = DbImage::open(&main, None).unwrap();
    let t = alone
        .tables()
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case("MyTable"))
        .unwrap();
    assert_eq!(alone.select(&t, &[]).unwrap().rows.len(), 10);
    let img = DbImage::open(&main, Some(&wal)).unwrap();
    let rows = img.select(&t, &[]).unwrap().rows;
    assert_eq!(rows.len(), 11);
    let w = img.wal.as_ref().unwrap();
    assert_eq!(w.frames.len(), 9);
    assert_eq!(w.commit_count(), 8);
    assert!(rows.iter().any(|r| r.state == RecordState::WalOnly));
}

#[test]
fn andriller_calllog_with_empty_wal() {
    let main = read("andriller/calllog.db");
    let wal = read("andriller/calllog.db-wal");
    let img = DbImage::open(&main, Some(&wal)).unwrap();
    assert_eq!(img.user_version(), 5);
    assert_eq!(img.select("calls", &["number"]).unwrap().rows.len(), 1);
}
