//! Android artifacts: the telephony provider (SMS/MMS, SIM info), Google Messages, the contacts
//! provider (contacts and call log) and Samsung's logs provider.
//!
//! Every parser follows the same shape: build the in-memory image, look at which of its known
//! tables exist (none of them is [`ParseError::UnknownSchema`] naming the tables and
//! `user_version`), read each table with `select_warn` (a missing column is NULL plus a warning)
//! and map every row through a function over [`crate::sqlite::RowData`] plus lookup maps, so that
//! rows recovered later by the page reader can go through the same code. Output is ordered by
//! table, then rowid.
use crate::registry::{ArtifactSpec, DbInput};
use crate::sqlite::DbImage;
use crate::{ParseError, ParseOutput};

pub mod bugle;
pub mod calllog;
pub mod contacts2;
pub mod mmssms;
pub mod samsung_logs;
pub mod telephony;

/// The android parsers with their path rules. Every pattern starts with
/// [`crate::registry::ANDROID_DATA`] (spelled out: consts cannot be concatenated).
pub const SPECS: &[ArtifactSpec] = &[
    ArtifactSpec {
        parser: "android.mmssms",
        description: "Android telephony provider mmssms.db: SMS (sms, Samsung spam_sms) and MMS (pdu, addr, part)",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.(?:android|samsung\.android)\.providers\.telephony/databases/mmssms\.db$",
        sqlite: true,
        parse: mmssms::parse,
    },
    ArtifactSpec {
        parser: "android.bugle",
        description: "Google Messages (and AOSP Messaging) bugle_db: SMS, MMS and RCS messages with participants and conversations",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.(?:google\.android\.apps|android)\.messaging/databases/bugle_db$",
        sqlite: true,
        parse: bugle::parse,
    },
    ArtifactSpec {
        parser: "android.contacts2",
        description: "Android contacts provider contacts2.db: phone numbers and emails of raw contacts, and the legacy calls table",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.android\.providers\.contacts/databases/contacts2\.db$",
        sqlite: true,
        parse: contacts2::parse,
    },
    ArtifactSpec {
        parser: "android.calllog",
        description: "Android call log calllog.db (Android 7+): calls, with the handset's own line from phone_account_address",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.android\.providers\.contacts/databases/calllog\.db$",
        sqlite: true,
        parse: calllog::parse,
    },
    ArtifactSpec {
        parser: "android.samsung_logs",
        description: "Samsung logs provider logs.db: calls (logtype 100) and SMS/MMS log copies (logtype 300/200)",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.sec\.android\.provider\.logsprovider/databases/logs\.db$",
        sqlite: true,
        parse: samsung_logs::parse,
    },
    ArtifactSpec {
        parser: "android.telephony",
        description: "Android telephony provider telephony.db siminfo: the SIMs' own numbers",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.(?:android|samsung\.android)\.providers\.telephony/databases/telephony\.db$",
        sqlite: true,
        parse: telephony::parse,
    },
];

/// Build the image and an output that already carries the image's own warnings.
pub(crate) fn open(input: &DbInput<'_>) -> Result<(DbImage, ParseOutput), ParseError> {
    let img = DbImage::open_input(input)?;
    let mut out = ParseOutput::default();
    out.warnings.extend(img.warnings.iter().cloned());
    if input.journal.is_some_and(|j| !j.is_empty()) {
        out.warn(
            "a -journal companion is present; it was not applied (the main file is read as is)",
        );
    }
    Ok((img, out))
}

/// `UnknownSchema` unless at least one of `known` tables exists.
pub(crate) fn require_any(img: &DbImage, known: &[&str]) -> Result<(), ParseError> {
    if known.iter().any(|t| img.has_table(t)) {
        Ok(())
    } else {
        Err(ParseError::UnknownSchema(format!(
            "none of the tables {} found; {}",
            known.join(", "),
            img.schema_summary()
        )))
    }
}

/// Read a table of an artifact that has several: a table SQLite cannot read (damaged pages)
/// becomes a warning and `None`, so that the other tables still come out.
pub(crate) fn read_table(
    img: &DbImage,
    out: &mut ParseOutput,
    table: &str,
    cols: &[&str],
) -> Option<crate::sqlite::TableRows> {
    match img.select_warn(out, table, cols) {
        Ok(t) => Some(t),
        Err(e) => {
            out.warn(format!(
                "table {table} unreadable, its records are missing: {e}"
            ));
            None
        }
    }
}

/// The error for an artifact none of whose main tables could be read.
pub(crate) fn all_unreadable(failed: &[&str]) -> ParseError {
    ParseError::Corrupt(format!("tables {} unreadable", failed.join(", ")))
}

/// Whether a stored string looks like a phone number (digits with the usual punctuation, at
/// least 3 digits), as opposed to an email, a SIP URI or an alphanumeric id.
pub(crate) fn looks_like_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 3
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-().#*".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::ANDROID_DATA;

    #[test]
    fn patterns_use_the_storage_views() {
        for s in SPECS {
            assert!(s.pattern.starts_with(ANDROID_DATA), "{}", s.parser);
            let re = regex::Regex::new(s.pattern).unwrap();
            let tail = s.pattern[ANDROID_DATA.len()..]
                .trim_end_matches('$')
                .replace(r"\.", ".")
                .replace("com.(?:android|samsung.android)", "com.android")
                .replace("com.(?:google.android.apps|android)", "com.android");
            for view in [
                "/data/data/",
                "/data/user/0/",
                "/data/user_de/10/",
                "/data_mirror/data_ce/null/0/",
                "/data_mirror/data_de/null/0/",
            ] {
                let p = format!("{view}{tail}");
                assert!(re.is_match(&p), "{} should match {p}", s.parser);
                assert!(!re.is_match(&format!("{p}-wal")));
            }
        }
    }

    #[test]
    fn phone_shapes() {
        assert!(looks_like_phone("+44 7700 900123"));
        assert!(looks_like_phone("(0113) 496-0000"));
        assert!(!looks_like_phone("someone@example.com"));
        assert!(!looks_like_phone("E0:22"));
        assert!(!looks_like_phone(""));
    }
}
