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
use serde_json::{Map, Value};

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

/// One event: its sort key and its fields (by column name; `numbers` is a list).
#[derive(Debug, Clone)]
pub struct Event {
    pub ms: i64,
    pub id: String,
    pub fields: BTreeMap<&'static str, Value>,
}

fn short(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > max {
        let mut t: String = one_line.chars().take(max).collect();
        t.push('…');
        t
    } else {
        one_line
    }
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
    let base = |r: &view::Row, data_type: &str| {
        let mut f: BTreeMap<&'static str, Value> = BTreeMap::new();
        let ex = r.s("exhibit_id");
        f.insert("data_type", data_type.into());
        f.insert(
            "exhibit",
            labels.get(&ex).cloned().unwrap_or_default().into(),
        );
        f.insert("exhibit_id", ex.into());
        for c in [
            "app",
            "direction",
            "record_state",
            "artifact_path",
            "source_table",
        ] {
            f.insert(c, r.s(c).into());
        }
        f.insert(
            "source_rowid",
            r.int("source_rowid")
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        f
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
            let mut f = base(&r, "linesift:message");
            f.insert(
                "message",
                format!("[{}] {} -> {}: {}", r.s("app"), from, to_s, body).into(),
            );
            f.insert(
                "timestamp_desc",
                match dir.as_str() {
                    "outgoing" => "Message Sent",
                    "incoming" => "Message Received",
                    _ => "Message Time",
                }
                .into(),
            );
            let mut nums: Vec<String> = r.text("sender_e164").into_iter().collect();
            nums.extend(r.list("recipients_e164"));
            f.insert("numbers", nums.into());
            f.insert("message_id", id.clone().into());
            out.push(Event { ms, id, fields: f });
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
            let mut f = base(&r, "linesift:call");
            f.insert(
                "message",
                format!("[{}] {what}{name}{dur}", r.s("app")).into(),
            );
            f.insert("timestamp_desc", "Call Started".into());
            f.insert(
                "numbers",
                r.text("number_e164").into_iter().collect::<Vec<_>>().into(),
            );
            f.insert("call_id", id.clone().into());
            out.push(Event { ms, id, fields: f });
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
                let mut f = base(&r, "linesift:campaign");
                f.insert("app", "".into());
                f.insert("message", msg.clone().into());
                f.insert("timestamp_desc", desc.into());
                f.insert(
                    "numbers",
                    (if sender.is_empty() {
                        vec![]
                    } else {
                        vec![sender.clone()]
                    })
                    .into(),
                );
                f.insert("broadcast_id", id.clone().into());
                out.push(Event {
                    ms,
                    id: format!("{id}/{col}"),
                    fields: f,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.ms, &a.id).cmp(&(b.ms, &b.id)));
    for e in &mut out {
        e.fields.insert(
            "datetime",
            linesift_parsers::iso_utc_ms(e.ms)
                .replace(".000Z", "Z")
                .into(),
        );
        e.fields.insert("timestamp", Value::from(e.ms * 1000));
    }
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
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
    let mut jsonl = String::new();
    for e in events {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|c| field(&e.fields.get(c).map(value_text).unwrap_or_default()))
            .collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
        let mut m = Map::new();
        for c in COLUMNS {
            m.insert(
                (*c).to_string(),
                e.fields.get(c).cloned().unwrap_or(Value::from("")),
            );
        }
        jsonl.push_str(&Value::Object(m).to_string());
        jsonl.push('\n');
    }
    (csv, jsonl)
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
