//! Owner inference by message twins on small constructed multi-handset cases.
//! Numbers are Ofcom drama numbers.

use linesift::analysis::numbers::{body_hash, infer_owners_by_twins, InferredOwner, TwinFact};

const A_TRUE: &str = "+447700900100";
const B_OWN: &str = "+447700900201";
const C_OWN: &str = "+447700900302";
const OTHER: &str = "+447700900999";
const T0: i64 = 1_700_000_000_000;
const MIN: i64 = 60_000;

fn out(ex: usize, ts: i64, body: &str, to: &str, id: &str) -> TwinFact {
    TwinFact {
        exhibit: ex,
        outgoing: true,
        ts_ms: ts,
        body_hash: body_hash(body),
        peer_e164: to.into(),
        message_id: id.into(),
    }
}

fn inc(ex: usize, ts: i64, body: &str, from: &str, id: &str) -> TwinFact {
    TwinFact {
        exhibit: ex,
        outgoing: false,
        ts_ms: ts,
        body_hash: body_hash(body),
        peer_e164: from.into(),
        message_id: id.into(),
    }
}

fn owners3() -> Vec<Vec<String>> {
    vec![vec![], vec![B_OWN.into()], vec![C_OWN.into()]]
}

/// Exhibit 0 (owner unknown, really A_TRUE) texts B and C; B and C hold the twins.
fn positive_case() -> Vec<TwinFact> {
    vec![
        out(0, T0, "u about? need 2", B_OWN, "a1"),
        inc(1, T0 + 3_000, "u about? need 2", A_TRUE, "b1"),
        // The same received message again (a WAL copy): not an independent pair.
        inc(1, T0 + 3_000, "u about? need 2", A_TRUE, "b1-wal"),
        out(0, T0 + 10 * MIN, "outside in 5", C_OWN, "a2"),
        inc(2, T0 + 10 * MIN - 2_000, "outside in 5", A_TRUE, "c1"),
        // Unrelated traffic.
        out(1, T0 + 20 * MIN, "ok", OTHER, "b2"),
        inc(2, T0 + 30 * MIN, "see you", OTHER, "c2"),
        // An outgoing from exhibit 0 with no twin anywhere.
        out(0, T0 + 40 * MIN, "where are you", OTHER, "a3"),
    ]
}

fn only(v: &[InferredOwner], ex: usize) -> Vec<&InferredOwner> {
    v.iter().filter(|o| o.exhibit == ex).collect()
}

#[test]
fn three_handsets_positive() {
    let got = infer_owners_by_twins(&positive_case(), &owners3());
    assert_eq!(got.len(), 1, "{got:#?}");
    let o = &got[0];
    assert_eq!((o.exhibit, o.e164.as_str(), o.pair_count), (0, A_TRUE, 2));
    // The evidence names the message pairs and the rule.
    for needle in [
        "a1",
        "b1",
        "a2",
        "c1",
        "within 60s",
        "at least 2 independent pairs",
    ] {
        assert!(o.evidence.contains(needle), "{needle:?} in {}", o.evidence);
    }
}

#[test]
fn one_pair_is_not_enough() {
    let mut msgs = positive_case();
    msgs.retain(|m| m.message_id != "c1");
    assert!(infer_owners_by_twins(&msgs, &owners3()).is_empty());
}

#[test]
fn twin_outside_window_does_not_count() {
    let mut msgs = positive_case();
    for m in &mut msgs {
        if m.message_id == "c1" {
            m.ts_ms = T0 + 10 * MIN + 61_000;
        }
    }
    assert!(infer_owners_by_twins(&msgs, &owners3()).is_empty());
}

#[test]
fn different_body_does_not_count() {
    let mut msgs = positive_case();
    for m in &mut msgs {
        if m.message_id == "c1" {
            m.body_hash = body_hash("outside in 10");
        }
    }
    assert!(infer_owners_by_twins(&msgs, &owners3()).is_empty());
}

