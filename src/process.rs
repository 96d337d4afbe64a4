//! `linesift process`: the whole run, exhibit by exhibit, then analysis and export.
use std::collections::{BTreeMap, HashSet as StdHashSet};
use std::io::IsTerminal;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde_json::{json, Value};

use linesift_parsers::paths::canonical;
use linesift_parsers::registry::DbInput;
use linesift_parsers::{ParseError, ParseOutput};

use crate::case::{make_id, ArtifactRec, Case, ExhibitRec, FileRef, Problem, Rec};
use crate::evidence::hash::HashSet;
use crate::evidence::{self, AuditLog};
use crate::ingest::{self, Grabbed, ScanOpts};
use crate::matching::Matcher;

/// What `process` was asked to do.
#[derive(Debug, Clone)]
pub struct ProcessOpts {
    /// Exhibits in the order given, with an optional label.
    pub exhibits: Vec<(Option<String>, PathBuf)>,
    pub out: PathBuf,
    pub case_ref: Option<String>,
    pub examiner: Option<String>,
    pub hashes: HashSet,
    pub threads: usize,
    pub quiet: bool,
    pub verbose: bool,
    pub force: bool,
    pub region: String,
    /// Recover deleted and superseded records (the page reader).
    pub recover: bool,
    /// Deal-line rules file (default: the built-in rules/dealline.toml).
    pub rules: Option<PathBuf>,
    pub max_artifact_mb: u64,
    /// Seconds after which the watchdog reports an artifact that is still parsing.
    pub slow_artifact_secs: u64,
    pub command_line: Vec<String>,
}

/// Exit codes (documented in the README).
pub const EXIT_OK: i32 = 0;
pub const EXIT_WARNINGS: i32 = 1;
pub const EXIT_FAILED: i32 = 2;

pub struct Outcome {
    pub exit_code: i32,
    pub manifest_sha256: String,
    pub case: Case,
}

/// Names linesift writes in an output folder (and removes with `--force`).
pub const OUTPUT_NAMES: &[&str] = &[
    "manifest.json",
    "audit.log",
    "case.sqlite",
    "csv",
    "jsonl",
    "graph",
    "timeline",
    "report.html",
    "hashes",
    ".tmp",
];

fn abs(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// Refuse an output folder that holds a case (unless forced) or that overlaps an exhibit.
fn prepare_out(opts: &ProcessOpts) -> Result<PathBuf> {
    let out = abs(&opts.out);
    for (_, ex) in &opts.exhibits {
        let ex = abs(ex);
        if out == ex || out.starts_with(&ex) {
            bail!(
                "output folder {} is inside exhibit {}: linesift never writes beside evidence",
                out.display(),
                ex.display()
            );
        }
        if ex.starts_with(&out) {
            bail!(
                "exhibit {} is inside the output folder {}: choose another output folder",
                ex.display(),
                out.display()
            );
        }
    }
    if out.exists() {
        let holds_case = OUTPUT_NAMES.iter().any(|n| out.join(n).exists())
            || std::fs::read_dir(&out)?
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".partial"));
        let non_empty = std::fs::read_dir(&out)?.next().is_some();
        if (holds_case || non_empty) && !opts.force {
            bail!(
                "output folder {} is not empty{}; use --force to replace the case in it",
                out.display(),
                if holds_case {
                    " (it holds a linesift case)"
                } else {
                    ""
                }
            );
        }
        if opts.force {
            for n in OUTPUT_NAMES {
                let p = out.join(n);
                if p.is_dir() {
                    std::fs::remove_dir_all(&p)?;
                } else if p.exists() {
                    std::fs::remove_file(&p)?;
                }
            }
            for e in std::fs::read_dir(&out)?.flatten() {
                if e.file_name().to_string_lossy().ends_with(".partial") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    Ok(out)
}

/// Labels: given ones, else the file name; repeated labels get `#2`, `#3` ...
fn labels(opts: &ProcessOpts) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    opts.exhibits
        .iter()
        .map(|(l, p)| {
            let base = l.clone().unwrap_or_else(|| {
                p.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            });
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}#{n}")
            }
        })
        .collect()
}

