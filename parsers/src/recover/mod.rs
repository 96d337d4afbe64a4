//! Recovery of deleted and superseded records from a SQLite database's bytes, its `-wal` and its
//! rollback `-journal`, by our own page reader ([`crate::sqlite::pages`]); SQLite is never called.
//!
//! Sources, each record tagged with where it came from:
//! * free space of the current database (after the WAL's committed frames are applied):
//!   freelist trunk and leaf pages (`freelist`), freeblocks inside in-use table pages
//!   (`freeblock`), the gap between the cell pointer array and the cell content (`unallocated`),
//!   and pages that belong to no b-tree and are not on the freelist (`unallocated`);
//! * every version of every page held in the WAL (committed frames, the uncommitted tail, frames
//!   with stale salts from before a checkpoint) and the main file's versions of pages the WAL
//!   replaced: rows in them that are not in the current state are `superseded`, tagged with their
//!   commit; their free space is carved like the current pages';
//! * the rollback journal's page images (`superseded`, before the journalled transaction).
//!
//! Carved records are validated against the table schemas read from `sqlite_master` (and from
//! deleted `sqlite_master` records, for dropped tables); a record that fits no schema is reported
//! with no table. A recovered record equal to a live row of its table is not reported, and
//! identical recovered copies are reported once (the best-confidence copy; for superseded rows
//! every commit at which the row was live is listed).
//!
//! Confidence: 0.99 an intact cell of an older page version (WAL frame, journal, main file
//! before the WAL); 0.95 an intact cell found in free space; 0.85 a freed cell rebuilt whose
//! length equals its old freeblock size; 0.7 a freed cell rebuilt and anchored by where the next
//! freed cell or the free extent starts or ends; 0.5 an intact cell that fits no table schema.
//!
//! [`write_jsonl`] prints one object per record: `state`, `table` (null when unattributed),
//! `table_dropped`, `page`, `source` (`main`/`wal`/`journal`), `offset` (in that file), `frame`,
//! `commit`, `visible_at_commits`, `wal_status`, `rowid`, `confidence`, `method`, `detail`,
//! `columns` and `values` (in column order; blobs as `{"blob_base64": ...}`, text that is not
//! valid in the database encoding as `{"text_hex": ...}`).
pub mod carve;
pub mod journal;
pub mod schema;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use crate::model::RecordState;
use crate::sqlite::pages::{self, BtPage, PageDb, LEAF_TABLE};
use crate::sqlite::row::{RowData, Val};
use crate::sqlite::wal::{FrameStatus, Wal};
use carve::{carve_extent, Candidate, Ctx};
use schema::{parse_create_table, TableSchema};

/// Which input file a recovered record's bytes are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Main,
    Wal,
    Journal,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Main => "main",
            Source::Wal => "wal",
            Source::Journal => "journal",
        }
    }
}

/// One recovered record.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub state: RecordState,
    /// Table the record was attributed to; `None` when no schema fits.
    pub table: Option<String>,
    /// The table was found only in a deleted `sqlite_master` record (dropped).
    pub table_dropped: bool,
    /// Database page number the record's page holds.
    pub page: u32,
    pub source: Source,
    /// Byte offset of the record's cell in the source file.
    pub offset: u64,
    pub frame: Option<usize>,
    pub commit: Option<u32>,
    /// For superseded rows: every commit at which the row was live in a page version (0 = the
    /// main file before the WAL's first commit). `commit` is the commit of the page version the
    /// reported copy came from (the latest such, when copies are merged).
    pub commits: Vec<u32>,
    /// For WAL records: `committed`, `uncommitted`, `stale` (salts of an older WAL generation)
    /// or `invalid` (after a break in the checksum chain).
    pub wal_status: Option<&'static str>,
    pub rowid: Option<i64>,
    /// Column names (the schema's), empty when unattributed. Shared between the records of a
    /// table.
    pub columns: std::sync::Arc<[String]>,
    pub vals: Vec<Val>,
    pub confidence: f64,
    /// How it was read: `cell` (intact cell), `header`, `lost1`, `lost2` (reconstructed header).
    pub method: &'static str,
}

impl Recovered {
    /// The recovery detail used in [`RowData::detail`] and JSON output.
    pub fn detail(&self) -> String {
        match (self.source, self.frame) {
            (Source::Wal, Some(f)) => match (self.commit, self.wal_status) {
                (Some(c), _) => format!("wal frame {f} commit {c} page {}", self.page),
                (None, Some(s)) => format!("wal frame {f} ({s}) page {}", self.page),
                _ => format!("wal frame {f} page {}", self.page),
            },
            (Source::Journal, Some(r)) => format!("journal record {r} page {}", self.page),
            _ => match self.commit {
                Some(0) => format!("page {} (main file before the WAL)", self.page),
                _ => format!("page {}", self.page),
            },
        }
    }
}

