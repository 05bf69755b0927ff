//! The classification: input object in, output object out, following the contract row by row.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::date::{add_days, add_months, days_between, format_date, in_year, parse_month_day};
use crate::input::{
    parse_entries, Access, Billing, FieldKind, FieldProblem, Input, Lang, Lookup, ProblemKind,
    FIELDS,
};
use crate::json::Json;
use crate::model::State;
use crate::output::{
    AxisResult, ErrorCode, InputError, Link, Output, UsageError, Warning, WarningCode,
};
use crate::rules::{Messages, Rules, StateTexts, VariantTexts};
use crate::template::fill;
use crate::text::{lang_texts, list_or_fallback, or_fallback, report_period};

/// The largest input text either front door accepts, in bytes (1 MB). The command checks it
/// while reading, so a larger input is never read whole.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Classifies a JSON text. Not JSON, not an object, or more than [`MAX_INPUT_BYTES`] is a
/// [`UsageError`]. The object's keys are read as written, so a key given twice is an
/// `INVALID_VALUE` error on that key (a parsed [`Value`] would silently keep the last one).
pub fn classify_json(
    input: &str,
    rules: &Rules,
    default_today: NaiveDate,
) -> Result<Output, UsageError> {
    if u64::try_from(input.len()).unwrap_or(u64::MAX) > MAX_INPUT_BYTES {
        return Err(UsageError::TooLarge(MAX_INPUT_BYTES));
    }
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
        errors: problems.iter().map(|p| error_for(p, rules, lang)).collect(),
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
    let axes = [
        ctx.filing(),
        ctx.refile(),
        ctx.domain(),
        ctx.licence(),
        ctx.annual_report(),
        ctx.public_security(),
    ];
    // A derived date outside 0000–9999 is an error on the field it comes from.
    // Each such field once, in contract order.
    let out_of_range: Vec<&'static str> = FIELDS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| axes.iter().any(|a| a.as_ref().err() == Some(name)))
        .collect();
    if !out_of_range.is_empty() {
        let problems: Vec<FieldProblem> = out_of_range
            .into_iter()
            .map(|f| FieldProblem::new(f, ProblemKind::DateOutOfRange))
            .collect();
        let shown_today = if input.today.is_some() && problems.iter().all(|p| p.field != "today") {
            today
        } else {
            default_today
        };
        return error_output(&problems, rules, input.lang, shown_today);
    }
    let mut found: Vec<Found> = axes.into_iter().filter_map(|a| a.ok().flatten()).collect();
    // Two axes never contradict each other: a domain that is fine for now but too short to
    // file gets the DOMAIN_OK variant that says so.
    if found
        .iter()
        .any(|f| f.state == State::DomainTooShortForFiling)
    {
        for f in &mut found {
            if f.state == State::DomainOk {
                f.variant = Some("refile_domain_too_short");
            }
        }
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
fn error_for(problem: &FieldProblem, rules: &Rules, lang: Lang) -> InputError {
    let label = rules.field_label(&problem.field, lang);
    let pick: fn(&Messages) -> &String = match problem.kind {
        ProblemKind::UnknownField => |m| &m.unknown_field,
        ProblemKind::DuplicateKey => |m| &m.duplicate_key,
        ProblemKind::V1Lookup(..) => |m| &m.v1_lookup,
        ProblemKind::DateOutOfRange => |m| &m.date_out_of_range,
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
    let fields = FIELDS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(&separator);
    let message = fill(&rules.message(lang, pick), &|name| match name {
        "label" => Some(label.clone()),
        "field" => Some(problem.field.clone()),
        "options" => Some(options.clone()),
        "fields" => Some(fields.clone()),
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
struct Found {
    state: State,
    days: Option<i64>,
    deadline: Option<NaiveDate>,
    /// The key date was derived (licence expiry from the issue date).
    estimated: bool,
    /// Fields whose checks did not run (refile axis only).
    not_checked: Vec<&'static str>,
    /// A text variant that keeps this result from contradicting another axis.
    variant: Option<&'static str>,
}

impl Found {
    fn bare(state: State) -> Self {
        Found {
            state,
            days: None,
            deadline: None,
            estimated: false,
            not_checked: Vec::new(),
            variant: None,
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

/// One axis: absent (`Ok(None)`), a state, or the field whose derived date leaves 0000–9999.
type AxisOutcome = Result<Option<Found>, &'static str>;

/// Whether a date can be written `YYYY-MM-DD` (years 0000–9999).
fn writable(date: NaiveDate) -> bool {
    (0..=9999).contains(&date.year())
}

/// `date` when it is writable, else the field it is derived from as the error.
fn derived(date: Option<NaiveDate>, field: &'static str) -> Result<NaiveDate, &'static str> {
    date.filter(|d| writable(*d)).ok_or(field)
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

    fn filing(&self) -> AxisOutcome {
        let i = self.input;
        let t = &self.rules.thresholds;
        if i.miit_lookup == Lookup::NotFound {
            return Ok(Some(Found::bare(State::FilingCancelledRefile)));
        }
        if i.access_status == Access::Cancelled {
            return Ok(Some(Found::bare(State::AccessCancelledShell)));
        }
        let server_days = i.server_expiry.map(|e| self.days_to(e));
        if let Some(deadline) = i.notice_deadline {
            let d = self.days_to(deadline);
            let state = if d < 0 {
                State::RectificationOverdue
            } else if server_days.is_some_and(|s| s < 0) {
                State::RectificationOpenServerExpired
            } else {
                State::RectificationOpen
            };
            return Ok(Some(Found::dated(state, d, deadline)));
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
            return Ok(Some(Found::dated(state, d, expiry)));
        }
        Ok(match (i.access_status, i.miit_lookup) {
            (Access::Active, _) => Some(Found::bare(State::FilingActive)),
            (_, Lookup::Found) => Some(Found::bare(State::FilingFound)),
            _ => None,
        })
    }

    fn refile(&self) -> AxisOutcome {
        let i = self.input;
        let t = &self.rules.thresholds;
        let any_check = i.server_billing.is_some()
            || i.server_purchase_months.is_some()
            || i.domain_expiry.is_some();
        let gone = i.miit_lookup == Lookup::NotFound || i.access_status == Access::Cancelled;
        if i.planning_refile != Some(true) && !(gone && any_check) {
            return Ok(None);
        }
        let too_few_months = i
            .server_purchase_months
            .is_some_and(|m| i128::from(m) < i128::from(t.refile_min_server_months.value));
        if i.server_billing == Some(Billing::PayAsYouGo) || too_few_months {
            return Ok(Some(Found::bare(State::ServerIneligibleForFiling)));
        }
        if let Some(expiry) = i.domain_expiry {
            // A comparison bound, not an output date: beyond year 9999 it still compares.
            let limit =
                add_months(self.today, t.refile_min_domain_months.value).unwrap_or(NaiveDate::MAX);
            if expiry <= limit {
                return Ok(Some(Found::bare(State::DomainTooShortForFiling)));
            }
        }
        if !any_check {
            return Ok(Some(Found::bare(State::RefileNotChecked)));
        }
        let mut found = Found::bare(State::RefileEligible);
        if i.server_billing.is_none() {
            found.not_checked.push("serverBilling");
        }
        if i.server_purchase_months.is_none() {
            found.not_checked.push("serverPurchaseMonths");
        }
        if i.domain_expiry.is_none() {
            found.not_checked.push("domainExpiry");
        }
        Ok(Some(found))
    }

    fn domain(&self) -> AxisOutcome {
        let Some(expiry) = self.input.domain_expiry else {
            return Ok(None);
        };
        let d = self.days_to(expiry);
        let state = if d < 0 {
            State::DomainExpired
        } else if d <= self.rules.thresholds.domain_expiring_soon_days.value {
            State::DomainExpiringSoon
        } else {
            State::DomainOk
        };
        Ok(Some(Found::dated(state, d, expiry)))
    }

    fn licence(&self) -> AxisOutcome {
        let t = &self.rules.thresholds;
        let (expiry, field, estimated) = match (self.input.licence_expiry, self.input.licence_issue)
        {
            (Some(expiry), _) => (expiry, "licenceExpiry", false),
            (None, Some(issue)) => (
                derived(
                    add_months(issue, t.licence_validity_months.value),
                    "licenceIssue",
                )?,
                "licenceIssue",
                true,
            ),
            (None, None) => return Ok(None),
        };
        let d = self.days_to(expiry);
        let deadline = derived(
            add_days(expiry, -t.licence_renewal_deadline_days.value),
            field,
        )?;
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
        Ok(Some(Found {
            estimated,
            ..Found::dated(state, d, deadline)
        }))
    }

    fn annual_report(&self) -> AxisOutcome {
        let t = &self.rules.thresholds;
        let i = self.input;
        if i.annual_report_filed.is_none()
            && i.licence_expiry.is_none()
            && i.licence_issue.is_none()
        {
            return Ok(None);
        }
        let report_year = self.today.year() - 1;
        // The year being reported on ends on Y-12-31, a derived date like the others: in year
        // 0000 it would be -0001.
        derived(in_year(report_year, 12, 31), "today")?;
        let issue = match (i.licence_issue, i.licence_expiry) {
            (Some(issue), _) => Some(issue),
            (None, Some(expiry)) => Some(derived(
                add_months(expiry, -t.licence_validity_months.value),
                "licenceExpiry",
            )?),
            (None, None) => None,
        };
        let issued_after_report_year = issue.is_some_and(|d| d.year() > report_year);
        if i.annual_report_filed == Some(true) || issued_after_report_year {
            return Ok(Some(Found::bare(State::AnnualReportNotDue)));
        }
        let md = |md: &str| parse_month_day(md).unwrap_or((3, 31));
        let (wm, wd) = md(&t.annual_report_window_end.value);
        let (cm, cd) = md(&t.annual_report_correction_end.value);
        let this_year = self.today.year();
        let window_end = in_year(this_year, wm, wd);
        if i.annual_report_filed.is_none() {
            // The first end of a reporting window on or after today.
            let deadline = match window_end {
                Some(end) if self.today <= end => end,
                _ => derived(
                    this_year.checked_add(1).and_then(|y| in_year(y, wm, wd)),
                    "today",
                )?,
            };
            return Ok(Some(Found {
                deadline: Some(deadline),
                ..Found::bare(State::AnnualReportSchedule)
            }));
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
        Ok(Some(found))
    }

    fn public_security(&self) -> AxisOutcome {
        let Some(opened) = self.input.site_opened else {
            return Ok(None);
        };
        if self.input.ga_filed == Some(true) {
            return Ok(Some(Found::bare(State::GaFiled)));
        }
        let window = self.rules.thresholds.ga_filing_window_days.value;
        let deadline = derived(add_days(opened, window), "siteOpened")?;
        let state = match self.input.ga_filed {
            None => State::GaDeadline,
            Some(_) if days_between(opened, self.today) <= window => State::GaWindowOpen,
            Some(_) => State::GaOverdue,
        };
        Ok(Some(Found::dated(state, self.days_to(deadline), deadline)))
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
        let (variant, zh_variant) = match found.variant {
            Some(code) => (
                texts.variants.get(code).unwrap_or(&no_variant),
                zh.variants.get(code).unwrap_or(&no_variant),
            ),
            None => (&no_variant, &no_variant),
        };
        let separator = rules.message(lang, |m| &m.list_separator);
        let not_checked = if found.not_checked.is_empty() {
            rules.message(lang, |m| &m.all_checked)
        } else {
            let items = found
                .not_checked
                .iter()
                .map(|f| rules.field_label(f, lang))
                .collect::<Vec<_>>()
                .join(&separator);
            fill(&rules.message(lang, |m| &m.not_checked), &|name| {
                (name == "items").then(|| items.clone())
            })
        };
        let estimated = if found.estimated {
            rules.message(lang, |m| &m.licence_estimated)
        } else {
            String::new()
        };
        let thresholds = rules.thresholds.placeholder_values(lang);
        let provider = rules.option_label("provider", self.input.provider.code(), lang);
        // `{days}` in texts: the result's days, or the days left to its deadline where the
        // contract gives a deadline but no days (annual report).
        let days = found
            .days
            .or_else(|| found.deadline.map(|d| self.days_to(d)));
        let report_year = self.today.year() - 1;
        let server = self.input.server_expiry;
        let value = |name: &str| -> Option<String> {
            match name {
                "days" => days.map(|d| d.to_string()),
                "abs_days" => days.map(|d| d.abs().to_string()),
                "deadline" => found.deadline.map(format_date),
                "deadline_days" => found.deadline.map(|d| self.days_to(d).to_string()),
                "provider" => Some(provider.clone()),
                "report_year" => Some(report_year.to_string()),
                "report_period" => Some(report_period(report_year, lang)),
                "next_report_period" => Some(report_period(report_year + 1, lang)),
                "due_report_period" => found.deadline.map(|d| report_period(d.year() - 1, lang)),
                "not_checked" => Some(not_checked.clone()),
                "estimated" => Some(estimated.clone()),
                "server_expiry" => server.map(format_date),
                "server_abs_days" => server.map(|s| self.days_to(s).abs().to_string()),
                _ => thresholds
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone()),
            }
        };
        let pick_list = |v: &'_ [String], zv: &'_ [String], t: &'_ [String], z: &'_ [String]| {
            let v = list_or_fallback(v, zv);
            if v.is_empty() {
                list_or_fallback(t, z).to_vec()
            } else {
                v.to_vec()
            }
        };
        let mut actions: Vec<String> = pick_list(
            &variant.actions,
            &zh_variant.actions,
            &texts.actions,
            &zh.actions,
        )
        .iter()
        .map(|a| fill(a, &value))
        .collect();
        let variant_links = list_or_fallback(&variant.links, &zh_variant.links);
        let links_src = if variant_links.is_empty() {
            list_or_fallback(&texts.links, &zh.links)
        } else {
            variant_links
        };
        let mut links: Vec<Link> = links_src
            .iter()
            .map(|l| Link {
                title: fill(&l.title, &value),
                href: l.href.clone(),
            })
            .collect();
        let provider_texts = texts
            .providers
            .get(self.input.provider.code())
            .or_else(|| zh.providers.get(self.input.provider.code()));
        if let Some(extra) = provider_texts {
            actions.extend(extra.actions.iter().map(|a| fill(a, &value)));
            links.extend(extra.links.iter().map(|l| Link {
                title: fill(&l.title, &value),
                href: l.href.clone(),
            }));
        }
        let title = or_fallback(
            or_fallback(&variant.title, &zh_variant.title),
            or_fallback(&texts.title, &zh.title),
        );
        let summary = or_fallback(
            or_fallback(&variant.summary, &zh_variant.summary),
            or_fallback(&texts.summary, &zh.summary),
        );
        AxisResult {
            axis: found.state.axis(),
            state: found.state,
            severity: found.state.severity(),
            days: found.days,
            deadline: found.deadline.map(format_date),
            estimated: found.estimated.then_some(true),
            title: fill(title, &value),
            summary: fill(summary, &value),
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
