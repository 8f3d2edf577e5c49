//! Plain words for the clauses the engine runs.
//!
//! `doc` publishes each duty's promise in words ("In every quarter (counted by received), at
//! least 90% of the information requests where regime is “foia” meet this: responded is
//! within 20 working days of received") and `diff` describes changes in the same words. Both
//! generate them here, from the same AST the compiler reads, so the published promise and
//! the checked rule cannot drift. Every expression form has words; an expression too long
//! to read well in words (more than [`MAX_OPERATORS`] operators) is given as written,
//! faithfully, rather than shortened.

use crate::ast::{
    BinaryOp, Clause, Constitution, DateLit, Decimal, DurationUnit, Duty, Expr, ExprKind,
    FieldType, LitKind, PeriodBound, PeriodUnit, Record, Requirement, UnaryOp,
};
use crate::format;

/// Expressions with more operators than this are quoted as written instead of put in words.
pub const MAX_OPERATORS: usize = 8;

/// The duty's clauses, by slot.
#[derive(Debug, Clone, Copy, Default)]
pub struct DutyParts<'a> {
    /// `over RECORD` and its filter.
    pub over: Option<(&'a str, Option<&'a Expr>)>,
    /// `each CONDITION`.
    pub each: Option<&'a Expr>,
    /// `measure FIGURE`.
    pub measure: Option<&'a Expr>,
    /// `require …`.
    pub require: Option<&'a Requirement>,
    /// `per FIELD`.
    pub per_group: Option<&'a str>,
    /// `per UNIT of FIELD`.
    pub per_period: Option<(PeriodUnit, &'a str)>,
}

impl<'a> DutyParts<'a> {
    /// The slots of `duty`.
    pub fn of(duty: &'a Duty) -> Self {
        let mut parts = DutyParts::default();
        for clause in &duty.clauses {
            match &clause.node {
                Clause::Over { record, filter } => {
                    parts.over = Some((record.name.as_str(), filter.as_ref()));
                }
                Clause::Each { condition } => parts.each = Some(condition),
                Clause::Measure { measure } => parts.measure = Some(measure),
                Clause::Require { requirement } => parts.require = Some(requirement),
                Clause::PerGroup { field } => parts.per_group = Some(field.name.as_str()),
                Clause::PerPeriod { unit, field } => {
                    parts.per_period = Some((*unit, field.name.as_str()));
                }
                _ => {}
            }
        }
        parts
    }
}

/// The promise a duty makes, in one sentence, or `None` when the duty cannot be checked
/// (it lacks `over`, a test or `require`).
pub fn promise(duty: &Duty, constitution: &Constitution) -> Option<String> {
    let parts = DutyParts::of(duty);
    let (record_name, filter) = parts.over?;
    let require = parts.require?;
    let record = constitution.record(record_name);
    let mut population = format!("the {}", record_words(record_name, record));
    if let Some(filter) = filter {
        population.push_str(&format!(" where {}", condition(filter, record)));
    }
    let body = if let Some(each) = parts.each {
        let test = condition(each, record);
        match require {
            Requirement::Every => format!("every one of {population} meets this: {test}"),
            Requirement::No => format!("none of {population} may meet this: {test}"),
            Requirement::AtLeast(t) => {
                format!(
                    "at least {} of {population} meet this: {test}",
                    threshold(&t.value)
                )
            }
            Requirement::AtMost(t) => {
                format!(
                    "at most {} of {population} meet this: {test}",
                    threshold(&t.value)
                )
            }
            Requirement::MoreThan(t) => format!(
                "more than {} of {population} meet this: {test}",
                threshold(&t.value)
            ),
            Requirement::LessThan(t) => format!(
                "less than {} of {population} meet this: {test}",
                threshold(&t.value)
            ),
        }
    } else {
        let measure = parts.measure?;
        format!(
            "over {population}, {} {}",
            value(measure, record),
            measure_requirement(require)
        )
    };
    let sentence = match grouping(&parts) {
        Some(groups) => format!("{groups}, {body}."),
        None => format!("{body}."),
    };
    Some(capitalise(&sentence))
}

/// "in every ward and in every quarter (counted by received)", or `None` when the duty is
/// judged as a whole.
pub fn grouping(parts: &DutyParts<'_>) -> Option<String> {
    let group = parts
        .per_group
        .map(|f| format!("in every {}", field_words(f)));
    let period = parts.per_period.map(|(unit, f)| {
        format!(
            "in every {} (counted by {})",
            period_words(unit),
            field_words(f)
        )
    });
    match (group, period) {
        (Some(g), Some(p)) => Some(format!("{g} and {p}")),
        (Some(g), None) => Some(g),
        (None, Some(p)) => Some(p),
        (None, None) => None,
    }
}

