//! Stage five: evaluating a [`Program`] over records.
//!
//! One streaming pass per record kind: each record is offered to every duty over that kind
//! ([`Audit::offer`]), which updates the duty's cells (one per group × period bucket) and
//! forgets the record. Memory is bounded by the number of cells and the capped lists of
//! failing keys, not by the data. Cells merge ([`Cell::merge`]), so a file can be split
//! across threads and the parts combined. [`Audit::finish`] turns cells into verdicts.

use crate::ast::{BinaryOp, PeriodBound, PeriodUnit, Requirement};
use crate::calendar::Calendar;
use crate::compile::{AggKind, CExpr, DutyPlan, MExpr, Program, TestPlan};
use crate::fast;
use crate::value::Value;
use arcstr::ArcStr;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// What an expression needs besides the record.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// First day of the audit period.
    pub start: Date,
    /// Last day of the audit period.
    pub end: Date,
    /// The fields of the current record that could not be read, with why: reading one is
    /// [`Unusable`], so a filter decided before it reaches such a field (`duty == "relief"
    /// and …`) still decides.
    pub problems: &'a [(usize, String)],
}

/// The slot of a problem with a record as a whole rather than one of its fields.
pub const WHOLE_RECORD: usize = usize::MAX;

/// Why a record could not be used for a duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable(pub ArcStr);

impl Unusable {
    fn new(reason: impl Into<ArcStr>) -> Unusable {
        Unusable(reason.into())
    }
}

/// Evaluates a per-record expression.
pub fn eval(e: &CExpr, row: &[Value], env: &Env<'_>) -> Result<Value, Unusable> {
    match e {
        CExpr::Const(v) => Ok(v.clone()),
        CExpr::Field(slot) => {
            if let Some((_, reason)) = env.problems.iter().find(|(s, _)| s == slot) {
                return Err(Unusable::new(reason.as_str()));
            }
            Ok(row.get(*slot).cloned().unwrap_or(Value::Missing))
        }
        CExpr::Period(PeriodBound::Start) => Ok(Value::Date(env.start)),
        CExpr::Period(PeriodBound::End) => Ok(Value::Date(env.end)),
        CExpr::WorkingDays(a, b) => {
            let (a, b) = (date(eval(a, row, env)?)?, date(eval(b, row, env)?)?);
            env.calendar
                .working_days(a, b)
                .map(Value::Int)
                .ok_or_else(|| {
                    let (first, last) = env.calendar.range();
                    Unusable::new(format!(
                        "working days between {a} and {b} are unknown: the calendar covers {first} to {last}"
                    ))
                })
        }
        CExpr::Days(a, b) => {
            let (a, b) = (date(eval(a, row, env)?)?, date(eval(b, row, env)?)?);
            Ok(Value::Int((b - a).whole_days()))
        }
        CExpr::Not(a) => match eval(a, row, env)? {
            Value::Bool(b) => Ok(Value::Bool(!b)),
            other => Err(kind_error("yes/no", &other)),
        },
        CExpr::Neg(a) => negate(eval(a, row, env)?),
        CExpr::IsMissing(a, present) => {
            let missing = eval(a, row, env)? == Value::Missing;
            Ok(Value::Bool(missing != *present))
        }
        CExpr::In(a, items, negated) => {
            let v = present(eval(a, row, env)?)?;
            let mut found = false;
            for item in items {
                if compare(&v, &eval(item, row, env)?)? == std::cmp::Ordering::Equal {
                    found = true;
                    break;
                }
            }
            Ok(Value::Bool(found != *negated))
        }
        CExpr::Binary(op, a, b) => match op {
            BinaryOp::And => match eval(a, row, env)? {
                Value::Bool(false) => Ok(Value::Bool(false)),
                Value::Bool(true) => truth(eval(b, row, env)?).map(Value::Bool),
                other => Err(kind_error("yes/no", &other)),
            },
            BinaryOp::Or => match eval(a, row, env)? {
                Value::Bool(true) => Ok(Value::Bool(true)),
                Value::Bool(false) => truth(eval(b, row, env)?).map(Value::Bool),
                other => Err(kind_error("yes/no", &other)),
            },
            BinaryOp::Otherwise => match eval(a, row, env)? {
                Value::Missing => eval(b, row, env),
                v => Ok(v),
            },
            op => binary(*op, eval(a, row, env)?, eval(b, row, env)?),
        },
    }
}

/// Folds a constant expression at compile time, if it can be evaluated without a record.
pub fn eval_const(e: &CExpr) -> Option<Value> {
    let calendar = Calendar::new("weekdays", &[]).ok()?;
    let env = Env {
        calendar: &calendar,
        start: Date::MIN,
        end: Date::MIN,
        problems: &[],
    };
    eval(e, &[], &env).ok()
}

fn present(v: Value) -> Result<Value, Unusable> {
    if v == Value::Missing {
        Err(Unusable::new("a value needed here is missing"))
    } else {
        Ok(v)
    }
}

fn truth(v: Value) -> Result<bool, Unusable> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(kind_error("yes/no", &other)),
    }
}

fn date(v: Value) -> Result<Date, Unusable> {
    match v {
        Value::Date(d) => Ok(d),
        other => Err(kind_error("a date", &other)),
    }
}

fn kind_error(wanted: &str, got: &Value) -> Unusable {
    Unusable::new(format!("expected {wanted}, found {}", got.display()))
}

