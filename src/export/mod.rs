//! Export: the case as tables, written to `case.sqlite`, `csv/` and `jsonl/` (and, as they land,
//! graphs and the report). Every table is built once ([`tables::build`]) and written by each
//! writer, so the formats always agree.
pub mod csv;
pub mod graph;
pub mod jsonl;
pub mod report;
pub mod sqlite;
pub mod tables;
pub mod timeline;
pub mod view;

use std::path::Path;

use anyhow::Result;

use crate::case::Case;

/// One cell. `List` is multi-valued: joined with `;` in CSV and SQLite, an array in JSONL.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    List(Vec<String>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map(|s| Cell::Text(s.into())).unwrap_or(Cell::Null)
    }
    pub fn opt_int(v: Option<i64>) -> Cell {
        v.map(Cell::Int).unwrap_or(Cell::Null)
    }
    /// The cell as flat text (`None` for NULL).
    pub fn flat(&self) -> Option<String> {
        match self {
            Cell::Null => None,
            Cell::Int(i) => Some(i.to_string()),
            Cell::Real(f) => Some(f.to_string()),
            Cell::Text(s) => Some(s.clone()),
            Cell::List(v) => Some(v.join(";")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
    Real,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<(&'static str, ColType)>,
    /// Primary key column.
    pub key: Option<&'static str>,
    /// Columns to index in case.sqlite.
    pub indexes: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Write every output; returns the output-relative paths written.
pub fn write_all(case: &Case, out: &Path, meta: &report::ReportMeta) -> Result<Vec<String>> {
    let tables = tables::build(case);
    let mut written = Vec::new();
    written.push(sqlite::write(&tables, out)?);
    written.extend(csv::write(&tables, out)?);
    written.extend(jsonl::write(&tables, out)?);
    written.extend(tables::write_file_lists(case, out)?);
    written.extend(graph::write(&tables, out)?);
    written.extend(timeline::write(&tables, out)?);
    written.extend(report::write(&tables, out, meta)?);
    Ok(written)
}
