//! iOS Messages: `/private/var/mobile/Library/SMS/sms.db` (SMS, MMS, iMessage and RCS).
//!
//! Tables: `message` (one row per message; `handle_id` is the other party of a 1:1 message and
//! the sender of an incoming group message; `other_handle` is used by some message types),
//! `handle` (numbers / Apple IDs), `chat` with `chat_message_join` and `chat_handle_join`
//! (conversations and their members), `attachment` with `message_attachment_join`.
//! Dates are Cocoa time: seconds before iOS 11, nanoseconds since. Since iOS 16 the text is often
//! only in `attributedBody`, a typedstream archive (see [`super::typedstream`]).
use std::collections::{BTreeMap, BTreeSet};

use super::common::{
    phone_like, select_cols, select_opt, strip_account_prefix, take_image_warnings,
};
use super::typedstream;
use crate::model::{cocoa_to_unix_ms, Attachment, Direction, Message, OwnerNumber, ParseOutput};
use crate::registry::DbInput;
use crate::sqlite::row::{hex, Col};
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::ParseError;

/// A conversation, from `chat`.
#[derive(Debug, Clone, Default)]
pub struct ChatInfo {
    pub guid: Option<String>,
    pub identifier: Option<String>,
    pub display_name: Option<String>,
    /// Member handle ids (`handle.id`), in handle rowid order.
    pub members: Vec<String>,
}

/// Lookups a `message` row is mapped with.
#[derive(Debug, Default)]
pub struct SmsContext {
    /// handle ROWID -> handle.id
    pub handles: BTreeMap<i64, String>,
    pub chats: BTreeMap<i64, ChatInfo>,
    /// message ROWID -> chat ROWIDs (sorted)
    pub message_chats: BTreeMap<i64, Vec<i64>>,
    /// message ROWID -> chat ROWIDs of iOS 16+ "Recently Deleted" messages
    /// (`chat_recoverable_message_join`)
    pub recoverable_chats: BTreeMap<i64, Vec<i64>>,
    /// message ROWID -> text of its deleted parts (`recoverable_message_part.part_text`)
    pub recoverable_parts: BTreeMap<i64, Vec<Vec<u8>>>,
    /// message ROWID -> attachments, in attachment rowid order
    pub attachments: BTreeMap<i64, Vec<Attachment>>,
}

/// Column handles of the `message` table.
pub struct MessageCols {
    text: Col,
    attributed_body: Col,
    handle_id: Col,
    other_handle: Col,
    service: Col,
    account: Col,
    date: Col,
    is_from_me: Col,
    is_read: Col,
    is_delivered: Col,
    is_sent: Col,
    error: Col,
    destination_caller_id: Col,
    date_edited: Col,
    date_retracted: Col,
    item_type: Col,
    associated_message_type: Col,
}

const MESSAGE_CORE: &[&str] = &[
    "guid",
    "text",
    "attributedBody",
    "handle_id",
    "service",
    "account",
    "date",
    "is_from_me",
    "is_read",
    "is_delivered",
];
const MESSAGE_OPTIONAL: &[&str] = &[
    "other_handle",
    "is_sent",
    "error",
    "destination_caller_id",
    "date_edited",
    "date_retracted",
    "item_type",
    "associated_message_type",
    "cache_has_attachments",
];

impl MessageCols {
    pub fn new(t: &TableRows) -> Self {
        MessageCols {
            text: t.col("text"),
            attributed_body: t.col("attributedBody"),
            handle_id: t.col("handle_id"),
            other_handle: t.col("other_handle"),
            service: t.col("service"),
            account: t.col("account"),
            date: t.col("date"),
            is_from_me: t.col("is_from_me"),
            is_read: t.col("is_read"),
            is_delivered: t.col("is_delivered"),
            is_sent: t.col("is_sent"),
            error: t.col("error"),
            destination_caller_id: t.col("destination_caller_id"),
            date_edited: t.col("date_edited"),
            date_retracted: t.col("date_retracted"),
            item_type: t.col("item_type"),
            associated_message_type: t.col("associated_message_type"),
        }
    }
}

/// The app name for a `service` value.
pub fn app_for_service(service: Option<&str>) -> &'static str {
    let s = service.unwrap_or("").to_ascii_lowercase();
    if s.contains("imessage") {
        "imessage"
    } else if s.contains("rcs") {
        "rcs"
    } else {
        "sms"
    }
}

