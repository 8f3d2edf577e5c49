//! The audit: a compiled constitution run over service data files, to a [`Report`].
//!
//! Each data file is read once, streaming: every record is typed by the constitution's
//! declarations and offered to every duty over its kind. Nothing is silently dropped: a
//! value that cannot be read makes its record unusable for the duties that need that
//! field, and the report lists it (file, line, key, field, reason).

use crate::compile::Program;
use crate::data::{self, DataFormat, FieldSpec, Location, Schema};
use crate::eval::{outcome, Audit, Cause, Verdict};
use crate::report::*;
use crate::value::Value;
use time::Date;

/// One data file to audit.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// The record kind it holds.
    pub record: String,
    /// Its path (or name, in the browser) as given.
    pub path: String,
    /// Its contents.
    pub text: String,
    /// How it is encoded.
    pub format: DataFormat,
}

/// Settings of one audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The period audited; `None` for the whole data.
    pub period: Option<(Date, Date)>,
    /// How many failing record keys to list per duty and group.
    pub failing_cap: usize,
    /// How many data problems to list per file.
    pub problem_cap: usize,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            period: None,
            failing_cap: 20,
            problem_cap: 50,
        }
    }
}

/// A data file that could not be read at all: the audit refuses to go on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file.
    pub path: String,
    /// What is wrong, with the position when known.
    pub message: String,
}

fn schema(program: &Program, record: usize) -> Option<Schema> {
    let plan = program.records.get(record)?;
    Some(Schema {
        record: plan.name.clone(),
        fields: plan
            .fields
            .iter()
            .map(|f| FieldSpec {
                name: f.name.clone(),
                ty: f.ty.clone(),
                optional: f.optional,
            })
            .collect(),
    })
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Line(n) => format!("line {n}"),
        Location::Index(n) => format!("record {n}"),
    }
}

/// The earliest and latest dates the duties would use to place records in the period: the
/// default period is the whole data.
fn data_span(program: &Program, files: &[DataFile]) -> Result<Option<(Date, Date)>, FileError> {
    let mut span: Option<(Date, Date)> = None;
    for file in files {
        let Some(index) = program.records.iter().position(|r| r.name == file.record) else {
            continue;
        };
        let slots: Vec<usize> = program
            .rights
            .iter()
            .flat_map(|r| r.duties.iter())
            .filter(|d| d.record == Some(index))
            .filter_map(|d| d.date_slot)
            .collect();
        if slots.is_empty() {
            continue;
        }
        let Some(schema) = schema(program, index) else {
            continue;
        };
        data::read(&file.text, file.format, &schema, |row| {
            for slot in &slots {
                if let Some(Value::Date(d)) = row.values.get(*slot) {
                    span = Some(match span {
                        None => (*d, *d),
                        Some((a, b)) => (a.min(*d), b.max(*d)),
                    });
                }
            }
        })
        .map_err(|e| FileError {
            path: file.path.clone(),
            message: e.message,
        })?;
    }
    Ok(span)
}

/// Audits `files` against `program`.
pub fn audit(
    program: &Program,
    constitution_file: ConstitutionSource<'_>,
    files: &[DataFile],
    options: &AuditOptions,
) -> Result<Report, FileError> {
    let (start, end) = match options.period {
        Some(p) => p,
        None => data_span(program, files)?.unwrap_or_else(|| program.calendar.range()),
    };
    let mut run = Audit::new(program, start, end, options.failing_cap);
    let mut data_files = Vec::new();
    let mut data_problems = Vec::new();
    let mut seen_records = vec![false; program.records.len()];
    for file in files {
        let Some(index) = program.records.iter().position(|r| r.name == file.record) else {
            data_files.push(DataFileReport {
                record: file.record.clone(),
                path: file.path.clone(),
                sha256: sha256_hex(file.text.as_bytes()),
                format: format_name(file.format),
                records: 0,
                unusable: 0,
                note: Some("no duty in force reads this record kind; the file was not read".into()),
                missing_columns: Vec::new(),
            });
            continue;
        };
        if let Some(seen) = seen_records.get_mut(index) {
            *seen = true;
        }
        let Some(schema) = schema(program, index) else {
            continue;
        };
        let key_slot = program.records.get(index).and_then(|r| r.key);
        let mut unusable = 0usize;
        let mut problems_listed = 0usize;
        let summary = data::read(&file.text, file.format, &schema, |row| {
            let mut problems = Vec::new();
            for problem in &row.problems {
                let slot = schema
                    .fields
                    .iter()
                    .position(|f| f.name == problem.field)
                    .unwrap_or(usize::MAX);
                problems.push((slot, format!("{}: {}", problem.field, problem.reason)));
            }
            if !row.problems.is_empty() {
                unusable += 1;
                if problems_listed < options.problem_cap {
                    problems_listed += 1;
                    data_problems.push(DataProblem {
                        file: file.path.clone(),
                        location: location_text(&row.location),
                        key: key_slot
                            .and_then(|k| row.values.get(k))
                            .filter(|v| **v != Value::Missing)
                            .map(Value::display),
                        problems: problems.iter().map(|(_, p)| p.clone()).collect(),
                    });
                }
            }
            // A problem in a field no duty reads (slot MAX) still makes no duty's record
            // unusable; the problem is listed all the same.
            run.offer(index, &row.values, &problems);
        })
        .map_err(|e| FileError {
            path: file.path.clone(),
            message: match e.location {
                Some(l) => format!("{}: {}", location_text(&l), e.message),
                None => e.message,
            },
        })?;
        data_files.push(DataFileReport {
            record: file.record.clone(),
            path: file.path.clone(),
            sha256: sha256_hex(file.text.as_bytes()),
            format: format_name(file.format),
            records: summary.records,
            unusable,
            note: None,
            missing_columns: summary.missing_columns,
        });
    }
    Ok(build_report(
        program,
        &run,
        constitution_file,
        (start, end),
        &seen_records,
        data_files,
        data_problems,
    ))
}

