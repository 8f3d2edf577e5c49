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
    /// How many threads may read one file (1: no splitting). Results do not depend on it.
    pub threads: usize,
    /// Files smaller than this many bytes are read in one piece.
    pub split_above: usize,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            period: None,
            failing_cap: 20,
            problem_cap: 50,
            threads: 1,
            split_above: 1 << 20,
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
        let parts = split(
            &file.text,
            file.format,
            options.threads.max(1),
            options.split_above,
        );
        let results: Vec<Result<PartResult<'_>, FileError>> = if parts.len() == 1 {
            parts
                .iter()
                .map(|part| read_part(program, index, &schema, file, part, (start, end), options))
                .collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .iter()
                    .map(|part| {
                        let schema = &schema;
                        scope.spawn(move || {
                            read_part(program, index, schema, file, part, (start, end), options)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(FileError {
                                path: file.path.clone(),
                                message: "internal error while reading".into(),
                            })
                        })
                    })
                    .collect()
            })
        };
        let mut summary = data::ReadSummary {
            records: 0,
            missing_columns: Vec::new(),
        };
        let mut unusable = 0usize;
        let mut listed = 0usize;
        for result in results {
            let part = result?;
            run.merge(part.audit);
            summary.records += part.summary.records;
            if summary.missing_columns.is_empty() {
                summary.missing_columns = part.summary.missing_columns;
            }
            unusable += part.unusable;
            for problem in part.problems {
                if listed < options.problem_cap {
                    listed += 1;
                    data_problems.push(problem);
                }
            }
        }
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

/// A failing (or unusable) record shown by `explain`, with the values of the fields the
/// duty reads.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sample {
    /// The record's key.
    pub key: String,
    /// Where it is.
    pub file: String,
    /// Line or record number.
    pub location: String,
    /// The fields the duty reads, with their values.
    pub values: Vec<(String, String)>,
    /// Why it failed or could not be used.
    pub why: String,
}

/// How one duty reached its verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// The duty's report, exactly as in the audit.
    pub duty: DutyReport,
    /// The duty's text in the constitution.
    pub clause: String,
    /// Records of the duty's kind, in all.
    pub offered: u64,
    /// Of those, dated outside the period.
    pub outside_period: u64,
    /// Of the rest, excluded by the filter.
    pub filtered_out: u64,
    /// Of the rest, unusable.
    pub unusable: u64,
    /// Of the rest, judged.
    pub considered: u64,
    /// Sample failing or unusable records.
    pub samples: Vec<Sample>,
}