fn negate(v: Value) -> Result<Value, Unusable> {
    Ok(match present(v)? {
        Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(overflow)?),
        Value::Num(n) => Value::Num(-n),
        Value::Money(p) => Value::Money(p.checked_neg().ok_or_else(overflow)?),
        Value::Percent(p) => Value::Percent(-p),
        Value::Duration(d) => Value::Duration(d.checked_neg().ok_or_else(overflow)?),
        other => return Err(kind_error("a number", &other)),
    })
}

fn overflow() -> Unusable {
    Unusable::new("a number is too large")
}

/// Orders two present values of comparable kinds.
fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, Unusable> {
    use Value::*;
    let ordering = match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Money(x), Money(y)) => Some(x.cmp(y)),
        (Duration(x), Duration(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Text(x), Text(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Int(_) | Num(_), Int(_) | Num(_)) | (Percent(_), Percent(_)) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y)
        }
        _ => None,
    };
    ordering.ok_or_else(|| {
        Unusable::new(format!(
            "cannot compare {} with {}",
            a.display(),
            b.display()
        ))
    })
}

fn binary(op: BinaryOp, a: Value, b: Value) -> Result<Value, Unusable> {
    use std::cmp::Ordering::*;
    use Value::*;
    let (a, b) = (present(a)?, present(b)?);
    if op.is_comparison() {
        let o = compare(&a, &b)?;
        return Ok(Bool(match op {
            BinaryOp::Eq => o == Equal,
            BinaryOp::Ne => o != Equal,
            BinaryOp::Lt => o == Less,
            BinaryOp::Le => o != Greater,
            BinaryOp::Gt => o == Greater,
            _ => o != Less,
        }));
    }
    let int = |r: Option<i64>| r.ok_or_else(overflow);
    Ok(match (op, &a, &b) {
        (BinaryOp::Add, Int(x), Int(y)) => Int(int(x.checked_add(*y))?),
        (BinaryOp::Sub, Int(x), Int(y)) => Int(int(x.checked_sub(*y))?),
        (BinaryOp::Mul, Int(x), Int(y)) => Int(int(x.checked_mul(*y))?),
        (BinaryOp::Add, Money(x), Money(y)) => Money(int(x.checked_add(*y))?),
        (BinaryOp::Sub, Money(x), Money(y)) => Money(int(x.checked_sub(*y))?),
        (BinaryOp::Add, Duration(x), Duration(y)) => Duration(int(x.checked_add(*y))?),
        (BinaryOp::Sub, Duration(x), Duration(y)) => Duration(int(x.checked_sub(*y))?),
        (BinaryOp::Add, Percent(x), Percent(y)) => Percent(x + y),
        (BinaryOp::Sub, Percent(x), Percent(y)) => Percent(x - y),
        (BinaryOp::Sub, Date(x), Date(y)) => Duration((*x - *y).whole_days()),
        (BinaryOp::Add, Date(x), Duration(d)) | (BinaryOp::Add, Duration(d), Date(x)) => {
            Date(add_days(*x, *d)?)
        }
        (BinaryOp::Sub, Date(x), Duration(d)) => Date(add_days(*x, int(d.checked_neg())?)?),
        (BinaryOp::Div, Money(x), Money(y)) => Num(ratio(*x as f64, *y as f64)?),
        (BinaryOp::Div, Duration(x), Duration(y)) => Num(ratio(*x as f64, *y as f64)?),
        (BinaryOp::Div, Percent(x), Percent(y)) => Num(ratio(*x, *y)?),
        (BinaryOp::Mul | BinaryOp::Div, Money(x), n) if is_number(n) => {
            let n = n.as_f64().unwrap_or(0.0);
            let r = if op == BinaryOp::Mul {
                *x as f64 * n
            } else {
                ratio(*x as f64, n)?
            };
            Money(r.round() as i64)
        }
        (BinaryOp::Mul, n, Money(x)) if is_number(n) => {
            Money((*x as f64 * n.as_f64().unwrap_or(0.0)).round() as i64)
        }
        (BinaryOp::Mul | BinaryOp::Div, Percent(x), n) if is_number(n) => {
            let n = n.as_f64().unwrap_or(0.0);
            Percent(if op == BinaryOp::Mul {
                x * n
            } else {
                ratio(*x, n)?
            })
        }
        (BinaryOp::Mul, n, Percent(x)) if is_number(n) => Percent(x * n.as_f64().unwrap_or(0.0)),
        (BinaryOp::Mul | BinaryOp::Div, Duration(x), n) if is_number(n) => {
            let n = n.as_f64().unwrap_or(0.0);
            let r = if op == BinaryOp::Mul {
                *x as f64 * n
            } else {
                ratio(*x as f64, n)?
            };
            Duration(r.round() as i64)
        }
        (_, x, y) if is_number(x) && is_number(y) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            Num(match op {
                BinaryOp::Add => x + y,
                BinaryOp::Sub => x - y,
                BinaryOp::Mul => x * y,
                _ => ratio(x, y)?,
            })
        }
        _ => {
            return Err(Unusable::new(format!(
                "cannot use `{}` on {} and {}",
                op.symbol(),
                a.display(),
                b.display()
            )))
        }
    })
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Num(_))
}

fn ratio(x: f64, y: f64) -> Result<f64, Unusable> {
    if y == 0.0 {
        Err(Unusable::new("division by zero"))
    } else {
        Ok(x / y)
    }
}

fn add_days(d: Date, days: i64) -> Result<Date, Unusable> {
    d.checked_add(time::Duration::days(days))
        .ok_or_else(|| Unusable::new("a date falls outside the calendar"))
}

// ---------------------------------------------------------------------------------------
// Cells and verdicts