fn progress(opts: &ProcessOpts, len: u64, msg: String) -> Option<indicatif::ProgressBar> {
    if opts.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(len);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:20} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap()
        .progress_chars("=> "),
    );
    pb.set_message(msg);
    Some(pb)
}

pub fn process(opts: &ProcessOpts) -> Result<Outcome> {
    let started = evidence::now_utc();
    let rules = match &opts.rules {
        Some(p) => crate::analysis::Rules::from_path(p)
            .map_err(|e| anyhow::anyhow!("rules file {}: {e}", p.display()))?,
        None => crate::analysis::Rules::default(),
    };
    crate::analysis::numbers::Normaliser::new(&opts.region)
        .map_err(|e| anyhow::anyhow!("--region: {e}"))?;
    let out = prepare_out(opts)?;
    let tmp = out.join(".tmp");
    let mut audit = AuditLog::create(&out.join("audit.log"))?;
    audit.event(
        "run_start",
        json!({"tool": "linesift", "version": env!("CARGO_PKG_VERSION"), "command_line": opts.command_line,
               "examiner": opts.examiner, "case_ref": opts.case_ref, "hashes": opts.hashes.names()}),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()?;
    let matcher = Matcher::new();
    let labels = labels(opts);
    let mut case = Case::default();
    for (i, (_, path)) in opts.exhibits.iter().enumerate() {
        process_exhibit(
            opts, &pool, &matcher, &mut case, &mut audit, &labels[i], path, &tmp,
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);

    crate::analysis::run(&mut case, &opts.region, &rules);

    // The run's own times stay in the manifest and the audit log only, so that the same input
    // gives the same report.
    let meta = crate::export::report::ReportMeta {
        case_ref: opts.case_ref.clone(),
        examiner: opts.examiner.clone(),
        rules_version: Some(case.dealline.rules_version.clone()),
        region: Some(opts.region.clone()),
        ..crate::export::report::ReportMeta::basic()
    };
    let written = crate::export::write_all(&case, &out, &meta)?;
    audit.event("outputs_written", json!({"files": written}));
    let processed = case
        .exhibits
        .iter()
        .filter(|e| e.status != "failed")
        .count();
    let exit_code = if processed == 0 {
        EXIT_FAILED
    } else if case.warning_count() + case.error_count() > 0 {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    };
    audit.event(
        "run_end",
        json!({"exit_code": exit_code, "warnings": case.warning_count(), "errors": case.error_count(),
               "messages": case.messages.len(), "contacts": case.contacts.len(), "calls": case.calls.len()}),
    );
    audit.close()?;
    // Output files are hashed into the manifest last.
    let outputs: Vec<Value> = evidence::list_outputs(&out)
        .iter()
        .map(|rel| evidence::output_entry(&out, rel))
        .collect::<std::io::Result<_>>()?;
    let manifest = manifest_json(opts, &case, &started, exit_code, outputs);
    let text = serde_json::to_string_pretty(&manifest)? + "\n";
    evidence::write_atomic(&out.join("manifest.json"), text.as_bytes())?;
    Ok(Outcome {
        exit_code,
        manifest_sha256: evidence::hash::sha256_hex(text.as_bytes()),
        case,
    })
}

#[allow(clippy::too_many_arguments)]
fn process_exhibit(
    opts: &ProcessOpts,
    pool: &rayon::ThreadPool,
    matcher: &Matcher,
    case: &mut Case,
    audit: &mut AuditLog,
    label: &str,
    path: &Path,
    tmp: &Path,
) {
    let apath = abs(path);
    let mut rec = ExhibitRec {
        exhibit_id: String::new(),
        label: label.to_string(),
        path: apath.display().to_string(),
        container: "unknown".into(),
        size: 0,
        mtime: None,
        digests: Default::default(),
        entry_count: 0,
        status: "failed".into(),
        problems: Vec::new(),
        duplicate_of: None,
        os: "unknown".into(),
        owner_numbers: Vec::new(),
        file_list: None,
        file_list_path: None,
    };
    audit.event("exhibit_open", json!({"label": label, "path": rec.path}));
    let fail = |case: &mut Case, audit: &mut AuditLog, mut rec: ExhibitRec, reason: String| {
        rec.exhibit_id = make_id('X', &[label, "unreadable"]);
        rec.problems.push(reason.clone());
        audit.event("error", json!({"exhibit": label, "reason": reason}));
        if !opts.quiet {
            eprintln!("linesift: error: exhibit {label}: {reason}");
        }
        case.problems.push(Problem {
            severity: "error",
            exhibit: label.to_string(),
            file: None,
            offset: None,
            reason,
        });
        case.exhibits.push(rec);
    };
    let kind = match ingest::detect(path) {
        Ok(k) => k,
        Err(e) => {
            // Still record what was handed over: a readable file gets its hashes.
            if let Ok(d) = crate::evidence::hash::hash_file(path, opts.hashes, None) {
                rec.size = d.size;
                rec.digests = d;
            }
            return fail(case, audit, rec, format!("{} ({})", e, path.display()));
        }
    };
    rec.container = kind.as_str().to_string();
    if let Ok(md) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        rec.size = md.len();
        rec.mtime = Some(md.mtime());
    }
    let pb = progress(opts, rec.size, label.to_string());
    let want = |name: &str| matcher.wants(name);
    let sopts = ScanOpts {
        hashes: opts.hashes,
        max_in_memory: 1 << 30,
        max_member: opts.max_artifact_mb << 20,
        temp_dir: tmp.to_path_buf(),
        progress: pb.as_ref(),
        want: &want,
    };
    let scanned = match ingest::scan(path, kind, &sopts) {
        Ok(s) => s,
        Err(e) => return fail(case, audit, rec, e.to_string()),
    };
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    rec.digests = scanned.digests.clone();
    if matches!(
        kind,
        ingest::ContainerKind::Folder | ingest::ContainerKind::ItunesBackup
    ) {
        rec.size = scanned.digests.size;
    }
    rec.entry_count = scanned.entries.len() as u64;
    rec.exhibit_id = make_id('X', &[label, &rec.digests.sha256]);
    rec.status = "ok".into();
    rec.file_list = scanned.file_list.clone();
    if rec.file_list.is_some() {
        rec.file_list_path = Some(format!("hashes/{}.sha256", rec.exhibit_id));
    }
    audit.event(
        "exhibit_hashed",
        json!({"exhibit_id": rec.exhibit_id, "label": label, "container": rec.container, "size": rec.size,
               "sha256": rec.digests.sha256, "sha1": rec.digests.sha1, "md5": rec.digests.md5,
               "entries": rec.entry_count}),
    );
    let warn = |case: &mut Case,
                audit: &mut AuditLog,
                rec: &mut ExhibitRec,
                file: Option<String>,
                offset: Option<u64>,
                reason: String| {
        if !opts.quiet {
            match &file {
                Some(f) => eprintln!("linesift: warning: {label}: {f}: {reason}"),
                None => eprintln!("linesift: warning: {label}: {reason}"),
            }
        }
        audit.event(
            "warning",
            json!({"exhibit": label, "file": file, "offset": offset, "reason": reason}),
        );
        rec.status = "warnings".into();
        case.problems.push(Problem {
            severity: "warning",
            exhibit: label.to_string(),
            file,
            offset,
            reason,
        });
    };
    for p in &scanned.problems {
        rec.problems.push(p.clone());
        warn(case, audit, &mut rec, None, None, p.clone());
    }
    if let Some(first) = case
        .exhibits
        .iter()
        .find(|e| e.status != "failed" && e.digests.sha256 == rec.digests.sha256)
    {
        rec.duplicate_of = Some(first.exhibit_id.clone());
        let msg = format!(
            "same bytes (SHA-256) as exhibit {} ({}): both are processed and recorded",
            first.label, first.exhibit_id
        );
        rec.problems.push(msg.clone());
        warn(case, audit, &mut rec, None, None, msg);
    }
    for e in &scanned.entries {
        for p in &e.problems {
            warn(
                case,
                audit,
                &mut rec,
                Some(e.path.clone()),
                e.offset,
                p.clone(),
            );
        }
    }
    let ex_idx = case.exhibits.len();
    let artifacts = plan_artifacts(matcher, &scanned.entries, &scanned.grabbed);
    // Parse in parallel; results come back in plan order whatever the thread count. A watchdog
    // names any artifact still parsing after `slow_after` (it cannot be killed, but the examiner
    // sees which file it is, and the artifact's row records how long it took).
    let running: std::sync::Mutex<BTreeMap<usize, (String, std::time::Instant)>> =
        Default::default();
    let done = std::sync::atomic::AtomicBool::new(false);
    let slow_after = std::time::Duration::from_secs(opts.slow_artifact_secs.max(1));
    let results: Vec<(ParseResult, Option<String>, std::time::Duration)> =
        std::thread::scope(|sc| {
            sc.spawn(|| {
                let mut told = StdHashSet::new();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    for (i, (path, t0)) in running.lock().unwrap().iter() {
                        if t0.elapsed() >= slow_after && told.insert(*i) && !opts.quiet {
                            eprintln!(
                                "linesift: watchdog: {label}: {path} still parsing after {} s",
                                t0.elapsed().as_secs()
                            );
                        }
                    }
                }
            });
            let r = pool.install(|| {
                artifacts
                    .par_iter()
                    .enumerate()
                    .map(|(i, a)| {
                        if a.duplicate_of.is_some() {
                            return (Err("duplicate".into()), None, std::time::Duration::ZERO);
                        }
                        let g = &scanned.grabbed[a.main];
                        let input = DbInput {
                            path: &a.device_path,
                            main: &g.data,
                            wal: a.wal.map(|w| &scanned.grabbed[w].data[..]),
                            journal: a.journal.map(|j| &scanned.grabbed[j].data[..]),
                            recover: opts.recover,
                        };
                        let spec = matcher.specs()[a.parser];
                        let t0 = std::time::Instant::now();
                        running
                            .lock()
                            .unwrap()
                            .insert(i, (scanned.entries[g.entry].path.clone(), t0));
                        let r = std::panic::catch_unwind(AssertUnwindSafe(|| (spec.parse)(&input)));
                        running.lock().unwrap().remove(&i);
                        let r = match r {
                            Ok(Ok(out)) => Ok(out),
                            Ok(Err(e)) => Err(describe(&e)),
                            Err(panic) => Err(format!(
                            "parser {} crashed: {}; this artifact was skipped, the case goes on",
                            spec.parser,
                            panic_message(&panic)
                        )),
                        };
                        (r, g.problem.clone(), t0.elapsed())
                    })
                    .collect()
            });
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            r
        });
    let mut results = results;
    resolve_whatsapp_ios_lids(matcher, &artifacts, &mut results);
    let mut os_votes = (0, 0);
    for (a, (res, grab_problem, took)) in artifacts.iter().zip(results) {
        let g = &scanned.grabbed[a.main];
        let stored = scanned.entries[g.entry].path.clone();
        let spec = matcher.specs()[a.parser];
        let file_ref = |gi: usize| {
            let gg: &Grabbed = &scanned.grabbed[gi];
            FileRef {
                path: scanned.entries[gg.entry].path.clone(),
                size: gg.data.len() as u64,
                sha256: gg.sha256.clone(),
            }
        };
        let mut art = ArtifactRec {
            artifact_id: make_id('A', &[&rec.exhibit_id, &stored, spec.parser]),
            exhibit: ex_idx,
            path: stored.clone(),
            device_path: a.device_path.clone(),
            parser: spec.parser.to_string(),
            size: g.data.len() as u64,
            sha256: g.sha256.clone(),
            wal: a.wal.map(file_ref),
            journal: a.journal.map(file_ref),
            also_at: a
                .also_at
                .iter()
                .map(|&gi| scanned.entries[scanned.grabbed[gi].entry].path.clone())
                .collect(),
            status: "parsed".into(),
            detail: String::new(),
            table_counts: Vec::new(),
            warnings: Vec::new(),
            records: 0,
        };
        if let Some(p) = &grab_problem {
            warn(case, audit, &mut rec, Some(stored.clone()), None, p.clone());
            art.detail = p.clone();
        }
        if let Some(d) = &a.duplicate_of {
            art.status = "duplicate".into();
            art.detail =
                format!("identical bytes to {d} (another storage view); parsed once there");
            case.artifacts.push(art);
            continue;
        }
        if took >= slow_after {
            let msg = format!(
                "parsing took {} s (watchdog threshold {} s)",
                took.as_secs(),
                slow_after.as_secs()
            );
            art.detail = join_detail(&art.detail, &msg);
            warn(case, audit, &mut rec, Some(stored.clone()), None, msg);
        }
        if let Some(d) = &a.differs_from {
            let msg = format!("differs from the copy at {d}; both parsed");
            art.detail = join_detail(&art.detail, &msg);
            warn(case, audit, &mut rec, Some(stored.clone()), None, msg);
        }
        let art_idx = case.artifacts.len();
        match res {
            Err(reason) => {
                art.status = "failed".into();
                art.detail = join_detail(&art.detail, &reason);
                warn(case, audit, &mut rec, Some(stored.clone()), None, reason);
            }
            Ok(out) => {
                if spec.parser.starts_with("android.") || a.device_path.starts_with("/data") {
                    os_votes.0 += 1;
                } else if a.device_path.starts_with("/private/var") {
                    os_votes.1 += 1;
                }
                for w in &out.warnings {
                    warn(
                        case,
                        audit,
                        &mut rec,
                        Some(stored.clone()),
                        w.offset,
                        w.message.clone(),
                    );
                }
                if !out.warnings.is_empty() {
                    art.status = "parsed_with_warnings".into();
                }
                art.table_counts = out.table_counts.clone();
                art.warnings = out.warnings.clone();
                art.records =
                    (out.messages.len() + out.contacts.len() + out.calls.len() + out.owners.len())
                        as u64;
                if opts.verbose && !opts.quiet {
                    eprintln!(
                        "linesift: {label}: {stored}: {} ({} messages, {} contacts, {} calls)",
                        spec.parser,
                        out.messages.len(),
                        out.contacts.len(),
                        out.calls.len()
                    );
                }
                add_records(case, ex_idx, art_idx, &rec.exhibit_id, &stored, out);
            }
        }
        audit.event(
            "artifact",
            json!({"exhibit_id": rec.exhibit_id, "path": art.path, "parser": art.parser, "sha256": art.sha256,
                   "wal_sha256": art.wal.as_ref().map(|w| w.sha256.clone()), "status": art.status, "records": art.records}),
        );
        case.artifacts.push(art);
    }
    rec.os = match os_votes {
        (0, 0) => "unknown",
        (a, i) if a >= i => "android",
        _ => "ios",
    }
    .to_string();
    case.exhibits.push(rec);
}

