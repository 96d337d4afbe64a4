//! `mmssms.db` of the telephony provider in three layouts:
//! - Legacy: the Android 4.x tables (as in the public plaso sample, `user_version` 57);
//! - Modern: AOSP `MmsSmsDatabaseHelper` of Android 10+ (`sub_id`, `creator`, `archived`,
//!   `raw.deleted` ...), `user_version` 67;
//! - Samsung: Modern plus Samsung's extra `sms`/`pdu` columns (a representative subset of the
//!   One UI list) and its `spam_sms` table.
//!
//! Threads: one per 1:1 peer (by E.164) and one per group; `canonical_addresses` keeps the first
//! stored form of each number. An outgoing SMS to several recipients becomes one `sms` row per
//! recipient (as Android stores it). Triggers are left out: rows are written as the provider's
//! end state.
use std::collections::BTreeMap;

use super::{mms_image_name, Profile, Stmts};
use crate::sqlitefile::{build, q, DbFiles};
use crate::world::{GApp, GMessage, Handset};

const LEGACY_SCHEMA: &str = r#"
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT,thread_id INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,msg_box INTEGER,read INTEGER DEFAULT 0,m_id TEXT,sub TEXT,sub_cs INTEGER,ct_t TEXT,ct_l TEXT,exp INTEGER,m_cls TEXT,m_type INTEGER,v INTEGER,m_size INTEGER,pri INTEGER,rr INTEGER,rpt_a INTEGER,resp_st INTEGER,st INTEGER,tr_id TEXT,retr_st INTEGER,retr_txt TEXT,retr_txt_cs INTEGER,read_status INTEGER,ct_cls INTEGER,resp_txt TEXT,d_tm INTEGER,d_rpt INTEGER,locked INTEGER DEFAULT 0,seen INTEGER DEFAULT 0,text_only INTEGER DEFAULT 0);
CREATE TABLE addr (_id INTEGER PRIMARY KEY,msg_id INTEGER,contact_id INTEGER,address TEXT,type INTEGER,charset INTEGER);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT,mid INTEGER,seq INTEGER DEFAULT 0,ct TEXT,name TEXT,chset INTEGER,cd TEXT,fn TEXT,cid TEXT,cl TEXT,ctt_s INTEGER,ctt_t TEXT,_data TEXT,text TEXT);
CREATE TABLE rate (sent_time INTEGER);
CREATE TABLE drm (_id INTEGER PRIMARY KEY,_data TEXT);
CREATE TABLE sms (_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,error_code INTEGER DEFAULT 0,seen INTEGER DEFAULT 0);
CREATE TABLE raw (_id INTEGER PRIMARY KEY,date INTEGER,reference_number INTEGER,count INTEGER,sequence INTEGER,destination_port INTEGER,address TEXT,pdu TEXT);
CREATE TABLE attachments (sms_id INTEGER,content_url TEXT,offset INTEGER);
CREATE TABLE sr_pending (reference_number INTEGER,action TEXT,data TEXT);
CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT,address TEXT);
CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT,date INTEGER DEFAULT 0,message_count INTEGER DEFAULT 0,recipient_ids TEXT,snippet TEXT,snippet_cs INTEGER DEFAULT 0,read INTEGER DEFAULT 1,type INTEGER DEFAULT 0,error INTEGER DEFAULT 0,has_attachment INTEGER DEFAULT 0);
CREATE TABLE pending_msgs (_id INTEGER PRIMARY KEY,proto_type INTEGER,msg_id INTEGER,msg_type INTEGER,err_type INTEGER,err_code INTEGER,retry_index INTEGER NOT NULL DEFAULT 0,due_time INTEGER,last_try INTEGER);
CREATE INDEX typeThreadIdIndex ON sms (type, thread_id);
PRAGMA user_version = 57;
"#;

