//! `report.html`: one self-contained page for the case (no network: inline CSS, inline SVG
//! charts, one inline script for sorting/filtering tables, allowed by its hash in the page's
//! Content-Security-Policy so that nothing else can run even if evidence text were to slip
//! through unescaped; it does not: every value from the tables goes through [`esc`]).
//!
//! Sections: case details, summary, exhibits with hashes, lines (numbers, active periods),
//! activity (messages per day per line, or per exhibit when no lines were identified),
//! campaigns (fan-out chart, example texts, reasons), line links (diagram, explanations),
//! shared numbers, messages (first rows), warnings and errors, and the list of output files.
//! Long tables are cut at [`MAX_ROWS`] rows with a note linking the full CSV, so a case with a
//! million messages still opens quickly. Built from the export tables by column name: a table
//! that is absent leaves its section saying so.
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::view::{self, date_of_day, day_of, Row, View};
use super::Table;

/// Rows shown per table before the report links to the CSV instead.
pub const MAX_ROWS: usize = 500;
/// Series in the per-day chart, bars in the fan-out chart, nodes in the link diagram.
const MAX_SERIES: usize = 30;
const MAX_BARS: usize = 25;
const MAX_NODES: usize = 40;

const CSS: &str = include_str!("report/style.css");
const JS: &str = include_str!("report/script.js");

/// Run details for the report header (the lead fills these from the run's options).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportMeta {
    pub tool: String,
    pub version: String,
    pub case_ref: Option<String>,
    pub examiner: Option<String>,
    pub started_utc: Option<String>,
    pub finished_utc: Option<String>,
    pub rules_version: Option<String>,
    pub region: Option<String>,
}

impl ReportMeta {
    /// Tool name and version only.
    pub fn basic() -> ReportMeta {
        ReportMeta {
            tool: "linesift".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            ..Default::default()
        }
    }
}

