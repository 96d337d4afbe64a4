//! WAL parsing and replay over arbitrary bytes. With the first input byte odd, the checksums are
//! rewritten first so that replay itself is exercised.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift_parsers::sqlite::wal::{FrameStatus, Wal};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (main, wal) = linesift_fuzz::split_main_wal(rest);
    let mut wal = wal.to_vec();
    if mode & 1 == 1 {
        linesift_fuzz::fix_wal_checksums(&mut wal);
    }
    let Ok(w) = Wal::parse(&wal) else {
        return;
    };
    let frame_len = 24 + w.page_size;
    for f in &w.frames {
        assert!(f.offset as usize + frame_len <= wal.len());
        assert_eq!(f.commit_no.is_some(), f.status == FrameStatus::Committed);
    }
    let _ = w.commit_count();
    let img = w.replay(&wal, main);
    match w.final_db_pages() {
        None => assert_eq!(img, main),
        Some(_) => assert_eq!(img.len() % w.page_size, 0),
    }
});
