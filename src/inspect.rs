//! `linesift inspect` and `linesift sqlite ...`: look without processing.
use std::path::Path;

use linesift_parsers::paths::canonical;

use crate::evidence::hash::HashSet;
use crate::ingest::{self, ScanOpts};
use crate::matching::Matcher;

pub fn inspect(exhibit: &Path, all: bool) -> anyhow::Result<i32> {
    let kind = ingest::detect(exhibit)?;
    let none = |_: &str| false;
    let tmp = std::env::temp_dir().join("linesift-inspect");
    let opts = ScanOpts {
        hashes: HashSet::sha256_only(),
        max_in_memory: 0,
        max_member: 0,
        temp_dir: tmp,
        progress: None,
        want: &none,
    };
    let s = ingest::scan(exhibit, kind, &opts)?;
    let m = Matcher::new();
    println!("exhibit   {}", exhibit.display());
    println!("container {}", kind.as_str());
    println!("sha256    {}", s.digests.sha256);
    println!("entries   {}", s.entries.len());
    for p in &s.problems {
        println!("problem   {p}");
    }
    let mut n = 0;
    for e in &s.entries {
        let c = canonical(&e.path);
        let parsers: Vec<&str> = m
            .parsers_for(&c)
            .iter()
            .map(|&i| m.specs()[i].parser)
            .collect();
        let comp = m.companion_of(&c);
        if !parsers.is_empty() {
            n += 1;
            println!(
                "PARSE     {:<28} {} ({} bytes)",
                parsers.join(","),
                e.path,
                e.size
            );
        } else if let Some((_, suf)) = comp {
            println!("COMPANION {:<28} {} ({} bytes)", suf, e.path, e.size);
        } else if all {
            println!("          {:<28} {} ({} bytes)", "", e.path, e.size);
        }
        for p in &e.problems {
            println!("  ! {p}");
        }
    }
    println!("{n} artifacts would be parsed");
    Ok(if s.problems.is_empty() { 0 } else { 1 })
}

pub fn sqlite_recover(
    file: &Path,
    wal: Option<&Path>,
    journal: Option<&Path>,
) -> anyhow::Result<i32> {
    let main = std::fs::read(file)?;
    let wal = wal.map(std::fs::read).transpose()?;
    let journal = journal.map(std::fs::read).transpose()?;
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let sum = linesift_parsers::recover::write_jsonl(
        &mut lock,
        &main,
        wal.as_deref(),
        journal.as_deref(),
    )?;
    std::io::Write::flush(&mut lock)?;
    eprintln!(
        "linesift: {} records recovered ({} not attributed to a table)",
        sum.records, sum.unattributed
    );
    for w in &sum.warnings {
        eprintln!("linesift: warning: {w}");
    }
    Ok(if sum.warnings.is_empty() { 0 } else { 1 })
}
