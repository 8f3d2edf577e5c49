//! The `constitution` command line: a thin edge over the library. It reads files, calls the
//! library, chooses how to render, and sets the exit code. No logic of its own.
//!
//! Exit codes: 0 success; 1 the check found errors (or `fmt --check` found files to
//! reformat); 2 usage or I/O failure.

use clap::{Parser, Subcommand, ValueEnum};
use constitution::render::{self, FileDiagnostics};
use constitution::{Diagnostic, Severity};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

/// Prints to standard output. A closed pipe (`constitution check … | head -1`) ends the
/// program quietly with success, as a reader that has seen enough is not an error; any other
/// write failure is an I/O error (exit 2).
macro_rules! out {
    ($($arg:tt)*) => { write_stdout(format_args!($($arg)*)) };
}

/// [`out!`] with a newline.
macro_rules! outln {
    () => { write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            std::process::exit(2);
        }
    }
}

#[derive(Parser)]
#[command(
    name = "constitution",
    version,
    about = "Check, format and audit local constitutions of citizens' rights",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check constitutions and report every problem found.
    Check {
        /// The `.lc` files to check.
        #[arg(required = true)]
        files: Vec<String>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run the tests written in constitutions: inline records and the verdicts expected.
    Test {
        /// The `.lc` files whose tests to run.
        #[arg(required = true)]
        files: Vec<String>,
        /// Also list the duties no test covers.
        #[arg(long)]
        uncovered: bool,
    },
    /// Audit service data against a constitution: duty by duty, group by group.
    Audit(AuditArgs),
    /// Show how one duty reached its verdict: its clause, its population step by step, its
    /// groups and sample failing records with the values that failed.
    Explain {
        #[command(flatten)]
        audit: AuditArgs,
        /// The duty, as `right.duty`.
        #[arg(long, required = true)]
        duty: String,
    },
    /// Rewrite constitutions in the canonical layout (comments and meaning kept).
    Fmt {
        /// The `.lc` files to format in place.
        #[arg(required = true)]
        files: Vec<String>,
        /// Change nothing; exit 1 and name the files that would change.
        #[arg(long)]
        check: bool,
    },
    /// Write a complete, valid starting constitution for an area.
    New {
        /// The area's name, e.g. "London Borough of Lambeth".
        name: String,
        /// The area's nine-character GSS code, e.g. E09000022 (default: a placeholder).
        #[arg(long)]
        code: Option<String>,
        /// The adoption date written in the header (default: today).
        #[arg(long)]
        adopted: Option<String>,
        /// Write to this file (which must not exist) instead of standard output.
        #[arg(long)]
        out: Option<String>,
    },
    /// Render a constitution as the document residents read.
    Doc {
        /// The `.lc` file.
        file: String,
        /// Markdown, or one self-contained accessible HTML page.
        #[arg(long, value_enum, default_value_t = DocFormat::Markdown)]
        format: DocFormat,
        /// Render the version in force on this date (default: every amendment applied).
        #[arg(long)]
        on: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<String>,
    },
    /// Compare two versions: two files, or one file at two dates. Rights and duties added,
    /// removed or changed, each change stronger or weaker for residents.
    Diff {
        /// The old file (or the only file, compared with itself at two dates).
        old: String,
        /// The new file.
        new: Option<String>,
        /// The old side's version: in force on this date (default: one file, the adopted
        /// text; two files, every amendment applied).
        #[arg(long)]
        from: Option<String>,
        /// The new side's version: in force on this date (default: every amendment applied).
        #[arg(long)]
        to: Option<String>,
        /// Text for people, JSON for machines.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// What data publishers must export: a JSON Schema or a CSV header template per record.
    Schema {
        /// The `.lc` file.
        file: String,
        /// One record kind (default: all).
        record: Option<String>,
        /// JSON Schema (draft 2020-12), or CSV header templates with field descriptions.
        #[arg(long, value_enum, default_value_t = SchemaFormat::JsonSchema)]
        format: SchemaFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DocFormat {
    /// For committee papers and web pages.
    Markdown,
    /// One self-contained, accessible page.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// For people.
    Text,
    /// For machines.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaFormat {
    /// JSON Schema, draft 2020-12.
    JsonSchema,
    /// CSV header rows, each after `#` lines describing its columns.
    Csv,
}

#[derive(clap::Args)]
struct AuditArgs {
    /// The constitution (`.lc`).
    constitution: String,
    /// Data: a directory of `<record>.csv|json|ndjson` files, a single such file, or
    /// `RECORD=PATH`. May be given several times.
    #[arg(long, required = true)]
    data: Vec<String>,
    /// The period audited, `FROM..TO` (default: the whole data). The version of the
    /// constitution in force on TO is used.
    #[arg(long)]
    period: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    out: Option<String>,
    /// Exit 1 when any duty is breached (or, with `insufficient_evidence`, undecided too).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Threads for reading large files (default: all cores). Reports do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// How many failing record keys to list per duty and group.
    #[arg(long, default_value_t = 20)]
    failing: usize,
    /// Exit 1 if any record could not be used.
    #[arg(long)]
    strict: bool,
    /// Print how long each stage took to standard error (parse, compile, read and
    /// evaluate, render). Without --period, compiling includes a pass over the data to
    /// find its dates.
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// What a clerk reads in a terminal.
    Text,
    /// The canonical report (schema: docs/report.schema.json).
    Json,
    /// For committee papers.
    Markdown,
    /// One self-contained, accessible page.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Any duty breached.
    Breached,
    /// Any duty breached or undecided.
    InsufficientEvidence,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Source snippets with the problem underlined.
    Human,
    /// One line per diagnostic: `file:line:column: severity[CODE]: message`.
    Short,
    /// A JSON array of diagnostics with 1-based positions.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            format,
            deny_warnings,
        } => check(&files, format, deny_warnings),
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Test { files, uncovered } => test(&files, uncovered),
        Command::Audit(args) => audit(args),
        Command::Explain { audit, duty } => explain(audit, &duty),
        Command::New {
            name,
            code,
            adopted,
            out,
        } => new(&name, code.as_deref(), adopted.as_deref(), out.as_deref()),
        Command::Doc {
            file,
            format,
            on,
            out,
        } => doc(&file, format, on.as_deref(), out.as_deref()),
        Command::Diff {
            old,
            new,
            from,
            to,
            format,
        } => diff(&old, new.as_deref(), from.as_deref(), to.as_deref(), format),
        Command::Schema {
            file,
            record,
            format,
        } => schema(&file, record.as_deref(), format),
    }
}

/// Reads a file as UTF-8 text, or explains why it cannot. A leading byte-order mark is
/// dropped: editors on Windows add it and it means nothing.
fn read(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read `{path}`: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn check(files: &[String], format: Format, deny_warnings: bool) -> ExitCode {
    let mut sources = Vec::new();
    let mut io_failed = false;
    for path in files {
        match read(path) {
            Ok(text) => sources.push((path.as_str(), text)),
            Err(message) => {
                eprintln!("error: {message}");
                io_failed = true;
            }
        }
    }
    let results: Vec<(&str, &str, Vec<Diagnostic>)> = sources
        .iter()
        .map(|(path, text)| (*path, text.as_str(), constitution::check_source(text)))
        .collect();
    let views: Vec<FileDiagnostics<'_>> = results
        .iter()
        .map(|(path, source, diagnostics)| FileDiagnostics {
            path,
            source,
            diagnostics,
        })
        .collect();
    let errors = count(&results, Severity::Error);
    let warnings = count(&results, Severity::Warning);
    match format {
        Format::Human => {
            let styled = std::io::stdout().is_terminal();
            for view in &views {
                out!("{}", render::human(*view, styled));
            }
            outln!("{}", summary(errors, warnings, results.len()));
        }
        Format::Short => out!("{}", render::short(&views)),
        Format::Json => outln!("{}", render::json(&views)),
        Format::Sarif => outln!("{}", render::sarif(&views)),
        Format::Github => out!("{}", render::github(&views)),
    }
    if io_failed {
        ExitCode::from(2)
    } else if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn count(results: &[(&str, &str, Vec<Diagnostic>)], severity: Severity) -> usize {
    results
        .iter()
        .flat_map(|(_, _, d)| d)
        .filter(|d| d.severity == severity)
        .count()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(errors: usize, warnings: usize, files: usize) -> String {
    if errors == 0 && warnings == 0 {
        return format!("{} checked: no problems found", plural(files, "file"));
    }
    format!(
        "{} checked: {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn fmt(files: &[String], check_only: bool) -> ExitCode {
    let mut status = 0u8;
    let mut would_change = Vec::new();
    for path in files {
        let source = match read(path) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("error: {message}");
                status = 2;
                continue;
            }
        };
        match constitution::format(&source) {
            Ok(formatted) => {
                if formatted == source {
                    continue;
                }
                if check_only {
                    would_change.push(path.clone());
                    continue;
                }
                if let Err(e) = std::fs::write(path, formatted) {
                    eprintln!("error: cannot write `{path}`: {e}");
                    status = 2;
                }
            }
            Err(diagnostics) => {
                let view = FileDiagnostics {
                    path,
                    source: &source,
                    diagnostics: &diagnostics,
                };
                eprint!("{}", render::human(view, std::io::stderr().is_terminal()));
                eprintln!("error: `{path}` was not formatted because it has syntax errors");
                status = status.max(1);
            }
        }
    }
    if !would_change.is_empty() {
        for path in &would_change {
            outln!("would reformat {path}");
        }
        status = status.max(1);
    }
    ExitCode::from(status)
}

fn test(files: &[String], show_uncovered: bool) -> ExitCode {
    let (mut passed, mut failed, mut status) = (0usize, 0usize, 0u8);
    for path in files {
        let source = match read(path) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("error: {message}");
                status = 2;
                continue;
            }
        };
        let parsed = constitution::parse(&source);
        let Some(ast) = parsed
            .ast
            .filter(|_| !parsed.diagnostics.iter().any(Diagnostic::is_error))
        else {
            let view = FileDiagnostics {
                path,
                source: &source,
                diagnostics: &parsed.diagnostics,
            };
            eprint!("{}", render::human(view, std::io::stderr().is_terminal()));
            status = status.max(1);
            continue;
        };
        match constitution::testing::run_tests(&ast, &source) {
            Ok(results) => {
                for result in &results {
                    if result.passed() {
                        passed += 1;
                        outln!("ok     {path}:{} {}", result.line, result.name);
                    } else {
                        failed += 1;
                        outln!("FAILED {path}:{} {}", result.line, result.name);
                        for e in result.expectations.iter().filter(|e| !e.passed) {
                            outln!(
                                "         {path}:{}: expected {} {}, but it was {}",
                                e.line,
                                e.duty,
                                e.expected,
                                e.actual
                            );
                        }
                    }
                }
                if show_uncovered {
                    for duty in constitution::testing::uncovered(&ast) {
                        outln!("not covered by any test: {path}: {duty}");
                    }
                }
            }
            Err(diagnostics) => {
                let view = FileDiagnostics {
                    path,
                    source: &source,
                    diagnostics: &diagnostics,
                };
                eprint!("{}", render::human(view, std::io::stderr().is_terminal()));
                status = status.max(1);
            }
        }
    }
    outln!("{passed} passed, {failed} failed");
    if failed > 0 {
        status = status.max(1);
    }
    ExitCode::from(status)
}

/// Where `--data` arguments point: files of one record kind each. A folder gives the files
/// in it named after a record kind; anything else is named by the library's rule
/// (`constitution::input`), which the WebAssembly build shares.
///
/// With `load` false the texts are left empty: the audit reads the files itself, a piece
/// at a time.
fn collect_data(
    args: &[String],
    records: &[String],
    load: bool,
) -> Result<Vec<constitution::audit::DataFile>, String> {
    use constitution::input::{self, NamedData};
    let mut files = Vec::new();
    let mut add = |named: NamedData| -> Result<(), String> {
        let text = if load {
            read(&named.path)?
        } else {
            String::new()
        };
        for record in named.records {
            files.push(constitution::audit::DataFile {
                record,
                path: named.path.clone(),
                text: text.clone(),
                format: named.format,
                sha256: None,
            });
        }
        Ok(())
    };
    for arg in args {
        let path = std::path::Path::new(arg);
        if arg.contains('=') || !path.is_dir() {
            add(input::name_data(arg, records)?)?;
            continue;
        }
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read directory `{arg}`: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            let shown = entry.display().to_string();
            if !input::belongs_in_folder(&shown, records) {
                continue;
            }
            if let Some(format) = constitution::data::DataFormat::from_path(&shown) {
                add(NamedData {
                    records: vec![input::record_of(&shown).to_string()],
                    path: shown,
                    format,
                })?;
            }
        }
    }
    Ok(files)
}

