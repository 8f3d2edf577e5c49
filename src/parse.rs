//! Stage one: source text to [`ast::Constitution`].
//!
//! The grammar is `grammar/constitution.pest`. Parsing never panics and never stops at the
//! first problem it can step over: every block body ends in an `invalid_item` alternative
//! that swallows a line the grammar could not read, and this module turns each one into an
//! [`Code::SyntaxError`] that says what was expected there, then carries on. The `pest` parse
//! tree is converted to the owned AST at once; no `Pair` leaves this module.
//!
//! Input that would make a recursive-descent parser recurse without bound (thousands of
//! nested brackets, expressions with thousands of operators) is refused up front with
//! [`Code::TooDeep`].

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::sync::OnceLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/constitution.pest"]
struct Grammar;

/// The deepest nesting of `(`, `[` and `{` accepted.
pub const MAX_NESTING: usize = 32;
/// The most operators accepted in one expression.
pub const MAX_OPERATORS: usize = 256;

/// What parsing produced: the tree, when the file's outline could be read, and every
/// problem found on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The constitution; `None` only when its outline (`constitution "…" { … }`) is broken.
    pub ast: Option<Constitution>,
    /// Syntax errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a constitution.
pub fn parse(source: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    if let Some(d) = nesting_problem(source) {
        return Parsed {
            ast: None,
            diagnostics: vec![d],
        };
    }
    let ast = match Grammar::parse(Rule::file, source) {
        Ok(mut pairs) => {
            let mut cx = Converter {
                source,
                diagnostics: &mut diagnostics,
            };
            pairs
                .next()
                .and_then(|file| file.into_inner().next())
                .and_then(|c| cx.constitution(c).ok())
        }
        Err(error) => {
            let mut d = pest_error_to_diagnostic(&error, source, 0);
            if d.span.start >= source.trim_end().len() {
                d.message = "the file ends before every block is closed".into();
                d.help = Some("add the missing `}`: every `{` needs one".into());
            }
            diagnostics.push(d);
            None
        }
    };
    crate::diagnostic::sort_and_dedup(&mut diagnostics);
    Parsed { ast, diagnostics }
}

/// Finds the first bracket nested deeper than [`MAX_NESTING`], skipping strings and comments.
fn nesting_problem(source: &str) -> Option<Diagnostic> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            Code::TooDeep,
                            Span::new(i, i + 1),
                            format!("brackets and braces are nested more than {MAX_NESTING} deep"),
                        )
                        .with_help("remove redundant brackets or split the condition"),
                    );
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Raised when the parse tree does not have the shape the grammar promises. It cannot
/// happen for trees `pest` built from this grammar, but library code does not panic, so it
/// becomes a diagnostic instead.
#[derive(Debug)]
struct Malformed;

type Conv<T> = Result<T, Malformed>;

struct Converter<'s, 'd> {
    source: &'s str,
    diagnostics: &'d mut Vec<Diagnostic>,
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn next<'i>(pairs: &mut Pairs<'i, Rule>) -> Conv<Pair<'i, Rule>> {
    pairs.next().ok_or(Malformed)
}

/// The block an invalid item was found in, which decides what was expected there.
#[derive(Debug, Clone, Copy)]
enum Context {
    Top,
    Calendar,
    Body,
    Record,
    Right,
    Duty,
    Amendment,
    Test,
}

impl Context {
    fn rule(self) -> Rule {
        match self {
            Context::Top => Rule::top_clause_only,
            Context::Calendar => Rule::calendar_clause_only,
            Context::Body => Rule::body_clause_only,
            Context::Record => Rule::record_clause_only,
            Context::Right => Rule::right_clause_only,
            Context::Duty => Rule::duty_clause_only,
            Context::Amendment => Rule::amendment_clause_only,
            Context::Test => Rule::test_clause_only,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Context::Top => "the constitution",
            Context::Calendar => "a calendar",
            Context::Body => "a body",
            Context::Record => "a record declaration",
            Context::Right => "a right",
            Context::Duty => "a duty",
            Context::Amendment => "an amendment",
            Context::Test => "a test",
        }
    }

    /// The words a line in this block may start with.
    fn keywords(self) -> &'static [&'static str] {
        match self {
            Context::Top => &[
                "area",
                "adopted",
                "calendar",
                "body",
                "record",
                "right",
                "accountability",
                "responsibility",
                "amendment",
                "test",
            ],
            Context::Calendar => &["closed"],
            Context::Body => &["description", "contact"],
            Context::Record => &[],
            Context::Right => &["description", "duty"],
            Context::Duty => &[
                "description",
                "owed by",
                "basis",
                "over",
                "each",
                "measure",
                "require",
                "per",
                "minimum",
                "not applicable when no records",
                "on breach refer to",
            ],
            Context::Amendment => &["description", "amend duty", "add duty", "repeal duty"],
            Context::Test => &["period", "expect"],
        }
    }
}

