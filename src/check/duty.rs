//! Validators for one duty: its clauses, their references and their types.

use super::suggest;
use super::types::{present_after, Mode, Type, TypeChecker};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// Checks one duty (as it stands in some version) against the constitution's declarations.
pub fn check_duty(c: &Constitution, duty: &Duty) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_slot: HashMap<&str, &Spanned<Clause>> = HashMap::new();
    for clause in &duty.clauses {
        let slot = clause.node.slot();
        if let Some(first) = by_slot.get(slot) {
            let both_tests = matches!(first.node, Clause::Each { .. } | Clause::Measure { .. })
                && first.node.keyword() != clause.node.keyword();
            if both_tests {
                out.push(
                    Diagnostic::new(
                        Code::ConflictingTest,
                        clause.span,
                        format!("duty `{}` has both `each` and `measure`", duty.name.name),
                    )
                    .with_help("judge the duty record by record (`each`) or on an aggregate (`measure`), not both; split it into two duties if both matter"),
                );
            } else {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateClause,
                        clause.span,
                        format!(
                            "duty `{}` has more than one `{}` clause",
                            duty.name.name,
                            clause.node.keyword()
                        ),
                    )
                    .with_help("keep one; to change a duty from a date, write an amendment"),
                );
            }
            continue;
        }
        by_slot.insert(slot, clause);
    }

    let clause = |slot: &str| by_slot.get(slot).map(|c| &c.node);

    // Who owes it, and under which law.
    for (slot, what, example) in [
        ("owed by", "does not say who owes it", "owed by council"),
        (
            "basis",
            "does not give its legal basis",
            "basis \"Freedom of Information Act 2000 s.10(1)\"",
        ),
        ("description", "has no description", "description \"…\""),
    ] {
        if clause(slot).is_none() {
            out.push(
                Diagnostic::new(
                    Code::MissingClause,
                    duty.name.span,
                    format!("duty `{}` {what}", duty.name.name),
                )
                .with_help(format!("add `{example}`")),
            );
        }
    }
    if let Some(Clause::OwedBy { bodies }) = clause("owed by") {
        for b in bodies {
            check_body(c, b, &mut out);
        }
    }

    // The population.
    let mut record = None;
    let mut tc = TypeChecker::new(None);
    if let Some(Clause::Over {
        record: name,
        filter,
    }) = clause("over")
    {
        record = c.record(&name.name);
        if record.is_none() {
            let help = match suggest(&name.name, c.records().map(|r| r.name.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("declare it with `record {} \"Title\" {{ … }}`", name.name),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownRecord,
                    name.span,
                    format!("there is no record `{}`", name.name),
                )
                .with_help(help),
            );
        }
        tc = TypeChecker::new(record);
        if let Some(filter) = filter {
            tc.condition(filter, Mode::PerRecord);
            vacuous(filter, "this filter", &mut out);
            tc.present.extend(present_after(filter, false));
        }
    }
    // Without a known record, field references cannot be checked; `TypeChecker` with no
    // record accepts them silently so the unknown record is reported once.

    // The test.
    let each = match clause("test") {
        Some(Clause::Each { condition }) => {
            tc.condition(condition, Mode::PerRecord);
            vacuous(condition, "this test", &mut out);
            Some(true)
        }
        Some(Clause::Measure { measure }) => {
            let typed = tc.infer(measure, Mode::Aggregate);
            let measured = typed.ty;
            if matches!(measured, Type::Boolean | Type::Text | Type::Enum(_)) {
                out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        measure.span,
                        format!("a measure must be a quantity, not {}", measured.describe()),
                    )
                    .with_help("measure a count, sum, mean, median, minimum, maximum or ratio"),
                );
            }
            if let Some(require) = by_slot.get("require") {
                if let Clause::Require { requirement } = &require.node {
                    let ratio = is_ratio(measure);
                    check_measure_requirement(
                        &measured,
                        ratio,
                        requirement,
                        require.span,
                        &mut out,
                    );
                }
            }
            Some(false)
        }
        _ => None,
    };
    if each == Some(true) {
        if let Some(Clause::Require { requirement }) = clause("require") {
            check_share_requirement(requirement, &mut out);
        }
    }

    // Groups and periods.
    if let Some(Clause::PerGroup { field }) = clause("per") {
        if let Some(f) = field_of(record, field, &mut out) {
            if matches!(
                f.ty,
                FieldType::Date | FieldType::Number | FieldType::Money | FieldType::Percent
            ) {
                let help = if f.ty == FieldType::Date {
                    format!("to divide by time, write `per quarter of {}`", field.name)
                } else {
                    "group by a text, one-of, whole-number or yes/no field such as `ward`".into()
                };
                out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        field.span,
                        format!(
                            "cannot group by `{}`, which is {}",
                            field.name,
                            Type::of_field(&f.ty).describe()
                        ),
                    )
                    .with_help(help),
                );
            }
            optional_grouping(f, field, &tc, &mut out);
        }
    }
    if let Some(Clause::PerPeriod { field, unit }) = clause("per … of") {
        if let Some(f) = field_of(record, field, &mut out) {
            if f.ty != FieldType::Date {
                out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        field.span,
                        format!(
                            "`per {} of` needs a date field, and `{}` is {}",
                            unit.keyword(),
                            field.name,
                            Type::of_field(&f.ty).describe()
                        ),
                    )
                    .with_help("name the date that places a record in a period, e.g. `received`"),
                );
            }
            optional_grouping(f, field, &tc, &mut out);
        }
    }

    // Consequences.
    if let Some(Clause::OnBreach { body }) = clause("on breach") {
        if let Some(b) = check_body(c, body, &mut out) {
            if !b.audit_committee {
                out.push(
                    Diagnostic::new(
                        Code::ReferralNotAudit,
                        body.span,
                        format!("breaches are referred to `{}`, which is not the audit committee", body.name),
                    )
                    .with_help("refer breaches to the body marked `audit_committee`, the independent Local Public Audit Committee"),
                );
            }
        }
    }
    if let Some(slot) = by_slot.get("on … consecutive breaches") {
        if clause("per … of").is_none() {
            out.push(
                Diagnostic::new(
                    Code::ReviewWithoutPeriods,
                    slot.span,
                    "consecutive breaches are counted in periods, but this duty has none",
                )
                .with_help("add `per quarter of <date field>` (or month, year)"),
            );
        }
        if let Clause::OnReview { after: 0 } = slot.node {
            out.push(
                Diagnostic::new(
                    Code::InvalidRequirement,
                    slot.span,
                    "a review after 0 consecutive breaches makes no sense",
                )
                .with_help("use 1 or more"),
            );
        }
    }

    // Can it be checked at all?
    let mut missing = Vec::new();
    if clause("over").is_none() {
        missing.push("`over RECORD`");
    }
    if each.is_none() {
        missing.push("`each CONDITION` (or `measure AGGREGATE`)");
    }
    if clause("require").is_none() {
        missing.push("`require …`");
    }
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                Code::NotCheckable,
                duty.name.span,
                format!("duty `{}` has no checkable test", duty.name.name),
            )
            .with_help(format!("add {}", missing.join(" and "))),
        );
    }

    out.extend(tc.diagnostics);
    out
}

