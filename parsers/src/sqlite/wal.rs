//! Write-ahead log parsing and replay, done by our own code over bytes.
//!
//! A WAL is a 32-byte header then frames of a 24-byte header plus one page. Frames count only
//! while their salts equal the header's and the cumulative checksum chain holds; a frame whose
//! "database size" field is non-zero is a commit. Replay applies, in order, every frame up to and
//! including the last valid commit. Everything else (older versions of a page, an uncommitted
//! tail, frames left from before a checkpoint with stale salts) stays listed for recovery.

pub const WAL_HEADER_LEN: usize = 32;
pub const FRAME_HEADER_LEN: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameStatus {
    /// Part of a committed transaction that is in the database's final state or overwritten by
    /// a later committed frame for the same page (see [`Wal::final_frame_for_page`]).
    Committed,
    /// Valid checksum and salts, but after the last commit: an unfinished transaction.
    Uncommitted,
    /// Salts differ from the header (left from before a checkpoint) or the checksum chain broke.
    Invalid,
}

#[derive(Debug, Clone)]
pub struct Frame {
    /// 0-based index of the frame in the file.
    pub index: usize,
    /// Byte offset of the frame header in the WAL file.
    pub offset: u64,
    pub page_no: u32,
    /// Database size in pages after this commit; 0 when the frame is not a commit.
    pub commit_size: u32,
    pub salt1: u32,
    pub salt2: u32,
    pub status: FrameStatus,
    /// 1-based number of the commit this frame belongs to (for valid frames), counting commits
    /// from the start of the WAL.
    pub commit_no: Option<u32>,
}

impl Frame {
    /// Byte range of the page data of this frame in the WAL file.
    pub fn data_range(&self, page_size: usize) -> std::ops::Range<usize> {
        let start = self.offset as usize + FRAME_HEADER_LEN;
        start..start + page_size
    }
}

