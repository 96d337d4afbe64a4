//! Android WhatsApp: `msgstore.db` in four generations, `wa.db`, the preferences XML.
use std::collections::BTreeMap;

use super::{
    broadcast_jid, broadcast_recipients, chat_jid, extras, groups, is_broadcast, jid, lid_of,
    uses_lid, wa_calls, wa_messages,
};
use crate::archive::DeviceFile;
use crate::render::push_db;
use crate::sqlitefile::{build, q, qo};
use crate::world::{GCallDir, GState, Handset, Os};

/// The modern schema (2023-2024 msgstore.db), the tables the parser reads and their neighbours.
pub const MODERN: &str = r#"
CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
CREATE UNIQUE INDEX jid_key_index ON jid (user, server, agent, device);
CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER UNIQUE, hidden INTEGER, subject TEXT, created_timestamp INTEGER, display_message_row_id INTEGER, last_message_row_id INTEGER, last_read_message_row_id INTEGER, last_read_receipt_sent_message_row_id INTEGER, last_important_message_row_id INTEGER, archived INTEGER, sort_timestamp INTEGER, mod_tag INTEGER, gen REAL, spam_detection INTEGER, unseen_earliest_message_received_time INTEGER, unseen_message_count INTEGER, unseen_missed_calls_count INTEGER, unseen_row_count INTEGER, plaintext_disabled INTEGER, vcard_ui_dismissed INTEGER, change_number_notified_message_row_id INTEGER, show_group_description INTEGER, ephemeral_expiration INTEGER, last_read_ephemeral_message_row_id INTEGER, ephemeral_setting_timestamp INTEGER, ephemeral_disappearing_messages_initiator INTEGER, unseen_important_message_count INTEGER NOT NULL DEFAULT 0, group_type INTEGER NOT NULL DEFAULT 0, last_message_reaction_row_id INTEGER, last_seen_message_reaction_row_id INTEGER, unseen_message_reaction_count INTEGER, growth_lock_level INTEGER, growth_lock_expiration_ts INTEGER, last_read_message_sort_id INTEGER, display_message_sort_id INTEGER, last_message_sort_id INTEGER, last_read_receipt_sent_message_sort_id INTEGER, has_new_community_admin_dialog_been_acknowledged INTEGER NOT NULL DEFAULT 0, history_sync_progress INTEGER);
CREATE VIEW chat_view AS SELECT chat._id AS _id, jid.raw_string AS raw_string_jid, chat.hidden AS hidden, chat.subject AS subject, chat.created_timestamp AS created_timestamp, chat.sort_timestamp AS sort_timestamp, chat.group_type AS group_type FROM chat LEFT JOIN jid ON chat.jid_row_id = jid._id;
CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER, broadcast INTEGER, recipient_count INTEGER, participant_hash TEXT, origination_flags INTEGER, origin INTEGER, timestamp INTEGER, received_timestamp INTEGER, receipt_server_timestamp INTEGER, message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER, message_add_on_flags INTEGER, sort_id INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX message_key_index ON message (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE INDEX message_sort_id_index ON message (sort_id);
CREATE TABLE message_media (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, autotransfer_retry_enabled INTEGER, multicast_id TEXT, media_job_uuid TEXT, transferred INTEGER, transcoded INTEGER, file_path TEXT, file_size INTEGER, suspicious_content INTEGER, trim_from INTEGER, trim_to INTEGER, face_x INTEGER, face_y INTEGER, media_key BLOB, media_key_timestamp INTEGER, width INTEGER, height INTEGER, has_streaming_sidecar INTEGER, gif_attribution INTEGER, thumbnail_height_width_ratio REAL, direct_path TEXT, first_scan_sidecar BLOB, first_scan_length INTEGER, message_url TEXT, mime_type TEXT, file_length INTEGER, media_name TEXT, file_hash TEXT, media_duration INTEGER, page_count INTEGER, enc_file_hash TEXT, partial_media_hash TEXT, partial_media_enc_hash TEXT, is_animated_sticker INTEGER, original_file_hash TEXT, mute_video INTEGER DEFAULT 0, media_caption TEXT);
CREATE TABLE message_location (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, latitude REAL, longitude REAL, place_name TEXT, place_address TEXT, url TEXT, live_location_share_duration INTEGER, live_location_sequence_number INTEGER, live_location_final_latitude REAL, live_location_final_longitude REAL, live_location_final_timestamp INTEGER, map_download_status INTEGER);
CREATE TABLE message_thumbnail (message_row_id INTEGER PRIMARY KEY, thumbnail BLOB);
CREATE TABLE message_vcard (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_row_id INTEGER, vcard TEXT);
CREATE TABLE message_system (message_row_id INTEGER PRIMARY KEY, action_type INTEGER NOT NULL);
CREATE TABLE message_system_group (message_row_id INTEGER PRIMARY KEY, is_me_joined INTEGER);
CREATE TABLE message_revoked (message_row_id INTEGER PRIMARY KEY, revoked_key_id TEXT NOT NULL, admin_jid_row_id INTEGER, revoke_timestamp INTEGER);
CREATE TABLE message_edit_info (message_row_id INTEGER PRIMARY KEY, original_key_id TEXT NOT NULL, edited_timestamp INTEGER NOT NULL, sender_timestamp INTEGER NOT NULL);
CREATE TABLE message_quoted (message_row_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, parent_message_chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, sender_jid_row_id INTEGER, key_id TEXT NOT NULL, timestamp INTEGER, message_type INTEGER, origin INTEGER, text_data TEXT, payment_transaction_id TEXT, lookup_tables INTEGER);
CREATE TABLE group_participant_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, group_jid_row_id INTEGER NOT NULL, user_jid_row_id INTEGER NOT NULL, rank INTEGER, pending INTEGER, add_timestamp INTEGER, label TEXT);
CREATE UNIQUE INDEX group_participant_user_index ON group_participant_user (group_jid_row_id, user_jid_row_id);
CREATE TABLE receipt_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_row_id INTEGER NOT NULL, receipt_user_jid_row_id INTEGER NOT NULL, receipt_timestamp INTEGER, read_timestamp INTEGER, played_timestamp INTEGER);
CREATE UNIQUE INDEX receipt_user_index ON receipt_user (message_row_id, receipt_user_jid_row_id);
CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT, transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER, is_dnd_mode_on INTEGER, bytes_transferred INTEGER, group_jid_row_id INTEGER NOT NULL DEFAULT 0, is_joinable_group_call INTEGER, call_creator_device_jid_row_id INTEGER NOT NULL DEFAULT 0, call_random_id TEXT, call_link_row_id INTEGER NOT NULL DEFAULT 0, is_call_link_lobby_state INTEGER, call_type INTEGER, scheduled_id TEXT);
CREATE UNIQUE INDEX call_log_key_index ON call_log (jid_row_id, from_me, call_id, transaction_id);
CREATE TABLE call_log_participant_v2 (_id INTEGER PRIMARY KEY AUTOINCREMENT, call_log_row_id INTEGER, jid_row_id INTEGER, call_result INTEGER);
"#;

