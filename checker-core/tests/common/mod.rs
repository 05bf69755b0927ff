//! Shared helpers for the checker-core tests: the real rules data and a classify shortcut.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use beian_checker::{classify_value, Output, Rules};
use chrono::NaiveDate;
use serde_json::Value;

/// The shipped rules file, so the tests check the real texts and thresholds too.
pub(crate) const RULES_TOML: &str = include_str!("../../../content/checker/rules.toml");

pub(crate) fn rules() -> Rules {
    toml::from_str(RULES_TOML).expect("content/checker/rules.toml parses")
}

/// The shipped rules, parsed once per test binary.
pub(crate) fn shared_rules() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(rules)
}

pub(crate) fn date(s: &str) -> NaiveDate {
    beian_checker::parse_date(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

/// A fixed default today that no test relies on by accident (tests pass `today`).
pub(crate) fn default_today() -> NaiveDate {
    date("2001-01-01")
}

pub(crate) fn classify(input: Value) -> Output {
    classify_value(&input, shared_rules(), default_today()).expect("input is an object")
}

/// The output as a JSON value, as the front doors print it.
pub(crate) fn classify_json(input: Value) -> Value {
    serde_json::to_value(classify(input)).unwrap()
}