type ParseResult = std::result::Result<ParseOutput, String>;

/// WhatsApp on iOS names some chats and callers by LID; `LID.sqlite` of the same exhibit maps
/// them to phone-number JIDs. Parsers see one file each, so the mapping is applied here.
fn resolve_whatsapp_ios_lids(
    matcher: &Matcher,
    artifacts: &[Planned],
    results: &mut [(ParseResult, Option<String>, std::time::Duration)],
) {
    use linesift_parsers::whatsapp::ios::{lid_map, resolve_lids};
    let parser = |a: &Planned| matcher.specs()[a.parser].parser;
    let mut map = BTreeMap::new();
    for (a, (r, _, _)) in artifacts.iter().zip(results.iter()) {
        if let (Ok(out), "whatsapp.ios.lid") = (r, parser(a)) {
            map.extend(lid_map(out));
        }
    }
    if map.is_empty() {
        return;
    }
    for (a, (r, _, _)) in artifacts.iter().zip(results.iter_mut()) {
        if let (Ok(out), "whatsapp.ios.chatstorage" | "whatsapp.ios.callhistory") = (r, parser(a)) {
            resolve_lids(out, &map);
        }
    }
}

fn join_detail(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}; {b}")
    }
}

fn describe(e: &ParseError) -> String {
    match e {
        ParseError::UnknownSchema(s) => format!("unknown schema: {s}"),
        other => other.to_string(),
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// One planned parse: a grabbed entry, its parser and its companions.
struct Planned {
    main: usize,
    parser: usize,
    device_path: String,
    wal: Option<usize>,
    journal: Option<usize>,
    also_at: Vec<usize>,
    duplicate_of: Option<String>,
    differs_from: Option<String>,
}

fn plan_artifacts(
    matcher: &Matcher,
    entries: &[ingest::CatalogEntry],
    grabbed: &[Grabbed],
) -> Vec<Planned> {
    let mut companions: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut cands: Vec<(String, String, usize, usize)> = Vec::new(); // (stored, device, grabbed, parser)
    for (gi, g) in grabbed.iter().enumerate() {
        let stored = &entries[g.entry].path;
        let c = canonical(stored);
        if let Some((stem, suf)) = matcher.companion_of(&c) {
            companions.entry((stem, suf)).or_insert(gi);
            continue;
        }
        for p in matcher.parsers_for(&c) {
            cands.push((stored.clone(), c.clone(), gi, p));
        }
    }
    cands.sort();
    let mut plan: Vec<Planned> = cands
        .iter()
        .map(|(_, dev, gi, p)| Planned {
            main: *gi,
            parser: *p,
            device_path: dev.clone(),
            wal: companions.get(&(dev.clone(), "-wal")).copied(),
            journal: companions.get(&(dev.clone(), "-journal")).copied(),
            also_at: Vec::new(),
            duplicate_of: None,
            differs_from: None,
        })
        .collect();
    // Android storage views: identical bytes are parsed once; differing copies both, flagged.
    let content = |p: &Planned| {
        let h = |gi: Option<usize>| gi.map(|g| grabbed[g].sha256.clone()).unwrap_or_default();
        format!("{}|{}|{}", grabbed[p.main].sha256, h(p.wal), h(p.journal))
    };
    let mut groups: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, p) in plan.iter().enumerate() {
        groups
            .entry((p.parser, matcher.view_key(&p.device_path)))
            .or_default()
            .push(i);
    }
    for idxs in groups.values() {
        if idxs.len() < 2 {
            continue;
        }
        let mut first_by_content: BTreeMap<String, usize> = BTreeMap::new();
        let first_any = idxs[0];
        for &i in idxs {
            let key = content(&plan[i]);
            match first_by_content.get(&key) {
                Some(&f) => {
                    let fpath = entries[grabbed[plan[f].main].entry].path.clone();
                    let me = plan[i].main;
                    plan[f].also_at.push(me);
                    plan[i].duplicate_of = Some(fpath);
                }
                None => {
                    if i != first_any {
                        plan[i].differs_from =
                            Some(entries[grabbed[plan[first_any].main].entry].path.clone());
                    }
                    first_by_content.insert(key, i);
                }
            }
        }
    }
    plan
}

fn add_records(
    case: &mut Case,
    ex: usize,
    art: usize,
    exhibit_id: &str,
    stored: &str,
    out: ParseOutput,
) {
    let mut used: StdHashSet<String> = StdHashSet::new();
    let mut id_for = |prefix: char, o: &linesift_parsers::Origin| {
        let rowid = o.rowid.map(|r| r.to_string()).unwrap_or_default();
        let off = o.offset.map(|r| r.to_string()).unwrap_or_default();
        let base = make_id(
            prefix,
            &[exhibit_id, stored, &o.table, &rowid, &off, o.state.as_str()],
        );
        let mut id = base.clone();
        let mut n = 1;
        while !used.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    };
    let mut wrap =
        |prefix: char, origin: &linesift_parsers::Origin| (id_for(prefix, origin), ex, art);
    for m in out.messages {
        case.messages.push(rec(wrap('M', &m.origin), m));
    }
    for c in out.contacts {
        case.contacts.push(rec(wrap('C', &c.origin), c));
    }
    for c in out.calls {
        case.calls.push(rec(wrap('K', &c.origin), c));
    }
    for o in out.owners {
        case.owners.push(rec(wrap('O', &o.origin), o));
    }
}

/// A record with its id, exhibit and artifact.
fn rec<T>((id, exhibit, artifact): (String, usize, usize), rec: T) -> Rec<T> {
    Rec {
        id,
        exhibit,
        artifact,
        rec,
    }
}

fn manifest_json(
    opts: &ProcessOpts,
    case: &Case,
    started: &str,
    exit_code: i32,
    outputs: Vec<Value>,
) -> Value {
    let exhibits: Vec<Value> = case
        .exhibits
        .iter()
        .map(|e| {
            json!({"exhibit_id": e.exhibit_id, "label": e.label, "path": e.path, "container": e.container,
                   "size": e.size, "mtime": e.mtime, "sha256": e.digests.sha256, "sha1": e.digests.sha1,
                   "md5": e.digests.md5, "entry_count": e.entry_count, "status": e.status, "os": e.os,
                   "duplicate_of": e.duplicate_of, "file_list": e.file_list_path,
                   "owner_numbers": e.owner_numbers.iter().map(|(n, how)| json!({"number": n, "how": how})).collect::<Vec<_>>(),
                   "problems": e.problems})
        })
        .collect();
    let artifacts: Vec<Value> = case
        .artifacts
        .iter()
        .map(|a| {
            json!({"artifact_id": a.artifact_id, "exhibit_id": case.exhibits[a.exhibit].exhibit_id,
                   "path": a.path, "device_path": a.device_path, "parser": a.parser, "size": a.size,
                   "sha256": a.sha256, "wal": a.wal, "journal": a.journal, "also_at": a.also_at,
                   "status": a.status, "detail": a.detail, "records": a.records,
                   "table_counts": a.table_counts.iter().map(|(t, n)| json!({"table": t, "rows": n})).collect::<Vec<_>>()})
        })
        .collect();
    json!({
        "tool": "linesift",
        "version": env!("CARGO_PKG_VERSION"),
        "command_line": opts.command_line,
        "started_utc": started,
        "finished_utc": evidence::now_utc(),
        "examiner": opts.examiner,
        "case_ref": opts.case_ref,
        "settings": {"hashes": opts.hashes.names(), "region": opts.region, "max_artifact_mb": opts.max_artifact_mb,
                     "rules_version": case.dealline.rules_version, "rules_file": opts.rules.as_ref().map(|p| p.display().to_string())},
        "exit_code": exit_code,
        "warnings": case.warning_count(),
        "errors": case.error_count(),
        "counts": {"exhibits": case.exhibits.len(), "artifacts": case.artifacts.len(), "messages": case.messages.len(),
                   "contacts": case.contacts.len(), "calls": case.calls.len()},
        "exhibits": exhibits,
        "artifacts": artifacts,
        "outputs": outputs,
    })
}
