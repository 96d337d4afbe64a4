//! Google Messages `bugle_db` (`com.google.android.apps.messaging`; the AOSP Messaging app it grew
//! from has the same core tables).
//!
//! - `participants`: everyone the app has seen, including the handset's own SIMs. A self
//!   participant has `sub_id` other than -2 (`OTHER_THAN_SELF_SUB_ID`); -1 is the default self
//!   on single-SIM / pre-L handsets. `send_destination` is the number as used for sending,
//!   `normalized_destination` its E.164 form, `display_destination` the pretty form. A self
//!   participant's number (when the SIM records one) is an [`OwnerNumber`].
//! - `conversations` (`name`, `participant_count`) and `conversation_participants` (members
//!   other than self).
//! - `messages`: `conversation_id`, `sender_id` (participant), `self_id`, `received_timestamp`
//!   and `sent_timestamp` (Unix ms), `message_protocol` (0 SMS, 1 MMS, 2 MMS notification, 3 RCS
//!   in Google Messages, as its own `index_unsent_rcs_report ... WHERE message_protocol = 3`
//!   shows; other values are read as RCS with a warning), `message_status` (below 100 outgoing, 100 and up incoming),
//!   `read`, `mms_subject`.
//! - `parts`: `message_id`, `text`, `content_type`, `uri`; Google Messages adds
//!   `file_name`, `file_size_bytes` and `local_cache_path`.
//! - Google Messages also keeps on each message `sender_send_destination` (the sender's address
//!   as received, preferred for incoming messages) and `msisdn_receiving_rcs_message` (the own
//!   number an RCS message arrived on: the recipient of an incoming message, and an
//!   [`OwnerNumber`]). Both are read only when present.
//!
//! Direction: the sender participant being a self participant means outgoing; a known other
//! sender means incoming; without a usable sender the status decides.
use std::collections::{BTreeMap, BTreeSet};

use super::{all_unreadable, open, read_table, require_any};
use crate::registry::DbInput;
use crate::sqlite::row::{hex, Col, Val};
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::{Attachment, Direction, Message, OwnerNumber, ParseError, ParseOutput};

