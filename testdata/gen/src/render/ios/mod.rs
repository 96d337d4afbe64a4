//! iOS renderers: sms.db, AddressBook.sqlitedb, CallHistory.storedata, legacy call_history.db.
use crate::archive::DeviceFile;
use crate::world::Handset;

pub mod addressbook;
pub mod callhistory;
pub mod sms;
pub mod typedstream;

/// Every iOS database of a handset. Generation 0 is the current iOS layout (iOS 16+), 1 an
/// iOS 9-era device, 2 (and higher) a pre-iOS 8 device whose calls are in the legacy
/// call_history.db; each renderer clamps to the oldest layout it knows.
pub fn files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let mut out = sms::render(h, generation);
    out.extend(addressbook::render(h, generation));
    out.extend(callhistory::render(h, generation));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
