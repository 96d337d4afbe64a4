//! iOS WhatsApp: `ChatStorage.sqlite`, `ContactsV2.sqlite`, `CallHistory.sqlite` (Core Data
//! stores; dates in Cocoa seconds).
use std::collections::BTreeMap;

use super::{
    broadcast_recipients, chat_jid, extras, groups, is_broadcast, jid, lid_of, uses_lid, wa_calls,
    wa_messages,
};
use crate::archive::DeviceFile;
use crate::render::push_db;
use crate::sqlitefile::{build, q, qo};
use crate::world::{GCallDir, GState, Handset, Os};

const CHATSTORAGE_CURRENT: &str = r#"
CREATE TABLE ZWACHATSESSION ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZARCHIVED INTEGER, ZCONTACTABID INTEGER, ZFLAGS INTEGER, ZHIDDEN INTEGER, ZIDENTITYVERIFICATIONEPOCH INTEGER, ZIDENTITYVERIFICATIONSTATE INTEGER, ZMESSAGECOUNTER INTEGER, ZREMOVED INTEGER, ZSESSIONTYPE INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZUNREADCOUNT INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER, ZPROPERTIES INTEGER, ZLASTMESSAGEDATE TIMESTAMP, ZLOCATIONSHARINGENDDATE TIMESTAMP, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTJID VARCHAR, ZETAG VARCHAR, ZLASTMESSAGETEXT VARCHAR, ZPARTNERNAME VARCHAR, ZSAVEDINPUT VARCHAR );
CREATE TABLE ZWAGROUPINFO ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZSTATE INTEGER, ZCHATSESSION INTEGER, ZLASTMESSAGEOWNER INTEGER, ZCREATIONDATE TIMESTAMP, ZSUBJECTTIMESTAMP TIMESTAMP, ZCREATORJID VARCHAR, ZOWNERJID VARCHAR, ZPICTUREID VARCHAR, ZPICTUREPATH VARCHAR, ZSOURCEJID VARCHAR, ZSUBJECTOWNERJID VARCHAR );
CREATE TABLE ZWAGROUPMEMBER ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTACTABID INTEGER, ZISACTIVE INTEGER, ZISADMIN INTEGER, ZSENDERKEYSENT INTEGER, ZCHATSESSION INTEGER, ZRECENTGROUPCHAT INTEGER, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTNAME VARCHAR, ZFIRSTNAME VARCHAR, ZMEMBERJID VARCHAR );
CREATE TABLE ZWAMEDIAITEM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCLOUDSTATUS INTEGER, ZFILESIZE INTEGER, ZMEDIAORIGIN INTEGER, ZMOVIEDURATION INTEGER, ZMESSAGE INTEGER, ZASPECTRATIO FLOAT, ZHACCURACY FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT, ZMEDIAURLDATE TIMESTAMP, ZAUTHORNAME VARCHAR, ZCOLLECTIONNAME VARCHAR, ZMEDIALOCALPATH VARCHAR, ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR, ZTITLE VARCHAR, ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR, ZXMPPTHUMBPATH VARCHAR, ZMEDIAKEY BLOB, ZMETADATA BLOB );
CREATE TABLE ZWAMESSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHILDMESSAGESDELIVEREDCOUNT INTEGER, ZCHILDMESSAGESPLAYEDCOUNT INTEGER, ZCHILDMESSAGESREADCOUNT INTEGER, ZDATAITEMVERSION INTEGER, ZDOCID INTEGER, ZENCRETRYCOUNT INTEGER, ZFILTEREDRECIPIENTCOUNT INTEGER, ZFLAGS INTEGER, ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER, ZMESSAGESTATUS INTEGER, ZMESSAGETYPE INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZSTARRED INTEGER, ZCHATSESSION INTEGER, ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER, ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER, ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR, ZMEDIASECTIONID VARCHAR, ZPHASH VARCHAR, ZPUSHNAME VARCHAR, ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR );
CREATE INDEX ZWAMESSAGE_ZCHATSESSION_INDEX ON ZWAMESSAGE (ZCHATSESSION);
CREATE INDEX ZWAMESSAGE_ZGROUPMEMBER_INDEX ON ZWAMESSAGE (ZGROUPMEMBER);
CREATE INDEX ZWAMESSAGE_ZMEDIAITEM_INDEX ON ZWAMESSAGE (ZMEDIAITEM);
CREATE INDEX ZWAMESSAGE_ZPARENTMESSAGE_INDEX ON ZWAMESSAGE (ZPARENTMESSAGE);
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
"#;

