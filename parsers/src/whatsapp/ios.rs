//! WhatsApp on iOS: `ChatStorage.sqlite`, `ContactsV2.sqlite`, `CallHistory.sqlite` (Core Data
//! stores in the app group container; dates are Cocoa seconds).
//!
//! ChatStorage: `ZWAMESSAGE` rows belong to a `ZWACHATSESSION` (`ZCONTACTJID` is the peer, group
//! or list JID); the sender of an incoming group message is `ZGROUPMEMBER` -> `ZWAGROUPMEMBER`
//! (`ZMEMBERJID`), else `ZFROMJID`. Media are `ZMEDIAITEM` -> `ZWAMEDIAITEM` (`ZVCARDSTRING`
//! holds the MIME type of a media item, `ZTITLE` its caption, `ZMEDIALOCALPATH` the file,
//! `ZFILESIZE` the size). A broadcast-list send is one parent row in the list's session plus one
//! child row (`ZPARENTMESSAGE`) per recipient in the recipient's own chat: the parent is reported
//! once, flagged `broadcast_list`, with the children's JIDs as recipients; the child copies are
//! not reported again (counted). `ZMESSAGETYPE` 14 is a message deleted for everyone; 6 (group
//! events), 10 (security and call notices) and 12 are system messages, kept with the flag `system`. Known gap: iOS records of edits are not read.
use std::collections::BTreeMap;

use super::android::{fill_parties, last_segment, open, side, Parties};
use super::plist::{top_dict, PValue};
use super::{base_jid, jid_kind, service_name, JidKind};
use crate::model::{
    cocoa_to_unix_ms, Attachment, Call, Contact, Direction, Message, Origin, OwnerNumber,
    RecordState,
};
use crate::registry::DbInput;
use crate::sqlite::{RowData, TableRows};
use crate::{ParseError, ParseOutput};

fn ios_kind(t: i64) -> Option<&'static str> {
    Some(match t {
        1 => "image",
        2 => "video",
        3 => "audio",
        4 => "contact",
        5 => "location",
        8 => "document",
        11 => "gif",
        15 => "sticker",
        _ => return None,
    })
}

struct Session {
    jid: Option<String>,
    name: Option<String>,
}

