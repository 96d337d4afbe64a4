//! `case.sqlite`: every table with its primary key and indexes. Built in a temp file inside the
//! output folder and renamed when complete. (This is our own output database, never evidence.)
use std::path::Path;

use anyhow::Result;
use rusqlite::{params_from_iter, Connection};

use super::{Cell, ColType, Table};

fn sql_type(t: ColType) -> &'static str {
    match t {
        ColType::Text => "TEXT",
        ColType::Int => "INTEGER",
        ColType::Real => "REAL",
    }
}

pub fn write(tables: &[Table], out: &Path) -> Result<String> {
    let dest = out.join("case.sqlite");
    let tmp = crate::evidence::partial_name(&dest);
    let _ = std::fs::remove_file(&tmp);
    {
        let mut conn = Connection::open(&tmp)?;
        conn.execute_batch(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;",
        )?;
        for t in tables {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|(c, ty)| {
                    let pk = if Some(*c) == t.key {
                        " PRIMARY KEY"
                    } else {
                        ""
                    };
                    format!("\"{c}\" {}{pk}", sql_type(*ty))
                })
                .collect();
            conn.execute_batch(&format!(
                "CREATE TABLE \"{}\" ({});",
                t.name,
                cols.join(", ")
            ))?;
            let tx = conn.transaction()?;
            {
                let ph: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
                let mut stmt = tx.prepare(&format!(
                    "INSERT INTO \"{}\" VALUES ({})",
                    t.name,
                    ph.join(", ")
                ))?;
                for row in &t.rows {
                    let vals = row.iter().map(|c| match c {
                        Cell::Null => rusqlite::types::Value::Null,
                        Cell::Int(i) => rusqlite::types::Value::Integer(*i),
                        Cell::Real(f) => rusqlite::types::Value::Real(*f),
                        Cell::Text(s) => rusqlite::types::Value::Text(s.clone()),
                        Cell::List(v) => rusqlite::types::Value::Text(v.join(";")),
                    });
                    stmt.execute(params_from_iter(vals))?;
                }
            }
            tx.commit()?;
            for ix in &t.indexes {
                conn.execute_batch(&format!(
                    "CREATE INDEX \"ix_{0}_{1}\" ON \"{0}\" (\"{1}\");",
                    t.name, ix
                ))?;
            }
        }
        super::tables::create_views(&conn)?;
        conn.execute_batch("VACUUM;")?;
    }
    std::fs::rename(&tmp, &dest)?;
    Ok("case.sqlite".to_string())
}
