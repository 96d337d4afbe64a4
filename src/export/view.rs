//! Read access to the export tables by column NAME, for the derived outputs (graph, timeline,
//! report). A table or column that is absent simply reads as empty, so each output leaves that
//! part out instead of failing when an analysis stage has not produced its table.
use std::collections::BTreeMap;

use super::{Cell, Table};

/// A table with its columns indexed by name.
pub struct View<'a> {
    pub table: &'a Table,
    idx: BTreeMap<&'static str, usize>,
}

/// The table called `name`, if present.
pub fn find<'a>(tables: &'a [Table], name: &str) -> Option<View<'a>> {
    tables.iter().find(|t| t.name == name).map(|t| View {
        table: t,
        idx: t
            .columns
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (*c, i))
            .collect(),
    })
}

impl<'a> View<'a> {
    pub fn has(&self, col: &str) -> bool {
        self.idx.contains_key(col)
    }
    pub fn len(&self) -> usize {
        self.table.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.table.rows.is_empty()
    }
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        self.table.rows.iter().map(move |cells| Row {
            idx: &self.idx,
            cells,
        })
    }
}

/// One row, read by column name.
#[derive(Clone, Copy)]
pub struct Row<'v> {
    idx: &'v BTreeMap<&'static str, usize>,
    cells: &'v [Cell],
}

