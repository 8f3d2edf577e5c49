//! `constitution schema`: what a council's data team must export, per record kind.
//!
//! Two forms, both generated from the record declarations and matching what
//! [`crate::data`] accepts (its rules are the reference; the tests hold the two together):
//!
//! - [`json_schema`]: JSON Schema draft 2020-12. For one record kind, the schema of one
//!   record (an element of a `.json` array, or one `.ndjson` line); for all of them, the
//!   schema of a `.json` file holding an array per record kind, each record kind's schema
//!   in `$defs`. Values may be JSON numbers and booleans where the type allows, or strings
//!   in the spellings the readers accept (UK dates, `£1,234.50`, `45%`, `yes`/`no`, an
//!   enumeration value in any case). Fields not declared `optional` are required and may
//!   not be empty; optional ones may be absent, `null` or a missing spelling.
//! - [`csv_template`]: per record kind, `#` lines describing each column (type, required or
//!   not, the key, the description written in the constitution), then the header row.

use crate::ast::{Constitution, Field, FieldType, Record};
use serde_json::{json, Map, Value};

/// The spellings the readers take for an empty value (see [`crate::data`]).
pub const MISSING_SPELLINGS: [&str; 7] = ["", "NA", "N/A", "n/a", "null", "NULL", "-"];

const MISSING_PATTERN: &str = r"^\s*(NA|N/A|n/a|null|NULL|-)?\s*$";
const INTEGER_PATTERN: &str = r"^\s*[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.0*)?\s*$";
const NUMBER: &str =
    r"[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?";
const MONEY_PATTERN: &str = r"^\s*([+-]?£\s*|£\s*[+-]?|[+-]?)(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{0,2}0*)?|\.[0-9]{1,2}0*)\s*$";
const DATE_PATTERN: &str = r"^\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})([Tt ]\s*([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)([.,][0-9]+)?)?([Zz]|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?\s*$";
const BOOLEAN_PATTERN: &str =
    r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[YyNn]|[01])\s*$";

/// What a value of `ty` looks like, in words, for data publishers.
pub fn type_words(ty: &FieldType) -> String {
    match ty {
        FieldType::Text => "text".into(),
        FieldType::Integer => "a whole number, e.g. 3 or 1,234".into(),
        FieldType::Number => "a number, e.g. 7.5 or 1,234.5".into(),
        FieldType::Money => {
            "an amount in pounds, e.g. £1,234.50 or 1234.5 (at most two decimal places)".into()
        }
        FieldType::Percent => "a percentage, e.g. 45.5% or 45.5".into(),
        FieldType::Date => "a date, 2025-04-01 or 01/04/2025 (a time after it is ignored)".into(),
        FieldType::Boolean => "yes or no: true/false, yes/no, y/n or 1/0".into(),
        FieldType::Enum(values) => format!(
            "one of {} (case is ignored)",
            values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A regular expression matching `value` in any case, as the readers match enumerations.
fn any_case(value: &str) -> String {
    let mut out = String::from(r"^\s*");
    for c in value.trim().chars() {
        let (lower, upper): (String, String) =
            (c.to_lowercase().collect(), c.to_uppercase().collect());
        if lower != upper && lower.chars().count() == 1 && upper.chars().count() == 1 {
            out.push_str(&format!("[{lower}{upper}]"));
        } else if "^$\\.*+?()[]{}|/".contains(c) {
            // Only the characters with a meaning in a pattern are escaped: an escaped letter
            // or space is an error in Unicode-mode ECMAScript patterns.
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out.push_str(r"\s*$");
    out
}

/// The values a present field of this type may hold, in JSON.
fn value_schema(ty: &FieldType) -> Value {
    let string = |pattern: &str| json!({"type": "string", "pattern": pattern});
    match ty {
        // JSON numbers and booleans are read as their text.
        FieldType::Text => json!({"type": ["string", "number", "boolean"]}),
        FieldType::Integer => json!({"anyOf": [{"type": "integer"}, string(INTEGER_PATTERN)]}),
        FieldType::Number => {
            json!({"anyOf": [{"type": "number"}, string(&format!(r"^\s*{NUMBER}\s*$"))]})
        }
        FieldType::Percent => {
            json!({"anyOf": [{"type": "number"}, string(&format!(r"^\s*{NUMBER}\s*%?\s*$"))]})
        }
        FieldType::Money => json!({"anyOf": [{"type": "number"}, string(MONEY_PATTERN)]}),
        FieldType::Date => string(DATE_PATTERN),
        FieldType::Boolean => {
            json!({"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, string(BOOLEAN_PATTERN)]})
        }
        FieldType::Enum(values) => {
            let mut any: Vec<Value> = vec![json!({ "enum": values })];
            any.extend(values.iter().map(|v| string(&any_case(v))));
            json!({ "anyOf": any })
        }
    }
}

fn field_schema(field: &Field) -> Value {
    let mut description = String::new();
    if let Some(d) = &field.description {
        description.push_str(&d.value());
        description.push_str(". ");
    }
    description.push_str(&capitalised(&type_words(&field.ty)));
    description.push('.');
    if field.key {
        description.push_str(" The key: reports name records by it.");
    }
    let mut schema = if field.optional {
        description.push_str(" May be empty.");
        json!({"anyOf": [
            value_schema(&field.ty),
            {"type": "null"},
            {"type": "string", "pattern": MISSING_PATTERN},
        ]})
    } else {
        description.push_str(" Required: an empty value makes the record unusable.");
        let mut s = value_schema(&field.ty);
        if field.ty == FieldType::Text {
            if let Some(obj) = s.as_object_mut() {
                obj.insert(
                    "not".into(),
                    json!({"type": "string", "pattern": MISSING_PATTERN}),
                );
            }
        }
        s
    };
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), Value::String(description));
        let examples = examples(&field.ty);
        if !examples.is_empty() {
            obj.insert("examples".into(), Value::Array(examples));
        }
    }
    schema
}

fn examples(ty: &FieldType) -> Vec<Value> {
    match ty {
        FieldType::Integer => vec![json!(3), json!("1,234")],
        FieldType::Number => vec![json!(7.5), json!("1,234.5")],
        FieldType::Money => vec![json!("£1,234.50"), json!(1234.5)],
        FieldType::Percent => vec![json!("45.5%"), json!(45.5)],
        FieldType::Date => vec![json!("2025-04-01"), json!("01/04/2025")],
        FieldType::Boolean => vec![json!(true), json!("yes")],
        FieldType::Enum(values) => values.iter().take(2).map(|v| json!(v)).collect(),
        FieldType::Text => Vec::new(),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The schema of one record of `record` (without `$schema`).
pub fn record_schema(record: &Record) -> Value {
    let mut properties = Map::new();
    for field in &record.fields {
        properties.insert(field.name.name.clone(), field_schema(field));
    }
    let required: Vec<&str> = record
        .fields
        .iter()
        .filter(|f| !f.optional)
        .map(|f| f.name.name.as_str())
        .collect();
    let key = record
        .fields
        .iter()
        .find(|f| f.key)
        .map(|f| f.name.name.clone());
    let mut schema = json!({
        "title": format!("{}: {}", record.name.name, record.title.value()),
        "description": format!(
            "One record of `{}`: a row of `{0}.csv`, an element of the array in `{0}.json`, or \
             one line of `{0}.ndjson`. Keys match field names exactly or ignoring case; other \
             keys are ignored.",
            record.name.name
        ),
        "type": "object",
        "properties": properties,
        "required": required,
    });
    if let (Some(key), Some(obj)) = (key, schema.as_object_mut()) {
        obj.insert("x-key".into(), Value::String(key));
    }
    schema
}

/// Why `schema` could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRecord {
    /// The record kind asked for.
    pub name: String,
    /// The kinds declared.
    pub declared: Vec<String>,
}

impl std::fmt::Display for UnknownRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the constitution declares no record `{}`; it declares {}",
            self.name,
            self.declared.join(", ")
        )
    }
}

impl std::error::Error for UnknownRecord {}

fn records<'c>(c: &'c Constitution, only: Option<&str>) -> Result<Vec<&'c Record>, UnknownRecord> {
    match only {
        None => Ok(c.records().collect()),
        Some(name) => c
            .record(name)
            .map(|r| vec![r])
            .ok_or_else(|| UnknownRecord {
                name: name.to_string(),
                declared: c.records().map(|r| r.name.name.clone()).collect(),
            }),
    }
}

