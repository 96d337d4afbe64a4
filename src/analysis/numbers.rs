//! Number normalisation (E.164) and number kinds.
//!
//! Every raw address seen in messages, contacts and calls goes through [`Normaliser::normalise`],
//! which gives an E.164 form (when the raw string is a phone number) and a [`NumberKind`].
//! A raw string that is not a phone number — or a phone number that does not validate — is never
//! dropped or rewritten: it keeps its raw form and gets an empty E.164.
//!
//! Rules, in order (all deterministic; the result depends only on the raw string and the region):
//! 1. Invisible formatting characters (bidi marks, zero-width spaces, BOM) are removed, non-breaking
//!    and other Unicode spaces count as spaces, and the string is trimmed.
//! 2. Empty strings, Android's caller markers (`-1` unknown, `-2` private, `-3` payphone), words
//!    like `unknown`, `private`, `withheld` and the MMS placeholder `insert-address-token` are
//!    kind `unknown`.
//! 3. `tel:`/`sms:`/`smsto:` URIs lose their scheme and parameters; `mailto:` URIs are emails.
//! 4. Strings with `@`: WhatsApp user JIDs (`…@s.whatsapp.net`, `…@c.us`, device suffixes such as
//!    `:12` ignored) are international numbers without the `+`; group, broadcast and newsletter
//!    JIDs (`@g.us`, `@broadcast`, `@newsletter`) are kind `group`; `@lid` (WhatsApp's hidden
//!    linked ids) and other JIDs are `unknown`; anything else shaped like `local@domain.tld` is an
//!    `email` (iMessage handles).
//! 5. Strings with letters (and fewer than 7 digits, at most 16 characters) are `alphanumeric`
//!    sender ids (`HSBC`, `DPD`, `Vodafone`).
//! 6. Digit strings (separators: spaces, `-`, `.`, `/`, parentheses; `+44 (0)` trunk zero
//!    removed; anything after a dialler pause `,`/`;` ignored): 3–6 digits without a leading `0`
//!    or `+` are `shortcode`s (61999, 85075, 999, 101); strings with `*`/`#` (feature codes) or
//!    more than 17 digits are `unknown`.
//! 7. UK numbers (`+44…`, `0044…`/`44…` and national `0…` when the region is GB) are decided by
//!    the shape of the Ofcom numbering plan, without the library: national significant number
//!    `7[1-57-9]` + 8 digits or `7624` + 6 digits → `mobile`; `1` or `2` + 9 digits → `landline`.
//!    This is deliberate: libphonenumber's metadata lags allocations and rejects Ofcom's reserved
//!    drama ranges (07700 900xxx, 0113 496 0xxx, 020 7946 0xxx), which are real-shaped numbers.
//!    In GB, a digit string of 7+ digits with neither a trunk `0` nor an international prefix
//!    (`7700900123`, `2025550143`) is not guessed at: kept raw, kind `unknown`.
//! 8. Everything else goes to the `phonenumber` crate with the default region; a number it
//!    validates gets its E.164 form and a kind from its type (`mobile`, `landline`,
//!    `fixed_or_mobile` where the plan does not tell them apart, e.g. +1, or `other` for freephone,
//!    premium, VoIP, personal and non-geographic numbers). A number it does not validate keeps an
//!    empty E.164 and kind `unknown`.
//!
//! The library costs microseconds per call and serialises threads on an internal lock, so
//! results are memoised per distinct raw string in a sharded cache (64 shards, read-mostly
//! `RwLock`s) and the common unambiguous forms above never reach the library.

mod extract;
mod twins;

pub use extract::BodyNumber;
pub use twins::{
    body_hash, infer_owners_by_twins, InferredOwner, TwinFact, TWIN_MIN_PAIRS, TWIN_WINDOW_MS,
};

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use phonenumber::country;
use phonenumber::{Mode, Type};

/// What a raw address is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberKind {
    /// A mobile number (also pagers).
    Mobile,
    /// A geographic fixed-line number.
    Landline,
    /// A valid number in a plan where fixed and mobile share ranges (e.g. the US, +1).
    FixedOrMobile,
    /// A valid number that is neither mobile nor geographic: freephone, premium rate, shared
    /// cost, VoIP, personal numbering, non-geographic (UK 03), voicemail access.
    Other,
    /// A network short code (61999, 85075, 999, 101); never given an E.164 form.
    Shortcode,
    /// An alphanumeric sender id (HSBC, DPD, Vodafone); never given an E.164 form.
    Alphanumeric,
    /// An email address (iMessage handles, `mailto:`).
    Email,
    /// A WhatsApp group, broadcast list or newsletter id: a conversation, not a number.
    Group,
    /// Anything else, including numbers that do not validate (kept raw).
    Unknown,
}

