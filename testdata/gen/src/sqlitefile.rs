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
        wal: (!wal_bytes.is_empty()).then(|| fix_salts(wal_bytes)),
    }
}

/// SQLite draws random salts for a new WAL. Replace them with fixed ones and recompute the
/// checksum chain, so that generated extractions are byte-identical from run to run. Frames are
/// rewritten only while the original chain holds (every frame SQLite just wrote).
pub fn fix_salts(mut w: Vec<u8>) -> Vec<u8> {
    if w.len() < 32 {
        return w;
    }
    let be = |b: &[u8], at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let big = be(&w, 0) & 1 == 1;
    let page = be(&w, 8) as usize;
    let sum = |data: &[u8], s: (u32, u32)| {
        let (mut a, mut b) = s;
        for c in data.chunks_exact(8) {
            let rd = |x: &[u8]| {
                let arr = [x[0], x[1], x[2], x[3]];
                if big {
                    u32::from_be_bytes(arr)
                } else {
                    u32::from_le_bytes(arr)
                }
            };
            a = a.wrapping_add(rd(&c[0..4])).wrapping_add(b);
            b = b.wrapping_add(rd(&c[4..8])).wrapping_add(a);
        }
        (a, b)
    };
    let (old1, old2) = (be(&w, 16), be(&w, 20));
    let (new1, new2) = (0x4c53_4946u32, 0x5449_4654u32);
    w[16..20].copy_from_slice(&new1.to_be_bytes());
    w[20..24].copy_from_slice(&new2.to_be_bytes());
    let mut s = sum(&w[..24], (0, 0));
    w[24..28].copy_from_slice(&s.0.to_be_bytes());
    w[28..32].copy_from_slice(&s.1.to_be_bytes());
    let mut off = 32;
    while page > 0 && off + 24 + page <= w.len() {
        if be(&w, off + 8) != old1 || be(&w, off + 12) != old2 {
            break;
        }
        w[off + 8..off + 12].copy_from_slice(&new1.to_be_bytes());
        w[off + 12..off + 16].copy_from_slice(&new2.to_be_bytes());
        s = sum(&w[off..off + 8], s);
        s = sum(&w[off + 24..off + 24 + page], s);
        w[off + 16..off + 20].copy_from_slice(&s.0.to_be_bytes());
        w[off + 20..off + 24].copy_from_slice(&s.1.to_be_bytes());
        off += 24 + page;
    }
    w
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
