//! The rules data (thresholds and texts), loaded by the generator from
//! `content/checker/rules.toml` and by the browser from JSON, and its validation.

use serde::{Deserialize, Serialize};

use crate::date::{parse_date, parse_month_day};
use crate::input::{field_kind, FieldKind, FIELDS, NOTICE_REASONS, PROVIDERS};
use crate::model::{State, AXES, STATES};
use crate::output::Link;
use crate::template::{placeholders, DYNAMIC_PLACEHOLDERS, MESSAGE_PLACEHOLDERS};
use crate::text_map::TextMap;

/// Everything the classification needs besides the input: thresholds (each with its source)
/// and the texts of every state, axis, field and message, per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The numbers the classification compares dates against, each with its source.
    pub thresholds: Thresholds,
    /// Error, warning and helper sentences.
    pub messages: LangMap<Messages>,
    /// Keyed by axis code (`annualReport`).
    pub axes: TextMap<LangMap<AxisTexts>>,
    /// Keyed by state code (`SERVER_EXPIRING_SOON`).
    pub states: TextMap<LangMap<StateTexts>>,
    /// Keyed by input field name (`serverExpiry`): form labels, hints and option labels.
    pub fields: TextMap<LangMap<FieldTexts>>,
    /// Keyed by `noticeReason` code (`not_resolving`): the fix for what a notice says is wrong,
    /// put after the first action of a `RECTIFICATION_*` result (contract v3).
    pub reasons: TextMap<LangMap<ReasonTexts>>,
}

/// One next step of a result, with what the classification needs to know about it.
///
/// In the data a plain step is a string; a step with marks is a table:
/// `{ text = "…", asks = ["miitLookup"], irreversible = true, when = "otherFilings!=yes" }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Action {
    /// What to do, in the texts' language (placeholders allowed).
    pub text: String,
    /// Input fields whose answer the step asks the reader to find out; the step is dropped
    /// when the reader already gave any of them (contract v3: ask nothing already answered).
    pub asks: Vec<String>,
    /// The step cannot be undone (注销主体, 注销网站). Such a text says what it deletes and when
    /// it is the way; tests find every irreversible step by this mark.
    pub irreversible: bool,
    /// `field=value` or `field!=value` on a choice field: the step is shown only when the
    /// condition holds (`otherFilings!=yes`). Empty: always.
    pub when: String,
}

impl Action {
    /// A plain step (no marks).
    pub fn plain(text: impl Into<String>) -> Self {
        Action {
            text: text.into(),
            ..Action::default()
        }
    }

    /// Whether the step has no marks (it is written as a plain string).
    pub fn is_plain(&self) -> bool {
        self.asks.is_empty() && !self.irreversible && self.when.is_empty()
    }

    /// The condition of `when` as (field, value, wanted): `otherFilings!=yes` is
    /// `("otherFilings", "yes", false)`. `None` when empty or malformed.
    pub fn condition(&self) -> Option<(&str, &str, bool)> {
        // A char pattern, not "!=": a string pattern pulls the two-way searcher into the
        // WebAssembly.
        let (f, v) = self.when.split_once('=')?;
        match f.strip_suffix('!') {
            Some(f) => Some((f.trim(), v.trim(), false)),
            None => Some((f.trim(), v.trim(), true)),
        }
    }
}

impl std::ops::Deref for Action {
    type Target = str;

    /// The step's text.
    fn deref(&self) -> &str {
        &self.text
    }
}

/// How an action is written in the data: a string, or a table with marks.
#[derive(Deserialize)]
#[serde(untagged)]
enum ActionRepr {
    Text(String),
    Marked(MarkedAction),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkedAction {
    text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    asks: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    irreversible: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    when: String,
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match ActionRepr::deserialize(d)? {
            ActionRepr::Text(text) => Action::plain(text),
            ActionRepr::Marked(m) => Action {
                text: m.text,
                asks: m.asks,
                irreversible: m.irreversible,
                when: m.when,
            },
        })
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_plain() {
            s.serialize_str(&self.text)
        } else {
            MarkedAction {
                text: self.text.clone(),
                asks: self.asks.clone(),
                irreversible: self.irreversible,
                when: self.when.clone(),
            }
            .serialize(s)
        }
    }
}

