//! `mmssms.db` of the Android telephony provider (`com.android.providers.telephony`, also under
//! Samsung's package name).
//!
//! - `sms`: one row per text. `date` is Unix ms (receive time, or send time for outgoing),
//!   `type` 1 inbox, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued. Samsung adds many columns,
//!   which are ignored; Samsung's `spam_sms` has the same core columns and is read as spam.
//! - `pdu`: one row per MMS. `date` is Unix SECONDS; `msg_box` 1 inbox, 2 sent, 3 drafts,
//!   4 outbox, 5 failed. Delivery and read reports (`m_type` 134, 135, 136) are not messages and
//!   are counted in a warning, not output.
//! - `addr`: an MMS's addresses by `msg_id`, `type` 137 FROM, 151 TO, 130 CC, 129 BCC; the
//!   address `insert-address-token` stands for the handset itself. A sent MMS whose FROM is a
//!   real address gives an owner number.
//! - `part`: an MMS's parts by `mid`; `text/plain` parts are the body (the `text` column),
//!   `application/smil` is layout, anything else is an attachment.
//! - `threads` + `canonical_addresses`: a thread's recipients, used when an MMS has no `addr`
//!   rows or an outgoing SMS has no address.
//! - Samsung's RCS table `im` and the AOSP RCS provider's `rcs_message` are not mapped: when they
//!   hold rows, a warning says how many.
use std::collections::BTreeMap;

use super::{all_unreadable, open, read_table, require_any};
use crate::registry::DbInput;
use crate::sqlite::row::{hex, Col, Val};
use crate::sqlite::{DbImage, RowData, TableRows};
use crate::{Attachment, Direction, Message, OwnerNumber, ParseError, ParseOutput};

/// The address MMS uses for the handset itself.
pub const SELF_TOKEN: &str = "insert-address-token";

/// The columns read (every Android version since 2.x has them; vendor columns are ignored).
const SMS_COLS: &[&str] = &["thread_id", "address", "date", "type", "body", "read"];
const PDU_COLS: &[&str] = &["thread_id", "date", "msg_box", "read", "sub", "m_type"];

pub fn parse(input: &DbInput<'_>) -> Result<ParseOutput, ParseError> {
    let (img, mut out) = open(input)?;
    require_any(&img, &["sms", "pdu", "spam_sms"])?;
    let threads = thread_recipients(&img, &mut out);
    let (mut read_ok, mut failed) = (0, Vec::new());
    for table in ["sms", "spam_sms"] {
        if !img.has_table(table) {
            continue;
        }
        let Some(t) = read_table(&img, &mut out, table, SMS_COLS) else {
            failed.push(table);
            continue;
        };
        read_ok += 1;
        let c = SmsCols::new(&t);
        for r in &t.rows {
            out.messages
                .push(sms_row(r, &c, table, table == "spam_sms", &threads));
        }
    }
    if img.has_table("pdu") {
        let addrs = mms_addresses(&img, &mut out);
        let parts = mms_parts(&img, &mut out);
        let t = match read_table(&img, &mut out, "pdu", PDU_COLS) {
            Some(t) => {
                read_ok += 1;
                t
            }
            None => {
                failed.push("pdu");
                Default::default()
            }
        };
        let c = PduCols::new(&t);
        let mut reports = 0u64;
        let mut own = std::collections::BTreeSet::new();
        for r in &t.rows {
            match mms_row(r, &c, "pdu", &addrs, &parts, &threads) {
                Some(m) => {
                    // A sent MMS whose FROM is a real address (not the self token) names the
                    // handset's own number.
                    if let (Direction::Outgoing, Some(n)) = (m.direction, m.sender_raw.as_ref()) {
                        if own.insert(n.clone()) {
                            out.owners.push(OwnerNumber {
                                origin: m.origin.clone(),
                                number_raw: n.clone(),
                                how: "mmssms.db addr type 137 (FROM) of a sent MMS".into(),
                            });
                        }
                    }
                    out.messages.push(m)
                }
                None => reports += 1,
            }
        }
        if reports > 0 {
            out.warn(format!(
                "pdu: {reports} delivery/read report rows (m_type 134/135/136) are not messages and were not output"
            ));
        }
    } else {
        out.warn("no pdu table: MMS not read");
    }
    if read_ok == 0 && !failed.is_empty() {
        return Err(all_unreadable(&failed));
    }
    // Message tables this parser does not map yet: say so when they hold rows.
    for (table, what) in [
        ("im", "Samsung RCS chat messages"),
        ("rcs_message", "AOSP RCS provider messages"),
    ] {
        if img.has_table(table) {
            let n: i64 = img
                .conn()
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })
                .unwrap_or(-1);
            if n != 0 {
                out.warn(format!(
                    "table {table} ({what}) holds {} rows that this parser does not read",
                    if n < 0 {
                        "unreadable".to_string()
                    } else {
                        n.to_string()
                    }
                ));
            }
        }
    }
    Ok(out)
}

