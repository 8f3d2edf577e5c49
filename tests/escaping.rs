//! Output safety: every string that comes from a constitution or a data file is escaped in
//! the HTML and Markdown reports. A constitution and data full of `<script>`, quotes and
//! `javascript:` URLs are audited, and the HTML is scanned tag by tag: only the report's own
//! tags appear, and no tag carries anything from the input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::audit::{run, AuditOptions, DataFile};
use constitution::data::DataFormat;
use constitution::report::{ConstitutionSource, Report};

const FUZZ: &str = include_str!("../fuzz/audit.lc");

/// The tags the report itself writes.
const OWN_TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section", "nav",
    "h1", "h2", "h3", "h4", "p", "table", "caption", "thead", "tbody", "tr", "th", "td", "details",
    "summary", "span", "div", "ul", "ol", "li", "dl", "dt", "dd", "code", "strong", "em", "small",
    "br", "abbr", "a",
];

fn hostile_constitution() -> String {
    let replacements = [
        (
            "constitution \"Fuzzshire\"",
            r#"constitution "<script>alert('name')</script> & \"Fuzz\"""#,
        ),
        ("\"Fuzzshire Council\"", r#""javascript:alert(1)""#),
        (
            "\"Fuzzshire Local Public Audit Committee\"",
            r#""<img src=x onerror=alert(2)>""#,
        ),
        (
            "duty closed_in_time \"Cases closed within ten working days\"",
            r#"duty closed_in_time "</td><script>alert(3)</script>""#,
        ),
        (
            "basis \"Fuzz\"",
            r#"basis "<a href=\"javascript:alert(4)\">the law</a>""#,
        ),
        (
            "right home \"The right to a home\"",
            r#"right home "<iframe src=javascript:alert(5)>""#,
        ),
    ];
    let mut source = FUZZ.to_string();
    for (from, to) in replacements {
        assert!(source.contains(from), "{from}");
        source = source.replacen(from, to, 1);
    }
    source
}

fn hostile_report() -> Report {
    let source = hostile_constitution();
    let parsed = constitution::parse(&source);
    assert!(
        constitution::check_source(&source)
            .iter()
            .all(|d| !d.is_error()),
        "{:#?}",
        constitution::check_source(&source)
    );
    let ast = parsed.ast.unwrap();
    let mut csv = String::from("id,ward,opened,closed,kind,count,score,cost,rate,flagged\n");
    let wards = [
        "<script>alert(6)</script>",
        "\"><svg onload=alert(7)>",
        "javascript:alert(8)",
    ];
    for i in 0..60 {
        let ward = wards[i % 3];
        let key = if i % 7 == 0 {
            format!("\"<b onmouseover=alert({i})>\"")
        } else {
            format!("K{i}")
        };
        // Half the cases take a month to close: breaches in every ward, keys listed.
        let closed = if i % 2 == 0 {
            "2025-05-30"
        } else {
            "2025-04-02"
        };
        csv.push_str(&format!(
            "{key},\"{}\",2025-04-01,{closed},a,1,1,£1,1%,yes\n",
            ward.replace('"', "\"\"")
        ));
    }
    csv.push_str("BAD<script>,x,<script>alert(9)</script>,,a,,,,,\n");
    let files = vec![DataFile {
        record: "case".into(),
        path: "\"><script>alert(10)</script>.csv".into(),
        text: csv,
        format: DataFormat::Csv,
        sha256: None,
    }];
    let file = ConstitutionSource {
        path: "<script>alert(11)</script>.lc",
        text: &source,
    };
    let (_, report) = run(&ast, file, &files, &AuditOptions::default()).unwrap();
    report
}

#[test]
fn the_html_report_escapes_everything_from_its_inputs() {
    let report = hostile_report();
    assert!(
        report.summary.duties.breached > 0,
        "the hostile data must reach the breach tables"
    );
    let html = constitution::render::report::html(&report);
    // The hostile text is there, as text.
    assert!(
        html.contains("&lt;script&gt;alert(6)&lt;/script&gt;"),
        "ward not shown"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "body not shown"
    );
    // Every tag is one of the report's own, and no tag holds input.
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("an unclosed tag");
        let tag = &after[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            name == "!doctype" || OWN_TAGS.contains(&name.as_str()),
            "a tag the report does not write: <{tag}>"
        );
        if name == "a" && !tag.starts_with('/') {
            // The report's links are to its own sections only.
            assert!(tag.starts_with("a href=\"#"), "a link out: <{tag}>");
        }
        let lower = tag.to_ascii_lowercase();
        for bad in [
            "javascript:",
            "alert(",
            "onerror",
            "onload",
            "onmouseover",
            "src=",
        ] {
            assert!(!lower.contains(bad), "input inside a tag: <{tag}>");
        }
        rest = &after[end + 1..];
    }
    // Nothing between <style> and </style> but the report's own style sheet.
    let style = html
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    assert!(!style.contains("alert"), "{style}");
}

#[test]
fn the_markdown_report_escapes_markup_from_its_inputs() {
    let report = hostile_report();
    let md = constitution::render::report::markdown(&report);
    // Markdown passes raw HTML through: every `<` from the input must be backslashed.
    for (i, _) in md.match_indices('<') {
        assert!(
            i > 0 && md.as_bytes()[i - 1] == b'\\',
            "a raw `<` at byte {i}: {}",
            &md[i.saturating_sub(40)..(i + 40).min(md.len())]
        );
    }
    assert!(md.contains("alert(6)"), "the ward is shown");
}
