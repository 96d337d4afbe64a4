//! Page-level reading of SQLite database bytes, done by our own code (SQLite never sees the
//! evidence here): the file header, b-tree pages and their cells, varints, records and serial
//! types, overflow chains, freeblocks and the freelist.
//!
//! Everything is bounded: every chain walk keeps a visited set and a step limit, every length read
//! from the file is checked against the bytes actually present before anything is allocated, and
//! no function recurses on file-controlled data.
use std::collections::HashSet;

use super::row::Val;
use super::SQLITE_MAGIC;

/// Text encoding of a database (header offset 56).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEnc {
    Utf8,
    Utf16le,
    Utf16be,
}

impl TextEnc {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEnc::Utf8 => "UTF-8",
            TextEnc::Utf16le => "UTF-16le",
            TextEnc::Utf16be => "UTF-16be",
        }
    }
}

/// The fields of the 100-byte database header that the page reader needs.
#[derive(Debug, Clone)]
pub struct DbHeader {
    pub page_size: usize,
    /// Bytes reserved at the end of every page (header offset 20).
    pub reserved: usize,
    /// `page_size - reserved`.
    pub usable: usize,
    /// Page count in the header (offset 28); may disagree with the file size.
    pub header_pages: u32,
    pub freelist_trunk: u32,
    pub freelist_count: u32,
    pub encoding: TextEnc,
    /// Largest root page (offset 52): non-zero means auto-vacuum with pointer-map pages.
    pub autovacuum: bool,
    pub user_version: u32,
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

impl DbHeader {
    /// Parse the header. `None` when the bytes are not a SQLite database with a valid page size.
    pub fn parse(bytes: &[u8]) -> Option<DbHeader> {
        if bytes.len() < 100 || &bytes[..16] != SQLITE_MAGIC {
            return None;
        }
        let page_size = super::header_page_size(bytes)?;
        let reserved = bytes[20] as usize;
        let usable = page_size.checked_sub(reserved)?;
        if usable < 480 {
            return None;
        }
        let encoding = match be32(bytes, 56)? {
            2 => TextEnc::Utf16le,
            3 => TextEnc::Utf16be,
            _ => TextEnc::Utf8,
        };
        Some(DbHeader {
            page_size,
            reserved,
            usable,
            header_pages: be32(bytes, 28)?,
            freelist_trunk: be32(bytes, 32)?,
            freelist_count: be32(bytes, 36)?,
            encoding,
            autovacuum: be32(bytes, 52)? != 0,
            user_version: be32(bytes, 60)?,
        })
    }
}

/// Read a SQLite varint at the start of `b`: (value, length). `None` if `b` ends first.
#[inline]
pub fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let x = *b.get(i)?;
        if i == 8 {
            return Some(((v << 8) | x as u64, 9));
        }
        v = (v << 7) | (x & 0x7f) as u64;
        if x & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Number of bytes a varint of `v` takes.
pub fn varint_len(v: u64) -> usize {
    if v > 0x00ff_ffff_ffff_ffff {
        return 9;
    }
    let mut n = 1;
    let mut x = v >> 7;
    while x != 0 {
        n += 1;
        x >>= 7;
    }
    n
}

/// Body length of a value with serial type `st`; `None` for the reserved types 10 and 11.
#[inline]
pub fn serial_len(st: u64) -> Option<usize> {
    Some(match st {
        0 | 8 | 9 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 6,
        6 | 7 => 8,
        10 | 11 => return None,
        n => ((n - 12) / 2) as usize,
    })
}

/// Decode one value. `b` must hold exactly `serial_len(st)` bytes.
pub fn decode_value(st: u64, b: &[u8], enc: TextEnc) -> Val {
    match st {
        0 => Val::Null,
        1..=6 => {
            let mut v: i64 = if b.first().is_some_and(|x| x & 0x80 != 0) {
                -1
            } else {
                0
            };
            for &x in b {
                v = (v << 8) | x as i64;
            }
            Val::Int(v)
        }
        7 => {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[..8.min(b.len())]);
            Val::Real(f64::from_be_bytes(a))
        }
        8 => Val::Int(0),
        9 => Val::Int(1),
        n if n >= 12 && n % 2 == 0 => Val::Blob(b.to_vec()),
        n if n >= 13 => decode_text(b, enc),
        _ => Val::Null,
    }
}