impl Converter<'_, '_> {
    fn error(&mut self, code: Code, span: Span, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(code, span, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    /// Explains an item the grammar could not read by re-parsing it against the clauses
    /// allowed in its block, and records the diagnostic.
    fn invalid(&mut self, pair: Pair<'_, Rule>, context: Context) {
        let span = span_of(&pair);
        let text = pair.as_str();
        let first_line = text.lines().next().unwrap_or("").trim_end();
        let Err(error) = Grammar::parse(context.rule(), text) else {
            // The clause reads on its own but not here (cannot happen with this grammar):
            // still report it rather than drop it.
            self.error(
                Code::SyntaxError,
                span,
                format!("`{first_line}` is not allowed in {}", context.what()),
                None,
            );
            return;
        };
        let offset = match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        let leading_word: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let at_start = offset == 0 || text.get(..offset).is_some_and(|p| p.trim().is_empty());
        // An item that starts after code on the same line is the unread rest of that line:
        // the clause before it stopped early.
        let line_before = self
            .source
            .get(..span.start)
            .map(|before| before.rsplit('\n').next().unwrap_or(""))
            .unwrap_or("");
        if !line_before.trim().is_empty() {
            let shown: String = first_line.chars().take(30).collect();
            let more = if first_line.chars().count() > 30 {
                "…"
            } else {
                ""
            };
            self.error(
                Code::SyntaxError,
                Span::new(span.start, span.start + first_line.len().max(1)),
                format!("cannot read the rest of this line, from `{shown}{more}`"),
                Some(
                    "the clause was read up to here and what follows does not continue it: \
                     check brackets, operators and values (money is `£1,234.50`, \
                     percentages `90%`, dates `2025-04-01`)"
                        .into(),
                ),
            );
            return;
        }
        if at_start && !context.keywords().is_empty() && !is_keyword(context, &leading_word) {
            let found = if leading_word.is_empty() {
                first_line.chars().take(20).collect::<String>()
            } else {
                leading_word.clone()
            };
            let mut help = format!(
                "a line in {} starts with one of: {}",
                context.what(),
                context
                    .keywords()
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(close) = closest(&leading_word, context.keywords()) {
                help = format!("did you mean `{close}`? {help}");
            }
            let end = span.start + found.len().min(text.len());
            self.error(
                Code::SyntaxError,
                Span::new(span.start, end.max(span.start + 1).min(span.end)),
                format!("`{found}` is not a line {} can have", context.what()),
                Some(help),
            );
            return;
        }
        self.diagnostics
            .push(pest_error_to_diagnostic(&error, text, span.start));
    }

    fn constitution(&mut self, pair: Pair<'_, Rule>) -> Conv<Constitution> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = self.string_text(next(&mut inner)?)?;
        let mut items = Vec::new();
        for item in inner {
            if item.as_rule() == Rule::invalid_item {
                self.invalid(item, Context::Top);
                continue;
            }
            let item_span = span_of(&item);
            if let Some(node) = self.top_item(item)? {
                items.push(Spanned {
                    node,
                    span: item_span,
                });
            }
        }
        Ok(Constitution { name, items, span })
    }

    fn top_item(&mut self, pair: Pair<'_, Rule>) -> Conv<Option<Item>> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        Ok(Some(match rule {
            Rule::area => Item::Area {
                code: next(&mut inner)?.as_str().to_string(),
            },
            Rule::adopted => Item::Adopted {
                date: self.date(next(&mut inner)?),
            },
            Rule::calendar => {
                let name = ident(next(&mut inner)?);
                let mut closed = Vec::new();
                for c in inner {
                    if c.as_rule() == Rule::invalid_item {
                        self.invalid(c, Context::Calendar);
                        continue;
                    }
                    let cspan = span_of(&c);
                    let mut ci = c.into_inner();
                    let date = self.date(next(&mut ci)?);
                    let reason = ci.next().map(|t| self.text(t)).transpose()?;
                    closed.push(ClosureDay {
                        date,
                        reason,
                        span: cspan,
                    });
                }
                Item::Calendar(Calendar { name, closed, span })
            }
            Rule::body => {
                let name = ident(next(&mut inner)?);
                let title = self.string_text(next(&mut inner)?)?;
                let mut body = Body {
                    name,
                    title,
                    audit_committee: false,
                    description: None,
                    contact: None,
                    span,
                };
                for c in inner {
                    match c.as_rule() {
                        Rule::audit_role => body.audit_committee = true,
                        Rule::description => {
                            let text = self.text(next(&mut c.into_inner())?)?;
                            self.once(&mut body.description, text, "description");
                        }
                        Rule::contact => {
                            let text = self.text(next(&mut c.into_inner())?)?;
                            self.once(&mut body.contact, text, "contact");
                        }
                        Rule::invalid_item => self.invalid(c, Context::Body),
                        _ => return Err(Malformed),
                    }
                }
                Item::Body(body)
            }
            Rule::record => {
                let name = ident(next(&mut inner)?);
                let title = self.string_text(next(&mut inner)?)?;
                let mut fields = Vec::new();
                for f in inner {
                    if f.as_rule() == Rule::invalid_item {
                        self.invalid(f, Context::Record);
                        continue;
                    }
                    fields.push(self.field(f)?);
                }
                Item::Record(Record {
                    name,
                    title,
                    fields,
                    span,
                })
            }
            Rule::right => {
                let name = ident(next(&mut inner)?);
                let title = self.string_text(next(&mut inner)?)?;
                let (description, duties) = self.right_body(inner)?;
                Item::Right(Right {
                    name,
                    title,
                    description,
                    duties,
                    span,
                })
            }
            Rule::accountability => {
                let (description, duties) = self.right_body(inner)?;
                Item::Accountability(Accountability {
                    description,
                    duties,
                    span,
                })
            }
            Rule::responsibility => Item::Responsibility {
                text: self.text(next(&mut inner)?)?,
            },
            Rule::amendment => Item::Amendment(self.amendment(inner, span)?),
            Rule::test => Item::Test(self.test(inner, span)?),
            _ => return Err(Malformed),
        }))
    }