/// The verdict of a duty, group, bucket or right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The requirement holds.
    Met,
    /// The requirement does not hold.
    Breached,
    /// Not enough usable evidence to decide.
    InsufficientEvidence,
    /// No records in scope, and the duty allows that.
    NotApplicable,
    /// The duty has no checkable test.
    Unchecked,
}

impl Verdict {
    /// The verdict as written in reports and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Breached => "breached",
            Verdict::InsufficientEvidence => "insufficient_evidence",
            Verdict::NotApplicable => "not_applicable",
            Verdict::Unchecked => "unchecked",
        }
    }
}

/// Why there was not enough evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// No data was given for the record kind.
    NoData,
    /// No records in scope.
    NoRecords,
    /// Fewer records than the duty's minimum.
    TooFewRecords,
    /// More than a tenth of the records in scope were unusable.
    TooManyUnusable,
    /// Some groups or periods could not be decided.
    Undecided,
}

/// Running totals for one group × period bucket of one duty.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Records in scope that could be judged.
    pub considered: u64,
    /// Of those, records that passed (`each`).
    pub passing: u64,
    /// Records in scope that could not be used.
    pub unusable: u64,
    /// Keys of failing records, capped.
    pub failing_keys: Vec<ArcStr>,
    /// Aggregate states (`measure`).
    pub aggs: Vec<AggState>,
}

/// The running state of one aggregate.
#[derive(Debug, Clone, Default)]
pub struct AggState {
    count: u64,
    /// The sum in millionths, held exactly so that the order records are added in (one
    /// pass or split across threads) cannot change the result.
    sum_micros: i128,
    values: Vec<f64>,
    min: Option<Value>,
    max: Option<Value>,
    kind_of: Option<Value>,
}

impl Cell {
    /// Adds `other`'s totals to this cell (for combining work split across threads).
    pub fn merge(&mut self, other: Cell, cap: usize) {
        self.considered += other.considered;
        self.passing += other.passing;
        self.unusable += other.unusable;
        for key in other.failing_keys {
            if self.failing_keys.len() < cap {
                self.failing_keys.push(key);
            }
        }
        if self.aggs.len() < other.aggs.len() {
            self.aggs.resize(other.aggs.len(), AggState::default());
        }
        for (mine, theirs) in self.aggs.iter_mut().zip(other.aggs) {
            mine.count += theirs.count;
            mine.sum_micros += theirs.sum_micros;
            mine.values.extend(theirs.values);
            if let Some(v) = theirs.min {
                if mine.min.as_ref().is_none_or(|m| less(&v, m)) {
                    mine.min = Some(v);
                }
            }
            if let Some(v) = theirs.max {
                if mine.max.as_ref().is_none_or(|m| less(m, &v)) {
                    mine.max = Some(v);
                }
            }
            if mine.kind_of.is_none() {
                mine.kind_of = theirs.kind_of;
            }
        }
    }
}

/// `x` in millionths, rounded: exact for every value written with up to six decimals.
fn micros(x: f64) -> i128 {
    (x * 1e6).round() as i128
}

fn less(a: &Value, b: &Value) -> bool {
    compare(a, b).is_ok_and(|o| o == std::cmp::Ordering::Less)
}

/// A cell's place: the group value and the period bucket (both optional).
pub type CellKey = (Option<String>, Option<String>);

/// The state of one duty during an audit.
#[derive(Debug, Clone, Default)]
pub struct DutyState {
    /// Records offered (in the record kind, whatever the filter).
    pub offered: u64,
    /// Records outside the audit period.
    pub outside_period: u64,
    /// Records the filter excluded.
    pub filtered_out: u64,
    /// Failing records in total (the key list is capped).
    pub failing_total: u64,
    /// Cells by group and bucket.
    pub cells: BTreeMap<CellKey, Cell>,
    /// Sample reasons records were unusable, capped.
    pub unusable_reasons: Vec<(String, String)>,
    /// Unusable records whose group or period could not be read.
    pub unplaced: u64,
    /// Cells still being filled by a pass (see [`DutyState::settle`]).
    open: OpenCells,
}

/// The bucket of `date` as a number, in date order: months and quarters counted from year
/// zero, financial years (April to March) by the year they start in.
fn bucket_number(unit: PeriodUnit, date: Date) -> i32 {
    let (year, month) = (date.year(), i32::from(u8::from(date.month())));
    let fy = if month >= 4 { year } else { year - 1 };
    match unit {
        PeriodUnit::Month => year * 12 + month - 1,
        PeriodUnit::Quarter => fy * 4 + ((month + 8) % 12) / 3,
        PeriodUnit::Year => fy,
    }
}

