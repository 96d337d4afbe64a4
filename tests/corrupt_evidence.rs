//! Corrupt evidence: good databases and archives built here (in private temp folders), then
//! damaged the ways seized phones and broken extractions damage them. Every case must end in a
//! warning or a clean error (naming the byte offset where the damage has one), with everything
//! before the damage still read, and nothing may panic or hang.
use std::path::Path;

use linesift::evidence::hash::HashSet;
use linesift::ingest::{self, ScanOpts, ScanOutput};
use linesift_parsers::sqlite::row::Val;
use linesift_parsers::sqlite::wal::{wal_checksum, Wal, FRAME_HEADER_LEN, WAL_HEADER_LEN};
use linesift_parsers::sqlite::DbImage;
use linesift_parsers::{ParseError, ParseOutput, RecordState};
use rusqlite::Connection;

const PS: usize = 1024;

fn be16(b: &[u8], at: usize) -> usize {
    u16::from_be_bytes([b[at], b[at + 1]]) as usize
}
fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Byte offset of page `n` (1-based) and of its b-tree header.
fn page_at(n: u32) -> (usize, usize) {
    let start = (n as usize - 1) * PS;
    (start, if n == 1 { start + 100 } else { start })
}

/// A table b-tree walked in key order: the interior pages, and the leaves with their cell counts.
struct Tree {
    interior: Vec<u32>,
    leaves: Vec<(u32, usize)>,
}

fn walk(b: &[u8], root: u32) -> Tree {
    fn go(b: &[u8], n: u32, t: &mut Tree) {
        let (start, h) = page_at(n);
        let ncells = be16(b, h + 3);
        match b[h] {
            0x0D => t.leaves.push((n, ncells)),
            0x05 => {
                t.interior.push(n);
                for i in 0..ncells {
                    let cp = be16(b, h + 12 + 2 * i);
                    go(b, be32(b, start + cp), t);
                }
                go(b, be32(b, h + 8), t);
            }
            other => panic!("fixture page {n} has type {other:#x}"),
        }
    }
    let mut t = Tree {
        interior: Vec::new(),
        leaves: Vec::new(),
    };
    go(b, root, &mut t);
    t
}

/// Build a database with SQLite in a private temp folder (rollback journal) and return its bytes
/// and the root page of `table`.
fn make_db(setup: &str, table: &str) -> (Vec<u8>, u32) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.db");
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "page_size", PS as i64).unwrap();
    c.execute_batch(setup).unwrap();
    let root: u32 = c
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    drop(c);
    (std::fs::read(&p).unwrap(), root)
}

fn body(i: i64) -> String {
    format!("message {i} {}", "x".repeat((i as usize * 7) % 90))
}

/// 300 short rows in `sms` (about 40 pages), then a `filler` table whose pages come after.
fn sms_fixture() -> (Vec<u8>, u32) {
    let mut sql =
        String::from("CREATE TABLE sms(_id INTEGER PRIMARY KEY, address TEXT, body TEXT); BEGIN;");
    for i in 1..=300 {
        sql += &format!(
            "INSERT INTO sms VALUES({i}, '07700 900{:03}', '{}');",
            i % 1000,
            body(i)
        );
    }
    sql += "COMMIT; CREATE TABLE filler(x BLOB); BEGIN;";
    for _ in 0..12 {
        sql += "INSERT INTO filler VALUES(randomblob(900));";
    }
    sql += "COMMIT;";
    make_db(&sql, "sms")
}

fn select_sms(img: &DbImage) -> Result<Vec<(i64, String)>, ParseError> {
    let t = img.select("sms", &["address", "body"])?;
    Ok(t.rows
        .iter()
        .map(|r| (r.rowid.unwrap(), r.text(t.col("body")).unwrap_or_default()))
        .collect())
}

/// The rows returned are exactly the first `n` of the fixture.
fn assert_prefix(rows: &[(i64, String)], n: usize) {
    assert_eq!(rows.len(), n, "rows read before the damage");
    for (k, (id, b)) in rows.iter().enumerate() {
        assert_eq!(*id, k as i64 + 1);
        assert_eq!(*b, body(*id));
    }
}

fn has_warning(img: &DbImage, offset: u64, needle: &str) -> bool {
    img.warnings
        .iter()
        .any(|w| w.offset == Some(offset) && w.message.contains(needle))
}

