//! Stage four: a checked constitution to a [`Program`] the evaluator runs.
//!
//! Compiling picks the version in force on a date, resolves every field reference to a
//! slot in a per-record plan (only the fields some duty reads, plus the key), fixes types,
//! folds constant sub-expressions, and builds the working-day calendar. A program is plain
//! data: no spans, no names looked up at run time.

use crate::ast::{
    self, BinaryOp, Clause, Constitution, ExprKind, FieldType, LitKind, PeriodBound, PeriodUnit,
    Requirement,
};
use crate::calendar::Calendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::value::Value;
use time::Date;

/// A field the evaluator reads, in slot order.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPlan {
    /// The column or key name.
    pub name: String,
    /// Its declared type.
    pub ty: FieldType,
    /// Whether it may be empty.
    pub optional: bool,
}

/// What the evaluator reads of one record kind.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPlan {
    /// The record kind (also the data file's stem).
    pub name: String,
    /// Its title.
    pub title: String,
    /// The fields read, in slot order.
    pub fields: Vec<FieldPlan>,
    /// The key field's slot, if the record declares one.
    pub key: Option<usize>,
}

/// A per-record expression with fields resolved to slots.
#[derive(Debug, Clone, PartialEq)]
pub enum CExpr {
    /// A constant.
    Const(Value),
    /// The value in a slot of the current record.
    Field(usize),
    /// `period.start` / `period.end`.
    Period(PeriodBound),
    /// `working_days(from, to)` on the calendar.
    WorkingDays(Box<CExpr>, Box<CExpr>),
    /// `days(from, to)`: calendar days.
    Days(Box<CExpr>, Box<CExpr>),
    /// `not x`
    Not(Box<CExpr>),
    /// `-x`
    Neg(Box<CExpr>),
    /// `a op b`
    Binary(BinaryOp, Box<CExpr>, Box<CExpr>),
    /// `x is missing` (`true`: `is present`).
    IsMissing(Box<CExpr>, bool),
    /// `x in [..]` (`true`: `not in`).
    In(Box<CExpr>, Vec<CExpr>, bool),
}

/// The aggregates a measure can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// `count()` / `count(cond)`
    Count,
    /// `share(cond)`, as a percentage.
    Share,
    /// `sum(x)`
    Sum,
    /// `mean(x)`
    Mean,
    /// `median(x)`
    Median,
    /// `min(x)`
    Min,
    /// `max(x)`
    Max,
}

/// One aggregate of a measure, with its per-record argument.
#[derive(Debug, Clone, PartialEq)]
pub struct AggPlan {
    /// Which aggregate.
    pub kind: AggKind,
    /// The argument (a condition for count/share; a value otherwise).
    pub arg: Option<CExpr>,
}

/// A measure: arithmetic over aggregates.
#[derive(Debug, Clone, PartialEq)]
pub enum MExpr {
    /// A constant.
    Const(Value),
    /// The value of aggregate `i`.
    Agg(usize),
    /// `-x`
    Neg(Box<MExpr>),
    /// `a op b`
    Binary(BinaryOp, Box<MExpr>, Box<MExpr>),
}

/// How a duty is tested.
#[derive(Debug, Clone, PartialEq)]
pub enum TestPlan {
    /// Each record is tested; the requirement is on the share that passes.
    Each(CExpr),
    /// An aggregate measure is compared with the requirement.
    Measure {
        /// The measure.
        expr: MExpr,
        /// Its aggregates, updated once per record.
        aggregates: Vec<AggPlan>,
    },
    /// The duty has no checkable test (the checker warned).
    Unchecked,
}

/// A duty ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyPlan {
    /// `right.duty`
    pub id: String,
    /// The duty's key.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// Bodies that owe it.
    pub owed_by: Vec<String>,
    /// Legal basis.
    pub basis: Option<String>,
    /// The record kind it reads (index into [`Program::records`]).
    pub record: Option<usize>,
    /// The population filter.
    pub filter: Option<CExpr>,
    /// The test.
    pub test: TestPlan,
    /// The requirement.
    pub requirement: Option<Requirement>,
    /// The requirement in words: `at least 90%`.
    pub requirement_text: String,
    /// The grouping field's slot (`per ward`).
    pub group: Option<(String, usize)>,
    /// Period buckets (`per quarter of received`).
    pub period: Option<(PeriodUnit, String, usize)>,
    /// The date slot that places a record inside the audit period.
    pub date_slot: Option<usize>,
    /// Minimum records for a verdict.
    pub minimum: u64,
    /// `not applicable when no records`.
    pub allow_empty: bool,
    /// Body a breach is referred to.
    pub refer_to: Option<String>,
    /// Consecutive breached periods that call in an independent review.
    pub review_after: Option<u64>,
    /// Slots the duty reads (filter, test, group, period, date): a record inside the
    /// population with a problem in one of them is unusable for it. (The filter itself is
    /// read left to right and decides whatever its unread fields hold.)
    pub needs: Vec<usize>,
    /// 1-based line of the duty in the source.
    pub line: usize,
}

