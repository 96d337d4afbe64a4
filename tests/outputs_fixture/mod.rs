//! A small constructed case, as export tables with the contract's column names, for the
//! output tests (graph, timeline, report). Synthetic drama numbers only.
#![allow(dead_code)]
use linesift::export::{Cell, ColType, Table};

pub const A: &str = "+447700900001"; // handset A's own number, line "Sam" first number
pub const B1: &str = "+447700900002"; // handset B's first number
pub const B2: &str = "+447700900009"; // handset B's second number (dual SIM)
pub const C: &str = "+447700900003"; // customer saved on both handsets
pub const D: &str = "+447700900004"; // caller
pub const E: &str = "+447700900005"; // line "Sam" second number

pub const HOSTILE_IMG: &str = "<img src=x onerror=\"document.title='PWNED'\">";
pub const HOSTILE_SCRIPT: &str = "<script>document.body.setAttribute('data-pwned','1')</script>";
pub const HOSTILE_NAME: &str = "Jay <b>\"&'</b>";

pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}
pub fn l(v: &[&str]) -> Cell {
    Cell::List(v.iter().map(|s| s.to_string()).collect())
}
pub fn i(v: i64) -> Cell {
    Cell::Int(v)
}
pub const N: Cell = Cell::Null;

pub fn table(name: &'static str, cols: &[&'static str], rows: Vec<Vec<Cell>>) -> Table {
    for r in &rows {
        assert_eq!(r.len(), cols.len(), "row width of {name}");
    }
    Table {
        name,
        columns: cols.iter().map(|c| (*c, ColType::Text)).collect(),
        key: None,
        indexes: vec![],
        rows,
    }
}

const MSG_COLS: &[&str] = &[
    "message_id",
    "exhibit_id",
    "app",
    "direction",
    "timestamp_utc",
    "sender_raw",
    "sender_e164",
    "recipients_raw",
    "recipients_e164",
    "body",
    "record_state",
    "artifact_path",
    "source_table",
    "source_rowid",
];

/// One message row.
#[allow(clippy::too_many_arguments)]
pub fn msg(
    id: &str,
    ex: &str,
    dir: &str,
    ts: &str,
    sender: Option<&str>,
    to: &[&str],
    body: &str,
    state: &str,
) -> Vec<Cell> {
    vec![
        t(id),
        t(ex),
        t("sms"),
        t(dir),
        t(ts),
        sender.map(t).unwrap_or(N),
        sender.map(t).unwrap_or(N),
        l(to),
        l(to),
        t(body),
        t(state),
        t("data/data/com.android.providers.telephony/databases/mmssms.db"),
        t("sms"),
        i(1),
    ]
}

/// The messages of the case (extra ones can be appended for the row cap).
pub fn messages() -> Vec<Vec<Cell>> {
    vec![
        // A -> C (sender known), twice on two days.
        msg(
            "M01",
            "X1",
            "outgoing",
            "2024-03-01T10:00:00.000Z",
            Some(A),
            &[C],
            "Food available now, call me",
            "live",
        ),
        msg(
            "M02",
            "X1",
            "outgoing",
            "2024-03-02T11:00:00.000Z",
            Some(A),
            &[C],
            HOSTILE_IMG,
            "live",
        ),
        // Outgoing without sender: the handset's one owner number (A) is the sender.
        msg(
            "M03",
            "X1",
            "outgoing",
            "2024-03-02T12:00:00.000Z",
            None,
            &[D],
            HOSTILE_SCRIPT,
            "freelist",
        ),
        // Incoming to handset B (two own numbers, no recipients): the exhibit is the end.
        msg(
            "M04",
            "X2",
            "incoming",
            "2024-03-03T09:30:00.000Z",
            Some(C),
            &[],
            "you about?",
            "live",
        ),
        // C -> E (the line's new number), seen on handset B.
        msg(
            "M05",
            "X2",
            "outgoing",
            "2024-03-05T08:00:00.000Z",
            Some(C),
            &[E],
            "new number?\nok",
            "wal_only",
        ),
        // No timestamp: not a timeline event, still an edge.
        msg(
            "M06",
            "X1",
            "incoming",
            "",
            Some(D),
            &[A],
            "no time",
            "live",
        ),
    ]
}

