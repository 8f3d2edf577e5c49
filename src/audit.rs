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
    /// The SHA-256 of `text` (lowercase hex), when the caller has it already: a browser
    /// hashes with the platform's hardware-accelerated Web Crypto, which WebAssembly cannot
    /// reach. Trusted as given; `None`: the audit hashes `text`. Used only with
    /// [`ReadFrom::Text`].
    pub sha256: Option<String>,
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
    /// Where the bytes of the data files come from.
    pub read_from: ReadFrom,
    /// The size of the pieces read at a time: from disk (handed to threads), and from text
    /// in memory on one thread.
    pub chunk_bytes: usize,
}

/// Where an audit reads the data files from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadFrom {
    /// [`DataFile::text`], already in memory (the browser, tests).
    #[default]
    Text,
    /// The file at [`DataFile::path`], a piece at a time, so that memory does not grow with
    /// the file (the command line); `text` is not read. CSV and NDJSON are streamed; a JSON
    /// array is read whole. A byte order mark is dropped, as when reading into `text`.
    Disk,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            period: None,
            failing_cap: 20,
            problem_cap: 50,
            threads: 1,
            split_above: 1 << 20,
            read_from: ReadFrom::Text,
            chunk_bytes: 4 << 20,
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
        keep: Vec::new(),
    })
}

/// The schema an audit reads `record` with: only the fields some duty over it reads, and
/// its key, hold values; the others are checked and dropped.
fn audit_schema(program: &Program, record: usize) -> Option<Schema> {
    let mut schema = schema(program, record)?;
    let mut keep = vec![false; schema.fields.len()];
    let key = program.records.get(record).and_then(|r| r.key);
    let duties = program.rights.iter().flat_map(|r| &r.duties);
    let read = duties
        .filter(|d| d.record == Some(record))
        .flat_map(|d| d.needs.iter().copied());
    for slot in read.chain(key) {
        if let Some(k) = keep.get_mut(slot) {
            *k = true;
        }
    }
    schema.keep = keep;
    Some(schema)
}

fn location_text(location: &Location) -> String {
    match location {
        Location::Line(n) => format!("line {n}"),
        Location::Index(n) => format!("record {n}"),
    }
}

/// The earliest and latest dates the duties would use to place records in the period: the
/// default period is the whole data.
fn data_span(
    program: &Program,
    files: &[DataFile],
    options: &AuditOptions,
) -> Result<Option<(Date, Date)>, FileError> {
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
        let mut widen = |row: &data::Row| {
            for slot in &slots {
                if let Some(Value::Date(d)) = row.values.get(*slot) {
                    span = Some(match span {
                        None => (*d, *d),
                        Some((a, b)) => (a.min(*d), b.max(*d)),
                    });
                }
            }
        };
        let failed = |e: data::ReadError| FileError {
            path: file.path.clone(),
            message: e.message,
        };
        match options.read_from {
            ReadFrom::Disk if file.format != DataFormat::Json => {
                let mut pieces = Pieces::open(&file.path, file.format, options.chunk_bytes)?;
                while let Some(part) = pieces.next_part()? {
                    data::read(&part.text, file.format, &schema, &mut widen).map_err(failed)?;
                }
            }
            ReadFrom::Disk => {
                let text = read_whole(&file.path)?;
                data::read(&text, file.format, &schema, &mut widen).map_err(failed)?;
            }
            ReadFrom::Text => {
                data::read(&file.text, file.format, &schema, &mut widen).map_err(failed)?;
            }
        }
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
        None => data_span(program, files, options)?.unwrap_or_else(|| program.calendar.range()),
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
                sha256: match options.read_from {
                    ReadFrom::Text => text_sha256(file),
                    ReadFrom::Disk => sha256_hex(read_whole(&file.path)?.as_bytes()),
                },
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
        let Some(schema) = audit_schema(program, index) else {
            continue;
        };
        let mut totals = FileTotals::default();
        let mut absorb = |part: PartResult<'_>| {
            run.merge(part.audit);
            totals.add(part.summary, part.unusable);
            for problem in part.problems {
                if totals.listed < options.problem_cap {
                    totals.listed += 1;
                    data_problems.push(problem);
                }
            }
        };
        let period = (start, end);
        let sha256 = if options.read_from == ReadFrom::Disk && file.format != DataFormat::Json {
            let mut pieces = Pieces::open(&file.path, file.format, options.chunk_bytes)?;
            read_pieces(
                program,
                index,
                &schema,
                file,
                &mut pieces,
                period,
                options,
                &mut absorb,
            )?;
            pieces.sha256()
        } else {
            let owned;
            let text = if options.read_from == ReadFrom::Disk {
                owned = read_whole(&file.path)?;
                owned.as_str()
            } else {
                file.text.as_str()
            };
            if options.threads <= 1 {
                // One thread reads pieces of about `chunk_bytes` one after another, as from
                // disk, each made as it is read (a CSV piece is a copy, with the header): in
                // WebAssembly a loop stays in the baseline compiler's code until its function
                // is called again, so one call over a whole large file never runs optimised.
                let pieces = text.len() / options.chunk_bytes.max(1);
                for part in split(text, file.format, pieces, options.split_above) {
                    absorb(read_part(
                        program, index, &schema, file, &part, period, options,
                    )?);
                }
            } else {
                let parts: Vec<Part<'_>> =
                    split(text, file.format, options.threads, options.split_above).collect();
                for result in read_parts(program, index, &schema, file, &parts, period, options) {
                    absorb(result?);
                }
            }
            match options.read_from {
                ReadFrom::Text => text_sha256(file),
                ReadFrom::Disk => sha256_hex(text.as_bytes()),
            }
        };
        let summary = totals.summary();
        let unusable = totals.unusable;
        data_files.push(DataFileReport {
            record: file.record.clone(),
            path: file.path.clone(),
            sha256,
            format: format_name(file.format),
            records: summary.records,
            unusable,
            note: None,
            missing_columns: summary.missing_columns,
        });
    }
    run.settle();
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

