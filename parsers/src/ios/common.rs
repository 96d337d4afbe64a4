//! Helpers shared by the iOS parsers.
use crate::model::ParseOutput;
use crate::sqlite::{DbImage, TableRows};
use crate::ParseError;

/// Select `core` and `optional` columns of `table` in one pass. A missing core column gives a
/// warning (it is NULL); optional columns exist only in some iOS versions and are silently NULL
/// when absent. Rows are counted for the artifacts table.
pub fn select_cols(
    img: &DbImage,
    out: &mut ParseOutput,
    table: &str,
    core: &[&str],
    optional: &[&str],
) -> Result<TableRows, ParseError> {
    let all: Vec<&str> = core.iter().chain(optional.iter()).copied().collect();
    let t = img.select(table, &all)?;
    for m in &t.missing {
        if core.iter().any(|c| c.eq_ignore_ascii_case(m)) {
            out.warn(format!(
                "table {table}: column {m} missing, treated as NULL"
            ));
        }
    }
    out.count(table, t.rows.len() as u64);
    Ok(t)
}

/// Like [`select_cols`], but a missing table is a warning and gives no rows.
pub fn select_opt(
    img: &DbImage,
    out: &mut ParseOutput,
    table: &str,
    core: &[&str],
    optional: &[&str],
    why: &str,
) -> Option<TableRows> {
    if !img.has_table(table) {
        out.warn(format!("table {table} missing: {why}"));
        return None;
    }
    match select_cols(img, out, table, core, optional) {
        Ok(t) => Some(t),
        Err(e) => {
            out.warn(format!("table {table} unreadable ({e}): {why}"));
            None
        }
    }
}

/// Strip the `P:` / `E:` / `tel:` / `mailto:` prefixes iOS puts before account identifiers.
pub fn strip_account_prefix(s: &str) -> &str {
    let s = s.trim();
    for p in ["P:", "p:", "E:", "e:", "tel:", "mailto:"] {
        if let Some(r) = s.strip_prefix(p) {
            return r.trim();
        }
    }
    s
}

/// Whether a value looks like a phone number (digits with the usual separators, at least 5
/// digits), as opposed to an email address or an Apple ID.
pub fn phone_like(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 5
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'))
}

/// Merge image warnings (WAL damage ...) into the output.
pub fn take_image_warnings(img: &DbImage, out: &mut ParseOutput) {
    out.warnings.extend(img.warnings.iter().cloned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_prefixes_and_phone_shapes() {
        assert_eq!(strip_account_prefix("P:+447700900123"), "+447700900123");
        assert_eq!(strip_account_prefix("e:a@b.example"), "a@b.example");
        assert!(phone_like("+44 (0)7700 900123"));
        assert!(!phone_like("a@b.example"));
        assert!(!phone_like("1234"));
    }
}
