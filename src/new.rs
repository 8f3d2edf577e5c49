//! `constitution new`: a complete, valid starting constitution for an area.
//!
//! The text is `templates/new.lc`, a constitution whose model duties are drawn from the
//! statutory facts (FOIA s.10(1)'s 20 working days, the 2003 Order's six weeks in bed and
//! breakfast, the 40% turnout benchmark, the public interest test, LGA 1972 s.85, …), with
//! the area's name, GSS code and adoption date filled in. The result is passed through the
//! formatter, so it is canonical (`fmt --check` passes) whatever the name's length, and it
//! checks with no errors and no warnings (tested for several names).

use crate::format;

/// The template, with `{{name}}`, `{{code}}` and `{{adopted}}` to fill in.
const TEMPLATE: &str = include_str!("../templates/new.lc");

/// The code written when none is given: it has the GSS shape, so the file checks, and the
/// comment beside it says to replace it.
pub const PLACEHOLDER_CODE: &str = "E00000000";

/// What `new` needs to know about the area.
#[derive(Debug, Clone)]
pub struct NewOptions<'a> {
    /// The area's name, as it should appear in the constitution.
    pub name: &'a str,
    /// Its nine-character GSS (ONS) code, if known.
    pub code: Option<&'a str>,
    /// The adoption date written in the header.
    pub adopted: time::Date,
}

/// Why a starting constitution could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewError {
    /// The name is empty or holds a control character.
    Name(String),
    /// The code is not a GSS code, or a date is out of range.
    Code(String),
    /// The filled-in template did not format (a bug: the template is tested).
    Template(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::Name(m) | NewError::Code(m) | NewError::Template(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for NewError {}

/// Whether `code` is a GSS code: E, W, S or N and eight digits (the checker's `W601` rule).
pub fn is_gss_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('E' | 'W' | 'S' | 'N'))
        && code.len() == 9
        && chars.all(|c| c.is_ascii_digit())
}

fn iso(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The starting constitution for the area, in canonical layout.
pub fn constitution(options: &NewOptions<'_>) -> Result<String, NewError> {
    let name = options.name.trim();
    if name.is_empty() {
        return Err(NewError::Name("the area's name is empty".into()));
    }
    if name.chars().any(char::is_control) {
        return Err(NewError::Name(
            "the area's name holds a control character (a line break or tab)".into(),
        ));
    }
    let code = match options.code {
        Some(code) if is_gss_code(code) => code.to_string(),
        Some(code) => {
            return Err(NewError::Code(format!(
                "`{code}` is not a GSS code: write E, W, S or N and eight digits, e.g. E09000022"
            )))
        }
        None => format!("{PLACEHOLDER_CODE} // replace with the area's nine-character GSS code"),
    };
    // The name goes inside quotes: escaped as the language escapes, without the quotes.
    let quoted = format::string(name);
    let escaped = quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default();
    // The tests place a family on the adoption day and judge it 35 days later (met) and
    // at the end of an audit period 90 days long (still there: breached). Plain calendar
    // days, so the tests hold whatever the year.
    let adopted = options.adopted;
    let later = |days: i64| {
        adopted
            .checked_add(time::Duration::days(days))
            .map(iso)
            .ok_or_else(|| NewError::Code(format!("{} is too late a date", iso(adopted))))
    };
    let (five_weeks, quarter_end) = (later(35)?, later(90)?);
    // The name last, so that a name holding `{{code}}` stays as written.
    let text = TEMPLATE
        .replace("{{code}}", &code)
        .replace("{{adopted}}", &iso(adopted))
        .replace("{{five_weeks}}", &five_weeks)
        .replace("{{quarter_end}}", &quarter_end)
        .replace("{{name}}", escaped);
    format::format(&text).map_err(|diagnostics| {
        NewError::Template(format!(
            "the starting constitution did not format ({} problems); this is a bug",
            diagnostics.len()
        ))
    })
}
