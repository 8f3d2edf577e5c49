//! The drafting and publishing tools: `new`, `doc`, `diff` and `schema`, on every bundled
//! constitution (snapshots) and on crafted cases (assertions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::ast::{Constitution, FieldType};
use constitution::diff::{self, At, Effect, Side, Status};
use constitution::value::Value;
use constitution::{doc, new, render, schema, Severity};
use std::path::Path;

fn parse(source: &str) -> Constitution {
    let parsed = constitution::parse(source);
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        parsed.diagnostics
    );
    parsed.ast.unwrap()
}

fn date(text: &str) -> time::Date {
    constitution::parse::parse_date(text).unwrap()
}

fn bundled(path: &Path) -> (String, Constitution) {
    let source = std::fs::read_to_string(path).unwrap();
    let ast = parse(&source);
    let area = path.file_name().unwrap().to_string_lossy().into_owned();
    (area, ast)
}

// ---------------------------------------------------------------------------------------
// new

fn fresh(name: &str, code: Option<&str>) -> String {
    new::constitution(&new::NewOptions {
        name,
        code,
        adopted: date("2026-05-14"),
    })
    .unwrap()
}

#[test]
fn new_passes_check_with_no_warnings_and_fmt_check_as_written() {
    let long = "The Very Long Named Combined County Authority of Somewhere-on-Sea, \
                Elsewhere-under-Lyne and the Parishes Between";
    let names = [
        ("London Borough of Lambeth", Some("E09000022")),
        ("St Helen's \"Quoted\" Town", None),
        (
            "Ynys Môn — Cyngor Sir, 日本, Ὀδυσσεύς, back\\slash {{code}}",
            Some("W06000001"),
        ),
        (long, Some("E47000001")),
    ];
    for (name, code) in names {
        let text = fresh(name, code);
        let diagnostics = constitution::check_source(&text);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:#?}");
        assert_eq!(
            constitution::format(&text).unwrap(),
            text,
            "{name}: not canonical"
        );
        let ast = parse(&text);
        assert_eq!(ast.name.value(), name, "the name survives escaping");
        // Six rights, each with a checkable duty, and the democratic duties.
        let rights: Vec<_> = ast.rights().collect();
        assert_eq!(rights.len(), 6);
        for right in &rights {
            assert!(
                right
                    .duties
                    .iter()
                    .any(|d| constitution::words::promise(d, &ast).is_some()),
                "{}: no checkable duty",
                right.name.name
            );
        }
        let accountability: Vec<String> = ast
            .accountability()
            .flat_map(|a| a.duties.iter().map(|d| d.name.name.clone()))
            .collect();
        for duty in [
            "public_interest_test",
            "turnout_benchmark",
            "statutory_attendance",
            "annual_reports",
            "social_relationships",
        ] {
            assert!(accountability.iter().any(|d| d == duty), "{duty}");
        }
        assert!(ast.bodies().any(|b| b.audit_committee));
        assert!(text.contains("responsibility \""));
        // Its own tests pass, with the same engine as the audit.
        let results = constitution::testing::run_tests(&ast, &text).unwrap();
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(|r| r.passed()), "{name}: {results:#?}");
    }
}

#[test]
fn new_tests_pass_whatever_the_adoption_date() {
    for adopted in ["2019-01-01", "2026-02-28", "2027-12-31", "2031-06-30"] {
        let text = new::constitution(&new::NewOptions {
            name: "Dateshire",
            code: None,
            adopted: date(adopted),
        })
        .unwrap();
        assert!(constitution::check_source(&text).is_empty(), "{adopted}");
        let ast = parse(&text);
        let results = constitution::testing::run_tests(&ast, &text).unwrap();
        assert!(
            results.iter().all(|r| r.passed()),
            "{adopted}: {results:#?}"
        );
    }
}

#[test]
fn new_carries_the_statutory_facts() {
    let text = fresh("Testshire", Some("E10000001"));
    for fact in [
        "working_days(received, responded otherwise period.end) <= 20",
        "(left otherwise period.end) - placed <= 6 weeks",
        "votes_cast >= electorate * 0.4",
        "(closer_answer is present) and (by_them_answer is present)",
        "Local Government Act 1972 s.85(1)",
        "each no2_annual_mean <= 40",
        "amount > £500",
        "<= 56 days",
    ] {
        assert!(text.contains(fact), "missing: {fact}");
    }
    assert!(text.contains("adopted 2026-05-14"));
    assert!(fresh("X", None).contains("area E00000000  // replace with"));
}

