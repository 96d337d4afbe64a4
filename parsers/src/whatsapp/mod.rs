//! WhatsApp (and WhatsApp Business) on Android and iOS.
//!
//! Android: `msgstore.db` (messages, chats, groups, broadcast lists, calls) in every schema
//! generation still found on seized phones (legacy `messages`, modern `message` + `chat` + `jid`,
//! transitional databases holding both, LID chats mapped through `jid_map`), `wa.db`
//! (`wa_contacts`), and the account's own number from the shared-preferences XML
//! (`registration_jid`, `cc` + `ph`) and `files/me` (serialized `com.whatsapp.Me`).
//! iOS: `ChatStorage.sqlite`, `ContactsV2.sqlite`, `CallHistory.sqlite`, `LID.sqlite` and the
//! preferences plist (`OwnJabberID`) in the app group container
//! (`/private/var/mobile/Containers/Shared/AppGroup/<UUID>/`, any UUID).
//!
//! Numbers are kept as the JIDs the app stores (`447700900123@s.whatsapp.net`); group (`@g.us`)
//! and broadcast (`@broadcast`, `status@broadcast`) JIDs are conversation identities
//! (`thread_id`), never numbers. A LID (`@lid`) is not a number: on Android it is mapped through
//! `jid_map` inside msgstore.db; on iOS the map is in the separate `LID.sqlite`, so ChatStorage
//! and CallHistory keep LIDs (with a warning) until the caller applies
//! [`ios::resolve_lids`] with [`ios::lid_map`] of the same container's `LID.sqlite`.
//!
//! Decisions: system messages (group events, security notices) are KEPT, with the flag
//! `system`; status updates get the flag `status`; broadcast-list sends the flag
//! `broadcast_list` with the list JID as `thread_id` and the recipients in `recipients_raw`;
//! messages deleted for everyone `deleted_for_everyone`; edited messages `edited` (Android).
use crate::registry::ArtifactSpec;

pub mod android;
pub mod ios;
pub mod javaser;
pub mod plist;

/// What kind of party or conversation a JID names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JidKind {
    /// A user by phone number (`...@s.whatsapp.net`, old `...@c.us`).
    User,
    /// A user by LID (`...@lid`): not a phone number.
    Lid,
    /// A group chat (`...@g.us`).
    Group,
    /// A broadcast list (`<id>@broadcast`).
    BroadcastList,
    /// Status updates (`status@broadcast`).
    Status,
    /// Anything else (channels `@newsletter`, sentinels such as `-1`, ...).
    Other,
}

pub fn jid_kind(jid: &str) -> JidKind {
    let j = jid.trim().to_ascii_lowercase();
    if j == "status@broadcast" {
        JidKind::Status
    } else if j.ends_with("@broadcast") {
        JidKind::BroadcastList
    } else if j.ends_with("@g.us") {
        JidKind::Group
    } else if j.ends_with("@lid") {
        JidKind::Lid
    } else if j.ends_with("@s.whatsapp.net") || j.ends_with("@c.us") {
        JidKind::User
    } else {
        JidKind::Other
    }
}

/// A user JID without its device/agent part (`447700900123:12@s.whatsapp.net` ->
/// `447700900123@s.whatsapp.net`); other JIDs unchanged.
pub fn base_jid(jid: &str) -> String {
    match jid_kind(jid) {
        JidKind::User | JidKind::Lid => match jid.split_once('@') {
            Some((user, server)) => {
                let u = user.split([':', '.']).next().unwrap_or(user);
                format!("{u}@{server}")
            }
            None => jid.to_string(),
        },
        _ => jid.to_string(),
    }
}

/// `WhatsApp Business` for the Business app's paths, else `WhatsApp`.
pub fn service_name(path: &str) -> &'static str {
    if path.contains("com.whatsapp.w4b") || path.contains("WhatsAppSMB") {
        "WhatsApp Business"
    } else {
        "WhatsApp"
    }
}