fn check_body<'c>(
    c: &'c Constitution,
    name: &Ident,
    out: &mut Vec<Diagnostic>,
) -> Option<&'c Body> {
    let body = c.bodies().find(|b| b.name.name == name.name);
    if body.is_none() {
        let help = match suggest(&name.name, c.bodies().map(|b| b.name.name.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("declare it with `body {} \"Full name\"`", name.name),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownBody,
                name.span,
                format!("there is no body `{}`", name.name),
            )
            .with_help(help),
        );
    }
    body
}

fn field_of<'r>(
    record: Option<&'r Record>,
    field: &Ident,
    out: &mut Vec<Diagnostic>,
) -> Option<&'r Field> {
    let record = record?;
    let found = record.field(&field.name);
    if found.is_none() {
        let help = match suggest(
            &field.name,
            record.fields.iter().map(|f| f.name.name.as_str()),
        ) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("declare it in `record {}`", record.name.name),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownField,
                field.span,
                format!(
                    "record `{}` has no field `{}`",
                    record.name.name, field.name
                ),
            )
            .with_help(help),
        );
    }
    found
}

fn optional_grouping(f: &Field, name: &Ident, tc: &TypeChecker<'_>, out: &mut Vec<Diagnostic>) {
    if f.optional && !tc.present.contains(&name.name) {
        out.push(
            Diagnostic::new(
                Code::UnhandledMissing,
                name.span,
                format!(
                    "`{}` may be missing, so some records would belong to no group",
                    name.name
                ),
            )
            .with_help(format!(
                "filter them out with `where {} is present`, or declare the field required",
                name.name
            )),
        );
    }
}

