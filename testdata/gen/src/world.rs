//! The synthetic world: the known answer that tests compare parsed output with.
use serde::Serialize;

/// Ofcom drama mobile number `07700 900nnn` as E.164 (`nnn` < 1000).
pub fn drama_mobile(n: u32) -> String {
    assert!(n < 1000, "drama range is 07700 900000-900999");
    format!("+447700900{n:03}")
}

/// Ofcom drama landline in Leeds (`0113 496 0nnn`) as E.164.
pub fn drama_leeds(n: u32) -> String {
    assert!(n < 1000);
    format!("+441134960{n:03}")
}

/// Ofcom drama landline in London (`020 7946 0nnn`) as E.164.
pub fn drama_london(n: u32) -> String {
    assert!(n < 1000);
    format!("+442079460{n:03}")
}

/// A UK E.164 number written the way phones store it, by style index:
/// 0 `+447700900123`, 1 `07700 900123`, 2 `07700900123`, 3 `00447700900123`,
/// 4 `+44 7700 900123`, 5 `447700900123`, 6 `+44 (0)7700 900123`, 7 `07700-900-123`.
pub fn uk_style(e164: &str, style: u32) -> String {
    let nsn = e164.strip_prefix("+44").unwrap_or(e164);
    let (a, b) = nsn.split_at(nsn.len().min(4));
    match style % 8 {
        0 => e164.to_string(),
        1 => format!("0{a} {b}"),
        2 => format!("0{nsn}"),
        3 => format!("0044{nsn}"),
        4 => format!("+44 {a} {b}"),
        5 => format!("44{nsn}"),
        6 => format!("+44 (0){a} {b}"),
        _ => {
            let (b1, b2) = b.split_at(b.len().min(3));
            format!("0{a}-{b1}-{b2}")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Os {
    Android,
    Ios,
}

/// How the extraction is packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Layout {
    /// Cellebrite Android zip: members under `Dump/`.
    CellebriteAndroidZip,
    /// Cellebrite iOS zip: `filesystem1/` (root) and `filesystem2/` (= `/private/var`).
    CellebriteIosZip,
    /// Magnet-style zip: members start with `/`.
    MagnetZip,
    /// tar with `private/var/mobile/...` (iOS) or `data/data/...` (Android) members.
    Tar,
    /// gzip-compressed tar.
    TarGz,
    /// A plain folder.
    Folder,
}

/// Record state of a generated record: what a correct parser must report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GState {
    /// In the main database file.
    Live,
    /// Committed only in the `-wal`.
    WalOnly,
    /// Deleted (may survive as recoverable data).
    Deleted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GApp {
    Sms,
    Mms,
    IMessage,
    Rcs,
    WhatsApp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GGroup {
    /// Stable id of the group within the world.
    pub id: String,
    pub name: String,
    /// E.164 numbers of the members other than this handset's owner.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GMessage {
    /// Unique within the world; a message and its twin on the other handset share it.
    pub key: u64,
    pub app: GApp,
    /// Unix milliseconds, UTC.
    pub ts_ms: i64,
    pub outgoing: bool,
    /// The other party: recipient of an outgoing message, sender of an incoming one (E.164, or
    /// an alphanumeric sender id / short code kept as is).
    pub peer: String,
    /// `peer` as this handset stores it.
    pub peer_raw: String,
    /// Further recipients of an outgoing multi-recipient message (MMS group), E.164.
    pub extra_recipients: Vec<String>,
    /// Set for group-chat messages (then `peer` is the sender of an incoming message).
    pub group: Option<GGroup>,
    pub body: String,
    pub state: GState,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GContact {
    pub name: String,
    /// (E.164, as stored, label)
    pub numbers: Vec<(String, String, String)>,
    pub emails: Vec<String>,
    pub state: GState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GCallDir {
    Incoming,
    Outgoing,
    Missed,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GCall {
    pub app: GApp,
    pub ts_ms: i64,
    pub duration_s: i64,
    pub direction: GCallDir,
    pub peer: String,
    pub peer_raw: String,
    pub video: bool,
    pub state: GState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handset {
    /// Exhibit label, e.g. `EXH-01`.
    pub label: String,
    pub os: Os,
    pub layout: Layout,
    /// The handset's own numbers (E.164), first is the main SIM.
    pub owner_numbers: Vec<String>,
    /// Whether the handset's databases record its own number (if false, only other exhibits
    /// can prove it).
    pub records_owner: bool,
    pub contacts: Vec<GContact>,
    pub messages: Vec<GMessage>,
    pub calls: Vec<GCall>,
}

impl Handset {
    pub fn new(label: &str, os: Os, layout: Layout, owner: &str) -> Self {
        Handset {
            label: label.to_string(),
            os,
            layout,
            owner_numbers: vec![owner.to_string()],
            records_owner: true,
            contacts: Vec::new(),
            messages: Vec::new(),
            calls: Vec::new(),
        }
    }
    pub fn owner(&self) -> &str {
        &self.owner_numbers[0]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct World {
    pub handsets: Vec<Handset>,
}
