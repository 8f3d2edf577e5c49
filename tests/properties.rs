//! Property tests: parsing, checking and formatting never panic, and formatting is safe.
//!
//! Two families of properties:
//!
//! - **Valid input.** A generator writes random but well-formed constitutions from parts
//!   (header, bodies, records with every field type, rights and duties whose clauses use
//!   random expressions over the declared fields, every literal kind, amendments, tests) and
//!   lays them out with random spaces, indentation, blank lines, line breaks inside clauses,
//!   and comments on their own lines and after code. For each one, `format` succeeds, is
//!   idempotent, keeps the tree (spans aside), keeps every comment, and keeps what
//!   `check_source` says.
//! - **Arbitrary input.** Random strings, random bytes read lossily, and random mutations of
//!   the bundled constitutions and fixtures. `parse`, `check_source` and `format` never
//!   panic; every span lies within the text on character boundaries; a missing tree or a
//!   refused format always comes with a diagnostic; and whatever does format keeps the
//!   properties above.
//!
//! Regressions found by these properties or by the fuzz targets in `fuzz/` are plain tests at
//! the end of this file, and files under `tests/fixtures/regressions/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::{check, check_source, format, parse, Diagnostic};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use std::path::Path;

/// The number of cases to run: `default`, or `PROPTEST_CASES` for a longer hunt
/// (`PROPTEST_CASES=20000 cargo test --release --test properties`).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------
// What is checked

/// `value` with every `span` and `ty_span` key removed, recursively.
fn strip_spans(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("span");
            map.remove("ty_span");
            map.values_mut().for_each(strip_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

/// The tree of `source` as JSON without spans, or `None` when it has no tree.
fn tree_without_spans(source: &str) -> Option<Value> {
    let ast = parse(source).ast?;
    let mut value = serde_json::to_value(&ast).unwrap();
    strip_spans(&mut value);
    Some(value)
}

/// Every comment's text (the `//…` part of a line, outside strings, trimmed), sorted: a
/// multiset, so a comment dropped or duplicated is noticed.
fn comment_texts(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in source.split('\n') {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
            } else if c == '"' {
                in_string = true;
            } else if line[i..].starts_with("//") {
                out.push(line[i..].trim().to_string());
                break;
            }
        }
    }
    out.sort();
    out
}

/// What `check_source` says, without positions (which move when text is reformatted).
fn findings(source: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = check_source(source)
        .into_iter()
        .map(|d| (d.code.as_str().to_string(), d.message))
        .collect();
    out.sort();
    out
}

/// Formats `source`, which must format, and checks that formatting is safe.
fn assert_formats_safely(source: &str) -> Result<String, TestCaseError> {
    let once = format(source).map_err(|d| {
        TestCaseError::fail(format!(
            "format refused valid input:\n{source}\n--- diagnostics: {d:#?}"
        ))
    })?;
    assert_format_is_safe(source, &once)?;
    Ok(once)
}

/// `once` is `format(source)`: it must be a fixed point, parse to the same tree, keep the
/// comments and the diagnostics.
fn assert_format_is_safe(source: &str, once: &str) -> Result<(), TestCaseError> {
    let twice = format(once).map_err(|d| {
        TestCaseError::fail(format!(
            "formatted text does not format:\n{source}\n--- formatted:\n{once}\n--- diagnostics: {d:#?}"
        ))
    })?;
    prop_assert!(
        twice == once,
        "format is not idempotent\n--- source:\n{}\n--- once:\n{}\n--- twice:\n{}",
        source,
        once,
        twice
    );
    let before = tree_without_spans(source);
    let after = tree_without_spans(once);
    prop_assert!(
        before == after,
        "format changed the tree\n--- source:\n{}\n--- formatted:\n{}\n--- before:\n{}\n--- after:\n{}",
        source,
        once,
        serde_json::to_string_pretty(&before).unwrap(),
        serde_json::to_string_pretty(&after).unwrap()
    );
    prop_assert_eq!(
        comment_texts(source),
        comment_texts(once),
        "format changed the comments\n--- source:\n{}\n--- formatted:\n{}",
        source,
        once
    );
    prop_assert_eq!(
        findings(source),
        findings(once),
        "format changed the diagnostics\n--- source:\n{}\n--- formatted:\n{}",
        source,
        once
    );
    Ok(())
}

/// Every span in `diagnostics` lies within `source`, on character boundaries.
fn assert_spans_in(
    source: &str,
    diagnostics: &[Diagnostic],
    stage: &str,
) -> Result<(), TestCaseError> {
    for d in diagnostics {
        let span = d.span;
        prop_assert!(
            span.start <= span.end
                && span.end <= source.len()
                && source.is_char_boundary(span.start)
                && source.is_char_boundary(span.end),
            "{} diagnostic span {:?} is outside the text or splits a character (len {}): {:?}\n--- source:\n{:?}",
            stage,
            span,
            source.len(),
            d,
            source
        );
    }
    Ok(())
}