/// The label of a bucket number (see [`bucket_number`]): `2025-04`, `2025-26 Q1`, `2025-26`.
fn bucket_label(unit: PeriodUnit, n: i32) -> String {
    let fy_label = |fy: i32| format!("{fy}-{:02}", (fy + 1).rem_euclid(100));
    match unit {
        PeriodUnit::Month => format!("{}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1),
        PeriodUnit::Quarter => format!("{} Q{}", fy_label(n.div_euclid(4)), n.rem_euclid(4) + 1),
        PeriodUnit::Year => fy_label(n),
    }
}

/// The cells a pass is filling, found without building their keys' text: by the group's
/// text, then by bucket number. [`DutyState::settle`] moves them into `cells`.
#[derive(Debug, Clone, Default)]
struct OpenCells {
    /// Group text (empty for a duty without groups) → index in `groups`.
    index: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    /// Each group's cells by bucket number (`None` for a duty without periods), in the
    /// order the groups were first seen.
    groups: Vec<Buckets>,
    spare: Buckets,
    spare_cell: Cell,
}

/// One group's open cells by bucket number.
type Buckets = Vec<(Option<i32>, Cell)>;

impl OpenCells {
    /// The cell of `group` and `bucket`, opened if new.
    fn cell(&mut self, group: Option<&str>, bucket: Option<i32>) -> &mut Cell {
        let text = group.unwrap_or("");
        // A duty without groups has one group, the first: no need to hash its name.
        let known = match group {
            None if !self.groups.is_empty() => Some(0),
            _ => self.index.get(text).copied(),
        };
        let gi = match known {
            Some(gi) => gi,
            None => {
                self.index.insert(text.into(), self.groups.len());
                self.groups.push(Vec::new());
                self.groups.len() - 1
            }
        };
        // `index` only holds indices into `groups`; `spare` keeps this total without a panic.
        let buckets = match self.groups.get_mut(gi) {
            Some(buckets) => buckets,
            None => &mut self.spare,
        };
        let bi = match buckets.iter().position(|(b, _)| *b == bucket) {
            Some(bi) => bi,
            None => {
                buckets.push((bucket, Cell::default()));
                buckets.len() - 1
            }
        };
        match buckets.get_mut(bi) {
            Some((_, cell)) => cell,
            None => &mut self.spare_cell,
        }
    }
}

/// One audit in progress: a state per duty.
pub struct Audit<'p> {
    /// The program.
    pub program: &'p Program,
    /// The period and calendar.
    pub env: Env<'p>,
    /// How many failing keys to keep per cell.
    pub cap: usize,
    /// States by right index, then duty index.
    pub states: Vec<Vec<DutyState>>,
    /// The fast forms of each duty's filter and test, by right index, then duty index.
    fast: Vec<Vec<FastPlan>>,
    /// The duties over each record kind, as (right index, duty index), in program order.
    by_record: Vec<Vec<(usize, usize)>>,
}

/// A duty's filter and `each` test in the fast path's form, where they have one.
#[derive(Debug, Clone, Default)]
struct FastPlan {
    filter: Option<fast::Test>,
    each: Option<fast::Test>,
}

impl FastPlan {
    fn new(program: &Program, duty: &DutyPlan) -> FastPlan {
        let Some(record) = duty.record.and_then(|r| program.records.get(r)) else {
            return FastPlan::default();
        };
        FastPlan {
            filter: duty.filter.as_ref().and_then(|f| fast::compile(f, record)),
            each: match &duty.test {
                TestPlan::Each(condition) => fast::compile(condition, record),
                _ => None,
            },
        }
    }
}

/// Evaluates a yes/no expression by the fast path when it has a form there and decides,
/// else by [`eval`].
fn decide(
    e: &CExpr,
    fast: Option<&fast::Test>,
    row: &[Value],
    env: &Env<'_>,
) -> Result<Value, Unusable> {
    match fast.map(|test| fast::decide(test, row, env)) {
        Some(Ok(yes)) => Ok(Value::Bool(yes)),
        _ => eval(e, row, env),
    }
}

impl<'p> Audit<'p> {
    /// Starts an audit of `program` over `start..=end`.
    pub fn new(program: &'p Program, start: Date, end: Date, cap: usize) -> Self {
        let states = program
            .rights
            .iter()
            .map(|r| r.duties.iter().map(|_| DutyState::default()).collect())
            .collect();
        let fast = program
            .rights
            .iter()
            .map(|r| r.duties.iter().map(|d| FastPlan::new(program, d)).collect())
            .collect();
        let mut by_record = vec![Vec::new(); program.records.len()];
        for (ri, right) in program.rights.iter().enumerate() {
            for (di, duty) in right.duties.iter().enumerate() {
                if let Some(duties) = duty.record.and_then(|r| by_record.get_mut(r)) {
                    duties.push((ri, di));
                }
            }
        }
        Audit {
            program,
            env: Env {
                calendar: &program.calendar,
                start,
                end,
                problems: &[],
            },
            cap,
            states,
            fast,
            by_record,
        }
    }

    /// Offers one record of kind `record` to every duty over that kind. `problems` lists
    /// the slots whose values could not be read, with why.
    pub fn offer(&mut self, record: usize, row: &[Value], problems: &[(usize, String)]) {
        let key_slot = self.program.records.get(record).and_then(|r| r.key);
        for &(ri, di) in self.by_record.get(record).map_or(&[][..], Vec::as_slice) {
            let duty = self.program.rights.get(ri).and_then(|r| r.duties.get(di));
            let fast = self.fast.get(ri).and_then(|f| f.get(di));
            let state = self.states.get_mut(ri).and_then(|s| s.get_mut(di));
            if let (Some(duty), Some(state)) = (duty, state) {
                let fast = fast.unwrap_or(&NO_FAST_PLAN);
                offer_one(
                    duty, fast, state, &self.env, self.cap, key_slot, row, problems,
                );
            }
        }
    }
}

/// The plan of a duty without fast forms.
static NO_FAST_PLAN: FastPlan = FastPlan {
    filter: None,
    each: None,
};