/// A right (or the accountability section) with its duties.
#[derive(Debug, Clone, PartialEq)]
pub struct RightPlan {
    /// Its key.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether this is the accountability section.
    pub accountability: bool,
    /// Its duties in force.
    pub duties: Vec<DutyPlan>,
}

/// The compiled constitution.
#[derive(Debug, Clone)]
pub struct Program {
    /// The area's name.
    pub name: String,
    /// Its ONS code.
    pub area: Option<String>,
    /// Adoption date.
    pub adopted: Option<Date>,
    /// The date whose version is in force here, if one was asked for.
    pub in_force_on: Option<Date>,
    /// The titles of the amendments in force.
    pub amendments: Vec<String>,
    /// The working-day calendar.
    pub calendar: Calendar,
    /// The calendar's name.
    pub calendar_name: String,
    /// The bodies: key and full name.
    pub bodies: Vec<(String, String)>,
    /// The record kinds read.
    pub records: Vec<RecordPlan>,
    /// The rights, then the accountability section.
    pub rights: Vec<RightPlan>,
}

/// Compiles `constitution` as in force on `on` (every amendment when `None`). Fails with the
/// checker's errors if it has any.
pub fn compile(
    constitution: &Constitution,
    source: &str,
    on: Option<Date>,
) -> Result<Program, Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = crate::check(constitution)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let version = match on {
        Some(date) => crate::version::in_force(constitution, date),
        None => crate::version::latest(constitution),
    };
    let calendar_decl = constitution.calendar();
    let calendar_name = calendar_decl.map_or("uk".to_string(), |c| c.name.name.clone());
    let closed: Vec<Date> = calendar_decl
        .map(|c| c.closed.iter().filter_map(|d| d.date.value).collect())
        .unwrap_or_default();
    let calendar = Calendar::new(&calendar_name, &closed).map_err(|_| {
        vec![Diagnostic::new(
            Code::UnknownCalendar,
            calendar_decl.map(|c| c.name.span).unwrap_or_default(),
            format!("there is no calendar `{calendar_name}`"),
        )]
    })?;
    let lines = crate::source::LineIndex::new(source);
    let mut cx = Compiler {
        constitution,
        records: Vec::new(),
    };
    let mut rights = Vec::new();
    for right in &version.rights {
        let accountability = right.name == crate::version::ACCOUNTABILITY;
        let mut duties = Vec::new();
        for duty in &right.duties {
            duties.push(cx.duty(&right.name, duty, lines.position(duty.span.start).line));
        }
        rights.push(RightPlan {
            id: right.name.clone(),
            title: right
                .title
                .as_ref()
                .map_or_else(|| "Democratic accountability".to_string(), |t| t.value()),
            accountability,
            duties,
        });
    }
    let area = constitution.items.iter().find_map(|i| match &i.node {
        ast::Item::Area { code } => Some(code.clone()),
        _ => None,
    });
    Ok(Program {
        name: constitution.name.value(),
        area,
        adopted: constitution.adopted().and_then(|d| d.value),
        in_force_on: on,
        amendments: version.amendments.clone(),
        calendar,
        calendar_name,
        bodies: constitution
            .bodies()
            .map(|b| (b.name.name.clone(), b.title.value()))
            .collect(),
        records: cx.records,
        rights,
    })
}

struct Compiler<'c> {
    constitution: &'c Constitution,
    records: Vec<RecordPlan>,
}