/// Parse `ChatStorage.sqlite`.
pub fn parse_chatstorage(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    if !img.has_table("ZWAMESSAGE") {
        return Err(ParseError::UnknownSchema(format!(
            "no ZWAMESSAGE table; {}",
            img.schema_summary()
        )));
    }
    let service = service_name(input.path);
    let mut sessions: BTreeMap<i64, Session> = BTreeMap::new();
    let mut lids: Vec<String> = Vec::new();
    if let Some(t) = side(
        &img,
        &mut out,
        "ZWACHATSESSION",
        &["Z_PK", "ZCONTACTJID", "ZPARTNERNAME"],
    ) {
        for r in &t.rows {
            if let Some(pk) = r.i64(t.col("Z_PK")).or(r.rowid) {
                let jid = r.text_nonempty(t.col("ZCONTACTJID")).map(|j| base_jid(&j));
                if let Some(j) = &jid {
                    if jid_kind(j) == JidKind::Lid {
                        lids.push(j.clone());
                    }
                }
                sessions.insert(
                    pk,
                    Session {
                        jid,
                        name: r.text_nonempty(t.col("ZPARTNERNAME")),
                    },
                );
            }
        }
    } else {
        out.warn("table ZWACHATSESSION missing: messages have no conversation JID");
    }
    let mut member_jid: BTreeMap<i64, String> = BTreeMap::new();
    let mut members: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    if let Some(t) = side(
        &img,
        &mut out,
        "ZWAGROUPMEMBER",
        &["Z_PK", "ZCHATSESSION", "ZMEMBERJID", "ZISACTIVE"],
    ) {
        for r in &t.rows {
            let Some(j) = r.text_nonempty(t.col("ZMEMBERJID")).map(|j| base_jid(&j)) else {
                continue;
            };
            if let Some(pk) = r.i64(t.col("Z_PK")).or(r.rowid) {
                member_jid.insert(pk, j.clone());
            }
            if jid_kind(&j) == JidKind::Lid {
                lids.push(j.clone());
            }
            if r.bool(t.col("ZISACTIVE")) != Some(false) {
                if let Some(s) = r.i64(t.col("ZCHATSESSION")) {
                    members.entry(s).or_default().push(j);
                }
            }
        }
    }
    let mut media: BTreeMap<i64, Attachment> = BTreeMap::new();
    let mut media_by_msg: BTreeMap<i64, Attachment> = BTreeMap::new();
    if let Some(t) = side(
        &img,
        &mut out,
        "ZWAMEDIAITEM",
        &[
            "Z_PK",
            "ZMESSAGE",
            "ZFILESIZE",
            "ZMEDIALOCALPATH",
            "ZTITLE",
            "ZVCARDSTRING",
            "ZVCARDNAME",
        ],
    ) {
        for r in &t.rows {
            let Some(pk) = r.i64(t.col("Z_PK")).or(r.rowid) else {
                continue;
            };
            let mime = r
                .text_nonempty(t.col("ZVCARDSTRING"))
                .filter(|s| s.contains('/') && !s.contains('\n') && s.len() < 100);
            let a = Attachment {
                kind: mime,
                file_name: r
                    .text_nonempty(t.col("ZMEDIALOCALPATH"))
                    .map(|p| last_segment(&p)),
                size: r.i64(t.col("ZFILESIZE")).filter(|v| *v > 0),
                caption: r.text_nonempty(t.col("ZTITLE")),
            };
            if let Some(m) = r.i64(t.col("ZMESSAGE")) {
                media_by_msg.insert(m, a.clone());
            }
            media.insert(pk, a);
        }
    }
    let t = img.select_warn(
        &mut out,
        "ZWAMESSAGE",
        &[
            "Z_PK",
            "ZCHATSESSION",
            "ZISFROMME",
            "ZMESSAGEDATE",
            "ZFROMJID",
            "ZTOJID",
            "ZTEXT",
            "ZMESSAGETYPE",
            "ZGROUPMEMBER",
            "ZMEDIAITEM",
            "ZPARENTMESSAGE",
        ],
    )?;
    for essential in ["ZCHATSESSION", "ZISFROMME", "ZMESSAGEDATE"] {
        if !t.has(essential) {
            out.warn(format!(
                "table ZWAMESSAGE lacks {essential}: unknown message layout ({})",
                img.schema_summary()
            ));
        }
    }
    // Broadcast children: parent Z_PK -> recipients.
    let pks: std::collections::BTreeSet<i64> = t
        .rows
        .iter()
        .filter_map(|r| r.i64(t.col("Z_PK")).or(r.rowid))
        .collect();
    let mut children: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in &t.rows {
        if let Some(p) = r.i64(t.col("ZPARENTMESSAGE")).filter(|p| pks.contains(p)) {
            let j = r
                .text_nonempty(t.col("ZTOJID"))
                .map(|j| base_jid(&j))
                .or_else(|| {
                    r.i64(t.col("ZCHATSESSION"))
                        .and_then(|s| sessions.get(&s))
                        .and_then(|s| s.jid.clone())
                });
            if let Some(j) = j {
                let v = children.entry(p).or_default();
                if !v.contains(&j) {
                    v.push(j);
                }
            }
        }
    }
    let ctx = IosCtx {
        sessions: &sessions,
        member_jid: &member_jid,
        members: &members,
        media: &media,
        media_by_msg: &media_by_msg,
        children: &children,
        service,
    };
    let mut copies = 0u64;
    for r in &t.rows {
        if r.i64(t.col("ZPARENTMESSAGE"))
            .is_some_and(|p| pks.contains(&p))
        {
            copies += 1;
            continue;
        }
        out.messages.push(ios_message(r, &t, &ctx));
    }
    if copies > 0 {
        out.count(
            "ZWAMESSAGE (broadcast copies folded into their parent)",
            copies,
        );
    }
    if !lids.is_empty() {
        lids.sort();
        lids.dedup();
        out.warn(format!(
            "{} LID JID(s) in ChatStorage are kept as LIDs (not numbers); their phone numbers are in the container's LID.sqlite: {}",
            lids.len(),
            lids.join(", ")
        ));
    }
    Ok(out)
}

struct IosCtx<'a> {
    sessions: &'a BTreeMap<i64, Session>,
    member_jid: &'a BTreeMap<i64, String>,
    members: &'a BTreeMap<i64, Vec<String>>,
    media: &'a BTreeMap<i64, Attachment>,
    media_by_msg: &'a BTreeMap<i64, Attachment>,
    children: &'a BTreeMap<i64, Vec<String>>,
    service: &'static str,
}

