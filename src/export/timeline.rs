//! `timeline/`: every timed event of the case in Timesketch's import format.
//!
//! `timeline/timesketch.csv` and `timeline/timesketch.jsonl` hold the same events. Timesketch needs
//! `message`, `datetime` (ISO 8601) and `timestamp_desc`; `timestamp` (microseconds since the
//! epoch) and the extra fields (`data_type`, `exhibit`, `exhibit_id`, `app`, `direction`,
//! `numbers`, `record_state`, `message_id`, `call_id`, `broadcast_id`, `artifact_path`,
//! `source_table`, `source_rowid`) let the analyst filter and go back to the source record.
//!
//! Events: messages (`Message Sent` / `Message Received` / `Message Time` when the direction is
//! unknown), calls (`Call Started`), and campaigns (`Campaign First Message` /
//! `Campaign Last Message`). Records without a time are not events and are left out (they are in
//! the tables). Sorted by time, then by record id.
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::view::{self, parse_iso_ms};
use super::Table;

/// The timeline's columns, in order.
pub const COLUMNS: &[&str] = &[
    "message",
    "datetime",
    "timestamp",
    "timestamp_desc",
    "data_type",
    "exhibit",
    "exhibit_id",
    "app",
    "direction",
    "numbers",
    "record_state",
    "message_id",
    "call_id",
    "broadcast_id",
    "artifact_path",
    "source_table",
    "source_rowid",
];

/// One event, fields in column order (the JSONL object is this struct).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Event {
    pub message: String,
    pub datetime: String,
    /// Microseconds since the epoch.
    pub timestamp: i64,
    pub timestamp_desc: &'static str,
    pub data_type: &'static str,
    pub exhibit: String,
    pub exhibit_id: String,
    pub app: String,
    pub direction: String,
    pub numbers: Vec<String>,
    pub record_state: String,
    pub message_id: String,
    pub call_id: String,
    pub broadcast_id: String,
    pub artifact_path: String,
    pub source_table: String,
    pub source_rowid: Option<i64>,
    /// Sort key: milliseconds, then `id`.
    #[serde(skip)]
    pub ms: i64,
    #[serde(skip)]
    pub id: String,
}

impl Event {
    fn csv_cells(&self) -> [String; 17] {
        [
            self.message.clone(),
            self.datetime.clone(),
            self.timestamp.to_string(),
            self.timestamp_desc.to_string(),
            self.data_type.to_string(),
            self.exhibit.clone(),
            self.exhibit_id.clone(),
            self.app.clone(),
            self.direction.clone(),
            self.numbers.join(";"),
            self.record_state.clone(),
            self.message_id.clone(),
            self.call_id.clone(),
            self.broadcast_id.clone(),
            self.artifact_path.clone(),
            self.source_table.clone(),
            self.source_rowid.map(|r| r.to_string()).unwrap_or_default(),
        ]
    }
}

fn short(s: &str, max: usize) -> String {
    let mut t = String::with_capacity(s.len().min(max * 4));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            t.push('…');
            break;
        }
        t.push(if c.is_control() { ' ' } else { c });
    }
    t
}