/// Column handles of an `sms` / `spam_sms` read.
pub struct SmsCols {
    thread_id: Col,
    address: Col,
    date: Col,
    type_: Col,
    body: Col,
    read: Col,
}

impl SmsCols {
    pub fn new(t: &TableRows) -> Self {
        SmsCols {
            thread_id: t.col("thread_id"),
            address: t.col("address"),
            date: t.col("date"),
            type_: t.col("type"),
            body: t.col("body"),
            read: t.col("read"),
        }
    }
}

/// Direction and flags of an SMS `type` / MMS `msg_box` value (the same numbering).
fn box_direction(v: Option<i64>) -> (Direction, Option<&'static str>) {
    match v {
        Some(1) => (Direction::Incoming, None),
        Some(2) => (Direction::Outgoing, None),
        Some(3) => (Direction::Outgoing, Some("draft")),
        Some(4) => (Direction::Outgoing, Some("outbox")),
        Some(5) => (Direction::Outgoing, Some("failed")),
        Some(6) => (Direction::Outgoing, Some("queued")),
        _ => (Direction::Unknown, None),
    }
}

/// Map one `sms` (or `spam_sms`) row.
pub fn sms_row(
    r: &RowData,
    c: &SmsCols,
    table: &str,
    spam: bool,
    threads: &BTreeMap<i64, Vec<String>>,
) -> Message {
    let mut m = Message::new(r.origin(table), "sms");
    m.service = Some("SMS".into());
    let (dir, flag) = box_direction(r.i64(c.type_));
    m.direction = dir;
    if let Some(f) = flag {
        m.flags.push(f.into());
    }
    if spam {
        m.flags.push("spam".into());
    }
    m.timestamp_ms = r.i64(c.date).filter(|&d| d > 0);
    let thread = r.i64(c.thread_id);
    m.thread_id = thread.map(|t| t.to_string());
    let address = r.text_nonempty(c.address);
    match dir {
        Direction::Outgoing => {
            m.recipients_raw = match address {
                Some(a) => vec![a],
                None => thread
                    .and_then(|t| threads.get(&t))
                    .cloned()
                    .unwrap_or_default(),
            }
        }
        _ => m.sender_raw = address,
    }
    let body = r.get(c.body);
    m.body = body.as_text();
    m.body_raw_hex = body.bad_text_hex();
    m.read = r.bool(c.read);
    m
}

/// An MMS address row: (`type`, address).
pub type MmsAddr = (i64, String);

/// `addr` rows grouped by `msg_id`, in rowid order.
fn mms_addresses(img: &DbImage, out: &mut ParseOutput) -> BTreeMap<i64, Vec<MmsAddr>> {
    let mut map: BTreeMap<i64, Vec<MmsAddr>> = BTreeMap::new();
    if !img.has_table("addr") {
        out.warn("no addr table: MMS senders and recipients come from threads only");
        return map;
    }
    let Some(t) = read_table(img, out, "addr", &["msg_id", "address", "type"]) else {
        return map;
    };
    let (mid, addr, ty) = (t.col("msg_id"), t.col("address"), t.col("type"));
    for r in &t.rows {
        if let (Some(m), Some(a)) = (r.i64(mid), r.text_nonempty(addr)) {
            map.entry(m).or_default().push((r.i64(ty).unwrap_or(0), a));
        }
    }
    map
}

/// One MMS part: content type, text value, name, content location.
#[derive(Debug, Clone)]
pub struct MmsPart {
    pub seq: i64,
    pub ct: Option<String>,
    pub text: Val,
    pub name: Option<String>,
    pub cl: Option<String>,
}

/// `part` rows grouped by `mid`, ordered by `seq` then rowid.
fn mms_parts(img: &DbImage, out: &mut ParseOutput) -> BTreeMap<i64, Vec<MmsPart>> {
    let mut map: BTreeMap<i64, Vec<MmsPart>> = BTreeMap::new();
    if !img.has_table("part") {
        out.warn("no part table: MMS bodies and attachments not read");
        return map;
    }
    let Some(t) = read_table(
        img,
        out,
        "part",
        &["mid", "seq", "ct", "name", "cl", "fn", "text"],
    ) else {
        return map;
    };
    let c = |n| t.col(n);
    for r in &t.rows {
        let Some(mid) = r.i64(c("mid")) else { continue };
        map.entry(mid).or_default().push(MmsPart {
            seq: r.i64(c("seq")).unwrap_or(0),
            ct: r.text_nonempty(c("ct")),
            text: r.get(c("text")).clone(),
            name: r.text_nonempty(c("name")),
            cl: r
                .text_nonempty(c("cl"))
                .or_else(|| r.text_nonempty(c("fn"))),
        });
    }
    for v in map.values_mut() {
        // Stable sort keeps rowid order within a seq.
        v.sort_by_key(|p| p.seq);
    }
    map
}

