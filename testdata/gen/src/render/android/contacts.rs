//! `contacts2.db` of the contacts provider in two layouts:
//! - Modern / Samsung (Android 7+): `accounts` table with `raw_contacts.account_id`, no `calls`
//!   (the call log is in `calllog.db`);
//! - Legacy (Android 4.0-4.2): `raw_contacts.account_name`/`account_type`, and the `calls` table
//!   (the plaso sample's layout), holding the handset's calls.
//!
//! The real `COLLATE PHONEBOOK` clauses of `raw_contacts.sort_key`/`sort_key_alt` are written into
//! the stored schema text after creation (plain SQLite cannot create them without the
//! collation), so readers meet them as on a phone. Mimetype ids follow a real install (1 email_v2, 5 phone_v2, 7 name, ...).
//! Every contact also gets a structured-name `data` row (not a number: parsers must skip it).
//! Contacts with an even index belong to a Google account ([`account_of`]), the others to the
//! phone's local account (no name/type).
use super::calllog::{call_stmts, LEGACY_CALLS_TABLE};
use super::{Profile, Stmts};
use crate::sqlitefile::{build, q, qo, DbFiles};
use crate::world::Handset;

// The contacts provider runs without foreign-key enforcement (its schema even references tables
// that do not exist, `package` and `mimetype`), so the generator does too.
const COMMON: &str = r#"
PRAGMA foreign_keys = OFF;
CREATE TABLE _sync_state (_id INTEGER PRIMARY KEY,account_name TEXT NOT NULL,account_type TEXT NOT NULL,data TEXT,UNIQUE(account_name, account_type));
CREATE TABLE _sync_state_metadata (version INTEGER);
CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_name TEXT, account_type TEXT, data_set TEXT);
CREATE TABLE agg_exceptions (_id INTEGER PRIMARY KEY AUTOINCREMENT,type INTEGER NOT NULL, raw_contact_id1 INTEGER REFERENCES raw_contacts(_id), raw_contact_id2 INTEGER REFERENCES raw_contacts(_id));
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,name_raw_contact_id INTEGER REFERENCES raw_contacts(_id),photo_id INTEGER REFERENCES data(_id),photo_file_id INTEGER REFERENCES photo_files(_id),custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,has_phone_number INTEGER NOT NULL DEFAULT 0,lookup TEXT,status_update_id INTEGER REFERENCES data(_id), contact_last_updated_timestamp INTEGER);
CREATE TABLE deleted_contacts (contact_id INTEGER PRIMARY KEY,contact_deleted_timestamp INTEGER NOT NULL default 0);
CREATE TABLE groups (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),account_name STRING DEFAULT NULL, account_type STRING DEFAULT NULL, data_set STRING DEFAULT NULL, sourceid TEXT,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,title TEXT,title_res INTEGER,notes TEXT,system_id TEXT,deleted INTEGER NOT NULL DEFAULT 0,group_visible INTEGER NOT NULL DEFAULT 0,should_sync INTEGER NOT NULL DEFAULT 1,auto_add INTEGER NOT NULL DEFAULT 0,favorites INTEGER NOT NULL DEFAULT 0,group_is_read_only INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT , account_id INTEGER REFERENCES accounts(_id));
CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT,mimetype TEXT NOT NULL);
CREATE TABLE name_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_name TEXT NOT NULL,name_type INTEGER NOT NULL,PRIMARY KEY (data_id, normalized_name, name_type));
CREATE TABLE packages (_id INTEGER PRIMARY KEY AUTOINCREMENT,package TEXT NOT NULL);
CREATE TABLE phone_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_number TEXT NOT NULL,min_match TEXT NOT NULL);
CREATE TABLE photo_files (_id INTEGER PRIMARY KEY AUTOINCREMENT, height INTEGER NOT NULL, width INTEGER NOT NULL, filesize INTEGER NOT NULL);
CREATE TABLE properties (property_key TEXT PRIMARY KEY, property_value TEXT );
CREATE INDEX mime_type ON mimetypes (mimetype);
"#;

