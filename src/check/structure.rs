//! Validators for the constitution's outline: header, names, the six rights, records,
//! accountability and amendment dates.

use super::{suggest, CALENDARS, FUNDAMENTAL_RIGHTS};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::version::Version;
use std::collections::HashMap;

/// The header: area code, adoption date and calendar, each once.
pub fn header(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for item in &c.items {
        let key = match &item.node {
            Item::Area { code } => {
                if !is_gss_code(code) {
                    out.push(
                        Diagnostic::new(
                            Code::InvalidAreaCode,
                            item.span,
                            format!("`{code}` is not an ONS area code"),
                        )
                        .with_help("use the nine-character GSS code, e.g. `E09000022` for Lambeth"),
                    );
                }
                "area"
            }
            Item::Adopted { .. } => "adopted",
            Item::Calendar(cal) => {
                if !CALENDARS.contains(&cal.name.name.as_str()) {
                    let help = match suggest(&cal.name.name, CALENDARS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "the calendars are {}",
                            CALENDARS
                                .iter()
                                .map(|c| format!("`{c}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    out.push(
                        Diagnostic::new(
                            Code::UnknownCalendar,
                            cal.name.span,
                            format!("there is no calendar `{}`", cal.name.name),
                        )
                        .with_help(help),
                    );
                }
                let mut days: HashMap<&str, Span> = HashMap::new();
                for day in &cal.closed {
                    if days.insert(&day.date.text, day.span).is_some() {
                        out.push(
                            Diagnostic::new(
                                Code::Duplicate,
                                day.span,
                                format!("closure day `{}` is listed twice", day.date.text),
                            )
                            .with_help("remove one of the two lines"),
                        );
                    }
                }
                "calendar"
            }
            Item::Accountability(_) => "accountability",
            _ => continue,
        };
        if seen.insert(key, item.span).is_some() {
            out.push(
                Diagnostic::new(
                    Code::Duplicate,
                    item.span,
                    format!("`{key}` is written more than once"),
                )
                .with_help(format!("keep one `{key}`")),
            );
        }
    }
    let header_span = Span::new(c.span.start, c.name.span.end);
    for (key, example) in [
        ("area", "area E09000022"),
        ("adopted", "adopted 2025-05-14"),
        ("calendar", "calendar uk"),
    ] {
        if !seen.contains_key(key) {
            out.push(
                Diagnostic::new(
                    Code::MissingHeader,
                    header_span,
                    format!("the constitution has no `{key}` line"),
                )
                .with_help(format!("add `{example}` inside the constitution block")),
            );
        }
    }
    out
}

/// A GSS code: E, W, S or N then eight digits.
fn is_gss_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('E' | 'W' | 'S' | 'N'))
        && code.len() == 9
        && chars.all(|c| c.is_ascii_digit())
}

fn duplicate(kind: &str, name: &Ident, out: &mut Vec<Diagnostic>) {
    out.push(
        Diagnostic::new(
            Code::Duplicate,
            name.span,
            format!("{kind} `{}` is defined more than once", name.name),
        )
        .with_help(format!(
            "rename or remove one of the two definitions of `{}`",
            name.name
        )),
    );
}

