//! `constitution`: a rules engine for local constitutions of citizens' rights.
//!
//! A council, community group or audit committee writes its area's constitution in a small
//! text language (`.lc` files): the six fundamental rights, the duties public bodies owe
//! under each with exact thresholds and legal basis, and the democratic duties around them.
//! This crate checks such a file, formats it, and (in later stages) compiles it and audits
//! service data against it.
//!
//! The pipeline, one module per stage, joined only by data types:
//!
//! 1. [`parse()`]: text to [`ast::Constitution`], with syntax diagnostics. Never fails
//!    outright; never panics.
//! 2. [`check()`]: the AST to a list of [`Diagnostic`]s (names, types, missing values,
//!    rights, amendments, tests), every problem at once, sorted by position.
//! 3. [`format()`]: the AST and the source's comments back to canonical text.
//!
//! Rendering diagnostics for people and machines lives at the edges, in [`render`].

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod ast;
pub mod audit;
pub mod calendar;
pub mod check;
pub mod compile;
pub mod data;
pub mod diagnostic;
pub mod diff;
pub mod doc;
pub mod eval;
pub mod fast;
pub mod format;
pub mod input;
pub mod new;
pub mod parse;
pub mod render;
pub mod report;
pub mod schema;
pub mod source;
pub mod testing;
pub mod value;
pub mod version;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod words;

pub use check::check;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use format::format;
pub use parse::parse;

/// Parses and checks `source`: every diagnostic, syntax and semantic, sorted by position.
pub fn check_source(source: &str) -> Vec<Diagnostic> {
    let parsed = parse(source);
    let mut diagnostics = parsed.diagnostics;
    if let Some(ast) = &parsed.ast {
        let syntax: Vec<ast::Span> = diagnostics.iter().map(|d| d.span).collect();
        let duties = duty_spans(ast);
        // A duty whose line could not be read would also be reported as missing that line;
        // the syntax error says it better.
        let follows_from_syntax = |d: &Diagnostic| {
            matches!(d.code, Code::MissingClause | Code::NotCheckable)
                && duties.iter().any(|duty| {
                    duty.start <= d.span.start
                        && d.span.end <= duty.end
                        && syntax
                            .iter()
                            .any(|s| duty.start <= s.start && s.end <= duty.end)
                })
        };
        diagnostics.extend(check(ast).into_iter().filter(|d| !follows_from_syntax(d)));
    }
    diagnostic::sort_and_dedup(&mut diagnostics);
    diagnostics
}

/// The spans of every duty block, including those added by amendments.
fn duty_spans(c: &ast::Constitution) -> Vec<ast::Span> {
    let mut spans = Vec::new();
    for item in &c.items {
        match &item.node {
            ast::Item::Right(r) => spans.extend(r.duties.iter().map(|d| d.span)),
            ast::Item::Accountability(a) => spans.extend(a.duties.iter().map(|d| d.span)),
            ast::Item::Amendment(a) => spans.extend(a.changes.iter().map(|c| c.span)),
            _ => {}
        }
    }
    spans
}
