//! The output tables keep the contract's column names (../shared/DESIGN.md), and docs/schema.md
//! documents every column of every table that linesift writes.
mod common;

use std::collections::BTreeMap;

/// The contract's key columns per table (DESIGN.md, "Output folder").
const CONTRACT: &[(&str, &[&str])] = &[
    (
        "exhibits",
        &[
            "exhibit_id",
            "label",
            "path",
            "container",
            "size",
            "sha256",
            "sha1",
            "md5",
            "os",
            "owner_numbers",
        ],
    ),
    (
        "artifacts",
        &[
            "artifact_id",
            "exhibit_id",
            "path",
            "parser",
            "size",
            "sha256",
            "status",
            "detail",
        ],
    ),
    (
        "messages",
        &[
            "message_id",
            "exhibit_id",
            "app",
            "direction",
            "timestamp_utc",
            "sender_raw",
            "sender_e164",
            "recipients_e164",
            "thread_id",
            "body",
            "record_state",
            "artifact_path",
            "artifact_sha256",
            "source_table",
            "source_rowid",
            "source_offset",
        ],
    ),
    (
        "contacts",
        &[
            "contact_id",
            "exhibit_id",
            "app",
            "display_name",
            "number_raw",
            "number_e164",
            "record_state",
            "artifact_path",
            "artifact_sha256",
            "source_table",
            "source_rowid",
            "source_offset",
        ],
    ),
    (
        "calls",
        &[
            "call_id",
            "exhibit_id",
            "app",
            "direction",
            "timestamp_utc",
            "duration_s",
            "number_raw",
            "number_e164",
            "record_state",
            "artifact_path",
            "artifact_sha256",
            "source_table",
            "source_rowid",
            "source_offset",
        ],
    ),
];

/// Column names per table as written to case.sqlite by a real run.
fn sqlite_columns() -> BTreeMap<String, Vec<String>> {
    let t = common::tmp();
    let z = common::zip_bytes(&[(b"Dump/data/media/0/a.txt", b"x", false)]);
    let ex = common::write(t.path(), "EXH.zip", &z);
    let out = t.path().join("case");
    let o = common::linesift(&[
        "process",
        ex.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(common::code(&o) <= 1);
    // Our own output database, opened by SQLite: it is not evidence.
    let c = rusqlite::Connection::open(out.join("case.sqlite")).unwrap();
    let mut tables = BTreeMap::new();
    let names: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for n in names {
        let cols: Vec<String> = c
            .prepare(&format!("PRAGMA table_info(\"{n}\")"))
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables.insert(n, cols);
    }
    tables
}

#[test]
fn case_sqlite_has_the_contract_columns() {
    let tables = sqlite_columns();
    for (table, cols) in CONTRACT {
        let have = tables
            .get(*table)
            .unwrap_or_else(|| panic!("table {table} missing"));
        for c in *cols {
            assert!(have.iter().any(|h| h == c), "{table}.{c} missing: {have:?}");
        }
    }
}

#[test]
fn docs_schema_documents_every_column() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/schema.md")).unwrap();
    // Sections start with "## <table>".
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    let mut cur = String::new();
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            cur = h.trim().trim_matches('`').to_string();
        } else {
            sections.entry(cur.clone()).or_default().push_str(line);
        }
    }
    for (table, cols) in sqlite_columns() {
        let sec = sections
            .get(&table)
            .unwrap_or_else(|| panic!("docs/schema.md has no section for {table}"));
        for c in cols {
            assert!(
                sec.contains(&format!("`{c}`")),
                "docs/schema.md: {table}.{c} undocumented"
            );
        }
    }
}
