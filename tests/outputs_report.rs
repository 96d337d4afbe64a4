//! report.html: sections, escaping of hostile evidence, the row cap, self-containment, and (when
//! Chromium is installed) a real render: the lines section is there, our script ran, the
//! injected ones did not.
mod outputs_fixture;

use linesift::export::report::{self, ReportMeta, MAX_ROWS};
use outputs_fixture::*;

fn meta() -> ReportMeta {
    ReportMeta {
        case_ref: Some("OP-TEST/1 <i>".into()),
        examiner: Some("DC Example".into()),
        started_utc: Some("2026-01-01T09:00:00.000Z".into()),
        finished_utc: Some("2026-01-01T09:05:00.000Z".into()),
        ..ReportMeta::basic()
    }
}

fn html() -> String {
    report::render(&tables(), &meta())
}

#[test]
fn report_has_every_section_and_the_case_facts() {
    let h = html();
    for id in [
        "case",
        "exhibits",
        "lines",
        "activity",
        "campaigns",
        "links",
        "shared",
        "messages",
        "problems",
        "files",
    ] {
        assert!(
            h.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
        assert!(h.contains(&format!("href=\"#{id}\"")), "nav link {id}");
    }
    // Case details and hashes.
    assert!(h.contains("OP-TEST/1 &lt;i&gt;") && h.contains("DC Example"));
    assert!(h.contains("2026-01-01 09:00:00"));
    assert!(h.contains(&"a".repeat(64)) && h.contains(&"b".repeat(40)));
    assert!(h.contains("Handset B &lt;2&gt;"));
    // Lines: the line with both numbers and its active period.
    assert!(h.contains("Sam&#39;s line"));
    assert!(h.contains(A) && h.contains(E));
    assert!(h.contains("2024-03-01 10:00:00") && h.contains("2024-03-06 22:00:00"));
    // Charts are inline SVG: per-line daily bars, fan-out bars, the link arcs.
    assert!(h.matches("<svg").count() >= 3);
    assert!(
        h.contains("2024-03-01: 1 messages") && h.contains("2024-03-02: 2 messages"),
        "daily bars for the line"
    );
    assert!(h.contains("55 recipients") && h.contains("30 recipients"));
    assert!(h.contains("marker-end=\"url(#arrow-announced_change)\""));
    // Campaign reasons as a list; link explanations; problems.
    assert!(h.contains("<li>fan-out 55</li>"));
    assert!(h.contains(
        "E announced as &quot;new number&quot; to 30 of A&#39;s customers &amp; more &lt;b&gt;"
    ));
    assert!(h.contains("unknown column &lt;x&gt;") && h.contains("cannot read"));
    // Summary tiles.
    assert!(h.contains("<b>6</b><span>Messages</span>"));
    assert!(h.contains("<b>2</b><span>Deal-line campaigns</span>"));
    assert!(h.contains("<b>1</b><span>Shared numbers</span>"));
}

#[test]
fn hostile_evidence_is_shown_as_text() {
    let h = html();
    // The raw markup from evidence never appears; its escaped form does.
    for raw in [
        HOSTILE_IMG,
        HOSTILE_SCRIPT,
        HOSTILE_NAME,
        "<script>document",
        "<img src=x",
    ] {
        assert!(!h.contains(raw), "raw evidence markup in the report: {raw}");
    }
    assert!(h.contains("&lt;img src=x onerror=&quot;document.title=&#39;PWNED&#39;&quot;&gt;"));
    assert!(h.contains(
        "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;"
    ));
    assert!(h.contains("Jay &lt;b&gt;&quot;&amp;&#39;&lt;/b&gt;"));
    // Exactly two script elements: the JSON summary and our own code.
    assert_eq!(h.matches("<script").count(), 2);
    // Nothing is fetched: no external URLs in src/href, a CSP that forbids network.
    assert!(!h.contains("src=\"http") && !h.contains("href=\"http") && !h.contains("@import"));
    assert!(h.contains("default-src 'none'"));
    // The embedded JSON cannot end its script element.
    let start = h.find("id=\"linesift-summary\">").unwrap();
    let json = &h[start + 22..start + h[start..].find("</script>").unwrap()];
    assert!(!json.contains('<') && !json.contains('>'));
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["meta"]["case_ref"], "OP-TEST/1 <i>");
    assert_eq!(v["counts"]["messages"], 6);
}

