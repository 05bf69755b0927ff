//! The classification: input object in, output object out, following the contract row by row.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::date::{add_days, add_months, days_between, format_date, in_year, parse_month_day};
use crate::input::{
    parse_entries, Access, Billing, FieldKind, FieldProblem, Input, Lang, Lookup, OtherFilings,
    ProblemKind, FIELDS,
};
use crate::json::Json;
use crate::model::{Severity, State};
use crate::output::{
    AxisResult, ErrorCode, InputError, Link, Output, UsageError, Warning, WarningCode,
};
use crate::rules::{
    variants, Action, Messages, Rules, StateTexts, VariantTexts, DEADLINE_UNKNOWN, LAST_DAY,
    NEUTRAL,
};
use crate::template::fill;
use crate::text::{count_days, lang_texts, list_or_fallback, or_fallback, report_period};

/// The largest input text either front door accepts, in bytes (1 MB). The command checks it
/// while reading, so a larger input is never read whole.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Classifies a JSON text. Not JSON, not an object, or more than [`MAX_INPUT_BYTES`] is a
/// [`UsageError`]. The object's keys are read as written, so a key given twice is an
/// `INVALID_VALUE` error on that key (a parsed [`Value`] would silently keep the last one).
/// A UTF-8 byte order mark at the very start is ignored, after the size check (it counts
/// toward the limit); one anywhere else outside a string is not JSON (contract v3).
pub fn classify_json(
    input: &str,
    rules: &Rules,
    default_today: NaiveDate,
) -> Result<Output, UsageError> {
    if u64::try_from(input.len()).unwrap_or(u64::MAX) > MAX_INPUT_BYTES {
        return Err(UsageError::TooLarge(MAX_INPUT_BYTES));
    }
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    match crate::json::parse(input).map_err(|e| UsageError::NotJson(e.to_string()))? {
        Json::Object(entries) => {
            let entries: Vec<(&str, &Json)> =
                entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
            Ok(classify_entries(&entries, rules, default_today))
        }
        _ => Err(UsageError::NotAnObject),
    }
}

/// Classifies a JSON value; `default_today` is used when the input has no `today`.
///
/// The rules are expected to have passed [`Rules::validate`]; unvalidated rules never cause a
/// panic, only odd texts or thresholds.
pub fn classify_value(
    input: &Value,
    rules: &Rules,
    default_today: NaiveDate,
) -> Result<Output, UsageError> {
    let Value::Object(map) = input else {
        return Err(UsageError::NotAnObject);
    };
    let values: Vec<(&str, Json)> = map
        .iter()
        .map(|(k, v)| (k.as_str(), Json::from(v)))
        .collect();
    let entries: Vec<(&str, &Json)> = values.iter().map(|(k, v)| (*k, v)).collect();
    Ok(classify_entries(&entries, rules, default_today))
}

/// Validates and classifies the entries of an input object.
fn classify_entries(entries: &[(&str, &Json)], rules: &Rules, default_today: NaiveDate) -> Output {
    match parse_entries(entries) {
        Err(problems) => {
            // Messages follow the requested language, and the output's today is the given one,
            // when that field itself is valid (given once, with a good value).
            let single = |name: &str| {
                let mut found = entries.iter().filter(|(k, _)| *k == name);
                match (found.next(), found.next()) {
                    (Some((_, v)), None) => v.as_str(),
                    _ => None,
                }
            };
            let lang = single("lang").and_then(Lang::from_code).unwrap_or_default();
            let today = single("today")
                .and_then(crate::date::parse_date)
                .filter(|d| crate::input::in_range(*d))
                .unwrap_or(default_today);
            error_output(&problems, rules, lang, today)
        }
        Ok(input) => classify_input(&input, rules, default_today),
    }
}