const MODERN_SCHEMA: &str = r#"
CREATE TABLE android_metadata (locale TEXT);
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT,thread_id INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,msg_box INTEGER,read INTEGER DEFAULT 0,m_id TEXT,sub TEXT,sub_cs INTEGER,ct_t TEXT,ct_l TEXT,exp INTEGER,m_cls TEXT,m_type INTEGER,v INTEGER,m_size INTEGER,pri INTEGER,rr INTEGER,rpt_a INTEGER,resp_st INTEGER,st INTEGER,tr_id TEXT,retr_st INTEGER,retr_txt TEXT,retr_txt_cs INTEGER,read_status INTEGER,ct_cls INTEGER,resp_txt TEXT,d_tm INTEGER,d_rpt INTEGER,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1, seen INTEGER DEFAULT 0,creator TEXT,text_only INTEGER DEFAULT 0);
CREATE TABLE addr (_id INTEGER PRIMARY KEY,msg_id INTEGER,contact_id INTEGER,address TEXT,type INTEGER,charset INTEGER);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT,mid INTEGER,seq INTEGER DEFAULT 0,ct TEXT,name TEXT,chset INTEGER,cd TEXT,fn TEXT,cid TEXT,cl TEXT,ctt_s INTEGER,ctt_t TEXT,_data TEXT,text TEXT);
CREATE TABLE rate (sent_time INTEGER);
CREATE TABLE drm (_id INTEGER PRIMARY KEY,_data TEXT);
CREATE TABLE sms (_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT -1, creator TEXT,seen INTEGER DEFAULT 0);
CREATE TABLE raw (_id INTEGER PRIMARY KEY,date INTEGER,reference_number INTEGER,count INTEGER,sequence INTEGER,destination_port INTEGER,address TEXT,sub_id INTEGER DEFAULT -1, pdu TEXT,deleted INTEGER DEFAULT 0,message_body TEXT,display_originating_addr TEXT);
CREATE TABLE attachments (sms_id INTEGER,content_url TEXT,offset INTEGER);
CREATE TABLE sr_pending (reference_number INTEGER,action TEXT,data TEXT);
CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT,address TEXT);
CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT,date INTEGER DEFAULT 0,message_count INTEGER DEFAULT 0,recipient_ids TEXT,snippet TEXT,snippet_cs INTEGER DEFAULT 0,read INTEGER DEFAULT 1,archived INTEGER DEFAULT 0,type INTEGER DEFAULT 0,error INTEGER DEFAULT 0,has_attachment INTEGER DEFAULT 0);
CREATE TABLE pending_msgs (_id INTEGER PRIMARY KEY,proto_type INTEGER,msg_id INTEGER,msg_type INTEGER,err_type INTEGER,err_code INTEGER,retry_index INTEGER NOT NULL DEFAULT 0,due_time INTEGER,pending_sub_id INTEGER DEFAULT -1, last_try INTEGER);
CREATE INDEX typeThreadIdIndex ON sms (type, thread_id);
CREATE INDEX threadIdIndex ON pdu (thread_id);
CREATE INDEX partMidIndex ON part (mid);
CREATE INDEX addrMsgIdIndex ON addr (msg_id);
CREATE VIEW sms_restricted AS SELECT * FROM sms WHERE type=1 OR type=2;
CREATE VIEW pdu_restricted AS SELECT * FROM pdu WHERE (msg_box=1 OR msg_box=2) AND (m_type!=130);
PRAGMA user_version = 67;
"#;