/// The SHA-256 of a file in memory: the caller's, or computed.
fn text_sha256(file: &DataFile) -> String {
    match &file.sha256 {
        Some(given) => given.clone(),
        None => sha256_hex(file.text.as_bytes()),
    }
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
                let why = sample_reason(plan, row, schema, &env);
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

/// The row's problems by schema slot, as the evaluator takes them (`usize::MAX` for a
/// problem with the record as a whole, which no duty reads as a field).
fn problem_slots(row: &data::Row, schema: &Schema) -> Vec<(usize, String)> {
    if row.problems.is_empty() {
        return Vec::new();
    }
    row.problems
        .iter()
        .map(|problem| {
            let slot = schema
                .fields
                .iter()
                .position(|f| f.name == problem.field)
                .unwrap_or(usize::MAX);
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
/// a quoted CSV field), made one at a time as they are asked for. JSON arrays are not split.
fn split<'t>(text: &'t str, format: DataFormat, parts: usize, above: usize) -> Parts<'t> {
    let whole = Parts {
        text,
        format,
        header: "",
        header_lines: 0,
        target: 0,
        start: 0,
        lines_before: 0,
        whole: true,
    };
    if parts <= 1 || format == DataFormat::Json || text.len() < above {
        return whole;
    }
    // Record boundaries: newlines outside quotes.
    let header_end = match format {
        DataFormat::Csv => match header_end(text.as_bytes()) {
            Some(end) => end,
            None => return whole,
        },
        _ => 0,
    };
    if header_end >= text.len() {
        // A header and nothing else (or nothing at all): read as one piece, so the file's
        // missing columns are those of its header, as in an unsplit read.
        return whole;
    }
    let header = text.get(..header_end).unwrap_or("");
    let header_lines = data::count_newlines(header.as_bytes());
    Parts {
        text,
        format,
        header,
        header_lines,
        target: (text.len() - header_end) / parts + 1,
        start: header_end,
        lines_before: header_lines,
        whole: false,
    }
}

/// The pieces of a file in memory ([`split`]).
struct Parts<'t> {
    text: &'t str,
    format: DataFormat,
    /// A CSV file's header (and any blank lines before it), put in front of every piece.
    header: &'t str,
    header_lines: usize,
    /// About how many bytes of records a piece holds.
    target: usize,
    /// Where the next piece starts.
    start: usize,
    /// How many lines of the file precede `start`.
    lines_before: usize,
    /// The file is one piece, not yet handed out.
    whole: bool,
}

impl<'t> Iterator for Parts<'t> {
    type Item = Part<'t>;

    fn next(&mut self) -> Option<Part<'t>> {
        let text = self.text;
        if std::mem::take(&mut self.whole) {
            self.start = text.len();
            return Some(Part {
                text: std::borrow::Cow::Borrowed(text),
                lines_before: 0,
            });
        }
        let start = self.start;
        if start >= text.len() {
            return None;
        }
        let bytes = text.as_bytes();
        let wanted = (start + self.target).min(text.len());
        let end = if wanted >= text.len() {
            text.len()
        } else {
            // Scan from the part's start so quote state is known.
            let mut at = start;
            loop {
                let next = match self.format {
                    DataFormat::Csv => next_boundary(bytes, at),
                    // An NDJSON record is one line: only a line feed ends it, so the first
                    // one from `wanted - 1` on ends the part (no need to step every line).
                    _ => {
                        let from = at.max(wanted.saturating_sub(1));
                        bytes
                            .get(from..)
                            .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                            .map(|i| from + i + 1)
                    }
                };
                match next {
                    Some(b) if b < wanted => at = b,
                    Some(b) => break b,
                    None => break text.len(),
                }
            }
        };
        let body = text.get(start..end).unwrap_or("");
        let chunk = if self.header.is_empty() {
            std::borrow::Cow::Borrowed(body)
        } else {
            std::borrow::Cow::Owned(format!("{}{body}", self.header))
        };
        let part = Part {
            text: chunk,
            lines_before: self.lines_before - self.header_lines,
        };
        self.lines_before += data::count_newlines(body.as_bytes());
        self.start = end;
        Some(part)
    }
}