/// Every span in the tree lies within `source`, on character boundaries.
fn assert_tree_spans_in(source: &str, value: &Value) -> Result<(), TestCaseError> {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "span" || key == "ty_span" {
                    let start = v["start"].as_u64().unwrap() as usize;
                    let end = v["end"].as_u64().unwrap() as usize;
                    prop_assert!(
                        start <= end
                            && end <= source.len()
                            && source.is_char_boundary(start)
                            && source.is_char_boundary(end),
                        "tree span {}..{} is outside the text or splits a character\n--- source:\n{:?}",
                        start,
                        end,
                        source
                    );
                } else {
                    assert_tree_spans_in(source, v)?;
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                assert_tree_spans_in(source, v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The properties every input has, valid or not.
fn assert_robust(source: &str) -> Result<(), TestCaseError> {
    let parsed = parse(source);
    assert_spans_in(source, &parsed.diagnostics, "parse")?;
    match &parsed.ast {
        None => prop_assert!(
            parsed.diagnostics.iter().any(Diagnostic::is_error),
            "no tree but no error\n--- source:\n{:?}",
            source
        ),
        Some(ast) => {
            assert_tree_spans_in(source, &serde_json::to_value(ast).unwrap())?;
            assert_spans_in(source, &check(ast), "check")?;
        }
    }
    let all = check_source(source);
    assert_spans_in(source, &all, "check_source")?;
    if parsed.ast.is_none() {
        prop_assert!(all.iter().any(Diagnostic::is_error));
    }
    match format(source) {
        Ok(once) => assert_format_is_safe(source, &once)?,
        Err(diagnostics) => {
            prop_assert!(
                !diagnostics.is_empty(),
                "format refused without a diagnostic\n--- source:\n{:?}",
                source
            );
            assert_spans_in(source, &diagnostics, "format")?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The generator of valid constitutions: a model, then a layout driven by noise bytes.
//
// The model is built from proptest strategies, so it shrinks to a small constitution; the
// layout reads one noise byte per decision, and a zero byte (what the noise shrinks to)
// always means the plain choice, so a failure shrinks to the fewest layout quirks.

/// The comments the layout sprinkles, chosen to trip a naive comment scanner.
const COMMENTS: &[&str] = &[
    "// a note",
    "//",
    "//no space after the slashes",
    "// \"quoted\" text with // inside",
    "// { braces } [brackets] (parens)",
    "// £1,234.50, 90% and 2025-05-14",
    "// ünïcödé — ✓",
    "/// three slashes",
    "// description contact basis closed responsibility",
    "// constitution \"x\" {",
    "// trailing spaces   ",
    "//\ttab",
];

/// Names that are keywords elsewhere, or start like operators, but are plain names here.
const TRICKY_NAMES: &[&str] = &[
    "description",
    "contact",
    "each",
    "per",
    "over",
    "text",
    "date",
    "one",
    "of",
    "records",
    "minimum",
    "missing",
    "present",
    "is_open",
    "in_time",
    "notice",
    "order",
    "island",
    "or_else",
    "and_then",
    "true_cost",
    "false_start",
    "period_end",
    "otherwise_x",
    "days",
    "week",
    "quarter",
    "month",
    "_x",
    "x1",
    "body",
    "duty",
    "test",
    "expect",
    "area",
    "where",
];

/// Words a name may not be: the expression keywords, and `key`/`optional`, which after a
/// field's type are read as its marks whatever line they are on.
const NOT_NAMES: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "otherwise",
    "true",
    "false",
    "period",
    "key",
    "optional",
];

const FUNCTIONS: &[&str] = &[
    "working_days",
    "days",
    "count",
    "share",
    "sum",
    "mean",
    "median",
    "min",
    "max",
    "made_up",
];

const BINARY_OPS: &[&str] = &[
    "or",
    "and",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "otherwise",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,9}".prop_filter("a keyword", |s| !NOT_NAMES.contains(&s.as_str())),
        1 => select(TRICKY_NAMES).prop_map(String::from),
    ]
}

/// A string literal's source text, with escapes, Unicode, and things that look like code.
fn string_lit() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z0-9 ,.'()-]{0,12}",
        1 => "[a-z ]{20,40}",
        1 => select(&[
            "\\\"", "\\\\", "\\n", "\\t", "//", "/* */", "£", "é", "✓", "{", "}", "[", "]",
            "%", "\t", "#", "\u{a0}", "\u{FEFF}", "2025-01-01", "is missing",
        ][..])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|p| format!("\"{}\"", p.concat()))
}

fn number_lit() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[0-9]{1,4}(\\.[0-9]{1,3})?",
        1 => Just("9223372036854775807".to_string()),
        1 => Just("0.000000000000000001".to_string()),
    ]
}

fn percent_lit() -> impl Strategy<Value = String> {
    "[0-9]{1,3}(\\.[0-9]{1,2})?%"
}

fn money_lit() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "£[1-9][0-9]{0,2}(,[0-9]{3}){0,3}(\\.[0-9]{2})?",
        2 => "£[0-9]{1,7}(\\.[0-9]{2})?",
        1 => Just("£92,233,720,368,547,758.07".to_string()),
        1 => Just("£0.05".to_string()),
    ]
}

fn date_lit() -> impl Strategy<Value = String> {
    (1900i32..2101, 1u32..13, 1u32..32).prop_map(|(y, m, d)| {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        format!("{y:04}-{m:02}-{:02}", d.min(days))
    })
}

fn duration_lit() -> impl Strategy<Value = String> {
    (
        "[0-9]{1,3}",
        " {1,3}",
        select(&["day", "days", "week", "weeks"][..]),
    )
        .prop_map(|(n, gap, unit)| format!("{n}{gap}{unit}"))
}

/// Any literal's source text.
fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => number_lit(),
        2 => percent_lit(),
        2 => money_lit(),
        2 => date_lit(),
        2 => duration_lit(),
        2 => string_lit(),
        1 => select(&["true", "false"][..]).prop_map(String::from),
    ]
}

/// An expression, as a tree of what to write; written out by [`Out::expr`].
#[derive(Debug, Clone)]
enum E {
    /// A literal, a field name or a period bound: one token.
    Atom(String),
    Call(String, Vec<E>),
    List(Vec<E>, bool),
    Not(Box<E>),
    Neg(Box<E>),
    Binary(&'static str, Box<E>, Box<E>),
    IsMissing(Box<E>, bool),
    In(Box<E>, Vec<E>, bool, bool),
    Paren(Box<E>),
}

fn expr(fields: Vec<String>) -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        4 => select(fields).prop_map(E::Atom),
        3 => literal().prop_map(E::Atom),
        1 => select(&["period.start", "period.end"][..]).prop_map(|s| E::Atom(s.into())),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            4 => (select(BINARY_OPS), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| E::Binary(op, Box::new(a), Box::new(b))),
            1 => inner.clone().prop_map(|e| E::Not(Box::new(e))),
            1 => inner.clone().prop_map(|e| E::Neg(Box::new(e))),
            1 => (inner.clone(), any::<bool>()).prop_map(|(e, n)| E::IsMissing(Box::new(e), n)),
            1 => (
                inner.clone(),
                prop::collection::vec(inner.clone(), 0..4),
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(e, items, negated, comma)| E::In(Box::new(e), items, negated, comma)),
            1 => inner.clone().prop_map(|e| E::Paren(Box::new(e))),
            2 => (select(FUNCTIONS), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(f, args)| E::Call(f.to_string(), args)),
            1 => (prop::collection::vec(inner.clone(), 0..3), any::<bool>())
                .prop_map(|(items, comma)| E::List(items, comma)),
            // Long chains of `and`/`or`, which the formatter wraps.
            1 => (select(&["and", "or"][..]), prop::collection::vec(inner, 3..8)).prop_map(
                |(op, operands)| {
                    let mut operands = operands.into_iter();
                    let first = operands.next().unwrap_or(E::Atom("x".into()));
                    operands.fold(first, |chain, e| E::Binary(op, Box::new(chain), Box::new(e)))
                }
            ),
        ]
    })
}

/// A text of one or more string literals.
fn text() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(string_lit(), 1..4)
}