/// Text bytes in the database encoding to a value; invalid text is kept as bytes.
pub fn decode_text(b: &[u8], enc: TextEnc) -> Val {
    match enc {
        TextEnc::Utf8 => match std::str::from_utf8(b) {
            Ok(s) => Val::Text(s.to_string()),
            Err(_) => Val::BadText(b.to_vec()),
        },
        TextEnc::Utf16le | TextEnc::Utf16be => {
            if b.len() & 1 != 0 {
                return Val::BadText(b.to_vec());
            }
            let units = b.chunks_exact(2).map(|c| {
                if enc == TextEnc::Utf16le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            });
            match char::decode_utf16(units).collect::<Result<String, _>>() {
                Ok(s) => Val::Text(s),
                Err(_) => Val::BadText(b.to_vec()),
            }
        }
    }
}

/// A record decoded from its payload: serial types and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub types: Vec<u64>,
    pub vals: Vec<Val>,
    /// Header length in bytes (including the header-length varint).
    pub header_len: usize,
    /// Header + body length.
    pub len: usize,
}

/// Serial types of a record header starting at `b[0]`. `max_cols` bounds the work.
pub fn record_header(b: &[u8], max_cols: usize) -> Option<(Vec<u64>, usize)> {
    let (hl, n) = varint(b)?;
    let hl = hl as usize;
    if hl < n || hl > b.len() || hl > 65_536 {
        return None;
    }
    let mut types = Vec::new();
    let mut at = n;
    while at < hl {
        if types.len() >= max_cols {
            return None;
        }
        let (st, k) = varint(&b[at..hl])?;
        serial_len(st)?;
        types.push(st);
        at += k;
    }
    (at == hl).then_some((types, hl))
}

/// Body length of serial types, `None` if any is reserved or the sum overflows.
pub fn body_len(types: &[u64]) -> Option<usize> {
    let mut n = 0usize;
    for &t in types {
        n = n.checked_add(serial_len(t)?)?;
    }
    Some(n)
}

/// Decode values of `types` from `body` (which must be long enough).
pub fn decode_body(types: &[u64], body: &[u8], enc: TextEnc) -> Option<Vec<Val>> {
    let mut vals = Vec::with_capacity(types.len());
    let mut at = 0usize;
    for &t in types {
        let l = serial_len(t)?;
        let v = body.get(at..at + l)?;
        vals.push(decode_value(t, v, enc));
        at += l;
    }
    Some(vals)
}

/// Decode a whole record (header and body) from a payload.
pub fn decode_record(payload: &[u8], enc: TextEnc, max_cols: usize) -> Option<Record> {
    let (types, hl) = record_header(payload, max_cols)?;
    let bl = body_len(&types)?;
    let len = hl.checked_add(bl)?;
    if len > payload.len() {
        return None;
    }
    let vals = decode_body(&types, &payload[hl..len], enc)?;
    Some(Record {
        types,
        vals,
        header_len: hl,
        len,
    })
}

/// Bytes of a payload of `p` bytes kept on a table-leaf page (the rest goes to overflow pages).
pub fn local_payload(p: usize, usable: usize, index: bool) -> usize {
    let x = if index {
        ((usable - 12) * 64 / 255) - 23
    } else {
        usable - 35
    };
    if p <= x {
        return p;
    }
    let m = ((usable - 12) * 32 / 255) - 23;
    let k = m + ((p - m) % (usable - 4));
    if k <= x {
        k
    } else {
        m
    }
}

/// B-tree page kinds (first header byte).
pub const INTERIOR_INDEX: u8 = 2;
pub const INTERIOR_TABLE: u8 = 5;
pub const LEAF_INDEX: u8 = 10;
pub const LEAF_TABLE: u8 = 13;

