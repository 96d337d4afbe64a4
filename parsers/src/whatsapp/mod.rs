//! whatsapp artifacts.
use crate::registry::ArtifactSpec;

/// The whatsapp parsers with their path rules.
pub const SPECS: &[ArtifactSpec] = &[];
