//! The output contract's tables, built from the case. Column names are the contract's
//! (`../shared/DESIGN.md`, `docs/schema.md`); extra columns come after the contract's ones.
use std::path::Path;

use anyhow::Result;
use linesift_parsers::iso_utc_ms;

use super::{Cell, ColType, Table};
use crate::case::{ArtifactRec, Case};

use ColType::{Int, Text};

fn ts(ms: Option<i64>) -> Cell {
    ms.map(|m| Cell::Text(iso_utc_ms(m))).unwrap_or(Cell::Null)
}

/// The provenance columns every record table ends with.
const PROV: &[(&str, ColType)] = &[
    ("record_state", Text),
    ("artifact_path", Text),
    ("artifact_sha256", Text),
    ("source_table", Text),
    ("source_rowid", Int),
    ("source_offset", Int),
    ("source_detail", Text),
    ("parser", Text),
];

fn prov(case: &Case, art: usize, o: &linesift_parsers::Origin) -> Vec<Cell> {
    let a: &ArtifactRec = &case.artifacts[art];
    vec![
        Cell::text(o.state.as_str()),
        Cell::text(&a.path),
        Cell::text(&a.sha256),
        Cell::text(&o.table),
        Cell::opt_int(o.rowid),
        Cell::opt_int(o.offset.map(|x| x as i64)),
        Cell::opt(o.detail.clone()),
        Cell::text(&a.parser),
    ]
}

