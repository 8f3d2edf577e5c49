//! `constitution diff`: what changes for residents between two versions of a constitution.
//!
//! The two sides are two files, or one file at two dates (its amendments applied up to
//! each). Rights and duties are matched by key; for a duty in both, each clause slot is
//! compared and every change is classed as [`Effect::Stronger`] or [`Effect::Weaker`] for
//! residents when that follows from the rule alone, [`Effect::Changed`] when it does not
//! (never a guess), or [`Effect::Wording`] for titles, descriptions and bases.
//!
//! How strength is decided:
//! - **Requirements** compare when both bound the same side with thresholds of the same
//!   unit: a higher "at least" (or `every` over "at least 90%") and a lower "at most" (or
//!   `no` over "at most 5%") are stronger; "at least" against "at most" is only changed.
//! - **Tests**: when the old and new expressions differ only in constants, or in whole
//!   `and`/`or` terms or `in` list members, the change is monotone, and its direction is
//!   worked out through the operators (`<=` rhs raised is looser; `-` turns round its right
//!   side; `not` turns round; a product or quotient only by a positive constant). A looser
//!   per-record test is weaker under `every`/`at least` and stronger under `no`/`at most`;
//!   a larger measure is weaker under "at least", stronger under "at most".
//! - **Filters**: a narrower population is weaker under `every` or `no` (fewer promises);
//!   under a share or a measure it is only changed (the share may go either way).
//! - **Grouping**: `per` or `per … of` added, or a finer period, is stronger (each group
//!   or period must meet it on its own); `minimum` raised or `not applicable when no
//!   records` added is weaker; a referral or review added, or a review after fewer
//!   breaches, is stronger.
//!
//! The duty's overall effect is stronger or weaker when all its non-wording changes agree,
//! and changed otherwise.

use crate::ast::{
    BinaryOp, Clause, Constitution, Duty, Expr, ExprKind, Item, LitKind, PeriodUnit, Requirement,
};
use crate::format;
use crate::version::{self, Version};
use crate::words;
use serde::Serialize;
use std::cmp::Ordering;

/// Which version of a file a side of the comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The adopted text, no amendment applied.
    Adopted,
    /// The version in force on a date.
    On(time::Date),
    /// Every amendment applied.
    Latest,
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The file's path, as the user gave it.
    pub file: &'a str,
    /// The parsed constitution.
    pub constitution: &'a Constitution,
    /// Which version.
    pub at: At,
}

/// For residents, is a change stronger or weaker?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The promise is harder to meet, or covers more.
    Stronger,
    /// The promise is easier to meet, or covers less.
    Weaker,
    /// The meaning changed in a way the rule alone cannot rank.
    Changed,
    /// Only words residents read (title, description, basis).
    Wording,
}

impl Effect {
    /// The effect in words.
    pub fn words(self) -> &'static str {
        match self {
            Effect::Stronger => "stronger for residents",
            Effect::Weaker => "weaker for residents",
            Effect::Changed => "changed (cannot be ranked stronger or weaker)",
            Effect::Wording => "wording only",
        }
    }
}

/// How a duty differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with different clauses.
    Changed,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The old side, described.
    pub old: String,
    /// The new side, described.
    pub new: String,
    /// Rights added, removed or retitled.
    pub rights: Vec<RightChange>,
    /// Duties added, removed or changed, in the new version's order (removed ones last).
    pub duties: Vec<DutyChange>,
    /// Other differences between two files: header, bodies, records, responsibilities.
    pub other: Vec<OtherChange>,
    /// Counts.
    pub summary: Summary,
}

/// A right added, removed or retitled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RightChange {
    /// The right's key.
    pub right: String,
    /// What happened.
    pub status: Status,
    /// Its title before.
    pub before: Option<String>,
    /// Its title after.
    pub after: Option<String>,
}

/// A duty added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyChange {
    /// `right.duty`.
    pub duty: String,
    /// Its title (the new one when changed).
    pub title: String,
    /// What happened.
    pub status: Status,
    /// For residents.
    pub effect: Effect,
    /// Each clause that changed.
    pub changes: Vec<ClauseChange>,
    /// The promise in words before (`None` when added, or not checkable).
    pub promise_before: Option<String>,
    /// The promise in words after (`None` when removed, or not checkable).
    pub promise_after: Option<String>,
}

/// One clause slot that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseChange {
    /// The slot: `require`, `test`, `over`, `per`, …
    pub slot: String,
    /// The clause before, as written (`None`: there was none).
    pub before: Option<String>,
    /// The clause after, as written (`None`: there is none).
    pub after: Option<String>,
    /// For residents.
    pub effect: Effect,
    /// Why, in words.
    pub why: String,
}

/// A difference outside the rights and duties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherChange {
    /// What differs.
    pub what: String,
    /// Before.
    pub before: Option<String>,
    /// After.
    pub after: Option<String>,
}

