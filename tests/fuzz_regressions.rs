//! Inputs the fuzzers (parsers/fuzz) found crashing, replayed as ordinary tests: each must now
//! give problems or a clean error, never a panic.
use std::path::PathBuf;

use linesift::ingest::{name_problems, zipfile};

fn regression(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("parsers/fuzz/regressions")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// zip_names: a local header whose Zip64 extra field declares a compressed size near 2^64
/// overflowed `data_start + csize` in `salvage_local_headers` (fixed with saturating adds).
#[test]
fn zip_salvage_size_overflow() {
    let b = regression("zip_salvage_size_overflow.bin");
    let (members, _problems) = zipfile::salvage_local_headers(&b);
    assert!(!members.is_empty());
    for m in &members {
        let _ = name_problems(&m.raw_name);
    }
    assert!(zipfile::central_directory(&b).is_err(), "no end record");
}

/// Offsets and sizes at the top of the u64 range in the end records and central directory.
#[test]
fn zip64_offsets_at_the_top_of_the_range() {
    // EOCD64 locator pointing at u64::MAX - 2, then an EOCD claiming 1 entry at offset 0xFFFFFFFF.
    let mut b = Vec::new();
    b.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&(u64::MAX - 2).to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    b.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(&[0, 0]);
    match zipfile::central_directory(&b) {
        Ok((m, problems)) => assert!(m.is_empty() && !problems.is_empty(), "{problems:?}"),
        Err(e) => assert!(e.to_string().contains("damaged zip"), "{e}"),
    }
}

/// numbers: strings whose E.164 result was not a fixed point of normalisation (the library
/// dropped leading national zeros: "0047)(0002771" -> "+4702771", which normalises to nothing).
/// Now either no number, or one that normalises to itself.
#[test]
fn numbers_e164_is_a_fixed_point() {
    use linesift::analysis::numbers::Normaliser;
    let n = Normaliser::default();
    for f in [
        "numbers_leading_zeros_not_fixed_point.txt",
        "numbers_leading_zero_shortcode.txt",
    ] {
        let raw = String::from_utf8_lossy(&regression(f)).into_owned();
        let a = n.normalise(&raw);
        if let Some(e) = a.e164 {
            assert_eq!(n.normalise(&e).e164, Some(e), "{raw:?}");
        }
    }
    // Ordinary numbers are unaffected.
    assert_eq!(
        n.normalise("07700 900123").e164.as_deref(),
        Some("+447700900123")
    );
    assert_eq!(
        n.normalise("+33 1 23 45 67 89").e164.as_deref(),
        Some("+33123456789")
    );
}
