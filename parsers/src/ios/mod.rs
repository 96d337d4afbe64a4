//! iOS artifacts.
use crate::registry::ArtifactSpec;

pub mod addressbook;
pub mod common;
pub mod sms;
pub mod typedstream;

/// The iOS parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[
    ArtifactSpec {
        parser: "ios.sms",
        description: "iOS Messages (SMS, MMS, iMessage, RCS): message, handle, chat, attachment",
        pattern: r"^/private/var/mobile/Library/SMS/sms\.db$",
        sqlite: true,
        parse: sms::parse,
    },
    ArtifactSpec {
        parser: "ios.addressbook",
        description: "iOS Contacts: ABPerson with ABMultiValue phone numbers and email addresses",
        pattern: r"^/private/var/mobile/Library/AddressBook/AddressBook\.sqlitedb$",
        sqlite: true,
        parse: addressbook::parse,
    },
];