/// Explains one duty (`right.duty`): the audit of that duty alone, its population at each
/// step, and sample failing records with the values that failed.
pub fn explain(
    program: &Program,
    constitution_file: ConstitutionSource<'_>,
    files: &[DataFile],
    duty_id: &str,
    options: &AuditOptions,
) -> Result<Explanation, FileError> {
    let not_found = || FileError {
        path: constitution_file.path.to_string(),
        message: format!(
            "there is no duty `{duty_id}` in force; duties are named `right.duty`, e.g. {}",
            program
                .rights
                .iter()
                .flat_map(|r| r.duties.iter())
                .take(3)
                .map(|d| format!("`{}`", d.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let (ri, di, plan) = program
        .rights
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| r.duties.iter().enumerate().map(move |(di, d)| (ri, di, d)))
        .find(|(_, _, d)| d.id == duty_id)
        .ok_or_else(not_found)?;
    let report = audit(program, constitution_file, files, options)?;
    let duty = report
        .duties()
        .find(|d| d.id == duty_id)
        .cloned()
        .ok_or_else(not_found)?;
    let (start, end) = (
        crate::parse::parse_date(&report.period.from).unwrap_or(program.calendar.range().0),
        crate::parse::parse_date(&report.period.to).unwrap_or(program.calendar.range().1),
    );
    // A second, narrow pass: only this duty's record kind, keeping failing rows' values.
    let mut samples = Vec::new();
    let env = crate::eval::Env {
        calendar: &program.calendar,
        start,
        end,
        problems: &[],
    };
    let _ = (ri, di);
    if let Some(record) = plan.record {
        let plan_record = program.records.get(record);
        let schema = schema(program, record);
        for file in files
            .iter()
            .filter(|f| Some(&f.record) == plan_record.map(|r| &r.name))
        {
            let Some(schema) = &schema else { continue };
            data::read(&file.text, file.format, schema, |row| {
                if samples.len() >= options.failing_cap {
                    return;
                }
                let why = sample_reason(plan, &row, schema, &env);
                if let Some(why) = why {
                    let key = plan_record
                        .and_then(|r| r.key)
                        .and_then(|k| row.values.get(k))
                        .map_or_else(|| "(no key)".to_string(), Value::display);
                    samples.push(Sample {
                        key,
                        file: file.path.clone(),
                        location: location_text(&row.location),
                        values: plan
                            .needs
                            .iter()
                            .filter_map(|slot| {
                                let field = schema.fields.get(*slot)?;
                                Some((field.name.clone(), row.values.get(*slot)?.display()))
                            })
                            .collect(),
                        why,
                    });
                }
            })
            .map_err(|e| FileError {
                path: file.path.clone(),
                message: e.message,
            })?;
        }
    }
    let clause = duty_source(constitution_file.text, plan.line);
    Ok(Explanation {
        offered: duty.counts.in_scope + duty.excluded.outside_period + duty.excluded.filtered_out,
        outside_period: duty.excluded.outside_period,
        filtered_out: duty.excluded.filtered_out,
        unusable: duty.counts.unusable,
        considered: duty.counts.considered,
        duty,
        clause,
        samples,
    })
}

/// The row's problems by schema slot, as the evaluator takes them
/// ([`crate::eval::WHOLE_RECORD`] for a problem with the record as a whole).
fn problem_slots(row: &data::Row, schema: &Schema) -> Vec<(usize, String)> {
    row.problems
        .iter()
        .map(|problem| {
            let slot = schema
                .fields
                .iter()
                .position(|f| f.name == problem.field)
                .unwrap_or(crate::eval::WHOLE_RECORD);
            (slot, format!("{}: {}", problem.field, problem.reason))
        })
        .collect()
}

/// Why a record fails (or cannot be used for) the duty, or `None` if it passes or is out of
/// its population. The same steps, in the same order, as the evaluator's `offer_one`.
fn sample_reason(
    plan: &crate::compile::DutyPlan,
    row: &data::Row,
    schema: &Schema,
    env: &crate::eval::Env<'_>,
) -> Option<String> {
    use crate::compile::TestPlan;
    use crate::eval::eval;
    if let Some(slot) = plan.date_slot {
        if let Some(Value::Date(d)) = row.values.get(slot) {
            if *d < env.start || *d > env.end {
                return None;
            }
        }
    }
    let problems = problem_slots(row, schema);
    let env = &crate::eval::Env {
        problems: &problems,
        ..*env
    };
    let problem_in = |slots: &[usize]| problems.iter().find(|(slot, _)| slots.contains(slot));
    if let Some((_, reason)) = problems
        .iter()
        .find(|(slot, _)| *slot == crate::eval::WHOLE_RECORD)
    {
        return Some(format!("unusable: {reason}"));
    }
    if let Some(filter) = &plan.filter {
        match eval(filter, &row.values, env) {
            Ok(Value::Bool(true)) => {}
            Ok(_) => return None,
            Err(e) => return Some(format!("unusable: {}", e.0)),
        }
    }
    if let Some((_, reason)) = problem_in(&plan.needs) {
        return Some(format!("unusable: {reason}"));
    }
    match &plan.test {
        TestPlan::Each(condition) => match eval(condition, &row.values, env) {
            Ok(Value::Bool(false)) => Some("fails the test".into()),
            Ok(_) => None,
            Err(e) => Some(format!("unusable: {}", e.0)),
        },
        _ => None,
    }
}

/// The duty's block as written, from its first line to its closing brace.
fn duty_source(source: &str, line: usize) -> String {
    let mut out = Vec::new();
    let mut depth = 0i64;
    for text in source.lines().skip(line.saturating_sub(1)) {
        out.push(text);
        depth += text.matches('{').count() as i64 - text.matches('}').count() as i64;
        if depth <= 0 {
            break;
        }
    }
    out.join("\n")
}

/// A part of a data file: its text (for CSV, with the header line in front) and how many
/// lines of the file precede its first record line, to report true line numbers.
struct Part<'t> {
    text: std::borrow::Cow<'t, str>,
    lines_before: usize,
}

/// Splits a CSV or NDJSON file into about `parts` pieces at record boundaries (never inside
/// a quoted CSV field). JSON arrays are not split.
fn split<'t>(text: &'t str, format: DataFormat, parts: usize, above: usize) -> Vec<Part<'t>> {
    let whole = || {
        vec![Part {
            text: std::borrow::Cow::Borrowed(text),
            lines_before: 0,
        }]
    };
    if parts <= 1 || format == DataFormat::Json || text.len() < above {
        return whole();
    }
    let bytes = text.as_bytes();
    // Record boundaries: newlines outside quotes.
    let header_end = match format {
        DataFormat::Csv => match next_boundary(bytes, 0) {
            Some(end) => end,
            None => return whole(),
        },
        _ => 0,
    };
    let header = text.get(..header_end).unwrap_or("");
    let target = (text.len() - header_end) / parts + 1;
    let mut out = Vec::new();
    let mut start = header_end;
    let mut lines_before = header.matches('\n').count();
    while start < text.len() {
        let wanted = (start + target).min(text.len());
        let end = if wanted >= text.len() {
            text.len()
        } else {
            // Scan from the part's start so quote state is known.
            let mut at = start;
            loop {
                match next_boundary(bytes, at) {
                    Some(b) if b < wanted => at = b,
                    Some(b) => break b,
                    None => break text.len(),
                }
            }
        };
        let body = text.get(start..end).unwrap_or("");
        let chunk = if header.is_empty() {
            std::borrow::Cow::Borrowed(body)
        } else {
            std::borrow::Cow::Owned(format!("{header}{body}"))
        };
        out.push(Part {
            text: chunk,
            lines_before: lines_before - header.matches('\n').count(),
        });
        lines_before += body.matches('\n').count();
        start = end;
    }
    out
}

