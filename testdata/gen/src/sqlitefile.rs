//! Build real SQLite files (and real WALs) with SQLite itself, in a private temp folder.
use rusqlite::Connection;

/// A generated database: the main file and, when rows were committed after the last
/// checkpoint, its `-wal`.
#[derive(Debug, Clone, Default)]
pub struct DbFiles {
    pub main: Vec<u8>,
    pub wal: Option<Vec<u8>>,
}

/// Create a database: `schema` and `live` are committed and checkpointed into the main file;
/// `wal` statements are then committed but left in the `-wal` (autocheckpoint off), and the
/// files are copied while the connection is still open, as a phone extraction would find them.
/// `page_size` lets renderers mimic apps that use other page sizes.
pub fn build(page_size: u32, schema: &str, live: &[String], wal: &[String]) -> DbFiles {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite");
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "page_size", page_size).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute_batch(schema).expect("schema");
    run_in_tx(&conn, live);
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    run_in_tx(&conn, wal);
    let main = std::fs::read(&path).unwrap();
    let wal_bytes = std::fs::read(path.with_extension("sqlite-wal")).unwrap_or_default();
    drop(conn);
    DbFiles {
        main,
        wal: (!wal_bytes.is_empty()).then_some(wal_bytes),
    }
}

fn run_in_tx(conn: &Connection, stmts: &[String]) {
    if stmts.is_empty() {
        return;
    }
    conn.execute_batch("BEGIN").unwrap();
    for s in stmts {
        conn.execute_batch(s)
            .unwrap_or_else(|e| panic!("generator SQL failed: {e}\n{s}"));
    }
    conn.execute_batch("COMMIT").unwrap();
}

/// Quote a string as an SQL literal.
pub fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Quote an optional string as an SQL literal or NULL.
pub fn qo(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "NULL".to_string())
}
