//! Canonical device paths from arbitrary (lossily decoded) names: the documented shape holds and
//! canonicalising twice changes nothing.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift_parsers::paths::canonical;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let c = canonical(&raw);
    assert!(c.starts_with('/'), "{c:?}");
    assert!(!c.contains('\\'), "{c:?}");
    if c != "/" {
        assert!(
            c[1..].split('/').all(|s| !s.is_empty() && s != "."),
            "{c:?}"
        );
    }
    assert_eq!(canonical(&c), c, "not idempotent for {raw:?}");
});
