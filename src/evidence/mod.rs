//! Evidence: container hashes, the hash-chained audit log, the manifest and `verify`.
pub mod hash;
pub mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// Current UTC time as ISO 8601 with milliseconds.
pub fn now_utc() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    linesift_parsers::iso_utc_ms(ms)
}

/// `audit.log`: JSON lines, each carrying the SHA-256 of the previous line (the first carries 64
/// zeros), so that removing, reordering or editing a line breaks the chain. Written under a
/// temporary name and renamed by [`AuditLog::close`].
pub struct AuditLog {
    file: std::io::BufWriter<std::fs::File>,
    tmp: PathBuf,
    dest: PathBuf,
    prev: String,
    seq: u64,
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditLog {
    pub fn create(dest: &Path) -> std::io::Result<AuditLog> {
        let tmp = partial_name(dest);
        let file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        Ok(AuditLog {
            file,
            tmp,
            dest: dest.to_path_buf(),
            prev: GENESIS.to_string(),
            seq: 0,
        })
    }

    /// Append an event. `fields` must be a JSON object; `seq`, `time_utc`, `event` and
    /// `prev_sha256` are added.
    pub fn event(&mut self, event: &str, fields: Value) {
        let mut obj = serde_json::Map::new();
        obj.insert("seq".into(), json!(self.seq));
        obj.insert("time_utc".into(), json!(now_utc()));
        obj.insert("event".into(), json!(event));
        if let Value::Object(m) = fields {
            for (k, v) in m {
                obj.insert(k, v);
            }
        }
        obj.insert("prev_sha256".into(), json!(self.prev));
        let line = Value::Object(obj).to_string();
        self.prev = hash::sha256_hex(line.as_bytes());
        self.seq += 1;
        // An audit line that cannot be written is fatal for the chain: report on stderr.
        if let Err(e) = writeln!(self.file, "{line}") {
            eprintln!("linesift: cannot write audit.log: {e}");
        }
    }

    pub fn close(mut self) -> std::io::Result<()> {
        self.file.flush()?;
        self.file.get_ref().sync_all()?;
        drop(self.file);
        std::fs::rename(&self.tmp, &self.dest)
    }
}

/// Check an audit log's chain. Returns the number of lines, or the first broken line (1-based).
pub fn check_audit_chain(text: &str) -> Result<usize, String> {
    let mut prev = GENESIS.to_string();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
        let claimed = v.get("prev_sha256").and_then(Value::as_str).unwrap_or("");
        if claimed != prev {
            return Err(format!(
                "line {}: prev_sha256 does not match the previous line",
                i + 1
            ));
        }
        prev = hash::sha256_hex(line.as_bytes());
        n += 1;
    }
    Ok(n)
}

/// The temporary name an output is written under until it is complete.
pub fn partial_name(dest: &Path) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(".partial");
    PathBuf::from(s)
}

/// Write `bytes` to `dest` through a temporary name (never leaves a half-written file that
/// looks finished).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(p) = dest.parent() {
        std::fs::create_dir_all(p)?;
    }
    let tmp = partial_name(dest);
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dest)
}

/// One output file's entry in the manifest.
pub fn output_entry(out_dir: &Path, rel: &str) -> std::io::Result<Value> {
    let d = hash::hash_file(&out_dir.join(rel), hash::HashSet::sha256_only(), None)?;
    Ok(json!({"path": rel, "size": d.size, "sha256": d.sha256}))
}

/// Every file under `out_dir` (relative, sorted), except the manifest itself and temp files.
pub fn list_outputs(out_dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    let mut stack = vec![out_dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(md) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let rel = p
                .strip_prefix(out_dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if md.is_dir() {
                if rel != ".tmp" {
                    stack.push(p);
                }
            } else if md.is_file() && rel != "manifest.json" && !rel.ends_with(".partial") {
                v.push(rel);
            }
        }
    }
    v.sort();
    v
}