/// HTML-escape text for element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\0' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// JSON that is safe inside a `<script>` element: `<`, `>`, `&`, U+2028 and U+2029 are written
/// as `\uXXXX` escapes, so no value can close the element or start a comment.
pub fn json_for_script(v: &serde_json::Value) -> String {
    let s = v.to_string();
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("\\u003c"),
            '>' => o.push_str("\\u003e"),
            '&' => o.push_str("\\u0026"),
            '\u{2028}' => o.push_str("\\u2028"),
            '\u{2029}' => o.push_str("\\u2029"),
            c => o.push(c),
        }
    }
    o
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for ch in bytes.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= ch.len() {
                o.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

/// `2024-01-02T03:04:05.000Z` -> `2024-01-02 03:04:05` (UTC; milliseconds kept when not zero).
fn fmt_ts(s: &str) -> String {
    let t = s.replacen('T', " ", 1);
    let t = t.strip_suffix('Z').unwrap_or(&t).to_string();
    t.strip_suffix(".000").map(String::from).unwrap_or(t)
}

fn fmt_size(n: i64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut f = n as f64;
    let mut u = 0;
    while f >= 1024.0 && u + 1 < units.len() {
        f /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{f:.1} {}", units[u])
    }
}

fn trunc(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A badge whose colour comes from a fixed list (never from the value's text).
fn badge(v: &str) -> String {
    let class = match v {
        "marketing" | "error" | "failed" | "announced_change" => "b-red",
        "number_change" | "warning" | "warnings" | "parsed_with_warnings" => "b-amber",
        "ok" | "parsed" | "live" => "b-green",
        "customer_overlap" => "b-blue",
        "shared_template" => "b-violet",
        "same_handset" => "b-green",
        _ => "",
    };
    format!("<span class=\"badge {class}\">{}</span>", esc(v))
}

/// A cell as display text: lists joined with `; `.
fn disp(r: &Row, col: &str) -> String {
    match r.cell(col) {
        Some(super::Cell::List(v)) => v.join("; "),
        _ => r.s(col),
    }
}

/// HTML for one cell of a table shown by column name.
fn cell_html(r: &Row, col: &str) -> String {
    let c = |class: &str, inner: String| format!("<td class=\"{class}\">{inner}</td>");
    if col.ends_with("_e164") || col == "owner_numbers" || col == "numbers" {
        let v = r.list(col);
        return c(
            "mono nowrap",
            v.iter().map(|s| esc(s)).collect::<Vec<_>>().join("<br>"),
        );
    }
    if col.ends_with("_utc") {
        return c("nowrap", esc(&fmt_ts(&r.s(col))));
    }
    match col {
        "severity" | "verdict" | "status" | "kind" | "record_state" | "direction" => {
            let v = r.s(col);
            if v.is_empty() {
                c("", String::new())
            } else {
                c("", badge(&v))
            }
        }
        "reasons" | "evidence" => {
            let v = r.list(col);
            if v.len() > 1 {
                let items: String = v.iter().map(|s| format!("<li>{}</li>", esc(s))).collect();
                c("text", format!("<ul class=\"reasons\">{items}</ul>"))
            } else {
                c("text", esc(&disp(r, col)))
            }
        }
        "body" | "example_body" | "template" | "explanation" | "reason" | "names_saved" => {
            c("text", esc(&disp(r, col)))
        }
        _ if col.ends_with("_id") || col == "sha256" || col == "file" => c("mono", esc(&r.s(col))),
        _ => match r.cell(col) {
            Some(super::Cell::Int(i)) => format!("<td data-v=\"{i}\">{i}</td>"),
            Some(super::Cell::Real(f)) => {
                format!("<td data-v=\"{f}\">{}</td>", esc(&format!("{f:.2}")))
            }
            _ => c("", esc(&disp(r, col))),
        },
    }
}

struct Page {
    o: String,
    nav: Vec<(&'static str, String)>,
}

impl Page {
    fn section(&mut self, id: &'static str, title: &str, count: Option<usize>) {
        self.nav.push((id, title.to_string()));
        let _ = write!(self.o, "<section id=\"{id}\"><h2>{}", esc(title));
        if let Some(n) = count {
            let _ = write!(self.o, "<span class=\"count\">{n}</span>");
        }
        self.o.push_str("</h2>");
    }
    fn end(&mut self) {
        self.o.push_str("</section>\n");
    }
    fn lead(&mut self, text: &str) {
        let _ = write!(self.o, "<p class=\"lead\">{}</p>", esc(text));
    }
    fn empty(&mut self, text: &str) {
        let _ = write!(self.o, "<p class=\"empty\">{}</p>", esc(text));
    }

    /// A sortable, filterable table: `rows` are `<td>` strings; `total` rows exist in all.
    fn table(
        &mut self,
        id: &str,
        csv: Option<&str>,
        headers: &[&str],
        rows: &[String],
        total: usize,
    ) {
        let _ = write!(
            self.o,
            "<div class=\"tools\"><input class=\"filter\" type=\"search\" placeholder=\"Filter rows\" data-for=\"{id}\" aria-label=\"Filter rows\"></div><div class=\"scroll\"><table class=\"data\" id=\"{id}\"><thead><tr>"
        );
        for h in headers {
            let _ = write!(self.o, "<th>{}</th>", esc(h));
        }
        self.o.push_str("</tr></thead><tbody>");
        for r in rows {
            let _ = write!(self.o, "<tr>{r}</tr>");
        }
        self.o.push_str("</tbody></table></div>");
        if total > rows.len() {
            let _ = write!(
                self.o,
                "<p class=\"capped\">Showing the first {} of {} rows.",
                rows.len(),
                total
            );
            if let Some(t) = csv {
                let _ = write!(
                    self.o,
                    " The full table is <a href=\"csv/{0}.csv\">csv/{0}.csv</a> (and in case.sqlite).",
                    esc(t)
                );
            }
            self.o.push_str("</p>");
        }
    }

    /// The named columns of a table (those present), first [`MAX_ROWS`] rows.
    fn generic(&mut self, v: &View, cols: &[(&str, &str)]) {
        let cols: Vec<&(&str, &str)> = cols.iter().filter(|(c, _)| v.has(c)).collect();
        let headers: Vec<&str> = cols.iter().map(|(_, h)| *h).collect();
        let rows: Vec<String> = v
            .rows()
            .take(MAX_ROWS)
            .map(|r| cols.iter().map(|(c, _)| cell_html(&r, c)).collect())
            .collect();
        let id = format!("t-{}", v.table.name);
        self.table(&id, Some(v.table.name), &headers, &rows, v.len());
    }
}

/// Everything the sections share.
struct Ctx<'a> {
    tables: &'a [Table],
    labels: BTreeMap<String, String>,
    owners: BTreeMap<String, Vec<String>>,
    /// number -> line names
    number_lines: BTreeMap<String, BTreeSet<String>>,
}

impl Ctx<'_> {
    fn label(&self, ex: &str) -> String {
        self.labels
            .get(ex)
            .cloned()
            .unwrap_or_else(|| ex.to_string())
    }
}

/// The numbers a message involves (sender, recipients; the handset's own numbers stand in for
/// a missing side).
fn message_numbers(ctx: &Ctx, r: &Row) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = BTreeSet::new();
    let dir = r.s("direction");
    let own = || {
        ctx.owners
            .get(&r.s("exhibit_id"))
            .cloned()
            .unwrap_or_default()
    };
    match r.text("sender_e164") {
        Some(n) => {
            s.insert(n);
        }
        None if dir == "outgoing" => s.extend(own()),
        None => {}
    }
    let rec = r.list("recipients_e164");
    if rec.is_empty() && dir == "incoming" {
        s.extend(own());
    }
    s.extend(rec);
    s
}

pub fn render(tables: &[Table], meta: &ReportMeta) -> String {
    let labels: BTreeMap<String, String> = view::find(tables, "exhibits")
        .map(|v| {
            v.rows()
                .filter_map(|r| Some((r.text("exhibit_id")?, r.text("label")?)))
                .collect()
        })
        .unwrap_or_default();
    let mut number_lines: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(v) = view::find(tables, "lines") {
        for r in v.rows() {
            let name = r
                .text("name")
                .or_else(|| r.text("line_id"))
                .unwrap_or_default();
            for n in r.list("numbers") {
                number_lines.entry(n).or_default().insert(name.clone());
            }
        }
    }
    let ctx = Ctx {
        tables,
        labels,
        owners: view::owners(tables),
        number_lines,
    };
    let mut p = Page {
        o: String::new(),
        nav: Vec::new(),
    };
    let summary = case_section(&mut p, &ctx, meta);
    exhibits_section(&mut p, &ctx);
    lines_section(&mut p, &ctx);
    activity_section(&mut p, &ctx);
    campaigns_section(&mut p, &ctx);
    links_section(&mut p, &ctx);
    if let Some(v) = view::find(tables, "shared_numbers") {
        p.section("shared", "Shared numbers", Some(v.len()));
        p.lead("Numbers found on two or more exhibits, with what each handset saved them as and how much they were used.");
        if v.is_empty() {
            p.empty("No number appears on more than one exhibit.");
        } else {
            p.generic(
                &v,
                &[
                    ("number_e164", "Number"),
                    ("exhibit_count", "Exhibits"),
                    ("exhibit_id", "Exhibit"),
                    ("names_saved", "Saved as"),
                    ("message_count", "Messages"),
                    ("call_count", "Calls"),
                    ("first_utc", "First (UTC)"),
                    ("last_utc", "Last (UTC)"),
                ],
            );
        }
        p.end();
    }
    messages_section(&mut p, &ctx);
    problems_section(&mut p, &ctx);
    files_section(&mut p, &ctx);

    let script_hash = base64(&Sha256::digest(JS.as_bytes()));
    let title = match &meta.case_ref {
        Some(c) => format!("Case report {c} (linesift)"),
        None => "Case report (linesift)".to_string(),
    };
    let mut html = String::with_capacity(p.o.len() + CSS.len() + JS.len() + 4096);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        html,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'\">"
    );
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(html, "<title>{}</title>", esc(&title));
    let _ = writeln!(html, "<style>\n{CSS}</style>\n</head>\n<body>");
    let _ = write!(
        html,
        "<header class=\"top\"><h1>{}</h1><div class=\"sub\">{} {} · read-only extraction and deal-line analysis of seized-phone exhibits</div></header>\n<nav>",
        esc(&title),
        esc(&meta.tool),
        esc(&meta.version)
    );
    for (id, t) in &p.nav {
        let _ = write!(html, "<a href=\"#{id}\">{}</a>", esc(t));
    }
    html.push_str("</nav>\n<main>\n");
    html.push_str(&p.o);
    html.push_str("</main>\n<footer>This report summarises the case. The complete record of every exhibit, artifact and record, with provenance, is in case.sqlite and csv/; manifest.json holds the SHA-256 of every output file including this one.</footer>\n");
    let _ = writeln!(
        html,
        "<script type=\"application/json\" id=\"linesift-summary\">{}</script>",
        json_for_script(&summary)
    );
    let _ = writeln!(html, "<script>{JS}</script>\n</body>\n</html>");
    html
}

