//! `constitution doc`: the constitution as the document residents read.
//!
//! [`document`] lays out the version in force on a date (or the latest) as a [`Document`]:
//! the rights in plain language, each duty with who owes it, its promise in words, its legal
//! basis and what happens on a breach, the democratic duties, the responsibilities, the audit
//! committee and how to refer a matter to it, and the amendments with their dates. Every
//! promise is worded by [`crate::words`] from the clauses the engine runs, and the rule as
//! checked is printed beside it, so the two cannot drift. Rendering to Markdown and HTML is
//! in [`crate::render::doc`].

use crate::ast::{Body, Change, Clause, Constitution, Duty, Item};
use crate::format;
use crate::version::{self, Version, ACCOUNTABILITY};
use crate::words;
use serde::Serialize;

/// The published constitution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The area's name.
    pub name: String,
    /// Its GSS code.
    pub area: Option<String>,
    /// The adoption date, in words.
    pub adopted: Option<String>,
    /// The date whose version is shown, in words (`None`: the latest version).
    pub on: Option<String>,
    /// Whether `on` is before the adoption date.
    pub before_adoption: bool,
    /// The six rights and the local ones, in source order.
    pub rights: Vec<Section>,
    /// The democratic accountability duties.
    pub accountability: Option<Section>,
    /// Citizens' responsibilities.
    pub responsibilities: Vec<String>,
    /// The Local Public Audit Committee.
    pub committee: Option<BodyDoc>,
    /// The other bodies.
    pub bodies: Vec<BodyDoc>,
    /// Every amendment, in order of effect.
    pub amendments: Vec<AmendmentDoc>,
}

/// A right, or the accountability section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Its key (`home`, …, or `accountability`).
    pub key: String,
    /// Its title.
    pub title: String,
    /// What it means for residents.
    pub description: Option<String>,
    /// The duties in force.
    pub duties: Vec<DutyDoc>,
}

/// One duty, as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyDoc {
    /// `right.duty`.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its own description.
    pub description: Option<String>,
    /// Who owes it: the bodies' full names.
    pub owed_by: Vec<String>,
    /// Its legal basis.
    pub basis: Option<String>,
    /// The promise in words, generated from the rule; `None` when it cannot be checked.
    pub promise: Option<String>,
    /// How evidence is weighed: minimum records, no records.
    pub judging: Vec<String>,
    /// What happens on a breach.
    pub on_breach: Vec<String>,
    /// The rule as the engine runs it, one clause per line.
    pub rule: Vec<String>,
}

/// A body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyDoc {
    /// Its key.
    pub key: String,
    /// Its full name.
    pub title: String,
    /// What it is.
    pub description: Option<String>,
    /// How to reach it.
    pub contact: Option<String>,
}

/// An amendment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmendmentDoc {
    /// Its title.
    pub title: String,
    /// When it takes effect, in words.
    pub effective: String,
    /// Why, and who agreed it.
    pub description: Option<String>,
    /// Its changes.
    pub changes: Vec<ChangeDoc>,
    /// Whether it is part of the text shown.
    pub in_force: bool,
}

/// One change an amendment makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeDoc {
    /// What it does, in words.
    pub summary: String,
    /// The clauses it writes into the duty (for `amend duty`), as written.
    pub clauses: Vec<String>,
}

/// The document for the version in force on `on`, or the latest version.
pub fn document(c: &Constitution, on: Option<time::Date>) -> Document {
    let shown: Version = match on {
        Some(date) => version::in_force(c, date),
        None => version::latest(c),
    };
    let bodies: Vec<&Body> = c.bodies().collect();
    let body_title = |key: &str| {
        bodies
            .iter()
            .find(|b| b.name.name == key)
            .map_or_else(|| key.to_string(), |b| b.title.value())
    };
    let mut rights = Vec::new();
    let mut accountability = None;
    for right in &shown.rights {
        let duties = right
            .duties
            .iter()
            .map(|d| duty_doc(c, &right.name, d, &body_title))
            .collect();
        if right.name == ACCOUNTABILITY {
            accountability = Some(Section {
                key: right.name.clone(),
                title: "Democratic accountability".into(),
                description: c
                    .accountability()
                    .find_map(|a| a.description.as_ref())
                    .map(|t| t.value()),
                duties,
            });
        } else {
            let declared = c.rights().find(|r| r.name.name == right.name);
            rights.push(Section {
                key: right.name.clone(),
                title: right
                    .title
                    .as_ref()
                    .map_or_else(|| right.name.clone(), |t| t.value()),
                description: declared.and_then(|r| r.description.as_ref().map(|t| t.value())),
                duties,
            });
        }
    }
    let responsibilities = c
        .items
        .iter()
        .filter_map(|i| match &i.node {
            Item::Responsibility { text } => Some(text.value()),
            _ => None,
        })
        .collect();
    let body_doc = |b: &Body| BodyDoc {
        key: b.name.name.clone(),
        title: b.title.value(),
        description: b.description.as_ref().map(|t| t.value()),
        contact: b.contact.as_ref().map(|t| t.value()),
    };
    let committee = bodies
        .iter()
        .find(|b| b.audit_committee)
        .map(|b| body_doc(b));
    let other_bodies = bodies
        .iter()
        .filter(|b| !b.audit_committee)
        .map(|b| body_doc(b))
        .collect();
    let mut amendments: Vec<_> = c.amendments().collect();
    amendments.sort_by_key(|a| a.effective.value.map_or((1, None), |d| (0, Some(d))));
    let amendments = amendments
        .into_iter()
        .map(|a| AmendmentDoc {
            title: a.title.value(),
            effective: words::date_words(&a.effective),
            description: a.description.as_ref().map(|t| t.value()),
            changes: a
                .changes
                .iter()
                .map(|ch| change_words(c, &ch.node))
                .collect(),
            in_force: match (on, a.effective.value) {
                (None, _) => true,
                (Some(date), Some(effective)) => effective <= date,
                (Some(_), None) => false,
            },
        })
        .collect();
    let adopted = c.adopted();
    Document {
        name: c.name.value(),
        area: c.items.iter().find_map(|i| match &i.node {
            Item::Area { code } => Some(code.clone()),
            _ => None,
        }),
        adopted: adopted.map(words::date_words),
        on: on.map(|d| format!("{} {} {}", d.day(), d.month(), d.year())),
        before_adoption: matches!((on, adopted.and_then(|a| a.value)), (Some(d), Some(a)) if d < a),
        rights,
        accountability,
        responsibilities,
        committee,
        bodies: other_bodies,
        amendments,
    }
}

