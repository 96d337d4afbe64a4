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
//!    (`7700900123`, `2025550143`) is not guessed at: kept raw, kind `unknown`. A stray trunk
//!    zero after `+44` (`+44 07700 900123`) is dropped; a `+44` number of another shape, or one
//!    reached through another region's international prefix (`011 44 …`), goes to the library
//!    and, if it rejects it, is judged by the same shape rule.
//! 8. Everything else goes to the `phonenumber` crate with the default region; a number it
//!    validates gets its E.164 form and a kind from its type (`mobile`, `landline`,
//!    `fixed_or_mobile` where the plan does not tell them apart, e.g. +1, or `other` for freephone,
//!    premium, VoIP, personal and non-geographic numbers). A number it does not validate keeps an
//!    empty E.164 and kind `unknown`.
//!
//! Kinds ([`NumberKind::as_str`]): `mobile`, `landline`, `fixed_or_mobile`, `other` (these four
//! have an E.164 form), `shortcode`, `alphanumeric`, `email`, `group`, `unknown` (no E.164).
//! [`Norm`] is `Copy`: the E.164 text is stored inline ([`E164`], derefs to `str`).
//!
//! The library costs microseconds per call and serialises threads on an internal lock, so
//! results are memoised per distinct raw string — a lock-free per-thread map in front of a shared
//! sharded cache (64 shards, read-mostly `RwLock`s) — and the common unambiguous forms above
//! never reach the library.

mod extract;
mod twins;

pub use extract::BodyNumber;
pub use twins::{
    body_hash, infer_owners_by_twins, InferredOwner, TwinFact, TWIN_MIN_PAIRS, TWIN_WINDOW_MS,
};

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

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

/// An E.164 number (`+` and up to 15 digits), stored inline: `Copy`, no allocation, no
/// reference count. Derefs to `str`, so `norm.e164.as_deref()` gives `Option<&str>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164 {
    len: u8,
    buf: [u8; 16],
}

impl E164 {
    /// `Some` for `+` followed by 1–15 ASCII digits.
    pub fn new(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 2 || b.len() > 16 || b[0] != b'+' || !b[1..].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..b.len()].copy_from_slice(b);
        Some(E164 {
            len: b.len() as u8,
            buf,
        })
    }

    pub fn as_str(&self) -> &str {
        // Always ASCII by construction.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

impl std::ops::Deref for E164 {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for E164 {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for E164 {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The result of normalising one raw address. `Copy` (an inline E.164 and a tag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Norm {
    /// `+` and digits; `None` when the raw string is not a (valid) phone number.
    pub e164: Option<E164>,
    pub kind: NumberKind,
}

impl Norm {
    fn none(kind: NumberKind) -> Self {
        Norm { e164: None, kind }
    }
    fn phone(e164: String, kind: NumberKind) -> Self {
        match E164::new(&e164) {
            Some(e) => Norm {
                e164: Some(e),
                kind,
            },
            None => Norm::none(NumberKind::Unknown),
        }
    }
    /// The E.164 form, or `""` when there is none (the output contract's empty `*_e164`).
    pub fn e164_str(&self) -> &str {
        self.e164.as_ref().map(E164::as_str).unwrap_or("")
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

/// Per-thread cache entry cap; a full cache is emptied and refilled.
const LOCAL_CAP: usize = 1 << 16;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

struct LocalCache {
    owner: u64,
    map: HashMap<Key, Norm, LocalHasherBuilder>,
}

/// A cache key that keeps short raw strings inside the table entry (one memory access fewer
/// per lookup than a boxed key); hashes and compares exactly like the `str` it holds.
enum Key {
    Inline { len: u8, buf: [u8; 30] },
    Heap(Box<str>),
}

impl Key {
    fn new(s: &str) -> Self {
        let b = s.as_bytes();
        if b.len() <= 30 {
            let mut buf = [0u8; 30];
            buf[..b.len()].copy_from_slice(b);
            Key::Inline {
                len: b.len() as u8,
                buf,
            }
        } else {
            Key::Heap(Box::from(s))
        }
    }
    fn as_str(&self) -> &str {
        match self {
            // Built from a `str`, so always valid UTF-8.
            Key::Inline { len, buf } => std::str::from_utf8(&buf[..*len as usize]).unwrap_or(""),
            Key::Heap(b) => b,
        }
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

thread_local! {
    static LOCAL: RefCell<LocalCache> = RefCell::new(LocalCache {
        owner: 0,
        map: HashMap::with_hasher(LocalHasherBuilder::new()),
    });
}

/// A fast word-at-a-time multiply-rotate hash for the per-thread cache, keyed per thread from
/// the standard library's random seed (so crafted collisions are not precomputable).
#[derive(Clone)]
struct LocalHasherBuilder(u64);

impl LocalHasherBuilder {
    fn new() -> Self {
        use std::hash::BuildHasher;
        LocalHasherBuilder(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64) | 1)
    }
}

impl std::hash::BuildHasher for LocalHasherBuilder {
    type Hasher = LocalHasher;
    fn build_hasher(&self) -> LocalHasher {
        LocalHasher(self.0)
    }
}

struct LocalHasher(u64);

impl LocalHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for LocalHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 59));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Final avalanche so the table's low and high bits both mix.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

#[repr(align(128))]
struct Shard(RwLock<HashMap<Box<str>, Norm>>);

/// Thread-safe, memoising number normaliser for one default region.
pub struct Normaliser {
    /// Distinguishes instances in the per-thread caches.
    id: u64,
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
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
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
    ///
    /// Two cache levels: a per-thread map (no locks, no shared reference counts, so hot numbers
    /// cost no cross-core traffic) in front of the shared sharded map (so each distinct raw
    /// string is classified about once per run). Results depend only on the raw string.
    pub fn normalise(&self, raw: &str) -> Norm {
        if raw.len() > MAX_RAW {
            return Norm::none(NumberKind::Unknown);
        }
        LOCAL
            .try_with(|cell| {
                let Ok(mut local) = cell.try_borrow_mut() else {
                    return self.shared(raw);
                };
                if local.owner != self.id {
                    local.owner = self.id;
                    local.map.clear();
                }
                if let Some(n) = local.map.get(raw) {
                    return *n;
                }
                let n = self.shared(raw);
                if local.map.len() >= LOCAL_CAP {
                    local.map.clear();
                }
                local.map.insert(Key::new(raw), n);
                n
            })
            .unwrap_or_else(|_| self.shared(raw))
    }

    fn shared(&self, raw: &str) -> Norm {
        let shard = &self.shards[(fnv1a(raw.as_bytes()) >> 58) as usize % SHARDS].0;
        if let Ok(map) = shard.read() {
            if let Some(n) = map.get(raw) {
                return *n;
            }
        }
        let n = self.classify(raw);
        if let Ok(mut map) = shard.write() {
            if map.len() < SHARD_CAP {
                map.entry(Box::from(raw)).or_insert(n);
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

    /// [`Self::library_once`], kept only when the E.164 result reads back as itself: the library
    /// can format a number parsed with leading national zeros as an E.164 string that is no
    /// valid number, or another kind of number ("0047 0002771" -> "+4702771"; found by fuzzing).
    fn library(&self, s: &str) -> Norm {
        let n = self.library_once(s);
        match n.e164 {
            Some(e) if self.library_once(&e).e164 != Some(e) => Norm::none(NumberKind::Unknown),
            _ => n,
        }
    }

    fn library_once(&self, s: &str) -> Norm {
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
