//! Rollback journal (`-journal`) page records.
//!
//! A journal starts with a header in its first sector: magic `d9d505f920a163d7`, record count,
//! checksum nonce, initial database size, sector size, page size. Each record is a 4-byte page
//! number, the page's original content and a 4-byte checksum. Several headers may follow one
//! another (one per sector-aligned segment); a count of 0 or -1 means "read to the end".

use std::ops::Range;

const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

#[derive(Debug, Clone)]
pub struct JournalRecord {
    pub page_no: u32,
    /// Byte range of the page image in the journal.
    pub data: Range<usize>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    crate::sqlite::pages::be32(b, at)
}

/// Parse the journal's records. `db_page_size` is used when the header's page size is zero.
pub fn parse(j: &[u8], db_page_size: usize) -> Result<Vec<JournalRecord>, String> {
    if j.len() < 28 {
        return Err(format!("journal too short ({} bytes)", j.len()));
    }
    let mut out = Vec::new();
    let mut hdr = 0usize;
    let mut segments = 0;
    while hdr + 28 <= j.len() && segments < 10_000 {
        segments += 1;
        if j[hdr..hdr + 8] != MAGIC {
            if segments == 1 {
                return zeroed_header(j, db_page_size);
            }
            break;
        }
        let nrec = be32(j, hdr + 8).unwrap_or(0);
        let sector = be32(j, hdr + 20).unwrap_or(512) as usize;
        let mut ps = be32(j, hdr + 24).unwrap_or(0) as usize;
        if ps == 0 {
            ps = db_page_size;
        }
        if !(512..=65_536).contains(&ps) || !ps.is_power_of_two() {
            return Err(format!("journal page size {ps} invalid"));
        }
        let sector = if (32..=65_536).contains(&sector) && sector.is_power_of_two() {
            sector
        } else {
            512
        };
        let rec_len = ps + 8;
        let mut at = hdr + sector;
        let max = if nrec == 0 || nrec == u32::MAX {
            (j.len().saturating_sub(at)) / rec_len
        } else {
            nrec as usize
        };
        let mut n = 0;
        while n < max && at + rec_len <= j.len() {
            let page_no = be32(j, at).unwrap_or(0);
            if page_no == 0 {
                break;
            }
            out.push(JournalRecord {
                page_no,
                data: at + 4..at + 4 + ps,
            });
            at += rec_len;
            n += 1;
        }
        // Next segment header is sector-aligned.
        let next = at.div_ceil(sector) * sector;
        if next <= hdr {
            break;
        }
        hdr = next;
    }
    Ok(out)
}

/// A journal whose header was zeroed (`journal_mode=PERSIST` after a commit, or a finished
/// transaction): the page records that follow are still the pages as they were before that
/// transaction. The sector size is unknown, so 512, 1024, 2048 and 4096 are tried; the one whose
/// records all carry plausible page numbers wins.
fn zeroed_header(j: &[u8], ps: usize) -> Result<Vec<JournalRecord>, String> {
    if j[..28].iter().any(|&b| b != 0) {
        return Err("no journal header magic (not a journal)".into());
    }
    let rec_len = ps + 8;
    let mut best: Vec<JournalRecord> = Vec::new();
    for sector in [512usize, 1024, 2048, 4096] {
        let mut out = Vec::new();
        let mut at = sector;
        while at + rec_len <= j.len() {
            let page_no = be32(j, at).unwrap_or(0);
            // Pages of a database of at most 2^31 bytes per page size: anything wild ends it.
            if page_no == 0 || page_no as usize > (1usize << 31) / ps {
                break;
            }
            out.push(JournalRecord {
                page_no,
                data: at + 4..at + 4 + ps,
            });
            at += rec_len;
        }
        if out.len() > best.len() {
            best = out;
        }
    }
    if best.is_empty() {
        return Err("journal header zeroed and no page records found".into());
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_one_record() {
        let mut j = vec![0u8; 512 + 8 + 512];
        j[..8].copy_from_slice(&MAGIC);
        j[8..12].copy_from_slice(&1u32.to_be_bytes());
        j[20..24].copy_from_slice(&512u32.to_be_bytes());
        j[24..28].copy_from_slice(&512u32.to_be_bytes());
        j[512..516].copy_from_slice(&3u32.to_be_bytes());
        let r = parse(&j, 4096).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].page_no, 3);
        assert_eq!(r[0].data, 516..1028);
        assert!(parse(&[0u8; 600], 4096).is_err());
    }
}
