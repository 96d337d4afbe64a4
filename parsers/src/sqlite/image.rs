//! The in-memory database image.
use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OpenFlags};

use super::row::{RowData, TableRows, Val};
use super::wal::Wal;
use super::{header_page_size, SQLITE_MAGIC};
use crate::model::{ParseOutput, RecordState, Warning};
use crate::ParseError;

/// A table's rows in the main file alone, by rowid.
type BaseRows = HashMap<i64, Vec<Val>>;
/// A row as read: its rowid (if the table has one) and its values.
type RawRow = (Option<i64>, Vec<Val>);

/// A database as the phone would see it now: the main file with its committed WAL frames
/// applied, opened by SQLite from memory, read-only. The main file alone is kept too when the WAL
/// changed anything, so that rows committed only in the WAL can be told apart (`wal_only`).
pub struct DbImage {
    conn: Connection,
    base: Option<Connection>,
    /// True when the main file had no usable database (schema only in the WAL, or empty main).
    base_empty: bool,
    /// The merged image bytes (header patched), for the page reader.
    pub bytes: Vec<u8>,
    pub page_size: usize,
    pub wal: Option<Wal>,
    /// Problems met while building the image (WAL damage, header disagreements ...).
    pub warnings: Vec<Warning>,
    base_cache: std::cell::RefCell<HashMap<String, Option<BaseRows>>>,
    /// The raw bytes the page reader recovers from, when recovery is on for this artifact.
    recover_src: Option<RecoverSrc>,
    recovery: std::cell::OnceCell<crate::recover::Recovery>,
    /// Tables whose rows stopped at damage: the rows before it were returned, this says where
    /// reading stopped. [`DbImage::select_warn`] moves them into the parser's warnings.
    damage: std::cell::RefCell<Vec<Warning>>,
}

struct RecoverSrc {
    main: Vec<u8>,
    wal: Option<Vec<u8>>,
    journal: Option<Vec<u8>>,
}

/// Tables whose rows are records (messages, calls, contact entries) in some artifact: with
/// recovery on, [`DbImage::select`] appends their deleted and superseded rows recovered by the page
/// reader, so those go through the same mapping code as live rows. Lookup tables (handles, chats,
/// participants, mime types ...) are never extended: a recovered lookup row must not overwrite a
/// live one.
pub const RECORD_TABLES: &[&str] = &[
    // Android
    "sms",
    "spam_sms",
    "pdu",
    "messages",
    "calls",
    "logs",
    "data",
    // iOS
    "message",
    "ZCALLRECORD",
    "call",
    "ABMultiValue",
    // WhatsApp
    "call_log",
    "wa_contacts",
    "ZWAMESSAGE",
    "ZWACDCALLEVENT",
    "ZWAADDRESSBOOKCONTACT",
];

fn deserialize(bytes: &[u8]) -> Result<Connection, ParseError> {
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)?;
    // Refuse anything that would try to write, and make sure the schema is readable now.
    conn.pragma_update(None, "query_only", true)?;
    let schema = |c: &Connection| {
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    };
    if schema(&conn).is_err() {
        // SQLite refuses the whole schema when one entry is damaged (a truncated file whose
        // schema names a root page past the end). writable_schema makes it load the rest; the
        // connection stays query_only and the image read-only, so nothing can be written.
        conn.pragma_update(None, "writable_schema", true)?;
        schema(&conn).map_err(|e| ParseError::Corrupt(format!("schema unreadable: {e}")))?;
    }
    Ok(conn)
}

/// Patch a copy of a database image so SQLite reads it as a plain rollback-journal database of
/// exactly the size we hold: bytes 18/19 (WAL mode) set to 1, and an in-header page count larger
/// than the bytes we have lowered to what we have.
fn patch_header(img: &mut [u8], warnings: &mut Vec<Warning>) {
    if img.len() < 100 {
        return;
    }
    img[18] = 1;
    img[19] = 1;
    if let Some(ps) = header_page_size(img) {
        let have = (img.len() / ps) as u32;
        let claimed = u32::from_be_bytes([img[28], img[29], img[30], img[31]]);
        if claimed > have {
            warnings.push(Warning {
                message: format!(
                    "database header claims {claimed} pages but only {have} are present (truncated file)"
                ),
                offset: Some(28),
            });
            img[28..32].copy_from_slice(&have.to_be_bytes());
        }
    }
}

