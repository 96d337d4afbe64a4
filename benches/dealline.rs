//! Deal-line analysis throughput: the labelled scenario scaled to N message records over 100
//! exhibits, analysed end to end (templates, campaigns, verdicts, links, lines). Prints the time
//! per size, so growth can be checked for linearity.
//!
//! `cargo bench --bench dealline` (sizes from `DEALLINE_BENCH_SIZES`, comma-separated; default
//! 1M, 3M, 10M). Budget: 10 million messages in under 30 seconds on 2 cores.
#[path = "../tests/dealline_common.rs"]
mod dealline_common;

use std::time::Instant;

use linesift::analysis::broadcast::{analyse, Rules, Verdict};
use linesift_testdata::scenario::{build, Config};

fn main() {
    let sizes: Vec<u64> = std::env::var("DEALLINE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000, 3_000_000, 10_000_000]);
    let rules = Rules::default();
    println!(
        "{:>12} {:>9} {:>10} {:>12} {:>10} {:>6} {:>6}",
        "messages", "exhibits", "seconds", "ns/message", "marketing", "links", "lines"
    );
    for n in sizes {
        let t0 = Instant::now();
        let sc = build(&Config::bench(42, n, 100));
        let owned = dealline_common::owned(&sc.world);
        let msgs = dealline_common::messages(&sc.world, &owned);
        let gen_s = t0.elapsed().as_secs_f64();
        let t = Instant::now();
        let rep = analyse(&msgs, &owned.owners, &rules);
        let s = t.elapsed().as_secs_f64();
        let marketing = rep
            .broadcasts
            .iter()
            .filter(|b| b.verdict == Verdict::Marketing)
            .count();
        println!(
            "{:>12} {:>9} {:>10.2} {:>12.0} {:>10} {:>6} {:>6}   (generation {gen_s:.1} s){}",
            msgs.len(),
            sc.world.handsets.len(),
            s,
            s * 1e9 / msgs.len().max(1) as f64,
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
