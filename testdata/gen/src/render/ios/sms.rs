//! `sms.db` of iOS Messages, in two schema versions:
//! - generation 0 (iOS 16+ / current): full current `message` table (destination_caller_id,
//!   date_edited, date_retracted ...), dates in Cocoa nanoseconds, most texts only in
//!   `attributedBody` (text NULL);
//! - generation 1 (iOS 8-9 era, the layout of public samples): dates in Cocoa seconds, text in
//!   `text` (with attributedBody alongside), no destination_caller_id.
//!
//! Rules the known answer follows: a 1:1 chat's handle is the peer as stored (`peer_raw`); a
//! group chat's handles are its members' E.164 numbers (so an incoming group message's sender
//! is `peer`); MMS goes in as service `SMS`; WhatsApp messages are not in sms.db.
use std::collections::BTreeMap;

use super::typedstream::{encode_attributed, Flavor};
use crate::archive::DeviceFile;
use crate::render::push_db;
use crate::sqlitefile::{build, q, qo};
use crate::world::{GApp, GMessage, GState, Handset};

pub const PATH: &str = "/private/var/mobile/Library/SMS/sms.db";

/// Cocoa epoch (2001-01-01) in Unix milliseconds.
pub const COCOA_EPOCH_MS: i64 = 978_307_200_000;

/// The attachment a message carries in the generated sms.db: (mime type, file name, bytes).
pub fn attachment_for(m: &GMessage) -> Option<(&'static str, String, i64)> {
    match m.key % 5 {
        1 => Some((
            "image/jpeg",
            format!("IMG_{:04}.jpeg", m.key % 10_000),
            40_000 + (m.key as i64 * 37) % 9_000,
        )),
        3 if m.key % 2 == 1 => Some((
            "video/quicktime",
            format!("IMG_{:04}.MOV", m.key % 10_000),
            900_000 + (m.key as i64 * 101) % 50_000,
        )),
        _ => None,
    }
}

/// The service name iOS stores for a message of `app` (None: not in sms.db).
pub fn service_for(app: GApp) -> Option<&'static str> {
    match app {
        GApp::Sms | GApp::Mms => Some("SMS"),
        GApp::IMessage => Some("iMessage"),
        GApp::Rcs => Some("RCS"),
        GApp::WhatsApp => None,
    }
}

/// Whether generation `generation` keeps this message's text only in attributedBody.
pub fn text_only_in_attributed_body(m: &GMessage, generation: u32) -> bool {
    generation == 0 && !m.key.is_multiple_of(4)
}

/// The sender a parser must report for an incoming message (see the module rules).
pub fn stored_peer(m: &GMessage) -> &str {
    if m.group.is_some() {
        &m.peer
    } else {
        &m.peer_raw
    }
}

/// Cocoa date as stored: nanoseconds (generation 0) or whole seconds (older).
pub fn cocoa_date(ts_ms: i64, generation: u32) -> i64 {
    let rel = ts_ms - COCOA_EPOCH_MS;
    if generation == 0 {
        rel * 1_000_000
    } else {
        rel.div_euclid(1000)
    }
}

