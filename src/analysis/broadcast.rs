//! Broadcast (bulk text) detection, verdicts and line links: the deal-line analysis.
//!
//! A deal line advertises by bulk "marketing" texts: one near-identical advert sent to dozens or
//! hundreds of customers within minutes, several times a day. When its number is seized or
//! burnt it carries on from a new number and tells its customers. This module finds those
//! campaigns and explains each verdict; [`crate::analysis::linelinks`] links the numbers of one
//! line and names the lines.
//!
//! How (near-linear; no all-pairs comparison of messages or numbers):
//! 1. Every message gets a template fingerprint: words lower-cased, punctuation, spacing and
//!    emoji dropped, prices and numbers masked as `#` ([`template`]).
//! 2. Messages are grouped by sender (the handset's own number for outgoing messages, the other
//!    party for incoming ones) and fingerprint, across all exhibits, so the same advert received
//!    on several seized customer phones from one number is one campaign.
//! 3. Within a sender, near-duplicate templates (a few edits or swapped offers apart) merge into
//!    one campaign: MinHash band buckets propose candidates, word-set Jaccard confirms, and each
//!    template joins its most similar *leader* (the templates sent most often), so clusters never
//!    chain.
//! 4. Each campaign is measured (distinct recipients, send bursts, episodes per day, span, the
//!    same text to one recipient on many days, exhibits seeing it) and its sample texts are
//!    matched against the rules file ([`rules`]); the weighted features give a score and a
//!    verdict, and every feature that fired is listed as a reason.
//!
//! Verdicts: `marketing` (bulk, score at or above the threshold, drug content), `number_change`
//! (a number-change phrase from a number that is itself a line, or naming a line number), or
//! `benign_bulk` (bulk but neither). Campaigns that are not bulk and not a number change are not
//! reported.
pub mod rules;
pub mod template;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

pub use rules::{Role, Rules, DEFAULT_RULES_TOML};
use template::{
    band_keys, fingerprint, jaccard, stable_hash, template_text, token_set, FxMap, FxSet, BANDS,
};

pub use crate::analysis::linelinks::{Line, LineLink, LinkKind};

const DAY_MS: i64 = 86_400_000;

/// One message as the analysis needs it (borrowed from the pipeline's records).
#[derive(Debug, Clone)]
pub struct AMessage<'a> {
    pub message_id: &'a str,
    pub exhibit_id: &'a str,
    /// `sms`, `mms`, `imessage`, `rcs`, `whatsapp`, ...
    pub app: &'a str,
    /// Sent by the handset (else received).
    pub outgoing: bool,
    pub ts_ms: Option<i64>,
    /// E.164 (or a short code / alphanumeric id). For an outgoing message `None` means "the
    /// handset's own number": taken from the exhibit's owners (by time, when it has several).
    pub sender_e164: Option<&'a str>,
    /// Recipients of an outgoing message. Ignored for incoming ones (the recipient is the handset).
    pub recipients_e164: Vec<&'a str>,
    pub body: Option<&'a str>,
}

/// A broadcast verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Marketing,
    NumberChange,
    BenignBulk,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Marketing => "marketing",
            Verdict::NumberChange => "number_change",
            Verdict::BenignBulk => "benign_bulk",
        }
    }
}

/// One campaign: a sender's messages sharing a template (row of the `broadcasts` table).
#[derive(Debug, Clone, Serialize)]
pub struct Broadcast {
    /// `BC-` + 16 hex digits, from the sender and the campaign's leading template.
    pub broadcast_id: String,
    /// Exhibits holding a copy, sorted (`exhibit_id` in CSV: joined with `;`).
    pub exhibit_ids: Vec<String>,
    /// The sending number (or `exhibit:<id>` when an outgoing message's own number is unknown).
    pub sender_e164: String,
    /// `outgoing` when the sender's own handset is an exhibit (copies sent by it), else `incoming`.
    pub direction: String,
    pub verdict: Verdict,
    pub score: f64,
    /// The leading template (words lower-case, numbers `#`).
    pub template: String,
    pub example_body: String,
    /// Message records in the campaign (a text and its copy on the recipient's phone count twice).
    pub message_count: u64,
    pub distinct_recipients: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Send bursts (episodes reaching the burst threshold) and their mean distinct recipients.
    pub bursts: u64,
    pub recipients_per_burst: f64,
    /// Send episodes per active day.
    pub episodes_per_day: f64,
    pub active_days: u64,
    /// Distinct templates merged into this campaign.
    pub variants: u64,
    /// Every feature that fired, with its weight, and the rules version.
    pub reasons: Vec<String>,
}

/// Row of the `broadcast_messages` table, by position: `broadcast` indexes
/// [`DealLineReport::broadcasts`], `message` the input message slice (so that millions of rows
/// cost no strings). [`DealLineReport::broadcast_message_ids`] gives the id pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BroadcastMessage {
    pub broadcast: u32,
    pub message: u32,
}

impl DealLineReport {
    /// The `broadcast_messages` rows as (broadcast_id, message_id), given the input messages.
    pub fn broadcast_message_ids<'r, 'm>(
        &'r self,
        messages: &'m [AMessage<'m>],
    ) -> impl Iterator<Item = (&'r str, &'m str)> + 'r
    where
        'm: 'r,
    {
        self.broadcast_messages.iter().map(move |bm| {
            (
                self.broadcasts[bm.broadcast as usize].broadcast_id.as_str(),
                messages[bm.message as usize].message_id,
            )
        })
    }
}

