//! The WebAssembly edge (built only for `wasm32`): the library calls the command line
//! makes, for JavaScript, JSON in and JSON out. No logic of its own: each function calls the
//! same library functions as `src/main.rs` and returns the same bytes the CLI prints with
//! `--format json`, so a report made in a browser and one made in a terminal are identical.
//!
//! - `check(source, name?)`: the diagnostics array (what `check --format json` prints).
//! - `format(source, name?)`: the canonical text.
//! - `audit(source, files, options)`: the report (what `audit --format json` prints).
//! - `explain(source, files, duty, options)`: one duty explained (`explain --format json`).
//! - `version()`: the engine's version.
//! - `records(source)`, `data_records(source, file_name)`: the record kinds a constitution
//!   declares and those a data file's name places it in, so a page can fetch and replace
//!   data files by kind.
//!
//! `files` is a [`Files`]: the data files, added one at a time as bytes (`Uint8Array`), so a
//! file crosses into the module once, as it is, and is checked as UTF-8 here (a 157 MB file
//! sent as a JSON string was escaped in JavaScript and parsed back here, most of the time
//! of an audit). Each may come with its SHA-256, computed by the page with the platform's
//! hardware-accelerated hashing, which the module cannot reach; without one the engine
//! hashes the text itself. Files are named as the CLI names `--data` arguments
//! (`foi_request.csv`, `RECORD=name`, or a `.json` keyed by record kind; see
//! [`crate::input::name_data`]); the names are what the report shows, and files are read in
//! name order, as the CLI reads a folder. `audit` and `explain` take the `Files` over (the
//! JavaScript object is spent). `options` is a JSON object:
//! `{"name": "lambeth.lc", "period": "2025-04-01..2026-03-31", "failing": 20}`, every
//! field optional (`name` is how the report and diagnostics name the constitution, by
//! default `constitution.lc`).
//!
//! Failures are returned to JavaScript as a JSON string `{"message", "diagnostics"}` (the
//! diagnostics shaped as `check` returns them); the package's wrapper throws them as an
//! `Error`. Library code cannot panic on input (lints deny it); should the module trap all
//! the same, the wrapper replaces the instance, so the next call still works.

use crate::audit::{self, AuditError, AuditOptions, DataFile};
use crate::render::{self, FileDiagnostics, Located};
use crate::report::ConstitutionSource;
use crate::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// How the constitution is named when the caller does not say.
const DEFAULT_NAME: &str = "constitution.lc";

/// The options of `audit` and `explain`, as JSON.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Options {
    /// The constitution's name in the report and diagnostics.
    name: Option<String>,
    /// `FROM..TO`; the whole data when absent.
    period: Option<String>,
    /// How many failing record keys to list per duty and group (the CLI's `--failing`).
    failing: Option<usize>,
}

/// What a failed call throws, as JSON.
#[derive(Debug, Serialize)]
struct Failure {
    message: String,
    diagnostics: Vec<Located>,
}

fn failure(message: String, diagnostics: Vec<Located>) -> JsValue {
    let failure = Failure {
        message,
        diagnostics,
    };
    JsValue::from_str(&serde_json::to_string(&failure).unwrap_or_default())
}

fn located(name: &str, source: &str, diagnostics: &[Diagnostic]) -> Vec<Located> {
    render::locate(FileDiagnostics {
        path: name,
        source,
        diagnostics,
    })
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every diagnostic of `source`, as `constitution check --format json` prints them.
#[wasm_bindgen]
pub fn check(source: &str, name: Option<String>) -> String {
    let name = name.as_deref().unwrap_or(DEFAULT_NAME);
    let diagnostics = crate::check_source(source);
    let mut out = render::json(&[FileDiagnostics {
        path: name,
        source,
        diagnostics: &diagnostics,
    }]);
    out.push('\n');
    out
}

/// `source` in the canonical layout; throws the syntax errors when it cannot be formatted.
#[wasm_bindgen]
pub fn format(source: &str, name: Option<String>) -> Result<String, JsValue> {
    let name = name.as_deref().unwrap_or(DEFAULT_NAME);
    crate::format(source).map_err(|diagnostics| {
        failure(
            format!("`{name}` was not formatted because it has syntax errors"),
            located(name, source, &diagnostics),
        )
    })
}

/// Data files for one `audit` or `explain`, by name.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Files {
    by_name: BTreeMap<String, Given>,
}

/// One file as the caller gave it.
#[derive(Debug)]
struct Given {
    text: String,
    sha256: Option<String>,
}

#[wasm_bindgen]
impl Files {
    /// No files yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Files {
        Files::default()
    }

    /// Adds the file `name`: its `bytes`, which must be UTF-8 (a leading byte order mark is
    /// dropped, as the CLI drops it), and their SHA-256 in hex after the byte order mark, if
    /// the caller has it (trusted as given). A file of the same name is replaced.
    pub fn add(
        &mut self,
        name: String,
        bytes: Vec<u8>,
        sha256: Option<String>,
    ) -> Result<(), JsValue> {
        let sha256 = match sha256 {
            Some(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(hex.to_ascii_lowercase())
            }
            Some(hex) => {
                return Err(failure(
                    format!("the SHA-256 given for `{name}` is not 64 hexadecimal digits: `{hex}`"),
                    Vec::new(),
                ))
            }
            None => None,
        };
        // Checked whole, as the CLI checks a file it reads, so the offset is the file's.
        let mut text = String::from_utf8(bytes).map_err(|e| {
            failure(
                format!(
                    "cannot read `{name}`: not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
                Vec::new(),
            )
        })?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        self.by_name.insert(name, Given { text, sha256 });
        Ok(())
    }
}

