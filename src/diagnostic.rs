//! Diagnostics: problems found in a constitution, as data.
//!
//! Every stage collects diagnostics instead of stopping at the first; rendering (terminal,
//! JSON, SARIF, GitHub annotations) happens only at the edges, in [`crate::render`]. Each
//! diagnostic carries a stable [`Code`]; each code is documented in [`Code::doc`], listed in
//! `docs/diagnostics.md` (generated from this file by a test) and has a fixture under
//! `tests/fixtures/diagnostics/`.

use crate::ast::Span;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The constitution cannot be compiled or its meaning is in doubt.
    Error,
    /// The constitution compiles, but something is probably not what the author meant.
    Warning,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem found in a constitution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Its stable code.
    pub code: Code,
    /// How serious it is.
    pub severity: Severity,
    /// One lowercase line; user input in backticks.
    pub message: String,
    /// Where.
    pub span: Span,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            help: None,
        }
    }

    /// The same diagnostic with help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, and drops exact duplicates (the checker looks
/// at amended duties once per version in force, so the same problem can be seen twice).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $doc:literal; )*) => {
        /// The stable code of a diagnostic. Codes are never reused or renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The code as printed: `E101`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// A short kebab-case name: `missing-fundamental-right`.
            pub fn name(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity diagnostics with this code have.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// What it means, why it matters, an example and the fix (Markdown).
            pub fn doc(self) -> &'static str {
                match self { $( Code::$variant => $doc, )* }
            }
        }
    };
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    SyntaxError = "E001", "syntax-error", Error,
"The parser could not read a line.

**Why:** a line that cannot be read has no meaning, so nothing in it can be checked or \
audited. The parser skips the line and reads on, so one slip does not hide the rest of the file.

**Example:** `require at lest 90%`, or `owned by council` (for `owed by`).

**Fix:** write the clause as the language reference (`docs/language.md`) shows; the message \
lists what was expected at the point the parser stopped.";

    TooDeep = "E002", "too-deeply-nested", Error,
"Brackets are nested too deeply, or one expression has too many operators.

**Why:** a machine-generated or corrupted file could nest brackets thousands deep; the \
checker refuses such input with this error rather than exhausting its stack.

**Example:** `each ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x))))...`

**Fix:** split the condition, or remove the redundant brackets. Real conditions need a \
handful of levels at most.";

    InvalidLiteral = "E003", "invalid-literal", Error,
"A literal value is malformed: a date that is not a real day, a number too large to hold, \
money with other than two decimal places, an unknown escape in a string, or a test period \
that ends before it starts.

**Why:** a threshold or date that cannot be read exactly would make a duty mean something \
the authors did not write.

**Example:** `adopted 2025-02-30`, `minimum 99999999999999999999 records`, `\"\\q\"`.

**Fix:** write a real date (`YYYY-MM-DD`), a number below 2^63, and only the escapes `\\\"`, \
`\\\\`, `\\n` and `\\t`.";

    MissingRight = "E101", "missing-fundamental-right", Error,
"One of the six fundamental rights is not declared.

**Why:** every local constitution must enshrine all six rights: `home`, `education`, \
`skills`, `environment`, `information` and `consulted`. An area may add more, never fewer.

**Example:** a constitution with `right home`, `right education`, … but no `right consulted`.

**Fix:** add the missing right with at least one checkable duty, for example \
`right consulted \"The right to be consulted\" { … }`.";

    Duplicate = "E102", "duplicate-definition", Error,
"Two things of the same kind have the same name: two rights, two duties in one right, two \
bodies, two records, two fields of one record, two tests, or a header line written twice.

**Why:** amendments, tests and reports name things by key; a repeated key makes those \
references ambiguous.

**Example:** two `duty answer_in_time` blocks under `right information`.

**Fix:** rename or merge one of them.";

    UnknownRecord = "E103", "unknown-record", Error,