/// An older ChatStorage (fewer columns in the session, message and media entities).
const CHATSTORAGE_OLD: &str = r#"
CREATE TABLE ZWACHATSESSION ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZARCHIVED INTEGER, ZCONTACTABID INTEGER, ZFLAGS INTEGER, ZHIDDEN INTEGER, ZMESSAGECOUNTER INTEGER, ZREMOVED INTEGER, ZSESSIONTYPE INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZUNREADCOUNT INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER, ZPROPERTIES INTEGER, ZLASTMESSAGEDATE TIMESTAMP, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTJID VARCHAR, ZETAG VARCHAR, ZLASTMESSAGETEXT VARCHAR, ZPARTNERNAME VARCHAR, ZSAVEDINPUT VARCHAR );
CREATE TABLE ZWAGROUPINFO ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZSTATE INTEGER, ZCHATSESSION INTEGER, ZLASTMESSAGEOWNER INTEGER, ZCREATIONDATE TIMESTAMP, ZSUBJECTTIMESTAMP TIMESTAMP, ZCREATORJID VARCHAR, ZOWNERJID VARCHAR, ZPICTUREID VARCHAR, ZPICTUREPATH VARCHAR, ZSOURCEJID VARCHAR, ZSUBJECTOWNERJID VARCHAR );
CREATE TABLE ZWAGROUPMEMBER ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTACTABID INTEGER, ZISACTIVE INTEGER, ZISADMIN INTEGER, ZSENDERKEYSENT INTEGER, ZCHATSESSION INTEGER, ZRECENTGROUPCHAT INTEGER, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTNAME VARCHAR, ZFIRSTNAME VARCHAR, ZMEMBERJID VARCHAR );
CREATE TABLE ZWAMEDIAITEM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCLOUDSTATUS INTEGER, ZFILESIZE INTEGER, ZMEDIAORIGIN INTEGER, ZMOVIEDURATION INTEGER, ZMESSAGE INTEGER, ZASPECTRATIO FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT, ZMEDIALOCALPATH VARCHAR, ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR, ZTITLE VARCHAR, ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR, ZXMPPTHUMBPATH VARCHAR, ZMEDIAKEY BLOB );
CREATE TABLE ZWAMESSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHILDMESSAGESDELIVEREDCOUNT INTEGER, ZCHILDMESSAGESPLAYEDCOUNT INTEGER, ZCHILDMESSAGESREADCOUNT INTEGER, ZDATAITEMVERSION INTEGER, ZDOCID INTEGER, ZENCRETRYCOUNT INTEGER, ZFILTEREDRECIPIENTCOUNT INTEGER, ZFLAGS INTEGER, ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER, ZMESSAGESTATUS INTEGER, ZMESSAGETYPE INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZSTARRED INTEGER, ZCHATSESSION INTEGER, ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER, ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER, ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR, ZMEDIASECTIONID VARCHAR, ZPUSHNAME VARCHAR, ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR );
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
"#;

/// ContactsV2.sqlite as iOS WhatsApp (2023) creates it.
const CONTACTS_V2: &str = r#"
CREATE TABLE ZWAADDRESSBOOKCONTACT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDISAPPEARINGMODEDURATION INTEGER, ZPHONESTATUS INTEGER, ZSECTIONSORT INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZABOUTTIMESTAMP TIMESTAMP, ZDISAPPEARINGMODETIMESTAMP TIMESTAMP, ZABOUTTEXT VARCHAR, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR, ZHIGHLIGHTEDNAME VARCHAR, ZIDENTIFIER VARCHAR, ZLOCALIZEDPHONENUMBER VARCHAR, ZPHONENUMBER VARCHAR, ZPHONENUMBERLABEL VARCHAR, ZSEARCHTOKENLIST VARCHAR, ZSECTIONTITLE VARCHAR, ZWHATSAPPID VARCHAR, ZDEVICELIST BLOB );
CREATE INDEX Z_WAAddressBookContact_byPhoneNumberIndex ON ZWAADDRESSBOOKCONTACT (ZPHONENUMBER COLLATE BINARY ASC);
CREATE INDEX Z_WAAddressBookContact_byWhatsAppIDIndex ON ZWAADDRESSBOOKCONTACT (ZWHATSAPPID COLLATE BINARY ASC);
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
"#;