#[test]
fn new_refuses_names_and_codes_that_cannot_be_written() {
    let opts = |name, code| new::NewOptions {
        name,
        code,
        adopted: date("2026-05-14"),
    };
    assert!(matches!(
        new::constitution(&opts("  ", None)),
        Err(new::NewError::Name(_))
    ));
    assert!(matches!(
        new::constitution(&opts("Two\nlines", None)),
        Err(new::NewError::Name(_))
    ));
    assert!(matches!(
        new::constitution(&opts("X", Some("E0900002"))),
        Err(new::NewError::Code(_))
    ));
    assert!(matches!(
        new::constitution(&opts("X", Some("e09000022"))),
        Err(new::NewError::Code(_))
    ));
}

#[test]
fn new_snapshot() {
    insta::assert_snapshot!(fresh("London Borough of Lambeth", Some("E09000022")));
}

// ---------------------------------------------------------------------------------------
// doc

#[test]
fn doc_of_every_bundled_constitution() {
    let mut seen = 0;
    insta::glob!("../constitutions", "*.lc", |path| {
        let (_, ast) = bundled(path);
        let document = doc::document(&ast, None);
        // Every duty in force is published, and every checkable one with its promise.
        let latest = constitution::version::latest(&ast);
        let published: usize = document
            .rights
            .iter()
            .chain(document.accountability.as_ref())
            .map(|s| s.duties.len())
            .sum();
        let in_force: usize = latest.rights.iter().map(|r| r.duties.len()).sum();
        assert_eq!(published, in_force);
        for s in document
            .rights
            .iter()
            .chain(document.accountability.as_ref())
        {
            for d in &s.duties {
                assert!(d.promise.is_some(), "{}: no promise", d.path);
                assert!(!d.rule.is_empty(), "{}", d.path);
            }
        }
        insta::assert_snapshot!("markdown", render::doc::markdown(&document));
        insta::assert_snapshot!("html", render::doc::html(&document));
        seen += 1;
    });
    assert!(seen >= 5);
}

#[test]
fn doc_on_a_date_renders_the_version_then_in_force() {
    let (_, ast) = bundled(&Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions/lambeth.lc"));
    let before = render::doc::markdown(&doc::document(&ast, Some(date("2026-03-31"))));
    let after = render::doc::markdown(&doc::document(&ast, Some(date("2026-04-01"))));
    let foi = |text: &str| {
        text.lines()
            .find(|l| l.contains("The promise:") && l.contains("fee wait days"))
            .unwrap()
            .to_string()
    };
    assert!(foi(&before).contains("at least 90% of"), "{}", foi(&before));
    assert!(foi(&after).contains("at least 95% of"), "{}", foi(&after));
    assert!(before.contains("This is the text in force on 31 March 2026."));
    assert!(before.contains("(effective 1 April 2026), not yet in force"));
    assert!(!before.contains("Internal reviews within 20 working days\n"));
    assert!(after.contains("### Internal reviews within 20 working days"));
}

#[test]
fn promises_are_worded_from_the_rule() {
    let source = r#"constitution "X" {
  area E09000022
  adopted 2025-05-14
  calendar uk
  body council "X Council"
  record foi_request "Information requests" {
    id text key
    regime one of "foia", "eir"
    received date
    responded date optional
  }
  right information "The right to information" {
    duty foi "Answer in time" {
      over foi_request where regime == "foia"
      each working_days(received, responded otherwise period.end) <= 20
      require at least 90%
      per quarter of received
    }
    duty open "Few open" {
      over foi_request
      measure count(responded is missing) / count()
      require at most 5%
    }
  }
}"#;
    let ast = parse(source);
    let right = ast.rights().next().unwrap();
    assert_eq!(
        constitution::words::promise(&right.duties[0], &ast).unwrap(),
        "In every quarter (counted by received), at least 90% of the information requests \
         where regime is “foia” meet this: responded (or the last day of the audit period \
         when it is missing) is within 20 working days of received."
    );
    assert_eq!(
        constitution::words::promise(&right.duties[1], &ast).unwrap(),
        "Over the information requests, the number of records where responded is missing \
         divided by the number of records is at most 5%."
    );
}

/// Every text a constitution can hold, set to something hostile (a fixture, so that
/// scripts/test can put the same page through the browser).
fn hostile_constitution() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tools/hostile.lc");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.matches(HOSTILE).count() >= 25,
        "the fixture holds the payload"
    );
    let errors = constitution::check_source(&text);
    assert!(
        errors.is_empty(),
        "`doc` must accept the fixture: {errors:#?}"
    );
    text
}