impl Compiler<'_> {
    fn record_index(&mut self, name: &str) -> Option<usize> {
        if let Some(i) = self.records.iter().position(|r| r.name == name) {
            return Some(i);
        }
        let decl = self.constitution.record(name)?;
        let mut plan = RecordPlan {
            name: name.to_string(),
            title: decl.title.value(),
            fields: Vec::new(),
            key: None,
        };
        if let Some(key) = decl.fields.iter().find(|f| f.key) {
            plan.fields.push(FieldPlan {
                name: key.name.name.clone(),
                ty: key.ty.clone(),
                optional: key.optional,
            });
            plan.key = Some(0);
        }
        self.records.push(plan);
        Some(self.records.len() - 1)
    }

    /// The slot of `field` in record `r`, added to the plan on first use.
    fn slot(&mut self, r: usize, field: &str) -> Option<usize> {
        let decl = self
            .constitution
            .record(&self.records.get(r)?.name)?
            .field(field)?
            .clone();
        let plan = self.records.get_mut(r)?;
        if let Some(i) = plan.fields.iter().position(|f| f.name == field) {
            return Some(i);
        }
        plan.fields.push(FieldPlan {
            name: decl.name.name,
            ty: decl.ty,
            optional: decl.optional,
        });
        Some(plan.fields.len() - 1)
    }

    fn duty(&mut self, right: &str, duty: &ast::Duty, line: usize) -> DutyPlan {
        let mut plan = DutyPlan {
            id: format!("{right}.{}", duty.name.name),
            name: duty.name.name.clone(),
            title: duty.title.value(),
            description: None,
            owed_by: Vec::new(),
            basis: None,
            record: None,
            filter: None,
            test: TestPlan::Unchecked,
            requirement: None,
            requirement_text: String::new(),
            group: None,
            period: None,
            date_slot: None,
            minimum: 0,
            allow_empty: false,
            refer_to: None,
            review_after: None,
            needs: Vec::new(),
            line,
        };
        // The record first: every other clause resolves fields against it.
        for clause in &duty.clauses {
            if let Clause::Over { record, .. } = &clause.node {
                plan.record = self.record_index(&record.name);
            }
        }
        let mut needs = Vec::new();
        for clause in &duty.clauses {
            match &clause.node {
                Clause::Description { text } => plan.description = Some(text.value()),
                Clause::OwedBy { bodies } => {
                    plan.owed_by = bodies.iter().map(|b| b.name.clone()).collect()
                }
                Clause::Basis { text } => plan.basis = Some(text.value()),
                Clause::Over { filter, .. } => {
                    if let (Some(r), Some(f)) = (plan.record, filter) {
                        plan.filter = Some(self.expr(r, f, &mut needs));
                    }
                }
                Clause::Each { condition } => {
                    if let Some(r) = plan.record {
                        plan.test = TestPlan::Each(self.expr(r, condition, &mut needs));
                    }
                }
                Clause::Measure { measure } => {
                    if let Some(r) = plan.record {
                        let mut aggregates = Vec::new();
                        let expr = self.measure(r, measure, &mut aggregates, &mut needs);
                        plan.test = TestPlan::Measure { expr, aggregates };
                    }
                }
                Clause::Require { requirement } => {
                    plan.requirement_text = crate::format::requirement_text(requirement);
                    plan.requirement = Some(requirement.clone());
                }
                Clause::PerGroup { field } => {
                    if let Some(slot) = plan.record.and_then(|r| self.slot(r, &field.name)) {
                        needs.push(slot);
                        plan.group = Some((field.name.clone(), slot));
                    }
                }
                Clause::PerPeriod { unit, field } => {
                    if let Some(slot) = plan.record.and_then(|r| self.slot(r, &field.name)) {
                        needs.push(slot);
                        plan.period = Some((*unit, field.name.clone(), slot));
                    }
                }
                Clause::Minimum { records } => plan.minimum = *records,
                Clause::NotApplicableWhenEmpty => plan.allow_empty = true,
                Clause::OnBreach { body } => plan.refer_to = Some(body.name.clone()),
                Clause::OnReview { after } => plan.review_after = Some(*after),
            }
        }
        // Which date puts a record inside the audit period: the bucket's date, else the
        // record's first required date field.
        plan.date_slot = match &plan.period {
            Some((_, _, slot)) => Some(*slot),
            None => plan.record.and_then(|r| {
                let name = self
                    .constitution
                    .record(&self.records.get(r)?.name)?
                    .fields
                    .iter()
                    .find(|f| f.ty == FieldType::Date && !f.optional)?
                    .name
                    .name
                    .clone();
                self.slot(r, &name)
            }),
        };
        if let Some(slot) = plan.date_slot {
            needs.push(slot);
        }
        needs.sort_unstable();
        needs.dedup();
        plan.needs = needs;
        plan
    }

    fn expr(&mut self, r: usize, e: &ast::Expr, needs: &mut Vec<usize>) -> CExpr {
        let compiled = match &e.kind {
            ExprKind::Literal { value } => CExpr::Const(literal_value(value)),
            ExprKind::Field { name } => match self.slot(r, name) {
                Some(slot) => {
                    needs.push(slot);
                    CExpr::Field(slot)
                }
                None => CExpr::Const(Value::Missing),
            },
            ExprKind::Period { bound } => CExpr::Period(*bound),
            ExprKind::List { items } => {
                // Only valid after `in`; the checker rejected it elsewhere.
                let _ = items;
                CExpr::Const(Value::Missing)
            }
            ExprKind::Paren { inner } => self.expr(r, inner, needs),
            ExprKind::Call { name, args } => {
                let mut args = args.iter().map(|a| Box::new(self.expr(r, a, needs)));
                let (a, b) = (args.next(), args.next());
                match (name.name.as_str(), a, b) {
                    ("working_days", Some(a), Some(b)) => CExpr::WorkingDays(a, b),
                    ("days", Some(a), Some(b)) => CExpr::Days(a, b),
                    _ => CExpr::Const(Value::Missing),
                }
            }
            ExprKind::Unary { op, operand } => {
                let inner = Box::new(self.expr(r, operand, needs));
                match op {
                    ast::UnaryOp::Not => CExpr::Not(inner),
                    ast::UnaryOp::Neg => CExpr::Neg(inner),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => CExpr::Binary(
                *op,
                Box::new(self.expr(r, lhs, needs)),
                Box::new(self.expr(r, rhs, needs)),
            ),
            ExprKind::IsMissing { operand, negated } => {
                // `is missing` does not need the field present, but it does need it readable:
                // an unreadable value (`"31/02/2026"` in a date) is not an empty one, so a
                // record with one is unusable, never counted as missing.
                CExpr::IsMissing(Box::new(self.expr(r, operand, needs)), *negated)
            }
            ExprKind::In {
                operand,
                list,
                negated,
            } => {
                let items = match &list.kind {
                    ExprKind::List { items } => {
                        items.iter().map(|i| self.expr(r, i, needs)).collect()
                    }
                    _ => Vec::new(),
                };
                CExpr::In(Box::new(self.expr(r, operand, needs)), items, *negated)
            }
        };
        fold(compiled)
    }

    fn measure(
        &mut self,
        r: usize,
        e: &ast::Expr,
        aggregates: &mut Vec<AggPlan>,
        needs: &mut Vec<usize>,
    ) -> MExpr {
        match &e.kind {
            ExprKind::Literal { value } => MExpr::Const(literal_value(value)),
            ExprKind::Paren { inner } => self.measure(r, inner, aggregates, needs),
            ExprKind::Unary { operand, .. } => {
                MExpr::Neg(Box::new(self.measure(r, operand, aggregates, needs)))
            }
            ExprKind::Binary { op, lhs, rhs } => MExpr::Binary(
                *op,
                Box::new(self.measure(r, lhs, aggregates, needs)),
                Box::new(self.measure(r, rhs, aggregates, needs)),
            ),
            ExprKind::Call { name, args } => {
                let kind = match name.name.as_str() {
                    "count" => AggKind::Count,
                    "share" => AggKind::Share,
                    "sum" => AggKind::Sum,
                    "mean" => AggKind::Mean,
                    "median" => AggKind::Median,
                    "min" => AggKind::Min,
                    _ => AggKind::Max,
                };
                let arg = args.first().map(|a| self.expr(r, a, needs));
                aggregates.push(AggPlan { kind, arg });
                MExpr::Agg(aggregates.len() - 1)
            }
            _ => MExpr::Const(Value::Missing),
        }
    }
}

/// The run-time value of a literal.
pub fn literal_value(lit: &LitKind) -> Value {
    match lit {
        LitKind::Number(d) if d.scale == 0 => Value::Int(d.mantissa),
        LitKind::Number(d) => Value::Num(d.to_f64()),
        LitKind::Percent(d) => Value::Percent(d.to_f64()),
        LitKind::Money(p) => Value::Money(*p),
        LitKind::Date(d) => d.value.map_or(Value::Missing, Value::Date),
        LitKind::Duration { amount, unit } => Value::Duration(match unit {
            ast::DurationUnit::Days => *amount,
            ast::DurationUnit::Weeks => amount.saturating_mul(7),
        }),
        LitKind::Text(t) => Value::Text(arcstr::ArcStr::from(t.as_str())),
        LitKind::Boolean(b) => Value::Bool(*b),
        LitKind::Missing => Value::Missing,
    }
}

/// Folds an operator whose operands are all constants into a constant.
fn fold(e: CExpr) -> CExpr {
    let constant = match &e {
        CExpr::Binary(_, a, b) => matches!((&**a, &**b), (CExpr::Const(_), CExpr::Const(_))),
        CExpr::Not(a) | CExpr::Neg(a) => matches!(&**a, CExpr::Const(_)),
        _ => false,
    };
    if !constant {
        return e;
    }
    match crate::eval::eval_const(&e) {
        Some(v) => CExpr::Const(v),
        None => e,
    }
}
