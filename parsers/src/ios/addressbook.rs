//! iOS Contacts: `/private/var/mobile/Library/AddressBook/AddressBook.sqlitedb`.
//!
//! `ABPerson` holds one row per contact (First, Last, Middle, Organization, Nickname ...);
//! `ABMultiValue` one row per phone number (property 3), email address (4), postal address,
//! URL ... with `record_id` = ABPerson.ROWID and `label` = ABMultiValueLabel.ROWID; built-in
//! labels are stored as `_$!<Mobile>!$_` and cleaned to `Mobile`. iOS often keeps the whole
//! database in the `-wal` (a 4 KiB main file with no tables), so the WAL matters here.
//!
//! Output: one contact per phone number or email address, in ABMultiValue order; then one
//! name-only contact (no number) per person that has neither, in ABPerson order.
use std::collections::{BTreeMap, BTreeSet};

use super::common::{select_cols, select_opt, take_image_warnings};
use crate::model::{Contact, ParseOutput};
use crate::registry::DbInput;
use crate::sqlite::row::Col;
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::ParseError;

pub const PROPERTY_PHONE: i64 = 3;
pub const PROPERTY_EMAIL: i64 = 4;

/// `_$!<Mobile>!$_` -> `Mobile`; custom labels are kept as they are.
pub fn clean_label(raw: &str) -> String {
    raw.strip_prefix("_$!<")
        .and_then(|s| s.strip_suffix(">!$_"))
        .unwrap_or(raw)
        .to_string()
}

/// Column handles of `ABPerson`.
pub struct PersonCols {
    first: Col,
    last: Col,
    middle: Col,
    organization: Col,
    nickname: Col,
    prefix: Col,
    suffix: Col,
    composite: Col,
    display: Col,
    store: Col,
}

impl PersonCols {
    pub fn new(t: &TableRows) -> Self {
        PersonCols {
            first: t.col("First"),
            last: t.col("Last"),
            middle: t.col("Middle"),
            organization: t.col("Organization"),
            nickname: t.col("Nickname"),
            prefix: t.col("Prefix"),
            suffix: t.col("Suffix"),
            composite: t.col("CompositeNameFallback"),
            display: t.col("DisplayName"),
            store: t.col("StoreID"),
        }
    }
}

/// The name a person is shown under: prefix, first, middle, last and suffix; else the
/// organization; else the nickname; else the stored display/fallback name.
pub fn person_name(r: &RowData, c: &PersonCols) -> Option<String> {
    let parts: Vec<String> = [c.prefix, c.first, c.middle, c.last, c.suffix]
        .iter()
        .filter_map(|col| r.text_nonempty(*col))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    [c.organization, c.nickname, c.display, c.composite]
        .iter()
        .find_map(|col| r.text_nonempty(*col).filter(|s| !s.trim().is_empty()))
}

/// A person as the multi-value rows need it.
#[derive(Debug, Clone, Default)]
pub struct PersonInfo {
    pub name: Option<String>,
    pub account: Option<String>,
}

/// Column handles of `ABMultiValue`.
pub struct MultiValueCols {
    record_id: Col,
    property: Col,
    label: Col,
    value: Col,
}

impl MultiValueCols {
    pub fn new(t: &TableRows) -> Self {
        MultiValueCols {
            record_id: t.col("record_id"),
            property: t.col("property"),
            label: t.col("label"),
            value: t.col("value"),
        }
    }
}

/// Map one `ABMultiValue` row to a contact (only phone numbers and email addresses).
pub fn map_multivalue(
    r: &RowData,
    c: &MultiValueCols,
    persons: &BTreeMap<i64, PersonInfo>,
    labels: &BTreeMap<i64, String>,
) -> Option<Contact> {
    let kind = match r.i64(c.property)? {
        PROPERTY_PHONE => "phone",
        PROPERTY_EMAIL => "email",
        _ => return None,
    };
    let rec = r.i64(c.record_id);
    let person = rec.and_then(|id| persons.get(&id));
    Some(Contact {
        origin: r.origin("ABMultiValue"),
        app: "ios_addressbook",
        display_name: person.and_then(|p| p.name.clone()),
        number_raw: r.text(c.value),
        value_kind: kind,
        label: r
            .i64(c.label)
            .and_then(|l| labels.get(&l))
            .map(|s| clean_label(s))
            .filter(|s| !s.is_empty()),
        account: person.and_then(|p| p.account.clone()),
        contact_key: rec.map(|i| i.to_string()),
    })
}

