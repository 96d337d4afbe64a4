//! `jsonl/<table>.jsonl`: one JSON object per row, keys in column order.
use std::path::Path;

use anyhow::Result;
use serde_json::{Map, Value};

use super::{Cell, Table};

pub fn row_json(t: &Table, row: &[Cell]) -> Value {
    let mut m = Map::new();
    for ((name, _), c) in t.columns.iter().zip(row) {
        let v = match c {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::from(*i),
            Cell::Real(f) => Value::from(*f),
            Cell::Text(s) => Value::from(s.as_str()),
            Cell::List(v) => Value::from(v.clone()),
        };
        m.insert((*name).to_string(), v);
    }
    Value::Object(m)
}

pub fn write(tables: &[Table], out: &Path) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for t in tables {
        let rel = format!("jsonl/{}.jsonl", t.name);
        let mut buf = Vec::new();
        for row in &t.rows {
            serde_json::to_writer(&mut buf, &row_json(t, row))?;
            buf.push(b'\n');
        }
        crate::evidence::write_atomic(&out.join(&rel), &buf)?;
        written.push(rel);
    }
    Ok(written)
}
