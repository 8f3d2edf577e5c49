//! The evaluator's fast path: the per-record tests most duties use, compiled to typed code.
//!
//! [`crate::eval::eval`] walks a [`CExpr`] over [`Value`]s and words every reason a record
//! cannot be used. Most filters and tests are comparisons of dates, whole numbers, texts
//! and yes/no values (`working_days(received, responded otherwise period.end) <= 20`,
//! `regime in ["foia", "eir"]`). [`compile`] turns such an expression into a [`Test`] whose
//! nodes know their kind, so it runs on plain dates and integers, with nothing cloned or
//! moved through memory.
//!
//! The one rule: **the fast path only answers when the evaluator would answer the same.** It
//! answers yes or no, or [`Declined`]: a missing value where one is needed, a value of
//! another kind than declared, a field that could not be read, a date the calendar does not
//! cover. The evaluator then decides, and words the reason. A property test holds every
//! answer given here to the evaluator's.

use crate::ast::{BinaryOp, FieldType, PeriodBound};
use crate::compile::{CExpr, RecordPlan};
use crate::eval::Env;
use crate::value::Value;
use arcstr::ArcStr;
use std::cmp::Ordering;
use time::Date;

/// The fast path cannot decide this record; the evaluator will.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined;

type Answer<T> = Result<T, Declined>;

/// A yes/no expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// A constant.
    Const(bool),
    /// A yes/no field.
    Field(usize),
    /// Two dates compared.
    Dates(BinaryOp, DateX, DateX),
    /// Two whole numbers compared.
    Ints(BinaryOp, IntX, IntX),
    /// Two texts compared.
    Texts(BinaryOp, TextX, TextX),
    /// Two yes/no values compared.
    Bools(BinaryOp, Box<Test>, Box<Test>),
    /// A text in (`false`) or not in (`true`) a list of constants.
    In(TextX, Vec<ArcStr>, bool),
    /// `a and b`
    And(Box<Test>, Box<Test>),
    /// `a or b`
    Or(Box<Test>, Box<Test>),
    /// `not a`
    Not(Box<Test>),
    /// `field is missing` (`true`: `is present`).
    FieldMissing(usize, bool),
    /// `date is missing` for a date expression.
    DateMissing(DateX, bool),
    /// `number is missing` for a whole-number expression.
    IntMissing(IntX, bool),
}

/// A date expression: `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum DateX {
    /// A date field.
    Field(usize),
    /// A constant.
    Const(Date),
    /// `period.start` / `period.end`.
    Period(PeriodBound),
    /// `a otherwise b`
    Otherwise(Box<DateX>, Box<DateX>),
}

/// A whole-number expression: `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum IntX {
    /// A whole-number field.
    Field(usize),
    /// A constant.
    Const(i64),
    /// `working_days(from, to)`
    WorkingDays(Box<DateX>, Box<DateX>),
    /// `days(from, to)`
    Days(Box<DateX>, Box<DateX>),
    /// `a otherwise b`
    Otherwise(Box<IntX>, Box<IntX>),
}

/// A text expression: `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum TextX {
    /// A text or enumeration field.
    Field(usize),
    /// A constant.
    Const(ArcStr),
    /// `a otherwise b`
    Otherwise(Box<TextX>, Box<TextX>),
}

/// What a field of the record holds, by its declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Int,
    Text,
    Bool,
}

fn kind_of(record: &RecordPlan, slot: usize) -> Option<Kind> {
    match &record.fields.get(slot)?.ty {
        FieldType::Date => Some(Kind::Date),
        FieldType::Integer => Some(Kind::Int),
        FieldType::Text | FieldType::Enum(_) => Some(Kind::Text),
        FieldType::Boolean => Some(Kind::Bool),
        _ => None,
    }
}

