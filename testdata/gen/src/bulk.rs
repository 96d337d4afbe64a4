//! Large extractions for benches: many filler entries of incompressible bytes in a real layout,
//! plus (optionally) real artifact files, streamed to disk (never held in memory).
use std::io::Write;
use std::path::Path;

use crate::archive::{member_name, DeviceFile, MTIME};
use crate::rng::Rng;
use crate::world::Layout;

/// Fill `buf` with seeded incompressible bytes.
fn fill(rng: &mut Rng, buf: &mut [u8]) {
    for chunk in buf.chunks_mut(8) {
        let v = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

/// Write an extraction of about `total_bytes` in `entries` filler files (plus `extra` files) to
/// `out`, for zip layouts, tar or tar.gz. Sizes vary around the mean; content is incompressible
/// (as photos and videos are).
pub fn write_bulk(
    layout: Layout,
    total_bytes: u64,
    entries: u64,
    extra: &[DeviceFile],
    out: &Path,
    seed: u64,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    let mean = (total_bytes / entries.max(1)).max(1);
    let mut sizes = Vec::with_capacity(entries as usize);
    for _ in 0..entries {
        sizes.push(rng.range((mean / 2) as i64, (mean * 3 / 2) as i64 + 1) as u64);
    }
    let name = |i: u64| {
        let dev = if matches!(layout, Layout::CellebriteIosZip) || i % 2 == 1 {
            format!(
                "/private/var/mobile/Media/DCIM/{:03}APPLE/IMG_{:05}.JPG",
                100 + i / 1000,
                i % 1000
            )
        } else {
            format!("/data/media/0/DCIM/Camera/{:04}/IMG_{:07}.jpg", i / 1000, i)
        };
        member_name(layout, &dev)
    };
    let mut buf = vec![0u8; 1 << 20];
    match layout {
        Layout::Tar | Layout::TarGz => {
            let f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
            let w: Box<dyn Write> = if layout == Layout::TarGz {
                Box::new(
                    flate2::GzBuilder::new()
                        .mtime(MTIME as u32)
                        .write(f, flate2::Compression::fast()),
                )
            } else {
                Box::new(f)
            };
            let mut tb = tar::Builder::new(w);
            for f in extra {
                let mut h = tar::Header::new_gnu();
                h.set_size(f.bytes.len() as u64);
                h.set_mode(0o660);
                h.set_mtime(MTIME);
                tb.append_data(&mut h, member_name(layout, &f.path), &f.bytes[..])?;
            }
            for (i, &sz) in sizes.iter().enumerate() {
                let mut h = tar::Header::new_gnu();
                h.set_size(sz);
                h.set_mode(0o660);
                h.set_mtime(MTIME);
                let mut data = Vec::with_capacity(sz as usize);
                let mut left = sz as usize;
                while left > 0 {
                    let k = left.min(buf.len());
                    fill(&mut rng, &mut buf[..k]);
                    data.extend_from_slice(&buf[..k]);
                    left -= k;
                }
                tb.append_data(&mut h, name(i as u64), &data[..])?;
            }
            tb.into_inner()?.flush()?;
        }
        Layout::Folder => unimplemented!("bulk folders are not needed by the benches"),
        _ => {
            let f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
            let mut zw = zip::ZipWriter::new(f);
            let t = zip::DateTime::from_date_and_time(2024, 3, 1, 12, 0, 0).unwrap();
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .last_modified_time(t);
            let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
            for f in extra {
                zw.start_file(member_name(layout, &f.path), deflated)
                    .map_err(std::io::Error::other)?;
                zw.write_all(&f.bytes)?;
            }
            for (i, &sz) in sizes.iter().enumerate() {
                zw.start_file(name(i as u64), stored.large_file(sz >= u32::MAX as u64))
                    .map_err(std::io::Error::other)?;
                let mut left = sz as usize;
                while left > 0 {
                    let k = left.min(buf.len());
                    fill(&mut rng, &mut buf[..k]);
                    zw.write_all(&buf[..k])?;
                    left -= k;
                }
            }
            zw.finish().map_err(std::io::Error::other)?.flush()?;
        }
    }
    Ok(())
}