pub const SCHEMA_CURRENT: &str = r#"
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE sync_deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT );
CREATE TABLE message_processing_task (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, task_flags INTEGER NOT NULL );
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service) );
CREATE TABLE sync_deleted_chats (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT,timestamp INTEGER);
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
CREATE TABLE sync_deleted_attachments (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT );
CREATE TABLE kvtable (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, key TEXT UNIQUE NOT NULL, value BLOB NOT NULL);
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0, is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0, was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0, message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0, associated_message_guid TEXT, associated_message_type INTEGER DEFAULT 0, balloon_bundle_id TEXT, payload_data BLOB, expressive_send_style_id TEXT, associated_message_range_location INTEGER DEFAULT 0, associated_message_range_length INTEGER DEFAULT 0, time_expressive_send_played INTEGER, message_summary_info BLOB, ck_sync_state INTEGER DEFAULT 0, ck_record_id TEXT, ck_record_change_tag TEXT, destination_caller_id TEXT, is_corrupt INTEGER DEFAULT 0, reply_to_guid TEXT, sort_id INTEGER, is_spam INTEGER DEFAULT 0, has_unseen_mention INTEGER DEFAULT 0, thread_originator_guid TEXT, thread_originator_part TEXT, syndication_ranges TEXT, synced_syndication_ranges TEXT, was_delivered_quietly INTEGER DEFAULT 0, did_notify_recipient INTEGER DEFAULT 0, date_retracted INTEGER DEFAULT 0, date_edited INTEGER DEFAULT 0, was_detonated INTEGER DEFAULT 0, part_count INTEGER, is_stewie INTEGER DEFAULT 0, is_sos INTEGER DEFAULT 0, is_critical INTEGER DEFAULT 0, bia_reference_id TEXT DEFAULT NULL, is_kt_verified INTEGER DEFAULT 0, fallback_hash TEXT DEFAULT NULL, associated_message_emoji TEXT DEFAULT NULL, is_pending_satellite_send INTEGER DEFAULT 0, needs_relay INTEGER DEFAULT 0, schedule_type INTEGER DEFAULT 0, schedule_state INTEGER DEFAULT 0, sent_or_received_off_grid INTEGER DEFAULT 0, date_recovered INTEGER DEFAULT 0);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER, engram_id TEXT, server_change_token TEXT, ck_sync_state INTEGER DEFAULT 0, original_group_id TEXT, last_read_message_timestamp INTEGER DEFAULT 0, cloudkit_record_id TEXT, last_addressed_sim_id TEXT, is_blackholed INTEGER DEFAULT 0, syndication_date INTEGER DEFAULT 0, syndication_type INTEGER DEFAULT 0, is_recovered INTEGER DEFAULT 0, is_deleting_incoming_messages INTEGER DEFAULT 0);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0, sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0, ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB, ck_record_id TEXT, original_guid TEXT UNIQUE NOT NULL, is_commsafety_sensitive INTEGER DEFAULT 0, emoji_image_content_identifier TEXT DEFAULT NULL, emoji_image_short_description TEXT DEFAULT NULL, preview_generation_state INTEGER DEFAULT 0);
CREATE TABLE chat_recoverable_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, delete_date INTEGER, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id), CHECK (delete_date != 0));
CREATE TABLE unsynced_removed_recoverable_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, chat_guid TEXT NOT NULL, message_guid TEXT NOT NULL, part_index INTEGER);
CREATE TABLE recoverable_message_part (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, part_index INTEGER, delete_date INTEGER, part_text BLOB NOT NULL, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id, part_index), CHECK (delete_date != 0));
CREATE TABLE scheduled_messages_pending_cloudkit_delete (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT );
CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join(handle_id);
CREATE INDEX chat_message_join_idx_chat_id ON chat_message_join(chat_id);
CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id);
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE INDEX message_idx_date ON message(date);
CREATE INDEX message_attachment_join_idx_message_id ON message_attachment_join(message_id);
CREATE INDEX message_attachment_join_idx_attachment_id ON message_attachment_join(attachment_id);
CREATE TRIGGER add_to_deleted_messages AFTER DELETE ON message BEGIN     INSERT INTO deleted_messages (guid) VALUES (OLD.guid); END;
PRAGMA user_version = 18026;
"#;

pub const SCHEMA_IOS9: &str = r#"
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, UNIQUE (id, service) );
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0, is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0, was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0, message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER, successful_query INTEGER);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join(handle_id);
CREATE INDEX message_idx_is_read ON message(is_read, is_from_me, is_finished);
CREATE INDEX chat_message_join_idx_chat_id ON chat_message_join(chat_id);
CREATE INDEX chat_idx_is_archived ON chat(is_archived);
CREATE INDEX message_idx_handle_id ON message(handle_id);
CREATE INDEX chat_message_join_idx_message_id ON chat_message_join(message_id, chat_id);
CREATE INDEX chat_idx_chat_identifier ON chat(chat_identifier);
CREATE INDEX message_idx_failed ON message(is_finished, is_from_me, error);
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE INDEX message_attachment_join_idx_attachment_id ON message_attachment_join(attachment_id);
CREATE INDEX message_idx_date ON message(date);
CREATE INDEX message_attachment_join_idx_message_id ON message_attachment_join(message_id);
CREATE TRIGGER add_to_deleted_messages AFTER DELETE ON message BEGIN     INSERT INTO deleted_messages (guid) VALUES (OLD.guid); END;
PRAGMA user_version = 10009;
"#;

fn guid(kind: u32, n: u64) -> String {
    format!(
        "{:08X}-{:04X}-4{:03X}-8000-{:012X}",
        n.wrapping_mul(2_654_435_761) as u32,
        kind,
        n % 4096,
        n
    )
}

struct ChatKey {
    guid: String,
    identifier: String,
    style: i64,
    service: &'static str,
    display_name: Option<String>,
    members: Vec<String>,
}