#[derive(Debug, Clone)]
struct FieldM {
    name: String,
    /// A type's keyword, or `Err` for `one of` these values.
    ty: Result<&'static str, Vec<String>>,
    optional: bool,
    key: bool,
    description: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
struct RecordM {
    name: String,
    title: String,
    fields: Vec<FieldM>,
}

fn field() -> impl Strategy<Value = FieldM> {
    let ty = prop_oneof![
        6 => select(&["text", "integer", "number", "money", "percent", "date", "boolean"][..])
            .prop_map(Ok),
        2 => prop::collection::vec(string_lit(), 1..4).prop_map(Err),
    ];
    (
        name(),
        ty,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(text()),
    )
        .prop_map(|(name, ty, optional, key, description)| FieldM {
            name,
            ty,
            optional,
            key,
            description,
        })
}

fn record() -> impl Strategy<Value = RecordM> {
    (name(), string_lit(), prop::collection::vec(field(), 1..6)).prop_map(
        |(name, title, fields)| RecordM {
            name,
            title,
            fields,
        },
    )
}

#[derive(Debug, Clone)]
struct BodyM {
    name: String,
    title: String,
    audit: bool,
    /// `None`: no block. `Some`: a block with these clauses, in this order.
    block: Option<Vec<(&'static str, Vec<String>)>>,
}

fn body(audit: bool) -> impl Strategy<Value = BodyM> {
    let block = prop::option::of(
        (
            prop::option::of(text()),
            prop::option::of(text()),
            any::<bool>(),
        )
            .prop_map(|(d, c, contact_first)| {
                let mut clauses = Vec::new();
                if let Some(d) = d {
                    clauses.push(("description", d));
                }
                if let Some(c) = c {
                    clauses.push(("contact", c));
                }
                if contact_first {
                    clauses.reverse();
                }
                clauses
            }),
    );
    (name(), string_lit(), block).prop_map(move |(name, title, block)| BodyM {
        name,
        title,
        audit,
        block,
    })
}

#[derive(Debug, Clone)]
enum ClauseM {
    Description(Vec<String>),
    OwedBy(Vec<String>),
    Basis(Vec<String>),
    Over(String, Option<E>),
    Each(E),
    Measure(E),
    Require((&'static str, Option<String>)),
    PerGroup(String),
    PerPeriod(&'static str, String),
    Minimum(String),
    NotApplicable,
    OnBreach(String),
    OnReview(String),
}

/// What a duty's clauses may refer to.
#[derive(Debug, Clone)]
struct Scope {
    records: Vec<String>,
    fields: Vec<String>,
    bodies: Vec<String>,
}

fn threshold() -> impl Strategy<Value = String> {
    (
        select(&["", "", "", "-", "- "][..]),
        prop_oneof![duration_lit(), percent_lit(), money_lit(), number_lit()],
    )
        .prop_map(|(sign, value)| format!("{sign}{value}"))
}

/// A requirement: its words, and its threshold (one token: a duration's spaces are its own).
fn requirement() -> impl Strategy<Value = (&'static str, Option<String>)> {
    prop_oneof![
        1 => Just(("every", None)),
        1 => Just(("no", None)),
        4 => (
            select(&["at least", "at most", "more than", "less than"][..]),
            threshold()
        )
            .prop_map(|(how, t)| (how, Some(t))),
    ]
}

fn count_lit() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[0-9]{1,3}",
        1 => Just("9223372036854775807".to_string()),
    ]
}

fn clause(scope: Scope) -> impl Strategy<Value = ClauseM> {
    let fields = scope.fields.clone();
    prop_oneof![
        1 => text().prop_map(ClauseM::Description),
        1 => prop::collection::vec(select(scope.bodies.clone()), 1..3).prop_map(ClauseM::OwedBy),
        1 => text().prop_map(ClauseM::Basis),
        2 => (
            select(scope.records.clone()),
            prop::option::of(expr(fields.clone()))
        )
            .prop_map(|(r, e)| ClauseM::Over(r, e)),
        3 => expr(fields.clone()).prop_map(ClauseM::Each),
        1 => expr(fields.clone()).prop_map(ClauseM::Measure),
        2 => requirement().prop_map(ClauseM::Require),
        1 => select(fields.clone()).prop_map(ClauseM::PerGroup),
        1 => (select(&["month", "quarter", "year"][..]), select(fields))
            .prop_map(|(u, f)| ClauseM::PerPeriod(u, f)),
        1 => count_lit().prop_map(ClauseM::Minimum),
        1 => Just(ClauseM::NotApplicable),
        1 => select(scope.bodies.clone()).prop_map(ClauseM::OnBreach),
        1 => count_lit().prop_map(ClauseM::OnReview),
    ]
}

#[derive(Debug, Clone)]
struct DutyM {
    name: String,
    title: String,
    clauses: Vec<ClauseM>,
}

fn duty(scope: Scope) -> impl Strategy<Value = DutyM> {
    (
        name(),
        string_lit(),
        prop::collection::vec(clause(scope), 0..7),
    )
        .prop_map(|(name, title, clauses)| DutyM {
            name,
            title,
            clauses,
        })
}

/// The body of a right or of the accountability section: at most one description, placed
/// among the duties at `position`.
#[derive(Debug, Clone)]
struct RightBodyM {
    description: Option<(usize, Vec<String>)>,
    duties: Vec<DutyM>,
}

fn right_body(scope: Scope) -> impl Strategy<Value = RightBodyM> {
    (
        prop::option::of((0usize..4, text())),
        prop::collection::vec(duty(scope), 0..3),
    )
        .prop_map(|(description, duties)| RightBodyM {
            description,
            duties,
        })
}

#[derive(Debug, Clone)]
enum ChangeM {
    Description(Vec<String>),
    Amend(String, Vec<ClauseM>),
    Add(String, String, Vec<ClauseM>),
    Repeal(String),
}

#[derive(Debug, Clone)]
enum TestItemM {
    Period(String, String),
    Expect(String, &'static str),
    Record(String, Vec<(String, String)>, bool),
}

#[derive(Debug, Clone)]
enum ItemM {
    Area(String),
    Adopted(String),
    Calendar(String, Option<Vec<(String, Option<Vec<String>>)>>),
    Body(BodyM),
    Record(RecordM),
    Right(String, String, RightBodyM),
    Accountability(RightBodyM),
    Responsibility(Vec<String>),
    Amendment(String, String, Vec<ChangeM>),
    Test(String, Vec<TestItemM>),
}

/// A test record's value: `missing`, or a literal, maybe negative.
fn test_value() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("missing".to_string()),
        6 => literal(),
        2 => prop_oneof![number_lit(), money_lit(), percent_lit(), duration_lit()]
            .prop_map(|v| format!("-{v}")),
    ]
}

fn amendment(scope: Scope, paths: Vec<String>) -> impl Strategy<Value = ItemM> {
    let change = prop_oneof![
        1 => text().prop_map(ChangeM::Description),
        3 => (select(paths.clone()), prop::collection::vec(clause(scope.clone()), 0..4))
            .prop_map(|(p, c)| ChangeM::Amend(p, c)),
        2 => (select(paths.clone()), string_lit(), prop::collection::vec(clause(scope), 0..4))
            .prop_map(|(p, t, c)| ChangeM::Add(p, t, c)),
        2 => select(paths).prop_map(ChangeM::Repeal),
    ];
    (
        string_lit(),
        date_lit(),
        prop::collection::vec(change, 0..4),
    )
        .prop_map(|(title, date, mut changes)| {
            // At most one description.
            let mut seen = false;
            changes.retain(|c| {
                let first = !(seen && matches!(c, ChangeM::Description(_)));
                seen |= matches!(c, ChangeM::Description(_));
                first
            });
            ItemM::Amendment(title, date, changes)
        })
}

fn test_block(records: Vec<RecordM>, paths: Vec<String>) -> impl Strategy<Value = ItemM> {
    let record = select(records).prop_flat_map(|r| {
        let names: Vec<String> = r.fields.iter().map(|f| f.name.clone()).collect();
        (
            Just(r.name),
            prop::collection::vec((select(names), test_value()), 0..8),
            any::<bool>(),
        )
    });
    let item = prop_oneof![
        1 => (date_lit(), date_lit()).prop_map(|(a, b)| TestItemM::Period(a, b)),
        2 => (
            select(paths),
            select(&["met", "breached", "insufficient_evidence", "not_applicable"][..])
        )
            .prop_map(|(p, v)| TestItemM::Expect(p, v)),
        3 => record.prop_map(|(r, values, comma)| TestItemM::Record(r, values, comma)),
    ];
    (string_lit(), prop::collection::vec(item, 0..5)).prop_map(|(n, items)| ItemM::Test(n, items))
}

/// A whole constitution: its name and items, in the order they are written.
#[derive(Debug, Clone)]
struct ConstitutionM {
    name: String,
    items: Vec<ItemM>,
}

fn constitution_model() -> impl Strategy<Value = ConstitutionM> {
    let records = prop::collection::vec(record(), 1..4);
    let bodies = (
        prop::collection::vec(body(false), 0..3),
        body(true),
        0usize..3,
    )
        .prop_map(|(mut bodies, audit, at)| {
            bodies.insert(at.min(bodies.len()), audit);
            bodies
        });
    (records, bodies)
        .prop_flat_map(|(records, bodies)| {
            let scope = Scope {
                records: records.iter().map(|r| r.name.clone()).collect(),
                fields: records
                    .iter()
                    .flat_map(|r| r.fields.iter().map(|f| f.name.clone()))
                    .collect(),
                bodies: bodies.iter().map(|b| b.name.clone()).collect(),
            };
            let rights =
                prop::collection::vec((name(), string_lit(), right_body(scope.clone())), 0..4);
            let accountability = prop::option::of(right_body(scope.clone()));
            (
                Just(records),
                Just(bodies),
                Just(scope),
                rights,
                accountability,
            )
        })
        .prop_flat_map(|(records, bodies, scope, rights, accountability)| {
            let mut paths: Vec<String> = rights
                .iter()
                .flat_map(|(r, _, b)| b.duties.iter().map(move |d| format!("{r}.{}", d.name)))
                .collect();
            if let Some(a) = &accountability {
                paths.extend(
                    a.duties
                        .iter()
                        .map(|d| format!("accountability.{}", d.name)),
                );
            }
            paths.push("information.answer_in_time".into());
            let calendar = prop::option::of((
                select(&["uk", "england_and_wales", "scotland", "weekdays", "mars"][..]),
                prop::option::of(prop::collection::vec(
                    (date_lit(), prop::option::of(text())),
                    0..3,
                )),
            ));
            let rest = (
                string_lit(),
                prop::option::of("[A-Z][0-9]{8}|[a-z0-9_]{1,6}"),
                prop::option::of(date_lit()),
                calendar,
                prop::collection::vec(text(), 0..3),
                prop::collection::vec(amendment(scope.clone(), paths.clone()), 0..3),
                prop::collection::vec(test_block(records.clone(), paths), 0..3),
            );
            (
                Just(records),
                Just(bodies),
                Just(rights),
                Just(accountability),
                rest,
            )
        })
        .prop_flat_map(
            |(
                records,
                bodies,
                rights,
                accountability,
                (name, area, adopted, calendar, responsibilities, amendments, tests),
            )| {
                let mut items = Vec::new();
                items.extend(area.map(ItemM::Area));
                items.extend(adopted.map(ItemM::Adopted));
                items.extend(calendar.map(|(n, days)| ItemM::Calendar(n.to_string(), days)));
                items.extend(bodies.into_iter().map(ItemM::Body));
                items.extend(records.into_iter().map(ItemM::Record));
                items.extend(rights.into_iter().map(|(n, t, b)| ItemM::Right(n, t, b)));
                items.extend(accountability.map(ItemM::Accountability));
                items.extend(responsibilities.into_iter().map(ItemM::Responsibility));
                items.extend(amendments);
                items.extend(tests);
                (Just(name), Just(items).prop_shuffle())
            },
        )
        .prop_map(|(name, items)| ConstitutionM { name, items })
}

/// Writes a model out as source text, taking every layout decision from noise bytes.
struct Out<'n> {
    text: String,
    noise: &'n [u8],
    at: usize,
    depth: usize,
    eol: &'static str,
    /// A line has been written and its end (trailing comment, line break, blank lines,
    /// comment lines) is still to come: a `}` may yet join it.
    pending_eol: bool,
}

impl Out<'_> {
    fn roll(&mut self) -> u8 {
        let b = self.noise.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Space between two words on a line.
    fn sp(&mut self) {
        let s = match self.roll() {
            0..=199 => " ",
            200..=214 => "  ",
            215..=229 => "\t",
            230..=244 => "    ",
            _ => " \t ",
        };
        self.push(s);
    }

    /// Optional space, next to punctuation.
    fn opt_sp(&mut self) {
        match self.roll() {
            0..=179 => {}
            180..=219 => self.push(" "),
            _ => self.push("  "),
        }
    }

    fn comment(&mut self) -> &'static str {
        COMMENTS[usize::from(self.roll()) % COMMENTS.len()]
    }