/// The result of a recovery run.
#[derive(Debug, Default)]
pub struct Recovery {
    pub records: Vec<Recovered>,
    pub warnings: Vec<String>,
    pub schemas: Vec<TableSchema>,
}

/// Counts printed at the end of a recovery run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub records: usize,
    pub by_state: BTreeMap<String, usize>,
    pub unattributed: usize,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Table(usize),
    Master,
    Index,
    Freelist {
        trunk: bool,
    },
    /// An overflow page of a live cell.
    Overflow,
}

const MASTER_SQL: &str =
    "CREATE TABLE sqlite_master(type text, name text, tbl_name text, rootpage integer, sql text)";

/// A 128-bit key of a row's values (two SipHash digests of their canonical encoding), so that live rows and
/// recovered records are compared without building strings. Integral reals hash as integers
/// (SQLite stores them so, and reads them back as reals in REAL columns).
struct KeyHasher {
    /// The canonical encoding of the values, hashed at the end in one pass.
    buf: Vec<u8>,
}

impl KeyHasher {
    fn new() -> Self {
        KeyHasher {
            buf: Vec::with_capacity(128),
        }
    }
    fn put(&mut self, tag: u8, data: &[u8]) {
        self.buf.push(tag);
        self.buf
            .extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(data);
    }
    fn int(&mut self, i: i64) {
        self.put(b'i', &i.to_le_bytes());
    }
    fn real(&mut self, f: f64) {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            self.int(f as i64);
        } else {
            self.put(b'r', &f.to_bits().to_le_bytes());
        }
    }
    fn val(&mut self, v: &Val) {
        match v {
            Val::Null => self.put(b'n', &[]),
            Val::Int(i) => self.int(*i),
            Val::Real(f) => self.real(*f),
            Val::Text(t) => self.put(b't', t.as_bytes()),
            Val::BadText(b) => self.put(b'x', b),
            Val::Blob(b) => self.put(b'b', b),
        }
    }
    fn finish(&self) -> u128 {
        use std::hash::Hasher;
        let mut a = std::collections::hash_map::DefaultHasher::new();
        a.write(&self.buf);
        let mut b = std::collections::hash_map::DefaultHasher::new();
        b.write_u8(0xa5);
        b.write(&self.buf);
        (a.finish() as u128) << 64 | b.finish() as u128
    }
}

fn vals_hash(vals: &[Val]) -> u128 {
    let mut h = KeyHasher::new();
    for v in vals {
        h.val(v);
    }
    h.finish()
}

/// Hash the values of a record straight from its bytes (as [`vals_hash`] of the values the
/// recovery would produce: rowid-alias columns take the rowid, missing trailing columns are
/// NULL). `None` if the record does not decode.
fn record_hash(payload: &[u8], rowid: i64, alias: &[bool], enc: pages::TextEnc) -> Option<u128> {
    let (hl, n) = pages::varint(payload)?;
    let hl = hl as usize;
    if hl < n || hl > payload.len() {
        return None;
    }
    let mut h = KeyHasher::new();
    let mut at = n;
    let mut body = hl;
    let mut col = 0usize;
    while at < hl {
        let (st, k) = pages::varint(payload.get(at..hl)?)?;
        at += k;
        let l = pages::serial_len(st)?;
        let b = payload.get(body..body + l)?;
        body += l;
        if alias.get(col).copied().unwrap_or(false) {
            h.int(rowid);
        } else {
            match st {
                0 => h.put(b'n', &[]),
                7 => {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    h.real(f64::from_be_bytes(a));
                }
                1..=6 | 8 | 9 => match pages::decode_value(st, b, enc) {
                    Val::Int(i) => h.int(i),
                    _ => return None,
                },
                n if n >= 12 && n & 1 == 0 => h.put(b'b', b),
                _ => match enc {
                    pages::TextEnc::Utf8 => match std::str::from_utf8(b) {
                        Ok(_) => h.put(b't', b),
                        Err(_) => h.put(b'x', b),
                    },
                    _ => h.val(&pages::decode_text(b, enc)),
                },
            }
        }
        col += 1;
    }
    while col < alias.len() {
        if alias[col] {
            h.int(rowid);
        } else {
            h.put(b'n', &[]);
        }
        col += 1;
    }
    Some(h.finish())
}

