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
    /// Rewrite constitutions in the canonical layout (comments and meaning kept).
    Fmt {
        /// The `.lc` files to format in place.
        #[arg(required = true)]
        files: Vec<String>,
        /// Change nothing; exit 1 and name the files that would change.
        #[arg(long)]
        check: bool,
    },
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
                print!("{}", render::human(*view, styled));
            }
            println!("{}", summary(errors, warnings, results.len()));
        }
        Format::Short => print!("{}", render::short(&views)),
        Format::Json => println!("{}", render::json(&views)),
        Format::Sarif => println!("{}", render::sarif(&views)),
        Format::Github => print!("{}", render::github(&views)),
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
            println!("would reformat {path}");
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
                        println!("ok     {path}:{} {}", result.line, result.name);
                    } else {
                        failed += 1;
                        println!("FAILED {path}:{} {}", result.line, result.name);
                        for e in result.expectations.iter().filter(|e| !e.passed) {
                            println!(
                                "         {path}:{}: expected {} {}, but it was {}",
                                e.line, e.duty, e.expected, e.actual
                            );
                        }
                    }
                }
                if show_uncovered {
                    for duty in constitution::testing::uncovered(&ast) {
                        println!("not covered by any test: {path}: {duty}");
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
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        status = status.max(1);
    }
    ExitCode::from(status)
}