/// Everything the deal-line analysis produces.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DealLineReport {
    /// The rules file version (for the manifest).
    pub rules_version: String,
    pub broadcasts: Vec<Broadcast>,
    pub broadcast_messages: Vec<BroadcastMessage>,
    pub line_links: Vec<LineLink>,
    pub lines: Vec<Line>,
    pub warnings: Vec<String>,
}

/// A campaign as the link stage sees it.
#[derive(Debug, Clone)]
pub(crate) struct CampaignView<'a> {
    pub broadcast: usize,
    pub sender: &'a str,
    pub verdict: Verdict,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// (ts, recipient, message index), de-duplicated, by time.
    pub sends: Vec<(i64, &'a str, u32)>,
    pub recipients: Vec<&'a str>,
    pub msg_idx: Vec<u32>,
    pub set: Vec<u64>,
    pub ntok: usize,
    pub named_numbers: Vec<String>,
    pub names: Vec<String>,
}

/// The numbers seen (senders and recipients), in sorted order; ids index `names`.
struct Interner {
    names: Vec<String>,
}

/// Campaign measurements.
#[derive(Default)]
struct Stats {
    count: u64,
    exhibits: Vec<u32>,
    in_exhibits: usize,
    any_out: bool,
    sends: Vec<(i64, u32, u32)>,
    recipients: Vec<u32>,
    first: Option<i64>,
    last: Option<i64>,
    episodes: usize,
    episode_starts: Vec<i64>,
    bursts: usize,
    burst_recips: usize,
    cross_exhibit_episode: bool,
    active_days: usize,
    max_repeat_days: usize,
}

struct Campaign {
    sender: u32,
    /// Message indices.
    msgs: Vec<u32>,
    /// Distinct fingerprints, most frequent first, with a representative message.
    variants: Vec<(u64, u32)>,
    set: Vec<u64>,
    ntok: usize,
}