/// Rows a key-order walk can read before it meets the first page that is missing or `bad`.
fn readable_prefix(t: &Tree, ok: impl Fn(u32) -> bool) -> Option<usize> {
    if !t.interior.iter().all(|&p| ok(p)) {
        return None;
    }
    let mut n = 0;
    for &(p, c) in &t.leaves {
        if !ok(p) {
            break;
        }
        n += c;
    }
    Some(n)
}

#[test]
fn truncated_at_every_page_boundary() {
    let (db, root) = sms_fixture();
    let tree = walk(&db, root);
    let pages = db.len() / PS;
    assert!(tree.leaves.len() > 5 && pages > tree.leaves.len() + 10);
    let last_sms = tree
        .leaves
        .iter()
        .map(|l| l.0)
        .chain(tree.interior.iter().copied())
        .max()
        .unwrap() as usize;
    for k in 0..=pages {
        let cut = &db[..k * PS];
        let img = match DbImage::open(cut, None) {
            Ok(img) => img,
            Err(e) => {
                assert_eq!(k, 0, "cut at page {k}: {e}");
                assert!(matches!(e, ParseError::NotSqlite(_)));
                continue;
            }
        };
        if k < pages {
            assert!(
                has_warning(&img, 28, &format!("claims {pages} pages but only {k}")),
                "cut at page {k}: {:?}",
                img.warnings
            );
        } else {
            assert!(img.warnings.is_empty(), "{:?}", img.warnings);
        }
        let expect = readable_prefix(&tree, |p| p as usize <= k);
        match (select_sms(&img), expect) {
            (Ok(rows), Some(n)) => {
                assert_prefix(&rows, n);
                if n < 300 {
                    let d = img.take_damage();
                    assert!(d.iter().any(|w| w.message.contains("table sms")), "{d:?}");
                }
                if k >= last_sms {
                    assert_eq!(n, 300);
                }
            }
            (Err(e), Some(0)) | (Err(e), None) => {
                assert!(
                    matches!(e, ParseError::Sqlite(_) | ParseError::UnknownSchema(_)),
                    "{e}"
                )
            }
            (Err(e), Some(n)) => panic!("cut at page {k}: {n} rows readable but got {e}"),
            (Ok(rows), None) => assert!(rows.is_empty(), "rows read through a missing page"),
        }
    }
}

