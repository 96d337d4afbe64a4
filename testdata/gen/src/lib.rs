//! Deterministic generator of synthetic phone extractions.
//!
//! A [`world::World`] is the known answer: handsets with owner numbers, contacts, messages and
//! calls. Renderers (one module per artifact, in [`render`]) turn a handset into database files in
//! the real schemas of each app version; [`archive`] packs a handset's files into the real
//! extraction layouts (Cellebrite zips, Magnet-style zips, tar, tar.gz, folders). Everything is
//! seeded: the same seed gives byte-identical output. Only Ofcom drama numbers are used.

pub mod archive;
pub mod bulk;
pub mod render;
pub mod rng;
pub mod scenario;
pub mod sqlitefile;
pub mod world;

pub use world::*;
