//! The data readers against public suites, and against hostile input.
//!
//! - csv-spectrum (max-mapper/csv-spectrum, BSD-2-Clause): CSV edge cases with their
//!   expected parse as JSON; each is read with an all-text schema built from the expected
//!   keys and compared cell by cell.
//! - JSONTestSuite (nst/JSONTestSuite, MIT): `y_*` files must read unless their top level is
//!   not an array or object; `n_*` files should be refused; no file may panic.
//!
//! Both live in the shared data folder beside the checkout (`../shared/data`, or
//! `../../shared/data` from a worktree); a suite that is absent is skipped with a note.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use constitution::ast::FieldType;
use constitution::data::{
    parse_value, read, DataFormat, FieldSpec, Location, ReadSummary, Row, Schema,
};
use constitution::value::Value;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn shared_data(suite: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = ["../shared/data", "../../shared/data"]
        .iter()
        .map(|rel| root.join(rel).join(suite))
        .find(|p| p.is_dir());
    if found.is_none() {
        println!("note: shared/data/{suite} not found beside the checkout; suite skipped");
    }
    found
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    found.sort();
    found
}

fn text_schema(record: &str, names: &[String]) -> Schema {
    Schema {
        record: record.into(),
        fields: names
            .iter()
            .map(|name| FieldSpec {
                name: name.clone(),
                ty: FieldType::Text,
                optional: true,
            })
            .collect(),
        keep: Vec::new(),
    }
}

fn collect(
    text: &str,
    format: DataFormat,
    schema: &Schema,
) -> (Result<ReadSummary, String>, Vec<Row>) {
    let mut rows = Vec::new();
    let result =
        read(text, format, schema, |row| rows.push(row.clone())).map_err(|e| e.to_string());
    (result, rows)
}

/// What the reader makes of an expected cell: trimmed text, or missing.
fn expected_value(cell: &str) -> Value {
    parse_value(cell, &FieldType::Text).unwrap()
}

/// csv-spectrum cases whose expected JSON is known to disagree with its own CSV, and the
/// field where it does. If such a field starts to match, the entry is stale and fails.
const SPECTRUM_UPSTREAM_ERRORS: &[(&str, &str)] = &[
    // The expected JSON gives a different phone number from the CSV's (and is a single
    // object, not an array).
    ("location_coordinates", "Contact Phone Number"),
];

#[test]
fn csv_spectrum() {
    let Some(dir) = shared_data("csv-spectrum") else {
        return;
    };
    let (mut passed, mut total) = (0, 0);
    for csv_path in files(&dir.join("csvs"), "csv") {
        let name = csv_path.file_stem().unwrap().to_str().unwrap().to_string();
        let json_path = dir.join("json").join(format!("{name}.json"));
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        let expected: Vec<serde_json::Map<String, serde_json::Value>> = match expected {
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(|i| i.as_object().unwrap().clone())
                .collect(),
            serde_json::Value::Object(one) => vec![one],
            other => panic!("{name}: unexpected expectation {other}"),
        };
        let names: Vec<String> = expected
            .first()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let schema = text_schema(&name, &names);
        let text = std::fs::read_to_string(&csv_path).unwrap();
        let (result, rows) = collect(&text, DataFormat::Csv, &schema);
        let summary = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        total += 1;
        assert_eq!(summary.records, expected.len(), "{name}");
        assert!(summary.missing_columns.is_empty(), "{name}");
        let known = SPECTRUM_UPSTREAM_ERRORS
            .iter()
            .find(|(case, _)| *case == name)
            .map(|(_, field)| *field);
        let mut mismatches = Vec::new();
        for (row, want) in rows.iter().zip(&expected) {
            assert!(row.problems.is_empty(), "{name}: {:?}", row.problems);
            for (field, got) in schema.fields.iter().zip(&row.values) {
                let want = expected_value(want[&field.name].as_str().unwrap());
                if *got != want {
                    mismatches.push(field.name.clone());
                }
            }
        }
        match known {
            Some(field) => assert_eq!(
                mismatches,
                vec![field.to_string()],
                "{name}: the known upstream error changed"
            ),
            None => {
                assert!(mismatches.is_empty(), "{name}: {mismatches:?}");
                passed += 1;
            }
        }
    }
    println!(
        "csv-spectrum: {passed} of {total} cases match their expected JSON \
         ({} known upstream errors)",
        SPECTRUM_UPSTREAM_ERRORS.len()
    );
    assert!(total >= 12, "only {total} csv-spectrum cases found");
}