const CALL_HISTORY: &str = r#"
CREATE TABLE ZWAAGGREGATECALLEVENT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZINCOMING INTEGER, ZMISSED INTEGER, ZMISSEDREASON INTEGER, ZVIDEO INTEGER, ZFIRSTDATE TIMESTAMP, ZCALLLINKTOKEN VARCHAR, ZGROUPJIDSTRING VARCHAR );
CREATE TABLE ZWACDCALLEVENT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZBYTESRECEIVED INTEGER, ZBYTESSENT INTEGER, ZOUTCOME INTEGER, Z1CALLEVENTS INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZCALLIDSTRING VARCHAR, ZGROUPCALLCREATORUSERJIDSTRING VARCHAR, ZGROUPJIDSTRING VARCHAR );
CREATE INDEX ZWACDCALLEVENT_Z1CALLEVENTS_INDEX ON ZWACDCALLEVENT (Z1CALLEVENTS);
CREATE TABLE ZWACDCALLEVENTPARTICIPANT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZOUTCOME INTEGER, Z1PARTICIPANTS INTEGER, ZJIDSTRING VARCHAR );
CREATE INDEX ZWACDCALLEVENTPARTICIPANT_Z1PARTICIPANTS_INDEX ON ZWACDCALLEVENTPARTICIPANT (Z1PARTICIPANTS);
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
"#;

/// Cocoa seconds of Unix milliseconds, as a SQL literal with millisecond precision.
pub fn cocoa(ms: i64) -> String {
    let s = ms - 978_307_200_000;
    format!("{}.{:03}", s.div_euclid(1000), s.rem_euclid(1000))
}

/// The app group folder of a handset (a UUID derived from its label).
pub fn group_dir(h: &Handset) -> String {
    let x = super::fnv(&h.label);
    let y = super::fnv(&format!("{}-wa", h.label));
    format!(
        "/private/var/mobile/Containers/Shared/AppGroup/{:08X}-{:04X}-4{:03X}-A{:03X}-{:012X}",
        x >> 32,
        (x >> 16) & 0xFFFF,
        x & 0xFFF,
        (y >> 52) & 0xFFF,
        y & 0xFFFF_FFFF_FFFF
    )
}

pub fn files(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let dir = group_dir(h);
    let mut out = Vec::new();
    push_db(
        &mut out,
        &format!("{dir}/ChatStorage.sqlite"),
        chatstorage(h, generation),
    );
    push_db(&mut out, &format!("{dir}/ContactsV2.sqlite"), contacts(h));
    push_db(
        &mut out,
        &format!("{dir}/CallHistory.sqlite"),
        call_history(h, generation),
    );
    if generation == 0 {
        push_db(&mut out, &format!("{dir}/LID.sqlite"), lid_db(h));
    }
    if h.records_owner {
        out.push(DeviceFile::new(
            format!("{dir}/Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist"),
            prefs_plist(h.owner()),
        ));
    }
    out
}

/// The shared preferences plist (binary, as the app writes it) with the account's own JID.
/// `OwnPhoneNumber` is obfuscated in recent versions: a synthetic opaque value stands for it.
pub fn prefs_plist(owner: &str) -> Vec<u8> {
    let entries = [
        ("CurrentStatusText", "Available".to_string()),
        ("FullUserName", "Exhibit owner".to_string()),
        ("OwnJabberID", jid(owner)),
        ("OwnPhoneNumber", "/ikQLT8+qoSrGb5W5Xag7A==".to_string()),
    ];
    bplist_dict(&entries)
}