/// The payload, as written in the fixture's quoted texts.
const HOSTILE: &str = r#"<script>alert(\"x\")</script> 'q' & javascript:alert(1)"#;

#[test]
fn html_escapes_every_text_field_and_stays_self_contained() {
    let ast = parse(&hostile_constitution());
    let html = render::doc::html(&doc::document(&ast, None));
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<b>"), "markup in a literal got through");
    assert!(
        html.matches("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;q&#39; &amp; javascript:alert(1)")
            .count()
            >= 20,
        "every field is shown, escaped"
    );
    // Links only to anchors in the page; no external assets of any kind.
    for (i, _) in html.match_indices("href=\"") {
        assert!(html[i + 6..].starts_with('#'), "{}", &html[i..i + 40]);
    }
    for forbidden in [
        "src=", "<link", "<script", "url(", "@import", "http://", "https://",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Accessible structure: language, one h1, headings in order, landmarks.
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en-GB\">"));
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("<main id=\"main\">") && html.contains("<nav aria-labelledby="));
    let mut last = 1;
    for (i, _) in html.match_indices("<h") {
        if let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) {
            assert!(level <= last + 1, "heading level jumps to h{level}");
            last = level;
        }
    }
    // Markdown: outside the fenced rule blocks, every `<` is backslashed, so no renderer
    // reads it as a tag; inside them it is code, shown as written.
    let md = render::doc::markdown(&doc::document(&ast, None));
    let mut fenced = false;
    for line in md.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Inline code spans (the amended clauses) are shown as written, never as markup.
        for outside in line.split('`').step_by(2) {
            for (i, _) in outside.match_indices('<') {
                assert_eq!(&outside[i - 1..i], "\\", "{line}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// diff

#[test]
fn diff_of_every_bundled_constitution_adopted_to_latest() {
    insta::glob!("../constitutions", "*.lc", |path| {
        let (area, ast) = bundled(path);
        let file = format!("constitutions/{area}");
        let result = diff::diff(
            &Side {
                file: &file,
                constitution: &ast,
                at: At::Adopted,
            },
            &Side {
                file: &file,
                constitution: &ast,
                at: At::Latest,
            },
        );
        assert!(
            !result.duties.is_empty(),
            "every bundled constitution has an amendment"
        );
        insta::assert_snapshot!("text", diff::text(&result));
        insta::assert_snapshot!("json", diff::json(&result));
    });
}

#[test]
fn lambeth_amendment_raises_foi_from_90_to_95_and_is_stronger() {
    let (_, ast) = bundled(&Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions/lambeth.lc"));
    let side = |at| Side {
        file: "lambeth.lc",
        constitution: &ast,
        at,
    };
    let result = diff::diff(
        &side(At::On(date("2026-03-31"))),
        &side(At::On(date("2026-04-01"))),
    );
    let foi = result
        .duties
        .iter()
        .find(|d| d.duty == "information.foi_in_time")
        .unwrap();
    assert_eq!(foi.status, Status::Changed);
    assert_eq!(foi.effect, Effect::Stronger);
    let require = foi.changes.iter().find(|c| c.slot == "require").unwrap();
    assert_eq!(require.before.as_deref(), Some("require at least 90%"));
    assert_eq!(require.after.as_deref(), Some("require at least 95%"));
    assert_eq!(require.effect, Effect::Stronger);
    let added = result
        .duties
        .iter()
        .find(|d| d.duty == "information.internal_review")
        .unwrap();
    assert_eq!(added.status, Status::Added);
    assert_eq!(result.summary.added, 1);
    assert_eq!(result.summary.changed, 1);
    // The same date on both sides: nothing differs.
    let same = diff::diff(&side(At::Latest), &side(At::Latest));
    assert!(same.duties.is_empty() && same.rights.is_empty() && same.other.is_empty());
}

/// A one-duty constitution with the duty's lines given.
fn with_duty(lines: &str) -> String {
    format!(
        r#"constitution "X" {{
  area E09000022
  adopted 2025-05-14
  calendar uk
  body council "X Council"
  body audit "Audit" audit_committee
  record case "Cases" {{
    id text key
    ward text
    kind one of "a", "b", "c"
    received date
    responded date optional
    score number
  }}
  right home "Home" {{
    duty d "D" {{
      over case
      {lines}
    }}
  }}
}}"#
    )
}

fn effect_of(old: &str, new: &str) -> (Effect, Vec<(String, Effect)>) {
    let (a, b) = (parse(&with_duty(old)), parse(&with_duty(new)));
    let result = diff::diff(
        &Side {
            file: "old.lc",
            constitution: &a,
            at: At::Latest,
        },
        &Side {
            file: "new.lc",
            constitution: &b,
            at: At::Latest,
        },
    );
    let duty = &result.duties[0];
    (
        duty.effect,
        duty.changes
            .iter()
            .map(|c| (c.slot.clone(), c.effect))
            .collect(),
    )
}

#[test]
fn diff_ranks_changes_for_residents_and_says_changed_when_it_cannot() {
    use Effect::*;
    let each = "each working_days(received, responded otherwise period.end) <= 20";
    let cases: &[(&str, &str, Effect)] = &[
        // Thresholds.
        ("require at least 90%", "require at least 95%", Stronger),
        ("require at least 95%", "require at least 90%", Weaker),
        ("require at least 90%", "require every", Stronger),
        ("require at most 10%", "require at most 5%", Stronger),
        ("require at least 90%", "require at most 90%", Changed),
        // Grouping.
        ("per ward", "per kind", Changed),
        ("minimum 10 records", "minimum 20 records", Weaker),
        (
            "on 3 consecutive breaches call in independent review",
            "on 2 consecutive breaches call in independent review",
            Stronger,
        ),
    ];
    for (old, new, expected) in cases {
        let (effect, _) = effect_of(&format!("{each}\n{old}"), &format!("{each}\n{new}"));
        assert_eq!(effect, *expected, "{old} → {new}");
    }
    // A deadline in `each`: lowered is stronger, raised weaker.
    let req = "require at least 90%";
    let deadline = |n: u32| {
        format!("each working_days(received, responded otherwise period.end) <= {n}\n{req}")
    };
    assert_eq!(effect_of(&deadline(20), &deadline(15)).0, Stronger);
    assert_eq!(effect_of(&deadline(20), &deadline(25)).0, Weaker);
    // Under `require no`, a looser test catches more records: stronger.
    let never = |n: u32| format!("each score > {n}\nrequire no");
    assert_eq!(effect_of(&never(10), &never(5)).0, Stronger);
    // Per-group and per-period added: stronger; a longer period: weaker.
    assert_eq!(
        effect_of(&deadline(20), &format!("{}\nper ward", deadline(20))).0,
        Stronger
    );
    assert_eq!(
        effect_of(
            &format!("{}\nper month of received", deadline(20)),
            &format!("{}\nper quarter of received", deadline(20))
        )
        .0,
        Weaker
    );
    // Filters: narrower under `every` is weaker; under a share it is only changed.
    let (a, b) = (
        with_duty("each score > 1\nrequire every")
            .replace("over case\n", "over case where kind in [\"a\", \"b\"]\n"),
        with_duty("each score > 1\nrequire every")
            .replace("over case\n", "over case where kind in [\"a\"]\n"),
    );
    let narrowed = diff::diff(
        &Side {
            file: "a",
            constitution: &parse(&a),
            at: At::Latest,
        },
        &Side {
            file: "b",
            constitution: &parse(&b),
            at: At::Latest,
        },
    );
    assert_eq!(narrowed.duties[0].effect, Weaker);
    let (a, b) = (
        a.replace("require every", "require at least 90%"),
        b.replace("require every", "require at least 90%"),
    );
    let narrowed = diff::diff(
        &Side {
            file: "a",
            constitution: &parse(&a),
            at: At::Latest,
        },
        &Side {
            file: "b",
            constitution: &parse(&b),
            at: At::Latest,
        },
    );
    assert_eq!(narrowed.duties[0].effect, Changed);
    assert!(narrowed.duties[0].changes[0].why.contains("narrower"));
    // A measure: a higher figure against a maximum is stronger.
    assert_eq!(
        effect_of(
            "measure mean(score) + 1\nrequire at most 5",
            "measure mean(score) + 2\nrequire at most 5"
        )
        .0,
        Stronger
    );
    // The test and the threshold both changed: cannot be ranked.
    assert_eq!(
        effect_of(
            "each score > 1\nrequire at least 90%",
            "each kind == \"a\"\nrequire at least 95%"
        )
        .0,
        Changed
    );
    // Wording only.
    assert_eq!(
        effect_of(
            &format!("{}\nbasis \"Old\"", deadline(20)),
            &format!("{}\nbasis \"New\"", deadline(20))
        )
        .0,
        Wording
    );
}

// ---------------------------------------------------------------------------------------
// schema

#[test]
fn schema_of_every_bundled_constitution() {
    insta::glob!("../constitutions", "*.lc", |path| {
        let (_, ast) = bundled(path);
        let json = schema::json_schema(&ast, None).unwrap();
        assert_eq!(
            json["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(
            json["$defs"].as_object().unwrap().len(),
            ast.records().count()
        );
        insta::assert_snapshot!("json_schema", serde_json::to_string_pretty(&json).unwrap());
        insta::assert_snapshot!("csv", schema::csv_template(&ast, None).unwrap());
    });
}

#[test]
fn schema_of_one_record_and_of_an_unknown_one() {
    let (_, ast) = bundled(&Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions/lambeth.lc"));
    let one = schema::json_schema(&ast, Some("foi_request")).unwrap();
    assert_eq!(one["type"], "object");
    assert_eq!(one["x-key"], "reference");
    let required: Vec<&str> = one["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        ["reference", "directorate", "regime", "received", "extended"]
    );
    let csv = schema::csv_template(&ast, Some("foi_request")).unwrap();
    assert_eq!(
        csv.lines().last().unwrap(),
        "reference,directorate,regime,received,responded,fee_wait_days,extended,review_asked,review_done"
    );
    let err = schema::json_schema(&ast, Some("foi")).unwrap_err();
    assert!(err.to_string().contains("declares no record `foi`"));
}

/// The bundled sample CSV files start with exactly the header row the template gives.
/// (One difference is allowed and expected: Stevenage's spending.csv starts with a UTF-8
/// byte order mark, as spreadsheets write it; the readers drop it.)
#[test]
fn sample_csv_headers_are_the_template_headers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "lc") {
            continue;
        }
        let (_, ast) = bundled(&path);
        let area = path.file_stem().unwrap().to_string_lossy().into_owned();
        let data = root.join(&area).join("data/2025-26");
        for file in std::fs::read_dir(&data).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let kind = file.file_stem().unwrap().to_string_lossy().into_owned();
            let record = ast
                .record(&kind)
                .unwrap_or_else(|| panic!("{area}: {kind}"));
            let text = std::fs::read_to_string(&file).unwrap();
            let first = text.lines().next().unwrap();
            let first = first.strip_prefix('\u{feff}').unwrap_or(first);
            assert_eq!(first, schema::header(record), "{}", file.display());
            let template = schema::csv_template(&ast, Some(&kind)).unwrap();
            assert_eq!(template.lines().last().unwrap(), first);
            checked += 1;
        }
    }
    assert!(checked >= 40, "checked {checked} files");
}

