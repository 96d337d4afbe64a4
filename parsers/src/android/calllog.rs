//! `calllog.db` of the Android contacts provider (Android 7+; older Android kept the same `calls`
//! table inside `contacts2.db`, read by [`super::contacts2`] through [`call_row`]).
//!
//! `calls`: `number`, `date` (Unix ms), `duration` (s), `type` (1 incoming, 2 outgoing, 3 missed,
//! 4 voicemail, 5 rejected, 6 blocked, 7 answered externally), `features` (bit 1 = video), `name`
//! (cached contact name), `phone_account_address` (the handset's own line, on Android 6+ when the
//! carrier provides it), `subscription_id` (ICCID or sub id).
use std::collections::BTreeSet;

use super::{looks_like_phone, open, require_any};
use crate::registry::DbInput;
use crate::sqlite::row::Col;
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::{Call, Direction, OwnerNumber, ParseError, ParseOutput};

pub const CALL_COLS: &[&str] = &[
    "number",
    "date",
    "duration",
    "type",
    "features",
    "name",
    "phone_account_address",
];

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["calls"])?;
    read_calls(&img, &mut out, "calllog.db", "android_calllog")?;
    Ok(out)
}

/// Read a `calls` table into `out` (calls, and owner numbers from `phone_account_address`).
pub fn read_calls(
    img: &DbImage,
    out: &mut ParseOutput,
    db_name: &str,
    app: &'static str,
) -> Result<(), ParseError> {
    let t = img.select_warn(out, "calls", CALL_COLS)?;
    let c = CallCols::new(&t);
    let mut seen_owner = BTreeSet::new();
    for r in &t.rows {
        let call = call_row(r, &c, "calls", app);
        if let Some(acct) = call.account.as_deref() {
            if looks_like_phone(acct) && seen_owner.insert(acct.to_string()) {
                out.owners.push(OwnerNumber {
                    origin: call.origin.clone(),
                    number_raw: acct.to_string(),
                    how: format!("{db_name} calls.phone_account_address"),
                });
            }
        }
        out.calls.push(call);
    }
    Ok(())
}

/// Column handles of a `calls` read.
pub struct CallCols {
    number: Col,
    date: Col,
    duration: Col,
    type_: Col,
    features: Col,
    name: Col,
    account: Col,
}

impl CallCols {
    pub fn new(t: &TableRows) -> Self {
        CallCols {
            number: t.col("number"),
            date: t.col("date"),
            duration: t.col("duration"),
            type_: t.col("type"),
            features: t.col("features"),
            name: t.col("name"),
            account: t.col("phone_account_address"),
        }
    }
}

/// Direction of an Android call log `type`.
pub fn call_direction(t: Option<i64>) -> Direction {
    match t {
        Some(1) | Some(4) | Some(7) => Direction::Incoming,
        Some(2) => Direction::Outgoing,
        Some(3) => Direction::Missed,
        Some(5) | Some(6) => Direction::Rejected,
        _ => Direction::Unknown,
    }
}

/// Map one `calls` row.
pub fn call_row(r: &RowData, c: &CallCols, table: &str, app: &'static str) -> Call {
    let mut call = Call::new(r.origin(table), app);
    let ty = r.i64(c.type_);
    call.direction = call_direction(ty);
    call.type_raw = r.text(c.type_);
    call.timestamp_ms = r.i64(c.date).filter(|&d| d > 0);
    call.duration_s = r.i64(c.duration);
    call.number_raw = r.text_nonempty(c.number);
    call.name = r.text_nonempty(c.name);
    call.video = r.i64(c.features).is_some_and(|f| f & 1 != 0);
    call.account = r.text_nonempty(c.account);
    call
}
