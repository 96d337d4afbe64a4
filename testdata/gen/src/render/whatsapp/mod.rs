//! WhatsApp renderers: Android `msgstore.db` (legacy, transitional, modern, modern with LID
//! chats), `wa.db` and the preferences XML; iOS `ChatStorage.sqlite`, `ContactsV2.sqlite` and
//! `CallHistory.sqlite`.
//!
//! The world's WhatsApp records map as follows: a [`GMessage`] with `app == WhatsApp` goes to the
//! peer's one-to-one chat, to its group's chat (`group`, the sender of an incoming message is
//! `peer`), or, when outgoing with `extra_recipients` and no group, to a broadcast list whose
//! recipients are `peer` + `extra_recipients`. Media, deletion for everyone and edits are not in
//! the world model; [`extras`] derives them from the message key, so that tests know them too.
//! Every group gets one system message ("group created") just before its first message.
//!
//! Schema generations: Android 0 = modern with LID chats (`jid_map`), 1 = modern,
//! 2 = transitional (both `message` and legacy `messages`), 3+ = legacy; iOS 0 = current
//! ChatStorage columns, 1+ = an older column set.
use crate::archive::DeviceFile;
use crate::world::{GApp, GCall, GContact, GGroup, GMessage, Handset, Os};

pub mod android;
pub mod ios;

/// Every WhatsApp file of a handset (nothing if it has no WhatsApp messages or calls).
pub fn files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    if !has_whatsapp(h) {
        return Vec::new();
    }
    match h.os {
        Os::Android => android::files(h, generation, "com.whatsapp"),
        Os::Ios => ios::files(h, generation),
    }
}

pub fn has_whatsapp(h: &Handset) -> bool {
    h.messages.iter().any(|m| m.app == GApp::WhatsApp)
        || h.calls.iter().any(|c| c.app == GApp::WhatsApp)
}

