//! Rendering diagnostics for people and machines: the edge of the pipeline.
//!
//! The formats: `human` (a source snippet with the span underlined, like rustc; needs the
//! `cli` feature), `json` (an array of flat objects with 1-based positions, also what the
//! WebAssembly build returns), `sarif` (SARIF 2.1.0 for code scanning) and `github`
//! (workflow annotations). Nothing here decides anything; it only lays out.

pub mod doc;
#[cfg(feature = "cli")]
mod human;
pub mod report;

#[cfg(feature = "cli")]
pub use human::human;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::LineIndex;
use serde::Serialize;

/// The diagnostics of one file, with what is needed to locate them.
#[derive(Debug, Clone, Copy)]
pub struct FileDiagnostics<'a> {
    /// The path as the user gave it.
    pub path: &'a str,
    /// The file's text.
    pub source: &'a str,
    /// Its diagnostics.
    pub diagnostics: &'a [Diagnostic],
}

/// A diagnostic with 1-based positions, as printed by `--format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    /// Stable code, e.g. `E101`.
    pub code: Code,
    /// Kebab-case name of the code.
    pub name: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// One lowercase line.
    pub message: String,
    /// How to fix it, if known.
    pub help: Option<String>,
    /// The file.
    pub file: String,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column (in characters) of the start.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column (in characters) just past the end.
    pub end_column: usize,
}

/// Locates every diagnostic of `file`.
pub fn locate(file: FileDiagnostics<'_>) -> Vec<Located> {
    let index = LineIndex::new(file.source);
    file.diagnostics
        .iter()
        .map(|d| {
            let start = index.position(d.span.start);
            let end = index.position(d.span.end.max(d.span.start));
            Located {
                code: d.code,
                name: d.code.name(),
                severity: d.severity,
                message: d.message.clone(),
                help: d.help.clone(),
                file: file.path.to_string(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        })
        .collect()
}

/// `--format json`: one array of every file's diagnostics, pretty-printed.
pub fn json(files: &[FileDiagnostics<'_>]) -> String {
    let all: Vec<Located> = files.iter().flat_map(|f| locate(*f)).collect();
    serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into())
}

/// `--format github`: one workflow command per diagnostic.
pub fn github(files: &[FileDiagnostics<'_>]) -> String {
    let mut out = String::new();
    for d in files.iter().flat_map(|f| locate(*f)) {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&d.file),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        ));
    }
    out
}

/// Escapes a workflow command's message, as GitHub's toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `--format sarif`: a SARIF 2.1.0 log with one run, every rule described.
pub fn sarif(files: &[FileDiagnostics<'_>]) -> String {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            let doc = code.doc();
            let short = doc.split("\n\n").next().unwrap_or(doc).replace('\n', " ");
            serde_json::json!({
                "id": code.as_str(),
                "name": code.name(),
                "shortDescription": { "text": short },
                "fullDescription": { "text": doc },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": {
                    "level": match code.severity() { Severity::Error => "error", Severity::Warning => "warning" }
                },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|f| locate(*f))
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.file },
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "constitution",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// `--format plain`-style one-liners: `file:line:column: severity[CODE]: message`.
pub fn short(files: &[FileDiagnostics<'_>]) -> String {
    let mut out = String::new();
    for d in files.iter().flat_map(|f| locate(*f)) {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            d.file,
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}