/// Added by the LID-era versions.
pub const LID_TABLES: &str = r#"
CREATE TABLE jid_map (lid_row_id INTEGER PRIMARY KEY NOT NULL, jid_row_id INTEGER NOT NULL, sort_id INTEGER NOT NULL DEFAULT 0);
CREATE INDEX jid_map_jid_row_id_index ON jid_map (jid_row_id);
CREATE TABLE lid_display_name (lid_row_id INTEGER PRIMARY KEY NOT NULL, display_name TEXT, username TEXT);
"#;

/// The legacy tables (msgstore.db of 2019-2021).
pub const LEGACY: &str = r#"
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT, media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL, longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER, receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER, raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER, quoted_row_id INTEGER, mentioned_jids TEXT, multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT, payment_transaction_id TEXT, forwarded INTEGER, preview_type INTEGER, send_count INTEGER, lookup_tables INTEGER, future_message_type INTEGER, message_add_on_flags INTEGER);
CREATE UNIQUE INDEX messages_key_index ON messages (key_remote_jid, key_from_me, key_id);
CREATE INDEX messages_jid_id_index ON messages (key_remote_jid, _id);
CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER, subject TEXT, creation INTEGER, last_read_message_table_id INTEGER, last_read_receipt_sent_message_table_id INTEGER, archived INTEGER, sort_timestamp INTEGER, mod_tag INTEGER, gen REAL, my_messages INTEGER, plaintext_disabled BOOLEAN, last_message_table_id INTEGER, unseen_message_count INTEGER, unseen_missed_calls_count INTEGER, unseen_row_count INTEGER, vcard_ui_dismissed INTEGER, change_number_notified_message_id INTEGER, show_group_description INTEGER, ephemeral_expiration INTEGER, last_read_ephemeral_message_table_id INTEGER, ephemeral_setting_timestamp INTEGER);
CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL, admin INTEGER, pending INTEGER, sent_sender_key INTEGER);
CREATE UNIQUE INDEX group_participants_index ON group_participants (gjid, jid);
CREATE TABLE receipts (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_id TEXT NOT NULL, remote_resource TEXT, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER);
CREATE INDEX receipts_key_index ON receipts (key_remote_jid, key_id);
"#;

/// The legacy-era jid and call tables (present from 2019 alongside `messages`).
const LEGACY_CALLS: &str = r#"
CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
CREATE UNIQUE INDEX jid_key_index ON jid (user, server, agent, device);
CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT, transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER, bytes_transferred INTEGER);
CREATE UNIQUE INDEX call_log_key_index ON call_log (jid_row_id, from_me, call_id, transaction_id);
CREATE TABLE call_log_participant_v2 (_id INTEGER PRIMARY KEY AUTOINCREMENT, call_log_row_id INTEGER, jid_row_id INTEGER, call_result INTEGER);
"#;

