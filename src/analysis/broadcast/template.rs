//! Message templates: normalised word sequences (case, spacing, punctuation and emoji removed,
//! prices and numbers masked as `#`), their fingerprints, and MinHash signatures for finding
//! near-duplicates without comparing every pair.

/// A fast, deterministic hasher for the analysis' internal maps (never iterated into output).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            h = (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        mix(self.0)
    }
}

/// `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// `HashSet` with [`FxHasher`].
pub type FxSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// Hash of the masked-number token `#`.
pub const NUM_TOKEN: u64 = 0x9E37_79B9_7F4A_7C15;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A stable 64-bit hash (FNV-1a), for ids that must not change between runs or Rust versions.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Call `f(token_hash, token_text_is_number)` for each normalised token of `body`: alphanumeric
/// runs, lower-cased, apostrophes dropped, letters repeated more than twice cut to two, any token
/// with a digit masked as `#` (consecutive masked tokens collapse into one).
#[inline]
pub fn for_each_token(body: &str, mut f: impl FnMut(u64, bool)) {
    let mut h = FNV_OFFSET;
    let mut len = 0usize;
    let mut numeric = false;
    let mut last = '\0';
    let mut run = 0u8;
    let mut prev_num = false;
    let mut flush = |h: &mut u64, len: &mut usize, numeric: &mut bool, prev_num: &mut bool| {
        if *len > 0 {
            if *numeric {
                if !*prev_num {
                    f(NUM_TOKEN, true);
                }
                *prev_num = true;
            } else {
                f(mix(*h), false);
                *prev_num = false;
            }
        }
        *h = FNV_OFFSET;
        *len = 0;
        *numeric = false;
    };
    for c in body.chars() {
        if c.is_ascii() {
            let b = c as u8;
            if b.is_ascii_alphanumeric() {
                let lc = b.to_ascii_lowercase() as char;
                if lc == last {
                    run += 1;
                    if run >= 2 {
                        continue;
                    }
                } else {
                    run = 0;
                    last = lc;
                }
                if b.is_ascii_digit() {
                    numeric = true;
                }
                h ^= lc as u64;
                h = h.wrapping_mul(FNV_PRIME);
                len += 1;
                continue;
            }
            if b == b'\'' {
                continue;
            }
        } else if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                if lc == last {
                    run += 1;
                    if run >= 2 {
                        continue;
                    }
                } else {
                    run = 0;
                    last = lc;
                }
                if lc.is_numeric() {
                    numeric = true;
                }
                h ^= lc as u64;
                h = h.wrapping_mul(FNV_PRIME);
                len += 1;
            }
            continue;
        } else if c == '\u{2019}' {
            continue;
        }
        last = '\0';
        run = 0;
        flush(&mut h, &mut len, &mut numeric, &mut prev_num);
    }
    flush(&mut h, &mut len, &mut numeric, &mut prev_num);
}

/// The fingerprint of a body's template and its number of tokens.
#[inline]
pub fn fingerprint(body: &str) -> (u64, u32) {
    let mut fp = FNV_OFFSET;
    let mut n = 0u32;
    for_each_token(body, |t, _| {
        fp = mix(fp ^ t).wrapping_add(n as u64);
        n += 1;
    });
    (fp, n)
}

/// The sorted, de-duplicated token set of a body.
pub fn token_set(body: &str) -> Vec<u64> {
    let mut v = Vec::with_capacity(16);
    for_each_token(body, |t, _| v.push(t));
    v.sort_unstable();
    v.dedup();
    v
}

/// The readable template of a body: lower-case words, numbers as `#`.
pub fn template_text(body: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut prev_num = false;
    let mut last = '\0';
    let mut run = 0u8;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let numeric = word.chars().any(|c| c.is_numeric());
        if numeric {
            if !prev_num {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push('#');
            }
            prev_num = true;
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            prev_num = false;
        }
        word.clear();
    };
    for c in body.chars() {
        if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                if lc == last {
                    run += 1;
                    if run >= 2 {
                        continue;
                    }
                } else {
                    run = 0;
                    last = lc;
                }
                word.push(lc);
            }
        } else if c == '\'' || c == '\u{2019}' {
            continue;
        } else {
            last = '\0';
            run = 0;
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Jaccard similarity of two sorted, de-duplicated sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// MinHash bands: `BANDS` bands of `ROWS` rows. Two sets with Jaccard 0.5 share a band with
/// probability about 0.9, with Jaccard 0.7 about 0.99.
pub const BANDS: usize = 8;
pub const ROWS: usize = 2;

/// The band keys of a token set (band index folded in, so one map can hold all bands).
pub fn band_keys(set: &[u64]) -> [u64; BANDS] {
    let mut mins = [u64::MAX; BANDS * ROWS];
    for &t in set {
        for (i, m) in mins.iter_mut().enumerate() {
            let v = mix(t ^ (i as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93));
            if v < *m {
                *m = v;
            }
        }
    }
    let mut keys = [0u64; BANDS];
    for (b, k) in keys.iter_mut().enumerate() {
        let mut h = mix(b as u64 + 0x1234_5678);
        for r in 0..ROWS {
            h = mix(h ^ mins[b * ROWS + r]);
        }
        *k = h;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_mask_numbers_and_noise() {
        assert_eq!(
            template_text("🔥 Both ON!! 3 for £25, 2-50 … on till 1am 🔥"),
            "both on # for # on till #"
        );
        assert_eq!(
            fingerprint("both on 3 for 25").0,
            fingerprint("BOTH   on, 2 for 20!!").0
        );
        assert_ne!(fingerprint("both on").0, fingerprint("on both").0);
        assert_eq!(template_text("pengggg don't"), "pengg dont");
    }

    #[test]
    fn near_duplicates_are_similar() {
        let a = token_set("Tony line both on: 3 for 25 white, 2 for 20 dark");
        let b = token_set("2-20 dark n 3-25 white tony line both on 🔥");
        assert!(jaccard(&a, &b) >= 0.5, "{}", jaccard(&a, &b));
        let c = token_set("are you coming to the match tonight");
        assert!(jaccard(&a, &c) < 0.2);
        let (ka, kb) = (band_keys(&a), band_keys(&a));
        assert_eq!(ka, kb);
    }
}
