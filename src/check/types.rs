//! Type checking of expressions.
//!
//! Every value has a [`Type`] and may be *optional* (missing in some records). The rules:
//! compare like with like; money with money (`£500`), percentages with percentages (`40%`);
//! optional values must be handled with `otherwise`, `is missing` or `is present` before any
//! other use; aggregates only in `measure`, fields in a `measure` only inside aggregates.
//! Knowing a field is present narrows it: after `where f is present`, on the right of
//! `f is present and …`, and on the right of `f is missing or …`.

use super::suggest;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeSet;

/// The type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Number,
    /// Pounds and pence.
    Money,
    /// A percentage.
    Percent,
    /// A calendar date.
    Date,
    /// Yes or no.
    Boolean,
    /// A length of time in days.
    Duration,
    /// One of a fixed set of texts.
    Enum(Vec<String>),
    /// A list, for `in`.
    List(Box<Type>),
    /// Already reported: accepted everywhere so one mistake gives one diagnostic.
    Error,
}

impl Type {
    /// The type of a declared field.
    pub fn of_field(ty: &FieldType) -> Type {
        match ty {
            FieldType::Text => Type::Text,
            FieldType::Integer => Type::Integer,
            FieldType::Number => Type::Number,
            FieldType::Money => Type::Money,
            FieldType::Percent => Type::Percent,
            FieldType::Date => Type::Date,
            FieldType::Boolean => Type::Boolean,
            FieldType::Enum(values) => Type::Enum(values.clone()),
        }
    }

    /// The type of a literal.
    pub fn of_literal(lit: &LitKind) -> Type {
        match lit {
            LitKind::Number(d) if d.scale == 0 => Type::Integer,
            LitKind::Number(_) => Type::Number,
            LitKind::Percent(_) => Type::Percent,
            LitKind::Money(_) => Type::Money,
            LitKind::Date(_) => Type::Date,
            LitKind::Duration { .. } => Type::Duration,
            LitKind::Text(_) => Type::Text,
            LitKind::Boolean(_) => Type::Boolean,
            LitKind::Missing => Type::Error,
        }
    }

    /// How the type is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Type::Text => "text".into(),
            Type::Integer => "a whole number".into(),
            Type::Number => "a number".into(),
            Type::Money => "money".into(),
            Type::Percent => "a percentage".into(),
            Type::Date => "a date".into(),
            Type::Boolean => "yes/no".into(),
            Type::Duration => "a duration".into(),
            Type::Enum(values) => format!(
                "one of {}",
                values
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Type::List(inner) => format!("a list of {}", inner.describe()),
            Type::Error => "an unknown type".into(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Type::Integer | Type::Number | Type::Error)
    }

    fn is_error(&self) -> bool {
        matches!(self, Type::Error)
    }
}

/// A type and whether the value may be missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    /// The type.
    pub ty: Type,
    /// Whether the value may be missing.
    pub optional: bool,
}

impl Typed {
    fn new(ty: Type) -> Self {
        Typed {
            ty,
            optional: false,
        }
    }
}

/// Where an expression is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Once per record: `each`, `where`.
    PerRecord,
    /// Once per population: the top of a `measure`.
    Aggregate,
    /// Once per record, inside an aggregate's argument.
    InsideAggregate,
}

/// Whether two types can be compared with `==`, `<`, …, and as what.
fn comparable(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Error, _) | (_, Type::Error) => true,
        (x, y) if x.is_numeric() && y.is_numeric() => true,
        (Type::Enum(_), Type::Text | Type::Enum(_)) | (Type::Text, Type::Enum(_)) => true,
        (x, y) => x == y,
    }
}

fn ordered(t: &Type) -> bool {
    matches!(
        t,
        Type::Integer
            | Type::Number
            | Type::Money
            | Type::Percent
            | Type::Date
            | Type::Duration
            | Type::Error
    )
}

