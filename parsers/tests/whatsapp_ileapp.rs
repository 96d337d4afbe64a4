//! The real iOS WhatsApp slices of the iLEAPP test data (MVS CTF 2023, iOS 16.1.1): members are
//! read into memory from the zips (never opened in place) and must parse without error. Their
//! contact table is empty (README: 0 rows in ZWAADDRESSBOOKCONTACT).
use std::io::Read;
use std::path::Path;

use linesift_parsers::paths::canonical;
use linesift_parsers::registry::{registry, DbInput};

/// The shared sample data: `$LINESIFT_SHARED_DATA`, else `../../shared/data` from the crate,
/// else `/work/shared/data`.
fn data_dir() -> std::path::PathBuf {
    let candidates = [
        std::env::var_os("LINESIFT_SHARED_DATA").map(std::path::PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data")),
        Some(std::path::PathBuf::from("/work/shared/data")),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|p| p.join("ileapp"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| std::path::PathBuf::from("/work/shared/data/ileapp"))
}

/// (canonical path, bytes) of every member of a zip.
fn members(zip_path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(zip_path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        let name = f.name().unwrap().to_string();
        out.push((canonical(&name), b));
    }
    out
}

#[test]
fn ileapp_whatsapp_slices_parse() {
    let dir = data_dir();
    let dir = dir.as_path();
    if !dir.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let mut zips: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("testdata.whatsApp.") && n.ends_with(".zip"))
        })
        .collect();
    zips.sort();
    assert!(!zips.is_empty(), "no WhatsApp slices in {}", dir.display());
    let specs = registry();
    let mut parsed = 0;
    for z in &zips {
        let files = members(z);
        for (path, main) in &files {
            let matching: Vec<_> = specs
                .iter()
                .filter(|s| s.parser.starts_with("whatsapp."))
                .filter(|s| regex::Regex::new(s.pattern).unwrap().is_match(path))
                .collect();
            if matching.is_empty() {
                continue;
            }
            assert_eq!(matching.len(), 1, "{path}");
            let wal = files
                .iter()
                .find(|(p, _)| *p == format!("{path}-wal"))
                .map(|(_, b)| b.as_slice());
            let input = DbInput {
                path,
                main,
                wal,
                journal: None,
                recover: false,
            };
            let out = (matching[0].parse)(&input)
                .unwrap_or_else(|e| panic!("{}: {path}: {e}", z.display()));
            assert_eq!(matching[0].parser, "whatsapp.ios.contacts", "{path}");
            assert_eq!(out.contacts.len(), 0, "{path}");
            assert!(out
                .table_counts
                .iter()
                .any(|(t, n)| t == "ZWAADDRESSBOOKCONTACT" && *n == 0));
            assert!(
                out.warnings.is_empty(),
                "real schema should raise no warning: {:?}",
                out.warnings
            );
            parsed += 1;
        }
    }
    assert_eq!(parsed, zips.len(), "one ContactsV2.sqlite per slice");
}