    fn indent(&mut self, depth: usize) {
        let s = match self.roll() {
            0..=199 => "  ".repeat(depth),
            200..=219 => "    ".repeat(depth),
            220..=234 => "\t".repeat(depth),
            235..=244 => String::new(),
            _ => " ".repeat(2 * depth + 1),
        };
        self.push(&s);
    }

    /// Space inside a clause where a line may break: a space, or a line break with a
    /// comment before it, or a blank line.
    fn brk(&mut self) {
        match self.roll() {
            0..=199 => self.sp(),
            200..=224 => {
                self.push(self.eol);
                self.indent(self.depth + 2);
            }
            225..=239 => {
                self.push(" ");
                let c = self.comment();
                self.push(c);
                self.push(self.eol);
                self.indent(self.depth + 2);
            }
            _ => {
                self.push(self.eol);
                self.push(self.eol);
                self.indent(self.depth + 1);
            }
        }
    }

    /// Space between the words of a clause: mostly a space, rarely a line break, with or
    /// without a comment before it.
    fn gap(&mut self) {
        match self.roll() {
            0..=229 => self.sp(),
            230..=242 => {
                self.push(self.eol);
                self.indent(self.depth + 2);
            }
            _ => {
                self.sp();
                let c = self.comment();
                self.push(c);
                self.push(self.eol);
                self.indent(self.depth + 2);
            }
        }
    }

