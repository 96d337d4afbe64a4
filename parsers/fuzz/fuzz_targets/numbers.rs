//! Phone number normalisation over arbitrary strings: no panic, and normalising an E.164 result
//! again gives the same E.164.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use linesift::analysis::numbers::Normaliser;

static N: OnceLock<Normaliser> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let n = N.get_or_init(Normaliser::default);
    let raw = String::from_utf8_lossy(data);
    let a = n.normalise(&raw);
    if let Some(e) = a.e164 {
        let b = n.normalise(e.as_str());
        assert_eq!(
            b.e164,
            Some(e),
            "normalise({raw:?}) = {e} is not a fixed point"
        );
    }
});