/// Body of a message row: `text`, or when that is NULL/empty the text inside `attributedBody`.
/// Returns (body, raw hex when not UTF-8, warning).
pub fn message_body(
    r: &RowData,
    text: Col,
    attributed: Col,
) -> (Option<String>, Option<String>, Option<String>) {
    let tv = r.get(text);
    if let Some(t) = tv.as_text().filter(|t| !t.is_empty()) {
        // Both present: they should agree; a difference means one of them was changed.
        let warn = r
            .blob(attributed)
            .and_then(typedstream::attributed_text)
            .filter(|a| a.as_slice() != tv.as_blob().unwrap_or_default())
            .map(|a| {
                format!(
                    "message {}: text and attributedBody disagree (attributedBody says {:?})",
                    r.rowid.map(|i| i.to_string()).unwrap_or_default(),
                    String::from_utf8_lossy(&a)
                )
            });
        return (Some(t), tv.bad_text_hex(), warn);
    }
    let Some(blob) = r.blob(attributed).filter(|b| !b.is_empty()) else {
        return (tv.as_text(), tv.bad_text_hex(), None);
    };
    let (dec, err) = typedstream::decode_lenient(blob);
    let rid = r.rowid.map(|i| i.to_string()).unwrap_or_default();
    let warn = err.as_ref().map(|e| {
        if dec.text_bytes().is_some() {
            format!("message {rid}: attributedBody damaged after its text ({e}); text kept")
        } else {
            format!("message {rid}: attributedBody unreadable ({e}); no text")
        }
    });
    match dec.text_bytes() {
        None => (None, None, warn),
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => (Some(s.to_string()), None, warn),
            Err(_) => (
                Some(String::from_utf8_lossy(b).into_owned()),
                Some(hex(b)),
                warn,
            ),
        },
    }
}

/// Map one `message` row. Returns the message, the owner numbers it reveals, and a warning.
pub fn map_message(
    r: &RowData,
    c: &MessageCols,
    ctx: &SmsContext,
) -> (Message, Vec<OwnerNumber>, Option<String>) {
    let origin = r.origin("message");
    let service = r.text_nonempty(c.service);
    let mut m = Message::new(origin.clone(), app_for_service(service.as_deref()));
    m.service = service;
    m.direction = match r.bool(c.is_from_me) {
        Some(true) => Direction::Outgoing,
        Some(false) => Direction::Incoming,
        None => Direction::Unknown,
    };
    m.timestamp_ms = r.f64(c.date).and_then(cocoa_to_unix_ms);
    let (body, raw, warn) = message_body(r, c.text, c.attributed_body);
    m.body = body;
    m.body_raw_hex = raw;
    if warn.as_deref().is_some_and(|w| w.contains("disagree")) {
        m.flags.push("attributed_body_differs".into());
    }

    let handle = |col: Col| {
        r.i64(col)
            .filter(|h| *h > 0)
            .and_then(|h| ctx.handles.get(&h).cloned())
    };
    let peer = handle(c.handle_id).or_else(|| handle(c.other_handle));
    let joined = r.rowid.and_then(|id| ctx.message_chats.get(&id));
    let recoverable = r.rowid.and_then(|id| ctx.recoverable_chats.get(&id));
    let chat = joined
        .or(recoverable)
        .and_then(|ids| ids.first())
        .and_then(|cid| ctx.chats.get(cid));
    if let Some(ch) = chat {
        m.thread_id = ch.guid.clone().or_else(|| ch.identifier.clone());
        m.thread_name = ch.display_name.clone();
    }
    // The handset's own account for this message: the number/address it was sent to or from.
    let dest = r.text_nonempty(c.destination_caller_id);
    let account = r
        .text_nonempty(c.account)
        .map(|a| strip_account_prefix(&a).to_string())
        .filter(|a| !a.is_empty());
    let own = dest.clone().or_else(|| account.clone());
    match m.direction {
        Direction::Outgoing => {
            m.sender_raw = own;
            let members = chat.map(|ch| ch.members.clone()).unwrap_or_default();
            m.recipients_raw = if members.len() > 1 {
                members
            } else if let Some(p) = peer {
                vec![p]
            } else if !members.is_empty() {
                members
            } else {
                chat.and_then(|ch| ch.identifier.clone())
                    .into_iter()
                    .collect()
            };
        }
        _ => {
            m.sender_raw = peer;
            m.recipients_raw = own.into_iter().collect();
            m.read = r.bool(c.is_read);
        }
    }
    if let Some(a) = r.rowid.and_then(|rid| ctx.attachments.get(&rid)) {
        m.attachments = a.clone();
    }
    if m.direction == Direction::Outgoing {
        if r.i64(c.error).is_some_and(|e| e != 0) {
            m.flags.push("failed".into());
        } else if r.i64(c.is_delivered) == Some(0) && r.i64(c.is_sent) != Some(1) {
            m.flags.push("maybe_failed".into());
        }
    }
    if r.f64(c.date_edited).is_some_and(|d| d != 0.0) {
        m.flags.push("edited".into());
    }
    if r.f64(c.date_retracted).is_some_and(|d| d != 0.0) {
        m.flags.push("unsent".into());
    }
    if recoverable.is_some() {
        // In "Recently Deleted": deleted by the user, still recoverable on the phone.
        m.flags.push("recently_deleted".into());
        if m.body.is_none() {
            if let Some(parts) = r.rowid.and_then(|id| ctx.recoverable_parts.get(&id)) {
                let texts: Vec<String> = parts
                    .iter()
                    .filter_map(|p| typedstream::attributed_text(p))
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .collect();
                if !texts.is_empty() {
                    m.body = Some(texts.join("\n"));
                    m.flags.push("body_from_recoverable_part".into());
                }
            }
        }
    }
    if r.i64(c.item_type).is_some_and(|t| t != 0) {
        // Group membership/name changes and other events, not typed messages.
        m.flags.push("system_event".into());
    }
    if r.i64(c.associated_message_type)
        .is_some_and(|t| (2000..4000).contains(&t))
    {
        m.flags.push("reaction".into());
    }

    let mut owners = Vec::new();
    if let Some(d) = dest.filter(|d| phone_like(d)) {
        owners.push(OwnerNumber {
            origin: origin.clone(),
            number_raw: d,
            how: "message.destination_caller_id".into(),
        });
    }
    if let Some(a) = account.filter(|a| phone_like(a)) {
        owners.push(OwnerNumber {
            origin,
            number_raw: a,
            how: "message.account".into(),
        });
    }
    (m, owners, warn)
}