/// The fix for one notice reason, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonTexts {
    /// What the reason means, in the notices' words (the static table's heading).
    #[serde(default)]
    pub title: String,
    /// The steps of the fix, inserted after the state's first action.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Guide pages about this reason, appended to the result's links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The same texts in each language: zh-CN is required, en is optional and falls back to zh-CN
/// text by text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangMap<T> {
    // Defaulted so that a missing zh-CN table is reported by `Rules::validate` with the key path
    // and a fix, instead of as a bare parse error.
    /// The zh-CN texts (required).
    #[serde(rename = "zh-CN", default)]
    pub zh_cn: T,
    /// The English texts; a missing one falls back to zh-CN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<T>,
}

/// A rule value with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold<T> {
    /// The value the classification uses.
    pub value: T,
    /// Where the value comes from (a fact number and/or URL), or why it is a choice.
    pub source: String,
    /// The date the value was last checked against its source, `YYYY-MM-DD`.
    pub verified: String,
    /// Anything else a maintainer should know about the value (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A day of the year written `MM-DD` (`03-31`).
pub type MonthDay = String;

/// The thresholds of the contract. Names are the placeholders usable in texts
/// (`{server_expiring_soon_days}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A server expiring within this many days is `SERVER_EXPIRING_SOON` (30).
    pub server_expiring_soon_days: Threshold<i64>,
    /// A server expired more than this many days ago is `SERVER_EXPIRED_LONG_AGO` (365).
    pub server_expired_long_ago_days: Threshold<i64>,
    /// A domain expiring within this many days is `DOMAIN_EXPIRING_SOON` (30).
    pub domain_expiring_soon_days: Threshold<i64>,
    /// The last day to apply for licence renewal is this many days before expiry (90).
    pub licence_renewal_deadline_days: Threshold<i64>,
    /// Renewal is urgent (`LICENCE_RENEWAL_DEADLINE_NEAR`) when expiry is at most this many
    /// days away, i.e. 30 days or fewer are left to apply (120). A product threshold.
    pub licence_renewal_near_days: Threshold<i64>,
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

/// One threshold as [`Thresholds::entries`] lists it.
#[derive(Debug, Clone, Copy)]
pub enum ThresholdRef<'a> {
    /// A count of `unit`s (days or months), at most `max`.
    Count {
        /// The threshold.
        value: &'a Threshold<i64>,
        /// The largest value validation accepts.
        max: i64,
        /// `"days"` or `"months"`.
        unit: &'static str,
    },
    /// A day of the year.
    MonthDay(&'a Threshold<MonthDay>),
}

impl Thresholds {
    /// The threshold names, in the data's (and the struct's) order: the one list that reading,
    /// validation and the placeholder tables go through ([`Thresholds::entries`] pairs each
    /// name with its field).
    pub const NAMES: [&'static str; 12] = [
        "server_expiring_soon_days",
        "server_expired_long_ago_days",
        "domain_expiring_soon_days",
        "licence_renewal_deadline_days",
        "licence_renewal_near_days",
        "licence_renewal_due_days",
        "licence_validity_months",
        "refile_min_server_months",
        "refile_min_domain_months",
        "ga_filing_window_days",
        "annual_report_window_end",
        "annual_report_correction_end",
    ];

    /// Every threshold with its name (from [`Thresholds::NAMES`]), kind and bounds.
    pub fn entries(&self) -> [(&'static str, ThresholdRef<'_>); 12] {
        let count = |value, max, unit| ThresholdRef::Count { value, max, unit };
        let n = Self::NAMES;
        [
            (n[0], count(&self.server_expiring_soon_days, 3650, "days")),
            (
                n[1],
                count(&self.server_expired_long_ago_days, 3650, "days"),
            ),
            (n[2], count(&self.domain_expiring_soon_days, 3650, "days")),
            (
                n[3],
                count(&self.licence_renewal_deadline_days, 3650, "days"),
            ),
            (n[4], count(&self.licence_renewal_near_days, 3650, "days")),
            (n[5], count(&self.licence_renewal_due_days, 3650, "days")),
            (n[6], count(&self.licence_validity_months, 240, "months")),
            (n[7], count(&self.refile_min_server_months, 120, "months")),
            (n[8], count(&self.refile_min_domain_months, 120, "months")),
            (n[9], count(&self.ga_filing_window_days, 3650, "days")),
            (
                n[10],
                ThresholdRef::MonthDay(&self.annual_report_window_end),
            ),
            (
                n[11],
                ThresholdRef::MonthDay(&self.annual_report_correction_end),
            ),
        ]
    }
}