fn cols(base: &[(&'static str, ColType)], with_prov: bool) -> Vec<(&'static str, ColType)> {
    let mut v = base.to_vec();
    if with_prov {
        v.extend_from_slice(PROV);
    }
    v
}

pub fn build(case: &Case) -> Vec<Table> {
    let ex_id = |i: usize| Cell::text(&case.exhibits[i].exhibit_id);
    let mut tables = Vec::new();

    tables.push(Table {
        name: "exhibits",
        columns: vec![
            ("exhibit_id", Text),
            ("label", Text),
            ("path", Text),
            ("container", Text),
            ("size", Int),
            ("sha256", Text),
            ("sha1", Text),
            ("md5", Text),
            ("os", Text),
            ("owner_numbers", Text),
            ("entry_count", Int),
            ("status", Text),
            ("duplicate_of", Text),
            ("problems", Text),
        ],
        key: Some("exhibit_id"),
        indexes: vec![],
        rows: case
            .exhibits
            .iter()
            .map(|e| {
                vec![
                    Cell::text(&e.exhibit_id),
                    Cell::text(&e.label),
                    Cell::text(&e.path),
                    Cell::text(&e.container),
                    Cell::Int(e.size as i64),
                    Cell::text(&e.digests.sha256),
                    Cell::opt(e.digests.sha1.clone()),
                    Cell::opt(e.digests.md5.clone()),
                    Cell::text(&e.os),
                    Cell::List(e.owner_numbers.iter().map(|(n, _)| n.clone()).collect()),
                    Cell::Int(e.entry_count as i64),
                    Cell::text(&e.status),
                    Cell::opt(e.duplicate_of.clone()),
                    Cell::List(e.problems.clone()),
                ]
            })
            .collect(),
    });

    tables.push(Table {
        name: "artifacts",
        columns: vec![
            ("artifact_id", Text),
            ("exhibit_id", Text),
            ("path", Text),
            ("parser", Text),
            ("size", Int),
            ("sha256", Text),
            ("status", Text),
            ("detail", Text),
            ("device_path", Text),
            ("wal_path", Text),
            ("wal_sha256", Text),
            ("journal_path", Text),
            ("journal_sha256", Text),
            ("also_at", Text),
            ("records", Int),
            ("table_counts", Text),
            ("warnings", Text),
        ],
        key: Some("artifact_id"),
        indexes: vec!["exhibit_id"],
        rows: case
            .artifacts
            .iter()
            .map(|a| {
                vec![
                    Cell::text(&a.artifact_id),
                    ex_id(a.exhibit),
                    Cell::text(&a.path),
                    Cell::text(&a.parser),
                    Cell::Int(a.size as i64),
                    Cell::text(&a.sha256),
                    Cell::text(&a.status),
                    Cell::text(&a.detail),
                    Cell::text(&a.device_path),
                    Cell::opt(a.wal.as_ref().map(|w| w.path.clone())),
                    Cell::opt(a.wal.as_ref().map(|w| w.sha256.clone())),
                    Cell::opt(a.journal.as_ref().map(|w| w.path.clone())),
                    Cell::opt(a.journal.as_ref().map(|w| w.sha256.clone())),
                    Cell::List(a.also_at.clone()),
                    Cell::Int(a.records as i64),
                    Cell::List(
                        a.table_counts
                            .iter()
                            .map(|(t, n)| format!("{t}={n}"))
                            .collect(),
                    ),
                    Cell::List(a.warnings.iter().map(|w| w.message.clone()).collect()),
                ]
            })
            .collect(),
    });

    let msg_base: &[(&str, ColType)] = &[
        ("message_id", Text),
        ("exhibit_id", Text),
        ("app", Text),
        ("direction", Text),
        ("timestamp_utc", Text),
        ("sender_raw", Text),
        ("sender_e164", Text),
        ("recipients_raw", Text),
        ("recipients_e164", Text),
        ("thread_id", Text),
        ("thread_name", Text),
        ("body", Text),
        ("body_raw_hex", Text),
        ("body_numbers_e164", Text),
        ("service", Text),
        ("read", Int),
        ("attachments", Text),
        ("flags", Text),
        ("duplicate_of", Text),
    ];
    tables.push(Table {
        name: "messages",
        columns: cols(msg_base, true),
        key: Some("message_id"),
        indexes: vec!["exhibit_id", "sender_e164", "timestamp_utc", "thread_id"],
        rows: case
            .messages
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let m = &r.rec;
                let n = case.message_numbers.get(i).cloned().unwrap_or_default();
                let attachments = if m.attachments.is_empty() {
                    Cell::Null
                } else {
                    Cell::Text(serde_json::to_string(&m.attachments).unwrap_or_default())
                };
                let mut row = vec![
                    Cell::text(&r.id),
                    ex_id(r.exhibit),
                    Cell::text(m.app),
                    Cell::text(m.direction.as_str()),
                    ts(m.timestamp_ms),
                    Cell::opt(m.sender_raw.clone()),
                    Cell::opt(n.sender_e164),
                    Cell::List(m.recipients_raw.clone()),
                    Cell::List(n.recipients_e164),
                    Cell::opt(m.thread_id.clone()),
                    Cell::opt(m.thread_name.clone()),
                    Cell::opt(m.body.clone()),
                    Cell::opt(m.body_raw_hex.clone()),
                    Cell::List(n.body_numbers),
                    Cell::opt(m.service.clone()),
                    Cell::opt_int(m.read.map(i64::from)),
                    attachments,
                    Cell::List(m.flags.clone()),
                    Cell::opt(case.message_duplicate_of.get(i).cloned().flatten()),
                ];
                row.extend(prov(case, r.artifact, &m.origin));
                row
            })
            .collect(),
    });

    let contact_base: &[(&str, ColType)] = &[
        ("contact_id", Text),
        ("exhibit_id", Text),
        ("app", Text),
        ("display_name", Text),
        ("number_raw", Text),
        ("number_e164", Text),
        ("value_kind", Text),
        ("label", Text),
        ("account", Text),
        ("contact_key", Text),
    ];
    tables.push(Table {
        name: "contacts",
        columns: cols(contact_base, true),
        key: Some("contact_id"),
        indexes: vec!["exhibit_id", "number_e164"],
        rows: case
            .contacts
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let c = &r.rec;
                let mut row = vec![
                    Cell::text(&r.id),
                    ex_id(r.exhibit),
                    Cell::text(c.app),
                    Cell::opt(c.display_name.clone()),
                    Cell::opt(c.number_raw.clone()),
                    Cell::opt(case.contact_e164.get(i).cloned().flatten()),
                    Cell::text(c.value_kind),
                    Cell::opt(c.label.clone()),
                    Cell::opt(c.account.clone()),
                    Cell::opt(c.contact_key.clone()),
                ];
                row.extend(prov(case, r.artifact, &c.origin));
                row
            })
            .collect(),
    });

    let call_base: &[(&str, ColType)] = &[
        ("call_id", Text),
        ("exhibit_id", Text),
        ("app", Text),
        ("direction", Text),
        ("timestamp_utc", Text),
        ("duration_s", Int),
        ("number_raw", Text),
        ("number_e164", Text),
        ("name", Text),
        ("type_raw", Text),
        ("video", Int),
        ("account", Text),
        ("participants_raw", Text),
        ("duplicate_of", Text),
    ];
    tables.push(Table {
        name: "calls",
        columns: cols(call_base, true),
        key: Some("call_id"),
        indexes: vec!["exhibit_id", "number_e164", "timestamp_utc"],
        rows: case
            .calls
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let c = &r.rec;
                let mut row = vec![
                    Cell::text(&r.id),
                    ex_id(r.exhibit),
                    Cell::text(c.app),
                    Cell::text(c.direction.as_str()),
                    ts(c.timestamp_ms),
                    Cell::opt_int(c.duration_s),
                    Cell::opt(c.number_raw.clone()),
                    Cell::opt(case.call_e164.get(i).cloned().flatten()),
                    Cell::opt(c.name.clone()),
                    Cell::opt(c.type_raw.clone()),
                    Cell::Int(c.video as i64),
                    Cell::opt(c.account.clone()),
                    Cell::List(c.participants_raw.clone()),
                    Cell::opt(case.call_duplicate_of.get(i).cloned().flatten()),
                ];
                row.extend(prov(case, r.artifact, &c.origin));
                row
            })
            .collect(),
    });

    let num_cols: Vec<(&'static str, ColType)> = vec![
        ("number_e164", Text),
        ("exhibit_count", Int),
        ("exhibit_id", Text),
        ("names_saved", Text),
        ("message_count", Int),
        ("call_count", Int),
        ("first_utc", Text),
        ("last_utc", Text),
        ("kind", Text),
        ("is_owner", Int),
        ("contact_count", Int),
        ("record_states", Text),
    ];
    let num_row = |r: &crate::analysis::people::NumberRow| {
        vec![
            Cell::text(&r.number_e164),
            Cell::Int(r.exhibit_count as i64),
            ex_id(r.exhibit),
            Cell::List(r.names_saved.clone()),
            Cell::Int(r.message_count as i64),
            Cell::Int(r.call_count as i64),
            Cell::opt(r.first_utc()),
            Cell::opt(r.last_utc()),
            Cell::text(&r.kind),
            Cell::Int(r.is_owner as i64),
            Cell::Int(r.contact_count as i64),
            Cell::List(r.record_states.clone()),
        ]
    };
    tables.push(Table {
        name: "numbers",
        columns: num_cols.clone(),
        key: None,
        indexes: vec!["number_e164", "exhibit_id"],
        rows: case.numbers.iter().map(num_row).collect(),
    });
    tables.push(Table {
        name: "shared_numbers",
        columns: num_cols,
        key: None,
        indexes: vec!["number_e164", "exhibit_id"],
        rows: case
            .numbers
            .iter()
            .filter(|r| r.exhibit_count >= 2)
            .map(num_row)
            .collect(),
    });
    tables.push(Table {
        name: "owner_numbers",
        columns: vec![("exhibit_id", Text), ("number", Text), ("how", Text)],
        key: None,
        indexes: vec![],
        rows: case
            .exhibits
            .iter()
            .flat_map(|e| {
                e.owner_numbers
                    .iter()
                    .map(|(n, how)| vec![Cell::text(&e.exhibit_id), Cell::text(n), Cell::text(how)])
            })
            .collect(),
    });

    let d = &case.dealline;
    tables.push(Table {
        name: "broadcasts",
        columns: vec![
            ("broadcast_id", Text),
            ("exhibit_id", Text),
            ("sender_e164", Text),
            ("direction", Text),
            ("verdict", Text),
            ("score", ColType::Real),
            ("template", Text),
            ("example_body", Text),
            ("message_count", Int),
            ("distinct_recipients", Int),
            ("first_utc", Text),
            ("last_utc", Text),
            ("reasons", Text),
            ("bursts", Int),
            ("recipients_per_burst", ColType::Real),
            ("episodes_per_day", ColType::Real),
            ("active_days", Int),
            ("variants", Int),
        ],
        key: Some("broadcast_id"),
        indexes: vec!["sender_e164", "verdict"],
        rows: d
            .broadcasts
            .iter()
            .map(|b| {
                vec![
                    Cell::text(&b.broadcast_id),
                    Cell::List(b.exhibit_ids.clone()),
                    Cell::text(&b.sender_e164),
                    Cell::text(&b.direction),
                    Cell::text(b.verdict.as_str()),
                    Cell::Real(b.score),
                    Cell::text(&b.template),
                    Cell::text(&b.example_body),
                    Cell::Int(b.message_count as i64),
                    Cell::Int(b.distinct_recipients as i64),
                    ts(b.first_ms),
                    ts(b.last_ms),
                    Cell::List(b.reasons.clone()),
                    Cell::Int(b.bursts as i64),
                    Cell::Real(b.recipients_per_burst),
                    Cell::Real(b.episodes_per_day),
                    Cell::Int(b.active_days as i64),
                    Cell::Int(b.variants as i64),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        name: "broadcast_messages",
        columns: vec![("broadcast_id", Text), ("message_id", Text)],
        key: None,
        indexes: vec!["broadcast_id", "message_id"],
        rows: case
            .broadcast_message_ids
            .iter()
            .map(|(b, m)| vec![Cell::text(b), Cell::text(m)])
            .collect(),
    });
    tables.push(Table {
        name: "line_links",
        columns: vec![
            ("from_e164", Text),
            ("to_e164", Text),
            ("kind", Text),
            ("strength", ColType::Real),
            ("first_utc", Text),
            ("last_utc", Text),
            ("evidence", Text),
            ("explanation", Text),
        ],
        key: None,
        indexes: vec!["from_e164", "to_e164"],
        rows: d
            .line_links
            .iter()
            .map(|l| {
                vec![
                    Cell::text(&l.from_e164),
                    Cell::text(&l.to_e164),
                    Cell::text(l.kind.as_str()),
                    Cell::Real(l.strength),
                    ts(l.first_ms),
                    ts(l.last_ms),
                    Cell::List(l.evidence.clone()),
                    Cell::text(&l.explanation),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        name: "lines",
        columns: vec![
            ("line_id", Text),
            ("name", Text),
            ("numbers", Text),
            ("first_utc", Text),
            ("last_utc", Text),
            ("broadcast_ids", Text),
        ],
        key: Some("line_id"),
        indexes: vec![],
        rows: d
            .lines
            .iter()
            .map(|l| {
                vec![
                    Cell::text(&l.line_id),
                    Cell::opt(l.name.clone()),
                    Cell::List(l.numbers.clone()),
                    ts(l.first_ms),
                    ts(l.last_ms),
                    Cell::List(l.broadcast_ids.clone()),
                ]
            })
            .collect(),
    });

    tables.push(Table {
        name: "problems",
        columns: vec![
            ("severity", Text),
            ("exhibit", Text),
            ("file", Text),
            ("offset", Int),
            ("reason", Text),
        ],
        key: None,
        indexes: vec![],
        rows: case
            .problems
            .iter()
            .map(|p| {
                vec![
                    Cell::text(p.severity),
                    Cell::text(&p.exhibit),
                    Cell::opt(p.file.clone()),
                    Cell::opt_int(p.offset.map(|o| o as i64)),
                    Cell::text(&p.reason),
                ]
            })
            .collect(),
    });
    tables
}

/// Views for the common questions (only over tables that exist).
pub fn create_views(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE VIEW v_number_names AS
           SELECT c.number_e164, e.label AS exhibit, c.display_name, c.app, c.record_state
           FROM contacts c JOIN exhibits e USING (exhibit_id)
           WHERE c.number_e164 IS NOT NULL;
         CREATE VIEW v_messages_by_number AS
           SELECT m.sender_e164 AS number_e164, m.* FROM messages m WHERE m.sender_e164 IS NOT NULL;
         CREATE VIEW v_shared_number_names AS
           SELECT s.number_e164, s.exhibit_count, e.label AS exhibit, s.names_saved, s.message_count, s.call_count
           FROM shared_numbers s JOIN exhibits e USING (exhibit_id)
           ORDER BY s.exhibit_count DESC, s.number_e164;",
    )
}

/// `hashes/<exhibit_id>.sha256` for folder exhibits (the per-file hash list behind the digest).
pub fn write_file_lists(case: &Case, out: &Path) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for e in &case.exhibits {
        if let (Some(list), Some(rel)) = (&e.file_list, &e.file_list_path) {
            let text = crate::ingest::folder::file_list_text(list);
            crate::evidence::write_atomic(&out.join(rel), text.as_bytes())?;
            written.push(rel.clone());
        }
    }
    Ok(written)
}
