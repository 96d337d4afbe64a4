//! The `linesift` command line.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use linesift::evidence::hash::{self, HashSet};
use linesift::process::{self, ProcessOpts, EXIT_FAILED, EXIT_OK};

const AFTER_HELP: &str = "\
Examples:
  linesift process EXH01.zip EXH02.tar.gz -o case-2024-117 --case-ref OP-HEATH --examiner 'DC 1234 Smith'
  linesift process --exhibit-ref EXH-01=seized/phone1.zip --exhibit-ref EXH-02=seized/phone2 -o out --hash all
  linesift verify case-2024-117
  linesift hash --hash all EXH01.zip
  linesift inspect EXH01.zip
  linesift sqlite recover mmssms.db --wal mmssms.db-wal

Exit codes: 0 all done; 1 done with warnings (some input damaged, unknown or unreadable:
see problems in the report, csv/problems.csv and audit.log); 2 failed (nothing could be
processed, the output folder was refused, or `verify` found a mismatch).";

#[derive(Parser, Debug)]
#[command(name = "linesift", version, about = "Read-only evidence extraction and deal-line analysis for seized-phone extractions", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Process exhibits into a case folder (manifest, audit log, case.sqlite, csv, jsonl ...).
    #[command(after_help = AFTER_HELP)]
    Process {
        /// Extraction archives or folders (zip, tar, tar.gz, folder, iTunes-style backup).
        exhibits: Vec<PathBuf>,
        /// Output folder (must be empty or absent unless --force).
        #[arg(short, long)]
        output: PathBuf,
        /// Case reference recorded in the manifest.
        #[arg(long)]
        case_ref: Option<String>,
        /// Examiner name recorded in the manifest.
        #[arg(long)]
        examiner: Option<String>,
        /// Label an exhibit: LABEL=PATH (the path is added if not given positionally).
        #[arg(long = "exhibit-ref", value_name = "LABEL=PATH")]
        exhibit_ref: Vec<String>,
        /// Extra hashes besides SHA-256: sha1, md5 or all (comma-separated or repeated).
        #[arg(long = "hash", value_name = "ALG")]
        hash: Vec<String>,
        /// Worker threads for parsing (default: all cores). Output is the same for any value.
        #[arg(long)]
        threads: Option<usize>,
        /// Default region for numbers without a country code.
        #[arg(long, default_value = "GB")]
        region: String,
        /// Do not recover deleted and superseded records (live and WAL records only).
        #[arg(long)]
        no_recover: bool,
        /// Deal-line rules file (TOML; default: the built-in rules/dealline.toml).
        #[arg(long = "dealline-rules", alias = "rules", value_name = "FILE")]
        rules: Option<PathBuf>,
        /// Largest artifact read, in MB; larger members are cut and flagged.
        #[arg(long, default_value_t = 4096)]
        max_artifact_mb: u64,
        /// Report an artifact still parsing after this many seconds (watchdog).
        #[arg(long, default_value_t = 300)]
        slow_artifact_secs: u64,
        /// No progress bars and no warnings on stderr.
        #[arg(short, long)]
        quiet: bool,
        /// Say what each artifact gave.
        #[arg(short, long)]
        verbose: bool,
        /// Replace a case already in the output folder.
        #[arg(long)]
        force: bool,
    },
    /// Re-hash every exhibit and output file of a case and check the audit log.
    Verify { case: PathBuf },
    /// Print sha256sum-compatible lines (and sha1sum/md5sum lines with --hash).
    Hash {
        files: Vec<PathBuf>,
        #[arg(long = "hash", value_name = "ALG")]
        hash: Vec<String>,
    },
    /// List an exhibit's entries and what would be parsed.
    Inspect {
        exhibit: PathBuf,
        /// List every entry, not only the artifacts.
        #[arg(long)]
        all: bool,
    },
    /// Generic SQLite tools that never let SQLite open the file.
    Sqlite {
        #[command(subcommand)]
        cmd: SqliteCmd,
    },
}