    /// Stores a clause a block has at most once. A second one is an error: the tree keeps
    /// one text, so the other would be dropped without a word (and `fmt` would delete it).
    fn once(&mut self, slot: &mut Option<Text>, text: Text, keyword: &str) {
        if slot.is_some() {
            self.error(
                Code::Duplicate,
                text.span,
                format!("`{keyword}` is written twice"),
                Some(format!(
                    "keep one {keyword}; split long text over several strings"
                )),
            );
        }
        *slot = Some(text);
    }

    fn right_body(&mut self, inner: Pairs<'_, Rule>) -> Conv<(Option<Text>, Vec<Duty>)> {
        let mut description = None;
        let mut duties = Vec::new();
        for c in inner {
            match c.as_rule() {
                Rule::description => {
                    let text = self.text(next(&mut c.into_inner())?)?;
                    self.once(&mut description, text, "description");
                }
                Rule::duty => duties.push(self.duty(c)?),
                Rule::invalid_item => self.invalid(c, Context::Right),
                _ => return Err(Malformed),
            }
        }
        Ok((description, duties))
    }

    fn duty(&mut self, pair: Pair<'_, Rule>) -> Conv<Duty> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = ident(next(&mut inner)?);
        let title = self.string_text(next(&mut inner)?)?;
        let clauses = self.clauses(inner)?;
        Ok(Duty {
            name,
            title,
            clauses,
            span,
        })
    }

    fn clauses(&mut self, inner: Pairs<'_, Rule>) -> Conv<Vec<Spanned<Clause>>> {
        let mut clauses = Vec::new();
        for c in inner {
            if c.as_rule() == Rule::invalid_item {
                self.invalid(c, Context::Duty);
                continue;
            }
            let span = span_of(&c);
            if let Some(node) = self.clause(c)? {
                clauses.push(Spanned { node, span });
            }
        }
        Ok(clauses)
    }