const WA_DB: &str = r#"
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL, status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER, phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER, given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT, status_autodownload_disabled INTEGER, keep_timestamp INTEGER, is_spam_reported INTEGER, is_sidelist_synced BOOLEAN DEFAULT 0, is_business_synced BOOLEAN DEFAULT 0, disappearing_mode_duration INTEGER, disappearing_mode_timestamp LONG, history_sync_initial_phash TEXT, is_starred BOOLEAN);
CREATE TABLE wa_vnames (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, serial INTEGER NOT NULL, issuer TEXT NOT NULL, expires INTEGER, verified_name TEXT NOT NULL, industry TEXT, city TEXT, country TEXT, verified_level INTEGER, identity_unconfirmed_since INTEGER, cert_blob BLOB, host_storage INTEGER DEFAULT 0, actual_actors INTEGER DEFAULT 0, privacy_mode_ts INTEGER DEFAULT 0);
CREATE TABLE android_metadata (locale TEXT);
"#;

const WA_DB_OLD: &str = r#"
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL, status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER, phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER, given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT, status_autodownload_disabled INTEGER, keep_timestamp INTEGER, is_spam_reported INTEGER);
CREATE TABLE android_metadata (locale TEXT);
"#;

/// Statements for one record, live or WAL-only; a deleted record is inserted then deleted.
struct Sink {
    live: Vec<String>,
    wal: Vec<String>,
}

impl Sink {
    fn put(&mut self, state: GState, inserts: Vec<String>, deletes: Vec<String>) {
        match state {
            GState::Live => self.live.extend(inserts),
            GState::WalOnly => self.wal.extend(inserts),
            GState::Deleted => {
                self.live.extend(inserts);
                self.live.extend(deletes);
            }
        }
    }
}

/// Rows of the `jid` table (+ `jid_map`).
struct JidTable {
    rows: BTreeMap<String, i64>,
    lid: bool,
    stmts: Vec<String>,
}

impl JidTable {
    fn row(&mut self, j: &str) -> i64 {
        if let Some(r) = self.rows.get(j) {
            return *r;
        }
        let id = self.rows.len() as i64 + 1;
        let (user, server) = j.split_once('@').unwrap_or((j, ""));
        let ty = match server {
            "g.us" => 1,
            "broadcast" => 5,
            "lid" => 19,
            _ => 0,
        };
        self.stmts.push(format!(
            "INSERT INTO jid (_id, user, server, agent, device, type, raw_string) VALUES ({id}, {}, {}, 0, 0, {ty}, {})",
            q(user),
            q(server),
            q(j)
        ));
        self.rows.insert(j.to_string(), id);
        id
    }
    /// The row a person (E.164) is referenced by: a LID row in the LID generation when the
    /// person uses one (with its `jid_map` entry), else the phone-number JID row.
    fn person(&mut self, e164: &str) -> i64 {
        let pn = self.row(&jid(e164));
        if self.lid && uses_lid(e164) {
            let l = lid_of(e164);
            let known = self.rows.contains_key(&l);
            let lr = self.row(&l);
            if !known {
                self.stmts.push(format!(
                    "INSERT INTO jid_map (lid_row_id, jid_row_id, sort_id) VALUES ({lr}, {pn}, {lr})"
                ));
            }
            return lr;
        }
        pn
    }
}

fn call_result(d: GCallDir) -> i64 {
    match d {
        GCallDir::Incoming | GCallDir::Outgoing => 5,
        GCallDir::Missed => 4,
        GCallDir::Rejected => 2,
    }
}

