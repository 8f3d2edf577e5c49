//! The abstract syntax tree of a constitution, as written.
//!
//! Produced by [`crate::parse`], read by the checker, the formatter and the compiler. Every
//! node keeps its [`Span`] so diagnostics can point at the source; items stay in source order
//! so the formatter can reproduce the author's layout. Nothing here refers to `pest`.

use serde::Serialize;

/// A byte range in the source text: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A name chosen by the author: a right, duty, body, record or field key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A run of one or more adjacent string literals, joined with single spaces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    /// Each literal's contents, escapes resolved, in order.
    pub parts: Vec<String>,
    /// The whole run.
    pub span: Span,
}

impl Text {
    /// The text as a reader sees it: the parts joined with spaces.
    pub fn value(&self) -> String {
        self.parts.join(" ")
    }
}

/// A calendar date literal such as `2025-05-14`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateLit {
    /// The literal as written.
    pub text: String,
    /// The date, or `None` when the literal names no real day (a diagnostic was raised).
    #[serde(skip)]
    pub value: Option<time::Date>,
    /// Where it was written.
    pub span: Span,
}

/// An exact decimal: `mantissa × 10^-scale`. Thresholds are compared exactly, so that
/// "40.0% against at least 40%" is met without floating-point doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decimal {
    /// The digits, sign included.
    pub mantissa: i64,
    /// How many of the digits are after the decimal point.
    pub scale: u32,
}

impl Decimal {
    /// The value as a float, for display and approximate arithmetic.
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// The value negated (saturating at the extremes).
    pub fn negated(self) -> Self {
        Decimal {
            mantissa: self.mantissa.saturating_neg(),
            scale: self.scale,
        }
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let negative = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let sign = if negative { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

/// The unit of a duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    /// Calendar days.
    Days,
    /// Weeks of seven calendar days.
    Weeks,
}

/// The value of a literal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum LitKind {
    /// A whole or decimal number: `20`, `40.5`.
    Number(Decimal),
    /// A percentage: `90%` (stored as the number before the sign, `90`).
    Percent(Decimal),
    /// An amount in pounds: `£1,234.50`, stored in pence.
    Money(i64),
    /// A date: `2025-05-14`.
    Date(DateLit),
    /// A length of time: `42 days`, `6 weeks`.
    Duration {
        /// How many units.
        amount: i64,
        /// Which unit.
        unit: DurationUnit,
    },
    /// A string: `"foia"`.
    Text(String),
    /// `true` or `false`.
    Boolean(bool),
    /// `missing`: the field has no value (test records only).
    Missing,
}

/// A literal with its place in the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lit {
    /// Its value.
    pub kind: LitKind,
    /// Where it was written.
    pub span: Span,
}

/// An expression: a per-record condition, a value, or an aggregate measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The bound of the audit period: `period.start` or `period.end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodBound {
    /// The first day of the audit period.
    Start,
    /// The last day of the audit period.
    End,
}

/// Operators with one operand in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnaryOp {
    /// `not x`
    Not,
    /// `-x`
    Neg,
}

/// Operators between two operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `x otherwise y`: `x`, or `y` when `x` is missing.
    Otherwise,
}

impl BinaryOp {
    /// The operator as written in a constitution.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Otherwise => "otherwise",
        }
    }

    /// Binding strength: higher binds tighter. Shared by the parser and the formatter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
            BinaryOp::Otherwise => 7,
        }
    }

    /// Whether this operator compares two values and gives a boolean.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