fn duty_doc(
    c: &Constitution,
    right: &str,
    duty: &Duty,
    body_title: &dyn Fn(&str) -> String,
) -> DutyDoc {
    let mut doc = DutyDoc {
        path: format!("{right}.{}", duty.name.name),
        title: duty.title.value(),
        description: None,
        owed_by: Vec::new(),
        basis: None,
        promise: words::promise(duty, c),
        judging: Vec::new(),
        on_breach: Vec::new(),
        rule: Vec::new(),
    };
    let parts = words::DutyParts::of(duty);
    let cell = match (parts.per_group, parts.per_period) {
        (Some(g), Some((unit, _))) => format!(
            "a {} in a {}",
            words::field_words(g),
            words::period_words(unit)
        ),
        (Some(g), None) => format!("a {}", words::field_words(g)),
        (None, Some((unit, _))) => format!("a {}", words::period_words(unit)),
        (None, None) => "the audit period".into(),
    };
    for clause in &duty.clauses {
        match &clause.node {
            Clause::Description { text } => doc.description = Some(text.value()),
            Clause::Basis { text } => doc.basis = Some(text.value()),
            Clause::OwedBy { bodies } => {
                doc.owed_by = bodies.iter().map(|b| body_title(&b.name)).collect();
            }
            Clause::Minimum { records } => doc.judging.push(format!(
                "Fewer than {records} records in {cell} is too little evidence to judge."
            )),
            Clause::NotApplicableWhenEmpty => doc
                .judging
                .push("When there are no records, the duty does not apply.".into()),
            Clause::OnBreach { body } => doc.on_breach.push(format!(
                "A breach is referred to the {}.",
                body_title(&body.name)
            )),
            Clause::OnReview { after } => doc.on_breach.push(if *after == 1 {
                "A breach calls in an independent review.".to_string()
            } else {
                format!("{after} breaches in a row call in an independent review.")
            }),
            _ => {}
        }
        if matches!(
            clause.node,
            Clause::Over { .. }
                | Clause::Each { .. }
                | Clause::Measure { .. }
                | Clause::Require { .. }
                | Clause::PerGroup { .. }
                | Clause::PerPeriod { .. }
                | Clause::Minimum { .. }
                | Clause::NotApplicableWhenEmpty
        ) {
            doc.rule.push(format::clause_text(&clause.node));
        }
    }
    doc
}

/// The title of the duty at `right.duty` in any version of the constitution.
fn duty_title(c: &Constitution, right: &str, duty: &str) -> Option<String> {
    let (all, _) = version::versions(c);
    all.iter()
        .find_map(|v| v.duty(right, duty))
        .map(|d| d.title.value())
}

fn change_words(c: &Constitution, change: &Change) -> ChangeDoc {
    let titled = |right: &str, duty: &str| {
        duty_title(c, right, duty).map_or_else(String::new, |t| format!(" “{t}”"))
    };
    match change {
        Change::Amend { path, clauses } => ChangeDoc {
            summary: format!(
                "Changes the duty{} ({path}) to read:",
                titled(&path.right.name, &path.duty.name)
            ),
            clauses: clauses
                .iter()
                .map(|cl| format::clause_text(&cl.node))
                .collect(),
        },
        Change::Add { path, duty } => ChangeDoc {
            summary: format!("Adds the duty “{}” ({path}).", duty.title.value()),
            clauses: Vec::new(),
        },
        Change::Repeal { path } => ChangeDoc {
            summary: format!(
                "Repeals the duty{} ({path}).",
                titled(&path.right.name, &path.duty.name)
            ),
            clauses: Vec::new(),
        },
    }
}