/// Hashes of every live row of the table b-tree at `root`.
fn live_hashes(db: &PageDb<'_>, root: u32, alias: &[bool]) -> HashSet<u128> {
    let mut out = HashSet::new();
    let usable = db.h.usable;
    let enc = db.h.encoding;
    pages::walk_btree(db, root, |_, bytes, bt| {
        if bt.kind != LEAF_TABLE {
            return;
        }
        for &p in &bt.ptrs {
            // Borrow the payload in place when it has no overflow.
            let Some(b) = bytes.get(p..usable.min(bytes.len())) else {
                continue;
            };
            let Some((plen, n1)) = pages::varint(b) else {
                continue;
            };
            let Some((rowid, n2)) = b.get(n1..).and_then(pages::varint) else {
                continue;
            };
            let plen = plen as usize;
            let start = n1 + n2;
            let h = if pages::local_payload(plen, usable, false) == plen {
                b.get(start..start + plen)
                    .and_then(|pl| record_hash(pl, rowid as i64, alias, enc))
            } else {
                pages::table_leaf_cell(bytes, p, usable, Some(db))
                    .and_then(|c| record_hash(&c.payload, c.rowid, alias, enc))
            };
            if let Some(h) = h {
                out.insert(h);
            }
        }
    });
    out
}

/// Everything learnt from one database image: schemas, live rows and page owners.
struct ImageInfo {
    owners: HashMap<u32, Owner>,
    /// Live rows per schema index: value hashes.
    live: HashMap<usize, HashSet<u128>>,
    /// Live `sqlite_master` rows.
    live_master: HashSet<u128>,
}

fn read_schemas(db: &PageDb<'_>, warnings: &mut Vec<String>) -> Vec<TableSchema> {
    let mut out = Vec::new();
    for (_, vals, _, _) in pages::table_rows(db, 1) {
        let typ = vals.first().and_then(|v| v.as_text()).unwrap_or_default();
        if !typ.eq_ignore_ascii_case("table") {
            continue;
        }
        let name = vals.get(1).and_then(|v| v.as_text()).unwrap_or_default();
        let root = vals.get(3).and_then(|v| v.as_i64()).unwrap_or(0);
        let sql = vals.get(4).and_then(|v| v.as_text()).unwrap_or_default();
        if root <= 0 || root > u32::MAX as i64 {
            continue; // virtual tables have root 0
        }
        match parse_create_table(&sql, root as u32) {
            Some(s) => out.push(s),
            None => warnings.push(format!(
                "table {name}: CREATE TABLE statement not understood"
            )),
        }
    }
    out
}

fn image_info(db: &PageDb<'_>, schemas: &[TableSchema]) -> ImageInfo {
    let mut owners = HashMap::new();
    let mut live: HashMap<usize, HashSet<u128>> = HashMap::new();
    pages::walk_btree(db, 1, |pg, _, _| {
        owners.insert(pg, Owner::Master);
    });
    for (si, s) in schemas.iter().enumerate() {
        if s.dropped {
            continue;
        }
        if s.without_rowid {
            pages::walk_btree(db, s.root, |pg, _, _| {
                owners.entry(pg).or_insert(Owner::Index);
            });
            continue;
        }
        pages::walk_btree(db, s.root, |pg, _, _| {
            owners.entry(pg).or_insert(Owner::Table(si));
        });
        let alias: Vec<bool> = s.cols.iter().map(|c| c.rowid_alias).collect();
        live.insert(si, live_hashes(db, s.root, &alias));
    }
    // Index b-trees: every root in sqlite_master that is not a table's.
    for (_, vals, _, _) in pages::table_rows(db, 1) {
        let typ = vals.first().and_then(|v| v.as_text()).unwrap_or_default();
        let root = vals.get(3).and_then(|v| v.as_i64()).unwrap_or(0);
        if typ.eq_ignore_ascii_case("index") && root > 0 && root <= u32::MAX as i64 {
            pages::walk_btree(db, root as u32, |pg, _, _| {
                owners.entry(pg).or_insert(Owner::Index);
            });
        }
    }
    // Overflow pages of live cells (tables, indexes and the schema).
    let tree_pages: Vec<u32> = {
        let mut v: Vec<u32> = owners
            .iter()
            .filter(|(_, o)| matches!(o, Owner::Table(_) | Owner::Index | Owner::Master))
            .map(|(p, _)| *p)
            .collect();
        v.sort_unstable();
        v
    };
    for pg in tree_pages {
        if let (Some(page), Some(bt)) = (db.page(pg), db.btree(pg)) {
            for ov in pages::cell_overflow_pages(db, page, &bt) {
                owners.entry(ov).or_insert(Owner::Overflow);
            }
        }
    }
    let (trunks, leaves) = db.freelist();
    for t in trunks {
        owners.entry(t).or_insert(Owner::Freelist { trunk: true });
    }
    for l in leaves {
        owners.entry(l).or_insert(Owner::Freelist { trunk: false });
    }
    let live_master = live_hashes(db, 1, &[false; 5]);
    ImageInfo {
        owners,
        live,
        live_master,
    }
}

