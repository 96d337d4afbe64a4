//! Shared by the deal-line eval test and bench: World → analysis input.
#![allow(dead_code)]
use std::collections::BTreeMap;

use linesift::analysis::broadcast::AMessage;
use linesift_testdata::world::{GApp, World};

/// Owned strings the borrowed `AMessage`s point into.
pub struct Owned {
    pub ids: Vec<String>,
    pub owners: BTreeMap<String, Vec<String>>,
}

pub fn app_name(a: GApp) -> &'static str {
    match a {
        GApp::Sms => "sms",
        GApp::Mms => "mms",
        GApp::IMessage => "imessage",
        GApp::Rcs => "rcs",
        GApp::WhatsApp => "whatsapp",
    }
}

pub fn owned(w: &World) -> Owned {
    let mut ids = Vec::new();
    for h in &w.handsets {
        for m in &h.messages {
            ids.push(format!("{}:{}", h.label, m.key));
        }
    }
    let owners = w
        .handsets
        .iter()
        .map(|h| (h.label.clone(), h.owner_numbers.clone()))
        .collect();
    Owned { ids, owners }
}

/// The adapter: E.164 is the message's peer and the handset's owner. An outgoing message on a
/// handset with several numbers leaves the sender open (the analysis attributes it by time).
pub fn messages<'a>(w: &'a World, o: &'a Owned) -> Vec<AMessage<'a>> {
    let mut out = Vec::with_capacity(o.ids.len());
    let mut i = 0;
    for h in &w.handsets {
        for m in &h.messages {
            let (sender, recipients) = if m.outgoing {
                let s = if h.owner_numbers.len() == 1 {
                    Some(h.owner_numbers[0].as_str())
                } else {
                    None
                };
                let mut r = vec![m.peer.as_str()];
                r.extend(m.extra_recipients.iter().map(|s| s.as_str()));
                (s, r)
            } else {
                (Some(m.peer.as_str()), Vec::new())
            };
            out.push(AMessage {
                message_id: &o.ids[i],
                exhibit_id: &h.label,
                app: app_name(m.app),
                outgoing: m.outgoing,
                ts_ms: Some(m.ts_ms),
                sender_e164: sender,
                recipients_e164: recipients,
                body: Some(&m.body),
            });
            i += 1;
        }
    }
    out
}