/// Run the deal-line analysis with the default rules.
pub fn analyse_default(
    messages: &[AMessage<'_>],
    owners: &BTreeMap<String, Vec<String>>,
) -> DealLineReport {
    analyse(messages, owners, &Rules::default())
}

/// Run the deal-line analysis. `owners` maps each exhibit id to its own numbers (E.164, main SIM
/// first).
pub fn analyse(
    messages: &[AMessage<'_>],
    owners: &BTreeMap<String, Vec<String>>,
    rules: &Rules,
) -> DealLineReport {
    let t = &rules.t;
    let mut warnings = Vec::new();
    let timing = std::env::var_os("LINESIFT_DEALLINE_TIMING").is_some();
    let clock = std::time::Instant::now();
    let lap = |stage: &str| {
        if timing {
            eprintln!("dealline {stage}: {:.2} s", clock.elapsed().as_secs_f64());
        }
    };

    // Exhibits, in id order.
    let mut ex_ids: BTreeSet<&str> = messages.iter().map(|m| m.exhibit_id).collect();
    ex_ids.extend(owners.keys().map(|s| s.as_str()));
    let ex_list: Vec<&str> = ex_ids.into_iter().collect();
    let ex_index: FxMap<&str, u32> = ex_list
        .iter()
        .enumerate()
        .map(|(i, e)| (*e, i as u32))
        .collect();
    let ex_owners: Vec<Vec<&str>> = ex_list
        .iter()
        .map(|e| {
            owners
                .get(*e)
                .map(|v| v.iter().map(|s| s.as_str()).collect())
                .unwrap_or_default()
        })
        .collect();
    let pseudo: Vec<String> = ex_list.iter().map(|e| format!("exhibit:{e}")).collect();
    // SIM attribution on handsets with several own numbers: each number's active window as
    // seen from other exhibits (incoming copies).
    let multi_nums: FxMap<&str, ()> = ex_owners
        .iter()
        .filter(|o| o.len() > 1)
        .flat_map(|o| o.iter().map(|n| (*n, ())))
        .collect();
    let mut windows: FxMap<&str, (i64, i64)> = FxMap::default();
    if !multi_nums.is_empty() {
        for m in messages {
            if let (false, Some(s), Some(ts)) = (m.outgoing, m.sender_e164, m.ts_ms) {
                if multi_nums.contains_key(s) {
                    let w = windows.entry(s).or_insert((ts, ts));
                    w.0 = w.0.min(ts);
                    w.1 = w.1.max(ts);
                }
            }
        }
    }
    let own_number = |ex: u32, ts: Option<i64>| -> &str {
        let o = &ex_owners[ex as usize];
        match o.len() {
            0 => pseudo[ex as usize].as_str(),
            1 => o[0],
            _ => {
                let Some(ts) = ts else { return o[0] };
                let margin = DAY_MS;
                let mut best: Option<(&str, i64)> = None;
                for n in o {
                    if let Some(&(a, b)) = windows.get(n) {
                        if a - margin <= ts && ts <= b + margin && best.is_none_or(|(_, s)| a > s) {
                            best = Some((n, a));
                        }
                    }
                }
                best.map(|b| b.0).unwrap_or(o[0])
            }
        }
    };

    // 1. Fingerprints (parallel).
    let fps: Vec<(u64, u32)> = messages
        .par_iter()
        .map(|m| m.body.map(fingerprint).unwrap_or((0, 0)))
        .collect();

    lap("fingerprints");
    // 2. Senders and recipients (parallel): resolve each message's exhibit and sender, collect
    // the distinct numbers, number them in sorted order (deterministic), then look them up.
    let resolved: Vec<(u32, Option<&str>)> = messages
        .par_iter()
        .enumerate()
        .map_init(
            || ("\u{0}", u32::MAX),
            |last_ex, (i, m)| {
                if (fps[i].1 as usize) < t.min_template_tokens {
                    return (u32::MAX, None);
                }
                let ex = if m.exhibit_id == last_ex.0 {
                    last_ex.1
                } else {
                    match ex_index.get(m.exhibit_id) {
                        Some(&ex) => {
                            *last_ex = (m.exhibit_id, ex);
                            ex
                        }
                        None => return (u32::MAX, Some("")),
                    }
                };
                let sender = match (m.outgoing, m.sender_e164) {
                    (_, Some(s)) if !s.is_empty() => s,
                    (true, _) => own_number(ex, m.ts_ms),
                    (false, _) => return (u32::MAX, None),
                };
                (ex, Some(sender))
            },
        )
        .collect();
    let unknown_exhibit = resolved
        .par_iter()
        .filter(|r| r.0 == u32::MAX && r.1 == Some(""))
        .count();
    let ex_rcpt_str: Vec<&str> = (0..ex_list.len())
        .map(|ex| {
            ex_owners[ex]
                .first()
                .copied()
                .unwrap_or(pseudo[ex].as_str())
        })
        .collect();
    let distinct: Vec<&str> = {
        let set = resolved
            .par_iter()
            .zip(messages.par_iter())
            .fold(FxSet::default, |mut set: FxSet<&str>, (r, m)| {
                if let (ex, Some(s)) = r {
                    if *ex != u32::MAX {
                        set.insert(*s);
                        if m.outgoing {
                            set.extend(m.recipients_e164.iter().copied());
                        }
                    }
                }
                set
            })
            .reduce(FxSet::default, |mut a, b| {
                if a.len() < b.len() {
                    return b.into_iter().chain(a).collect();
                }
                a.extend(b);
                a
            });
        let mut v: Vec<&str> = set.into_iter().chain(ex_rcpt_str.iter().copied()).collect();
        v.par_sort_unstable();
        v.dedup();
        v
    };
    let num_id: FxMap<&str, u32> = distinct
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i as u32))
        .collect();
    let numbers = Interner {
        names: distinct.iter().map(|s| s.to_string()).collect(),
    };
    let ex_rcpt: Vec<u32> = ex_rcpt_str.iter().map(|s| num_id[s]).collect();
    let ids: Vec<(u32, u32)> = resolved
        .par_iter()
        .zip(messages.par_iter())
        .map(|(r, m)| match r {
            (ex, Some(s)) if *ex != u32::MAX => {
                let rc = if m.outgoing {
                    m.recipients_e164
                        .first()
                        .map(|x| num_id[x])
                        .unwrap_or(u32::MAX)
                } else {
                    ex_rcpt[*ex as usize]
                };
                (num_id[s], rc)
            }
            _ => (u32::MAX, u32::MAX),
        })
        .collect();
    let mut msg_ex: Vec<u32> = vec![u32::MAX; messages.len()];
    let mut rcpt: Vec<u32> = vec![u32::MAX; messages.len()];
    let mut rcpt_more: FxMap<u32, Vec<u32>> = FxMap::default();
    let mut keys: Vec<(u32, u64, i64, u32)> = Vec::with_capacity(messages.len() / 2);
    for (i, m) in messages.iter().enumerate() {
        let (sid, rc) = ids[i];
        if sid == u32::MAX {
            continue;
        }
        msg_ex[i] = resolved[i].0;
        rcpt[i] = rc;
        if m.outgoing && m.recipients_e164.len() > 1 {
            rcpt_more.insert(
                i as u32,
                m.recipients_e164[1..].iter().map(|x| num_id[x]).collect(),
            );
        }
        keys.push((sid, fps[i].0, m.ts_ms.unwrap_or(i64::MIN), i as u32));
    }
    drop(ids);
    drop(resolved);
    if unknown_exhibit > 0 {
        warnings.push(format!(
            "deal-line analysis: {unknown_exhibit} messages name an unknown exhibit"
        ));
    }
    let senders = &numbers;
    let ctx = Ctx {
        messages,
        msg_ex: &msg_ex,
        rcpt: &rcpt,
        rcpt_more: &rcpt_more,
    };
    keys.par_sort_unstable();

    lap("senders");
    // 3. Campaigns: per sender, leader clustering of templates.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    while s < keys.len() {
        let mut e = s + 1;
        while e < keys.len() && keys[e].0 == keys[s].0 {
            e += 1;
        }
        ranges.push((s, e));
        s = e;
    }
    let campaigns: Vec<Campaign> = ranges
        .par_iter()
        .flat_map_iter(|&(s, e)| cluster_sender(&keys[s..e], messages, &fps, t.merge_similarity))
        .collect();

    lap("clustering");
    // 4. Measure (parallel): bulk candidates.
    let measured: Vec<Option<Stats>> = campaigns
        .par_iter()
        .map(|c| {
            if c.msgs.len() < 2 {
                return None;
            }
            let st = measure(c, &ctx, rules);
            let cand = st.bursts > 0
                || st.cross_exhibit_episode
                || st.max_repeat_days >= t.repeat_min_days;
            cand.then_some(st)
        })
        .collect();
    // Sender-level cadence over all its candidate campaigns: a line sends several adverts a
    // day, each campaign (template) perhaps only once.
    let mut sender_eps: HashMap<u32, Vec<i64>> = HashMap::new();
    for (i, st) in measured.iter().enumerate() {
        if let Some(st) = st {
            sender_eps
                .entry(campaigns[i].sender)
                .or_default()
                .extend(&st.episode_starts);
        }
    }
    let gap = t.episode_gap_s * 1000;
    let sender_cadence: HashMap<u32, (usize, usize)> = sender_eps
        .into_iter()
        .filter_map(|(s, mut v)| {
            v.sort_unstable();
            let mut eps = 0;
            let mut prev = i64::MIN;
            for &x in &v {
                if prev == i64::MIN || x - prev > gap {
                    eps += 1;
                }
                prev = x;
            }
            let mut days: Vec<i64> = v.iter().map(|x| x.div_euclid(DAY_MS)).collect();
            days.dedup();
            let ok = eps >= t.multi_daily_min_episodes
                && !days.is_empty()
                && eps as f64 / days.len() as f64 >= t.multi_daily_per_active_day;
            ok.then_some((s, (eps, days.len())))
        })
        .collect();
    let scored: Vec<Option<(Stats, Scored)>> = measured
        .into_par_iter()
        .enumerate()
        .map(|(i, st)| {
            let st = st?;
            let c = &campaigns[i];
            let cad = sender_cadence.get(&c.sender).copied();
            // Repetition counts only where the handset is a customer (incoming view): a line's
            // own phone shows its broadcasts as bursts.
            let sent_in_bulk = st.bursts > 0 || st.cross_exhibit_episode;
            let repeated = !st.any_out
                && st.max_repeat_days >= t.repeat_min_days
                && (multi_daily(&st, rules) || cad.is_some());
            if !sent_in_bulk && !repeated {
                return None;
            }
            let sc = score(
                c,
                &st,
                &senders.names[c.sender as usize],
                messages,
                rules,
                cad,
            );
            // Seen only as repetition on one customer phone: a bulk text only if its content
            // says so (a friend's repeated "running late" is not a broadcast).
            let content = [Role::Drug, Role::Price, Role::Availability, Role::Change];
            if !sent_in_bulk && !content.iter().any(|r| sc.has(*r)) {
                return None;
            }
            Some((st, sc))
        })
        .collect();

    lap("measure+score");
    let mut verdicts: Vec<Option<Verdict>> = vec![None; campaigns.len()];
    let mut scores: Vec<Option<(Stats, Scored)>> = scored;
    let mut marketing_senders: BTreeSet<u32> = BTreeSet::new();
    for (i, sc) in scores.iter().enumerate() {
        if let Some((_, sc)) = sc {
            if sc.is_marketing(rules) {
                verdicts[i] = Some(Verdict::Marketing);
                marketing_senders.insert(campaigns[i].sender);
            } else {
                verdicts[i] = Some(Verdict::BenignBulk);
            }
        }
    }
    let marketing_numbers: BTreeSet<&str> = marketing_senders
        .iter()
        .map(|s| senders.names[*s as usize].as_str())
        .collect();

    // Number changes: a change phrase from a line number, or naming one.
    let change_checks: Vec<(usize, Option<Stats>, Scored)> = campaigns
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let sender = senders.names[c.sender as usize].as_str();
            let from_line = marketing_senders.contains(&c.sender);
            let has_number = c.variants.iter().take(t.sample_bodies).any(|(_, mi)| {
                messages[*mi as usize]
                    .body
                    .is_some_and(|b| b.bytes().filter(|b| b.is_ascii_digit()).count() >= 10)
            });
            if !from_line && !has_number {
                return None;
            }
            let (new_st, mut sc) = match &scores[i] {
                Some((_, sc)) => (None, sc.clone()),
                None => {
                    let st = measure(c, &ctx, rules);
                    let cad = sender_cadence.get(&c.sender).copied();
                    let sc = score(c, &st, sender, messages, rules, cad);
                    (Some(st), sc)
                }
            };
            let named_line = sc
                .named_numbers
                .iter()
                .any(|n| n != sender && marketing_numbers.contains(n.as_str()));
            let is_change = sc.has(Role::Change)
                && !sc.has(Role::Police)
                && sc.benign > -t.number_change_max_benign
                && (from_line || named_line);
            if !is_change {
                return None;
            }
            sc.reasons.push(if from_line {
                "line_context: the sender also sends deal-line marketing".to_string()
            } else {
                "line_context: the text names a number that sends deal-line marketing".to_string()
            });
            Some((i, new_st, sc))
        })
        .collect();
    for (i, st, sc) in change_checks {
        verdicts[i] = Some(Verdict::NumberChange);
        match st {
            Some(st) => scores[i] = Some((st, sc)),
            None => {
                if let Some(x) = scores[i].as_mut() {
                    x.1 = sc;
                }
            }
        }
    }

    // Number changes by structure: a line number's first bulk text, sent once around the
    // time its adverts begin, to customers of another line number that advertised before it.
    let mut first_mkt: HashMap<u32, i64> = HashMap::new();
    let mut mkt_customers: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (i, v) in verdicts.iter().enumerate() {
        if *v == Some(Verdict::Marketing) {
            let (st, _) = scores[i].as_ref().expect("scored");
            let s = campaigns[i].sender;
            if let Some(f) = st.first {
                let e = first_mkt.entry(s).or_insert(f);
                *e = (*e).min(f);
            }
            mkt_customers
                .entry(s)
                .or_default()
                .extend(st.recipients.iter().copied());
        }
    }
    for i in 0..campaigns.len() {
        if verdicts[i] != Some(Verdict::BenignBulk) {
            continue;
        }
        let s = campaigns[i].sender;
        let Some(&fm) = first_mkt.get(&s) else {
            continue;
        };
        let Some((st, sc)) = scores[i].as_mut() else {
            continue;
        };
        let Some(first) = st.first else { continue };
        if first < fm - 3 * DAY_MS
            || first > fm + 2 * DAY_MS
            || st.episodes > 3
            || st.recipients.is_empty()
            || sc.has(Role::Police)
            || sc.benign <= -t.number_change_max_benign
        {
            continue;
        }
        // Share of the smaller side: the old number's customers may be known only from the
        // few seized customer phones, the announcement's recipients only from the line phone.
        let mut best: Option<(f64, usize, u32)> = None;
        for (a, custs) in &mkt_customers {
            if *a == s || first_mkt.get(a).is_none_or(|f| *f >= first) {
                continue;
            }
            let common = st.recipients.iter().filter(|r| custs.contains(*r)).count();
            let share = common as f64 / st.recipients.len().min(custs.len()).max(1) as f64;
            if best.is_none_or(|(b, c, _)| share > b || (share == b && common > c)) {
                best = Some((share, common, *a));
            }
        }
        let Some((share, common, a)) = best else {
            continue;
        };
        if common == 0 || share < t.announce_min_share {
            continue;
        }
        sc.reasons.push(format!(
            "first_broadcast: the sender's first bulk text, sent once as its adverts began, to {} recipients, {common} of them customers of line number {} ({:.0}% of the smaller list)",
            st.recipients.len(),
            senders.names[a as usize],
            share * 100.0
        ));
        verdicts[i] = Some(Verdict::NumberChange);
    }

    lap("number changes");
    // 5. Output rows.
    let mut order: Vec<usize> = (0..campaigns.len())
        .filter(|i| verdicts[*i].is_some())
        .collect();
    let mut rows: Vec<(Broadcast, Vec<u32>)> = Vec::new();
    let mut views: Vec<CampaignView> = Vec::new();
    order.sort_by_key(|&i| {
        let (st, _) = scores[i].as_ref().unwrap();
        (
            senders.names[campaigns[i].sender as usize].clone(),
            st.first,
            i,
        )
    });
    for i in order {
        let c = &campaigns[i];
        let (st, sc) = scores[i].as_ref().unwrap();
        let verdict = verdicts[i].unwrap();
        let sender = senders.names[c.sender as usize].clone();
        let lead = messages[c.variants[0].1 as usize].body.unwrap_or("");
        let tmpl = template_text(lead);
        let id = format!(
            "BC-{:016x}",
            stable_hash(format!("{sender}\u{1f}{tmpl}").as_bytes())
        );
        let mut reasons = sc.reasons.clone();
        reasons.push(format!("rules: {}", rules.version));
        let burst_mean = if st.bursts > 0 {
            st.burst_recips as f64 / st.bursts as f64
        } else {
            0.0
        };
        let mut mids: Vec<u32> = c.msgs.clone();
        mids.sort_unstable();
        mids.dedup();
        rows.push((
            Broadcast {
                broadcast_id: id,
                exhibit_ids: st
                    .exhibits
                    .iter()
                    .map(|e| ex_list[*e as usize].to_string())
                    .collect(),
                sender_e164: sender,
                direction: if st.any_out { "outgoing" } else { "incoming" }.to_string(),
                verdict,
                score: (sc.total * 100.0).round() / 100.0,
                template: tmpl,
                example_body: lead.to_string(),
                message_count: st.count,
                distinct_recipients: st.recipients.len() as u64,
                first_ms: st.first,
                last_ms: st.last,
                bursts: st.bursts as u64,
                recipients_per_burst: (burst_mean * 10.0).round() / 10.0,
                episodes_per_day: if st.active_days > 0 {
                    ((st.episodes as f64 / st.active_days as f64) * 100.0).round() / 100.0
                } else {
                    0.0
                },
                active_days: st.active_days as u64,
                variants: c.variants.len() as u64,
                reasons,
            },
            mids,
        ));
        views.push(CampaignView {
            broadcast: rows.len() - 1,
            sender: senders.names[c.sender as usize].as_str(),
            verdict,
            first_ms: st.first,
            last_ms: st.last,
            sends: st
                .sends
                .iter()
                .map(|&(ts, r, mi)| (ts, senders.names[r as usize].as_str(), mi))
                .collect(),
            recipients: st
                .recipients
                .iter()
                .map(|&r| senders.names[r as usize].as_str())
                .collect(),
            msg_idx: c.msgs.clone(),
            set: c.set.clone(),
            ntok: c.ntok,
            named_numbers: sc.named_numbers.clone(),
            names: sc.names.clone(),
        });
    }
    // Views borrow `senders`; build links before moving rows out.
    let ids: Vec<String> = rows.iter().map(|r| r.0.broadcast_id.clone()).collect();
    let (line_links, lines) =
        crate::analysis::linelinks::link(&views, &ids, messages, &ex_owners, &ex_list, rules);
    drop(views);

    lap("rows+links");
    let mut broadcasts = Vec::with_capacity(rows.len());
    let mut broadcast_messages = Vec::new();
    for (bi, (b, mids)) in rows.into_iter().enumerate() {
        for m in mids {
            broadcast_messages.push(BroadcastMessage {
                broadcast: bi as u32,
                message: m,
            });
        }
        broadcasts.push(b);
    }
    DealLineReport {
        rules_version: rules.version.clone(),
        broadcasts,
        broadcast_messages,
        line_links,
        lines,
        warnings,
    }
}

