//! WhatsApp on Android: `msgstore.db`, `wa.db` and the shared-preferences XML.
//!
//! Schema generations of `msgstore.db`:
//! - legacy (before ~2022): `messages` keyed by `key_remote_jid` (the chat JID), `key_from_me`,
//!   `remote_resource` (the sender of an incoming group message), media in `media_*` columns,
//!   members in `group_participants`, group names in `chat_list.subject`, broadcast receipts in
//!   `receipts`;
//! - modern: `message` with `chat` and `jid` (`raw_string`), `message_media`,
//!   `message_location`, `message_system`, `message_revoked`, `message_edit_info`,
//!   `group_participant_user`, `receipt_user`, `call_log` (+ `call_log_participant_v2`);
//! - transitional: both `messages` and `message`. `message` is authoritative: a `messages` row
//!   whose (chat JID, from_me, key_id) is also in `message` is skipped; rows found only in the
//!   legacy table are parsed from it and counted in a warning;
//! - LID: a chat, sender or caller JID on server `lid` is mapped through `jid_map`
//!   (`lid_row_id` -> `jid_row_id`) to its phone-number JID; an unmapped LID is kept as stored
//!   and reported in a warning.
//!
//! Decisions: system messages are kept with the flag `system`; the legacy sentinel row
//! (`key_remote_jid = '-1'`) is skipped; for a media message `body` is the caption
//! (`text_data` / `data` / `media_caption`) and the attachment carries type, caption, file name
//! and size. Outgoing group messages list the group's members as recipients; outgoing
//! broadcast-list messages list the receipts' recipients (else the list's members).
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::{base_jid, jid_kind, service_name, JidKind};
use crate::model::{
    Attachment, Call, Contact, Direction, Message, Origin, OwnerNumber, RecordState,
};
use crate::registry::DbInput;
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::{ParseError, ParseOutput};

pub(super) fn open(input: &DbInput<'_>) -> Result<(DbImage, ParseOutput), ParseError> {
    let img = DbImage::open_input(input)?;
    let out = ParseOutput {
        warnings: img.warnings.clone(),
        ..Default::default()
    };
    Ok((img, out))
}

fn has(tables: &[String], t: &str) -> bool {
    tables.iter().any(|x| x.eq_ignore_ascii_case(t))
}

/// Rows of an optional side table (no warning when the table is absent).
pub(super) fn side(
    img: &DbImage,
    out: &mut ParseOutput,
    table: &str,
    cols: &[&str],
) -> Option<TableRows> {
    if !img.has_table(table) {
        return None;
    }
    match img.select(table, cols) {
        Ok(t) => {
            out.count(table, t.rows.len() as u64);
            Some(t)
        }
        Err(e) => {
            out.warn(format!("table {table} unreadable: {e}"));
            None
        }
    }
}

/// The `jid` table with the LID map.
#[derive(Default)]
struct Jids {
    by_row: BTreeMap<i64, String>,
    lid_to_pn: BTreeMap<i64, i64>,
    unmapped_lids: BTreeSet<String>,
    mapped_lids: usize,
}

impl Jids {
    fn load(img: &DbImage, out: &mut ParseOutput) -> Jids {
        let mut j = Jids::default();
        if let Some(t) = side(img, out, "jid", &["_id", "user", "server", "raw_string"]) {
            let (id, user, server, raw) = (
                t.col("_id"),
                t.col("user"),
                t.col("server"),
                t.col("raw_string"),
            );
            for r in &t.rows {
                let Some(rid) = r.i64(id).or(r.rowid) else {
                    continue;
                };
                let s = r.text_nonempty(raw).or_else(|| {
                    match (r.text_nonempty(user), r.text_nonempty(server)) {
                        (Some(u), Some(s)) => Some(format!("{u}@{s}")),
                        (None, Some(s)) => Some(s),
                        _ => None,
                    }
                });
                if let Some(s) = s {
                    j.by_row.insert(rid, s);
                }
            }
        }
        if let Some(t) = side(img, out, "jid_map", &["lid_row_id", "jid_row_id"]) {
            let (l, p) = (t.col("lid_row_id"), t.col("jid_row_id"));
            for r in &t.rows {
                if let (Some(l), Some(p)) = (r.i64(l), r.i64(p)) {
                    j.lid_to_pn.insert(l, p);
                }
            }
        }
        j
    }

