//! Carving records out of free space: freeblocks, unallocated space and freelist pages.
//!
//! When SQLite frees a cell it writes a 4-byte freeblock header (next freeblock, size) over the
//! first four bytes of the cell, even when the cell was at the start of the content area. Those
//! four bytes held the payload-length varint, the rowid varint and, for small rows, the
//! record-header length and the first serial type. This module tries, at each place where a
//! freed cell can start, these hypotheses:
//!
//! * `cell`: the cell is intact (freelist leaves, or old copies left by page rebuilds);
//! * `header`: payload length and rowid took 4 or more bytes, so the record header is intact;
//! * `lost1`: they took 3 bytes, so only the header-length byte is lost (recomputed from the
//!   schema's column count);
//! * `lost2`: they took 2 bytes, so the first serial type is lost too; its length is solved from
//!   the freeblock's size, or from where the next freed cell starts.
//!
//! Every candidate is validated against a table schema (column count, affinity of each declared
//! type, NOT NULL, rowid alias stored as NULL) and its values must decode cleanly. A reconstructed
//! candidate is kept only when its end is anchored (it ends exactly where the old freeblock size
//! says, where the free extent ends, or where another candidate starts), then a dynamic programme
//! picks the best non-overlapping set.
use super::schema::{Affinity, TableSchema};
use crate::sqlite::pages::{
    body_len, decode_body, decode_record, local_payload, serial_len, varint, varint_len, PageDb,
    TextEnc,
};
use crate::sqlite::row::Val;

#[derive(Debug, Clone)]
pub struct Candidate {
    /// Offset of the (former) cell in its page.
    pub start: usize,
    /// End of its on-page bytes.
    pub end: usize,
    /// Index into the schema list; `None` when no schema fits.
    pub schema: Option<usize>,
    pub rowid: Option<i64>,
    /// Values in the schema's column order (the record's order when unattributed).
    pub vals: Vec<Val>,
    pub method: &'static str,
    pub confidence: f64,
    pub score: f64,
}

pub struct Ctx<'a> {
    pub schemas: &'a [TableSchema],
    pub enc: TextEnc,
    pub usable: usize,
    /// Source of overflow pages.
    pub db: Option<&'a PageDb<'a>>,
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

/// Whether serial type `st` may be stored in column `c` (strict: what SQLite's affinity would
/// have produced from ordinary inserts).
fn type_ok(c: &super::schema::Column, st: u64) -> bool {
    type_ok_mode(c, st, true)
}

/// `strict`: a TEXT column holds text or NULL only (blobs in TEXT columns are accepted only in
/// intact cells, whose length fields confirm the parse).
fn type_ok_mode(c: &super::schema::Column, st: u64, strict: bool) -> bool {
    if c.rowid_alias {
        return st == 0;
    }
    if st == 0 {
        return !c.not_null;
    }
    let is_num = st <= 9;
    let is_text = st >= 13 && st & 1 == 1;
    let is_blob = st >= 12 && st & 1 == 0;
    match c.affinity {
        Affinity::Integer | Affinity::Real => is_num,
        Affinity::Text => is_text || (is_blob && !strict),
        Affinity::Numeric => is_num || is_text,
        Affinity::Blob => true,
    }
}

/// A decoded value is plausible for carved data: text decodes and has no control characters,
/// reals are finite and not denormal.
fn val_ok(v: &Val) -> bool {
    match v {
        Val::Text(s) => {
            !s.chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || c == '\u{fffd}')
                && scripts_plausible(s)
        }
        Val::BadText(_) => false,
        // Reals that apps store (timestamps, coordinates, amounts) are neither astronomically
        // large nor vanishingly small; noise decoded as a double usually is.
        Val::Real(f) => *f == 0.0 || (f.is_finite() && (1e-12..=1e19).contains(&f.abs())),
        _ => true,
    }
}

