//! timeline/: Timesketch's mandatory columns, one event per timed record, sorted by time then
//! id, CSV and JSONL agreeing.
mod outputs_fixture;

use linesift::export::timeline;
use outputs_fixture::*;

#[test]
fn timesketch_csv_and_jsonl_have_the_events_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let written = timeline::write(&tables(), dir.path()).unwrap();
    assert_eq!(
        written,
        vec!["timeline/timesketch.csv", "timeline/timesketch.jsonl"]
    );
    let csv = std::fs::read_to_string(dir.path().join("timeline/timesketch.csv")).unwrap();
    let rows = parse_csv(&csv);
    let h = &rows[0];
    for c in ["message", "datetime", "timestamp_desc"] {
        assert!(h.contains(&c.to_string()), "mandatory column {c}");
    }
    for c in ["exhibit", "app", "numbers", "record_state", "message_id"] {
        assert!(h.contains(&c.to_string()), "extra column {c}");
    }
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (dt, desc, msg, id, cid, bid) = (
        col("datetime"),
        col("timestamp_desc"),
        col("message"),
        col("message_id"),
        col("call_id"),
        col("broadcast_id"),
    );
    let got: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| {
            let rid = [&r[id], &r[cid], &r[bid]]
                .into_iter()
                .find(|s| !s.is_empty())
                .cloned()
                .unwrap_or_default();
            (r[dt].clone(), r[desc].clone(), rid)
        })
        .collect();
    let want: Vec<(&str, &str, &str)> = vec![
        ("2024-03-01T10:00:00Z", "Campaign First Message", "B1"),
        ("2024-03-01T10:00:00Z", "Message Sent", "M01"),
        ("2024-03-01T10:05:00Z", "Call Started", "K1"),
        ("2024-03-01T10:20:00Z", "Campaign Last Message", "B1"),
        ("2024-03-02T11:00:00Z", "Message Sent", "M02"),
        ("2024-03-02T12:00:00Z", "Message Sent", "M03"),
        ("2024-03-03T09:30:00Z", "Message Received", "M04"),
        ("2024-03-04T09:00:00Z", "Campaign First Message", "B2"),
        ("2024-03-04T09:10:00Z", "Campaign Last Message", "B2"),
        ("2024-03-05T08:00:00Z", "Message Sent", "M05"),
        ("2024-03-06T22:00:00Z", "Call Started", "K2"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect::<Vec<_>>()
    );
    // The message M06 without a time is not an event.
    assert!(!csv.contains("M06"));
    let m01 = &rows[2];
    assert_eq!(
        m01[msg],
        format!("[sms] {A} -> {C}: Food available now, call me")
    );
    assert_eq!(m01[col("exhibit")], "Handset A");
    assert_eq!(m01[col("numbers")], format!("{A};{C}"));
    assert_eq!(m01[col("timestamp")], "1709287200000000");
    let k2 = &rows[11];
    assert_eq!(
        k2[msg],
        format!("[android_calllog] missed call from {D} (Dee), 0 s")
    );
    assert_eq!(rows[10][col("record_state")], "wal_only");

    // JSONL: the same events, same order, numbers as an array.
    let jsonl = std::fs::read_to_string(dir.path().join("timeline/timesketch.jsonl")).unwrap();
    let objs: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), want.len());
    for o in &objs {
        let keys: Vec<&str> = o.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut cols = timeline::COLUMNS.to_vec();
        cols.sort();
        assert_eq!(keys, cols, "every event has exactly the timeline's columns");
    }
    for (o, r) in objs.iter().zip(&rows[1..]) {
        assert_eq!(o["datetime"], r[dt].as_str());
        assert_eq!(o["timestamp_desc"], r[desc].as_str());
        assert_eq!(o["message"], r[msg].as_str());
    }
    assert_eq!(objs[1]["numbers"], serde_json::json!([A, C]));
    // Hostile text stays data: the body is in the message field, exactly.
    assert!(objs[5]["message"]
        .as_str()
        .unwrap()
        .ends_with(HOSTILE_SCRIPT));
}
