//! The zip central directory and local-header salvage over arbitrary bytes, with every member
//! read (size-limited) and every name checked.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift::evidence::hash::HashSet;
use linesift::ingest::{name_problems, zipfile, CatalogEntry, EntryKind, ScanOpts};

fuzz_target!(|data: &[u8]| {
    let _ = name_problems(data);
    let _ = CatalogEntry::new(data, 0, EntryKind::File);
    let want = |_: &str| true;
    let opts = ScanOpts {
        hashes: HashSet::sha256_only(),
        max_in_memory: 1 << 20,
        max_member: 1 << 20,
        temp_dir: std::env::temp_dir().join("linesift-fuzz-zip"),
        progress: None,
        want: &want,
    };
    let mut members = Vec::new();
    if let Ok((m, _problems)) = zipfile::central_directory(data) {
        members.extend(m);
    }
    let (m, _problems) = zipfile::salvage_local_headers(data);
    members.extend(m);
    for m in members.iter().take(64) {
        let e = CatalogEntry::new(&m.raw_name, m.size, EntryKind::File);
        let _ = linesift_parsers::paths::canonical(&e.path);
        if let Ok((blob, _sha, _problem)) = zipfile::read_member(data, m, &opts) {
            assert!(blob.len() as u64 <= m.size.saturating_add(1).min(opts.max_member));
        }
    }
});
