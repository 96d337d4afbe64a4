//! Scorer: recovery over the Nemetz/Schmitt/Freiling SQLite forensic corpus (v1), against its
//! answer keys (`.xml`). Prints per category and overall: deleted rows in the key, recovered,
//! recall, precision, live rows reported as deleted (checked against the database itself through
//! `DbImage`, not only the key), and the ceiling (deleted rows whose encoded values still occur in
//! the file). Asserts the thresholds of issue 8 and that every corpus database reads without a
//! panic.
//!
//! Matching: a recovered record counts for a key row when it has the same number of columns and
//! every value is equal (integers exactly, reals to 1e-9 relative, text exactly). Records
//! attributed to `sqlite_master` (deleted schema records) are not rows of the key and are counted
//! apart; every other recovered record that matches no deleted key row is a false positive.
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use linesift_parsers::recover;
use linesift_parsers::sqlite::pages::{DbHeader, TextEnc};
use linesift_parsers::sqlite::row::Val;
use linesift_parsers::sqlite::DbImage;

const CORPUS: &str = "/work/shared/data/sqlite-forensic-corpus-v1/sqlite_forensic_corpus_v1.0";

#[derive(Debug, Clone)]
struct KeyRow {
    table: String,
    deleted: bool,
    vals: Vec<String>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn parse_key(xml: &str) -> Vec<KeyRow> {
    let el = regex::Regex::new(r"(?s)<element>(.*?)</element>").unwrap();
    let name = regex::Regex::new(
        r"(?s)<meta>\s*<type>(.*?)</type>\s*<name>(.*?)</name>.*?<deleted>(.*?)</deleted>",
    )
    .unwrap();
    let row = regex::Regex::new(r#"(?s)<row( deleted="1")?>(.*?)</row>"#).unwrap();
    let content = regex::Regex::new(r"(?s)<content>(.*?)</content>|<content\s*/>").unwrap();
    let mut out = Vec::new();
    for e in el.captures_iter(xml) {
        let body = &e[1];
        let Some(m) = name.captures(body) else {
            continue;
        };
        if &m[1] != "table" {
            continue;
        }
        let table = unescape(&m[2]);
        let dropped = m[3].trim() == "True";
        for r in row.captures_iter(body) {
            let vals = content
                .captures_iter(&r[2])
                .map(|c| c.get(1).map(|x| unescape(x.as_str())).unwrap_or_default())
                .collect();
            out.push(KeyRow {
                table: table.clone(),
                deleted: dropped || r.get(1).is_some(),
                vals,
            });
        }
    }
    out
}

fn val_eq(v: &Val, k: &str) -> bool {
    match v {
        Val::Int(i) => {
            k.trim().parse::<i64>().ok() == Some(*i)
                || k.trim().parse::<f64>().ok() == Some(*i as f64)
        }
        Val::Real(f) => k
            .trim()
            .parse::<f64>()
            .is_ok_and(|x| (x - f).abs() <= 1e-9 * x.abs().max(f.abs()).max(1.0)),
        Val::Text(s) => s == k,
        Val::Null => k.is_empty(),
        Val::BadText(_) | Val::Blob(_) => false,
    }
}

fn matches(vals: &[Val], key: &[String]) -> bool {
    vals.len() == key.len() && vals.iter().zip(key).all(|(v, k)| val_eq(v, k))
}

fn norm(v: &Val) -> String {
    match v {
        Val::Real(f) if f.fract() == 0.0 && f.abs() < 9e15 => format!("{}", *f as i64),
        Val::Real(f) => format!("{f:e}"),
        Val::Int(i) => i.to_string(),
        Val::Text(s) => format!("'{s}"),
        Val::Null => "null".into(),
        Val::BadText(b) | Val::Blob(b) => format!("{b:?}"),
    }
}

/// Live rows of every table, read by SQLite through the in-memory image.
fn live_rows(main: &[u8]) -> HashSet<Vec<String>> {
    let mut out = HashSet::new();
    let Ok(img) = DbImage::open(main, None) else {
        return out;
    };
    for t in img.tables() {
        let cols = img.columns(&t);
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        if let Ok(rows) = img.select(&t, &refs) {
            for r in rows.rows {
                out.insert(r.vals.iter().map(norm).collect());
            }
        }
    }
    out
}

/// Serial encoding of a key value as SQLite would store it for the column's affinity guess.
fn encode(k: &str, enc: TextEnc) -> Vec<u8> {
    if let Ok(i) = k.parse::<i64>() {
        let b = i.to_be_bytes();
        let n = match i {
            -128..=127 => 1,
            -32768..=32767 => 2,
            -8388608..=8388607 => 3,
            -2147483648..=2147483647 => 4,
            -140737488355328..=140737488355327 => 6,
            _ => 8,
        };
        return b[8 - n..].to_vec();
    }
    if k.contains('.') {
        if let Ok(f) = k.parse::<f64>() {
            return f.to_be_bytes().to_vec();
        }
    }
    match enc {
        TextEnc::Utf8 => k.as_bytes().to_vec(),
        TextEnc::Utf16le => k.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
        TextEnc::Utf16be => k.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

#[derive(Default, Clone)]
struct Score {
    deleted: usize,
    recovered: usize,
    reported: usize,
    true_pos: usize,
    live_as_deleted: usize,
    schema_records: usize,
    ceiling_values: usize,
    ceiling_body: usize,
}

fn dbs_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "db"));
    v.sort();
    v
}

fn score_db(path: &Path, verbose: bool) -> Score {
    let main = std::fs::read(path).unwrap();
    let key_xml = std::fs::read_to_string(path.with_extension("xml")).unwrap_or_default();
    let key = parse_key(&key_xml);
    let enc = DbHeader::parse(&main)
        .map(|h| h.encoding)
        .unwrap_or(TextEnc::Utf8);
    let live = live_rows(&main);
    let rec = recover::recover(&main, None, None);
    let mut s = Score::default();
    let deleted: Vec<&KeyRow> = key.iter().filter(|k| k.deleted).collect();
    s.deleted = deleted.len();
    for d in &deleted {
        let encs: Vec<Vec<u8>> = d.vals.iter().map(|v| encode(v, enc)).collect();
        // Long values may span overflow pages: their first and last 64 bytes must occur.
        let present = |e: &Vec<u8>| {
            if e.len() <= 128 {
                contains(&main, e)
            } else {
                contains(&main, &e[..64]) && contains(&main, &e[e.len() - 64..])
            }
        };
        if encs.iter().all(present) {
            s.ceiling_values += 1;
        }
        if contains(&main, &encs.concat()) {
            s.ceiling_body += 1;
        }
    }
    let mut found: BTreeSet<usize> = BTreeSet::new();
    for r in &rec.records {
        if r.table.as_deref() == Some("sqlite_master") {
            s.schema_records += 1;
            continue;
        }
        s.reported += 1;
        let hit: Vec<usize> = deleted
            .iter()
            .enumerate()
            .filter(|(_, d)| matches(&r.vals, &d.vals))
            .map(|(i, _)| i)
            .collect();
        if !hit.is_empty() {
            s.true_pos += 1;
            found.extend(hit);
        } else if verbose {
            eprintln!(
                "  FP {} {:?} {} {} {:?}",
                path.file_name().unwrap().to_string_lossy(),
                r.table,
                r.method,
                r.detail(),
                r.vals
            );
        }
        let n: Vec<String> = r.vals.iter().map(norm).collect();
        if live.contains(&n) {
            s.live_as_deleted += 1;
            eprintln!(
                "  LIVE reported as deleted: {} {:?} {:?}",
                path.display(),
                r.table,
                r.vals
            );
        }
    }
    s.recovered = found.len();
    if verbose {
        for (i, d) in deleted.iter().enumerate() {
            if !found.contains(&i) {
                let body: Vec<u8> = d.vals.iter().flat_map(|v| encode(v, enc)).collect();
                let at = main.windows(body.len().max(1)).position(|w| w == &body[..]);
                eprintln!(
                    "  missed (body at {:?}) {} {} {:?}",
                    at,
                    path.file_name().unwrap().to_string_lossy(),
                    d.table,
                    d.vals
                        .iter()
                        .map(|v| v.chars().take(20).collect::<String>())
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    s
}

fn add(a: &mut Score, b: &Score) {
    a.deleted += b.deleted;
    a.recovered += b.recovered;
    a.reported += b.reported;
    a.true_pos += b.true_pos;
    a.live_as_deleted += b.live_as_deleted;
    a.schema_records += b.schema_records;
    a.ceiling_values += b.ceiling_values;
    a.ceiling_body += b.ceiling_body;
}

#[test]
fn corpus_deleted_records() {
    let root = Path::new(CORPUS);
    if !root.exists() {
        eprintln!("corpus missing; skipped");
        return;
    }
    let verbose = std::env::var("RECOVER_VERBOSE").is_ok();
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    for cat in ["0A", "0B", "0C", "0D", "0E"] {
        let mut c = Score::default();
        for db in dbs_under(&root.join(cat)) {
            let s = score_db(&db, verbose);
            add(&mut c, &s);
        }
        per.insert(cat.to_string(), c);
    }
    let mut all = Score::default();
    println!(
        "{:<8} {:>7} {:>9} {:>7} {:>9} {:>9} {:>6} {:>13} {:>11}",
        "category",
        "deleted",
        "recovered",
        "recall",
        "reported",
        "precision",
        "live",
        "ceiling(vals)",
        "ceiling(body)"
    );
    let line = |name: &str, s: &Score| {
        println!(
            "{:<8} {:>7} {:>9} {:>7.3} {:>9} {:>9.3} {:>6} {:>13} {:>11}   (+{} deleted schema records)",
            name,
            s.deleted,
            s.recovered,
            s.recovered as f64 / s.deleted.max(1) as f64,
            s.reported,
            s.true_pos as f64 / s.reported.max(1) as f64,
            s.live_as_deleted,
            s.ceiling_values,
            s.ceiling_body,
            s.schema_records
        );
    };
    for (k, s) in &per {
        line(k, s);
        add(&mut all, s);
    }
    line("overall", &all);
    assert_eq!(all.deleted, 278, "answer keys changed?");
    assert_eq!(all.live_as_deleted, 0, "live rows reported as deleted");
    let precision = all.true_pos as f64 / all.reported.max(1) as f64;
    assert!(precision >= 0.99, "precision {precision:.3}");
    assert!(all.recovered >= 210, "recall {} of 278", all.recovered);
}

/// Every database of the corpus (all categories: odd names, encodings, reserved bytes, pointer
/// maps, damaged pointers) is read without a panic, and no live row is reported as deleted.
#[test]
fn corpus_reads_without_panic_and_no_live_as_deleted() {
    let root = Path::new(CORPUS);
    if !root.exists() {
        eprintln!("corpus missing; skipped");
        return;
    }
    let mut cats: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cats.sort();
    let mut n = 0;
    let mut live_bad = 0;
    for c in cats {
        for db in dbs_under(&c) {
            let main = std::fs::read(&db).unwrap();
            let res = std::panic::catch_unwind(|| recover::recover(&main, None, None));
            let rec = res.unwrap_or_else(|_| panic!("panic on {}", db.display()));
            let live = live_rows(&main);
            for r in &rec.records {
                if r.table.as_deref() == Some("sqlite_master") {
                    continue;
                }
                let k: Vec<String> = r.vals.iter().map(norm).collect();
                if live.contains(&k) {
                    live_bad += 1;
                    eprintln!("LIVE as deleted in {}: {:?}", db.display(), r.vals);
                }
            }
            // Damaged copies: truncated and bit-flipped, must not panic either.
            let mut t = main.clone();
            t.truncate(main.len() * 2 / 3);
            let _ = recover::recover(&t, None, None);
            let mut f = main.clone();
            for i in (0..f.len()).step_by(97) {
                f[i] ^= 0x5a;
            }
            f[..16].copy_from_slice(b"SQLite format 3\0");
            let _ = recover::recover(&f, None, None);
            n += 1;
        }
    }
    eprintln!("{n} corpus databases read");
    assert!(n >= 77, "only {n} databases found");
    assert_eq!(live_bad, 0);
}

/// 09-01 (auto-vacuum, pointer-map pages): its key lists all 5,000 rows as live, but its `.sql`
/// deletes ids 21407..22554. Every row recovered from it must be one of those, with the values
/// the `.sql` inserted.
#[test]
fn corpus_09_01_recovered_rows_are_the_deleted_rows() {
    let db = Path::new(CORPUS).join("09/09-01.db");
    let (Ok(main), Ok(sql)) = (
        std::fs::read(&db),
        std::fs::read_to_string(db.with_extension("sql")),
    ) else {
        eprintln!("corpus missing; skipped");
        return;
    };
    let re = regex::Regex::new(r"\((\d+), '([^']*)', '([^']*)', '(\d+)'\)").unwrap();
    let rows: BTreeMap<i64, (String, String, i64)> = re
        .captures_iter(&sql)
        .map(|c| {
            (
                c[1].parse().unwrap(),
                (c[2].to_string(), c[3].to_string(), c[4].parse().unwrap()),
            )
        })
        .collect();
    assert_eq!(rows.len(), 5000);
    let rec = recover::recover(&main, None, None);
    let users: Vec<_> = rec
        .records
        .iter()
        .filter(|r| r.table.as_deref() == Some("users"))
        .collect();
    assert!(!users.is_empty());
    for r in &users {
        let id = r.vals[0].as_i64().unwrap();
        assert!(
            (21407..22555).contains(&id),
            "not a deleted id: {:?}",
            r.vals
        );
        let (n, s, z) = &rows[&id];
        assert_eq!(r.vals[1].as_text().as_deref(), Some(n.as_str()));
        assert_eq!(r.vals[2].as_text().as_deref(), Some(s.as_str()));
        assert_eq!(r.vals[3].as_i64(), Some(*z));
    }
    eprintln!(
        "09-01: {} deleted rows recovered (of 1,148 deleted; auto-vacuum truncated the rest)",
        users.len()
    );
}
