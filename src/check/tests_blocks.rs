//! Validators for `test` blocks: inline records match their declarations, expectations
//! name duties that exist.

use super::suggest;
use super::types::Type;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::version::Version;

/// Checks every test block against the declarations and the versions of the constitution.
pub fn check_tests(c: &Constitution, versions: &[Version]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for test in c.tests() {
        let mut expectations = 0;
        // A test is judged on the version in force on the last day of its period.
        let judged_on = test.items.iter().find_map(|i| match &i.node {
            TestItem::Period { to, .. } => to.value,
            _ => None,
        });
        let in_force = judged_on.map(|d| crate::version::in_force(c, d));
        for item in &test.items {
            match &item.node {
                TestItem::Period { from, to } => {
                    if let (Some(a), Some(b)) = (from.value, to.value) {
                        if b < a {
                            out.push(
                                Diagnostic::new(
                                    Code::InvalidLiteral,
                                    item.span,
                                    format!(
                                        "the period ends ({}) before it starts ({})",
                                        to.text, from.text
                                    ),
                                )
                                .with_help("write the first day, then `..`, then the last day"),
                            );
                        }
                    }
                }
                TestItem::Record(r) => record(c, r, &mut out),
                TestItem::Expect { path, .. } => {
                    expectations += 1;
                    let exists = versions
                        .iter()
                        .any(|v| v.duty(&path.right.name, &path.duty.name).is_some());
                    if exists {
                        if let (Some(version), Some(on)) = (&in_force, judged_on) {
                            if version.duty(&path.right.name, &path.duty.name).is_none() {
                                out.push(
                                    Diagnostic::new(
                                        Code::UnknownDuty,
                                        path.span,
                                        format!("duty `{path}` is not in force on {on}, the last day of this test's period"),
                                    )
                                    .with_help("move the test's period to when the duty is in force, or expect another duty"),
                                );
                            }
                        }
                    } else {
                        let candidates: Vec<String> = versions
                            .iter()
                            .flat_map(|v| {
                                v.rights.iter().flat_map(|r| {
                                    r.duties
                                        .iter()
                                        .map(move |d| format!("{}.{}", r.name, d.name.name))
                                })
                            })
                            .collect();
                        let wanted = path.to_string();
                        let help = match suggest(&wanted, candidates.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "write the duty as `right.duty`, exactly as declared".into(),
                        };
                        out.push(
                            Diagnostic::new(
                                Code::UnknownDuty,
                                path.span,
                                format!("there is no duty `{wanted}`"),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
        if expectations == 0 {
            out.push(
                Diagnostic::new(
                    Code::TestWithoutExpectation,
                    test.name.span,
                    format!("test \"{}\" expects nothing, so it can never fail", test.name.value()),
                )
                .with_help("add `expect right.duty met` (or breached, insufficient_evidence, not_applicable)"),
            );
        }
    }
    out
}

fn record(c: &Constitution, r: &TestRecord, out: &mut Vec<Diagnostic>) {
    let Some(declared) = c.record(&r.record.name) else {
        let help = match suggest(&r.record.name, c.records().map(|x| x.name.name.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "a test record starts with the name of a declared record".into(),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownRecord,
                r.record.span,
                format!("there is no record `{}`", r.record.name),
            )
            .with_help(help),
        );
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for (name, value) in &r.values {
        if !seen.insert(name.name.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::Duplicate,
                    name.span,
                    format!("field `{}` is given twice", name.name),
                )
                .with_help("give each field once"),
            );
        }
        let Some(field) = declared.field(&name.name) else {
            let help = match suggest(
                &name.name,
                declared.fields.iter().map(|f| f.name.name.as_str()),
            ) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("declare it in `record {}`", declared.name.name),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownField,
                    name.span,
                    format!(
                        "record `{}` has no field `{}`",
                        declared.name.name, name.name
                    ),
                )
                .with_help(help),
            );
            continue;
        };
        if value.kind == LitKind::Missing {
            continue;
        }
        let expected = Type::of_field(&field.ty);
        let given = Type::of_literal(&value.kind);
        let fits = match (&expected, &given) {
            (Type::Number, Type::Integer) => true,
            (Type::Enum(values), Type::Text) => {
                if let LitKind::Text(t) = &value.kind {
                    if !values.contains(t) {
                        out.push(
                            Diagnostic::new(
                                Code::UnknownEnumValue,
                                value.span,
                                format!("\"{t}\" is not one of the values of `{}`", name.name),
                            )
                            .with_help(format!("use {}", expected.describe())),
                        );
                    }
                }
                true
            }
            (a, b) => a == b,
        };
        if !fits {
            out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    value.span,
                    format!(
                        "`{}` is {}, but this value is {}",
                        name.name,
                        expected.describe(),
                        given.describe()
                    ),
                )
                .with_help("write the value as the field's type, or `missing`"),
            );
        }
    }
}