    /// The JID of a row, a LID mapped to its phone-number JID when `jid_map` knows it.
    fn resolve(&mut self, row: Option<i64>) -> Option<String> {
        let row = row?;
        let raw = self.by_row.get(&row)?.clone();
        if jid_kind(&raw) == JidKind::Lid {
            if let Some(pn) = self.lid_to_pn.get(&row).and_then(|p| self.by_row.get(p)) {
                self.mapped_lids += 1;
                return Some(base_jid(pn));
            }
            self.unmapped_lids.insert(raw.clone());
        }
        Some(base_jid(&raw))
    }

    fn finish(&self, out: &mut ParseOutput) {
        if !self.unmapped_lids.is_empty() {
            out.warn(format!(
                "{} LID JID(s) have no phone-number mapping in jid_map and are kept as LIDs (not numbers): {}",
                self.unmapped_lids.len(),
                self.unmapped_lids.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
}

/// Type names of `message_type` / `media_wa_type`.
pub(super) fn media_kind(t: i64) -> Option<&'static str> {
    Some(match t {
        1 => "image",
        2 => "audio",
        3 => "video",
        4 => "contact",
        5 => "location",
        9 => "document",
        13 => "gif",
        16 => "live_location",
        20 => "sticker",
        42 => "view_once_image",
        43 => "view_once_video",
        _ => return None,
    })
}

/// One chat of the modern `chat` table.
#[derive(Clone, Default)]
struct ChatInfo {
    jid: Option<String>,
    subject: Option<String>,
    last_read: Option<i64>,
}

/// The direction-and-parties part shared by both message generations.
pub(super) struct Parties<'a> {
    pub chat: Option<&'a str>,
    pub from_me: Option<bool>,
    pub sender: Option<String>,
    pub members: &'a [String],
    pub receipts: &'a [String],
}

pub(super) fn fill_parties(m: &mut Message, p: Parties<'_>) {
    let kind = p.chat.map(jid_kind);
    m.direction = match p.from_me {
        Some(true) => Direction::Outgoing,
        Some(false) => Direction::Incoming,
        None => Direction::Unknown,
    };
    match kind {
        Some(JidKind::Group)
        | Some(JidKind::BroadcastList)
        | Some(JidKind::Status)
        | Some(JidKind::Other) => {
            m.thread_id = p.chat.map(str::to_string);
            if kind == Some(JidKind::BroadcastList) && p.from_me == Some(true) {
                m.flags.push("broadcast_list".into());
            }
            if kind == Some(JidKind::Status) {
                m.flags.push("status".into());
            }
            if p.from_me == Some(true) {
                let list: &[String] =
                    if kind == Some(JidKind::BroadcastList) && !p.receipts.is_empty() {
                        p.receipts
                    } else {
                        p.members
                    };
                m.recipients_raw = list.to_vec();
            } else {
                m.sender_raw = p.sender;
            }
        }
        Some(JidKind::User) | Some(JidKind::Lid) => {
            let peer = p.chat.map(str::to_string);
            m.thread_id = peer.clone();
            if p.from_me == Some(true) {
                m.recipients_raw = peer.into_iter().collect();
            } else {
                m.sender_raw = peer;
            }
        }
        None => {
            if p.from_me != Some(true) {
                m.sender_raw = p.sender;
            }
        }
    }
}

/// Parse `msgstore.db`.
pub fn parse_msgstore(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    let tables = img.tables();
    let modern = has(&tables, "message");
    let legacy = has(&tables, "messages");
    let calls = has(&tables, "call_log");
    if !modern && !legacy && !calls {
        return Err(ParseError::UnknownSchema(format!(
            "no WhatsApp message table (message or messages) and no call_log; {}",
            img.schema_summary()
        )));
    }
    let service = service_name(input.path);
    if (modern || calls) && !has(&tables, "jid") {
        out.warn(format!(
            "table jid missing: chats, senders and callers cannot be named ({})",
            img.schema_summary()
        ));
    }
    let mut jids = Jids::load(&img, &mut out);
    let mut keys: HashSet<(String, bool, String)> = HashSet::new();
    if modern {
        parse_modern(&img, &mut out, &mut jids, service, &mut keys)?;
    }
    if legacy {
        parse_legacy(&img, &mut out, service, &keys, modern)?;
    }
    if calls {
        parse_calls(&img, &mut out, &mut jids)?;
    }
    jids.finish(&mut out);
    if jids.mapped_lids > 0 {
        out.count("jid_map (LID references mapped)", jids.mapped_lids as u64);
    }
    Ok(out)
}

fn parse_modern(
    img: &DbImage,
    out: &mut ParseOutput,
    jids: &mut Jids,
    service: &'static str,
    keys: &mut HashSet<(String, bool, String)>,
) -> Result<(), ParseError> {
    // Chats.
    let mut chats: BTreeMap<i64, ChatInfo> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "chat",
        &["_id", "jid_row_id", "subject", "last_read_message_row_id"],
    ) {
        let (id, jr, subj, lr) = (
            t.col("_id"),
            t.col("jid_row_id"),
            t.col("subject"),
            t.col("last_read_message_row_id"),
        );
        for r in &t.rows {
            if let Some(cid) = r.i64(id).or(r.rowid) {
                let jid = jids.resolve(r.i64(jr));
                chats.insert(
                    cid,
                    ChatInfo {
                        jid,
                        subject: r.text_nonempty(subj),
                        last_read: r.i64(lr),
                    },
                );
            }
        }
    } else {
        out.warn("table chat missing: messages have no conversation JID");
    }
    // Group / list members by group JID row.
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "group_participant_user",
        &["group_jid_row_id", "user_jid_row_id"],
    ) {
        let (g, u) = (t.col("group_jid_row_id"), t.col("user_jid_row_id"));
        for r in &t.rows {
            let (Some(gj), Some(uj)) = (jids.resolve(r.i64(g)), jids.resolve(r.i64(u))) else {
                continue;
            };
            if matches!(jid_kind(&uj), JidKind::User | JidKind::Lid) {
                members.entry(gj).or_default().push(uj);
            }
        }
    }
    // Early modern databases still keep members in the legacy text table.
    if members.is_empty() {
        if let Some(t) = side(img, out, "group_participants", &["gjid", "jid"]) {
            let (g, j) = (t.col("gjid"), t.col("jid"));
            for r in &t.rows {
                if let (Some(g), Some(j)) = (r.text_nonempty(g), r.text_nonempty(j)) {
                    if matches!(jid_kind(&j), JidKind::User | JidKind::Lid) {
                        members.entry(base_jid(&g)).or_default().push(base_jid(&j));
                    }
                }
            }
        }
    }
    // Receipts per message (broadcast-list recipients).
    let mut receipts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "receipt_user",
        &["message_row_id", "receipt_user_jid_row_id"],
    ) {
        let (m, u) = (t.col("message_row_id"), t.col("receipt_user_jid_row_id"));
        for r in &t.rows {
            if let (Some(mid), Some(uj)) = (r.i64(m), jids.resolve(r.i64(u))) {
                let v = receipts.entry(mid).or_default();
                if !v.contains(&uj) {
                    v.push(uj);
                }
            }
        }
    }
    // Media, locations, system, revoked, edited.
    let mut media: BTreeMap<i64, Attachment> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "message_media",
        &[
            "message_row_id",
            "mime_type",
            "file_path",
            "media_name",
            "file_size",
            "file_length",
            "media_caption",
        ],
    ) {
        let c = |n: &str| t.col(n);
        let (mr, mime, path, name, fsize, flen, cap) = (
            c("message_row_id"),
            c("mime_type"),
            c("file_path"),
            c("media_name"),
            c("file_size"),
            c("file_length"),
            c("media_caption"),
        );
        for r in &t.rows {
            let Some(mid) = r.i64(mr) else { continue };
            let file_name = r
                .text_nonempty(name)
                .or_else(|| r.text_nonempty(path).map(|p| last_segment(&p)));
            media.insert(
                mid,
                Attachment {
                    kind: r.text_nonempty(mime),
                    file_name,
                    size: r.i64(flen).filter(|v| *v > 0).or(r.i64(fsize)),
                    caption: r.text_nonempty(cap),
                },
            );
        }
    }
    let ids = |out: &mut ParseOutput, table: &str| -> BTreeSet<i64> {
        side(img, out, table, &["message_row_id"])
            .map(|t| {
                let c = t.col("message_row_id");
                t.rows.iter().filter_map(|r| r.i64(c)).collect()
            })
            .unwrap_or_default()
    };
    let locations = ids(out, "message_location");
    let system = ids(out, "message_system");
    let revoked = ids(out, "message_revoked");
    let edited = ids(out, "message_edit_info");

    let t = img.select_warn(
        out,
        "message",
        &[
            "_id",
            "chat_row_id",
            "from_me",
            "key_id",
            "sender_jid_row_id",
            "status",
            "broadcast",
            "timestamp",
            "message_type",
            "text_data",
        ],
    )?;
    for essential in ["chat_row_id", "from_me", "timestamp"] {
        if !t.has(essential) {
            out.warn(format!(
                "table message lacks {essential}: unknown message layout ({})",
                img.schema_summary()
            ));
        }
    }
    let ctx = ModernCtx {
        chats: &chats,
        members: &members,
        receipts: &receipts,
        media: &media,
        locations: &locations,
        system: &system,
        revoked: &revoked,
        edited: &edited,
        service,
    };
    let mut unresolved = 0usize;
    for r in &t.rows {
        let Some(m) = modern_message(r, &t, jids, &ctx, &mut unresolved) else {
            continue;
        };
        if let (Some(chat), Some(k)) = (m.thread_id.clone(), r.text_nonempty(t.col("key_id"))) {
            keys.insert((chat, m.direction == Direction::Outgoing, k));
        }
        out.messages.push(m);
    }
    if unresolved > 0 {
        out.warn(format!(
            "{unresolved} message row(s) point to a chat that is not in the chat table; kept without a conversation JID"
        ));
    }
    Ok(())
}

