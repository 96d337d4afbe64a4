//! `AddressBook.sqlitedb` (iOS Contacts) in two layouts:
//! - generation 0: the current layout (tables as iOS 16 creates them, `guid` columns);
//! - generation 1 and older: the pre-iOS 12 layout (ABPerson up to `IsPreferredName`, no `guid`
//!   columns).
//!
//! Rules the known answer follows: a contact's name is split at its first space into First and
//! Last; built-in labels (Mobile, iPhone, Home, Work, Main, HomeFAX, WorkFAX, Pager, Other) are
//! stored as `_$!<Label>!$_`, others as typed; email addresses get the Home label; contacts
//! with no number and no email are name-only rows.
use std::collections::BTreeMap;

use crate::archive::DeviceFile;
use crate::render::push_db;
use crate::sqlitefile::{build, q, qo};
use crate::world::{GState, Handset};

pub const PATH: &str = "/private/var/mobile/Library/AddressBook/AddressBook.sqlitedb";

const BUILT_IN: &[&str] = &[
    "Mobile", "iPhone", "Home", "Work", "Main", "HomeFAX", "WorkFAX", "Pager", "Other",
];

/// The label as iOS stores it.
pub fn stored_label(label: &str) -> String {
    if BUILT_IN.contains(&label) {
        format!("_$!<{label}>!$_")
    } else {
        label.to_string()
    }
}

/// (First, Last) of a contact name.
pub fn split_name(name: &str) -> (String, Option<String>) {
    match name.split_once(' ') {
        Some((f, l)) => (f.to_string(), Some(l.to_string())),
        None => (name.to_string(), None),
    }
}

/// Tables of the current layout, as iOS creates them (full-text search tables left out).
pub const SCHEMA_CURRENT: &str = r#"
CREATE TABLE ABAccount (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, AccountIdentifier TEXT, Flags INTEGER, DefaultSourceID INTEGER, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), UNIQUE(guid));
CREATE TABLE ABGroup (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, StoreID INTEGER, ExternalModificationTag TEXT, ExternalRepresentation BLOB, ExternalUUID TEXT, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), UNIQUE(guid));
CREATE TABLE ABGroupChanges (record INTEGER, type INTEGER, sequence_number INTEGER, ExternalIdentifier TEXT, StoreID INTEGER, guid TEXT);
CREATE TABLE ABGroupMembers (UID INTEGER PRIMARY KEY, group_id INTEGER, member_type INTEGER, member_id INTEGER, UNIQUE(group_id, member_type, member_id));
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), UNIQUE(guid));
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT, FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, ExternalModificationTag TEXT, ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT, FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER DEFAULT 2147483647, PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, FirstPronunciation TEXT, MiddlePronunciation TEXT, LastPronunciation TEXT, OrganizationPhonetic TEXT, OrganizationPronunciation TEXT, PreviousFamilyName TEXT, PreferredLikenessSource TEXT, PreferredPersonaIdentifier TEXT, PreferredChannel TEXT, DowntimeWhitelist TEXT, ImageType TEXT, ImageHash BLOB, MemojiMetadata BLOB, UNIQUE(guid));
CREATE TABLE ABPersonChanges (record INTEGER, type INTEGER, sequence_number INTEGER, Image INTEGER, ExternalIdentifier TEXT, StoreID INTEGER, PersonLink INTEGER, guid TEXT, Changes INTEGER, LinkToPersonUUID TEXT, PersonLinkUUID TEXT);
CREATE TABLE ABPersonLink (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, PreferredImagePersonID INTEGER DEFAULT -1, PreferredNamePersonID INTEGER DEFAULT -1, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), UNIQUE(guid));
CREATE TABLE ABPersonMultiValueDeletes (record_id INTEGER, property_id INTEGER, identifier INTEGER, sequence_number INTEGER, record_uid TEXT, identifier_uid TEXT);
CREATE TABLE ABPersonSearchKey (person_id INTEGER, SearchKey BLOB, NameOnlySearchKey BLOB, UNIQUE(person_id));
CREATE TABLE ABPhoneLastFour (multivalue_id INTEGER PRIMARY KEY, value TEXT);
CREATE TABLE ABStore (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, Type INTEGER, ConstraintsPath TEXT, ExternalModificationTag TEXT, ExternalSyncTag TEXT, StoreInternalIdentifier TEXT, AccountID INTEGER DEFAULT -1, Enabled INTEGER DEFAULT 1, SyncData BLOB, MeIdentifier INTEGER DEFAULT -1, Capabilities INTEGER DEFAULT 0, guid TEXT NOT NULL DEFAULT (ab_generate_guid()), LastSyncDate TEXT, UNIQUE(StoreInternalIdentifier), UNIQUE(guid));
CREATE TABLE ClientCursor (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, store_id INTEGER, latest_consumed_sequence_number INTEGER, latest_consumed_timestamp REAL, client_identifier TEXT, UNIQUE(client_identifier, store_id));
CREATE TABLE ClientCursorConsumed (store_id INTEGER, consumed_entity_class INTEGER, consumed_entity_id INTEGER, consumed_change_id INTEGER, sequence_number INTEGER, client_identifier TEXT);
CREATE TABLE ClientSequence (sequence_number INTEGER,client_identifier TEXT,save_timestamp REAL );
CREATE TABLE FirstSortSectionCount(LanguageIndex, Section TEXT, StoreID, number, UNIQUE(LanguageIndex, Section, StoreID));
CREATE TABLE FirstSortSectionCountTotal(LanguageIndex, Section TEXT, Type INT, number, UNIQUE(LanguageIndex, Section, Type));
CREATE TABLE LastSortSectionCount(LanguageIndex, Section TEXT, StoreID, number, UNIQUE(LanguageIndex, Section, StoreID));
CREATE TABLE LastSortSectionCountTotal(LanguageIndex, Section TEXT, Type INT, number, UNIQUE(LanguageIndex, Section, Type));
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE INDEX ABMultiValueRecordIDIndex on ABMultiValue(record_id);
CREATE INDEX ABMultiValueLabelIndex ON ABMultiValue(label);
CREATE INDEX ABMultiValueGUIDIndex ON ABMultiValue(guid);
CREATE INDEX ABMultiValuePropertyValueIndex ON ABMultiValue(property, value COLLATE NOCASE);
CREATE INDEX ABMultiValueEntryKeyIndex ON ABMultiValueEntry(key);
CREATE INDEX ABMultiValueEntryParentIndex ON ABMultiValueEntry(parent_id);
CREATE INDEX ABPersonPersonLinkIndex on ABPerson(PersonLink);
"#;

