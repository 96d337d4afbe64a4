//! Inputs the fuzzers (parsers/fuzz) found crashing, replayed as ordinary tests.
use std::path::PathBuf;

use linesift_parsers::sqlite::wal::Wal;
use linesift_parsers::sqlite::DbImage;

fn regression(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The fuzz input format of `wal_replay`: mode byte, 2-byte split, main, WAL (checksums
/// rewritten when the mode byte is odd). Same logic as parsers/fuzz/src/lib.rs.
fn split(data: &[u8]) -> (&[u8], Vec<u8>) {
    let rest = &data[1..];
    let n = u16::from_le_bytes([rest[0], rest[1]]) as usize;
    let rest = &rest[2..];
    let cut = ((n * rest.len()) / 65_535).min(rest.len());
    let (main, wal) = rest.split_at(cut);
    let mut wal = wal.to_vec();
    if data[0] & 1 == 1 {
        fix_wal_checksums(&mut wal);
    }
    (main, wal)
}

fn fix_wal_checksums(w: &mut [u8]) {
    use linesift_parsers::sqlite::wal::{wal_checksum, FRAME_HEADER_LEN, WAL_HEADER_LEN};
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
        let salts: [u8; 8] = w[16..24].try_into().unwrap();
        w[off + 8..off + 16].copy_from_slice(&salts);
        s = wal_checksum(be, &w[off..off + 8], s);
        s = wal_checksum(be, &w[off + FRAME_HEADER_LEN..off + frame], s);
        w[off + 16..off + 20].copy_from_slice(&s.0.to_be_bytes());
        w[off + 20..off + 24].copy_from_slice(&s.1.to_be_bytes());
        off += frame;
    }
}

/// wal_replay: a committed frame for page 83,886,080 and a commit claiming as many pages made
/// `replay` allocate 40 GB and abort. The image now stops at the pages the main file and the
/// WAL can hold, and DbImage warns that the commit claims more.
#[test]
fn wal_replay_huge_page_no() {
    let data = regression("wal_replay_huge_page_no.bin");
    let (main, wal) = split(&data);
    let w = Wal::parse(&wal).expect("header is valid");
    assert!(
        w.final_db_pages().unwrap() > 1_000_000,
        "the input still claims a huge database"
    );
    let img = w.replay(&wal, main);
    let bound = main.len() / w.page_size + w.frames.len();
    assert!(img.len() <= bound * w.page_size, "{} bytes", img.len());
    // Through DbImage: a clean error or an image, never an abort.
    match DbImage::open(main, Some(&wal)) {
        Ok(img) => assert!(img.bytes.len() <= bound * w.page_size),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// recover: a carved record header whose serial types declare a body near usize::MAX
/// overflowed `hl + bl` in `recover::carve` (debug panic). Fixed with a checked add.
#[test]
fn recover_carve_body_len_overflow() {
    let data = regression("recover_carve_body_len_overflow.bin");
    let (main, side) = split(&data);
    let (wal, journal) = if data[0] & 2 == 0 {
        (Some(&side[..]), None)
    } else {
        (None, Some(&side[..]))
    };
    let rec = linesift_parsers::recover::recover(main, wal, journal);
    for r in &rec.records {
        assert!(!r.detail().is_empty());
    }
}
