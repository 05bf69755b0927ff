//! The static rules table (for readers without JavaScript), rendered from the rules data.

use serde::Serialize;

use crate::input::Lang;
use crate::model::{Axis, Severity, State, STATES};
use crate::output::Link;
use crate::rules::{Rules, StateTexts};
use crate::text::{fill, lang_texts, list_or_fallback, or_fallback};

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

/// Every state's row, in axis and row order, with texts in `lang` (`"zh-CN"` or `"en"`; any
/// other value gives zh-CN). Input-dependent placeholders get the table's generic words
/// (`{days}` → `N`); provider-specific additions are left out.
pub fn rules_table(rules: &Rules, lang: &str) -> Vec<TableRow> {
    let lang = Lang::from_code(lang).unwrap_or_default();
    let thresholds = rules.thresholds.placeholder_values(lang);
    let days = rules.message(lang, |m| &m.table_days);
    let deadline = rules.message(lang, |m| &m.table_deadline);
    let provider = rules.message(lang, |m| &m.table_provider);
    let year = rules.message(lang, |m| &m.table_year);
    let value = |name: &str| -> Option<String> {
        match name {
            "days" | "abs_days" => Some(days.clone()),
            "deadline" => Some(deadline.clone()),
            "provider" => Some(provider.clone()),
            "report_year" => Some(year.clone()),
            "not_checked" => Some(String::new()),
            _ => thresholds
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone()),
        }
    };
    let empty = StateTexts::default();
    STATES
        .iter()
        .map(|&state| {
            let (texts, zh) = match rules.states.get(state.code()) {
                Some(map) => lang_texts(map, lang),
                None => (&empty, &empty),
            };
            TableRow {
                axis: state.axis(),
                state,
                severity: state.severity(),
                condition: fill(or_fallback(&texts.condition, &zh.condition), &value),
                title: fill(or_fallback(&texts.title, &zh.title), &value),
                summary: fill(or_fallback(&texts.summary, &zh.summary), &value)
                    .trim()
                    .to_owned(),
                actions: list_or_fallback(&texts.actions, &zh.actions)
                    .iter()
                    .map(|a| fill(a, &value))
                    .collect(),
                links: list_or_fallback(&texts.links, &zh.links)
                    .iter()
                    .map(|l| Link {
                        title: fill(&l.title, &value),
                        href: l.href.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}
