//! Zip exhibits (Cellebrite, Magnet, GrayKey-style, UFDR-wrapped), read through a read-only map.
//!
//! The central directory is parsed by our own code so that raw name bytes, Zip64 fields and data
//! offsets are kept exactly as stored. The hash pass streams the whole file once; wanted members
//! are then inflated from the map with a hard size limit and their CRC-32 checked.
use std::io::Read;
use std::path::Path;

use super::{
    keep_member, map_readonly, CatalogEntry, EntryKind, Grabbed, IngestError, ScanOpts, ScanOutput,
};
use crate::evidence::hash;

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_SIG: u32 = 0x0606_4b50;
const EOCD64_LOC_SIG: u32 = 0x0706_4b50;
const CDH_SIG: u32 = 0x0201_4b50;
const LFH_SIG: u32 = 0x0403_4b50;

fn u16le(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at.saturating_add(2))
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}
fn u32le(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.saturating_add(4))
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
fn u64le(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at.saturating_add(8))
        .map(|s| u64::from_le_bytes(s.try_into().unwrap()))
}

/// A member as the central directory describes it.
#[derive(Debug, Clone)]
pub struct ZipMember {
    pub raw_name: Vec<u8>,
    pub method: u16,
    pub flags: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    pub local_header_offset: u64,
    pub mtime: Option<i64>,
    pub is_dir: bool,
    pub is_symlink: bool,
}

/// Whether the file ends with a zip end-of-central-directory record.
pub fn has_end_record(path: &Path) -> std::io::Result<bool> {
    let f = std::fs::File::open(path)?;
    let map = map_readonly(&f)?;
    Ok(find_eocd(&map).is_some())
}

fn find_eocd(b: &[u8]) -> Option<usize> {
    if b.len() < 22 {
        return None;
    }
    let lo = b.len().saturating_sub(22 + 65_535);
    (lo..=b.len() - 22)
        .rev()
        .find(|&i| u32le(b, i) == Some(EOCD_SIG))
}

