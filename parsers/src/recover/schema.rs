//! Table schemas from `CREATE TABLE` statements, for validating carved records.
//!
//! A small tolerant tokenizer, not a SQL parser: it finds the column list, splits it at top-level
//! commas, and reads each column's name, declared type and NOT NULL / PRIMARY KEY constraints.
//! Column affinity follows SQLite's rules (section 3.1 of "Datatypes in SQLite").

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

impl Affinity {
    pub fn of_decl(decl: &str) -> Affinity {
        let d = decl.to_ascii_uppercase();
        if d.contains("INT") {
            Affinity::Integer
        } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
            Affinity::Text
        } else if d.contains("BLOB") || d.trim().is_empty() {
            Affinity::Blob
        } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub decl: String,
    pub affinity: Affinity,
    pub not_null: bool,
    /// `INTEGER PRIMARY KEY`: an alias of the rowid, stored as NULL in the record.
    pub rowid_alias: bool,
}

#[derive(Debug, Clone)]
pub struct TableSchema {
    pub name: String,
    pub root: u32,
    pub cols: Vec<Column>,
    pub without_rowid: bool,
    /// The schema came from a deleted `sqlite_master` record (a dropped table).
    pub dropped: bool,
}

impl TableSchema {
    pub fn col_index(&self, name: &str) -> Option<usize> {
        self.cols
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// Tokens of a SQL fragment: identifiers/keywords, quoted names, punctuation.
fn tokens(s: &str) -> Vec<String> {
    let b: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && b.get(i + 1) == Some(&'-') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '\'' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            let mut t = String::new();
            t.push('\u{1}'); // marks a quoted token
            i += 1;
            while i < b.len() {
                if b[i] == close {
                    if close != ']' && b.get(i + 1) == Some(&close) {
                        t.push(close);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                t.push(b[i]);
                i += 1;
            }
            out.push(t);
        } else if c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '+' || c == '-' {
            let mut t = String::new();
            while i < b.len()
                && (b[i].is_alphanumeric()
                    || b[i] == '_'
                    || b[i] == '$'
                    || b[i] == '.'
                    || (t.is_empty() && (b[i] == '+' || b[i] == '-')))
            {
                t.push(b[i]);
                i += 1;
            }
            if t.is_empty() {
                t.push(c);
                i += 1;
            }
            out.push(t);
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn unq(t: &str) -> &str {
    t.strip_prefix('\u{1}').unwrap_or(t)
}

fn kw(t: &str, k: &str) -> bool {
    !t.starts_with('\u{1}') && t.eq_ignore_ascii_case(k)
}

const CONSTRAINT_START: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

/// Parse a `CREATE TABLE` statement. `None` for anything else (views, virtual tables, `AS SELECT`).
pub fn parse_create_table(sql: &str, root: u32) -> Option<TableSchema> {
    let t = tokens(sql);
    let mut i = 0;
    if !kw(t.first()?, "CREATE") {
        return None;
    }
    i += 1;
    while i < t.len() && (kw(&t[i], "TEMP") || kw(&t[i], "TEMPORARY")) {
        i += 1;
    }
    if !kw(t.get(i)?, "TABLE") {
        return None;
    }
    i += 1;
    if kw(t.get(i)?, "IF") {
        i += 3; // IF NOT EXISTS
    }
    let mut name = unq(t.get(i)?).to_string();
    i += 1;
    if t.get(i).map(String::as_str) == Some(".") {
        name = unq(t.get(i + 1)?).to_string();
        i += 2;
    } else if let Some(rest) = name.strip_prefix("main.") {
        name = rest.to_string();
    }
    if t.get(i).map(String::as_str) != Some("(") {
        return None;
    }
    i += 1;
    // Split the body at top-level commas.
    let mut parts: Vec<Vec<String>> = vec![Vec::new()];
    let mut depth = 0usize;
    let mut end = None;
    while i < t.len() {
        let tok = &t[i];
        match tok.as_str() {
            "(" => depth += 1,
            ")" if depth == 0 => {
                end = Some(i);
                break;
            }
            ")" => depth -= 1,
            "," if depth == 0 => {
                parts.push(Vec::new());
                i += 1;
                continue;
            }
            _ => {}
        }
        parts.last_mut()?.push(tok.clone());
        i += 1;
    }
    let end = end?;
    let tail = &t[end + 1..];
    let without_rowid = tail
        .windows(2)
        .any(|w| kw(&w[0], "WITHOUT") && kw(&w[1], "ROWID"));
    let mut cols = Vec::new();
    let mut pk_cols: Vec<String> = Vec::new();
    for p in parts {
        let Some(first) = p.first() else { continue };
        let is_table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| kw(first, k));
        if is_table_constraint {
            if p.iter().any(|x| kw(x, "PRIMARY")) {
                let names: Vec<String> = p
                    .iter()
                    .skip_while(|x| x.as_str() != "(")
                    .skip(1)
                    .take_while(|x| x.as_str() != ")")
                    .filter(|x| x.as_str() != ",")
                    .map(|x| unq(x).to_string())
                    .collect();
                pk_cols = names;
            }
            continue;
        }
        let cname = unq(first).to_string();
        let mut decl = Vec::new();
        let mut j = 1;
        while j < p.len() && !CONSTRAINT_START.iter().any(|k| kw(&p[j], k)) {
            decl.push(unq(&p[j]).to_string());
            j += 1;
        }
        let decl = decl.join(" ");
        let rest = &p[j..];
        let not_null = rest
            .windows(2)
            .any(|w| kw(&w[0], "NOT") && kw(&w[1], "NULL"));
        let pk = rest
            .windows(2)
            .any(|w| kw(&w[0], "PRIMARY") && kw(&w[1], "KEY"));
        let desc = rest.iter().any(|x| kw(x, "DESC"));
        cols.push(Column {
            affinity: Affinity::of_decl(&decl),
            rowid_alias: pk && !desc && decl.eq_ignore_ascii_case("INTEGER"),
            name: cname,
            decl,
            not_null,
        });
    }
    if pk_cols.len() == 1 {
        if let Some(c) = cols
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(&pk_cols[0]))
        {
            if c.decl.eq_ignore_ascii_case("INTEGER") {
                c.rowid_alias = true;
            }
        }
    }
    if without_rowid {
        for c in &mut cols {
            c.rowid_alias = false;
        }
    }
    if cols.is_empty() {
        return None;
    }
    Some(TableSchema {
        name,
        root,
        cols,
        without_rowid,
        dropped: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_constraints() {
        let s = parse_create_table(
            "CREATE TABLE 'users' (\n\t'id' INT UNSIGNED NOT NULL,\n\t\"name\" TEXT NOT NULL, [x y] VARCHAR(20) DEFAULT 'a,b', codeB FLOAT NULL, PRIMARY KEY(id))",
            2,
        )
        .unwrap();
        assert_eq!(s.name, "users");
        let names: Vec<_> = s.cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "name", "x y", "codeB"]);
        assert_eq!(s.cols[0].affinity, Affinity::Integer);
        assert!(s.cols[0].not_null && !s.cols[0].rowid_alias);
        assert_eq!(s.cols[2].affinity, Affinity::Text);
        assert_eq!(s.cols[3].affinity, Affinity::Real);
        let s = parse_create_table(
            "CREATE TABLE sms (_id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)",
            3,
        )
        .unwrap();
        assert!(s.cols[0].rowid_alias);
        assert!(parse_create_table("CREATE VIEW v AS SELECT 1", 0).is_none());
        assert!(parse_create_table("CREATE VIRTUAL TABLE f USING fts4(a)", 0).is_none());
    }
}
