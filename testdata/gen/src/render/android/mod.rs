//! Android renderers: a handset's records into the databases of the Android system providers,
//! Google Messages and Samsung's logs provider, in the real schemas of several OS generations.
//!
//! Which generation renders what (`generation % 3`):
//!
//! | gen | profile | files |
//! |---|---|---|
//! | 0 | Pixel, Android 10+ | `mmssms.db` (AOSP, `sub_id`/`creator` columns), `bugle_db` (Google Messages), `contacts2.db` (accounts table, no calls), `calllog.db`, `telephony.db` (siminfo, Android 10+) |
//! | 1 | Samsung, One UI | as 0, but `mmssms.db` with Samsung's extra columns and its `spam_sms` table, plus `logs.db` (Samsung logs provider: calls and SMS copies) |
//! | 2 | Android 4.x | `mmssms.db` of the 4.x layout (no `sub_id`), `bugle_db` of the AOSP Messaging app (no Google columns), `contacts2.db` with account columns on `raw_contacts` and the legacy `calls` table (no `calllog.db`), `telephony.db` (siminfo, Android 5.1 layout) |
//!
//! Routing of records: `GApp::Sms` messages go to `mmssms.db` `sms`, `GApp::Mms` to `pdu`/`addr`/
//! `part`, `GApp::Rcs` to `bugle_db` (which in this generator holds RCS only: Google Messages'
//! copies of SMS/MMS are not rendered). Calls of every app but WhatsApp and iMessage are cellular
//! calls. Every contact goes to `contacts2.db`. `GState::WalOnly` records are committed only in the
//! `-wal`; `GState::Deleted` records are inserted and then deleted in the main file. MMS dates are
//! whole seconds (the `pdu.date` unit): the renderer stores `ts_ms / 1000`. An MMS gets a JPEG part
//! as well as its text when [`mms_image_name`] says so.
pub mod bugle;
pub mod calllog;
pub mod contacts;
pub mod mmssms;
pub mod samsung_logs;
pub mod telephony;

use crate::archive::DeviceFile;
use crate::world::{GApp, GMessage, GState, Handset};

/// The Android profile a generation renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Pixel / AOSP, Android 10 and later.
    Modern,
    /// Samsung One UI.
    Samsung,
    /// Android 4.x.
    Legacy,
}

impl Profile {
    pub fn of(generation: u32) -> Profile {
        match generation % 3 {
            0 => Profile::Modern,
            1 => Profile::Samsung,
            _ => Profile::Legacy,
        }
    }
    /// Credential-encrypted data of an app (`/data/data` is `/data/user/0`).
    pub fn ce(self, pkg: &str) -> String {
        format!("/data/data/{pkg}/databases")
    }
    /// Device-encrypted data (Android 7+ keeps the telephony and call log providers there).
    pub fn de(self, pkg: &str) -> String {
        match self {
            Profile::Legacy => format!("/data/data/{pkg}/databases"),
            _ => format!("/data/user_de/0/{pkg}/databases"),
        }
    }
}

pub const TELEPHONY_PKG: &str = "com.android.providers.telephony";
pub const CONTACTS_PKG: &str = "com.android.providers.contacts";
pub const MESSAGES_PKG: &str = "com.google.android.apps.messaging";
pub const SAMSUNG_LOGS_PKG: &str = "com.sec.android.provider.logsprovider";

/// Device paths of the databases a profile writes.
pub fn mmssms_path(p: Profile) -> String {
    format!("{}/mmssms.db", p.de(TELEPHONY_PKG))
}
pub fn telephony_path(p: Profile) -> String {
    format!("{}/telephony.db", p.de(TELEPHONY_PKG))
}
pub fn bugle_path(p: Profile) -> String {
    format!("{}/bugle_db", p.ce(MESSAGES_PKG))
}
pub fn contacts2_path(p: Profile) -> String {
    format!("{}/contacts2.db", p.ce(CONTACTS_PKG))
}
pub fn calllog_path(p: Profile) -> String {
    format!("{}/calllog.db", p.de(CONTACTS_PKG))
}
pub fn samsung_logs_path(p: Profile) -> String {
    format!("{}/logs.db", p.ce(SAMSUNG_LOGS_PKG))
}

/// Every Android database of a handset for a generation.
pub fn files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let p = Profile::of(generation);
    let mut out = Vec::new();
    super::push_db(&mut out, &mmssms_path(p), mmssms::render(h, p));
    super::push_db(&mut out, &bugle::path(p), bugle::render(h, p));
    super::push_db(&mut out, &contacts2_path(p), contacts::render(h, p));
    if p != Profile::Legacy {
        super::push_db(&mut out, &calllog_path(p), calllog::render(h, p));
    }
    if p == Profile::Samsung {
        super::push_db(&mut out, &samsung_logs_path(p), samsung_logs::render(h, p));
    }
    super::push_db(&mut out, &telephony_path(p), telephony::render(h, p));
    out
}

/// Whether a world call is a cellular call (rendered into the Android call log).
pub fn is_cellular_call(app: GApp) -> bool {
    !matches!(app, GApp::WhatsApp | GApp::IMessage)
}

/// The file name of the JPEG an MMS carries, if any (every MMS whose key is odd has one).
pub fn mms_image_name(m: &GMessage) -> Option<String> {
    (m.app == GApp::Mms && !m.key.is_multiple_of(2)).then(|| format!("IMG_{:05}.jpg", m.key))
}

/// Statements for the live (checkpointed) part and the WAL part of a database.
#[derive(Debug, Default)]
pub struct Stmts {
    pub live: Vec<String>,
    pub wal: Vec<String>,
    /// Deletes of `GState::Deleted` records, run after every live insert (as on a phone, where a
    /// text is deleted some time after it arrived): the freed cells are not reused at once, so
    /// their bytes survive for recovery, as they do on real handsets.
    pub deletes: Vec<String>,
}

impl Stmts {
    /// Route a record's statements by its state: live, WAL-only, or inserted then deleted.
    pub fn record(&mut self, state: GState, inserts: Vec<String>, deletes: Vec<String>) {
        match state {
            GState::Live => self.live.extend(inserts),
            GState::WalOnly => self.wal.extend(inserts),
            GState::Deleted => {
                self.live.extend(inserts);
                self.deletes.extend(deletes);
            }
        }
    }

    /// The main file's statements: live inserts, then the deletes.
    pub fn live_then_deletes(&mut self) -> Vec<String> {
        let mut v = std::mem::take(&mut self.live);
        v.append(&mut self.deletes);
        v
    }
}

/// SQL integer or NULL.
pub fn int_or_null(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "NULL".into())
}