    fn end_line(&mut self) {
        self.pending_eol = true;
    }

    fn flush_eol(&mut self) {
        if !std::mem::take(&mut self.pending_eol) {
            return;
        }
        match self.roll() {
            230.. => {
                self.sp();
                let c = self.comment();
                self.push(c);
            }
            215..=229 => self.push("   "),
            _ => {}
        }
        self.push(self.eol);
        match self.roll() {
            220..=244 => self.push(self.eol),
            245.. => {
                self.push("  ");
                self.push(self.eol);
                self.push(self.eol);
            }
            _ => {}
        }
        if self.roll() >= 225 {
            self.indent(self.depth);
            let c = self.comment();
            self.push(c);
            self.push(self.eol);
            if self.roll() >= 200 {
                self.push(self.eol);
            }
        }
    }

    /// Starts a clause: on a new line, or rarely on the same line as the one before.
    fn begin_line(&mut self) {
        if self.pending_eol && self.roll() >= 245 {
            self.pending_eol = false;
            self.sp();
            return;
        }
        self.flush_eol();
        self.indent(self.depth);
    }

    /// ` {` after a block's header (or `{` on a line of its own), then its body.
    fn open(&mut self) {
        if self.roll() < 230 {
            self.sp();
        } else {
            self.push(self.eol);
            self.indent(self.depth);
        }
        self.push("{");
        self.end_line();
        self.depth += 1;
    }

    /// `}` on a line of its own, or at the end of the last line of the body.
    fn close(&mut self) {
        self.depth -= 1;
        if self.pending_eol && self.roll() >= 235 {
            self.pending_eol = false;
            self.sp();
        } else {
            self.begin_line();
        }
        self.push("}");
        self.end_line();
    }

