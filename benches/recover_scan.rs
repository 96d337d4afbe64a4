//! Throughput of the page-level recovery scan over a generated database with many deletions.
//!
//! `cargo bench --bench recover_scan` (size in MB from `LINESIFT_BENCH_MB`, default 500). The
//! database is generated with SQLite in a temp folder (synthetic data, drama numbers only): an
//! sms-like table filled to the size asked, then every third row and a long run deleted, so that
//! freeblocks, unallocated space and freelist pages all have to be carved. Prints MB/s of
//! database bytes per core (the scan is single-threaded).
use std::time::Instant;

/// CPU seconds used by this process so far (Linux `/proc/self/stat`), so the figure does not
/// depend on how busy the machine is; `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let st = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &st[st.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let mb: usize = std::env::var("LINESIFT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    let t0 = Instant::now();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA page_size=4096; PRAGMA secure_delete=0; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
             CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER,
                               type INTEGER, body TEXT, read INTEGER);
             CREATE TABLE threads (_id INTEGER PRIMARY KEY, snippet TEXT, date INTEGER);",
        )
        .unwrap();
        let words = [
            "meet", "usual", "place", "cash", "tomorrow", "ok", "send", "the", "now",
        ];
        let row_bytes = 110usize;
        let rows = mb * 1024 * 1024 / row_bytes;
        c.execute_batch("BEGIN").unwrap();
        {
            let mut st = c
                .prepare("INSERT INTO sms VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .unwrap();
            for i in 0..rows as i64 {
                let mut body = format!("msg {i}");
                for k in 0..(4 + i % 8) {
                    body.push(' ');
                    body.push_str(words[((i + k) % 9) as usize]);
                }
                st.execute(rusqlite::params![
                    i + 1,
                    i % 97,
                    format!("+447700900{:03}", i % 1000),
                    1_700_000_000_000i64 + i * 1000,
                    1 + i % 2,
                    body,
                    i % 2
                ])
                .unwrap();
            }
        }
        c.execute_batch("COMMIT").unwrap();
        c.execute_batch(&format!(
            "DELETE FROM sms WHERE _id % 3 = 0; DELETE FROM sms WHERE _id BETWEEN {} AND {};",
            rows / 2,
            rows / 2 + rows / 10
        ))
        .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    eprintln!(
        "generated {:.0} MB in {:.1}s",
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let c0 = cpu_secs();
    let rec = linesift_parsers::recover::recover(&bytes, None, None);
    let wall = t.elapsed().as_secs_f64();
    let secs = match (c0, cpu_secs()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    let mut by_state = std::collections::BTreeMap::new();
    for r in &rec.records {
        *by_state.entry(r.state.as_str()).or_insert(0usize) += 1;
    }
    println!(
        "recover_scan: {:.0} MB in {:.2}s CPU ({:.2}s wall) = {:.0} MB/s per core; {} records {:?}",
        bytes.len() as f64 / 1e6,
        secs,
        wall,
        bytes.len() as f64 / 1e6 / secs,
        rec.records.len(),
        by_state
    );
}
