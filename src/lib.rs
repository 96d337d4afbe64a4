//! linesift: read-only batch extraction of messages, contacts and calls from seized-phone
//! extractions, with evidence hashing and deal-line analysis.
//!
//! Stages (see `README.md` and `docs/`): [`ingest`] → [`evidence`] → matching → parsers (the
//! `linesift-parsers` crate) → [`analysis`] → [`export`].
pub mod analysis;
