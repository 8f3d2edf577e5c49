//! The formatter: the AST and the source's comments back to canonical text.
//!
//! Canonical layout: two-space indentation, one clause per line, one space between words,
//! record field types aligned in a column, expressions on one line with single spaces around
//! operators, at most one blank line kept where the author left one. Items stay in the
//! author's order. Every comment is kept: a comment on its own line stays on its own line
//! before the item that follows it; a comment after code stays at the end of that code's
//! (last) line. Formatting is idempotent, and the formatted file parses to the same AST
//! (spans aside), which the property tests check.
//!
//! A file with syntax errors is not formatted: its diagnostics are returned instead.

use crate::ast::*;
use crate::diagnostic::Diagnostic;

const INDENT: &str = "  ";
/// Lines longer than this are wrapped where the language allows: chains of `and`/`or`,
/// long `one of` lists and long test records.
const MAX_WIDTH: usize = 100;

/// Formats `source`, or returns its syntax errors.
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::parse(source);
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let ast = match parsed.ast {
        Some(ast) if errors.is_empty() => ast,
        _ => return Err(errors),
    };
    let mut printer = Printer {
        source,
        comments: comments(source),
        next_comment: 0,
        commented_line: None,
        lines: Vec::new(),
        depth: 0,
    };
    printer.constitution(&ast);
    let mut out = printer.lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// A `// …` comment in the source.
#[derive(Debug, Clone)]
struct Comment {
    start: usize,
    text: String,
    /// Code precedes it on its line.
    trailing: bool,
}

/// Finds every comment, skipping `//` inside string literals.
fn comments(source: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            if c == '"' {
                in_string = true;
            } else if c == '/' && line.get(i..i + 2) == Some("//") {
                let before = line.get(..i).unwrap_or("");
                out.push(Comment {
                    start: line_start + i,
                    text: line
                        .get(i..)
                        .unwrap_or("")
                        .trim_end_matches(['\n', '\r'])
                        .trim_end()
                        .to_string(),
                    trailing: !before.trim().is_empty(),
                });
                break;
            }
        }
        line_start += line.len();
    }
    out
}

struct Printer<'s> {
    source: &'s str,
    comments: Vec<Comment>,
    next_comment: usize,
    /// The last line that ends in a comment, if any: a comment after it goes on a line of
    /// its own, or the two would read back as one.
    commented_line: Option<usize>,
    lines: Vec<String>,
    depth: usize,
}