/// Where a page version came from.
#[derive(Clone, Copy)]
struct Version {
    source: Source,
    /// Byte offset of the page data in its source file.
    base: u64,
    page_no: u32,
    frame: Option<usize>,
    commit: Option<u32>,
    wal_status: Option<&'static str>,
    /// Whether rows that are live in this version are reported (older versions only).
    rows_are_history: bool,
}

struct Run<'a> {
    schemas: Vec<TableSchema>,
    master: TableSchema,
    enc: pages::TextEnc,
    usable: usize,
    out: Vec<Recovered>,
    db: &'a PageDb<'a>,
    /// Column names per schema (and the schema table's, last), shared by the records.
    names: Vec<std::sync::Arc<[String]>>,
    empty: std::sync::Arc<[String]>,
}

impl<'a> Run<'a> {
    fn all_schema_order(&self, first: Option<usize>) -> Vec<usize> {
        let mut v: Vec<usize> = first.into_iter().collect();
        v.extend((0..self.schemas.len()).filter(|&i| Some(i) != first));
        v
    }

    fn push(&mut self, c: Candidate, state: RecordState, v: &Version, master: bool) {
        let (table, dropped, columns) = if master {
            (
                Some("sqlite_master".to_string()),
                false,
                self.names[self.schemas.len()].clone(),
            )
        } else {
            match c.schema.and_then(|i| self.schemas.get(i).map(|s| (i, s))) {
                Some((i, s)) => (Some(s.name.clone()), s.dropped, self.names[i].clone()),
                None => (None, false, self.empty.clone()),
            }
        };
        self.out.push(Recovered {
            state,
            table,
            table_dropped: dropped,
            page: v.page_no,
            source: v.source,
            offset: v.base + c.start as u64,
            frame: v.frame,
            commit: v.commit,
            commits: if state == RecordState::Superseded {
                v.commit.into_iter().collect()
            } else {
                Vec::new()
            },
            wal_status: v.wal_status,
            rowid: c.rowid,
            columns,
            vals: c.vals,
            confidence: c.confidence,
            method: c.method,
        });
    }