#[test]
fn page_with_bad_header_keeps_the_rows_before_it() {
    let (mut db, root) = sms_fixture();
    let tree = walk(&db, root);
    let bad = tree.leaves[tree.leaves.len() / 2].0;
    db[page_at(bad).1] = 0x07; // not a b-tree page type
    let img = DbImage::open(&db, None).unwrap();
    let expect = readable_prefix(&tree, |p| p != bad).unwrap();
    let rows = select_sms(&img).unwrap();
    assert_prefix(&rows, expect);
    let mut out = ParseOutput::default();
    let t = img.select_warn(&mut out, "sms", &["body"]).unwrap();
    assert_eq!(t.rows.len(), expect);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("reading stopped at damage")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn cell_pointer_past_the_page_end() {
    let (mut db, root) = sms_fixture();
    let tree = walk(&db, root);
    let idx = tree.leaves.len() / 2;
    let bad = tree.leaves[idx].0;
    let h = page_at(bad).1;
    db[h + 8..h + 10].copy_from_slice(&0xFFF0u16.to_be_bytes());
    let img = DbImage::open(&db, None).unwrap();
    let before: usize = tree.leaves[..idx].iter().map(|l| l.1).sum();
    // SQLite either stops at the page or reads a garbled first cell from it; the rows of every
    // leaf before it are read exactly either way.
    if let Ok(rows) = select_sms(&img) {
        assert!(rows.len() >= before);
        assert_prefix(&rows[..before], before);
    }
}

#[test]
fn page_count_larger_than_the_file_and_2_pow_31() {
    let (db, _) = sms_fixture();
    let pages = (db.len() / PS) as u32;
    for claim in [pages + 5, 1u32 << 31, u32::MAX] {
        let mut d = db.clone();
        d[28..32].copy_from_slice(&claim.to_be_bytes());
        let img = DbImage::open(&d, None).unwrap();
        assert!(
            has_warning(&img, 28, &format!("claims {claim} pages but only {pages}")),
            "{:?}",
            img.warnings
        );
        assert_prefix(&select_sms(&img).unwrap(), 300);
    }
}

/// A database whose `blobs` table holds rows with 4000-byte bodies (overflow chains) and whose
/// freelist is not empty.
fn overflow_fixture() -> (Vec<u8>, u32) {
    let mut sql = String::from(
        "PRAGMA auto_vacuum = NONE; CREATE TABLE blobs(_id INTEGER PRIMARY KEY, body TEXT); \
         CREATE TABLE gone(x); BEGIN;",
    );
    for i in 1..=6 {
        sql += &format!(
            "INSERT INTO blobs VALUES({i}, '{}');",
            format!("{i}").repeat(4000)
        );
    }
    sql +=
        "INSERT INTO gone SELECT randomblob(800) FROM blobs, blobs AS b2; COMMIT; DROP TABLE gone;";
    make_db(&sql, "blobs")
}

#[test]
fn cyclic_overflow_chain_and_cyclic_freelist() {
    let (mut db, root) = overflow_fixture();
    let tree = walk(&db, root);
    // The third row's cell: payload length varint (2 bytes for 4003), rowid varint (1 byte).
    let cp = tree
        .leaves
        .iter()
        .flat_map(|&(leaf, n)| {
            let (start, h) = page_at(leaf);
            (0..n).map(move |i| (start, h, i))
        })
        .map(|(start, h, i)| start + be16(&db, h + 8 + 2 * i))
        .find(|&cp| db[cp + 2] == 3)
        .expect("row 3");
    // Its first overflow page number: the 4 bytes after the local part of the payload. With
    // usable size U = 1024, local = M + (P - M) % (U - 4) when that fits in X, else M.
    let p = 4000 + 4; // record header (size, NULL id, 2-byte text serial type) + body
    let (u, x) = (PS, PS - 35);
    let m = ((u - 12) * 32 / 255) - 23;
    let k = m + (p - m) % (u - 4);
    let local = if k <= x { k } else { m };
    let first_ovfl_at = cp + 3 + local;
    let ovfl = be32(&db, first_ovfl_at);
    assert!(ovfl as usize <= db.len() / PS, "overflow page {ovfl}");
    // Make the first overflow page point at itself.
    let (os, _) = page_at(ovfl);
    db[os..os + 4].copy_from_slice(&ovfl.to_be_bytes());
    // And the freelist trunk at itself.
    let trunk = be32(&db, 32);
    assert!(trunk != 0, "fixture has a freelist");
    let (ts, _) = page_at(trunk);
    db[ts..ts + 4].copy_from_slice(&trunk.to_be_bytes());

    let img = DbImage::open(&db, None).unwrap();
    let t = img.select("blobs", &["body"]).unwrap();
    // The damaged row reads as garbage or stops the table; every row before it is exact.
    assert!(t.rows.len() >= 2, "{}", t.rows.len());
    for r in &t.rows {
        let id = r.rowid.unwrap();
        let b = r.text(t.col("body"));
        if id != 3 {
            assert_eq!(b.as_deref(), Some(format!("{id}").repeat(4000).as_str()));
        }
    }
}

#[test]
fn record_header_declaring_a_4_gb_blob() {
    let mut sql =
        String::from("CREATE TABLE t(_id INTEGER PRIMARY KEY, a, b, c, d, body BLOB); BEGIN;");
    for i in 1..=40 {
        let fill = if i == 20 { "ab" } else { "cd" };
        sql += &format!(
            "INSERT INTO t VALUES({i}, NULL, NULL, NULL, NULL, x'{}');",
            fill.repeat(100)
        );
    }
    sql += "COMMIT;";
    let (mut db, _) = make_db(&sql, "t");
    // Record header of row 20: size 8, five NULLs, blob(100) = serial type 212 = 81 54.
    let mut needle = vec![8u8, 0, 0, 0, 0, 0, 0x81, 0x54];
    needle.extend(std::iter::repeat_n(0xABu8, 100));
    let at = db
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("row 20 in the fixture");
    // a = blob of 4,000,000,000 bytes (serial type 8e9 + 12, a 5-byte varint), b = NULL.
    let st: u64 = 4_000_000_000 * 2 + 12;
    let varint = [
        0x80 | ((st >> 28) & 0x7f) as u8,
        0x80 | ((st >> 21) & 0x7f) as u8,
        0x80 | ((st >> 14) & 0x7f) as u8,
        0x80 | ((st >> 7) & 0x7f) as u8,
        (st & 0x7f) as u8,
    ];
    db[at + 1] = 0;
    db[at + 2..at + 7].copy_from_slice(&varint);
    db[at + 7] = 0;
    let img = DbImage::open(&db, None).unwrap();
    match img.select("t", &["a", "body"]) {
        Ok(t) => {
            assert_eq!(t.rows.len(), 19, "rows before the damaged record");
            assert!(t
                .rows
                .iter()
                .all(|r| r.blob(t.col("body")) == Some(&[0xCD; 100][..])));
            assert!(!img.take_damage().is_empty());
        }
        Err(e) => panic!("rows before the damaged record lost: {e}"),
    }
}

#[test]
fn invalid_utf8_and_utf16_surrogates_in_text() {
    let (db, _) = make_db(
        "CREATE TABLE m(_id INTEGER PRIMARY KEY, body TEXT); \
         INSERT INTO m VALUES(1, CAST(x'41ff42c0' AS TEXT)), (2, 'fine'), (3, CAST(x'eda080' AS TEXT));",
        "m",
    );
    let img = DbImage::open(&db, None).unwrap();
    let t = img.select("m", &["body"]).unwrap();
    let c = t.col("body");
    assert_eq!(t.rows.len(), 3);
    assert_eq!(
        t.rows[0].get(c),
        &Val::BadText(vec![0x41, 0xff, 0x42, 0xc0])
    );
    assert_eq!(t.rows[0].get(c).bad_text_hex().as_deref(), Some("41ff42c0"));
    assert_eq!(t.rows[0].text(c).as_deref(), Some("A\u{fffd}B\u{fffd}"));
    assert_eq!(t.rows[1].text(c).as_deref(), Some("fine"));
    // A UTF-8-encoded surrogate is not UTF-8: kept as bytes.
    assert_eq!(t.rows[2].get(c).bad_text_hex().as_deref(), Some("eda080"));

    // A UTF-16 database holding lone surrogates (high without low, low alone).
    let (db16, _) = make_db(
        "PRAGMA encoding = 'UTF-16le'; CREATE TABLE m(_id INTEGER PRIMARY KEY, body TEXT); \
         INSERT INTO m VALUES(1, CAST(x'00d84100' AS TEXT)), (2, CAST(x'00dc' AS TEXT)), \
         (3, CAST(x'4100d8' AS TEXT)), (4, 'after');",
        "m",
    );
    let img = DbImage::open(&db16, None).unwrap();
    let t = img.select("m", &["body"]).unwrap();
    assert_eq!(t.rows.len(), 4);
    for r in &t.rows[..3] {
        assert!(matches!(
            r.get(t.col("body")),
            Val::Text(_) | Val::BadText(_)
        ));
        assert!(r.text(t.col("body")).is_some());
    }
    assert_eq!(t.rows[3].text(t.col("body")).as_deref(), Some("after"));
}

/// A WAL database: schema checkpointed into the main file, then `commits` transactions of one row
/// each (`w1`, `w2` ...) left in the WAL.
fn wal_fixture(commits: usize) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.db");
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "page_size", PS as i64).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    c.execute_batch("CREATE TABLE sms(_id INTEGER PRIMARY KEY, address TEXT, body TEXT); INSERT INTO sms VALUES(1, '07700 900001', 'main');")
        .unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    for i in 1..=commits {
        c.execute(
            "INSERT INTO sms VALUES(?1, '07700 900002', ?2)",
            rusqlite::params![i as i64 + 1, format!("w{i}")],
        )
        .unwrap();
    }
    let main = std::fs::read(&p).unwrap();
    let wal = std::fs::read(dir.path().join("w.db-wal")).unwrap();
    drop(c);
    (main, wal)
}