impl Printer<'_> {
    fn indent(&self) -> String {
        INDENT.repeat(self.depth)
    }

    /// Whether the author left a blank line just before `pos`.
    fn blank_before(&self, pos: usize) -> bool {
        let before = self.source.get(..pos).unwrap_or("");
        let gap = before.get(before.trim_end().len()..).unwrap_or("");
        gap.matches('\n').count() >= 2
    }

    fn can_add_blank(&self) -> bool {
        match self.lines.last() {
            None => false,
            Some(last) => !last.is_empty() && !last.ends_with('{'),
        }
    }

    /// Emits the comments that start before `pos`.
    fn flush_comments(&mut self, pos: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.start >= pos {
                break;
            }
            let comment = comment.clone();
            self.next_comment += 1;
            let last_index = self.lines.len().checked_sub(1);
            let free = last_index.is_some() && last_index != self.commented_line;
            match self.lines.last_mut() {
                Some(last) if comment.trailing && free && !last.trim().is_empty() => {
                    last.push_str("  ");
                    last.push_str(&comment.text);
                    self.commented_line = last_index;
                }
                _ => {
                    if self.blank_before(comment.start) && self.can_add_blank() {
                        self.lines.push(String::new());
                    }
                    let line = format!("{}{}", self.indent(), comment.text);
                    self.lines.push(line);
                    self.commented_line = self.lines.len().checked_sub(1);
                }
            }
        }
    }

    /// Starts a new line for an item written at `span` in the source.
    fn line(&mut self, span: Span, text: String) {
        self.flush_comments(span.start);
        if self.blank_before(span.start) && self.can_add_blank() {
            self.lines.push(String::new());
        }
        let line = format!("{}{}", self.indent(), text);
        self.lines.push(line);
    }

    /// An item that may continue over several lines (a long text).
    fn lines_for(&mut self, span: Span, first: String, rest: Vec<String>) {
        self.line(span, first);
        for more in rest {
            let line = format!("{}{}", self.indent(), more);
            self.lines.push(line);
        }
    }

    /// Opens a block: `header {`, then the body at one more indent.
    fn open(&mut self, span: Span, header: String) {
        self.line(span, format!("{header} {{"));
        self.depth += 1;
    }

    /// Closes the block that ends at `end` (just past its `}`).
    fn close(&mut self, end: usize) {
        self.flush_comments(end.saturating_sub(1));
        self.depth = self.depth.saturating_sub(1);
        let line = format!("{}}}", self.indent());
        self.lines.push(line);
    }

    fn constitution(&mut self, c: &Constitution) {
        self.open(c.span, format!("constitution {}", string(&c.name.value())));
        for item in &c.items {
            self.item(item);
        }
        self.close(c.span.end);
        self.flush_comments(usize::MAX);
    }

    /// A keyword followed by a text, continued on aligned lines if it has several parts.
    /// `span` may be the text's own span: the line is placed from its keyword.
    fn text_line(&mut self, span: Span, keyword: &str, text: &Text) {
        let first_word = keyword.split(' ').next().unwrap_or(keyword);
        let starts_with_keyword = self
            .source
            .get(span.start..)
            .is_some_and(|rest| rest.starts_with(first_word));
        // The keyword is the last occurrence of the word before the text that is not inside
        // a comment: `description // description of it` would otherwise place the line at
        // the comment and move the comment to the line before.
        let in_comment = |p: usize| {
            self.comments
                .iter()
                .any(|c| c.start <= p && p < c.start + c.text.len())
        };
        let start = if starts_with_keyword {
            span.start
        } else {
            self.source
                .get(..span.start)
                .and_then(|before| {
                    before
                        .rmatch_indices(first_word)
                        .map(|(p, _)| p)
                        .find(|p| !in_comment(*p))
                })
                .unwrap_or(span.start)
        };
        let span = Span::new(start.min(span.start), span.end);
        let mut parts = text.parts.iter().map(|p| string(p));
        let first = format!("{keyword} {}", parts.next().unwrap_or_default());
        let pad = " ".repeat(keyword.chars().count() + 1);
        let rest = parts.map(|p| format!("{pad}{p}")).collect();
        self.lines_for(span, first, rest);
    }

    fn item(&mut self, item: &Spanned<Item>) {
        let span = item.span;
        match &item.node {
            Item::Area { code } => self.line(span, format!("area {code}")),
            Item::Adopted { date } => self.line(span, format!("adopted {}", date.text)),
            Item::Calendar(cal) => {
                let header = format!("calendar {}", cal.name.name);
                if cal.closed.is_empty() {
                    self.line(span, header);
                } else {
                    self.open(span, header);
                    for day in &cal.closed {
                        match &day.reason {
                            Some(reason) => self.text_line(
                                day.span,
                                &format!("closed {}", day.date.text),
                                reason,
                            ),
                            None => self.line(day.span, format!("closed {}", day.date.text)),
                        }
                    }
                    self.close(span.end);
                }
            }
            Item::Body(b) => {
                let mut header = format!("body {} {}", b.name.name, string(&b.title.value()));
                if b.audit_committee {
                    header.push_str(" audit_committee");
                }
                if b.description.is_none() && b.contact.is_none() {
                    self.line(span, header);
                } else {
                    self.open(span, header);
                    if let Some(d) = &b.description {
                        self.text_line(d.span, "description", d);
                    }
                    if let Some(c) = &b.contact {
                        self.text_line(c.span, "contact", c);
                    }
                    self.close(span.end);
                }
            }
            Item::Record(r) => self.record(r, span),
            Item::Right(r) => {
                self.open(
                    span,
                    format!("right {} {}", r.name.name, string(&r.title.value())),
                );
                self.right_body(&r.description, &r.duties);
                self.close(span.end);
            }
            Item::Accountability(a) => {
                self.open(span, "accountability".into());
                self.right_body(&a.description, &a.duties);
                self.close(span.end);
            }
            Item::Responsibility { text } => self.text_line(span, "responsibility", text),
            Item::Amendment(a) => self.amendment(a, span),
            Item::Test(t) => self.test(t, span),
        }
    }

    fn record(&mut self, r: &Record, span: Span) {
        self.open(
            span,
            format!("record {} {}", r.name.name, string(&r.title.value())),
        );
        let width = r
            .fields
            .iter()
            .map(|f| f.name.name.chars().count())
            .max()
            .unwrap_or(0);
        for f in &r.fields {
            let mut line = format!("{:<width$} {}", f.name.name, field_type(&f.ty));
            if let FieldType::Enum(values) = &f.ty {
                if self.too_long(&line) {
                    // A long list of values: as many a line as fit, aligned after `one of `.
                    let pad = " ".repeat(width + 1 + "one of ".len());
                    let mut lines: Vec<String> = vec![format!("{:<width$} one of", f.name.name)];
                    for (i, v) in values.iter().enumerate() {
                        let piece = format!(
                            "{}{}",
                            string(v),
                            if i + 1 < values.len() { "," } else { "" }
                        );
                        let last = lines.last_mut();
                        match last {
                            Some(l) if !self.too_long(&format!("{l} {piece}")) => {
                                l.push(' ');
                                l.push_str(&piece);
                            }
                            _ => lines.push(format!("{pad}{piece}")),
                        }
                    }
                    line = lines.join("\n");
                }
            }
            if f.optional {
                line.push_str(" optional");
            }
            if f.key {
                line.push_str(" key");
            }
            // A wrapped `one of` list has several lines; the description starts on the last,
            // and its further parts align under its first.
            let mut lines: Vec<String> = line.split('\n').map(str::to_string).collect();
            if let (Some(d), Some(last)) = (&f.description, lines.last_mut()) {
                let pad = " ".repeat(last.chars().count() + 1);
                let mut parts = d.parts.iter().map(|p| string(p));
                last.push(' ');
                last.push_str(&parts.next().unwrap_or_default());
                lines.extend(parts.map(|p| format!("{pad}{p}")));
            }
            let mut lines = lines.into_iter();
            let first = lines.next().unwrap_or_default();
            self.lines_for(f.span, first, lines.collect());
        }
        self.close(span.end);
    }

    fn right_body(&mut self, description: &Option<Text>, duties: &[Duty]) {
        // Description and duties are printed in source order.
        let mut parts: Vec<(usize, Option<&Text>, Option<&Duty>)> = Vec::new();
        if let Some(d) = description {
            parts.push((d.span.start, Some(d), None));
        }
        for d in duties {
            parts.push((d.span.start, None, Some(d)));
        }
        parts.sort_by_key(|p| p.0);
        for part in parts {
            match part {
                (_, Some(text), _) => {
                    // The span of `description "…"` starts at the keyword, a little before
                    // the text; use the text's span start for comment placement.
                    self.text_line(text.span, "description", text)
                }
                (_, _, Some(duty)) => self.duty(duty, "duty"),
                _ => {}
            }
        }
    }

    fn duty(&mut self, duty: &Duty, keyword: &str) {
        self.open(
            duty.span,
            format!(
                "{keyword} {} {}",
                duty.name.name,
                string(&duty.title.value())
            ),
        );
        self.clauses(&duty.clauses);
        self.close(duty.span.end);
    }

    fn clauses(&mut self, clauses: &[Spanned<Clause>]) {
        for clause in clauses {
            let span = clause.span;
            let (head, expression) = match &clause.node {
                Clause::Description { text } => {
                    self.text_line(span, "description", text);
                    continue;
                }
                Clause::Basis { text } => {
                    self.text_line(span, "basis", text);
                    continue;
                }
                Clause::Over {
                    record,
                    filter: Some(filter),
                } => (format!("over {} where", record.name), filter),
                Clause::Each { condition } => ("each".to_string(), condition),
                Clause::Measure { measure } => ("measure".to_string(), measure),
                other => {
                    self.line(span, clause_text(other));
                    continue;
                }
            };
            let one_line = format!("{head} {}", expr(expression));
            match chain(expression) {
                Some((op, operands)) if self.too_long(&one_line) => {
                    // A long chain of `and`/`or`: one operand a line, the operator first.
                    let mut operands = operands.into_iter();
                    let first = format!("{head} {}", operands.next().map(expr).unwrap_or_default());
                    let rest = operands
                        .map(|o| format!("{INDENT}{} {}", op.symbol(), expr(o)))
                        .collect();
                    self.lines_for(span, first, rest);
                }
                _ => self.line(span, one_line),
            }
        }
    }

    /// Whether `text` at the current indent would run past [`MAX_WIDTH`].
    fn too_long(&self, text: &str) -> bool {
        self.indent().len() + text.chars().count() > MAX_WIDTH
    }

    fn amendment(&mut self, a: &Amendment, span: Span) {
        self.open(
            span,
            format!(
                "amendment {} effective {}",
                string(&a.title.value()),
                a.effective.text
            ),
        );
        // The description and the changes, in source order.
        let mut description_done = a.description.is_none();
        for change in &a.changes {
            if let Some(d) = &a.description {
                if !description_done && d.span.start < change.span.start {
                    self.text_line(d.span, "description", d);
                    description_done = true;
                }
            }
            match &change.node {
                Change::Amend { path, clauses } => {
                    self.open(change.span, format!("amend duty {path}"));
                    self.clauses(clauses);
                    self.close(change.span.end);
                }
                Change::Add { path, duty } => {
                    self.open(
                        change.span,
                        format!("add duty {path} {}", string(&duty.title.value())),
                    );
                    self.clauses(&duty.clauses);
                    self.close(change.span.end);
                }
                Change::Repeal { path } => self.line(change.span, format!("repeal duty {path}")),
            }
        }
        if let (false, Some(d)) = (description_done, &a.description) {
            self.text_line(d.span, "description", d);
        }
        self.close(span.end);
    }

    fn test(&mut self, t: &Test, span: Span) {
        self.open(span, format!("test {}", string(&t.name.value())));
        for item in &t.items {
            let text = match &item.node {
                TestItem::Period { from, to } => format!("period {}..{}", from.text, to.text),
                TestItem::Expect { path, verdict } => {
                    format!("expect {path} {}", verdict.keyword())
                }
                TestItem::Record(r) => {
                    let values: Vec<String> = r
                        .values
                        .iter()
                        .map(|(name, lit)| format!("{}: {}", name.name, literal(&lit.kind)))
                        .collect();
                    let one_line = if values.is_empty() {
                        format!("{} {{}}", r.record.name)
                    } else {
                        format!("{} {{ {} }}", r.record.name, values.join(", "))
                    };
                    if self.too_long(&one_line) {
                        // One field a line.
                        let rest = values
                            .iter()
                            .map(|v| format!("{INDENT}{v},"))
                            .chain(std::iter::once("}".to_string()))
                            .collect();
                        self.lines_for(item.span, format!("{} {{", r.record.name), rest);
                        continue;
                    }
                    one_line
                }
            };
            self.line(item.span, text);
        }
        self.close(span.end);
    }
}

