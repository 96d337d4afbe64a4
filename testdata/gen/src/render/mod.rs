//! Renderers: a handset's records into the files of one artifact, in a given schema version.
//!
//! Each artifact module exposes `render(h: &Handset, variant) -> Vec<DeviceFile>` (the database
//! and its `-wal` when the handset has WAL-only records). [`handset_files`] gathers every artifact
//! of a handset's OS.
pub mod android;
pub mod ios;
pub mod whatsapp;

use crate::archive::DeviceFile;
use crate::world::{Handset, Os};

/// Every file of a handset, for the given schema generation (0 = newest, higher = older; each
/// renderer maps it onto the versions it knows).
pub fn handset_files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let mut out = Vec::new();
    match h.os {
        Os::Android => out.extend(android::files(h, generation)),
        Os::Ios => out.extend(ios::files(h, generation)),
    }
    out.extend(whatsapp::files(h, generation));
    out
}

/// Add a database's files (main, and `-wal` if any) at `path`.
pub fn push_db(out: &mut Vec<DeviceFile>, path: &str, db: crate::sqlitefile::DbFiles) {
    out.push(DeviceFile::new(path, db.main));
    if let Some(w) = db.wal {
        out.push(DeviceFile::new(format!("{path}-wal"), w));
    }
}
