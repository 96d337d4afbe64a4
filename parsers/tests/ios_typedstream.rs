//! typedstream: the parser's decoder against the generator's encoder, real blobs and garbage.
use linesift_parsers::ios::typedstream::{attributed_text, decode, decode_lenient};
use linesift_parsers::sqlite::DbImage;
use linesift_testdata::render::ios::typedstream::{encode_attributed, Flavor};
use linesift_testdata::rng::Rng;

fn samples() -> Vec<String> {
    vec![
        String::new(),
        "a".into(),
        "Hi, 20 for 2 tonight? £20 each".into(),
        "🚀 on way 👍🏽 — ‘quotes’ ✔".into(),
        "𝄞 non-BMP 𠜎𠜱 and ZWJ 👨‍👩‍👧".into(),
        "x".repeat(127),
        "y".repeat(128),
        "z".repeat(255),
        "é".repeat(200),             // 400 bytes, 200 UTF-16 units
        "long ".repeat(2000) + "🎉", // > 32767? no: 10004 bytes, needs 0x81
        "w".repeat(40_000),          // > 32767 bytes: needs the 0x82 escape
        "line\nbreak\ttab\u{0}nul".into(),
    ]
}

#[test]
fn round_trip_over_varied_strings() {
    for flavor in [Flavor::Mutable, Flavor::Immutable] {
        for s in samples() {
            let blob = encode_attributed(&s, flavor);
            let d = decode(&blob).unwrap_or_else(|e| panic!("{e} for {:?}", &s[..s.len().min(20)]));
            assert_eq!(d.text_bytes(), Some(s.as_bytes()));
            assert_eq!(attributed_text(&blob).as_deref(), Some(s.as_bytes()));
            let root = match flavor {
                Flavor::Mutable => "NSMutableAttributedString",
                Flavor::Immutable => "NSAttributedString",
            };
            assert_eq!(d.root_classes[0], root);
            // The attribute key string is inside an NSString too, after the text.
            if !s.is_empty() {
                assert_eq!(d.strings.len(), 2);
                assert_eq!(d.strings[1], b"__kIMMessagePartAttributeName");
            }
        }
    }
}

#[test]
fn length_escapes_are_used() {
    let b = encode_attributed(&"y".repeat(200), Flavor::Immutable);
    let at = b
        .windows(3)
        .position(|w| w == [0x81, 200, 0])
        .expect("0x81 escape");
    assert_eq!(b[at - 1], b'+');
    let b = encode_attributed(&"w".repeat(40_000), Flavor::Immutable);
    assert!(b.windows(5).any(|w| w == [0x82, 0x40, 0x9c, 0, 0]));
}

#[test]
fn truncated_blobs_are_errors() {
    let blob = encode_attributed("truncated 🚀 text that is long enough", Flavor::Mutable);
    for n in 0..blob.len() {
        if n == 16 {
            continue; // the bare header is a valid empty stream
        }
        assert!(decode(&blob[..n]).is_err(), "prefix {n}");
    }
    // Lenient decoding keeps the text when only the trailing attributes are cut off.
    let cut = blob.len() - 10;
    let (d, err) = decode_lenient(&blob[..cut]);
    assert!(err.is_some());
    assert_eq!(
        d.text_bytes(),
        Some("truncated 🚀 text that is long enough".as_bytes())
    );
}

#[test]
fn garbage_never_panics() {
    let mut rng = Rng::new(7);
    let base = encode_attributed("garbage test 🚀", Flavor::Immutable);
    for i in 0..3000 {
        let mut b = if i % 2 == 0 {
            base.clone()
        } else {
            let mut h = base[..16].to_vec();
            let n = rng.below(200) as usize;
            h.extend((0..n).map(|_| rng.below(256) as u8));
            h
        };
        for _ in 0..=rng.below(4) {
            let at = rng.below(b.len() as u64) as usize;
            b[at] = rng.below(256) as u8;
        }
        let _ = decode(&b);
        let _ = decode_lenient(&b);
    }
    assert!(decode(b"").is_err());
    assert!(decode(b"\x04\x0bstreamtypex\x81\xe8\x03").is_err());
    assert!(decode(&[0u8; 64]).is_err());
    // A reference to an entry that was never stored.
    let mut bad = base[..16].to_vec();
    bad.extend_from_slice(&[0x99]);
    assert!(decode(&bad).is_err());
    // A length far beyond the data.
    let mut bad = base[..16].to_vec();
    bad.extend_from_slice(&[0x84, 0x82, 0xff, 0xff, 0xff, 0x7f]);
    assert!(decode(&bad).is_err());
}

/// The encoder writes byte for byte what iOS wrote in the real plaso sample (row 7).
#[test]
fn encoder_matches_a_real_ios_blob() {
    let Ok(main) = std::fs::read("/work/shared/data/plaso/sqlite/imessage_chat.db") else {
        eprintln!("skipping: sample missing");
        return;
    };
    let img = DbImage::open(&main, None).unwrap();
    let t = img.select("message", &["text", "attributedBody"]).unwrap();
    let r = t.rows.iter().find(|r| r.rowid == Some(7)).unwrap();
    let real = r.blob(t.col("attributedBody")).unwrap();
    assert_eq!(encode_attributed("Aww okay fab! ", Flavor::Mutable), real);
}
