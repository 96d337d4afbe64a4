//! Phone numbers written inside message bodies ("new number 07700 900102 save it").
//!
//! A body is cut into runs of digit groups joined by short separators (spaces, `-`, `.`,
//! parentheses). Within a run, a number may start at the run's first group or at a group after a
//! space, and may end at the run's last group or before a space; the longest such span that is a
//! plausible phone number wins. Plausible means:
//! - it starts with `+` (8–16 digits, `(0)` allowed), `00` (10–18 digits) or `0` (10–11 digits —
//!   national forms), and
//! - the [`Normaliser`] gives it an E.164 form and a telephone kind.
//!
//! Bare digit strings without `0`/`+`/`00` are never taken (prices "3 for 25", "2-50", quantities,
//! order ids). A group touching a letter ("LS1", "4AP", "10am", "25p"), followed by `:` and a digit
//! (times "10:30"), by `/` and a digit (dates "12/05/2024") or by `%`, or preceded by a currency
//! sign ("£20") or another digit-punctuation pair ("12.07700…") cannot be part of a number.
//! WhatsApp formatting marks around a number (`*bold*`, `_italic_`, `~strike~`) are allowed.

use super::{Normaliser, NumberKind};

/// A phone number found in a message body. `start..end` is its byte span in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyNumber {
    pub start: usize,
    pub end: usize,
    /// The text as written (`body[start..end]`).
    pub raw: String,
    pub e164: String,
    pub kind: NumberKind,
}

#[derive(Clone, Copy, Debug)]
struct Group {
    /// Start of the number if it starts at this group (includes a leading `+` or `(`).
    start: usize,
    /// End of this group's digits.
    end: usize,
    /// The separator before this group contains a space (or this is the run's first group).
    space_before: bool,
}

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '-' | '.' | '(' | ')')
}

fn prev_char(body: &str, i: usize) -> Option<char> {
    body[..i].chars().next_back()
}