/// Render a handset's sms.db files.
pub fn render(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let generation = generation.min(1);
    let msgs: Vec<&GMessage> = h
        .messages
        .iter()
        .filter(|m| service_for(m.app).is_some())
        .collect();
    let mut out = Vec::new();
    if msgs.is_empty() {
        return out;
    }
    let owner = h.owner().to_string();
    let account = if h.records_owner {
        format!("P:{owner}")
    } else {
        "E:handset@example.invalid".to_string()
    };
    let mut live = Vec::new();
    let mut wal = Vec::new();
    // Handles: (id, service) -> rowid.
    let mut handles: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
    let mut chats: Vec<ChatKey> = Vec::new();
    let mut chat_ids: BTreeMap<String, i64> = BTreeMap::new();
    let mut handle_of = |id: &str, service: &'static str, live: &mut Vec<String>| -> i64 {
        let n = handles.len() as i64 + 1;
        *handles.entry((id.to_string(), service)).or_insert_with(|| {
            live.push(format!(
                "INSERT INTO handle (ROWID, id, country, service, uncanonicalized_id) VALUES ({n}, {}, 'gb', {}, NULL);",
                q(id),
                q(service)
            ));
            n
        })
    };
    // First pass: chats and handles, all live.
    let mut msg_chat = Vec::new();
    for m in &msgs {
        let service = service_for(m.app).unwrap();
        let key = match &m.group {
            Some(g) => format!("{service};+;chat{}", g.id),
            None => format!("{service};-;{}", m.peer_raw),
        };
        let cid = match chat_ids.get(&key) {
            Some(c) => *c,
            None => {
                let c = chats.len() as i64 + 1;
                let (identifier, style, display_name, members) = match &m.group {
                    Some(g) => (
                        format!("chat{}", g.id),
                        43,
                        Some(g.name.clone()),
                        g.members.clone(),
                    ),
                    None => (m.peer_raw.clone(), 45, None, vec![m.peer_raw.clone()]),
                };
                chats.push(ChatKey {
                    guid: key.clone(),
                    identifier,
                    style,
                    service,
                    display_name,
                    members,
                });
                chat_ids.insert(key, c);
                c
            }
        };
        msg_chat.push(cid);
    }
    for (i, c) in chats.iter().enumerate() {
        let cid = i as i64 + 1;
        let login = account.clone();
        let last = h.records_owner.then(|| owner.clone());
        live.push(format!(
            "INSERT INTO chat (ROWID, guid, style, state, account_id, chat_identifier, service_name, room_name, account_login, is_archived, last_addressed_handle, display_name, group_id) VALUES ({cid}, {}, {}, 3, {}, {}, {}, {}, {}, 0, {}, {}, {});",
            q(&c.guid),
            c.style,
            q(&guid(7, cid as u64)),
            q(&c.identifier),
            q(c.service),
            if c.style == 43 { q(&c.identifier) } else { "NULL".into() },
            q(&login),
            qo(last.as_deref()),
            qo(c.display_name.as_deref()),
            q(&guid(8, cid as u64)),
        ));
        for mem in &c.members {
            let hid = handle_of(mem, c.service, &mut live);
            live.push(format!(
                "INSERT INTO chat_handle_join (chat_id, handle_id) VALUES ({cid}, {hid});"
            ));
        }
    }
    let mut deletes = Vec::new();
    let mut att_id = 0i64;
    for (i, m) in msgs.iter().enumerate() {
        let rowid = i as i64 + 1;
        let cid = msg_chat[i];
        let service = service_for(m.app).unwrap();
        let handle_id = if m.outgoing && m.group.is_some() {
            0
        } else {
            handle_of(stored_peer(m), service, &mut live)
        };
        let date = cocoa_date(m.ts_ms, generation);
        let only_ab = text_only_in_attributed_body(m, generation);
        let flavor = if generation == 0 {
            Flavor::Immutable
        } else {
            Flavor::Mutable
        };
        let ab = encode_attributed(&m.body, flavor);
        let ab_hex: String = ab.iter().map(|b| format!("{b:02X}")).collect();
        let text = if only_ab {
            "NULL".to_string()
        } else {
            q(&m.body)
        };
        let att = attachment_for(m);
        let read = if m.outgoing { 0 } else { m.read as i64 };
        let dest = if h.records_owner {
            Some(owner.as_str())
        } else {
            None
        };
        let stmt = if generation == 0 {
            format!(
                "INSERT INTO message (ROWID, guid, text, handle_id, attributedBody, version, type, service, account, account_guid, date, date_read, date_delivered, is_delivered, is_finished, is_from_me, is_read, is_sent, cache_has_attachments, destination_caller_id, part_count) VALUES ({rowid}, {}, {text}, {handle_id}, X'{ab_hex}', 10, 0, {}, {}, {}, {date}, {}, {}, 1, 1, {}, {read}, {}, {}, {}, 1);",
                q(&guid(1, m.key)),
                q(service),
                q(&account),
                q(&guid(9, 1)),
                if read == 1 { date + 5_000_000_000 } else { 0 },
                if m.outgoing { date + 1_000_000_000 } else { 0 },
                m.outgoing as i64,
                m.outgoing as i64,
                att.is_some() as i64,
                qo(dest),
            )
        } else {
            format!(
                "INSERT INTO message (ROWID, guid, text, handle_id, attributedBody, version, type, service, account, account_guid, date, date_read, date_delivered, is_delivered, is_finished, is_from_me, is_read, is_sent, cache_has_attachments) VALUES ({rowid}, {}, {text}, {handle_id}, X'{ab_hex}', 10, 0, {}, {}, {}, {date}, {}, {}, 1, 1, {}, {read}, {}, {});",
                q(&guid(1, m.key)),
                q(service),
                q(&account.to_ascii_lowercase()),
                q(&guid(9, 1)),
                if read == 1 { date + 5 } else { 0 },
                if m.outgoing { date + 1 } else { 0 },
                m.outgoing as i64,
                m.outgoing as i64,
                att.is_some() as i64,
            )
        };
        let target = match m.state {
            GState::WalOnly => &mut wal,
            _ => &mut live,
        };
        target.push(stmt);
        target.push(if generation == 0 {
            format!(
                "INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES ({cid}, {rowid}, {date});"
            )
        } else {
            format!("INSERT INTO chat_message_join (chat_id, message_id) VALUES ({cid}, {rowid});")
        });
        if let Some((mime, name, size)) = &att {
            att_id += 1;
            let uti = if mime.starts_with("image") {
                "public.jpeg"
            } else {
                "com.apple.quicktime-movie"
            };
            let filename = format!(
                "~/Library/SMS/Attachments/{:02x}/{:02}/{}/{name}",
                att_id % 256,
                att_id % 100,
                guid(3, att_id as u64)
            );
            target.push(if generation == 0 {
                format!(
                    "INSERT INTO attachment (ROWID, guid, created_date, start_date, filename, uti, mime_type, transfer_state, is_outgoing, transfer_name, total_bytes, original_guid) VALUES ({att_id}, {}, {}, 0, {}, {}, {}, 5, {}, {}, {size}, {});",
                    q(&guid(2, att_id as u64)),
                    date / 1_000_000_000,
                    q(&filename),
                    q(uti),
                    q(mime),
                    m.outgoing as i64,
                    q(name),
                    q(&guid(2, att_id as u64)),
                )
            } else {
                format!(
                    "INSERT INTO attachment (ROWID, guid, created_date, start_date, filename, uti, mime_type, transfer_state, is_outgoing, transfer_name, total_bytes) VALUES ({att_id}, {}, {date}, 0, {}, {}, {}, 5, {}, {}, {size});",
                    q(&guid(2, att_id as u64)),
                    q(&filename),
                    q(uti),
                    q(mime),
                    m.outgoing as i64,
                    q(name),
                )
            });
            target.push(format!(
                "INSERT INTO message_attachment_join (message_id, attachment_id) VALUES ({rowid}, {att_id});"
            ));
            if m.state == GState::Deleted {
                deletes.push(format!(
                    "DELETE FROM message_attachment_join WHERE message_id = {rowid};"
                ));
                deletes.push(format!("DELETE FROM attachment WHERE ROWID = {att_id};"));
            }
        }
        if m.state == GState::Deleted {
            deletes.push(format!(
                "DELETE FROM chat_message_join WHERE message_id = {rowid};"
            ));
            deletes.push(format!("DELETE FROM message WHERE ROWID = {rowid};"));
        }
    }
    live.extend(deletes);
    live.push(
        "INSERT INTO _SqliteDatabaseProperties (key, value) VALUES ('_ClientVersion', '10009');"
            .to_string(),
    );
    let schema = if generation == 0 {
        SCHEMA_CURRENT
    } else {
        SCHEMA_IOS9
    };
    push_db(&mut out, PATH, build(4096, schema, &live, &wal));
    out
}