/// Sentences used around the results. Placeholders in braces are filled by the core.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// A key given more than once. `{label}`, `{field}`.
    #[serde(default)]
    pub duplicate_key: String,
    /// A contract-v1 `miitLookup` value. `{label}`, `{field}`, `{value}` (the v1 value),
    /// `{access}` (the `accessStatus` that replaces it).
    #[serde(default)]
    pub v1_lookup: String,
    /// A real date outside 1900-01-01 … 2199-12-31 (v3). `{label}`, `{field}`.
    #[serde(default)]
    pub date_out_of_range: String,
    /// An integer above 2^64 − 1 (v3). `{label}`, `{field}`.
    #[serde(default)]
    pub too_large: String,
    /// `noticeReceived: false` next to a notice deadline or reason (v3). `{label}`, `{field}`.
    #[serde(default)]
    pub notice_contradiction: String,
    /// Added to the summary of a `RECTIFICATION_OPEN` or `RECTIFICATION_DEADLINE_UNKNOWN`
    /// result when the server expires within the soon window (v3): `{server_expiry}`,
    /// `{n_server_days}`.
    #[serde(default)]
    pub server_renew_first: String,
    /// The same when the server expires today (`{server_expiry}`).
    #[serde(default)]
    pub server_renew_first_today: String,
    /// The `NO_INPUT` error: which inputs to give.
    #[serde(default)]
    pub no_input: String,
    /// `{label}`, `{field}`, `{value}`.
    #[serde(default)]
    pub date_implausible: String,
    /// Filled into `{not_checked}` of a state's texts when some refile checks lacked input;
    /// `{items}` lists them.
    #[serde(default)]
    pub not_checked: String,
    /// Filled into `{not_checked}` when every refile check ran.
    #[serde(default)]
    pub all_checked: String,
    /// Filled into `{estimated}` of the licence texts when the expiry was derived from the
    /// issue date (empty otherwise).
    #[serde(default)]
    pub licence_estimated: String,
    /// Joins list items (`、`).
    #[serde(default)]
    pub list_separator: String,
    /// Stands for `{days}` / `{abs_days}` in the static rules table (`N`).
    #[serde(default)]
    pub table_days: String,
    /// Stands for `{deadline}` in the static rules table.
    #[serde(default)]
    pub table_deadline: String,
    /// Stands for `{provider}` in the static rules table.
    #[serde(default)]
    pub table_provider: String,
    /// Stands for `{report_year}` and `{report_period}` in the static rules table.
    #[serde(default)]
    pub table_year: String,
    /// Stands for `{next_report_period}` in the static rules table.
    #[serde(default)]
    pub table_next_period: String,
    /// Stands for `{due_report_period}` in the static rules table.
    #[serde(default)]
    pub table_due_period: String,
    /// Severity names shown next to the colour and icon.
    #[serde(default)]
    pub severity_ok: String,
    /// The name of severity `info`.
    #[serde(default)]
    pub severity_info: String,
    /// The name of severity `warning`.
    #[serde(default)]
    pub severity_warning: String,
    /// The name of severity `danger`.
    #[serde(default)]
    pub severity_danger: String,
}

/// Texts of one axis.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisTexts {
    /// The axis's heading.
    #[serde(default)]
    pub title: String,
    /// What the axis is about (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Texts of one state in one language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateTexts {
    /// The result's heading.
    #[serde(default)]
    pub title: String,
    /// The condition in words, for the static table (`{server_expiring_soon_days}` etc.).
    #[serde(default)]
    pub condition: String,
    /// The result's summary (placeholders allowed).
    #[serde(default)]
    pub summary: String,
    /// What to do, in order.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Guide pages to read.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Extra actions and links for one provider, keyed by provider code (`aliyun`).
    #[serde(default, skip_serializing_if = "TextMap::is_empty")]
    pub providers: TextMap<ProviderTexts>,
    /// Replacement texts used when another axis's result would make the plain texts
    /// contradict it, keyed by variant code (see [`variants`]).
    #[serde(default, skip_serializing_if = "TextMap::is_empty")]
    pub variants: TextMap<VariantTexts>,
}

