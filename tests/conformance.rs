//! The evaluator conformance table (`tests/conformance/evaluator.csv`): every operator,
//! the missing-value rules, the working-day rule and the boundaries, checked end to end
//! through the public pipeline (parse, check, compile, evaluate via `constitution test`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

const TEMPLATE: &str = r#"constitution "Conformance" {
  area E09000001
  adopted 2025-01-01
  calendar uk
  body council "Council"
  body audit "Audit Committee" audit_committee
  record case "A case" {
    id       text key
    ward     text
    received date
    left     date optional
    regime   one of "foia", "eir"
    count_of integer
    amount   money
    rate     percent
    flag     boolean
  }
  right home "Home" { description "x" }
  right education "Education" { description "x" }
  right skills "Skills" { description "x" }
  right environment "Environment" { description "x" }
  right information "Information" { description "x" }
  right consulted "Consulted" {
    description "x"
    duty case_holds "The case" {
      description "x"
      owed by council
      basis "x"
      over case
      each CONDITION
      require every
    }
  }
  accountability { description "x" }
  test "case" {
    period 2019-01-01..2027-12-31
    case { id: "C1", ward: "a", received: 2025-06-02, regime: "foia", RECORD }
    expect consulted.case_holds VERDICT
  }
}
"#;

struct Case {
    line: usize,
    expression: String,
    record: String,
    expected: String,
    note: String,
    known_bug: bool,
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/evaluator.csv"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split(';').collect();
            Case {
                line: i + 1,
                expression: cols[0].trim().to_string(),
                record: cols.get(1).unwrap_or(&"").trim().to_string(),
                expected: cols.get(2).unwrap_or(&"").trim().to_string(),
                note: cols.get(3).unwrap_or(&"").trim().to_string(),
                known_bug: cols.get(4).is_some_and(|c| c.trim() == "known_bug"),
            }
        })
        .collect()
}

/// Builds the constitution for one case: the record's given fields override the defaults.
fn constitution_for(case: &Case) -> String {
    let (condition, verdict) = match case.expected.as_str() {
        "true" => (case.expression.clone(), "met"),
        "false" => (case.expression.clone(), "breached"),
        "unusable" => (case.expression.clone(), "insufficient_evidence"),
        e if e.starts_with("error ") => (case.expression.clone(), "met"),
        value => (format!("({}) == {value}", case.expression), "met"),
    };
    let mut record = String::new();
    let mut template = TEMPLATE.to_string();
    for part in case.record.split(", ").filter(|p| !p.is_empty()) {
        let name = part.split(':').next().unwrap_or("").trim();
        // A given field replaces the default of the same name.
        for default in [
            "ward: \"a\", ",
            "received: 2025-06-02, ",
            "regime: \"foia\", ",
        ] {
            if default.starts_with(&format!("{name}:")) {
                template = template.replacen(default, "", 1);
            }
        }
        record.push_str(part);
        record.push_str(", ");
    }
    if case.expected == "unusable" && case.expression == "ward == \"a\"" {
        template = template.replacen("ward: \"a\", ", "", 1);
    }
    let record = record.trim_end_matches(", ").to_string();
    let template = if record.is_empty() {
        template.replacen(", RECORD", "", 1)
    } else {
        template.replacen("RECORD", &record, 1)
    };
    template
        .replacen("CONDITION", &condition, 1)
        .replacen("VERDICT", verdict, 1)
}

fn run(case: &Case) -> Result<(), String> {
    let source = constitution_for(case);
    let diagnostics = constitution::check_source(&source);
    if let Some(code) = case.expected.strip_prefix("error ") {
        return if diagnostics.iter().any(|d| d.code.as_str() == code) {
            Ok(())
        } else {
            Err(format!("expected {code}, got {diagnostics:?}"))
        };
    }
    if let Some(d) = diagnostics.iter().find(|d| d.is_error()) {
        return Err(format!("unexpected {}: {}", d.code, d.message));
    }
    let parsed = constitution::parse(&source);
    let ast = parsed.ast.ok_or("no AST")?;
    let results = constitution::testing::run_tests(&ast, &source)
        .map_err(|d| format!("did not compile: {d:?}"))?;
    let e = &results[0].expectations[0];
    if e.passed {
        Ok(())
    } else {
        Err(format!("expected {}, got {}", e.expected, e.actual))
    }
}

#[test]
fn conformance_table() {
    let cases = cases();
    assert!(cases.len() >= 50, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let result = run(case);
        match (result, case.known_bug) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(why), false) => failures.push(format!(
                "line {}: `{}` with {{{}}}: {why} ({})",
                case.line, case.expression, case.record, case.note
            )),
            (Ok(()), true) => failures.push(format!(
                "line {}: `{}` is marked known_bug but now passes: remove the mark",
                case.line, case.expression
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