#[test]
fn csv_spectrum_line_numbers() {
    let Some(dir) = shared_data("csv-spectrum") else {
        return;
    };
    for (case, lines) in [
        ("newlines", vec![2, 3, 5]),
        ("newlines_crlf", vec![2, 3, 5]),
        ("quotes_and_newlines", vec![2, 5]),
        ("empty_crlf", vec![2, 3]),
    ] {
        let text = std::fs::read_to_string(dir.join("csvs").join(format!("{case}.csv"))).unwrap();
        let schema = text_schema(case, &["a".to_string()]);
        let (result, rows) = collect(&text, DataFormat::Csv, &schema);
        result.unwrap();
        let got: Vec<Location> = rows.iter().map(|r| r.location).collect();
        let want: Vec<Location> = lines.into_iter().map(Location::Line).collect();
        assert_eq!(got, want, "{case}");
    }
}

/// How one JSONTestSuite file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Outcome {
    /// Read without error.
    Read,
    /// Refused because the top level is a scalar (neither array nor object).
    NotAnArray,
    /// Refused as malformed.
    Refused,
    /// Not UTF-8: the CLI refuses such a file before the reader sees it.
    NotUtf8,
}

#[test]
fn json_test_suite() {
    let Some(dir) = shared_data("JSONTestSuite") else {
        return;
    };
    let schema = Schema {
        record: "records".into(),
        fields: vec![
            FieldSpec {
                name: "a".into(),
                ty: FieldType::Text,
                optional: false,
            },
            FieldSpec {
                name: "n".into(),
                ty: FieldType::Number,
                optional: true,
            },
        ],
        keep: Vec::new(),
    };
    let mut tally: std::collections::BTreeMap<(char, Outcome), Vec<String>> = Default::default();
    // Files not in UTF-8 that read once invalid bytes become U+FFFD.
    let mut lossy_read = Vec::new();
    for path in files(&dir, "json") {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let kind = name.chars().next().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        // Every file also goes through as NDJSON and (lossily decoded) as both, for panics.
        let lossy = String::from_utf8_lossy(&bytes);
        for format in [DataFormat::Json, DataFormat::Ndjson, DataFormat::Csv] {
            let (result, rows) = collect(&lossy, format, &schema);
            if let Ok(summary) = result {
                assert_eq!(summary.records, rows.len(), "{name}");
                assert!(rows.iter().all(|r| r.values.len() == 2), "{name}");
            }
        }
        let outcome = match std::str::from_utf8(&bytes) {
            Err(_) => {
                if collect(&lossy, DataFormat::Json, &schema).0.is_ok() {
                    lossy_read.push(name.clone());
                }
                Outcome::NotUtf8
            }
            Ok(text) => match collect(text, DataFormat::Json, &schema).0 {
                Ok(_) => Outcome::Read,
                Err(e) if e.contains("expected an array of records") => Outcome::NotAnArray,
                Err(_) => Outcome::Refused,
            },
        };
        tally.entry((kind, outcome)).or_default().push(name);
    }
    for ((kind, outcome), names) in &tally {
        println!("JSONTestSuite {kind}_ {outcome:?}: {}", names.len());
        if matches!(
            (kind, outcome),
            ('n', Outcome::Read) | ('y', Outcome::Refused)
        ) {
            println!("    {}", names.join(" "));
        }
    }
    println!(
        "JSONTestSuite: {} files not in UTF-8 read once decoded lossily: {}",
        lossy_read.len(),
        lossy_read.join(" ")
    );
    let count = |kind: char, outcome: Outcome| tally.get(&(kind, outcome)).map_or(0, Vec::len);
    // Every valid document reads, unless its top level is a lone scalar.
    assert_eq!(count('y', Outcome::Refused), 0);
    assert_eq!(count('y', Outcome::NotUtf8), 0);
    assert!(count('y', Outcome::Read) >= 80);
    // Every invalid document is refused. serde_json is strict, so none slips through.
    assert_eq!(
        count('n', Outcome::Read),
        0,
        "{:?}",
        tally.get(&('n', Outcome::Read))
    );
    assert!(count('n', Outcome::Refused) >= 150);
}

