//! The committed demo case: it is exactly what the generator makes, and processing it shows the
//! demo's deal line, its campaigns and its number change.
mod common;

use common::*;
use std::path::PathBuf;

fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/demo")
}

#[test]
fn committed_demo_is_what_the_generator_makes() {
    let t = tmp();
    let world = linesift_testdata::scenario::demo_world();
    let made = linesift_testdata::archive::write_world(&world, t.path(), |i| i as u32 % 3).unwrap();
    let mut committed: Vec<String> = std::fs::read_dir(demo_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut names: Vec<String> = made
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        committed, names,
        "regenerate with: cargo run -p linesift-testdata --bin linesift-gen -- demo testdata/demo"
    );
    for p in &made {
        let c = demo_dir().join(p.file_name().unwrap());
        if p.is_file() {
            assert!(
                std::fs::read(p).unwrap() == std::fs::read(&c).unwrap(),
                "{} differs from the generator's",
                c.display()
            );
        }
    }
}

#[test]
fn demo_shows_the_line_its_campaigns_and_its_number_change() {
    let t = tmp();
    let mut exhibits: Vec<PathBuf> = std::fs::read_dir(demo_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    exhibits.sort();
    let out = t.path().join("case");
    let mut args: Vec<String> = vec!["process".into()];
    args.extend(exhibits.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string(), "-q".into()]);
    let o = linesift(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let scenario = linesift_testdata::scenario::demo();
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(out.join("jsonl/lines.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let nums: Vec<String> = lines[0]["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(nums.len(), 2, "the line and its new number: {nums:?}");
    for (a, b) in scenario.labels.link_pairs() {
        assert!(
            nums.contains(&a) && nums.contains(&b),
            "true link {a} {b} not in the line {nums:?}"
        );
    }
    let bc = std::fs::read_to_string(out.join("jsonl/broadcasts.jsonl")).unwrap();
    let marketing = bc
        .lines()
        .filter(|l| l.contains("\"verdict\":\"marketing\""))
        .count();
    assert!(marketing >= 2, "campaigns: {marketing}");
    for l in bc.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            !v["reasons"].as_array().unwrap().is_empty(),
            "every verdict carries its reasons"
        );
    }
    let links = std::fs::read_to_string(out.join("jsonl/line_links.jsonl")).unwrap();
    assert!(links.contains("\"kind\":\"announced_change\""), "{links}");
}