/// Unique names: rights, bodies, records, duties within a right, tests.
pub fn names(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut rights: HashMap<&str, Span> = HashMap::new();
    let mut bodies: HashMap<&str, Span> = HashMap::new();
    let mut records: HashMap<&str, Span> = HashMap::new();
    let mut tests: HashMap<String, Span> = HashMap::new();
    let mut accountability_duties: HashMap<&str, Span> = HashMap::new();
    for item in &c.items {
        match &item.node {
            Item::Right(r) => {
                if rights.insert(&r.name.name, r.name.span).is_some() {
                    duplicate("right", &r.name, &mut out);
                }
                if r.name.name == crate::version::ACCOUNTABILITY {
                    out.push(
                        Diagnostic::new(
                            Code::Duplicate,
                            r.name.span,
                            "`accountability` is the name of the accountability section",
                        )
                        .with_help("choose another key for this right"),
                    );
                }
                let mut duties: HashMap<&str, Span> = HashMap::new();
                for d in &r.duties {
                    if duties.insert(&d.name.name, d.name.span).is_some() {
                        duplicate("duty", &d.name, &mut out);
                    }
                }
            }
            Item::Accountability(a) => {
                for d in &a.duties {
                    if accountability_duties
                        .insert(&d.name.name, d.name.span)
                        .is_some()
                    {
                        duplicate("duty", &d.name, &mut out);
                    }
                }
            }
            Item::Body(b) if bodies.insert(&b.name.name, b.name.span).is_some() => {
                duplicate("body", &b.name, &mut out);
            }
            Item::Record(r) if records.insert(&r.name.name, r.name.span).is_some() => {
                duplicate("record", &r.name, &mut out);
            }
            Item::Test(t) => {
                if let Some(_first) = tests.insert(t.name.value(), t.name.span) {
                    out.push(
                        Diagnostic::new(
                            Code::Duplicate,
                            t.name.span,
                            format!("test \"{}\" is defined more than once", t.name.value()),
                        )
                        .with_help("give each test its own name"),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// The six fundamental rights are all present; rights have descriptions.
pub fn rights(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let header_span = Span::new(c.span.start, c.name.span.end);
    for (key, title) in FUNDAMENTAL_RIGHTS {
        if !c.rights().any(|r| r.name.name == key) {
            let near = suggest(key, c.rights().map(|r| r.name.name.as_str()));
            let mut help = format!(
                "add `right {key} \"{}\" {{ … }}` with its duties",
                capitalise(title)
            );
            if let Some(n) = near {
                help = format!(
                    "`right {n}` may be meant as `{key}`, since the six keys are fixed: {help}"
                );
            }
            out.push(
                Diagnostic::new(
                    Code::MissingRight,
                    header_span,
                    format!("the fundamental right `{key}` ({title}) is missing"),
                )
                .with_help(help),
            );
        }
    }
    for r in c.rights() {
        if r.description.is_none() {
            out.push(
                Diagnostic::new(
                    Code::MissingClause,
                    r.name.span,
                    format!("right `{}` has no description", r.name.name),
                )
                .with_help(
                    "add `description \"…\"` saying what the right means for residents; the \
                     published constitution uses it",
                ),
            );
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Records: unique fields, one key, enumeration values unique.
pub fn records(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in c.records() {
        let mut fields: HashMap<&str, Span> = HashMap::new();
        for f in &r.fields {
            if fields.insert(&f.name.name, f.name.span).is_some() {
                duplicate("field", &f.name, &mut out);
            }
            if let FieldType::Enum(values) = &f.ty {
                let mut seen = std::collections::HashSet::new();
                for v in values {
                    if !seen.insert(v) {
                        out.push(
                            Diagnostic::new(
                                Code::Duplicate,
                                f.ty_span,
                                format!("\"{v}\" is listed twice in `{}`", f.name.name),
                            )
                            .with_help("list each value once"),
                        );
                    }
                }
            }
        }
        let keys: Vec<&Field> = r.fields.iter().filter(|f| f.key).collect();
        match keys.as_slice() {
            [] => out.push(
                Diagnostic::new(
                    Code::RecordWithoutKey,
                    r.name.span,
                    format!("record `{}` has no key field", r.name.name),
                )
                .with_help(
                    "mark the field that identifies a case `key`, e.g. `id text key`; reports \
                     name failing records by their key only",
                ),
            ),
            [_] => {}
            [_, rest @ ..] => {
                for k in rest {
                    out.push(
                        Diagnostic::new(
                            Code::Duplicate,
                            k.span,
                            format!("record `{}` has more than one key field", r.name.name),
                        )
                        .with_help("a record has one key; remove `key` from the others"),
                    );
                }
            }
        }
        for f in &keys {
            if f.optional {
                out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        f.span,
                        format!("key field `{}` cannot be optional", f.name.name),
                    )
                    .with_help("every record needs its key; remove `optional`"),
                );
            }
        }
    }
    out
}

/// The accountability section and the audit committee exist.
pub fn accountability(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let header_span = Span::new(c.span.start, c.name.span.end);
    if c.accountability().next().is_none() {
        out.push(
            Diagnostic::new(
                Code::MissingAccountability,
                header_span,
                "the constitution has no `accountability` section",
            )
            .with_help(
                "add `accountability { … }` with the democratic duties: the public interest \
                 test, the 40% turnout benchmark, councillors' reports and attendance, and \
                 the social relationships duty",
            ),
        );
    }
    if !c.bodies().any(|b| b.audit_committee) {
        out.push(
            Diagnostic::new(
                Code::MissingAccountability,
                header_span,
                "no body is marked `audit_committee`",
            )
            .with_help(
                "declare the Local Public Audit Committee: `body audit \"… Local Public Audit \
                 Committee\" audit_committee`",
            ),
        );
    }
    for a in c.accountability() {
        if a.description.is_none() && a.duties.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::MissingAccountability,
                    a.span,
                    "the accountability section is empty",
                )
                .with_help("add the democratic duties as `duty` blocks"),
            );
        }
    }
    out
}

/// Amendments take effect on or after adoption.
pub fn amendment_dates(c: &Constitution) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(adopted) = c.adopted().and_then(|d| d.value) else {
        return out;
    };
    for a in c.amendments() {
        if let Some(effective) = a.effective.value {
            if effective < adopted {
                out.push(
                    Diagnostic::new(
                        Code::AmendmentBeforeAdoption,
                        a.effective.span,
                        format!(
                            "amendment \"{}\" takes effect on {}, before adoption on {}",
                            a.title.value(),
                            a.effective.text,
                            c.adopted().map_or("", |d| d.text.as_str())
                        ),
                    )
                    .with_help(
                        "correct the effective date, or fold the change into the adopted text",
                    ),
                );
            }
        }
    }
    out
}

/// Record kinds no duty in any version reads.
pub fn unused_records(c: &Constitution, versions: &[Version]) -> Vec<Diagnostic> {
    let mut used = std::collections::HashSet::new();
    for v in versions {
        for r in &v.rights {
            for d in &r.duties {
                for clause in &d.clauses {
                    if let Clause::Over { record, .. } = &clause.node {
                        used.insert(record.name.as_str());
                    }
                }
            }
        }
    }
    c.records()
        .filter(|r| !used.contains(r.name.name.as_str()))
        .map(|r| {
            Diagnostic::new(
                Code::UnusedRecord,
                r.name.span,
                format!("no duty reads record `{}`", r.name.name),
            )
            .with_help(format!(
                "add a duty `over {}`, or remove the declaration so nobody exports it for nothing",
                r.name.name
            ))
        })
        .collect()
}