/// Reads the constitution and the data and hands them to `job` (the audit, or an
/// explanation); on failure, prints why and returns the exit code.
fn run_audit<T>(
    args: &AuditArgs,
    options: &constitution::audit::AuditOptions,
    timings: &mut Vec<(&'static str, std::time::Duration)>,
    job: impl FnOnce(
        &constitution::ast::Constitution,
        constitution::report::ConstitutionSource<'_>,
        &[constitution::audit::DataFile],
    ) -> Result<T, constitution::audit::AuditError>,
) -> Result<T, ExitCode> {
    let path = args.constitution.as_str();
    let source = read(path).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })?;
    let failed = |diagnostics: &[Diagnostic]| {
        let view = FileDiagnostics {
            path,
            source: &source,
            diagnostics,
        };
        eprint!("{}", render::human(view, std::io::stderr().is_terminal()));
        eprintln!("error: `{path}` has errors; fix them before auditing");
        ExitCode::from(2)
    };
    let started = Instant::now();
    let parsed = constitution::parse(&source);
    timings.push(("parse", started.elapsed()));
    let Some(ast) = parsed
        .ast
        .as_ref()
        .filter(|_| !parsed.diagnostics.iter().any(Diagnostic::is_error))
    else {
        return Err(failed(&parsed.diagnostics));
    };
    let records: Vec<String> = ast.records().map(|r| r.name.name.clone()).collect();
    let from_disk = options.read_from == constitution::audit::ReadFrom::Disk;
    let files = collect_data(&args.data, &records, !from_disk).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })?;
    let file = constitution::report::ConstitutionSource {
        path,
        text: &source,
    };
    // Long audits say what they are doing, on a terminal only (never in pipes or CI logs).
    let bytes: usize = files
        .iter()
        .map(|f| match from_disk {
            true => std::fs::metadata(&f.path).map_or(0, |m| m.len() as usize),
            false => f.text.len(),
        })
        .sum();
    let progress = std::io::stderr().is_terminal() && bytes > 50 << 20;
    let started = std::time::Instant::now();
    if progress {
        eprintln!(
            "auditing {} files ({} MB) with {} threads…",
            files.len(),
            bytes >> 20,
            options.threads
        );
    }
    let result = job(ast, file, &files);
    if progress {
        eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    }
    result.map_err(|e| match e {
        constitution::audit::AuditError::Constitution(diagnostics) => failed(&diagnostics),
        constitution::audit::AuditError::Data(e) => {
            eprintln!("error: cannot read `{}`: {}", e.path, e.message);
            ExitCode::from(2)
        }
        constitution::audit::AuditError::Explain(e) => {
            eprintln!("error: {}: {}", e.path, e.message);
            ExitCode::from(2)
        }
    })
}

