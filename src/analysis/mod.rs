//! Case-level analysis over parsed records: numbers, broadcasts (bulk texts), line links.
pub mod broadcast;
pub mod linelinks;
pub mod numbers;