/// Advice for comparing `field` with a bare number, the most common slip.
fn unit_help(a: &Type, b: &Type) -> Option<String> {
    match (a, b) {
        (Type::Integer, Type::Duration) | (Type::Duration, Type::Integer) => Some(
            "`days(…)` and `working_days(…)` count days as a whole number: compare them with a \
             number (`<= 42`), or subtract the dates to get a duration (`left - placed <= 6 weeks`)"
                .into(),
        ),
        (Type::Money, n) | (n, Type::Money) if n.is_numeric() => {
            Some("write money with a pound sign, e.g. `£500`".into())
        }
        (Type::Percent, n) | (n, Type::Percent) if n.is_numeric() => {
            Some("write percentages with a percent sign, e.g. `40%`".into())
        }
        (Type::Duration, n) | (n, Type::Duration) if n.is_numeric() => {
            Some("write durations with a unit, e.g. `42 days` or `6 weeks`".into())
        }
        (Type::Date, n) | (n, Type::Date) if n.is_numeric() => Some(
            "compare a date with a date, or count the days with `days(from, to)` or \
             `working_days(from, to)`"
                .into(),
        ),
        _ => None,
    }
}

/// The functions a constitution may call.
pub const FUNCTIONS: &[&str] = &[
    "working_days",
    "days",
    "count",
    "share",
    "sum",
    "mean",
    "median",
    "min",
    "max",
];

fn is_aggregate(name: &str) -> bool {
    matches!(
        name,
        "count" | "share" | "sum" | "mean" | "median" | "min" | "max"
    )
}

