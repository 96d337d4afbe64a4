//! android artifacts.
use crate::registry::ArtifactSpec;

/// The android parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[];