/// A `bplist00` holding one dictionary of ASCII strings.
pub fn bplist_dict(entries: &[(&str, String)]) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        let b = s.as_bytes();
        if b.len() < 15 {
            out.push(0x50 | b.len() as u8);
        } else {
            out.push(0x5F);
            out.push(0x11);
            out.extend_from_slice(&(b.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(b);
    }
    let n = entries.len();
    let mut out = b"bplist00".to_vec();
    let mut offsets = vec![out.len()];
    out.push(0xD0 | n as u8);
    for i in 0..2 * n {
        out.push(1 + i as u8);
    }
    for (k, _) in entries {
        offsets.push(out.len());
        string(&mut out, k);
    }
    for (_, v) in entries {
        offsets.push(out.len());
        string(&mut out, v);
    }
    let table = out.len();
    for o in &offsets {
        out.extend_from_slice(&(*o as u16).to_be_bytes());
    }
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 2, 1]);
    out.extend_from_slice(&(offsets.len() as u64).to_be_bytes());
    out.extend_from_slice(&0u64.to_be_bytes());
    out.extend_from_slice(&(table as u64).to_be_bytes());
    out
}

struct Sink {
    live: Vec<String>,
    wal: Vec<String>,
}

impl Sink {
    fn put(&mut self, state: GState, ins: Vec<String>, del: Vec<String>) {
        match state {
            GState::Live => self.live.extend(ins),
            GState::WalOnly => self.wal.extend(ins),
            GState::Deleted => {
                self.live.extend(ins);
                self.live.extend(del);
            }
        }
    }
}

/// How the iOS stores reference a person: in generation 0 (current) by LID when the person
/// uses one (the pair is in `LID.sqlite`), else by phone-number JID.
pub fn person_jid(e164: &str, generation: u32) -> String {
    if generation == 0 && uses_lid(e164) {
        lid_of(e164)
    } else {
        jid(e164)
    }
}

const LID_DB: &str = r#"
CREATE TABLE ZWAZACCOUNT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCREATEDAT TIMESTAMP, ZDISPLAYNAME VARCHAR, ZIDENTIFIER VARCHAR, ZPHONENUMBER VARCHAR, ZUSERNAME VARCHAR );
CREATE INDEX Z_WAZAccount_byIdentifierIndex ON ZWAZACCOUNT (ZIDENTIFIER COLLATE BINARY ASC);
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
"#;

/// `LID.sqlite`: the LID -> phone-number pairs of everyone the stores reference by LID.
pub fn lid_db(h: &Handset) -> crate::sqlitefile::DbFiles {
    let mut people: Vec<String> = Vec::new();
    for m in wa_messages(h) {
        people.push(m.peer.clone());
        people.extend(m.extra_recipients.iter().cloned());
        if let Some(g) = &m.group {
            people.extend(g.members.iter().cloned());
        }
    }
    people.extend(wa_calls(h).iter().map(|c| c.peer.clone()));
    people.sort();
    people.dedup();
    let mut live = Vec::new();
    for (i, p) in people.iter().filter(|p| uses_lid(p)).enumerate() {
        live.push(format!(
            "INSERT INTO ZWAZACCOUNT (Z_PK, Z_ENT, Z_OPT, ZCREATEDAT, ZIDENTIFIER, ZPHONENUMBER) VALUES ({}, 1, 1, 730000000.0, {}, {})",
            i + 1,
            q(&lid_of(p)),
            q(p.trim_start_matches('+'))
        ));
    }
    build(4096, LID_DB, &live, &[])
}

