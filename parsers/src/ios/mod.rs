//! iOS artifacts.
use crate::registry::ArtifactSpec;

pub mod addressbook;
pub mod callhistory;
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
    ArtifactSpec {
        parser: "ios.callhistory",
        description: "iOS call log (iOS 8+): ZCALLRECORD of CallHistory.storedata / CallHistoryTemp.storedata",
        pattern: r"^/private/var/mobile/Library/CallHistoryDB/CallHistory(?:Temp)?\.storedata$",
        sqlite: true,
        parse: callhistory::parse,
    },
    ArtifactSpec {
        parser: "ios.call_history_legacy",
        description: "iOS call log before iOS 8: call table of call_history.db",
        pattern: r"^/private/var/wireless/Library/CallHistory/call_history\.db$",
        sqlite: true,
        parse: callhistory::parse_legacy,
    },
];