/// How many duties changed, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Duties added.
    pub added: usize,
    /// Duties removed.
    pub removed: usize,
    /// Duties changed.
    pub changed: usize,
    /// Changed duties that are stronger.
    pub stronger: usize,
    /// Changed duties that are weaker.
    pub weaker: usize,
}

fn version_at(c: &Constitution, at: At) -> Version {
    match at {
        At::Adopted => version::in_force(c, time::Date::MIN),
        At::On(date) => version::in_force(c, date),
        At::Latest => version::latest(c),
    }
}

/// The side in words: "lambeth.lc (in force on 1 April 2026)".
pub fn describe(side: &Side<'_>) -> String {
    let which = match side.at {
        At::Adopted => "the adopted text".to_string(),
        At::On(d) => format!("in force on {} {} {}", d.day(), d.month(), d.year()),
        At::Latest => "with every amendment".to_string(),
    };
    format!("{} ({which})", side.file)
}

/// Compares two versions.
pub fn diff(old: &Side<'_>, new: &Side<'_>) -> Diff {
    let (ov, nv) = (
        version_at(old.constitution, old.at),
        version_at(new.constitution, new.at),
    );
    let mut rights = Vec::new();
    for r in &nv.rights {
        match ov.rights.iter().find(|o| o.name == r.name) {
            None => rights.push(RightChange {
                right: r.name.clone(),
                status: Status::Added,
                before: None,
                after: r.title.as_ref().map(|t| t.value()),
            }),
            Some(o) => {
                let (before, after) = (
                    o.title.as_ref().map(|t| t.value()),
                    r.title.as_ref().map(|t| t.value()),
                );
                if before != after {
                    rights.push(RightChange {
                        right: r.name.clone(),
                        status: Status::Changed,
                        before,
                        after,
                    });
                }
            }
        }
    }
    for o in &ov.rights {
        if !nv.rights.iter().any(|r| r.name == o.name) {
            rights.push(RightChange {
                right: o.name.clone(),
                status: Status::Removed,
                before: o.title.as_ref().map(|t| t.value()),
                after: None,
            });
        }
    }
    let mut duties = Vec::new();
    for r in &nv.rights {
        for d in &r.duties {
            let path = format!("{}.{}", r.name, d.name.name);
            match ov.duty(&r.name, &d.name.name) {
                None => duties.push(DutyChange {
                    duty: path,
                    title: d.title.value(),
                    status: Status::Added,
                    effect: Effect::Stronger,
                    changes: Vec::new(),
                    promise_before: None,
                    promise_after: words::promise(d, new.constitution),
                }),
                Some(before) => {
                    let changes = compare_duties(before, d);
                    if changes.is_empty() {
                        continue;
                    }
                    let (pb, pa) = (
                        words::promise(before, old.constitution),
                        words::promise(d, new.constitution),
                    );
                    let same = pb == pa;
                    duties.push(DutyChange {
                        duty: path,
                        title: d.title.value(),
                        status: Status::Changed,
                        effect: overall(&changes),
                        changes,
                        promise_before: if same { None } else { pb },
                        promise_after: if same { None } else { pa },
                    });
                }
            }
        }
    }
    for r in &ov.rights {
        for d in &r.duties {
            if nv.duty(&r.name, &d.name.name).is_none() {
                duties.push(DutyChange {
                    duty: format!("{}.{}", r.name, d.name.name),
                    title: d.title.value(),
                    status: Status::Removed,
                    effect: Effect::Weaker,
                    changes: Vec::new(),
                    promise_before: words::promise(d, old.constitution),
                    promise_after: None,
                });
            }
        }
    }
    let mut summary = Summary::default();
    for d in &duties {
        match d.status {
            Status::Added => summary.added += 1,
            Status::Removed => summary.removed += 1,
            Status::Changed => {
                summary.changed += 1;
                summary.stronger += usize::from(d.effect == Effect::Stronger);
                summary.weaker += usize::from(d.effect == Effect::Weaker);
            }
        }
    }
    Diff {
        old: describe(old),
        new: describe(new),
        rights,
        duties,
        other: other_changes(old.constitution, new.constitution),
        summary,
    }
}

fn overall(changes: &[ClauseChange]) -> Effect {
    let mut effects = changes
        .iter()
        .map(|c| c.effect)
        .filter(|e| *e != Effect::Wording);
    let Some(first) = effects.next() else {
        return Effect::Wording;
    };
    if first != Effect::Changed && effects.all(|e| e == first) {
        first
    } else {
        Effect::Changed
    }
}

fn slot_clause<'d>(duty: &'d Duty, slot: &str) -> Option<&'d Clause> {
    duty.clauses
        .iter()
        .map(|c| &c.node)
        .find(|c| c.slot() == slot)
}

const SLOTS: [&str; 13] = [
    "description",
    "owed by",
    "basis",
    "over",
    "test",
    "require",
    "per",
    "per … of",
    "minimum",
    "not applicable when no records",
    "on breach",
    "on … consecutive breaches",
    "title",
];