#[test]
fn conflicting_evidence_decides_nothing() {
    // Interleaved pairs: B says the sender was A_TRUE, C says it was OTHER.
    let msgs = vec![
        out(0, T0, "m1", B_OWN, "a1"),
        inc(1, T0 + 1_000, "m1", A_TRUE, "b1"),
        out(0, T0 + 5 * MIN, "m2", C_OWN, "a2"),
        inc(2, T0 + 5 * MIN + 1_000, "m2", OTHER, "c1"),
        out(0, T0 + 10 * MIN, "m3", B_OWN, "a3"),
        inc(1, T0 + 10 * MIN + 1_000, "m3", A_TRUE, "b2"),
        out(0, T0 + 15 * MIN, "m4", C_OWN, "a4"),
        inc(2, T0 + 15 * MIN + 1_000, "m4", OTHER, "c2"),
    ];
    let got = infer_owners_by_twins(&msgs, &owners3());
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn strong_majority_survives_one_contradiction() {
    let mut msgs = Vec::new();
    for k in 0..4 {
        let body = format!("msg {k}");
        let t = T0 + k * 10 * MIN;
        msgs.push(out(0, t, &body, B_OWN, &format!("a{k}")));
        msgs.push(inc(1, t + 2_000, &body, A_TRUE, &format!("b{k}")));
    }
    msgs.push(out(0, T0 + 15 * MIN, "stray", C_OWN, "a9"));
    msgs.push(inc(2, T0 + 15 * MIN + 1_000, "stray", OTHER, "c9"));
    let got = infer_owners_by_twins(&msgs, &owners3());
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!((got[0].e164.as_str(), got[0].pair_count), (A_TRUE, 4));
    assert!(got[0].evidence.contains(OTHER), "{}", got[0].evidence);
}

#[test]
fn sim_change_in_disjoint_periods_gives_both() {
    let mut msgs = Vec::new();
    for k in 0..3 {
        let t = T0 + k * MIN * 5;
        msgs.push(out(0, t, &format!("early {k}"), B_OWN, &format!("e{k}")));
        msgs.push(inc(
            1,
            t + 1_000,
            &format!("early {k}"),
            A_TRUE,
            &format!("be{k}"),
        ));
        let t2 = T0 + 30 * 24 * 60 * MIN + k * MIN * 5;
        msgs.push(out(0, t2, &format!("late {k}"), C_OWN, &format!("l{k}")));
        msgs.push(inc(
            2,
            t2 + 1_000,
            &format!("late {k}"),
            OTHER,
            &format!("cl{k}"),
        ));
    }
    let got = infer_owners_by_twins(&msgs, &owners3());
    let nums: Vec<(&str, usize)> = got
        .iter()
        .map(|o| (o.e164.as_str(), o.pair_count))
        .collect();
    assert_eq!(nums, vec![(A_TRUE, 3), (OTHER, 3)]);
}

#[test]
fn ambiguous_twins_are_ignored() {
    // Each outgoing has twins from two different senders on B: nothing can be concluded.
    let mut msgs = Vec::new();
    for k in 0..3 {
        let t = T0 + k * 10 * MIN;
        msgs.push(out(0, t, "ok", B_OWN, &format!("a{k}")));
        msgs.push(inc(1, t + 1_000, "ok", A_TRUE, &format!("b{k}")));
        msgs.push(inc(1, t + 2_000, "ok", OTHER, &format!("x{k}")));
    }
    assert!(infer_owners_by_twins(&msgs, &owners3()).is_empty());
}

#[test]
fn known_owners_are_not_inferred_and_chains_resolve() {
    // Exhibit 3 (unknown owner, really D) only talks to exhibit 0, whose owner is itself inferred.
    const D: &str = "+447700900404";
    let mut msgs = positive_case();
    for k in 0..2 {
        let body = format!("chain {k}");
        let t = T0 + 100 * MIN + k * MIN;
        msgs.push(out(3, t, &body, A_TRUE, &format!("d{k}")));
        msgs.push(inc(0, t + 500, &body, D, &format!("ad{k}")));
    }
    // Exhibit 1 also sends to C, but its owner is known: never re-inferred.
    msgs.push(out(1, T0 + 50 * MIN, "hi", C_OWN, "b9"));
    msgs.push(inc(2, T0 + 50 * MIN, "hi", OTHER, "c9"));
    msgs.push(out(1, T0 + 51 * MIN, "hi2", C_OWN, "b10"));
    msgs.push(inc(2, T0 + 51 * MIN, "hi2", OTHER, "c10"));
    let mut owners = owners3();
    owners.push(vec![]);
    let got = infer_owners_by_twins(&msgs, &owners);
    let nums: Vec<(usize, &str)> = got.iter().map(|o| (o.exhibit, o.e164.as_str())).collect();
    assert_eq!(nums, vec![(0, A_TRUE), (3, D)]);
    assert!(only(&got, 3)[0].evidence.contains("Round 2"));
    assert!(only(&got, 3)[0].evidence.contains("inferred"));
}

#[test]
fn order_of_input_does_not_matter() {
    let msgs = positive_case();
    let want = infer_owners_by_twins(&msgs, &owners3());
    let mut rev = msgs.clone();
    rev.reverse();
    assert_eq!(infer_owners_by_twins(&rev, &owners3()), want);
    let mut rot = msgs.clone();
    rot.rotate_left(3);
    assert_eq!(infer_owners_by_twins(&rot, &owners3()), want);
}

#[test]
fn body_hash_is_stable_and_tolerant_of_line_endings() {
    assert_eq!(body_hash("a\r\nb"), body_hash("a\nb"));
    assert_eq!(body_hash("  hi \n"), body_hash("hi"));
    assert_ne!(body_hash("hi"), body_hash("hi!"));
    // FNV-1a of "hi": fixed across runs and platforms.
    assert_eq!(body_hash("hi"), 0x08ba_5f07_b55e_c3da);
}

#[test]
fn scales_near_linearly() {
    // 200k messages on 3 handsets with many repeated bodies: must finish quickly.
    let mut msgs = Vec::new();
    for k in 0..50_000i64 {
        let body = format!("b{}", k % 500);
        let t = T0 + k * 1_000;
        msgs.push(out(0, t, &body, B_OWN, &format!("a{k}")));
        msgs.push(inc(1, t + 1_000, &body, A_TRUE, &format!("b{k}")));
        msgs.push(out(2, t, &body, OTHER, &format!("c{k}")));
        msgs.push(inc(2, t, &body, OTHER, &format!("ci{k}")));
    }
    let t = std::time::Instant::now();
    let got = infer_owners_by_twins(&msgs, &owners3());
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].e164, A_TRUE);
    assert!(got[0].evidence.contains("more."));
}