/// JSON Schema (draft 2020-12): of one record when `only` names a kind, otherwise of a
/// `.json` file holding every kind, keyed by kind, with each kind's schema in `$defs`.
pub fn json_schema(c: &Constitution, only: Option<&str>) -> Result<Value, UnknownRecord> {
    const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
    let chosen = records(c, only)?;
    if only.is_some() {
        let mut schema = chosen.first().map(|r| record_schema(r)).unwrap_or_default();
        if let Some(obj) = schema.as_object_mut() {
            obj.insert("$schema".into(), Value::String(DRAFT.into()));
        }
        return Ok(schema);
    }
    let mut defs = Map::new();
    let mut properties = Map::new();
    for r in &chosen {
        defs.insert(r.name.name.clone(), record_schema(r));
        properties.insert(
            r.name.name.clone(),
            json!({"type": "array", "items": {"$ref": format!("#/$defs/{}", r.name.name)}}),
        );
    }
    Ok(json!({
        "$schema": DRAFT,
        "title": format!("Service data for {}", c.name.value()),
        "description": "A .json file holding an array of records under each record kind's \
                        name. Each kind may also be exported on its own: a .csv with a \
                        header row, a .json array, or .ndjson lines (see $defs).",
        "type": "object",
        "properties": properties,
        "$defs": defs,
    }))
}

/// The CSV header template: for each record kind, `#` lines describing the columns, then
/// the header row (the one line a data file starts with).
pub fn csv_template(c: &Constitution, only: Option<&str>) -> Result<String, UnknownRecord> {
    let mut out = String::new();
    for (i, r) in records(c, only)?.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("# {}.csv: {}\n", r.name.name, r.title.value()));
        let width = r
            .fields
            .iter()
            .map(|f| f.name.name.chars().count())
            .max()
            .unwrap_or(0);
        for f in &r.fields {
            let mut notes = vec![type_words(&f.ty)];
            notes.push(
                if f.optional {
                    "may be empty"
                } else {
                    "required"
                }
                .into(),
            );
            if f.key {
                notes.push("the key".into());
            }
            let description = f
                .description
                .as_ref()
                .map(|d| format!(" — {}", d.value()))
                .unwrap_or_default();
            out.push_str(&format!(
                "# {:width$}  {}{description}\n",
                f.name.name,
                notes.join("; "),
            ));
        }
        out.push_str(&header(r));
        out.push('\n');
    }
    Ok(out)
}

/// The header row for `record`: its field names in order, quoted where CSV needs it.
pub fn header(record: &Record) -> String {
    record
        .fields
        .iter()
        .map(|f| {
            let name = &f.name.name;
            if name.contains([',', '"', '\n']) {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}