pub fn tables_with(extra_messages: usize) -> Vec<Table> {
    let mut msgs = messages();
    for k in 0..extra_messages {
        msgs.push(msg(
            &format!("M9{k:05}"),
            "X1",
            "incoming",
            "2024-03-04T00:00:00.000Z",
            Some(D),
            &[A],
            "filler",
            "live",
        ));
    }
    vec![
        table(
            "exhibits",
            &[
                "exhibit_id",
                "label",
                "path",
                "container",
                "size",
                "sha256",
                "sha1",
                "md5",
                "os",
                "owner_numbers",
                "status",
                "duplicate_of",
                "problems",
            ],
            vec![
                vec![
                    t("X1"),
                    t("Handset A"),
                    t("/ev/a.zip"),
                    t("zip"),
                    i(1_048_576),
                    t(&"a".repeat(64)),
                    t(&"b".repeat(40)),
                    N,
                    t("android"),
                    l(&[A]),
                    t("ok"),
                    N,
                    l(&[]),
                ],
                vec![
                    t("X2"),
                    t("Handset B <2>"),
                    t("/ev/b.tar"),
                    t("tar"),
                    i(2048),
                    t(&"c".repeat(64)),
                    N,
                    N,
                    t("ios"),
                    l(&[B1, B2]),
                    t("warnings"),
                    N,
                    l(&["truncated"]),
                ],
            ],
        ),
        table(
            "artifacts",
            &["artifact_id", "exhibit_id", "path", "parser", "status"],
            vec![
                vec![
                    t("A1"),
                    t("X1"),
                    t("mmssms.db"),
                    t("android.sms"),
                    t("parsed"),
                ],
                vec![
                    t("A2"),
                    t("X2"),
                    t("sms.db"),
                    t("ios.sms"),
                    t("parsed_with_warnings"),
                ],
            ],
        ),
        table("messages", MSG_COLS, msgs),
        table(
            "contacts",
            &[
                "contact_id",
                "exhibit_id",
                "app",
                "display_name",
                "number_raw",
                "number_e164",
                "record_state",
            ],
            vec![
                vec![
                    t("C1"),
                    t("X1"),
                    t("android_contacts"),
                    t(HOSTILE_NAME),
                    t("07700 900003"),
                    t(C),
                    t("live"),
                ],
                vec![
                    t("C2"),
                    t("X2"),
                    t("ios_addressbook"),
                    t("J"),
                    t("07700900003"),
                    t(C),
                    t("live"),
                ],
                vec![
                    t("C3"),
                    t("X2"),
                    t("ios_addressbook"),
                    t("J work"),
                    t("+447700900003"),
                    t(C),
                    t("live"),
                ],
                vec![
                    t("C4"),
                    t("X2"),
                    t("ios_addressbook"),
                    t("no number"),
                    N,
                    N,
                    t("live"),
                ],
            ],
        ),
        table(
            "calls",
            &[
                "call_id",
                "exhibit_id",
                "app",
                "direction",
                "timestamp_utc",
                "duration_s",
                "number_raw",
                "number_e164",
                "name",
                "record_state",
            ],
            vec![
                vec![
                    t("K1"),
                    t("X1"),
                    t("android_calllog"),
                    t("outgoing"),
                    t("2024-03-01T10:05:00.000Z"),
                    i(42),
                    t("07700900003"),
                    t(C),
                    N,
                    t("live"),
                ],
                vec![
                    t("K2"),
                    t("X1"),
                    t("android_calllog"),
                    t("missed"),
                    t("2024-03-06T22:00:00.000Z"),
                    i(0),
                    t("07700900004"),
                    t(D),
                    t("Dee"),
                    t("live"),
                ],
            ],
        ),
        table(
            "numbers",
            &["number_e164", "kind"],
            vec![
                vec![t(A), t("mobile")],
                vec![t(C), t("mobile")],
                vec![t("+447700900777"), t("mobile")],
            ],
        ),
        table(
            "broadcasts",
            &[
                "broadcast_id",
                "exhibit_id",
                "sender_e164",
                "direction",
                "verdict",
                "score",
                "template",
                "example_body",
                "message_count",
                "distinct_recipients",
                "first_utc",
                "last_utc",
                "reasons",
            ],
            vec![
                vec![
                    t("B1"),
                    t("X1"),
                    t(A),
                    t("outgoing"),
                    t("marketing"),
                    Cell::Real(0.93),
                    t("Food available now <NUM>"),
                    t(HOSTILE_IMG),
                    i(57),
                    i(55),
                    t("2024-03-01T10:00:00.000Z"),
                    t("2024-03-01T10:20:00.000Z"),
                    l(&["fan-out 55", "drug vocabulary: food", HOSTILE_SCRIPT]),
                ],
                vec![
                    t("B2"),
                    t("X1"),
                    t(E),
                    t("outgoing"),
                    t("number_change"),
                    Cell::Real(0.8),
                    t("new number <NUM>"),
                    t("New number save it"),
                    i(30),
                    i(30),
                    t("2024-03-04T09:00:00.000Z"),
                    t("2024-03-04T09:10:00.000Z"),
                    l(&["number-change phrase"]),
                ],
            ],
        ),
        table(
            "broadcast_messages",
            &["broadcast_id", "message_id"],
            vec![vec![t("B1"), t("M01")]],
        ),
        table(
            "shared_numbers",
            &[
                "number_e164",
                "exhibit_count",
                "exhibit_id",
                "names_saved",
                "message_count",
                "call_count",
                "first_utc",
                "last_utc",
            ],
            vec![
                vec![
                    t(C),
                    i(2),
                    t("X1"),
                    t(HOSTILE_NAME),
                    i(2),
                    i(1),
                    t("2024-03-01T10:00:00.000Z"),
                    t("2024-03-02T11:00:00.000Z"),
                ],
                vec![
                    t(C),
                    i(2),
                    t("X2"),
                    l(&["J", "J work"]),
                    i(2),
                    i(0),
                    t("2024-03-03T09:30:00.000Z"),
                    t("2024-03-05T08:00:00.000Z"),
                ],
            ],
        ),
        table(
            "line_links",
            &[
                "from_e164",
                "to_e164",
                "kind",
                "strength",
                "first_utc",
                "last_utc",
                "evidence",
                "explanation",
            ],
            vec![
                vec![
                    t(A),
                    t(E),
                    t("announced_change"),
                    Cell::Real(0.9),
                    t("2024-03-04T09:00:00.000Z"),
                    t("2024-03-04T09:10:00.000Z"),
                    l(&["B2"]),
                    t("E announced as \"new number\" to 30 of A's customers & more <b>"),
                ],
                vec![
                    t(A),
                    t(E),
                    t("customer_overlap"),
                    Cell::Real(0.6),
                    t("2024-03-01T00:00:00.000Z"),
                    t("2024-03-06T00:00:00.000Z"),
                    l(&["C"]),
                    t("customer lists overlap"),
                ],
            ],
        ),
        table(
            "lines",
            &["line_id", "name", "numbers", "first_utc", "last_utc"],
            vec![vec![
                t("L1"),
                t("Sam's line"),
                l(&[A, E]),
                t("2024-03-01T10:00:00.000Z"),
                t("2024-03-06T22:00:00.000Z"),
            ]],
        ),
        table(
            "problems",
            &["severity", "exhibit", "file", "offset", "reason"],
            vec![
                vec![
                    t("warning"),
                    t("Handset B <2>"),
                    t("sms.db"),
                    i(4096),
                    t("unknown column <x>"),
                ],
                vec![t("error"), t("Handset C"), N, N, t("cannot read")],
            ],
        ),
    ]
}

pub fn tables() -> Vec<Table> {
    tables_with(0)
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut f = String::new();
    let mut q = false;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if q {
            if c == '"' {
                if it.peek() == Some(&'"') {
                    f.push('"');
                    it.next();
                } else {
                    q = false;
                }
            } else {
                f.push(c);
            }
            continue;
        }
        match c {
            '"' => q = true,
            ',' => row.push(std::mem::take(&mut f)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut f));
                rows.push(std::mem::take(&mut row));
            }
            c => f.push(c),
        }
    }
    if !f.is_empty() || !row.is_empty() {
        row.push(f);
        rows.push(row);
    }
    rows
}
