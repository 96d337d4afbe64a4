//! ios.addressbook against the real iLEAPP address-book slices, read from the zips in memory.
use std::io::Read;

use linesift_parsers::registry::{by_name, DbInput};
use linesift_parsers::{ParseError, RecordState};

const DIR: &str = "/work/shared/data/ileapp";
const PATH: &str = "/private/var/mobile/Library/AddressBook/AddressBook.sqlitedb";

/// (main, wal) of AddressBook.sqlitedb inside an iLEAPP zip.
fn load(zip_name: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let f = match std::fs::File::open(format!("{DIR}/{zip_name}")) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("skipping: {zip_name}: {e}");
            return None;
        }
    };
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut get = |suffix: &str| {
        let idx = (0..z.len())
            .find(|i| z.by_index(*i).unwrap().name().unwrap().ends_with(suffix))
            .unwrap();
        let mut b = Vec::new();
        z.by_index(idx).unwrap().read_to_end(&mut b).unwrap();
        b
    };
    let main = get("AddressBook/AddressBook.sqlitedb");
    let wal = get("AddressBook/AddressBook.sqlitedb-wal");
    Some((main, wal))
}

fn run(main: &[u8], wal: Option<&[u8]>) -> Result<linesift_parsers::ParseOutput, ParseError> {
    let spec = by_name("ios.addressbook").unwrap();
    assert!(regex::Regex::new(spec.pattern).unwrap().is_match(PATH));
    let mut input = DbInput::new(PATH, main);
    input.wal = wal;
    (spec.parse)(&input)
}

#[test]
fn belkasoft_person_lives_only_in_the_wal() {
    let Some((main, wal)) = load("testdata.addressBook.addressBook.belkasoft_ctf6_ios_device1.zip")
    else {
        return;
    };
    assert_eq!(main.len(), 4096);
    let out = run(&main, Some(&wal)).unwrap();
    // One person with one email address (ABPerson 1, ABMultiValue 1).
    assert_eq!(out.contacts.len(), 1);
    let c = &out.contacts[0];
    assert_eq!(c.origin.table, "ABMultiValue");
    assert_eq!(c.origin.rowid, Some(1));
    assert_eq!(c.origin.state, RecordState::WalOnly);
    assert_eq!(c.value_kind, "email");
    assert_eq!(c.label.as_deref(), Some("Home"));
    assert_eq!(c.display_name.as_deref(), Some("William Phorger"));
    assert_eq!(c.contact_key.as_deref(), Some("1"));
    assert!(c.number_raw.as_deref().unwrap().contains('@'));
    assert!(out
        .table_counts
        .iter()
        .any(|(t, n)| t == "ABPerson" && *n == 1));

    // Without the WAL there are no tables: a clear error, not a crash and not an empty success.
    match run(&main, None) {
        Err(ParseError::UnknownSchema(s)) => {
            assert!(s.contains("-wal"), "{s}");
            assert!(s.contains("user_version"), "{s}");
        }
        other => panic!("expected unknown schema, got {other:?}"),
    }
}

#[test]
fn mvs_address_book_is_empty_without_error() {
    let Some((main, wal)) = load("testdata.addressBook.addressBook.mvs_ios_2023.zip") else {
        return;
    };
    let out = run(&main, Some(&wal)).unwrap();
    assert_eq!(out.contacts.len(), 0);
    assert!(out
        .table_counts
        .iter()
        .any(|(t, n)| t == "ABPerson" && *n == 0));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}