/// Texts that replace a state's own when a variant applies; empty fields keep the state's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantTexts {
    /// Replaces the state's title (empty: keep it).
    #[serde(default)]
    pub title: String,
    /// Replaces the state's summary (empty: keep it).
    #[serde(default)]
    pub summary: String,
    /// Replaces the state's actions (empty: keep them).
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Replaces the state's links (empty: keep them).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The text variant for the last day: used when a result's `deadline` is today or its `days`
/// is 0; its texts say that today is the last day (contract v3).
pub const LAST_DAY: &str = "last_day";
/// The text variant of an `ok` or `info` result shown beside a `warning` or `danger` one: it
/// never says that all is well or that nothing needs doing (contract v3).
pub const NEUTRAL: &str = "neutral";
/// The text variant of `RECTIFICATION_OPEN_SERVER_EXPIRED` without a notice deadline: its
/// texts say to find the deadline today (contract v3).
pub const DEADLINE_UNKNOWN: &str = "deadline_unknown";

/// The text variants a state has: (variant code, when it applies, whether the data must have
/// it). When several apply, the first in this list that the data has wins. Each variant the
/// data has needs zh-CN texts with a title and a summary.
pub fn variants(state: State) -> Vec<(&'static str, &'static str, bool)> {
    let mut out = Vec::new();
    if state.can_fall_on_today() {
        out.push((
            LAST_DAY,
            "the result's deadline is today or its days is 0",
            true,
        ));
    }
    if state == State::RectificationOpenServerExpired {
        out.push((DEADLINE_UNKNOWN, "no noticeDeadline was given", true));
    }
    match state.severity() {
        crate::model::Severity::Ok => out.push((
            NEUTRAL,
            "another result of the same output is warning or danger",
            true,
        )),
        crate::model::Severity::Info => out.push((
            NEUTRAL,
            "another result of the same output is warning or danger",
            false,
        )),
        _ => {}
    }
    out
}

/// Provider-specific additions to a state's texts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderTexts {
    /// Actions appended to the state's for this provider.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Links appended to the state's for this provider.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// Form texts of one input field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTexts {
    /// The field's label in the form and in messages (`{label}`).
    #[serde(default)]
    pub label: String,
    /// A line of help under the field (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Labels of the options of a choice field, keyed by option code.
    #[serde(default, skip_serializing_if = "TextMap::is_empty")]
    pub options: TextMap<String>,
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
    /// Returns every problem at once (empty: the data is usable).
    pub fn validate(&self) -> Vec<RulesProblem> {
        let mut v = Validator::default();
        v.thresholds(&self.thresholds);
        v.messages(&self.messages);
        v.axes(&self.axes);
        v.states(&self.states);
        v.fields(&self.fields);
        v.reasons(&self.reasons);
        v.problems
    }
}

#[derive(Default)]
struct Validator {
    problems: Vec<RulesProblem>,
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| (*p).to_owned()).collect()
}

impl Validator {
    fn push(&mut self, path: Vec<String>, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(RulesProblem {
            path,
            message: message.into(),
            help: help.into(),
        });
    }

    fn days(&mut self, name: &str, t: &Threshold<i64>, max: i64, unit: &str) {
        if t.value <= 0 || t.value > max {
            self.push(
                path(&["thresholds", name, "value"]),
                format!(
                    "threshold `{name}` is {}, which is not between 1 and {max} {unit}",
                    t.value
                ),
                format!("write a whole number of {unit} from 1 to {max}, as given by its source"),
            );
        }
        self.provenance(name, &t.source, &t.verified);
    }

    fn provenance(&mut self, name: &str, source: &str, verified: &str) {
        if source.trim().is_empty() {
            self.push(
                path(&["thresholds", name, "source"]),
                format!("threshold `{name}` has no source"),
                "say where the value comes from (a fact number and URL), or that it is an assumption and why",
            );
        }
        if parse_date(verified).is_none() {
            self.push(
                path(&["thresholds", name, "verified"]),
                format!("threshold `{name}` has verified = \"{verified}\", which is not a real YYYY-MM-DD date"),
                "write the day you last checked the value against its source, e.g. \"2026-11-27\"",
            );
        }
    }

    fn month_day(&mut self, name: &str, t: &Threshold<MonthDay>) -> Option<(u32, u32)> {
        self.provenance(name, &t.source, &t.verified);
        let md = parse_month_day(&t.value);
        if md.is_none() {
            self.push(
                path(&["thresholds", name, "value"]),
                format!("threshold `{name}` is \"{}\", which is not a day of the year written MM-DD", t.value),
                "write the month and day with two digits each, e.g. \"03-31\" (29 February is not allowed)",
            );
        }
        md
    }

