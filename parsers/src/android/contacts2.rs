//! `contacts2.db` of the Android contacts provider.
//!
//! - `raw_contacts`: one row per contact per account. The name is `display_name` (Android 2-4)
//!   or `display_name_primary` (some later builds), with `display_name_alt` /
//!   `display_name_alternative` as fallback; the account is `account_id` into `accounts`
//!   (Android 4.3+) or `account_name` on the row itself (older).
//! - `data` + `mimetypes`: one row per value; `vnd.android.cursor.item/phone_v2` rows are
//!   numbers (`data1` number, `data2` type, `data3` custom label), `.../email_v2` rows are emails.
//!   Each becomes one [`Contact`], origin `data` rowid, `contact_key` the raw_contact_id.
//! - `calls`: the call log before Android 7 moved it to `calllog.db`; read with the same row
//!   mapping as [`super::calllog`].
use std::collections::BTreeMap;

use super::calllog::read_calls;
use super::{all_unreadable, open, read_table, require_any};
use crate::registry::DbInput;
use crate::sqlite::row::Col;
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::{Contact, ParseError, ParseOutput};

pub const PHONE_MIME: &str = "vnd.android.cursor.item/phone_v2";
pub const EMAIL_MIME: &str = "vnd.android.cursor.item/email_v2";

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["raw_contacts", "data", "calls"])?;
    let (mut read_ok, mut failed) = (0, Vec::new());
    if img.has_table("data") {
        let lk = lookups(&img, &mut out);
        match read_table(
            &img,
            &mut out,
            "data",
            &["raw_contact_id", "mimetype_id", "data1", "data2", "data3"],
        ) {
            Some(t) => {
                read_ok += 1;
                let c = DataCols::new(&t);
                for r in &t.rows {
                    if let Some(ct) = data_row(r, &c, "data", &lk) {
                        out.contacts.push(ct);
                    }
                }
            }
            None => failed.push("data"),
        }
    }
    if img.has_table("calls") {
        match read_calls(&img, &mut out, "contacts2.db", "android_calllog") {
            Ok(()) => read_ok += 1,
            Err(e) => {
                out.warn(format!(
                    "table calls unreadable, its records are missing: {e}"
                ));
                failed.push("calls");
            }
        }
    }
    if read_ok == 0 && !failed.is_empty() {
        return Err(all_unreadable(&failed));
    }
    Ok(out)
}

/// Raw contact as the data rows need it.
#[derive(Debug, Clone, Default)]
pub struct RawContact {
    pub name: Option<String>,
    pub account: Option<String>,
    pub deleted: bool,
}

/// Lookup maps built from `mimetypes`, `accounts` and `raw_contacts`.
#[derive(Debug, Default)]
pub struct Lookups {
    pub mimetypes: BTreeMap<i64, String>,
    pub raw: BTreeMap<i64, RawContact>,
}

fn lookups(img: &DbImage, out: &mut ParseOutput) -> Lookups {
    let mut lk = Lookups::default();
    if img.has_table("mimetypes") {
        let t = read_table(img, out, "mimetypes", &["mimetype"]).unwrap_or_default();
        for r in &t.rows {
            if let (Some(id), Some(m)) = (r.rowid, r.text(t.col("mimetype"))) {
                lk.mimetypes.insert(id, m);
            }
        }
    } else {
        out.warn("no mimetypes table: data rows cannot be typed, none output");
    }
    let mut accounts = BTreeMap::new();
    if img.has_table("accounts") {
        let t =
            read_table(img, out, "accounts", &["account_name", "account_type"]).unwrap_or_default();
        for r in &t.rows {
            if let Some(id) = r.rowid {
                if let Some(a) = account_text(
                    r.text_nonempty(t.col("account_name")),
                    r.text_nonempty(t.col("account_type")),
                ) {
                    accounts.insert(id, a);
                }
            }
        }
    }
    if img.has_table("raw_contacts") {
        // Ask only for the name columns this version has, so older and newer layouts do not
        // warn about each other's spelling.
        let cols = img.columns("raw_contacts");
        let has = |n: &str| cols.iter().any(|c| c.eq_ignore_ascii_case(n));
        let name_cols: Vec<&str> = [
            "display_name",
            "display_name_primary",
            "display_name_alt",
            "display_name_alternative",
        ]
        .into_iter()
        .filter(|n| has(n))
        .collect();
        if name_cols.is_empty() {
            out.warn("table raw_contacts: no display name column, names treated as NULL");
        }
        let acct_cols: &[&str] = if has("account_id") {
            &["account_id"]
        } else {
            &["account_name", "account_type"]
        };
        let mut ask: Vec<&str> = name_cols.clone();
        ask.extend_from_slice(acct_cols);
        ask.push("deleted");
        let t = read_table(img, out, "raw_contacts", &ask).unwrap_or_default();
        for r in &t.rows {
            let Some(id) = r.rowid else { continue };
            let name = name_cols.iter().find_map(|n| r.text_nonempty(t.col(n)));
            let account = if t.has("account_id") {
                r.i64(t.col("account_id"))
                    .and_then(|a| accounts.get(&a).cloned())
            } else {
                account_text(
                    r.text_nonempty(t.col("account_name")),
                    r.text_nonempty(t.col("account_type")),
                )
            };
            lk.raw.insert(
                id,
                RawContact {
                    name,
                    account,
                    deleted: r.bool(t.col("deleted")).unwrap_or(false),
                },
            );
        }
    } else {
        out.warn("no raw_contacts table: contact names and accounts unknown");
    }
    let deleted = lk.raw.values().filter(|r| r.deleted).count();
    if deleted > 0 {
        out.warn(format!(
            "raw_contacts: {deleted} contacts are marked deleted (pending sync removal) but still stored; their numbers are output"
        ));
    }
    lk
}