#[test]
fn json_test_suite_arrays_yield_rows() {
    let Some(dir) = shared_data("JSONTestSuite") else {
        return;
    };
    // `[{"a":"b"}]` and friends: the objects are records.
    let text = std::fs::read_to_string(dir.join("y_array_with_several_null.json")).unwrap();
    let schema = text_schema("r", &["a".to_string()]);
    let (result, rows) = collect(&text, DataFormat::Json, &schema);
    assert_eq!(result.unwrap().records, rows.len());
    assert!(rows
        .iter()
        .all(|r| r.problems.len() == 1 && r.problems[0].field == "(record)"));
    let text = std::fs::read_to_string(dir.join("y_object_duplicated_key.json")).unwrap();
    let schema = Schema {
        record: "a".into(),
        fields: Vec::new(),
        keep: Vec::new(),
    };
    // `{"a":"b","a":"c"}`: the kind is given twice, and is not an array.
    assert!(collect(&text, DataFormat::Json, &schema).0.is_err());
}

fn any_type() -> impl Strategy<Value = FieldType> {
    prop_oneof![
        Just(FieldType::Text),
        Just(FieldType::Integer),
        Just(FieldType::Number),
        Just(FieldType::Money),
        Just(FieldType::Percent),
        Just(FieldType::Date),
        Just(FieldType::Boolean),
        Just(FieldType::Enum(vec!["a".into(), "B".into(), "N/A".into()])),
    ]
}

/// Text made mostly of the characters that matter to the readers.
fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just(",".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(":".to_string()),
            Just("\"a\"".to_string()),
            Just("\"B\"".to_string()),
            Just("null".to_string()),
            Just("1e999".to_string()),
            Just("-".to_string()),
            Just("£".to_string()),
            Just("\u{feff}".to_string()),
            Just("31/02/2025".to_string()),
            Just("2025-04-01T10:00Z".to_string()),
            "[ -~]{0,6}",
            any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic(text in hostile_text(), a in any_type(), b in any_type(), optional: bool) {
        let schema = Schema {
            record: "a".into(),
            fields: vec![
                FieldSpec { name: "a".into(), ty: a, optional },
                FieldSpec { name: "B".into(), ty: b, optional: !optional },
            ],
            keep: Vec::new(),
        };
        for format in [DataFormat::Csv, DataFormat::Json, DataFormat::Ndjson] {
            let (result, rows) = collect(&text, format, &schema);
            for row in &rows {
                prop_assert_eq!(row.values.len(), 2);
                // A field with a problem holds Missing.
                for problem in &row.problems {
                    if let Some(i) = schema.fields.iter().position(|f| f.name == problem.field) {
                        prop_assert_eq!(&row.values[i], &Value::Missing);
                    }
                }
            }
            if let Ok(summary) = result {
                prop_assert_eq!(summary.records, rows.len());
            }
        }
    }

    #[test]
    fn parse_value_never_panics(raw in hostile_text(), ty in any_type()) {
        match parse_value(&raw, &ty) {
            Ok(Value::Missing) | Err(_) => {}
            Ok(value) => {
                let kind_matches = matches!(
                    (&ty, &value),
                    (FieldType::Text | FieldType::Enum(_), Value::Text(_))
                        | (FieldType::Integer, Value::Int(_))
                        | (FieldType::Number, Value::Num(_))
                        | (FieldType::Money, Value::Money(_))
                        | (FieldType::Percent, Value::Percent(_))
                        | (FieldType::Date, Value::Date(_))
                        | (FieldType::Boolean, Value::Bool(_))
                );
                prop_assert!(kind_matches, "{:?} gave {:?}", ty, value);
            }
        }
    }

    #[test]
    fn money_reads_what_it_shows(pence in any::<i64>()) {
        let shown = constitution::format::money(pence);
        prop_assert_eq!(parse_value(&shown, &FieldType::Money), Ok(Value::Money(pence)));
    }
}
