//! Deal-line analysis throughput: the labelled scenario scaled to N message records over 100
//! exhibits, analysed end to end (templates, campaigns, verdicts, links, lines). Prints the time
//! per size, so growth can be checked for linearity.
//!
//! `cargo bench --bench dealline` (sizes from `DEALLINE_BENCH_SIZES`, comma-separated; default
//! 1M, 3M, 10M). Budget: 10 million messages in under 30 seconds on 2 cores.
//!
//! Measured 2026-11-23 on the shared 2-core build machine with a load average of about 5 (other
//! builds running), so wall time there overstates an idle machine; CPU seconds are the fairer
//! figure (two cores give up to 2 CPU-seconds per second):
//!
//! | messages | wall s | CPU s |
//! |---:|---:|---:|
//! | 0.99 M | 5.4 | 3.6 |
//! | 2.97 M | 13.4 | 9.1 |
//! | 9.89 M | 33.5 | 22.3 |
//!
//! CPU time grows slightly below linearly (fixed costs amortise); generation is not timed.
#[path = "../tests/dealline_common.rs"]
mod dealline_common;

use std::time::Instant;

/// CPU seconds (user + system) used by this process so far (Linux), so a run on a busy machine
/// can still be judged: wall time there includes waiting for other processes.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // Fields after the command: state is index 0, utime 11, stime 12 (clock ticks, 100 Hz).
    (ticks(11) + ticks(12)) / 100.0
}

use linesift::analysis::broadcast::{analyse, Rules, Verdict};
use linesift_testdata::scenario::{build, Config};

fn main() {
    let sizes: Vec<u64> = std::env::var("DEALLINE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000, 3_000_000, 10_000_000]);
    let rules = Rules::default();
    println!(
        "{:>12} {:>9} {:>10} {:>8} {:>12} {:>10} {:>10} {:>6} {:>6}",
        "messages",
        "exhibits",
        "seconds",
        "cpu s",
        "ns/message",
        "broadcasts",
        "marketing",
        "links",
        "lines"
    );
    for n in sizes {
        let t0 = Instant::now();
        let sc = build(&Config::bench(42, n, 100));
        let owned = dealline_common::owned(&sc.world);
        let msgs = dealline_common::messages(&sc.world, &owned);
        let gen_s = t0.elapsed().as_secs_f64();
        let t = Instant::now();
        let c0 = cpu_seconds();
        let rep = analyse(&msgs, &owned.owners, &rules);
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        let marketing = rep
            .broadcasts
            .iter()
            .filter(|b| b.verdict == Verdict::Marketing)
            .count();
        println!(
            "{:>12} {:>9} {:>10.2} {:>8.1} {:>12.0} {:>10} {:>10} {:>6} {:>6}   (generation {gen_s:.1} s){}",
            msgs.len(),
            sc.world.handsets.len(),
            s,
            cpu,
            s * 1e9 / msgs.len().max(1) as f64,
            rep.broadcasts.len(),
            marketing,
            rep.line_links.len(),
            rep.lines.len(),
            if msgs.len() >= 9_000_000 && s >= 30.0 {
                "  OVER BUDGET (30 s)"
            } else {
                ""
            }
        );
    }
}
