//! Line links: which numbers were one deal line, and when each was used.
//!
//! Four kinds of link, each with a strength, first/last times, the message ids that evidence it
//! and a sentence that explains it:
//! - `announced_change`: a number-change broadcast from B to customers of A (strength: the share
//!   of the announcement's recipients who were A's customers), or a text naming the other number
//!   (strength 1).
//! - `customer_overlap`: B's customer set overlaps A's as A stops and B starts (strength: overlap
//!   of the smaller set, reduced for a long gap).
//! - `shared_template`: two numbers send the same advert template (strength: word-set Jaccard).
//! - `same_handset`: two numbers owned by one exhibit, one of them a line number (strength 1).
//!
//! Candidates come from inverted indexes (customer → line numbers, capped; template MinHash band
//! → campaigns, capped), never from comparing all pairs. Linked numbers (strength at or above the
//! rules' `line_min_strength`) form lines; a line is named from its adverts ("Tony line").
use std::collections::{BTreeMap, BTreeSet, HashMap};

use linesift_parsers::model::iso_utc_ms;
use serde::Serialize;

use crate::analysis::broadcast::template::{band_keys, jaccard};
use crate::analysis::broadcast::{AMessage, CampaignView, Rules, Verdict};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    AnnouncedChange,
    CustomerOverlap,
    SharedTemplate,
    SameHandset,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::AnnouncedChange => "announced_change",
            LinkKind::CustomerOverlap => "customer_overlap",
            LinkKind::SharedTemplate => "shared_template",
            LinkKind::SameHandset => "same_handset",
        }
    }
}

/// Row of the `line_links` table.
#[derive(Debug, Clone, Serialize)]
pub struct LineLink {
    pub from_e164: String,
    pub to_e164: String,
    pub kind: LinkKind,
    pub strength: f64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Message ids (or `exhibit:<id>` for `same_handset`).
    pub evidence: Vec<String>,
    pub explanation: String,
}

/// A deal line: numbers joined by links.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// `LINE-001`, ... in order of first activity.
    pub line_id: String,
    /// The name its adverts give it ("Tony"), if any.
    pub name: Option<String>,
    /// Its numbers, in order of first use.
    pub numbers: Vec<String>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub broadcast_ids: Vec<String>,
}

/// A line number's marketing activity.
#[derive(Default)]
struct Activity<'a> {
    first: i64,
    last: i64,
    /// customer → (first ts, first msg, last ts, last msg)
    customers: BTreeMap<&'a str, (i64, u32, i64, u32)>,
}

fn day(ms: i64) -> String {
    iso_utc_ms(ms)[..10].to_string()
}

fn span_days(ms: i64) -> String {
    let d = ms as f64 / DAY_MS as f64;
    if d.abs() < 1.0 {
        format!("{:.0} hours", ms as f64 / 3_600_000.0)
    } else {
        format!("{d:.0} days")
    }
}

