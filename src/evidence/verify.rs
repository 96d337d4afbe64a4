//! `linesift verify OUT`: re-hash every exhibit at its recorded path and every output file, check
//! the audit log's chain, and name each mismatch.
use std::path::Path;

use serde_json::Value;

use super::hash::{hash_file, HashSet};
use crate::ingest::{self, ScanOpts};

#[derive(Debug, Default)]
pub struct VerifyReport {
    pub checked: usize,
    pub mismatches: Vec<String>,
    pub notes: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.mismatches.is_empty()
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

pub fn verify(out: &Path) -> anyhow::Result<VerifyReport> {
    let text = std::fs::read_to_string(out.join("manifest.json"))
        .map_err(|e| anyhow::anyhow!("cannot read {}/manifest.json: {e}", out.display()))?;
    let m: Value = serde_json::from_str(&text)?;
    let mut r = VerifyReport::default();
    for e in m["exhibits"].as_array().into_iter().flatten() {
        let label = s(e, "label").unwrap_or("?");
        let path = s(e, "path").unwrap_or("");
        if s(e, "status") == Some("failed") {
            r.notes.push(format!(
                "exhibit {label}: was not readable at processing time; not checked"
            ));
            continue;
        }
        r.checked += 1;
        let p = Path::new(path);
        if !p.exists() {
            r.mismatches
                .push(format!("exhibit {label}: {path} no longer exists"));
            continue;
        }
        let container = s(e, "container").unwrap_or("");
        let want = HashSet {
            sha256: true,
            sha1: e.get("sha1").is_some_and(|v| !v.is_null()),
            md5: e.get("md5").is_some_and(|v| !v.is_null()),
        };
        let got = if container == "folder" || container == "itunes_backup" {
            let none = |_: &str| false;
            let opts = ScanOpts {
                hashes: want,
                max_in_memory: 0,
                max_member: 0,
                temp_dir: out.join(".tmp"),
                progress: None,
                want: &none,
            };
            let scanned = if container == "folder" {
                ingest::folder::scan(p, &opts, None)
            } else {
                ingest::folder::scan_itunes(p, &opts)
            };
            match scanned {
                Ok(sc) => {
                    if let (Some(list), Some(rel)) = (&sc.file_list, s(e, "file_list")) {
                        folder_diff(&mut r, label, list, &out.join(rel));
                    }
                    Ok(sc.digests)
                }
                Err(err) => Err(err.to_string()),
            }
        } else {
            hash_file(p, want, None).map_err(|e| e.to_string())
        };
        match got {
            Err(err) => r
                .mismatches
                .push(format!("exhibit {label}: {path}: cannot read: {err}")),
            Ok(d) => {
                for (alg, have) in [("sha256", Some(d.sha256)), ("sha1", d.sha1), ("md5", d.md5)] {
                    if let (Some(exp), Some(have)) = (s(e, alg), have) {
                        if exp != have {
                            r.mismatches.push(format!(
                                "exhibit {label}: {path}: {alg} differs (manifest {exp}, now {have})"
                            ));
                        }
                    }
                }
            }
        }
    }
    for o in m["outputs"].as_array().into_iter().flatten() {
        let rel = s(o, "path").unwrap_or("");
        r.checked += 1;
        match hash_file(&out.join(rel), HashSet::sha256_only(), None) {
            Err(e) => r.mismatches.push(format!("output {rel}: cannot read: {e}")),
            Ok(d) => {
                if Some(d.sha256.as_str()) != s(o, "sha256") {
                    r.mismatches.push(format!(
                        "output {rel}: sha256 differs (manifest {}, now {})",
                        s(o, "sha256").unwrap_or("?"),
                        d.sha256
                    ));
                }
            }
        }
    }
    let listed: std::collections::BTreeSet<&str> = m["outputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| s(o, "path"))
        .collect();
    for f in super::list_outputs(out) {
        if !listed.contains(f.as_str()) {
            r.mismatches.push(format!(
                "output {f}: not in the manifest (added after the run)"
            ));
        }
    }
    match std::fs::read_to_string(out.join("audit.log")) {
        Ok(t) => {
            if let Err(e) = super::check_audit_chain(&t) {
                r.mismatches.push(format!("audit.log: chain broken: {e}"));
            }
        }
        Err(e) => r.mismatches.push(format!("audit.log: cannot read: {e}")),
    }
    Ok(r)
}

fn folder_diff(r: &mut VerifyReport, label: &str, now: &[(String, String, u64)], list_file: &Path) {
    let Ok(text) = std::fs::read_to_string(list_file) else {
        r.mismatches.push(format!(
            "exhibit {label}: hash list {} missing",
            list_file.display()
        ));
        return;
    };
    let then: std::collections::BTreeMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(h, p)| (p, h)))
        .collect();
    let nowm: std::collections::BTreeMap<&str, &str> = now
        .iter()
        .map(|(p, h, _)| (p.as_str(), h.as_str()))
        .collect();
    for (p, h) in &then {
        match nowm.get(p) {
            None => r
                .mismatches
                .push(format!("exhibit {label}: file {p} is gone")),
            Some(h2) if h2 != h => r
                .mismatches
                .push(format!("exhibit {label}: file {p} changed")),
            _ => {}
        }
    }
    for p in nowm.keys() {
        if !then.contains_key(p) {
            r.mismatches
                .push(format!("exhibit {label}: file {p} was added"));
        }
    }
}
