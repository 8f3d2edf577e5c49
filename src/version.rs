//! The version of a constitution in force on a date.
//!
//! The adopted text is version zero. Each amendment, applied in order of its effective date
//! (ties in file order), amends, adds or repeals duties. The version in force on a date is
//! the adopted text plus every amendment effective on or before that date. The checker
//! checks every version; the compiler and `doc --on DATE` use one.

use crate::ast::{Accountability, Change, Constitution, Duty, DutyPath, Item, Right, Text};
use crate::diagnostic::{Code, Diagnostic};

/// The key amendments and tests use for the accountability section: `accountability.duty`.
pub const ACCOUNTABILITY: &str = "accountability";

/// A right (or the accountability section) as it stands in one version.
#[derive(Debug, Clone, PartialEq)]
pub struct RightVersion {
    /// The right's key; [`ACCOUNTABILITY`] for the accountability section.
    pub name: String,
    /// Its title (the accountability section has none of its own).
    pub title: Option<Text>,
    /// The duties in force, amended clauses merged in.
    pub duties: Vec<Duty>,
}

/// The constitution's rights and duties as they stand after some amendments.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// The effective date of the last amendment applied, or `None` for the adopted text.
    pub since: Option<time::Date>,
    /// The titles of the amendments applied, in order.
    pub amendments: Vec<String>,
    /// The rights, then the accountability section, each with its duties.
    pub rights: Vec<RightVersion>,
}

impl Version {
    /// The duty at `right.duty`, if it is in force.
    pub fn duty(&self, right: &str, duty: &str) -> Option<&Duty> {
        self.rights
            .iter()
            .find(|r| r.name == right)
            .and_then(|r| r.duties.iter().find(|d| d.name.name == duty))
    }
}

/// The adopted text as version zero.
fn adopted(constitution: &Constitution) -> Version {
    let mut rights: Vec<RightVersion> = constitution
        .rights()
        .map(|r: &Right| RightVersion {
            name: r.name.name.clone(),
            title: Some(r.title.clone()),
            duties: r.duties.clone(),
        })
        .collect();
    let accountability: Vec<Duty> = constitution
        .accountability()
        .flat_map(|a: &Accountability| a.duties.iter().cloned())
        .collect();
    if constitution
        .items
        .iter()
        .any(|i| matches!(i.node, Item::Accountability(_)))
    {
        rights.push(RightVersion {
            name: ACCOUNTABILITY.to_string(),
            title: None,
            duties: accountability,
        });
    }
    Version {
        since: None,
        amendments: Vec::new(),
        rights,
    }
}

/// The amendments in the order they take effect. Amendments whose date is not valid sort
/// last (the parser has already reported the date).
fn in_order(constitution: &Constitution) -> Vec<&crate::ast::Amendment> {
    let mut amendments: Vec<_> = constitution.amendments().collect();
    amendments.sort_by_key(|a| a.effective.value.map_or((1, None), |d| (0, Some(d))));
    amendments
}

/// Every version: the adopted text, then one after each amendment, with the diagnostics
/// found while applying them (changes to duties that do not exist, duties added twice).
pub fn versions(constitution: &Constitution) -> (Vec<Version>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut current = adopted(constitution);
    let mut all = vec![current.clone()];
    for amendment in in_order(constitution) {
        for change in &amendment.changes {
            apply(&mut current, &change.node, &mut diagnostics);
        }
        current.since = amendment.effective.value;
        current.amendments.push(amendment.title.value());
        all.push(current.clone());
    }
    (all, diagnostics)
}

/// The version in force on `date`: the adopted text plus every amendment effective on or
/// before it.
pub fn in_force(constitution: &Constitution, date: time::Date) -> Version {
    let mut current = adopted(constitution);
    let mut ignored = Vec::new();
    for amendment in in_order(constitution) {
        match amendment.effective.value {
            Some(effective) if effective <= date => {
                for change in &amendment.changes {
                    apply(&mut current, &change.node, &mut ignored);
                }
                current.since = Some(effective);
                current.amendments.push(amendment.title.value());
            }
            _ => break,
        }
    }
    current
}

/// The version with every amendment applied.
pub fn latest(constitution: &Constitution) -> Version {
    let (mut all, _) = versions(constitution);
    all.pop().unwrap_or_else(|| adopted(constitution))
}

fn apply(version: &mut Version, change: &Change, diagnostics: &mut Vec<Diagnostic>) {
    match change {
        Change::Amend { path, clauses } => {
            if let Some(duty) = find_duty(version, path, diagnostics) {
                for clause in clauses {
                    let slot = clause.node.slot();
                    match duty.clauses.iter_mut().find(|c| c.node.slot() == slot) {
                        Some(existing) => *existing = clause.clone(),
                        None => duty.clauses.push(clause.clone()),
                    }
                }
            }
        }
        Change::Add { path, duty } => {
            let Some(right) = version
                .rights
                .iter_mut()
                .find(|r| r.name == path.right.name)
            else {
                diagnostics.push(no_such_right(path));
                return;
            };
            if right.duties.iter().any(|d| d.name.name == path.duty.name) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::Duplicate,
                        path.span,
                        format!("duty `{path}` already exists when this amendment adds it"),
                    )
                    .with_help("use `amend duty` to change it, or choose another name"),
                );
                return;
            }
            right.duties.push(duty.clone());
        }
        Change::Repeal { path } => {
            if find_duty(version, path, diagnostics).is_some() {
                if let Some(right) = version
                    .rights
                    .iter_mut()
                    .find(|r| r.name == path.right.name)
                {
                    right.duties.retain(|d| d.name.name != path.duty.name);
                }
            }
        }
    }
}

fn no_such_right(path: &DutyPath) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDuty,
        path.right.span,
        format!("there is no right `{}`", path.right.name),
    )
    .with_help(format!(
        "write the path as `right.duty`; the accountability duties are `{ACCOUNTABILITY}.duty`"
    ))
}

fn find_duty<'v>(
    version: &'v mut Version,
    path: &DutyPath,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'v mut Duty> {
    let Some(right) = version
        .rights
        .iter_mut()
        .find(|r| r.name == path.right.name)
    else {
        diagnostics.push(no_such_right(path));
        return None;
    };
    let names: Vec<&str> = right.duties.iter().map(|d| d.name.name.as_str()).collect();
    let suggestion = crate::check::suggest(&path.duty.name, names.iter().copied());
    let found = right
        .duties
        .iter_mut()
        .find(|d| d.name.name == path.duty.name);
    if found.is_none() {
        let mut d = Diagnostic::new(
            Code::UnknownDuty,
            path.duty.span,
            format!(
                "right `{}` has no duty `{}` in force at this point",
                path.right.name, path.duty.name
            ),
        );
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{}.{s}`?", path.right.name),
            None => "check the name, and that no earlier amendment repealed it".to_string(),
        });
        diagnostics.push(d);
    }
    found
}