fn percent_range(t: &Threshold, out: &mut Vec<Diagnostic>) {
    if let LitKind::Percent(d) = &t.value {
        if d.to_f64() > 100.0 || d.mantissa < 0 {
            out.push(
                Diagnostic::new(
                    Code::PercentOutOfRange,
                    t.span,
                    format!("`{d}%` is outside 0% to 100%"),
                )
                .with_help("a share of records is between 0% and 100%"),
            );
        }
    }
}

/// `each` duties require a share of records: `every`, `no`, `at least N%`, `at most N%`.
fn check_share_requirement(requirement: &Requirement, out: &mut Vec<Diagnostic>) {
    match requirement {
        Requirement::Every | Requirement::No => {}
        Requirement::AtLeast(t) | Requirement::AtMost(t) => {
            if matches!(t.value, LitKind::Percent(_)) {
                percent_range(t, out);
            } else {
                out.push(
                    Diagnostic::new(
                        Code::InvalidRequirement,
                        t.span,
                        "with `each`, the requirement is a share of records, a percentage",
                    )
                    .with_help("write e.g. `require at least 90%`; to count records, use `measure count(…)`"),
                );
            }
        }
        Requirement::MoreThan(t) | Requirement::LessThan(t) => out.push(
            Diagnostic::new(
                Code::InvalidRequirement,
                t.span,
                "with `each`, write `every`, `no`, `at least N%` or `at most N%`",
            )
            .with_help("`more than` and `less than` are for measures"),
        ),
    }
}

/// `measure` duties compare the measure with a threshold of the same kind.
/// Whether a measure is a ratio (`a / b` at the top), which may be compared with a
/// percentage: `sum(votes_cast) / sum(electorate)` against `40%`.
fn is_ratio(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Paren { inner } => is_ratio(inner),
        ExprKind::Binary {
            op: BinaryOp::Div, ..
        } => true,
        _ => false,
    }
}

fn check_measure_requirement(
    measured: &Type,
    ratio: bool,
    requirement: &Requirement,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let threshold = match requirement {
        Requirement::Every | Requirement::No => {
            out.push(
                Diagnostic::new(
                    Code::InvalidRequirement,
                    span,
                    "`every` and `no` apply to `each` tests, not to a measure",
                )
                .with_help("write `require at least …` or `require at most …`"),
            );
            return;
        }
        Requirement::AtLeast(t)
        | Requirement::AtMost(t)
        | Requirement::MoreThan(t)
        | Requirement::LessThan(t) => t,
    };
    percent_range(threshold, out);
    let given = Type::of_literal(&threshold.value);
    let fits = matches!(
        (measured, &given),
        (Type::Error, _)
            | (Type::Integer | Type::Number, Type::Integer | Type::Number)
            | (Type::Percent, Type::Percent)
            | (Type::Money, Type::Money)
            | (Type::Duration, Type::Duration)
    ) || (ratio && matches!((measured, &given), (Type::Number, Type::Percent)));
    if !fits {
        let example = match measured {
            Type::Percent => "`40%`",
            Type::Money => "`£500`",
            Type::Duration => "`42 days`",
            Type::Date => {
                "nothing: a date cannot be a threshold; measure a duration or a count instead"
            }
            _ => "a number",
        };
        out.push(
            Diagnostic::new(
                Code::InvalidRequirement,
                threshold.span,
                format!(
                    "the measure is {} but the threshold is {}",
                    measured.describe(),
                    given.describe()
                ),
            )
            .with_help(format!("write the threshold as {example}")),
        );
    }
}