/// The output for invalid input: every problem, no results, no warnings, and `today` (the
/// given today when it is valid, else the default).
fn error_output(
    problems: &[FieldProblem],
    rules: &Rules,
    lang: Lang,
    default_today: NaiveDate,
) -> Output {
    Output {
        today: format_date(default_today),
        results: Vec::new(),
        warnings: Vec::new(),
        errors: {
            // Computed once: 70,000 unknown keys must not rebuild it 70,000 times.
            let separator = rules.message(lang, |m| &m.list_separator);
            let fields = FIELDS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(&separator);
            problems
                .iter()
                .map(|p| error_for(p, rules, lang, &fields))
                .collect()
        },
    }
}

/// Classifies an already validated input.
pub(crate) fn classify_input(input: &Input, rules: &Rules, default_today: NaiveDate) -> Output {
    let today = input.today.unwrap_or(default_today);
    let ctx = Ctx {
        input,
        rules,
        today,
    };
    let refile = ctx.refile();
    let axes = [
        ctx.filing(),
        refile,
        ctx.domain(refile.is_some()),
        ctx.licence(),
        ctx.annual_report(),
        ctx.public_security(),
    ];
    let mut found: Vec<Found> = axes.into_iter().flatten().collect();
    // Never "fine" beside an open problem: an ok or info result next to a warning or danger
    // one uses its neutral texts (where the data has them).
    let alarm = found
        .iter()
        .any(|f| f.state.severity() >= Severity::Warning);
    for f in &mut found {
        f.neutral = alarm && f.state.severity() <= Severity::Info;
    }
    let results: Vec<AxisResult> = found.into_iter().map(|f| ctx.render(f)).collect();
    if results.is_empty() {
        return Output {
            today: format_date(today),
            results,
            warnings: Vec::new(),
            errors: vec![InputError {
                code: ErrorCode::NoInput,
                field: None,
                message: rules.message(input.lang, |m| &m.no_input),
            }],
        };
    }
    Output {
        today: format_date(today),
        results,
        warnings: ctx.warnings(),
        errors: Vec::new(),
    }
}

/// The texts of an error for one invalid field.
fn error_for(problem: &FieldProblem, rules: &Rules, lang: Lang, fields: &str) -> InputError {
    let label = rules.field_label(&problem.field, lang);
    let pick: fn(&Messages) -> &String = match problem.kind {
        ProblemKind::UnknownField => |m| &m.unknown_field,
        ProblemKind::DuplicateKey => |m| &m.duplicate_key,
        ProblemKind::V1Lookup(..) => |m| &m.v1_lookup,
        ProblemKind::DateOutOfRange => |m| &m.date_out_of_range,
        ProblemKind::TooLarge => |m| &m.too_large,
        ProblemKind::NoticeContradiction => |m| &m.notice_contradiction,
        ProblemKind::BadValue(FieldKind::Date) => |m| &m.invalid_date,
        ProblemKind::BadValue(FieldKind::Bool) => |m| &m.invalid_bool,
        ProblemKind::BadValue(FieldKind::Count) => |m| &m.invalid_count,
        ProblemKind::BadValue(FieldKind::Choice(_)) => |m| &m.invalid_choice,
    };
    let separator = rules.message(lang, |m| &m.list_separator);
    let options = match problem.kind {
        ProblemKind::BadValue(FieldKind::Choice(options)) => options
            .iter()
            .map(|o| {
                let label = rules.option_label(&problem.field, o, lang);
                match lang {
                    Lang::ZhCn => format!("{o}（{label}）"),
                    Lang::En => format!("{o} ({label})"),
                }
            })
            .collect::<Vec<_>>()
            .join(&separator),
        _ => String::new(),
    };
    let (value, access) = match problem.kind {
        ProblemKind::V1Lookup(old, access) => (old, access),
        _ => ("", ""),
    };
    let message = fill(&rules.message(lang, pick), &|name| match name {
        "label" => Some(label.clone()),
        "field" => Some(problem.field.clone()),
        "options" => Some(options.clone()),
        "fields" => Some(fields.to_owned()),
        "value" => Some(value.to_owned()),
        "access" => Some(access.to_owned()),
        _ => None,
    });
    InputError {
        code: problem.code,
        field: Some(problem.field.clone()),
        message,
    }
}