impl NumberKind {
    /// The stable name used in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Mobile => "mobile",
            NumberKind::Landline => "landline",
            NumberKind::FixedOrMobile => "fixed_or_mobile",
            NumberKind::Other => "other",
            NumberKind::Shortcode => "shortcode",
            NumberKind::Alphanumeric => "alphanumeric",
            NumberKind::Email => "email",
            NumberKind::Group => "group",
            NumberKind::Unknown => "unknown",
        }
    }

    /// True for kinds that are telephone numbers with an E.164 form.
    pub fn is_phone(self) -> bool {
        matches!(
            self,
            NumberKind::Mobile
                | NumberKind::Landline
                | NumberKind::FixedOrMobile
                | NumberKind::Other
        )
    }
}

impl std::fmt::Display for NumberKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of normalising one raw address. Cheap to clone (an `Arc<str>` and a tag).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Norm {
    /// `+` and digits; `None` when the raw string is not a (valid) phone number.
    pub e164: Option<Arc<str>>,
    pub kind: NumberKind,
}

impl Norm {
    fn none(kind: NumberKind) -> Self {
        Norm { e164: None, kind }
    }
    fn phone(e164: String, kind: NumberKind) -> Self {
        Norm {
            e164: Some(Arc::from(e164)),
            kind,
        }
    }
    /// The E.164 form, or `""` when there is none (the output contract's empty `*_e164`).
    pub fn e164_str(&self) -> &str {
        self.e164.as_deref().unwrap_or("")
    }
}

/// Error for an unknown region code.
#[derive(Debug, thiserror::Error)]
#[error("unknown region {0:?}: expected an ISO 3166 alpha-2 code such as GB")]
pub struct RegionError(pub String);

const SHARDS: usize = 64;
/// Per-shard entry cap (about 4 million entries in all); beyond it results are computed, not kept.
const SHARD_CAP: usize = 1 << 16;
/// Raw strings longer than this are not addresses and are not cached.
const MAX_RAW: usize = 256;

#[repr(align(128))]
struct Shard(RwLock<HashMap<Box<str>, Norm>>);

/// Thread-safe, memoising number normaliser for one default region.
pub struct Normaliser {
    region: country::Id,
    region_code: String,
    gb: bool,
    shards: Box<[Shard]>,
}

impl Default for Normaliser {
    /// The default region, GB.
    fn default() -> Self {
        Normaliser::new("GB").expect("GB is a known region")
    }
}