struct ModernCtx<'a> {
    chats: &'a BTreeMap<i64, ChatInfo>,
    members: &'a BTreeMap<String, Vec<String>>,
    receipts: &'a BTreeMap<i64, Vec<String>>,
    media: &'a BTreeMap<i64, Attachment>,
    locations: &'a BTreeSet<i64>,
    system: &'a BTreeSet<i64>,
    revoked: &'a BTreeSet<i64>,
    edited: &'a BTreeSet<i64>,
    service: &'static str,
}

/// Map one row of the modern `message` table.
fn modern_message(
    r: &RowData,
    t: &TableRows,
    jids: &mut Jids,
    ctx: &ModernCtx<'_>,
    unresolved: &mut usize,
) -> Option<Message> {
    let id = r.i64(t.col("_id")).or(r.rowid);
    let chat_row = r.i64(t.col("chat_row_id"));
    let key_id = r.text(t.col("key_id"));
    let text = r.get(t.col("text_data"));
    let chat = chat_row.and_then(|c| ctx.chats.get(&c)).cloned();
    if chat.is_none()
        && (chat_row.unwrap_or(-1) <= 0 || key_id.as_deref() == Some("-1"))
        && text.is_null()
    {
        // The placeholder row WhatsApp keeps at the start of the table.
        return None;
    }
    if chat.is_none() {
        *unresolved += 1;
    }
    let chat = chat.unwrap_or_default();
    let mut m = Message::new(r.origin("message"), "whatsapp");
    m.service = Some(ctx.service.to_string());
    m.timestamp_ms = r.i64(t.col("timestamp")).filter(|v| *v > 0);
    m.body = text.as_text().filter(|s| !s.is_empty());
    m.body_raw_hex = text.bad_text_hex();
    let from_me = r.bool(t.col("from_me"));
    let empty: Vec<String> = Vec::new();
    let members = chat
        .jid
        .as_ref()
        .and_then(|j| ctx.members.get(j))
        .unwrap_or(&empty);
    let receipts = id.and_then(|i| ctx.receipts.get(&i)).unwrap_or(&empty);
    let sender = jids.resolve(r.i64(t.col("sender_jid_row_id")));
    fill_parties(
        &mut m,
        Parties {
            chat: chat.jid.as_deref(),
            from_me,
            sender,
            members,
            receipts,
        },
    );
    if matches!(
        chat.jid.as_deref().map(jid_kind),
        Some(JidKind::Group) | Some(JidKind::BroadcastList)
    ) {
        m.thread_name = chat.subject.clone();
    }
    if from_me == Some(false) {
        if let (Some(i), Some(lr)) = (id, chat.last_read) {
            m.read = Some(i <= lr);
        }
    }
    if r.bool(t.col("broadcast")) == Some(true) && !m.flags.iter().any(|f| f == "broadcast_list") {
        m.flags.push("broadcast_list".into());
    }
    let mtype = r.i64(t.col("message_type")).unwrap_or(0);
    let revoked = mtype == 15 || id.is_some_and(|i| ctx.revoked.contains(&i));
    if id.is_some_and(|i| ctx.system.contains(&i)) || mtype == 7 {
        m.flags.push("system".into());
    }
    if revoked {
        m.flags.push("deleted_for_everyone".into());
    }
    if id.is_some_and(|i| ctx.edited.contains(&i)) {
        m.flags.push("edited".into());
    }
    if !revoked {
        let att = id.and_then(|i| ctx.media.get(&i)).cloned();
        let kind = media_kind(mtype);
        let is_loc = id.is_some_and(|i| ctx.locations.contains(&i));
        if att.is_some() || kind.is_some() || is_loc {
            let mut a = att.unwrap_or_default();
            if a.kind.is_none() {
                a.kind = kind.or(is_loc.then_some("location")).map(str::to_string);
            }
            if a.caption.is_none() && kind.is_some() && mtype != 4 {
                a.caption = m.body.clone();
            }
            m.attachments.push(a);
        }
    }
    Some(m)
}

