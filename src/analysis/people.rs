//! Numbers everywhere: E.164 on every record, the handsets' own numbers, and the numbers that
//! turn up on more than one handset.
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use super::numbers::{self, Normaliser};
use crate::case::{Case, MsgNumbers};
use linesift_parsers::{iso_utc_ms, Direction};

fn e164(norm: &Normaliser, raw: Option<&str>) -> Option<String> {
    raw.and_then(|r| norm.normalise(r).e164.map(|e| e.to_string()))
}

/// Fill the `*_e164` columns of messages, contacts and calls, and the numbers quoted in bodies.
pub fn normalise_all(case: &mut Case, norm: &Normaliser) {
    case.message_numbers = case
        .messages
        .par_iter()
        .map(|m| {
            let r = &m.rec;
            MsgNumbers {
                sender_e164: e164(norm, r.sender_raw.as_deref()),
                recipients_e164: r
                    .recipients_raw
                    .iter()
                    .filter_map(|x| e164(norm, Some(x)))
                    .collect(),
                body_numbers: r
                    .body
                    .as_deref()
                    .map(|b| {
                        norm.extract_numbers(b)
                            .into_iter()
                            .map(|n| n.e164)
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    case.contact_e164 = case
        .contacts
        .par_iter()
        .map(|c| {
            if c.rec.value_kind == "email" {
                None
            } else {
                e164(norm, c.rec.number_raw.as_deref())
            }
        })
        .collect();
    case.call_e164 = case
        .calls
        .par_iter()
        .map(|c| e164(norm, c.rec.number_raw.as_deref()))
        .collect();
}

/// Each exhibit's own numbers: what its artifacts record (normalised, deduplicated, with how),
/// then, for exhibits that record none, what the other exhibits prove (twin messages).
pub fn owner_numbers(case: &mut Case, norm: &Normaliser) {
    for o in &case.owners {
        let n = e164(norm, Some(&o.rec.number_raw)).unwrap_or_else(|| o.rec.number_raw.clone());
        let how = format!("{} in {}", o.rec.how, case.artifacts[o.artifact].path);
        let ex = &mut case.exhibits[o.exhibit];
        match ex.owner_numbers.iter_mut().find(|(x, _)| *x == n) {
            Some((_, h)) => {
                if !h.contains(&how) {
                    h.push_str("; ");
                    h.push_str(&how);
                }
            }
            None => ex.owner_numbers.push((n, how)),
        }
    }
    for ex in &mut case.exhibits {
        ex.owner_numbers.sort();
    }
    // Twins: a message sent from exhibit A to X, found on X's handset as received from N, means
    // A is N. Only exhibits that record no number of their own are decided this way.
    let known: Vec<Vec<String>> = case
        .exhibits
        .iter()
        .map(|e| {
            e.owner_numbers
                .iter()
                .map(|(n, _)| n.clone())
                .filter(|n| n.starts_with('+'))
                .collect()
        })
        .collect();
    let facts: Vec<numbers::TwinFact> = case
        .messages
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            case.message_duplicate_of[*i].is_none()
                && m.rec.body.is_some()
                && m.rec.timestamp_ms.is_some()
        })
        .filter_map(|(i, m)| {
            let n = &case.message_numbers[i];
            let outgoing = m.rec.direction == Direction::Outgoing;
            let peer = if outgoing {
                (n.recipients_e164.len() == 1).then(|| n.recipients_e164[0].clone())?
            } else {
                n.sender_e164.clone()?
            };
            Some(numbers::TwinFact {
                exhibit: m.exhibit,
                outgoing,
                ts_ms: m.rec.timestamp_ms?,
                body_hash: numbers::body_hash(m.rec.body.as_deref()?),
                peer_e164: peer,
                message_id: m.id.clone(),
            })
        })
        .collect();
    for inf in numbers::infer_owners_by_twins(&facts, &known) {
        let ex = &mut case.exhibits[inf.exhibit];
        if ex.owner_numbers.is_empty() || !ex.owner_numbers.iter().any(|(n, _)| *n == inf.e164) {
            ex.owner_numbers.push((
                inf.e164.clone(),
                format!("inferred from other exhibits: {}", inf.evidence),
            ));
        }
    }
}

/// The handset's own side of a message where the database does not record it: the sender of an
/// outgoing message and the recipient of an incoming one, when the exhibit has exactly one own
/// number (with two SIMs it is ambiguous and stays empty).
pub fn fill_own_side(case: &mut Case) {
    let single: Vec<Option<String>> = case
        .exhibits
        .iter()
        .map(|e| {
            let phones: Vec<&String> = e
                .owner_numbers
                .iter()
                .map(|(n, _)| n)
                .filter(|n| n.starts_with('+'))
                .collect();
            (phones.len() == 1).then(|| phones[0].clone())
        })
        .collect();
    for (i, m) in case.messages.iter().enumerate() {
        let Some(own) = &single[m.exhibit] else {
            continue;
        };
        let n = &mut case.message_numbers[i];
        match m.rec.direction {
            Direction::Outgoing if n.sender_e164.is_none() => n.sender_e164 = Some(own.clone()),
            Direction::Incoming
                if n.recipients_e164.is_empty() && m.rec.recipients_raw.is_empty() =>
            {
                n.recipients_e164 = vec![own.clone()]
            }
            _ => {}
        }
    }
}

/// One number on one exhibit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NumberRow {
    pub number_e164: String,
    pub kind: String,
    pub exhibit: usize,
    /// On how many exhibits the number is seen.
    pub exhibit_count: usize,
    pub is_owner: bool,
    /// Names this exhibit saved it under (contacts), sorted.
    pub names_saved: Vec<String>,
    pub message_count: u64,
    pub call_count: u64,
    pub contact_count: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Record states it was seen in (`live`, `wal_only`, `freelist` ...).
    pub record_states: Vec<String>,
}

impl NumberRow {
    pub fn first_utc(&self) -> Option<String> {
        self.first_ms.map(iso_utc_ms)
    }
    pub fn last_utc(&self) -> Option<String> {
        self.last_ms.map(iso_utc_ms)
    }
}

/// The row of number `n` on exhibit `ex`, created on first sight; extends its time span.
fn touch<'a>(
    rows: &'a mut BTreeMap<(String, usize), NumberRow>,
    norm: &Normaliser,
    n: &str,
    ex: usize,
    ts: Option<i64>,
    state: &str,
) -> &'a mut NumberRow {
    let r = rows
        .entry((n.to_string(), ex))
        .or_insert_with(|| NumberRow {
            number_e164: n.to_string(),
            kind: norm.normalise(n).kind.as_str().to_string(),
            exhibit: ex,
            ..Default::default()
        });
    if let Some(t) = ts {
        r.first_ms = Some(r.first_ms.map_or(t, |f| f.min(t)));
        r.last_ms = Some(r.last_ms.map_or(t, |l| l.max(t)));
    }
    if !r.record_states.iter().any(|s| s == state) {
        r.record_states.push(state.to_string());
    }
    r
}