#[allow(clippy::too_many_arguments)]
fn offer_one(
    duty: &DutyPlan,
    fast: &FastPlan,
    state: &mut DutyState,
    env: &Env<'_>,
    cap: usize,
    key_slot: Option<usize>,
    row: &[Value],
    problems: &[(usize, String)],
) {
    state.offered += 1;
    // A text key is shared with the row, not copied.
    let key = || match key_slot.and_then(|k| row.get(k)) {
        None | Some(Value::Missing) => arcstr::literal!("(no key)"),
        Some(Value::Text(t)) => ArcStr::clone(t),
        Some(v) => ArcStr::from(v.display()),
    };
    // In the audit period?
    if let Some(slot) = duty.date_slot {
        if let Some(Value::Date(d)) = row.get(slot) {
            if *d < env.start || *d > env.end {
                state.outside_period += 1;
                return;
            }
        }
    }
    // The record's cell: its group's text (borrowed when the value is text) and its bucket.
    let group: Option<Cow<'_, str>> = duty.group.as_ref().map(|(_, slot)| match row.get(*slot) {
        // An unreadable or empty group value names no group (a real group may be called
        // "missing", so the display text of a missing value cannot stand in).
        None | Some(Value::Missing) => Cow::Borrowed(""),
        Some(Value::Text(t)) => Cow::Borrowed(&**t),
        Some(v) => Cow::Owned(v.display()),
    });
    let period = duty
        .period
        .as_ref()
        .and_then(|(unit, _, slot)| match row.get(*slot) {
            Some(Value::Date(d)) => Some(bucket_number(*unit, *d)),
            _ => None,
        });
    let group = group.as_deref();
    let unusable = |state: &mut DutyState, reason: String| {
        // A record whose group or period cannot be read belongs to no cell: it is counted
        // for the duty as a whole, and does not open a cell of its own.
        let placed = (duty.group.is_none() || group.is_some_and(|g| !g.is_empty()))
            && (duty.period.is_none() || period.is_some());
        if placed {
            state.open.cell(group, period).unusable += 1;
        } else {
            state.unplaced += 1;
        }
        if state.unusable_reasons.len() < cap {
            state.unusable_reasons.push((key().to_string(), reason));
        }
    };
    // The filter first: a record outside the population is not unusable for this duty,
    // whatever else is wrong with it. The filter reads left to right, so an unreadable
    // field makes the record unusable only when the filter cannot be decided without it.
    let env = &Env { problems, ..*env };
    let problem_in = |slots: &[usize]| problems.iter().find(|(slot, _)| slots.contains(slot));
    // A record that could not be read as a whole (an NDJSON line that is not an object)
    // has no fields to filter or judge by: it is unusable for every duty over its kind.
    if let Some((_, reason)) = problems.iter().find(|(slot, _)| *slot == WHOLE_RECORD) {
        unusable(state, reason.clone());
        return;
    }
    if let Some(filter) = &duty.filter {
        match decide(filter, fast.filter.as_ref(), row, env) {
            Ok(Value::Bool(true)) => {}
            Ok(_) => {
                state.filtered_out += 1;
                return;
            }
            Err(Unusable(reason)) => {
                unusable(state, reason.to_string());
                return;
            }
        }
    }
    if let Some((_, reason)) = problem_in(&duty.needs) {
        unusable(state, reason.clone());
        return;
    }
    match &duty.test {
        TestPlan::Each(condition) => match decide(condition, fast.each.as_ref(), row, env) {
            Ok(Value::Bool(pass)) => {
                let cell = state.open.cell(group, period);
                cell.considered += 1;
                if pass {
                    cell.passing += 1;
                } else {
                    if cell.failing_keys.len() < cap {
                        cell.failing_keys.push(key());
                    }
                    state.failing_total += 1;
                }
            }
            Ok(other) => unusable(state, format!("the test gave {}", other.display())),
            Err(Unusable(reason)) => unusable(state, reason.to_string()),
        },
        TestPlan::Measure { aggregates, .. } => {
            let mut inputs = Vec::with_capacity(aggregates.len());
            for agg in aggregates {
                match agg.arg.as_ref().map(|a| eval(a, row, env)) {
                    Some(Err(Unusable(reason))) => {
                        unusable(state, reason.to_string());
                        return;
                    }
                    Some(Ok(v)) => inputs.push(Some(v)),
                    None => inputs.push(None),
                }
            }
            let cell = state.open.cell(group, period);
            cell.considered += 1;
            if cell.aggs.len() < aggregates.len() {
                cell.aggs.resize(aggregates.len(), AggState::default());
            }
            for ((agg, input), st) in aggregates.iter().zip(inputs).zip(cell.aggs.iter_mut()) {
                match agg.kind {
                    AggKind::Count | AggKind::Share => {
                        let counts = match input {
                            None => true,
                            Some(v) => v == Value::Bool(true),
                        };
                        if counts {
                            st.count += 1;
                        }
                    }
                    _ => {
                        if let Some(v) = input {
                            st.count += 1;
                            if let Some(f) = v.as_f64() {
                                st.sum_micros += micros(f);
                                if agg.kind == AggKind::Median {
                                    st.values.push(f);
                                }
                            }
                            if st.min.as_ref().is_none_or(|m| less(&v, m)) {
                                st.min = Some(v.clone());
                            }
                            if st.max.as_ref().is_none_or(|m| less(m, &v)) {
                                st.max = Some(v.clone());
                            }
                            if st.kind_of.is_none() {
                                st.kind_of = Some(v);
                            }
                        }
                    }
                }
            }
        }
        TestPlan::Unchecked => {}
    }
}

/// The outcome of one cell (or a whole duty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, when the evidence was insufficient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What was measured: the share passing, or the measure's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<String>,
    /// The measured value as a number, for machines (shares in percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured_value: Option<f64>,
}