/// Compiled patterns, kept: the sample data test runs tens of thousands of values.
fn pattern(source: &str) -> regex::Regex {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        cache
            .borrow_mut()
            .entry(source.to_string())
            .or_insert_with(|| regex::Regex::new(source).unwrap())
            .clone()
    })
}

// A small JSON Schema validator for the keywords `schema` uses, so that the schema can be
// run against the readers' own verdicts here, with no network and no other tool.
fn valid(schema: &serde_json::Value, value: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    let obj = schema.as_object().unwrap();
    for (keyword, arg) in obj {
        let ok = match keyword.as_str() {
            "type" => {
                let types: Vec<&str> = match arg {
                    J::String(s) => vec![s.as_str()],
                    J::Array(a) => a.iter().map(|t| t.as_str().unwrap()).collect(),
                    _ => panic!("type {arg}"),
                };
                types.iter().any(|t| match *t {
                    "string" => value.is_string(),
                    "number" => value.is_number(),
                    "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    other => panic!("type {other}"),
                })
            }
            "pattern" => value
                .as_str()
                .is_none_or(|s| pattern(arg.as_str().unwrap()).is_match(s)),
            "anyOf" => arg.as_array().unwrap().iter().any(|s| valid(s, value)),
            "not" => !valid(arg, value),
            "enum" => arg.as_array().unwrap().iter().any(|v| {
                v == value || (v.is_number() && value.as_f64() == v.as_f64() && value.is_number())
            }),
            "description" | "examples" | "title" | "x-key" | "$schema" => true,
            other => panic!("keyword {other} is not handled by this test's validator"),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// What the readers make of `raw`: usable (true) or a problem (false).
fn readers_accept(raw: &str, ty: &FieldType, optional: bool) -> bool {
    match constitution::data::parse_value(raw, ty) {
        Ok(Value::Missing) => optional,
        Ok(_) => true,
        Err(_) => false,
    }
}

#[test]
fn schema_patterns_agree_with_the_data_readers() {
    let cases: &[(&str, &[&str])] = &[
        (
            "integer",
            &[
                "3", "-3", "+3", "1,234", "12,34", "3.0", "3.", "3.5", " 7 ", "1e3", "", "NA", "x",
            ],
        ),
        (
            "number",
            &[
                "7.5", ".5", "5.", "1,234.5", "1,23.5", "-2e-3", "1e", ".", "+", "N/A", "7,5",
            ],
        ),
        (
            "money",
            &[
                "£1,234.50",
                "1234.5",
                "-£5",
                "£-5",
                "£ 5",
                "- £5",
                "-£-5",
                "£",
                "£.5",
                ".505",
                "1.5000",
                "1.",
                "(£5.00)",
                "£1,23",
                "£12.345",
                "5 £",
            ],
        ),
        (
            "percent",
            &["45%", "45.5", "45.5 %", "45.5%%", "%", "-3%", "1,000%"],
        ),
        (
            "date",
            &[
                "2025-04-01",
                "01/04/2025",
                "1/4/2025",
                "2025-4-1",
                "2025-04-01T10:00:00Z",
                "2025-04-01 10:00",
                "2025-04-01T10:00:00.5+01:00",
                "2025-04-01T",
                "25-04-01",
                "01-04-2025",
                "2025/04/01",
                "2025-04-01T24:00",
                "2025-04-01T10:00+0100",
                "2025-04-01 x",
            ],
        ),
        (
            "boolean",
            &[
                "true", "FALSE", "Yes", "n", "1", "0", "2", "oui", "T", " y ",
            ],
        ),
        (
            "one of \"foia\", \"eir\", \"B+\", \"N/A\"",
            &["foia", "FOIA", " Eir ", "b+", "B", "N/A", "n/a", "foi"],
        ),
        ("text", &["anything", "", " ", "NA", "-", "null", "0"]),
    ];
    for (ty_text, values) in cases {
        let source = format!(
            "constitution \"X\" {{ record r \"R\" {{ id text key\n v {ty_text}\n w {ty_text} optional }} }}"
        );
        let ast = constitution::parse(&source).ast.unwrap();
        let record = ast.record("r").unwrap();
        let doc = schema::record_schema(record);
        for field in &record.fields[1..] {
            let prop = &doc["properties"][&field.name.name];
            for raw in *values {
                let expected = readers_accept(raw, &field.ty, field.optional);
                let got = valid(prop, &serde_json::Value::String((*raw).to_string()));
                assert_eq!(
                    got,
                    expected,
                    "{ty_text} {}: {raw:?}: schema says {got}, readers say {expected}",
                    if field.optional {
                        "optional"
                    } else {
                        "required"
                    }
                );
            }
        }
    }
}

/// Every value of every bundled sample CSV file: the schema's verdict is the readers'.
#[test]
fn schema_agrees_with_the_readers_on_the_bundled_sample_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("constitutions");
    let mut values = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "lc") {
            continue;
        }
        let (_, ast) = bundled(&path);
        let data = root.join(path.file_stem().unwrap()).join("data/2025-26");
        for file in std::fs::read_dir(&data).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let kind = file.file_stem().unwrap().to_string_lossy().into_owned();
            let record = ast.record(&kind).unwrap();
            let doc = schema::record_schema(record);
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_path(&file)
                .unwrap();
            for row in reader.records() {
                let row = row.unwrap();
                for (field, raw) in record.fields.iter().zip(row.iter()) {
                    let expected = readers_accept(raw, &field.ty, field.optional);
                    let got = valid(
                        &doc["properties"][&field.name.name],
                        &serde_json::Value::String(raw.to_string()),
                    );
                    // The one thing a pattern cannot know: whether a date is a real day.
                    let not_a_day = field.ty == FieldType::Date && got && !expected;
                    assert!(
                        got == expected || not_a_day,
                        "{}: {} {raw:?}",
                        file.display(),
                        field.name.name
                    );
                    values += 1;
                }
            }
        }
    }
    assert!(values > 10_000, "{values} values checked");
}

