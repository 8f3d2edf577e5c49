//! Running the `test` blocks written inside a constitution: each test's inline records are
//! audited with the same engine as real data, and every `expect` is compared with the
//! verdict reached.

use crate::ast::{self, Constitution, FieldType, LitKind, TestItem};
use crate::compile::{compile, literal_value, Program};
use crate::diagnostic::Diagnostic;
use crate::eval::{outcome, Audit, Verdict};
use crate::value::Value;
use serde::Serialize;

/// How many failing keys tests keep per cell; tests are small.
const CAP: usize = 10;

/// One `expect` line and what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// `right.duty`
    pub duty: String,
    /// The verdict written.
    pub expected: String,
    /// The verdict reached (`missing` if the duty is not in force for the test's period).
    pub actual: String,
    /// Whether they agree.
    pub passed: bool,
    /// 1-based line of the `expect`.
    pub line: usize,
}

/// One test block and its results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// 1-based line of the test.
    pub line: usize,
    /// Each expectation.
    pub expectations: Vec<Expectation>,
}

impl TestResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.expectations.iter().all(|e| e.passed)
    }
}

/// Runs every test in `constitution`. Fails with the checker's errors if it has any.
pub fn run_tests(
    constitution: &Constitution,
    source: &str,
) -> Result<Vec<TestResult>, Vec<Diagnostic>> {
    let lines = crate::source::LineIndex::new(source);
    let mut results = Vec::new();
    for test in constitution.tests() {
        let period = test.items.iter().find_map(|i| match &i.node {
            TestItem::Period { from, to } => Some((from.value, to.value)),
            _ => None,
        });
        let on = period.and_then(|(_, to)| to);
        let program = compile(constitution, source, on)?;
        let (first, last) = program.calendar.range();
        let (start, end) = match period {
            Some((Some(a), Some(b))) => (a, b),
            _ => (first, last),
        };
        let mut audit = Audit::new(&program, start, end, CAP);
        for item in &test.items {
            if let TestItem::Record(record) = &item.node {
                offer(&program, &mut audit, record);
            }
        }
        audit.settle();
        let mut expectations = Vec::new();
        for item in &test.items {
            let TestItem::Expect { path, verdict } = &item.node else {
                continue;
            };
            let id = path.to_string();
            let actual = program
                .rights
                .iter()
                .enumerate()
                .flat_map(|(ri, r)| r.duties.iter().enumerate().map(move |(di, d)| (ri, di, d)))
                .find(|(_, _, d)| d.id == id)
                .and_then(|(ri, di, d)| {
                    let state = audit.states.get(ri)?.get(di)?;
                    Some(outcome(d, state, CAP).overall.verdict)
                });
            let actual_text = actual.map_or("missing", Verdict::as_str).to_string();
            expectations.push(Expectation {
                duty: id,
                expected: verdict.keyword().to_string(),
                passed: actual_text == verdict.keyword(),
                actual: actual_text,
                line: lines.position(item.span.start).line,
            });
        }
        results.push(TestResult {
            name: test.name.value(),
            line: lines.position(test.span.start).line,
            expectations,
        });
    }
    Ok(results)
}

/// Duties (as `right.duty`) that no test's `expect` names.
pub fn uncovered(constitution: &Constitution) -> Vec<String> {
    let expected: std::collections::HashSet<String> = constitution
        .tests()
        .flat_map(|t| t.items.iter())
        .filter_map(|i| match &i.node {
            TestItem::Expect { path, .. } => Some(path.to_string()),
            _ => None,
        })
        .collect();
    crate::version::latest(constitution)
        .rights
        .iter()
        .flat_map(|r| {
            r.duties
                .iter()
                .map(move |d| format!("{}.{}", r.name, d.name.name))
        })
        .filter(|id| !expected.contains(id))
        .collect()
}

/// Offers one inline record to the audit, typed by its declaration.
fn offer(program: &Program, audit: &mut Audit<'_>, record: &ast::TestRecord) {
    let Some(index) = program
        .records
        .iter()
        .position(|r| r.name == record.record.name)
    else {
        // No duty reads this record kind.
        return;
    };
    let Some(plan) = program.records.get(index) else {
        return;
    };
    let mut row = Vec::with_capacity(plan.fields.len());
    let mut problems = Vec::new();
    for (slot, field) in plan.fields.iter().enumerate() {
        let given = record
            .values
            .iter()
            .find(|(name, _)| name.name == field.name)
            .map(|(_, lit)| &lit.kind);
        let value = match given {
            None | Some(LitKind::Missing) => Value::Missing,
            Some(lit) => typed(lit, &field.ty),
        };
        if value == Value::Missing && !field.optional {
            problems.push((slot, format!("{}: missing", field.name)));
        }
        row.push(value);
    }
    audit.offer(index, &row, &problems);
}

/// A literal as a value of the field's type (a whole number in a `number` field, …).
fn typed(lit: &LitKind, ty: &FieldType) -> Value {
    match (literal_value(lit), ty) {
        (Value::Int(i), FieldType::Number) => Value::Num(i as f64),
        (Value::Int(i), FieldType::Percent) => Value::Percent(i as f64),
        (Value::Num(n), FieldType::Percent) => Value::Percent(n),
        (v, _) => v,
    }
}