"A duty or test names a record kind that is not declared.

**Why:** the checker can only type-check a duty, and the evaluator can only read data for it, \
when the record kind and its fields are declared.

**Example:** `over foi_requests` when the declaration is `record foi_request`.

**Fix:** correct the name, or declare the record with `record NAME \"Title\" { … }`.";

    UnknownField = "E104", "unknown-field", Error,
"An expression, grouping or test record uses a field the record does not declare.

**Why:** undeclared fields cannot be typed or read from the data; a typo here would \
otherwise silently make a duty vacuous.

**Example:** `each working_days(recieved, responded otherwise period.end) <= 20`.

**Fix:** correct the name, or add the field to the record declaration.";

    UnknownBody = "E105", "unknown-body", Error,
"`owed by` or `refer to` names a body that is not declared.

**Why:** every duty must say who owes it, and every referral where it goes, so that the \
report can hold the right body to account.

**Example:** `owed by counsil`.

**Fix:** correct the name, or declare the body with `body NAME \"Full name\"`.";

    UnknownFunction = "E106", "unknown-function", Error,
"An expression calls a function that does not exist.

**Why:** the language has a fixed set of functions so every constitution means the same \
thing on every machine.

**Example:** `each workdays(received, responded) <= 20`.

**Fix:** use one of `working_days`, `days`, `count`, `share`, `sum`, `mean`, `median`, \
`min`, `max`.";

    UnknownDuty = "E107", "unknown-duty", Error,
"An amendment or test names a duty that does not exist at that point: never declared, in \
another right, or already repealed.

**Why:** an amendment to a duty that does not exist changes nothing, which is almost \
certainly not what the council voted for.

**Example:** `amend duty information.answer_on_time { … }` when the duty is `answer_in_time`.

**Fix:** write the duty's path as `right.duty`, exactly as declared.";

    UnknownCalendar = "E108", "unknown-calendar", Error,
"The working-day calendar is not one the engine knows.

**Why:** `working_days` needs to know which days are bank holidays.

**Example:** `calendar england`.

**Fix:** use `uk` (weekends and bank holidays in any part of the UK, the FOI Act rule), \
`england_and_wales`, `scotland`, `northern_ireland` or `weekdays`.";

    MissingHeader = "E109", "missing-header", Error,
"The constitution does not say its area code, its adoption date or its calendar.

**Why:** the adoption date fixes which version is in force on a date, and the calendar \
fixes what a working day is; the area code identifies the constitution in reports.

**Example:** a file with no `adopted` line.

**Fix:** add `area E09000022`, `adopted 2025-05-14` and `calendar uk` at the top.";

    DuplicateClause = "E110", "duplicate-clause", Error,
"A duty has the same clause twice (two `over`, two `require`, two `per` groupings…).

**Why:** a duty has one population, one test and one requirement; which of two would apply \
is not clear.

**Example:** two `require` lines in one duty.

**Fix:** keep one. To change a duty from a date, write an `amendment` instead.";

    TypeMismatch = "E201", "type-mismatch", Error,
"An expression combines values of types that do not go together: a date compared with a \
number, text summed, money compared with a bare number, a condition that is not yes/no.

**Why:** such a test has no sensible meaning; the engine refuses to guess one.

**Example:** `each received <= 20`, `measure sum(ward)`, `each amount > 500` (for money, write `£500`).

**Fix:** compare like with like: dates with dates, durations with durations (`42 days`), \
money with money (`£500`), percentages with percentages (`40%`).";

    MisplacedAggregate = "E202", "misplaced-aggregate", Error,
"An aggregate (`count`, `sum`, `mean`…) is used in a per-record condition, or a bare field \
is used in a `measure` outside any aggregate.

**Why:** `each` and `where` test one record at a time, while `measure` describes the whole \
population; mixing them has no meaning.

**Example:** `each sum(pages) > 10`, or `measure turnout`.