// ---------------------------------------------------------------------------------------
// docs/tools.md and docs/examples show real output; these keep them current.

#[test]
fn the_docs_show_current_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, ast) = bundled(&root.join("constitutions/lambeth.lc"));
    let page = std::fs::read_to_string(root.join("docs/tools.md")).unwrap();
    let side = |at| Side {
        file: "constitutions/lambeth.lc",
        constitution: &ast,
        at,
    };
    let amendment = diff::text(&diff::diff(
        &side(At::On(date("2026-03-31"))),
        &side(At::On(date("2026-04-01"))),
    ));
    assert!(
        page.contains(&amendment),
        "docs/tools.md: the lambeth diff is out of date; it is now:\n{amendment}"
    );
    let csv = schema::csv_template(&ast, Some("spending")).unwrap();
    assert!(
        page.contains(&csv),
        "docs/tools.md: the CSV template is out of date:\n{csv}"
    );
    let html = render::doc::html(&doc::document(&ast, None));
    let example = root.join("docs/examples/lambeth.html");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&example, &html).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&example).unwrap(),
        html,
        "docs/examples/lambeth.html is out of date: run `UPDATE_DOCS=1 cargo test --test tools`"
    );
}

// ---------------------------------------------------------------------------------------
// words: every expression form, requirement and measure kind has words.