/// Audits `files` against the constitution `source`: the report as `audit --format json`
/// prints it.
#[wasm_bindgen]
pub fn audit(source: &str, files: Files, options: &str) -> Result<String, JsValue> {
    let (options, name) = options_of(options)?;
    with_inputs(source, files, &name, |ast, file, data| {
        audit::run(ast, file, data, &options).map(|(_, report)| report.to_json())
    })
}

/// Explains one duty (`right.duty`): what `explain --format json` prints.
#[wasm_bindgen]
pub fn explain(source: &str, files: Files, duty: &str, options: &str) -> Result<String, JsValue> {
    let (options, name) = options_of(options)?;
    with_inputs(source, files, &name, |ast, file, data| {
        audit::run_explain(ast, file, data, duty, &options).map(|e| e.to_json())
    })
}

/// The record kinds `source` declares, as a JSON array (empty when it cannot be read).
#[wasm_bindgen]
pub fn records(source: &str) -> String {
    let parsed = crate::parse(source);
    let names: Vec<&str> = parsed
        .ast
        .iter()
        .flat_map(|ast| ast.records())
        .map(|r| r.name.name.as_str())
        .collect();
    serde_json::to_string(&names).unwrap_or_default()
}

/// The record kinds a data file named `file_name` holds, as a JSON array: the rule the CLI
/// applies to `--data` arguments. Throws when the name cannot be placed.
#[wasm_bindgen]
pub fn data_records(source: &str, file_name: &str) -> Result<String, JsValue> {
    let parsed = crate::parse(source);
    let declared: Vec<String> = parsed
        .ast
        .iter()
        .flat_map(|ast| ast.records())
        .map(|r| r.name.name.clone())
        .collect();
    let named = crate::input::name_data(file_name, &declared)
        .map_err(|message| failure(message, Vec::new()))?;
    Ok(serde_json::to_string(&named.records).unwrap_or_default())
}

/// Stops the module with a trap, as a panic would: the package's tests use it to show
/// that the wrapper recovers. Not part of the package's API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__trap")]
pub fn trap() {
    core::arch::wasm32::unreachable()
}

/// Grows the module's memory once, before an audit, by about what reading `bytes` of data
/// takes (an eighth: a 1M-record audit of a 157 MB file grows it by 18 MB), rather than a
/// little at a time as the audit allocates. Each growth of a WebAssembly memory makes V8
/// collect garbage while the page holds large buffers, as a page auditing a large file
/// does: growing step by step cost about 70 collections and 0.4 s in that audit under Node.
/// The block is freed at once, for the allocator to hand out again. (A module's memory
/// never shrinks, so the cost is at most the part of the eighth an audit does not use.)
fn reserve_working_memory(bytes: usize) {
    let reserve: Vec<u8> = Vec::with_capacity(bytes / 8);
    drop(std::hint::black_box(reserve));
}

/// The audit settings `options` asks for, and the constitution's name.
fn options_of(options: &str) -> Result<(AuditOptions, String), JsValue> {
    let options: Options = if options.trim().is_empty() {
        Options::default()
    } else {
        serde_json::from_str(options).map_err(|e| failure(format!("options: {e}"), Vec::new()))?
    };
    let period = options
        .period
        .as_deref()
        .map(crate::input::parse_period)
        .transpose()
        .map_err(|message| failure(message, Vec::new()))?;
    let defaults = AuditOptions::default();
    let audit = AuditOptions {
        period,
        failing_cap: options.failing.unwrap_or(defaults.failing_cap),
        // No threads in a browser's WebAssembly: files are read in one piece.
        threads: 1,
        ..defaults
    };
    Ok((audit, options.name.unwrap_or_else(|| DEFAULT_NAME.into())))
}

/// Parses the constitution and names the data files, as the CLI does, then runs `job`.
fn with_inputs(
    source: &str,
    files: Files,
    name: &str,
    job: impl FnOnce(
        &crate::ast::Constitution,
        ConstitutionSource<'_>,
        &[DataFile],
    ) -> Result<String, AuditError>,
) -> Result<String, JsValue> {
    let not_ready = |diagnostics: &[Diagnostic]| {
        failure(
            format!("`{name}` has errors; fix them before auditing"),
            located(name, source, diagnostics),
        )
    };
    let parsed = crate::parse(source);
    let Some(ast) = parsed
        .ast
        .as_ref()
        .filter(|_| !parsed.diagnostics.iter().any(Diagnostic::is_error))
    else {
        return Err(not_ready(&parsed.diagnostics));
    };
    let records: Vec<String> = ast.records().map(|r| r.name.name.clone()).collect();
    reserve_working_memory(files.by_name.values().map(|g| g.text.len()).sum());
    let mut data = Vec::new();
    for (file_name, mut given) in files.by_name {
        let named = crate::input::name_data(&file_name, &records)
            .map_err(|message| failure(message, Vec::new()))?;
        // The text moves into the last record kind's file: a file of one kind is not copied.
        let mut kinds = named.records.into_iter().peekable();
        while let Some(record) = kinds.next() {
            let text = if kinds.peek().is_some() {
                given.text.clone()
            } else {
                std::mem::take(&mut given.text)
            };
            data.push(DataFile {
                record,
                path: named.path.clone(),
                text,
                format: named.format,
                sha256: given.sha256.clone(),
            });
        }
    }
    let file = ConstitutionSource {
        path: name,
        text: source,
    };
    job(ast, file, &data).map_err(|e| match e {
        AuditError::Constitution(diagnostics) => not_ready(&diagnostics),
        AuditError::Data(e) => failure(
            format!("cannot read `{}`: {}", e.path, e.message),
            Vec::new(),
        ),
        AuditError::Explain(e) => failure(format!("{}: {}", e.path, e.message), Vec::new()),
    })
}