/// The audit settings the arguments ask for.
fn audit_options(args: &AuditArgs) -> Result<constitution::audit::AuditOptions, ExitCode> {
    let period = args
        .period
        .as_deref()
        .map(constitution::input::parse_period)
        .transpose()
        .map_err(|message| {
            eprintln!("error: {message}");
            ExitCode::from(2)
        })?;
    Ok(constitution::audit::AuditOptions {
        period,
        failing_cap: args.failing,
        threads: args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        ..Default::default()
    })
}

fn audit(args: AuditArgs) -> ExitCode {
    let options = match audit_options(&args) {
        // The audit reads the files a piece at a time: memory stays flat however large.
        Ok(options) => constitution::audit::AuditOptions {
            read_from: constitution::audit::ReadFrom::Disk,
            ..options
        },
        Err(code) => return code,
    };
    let mut timings = Vec::new();
    let report = match run_audit(&args, &options, &mut timings, |ast, file, files| {
        let mut options = options.clone();
        let started = Instant::now();
        let program = constitution::audit::prepare(ast, file, files, &mut options)?;
        let compiled = Instant::now();
        let report = constitution::audit::audit(&program, file, files, &options)
            .map_err(constitution::audit::AuditError::Data)?;
        let took = [
            ("check and compile", compiled - started),
            ("read and evaluate", compiled.elapsed()),
        ];
        Ok((report, took))
    }) {
        Ok((report, took)) => {
            timings.extend(took);
            report
        }
        Err(code) => return code,
    };
    let started = Instant::now();
    let rendered = match args.format {
        ReportFormat::Text => render::report::text(&report),
        ReportFormat::Json => report.to_json(),
        ReportFormat::Markdown => render::report::markdown(&report),
        ReportFormat::Html => render::report::html(&report),
    };
    timings.push(("render", started.elapsed()));
    if args.timings {
        let stages: Vec<String> = timings
            .iter()
            .map(|(stage, took)| format!("{stage} {:.3} ms", took.as_secs_f64() * 1e3))
            .collect();
        eprintln!("timings: {}", stages.join(", "));
    }
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, rendered) {
                eprintln!("error: cannot write `{path}`: {e}");
                return ExitCode::from(2);
            }
        }
        None => out!("{rendered}"),
    }
    if args.strict && report.summary.unusable_records > 0 {
        eprintln!(
            "error: {} records could not be used (--strict)",
            report.summary.unusable_records
        );
        return ExitCode::from(1);
    }
    let failed = match args.fail_on {
        Some(FailOn::Breached) => report.summary.duties.breached > 0,
        Some(FailOn::InsufficientEvidence) => {
            report.summary.duties.breached > 0 || report.summary.duties.insufficient_evidence > 0
        }
        None => false,
    };
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn explain(args: AuditArgs, duty: &str) -> ExitCode {
    let options = match audit_options(&args) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let explanation = match run_audit(&args, &options, &mut Vec::new(), |ast, file, files| {
        constitution::audit::run_explain(ast, file, files, duty, &options)
    }) {
        Ok(explanation) => explanation,
        Err(code) => return code,
    };
    let rendered = match args.format {
        ReportFormat::Json => explanation.to_json(),
        _ => render::report::explanation(&explanation, &args.constitution),
    };
    out!("{rendered}");
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------------------
// Drafting and publishing: new, doc, diff, schema. Each reads, calls the library, writes.

/// A date argument, or a message naming it.
fn date_arg(flag: &str, text: &str) -> Result<time::Date, ExitCode> {
    constitution::parse::parse_date(text).ok_or_else(|| {
        eprintln!("error: `{flag} {text}`: not a date (YYYY-MM-DD)");
        ExitCode::from(2)
    })
}

/// Reads and parses a constitution that must be free of errors (warnings are allowed);
/// otherwise prints why and returns the exit code.
fn load(path: &str) -> Result<constitution::ast::Constitution, ExitCode> {
    let source = read(path).map_err(|message| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    })?;
    let diagnostics = constitution::check_source(&source);
    let ast = constitution::parse(&source).ast;
    match ast {
        Some(ast) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(ast),
        _ => {
            let view = FileDiagnostics {
                path,
                source: &source,
                diagnostics: &diagnostics,
            };
            eprint!("{}", render::human(view, std::io::stderr().is_terminal()));
            eprintln!("error: `{path}` has errors; fix them first");
            Err(ExitCode::from(2))
        }
    }
}