/// Where a CSV file's header record ends. Blank lines before it are not records (the `csv`
/// crate skips them), so they go with the header into every part.
fn header_end(bytes: &[u8]) -> Option<usize> {
    let blank = bytes
        .iter()
        .take_while(|&&c| c == b'\n' || c == b'\r')
        .count();
    next_boundary(bytes, blank)
}

/// The offset just past the next record's line end at or after `from`, which must be a
/// record boundary. See [`data::record_ends`].
fn next_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    data::record_ends(bytes.get(from..)?)
        .next()
        .map(|end| from + end)
}

/// A file's totals over its parts.
#[derive(Default)]
struct FileTotals {
    records: usize,
    unusable: usize,
    listed: usize,
    /// Schema fields missing from every part that said which columns it has: for CSV each
    /// part (each has the header); for JSON and NDJSON each part that held an object. The
    /// same as reading the file in one piece.
    missing: Option<Vec<String>>,
}

impl FileTotals {
    fn add(&mut self, summary: data::ReadSummary, unusable: usize) {
        self.unusable += unusable;
        self.records += summary.records;
        if !summary.columns_known {
            return;
        }
        self.missing = Some(match self.missing.take() {
            None => summary.missing_columns,
            Some(kept) => kept
                .into_iter()
                .filter(|c| summary.missing_columns.contains(c))
                .collect(),
        });
    }

    fn summary(&mut self) -> data::ReadSummary {
        let missing = self.missing.take();
        data::ReadSummary {
            records: self.records,
            columns_known: missing.is_some(),
            missing_columns: missing.unwrap_or_default(),
        }
    }
}

/// Reads the parts of a file in memory, on one thread each when there are several.
fn read_parts<'p>(
    program: &'p Program,
    index: usize,
    schema: &Schema,
    file: &DataFile,
    parts: &[Part<'_>],
    period: (Date, Date),
    options: &AuditOptions,
) -> Vec<Result<PartResult<'p>, FileError>> {
    if parts.len() == 1 {
        return parts
            .iter()
            .map(|part| read_part(program, index, schema, file, part, period, options))
            .collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| {
                scope.spawn(move || read_part(program, index, schema, file, part, period, options))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(internal_error(file))))
            .collect()
    })
}

fn internal_error(file: &DataFile) -> FileError {
    FileError {
        path: file.path.clone(),
        message: "internal error while reading".into(),
    }
}

