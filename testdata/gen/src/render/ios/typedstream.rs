//! A typedstream (`NSArchiver`) writer for `message.attributedBody`, laid out as iOS writes it:
//! an attributed string whose text is an `NSString` (`+` byte string, UTF-8), one attribute run
//! covering the whole text (`iI`: dictionary number, length in UTF-16 units) and the run's
//! dictionary `{__kIMMessagePartAttributeName: 0}`.
//!
//! Integers are single bytes when they are not in the tag range (-128..=-111), else `0x81` + i16
//! or `0x82` + i32 (little-endian). Shared strings (type encodings, class names) and objects
//! (objects, classes, C strings) are written once and referenced later by number (first = 0x92).
use std::collections::HashMap;

/// A class and its superclasses, each with its version.
type ClassChain = &'static [(&'static str, i64)];

/// Which class names the root uses (iOS has written both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `NSMutableAttributedString` holding an `NSMutableString` (older iOS, as in sms.db samples).
    Mutable,
    /// `NSAttributedString` holding an `NSString`.
    Immutable,
}

struct Writer {
    out: Vec<u8>,
    strings: HashMap<Vec<u8>, usize>,
    nstrings: usize,
    objects: usize,
    classes: HashMap<String, usize>,
}

impl Writer {
    fn int(&mut self, v: i64) {
        if (-110..=127).contains(&v) {
            self.out.push(v as i8 as u8);
        } else if i16::try_from(v).is_ok() {
            self.out.push(0x81);
            self.out.extend_from_slice(&(v as i16).to_le_bytes());
        } else {
            self.out.push(0x82);
            self.out.extend_from_slice(&(v as i32).to_le_bytes());
        }
    }
    /// An unsigned length.
    fn len(&mut self, n: usize) {
        if n <= 127 {
            self.out.push(n as u8);
        } else if n <= 0x7fff {
            self.out.push(0x81);
            self.out.extend_from_slice(&(n as u16).to_le_bytes());
        } else {
            self.out.push(0x82);
            self.out.extend_from_slice(&(n as u32).to_le_bytes());
        }
    }
    fn reference(&mut self, idx: usize) {
        self.int(idx as i64 - 110);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.out.extend_from_slice(b);
    }
    fn shared(&mut self, s: &str) {
        if let Some(&i) = self.strings.get(s.as_bytes()) {
            self.reference(i);
        } else {
            self.out.push(0x84);
            self.bytes(s.as_bytes());
            self.strings.insert(s.as_bytes().to_vec(), self.nstrings);
            self.nstrings += 1;
        }
    }
    /// A class chain, most derived first, each with its version.
    fn class(&mut self, chain: &[(&str, i64)]) {
        for (name, version) in chain {
            if let Some(&i) = self.classes.get(*name) {
                self.reference(i);
                return;
            }
            self.out.push(0x84);
            self.shared(name);
            self.int(*version);
            self.classes.insert(name.to_string(), self.objects);
            self.objects += 1;
        }
        self.out.push(0x85);
    }
    fn begin_object(&mut self, chain: &[(&str, i64)]) {
        self.out.push(0x84);
        self.objects += 1;
        self.class(chain);
    }
    fn end_object(&mut self) {
        self.out.push(0x86);
    }
    fn string_object(&mut self, chain: &[(&str, i64)], s: &str) {
        self.shared("@");
        self.begin_object(chain);
        self.shared("+");
        self.bytes(s.as_bytes());
        self.end_object();
    }
}

/// The attributedBody blob iOS would store for `text`.
pub fn encode_attributed(text: &str, flavor: Flavor) -> Vec<u8> {
    let mut w = Writer {
        out: vec![4, 11],
        strings: HashMap::new(),
        nstrings: 0,
        objects: 0,
        classes: HashMap::new(),
    };
    w.out.extend_from_slice(b"streamtyped");
    w.int(1000);
    let (root, string): (ClassChain, ClassChain) = match flavor {
        Flavor::Mutable => (
            &[
                ("NSMutableAttributedString", 0),
                ("NSAttributedString", 0),
                ("NSObject", 0),
            ],
            &[("NSMutableString", 1), ("NSString", 1), ("NSObject", 0)],
        ),
        Flavor::Immutable => (
            &[("NSAttributedString", 0), ("NSObject", 0)],
            &[("NSString", 1), ("NSObject", 0)],
        ),
    };
    w.shared("@");
    w.begin_object(root);
    w.string_object(string, text);
    let units = text.encode_utf16().count();
    if units > 0 {
        w.shared("iI");
        w.int(1);
        w.int(units as i64);
        w.shared("@");
        w.begin_object(&[("NSDictionary", 0), ("NSObject", 0)]);
        w.shared("i");
        w.int(1);
        w.string_object(
            &[("NSString", 1), ("NSObject", 0)],
            "__kIMMessagePartAttributeName",
        );
        w.shared("@");
        w.begin_object(&[("NSNumber", 0), ("NSValue", 0), ("NSObject", 0)]);
        w.shared("*");
        w.out.push(0x84);
        w.shared("i");
        w.objects += 1;
        w.shared("i");
        w.int(0);
        w.end_object();
        w.end_object();
    }
    w.end_object();
    w.out
}