/// Leader clustering of one sender's templates. `keys` are sorted by fingerprint then time.
fn cluster_sender(
    keys: &[(u32, u64, i64, u32)],
    messages: &[AMessage<'_>],
    fps: &[(u64, u32)],
    sim: f64,
) -> Vec<Campaign> {
    let sender = keys[0].0;
    // Distinct fingerprints: (count, fp, start, end).
    let mut groups: Vec<(usize, u64, usize, usize)> = Vec::new();
    let mut s = 0;
    while s < keys.len() {
        let mut e = s + 1;
        while e < keys.len() && keys[e].1 == keys[s].1 {
            e += 1;
        }
        groups.push((e - s, keys[s].1, s, e));
        s = e;
    }
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    struct Leader {
        set: Vec<u64>,
        members: Vec<usize>,
    }
    let mut leaders: Vec<Leader> = Vec::new();
    let mut buckets: FxMap<u64, Vec<u32>> = FxMap::default();
    const BUCKET_CAP: usize = 16;
    // At most this many exact comparisons per template; a near-certain match ends the search.
    const MAX_CHECKS: usize = 24;
    for (gi, g) in groups.iter().enumerate() {
        let rep = keys[g.2].3;
        let set = token_set(messages[rep as usize].body.unwrap_or(""));
        let bands = band_keys(&set);
        let mut best: Option<(f64, u32)> = None;
        if groups.len() > 1 {
            let mut checks = 0;
            let mut tried: [u32; MAX_CHECKS] = [u32::MAX; MAX_CHECKS];
            'bands: for k in bands.iter() {
                if let Some(cands) = buckets.get(k) {
                    for &l in cands {
                        if tried[..checks].contains(&l) {
                            continue;
                        }
                        if checks == MAX_CHECKS {
                            break 'bands;
                        }
                        tried[checks] = l;
                        checks += 1;
                        let j = jaccard(&set, &leaders[l as usize].set);
                        if j >= sim && best.is_none_or(|(bj, bl)| j > bj || (j == bj && l < bl)) {
                            best = Some((j, l));
                            if j >= 0.9 {
                                break 'bands;
                            }
                        }
                    }
                }
            }
        }
        match best {
            Some((_, l)) => leaders[l as usize].members.push(gi),
            None => {
                let l = leaders.len() as u32;
                leaders.push(Leader {
                    set,
                    members: vec![gi],
                });
                if groups.len() > 1 {
                    for k in bands.iter().take(BANDS) {
                        let b = buckets.entry(*k).or_default();
                        if b.len() < BUCKET_CAP {
                            b.push(l);
                        }
                    }
                }
            }
        }
    }
    leaders
        .into_iter()
        .map(|l| {
            let mut msgs = Vec::new();
            let mut variants = Vec::new();
            for &gi in &l.members {
                let g = groups[gi];
                variants.push((g.1, keys[g.2].3));
                msgs.extend(keys[g.2..g.3].iter().map(|k| k.3));
            }
            let ntok = fps[variants[0].1 as usize].1 as usize;
            Campaign {
                sender,
                msgs,
                variants,
                set: l.set,
                ntok,
            }
        })
        .collect()
}