#[derive(Debug, Clone)]
pub struct Wal {
    pub page_size: usize,
    pub big_endian_checksum: bool,
    pub checkpoint_seq: u32,
    pub salt1: u32,
    pub salt2: u32,
    pub frames: Vec<Frame>,
    /// Problems found (bad header checksum, trailing partial frame ...), with byte offsets.
    pub problems: Vec<(u64, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum WalError {
    #[error("WAL too short ({0} bytes)")]
    TooShort(usize),
    #[error("bad WAL magic {0:#010x}")]
    BadMagic(u32),
    #[error("bad WAL page size {0}")]
    BadPageSize(u32),
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`.
pub fn wal_checksum(big_endian: bool, data: &[u8], s: (u32, u32)) -> (u32, u32) {
    let (mut s0, mut s1) = s;
    for chunk in data.chunks_exact(8) {
        let (x0, x1) = if big_endian {
            (
                u32::from_be_bytes(chunk[0..4].try_into().unwrap()),
                u32::from_be_bytes(chunk[4..8].try_into().unwrap()),
            )
        } else {
            (
                u32::from_le_bytes(chunk[0..4].try_into().unwrap()),
                u32::from_le_bytes(chunk[4..8].try_into().unwrap()),
            )
        };
        s0 = s0.wrapping_add(x0).wrapping_add(s1);
        s1 = s1.wrapping_add(x1).wrapping_add(s0);
    }
    (s0, s1)
}

impl Wal {
    /// Parse a WAL file's bytes. Never fails on damaged frames: they are marked and listed.
    pub fn parse(bytes: &[u8]) -> Result<Wal, WalError> {
        if bytes.len() < WAL_HEADER_LEN {
            return Err(WalError::TooShort(bytes.len()));
        }
        let magic = be32(bytes, 0);
        if magic != 0x377f_0682 && magic != 0x377f_0683 {
            return Err(WalError::BadMagic(magic));
        }
        let big_endian = magic & 1 == 1;
        let ps_raw = be32(bytes, 8);
        let page_size = if ps_raw == 65_536 || ps_raw == 1 {
            65_536
        } else {
            ps_raw as usize
        };
        if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
            return Err(WalError::BadPageSize(ps_raw));
        }
        let mut wal = Wal {
            page_size,
            big_endian_checksum: big_endian,
            checkpoint_seq: be32(bytes, 12),
            salt1: be32(bytes, 16),
            salt2: be32(bytes, 20),
            frames: Vec::new(),
            problems: Vec::new(),
        };
        let hdr_sum = wal_checksum(big_endian, &bytes[..24], (0, 0));
        let mut chain_ok = hdr_sum == (be32(bytes, 24), be32(bytes, 28));
        if !chain_ok {
            wal.problems
                .push((24, "WAL header checksum does not match".to_string()));
        }
        let mut sum = hdr_sum;
        let frame_len = FRAME_HEADER_LEN + page_size;
        let mut off = WAL_HEADER_LEN;
        let mut commit_no = 0u32;
        let mut pending: Vec<usize> = Vec::new();
        while off + frame_len <= bytes.len() {
            let h = &bytes[off..off + FRAME_HEADER_LEN];
            let page_no = be32(h, 0);
            let commit_size = be32(h, 4);
            let (salt1, salt2) = (be32(h, 8), be32(h, 12));
            let mut status = FrameStatus::Invalid;
            if chain_ok && salt1 == wal.salt1 && salt2 == wal.salt2 && page_no != 0 {
                let s = wal_checksum(big_endian, &h[..8], sum);
                let s = wal_checksum(
                    big_endian,
                    &bytes[off + FRAME_HEADER_LEN..off + frame_len],
                    s,
                );
                if s == (be32(h, 16), be32(h, 20)) {
                    sum = s;
                    status = FrameStatus::Uncommitted;
                } else {
                    chain_ok = false;
                    wal.problems.push((
                        off as u64,
                        format!("WAL frame {} checksum breaks the chain", wal.frames.len()),
                    ));
                }
            } else if chain_ok {
                // First frame with other salts or page 0: the valid log ends here.
                chain_ok = false;
            }
            let idx = wal.frames.len();
            wal.frames.push(Frame {
                index: idx,
                offset: off as u64,
                page_no,
                commit_size,
                salt1,
                salt2,
                status,
                commit_no: None,
            });
            if status == FrameStatus::Uncommitted {
                pending.push(idx);
                if commit_size != 0 {
                    commit_no += 1;
                    for &p in &pending {
                        wal.frames[p].status = FrameStatus::Committed;
                        wal.frames[p].commit_no = Some(commit_no);
                    }
                    pending.clear();
                }
            }
            off += frame_len;
        }
        if off < bytes.len() {
            wal.problems.push((
                off as u64,
                format!(
                    "{} trailing bytes after the last whole frame",
                    bytes.len() - off
                ),
            ));
        }
        Ok(wal)
    }

    /// Number of commits in the valid log.
    pub fn commit_count(&self) -> u32 {
        self.frames
            .iter()
            .filter_map(|f| f.commit_no)
            .max()
            .unwrap_or(0)
    }

    /// Database size in pages after the last valid commit.
    pub fn final_db_pages(&self) -> Option<u32> {
        self.frames
            .iter()
            .rev()
            .find(|f| f.status == FrameStatus::Committed && f.commit_size != 0)
            .map(|f| f.commit_size)
    }

    /// Index of the frame that holds the final committed version of `page_no`, if any.
    pub fn final_frame_for_page(&self, page_no: u32) -> Option<usize> {
        self.frames
            .iter()
            .rev()
            .find(|f| f.status == FrameStatus::Committed && f.page_no == page_no)
            .map(|f| f.index)
    }

    /// Apply every committed frame to `main` and return the resulting image bytes.
    ///
    /// `main` may be empty or shorter than the final database (schema only in the WAL); missing
    /// pages are zero-filled. The image is truncated to the last commit's size.
    pub fn replay(&self, wal_bytes: &[u8], main: &[u8]) -> Vec<u8> {
        let ps = self.page_size;
        let Some(pages) = self.final_db_pages() else {
            return main.to_vec();
        };
        // A commit's size and a frame's page number are only checksummed, not checked: a
        // crafted or damaged WAL can claim 2^32 pages. A database grows by writing every new
        // page to the WAL, so no real page lies beyond the main file's pages plus the committed
        // frames; the image stops at the last page anyone holds within that bound (the header's
        // page count then disagrees and DbImage warns).
        let main_pages = main.len() / ps;
        let committed = self
            .frames
            .iter()
            .filter(|f| f.status == FrameStatus::Committed);
        let bound = main_pages + committed.clone().count();
        let held = committed
            .map(|f| f.page_no as usize)
            .filter(|&p| p <= bound)
            .max()
            .unwrap_or(0)
            .max(main_pages);
        let len = (pages as usize).min(held) * ps;
        let mut img = vec![0u8; len];
        let keep = main.len().min(len);
        img[..keep].copy_from_slice(&main[..keep]);
        for f in &self.frames {
            if f.status != FrameStatus::Committed
                || f.page_no == 0
                || f.page_no > pages
                || f.page_no as usize * ps > len
            {
                continue;
            }
            let at = (f.page_no as usize - 1) * ps;
            img[at..at + ps].copy_from_slice(&wal_bytes[f.data_range(ps)]);
        }
        img
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_wal() {
        assert!(matches!(
            Wal::parse(&[0u8; 10]),
            Err(WalError::TooShort(10))
        ));
        assert!(matches!(Wal::parse(&[0u8; 64]), Err(WalError::BadMagic(0))));
    }

    #[test]
    fn checksum_matches_sqlite_definition() {
        // Two 8-byte blocks, little-endian words: s0 += x0 + s1; s1 += x1 + s0.
        let data = [1u8, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0];
        // block 1: s0 = 1, s1 = 2 + 1 = 3; block 2: s0 = 1 + 3 + 3 = 7, s1 = 3 + 4 + 7 = 14
        assert_eq!(wal_checksum(false, &data, (0, 0)), (7, 14));
    }
}