fn format_name(format: DataFormat) -> String {
    match format {
        DataFormat::Csv => "csv",
        DataFormat::Json => "json",
        DataFormat::Ndjson => "ndjson",
    }
    .to_string()
}

/// Turns a finished audit into the report.
pub fn build_report(
    program: &Program,
    run: &Audit<'_>,
    constitution_file: ConstitutionSource<'_>,
    period: (Date, Date),
    seen_records: &[bool],
    data_files: Vec<DataFileReport>,
    data_problems: Vec<DataProblem>,
) -> Report {
    let mut rights = Vec::new();
    let mut accountability = None;
    let mut referrals = Vec::new();
    for (ri, right) in program.rights.iter().enumerate() {
        let mut duties = Vec::new();
        for (di, duty) in right.duties.iter().enumerate() {
            let Some(state) = run.states.get(ri).and_then(|s| s.get(di)) else {
                continue;
            };
            let mut result = outcome(duty, state, run.cap);
            let has_data = duty
                .record
                .and_then(|r| seen_records.get(r))
                .copied()
                .unwrap_or(false);
            if !has_data && result.overall.verdict != Verdict::Unchecked {
                result.overall.verdict = Verdict::InsufficientEvidence;
                result.overall.cause = Some(Cause::NoData);
                result.overall.measured = None;
                result.overall.measured_value = None;
            }
            let report = duty_report(program, duty, state, &result, run.cap);
            if let Some(referral) = referral_for(program, duty, &report) {
                referrals.push(referral);
            }
            duties.push(report);
        }
        let verdict = right_verdict(&duties);
        if right.accountability {
            accountability = Some(SectionReport { verdict, duties });
        } else {
            rights.push(RightReport {
                id: right.id.clone(),
                title: right.title.clone(),
                verdict,
                duties,
            });
        }
    }
    let mut summary = Summary::default();
    for right in &rights {
        match right.verdict {
            RightVerdict::Upheld => summary.rights.upheld += 1,
            RightVerdict::Breached => summary.rights.breached += 1,
            RightVerdict::InsufficientEvidence => summary.rights.insufficient_evidence += 1,
        }
    }
    for duty in rights
        .iter()
        .flat_map(|r| r.duties.iter())
        .chain(accountability.iter().flat_map(|a| a.duties.iter()))
    {
        let counter = match duty.verdict {
            Verdict::Met => &mut summary.duties.met,
            Verdict::Breached => &mut summary.duties.breached,
            Verdict::InsufficientEvidence => &mut summary.duties.insufficient_evidence,
            Verdict::NotApplicable => &mut summary.duties.not_applicable,
            Verdict::Unchecked => &mut summary.duties.unchecked,
        };
        *counter += 1;
    }
    summary.referrals = referrals.len();
    summary.unusable_records = data_files.iter().map(|f| f.unusable).sum();
    Report {
        report_version: REPORT_VERSION.to_string(),
        engine: Engine {
            name: "constitution".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        constitution: ConstitutionReport {
            name: program.name.clone(),
            area: program.area.clone(),
            file: constitution_file.path.to_string(),
            sha256: sha256_hex(constitution_file.text.as_bytes()),
            adopted: program.adopted.map(|d| d.to_string()),
            in_force_on: program.in_force_on.map(|d| d.to_string()),
            amendments_in_force: program.amendments.clone(),
            calendar: program.calendar_name.clone(),
        },
        period: PeriodReport {
            from: period.0.to_string(),
            to: period.1.to_string(),
        },
        summary,
        rights,
        accountability,
        referrals,
        data_problems,
        data_files,
    }
}