impl DbImage {
    /// Build the image from the main file's bytes and, if present, its `-wal`.
    pub fn open(main: &[u8], wal: Option<&[u8]>) -> Result<DbImage, ParseError> {
        let mut warnings = Vec::new();
        let main_ok = main.len() >= 100 && &main[..16] == SQLITE_MAGIC;
        let parsed_wal = match wal.filter(|w| !w.is_empty()) {
            None => None,
            Some(w) => match Wal::parse(w) {
                Ok(p) => {
                    for (off, msg) in &p.problems {
                        warnings.push(Warning {
                            message: format!("WAL: {msg}"),
                            offset: Some(*off),
                        });
                    }
                    Some((p, w))
                }
                Err(e) => {
                    warnings.push(Warning::new(format!("WAL ignored: {e}")));
                    None
                }
            },
        };
        let applied = parsed_wal
            .as_ref()
            .is_some_and(|(p, _)| p.final_db_pages().is_some());
        let mut bytes = match &parsed_wal {
            Some((p, w)) if applied => p.replay(w, main),
            _ => main.to_vec(),
        };
        if let Some((p, _)) = parsed_wal.as_ref().filter(|_| applied) {
            let claimed = p.final_db_pages().unwrap_or(0) as u64;
            let have = (bytes.len() / p.page_size) as u64;
            if claimed > have {
                let at = p
                    .frames
                    .iter()
                    .rev()
                    .find(|f| f.commit_no.is_some() && f.commit_size != 0)
                    .map(|f| f.offset + 4);
                warnings.push(Warning {
                    message: format!(
                        "WAL: last commit claims {claimed} pages but only {have} are held by the main file and the WAL"
                    ),
                    offset: at,
                });
            }
        }
        if bytes.len() < 100 || &bytes[..16] != SQLITE_MAGIC {
            return Err(ParseError::NotSqlite(if main.is_empty() {
                "empty file".into()
            } else {
                "no SQLite header".into()
            }));
        }
        let page_size = header_page_size(&bytes)
            .ok_or_else(|| ParseError::Corrupt("invalid page size in header".into()))?;
        if bytes.len() % page_size != 0 {
            warnings.push(Warning {
                message: format!(
                    "file size {} is not a multiple of the page size {page_size}; the partial last page is ignored",
                    bytes.len()
                ),
                offset: Some((bytes.len() / page_size * page_size) as u64),
            });
            bytes.truncate(bytes.len() / page_size * page_size);
        }
        patch_header(&mut bytes, &mut warnings);
        let conn = deserialize(&bytes)?;
        let (base, base_empty) = if applied {
            if main_ok {
                let mut b = main.to_vec();
                let ps = header_page_size(&b).unwrap_or(page_size);
                b.truncate(b.len() / ps * ps);
                patch_header(&mut b, &mut Vec::new());
                match deserialize(&b) {
                    Ok(c) => (Some(c), false),
                    Err(_) => (None, true),
                }
            } else {
                (None, true)
            }
        } else {
            (None, false)
        };
        Ok(DbImage {
            conn,
            base,
            base_empty,
            bytes,
            page_size,
            wal: parsed_wal.map(|(p, _)| p),
            warnings,
            base_cache: Default::default(),
            recover_src: None,
            recovery: Default::default(),
            damage: Default::default(),
        })
    }

    /// Open an artifact's image; with `input.recover`, [`DbImage::select`] also returns the
    /// recovered (deleted, superseded) rows of [`RECORD_TABLES`].
    pub fn open_input(input: &crate::registry::DbInput<'_>) -> Result<DbImage, ParseError> {
        let mut img = DbImage::open(input.main, input.wal)?;
        if input.recover {
            img.recover_src = Some(RecoverSrc {
                main: input.main.to_vec(),
                wal: input.wal.map(<[u8]>::to_vec),
                journal: input.journal.map(<[u8]>::to_vec),
            });
        }
        Ok(img)
    }

