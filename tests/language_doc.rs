//! Every example in `docs/language.md` is checked here, so the language reference cannot
//! drift from the language.
//!
//! The reference's code blocks are tagged by what they hold:
//!
//! | tag | holds | checked as |
//! |---|---|---|
//! | `lc` | a complete constitution | itself |
//! | `lc-item` | top-level items | inserted before the template's closing `}` |
//! | `lc-duty` | lines inside a duty | the body of a duty in the template (with `over case` in front when the lines have no `over`) |
//! | `lc-expr` | one `each` condition | `over case`, `each <expr>`, `require at least 90%` in that duty |
//! | `lc-record` | the record the fragments read | must equal [`EXAMPLE_RECORD`] |
//! | `lc-error LEVEL` | a mistake, at `file`, `item`, `duty` or `expr` level | must give at least one error |
//! | `lc-known-bug LEVEL` | valid input the parser wrongly rejects today | must still give an error; when it stops, the bug is fixed and the block should be retagged |
//!
//! After the tag, an info string may list diagnostic codes (`lc-expr W307`,
//! `lc-error duty E110`): each must be among the block's diagnostics. Blocks that are not
//! errors may give warnings but no errors, and the `test` blocks they contain are run: every
//! `expect` must hold.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::testing::run_tests;
use constitution::{check_source, parse, Diagnostic};

const DOC: &str = include_str!("../docs/language.md");

/// The record every fragment reads; `docs/language.md` shows it in its `lc-record` block.
const EXAMPLE_RECORD: &str = r#"record case "A case: a request, an application or a placement" {
  id         text key          "The council's case reference"
  ward       text              "The ward the case is in"
  regime     one of "foia", "eir"
  status     one of "open", "closed", "withdrawn"
  received   date              "When the request or application arrived"
  responded  date optional     "When it was answered; empty while it is open"
  placed     date optional     "When the household went into bed and breakfast"
  left       date optional     "When the household left; empty while it is there"
  children   integer           "Dependent children in the household"
  score      number            "An assessment score"
  rating     number optional   "Satisfaction out of 10, if the resident gave one"
  amount     money             "The value of the payment"
  fee        money optional    "The fee charged, if any"
  turnout    percent           "Turnout at the ward's last election"
  complex    boolean           "Whether the request is complex and voluminous"
  asked      boolean optional  "Whether the person was asked about their social relationships"
}"#;

/// A valid constitution with places for fragments: `// @RECORD`, `// @DUTY`, `// @ITEMS`.
const TEMPLATE: &str = r#"constitution "Example Borough" {
  area E09000022
  adopted 2025-05-14
  calendar uk

  body council "Example Borough Council"
  body nhs "NHS South East London Integrated Care Board"
  body audit "Example Local Public Audit Committee" audit_committee {
    contact "audit.committee@example.gov.uk"
  }

// @RECORD

  right home "The right to a home" {
    description "Everyone has a safe, secure and suitable place to live."
  }
  right education "The right to education" {
    description "Every child and adult can learn."
  }
  right skills "The right to access skills, training and enterprise" {
    description "Everyone can train, retrain and start an enterprise."
  }
  right environment "The right to live in a safe, clean environment" {
    description "Clean air, clean streets and safe public spaces."
  }
  right information "The right to information" {
    description "Everyone can find out what public bodies do in their name."
    duty answer_in_time "Answer information requests within the statutory time" {
      description "Requests are answered within 20 working days."
      owed by council
      basis "Freedom of Information Act 2000 s.10(1)"
      over case where regime == "foia"
      each working_days(received, responded otherwise period.end) <= 20
      require at least 90%
      per ward
      per quarter of received
      on breach refer to audit
    }
  }
  right consulted "The right to be consulted" {
    description "Residents are asked before decisions that affect them are made."
  }
  right examples "A local right that holds the duty examples" {
    description "Only for checking the language reference."
    duty example "An example duty" {
// @DUTY
    }
  }

  accountability {
    description "The democratic duties around the rights."
  }
// @ITEMS
}
"#;

/// Where a block goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    File,
    Item,
    Duty,
    Expr,
}

impl Level {
    fn from_word(word: Option<&str>, line: usize) -> Level {
        match word {
            Some("file") => Level::File,
            Some("item") => Level::Item,
            Some("duty") => Level::Duty,
            Some("expr") => Level::Expr,
            other => panic!(
                "docs/language.md:{line}: an error block needs a level (file, item, duty or \
                 expr), found {other:?}"
            ),
        }
    }
}

/// What a block must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// No errors (warnings allowed).
    Valid,
    /// At least one error.
    Error,
    /// At least one error, because of a known parser bug.
    KnownBug,
}

#[derive(Debug)]
struct Block {
    /// Line of the opening fence in docs/language.md, counting from 1.
    line: usize,
    info: String,
    text: String,
}

/// Every fenced block whose tag starts with `lc`.
fn lc_blocks(doc: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        line: index + 1,
                        info: info.trim().to_string(),
                        text: String::new(),
                    });
                }
            }
            Some(mut block) => {
                if trimmed.starts_with("```") {
                    if block
                        .info
                        .split_whitespace()
                        .next()
                        .is_some_and(|t| t.starts_with("lc"))
                    {
                        blocks.push(block);
                    }
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                    open = Some(block);
                }
            }
        }
    }
    if let Some(block) = open {
        panic!(
            "docs/language.md:{}: code block is never closed",
            block.line
        );
    }
    blocks
}