/// A reconstructed record must say something: two non-NULL values taking 4+ bytes, or a text of
/// 3+ characters.
/// (A lone small integer rebuilt from free space is as likely noise as a row.)
fn informative(types: &[u64], vals: &[Val]) -> bool {
    let nonnull = vals.iter().filter(|v| !v.is_null()).count();
    let bytes: usize = types.iter().filter_map(|&t| serial_len(t)).sum();
    (nonnull >= 2 && bytes >= 4)
        || vals
            .iter()
            .any(|v| matches!(v, Val::Text(t) if t.chars().count() >= 3))
}

/// Coarse writing-system class of a non-ASCII character, for telling text from bytes that merely
/// decode (UTF-16 decodes almost anything). `None` for punctuation, symbols and emoji.
fn script_class(c: char) -> Option<u32> {
    let u = c as u32;
    Some(match u {
        0x80..=0x24f | 0x1e00..=0x1eff => 1, // Latin
        0x370..=0x52f => 2,                  // Greek, Cyrillic
        0x590..=0x6ff | 0x750..=0x77f | 0xfb1d..=0xfdff | 0xfe70..=0xfeff => 3, // Hebrew, Arabic
        0x900..=0xdff => 4,                  // Indic
        0xe00..=0xeff => 5,                  // Thai, Lao
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff => 6, // CJK
        0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7af => 7, // Hangul
        0x2000..=0x2bff | 0x3000..=0x303f | 0xfe00..=0xfe0f | 0xff00..=0xffef => return None,
        0x1f000..=0x1faff | 0xe0000..=0xe007f => return None, // emoji, tags
        0xe000..=0xf8ff | 0xfff0..=0xffff => 100,             // private use, specials
        _ => 8 + (u >> 8),                                    // anything else, by 256-block
    })
}

/// Carved text is plausible when its non-ASCII characters come from at most two writing systems
/// and none is a private-use or special character.
fn scripts_plausible(s: &str) -> bool {
    let mut classes: Vec<u32> = Vec::new();
    for c in s.chars().filter(|c| !c.is_ascii()) {
        if let Some(k) = script_class(c) {
            if k == 100 {
                return false;
            }
            if !classes.contains(&k) {
                classes.push(k);
                if classes.len() > 2 {
                    return false;
                }
            }
        }
    }
    true
}

/// Header length plus body length of the record header at `page[hs..limit]`, read in place.
fn header_total(page: &[u8], hs: usize, limit: usize) -> Option<usize> {
    let b = page.get(hs..limit)?;
    let (hl, n) = varint(b)?;
    let hl = hl as usize;
    if hl < n || hl > b.len() {
        return None;
    }
    let mut at = n;
    let mut total = hl;
    while at < hl {
        let (st, k) = varint(&b[at..hl])?;
        total = total.checked_add(serial_len(st)?)?;
        at += k;
    }
    (at == hl).then_some(total)
}

/// Parse `n` serial types at `page[at..limit]`, checking each against `cols` as it goes (so that
/// noise is rejected at its first byte, before any allocation). Returns (types, end offset).
fn types_checked(
    page: &[u8],
    mut at: usize,
    limit: usize,
    cols: &[super::schema::Column],
    n: usize,
) -> Option<(Vec<u64>, usize)> {
    let mut types: Vec<u64> = Vec::new();
    for c in cols.iter().take(n) {
        let (st, l) = varint(page.get(at..limit)?)?;
        if serial_len(st).is_none() || !type_ok(c, st) {
            return None;
        }
        if types.is_empty() {
            types.reserve(n);
        }
        types.push(st);
        at += l;
    }
    (types.len() == n).then_some((types, at))
}

/// Whether a record carries a text value of two or more characters (evidence that a parse is a
/// real row rather than numbers read from noise).
fn has_text(vals: &[Val]) -> bool {
    vals.iter().any(
        |v| matches!(v, Val::Text(t) if t.chars().filter(|c| c.is_alphanumeric()).count() >= 2),
    )
}