const LEGACY_RAW: &str = "CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_name STRING DEFAULT NULL, account_type STRING DEFAULT NULL, data_set STRING DEFAULT NULL, sourceid TEXT,raw_contact_is_read_only INTEGER NOT NULL DEFAULT 0,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,contact_id INTEGER REFERENCES contacts(_id),aggregation_mode INTEGER NOT NULL DEFAULT 0,aggregation_needed INTEGER NOT NULL DEFAULT 1,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,display_name TEXT,display_name_alt TEXT,display_name_source INTEGER NOT NULL DEFAULT 0,phonetic_name TEXT,phonetic_name_style TEXT,sort_key TEXT,sort_key_alt TEXT,name_verified INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT );
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),mimetype_id INTEGER REFERENCES mimetype(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,is_read_only INTEGER NOT NULL DEFAULT 0,is_primary INTEGER NOT NULL DEFAULT 0,is_super_primary INTEGER NOT NULL DEFAULT 0,data_version INTEGER NOT NULL DEFAULT 0,data1 TEXT,data2 TEXT,data3 TEXT,data4 TEXT,data5 TEXT,data6 TEXT,data7 TEXT,data8 TEXT,data9 TEXT,data10 TEXT,data11 TEXT,data12 TEXT,data13 TEXT,data14 TEXT,data15 TEXT,data_sync1 TEXT, data_sync2 TEXT, data_sync3 TEXT, data_sync4 TEXT );";

const MODERN_RAW: &str = "CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_id INTEGER REFERENCES accounts(_id),sourceid TEXT,backup_id TEXT,raw_contact_is_read_only INTEGER NOT NULL DEFAULT 0,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,metadata_dirty INTEGER NOT NULL DEFAULT 0,contact_id INTEGER REFERENCES contacts(_id),aggregation_mode INTEGER NOT NULL DEFAULT 0,aggregation_needed INTEGER NOT NULL DEFAULT 1,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,x_times_contacted INTEGER NOT NULL DEFAULT 0,x_last_time_contacted INTEGER,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,display_name TEXT,display_name_alt TEXT,display_name_source INTEGER NOT NULL DEFAULT 0,phonetic_name TEXT,phonetic_name_style TEXT,sort_key TEXT,phonebook_label TEXT,phonebook_bucket INTEGER,sort_key_alt TEXT,phonebook_label_alt TEXT,phonebook_bucket_alt INTEGER,name_verified INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT );
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),mimetype_id INTEGER REFERENCES mimetype(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,hash_id TEXT,is_read_only INTEGER NOT NULL DEFAULT 0,is_primary INTEGER NOT NULL DEFAULT 0,is_super_primary INTEGER NOT NULL DEFAULT 0,data_version INTEGER NOT NULL DEFAULT 0,data1 TEXT,data2 TEXT,data3 TEXT,data4 TEXT,data5 TEXT,data6 TEXT,data7 TEXT,data8 TEXT,data9 TEXT,data10 TEXT,data11 TEXT,data12 TEXT,data13 TEXT,data14 TEXT,data15 TEXT,data_sync1 TEXT, data_sync2 TEXT, data_sync3 TEXT, data_sync4 TEXT, carrier_presence INTEGER NOT NULL DEFAULT 0, preferred_phone_account_component_name TEXT, preferred_phone_account_id TEXT );";

/// Mimetype rows of a real install, in id order.
const MIMETYPES: &[&str] = &[
    "vnd.android.cursor.item/email_v2",
    "vnd.android.cursor.item/im",
    "vnd.android.cursor.item/nickname",
    "vnd.android.cursor.item/organization",
    "vnd.android.cursor.item/phone_v2",
    "vnd.android.cursor.item/sip_address",
    "vnd.android.cursor.item/name",
    "vnd.android.cursor.item/postal-address_v2",
    "vnd.android.cursor.item/identity",
    "vnd.android.cursor.item/photo",
    "vnd.android.cursor.item/group_membership",
];
const EMAIL_MIME_ID: i64 = 1;
const PHONE_MIME_ID: i64 = 5;
const NAME_MIME_ID: i64 = 7;

/// The account (name, type) of the i-th contact: even indexes a Google account, odd the local
/// phone account (none).
pub fn account_of(i: usize) -> Option<(&'static str, &'static str)> {
    i.is_multiple_of(2)
        .then_some(("handset.owner@example.com", "com.google"))
}

/// `Phone.TYPE` (and custom label) of a world label.
pub fn phone_type(label: &str) -> (i64, Option<&str>) {
    match label {
        "Home" => (1, None),
        "Mobile" => (2, None),
        "Work" => (3, None),
        "Other" => (7, None),
        "Main" => (12, None),
        "Work Mobile" => (17, None),
        custom => (0, Some(custom)),
    }
}

pub fn schema(p: Profile) -> String {
    match p {
        Profile::Legacy => {
            format!("{COMMON}{LEGACY_RAW}\n{LEGACY_CALLS_TABLE}\nPRAGMA user_version = 622;\n")
        }
        _ => format!("{COMMON}{MODERN_RAW}\nPRAGMA user_version = 1300;\n"),
    }
}