/// A period unit in words: "month", "quarter", "financial year".
pub fn period_words(unit: PeriodUnit) -> &'static str {
    match unit {
        PeriodUnit::Month => "month",
        PeriodUnit::Quarter => "quarter",
        PeriodUnit::Year => "financial year",
    }
}

/// What a `measure` must be: "is at least 40%".
pub fn measure_requirement(r: &Requirement) -> String {
    match r {
        Requirement::AtLeast(t) => format!("is at least {}", threshold(&t.value)),
        Requirement::AtMost(t) => format!("is at most {}", threshold(&t.value)),
        Requirement::MoreThan(t) => format!("is more than {}", threshold(&t.value)),
        Requirement::LessThan(t) => format!("is less than {}", threshold(&t.value)),
        // Not valid with a measure (E207); say what is written.
        other => format!("meets `require {}`", format::requirement_text(other)),
    }
}

/// A requirement in words, as a reader compares two of them: "at least 90%", "every record".
pub fn requirement(r: &Requirement) -> String {
    match r {
        Requirement::Every => "every record".into(),
        Requirement::No => "no record".into(),
        Requirement::AtLeast(t) => format!("at least {}", threshold(&t.value)),
        Requirement::AtMost(t) => format!("at most {}", threshold(&t.value)),
        Requirement::MoreThan(t) => format!("more than {}", threshold(&t.value)),
        Requirement::LessThan(t) => format!("less than {}", threshold(&t.value)),
    }
}

fn threshold(lit: &LitKind) -> String {
    literal(lit)
}

/// A record kind in words: its title, with a leading capital lowered when the title does
/// not start with a proper name ("Households placed…" → "households placed…", but
/// "Freedom of Information requests" stays).
pub fn record_words(name: &str, record: Option<&Record>) -> String {
    let Some(record) = record else {
        return field_words(name);
    };
    let title = record.title.value();
    let proper = title
        .split_whitespace()
        .skip(1)
        .take(2)
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    let mut chars = title.chars();
    match chars.next() {
        Some(first) if !proper && !chars.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => title,
    }
}

/// A field's name in words: underscores become spaces.
pub fn field_words(name: &str) -> String {
    name.replace('_', " ")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A date in words: "1 April 2025".
pub fn date_words(date: &DateLit) -> String {
    match date.value {
        Some(d) => format!("{} {} {}", d.day(), d.month(), d.year()),
        None => date.text.clone(),
    }
}

/// A literal in words.
pub fn literal(lit: &LitKind) -> String {
    match lit {
        LitKind::Number(d) => number(*d),
        LitKind::Percent(d) => format!("{d}%"),
        LitKind::Money(p) => format::money(*p),
        LitKind::Date(d) => date_words(d),
        LitKind::Duration { .. } => format::literal(lit),
        LitKind::Text(s) => format!("“{s}”"),
        LitKind::Boolean(true) => "yes".into(),
        LitKind::Boolean(false) => "no".into(),
        LitKind::Missing => "missing".into(),
    }
}

/// A number, with thousands grouped when it is a whole number of five digits or more.
fn number(d: Decimal) -> String {
    if d.scale != 0 || d.mantissa.unsigned_abs() < 10_000 {
        return d.to_string();
    }
    let digits = d.mantissa.unsigned_abs().to_string();
    let mut out = String::new();
    if d.mantissa < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn operators(e: &Expr) -> usize {
    match &e.kind {
        ExprKind::Literal { .. } | ExprKind::Field { .. } | ExprKind::Period { .. } => 0,
        ExprKind::List { items } => items.iter().map(operators).sum(),
        ExprKind::Call { args, .. } => args.iter().map(operators).sum(),
        ExprKind::Unary { operand, .. } | ExprKind::IsMissing { operand, .. } => {
            1 + operators(operand)
        }
        ExprKind::Binary { lhs, rhs, .. } => 1 + operators(lhs) + operators(rhs),
        ExprKind::In { operand, list, .. } => 1 + operators(operand) + operators(list),
        ExprKind::Paren { inner } => operators(inner),
    }
}

/// A condition in words. Too long a condition is quoted as written.
pub fn condition(e: &Expr, record: Option<&Record>) -> String {
    if operators(e) > MAX_OPERATORS {
        return format!("the condition `{}`", format::expr(e));
    }
    Words { record }.condition(e)
}

/// A value or figure in words. Too long a figure is quoted as written.
pub fn value(e: &Expr, record: Option<&Record>) -> String {
    if operators(e) > MAX_OPERATORS {
        return format!("the figure `{}`", format::expr(e));
    }
    Words { record }.value(e)
}

struct Words<'a> {
    record: Option<&'a Record>,
}

fn strip(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Paren { inner } => strip(inner),
        _ => e,
    }
}

