//! Ingest: read exhibits without ever changing them.
//!
//! One [`scan`] per exhibit makes the container's single pass: it hashes the container, lists
//! every entry into the catalog (raw path, size, mtime, where its bytes are) and grabs the bytes of
//! the entries the caller wants (parser artifacts and their companions), hashing each as it is
//! read. Nothing is extracted beside the input; a wanted member larger than the in-memory limit
//! goes to a temp file inside the output folder. Entry names are data: they are never used as
//! file-system paths.
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::evidence::hash::{Digests, HashSet};

pub mod folder;
pub mod tarball;
pub mod zipfile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerKind {
    Zip,
    Tar,
    TarGz,
    Folder,
    /// An iTunes-style backup folder (Manifest.db maps hashed file names to device paths).
    ItunesBackup,
}

impl ContainerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Zip => "zip",
            ContainerKind::Tar => "tar",
            ContainerKind::TarGz => "tar.gz",
            ContainerKind::Folder => "folder",
            ContainerKind::ItunesBackup => "itunes_backup",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("does not exist: {0}")]
    NotFound(String),
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file (0 bytes): not an extraction")]
    Empty,
    #[error("not a recognised extraction container (zip, tar, tar.gz, folder): {0}")]
    Unknown(String),
    #[error("damaged {kind}: {reason}")]
    Damaged { kind: &'static str, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

/// One entry of an exhibit's catalog.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogEntry {
    /// The name as stored, decoded as UTF-8 (lossily if it is not).
    pub path: String,
    /// The raw name bytes in hex, only when they are not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_path_hex: Option<String>,
    pub size: u64,
    /// Modification time, Unix seconds, as the container records it.
    pub mtime: Option<i64>,
    pub kind: EntryKind,
    /// Where the entry's bytes are: byte offset of its data (zip: local header) in the container.
    pub offset: Option<u64>,
    /// Anything odd about the entry (dangerous name, encryption, unsupported compression).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl CatalogEntry {
    pub fn new(raw: &[u8], size: u64, kind: EntryKind) -> Self {
        let (path, raw_path_hex) = match std::str::from_utf8(raw) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (
                String::from_utf8_lossy(raw).into_owned(),
                Some(linesift_parsers::sqlite::row::hex(raw)),
            ),
        };
        let mut e = CatalogEntry {
            path,
            raw_path_hex,
            size,
            mtime: None,
            kind,
            offset: None,
            problems: Vec::new(),
        };
        e.problems.extend(name_problems(raw));
        e
    }
}

/// Flags names that would be dangerous if anyone used them as paths. We never do; the flags
/// tell the examiner the archive holds crafted names.
pub fn name_problems(raw: &[u8]) -> Vec<String> {
    let mut p = Vec::new();
    if raw.contains(&0) {
        p.push("name contains a NUL byte".to_string());
    }
    let s = String::from_utf8_lossy(raw);
    if s.split(['/', '\\']).any(|seg| seg == "..") {
        p.push("name contains a '..' segment".to_string());
    }
    if s.len() > 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic() {
        p.push("name is a Windows drive path".to_string());
    }
    p
}

/// Bytes of a grabbed entry: in memory, or in a temp file inside the output folder (mapped).
pub enum Blob {
    Mem(Vec<u8>),
    Mapped { map: memmap2::Mmap, path: PathBuf },
}

impl std::ops::Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Blob::Mem(v) => v,
            Blob::Mapped { map, .. } => map,
        }
    }
}

impl Drop for Blob {
    fn drop(&mut self) {
        if let Blob::Mapped { path, .. } = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blob({} bytes)", self.len())
    }
}

/// An entry whose bytes were read for parsing.
#[derive(Debug)]
pub struct Grabbed {
    /// Index into [`ScanOutput::entries`].
    pub entry: usize,
    /// The bytes read (possibly fewer than the declared size when `problem` says so).
    pub data: Blob,
    /// SHA-256 of exactly the bytes read.
    pub sha256: String,
    /// Why the bytes may be incomplete or untrustworthy (bad CRC, truncated, over the limit).
    pub problem: Option<String>,
}

#[derive(Debug)]
pub struct ScanOutput {
    pub kind: ContainerKind,
    pub digests: Digests,
    pub entries: Vec<CatalogEntry>,
    pub grabbed: Vec<Grabbed>,
    /// Container-level problems (truncation, trailing garbage ...). The scan still returns
    /// whatever it could read.
    pub problems: Vec<String>,
    /// Folder exhibits: (relative path, sha256, size) of every file, sorted by path.
    pub file_list: Option<Vec<(String, String, u64)>>,
}

pub struct ScanOpts<'a> {
    pub hashes: HashSet,
    /// Largest member kept in memory; larger wanted members go to `temp_dir`.
    pub max_in_memory: u64,
    /// Largest member read at all (`--max-artifact-mb`); beyond it the member is flagged and
    /// cut (a zip bomb stops here).
    pub max_member: u64,
    pub temp_dir: PathBuf,
    pub progress: Option<&'a indicatif::ProgressBar>,
    pub want: &'a (dyn Fn(&str) -> bool + Sync),
}