fn ios_message(r: &RowData, t: &TableRows, ctx: &IosCtx<'_>) -> Message {
    let pk = r.i64(t.col("Z_PK")).or(r.rowid);
    let sess_pk = r.i64(t.col("ZCHATSESSION"));
    let sess = sess_pk.and_then(|s| ctx.sessions.get(&s));
    let from_me = r.bool(t.col("ZISFROMME"));
    let from = r.text_nonempty(t.col("ZFROMJID")).map(|j| base_jid(&j));
    let to = r.text_nonempty(t.col("ZTOJID")).map(|j| base_jid(&j));
    let chat = sess
        .and_then(|s| s.jid.clone())
        .or(if from_me == Some(true) {
            to
        } else {
            from.clone()
        });
    let mut m = Message::new(r.origin("ZWAMESSAGE"), "whatsapp");
    m.service = Some(ctx.service.to_string());
    m.timestamp_ms = r.f64(t.col("ZMESSAGEDATE")).and_then(cocoa_to_unix_ms);
    let text = r.get(t.col("ZTEXT"));
    m.body = text.as_text().filter(|s| !s.is_empty());
    m.body_raw_hex = text.bad_text_hex();
    let empty: Vec<String> = Vec::new();
    let members = sess_pk.and_then(|s| ctx.members.get(&s)).unwrap_or(&empty);
    let receipts = pk.and_then(|p| ctx.children.get(&p)).unwrap_or(&empty);
    let sender = r
        .i64(t.col("ZGROUPMEMBER"))
        .and_then(|g| ctx.member_jid.get(&g).cloned())
        .or_else(|| from.filter(|f| matches!(jid_kind(f), JidKind::User | JidKind::Lid)));
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
        m.thread_name = sess.and_then(|s| s.name.clone());
    }
    let mtype = r.i64(t.col("ZMESSAGETYPE")).unwrap_or(0);
    // 6 group events, 10 security / call notices, 12 other system notices.
    let system = matches!(mtype, 6 | 10 | 12);
    if system {
        m.flags.push("system".into());
    }
    if mtype == 14 {
        m.flags.push("deleted_for_everyone".into());
        return m;
    }
    let att = r
        .i64(t.col("ZMEDIAITEM"))
        .and_then(|p| ctx.media.get(&p))
        .or_else(|| pk.and_then(|p| ctx.media_by_msg.get(&p)))
        .cloned();
    let kind = ios_kind(mtype);
    // A type-0 row without text but with a media item is a media message (older versions).
    let untyped_media =
        mtype == 0 && m.body.is_none() && att.as_ref().is_some_and(|a| a.kind.is_some());
    if kind.is_some() || untyped_media || (att.is_some() && !system && mtype != 0 && mtype != 7) {
        let mut a = att.unwrap_or_default();
        if a.kind.is_none() {
            a.kind = kind.map(str::to_string);
        }
        if m.body.is_none() && mtype != 4 && mtype != 5 {
            m.body = a.caption.clone();
        }
        m.attachments.push(a);
    }
    m
}

/// Parse `ContactsV2.sqlite`: one contact per `ZWAADDRESSBOOKCONTACT` row, by its WhatsApp JID
/// when it has one, else by its phone number.
pub fn parse_contacts(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    if !img.has_table("ZWAADDRESSBOOKCONTACT") {
        return Err(ParseError::UnknownSchema(format!(
            "no ZWAADDRESSBOOKCONTACT table; {}",
            img.schema_summary()
        )));
    }
    let t = img.select_warn(
        &mut out,
        "ZWAADDRESSBOOKCONTACT",
        &[
            "ZFULLNAME",
            "ZGIVENNAME",
            "ZPHONENUMBER",
            "ZPHONENUMBERLABEL",
            "ZWHATSAPPID",
            "ZIDENTIFIER",
        ],
    )?;
    for r in &t.rows {
        if let Some(c) = ios_contact(r, &t) {
            out.contacts.push(c);
        }
    }
    Ok(out)
}