pub(super) fn last_segment(p: &str) -> String {
    p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
}

fn parse_legacy(
    img: &DbImage,
    out: &mut ParseOutput,
    service: &'static str,
    keys: &HashSet<(String, bool, String)>,
    transitional: bool,
) -> Result<(), ParseError> {
    let mut subjects: BTreeMap<String, String> = BTreeMap::new();
    let mut last_read: BTreeMap<String, i64> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "chat_list",
        &["key_remote_jid", "subject", "last_read_message_table_id"],
    ) {
        let (k, s, lr) = (
            t.col("key_remote_jid"),
            t.col("subject"),
            t.col("last_read_message_table_id"),
        );
        for r in &t.rows {
            if let Some(j) = r.text_nonempty(k) {
                if let Some(sub) = r.text_nonempty(s) {
                    subjects.insert(j.clone(), sub);
                }
                if let Some(v) = r.i64(lr) {
                    last_read.insert(j, v);
                }
            }
        }
    }
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(t) = side(img, out, "group_participants", &["gjid", "jid"]) {
        let (g, j) = (t.col("gjid"), t.col("jid"));
        for r in &t.rows {
            if let (Some(g), Some(j)) = (r.text_nonempty(g), r.text_nonempty(j)) {
                if matches!(jid_kind(&j), JidKind::User | JidKind::Lid) {
                    members.entry(g).or_default().push(base_jid(&j));
                }
            }
        }
    }
    let mut receipts: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    if let Some(t) = side(
        img,
        out,
        "receipts",
        &["key_remote_jid", "key_id", "remote_resource"],
    ) {
        let (k, id, rr) = (
            t.col("key_remote_jid"),
            t.col("key_id"),
            t.col("remote_resource"),
        );
        for r in &t.rows {
            if let (Some(k), Some(id), Some(rr)) =
                (r.text_nonempty(k), r.text_nonempty(id), r.text_nonempty(rr))
            {
                let v = receipts.entry((k, id)).or_default();
                let j = base_jid(&rr);
                if !v.contains(&j) {
                    v.push(j);
                }
            }
        }
    }
    let t = img.select_warn(
        out,
        "messages",
        &[
            "_id",
            "key_remote_jid",
            "key_from_me",
            "key_id",
            "status",
            "data",
            "timestamp",
            "media_mime_type",
            "media_wa_type",
            "media_size",
            "media_name",
            "media_caption",
            "remote_resource",
            "edit_version",
        ],
    )?;
    for essential in ["key_remote_jid", "key_from_me", "timestamp"] {
        if !t.has(essential) {
            out.warn(format!(
                "table messages lacks {essential}: unknown message layout ({})",
                img.schema_summary()
            ));
        }
    }
    let ctx = LegacyCtx {
        subjects: &subjects,
        last_read: &last_read,
        members: &members,
        receipts: &receipts,
        service,
    };
    let (mut dup, mut only_legacy) = (0usize, 0usize);
    for r in &t.rows {
        let Some(m) = legacy_message(r, &t, &ctx) else {
            continue;
        };
        if transitional {
            if let (Some(chat), Some(k)) = (m.thread_id.clone(), r.text_nonempty(t.col("key_id"))) {
                if keys.contains(&(chat, m.direction == Direction::Outgoing, k)) {
                    dup += 1;
                    continue;
                }
            }
            only_legacy += 1;
        }
        out.messages.push(m);
    }
    if transitional {
        out.warn(format!(
            "transitional msgstore.db: both message (authoritative) and legacy messages tables present; {dup} legacy row(s) already in message were skipped, {only_legacy} found only in messages were parsed from it"
        ));
    }
    Ok(())
}

