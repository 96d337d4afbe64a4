//! tar / tar.gz / zip scanning through `ingest::scan` on a temp file holding the input (the
//! first byte picks the container kind).
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use linesift::evidence::hash::HashSet;
use linesift::ingest::{scan, ContainerKind, ScanOpts};

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join("exhibit");
    std::fs::write(&path, rest).unwrap();
    let want = |_: &str| true;
    let opts = ScanOpts {
        hashes: HashSet::sha256_only(),
        max_in_memory: 1 << 20,
        max_member: 1 << 20,
        temp_dir: dir.path().join("tmp"),
        progress: None,
        want: &want,
    };
    let kind = match mode % 3 {
        0 => ContainerKind::Tar,
        1 => ContainerKind::TarGz,
        _ => ContainerKind::Zip,
    };
    let _ = linesift::ingest::detect(&path);
    if rest.is_empty() && kind == ContainerKind::Zip {
        return; // mapping an empty file is refused by the OS; detect() rejects it first
    }
    if let Ok(out) = scan(&path, kind, &opts) {
        for g in &out.grabbed {
            assert!(g.entry < out.entries.len());
        }
    }
});
