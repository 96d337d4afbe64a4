//! Every artifact parser with its path rule. The caller matches the whole catalog once against
//! all rules (see [`path_patterns`], meant for a `RegexSet`) and calls [`ArtifactSpec::parse`].
use crate::{ParseError, ParseOutput};

/// The bytes of one artifact: a database with its companions, or a plain file.
#[derive(Debug, Clone, Copy)]
pub struct DbInput<'a> {
    /// Canonical device path (see [`crate::paths::canonical`]).
    pub path: &'a str,
    pub main: &'a [u8],
    pub wal: Option<&'a [u8]>,
    pub journal: Option<&'a [u8]>,
    /// Also return deleted and superseded records recovered by the page reader (see
    /// [`crate::sqlite::image::RECORD_TABLES`]).
    pub recover: bool,
}

impl<'a> DbInput<'a> {
    pub fn new(path: &'a str, main: &'a [u8]) -> Self {
        DbInput {
            path,
            main,
            wal: None,
            journal: None,
            recover: false,
        }
    }
}

pub type ParseFn = fn(&DbInput<'_>) -> Result<ParseOutput, ParseError>;

pub struct ArtifactSpec {
    /// Stable parser name, e.g. `android.mmssms` (recorded in the artifacts table).
    pub parser: &'static str,
    /// What it reads, for `inspect` and the docs.
    pub description: &'static str,
    /// Regex over the canonical path. Write it against the device layout only; use
    /// [`ANDROID_DATA`] for the storage views of an app's private data.
    pub pattern: &'static str,
    /// Whether the file is SQLite (so `-wal` / `-journal` companions are gathered with it).
    pub sqlite: bool,
    pub parse: ParseFn,
}

impl std::fmt::Debug for ArtifactSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArtifactSpec")
            .field("parser", &self.parser)
            .field("pattern", &self.pattern)
            .finish()
    }
}

/// The storage views under which Android keeps an app's private data:
/// `/data/data/<pkg>`, `/data/user/N/<pkg>`, `/data/user_de/N/<pkg>`, `/data_mirror/data_ce/null/N/<pkg>`
/// and `/data_mirror/data_de/null/N/<pkg>`. Use as a prefix: `concat!(ANDROID_DATA!(), ...)` is
/// not possible for consts, so patterns spell `^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/`.
pub const ANDROID_DATA: &str =
    r"^/(?:data/(?:data|user/\d+|user_de/\d+)|data_mirror/data_(?:ce|de)/[^/]+/\d+)/";

/// Every parser, in a fixed order.
pub fn registry() -> Vec<&'static ArtifactSpec> {
    crate::android::SPECS
        .iter()
        .chain(crate::ios::SPECS.iter())
        .chain(crate::whatsapp::SPECS.iter())
        .collect()
}

/// The patterns of [`registry`], in the same order (index i belongs to `registry()[i]`).
pub fn path_patterns() -> Vec<&'static str> {
    registry().iter().map(|s| s.pattern).collect()
}

/// Look a parser up by name.
pub fn by_name(name: &str) -> Option<&'static ArtifactSpec> {
    registry().into_iter().find(|s| s.parser == name)
}
