//! The audit report: its shape (the canonical JSON, schema in `docs/report.schema.json`)
//! and its renderings for people (text, Markdown, HTML).
//!
//! Reports name records by their key only; no other field value of a record appears.

use crate::compile::{DutyPlan, Program};
use crate::eval::{Cause, DutyOutcome, DutyState, Outcome, Verdict};
use arcstr::ArcStr;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The version of the report's JSON shape. Bumped on any incompatible change.
pub const REPORT_VERSION: &str = "1";

/// The constitution file as read, for provenance.
#[derive(Debug, Clone, Copy)]
pub struct ConstitutionSource<'a> {
    /// Its path as given.
    pub path: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// A whole audit report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of this shape.
    pub report_version: String,
    /// What produced it.
    pub engine: Engine,
    /// Which constitution, which version.
    pub constitution: ConstitutionReport,
    /// The period audited.
    pub period: PeriodReport,
    /// Counts of verdicts.
    pub summary: Summary,
    /// The rights, each with its duties.
    pub rights: Vec<RightReport>,
    /// The democratic accountability duties.
    pub accountability: Option<SectionReport>,
    /// What goes to the audit committee.
    pub referrals: Vec<Referral>,
    /// Records that could not be used, with why (capped per file; totals in `data_files`).
    pub data_problems: Vec<DataProblem>,
    /// Every data file read.
    pub data_files: Vec<DataFileReport>,
}

/// The engine.
#[derive(Debug, Clone, Serialize)]
pub struct Engine {
    /// `constitution`
    pub name: String,
    /// Its version.
    pub version: String,
}

/// Provenance of the constitution.
#[derive(Debug, Clone, Serialize)]
pub struct ConstitutionReport {
    /// The area's name.
    pub name: String,
    /// Its ONS code.
    pub area: Option<String>,
    /// The file as given.
    pub file: String,
    /// SHA-256 of the file's text.
    pub sha256: String,
    /// Adoption date.
    pub adopted: Option<String>,
    /// The date whose version was used.
    pub in_force_on: Option<String>,
    /// Amendments in force.
    pub amendments_in_force: Vec<String>,
    /// The working-day calendar.
    pub calendar: String,
}

/// The audit period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodReport {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// Verdict counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Rights by verdict.
    pub rights: RightCounts,
    /// Duties by verdict.
    pub duties: DutyCounts,
    /// Referrals to the audit committee.
    pub referrals: usize,
    /// Records that could not be used.
    pub unusable_records: usize,
}

/// Rights by verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RightCounts {
    /// Upheld.
    pub upheld: usize,
    /// Breached.
    pub breached: usize,
    /// Undecided.
    pub insufficient_evidence: usize,
}

/// Duties by verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DutyCounts {
    /// Met.
    pub met: usize,
    /// Breached.
    pub breached: usize,
    /// Undecided.
    pub insufficient_evidence: usize,
    /// No records, allowed.
    pub not_applicable: usize,
    /// No checkable test.
    pub unchecked: usize,
}

/// A right's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RightVerdict {
    /// Every decided duty met, none breached or undecided.
    Upheld,
    /// Some duty breached.
    Breached,
    /// No duty breached, but some undecided (or none decided).
    InsufficientEvidence,
}

impl RightVerdict {
    /// As written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RightVerdict::Upheld => "upheld",
            RightVerdict::Breached => "breached",
            RightVerdict::InsufficientEvidence => "insufficient_evidence",
        }
    }
}

/// One right.
#[derive(Debug, Clone, Serialize)]
pub struct RightReport {
    /// Its key.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its verdict.
    pub verdict: RightVerdict,
    /// Its duties.
    pub duties: Vec<DutyReport>,
}

/// The accountability section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionReport {
    /// Its verdict, by the same rule as a right's.
    pub verdict: RightVerdict,
    /// Its duties.
    pub duties: Vec<DutyReport>,
}

/// Record counts for a duty or one of its groups.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Records in scope: considered plus unusable.
    pub in_scope: u64,
    /// Records judged.
    pub considered: u64,
    /// Of those, passing (`each` duties).
    pub passing: u64,
    /// Of those, failing (`each` duties).
    pub failing: u64,
    /// Records that could not be used.
    pub unusable: u64,
}

/// Failing records: the first few keys and the total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Failing {
    /// How many failed.
    pub total: u64,
    /// The first keys (capped). Shared with the cells they came from, not copied: a
    /// report can list every one of a million failing records, per group and in all.
    pub first: Vec<ArcStr>,
}

/// One group × period cell of a duty.
#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    /// The group's value (`per ward`), if grouped.
    pub group: Option<String>,
    /// The period bucket, if bucketed.
    pub period: Option<String>,
    /// Its outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Its counts.
    pub counts: Counts,
    /// Its failing records.
    pub failing: Failing,
}

