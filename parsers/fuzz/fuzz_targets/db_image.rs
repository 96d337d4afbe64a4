//! DbImage::open(main, wal) then every read a parser would make: tables, columns, select over
//! every table, and every registered artifact parser on the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use linesift_parsers::registry::{registry, DbInput};
use linesift_parsers::sqlite::DbImage;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (main, wal) = linesift_fuzz::split_main_wal(rest);
    let mut wal = wal.to_vec();
    if mode & 1 == 1 {
        linesift_fuzz::fix_wal_checksums(&mut wal);
    }
    let wal_opt = (mode & 2 == 0).then_some(&wal[..]);
    if let Ok(img) = DbImage::open(main, wal_opt) {
        let _ = img.schema_summary();
        for t in img.tables() {
            let cols = img.columns(&t);
            let refs: Vec<&str> = cols.iter().map(|s| s.as_str()).collect();
            if let Ok(rows) = img.select(&t, &refs) {
                for r in &rows.rows {
                    for v in 0..refs.len() {
                        let c = rows.col(refs[v]);
                        let _ = r.text(c);
                        let _ = r.i64(c);
                        let _ = r.blob(c);
                    }
                }
            }
            let _ = img.select(&t, &["no_such_column"]);
        }
    }
    if mode & 4 != 0 {
        for spec in registry().into_iter().filter(|s| s.sqlite) {
            let input = DbInput {
                path: "/fuzz",
                main,
                wal: wal_opt,
                journal: None,
                recover: mode & 8 != 0,
            };
            let _ = (spec.parse)(&input);
        }
    }
});