/// Each thread's recipients (`threads.recipient_ids` through `canonical_addresses`).
fn thread_recipients(img: &DbImage, out: &mut ParseOutput) -> BTreeMap<i64, Vec<String>> {
    let mut res = BTreeMap::new();
    if !img.has_table("threads") || !img.has_table("canonical_addresses") {
        return res;
    }
    let (Some(ca), Some(th)) = (
        read_table(img, out, "canonical_addresses", &["address"]),
        read_table(img, out, "threads", &["recipient_ids"]),
    ) else {
        return res;
    };
    let addr: BTreeMap<i64, String> = ca
        .rows
        .iter()
        .filter_map(|r| Some((r.rowid?, r.text_nonempty(ca.col("address"))?)))
        .collect();
    for r in &th.rows {
        let (Some(id), Some(ids)) = (r.rowid, r.text(th.col("recipient_ids"))) else {
            continue;
        };
        let list: Vec<String> = ids
            .split_whitespace()
            .filter_map(|x| x.parse::<i64>().ok())
            .filter_map(|x| addr.get(&x).cloned())
            .collect();
        res.insert(id, list);
    }
    res
}

/// Column handles of a `pdu` read.
pub struct PduCols {
    thread_id: Col,
    date: Col,
    msg_box: Col,
    read: Col,
    sub: Col,
    m_type: Col,
}

impl PduCols {
    pub fn new(t: &TableRows) -> Self {
        PduCols {
            thread_id: t.col("thread_id"),
            date: t.col("date"),
            msg_box: t.col("msg_box"),
            read: t.col("read"),
            sub: t.col("sub"),
            m_type: t.col("m_type"),
        }
    }
}

/// Map one `pdu` row with its addresses and parts; `None` for delivery/read reports.
pub fn mms_row(
    r: &RowData,
    c: &PduCols,
    table: &str,
    addrs: &BTreeMap<i64, Vec<MmsAddr>>,
    parts: &BTreeMap<i64, Vec<MmsPart>>,
    threads: &BTreeMap<i64, Vec<String>>,
) -> Option<Message> {
    let m_type = r.i64(c.m_type);
    if matches!(m_type, Some(134..=136)) {
        return None;
    }
    let mut m = Message::new(r.origin(table), "mms");
    m.service = Some("MMS".into());
    let (mut dir, flag) = box_direction(r.i64(c.msg_box));
    if dir == Direction::Unknown {
        // Fall back on the PDU type: 128 send_req is ours, 130/132 came in.
        dir = match m_type {
            Some(128) => Direction::Outgoing,
            Some(130) | Some(132) => Direction::Incoming,
            _ => Direction::Unknown,
        };
    }
    m.direction = dir;
    if let Some(f) = flag {
        m.flags.push(f.into());
    }
    if m_type == Some(130) {
        m.flags.push("not_downloaded".into());
    }
    // Seconds by definition; a value already in ms (some vendor builds) is taken as is.
    m.timestamp_ms =
        r.i64(c.date)
            .filter(|&d| d > 0)
            .map(|d| if d > 100_000_000_000 { d } else { d * 1000 });
    let thread = r.i64(c.thread_id);
    m.thread_id = thread.map(|t| t.to_string());
    m.read = r.bool(c.read);
    let id = r.rowid.unwrap_or(-1);
    let list = addrs.get(&id).map(Vec::as_slice).unwrap_or(&[]);
    let from = list
        .iter()
        .find(|(t, _)| *t == 137)
        .map(|(_, a)| a.clone())
        .filter(|a| a != SELF_TOKEN);
    let to: Vec<String> = [151, 130, 129]
        .iter()
        .flat_map(|k| list.iter().filter(move |(t, _)| t == k))
        .map(|(_, a)| a.clone())
        .filter(|a| a != SELF_TOKEN)
        .collect();
    m.sender_raw = from;
    m.recipients_raw = to;
    if list.is_empty() {
        let peers = thread
            .and_then(|t| threads.get(&t))
            .cloned()
            .unwrap_or_default();
        match dir {
            Direction::Incoming if peers.len() == 1 => m.sender_raw = peers.first().cloned(),
            Direction::Outgoing => m.recipients_raw = peers,
            _ => {}
        }
    }
    let mut texts: Vec<&Val> = Vec::new();
    for p in parts.get(&id).map(Vec::as_slice).unwrap_or(&[]) {
        let ct = p.ct.as_deref().unwrap_or("").to_ascii_lowercase();
        if ct == "text/plain" && !p.text.is_null() {
            texts.push(&p.text);
        } else if ct == "application/smil" {
            continue;
        } else if !(ct.is_empty() && p.text.is_null() && p.name.is_none() && p.cl.is_none()) {
            m.attachments.push(Attachment {
                kind: p.ct.clone(),
                file_name: p.name.clone().or_else(|| p.cl.clone()),
                size: None,
                caption: None,
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
        // No text part: the subject is all the text the message has.
        let sub = r.get(c.sub);
        m.body = sub.as_text().filter(|s| !s.is_empty());
        m.body_raw_hex = sub.bad_text_hex();
    }
    Some(m)
}