/// Warns about conditions that are constant, or contradict themselves.
fn vacuous(expr: &Expr, what: &str, out: &mut Vec<Diagnostic>) {
    if let Some(value) = constant(expr) {
        out.push(
            Diagnostic::new(
                Code::VacuousFilter,
                expr.span,
                format!("{what} is always {}", if value { "true" } else { "false" }),
            )
            .with_help(if value {
                "remove it, or write the condition intended"
            } else {
                "no record can pass; write the condition intended"
            }),
        );
        return;
    }
    // `f == "a" and f == "b"`: two different required values for one field.
    let mut equalities: Vec<(&str, &LitKind)> = Vec::new();
    conjunct_equalities(expr, &mut equalities);
    for (i, (field, value)) in equalities.iter().enumerate() {
        if let Some((_, other)) = equalities
            .iter()
            .skip(i + 1)
            .find(|(f, v)| f == field && v != value)
        {
            out.push(
                Diagnostic::new(
                    Code::VacuousFilter,
                    expr.span,
                    format!(
                        "{what} can never be true: `{field}` cannot equal both {} and {}",
                        show(value),
                        show(other)
                    ),
                )
                .with_help(format!("perhaps `or` was meant, or `{field} in [ … ]`")),
            );
            return;
        }
    }
}

fn show(lit: &LitKind) -> String {
    match lit {
        LitKind::Text(t) => format!("\"{t}\""),
        LitKind::Number(d) => d.to_string(),
        LitKind::Boolean(b) => b.to_string(),
        _ => "another value".into(),
    }
}

fn conjunct_equalities<'e>(expr: &'e Expr, out: &mut Vec<(&'e str, &'e LitKind)>) {
    match &expr.kind {
        ExprKind::Paren { inner } => conjunct_equalities(inner, out),
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            conjunct_equalities(lhs, out);
            conjunct_equalities(rhs, out);
        }
        ExprKind::Binary {
            op: BinaryOp::Eq,
            lhs,
            rhs,
        } => match (&lhs.kind, &rhs.kind) {
            (ExprKind::Field { name }, ExprKind::Literal { value })
            | (ExprKind::Literal { value }, ExprKind::Field { name }) => out.push((name, value)),
            _ => {}
        },
        _ => {}
    }
}

/// The value of a condition that does not depend on any record, if it is constant.
fn constant(expr: &Expr) -> Option<bool> {
    match &expr.kind {
        ExprKind::Literal {
            value: LitKind::Boolean(b),
        } => Some(*b),
        ExprKind::Paren { inner } => constant(inner),
        ExprKind::In { list, negated, .. } => match &list.kind {
            ExprKind::List { items } if items.is_empty() => Some(*negated),
            _ => None,
        },
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => constant(operand).map(|b| !b),
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::And => match (constant(lhs), constant(rhs)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            BinaryOp::Or => match (constant(lhs), constant(rhs)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            op if op.is_comparison() => match (&lhs.kind, &rhs.kind) {
                (ExprKind::Literal { value: a }, ExprKind::Literal { value: b }) => {
                    compare_literals(*op, a, b)
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn compare_literals(op: BinaryOp, a: &LitKind, b: &LitKind) -> Option<bool> {
    use std::cmp::Ordering;
    let ordering: Ordering = match (a, b) {
        (LitKind::Number(x), LitKind::Number(y)) | (LitKind::Percent(x), LitKind::Percent(y)) => {
            x.to_f64().partial_cmp(&y.to_f64())?
        }
        (LitKind::Money(x), LitKind::Money(y)) => x.cmp(y),
        (LitKind::Text(x), LitKind::Text(y)) if matches!(op, BinaryOp::Eq | BinaryOp::Ne) => {
            x.cmp(y)
        }
        (LitKind::Boolean(x), LitKind::Boolean(y)) if matches!(op, BinaryOp::Eq | BinaryOp::Ne) => {
            x.cmp(y)
        }
        (LitKind::Date(x), LitKind::Date(y)) => x.value?.cmp(&y.value?),
        _ => return None,
    };
    Some(match op {
        BinaryOp::Eq => ordering == Ordering::Equal,
        BinaryOp::Ne => ordering != Ordering::Equal,
        BinaryOp::Lt => ordering == Ordering::Less,
        BinaryOp::Le => ordering != Ordering::Greater,
        BinaryOp::Gt => ordering == Ordering::Greater,
        BinaryOp::Ge => ordering != Ordering::Less,
        _ => return None,
    })
}
