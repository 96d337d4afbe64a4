//! `bugle_db` in two versions:
//! - Modern / Samsung: Google Messages (`com.google.android.apps.messaging`), the AOSP Messaging
//!   tables plus the columns Google added, as listed in the app's own column registry (database
//!   version ~61000: `messages.sender_send_destination`, `messages.msisdn_receiving_rcs_message`,
//!   `parts.file_size_bytes`, `parts.local_cache_path`, `parts.file_name`, ...; column types are
//!   inferred); it holds the handset's RCS chats (`message_protocol` 3).
//! - Legacy: the AOSP Messaging app (`com.android.messaging`) schema as in AOSP
//!   `DatabaseHelper.java`; it holds its copies of the SMS/MMS (protocol 0/1) and no RCS (that
//!   profile has none: RCS records of such a handset are not rendered anywhere).
//!
//! Participant 1 is the self participant (`sub_id` 1, or -1 = default self on the legacy app);
//! its number is the owner's when the handset records it. Other participants have `sub_id` -2,
//! `send_destination` as first stored and `normalized_destination` E.164.
use std::collections::BTreeMap;

use super::{mms_image_name, Profile, Stmts};
use crate::sqlitefile::{build, q, qo, DbFiles};
use crate::world::{uk_style, GApp, GMessage, Handset};

const AOSP_CONVERSATIONS: &str = "CREATE TABLE conversations(_id INTEGER PRIMARY KEY AUTOINCREMENT, sms_thread_id INT DEFAULT(0), name TEXT, latest_message_id INT, snippet_text TEXT, subject_text TEXT, preview_uri TEXT, preview_content_type TEXT, show_draft INT DEFAULT(0), draft_snippet_text TEXT, draft_subject_text TEXT, draft_preview_uri TEXT, draft_preview_content_type TEXT, archive_status INT DEFAULT(0), sort_timestamp INT DEFAULT(0), last_read_timestamp INT DEFAULT(0), icon TEXT, participant_contact_id INT DEFAULT ( -1), participant_lookup_key TEXT, participant_normalized_destination TEXT, current_self_id TEXT, participant_count INT DEFAULT(0), notification_enabled INT DEFAULT(1), notification_sound_uri TEXT, notification_vibration INT DEFAULT(1), include_email_addr INT DEFAULT(0), sms_service_center TEXT {EXTRA});";
const AOSP_MESSAGES: &str = "CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, sender_id INT, sent_timestamp INT DEFAULT(0), received_timestamp INT DEFAULT(0), message_protocol INT DEFAULT(0), message_status INT DEFAULT(0), seen INT DEFAULT(0), read INT DEFAULT(0), sms_message_uri TEXT, sms_priority INT DEFAULT(0), sms_message_size INT DEFAULT(0), mms_subject TEXT, mms_transaction_id TEXT, mms_content_location TEXT, mms_expiry INT DEFAULT(0), raw_status INT DEFAULT(0), self_id INT, retry_start_timestamp INT DEFAULT(0) {EXTRA}, FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE FOREIGN KEY (sender_id) REFERENCES participants(_id) ON DELETE SET NULL FOREIGN KEY (self_id) REFERENCES participants(_id) ON DELETE SET NULL );";
const AOSP_PARTS: &str = "CREATE TABLE parts(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_id INT,text TEXT,uri TEXT,content_type TEXT,width INT DEFAULT(-1),height INT DEFAULT(-1),timestamp INT, conversation_id INT NOT NULL {EXTRA},FOREIGN KEY (message_id) REFERENCES messages(_id) ON DELETE CASCADE FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE );";
const AOSP_PARTICIPANTS: &str = "CREATE TABLE participants(_id INTEGER PRIMARY KEY AUTOINCREMENT,sub_id INT DEFAULT(-2),sim_slot_id INT DEFAULT(-1),normalized_destination TEXT,send_destination TEXT,display_destination TEXT,full_name TEXT,first_name TEXT,profile_photo_uri TEXT, contact_id INT DEFAULT( -1), lookup_key STRING, blocked INT DEFAULT(0), subscription_name TEXT, subscription_color INT DEFAULT(0), contact_destination TEXT {EXTRA}, UNIQUE (normalized_destination, sub_id) ON CONFLICT FAIL);";
const AOSP_REST: &str = "CREATE TABLE conversation_participants(_id INTEGER PRIMARY KEY AUTOINCREMENT,conversation_id INT,participant_id INT,UNIQUE (conversation_id,participant_id) ON CONFLICT FAIL, FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE FOREIGN KEY (participant_id) REFERENCES participants(_id));
CREATE INDEX index_conversations_sms_thread_id ON conversations(sms_thread_id);
CREATE INDEX index_conversations_archive_status ON conversations(archive_status);
CREATE INDEX index_conversations_sort_timestamp ON conversations(sort_timestamp);
CREATE INDEX index_messages_sort ON messages(conversation_id, message_status, received_timestamp);
CREATE INDEX index_messages_status_seen ON messages(message_status, seen);
CREATE INDEX index_parts_message_id ON parts(message_id);
CREATE INDEX index_conversation_participants_conversation_id ON conversation_participants(conversation_id);
CREATE TRIGGER parts_TRIGGER AFTER INSERT ON parts FOR EACH ROW  BEGIN UPDATE parts SET timestamp= (SELECT received_timestamp FROM messages WHERE messages._id=NEW.message_id) WHERE parts._id=NEW._id; END;
CREATE TRIGGER messages_TRIGGER AFTER UPDATE OF received_timestamp ON messages FOR EACH ROW BEGIN UPDATE parts SET timestamp = NEW.received_timestamp WHERE parts.message_id = NEW._id; END;
CREATE VIEW draft_parts_view AS SELECT parts._id as _id, parts.message_id as message_id, parts.text as text, parts.uri as uri, parts.content_type as content_type, parts.width as width, parts.height as height, messages.conversation_id as conversation_id  FROM messages LEFT JOIN parts ON (messages._id=parts.message_id) WHERE messages.message_status = 3;
";

