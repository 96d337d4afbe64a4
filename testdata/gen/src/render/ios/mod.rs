//! iOS renderers: sms.db, AddressBook.sqlitedb, CallHistory.storedata, legacy call_history.db.
use crate::archive::DeviceFile;
use crate::world::Handset;

pub mod sms;
pub mod typedstream;

/// Every iOS database of a handset. Generation 0 is the current iOS layout; higher generations
/// are older layouts (each renderer clamps to the oldest it knows).
pub fn files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let mut out = sms::render(h, generation);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