/// Which way a requirement bounds its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side2 {
    /// `every`, `at least`, `more than`: a higher figure is better.
    Lower,
    /// `no`, `at most`, `less than`: a lower figure is better.
    Upper,
}

fn bound_side(r: &Requirement) -> Side2 {
    match r {
        Requirement::Every | Requirement::AtLeast(_) | Requirement::MoreThan(_) => Side2::Lower,
        Requirement::No | Requirement::AtMost(_) | Requirement::LessThan(_) => Side2::Upper,
    }
}

fn require_of(d: &Duty) -> Option<&Requirement> {
    match slot_clause(d, "require") {
        Some(Clause::Require { requirement }) => Some(requirement),
        _ => None,
    }
}

fn compare_duties(old: &Duty, new: &Duty) -> Vec<ClauseChange> {
    let mut out = Vec::new();
    let test_changed = slot_clause(old, "test").map(format::clause_text)
        != slot_clause(new, "test").map(format::clause_text);
    let new_require = require_of(new);
    let old_require = require_of(old);
    // The requirement the test is read against: a test change is only ranked when both
    // versions bound the same side.
    let side = match (old_require, new_require) {
        (Some(a), Some(b)) if bound_side(a) == bound_side(b) => Some(bound_side(b)),
        _ => None,
    };
    for slot in SLOTS {
        let (before, after) = if slot == "title" {
            (
                Some(format::string(&old.title.value())),
                Some(format::string(&new.title.value())),
            )
        } else {
            (
                slot_clause(old, slot).map(format::clause_text),
                slot_clause(new, slot).map(format::clause_text),
            )
        };
        if before == after {
            continue;
        }
        let (effect, why) = match slot {
            "title" | "description" | "basis" => {
                (Effect::Wording, "the words residents read".to_string())
            }
            "owed by" => (Effect::Changed, "who owes the duty".to_string()),
            "over" => compare_over(old, new, side),
            "test" => compare_test(old, new, side),
            "require" if test_changed => (
                Effect::Changed,
                "the test changed too, so the thresholds do not measure the same thing".to_string(),
            ),
            "require" => match (old_require, new_require) {
                (Some(a), Some(b)) => compare_requirements(a, b),
                (None, Some(_)) => (Effect::Stronger, "a requirement was added".into()),
                _ => (Effect::Weaker, "the requirement was removed".into()),
            },
            "per" => match (slot_clause(old, slot), slot_clause(new, slot)) {
                (None, Some(_)) => (
                    Effect::Stronger,
                    "each group must now meet it on its own".into(),
                ),
                (Some(_), None) => (
                    Effect::Weaker,
                    "groups are no longer judged on their own".into(),
                ),
                _ => (Effect::Changed, "judged by a different grouping".into()),
            },
            "per … of" => compare_periods(slot_clause(old, slot), slot_clause(new, slot)),
            "minimum" => {
                let n = |c: Option<&Clause>| match c {
                    Some(Clause::Minimum { records }) => Some(*records),
                    _ => None,
                };
                match (n(slot_clause(old, slot)), n(slot_clause(new, slot))) {
                    (Some(a), Some(b)) if b > a => (
                        Effect::Weaker,
                        "more groups are too little evidence to judge".into(),
                    ),
                    (Some(_), Some(_)) => (
                        Effect::Stronger,
                        "fewer groups are too little evidence to judge".into(),
                    ),
                    (None, Some(_)) => (
                        Effect::Weaker,
                        "small groups are now too little evidence to judge".into(),
                    ),
                    _ => (
                        Effect::Stronger,
                        "no group is set aside for having few records".into(),
                    ),
                }
            }
            "not applicable when no records" => match slot_clause(new, slot) {
                Some(_) => (
                    Effect::Weaker,
                    "no records now means not applicable, not too little evidence".into(),
                ),
                None => (
                    Effect::Stronger,
                    "no records is now too little evidence, not not applicable".into(),
                ),
            },
            "on breach" => match (slot_clause(old, slot), slot_clause(new, slot)) {
                (None, Some(_)) => (Effect::Stronger, "breaches are now referred".into()),
                (Some(_), None) => (Effect::Weaker, "breaches are no longer referred".into()),
                _ => (Effect::Changed, "referred to a different body".into()),
            },
            _ => {
                let n = |c: Option<&Clause>| match c {
                    Some(Clause::OnReview { after }) => Some(*after),
                    _ => None,
                };
                match (n(slot_clause(old, slot)), n(slot_clause(new, slot))) {
                    (Some(a), Some(b)) if b < a => (
                        Effect::Stronger,
                        "a review is called in after fewer breaches".into(),
                    ),
                    (Some(_), Some(_)) => (
                        Effect::Weaker,
                        "a review is called in only after more breaches".into(),
                    ),
                    (None, Some(_)) => (
                        Effect::Stronger,
                        "repeated breaches now call in a review".into(),
                    ),
                    _ => (
                        Effect::Weaker,
                        "repeated breaches no longer call in a review".into(),
                    ),
                }
            }
        };
        out.push(ClauseChange {
            slot: slot.to_string(),
            before,
            after,
            effect,
            why,
        });
    }
    out
}

