//! iOS call logs.
//!
//! - iOS 8+: `/private/var/mobile/Library/CallHistoryDB/CallHistory.storedata` (and
//!   `CallHistoryTemp.storedata`), a Core Data store. `ZCALLRECORD` has one row per call:
//!   `ZADDRESS` (text, or a blob holding the UTF-8 text on iOS 8-10), `ZDATE` (Cocoa seconds),
//!   `ZDURATION` (seconds, float), `ZORIGINATED` (1 = outgoing), `ZANSWERED`, `ZCALLTYPE` (1 phone,
//!   8 FaceTime video, 16 FaceTime audio), `ZSERVICE_PROVIDER` (`com.apple.Telephony`,
//!   `com.apple.FaceTime`, third-party CallKit apps such as `net.whatsapp.WhatsApp`), `ZNAME`,
//!   `ZISO_COUNTRY_CODE`, `ZLOCATION`; newer stores add `ZCALL_CATEGORY` (2 = video) and group
//!   participants through `ZHANDLE` and a `Z_<n>REMOTEPARTICIPANTHANDLES` join table.
//! - before iOS 8: `/private/var/wireless/Library/CallHistory/call_history.db`, table `call`
//!   (`address`, `date` Unix seconds, `duration`, `flags`: bit 0 set = outgoing, bit 4 (16) =
//!   FaceTime; an incoming call with no duration was not answered).
//!
//! iOS records neither "rejected" nor "declined" apart from "not answered": both are `missed`.
use std::collections::BTreeMap;

use super::common::{select_cols, take_image_warnings};
use crate::model::{cocoa_to_unix_ms, Call, Direction, ParseOutput};
use crate::registry::DbInput;
use crate::sqlite::row::{hex, Col, Val};
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::ParseError;

/// Column handles of `ZCALLRECORD`.
pub struct CallRecordCols {
    address: Col,
    date: Col,
    duration: Col,
    originated: Col,
    answered: Col,
    call_type: Col,
    name: Col,
    provider: Col,
    category: Col,
}

impl CallRecordCols {
    pub fn new(t: &TableRows) -> Self {
        CallRecordCols {
            address: t.col("ZADDRESS"),
            date: t.col("ZDATE"),
            duration: t.col("ZDURATION"),
            originated: t.col("ZORIGINATED"),
            answered: t.col("ZANSWERED"),
            call_type: t.col("ZCALLTYPE"),
            name: t.col("ZNAME"),
            provider: t.col("ZSERVICE_PROVIDER"),
            category: t.col("ZCALL_CATEGORY"),
        }
    }
}

/// ZADDRESS as text: text as is; a blob decoded as UTF-8 (lossily, with a warning, if it is not).
fn address_text(v: &Val) -> (Option<String>, Option<String>) {
    match v {
        Val::Blob(b) => match std::str::from_utf8(b) {
            Ok(s) => (Some(s.trim_end_matches('\0').to_string()), None),
            Err(_) => (
                Some(String::from_utf8_lossy(b).into_owned()),
                Some(format!("ZADDRESS blob is not UTF-8 (hex {})", hex(b))),
            ),
        },
        Val::BadText(b) => (
            v.as_text(),
            Some(format!("ZADDRESS is not UTF-8 (hex {})", hex(b))),
        ),
        _ => (v.as_text().filter(|s| !s.is_empty()), None),
    }
}