/// One duty.
#[derive(Debug, Clone, Serialize)]
pub struct DutyReport {
    /// `right.duty`
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who owes it.
    pub owed_by: Vec<String>,
    /// Its legal basis.
    pub basis: Option<String>,
    /// Line in the constitution.
    pub line: usize,
    /// The requirement in words.
    pub requirement: String,
    /// Grouped by this field.
    pub grouped_by: Option<String>,
    /// Bucketed by this unit and field.
    pub periods: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, when undecided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What was measured over all records in scope.
    pub measured: Option<String>,
    /// The same, as a number.
    pub measured_value: Option<f64>,
    /// Counts over all records.
    pub counts: Counts,
    /// Records the duty's kind had outside the period or filtered out.
    pub excluded: Excluded,
    /// Failing records over all groups.
    pub failing: Failing,
    /// Each group × period.
    pub groups: Vec<GroupReport>,
    /// Why some records were unusable (first few).
    pub unusable_reasons: Vec<UnusableReason>,
}

/// Records of the kind not in the duty's population.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Excluded {
    /// Dated outside the audit period.
    pub outside_period: u64,
    /// Excluded by the `where` filter.
    pub filtered_out: u64,
}

/// One unusable record and why.
#[derive(Debug, Clone, Serialize)]
pub struct UnusableReason {
    /// Its key.
    pub key: String,
    /// Why.
    pub reason: String,
}

/// A matter that goes to the audit committee.
#[derive(Debug, Clone, Serialize)]
pub struct Referral {
    /// The duty breached.
    pub duty: String,
    /// Its title.
    pub title: String,
    /// The body it is referred to.
    pub to: String,
    /// That body's name.
    pub to_name: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
    /// Whether consecutive breaches call in an independent review.
    pub independent_review: bool,
    /// The groups/periods breached.
    pub breached_in: Vec<String>,
}

/// A record that could not be used.
#[derive(Debug, Clone, Serialize)]
pub struct DataProblem {
    /// The file.
    pub file: String,
    /// Where in it.
    pub location: String,
    /// The record's key, if readable.
    pub key: Option<String>,
    /// What is wrong with it.
    pub problems: Vec<String>,
}