fn compare_periods(old: Option<&Clause>, new: Option<&Clause>) -> (Effect, String) {
    let rank = |u: PeriodUnit| match u {
        PeriodUnit::Month => 0,
        PeriodUnit::Quarter => 1,
        PeriodUnit::Year => 2,
    };
    match (old, new) {
        (None, Some(_)) => (
            Effect::Stronger,
            "each period must now meet it on its own".into(),
        ),
        (Some(_), None) => (
            Effect::Weaker,
            "periods are no longer judged on their own".into(),
        ),
        (
            Some(Clause::PerPeriod { unit: a, field: fa }),
            Some(Clause::PerPeriod { unit: b, field: fb }),
        ) if fa.name == fb.name => match rank(*b).cmp(&rank(*a)) {
            Ordering::Less => (
                Effect::Stronger,
                "judged in shorter periods, each on its own".into(),
            ),
            Ordering::Greater => (
                Effect::Weaker,
                "judged in longer periods: a bad month can hide in a good quarter".into(),
            ),
            Ordering::Equal => (Effect::Changed, "the period changed".into()),
        },
        _ => (
            Effect::Changed,
            "records are placed in periods by a different date".into(),
        ),
    }
}

/// A threshold as an exact comparable quantity: (unit, value × 10^12).
fn quantity(lit: &LitKind) -> Option<(&'static str, i128)> {
    const SCALE: u32 = 12;
    let scaled = |mantissa: i64, scale: u32| -> Option<i128> {
        let factor = 10i128.checked_pow(SCALE.checked_sub(scale)?)?;
        i128::from(mantissa).checked_mul(factor)
    };
    match lit {
        LitKind::Number(d) => Some(("number", scaled(d.mantissa, d.scale)?)),
        LitKind::Percent(d) => Some(("percent", scaled(d.mantissa, d.scale)?)),
        LitKind::Money(p) => Some(("money", scaled(*p, 0)?)),
        LitKind::Duration { amount, unit } => {
            Some(("duration", scaled(words::duration_days(*amount, *unit), 0)?))
        }
        LitKind::Date(d) => Some(("date", i128::from(d.value?.to_julian_day()))),
        _ => None,
    }
}