/// `name (type)` of an account; the local phone account has neither.
fn account_text(name: Option<String>, ty: Option<String>) -> Option<String> {
    match (name, ty) {
        (Some(n), Some(t)) => Some(format!("{n} ({t})")),
        (Some(n), None) => Some(n),
        (None, Some(t)) => Some(t),
        (None, None) => None,
    }
}

/// Column handles of a `data` read.
pub struct DataCols {
    raw_contact_id: Col,
    mimetype_id: Col,
    data1: Col,
    data2: Col,
    data3: Col,
}

impl DataCols {
    pub fn new(t: &TableRows) -> Self {
        DataCols {
            raw_contact_id: t.col("raw_contact_id"),
            mimetype_id: t.col("mimetype_id"),
            data1: t.col("data1"),
            data2: t.col("data2"),
            data3: t.col("data3"),
        }
    }
}

/// The label of a `Phone.TYPE` value (ContactsContract.CommonDataKinds.Phone).
pub fn phone_label(t: i64) -> Option<&'static str> {
    Some(match t {
        1 => "Home",
        2 => "Mobile",
        3 => "Work",
        4 => "Work Fax",
        5 => "Home Fax",
        6 => "Pager",
        7 => "Other",
        8 => "Callback",
        9 => "Car",
        10 => "Company Main",
        11 => "ISDN",
        12 => "Main",
        13 => "Other Fax",
        14 => "Radio",
        15 => "Telex",
        16 => "TTY TDD",
        17 => "Work Mobile",
        18 => "Work Pager",
        19 => "Assistant",
        20 => "MMS",
        _ => return None,
    })
}

/// The label of an `Email.TYPE` value.
pub fn email_label(t: i64) -> Option<&'static str> {
    Some(match t {
        1 => "Home",
        2 => "Work",
        3 => "Other",
        4 => "Mobile",
        _ => return None,
    })
}

/// Map one `data` row; `None` for rows that are neither a phone number nor an email.
pub fn data_row(r: &RowData, c: &DataCols, table: &str, lk: &Lookups) -> Option<Contact> {
    let mime = r
        .i64(c.mimetype_id)
        .and_then(|m| lk.mimetypes.get(&m))?
        .as_str();
    let (kind, label_of): (&'static str, fn(i64) -> Option<&'static str>) = match mime {
        PHONE_MIME => ("phone", phone_label),
        EMAIL_MIME => ("email", email_label),
        _ => return None,
    };
    let raw_id = r.i64(c.raw_contact_id);
    let raw = raw_id.and_then(|id| lk.raw.get(&id));
    let label = match r.i64(c.data2) {
        Some(0) | None => r.text_nonempty(c.data3),
        Some(t) => label_of(t)
            .map(str::to_string)
            .or_else(|| Some(format!("type {t}"))),
    };
    Some(Contact {
        origin: r.origin(table),
        app: "android_contacts",
        display_name: raw.and_then(|x| x.name.clone()),
        number_raw: r.text_nonempty(c.data1),
        value_kind: kind,
        label,
        account: raw.and_then(|x| x.account.clone()),
        contact_key: raw_id.map(|i| i.to_string()),
    })
}
