//! iOS call logs:
//! - generation 0: `CallHistory.storedata` as the current CallHistory Core Data model creates it
//!   (ZCALL_CATEGORY, ZHANDLE, remote participant join table), ZADDRESS as text;
//! - generation 1: the iOS 8-10 store (ZADDRESS as a BLOB of UTF-8, no call category);
//! - generation 2 and older: pre-iOS 8 `/private/var/wireless/Library/CallHistory/call_history.db`
//!   (`call` table, Unix-second dates, flags 4 incoming / 5 outgoing, +16 FaceTime video; FaceTime
//!   audio is written like a phone call).
//!
//! Rules the known answer follows: phone calls (any app but iMessage/WhatsApp) are telephony
//! (ZCALLTYPE 1); iMessage calls are FaceTime (8 video, 16 audio); WhatsApp calls are CallKit
//! calls of `net.whatsapp.WhatsApp` and exist only in generation 0; missed and rejected calls
//! are both "not answered".
use crate::archive::DeviceFile;
use crate::render::push_db;
use crate::sqlitefile::{build, q};
use crate::world::{GApp, GCall, GCallDir, GState, Handset};

pub const PATH: &str = "/private/var/mobile/Library/CallHistoryDB/CallHistory.storedata";
pub const LEGACY_PATH: &str = "/private/var/wireless/Library/CallHistory/call_history.db";
const COCOA_EPOCH_MS: i64 = 978_307_200_000;

pub const SCHEMA_CURRENT: &str = r#"
CREATE TABLE ZCALLDBPROPERTIES ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTIMER_ALL FLOAT, ZTIMER_INCOMING FLOAT, ZTIMER_LAST FLOAT, ZTIMER_LIFETIME FLOAT, ZTIMER_OUTGOING FLOAT );
CREATE TABLE ZCALLRECORD ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZANSWERED INTEGER, ZAUTOANSWEREDREASON INTEGER, ZCALLDIRECTORYIDENTITYTYPE INTEGER, ZCALL_CATEGORY INTEGER, ZCALLTYPE INTEGER, ZDISCONNECTED_CAUSE INTEGER, ZFACE_TIME_DATA INTEGER, ZFILTERED_OUT_REASON INTEGER, ZHANDLE_TYPE INTEGER, ZHASMESSAGE INTEGER, ZJUNKCONFIDENCE INTEGER, ZNUMBER_AVAILABILITY INTEGER, ZORIGINATED INTEGER, ZREAD INTEGER, ZSCREENSHARINGTYPE INTEGER, ZUSEDEMERGENCYVIDEOSTREAMING INTEGER, ZVERIFICATIONSTATUS INTEGER, ZWASEMERGENCYCALL INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS VARCHAR, ZBLOCKEDBYEXTENSION VARCHAR, ZIDENTITYEXTENSION VARCHAR, ZISO_COUNTRY_CODE VARCHAR, ZJUNKIDENTIFICATIONCATEGORY VARCHAR, ZLOCATION VARCHAR, ZNAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, ZUNIQUE_ID VARCHAR, ZCONVERSATIONID BLOB, ZIMAGEURL VARCHAR, ZLOCALPARTICIPANTUUID BLOB, ZOUTGOINGLOCALPARTICIPANTUUID BLOB, ZPARTICIPANTGROUPUUID BLOB , ZINITIATOR INTEGER, ZBLOCKEDBYEXTENSIONNAME VARCHAR, ZREMINDERUUID BLOB, ZNEEDEDSCANNOUNCEMENT INTEGER, ZCOMMUNICATIONTRUSTSCORE INTEGER, ZORIGINATINGUITYPE INTEGER, ZORIGINATINGDEVICENAME VARCHAR, ZDIDENABLETRANSLATION INTEGER, ZSAINT_DAVIDS_1 INTEGER, ZSAINT_DAVIDS_2 VARCHAR);
CREATE TABLE ZEMERGENCYMEDIAITEM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZEMERGENCYMEDIATYPE INTEGER, ZUPLOADEDFORCALL INTEGER, ZASSETID VARCHAR );
CREATE TABLE ZHANDLE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTYPE INTEGER, ZNORMALIZEDVALUE VARCHAR, ZVALUE VARCHAR );
CREATE TABLE ZSAINTDAVIDSCOUNTS ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCOUNT INTEGER, ZTYPE INTEGER, ZCALL INTEGER );
CREATE TABLE Z_2REMOTEPARTICIPANTHANDLES ( Z_2REMOTEPARTICIPANTCALLS INTEGER, Z_4REMOTEPARTICIPANTHANDLES INTEGER, PRIMARY KEY (Z_2REMOTEPARTICIPANTCALLS, Z_4REMOTEPARTICIPANTHANDLES) );
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE INDEX Z_2REMOTEPARTICIPANTHANDLES_Z_4REMOTEPARTICIPANTHANDLES_INDEX ON Z_2REMOTEPARTICIPANTHANDLES (Z_4REMOTEPARTICIPANTHANDLES, Z_2REMOTEPARTICIPANTCALLS);
CREATE INDEX ZCALLRECORD_ZDATE_INDEX ON ZCALLRECORD (ZDATE);
"#;