/// The shapes an expression can take.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExprKind {
    /// A constant.
    Literal {
        /// Its value.
        value: LitKind,
    },
    /// A field of the record being tested.
    Field {
        /// The field's name.
        name: String,
    },
    /// `period.start` or `period.end`.
    Period {
        /// Which bound.
        bound: PeriodBound,
    },
    /// `[a, b, c]`, only as the right side of `in`.
    List {
        /// The members.
        items: Vec<Expr>,
    },
    /// A function or aggregate call: `working_days(a, b)`, `sum(x)`.
    Call {
        /// The function's name.
        name: Ident,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `not x`, `-x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `a op b`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The left operand.
        lhs: Box<Expr>,
        /// The right operand.
        rhs: Box<Expr>,
    },
    /// `x is missing` (or `x is present` when `negated`).
    IsMissing {
        /// The value tested.
        operand: Box<Expr>,
        /// `true` for `is present`.
        negated: bool,
    },
    /// `x in [..]` (or `x not in [..]` when `negated`).
    In {
        /// The value tested.
        operand: Box<Expr>,
        /// The list, an [`ExprKind::List`].
        list: Box<Expr>,
        /// `true` for `not in`.
        negated: bool,
    },
    /// `( x )`: kept so the formatter keeps the author's grouping.
    Paren {
        /// The grouped expression.
        inner: Box<Expr>,
    },
}

/// The type of a record field, as declared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "values")]
pub enum FieldType {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Number,
    /// An amount in pounds.
    Money,
    /// A percentage, 0 to 100.
    Percent,
    /// A calendar date.
    Date,
    /// Yes or no.
    Boolean,
    /// One of a fixed set of values.
    Enum(Vec<String>),
}

/// A field of a record declaration: `received date`, `responded date optional`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The column (CSV) or key (JSON) name.
    pub name: Ident,
    /// Its declared type.
    pub ty: FieldType,
    /// The span of the type, for diagnostics.
    pub ty_span: Span,
    /// May be empty in the data.
    pub optional: bool,
    /// Identifies the record; reports name records by this field only.
    pub key: bool,
    /// What the field holds, for data publishers.
    pub description: Option<Text>,
    /// The whole line.
    pub span: Span,
}

/// A record declaration: one kind of service data the constitution reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Its key, which is also the data file's name (`foi_request.csv`).
    pub name: Ident,
    /// Its title.
    pub title: Text,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The whole declaration.
    pub span: Span,
}

impl Record {
    /// The field called `name`, if declared.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.name == name)
    }
}

/// A body that owes duties or holds others to account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    /// Its key, used by `owed by` and `refer to`.
    pub name: Ident,
    /// Its full name.
    pub title: Text,
    /// Whether this is the Local Public Audit Committee.
    pub audit_committee: bool,
    /// What it is.
    pub description: Option<Text>,
    /// How to reach it (and so how to refer a matter to it).
    pub contact: Option<Text>,
    /// The whole declaration.
    pub span: Span,
}

/// A local closure day added to the working-day calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosureDay {
    /// The day.
    pub date: DateLit,
    /// Why the offices are closed.
    pub reason: Option<Text>,
    /// The whole line.
    pub span: Span,
}

/// The working-day calendar: a named base calendar plus local closure days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calendar {
    /// The base calendar's name (`uk`, `england_and_wales`, …).
    pub name: Ident,
    /// Extra non-working days.
    pub closed: Vec<ClosureDay>,
    /// The whole declaration.
    pub span: Span,
}

/// The test a duty applies to its population.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Requirement {
    /// Every record passes.
    Every,
    /// No record passes.
    No,
    /// The share passing (or the measure) is at least this.
    AtLeast(Threshold),
    /// The share passing (or the measure) is at most this.
    AtMost(Threshold),
    /// The measure is strictly greater than this.
    MoreThan(Threshold),
    /// The measure is strictly less than this.
    LessThan(Threshold),
}

/// A constant a measure is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The literal (negative when written with a leading `-`).
    pub value: LitKind,
    /// Where it was written.
    pub span: Span,
}

/// How records are bucketed by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// Calendar months.
    Month,
    /// Quarters of the financial year (April–June, July–September, …).
    Quarter,
    /// Financial years, April to March.
    Year,
}

impl PeriodUnit {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::Year => "year",
        }
    }
}

/// One line of a duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "clause")]
pub enum Clause {
    /// `description "…"`
    Description {
        /// The text.
        text: Text,
    },
    /// `owed by council, nhs`
    OwedBy {
        /// The bodies.
        bodies: Vec<Ident>,
    },
    /// `basis "…"`: the legal basis or published standard.
    Basis {
        /// The text.
        text: Text,
    },
    /// `over foi_request where …`: the population.
    Over {
        /// The record kind.
        record: Ident,
        /// The filter, if any.
        filter: Option<Expr>,
    },
    /// `each <condition>`: the per-record test.
    Each {
        /// The condition every record is tested against.
        condition: Expr,
    },
    /// `measure <aggregate>`: the aggregate test.
    Measure {
        /// The measure computed over the population.
        measure: Expr,
    },
    /// `require …`
    Require {
        /// The requirement.
        requirement: Requirement,
    },
    /// `per ward`
    PerGroup {
        /// The field whose values form the groups.
        field: Ident,
    },
    /// `per quarter of received`
    PerPeriod {
        /// The bucket size.
        unit: PeriodUnit,
        /// The date field that places a record in a bucket.
        field: Ident,
    },
    /// `minimum 20 records`
    Minimum {
        /// Fewer records than this give `insufficient_evidence`.
        records: u64,
    },
    /// `not applicable when no records`
    NotApplicableWhenEmpty,
    /// `on breach refer to audit`
    OnBreach {
        /// The body a breach is referred to.
        body: Ident,
    },
    /// `on 2 consecutive breaches call in independent review`
    OnReview {
        /// How many consecutive breached periods call in a review.
        after: u64,
    },
}

impl Clause {
    /// The clause's keyword, as used in messages (`owed by`, `require`).
    pub fn keyword(&self) -> &'static str {
        match self {
            Clause::Description { .. } => "description",
            Clause::OwedBy { .. } => "owed by",
            Clause::Basis { .. } => "basis",
            Clause::Over { .. } => "over",
            Clause::Each { .. } => "each",
            Clause::Measure { .. } => "measure",
            Clause::Require { .. } => "require",
            Clause::PerGroup { .. } => "per",
            Clause::PerPeriod { .. } => "per … of",
            Clause::Minimum { .. } => "minimum",
            Clause::NotApplicableWhenEmpty => "not applicable when no records",
            Clause::OnBreach { .. } => "on breach",
            Clause::OnReview { .. } => "on … consecutive breaches",
        }
    }

    /// Clauses of the same slot replace each other in an amendment and may appear once in a
    /// duty. `each` and `measure` share the test slot.
    pub fn slot(&self) -> &'static str {
        match self {
            Clause::Each { .. } | Clause::Measure { .. } => "test",
            other => other.keyword(),
        }
    }
}

/// A clause with its place in the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    /// The node.
    #[serde(flatten)]
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

/// A duty a body owes under a right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    /// Its key, unique within its right.
    pub name: Ident,
    /// Its title.
    pub title: Text,
    /// Its clauses, in source order.
    pub clauses: Vec<Spanned<Clause>>,
    /// The whole block.
    pub span: Span,
}

/// One of the rights, or the accountability section, with its duties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Right {
    /// Its key (`home`, `education`, …, or a local right's key).
    pub name: Ident,
    /// Its title.
    pub title: Text,
    /// What the right means for residents.
    pub description: Option<Text>,
    /// Its duties, in source order.
    pub duties: Vec<Duty>,
    /// The whole block.
    pub span: Span,
}

/// The democratic accountability duties that sit outside the six rights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accountability {
    /// What the section covers.
    pub description: Option<Text>,
    /// Its duties.
    pub duties: Vec<Duty>,
    /// The whole block.
    pub span: Span,
}

/// A `right.duty` path, as used by amendments and tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyPath {
    /// The right's key (or `accountability`).
    pub right: Ident,
    /// The duty's key.
    pub duty: Ident,
    /// The whole path.
    pub span: Span,
}

impl std::fmt::Display for DutyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.right.name, self.duty.name)
    }
}

/// One change an amendment makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum Change {
    /// `amend duty right.duty { clauses }`: each clause replaces the one in the same slot.
    Amend {
        /// The duty amended.
        path: DutyPath,
        /// The new clauses.
        clauses: Vec<Spanned<Clause>>,
    },
    /// `add duty right.duty "Title" { … }`
    Add {
        /// Where the duty goes.
        path: DutyPath,
        /// The new duty.
        duty: Duty,
    },
    /// `repeal duty right.duty`
    Repeal {
        /// The duty repealed.
        path: DutyPath,
    },
}

/// An amendment: changes that take effect on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amendment {
    /// Its title.
    pub title: Text,
    /// The day it takes effect.
    pub effective: DateLit,
    /// Why, and who agreed it.
    pub description: Option<Text>,
    /// Its changes, in order.
    pub changes: Vec<Spanned<Change>>,
    /// The whole block.
    pub span: Span,
}

/// A verdict a test expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The duty was met.
    Met,
    /// The duty was breached.
    Breached,
    /// Too little usable evidence to decide.
    InsufficientEvidence,
    /// No records in scope, and the duty allows that.
    NotApplicable,
}

impl Verdict {
    /// The keyword as written.
    pub fn keyword(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Breached => "breached",
            Verdict::InsufficientEvidence => "insufficient_evidence",
            Verdict::NotApplicable => "not_applicable",
        }
    }
}

/// An inline record in a test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRecord {
    /// Its record kind.
    pub record: Ident,
    /// Its field values.
    pub values: Vec<(Ident, Lit)>,
    /// The whole line.
    pub span: Span,
}

/// One line of a test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "line")]
pub enum TestItem {
    /// `period 2025-04-01..2025-06-30`
    Period {
        /// First day.
        from: DateLit,
        /// Last day.
        to: DateLit,
    },
    /// An inline record.
    Record(TestRecord),
    /// `expect right.duty verdict`
    Expect {
        /// The duty.
        path: DutyPath,
        /// The verdict it must reach.
        verdict: Verdict,
    },
}

/// A test written inside the constitution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// Its name.
    pub name: Text,
    /// Its lines.
    pub items: Vec<Spanned<TestItem>>,
    /// The whole block.
    pub span: Span,
}

/// A top-level item of a constitution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "item")]
pub enum Item {
    /// `area E09000022`
    Area {
        /// The ONS code.
        code: String,
    },
    /// `adopted 2025-05-14`
    Adopted {
        /// The adoption date.
        date: DateLit,
    },
    /// `calendar uk { … }`
    Calendar(Calendar),
    /// `body …`
    Body(Body),
    /// `record …`
    Record(Record),
    /// `right …`
    Right(Right),
    /// `accountability { … }`
    Accountability(Accountability),
    /// `responsibility "…"`
    Responsibility {
        /// The responsibility, in words.
        text: Text,
    },
    /// `amendment …`
    Amendment(Amendment),
    /// `test …`
    Test(Test),
}

/// A whole constitution file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constitution {
    /// The area's name.
    pub name: Text,
    /// Its items, in source order.
    pub items: Vec<Spanned<Item>>,
    /// The whole block.
    pub span: Span,
}

impl Constitution {
    /// The rights, in source order.
    pub fn rights(&self) -> impl Iterator<Item = &Right> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Right(r) => Some(r),
            _ => None,
        })
    }

    /// The record declarations, in source order.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Record(r) => Some(r),
            _ => None,
        })
    }

    /// The bodies, in source order.
    pub fn bodies(&self) -> impl Iterator<Item = &Body> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Body(b) => Some(b),
            _ => None,
        })
    }

    /// The amendments, in source order.
    pub fn amendments(&self) -> impl Iterator<Item = &Amendment> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Amendment(a) => Some(a),
            _ => None,
        })
    }

    /// The tests, in source order.
    pub fn tests(&self) -> impl Iterator<Item = &Test> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Test(t) => Some(t),
            _ => None,
        })
    }

    /// The accountability sections (normally one).
    pub fn accountability(&self) -> impl Iterator<Item = &Accountability> {
        self.items.iter().filter_map(|i| match &i.node {
            Item::Accountability(a) => Some(a),
            _ => None,
        })
    }

    /// The record declaration called `name`.
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.records().find(|r| r.name.name == name)
    }

    /// The adoption date, if declared and valid.
    pub fn adopted(&self) -> Option<&DateLit> {
        self.items.iter().find_map(|i| match &i.node {
            Item::Adopted { date } => Some(date),
            _ => None,
        })
    }

    /// The calendar, if declared.
    pub fn calendar(&self) -> Option<&Calendar> {
        self.items.iter().find_map(|i| match &i.node {
            Item::Calendar(c) => Some(c),
            _ => None,
        })
    }
}