impl Words<'_> {
    fn field_type(&self, name: &str) -> Option<&FieldType> {
        self.record.and_then(|r| r.field(name)).map(|f| &f.ty)
    }

    fn is_date(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Field { name } => matches!(self.field_type(name), Some(FieldType::Date)),
            ExprKind::Period { .. } => true,
            ExprKind::Literal { value } => matches!(value, LitKind::Date(_)),
            ExprKind::Paren { inner } => self.is_date(inner),
            ExprKind::Binary {
                op: BinaryOp::Add | BinaryOp::Sub,
                lhs,
                rhs,
            } => self.is_date(lhs) != self.is_date(rhs),
            ExprKind::Binary {
                op: BinaryOp::Otherwise,
                lhs,
                ..
            } => self.is_date(lhs),
            _ => false,
        }
    }

    fn is_boolean_field(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Field { name } => matches!(self.field_type(name), Some(FieldType::Boolean)),
            _ => false,
        }
    }

    fn condition(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Paren { inner } => match &strip(inner).kind {
                ExprKind::Binary {
                    op: BinaryOp::And | BinaryOp::Or,
                    ..
                } => format!("({})", self.condition(inner)),
                _ => self.condition(inner),
            },
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                lhs,
                rhs,
            } => format!(
                "{} {} {}",
                self.condition(lhs),
                op.symbol(),
                self.condition(rhs)
            ),
            ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                self.comparison(*op, lhs, rhs)
            }
            ExprKind::Binary {
                op: BinaryOp::Otherwise,
                lhs,
                rhs,
            } => format!(
                "{} (when {} is missing, {} is taken)",
                self.condition(lhs),
                self.value(lhs),
                self.value(rhs)
            ),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => {
                if self.is_boolean_field(strip(operand)) {
                    format!("{} is no", self.value(operand))
                } else {
                    format!("it is not the case that {}", self.condition(operand))
                }
            }
            ExprKind::IsMissing { operand, negated } => format!(
                "{} is {}",
                self.value(operand),
                if *negated { "recorded" } else { "missing" }
            ),
            ExprKind::In {
                operand,
                list,
                negated,
            } => format!(
                "{} is {} {}",
                self.value(operand),
                if *negated { "none of" } else { "one of" },
                self.list(list)
            ),
            ExprKind::Field { .. } => format!("{} is yes", self.value(e)),
            _ => self.value(e),
        }
    }

    fn list(&self, list: &Expr) -> String {
        let items: Vec<String> = match &list.kind {
            ExprKind::List { items } => items.iter().map(|i| self.value(i)).collect(),
            _ => vec![self.value(list)],
        };
        match items.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => "nothing".into(),
        }
    }

    fn comparison(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> String {
        let l = strip(lhs);
        // `working_days(a, b) <= n`: "b is within n working days of a".
        if let (ExprKind::Call { name, args }, BinaryOp::Le | BinaryOp::Lt) = (&l.kind, op) {
            if let ([from, to], "working_days" | "days") = (args.as_slice(), name.name.as_str()) {
                let unit = if name.name == "days" {
                    "days"
                } else {
                    "working days"
                };
                let within = if op == BinaryOp::Le {
                    "within"
                } else {
                    "within fewer than"
                };
                return format!(
                    "{} is {within} {} {unit} of {}",
                    self.value(to),
                    self.value(rhs),
                    self.value(from)
                );
            }
        }
        // `b - a <= 6 weeks` with dates: "b is within 6 weeks of a".
        if let ExprKind::Binary {
            op: BinaryOp::Sub,
            lhs: later,
            rhs: earlier,
        } = &l.kind
        {
            if self.is_date(later) && self.is_date(earlier) {
                let (later, earlier) = (self.value(later), self.value(earlier));
                let span = self.value(rhs);
                let phrase = match op {
                    BinaryOp::Le => format!("{later} is within {span} of {earlier}"),
                    BinaryOp::Lt => format!("{later} is less than {span} after {earlier}"),
                    BinaryOp::Ge => format!("{later} is at least {span} after {earlier}"),
                    BinaryOp::Gt => format!("{later} is more than {span} after {earlier}"),
                    BinaryOp::Eq => format!("{later} is exactly {span} after {earlier}"),
                    _ => format!("{later} is not exactly {span} after {earlier}"),
                };
                return phrase;
            }
        }
        let words = if self.is_date(lhs) || self.is_date(rhs) {
            match op {
                BinaryOp::Le => "is on or before",
                BinaryOp::Lt => "is before",
                BinaryOp::Ge => "is on or after",
                BinaryOp::Gt => "is after",
                BinaryOp::Eq => "is",
                _ => "is not",
            }
        } else {
            match op {
                BinaryOp::Le => "is at most",
                BinaryOp::Lt => "is less than",
                BinaryOp::Ge => "is at least",
                BinaryOp::Gt => "is more than",
                BinaryOp::Eq => "is",
                _ => "is not",
            }
        };
        format!("{} {words} {}", self.value(lhs), self.value(rhs))
    }

    fn value(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Literal { value } => literal(value),
            ExprKind::Field { name } => field_words(name),
            ExprKind::Period { bound } => match bound {
                PeriodBound::Start => "the first day of the audit period".into(),
                PeriodBound::End => "the last day of the audit period".into(),
            },
            ExprKind::List { .. } => self.list(e),
            ExprKind::Call { name, args } => self.call(&name.name, args),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => format!("minus {}", self.value(operand)),
            ExprKind::Paren { inner } => match &strip(inner).kind {
                ExprKind::Binary { op, .. }
                    if matches!(
                        op,
                        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div
                    ) && !self.is_date(inner) =>
                {
                    format!("({})", self.value(inner))
                }
                _ => self.value(inner),
            },
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinaryOp::Otherwise => format!(
                    "{} (or {} when it is missing)",
                    self.value(lhs),
                    self.value(rhs)
                ),
                BinaryOp::Add if self.is_date(lhs) && !self.is_date(rhs) => {
                    format!("{} after {}", self.value(rhs), self.value(lhs))
                }
                BinaryOp::Add if self.is_date(rhs) && !self.is_date(lhs) => {
                    format!("{} after {}", self.value(lhs), self.value(rhs))
                }
                BinaryOp::Sub if self.is_date(lhs) && !self.is_date(rhs) => {
                    format!("{} before {}", self.value(rhs), self.value(lhs))
                }
                BinaryOp::Sub if self.is_date(lhs) && self.is_date(rhs) => {
                    format!("the time from {} to {}", self.value(rhs), self.value(lhs))
                }
                BinaryOp::Add => format!("{} plus {}", self.value(lhs), self.value(rhs)),
                BinaryOp::Sub => format!("{} minus {}", self.value(lhs), self.value(rhs)),
                BinaryOp::Mul => format!("{} times {}", self.value(lhs), self.value(rhs)),
                BinaryOp::Div => format!("{} divided by {}", self.value(lhs), self.value(rhs)),
                _ => self.condition(e),
            },
            ExprKind::Unary { .. } | ExprKind::IsMissing { .. } | ExprKind::In { .. } => {
                self.condition(e)
            }
        }
    }

    /// An aggregate's argument: "amount" after "the total", but "of the time from …" for
    /// anything longer than a field.
    fn of(&self, e: &Expr) -> String {
        let simple = match &strip(e).kind {
            ExprKind::Field { .. } => true,
            ExprKind::Binary {
                op: BinaryOp::Otherwise,
                lhs,
                ..
            } => matches!(strip(lhs).kind, ExprKind::Field { .. }),
            _ => false,
        };
        if simple {
            self.value(e)
        } else {
            format!("of {}", self.value(e))
        }
    }

    fn call(&self, name: &str, args: &[Expr]) -> String {
        match (name, args) {
            ("working_days", [from, to]) => format!(
                "the working days from {} to {}",
                self.value(from),
                self.value(to)
            ),
            ("days", [from, to]) => {
                format!("the days from {} to {}", self.value(from), self.value(to))
            }
            ("count", []) => "the number of records".into(),
            ("count", [c]) => format!("the number of records where {}", self.condition(c)),
            ("share", [c]) => format!("the share of records where {}", self.condition(c)),
            ("sum", [x]) => format!("the total {}", self.of(x)),
            ("mean", [x]) => format!("the average {}", self.of(x)),
            ("median", [x]) => format!("the median {}", self.of(x)),
            ("min", [x]) => format!("the lowest {}", self.of(x)),
            ("max", [x]) => format!("the highest {}", self.of(x)),
            // Not a known function (E106) or the wrong arguments (E205): as written.
            _ => format!(
                "`{name}({})`",
                args.iter().map(format::expr).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Weeks and days as days, so that `6 weeks` and `42 days` compare.
pub fn duration_days(amount: i64, unit: DurationUnit) -> i64 {
    match unit {
        DurationUnit::Days => amount,
        DurationUnit::Weeks => amount.saturating_mul(7),
    }
}