/// `sub_id` of a participant that is not the handset itself.
pub const OTHER_THAN_SELF_SUB_ID: i64 = -2;

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["messages"])?;
    if !img.has_table("parts") || !img.has_table("participants") {
        out.warn(format!(
            "bugle_db lacks parts or participants; bodies or senders will be missing ({})",
            img.schema_summary()
        ));
    }
    let lk = lookups(&img, &mut out);
    for (id, p) in &lk.participants {
        if p.is_self {
            if let Some(n) = p.number() {
                out.owners.push(OwnerNumber {
                    origin: p.origin.clone(),
                    number_raw: n.to_string(),
                    how: format!(
                        "bugle_db participants._id {id} is a self participant (sub_id {}){}",
                        p.sub_id.map(|s| s.to_string()).unwrap_or_default(),
                        p.sub_name
                            .as_deref()
                            .map(|s| format!(", subscription '{s}'"))
                            .unwrap_or_default()
                    ),
                });
            }
        }
    }
    let cols = cols_for(
        &img,
        "messages",
        &[
            "conversation_id",
            "sender_id",
            "self_id",
            "sent_timestamp",
            "received_timestamp",
            "message_protocol",
            "message_status",
            "read",
            "mms_subject",
        ],
        &["sender_send_destination", "msisdn_receiving_rcs_message"],
    );
    let t = read_table(&img, &mut out, "messages", &cols)
        .ok_or_else(|| all_unreadable(&["messages"]))?;
    let c = MsgCols::new(&t);
    let mut odd_protocols = BTreeSet::new();
    let mut receiving = BTreeSet::new();
    for r in &t.rows {
        if let Some(n) = r.text_nonempty(c.receiving) {
            if receiving.insert(n.clone()) {
                out.owners.push(OwnerNumber {
                    origin: r.origin("messages"),
                    number_raw: n,
                    how: "bugle_db messages.msisdn_receiving_rcs_message (the own number an RCS message was received on)".into(),
                });
            }
        }
        let p = r.i64(c.protocol);
        if p.is_some_and(|p| !(0..=3).contains(&p)) {
            odd_protocols.insert(p.unwrap_or_default());
        }
        out.messages.push(message_row(r, &c, "messages", &lk));
    }
    if !odd_protocols.is_empty() {
        out.warn(format!(
            "messages: message_protocol values {} are not documented; read as RCS",
            odd_protocols
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(out)
}

/// A participant as messages need it.
#[derive(Debug, Clone)]
pub struct Participant {
    pub origin: crate::Origin,
    pub sub_id: Option<i64>,
    pub is_self: bool,
    pub send: Option<String>,
    pub normalized: Option<String>,
    pub display: Option<String>,
    pub sub_name: Option<String>,
}

impl Participant {
    /// The number as stored: `send_destination`, else `normalized_destination`, else
    /// `display_destination`.
    pub fn number(&self) -> Option<&str> {
        self.send
            .as_deref()
            .or(self.normalized.as_deref())
            .or(self.display.as_deref())
    }
}

/// A conversation with its members other than self.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    pub name: Option<String>,
    pub participant_count: Option<i64>,
    pub members: Vec<i64>,
}

/// A part of a message.
#[derive(Debug, Clone)]
pub struct Part {
    pub text: Val,
    pub content_type: Option<String>,
    pub uri: Option<String>,
    /// `file_name`, else `local_cache_path` (Google Messages only).
    pub file_name: Option<String>,
    pub size: Option<i64>,
}

/// Lookup maps built from `participants`, `conversations`, `conversation_participants` and
/// `parts`.
#[derive(Debug, Default)]
pub struct Lookups {
    pub participants: BTreeMap<i64, Participant>,
    pub conversations: BTreeMap<i64, Conversation>,
    pub parts: BTreeMap<i64, Vec<Part>>,
}

/// Ask for `core` columns always, `optional` ones only when the table has them.
fn cols_for<'a>(
    img: &DbImage,
    table: &str,
    core: &[&'a str],
    optional: &[&'a str],
) -> Vec<&'a str> {
    let present = img.columns(table);
    let mut v = core.to_vec();
    v.extend(
        optional
            .iter()
            .copied()
            .filter(|o| present.iter().any(|p| p.eq_ignore_ascii_case(o))),
    );
    v
}

fn lookups(img: &DbImage, out: &mut ParseOutput) -> Lookups {
    let mut lk = Lookups::default();
    if img.has_table("participants") {
        let cols = cols_for(
            img,
            "participants",
            &[
                "sub_id",
                "normalized_destination",
                "send_destination",
                "display_destination",
            ],
            &["subscription_name"],
        );
        let t = read_table(img, out, "participants", &cols).unwrap_or_default();
        for r in &t.rows {
            let Some(id) = r.rowid else { continue };
            let sub_id = r.i64(t.col("sub_id"));
            lk.participants.insert(
                id,
                Participant {
                    origin: r.origin("participants"),
                    sub_id,
                    is_self: sub_id.is_some_and(|s| s != OTHER_THAN_SELF_SUB_ID),
                    send: r.text_nonempty(t.col("send_destination")),
                    normalized: r.text_nonempty(t.col("normalized_destination")),
                    display: r.text_nonempty(t.col("display_destination")),
                    sub_name: r.text_nonempty(t.col("subscription_name")),
                },
            );
        }
    }
    if img.has_table("conversations") {
        let t = read_table(img, out, "conversations", &["name", "participant_count"])
            .unwrap_or_default();
        for r in &t.rows {
            if let Some(id) = r.rowid {
                lk.conversations.insert(
                    id,
                    Conversation {
                        name: r.text_nonempty(t.col("name")),
                        participant_count: r.i64(t.col("participant_count")),
                        members: Vec::new(),
                    },
                );
            }
        }
    }
    if img.has_table("conversation_participants") {
        let t = read_table(
            img,
            out,
            "conversation_participants",
            &["conversation_id", "participant_id"],
        )
        .unwrap_or_default();
        for r in &t.rows {
            if let (Some(cv), Some(p)) = (
                r.i64(t.col("conversation_id")),
                r.i64(t.col("participant_id")),
            ) {
                lk.conversations.entry(cv).or_default().members.push(p);
            }
        }
    }
    if img.has_table("parts") {
        let cols = cols_for(
            img,
            "parts",
            &["message_id", "text", "content_type", "uri"],
            &["file_size_bytes", "file_name", "local_cache_path"],
        );
        let t = read_table(img, out, "parts", &cols).unwrap_or_default();
        for r in &t.rows {
            let Some(mid) = r.i64(t.col("message_id")) else {
                continue;
            };
            lk.parts.entry(mid).or_default().push(Part {
                text: r.get(t.col("text")).clone(),
                content_type: r.text_nonempty(t.col("content_type")),
                uri: r.text_nonempty(t.col("uri")),
                file_name: r
                    .text_nonempty(t.col("file_name"))
                    .or_else(|| r.text_nonempty(t.col("local_cache_path"))),
                size: r.i64(t.col("file_size_bytes")).filter(|&s| s >= 0),
            });
        }
    }
    lk
}

/// Column handles of a `messages` read.
pub struct MsgCols {
    conversation_id: Col,
    sender_id: Col,
    self_id: Col,
    sent: Col,
    received: Col,
    protocol: Col,
    status: Col,
    read: Col,
    subject: Col,
    sender_dest: Col,
    receiving: Col,
}

impl MsgCols {
    pub fn new(t: &TableRows) -> Self {
        MsgCols {
            conversation_id: t.col("conversation_id"),
            sender_id: t.col("sender_id"),
            self_id: t.col("self_id"),
            sent: t.col("sent_timestamp"),
            received: t.col("received_timestamp"),
            protocol: t.col("message_protocol"),
            status: t.col("message_status"),
            read: t.col("read"),
            subject: t.col("mms_subject"),
            sender_dest: t.col("sender_send_destination"),
            receiving: t.col("msisdn_receiving_rcs_message"),
        }
    }
}

/// Map one `messages` row.
pub fn message_row(r: &RowData, c: &MsgCols, table: &str, lk: &Lookups) -> Message {
    let (app, service) = match r.i64(c.protocol) {
        Some(0) => ("sms", "SMS"),
        Some(1) | Some(2) => ("mms", "MMS"),
        Some(_) => ("rcs", "RCS"),
        None => ("sms", "SMS"),
    };
    let mut m = Message::new(r.origin(table), app);
    m.service = Some(service.into());
    let sender = r.i64(c.sender_id).and_then(|s| lk.participants.get(&s));
    let status = r.i64(c.status);
    m.direction = match sender {
        Some(p) if p.is_self => Direction::Outgoing,
        Some(_) => Direction::Incoming,
        None => match status {
            Some(s) if (1..100).contains(&s) => Direction::Outgoing,
            Some(s) if s >= 100 => Direction::Incoming,
            _ => Direction::Unknown,
        },
    };
    match status {
        Some(3) => m.flags.push("draft".into()),
        Some(8) | Some(9) => m.flags.push("failed".into()),
        _ => {}
    }
    m.timestamp_ms = r
        .i64(c.received)
        .filter(|&t| t > 0)
        .or_else(|| r.i64(c.sent).filter(|&t| t > 0));
    let conv_id = r.i64(c.conversation_id);
    let conv = conv_id.and_then(|cv| lk.conversations.get(&cv));
    m.thread_id = conv_id.map(|c| c.to_string());
    let members: Vec<&Participant> = conv
        .map(|cv| {
            cv.members
                .iter()
                .filter_map(|p| lk.participants.get(p))
                .filter(|p| !p.is_self)
                .collect()
        })
        .unwrap_or_default();
    let group = conv.is_some_and(|cv| cv.participant_count.unwrap_or(0) > 1 || members.len() > 1);
    if group {
        m.thread_name = conv.and_then(|cv| cv.name.clone());
    }
    let self_number = r
        .i64(c.self_id)
        .and_then(|s| lk.participants.get(&s))
        .filter(|p| p.is_self)
        .and_then(|p| p.number().map(str::to_string));
    let sender_dest = r.text_nonempty(c.sender_dest);
    match m.direction {
        Direction::Outgoing => {
            m.sender_raw = sender
                .and_then(|p| p.number().map(str::to_string))
                .or(sender_dest)
                .or(self_number);
            m.recipients_raw = members
                .iter()
                .filter_map(|p| p.number().map(str::to_string))
                .collect();
        }
        _ => {
            // The message's own copy of the sender address is exact; the participant keeps the
            // first form the app saw for that number.
            m.sender_raw =
                sender_dest.or_else(|| sender.and_then(|p| p.number().map(str::to_string)));
            m.recipients_raw = r
                .text_nonempty(c.receiving)
                .or(self_number)
                .into_iter()
                .collect();
        }
    }
    m.read = r.bool(c.read);
    let id = r.rowid.unwrap_or(-1);
    let mut texts: Vec<&Val> = Vec::new();
    for p in lk.parts.get(&id).map(Vec::as_slice).unwrap_or(&[]) {
        let ct = p.content_type.as_deref().unwrap_or("").to_ascii_lowercase();
        if (ct.is_empty() || ct == "text/plain") && !p.text.is_null() && p.uri.is_none() {
            texts.push(&p.text);
        } else if ct != "application/smil" {
            m.attachments.push(Attachment {
                kind: p.content_type.clone(),
                file_name: p.file_name.clone().or_else(|| p.uri.clone()),
                size: p.size,
                caption: p.text.as_text().filter(|s| !s.is_empty()),
            });
        }
    }
    if !texts.is_empty() {
        m.body = Some(
            texts
                .iter()
                .filter_map(|v| v.as_text())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        if texts.iter().any(|v| matches!(v, Val::BadText(_))) {
            let raw: Vec<u8> = texts
                .iter()
                .map(|v| v.as_blob().unwrap_or_default().to_vec())
                .collect::<Vec<_>>()
                .join(&b'\n');
            m.body_raw_hex = Some(hex(&raw));
        }
    } else {
        m.body = r.text_nonempty(c.subject);
    }
    m
}
