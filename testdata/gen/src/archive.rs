//! Pack device files into the real extraction layouts.
use std::io::Write;
use std::path::Path;

use crate::world::Layout;

/// A file to put in an extraction, by its device path (`/data/data/...`, `/private/var/...`).
#[derive(Debug, Clone)]
pub struct DeviceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl DeviceFile {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        DeviceFile {
            path: path.into(),
            bytes,
        }
    }
}

/// Fixed modification time for every generated member (2024-03-01 12:00:00 UTC), so output is
/// byte-identical from run to run.
pub const MTIME: u64 = 1_709_294_400;

/// The member name a device path gets in a layout.
pub fn member_name(layout: Layout, device_path: &str) -> String {
    let rel = device_path.trim_start_matches('/');
    match layout {
        Layout::CellebriteAndroidZip => format!("Dump/{rel}"),
        Layout::CellebriteIosZip => match rel.strip_prefix("private/var/") {
            Some(r) => format!("filesystem2/{r}"),
            None => format!("filesystem1/{rel}"),
        },
        Layout::MagnetZip => format!("/{rel}"),
        Layout::Tar | Layout::TarGz | Layout::Folder => rel.to_string(),
    }
}

/// The file name extension a layout's exhibit gets (`""` for folders).
pub fn extension(layout: Layout) -> &'static str {
    match layout {
        Layout::CellebriteAndroidZip | Layout::CellebriteIosZip | Layout::MagnetZip => ".zip",
        Layout::Tar => ".tar",
        Layout::TarGz => ".tar.gz",
        Layout::Folder => "",
    }
}

/// Write `files` to `out` in `layout` (sorted by member name; deterministic bytes).
pub fn write(layout: Layout, files: &[DeviceFile], out: &Path) -> std::io::Result<()> {
    let mut members: Vec<(String, &[u8])> = files
        .iter()
        .map(|f| (member_name(layout, &f.path), f.bytes.as_slice()))
        .collect();
    members.sort_by(|a, b| a.0.cmp(&b.0));
    match layout {
        Layout::CellebriteAndroidZip | Layout::CellebriteIosZip | Layout::MagnetZip => {
            write_zip(&members, out)
        }
        Layout::Tar => write_tar(&members, std::fs::File::create(out)?).map(|_| ()),
        Layout::TarGz => {
            let gz = flate2::GzBuilder::new()
                .mtime(MTIME as u32)
                .write(std::fs::File::create(out)?, flate2::Compression::fast());
            write_tar(&members, gz)?.finish()?;
            Ok(())
        }
        Layout::Folder => {
            for (name, bytes) in &members {
                let p = out.join(name);
                std::fs::create_dir_all(p.parent().unwrap())?;
                std::fs::write(&p, bytes)?;
            }
            Ok(())
        }
    }
}

fn write_zip(members: &[(String, &[u8])], out: &Path) -> std::io::Result<()> {
    let mut zw = zip::ZipWriter::new(std::fs::File::create(out)?);
    let t = zip::DateTime::from_date_and_time(2024, 3, 1, 12, 0, 0).unwrap();
    for (name, bytes) in members {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(if bytes.len() < 64 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            })
            .last_modified_time(t)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zw.start_file(name.clone(), opts)
            .map_err(std::io::Error::other)?;
        zw.write_all(bytes)?;
    }
    zw.finish().map_err(std::io::Error::other)?;
    Ok(())
}

fn write_tar<W: Write>(members: &[(String, &[u8])], w: W) -> std::io::Result<W> {
    let mut tb = tar::Builder::new(w);
    tb.mode(tar::HeaderMode::Deterministic);
    for (name, bytes) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o660);
        h.set_mtime(MTIME);
        h.set_entry_type(tar::EntryType::Regular);
        tb.append_data(&mut h, name, *bytes)?;
    }
    tb.into_inner()
}

/// Write every handset of a world as an exhibit in its own layout under `dir`, named by its
/// label. `generation(i)` picks the schema generation of handset `i` (see
/// [`crate::render::handset_files`]). Returns the exhibit paths, in handset order.
pub fn write_world(
    world: &crate::world::World,
    dir: &Path,
    generation: impl Fn(usize) -> u32,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    for (i, h) in world.handsets.iter().enumerate() {
        let files = crate::render::handset_files(h, generation(i));
        let p = dir.join(format!("{}{}", h.label, extension(h.layout)));
        if p.exists() {
            if p.is_dir() {
                std::fs::remove_dir_all(&p)?;
            } else {
                std::fs::remove_file(&p)?;
            }
        }
        write(h.layout, &files, &p)?;
        out.push(p);
    }
    Ok(out)
}
