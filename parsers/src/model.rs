//! The record model. The messages, contacts and calls tables of the case output come straight
//! from these types; the exhibit and artifact columns of their provenance are added by the
//! caller, which knows which exhibit and which file the bytes came from.
use serde::{Deserialize, Serialize};

/// How a record was found in its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// In the database's current state, and already in the main file.
    Live,
    /// In the current state, but committed only in the `-wal` (not yet checkpointed).
    WalOnly,
    /// An older committed version of a row (older WAL frame or journal page).
    Superseded,
    /// Carved from a page on the freelist.
    Freelist,
    /// Carved from a freeblock inside an in-use page.
    Freeblock,
    /// Carved from unallocated space between cell pointers and cell content.
    Unallocated,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Live => "live",
            RecordState::WalOnly => "wal_only",
            RecordState::Superseded => "superseded",
            RecordState::Freelist => "freelist",
            RecordState::Freeblock => "freeblock",
            RecordState::Unallocated => "unallocated",
        }
    }
    /// Whether the record is part of what the phone itself would show now.
    pub fn is_current(self) -> bool {
        matches!(self, RecordState::Live | RecordState::WalOnly)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Incoming,
    Outgoing,
    Missed,
    Rejected,
    Unknown,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
            Direction::Missed => "missed",
            Direction::Rejected => "rejected",
            Direction::Unknown => "unknown",
        }
    }
}

/// Where a record sits inside its artifact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// Source table (for a recovered record: the table it was attributed to).
    pub table: String,
    /// rowid (or INTEGER PRIMARY KEY) in that table, when known.
    pub rowid: Option<i64>,
    /// Byte offset in the artifact (main file, or WAL/journal as `detail` says) for recovered data.
    pub offset: Option<u64>,
    pub state: RecordState,
    /// Extra precision for recovered records, e.g. `wal frame 12, commit 3, page 7`.
    pub detail: Option<String>,
}

impl Origin {
    pub fn live(table: &str, rowid: i64) -> Self {
        Origin {
            table: table.to_string(),
            rowid: Some(rowid),
            offset: None,
            state: RecordState::Live,
            detail: None,
        }
    }
}

/// A media item or file attached to a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// MIME type or the app's media type name (`image/jpeg`, `video`, `location`, ...).
    pub kind: Option<String>,
    pub file_name: Option<String>,
    pub size: Option<i64>,
    pub caption: Option<String>,
}

/// One message (SMS, MMS, iMessage, RCS, WhatsApp ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub origin: Origin,
    /// `sms`, `mms`, `rcs`, `imessage`, `whatsapp`, ...
    pub app: &'static str,
    pub direction: Direction,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub timestamp_ms: Option<i64>,
    /// Who sent it, as stored (a number, JID, email or alphanumeric id). For outgoing messages
    /// this is the handset's own account when the database records it, else `None`.
    pub sender_raw: Option<String>,
    /// Who it was sent to, as stored. For incoming messages, the handset's own account when
    /// recorded, else empty (the analysis fills it in from the owner numbers).
    pub recipients_raw: Vec<String>,
    /// The conversation this message belongs to (thread id, chat GUID, group JID ...).
    pub thread_id: Option<String>,
    /// The conversation's display name, for group chats.
    pub thread_name: Option<String>,
    pub body: Option<String>,
    /// The body's raw bytes in hex, when they were not valid UTF-8 (the body is then lossy).
    pub body_raw_hex: Option<String>,
    /// Transport as the app names it (`SMS`, `iMessage`, `RCS`, ...).
    pub service: Option<String>,
    pub read: Option<bool>,
    pub attachments: Vec<Attachment>,
    /// Marks such as `deleted_for_everyone`, `edited`, `spam`, `draft`, `broadcast_list`, `failed`.
    pub flags: Vec<String>,
}

impl Message {
    pub fn new(origin: Origin, app: &'static str) -> Self {
        Message {
            origin,
            app,
            direction: Direction::Unknown,
            timestamp_ms: None,
            sender_raw: None,
            recipients_raw: Vec::new(),
            thread_id: None,
            thread_name: None,
            body: None,
            body_raw_hex: None,
            service: None,
            read: None,
            attachments: Vec::new(),
            flags: Vec::new(),
        }
    }
}