fn schema_fits(s: &TableSchema, types: &[u64]) -> bool {
    !s.without_rowid
        && types.len() == s.cols.len()
        && s.cols
            .iter()
            .zip(types)
            .all(|(c, &t)| type_ok_mode(c, t, false))
}

/// Like [`schema_fits`] but a record may have fewer columns than the schema (written before an
/// `ALTER TABLE ... ADD COLUMN`); the missing trailing columns must be nullable.
fn schema_fits_prefix(s: &TableSchema, types: &[u64]) -> bool {
    !s.without_rowid
        && !types.is_empty()
        && types.len() <= s.cols.len()
        && s.cols.iter().zip(types).all(|(c, &t)| type_ok(c, t))
        && s.cols[types.len()..].iter().all(|c| !c.not_null)
}

/// Column counts a reconstructed record of `s` may have: all columns, or (for tables with a
/// column added later) down to two fewer.
fn col_counts(s: &TableSchema) -> impl Iterator<Item = usize> + '_ {
    let n = s.cols.len();
    (n.saturating_sub(2).max(2).min(n)..=n)
        .rev()
        .filter(move |&k| k == n || s.cols[k..].iter().all(|c| !c.not_null))
}

/// Attribute an intact record (types and values) to the first schema in `order` that it fits,
/// and fill its values in that schema's column order. `(None, vals)` when none fits.
pub fn attribute(
    schemas: &[TableSchema],
    order: &[usize],
    types: &[u64],
    vals: Vec<Val>,
    rowid: Option<i64>,
) -> (Option<usize>, Vec<Val>) {
    for &si in order {
        let s = &schemas[si];
        if schema_fits(s, types)
            || (types.len() >= 2 && types.len() + 2 >= s.cols.len() && schema_fits_prefix(s, types))
        {
            return (Some(si), fill(s, vals, rowid));
        }
    }
    (None, vals)
}

/// Build a candidate's values from decoded record values and the rowid.
pub fn fill(s: &TableSchema, mut vals: Vec<Val>, rowid: Option<i64>) -> Vec<Val> {
    if vals.len() < s.cols.len() {
        vals.resize(s.cols.len(), Val::Null);
    }
    // REAL affinity: SQLite stores integral reals as integers and reads them back as reals.
    for (v, c) in vals.iter_mut().zip(&s.cols) {
        if let (Val::Int(i), Affinity::Real) = (&*v, c.affinity) {
            *v = Val::Real(*i as f64);
        }
    }
    for (i, c) in s.cols.iter().enumerate() {
        if c.rowid_alias {
            if let (Some(v), Some(r)) = (vals.get_mut(i), rowid) {
                *v = Val::Int(r);
            }
        }
    }
    vals
}