/// Work out what kind of container a path is, from magic bytes (the name is only a hint).
pub fn detect(path: &Path) -> Result<ContainerKind, IngestError> {
    let md = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => IngestError::NotFound(path.display().to_string()),
        _ => IngestError::Io(e),
    })?;
    if md.is_dir() {
        if path.join("Manifest.db").is_file() {
            return Ok(ContainerKind::ItunesBackup);
        }
        return Ok(ContainerKind::Folder);
    }
    if md.len() == 0 {
        return Err(IngestError::Empty);
    }
    let mut head = [0u8; 512];
    let n = read_prefix(path, &mut head)?;
    let head = &head[..n];
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"PK\x07\x08")
    {
        return Ok(ContainerKind::Zip);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(ContainerKind::TarGz);
    }
    if tarball::looks_like_tar(head) {
        return Ok(ContainerKind::Tar);
    }
    // A zip with something prepended (self-extractor, UFDR wrappers): look for its end record.
    if zipfile::has_end_record(path).unwrap_or(false) {
        return Ok(ContainerKind::Zip);
    }
    Err(IngestError::Unknown(format!(
        "first bytes {}",
        linesift_parsers::sqlite::row::hex(&head[..head.len().min(8)])
    )))
}

fn read_prefix(path: &Path, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < buf.len() {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

/// Scan one exhibit: hash, catalog, grab wanted entries.
pub fn scan(
    path: &Path,
    kind: ContainerKind,
    opts: &ScanOpts<'_>,
) -> Result<ScanOutput, IngestError> {
    match kind {
        ContainerKind::Zip => zipfile::scan(path, opts),
        ContainerKind::Tar => tarball::scan(path, false, opts),
        ContainerKind::TarGz => tarball::scan(path, true, opts),
        ContainerKind::Folder => folder::scan(path, opts, None),
        ContainerKind::ItunesBackup => folder::scan_itunes(path, opts),
    }
}

/// Keep a wanted member: in memory up to the limit, else in a temp file under `temp_dir`.
/// Reads at most `cap` (and never more than `max_member`) bytes; the SHA-256 covers exactly the bytes kept. Returns a
/// problem when the member went on past the limit (a bomb, or a member too large to parse).
pub(crate) fn keep_member(
    opts: &ScanOpts<'_>,
    cap: u64,
    mut reader: impl std::io::Read,
) -> std::io::Result<(Blob, String, Option<String>)> {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    let cap = cap.min(opts.max_member);
    let mut hasher = Sha256::new();
    let mut mem = Vec::new();
    let mut file: Option<(std::fs::File, PathBuf)> = None;
    let mut total = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    while total < cap {
        let want = buf.len().min((cap - total) as usize);
        let k = reader.read(&mut buf[..want])?;
        if k == 0 {
            break;
        }
        hasher.update(&buf[..k]);
        total += k as u64;
        if file.is_none() && total > opts.max_in_memory {
            std::fs::create_dir_all(&opts.temp_dir)?;
            let tmp = tempfile::Builder::new()
                .prefix("member-")
                .tempfile_in(&opts.temp_dir)?;
            let (mut f, path) = tmp.keep().map_err(|e| e.error)?;
            f.write_all(&mem)?;
            mem = Vec::new();
            file = Some((f, path));
        }
        match &mut file {
            Some((f, _)) => f.write_all(&buf[..k])?,
            None => mem.extend_from_slice(&buf[..k]),
        }
    }
    let mut problem = None;
    if total >= opts.max_member {
        let mut one = [0u8; 1];
        if matches!(reader.read(&mut one), Ok(1)) {
            problem = Some(format!(
                "member goes on past the per-artifact limit of {} MB; only the first {} bytes were read",
                opts.max_member >> 20,
                total
            ));
        }
    }
    let blob = match file {
        None => Blob::Mem(mem),
        Some((mut f, path)) => {
            f.flush()?;
            drop(f);
            let map = map_readonly(&std::fs::File::open(&path)?)?;
            Blob::Mapped { map, path }
        }
    };
    Ok((
        blob,
        crate::evidence::hash::hex(&hasher.finalize()),
        problem,
    ))
}

/// Map a file read-only. mmap is confined to `ingest`; the file must not change while mapped
/// (exhibits are read-only evidence; temp files are ours).
pub(crate) fn map_readonly(f: &std::fs::File) -> std::io::Result<memmap2::Mmap> {
    #[allow(unsafe_code)]
    // SAFETY: the mapping is read-only; evidence files are never written by anyone during a run
    // (they are seized, write-protected copies) and temp files are private to this process.
    unsafe {
        memmap2::Mmap::map(f)
    }
}