/// A parsed b-tree page header and cell pointer array.
#[derive(Debug, Clone)]
pub struct BtPage {
    pub kind: u8,
    pub first_freeblock: usize,
    pub ncells: usize,
    pub content_start: usize,
    pub fragmented: usize,
    pub right_child: Option<u32>,
    /// Offset of the page header in the page (100 on page 1).
    pub hdr_off: usize,
    /// Offset of the first byte after the cell pointer array.
    pub ptr_end: usize,
    pub ptrs: Vec<usize>,
}

impl BtPage {
    /// Parse a b-tree page. `hdr_off` is 100 for page 1. `None` if it is not a valid b-tree page.
    pub fn parse(page: &[u8], hdr_off: usize, usable: usize) -> Option<BtPage> {
        let usable = usable.min(page.len());
        let kind = *page.get(hdr_off)?;
        let hl = match kind {
            INTERIOR_INDEX | INTERIOR_TABLE => 12,
            LEAF_INDEX | LEAF_TABLE => 8,
            _ => return None,
        };
        let first_freeblock = be16(page, hdr_off + 1)?;
        let ncells = be16(page, hdr_off + 3)?;
        let mut content_start = be16(page, hdr_off + 5)?;
        if content_start == 0 {
            content_start = 65_536;
        }
        let fragmented = *page.get(hdr_off + 7)? as usize;
        let right_child = if hl == 12 {
            Some(be32(page, hdr_off + 8)?)
        } else {
            None
        };
        let ptr_start = hdr_off + hl;
        let ptr_end = ptr_start + 2 * ncells;
        if ptr_end > usable || content_start > usable || content_start < ptr_end {
            return None;
        }
        let mut ptrs = Vec::with_capacity(ncells);
        for i in 0..ncells {
            let p = be16(page, ptr_start + 2 * i)?;
            if p < ptr_end || p >= usable {
                return None;
            }
            ptrs.push(p);
        }
        Some(BtPage {
            kind,
            first_freeblock,
            ncells,
            content_start,
            fragmented,
            right_child,
            hdr_off,
            ptr_end,
            ptrs,
        })
    }

    pub fn is_leaf(&self) -> bool {
        self.kind == LEAF_TABLE || self.kind == LEAF_INDEX
    }

    /// Freeblocks as (offset, size), following the chain in order; stops at the first invalid
    /// link (out of the page, not ascending, overlapping).
    pub fn freeblocks(&self, page: &[u8], usable: usize) -> Vec<(usize, usize)> {
        let usable = usable.min(page.len());
        let mut out = Vec::new();
        let mut at = self.first_freeblock;
        let mut min = self.ptr_end;
        while at != 0 && out.len() < usable / 4 {
            if at < min || at + 4 > usable {
                break;
            }
            let (Some(next), Some(size)) = (be16(page, at), be16(page, at + 2)) else {
                break;
            };
            if size < 4 || at + size > usable {
                break;
            }
            out.push((at, size));
            min = at + size;
            at = next;
        }
        out
    }
}

/// A database image read page by page.
pub struct PageDb<'a> {
    pub bytes: &'a [u8],
    pub h: DbHeader,
    /// Pages present in the bytes.
    pub npages: u32,
}

impl<'a> PageDb<'a> {
    pub fn new(bytes: &'a [u8]) -> Option<PageDb<'a>> {
        let h = DbHeader::parse(bytes)?;
        let npages = (bytes.len() / h.page_size).min(u32::MAX as usize) as u32;
        Some(PageDb { bytes, h, npages })
    }

    /// Bytes of page `n` (1-based), whole page including reserved bytes.
    pub fn page(&self, n: u32) -> Option<&'a [u8]> {
        if n == 0 || n > self.npages {
            return None;
        }
        let at = (n as usize - 1) * self.h.page_size;
        self.bytes.get(at..at + self.h.page_size)
    }

    pub fn hdr_off(n: u32) -> usize {
        if n == 1 {
            100
        } else {
            0
        }
    }