    fn clause(&mut self, pair: Pair<'_, Rule>) -> Conv<Option<Clause>> {
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        Ok(Some(match rule {
            Rule::description => Clause::Description {
                text: self.text(next(&mut inner)?)?,
            },
            Rule::owed_by => Clause::OwedBy {
                bodies: inner.map(ident).collect(),
            },
            Rule::basis => Clause::Basis {
                text: self.text(next(&mut inner)?)?,
            },
            Rule::over => {
                let record = ident(next(&mut inner)?);
                let filter = match inner.next() {
                    Some(e) => self.top_expr(e)?,
                    None => None,
                };
                Clause::Over { record, filter }
            }
            Rule::each => match self.top_expr(next(&mut inner)?)? {
                Some(condition) => Clause::Each { condition },
                None => return Ok(None),
            },
            Rule::measure => match self.top_expr(next(&mut inner)?)? {
                Some(measure) => Clause::Measure { measure },
                None => return Ok(None),
            },
            Rule::require => {
                let r = next(&mut inner)?;
                let requirement = match r.as_rule() {
                    Rule::req_every => Requirement::Every,
                    Rule::req_no => Requirement::No,
                    rule => {
                        let threshold = self.threshold(next(&mut r.into_inner())?)?;
                        match rule {
                            Rule::req_at_least => Requirement::AtLeast(threshold),
                            Rule::req_at_most => Requirement::AtMost(threshold),
                            Rule::req_more_than => Requirement::MoreThan(threshold),
                            Rule::req_less_than => Requirement::LessThan(threshold),
                            _ => return Err(Malformed),
                        }
                    }
                };
                Clause::Require { requirement }
            }
            Rule::per_group => Clause::PerGroup {
                field: ident(next(&mut inner)?),
            },
            Rule::per_period => {
                let unit = match next(&mut inner)?.as_str() {
                    "month" => PeriodUnit::Month,
                    "quarter" => PeriodUnit::Quarter,
                    _ => PeriodUnit::Year,
                };
                Clause::PerPeriod {
                    unit,
                    field: ident(next(&mut inner)?),
                }
            }
            Rule::minimum => Clause::Minimum {
                records: self.count(next(&mut inner)?),
            },
            Rule::empty_clause => Clause::NotApplicableWhenEmpty,
            Rule::on_breach => Clause::OnBreach {
                body: ident(next(&mut inner)?),
            },
            Rule::on_review => Clause::OnReview {
                after: self.count(next(&mut inner)?),
            },
            _ => return Err(Malformed),
        }))
    }