struct LegacyCtx<'a> {
    subjects: &'a BTreeMap<String, String>,
    last_read: &'a BTreeMap<String, i64>,
    members: &'a BTreeMap<String, Vec<String>>,
    receipts: &'a BTreeMap<(String, String), Vec<String>>,
    service: &'static str,
}

/// Map one row of the legacy `messages` table.
fn legacy_message(r: &RowData, t: &TableRows, ctx: &LegacyCtx<'_>) -> Option<Message> {
    let chat = r
        .text_nonempty(t.col("key_remote_jid"))
        .map(|j| base_jid(&j));
    if chat.as_deref() == Some("-1") {
        return None; // the placeholder row at the start of the table
    }
    let id = r.i64(t.col("_id")).or(r.rowid);
    let mut m = Message::new(r.origin("messages"), "whatsapp");
    m.service = Some(ctx.service.to_string());
    m.timestamp_ms = r.i64(t.col("timestamp")).filter(|v| *v > 0);
    let data = r.get(t.col("data"));
    m.body = data.as_text().filter(|s| !s.is_empty());
    m.body_raw_hex = data.bad_text_hex();
    let from_me = r.bool(t.col("key_from_me"));
    let empty: Vec<String> = Vec::new();
    let key_id = r.text_nonempty(t.col("key_id"));
    let members = chat
        .as_ref()
        .and_then(|c| ctx.members.get(c))
        .unwrap_or(&empty);
    let receipts = match (&chat, &key_id) {
        (Some(c), Some(k)) => ctx.receipts.get(&(c.clone(), k.clone())).unwrap_or(&empty),
        _ => &empty,
    };
    let sender = r
        .text_nonempty(t.col("remote_resource"))
        .map(|s| base_jid(&s));
    fill_parties(
        &mut m,
        Parties {
            chat: chat.as_deref(),
            from_me,
            sender,
            members,
            receipts,
        },
    );
    if matches!(
        chat.as_deref().map(jid_kind),
        Some(JidKind::Group) | Some(JidKind::BroadcastList)
    ) {
        m.thread_name = chat.as_ref().and_then(|c| ctx.subjects.get(c)).cloned();
    }
    if from_me == Some(false) {
        if let (Some(i), Some(lr)) = (id, chat.as_ref().and_then(|c| ctx.last_read.get(c))) {
            m.read = Some(i <= *lr);
        }
    }
    let wa_type = r.i64(t.col("media_wa_type")).unwrap_or(0);
    let status = r.i64(t.col("status"));
    let revoked = wa_type == 15 || r.i64(t.col("edit_version")) == Some(7);
    if status == Some(6) || wa_type == 7 {
        m.flags.push("system".into());
    }
    if revoked {
        m.flags.push("deleted_for_everyone".into());
    } else if let Some(kind) = media_kind(wa_type) {
        let caption = r.text_nonempty(t.col("media_caption"));
        if m.body.is_none() && wa_type != 4 && wa_type != 5 {
            m.body = caption.clone();
        }
        m.attachments.push(Attachment {
            kind: Some(
                r.text_nonempty(t.col("media_mime_type"))
                    .unwrap_or_else(|| kind.to_string()),
            ),
            file_name: r.text_nonempty(t.col("media_name")),
            size: r.i64(t.col("media_size")).filter(|v| *v > 0),
            caption,
        });
    }
    Some(m)
}