fn count(ctx: &Ctx, t: &str) -> Option<usize> {
    view::find(ctx.tables, t).map(|v| v.len())
}

fn case_section(p: &mut Page, ctx: &Ctx, meta: &ReportMeta) -> serde_json::Value {
    p.section("case", "Case", None);
    p.o.push_str("<dl class=\"meta\">");
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "not recorded".into());
    let rows = [
        ("Case reference", dash(&meta.case_ref)),
        ("Examiner", dash(&meta.examiner)),
        ("Tool", format!("{} {}", meta.tool, meta.version)),
        (
            "Run started (UTC)",
            meta.started_utc
                .as_deref()
                .map(fmt_ts)
                .unwrap_or_else(|| "in manifest.json".into()),
        ),
        (
            "Run finished (UTC)",
            meta.finished_utc
                .as_deref()
                .map(fmt_ts)
                .unwrap_or_else(|| "in manifest.json".into()),
        ),
    ];
    for (k, v) in rows {
        let _ = write!(p.o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    if let Some(r) = &meta.rules_version {
        let _ = write!(p.o, "<dt>Rules version</dt><dd>{}</dd>", esc(r));
    }
    if let Some(r) = &meta.region {
        let _ = write!(p.o, "<dt>Default region</dt><dd>{}</dd>", esc(r));
    }
    // Period covered by the records.
    let mut first: Option<String> = None;
    let mut last: Option<String> = None;
    for t in ["messages", "calls"] {
        if let Some(v) = view::find(ctx.tables, t) {
            for r in v.rows() {
                if let Some(ts) = r.text("timestamp_utc") {
                    if first.as_ref().is_none_or(|f| ts < *f) {
                        first = Some(ts.clone());
                    }
                    if last.as_ref().is_none_or(|l| ts > *l) {
                        last = Some(ts);
                    }
                }
            }
        }
    }
    if let (Some(f), Some(l)) = (&first, &last) {
        let _ = write!(
            p.o,
            "<dt>Records span (UTC)</dt><dd>{} to {}</dd>",
            esc(&fmt_ts(f)),
            esc(&fmt_ts(l))
        );
    }
    p.o.push_str("</dl>");
    let (mut warnings, mut errors) = (0, 0);
    if let Some(v) = view::find(ctx.tables, "problems") {
        for r in v.rows() {
            match r.s("severity").as_str() {
                "error" => errors += 1,
                _ => warnings += 1,
            }
        }
    }
    let marketing = view::find(ctx.tables, "broadcasts").map(|v| {
        v.rows()
            .filter(|r| matches!(r.s("verdict").as_str(), "marketing" | "number_change"))
            .count()
    });
    let shared = view::find(ctx.tables, "shared_numbers").map(|v| {
        v.rows()
            .filter_map(|r| r.text("number_e164"))
            .collect::<BTreeSet<_>>()
            .len()
    });
    let tiles: Vec<(&str, Option<usize>, &str)> = vec![
        ("Exhibits", count(ctx, "exhibits"), ""),
        ("Messages", count(ctx, "messages"), ""),
        ("Contacts", count(ctx, "contacts"), ""),
        ("Calls", count(ctx, "calls"), ""),
        ("Lines", count(ctx, "lines"), ""),
        ("Deal-line campaigns", marketing, ""),
        ("Shared numbers", shared, ""),
        ("Line links", count(ctx, "line_links"), ""),
        (
            "Warnings",
            Some(warnings),
            if warnings > 0 { "warn" } else { "" },
        ),
        ("Errors", Some(errors), if errors > 0 { "err" } else { "" }),
    ];
    p.o.push_str("<div class=\"tiles\">");
    let mut counts = serde_json::Map::new();
    for (name, n, class) in &tiles {
        let Some(n) = n else { continue };
        let _ = write!(
            p.o,
            "<div class=\"tile {class}\"><b>{n}</b><span>{}</span></div>",
            esc(name)
        );
        counts.insert(name.to_lowercase().replace([' ', '-'], "_"), (*n).into());
    }
    p.o.push_str("</div>");
    p.end();
    serde_json::json!({"meta": meta, "counts": counts, "records_first_utc": first, "records_last_utc": last})
}

fn exhibits_section(p: &mut Page, ctx: &Ctx) {
    let Some(v) = view::find(ctx.tables, "exhibits") else {
        return;
    };
    p.section("exhibits", "Exhibits", Some(v.len()));
    p.lead("Each exhibit as handed over, with the hashes computed in one read of the whole container. Owner numbers are the handset's own numbers as its artifacts record them.");
    let mut arts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    if let Some(a) = view::find(ctx.tables, "artifacts") {
        for r in a.rows() {
            *arts
                .entry(r.s("exhibit_id"))
                .or_default()
                .entry(r.s("status"))
                .or_insert(0) += 1;
        }
    }
    let rows: Vec<String> = v
        .rows()
        .take(MAX_ROWS)
        .map(|r| {
            let mut h = String::new();
            for (k, c) in [("SHA-256", "sha256"), ("SHA-1", "sha1"), ("MD5", "md5")] {
                if let Some(x) = r.text(c) {
                    let _ = write!(h, "<div><i>{k}</i>{}</div>", esc(&x));
                }
            }
            let size = r.int("size").unwrap_or(0);
            let art = arts
                .get(&r.s("exhibit_id"))
                .map(|m| {
                    m.iter()
                        .map(|(s, n)| format!("{n} {}", esc(s)))
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
                .unwrap_or_default();
            let mut status = badge(&r.s("status"));
            if let Some(d) = r.text("duplicate_of") {
                let _ = write!(status, "<br>duplicate of <span class=\"mono\">{}</span>", esc(&d));
            }
            format!(
                "<td><b>{}</b><div class=\"mono\">{}</div></td><td>{}</td><td>{}</td><td data-v=\"{size}\" class=\"nowrap\">{}</td>{}<td class=\"hash\">{h}</td><td class=\"nowrap\">{art}</td><td>{status}</td>{}",
                esc(&r.s("label")),
                esc(&r.s("exhibit_id")),
                esc(&r.s("container")),
                esc(&r.s("os")),
                esc(&fmt_size(size)),
                cell_html(&r, "owner_numbers"),
                cell_html(&r, "problems"),
            )
        })
        .collect();
    p.table(
        "t-exhibits",
        Some("exhibits"),
        &[
            "Exhibit",
            "Container",
            "OS",
            "Size",
            "Owner numbers",
            "Hashes",
            "Artifacts",
            "Status",
            "Problems",
        ],
        &rows,
        v.len(),
    );
    p.end();
}

fn lines_section(p: &mut Page, ctx: &Ctx) {
    let v = view::find(ctx.tables, "lines");
    p.section("lines", "Lines", v.as_ref().map(|v| v.len()));
    p.lead("Deal lines: the numbers one line has used over time, and when each line was active.");
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        p.empty("No deal lines were identified in this case.");
        p.end();
        return;
    };
    let mut msg_counts: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(m) = view::find(ctx.tables, "messages") {
        for r in m.rows() {
            let mut ls = BTreeSet::new();
            for n in message_numbers(ctx, &r) {
                if let Some(l) = ctx.number_lines.get(&n) {
                    ls.extend(l.iter().cloned());
                }
            }
            for l in ls {
                *msg_counts.entry(l).or_insert(0) += 1;
            }
        }
    }
    let mut camp: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(b) = view::find(ctx.tables, "broadcasts") {
        for r in b.rows() {
            if let Some(ls) = ctx.number_lines.get(&r.s("sender_e164")) {
                for l in ls {
                    *camp.entry(l.clone()).or_insert(0) += 1;
                }
            }
        }
    }
    let rows: Vec<String> = v
        .rows()
        .take(MAX_ROWS)
        .map(|r| {
            let name = r.text("name").or_else(|| r.text("line_id")).unwrap_or_default();
            let m = msg_counts.get(&name).copied().unwrap_or(0);
            let c = camp.get(&name).copied().unwrap_or(0);
            format!(
                "<td><b>{}</b><div class=\"mono\">{}</div></td>{}{}{}<td data-v=\"{m}\">{m}</td><td data-v=\"{c}\">{c}</td>",
                esc(&name),
                esc(&r.s("line_id")),
                cell_html(&r, "numbers"),
                cell_html(&r, "first_utc"),
                cell_html(&r, "last_utc"),
            )
        })
        .collect();
    p.table(
        "t-lines",
        Some("lines"),
        &[
            "Line",
            "Numbers",
            "Active from (UTC)",
            "Active to (UTC)",
            "Messages",
            "Campaigns",
        ],
        &rows,
        v.len(),
    );
    p.end();
}

struct Series {
    label: String,
    sub: String,
    daily: BTreeMap<i64, usize>,
    active: Option<(i64, i64)>,
}

fn activity_section(p: &mut Page, ctx: &Ctx) {
    let Some(m) = view::find(ctx.tables, "messages") else {
        return;
    };
    let lines = view::find(ctx.tables, "lines").filter(|v| !v.is_empty());
    let mut series: Vec<Series> = Vec::new();
    let by_line = lines.is_some();
    if let Some(lv) = &lines {
        let mut idx: BTreeMap<String, usize> = BTreeMap::new();
        for r in lv.rows() {
            let name = r
                .text("name")
                .or_else(|| r.text("line_id"))
                .unwrap_or_default();
            let active = match (
                r.text("first_utc").as_deref().and_then(day_of),
                r.text("last_utc").as_deref().and_then(day_of),
            ) {
                (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                _ => None,
            };
            idx.insert(name.clone(), series.len());
            series.push(Series {
                label: name,
                sub: r.list("numbers").join(", "),
                daily: BTreeMap::new(),
                active,
            });
        }
        for r in m.rows() {
            let Some(d) = r.text("timestamp_utc").as_deref().and_then(day_of) else {
                continue;
            };
            let mut ls = BTreeSet::new();
            for n in message_numbers(ctx, &r) {
                if let Some(l) = ctx.number_lines.get(&n) {
                    ls.extend(l.iter().cloned());
                }
            }
            for l in ls {
                if let Some(&i) = idx.get(&l) {
                    *series[i].daily.entry(d).or_insert(0) += 1;
                }
            }
        }
    } else {
        let mut idx: BTreeMap<String, usize> = BTreeMap::new();
        for r in m.rows() {
            let Some(d) = r.text("timestamp_utc").as_deref().and_then(day_of) else {
                continue;
            };
            let ex = r.s("exhibit_id");
            let i = *idx.entry(ex.clone()).or_insert_with(|| {
                series.push(Series {
                    label: ctx.label(&ex),
                    sub: ctx
                        .owners
                        .get(&ex)
                        .map(|o| o.join(", "))
                        .unwrap_or_default(),
                    daily: BTreeMap::new(),
                    active: None,
                });
                series.len() - 1
            });
            *series[i].daily.entry(d).or_insert(0) += 1;
        }
    }
    let title = if by_line {
        "Messages per day per line"
    } else {
        "Messages per day per exhibit"
    };
    p.section("activity", "Activity", None);
    p.lead(if by_line {
        "Messages per day that involve each line's numbers (sender or recipient). The shaded band is the line's active period."
    } else {
        "No deal lines were identified, so activity is shown per exhibit (handset)."
    });
    if series
        .iter()
        .all(|s| s.daily.is_empty() && s.active.is_none())
    {
        p.empty("No timed messages.");
    } else {
        let total = series.len();
        series.truncate(MAX_SERIES);
        let _ = write!(
            p.o,
            "<figure>{}<figcaption>{}{}</figcaption></figure>",
            daily_chart(&series),
            esc(title),
            if total > MAX_SERIES {
                format!(" (first {MAX_SERIES} of {total})")
            } else {
                String::new()
            }
        );
    }
    p.end();
}

const W: f64 = 960.0;

/// Small multiples: one row of day bars per series over a shared date axis.
fn daily_chart(series: &[Series]) -> String {
    let mut d0 = i64::MAX;
    let mut d1 = i64::MIN;
    for s in series {
        for &d in s.daily.keys() {
            d0 = d0.min(d);
            d1 = d1.max(d);
        }
        if let Some((a, b)) = s.active {
            d0 = d0.min(a);
            d1 = d1.max(b);
        }
    }
    let ndays = (d1 - d0 + 1).max(1);
    let bucket = ((ndays + 179) / 180).max(1);
    let nb = (ndays + bucket - 1) / bucket;
    let (left, right, top, rowh, barh) = (230.0, 80.0, 10.0, 46.0, 30.0);
    let pw = W - left - right;
    let bw = pw / nb as f64;
    let x = |d: i64| left + ((d - d0) / bucket) as f64 * bw;
    let h = top + rowh * series.len() as f64 + 34.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"Messages per day\">"
    );
    for (i, s) in series.iter().enumerate() {
        let y0 = top + rowh * i as f64;
        let base = y0 + barh + 4.0;
        let mut buckets: BTreeMap<i64, usize> = BTreeMap::new();
        for (&d, &c) in &s.daily {
            *buckets.entry((d - d0) / bucket).or_insert(0) += c;
        }
        let max = buckets.values().copied().max().unwrap_or(0).max(1);
        let _ = write!(
            o,
            "<rect x=\"{left}\" y=\"{:.1}\" width=\"{pw:.1}\" height=\"{:.1}\" fill=\"#f6f8fb\"/>",
            y0 + 2.0,
            barh + 2.0
        );
        if let Some((a, b)) = s.active {
            let _ = write!(
                o,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#dde7f5\"><title>active {} to {}</title></rect>",
                x(a),
                y0 + 2.0,
                (x(b) + bw - x(a)).max(1.0),
                barh + 2.0,
                esc(&date_of_day(a)),
                esc(&date_of_day(b))
            );
        }
        for (&b, &c) in &buckets {
            let bh = (c as f64 / max as f64 * barh).max(1.5);
            let start = d0 + b * bucket;
            let when = if bucket == 1 {
                date_of_day(start)
            } else {
                format!(
                    "{} to {}",
                    date_of_day(start),
                    date_of_day(start + bucket - 1)
                )
            };
            let _ = write!(
                o,
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{bh:.2}\" fill=\"#1f4e8c\"><title>{}: {c} messages</title></rect>",
                left + b as f64 * bw + 0.5,
                base - bh,
                (bw - 1.0).max(0.8),
                esc(&when)
            );
        }
        let _ = write!(
            o,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{base:.1}\" y2=\"{base:.1}\" stroke=\"#b8c0cc\" stroke-width=\"1\"/>",
            left + pw
        );
        let total: usize = s.daily.values().sum();
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"600\" text-anchor=\"end\" fill=\"#1b2333\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"end\" fill=\"#5d6678\">{}</text>",
            left - 10.0,
            y0 + 16.0,
            esc(&trunc(&s.label, 30)),
            left - 10.0,
            y0 + 30.0,
            esc(&trunc(&format!("{total} msgs · {}", s.sub), 30))
        );
        let _ =
            write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10.5\" fill=\"#5d6678\">peak {max}{}</text>",
            left + pw + 8.0,
            y0 + 16.0,
            if bucket == 1 { "/day".to_string() } else { format!("/{bucket}d") }
        );
    }
    // Date axis.
    let ay = top + rowh * series.len() as f64 + 4.0;
    let ticks = 6.min(nb);
    for k in 0..=ticks {
        let b = if ticks == 0 {
            0
        } else {
            (nb - 1) * k / ticks.max(1)
        };
        let d = d0 + b * bucket;
        let tx = left + b as f64 * bw + bw / 2.0;
        let _ = write!(
            o,
            "<line x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8a93a3\"/><text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"middle\" fill=\"#5d6678\">{}</text>",
            ay - 4.0,
            ay + 2.0,
            ay + 16.0,
            esc(&date_of_day(d))
        );
    }
    o.push_str("</svg>");
    o
}

