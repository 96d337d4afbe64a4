//! Owner numbers inferred from message twins across exhibits.
//!
//! A handset often records nothing about its own number. Other exhibits can prove it: a message
//! sent from exhibit A at time t to number X, whose twin (same body, timestamp within
//! [`TWIN_WINDOW_MS`]) is on exhibit B — whose owner number is X — as received from number N,
//! says A's owner number is N.
//!
//! Rule (also written into every evidence string):
//! - a *pair* is one outgoing message on A matched to incoming twins on B; an outgoing message
//!   whose twins name more than one sender is ambiguous and ignored;
//! - pairs are *independent* when they differ in (body, second) on both sides: the count for N is
//!   min(distinct outgoing (body, second), distinct incoming (exhibit, body, second)), so copies of
//!   one message (live + WAL + recovered) count once;
//! - N is accepted when it has at least [`TWIN_MIN_PAIRS`] independent pairs and the pairs naming
//!   other numbers inside N's own time span (first..last pair) are at most a quarter of N's pairs
//!   (N holds at least 80 % of the evidence while it is in use). Different numbers in disjoint
//!   periods (a SIM change) are each accepted; interleaved disagreement decides nothing;
//! - only exhibits with no known owner number are inferred; an accepted number becomes an owner
//!   for later rounds (its evidence says so), until nothing new is learnt.
//!
//! Cost: one hash index of incoming messages keyed by (body hash, minute, exhibit), probed for the
//! three neighbouring minutes per outgoing message: near-linear. Output is sorted and independent
//! of input order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use linesift_parsers::model::iso_utc_ms;

/// Twins must be within this many milliseconds of each other.
pub const TWIN_WINDOW_MS: i64 = 60_000;
/// Independent pairs needed before a number is accepted.
pub const TWIN_MIN_PAIRS: usize = 2;
/// Pairs listed in an evidence string (the rest are counted).
const LISTED_PAIRS: usize = 10;

/// One message, reduced to what twin matching needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwinFact {
    /// Index of the exhibit (into the `owners` slice).
    pub exhibit: usize,
    pub outgoing: bool,
    pub ts_ms: i64,
    /// [`body_hash`] of the body.
    pub body_hash: u64,
    /// Recipient (outgoing) or sender (incoming), E.164; empty when unknown.
    pub peer_e164: String,
    pub message_id: String,
}

/// An owner number proved by twins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InferredOwner {
    pub exhibit: usize,
    pub e164: String,
    /// Human-readable: the rule, the counts and the message pairs.
    pub evidence: String,
    /// Independent pairs supporting this number.
    pub pair_count: usize,
}