/// A state found for one axis, with its key numbers, before texts are attached.
#[derive(Clone, Copy)]
struct Found {
    state: State,
    days: Option<i64>,
    deadline: Option<NaiveDate>,
    /// The key date was derived (licence expiry from the issue date).
    estimated: bool,
    /// Another result of the same output is warning or danger (set after all axes ran).
    neutral: bool,
}

impl Found {
    fn bare(state: State) -> Self {
        Found {
            state,
            days: None,
            deadline: None,
            estimated: false,
            neutral: false,
        }
    }

    fn dated(state: State, days: i64, deadline: NaiveDate) -> Self {
        Found {
            days: Some(days),
            deadline: Some(deadline),
            ..Found::bare(state)
        }
    }
}

/// What the placeholders of one result's texts stand for.
struct Values {
    lang: Lang,
    days: Option<i64>,
    deadline: Option<NaiveDate>,
    /// Days from today to the deadline.
    deadline_days: Option<i64>,
    provider: String,
    /// The year whose annual report is due this year.
    report_year: i32,
    not_checked: String,
    estimated: String,
    server: Option<NaiveDate>,
    /// Days from today to the server's expiry.
    server_days: Option<i64>,
    /// (threshold name, value as the texts write it).
    thresholds: Vec<(&'static str, String)>,
}

impl Values {
    /// The value of placeholder `name`; `None` for an unknown one or one this result lacks.
    fn get(&self, name: &str) -> Option<String> {
        let lang = self.lang;
        let days = self.days;
        match name {
            "days" => days.map(|d| d.to_string()),
            "abs_days" => days.map(|d| d.abs().to_string()),
            "n_days" => days.map(|d| count_days(d, lang)),
            "n_abs_days" => days.map(|d| count_days(d.abs(), lang)),
            "deadline" => self.deadline.map(format_date),
            "deadline_days" => self.deadline_days.map(|d| d.to_string()),
            "n_deadline_days" => self.deadline_days.map(|d| count_days(d, lang)),
            "provider" => Some(self.provider.clone()),
            "report_year" => Some(self.report_year.to_string()),
            "report_period" => Some(report_period(self.report_year, lang)),
            "next_report_period" => Some(report_period(self.report_year + 1, lang)),
            "due_report_period" => self.deadline.map(|d| report_period(d.year() - 1, lang)),
            "not_checked" => Some(self.not_checked.clone()),
            "estimated" => Some(self.estimated.clone()),
            "server_expiry" => self.server.map(format_date),
            "server_abs_days" => self.server_days.map(|d| d.abs().to_string()),
            "n_server_abs_days" => self.server_days.map(|d| count_days(d.abs(), lang)),
            "n_server_days" => self.server_days.map(|d| count_days(d, lang)),
            _ => self
                .thresholds
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone()),
        }
    }
}

struct Ctx<'a> {
    input: &'a Input,
    rules: &'a Rules,
    today: NaiveDate,
}

