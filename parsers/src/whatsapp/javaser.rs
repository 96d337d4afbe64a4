//! A minimal, bounds-checked reader of one serialized Java object with a flat class (Java
//! Object Serialization Stream, `AC ED 00 05`), enough for WhatsApp's `files/me`
//! (`com.whatsapp.Me`: `cc`, `jabber_id`, `number`). Returns the String fields by name with
//! their byte offsets; anything it does not understand is an error, never a panic.

struct Cur<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Cur<'a> {
    fn u8(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.p).ok_or("truncated")?;
        self.p += 1;
        Ok(v)
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let v = self.b.get(self.p..self.p + n).ok_or("truncated")?;
        self.p += n;
        Ok(v)
    }
    fn u16(&mut self) -> Result<usize, String> {
        let v = self.take(2)?;
        Ok(u16::from_be_bytes([v[0], v[1]]) as usize)
    }
    fn utf(&mut self) -> Result<String, String> {
        let n = self.u16()?;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }
}

/// (class name, [(field name, string value, offset)]).
pub type JObject = (String, Vec<(String, String, u64)>);

pub fn read_object(b: &[u8]) -> Result<JObject, String> {
    let mut c = Cur { b, p: 0 };
    if c.take(4)? != [0xAC, 0xED, 0x00, 0x05] {
        return Err("not a Java serialization stream".into());
    }
    if c.u8()? != 0x73 || c.u8()? != 0x72 {
        return Err("stream does not start with an object and its class description".into());
    }
    let class = c.utf()?;
    c.take(8)?; // serialVersionUID
    let _flags = c.u8()?;
    let nfields = c.u16()?;
    let mut fields: Vec<(u8, String)> = Vec::new();
    for _ in 0..nfields {
        let ty = c.u8()?;
        let name = c.utf()?;
        if ty == b'L' || ty == b'[' {
            match c.u8()? {
                0x74 => {
                    c.utf()?;
                }
                0x71 => {
                    c.take(4)?;
                }
                _ => return Err("unexpected field class name".into()),
            }
        }
        fields.push((ty, name));
    }
    // Class annotations end, then the superclass (only a flat class is understood).
    if c.u8()? != 0x78 || c.u8()? != 0x70 {
        return Err("class annotations or superclass not understood".into());
    }
    let mut out = Vec::new();
    for (ty, name) in fields {
        let size = match ty {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'I' | b'F' => 4,
            b'J' | b'D' => 8,
            b'L' | b'[' => 0,
            _ => return Err(format!("unknown field type {ty}")),
        };
        if size > 0 {
            c.take(size)?;
            continue;
        }
        let off = c.p as u64;
        match c.u8()? {
            0x74 => out.push((name, c.utf()?, off)),
            0x70 => {}
            0x71 => {
                c.take(4)?;
            }
            _ => return Err(format!("field {name}: value not understood")),
        }
    }
    Ok((class, out))
}