fn key_id(key: u64) -> String {
    format!("3EB0{:016X}", key.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// The device files of the Android app `pkg` (`com.whatsapp` or `com.whatsapp.w4b`).
pub fn files(h: &Handset, generation: u32, pkg: &str) -> Vec<DeviceFile> {
    let mut out = Vec::new();
    let base = format!("/data/data/{pkg}");
    push_db(
        &mut out,
        &format!("{base}/databases/msgstore.db"),
        msgstore(h, generation),
    );
    push_db(
        &mut out,
        &format!("{base}/databases/wa.db"),
        wa_db(h, generation),
    );
    if h.records_owner {
        let name = if generation >= 3 {
            format!("{pkg}_preferences.xml")
        } else {
            format!("{pkg}_preferences_light.xml")
        };
        out.push(DeviceFile::new(
            format!("{base}/shared_prefs/{name}"),
            prefs_xml(h.owner()).into_bytes(),
        ));
        out.push(DeviceFile::new(
            format!("{base}/files/me"),
            me_file(h.owner()),
        ));
    }
    out
}

/// `files/me`: the serialized `com.whatsapp.Me` (fields `cc`, `jabber_id`, `number`).
pub fn me_file(owner: &str) -> Vec<u8> {
    fn utf(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u16).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    let digits = owner.trim_start_matches('+');
    let (cc, number) = digits.split_at(2.min(digits.len()));
    let mut b = vec![0xAC, 0xED, 0x00, 0x05, 0x73, 0x72];
    utf(&mut b, "com.whatsapp.Me");
    b.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&3u16.to_be_bytes());
    b.push(b'L');
    utf(&mut b, "cc");
    b.push(0x74);
    utf(&mut b, "Ljava/lang/String;");
    for f in ["jabber_id", "number"] {
        b.push(b'L');
        utf(&mut b, f);
        b.extend_from_slice(&[0x71, 0x00, 0x7E, 0x00, 0x01]);
    }
    b.extend_from_slice(&[0x78, 0x70]);
    for v in [cc, digits, number] {
        b.push(0x74);
        utf(&mut b, v);
    }
    b
}

/// The preferences XML recording the account's number.
pub fn prefs_xml(owner: &str) -> String {
    let digits = owner.trim_start_matches('+');
    let (cc, ph) = digits.split_at(2.min(digits.len()));
    format!(
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <boolean name=\"registration_success\" value=\"true\" />\n    <string name=\"cc\">{cc}</string>\n    <string name=\"ph\">{ph}</string>\n    <string name=\"registration_jid\">{digits}</string>\n    <string name=\"push_name\">Exhibit owner</string>\n    <int name=\"registration_state\" value=\"3\" />\n</map>\n"
    )
}

/// `msgstore.db` in a generation: 0 modern + LID, 1 modern, 2 transitional, 3+ legacy.
pub fn msgstore(h: &Handset, generation: u32) -> crate::sqlitefile::DbFiles {
    if generation >= 3 {
        return legacy_msgstore(h);
    }
    let lid = generation == 0;
    let transitional = generation == 2;
    let mut schema = MODERN.to_string();
    if lid {
        schema.push_str(LID_TABLES);
    }
    if transitional {
        schema.push_str(LEGACY);
    }
    let mut jids = JidTable {
        rows: BTreeMap::new(),
        lid,
        stmts: Vec::new(),
    };
    let mut sink = Sink {
        live: Vec::new(),
        wal: Vec::new(),
    };
    let mut pre: Vec<String> = vec![
        "INSERT INTO props (key, value) VALUES ('fts_ready', '5')".into(),
        // The placeholder row WhatsApp keeps at the start of the message table.
        "INSERT INTO message (_id, chat_row_id, from_me, key_id, status, timestamp, message_type, sort_id) VALUES (1, -1, 0, '-1', -1, 0, -1, 1)".into(),
    ];
    let mut chats: BTreeMap<String, i64> = BTreeMap::new();
    let mut last_read: BTreeMap<i64, i64> = BTreeMap::new();
    let mut chat_stmts: Vec<String> = Vec::new();
    let mut chat_row = |jids: &mut JidTable,
                        j: &str,
                        person: Option<&str>,
                        subject: Option<&str>,
                        ts: i64|
     -> i64 {
        if let Some(c) = chats.get(j) {
            return *c;
        }
        let jr = match person {
            Some(p) => jids.person(p),
            None => jids.row(j),
        };
        let id = chats.len() as i64 + 1;
        chat_stmts.push(format!(
            "INSERT INTO chat (_id, jid_row_id, hidden, subject, created_timestamp, archived, sort_timestamp, group_type) VALUES ({id}, {jr}, 0, {}, {ts}, 0, {ts}, 0)",
            qo(subject)
        ));
        chats.insert(j.to_string(), id);
        id
    };
    let mut legacy_rows: Vec<String> = Vec::new();
    let mut legacy_chats: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut legacy_last_read: BTreeMap<String, i64> = BTreeMap::new();
    let mut only_legacy_n = 0usize;
    let mut next_id = 2i64;
    // Groups: chat, members, "group created" system message.
    let mut members_done: Vec<String> = Vec::new();
    let msgs = wa_messages(h);
    let half = msgs.len() / 2;
    let mut system_at: Vec<(String, i64, String)> = groups(h)
        .into_iter()
        .map(|(g, ts)| (super::group_jid(&g), ts, g.name.clone()))
        .collect();
    system_at.sort_by_key(|(_, ts, _)| *ts);
    let mut gi = 0usize;
    for (idx, m) in msgs.iter().enumerate() {
        while gi < system_at.len() && system_at[gi].1 <= m.ts_ms {
            let (gj, ts, name) = system_at[gi].clone();
            let c = chat_row(&mut jids, &gj, None, Some(&name), ts);
            let id = next_id;
            next_id += 1;
            sink.live.push(format!(
                "INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, timestamp, received_timestamp, message_type, text_data, sort_id) VALUES ({id}, {c}, 0, {}, NULL, 6, 0, {ts}, {ts}, 7, NULL, {id})",
                q(&format!("SYS{id}"))
            ));
            sink.live.push(format!(
                "INSERT INTO message_system (message_row_id, action_type) VALUES ({id}, 11)"
            ));
            gi += 1;
        }
        let cj = chat_jid(m);
        let x = extras(m, Os::Android, generation);
        let c = if let Some(g) = &m.group {
            let c = chat_row(&mut jids, &cj, None, Some(&g.name), m.ts_ms);
            if !members_done.contains(&cj) {
                let gr = jids.row(&cj);
                for (rank, p) in g.members.iter().enumerate() {
                    let pr = jids.person(p);
                    pre.push(format!(
                        "INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank, pending, add_timestamp) VALUES ({gr}, {pr}, {}, 0, {})",
                        rank.min(1),
                        m.ts_ms - 5000
                    ));
                }
                members_done.push(cj.clone());
            }
            c
        } else if is_broadcast(m) {
            let c = chat_row(&mut jids, &cj, None, None, m.ts_ms);
            if !members_done.contains(&cj) {
                let gr = jids.row(&cj);
                for p in broadcast_recipients(m) {
                    let pr = jids.person(&p);
                    pre.push(format!(
                        "INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank, pending, add_timestamp) VALUES ({gr}, {pr}, 0, 0, {})",
                        m.ts_ms - 5000
                    ));
                }
                members_done.push(cj.clone());
            }
            c
        } else {
            chat_row(&mut jids, &cj, Some(&m.peer), None, m.ts_ms)
        };
        let id = next_id;
        next_id += 1;
        let sender = if m.group.is_some() && !m.outgoing {
            jids.person(&m.peer).to_string()
        } else {
            "NULL".into()
        };
        let mtype = if x.revoked {
            15
        } else {
            x.media.as_ref().map_or(0, |md| md.android_type)
        };
        let text = if x.revoked {
            None
        } else {
            Some(m.body.as_str())
        };
        let kid = key_id(m.key);
        let status = if m.outgoing { 13 } else { 0 };
        let bc = i64::from(is_broadcast(m));
        let mut ins = vec![format!(
            "INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, recipient_count, origination_flags, origin, timestamp, received_timestamp, receipt_server_timestamp, message_type, text_data, starred, lookup_tables, message_add_on_flags, sort_id) VALUES ({id}, {c}, {}, {}, {sender}, {status}, {bc}, {}, 0, 0, {}, {}, {}, {mtype}, {}, 0, 0, 0, {id})",
            i64::from(m.outgoing),
            q(&kid),
            if bc == 1 { broadcast_recipients(m).len() } else { 0 },
            m.ts_ms,
            m.ts_ms + 700,
            m.ts_ms + 350,
            qo(text)
        )];
        let mut del = vec![format!("DELETE FROM message WHERE _id = {id}")];
        if let Some(md) = &x.media {
            ins.push(format!(
                "INSERT INTO message_media (message_row_id, chat_row_id, autotransfer_retry_enabled, transferred, file_path, file_size, width, height, message_url, mime_type, file_length, media_name, file_hash, media_duration) VALUES ({id}, {c}, 1, 1, {}, {}, 1280, 960, {}, {}, {}, NULL, {}, {})",
                q(&format!("Media/WhatsApp {}/{}{}", if md.android_type == 1 { "Images" } else { "Video" }, if m.outgoing { "Sent/" } else { "" }, md.file_name)),
                md.size,
                q(&format!("https://mmg.whatsapp.net/v/t62/{kid}.enc")),
                q(md.mime),
                md.size,
                q(&format!("{:044}=", m.key)),
                if md.android_type == 3 { 12 } else { 0 }
            ));
            del.push(format!(
                "DELETE FROM message_media WHERE message_row_id = {id}"
            ));
        }
        if x.revoked {
            ins.push(format!(
                "INSERT INTO message_revoked (message_row_id, revoked_key_id, admin_jid_row_id, revoke_timestamp) VALUES ({id}, {}, NULL, {})",
                q(&key_id(m.key ^ 0xFFFF)),
                m.ts_ms + 60_000
            ));
            del.push(format!(
                "DELETE FROM message_revoked WHERE message_row_id = {id}"
            ));
        }
        if x.edited {
            ins.push(format!(
                "INSERT INTO message_edit_info (message_row_id, original_key_id, edited_timestamp, sender_timestamp) VALUES ({id}, {}, {}, {})",
                q(&kid),
                m.ts_ms + 90_000,
                m.ts_ms + 89_000
            ));
            del.push(format!(
                "DELETE FROM message_edit_info WHERE message_row_id = {id}"
            ));
        }
        if bc == 1 {
            for p in broadcast_recipients(m) {
                let pr = jids.person(&p);
                ins.push(format!(
                    "INSERT INTO receipt_user (message_row_id, receipt_user_jid_row_id, receipt_timestamp, read_timestamp, played_timestamp) VALUES ({id}, {pr}, {}, NULL, NULL)",
                    m.ts_ms + 2_000
                ));
            }
            del.push(format!(
                "DELETE FROM receipt_user WHERE message_row_id = {id}"
            ));
        }
        if !m.outgoing && m.read && m.state != GState::Deleted {
            let e = last_read.entry(c).or_insert(0);
            *e = (*e).max(id);
        }
        // The transitional database still holds the first half in the legacy table (migrated
        // copies), and its two oldest plain one-to-one messages only there (not migrated yet).
        let only_legacy = transitional
            && only_legacy_n < 2
            && m.state == GState::Live
            && !x.edited
            && m.group.is_none()
            && !is_broadcast(m);
        if only_legacy {
            only_legacy_n += 1;
        } else {
            sink.put(m.state, ins, del);
        }
        if transitional && (only_legacy || idx < half) && m.state == GState::Live {
            if !m.outgoing && m.read {
                let e = legacy_last_read.entry(cj.clone()).or_insert(0);
                *e = (*e).max(id);
            }
            let (wa_type, data, mime, size, name, caption) = legacy_media(m, &x);
            let remote = if m.group.is_some() && !m.outgoing {
                q(&jid(&m.peer))
            } else {
                "NULL".into()
            };
            legacy_rows.push(format!(
                "INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, needs_push, data, timestamp, media_mime_type, media_wa_type, media_size, media_name, media_caption, remote_resource, received_timestamp, edit_version, recipient_count) VALUES ({id}, {}, {}, {}, {status}, 0, {data}, {}, {mime}, {}, {size}, {name}, {caption}, {remote}, {}, {}, 0)",
                q(&cj),
                i64::from(m.outgoing),
                q(&kid),
                m.ts_ms,
                q(&wa_type.to_string()),
                m.ts_ms + 700,
                if x.revoked { 7 } else { 0 }
            ));
            legacy_chats
                .entry(cj.clone())
                .or_insert_with(|| m.group.as_ref().map(|g| g.name.clone()));
        }
    }
    for (c, id) in &last_read {
        chat_stmts.push(format!(
            "UPDATE chat SET last_read_message_row_id = {id} WHERE _id = {c}"
        ));
    }
    // Calls.
    let mut call_stmts = Vec::new();
    for (i, c) in wa_calls(h).iter().enumerate() {
        let id = i as i64 + 1;
        let jr = jids.person(&c.peer);
        let from_me = i64::from(c.direction == GCallDir::Outgoing);
        let ins = vec![
            format!(
                "INSERT INTO call_log (_id, jid_row_id, from_me, call_id, transaction_id, timestamp, video_call, duration, call_result, is_dnd_mode_on, bytes_transferred, group_jid_row_id, is_joinable_group_call, call_creator_device_jid_row_id, call_type) VALUES ({id}, {jr}, {from_me}, {}, {id}, {}, {}, {}, {}, 0, {}, 0, 0, 0, 0)",
                q(&format!("CALL{:016X}", c.ts_ms as u64)),
                c.ts_ms,
                i64::from(c.video),
                c.duration_s,
                call_result(c.direction),
                c.duration_s * 4_000
            ),
            format!(
                "INSERT INTO call_log_participant_v2 (call_log_row_id, jid_row_id, call_result) VALUES ({id}, {jr}, {})",
                call_result(c.direction)
            ),
        ];
        let del = vec![
            format!("DELETE FROM call_log WHERE _id = {id}"),
            format!("DELETE FROM call_log_participant_v2 WHERE call_log_row_id = {id}"),
        ];
        match c.state {
            GState::WalOnly => sink.wal.extend(ins),
            GState::Live => call_stmts.extend(ins),
            GState::Deleted => {
                call_stmts.extend(ins);
                call_stmts.extend(del);
            }
        }
    }
    let mut live = jids.stmts;
    live.extend(chat_stmts);
    live.extend(pre);
    if transitional {
        live.push("INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, timestamp) VALUES (1, '-1', 0, '-1', -1, 0)".into());
        for (j, subj) in &legacy_chats {
            live.push(format!(
                "INSERT INTO chat_list (key_remote_jid, subject, last_read_message_table_id, archived) VALUES ({}, {}, {}, 0)",
                q(j),
                qo(subj.as_deref()),
                legacy_last_read.get(j).copied().unwrap_or(1)
            ));
        }
        live.extend(legacy_rows);
        live.push(
            "INSERT INTO props (key, value) VALUES ('migration_message_main_index', '0')".into(),
        );
    }
    live.extend(sink.live);
    live.extend(call_stmts);
    build(4096, &schema, &live, &sink.wal)
}

/// Legacy media columns: (media_wa_type, data, mime, size, name, caption) as SQL literals.
fn legacy_media(
    m: &crate::world::GMessage,
    x: &super::Extras,
) -> (i64, String, String, String, String, String) {
    if x.revoked {
        return (
            15,
            "NULL".into(),
            "NULL".into(),
            "0".into(),
            "NULL".into(),
            "NULL".into(),
        );
    }
    match &x.media {
        Some(md) => (
            md.android_type,
            "NULL".into(),
            q(md.mime),
            md.size.to_string(),
            q(&md.file_name),
            q(&m.body),
        ),
        None => (
            0,
            q(&m.body),
            "NULL".into(),
            "0".into(),
            "NULL".into(),
            "NULL".into(),
        ),
    }
}

/// The legacy `msgstore.db` (before the 2022 migration).
fn legacy_msgstore(h: &Handset) -> crate::sqlitefile::DbFiles {
    let schema = format!("{LEGACY}{LEGACY_CALLS}");
    let mut jids = JidTable {
        rows: BTreeMap::new(),
        lid: false,
        stmts: Vec::new(),
    };
    let mut sink = Sink {
        live: Vec::new(),
        wal: Vec::new(),
    };
    let mut live: Vec<String> = vec![
        "INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, timestamp) VALUES (1, '-1', 0, '-1', -1, 0)".into(),
    ];
    let mut chats: BTreeMap<String, (Option<String>, i64)> = BTreeMap::new();
    let mut last_read: BTreeMap<String, i64> = BTreeMap::new();
    let mut members_done: Vec<String> = Vec::new();
    let mut next_id = 2i64;
    let mut sys: Vec<(String, i64, String)> = groups(h)
        .into_iter()
        .map(|(g, ts)| (super::group_jid(&g), ts, g.name.clone()))
        .collect();
    sys.sort_by_key(|(_, ts, _)| *ts);
    let mut gi = 0usize;
    for m in wa_messages(h) {
        while gi < sys.len() && sys[gi].1 <= m.ts_ms {
            let (gj, ts, name) = sys[gi].clone();
            chats.entry(gj.clone()).or_insert((Some(name), ts));
            let id = next_id;
            next_id += 1;
            sink.live.push(format!(
                "INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, needs_push, data, timestamp, media_wa_type, media_size, remote_resource, received_timestamp, edit_version) VALUES ({id}, {}, 0, {}, 6, 0, NULL, {ts}, '0', 11, NULL, {ts}, 0)",
                q(&gj),
                q(&format!("SYS{id}"))
            ));
            gi += 1;
        }
        let cj = chat_jid(m);
        let x = extras(m, Os::Android, 3);
        chats
            .entry(cj.clone())
            .or_insert((m.group.as_ref().map(|g| g.name.clone()), m.ts_ms));
        if !members_done.contains(&cj) {
            let list: Option<Vec<String>> = if let Some(g) = &m.group {
                Some(g.members.clone())
            } else if is_broadcast(m) {
                Some(broadcast_recipients(m))
            } else {
                None
            };
            if let Some(list) = list {
                live.push(format!(
                    "INSERT INTO group_participants (gjid, jid, admin, pending, sent_sender_key) VALUES ({}, '', 2, 0, 0)",
                    q(&cj)
                ));
                for p in list {
                    live.push(format!(
                        "INSERT INTO group_participants (gjid, jid, admin, pending, sent_sender_key) VALUES ({}, {}, 0, 0, 1)",
                        q(&cj),
                        q(&jid(&p))
                    ));
                }
                members_done.push(cj.clone());
            }
        }
        let id = next_id;
        next_id += 1;
        let (wa_type, data, mime, size, name, caption) = legacy_media(m, &x);
        let remote = if m.group.is_some() && !m.outgoing {
            q(&jid(&m.peer))
        } else {
            "NULL".into()
        };
        let kid = key_id(m.key);
        let bc = is_broadcast(m);
        let mut ins = vec![format!(
            "INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, needs_push, data, timestamp, media_url, media_mime_type, media_wa_type, media_size, media_name, media_caption, media_duration, origin, remote_resource, received_timestamp, send_timestamp, receipt_server_timestamp, recipient_count, starred, edit_version, forwarded, lookup_tables) VALUES ({id}, {}, {}, {}, {}, 0, {data}, {}, NULL, {mime}, {}, {size}, {name}, {caption}, 0, 0, {remote}, {}, -1, {}, {}, 0, {}, 0, 0)",
            q(&cj),
            i64::from(m.outgoing),
            q(&kid),
            if m.outgoing { 13 } else { 0 },
            m.ts_ms,
            q(&wa_type.to_string()),
            m.ts_ms + 700,
            m.ts_ms + 350,
            if bc { broadcast_recipients(m).len() } else { 0 },
            if x.revoked { 7 } else { 0 }
        )];
        let mut del = vec![format!("DELETE FROM messages WHERE _id = {id}")];
        if bc {
            for p in broadcast_recipients(m) {
                ins.push(format!(
                    "INSERT INTO receipts (key_remote_jid, key_id, remote_resource, receipt_device_timestamp, read_device_timestamp, played_device_timestamp) VALUES ({}, {}, {}, {}, NULL, NULL)",
                    q(&cj),
                    q(&kid),
                    q(&jid(&p)),
                    m.ts_ms + 2_000
                ));
            }
            del.push(format!("DELETE FROM receipts WHERE key_id = {}", q(&kid)));
        }
        if !m.outgoing && m.read && m.state != GState::Deleted {
            let e = last_read.entry(cj.clone()).or_insert(0);
            *e = (*e).max(id);
        }
        sink.put(m.state, ins, del);
    }
    for (j, (subj, ts)) in &chats {
        live.push(format!(
            "INSERT INTO chat_list (key_remote_jid, subject, creation, last_read_message_table_id, archived, sort_timestamp) VALUES ({}, {}, {ts}, {}, 0, {ts})",
            q(j),
            qo(subj.as_deref()),
            last_read.get(j).copied().unwrap_or(1)
        ));
    }
    let mut calls = Vec::new();
    for (i, c) in wa_calls(h).iter().enumerate() {
        let id = i as i64 + 1;
        let jr = jids.person(&c.peer);
        let ins = vec![format!(
            "INSERT INTO call_log (_id, jid_row_id, from_me, call_id, transaction_id, timestamp, video_call, duration, call_result, bytes_transferred) VALUES ({id}, {jr}, {}, {}, {id}, {}, {}, {}, {}, {})",
            i64::from(c.direction == GCallDir::Outgoing),
            q(&format!("CALL{:016X}", c.ts_ms as u64)),
            c.ts_ms,
            i64::from(c.video),
            c.duration_s,
            call_result(c.direction),
            c.duration_s * 4_000
        )];
        let del = vec![format!("DELETE FROM call_log WHERE _id = {id}")];
        match c.state {
            GState::WalOnly => sink.wal.extend(ins),
            GState::Live => calls.extend(ins),
            GState::Deleted => {
                calls.extend(ins);
                calls.extend(del);
            }
        }
    }
    let mut all = jids.stmts;
    all.extend(live);
    all.extend(sink.live);
    all.extend(calls);
    build(4096, &schema, &all, &sink.wal)
}

/// `wa.db`: the address book as WhatsApp synced it, plus the group and list rows it keeps.
pub fn wa_db(h: &Handset, generation: u32) -> crate::sqlitefile::DbFiles {
    let schema = if generation >= 3 { WA_DB_OLD } else { WA_DB };
    let mut sink = Sink {
        live: vec!["INSERT INTO android_metadata (locale) VALUES ('en_GB')".into()],
        wal: Vec::new(),
    };
    let mut id = 0i64;
    for (ci, c) in h.contacts.iter().enumerate() {
        for (e164, stored, label) in &c.numbers {
            id += 1;
            let (given, family) = c.name.split_once(' ').unwrap_or((&c.name, ""));
            sink.put(
                c.state,
                vec![format!(
                    "INSERT INTO wa_contacts (_id, jid, is_whatsapp_user, status, status_timestamp, number, raw_contact_id, display_name, phone_type, phone_label, unseen_msg_count, photo_ts, thumb_ts, photo_id_timestamp, given_name, family_name, wa_name, sort_name) VALUES ({id}, {}, 1, 'Hey there! I am using WhatsApp.', 1700000000000, {}, {}, {}, 2, {}, 0, 0, 0, 0, {}, {}, NULL, {})",
                    q(&jid(e164)),
                    q(stored),
                    ci + 1,
                    q(&c.name),
                    q(label),
                    q(given),
                    q(family),
                    q(&c.name)
                )],
                vec![format!("DELETE FROM wa_contacts WHERE _id = {id}")],
            );
        }
    }
    for (g, _) in groups(h) {
        id += 1;
        sink.live.push(format!(
            "INSERT INTO wa_contacts (_id, jid, is_whatsapp_user, display_name, unseen_msg_count, photo_ts, thumb_ts, photo_id_timestamp) VALUES ({id}, {}, 1, {}, 0, 0, 0, 0)",
            q(&super::group_jid(&g)),
            q(&g.name)
        ));
    }
    for m in wa_messages(h) {
        if is_broadcast(m) {
            let bj = broadcast_jid(m);
            id += 1;
            sink.live.push(format!(
                "INSERT OR IGNORE INTO wa_contacts (_id, jid, is_whatsapp_user, unseen_msg_count) SELECT {id}, {}, 1, 0 WHERE NOT EXISTS (SELECT 1 FROM wa_contacts WHERE jid = {})",
                q(&bj),
                q(&bj)
            ));
        }
    }
    build(4096, schema, &sink.live, &sink.wal)
}
