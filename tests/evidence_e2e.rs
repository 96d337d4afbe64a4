//! The evidence chain end to end through the `linesift` binary: hashes equal coreutils', inputs
//! are untouched, `verify` catches a changed byte, runs are reproducible, bad exhibits are
//! reported while the others complete, and exit codes say which happened.
mod common;

use common::*;
use std::path::{Path, PathBuf};

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let z = zip_bytes(&[
        (
            b"Dump/data/data/com.example/files/a.txt",
            b"alpha alpha alpha",
            true,
        ),
        (b"Dump/data/media/0/DCIM/b.bin", &[9u8; 3000], false),
    ]);
    let zip = write(dir, "EXH01.zip", &z);
    let mut tb = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(4);
    h.set_mode(0o644);
    h.set_mtime(1_700_000_000);
    tb.append_data(&mut h, "private/var/mobile/Library/x.txt", &b"beta"[..])
        .unwrap();
    let tarp = write(dir, "EXH02.tar", &tb.into_inner().unwrap());
    let folder = dir.join("EXH03");
    write(&folder, "data/data/com.example/c.txt", b"gamma");
    write(&folder, "sdcard/d.txt", b"delta");
    vec![zip, tarp, folder]
}

fn snapshot(paths: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut v = Vec::new();
    for p in paths {
        let mut stack = vec![p.clone()];
        while let Some(x) = stack.pop() {
            let md = std::fs::metadata(&x).unwrap();
            if md.is_dir() {
                let mut kids: Vec<_> = std::fs::read_dir(&x)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                kids.sort();
                stack.extend(kids);
                v.push((x.clone(), Vec::new(), md.modified().unwrap()));
            } else {
                v.push((
                    x.clone(),
                    std::fs::read(&x).unwrap(),
                    md.modified().unwrap(),
                ));
            }
        }
    }
    v
}

fn args<'a>(ex: &'a [PathBuf], out: &'a Path, extra: &[&'a str]) -> Vec<String> {
    let mut a = vec!["process".to_string()];
    a.extend(ex.iter().map(|p| p.display().to_string()));
    a.extend([
        "-o".to_string(),
        out.display().to_string(),
        "-q".to_string(),
    ]);
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn run(a: &[String]) -> std::process::Output {
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    linesift(&refs)
}

#[test]
fn hashes_match_coreutils_inputs_untouched_and_verify_catches_changes() {
    let t = tmp();
    let ex = fixtures(t.path());
    let before = snapshot(&ex);
    let out = t.path().join("case");
    let o = run(&args(
        &ex,
        &out,
        &[
            "--hash",
            "all",
            "--case-ref",
            "OP-TEST",
            "--examiner",
            "DC 1",
        ],
    ));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        snapshot(&ex),
        before,
        "inputs' bytes and mtimes must not change"
    );
    let m = read_json(&out.join("manifest.json"));
    assert_eq!(m["case_ref"], "OP-TEST");
    for (i, p) in ex.iter().take(2).enumerate() {
        let e = &m["exhibits"][i];
        assert_eq!(e["sha256"], coreutils("sha256sum", p));
        assert_eq!(e["sha1"], coreutils("sha1sum", p));
        assert_eq!(e["md5"], coreutils("md5sum", p));
        assert_eq!(e["size"], std::fs::metadata(p).unwrap().len());
    }
    assert_eq!(m["exhibits"][2]["container"], "folder");
    // Every output is in the manifest with its hash.
    let outs: Vec<String> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap().to_string())
        .collect();
    for f in [
        "audit.log",
        "case.sqlite",
        "csv/exhibits.csv",
        "csv/artifacts.csv",
        "jsonl/messages.jsonl",
    ] {
        assert!(outs.contains(&f.to_string()), "{f} missing from {outs:?}");
    }
    // A fresh case verifies.
    let v = linesift(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 0, "{}", stdout(&v));
    // One changed byte in an output is caught and named.
    let csv = out.join("csv/exhibits.csv");
    let mut b = std::fs::read(&csv).unwrap();
    b[0] ^= 1;
    std::fs::write(&csv, &b).unwrap();
    let v = linesift(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 2);
    assert!(stdout(&v).contains("csv/exhibits.csv"), "{}", stdout(&v));
    b[0] ^= 1;
    std::fs::write(&csv, &b).unwrap();
    // One changed byte in an exhibit is caught and named.
    let mut z = std::fs::read(&ex[0]).unwrap();
    let last = z.len() - 1;
    z[last] ^= 0x55;
    std::fs::write(&ex[0], &z).unwrap();
    let v = linesift(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 2);
    assert!(stdout(&v).contains("EXH01.zip"), "{}", stdout(&v));
    // A file changed inside a folder exhibit is named.
    z[last] ^= 0x55;
    std::fs::write(&ex[0], &z).unwrap();
    std::fs::write(ex[2].join("sdcard/d.txt"), b"DELTA").unwrap();
    let v = linesift(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 2);
    assert!(stdout(&v).contains("sdcard/d.txt"), "{}", stdout(&v));
}

#[test]
fn audit_log_is_hash_chained_and_tampering_breaks_it() {
    let t = tmp();
    let ex = fixtures(t.path());
    let out = t.path().join("case");
    assert_eq!(code(&run(&args(&ex, &out, &[]))), 0);
    let log = std::fs::read_to_string(out.join("audit.log")).unwrap();
    assert!(linesift::evidence::check_audit_chain(&log).unwrap() >= 6);
    let lines: Vec<&str> = log.lines().collect();
    let mut edited: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    edited.remove(2);
    assert!(linesift::evidence::check_audit_chain(&(edited.join("\n") + "\n")).is_err());
}