pub const SCHEMA_IOS9: &str = r#"
CREATE TABLE ZCALLDBPROPERTIES ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTIMER_ALL FLOAT, ZTIMER_INCOMING FLOAT, ZTIMER_LAST FLOAT, ZTIMER_LIFETIME FLOAT, ZTIMER_OUTGOING FLOAT );
CREATE TABLE ZCALLRECORD ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZANSWERED INTEGER, ZCALLTYPE INTEGER, ZDISCONNECTED_CAUSE INTEGER, ZFACE_TIME_DATA BLOB, ZNUMBER_AVAILABILITY INTEGER, ZORIGINATED INTEGER, ZREAD INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS BLOB, ZDEVICE_ID VARCHAR, ZISO_COUNTRY_CODE VARCHAR, ZLOCATION VARCHAR, ZNAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, ZUNIQUE_ID VARCHAR );
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE INDEX ZCALLRECORD_ZDATE_INDEX ON ZCALLRECORD (ZDATE);
"#;

pub const SCHEMA_LEGACY: &str = r#"
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE call (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, date INTEGER, duration INTEGER, flags INTEGER, id INTEGER, name TEXT, country_code TEXT, network_code TEXT, read INTEGER, assisted INTEGER, face_time_data BLOB, originalAddress TEXT);
CREATE TABLE data (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, pdp_ip INTEGER, bytes_rcvd REAL, bytes_sent REAL, bytes_last_rcvd REAL, bytes_last_sent REAL, bytes_lifetime_rcvd REAL, bytes_lifetime_sent REAL);
CREATE INDEX date_index on call(date);
"#;

/// Whether a call is in the store of this generation.
pub fn in_store(c: &GCall, generation: u32) -> bool {
    c.app != GApp::WhatsApp || generation == 0
}

/// (ZCALLTYPE, ZSERVICE_PROVIDER) of a call.
pub fn call_type(c: &GCall) -> (i64, &'static str) {
    match c.app {
        GApp::IMessage if c.video => (8, "com.apple.FaceTime"),
        GApp::IMessage => (16, "com.apple.FaceTime"),
        GApp::WhatsApp => (1, "net.whatsapp.WhatsApp"),
        _ => (1, "com.apple.Telephony"),
    }
}

fn uuid(n: u64) -> String {
    format!(
        "{:08X}-C411-4000-8000-{n:012X}",
        n.wrapping_mul(2_246_822_519) as u32
    )
}

fn cocoa_seconds(ts_ms: i64) -> String {
    let ms = ts_ms - COCOA_EPOCH_MS;
    format!("{}.{:03}", ms.div_euclid(1000), ms.rem_euclid(1000))
}