    /// Whether page `n` is a pointer-map page (auto-vacuum databases only).
    pub fn is_ptrmap(&self, n: u32) -> bool {
        if !self.h.autovacuum || n < 2 {
            return false;
        }
        let per = (self.h.usable / 5) as u32 + 1;
        (n - 2).checked_rem(per) == Some(0)
    }

    pub fn btree(&self, n: u32) -> Option<BtPage> {
        BtPage::parse(self.page(n)?, Self::hdr_off(n), self.h.usable)
    }

    /// Read an overflow chain starting at `first` and append up to `need` bytes to `out`.
    /// Returns true when all `need` bytes were read. Bounded by the page count and a visited set.
    pub fn read_overflow(&self, first: u32, need: usize, out: &mut Vec<u8>) -> bool {
        let mut left = need;
        let mut pg = first;
        let mut seen = HashSet::new();
        let per = self.h.usable - 4;
        while left > 0 {
            if !seen.insert(pg) {
                return false;
            }
            let Some(p) = self.page(pg) else {
                return false;
            };
            let take = left.min(per);
            out.extend_from_slice(&p[4..4 + take]);
            left -= take;
            pg = be32(p, 0).unwrap_or(0);
            if left > 0 && pg == 0 {
                return false;
            }
        }
        true
    }

    /// Freelist pages: (trunk pages, leaf pages), each in chain order. Bounded against cycles and
    /// against counts larger than the file.
    pub fn freelist(&self) -> (Vec<u32>, Vec<u32>) {
        let mut trunks = Vec::new();
        let mut leaves = Vec::new();
        let mut seen = HashSet::new();
        let mut t = self.h.freelist_trunk;
        while t != 0 && seen.insert(t) {
            let Some(p) = self.page(t) else { break };
            trunks.push(t);
            let n = be32(p, 4).unwrap_or(0) as usize;
            let n = n.min((self.h.usable - 8) / 4);
            for i in 0..n {
                let l = be32(p, 8 + 4 * i).unwrap_or(0);
                if l != 0 && l <= self.npages && seen.insert(l) {
                    leaves.push(l);
                }
            }
            t = be32(p, 0).unwrap_or(0);
        }
        (trunks, leaves)
    }
}

/// A table-leaf cell read from a page.
#[derive(Debug, Clone)]
pub struct LeafCell {
    pub rowid: i64,
    /// Offset of the cell in its page.
    pub offset: usize,
    pub payload_len: usize,
    /// The payload (with overflow pages appended when they could be read).
    pub payload: Vec<u8>,
    pub complete: bool,
    /// Bytes of the cell on its page (varints + local payload + overflow pointer).
    pub cell_len: usize,
}

/// Read a table-leaf cell at `off` of `page`. `db` supplies overflow pages (may be `None`).
pub fn table_leaf_cell(
    page: &[u8],
    off: usize,
    usable: usize,
    db: Option<&PageDb<'_>>,
) -> Option<LeafCell> {
    let usable = usable.min(page.len());
    let b = page.get(off..usable)?;
    let (p, n1) = varint(b)?;
    let (rowid, n2) = varint(b.get(n1..)?)?;
    let p = p as usize;
    if p > 1 << 31 {
        return None;
    }
    let local = local_payload(p, usable, false);
    let start = n1 + n2;
    let mut payload = b.get(start..start + local)?.to_vec();
    let mut complete = true;
    let mut cell_len = start + local;
    if local < p {
        let ov = be32(b, start + local)?;
        cell_len += 4;
        complete = match db {
            Some(db) => db.read_overflow(ov, p - local, &mut payload),
            None => false,
        };
    }
    Some(LeafCell {
        rowid: rowid as i64,
        offset: off,
        payload_len: p,
        payload,
        complete,
        cell_len,
    })
}