/// Build the events from the export tables.
pub fn events(tables: &[Table]) -> Vec<Event> {
    let labels: BTreeMap<String, String> = view::find(tables, "exhibits")
        .map(|v| {
            v.rows()
                .filter_map(|r| Some((r.text("exhibit_id")?, r.s("label"))))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let base = |r: &view::Row, data_type: &'static str, ms: i64, id: String| {
        let ex = r.s("exhibit_id");
        Event {
            data_type,
            exhibit: labels.get(&ex).cloned().unwrap_or_default(),
            exhibit_id: ex,
            app: r.s("app"),
            direction: r.s("direction"),
            record_state: r.s("record_state"),
            artifact_path: r.s("artifact_path"),
            source_table: r.s("source_table"),
            source_rowid: r.int("source_rowid"),
            ms,
            id,
            ..Default::default()
        }
    };
    if let Some(v) = view::find(tables, "messages") {
        for r in v.rows() {
            let Some(t) = r.text("timestamp_utc") else {
                continue;
            };
            let Some(ms) = parse_iso_ms(&t) else { continue };
            let id = r.s("message_id");
            let dir = r.s("direction");
            let from = r
                .text("sender_e164")
                .or_else(|| r.text("sender_raw"))
                .unwrap_or_else(|| if dir == "outgoing" { "(handset)" } else { "?" }.into());
            let mut to = r.list("recipients_e164");
            if to.is_empty() {
                to = r.list("recipients_raw");
            }
            let to_s = if to.is_empty() {
                if dir == "incoming" { "(handset)" } else { "?" }.to_string()
            } else {
                to.join(", ")
            };
            let body = r
                .text("body")
                .map(|b| short(&b, 2000))
                .unwrap_or_else(|| "(no text)".into());
            let mut e = base(&r, "linesift:message", ms, id.clone());
            e.message = format!("[{}] {} -> {}: {}", e.app, from, to_s, body);
            e.timestamp_desc = match dir.as_str() {
                "outgoing" => "Message Sent",
                "incoming" => "Message Received",
                _ => "Message Time",
            };
            e.numbers = r.text("sender_e164").into_iter().collect();
            e.numbers.extend(r.list("recipients_e164"));
            e.message_id = id;
            out.push(e);
        }
    }
    if let Some(v) = view::find(tables, "calls") {
        for r in v.rows() {
            let Some(t) = r.text("timestamp_utc") else {
                continue;
            };
            let Some(ms) = parse_iso_ms(&t) else { continue };
            let id = r.s("call_id");
            let num = r
                .text("number_e164")
                .or_else(|| r.text("number_raw"))
                .unwrap_or_else(|| "(unknown number)".into());
            let dir = r.s("direction");
            let what = match dir.as_str() {
                "outgoing" => format!("outgoing call to {num}"),
                "incoming" => format!("incoming call from {num}"),
                "missed" => format!("missed call from {num}"),
                "rejected" => format!("rejected call from {num}"),
                _ => format!("call with {num}"),
            };
            let dur = r
                .int("duration_s")
                .map(|d| format!(", {d} s"))
                .unwrap_or_default();
            let name = r
                .text("name")
                .map(|n| format!(" ({})", short(&n, 200)))
                .unwrap_or_default();
            let mut e = base(&r, "linesift:call", ms, id.clone());
            e.message = format!("[{}] {what}{name}{dur}", e.app);
            e.timestamp_desc = "Call Started";
            e.numbers = r.text("number_e164").into_iter().collect();
            e.call_id = id;
            out.push(e);
        }
    }
    if let Some(v) = view::find(tables, "broadcasts") {
        for r in v.rows() {
            let id = r.s("broadcast_id");
            let sender = r.s("sender_e164");
            let example = r
                .text("example_body")
                .or_else(|| r.text("template"))
                .map(|b| short(&b, 500))
                .unwrap_or_default();
            let msg = format!(
                "[campaign {}] {} to {} recipients ({} messages): {}",
                r.s("verdict"),
                sender,
                r.int("distinct_recipients").unwrap_or(0),
                r.int("message_count").unwrap_or(0),
                example
            );
            for (col, desc) in [
                ("first_utc", "Campaign First Message"),
                ("last_utc", "Campaign Last Message"),
            ] {
                let Some(ms) = r.text(col).as_deref().and_then(parse_iso_ms) else {
                    continue;
                };
                let mut e = base(&r, "linesift:campaign", ms, format!("{id}/{col}"));
                e.app = String::new();
                e.message = msg.clone();
                e.timestamp_desc = desc;
                e.numbers = if sender.is_empty() {
                    vec![]
                } else {
                    vec![sender.clone()]
                };
                e.broadcast_id = id.clone();
                out.push(e);
            }
        }
    }
    out.sort_by(|a, b| (a.ms, &a.id).cmp(&(b.ms, &b.id)));
    for e in &mut out {
        let iso = linesift_parsers::iso_utc_ms(e.ms);
        e.datetime = match iso.strip_suffix(".000Z") {
            Some(s) => format!("{s}Z"),
            None => iso,
        };
        e.timestamp = e.ms * 1000;
    }
    out
}

/// A CSV field, formula-safe. A list of phone numbers (`+447700900001;+447700900002`: only
/// digits, `+`, `-`, `.`, `;` and spaces) cannot carry a formula and is kept exactly as it is.
fn field(s: &str) -> String {
    let numeric = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | ';' | ' '));
    if numeric && !s.starts_with(' ') && !s.ends_with(' ') {
        s.to_string()
    } else {
        super::csv::field(s)
    }
}

/// The CSV (RFC 4180, formula-safe, CRLF) and JSONL texts.
pub fn render(events: &[Event]) -> (String, String) {
    let mut csv = COLUMNS.join(",");
    csv.push_str("\r\n");
    let mut jsonl = Vec::new();
    for e in events {
        for (i, c) in e.csv_cells().iter().enumerate() {
            if i > 0 {
                csv.push(',');
            }
            csv.push_str(&field(c));
        }
        csv.push_str("\r\n");
        serde_json::to_writer(&mut jsonl, e).expect("serialising an event");
        jsonl.push(b'\n');
    }
    (csv, String::from_utf8(jsonl).expect("JSON is UTF-8"))
}

pub fn write(tables: &[Table], out: &Path) -> Result<Vec<String>> {
    let (csv, jsonl) = render(&events(tables));
    let mut written = Vec::new();
    for (rel, text) in [
        ("timeline/timesketch.csv", csv),
        ("timeline/timesketch.jsonl", jsonl),
    ] {
        crate::evidence::write_atomic(&out.join(rel), text.as_bytes())?;
        written.push(rel.to_string());
    }
    Ok(written)
}
