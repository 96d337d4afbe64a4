//! The iOS typedstream (attributedBody) decoder over arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift_parsers::ios::typedstream::{attributed_text, decode, decode_lenient};

fuzz_target!(|data: &[u8]| {
    let strict = decode(data);
    let (lenient, err) = decode_lenient(data);
    if let Ok(d) = &strict {
        assert!(err.is_none());
        assert_eq!(d.text_bytes(), lenient.text_bytes());
    }
    let _ = attributed_text(data);
});