    fn field(&mut self, pair: Pair<'_, Rule>) -> Conv<Field> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = ident(next(&mut inner)?);
        let ty_pair = next(&mut inner)?;
        let ty_span = span_of(&ty_pair);
        let ty_inner = next(&mut ty_pair.into_inner())?;
        let ty = match ty_inner.as_rule() {
            Rule::ty_text => FieldType::Text,
            Rule::ty_integer => FieldType::Integer,
            Rule::ty_number => FieldType::Number,
            Rule::ty_money => FieldType::Money,
            Rule::ty_percent => FieldType::Percent,
            Rule::ty_date => FieldType::Date,
            Rule::ty_boolean => FieldType::Boolean,
            Rule::ty_enum => {
                let mut values = Vec::new();
                for s in ty_inner.into_inner() {
                    let value = self.string(s)?;
                    values.push(value);
                }
                FieldType::Enum(values)
            }
            _ => return Err(Malformed),
        };
        let mut field = Field {
            name,
            ty,
            ty_span,
            optional: false,
            key: false,
            description: None,
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::optional_mark => field.optional = true,
                Rule::key_mark => field.key = true,
                Rule::text => field.description = Some(self.text(p)?),
                _ => return Err(Malformed),
            }
        }
        Ok(field)
    }

    fn amendment(&mut self, mut inner: Pairs<'_, Rule>, span: Span) -> Conv<Amendment> {
        let title = self.string_text(next(&mut inner)?)?;
        let effective = self.date(next(&mut inner)?);
        let mut description = None;
        let mut changes = Vec::new();
        for c in inner {
            let cspan = span_of(&c);
            let rule = c.as_rule();
            if rule == Rule::invalid_item {
                self.invalid(c, Context::Amendment);
                continue;
            }
            let mut ci = c.into_inner();
            let change = match rule {
                Rule::description => {
                    let text = self.text(next(&mut ci)?)?;
                    self.once(&mut description, text, "description");
                    continue;
                }
                Rule::amend_duty => Change::Amend {
                    path: duty_path(next(&mut ci)?)?,
                    clauses: self.clauses(ci)?,
                },
                Rule::add_duty => {
                    let path = duty_path(next(&mut ci)?)?;
                    let title = self.string_text(next(&mut ci)?)?;
                    let clauses = self.clauses(ci)?;
                    Change::Add {
                        duty: Duty {
                            name: path.duty.clone(),
                            title,
                            clauses,
                            span: cspan,
                        },
                        path,
                    }
                }
                Rule::repeal_duty => Change::Repeal {
                    path: duty_path(next(&mut ci)?)?,
                },
                _ => return Err(Malformed),
            };
            changes.push(Spanned {
                node: change,
                span: cspan,
            });
        }
        Ok(Amendment {
            title,
            effective,
            description,
            changes,
            span,
        })
    }

    fn test(&mut self, mut inner: Pairs<'_, Rule>, span: Span) -> Conv<Test> {
        let name = self.string_text(next(&mut inner)?)?;
        let mut items = Vec::new();
        for c in inner {
            let cspan = span_of(&c);
            let rule = c.as_rule();
            if rule == Rule::invalid_item {
                self.invalid(c, Context::Test);
                continue;
            }
            let mut ci = c.into_inner();
            let item = match rule {
                Rule::test_period => TestItem::Period {
                    from: self.date(next(&mut ci)?),
                    to: self.date(next(&mut ci)?),
                },
                Rule::expect => {
                    let path = duty_path(next(&mut ci)?)?;
                    let verdict = match next(&mut ci)?.as_str() {
                        "met" => Verdict::Met,
                        "breached" => Verdict::Breached,
                        "insufficient_evidence" => Verdict::InsufficientEvidence,
                        _ => Verdict::NotApplicable,
                    };
                    TestItem::Expect { path, verdict }
                }
                Rule::test_record => {
                    let record = ident(next(&mut ci)?);
                    let mut values = Vec::new();
                    for fv in ci {
                        let mut fvi = fv.into_inner();
                        let name = ident(next(&mut fvi)?);
                        let lit = self.value(next(&mut fvi)?)?;
                        values.push((name, lit));
                    }
                    TestItem::Record(TestRecord {
                        record,
                        values,
                        span: cspan,
                    })
                }
                _ => return Err(Malformed),
            };
            items.push(Spanned {
                node: item,
                span: cspan,
            });
        }
        Ok(Test { name, items, span })
    }

    // ---- literals ----------------------------------------------------------------------

    fn string(&mut self, pair: Pair<'_, Rule>) -> Conv<String> {
        let span = span_of(&pair);
        let raw = next(&mut pair.into_inner())?.as_str();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                other => {
                    let shown = other.map(String::from).unwrap_or_default();
                    self.error(
                        Code::InvalidLiteral,
                        span,
                        format!("unknown escape `\\{shown}` in a string"),
                        Some("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`".into()),
                    );
                }
            }
        }
        Ok(out)
    }

    fn string_text(&mut self, pair: Pair<'_, Rule>) -> Conv<Text> {
        let span = span_of(&pair);
        Ok(Text {
            parts: vec![self.string(pair)?],
            span,
        })
    }

    fn text(&mut self, pair: Pair<'_, Rule>) -> Conv<Text> {
        let span = span_of(&pair);
        let mut parts = Vec::new();
        for s in pair.into_inner() {
            parts.push(self.string(s)?);
        }
        Ok(Text { parts, span })
    }

    fn date(&mut self, pair: Pair<'_, Rule>) -> DateLit {
        let span = span_of(&pair);
        let text = pair.as_str().to_string();
        let value = parse_date(&text);
        if value.is_none() {
            self.error(
                Code::InvalidLiteral,
                span,
                format!("`{text}` is not a date"),
                Some("write a real calendar day as YYYY-MM-DD".into()),
            );
        }
        DateLit { text, value, span }
    }

    fn count(&mut self, pair: Pair<'_, Rule>) -> u64 {
        let span = span_of(&pair);
        match pair.as_str().parse::<u64>() {
            Ok(n) if n <= i64::MAX as u64 => n,
            _ => {
                self.error(
                    Code::InvalidLiteral,
                    span,
                    format!("`{}` is too large", pair.as_str()),
                    Some(format!("use a number no larger than {}", i64::MAX)),
                );
                0
            }
        }
    }

    fn decimal(&mut self, text: &str, span: Span) -> Decimal {
        match parse_decimal(text) {
            Some(d) => d,
            None => {
                self.error(
                    Code::InvalidLiteral,
                    span,
                    format!("`{text}` has too many digits"),
                    Some("use at most 18 significant digits".into()),
                );
                Decimal {
                    mantissa: 0,
                    scale: 0,
                }
            }
        }
    }

    fn literal(&mut self, pair: Pair<'_, Rule>) -> Conv<Lit> {
        let span = span_of(&pair);
        let inner = next(&mut pair.into_inner())?;
        let kind = self.literal_kind(inner)?;
        Ok(Lit { kind, span })
    }

    fn literal_kind(&mut self, pair: Pair<'_, Rule>) -> Conv<LitKind> {
        let span = span_of(&pair);
        let text = pair.as_str();
        Ok(match pair.as_rule() {
            Rule::date_lit => LitKind::Date(self.date(pair)),
            Rule::percent_lit => LitKind::Percent(self.decimal(text.trim_end_matches('%'), span)),
            Rule::number_lit => LitKind::Number(self.decimal(text, span)),
            Rule::money_lit => {
                let digits: String = text
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let d = self.decimal(&digits, span);
                if d.scale != 0 && d.scale != 2 {
                    self.error(
                        Code::InvalidLiteral,
                        span,
                        format!("`{text}` is not an amount of money"),
                        Some(
                            "write pounds and pence with two decimal places, e.g. `£1,234.50`"
                                .into(),
                        ),
                    );
                }
                // Money literals have 0 or 2 decimal places; store pence.
                let pence = if d.scale == 0 {
                    d.mantissa.checked_mul(100)
                } else {
                    Some(d.mantissa)
                };
                match pence {
                    Some(p) => LitKind::Money(p),
                    None => {
                        self.error(
                            Code::InvalidLiteral,
                            span,
                            format!("`{text}` is too large"),
                            Some("amounts must be below £92 thousand million million".into()),
                        );
                        LitKind::Money(0)
                    }
                }
            }
            Rule::duration_lit => {
                let mut inner = pair.into_inner();
                let amount = self.count(next(&mut inner)?) as i64;
                let unit = if next(&mut inner)?.as_str().starts_with("week") {
                    DurationUnit::Weeks
                } else {
                    DurationUnit::Days
                };
                LitKind::Duration { amount, unit }
            }
            Rule::string => LitKind::Text(self.string(pair)?),
            Rule::true_lit => LitKind::Boolean(true),
            Rule::false_lit => LitKind::Boolean(false),
            Rule::missing_lit => LitKind::Missing,
            _ => return Err(Malformed),
        })
    }

    fn threshold(&mut self, pair: Pair<'_, Rule>) -> Conv<Threshold> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let mut first = next(&mut inner)?;
        let negative = first.as_rule() == Rule::neg;
        if negative {
            first = next(&mut inner)?;
        }
        let value = self.literal_kind(first)?;
        Ok(Threshold {
            value: if negative { negate(value) } else { value },
            span,
        })
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Conv<Lit> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let first = next(&mut inner)?;
        Ok(match first.as_rule() {
            Rule::missing_lit => Lit {
                kind: LitKind::Missing,
                span,
            },
            Rule::neg => {
                let kind = self.literal(next(&mut inner)?)?.kind;
                if !matches!(
                    kind,
                    LitKind::Number(_)
                        | LitKind::Percent(_)
                        | LitKind::Money(_)
                        | LitKind::Duration { .. }
                ) {
                    // The tree has no place for the sign: it would be dropped silently.
                    self.error(
                        Code::InvalidLiteral,
                        span,
                        "only a number, percentage, amount or duration can be negative".into(),
                        Some("remove the `-`".into()),
                    );
                }
                Lit {
                    kind: negate(kind),
                    span,
                }
            }
            _ => Lit {
                kind: self.literal(first)?.kind,
                span,
            },
        })
    }

    // ---- expressions -------------------------------------------------------------------

    /// Converts a whole expression, refusing ones with too many operators.
    fn top_expr(&mut self, pair: Pair<'_, Rule>) -> Conv<Option<Expr>> {
        let operators = pair
            .clone()
            .into_inner()
            .flatten()
            .filter(|p| is_operator(p.as_rule()))
            .count();
        if operators > MAX_OPERATORS {
            self.error(
                Code::TooDeep,
                span_of(&pair),
                format!("this expression has {operators} operators, more than {MAX_OPERATORS}"),
                Some("split the condition into simpler duties".into()),
            );
            return Ok(None);
        }
        self.expr(pair).map(Some)
    }

    fn expr(&mut self, pair: Pair<'_, Rule>) -> Conv<Expr> {
        let pairs = pair.into_inner();
        // The closures below cannot borrow `self` mutably together, so literal diagnostics are
        // gathered in a local list and appended afterwards.
        let sink = std::cell::RefCell::new(Vec::new());
        let source = self.source;
        let result = pratt()
            .map_primary(|p| {
                let mut found = Vec::new();
                let mut cx = Converter {
                    source,
                    diagnostics: &mut found,
                };
                let primary = cx.primary(p);
                sink.borrow_mut().append(&mut found);
                primary
            })
            .map_prefix(|op, operand| {
                let operand = operand?;
                let span = Span::new(op.as_span().start(), operand.span.end);
                let op = if op.as_rule() == Rule::op_not {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                Ok(Expr {
                    kind: ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    span,
                })
            })
            .map_postfix(|operand, op| {
                let operand = operand?;
                let span = Span::new(operand.span.start, op.as_span().end());
                let rule = op.as_rule();
                let kind = match rule {
                    Rule::op_is_missing | Rule::op_is_present => ExprKind::IsMissing {
                        operand: Box::new(operand),
                        negated: rule == Rule::op_is_present,
                    },
                    _ => {
                        let list_pair = next(&mut op.into_inner())?;
                        let mut found = Vec::new();
                        let mut cx = Converter {
                            source,
                            diagnostics: &mut found,
                        };
                        let list = cx.primary(list_pair);
                        sink.borrow_mut().append(&mut found);
                        let list = list?;
                        ExprKind::In {
                            operand: Box::new(operand),
                            list: Box::new(list),
                            negated: rule == Rule::op_not_in,
                        }
                    }
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    Rule::op_div => BinaryOp::Div,
                    Rule::op_otherwise => BinaryOp::Otherwise,
                    _ => return Err(Malformed),
                };
                let span = Span::new(lhs.span.start, rhs.span.end);
                Ok(Expr {
                    kind: ExprKind::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                })
            })
            .parse(pairs);
        self.diagnostics.append(&mut sink.into_inner());
        result
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> Conv<Expr> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => ExprKind::Paren {
                inner: Box::new(self.expr(next(&mut pair.into_inner())?)?),
            },
            Rule::list => {
                let mut items = Vec::new();
                for e in pair.into_inner() {
                    items.push(self.expr(e)?);
                }
                ExprKind::List { items }
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = ident(next(&mut inner)?);
                let mut args = Vec::new();
                for e in inner {
                    args.push(self.expr(e)?);
                }
                ExprKind::Call { name, args }
            }
            Rule::literal => ExprKind::Literal {
                value: self.literal(pair)?.kind,
            },
            Rule::period_ref => {
                let bound = if next(&mut pair.into_inner())?.as_str() == "start" {
                    PeriodBound::Start
                } else {
                    PeriodBound::End
                };
                ExprKind::Period { bound }
            }
            Rule::field_ref => ExprKind::Field {
                name: pair.as_str().to_string(),
            },
            _ => return Err(Malformed),
        };
        Ok(Expr { kind, span })
    }
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        // Lowest binding first. Keep in step with `BinaryOp::precedence`.
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::postfix(Rule::op_is_missing)
                | Op::postfix(Rule::op_is_present)
                | Op::postfix(Rule::op_in)
                | Op::postfix(Rule::op_not_in))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::infix(Rule::op_otherwise, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

fn duty_path(pair: Pair<'_, Rule>) -> Conv<DutyPath> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    Ok(DutyPath {
        right: ident(next(&mut inner)?),
        duty: ident(next(&mut inner)?),
        span,
    })
}