fn multi_daily(st: &Stats, rules: &Rules) -> bool {
    st.episodes >= rules.t.multi_daily_min_episodes
        && st.active_days > 0
        && st.episodes as f64 / st.active_days as f64 >= rules.t.multi_daily_per_active_day
}

/// Per-message lookups shared by the measuring stage.
struct Ctx<'m, 'a> {
    messages: &'m [AMessage<'a>],
    msg_ex: &'m [u32],
    rcpt: &'m [u32],
    rcpt_more: &'m FxMap<u32, Vec<u32>>,
}

fn measure(c: &Campaign, ctx: &Ctx<'_, '_>, rules: &Rules) -> Stats {
    let t = &rules.t;
    let messages = ctx.messages;
    let mut st = Stats {
        count: c.msgs.len() as u64,
        ..Default::default()
    };
    let mut in_ex: Vec<u32> = Vec::new();
    let mut sends: Vec<(u32, i64, u32)> = Vec::with_capacity(c.msgs.len());
    for &mi in &c.msgs {
        let m = &messages[mi as usize];
        let ex = ctx.msg_ex[mi as usize];
        st.exhibits.push(ex);
        if let Some(ts) = m.ts_ms {
            st.first = Some(st.first.map_or(ts, |f: i64| f.min(ts)));
            st.last = Some(st.last.map_or(ts, |l: i64| l.max(ts)));
        }
        let ts = m.ts_ms.unwrap_or(i64::MIN);
        if m.outgoing {
            st.any_out = true;
        } else {
            in_ex.push(ex);
        }
        let r = ctx.rcpt[mi as usize];
        if r != u32::MAX {
            sends.push((r, ts, mi));
            if m.outgoing && m.recipients_e164.len() > 1 {
                if let Some(more) = ctx.rcpt_more.get(&mi) {
                    for &r in more {
                        sends.push((r, ts, mi));
                    }
                }
            }
        }
    }
    st.exhibits.sort_unstable();
    st.exhibits.dedup();
    in_ex.sort_unstable();
    in_ex.dedup();
    st.in_exhibits = in_ex.len();
    // De-duplicate a text and its copy on the recipient's phone.
    sends.sort_unstable();
    let mut dedup: Vec<(i64, u32, u32)> = Vec::with_capacity(sends.len());
    let mut recips: Vec<u32> = Vec::new();
    let mut max_days = 0usize;
    let mut i = 0;
    while i < sends.len() {
        let r = sends[i].0;
        let mut j = i;
        let mut ndays = 0usize;
        let mut last_day = i64::MIN;
        let mut last_kept = i64::MIN;
        while j < sends.len() && sends[j].0 == r {
            let ts = sends[j].1;
            if last_kept == i64::MIN || ts == i64::MIN || ts - last_kept > 120_000 {
                dedup.push((ts, r, sends[j].2));
                last_kept = ts;
                if ts != i64::MIN {
                    let d = ts.div_euclid(DAY_MS);
                    if d != last_day {
                        ndays += 1;
                        last_day = d;
                    }
                }
            }
            j += 1;
        }
        max_days = max_days.max(ndays);
        recips.push(r);
        i = j;
    }
    st.max_repeat_days = max_days;
    st.recipients = recips;
    dedup.sort_unstable();
    // Episodes and bursts.
    let gap = t.episode_gap_s * 1000;
    let first_timed = dedup.partition_point(|s| s.0 == i64::MIN);
    let timed = &dedup[first_timed..];
    let mut last_day = i64::MIN;
    for s in timed {
        let d = s.0.div_euclid(DAY_MS);
        if d != last_day {
            st.active_days += 1;
            last_day = d;
        }
    }
    let mut rs: Vec<u32> = Vec::new();
    let mut exs: Vec<u32> = Vec::new();
    let mut k = 0;
    while k < timed.len() {
        let mut e = k + 1;
        while e < timed.len() && timed[e].0 - timed[e - 1].0 <= gap {
            e += 1;
        }
        st.episodes += 1;
        st.episode_starts.push(timed[k].0);
        if e - k >= 2 {
            rs.clear();
            rs.extend(timed[k..e].iter().map(|s| s.1));
            rs.sort_unstable();
            rs.dedup();
            if rs.len() >= t.burst_min_recipients {
                st.bursts += 1;
                st.burst_recips += rs.len();
            }
            if rs.len() >= 2 && !st.cross_exhibit_episode {
                exs.clear();
                exs.extend(
                    timed[k..e]
                        .iter()
                        .filter(|s| !messages[s.2 as usize].outgoing)
                        .map(|s| ctx.msg_ex[s.2 as usize]),
                );
                exs.sort_unstable();
                exs.dedup();
                if exs.len() >= 2 {
                    st.cross_exhibit_episode = true;
                }
            }
        }
        k = e;
    }
    st.sends = dedup;
    st
}