/// Parse the central directory. Returns the members and any problems.
pub fn central_directory(b: &[u8]) -> Result<(Vec<ZipMember>, Vec<String>), IngestError> {
    let damaged = |reason: String| IngestError::Damaged {
        kind: "zip",
        reason,
    };
    let eocd = find_eocd(b).ok_or_else(|| {
        damaged("no end-of-central-directory record (truncated or not a zip)".into())
    })?;
    let mut problems = Vec::new();
    let mut count = u16le(b, eocd + 10).unwrap() as u64;
    let mut cd_size = u32le(b, eocd + 12).unwrap() as u64;
    let mut cd_off = u32le(b, eocd + 16).unwrap() as u64;
    // Zip64: the locator sits just before the EOCD.
    if eocd >= 20 && u32le(b, eocd - 20) == Some(EOCD64_LOC_SIG) {
        let z64 = u64le(b, eocd - 20 + 8).unwrap() as usize;
        if u32le(b, z64) == Some(EOCD64_SIG) {
            count = u64le(b, z64 + 32).unwrap_or(count);
            cd_size = u64le(b, z64 + 40).unwrap_or(cd_size);
            cd_off = u64le(b, z64 + 48).unwrap_or(cd_off);
        } else {
            problems.push("Zip64 locator points at no Zip64 end record".into());
        }
    }
    // Data prepended to the zip shifts every offset by the same amount.
    let cd_end_expected = cd_off.saturating_add(cd_size);
    let actual_cd_end = if eocd >= 20 && u32le(b, eocd - 20) == Some(EOCD64_LOC_SIG) {
        u64le(b, eocd - 20 + 8).unwrap_or(0)
    } else {
        eocd as u64
    };
    let shift = actual_cd_end.saturating_sub(cd_end_expected);
    if shift > 0 {
        problems.push(format!(
            "{shift} bytes precede the zip data (offsets adjusted)"
        ));
    }
    let mut at = cd_off.saturating_add(shift).min(usize::MAX as u64) as usize;
    if at > b.len() {
        return Err(damaged(format!(
            "central directory offset {at} beyond the file end {}",
            b.len()
        )));
    }
    let mut members = Vec::with_capacity(count.min(10_000_000) as usize);
    for i in 0..count {
        if u32le(b, at) != Some(CDH_SIG) {
            problems.push(format!(
                "central directory ends early at byte {at}: {i} of {count} entries read"
            ));
            break;
        }
        let hdr = |o: usize| u16le(b, at + o).unwrap_or(0);
        let flags = hdr(8);
        let method = hdr(10);
        let dos_time = hdr(12);
        let dos_date = hdr(14);
        let crc32 = u32le(b, at + 16).unwrap_or(0);
        let mut csize = u32le(b, at + 20).unwrap_or(0) as u64;
        let mut usize_ = u32le(b, at + 24).unwrap_or(0) as u64;
        let nlen = hdr(28) as usize;
        let xlen = hdr(30) as usize;
        let clen = hdr(32) as usize;
        let made_by = hdr(4);
        let ext_attr = u32le(b, at + 38).unwrap_or(0);
        let mut lho = u32le(b, at + 42).unwrap_or(0) as u64;
        let name_start = at + 46;
        let Some(raw_name) = b.get(name_start..name_start + nlen) else {
            problems.push(format!(
                "central directory entry {i} runs past the file end"
            ));
            break;
        };
        let extra = b
            .get(name_start + nlen..name_start + nlen + xlen)
            .unwrap_or(&[]);
        let mut mtime = dos_to_unix(dos_date, dos_time);
        // Extra fields: Zip64 (0x0001) sizes/offset; extended timestamp (0x5455).
        let mut x = 0;
        while x + 4 <= extra.len() {
            let id = u16le(extra, x).unwrap();
            let len = u16le(extra, x + 2).unwrap() as usize;
            let data = &extra[x + 4..(x + 4 + len).min(extra.len())];
            if id == 0x0001 {
                let mut p = 0;
                if usize_ == 0xFFFF_FFFF {
                    usize_ = u64le(data, p).unwrap_or(usize_);
                    p += 8;
                }
                if csize == 0xFFFF_FFFF {
                    csize = u64le(data, p).unwrap_or(csize);
                    p += 8;
                }
                if lho == 0xFFFF_FFFF {
                    lho = u64le(data, p).unwrap_or(lho);
                }
            } else if id == 0x5455 && !data.is_empty() && data[0] & 1 == 1 {
                if let Some(t) = u32le(data, 1) {
                    mtime = Some(t as i32 as i64);
                }
            }
            x += 4 + len;
        }
        let unix_mode = if made_by >> 8 == 3 { ext_attr >> 16 } else { 0 };
        let is_dir = raw_name.last() == Some(&b'/') || (made_by >> 8 == 0 && ext_attr & 0x10 != 0);
        members.push(ZipMember {
            raw_name: raw_name.to_vec(),
            method,
            flags,
            crc32,
            compressed_size: csize,
            size: usize_,
            local_header_offset: lho.saturating_add(shift),
            mtime,
            is_dir,
            is_symlink: unix_mode & 0o170000 == 0o120000,
        });
        at = name_start + nlen + xlen + clen;
    }
    Ok((members, problems))
}

