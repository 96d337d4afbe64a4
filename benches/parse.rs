//! Records parsed per second per core: `android.mmssms` over an in-memory 1M-row mmssms.db
//! (the modern AOSP schema), one thread. Target: at least 2 million records per second.
//!
//!   cargo bench --bench parse
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use linesift_parsers::registry::{by_name, DbInput};
use linesift_testdata::render::android::{mmssms, Profile};

const ROWS: i64 = 1_000_000;

fn build() -> Vec<u8> {
    let mut c = rusqlite::Connection::open_in_memory().unwrap();
    c.execute_batch(&mmssms::schema(Profile::Modern)).unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx
            .prepare("INSERT INTO sms (_id, thread_id, address, date, date_sent, read, status, type, body, seen) VALUES (?1, ?2, ?3, ?4, ?5, 1, -1, ?6, ?7, 1)")
            .unwrap();
        for i in 1..=ROWS {
            let peer = format!("+447700900{:03}", i % 1000);
            let body = format!("both on, 3 for 25, on till {} - msg {i}", i % 12 + 1);
            st.execute(rusqlite::params![
                i,
                i % 500 + 1,
                peer,
                1_700_000_000_000 + i * 1000,
                1_700_000_000_000 + i * 1000 - 500,
                if i % 3 == 0 { 2 } else { 1 },
                body
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    c.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
}

fn bench(c: &mut Criterion) {
    let db = build();
    let spec = by_name("android.mmssms").expect("android.mmssms registered");
    let path = "/data/user_de/0/com.android.providers.telephony/databases/mmssms.db";
    let n = (spec.parse)(&DbInput::new(path, &db))
        .unwrap()
        .messages
        .len();
    assert_eq!(n as i64, ROWS);
    let mut g = c.benchmark_group("parse");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("android.mmssms 1M sms rows", |b| {
        b.iter(|| {
            (spec.parse)(&DbInput::new(path, &db))
                .unwrap()
                .messages
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