fn bodies(img: &DbImage) -> Vec<(String, RecordState)> {
    let t = img.select("sms", &["body"]).unwrap();
    t.rows
        .iter()
        .map(|r| (r.text(t.col("body")).unwrap(), r.state))
        .collect()
}

fn expect_commits(n: usize) -> Vec<(String, RecordState)> {
    let mut v = vec![("main".to_string(), RecordState::Live)];
    v.extend((1..=n).map(|i| (format!("w{i}"), RecordState::WalOnly)));
    v
}

#[test]
fn wal_with_a_broken_checksum_in_the_middle() {
    let (main, wal) = wal_fixture(5);
    let w = Wal::parse(&wal).unwrap();
    assert_eq!(w.commit_count(), 5);
    let f = w.frames.iter().find(|f| f.commit_no == Some(3)).unwrap();
    let mut bad = wal.clone();
    bad[f.data_range(PS).start + 500] ^= 0x55;
    let img = DbImage::open(&main, Some(&bad)).unwrap();
    assert_eq!(bodies(&img), expect_commits(2));
    assert!(
        has_warning(&img, f.offset, "checksum breaks the chain"),
        "{:?}",
        img.warnings
    );
    // Intact, all five commits are read.
    let img = DbImage::open(&main, Some(&wal)).unwrap();
    assert_eq!(bodies(&img), expect_commits(5));
}