#[test]
fn big_tables_are_capped_with_a_link_to_the_csv() {
    let h = report::render(&tables_with(MAX_ROWS + 100), &meta());
    let total = 6 + MAX_ROWS + 100;
    assert!(h.contains(&format!("Showing the first {MAX_ROWS} of {total} rows.")));
    assert!(h.contains("<a href=\"csv/messages.csv\">csv/messages.csv</a>"));
    let start = h.find("id=\"t-messages\"").unwrap();
    let end = start + h[start..].find("</table>").unwrap();
    assert_eq!(h[start..end].matches("<tr>").count(), MAX_ROWS + 1);
    // The chart still counts every message.
    assert!(h.contains(&format!("<b>{total}</b><span>Messages</span>")));
}

#[test]
fn missing_tables_leave_their_part_out() {
    let tabs: Vec<_> = tables()
        .into_iter()
        .filter(|t| ["exhibits", "messages", "problems"].contains(&t.name))
        .collect();
    let h = report::render(&tabs, &ReportMeta::basic());
    assert!(h.contains("No deal lines were identified"));
    assert!(h.contains("Messages per day per exhibit"));
    assert!(!h.contains("<section id=\"campaigns\">"));
    assert!(h.contains("Case reference</dt><dd>not recorded"));
    assert_eq!(
        report::render(&[], &ReportMeta::basic())
            .matches("<section")
            .count(),
        3
    );
}

#[test]
fn report_is_written_to_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let w = report::write(&tables(), dir.path(), &meta()).unwrap();
    assert_eq!(w, vec!["report.html"]);
    let bytes = std::fs::read(dir.path().join("report.html")).unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), html());
}

fn chromium() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

fn run_chromium(bin: &std::path::Path, extra: &[String], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    std::process::Command::new("timeout")
        .arg("120")
        .arg(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium")
}

#[test]
fn chromium_renders_the_report_and_runs_no_injected_script() {
    let Some(bin) = chromium() else {
        eprintln!("NOTE: chromium not installed; skipping the headless render check (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    report::write(&tables(), dir.path(), &meta()).unwrap();
    let url = format!("file://{}", dir.path().join("report.html").display());
    let out = run_chromium(&bin, &["--dump-dom".to_string()], &url);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<section id=\"lines\">"),
        "no lines section in the rendered DOM; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let title = &dom[dom.find("<title>").unwrap() + 7..dom.find("</title>").unwrap()];
    assert!(!title.contains("PWNED"), "injected onerror ran: {title}");
    let body_tag = &dom[dom.find("<body").unwrap()..];
    let body_tag = &body_tag[..body_tag.find('>').unwrap()];
    assert!(!body_tag.contains("data-pwned"), "injected script ran");
    assert!(!dom.contains("<img"), "evidence became an element");
    // Our own script ran (allowed by its hash in the CSP): it titles the sortable headers.
    assert!(
        dom.contains("<th title=\"Sort\">"),
        "report script did not run"
    );

    // LINESIFT_REPORT_SCREENSHOT=/some/file.png keeps the screenshot (and the page beside it).
    let shot = std::env::var("LINESIFT_REPORT_SCREENSHOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("report.png"));
    if std::env::var("LINESIFT_REPORT_SCREENSHOT").is_ok() {
        std::fs::copy(dir.path().join("report.html"), shot.with_extension("html")).unwrap();
    }
    let out = run_chromium(
        &bin,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
        ],
        &url,
    );
    let png = std::fs::read(&shot).unwrap_or_else(|_| {
        panic!(
            "no screenshot; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000);
}