/// WhatsApp `call_result`: 5 connected, 4 missed, 3 unavailable, 2 rejected (declined).
fn call_direction(from_me: Option<bool>, result: Option<i64>) -> Direction {
    match (from_me, result) {
        (Some(true), _) => Direction::Outgoing,
        (Some(false), Some(5)) => Direction::Incoming,
        (Some(false), Some(2)) => Direction::Rejected,
        (Some(false), Some(_)) => Direction::Missed,
        (Some(false), None) => Direction::Incoming,
        (None, _) => Direction::Unknown,
    }
}

fn parse_calls(img: &DbImage, out: &mut ParseOutput, jids: &mut Jids) -> Result<(), ParseError> {
    let mut parts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for table in ["call_log_participant_v2", "call_log_participant"] {
        if let Some(t) = side(img, out, table, &["call_log_row_id", "jid_row_id"]) {
            let (c, j) = (t.col("call_log_row_id"), t.col("jid_row_id"));
            for r in &t.rows {
                if let (Some(c), Some(j)) = (r.i64(c), jids.resolve(r.i64(j))) {
                    let v = parts.entry(c).or_default();
                    if !v.contains(&j) {
                        v.push(j);
                    }
                }
            }
            break;
        }
    }
    let t = img.select_warn(
        out,
        "call_log",
        &[
            "_id",
            "jid_row_id",
            "from_me",
            "timestamp",
            "video_call",
            "duration",
            "call_result",
            "group_jid_row_id",
        ],
    )?;
    for r in &t.rows {
        out.calls.push(android_call(r, &t, jids, &parts));
    }
    Ok(())
}