/// Tables of the pre-iOS 12 layout: no `guid` columns, ABPerson ends at `IsPreferredName`, no
/// change-tracking cursors.
pub const SCHEMA_OLDER: &str = r#"
CREATE TABLE ABAccount (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, AccountIdentifier TEXT, Flags INTEGER, DefaultSourceID INTEGER);
CREATE TABLE ABGroup (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, StoreID INTEGER, ExternalModificationTag TEXT, ExternalRepresentation BLOB, ExternalUUID TEXT);
CREATE TABLE ABGroupChanges (record INTEGER, type INTEGER, sequence_number INTEGER, ExternalIdentifier TEXT, StoreID INTEGER, guid TEXT);
CREATE TABLE ABGroupMembers (UID INTEGER PRIMARY KEY, group_id INTEGER, member_type INTEGER, member_id INTEGER, UNIQUE(group_id, member_type, member_id));
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT);
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT, FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, ExternalModificationTag TEXT, ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT, FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER DEFAULT 2147483647, PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1);
CREATE TABLE ABPersonChanges (record INTEGER, type INTEGER, sequence_number INTEGER, Image INTEGER, ExternalIdentifier TEXT, StoreID INTEGER, PersonLink INTEGER, guid TEXT, Changes INTEGER);
CREATE TABLE ABPersonLink (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, PreferredImagePersonID INTEGER DEFAULT -1, PreferredNamePersonID INTEGER DEFAULT -1);
CREATE TABLE ABPersonMultiValueDeletes (record_id INTEGER, property_id INTEGER, identifier INTEGER, sequence_number INTEGER, record_uid TEXT, identifier_uid TEXT);
CREATE TABLE ABPersonSearchKey (person_id INTEGER, SearchKey BLOB, NameOnlySearchKey BLOB, UNIQUE(person_id));
CREATE TABLE ABPhoneLastFour (multivalue_id INTEGER PRIMARY KEY, value TEXT);
CREATE TABLE ABStore (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, Type INTEGER, ConstraintsPath TEXT, ExternalModificationTag TEXT, ExternalSyncTag TEXT, StoreInternalIdentifier TEXT, AccountID INTEGER DEFAULT -1, Enabled INTEGER DEFAULT 1, SyncData BLOB, MeIdentifier INTEGER DEFAULT -1, Capabilities INTEGER DEFAULT 0, UNIQUE(StoreInternalIdentifier));
CREATE TABLE FirstSortSectionCount(LanguageIndex, Section TEXT, StoreID, number, UNIQUE(LanguageIndex, Section, StoreID));
CREATE TABLE LastSortSectionCount(LanguageIndex, Section TEXT, StoreID, number, UNIQUE(LanguageIndex, Section, StoreID));
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE INDEX ABMultiValueRecordIDIndex on ABMultiValue(record_id);
CREATE INDEX ABMultiValueLabelIndex ON ABMultiValue(label);
CREATE INDEX ABMultiValueEntryKeyIndex ON ABMultiValueEntry(key);
CREATE INDEX ABMultiValueEntryParentIndex ON ABMultiValueEntry(parent_id);
"#;