    /// Carve one version of a page. `owner` is what the page is in the current state (or what the
    /// version itself shows).
    fn ctx<'s>(&'s self, master: bool) -> Ctx<'s> {
        Ctx {
            schemas: if master {
                std::slice::from_ref(&self.master)
            } else {
                &self.schemas[..]
            },
            enc: self.enc,
            usable: self.usable,
            db: Some(self.db),
        }
    }

    /// The schema most of `cands` were attributed to.
    fn majority(cands: &[Candidate]) -> Option<usize> {
        let mut n: BTreeMap<usize, usize> = BTreeMap::new();
        for c in cands {
            if let Some(s) = c.schema {
                *n.entry(s).or_insert(0) += 1;
            }
        }
        n.into_iter()
            .max_by_key(|&(s, k)| (k, std::cmp::Reverse(s)))
            .map(|(s, _)| s)
    }

    /// Carve one version of a page. `owner` is what the page is in the current state.
    fn page(&mut self, page: &[u8], owner: Option<Owner>, v: Version) {
        let hdr_off = PageDb::hdr_off(v.page_no);
        let usable = self.usable.min(page.len());
        let bt = BtPage::parse(page, hdr_off, usable);
        let is_leaf = bt.as_ref().is_some_and(|b| b.kind == LEAF_TABLE);
        match owner {
            Some(Owner::Index) | Some(Owner::Overflow) if !(v.rows_are_history && is_leaf) => {}
            Some(Owner::Table(_)) | Some(Owner::Master) if !is_leaf => {}
            Some(Owner::Table(si)) => {
                let rows = v.rows_are_history.then_some(RecordState::Superseded);
                self.leaf(page, bt.as_ref(), Some(si), false, rows, v);
            }
            Some(Owner::Master) => {
                let rows = v.rows_are_history.then_some(RecordState::Superseded);
                self.leaf(page, bt.as_ref(), None, true, rows, v);
            }
            _ if v.page_no == 1 => {
                let rows = v.rows_are_history.then_some(RecordState::Superseded);
                if is_leaf {
                    self.leaf(page, bt.as_ref(), None, true, rows, v);
                }
            }
            // A table leaf (an older version of a page that is something else now, a freelist
            // leaf that kept its header, or a page in no tree): its cells are rows.
            _ if is_leaf => {
                let rows = if v.rows_are_history {
                    RecordState::Superseded
                } else if matches!(owner, Some(Owner::Freelist { .. })) {
                    RecordState::Freelist
                } else {
                    RecordState::Unallocated
                };
                self.leaf(page, bt.as_ref(), None, false, Some(rows), v);
            }
            // A freed page that still says it was an index or interior page holds no rows.
            Some(Owner::Freelist { trunk: false }) | None if bt.is_some() => {}
            Some(Owner::Freelist { trunk }) => {
                let from = if trunk {
                    let n = pages::be32(page, 4).unwrap_or(0) as usize;
                    8 + 4 * n.min((usable - 8) / 4)
                } else {
                    0
                };
                self.whole(page, from, usable, RecordState::Freelist, v);
            }
            None if !v.rows_are_history => {
                self.whole(page, 0, usable, RecordState::Unallocated, v);
            }
            _ => {}
        }
    }

    /// A page with no usable header (a freelist trunk, or a page whose header was overwritten):
    /// find the intact cells first, learn the page's table from them, then carve it all.
    fn whole(&mut self, page: &[u8], from: usize, to: usize, state: RecordState, v: Version) {
        let all = self.all_schema_order(None);
        let ctx = self.ctx(false);
        let cells = carve::carve(&ctx, page, from, to, &[], &all, &[], true);
        let recon: Vec<usize> = match Self::majority(&cells) {
            Some(s) => vec![s],
            None => all.clone(),
        };
        let cands = carve::carve(&ctx, page, from, to, &[], &all, &recon, true);
        for c in cands {
            self.push(c, state, &v, false);
        }
    }

    /// A table leaf page: its cells (reported with `rows` state when given), then its freeblocks
    /// and unallocated space, reconstructed against the page's table (`owner`, or the table most
    /// of its cells belong to).
    fn leaf(
        &mut self,
        page: &[u8],
        bt: Option<&BtPage>,
        owner: Option<usize>,
        master: bool,
        rows: Option<RecordState>,
        v: Version,
    ) {
        let Some(bt) = bt else { return };
        let usable = self.usable.min(page.len());
        let mut cells: Vec<Candidate> = Vec::new();
        if rows.is_some() {
            for &p in &bt.ptrs {
                let Some(cell) = pages::table_leaf_cell(page, p, usable, Some(self.db)) else {
                    continue;
                };
                let Some(rec) = pages::decode_record(&cell.payload, self.enc, 4096) else {
                    continue;
                };
                let (si, vals) = if master {
                    (None, rec.vals)
                } else {
                    match owner {
                        // A cell of this table's own page is this table's row, whatever its
                        // column count (ALTER TABLE).
                        Some(si) => (
                            Some(si),
                            carve::fill(&self.schemas[si], rec.vals, Some(cell.rowid)),
                        ),
                        None => carve::attribute(
                            &self.schemas,
                            &self.all_schema_order(None),
                            &rec.types,
                            rec.vals,
                            Some(cell.rowid),
                        ),
                    }
                };
                cells.push(Candidate {
                    start: p,
                    end: p + cell.cell_len,
                    schema: si,
                    rowid: Some(cell.rowid),
                    vals,
                    method: "cell",
                    confidence: 0.99,
                    score: 0.0,
                });
            }
        }
        let first = if master {
            Some(0)
        } else {
            owner.or_else(|| Self::majority(&cells))
        };
        let order: Vec<usize> = if master {
            vec![0]
        } else {
            self.all_schema_order(first)
        };
        let recon: Vec<usize> = match first {
            Some(f) => vec![f],
            None => order.clone(),
        };
        let ctx = self.ctx(master);
        let mut found: Vec<(Candidate, RecordState)> = Vec::new();
        for &(f, size) in &bt.freeblocks(page, usable) {
            // A freeblock holds freed cells: the first of each run has its first four bytes
            // overwritten, but a cell freed next to a preceding freeblock is merged into it
            // untouched, so intact cells are looked for too.
            for c in carve::carve(&ctx, page, f, f + size, &[f], &order, &recon, true) {
                found.push((c, RecordState::Freeblock));
            }
        }
        let to = bt.content_start.min(usable);
        for c in carve::carve(&ctx, page, bt.ptr_end, to, &[], &order, &recon, true) {
            found.push((c, RecordState::Unallocated));
        }
        if let Some(st) = rows {
            for c in cells {
                self.push(c, st, &v, master);
            }
        }
        for (c, st) in found {
            self.push(c, st, &v, master);
        }
    }
}