fn ios_contact(r: &RowData, t: &TableRows) -> Option<Contact> {
    let jid = r.text_nonempty(t.col("ZWHATSAPPID")).map(|j| {
        if j.contains('@') {
            base_jid(&j)
        } else {
            format!("{j}@s.whatsapp.net")
        }
    });
    let (number_raw, value_kind) = match jid {
        Some(j) => (Some(j), "jid"),
        None => (r.text_nonempty(t.col("ZPHONENUMBER")), "phone"),
    };
    number_raw.as_ref()?;
    Some(Contact {
        origin: r.origin("ZWAADDRESSBOOKCONTACT"),
        app: "whatsapp",
        display_name: r
            .text_nonempty(t.col("ZFULLNAME"))
            .or_else(|| r.text_nonempty(t.col("ZGIVENNAME"))),
        number_raw,
        value_kind,
        label: r
            .text_nonempty(t.col("ZPHONENUMBERLABEL"))
            .map(|l| clean_label(&l)),
        account: None,
        contact_key: r.text_nonempty(t.col("ZIDENTIFIER")),
    })
}

fn clean_label(l: &str) -> String {
    l.strip_prefix("_$!<")
        .and_then(|s| s.strip_suffix(">!$_"))
        .unwrap_or(l)
        .to_string()
}

/// Parse `CallHistory.sqlite`: one call per `ZWACDCALLEVENT`, the other party from
/// `ZWACDCALLEVENTPARTICIPANT`, direction and video from `ZWAAGGREGATECALLEVENT` (`ZINCOMING`,
/// `ZVIDEO`) when present. `ZOUTCOME`: 0 ended, 1 missed, 4 rejected.
pub fn parse_callhistory(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    if !img.has_table("ZWACDCALLEVENT") {
        return Err(ParseError::UnknownSchema(format!(
            "no ZWACDCALLEVENT table; {}",
            img.schema_summary()
        )));
    }
    let mut agg: BTreeMap<i64, (Option<bool>, Option<bool>)> = BTreeMap::new();
    if let Some(t) = side(
        &img,
        &mut out,
        "ZWAAGGREGATECALLEVENT",
        &["Z_PK", "ZINCOMING", "ZVIDEO"],
    ) {
        for r in &t.rows {
            if let Some(pk) = r.i64(t.col("Z_PK")).or(r.rowid) {
                agg.insert(pk, (r.bool(t.col("ZINCOMING")), r.bool(t.col("ZVIDEO"))));
            }
        }
    }
    let mut parts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    if let Some(t) = side(
        &img,
        &mut out,
        "ZWACDCALLEVENTPARTICIPANT",
        &["Z1PARTICIPANTS", "ZJIDSTRING"],
    ) {
        for r in &t.rows {
            if let (Some(e), Some(j)) = (
                r.i64(t.col("Z1PARTICIPANTS")),
                r.text_nonempty(t.col("ZJIDSTRING")),
            ) {
                parts.entry(e).or_default().push(base_jid(&j));
            }
        }
    } else {
        out.warn("table ZWACDCALLEVENTPARTICIPANT missing: calls have no other party");
    }
    let t = img.select_warn(
        &mut out,
        "ZWACDCALLEVENT",
        &[
            "Z_PK",
            "Z1CALLEVENTS",
            "ZOUTCOME",
            "ZDATE",
            "ZDURATION",
            "ZGROUPCALLCREATORUSERJIDSTRING",
            "ZGROUPJIDSTRING",
        ],
    )?;
    for r in &t.rows {
        out.calls.push(ios_call(r, &t, &agg, &parts));
    }
    let mut lids: Vec<String> = out
        .calls
        .iter()
        .flat_map(|c| c.number_raw.iter().chain(c.participants_raw.iter()))
        .filter(|j| jid_kind(j) == JidKind::Lid)
        .cloned()
        .collect();
    lids.sort();
    lids.dedup();
    if !lids.is_empty() {
        out.warn(format!(
            "{} LID JID(s) in CallHistory are kept as LIDs (not numbers); their phone numbers are in the container's LID.sqlite: {}",
            lids.len(),
            lids.join(", ")
        ));
    }
    Ok(out)
}