fn verdict_colour(v: &str) -> &'static str {
    match v {
        "marketing" => "#b3261e",
        "number_change" => "#d98c00",
        "benign_bulk" => "#8a93a3",
        _ => "#1f4e8c",
    }
}

fn campaigns_section(p: &mut Page, ctx: &Ctx) {
    let Some(v) = view::find(ctx.tables, "broadcasts") else {
        return;
    };
    p.section("campaigns", "Campaigns", Some(v.len()));
    p.lead("Bulk texts: near-identical messages from one sender to many recipients. Each verdict lists the reasons for it; the example is one real message of the campaign.");
    if v.is_empty() {
        p.empty("No bulk texts were found.");
        p.end();
        return;
    }
    // Fan-out chart: the campaigns that reached most recipients.
    let mut bars: Vec<(i64, i64, String, String, String, String)> = v
        .rows()
        .map(|r| {
            (
                r.int("distinct_recipients").unwrap_or(0),
                r.int("message_count").unwrap_or(0),
                r.s("broadcast_id"),
                r.s("sender_e164"),
                r.s("verdict"),
                r.text("example_body")
                    .or_else(|| r.text("template"))
                    .unwrap_or_default(),
            )
        })
        .collect();
    bars.sort_by(|a, b| (b.0, b.1, &a.2).cmp(&(a.0, a.1, &b.2)));
    let total = bars.len();
    bars.truncate(MAX_BARS);
    let maxv = bars.iter().map(|b| b.0).max().unwrap_or(1).max(1);
    let (left, right, rowh) = (330.0, 110.0, 24.0);
    let pw = W - left - right;
    let h = rowh * bars.len() as f64 + 40.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"Recipients per campaign\">"
    );
    for (i, (rec, msgs, _id, sender, verdict, example)) in bars.iter().enumerate() {
        let y = 8.0 + rowh * i as f64;
        let bwid = (*rec as f64 / maxv as f64 * pw).max(2.0);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b2333\"><tspan font-family=\"monospace\">{}</tspan> <tspan fill=\"#5d6678\">{}</tspan></text>",
            left - 10.0,
            y + 14.0,
            esc(sender),
            esc(&trunc(example, 28))
        );
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{y:.1}\" width=\"{bwid:.1}\" height=\"18\" rx=\"2\" fill=\"{}\"><title>{} · {}: {rec} recipients, {msgs} messages. {}</title></rect>",
            verdict_colour(verdict),
            esc(sender),
            esc(verdict),
            esc(&trunc(example, 300))
        );
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11.5\" fill=\"#1b2333\">{rec} recipients</text>",
            left + bwid + 6.0,
            y + 13.5
        );
    }
    let ly = rowh * bars.len() as f64 + 26.0;
    let mut lx = left;
    for (name, col) in [
        ("marketing", "#b3261e"),
        ("number_change", "#d98c00"),
        ("benign_bulk", "#8a93a3"),
        ("other", "#1f4e8c"),
    ] {
        let _ = write!(
            s,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{col}\"/><text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"11.5\" fill=\"#5d6678\">{name}</text>",
            ly - 10.0,
            lx + 17.0
        );
        lx += 150.0;
    }
    s.push_str("</svg>");
    let _ = write!(
        p.o,
        "<figure>{s}<figcaption>Fan-out: distinct recipients per campaign{}</figcaption></figure>",
        if total > MAX_BARS {
            format!(" (the {MAX_BARS} largest of {total})")
        } else {
            String::new()
        }
    );
    let rows: Vec<String> = v
        .rows()
        .take(MAX_ROWS)
        .map(|r| {
            let ex = r.s("exhibit_id");
            let score = r
                .real("score")
                .map(|f| format!("<td data-v=\"{f}\">{f:.2}</td>"))
                .unwrap_or_else(|| "<td></td>".into());
            format!(
                "{}{}{score}{}<td>{}</td>{}{}{}{}{}{}{}",
                cell_html(&r, "broadcast_id"),
                cell_html(&r, "verdict"),
                cell_html(&r, "sender_e164"),
                esc(&ctx.label(&ex)),
                cell_html(&r, "distinct_recipients"),
                cell_html(&r, "message_count"),
                cell_html(&r, "first_utc"),
                cell_html(&r, "last_utc"),
                cell_html(&r, "example_body"),
                cell_html(&r, "template"),
                cell_html(&r, "reasons"),
            )
        })
        .collect();
    p.table(
        "t-broadcasts",
        Some("broadcasts"),
        &[
            "Campaign",
            "Verdict",
            "Score",
            "Sender",
            "Exhibit",
            "Recipients",
            "Messages",
            "First (UTC)",
            "Last (UTC)",
            "Example text",
            "Template",
            "Reasons",
        ],
        &rows,
        v.len(),
    );
    p.end();
}