/// Parse an AddressBook.sqlitedb.
pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let img = DbImage::open_input(input)?;
    let mut out = ParseOutput::default();
    take_image_warnings(&img, &mut out);
    if !img.has_table("ABPerson") {
        let hint = if input.wal.is_none() && img.tables().is_empty() {
            " (no tables at all: iOS often keeps the whole address book in the -wal, which was not supplied)"
        } else {
            ""
        };
        return Err(ParseError::UnknownSchema(format!(
            "no ABPerson table in AddressBook.sqlitedb{hint} ({})",
            img.schema_summary()
        )));
    }
    let mut stores = BTreeMap::new();
    if img.has_table("ABStore") {
        if let Some(t) = select_opt(
            &img,
            &mut out,
            "ABStore",
            &["Name"],
            &["ExternalIdentifier"],
            "",
        ) {
            let (n, e) = (t.col("Name"), t.col("ExternalIdentifier"));
            for r in &t.rows {
                if let (Some(id), Some(name)) =
                    (r.rowid, r.text_nonempty(n).or_else(|| r.text_nonempty(e)))
                {
                    stores.insert(id, name);
                }
            }
        }
    }
    let mut labels = BTreeMap::new();
    if let Some(t) = select_opt(
        &img,
        &mut out,
        "ABMultiValueLabel",
        &["value"],
        &[],
        "labels are unknown",
    ) {
        let v = t.col("value");
        for r in &t.rows {
            if let (Some(id), Some(s)) = (r.rowid, r.text(v)) {
                labels.insert(id, s);
            }
        }
    }
    let pt = select_cols(
        &img,
        &mut out,
        "ABPerson",
        &["First", "Last", "Middle", "Organization", "Nickname"],
        &[
            "Prefix",
            "Suffix",
            "CompositeNameFallback",
            "DisplayName",
            "StoreID",
        ],
    )?;
    let pc = PersonCols::new(&pt);
    let mut persons = BTreeMap::new();
    for r in &pt.rows {
        if let Some(id) = r.rowid {
            persons.insert(
                id,
                PersonInfo {
                    name: person_name(r, &pc),
                    account: r.i64(pc.store).and_then(|s| stores.get(&s).cloned()),
                },
            );
        }
    }
    let mut with_values = BTreeSet::new();
    if let Some(t) = select_opt(
        &img,
        &mut out,
        "ABMultiValue",
        &["record_id", "property", "label", "value"],
        &[],
        "no phone numbers or email addresses can be read",
    ) {
        let c = MultiValueCols::new(&t);
        for r in &t.rows {
            if let Some(ct) = map_multivalue(r, &c, &persons, &labels) {
                if let Some(rec) = r.i64(c.record_id) {
                    with_values.insert(rec);
                    if !persons.contains_key(&rec) {
                        out.warn(format!(
                            "ABMultiValue {}: record_id {rec} has no ABPerson row",
                            r.rowid.unwrap_or(-1)
                        ));
                    }
                }
                out.contacts.push(ct);
            }
        }
    }
    for r in &pt.rows {
        let Some(id) = r.rowid else { continue };
        if with_values.contains(&id) {
            continue;
        }
        let p = &persons[&id];
        out.contacts.push(Contact {
            origin: r.origin("ABPerson"),
            app: "ios_addressbook",
            display_name: p.name.clone(),
            number_raw: None,
            value_kind: "phone",
            label: None,
            account: p.account.clone(),
            contact_key: Some(id.to_string()),
        });
    }
    Ok(out)
}
