//! Samsung `logs.db` (`com.sec.android.provider.logsprovider`): Samsung's unified log of calls
//! and messages, the data behind the Samsung Phone app's "recent" list on TouchWiz-era and later
//! handsets. The `logs` table has the call-log columns (`number`, `date` ms, `duration`, `type`
//! 1 incoming / 2 outgoing / 3 missed / 5 rejected / 6 blocked, `name`) plus `logtype`:
//! 100 call, 200 MMS, 300 SMS, 400 email (500 is read as a message by some public queries and as a
//! cancelled call by others, so it is not guessed at); message rows carry the text in
//! `m_content` (and an MMS subject in `m_subject`). Calls come out as `samsung_logs` calls,
//! SMS/MMS rows as `sms`/`mms` messages flagged `log_copy` (the full message is in mmssms.db);
//! rows of other log types are counted in a warning.
use std::collections::BTreeMap;

use super::calllog::call_direction;
use super::{open, require_any};
use crate::registry::DbInput;
use crate::sqlite::row::Col;
use crate::sqlite::{RowData, TableRows};
use crate::{Call, Direction, Message, ParseError, ParseOutput};

pub const LOG_COLS: &[&str] = &[
    "logtype",
    "number",
    "date",
    "duration",
    "type",
    "name",
    "m_content",
    "m_subject",
    "features",
];

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["logs"])?;
    let present = img.columns("logs");
    // `features` (video bit) exists only on later versions; ask for it only then.
    let cols: Vec<&str> = LOG_COLS
        .iter()
        .copied()
        .filter(|c| *c != "features" || present.iter().any(|p| p == "features"))
        .collect();
    let t = img.select_warn(&mut out, "logs", &cols)?;
    let c = LogCols::new(&t);
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    for r in &t.rows {
        match log_row(r, &c, "logs") {
            LogRecord::Call(call) => out.calls.push(call),
            LogRecord::Message(m) => out.messages.push(m),
            LogRecord::Other(lt) => *other.entry(lt).or_default() += 1,
        }
    }
    for (lt, n) in other {
        out.warn(format!(
            "logs: {n} rows of logtype {lt} (not a call, SMS or MMS) were not output"
        ));
    }
    Ok(out)
}

/// Column handles of a `logs` read.
pub struct LogCols {
    logtype: Col,
    number: Col,
    date: Col,
    duration: Col,
    type_: Col,
    name: Col,
    content: Col,
    subject: Col,
    features: Col,
}

impl LogCols {
    pub fn new(t: &TableRows) -> Self {
        LogCols {
            logtype: t.col("logtype"),
            number: t.col("number"),
            date: t.col("date"),
            duration: t.col("duration"),
            type_: t.col("type"),
            name: t.col("name"),
            content: t.col("m_content"),
            subject: t.col("m_subject"),
            features: t.col("features"),
        }
    }
}

/// What one `logs` row is.
#[derive(Debug, Clone, PartialEq)]
pub enum LogRecord {
    Call(Call),
    Message(Message),
    /// Another log type (kept as its text for the warning).
    Other(String),
}

/// Map one `logs` row.
pub fn log_row(r: &RowData, c: &LogCols, table: &str) -> LogRecord {
    let logtype = r.i64(c.logtype);
    let ts = r.i64(c.date).filter(|&d| d > 0);
    let number = r.text_nonempty(c.number);
    match logtype {
        Some(100) => {
            let mut call = Call::new(r.origin(table), "samsung_logs");
            call.direction = call_direction(r.i64(c.type_));
            call.type_raw = r.text(c.type_);
            call.timestamp_ms = ts;
            call.duration_s = r.i64(c.duration);
            call.number_raw = number;
            call.name = r.text_nonempty(c.name);
            call.video = r.i64(c.features).is_some_and(|f| f & 1 != 0);
            LogRecord::Call(call)
        }
        Some(lt @ (200 | 300)) => {
            let (app, service) = if lt == 200 {
                ("mms", "MMS")
            } else {
                ("sms", "SMS")
            };
            let mut m = Message::new(r.origin(table), app);
            m.service = Some(service.into());
            m.timestamp_ms = ts;
            m.direction = match r.i64(c.type_) {
                Some(1) => Direction::Incoming,
                Some(2) => Direction::Outgoing,
                _ => Direction::Unknown,
            };
            match m.direction {
                Direction::Outgoing => m.recipients_raw = number.into_iter().collect(),
                _ => m.sender_raw = number,
            }
            let body = r.get(c.content);
            m.body = body.as_text().or_else(|| r.text_nonempty(c.subject));
            m.body_raw_hex = body.bad_text_hex();
            m.flags.push("log_copy".into());
            LogRecord::Message(m)
        }
        other => LogRecord::Other(
            other
                .map(|v| v.to_string())
                .unwrap_or_else(|| "NULL".into()),
        ),
    }
}
