//! tar and tar.gz exhibits, in one streaming pass: the file is read once, every byte goes to the
//! hashers, a gzip stream is decompressed once (never rewound), entries are catalogued as they
//! pass and wanted members are kept as they stream by. ustar, pax and GNU long names and sizes
//! (members over 8 GiB) are handled by the `tar` crate's header parsing.
use std::io::{BufReader, Read};
use std::path::Path;

use super::{
    keep_member, CatalogEntry, ContainerKind, EntryKind, Grabbed, IngestError, ScanOpts, ScanOutput,
};
use crate::evidence::hash::{self, MultiHasher, TeeReader};

/// A 512-byte block that is a tar header: `ustar` magic, or a valid header checksum.
pub fn looks_like_tar(head: &[u8]) -> bool {
    if head.len() < 512 {
        return false;
    }
    if &head[257..262] == b"ustar" {
        return true;
    }
    let field = &head[148..156];
    let stored = std::str::from_utf8(field)
        .ok()
        .map(|s| s.trim_matches(|c: char| c == '\0' || c == ' '))
        .and_then(|s| u32::from_str_radix(s, 8).ok());
    let sum: u32 = head[..512]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                b as u32
            }
        })
        .sum();
    stored == Some(sum) && head[0] != 0
}

pub fn scan(path: &Path, gz: bool, opts: &ScanOpts<'_>) -> Result<ScanOutput, IngestError> {
    let f = std::fs::File::open(path)?;
    let threaded = gz || opts.hashes.sha1 || opts.hashes.md5;
    let tee = TeeReader::new(
        f,
        MultiHasher::new(opts.hashes, threaded),
        opts.progress.cloned(),
    );
    let buffered = BufReader::with_capacity(hash::CHUNK, tee);
    let (entries, grabbed, mut problems, mut tee) = if gz {
        let dec = flate2::read::MultiGzDecoder::new(buffered);
        let (e, g, p, dec) = walk(dec, opts);
        (e, g, p, dec.into_inner().into_inner())
    } else {
        let (e, g, p, r) = walk(buffered, opts);
        (e, g, p, r.into_inner())
    };
    // Whatever follows the end-of-archive marker (padding, garbage) is part of the file too.
    match tee.drain() {
        Ok(0) => {}
        Ok(n) if !problems.is_empty() => problems.push(format!(
            "{n} further bytes after the damage were hashed but not read"
        )),
        Ok(_) => {}
        Err(e) => problems.push(format!("read error while hashing: {e}")),
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push("archive holds no entries".into());
    }
    Ok(ScanOutput {
        kind: if gz {
            ContainerKind::TarGz
        } else {
            ContainerKind::Tar
        },
        digests: tee.finish(),
        entries,
        grabbed,
        problems,
        file_list: None,
    })
}

fn walk<R: Read>(r: R, opts: &ScanOpts<'_>) -> (Vec<CatalogEntry>, Vec<Grabbed>, Vec<String>, R) {
    let mut ar = tar::Archive::new(r);
    let mut entries = Vec::new();
    let mut grabbed = Vec::new();
    let mut problems = Vec::new();
    match ar.entries() {
        Err(e) => problems.push(format!("not readable as tar: {e}")),
        Ok(iter) => {
            for ent in iter {
                let mut ent = match ent {
                    Ok(x) => x,
                    Err(e) => {
                        problems.push(format!(
                            "archive damaged after {} entries: {e}",
                            entries.len()
                        ));
                        break;
                    }
                };
                let raw = ent.path_bytes().into_owned();
                let kind = match ent.header().entry_type() {
                    tar::EntryType::Regular
                    | tar::EntryType::Continuous
                    | tar::EntryType::GNUSparse => EntryKind::File,
                    tar::EntryType::Directory => EntryKind::Dir,
                    tar::EntryType::Symlink | tar::EntryType::Link => EntryKind::Symlink,
                    _ => EntryKind::Other,
                };
                let size = ent.size();
                let mut e = CatalogEntry::new(&raw, size, kind);
                e.mtime = ent.header().mtime().ok().map(|m| m as i64);
                e.offset = Some(ent.raw_file_position());
                let idx = entries.len();
                let mut stop = false;
                if kind == EntryKind::File && (opts.want)(&e.path) {
                    match keep_member(opts, size, &mut ent) {
                        Ok((data, sha256, mut problem)) => {
                            if problem.is_none() && (data.len() as u64) < size.min(opts.max_member)
                            {
                                problem = Some(format!(
                                    "archive ends inside this member: {} of {size} bytes present",
                                    data.len()
                                ));
                                stop = true;
                            }
                            grabbed.push(Grabbed {
                                entry: idx,
                                data,
                                sha256,
                                problem,
                            });
                        }
                        Err(err) => {
                            let reason = format!("member unreadable: {err}");
                            e.problems.push(reason.clone());
                            grabbed.push(Grabbed {
                                entry: idx,
                                data: super::Blob::Mem(Vec::new()),
                                sha256: hash::sha256_hex(b""),
                                problem: Some(reason),
                            });
                            stop = true;
                        }
                    }
                }
                entries.push(e);
                if stop {
                    problems.push(format!("archive truncated or damaged inside entry {idx}"));
                    break;
                }
            }
        }
    }
    (entries, grabbed, problems, ar.into_inner())
}
