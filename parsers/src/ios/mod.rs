//! ios artifacts.
use crate::registry::ArtifactSpec;

/// The ios parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[];
