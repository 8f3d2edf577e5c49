//! How the edges name an audit's inputs: which record kind a data file holds, judged from
//! its name, and the audit period as written by people. The command line and the
//! WebAssembly build both call these, so a file named the same is read the same way in a
//! terminal and in a browser.

use crate::data::DataFormat;
use time::Date;

/// A data file, named: the record kinds it is offered to, and how it is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedData {
    /// The record kinds it holds: one, or every kind for a JSON object keyed by kind.
    pub records: Vec<String>,
    /// The file's name or path, as the report will show it.
    pub path: String,
    /// How it is encoded.
    pub format: DataFormat,
}

/// The record kind a file's name says it holds: the name without folders and extension
/// (`data/foi_request.csv` → `foi_request`).
pub fn record_of(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// Reads what a data file holds from how it is named, one of:
///
/// - `RECORD=NAME`: the file `NAME` holds records of kind `RECORD`;
/// - `<record>.csv|json|ndjson` (any folder): the file holds that kind;
/// - any other `.json` file: an object keyed by record kind, offered to every kind.
///
/// `records` are the kinds the constitution declares. Anything else cannot be placed.
pub fn name_data(name: &str, records: &[String]) -> Result<NamedData, String> {
    let format_of = |path: &str| {
        DataFormat::from_path(path)
            .ok_or_else(|| format!("`{path}`: not a .csv, .json or .ndjson file"))
    };
    if let Some((record, path)) = name.split_once('=') {
        if !records.iter().any(|r| r == record) {
            return Err(format!(
                "`{name}`: the constitution reads no record kind `{record}`"
            ));
        }
        return Ok(NamedData {
            records: vec![record.to_string()],
            path: path.to_string(),
            format: format_of(path)?,
        });
    }
    let record = record_of(name);
    if records.iter().any(|r| r == record) {
        return Ok(NamedData {
            records: vec![record.to_string()],
            path: name.to_string(),
            format: format_of(name)?,
        });
    }
    if DataFormat::from_path(name) == Some(DataFormat::Json) {
        return Ok(NamedData {
            records: records.to_vec(),
            path: name.to_string(),
            format: DataFormat::Json,
        });
    }
    Err(format!(
        "`{name}`: cannot tell which record kind it holds; name it `<record>.csv` or give it \
         as `RECORD={name}`"
    ))
}

/// Whether a file found in a data folder is one to read: a known format named after a
/// record kind the constitution declares. Other files (a README, notes) are passed over.
pub fn belongs_in_folder(name: &str, records: &[String]) -> bool {
    let record = record_of(name);
    DataFormat::from_path(name).is_some() && records.iter().any(|r| r == record)
}

/// The audit period written `FROM..TO` (e.g. `2025-04-01..2026-03-31`), both days included.
pub fn parse_period(text: &str) -> Result<(Date, Date), String> {
    let (from, to) = text.split_once("..").ok_or_else(|| {
        format!("`{text}`: write the period as FROM..TO, e.g. 2025-04-01..2026-03-31")
    })?;
    let date = |s: &str| {
        crate::parse::parse_date(s.trim())
            .ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
    };
    let (from, to) = (date(from)?, date(to)?);
    if to < from {
        return Err(format!("the period `{text}` ends before it starts"));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Vec<String> {
        vec!["foi_request".into(), "spending".into()]
    }

    #[test]
    fn names_place_files() {
        let named = name_data("data/2025-26/foi_request.csv", &kinds()).unwrap();
        assert_eq!(named.records, ["foi_request"]);
        assert_eq!(named.path, "data/2025-26/foi_request.csv");
        assert_eq!(named.format, DataFormat::Csv);
        let named = name_data("spending=export.ndjson", &kinds()).unwrap();
        assert_eq!(
            (named.records, named.path),
            (vec!["spending".to_string()], "export.ndjson".to_string())
        );
        let named = name_data("everything.json", &kinds()).unwrap();
        assert_eq!(named.records, kinds());
        assert!(name_data("notes.csv", &kinds())
            .unwrap_err()
            .contains("cannot tell"));
        assert!(name_data("foi_request.txt", &kinds())
            .unwrap_err()
            .contains("not a .csv"));
        assert!(name_data("repair=x.csv", &kinds())
            .unwrap_err()
            .contains("no record kind"));
        assert!(belongs_in_folder("d/spending.CSV", &kinds()));
        assert!(!belongs_in_folder("d/README.md", &kinds()));
        assert!(!belongs_in_folder("d/other.csv", &kinds()));
    }

    #[test]
    fn periods() {
        let (from, to) = parse_period("2025-04-01..2026-03-31").unwrap();
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("2025-04-01".into(), "2026-03-31".into())
        );
        assert!(parse_period("2025-04-01").unwrap_err().contains("FROM..TO"));
        assert!(parse_period("2026-04-01..2025-03-31")
            .unwrap_err()
            .contains("ends before"));
        assert!(parse_period("2025-13-01..2026-01-01")
            .unwrap_err()
            .contains("not a date"));
    }
}
