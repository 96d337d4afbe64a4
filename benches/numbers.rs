//! Number normalisation throughput: 10 million raw numbers, 50 000 distinct, Zipf-ish repetition,
//! normalised with rayon on 2 threads through one shared `Normaliser` (fresh for every pass, so
//! each pass pays for the distinct numbers too).
//!
//! `cargo bench --bench numbers` prints one timed pass first, then runs criterion.
//! `NUMBERS_BENCH_QUICK=1 cargo bench --bench numbers` prints the timed pass only.
//! All numbers are fictional: Ofcom drama ranges, US 555-01xx, example.com addresses.

use std::time::{Duration, Instant};

use criterion::{black_box, Criterion};
use linesift::analysis::numbers::Normaliser;
use rayon::prelude::*;

const TOTAL: usize = 10_000_000;
const DISTINCT: usize = 50_000;
const THREADS: usize = 2;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One national number (without trunk zero) written in the `f`-th format.
fn uk_format(nsn: &str, f: usize) -> String {
    let (a, b) = nsn.split_at(4);
    let (b1, b2) = b.split_at(3);
    match f {
        0 => format!("0{nsn}"),
        1 => format!("+44{nsn}"),
        2 => format!("0{a} {b}"),
        3 => format!("+44 {a} {b1} {b2}"),
        4 => format!("44{nsn}"),
        5 => format!("0044{nsn}"),
        6 => format!("{}@s.whatsapp.net", format_args!("44{nsn}")),
        7 => format!("tel:+44-{a}-{b}"),
        8 => format!("+44 (0) {a} {b}"),
        9 => format!("0{a}-{b1}-{b2}"),
        10 => format!("(0{a}) {b}"),
        11 => format!("0{a}.{b1}.{b2}"),
        12 => format!("44{nsn}@c.us"),
        13 => format!("\u{202d}+44 {a} {b}\u{202c}"),
        14 => format!("+44 0{a} {b}"),
        _ => format!("0044 {a} {b}"),
    }
}

fn distinct_numbers() -> Vec<String> {
    let mut nsns = Vec::new();
    for k in 0..1000 {
        nsns.push(format!("7700900{k:03}"));
        nsns.push(format!("1134960{k:03}"));
        nsns.push(format!("2079460{k:03}"));
    }
    let mut out = Vec::with_capacity(DISTINCT);
    for f in 0..16 {
        for n in &nsns {
            out.push(uk_format(n, f));
        }
    }
    let mut k = 0usize;
    while out.len() < DISTINCT {
        let v = match k % 10 {
            0 => format!("+1 202 555 01{:02}", k % 100),
            1 => format!("001202555{:04}", 100 + k % 100),
            2 => format!("{}", 60000 + k % 9000),
            3 => format!(
                "{}{}",
                ["HSBC", "DPD", "Vodafone", "RoyalMail", "EE", "O2"][k % 6],
                k / 6
            ),
            4 => format!("user{k}@example.com"),
            5 => format!("1203630{k}@g.us"),
            6 => format!(
                "{}{}",
                ["", "-1", "-2", "unknown", "insert-address-token"][k % 5],
                " ".repeat(k / 5 % 50)
            ),
            7 => format!("07700 900{:03} ", k % 1000),
            8 => format!("+44 7700 900 {:03}", k % 1000),
            _ => format!("{}", 10_000_000_000_000_000u64 + k as u64),
        };
        out.push(v);
        k += 1;
    }
    out.truncate(DISTINCT);
    out
}

/// The input column: 10 million raw strings laid out one after another in one buffer, as a
/// parsed table column would be (Zipf-ish choice among the distinct strings).
struct Data {
    text: String,
    /// `ends[k]` is the end of string k in `text` (its start is `ends[k - 1]`, or 0).
    ends: Vec<u32>,
    distinct_in_stream: usize,
}

impl Data {
    fn new() -> Self {
        let mut distinct = distinct_numbers();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // Shuffle so popularity is unrelated to format.
        for i in (1..distinct.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            distinct.swap(i, j);
        }
        // Zipf-ish (s = 1): rank = N^u, so rank r has probability ~ 1/r.
        let ln_n = (DISTINCT as f64).ln();
        let mut seen = vec![false; DISTINCT];
        let mut text = String::with_capacity(TOTAL * 16);
        let mut ends = Vec::with_capacity(TOTAL);
        for _ in 0..TOTAL {
            let r = (((rng.unit() * ln_n).exp() as usize).saturating_sub(1)).min(DISTINCT - 1);
            seen[r] = true;
            text.push_str(&distinct[r]);
            ends.push(text.len() as u32);
        }
        Data {
            text,
            ends,
            distinct_in_stream: seen.iter().filter(|&&b| b).count(),
        }
    }

    fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.text[start..self.ends[k] as usize]
    }
}

/// CPU seconds (user + system) used by this process so far, from /proc (Linux); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// One pass; returns (elapsed, how many got an E.164 form, distinct cached).
fn run_once(data: &Data, pool: &rayon::ThreadPool) -> (Duration, usize, usize) {
    let norm = Normaliser::new("GB").expect("GB");
    let t = Instant::now();
    let with_e164 = pool.install(|| {
        (0..TOTAL)
            .into_par_iter()
            .with_min_len(4096)
            .filter(|&k| norm.normalise(data.get(k)).e164.is_some())
            .count()
    });
    (t.elapsed(), with_e164, norm.cached_len())
}

fn main() {
    let data = Data::new();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("thread pool");
    let cpu0 = cpu_seconds();
    let (el, with_e164, cached) = run_once(&data, &pool);
    let cpu = cpu_seconds() - cpu0;
    println!(
        "numbers: normalised {TOTAL} raw numbers ({} distinct in the stream, {cached} cached) \
         on {THREADS} threads in {:.3} s wall ({:.0} ns/number), {cpu:.2} s CPU; \
         {with_e164} with an E.164 form",
        data.distinct_in_stream,
        el.as_secs_f64(),
        el.as_nanos() as f64 / TOTAL as f64
    );
    if std::env::var_os("NUMBERS_BENCH_QUICK").is_some() {
        return;
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    c.bench_function("normalise_10m_zipf_2threads", |b| {
        b.iter(|| black_box(run_once(&data, &pool)))
    });
    let norm = Normaliser::new("GB").expect("GB");
    let distinct = distinct_numbers();
    c.bench_function("classify_50k_distinct_uncached", |b| {
        b.iter(|| {
            distinct
                .iter()
                .filter(|s| norm.classify(s).e164.is_some())
                .count()
        })
    });
    let bodies = [
        "new number 07700 900102 save it, old one 07700900101 is dead",
        "3 for 25 on till 1, £20 each or 2-50, meet 10:30 at LS1 4AP on 12/05/2024",
        "ring 0113 496 0001 or +44 7700 900 103 or 07700900104. call me on 07700-900-105",
    ];
    c.bench_function("extract_numbers_3_bodies", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|s| norm.extract_numbers(black_box(s)).len())
                .sum::<usize>()
        })
    });
    c.final_summary();
}