impl Ctx<'_> {
    /// Payload of a record whose on-page part starts at `page[at]` and is `p` bytes long in all;
    /// follows the overflow chain when `p` exceeds what is kept on the page. Returns (payload,
    /// on-page bytes used).
    fn payload(&self, page: &[u8], at: usize, p: usize, limit: usize) -> Option<(Vec<u8>, usize)> {
        let local = local_payload(p, self.usable, false);
        if local == p {
            if at + p > limit {
                return None;
            }
            return Some((page.get(at..at + p)?.to_vec(), p));
        }
        if at + local + 4 > limit {
            return None;
        }
        let mut out = page.get(at..at + local)?.to_vec();
        let ov = crate::sqlite::pages::be32(page, at + local)?;
        if !self.db?.read_overflow(ov, p - local, &mut out) {
            return None;
        }
        Some((out, local + 4))
    }

    /// An intact table-leaf cell at `o`.
    fn try_cell(
        &self,
        page: &[u8],
        o: usize,
        limit: usize,
        owner: &[usize],
        out: &mut Vec<Candidate>,
    ) {
        let Some(b) = page.get(o..limit) else { return };
        let Some((p, n1)) = varint(b) else { return };
        let p = p as usize;
        if !(2..=1 << 30).contains(&p) || n1 > 4 {
            return;
        }
        let Some((rowid, n2)) = b.get(n1..).and_then(varint) else {
            return;
        };
        // The cell must fit in the extent (cheap, rejects most offsets at once).
        let hstart = o + n1 + n2;
        let local = local_payload(p, self.usable, false);
        let on_page = if local < p { local + 4 } else { p };
        if hstart + on_page > limit {
            return;
        }
        let Some((hl, _)) = page.get(hstart..limit).and_then(varint) else {
            return;
        };
        if hl < 2 || hl as usize > p {
            return;
        }
        // The header must describe exactly `p` bytes: checked in place, before any copy.
        match header_total(page, hstart, limit) {
            Some(total) if total == p => {}
            _ => return,
        }
        let Some((payload, used)) = self.payload(page, hstart, p, limit) else {
            return;
        };
        let Some(rec) = decode_record(&payload, self.enc, 2048) else {
            return;
        };
        if rec.len != p || !rec.vals.iter().all(val_ok) || !informative(&rec.types, &rec.vals) {
            return;
        }
        let end = hstart + used;
        let rowid = rowid as i64;
        for &si in owner {
            let s = &self.schemas[si];
            if schema_fits(s, &rec.types)
                || (rec.types.len() >= 2
                    && rec.types.len() + 2 >= s.cols.len()
                    && schema_fits_prefix(s, &rec.types))
            {
                out.push(Candidate {
                    start: o,
                    end,
                    schema: Some(si),
                    rowid: Some(rowid),
                    vals: fill(s, rec.vals, Some(rowid)),
                    method: "cell",
                    confidence: 0.95,
                    score: 4.0,
                });
                return;
            }
        }
        // No schema: keep only records that look like real rows.
        let nonnull = rec.vals.iter().filter(|v| !v.is_null()).count();
        let has_text = has_text(&rec.vals);
        if rec.types.len() >= 2 && nonnull >= 2 && has_text && rowid > 0 {
            out.push(Candidate {
                start: o,
                end,
                schema: None,
                rowid: Some(rowid),
                vals: rec.vals,
                method: "cell",
                confidence: 0.5,
                score: 2.0,
            });
        }
    }

    /// Reconstruction hypotheses for a freed cell starting at `o` whose first four bytes were
    /// overwritten by a freeblock header.
    fn try_freed(
        &self,
        page: &[u8],
        o: usize,
        limit: usize,
        owner: &[usize],
        out: &mut Vec<Candidate>,
    ) {
        if o + 5 > limit {
            return;
        }
        let size_field = be16(page, o + 2).unwrap_or(0);
        // The overwritten bytes are a freeblock header: the next freeblock is 0 or further on.
        let next = be16(page, o).unwrap_or(0);
        if next != 0 && (next < o + 4 || next >= self.usable) {
            return;
        }
        let h = o + 4;
        for &si in owner {
            let s = &self.schemas[si];
            if s.without_rowid {
                continue;
            }
            let mut counts_buf = [0usize; 3];
            let mut nc = 0;
            for c in col_counts(s) {
                if nc < 3 {
                    counts_buf[nc] = c;
                    nc += 1;
                }
            }
            let counts = &counts_buf[..nc];
            // k = bytes taken by payload-length and rowid varints.
            // k >= 4: the header starts intact at o + k.
            for k in 4..=9usize {
                let hs = o + k;
                let Some(&hb) = page.get(hs) else { break };
                // One-byte header length (records of up to ~60 columns with short types).
                let hl = hb as usize;
                if hb & 0x80 != 0 || hl < 2 {
                    continue;
                }
                let nt = counts.iter().copied().find(|&c| {
                    types_checked(page, hs + 1, (hs + hl).min(limit), &s.cols, c)
                        .is_some_and(|(_, end)| end == hs + hl)
                });
                let Some(nt) = nt else { continue };
                let Some((types, _)) = types_checked(page, hs + 1, hs + hl, &s.cols, nt) else {
                    continue;
                };
                self.finish(
                    page, o, k, hs, hl, types, limit, size_field, si, "header", out,
                );
            }
            // k = 3: header-length byte lost, all serial types intact.
            for &n in counts {
                let Some((types, at)) = types_checked(page, h, limit, &s.cols, n) else {
                    continue;
                };
                let hl = 1 + (at - h);
                if hl < 128 {
                    // header starts at o + 3 (lost byte)
                    self.finish(
                        page,
                        o,
                        3,
                        o + 3,
                        hl,
                        types,
                        limit,
                        size_field,
                        si,
                        "lost1",
                        out,
                    );
                }
            }
            // k = 2: header-length byte and the first serial type lost. The first serial type
            // is one byte (rest of the header from o + 4) or two bytes whose second byte is at
            // o + 4 (rest from o + 5).
            for &n in counts.iter().take(1) {
                if n >= 2 {
                    for v1len in [1usize, 2] {
                        self.lost2(page, o, limit, size_field, si, n, v1len, out);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn lost2(
        &self,
        page: &[u8],
        o: usize,
        limit: usize,
        size_field: usize,
        si: usize,
        n: usize,
        v1len: usize,
        out: &mut Vec<Candidate>,
    ) {
        let s = &self.schemas[si];
        if v1len == 2 && !matches!(page.get(o + 4), Some(b) if b & 0x80 == 0) {
            return;
        }
        let rest_begin = o + 3 + v1len;
        let Some((rest, at)) = types_checked(page, rest_begin, limit, &s.cols[1..], n - 1) else {
            return;
        };
        let rest_hdr = at - rest_begin;
        let Some(rest_body) = body_len(&rest) else {
            return;
        };
        let c0 = &s.cols[0];
        let mut firsts: Vec<u64> = Vec::new();
        if v1len == 1 {
            if c0.rowid_alias {
                firsts.push(0);
            } else if matches!(
                c0.affinity,
                Affinity::Integer | Affinity::Real | Affinity::Numeric | Affinity::Blob
            ) {
                firsts.extend([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
            } else {
                firsts.push(0);
            }
        }
        if matches!(
            c0.affinity,
            Affinity::Text | Affinity::Numeric | Affinity::Blob
        ) && !c0.rowid_alias
        {
            // Text (or blob) of any length that stays on this page, but only lengths whose end
            // is anchored: the old freeblock size, the extent's end, or the start of another
            // freed cell (a freeblock header). Anything else could never be kept.
            let room = limit.saturating_sub(at + rest_body);
            let hl = 1 + v1len + rest_hdr;
            for l in 0..=room.min(4096) {
                let end = o + 2 + hl + l + rest_body;
                let anchored = end - o == size_field || end == limit || self.sig(page, end);
                if !anchored {
                    continue;
                }
                for st in [13 + 2 * l as u64, 12 + 2 * l as u64] {
                    if varint_len(st) != v1len {
                        continue;
                    }
                    if v1len == 2 && (st & 0x7f) as u8 != page[o + 4] {
                        continue;
                    }
                    firsts.push(st);
                }
            }
        }
        for st in firsts {
            if !type_ok(c0, st) {
                continue;
            }
            let hl = 1 + v1len + rest_hdr;
            if hl >= 128 {
                continue;
            }
            let l0 = serial_len(st).unwrap_or(0);
            let total = hl + l0 + rest_body;
            if varint_len(total as u64) != 1 || o + 2 + total > limit {
                continue; // k = 2 means a one-byte payload length
            }
            let mut types = Vec::with_capacity(n);
            types.push(st);
            types.extend_from_slice(&rest);
            self.finish(
                page,
                o,
                2,
                o + 2,
                hl,
                types,
                limit,
                size_field,
                si,
                "lost2",
                out,
            );
        }
    }

    /// A freeblock header or an intact cell's first bytes at `pos`: next pointer 0 or further on
    /// and a size of at least 4, or a payload-length varint.
    fn sig(&self, page: &[u8], pos: usize) -> bool {
        let (Some(next), Some(size)) = (be16(page, pos), be16(page, pos + 2)) else {
            return false;
        };
        size >= 4
            && pos + size <= self.usable
            && (next == 0 || (next >= pos + 4 && next < self.usable))
    }

    /// Whether a freed cell of schema `si` seems to start at `pos`: a freeblock header (next
    /// pointer 0 or further on, size of at least 4) followed by serial types that fit the schema
    /// with the first one lost (the usual small-row case).
    fn looks_freed(&self, page: &[u8], pos: usize, si: usize) -> bool {
        let s = &self.schemas[si];
        let (Some(next), Some(size)) = (be16(page, pos), be16(page, pos + 2)) else {
            return false;
        };
        if size < 4 || (next != 0 && (next < pos + 4 || next >= self.usable)) {
            return false;
        }
        // A freeblock header whose size fits the page: the rest of that freed cell may have been
        // overwritten since (by a new cell), so its serial types are not required.
        if pos + size <= self.usable {
            return true;
        }
        let mut at = pos + 4;
        let mut types = Vec::new();
        for _ in 1..s.cols.len() {
            match page.get(at..).and_then(varint) {
                Some((st, l)) if serial_len(st).is_some() => {
                    types.push(st);
                    at += l;
                }
                _ => return false,
            }
        }
        s.cols.len() >= 3 && s.cols[1..].iter().zip(&types).all(|(c, &t)| type_ok(c, t))
    }

    /// Common end of the reconstruction hypotheses: header of `hl` bytes at `hs` (possibly partly
    /// lost), cell prefix of `k` bytes at `o`.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        page: &[u8],
        o: usize,
        k: usize,
        hs: usize,
        hl: usize,
        types: Vec<u64>,
        limit: usize,
        size_field: usize,
        si: usize,
        method: &'static str,
        out: &mut Vec<Candidate>,
    ) {
        let Some(bl) = body_len(&types) else { return };
        // A crafted header can declare a body near usize::MAX (found by fuzzing).
        let Some(p) = hl.checked_add(bl) else { return };
        // The payload-length and rowid varints must fit in k bytes.
        let pl = varint_len(p as u64);
        if pl >= k && k < 4 {
            return;
        }
        if k >= 4 && (k - pl > 9 || k - pl == 0) {
            return;
        }
        let local = local_payload(p, self.usable, false);
        let (body, end) = if local == p {
            let end = hs + p;
            if end > limit {
                return;
            }
            let Some(b) = page.get(hs + hl..end) else {
                return;
            };
            (b.to_vec(), end)
        } else {
            // Overflow: local part of the payload, then the first overflow page number.
            if hs + local + 4 > limit || local < hl {
                return;
            }
            let Some(db) = self.db else { return };
            let mut buf = page[hs + hl..hs + local].to_vec();
            let Some(ov) = crate::sqlite::pages::be32(page, hs + local) else {
                return;
            };
            if !db.read_overflow(ov, p - local, &mut buf) {
                return;
            }
            (buf, hs + local + 4)
        };
        let Some(vals) = decode_body(&types, &body, self.enc) else {
            return;
        };
        if !vals.iter().all(val_ok) || !informative(&types, &vals) {
            return;
        }
        let s = &self.schemas[si];
        let exact = end - o == size_field;
        out.push(Candidate {
            start: o,
            end,
            schema: Some(si),
            rowid: None,
            vals: fill(s, vals, None),
            method,
            confidence: if exact { 0.85 } else { 0.7 },
            score: if exact { 3.0 } else { 1.5 },
        });
        let _ = k;
    }
}

/// Carve the free extent `[from, to)` of `page`. `freed_starts` are offsets known to be starts of
/// freed cells (freeblock starts); every offset whose old freeblock size field is plausible is
/// tried too. `owner` lists the schemas to try, best first.
pub fn carve_extent(
    ctx: &Ctx<'_>,
    page: &[u8],
    from: usize,
    to: usize,
    freed_starts: &[usize],
    owner: &[usize],
    scan_cells: bool,
) -> Vec<Candidate> {
    carve(ctx, page, from, to, freed_starts, owner, owner, scan_cells)
}

/// [`carve_extent`] where intact cells may be of any schema in `cell_owner` but freed cells are
/// reconstructed only against `recon_owner` (the table that owns the page).
pub fn carve_extent_split(
    ctx: &Ctx<'_>,
    page: &[u8],
    from: usize,
    to: usize,
    freed_starts: &[usize],
    recon_owner: &[usize],
    cell_owner: &[usize],
) -> Vec<Candidate> {
    carve(
        ctx,
        page,
        from,
        to,
        freed_starts,
        cell_owner,
        recon_owner,
        true,
    )
}

/// The general form: intact cells are looked for (when `scan_cells`) with the schemas of
/// `cell_owner`, freed cells are reconstructed with those of `recon_owner`.
#[allow(clippy::too_many_arguments)]
pub fn carve(
    ctx: &Ctx<'_>,
    page: &[u8],
    from: usize,
    to: usize,
    freed_starts: &[usize],
    cell_owner: &[usize],
    recon_owner: &[usize],
    scan_cells: bool,
) -> Vec<Candidate> {
    let to = to.min(page.len());
    if from + 4 > to {
        return Vec::new();
    }
    let mut cands: Vec<Candidate> = Vec::new();
    // A freed cell's first four bytes are a freeblock header: a next pointer (0 or further on)
    // and a size of at least 4.
    let plausible = |o: usize| {
        let size = be16(page, o + 2).unwrap_or(0);
        let next = be16(page, o).unwrap_or(0);
        size >= 4 && o + size <= ctx.usable && (next == 0 || (next >= o + 4 && next < ctx.usable))
    };
    if freed_starts.is_empty() {
        // Unallocated space and header-less pages: anything may start anywhere.
        for o in from..to - 3 {
            if scan_cells && page[o] != 0 {
                ctx.try_cell(page, o, to, cell_owner, &mut cands);
            }
            if plausible(o) {
                ctx.try_freed(page, o, to, recon_owner, &mut cands);
            }
        }
    } else {
        // A freeblock holds freed cells back to back: each starts at the freeblock's start, where
        // the previous one ends, or at an old freeblock header. Only those places are tried.
        let mut todo: std::collections::BTreeSet<usize> = freed_starts.iter().copied().collect();
        todo.extend((from..to - 3).filter(|&o| plausible(o)));
        let mut seen = std::collections::BTreeSet::new();
        while let Some(o) = todo.pop_first() {
            if o < from || o + 4 > to || !seen.insert(o) {
                continue;
            }
            let before = cands.len();
            if scan_cells && page[o] != 0 {
                ctx.try_cell(page, o, to, cell_owner, &mut cands);
            }
            if freed_starts.contains(&o) || plausible(o) {
                ctx.try_freed(page, o, to, recon_owner, &mut cands);
            }
            for c in &cands[before..] {
                if c.end > o && c.end + 4 <= to {
                    todo.insert(c.end);
                }
            }
        }
    }
    if cands.is_empty() {
        return cands;
    }
    if cands.len() == 1 {
        // The common case (one freed cell per freeblock): the same rules as below, directly.
        let c = &cands[0];
        let keep = c.start >= from
            && c.end <= to
            && c.end > c.start
            && (c.method == "cell"
                || c.score >= 3.0
                || c.end == to
                || freed_starts.contains(&c.end)
                || (has_text(&c.vals)
                    && c.schema.is_some_and(|si| ctx.looks_freed(page, c.end, si))));
        if !keep {
            cands.clear();
        }
        return cands;
    }
    // Anchor reconstructed candidates: kept when they end exactly where their old freeblock
    // size says, or where the extent ends, or where an anchored candidate starts (iteratively).
    let mut anchors: std::collections::BTreeSet<usize> = freed_starts.iter().copied().collect();
    anchors.insert(to);
    let mut ok: Vec<bool> = cands
        .iter()
        .map(|c| {
            c.method == "cell"
                || c.score >= 3.0
                || (has_text(&c.vals)
                    && c.schema.is_some_and(|si| ctx.looks_freed(page, c.end, si)))
        })
        .collect();
    for (c, &k) in cands.iter().zip(&ok) {
        if k {
            anchors.insert(c.start);
        }
    }
    loop {
        let mut changed = false;
        for (i, c) in cands.iter().enumerate() {
            if !ok[i] && anchors.contains(&c.end) {
                ok[i] = true;
                anchors.insert(c.start);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut keep = ok.into_iter();
    cands.retain(|_| keep.next().unwrap_or(false));
    // Two reconstructions of the same bytes that disagree: the bytes do not decide, report none.
    let mut groups: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
    for (i, c) in cands.iter().enumerate() {
        if c.method != "cell" {
            groups.entry((c.start, c.end)).or_default().push(i);
        }
    }
    let mut drop = vec![false; cands.len()];
    for g in groups.values() {
        if g.iter().any(|&i| cands[i].vals != cands[g[0]].vals) {
            for &i in g {
                drop[i] = true;
            }
        }
    }
    let mut d = drop.into_iter();
    cands.retain(|_| !d.next().unwrap_or(false));
    // Dynamic programme over candidate starts: best total score of non-overlapping candidates
    // (skipping bytes costs nothing; on a tie, skipping wins, then the earlier candidate).
    let mut idx: Vec<usize> = (0..cands.len())
        .filter(|&i| {
            let c = &cands[i];
            c.start >= from && c.end <= to && c.end > c.start
        })
        .collect();
    idx.sort_by_key(|&i| (cands[i].start, i));
    let mut starts: Vec<usize> = idx.iter().map(|&i| cands[i].start).collect();
    starts.dedup();
    // Group g holds the candidates starting at starts[g].
    let mut groups: Vec<&[usize]> = Vec::with_capacity(starts.len());
    {
        let mut k = 0;
        for &st in &starts {
            let b0 = k;
            while k < idx.len() && cands[idx[k]].start == st {
                k += 1;
            }
            groups.push(&idx[b0..k]);
        }
    }
    let ng = starts.len();
    let mut best = vec![0f64; ng + 1];
    let mut choice: Vec<Option<usize>> = vec![None; ng];
    let at_or_after = |e: usize| starts.partition_point(|&s| s < e);
    for g in (0..ng).rev() {
        best[g] = best[g + 1];
        for &ci in groups[g] {
            let c = &cands[ci];
            let v = c.score + best[at_or_after(c.end)];
            if v > best[g] + 1e-9 {
                best[g] = v;
                choice[g] = Some(ci);
            }
        }
    }
    let mut picked = Vec::new();
    let mut g = 0;
    while g < ng {
        match choice[g] {
            Some(ci) => {
                picked.push(ci);
                g = at_or_after(cands[ci].end);
            }
            None => g += 1,
        }
    }
    let mut out = Vec::with_capacity(picked.len());
    let mut taken: Vec<Option<Candidate>> = cands.into_iter().map(Some).collect();
    for ci in picked {
        if let Some(c) = taken[ci].take() {
            out.push(c);
        }
    }
    out
}