pub(crate) fn link(
    views: &[CampaignView<'_>],
    ids: &[String],
    messages: &[AMessage<'_>],
    ex_owners: &[Vec<&str>],
    ex_list: &[&str],
    rules: &Rules,
) -> (Vec<LineLink>, Vec<Line>) {
    let t = &rules.t;
    let mid = |i: u32| messages[i as usize].message_id.to_string();

    // Marketing activity per number.
    let mut act: BTreeMap<&str, Activity> = BTreeMap::new();
    for v in views.iter().filter(|v| v.verdict == Verdict::Marketing) {
        let a = act.entry(v.sender).or_insert_with(|| Activity {
            first: i64::MAX,
            last: i64::MIN,
            ..Default::default()
        });
        for &(ts, r, mi) in &v.sends {
            if ts == i64::MIN {
                continue;
            }
            a.first = a.first.min(ts);
            a.last = a.last.max(ts);
            let e = a.customers.entry(r).or_insert((ts, mi, ts, mi));
            if ts < e.0 {
                e.0 = ts;
                e.1 = mi;
            }
            if ts > e.2 {
                e.2 = ts;
                e.3 = mi;
            }
        }
    }
    act.retain(|_, a| a.first != i64::MAX);
    // Inverted index customer → line numbers (capped, so a hub customer cannot blow up).
    let mut index: HashMap<&str, Vec<&str>> = HashMap::new();
    for (n, a) in &act {
        for c in a.customers.keys() {
            let l = index.entry(c).or_default();
            if l.len() <= t.customer_index_cap {
                l.push(n);
            }
        }
    }

    let mut links: BTreeMap<(String, String, LinkKind), LineLink> = BTreeMap::new();
    let mut put = |l: LineLink| {
        let key = (l.from_e164.clone(), l.to_e164.clone(), l.kind);
        match links.get_mut(&key) {
            Some(old) => {
                if l.strength > old.strength {
                    old.strength = l.strength;
                    old.explanation = l.explanation;
                }
                old.first_ms = min_opt(old.first_ms, l.first_ms);
                old.last_ms = max_opt(old.last_ms, l.last_ms);
                for e in l.evidence {
                    if old.evidence.len() < t.max_evidence_ids && !old.evidence.contains(&e) {
                        old.evidence.push(e);
                    }
                }
            }
            None => {
                links.insert(key, l);
            }
        }
    };
    let cap = t.max_evidence_ids;
    let evidence_of = |v: &CampaignView| -> Vec<String> {
        let mut e: Vec<String> = v.msg_idx.iter().map(|&i| mid(i)).collect();
        e.sort();
        e.dedup();
        e.truncate(cap);
        e
    };

    // announced_change
    for v in views.iter().filter(|v| v.verdict == Verdict::NumberChange) {
        let b = v.sender;
        let when = v.first_ms.unwrap_or(i64::MIN);
        for n in &v.named_numbers {
            if n == b {
                continue;
            }
            let (from, to) = match (act.get(n.as_str()), act.get(b)) {
                (Some(an), Some(ab)) => {
                    if an.first <= ab.first {
                        (n.as_str(), b)
                    } else {
                        (b, n.as_str())
                    }
                }
                (None, Some(ab)) if ab.first < when => (b, n.as_str()),
                _ => (n.as_str(), b),
            };
            put(LineLink {
                from_e164: from.to_string(),
                to_e164: to.to_string(),
                kind: LinkKind::AnnouncedChange,
                strength: 1.0,
                first_ms: v.first_ms,
                last_ms: v.last_ms,
                evidence: evidence_of(v),
                explanation: format!(
                    "{b} sent a number-change text naming {n} to {} recipients from {}: {from} is the earlier number, {to} the later",
                    v.recipients.len(),
                    v.first_ms.map(day).unwrap_or_default()
                ),
            });
        }
        // The old number whose customers received the announcement.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &v.recipients {
            if let Some(ns) = index.get(r) {
                for n in ns {
                    if *n != b {
                        *counts.entry(n).or_default() += 1;
                    }
                }
            }
        }
        let total = v.recipients.len().max(1);
        // Only when the announcer is the new number (its adverts start around now) and the
        // old number stops around now.
        let announcer_new = act.get(b).is_none_or(|ab| ab.first >= when - 2 * DAY_MS);
        let concurrent = (t.overlap_max_concurrent_days * DAY_MS as f64) as i64;
        let share_of =
            |n: &str, c: usize| c as f64 / total.min(act[n].customers.len()).max(1) as f64;
        let best = counts
            .iter()
            .filter(|_| announcer_new)
            .filter(|(n, _)| act[*n].first < when && act[*n].last <= when + concurrent)
            .max_by(|x, y| {
                share_of(x.0, *x.1)
                    .total_cmp(&share_of(y.0, *y.1))
                    .then(x.1.cmp(y.1))
                    .then(act[*x.0].last.cmp(&act[*y.0].last))
            });
        if let Some((a, &common)) = best {
            let share = common as f64 / total.min(act[a].customers.len()).max(1) as f64;
            if share >= t.announce_min_share {
                put(LineLink {
                    from_e164: a.to_string(),
                    to_e164: b.to_string(),
                    kind: LinkKind::AnnouncedChange,
                    strength: round2(share),
                    first_ms: v.first_ms,
                    last_ms: v.last_ms,
                    evidence: evidence_of(v),
                    explanation: format!(
                        "{b} sent a number-change text to {total} recipients from {}; {common} of them had received adverts from {a} ({:.0}% of the smaller list), last on {}",
                        v.first_ms.map(day).unwrap_or_default(),
                        share * 100.0,
                        day(act[a].last)
                    ),
                });
            }
        }
    }

    // customer_overlap
    let mut pairs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for ns in index.values() {
        if ns.len() > t.customer_index_cap {
            continue;
        }
        for i in 0..ns.len() {
            for j in i + 1..ns.len() {
                let k = if ns[i] < ns[j] {
                    (ns[i], ns[j])
                } else {
                    (ns[j], ns[i])
                };
                *pairs.entry(k).or_default() += 1;
            }
        }
    }
    for ((x, y), common) in pairs {
        let (ax, ay) = (&act[x], &act[y]);
        let (a, b, aa, ab) = if (ax.first, x) <= (ay.first, y) {
            (x, y, ax, ay)
        } else {
            (y, x, ay, ax)
        };
        let gap = ab.first - aa.last;
        if common < t.overlap_min_common
            || aa.last > ab.first + (t.overlap_max_concurrent_days * DAY_MS as f64) as i64
            || gap as f64 > t.overlap_max_gap_days * DAY_MS as f64
        {
            continue;
        }
        let smaller = aa.customers.len().min(ab.customers.len()).max(1);
        let overlap = common as f64 / smaller as f64;
        if overlap < t.overlap_min {
            continue;
        }
        let decay = 1.0 - (gap.max(0) as f64 / (2.0 * t.overlap_max_gap_days * DAY_MS as f64));
        let shared: Vec<&str> = aa
            .customers
            .keys()
            .filter(|c| ab.customers.contains_key(*c))
            .copied()
            .collect();
        let mut evidence = Vec::new();
        for c in &shared {
            if evidence.len() + 2 > cap {
                break;
            }
            evidence.push(mid(aa.customers[c].3));
            evidence.push(mid(ab.customers[c].1));
        }
        let gap_text = if gap >= 0 {
            format!("{} later", span_days(gap))
        } else {
            format!("the two ran together for {}", span_days(-gap))
        };
        put(LineLink {
            from_e164: a.to_string(),
            to_e164: b.to_string(),
            kind: LinkKind::CustomerOverlap,
            strength: round2(overlap * decay),
            // The handover window: A's last advert and B's first, whichever came first.
            first_ms: Some(aa.last.min(ab.first)),
            last_ms: Some(aa.last.max(ab.first)),
            evidence,
            explanation: format!(
                "{common} customers received adverts from both numbers: {:.0}% of the smaller list ({} of {a}, {} of {b}); {a} last advertised on {}, {b} first advertised on {} ({gap_text})",
                overlap * 100.0,
                aa.customers.len(),
                ab.customers.len(),
                day(aa.last),
                day(ab.first)
            ),
        });
    }

    // shared_template
    let mkt: Vec<usize> = (0..views.len())
        .filter(|&i| {
            views[i].verdict == Verdict::Marketing && views[i].ntok >= t.shared_template_min_tokens
        })
        .collect();
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut best: BTreeMap<(&str, &str), (f64, usize, usize)> = BTreeMap::new();
    for &i in &mkt {
        let keys = band_keys(&views[i].set);
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        for k in keys {
            let bucket = buckets.entry(k).or_default();
            for &j in bucket.iter() {
                if views[j].sender == views[i].sender || !seen.insert(j) {
                    continue;
                }
                let jac = jaccard(&views[i].set, &views[j].set);
                if jac >= t.shared_template_similarity {
                    let key = if views[i].sender < views[j].sender {
                        (views[i].sender, views[j].sender)
                    } else {
                        (views[j].sender, views[i].sender)
                    };
                    let e = best.entry(key).or_insert((0.0, i, j));
                    if jac > e.0 {
                        *e = (jac, i, j);
                    }
                }
            }
            if bucket.len() < 64 {
                bucket.push(i);
            }
        }
    }
    for ((x, y), (jac, i, j)) in best {
        let fx = act.get(x).map(|a| a.first).unwrap_or(i64::MAX);
        let fy = act.get(y).map(|a| a.first).unwrap_or(i64::MAX);
        let (a, b) = if (fx, x) <= (fy, y) { (x, y) } else { (y, x) };
        let (vi, vj) = (&views[i], &views[j]);
        let mut evidence: Vec<String> = Vec::new();
        for v in [vi, vj] {
            let mut e: Vec<String> = v.msg_idx.iter().take(5).map(|&m| mid(m)).collect();
            evidence.append(&mut e);
        }
        put(LineLink {
            from_e164: a.to_string(),
            to_e164: b.to_string(),
            kind: LinkKind::SharedTemplate,
            strength: round2(jac),
            first_ms: min_opt(vi.first_ms, vj.first_ms),
            last_ms: max_opt(vi.last_ms, vj.last_ms),
            evidence,
            explanation: format!(
                "both numbers sent the same advert template ({:.0}% of words shared): broadcasts {} and {}",
                jac * 100.0,
                ids[vi.broadcast],
                ids[vj.broadcast]
            ),
        });
    }

    // same_handset
    let line_numbers: BTreeSet<&str> = views
        .iter()
        .filter(|v| v.verdict != Verdict::BenignBulk)
        .map(|v| v.sender)
        .collect();
    for (ex, owners) in ex_owners.iter().enumerate() {
        if owners.len() < 2 {
            continue;
        }
        for i in 0..owners.len() {
            for j in i + 1..owners.len() {
                let (x, y) = (owners[i], owners[j]);
                if x == y || !(line_numbers.contains(x) || line_numbers.contains(y)) {
                    continue;
                }
                let fx = act.get(x).map(|a| a.first).unwrap_or(i64::MAX);
                let fy = act.get(y).map(|a| a.first).unwrap_or(i64::MAX);
                let (a, b) = if (fx, x) <= (fy, y) { (x, y) } else { (y, x) };
                let first = [act.get(a), act.get(b)]
                    .iter()
                    .flatten()
                    .map(|a| a.first)
                    .min();
                let last = [act.get(a), act.get(b)]
                    .iter()
                    .flatten()
                    .map(|a| a.last)
                    .max();
                put(LineLink {
                    from_e164: a.to_string(),
                    to_e164: b.to_string(),
                    kind: LinkKind::SameHandset,
                    strength: 1.0,
                    first_ms: first,
                    last_ms: last,
                    evidence: vec![format!("exhibit:{}", ex_list[ex])],
                    explanation: format!(
                        "both numbers are owner numbers of exhibit {} (one handset)",
                        ex_list[ex]
                    ),
                });
            }
        }
    }
    let links: Vec<LineLink> = links.into_values().collect();

    // Lines: union-find over line numbers and strong links.
    let mut nodes: BTreeSet<&str> = line_numbers.clone();
    nodes.extend(act.keys().copied());
    for l in &links {
        if l.strength >= t.line_min_strength {
            nodes.insert(l.from_e164.as_str());
            nodes.insert(l.to_e164.as_str());
        }
    }
    let node_list: Vec<&str> = nodes.into_iter().collect();
    let pos: HashMap<&str, usize> = node_list.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut parent: Vec<usize> = (0..node_list.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for l in &links {
        if l.strength >= t.line_min_strength {
            let (a, b) = (pos[l.from_e164.as_str()], pos[l.to_e164.as_str()]);
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut comps: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (i, n) in node_list.iter().enumerate() {
        let r = find(&mut parent, i);
        comps.entry(r).or_default().push(n);
    }
    let mut lines: Vec<Line> = Vec::new();
    for (_, nums) in comps {
        if !nums.iter().any(|n| line_numbers.contains(n)) {
            continue;
        }
        let mut numbers: Vec<(i64, &str)> = nums
            .iter()
            .map(|n| {
                let f = act
                    .get(n)
                    .map(|a| a.first)
                    .or_else(|| {
                        views
                            .iter()
                            .filter(|v| v.sender == *n)
                            .filter_map(|v| v.first_ms)
                            .min()
                    })
                    .unwrap_or(i64::MAX);
                (f, *n)
            })
            .collect();
        numbers.sort();
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut bids: Vec<String> = Vec::new();
        let mut first: Option<i64> = None;
        let mut last: Option<i64> = None;
        for v in views.iter().filter(|v| nums.contains(&v.sender)) {
            if v.verdict == Verdict::BenignBulk {
                continue;
            }
            bids.push(ids[v.broadcast].clone());
            first = min_opt(first, v.first_ms);
            last = max_opt(last, v.last_ms);
            for n in &v.names {
                *names.entry(n.as_str()).or_default() += v.msg_idx.len();
            }
        }
        bids.sort();
        let name = names
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(n, _)| {
                let mut c = n.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                    None => String::new(),
                }
            });
        lines.push(Line {
            line_id: String::new(),
            name,
            numbers: numbers.iter().map(|(_, n)| n.to_string()).collect(),
            first_ms: first,
            last_ms: last,
            broadcast_ids: bids,
        });
    }
    lines.sort_by(|a, b| (a.first_ms, &a.numbers).cmp(&(b.first_ms, &b.numbers)));
    for (i, l) in lines.iter_mut().enumerate() {
        l.line_id = format!("LINE-{:03}", i + 1);
    }
    (links, lines)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
