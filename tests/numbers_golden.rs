//! Golden table for number normalisation, body extraction and idempotence.
//! Only fictional numbers: Ofcom drama ranges (07700 900xxx, 0113 496 0xxx, 020 7946 0xxx,
//! 0808 157 0xxx, 0306 999 0xxx), US 555-01xx, Australia's 0491 570 xxx, France's 01 99 00 xx xx and 06 39 98 xx xx.

use linesift::analysis::numbers::{Normaliser, NumberKind};

const MOB: &str = "mobile";
const LAND: &str = "landline";

/// (raw, expected E.164 or "", expected kind)
const GOLDEN: &[(&str, &str, &str)] = &[
    // UK mobile (drama range: library-invalid, normalised by shape)
    ("07700 900123", "+447700900123", MOB),
    ("07700900123", "+447700900123", MOB),
    ("+447700900123", "+447700900123", MOB),
    ("+44 7700 900123", "+447700900123", MOB),
    ("+44 (0) 7700 900123", "+447700900123", MOB),
    ("+44(0)7700900123", "+447700900123", MOB),
    ("0044 7700 900123", "+447700900123", MOB),
    ("00447700900123", "+447700900123", MOB),
    ("0044 (0)7700 900123", "+447700900123", MOB),
    ("447700900123", "+447700900123", MOB),
    ("07700-900-123", "+447700900123", MOB),
    ("07700.900.123", "+447700900123", MOB),
    ("(07700) 900123", "+447700900123", MOB),
    ("tel:+44-7700-900123", "+447700900123", MOB),
    ("tel:07700900123", "+447700900123", MOB),
    ("TEL:+447700900123;phone-context=+44", "+447700900123", MOB),
    ("447700900123@s.whatsapp.net", "+447700900123", MOB),
    ("447700900123@c.us", "+447700900123", MOB),
    ("447700900123:12@s.whatsapp.net", "+447700900123", MOB),
    ("\u{202d}+44 7700 900123\u{202c}", "+447700900123", MOB),
    ("  07700 900123  ", "+447700900123", MOB),
    ("07700\u{a0}900\u{a0}123", "+447700900123", MOB),
    ("+44 07700 900123", "+447700900123", MOB),
    ("07700 900123,,1234", "+447700900123", MOB),
    ("+44 7700 900 000", "+447700900000", MOB),
    ("07700 900999", "+447700900999", MOB),
    // UK landline (drama ranges)
    ("0113 496 0000", "+441134960000", LAND),
    ("01134960999", "+441134960999", LAND),
    ("+44 113 496 0500", "+441134960500", LAND),
    ("+44 (0)113 496 0500", "+441134960500", LAND),
    ("(0113) 496 0001", "+441134960001", LAND),
    ("0113-496-0001", "+441134960001", LAND),
    ("020 7946 0000", "+442079460000", LAND),
    ("+44 20 7946 0999", "+442079460999", LAND),
    ("0044 20 7946 0123", "+442079460123", LAND),
    ("442079460123", "+442079460123", LAND),
    ("tel:+44-20-7946-0123", "+442079460123", LAND),
    ("(020) 7946 0123", "+442079460123", LAND),
    // UK non-geographic drama ranges (library-valid)
    ("0808 157 0123", "+448081570123", "other"),
    ("+44 808 157 0123", "+448081570123", "other"),
    ("0306 999 0123", "+443069990123", "other"),
    // short codes
    ("61999", "", "shortcode"),
    ("85075", "", "shortcode"),
    ("999", "", "shortcode"),
    ("101", "", "shortcode"),
    ("118118", "", "shortcode"),
    (" 150 ", "", "shortcode"),
    // alphanumeric sender ids
    ("HSBC", "", "alphanumeric"),
    ("DPD", "", "alphanumeric"),
    ("Vodafone", "", "alphanumeric"),
    ("Royal Mail", "", "alphanumeric"),
    ("O2", "", "alphanumeric"),
    // emails (iMessage handles)
    ("someone@example.com", "", "email"),
    ("mailto:Someone@Example.org", "", "email"),
    ("first.last+tag@example.co.uk", "", "email"),
    // WhatsApp ids that are not numbers
    ("120363012345678901@g.us", "", "group"),
    ("447700900123-1600000000@g.us", "", "group"),
    ("status@broadcast", "", "group"),
    ("1234567890@broadcast", "", "group"),
    ("123456789012345@lid", "", "unknown"),
    // international
    ("+1 202 555 0143", "+12025550143", "fixed_or_mobile"),
    ("001 202 555 0143", "+12025550143", "fixed_or_mobile"),
    ("+1 (202) 555-0143", "+12025550143", "fixed_or_mobile"),
    (
        "12025550143@s.whatsapp.net",
        "+12025550143",
        "fixed_or_mobile",
    ),
    ("+33 1 99 00 00 01", "+33199000001", LAND),
    ("0033 1 99 00 00 01", "+33199000001", LAND),
    ("+33 (0)1 99 00 00 01", "+33199000001", LAND),
    // France's fictional mobile range is rejected by the library: not UK, so kept raw.
    ("+33 6 39 98 00 01", "", "unknown"),
    ("+61 491 570 156", "+61491570156", MOB),
    ("0061 491 570 156", "+61491570156", MOB),
    ("+234 803 000 0000", "+2348030000000", MOB),
    ("002348030000000", "+2348030000000", MOB),
    // garbage and markers: kept raw, no E.164
    ("", "", "unknown"),
    ("   ", "", "unknown"),
    ("unknown", "", "unknown"),
    ("Unknown", "", "unknown"),
    ("-1", "", "unknown"),
    ("-2", "", "unknown"),
    ("-3", "", "unknown"),
    ("Private Number", "", "unknown"),
    ("insert-address-token", "", "unknown"),
    ("12345678901234567890", "", "unknown"),
    ("000000000000000000000000000000", "", "unknown"),
    ("+44 7700", "", "unknown"),
    ("07700 90012", "", "unknown"),
    ("0113 496 000", "", "unknown"),
    ("+999 123 456", "", "unknown"),
    ("*#06#", "", "unknown"),
    ("#31#07700900123", "", "unknown"),
    ("07700 900123 mobile please", "", "unknown"),
    ("tel:", "", "unknown"),
    // no trunk zero, no international prefix: not guessed
    ("7700900123", "", "unknown"),
    ("2079460123", "", "unknown"),
    ("12", "", "unknown"),
];