/// Reads a file from disk piece by piece, as a pipeline: one thread reads and hashes the
/// pieces, `options.threads` threads parse and evaluate them, and this thread takes the
/// results in file order, so the audit is the same as one pass over the whole file. At most
/// two pieces per worker wait to be read, so memory does not grow with the file.
#[allow(clippy::too_many_arguments)]
fn read_pieces<'p>(
    program: &'p Program,
    index: usize,
    schema: &Schema,
    file: &DataFile,
    pieces: &mut Pieces,
    period: (Date, Date),
    options: &AuditOptions,
    absorb: &mut dyn FnMut(PartResult<'p>),
) -> Result<(), FileError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};
    let workers = options.threads.max(1);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (part_tx, part_rx) = mpsc::sync_channel::<(usize, Part<'static>)>(2 * workers);
        let part_rx = Arc::new(Mutex::new(part_rx));
        let (spare_tx, spare_rx) = mpsc::channel::<Part<'static>>();
        let (result_tx, result_rx) = mpsc::channel();
        let stop = &stop;
        let reader = scope.spawn(move || -> Result<usize, FileError> {
            let mut seq = 0;
            while !stop.load(Ordering::Relaxed) {
                while let Ok(used) = spare_rx.try_recv() {
                    pieces.recycle(used);
                }
                let Some(part) = pieces.next_part()? else {
                    break;
                };
                if part_tx.send((seq, part)).is_err() {
                    break;
                }
                seq += 1;
            }
            Ok(seq)
        });
        for _ in 0..workers {
            let (part_rx, result_tx, spare_tx) =
                (Arc::clone(&part_rx), result_tx.clone(), spare_tx.clone());
            scope.spawn(move || loop {
                // The lock is held only to take the next piece, never while reading one.
                let next = match part_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((seq, part)) = next else { break };
                let result = read_part(program, index, schema, file, &part, period, options);
                let _ = spare_tx.send(part);
                if result_tx.send((seq, result)).is_err() {
                    break;
                }
            });
        }
        drop((result_tx, spare_tx));
        // Results arrive in any order; they are absorbed in file order.
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        let mut failed = None;
        for (seq, result) in result_rx {
            waiting.insert(seq, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                match result {
                    Ok(part) if failed.is_none() => absorb(part),
                    Ok(_) => {}
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        failed.get_or_insert(e);
                    }
                }
            }
        }
        let read = reader.join().unwrap_or_else(|_| Err(internal_error(file)));
        // A worker that panicked sent no result for its piece: the pieces absorbed stop
        // short of the pieces read.
        let complete = waiting.is_empty();
        match (failed, read) {
            (Some(e), _) | (None, Err(e)) => Err(e),
            (None, Ok(sent)) if complete && sent == next => Ok(()),
            (None, Ok(_)) => Err(internal_error(file)),
        }
    })
}

/// A whole file from disk as text, without a byte order mark (a JSON array, which is not
/// read in pieces).
fn read_whole(path: &str) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|e| FileError {
        path: path.to_string(),
        message: e.to_string(),
    })?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.utf8_error().valid_up_to()))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn not_utf8(path: &str, offset: usize) -> FileError {
    FileError {
        path: path.to_string(),
        message: format!("not UTF-8 text (invalid byte at offset {offset})"),
    }
}

/// A CSV or NDJSON file read from disk in pieces that end at record boundaries (for CSV,
/// newlines outside quotes; each piece gets the header in front, as [`split`] does),
/// hashing the bytes as they are read.
struct Pieces {
    path: String,
    file: std::fs::File,
    format: DataFormat,
    chunk: usize,
    /// Bytes read and not yet handed out: the start of the next piece.
    carry: Vec<u8>,
    /// Offset in the file (after any byte order mark) of `carry`'s first byte.
    offset: usize,
    /// The CSV header, once found.
    header: Option<String>,
    /// Newlines in the file before `carry`.
    lines_before: usize,
    /// Buffers of pieces already read, to be filled again.
    spare: Vec<Vec<u8>>,
    hasher: sha2::Sha256,
    started: bool,
    eof: bool,
    done: bool,
}

impl Pieces {
    fn open(path: &str, format: DataFormat, chunk: usize) -> Result<Pieces, FileError> {
        let file = std::fs::File::open(path).map_err(|e| FileError {
            path: path.to_string(),
            message: e.to_string(),
        })?;
        Ok(Pieces {
            path: path.to_string(),
            file,
            format,
            chunk: chunk.max(1),
            carry: Vec::new(),
            offset: 0,
            header: None,
            lines_before: 0,
            spare: Vec::new(),
            hasher: sha2::Digest::new(),
            started: false,
            eof: false,
            done: false,
        })
    }

