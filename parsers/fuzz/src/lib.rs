//! Helpers shared by the fuzz targets (and by nothing else).
use linesift_parsers::sqlite::wal::{wal_checksum, FRAME_HEADER_LEN, WAL_HEADER_LEN};

/// Rewrite the header checksum and every frame checksum of a would-be WAL so that the chain
/// holds (salts left as the input has them). Lets the fuzzer reach replay instead of stopping
/// at the first checksum, which it could never guess.
pub fn fix_wal_checksums(w: &mut [u8]) {
    if w.len() < WAL_HEADER_LEN {
        return;
    }
    let be = w[3] & 1 == 1;
    let raw = u32::from_be_bytes([w[8], w[9], w[10], w[11]]);
    let ps = if raw == 1 { 65_536 } else { raw as usize };
    if !(512..=65_536).contains(&ps) || !ps.is_power_of_two() {
        return;
    }
    let mut s = wal_checksum(be, &w[..24], (0, 0));
    w[24..28].copy_from_slice(&s.0.to_be_bytes());
    w[28..32].copy_from_slice(&s.1.to_be_bytes());
    let frame = FRAME_HEADER_LEN + ps;
    let mut off = WAL_HEADER_LEN;
    while off + frame <= w.len() {
        // Keep the header's salts so the frame counts.
        let (salt, _) = w.split_at_mut(off);
        let salts: [u8; 8] = salt[16..24].try_into().unwrap();
        w[off + 8..off + 16].copy_from_slice(&salts);
        s = wal_checksum(be, &w[off..off + 8], s);
        s = wal_checksum(be, &w[off + FRAME_HEADER_LEN..off + frame], s);
        w[off + 16..off + 20].copy_from_slice(&s.0.to_be_bytes());
        w[off + 20..off + 24].copy_from_slice(&s.1.to_be_bytes());
        off += frame;
    }
}

/// Split fuzz input into (main, wal): the first two bytes give the main file's share.
pub fn split_main_wal(data: &[u8]) -> (&[u8], &[u8]) {
    if data.len() < 2 {
        return (data, &[]);
    }
    let n = u16::from_le_bytes([data[0], data[1]]) as usize;
    let rest = &data[2..];
    // Scale so that inputs of any length can put the split anywhere.
    let cut = if rest.is_empty() {
        0
    } else {
        (n * rest.len()) / 65_535
    };
    rest.split_at(cut.min(rest.len()))
}