/// Judges one cell against the duty's requirement.
pub fn judge(duty: &DutyPlan, cell: &Cell) -> Outcome {
    let insufficient = |cause| Outcome {
        verdict: Verdict::InsufficientEvidence,
        cause: Some(cause),
        measured: None,
        measured_value: None,
    };
    if matches!(duty.test, TestPlan::Unchecked) || duty.requirement.is_none() {
        return Outcome {
            verdict: Verdict::Unchecked,
            cause: None,
            measured: None,
            measured_value: None,
        };
    }
    let in_scope = cell.considered + cell.unusable;
    if cell.considered == 0 {
        if cell.unusable > 0 {
            return insufficient(Cause::TooManyUnusable);
        }
        return if duty.allow_empty {
            Outcome {
                verdict: Verdict::NotApplicable,
                cause: None,
                measured: None,
                measured_value: None,
            }
        } else {
            insufficient(Cause::NoRecords)
        };
    }
    if cell.considered < duty.minimum {
        return insufficient(Cause::TooFewRecords);
    }
    // More than one record in ten unusable: the verdict would rest on a biased sample.
    if cell.unusable * 10 > in_scope {
        return insufficient(Cause::TooManyUnusable);
    }
    let Some(requirement) = &duty.requirement else {
        return insufficient(Cause::Undecided);
    };
    match &duty.test {
        TestPlan::Each(_) => {
            let (n, p) = (cell.considered, cell.passing);
            let share = p as f64 * 100.0 / n as f64;
            let met = match requirement {
                Requirement::Every => p == n,
                Requirement::No => p == 0,
                Requirement::AtLeast(t) => share_at_least(p, n, &t.value),
                Requirement::AtMost(t) => share_at_most(p, n, &t.value),
                Requirement::MoreThan(t) => !share_at_most(p, n, &t.value),
                Requirement::LessThan(t) => !share_at_least(p, n, &t.value),
            };
            let threshold = match requirement {
                Requirement::AtLeast(t)
                | Requirement::AtMost(t)
                | Requirement::MoreThan(t)
                | Requirement::LessThan(t) => crate::compile::literal_value(&t.value).as_f64(),
                Requirement::Every | Requirement::No => None,
            };
            Outcome {
                verdict: if met { Verdict::Met } else { Verdict::Breached },
                cause: None,
                measured: Some(format!("{} ({p} of {n})", percent_text(share, threshold))),
                measured_value: Some(share),
            }
        }
        TestPlan::Measure { expr, aggregates } => {
            let values: Vec<Option<Value>> = aggregates
                .iter()
                .zip(
                    cell.aggs
                        .iter()
                        .chain(std::iter::repeat(&AggState::default())),
                )
                .map(|(agg, st)| finish_agg(agg.kind, st, cell.considered))
                .collect();
            let Some(value) = measure_value(expr, &values) else {
                return insufficient(Cause::Undecided);
            };
            let threshold = match requirement {
                Requirement::AtLeast(t)
                | Requirement::AtMost(t)
                | Requirement::MoreThan(t)
                | Requirement::LessThan(t) => crate::compile::literal_value(&t.value),
                _ => return insufficient(Cause::Undecided),
            };
            let Some(ordering) = measure_ordering(&value, &threshold) else {
                return insufficient(Cause::Undecided);
            };
            use std::cmp::Ordering::*;
            let met = match requirement {
                Requirement::AtLeast(_) => ordering != Less,
                Requirement::AtMost(_) => ordering != Greater,
                Requirement::MoreThan(_) => ordering == Greater,
                _ => ordering == Less,
            };
            // A ratio judged against a percentage is shown as one: `1.2%`, not `0.012`.
            let (measured, measured_value) = match (&value, &threshold) {
                (Value::Int(_) | Value::Num(_), Value::Percent(t)) => {
                    let percent = value.as_f64().map(|v| v * 100.0);
                    (percent.map(|v| percent_text(v, Some(*t))), percent)
                }
                (Value::Percent(v), Value::Percent(t)) => {
                    (Some(percent_text(*v, Some(*t))), Some(*v))
                }
                _ => (Some(value.display()), value.as_f64()),
            };
            Outcome {
                verdict: if met { Verdict::Met } else { Verdict::Breached },
                cause: None,
                measured,
                measured_value,
            }
        }
        TestPlan::Unchecked => insufficient(Cause::Undecided),
    }
}

/// A percentage for people: one decimal, or as many more (up to nine) as it takes for the
/// shown figure to sit on the same side of the threshold, 0% and 100% as the exact one.
/// 89.96% against "at least 90%" is shown as `89.96%`, never `90%`; 99.98% is never `100%`.
pub fn percent_text(exact: f64, threshold: Option<f64>) -> String {
    let marks = [Some(0.0), Some(100.0), threshold];
    let side = |x: f64, t: f64| x.partial_cmp(&t);
    let mut text = crate::value::format_number(exact);
    for decimals in 1..=9 {
        let shown = format!("{exact:.decimals$}");
        let rounded: f64 = shown.parse().unwrap_or(exact);
        let honest = marks
            .iter()
            .flatten()
            .all(|t| side(rounded, *t) == side(exact, *t));
        if honest {
            text = shown
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string();
            break;
        }
    }
    format!("{text}%")
}

/// `passing / n >= threshold%`, exactly: `passing * 100 * 10^s >= mantissa * n`.
fn share_at_least(passing: u64, n: u64, threshold: &crate::ast::LitKind) -> bool {
    match threshold {
        crate::ast::LitKind::Percent(d) => {
            let lhs = i128::from(passing) * 100 * 10i128.pow(d.scale.min(18));
            let rhs = i128::from(d.mantissa) * i128::from(n);
            lhs >= rhs
        }
        _ => false,
    }
}