impl Ctx<'_> {
    fn days_to(&self, date: NaiveDate) -> i64 {
        days_between(self.today, date)
    }

    fn filing(&self) -> Option<Found> {
        let i = self.input;
        let t = &self.rules.thresholds;
        if i.miit_lookup == Lookup::NotFound {
            return Some(Found::bare(State::FilingCancelledRefile));
        }
        if i.access_status == Access::Cancelled {
            return Some(Found::bare(match i.other_filings {
                OtherFilings::Yes => State::AccessCancelledOtherFilings,
                OtherFilings::No => State::AccessCancelledShell,
                OtherFilings::Unknown => State::AccessCancelled,
            }));
        }
        let server_days = i.server_expiry.map(|e| self.days_to(e));
        let server_expired = server_days.is_some_and(|s| s < 0);
        if let Some(deadline) = i.notice_deadline {
            let d = self.days_to(deadline);
            let state = if d < 0 {
                State::RectificationOverdue
            } else if server_expired {
                State::RectificationOpenServerExpired
            } else {
                State::RectificationOpen
            };
            return Some(Found::dated(state, d, deadline));
        }
        // A notice came, its deadline not known: the notice is open (v3).
        if i.notice_came() {
            return Some(Found::bare(if server_expired {
                State::RectificationOpenServerExpired
            } else {
                State::RectificationDeadlineUnknown
            }));
        }
        if let (Some(expiry), Some(d)) = (i.server_expiry, server_days) {
            let state = if d < -t.server_expired_long_ago_days.value {
                State::ServerExpiredLongAgo
            } else if d < 0 {
                State::ServerExpiredFilingAtRisk
            } else if d == 0 {
                State::ServerExpiresToday
            } else if d <= t.server_expiring_soon_days.value {
                State::ServerExpiringSoon
            } else {
                State::ServerActive
            };
            return Some(Found::dated(state, d, expiry));
        }
        match (i.access_status, i.miit_lookup) {
            (Access::Active, _) => Some(Found::bare(State::FilingActive)),
            (_, Lookup::Found) => Some(Found::bare(State::FilingFound)),
            _ => None,
        }
    }

    /// The last day a domain may expire on and still be too short to file
    /// (today + `refile_min_domain_months`; beyond chrono's range it still compares).
    fn domain_limit(&self) -> NaiveDate {
        add_months(
            self.today,
            self.rules.thresholds.refile_min_domain_months.value,
        )
        .unwrap_or(NaiveDate::MAX)
    }

    fn refile(&self) -> Option<Found> {
        let i = self.input;
        let t = &self.rules.thresholds;
        let any_check = i.server_billing.is_some()
            || i.server_purchase_months.is_some()
            || i.domain_expiry.is_some();
        let gone = i.miit_lookup == Lookup::NotFound || i.access_status == Access::Cancelled;
        if i.planning_refile != Some(true) && !(gone && any_check) {
            return None;
        }
        let too_few_months = i
            .server_purchase_months
            .is_some_and(|m| i128::from(m) < i128::from(t.refile_min_server_months.value));
        if i.server_billing == Some(Billing::PayAsYouGo) || too_few_months {
            return Some(Found::bare(State::ServerIneligibleForFiling));
        }
        if i.domain_expiry.is_some_and(|e| e <= self.domain_limit()) {
            return Some(Found::bare(State::DomainTooShortForFiling));
        }
        if !any_check {
            return Some(Found::bare(State::RefileNotChecked));
        }
        Some(Found::bare(State::RefileEligible))
    }

    /// The fields whose refile checks did not run (their inputs were not given).
    fn not_checked(&self) -> Vec<&'static str> {
        let i = self.input;
        let mut out = Vec::new();
        if i.server_billing.is_none() {
            out.push("serverBilling");
        }
        if i.server_purchase_months.is_none() {
            out.push("serverPurchaseMonths");
        }
        if i.domain_expiry.is_none() {
            out.push("domainExpiry");
        }
        out
    }

    fn domain(&self, refile_present: bool) -> Option<Found> {
        let expiry = self.input.domain_expiry?;
        let d = self.days_to(expiry);
        let state = if d < 0 {
            State::DomainExpired
        } else if d <= self.rules.thresholds.domain_expiring_soon_days.value {
            State::DomainExpiringSoon
        } else if refile_present && expiry <= self.domain_limit() {
            State::DomainTooShortToFile
        } else {
            State::DomainOk
        };
        Some(Found::dated(state, d, expiry))
    }

    /// The licence's expiry: `licenceExpiry`, else `licenceIssue` + the validity (estimated).
    fn licence_expiry(&self) -> Option<(NaiveDate, bool)> {
        let months = self.rules.thresholds.licence_validity_months.value;
        match (self.input.licence_expiry, self.input.licence_issue) {
            (Some(expiry), _) => Some((expiry, false)),
            (None, Some(issue)) => add_months(issue, months).map(|e| (e, true)),
            (None, None) => None,
        }
    }

    fn licence(&self) -> Option<Found> {
        let t = &self.rules.thresholds;
        let (expiry, estimated) = self.licence_expiry()?;
        let d = self.days_to(expiry);
        let deadline = add_days(expiry, -t.licence_renewal_deadline_days.value)?;
        let state = if d < 0 {
            State::LicenceExpired
        } else if d < t.licence_renewal_deadline_days.value {
            State::LicenceRenewalDeadlineMissed
        } else if d <= t.licence_renewal_near_days.value {
            State::LicenceRenewalDeadlineNear
        } else if d <= t.licence_renewal_due_days.value {
            State::LicenceRenewalDue
        } else {
            State::LicenceValid
        };
        Some(Found {
            estimated,
            ..Found::dated(state, d, deadline)
        })
    }

    fn annual_report(&self) -> Option<Found> {
        let t = &self.rules.thresholds;
        let i = self.input;
        if i.annual_report_filed.is_none()
            && i.licence_expiry.is_none()
            && i.licence_issue.is_none()
        {
            return None;
        }
        let this_year = self.today.year();
        let report_year = this_year - 1;
        let issue = match (i.licence_issue, i.licence_expiry) {
            (Some(issue), _) => Some(issue),
            (None, Some(expiry)) => add_months(expiry, -t.licence_validity_months.value),
            (None, None) => None,
        };
        let issued_after_report_year = issue.is_some_and(|d| d.year() > report_year);
        if i.annual_report_filed == Some(true) || issued_after_report_year {
            return Some(Found::bare(State::AnnualReportNotDue));
        }
        let md = |md: &str| parse_month_day(md).unwrap_or((3, 31));
        let (wm, wd) = md(&t.annual_report_window_end.value);
        let (cm, cd) = md(&t.annual_report_correction_end.value);
        let window_end = in_year(this_year, wm, wd);
        let after_window = window_end.is_none_or(|end| self.today > end);
        // The year the report in question covers: last year, or this year when the reader
        // did not say and this year's window is over (the report due next).
        let covered = if i.annual_report_filed.is_none() && after_window {
            this_year
        } else {
            report_year
        };
        let expired_before = self
            .licence_expiry()
            .is_some_and(|(expiry, _)| expiry.year() < covered);
        if expired_before {
            return Some(Found::bare(State::AnnualReportNoLicenceInYear));
        }
        if i.annual_report_filed.is_none() {
            // The first end of a reporting window on or after today.
            let deadline = match window_end {
                Some(end) if !after_window => end,
                _ => this_year.checked_add(1).and_then(|y| in_year(y, wm, wd))?,
            };
            return Some(Found {
                deadline: Some(deadline),
                ..Found::bare(State::AnnualReportSchedule)
            });
        }
        let correction_end = in_year(this_year, cm, cd);
        let found = match (window_end, correction_end) {
            (Some(end), _) if self.today <= end => Found {
                deadline: Some(end),
                ..Found::bare(State::AnnualReportWindowOpen)
            },
            (_, Some(end)) if self.today <= end => Found {
                deadline: Some(end),
                ..Found::bare(State::AnnualReportLateCorrection)
            },
            _ => Found::bare(State::AnnualReportMissed),
        };
        Some(found)
    }

    fn public_security(&self) -> Option<Found> {
        let opened = self.input.site_opened?;
        if self.input.ga_filed == Some(true) {
            return Some(Found::bare(State::GaFiled));
        }
        let window = self.rules.thresholds.ga_filing_window_days.value;
        let deadline = add_days(opened, window)?;
        let state = match self.input.ga_filed {
            None => State::GaDeadline,
            Some(_) if days_between(opened, self.today) <= window => State::GaWindowOpen,
            Some(_) => State::GaOverdue,
        };
        Some(Found::dated(state, self.days_to(deadline), deadline))
    }

    /// The variant whose texts replace the state's own, if any applies and the data has it:
    /// the last day first, then the deadline-less notice, then the neutral texts.
    fn variant_code(&self, found: &Found) -> Option<&'static str> {
        let last_day = found.days == Some(0) || found.deadline == Some(self.today);
        variants(found.state)
            .into_iter()
            .map(|(code, _, _)| code)
            .filter(|&code| match code {
                LAST_DAY => last_day,
                DEADLINE_UNKNOWN => found.deadline.is_none(),
                NEUTRAL => found.neutral,
                _ => false,
            })
            .find(|code| {
                self.rules
                    .states
                    .get(found.state.code())
                    .is_some_and(|m| m.zh_cn.variants.contains_key(code))
            })
    }

    /// Whether a step is shown for this input: its condition holds and it asks for nothing
    /// the reader already gave.
    fn keeps(&self, action: &Action) -> bool {
        let asked_answered = action.asks.iter().any(|f| self.input.answered(f));
        let condition = action.condition().is_none_or(|(field, value, wanted)| {
            (self.input.choice(field) == Some(value)) == wanted
        });
        !asked_answered && condition
    }

    /// The values of the placeholders in a found state's texts.
    fn values(&self, found: &Found) -> Values {
        let (lang, rules) = (self.input.lang, self.rules);
        let server = self.input.server_expiry;
        let server_days = server.map(|s| self.days_to(s));
        Values {
            lang,
            // `{days}` in texts: the result's days, or the days left to its deadline where the
            // contract gives a deadline but no days (annual report).
            days: found
                .days
                .or_else(|| found.deadline.map(|d| self.days_to(d))),
            deadline: found.deadline,
            deadline_days: found.deadline.map(|d| self.days_to(d)),
            provider: rules.option_label("provider", self.input.provider.code(), lang),
            report_year: self.today.year() - 1,
            not_checked: self.not_checked_text(found),
            estimated: if found.estimated {
                rules.message(lang, |m| &m.licence_estimated)
            } else {
                String::new()
            },
            server,
            server_days,
            thresholds: rules.thresholds.placeholder_values(lang),
        }
    }

    /// `{not_checked}`: on `REFILE_ELIGIBLE`, which refile checks lacked input (or that all
    /// ran); empty elsewhere.
    fn not_checked_text(&self, found: &Found) -> String {
        let (lang, rules) = (self.input.lang, self.rules);
        if found.state != State::RefileEligible {
            return String::new();
        }
        let fields = self.not_checked();
        if fields.is_empty() {
            return rules.message(lang, |m| &m.all_checked);
        }
        let separator = rules.message(lang, |m| &m.list_separator);
        let items = fields
            .iter()
            .map(|f| rules.field_label(f, lang))
            .collect::<Vec<_>>()
            .join(&separator);
        fill(&rules.message(lang, |m| &m.not_checked), &|name| {
            (name == "items").then(|| items.clone())
        })
    }

    /// A notice row hides the server row, not the fact: on an open notice, the sentence naming
    /// a server that expires within the soon window (v3); empty otherwise.
    fn server_note(&self, found: &Found, value: &dyn Fn(&str) -> Option<String>) -> String {
        let server = self.input.server_expiry;
        let soon = self.rules.thresholds.server_expiring_soon_days.value;
        let server_soon = matches!(
            found.state,
            State::RectificationOpen | State::RectificationDeadlineUnknown
        ) && server.is_some_and(|s| (0..=soon).contains(&self.days_to(s)));
        if !server_soon {
            return String::new();
        }
        let pick: fn(&Messages) -> &String = if server == Some(self.today) {
            |m| &m.server_renew_first_today
        } else {
            |m| &m.server_renew_first
        };
        fill(&self.rules.message(self.input.lang, pick), value)
    }

    /// Attaches the texts of the output language to a found state.
    fn render(&self, found: Found) -> AxisResult {
        let lang = self.input.lang;
        let rules = self.rules;
        let empty = StateTexts::default();
        let (texts, zh) = match rules.states.get(found.state.code()) {
            Some(map) => lang_texts(map, lang),
            None => (&empty, &empty),
        };
        let no_variant = VariantTexts::default();
        let (variant, zh_variant) = match self.variant_code(&found) {
            Some(code) => (
                texts.variants.get(code).unwrap_or(&no_variant),
                zh.variants.get(code).unwrap_or(&no_variant),
            ),
            None => (&no_variant, &no_variant),
        };
        let values = self.values(&found);
        let value = |name: &str| values.get(name);
        let render_actions = |list: &[Action]| -> Vec<String> {
            list.iter()
                .filter(|a| self.keeps(a))
                .map(|a| fill(a, &value))
                .collect()
        };
        let own = {
            let v = list_or_fallback(&variant.actions, &zh_variant.actions);
            if v.is_empty() {
                list_or_fallback(&texts.actions, &zh.actions)
            } else {
                v
            }
        };
        let mut actions = render_actions(own);
        let variant_links = list_or_fallback(&variant.links, &zh_variant.links);
        let links_src = if variant_links.is_empty() {
            list_or_fallback(&texts.links, &zh.links)
        } else {
            variant_links
        };
        let link = |l: &Link| Link {
            title: fill(&l.title, &value),
            href: l.href.clone(),
        };
        let mut links: Vec<Link> = links_src.iter().map(link).collect();
        // The notice's reason: its fix right after the state's first action (v3).
        let reason = self
            .input
            .notice_reason
            .code()
            .filter(|_| found.state.is_rectification());
        if let Some(code) = reason {
            if let Some(map) = rules.reasons.get(code) {
                let (r, zr) = lang_texts(map, lang);
                let fix = render_actions(list_or_fallback(&r.actions, &zr.actions));
                let rest = actions.split_off(actions.len().min(1));
                actions.extend(fix);
                actions.extend(rest);
                links.extend(list_or_fallback(&r.links, &zr.links).iter().map(link));
            }
        }
        let provider_texts = texts
            .providers
            .get(self.input.provider.code())
            .or_else(|| zh.providers.get(self.input.provider.code()));
        if let Some(extra) = provider_texts {
            actions.extend(render_actions(&extra.actions));
            links.extend(extra.links.iter().map(link));
        }
        let title = or_fallback(
            or_fallback(&variant.title, &zh_variant.title),
            or_fallback(&texts.title, &zh.title),
        );
        let summary = or_fallback(
            or_fallback(&variant.summary, &zh_variant.summary),
            or_fallback(&texts.summary, &zh.summary),
        );
        let mut summary = fill(summary, &value);
        let note = self.server_note(&found, &value);
        if !note.is_empty() {
            if !summary.is_empty() {
                summary.push_str(if lang == Lang::En { " " } else { "" });
            }
            summary.push_str(&note);
        }
        AxisResult {
            axis: found.state.axis(),
            state: found.state,
            severity: found.state.severity(),
            days: found.days,
            deadline: found.deadline.map(format_date),
            estimated: found.estimated.then_some(true),
            reason: reason.map(str::to_owned),
            title: fill(title, &value),
            summary,
            actions,
            links,
        }
    }

    /// `DATE_IMPLAUSIBLE` for every present date before 2000-01-01 or after today + 120 months.
    fn warnings(&self) -> Vec<Warning> {
        let lang = self.input.lang;
        let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
        let latest = add_months(self.today, 120).unwrap_or(NaiveDate::MAX);
        self.input
            .dates()
            .into_iter()
            .filter(|(field, d)| *field != "today" && (*d < earliest || *d > latest))
            .map(|(field, d)| {
                let label = self.rules.field_label(field, lang);
                let message = fill(
                    &self.rules.message(lang, |m| &m.date_implausible),
                    &|name| match name {
                        "label" => Some(label.clone()),
                        "field" => Some(field.to_owned()),
                        "value" => Some(format_date(d)),
                        _ => None,
                    },
                );
                Warning {
                    code: WarningCode::DateImplausible,
                    field: field.to_owned(),
                    message,
                }
            })
            .collect()
    }
}

/// Checks an input object without classifying it: the validation the generator applies to a
/// preset in a ```` ```checker ```` block. Same rules as [`classify_value`].
pub fn check_input(map: &serde_json::Map<String, Value>) -> Result<(), Vec<FieldProblem>> {
    crate::input::parse_input(map).map(|_| ())
}