fn negate(kind: LitKind) -> LitKind {
    match kind {
        LitKind::Number(d) => LitKind::Number(d.negated()),
        LitKind::Percent(d) => LitKind::Percent(d.negated()),
        LitKind::Money(p) => LitKind::Money(p.saturating_neg()),
        LitKind::Duration { amount, unit } => LitKind::Duration {
            amount: amount.saturating_neg(),
            unit,
        },
        other => other,
    }
}

fn is_keyword(context: Context, word: &str) -> bool {
    context
        .keywords()
        .iter()
        .any(|k| k.split(' ').next() == Some(word))
}

/// The keyword nearest to `word` by edit distance, when it is close enough to be a typo.
fn closest(word: &str, keywords: &[&'static str]) -> Option<&'static str> {
    if word.is_empty() {
        return None;
    }
    keywords
        .iter()
        .map(|k| (edit_distance(word, k.split(' ').next().unwrap_or(k)), *k))
        .filter(|(d, _)| *d <= (word.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (above + 1).min(left + 1).min(prev + cost);
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Parses `YYYY-MM-DD` into a real date.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
}

/// Parses `123` or `12.5` exactly; `None` when it does not fit in an `i64` mantissa.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{fraction}");
    let mantissa: i64 = digits.parse().ok()?;
    Some(Decimal {
        mantissa,
        scale: u32::try_from(fraction.len()).ok()?,
    })
}

/// Whether `rule` is an operator of the expression grammar.
fn is_operator(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::op_or
            | Rule::op_and
            | Rule::op_eq
            | Rule::op_ne
            | Rule::op_le
            | Rule::op_ge
            | Rule::op_lt
            | Rule::op_gt
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
            | Rule::op_otherwise
            | Rule::op_not
            | Rule::op_neg
            | Rule::op_is_missing
            | Rule::op_is_present
            | Rule::op_in
            | Rule::op_not_in
    )
}

/// A human name for what the grammar expected, for error messages.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::ident | Rule::field_ref => "a name",
        Rule::string | Rule::text => "a quoted text",
        Rule::date_lit => "a date (YYYY-MM-DD)",
        Rule::percent_lit => "a percentage (`90%`)",
        Rule::money_lit => "an amount (`£500`)",
        Rule::number_lit | Rule::integer_lit => "a number",
        Rule::duration_lit => "a duration (`42 days`)",
        Rule::threshold => "a threshold (`90%`, `£500`, `20`, `42 days`)",
        Rule::literal => "a value",
        Rule::expr | Rule::paren | Rule::call | Rule::list => "an expression",
        Rule::field_type => {
            "a type (text, integer, number, money, percent, date, boolean, one of …)"
        }
        Rule::optional_mark => "`optional`",
        Rule::key_mark => "`key`",
        Rule::audit_role => "`audit_committee`",
        Rule::period_unit => "`month`, `quarter` or `year`",
        Rule::req_every => "`every`",
        Rule::req_no => "`no`",
        Rule::req_at_least => "`at least`",
        Rule::req_at_most => "`at most`",
        Rule::req_more_than => "`more than`",
        Rule::req_less_than => "`less than`",
        Rule::verdict => "a verdict (met, breached, insufficient_evidence, not_applicable)",
        Rule::duty_path => "a duty path (`right.duty`)",
        Rule::area_code => "an area code",
        Rule::value | Rule::missing_lit => "a value",
        Rule::field_value => "`field: value`",
        Rule::EOI => "the end of the line",
        Rule::op_is_missing | Rule::op_is_present => "`is missing`",
        Rule::op_in | Rule::op_not_in => "`in [ … ]`",
        rule if is_operator(rule) => "an operator",
        Rule::constitution => "`constitution \"Area name\" {`",
        Rule::invalid_item => "a line",
        _ => "a clause",
    }
}

