//! The static rules table (for readers without JavaScript), rendered from the rules data.

use serde::Serialize;

use crate::model::{Axis, Severity, State};
use crate::output::Link;
use crate::rules::Rules;

/// One row of the static rules table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRow {
    pub axis: Axis,
    pub state: State,
    pub severity: Severity,
    /// The condition in words, with the thresholds filled in.
    pub condition: String,
    pub title: String,
    pub summary: String,
    pub actions: Vec<String>,
    pub links: Vec<Link>,
}

/// Every state's row, in axis and row order, with texts in `lang` (`"zh-CN"` or `"en"`).
pub fn rules_table(rules: &Rules, lang: &str) -> Vec<TableRow> {
    let _ = (rules, lang);
    Vec::new()
}
