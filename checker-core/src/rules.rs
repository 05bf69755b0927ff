//! The rules data (thresholds and texts), loaded by the generator from
//! `content/checker/rules.toml` and by the browser from JSON (`rules_json.rs`); its validation
//! is in `validate.rs`.

use serde::{Deserialize, Serialize};

use crate::model::State;
use crate::output::Link;
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