/// Samsung's extra columns on `sms` (a representative subset of One UI's list).
const SAMSUNG_SMS_EXTRA: &str = ",group_id INTEGER,group_type INTEGER,delivery_date INTEGER,app_id INTEGER DEFAULT 0,msg_id INTEGER DEFAULT 0,callback_number TEXT,reserved INTEGER DEFAULT 0,pri INTEGER DEFAULT 0,teleservice_id INTEGER DEFAULT 0,link_url TEXT,svc_cmd INTEGER DEFAULT 0,svc_cmd_content TEXT,roam_pending INTEGER DEFAULT 0,spam_report INTEGER DEFAULT 0,secret_mode INTEGER DEFAULT 0,safe_message INTEGER DEFAULT 0,favorite INTEGER DEFAULT 0,d_rpt_cnt INTEGER DEFAULT 0,using_mode INTEGER DEFAULT 0,announcements_subtype INTEGER DEFAULT 0,announcements_scenario_id TEXT,device_name TEXT,correlation_tag TEXT,object_id TEXT,cmc_prop TEXT,bin_info INTEGER DEFAULT 0,re_original_body TEXT,re_body TEXT,re_type INTEGER DEFAULT 0,sim_slot INTEGER DEFAULT 0,sim_imsi TEXT,hidden INTEGER DEFAULT 0";

fn samsung_schema() -> String {
    let sms_core = "_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT -1, creator TEXT,seen INTEGER DEFAULT 0";
    let modern_sms = format!("CREATE TABLE sms ({sms_core});");
    let samsung_sms = format!("CREATE TABLE sms ({sms_core}{SAMSUNG_SMS_EXTRA});");
    let mut s = MODERN_SCHEMA
        .replace(&modern_sms, &samsung_sms)
        .replace(
            "text_only INTEGER DEFAULT 0);",
            "text_only INTEGER DEFAULT 0,spam_report INTEGER DEFAULT 0,secret_mode INTEGER DEFAULT 0,safe_message INTEGER DEFAULT 0,favorite INTEGER DEFAULT 0,sim_slot INTEGER DEFAULT 0,sim_imsi TEXT,hidden INTEGER DEFAULT 0);",
        )
        .replace("PRAGMA user_version = 67;", "");
    assert!(s.contains("spam_report"), "Samsung sms columns not applied");
    s.push_str(&format!(
        "CREATE TABLE spam_sms ({sms_core},group_id INTEGER,delivery_date INTEGER,app_id INTEGER DEFAULT 0,msg_id INTEGER DEFAULT 0,reserved INTEGER DEFAULT 0,pri INTEGER DEFAULT 0,spam_report INTEGER DEFAULT 0,sim_slot INTEGER DEFAULT 0,sim_imsi TEXT);\nPRAGMA user_version = 8014;\n"
    ));
    s
}

/// The address MMS stores for the handset itself.
pub const SELF_TOKEN: &str = "insert-address-token";

/// Schema of a profile.
pub fn schema(p: Profile) -> String {
    match p {
        Profile::Legacy => LEGACY_SCHEMA.to_string(),
        Profile::Modern => MODERN_SCHEMA.to_string(),
        Profile::Samsung => samsung_schema(),
    }
}

/// Threads and canonical addresses, assigned in first-seen order.
#[derive(Debug, Default)]
pub struct Threads {
    /// Conversation key -> (thread id, canonical address ids).
    pub by_key: BTreeMap<String, (i64, Vec<i64>)>,
    /// E.164 -> (canonical id, stored form).
    pub canon: BTreeMap<String, (i64, String)>,
    next_thread: i64,
}

impl Threads {
    fn canon_id(&mut self, e164: &str, raw: &str) -> i64 {
        let n = self.canon.len() as i64 + 1;
        self.canon
            .entry(e164.to_string())
            .or_insert_with(|| (n, raw.to_string()))
            .0
    }
    /// The thread of a message (and its recipients).
    pub fn thread_of(&mut self, m: &GMessage) -> i64 {
        let (key, members): (String, Vec<(String, String)>) = match &m.group {
            Some(g) => (
                format!("group:{}", g.id),
                g.members.iter().map(|x| (x.clone(), x.clone())).collect(),
            ),
            None => {
                let mut v = vec![(m.peer.clone(), m.peer_raw.clone())];
                v.extend(m.extra_recipients.iter().map(|x| (x.clone(), x.clone())));
                let mut k: Vec<&str> = v.iter().map(|(e, _)| e.as_str()).collect();
                k.sort();
                (k.join(","), v)
            }
        };
        if let Some((id, _)) = self.by_key.get(&key) {
            return *id;
        }
        // The peer's own stored form wins for the peer, even in a group.
        let ids: Vec<i64> = members
            .iter()
            .map(|(e, r)| {
                let raw = if *e == m.peer { &m.peer_raw } else { r };
                self.canon_id(e, raw)
            })
            .collect();
        self.next_thread += 1;
        self.by_key.insert(key, (self.next_thread, ids));
        self.next_thread
    }
}