/// Map one `ZWACDCALLEVENT` row (aggregate: `Z_PK` -> (incoming, video); participants by event).
fn ios_call(
    r: &RowData,
    t: &TableRows,
    agg: &BTreeMap<i64, (Option<bool>, Option<bool>)>,
    parts: &BTreeMap<i64, Vec<String>>,
) -> Call {
    let pk = r.i64(t.col("Z_PK")).or(r.rowid);
    let mut c = Call::new(r.origin("ZWACDCALLEVENT"), "whatsapp");
    c.timestamp_ms = r.f64(t.col("ZDATE")).and_then(cocoa_to_unix_ms);
    c.duration_s = r.f64(t.col("ZDURATION")).map(|d| d.round() as i64);
    let (incoming, video) = r
        .i64(t.col("Z1CALLEVENTS"))
        .and_then(|a| agg.get(&a).copied())
        .unwrap_or((None, None));
    c.video = video.unwrap_or(false);
    let p = pk.and_then(|p| parts.get(&p)).cloned().unwrap_or_default();
    let creator = r
        .text_nonempty(t.col("ZGROUPCALLCREATORUSERJIDSTRING"))
        .map(|j| base_jid(&j));
    let incoming = incoming.or_else(|| {
        creator
            .as_ref()
            .map(|cr| p.first().is_some_and(|f| f == cr))
    });
    let outcome = r.i64(t.col("ZOUTCOME"));
    c.type_raw = outcome.map(|o| format!("ZOUTCOME {o}"));
    if let Some(g) = r.text_nonempty(t.col("ZGROUPJIDSTRING")) {
        c.type_raw = Some(format!(
            "{}group {g}",
            c.type_raw.map(|s| format!("{s}; ")).unwrap_or_default()
        ));
    }
    c.direction = match (incoming, outcome) {
        (Some(false), _) => Direction::Outgoing,
        (Some(true), Some(1)) => Direction::Missed,
        (Some(true), Some(4)) => Direction::Rejected,
        (Some(true), _) => Direction::Incoming,
        (None, _) => Direction::Unknown,
    };
    let mut it = p.into_iter();
    c.number_raw = it.next();
    c.participants_raw = it.collect();
    c
}

/// Parse the app's preferences plist (`group.net.whatsapp.WhatsApp.shared.plist`, older
/// `net.whatsapp.WhatsApp.plist`) for the account's own JID: `OwnJabberID`, else
/// `LastOwnJabberID` (the account last registered). `OwnPhoneNumber` is used only when it is a
/// plain number (recent versions obfuscate it).
pub fn parse_prefs(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let mut out = ParseOutput::default();
    let entries = top_dict(input.main).map_err(ParseError::Other)?;
    let file = last_segment(input.path);
    out.count(&file, entries.len() as u64);
    let get = |k: &str| {
        entries.iter().find_map(|(key, v, off)| match v {
            PValue::Str(s) if key == k && !s.trim().is_empty() => {
                Some((s.trim().to_string(), *off))
            }
            _ => None,
        })
    };
    let origin = |off: u64| Origin {
        table: file.clone(),
        rowid: None,
        offset: Some(off),
        state: RecordState::Live,
        detail: None,
    };
    let own = get("OwnJabberID").map(|v| ("OwnJabberID", v));
    let last = get("LastOwnJabberID").map(|v| ("LastOwnJabberID", v));
    for (key, (v, off)) in own.into_iter().chain(last) {
        let user = v.split('@').next().unwrap_or(&v);
        if user.is_empty() || !user.chars().all(|c| c.is_ascii_digit()) {
            out.warn(format!("{file}: {key} {v:?} is not a phone-number JID"));
            continue;
        }
        let jid = format!("{user}@s.whatsapp.net");
        if out.owners.iter().any(|o| o.number_raw == jid) {
            continue;
        }
        out.owners.push(OwnerNumber {
            origin: origin(off),
            number_raw: jid,
            how: format!("WhatsApp preferences {key} = {v}"),
        });
    }
    if let Some((v, off)) = get("OwnPhoneNumber") {
        let digits = v.trim_start_matches('+');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            out.owners.push(OwnerNumber {
                origin: origin(off),
                number_raw: v.clone(),
                how: "WhatsApp preferences OwnPhoneNumber".into(),
            });
        }
    }
    if out.owners.is_empty() {
        out.warn(format!(
            "{file}: no own-number entry (OwnJabberID, LastOwnJabberID) found"
        ));
    }
    Ok(out)
}