/// Every phone number seen on each exhibit: a counterpart of a message or call (the exhibit's
/// own numbers excluded), a saved contact, or the exhibit's own number. Copies (`duplicate_of`)
/// are counted once. Sorted by number, then exhibit order.
pub fn number_table(case: &Case, norm: &Normaliser) -> Vec<NumberRow> {
    let mut rows: BTreeMap<(String, usize), NumberRow> = BTreeMap::new();
    let owners: Vec<BTreeSet<&str>> = case
        .exhibits
        .iter()
        .map(|e| e.owner_numbers.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    for (i, m) in case.messages.iter().enumerate() {
        if case.message_duplicate_of[i].is_some() {
            continue;
        }
        let n = &case.message_numbers[i];
        let parties: BTreeSet<&String> = n
            .sender_e164
            .iter()
            .chain(n.recipients_e164.iter())
            .collect();
        for p in parties {
            if owners[m.exhibit].contains(p.as_str()) {
                continue;
            }
            touch(
                &mut rows,
                norm,
                p,
                m.exhibit,
                m.rec.timestamp_ms,
                m.rec.origin.state.as_str(),
            )
            .message_count += 1;
        }
    }
    for (i, c) in case.calls.iter().enumerate() {
        if case.call_duplicate_of[i].is_some() {
            continue;
        }
        if let Some(n) = &case.call_e164[i] {
            if !owners[c.exhibit].contains(n.as_str()) {
                touch(
                    &mut rows,
                    norm,
                    n,
                    c.exhibit,
                    c.rec.timestamp_ms,
                    c.rec.origin.state.as_str(),
                )
                .call_count += 1;
            }
        }
    }
    for (i, c) in case.contacts.iter().enumerate() {
        if let Some(n) = &case.contact_e164[i] {
            let r = touch(
                &mut rows,
                norm,
                n,
                c.exhibit,
                None,
                c.rec.origin.state.as_str(),
            );
            r.contact_count += 1;
            if let Some(name) = c
                .rec
                .display_name
                .as_deref()
                .filter(|s| !s.trim().is_empty())
            {
                if !r.names_saved.iter().any(|x| x == name) {
                    r.names_saved.push(name.to_string());
                }
            }
        }
    }
    for (ex, e) in case.exhibits.iter().enumerate() {
        for (n, _) in &e.owner_numbers {
            if n.starts_with('+') {
                touch(&mut rows, norm, n, ex, None, "owner").is_owner = true;
            }
        }
    }
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (n, _) in rows.keys() {
        *count.entry(n.clone()).or_default() += 1;
    }
    rows.into_values()
        .map(|mut r| {
            r.exhibit_count = count[&r.number_e164];
            r.names_saved.sort();
            r
        })
        .collect()
}