fn link_colour(kind: &str) -> &'static str {
    match kind {
        "announced_change" => "#b3261e",
        "customer_overlap" => "#1f4e8c",
        "shared_template" => "#6a3d9a",
        "same_handset" => "#2e6b34",
        _ => "#8a93a3",
    }
}

fn links_section(p: &mut Page, ctx: &Ctx) {
    let Some(v) = view::find(ctx.tables, "line_links") else {
        return;
    };
    p.section("links", "Line links", Some(v.len()));
    p.lead("Why numbers are thought to belong to one line: a new number announced to an old number's customers, customer lists that overlap as one number stops and the next starts, the same advert from two numbers, two numbers on one handset.");
    if v.is_empty() {
        p.empty("No links between numbers were found.");
        p.end();
        return;
    }
    // Diagram nodes: the linked numbers, in order of first activity, with their line.
    let mut first: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut edges: Vec<(String, String, String, f64, String)> = Vec::new();
    for r in v.rows() {
        let (Some(f), Some(t)) = (r.text("from_e164"), r.text("to_e164")) else {
            continue;
        };
        first.entry(f.clone()).or_insert(None);
        first.entry(t.clone()).or_insert(None);
        if f != t {
            let title = format!("{f} → {t}: {} — {}", r.s("kind"), r.s("explanation"));
            edges.push((f, t, r.s("kind"), r.real("strength").unwrap_or(1.0), title));
        }
    }
    let mut seen = |n: &str, ts: Option<String>| {
        if let (Some(slot), Some(ts)) = (first.get_mut(n), ts) {
            if slot.as_ref().is_none_or(|x| ts < *x) {
                *slot = Some(ts);
            }
        }
    };
    if let Some(m) = view::find(ctx.tables, "messages") {
        for r in m.rows() {
            for n in message_numbers(ctx, &r) {
                seen(&n, r.text("timestamp_utc"));
            }
        }
    }
    if let Some(c) = view::find(ctx.tables, "calls") {
        for r in c.rows() {
            seen(&r.s("number_e164"), r.text("timestamp_utc"));
        }
    }
    let mut nodes: Vec<(Option<String>, String, String)> = first
        .into_iter()
        .map(|(n, f)| {
            let line = ctx
                .number_lines
                .get(&n)
                .map(|l| l.iter().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            (f, n, line)
        })
        .collect();
    nodes.sort_by(|a, b| (a.0.is_none(), &a.0, &a.1).cmp(&(b.0.is_none(), &b.0, &b.1)));
    let total_nodes = nodes.len();
    nodes.truncate(MAX_NODES);
    if !edges.is_empty() {
        let _ = write!(
            p.o,
            "<figure>{}<figcaption>Linked numbers in order of first activity (left to right), each with its line; arrows follow each link's direction, colour shows the kind, thickness the strength{}. Hover an arc for its explanation.</figcaption></figure>",
            arc_diagram(&nodes, &edges),
            if total_nodes > MAX_NODES {
                format!("; the first {MAX_NODES} of {total_nodes} numbers shown")
            } else {
                String::new()
            }
        );
    }
    p.generic(
        &v,
        &[
            ("from_e164", "From"),
            ("to_e164", "To"),
            ("kind", "Kind"),
            ("strength", "Strength"),
            ("first_utc", "First (UTC)"),
            ("last_utc", "Last (UTC)"),
            ("evidence", "Evidence"),
            ("explanation", "Explanation"),
        ],
    );
    p.end();
}

/// Nodes on a line in time order; links as arcs above it.
fn arc_diagram(
    nodes: &[(Option<String>, String, String)],
    edges: &[(String, String, String, f64, String)],
) -> String {
    let n = nodes.len();
    let pos: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (_, id, _))| (id.as_str(), i))
        .collect();
    let margin = 80.0;
    let xs = |i: usize| {
        if n <= 1 {
            W / 2.0
        } else {
            margin + (W - 2.0 * margin) * i as f64 / (n - 1) as f64
        }
    };
    let maxs = edges.iter().map(|e| e.3).fold(0.0f64, f64::max).max(1.0);
    let mut pair_count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut specs = Vec::new();
    let mut max_h: f64 = 20.0;
    for (a, b, kind, strength, title) in edges {
        let (Some(&i), Some(&j)) = (pos.get(a.as_str()), pos.get(b.as_str())) else {
            continue;
        };
        let k = pair_count.entry((i.min(j), i.max(j))).or_insert(0);
        *k += 1;
        let (x1, x2) = (xs(i), xs(j));
        let hgt = ((x2 - x1).abs() * 0.3).min(150.0) + 20.0 * (*k as f64);
        max_h = max_h.max(hgt / 2.0 + 10.0);
        specs.push((x1, x2, hgt, kind, strength, title));
    }
    let base = max_h + 30.0;
    let mut arcs = String::new();
    for (x1, x2, hgt, kind, strength, title) in specs {
        let _ = write!(
            arcs,
            "<path d=\"M{x1:.1},{base:.1} Q{:.1},{:.1} {x2:.1},{base:.1}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{:.1}\" stroke-opacity=\"0.85\" marker-end=\"url(#arrow-{})\"><title>{}</title></path>",
            (x1 + x2) / 2.0,
            base - hgt,
            link_colour(kind),
            1.5 + 3.5 * (strength / maxs).clamp(0.0, 1.0),
            kind_slug(kind),
            esc(title)
        );
    }
    let rotate = n > 8;
    let h = base + if rotate { 150.0 } else { 66.0 };
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h:.0}\" role=\"img\" aria-label=\"Line link diagram\"><defs>"
    );
    for kind in [
        "announced_change",
        "customer_overlap",
        "shared_template",
        "same_handset",
        "other",
    ] {
        let _ = write!(
            o,
            "<marker id=\"arrow-{kind}\" viewBox=\"0 0 10 10\" refX=\"18\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
            link_colour(kind)
        );
    }
    o.push_str("</defs>");
    let _ = write!(
        o,
        "<line x1=\"40\" x2=\"{:.1}\" y1=\"{base:.1}\" y2=\"{base:.1}\" stroke=\"#d8dde6\"/>",
        W - 40.0
    );
    o.push_str(&arcs);
    for (i, (first, id, line)) in nodes.iter().enumerate() {
        let x = xs(i);
        let _ = write!(
            o,
            "<circle cx=\"{x:.1}\" cy=\"{base:.1}\" r=\"7\" fill=\"#17223b\" stroke=\"#fff\" stroke-width=\"2\"><title>{}</title></circle>",
            esc(id)
        );
        let date = first
            .as_deref()
            .map(|f| f.chars().take(10).collect::<String>())
            .unwrap_or_default();
        if rotate {
            let _ = write!(
                o,
                "<text transform=\"translate({x:.1},{:.1}) rotate(35)\" font-size=\"11.5\" fill=\"#1b2333\">{} <tspan fill=\"#5d6678\">{} {}</tspan></text>",
                base + 16.0,
                esc(&trunc(id, 22)),
                esc(&trunc(line, 18)),
                esc(&date)
            );
        } else {
            let _ = write!(
                o,
                "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12.5\" font-weight=\"600\" text-anchor=\"middle\" fill=\"#1b2333\">{}</text><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#b3261e\">{}</text><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"middle\" fill=\"#5d6678\">{}</text>",
                base + 24.0,
                esc(&trunc(id, 24)),
                base + 39.0,
                esc(&trunc(line, 28)),
                base + 53.0,
                esc(&if date.is_empty() { String::new() } else { format!("first seen {date}") })
            );
        }
    }
    // Legend.
    let mut lx = 40.0;
    for kind in [
        "announced_change",
        "customer_overlap",
        "shared_template",
        "same_handset",
    ] {
        let _ = write!(
            o,
            "<line x1=\"{lx:.1}\" x2=\"{:.1}\" y1=\"14\" y2=\"14\" stroke=\"{}\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"18\" font-size=\"11.5\" fill=\"#5d6678\">{kind}</text>",
            lx + 22.0,
            link_colour(kind),
            lx + 28.0
        );
        lx += 170.0;
    }
    o.push_str("</svg>");
    o
}