/// Map one row of `call_log` (participants from `call_log_participant_v2`, by call row).
fn android_call(
    r: &RowData,
    t: &TableRows,
    jids: &mut Jids,
    parts: &BTreeMap<i64, Vec<String>>,
) -> Call {
    let id = r.i64(t.col("_id")).or(r.rowid);
    let mut c = Call::new(r.origin("call_log"), "whatsapp");
    c.number_raw = jids.resolve(r.i64(t.col("jid_row_id")));
    let result = r.i64(t.col("call_result"));
    c.direction = call_direction(r.bool(t.col("from_me")), result);
    c.timestamp_ms = r.i64(t.col("timestamp")).filter(|v| *v > 0);
    c.duration_s = r.i64(t.col("duration"));
    c.video = r.bool(t.col("video_call")).unwrap_or(false);
    let group = r
        .i64(t.col("group_jid_row_id"))
        .filter(|g| *g > 0)
        .and_then(|g| jids.resolve(Some(g)));
    // A group call's group JID is a conversation, not a number: it goes into type_raw.
    c.type_raw = match (result, group) {
        (Some(v), Some(g)) => Some(format!("call_result {v}; group {g}")),
        (Some(v), None) => Some(format!("call_result {v}")),
        (None, Some(g)) => Some(format!("group {g}")),
        (None, None) => None,
    };
    if let Some(p) = id.and_then(|i| parts.get(&i)) {
        for j in p {
            if Some(j) != c.number_raw.as_ref() && !c.participants_raw.contains(j) {
                c.participants_raw.push(j.clone());
            }
        }
    }
    c
}

/// Parse `wa.db`: one contact per `wa_contacts` row of a person (groups and broadcast lists,
/// which WhatsApp also keeps there, are skipped and counted).
pub fn parse_wa(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    if !img.has_table("wa_contacts") {
        return Err(ParseError::UnknownSchema(format!(
            "no wa_contacts table; {}",
            img.schema_summary()
        )));
    }
    let t = img.select_warn(
        &mut out,
        "wa_contacts",
        &[
            "jid",
            "number",
            "display_name",
            "wa_name",
            "raw_contact_id",
            "phone_label",
            "is_whatsapp_user",
        ],
    )?;
    let mut skipped = 0usize;
    for r in &t.rows {
        match wa_contact(r, &t) {
            Some(c) => out.contacts.push(c),
            None => skipped += 1,
        }
    }
    if skipped > 0 {
        out.count("wa_contacts (groups/lists skipped)", skipped as u64);
    }
    Ok(out)
}

fn wa_contact(r: &RowData, t: &TableRows) -> Option<Contact> {
    let jid = r.text_nonempty(t.col("jid"));
    if let Some(j) = &jid {
        if !matches!(jid_kind(j), JidKind::User | JidKind::Lid) {
            return None;
        }
    }
    let (number_raw, value_kind) = match jid {
        Some(j) => (Some(base_jid(&j)), "jid"),
        None => (r.text_nonempty(t.col("number")), "phone"),
    };
    number_raw.as_ref()?;
    Some(Contact {
        origin: r.origin("wa_contacts"),
        app: "whatsapp",
        display_name: r
            .text_nonempty(t.col("display_name"))
            .or_else(|| r.text_nonempty(t.col("wa_name"))),
        number_raw,
        value_kind,
        label: r.text_nonempty(t.col("phone_label")),
        account: None,
        contact_key: r.text_nonempty(t.col("raw_contact_id")),
    })
}

