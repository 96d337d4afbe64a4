//! The case in memory: every exhibit, artifact and record of a run, in a fixed order, with the
//! deterministic ids of the output contract. Analysis fills in the derived columns; export writes
//! it out.
use linesift_parsers::{Call, Contact, Message, OwnerNumber, Warning};
use serde::Serialize;

use crate::evidence::hash::{sha256_hex, Digests};

/// A deterministic id: a letter and the first 15 hex digits of SHA-256 over the parts.
pub fn make_id(prefix: char, parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(p);
        s.push('\u{1f}');
    }
    format!("{prefix}{}", &sha256_hex(s.as_bytes())[..15])
}

#[derive(Debug, Clone, Serialize)]
pub struct ExhibitRec {
    pub exhibit_id: String,
    pub label: String,
    /// Absolute path of the exhibit as read.
    pub path: String,
    pub container: String,
    pub size: u64,
    pub mtime: Option<i64>,
    pub digests: Digests,
    pub entry_count: u64,
    /// `ok`, `warnings` or `failed`.
    pub status: String,
    pub problems: Vec<String>,
    /// The exhibit_id of an earlier exhibit with the same SHA-256.
    pub duplicate_of: Option<String>,
    /// `android`, `ios` or `unknown` (from the artifacts found).
    pub os: String,
    /// Owner numbers (E.164 where possible) with how each was established.
    pub owner_numbers: Vec<(String, String)>,
    /// Folder exhibits: (relative path, sha256, size) of every file.
    #[serde(skip)]
    pub file_list: Option<Vec<(String, String, u64)>>,
    /// Output-relative path of the per-file hash list, for folder exhibits.
    pub file_list_path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRef {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactRec {
    pub artifact_id: String,
    pub exhibit: usize,
    /// The entry's name inside the exhibit, as stored.
    pub path: String,
    /// The device path it stands for.
    pub device_path: String,
    pub parser: String,
    pub size: u64,
    pub sha256: String,
    pub wal: Option<FileRef>,
    pub journal: Option<FileRef>,
    /// Other storage views holding identical bytes (parsed once, here).
    pub also_at: Vec<String>,
    /// `parsed`, `parsed_with_warnings`, `failed` or `duplicate`.
    pub status: String,
    pub detail: String,
    pub table_counts: Vec<(String, u64)>,
    pub warnings: Vec<Warning>,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rec<T> {
    pub id: String,
    pub exhibit: usize,
    pub artifact: usize,
    pub rec: T,
}

/// Derived number columns of a message.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MsgNumbers {
    pub sender_e164: Option<String>,
    pub recipients_e164: Vec<String>,
    /// Numbers quoted in the body (E.164).
    pub body_numbers: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Case {
    pub exhibits: Vec<ExhibitRec>,
    pub artifacts: Vec<ArtifactRec>,
    pub messages: Vec<Rec<Message>>,
    pub message_numbers: Vec<MsgNumbers>,
    /// For a message that repeats one held by a more authoritative database of the same exhibit:
    /// that message's id (see `analysis::dedupe`).
    pub message_duplicate_of: Vec<Option<String>>,
    pub contacts: Vec<Rec<Contact>>,
    pub contact_e164: Vec<Option<String>>,
    pub calls: Vec<Rec<Call>>,
    pub call_e164: Vec<Option<String>>,
    pub call_duplicate_of: Vec<Option<String>>,
    pub owners: Vec<Rec<OwnerNumber>>,
    /// Every phone number per exhibit (see `analysis::people::number_table`).
    pub numbers: Vec<crate::analysis::people::NumberRow>,
    /// Broadcasts, verdicts, line links and lines.
    pub dealline: crate::analysis::broadcast::DealLineReport,
    /// `broadcast_messages` rows: (broadcast_id, message_id).
    pub broadcast_message_ids: Vec<(String, String)>,
    /// Run-level problems (exhibit or artifact), in order: (exhibit label, file, reason).
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// `warning` or `error`.
    pub severity: &'static str,
    pub exhibit: String,
    pub file: Option<String>,
    pub offset: Option<u64>,
    pub reason: String,
}

impl Case {
    pub fn warning_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == "warning")
            .count()
    }
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == "error")
            .count()
    }
}