/// A campaign's score and reasons.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored {
    total: f64,
    benign: f64,
    roles: Vec<Role>,
    reasons: Vec<String>,
    multi_daily: bool,
    pub named_numbers: Vec<String>,
    pub names: Vec<String>,
}

impl Scored {
    fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }
    fn is_marketing(&self, rules: &Rules) -> bool {
        let content = self.has(Role::Drug) || self.has(Role::Price) || self.has(Role::Availability);
        let drugish = self.has(Role::Drug) || self.multi_daily || self.has(Role::Name);
        self.total >= rules.t.marketing_score && content && drugish && !self.has(Role::Police)
    }
}

/// UK mobile numbers written in a text, as E.164.
pub fn mobiles_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() || b[i] == b'+' {
            let mut digits = String::new();
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b" -()+".contains(&b[j])) {
                if b[j].is_ascii_digit() {
                    digits.push(b[j] as char);
                }
                j += 1;
            }
            let nsn = digits
                .strip_prefix("440")
                .or_else(|| digits.strip_prefix("44"))
                .or_else(|| digits.strip_prefix('0'))
                .unwrap_or_default();
            if nsn.len() == 10 && nsn.starts_with('7') {
                let e = format!("+44{nsn}");
                if !out.contains(&e) {
                    out.push(e);
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn score(
    c: &Campaign,
    st: &Stats,
    sender: &str,
    messages: &[AMessage<'_>],
    rules: &Rules,
    sender_cadence: Option<(usize, usize)>,
) -> Scored {
    let t = &rules.t;
    let w = &rules.s;
    let mut sc = Scored::default();
    let add = |sc: &mut Scored, name: &str, v: f64, what: String| {
        sc.total += v;
        sc.reasons.push(format!("{name}: {what} ({v:+.1})"));
    };
    // Structure.
    let n_rec = st.recipients.len();
    if n_rec >= t.fanout_recipients {
        add(
            &mut sc,
            "fan_out",
            w.fan_out,
            format!("{n_rec} distinct recipients"),
        );
    }
    if n_rec >= t.fanout_high_recipients {
        add(
            &mut sc,
            "fan_out_high",
            w.fan_out_high,
            format!("at least {} distinct recipients", t.fanout_high_recipients),
        );
    }
    if st.bursts > 0 {
        add(
            &mut sc,
            "burst",
            w.burst,
            format!(
                "{} send bursts, {:.1} recipients per burst",
                st.bursts,
                st.burst_recips as f64 / st.bursts as f64
            ),
        );
    }
    if multi_daily(st, rules) {
        sc.multi_daily = true;
        add(
            &mut sc,
            "multi_daily",
            w.multi_daily,
            format!(
                "{} send episodes on {} days ({:.1} a day)",
                st.episodes,
                st.active_days,
                st.episodes as f64 / st.active_days as f64
            ),
        );
    }
    if let (false, Some((e, d))) = (sc.multi_daily, sender_cadence) {
        sc.multi_daily = true;
        add(
            &mut sc,
            "multi_daily",
            w.multi_daily,
            format!(
                "the sender's bulk texts went out in {e} episodes on {d} days ({:.1} a day)",
                e as f64 / d as f64
            ),
        );
    }
    if st.max_repeat_days >= t.repeat_min_days {
        add(
            &mut sc,
            "repeated",
            w.repeated,
            format!(
                "the same text to one recipient on {} days",
                st.max_repeat_days
            ),
        );
    }
    if st.in_exhibits >= 2 {
        add(
            &mut sc,
            "cross_exhibit",
            w.cross_exhibit,
            format!("received on {} seized phones", st.in_exhibits),
        );
    }
    if !sender.is_empty() && !rules.is_mobile(sender) && !sender.starts_with("exhibit:") {
        add(
            &mut sc,
            "non_mobile_sender",
            w.non_mobile_sender,
            format!("sender {sender} is a short code, alphanumeric id or landline"),
        );
        sc.benign += w.non_mobile_sender;
    }
    // Content, over a sample of the campaign's distinct texts.
    let samples: Vec<String> = c
        .variants
        .iter()
        .take(t.sample_bodies)
        .filter_map(|(_, mi)| messages[*mi as usize].body.map(|b| b.to_lowercase()))
        .collect();
    for f in &rules.features {
        let mut found: Vec<String> = Vec::new();
        for s in &samples {
            for m in f.matches(s) {
                if !found.contains(&m) {
                    found.push(m);
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        if f.role == Role::Name {
            sc.names = found.clone();
        }
        if f.role == Role::Change {
            for s in &samples {
                for n in mobiles_in(s) {
                    if !sc.named_numbers.contains(&n) {
                        sc.named_numbers.push(n);
                    }
                }
            }
        }
        sc.roles.push(f.role);
        let v = f.score(found.len());
        if matches!(f.role, Role::Benign | Role::Police) {
            sc.benign += v;
        }
        let shown: Vec<&str> = found.iter().take(6).map(|s| s.as_str()).collect();
        let more = if found.len() > 6 {
            format!(" and {} more", found.len() - 6)
        } else {
            String::new()
        };
        add(
            &mut sc,
            &f.name,
            v,
            format!("{}: {}{more}", f.label, shown.join(", ")),
        );
    }
    sc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made case: a line phone's adverts, a takeaway's weekly offer to as many people,
    /// and damaged records (no time, no body, an exhibit with no known number) that must not panic.
    #[test]
    fn line_adverts_versus_takeaway_and_damaged_records() {
        let customers: Vec<String> = (300..320).map(|n| format!("+447700900{n}")).collect();
        let mut ids: Vec<String> = Vec::new();
        let mut plan: Vec<(&str, &str, i64, usize, &str)> = Vec::new();
        let day = DAY_MS;
        let t0 = 1_761_955_200_000i64;
        for d in 0..4 {
            for (h, body) in [
                (10, "Tony line both on 3 for 25 white"),
                (15, "TONY LINE both on!! 2 for 20 white 🔥"),
                (21, "tony line both on 3-25 white till 2"),
            ] {
                for (k, _) in customers.iter().enumerate() {
                    plan.push((
                        "LINE",
                        "+447700900001",
                        t0 + d * day + h * 3_600_000 + k as i64 * 2000,
                        k,
                        body,
                    ));
                }
            }
        }
        for w in 0..3 {
            for (k, _) in customers.iter().enumerate() {
                plan.push((
                    "TAKE",
                    "+447700900101",
                    t0 + w * 7 * day + 17 * 3_600_000 + k as i64 * 2000,
                    k,
                    "Luigi's: 2 pizzas for 20 tonight, open till 11",
                ));
            }
        }
        for i in 0..plan.len() {
            ids.push(format!("m{i}"));
        }
        let mut msgs: Vec<AMessage> = plan
            .iter()
            .enumerate()
            .map(|(i, (ex, _s, ts, k, body))| AMessage {
                message_id: &ids[i],
                exhibit_id: ex,
                app: "sms",
                outgoing: true,
                ts_ms: Some(*ts),
                sender_e164: None,
                recipients_e164: vec![customers[*k].as_str()],
                body: Some(body),
            })
            .collect();
        msgs.push(AMessage {
            message_id: "x1",
            exhibit_id: "LINE",
            app: "sms",
            outgoing: true,
            ts_ms: None,
            sender_e164: None,
            recipients_e164: vec![],
            body: None,
        });
        msgs.push(AMessage {
            message_id: "x2",
            exhibit_id: "NOWHERE",
            app: "sms",
            outgoing: false,
            ts_ms: Some(t0),
            sender_e164: Some("+447700900001"),
            recipients_e164: vec![],
            body: Some("both on 3 for 25 white"),
        });
        let owners: BTreeMap<String, Vec<String>> = [
            ("LINE".to_string(), vec!["+447700900001".to_string()]),
            ("TAKE".to_string(), vec!["+447700900101".to_string()]),
        ]
        .into_iter()
        .collect();
        let rep = analyse_default(&msgs, &owners);
        let line: Vec<&Broadcast> = rep
            .broadcasts
            .iter()
            .filter(|b| b.sender_e164 == "+447700900001")
            .collect();
        assert_eq!(
            line.len(),
            1,
            "one campaign despite prices, case and emoji: {line:#?}"
        );
        assert_eq!(line[0].verdict, Verdict::Marketing);
        // 20 customers, plus the exhibit whose own number is unknown (`exhibit:NOWHERE`).
        assert_eq!(line[0].distinct_recipients, 21);
        assert!(line[0].reasons.iter().any(|r| r.starts_with("drug_slang")));
        let take: Vec<&Broadcast> = rep
            .broadcasts
            .iter()
            .filter(|b| b.sender_e164 == "+447700900101")
            .collect();
        assert_eq!(take.len(), 1);
        assert_eq!(
            take[0].verdict,
            Verdict::BenignBulk,
            "{:?}",
            take[0].reasons
        );
        assert_eq!(rep.lines.len(), 1);
        assert_eq!(rep.lines[0].name.as_deref(), Some("Tony"));
        assert_eq!(rep.rules_version, Rules::default().version);
    }

    #[test]
    fn finds_numbers_in_text() {
        assert_eq!(
            mobiles_in("text 07700 900123 or +44 7700-900124, not 0113 496 0000"),
            vec!["+447700900123", "+447700900124"]
        );
    }
}