#[test]
fn wal_truncated_at_every_frame_boundary() {
    let (main, wal) = wal_fixture(4);
    let w = Wal::parse(&wal).unwrap();
    let frame = FRAME_HEADER_LEN + PS;
    for nf in 0..=w.frames.len() {
        let cut = &wal[..(WAL_HEADER_LEN + nf * frame).min(wal.len())];
        let img = DbImage::open(&main, Some(cut)).unwrap();
        let commits = w.frames[..nf]
            .iter()
            .filter_map(|f| f.commit_no)
            .max()
            .unwrap_or(0) as usize;
        assert_eq!(bodies(&img), expect_commits(commits), "{nf} frames");
        // Cut inside the next frame: a trailing partial frame is reported where it starts.
        if nf < w.frames.len() {
            let cut = &wal[..WAL_HEADER_LEN + nf * frame + 100];
            let img = DbImage::open(&main, Some(cut)).unwrap();
            assert_eq!(bodies(&img), expect_commits(commits));
            assert!(has_warning(
                &img,
                (WAL_HEADER_LEN + nf * frame) as u64,
                "trailing bytes"
            ));
        }
    }
}

/// Recompute the WAL checksum chain after editing frame headers.
fn fix_wal_checksums(w: &mut [u8]) {
    let be = w[3] & 1 == 1;
    let mut s = wal_checksum(be, &w[..24], (0, 0));
    let frame = FRAME_HEADER_LEN + PS;
    let mut off = WAL_HEADER_LEN;
    while off + frame <= w.len() {
        s = wal_checksum(be, &w[off..off + 8], s);
        s = wal_checksum(be, &w[off + FRAME_HEADER_LEN..off + frame], s);
        w[off + 16..off + 20].copy_from_slice(&s.0.to_be_bytes());
        w[off + 20..off + 24].copy_from_slice(&s.1.to_be_bytes());
        off += frame;
    }
}

#[test]
fn wal_commit_claiming_2_pow_31_pages() {
    let (main, wal) = wal_fixture(2);
    let w = Wal::parse(&wal).unwrap();
    let last = w.frames.iter().rev().find(|f| f.commit_size != 0).unwrap();
    let real = last.commit_size;
    let mut bad = wal.clone();
    let at = last.offset as usize + 4;
    bad[at..at + 4].copy_from_slice(&(1u32 << 31).to_be_bytes());
    fix_wal_checksums(&mut bad);
    let img = DbImage::open(&main, Some(&bad)).unwrap();
    assert_eq!(
        img.bytes.len(),
        real as usize * PS,
        "image limited to pages held"
    );
    assert!(
        has_warning(&img, at as u64, "claims 2147483648 pages"),
        "{:?}",
        img.warnings
    );
    assert_eq!(bodies(&img), expect_commits(2));
}

// ---- archives ----------------------------------------------------------------------------

fn scan(path: &Path, dir: &Path) -> ScanOutput {
    let kind = ingest::detect(path).unwrap();
    let all = |_: &str| true;
    let opts = ScanOpts {
        hashes: HashSet::sha256_only(),
        max_in_memory: 1 << 20,
        max_member: 1 << 30,
        temp_dir: dir.join("tmp"),
        progress: None,
        want: &all,
    };
    ingest::scan(path, kind, &opts).unwrap()
}