    /// Recovered rows of `table` with `cols`: states superseded, freelist, freeblock or
    /// unallocated only, and never a copy identical to a live row (same rowid and values).
    fn recovered(&self, table: &str, cols: &[&str], live: &[RowData]) -> Vec<RowData> {
        let Some(src) = &self.recover_src else {
            return Vec::new();
        };
        if !RECORD_TABLES.iter().any(|t| t.eq_ignore_ascii_case(table)) {
            return Vec::new();
        }
        let rec = self.recovery.get_or_init(|| {
            crate::recover::recover(&src.main, src.wal.as_deref(), src.journal.as_deref())
        });
        let live_rows: HashMap<i64, &Vec<Val>> = live
            .iter()
            .filter_map(|r| r.rowid.map(|id| (id, &r.vals)))
            .collect();
        crate::recover::rows_of(rec, table, cols)
            .into_iter()
            .filter(|r| !r.state.is_current())
            .filter(
                |r| !matches!(r.rowid.and_then(|id| live_rows.get(&id)), Some(v) if **v == r.vals),
            )
            .collect()
    }

    /// The SQLite connection over the final state (read-only, in memory).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Names of the tables in the final state, sorted.
    pub fn tables(&self) -> Vec<String> {
        table_names(&self.conn)
    }

    pub fn has_table(&self, table: &str) -> bool {
        self.tables().iter().any(|t| t.eq_ignore_ascii_case(table))
    }

    /// Column names of a table, in declaration order (empty if no such table).
    pub fn columns(&self, table: &str) -> Vec<String> {
        columns(&self.conn, table)
    }

    pub fn user_version(&self) -> i64 {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0)
    }

    /// A one-line description of the schema, for "unknown layout" warnings.
    pub fn schema_summary(&self) -> String {
        format!(
            "user_version {}; tables: {}",
            self.user_version(),
            self.tables().join(", ")
        )
    }

    /// Read `cols` of every row of `table` (plus its rowid), in rowid order. Columns the table
    /// lacks are NULL and listed in [`TableRows::missing`]. Each row's state is `live`, or
    /// `wal_only` when the row (rowid and values) is not in the main file alone.
    pub fn select(&self, table: &str, cols: &[&str]) -> Result<TableRows, ParseError> {
        let present = self.columns(table);
        if present.is_empty() {
            return Err(ParseError::UnknownSchema(format!("no table {table}")));
        }
        let mut missing = Vec::new();
        let mut exprs = Vec::with_capacity(cols.len());
        for c in cols {
            if present.iter().any(|p| p.eq_ignore_ascii_case(c)) {
                exprs.push(quote_ident(c));
            } else {
                missing.push(c.to_string());
                exprs.push("NULL".to_string());
            }
        }
        let rowid = rowid_expr(&self.conn, table);
        let sql = format!(
            "SELECT {rowid}, {} FROM {} ORDER BY 1",
            if exprs.is_empty() {
                "NULL".to_string()
            } else {
                exprs.join(", ")
            },
            quote_ident(table)
        );
        let (rows, damage) = read_rows(&self.conn, &sql, cols.len())?;
        if let Some(e) = damage {
            self.damage.borrow_mut().push(Warning::new(format!(
                "table {table}: reading stopped at damage after {} rows ({e}); the rows before it are kept",
                rows.len()
            )));
        }
        let base = self.base_rows(table, &sql, cols.len());
        let mut rows: Vec<RowData> = rows
            .into_iter()
            .map(|(rid, vals)| {
                let state = match (&base, rid) {
                    _ if self.base.is_none() && !self.base_empty => RecordState::Live,
                    (None, _) => RecordState::WalOnly,
                    (Some(b), Some(r)) if b.get(&r) == Some(&vals) => RecordState::Live,
                    _ => RecordState::WalOnly,
                };
                RowData {
                    rowid: rid,
                    vals,
                    state,
                    offset: None,
                    detail: None,
                }
            })
            .collect();
        let recovered = self.recovered(table, cols, &rows);
        rows.extend(recovered);
        Ok(TableRows {
            table: table.to_string(),
            cols: cols.iter().map(|c| c.to_string()).collect(),
            missing,
            rows,
        })
    }

    /// Damage met by [`DbImage::select`] so far (tables whose rows stopped early), taken out.
    pub fn take_damage(&self) -> Vec<Warning> {
        std::mem::take(&mut self.damage.borrow_mut())
    }

    /// [`DbImage::select`] that also records a warning per missing column in `out`.
    pub fn select_warn(
        &self,
        out: &mut ParseOutput,
        table: &str,
        cols: &[&str],
    ) -> Result<TableRows, ParseError> {
        let t = self.select(table, cols)?;
        out.warnings.append(&mut self.damage.borrow_mut());
        for m in &t.missing {
            out.warn(format!(
                "table {table}: column {m} missing, treated as NULL"
            ));
        }
        let recovered = t.rows.iter().filter(|r| !r.state.is_current()).count() as u64;
        out.count(table, t.rows.len() as u64 - recovered);
        if recovered > 0 {
            out.count(&format!("{table} (recovered)"), recovered);
        }
        Ok(t)
    }

    /// Rows of the same query on the main file alone, keyed by rowid; `None` when the main file
    /// has no such table (every row is then WAL-only).
    fn base_rows(&self, table: &str, sql: &str, ncols: usize) -> Option<BaseRows> {
        let base = self.base.as_ref()?;
        let key = sql.to_string();
        if let Some(hit) = self.base_cache.borrow().get(&key) {
            return hit.clone();
        }
        let res = if columns(base, table).is_empty() {
            None
        } else {
            // The base may lack columns added later by an ALTER TABLE in the WAL.
            let present = columns(base, table);
            let sql_base = if present.is_empty() {
                None
            } else {
                Some(sql.to_string())
            };
            sql_base
                .and_then(|s| read_rows(base, &s, ncols).ok())
                .map(|(rows, _)| {
                    rows.into_iter()
                        .filter_map(|(r, v)| r.map(|r| (r, v)))
                        .collect::<HashMap<_, _>>()
                })
        };
        self.base_cache.borrow_mut().insert(key, res.clone());
        res
    }
}