fn template() -> String {
    TEMPLATE.replace("// @RECORD", EXAMPLE_RECORD)
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

fn starts_with_word(line: &str, word: &str) -> bool {
    line.trim_start()
        .strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The constitution a block is checked as.
fn wrap(level: Level, text: &str) -> String {
    match level {
        Level::File => text.to_string(),
        Level::Item => template().replace("// @ITEMS", &indent(text, "  ")),
        Level::Duty => {
            let mut body = String::new();
            if !text.lines().any(|l| starts_with_word(l, "over")) {
                body.push_str("over case\n");
            }
            body.push_str(text);
            template().replace("// @DUTY", &indent(&body, "      "))
        }
        Level::Expr => wrap(
            Level::Duty,
            &format!("each {}\nrequire at least 90%\n", text.trim_end()),
        ),
    }
}

fn position(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn show(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (line, column) = position(source, d.span.start);
        out.push_str(&format!(
            "    {line}:{column} {} {}: {}\n",
            d.code,
            d.severity.as_str(),
            d.message
        ));
    }
    out.push_str("  checked as:\n");
    for (n, l) in source.lines().enumerate() {
        out.push_str(&format!("    {:>3} | {l}\n", n + 1));
    }
    out
}

/// Checks one block; `Err` says why it fails.
fn check_block(block: &Block) -> Result<(), String> {
    let mut words = block.info.split_whitespace();
    let tag = words.next().unwrap_or_default();
    let (level, expect) = match tag {
        "lc" => (Level::File, Expect::Valid),
        "lc-item" => (Level::Item, Expect::Valid),
        "lc-duty" => (Level::Duty, Expect::Valid),
        "lc-expr" => (Level::Expr, Expect::Valid),
        "lc-error" => (Level::from_word(words.next(), block.line), Expect::Error),
        "lc-known-bug" => (Level::from_word(words.next(), block.line), Expect::KnownBug),
        "lc-record" => {
            return if block.text.trim() == EXAMPLE_RECORD.trim() {
                Ok(())
            } else {
                Err(
                    "the `lc-record` block differs from EXAMPLE_RECORD in tests/language_doc.rs; \
                     keep the two the same"
                        .into(),
                )
            };
        }
        other => return Err(format!("unknown tag `{other}`")),
    };
    let codes: Vec<&str> = words.collect();
    let source = wrap(level, &block.text);
    let diagnostics = check_source(&source);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut problems = Vec::new();
    match expect {
        Expect::Valid if errors > 0 => {
            problems.push(format!("{errors} error(s) in a valid example"))
        }
        Expect::Error if errors == 0 => problems.push("no error in an `lc-error` example".into()),
        Expect::KnownBug if errors == 0 => problems.push(
            "this known bug no longer gives an error: it seems fixed, so retag the block \
             as a valid example and update the section on known problems"
                .into(),
        ),
        _ => {}
    }
    for code in &codes {
        if !diagnostics.iter().any(|d| d.code.as_str() == *code) {
            problems.push(format!("expected a {code} diagnostic"));
        }
    }
    if expect == Expect::Valid && errors == 0 {
        problems.extend(failed_expectations(&source));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n{}",
            problems.join("; "),
            show(&source, &diagnostics)
        ))
    }
}

/// Runs the constitution's own tests; one line per `expect` that does not hold.
fn failed_expectations(source: &str) -> Vec<String> {
    let Some(ast) = parse(source).ast else {
        return vec!["the constitution could not be parsed to run its tests".into()];
    };
    match run_tests(&ast, source) {
        Ok(results) => results
            .iter()
            .flat_map(|test| {
                test.expectations.iter().filter(|e| !e.passed).map(|e| {
                    format!(
                        "test \"{}\": expected {} {} but it is {}",
                        test.name, e.duty, e.expected, e.actual
                    )
                })
            })
            .collect(),
        Err(diagnostics) => vec![format!(
            "the tests could not run: {} diagnostic(s)",
            diagnostics.len()
        )],
    }
}

#[test]
fn the_template_is_clean() {
    let source = template()
        .replace("// @DUTY", "over case\neach children >= 0\nrequire every\n")
        .replace("// @ITEMS", "");
    let diagnostics = check_source(&source);
    let unexpected: Vec<Diagnostic> = diagnostics
        .into_iter()
        // The example duty is deliberately bare; fragments supply its clauses.
        .filter(|d| d.code.as_str() != "W302")
        .collect();
    assert!(
        unexpected.is_empty(),
        "the template has diagnostics:\n{}",
        show(&source, &unexpected)
    );
}

#[test]
fn every_example_in_the_language_reference_checks() {
    let blocks = lc_blocks(DOC);
    let mut failures = Vec::new();
    for block in &blocks {
        if let Err(why) = check_block(block) {
            failures.push(format!(
                "docs/language.md:{} (```{}): {why}",
                block.line, block.info
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n")
    );
    assert!(
        blocks.len() >= 30,
        "only {} examples were found in docs/language.md; the reference should show at least 30",
        blocks.len()
    );
    assert!(
        blocks.iter().any(|b| b.info == "lc-record"),
        "docs/language.md must show the example record in an `lc-record` block"
    );
}