    /// A text: its strings separated by spaces, line breaks or comments.
    fn text(&mut self, parts: &[String]) {
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                self.brk();
            }
            self.push(p);
        }
    }

    /// `a, b, c`, each item written by `each`.
    fn list<T>(&mut self, items: &[T], trailing_comma: bool, mut each: impl FnMut(&mut Self, &T)) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.opt_sp();
                self.push(",");
                self.brk();
            }
            each(self, item);
        }
        if trailing_comma && !items.is_empty() {
            self.opt_sp();
            self.push(",");
        }
    }

    fn expr(&mut self, e: &E) {
        match e {
            E::Atom(s) => self.push(s),
            E::Call(f, args) => {
                self.push(f);
                self.opt_sp();
                self.push("(");
                self.opt_sp();
                self.list(args, false, Self::expr);
                self.opt_sp();
                self.push(")");
            }
            E::List(items, comma) => {
                self.push("[");
                self.opt_sp();
                self.list(items, *comma, Self::expr);
                self.opt_sp();
                self.push("]");
            }
            E::Not(x) => {
                self.push("not");
                self.brk();
                self.expr(x);
            }
            E::Neg(x) => {
                self.push("-");
                self.opt_sp();
                self.expr(x);
            }
            E::Binary(op, a, b) => {
                self.expr(a);
                self.brk();
                self.push(op);
                self.brk();
                self.expr(b);
            }
            E::IsMissing(x, present) => {
                self.expr(x);
                self.brk();
                self.push("is");
                self.sp();
                self.push(if *present { "present" } else { "missing" });
            }
            E::In(x, items, negated, comma) => {
                self.expr(x);
                self.brk();
                if *negated {
                    self.push("not");
                    self.brk();
                }
                self.push("in");
                self.brk();
                self.expr(&E::List(items.clone(), *comma));
            }
            E::Paren(x) => {
                self.push("(");
                self.opt_sp();
                self.expr(x);
                self.opt_sp();
                self.push(")");
            }
        }
    }

    /// Words separated by gaps.
    fn words(&mut self, words: &str) {
        for (i, w) in words.split(' ').enumerate() {
            if i > 0 {
                self.gap();
            }
            self.push(w);
        }
    }

    fn clause(&mut self, c: &ClauseM) {
        self.begin_line();
        match c {
            ClauseM::Description(t) => {
                self.push("description");
                self.gap();
                self.text(t);
            }
            ClauseM::Basis(t) => {
                self.push("basis");
                self.gap();
                self.text(t);
            }
            ClauseM::OwedBy(bodies) => {
                self.words("owed by");
                self.gap();
                self.list(bodies, false, |o, b| o.push(b));
            }
            ClauseM::Over(record, filter) => {
                self.push("over");
                self.gap();
                self.push(record);
                if let Some(f) = filter {
                    self.gap();
                    self.push("where");
                    self.brk();
                    self.expr(f);
                }
            }
            ClauseM::Each(e) => {
                self.push("each");
                self.gap();
                self.expr(e);
            }
            ClauseM::Measure(e) => {
                self.push("measure");
                self.gap();
                self.expr(e);
            }
            ClauseM::Require((how, threshold)) => {
                self.push("require");
                self.gap();
                self.words(how);
                if let Some(t) = threshold {
                    self.gap();
                    self.push(t);
                }
            }
            ClauseM::PerGroup(f) => {
                self.push("per");
                self.gap();
                self.push(f);
            }
            ClauseM::PerPeriod(unit, f) => {
                self.push("per");
                self.gap();
                self.push(unit);
                self.gap();
                self.push("of");
                self.gap();
                self.push(f);
            }
            ClauseM::Minimum(n) => {
                self.push("minimum");
                self.gap();
                self.push(n);
                self.gap();
                self.push("records");
            }
            ClauseM::NotApplicable => self.words("not applicable when no records"),
            ClauseM::OnBreach(b) => {
                self.words("on breach refer to");
                self.gap();
                self.push(b);
            }
            ClauseM::OnReview(n) => {
                self.push("on");
                self.gap();
                self.push(n);
                self.gap();
                self.words("consecutive breaches call in independent review");
            }
        }
        self.end_line();
    }

    fn duty(&mut self, keyword: &str, d: &DutyM) {
        self.begin_line();
        self.push(keyword);
        self.gap();
        self.push(&d.name);
        self.gap();
        self.push(&d.title);
        self.open();
        for c in &d.clauses {
            self.clause(c);
        }
        self.close();
    }

    fn right_body(&mut self, b: &RightBodyM) {
        let description_at = b
            .description
            .as_ref()
            .map(|(at, _)| (*at).min(b.duties.len()));
        for i in 0..=b.duties.len() {
            if let (Some(at), Some((_, text))) = (description_at, &b.description) {
                if at == i {
                    self.begin_line();
                    self.push("description");
                    self.gap();
                    self.text(text);
                    self.end_line();
                }
            }
            if let Some(d) = b.duties.get(i) {
                self.duty("duty", d);
            }
        }
    }

    fn item(&mut self, item: &ItemM) {
        self.begin_line();
        match item {
            ItemM::Area(code) => {
                self.push("area");
                self.gap();
                self.push(code);
            }
            ItemM::Adopted(date) => {
                self.push("adopted");
                self.gap();
                self.push(date);
            }
            ItemM::Calendar(name, days) => {
                self.push("calendar");
                self.gap();
                self.push(name);
                if let Some(days) = days {
                    self.open();
                    for (date, reason) in days {
                        self.begin_line();
                        self.push("closed");
                        self.gap();
                        self.push(date);
                        if let Some(reason) = reason {
                            self.gap();
                            self.text(reason);
                        }
                        self.end_line();
                    }
                    self.close();
                }
            }
            ItemM::Body(b) => {
                self.push("body");
                self.gap();
                self.push(&b.name);
                self.gap();
                self.push(&b.title);
                if b.audit {
                    self.gap();
                    self.push("audit_committee");
                }
                if let Some(clauses) = &b.block {
                    self.open();
                    for (keyword, text) in clauses {
                        self.begin_line();
                        self.push(keyword);
                        self.gap();
                        self.text(text);
                        self.end_line();
                    }
                    self.close();
                }
            }
            ItemM::Record(r) => {
                self.push("record");
                self.gap();
                self.push(&r.name);
                self.gap();
                self.push(&r.title);
                self.open();
                for f in &r.fields {
                    // A field's name, type and marks share a line; its list of values
                    // and its description may wrap.
                    self.begin_line();
                    self.push(&f.name);
                    self.sp();
                    match &f.ty {
                        Ok(keyword) => self.push(keyword),
                        Err(values) => {
                            self.words("one of");
                            self.gap();
                            self.list(values, false, |o, v| o.push(v));
                        }
                    }
                    if f.optional {
                        self.sp();
                        self.push("optional");
                    }
                    if f.key {
                        self.sp();
                        self.push("key");
                    }
                    if let Some(d) = &f.description {
                        self.gap();
                        self.text(d);
                    }
                    self.end_line();
                }
                self.close();
            }
            ItemM::Right(name, title, body) => {
                self.push("right");
                self.gap();
                self.push(name);
                self.gap();
                self.push(title);
                self.open();
                self.right_body(body);
                self.close();
            }
            ItemM::Accountability(body) => {
                self.push("accountability");
                self.open();
                self.right_body(body);
                self.close();
            }
            ItemM::Responsibility(text) => {
                self.push("responsibility");
                self.gap();
                self.text(text);
            }
            ItemM::Amendment(title, date, changes) => {
                self.push("amendment");
                self.gap();
                self.push(title);
                self.gap();
                self.push("effective");
                self.gap();
                self.push(date);
                self.open();
                for change in changes {
                    match change {
                        ChangeM::Description(text) => {
                            self.begin_line();
                            self.push("description");
                            self.gap();
                            self.text(text);
                            self.end_line();
                        }
                        ChangeM::Amend(path, clauses) => {
                            self.begin_line();
                            self.words("amend duty");
                            self.gap();
                            self.push(path);
                            self.open();
                            for c in clauses {
                                self.clause(c);
                            }
                            self.close();
                        }
                        ChangeM::Add(path, title, clauses) => {
                            self.begin_line();
                            self.words("add duty");
                            self.gap();
                            self.push(path);
                            self.gap();
                            self.push(title);
                            self.open();
                            for c in clauses {
                                self.clause(c);
                            }
                            self.close();
                        }
                        ChangeM::Repeal(path) => {
                            self.begin_line();
                            self.words("repeal duty");
                            self.gap();
                            self.push(path);
                            self.end_line();
                        }
                    }
                }
                self.close();
            }
            ItemM::Test(name, items) => {
                self.push("test");
                self.gap();
                self.push(name);
                self.open();
                for item in items {
                    self.begin_line();
                    match item {
                        TestItemM::Period(from, to) => {
                            self.push("period");
                            self.gap();
                            self.push(from);
                            self.opt_sp();
                            self.push("..");
                            self.opt_sp();
                            self.push(to);
                        }
                        TestItemM::Expect(path, verdict) => {
                            self.push("expect");
                            self.gap();
                            self.push(path);
                            self.gap();
                            self.push(verdict);
                        }
                        TestItemM::Record(record, values, comma) => {
                            self.push(record);
                            self.gap();
                            self.push("{");
                            self.opt_sp();
                            self.list(values, *comma, |o, (field, value)| {
                                o.push(field);
                                o.opt_sp();
                                o.push(":");
                                o.gap();
                                o.push(value);
                            });
                            self.gap();
                            self.push("}");
                        }
                    }
                    self.end_line();
                }
                self.close();
            }
        }
        self.end_line();
    }
}

/// Writes `model` out with the layout the noise chooses.
fn write_constitution(model: &ConstitutionM, noise: &[u8], crlf: bool, bom: bool) -> String {
    let mut o = Out {
        text: String::new(),
        noise,
        at: 0,
        depth: 0,
        eol: if crlf { "\r\n" } else { "\n" },
        pending_eol: false,
    };
    if bom {
        o.push("\u{FEFF}");
    }
    if o.roll() >= 200 {
        let c = o.comment();
        o.push(c);
        o.push(o.eol);
    }
    o.begin_line();
    o.push("constitution");
    o.gap();
    o.push(&model.name);
    o.open();
    for item in &model.items {
        o.item(item);
    }
    o.close();
    o.flush_eol();
    if o.roll() >= 220 {
        let c = o.comment();
        o.push(c);
    }
    o.text
}