/// Recover deleted and superseded records from a database's main file, `-wal` and `-journal`.
pub fn recover(main: &[u8], wal: Option<&[u8]>, journal: Option<&[u8]>) -> Recovery {
    let mut warnings = Vec::new();
    let parsed_wal = match wal.filter(|w| !w.is_empty()) {
        None => None,
        Some(w) => match Wal::parse(w) {
            Ok(p) => Some((p, w)),
            Err(e) => {
                warnings.push(format!("WAL ignored: {e}"));
                None
            }
        },
    };
    let applied = parsed_wal
        .as_ref()
        .is_some_and(|(p, _)| p.final_db_pages().is_some());
    // The main file is read in place; only a WAL replay makes a new image.
    let image: std::borrow::Cow<'_, [u8]> = match &parsed_wal {
        Some((p, w)) if applied => std::borrow::Cow::Owned(p.replay(w, main)),
        _ => std::borrow::Cow::Borrowed(main),
    };
    let Some(db) = PageDb::new(&image) else {
        warnings.push("not a SQLite database (no valid header)".to_string());
        return Recovery {
            warnings,
            ..Default::default()
        };
    };
    if let Some((p, _)) = &parsed_wal {
        if p.page_size != db.h.page_size {
            warnings.push(format!(
                "WAL page size {} differs from the database's {}",
                p.page_size, db.h.page_size
            ));
        }
    }
    let mut schemas = read_schemas(&db, &mut warnings);
    let main_db = if applied { PageDb::new(main) } else { None };
    if let Some(m) = &main_db {
        // Tables that existed before the WAL's commits.
        for s in read_schemas(m, &mut Vec::new()) {
            if !schemas.iter().any(|x| x.name.eq_ignore_ascii_case(&s.name)) {
                let mut s = s;
                s.dropped = true;
                schemas.push(s);
            }
        }
    }
    let master = parse_create_table(MASTER_SQL, 1).expect("built-in schema parses");
    // Dropped tables: deleted sqlite_master records on the schema pages.
    let mut dropped = Vec::new();
    {
        let ctx = Ctx {
            schemas: std::slice::from_ref(&master),
            enc: db.h.encoding,
            usable: db.h.usable,
            db: Some(&db),
        };
        let mut master_pages = Vec::new();
        pages::walk_btree(&db, 1, |pg, _, bt| {
            if bt.kind == LEAF_TABLE {
                master_pages.push(pg);
            }
        });
        for pg in master_pages {
            let (Some(page), Some(bt)) = (db.page(pg), db.btree(pg)) else {
                continue;
            };
            let mut cands = Vec::new();
            for (f, size) in bt.freeblocks(page, db.h.usable) {
                cands.extend(carve_extent(&ctx, page, f, f + size, &[f], &[0], false));
            }
            cands.extend(carve_extent(
                &ctx,
                page,
                bt.ptr_end,
                bt.content_start.min(db.h.usable),
                &[],
                &[0],
                true,
            ));
            for c in cands {
                let typ = c.vals.first().and_then(|v| v.as_text()).unwrap_or_default();
                let root = c.vals.get(3).and_then(|v| v.as_i64()).unwrap_or(0);
                let sql = c.vals.get(4).and_then(|v| v.as_text()).unwrap_or_default();
                if typ == "table" && root > 0 && root <= u32::MAX as i64 {
                    if let Some(mut s) = parse_create_table(&sql, root as u32) {
                        if !schemas.iter().any(|x| x.name.eq_ignore_ascii_case(&s.name))
                            && !dropped
                                .iter()
                                .any(|x: &TableSchema| x.name.eq_ignore_ascii_case(&s.name))
                        {
                            s.dropped = true;
                            dropped.push(s);
                        }
                    }
                }
            }
        }
    }
    schemas.extend(dropped);
    let info = image_info(&db, &schemas);
    let names: Vec<std::sync::Arc<[String]>> = schemas
        .iter()
        .chain(std::iter::once(&master))
        .map(|s| s.cols.iter().map(|c| c.name.clone()).collect())
        .collect();
    let mut run = Run {
        names,
        empty: std::sync::Arc::from(Vec::<String>::new()),
        schemas,
        master,
        enc: db.h.encoding,
        usable: db.h.usable,
        out: Vec::new(),
        db: &db,
    };
    let ps = db.h.page_size;
    // 1. The current state.
    for pg in 1..=db.npages {
        if db.is_ptrmap(pg) {
            continue;
        }
        let Some(page) = db.page(pg) else { continue };
        let owner = info.owners.get(&pg).copied();
        run.page(
            page,
            owner,
            Version {
                source: Source::Main,
                base: (pg as u64 - 1) * ps as u64,
                page_no: pg,
                frame: None,
                commit: None,
                wal_status: None,
                rows_are_history: false,
            },
        );
    }
    // 2. Older versions: the main file's pages that the WAL replaced, then every WAL frame.
    if let Some((w, wbytes)) = &parsed_wal {
        if let Some(m) = &main_db {
            let replaced: std::collections::BTreeSet<u32> = w
                .frames
                .iter()
                .filter(|f| f.status == FrameStatus::Committed)
                .map(|f| f.page_no)
                .collect();
            for pg in replaced {
                let Some(page) = m.page(pg) else { continue };
                if m.is_ptrmap(pg) {
                    continue;
                }
                let owner = info.owners.get(&pg).copied();
                run.page(
                    page,
                    owner,
                    Version {
                        source: Source::Main,
                        base: (pg as u64 - 1) * ps as u64,
                        page_no: pg,
                        frame: None,
                        commit: Some(0),
                        wal_status: None,
                        rows_are_history: true,
                    },
                );
            }
        }
        if w.page_size == ps {
            for f in &w.frames {
                let r = f.data_range(ps);
                let Some(page) = wbytes.get(r.clone()) else {
                    continue;
                };
                if f.page_no == 0 || db.is_ptrmap(f.page_no) {
                    continue;
                }
                let owner = info.owners.get(&f.page_no).copied();
                let status = match f.status {
                    FrameStatus::Committed => "committed",
                    FrameStatus::Uncommitted => "uncommitted",
                    // Salts of an older WAL generation (left from before a checkpoint), or a
                    // frame after a break in the checksum chain.
                    FrameStatus::Invalid if (f.salt1, f.salt2) != (w.salt1, w.salt2) => "stale",
                    FrameStatus::Invalid => "invalid",
                };
                run.page(
                    page,
                    owner,
                    Version {
                        source: Source::Wal,
                        base: r.start as u64,
                        page_no: f.page_no,
                        frame: Some(f.index),
                        commit: f.commit_no,
                        wal_status: Some(status),
                        rows_are_history: true,
                    },
                );
            }
        }
    }
    // 3. The rollback journal's page images.
    if let Some(j) = journal.filter(|j| !j.is_empty()) {
        match journal::parse(j, ps) {
            Ok(recs) => {
                for (i, r) in recs.iter().enumerate() {
                    let Some(page) = j.get(r.data.clone()) else {
                        continue;
                    };
                    if db.is_ptrmap(r.page_no) {
                        continue;
                    }
                    let owner = info.owners.get(&r.page_no).copied();
                    run.page(
                        page,
                        owner,
                        Version {
                            source: Source::Journal,
                            base: r.data.start as u64,
                            page_no: r.page_no,
                            frame: Some(i),
                            commit: None,
                            wal_status: None,
                            rows_are_history: true,
                        },
                    );
                }
            }
            Err(e) => warnings.push(format!("journal ignored: {e}")),
        }
    }
    let Run { schemas, out, .. } = run;
    let records = dedupe(out, &schemas, &info);
    Recovery {
        records,
        warnings,
        schemas,
    }
}