/// `ChatStorage.sqlite`: 0 current columns (people by LID where they use one), 1+ older.
pub fn chatstorage(h: &Handset, generation: u32) -> crate::sqlitefile::DbFiles {
    let pj = |e: &str| person_jid(e, generation);
    let schema = if generation == 0 {
        CHATSTORAGE_CURRENT
    } else {
        CHATSTORAGE_OLD
    };
    let mut sessions: BTreeMap<String, i64> = BTreeMap::new();
    let mut sess_stmts: Vec<String> = Vec::new();
    let mut members: BTreeMap<(i64, String), i64> = BTreeMap::new();
    let mut member_stmts: Vec<String> = Vec::new();
    let mut session = |j: &str, name: Option<&str>, ts: i64| -> i64 {
        if let Some(s) = sessions.get(j) {
            return *s;
        }
        let pk = sessions.len() as i64 + 1;
        let ty = if j.ends_with("@g.us") {
            1
        } else if j.ends_with("@broadcast") {
            2
        } else {
            0
        };
        sess_stmts.push(format!(
            "INSERT INTO ZWACHATSESSION (Z_PK, Z_ENT, Z_OPT, ZARCHIVED, ZFLAGS, ZHIDDEN, ZMESSAGECOUNTER, ZREMOVED, ZSESSIONTYPE, ZSPOTLIGHTSTATUS, ZUNREADCOUNT, ZLASTMESSAGEDATE, ZCONTACTJID, ZPARTNERNAME) VALUES ({pk}, 2, 1, 0, 0, 0, 0, 0, {ty}, 0, 0, {}, {}, {})",
            cocoa(ts),
            q(j),
            qo(name)
        ));
        sessions.insert(j.to_string(), pk);
        pk
    };
    let mut sink = Sink {
        live: Vec::new(),
        wal: Vec::new(),
    };
    let mut pk = 0i64;
    let mut media_pk = 0i64;
    let mut sys: Vec<(String, i64, String)> = groups(h)
        .into_iter()
        .map(|(g, ts)| (super::group_jid(&g), ts, g.name.clone()))
        .collect();
    sys.sort_by_key(|(_, ts, _)| *ts);
    let mut gi = 0usize;
    for m in wa_messages(h) {
        while gi < sys.len() && sys[gi].1 <= m.ts_ms {
            let (gj, ts, name) = sys[gi].clone();
            let s = session(&gj, Some(&name), ts);
            pk += 1;
            sink.live.push(format!(
                "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZFLAGS, ZGROUPEVENTTYPE, ZISFROMME, ZMESSAGESTATUS, ZMESSAGETYPE, ZSORT, ZCHATSESSION, ZMESSAGEDATE, ZFROMJID, ZSTANZAID, ZTEXT) VALUES ({pk}, 9, 1, 0, 12, 0, 0, 6, {pk}, {s}, {}, {}, {}, NULL)",
                cocoa(ts),
                q(&gj),
                q(&format!("SYS{pk}"))
            ));
            gi += 1;
        }
        let cj = if m.group.is_none() && !is_broadcast(m) {
            pj(&m.peer)
        } else {
            chat_jid(m)
        };
        let x = extras(m, Os::Ios, generation);
        let s = session(&cj, m.group.as_ref().map(|g| g.name.as_str()), m.ts_ms);
        let mut gm = "NULL".to_string();
        if let Some(g) = &m.group {
            for p in &g.members {
                let key = (s, pj(p));
                if !members.contains_key(&key) {
                    let mpk = members.len() as i64 + 1;
                    member_stmts.push(format!(
                        "INSERT INTO ZWAGROUPMEMBER (Z_PK, Z_ENT, Z_OPT, ZISACTIVE, ZISADMIN, ZSENDERKEYSENT, ZCHATSESSION, ZMEMBERJID) VALUES ({mpk}, 5, 1, 1, 0, 1, {s}, {})",
                        q(&key.1)
                    ));
                    members.insert(key, mpk);
                }
            }
            if !m.outgoing {
                gm = members[&(s, pj(&m.peer))].to_string();
            }
        }
        pk += 1;
        let me = pk;
        let (from, to) = if m.outgoing {
            ("NULL".to_string(), q(&cj))
        } else {
            (q(&cj), "NULL".to_string())
        };
        let mtype = if x.revoked {
            14
        } else {
            x.media.as_ref().map_or(0, |md| md.ios_type)
        };
        let text = if x.revoked || x.media.is_some() {
            None
        } else {
            Some(m.body.as_str())
        };
        let mut media_ref = "NULL".to_string();
        let mut ins = Vec::new();
        let mut del = vec![format!("DELETE FROM ZWAMESSAGE WHERE Z_PK = {me}")];
        if let Some(md) = &x.media {
            media_pk += 1;
            media_ref = media_pk.to_string();
            ins.push(format!(
                "INSERT INTO ZWAMEDIAITEM (Z_PK, Z_ENT, Z_OPT, ZCLOUDSTATUS, ZFILESIZE, ZMEDIAORIGIN, ZMOVIEDURATION, ZMESSAGE, ZMEDIALOCALPATH, ZMEDIAURL, ZTITLE, ZVCARDSTRING) VALUES ({media_pk}, 8, 1, 0, {}, 0, {}, {me}, {}, {}, {}, {})",
                md.size,
                if md.ios_type == 2 { 12 } else { 0 },
                q(&format!("Media/{cj}/a/b/{}", md.file_name)),
                q("https://mmg.whatsapp.net/v/t62/enc"),
                q(&m.body),
                q(md.mime)
            ));
            del.push(format!("DELETE FROM ZWAMEDIAITEM WHERE Z_PK = {media_pk}"));
        }
        let bc = is_broadcast(m);
        ins.insert(
            0,
            format!(
                "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZCHILDMESSAGESDELIVEREDCOUNT, ZDATAITEMVERSION, ZDOCID, ZFILTEREDRECIPIENTCOUNT, ZFLAGS, ZGROUPEVENTTYPE, ZISFROMME, ZMESSAGEERRORSTATUS, ZMESSAGESTATUS, ZMESSAGETYPE, ZSORT, ZSPOTLIGHTSTATUS, ZSTARRED, ZCHATSESSION, ZGROUPMEMBER, ZMEDIAITEM, ZMESSAGEDATE, ZSENTDATE, ZFROMJID, ZSTANZAID, ZTEXT, ZTOJID) VALUES ({me}, 9, 1, {}, 3, 0, {}, 0, 0, {}, 0, {}, {mtype}, {me}, 0, 0, {s}, {gm}, {media_ref}, {}, {}, {from}, {}, {}, {to})",
                if bc { broadcast_recipients(m).len() } else { 0 },
                if bc { broadcast_recipients(m).len() } else { 0 },
                i64::from(m.outgoing),
                if m.outgoing { 8 } else { 0 },
                cocoa(m.ts_ms),
                cocoa(m.ts_ms + 350),
                q(&format!("3A{:018X}", m.key)),
                qo(text),
            ),
        );
        if bc {
            for p in broadcast_recipients(m) {
                let pj = pj(&p);
                let cs = session(&pj, None, m.ts_ms);
                pk += 1;
                ins.push(format!(
                    "INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZFLAGS, ZGROUPEVENTTYPE, ZISFROMME, ZMESSAGESTATUS, ZMESSAGETYPE, ZSORT, ZCHATSESSION, ZPARENTMESSAGE, ZMESSAGEDATE, ZSTANZAID, ZTEXT, ZTOJID) VALUES ({pk}, 9, 1, 0, 0, 1, 8, {mtype}, {pk}, {cs}, {me}, {}, {}, {}, {})",
                    cocoa(m.ts_ms),
                    q(&format!("3A{:018X}", m.key)),
                    qo(text),
                    q(&pj)
                ));
                del.push(format!("DELETE FROM ZWAMESSAGE WHERE Z_PK = {pk}"));
            }
        }
        sink.put(m.state, ins, del);
    }
    let mut live = vec![
        "INSERT INTO Z_METADATA (Z_VERSION, Z_UUID, Z_PLIST) VALUES (1, '5B1C0F1E-0000-4000-8000-000000000001', NULL)".to_string(),
    ];
    for (ent, name, max) in [
        (2, "WAChatSession", sessions.len() as i64),
        (5, "WAGroupMember", members.len() as i64),
        (8, "WAMediaItem", media_pk),
        (9, "WAMessage", pk),
    ] {
        live.push(format!(
            "INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES ({ent}, {}, 0, {max})",
            q(name)
        ));
    }
    live.extend(sess_stmts);
    live.extend(member_stmts);
    live.extend(sink.live);
    build(4096, schema, &live, &sink.wal)
}