    /// Reads about one more chunk into `carry`; false at the end of the file.
    fn fill(&mut self) -> Result<bool, FileError> {
        use std::io::Read;
        let before = self.carry.len();
        // At least three bytes the first time, to see a byte order mark whole.
        let wanted = if self.started {
            self.chunk
        } else {
            self.chunk.max(3)
        };
        // Room is reserved, not filled: a small file touches only the memory it needs.
        self.carry.reserve(wanted);
        let read = (&mut self.file)
            .take(wanted as u64)
            .read_to_end(&mut self.carry)
            .map_err(|e| FileError {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
        if !self.started {
            self.started = true;
            if self.carry.starts_with(b"\xef\xbb\xbf") {
                self.carry.drain(..3);
            }
            sha2::Digest::update(&mut self.hasher, &self.carry);
        } else if let Some(new) = self.carry.get(before..) {
            sha2::Digest::update(&mut self.hasher, new);
        }
        if read == 0 {
            self.eof = true;
        }
        Ok(read > 0)
    }

    /// Where the last complete record in `carry` ends (after `from`), if any.
    fn last_boundary(&self, from: usize) -> Option<usize> {
        let bytes = self.carry.get(from..)?;
        let last_newline = |b: &[u8]| b.iter().rposition(|&c| c == b'\n');
        match self.format {
            DataFormat::Csv => data::record_ends(bytes).last().map(|end| from + end),
            _ => last_newline(bytes).map(|i| from + i + 1),
        }
    }

    /// The next piece, or `None` after the last. A file always gives at least one piece,
    /// if only an empty one.
    fn next_part(&mut self) -> Result<Option<Part<'static>>, FileError> {
        if self.done {
            return Ok(None);
        }
        if self.format == DataFormat::Csv && self.header.is_none() {
            // The header is the first record, which may hold quoted line breaks.
            let end = loop {
                if let Some(end) = header_end(&self.carry) {
                    break end;
                }
                if !self.fill()? {
                    break self.carry.len();
                }
            };
            let header: Vec<u8> = self.carry.drain(..end).collect();
            self.lines_before += data::count_newlines(&header);
            let header = String::from_utf8(header)
                .map_err(|e| not_utf8(&self.path, e.utf8_error().valid_up_to()))?;
            self.offset += header.len();
            self.header = Some(header);
        }
        let mut scanned = 0;
        let end = loop {
            if self.carry.len() >= self.chunk || self.eof {
                if let Some(end) = self.last_boundary(scanned) {
                    break end;
                }
                if self.eof {
                    break self.carry.len();
                }
            }
            if self.format != DataFormat::Csv {
                scanned = self.carry.len();
            }
            if !self.fill()? && self.carry.is_empty() {
                break 0;
            }
        };
        // The piece keeps the buffer; the unfinished record after it starts the next one, in
        // a buffer handed back by an earlier piece (see `recycle`).
        let mut rest = self.spare.pop().unwrap_or_default();
        rest.extend_from_slice(self.carry.get(end..).unwrap_or_default());
        self.carry.truncate(end);
        let body = std::mem::replace(&mut self.carry, rest);
        if self.eof && self.carry.is_empty() {
            self.done = true;
        }
        let offset = self.offset;
        self.offset += body.len();
        let newlines = data::count_newlines(&body);
        let body = String::from_utf8(body)
            .map_err(|e| not_utf8(&self.path, offset + e.utf8_error().valid_up_to()))?;
        let (text, lines_before) = match &self.header {
            Some(header) => {
                let header_lines = data::count_newlines(header.as_bytes());
                let mut text =
                    String::from_utf8(self.spare.pop().unwrap_or_default()).unwrap_or_default();
                text.push_str(header);
                text.push_str(&body);
                let body = body.into_bytes();
                self.recycle_buffer(body);
                (text, self.lines_before - header_lines)
            }
            None => (body, self.lines_before),
        };
        self.lines_before += newlines;
        Ok(Some(Part {
            text: std::borrow::Cow::Owned(text),
            lines_before,
        }))
    }

    /// Takes a piece back once read, to read a later piece into its buffer: the same few
    /// buffers go round, so memory does not creep up as small allocations that outlive a
    /// piece (failing keys) pin freed buffers in place.
    fn recycle(&mut self, part: Part<'static>) {
        if let std::borrow::Cow::Owned(text) = part.text {
            self.recycle_buffer(text.into_bytes());
        }
    }

    fn recycle_buffer(&mut self, mut buffer: Vec<u8>) {
        if self.spare.len() < 16 {
            buffer.clear();
            self.spare.push(buffer);
        }
    }

    /// The SHA-256 of the bytes read, in hex (call after the last piece).
    fn sha256(self) -> String {
        let digest = sha2::Digest::finalize(self.hasher);
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
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
        let problems = problem_slots(row, schema);
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
    let mut options = options.clone();
    let program = prepare(constitution, file, data, &mut options)?;
    let report = audit(&program, file, data, &options).map_err(AuditError::Data)?;
    Ok((program, report))
}

/// Compiles `constitution` as in force at the end of the audit period. Without a period in
/// `options`, the period is the span of the data's dates (found by a pass over the data),
/// and `options` is given it.
pub fn prepare(
    constitution: &crate::ast::Constitution,
    file: ConstitutionSource<'_>,
    data: &[DataFile],
    options: &mut AuditOptions,
) -> Result<Program, AuditError> {
    let compile =
        |on| crate::compile::compile(constitution, file.text, on).map_err(AuditError::Constitution);
    match options.period {
        Some((_, to)) => compile(Some(to)),
        None => {
            let latest = compile(None)?;
            let span = data_span(&latest, data, options).map_err(AuditError::Data)?;
            let (from, to) = span.unwrap_or_else(|| latest.calendar.range());
            options.period = Some((from, to));
            compile(Some(to))
        }
    }
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