/// Render a handset's call log for a generation.
pub fn render(h: &Handset, generation: u32) -> Vec<DeviceFile> {
    let calls: Vec<&GCall> = h.calls.iter().filter(|c| in_store(c, generation)).collect();
    let mut out = Vec::new();
    if calls.is_empty() {
        return out;
    }
    let (mut live, mut wal, mut deletes) = (Vec::new(), Vec::new(), Vec::new());
    let legacy = generation >= 2;
    for (i, c) in calls.iter().enumerate() {
        let pk = i as i64 + 1;
        let outgoing = c.direction == GCallDir::Outgoing;
        let answered = match c.direction {
            GCallDir::Incoming => 1,
            GCallDir::Outgoing => (c.duration_s > 0) as i64,
            GCallDir::Missed | GCallDir::Rejected => 0,
        };
        let stmt = if legacy {
            let flags = if outgoing { 5 } else { 4 }
                + if c.app == GApp::IMessage && c.video {
                    16
                } else {
                    0
                };
            format!(
                "INSERT INTO call (ROWID, address, date, duration, flags, id, name, country_code, network_code, read, assisted, originalAddress) VALUES ({pk}, {}, {}, {}, {flags}, -1, NULL, '234', '30', 1, 0, {});",
                q(&c.peer_raw),
                c.ts_ms.div_euclid(1000),
                if answered == 1 { c.duration_s } else { 0 },
                q(&c.peer_raw),
            )
        } else {
            let (ct, provider) = call_type(c);
            if generation == 0 {
                format!(
                    "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALL_CATEGORY, ZCALLTYPE, ZDISCONNECTED_CAUSE, ZHANDLE_TYPE, ZHASMESSAGE, ZJUNKCONFIDENCE, ZNUMBER_AVAILABILITY, ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZISO_COUNTRY_CODE, ZLOCATION, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID) VALUES ({pk}, 2, 1, {answered}, {}, {ct}, 0, 2, 0, 0, 0, {}, 1, {}, {}, {}, 'gb', 'United Kingdom', NULL, {}, {});",
                    if c.video { 2 } else { 1 },
                    outgoing as i64,
                    cocoa_seconds(c.ts_ms),
                    if answered == 1 { c.duration_s } else { 0 },
                    q(&c.peer_raw),
                    q(provider),
                    q(&uuid(pk as u64)),
                )
            } else {
                let hex: String = c.peer_raw.bytes().map(|b| format!("{b:02X}")).collect();
                format!(
                    "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZDISCONNECTED_CAUSE, ZNUMBER_AVAILABILITY, ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZDEVICE_ID, ZISO_COUNTRY_CODE, ZLOCATION, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID) VALUES ({pk}, 2, 1, {answered}, {ct}, 0, 0, {}, 1, {}, {}, X'{hex}', NULL, 'gb', 'United Kingdom', NULL, {}, {});",
                    outgoing as i64,
                    cocoa_seconds(c.ts_ms),
                    if answered == 1 { c.duration_s } else { 0 },
                    q(provider),
                    q(&uuid(pk as u64)),
                )
            }
        };
        match c.state {
            GState::WalOnly => wal.push(stmt),
            GState::Live => live.push(stmt),
            GState::Deleted => {
                live.push(stmt);
                deletes.push(if legacy {
                    format!("DELETE FROM call WHERE ROWID = {pk};")
                } else {
                    format!("DELETE FROM ZCALLRECORD WHERE Z_PK = {pk};")
                });
            }
        }
    }
    live.extend(deletes);
    let n = calls.len();
    if legacy {
        live.push(
            "INSERT INTO _SqliteDatabaseProperties (key, value) VALUES ('_ClientVersion', '12');"
                .into(),
        );
        push_db(
            &mut out,
            LEGACY_PATH,
            build(1024, SCHEMA_LEGACY, &live, &wal),
        );
    } else {
        live.push(format!(
            "INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES (1, 'CallDBProperties', 0, 1), (2, 'CallRecord', 0, {n});"
        ));
        if generation == 0 {
            live.push("INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES (3, 'EmergencyMediaItem', 0, 0), (4, 'Handle', 0, 0), (5, 'SaintDavidsCounts', 0, 0);".into());
        }
        live.push(format!(
            "INSERT INTO Z_METADATA (Z_VERSION, Z_UUID, Z_PLIST) VALUES (1, {}, X'62706C6973743030D00800000000000001010000000000000001000000000000000000000000000000000009');",
            q(&uuid(0))
        ));
        live.push("INSERT INTO ZCALLDBPROPERTIES (Z_PK, Z_ENT, Z_OPT, ZTIMER_ALL, ZTIMER_INCOMING, ZTIMER_LAST, ZTIMER_LIFETIME, ZTIMER_OUTGOING) VALUES (1, 1, 1, 0, 0, 0, 0, 0);".into());
        push_db(
            &mut out,
            PATH,
            build(
                4096,
                if generation == 0 {
                    SCHEMA_CURRENT
                } else {
                    SCHEMA_IOS9
                },
                &live,
                &wal,
            ),
        );
    }
    out
}