fn guid(kind: u32, n: u64) -> String {
    format!(
        "{:08X}-{kind:04X}-4000-8000-{n:012X}",
        n.wrapping_mul(40_503) as u32
    )
}

/// Render a handset's address book.
pub fn render(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let mut out = Vec::new();
    if h.contacts.is_empty() {
        return out;
    }
    let current = generation == 0;
    let mut live = Vec::new();
    let mut wal = Vec::new();
    let mut deletes = Vec::new();
    live.push(if current {
        format!(
            "INSERT INTO ABStore (ROWID, Name, Type, guid) VALUES (0, NULL, 0, {});",
            q(&guid(0, 0))
        )
    } else {
        "INSERT INTO ABStore (ROWID, Name, Type) VALUES (0, NULL, 0);".to_string()
    });
    let mut labels: BTreeMap<String, i64> = BTreeMap::new();
    let mut label_id = |l: &str, live: &mut Vec<String>| -> i64 {
        let s = stored_label(l);
        let n = labels.len() as i64 + 1;
        *labels.entry(s.clone()).or_insert_with(|| {
            live.push(format!(
                "INSERT INTO ABMultiValueLabel (ROWID, value) VALUES ({n}, {});",
                q(&s)
            ));
            n
        })
    };
    let mut uid = 0i64;
    for (i, c) in h.contacts.iter().enumerate() {
        let rowid = i as i64 + 1;
        // Labels are shared rows: always live.
        let mut values = Vec::new();
        for (_, raw, label) in &c.numbers {
            values.push((3, raw.clone(), label_id(label, &mut live)));
        }
        for e in &c.emails {
            values.push((4, e.clone(), label_id("Home", &mut live)));
        }
        let target = if c.state == GState::WalOnly {
            &mut wal
        } else {
            &mut live
        };
        let (first, last) = split_name(&c.name);
        let created = 700_000_000 + rowid * 3_600;
        target.push(if current {
            format!(
                "INSERT INTO ABPerson (ROWID, First, Last, Kind, CreationDate, ModificationDate, StoreID, FirstSort, LastSort, guid) VALUES ({rowid}, {}, {}, 0, {created}, {created}, 0, {}, {}, {});",
                q(&first),
                qo(last.as_deref()),
                q(&c.name.to_uppercase()),
                q(&c.name.to_uppercase()),
                q(&guid(1, rowid as u64)),
            )
        } else {
            format!(
                "INSERT INTO ABPerson (ROWID, First, Last, Kind, CreationDate, ModificationDate, StoreID, FirstSort, LastSort) VALUES ({rowid}, {}, {}, 0, {created}, {created}, 0, {}, {});",
                q(&first),
                qo(last.as_deref()),
                q(&c.name.to_uppercase()),
                q(&c.name.to_uppercase()),
            )
        });
        for (ident, (prop, value, label)) in values.iter().enumerate() {
            uid += 1;
            target.push(if current {
                format!(
                    "INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value, guid) VALUES ({uid}, {rowid}, {prop}, {ident}, {label}, {}, {});",
                    q(value),
                    q(&guid(2, uid as u64)),
                )
            } else {
                format!(
                    "INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value) VALUES ({uid}, {rowid}, {prop}, {ident}, {label}, {});",
                    q(value),
                )
            });
            if *prop == 3 {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                let last4 = &digits[digits.len().saturating_sub(4)..];
                target.push(format!(
                    "INSERT INTO ABPhoneLastFour (multivalue_id, value) VALUES ({uid}, {});",
                    q(last4)
                ));
            }
        }
        if c.state == GState::Deleted {
            deletes.push(format!(
                "DELETE FROM ABMultiValue WHERE record_id = {rowid};"
            ));
            deletes.push(format!("DELETE FROM ABPerson WHERE ROWID = {rowid};"));
        }
    }
    live.extend(deletes);
    live.push(
        "INSERT INTO _SqliteDatabaseProperties (key, value) VALUES ('_ClientVersion', '84');"
            .to_string(),
    );
    let schema = if current {
        SCHEMA_CURRENT
    } else {
        SCHEMA_OLDER
    };
    push_db(&mut out, PATH, build(4096, schema, &live, &wal));
    out
}