/// Drop records equal to a live row of their table, and identical copies (the best-confidence
/// copy is kept; output order is the order of first sight).
fn dedupe(recs: Vec<Recovered>, schemas: &[TableSchema], info: &ImageInfo) -> Vec<Recovered> {
    let mut live_any: Option<HashSet<u128>> = None;
    let mut best: HashMap<(u128, u64), usize> = HashMap::new();
    let mut keep: Vec<Option<Recovered>> = Vec::new();
    let by_name: HashMap<&str, usize> = schemas
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.dropped)
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    for r in recs {
        let vh = vals_hash(&r.vals);
        let si = r.table.as_deref().and_then(|t| by_name.get(t).copied());
        let is_live = match (&r.table, si) {
            (_, Some(si)) => info.live.get(&si).is_some_and(|l| l.contains(&vh)),
            (Some(t), None) if t == "sqlite_master" => info.live_master.contains(&vh),
            // Unattributed, or a dropped table's: not a copy of any live row.
            _ => live_any
                .get_or_insert_with(|| info.live.values().flatten().copied().collect())
                .contains(&vh),
        };
        if is_live {
            continue;
        }
        let th = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            r.table.hash(&mut h);
            h.finish()
        };
        match best.get(&(vh, th)) {
            Some(&i) => {
                let Some(cur) = keep[i].as_mut() else {
                    continue;
                };
                let mut commits = std::mem::take(&mut cur.commits);
                commits.extend(r.commits.iter().copied());
                commits.sort_unstable();
                commits.dedup();
                let better = (r.confidence, r.commit) > (cur.confidence, cur.commit);
                if better {
                    *cur = r;
                }
                cur.commits = commits;
            }
            None => {
                best.insert((vh, th), keep.len());
                keep.push(Some(r));
            }
        }
    }
    keep.into_iter().flatten().collect()
}