/// Parse `LID.sqlite`: the LID -> phone-number pairs the app knows (`ZWAZACCOUNT`:
/// `ZIDENTIFIER` LID, `ZPHONENUMBER`; older `ZWAPHONENUMBERLIDPAIR`: `ZLID`, `ZPHONENUMBER`).
/// Each pair is a contact: `number_raw` the phone-number JID, `contact_key` the LID JID, label
/// `LID`. [`lid_map`] and [`resolve_lids`] use them to show numbers for the LIDs of
/// ChatStorage and CallHistory of the same container.
pub fn parse_lid(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    let (table, lid_col, name_col) = if img.has_table("ZWAZACCOUNT") {
        ("ZWAZACCOUNT", "ZIDENTIFIER", "ZDISPLAYNAME")
    } else if img.has_table("ZWAPHONENUMBERLIDPAIR") {
        ("ZWAPHONENUMBERLIDPAIR", "ZLID", "ZDISPLAYNAME")
    } else {
        return Err(ParseError::UnknownSchema(format!(
            "no ZWAZACCOUNT or ZWAPHONENUMBERLIDPAIR table; {}",
            img.schema_summary()
        )));
    };
    let t = img.select(table, &[lid_col, "ZPHONENUMBER", name_col])?;
    out.count(table, t.rows.len() as u64);
    for m in &t.missing {
        if m != name_col {
            out.warn(format!(
                "table {table}: column {m} missing, treated as NULL"
            ));
        }
    }
    for r in &t.rows {
        if let Some(c) = lid_contact(r, &t, table, lid_col, name_col) {
            out.contacts.push(c);
        }
    }
    Ok(out)
}

fn lid_contact(
    r: &RowData,
    t: &TableRows,
    table: &str,
    lid_col: &str,
    name_col: &str,
) -> Option<Contact> {
    let lid = r.text_nonempty(t.col(lid_col))?;
    let lid = if lid.contains('@') {
        base_jid(&lid)
    } else {
        format!("{lid}@lid")
    };
    let phone = r.text_nonempty(t.col("ZPHONENUMBER"))?;
    let digits: String = phone
        .split('@')
        .next()
        .unwrap_or(&phone)
        .trim_start_matches('+')
        .to_string();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Contact {
        origin: r.origin(table),
        app: "whatsapp",
        display_name: r.text_nonempty(t.col(name_col)),
        number_raw: Some(format!("{digits}@s.whatsapp.net")),
        value_kind: "jid",
        label: Some("LID".into()),
        account: None,
        contact_key: Some(lid),
    })
}

/// The LID -> phone-number JID map of a parsed `LID.sqlite` (see [`parse_lid`]).
pub fn lid_map(lid_output: &ParseOutput) -> BTreeMap<String, String> {
    lid_output
        .contacts
        .iter()
        .filter_map(|c| {
            let k = c.contact_key.as_ref().filter(|k| k.ends_with("@lid"))?;
            Some((k.clone(), c.number_raw.clone()?))
        })
        .collect()
}

/// Replace the LIDs in messages and calls parsed from ChatStorage / CallHistory by the phone-
/// number JIDs of `map` (from the same container's `LID.sqlite`). Each changed record gets the
/// flag `lid_resolved` (messages) or a `type_raw` note (calls); the "kept as LIDs" warning is
/// replaced by one naming what stays unresolved, if anything.
pub fn resolve_lids(out: &mut ParseOutput, map: &BTreeMap<String, String>) {
    let mut unresolved: Vec<String> = Vec::new();
    let mut fix = |j: &mut String, changed: &mut bool| {
        if jid_kind(j) == JidKind::Lid {
            match map.get(j.as_str()) {
                Some(p) => {
                    *j = p.clone();
                    *changed = true;
                }
                None => {
                    if !unresolved.contains(j) {
                        unresolved.push(j.clone());
                    }
                }
            }
        }
    };
    for m in &mut out.messages {
        let mut changed = false;
        for j in m
            .sender_raw
            .iter_mut()
            .chain(m.recipients_raw.iter_mut())
            .chain(m.thread_id.iter_mut())
        {
            fix(j, &mut changed);
        }
        if changed {
            m.flags.push("lid_resolved".into());
        }
    }
    for c in &mut out.calls {
        let mut changed = false;
        for j in c.number_raw.iter_mut().chain(c.participants_raw.iter_mut()) {
            fix(j, &mut changed);
        }
        if changed {
            c.type_raw = Some(match c.type_raw.take() {
                Some(t) => format!("{t}; LID resolved via LID.sqlite"),
                None => "LID resolved via LID.sqlite".into(),
            });
        }
    }
    out.warnings.retain(|w| !w.message.contains("kept as LIDs"));
    if !unresolved.is_empty() {
        unresolved.sort();
        out.warn(format!(
            "{} LID JID(s) have no phone number in LID.sqlite and are kept as LIDs (not numbers): {}",
            unresolved.len(),
            unresolved.join(", ")
        ));
    }
}
