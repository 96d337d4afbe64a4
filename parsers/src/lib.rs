//! linesift-parsers: bytes in, records out.
//!
//! This crate knows nothing of archives, hashing or output formats. It holds
//! - the record model ([`model`]): messages, contacts, calls and owner numbers, each with its
//!   in-artifact origin (table, rowid or byte offset, and record state);
//! - canonical evidence paths ([`paths`]) so that every extraction layout matches the same rules;
//! - the read-only SQLite layer ([`sqlite`]): a database and its WAL are read as bytes, the WAL is
//!   replayed by our own code and the image is handed to SQLite in memory; SQLite never opens an
//!   evidence file;
//! - one module per artifact, and the [`registry`] that names them with their path rules.
#![forbid(unsafe_code)]

pub mod android;
pub mod error;
pub mod ios;
pub mod model;
pub mod paths;
pub mod recover;
pub mod registry;
pub mod sqlite;
pub mod whatsapp;

pub use error::ParseError;
pub use model::*;
