//! Copies of one message or call held by several databases of the same handset.
//!
//! Android keeps SMS/MMS in the telephony provider (`mmssms.db`) and messaging apps keep their own
//! copies (Google or AOSP Messaging `bugle_db`); Samsung's `logs.db` copies calls and SMS. Both
//! records are kept (each with its provenance); the copy from the less authoritative database gets
//! `duplicate_of` = the id of the record it repeats, and analysis counts each event once.
//! Only records from DIFFERENT artifacts of the same exhibit are ever matched: two identical texts
//! in one database are two sends.
use std::collections::HashMap;

use crate::case::Case;

/// Lower is more authoritative.
fn rank(parser: &str) -> u8 {
    match parser {
        "android.mmssms" | "ios.sms" | "android.calllog" | "ios.callhistory" => 0,
        "android.contacts2" | "ios.call_history_legacy" => 1,
        "android.bugle" => 2,
        "android.samsung_logs" => 3,
        _ => 4,
    }
}

/// The last 9 digits of a number (enough to tell UK numbers apart, format-independent).
fn tail(raw: Option<&str>) -> String {
    let d: String = raw
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    d[d.len().saturating_sub(9)..].to_string()
}

/// Mark cross-artifact copies. Returns (message duplicate_of, call duplicate_of), parallel to
/// `case.messages` and `case.calls`.
pub fn find_copies(case: &Case) -> (Vec<Option<String>>, Vec<Option<String>>) {
    let mut msg_dup = vec![None; case.messages.len()];
    // Candidates grouped by a content key; the winner is the most authoritative, then first.
    let mut groups: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for (i, m) in case.messages.iter().enumerate() {
        let r = &m.rec;
        let (Some(ts), Some(body)) = (r.timestamp_ms, r.body.as_deref()) else {
            continue;
        };
        if !r.origin.state.is_current() || !matches!(r.app, "sms" | "mms") {
            continue;
        }
        let peer = match r.direction {
            linesift_parsers::Direction::Outgoing => {
                tail(r.recipients_raw.first().map(String::as_str))
            }
            _ => tail(r.sender_raw.as_deref()),
        };
        let key = format!(
            "{}|{}|{}|{}",
            r.direction.as_str(),
            ts.div_euclid(1000),
            peer,
            body
        );
        groups.entry((m.exhibit, key)).or_default().push(i);
    }
    mark(
        &mut msg_dup,
        groups,
        |i| {
            (
                rank(&case.artifacts[case.messages[i].artifact].parser),
                case.messages[i].artifact,
            )
        },
        |i| case.messages[i].id.clone(),
    );
    let mut call_dup = vec![None; case.calls.len()];
    let mut groups: HashMap<(usize, String), Vec<usize>> = HashMap::new();
    for (i, c) in case.calls.iter().enumerate() {
        let r = &c.rec;
        let Some(ts) = r.timestamp_ms else { continue };
        if !r.origin.state.is_current() || r.app == "whatsapp" {
            continue;
        }
        let key = format!(
            "{}|{}|{}|{}",
            r.direction.as_str(),
            ts.div_euclid(1000),
            tail(r.number_raw.as_deref()),
            r.duration_s.unwrap_or(-1)
        );
        groups.entry((c.exhibit, key)).or_default().push(i);
    }
    mark(
        &mut call_dup,
        groups,
        |i| {
            (
                rank(&case.artifacts[case.calls[i].artifact].parser),
                case.calls[i].artifact,
            )
        },
        |i| case.calls[i].id.clone(),
    );
    (msg_dup, call_dup)
}

fn mark(
    out: &mut [Option<String>],
    groups: HashMap<(usize, String), Vec<usize>>,
    rank_of: impl Fn(usize) -> (u8, usize),
    id_of: impl Fn(usize) -> String,
) {
    for (_, mut idx) in groups {
        if idx.len() < 2 {
            continue;
        }
        idx.sort_by_key(|&i| (rank_of(i), i));
        let winner = idx[0];
        let (_, win_art) = rank_of(winner);
        // Within the winner's own artifact, repeats are separate events: never marked. From each
        // other artifact, mark as many as the winner's artifact holds (one copy per event).
        let own = idx.iter().filter(|&&i| rank_of(i).1 == win_art).count();
        let mut per_art: HashMap<usize, usize> = HashMap::new();
        let originals: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| rank_of(i).1 == win_art)
            .collect();
        for &i in &idx {
            let art = rank_of(i).1;
            if art == win_art {
                continue;
            }
            let n = per_art.entry(art).or_insert(0);
            if *n < own {
                out[i] = Some(id_of(originals[*n]));
                *n += 1;
            }
        }
    }
}