fn valid_constitution() -> impl Strategy<Value = String> {
    (
        constitution_model(),
        prop::collection::vec(any::<u8>(), 0..600),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(model, noise, crlf, bom)| write_constitution(&model, &noise, crlf, bom))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// A well-formed constitution formats, idempotently, to text with the same tree, the
    /// same comments and the same diagnostics.
    #[test]
    fn valid_constitutions_format_safely(source in valid_constitution()) {
        let parsed = parse(&source);
        prop_assert!(
            parsed.ast.is_some() && !parsed.diagnostics.iter().any(Diagnostic::is_error),
            "the generator wrote an invalid constitution:\n{}\n--- diagnostics: {:#?}",
            source,
            parsed.diagnostics
        );
        assert_formats_safely(&source)?;
        assert_robust(&source)?;
    }
}

// ---------------------------------------------------------------------------------------
// Arbitrary input

/// The bundled constitutions, every `.lc` fixture, and the embedded example.
fn seeds() -> Vec<String> {
    fn collect(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "lc") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push(text);
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![include_str!("fixtures/properties/lc-example.lc").to_string()];
    collect(&root.join("constitutions"), &mut out);
    collect(&root.join("tests/fixtures"), &mut out);
    out
}

fn seed_texts() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(seeds)
}

/// Fragments worth inserting: brackets, half-tokens, huge numbers, odd characters.
const GARBAGE: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\\",
    "//",
    "£",
    "%",
    "-",
    "..",
    ".",
    ",",
    ":",
    "\n",
    "\r",
    "\t",
    "\u{FEFF}",
    "é",
    "✓",
    "\u{0}",
    "is missing",
    "not in [",
    "one of",
    "2025-13-45",
    "2024-02-29",
    "99999999999999999999",
    "£1,23",
    "£1.5",
    "12.",
    "1e5",
    "require no",
    "per quarter of",
    "duty x \"y\" {",
    "}}}}",
    "((((",
    "\"unterminated",
    "otherwise",
    "and",
    "or not",
    "period.",
    "expect a.b met",
    "a: -",
    "missing",
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    Truncate(usize),
    SwapTokens(usize, usize),
    Insert(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => any::<usize>().prop_map(Mutation::DeleteLine),
        2 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapTokens(a, b)),
        3 => (
            any::<usize>(),
            prop_oneof![select(GARBAGE).prop_map(String::from), ".{0,6}"]
        )
            .prop_map(|(at, g)| Mutation::Insert(at, g)),
    ]
}

