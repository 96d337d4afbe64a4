//! Canonical evidence paths.
//!
//! Extractions put the same file under different prefixes: Cellebrite Android zips use `Dump/`,
//! Cellebrite iOS zips `filesystem1/` (the root) and `filesystem2/` (`/private/var`), Magnet-style
//! zips start members with `/`, tars hold `private/var/...` or `data/data/...`, and examiners add
//! their own top folders. [`canonical`] maps all of them to one absolute device path so that each
//! parser's rules are written once against the device's own layout. It is a pure string function:
//! nothing here is ever used as a file-system path.

/// Map a path inside an exhibit (already decoded, lossily if need be) to the device path.
///
/// The result always starts with `/`, uses `/` separators, has no empty or `.` segments, and
/// keeps `..` segments verbatim (they are never resolved: a crafted name stays visibly odd).
pub fn canonical(raw: &str) -> String {
    let segs: Vec<&str> = raw
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let start = anchor(&segs);
    let (prefix, rest): (&[&str], &[&str]) = match start {
        Some(Anchor::Keep(i)) => (&[], &segs[i..]),
        Some(Anchor::PrivateVar(i)) => (&["private", "var"], &segs[i..]),
        Some(Anchor::Private(i)) => (&["private"], &segs[i..]),
        None => (&[], &segs[..]),
    };
    let mut out = String::with_capacity(raw.len() + 12);
    for s in prefix.iter().chain(rest.iter()) {
        out.push('/');
        out.push_str(s);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

enum Anchor {
    /// The device path starts at this segment.
    Keep(usize),
    /// This segment is inside `/private/var` (Cellebrite `filesystem2/`).
    PrivateVar(usize),
    /// This segment is inside `/private` (`var/mobile/...` without the `/private` symlink target).
    Private(usize),
}

const ANDROID_DATA_CHILDREN: &[&str] = &[
    "data",
    "user",
    "user_de",
    "media",
    "system",
    "system_ce",
    "system_de",
    "misc",
    "misc_ce",
    "misc_de",
    "app",
];

fn anchor(segs: &[&str]) -> Option<Anchor> {
    for i in 0..segs.len() {
        let s = segs[i];
        let next = segs.get(i + 1).copied();
        match s {
            "private" if next == Some("var") => return Some(Anchor::Keep(i)),
            "var" if matches!(next, Some("mobile") | Some("root") | Some("containers")) => {
                return Some(Anchor::Private(i))
            }
            "filesystem2" if i + 1 < segs.len() && !is_android_root(&segs[i + 1..]) => {
                return Some(Anchor::PrivateVar(i + 1))
            }
            "data" if next.is_some_and(|n| ANDROID_DATA_CHILDREN.contains(&n)) => {
                return Some(Anchor::Keep(i))
            }
            "data_mirror" | "sdcard" | "storage" => return Some(Anchor::Keep(i)),
            _ => {}
        }
    }
    None
}

fn is_android_root(rest: &[&str]) -> bool {
    rest.first() == Some(&"data") || rest.first() == Some(&"private")
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn layouts_map_to_device_paths() {
        let sms = "/data/data/com.android.providers.telephony/databases/mmssms.db";
        for raw in [
            "Dump/data/data/com.android.providers.telephony/databases/mmssms.db",
            "/data/data/com.android.providers.telephony/databases/mmssms.db",
            "data/data/com.android.providers.telephony/databases/mmssms.db",
            "Case 12\\Extraction\\data\\data\\com.android.providers.telephony\\databases\\mmssms.db",
            "./data/data//com.android.providers.telephony/databases/mmssms.db",
        ] {
            assert_eq!(canonical(raw), sms, "{raw}");
        }
        let ios = "/private/var/mobile/Library/SMS/sms.db";
        for raw in [
            "filesystem2/mobile/Library/SMS/sms.db",
            "filesystem1/private/var/mobile/Library/SMS/sms.db",
            "/private/var/mobile/Library/SMS/sms.db",
            "private/var/mobile/Library/SMS/sms.db",
            "var/mobile/Library/SMS/sms.db",
            "extraction/iPhone/private/var/mobile/Library/SMS/sms.db",
        ] {
            assert_eq!(canonical(raw), ios, "{raw}");
        }
        assert_eq!(
            canonical("data/user/10/com.whatsapp/databases/msgstore.db"),
            "/data/user/10/com.whatsapp/databases/msgstore.db"
        );
    }

    #[test]
    fn odd_names_stay_odd() {
        assert_eq!(canonical(""), "/");
        assert_eq!(canonical("../../etc/passwd"), "/../../etc/passwd");
        assert_eq!(canonical("a/./b"), "/a/b");
    }
}