**Fix:** use `each` for per-record tests and `measure` with aggregates, such as \
`measure mean(turnout)`.";

    PercentOutOfRange = "E203", "percent-out-of-range", Error,
"A percentage is outside 0% to 100%.

**Why:** a share of records can never exceed 100%, so the requirement could never be met \
(or always is).

**Example:** `require at least 900%`.

**Fix:** write the percentage intended, between 0% and 100%.";

    UnhandledMissing = "E204", "unhandled-missing-value", Error,
"An optional field is used where a value is needed, without saying what happens when it is \
missing.

**Why:** missing values must be handled explicitly, never silently: an open FOI request \
has no response date, and whether it counts as late depends on what the constitution says.

**Example:** `each working_days(received, responded) <= 20` where `responded` is optional.

**Fix:** write `responded otherwise period.end`, or test `responded is present and …`, or \
filter with `over foi_request where responded is present`.";

    WrongArity = "E205", "wrong-argument-count", Error,
"A function is called with the wrong number of arguments.

**Why:** each function has a fixed meaning that depends on its arguments.

**Example:** `working_days(received)`.

**Fix:** pass the arguments the language reference lists, e.g. `working_days(from, to)`.";

    UnknownEnumValue = "E206", "unknown-enum-value", Error,
"A field declared `one of …` is compared with a value not in its list.

**Why:** the comparison can never be true, so the filter or test is vacuous, usually \
because of a typo.

**Example:** `where regime == \"foi\"` when the field is `one of \"foia\", \"eir\"`.

**Fix:** use one of the declared values, or add the value to the declaration.";

    InvalidRequirement = "E207", "invalid-requirement", Error,
"A `require` does not fit the duty's test: `every` or `no` on a `measure`, a non-percentage \
share for `each`, a threshold of the wrong type for the measure, or a `require` with no test.

**Why:** the requirement is what turns a measurement into a verdict; if it cannot be \
compared with what is measured, no verdict is possible.

**Example:** `each …` with `require at least 20` (write `90%`), or `measure mean(turnout)` \
with `require every`.

**Fix:** with `each`, use `every`, `no`, `at least N%` or `at most N%`; with `measure`, use \
`at least`, `at most`, `more than` or `less than` and a value of the measure's type.";

    NotCheckable = "W301", "duty-not-checkable", Warning,
"A duty has no checkable test: it lacks an `over` population, an `each`/`measure` test, \
or a `require`.

**Why:** a duty that cannot be checked is a promise nobody can hold the council to. It is \
published, but every audit reports it as unchecked.

**Example:** a duty with only `owed by` and `basis` lines.

**Fix:** add `over RECORD`, `each CONDITION` (or `measure AGGREGATE`) and `require …`.";

    MissingClause = "W302", "missing-clause", Warning,
"A duty does not say who owes it (`owed by`) or its legal basis (`basis`), or a right or \
duty has no `description`.

**Why:** residents and the audit committee need to know who is accountable and under which \
law or published standard; the published constitution uses the descriptions.

**Example:** a duty with no `owed by` line.

**Fix:** add the missing line, e.g. `owed by council` and `basis \"Freedom of Information Act \
2000 s.10(1)\"`.";

    ConflictingTest = "E303", "conflicting-test", Error,
"A duty has both an `each` test and a `measure`.

**Why:** a duty is judged either record by record (`each`) or on an aggregate (`measure`); \
with both, the verdict would be ambiguous.

**Example:** `each days(placed, left) <= 42` and `measure max(days(placed, left))` in one duty.

**Fix:** keep one, or split the duty into two.";

    VacuousFilter = "W304", "vacuous-condition", Warning,
"A filter or condition is always true or can never be true: a constant, a field compared \
with two different values at once.

**Why:** a filter that never matches makes the duty `not_applicable` or `insufficient` \
forever; one that always matches is redundant and usually a mistake.