/// Writes `text` to `out`, or to standard output.
fn emit(text: &str, out: Option<&str>) -> ExitCode {
    match out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{path}`: {e}");
                ExitCode::from(2)
            }
        },
        None => {
            out!("{text}");
            ExitCode::SUCCESS
        }
    }
}

fn new(name: &str, code: Option<&str>, adopted: Option<&str>, out: Option<&str>) -> ExitCode {
    let adopted = match adopted {
        Some(text) => match date_arg("--adopted", text) {
            Ok(date) => date,
            Err(code) => return code,
        },
        None => time::OffsetDateTime::now_utc().date(),
    };
    let options = constitution::new::NewOptions {
        name,
        code,
        adopted,
    };
    let text = match constitution::new::constitution(&options) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = out {
        if std::path::Path::new(path).exists() {
            eprintln!("error: `{path}` already exists; choose another name or remove it");
            return ExitCode::from(2);
        }
    }
    emit(&text, out)
}

fn doc(file: &str, format: DocFormat, on: Option<&str>, out: Option<&str>) -> ExitCode {
    let on = match on.map(|d| date_arg("--on", d)).transpose() {
        Ok(on) => on,
        Err(code) => return code,
    };
    let ast = match load(file) {
        Ok(ast) => ast,
        Err(code) => return code,
    };
    let document = constitution::doc::document(&ast, on);
    let text = match format {
        DocFormat::Markdown => render::doc::markdown(&document),
        DocFormat::Html => render::doc::html(&document),
    };
    emit(&text, out)
}

fn diff(
    old: &str,
    new: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    format: DiffFormat,
) -> ExitCode {
    use constitution::diff::{At, Side};
    let at = |flag: &str, date: Option<&str>, default: At| -> Result<At, ExitCode> {
        date.map(|d| date_arg(flag, d).map(At::On))
            .transpose()
            .map(|a| a.unwrap_or(default))
    };
    let from_default = if new.is_some() {
        At::Latest
    } else {
        At::Adopted
    };
    let (from, to) = match (at("--from", from, from_default), at("--to", to, At::Latest)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let old_ast = match load(old) {
        Ok(ast) => ast,
        Err(code) => return code,
    };
    let new_ast = match new.map(load).transpose() {
        Ok(ast) => ast,
        Err(code) => return code,
    };
    let old_side = Side {
        file: old,
        constitution: &old_ast,
        at: from,
    };
    let new_side = Side {
        file: new.unwrap_or(old),
        constitution: new_ast.as_ref().unwrap_or(&old_ast),
        at: to,
    };
    let result = constitution::diff::diff(&old_side, &new_side);
    let text = match format {
        DiffFormat::Text => constitution::diff::text(&result),
        DiffFormat::Json => constitution::diff::json(&result),
    };
    emit(&text, None)
}

fn schema(file: &str, record: Option<&str>, format: SchemaFormat) -> ExitCode {
    let ast = match load(file) {
        Ok(ast) => ast,
        Err(code) => return code,
    };
    let text = match format {
        SchemaFormat::JsonSchema => constitution::schema::json_schema(&ast, record)
            .map(|s| serde_json::to_string_pretty(&s).unwrap_or_default() + "\n"),
        SchemaFormat::Csv => constitution::schema::csv_template(&ast, record),
    };
    match text {
        Ok(text) => emit(&text, None),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
