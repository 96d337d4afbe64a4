//! Rows read by column name, so that parsers degrade on schema drift instead of failing, and so
//! that recovered rows (from the page reader) can go through the same mapping code as live rows.
use crate::model::RecordState;

/// One SQLite value. Text that is not valid UTF-8 is kept as bytes, never dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// A TEXT value whose bytes are not valid UTF-8 (in the database's encoding).
    BadText(Vec<u8>),
    Blob(Vec<u8>),
}

static NULL: Val = Val::Null;

impl Val {
    pub fn from_ref(v: rusqlite::types::ValueRef<'_>) -> Val {
        use rusqlite::types::ValueRef;
        match v {
            ValueRef::Null => Val::Null,
            ValueRef::Integer(i) => Val::Int(i),
            ValueRef::Real(f) => Val::Real(f),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(s) => Val::Text(s.to_string()),
                Err(_) => Val::BadText(t.to_vec()),
            },
            ValueRef::Blob(b) => Val::Blob(b.to_vec()),
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Real(f) if f.is_finite() => Some(*f as i64),
            Val::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Real(f) => Some(*f),
            Val::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// Text form: integers and reals are formatted, invalid UTF-8 is decoded lossily, blobs that
    /// are valid UTF-8 are returned as text (some apps store numbers as blobs).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            Val::Int(i) => Some(i.to_string()),
            Val::Real(f) => Some(f.to_string()),
            Val::Text(s) => Some(s.clone()),
            Val::BadText(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Val::Blob(b) => std::str::from_utf8(b).ok().map(str::to_string),
        }
    }
    /// Hex of the raw bytes when the value is text that was not valid UTF-8.
    pub fn bad_text_hex(&self) -> Option<String> {
        match self {
            Val::BadText(b) => Some(hex(b)),
            _ => None,
        }
    }
    pub fn as_blob(&self) -> Option<&[u8]> {
        match self {
            Val::Blob(b) | Val::BadText(b) => Some(b),
            Val::Text(s) => Some(s.as_bytes()),
            _ => None,
        }
    }
}

pub fn hex(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}

/// A column handle resolved once per table: `None` when the column does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col(pub Option<usize>);

#[derive(Debug, Clone, PartialEq)]
pub struct RowData {
    pub rowid: Option<i64>,
    pub vals: Vec<Val>,
    pub state: RecordState,
    /// Byte offset of the record in the artifact, for recovered rows.
    pub offset: Option<u64>,
    /// Recovery detail (page, WAL frame, commit), for recovered rows.
    pub detail: Option<String>,
}

impl RowData {
    pub fn get(&self, c: Col) -> &Val {
        c.0.and_then(|i| self.vals.get(i)).unwrap_or(&NULL)
    }
    pub fn i64(&self, c: Col) -> Option<i64> {
        self.get(c).as_i64()
    }
    pub fn f64(&self, c: Col) -> Option<f64> {
        self.get(c).as_f64()
    }
    pub fn text(&self, c: Col) -> Option<String> {
        self.get(c).as_text()
    }
    /// Text, with empty strings treated as absent.
    pub fn text_nonempty(&self, c: Col) -> Option<String> {
        self.text(c).filter(|s| !s.is_empty())
    }
    pub fn blob(&self, c: Col) -> Option<&[u8]> {
        self.get(c).as_blob()
    }
    pub fn bool(&self, c: Col) -> Option<bool> {
        self.i64(c).map(|v| v != 0)
    }
    /// An [`crate::Origin`] for this row in `table`.
    pub fn origin(&self, table: &str) -> crate::Origin {
        crate::Origin {
            table: table.to_string(),
            rowid: self.rowid,
            offset: self.offset,
            state: self.state,
            detail: self.detail.clone(),
        }
    }
}

/// Rows of one table with the columns a parser asked for, in the order asked.
#[derive(Debug, Clone, Default)]
pub struct TableRows {
    pub table: String,
    /// The columns asked for, in order; [`TableRows::col`] resolves names against them.
    pub cols: Vec<String>,
    /// Asked-for columns that the table does not have (their values are NULL).
    pub missing: Vec<String>,
    pub rows: Vec<RowData>,
}

impl TableRows {
    pub fn col(&self, name: &str) -> Col {
        Col(self
            .cols
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .filter(|_| !self.missing.iter().any(|m| m.eq_ignore_ascii_case(name))))
    }
    /// Whether the column exists in the table.
    pub fn has(&self, name: &str) -> bool {
        self.col(name).0.is_some()
    }
}
