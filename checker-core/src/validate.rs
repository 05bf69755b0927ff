//! Validation of the rules data ([`Rules::validate`]): every state, axis, field and reason has
//! its zh-CN texts, thresholds are in range and ordered, dates are real, placeholders, marks,
//! provider keys and variants are known, links are content paths.

use serde::Serialize;

use crate::date::{parse_date, parse_month_day};
use crate::input::{field_kind, FieldKind, FIELDS, NOTICE_REASONS, PROVIDERS};
use crate::model::{State, AXES, STATES};
use crate::output::Link;
use crate::rules::{
    variants, Action, AxisTexts, FieldTexts, LangMap, Messages, MonthDay, ReasonTexts, Rules,
    StateTexts, Threshold, ThresholdRef, Thresholds, DEADLINE_UNKNOWN,
};
use crate::template::{placeholders, DYNAMIC_PLACEHOLDERS, MESSAGE_PLACEHOLDERS};
use crate::text_map::TextMap;

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
        // Each pair must be in strictly increasing order: (where, smaller, larger, what is
        // wrong, what to do).
        let ordered: [(&str, i64, i64, String, &str); 4] = [
            (
                "licence_renewal_near_days",
                t.licence_renewal_deadline_days.value,
                t.licence_renewal_near_days.value,
                format!(
                    "licence_renewal_near_days ({}) must be greater than licence_renewal_deadline_days ({})",
                    t.licence_renewal_near_days.value, t.licence_renewal_deadline_days.value
                ),
                "the urgent window ends on the last day to apply, so it must start before it; raise the near days or lower the deadline days",
            ),
            (
                "licence_renewal_due_days",
                t.licence_renewal_near_days.value,
                t.licence_renewal_due_days.value,
                format!(
                    "licence_renewal_due_days ({}) must be greater than licence_renewal_near_days ({})",
                    t.licence_renewal_due_days.value, t.licence_renewal_near_days.value
                ),
                "the renewal-due window opens before the urgent one; raise the due days or lower the near days",
            ),
            (
                "licence_renewal_due_days",
                t.licence_renewal_due_days.value,
                t.licence_validity_months.value.saturating_mul(28),
                "licence_renewal_due_days is longer than the licence's validity".to_owned(),
                "check the units: licence_renewal_due_days counts days, licence_validity_months counts months",
            ),
            (
                "server_expiring_soon_days",
                t.server_expiring_soon_days.value,
                t.server_expired_long_ago_days.value,
                "server_expiring_soon_days must be smaller than server_expired_long_ago_days"
                    .to_owned(),
                "these are a short warning window and a long overdue period; check the values against their sources",
            ),
        ];
        for (name, smaller, larger, message, help) in ordered {
            if smaller >= larger {
                self.push(path(&["thresholds", name, "value"]), message, help);
            }
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
            match states.get(code) {
                Some(map) => self.state(*state, map, &allowed),
                None => self.push(
                    path(&["states"]),
                    format!("state `{code}` has no texts"),
                    format!("add a [states.{code}.zh-CN] table with title, condition, summary, actions and links"),
                ),
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

    /// The texts of one state, in every language, with `all` the placeholders a state may use.
    fn state(&mut self, state: State, map: &LangMap<StateTexts>, all: &[&str]) {
        let code = state.code();
        let zh = &map.zh_cn;
        for (key, text) in [
            ("title", &zh.title),
            ("condition", &zh.condition),
            ("summary", &zh.summary),
        ] {
            self.required(
                path(&["states", code, "zh-CN", key]),
                text,
                &format!("{key} of `{code}`"),
            );
        }
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
        let allowed = allowed_placeholders(state, all, state.has_deadline());
        let no_deadline = allowed_placeholders(state, &allowed, false);
        for (lang, texts) in langs(map) {
            self.state_texts(state, lang, texts, &allowed, &no_deadline);
        }
        self.required_variants(state, zh);
    }

    /// A state's texts in one language: placeholders, steps, provider additions and variants
    /// (`no_deadline`: the placeholders of the variant without a deadline).
    fn state_texts(
        &mut self,
        state: State,
        lang: &str,
        texts: &StateTexts,
        allowed: &[&str],
        no_deadline: &[&str],
    ) {
        let code = state.code();
        let base = |key: &str| path(&["states", code, lang, key]);
        self.placeholders(base("title"), &texts.title, allowed);
        self.placeholders(base("condition"), &texts.condition, allowed);
        self.placeholders(base("summary"), &texts.summary, allowed);
        self.steps(
            &["states", code, lang],
            &texts.actions,
            &texts.links,
            allowed,
        );
        for (provider, extra) in &texts.providers {
            let at = ["states", code, lang, "providers", provider.as_str()];
            if !PROVIDERS.contains(&provider.as_str()) {
                self.push(
                    path(&at),
                    format!("unknown provider `{provider}`"),
                    format!("providers are: {}", PROVIDERS.join(", ")),
                );
            }
            self.steps(&at, &extra.actions, &extra.links, allowed);
        }
        let known = variants(state);
        for (variant, texts) in &texts.variants {
            let at = ["states", code, lang, "variants", variant.as_str()];
            if !known.iter().any(|(v, _, _)| *v == variant.as_str()) {
                self.push(
                    path(&at),
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
                no_deadline
            } else {
                allowed
            };
            let key = |k: &str| path(&[&at[..], &[k]].concat());
            self.placeholders(key("title"), &texts.title, allowed);
            self.placeholders(key("summary"), &texts.summary, allowed);
            self.steps(&at, &texts.actions, &texts.links, allowed);
        }
    }

    /// The zh-CN title and summary of each variant the data must have, or has.
    fn required_variants(&mut self, state: State, zh: &StateTexts) {
        let code = state.code();
        for (variant, when, required) in variants(state) {
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

    /// The `actions` and `links` of a table at `at` (a state's texts, a provider's additions, a
    /// variant, a reason's fix): each step's placeholders and marks, then each link.
    fn steps(&mut self, at: &[&str], actions: &[Action], links: &[Link], allowed: &[&str]) {
        let key = |k: &str| path(&[at, &[k]].concat());
        self.actions(key("actions"), actions, allowed);
        self.links(key("links"), links);
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
                let at = ["reasons", code, lang];
                self.placeholders(
                    path(&[&at[..], &["title"]].concat()),
                    &texts.title,
                    &allowed,
                );
                self.steps(&at, &texts.actions, &texts.links, &allowed);
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
