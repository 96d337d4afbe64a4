//! Case-level analysis over parsed records: copies, numbers, owner numbers, shared numbers,
//! broadcasts (bulk texts) and line links.
pub mod broadcast;
pub mod dedupe;
pub mod linelinks;
pub mod numbers;
pub mod people;

use std::collections::BTreeMap;

use crate::case::Case;
pub use broadcast::rules::Rules;

/// Run every analysis stage over the case, in place.
pub fn run(case: &mut Case, region: &str, rules: &Rules) {
    let (m, c) = dedupe::find_copies(case);
    case.message_duplicate_of = m;
    case.call_duplicate_of = c;
    let norm = numbers::Normaliser::new(region)
        .unwrap_or_else(|_| numbers::Normaliser::new("GB").expect("GB"));
    people::normalise_all(case, &norm);
    people::owner_numbers(case, &norm);
    people::fill_own_side(case);
    case.numbers = people::number_table(case, &norm);
    let (report, pairs) = deal_lines(case, rules);
    case.dealline = report;
    case.broadcast_message_ids = pairs;
}

/// Broadcasts, verdicts, line links and lines over every message (copies counted once), and the
/// (broadcast_id, message_id) pairs of `broadcast_messages`.
fn deal_lines(case: &Case, rules: &Rules) -> (broadcast::DealLineReport, Vec<(String, String)>) {
    let owners: BTreeMap<String, Vec<String>> = case
        .exhibits
        .iter()
        .map(|e| {
            let phones = e
                .owner_numbers
                .iter()
                .map(|(n, _)| n.clone())
                .filter(|n| n.starts_with('+'));
            (e.exhibit_id.clone(), phones.collect())
        })
        .collect();
    let msgs: Vec<broadcast::AMessage<'_>> = case
        .messages
        .iter()
        .enumerate()
        .filter(|(i, _)| case.message_duplicate_of[*i].is_none())
        .map(|(i, m)| {
            let n = &case.message_numbers[i];
            broadcast::AMessage {
                message_id: &m.id,
                exhibit_id: &case.exhibits[m.exhibit].exhibit_id,
                app: m.rec.app,
                outgoing: m.rec.direction == linesift_parsers::Direction::Outgoing,
                ts_ms: m.rec.timestamp_ms,
                // Short codes and alphanumeric senders have no E.164 but are senders too.
                sender_e164: n.sender_e164.as_deref().or(match m.rec.direction {
                    linesift_parsers::Direction::Outgoing => None,
                    _ => m.rec.sender_raw.as_deref(),
                }),
                recipients_e164: n.recipients_e164.iter().map(String::as_str).collect(),
                body: m.rec.body.as_deref(),
            }
        })
        .collect();
    let report = broadcast::analyse(&msgs, &owners, rules);
    let pairs = report
        .broadcast_message_ids(&msgs)
        .map(|(b, m)| (b.to_string(), m.to_string()))
        .collect();
    (report, pairs)
}
