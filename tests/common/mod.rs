//! Shared helpers for the end-to-end tests.
#![allow(dead_code)]
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn linesift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linesift"))
        .args(args)
        .output()
        .expect("run linesift")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A zip with the given members: (name bytes, data, deflate?).
pub fn zip_bytes(members: &[(&[u8], &[u8], bool)]) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data, deflate) in members {
        let opts = zip::write::SimpleFileOptions::default().compression_method(if *deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        });
        let name = String::from_utf8_lossy(name).into_owned();
        zw.start_file(name, opts).unwrap();
        zw.write_all(data).unwrap();
    }
    zw.finish().unwrap().into_inner()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

pub fn find(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

pub fn read_json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Run a coreutils hash command and return the hex digest.
pub fn coreutils(cmd: &str, file: &Path) -> String {
    let o = Command::new(cmd).arg(file).output().unwrap();
    String::from_utf8(o.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Every output file, with the run's own timestamps and command line taken out of the manifest
/// and the audit log.
pub fn comparable(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for rel in linesift::evidence::list_outputs(out) {
        let bytes = std::fs::read(out.join(&rel)).unwrap();
        if rel == "audit.log" {
            let text = String::from_utf8(bytes).unwrap();
            let cleaned: Vec<String> = text
                .lines()
                .map(|l| {
                    let mut j: serde_json::Value = serde_json::from_str(l).unwrap();
                    for k in ["time_utc", "prev_sha256", "command_line", "path"] {
                        j.as_object_mut().unwrap().remove(k);
                    }
                    j.to_string()
                })
                .collect();
            v.push((rel, cleaned.join("\n").into_bytes()));
        } else {
            v.push((rel, bytes));
        }
    }
    let mut m = read_json(&out.join("manifest.json"));
    for k in ["started_utc", "finished_utc", "command_line"] {
        m.as_object_mut().unwrap().remove(k);
    }
    // audit.log's hash differs by its timestamps only (compared above without them).
    m["outputs"]
        .as_array_mut()
        .unwrap()
        .retain(|o| o["path"] != "audit.log");
    v.push(("manifest.json".into(), m.to_string().into_bytes()));
    v
}
