//! `csv/<table>.csv`: UTF-8, a header row, RFC 4180 quoting, and formula-safe cells.
//!
//! Formula neutralisation: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! would be run as a formula by Excel (and some i2 import paths). Such a cell gets a leading
//! apostrophe (`'`), which spreadsheets show as plain text, UNLESS the whole cell is a plain
//! number (`+447700900123`, `-2`, `-1.5`): numbers cannot carry a formula, and E.164 numbers must
//! stay exactly as they are so that i2 merges entities on them.
use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Table;

/// Make a cell safe for spreadsheets (see the module docs).
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    let Some(first) = s.chars().next() else {
        return s.into();
    };
    if matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') && !is_plain_number(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A number (`+447700900123`, `-1.5`) or a `;`-joined list of numbers: nothing a spreadsheet
/// could run.
fn is_plain_number(s: &str) -> bool {
    s.split(';').all(is_one_number)
}

fn is_one_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().filter(|&b| b == b'.').count() <= 1
        && t.as_bytes()[0].is_ascii_digit()
}

/// RFC 4180 field quoting.
pub fn field(s: &str) -> String {
    let s = neutralise(s);
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

pub fn write_table(t: &Table, w: &mut impl Write) -> std::io::Result<()> {
    let header: Vec<String> = t.columns.iter().map(|(c, _)| field(c)).collect();
    w.write_all(header.join(",").as_bytes())?;
    w.write_all(b"\r\n")?;
    for row in &t.rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| c.flat().map(|s| field(&s)).unwrap_or_default())
            .collect();
        w.write_all(line.join(",").as_bytes())?;
        w.write_all(b"\r\n")?;
    }
    Ok(())
}

pub fn write(tables: &[Table], out: &Path) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for t in tables {
        let rel = format!("csv/{}.csv", t.name);
        let mut buf = Vec::new();
        write_table(t, &mut buf)?;
        crate::evidence::write_atomic(&out.join(&rel), &buf)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(
            neutralise("-2+3+cmd|' /C calc'!A0"),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("+447700900123"), "+447700900123");
        assert_eq!(neutralise("-1"), "-1");
        assert_eq!(
            neutralise("+447700900000;+447700900001"),
            "+447700900000;+447700900001"
        );
        assert_eq!(neutralise("+447700900000;=cmd()"), "'+447700900000;=cmd()");
        assert_eq!(neutralise("hello = world"), "hello = world");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1,2"), "\"'=1+1,2\"");
    }
}