#[test]
fn golden_table() {
    assert!(GOLDEN.len() >= 60);
    let n = Normaliser::new("GB").unwrap();
    let mut bad = Vec::new();
    for &(raw, e164, kind) in GOLDEN {
        let got = n.normalise(raw);
        if got.e164_str() != e164 || got.kind.as_str() != kind {
            bad.push(format!(
                "{raw:?}: got ({:?}, {}), want ({e164:?}, {kind})",
                got.e164_str(),
                got.kind
            ));
        }
        // Memoised and uncached answers agree.
        assert_eq!(n.normalise(raw), got, "{raw:?} second call");
        assert_eq!(n.classify(raw), got, "{raw:?} classify");
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn idempotent_on_e164_output() {
    let n = Normaliser::new("GB").unwrap();
    let mut checked = 0;
    for &(raw, _, _) in GOLDEN {
        let got = n.normalise(raw);
        if let Some(e) = got.e164.as_deref() {
            let again = n.normalise(e);
            assert_eq!(again.e164.as_deref(), Some(e), "{raw:?} -> {e}");
            assert_eq!(again.kind, got.kind, "{raw:?} -> {e}");
            checked += 1;
        }
    }
    assert!(checked > 40);
}

#[test]
fn other_regions() {
    assert!(Normaliser::new("XX").is_err());
    assert!(Normaliser::new("").is_err());
    let gb = Normaliser::new(" gb ").unwrap();
    assert_eq!(gb.region(), "GB");
    let us = Normaliser::new("US").unwrap();
    assert_eq!(us.normalise("(202) 555-0143").e164_str(), "+12025550143");
    assert_eq!(
        us.normalise("011 44 7700 900123").e164_str(),
        "+447700900123"
    );
    assert_eq!(us.normalise("+44 7700 900123").e164_str(), "+447700900123");
    assert_eq!(
        us.normalise("447700900123@s.whatsapp.net").e164_str(),
        "+447700900123"
    );
    // A UK national form means nothing in the US: kept raw.
    let n = us.normalise("07700 900123");
    assert_eq!((n.e164_str(), n.kind), ("", NumberKind::Unknown));
    // In GB a US national form is not a number either.
    assert_eq!(gb.normalise("(202) 555-0143").e164_str(), "");
}

#[test]
fn concurrent_calls_agree() {
    use rayon::prelude::*;
    let n = Normaliser::new("GB").unwrap();
    let raws: Vec<&str> = (0..200).flat_map(|_| GOLDEN.iter().map(|g| g.0)).collect();
    let par: Vec<String> = raws
        .par_iter()
        .map(|r| {
            let x = n.normalise(r);
            format!("{}|{}", x.e164_str(), x.kind)
        })
        .collect();
    let fresh = Normaliser::new("GB").unwrap();
    for (r, p) in raws.iter().zip(&par) {
        let x = fresh.classify(r);
        assert_eq!(p, &format!("{}|{}", x.e164_str(), x.kind), "{r:?}");
    }
}

fn extract(body: &str) -> Vec<(String, String)> {
    let n = Normaliser::new("GB").unwrap();
    n.extract_numbers(body)
        .into_iter()
        .map(|b| {
            assert_eq!(
                &body[b.start..b.end],
                b.raw,
                "span of {:?} in {body:?}",
                b.raw
            );
            assert!(b.kind.is_phone());
            (b.raw, b.e164)
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn body_extraction_positives() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "new number 07700 900102 save it",
            &[("07700 900102", "+447700900102")],
        ),
        ("ring 0113 496 0001", &[("0113 496 0001", "+441134960001")]),
        ("+44 7700 900 103", &[("+44 7700 900 103", "+447700900103")]),
        ("07700900104.", &[("07700900104", "+447700900104")]),
        (
            "call me on 07700-900-105",
            &[("07700-900-105", "+447700900105")],
        ),
        (
            "(0113) 496 0002 or 020 7946 0003",
            &[
                ("(0113) 496 0002", "+441134960002"),
                ("020 7946 0003", "+442079460003"),
            ],
        ),
        (
            "text +44 (0) 7700 900106!",
            &[("+44 (0) 7700 900106", "+447700900106")],
        ),
        ("0044 7700 900107", &[("0044 7700 900107", "+447700900107")]),
        (
            "07700900108 07700900109",
            &[
                ("07700900108", "+447700900108"),
                ("07700900109", "+447700900109"),
            ],
        ),
        ("07700900110 10:30", &[("07700900110", "+447700900110")]),
        ("tel:07700900111", &[("07700900111", "+447700900111")]),
        (
            "📱 07700 900114 ✅ (new)",
            &[("07700 900114", "+447700900114")],
        ),
        (
            "3 for 25, £20 or 2-50. on till 1. new no 07700 900113 from 10:30",
            &[("07700 900113", "+447700900113")],
        ),
        ("(07700 900115)", &[("07700 900115", "+447700900115")]),
        (
            "07700900116/07700900117",
            &[
                ("07700900116", "+447700900116"),
                ("07700900117", "+447700900117"),
            ],
        ),
        (
            "0 7 7 0 0 9 0 0 1 1 8 ring",
            &[("0 7 7 0 0 9 0 0 1 1 8", "+447700900118")],
        ),
        (
            "*07700 900119* or _07700900120_ ~07700900121~",
            &[
                ("07700 900119", "+447700900119"),
                ("07700900120", "+447700900120"),
                ("07700900121", "+447700900121"),
            ],
        ),
        (
            "+12025550143 in the US",
            &[("+12025550143", "+12025550143")],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(extract(body), pairs(want), "{body:?}");
    }
    // Byte offsets are exact even after multi-byte text.
    let n = Normaliser::new("GB").unwrap();
    let body = "📱 07700 900114 ✅";
    let got = n.extract_numbers(body);
    assert_eq!(got[0].start, body.find("07700").unwrap());
    assert_eq!(got[0].end, body.find(" ✅").unwrap());
}

#[test]
fn body_extraction_hard_negatives() {
    for body in [
        "3 for 25",
        "£20",
        "2-50",
        "on till 1",
        "10:30",
        "open 10:30-22:00 every day",
        "12/05/2024",
        "12/05/2024 10:30",
        "on 1/2/2025/07700",
        "2024-05-12",
        "01.02.2024",
        "ref 01-02-2024 10:30",
        "LS1 4AP",
        "SW1A 1AA",
        "M60 1NW",
        "order 123456789012",
        "7700900123",
        "447700900123",
        "£0113 496 0001",
        "07700900112345678",
        "0113 496 000",
        "07700 900123abc",
        "price 0.50 or 1.00",
        "1 for 10, 3 for 25, 7 for 50",
        "bal £12.50 top up 20",
        "",
        "no numbers here",
    ] {
        assert_eq!(extract(body), vec![], "{body:?}");
    }
}

#[test]
fn arbitrary_text_never_panics_and_spans_are_exact() {
    // Deterministic pseudo-random strings over digits, separators, letters and multi-byte text.
    const ALPHABET: &[&str] = &[
        "0",
        "7",
        "1",
        "4",
        "9",
        "+",
        "(",
        ")",
        " ",
        "-",
        ".",
        ":",
        "/",
        "£",
        "@",
        "a",
        "Z",
        "\u{a0}",
        "\u{202d}",
        "📱",
        "é",
        ",",
        ";",
        "#",
        "*",
        "tel:",
        "00",
        "44",
        "(0)",
        "@s.whatsapp.net",
        "07700",
        "900",
        "\n",
    ];
    let n = Normaliser::default();
    let mut x: u64 = 0x1234_5678_9abc_def1;
    let mut found = 0;
    let iters: usize = std::env::var("NUMBERS_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    for _ in 0..iters {
        let mut s = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 24) as usize;
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(ALPHABET[(x % ALPHABET.len() as u64) as usize]);
        }
        let norm = n.normalise(&s);
        assert_eq!(norm, n.classify(&s), "{s:?}");
        if let Some(e) = norm.e164.as_deref() {
            assert!(
                e.starts_with('+') && e[1..].bytes().all(|b| b.is_ascii_digit()),
                "{s:?}"
            );
            assert!(norm.kind.is_phone(), "{s:?}");
            assert_eq!(n.normalise(e).e164.as_deref(), Some(e), "{s:?}");
        }
        let mut last_end = 0;
        for b in n.extract_numbers(&s) {
            assert!(b.start >= last_end && b.start < b.end, "{s:?}");
            assert_eq!(&s[b.start..b.end], b.raw);
            assert_eq!(n.normalise(&b.raw).e164_str(), b.e164);
            last_end = b.end;
            found += 1;
        }
    }
    assert!(found > 0);
    // Oversized input is not an address.
    let long = format!("{}07700900123", " ".repeat(300));
    assert_eq!(n.normalise(&long).e164_str(), "");
    assert_eq!(n.classify(&long).e164_str(), "");
}

#[test]
fn two_normalisers_on_one_thread_keep_their_own_answers() {
    // The per-thread cache must never hand one region's answer to another normaliser.
    let gb = Normaliser::new("GB").unwrap();
    let us = Normaliser::new("US").unwrap();
    for _ in 0..3 {
        assert_eq!(gb.normalise("07700 900123").e164_str(), "+447700900123");
        assert_eq!(us.normalise("07700 900123").e164_str(), "");
        assert_eq!(gb.normalise("(202) 555-0143").e164_str(), "");
        assert_eq!(us.normalise("(202) 555-0143").e164_str(), "+12025550143");
    }
    // A dropped normaliser's entries do not leak into a new one with another region.
    {
        let tmp = Normaliser::new("GB").unwrap();
        assert_eq!(tmp.normalise("2025550143").e164_str(), "");
    }
    let us2 = Normaliser::new("US").unwrap();
    assert_eq!(us2.normalise("2025550143").e164_str(), "+12025550143");
}
