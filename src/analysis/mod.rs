//! Case-level analysis over parsed records: numbers, broadcasts (bulk texts), line links.
pub mod broadcast;
pub mod dedupe;
pub mod numbers;

use crate::case::{Case, MsgNumbers};

/// The version of the deal-line rules in force (recorded in the manifest).
pub fn rules_version() -> String {
    "none".to_string()
}

/// Run every analysis stage over the case, in place.
pub fn run(case: &mut Case, _region: &str) {
    case.message_numbers = vec![MsgNumbers::default(); case.messages.len()];
    case.contact_e164 = vec![None; case.contacts.len()];
    case.call_e164 = vec![None; case.calls.len()];
    let (m, c) = dedupe::find_copies(case);
    case.message_duplicate_of = m;
    case.call_duplicate_of = c;
    owner_numbers(case);
}

/// Gather each exhibit's own numbers from what its artifacts record, deduplicated, with how.
fn owner_numbers(case: &mut Case) {
    for o in &case.owners {
        let how = format!("{} ({})", o.rec.how, case.artifacts[o.artifact].path);
        let ex = &mut case.exhibits[o.exhibit];
        if !ex.owner_numbers.iter().any(|(n, _)| *n == o.rec.number_raw) {
            ex.owner_numbers.push((o.rec.number_raw.clone(), how));
        }
    }
}
