//! The terminal rendering: rustc-style snippets via `annotate-snippets` (the renderer
//! rustc and ruff use), so users see the line, the span underlined and the help.

use super::FileDiagnostics;
use crate::diagnostic::Severity;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// Renders every diagnostic of `file` for a terminal; `styled` adds colour.
pub fn human(file: FileDiagnostics<'_>, styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in file.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // Keep the span inside the text and on character boundaries.
        let len = file.source.len();
        let mut start = d.span.start.min(len);
        while start > 0 && !file.source.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = d.span.end.clamp(start, len);
        while end < len && !file.source.is_char_boundary(end) {
            end += 1;
        }
        // A multi-line span is shown by its first line only: the whole duty block would bury
        // the point.
        if let Some(newline) = file.source.get(start..end).and_then(|s| s.find('\n')) {
            end = start + newline;
        }
        let title = level
            .clone()
            .primary_title(d.message.as_str())
            .id(d.code.as_str());
        let snippet = Snippet::source(file.source)
            .path(file.path)
            .annotation(AnnotationKind::Primary.span(start..end));
        let mut group = title.element(snippet);
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}
