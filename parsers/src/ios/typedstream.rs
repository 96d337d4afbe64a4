//! A bounded reader for Apple "typedstream" archives (`NSArchiver`), the format of
//! `message.attributedBody` in iOS/macOS `sms.db`.
//!
//! Layout, as far as this reader needs it:
//! - header: streamer version byte (4), signature as a length-prefixed string (`streamtyped` for
//!   little-endian, `typedstream` for big-endian), system version as an integer (1000);
//! - then groups of typed values: a *shared string* holding an Objective-C type encoding (`@`,
//!   `iI`, `+` ...), followed by one value per type in it;
//! - single-byte "heads": values -128..=-111 are tags (0x81 = 2-byte integer follows, 0x82 =
//!   4-byte integer, 0x83 = float/double, 0x84 = new literal string/object/class, 0x85 = nil,
//!   0x86 = end of object); any other byte is an integer itself, and reference numbers start at
//!   -110 (0x92 = index 0 of its table);
//! - two tables: shared strings (type encodings, class names), and objects (objects, classes and
//!   C strings, numbered in the order they start);
//! - an object is `0x84`, its class chain (`0x84` name version, ... ended by nil or a reference to
//!   a known class), its contents as typed value groups, and `0x86`;
//! - `+` values are unshared length-prefixed byte strings: the characters of an `NSString` are
//!   such a value inside an `NSString`/`NSMutableString` object.
//!
//! Every read is bounds-checked; nesting depth, work and element counts are capped, so garbage or
//! truncated input gives an error, never a panic or a runaway loop.

/// Why a typedstream could not be read completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TsError {
    /// Not a typedstream header (wrong version byte or signature).
    Header,
    /// The data ended in the middle of a value (offset where more was needed).
    Truncated(usize),
    /// A byte that is not valid where it was found.
    BadTag { offset: usize, byte: u8 },
    /// A reference to a string or object that was never stored.
    BadReference { offset: usize, index: i64 },
    /// A type encoding this reader does not understand.
    BadEncoding { offset: usize, encoding: String },
    /// Nesting or work limit reached (hostile or corrupt input).
    Limit(usize),
}

impl std::fmt::Display for TsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TsError::Header => write!(f, "not a typedstream header"),
            TsError::Truncated(o) => write!(f, "typedstream truncated at byte {o}"),
            TsError::BadTag { offset, byte } => {
                write!(f, "unexpected byte 0x{byte:02x} at {offset}")
            }
            TsError::BadReference { offset, index } => {
                write!(f, "reference to unknown entry {index} at {offset}")
            }
            TsError::BadEncoding { offset, encoding } => {
                write!(f, "unsupported type encoding {encoding:?} at {offset}")
            }
            TsError::Limit(o) => write!(f, "nesting/work limit reached at byte {o}"),
        }
    }
}

impl std::error::Error for TsError {}

/// What was read from a typedstream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Class chain of the first top-level object (e.g. `NSMutableAttributedString`,
    /// `NSAttributedString`, `NSObject`).
    pub root_classes: Vec<String>,
    /// Every `+` byte string that sat directly inside an `NSString`-family object, in stream
    /// order. The first is the attributed string's text.
    pub strings: Vec<Vec<u8>>,
}

impl Decoded {
    /// The text of the archived (attributed) string: the first `NSString` contents.
    pub fn text_bytes(&self) -> Option<&[u8]> {
        self.strings.first().map(Vec::as_slice)
    }
}

const TAG_INT2: u8 = 0x81;
const TAG_INT4: u8 = 0x82;
const TAG_FLOAT: u8 = 0x83;
const TAG_NEW: u8 = 0x84;
const TAG_NIL: u8 = 0x85;
const TAG_END: u8 = 0x86;
/// Reference numbers are stored offset by this (the first one is -110, byte 0x92).
const FIRST_REF: i64 = -110;

const MAX_DEPTH: usize = 48;
const MAX_STEPS: usize = 200_000;

#[derive(Debug, Clone)]
enum Entry {
    Object,
    Class(Vec<String>),
    CString,
}

#[derive(Debug, Clone)]
enum Ty {
    Simple(u8),
    Array(usize, Box<Ty>),
    Struct(Vec<Ty>),
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    big_endian: bool,
    strings: Vec<Vec<u8>>,
    objects: Vec<Entry>,
    steps: usize,
    /// Class chain of each object being read (innermost last).
    stack: Vec<Vec<String>>,
    out: Decoded,
}

