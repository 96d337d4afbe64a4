//! Folder exhibits (an extraction already unpacked by the examiner's tool) and iTunes-style
//! backups. Files are opened read-only, one at a time, in sorted order; symbolic links are
//! recorded, never followed. The exhibit's digest is the SHA-256 of its sorted per-file hash
//! list (`sha256sum` format), which is written to the output folder too.
use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::{
    keep_member, CatalogEntry, ContainerKind, EntryKind, Grabbed, IngestError, ScanOpts, ScanOutput,
};
use crate::evidence::hash::{self, Digests, MultiHasher};

/// An entry found by [`walk`]: raw relative path, full path, metadata (of the link itself).
type Found = (Vec<u8>, PathBuf, std::fs::Metadata);

/// Every entry below `root`, sorted by raw relative path, without following links.
fn walk(root: &Path) -> (Vec<Found>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("cannot list {}: {e}", dir.display()));
                continue;
            }
        };
        for ent in rd.flatten() {
            let p = ent.path();
            let Ok(md) = std::fs::symlink_metadata(&p) else {
                problems.push(format!("cannot stat {}", p.display()));
                continue;
            };
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .as_os_str()
                .as_bytes()
                .to_vec();
            if md.is_dir() {
                stack.push(p.clone());
            }
            out.push((rel, p, md));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    (out, problems)
}

/// Scan a folder. `device_paths` (for backups) maps a relative file path to the device path it
/// stands for; such files are catalogued and matched under the device path.
pub fn scan(
    root: &Path,
    opts: &ScanOpts<'_>,
    device_paths: Option<&BTreeMap<Vec<u8>, String>>,
) -> Result<ScanOutput, IngestError> {
    let (files, mut problems) = walk(root);
    let mut entries = Vec::with_capacity(files.len());
    let mut grabbed = Vec::new();
    let mut list = Vec::new();
    let mut total = 0u64;
    for (rel, full, md) in &files {
        let kind = if md.file_type().is_symlink() {
            EntryKind::Symlink
        } else if md.is_dir() {
            EntryKind::Dir
        } else if md.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        let mapped = device_paths.and_then(|m| m.get(rel));
        let mut e = CatalogEntry::new(mapped.map(|s| s.as_bytes()).unwrap_or(rel), md.len(), kind);
        if mapped.is_some() {
            e.problems.clear();
        }
        e.mtime = {
            use std::os::unix::fs::MetadataExt;
            Some(md.mtime())
        };
        let idx = entries.len();
        if kind == EntryKind::File {
            let rel_s = String::from_utf8_lossy(rel).into_owned();
            total += md.len();
            let res = std::fs::File::open(full)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    if (opts.want)(&e.path) {
                        keep_member(opts, md.len().max(1), f)
                            .map(|(data, sha, problem)| (sha.clone(), Some((data, sha, problem))))
                            .map_err(|e| e.to_string())
                    } else {
                        hash::hash_reader(f, hash::HashSet::sha256_only(), None)
                            .map(|d| (d.sha256, None))
                            .map_err(|e| e.to_string())
                    }
                });
            if let Some(p) = opts.progress {
                p.inc(md.len());
            }
            match res {
                Ok((sha, kept)) => {
                    list.push((rel_s, sha, md.len()));
                    if let Some((data, sha256, problem)) = kept {
                        grabbed.push(Grabbed {
                            entry: idx,
                            data,
                            sha256,
                            problem,
                        });
                    }
                }
                Err(err) => {
                    e.problems.push(format!("unreadable: {err}"));
                    problems.push(format!("{rel_s}: unreadable: {err}"));
                }
            }
        }
        entries.push(e);
    }
    let text = file_list_text(&list);
    let mut h = MultiHasher::new(opts.hashes, opts.hashes.sha1 || opts.hashes.md5);
    h.update(text.as_bytes());
    let mut digests: Digests = h.finish();
    digests.size = total;
    Ok(ScanOutput {
        kind: if device_paths.is_some() {
            ContainerKind::ItunesBackup
        } else {
            ContainerKind::Folder
        },
        digests,
        entries,
        grabbed,
        problems,
        file_list: Some(list),
    })
}

/// The per-file hash list in `sha256sum` format, sorted by path (the folder's digest input).
pub fn file_list_text(list: &[(String, String, u64)]) -> String {
    let mut s = String::new();
    for (p, sha, _) in list {
        s.push_str(sha);
        s.push_str("  ");
        s.push_str(&p.replace('\n', "\\n"));
        s.push('\n');
    }
    s
}

/// An iTunes-style backup: Manifest.db (read through our in-memory SQLite image) maps each
/// hashed file name to its domain and relative path, which become device paths.
pub fn scan_itunes(root: &Path, opts: &ScanOpts<'_>) -> Result<ScanOutput, IngestError> {
    let manifest = std::fs::read(root.join("Manifest.db"))?;
    let mut map = BTreeMap::new();
    let mut note = None;
    match linesift_parsers::sqlite::DbImage::open(&manifest, None) {
        Ok(img) => {
            let rows = img.select("Files", &["fileID", "domain", "relativePath", "flags"]);
            match rows {
                Ok(t) => {
                    let (id, dom, rel, flags) =
                        (t.col("fileID"), t.col("domain"), t.col("relativePath"), t.col("flags"));
                    for r in &t.rows {
                        if r.i64(flags).unwrap_or(1) != 1 {
                            continue;
                        }
                        let (Some(fid), Some(d), Some(p)) = (r.text(id), r.text(dom), r.text(rel)) else {
                            continue;
                        };
                        let dev = device_path(&d, &p);
                        // iOS 10+ keeps files in a folder named by the hash's first two characters.
                        if fid.len() > 2 {
                            map.insert(format!("{}/{}", &fid[..2], fid).into_bytes(), dev.clone());
                        }
                        map.insert(fid.into_bytes(), dev);
                    }
                }
                Err(e) => note = Some(format!("Manifest.db has no usable Files table: {e}")),
            }
        }
        Err(e) => {
            note = Some(format!(
                "Manifest.db is not readable ({e}); an encrypted backup cannot be parsed without its password"
            ))
        }
    }
    let mut out = scan(root, opts, Some(&map))?;
    if let Some(n) = note {
        out.problems.push(n);
    }
    Ok(out)
}

/// An iTunes backup domain and relative path as the device path.
pub fn device_path(domain: &str, rel: &str) -> String {
    let base = if domain == "HomeDomain" || domain == "MediaDomain" || domain == "CameraRollDomain"
    {
        "/private/var/mobile".to_string()
    } else if domain == "RootDomain" {
        "/private/var/root".to_string()
    } else if domain == "WirelessDomain" {
        "/private/var/wireless".to_string()
    } else if domain == "SystemPreferencesDomain" {
        "/private/var/preferences".to_string()
    } else if domain == "KeychainDomain" {
        "/private/var/Keychains".to_string()
    } else if let Some(g) = domain.strip_prefix("AppDomainGroup-") {
        format!("/private/var/mobile/Containers/Shared/AppGroup/{g}")
    } else if let Some(p) = domain.strip_prefix("AppDomainPlugin-") {
        format!("/private/var/mobile/Containers/Data/PluginKitPlugin/{p}")
    } else if let Some(a) = domain.strip_prefix("AppDomain-") {
        format!("/private/var/mobile/Containers/Data/Application/{a}")
    } else {
        format!("/private/var/{domain}")
    };
    if rel.is_empty() {
        base
    } else {
        format!("{base}/{rel}")
    }
}