/// The whatsapp parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[
    ArtifactSpec {
        parser: "whatsapp.android.msgstore",
        description: "WhatsApp / WhatsApp Business msgstore.db: messages (legacy, modern, transitional, LID), groups, broadcast lists, calls",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.whatsapp(?:\.w4b)?/databases/msgstore\.db$",
        sqlite: true,
        parse: android::parse_msgstore,
    },
    ArtifactSpec {
        parser: "whatsapp.android.wa",
        description: "WhatsApp / WhatsApp Business wa.db: wa_contacts",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.whatsapp(?:\.w4b)?/databases/wa\.db$",
        sqlite: true,
        parse: android::parse_wa,
    },
    ArtifactSpec {
        parser: "whatsapp.android.prefs",
        description: "WhatsApp / WhatsApp Business shared preferences: the account's own number",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.whatsapp(?:\.w4b)?/shared_prefs/(?:com\.whatsapp(?:\.w4b)?_preferences(?:_light)?|RegisterPhone)\.xml$",
        sqlite: false,
        parse: android::parse_prefs,
    },
    ArtifactSpec {
        parser: "whatsapp.android.me",
        description: "WhatsApp / WhatsApp Business files/me: the registered account (serialized com.whatsapp.Me)",
        pattern: r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/com\.whatsapp(?:\.w4b)?/files/me$",
        sqlite: false,
        parse: android::parse_me,
    },
    ArtifactSpec {
        parser: "whatsapp.ios.chatstorage",
        description: "WhatsApp / WhatsApp Business iOS ChatStorage.sqlite: messages, groups, broadcast lists",
        pattern: r"^/private/var/mobile/Containers/Shared/AppGroup/[^/]+/ChatStorage\.sqlite$",
        sqlite: true,
        parse: ios::parse_chatstorage,
    },
    ArtifactSpec {
        parser: "whatsapp.ios.contacts",
        description: "WhatsApp / WhatsApp Business iOS ContactsV2.sqlite: ZWAADDRESSBOOKCONTACT",
        pattern: r"^/private/var/mobile/Containers/Shared/AppGroup/[^/]+/ContactsV2\.sqlite$",
        sqlite: true,
        parse: ios::parse_contacts,
    },
    ArtifactSpec {
        parser: "whatsapp.ios.callhistory",
        description: "WhatsApp / WhatsApp Business iOS CallHistory.sqlite: ZWACDCALLEVENT and participants",
        pattern: r"^/private/var/mobile/Containers/Shared/AppGroup/[^/]+/CallHistory\.sqlite$",
        sqlite: true,
        parse: ios::parse_callhistory,
    },
    ArtifactSpec {
        parser: "whatsapp.ios.lid",
        description: "WhatsApp / WhatsApp Business iOS LID.sqlite: LID -> phone-number pairs (contacts keyed by LID)",
        pattern: r"^/private/var/mobile/Containers/Shared/AppGroup/[^/]+/LID\.sqlite$",
        sqlite: true,
        parse: ios::parse_lid,
    },
    ArtifactSpec {
        parser: "whatsapp.ios.prefs",
        description: "WhatsApp / WhatsApp Business iOS preferences plist: the account's own JID (OwnJabberID)",
        pattern: r"^/private/var/mobile/Containers/(?:Shared/AppGroup/[^/]+/Library/Preferences/group\.net\.whatsapp\.(?:WhatsApp|WhatsAppSMB)\.shared|Data/Application/[^/]+/Library/Preferences/net\.whatsapp\.(?:WhatsApp|WhatsAppSMB))\.plist$",
        sqlite: false,
        parse: ios::parse_prefs,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(jid_kind("447700900123@s.whatsapp.net"), JidKind::User);
        assert_eq!(jid_kind("120363000000000001@g.us"), JidKind::Group);
        assert_eq!(jid_kind("status@broadcast"), JidKind::Status);
        assert_eq!(jid_kind("1700000000@broadcast"), JidKind::BroadcastList);
        assert_eq!(jid_kind("98765432101234@lid"), JidKind::Lid);
        assert_eq!(jid_kind("-1"), JidKind::Other);
        assert_eq!(
            base_jid("447700900123:12@s.whatsapp.net"),
            "447700900123@s.whatsapp.net"
        );
    }

    #[test]
    fn patterns_match_both_apps() {
        let pat = |name: &str| {
            let spec = SPECS.iter().find(|s| s.parser == name).unwrap();
            regex::Regex::new(spec.pattern).unwrap()
        };
        let re = pat("whatsapp.android.msgstore");
        assert!(re.is_match("/data/data/com.whatsapp/databases/msgstore.db"));
        assert!(re.is_match("/data/user/0/com.whatsapp.w4b/databases/msgstore.db"));
        assert!(!re.is_match("/data/data/com.whatsapp/databases/msgstore.db.crypt14"));
        let re = pat("whatsapp.ios.chatstorage");
        assert!(re.is_match(
            "/private/var/mobile/Containers/Shared/AppGroup/B651B3B1-8FA4-4FD9-B0E4-C6F8F8EBC5FD/ChatStorage.sqlite"
        ));
        let re = pat("whatsapp.ios.prefs");
        assert!(re.is_match("/private/var/mobile/Containers/Shared/AppGroup/X/Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist"));
        assert!(re.is_match("/private/var/mobile/Containers/Data/Application/Y/Library/Preferences/net.whatsapp.WhatsApp.plist"));
        let re = pat("whatsapp.android.me");
        assert!(re.is_match("/data/user/0/com.whatsapp/files/me"));
        assert!(!re.is_match("/data/user/0/com.whatsapp/files/me.bak"));
        // Parser names are unique.
        let mut names: Vec<_> = SPECS.iter().map(|s| s.parser).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), SPECS.len());
    }
}