impl<'a> Reader<'a> {
    fn tick(&mut self) -> Result<(), TsError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            Err(TsError::Limit(self.pos))
        } else {
            Ok(())
        }
    }
    fn byte(&mut self) -> Result<u8, TsError> {
        let v = *self.b.get(self.pos).ok_or(TsError::Truncated(self.pos))?;
        self.pos += 1;
        Ok(v)
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], TsError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or(TsError::Truncated(self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], TsError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        if self.big_endian {
            a.reverse();
        }
        Ok(a)
    }
    /// An integer whose head byte is already read.
    fn int(&mut self, head: u8, signed: bool) -> Result<i64, TsError> {
        let h = head as i8;
        if !(-128..=-111).contains(&h) {
            return Ok(if signed { h as i64 } else { head as i64 });
        }
        match head {
            TAG_INT2 => {
                let a = self.fixed::<2>()?;
                Ok(if signed {
                    i16::from_le_bytes(a) as i64
                } else {
                    u16::from_le_bytes(a) as i64
                })
            }
            TAG_INT4 => {
                let a = self.fixed::<4>()?;
                Ok(if signed {
                    i32::from_le_bytes(a) as i64
                } else {
                    u32::from_le_bytes(a) as i64
                })
            }
            _ => Err(TsError::BadTag {
                offset: self.pos - 1,
                byte: head,
            }),
        }
    }
    fn unshared(&mut self, head: u8) -> Result<Option<&'a [u8]>, TsError> {
        if head == TAG_NIL {
            return Ok(None);
        }
        let at = self.pos;
        let len = self.int(head, false)?;
        if len < 0 || len as usize > self.b.len() - self.pos {
            return Err(TsError::Truncated(at));
        }
        self.take(len as usize).map(Some)
    }
    fn reference(&mut self, head: u8) -> Result<usize, TsError> {
        let at = self.pos - 1;
        let r = self.int(head, true)?;
        let idx = r - FIRST_REF;
        if idx < 0 {
            return Err(TsError::BadReference {
                offset: at,
                index: idx,
            });
        }
        Ok(idx as usize)
    }
    fn shared(&mut self, head: u8) -> Result<Option<Vec<u8>>, TsError> {
        match head {
            TAG_NIL => Ok(None),
            TAG_NEW => {
                let h = self.byte()?;
                let s = self.unshared(h)?.ok_or(TsError::BadTag {
                    offset: self.pos - 1,
                    byte: h,
                })?;
                self.strings.push(s.to_vec());
                Ok(Some(s.to_vec()))
            }
            _ => {
                let at = self.pos - 1;
                let idx = self.reference(head)?;
                self.strings
                    .get(idx)
                    .cloned()
                    .map(Some)
                    .ok_or(TsError::BadReference {
                        offset: at,
                        index: idx as i64,
                    })
            }
        }
    }
    /// A class (chain); returns the chain of names, most derived first (empty for nil).
    fn class(&mut self, head: u8) -> Result<Vec<String>, TsError> {
        let mut head = head;
        let mut new_entries = Vec::new();
        let mut names: Vec<String> = Vec::new();
        while head == TAG_NEW {
            self.tick()?;
            if names.len() > MAX_DEPTH {
                return Err(TsError::Limit(self.pos));
            }
            let h = self.byte()?;
            let name = self.shared(h)?.ok_or(TsError::BadTag {
                offset: self.pos - 1,
                byte: h,
            })?;
            let vh = self.byte()?;
            self.int(vh, true)?;
            new_entries.push(self.objects.len());
            self.objects.push(Entry::Class(Vec::new()));
            names.push(String::from_utf8_lossy(&name).into_owned());
            head = self.byte()?;
        }
        if head != TAG_NIL {
            let at = self.pos - 1;
            let idx = self.reference(head)?;
            match self.objects.get(idx) {
                Some(Entry::Class(chain)) => names.extend(chain.iter().cloned()),
                _ => {
                    return Err(TsError::BadReference {
                        offset: at,
                        index: idx as i64,
                    })
                }
            }
        }
        // Each new class's own chain is its suffix of the whole chain.
        for (i, e) in new_entries.into_iter().enumerate() {
            self.objects[e] = Entry::Class(names[i..].to_vec());
        }
        Ok(names)
    }
    fn object(&mut self, head: u8) -> Result<(), TsError> {
        match head {
            TAG_NIL => Ok(()),
            TAG_NEW => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(TsError::Limit(self.pos));
                }
                self.objects.push(Entry::Object);
                let h = self.byte()?;
                let chain = self.class(h)?;
                if self.stack.is_empty() && self.out.root_classes.is_empty() {
                    self.out.root_classes = chain.clone();
                }
                self.stack.push(chain);
                loop {
                    self.tick()?;
                    let h = self.byte()?;
                    if h == TAG_END {
                        break;
                    }
                    self.typed_values(h)?;
                }
                self.stack.pop();
                Ok(())
            }
            _ => {
                let at = self.pos - 1;
                let idx = self.reference(head)?;
                if idx >= self.objects.len() {
                    return Err(TsError::BadReference {
                        offset: at,
                        index: idx as i64,
                    });
                }
                Ok(())
            }
        }
    }
    fn in_string_object(&self) -> bool {
        self.stack.last().is_some_and(|chain| {
            chain
                .iter()
                .any(|c| c == "NSString" || c == "NSMutableString")
        })
    }
    fn typed_values(&mut self, head: u8) -> Result<(), TsError> {
        let at = self.pos;
        let enc = self.shared(head)?.ok_or(TsError::BadTag {
            offset: at.saturating_sub(1),
            byte: head,
        })?;
        let types = parse_encoding(&enc).ok_or_else(|| TsError::BadEncoding {
            offset: at,
            encoding: String::from_utf8_lossy(&enc).into_owned(),
        })?;
        for t in &types {
            self.value(t, 0)?;
        }
        Ok(())
    }
    fn value(&mut self, t: &Ty, depth: usize) -> Result<(), TsError> {
        self.tick()?;
        if depth > MAX_DEPTH {
            return Err(TsError::Limit(self.pos));
        }
        match t {
            Ty::Simple(c) => match c {
                b'B' | b'C' | b'c' => {
                    self.byte()?;
                }
                b'S' | b'I' | b'L' | b'Q' | b's' | b'i' | b'l' | b'q' => {
                    let h = self.byte()?;
                    self.int(h, c.is_ascii_lowercase())?;
                }
                b'f' | b'd' => {
                    let h = self.byte()?;
                    if h == TAG_FLOAT {
                        self.take(if *c == b'f' { 4 } else { 8 })?;
                    } else {
                        self.int(h, true)?;
                    }
                }
                b'*' => {
                    let h = self.byte()?;
                    match h {
                        TAG_NIL => {}
                        TAG_NEW => {
                            let h2 = self.byte()?;
                            self.shared(h2)?;
                            self.objects.push(Entry::CString);
                        }
                        _ => {
                            let at = self.pos - 1;
                            let idx = self.reference(h)?;
                            if !matches!(self.objects.get(idx), Some(Entry::CString)) {
                                return Err(TsError::BadReference {
                                    offset: at,
                                    index: idx as i64,
                                });
                            }
                        }
                    }
                }
                b'%' | b':' => {
                    let h = self.byte()?;
                    self.shared(h)?;
                }
                b'+' => {
                    let h = self.byte()?;
                    let s = self.unshared(h)?;
                    if let Some(s) = s {
                        if self.in_string_object() {
                            self.out.strings.push(s.to_vec());
                        }
                    }
                }
                b'#' => {
                    let h = self.byte()?;
                    self.class(h)?;
                }
                b'@' => {
                    let h = self.byte()?;
                    self.object(h)?;
                }
                b'!' => {}
                _ => {
                    return Err(TsError::BadEncoding {
                        offset: self.pos,
                        encoding: (*c as char).to_string(),
                    })
                }
            },
            Ty::Array(n, elem) => {
                if matches!(**elem, Ty::Simple(b'c') | Ty::Simple(b'C')) {
                    self.take(*n)?;
                } else {
                    // Every element takes at least one byte: refuse counts the data cannot hold.
                    if *n > self.b.len() - self.pos {
                        return Err(TsError::Truncated(self.pos));
                    }
                    for _ in 0..*n {
                        self.value(elem, depth + 1)?;
                    }
                }
            }
            Ty::Struct(fields) => {
                for f in fields {
                    self.value(f, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}

/// Split an Objective-C type encoding into its types. `None` if it is not one this reader
/// supports.
fn parse_encoding(enc: &[u8]) -> Option<Vec<Ty>> {
    let mut i = 0;
    let mut out = Vec::new();
    while i < enc.len() {
        out.push(parse_one(enc, &mut i, 0)?);
    }
    (!out.is_empty()).then_some(out)
}

fn parse_one(enc: &[u8], i: &mut usize, depth: usize) -> Option<Ty> {
    if depth > 16 {
        return None;
    }
    let c = *enc.get(*i)?;
    *i += 1;
    match c {
        b'B' | b'C' | b'c' | b'S' | b'I' | b'L' | b'Q' | b's' | b'i' | b'l' | b'q' | b'f'
        | b'd' | b'*' | b'%' | b':' | b'+' | b'#' | b'@' | b'!' => Some(Ty::Simple(c)),
        b'[' => {
            let start = *i;
            while enc.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            let n: usize = std::str::from_utf8(&enc[start..*i]).ok()?.parse().ok()?;
            let elem = parse_one(enc, i, depth + 1)?;
            if *enc.get(*i)? != b']' {
                return None;
            }
            *i += 1;
            Some(Ty::Array(n, Box::new(elem)))
        }
        b'{' => {
            // `{name=types}`; the name runs to `=` (or to `}` for a struct with no fields).
            while !matches!(enc.get(*i), Some(b'=') | Some(b'}')) {
                enc.get(*i)?;
                *i += 1;
            }
            let mut fields = Vec::new();
            if enc[*i] == b'=' {
                *i += 1;
                while *enc.get(*i)? != b'}' {
                    fields.push(parse_one(enc, i, depth + 1)?);
                }
            }
            *i += 1;
            Some(Ty::Struct(fields))
        }
        _ => None,
    }
}

fn read(b: &[u8]) -> (Decoded, Result<(), TsError>) {
    let mut r = Reader {
        b,
        pos: 0,
        big_endian: false,
        strings: Vec::new(),
        objects: Vec::new(),
        steps: 0,
        stack: Vec::new(),
        out: Decoded::default(),
    };
    let res = (|| {
        if b.len() < 13 || b[0] != 4 || b[1] != 11 {
            return Err(TsError::Header);
        }
        r.big_endian = match &b[2..13] {
            b"streamtyped" => false,
            b"typedstream" => true,
            _ => return Err(TsError::Header),
        };
        r.pos = 13;
        let h = r.byte()?;
        r.int(h, false)?;
        while r.pos < b.len() {
            r.tick()?;
            let h = r.byte()?;
            r.typed_values(h)?;
        }
        Ok(())
    })();
    (r.out, res)
}

/// Read a whole typedstream. Any damage is an error.
pub fn decode(b: &[u8]) -> Result<Decoded, TsError> {
    let (d, res) = read(b);
    res.map(|_| d)
}

/// Read as much as possible: what was decoded before any damage, and the damage if any.
pub fn decode_lenient(b: &[u8]) -> (Decoded, Option<TsError>) {
    let (d, res) = read(b);
    (d, res.err())
}

/// The text of an archived `NS(Mutable)AttributedString` (or `NSString`), strictly decoded.
pub fn attributed_text(b: &[u8]) -> Option<Vec<u8>> {
    decode(b).ok()?.strings.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A blob laid out as iOS writes it (hand-assembled from the format description).
    fn sample(text: &[u8]) -> Vec<u8> {
        let mut v = vec![4, 11];
        v.extend_from_slice(b"streamtyped");
        v.extend_from_slice(&[0x81, 0xe8, 0x03, 0x84, 0x01, b'@', 0x84, 0x84, 0x84, 18]);
        v.extend_from_slice(b"NSAttributedString");
        v.extend_from_slice(&[0x00, 0x84, 0x84, 8]);
        v.extend_from_slice(b"NSObject");
        v.extend_from_slice(&[0x00, 0x85, 0x92, 0x84, 0x84, 0x84, 8]);
        v.extend_from_slice(b"NSString");
        v.extend_from_slice(&[0x01, 0x94, 0x84, 0x01, b'+']);
        if text.len() < 128 {
            v.push(text.len() as u8);
        } else {
            v.push(0x81);
            v.extend_from_slice(&(text.len() as u16).to_le_bytes());
        }
        v.extend_from_slice(text);
        v.extend_from_slice(&[0x86, 0x86]);
        v
    }

    #[test]
    fn reads_hand_assembled_blob() {
        let b = sample(b"hello");
        let d = decode(&b).unwrap();
        assert_eq!(d.root_classes, vec!["NSAttributedString", "NSObject"]);
        assert_eq!(d.text_bytes(), Some(&b"hello"[..]));
        let long = vec![b'x'; 300];
        assert_eq!(attributed_text(&sample(&long)), Some(long));
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let b = sample(b"truncate me please");
        // 16 bytes is the bare header: a valid stream with no values.
        assert_eq!(decode(&b[..16]).unwrap(), Decoded::default());
        for n in (0..b.len()).filter(|n| *n != 16) {
            assert!(decode(&b[..n]).is_err(), "prefix {n} decoded");
        }
    }
}
