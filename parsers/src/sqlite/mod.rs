//! The read-only SQLite layer.
//!
//! Evidence databases are never opened by SQLite. Their bytes (main file, `-wal`, `-journal`) are
//! read by the caller; [`wal`] parses and replays the WAL with its checksum chain checked;
//! [`image::DbImage`] builds the in-memory image (header bytes 18/19 set to 1, so SQLite never
//! looks for a WAL) and hands it to SQLite through `sqlite3_deserialize`, read-only.
//! [`row`] gives parsers column access by name that degrades on schema drift.

pub mod image;
pub mod pages;
pub mod row;
pub mod wal;

pub use image::DbImage;
pub use row::{RowData, TableRows};

/// The SQLite file header magic.
pub const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Page size from a database header (bytes 16-17; 1 means 65536). `None` if invalid.
pub fn header_page_size(header: &[u8]) -> Option<usize> {
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return None;
    }
    let raw = u16::from_be_bytes([header[16], header[17]]) as usize;
    let ps = if raw == 1 { 65_536 } else { raw };
    (ps >= 512 && ps.is_power_of_two()).then_some(ps)
}