impl std::fmt::Debug for Normaliser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normaliser")
            .field("region", &self.region_code)
            .field("cached", &self.cached_len())
            .finish()
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Normaliser {
    /// A normaliser whose national (non-`+`) numbers are read in `region` (ISO 3166 alpha-2,
    /// case-insensitive, e.g. `GB`).
    pub fn new(region: &str) -> Result<Self, RegionError> {
        let code = region.trim().to_ascii_uppercase();
        let id: country::Id = code.parse().map_err(|_| RegionError(region.to_string()))?;
        let shards = (0..SHARDS)
            .map(|_| Shard(RwLock::new(HashMap::new())))
            .collect::<Vec<_>>()
            .into_boxed_slice();
        Ok(Normaliser {
            region: id,
            gb: code == "GB",
            region_code: code,
            shards,
        })
    }

    /// The default region code (upper case).
    pub fn region(&self) -> &str {
        &self.region_code
    }

    /// Number of distinct raw strings memoised so far.
    pub fn cached_len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.0.read().map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    /// Normalise one raw address (memoised; safe to call from many threads).
    pub fn normalise(&self, raw: &str) -> Norm {
        if raw.len() > MAX_RAW {
            return Norm::none(NumberKind::Unknown);
        }
        let shard = &self.shards[(fnv1a(raw.as_bytes()) >> 58) as usize % SHARDS].0;
        if let Ok(map) = shard.read() {
            if let Some(n) = map.get(raw) {
                return n.clone();
            }
        }
        let n = self.classify(raw);
        if let Ok(mut map) = shard.write() {
            if map.len() < SHARD_CAP {
                map.entry(Box::from(raw)).or_insert_with(|| n.clone());
            }
        }
        n
    }

    /// The uncached rules (see the module documentation).
    pub fn classify(&self, raw: &str) -> Norm {
        if raw.len() > MAX_RAW {
            return Norm::none(NumberKind::Unknown);
        }
        let s = clean_text(raw);
        let s = s.trim();
        if s.is_empty() || s.len() > MAX_RAW || is_marker(s) {
            return Norm::none(NumberKind::Unknown);
        }
        let mut s = s;
        if let Some(rest) = strip_prefix_ci(s, "mailto:") {
            return if is_email(rest.trim()) {
                Norm::none(NumberKind::Email)
            } else {
                Norm::none(NumberKind::Unknown)
            };
        }
        for scheme in ["tel:", "sms:", "smsto:", "mms:", "mmsto:"] {
            if let Some(rest) = strip_prefix_ci(s, scheme) {
                let rest = rest.split([';', '?']).next().unwrap_or("").trim();
                s = rest.trim_start_matches('/');
                if s.is_empty() {
                    return Norm::none(NumberKind::Unknown);
                }
                break;
            }
        }
        if s.contains('@') {
            return self.at_address(s);
        }
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        if s.chars().any(char::is_alphabetic) {
            return if digits < 7 && s.chars().count() <= 16 && !s.chars().any(char::is_control) {
                Norm::none(NumberKind::Alphanumeric)
            } else {
                Norm::none(NumberKind::Unknown)
            };
        }
        self.digits(s)
    }

    fn at_address(&self, s: &str) -> Norm {
        let (user, server) = match s.rsplit_once('@') {
            Some(p) => p,
            None => return Norm::none(NumberKind::Unknown),
        };
        let server_l = server.trim().to_ascii_lowercase();
        match server_l.as_str() {
            "s.whatsapp.net" | "c.us" | "whatsapp.net" => {
                let user = user.trim();
                let n = user.bytes().take_while(u8::is_ascii_digit).count();
                let rest = &user[n..];
                if (7..=15).contains(&n)
                    && (rest.is_empty() || rest.starts_with(':') || rest.starts_with('.'))
                {
                    let d = &user[..n];
                    return self.international(d);
                }
                Norm::none(NumberKind::Unknown)
            }
            "g.us" | "broadcast" | "newsletter" => Norm::none(NumberKind::Group),
            "lid" | "temp" | "call" | "bot" | "hosted" | "hosted.lid" => {
                Norm::none(NumberKind::Unknown)
            }
            _ if is_email(s) => Norm::none(NumberKind::Email),
            _ => Norm::none(NumberKind::Unknown),
        }
    }

    /// A string with no letters and no `@`.
    fn digits(&self, s: &str) -> Norm {
        // Dialler pauses/waits: the number is what precedes them.
        let s = s.split([',', ';']).next().unwrap_or("").trim();
        let mut plus = false;
        let mut seen_digit = false;
        let mut d = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '0'..='9' => {
                    seen_digit = true;
                    d.push(c);
                }
                '+' if !plus && !seen_digit => plus = true,
                ' ' | '-' | '.' | '(' | ')' | '/' | '\t' => {}
                _ => return Norm::none(NumberKind::Unknown),
            }
        }
        if d.is_empty() || d.len() > 17 {
            return Norm::none(NumberKind::Unknown);
        }
        let idd = !plus && d.starts_with("00") && self.gb;
        // "+44 (0) 7700 …": the bracketed trunk zero is not part of the number.
        if (plus || idd) && s.contains("(0)") {
            if let Some(pos) = s.find("(0)") {
                let before = s[..pos].bytes().filter(u8::is_ascii_digit).count();
                let min_before = if plus { 1 } else { 3 };
                if before >= min_before && d.as_bytes().get(before) == Some(&b'0') {
                    d.remove(before);
                }
            }
        }
        if plus {
            return self.international(&d);
        }
        if idd {
            return self.international(d.get(2..).unwrap_or(""));
        }
        if !d.starts_with('0') && (3..=6).contains(&d.len()) {
            return Norm::none(NumberKind::Shortcode);
        }
        if self.gb {
            if let Some(nsn) = d.strip_prefix('0') {
                if let Some(k) = gb_shape(nsn) {
                    return Norm::phone(format!("+44{nsn}"), k);
                }
            } else {
                if let Some(nsn) = d.strip_prefix("44") {
                    if let Some(k) = gb_shape(nsn) {
                        return Norm::phone(format!("+44{nsn}"), k);
                    }
                }
                // No trunk zero and no international prefix: the library would guess a UK
                // number ("2025550143" -> +44 20 2555 0143). Not a guess we make in evidence.
                return Norm::none(NumberKind::Unknown);
            }
        }
        self.library(&d)
    }

    /// Digits after an international prefix (`+`, `00`, a WhatsApp JID).
    fn international(&self, d: &str) -> Norm {
        if d.is_empty() || d.starts_with('0') || d.len() > 15 {
            return Norm::none(NumberKind::Unknown);
        }
        if let Some(nsn) = d.strip_prefix("44") {
            // "+44 07700 900123" is a common mistake: the trunk zero does not belong.
            let nsn = match nsn.strip_prefix('0') {
                Some(n) if n.len() == 10 => n,
                _ => nsn,
            };
            if let Some(k) = gb_shape(nsn) {
                return Norm::phone(format!("+44{nsn}"), k);
            }
            return self.library(&format!("+44{nsn}"));
        }
        self.library(&format!("+{d}"))
    }

    fn library(&self, s: &str) -> Norm {
        let pn = match phonenumber::parse(Some(self.region), s) {
            Ok(pn) => pn,
            Err(_) => return Norm::none(NumberKind::Unknown),
        };
        if pn.extension().is_some() {
            return Norm::none(NumberKind::Unknown);
        }
        if !pn.is_valid() {
            // A UK number reached another way (e.g. the US prefix "011 44 …") is still judged
            // by the numbering plan's shape (rule 7).
            if pn.code().value() == 44 && pn.national().zeros() == 0 {
                let nsn = pn.national().value().to_string();
                if let Some(k) = gb_shape(&nsn) {
                    return Norm::phone(format!("+44{nsn}"), k);
                }
            }
            return Norm::none(NumberKind::Unknown);
        }
        let kind = match pn.number_type(&phonenumber::metadata::DATABASE) {
            Type::Mobile | Type::Pager => NumberKind::Mobile,
            Type::FixedLine => NumberKind::Landline,
            Type::FixedLineOrMobile => NumberKind::FixedOrMobile,
            Type::ShortCode | Type::Emergency => return Norm::none(NumberKind::Shortcode),
            _ => NumberKind::Other,
        };
        let e164 = pn.format().mode(Mode::E164).to_string();
        if !e164.starts_with('+') || !e164[1..].bytes().all(|b| b.is_ascii_digit()) {
            return Norm::none(NumberKind::Unknown);
        }
        Norm::phone(e164, kind)
    }
}