/// A data file read.
#[derive(Debug, Clone, Serialize)]
pub struct DataFileReport {
    /// The record kind.
    pub record: String,
    /// The path as given.
    pub path: String,
    /// SHA-256 of its contents.
    pub sha256: String,
    /// csv, json or ndjson.
    pub format: String,
    /// Records read.
    pub records: usize,
    /// Records with a problem.
    pub unusable: usize,
    /// Anything else worth saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Declared fields the file does not have.
    pub missing_columns: Vec<String>,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn counts_of(cell: &crate::eval::Cell, failing: u64) -> Counts {
    Counts {
        in_scope: cell.considered + cell.unusable,
        considered: cell.considered,
        passing: cell.passing,
        failing,
        unusable: cell.unusable,
    }
}

/// The report of one duty.
pub fn duty_report(
    program: &Program,
    duty: &DutyPlan,
    state: &DutyState,
    result: &DutyOutcome,
    cap: usize,
) -> DutyReport {
    let _ = program;
    let is_each = matches!(duty.test, crate::compile::TestPlan::Each(_));
    let groups = result
        .cells
        .iter()
        .filter_map(|(key, outcome)| {
            let cell = state.cells.get(key)?;
            let failing = if is_each {
                cell.considered - cell.passing
            } else {
                0
            };
            Some(GroupReport {
                group: key.0.clone(),
                period: key.1.clone(),
                outcome: outcome.clone(),
                counts: counts_of(cell, failing),
                failing: Failing {
                    total: failing,
                    first: cell.failing_keys.clone(),
                },
            })
        })
        .collect();
    let mut first: Vec<ArcStr> = Vec::new();
    for (key, _) in &result.cells {
        if let Some(cell) = state.cells.get(key) {
            for k in &cell.failing_keys {
                if first.len() < cap {
                    first.push(k.clone());
                }
            }
        }
    }
    let total_failing = if is_each { state.failing_total } else { 0 };
    DutyReport {
        id: duty.id.clone(),
        title: duty.title.clone(),
        owed_by: duty.owed_by.clone(),
        basis: duty.basis.clone(),
        line: duty.line,
        requirement: duty.requirement_text.clone(),
        grouped_by: duty.group.as_ref().map(|(name, _)| name.clone()),
        periods: duty
            .period
            .as_ref()
            .map(|(unit, field, _)| format!("{} of {field}", unit.keyword())),
        verdict: result.overall.verdict,
        cause: result.overall.cause,
        measured: result.overall.measured.clone(),
        measured_value: result.overall.measured_value,
        counts: counts_of(&result.total, total_failing),
        excluded: Excluded {
            outside_period: state.outside_period,
            filtered_out: state.filtered_out,
        },
        failing: Failing {
            total: total_failing,
            first,
        },
        groups,
        unusable_reasons: state
            .unusable_reasons
            .iter()
            .map(|(key, reason)| UnusableReason {
                key: key.clone(),
                reason: reason.clone(),
            })
            .collect(),
    }
}

/// What a duty's cells are called: `wards`, `quarters`, `ward-quarters` (by the grouping
/// field and the period unit), in the plural unless there is one.
fn cells_noun(report: &DutyReport, n: usize) -> String {
    let unit = report
        .periods
        .as_deref()
        .and_then(|p| p.split_whitespace().next());
    let group = report.grouped_by.as_deref().map(|g| g.replace('_', " "));
    let singular = match (group, unit) {
        (Some(g), Some(u)) => format!("{g}-{u}"),
        (Some(g), None) => g,
        (None, Some(u)) => u.to_string(),
        (None, None) => "cell".to_string(),
    };
    if n == 1 {
        singular
    } else {
        plural(&singular)
    }
}

/// The plural of an English noun, by the regular rules.
fn plural(noun: &str) -> String {
    if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| noun.ends_with(e))
    {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// A requirement as a reader says it: `every` and `no` name what they count (`every record
/// passes`); thresholds read as written (`at least 90%`).
pub fn requirement_words(requirement: &str) -> String {
    match requirement {
        "every" => "every record passes".into(),
        "no" => "no record passes".into(),
        other => other.into(),
    }
}

/// The referral a breached duty triggers, if it says where breaches go.
pub fn referral_for(program: &Program, duty: &DutyPlan, report: &DutyReport) -> Option<Referral> {
    if report.verdict != Verdict::Breached {
        return None;
    }
    let to = duty.refer_to.clone()?;
    let breached: Vec<&GroupReport> = report
        .groups
        .iter()
        .filter(|g| g.outcome.verdict == Verdict::Breached)
        .collect();
    let breached_in: Vec<String> = breached.iter().map(|g| cell_label(g)).collect();
    // N consecutive breached periods in one group call in an independent review.
    let independent_review = duty.review_after.is_some_and(|n| {
        let mut by_group: std::collections::BTreeMap<Option<&str>, Vec<(&str, bool)>> =
            std::collections::BTreeMap::new();
        for g in &report.groups {
            if let Some(period) = &g.period {
                by_group
                    .entry(g.group.as_deref())
                    .or_default()
                    .push((period, g.outcome.verdict == Verdict::Breached));
            }
        }
        by_group.values_mut().any(|periods| {
            periods.sort();
            let mut run = 0u64;
            periods.iter().any(|(_, breached)| {
                run = if *breached { run + 1 } else { 0 };
                run >= n
            })
        })
    });
    let measured = report.measured.clone().unwrap_or_default();
    let reason = if breached_in.is_empty() || breached_in == [String::new()] {
        format!(
            "{measured} against a requirement of {}",
            requirement_words(&report.requirement)
        )
    } else {
        const NAMED: usize = 5;
        let mut named = breached_in
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if breached_in.len() > NAMED {
            named.push_str(&format!(" and {} more", breached_in.len() - NAMED));
        }
        format!(
            "breached in {} of {} {} ({named}): required {}",
            breached.len(),
            report.groups.len(),
            cells_noun(report, report.groups.len()),
            requirement_words(&report.requirement)
        )
    };
    Some(Referral {
        duty: duty.id.clone(),
        title: duty.title.clone(),
        to_name: program
            .bodies
            .iter()
            .find(|(name, _)| *name == to)
            .map(|(_, title)| title.clone()),
        to,
        reason,
        independent_review,
        breached_in,
    })
}

/// `Brixton, 2025-26 Q2` (or one of them, or empty for the whole population).
pub fn cell_label(g: &GroupReport) -> String {
    match (&g.group, &g.period) {
        (Some(group), Some(period)) => format!("{group}, {period}"),
        (Some(group), None) => group.clone(),
        (None, Some(period)) => period.clone(),
        (None, None) => String::new(),
    }
}

/// A right's verdict from its duties': breached if any is; upheld if every decided duty is
/// met and at least one is; otherwise insufficient evidence. Not applicable and unchecked
/// duties count neither way.
pub fn right_verdict(duties: &[DutyReport]) -> RightVerdict {
    let verdicts: Vec<Verdict> = duties.iter().map(|d| d.verdict).collect();
    if verdicts.contains(&Verdict::Breached) {
        RightVerdict::Breached
    } else if verdicts.contains(&Verdict::InsufficientEvidence) || !verdicts.contains(&Verdict::Met)
    {
        RightVerdict::InsufficientEvidence
    } else {
        RightVerdict::Upheld
    }
}

impl Report {
    /// The canonical JSON: pretty-printed, keys in a fixed order, byte-identical for the
    /// same inputs.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }

    /// Every duty, rights first then accountability.
    pub fn duties(&self) -> impl Iterator<Item = &DutyReport> {
        self.rights
            .iter()
            .flat_map(|r| r.duties.iter())
            .chain(self.accountability.iter().flat_map(|a| a.duties.iter()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plurals() {
        assert_eq!(super::plural("ward"), "wards");
        assert_eq!(super::plural("directorate-quarter"), "directorate-quarters");
        assert_eq!(super::plural("category"), "categories");
        assert_eq!(super::plural("day"), "days");
        assert_eq!(super::plural("class"), "classes");
        assert_eq!(super::plural("ward-month"), "ward-months");
    }
}
