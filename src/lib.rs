//! linesift: read-only batch extraction of messages, contacts and calls from seized-phone
//! extractions, with evidence hashing and deal-line analysis.
//!
//! Stages: [`ingest`] (containers → catalog, one pass) → [`evidence`] (hashes, audit log,
//! manifest, verify) → [`matching`] (path rules) → parsers (the `linesift-parsers` crate) →
//! [`analysis`] → [`export`]. [`process`] runs them in order; [`case`] is the data between them.
pub mod analysis;
pub mod case;
pub mod evidence;
pub mod export;
pub mod ingest;
pub mod inspect;
pub mod matching;
pub mod process;