/// A requirement as (side, quantity, strict): `every` is at least 100%, `no` at most 0%.
fn bound(r: &Requirement) -> Option<(Side2, (&'static str, i128), bool)> {
    const HUNDRED: i128 = 100_000_000_000_000;
    Some(match r {
        Requirement::Every => (Side2::Lower, ("percent", HUNDRED), false),
        Requirement::No => (Side2::Upper, ("percent", 0), false),
        Requirement::AtLeast(t) => (Side2::Lower, quantity(&t.value)?, false),
        Requirement::MoreThan(t) => (Side2::Lower, quantity(&t.value)?, true),
        Requirement::AtMost(t) => (Side2::Upper, quantity(&t.value)?, false),
        Requirement::LessThan(t) => (Side2::Upper, quantity(&t.value)?, true),
    })
}

fn compare_requirements(old: &Requirement, new: &Requirement) -> (Effect, String) {
    let before = words::requirement(old);
    let after = words::requirement(new);
    let (Some((os, (ou, ov), ostrict)), Some((ns, (nu, nv), nstrict))) = (bound(old), bound(new))
    else {
        return (Effect::Changed, format!("{before} → {after}"));
    };
    if os != ns || ou != nu {
        return (
            Effect::Changed,
            format!("{before} → {after}: not comparable"),
        );
    }
    // Positive: the new requirement is harder to meet.
    let harder = match (nv.cmp(&ov), nstrict.cmp(&ostrict)) {
        (Ordering::Equal, strictness) => strictness,
        (value, _) => match ns {
            Side2::Lower => value,
            Side2::Upper => value.reverse(),
        },
    };
    match harder {
        Ordering::Greater => (
            Effect::Stronger,
            format!("{before} → {after}: harder to meet"),
        ),
        Ordering::Less => (
            Effect::Weaker,
            format!("{before} → {after}: easier to meet"),
        ),
        Ordering::Equal => (Effect::Wording, format!("{before}, written differently")),
    }
}

fn over_of(d: &Duty) -> Option<(&str, Option<&Expr>)> {
    match slot_clause(d, "over") {
        Some(Clause::Over { record, filter }) => Some((record.name.as_str(), filter.as_ref())),
        _ => None,
    }
}

fn compare_over(old: &Duty, new: &Duty, side: Option<Side2>) -> (Effect, String) {
    let (Some((orec, ofilter)), Some((nrec, nfilter))) = (over_of(old), over_of(new)) else {
        return (Effect::Changed, "the population changed".into());
    };
    if orec != nrec {
        return (Effect::Changed, "the duty reads a different record".into());
    }
    // Positive: the new filter lets more records in.
    let wider = match (ofilter, nfilter) {
        (None, Some(_)) => Some(Ordering::Less),
        (Some(_), None) => Some(Ordering::Greater),
        (Some(a), Some(b)) => direction(a, b),
        (None, None) => Some(Ordering::Equal),
    };
    let every_or_no = matches!(require_of(new), Some(Requirement::Every | Requirement::No))
        && matches!(require_of(old), Some(Requirement::Every | Requirement::No));
    match wider {
        Some(Ordering::Less) if every_or_no && side.is_some() => (
            Effect::Weaker,
            "fewer records are judged (the population is narrower)".into(),
        ),
        Some(Ordering::Greater) if every_or_no && side.is_some() => (
            Effect::Stronger,
            "more records are judged (the population is wider)".into(),
        ),
        Some(Ordering::Less) => (
            Effect::Changed,
            "fewer records are judged (the population is narrower); the share may go either way"
                .into(),
        ),
        Some(Ordering::Greater) => (
            Effect::Changed,
            "more records are judged (the population is wider); the share may go either way".into(),
        ),
        _ => (Effect::Changed, "a different population is judged".into()),
    }
}

fn compare_test(old: &Duty, new: &Duty, side: Option<Side2>) -> (Effect, String) {
    match (slot_clause(old, "test"), slot_clause(new, "test")) {
        (Some(Clause::Each { condition: a }), Some(Clause::Each { condition: b })) => {
            match (direction(a, b), side) {
                (Some(Ordering::Greater), Some(Side2::Lower)) => {
                    (Effect::Weaker, "the test for each record is looser".into())
                }
                (Some(Ordering::Less), Some(Side2::Lower)) => (
                    Effect::Stronger,
                    "the test for each record is stricter".into(),
                ),
                (Some(Ordering::Greater), Some(Side2::Upper)) => (
                    Effect::Stronger,
                    "the test is looser, so more records count against the limit".into(),
                ),
                (Some(Ordering::Less), Some(Side2::Upper)) => (
                    Effect::Weaker,
                    "the test is stricter, so fewer records count against the limit".into(),
                ),
                _ => (Effect::Changed, "the test for each record changed".into()),
            }
        }
        (Some(Clause::Measure { measure: a }), Some(Clause::Measure { measure: b })) => {
            match (direction(a, b), side) {
                (Some(Ordering::Greater), Some(Side2::Lower)) => (
                    Effect::Weaker,
                    "the figure comes out higher against a minimum".into(),
                ),
                (Some(Ordering::Less), Some(Side2::Lower)) => (
                    Effect::Stronger,
                    "the figure comes out lower against a minimum".into(),
                ),
                (Some(Ordering::Greater), Some(Side2::Upper)) => (
                    Effect::Stronger,
                    "the figure comes out higher against a maximum".into(),
                ),
                (Some(Ordering::Less), Some(Side2::Upper)) => (
                    Effect::Weaker,
                    "the figure comes out lower against a maximum".into(),
                ),
                _ => (Effect::Changed, "the figure measured changed".into()),
            }
        }
        _ => (Effect::Changed, "the test changed".into()),
    }
}

fn positive_constant(e: &Expr) -> bool {
    match &strip(e).kind {
        ExprKind::Literal { value } => quantity(value).is_some_and(|(_, v)| v > 0),
        _ => false,
    }
}

fn strip(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Paren { inner } => strip(inner),
        _ => e,
    }
}

