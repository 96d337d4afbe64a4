//! A minimal, bounds-checked reader of the top-level dictionary of a property list (binary
//! `bplist00` or XML), enough for the string and integer preferences WhatsApp keeps. Nested
//! containers are reported as `Other`. Never panics on damaged input.

#[derive(Debug, Clone, PartialEq)]
pub enum PValue {
    Str(String),
    Int(i64),
    Other,
}

/// (key, value, byte offset of the value object) of the top-level dictionary.
pub type Entries = Vec<(String, PValue, u64)>;

pub fn top_dict(bytes: &[u8]) -> Result<Entries, String> {
    if bytes.starts_with(b"bplist00") {
        binary(bytes)
    } else if bytes.windows(6).any(|w| w == b"<plist") {
        Ok(xml(&String::from_utf8_lossy(bytes)))
    } else {
        Err("not a property list (no bplist00 header, no <plist> element)".into())
    }
}

fn be(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |a, &x| (a << 8) | x as u64)
}

struct Bp<'a> {
    b: &'a [u8],
    offsets: Vec<u64>,
    ref_size: usize,
}

impl<'a> Bp<'a> {
    fn obj_offset(&self, r: u64) -> Result<usize, String> {
        self.offsets
            .get(r as usize)
            .map(|o| *o as usize)
            .filter(|o| *o < self.b.len())
            .ok_or_else(|| format!("object reference {r} out of range"))
    }
    /// (count, position after the marker and any extended count).
    fn count(&self, pos: usize) -> Result<(usize, usize), String> {
        let m = *self.b.get(pos).ok_or("truncated object")?;
        let low = (m & 0x0F) as usize;
        if low != 0x0F {
            return Ok((low, pos + 1));
        }
        let im = *self.b.get(pos + 1).ok_or("truncated count")?;
        if im >> 4 != 0x1 {
            return Err("bad extended count".into());
        }
        let n = 1usize << (im & 0x07);
        let v = self.b.get(pos + 2..pos + 2 + n).ok_or("truncated count")?;
        let count = be(v);
        if count > self.b.len() as u64 {
            return Err("object count larger than the file".into());
        }
        Ok((count as usize, pos + 2 + n))
    }
    fn value(&self, r: u64) -> Result<(PValue, u64), String> {
        let pos = self.obj_offset(r)?;
        let m = self.b[pos];
        let v = match m >> 4 {
            0x1 => {
                let n = 1usize << (m & 0x07);
                let v = self.b.get(pos + 1..pos + 1 + n).ok_or("truncated int")?;
                PValue::Int(be(v) as i64)
            }
            0x5 => {
                let (n, p) = self.count(pos)?;
                let s = self
                    .b
                    .get(p..p.saturating_add(n))
                    .ok_or("truncated string")?;
                PValue::Str(String::from_utf8_lossy(s).into_owned())
            }
            0x6 => {
                let (n, p) = self.count(pos)?;
                let s = self
                    .b
                    .get(p..p.saturating_add(n.saturating_mul(2)))
                    .ok_or("truncated string")?;
                let u: Vec<u16> = s
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                PValue::Str(String::from_utf16_lossy(&u))
            }
            _ => PValue::Other,
        };
        Ok((v, pos as u64))
    }
    fn refs(&self, at: usize, n: usize) -> Result<Vec<u64>, String> {
        (0..n)
            .map(|i| {
                let s = at.saturating_add(i.saturating_mul(self.ref_size));
                self.b
                    .get(s..s.saturating_add(self.ref_size))
                    .map(be)
                    .ok_or_else(|| "truncated reference list".to_string())
            })
            .collect()
    }
}

fn binary(b: &[u8]) -> Result<Entries, String> {
    if b.len() < 8 + 32 {
        return Err("binary plist too short".into());
    }
    let t = &b[b.len() - 32..];
    let off_size = t[6] as usize;
    let ref_size = t[7] as usize;
    let num = be(&t[8..16]);
    let top = be(&t[16..24]);
    let table = usize::try_from(be(&t[24..32])).unwrap_or(usize::MAX);
    if !(1..=8).contains(&off_size) || !(1..=8).contains(&ref_size) || num > b.len() as u64 {
        return Err("binary plist trailer invalid".into());
    }
    let mut offsets = Vec::with_capacity(num as usize);
    for i in 0..num as usize {
        let s = table + i * off_size;
        offsets.push(be(b
            .get(s..s + off_size)
            .ok_or("offset table truncated")?));
    }
    let bp = Bp {
        b,
        offsets,
        ref_size,
    };
    let pos = bp.obj_offset(top)?;
    if b[pos] >> 4 != 0xD {
        return Err("top object is not a dictionary".into());
    }
    let (n, p) = bp.count(pos)?;
    let keys = bp.refs(p, n)?;
    let vals = bp.refs(p.saturating_add(n.saturating_mul(ref_size)), n)?;
    let mut out = Vec::new();
    for (k, v) in keys.into_iter().zip(vals) {
        let PValue::Str(key) = bp.value(k)?.0 else {
            continue;
        };
        let (val, off) = bp.value(v)?;
        out.push((key, val, off));
    }
    Ok(out)
}

fn xml(s: &str) -> Entries {
    let Ok(re) = regex::Regex::new(
        r"<key>([^<]*)</key>\s*(?:<string>([^<]*)</string>|<integer>(-?\d+)</integer>|<string/>)",
    ) else {
        return Vec::new();
    };
    re.captures_iter(s)
        .filter_map(|c| {
            let k = c.get(1)?.as_str().to_string();
            let off = c.get(0)?.start() as u64;
            let v = if let Some(v) = c.get(2) {
                PValue::Str(v.as_str().replace("&amp;", "&"))
            } else if let Some(i) = c.get(3) {
                PValue::Int(i.as_str().parse().ok()?)
            } else {
                PValue::Str(String::new())
            };
            Some((k, v, off))
        })
        .collect()
}