**Example:** `over foi_request where regime == \"foia\" and regime == \"eir\"`.

**Fix:** correct the condition (perhaps `or` was meant), or remove it.";

    ReferralNotAudit = "W305", "referral-not-audit-committee", Warning,
"A breach is referred to a body that is not marked `audit_committee`, or the constitution \
declares no audit committee at all.

**Why:** the Local Public Audit Committee is the independent body that scrutinises \
services and receives referrals; referring a breach to the body that owes the duty is no \
scrutiny.

**Example:** `on breach refer to council`.

**Fix:** declare `body audit \"… Local Public Audit Committee\" audit_committee` and write \
`on breach refer to audit`.";

    ReviewWithoutPeriods = "W306", "review-without-periods", Warning,
"A duty calls in an independent review after consecutive breaches but is not divided into \
periods (`per month|quarter|year of FIELD`).

**Why:** \"consecutive breaches\" counts breached periods; without periods there is only one \
verdict, so the review can never be triggered.

**Example:** `on 2 consecutive breaches call in independent review` with no `per quarter of …`.

**Fix:** add `per quarter of received` (or month/year), or remove the review clause.";

    RedundantMissingCheck = "W307", "redundant-missing-check", Warning,
"`otherwise`, `is missing` or `is present` is used on a value that is never missing.

**Why:** it suggests the author believes a field is optional when it is declared required \
(or the reverse), so the duty may not mean what they think.

**Example:** `received otherwise period.start` where `received` is not `optional`.

**Fix:** remove the check, or declare the field `optional` if it can be empty.";

    AmendmentBeforeAdoption = "E401", "amendment-before-adoption", Error,
"An amendment takes effect before the constitution was adopted.

**Why:** the version in force on a date is the adopted text plus every amendment effective \
by then; an amendment that predates adoption makes that history contradictory.

**Example:** `adopted 2025-05-14` and `amendment \"…\" effective 2024-01-01`.

**Fix:** correct the effective date, or fold the change into the adopted text.";

    TestWithoutExpectation = "W501", "test-without-expectation", Warning,
"A test has no `expect` line.

**Why:** a test that expects nothing can never fail, so it protects nothing.

**Example:** `test \"late request\" { foi_request { … } }`.

**Fix:** add `expect right.duty VERDICT`.";

    InvalidAreaCode = "W601", "invalid-area-code", Warning,
"The `area` is not a GSS (ONS) code: a letter E, W, S or N followed by eight digits.

**Why:** reports and comparisons between places identify the area by its code.

**Example:** `area Lambeth`.

**Fix:** use the area's code, e.g. `area E09000022` for Lambeth.";

    RecordWithoutKey = "W602", "record-without-key", Warning,
"A record declaration has no `key` field.

**Why:** reports identify offending records by their key only, never by other personal \
data; without a key a breach cannot say which cases failed.

**Example:** `record placement \"…\" { ward text  placed date }`.

**Fix:** mark the case reference field `key`, e.g. `case_ref text key`.";

    UnusedRecord = "W603", "unused-record", Warning,
"A record kind is declared but no duty reads it.

**Why:** data publishers are told to export every declared record kind; an unused one \
costs them work for nothing, and often means a duty names the wrong record.

**Example:** `record complaint …` with no `over complaint`.

**Fix:** add the duty that needs it, or remove the declaration.";

    MissingAccountability = "W604", "missing-accountability", Warning,
"The constitution has no `accountability` section, or no body marked `audit_committee`.

**Why:** the rights come with democratic duties (the public interest test, the 40% turnout \
benchmark, councillors' reports and attendance, the social relationships duty) and an \
independent Local Public Audit Committee to which breaches are referred.

**Example:** a file with six rights but no `accountability { … }` block.

**Fix:** add `accountability { duty public_interest_test … }` and \
`body audit \"… Local Public Audit Committee\" audit_committee`.";
}