/// Type-checks expressions against one record declaration.
pub struct TypeChecker<'a> {
    /// The record the expressions read, if known.
    pub record: Option<&'a Record>,
    /// Fields known to be present here.
    pub present: BTreeSet<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> TypeChecker<'a> {
    /// A checker for expressions over `record`.
    pub fn new(record: Option<&'a Record>) -> Self {
        TypeChecker {
            record,
            present: BTreeSet::new(),
            diagnostics: Vec::new(),
        }
    }

    fn report(&mut self, code: Code, span: Span, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(code, span, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    /// Reports an optional value used where a value is needed, and treats it as present
    /// from then on so the mistake is reported once.
    fn need_present(&mut self, typed: Typed, expr: &Expr) -> Type {
        if typed.optional {
            let what = describe_expr(expr);
            let help = match &expr.kind {
                ExprKind::Field { name } => format!(
                    "say what happens when it is missing: `{name} otherwise …`, or test \
                     `{name} is present and …`, or filter with `where {name} is present`"
                ),
                _ => "add `otherwise …` to say what value to use when it is missing".into(),
            };
            self.report(
                Code::UnhandledMissing,
                expr.span,
                format!("{what} may be missing, and nothing says what happens then"),
                Some(help),
            );
        }
        typed.ty
    }

    /// Checks that `expr` is a yes/no condition.
    pub fn condition(&mut self, expr: &Expr, mode: Mode) {
        let typed = self.infer(expr, mode);
        let ty = self.need_present(typed, expr);
        if ty != Type::Boolean && !ty.is_error() {
            self.report(
                Code::TypeMismatch,
                expr.span,
                format!("this condition is {}, not yes/no", ty.describe()),
                Some("compare it with something, e.g. `… <= 20`".into()),
            );
        }
    }

    /// The type of `expr` evaluated in `mode`.
    pub fn infer(&mut self, expr: &Expr, mode: Mode) -> Typed {
        match &expr.kind {
            ExprKind::Literal { value } => {
                if let LitKind::Percent(d) = value {
                    self.check_percent(*d, expr.span);
                }
                Typed::new(Type::of_literal(value))
            }
            ExprKind::Field { name } => self.field(name, expr.span, mode),
            ExprKind::Period { .. } => Typed::new(Type::Date),
            ExprKind::List { items } => {
                self.report(
                    Code::TypeMismatch,
                    expr.span,
                    "a list can only follow `in` or `not in`".into(),
                    None,
                );
                for item in items {
                    self.infer(item, mode);
                }
                Typed::new(Type::Error)
            }
            ExprKind::Paren { inner } => self.infer(inner, mode),
            ExprKind::Call { name, args } => self.call(name, args, expr.span, mode),
            ExprKind::Unary { op, operand } => {
                let typed = self.infer(operand, mode);
                let ty = self.need_present(typed, operand);
                match op {
                    UnaryOp::Not => {
                        if ty != Type::Boolean && !ty.is_error() {
                            self.report(
                                Code::TypeMismatch,
                                operand.span,
                                format!("`not` needs a yes/no value, not {}", ty.describe()),
                                None,
                            );
                        }
                        Typed::new(Type::Boolean)
                    }
                    UnaryOp::Neg => {
                        if !(ty.is_numeric()
                            || matches!(ty, Type::Money | Type::Percent | Type::Duration))
                        {
                            self.report(
                                Code::TypeMismatch,
                                operand.span,
                                format!("cannot negate {}", ty.describe()),
                                None,
                            );
                            return Typed::new(Type::Error);
                        }
                        Typed::new(ty)
                    }
                }
            }
            ExprKind::IsMissing { operand, .. } => {
                let typed = self.infer(operand, mode);
                if !typed.optional && !typed.ty.is_error() {
                    let what = describe_expr(operand);
                    self.report(
                        Code::RedundantMissingCheck,
                        expr.span,
                        format!(
                            "{what} is never missing, so this test always gives the same answer"
                        ),
                        Some(
                            "remove the test, or declare the field `optional` if it can be empty"
                                .into(),
                        ),
                    );
                }
                Typed::new(Type::Boolean)
            }
            ExprKind::In { operand, list, .. } => {
                let typed = self.infer(operand, mode);
                let ty = self.need_present(typed, operand);
                if let ExprKind::List { items } = &list.kind {
                    for item in items {
                        let it = self.infer(item, mode);
                        let it = self.need_present(it, item);
                        self.compare(&ty, &it, operand, item, item.span, false);
                    }
                }
                Typed::new(Type::Boolean)
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, expr.span, mode),
        }
    }

    fn check_percent(&mut self, d: Decimal, span: Span) {
        if d.to_f64() > 100.0 {
            self.report(
                Code::PercentOutOfRange,
                span,
                format!("`{d}%` is outside 0% to 100%"),
                Some("a share of records is between 0% and 100%".into()),
            );
        }
    }

    fn field(&mut self, name: &str, span: Span, mode: Mode) -> Typed {
        let Some(record) = self.record else {
            return Typed::new(Type::Error);
        };
        let Some(field) = record.field(name) else {
            let help = match suggest(name, record.fields.iter().map(|f| f.name.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "declare it in `record {}`, or use one of: {}",
                    record.name.name,
                    record
                        .fields
                        .iter()
                        .map(|f| format!("`{}`", f.name.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.report(
                Code::UnknownField,
                span,
                format!("record `{}` has no field `{name}`", record.name.name),
                Some(help),
            );
            return Typed::new(Type::Error);
        };
        if mode == Mode::Aggregate {
            self.report(
                Code::MisplacedAggregate,
                span,
                format!("field `{name}` is used in a measure outside any aggregate"),
                Some(format!(
                    "a measure describes all the records at once: use e.g. `mean({name})`, \
                     `sum({name})` or `max({name})`, or test each record with `each`"
                )),
            );
        }
        Typed {
            ty: Type::of_field(&field.ty),
            optional: field.optional && !self.present.contains(name),
        }
    }

    fn call(&mut self, name: &Ident, args: &[Expr], span: Span, mode: Mode) -> Typed {
        let fname = name.name.as_str();
        if !FUNCTIONS.contains(&fname) {
            let help = match suggest(fname, FUNCTIONS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the functions are {}",
                    FUNCTIONS
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.report(
                Code::UnknownFunction,
                name.span,
                format!("there is no function `{fname}`"),
                Some(help),
            );
            for arg in args {
                self.infer(arg, mode);
            }
            return Typed::new(Type::Error);
        }
        let aggregate = is_aggregate(fname);
        let arg_mode = if aggregate {
            if mode != Mode::Aggregate {
                let help = if mode == Mode::InsideAggregate {
                    "aggregates cannot be nested".to_string()
                } else {
                    "`each` and `where` look at one record at a time; use aggregates in \
                     `measure`"
                        .to_string()
                };
                self.report(
                    Code::MisplacedAggregate,
                    span,
                    format!("`{fname}` sums up many records and cannot be used here"),
                    Some(help),
                );
            }
            Mode::InsideAggregate
        } else {
            mode
        };
        let (min, max) = match fname {
            "working_days" | "days" => (2, 2),
            "count" => (0, 1),
            _ => (1, 1),
        };
        if args.len() < min || args.len() > max {
            let wanted = match (fname, min, max) {
                (_, 2, 2) => format!("`{fname}(from, to)` takes two dates"),
                ("count", _, _) => {
                    "`count()` counts every record; `count(condition)` those that pass".into()
                }
                _ => format!("`{fname}(…)` takes one argument"),
            };
            self.report(
                Code::WrongArity,
                span,
                format!(
                    "`{fname}` takes {} but is given {}",
                    if min == max {
                        format!("{min} argument{}", if min == 1 { "" } else { "s" })
                    } else {
                        format!("{min} or {max} arguments")
                    },
                    args.len()
                ),
                Some(wanted),
            );
        }
        let mut types = Vec::new();
        for arg in args {
            let typed = self.infer(arg, arg_mode);
            types.push((self.need_present(typed, arg), arg.span));
        }
        let first = types.first().cloned();
        let bad = |this: &mut Self, ty: &Type, at: Span, wanted: &str| {
            if !ty.is_error() {
                this.report(
                    Code::TypeMismatch,
                    at,
                    format!("`{fname}` needs {wanted}, not {}", ty.describe()),
                    None,
                );
            }
        };
        let result = match fname {
            "working_days" | "days" => {
                for (ty, at) in &types {
                    if *ty != Type::Date {
                        bad(self, ty, *at, "dates");
                    }
                }
                Type::Integer
            }
            "count" | "share" => {
                if let Some((ty, at)) = &first {
                    if *ty != Type::Boolean {
                        bad(self, ty, *at, "a yes/no condition");
                    }
                } else if fname == "share" {
                    // Arity already reported.
                }
                if fname == "count" {
                    Type::Integer
                } else {
                    Type::Percent
                }
            }
            "sum" => match &first {
                Some((ty, _)) if ty.is_numeric() || matches!(ty, Type::Money | Type::Duration) => {
                    ty.clone()
                }
                Some((ty, at)) => {
                    bad(self, ty, *at, "numbers, money or durations");
                    Type::Error
                }
                None => Type::Error,
            },
            "mean" | "median" => match &first {
                Some((Type::Integer, _)) => Type::Number,
                Some((ty, _))
                    if ty.is_numeric()
                        || matches!(ty, Type::Money | Type::Percent | Type::Duration) =>
                {
                    ty.clone()
                }
                Some((ty, at)) => {
                    bad(self, ty, *at, "numbers, money, percentages or durations");
                    Type::Error
                }
                None => Type::Error,
            },
            _ => match &first {
                // min, max
                Some((ty, _)) if ordered(ty) => ty.clone(),
                Some((ty, at)) => {
                    bad(self, ty, *at, "values that can be ordered");
                    Type::Error
                }
                None => Type::Error,
            },
        };
        Typed::new(result)
    }

    /// Reports when `a` and `b` cannot be compared; `ordering` for `<`, `<=`, `>`, `>=`.
    fn compare(&mut self, a: &Type, b: &Type, lhs: &Expr, rhs: &Expr, span: Span, ordering: bool) {
        if !comparable(a, b) {
            self.report(
                Code::TypeMismatch,
                span,
                format!("cannot compare {} with {}", a.describe(), b.describe()),
                unit_help(a, b),
            );
            return;
        }
        if ordering && !(ordered(a) && ordered(b)) {
            let culprit = if ordered(a) { b } else { a };
            self.report(
                Code::TypeMismatch,
                span,
                format!(
                    "{} has no order, so `<` and `>` do not apply",
                    culprit.describe()
                ),
                Some("use `==`, `!=` or `in [ … ]`".into()),
            );
            return;
        }
        // An enumeration compared with a text literal outside its values.
        for (ty, other) in [(a, rhs), (b, lhs)] {
            if let (
                Type::Enum(values),
                ExprKind::Literal {
                    value: LitKind::Text(text),
                },
            ) = (ty, &other.kind)
            {
                if !values.contains(text) {
                    let help = match suggest(text, values.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!("the values are {}", ty.describe()),
                    };
                    self.report(
                        Code::UnknownEnumValue,
                        other.span,
                        format!(
                            "\"{text}\" is not one of the values {}",
                            describe_values(ty)
                        ),
                        Some(help),
                    );
                }
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span, mode: Mode) -> Typed {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                self.condition(lhs, mode);
                // What the left side establishes holds on the right.
                let narrowed = present_after(lhs, op == BinaryOp::Or);
                let saved = self.present.clone();
                self.present.extend(narrowed);
                self.condition(rhs, mode);
                self.present = saved;
                Typed::new(Type::Boolean)
            }
            BinaryOp::Otherwise => {
                let left = self.infer(lhs, mode);
                if !left.optional && !left.ty.is_error() {
                    let what = describe_expr(lhs);
                    self.report(
                        Code::RedundantMissingCheck,
                        span,
                        format!("{what} is never missing, so `otherwise` never applies"),
                        Some("remove `otherwise …`, or declare the field `optional`".into()),
                    );
                }
                let right = self.infer(rhs, mode);
                if !comparable(&left.ty, &right.ty) {
                    self.report(
                        Code::TypeMismatch,
                        rhs.span,
                        format!(
                            "the fallback is {} but the value is {}",
                            right.ty.describe(),
                            left.ty.describe()
                        ),
                        unit_help(&left.ty, &right.ty),
                    );
                }
                Typed {
                    ty: if left.ty.is_error() {
                        right.ty
                    } else {
                        left.ty
                    },
                    optional: right.optional,
                }
            }
            _ => {
                let l = self.infer(lhs, mode);
                let l = self.need_present(l, lhs);
                let r = self.infer(rhs, mode);
                let r = self.need_present(r, rhs);
                if op.is_comparison() {
                    let ordering = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                    self.compare(&l, &r, lhs, rhs, span, ordering);
                    return Typed::new(Type::Boolean);
                }
                Typed::new(self.arithmetic(op, &l, &r, span))
            }
        }
    }

    fn arithmetic(&mut self, op: BinaryOp, l: &Type, r: &Type, span: Span) -> Type {
        use Type::*;
        if l.is_error() || r.is_error() {
            return Error;
        }
        let result = match (op, l, r) {
            (_, Integer, Integer) if op != BinaryOp::Div => Some(Integer),
            (_, a, b) if a.is_numeric() && b.is_numeric() => Some(Number),
            (BinaryOp::Add | BinaryOp::Sub, Money, Money) => Some(Money),
            (BinaryOp::Add | BinaryOp::Sub, Percent, Percent) => Some(Percent),
            (BinaryOp::Add | BinaryOp::Sub, Duration, Duration) => Some(Duration),
            (BinaryOp::Add | BinaryOp::Sub, Date, Duration) => Some(Date),
            (BinaryOp::Add, Duration, Date) => Some(Date),
            (BinaryOp::Sub, Date, Date) => Some(Duration),
            (BinaryOp::Mul, Money | Percent | Duration, n) if n.is_numeric() => Some(l.clone()),
            (BinaryOp::Mul, n, Money | Percent | Duration) if n.is_numeric() => Some(r.clone()),
            (BinaryOp::Div, Money | Percent | Duration, n) if n.is_numeric() => Some(l.clone()),
            (BinaryOp::Div, Money, Money)
            | (BinaryOp::Div, Duration, Duration)
            | (BinaryOp::Div, Percent, Percent) => Some(Number),
            _ => None,
        };
        match result {
            Some(t) => t,
            None => {
                self.report(
                    Code::TypeMismatch,
                    span,
                    format!(
                        "cannot use `{}` on {} and {}",
                        op.symbol(),
                        l.describe(),
                        r.describe()
                    ),
                    unit_help(l, r),
                );
                Error
            }
        }
    }
}

/// Fields that `expr` being true (or, with `when_false`, false) proves present.
pub fn present_after(expr: &Expr, when_false: bool) -> Vec<String> {
    let mut out = Vec::new();
    collect_present(expr, when_false, &mut out);
    out
}

fn collect_present(expr: &Expr, when_false: bool, out: &mut Vec<String>) {
    match &expr.kind {
        ExprKind::Paren { inner } => collect_present(inner, when_false, out),
        ExprKind::IsMissing { operand, negated }
            // `f is present` true, or `f is missing` false, proves `f` present.
            if *negated != when_false => {
                if let ExprKind::Field { name } = &operand.kind {
                    out.push(name.clone());
                }
            }
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } if !when_false => {
            collect_present(lhs, false, out);
            collect_present(rhs, false, out);
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } if when_false => {
            collect_present(lhs, true, out);
            collect_present(rhs, true, out);
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => collect_present(operand, !when_false, out),
        _ => {}
    }
}

/// How an expression is named in a message: `` `responded` `` or "this value".
fn describe_expr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Field { name } => format!("`{name}`"),
        ExprKind::Paren { inner } => describe_expr(inner),
        _ => "this value".into(),
    }
}

/// `"a", "b"` for an enumeration type.
fn describe_values(ty: &Type) -> String {
    match ty {
        Type::Enum(values) => values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.describe(),
    }
}