fn zip_of(members: &[(&str, &[u8], bool)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data, deflate) in members {
        let o = zip::write::SimpleFileOptions::default().compression_method(if *deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        });
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Byte offset of the central directory header of `name`.
fn cd_entry(z: &[u8], name: &str) -> usize {
    let mut needle = b"PK\x01\x02".to_vec();
    needle.truncate(4);
    (0..z.len() - 46)
        .find(|&i| {
            z[i..i + 4] == needle[..] && {
                let nlen = u16::from_le_bytes([z[i + 28], z[i + 29]]) as usize;
                z.get(i + 46..i + 46 + nlen) == Some(name.as_bytes())
            }
        })
        .unwrap()
}

fn problem_of<'a>(s: &'a ScanOutput, name: &str) -> (Option<&'a str>, Option<u64>) {
    let g = s
        .grabbed
        .iter()
        .find(|g| s.entries[g.entry].path == name)
        .unwrap();
    (g.problem.as_deref(), s.entries[g.entry].offset)
}

#[test]
fn archive_entries_lying_about_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let good: &[u8] = &[1u8; 3000];
    let text = b"hello hello hello hello hello hello hello hello".repeat(40);
    let z = zip_of(&[
        ("a/good.db", good, false),
        ("a/bigger.db", &[2u8; 1000], false),
        ("a/smaller.db", &text, true),
        ("a/last.db", &[3u8; 2000], false),
    ]);
    let mut z = z;
    // bigger.db: stored, claims 1500 bytes (compressed and uncompressed) but holds 1000.
    let e = cd_entry(&z, "a/bigger.db");
    z[e + 20..e + 24].copy_from_slice(&1500u32.to_le_bytes());
    z[e + 24..e + 28].copy_from_slice(&1500u32.to_le_bytes());
    // smaller.db: inflates to more than the 100 bytes it claims.
    let e = cd_entry(&z, "a/smaller.db");
    z[e + 24..e + 28].copy_from_slice(&100u32.to_le_bytes());
    // last.db: claims far more compressed data than the file holds.
    let e = cd_entry(&z, "a/last.db");
    z[e + 20..e + 24].copy_from_slice(&90_000_000u32.to_le_bytes());
    let p = dir.path().join("lying.zip");
    std::fs::write(&p, &z).unwrap();
    let s = scan(&p, dir.path());
    assert_eq!(s.entries.len(), 4);

    let (prob, _) = problem_of(&s, "a/good.db");
    assert_eq!(prob, None);
    let g = s
        .grabbed
        .iter()
        .find(|g| s.entries[g.entry].path == "a/good.db");
    assert_eq!(&g.unwrap().data[..], good);

    let (prob, off) = problem_of(&s, "a/bigger.db");
    assert!(prob.unwrap().contains("CRC-32 mismatch"), "{prob:?}");
    assert!(off.is_some());

    let (prob, _) = problem_of(&s, "a/smaller.db");
    assert!(
        prob.unwrap()
            .contains("inflates beyond its declared size of 100"),
        "{prob:?}"
    );

    let (prob, off) = problem_of(&s, "a/last.db");
    let prob = prob.unwrap();
    assert!(prob.contains("runs past the end of the file"), "{prob}");
    let off = off.unwrap();
    assert_eq!(
        &z[off as usize..off as usize + 4],
        b"PK\x03\x04",
        "offset names the member"
    );
}

#[test]
fn tar_entry_claiming_more_than_the_archive_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in [("a/one.db", vec![1u8; 700]), ("a/two.db", vec![2u8; 5000])] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, &data[..]).unwrap();
    }
    let mut t = b.into_inner().unwrap();
    // Cut the archive inside two.db: its header says 5000 bytes, 1000 remain.
    let two = t.windows(8).position(|w| w == b"a/two.db").unwrap();
    t.truncate(two + 512 + 1000);
    let p = dir.path().join("cut.tar");
    std::fs::write(&p, &t).unwrap();
    let s = scan(&p, dir.path());
    let (prob, _) = problem_of(&s, "a/one.db");
    assert_eq!(prob, None);
    let (prob, off) = problem_of(&s, "a/two.db");
    assert!(
        prob.unwrap().contains("1000 of 5000 bytes present"),
        "{prob:?}"
    );
    assert!(off.is_some());
    assert!(s
        .problems
        .iter()
        .any(|p| p.contains("truncated or damaged inside entry 1")));
}