/// `ContactsV2.sqlite` from the handset's address book.
pub fn contacts(h: &Handset) -> crate::sqlitefile::DbFiles {
    let mut sink = Sink {
        live: Vec::new(),
        wal: Vec::new(),
    };
    let mut pk = 0i64;
    for (ci, c) in h.contacts.iter().enumerate() {
        for (e164, stored, label) in &c.numbers {
            pk += 1;
            let given = c.name.split(' ').next().unwrap_or(&c.name);
            sink.put(
                c.state,
                vec![format!(
                    "INSERT INTO ZWAADDRESSBOOKCONTACT (Z_PK, Z_ENT, Z_OPT, ZPHONESTATUS, ZSECTIONSORT, ZSORT, ZSPOTLIGHTSTATUS, ZFULLNAME, ZGIVENNAME, ZHIGHLIGHTEDNAME, ZIDENTIFIER, ZLOCALIZEDPHONENUMBER, ZPHONENUMBER, ZPHONENUMBERLABEL, ZSECTIONTITLE, ZWHATSAPPID) VALUES ({pk}, 1, 1, 1, 0, {pk}, 0, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                    q(&c.name),
                    q(given),
                    q(&c.name),
                    q(&format!("{:08X}-0000-4000-8000-{:012X}:ABPerson", ci + 1, pk)),
                    q(stored),
                    q(stored),
                    q(&format!("_$!<{label}>!$_")),
                    q(&c.name[..1]),
                    q(&jid(e164))
                )],
                vec![format!("DELETE FROM ZWAADDRESSBOOKCONTACT WHERE Z_PK = {pk}")],
            );
        }
    }
    let mut live = vec![format!(
        "INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES (1, 'WAAddressBookContact', 0, {pk})"
    )];
    live.extend(sink.live);
    build(4096, CONTACTS_V2, &live, &sink.wal)
}