fn share_at_most(passing: u64, n: u64, threshold: &crate::ast::LitKind) -> bool {
    match threshold {
        crate::ast::LitKind::Percent(d) => {
            let lhs = i128::from(passing) * 100 * 10i128.pow(d.scale.min(18));
            let rhs = i128::from(d.mantissa) * i128::from(n);
            lhs <= rhs
        }
        _ => false,
    }
}

fn finish_agg(kind: AggKind, st: &AggState, considered: u64) -> Option<Value> {
    Some(match kind {
        AggKind::Count => Value::Int(st.count as i64),
        AggKind::Share => Value::Percent(if considered == 0 {
            return None;
        } else {
            st.count as f64 * 100.0 / considered as f64
        }),
        AggKind::Sum => typed_like(st.kind_of.as_ref(), st.sum_micros as f64 / 1e6),
        AggKind::Mean => {
            if st.count == 0 {
                return None;
            }
            let mean = st.sum_micros as f64 / 1e6 / st.count as f64;
            match st.kind_of {
                Some(Value::Int(_)) | None => Value::Num(mean),
                ref other => typed_like(other.as_ref(), mean),
            }
        }
        AggKind::Median => {
            let mut values = st.values.clone();
            if values.is_empty() {
                return None;
            }
            values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            let mid = values.len() / 2;
            let m = if values.len() % 2 == 0 {
                (values.get(mid - 1)? + values.get(mid)?) / 2.0
            } else {
                *values.get(mid)?
            };
            match st.kind_of {
                Some(Value::Int(_)) | None => Value::Num(m),
                ref other => typed_like(other.as_ref(), m),
            }
        }
        AggKind::Min => st.min.clone()?,
        AggKind::Max => st.max.clone()?,
    })
}

/// A float shaped like `example`'s kind (money in pounds → pence, …).
fn typed_like(example: Option<&Value>, x: f64) -> Value {
    match example {
        Some(Value::Int(_)) => Value::Int(x.round() as i64),
        Some(Value::Money(_)) => Value::Money((x * 100.0).round() as i64),
        Some(Value::Percent(_)) => Value::Percent(x),
        Some(Value::Duration(_)) => Value::Duration(x.round() as i64),
        _ => Value::Num(x),
    }
}

fn measure_value(e: &MExpr, aggs: &[Option<Value>]) -> Option<Value> {
    match e {
        MExpr::Const(v) => Some(v.clone()),
        MExpr::Agg(i) => aggs.get(*i)?.clone(),
        MExpr::Neg(a) => negate(measure_value(a, aggs)?).ok(),
        MExpr::Binary(op, a, b) => {
            binary(*op, measure_value(a, aggs)?, measure_value(b, aggs)?).ok()
        }
    }
}

/// Compares a measure with its threshold. A ratio (a plain number) against a percentage
/// compares as a fraction: 0.4 against 40%.
fn measure_ordering(value: &Value, threshold: &Value) -> Option<std::cmp::Ordering> {
    let close = |x: f64, y: f64| {
        // Within a billionth: 2/5 against 40% is exactly at the boundary.
        if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
            Some(std::cmp::Ordering::Equal)
        } else {
            x.partial_cmp(&y)
        }
    };
    match (value, threshold) {
        (Value::Int(_) | Value::Num(_), Value::Percent(p)) => close(value.as_f64()?, p / 100.0),
        (Value::Num(_) | Value::Percent(_), _) | (_, Value::Num(_)) => {
            close(value.as_f64()?, threshold.as_f64()?)
        }
        _ => compare(value, threshold).ok(),
    }
}

/// A text value.
pub fn text(s: &str) -> Value {
    Value::Text(ArcStr::from(s))
}

/// A duty's overall outcome and its cells' outcomes.
#[derive(Debug, Clone)]
pub struct DutyOutcome {
    /// The duty's verdict: breached if any cell is, met if every cell is met (or not
    /// applicable), otherwise insufficient evidence. `measured` is over all cells together.
    pub overall: Outcome,
    /// All cells merged: the borough-wide counts.
    pub total: Cell,
    /// Each cell with its outcome, in key order.
    pub cells: Vec<(CellKey, Outcome)>,
}

/// Judges every cell of a duty and combines them.
pub fn outcome(duty: &DutyPlan, state: &DutyState, cap: usize) -> DutyOutcome {
    debug_assert!(state.is_settled(), "cells read before the pass was settled");
    let mut total = Cell {
        unusable: state.unplaced,
        ..Cell::default()
    };
    let mut cells = Vec::new();
    for (key, cell) in &state.cells {
        total.merge(cell.clone(), cap);
        cells.push((key.clone(), judge(duty, cell)));
    }
    let whole = judge(duty, &total);
    let verdicts: Vec<Verdict> = cells.iter().map(|(_, o)| o.verdict).collect();
    let mut overall = whole.clone();
    if !cells.is_empty() && overall.verdict != Verdict::Unchecked {
        if verdicts.contains(&Verdict::Breached) {
            overall.verdict = Verdict::Breached;
            overall.cause = None;
        } else if verdicts.iter().all(|v| *v == Verdict::NotApplicable) {
            overall.verdict = Verdict::NotApplicable;
            overall.cause = None;
        } else if verdicts
            .iter()
            .all(|v| matches!(v, Verdict::Met | Verdict::NotApplicable))
        {
            overall.verdict = Verdict::Met;
            overall.cause = None;
        } else {
            overall.verdict = Verdict::InsufficientEvidence;
            let causes: Vec<Cause> = cells.iter().filter_map(|(_, o)| o.cause).collect();
            overall.cause = match causes.first() {
                Some(first) if causes.iter().all(|c| c == first) => Some(*first),
                _ => Some(Cause::Undecided),
            };
        }
    }
    DutyOutcome {
        overall,
        total,
        cells,
    }
}