/// Walk local file headers from the start of the file (used when the central directory is
/// missing or unreadable). Members whose data runs past the end of the file are kept, with the
/// size the local header declares, so that reading them reports the truncation.
pub fn salvage_local_headers(b: &[u8]) -> (Vec<ZipMember>, Vec<String>) {
    let mut members = Vec::new();
    let mut problems = Vec::new();
    let mut at = 0usize;
    while at + 30 <= b.len() {
        if u32le(b, at) != Some(LFH_SIG) {
            match b[at + 1..].windows(4).position(|w| w == b"PK\x03\x04") {
                Some(n) => {
                    problems.push(format!("{} unrecognised bytes skipped at byte {at}", n + 1));
                    at += n + 1;
                    continue;
                }
                None => break,
            }
        }
        let h = |o: usize| u16le(b, at + o).unwrap_or(0);
        let flags = h(6);
        let method = h(8);
        let crc32 = u32le(b, at + 14).unwrap_or(0);
        let mut csize = u32le(b, at + 18).unwrap_or(0) as u64;
        let mut usize_ = u32le(b, at + 22).unwrap_or(0) as u64;
        let nlen = h(26) as usize;
        let xlen = h(28) as usize;
        let Some(raw_name) = b.get(at + 30..at + 30 + nlen) else {
            break;
        };
        let extra = b.get(at + 30 + nlen..at + 30 + nlen + xlen).unwrap_or(&[]);
        let mut x = 0;
        while x + 4 <= extra.len() {
            let id = u16le(extra, x).unwrap();
            let len = u16le(extra, x + 2).unwrap() as usize;
            if id == 0x0001 {
                let d = &extra[x + 4..(x + 4 + len).min(extra.len())];
                usize_ = u64le(d, 0).unwrap_or(usize_);
                csize = u64le(d, 8).unwrap_or(csize);
            }
            x += 4 + len;
        }
        let data_start = at + 30 + nlen + xlen;
        let mut next = (data_start as u64).saturating_add(csize);
        if flags & 8 != 0 {
            // Sizes follow the data in a descriptor; find the end of a deflate stream by inflating.
            if method == 8 {
                let mut d = flate2::Decompress::new(false);
                let mut out = vec![0u8; 1 << 16];
                let input = &b[data_start.min(b.len())..];
                loop {
                    let before = d.total_in() as usize;
                    match d.decompress(&input[before..], &mut out, flate2::FlushDecompress::None) {
                        Ok(flate2::Status::StreamEnd) => break,
                        Ok(_) if d.total_in() as usize == before && before >= input.len() => break,
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                csize = d.total_in();
                usize_ = d.total_out();
                next = data_start as u64 + csize;
                let desc = next as usize;
                let sig = u32le(b, desc) == Some(0x0807_4b50);
                let body = if sig { desc + 4 } else { desc };
                let crc = u32le(b, body).unwrap_or(0);
                next = (body + 12) as u64;
                members.push(ZipMember {
                    raw_name: raw_name.to_vec(),
                    method,
                    flags,
                    crc32: crc,
                    compressed_size: csize,
                    size: usize_,
                    local_header_offset: at as u64,
                    mtime: dos_to_unix(h(12), h(10)),
                    is_dir: raw_name.last() == Some(&b'/'),
                    is_symlink: false,
                });
                at = next as usize;
                continue;
            }
            problems.push(format!(
                "member at byte {at} uses a data descriptor with method {method}; the walk stops there"
            ));
            break;
        }
        members.push(ZipMember {
            raw_name: raw_name.to_vec(),
            method,
            flags,
            crc32,
            compressed_size: csize,
            size: usize_,
            local_header_offset: at as u64,
            mtime: dos_to_unix(h(12), h(10)),
            is_dir: raw_name.last() == Some(&b'/'),
            is_symlink: false,
        });
        if next > b.len() as u64 {
            break;
        }
        at = next as usize;
    }
    (members, problems)
}

/// DOS date/time (local time of the zipping machine, recorded as is) to Unix seconds.
fn dos_to_unix(date: u16, time: u16) -> Option<i64> {
    if date == 0 {
        return None;
    }
    let y = 1980 + (date >> 9) as i64;
    let m = ((date >> 5) & 0xF) as i64;
    let d = (date & 0x1F) as i64;
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    Some(
        days * 86_400
            + (time >> 11) as i64 * 3600
            + ((time >> 5) & 0x3F) as i64 * 60
            + (time & 0x1F) as i64 * 2,
    )
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The compressed bytes of a member, from its local header.
fn member_data<'a>(b: &'a [u8], m: &ZipMember) -> Result<&'a [u8], String> {
    let at = m.local_header_offset as usize;
    if u32le(b, at) != Some(LFH_SIG) {
        return Err(format!("no local header at byte {at}"));
    }
    let nlen = u16le(b, at + 26).unwrap_or(0) as usize;
    let xlen = u16le(b, at + 28).unwrap_or(0) as usize;
    let start = at + 30 + nlen + xlen;
    let end = (start as u64).saturating_add(m.compressed_size);
    if end > b.len() as u64 {
        return Err(format!(
            "member data runs past the end of the file (needs bytes {start}..{end}, file has {}): truncated archive",
            b.len()
        ));
    }
    Ok(&b[start..end as usize])
}

/// A reader that computes CRC-32 of what passes through it.
struct CrcReader<R> {
    inner: R,
    crc: flate2::Crc,
}

impl<R: Read> Read for CrcReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

/// Read one member's bytes with the limits of `opts`. Returns the kept bytes, their SHA-256 and a
/// problem (bad CRC, size mismatch, limit, encryption, unsupported method).
pub fn read_member(
    b: &[u8],
    m: &ZipMember,
    opts: &ScanOpts<'_>,
) -> Result<(super::Blob, String, Option<String>), String> {
    if m.flags & 1 == 1 {
        return Err(
            "member is encrypted; linesift does not decrypt, the member was not read".into(),
        );
    }
    let data = member_data(b, m)?;
    let reader: Box<dyn Read> = match m.method {
        0 => Box::new(data),
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        other => {
            return Err(format!(
            "compression method {other} is not supported (stored and deflate are); member not read"
        ))
        }
    };
    let mut cr = CrcReader {
        inner: reader,
        crc: flate2::Crc::new(),
    };
    // Never inflate more than one byte past the declared size: a bomb stops there.
    let cap = m.size.saturating_add(1);
    let (blob, sha, mut problem) =
        keep_member(opts, cap, &mut cr).map_err(|e| format!("cannot inflate: {e}"))?;
    if problem.is_none() {
        let got = blob.len() as u64;
        if got > m.size {
            problem = Some(format!(
                "member inflates beyond its declared size of {} bytes (possible zip bomb); reading stopped there",
                m.size
            ));
        } else if got != m.size {
            problem = Some(format!(
                "member is {got} bytes but the central directory says {}",
                m.size
            ));
        } else if cr.crc.sum() != m.crc32 {
            problem = Some(format!(
                "CRC-32 mismatch: stored {:08x}, computed {:08x}; bytes may be corrupt",
                m.crc32,
                cr.crc.sum()
            ));
        }
    }
    Ok((blob, sha, problem))
}

pub fn scan(path: &Path, opts: &ScanOpts<'_>) -> Result<ScanOutput, IngestError> {
    // The one streaming pass over the container for its hashes, with plain reads: walking the
    // map instead would make every page of a multi-gigabyte archive resident.
    let digests = hash::hash_file(path, opts.hashes, opts.progress)?;
    let f = std::fs::File::open(path)?;
    // The map is touched only where the central directory and the parsed members are.
    let map = map_readonly(&f)?;
    let (members, mut problems) = match central_directory(&map) {
        Ok(x) => x,
        Err(e) => {
            // A truncated extraction: list what the local headers still describe.
            let (members, mut p) = salvage_local_headers(&map);
            p.insert(
                0,
                format!(
                    "{e}; {} entries recovered by walking local headers (a member cut by the damage is flagged)",
                    members.len()
                ),
            );
            (members, p)
        }
    };
    let mut entries = Vec::with_capacity(members.len());
    let mut grabbed = Vec::new();
    if members.is_empty() && problems.is_empty() {
        problems.push("zip holds no entries".into());
    }
    // Members are consumed as they are catalogued, so a million-entry zip is held once.
    for (i, m) in members.into_iter().enumerate() {
        let kind = if m.is_dir {
            EntryKind::Dir
        } else if m.is_symlink {
            EntryKind::Symlink
        } else {
            EntryKind::File
        };
        let mut e = CatalogEntry::new(&m.raw_name, m.size, kind);
        e.mtime = m.mtime;
        e.offset = Some(m.local_header_offset);
        if m.flags & 1 == 1 {
            e.problems.push("encrypted".into());
        }
        if kind == EntryKind::File && (opts.want)(&e.path) {
            match read_member(&map, &m, opts) {
                Ok((data, sha256, problem)) => grabbed.push(super::Grabbed {
                    entry: i,
                    data,
                    sha256,
                    problem,
                }),
                Err(reason) => {
                    e.problems.push(reason.clone());
                    grabbed.push(Grabbed {
                        entry: i,
                        data: super::Blob::Mem(Vec::new()),
                        sha256: hash::sha256_hex(b""),
                        problem: Some(reason),
                    });
                }
            }
        }
        entries.push(e);
    }
    Ok(ScanOutput {
        kind: super::ContainerKind::Zip,
        digests,
        entries,
        grabbed,
        problems,
        file_list: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_time_epoch() {
        // 2024-03-01 12:00:00
        let date = ((2024 - 1980) << 9 | 3 << 5 | 1) as u16;
        let time = (12 << 11) as u16;
        assert_eq!(dos_to_unix(date, time), Some(1_709_294_400));
    }
}