fn kind_slug(kind: &str) -> &'static str {
    match kind {
        "announced_change" => "announced_change",
        "customer_overlap" => "customer_overlap",
        "shared_template" => "shared_template",
        "same_handset" => "same_handset",
        _ => "other",
    }
}

fn messages_section(p: &mut Page, ctx: &Ctx) {
    let Some(v) = view::find(ctx.tables, "messages") else {
        return;
    };
    p.section("messages", "Messages", Some(v.len()));
    p.lead("The first messages of the case as extracted, for orientation. Every message, with full provenance, is in the messages table.");
    if v.is_empty() {
        p.empty("No messages were extracted.");
        p.end();
        return;
    }
    let _ = write!(
        p.o,
        "<details><summary>Show the first {} messages</summary>",
        v.len().min(MAX_ROWS)
    );
    let rows: Vec<String> = v
        .rows()
        .take(MAX_ROWS)
        .map(|r| {
            let sender = r.text("sender_e164").or_else(|| r.text("sender_raw")).unwrap_or_default();
            let mut rec = r.list("recipients_e164");
            if rec.is_empty() {
                rec = r.list("recipients_raw");
            }
            format!(
                "{}<td>{}</td><td>{}</td>{}<td class=\"mono nowrap\">{}</td><td class=\"mono nowrap\">{}</td>{}{}",
                cell_html(&r, "timestamp_utc"),
                esc(&ctx.label(&r.s("exhibit_id"))),
                esc(&r.s("app")),
                cell_html(&r, "direction"),
                esc(&sender),
                rec.iter().map(|s| esc(s)).collect::<Vec<_>>().join("<br>"),
                cell_html(&r, "body"),
                cell_html(&r, "record_state"),
            )
        })
        .collect();
    p.table(
        "t-messages",
        Some("messages"),
        &[
            "Time (UTC)",
            "Exhibit",
            "App",
            "Direction",
            "From",
            "To",
            "Text",
            "Record state",
        ],
        &rows,
        v.len(),
    );
    p.o.push_str("</details>");
    p.end();
}