impl DutyState {
    /// Moves the cells a pass filled into `cells`, after those already there: call at the
    /// end of a pass, before reading `cells` or merging.
    pub fn settle(&mut self, duty: &DutyPlan, cap: usize) {
        let mut open = std::mem::take(&mut self.open);
        let unit = duty.period.as_ref().map(|(unit, _, _)| *unit);
        for (text, gi) in open.index {
            let Some(buckets) = open.groups.get_mut(gi) else {
                continue;
            };
            let group = duty.group.as_ref().map(|_| String::from(text));
            for (bucket, cell) in std::mem::take(buckets) {
                let label = bucket.zip(unit).map(|(n, unit)| bucket_label(unit, n));
                let key = (group.clone(), label);
                self.cells.entry(key).or_default().merge(cell, cap);
            }
        }
    }

    /// Whether every cell is settled.
    pub fn is_settled(&self) -> bool {
        self.open.groups.is_empty()
    }

    /// Adds the totals of `other`, a later part of the same data, keeping the first `cap`
    /// keys and reasons in data order, so a split audit reports exactly what one pass would.
    pub fn merge(&mut self, other: DutyState, cap: usize) {
        self.offered += other.offered;
        self.outside_period += other.outside_period;
        self.filtered_out += other.filtered_out;
        self.failing_total += other.failing_total;
        self.unplaced += other.unplaced;
        for (key, cell) in other.cells {
            self.cells.entry(key).or_default().merge(cell, cap);
        }
        let room = cap.saturating_sub(self.unusable_reasons.len());
        self.unusable_reasons
            .extend(other.unusable_reasons.into_iter().take(room));
    }
}

impl Audit<'_> {
    /// Settles every duty's cells (see [`DutyState::settle`]): call at the end of a pass.
    pub fn settle(&mut self) {
        for (right, states) in self.program.rights.iter().zip(&mut self.states) {
            for (duty, state) in right.duties.iter().zip(states) {
                state.settle(duty, self.cap);
            }
        }
    }

    /// Adds the states of `other` (an audit of a later part of the data) to this one.
    pub fn merge(&mut self, mut other: Audit<'_>) {
        self.settle();
        other.settle();
        for (mine, theirs) in self.states.iter_mut().zip(other.states) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t, self.cap);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{bucket_label, bucket_number, percent_text};
    use crate::ast::PeriodUnit;

    #[test]
    fn bucket_numbers_give_the_labels_and_keep_date_order() {
        let mut day = time::Date::from_calendar_date(2018, time::Month::January, 1).unwrap();
        let last = time::Date::from_calendar_date(2028, time::Month::December, 31).unwrap();
        let units = [PeriodUnit::Month, PeriodUnit::Quarter, PeriodUnit::Year];
        let mut previous = [i32::MIN; 3];
        while day <= last {
            let (year, month) = (day.year(), u8::from(day.month()));
            let fy = if month >= 4 { year } else { year - 1 };
            let q = (i32::from(month) + 8) % 12 / 3 + 1;
            let fy_label = format!("{fy}-{:02}", (fy + 1) % 100);
            let expected = [
                format!("{year}-{month:02}"),
                format!("{fy_label} Q{q}"),
                fy_label.clone(),
            ];
            for ((unit, label), before) in units.iter().zip(&expected).zip(&mut previous) {
                let n = bucket_number(*unit, day);
                assert_eq!(&bucket_label(*unit, n), label, "{day}");
                assert!(n >= *before, "{day}: bucket numbers go back");
                *before = n;
            }
            day = day.next_day().unwrap();
        }
        assert_eq!(
            bucket_label(
                PeriodUnit::Quarter,
                bucket_number(
                    PeriodUnit::Quarter,
                    time::Date::from_calendar_date(2026, time::Month::March, 31).unwrap()
                )
            ),
            "2025-26 Q4"
        );
    }

    #[test]
    fn percentages_are_shown_on_the_side_of_the_threshold_they_are_on() {
        assert_eq!(percent_text(2584.0 * 100.0 / 2697.0, Some(90.0)), "95.8%");
        assert_eq!(percent_text(90.0, Some(90.0)), "90%");
        assert_eq!(percent_text(80.0, None), "80%");
        // 1799 of 2000 is 89.95%: one decimal would round it up to the threshold.
        assert_eq!(percent_text(1799.0 * 100.0 / 2000.0, Some(90.0)), "89.95%");
        assert_eq!(percent_text(89.96, Some(90.0)), "89.96%");
        assert_eq!(percent_text(90.04, Some(90.0)), "90.04%");
        // Never 100% unless all passed, never 0% unless none did.
        assert_eq!(percent_text(9999.0 * 100.0 / 10000.0, None), "99.99%");
        assert_eq!(percent_text(1.0 * 100.0 / 100000.0, None), "0.001%");
        assert_eq!(percent_text(9_999_999.0 * 100.0 / 1e7, None), "99.99999%");
        assert_eq!(percent_text(1.2121, Some(6.0)), "1.2%");
    }
}