/// The fast form of a yes/no expression over `record`, if every part of it has one.
pub fn compile(e: &CExpr, record: &RecordPlan) -> Option<Test> {
    Some(match e {
        CExpr::Const(Value::Bool(b)) => Test::Const(*b),
        CExpr::Field(slot) if kind_of(record, *slot) == Some(Kind::Bool) => Test::Field(*slot),
        CExpr::Not(a) => Test::Not(Box::new(compile(a, record)?)),
        CExpr::IsMissing(a, present) => match &**a {
            CExpr::Field(slot) => Test::FieldMissing(*slot, *present),
            a => match (date(a, record), int(a, record)) {
                (Some(a), _) => Test::DateMissing(a, *present),
                (_, Some(a)) => Test::IntMissing(a, *present),
                _ => return None,
            },
        },
        CExpr::In(a, items, negated) => {
            let texts = items
                .iter()
                .map(|item| match item {
                    CExpr::Const(Value::Text(t)) => Some(ArcStr::clone(t)),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Test::In(text(a, record)?, texts, *negated)
        }
        CExpr::Binary(BinaryOp::And, a, b) => {
            Test::And(Box::new(compile(a, record)?), Box::new(compile(b, record)?))
        }
        CExpr::Binary(BinaryOp::Or, a, b) => {
            Test::Or(Box::new(compile(a, record)?), Box::new(compile(b, record)?))
        }
        // Both sides of one kind (each form is built from one kind's expressions only).
        CExpr::Binary(op, a, b) if op.is_comparison() => {
            if let (Some(a), Some(b)) = (date(a, record), date(b, record)) {
                Test::Dates(*op, a, b)
            } else if let (Some(a), Some(b)) = (int(a, record), int(b, record)) {
                Test::Ints(*op, a, b)
            } else if let (Some(a), Some(b)) = (text(a, record), text(b, record)) {
                Test::Texts(*op, a, b)
            } else {
                Test::Bools(
                    *op,
                    Box::new(compile(a, record)?),
                    Box::new(compile(b, record)?),
                )
            }
        }
        _ => return None,
    })
}

fn date(e: &CExpr, record: &RecordPlan) -> Option<DateX> {
    Some(match e {
        CExpr::Field(slot) if kind_of(record, *slot) == Some(Kind::Date) => DateX::Field(*slot),
        CExpr::Const(Value::Date(d)) => DateX::Const(*d),
        CExpr::Period(bound) => DateX::Period(*bound),
        CExpr::Binary(BinaryOp::Otherwise, a, b) => {
            DateX::Otherwise(Box::new(date(a, record)?), Box::new(date(b, record)?))
        }
        _ => return None,
    })
}

fn int(e: &CExpr, record: &RecordPlan) -> Option<IntX> {
    Some(match e {
        CExpr::Field(slot) if kind_of(record, *slot) == Some(Kind::Int) => IntX::Field(*slot),
        CExpr::Const(Value::Int(i)) => IntX::Const(*i),
        CExpr::WorkingDays(a, b) => {
            IntX::WorkingDays(Box::new(date(a, record)?), Box::new(date(b, record)?))
        }
        CExpr::Days(a, b) => IntX::Days(Box::new(date(a, record)?), Box::new(date(b, record)?)),
        CExpr::Binary(BinaryOp::Otherwise, a, b) => {
            IntX::Otherwise(Box::new(int(a, record)?), Box::new(int(b, record)?))
        }
        _ => return None,
    })
}

fn text(e: &CExpr, record: &RecordPlan) -> Option<TextX> {
    Some(match e {
        CExpr::Field(slot) if kind_of(record, *slot) == Some(Kind::Text) => TextX::Field(*slot),
        CExpr::Const(Value::Text(t)) => TextX::Const(ArcStr::clone(t)),
        CExpr::Binary(BinaryOp::Otherwise, a, b) => {
            TextX::Otherwise(Box::new(text(a, record)?), Box::new(text(b, record)?))
        }
        _ => return None,
    })
}

/// Decides `test` for one record, or declines (see the module's rule).
pub fn decide(test: &Test, row: &[Value], env: &Env<'_>) -> Answer<bool> {
    // Reading a field that could not be read is an error the evaluator words.
    if !env.problems.is_empty() {
        return Err(Declined);
    }
    truth(test, row, env)
}

/// Whether a comparison holds, as the evaluator's `binary` decides it.
fn holds(op: BinaryOp, o: Ordering) -> bool {
    match op {
        BinaryOp::Eq => o == Ordering::Equal,
        BinaryOp::Ne => o != Ordering::Equal,
        BinaryOp::Lt => o == Ordering::Less,
        BinaryOp::Le => o != Ordering::Greater,
        BinaryOp::Gt => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

/// A value that must be present (a missing one in a comparison is the evaluator's error).
fn present<T>(v: Option<T>) -> Answer<T> {
    v.ok_or(Declined)
}

fn truth(test: &Test, row: &[Value], env: &Env<'_>) -> Answer<bool> {
    Ok(match test {
        Test::Const(b) => *b,
        Test::Field(slot) => match row.get(*slot) {
            Some(Value::Bool(b)) => *b,
            _ => return Err(Declined),
        },
        Test::Dates(op, a, b) => {
            let (a, b) = (date_of(a, row, env)?, date_of(b, row, env)?);
            holds(*op, present(a)?.cmp(&present(b)?))
        }
        Test::Ints(op, a, b) => {
            let (a, b) = (int_of(a, row, env)?, int_of(b, row, env)?);
            holds(*op, present(a)?.cmp(&present(b)?))
        }
        Test::Texts(op, a, b) => {
            let (a, b) = (text_of(a, row)?, text_of(b, row)?);
            holds(*op, present(a)?.cmp(present(b)?))
        }
        Test::Bools(op, a, b) => {
            let (a, b) = (truth(a, row, env)?, truth(b, row, env)?);
            holds(*op, a.cmp(&b))
        }
        Test::In(a, items, negated) => {
            let a = present(text_of(a, row)?)?;
            items.iter().any(|item| item.as_str() == a) != *negated
        }
        Test::And(a, b) => truth(a, row, env)? && truth(b, row, env)?,
        Test::Or(a, b) => truth(a, row, env)? || truth(b, row, env)?,
        Test::Not(a) => !truth(a, row, env)?,
        Test::FieldMissing(slot, present) => {
            matches!(row.get(*slot), None | Some(Value::Missing)) != *present
        }
        Test::DateMissing(a, present) => date_of(a, row, env)?.is_none() != *present,
        Test::IntMissing(a, present) => int_of(a, row, env)?.is_none() != *present,
    })
}

/// A field's value, of the kind `pick` takes: `None` when missing, declined when of another
/// kind than declared.
fn field<'r, T>(
    row: &'r [Value],
    slot: usize,
    pick: impl FnOnce(&'r Value) -> Option<T>,
) -> Answer<Option<T>> {
    match row.get(slot) {
        None | Some(Value::Missing) => Ok(None),
        Some(v) => pick(v).map(Some).ok_or(Declined),
    }
}

/// `a otherwise b`: `b` only when `a` is missing.
fn otherwise<T>(a: Option<T>, b: impl FnOnce() -> Answer<Option<T>>) -> Answer<Option<T>> {
    match a {
        None => b(),
        some => Ok(some),
    }
}

fn date_of(x: &DateX, row: &[Value], env: &Env<'_>) -> Answer<Option<Date>> {
    match x {
        DateX::Field(slot) => field(row, *slot, |v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        }),
        DateX::Const(d) => Ok(Some(*d)),
        DateX::Period(PeriodBound::Start) => Ok(Some(env.start)),
        DateX::Period(PeriodBound::End) => Ok(Some(env.end)),
        DateX::Otherwise(a, b) => otherwise(date_of(a, row, env)?, || date_of(b, row, env)),
    }
}

fn int_of(x: &IntX, row: &[Value], env: &Env<'_>) -> Answer<Option<i64>> {
    Ok(match x {
        IntX::Field(slot) => field(row, *slot, |v| match v {
            Value::Int(i) => Some(*i),
            _ => None,
        })?,
        IntX::Const(i) => Some(*i),
        IntX::WorkingDays(a, b) => {
            let (a, b) = (date_of(a, row, env)?, date_of(b, row, env)?);
            Some(
                env.calendar
                    .working_days(present(a)?, present(b)?)
                    .ok_or(Declined)?,
            )
        }
        IntX::Days(a, b) => {
            let (a, b) = (date_of(a, row, env)?, date_of(b, row, env)?);
            Some((present(b)? - present(a)?).whole_days())
        }
        IntX::Otherwise(a, b) => otherwise(int_of(a, row, env)?, || int_of(b, row, env))?,
    })
}

fn text_of<'r>(x: &'r TextX, row: &'r [Value]) -> Answer<Option<&'r str>> {
    match x {
        TextX::Field(slot) => field(row, *slot, |v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        }),
        TextX::Const(t) => Ok(Some(t.as_str())),
        TextX::Otherwise(a, b) => otherwise(text_of(a, row)?, || text_of(b, row)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::compile::FieldPlan;
    use crate::eval::eval;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    /// A record with a field of every kind, and one (a decimal) the fast path does not know.
    fn record() -> RecordPlan {
        let field = |name: &str, ty: FieldType| FieldPlan {
            name: name.into(),
            ty,
            optional: true,
        };
        RecordPlan {
            name: "case".into(),
            title: "Cases".into(),
            fields: vec![
                field("received", FieldType::Date),
                field("responded", FieldType::Date),
                field("pages", FieldType::Integer),
                field("family", FieldType::Boolean),
                field("ward", FieldType::Text),
                field("regime", FieldType::Enum(vec!["foia".into(), "eir".into()])),
                field("score", FieldType::Number),
            ],
            key: None,
        }
    }

    fn day(y: i32, ordinal: u16) -> Date {
        Date::from_ordinal_date(y, ordinal).unwrap_or(Date::MIN)
    }

    /// Dates mostly inside the calendar, some far outside it.
    fn a_date() -> impl Strategy<Value = Date> {
        prop_oneof![
            8 => (2024..=2026, 1u16..=365).prop_map(|(y, d)| day(y, d)),
            1 => Just(day(1850, 10)),
            1 => Just(day(2300, 10)),
        ]
    }

    fn a_text() -> impl Strategy<Value = ArcStr> {
        prop_oneof![
            Just("foia"),
            Just("eir"),
            Just("Crown Hill"),
            Just(""),
            Just("b")
        ]
        .prop_map(ArcStr::from)
    }

    /// Any value, of any kind, in any slot: readers hold a field's declared kind or
    /// missing, but the fast path must not rely on it.
    fn a_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            3 => Just(Value::Missing),
            1 => any::<bool>().prop_map(Value::Bool),
            2 => (-5i64..40).prop_map(Value::Int),
            1 => (-5.0f64..40.0).prop_map(Value::Num),
            3 => a_date().prop_map(Value::Date),
            2 => a_text().prop_map(Value::Text),
        ]
    }

    fn a_comparison() -> impl Strategy<Value = BinaryOp> + Clone {
        prop_oneof![
            Just(BinaryOp::Eq),
            Just(BinaryOp::Ne),
            Just(BinaryOp::Lt),
            Just(BinaryOp::Le),
            Just(BinaryOp::Gt),
            Just(BinaryOp::Ge),
        ]
    }

    fn an_expr() -> impl Strategy<Value = CExpr> {
        let leaf = prop_oneof![
            4 => (0usize..8).prop_map(CExpr::Field),
            1 => (-5i64..40).prop_map(|i| CExpr::Const(Value::Int(i))),
            1 => a_date().prop_map(|d| CExpr::Const(Value::Date(d))),
            1 => a_text().prop_map(|t| CExpr::Const(Value::Text(t))),
            1 => any::<bool>().prop_map(|b| CExpr::Const(Value::Bool(b))),
            1 => (-2.0f64..2.0).prop_map(|n| CExpr::Const(Value::Num(n))),
            1 => prop_oneof![Just(PeriodBound::Start), Just(PeriodBound::End)]
                .prop_map(CExpr::Period),
        ];
        let op = prop_oneof![
            4 => a_comparison(),
            1 => Just(BinaryOp::And),
            1 => Just(BinaryOp::Or),
            1 => Just(BinaryOp::Otherwise),
            1 => Just(BinaryOp::Add),
        ];
        leaf.prop_recursive(5, 40, 3, move |inner| {
            prop_oneof![
                (op.clone(), inner.clone(), inner.clone()).prop_map(|(op, a, b)| CExpr::Binary(
                    op,
                    Box::new(a),
                    Box::new(b)
                )),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| CExpr::WorkingDays(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| CExpr::Days(Box::new(a), Box::new(b))),
                inner.clone().prop_map(|a| CExpr::Not(Box::new(a))),
                (inner.clone(), any::<bool>())
                    .prop_map(|(a, present)| CExpr::IsMissing(Box::new(a), present)),
                (
                    inner.clone(),
                    prop::collection::vec(inner, 0..3),
                    any::<bool>()
                )
                    .prop_map(|(a, items, negated)| CExpr::In(
                        Box::new(a),
                        items,
                        negated
                    )),
            ]
        })
    }

    /// Comparisons of the kinds the fast path knows, and their combinations: mostly compiled.
    fn a_test() -> impl Strategy<Value = CExpr> {
        let date = prop_oneof![
            (0usize..2).prop_map(CExpr::Field),
            Just(CExpr::Period(PeriodBound::End)),
            Just(CExpr::Binary(
                BinaryOp::Otherwise,
                Box::new(CExpr::Field(1)),
                Box::new(CExpr::Period(PeriodBound::End)),
            )),
        ];
        let int = prop_oneof![
            Just(CExpr::Field(2)),
            (0i64..30).prop_map(|i| CExpr::Const(Value::Int(i))),
            (date.clone(), date.clone())
                .prop_map(|(a, b)| CExpr::WorkingDays(Box::new(a), Box::new(b))),
            (date.clone(), date.clone()).prop_map(|(a, b)| CExpr::Days(Box::new(a), Box::new(b))),
        ];
        let op = a_comparison();
        let text = prop_oneof![
            (4usize..6).prop_map(CExpr::Field),
            a_text().prop_map(|t| CExpr::Const(Value::Text(t))),
            (4usize..6, 4usize..6).prop_map(|(a, b)| CExpr::Binary(
                BinaryOp::Otherwise,
                Box::new(CExpr::Field(a)),
                Box::new(CExpr::Field(b)),
            )),
            (4usize..6, a_text()).prop_map(|(a, t)| CExpr::Binary(
                BinaryOp::Otherwise,
                Box::new(CExpr::Field(a)),
                Box::new(CExpr::Const(Value::Text(t))),
            )),
        ];
        let binary = |op, a, b| CExpr::Binary(op, Box::new(a), Box::new(b));
        let comparison = prop_oneof![
            (op.clone(), int.clone(), int.clone()).prop_map(move |(op, a, b)| binary(op, a, b)),
            (op.clone(), date.clone(), date.clone()).prop_map(move |(op, a, b)| binary(op, a, b)),
            (op.clone(), text.clone(), text.clone()).prop_map(move |(op, a, b)| binary(op, a, b)),
            (op, Just(CExpr::Field(3)), any::<bool>()).prop_map(move |(op, a, b)| binary(
                op,
                a,
                CExpr::Const(Value::Bool(b))
            )),
            (text, prop::collection::vec(a_text(), 1..3), any::<bool>()).prop_map(
                |(a, items, negated)| {
                    let items = items
                        .into_iter()
                        .map(|t| CExpr::Const(Value::Text(t)))
                        .collect();
                    CExpr::In(Box::new(a), items, negated)
                }
            ),
            (
                prop_oneof![date, int, (0usize..7).prop_map(CExpr::Field)],
                any::<bool>()
            )
                .prop_map(|(a, present)| CExpr::IsMissing(Box::new(a), present)),
            Just(CExpr::Field(3)),
        ];
        comparison.prop_recursive(3, 12, 2, move |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(move |(a, b)| binary(BinaryOp::And, a, b)),
                (inner.clone(), inner.clone()).prop_map(move |(a, b)| binary(BinaryOp::Or, a, b)),
                inner.clone().prop_map(|a| CExpr::Not(Box::new(a))),
                (inner.clone(), inner).prop_map(move |(a, b)| binary(BinaryOp::Eq, a, b)),
            ]
        })
    }

    /// A row of the record, with some fields unreadable now and then.
    fn a_row() -> impl Strategy<Value = (Vec<Value>, Vec<(usize, String)>)> {
        let typed = (
            prop::option::weighted(0.9, a_date().prop_map(Value::Date)),
            prop::option::weighted(0.7, a_date().prop_map(Value::Date)),
            prop::option::weighted(0.8, (0i64..40).prop_map(Value::Int)),
            prop::option::weighted(0.8, any::<bool>().prop_map(Value::Bool)),
            prop::option::weighted(0.8, a_text().prop_map(Value::Text)),
            prop::option::weighted(0.8, a_text().prop_map(Value::Text)),
        )
            .prop_map(|(a, b, c, d, e, f)| {
                [a, b, c, d, e, f, None]
                    .into_iter()
                    .map(|v| v.unwrap_or(Value::Missing))
                    .collect::<Vec<_>>()
            });
        let values = prop_oneof![4 => typed, 1 => prop::collection::vec(a_value(), 7)];
        let problems = prop_oneof![
            6 => Just(Vec::new()),
            1 => (0usize..7).prop_map(|slot| vec![(slot, "broken: not a date".to_string())]),
        ];
        (values, problems)
    }

    fn env<'a>(calendar: &'a Calendar, problems: &'a [(usize, String)]) -> Env<'a> {
        Env {
            calendar,
            start: day(2025, 91),
            end: day(2026, 90),
            problems,
        }
    }

    /// The fast path's one rule: whatever it answers, the evaluator answers the same.
    fn agrees(e: &CExpr, values: &[Value], problems: &[(usize, String)]) -> Option<bool> {
        let calendar = Calendar::new("england_and_wales", &[]).ok()?;
        let env = env(&calendar, problems);
        let test = compile(e, &record())?;
        let answer = decide(&test, values, &env).ok()?;
        assert_eq!(
            eval(e, values, &env),
            Ok(Value::Bool(answer)),
            "{e:?} on {values:?} with {problems:?}"
        );
        Some(answer)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn any_expression_is_answered_as_the_evaluator_answers_it(
            e in an_expr(),
            (values, problems) in a_row(),
        ) {
            agrees(&e, &values, &problems);
        }

        #[test]
        fn comparisons_are_answered_as_the_evaluator_answers_them(
            e in a_test(),
            (values, problems) in a_row(),
        ) {
            agrees(&e, &values, &problems);
        }
    }

    /// The properties above would hold of a fast path that never answered: it answers most
    /// of the usual comparisons, with both answers.
    #[test]
    fn the_usual_comparisons_are_mostly_answered_both_ways() {
        let mut runner = TestRunner::deterministic();
        let (mut yes, mut no, mut declined) = (0, 0, 0);
        for _ in 0..2000 {
            let (Ok(e), Ok(row)) = (
                a_test().new_tree(&mut runner),
                a_row().new_tree(&mut runner),
            ) else {
                continue;
            };
            let (values, problems) = row.current();
            match agrees(&e.current(), &values, &problems) {
                Some(true) => yes += 1,
                Some(false) => no += 1,
                None => declined += 1,
            }
        }
        assert!(
            yes > 400 && no > 400,
            "yes {yes}, no {no}, declined {declined}"
        );
    }

    #[test]
    fn the_foi_test_runs_on_plain_dates_and_declines_what_it_cannot_word() {
        let e = CExpr::Binary(
            BinaryOp::Le,
            Box::new(CExpr::WorkingDays(
                Box::new(CExpr::Field(0)),
                Box::new(CExpr::Binary(
                    BinaryOp::Otherwise,
                    Box::new(CExpr::Field(1)),
                    Box::new(CExpr::Period(PeriodBound::End)),
                )),
            )),
            Box::new(CExpr::Const(Value::Int(20))),
        );
        let Some(test) = compile(&e, &record()) else {
            panic!("the FOI test has a fast form");
        };
        let row = |received: Date, responded: Option<Date>| {
            let mut values = vec![Value::Missing; 7];
            values[0] = Value::Date(received);
            values[1] = responded.map_or(Value::Missing, Value::Date);
            values
        };
        let calendar = Calendar::new("england_and_wales", &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let open = env(&calendar, &[]);
        // Received Tuesday 1 July 2025: day 20 is Tuesday 29 July, day 21 Wednesday 30 July.
        let (july_1, july_29, july_30) = (day(2025, 182), day(2025, 210), day(2025, 211));
        assert_eq!(decide(&test, &row(july_1, Some(july_29)), &open), Ok(true));
        assert_eq!(decide(&test, &row(july_1, Some(july_30)), &open), Ok(false));
        // Still open at the end of the period (31 March 2026): late.
        assert_eq!(decide(&test, &row(july_1, None), &open), Ok(false));
        // No date received: the evaluator words why the record cannot be used.
        let mut unreadable = row(july_1, None);
        unreadable[0] = Value::Missing;
        assert_eq!(decide(&test, &unreadable, &open), Err(Declined));
        let problems = [(1, "responded: \"soon\" is not a date".to_string())];
        assert_eq!(
            decide(&test, &row(july_1, None), &env(&calendar, &problems)),
            Err(Declined)
        );
    }
}