/// How `new` compares with `old` as a value (or, for a condition, how much more often it
/// holds): `Greater` means larger or looser, `Less` smaller or stricter, `Equal` the same,
/// `None` not monotone or not known.
pub fn direction(old: &Expr, new: &Expr) -> Option<Ordering> {
    let (a, b) = (strip(old), strip(new));
    if format::expr(a) == format::expr(b) {
        return Some(Ordering::Equal);
    }
    // Whole terms added to or removed from an `and` / `or` chain.
    for op in [BinaryOp::And, BinaryOp::Or] {
        if is_op(a, op) || is_op(b, op) {
            let (sa, sb) = (terms(a, op), terms(b, op));
            let a_in_b = sa.iter().all(|t| sb.contains(t));
            let b_in_a = sb.iter().all(|t| sa.contains(t));
            let more_terms = match (a_in_b, b_in_a) {
                (true, false) => Some(Ordering::Greater),
                (false, true) => Some(Ordering::Less),
                _ => None,
            };
            if let Some(more) = more_terms {
                // More `and` terms: stricter; more `or` terms: looser.
                return Some(if op == BinaryOp::And {
                    more.reverse()
                } else {
                    more
                });
            }
        }
    }
    match (&a.kind, &b.kind) {
        (ExprKind::Literal { value: x }, ExprKind::Literal { value: y }) => {
            let ((ux, vx), (uy, vy)) = (quantity(x)?, quantity(y)?);
            (ux == uy).then(|| vy.cmp(&vx))
        }
        (
            ExprKind::Binary {
                op: oa,
                lhs: la,
                rhs: ra,
            },
            ExprKind::Binary {
                op: ob,
                lhs: lb,
                rhs: rb,
            },
        ) if oa == ob => {
            let l = direction(la, lb);
            let r = direction(ra, rb);
            let (ls, rs) = match oa {
                BinaryOp::And | BinaryOp::Or | BinaryOp::Add | BinaryOp::Otherwise => (1, 1),
                BinaryOp::Sub => (1, -1),
                BinaryOp::Lt | BinaryOp::Le => (-1, 1),
                BinaryOp::Gt | BinaryOp::Ge => (1, -1),
                BinaryOp::Eq | BinaryOp::Ne => (0, 0),
                BinaryOp::Mul => {
                    // Only scaling by the same positive constant is monotone.
                    let lpos = l == Some(Ordering::Equal) && positive_constant(la);
                    let rpos = r == Some(Ordering::Equal) && positive_constant(ra);
                    match (lpos, rpos) {
                        (true, _) => (0, 1),
                        (_, true) => (1, 0),
                        _ => return None,
                    }
                }
                BinaryOp::Div => {
                    if r == Some(Ordering::Equal) && positive_constant(ra) {
                        (1, 0)
                    } else {
                        return None;
                    }
                }
            };
            combine(&[(ls, l), (rs, r)])
        }
        (
            ExprKind::Unary {
                op: oa,
                operand: xa,
            },
            ExprKind::Unary {
                op: ob,
                operand: xb,
            },
        ) if oa == ob => direction(xa, xb).map(Ordering::reverse),
        (ExprKind::Call { name: na, args: aa }, ExprKind::Call { name: nb, args: ab })
            if na.name == nb.name && aa.len() == ab.len() =>
        {
            let signs: &[i8] = match na.name.as_str() {
                "count" | "share" | "sum" | "mean" | "median" | "min" | "max" => &[1],
                "working_days" | "days" => &[-1, 1],
                _ => return None,
            };
            let parts: Vec<(i8, Option<Ordering>)> = aa
                .iter()
                .zip(ab)
                .zip(signs.iter().copied())
                .map(|((x, y), s)| (s, direction(x, y)))
                .collect();
            if parts.len() != aa.len() {
                return None;
            }
            combine(&parts)
        }
        (
            ExprKind::In {
                operand: xa,
                list: la,
                negated: na,
            },
            ExprKind::In {
                operand: xb,
                list: lb,
                negated: nb,
            },
        ) if na == nb && direction(xa, xb) == Some(Ordering::Equal) => {
            let items = |l: &Expr| -> Vec<String> {
                match &l.kind {
                    ExprKind::List { items } => items.iter().map(format::expr).collect(),
                    _ => vec![format::expr(l)],
                }
            };
            let (ia, ib) = (items(la), items(lb));
            let more = match (
                ia.iter().all(|i| ib.contains(i)),
                ib.iter().all(|i| ia.contains(i)),
            ) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (true, true) => Ordering::Equal,
                _ => return None,
            };
            Some(if *na { more.reverse() } else { more })
        }
        _ => None,
    }
}

fn is_op(e: &Expr, op: BinaryOp) -> bool {
    matches!(&strip(e).kind, ExprKind::Binary { op: o, .. } if *o == op)
}

/// The terms of an `and` (or `or`) chain, as written.
fn terms(e: &Expr, op: BinaryOp) -> Vec<String> {
    match &strip(e).kind {
        ExprKind::Binary { op: o, lhs, rhs } if *o == op => {
            let mut t = terms(lhs, op);
            t.extend(terms(rhs, op));
            t
        }
        _ => vec![format::expr(strip(e))],
    }
}

/// Combines the directions of the parts of an expression, each turned by its sign
/// (0: the part must not change).
fn combine(parts: &[(i8, Option<Ordering>)]) -> Option<Ordering> {
    let mut result = Ordering::Equal;
    for (sign, dir) in parts {
        let dir = (*dir)?;
        if dir == Ordering::Equal {
            continue;
        }
        let turned = match sign {
            1 => dir,
            -1 => dir.reverse(),
            _ => return None,
        };
        if result == Ordering::Equal {
            result = turned;
        } else if result != turned {
            return None;
        }
    }
    Some(result)
}