/// A field's type as written: `date`, `one of "a", "b"`.
pub fn field_type(ty: &FieldType) -> String {
    match ty {
        FieldType::Text => "text".into(),
        FieldType::Integer => "integer".into(),
        FieldType::Number => "number".into(),
        FieldType::Money => "money".into(),
        FieldType::Percent => "percent".into(),
        FieldType::Date => "date".into(),
        FieldType::Boolean => "boolean".into(),
        FieldType::Enum(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| string(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The operands of a chain of one operator (`a and b and c`), if `e` is such a chain
/// (parentheses end it: they are the author's grouping).
fn chain(e: &Expr) -> Option<(BinaryOp, Vec<&Expr>)> {
    let ExprKind::Binary { op, .. } = &e.kind else {
        return None;
    };
    if !matches!(op, BinaryOp::And | BinaryOp::Or) {
        return None;
    }
    let mut operands = Vec::new();
    let mut rest = vec![e];
    while let Some(next) = rest.pop() {
        match &next.kind {
            ExprKind::Binary { op: o, lhs, rhs } if o == op => {
                rest.push(rhs);
                rest.push(lhs);
            }
            _ => operands.push(next),
        }
    }
    Some((*op, operands))
}

/// The canonical text of a clause that fits on one line.
pub fn clause_text(clause: &Clause) -> String {
    match clause {
        Clause::Description { text } => format!("description {}", joined(text)),
        Clause::Basis { text } => format!("basis {}", joined(text)),
        Clause::OwedBy { bodies } => format!(
            "owed by {}",
            bodies
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Clause::Over { record, filter } => match filter {
            Some(f) => format!("over {} where {}", record.name, expr(f)),
            None => format!("over {}", record.name),
        },
        Clause::Each { condition } => format!("each {}", expr(condition)),
        Clause::Measure { measure } => format!("measure {}", expr(measure)),
        Clause::Require { requirement } => format!("require {}", requirement_text(requirement)),
        Clause::PerGroup { field } => format!("per {}", field.name),
        Clause::PerPeriod { unit, field } => format!("per {} of {}", unit.keyword(), field.name),
        Clause::Minimum { records } => format!("minimum {records} records"),
        Clause::NotApplicableWhenEmpty => "not applicable when no records".into(),
        Clause::OnBreach { body } => format!("on breach refer to {}", body.name),
        Clause::OnReview { after } => {
            format!("on {after} consecutive breaches call in independent review")
        }
    }
}

fn joined(text: &Text) -> String {
    text.parts
        .iter()
        .map(|p| string(p))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The canonical text of a requirement (after `require`).
pub fn requirement_text(r: &Requirement) -> String {
    match r {
        Requirement::Every => "every".into(),
        Requirement::No => "no".into(),
        Requirement::AtLeast(t) => format!("at least {}", literal(&t.value)),
        Requirement::AtMost(t) => format!("at most {}", literal(&t.value)),
        Requirement::MoreThan(t) => format!("more than {}", literal(&t.value)),
        Requirement::LessThan(t) => format!("less than {}", literal(&t.value)),
    }
}

/// A string literal, quoted and escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Pence as `£1,234.50` (or `£500` for whole pounds).
pub fn money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    let pounds = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if abs % 100 == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{:02}", abs % 100)
    }
}

/// The canonical text of a literal.
pub fn literal(lit: &LitKind) -> String {
    match lit {
        LitKind::Number(d) => d.to_string(),
        LitKind::Percent(d) => format!("{d}%"),
        LitKind::Money(p) => money(*p),
        LitKind::Date(d) => d.text.clone(),
        LitKind::Duration { amount, unit } => {
            let word = match (unit, amount.unsigned_abs() == 1) {
                (DurationUnit::Days, true) => "day",
                (DurationUnit::Days, false) => "days",
                (DurationUnit::Weeks, true) => "week",
                (DurationUnit::Weeks, false) => "weeks",
            };
            format!("{amount} {word}")
        }
        LitKind::Text(s) => string(s),
        LitKind::Boolean(b) => b.to_string(),
        LitKind::Missing => "missing".into(),
    }
}

/// The canonical one-line text of an expression. Parentheses appear where the author wrote
/// them, which is where the tree needs them, so the text parses back to the same tree.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal { value } => match value {
            // A negative literal in an expression is written as unary minus.
            LitKind::Number(d) if d.mantissa < 0 => format!("-{}", d.negated()),
            other => literal(other),
        },
        ExprKind::Field { name } => name.clone(),
        ExprKind::Period { bound } => match bound {
            PeriodBound::Start => "period.start".into(),
            PeriodBound::End => "period.end".into(),
        },
        ExprKind::List { items } => format!(
            "[{}]",
            items.iter().map(expr).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Call { name, args } => format!(
            "{}({})",
            name.name,
            args.iter().map(expr).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Not => format!("not {}", expr(operand)),
            UnaryOp::Neg => format!("-{}", expr(operand)),
        },
        ExprKind::Binary { op, lhs, rhs } => {
            format!("{} {} {}", expr(lhs), op.symbol(), expr(rhs))
        }
        ExprKind::IsMissing { operand, negated } => format!(
            "{} is {}",
            expr(operand),
            if *negated { "present" } else { "missing" }
        ),
        ExprKind::In {
            operand,
            list,
            negated,
        } => format!(
            "{} {} {}",
            expr(operand),
            if *negated { "not in" } else { "in" },
            expr(list)
        ),
        ExprKind::Paren { inner } => format!("({})", expr(inner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_in_thousands() {
        assert_eq!(money(50_000), "£500");
        assert_eq!(money(123_450), "£1,234.50");
        assert_eq!(money(100_000_000), "£1,000,000");
        assert_eq!(money(-5), "-£0.05");
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        let found = comments("basis \"see http://x\" // real\n// own line\n");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "// real");
        assert!(found[0].trailing);
        assert!(!found[1].trailing);
    }
}