/// Turns a `pest` error in parsing `text` into a diagnostic. `base` is the offset of `text`
/// in the file.
fn pest_error_to_diagnostic(
    error: &pest::error::Error<Rule>,
    text: &str,
    base: usize,
) -> Diagnostic {
    let (start, end) = match error.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    let start = start.min(text.len());
    // A point becomes the character there (none at the end of the text): a span never
    // splits a character or runs past the text.
    let end = if end > start {
        end.min(text.len())
    } else {
        start
            + text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8)
    };
    let (start, end) = (base + start, base + end);
    let expected: Vec<&str> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().map(|r| describe(*r)).collect();
            names.sort_unstable();
            names.dedup();
            names
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = match expected.as_slice() {
        [] => "this line could not be read".to_string(),
        [one] => format!("expected {one}"),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"", &[]));
            format!("expected {} or {last}", rest.join(", "))
        }
    };
    Diagnostic::new(Code::SyntaxError, Span::new(start, end), message)
        .with_help("see docs/language.md for how each clause is written")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("owned", "owed"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("require", "require"), 0);
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            parse_decimal("40.0"),
            Some(Decimal {
                mantissa: 400,
                scale: 1
            })
        );
        assert_eq!(parse_decimal("99999999999999999999"), None);
        assert_eq!(
            Decimal {
                mantissa: 5,
                scale: 2
            }
            .to_string(),
            "0.05"
        );
    }

    #[test]
    fn real_dates_only() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("0000-00-00").is_none());
    }

    #[test]
    fn literal_errors_inside_in_lists_are_reported() {
        let source = "constitution \"x\" {\n right home \"h\" {\n  duty d \"d\" {\n   each received in [2025-02-30]\n  }\n }\n}\n";
        let parsed = parse(source);
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.code == Code::InvalidLiteral && d.message.contains("2025-02-30")),
            "{:?}",
            parsed.diagnostics
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed() {
        let source = format!("constitution \"x\" {{ {} }}", "(".repeat(100_000));
        let parsed = parse(&source);
        assert!(parsed.ast.is_none());
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].code, Code::TooDeep);
    }
}
