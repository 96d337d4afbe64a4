//! `telephony.db` of the telephony provider: `siminfo` (one row per owner number, slot = index)
//! and the `carriers` APN table.
//! - Modern: Android 10 `siminfo`; `number` holds the owner number.
//! - Samsung: Android 14 `siminfo` (adds `phone_number_source_carrier`/`_ims`); `number` is empty
//!   (as carriers usually leave it) and the number is in `phone_number_source_carrier`.
//! - Legacy: Android 5.1 `siminfo`; `number` holds the owner number in national format.
//!
//! When the handset does not record its own number, every number column is empty.
use super::Profile;
use crate::sqlitefile::{build, q, DbFiles};
use crate::world::{uk_style, Handset};

const LEGACY: &str = "CREATE TABLE siminfo(_id INTEGER PRIMARY KEY AUTOINCREMENT,icc_id TEXT NOT NULL,sim_id INTEGER DEFAULT -1,display_name TEXT,carrier_name TEXT,name_source INTEGER DEFAULT 0,color INTEGER DEFAULT 0,number TEXT,display_number_format INTEGER NOT NULL DEFAULT 1,data_roaming INTEGER DEFAULT 0,mcc INTEGER DEFAULT 0,mnc INTEGER DEFAULT 0);";

const MODERN: &str = "CREATE TABLE siminfo(_id INTEGER PRIMARY KEY AUTOINCREMENT,icc_id TEXT NOT NULL,sim_id INTEGER DEFAULT -1,display_name TEXT,carrier_name TEXT,name_source INTEGER DEFAULT 0,color INTEGER DEFAULT 0,number TEXT,display_number_format INTEGER NOT NULL DEFAULT 1,data_roaming INTEGER DEFAULT 0,mcc INTEGER DEFAULT 0,mnc INTEGER DEFAULT 0,mcc_string TEXT,mnc_string TEXT,ehplmns TEXT,hplmns TEXT,sim_provisioning_status INTEGER DEFAULT 0,is_embedded INTEGER DEFAULT 0,card_id TEXT NOT NULL,access_rules BLOB,is_removable INTEGER DEFAULT 0,enable_cmas_extreme_threat_alerts INTEGER DEFAULT 1,enable_cmas_severe_threat_alerts INTEGER DEFAULT 1,enable_cmas_amber_alerts INTEGER DEFAULT 1,enable_emergency_alerts INTEGER DEFAULT 1,alert_sound_duration INTEGER DEFAULT 4,alert_reminder_interval INTEGER DEFAULT 0,enable_alert_vibrate INTEGER DEFAULT 1,enable_alert_speech INTEGER DEFAULT 1,enable_etws_test_alerts INTEGER DEFAULT 0,enable_channel_50_alerts INTEGER DEFAULT 1,enable_cmas_test_alerts INTEGER DEFAULT 0,show_cmas_opt_out_dialog INTEGER DEFAULT 1,volte_vt_enabled INTEGER DEFAULT -1,vt_ims_enabled INTEGER DEFAULT -1,wfc_ims_enabled INTEGER DEFAULT -1,wfc_ims_mode INTEGER DEFAULT -1,wfc_ims_roaming_mode INTEGER DEFAULT -1,wfc_ims_roaming_enabled INTEGER DEFAULT -1,is_opportunistic INTEGER DEFAULT 0,group_uuid TEXT,is_metered INTEGER DEFAULT 1,iso_country_code TEXT,carrier_id INTEGER DEFAULT -1,profile_class INTEGER DEFAULT -1,subscription_type INTEGER DEFAULT 0,group_owner TEXT,data_enabled_override_rules TEXT,imsi TEXT,uicc_applications_enabled INTEGER DEFAULT 1,allowed_network_types BIGINT DEFAULT -1,ims_rcs_uce_enabled INTEGER DEFAULT 0{EXTRA});";

const ANDROID14_EXTRA: &str = ",cross_sim_calling_enabled INTEGER DEFAULT 0,rcs_config BLOB,allowed_network_types_for_reasons TEXT,d2d_sharing_status INTEGER DEFAULT 0,voims_opt_in_status INTEGER DEFAULT 0,d2d_sharing_contacts TEXT,nr_advanced_calling_enabled INTEGER DEFAULT -1,phone_number_source_carrier TEXT,phone_number_source_ims TEXT,port_index INTEGER DEFAULT -1,usage_setting INTEGER DEFAULT -1,tp_message_ref INTEGER DEFAULT -1,user_handle INTEGER DEFAULT -10000,satellite_enabled INTEGER DEFAULT -1";

