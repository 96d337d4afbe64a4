//! The page reader (deleted/superseded record recovery) over arbitrary main, WAL and journal
//! bytes, and the recovered rows mapped per table as parsers see them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift_parsers::recover::{recover, rows_of};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (main, side) = linesift_fuzz::split_main_wal(rest);
    let mut side = side.to_vec();
    if mode & 1 == 1 {
        linesift_fuzz::fix_wal_checksums(&mut side);
    }
    let (wal, journal) = if mode & 2 == 0 {
        (Some(&side[..]), None)
    } else {
        (None, Some(&side[..]))
    };
    let rec = recover(main, wal, journal);
    for r in &rec.records {
        let _ = r.detail();
    }
    for t in &rec.schemas {
        let cols: Vec<&str> = t.cols.iter().map(|c| c.name.as_str()).collect();
        let _ = rows_of(&rec, &t.name, &cols);
    }
});