/// Stable 64-bit hash (FNV-1a) of a message body with surrounding whitespace trimmed and
/// `\r\n` read as `\n`, for [`TwinFact::body_hash`]. The same on every run and platform.
pub fn body_hash(body: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let t = body.trim().as_bytes();
    for (k, &c) in t.iter().enumerate() {
        if c == b'\r' && t.get(k + 1) == Some(&b'\n') {
            continue;
        }
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[derive(Clone, Debug)]
struct Pair {
    out: usize,
    inc: usize,
    b: usize,
    n: String,
}

/// Infer owner numbers of exhibits with none known (see the module documentation for the rule).
/// `owners[e]` are exhibit `e`'s known owner numbers (E.164).
pub fn infer_owners_by_twins(msgs: &[TwinFact], owners: &[Vec<String>]) -> Vec<InferredOwner> {
    let n_ex = msgs
        .iter()
        .map(|m| m.exhibit + 1)
        .max()
        .unwrap_or(0)
        .max(owners.len());
    let known: Vec<bool> = (0..n_ex)
        .map(|e| {
            owners
                .get(e)
                .is_some_and(|v| v.iter().any(|s| !s.is_empty()))
        })
        .collect();
    // number -> exhibits owning it (known, then inferred), with the round it was learnt in.
    let mut owner_of: BTreeMap<String, BTreeMap<usize, usize>> = BTreeMap::new();
    for (e, list) in owners.iter().enumerate() {
        for s in list.iter().filter(|s| !s.is_empty()) {
            owner_of.entry(s.clone()).or_default().insert(e, 0);
        }
    }
    // Incoming index: (body, minute, exhibit) -> message indices.
    let mut incoming: HashMap<(u64, i64, usize), Vec<usize>> = HashMap::new();
    for (k, m) in msgs.iter().enumerate() {
        if !m.outgoing && !m.peer_e164.is_empty() {
            incoming
                .entry((m.body_hash, m.ts_ms.div_euclid(60_000), m.exhibit))
                .or_default()
                .push(k);
        }
    }
    // Outgoing messages of exhibits to infer, in a canonical order.
    let mut outgoing: Vec<usize> = (0..msgs.len())
        .filter(|&k| {
            let m = &msgs[k];
            m.outgoing && !m.peer_e164.is_empty() && !known[m.exhibit]
        })
        .collect();
    outgoing.sort_by(|&x, &y| fact_key(&msgs[x]).cmp(&fact_key(&msgs[y])));

    let mut result: Vec<InferredOwner> = Vec::new();
    let mut decided: BTreeSet<usize> = BTreeSet::new();
    for round in 1..=n_ex.max(1) {
        let mut pairs: BTreeMap<usize, Vec<Pair>> = BTreeMap::new();
        for &o in &outgoing {
            let m = &msgs[o];
            if decided.contains(&m.exhibit) {
                continue;
            }
            let Some(bs) = owner_of.get(&m.peer_e164) else {
                continue;
            };
            let minute = m.ts_ms.div_euclid(60_000);
            // Best twin per sender: (|dt|, message key) smallest.
            let mut best: BTreeMap<&str, (i64, usize, usize)> = BTreeMap::new();
            for (&b, _) in bs.iter() {
                if b == m.exhibit {
                    continue;
                }
                for mm in minute - 1..=minute + 1 {
                    let Some(list) = incoming.get(&(m.body_hash, mm, b)) else {
                        continue;
                    };
                    for &k in list {
                        let t = &msgs[k];
                        let dt = (t.ts_ms - m.ts_ms).abs();
                        if dt > TWIN_WINDOW_MS || t.peer_e164 == m.peer_e164 {
                            continue;
                        }
                        let cand = (dt, k, b);
                        let slot = best.entry(t.peer_e164.as_str()).or_insert(cand);
                        if (cand.0, fact_key(&msgs[cand.1])) < (slot.0, fact_key(&msgs[slot.1])) {
                            *slot = cand;
                        }
                    }
                }
            }
            if best.len() != 1 {
                continue; // no twin, or ambiguous senders
            }
            let (n, (_, inc, b)) = best.into_iter().next().expect("one entry");
            pairs.entry(m.exhibit).or_default().push(Pair {
                out: o,
                inc,
                b,
                n: n.to_string(),
            });
        }
        let mut learnt = Vec::new();
        for (a, ps) in &pairs {
            for acc in decide(msgs, *a, ps, &owner_of, round) {
                learnt.push(acc);
            }
        }
        if learnt.is_empty() {
            break;
        }
        for acc in learnt {
            decided.insert(acc.exhibit);
            owner_of
                .entry(acc.e164.clone())
                .or_default()
                .entry(acc.exhibit)
                .or_insert(round);
            result.push(acc);
        }
    }
    result.sort_by(|x, y| (x.exhibit, &x.e164).cmp(&(y.exhibit, &y.e164)));
    result
}

fn fact_key(m: &TwinFact) -> (i64, &str, usize, u64) {
    (m.ts_ms, m.message_id.as_str(), m.exhibit, m.body_hash)
}

/// Independent pair count of a set of pairs.
fn independent(msgs: &[TwinFact], ps: &[&Pair]) -> usize {
    let outs: BTreeSet<(u64, i64)> = ps
        .iter()
        .map(|p| (msgs[p.out].body_hash, msgs[p.out].ts_ms.div_euclid(1000)))
        .collect();
    let ins: BTreeSet<(usize, u64, i64)> = ps
        .iter()
        .map(|p| {
            let m = &msgs[p.inc];
            (m.exhibit, m.body_hash, m.ts_ms.div_euclid(1000))
        })
        .collect();
    outs.len().min(ins.len())
}

fn decide(
    msgs: &[TwinFact],
    a: usize,
    ps: &[Pair],
    owner_of: &BTreeMap<String, BTreeMap<usize, usize>>,
    round: usize,
) -> Vec<InferredOwner> {
    let mut by_n: BTreeMap<&str, Vec<&Pair>> = BTreeMap::new();
    for p in ps {
        by_n.entry(p.n.as_str()).or_default().push(p);
    }
    let mut out = Vec::new();
    for (n, mine) in &by_n {
        let count = independent(msgs, mine);
        if count < TWIN_MIN_PAIRS {
            continue;
        }
        let first = mine.iter().map(|p| msgs[p.out].ts_ms).min().unwrap_or(0);
        let last = mine.iter().map(|p| msgs[p.out].ts_ms).max().unwrap_or(0);
        let mut conflicts: BTreeMap<&str, usize> = BTreeMap::new();
        for (other, theirs) in &by_n {
            if other == n {
                continue;
            }
            let inside: Vec<&Pair> = theirs
                .iter()
                .copied()
                .filter(|p| (first..=last).contains(&msgs[p.out].ts_ms))
                .collect();
            let c = independent(msgs, &inside);
            if c > 0 {
                conflicts.insert(other, c);
            }
        }
        let conflicting: usize = conflicts.values().sum();
        if conflicting * 4 > count {
            continue;
        }
        out.push(InferredOwner {
            exhibit: a,
            e164: n.to_string(),
            evidence: evidence(msgs, a, n, mine, count, &conflicts, owner_of, round),
            pair_count: count,
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn evidence(
    msgs: &[TwinFact],
    a: usize,
    n: &str,
    mine: &[&Pair],
    count: usize,
    conflicts: &BTreeMap<&str, usize>,
    owner_of: &BTreeMap<String, BTreeMap<usize, usize>>,
    round: usize,
) -> String {
    let mut s = format!(
        "exhibit {a} owner number {n} inferred from {count} independent message twin pair(s). \
         Rule: a message sent from exhibit {a} to number X has a twin (same body, within {}s) \
         received on the exhibit whose owner number is X, from {n}; at least {TWIN_MIN_PAIRS} \
         independent pairs (distinct body and second on both sides) are needed, and pairs naming \
         other numbers during {n}'s period may be at most a quarter of them.",
        TWIN_WINDOW_MS / 1000
    );
    if conflicts.is_empty() {
        s.push_str(" Contradicting pairs: none.");
    } else {
        let list: Vec<String> = conflicts
            .iter()
            .map(|(k, v)| format!("{k} ({v})"))
            .collect();
        s.push_str(&format!(" Contradicting pairs: {}.", list.join(", ")));
    }
    if round > 1 {
        s.push_str(&format!(
            " Round {round}: some counterpart owner numbers were themselves inferred by twins."
        ));
    }
    s.push_str(" Pairs:");
    let mut sorted: Vec<&&Pair> = mine.iter().collect();
    sorted.sort_by(|x, y| fact_key(&msgs[x.out]).cmp(&fact_key(&msgs[y.out])));
    for p in sorted.iter().take(LISTED_PAIRS) {
        let o = &msgs[p.out];
        let i = &msgs[p.inc];
        let via = owner_of
            .get(&o.peer_e164)
            .and_then(|m| m.get(&p.b))
            .map(|&r| if r == 0 { "known" } else { "inferred" })
            .unwrap_or("known");
        s.push_str(&format!(
            " [sent {} at {} to {} <-> received {} on exhibit {} (owner {}, {}) from {}, {:+}s]",
            o.message_id,
            iso_utc_ms(o.ts_ms),
            o.peer_e164,
            i.message_id,
            p.b,
            o.peer_e164,
            via,
            i.peer_e164,
            (i.ts_ms - o.ts_ms) / 1000
        ));
    }
    if sorted.len() > LISTED_PAIRS {
        s.push_str(&format!(" ... and {} more.", sorted.len() - LISTED_PAIRS));
    }
    s
}
