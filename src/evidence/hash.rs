//! Streaming hashes. Each algorithm runs on its own thread fed by the same chunks, so the slowest
//! (MD5) alone sets the pace when several are asked for.
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use md5::Md5;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct HashSet {
    pub sha256: bool,
    pub sha1: bool,
    pub md5: bool,
}

impl HashSet {
    pub fn sha256_only() -> Self {
        HashSet {
            sha256: true,
            sha1: false,
            md5: false,
        }
    }
    /// Parse `--hash` values: `sha256`, `sha1`, `md5`, `all` (comma-separated). SHA-256 is always on.
    pub fn parse(values: &[String]) -> Result<Self, String> {
        let mut h = HashSet::sha256_only();
        for v in values.iter().flat_map(|v| v.split(',')) {
            match v.trim().to_ascii_lowercase().as_str() {
                "" | "sha256" | "sha-256" => {}
                "sha1" | "sha-1" => h.sha1 = true,
                "md5" => h.md5 = true,
                "all" => {
                    h.sha1 = true;
                    h.md5 = true;
                }
                other => {
                    return Err(format!(
                        "unknown hash algorithm {other:?} (sha256, sha1, md5, all)"
                    ))
                }
            }
        }
        Ok(h)
    }
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = vec!["sha256"];
        if self.sha1 {
            v.push("sha1");
        }
        if self.md5 {
            v.push("md5");
        }
        v
    }
}

/// Hex digests of one byte stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Digests {
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    pub size: u64,
}

pub fn hex(b: &[u8]) -> String {
    linesift_parsers::sqlite::row::hex(b)
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

type Chunk = Arc<Vec<u8>>;

/// A set of hasher threads fed with chunks. Call [`MultiHasher::update`] with consecutive
/// chunks, then [`MultiHasher::finish`].
pub struct MultiHasher {
    txs: Vec<SyncSender<Chunk>>,
    handles: Vec<(&'static str, JoinHandle<String>)>,
    /// SHA-256 inline when it is the only algorithm (no thread hop needed for small inputs).
    inline: Option<Sha256>,
    size: u64,
}

fn spawn<D: Digest + Send + 'static>(
    name: &'static str,
    rx: Receiver<Chunk>,
) -> (&'static str, JoinHandle<String>) {
    let h = std::thread::Builder::new()
        .name(format!("hash-{name}"))
        .spawn(move || {
            let mut d = D::new();
            for c in rx {
                d.update(&c[..]);
            }
            hex(&d.finalize())
        })
        .expect("spawn hasher thread");
    (name, h)
}

impl MultiHasher {
    /// `threaded`: run every algorithm on its own thread (for large streams); otherwise SHA-256
    /// alone is computed inline (only valid when `set` is SHA-256 only).
    pub fn new(set: HashSet, threaded: bool) -> Self {
        if !threaded && !set.sha1 && !set.md5 {
            return MultiHasher {
                txs: vec![],
                handles: vec![],
                inline: Some(Sha256::new()),
                size: 0,
            };
        }
        let mut txs = Vec::new();
        let mut handles = Vec::new();
        let mut add = |name: &'static str| {
            let (tx, rx) = sync_channel::<Chunk>(16);
            txs.push(tx);
            handles.push(match name {
                "sha256" => spawn::<Sha256>(name, rx),
                "sha1" => spawn::<Sha1>(name, rx),
                _ => spawn::<Md5>(name, rx),
            });
        };
        for n in set.names() {
            add(n);
        }
        MultiHasher {
            txs,
            handles,
            inline: None,
            size: 0,
        }
    }

    pub fn update_shared(&mut self, chunk: Chunk) {
        self.size += chunk.len() as u64;
        if let Some(h) = &mut self.inline {
            h.update(&chunk[..]);
            return;
        }
        for tx in &self.txs {
            // A hasher thread only stops early if it panicked; finish() reports that.
            let _ = tx.send(chunk.clone());
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        if let Some(h) = &mut self.inline {
            self.size += data.len() as u64;
            h.update(data);
            return;
        }
        self.update_shared(Arc::new(data.to_vec()));
    }

    pub fn finish(self) -> Digests {
        let mut d = Digests {
            size: self.size,
            ..Default::default()
        };
        if let Some(h) = self.inline {
            d.sha256 = hex(&h.finalize());
            return d;
        }
        drop(self.txs);
        for (name, h) in self.handles {
            let v = h.join().expect("hasher thread panicked");
            match name {
                "sha256" => d.sha256 = v,
                "sha1" => d.sha1 = Some(v),
                _ => d.md5 = Some(v),
            }
        }
        d
    }
}

/// Chunk size for streaming passes.
pub const CHUNK: usize = 1 << 20;

/// A reader that hands every byte it reads to a [`MultiHasher`] (the container's one pass).
pub struct TeeReader<R> {
    inner: R,
    hasher: MultiHasher,
    progress: Option<indicatif::ProgressBar>,
}

impl<R: Read> TeeReader<R> {
    pub fn new(inner: R, hasher: MultiHasher, progress: Option<indicatif::ProgressBar>) -> Self {
        TeeReader {
            inner,
            hasher,
            progress,
        }
    }
    /// Read whatever is left (bytes after an archive's end marker still belong to the file).
    pub fn drain(&mut self) -> io::Result<u64> {
        let mut buf = vec![0u8; CHUNK];
        let mut n = 0;
        loop {
            let k = self.read(&mut buf)?;
            if k == 0 {
                return Ok(n);
            }
            n += k as u64;
        }
    }
    pub fn finish(self) -> Digests {
        self.hasher.finish()
    }
}

impl<R: Read> Read for TeeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hasher.update(&buf[..n]);
            if let Some(p) = &self.progress {
                p.inc(n as u64);
            }
        }
        Ok(n)
    }
}

/// Hash a whole reader in one pass.
pub fn hash_reader<R: Read>(
    mut r: R,
    set: HashSet,
    progress: Option<&indicatif::ProgressBar>,
) -> io::Result<Digests> {
    let threaded = set.sha1 || set.md5;
    let mut h = MultiHasher::new(set, threaded);
    loop {
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            let k = r.read(&mut buf[filled..])?;
            if k == 0 {
                break;
            }
            filled += k;
        }
        if filled == 0 {
            break;
        }
        buf.truncate(filled);
        if let Some(p) = progress {
            p.inc(filled as u64);
        }
        if threaded {
            h.update_shared(Arc::new(buf));
        } else {
            h.update(&buf);
        }
        if filled < CHUNK {
            break;
        }
    }
    Ok(h.finish())
}

/// Hash a file by path (opened read-only).
pub fn hash_file(
    path: &std::path::Path,
    set: HashSet,
    progress: Option<&indicatif::ProgressBar>,
) -> io::Result<Digests> {
    hash_reader(std::fs::File::open(path)?, set, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        let set = HashSet::parse(&["all".into()]).unwrap();
        let d = hash_reader(&b"abc"[..], set, None).unwrap();
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            d.sha1.as_deref(),
            Some("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(d.md5.as_deref(), Some("900150983cd24fb0d6963f7d28e17f72"));
        assert_eq!(d.size, 3);
        let big: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i * 31 % 251) as u8).collect();
        let a = hash_reader(&big[..], set, None).unwrap();
        let b = hash_reader(&big[..], HashSet::sha256_only(), None).unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256, sha256_hex(&big));
    }

    #[test]
    fn parse_rejects_unknown() {
        assert!(HashSet::parse(&["sha512".into()]).is_err());
        let h = HashSet::parse(&["sha1,md5".into()]).unwrap();
        assert!(h.sha1 && h.md5 && h.sha256);
    }
}