/// Google Messages' `messages` columns after the AOSP ones (names from the app's own column
/// registry, database version ~61000; types inferred from the values they hold).
const GOOGLE_MESSAGES_EXTRA: &str = ", sender_send_destination TEXT, msisdn_receiving_rcs_message TEXT, receiving_network_country TEXT, queue_insert_timestamp INT DEFAULT(0), message_report_status INT DEFAULT(0), rcs_expiry INT DEFAULT(0), mms_retrieve_text TEXT, my_identity_foreign_key INT, cloud_sync_id TEXT, rcs_message_id_with_text_type TEXT, etouffee_status INT DEFAULT(0), verification_status INT DEFAULT(0), rcs_ui_status INT DEFAULT(0), is_hidden INT DEFAULT(0), rcs_remote_instance TEXT, rcs_file_transfer_session_id TEXT, sms_error_code INT DEFAULT(0), sms_error_desc_map_name TEXT, correlation_id TEXT, cms_id TEXT, cms_last_mod_seq INT, web_id TEXT, usage_stats_logging_id INT DEFAULT(0), send_counter INT DEFAULT(0), original_rcs_message_id TEXT, custom_delivery_receipt_mime_type TEXT, custom_delivery_receipt_content TEXT, report_attempt_acounter INT DEFAULT(0), custom_headers BLOB, cms_correlation_id TEXT, group_private_participant INT, original_message_id INT, awaiting_reverse_sync INT DEFAULT(0), old_sms_message_uri TEXT, draft_id TEXT, result_code INT DEFAULT(0), cms_life_cycle INT DEFAULT(0), mute_priority INT DEFAULT(0), fallback_reason INT DEFAULT(0), auto_retry_counter INT DEFAULT(0), can_revoke_before_delivered_with_rcs INT DEFAULT(0), trace_id TEXT, outgoing_delivery_report_status INT DEFAULT(0), outgoing_read_report_status INT DEFAULT(0), xms_transport INT DEFAULT(0), message_original_protocol INT DEFAULT(0), satellite_datagram_id INT, encryption_protocol INT DEFAULT(0), message_persistence_id TEXT";
/// Google Messages' `parts` columns after the AOSP ones.
const GOOGLE_PARTS_EXTRA: &str = ", raw_text TEXT, original_uri TEXT, storage_uri TEXT, output_uri TEXT, target_size INT DEFAULT(0), processing_status INT DEFAULT(0), cms_attachment_processing_status INT DEFAULT(0), sticker_set_id INT, sticker_id INT, media_modified_timestamp INT DEFAULT(0), longitude REAL, latitude REAL, preview_content_uri TEXT, preview_content_type TEXT, fallback_uri TEXT, source INT DEFAULT(0), bundle_index INT DEFAULT(0), blob_id TEXT, blob_gaia_email TEXT, cms_full_size_blob_id TEXT, cms_media_encryption_key BLOB, cms_compressed_media_encryption_key BLOB, blob_upload_permanent_failure INT DEFAULT(0), blob_upload_timestamp INT DEFAULT(0), expressive_sticker_name TEXT, file_name TEXT, duration INT DEFAULT(-1), compressed_blob_id TEXT, cms_compressed_blob_id TEXT, compressed_blob_upload_permanent_failure INT DEFAULT(0), compressed_blob_upload_timestamp INT DEFAULT(0), media_encryption_key BLOB, compressed_media_encryption_key BLOB, missing_entry_in_telephony INT DEFAULT(0), awaiting_reverse_sync INT DEFAULT(0), file_size_bytes INT DEFAULT(-1), local_cache_path TEXT, media_send_type INT DEFAULT(0), voice_metadata BLOB, validation_status INT DEFAULT(0), processing_id TEXT, rich_card_media_download_failure_reason INT DEFAULT(0), image_display_state INT DEFAULT(0), preserve_size INT DEFAULT(0)";
/// Google Messages' `participants` columns after the AOSP ones.
const GOOGLE_PARTICIPANTS_EXTRA: &str = ", color_palette_index INT DEFAULT(-1), color_type INT DEFAULT(0), extended_color INT DEFAULT(0), participant_type INT DEFAULT(0), is_spam INT DEFAULT(0), latest_verification_status INT DEFAULT(0), directory_id TEXT, name_source INT DEFAULT(0), photo_source INT DEFAULT(0), is_valid_phone_number_data INT DEFAULT(0)";
/// Google Messages' `conversations` columns after the AOSP ones.
const GOOGLE_CONVERSATIONS_EXTRA: &str = ", IS_ENTERPRISE INT DEFAULT(0), conv_type INT DEFAULT(0), has_ea2p_bot_recipient INT DEFAULT(0), rcs_group_id TEXT, rcs_conference_uri TEXT, rcs_session_allows_revocation INT DEFAULT(0), recipient_offline_timestamp_ms INT DEFAULT(0)";