/// The UK numbering plan by shape, for a national significant number (no trunk zero).
fn gb_shape(nsn: &str) -> Option<NumberKind> {
    let b = nsn.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    match (b[0], b[1]) {
        (b'7', b'1'..=b'5' | b'7'..=b'9') => Some(NumberKind::Mobile),
        (b'7', b'6') if nsn.starts_with("7624") => Some(NumberKind::Mobile),
        (b'1' | b'2', _) => Some(NumberKind::Landline),
        _ => None,
    }
}

/// Remove invisible formatting characters; map Unicode spaces to ASCII space.
fn clean_text(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' => {}
            '\u{FEFF}' | '\u{00AD}' => {}
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            // Dash look-alikes used in formatted numbers.
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            // Full-width digits and plus (East Asian input methods).
            '\u{FF10}'..='\u{FF19}' => {
                out.push(char::from(b'0' + (c as u32 - 0xFF10) as u8));
            }
            '\u{FF0B}' => out.push('+'),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.len();
    if s.len() >= n && s.is_char_boundary(n) && s[..n].eq_ignore_ascii_case(prefix) {
        Some(&s[n..])
    } else {
        None
    }
}

const MARKERS: &[&str] = &[
    "-1",
    "-2",
    "-3",
    "-4",
    "unknown",
    "private",
    "private number",
    "withheld",
    "number withheld",
    "anonymous",
    "restricted",
    "unavailable",
    "payphone",
    "no caller id",
    "null",
    "none",
    "insert-address-token",
];

fn is_marker(s: &str) -> bool {
    MARKERS.iter().any(|m| s.eq_ignore_ascii_case(m))
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}
