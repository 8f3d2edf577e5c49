//! Arbitrary bytes as a CSV, JSON or NDJSON data file (the first byte chooses), read against a
//! schema with a field of every type: no panic, one value per field in every row, problems
//! named by a field of the schema (or the record/line as a whole), and rows counted.
#![no_main]

use constitution::ast::FieldType;
use constitution::data::{self, DataFormat, FieldSpec, Schema, LINE, RECORD};
use libfuzzer_sys::fuzz_target;

fn schema() -> Schema {
    let field = |name: &str, ty: FieldType, optional: bool| FieldSpec {
        name: name.into(),
        ty,
        optional,
    };
    Schema {
        record: "case".into(),
        fields: vec![
            field("id", FieldType::Text, false),
            field("opened", FieldType::Date, false),
            field("closed", FieldType::Date, true),
            field(
                "kind",
                FieldType::Enum(vec!["a".into(), "b".into(), "c".into()]),
                false,
            ),
            field("count", FieldType::Integer, true),
            field("score", FieldType::Number, true),
            field("cost", FieldType::Money, true),
            field("rate", FieldType::Percent, true),
            field("flagged", FieldType::Boolean, true),
        ],
        keep: Vec::new(),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((choice, rest)) = bytes.split_first() else {
        return;
    };
    let format = match choice % 3 {
        0 => DataFormat::Csv,
        1 => DataFormat::Json,
        _ => DataFormat::Ndjson,
    };
    let text = String::from_utf8_lossy(rest);
    let schema = schema();
    let mut rows = 0usize;
    let result = data::read(&text, format, &schema, |row| {
        rows += 1;
        assert_eq!(row.values.len(), schema.fields.len(), "{row:?}");
        for p in &row.problems {
            assert!(
                p.field == RECORD || p.field == LINE || schema.fields.iter().any(|f| f.name == p.field),
                "problem with an unknown field: {p:?}"
            );
            assert!(!p.reason.is_empty());
        }
    });
    match result {
        Ok(summary) => assert_eq!(summary.records, rows, "rows passed vs counted"),
        Err(e) => assert!(!e.message.is_empty()),
    }
});