/// The largest character boundary at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies `m`; positions are taken modulo the text's size.
fn apply(text: &str, m: &Mutation) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match m {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| *l)
                .collect()
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            let mut out = String::new();
            for (j, l) in lines.iter().enumerate() {
                out.push_str(l);
                if j == i {
                    if !l.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(l);
                }
            }
            out
        }
        Mutation::Truncate(at) => {
            let at = floor_boundary(text, at % (text.len() + 1));
            text[..at].to_string()
        }
        Mutation::SwapTokens(a, b) => {
            // Tokens: maximal runs of non-whitespace.
            let mut tokens = Vec::new();
            let mut start = None;
            for (i, c) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                match (start, c.is_whitespace()) {
                    (None, false) => start = Some(i),
                    (Some(s), true) => {
                        tokens.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if tokens.len() < 2 {
                return text.to_string();
            }
            let (mut x, mut y) = (tokens[a % tokens.len()], tokens[b % tokens.len()]);
            if x.0 > y.0 {
                std::mem::swap(&mut x, &mut y);
            }
            if x == y {
                return text.to_string();
            }
            format!(
                "{}{}{}{}{}",
                &text[..x.0],
                &text[y.0..y.1],
                &text[x.1..y.0],
                &text[x.0..x.1],
                &text[y.1..]
            )
        }
        Mutation::Insert(at, garbage) => {
            let at = floor_boundary(text, at % (text.len() + 1));
            format!("{}{garbage}{}", &text[..at], &text[at..])
        }
        _ => text.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    /// Random text never makes the library panic or point outside the text.
    #[test]
    fn arbitrary_text_is_handled(source in ".*") {
        assert_robust(&source)?;
    }

    /// Random bytes, read lossily, likewise.
    #[test]
    fn arbitrary_bytes_are_handled(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_robust(&String::from_utf8_lossy(&bytes))?;
    }

    /// Random text inside a valid outline reaches the clause parsers and the recovery.
    #[test]
    fn arbitrary_text_inside_a_constitution_is_handled(body in ".{0,200}", inner in ".{0,80}") {
        assert_robust(&format!("constitution \"x\" {{\n{body}\n}}\n"))?;
        assert_robust(&format!(
            "constitution \"x\" {{\n  right r \"R\" {{\n    duty d \"D\" {{\n      {inner}\n    }}\n  }}\n}}\n"
        ))?;
    }

    /// Mutations of the bundled constitutions and fixtures: deleted, duplicated and
    /// truncated lines, swapped tokens, inserted garbage. Whatever still formats must format
    /// safely.
    #[test]
    fn mutated_constitutions_are_handled(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seed_texts();
        let mut source = seed.get(seeds).clone();
        for m in &mutations {
            source = apply(&source, m);
        }
        assert_robust(&source)?;
    }
}

#[test]
fn the_seeds_are_found() {
    let seeds = seed_texts();
    assert!(seeds.len() >= 2, "found {} seed constitutions", seeds.len());
    for seed in seeds {
        // Every seed is at least robust; the bundled ones also format safely.
        if let Err(e) = assert_robust(seed) {
            panic!("{e}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: minimised inputs from the properties above and from `fuzz/`.

/// Runs the robustness properties on `source` and panics with their message.
fn robust(source: &str) {
    if let Err(e) = assert_robust(source) {
        panic!("{e}");
    }
}

#[test]
fn regression_files_are_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        robust(&String::from_utf8_lossy(&bytes));
    }
}

/// Formats `source` (which must format) with the safety properties, and returns the result.
fn formats_safely(source: &str) -> String {
    match assert_formats_safely(source) {
        Ok(formatted) => formatted,
        Err(e) => panic!("{e}"),
    }
}

/// The codes `check_source` reports for `source`.
fn codes(source: &str) -> Vec<&'static str> {
    check_source(source)
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn a_syntax_error_at_a_multibyte_character_does_not_split_it() {
    // Found by `arbitrary_text_is_handled` (`"¡"`) and `arbitrary_bytes_are_handled`
    // (`[128]`, read as U+FFFD): the span was one byte long.
    robust("¡");
    robust(&String::from_utf8_lossy(&[128]));
    robust("constitution é");
    let d = &parse("¡").diagnostics[0];
    assert_eq!((d.span.start, d.span.end), (0, "¡".len()));
}

#[test]
fn a_syntax_error_at_the_end_of_the_text_points_at_the_end() {
    // Found by `arbitrary_text_inside_a_constitution_is_handled` (a lone `{` in a duty) and
    // by truncated constitutions: the span ran one byte past the text.
    robust("constitution \"x\" {\n  right r \"R\" {\n    duty d \"D\" {\n      {\n    }\n  }\n}\n");
    robust("constitution \"x\" {");
    robust("constitution");
    let source = "constitution \"x\" {";
    let d = &parse(source).diagnostics[0];
    assert_eq!((d.span.start, d.span.end), (source.len(), source.len()));
}

#[test]
fn two_trailing_comments_on_a_text_stay_two_comments() {
    // Found by `valid_constitutions_format_safely`: both comments were appended to the last
    // line of the text, where they read back as one comment.
    let source = "constitution \"x\" {\n  responsibility \"a\" // first\n                 \"b\" // second\n}\n";
    let formatted = formats_safely(source);
    assert_eq!(
        formatted,
        "constitution \"x\" {\n  responsibility \"a\"\n                 \"b\"  // first\n  // second\n}\n"
    );
}

#[test]
fn a_trailing_comment_after_a_comment_line_stays_a_comment_of_its_own() {
    // Found by `valid_constitutions_format_safely`: an empty body block is written without
    // braces, so the comment inside it became the last line, and the comment after its `}`
    // was appended to that comment.
    let source = "constitution \"x\" {\n  body b \"B\" {\n  // inside\n  } // after\n}\n";
    let formatted = formats_safely(source);
    assert_eq!(
        formatted,
        "constitution \"x\" {\n  body b \"B\"\n  // inside\n  // after\n}\n"
    );
}

#[test]
fn a_second_description_or_contact_is_an_error_not_dropped() {
    // Found by review while writing the generator: a body or amendment kept only the last
    // `description` (or `contact`), so `fmt` deleted the first without a word.
    for source in [
        "constitution \"x\" {\n  body b \"B\" {\n    description \"one\"\n    description \"two\"\n  }\n}\n",
        "constitution \"x\" {\n  body b \"B\" {\n    contact \"one\"\n    contact \"two\"\n  }\n}\n",
        "constitution \"x\" {\n  amendment \"A\" effective 2026-01-01 {\n    description \"one\"\n    description \"two\"\n  }\n}\n",
        "constitution \"x\" {\n  right r \"R\" {\n    description \"one\"\n    description \"two\"\n  }\n}\n",
    ] {
        assert!(codes(source).contains(&"E102"), "{source}");
        assert!(format(source).is_err(), "{source}");
        robust(source);
    }
}

#[test]
fn a_minus_before_a_text_date_or_boolean_value_is_an_error_not_dropped() {
    // Found by review while writing the generator: `-` before a value that cannot be
    // negative was read and dropped, so `fmt` deleted it without a word.
    for value in ["-\"A1\"", "-2025-01-01", "-true"] {
        let source =
            format!("constitution \"x\" {{\n  test \"t\" {{\n    r {{ f: {value} }}\n  }}\n}}\n");
        assert!(codes(&source).contains(&"E003"), "{source}");
        robust(&source);
    }
    for value in ["-1", "-£1.50", "-5%", "-3 days"] {
        let source =
            format!("constitution \"x\" {{\n  test \"t\" {{\n    r {{ f: {value} }}\n  }}\n}}\n");
        assert!(!codes(&source).contains(&"E003"), "{source}");
        formats_safely(&source);
    }
}

#[test]
fn a_wrapped_one_of_list_with_a_description_keeps_its_indent() {
    // Found by review of the line wrapping: with a description, the wrapped lines of a long
    // `one of` list lost the block's indent, and the description's further parts were
    // padded by the length of the whole list.
    let source = "constitution \"x\" {\n  record r \"R\" {\n    kind one of \"aaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbbbbbb\", \"cccccccccccccccccccccccc\", \"dddddddddddddddddddddd\", \"eeeeeeeeeeee\" optional \"what it is\" \"more\"\n  }\n}\n";
    assert_eq!(
        formats_safely(source),
        "constitution \"x\" {
  record r \"R\" {
    kind one of \"aaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbbbbbb\", \"cccccccccccccccccccccccc\",
                \"dddddddddddddddddddddd\", \"eeeeeeeeeeee\" optional \"what it is\"
                                                                  \"more\"
  }
}
"
    );
}

#[test]
fn a_comment_naming_the_keyword_stays_on_its_clause() {
    // Found by review of the formatter: the keyword of a body's or amendment's description
    // was searched for backwards from the text, and found inside the comment after it, so
    // the comment moved to the line before (here the `repeal` line).
    let source = "constitution \"x\" {\n  amendment \"A\" effective 2026-01-01 {\n    repeal duty a.b\n    description // description\n      \"d\"\n  }\n  body b \"B\" {\n    contact // contact of the clerk\n      \"c\"\n  }\n}\n";
    assert_eq!(
        formats_safely(source),
        "constitution \"x\" {\n  amendment \"A\" effective 2026-01-01 {\n    repeal duty a.b\n    description \"d\"  // description\n  }\n  body b \"B\" {\n    contact \"c\"  // contact of the clerk\n  }\n}\n"
    );
}

#[test]
fn fields_named_key_or_optional_are_fields_not_marks() {
    // Found in review of the grammar: `key` and `optional` after a field's type were read as
    // marks even on the next line, so a field named `optional` was swallowed by the field
    // before it.
    let source = "constitution \"x\" {\n  record r \"R\" {\n    id text key\n    ward text\n    key text\n    optional date optional\n  }\n}\n";
    let parsed = constitution::parse(source);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let ast = parsed.ast.unwrap();
    let record = ast.record("r").unwrap();
    let fields: Vec<(&str, bool, bool)> = record
        .fields
        .iter()
        .map(|f| (f.name.name.as_str(), f.optional, f.key))
        .collect();
    assert_eq!(
        fields,
        [
            ("id", false, true),
            ("ward", false, false),
            ("key", false, false),
            ("optional", true, false)
        ]
    );
    assert!(formats_safely(source).contains("    optional date optional\n"));
}