/// Parse a shared-preferences XML for the account's own number: `registration_jid`,
/// `cc` + `ph`, or the old `com.whatsapp.RegisterPhone.country_code` + `phone_number`.
pub fn parse_prefs(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let mut out = ParseOutput::default();
    let text = String::from_utf8_lossy(input.main);
    if !text.contains("<map") {
        return Err(ParseError::Other(
            "not an Android shared-preferences XML (no <map> element)".into(),
        ));
    }
    let file = last_segment(input.path);
    let re = regex::Regex::new(r#"<string\s+name="([^"]*)"\s*>([^<]*)</string>"#)
        .map_err(|e| ParseError::Other(e.to_string()))?;
    let mut vals: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for c in re.captures_iter(&text) {
        let (Some(all), Some(k), Some(v)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        vals.insert(
            xml_unescape(k.as_str()),
            (
                xml_unescape(v.as_str()).trim().to_string(),
                all.start() as u64,
            ),
        );
    }
    out.count(&file, vals.len() as u64);
    let origin = |off: u64| Origin {
        table: file.clone(),
        rowid: None,
        offset: Some(off),
        state: RecordState::Live,
        detail: None,
    };
    for key in ["registration_jid", "self_jid", "my_jid"] {
        if let Some((v, off)) = vals.get(key) {
            let digits = v.split('@').next().unwrap_or(v);
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                out.owners.push(OwnerNumber {
                    origin: origin(*off),
                    number_raw: format!("{digits}@s.whatsapp.net"),
                    how: format!("WhatsApp shared_prefs {key} = {v}"),
                });
            }
        }
    }
    for (cc_key, ph_key) in [
        ("cc", "ph"),
        (
            "com.whatsapp.RegisterPhone.country_code",
            "com.whatsapp.RegisterPhone.phone_number",
        ),
    ] {
        if let (Some((cc, off)), Some((ph, _))) = (vals.get(cc_key), vals.get(ph_key)) {
            let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            if ok(cc) && ok(ph) {
                out.owners.push(OwnerNumber {
                    origin: origin(*off),
                    number_raw: format!("+{cc}{ph}"),
                    how: format!("WhatsApp shared_prefs {cc_key} + {ph_key}"),
                });
            }
        }
    }
    if out.owners.is_empty() {
        out.warn(format!(
            "{file}: no own-number entry (registration_jid, cc + ph) found"
        ));
    }
    Ok(out)
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Parse `files/me`, the serialized `com.whatsapp.Me` object of the registered account:
/// `jabber_id` (the account JID's user part) and `cc` + `number`. A file that is not a flat
/// serialized object is searched for a phone-number JID, with a warning.
pub fn parse_me(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let mut out = ParseOutput::default();
    let file = last_segment(input.path);
    let origin = |off: u64| Origin {
        table: file.clone(),
        rowid: None,
        offset: Some(off),
        state: RecordState::Live,
        detail: None,
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match super::javaser::read_object(input.main) {
        Ok((class, fields)) => {
            out.count(&format!("{file} ({class})"), fields.len() as u64);
            let get = |k: &str| fields.iter().find(|(n, _, _)| n == k).cloned();
            if let Some((_, v, off)) = get("jabber_id") {
                let user = v.split('@').next().unwrap_or(&v).to_string();
                if digits(&user) {
                    out.owners.push(OwnerNumber {
                        origin: origin(off),
                        number_raw: format!("{user}@s.whatsapp.net"),
                        how: format!("WhatsApp files/me jabber_id = {v}"),
                    });
                }
            }
            if let (Some((_, cc, off)), Some((_, num, _))) = (get("cc"), get("number")) {
                if digits(&cc) && digits(&num) {
                    out.owners.push(OwnerNumber {
                        origin: origin(off),
                        number_raw: format!("+{cc}{num}"),
                        how: "WhatsApp files/me cc + number".into(),
                    });
                }
            }
        }
        Err(e) => {
            let re = regex::bytes::Regex::new(r"(\d{7,15})@s\.whatsapp\.net")
                .map_err(|e| ParseError::Other(e.to_string()))?;
            let Some(m) = re.captures(input.main).and_then(|c| c.get(1)) else {
                return Err(ParseError::Other(format!(
                    "{file}: not a serialized account object ({e}) and no phone-number JID in it"
                )));
            };
            out.warn(format!(
                "{file}: not read as a serialized object ({e}); account JID found by pattern at byte {}",
                m.start()
            ));
            out.owners.push(OwnerNumber {
                origin: origin(m.start() as u64),
                number_raw: format!("{}@s.whatsapp.net", String::from_utf8_lossy(m.as_bytes())),
                how: "WhatsApp files/me (JID pattern)".into(),
            });
        }
    }
    if out.owners.is_empty() {
        out.warn(format!(
            "{file}: no account number (jabber_id, cc + number) found"
        ));
    }
    Ok(out)
}
