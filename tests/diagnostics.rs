//! Every diagnostic code, shown on a fixture that triggers it.
//!
//! Each file in `tests/fixtures/diagnostics/` is named after the code it shows
//! (`E101_missing_fundamental_right.lc`). Its snapshot holds the rendering a user would see
//! for that code, then one line counting every other code the fixture also triggers, so a
//! reviewer sees the noise. `docs/diagnostics.md` is generated from [`Code::ALL`] here too.

#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::render::{self, FileDiagnostics};
use constitution::{check_source, Code, Diagnostic, Severity};
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURES: &str = "tests/fixtures/diagnostics";

/// The fixture file that shows `code`, relative to the crate root.
fn fixture_path(code: Code) -> String {
    format!(
        "{FIXTURES}/{}_{}.lc",
        code.as_str(),
        code.name().replace('-', "_")
    )
}

/// The code a fixture shows, from the start of its file name.
fn code_of(path: &Path) -> Code {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap();
    let prefix = file.split('_').next().unwrap();
    *Code::ALL
        .iter()
        .find(|c| c.as_str() == prefix)
        .unwrap_or_else(|| panic!("{file} is not named after a diagnostic code"))
}

/// `path` relative to the crate root, so snapshots do not depend on the checkout.
fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `other diagnostics: E101 ×5, W604 ×1`, or `none`.
fn others_line(diagnostics: &[Diagnostic], code: Code) -> String {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.code != code) {
        *counts.entry(d.code).or_default() += 1;
    }
    let list = if counts.is_empty() {
        "none".to_string()
    } else {
        counts
            .iter()
            .map(|(c, n)| format!("{c} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("other diagnostics: {list}")
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/diagnostics/*.lc", |path| {
        let code = code_of(path);
        let source = std::fs::read_to_string(path).unwrap();
        let diagnostics = check_source(&source);
        let shown: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code == code)
            .cloned()
            .collect();
        assert!(
            !shown.is_empty(),
            "{} does not trigger {code}; it gives {diagnostics:#?}",
            relative(path)
        );
        let path = relative(path);
        let rendered = render::human(
            FileDiagnostics {
                path: &path,
                source: &source,
                diagnostics: &shown,
            },
            false,
        );
        let snapshot = format!("{rendered}{}", others_line(&diagnostics, code));
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn every_code_has_exactly_one_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".lc"))
        .collect();
    let mut problems = Vec::new();
    for &code in Code::ALL {
        let prefix = format!("{}_", code.as_str());
        let matching: Vec<&String> = files.iter().filter(|f| f.starts_with(&prefix)).collect();
        let expected = fixture_path(code);
        let expected = expected.rsplit('/').next().unwrap();
        match matching.as_slice() {
            [one] if one.as_str() == expected => {}
            [] => problems.push(format!("{code} has no fixture: add {FIXTURES}/{expected}")),
            found => problems.push(format!(
                "{code} should have exactly one fixture, {expected}, but has {found:?}"
            )),
        }
    }
    for file in &files {
        let known = Code::ALL
            .iter()
            .any(|c| file.starts_with(&format!("{}_", c.as_str())));
        if !known {
            problems.push(format!("{file} is not named after a diagnostic code"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn machine_formats() {
    let path = fixture_path(Code::UnhandledMissing);
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    let diagnostics = check_source(&source);
    let files = [FileDiagnostics {
        path: &path,
        source: &source,
        diagnostics: &diagnostics,
    }];
    insta::assert_snapshot!("json", render::json(&files));
    insta::assert_snapshot!("sarif", render::sarif(&files));
    insta::assert_snapshot!("github", render::github(&files));
}

/// `docs/diagnostics.md`, generated from [`Code::ALL`].
fn diagnostics_doc() -> String {
    let mut out = String::from(
        "<!-- Generated by `tests/diagnostics.rs` from `src/diagnostic.rs`; do not edit. \
         Regenerate with `UPDATE_DOCS=1 cargo test --test diagnostics`. -->\n\n\
         # Diagnostics\n\n\
         `constitution check` reports every problem it finds in a constitution, each with a \
         stable code. Codes are never reused or renumbered, so they can be searched for, \
         cited in reviews and matched by tools. A code starting with `E` is an **error**: \
         the constitution cannot be compiled, or its meaning is in doubt, and `check` exits \
         with status 1. A code starting with `W` is a **warning**: the constitution compiles, \
         but something is probably not what its authors meant; `check` exits with status 0 \
         unless `--deny-warnings` is given. Each code below has a fixture under \
         `tests/fixtures/diagnostics/` that triggers it.\n\n\
         | Code | Name | Severity |\n\
         | --- | --- | --- |\n",
    );
    for &code in Code::ALL {
        out.push_str(&format!(
            "| [{0}](#{1}) | `{2}` | {3} |\n",
            code.as_str(),
            code.as_str().to_lowercase(),
            code.name(),
            code.severity().as_str()
        ));
    }
    for &code in Code::ALL {
        // The explicit anchor is what SARIF's `helpUri` (`docs/diagnostics.md#e101`) points at.
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n## {} {}\n\n*{}*\n\n{}\n\nFixture: [`{}`](../{})\n",
            code.as_str().to_lowercase(),
            code.as_str(),
            code.name(),
            match code.severity() {
                Severity::Error => "Error.",
                Severity::Warning => "Warning.",
            },
            code.doc(),
            fixture_path(code),
            fixture_path(code),
        ));
    }
    out
}

#[test]
fn docs_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let generated = diagnostics_doc();
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/diagnostics.md is out of date with src/diagnostic.rs; run \
         `UPDATE_DOCS=1 cargo test --test diagnostics` and commit the result"
    );
}