/// The messages of a handset that this database holds, in world order.
pub fn messages(h: &Handset) -> impl Iterator<Item = &GMessage> {
    h.messages
        .iter()
        .filter(|m| matches!(m.app, GApp::Sms | GApp::Mms))
}

/// Recipients (stored forms) of an outgoing SMS/MMS: peer first, then the others.
pub fn outgoing_recipients(m: &GMessage) -> Vec<String> {
    let mut v = vec![m.peer_raw.clone()];
    match &m.group {
        Some(g) => v.extend(g.members.iter().filter(|x| **x != m.peer).cloned()),
        None => v.extend(m.extra_recipients.iter().cloned()),
    }
    v
}

pub fn render(h: &Handset, p: Profile) -> DbFiles {
    let mut st = Stmts::default();
    let mut threads = Threads::default();
    let (mut sms_id, mut pdu_id, mut addr_id, mut part_id) = (0i64, 0i64, 0i64, 0i64);
    let modern = p != Profile::Legacy;
    for m in messages(h) {
        let thread = threads.thread_of(m);
        let read = i64::from(m.read);
        match m.app {
            GApp::Sms => {
                let targets = if m.outgoing {
                    outgoing_recipients(m)
                } else {
                    vec![m.peer_raw.clone()]
                };
                let mut ins = Vec::new();
                let mut del = Vec::new();
                for addr in targets {
                    sms_id += 1;
                    let (ty, date_sent, protocol) = if m.outgoing {
                        (2, 0, "NULL".to_string())
                    } else {
                        (1, m.ts_ms - 3_000, "0".to_string())
                    };
                    let extra_cols = if modern { ",sub_id,creator" } else { "" };
                    let extra_vals = if modern {
                        format!(
                            ",1,{}",
                            q(if m.outgoing {
                                "com.google.android.apps.messaging"
                            } else {
                                "com.android.phone"
                            })
                        )
                    } else {
                        String::new()
                    };
                    ins.push(format!(
                        "INSERT INTO sms (_id,thread_id,address,person,date,date_sent,protocol,read,status,type,reply_path_present,subject,body,service_center,locked,error_code,seen{extra_cols}) VALUES ({sms_id},{thread},{},NULL,{},{date_sent},{protocol},{read},-1,{ty},0,NULL,{},NULL,0,0,1{extra_vals});",
                        q(&addr),
                        m.ts_ms,
                        q(&m.body)
                    ));
                    del.push(format!("DELETE FROM sms WHERE _id = {sms_id};"));
                }
                st.record(m.state, ins, del);
            }
            GApp::Mms => {
                pdu_id += 1;
                let secs = m.ts_ms.div_euclid(1000);
                let (msg_box, m_type) = if m.outgoing { (2, 128) } else { (1, 132) };
                let extra_cols = if modern { ",sub_id,creator" } else { "" };
                let extra_vals = if modern {
                    ",1,'com.google.android.apps.messaging'"
                } else {
                    ""
                };
                let mut ins = vec![format!(
                    "INSERT INTO pdu (_id,thread_id,date,date_sent,msg_box,read,m_id,sub,sub_cs,ct_t,m_cls,m_type,v,m_size,pri,rr,tr_id,d_rpt,locked,seen,text_only{extra_cols}) VALUES ({pdu_id},{thread},{secs},{},{msg_box},{read},{},NULL,NULL,'application/vnd.wap.multipart.related','personal',{m_type},18,{},129,129,{},129,0,1,0{extra_vals});",
                    if m.outgoing { 0 } else { secs - 2 },
                    q(&format!("mms{:08}@mms.example", m.key)),
                    m.body.len() + 600,
                    q(&format!("T{:012x}", m.key)),
                )];
                let mut addrs: Vec<(i64, String)> = Vec::new();
                if m.outgoing {
                    addrs.push((137, SELF_TOKEN.to_string()));
                    for r in outgoing_recipients(m) {
                        addrs.push((151, r));
                    }
                } else {
                    addrs.push((137, m.peer_raw.clone()));
                    if h.records_owner {
                        addrs.push((151, h.owner().to_string()));
                    }
                    if let Some(g) = &m.group {
                        for x in g.members.iter().filter(|x| **x != m.peer) {
                            addrs.push((151, x.clone()));
                        }
                    }
                }
                for (ty, a) in addrs {
                    addr_id += 1;
                    ins.push(format!(
                        "INSERT INTO addr (_id,msg_id,contact_id,address,type,charset) VALUES ({addr_id},{pdu_id},NULL,{},{ty},106);",
                        q(&a)
                    ));
                }
                part_id += 1;
                ins.push(format!(
                    "INSERT INTO part (_id,mid,seq,ct,name,chset,cd,fn,cid,cl,ctt_s,ctt_t,_data,text) VALUES ({part_id},{pdu_id},-1,'application/smil','smil.xml',NULL,NULL,NULL,'<smil>','smil.xml',NULL,NULL,NULL,'<smil><head><layout/></head><body><par dur=\"5000ms\"><text src=\"text_0.txt\"/></par></body></smil>');"
                ));
                if let Some(img) = mms_image_name(m) {
                    part_id += 1;
                    ins.push(format!(
                        "INSERT INTO part (_id,mid,seq,ct,name,chset,cd,fn,cid,cl,ctt_s,ctt_t,_data,text) VALUES ({part_id},{pdu_id},0,'image/jpeg',{},NULL,NULL,NULL,{},{},NULL,NULL,{},NULL);",
                        q(&img),
                        q(&format!("<{img}>")),
                        q(&img),
                        q(&format!(
                            "{}/app_parts/PART_{}",
                            p.de(super::TELEPHONY_PKG).trim_end_matches("/databases"),
                            1_700_000_000_000i64 + m.key as i64
                        ))
                    ));
                }
                part_id += 1;
                ins.push(format!(
                    "INSERT INTO part (_id,mid,seq,ct,name,chset,cd,fn,cid,cl,ctt_s,ctt_t,_data,text) VALUES ({part_id},{pdu_id},0,'text/plain',NULL,106,NULL,NULL,'<text_0>','text_0.txt',NULL,NULL,NULL,{});",
                    q(&m.body)
                ));
                let del = vec![
                    format!("DELETE FROM part WHERE mid = {pdu_id};"),
                    format!("DELETE FROM addr WHERE msg_id = {pdu_id};"),
                    format!("DELETE FROM pdu WHERE _id = {pdu_id};"),
                ];
                st.record(m.state, ins, del);
            }
            _ => {}
        }
    }
    let mut live = vec!["INSERT INTO android_metadata VALUES ('en_GB');".to_string()];
    for (id, raw) in threads.canon.values() {
        live.push(format!(
            "INSERT INTO canonical_addresses (_id,address) VALUES ({id},{});",
            q(raw)
        ));
    }
    let mut rows: Vec<&(i64, Vec<i64>)> = threads.by_key.values().collect();
    rows.sort();
    for (id, members) in rows {
        let ids: Vec<String> = members.iter().map(|x| x.to_string()).collect();
        live.push(format!(
            "INSERT INTO threads (_id,date,message_count,recipient_ids,snippet,read,type) VALUES ({id},0,0,{},NULL,1,{});",
            q(&ids.join(" ")),
            if members.len() > 1 { 1 } else { 0 }
        ));
    }
    live.extend(st.live_then_deletes());
    build(4096, &schema(p), &live, &st.wal)
}