const CARRIERS: &str = "CREATE TABLE carriers(_id INTEGER PRIMARY KEY,name TEXT DEFAULT '',numeric TEXT DEFAULT '',mcc TEXT DEFAULT '',mnc TEXT DEFAULT '',apn TEXT DEFAULT '',user TEXT DEFAULT '',server TEXT DEFAULT '',password TEXT DEFAULT '',proxy TEXT DEFAULT '',port TEXT DEFAULT '',mmsproxy TEXT DEFAULT '',mmsport TEXT DEFAULT '',mmsc TEXT DEFAULT '',authtype INTEGER DEFAULT -1,type TEXT DEFAULT '',current INTEGER,protocol TEXT DEFAULT 'IP',roaming_protocol TEXT DEFAULT 'IP',carrier_enabled BOOLEAN DEFAULT 1,bearer INTEGER DEFAULT 0,mvno_type TEXT DEFAULT '',mvno_match_data TEXT DEFAULT '',sub_id INTEGER DEFAULT -1,profile_id INTEGER DEFAULT 0,modem_cognitive BOOLEAN DEFAULT 0,max_conns INTEGER DEFAULT 0,wait_time INTEGER DEFAULT 0,max_conns_time INTEGER DEFAULT 0,mtu INTEGER DEFAULT 0,edited INTEGER DEFAULT 0,user_visible BOOLEAN DEFAULT 1,user_editable BOOLEAN DEFAULT 1);";

pub fn schema(p: Profile) -> String {
    let (siminfo, uv) = match p {
        Profile::Legacy => (LEGACY.to_string(), 14),
        Profile::Modern => (MODERN.replace("{EXTRA}", ""), 1_310_720),
        Profile::Samsung => (MODERN.replace("{EXTRA}", ANDROID14_EXTRA), 4_390_912),
    };
    format!("{siminfo}\n{CARRIERS}\nPRAGMA user_version = {uv};\n")
}

/// The display name and carrier a SIM slot gets.
pub fn sim_names(slot: usize) -> (&'static str, &'static str) {
    if slot == 0 {
        ("EE", "EE")
    } else {
        ("giffgaff", "O2 - UK")
    }
}

pub fn render(h: &Handset, p: Profile) -> DbFiles {
    let mut live = vec![
        "INSERT INTO carriers (_id,name,numeric,mcc,mnc,apn,type) VALUES (1,'EE Internet','23430','234','30','everywhere','default,supl,mms');".to_string(),
    ];
    for (slot, n) in h.owner_numbers.iter().enumerate() {
        let id = slot + 1;
        let (disp, carrier) = sim_names(slot);
        let icc = format!("894430{:013}", 1_000 + slot);
        let number = if !h.records_owner {
            String::new()
        } else {
            match p {
                Profile::Legacy => uk_style(n, 2),
                Profile::Modern => n.clone(),
                Profile::Samsung => String::new(),
            }
        };
        live.push(match p {
            Profile::Legacy => format!(
                "INSERT INTO siminfo (_id,icc_id,sim_id,display_name,carrier_name,name_source,number,mcc,mnc) VALUES ({id},{},{slot},{},{},0,{},234,30);",
                q(&icc), q(disp), q(carrier), q(&number)
            ),
            Profile::Modern => format!(
                "INSERT INTO siminfo (_id,icc_id,sim_id,display_name,carrier_name,name_source,number,mcc,mnc,mcc_string,mnc_string,card_id,iso_country_code,carrier_id) VALUES ({id},{},{slot},{},{},0,{},234,30,'234','30',{},'gb',2_000);",
                q(&icc), q(disp), q(carrier), q(&number), q(&icc)
            ).replace("2_000", "2000"),
            Profile::Samsung => format!(
                "INSERT INTO siminfo (_id,icc_id,sim_id,display_name,carrier_name,name_source,number,mcc,mnc,mcc_string,mnc_string,card_id,iso_country_code,carrier_id,phone_number_source_carrier,phone_number_source_ims) VALUES ({id},{},{slot},{},{},0,{},234,30,'234','30',{},'gb',2000,{},'');",
                q(&icc), q(disp), q(carrier), q(&number), q(&icc),
                q(if h.records_owner { n } else { "" })
            ),
        });
    }
    build(4096, &schema(p), &live, &[])
}