#[derive(Subcommand, Debug)]
enum SqliteCmd {
    /// Print one JSON object per recovered (deleted or superseded) record.
    Recover {
        file: PathBuf,
        #[arg(long)]
        wal: Option<PathBuf>,
        #[arg(long)]
        journal: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("linesift: error: {e:#}");
            EXIT_FAILED
        }
    };
    ExitCode::from(code as u8)
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.cmd {
        Cmd::Process {
            exhibits,
            output,
            case_ref,
            examiner,
            exhibit_ref,
            hash,
            threads,
            region,
            no_recover,
            rules,
            max_artifact_mb,
            slow_artifact_secs,
            quiet,
            verbose,
            force,
        } => {
            let hashes = HashSet::parse(&hash).map_err(anyhow::Error::msg)?;
            let mut list: Vec<(Option<String>, PathBuf)> =
                exhibits.into_iter().map(|p| (None, p)).collect();
            for r in exhibit_ref {
                let (label, path) = r
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("--exhibit-ref takes LABEL=PATH, got {r:?}"))?;
                let path = PathBuf::from(path);
                let same = |p: &PathBuf| {
                    p == &path
                        || (std::fs::canonicalize(p).ok().is_some()
                            && std::fs::canonicalize(p).ok() == std::fs::canonicalize(&path).ok())
                };
                match list.iter_mut().find(|(_, p)| same(p)) {
                    Some(e) => e.0 = Some(label.to_string()),
                    None => list.push((Some(label.to_string()), path)),
                }
            }
            if list.is_empty() {
                anyhow::bail!("no exhibits given (see linesift process --help)");
            }
            let opts = ProcessOpts {
                exhibits: list,
                out: output,
                case_ref,
                examiner,
                hashes,
                threads: threads.unwrap_or_else(|| {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                }),
                quiet,
                verbose,
                force,
                region,
                recover: !no_recover,
                rules,
                max_artifact_mb,
                slow_artifact_secs,
                command_line: std::env::args().collect(),
            };
            let o = process::process(&opts)?;
            if !quiet {
                let c = &o.case;
                eprintln!(
                    "linesift: {} exhibits, {} artifacts, {} messages, {} contacts, {} calls; {} warnings, {} errors",
                    c.exhibits.len(),
                    c.artifacts.len(),
                    c.messages.len(),
                    c.contacts.len(),
                    c.calls.len(),
                    c.warning_count(),
                    c.error_count()
                );
                eprintln!(
                    "linesift: manifest.json sha256 {} (record it in your notes)",
                    o.manifest_sha256
                );
            }
            Ok(o.exit_code)
        }
        Cmd::Verify { case } => {
            let r = linesift::evidence::verify::verify(&case)?;
            for n in &r.notes {
                println!("NOTE {n}");
            }
            for m in &r.mismatches {
                println!("MISMATCH {m}");
            }
            if r.ok() {
                println!("OK {} items verified", r.checked);
                Ok(EXIT_OK)
            } else {
                println!(
                    "FAILED {} mismatches in {} items",
                    r.mismatches.len(),
                    r.checked
                );
                Ok(EXIT_FAILED)
            }
        }
        Cmd::Hash { files, hash: algs } => {
            let set = HashSet::parse(&algs).map_err(anyhow::Error::msg)?;
            let mut code = EXIT_OK;
            for f in files {
                match hash::hash_file(&f, set, None) {
                    Ok(d) => {
                        let name = f.display();
                        println!("{}  {name}", d.sha256);
                        if let Some(s) = d.sha1 {
                            println!("{s}  {name}");
                        }
                        if let Some(s) = d.md5 {
                            println!("{s}  {name}");
                        }
                    }
                    Err(e) => {
                        eprintln!("linesift: {}: {e}", f.display());
                        code = EXIT_FAILED;
                    }
                }
            }
            Ok(code)
        }
        Cmd::Inspect { exhibit, all } => linesift::inspect::inspect(&exhibit, all),
        Cmd::Sqlite {
            cmd: SqliteCmd::Recover { file, wal, journal },
        } => linesift::inspect::sqlite_recover(&file, wal.as_deref(), journal.as_deref()),
    }
}
