//! Samsung `logs.db` (`com.sec.android.provider.logsprovider`): the `logs` table as the Samsung
//! LogsProvider creates it (database version 51, from its `DatabaseHelper.onCreate`), with the
//! handset's cellular calls (`logtype` 100), SMS (300) and MMS (200) copies, each in world order
//! (calls first, then messages) and with the record's own state.
use super::calllog::{call_type, calls, saved_name};
use super::{Profile, Stmts};
use crate::sqlitefile::{build, q, qo, DbFiles};
use crate::world::{GApp, Handset};

pub const SCHEMA: &str = r#"
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE logs (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,address TEXT,date INTEGER,duration INTEGER,type INTEGER,new INTEGER,name TEXT,name_reversed TEXT,numbertype INTEGER,numberlabel TEXT,voicemail_uri TEXT,is_read INTEGER,countryiso TEXT,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,formatted_number TEXT,messageid TEXT,logtype INTEGER NOT NULL,frequent INTEGER,contactid INTEGER NOT NULL,raw_contact_id INTEGER,m_subject TEXT,m_content TEXT,sns_tid TEXT,sns_pkey TEXT,account_name TEXT,account_id TEXT,sns_receiver_count TEXT,sp_type TEXT,cnap_name TEXT,cdnip_number TEXT, service_type INTEGER, country_code TEXT,cityid TEXT,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,state INTEGER);
CREATE TABLE sns_msg_receiver_map (_id INTEGER PRIMARY KEY AUTOINCREMENT,message_id INTEGER,receiver_id TEXT,receiver_name TEXT);
PRAGMA user_version = 51;
"#;

pub fn render(h: &Handset, _p: Profile) -> DbFiles {
    let mut st = Stmts::default();
    let mut id = 0i64;
    for c in calls(h) {
        id += 1;
        st.record(
            c.state,
            vec![format!(
                "INSERT INTO logs (_id,number,date,duration,type,new,name,is_read,countryiso,normalized_number,logtype,contactid,service_type) VALUES ({id},{},{},{},{},0,{},1,'GB',{},100,0,{});",
                q(&c.peer_raw),
                c.ts_ms,
                c.duration_s,
                call_type(c.direction),
                qo(saved_name(h, &c.peer)),
                q(&c.peer),
                if c.video { 2 } else { 1 },
            )],
            vec![format!("DELETE FROM logs WHERE _id = {id};")],
        );
    }
    for (i, m) in h
        .messages
        .iter()
        .filter(|m| matches!(m.app, GApp::Sms | GApp::Mms))
        .enumerate()
    {
        id += 1;
        let logtype = if m.app == GApp::Mms { 200 } else { 300 };
        st.record(
            m.state,
            vec![format!(
                "INSERT INTO logs (_id,number,date,duration,type,new,name,is_read,messageid,logtype,contactid,m_content) VALUES ({id},{},{},0,{},0,{},{},{},{logtype},0,{});",
                q(&m.peer_raw),
                m.ts_ms,
                if m.outgoing { 2 } else { 1 },
                qo(saved_name(h, &m.peer)),
                i64::from(m.read),
                q(&(i + 1).to_string()),
                q(&m.body),
            )],
            vec![format!("DELETE FROM logs WHERE _id = {id};")],
        );
    }
    let mut live = vec!["INSERT INTO android_metadata VALUES ('en_GB');".to_string()];
    live.extend(st.live_then_deletes());
    build(4096, SCHEMA, &live, &st.wal)
}
