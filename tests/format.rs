//! Formatter tests: canonical output for hand-written messy fixtures, and for every bundled
//! constitution with its layout scrambled.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

/// Every comment in `source`, trimmed, in order (ignores `//` inside strings only roughly,
/// which is enough for the fixtures here, whose strings hold no `//`).
fn comment_texts(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.find("//").map(|i| l[i..].trim().to_string()))
        .collect()
}

fn check_formats(source: &str, name: &str) -> String {
    let formatted =
        constitution::format(source).unwrap_or_else(|d| panic!("{name} did not format: {d:#?}"));
    let again = constitution::format(&formatted).expect("formatted output parses");
    assert_eq!(formatted, again, "{name}: formatting is not idempotent");
    assert_eq!(
        comment_texts(source),
        comment_texts(&formatted),
        "{name}: comments changed"
    );
    let codes = |s: &str| {
        constitution::check_source(s)
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(source),
        codes(&formatted),
        "{name}: diagnostics changed"
    );
    formatted
}

#[test]
fn messy_fixtures_format_canonically() {
    insta::glob!("fixtures/format/*.lc", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let formatted = check_formats(&source, &path.display().to_string());
        insta::assert_snapshot!(formatted);
    });
}

/// Strips all indentation and doubles every space: layout the formatter must undo.
fn scramble(source: &str) -> String {
    source
        .lines()
        .map(|l| {
            let t = l.trim_start();
            // Keep spaces inside strings and comments as they are.
            if t.contains('"') || t.contains("//") {
                t.to_string()
            } else {
                t.replace(' ', "  ")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bundled_constitutions_are_canonical_and_survive_scrambling() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions");
    let mut seen = 0;
    insta::glob!("../constitutions", "*.lc", |path| {
        seen += 1;
        let source = std::fs::read_to_string(path).unwrap();
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        assert_eq!(
            check_formats(&source, &name),
            source,
            "{name} is not in canonical layout: run `constitution fmt {name}`"
        );
        let restored = check_formats(&scramble(&source), &name);
        assert_eq!(restored, source, "{name}: scrambled layout not restored");
        insta::assert_snapshot!(restored);
    });
    assert!(
        seen >= 4,
        "expected the bundled constitutions, found {seen}"
    );
}
