//! Number normalisation (E.164) and number kinds.