/// Schema of a profile.
pub fn schema(p: Profile) -> String {
    let google = p != Profile::Legacy;
    let (cv, msg, part, ptc, uv) = if google {
        (
            GOOGLE_CONVERSATIONS_EXTRA,
            GOOGLE_MESSAGES_EXTRA,
            GOOGLE_PARTS_EXTRA,
            GOOGLE_PARTICIPANTS_EXTRA,
            61_010,
        )
    } else {
        ("", "", "", "", 1)
    };
    format!(
        "{}\n{}\n{}\n{}\n{}PRAGMA user_version = {uv};\n",
        AOSP_CONVERSATIONS.replace("{EXTRA}", cv),
        AOSP_MESSAGES.replace("{EXTRA}", msg),
        AOSP_PARTS.replace("{EXTRA}", part),
        AOSP_PARTICIPANTS.replace("{EXTRA}", ptc),
        AOSP_REST
    )
}

/// The messages this database holds for a profile, in world order.
pub fn messages(h: &Handset, p: Profile) -> Vec<&GMessage> {
    h.messages
        .iter()
        .filter(|m| match p {
            Profile::Legacy => matches!(m.app, GApp::Sms | GApp::Mms),
            _ => m.app == GApp::Rcs,
        })
        .collect()
}

/// Device path of the database for a profile.
pub fn path(p: Profile) -> String {
    match p {
        Profile::Legacy => "/data/data/com.android.messaging/databases/bugle_db".into(),
        _ => super::bugle_path(p),
    }
}