/// The offset just past the next newline at or after `from` that is outside double quotes.
fn next_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quoted = false;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// What reading one part of a file produced.
struct PartResult<'p> {
    audit: Audit<'p>,
    summary: data::ReadSummary,
    unusable: usize,
    problems: Vec<DataProblem>,
}

/// Reads one part of a data file into a fresh audit.
fn read_part<'p>(
    program: &'p Program,
    index: usize,
    schema: &Schema,
    file: &DataFile,
    part: &Part<'_>,
    period: (Date, Date),
    options: &AuditOptions,
) -> Result<PartResult<'p>, FileError> {
    let mut run = Audit::new(program, period.0, period.1, options.failing_cap);
    let key_slot = program.records.get(index).and_then(|r| r.key);
    let mut unusable = 0usize;
    let mut problems_out = Vec::new();
    let shift = |location: Location| match location {
        Location::Line(n) => Location::Line(n + part.lines_before),
        other => other,
    };
    let summary = data::read(&part.text, file.format, schema, |row| {
        let problems = problem_slots(&row, schema);
        if !row.problems.is_empty() {
            unusable += 1;
            if problems_out.len() < options.problem_cap {
                problems_out.push(DataProblem {
                    file: file.path.clone(),
                    location: location_text(&shift(row.location)),
                    key: key_slot
                        .and_then(|k| row.values.get(k))
                        .filter(|v| **v != Value::Missing)
                        .map(Value::display),
                    problems: problems.iter().map(|(_, p)| p.clone()).collect(),
                });
            }
        }
        // A problem in a field no duty reads still makes no duty's record unusable; the
        // problem is listed all the same.
        run.offer(index, &row.values, &problems);
    })
    .map_err(|e| FileError {
        path: file.path.clone(),
        message: match e.location {
            Some(l) => format!("{}: {}", location_text(&shift(l)), e.message),
            None => e.message,
        },
    })?;
    Ok(PartResult {
        audit: run,
        summary,
        unusable,
        problems: problems_out,
    })
}

/// Why an audit could not run.
#[derive(Debug, Clone)]
pub enum AuditError {
    /// The constitution has errors.
    Constitution(Vec<crate::diagnostic::Diagnostic>),
    /// A data file cannot be read.
    Data(FileError),
    /// The duty to explain is not in force, or its second pass could not read a file.
    Explain(FileError),
}

/// Compiles and audits in one call, choosing the version of the constitution in force on
/// the last day of the period. With no period given, the period is the whole data, so the
/// data is scanned once for its dates before the version is chosen.
pub fn run(
    constitution: &crate::ast::Constitution,
    file: ConstitutionSource<'_>,
    data: &[DataFile],
    options: &AuditOptions,
) -> Result<(Program, Report), AuditError> {
    let compile =
        |on| crate::compile::compile(constitution, file.text, on).map_err(AuditError::Constitution);
    let mut options = options.clone();
    let program = match options.period {
        Some((_, to)) => compile(Some(to))?,
        None => {
            let latest = compile(None)?;
            let span = data_span(&latest, data).map_err(AuditError::Data)?;
            let (from, to) = span.unwrap_or_else(|| latest.calendar.range());
            options.period = Some((from, to));
            compile(Some(to))?
        }
    };
    let report = audit(&program, file, data, &options).map_err(AuditError::Data)?;
    Ok((program, report))
}

/// Audits, then explains one duty (`right.duty`) over the period the audit used: what
/// `constitution explain` and the WebAssembly `explain` both do.
pub fn run_explain(
    constitution: &crate::ast::Constitution,
    file: ConstitutionSource<'_>,
    data: &[DataFile],
    duty: &str,
    options: &AuditOptions,
) -> Result<Explanation, AuditError> {
    let (program, report) = run(constitution, file, data, options)?;
    let mut options = options.clone();
    options.period = crate::parse::parse_date(&report.period.from)
        .zip(crate::parse::parse_date(&report.period.to));
    explain(&program, file, data, duty, &options).map_err(AuditError::Explain)
}

impl Explanation {
    /// The explanation as pretty-printed JSON with a final newline, as `explain --format
    /// json` prints it.
    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}