fn problems_section(p: &mut Page, ctx: &Ctx) {
    let Some(v) = view::find(ctx.tables, "problems") else {
        return;
    };
    p.section("problems", "Warnings and errors", Some(v.len()));
    p.lead("Everything that did not go to plan: unreadable exhibits, damaged or unknown databases, missing columns. Nothing is dropped silently.");
    if v.is_empty() {
        p.empty("None: every exhibit and artifact was read without warnings.");
    } else {
        p.generic(
            &v,
            &[
                ("severity", "Severity"),
                ("exhibit", "Exhibit"),
                ("file", "File"),
                ("offset", "Offset"),
                ("reason", "Reason"),
            ],
        );
    }
    p.end();
}

fn files_section(p: &mut Page, ctx: &Ctx) {
    p.section("files", "Output files", None);
    p.lead("Links are relative to this report's folder.");
    p.o.push_str("<ul class=\"files\">");
    for t in ctx.tables {
        let _ = write!(
            p.o,
            "<li><a href=\"csv/{0}.csv\">csv/{0}.csv</a> · <a href=\"jsonl/{0}.jsonl\">jsonl</a> ({1} rows)</li>",
            esc(t.name),
            t.rows.len()
        );
    }
    for f in [
        "case.sqlite",
        "manifest.json",
        "audit.log",
        "graph/numbers.gexf",
        "graph/numbers.graphml",
        "graph/neo4j/nodes.csv",
        "graph/neo4j/relationships.csv",
        "graph/i2/entities.csv",
        "graph/i2/links.csv",
        "timeline/timesketch.csv",
        "timeline/timesketch.jsonl",
    ] {
        let _ = write!(p.o, "<li><a href=\"{f}\">{f}</a></li>");
    }
    p.o.push_str("</ul>");
    p.end();
}

/// Write `report.html`.
pub fn write(tables: &[Table], out: &Path, meta: &ReportMeta) -> Result<Vec<String>> {
    let html = render(tables, meta);
    crate::evidence::write_atomic(&out.join("report.html"), html.as_bytes())?;
    Ok(vec!["report.html".to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<img src=x onerror=\"a('1')\">&"),
            "&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;"
        );
        let v = serde_json::json!({"b": "</script><!-- \u{2028}&"});
        let s = json_for_script(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
