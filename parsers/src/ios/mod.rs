//! iOS artifacts.
use crate::registry::ArtifactSpec;

pub mod common;
pub mod sms;
pub mod typedstream;

/// The iOS parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[ArtifactSpec {
    parser: "ios.sms",
    description: "iOS Messages (SMS, MMS, iMessage, RCS): message, handle, chat, attachment",
    pattern: r"^/private/var/mobile/Library/SMS/sms\.db$",
    sqlite: true,
    parse: sms::parse,
}];