    fn thresholds(&mut self, t: &Thresholds) {
        // Counts are checked here; the two days of the year below, where their order is.
        for (name, entry) in t.entries() {
            if let ThresholdRef::Count { value, max, unit } = entry {
                self.days(name, value, max, unit);
            }
        }
        if t.licence_renewal_deadline_days.value >= t.licence_renewal_near_days.value {
            self.push(
                path(&["thresholds", "licence_renewal_near_days", "value"]),
                format!(
                    "licence_renewal_near_days ({}) must be greater than licence_renewal_deadline_days ({})",
                    t.licence_renewal_near_days.value, t.licence_renewal_deadline_days.value
                ),
                "the urgent window ends on the last day to apply, so it must start before it; raise the near days or lower the deadline days",
            );
        }
        if t.licence_renewal_near_days.value >= t.licence_renewal_due_days.value {
            self.push(
                path(&["thresholds", "licence_renewal_due_days", "value"]),
                format!(
                    "licence_renewal_due_days ({}) must be greater than licence_renewal_near_days ({})",
                    t.licence_renewal_due_days.value, t.licence_renewal_near_days.value
                ),
                "the renewal-due window opens before the urgent one; raise the due days or lower the near days",
            );
        }
        if t.licence_renewal_due_days.value >= t.licence_validity_months.value.saturating_mul(28) {
            self.push(
                path(&["thresholds", "licence_renewal_due_days", "value"]),
                "licence_renewal_due_days is longer than the licence's validity",
                "check the units: licence_renewal_due_days counts days, licence_validity_months counts months",
            );
        }
        if t.server_expiring_soon_days.value >= t.server_expired_long_ago_days.value {
            self.push(
                path(&["thresholds", "server_expiring_soon_days", "value"]),
                "server_expiring_soon_days must be smaller than server_expired_long_ago_days",
                "these are a short warning window and a long overdue period; check the values against their sources",
            );
        }
        let window = self.month_day("annual_report_window_end", &t.annual_report_window_end);
        let correction = self.month_day(
            "annual_report_correction_end",
            &t.annual_report_correction_end,
        );
        if let (Some(w), Some(c)) = (window, correction) {
            if w >= c {
                self.push(
                    path(&["thresholds", "annual_report_correction_end", "value"]),
                    format!(
                        "annual_report_correction_end ({}) must come after annual_report_window_end ({})",
                        t.annual_report_correction_end.value, t.annual_report_window_end.value
                    ),
                    "the late-correction period follows the reporting window in the same year",
                );
            }
        }
    }