fn other_changes(old: &Constitution, new: &Constitution) -> Vec<OtherChange> {
    let mut out = Vec::new();
    let mut push = |what: String, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(OtherChange {
                what,
                before,
                after,
            });
        }
    };
    push(
        "name".into(),
        Some(old.name.value()),
        Some(new.name.value()),
    );
    let area = |c: &Constitution| {
        c.items.iter().find_map(|i| match &i.node {
            Item::Area { code } => Some(code.clone()),
            _ => None,
        })
    };
    push("area code".into(), area(old), area(new));
    push(
        "adopted".into(),
        old.adopted().map(|d| d.text.clone()),
        new.adopted().map(|d| d.text.clone()),
    );
    let calendar = |c: &Constitution| {
        c.calendar().map(|cal| {
            let closed: Vec<String> = cal.closed.iter().map(|d| d.date.text.clone()).collect();
            if closed.is_empty() {
                cal.name.name.clone()
            } else {
                format!("{} closed {}", cal.name.name, closed.join(", "))
            }
        })
    };
    push("calendar".into(), calendar(old), calendar(new));
    for b in new.bodies() {
        let before = old
            .bodies()
            .find(|o| o.name.name == b.name.name)
            .map(|o| o.title.value());
        push(
            format!("body {}", b.name.name),
            before,
            Some(b.title.value()),
        );
    }
    for o in old.bodies() {
        if !new.bodies().any(|b| b.name.name == o.name.name) {
            push(format!("body {}", o.name.name), Some(o.title.value()), None);
        }
    }
    let record_text = |r: &crate::ast::Record| {
        r.fields
            .iter()
            .map(|f| {
                let mut s = format!("{} {}", f.name.name, format::field_type(&f.ty));
                if f.optional {
                    s.push_str(" optional");
                }
                if f.key {
                    s.push_str(" key");
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for r in new.records() {
        let before = old.record(&r.name.name).map(record_text);
        push(
            format!("record {}", r.name.name),
            before,
            Some(record_text(r)),
        );
    }
    for r in old.records() {
        if new.record(&r.name.name).is_none() {
            push(
                format!("record {}", r.name.name),
                Some(record_text(r)),
                None,
            );
        }
    }
    let responsibilities = |c: &Constitution| -> Vec<String> {
        c.items
            .iter()
            .filter_map(|i| match &i.node {
                Item::Responsibility { text } => Some(text.value()),
                _ => None,
            })
            .collect()
    };
    let (ro, rn) = (responsibilities(old), responsibilities(new));
    for r in &rn {
        if !ro.contains(r) {
            push("responsibility".into(), None, Some(r.clone()));
        }
    }
    for r in &ro {
        if !rn.contains(r) {
            push("responsibility".into(), Some(r.clone()), None);
        }
    }
    out
}

/// The comparison as text, for a committee paper or a terminal.
pub fn text(d: &Diff) -> String {
    let mut out = format!("Comparing {}\n     with {}\n", d.old, d.new);
    for r in &d.rights {
        out.push_str(&match r.status {
            Status::Added => format!(
                "\nRight added: {} {}\n",
                r.right,
                r.after.as_deref().map(format::string).unwrap_or_default()
            ),
            Status::Removed => format!(
                "\nRight removed: {} {}\n",
                r.right,
                r.before.as_deref().map(format::string).unwrap_or_default()
            ),
            Status::Changed => format!(
                "\nRight retitled: {}: {} → {}\n",
                r.right,
                r.before.as_deref().map(format::string).unwrap_or_default(),
                r.after.as_deref().map(format::string).unwrap_or_default()
            ),
        });
    }
    if d.duties.is_empty() && d.rights.is_empty() {
        out.push_str("\nNo right or duty differs.\n");
    }
    for duty in &d.duties {
        let status = match duty.status {
            Status::Added => "Duty added",
            Status::Removed => "Duty removed",
            Status::Changed => "Duty changed",
        };
        let effect = match duty.status {
            Status::Added => "a new promise, stronger for residents",
            Status::Removed => "a promise withdrawn, weaker for residents",
            Status::Changed => duty.effect.words(),
        };
        out.push_str(&format!(
            "\n{status}: {} {}: {effect}\n",
            duty.duty,
            format::string(&duty.title),
        ));
        for c in &duty.changes {
            out.push_str(&format!("  {}: {}\n", c.slot, c.effect.words()));
            out.push_str(&format!(
                "    before: {}\n    after:  {}\n    why:    {}\n",
                c.before.as_deref().unwrap_or("(none)"),
                c.after.as_deref().unwrap_or("(none)"),
                c.why
            ));
        }
        if let Some(p) = &duty.promise_before {
            out.push_str(&format!("  promise before: {p}\n"));
        }
        if let Some(p) = &duty.promise_after {
            out.push_str(&format!("  promise after:  {p}\n"));
        }
    }
    if !d.other.is_empty() {
        out.push_str("\nOther differences:\n");
        for o in &d.other {
            out.push_str(&format!(
                "  {}: {} → {}\n",
                o.what,
                o.before.as_deref().unwrap_or("(none)"),
                o.after.as_deref().unwrap_or("(none)")
            ));
        }
    }
    let s = d.summary;
    out.push_str(&format!(
        "\n{} added, {} removed, {} changed ({} stronger, {} weaker, {} neither or wording only).\n",
        plural(s.added, "duty", "duties"),
        s.removed,
        s.changed,
        s.stronger,
        s.weaker,
        s.changed.saturating_sub(s.stronger + s.weaker)
    ));
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The comparison as JSON.
pub fn json(d: &Diff) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        let source = format!(
            "constitution \"X\" {{ record r \"R\" {{ id text key\n a number\n b number\n d date\n e date optional\n s one of \"x\", \"y\", \"z\"\n f boolean }} right home \"H\" {{ duty d \"D\" {{ over r\n each {text}\n require every }} }} }}"
        );
        let ast = crate::parse(&source).ast.unwrap();
        let right = ast.rights().next().unwrap();
        match &right.duties[0].clauses[1].node {
            Clause::Each { condition } => condition.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn dir(a: &str, b: &str) -> Option<Ordering> {
        direction(&expr(a), &expr(b))
    }

    #[test]
    fn constants_move_conditions_through_the_operators() {
        use Ordering::*;
        assert_eq!(dir("a <= 20", "a <= 15"), Some(Less));
        assert_eq!(dir("a <= 20", "a <= 25"), Some(Greater));
        assert_eq!(dir("a >= 40%", "a >= 45%"), Some(Less));
        assert_eq!(dir("20 >= a", "15 >= a"), Some(Less));
        assert_eq!(
            dir(
                "(e otherwise period.end) - d <= 6 weeks",
                "(e otherwise period.end) - d <= 8 weeks"
            ),
            Some(Greater)
        );
        assert_eq!(
            dir(
                "(e otherwise period.end) - d <= 6 weeks",
                "(e otherwise period.end) - d <= 42 days"
            ),
            Some(Equal)
        );
        assert_eq!(
            dir("d > period.end - 26 weeks", "d > period.end - 13 weeks"),
            Some(Less)
        );
        assert_eq!(dir("not a > 3", "not a > 5"), Some(Greater));
        assert_eq!(
            dir("a >= b * 0.4", "a >= b * 0.5"),
            None,
            "b may be negative"
        );
        assert_eq!(dir("(a + 1) * 2 <= b", "(a + 2) * 2 <= b"), Some(Less));
        assert_eq!(dir("a * 2 >= b", "a * 3 >= b"), None, "a may be negative");
        assert_eq!(dir("a == 3", "a == 4"), None);
        assert_eq!(dir("a <= 20 and b <= 3", "a <= 15 and b <= 2"), Some(Less));
        assert_eq!(dir("a <= 20 and b <= 3", "a <= 15 and b <= 4"), None);
    }

    #[test]
    fn terms_and_list_members() {
        use Ordering::*;
        assert_eq!(dir("a <= 20", "a <= 20 and f"), Some(Less));
        assert_eq!(dir("a <= 20 or f", "a <= 20"), Some(Less));
        assert_eq!(dir("s in [\"x\"]", "s in [\"x\", \"y\"]"), Some(Greater));
        assert_eq!(
            dir("s not in [\"x\"]", "s not in [\"x\", \"y\"]"),
            Some(Less)
        );
        assert_eq!(dir("s in [\"x\"]", "s in [\"y\"]"), None);
    }

    #[test]
    fn requirements_rank_only_within_one_side_and_unit() {
        let r = |t: &str| -> Requirement {
            let source = format!(
                "constitution \"X\" {{ record r \"R\" {{ id text key\n a number }} right home \"H\" {{ duty d \"D\" {{ over r\n measure count()\n require {t} }} }} }}"
            );
            let ast = crate::parse(&source).ast.unwrap();
            let right = ast.rights().next().unwrap();
            match &right.duties[0].clauses[2].node {
                Clause::Require { requirement } => requirement.clone(),
                other => panic!("{other:?}"),
            }
        };
        let e = |a: &str, b: &str| compare_requirements(&r(a), &r(b)).0;
        assert_eq!(e("at least 90%", "at least 95%"), Effect::Stronger);
        assert_eq!(e("at least 95%", "at least 90%"), Effect::Weaker);
        assert_eq!(e("at most 5%", "at most 2%"), Effect::Stronger);
        assert_eq!(e("at least 90%", "every"), Effect::Stronger);
        assert_eq!(e("at most 5%", "no"), Effect::Stronger);
        assert_eq!(e("at least 10", "more than 10"), Effect::Stronger);
        assert_eq!(e("less than 10", "at most 10"), Effect::Weaker);
        assert_eq!(e("at least 90%", "at most 90%"), Effect::Changed);
        assert_eq!(e("at least 10", "at least 10%"), Effect::Changed);
        assert_eq!(e("at least 90%", "at least 90.0%"), Effect::Wording);
    }
}
