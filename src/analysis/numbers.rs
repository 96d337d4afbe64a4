//! Number normalisation (E.164) and number kinds.
pub const NAME: &str = "numbers";