/// Recovered rows of `table` (case-insensitive), with the asked columns in the order asked
/// (columns the table lacks are NULL), ready for the artifact parsers' row mapping functions.
pub fn rows_for_table(
    image: &[u8],
    wal: Option<&[u8]>,
    table: &str,
    cols: &[&str],
) -> Vec<RowData> {
    let rec = recover(image, wal, None);
    rows_of(&rec, table, cols)
}

/// [`rows_for_table`] over an existing [`Recovery`].
pub fn rows_of(rec: &Recovery, table: &str, cols: &[&str]) -> Vec<RowData> {
    rec.records
        .iter()
        .filter(|r| {
            r.table
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(table))
        })
        .map(|r| RowData {
            rowid: r.rowid,
            vals: cols
                .iter()
                .map(|c| {
                    r.columns
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(c))
                        .and_then(|i| r.vals.get(i).cloned())
                        .unwrap_or(Val::Null)
                })
                .collect(),
            state: r.state,
            offset: Some(r.offset),
            detail: Some(match r.source {
                Source::Main => r.detail(),
                _ => format!("{} ({} offset {})", r.detail(), r.source.as_str(), r.offset),
            }),
        })
        .collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for ch in b.chunks(3) {
        let n = match ch.len() {
            3 => (ch[0] as u32) << 16 | (ch[1] as u32) << 8 | ch[2] as u32,
            2 => (ch[0] as u32) << 16 | (ch[1] as u32) << 8,
            _ => (ch[0] as u32) << 16,
        };
        for i in 0..4 {
            if i <= ch.len() {
                s.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A value as JSON: blobs as `{"blob_base64": ...}`, text that was not valid in the database's
/// encoding as `{"text_hex": ...}`.
pub fn val_json(v: &Val) -> serde_json::Value {
    use serde_json::json;
    match v {
        Val::Null => serde_json::Value::Null,
        Val::Int(i) => json!(i),
        Val::Real(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Val::Text(s) => json!(s),
        Val::BadText(b) => json!({ "text_hex": crate::sqlite::row::hex(b) }),
        Val::Blob(b) => json!({ "blob_base64": base64(b) }),
    }
}

/// One recovered record as a JSON object.
pub fn record_json(r: &Recovered) -> serde_json::Value {
    use serde_json::json;
    json!({
        "state": r.state.as_str(),
        "table": r.table,
        "table_dropped": r.table_dropped,
        "page": r.page,
        "source": r.source.as_str(),
        "offset": r.offset,
        "frame": r.frame,
        "commit": r.commit,
        "visible_at_commits": r.commits,
        "wal_status": r.wal_status,
        "rowid": r.rowid,
        "confidence": r.confidence,
        "method": r.method,
        "detail": r.detail(),
        "columns": r.columns.to_vec(),
        "values": r.vals.iter().map(val_json).collect::<Vec<_>>(),
    })
}

/// Recover and print one JSON object per recovered record (one per line). Returns the counts.
pub fn write_jsonl(
    out: &mut dyn Write,
    main: &[u8],
    wal: Option<&[u8]>,
    journal: Option<&[u8]>,
) -> io::Result<Summary> {
    let rec = recover(main, wal, journal);
    let mut sum = Summary {
        warnings: rec.warnings.clone(),
        ..Default::default()
    };
    for r in &rec.records {
        let line = serde_json::to_string(&record_json(r)).map_err(io::Error::other)?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        sum.records += 1;
        *sum.by_state
            .entry(r.state.as_str().to_string())
            .or_insert(0) += 1;
        if r.table.is_none() {
            sum.unattributed += 1;
        }
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