#[test]
fn same_input_same_output_whatever_the_thread_count() {
    let t = tmp();
    let ex = fixtures(t.path());
    let a = t.path().join("a");
    let b = t.path().join("b");
    assert_eq!(code(&run(&args(&ex, &a, &["--threads", "1"]))), 0);
    assert_eq!(code(&run(&args(&ex, &b, &["--threads", "2"]))), 0);
    let (ca, cb) = (comparable(&a), comparable(&b));
    assert_eq!(ca.len(), cb.len());
    for ((na, ba), (nb, bb)) in ca.iter().zip(&cb) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between runs");
    }
}

#[test]
fn bad_exhibits_are_reported_and_the_rest_complete() {
    let t = tmp();
    let ex = fixtures(t.path());
    let notes = write(t.path(), "notes.txt", b"this is not an archive, just text");
    let empty = write(t.path(), "empty.zip", b"");
    let zb = std::fs::read(&ex[0]).unwrap();
    let cut = write(t.path(), "cut.zip", &zb[..zb.len() - 30]);
    let missing = t.path().join("missing.zip");
    let mut all = ex.clone();
    all.extend([notes, empty, cut, missing]);
    let out = t.path().join("case");
    let o = run(&args(&all, &out, &[]));
    assert_eq!(code(&o), 1, "done with warnings");
    let m = read_json(&out.join("manifest.json"));
    let ex_json = m["exhibits"].as_array().unwrap();
    assert_eq!(ex_json.len(), 7);
    for e in &ex_json[..3] {
        assert_eq!(e["status"], "ok", "{e}");
    }
    let by_label = |l: &str| ex_json.iter().find(|e| e["label"] == l).unwrap().clone();
    assert_eq!(by_label("notes.txt")["status"], "failed");
    assert!(by_label("notes.txt")["problems"][0]
        .as_str()
        .unwrap()
        .contains("not a recognised"));
    assert_eq!(
        by_label("notes.txt")["sha256"],
        coreutils("sha256sum", &t.path().join("notes.txt"))
    );
    assert!(by_label("empty.zip")["problems"][0]
        .as_str()
        .unwrap()
        .contains("empty"));
    assert!(by_label("missing.zip")["problems"][0]
        .as_str()
        .unwrap()
        .contains("does not exist"));
    assert_eq!(by_label("cut.zip")["status"], "warnings");
    let problems = std::fs::read_to_string(out.join("csv/problems.csv")).unwrap();
    assert!(
        problems.contains("missing.zip") && problems.contains("cut.zip"),
        "{problems}"
    );
}

#[test]
fn only_bad_exhibits_means_failed() {
    let t = tmp();
    let notes = write(t.path(), "notes.txt", b"not an archive");
    let o = run(&args(&[notes], &t.path().join("case"), &[]));
    assert_eq!(code(&o), 2);
}

#[test]
fn existing_case_is_refused_unless_forced() {
    let t = tmp();
    let ex = fixtures(t.path());
    let out = t.path().join("case");
    assert_eq!(code(&run(&args(&ex, &out, &[]))), 0);
    let o = run(&args(&ex, &out, &[]));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = run(&args(&ex, &out, &["--force"]));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = linesift(&["verify", out.to_str().unwrap()]);
    assert_eq!(code(&v), 0, "{}", stdout(&v));
}

#[test]
fn output_inside_an_exhibit_folder_is_refused() {
    let t = tmp();
    let ex = fixtures(t.path());
    let inside = ex[2].join("case");
    let o = run(&args(&ex, &inside, &[]));
    assert_eq!(code(&o), 2);
    assert!(!inside.exists(), "nothing may be written inside an exhibit");
}

#[test]
fn duplicate_exhibits_are_both_recorded_and_flagged() {
    let t = tmp();
    let ex = fixtures(t.path());
    let copy = t.path().join("EXH01-copy.zip");
    std::fs::copy(&ex[0], &copy).unwrap();
    let out = t.path().join("case");
    let o = run(&args(&[ex[0].clone(), copy], &out, &[]));
    assert_eq!(code(&o), 1);
    let m = read_json(&out.join("manifest.json"));
    assert_eq!(m["exhibits"][0]["sha256"], m["exhibits"][1]["sha256"]);
    assert_eq!(
        m["exhibits"][1]["duplicate_of"],
        m["exhibits"][0]["exhibit_id"]
    );
    assert_ne!(
        m["exhibits"][0]["exhibit_id"],
        m["exhibits"][1]["exhibit_id"]
    );
}

#[test]
fn hash_command_prints_sha256sum_lines() {
    let t = tmp();
    let ex = fixtures(t.path());
    let o = linesift(&["hash", "--hash", "all", ex[0].to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!("{}  {}", coreutils("sha256sum", &ex[0]), ex[0].display())
    );
    assert_eq!(
        lines[1],
        format!("{}  {}", coreutils("sha1sum", &ex[0]), ex[0].display())
    );
    assert_eq!(
        lines[2],
        format!("{}  {}", coreutils("md5sum", &ex[0]), ex[0].display())
    );
}
