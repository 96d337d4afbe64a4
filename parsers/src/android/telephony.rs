//! `telephony.db` of the Android telephony provider: `siminfo` holds one row per SIM (or eSIM
//! profile) the handset has seen. `number` is the line number the SIM or the user recorded
//! (often empty: carriers rarely write it); Android 14 adds `phone_number_source_carrier` and
//! `phone_number_source_ims`. Each non-empty number is an [`OwnerNumber`]; `display_name`,
//! `carrier_name` and `sim_id` (the slot, -1 when the SIM is not inserted) go in the `how` text.
use super::{open, require_any};
use crate::registry::DbInput;
use crate::sqlite::RowData;
use crate::sqlite::TableRows;
use crate::{OwnerNumber, ParseError, ParseOutput};

/// Number columns of `siminfo`, with the `how` wording of each.
const NUMBER_COLS: &[&str] = &[
    "number",
    "phone_number_source_carrier",
    "phone_number_source_ims",
];

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["siminfo"])?;
    let present = img.columns("siminfo");
    let has = |n: &str| present.iter().any(|c| c.eq_ignore_ascii_case(n));
    // `number` is asked for always (its absence is worth a warning); the Android 14 columns only
    // when the table has them.
    let mut cols = vec!["number", "display_name", "carrier_name", "sim_id"];
    cols.extend(NUMBER_COLS[1..].iter().copied().filter(|c| has(c)));
    let t = img.select_warn(&mut out, "siminfo", &cols)?;
    for r in &t.rows {
        out.owners.extend(siminfo_row(r, &t, "siminfo"));
    }
    if out.owners.is_empty() {
        out.warn("siminfo: no SIM records a number of its own");
    }
    Ok(out)
}

/// Owner numbers of one `siminfo` row (none when every number column is empty).
pub fn siminfo_row(r: &RowData, t: &TableRows, table: &str) -> Vec<OwnerNumber> {
    let mut ctx = Vec::new();
    if let Some(d) = r.text_nonempty(t.col("display_name")) {
        ctx.push(format!("display_name '{d}'"));
    }
    if let Some(c) = r.text_nonempty(t.col("carrier_name")) {
        ctx.push(format!("carrier '{c}'"));
    }
    if let Some(s) = r.i64(t.col("sim_id")) {
        ctx.push(if s < 0 {
            "not inserted".to_string()
        } else {
            format!("slot {s}")
        });
    }
    let ctx = if ctx.is_empty() {
        String::new()
    } else {
        format!(" ({})", ctx.join(", "))
    };
    let mut res: Vec<OwnerNumber> = Vec::new();
    for col in NUMBER_COLS {
        let Some(n) = r.text_nonempty(t.col(col)).map(|s| s.trim().to_string()) else {
            continue;
        };
        if n.is_empty() || res.iter().any(|o| o.number_raw == n) {
            continue;
        }
        res.push(OwnerNumber {
            origin: r.origin(table),
            number_raw: n,
            how: format!("telephony.db siminfo.{col}{ctx}"),
        });
    }
    res
}