pub fn render(h: &Handset, p: Profile) -> DbFiles {
    let legacy = p == Profile::Legacy;
    let mut live = vec![
        "INSERT INTO android_metadata VALUES ('en_GB');".to_string(),
        // Put the real `COLLATE PHONEBOOK` clauses into the stored schema text (SQLite cannot
        // create them without the collation, but a reader must cope with them).
        "PRAGMA writable_schema = ON;".to_string(),
        "UPDATE sqlite_master SET sql = replace(replace(sql, 'sort_key TEXT,', 'sort_key TEXT COLLATE PHONEBOOK,'), 'sort_key_alt TEXT,', 'sort_key_alt TEXT COLLATE PHONEBOOK,') WHERE type = 'table' AND name = 'raw_contacts';".to_string(),
        "PRAGMA writable_schema = OFF;".to_string(),
    ];
    for (i, m) in MIMETYPES.iter().enumerate() {
        live.push(format!(
            "INSERT INTO mimetypes (_id,mimetype) VALUES ({},{});",
            i + 1,
            q(m)
        ));
    }
    if !legacy {
        live.push("INSERT INTO accounts (_id,account_name,account_type,data_set) VALUES (1,NULL,NULL,NULL);".into());
        live.push("INSERT INTO accounts (_id,account_name,account_type,data_set) VALUES (2,'handset.owner@example.com','com.google',NULL);".into());
    }
    let mut st = Stmts::default();
    let mut data_id = 0i64;
    for (i, c) in h.contacts.iter().enumerate() {
        let rid = i as i64 + 1;
        let acct = account_of(i);
        let raw = if legacy {
            format!(
                "INSERT INTO raw_contacts (_id,account_name,account_type,contact_id,display_name,display_name_alt,display_name_source,sort_key,sort_key_alt) VALUES ({rid},{},{},{rid},{},{},40,{},{});",
                qo(acct.map(|a| a.0)),
                qo(acct.map(|a| a.1)),
                q(&c.name),
                q(&alt_name(&c.name)),
                q(&c.name),
                q(&alt_name(&c.name))
            )
        } else {
            format!(
                "INSERT INTO raw_contacts (_id,account_id,contact_id,display_name,display_name_alt,display_name_source,sort_key,phonebook_label,sort_key_alt) VALUES ({rid},{},{rid},{},{},40,{},{},{});",
                if acct.is_some() { 2 } else { 1 },
                q(&c.name),
                q(&alt_name(&c.name)),
                q(&c.name),
                q(&c.name.chars().next().map(|ch| ch.to_uppercase().to_string()).unwrap_or_default()),
                q(&alt_name(&c.name))
            )
        };
        let mut ins = vec![
            format!(
                "INSERT INTO contacts (_id,name_raw_contact_id,has_phone_number,lookup) VALUES ({rid},{rid},{},{});",
                i64::from(!c.numbers.is_empty()),
                q(&format!("0r{rid}-{rid}"))
            ),
            raw,
        ];
        data_id += 1;
        ins.push(format!(
            "INSERT INTO data (_id,mimetype_id,raw_contact_id,data1,data2,data3) VALUES ({data_id},{NAME_MIME_ID},{rid},{},{},{});",
            q(&c.name),
            q(c.name.split_whitespace().next().unwrap_or("")),
            qo(c.name.split_whitespace().nth(1)),
        ));
        for (_e164, stored, label) in &c.numbers {
            data_id += 1;
            let (ty, custom) = phone_type(label);
            ins.push(format!(
                "INSERT INTO data (_id,mimetype_id,raw_contact_id,is_primary,data1,data2,data3,data4) VALUES ({data_id},{PHONE_MIME_ID},{rid},0,{},{},{},{});",
                q(stored),
                ty,
                qo(custom),
                q(_e164)
            ));
        }
        for e in &c.emails {
            data_id += 1;
            ins.push(format!(
                "INSERT INTO data (_id,mimetype_id,raw_contact_id,data1,data2) VALUES ({data_id},{EMAIL_MIME_ID},{rid},{},1);",
                q(e)
            ));
        }
        let del = vec![
            format!("DELETE FROM data WHERE raw_contact_id = {rid};"),
            format!("DELETE FROM raw_contacts WHERE _id = {rid};"),
            format!("DELETE FROM contacts WHERE _id = {rid};"),
        ];
        st.record(c.state, ins, del);
    }
    let mut wal = std::mem::take(&mut st.wal);
    live.extend(st.live_then_deletes());
    if legacy {
        let mut calls = call_stmts(h, false);
        live.extend(calls.live_then_deletes());
        wal.extend(calls.wal);
    }
    build(if legacy { 1024 } else { 4096 }, &schema(p), &live, &wal)
}

/// "Surname, Given" form of a name.
fn alt_name(name: &str) -> String {
    let parts: Vec<&str> = name.split_whitespace().collect();
    match parts.as_slice() {
        [given, rest @ ..] if !rest.is_empty() => format!("{}, {given}", rest.join(" ")),
        _ => name.to_string(),
    }
}