/// Walk a table b-tree from `root`: calls `leaf(page_no, page_bytes, parsed)` for every leaf and
/// `interior(page_no)` for every interior page. Iterative, visited set, bounded by the page count.
pub fn walk_btree(
    db: &PageDb<'_>,
    root: u32,
    mut on_page: impl FnMut(u32, &'_ [u8], &BtPage),
) -> usize {
    let mut stack = vec![root];
    let mut seen = HashSet::new();
    let mut visited = 0;
    while let Some(pg) = stack.pop() {
        if !seen.insert(pg) || seen.len() > db.npages as usize {
            continue;
        }
        let (Some(bytes), Some(bt)) = (db.page(pg), db.btree(pg)) else {
            continue;
        };
        visited += 1;
        on_page(pg, bytes, &bt);
        if !bt.is_leaf() {
            if let Some(r) = bt.right_child {
                stack.push(r);
            }
            for &p in bt.ptrs.iter().rev() {
                if let Some(c) = be32(bytes, p) {
                    stack.push(c);
                }
            }
        }
    }
    visited
}

/// Overflow pages used by the cells of b-tree page `bt` (table or index), in chain order.
/// Bounded: each chain stops at a page seen before or at the number of pages its payload needs.
pub fn cell_overflow_pages(db: &PageDb<'_>, page: &[u8], bt: &BtPage) -> Vec<u32> {
    let usable = db.h.usable.min(page.len());
    let index = matches!(bt.kind, INTERIOR_INDEX | LEAF_INDEX);
    let mut out = Vec::new();
    if bt.kind == INTERIOR_TABLE {
        return out;
    }
    for &p in &bt.ptrs {
        let mut at = p;
        if bt.kind == INTERIOR_INDEX {
            at += 4;
        }
        let Some((plen, n1)) = page.get(at..usable).and_then(varint) else {
            continue;
        };
        at += n1;
        if bt.kind == LEAF_TABLE {
            let Some((_, n2)) = page.get(at..usable).and_then(varint) else {
                continue;
            };
            at += n2;
        }
        let plen = plen as usize;
        if plen > 1 << 31 {
            continue;
        }
        let local = local_payload(plen, db.h.usable, index);
        if local >= plen {
            continue;
        }
        let Some(mut pg) = be32(page, at + local) else {
            continue;
        };
        let mut left = plen - local;
        let per = db.h.usable - 4;
        let mut seen = HashSet::new();
        while left > 0 && pg != 0 && seen.insert(pg) {
            let Some(ov) = db.page(pg) else { break };
            out.push(pg);
            left = left.saturating_sub(per);
            pg = be32(ov, 0).unwrap_or(0);
        }
    }
    out
}

/// Every live row of the table b-tree at `root`: (rowid, decoded record, page, cell offset).
pub fn table_rows(db: &PageDb<'_>, root: u32) -> Vec<(i64, Vec<Val>, u32, usize)> {
    let mut out = Vec::new();
    let enc = db.h.encoding;
    walk_btree(db, root, |pg, bytes, bt| {
        if bt.kind != LEAF_TABLE {
            return;
        }
        for &p in &bt.ptrs {
            if let Some(c) = table_leaf_cell(bytes, p, db.h.usable, Some(db)) {
                if let Some(r) = decode_record(&c.payload, enc, 4096) {
                    out.push((c.rowid, r.vals, pg, p));
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x81]), None);
        for v in [0u64, 127, 128, 16383, 16384, 1 << 40, u64::MAX] {
            assert!(varint_len(v) >= 1);
        }
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
    }

    #[test]
    fn values_decode() {
        assert_eq!(decode_value(1, &[0xff], TextEnc::Utf8), Val::Int(-1));
        assert_eq!(
            decode_value(2, &[0x4e, 0x21], TextEnc::Utf8),
            Val::Int(20001)
        );
        assert_eq!(
            decode_value(15, b"a\0", TextEnc::Utf16le),
            Val::Text("a".into())
        );
        assert_eq!(
            decode_value(15, b"\0a", TextEnc::Utf16be),
            Val::Text("a".into())
        );
        assert_eq!(serial_len(10), None);
        assert_eq!(serial_len(13 + 2 * 5), Some(5));
    }

    #[test]
    fn local_sizes() {
        // 4096-byte page: up to 4061 bytes local.
        assert_eq!(local_payload(4061, 4096, false), 4061);
        assert!(local_payload(5000, 4096, false) < 4061);
    }
}