impl<'v> Row<'v> {
    pub fn cell(&self, col: &str) -> Option<&'v Cell> {
        self.idx.get(col).and_then(|&i| self.cells.get(i))
    }
    /// The cell as text; NULL, absent and empty all read as `None`.
    pub fn text(&self, col: &str) -> Option<String> {
        self.cell(col)
            .and_then(|c| c.flat())
            .filter(|s| !s.is_empty())
    }
    /// Text or the empty string.
    pub fn s(&self, col: &str) -> String {
        self.text(col).unwrap_or_default()
    }
    /// A multi-valued cell: a `List`, or text joined with `;` (as CSV writes lists).
    pub fn list(&self, col: &str) -> Vec<String> {
        match self.cell(col) {
            Some(Cell::List(v)) => v.iter().filter(|s| !s.is_empty()).cloned().collect(),
            Some(Cell::Text(s)) => s
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            Some(Cell::Int(i)) => vec![i.to_string()],
            _ => Vec::new(),
        }
    }
    pub fn int(&self, col: &str) -> Option<i64> {
        match self.cell(col)? {
            Cell::Int(i) => Some(*i),
            Cell::Real(f) => Some(*f as i64),
            Cell::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn real(&self, col: &str) -> Option<f64> {
        match self.cell(col)? {
            Cell::Int(i) => Some(*i as f64),
            Cell::Real(f) => Some(*f),
            Cell::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` for a day number.
pub fn date_of_day(day: i64) -> String {
    let (y, m, d) = linesift_parsers::model::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Milliseconds since the epoch for an ISO 8601 UTC timestamp as the tables write them
/// (`2024-01-02T03:04:05.678Z`; also without fraction, with `+00:00`, or a bare date).
pub fn parse_iso_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, mo as u32, d as u32);
    if b.len() == 10 {
        return Some(day * 86_400_000);
    }
    if !matches!(b[10], b'T' | b' ') || b.len() < 19 {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut ms = 0i64;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let frac = &s[start..i];
        let f3: String = frac.chars().chain("000".chars()).take(3).collect();
        ms = f3.parse().ok()?;
    }
    let rest = &s[i..];
    let offset_min = match rest {
        "" | "Z" | "z" => 0,
        r if (r.starts_with('+') || r.starts_with('-')) && r.len() == 6 => {
            let sign = if r.starts_with('-') { -1 } else { 1 };
            let oh: i64 = r.get(1..3)?.parse().ok()?;
            let om: i64 = r.get(4..6)?.parse().ok()?;
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    Some(day * 86_400_000 + ((h * 60 + mi - offset_min) * 60 + se) * 1000 + ms)
}

/// Day number of an ISO timestamp.
pub fn day_of(s: &str) -> Option<i64> {
    parse_iso_ms(s).map(|ms| ms.div_euclid(86_400_000))
}

/// One side of a communication: a number, or a handset (exhibit) whose own number is not known
/// (or not unique).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    Number(String),
    Exhibit(String),
}

/// A message or call between two ends, read from the `messages` / `calls` tables.
#[derive(Debug, Clone)]
pub struct Comm {
    pub from: End,
    pub to: End,
    pub is_call: bool,
    pub time: Option<String>,
    pub exhibit_id: String,
}

/// Each exhibit's own numbers (`exhibits.owner_numbers`), by exhibit_id.
pub fn owners(tables: &[Table]) -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    if let Some(v) = find(tables, "exhibits") {
        for r in v.rows() {
            if let Some(id) = r.text("exhibit_id") {
                m.insert(id, r.list("owner_numbers"));
            }
        }
    }
    m
}

/// The handset's end of a record: its one owner number, else the exhibit itself.
fn owner_end(owners: &BTreeMap<String, Vec<String>>, exhibit_id: &str) -> End {
    match owners.get(exhibit_id).map(|v| v.as_slice()) {
        Some([one]) => End::Number(one.clone()),
        _ => End::Exhibit(exhibit_id.to_string()),
    }
}

/// Every message and call as directed (from, to) pairs.
///
/// Messages: the sender to each recipient; a missing sender of an outgoing message is the
/// handset, missing recipients of an incoming message are the handset. Calls: the handset to the
/// number for outgoing calls, the number to the handset otherwise (incoming, missed, rejected,
/// unknown). Pairs with the same end on both sides are dropped.
pub fn comms(tables: &[Table]) -> Vec<Comm> {
    let owners = owners(tables);
    let mut out = Vec::new();
    if let Some(v) = find(tables, "messages") {
        for r in v.rows() {
            let ex = r.s("exhibit_id");
            let dir = r.s("direction");
            let from = match r.text("sender_e164") {
                Some(n) => Some(End::Number(n)),
                None if dir == "outgoing" => Some(owner_end(&owners, &ex)),
                None => None,
            };
            let mut to: Vec<End> = r
                .list("recipients_e164")
                .into_iter()
                .map(End::Number)
                .collect();
            if to.is_empty() && dir == "incoming" {
                to.push(owner_end(&owners, &ex));
            }
            let Some(from) = from else { continue };
            let time = r.text("timestamp_utc");
            for t in to {
                if t != from {
                    out.push(Comm {
                        from: from.clone(),
                        to: t,
                        is_call: false,
                        time: time.clone(),
                        exhibit_id: ex.clone(),
                    });
                }
            }
        }
    }
    if let Some(v) = find(tables, "calls") {
        for r in v.rows() {
            let ex = r.s("exhibit_id");
            let Some(n) = r.text("number_e164") else {
                continue;
            };
            let me = owner_end(&owners, &ex);
            let other = End::Number(n);
            if me == other {
                continue;
            }
            let (from, to) = if r.s("direction") == "outgoing" {
                (me, other)
            } else {
                (other, me)
            };
            out.push(Comm {
                from,
                to,
                is_call: true,
                time: r.text("timestamp_utc"),
                exhibit_id: ex,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_parsing() {
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_iso_ms("1970-01-02"), Some(86_400_000));
        assert_eq!(
            parse_iso_ms("2024-03-01T12:30:15.250Z"),
            Some(1_709_296_215_250)
        );
        assert_eq!(
            parse_iso_ms("2024-03-01T13:30:15+01:00"),
            Some(1_709_296_215_000)
        );
        assert_eq!(parse_iso_ms("not a date"), None);
        assert_eq!(parse_iso_ms("2024-13-01"), None);
        assert_eq!(
            date_of_day(day_of("2024-02-29T23:59:59Z").unwrap()),
            "2024-02-29"
        );
    }
}