/// One number (or email) saved against a contact. A contact with three numbers gives three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub origin: Origin,
    /// `android_contacts`, `ios_addressbook`, `whatsapp`, ...
    pub app: &'static str,
    pub display_name: Option<String>,
    /// The number (or email address, or WhatsApp JID) as stored.
    pub number_raw: Option<String>,
    /// `phone`, `email` or `jid`.
    pub value_kind: &'static str,
    /// The label, cleaned (`_$!<Mobile>!$_` becomes `Mobile`).
    pub label: Option<String>,
    /// The account the contact belongs to (e.g. a Google account), when recorded.
    pub account: Option<String>,
    /// The contact's own identifier in the source (raw_contact_id, ROWID of ABPerson ...).
    pub contact_key: Option<String>,
}

/// One call log entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    pub origin: Origin,
    /// `android_calllog`, `samsung_logs`, `ios_callhistory`, `whatsapp`, ...
    pub app: &'static str,
    pub direction: Direction,
    pub timestamp_ms: Option<i64>,
    pub duration_s: Option<i64>,
    /// The other party, as stored.
    pub number_raw: Option<String>,
    /// The name the phone showed (cached name), if stored.
    pub name: Option<String>,
    /// The source's own type code, kept for the examiner (e.g. Android `type` 3).
    pub type_raw: Option<String>,
    pub video: bool,
    /// The handset's own line the call used, when recorded (e.g. `phone_account_address`).
    pub account: Option<String>,
    /// Extra participants of a group call.
    pub participants_raw: Vec<String>,
}

impl Call {
    pub fn new(origin: Origin, app: &'static str) -> Self {
        Call {
            origin,
            app,
            direction: Direction::Unknown,
            timestamp_ms: None,
            duration_s: None,
            number_raw: None,
            name: None,
            type_raw: None,
            video: false,
            account: None,
            participants_raw: Vec::new(),
        }
    }
}

/// A number the handset records as its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerNumber {
    pub origin: Origin,
    pub number_raw: String,
    /// How it was established, e.g. `message.destination_caller_id`.
    pub how: String,
}

/// A problem that did not stop the parse (a missing column, an unreadable row ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub message: String,
    /// Byte offset in the artifact, where the problem has one.
    pub offset: Option<u64>,
}

impl Warning {
    pub fn new(message: impl Into<String>) -> Self {
        Warning {
            message: message.into(),
            offset: None,
        }
    }
}

/// Everything a parser got out of one artifact.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParseOutput {
    pub messages: Vec<Message>,
    pub contacts: Vec<Contact>,
    pub calls: Vec<Call>,
    pub owners: Vec<OwnerNumber>,
    pub warnings: Vec<Warning>,
    /// Rows read per source table, for the artifacts table.
    pub table_counts: Vec<(String, u64)>,
}

impl ParseOutput {
    pub fn warn(&mut self, message: impl Into<String>) {
        self.warnings.push(Warning::new(message));
    }
    pub fn count(&mut self, table: &str, n: u64) {
        self.table_counts.push((table.to_string(), n));
    }
}

/// Cocoa (Mac absolute time, 2001-01-01) seconds or nanoseconds to Unix milliseconds.
/// iOS 11+ stores nanoseconds in sms.db; older versions and Core Data store seconds (float).
pub fn cocoa_to_unix_ms(v: f64) -> Option<i64> {
    if v == 0.0 || !v.is_finite() {
        return None;
    }
    const EPOCH_OFFSET_S: f64 = 978_307_200.0;
    // Anything beyond ~1e11 seconds (year 5000) must be nanoseconds.
    let secs = if v.abs() > 1e11 { v / 1e9 } else { v };
    Some(((secs + EPOCH_OFFSET_S) * 1000.0).round() as i64)
}

/// Render Unix milliseconds as ISO 8601 UTC with milliseconds and `Z`, independent of any zone.
pub fn iso_utc_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        y,
        m,
        d,
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60,
        millis
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_known_instants() {
        assert_eq!(iso_utc_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso_utc_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_utc_ms(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn cocoa_seconds_and_nanoseconds_agree() {
        // 2023-11-14T22:13:20Z is 721_692_800 s after 2001-01-01.
        assert_eq!(cocoa_to_unix_ms(721_692_800.0), Some(1_700_000_000_000));
        assert_eq!(cocoa_to_unix_ms(721_692_800.0e9), Some(1_700_000_000_000));
        assert_eq!(cocoa_to_unix_ms(0.0), None);
    }
}