/// Map one `ZCALLRECORD` row. `participants` are the remote participant handles of the call.
pub fn map_call_record(
    r: &RowData,
    c: &CallRecordCols,
    participants: &[String],
) -> (Call, Option<String>) {
    let mut call = Call::new(r.origin("ZCALLRECORD"), "ios_callhistory");
    let (addr, warn) = address_text(r.get(c.address));
    call.timestamp_ms = r.f64(c.date).and_then(cocoa_to_unix_ms);
    call.duration_s = r.f64(c.duration).map(|d| d.round() as i64);
    call.direction = match (r.bool(c.originated), r.bool(c.answered)) {
        (Some(true), _) => Direction::Outgoing,
        (Some(false), Some(false)) => Direction::Missed,
        (Some(false), _) => Direction::Incoming,
        (None, _) => Direction::Unknown,
    };
    let ct = r.i64(c.call_type);
    call.video = ct == Some(8) || r.i64(c.category) == Some(2);
    let provider = r.text_nonempty(c.provider);
    call.type_raw = match (ct, &provider) {
        (Some(t), Some(p)) => Some(format!("{t}/{p}")),
        (Some(t), None) => Some(t.to_string()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    };
    call.name = r.text_nonempty(c.name);
    call.number_raw = addr.or_else(|| participants.first().cloned());
    call.participants_raw = participants
        .iter()
        .filter(|p| Some(*p) != call.number_raw.as_ref())
        .cloned()
        .collect();
    let warn = warn.map(|w| format!("ZCALLRECORD {}: {w}", r.rowid.unwrap_or(-1)));
    (call, warn)
}

/// Remote participants per call, from `ZHANDLE` and the `Z_<n>REMOTEPARTICIPANTHANDLES` join.
fn participants(img: &DbImage, out: &mut ParseOutput) -> BTreeMap<i64, Vec<String>> {
    let mut res: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let tables = img.tables();
    let Some(join) = tables
        .iter()
        .find(|t| t.starts_with("Z_") && t.ends_with("REMOTEPARTICIPANTHANDLES"))
    else {
        return res;
    };
    if !img.has_table("ZHANDLE") {
        out.warn(format!(
            "{join} present but ZHANDLE missing: participants unknown"
        ));
        return res;
    }
    let cols = img.columns(join);
    let call_col = cols.iter().find(|c| c.ends_with("REMOTEPARTICIPANTCALLS"));
    let handle_col = cols
        .iter()
        .find(|c| c.ends_with("REMOTEPARTICIPANTHANDLES"));
    let (Some(cc), Some(hc)) = (call_col, handle_col) else {
        out.warn(format!("{join}: unexpected columns {cols:?}"));
        return res;
    };
    let mut handles = BTreeMap::new();
    if let Ok(t) = select_cols(img, out, "ZHANDLE", &["ZVALUE"], &["ZNORMALIZEDVALUE"]) {
        let (v, n) = (t.col("ZVALUE"), t.col("ZNORMALIZEDVALUE"));
        for r in &t.rows {
            if let (Some(id), Some(s)) =
                (r.rowid, r.text_nonempty(v).or_else(|| r.text_nonempty(n)))
            {
                handles.insert(id, s);
            }
        }
    }
    if let Ok(t) = select_cols(img, out, join, &[cc.as_str(), hc.as_str()], &[]) {
        let (c, h) = (t.col(cc), t.col(hc));
        let mut pairs: Vec<(i64, i64)> = t
            .rows
            .iter()
            .filter_map(|r| Some((r.i64(c)?, r.i64(h)?)))
            .collect();
        pairs.sort_unstable();
        for (call, h) in pairs {
            if let Some(v) = handles.get(&h) {
                res.entry(call).or_default().push(v.clone());
            }
        }
    }
    res
}

/// Parse a CallHistory.storedata (or CallHistoryTemp.storedata).
pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let img = DbImage::open_input(input)?;
    let mut out = ParseOutput::default();
    take_image_warnings(&img, &mut out);
    if !img.has_table("ZCALLRECORD") {
        return Err(ParseError::UnknownSchema(format!(
            "no ZCALLRECORD table in call history store ({})",
            img.schema_summary()
        )));
    }
    let parts = participants(&img, &mut out);
    let t = select_cols(
        &img,
        &mut out,
        "ZCALLRECORD",
        &[
            "ZADDRESS",
            "ZDATE",
            "ZDURATION",
            "ZORIGINATED",
            "ZANSWERED",
            "ZCALLTYPE",
        ],
        &["ZNAME", "ZSERVICE_PROVIDER", "ZCALL_CATEGORY"],
    )?;
    let c = CallRecordCols::new(&t);
    for r in &t.rows {
        let p = r
            .rowid
            .and_then(|id| parts.get(&id))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (call, w) = map_call_record(r, &c, p);
        out.calls.push(call);
        if let Some(w) = w {
            out.warn(w);
        }
    }
    Ok(out)
}

/// Column handles of the legacy `call` table.
pub struct LegacyCols {
    address: Col,
    date: Col,
    duration: Col,
    flags: Col,
    name: Col,
}

impl LegacyCols {
    pub fn new(t: &TableRows) -> Self {
        LegacyCols {
            address: t.col("address"),
            date: t.col("date"),
            duration: t.col("duration"),
            flags: t.col("flags"),
            name: t.col("name"),
        }
    }
}

/// Map one legacy `call` row.
pub fn map_legacy_call(r: &RowData, c: &LegacyCols) -> Call {
    let mut call = Call::new(r.origin("call"), "ios_callhistory");
    call.number_raw = r.text_nonempty(c.address);
    call.timestamp_ms = r
        .f64(c.date)
        .filter(|d| *d != 0.0)
        .map(|d| (d * 1000.0).round() as i64);
    call.duration_s = r.i64(c.duration);
    let flags = r.i64(c.flags);
    call.type_raw = flags.map(|f| f.to_string());
    call.direction = match flags {
        None => Direction::Unknown,
        Some(f) if f & 1 == 1 => Direction::Outgoing,
        Some(_) if call.duration_s == Some(0) => Direction::Missed,
        Some(_) => Direction::Incoming,
    };
    call.video = flags.is_some_and(|f| f & 16 != 0);
    call.name = r.text_nonempty(c.name);
    call
}

/// Parse a pre-iOS 8 call_history.db.
pub fn parse_legacy(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let img = DbImage::open_input(input)?;
    let mut out = ParseOutput::default();
    take_image_warnings(&img, &mut out);
    if !img.has_table("call") {
        return Err(ParseError::UnknownSchema(format!(
            "no call table in call_history.db ({})",
            img.schema_summary()
        )));
    }
    let t = select_cols(
        &img,
        &mut out,
        "call",
        &["address", "date", "duration", "flags"],
        &["name"],
    )?;
    let c = LegacyCols::new(&t);
    out.calls = t.rows.iter().map(|r| map_legacy_call(r, &c)).collect();
    Ok(out)
}