/// The constitution of `docs/language.md`'s fragments: a `case` record with every type.
const WORDS_FIXTURE: &str = r#"constitution "X" {
  record case "Cases" {
    id text key
    ward text
    regime one of "foia", "eir"
    status one of "open", "closed", "withdrawn"
    received date
    responded date optional
    placed date optional
    left date optional
    children integer
    score number
    amount money
    fee money optional
    turnout percent
    complex boolean
    asked boolean optional
  }
  right home "Home" {
    duty d "D" {
      over case
      {test}
    }
  }
}"#;

fn words_fixture(test: &str) -> Constitution {
    parse(&WORDS_FIXTURE.replace("{test}", test))
}

#[test]
fn every_expression_form_has_words() {
    let conditions: &[(&str, &str)] = &[
        ("children > 0", "children is more than 0"),
        ("children <= 2", "children is at most 2"),
        ("score < 0.25", "score is less than 0.25"),
        ("turnout >= 40%", "turnout is at least 40%"),
        (
            "received >= 2025-04-01",
            "received is on or after 1 April 2025",
        ),
        (
            "received < period.start",
            "received is before the first day of the audit period",
        ),
        (
            "received > period.end",
            "received is after the last day of the audit period",
        ),
        (
            "received <= period.end",
            "received is on or before the last day of the audit period",
        ),
        ("regime == \"foia\"", "regime is “foia”"),
        ("regime != \"eir\"", "regime is not “eir”"),
        ("complex", "complex is yes"),
        ("not complex", "complex is no"),
        ("complex == false", "complex is no"),
        (
            "not (children > 2)",
            "it is not the case that children is more than 2",
        ),
        ("responded is missing", "responded is missing"),
        ("responded is present", "responded is recorded"),
        (
            "status in [\"open\", \"closed\"]",
            "status is one of “open” or “closed”",
        ),
        (
            "status not in [\"withdrawn\"]",
            "status is none of “withdrawn”",
        ),
        (
            "asked otherwise false",
            "asked is yes (when asked is missing, no is taken)",
        ),
        (
            "amount + (fee otherwise £0) <= £1,234.50",
            "amount plus fee (or £0 when it is missing) is at most £1,234.50",
        ),
        (
            "score * 2 / 3 > 1",
            "score times 2 divided by 3 is more than 1",
        ),
        ("score - -1 > 1", "score minus minus 1 is more than 1"),
        (
            "working_days(received, responded otherwise period.end) <= 20",
            "responded (or the last day of the audit period when it is missing) is within 20 \
             working days of received",
        ),
        (
            "days(received, placed otherwise period.end) < 42",
            "placed (or the last day of the audit period when it is missing) is within fewer \
             than 42 days of received",
        ),
        (
            "working_days(received, period.end) > 3",
            "the working days from received to the last day of the audit period is more than 3",
        ),
        (
            "(left otherwise period.end) - (placed otherwise period.end) <= 6 weeks",
            "left (or the last day of the audit period when it is missing) is within 6 weeks of \
             placed (or the last day of the audit period when it is missing)",
        ),
        (
            "(left otherwise period.end) - received > 42 days",
            "left (or the last day of the audit period when it is missing) is more than 42 days \
             after received",
        ),
        (
            "received + 6 weeks >= period.start",
            "6 weeks after received is on or after the first day of the audit period",
        ),
        (
            "received > period.end - 26 weeks",
            "received is after 26 weeks before the last day of the audit period",
        ),
        (
            "children > 2 or complex and turnout >= 40%",
            "children is more than 2 or complex is yes and turnout is at least 40%",
        ),
        (
            "(children > 2 or complex) and turnout >= 40%",
            "(children is more than 2 or complex is yes) and turnout is at least 40%",
        ),
        (
            "children > 1 and children > 2 and children > 3 and children > 4 and children > 5",
            "the condition `children > 1 and children > 2 and children > 3 and children > 4 and \
             children > 5`",
        ),
    ];
    for (expr, words) in conditions {
        let ast = words_fixture(&format!("each {expr}\nrequire every"));
        let duty = &ast.rights().next().unwrap().duties[0];
        let promise = constitution::words::promise(duty, &ast).unwrap();
        let expected = format!("Every one of the cases meets this: {words}.");
        assert_eq!(promise, expected, "{expr}");
    }
    let measures: &[(&str, &str, &str)] = &[
        (
            "count()",
            "at least 10",
            "the number of records is at least 10",
        ),
        (
            "count(complex)",
            "at most 10",
            "the number of records where complex is yes is at most 10",
        ),
        (
            "share(asked otherwise false)",
            "more than 80%",
            "the share of records where asked is yes (when asked is missing, no is taken) is \
             more than 80%",
        ),
        (
            "sum(amount)",
            "less than £250,000",
            "the total amount is less than £250,000",
        ),
        (
            "mean(fee otherwise £0)",
            "at most £25",
            "the average fee (or £0 when it is missing) is at most £25",
        ),
        (
            "median(score)",
            "at least 7",
            "the median score is at least 7",
        ),
        (
            "min(turnout)",
            "at least 25%",
            "the lowest turnout is at least 25%",
        ),
        (
            "max((left otherwise period.end) - received)",
            "less than 6 weeks",
            "the highest of the time from received to left (or the last day of the audit period \
             when it is missing) is less than 6 weeks",
        ),
        (
            "(count() - count(status == \"withdrawn\")) / count()",
            "at least 50%",
            "(the number of records minus the number of records where status is “withdrawn”) \
             divided by the number of records is at least 50%",
        ),
        (
            "sum(children)",
            "at least 10000",
            "the total children is at least 10,000",
        ),
    ];
    for (measure, require, words) in measures {
        let ast = words_fixture(&format!("measure {measure}\nrequire {require}"));
        let duty = &ast.rights().next().unwrap().duties[0];
        let promise = constitution::words::promise(duty, &ast).unwrap();
        assert_eq!(promise, format!("Over the cases, {words}."), "{measure}");
    }
    // Requirement forms with `each`, filters and groupings.
    let cases: &[(&str, &str)] = &[
        (
            "each complex\nrequire no",
            "None of the cases may meet this: complex is yes.",
        ),
        (
            "each complex\nrequire at most 5%",
            "At most 5% of the cases meet this: complex is yes.",
        ),
        (
            "each complex\nrequire at least 90%\nper ward\nper month of received",
            "In every ward and in every month (counted by received), at least 90% of the cases \
             meet this: complex is yes.",
        ),
        (
            "each complex\nrequire every\nper year of received",
            "In every financial year (counted by received), every one of the cases meets this: \
             complex is yes.",
        ),
    ];
    for (lines, expected) in cases {
        let ast = words_fixture(lines);
        let duty = &ast.rights().next().unwrap().duties[0];
        assert_eq!(constitution::words::promise(duty, &ast).unwrap(), *expected);
    }
    // A filter is worded after the population; without a population there is no promise.
    let ast = words_fixture("each complex\nrequire every");
    let filtered = parse(
        &WORDS_FIXTURE
            .replace("{test}", "each complex\nrequire every")
            .replace(
                "over case",
                "over case where regime == \"foia\" and children > 0",
            ),
    );
    let duty = &filtered.rights().next().unwrap().duties[0];
    assert_eq!(
        constitution::words::promise(duty, &filtered).unwrap(),
        "Every one of the cases where regime is “foia” and children is more than 0 meets this: \
         complex is yes."
    );
    let mut unpopulated = ast.rights().next().unwrap().duties[0].clone();
    unpopulated.clauses.retain(|c| c.node.slot() != "over");
    assert_eq!(constitution::words::promise(&unpopulated, &ast), None);
}
