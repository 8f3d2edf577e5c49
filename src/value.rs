//! Values: what a field of a record, or an expression, holds at evaluation time.

use arcstr::ArcStr;
use time::Date;

/// A typed value. Enumerations are held as text (the checker has already tied them to
/// their declared values). Sixteen bytes: text is behind one thin pointer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: an empty cell, `NA`, `null`, … in an optional field.
    Missing,
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Num(f64),
    /// Money, in pence.
    Money(i64),
    /// A percentage, as written (`45.5` for 45.5%).
    Percent(f64),
    /// A calendar date.
    Date(Date),
    /// A length of time, in days.
    Duration(i64),
    /// Text (and enumeration values).
    Text(ArcStr),
}

impl Value {
    /// The value as a float, for numeric kinds (money in pounds, durations in days,
    /// percentages as written).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Num(n) => Some(*n),
            Value::Money(p) => Some(*p as f64 / 100.0),
            Value::Percent(p) => Some(*p),
            Value::Duration(d) => Some(*d as f64),
            _ => None,
        }
    }

    /// A short rendering for reports and explanations.
    pub fn display(&self) -> String {
        match self {
            Value::Missing => "missing".into(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Num(n) => format_number(*n),
            Value::Money(p) => crate::format::money(*p),
            Value::Percent(p) => format!("{}%", format_number(*p)),
            Value::Date(d) => d.to_string(),
            Value::Duration(d) => format!("{d} days"),
            Value::Text(t) => t.to_string(),
        }
    }
}

/// A number with at most four decimals and no trailing zeros: `0.4`, `12`, `33.3333`.
pub fn format_number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let s = format!("{n:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Value;
    use crate::eval::Unusable;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn values_and_evaluation_results_are_two_words() {
        // Two words, not three or four: less to move for every value read and evaluated.
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Result<Value, Unusable>>(), 16);
    }
}