/// The phone-number JID of an E.164 number: `+447700900123` -> `447700900123@s.whatsapp.net`.
pub fn jid(e164: &str) -> String {
    format!("{}@s.whatsapp.net", e164.trim_start_matches('+'))
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether the Android LID generation stores this peer under a LID.
pub fn uses_lid(e164: &str) -> bool {
    e164.bytes()
        .last()
        .is_some_and(|d| d.is_ascii_digit() && (d - b'0') % 2 == 1)
}

/// The LID JID the LID generation gives a number (not a number itself).
pub fn lid_of(e164: &str) -> String {
    format!(
        "{}@lid",
        100_000_000_000_000u64 + fnv(e164) % 900_000_000_000_000
    )
}

/// The group JID of a world group.
pub fn group_jid(g: &GGroup) -> String {
    format!("120363{:012}@g.us", fnv(&g.id) % 1_000_000_000_000)
}

/// Whether a message is a broadcast-list send.
pub fn is_broadcast(m: &GMessage) -> bool {
    m.outgoing && m.group.is_none() && !m.extra_recipients.is_empty()
}

/// Recipients of a broadcast-list send, in list order.
pub fn broadcast_recipients(m: &GMessage) -> Vec<String> {
    let mut v = vec![m.peer.clone()];
    v.extend(m.extra_recipients.iter().cloned());
    v
}

/// The list JID of a broadcast-list send (the same recipients give the same list).
pub fn broadcast_jid(m: &GMessage) -> String {
    let mut r = broadcast_recipients(m);
    r.sort();
    format!(
        "{}@broadcast",
        1_600_000_000 + fnv(&r.join(",")) % 100_000_000
    )
}

/// The conversation JID of a message.
pub fn chat_jid(m: &GMessage) -> String {
    if let Some(g) = &m.group {
        group_jid(g)
    } else if is_broadcast(m) {
        broadcast_jid(m)
    } else {
        jid(&m.peer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub mime: &'static str,
    /// `message_type` / `media_wa_type` on Android.
    pub android_type: i64,
    /// `ZMESSAGETYPE` on iOS.
    pub ios_type: i64,
    pub file_name: String,
    pub size: i64,
}

/// What the world does not model: media, deletion for everyone, edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extras {
    pub media: Option<Media>,
    pub revoked: bool,
    pub edited: bool,
}

/// The extras of a message, derived from its key. Edits exist only in the modern Android
/// generations (0-2).
pub fn extras(m: &GMessage, os: Os, generation: u32) -> Extras {
    let k = m.key;
    let revoked = k % 11 == 5;
    let media = (!revoked && k % 5 == 3).then(|| {
        if k.is_multiple_of(2) {
            Media {
                mime: "image/jpeg",
                android_type: 1,
                ios_type: 1,
                file_name: format!("IMG-20240301-WA{:04}.jpg", k % 10_000),
                size: 20_000 + (k as i64 % 997) * 37,
            }
        } else {
            Media {
                mime: "video/mp4",
                android_type: 3,
                ios_type: 2,
                file_name: format!("VID-20240301-WA{:04}.mp4", k % 10_000),
                size: 900_000 + (k as i64 % 991) * 101,
            }
        }
    });
    let edited = !revoked && media.is_none() && k % 7 == 2 && os == Os::Android && generation <= 2;
    Extras {
        media,
        revoked,
        edited,
    }
}

/// The world's WhatsApp messages of a handset, in storage order (time, then key).
pub fn wa_messages(h: &Handset) -> Vec<&GMessage> {
    let mut v: Vec<&GMessage> = h
        .messages
        .iter()
        .filter(|m| m.app == GApp::WhatsApp)
        .collect();
    v.sort_by_key(|m| (m.ts_ms, m.key));
    v
}

/// The world's WhatsApp calls, in storage order.
pub fn wa_calls(h: &Handset) -> Vec<&GCall> {
    let mut v: Vec<&GCall> = h.calls.iter().filter(|c| c.app == GApp::WhatsApp).collect();
    v.sort_by_key(|c| c.ts_ms);
    v
}

/// The groups of a handset's WhatsApp messages with the time of their "group created" system
/// message (1 s before the group's first message), in order of first appearance.
pub fn groups(h: &Handset) -> Vec<(GGroup, i64)> {
    let mut out: Vec<(GGroup, i64)> = Vec::new();
    for m in wa_messages(h) {
        if let Some(g) = &m.group {
            if !out.iter().any(|(x, _)| x.id == g.id) {
                out.push((g.clone(), m.ts_ms - 1000));
            }
        }
    }
    out
}

/// A handset exercising every WhatsApp case: one-to-one chats both ways, a group with incoming
/// messages from several members and outgoing ones, a broadcast-list send, media, deletions,
/// edits, WAL-only and deleted rows, calls of every direction, contacts.
pub fn demo_handset(os: Os) -> Handset {
    use crate::world::{drama_mobile, uk_style, GCallDir, GState, Layout};
    let layout = match os {
        Os::Android => Layout::CellebriteAndroidZip,
        Os::Ios => Layout::CellebriteIosZip,
    };
    let mut h = Handset::new("EXH-WA", os, layout, &drama_mobile(100));
    let peers: Vec<String> = (101..=107).map(drama_mobile).collect();
    for (i, p) in peers.iter().enumerate() {
        h.contacts.push(GContact {
            name: format!("Contact {}", i + 1),
            numbers: vec![(p.clone(), uk_style(p, i as u32), "Mobile".into())],
            emails: vec![],
            state: match i {
                5 => GState::WalOnly,
                6 => GState::Deleted,
                _ => GState::Live,
            },
        });
    }
    let group = GGroup {
        id: "grp-demo-1".into(),
        name: "Lads \u{1F697}".into(),
        members: peers[0..4].to_vec(),
    };
    let base: i64 = 1_709_294_400_000; // 2024-03-01T12:00:00Z
    let mut key = 1000u64;
    let mut push = |h: &mut Handset,
                    dt: i64,
                    outgoing: bool,
                    peer: &str,
                    extra: Vec<String>,
                    group: Option<GGroup>,
                    body: &str,
                    state: GState| {
        key += 1;
        h.messages.push(GMessage {
            key,
            app: GApp::WhatsApp,
            ts_ms: base + dt,
            outgoing,
            peer: peer.to_string(),
            peer_raw: jid(peer),
            extra_recipients: extra,
            group,
            body: body.to_string(),
            state,
            read: !key.is_multiple_of(4),
        });
    };
    let mut dt = 0i64;
    for (i, p) in peers.iter().enumerate().take(5) {
        for j in 0..4 {
            dt += 61_237 + (i as i64 * 17 + j as i64) * 1_003;
            let state = match (i, j) {
                (1, 3) | (3, 2) => GState::WalOnly,
                (2, 1) => GState::Deleted,
                _ => GState::Live,
            };
            push(
                &mut h,
                dt,
                j % 2 == 1,
                p,
                vec![],
                None,
                &format!("msg {i}-{j} to/from {}", &p[p.len() - 3..]),
                state,
            );
        }
    }
    for j in 0..8 {
        dt += 45_111 + j as i64 * 7;
        let sender = &group.members[j % group.members.len()];
        let state = if j == 6 {
            GState::WalOnly
        } else {
            GState::Live
        };
        push(
            &mut h,
            dt,
            j % 3 == 2,
            sender,
            vec![],
            Some(group.clone()),
            &format!("group message {j} \u{00E9}\u{1F600}"),
            state,
        );
    }
    for j in 0..2 {
        dt += 300_017;
        push(
            &mut h,
            dt,
            true,
            &peers[4],
            vec![peers[5].clone(), peers[6].clone()],
            None,
            &format!("Broadcast {j}: new number, save it"),
            if j == 1 {
                GState::WalOnly
            } else {
                GState::Live
            },
        );
    }
    let dirs = [
        GCallDir::Incoming,
        GCallDir::Outgoing,
        GCallDir::Missed,
        GCallDir::Rejected,
        GCallDir::Outgoing,
        GCallDir::Incoming,
    ];
    for (i, d) in dirs.iter().enumerate() {
        let p = &peers[i % peers.len()];
        let answered = matches!(d, GCallDir::Incoming | GCallDir::Outgoing);
        h.calls.push(GCall {
            app: GApp::WhatsApp,
            ts_ms: base + 10_000_000 + i as i64 * 600_000 + 123,
            duration_s: if answered { 30 + i as i64 * 11 } else { 0 },
            direction: *d,
            peer: p.clone(),
            peer_raw: jid(p),
            video: i % 3 == 1,
            state: match i {
                4 => GState::WalOnly,
                5 => GState::Deleted,
                _ => GState::Live,
            },
        });
    }
    h
}