/// Rows of `sql`; an error after the first step (a damaged page met mid-table) ends the rows
/// there and is returned beside the rows read before it.
fn read_rows(
    conn: &Connection,
    sql: &str,
    ncols: usize,
) -> Result<(Vec<RawRow>, Option<String>), ParseError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    loop {
        let r = match rows.next() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) if out.is_empty() => return Err(e.into()),
            Err(e) => return Ok((out, Some(e.to_string()))),
        };
        let rid = match r.get_ref(0)? {
            rusqlite::types::ValueRef::Integer(i) => Some(i),
            _ => None,
        };
        let mut vals = Vec::with_capacity(ncols);
        for i in 0..ncols {
            vals.push(Val::from_ref(r.get_ref(i + 1)?));
        }
        out.push((rid, vals));
    }
    Ok((out, None))
}

pub(crate) fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn table_names(conn: &Connection) -> Vec<String> {
    let mut names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))
                .map(|it| it.filter_map(Result::ok).collect())
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    conn.prepare(&format!("PRAGMA table_info({})", quote_ident(table)))
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(1))
                .map(|it| it.filter_map(Result::ok).collect())
        })
        .unwrap_or_default()
}

/// `rowid` unless the table is WITHOUT ROWID (then NULL), or has a column literally named rowid.
fn rowid_expr(conn: &Connection, table: &str) -> String {
    let ok = conn
        .prepare(&format!("SELECT rowid FROM {} LIMIT 0", quote_ident(table)))
        .is_ok();
    if ok {
        format!("{}.rowid", quote_ident(table))
    } else {
        "NULL".to_string()
    }
}

/// The set of tables of a database, for callers that only need to look.
pub fn table_set(img: &DbImage) -> HashSet<String> {
    img.tables()
        .into_iter()
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_bytes(sql: &str) -> Vec<u8> {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch(sql).unwrap();
        c.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
    }

    #[test]
    fn opens_in_memory_and_degrades_on_missing_columns() {
        let b = db_bytes("CREATE TABLE sms(_id INTEGER PRIMARY KEY, body TEXT); INSERT INTO sms VALUES (1,'hi'),(2,'yo');");
        let img = DbImage::open(&b, None).unwrap();
        assert_eq!(img.tables(), vec!["sms".to_string()]);
        let t = img.select("sms", &["body", "address"]).unwrap();
        assert_eq!(t.missing, vec!["address".to_string()]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].text(t.col("body")).as_deref(), Some("yo"));
        assert_eq!(t.rows[1].text(t.col("address")), None);
        assert!(t.rows.iter().all(|r| r.state == RecordState::Live));
    }

    #[test]
    fn not_sqlite_is_an_error() {
        assert!(matches!(
            DbImage::open(b"", None),
            Err(ParseError::NotSqlite(_))
        ));
        assert!(matches!(
            DbImage::open(&[7u8; 4096], None),
            Err(ParseError::NotSqlite(_))
        ));
    }
}