/// `CallHistory.sqlite`: one aggregate, one event and one participant per call.
pub fn call_history(h: &Handset, generation: u32) -> crate::sqlitefile::DbFiles {
    let pj = |e: &str| person_jid(e, generation);
    let mut sink = Sink {
        live: Vec::new(),
        wal: Vec::new(),
    };
    for (i, c) in wa_calls(h).iter().enumerate() {
        let pk = i as i64 + 1;
        let incoming = c.direction != GCallDir::Outgoing;
        let outcome = match c.direction {
            GCallDir::Missed => 1,
            GCallDir::Rejected => 4,
            _ => 0,
        };
        let creator = if incoming {
            pj(&c.peer)
        } else {
            jid(h.owner())
        };
        sink.put(
            c.state,
            vec![
                format!(
                    "INSERT INTO ZWAAGGREGATECALLEVENT (Z_PK, Z_ENT, Z_OPT, ZINCOMING, ZMISSED, ZMISSEDREASON, ZVIDEO, ZFIRSTDATE) VALUES ({pk}, 1, 1, {}, {}, 0, {}, {})",
                    i64::from(incoming),
                    i64::from(c.direction == GCallDir::Missed),
                    i64::from(c.video),
                    cocoa(c.ts_ms)
                ),
                format!(
                    "INSERT INTO ZWACDCALLEVENT (Z_PK, Z_ENT, Z_OPT, ZBYTESRECEIVED, ZBYTESSENT, ZOUTCOME, Z1CALLEVENTS, ZDATE, ZDURATION, ZCALLIDSTRING, ZGROUPCALLCREATORUSERJIDSTRING, ZGROUPJIDSTRING) VALUES ({pk}, 2, 1, {}, {}, {outcome}, {pk}, {}, {}, {}, {}, NULL)",
                    c.duration_s * 2_000,
                    c.duration_s * 2_100,
                    cocoa(c.ts_ms),
                    c.duration_s,
                    q(&format!("{:032X}", c.ts_ms as u128 * 7919)),
                    q(&creator)
                ),
                format!(
                    "INSERT INTO ZWACDCALLEVENTPARTICIPANT (Z_PK, Z_ENT, Z_OPT, ZOUTCOME, Z1PARTICIPANTS, ZJIDSTRING) VALUES ({pk}, 3, 1, {outcome}, {pk}, {})",
                    q(&pj(&c.peer))
                ),
            ],
            vec![
                format!("DELETE FROM ZWAAGGREGATECALLEVENT WHERE Z_PK = {pk}"),
                format!("DELETE FROM ZWACDCALLEVENT WHERE Z_PK = {pk}"),
                format!("DELETE FROM ZWACDCALLEVENTPARTICIPANT WHERE Z_PK = {pk}"),
            ],
        );
    }
    build(4096, CALL_HISTORY, &sink.live, &sink.wal)
}