fn load_context(img: &DbImage, out: &mut ParseOutput) -> SmsContext {
    let mut ctx = SmsContext::default();
    if let Some(t) = select_opt(
        img,
        out,
        "handle",
        &["id"],
        &["service", "uncanonicalized_id"],
        "message parties are unknown",
    ) {
        let id = t.col("id");
        for r in &t.rows {
            if let (Some(rid), Some(v)) = (r.rowid, r.text_nonempty(id)) {
                ctx.handles.insert(rid, v);
            }
        }
    }
    let mut chat_members: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    if img.has_table("chat_handle_join") {
        if let Some(t) = select_opt(
            img,
            out,
            "chat_handle_join",
            &["chat_id", "handle_id"],
            &[],
            "",
        ) {
            let (c, h) = (t.col("chat_id"), t.col("handle_id"));
            for r in &t.rows {
                if let (Some(c), Some(h)) = (r.i64(c), r.i64(h)) {
                    chat_members.entry(c).or_default().insert(h);
                }
            }
        }
    }
    if let Some(t) = select_opt(
        img,
        out,
        "chat",
        &["guid", "chat_identifier", "display_name"],
        &["account_login", "last_addressed_handle", "service_name"],
        "conversations are unknown",
    ) {
        let (g, i, d) = (
            t.col("guid"),
            t.col("chat_identifier"),
            t.col("display_name"),
        );
        let (al, lah) = (t.col("account_login"), t.col("last_addressed_handle"));
        for r in &t.rows {
            let Some(rid) = r.rowid else { continue };
            let members = chat_members
                .get(&rid)
                .map(|hs| {
                    hs.iter()
                        .filter_map(|h| ctx.handles.get(h).cloned())
                        .collect()
                })
                .unwrap_or_default();
            ctx.chats.insert(
                rid,
                ChatInfo {
                    guid: r.text_nonempty(g),
                    identifier: r.text_nonempty(i),
                    display_name: r.text_nonempty(d),
                    members,
                },
            );
            for (col, how) in [
                (al, "chat.account_login"),
                (lah, "chat.last_addressed_handle"),
            ] {
                if let Some(v) = r.text_nonempty(col) {
                    let v = strip_account_prefix(&v).to_string();
                    if phone_like(&v) {
                        out.owners.push(OwnerNumber {
                            origin: r.origin("chat"),
                            number_raw: v,
                            how: how.into(),
                        });
                    }
                }
            }
        }
    }
    if img.has_table("chat_message_join") {
        if let Some(t) = select_opt(
            img,
            out,
            "chat_message_join",
            &["chat_id", "message_id"],
            &[],
            "",
        ) {
            let (c, m) = (t.col("chat_id"), t.col("message_id"));
            for r in &t.rows {
                if let (Some(c), Some(m)) = (r.i64(c), r.i64(m)) {
                    let v = ctx.message_chats.entry(m).or_default();
                    v.push(c);
                    v.sort_unstable();
                }
            }
        }
    }
    if img.has_table("chat_recoverable_message_join") {
        if let Some(t) = select_opt(
            img,
            out,
            "chat_recoverable_message_join",
            &["chat_id", "message_id"],
            &["delete_date"],
            "",
        ) {
            let (c, m) = (t.col("chat_id"), t.col("message_id"));
            for r in &t.rows {
                if let (Some(c), Some(m)) = (r.i64(c), r.i64(m)) {
                    let v = ctx.recoverable_chats.entry(m).or_default();
                    v.push(c);
                    v.sort_unstable();
                }
            }
        }
    }
    if img.has_table("recoverable_message_part") {
        if let Some(t) = select_opt(
            img,
            out,
            "recoverable_message_part",
            &["message_id", "part_index", "part_text"],
            &[],
            "",
        ) {
            let (m, i, p) = (t.col("message_id"), t.col("part_index"), t.col("part_text"));
            let mut parts: Vec<(i64, i64, Vec<u8>)> = t
                .rows
                .iter()
                .filter_map(|r| Some((r.i64(m)?, r.i64(i).unwrap_or(0), r.blob(p)?.to_vec())))
                .collect();
            parts.sort();
            for (m, _, b) in parts {
                ctx.recoverable_parts.entry(m).or_default().push(b);
            }
        }
    }
    if img.has_table("message_attachment_join") && img.has_table("attachment") {
        let mut atts: BTreeMap<i64, Attachment> = BTreeMap::new();
        if let Some(t) = select_opt(
            img,
            out,
            "attachment",
            &["mime_type", "transfer_name", "total_bytes"],
            &["filename", "uti"],
            "attachment details are unknown",
        ) {
            let (mt, tn, tb, f, u) = (
                t.col("mime_type"),
                t.col("transfer_name"),
                t.col("total_bytes"),
                t.col("filename"),
                t.col("uti"),
            );
            for r in &t.rows {
                let Some(rid) = r.rowid else { continue };
                let file_name = r.text_nonempty(tn).or_else(|| {
                    r.text_nonempty(f)
                        .map(|p| p.rsplit('/').next().unwrap_or(&p).to_string())
                });
                atts.insert(
                    rid,
                    Attachment {
                        kind: r.text_nonempty(mt).or_else(|| r.text_nonempty(u)),
                        file_name,
                        size: r.i64(tb),
                        caption: None,
                    },
                );
            }
        }
        if let Some(t) = select_opt(
            img,
            out,
            "message_attachment_join",
            &["message_id", "attachment_id"],
            &[],
            "",
        ) {
            let (m, a) = (t.col("message_id"), t.col("attachment_id"));
            let mut pairs: Vec<(i64, i64)> = t
                .rows
                .iter()
                .filter_map(|r| Some((r.i64(m)?, r.i64(a)?)))
                .collect();
            pairs.sort_unstable();
            for (m, a) in pairs {
                let att = atts.get(&a).cloned().unwrap_or_default();
                ctx.attachments.entry(m).or_default().push(att);
            }
        }
    }
    ctx
}

/// Parse an sms.db.
pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let img = DbImage::open_input(input)?;
    let mut out = ParseOutput::default();
    take_image_warnings(&img, &mut out);
    if !img.has_table("message") {
        return Err(ParseError::UnknownSchema(format!(
            "no message table in sms.db ({})",
            img.schema_summary()
        )));
    }
    let ctx = load_context(&img, &mut out);
    let chat_owners = std::mem::take(&mut out.owners);
    let t = select_cols(&img, &mut out, "message", MESSAGE_CORE, MESSAGE_OPTIONAL)?;
    let cols = MessageCols::new(&t);
    let mut owners = Vec::new();
    for r in &t.rows {
        let (m, o, w) = map_message(r, &cols, &ctx);
        out.messages.push(m);
        owners.extend(o);
        if let Some(w) = w {
            out.warn(w);
        }
    }
    owners.extend(chat_owners);
    // One owner record per (number, how): the first row that shows it.
    let mut seen = BTreeSet::new();
    for o in owners {
        if seen.insert((o.number_raw.clone(), o.how.clone())) {
            out.owners.push(o);
        }
    }
    Ok(out)
}
