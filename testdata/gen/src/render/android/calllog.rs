//! `calllog.db` (Android 7+), in the layout of the public andriller sample (`user_version` 5), and
//! the legacy `calls` table that Android 4.x kept inside `contacts2.db`.
//!
//! A call's `name` is the saved contact name of its peer (by E.164) when there is one;
//! `phone_account_address` is the handset's main number when the handset records its own number.
use super::{is_cellular_call, Profile, Stmts};
use crate::sqlitefile::{build, q, qo, DbFiles};
use crate::world::{GCall, GCallDir, Handset};

pub const SCHEMA: &str = r#"
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE properties (property_key TEXT PRIMARY KEY, property_value TEXT );
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,presentation INTEGER NOT NULL DEFAULT 1,post_dial_digits TEXT NOT NULL DEFAULT '',via_number TEXT NOT NULL DEFAULT '',date INTEGER,duration INTEGER,data_usage INTEGER,type INTEGER,features INTEGER NOT NULL DEFAULT 0,subscription_component_name TEXT,subscription_id TEXT,phone_account_address TEXT,phone_account_hidden INTEGER NOT NULL DEFAULT 0,sub_id INTEGER DEFAULT -1,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,photo_uri TEXT,formatted_number TEXT,add_for_all_users INTEGER NOT NULL DEFAULT 1,last_modified INTEGER DEFAULT 0,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,transcription TEXT,transcription_state INTEGER NOT NULL DEFAULT 0,state INTEGER,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,backed_up INTEGER NOT NULL DEFAULT 0,restored INTEGER NOT NULL DEFAULT 0,archived INTEGER NOT NULL DEFAULT 0,is_omtp_voicemail INTEGER NOT NULL DEFAULT 0,conference_call_id INTEGER NOT NULL DEFAULT -1,indicate_phone_or_sim_contact INTEGER NOT NULL DEFAULT -1,is_sdn_contact INTEGER NOT NULL DEFAULT 0);
CREATE TABLE conference_calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,group_id INTEGER,conference_date INTEGER, conference_duration INTEGER DEFAULT -1 );
CREATE TABLE voicemail_status (_id INTEGER PRIMARY KEY AUTOINCREMENT,source_package TEXT NOT NULL,phone_account_component_name TEXT,phone_account_id TEXT,settings_uri TEXT,voicemail_access_uri TEXT,configuration_state INTEGER,data_channel_state INTEGER,notification_channel_state INTEGER,quota_occupied INTEGER DEFAULT -1,quota_total INTEGER DEFAULT -1,source_type TEXT);
PRAGMA user_version = 5;
"#;

/// The legacy `calls` table of Android 4.x `contacts2.db` (as in the plaso sample).
pub const LEGACY_CALLS_TABLE: &str = "CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,date INTEGER,duration INTEGER,type INTEGER,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,formatted_number TEXT,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,state INTEGER);";

/// Android call log `type` of a world call.
pub fn call_type(d: GCallDir) -> i64 {
    match d {
        GCallDir::Incoming => 1,
        GCallDir::Outgoing => 2,
        GCallDir::Missed => 3,
        GCallDir::Rejected => 5,
    }
}

/// The cellular calls of a handset, in world order.
pub fn calls(h: &Handset) -> Vec<&GCall> {
    h.calls.iter().filter(|c| is_cellular_call(c.app)).collect()
}

/// The saved name of a number, if a contact has it.
pub fn saved_name<'a>(h: &'a Handset, e164: &str) -> Option<&'a str> {
    h.contacts
        .iter()
        .find(|c| c.numbers.iter().any(|(e, _, _)| e == e164))
        .map(|c| c.name.as_str())
}

/// Statements for the calls of a handset (`modern`: the calllog.db columns).
pub fn call_stmts(h: &Handset, modern: bool) -> Stmts {
    let mut st = Stmts::default();
    for (i, c) in calls(h).into_iter().enumerate() {
        let id = i as i64 + 1;
        let name = saved_name(h, &c.peer);
        let ins = if modern {
            let acct = h.records_owner.then(|| h.owner());
            format!(
                "INSERT INTO calls (_id,number,presentation,date,duration,type,features,subscription_component_name,subscription_id,phone_account_address,sub_id,new,name,numbertype,countryiso,is_read,normalized_number,last_modified) VALUES ({id},{},1,{},{},{},{},'com.android.phone/com.android.services.telephony.TelephonyConnectionService','8944000000000000001',{},1,0,{},{},'GB',1,{},{});",
                q(&c.peer_raw),
                c.ts_ms,
                c.duration_s,
                call_type(c.direction),
                i64::from(c.video),
                qo(acct),
                qo(name),
                if name.is_some() { "2" } else { "NULL" },
                q(&c.peer),
                c.ts_ms + c.duration_s * 1000,
            )
        } else {
            format!(
                "INSERT INTO calls (_id,number,date,duration,type,new,name,numbertype,countryiso,is_read,normalized_number,photo_id,formatted_number) VALUES ({id},{},{},{},{},0,{},{},'GB',1,{},0,NULL);",
                q(&c.peer_raw),
                c.ts_ms,
                c.duration_s,
                call_type(c.direction),
                qo(name),
                if name.is_some() { "2" } else { "NULL" },
                q(&c.peer),
            )
        };
        st.record(
            c.state,
            vec![ins],
            vec![format!("DELETE FROM calls WHERE _id = {id};")],
        );
    }
    st
}

pub fn render(h: &Handset, _p: Profile) -> DbFiles {
    let mut st = call_stmts(h, true);
    let mut live = vec!["INSERT INTO android_metadata VALUES ('en_GB');".to_string()];
    live.extend(st.live_then_deletes());
    build(4096, SCHEMA, &live, &st.wal)
}