    fn placeholders(&mut self, at: Vec<String>, text: &str, allowed: &[&str]) {
        for name in placeholders(text) {
            if !allowed.contains(&name) {
                self.push(
                    at.clone(),
                    format!("unknown placeholder `{{{name}}}`"),
                    format!(
                        "use one of: {}",
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }

    fn required(&mut self, at: Vec<String>, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.push(
                at,
                format!("{what} is empty"),
                format!("write the {what} in plain zh-CN"),
            );
        }
    }

    fn messages(&mut self, m: &LangMap<Messages>) {
        for (lang, texts) in langs(m) {
            let fields: [(&str, &String); 28] = [
                ("invalid_date", &texts.invalid_date),
                ("invalid_choice", &texts.invalid_choice),
                ("invalid_bool", &texts.invalid_bool),
                ("invalid_count", &texts.invalid_count),
                ("unknown_field", &texts.unknown_field),
                ("duplicate_key", &texts.duplicate_key),
                ("v1_lookup", &texts.v1_lookup),
                ("date_out_of_range", &texts.date_out_of_range),
                ("too_large", &texts.too_large),
                ("notice_contradiction", &texts.notice_contradiction),
                ("server_renew_first", &texts.server_renew_first),
                ("server_renew_first_today", &texts.server_renew_first_today),
                ("no_input", &texts.no_input),
                ("date_implausible", &texts.date_implausible),
                ("not_checked", &texts.not_checked),
                ("all_checked", &texts.all_checked),
                ("licence_estimated", &texts.licence_estimated),
                ("list_separator", &texts.list_separator),
                ("table_days", &texts.table_days),
                ("table_deadline", &texts.table_deadline),
                ("table_provider", &texts.table_provider),
                ("table_year", &texts.table_year),
                ("table_next_period", &texts.table_next_period),
                ("table_due_period", &texts.table_due_period),
                ("severity_ok", &texts.severity_ok),
                ("severity_info", &texts.severity_info),
                ("severity_warning", &texts.severity_warning),
                ("severity_danger", &texts.severity_danger),
            ];
            for (key, text) in fields {
                let at = path(&["messages", lang, key]);
                // `all_checked` may be empty: nothing needs saying when every check ran.
                if lang == "zh-CN" && key != "all_checked" {
                    self.required(at.clone(), text, &format!("message `{key}`"));
                }
                self.placeholders(at, text, MESSAGE_PLACEHOLDERS);
            }
        }
    }

    fn axes(&mut self, axes: &TextMap<LangMap<AxisTexts>>) {
        for axis in AXES {
            match axes.get(axis.code()) {
                Some(map) => self.required(
                    path(&["axes", axis.code(), "zh-CN", "title"]),
                    &map.zh_cn.title,
                    &format!("title of axis `{}`", axis.code()),
                ),
                None => self.push(
                    path(&["axes"]),
                    format!("axis `{}` has no texts", axis.code()),
                    format!("add a [axes.{}.zh-CN] table with a title", axis.code()),
                ),
            }
        }
        for key in axes.keys() {
            if !AXES.iter().any(|a| a.code() == key) {
                self.push(
                    path(&["axes", key]),
                    format!("unknown axis `{key}`"),
                    format!(
                        "axes are: {}",
                        AXES.iter().map(|a| a.code()).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
    }

    fn states(&mut self, states: &TextMap<LangMap<StateTexts>>) {
        let mut allowed: Vec<&str> = DYNAMIC_PLACEHOLDERS.to_vec();
        allowed.extend(Thresholds::placeholder_names());
        for state in STATES {
            let code = state.code();
            let Some(map) = states.get(code) else {
                self.push(
                    path(&["states"]),
                    format!("state `{code}` has no texts"),
                    format!("add a [states.{code}.zh-CN] table with title, condition, summary, actions and links"),
                );
                continue;
            };
            let zh = &map.zh_cn;
            self.required(
                path(&["states", code, "zh-CN", "title"]),
                &zh.title,
                &format!("title of `{code}`"),
            );
            self.required(
                path(&["states", code, "zh-CN", "condition"]),
                &zh.condition,
                &format!("condition of `{code}`"),
            );
            self.required(
                path(&["states", code, "zh-CN", "summary"]),
                &zh.summary,
                &format!("summary of `{code}`"),
            );
            if zh.actions.iter().all(|a| a.trim().is_empty()) {
                self.push(
                    path(&["states", code, "zh-CN", "actions"]),
                    format!("state `{code}` has no zh-CN actions"),
                    "list at least one concrete next step: actions = [\"…\"]",
                );
            }
            // States without a key date cannot fill `{days}`, `{abs_days}`, `{deadline}` or
            // `{due_report_period}` (nor their `{n_…}` forms); only states that always have a
            // server expiry besides their own key date can fill `{server_expiry}` and
            // `{server_abs_days}`.
            let allowed = allowed_placeholders(*state, &allowed, state.has_deadline());
            let no_deadline = allowed_placeholders(*state, &allowed, false);
            for (lang, texts) in langs(map) {
                let base = |key: &str| path(&["states", code, lang, key]);
                self.placeholders(base("title"), &texts.title, &allowed);
                self.placeholders(base("condition"), &texts.condition, &allowed);
                self.placeholders(base("summary"), &texts.summary, &allowed);
                self.actions(base("actions"), &texts.actions, &allowed);
                self.links(base("links"), &texts.links);
                for (provider, extra) in &texts.providers {
                    let at = |key: &str| path(&["states", code, lang, "providers", provider, key]);
                    if !PROVIDERS.contains(&provider.as_str()) {
                        self.push(
                            path(&["states", code, lang, "providers", provider]),
                            format!("unknown provider `{provider}`"),
                            format!("providers are: {}", PROVIDERS.join(", ")),
                        );
                    }
                    self.actions(at("actions"), &extra.actions, &allowed);
                    self.links(at("links"), &extra.links);
                }
                let known = variants(*state);
                for (variant, texts) in &texts.variants {
                    let at = |key: &str| path(&["states", code, lang, "variants", variant, key]);
                    if !known.iter().any(|(v, _, _)| *v == variant.as_str()) {
                        self.push(
                            path(&["states", code, lang, "variants", variant]),
                            format!("`{variant}` is not a text variant of `{code}`"),
                            if known.is_empty() {
                                format!("`{code}` has no text variants; remove the table")
                            } else {
                                format!(
                                    "variants of `{code}` are: {}",
                                    known
                                        .iter()
                                        .map(|(v, when, _)| format!("{v} (used when {when})"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            },
                        );
                    }
                    // The deadline-less variant cannot fill the deadline's placeholders.
                    let allowed = if variant == DEADLINE_UNKNOWN {
                        &no_deadline
                    } else {
                        &allowed
                    };
                    self.placeholders(at("title"), &texts.title, allowed);
                    self.placeholders(at("summary"), &texts.summary, allowed);
                    self.actions(at("actions"), &texts.actions, allowed);
                    self.links(at("links"), &texts.links);
                }
            }
            for (variant, when, required) in variants(*state) {
                let v = zh.variants.get(variant);
                if v.is_none() && !required {
                    continue;
                }
                for (key, text) in [
                    ("title", v.map(|v| v.title.as_str())),
                    ("summary", v.map(|v| v.summary.as_str())),
                ] {
                    if text.is_none_or(|t| t.trim().is_empty()) {
                        self.push(
                            path(&["states", code, "zh-CN", "variants", variant, key]),
                            format!("state `{code}` has no zh-CN {key} for its variant `{variant}`"),
                            format!(
                                "add [states.{code}.zh-CN.variants.{variant}] with a title and a summary; it is shown when {when}"
                            ),
                        );
                    }
                }
            }
        }
        for key in states.keys() {
            if State::from_code(key).is_none() {
                self.push(
                    path(&["states", key]),
                    format!("unknown state `{key}`"),
                    "state codes are those of the checker contract, e.g. SERVER_EXPIRING_SOON; check the spelling",
                );
            }
        }
    }

    /// Placeholders of each step's text, and its marks: `asks` names input fields, `when` is
    /// `field=value` or `field!=value` on a choice field with one of its options.
    fn actions(&mut self, at: Vec<String>, actions: &[Action], allowed: &[&str]) {
        for (i, a) in actions.iter().enumerate() {
            let mut here = at.clone();
            here.push(i.to_string());
            self.placeholders(here.clone(), &a.text, allowed);
            for field in &a.asks {
                if field_kind(field).is_none() {
                    self.push(
                        here.clone(),
                        format!("`asks` names `{field}`, which is not an input field"),
                        "name the input field the step asks the reader to find out, e.g. asks = [\"miitLookup\"]",
                    );
                }
            }
            if a.when.is_empty() {
                continue;
            }
            let ok = a
                .condition()
                .is_some_and(|(field, value, _)| match field_kind(field) {
                    Some(FieldKind::Choice(options)) => options.contains(&value),
                    _ => false,
                });
            if !ok {
                self.push(
                    here,
                    format!("`when = \"{}\"` is not a condition on a choice field", a.when),
                    "write field=value or field!=value with a choice field and one of its options, e.g. when = \"otherFilings!=yes\"",
                );
            }
        }
    }

    fn reasons(&mut self, reasons: &TextMap<LangMap<ReasonTexts>>) {
        let codes: Vec<&str> = NOTICE_REASONS
            .iter()
            .copied()
            .filter(|r| *r != "unknown")
            .collect();
        let mut allowed: Vec<&str> = vec!["provider"];
        allowed.extend(Thresholds::placeholder_names());
        for code in &codes {
            let Some(map) = reasons.get(code) else {
                self.push(
                    path(&["reasons"]),
                    format!("notice reason `{code}` has no texts"),
                    format!("add a [reasons.{code}.zh-CN] table with a title and the actions of its fix"),
                );
                continue;
            };
            self.required(
                path(&["reasons", code, "zh-CN", "title"]),
                &map.zh_cn.title,
                &format!("title of reason `{code}`"),
            );
            if map.zh_cn.actions.is_empty() {
                self.push(
                    path(&["reasons", code, "zh-CN", "actions"]),
                    format!("notice reason `{code}` has no zh-CN actions"),
                    "list the steps that fix what the notice says is wrong: actions = [\"…\"]",
                );
            }
            for (lang, texts) in langs(map) {
                let at = |key: &str| path(&["reasons", code, lang, key]);
                self.placeholders(at("title"), &texts.title, &allowed);
                self.actions(at("actions"), &texts.actions, &allowed);
                self.links(at("links"), &texts.links);
            }
        }
        for key in reasons.keys() {
            if !codes.contains(&key.as_str()) {
                self.push(
                    path(&["reasons", key]),
                    format!("unknown notice reason `{key}`"),
                    format!("reasons are: {}", codes.join(", ")),
                );
            }
        }
    }

    fn links(&mut self, at: Vec<String>, links: &[Link]) {
        for link in links {
            if link.title.trim().is_empty() {
                self.push(
                    at.clone(),
                    format!("link to `{}` has no title", link.href),
                    "give the link a title",
                );
            }
            if !is_content_link(&link.href) {
                self.push(
                    at.clone(),
                    format!("link `{}` is not a content page path", link.href),
                    "write a path relative to content/ ending in .md, optionally with #anchor, e.g. \"guides/renewal.md\"",
                );
            }
        }
    }

    fn fields(&mut self, fields: &TextMap<LangMap<FieldTexts>>) {
        for &(name, kind) in FIELDS {
            let Some(map) = fields.get(name) else {
                self.push(
                    path(&["fields"]),
                    format!("input field `{name}` has no texts"),
                    format!("add a [fields.{name}.zh-CN] table with a label"),
                );
                continue;
            };
            self.required(
                path(&["fields", name, "zh-CN", "label"]),
                &map.zh_cn.label,
                &format!("label of `{name}`"),
            );
            let options: &[&str] = match kind {
                FieldKind::Choice(options) => options,
                _ => &[],
            };
            for option in options {
                if map
                    .zh_cn
                    .options
                    .get(option)
                    .is_none_or(|l| l.trim().is_empty())
                {
                    self.push(
                        path(&["fields", name, "zh-CN", "options"]),
                        format!("option `{option}` of `{name}` has no zh-CN label"),
                        format!("add {option} = \"…\" to the options table"),
                    );
                }
            }
            for (lang, texts) in langs(map) {
                for key in texts.options.keys() {
                    if !options.contains(&key.as_str()) {
                        self.push(
                            path(&["fields", name, lang, "options", key]),
                            format!("`{key}` is not an option of `{name}`"),
                            if options.is_empty() {
                                format!("`{name}` has no options; remove the options table")
                            } else {
                                format!("options are: {}", options.join(", "))
                            },
                        );
                    }
                }
            }
        }
        for key in fields.keys() {
            if field_kind(key).is_none() {
                self.push(
                    path(&["fields", key]),
                    format!("unknown input field `{key}`"),
                    format!(
                        "fields are: {}",
                        FIELDS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
    }
}

/// The placeholders a state's texts may use: `with_deadline` false removes the key date's
/// (`{days}`, `{deadline}` … and their `{n_…}` forms); the server's are kept only for the
/// states that always have a server expiry besides their key date (or may name it).
fn allowed_placeholders<'a>(state: State, all: &[&'a str], with_deadline: bool) -> Vec<&'a str> {
    all.iter()
        .copied()
        .filter(|p| {
            with_deadline
                || !matches!(
                    *p,
                    "days"
                        | "abs_days"
                        | "deadline"
                        | "deadline_days"
                        | "due_report_period"
                        | "n_days"
                        | "n_abs_days"
                        | "n_deadline_days"
                )
        })
        .filter(|p| {
            state == State::RectificationOpenServerExpired
                || !matches!(
                    *p,
                    "server_expiry" | "server_abs_days" | "n_server_abs_days"
                )
        })
        .collect()
}

/// The languages present in a map, with their codes.
fn langs<T>(map: &LangMap<T>) -> Vec<(&'static str, &T)> {
    let mut out = vec![("zh-CN", &map.zh_cn)];
    if let Some(en) = &map.en {
        out.push(("en", en));
    }
    out
}

/// A relative `.md` path under content/, optionally with `#anchor`: no scheme, no leading `/`,
/// no `..`, no backslashes.
pub fn is_content_link(href: &str) -> bool {
    let page = href.split_once('#').map_or(href, |(p, _)| p);
    page.ends_with(".md")
        && page.len() > 3
        && !page.starts_with('/')
        && !page.contains("://")
        && !page.contains('\\')
        && !page
            .split('/')
            .any(|seg| seg == ".." || seg == "." || seg.is_empty())
}