/// May a number start at byte `i` (given what precedes it)?
fn start_ok(body: &str, i: usize) -> bool {
    let Some(p) = prev_char(body, i) else {
        return true;
    };
    if p.is_alphanumeric()
        || matches!(
            p,
            '£' | '$' | '€' | '¥' | '#' | '@' | '&' | '%' | '\\' | '=' | '+'
        )
    {
        return false;
    }
    if p == '/' {
        // "07700900123/07700900124" is two numbers; "12/05/2024" is a date.
        let digits_before = body[..i - 1]
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        return digits_before >= 7;
    }
    if matches!(p, '.' | ',' | ':' | '-') {
        let before = prev_char(body, i - p.len_utf8());
        if before.is_some_and(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    true
}

/// Is the digit group ending at `end` tainted by what follows it?
fn tainted_after(b: &[u8], body: &str, end: usize) -> bool {
    let Some(c) = body[end..].chars().next() else {
        return false;
    };
    if c.is_alphabetic() || c == '%' {
        return true;
    }
    let next_digit = b.get(end + 1).is_some_and(u8::is_ascii_digit);
    if c == ':' && next_digit {
        return true;
    }
    // Dates ("12/05/2024"); a long group before '/' is a number followed by another.
    if c == '/'
        && next_digit
        && b[..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count()
            < 7
    {
        return true;
    }
    false
}

impl Normaliser {
    /// Phone numbers inside a message body, in order, with byte spans and E.164 forms.
    pub fn extract_numbers(&self, body: &str) -> Vec<BodyNumber> {
        let b = body.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let digit_at = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
            let lead = match c {
                b'0'..=b'9' => 0,
                b'+' if digit_at(i + 1) => 1,
                b'+' if b.get(i + 1) == Some(&b'(') && digit_at(i + 2) => 2,
                b'(' if digit_at(i + 1) => 1,
                b'(' if b.get(i + 1) == Some(&b'+') && digit_at(i + 2) => 2,
                _ => {
                    i += 1;
                    continue;
                }
            };
            if !start_ok(body, i) {
                // Skip this whole token of digits and joiners.
                i += lead;
                while i < b.len()
                    && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b',' | b'-' | b':' | b'/'))
                {
                    i += 1;
                }
                continue;
            }
            let (groups, run_end) = collect_run(body, i, lead);
            self.take_numbers(body, &groups, &mut out);
            i = run_end.max(i + 1);
        }
        out
    }

    fn take_numbers(&self, body: &str, groups: &[Group], out: &mut Vec<BodyNumber>) {
        let mut s = 0;
        while s < groups.len() {
            if !groups[s].space_before {
                s += 1;
                continue;
            }
            let mut found = None;
            let max_e = (s + 12).min(groups.len() - 1);
            for e in (s..=max_e).rev() {
                if e + 1 < groups.len() && !groups[e + 1].space_before {
                    continue;
                }
                if let Some(n) = self.plausible(body, groups[s].start, groups[e].end) {
                    found = Some((e, n));
                    break;
                }
            }
            match found {
                Some((e, n)) => {
                    out.push(n);
                    s = e + 1;
                }
                None => s += 1,
            }
        }
    }

    fn plausible(&self, body: &str, mut start: usize, end: usize) -> Option<BodyNumber> {
        let mut raw = &body[start..end];
        if raw.starts_with('(') && !raw.contains(')') {
            start += 1;
            raw = &raw[1..];
        }
        let digits = raw.bytes().filter(u8::is_ascii_digit).count();
        let first_digits: String = raw
            .bytes()
            .filter(|c| c.is_ascii_digit())
            .take(2)
            .map(char::from)
            .collect();
        let plus = raw.trim_start_matches('(').starts_with('+');
        let ok = if plus {
            (8..=16).contains(&digits)
        } else if first_digits == "00" {
            (10..=18).contains(&digits)
        } else if first_digits.starts_with('0') {
            (10..=11).contains(&digits)
        } else {
            false
        };
        if !ok {
            return None;
        }
        let n = self.normalise(raw);
        let e164 = n.e164.as_deref()?;
        if !n.kind.is_phone() {
            return None;
        }
        Some(BodyNumber {
            start,
            end,
            raw: raw.to_string(),
            e164: e164.to_string(),
            kind: n.kind,
        })
    }
}

/// Collect the digit groups of a run starting at byte `i` (`lead` bytes of `+`/`(` first).
fn collect_run(body: &str, i: usize, lead: usize) -> (Vec<Group>, usize) {
    let b = body.as_bytes();
    let mut groups = Vec::new();
    let mut pos = i + lead;
    let mut gstart = i;
    let mut space_before = true;
    let mut total_digits = 0;
    loop {
        let ds = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        let de = pos;
        total_digits += de - ds;
        if tainted_after(b, body, de) || total_digits > 40 {
            // This group cannot be part of a number; nor can anything joined to it.
            if !space_before {
                // Its predecessor is glued to it ("2024-05-12" style): drop the glued tail too.
                while groups.last().is_some_and(|g: &Group| !g.space_before) {
                    groups.pop();
                }
                groups.pop();
            }
            return (groups, de);
        }
        groups.push(Group {
            start: gstart,
            end: de,
            space_before,
        });
        // Separator: up to 3 separator characters, then a digit (optionally after '+').
        let mut q = de;
        let mut n = 0;
        let mut has_space = false;
        while n < 3 {
            let Some(c) = body[q..].chars().next() else {
                break;
            };
            if !is_sep(c) {
                break;
            }
            has_space |= matches!(c, ' ' | '\u{a0}' | '\u{202f}');
            q += c.len_utf8();
            n += 1;
        }
        if n == 0 || q >= b.len() || !b[q].is_ascii_digit() {
            return (groups, de);
        }
        gstart = if body[de..q].ends_with('(') { q - 1 } else { q };
        space_before = has_space;
        pos = q;
    }
}
