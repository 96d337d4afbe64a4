//! `linesift-gen`: write synthetic extractions (Ofcom drama numbers only).
//!
//! ```text
//! linesift-gen demo OUTDIR
//! linesift-gen bulk OUT --layout zip|tar|tar.gz --size-mb N --entries N [--seed S]
//! ```
use std::path::PathBuf;

use linesift_testdata::world::Layout;

fn usage() -> ! {
    eprintln!(
        "usage:\n  linesift-gen demo OUTDIR          the committed demo case (testdata/demo)\n  linesift-gen case OUTDIR [--messages N] [--exhibits M] [--seed S]   a large case for benches\n  linesift-gen bulk OUT [--layout zip|tar|tar.gz] [--size-mb N] [--entries N] [--seed S]"
    );
    std::process::exit(2)
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else { usage() };
    match cmd.as_str() {
        "demo" => {
            let Some(out) = args.get(1).map(PathBuf::from) else {
                usage()
            };
            let world = linesift_testdata::scenario::demo_world();
            // Each handset in another schema generation, so the demo shows several app versions.
            let paths = linesift_testdata::archive::write_world(&world, &out, |i| i as u32 % 3)
                .expect("write demo");
            for p in paths {
                println!("{}", p.display());
            }
        }
        "case" => {
            // A large labelled case for benches: N messages over M handsets (deal lines,
            // customers, benign bulk senders), every handset in its own layout.
            let Some(out) = args.get(1).map(PathBuf::from) else {
                usage()
            };
            let messages: u64 = flag(&args, "--messages")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(1_000_000);
            let exhibits: usize = flag(&args, "--exhibits")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(100);
            let seed: u64 = flag(&args, "--seed")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(1);
            let sc = linesift_testdata::scenario::build(
                &linesift_testdata::scenario::Config::bench(seed, messages, exhibits),
            );
            let paths = linesift_testdata::archive::write_world(&sc.world, &out, |i| i as u32 % 3)
                .expect("write case");
            eprintln!(
                "{} exhibits, {} messages",
                paths.len(),
                sc.world
                    .handsets
                    .iter()
                    .map(|h| h.messages.len())
                    .sum::<usize>()
            );
        }
        "bulk" => {
            let Some(out) = args.get(1).map(PathBuf::from) else {
                usage()
            };
            let layout = match flag(&args, "--layout").as_deref().unwrap_or("zip") {
                "zip" => Layout::CellebriteAndroidZip,
                "tar" => Layout::Tar,
                "tar.gz" | "tgz" => Layout::TarGz,
                _ => usage(),
            };
            let mb: u64 = flag(&args, "--size-mb")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(100);
            let entries: u64 = flag(&args, "--entries")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(1000);
            let seed: u64 = flag(&args, "--seed")
                .map(|s| s.parse().unwrap_or_else(|_| usage()))
                .unwrap_or(1);
            linesift_testdata::bulk::write_bulk(layout, mb << 20, entries, &[], &out, seed)
                .expect("write bulk extraction");
        }
        _ => usage(),
    }
}
