//! Case-level analysis over parsed records: copies, numbers, owner numbers, shared numbers,
//! broadcasts (bulk texts) and line links.
pub mod broadcast;
pub mod dedupe;
pub mod linelinks;
pub mod numbers;
pub mod people;

use crate::case::Case;

/// The version of the deal-line rules in force (recorded in the manifest).
pub fn rules_version() -> String {
    "none".to_string()
}

/// Run every analysis stage over the case, in place.
pub fn run(case: &mut Case, region: &str) {
    let (m, c) = dedupe::find_copies(case);
    case.message_duplicate_of = m;
    case.call_duplicate_of = c;
    let norm = numbers::Normaliser::new(region)
        .unwrap_or_else(|_| numbers::Normaliser::new("GB").expect("GB"));
    people::normalise_all(case, &norm);
    people::owner_numbers(case, &norm);
    people::fill_own_side(case);
    case.numbers = people::number_table(case, &norm);
}