pub fn render(h: &Handset, p: Profile) -> DbFiles {
    let google = p != Profile::Legacy;
    let self_sub = if google { 1 } else { -1 };
    let mut live = Vec::new();
    let owner = h.records_owner.then(|| h.owner().to_string());
    live.push(format!(
        "INSERT INTO participants (_id,sub_id,sim_slot_id,normalized_destination,send_destination,display_destination,subscription_name,subscription_color) VALUES (1,{self_sub},0,{},{},{},'EE',-16746133);",
        qo(owner.as_deref()),
        qo(owner.as_deref()),
        qo(owner.as_deref().map(|o| uk_style(o, 1)).as_deref()),
    ));
    // Participants by E.164, first stored form wins.
    let mut parts_by_e164: BTreeMap<String, i64> = BTreeMap::new();
    let mut participant = |e164: &str, raw: &str, live: &mut Vec<String>| -> i64 {
        if let Some(id) = parts_by_e164.get(e164) {
            return *id;
        }
        let id = parts_by_e164.len() as i64 + 2;
        parts_by_e164.insert(e164.to_string(), id);
        live.push(format!(
            "INSERT INTO participants (_id,sub_id,normalized_destination,send_destination,display_destination,full_name,contact_id) VALUES ({id},-2,{},{},{},NULL,-1);",
            q(e164),
            q(raw),
            q(&uk_style(e164, 1))
        ));
        id
    };
    let mut convs: BTreeMap<String, i64> = BTreeMap::new();
    let mut st = Stmts::default();
    let (mut msg_id, mut part_id) = (0i64, 0i64);
    for m in messages(h, p) {
        let members: Vec<(String, String)> = match &m.group {
            Some(g) => g
                .members
                .iter()
                .map(|x| {
                    let raw = if *x == m.peer { &m.peer_raw } else { x };
                    (x.clone(), raw.clone())
                })
                .collect(),
            None => {
                let mut v = vec![(m.peer.clone(), m.peer_raw.clone())];
                v.extend(m.extra_recipients.iter().map(|x| (x.clone(), x.clone())));
                v
            }
        };
        let key = match &m.group {
            Some(g) => format!("group:{}", g.id),
            None => {
                let mut k: Vec<&str> = members.iter().map(|(e, _)| e.as_str()).collect();
                k.sort();
                k.join(",")
            }
        };
        // Register the peer first so its stored form is the message's own.
        let peer_pid = participant(&m.peer, &m.peer_raw, &mut live);
        let pids: Vec<i64> = members
            .iter()
            .map(|(e, r)| participant(e, r, &mut live))
            .collect();
        let conv = match convs.get(&key) {
            Some(c) => *c,
            None => {
                let id = convs.len() as i64 + 1;
                convs.insert(key, id);
                let name = match &m.group {
                    Some(g) => g.name.clone(),
                    None => members
                        .iter()
                        .map(|(e, _)| uk_style(e, 1))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                live.push(format!(
                    "INSERT INTO conversations (_id,sms_thread_id,name,latest_message_id,snippet_text,sort_timestamp,current_self_id,participant_count,participant_normalized_destination) VALUES ({id},{},{},NULL,'',{},'1',{},{});",
                    if google { -1 } else { id },
                    q(&name),
                    m.ts_ms,
                    pids.len(),
                    if pids.len() == 1 { q(&m.peer) } else { "NULL".into() }
                ));
                for pid in &pids {
                    live.push(format!(
                        "INSERT INTO conversation_participants (conversation_id,participant_id) VALUES ({id},{pid});"
                    ));
                }
                id
            }
        };
        msg_id += 1;
        let protocol = match m.app {
            GApp::Sms => 0,
            GApp::Mms => 1,
            _ => 3,
        };
        let (sender, status) = if m.outgoing { (1, 2) } else { (peer_pid, 100) };
        let uri = match m.app {
            GApp::Sms => q(&format!("content://sms/{msg_id}")),
            GApp::Mms => q(&format!("content://mms/{msg_id}")),
            _ => "NULL".into(),
        };
        let extra = if google {
            // The message keeps its sender's address as sent, and (RCS) the own number that
            // received it.
            let sender_dest = if m.outgoing {
                owner.clone()
            } else {
                Some(m.peer_raw.clone())
            };
            let receiving = if m.outgoing { None } else { owner.clone() };
            (
                ",rcs_message_id_with_text_type,sender_send_destination,msisdn_receiving_rcs_message,xms_transport,message_original_protocol",
                format!(
                    ",{},{},{},{protocol},{protocol}",
                    q(&format!("{:032x}", m.key.wrapping_mul(0x9e37_79b9_7f4a_7c15))),
                    qo(sender_dest.as_deref()),
                    qo(receiving.as_deref()),
                ),
            )
        } else {
            ("", String::new())
        };
        let mut ins = vec![format!(
            "INSERT INTO messages (_id,conversation_id,sender_id,sent_timestamp,received_timestamp,message_protocol,message_status,seen,read,sms_message_uri,self_id{}) VALUES ({msg_id},{conv},{sender},{},{},{protocol},{status},1,{},{uri},1{});",
            extra.0,
            if m.outgoing { m.ts_ms } else { m.ts_ms - 2_000 },
            m.ts_ms,
            i64::from(m.read),
            extra.1
        )];
        if mms_image_name(m).is_some() {
            part_id += 1;
            ins.push(format!(
                "INSERT INTO parts (_id,message_id,text,uri,content_type,width,height,conversation_id) VALUES ({part_id},{msg_id},NULL,{},'image/jpeg',640,480,{conv});",
                q(&format!("content://mms/part/{}", 1_000 + part_id)),
            ));
        }
        part_id += 1;
        ins.push(format!(
            "INSERT INTO parts (_id,message_id,text,uri,content_type,conversation_id) VALUES ({part_id},{msg_id},{},NULL,'text/plain',{conv});",
            q(&m.body)
        ));
        let del = vec![
            format!("DELETE FROM parts WHERE message_id = {msg_id};"),
            format!("DELETE FROM messages WHERE _id = {msg_id};"),
        ];
        st.record(m.state, ins, del);
    }
    live.extend(st.live_then_deletes());
    build(4096, &schema(p), &live, &st.wal)
}
