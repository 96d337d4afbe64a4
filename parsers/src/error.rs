//! Errors a parser can return for a whole artifact. Row-level problems are warnings, not errors.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ParseError {
    /// The bytes are not a SQLite database (or not one we can read at all).
    #[error("not a SQLite database: {0}")]
    NotSqlite(String),
    /// The database is damaged beyond what the reader can use.
    #[error("corrupt database: {0}")]
    Corrupt(String),
    /// None of the tables this parser knows are present.
    #[error("unknown schema: {0}")]
    UnknownSchema(String),
    /// The artifact is larger than the configured limit.
    #[error("artifact too large: {0}")]
    TooLarge(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Other(String),
}
