//! The classification: input object in, output object out, following the contract row by row.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::date::{add_days, add_months, days_between, format_date, in_year};
use crate::input::{parse_input, Billing, FieldKind, FieldProblem, Input, Lang, Lookup, FIELDS};
use crate::model::State;
use crate::output::{
    AxisResult, ErrorCode, InputError, Link, Output, UsageError, Warning, WarningCode,
};
use crate::rules::{Messages, Rules};
use crate::text::{fill, lang_texts, list_or_fallback, or_fallback, parse_month_day};

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
    match parse_input(map) {
        Err(problems) => {
            // Messages follow the requested language when that field itself is valid.
            let lang = map
                .get("lang")
                .and_then(Value::as_str)
                .and_then(Lang::from_code)
                .unwrap_or_default();
            Ok(Output {
                today: format_date(default_today),
                results: Vec::new(),
                warnings: Vec::new(),
                errors: problems.iter().map(|p| error_for(p, rules, lang)).collect(),
            })
        }
        Ok(input) => Ok(classify_input(&input, rules, default_today)),
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
    let results: Vec<AxisResult> = [
        ctx.filing(),
        ctx.refile(),
        ctx.domain(),
        ctx.licence(),
        ctx.annual_report(),
        ctx.public_security(),
    ]
    .into_iter()
    .flatten()
    .map(|found| ctx.render(found))
    .collect();
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
    let pick: fn(&Messages) -> &String = match problem.expected {
        None => |m| &m.unknown_field,
        Some(FieldKind::Date) => |m| &m.invalid_date,
        Some(FieldKind::Bool) => |m| &m.invalid_bool,
        Some(FieldKind::Count) => |m| &m.invalid_count,
        Some(FieldKind::Choice(_)) => |m| &m.invalid_choice,
    };
    let separator = rules.message(lang, |m| &m.list_separator);
    let options = match problem.expected {
        Some(FieldKind::Choice(options)) => options
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
    /// Fields whose checks did not run (refile axis only).
    not_checked: Vec<&'static str>,
}

impl Found {
    fn bare(state: State) -> Self {
        Found {
            state,
            days: None,
            deadline: None,
            not_checked: Vec::new(),
        }
    }

    fn dated(state: State, days: i64, deadline: NaiveDate) -> Self {
        Found {
            state,
            days: Some(days),
            deadline: Some(deadline),
            not_checked: Vec::new(),
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
        match i.miit_lookup {
            Lookup::NotFound => return Some(Found::bare(State::FilingCancelledRefile)),
            Lookup::ActiveNoAccess => return Some(Found::bare(State::AccessCancelledShell)),
            Lookup::ActiveWithProvider | Lookup::Unknown => {}
        }
        if let Some(deadline) = i.notice_deadline {
            let d = self.days_to(deadline);
            let state = if d < 0 {
                State::RectificationOverdue
            } else {
                State::RectificationOpen
            };
            return Some(Found::dated(state, d, deadline));
        }
        if let Some(expiry) = i.server_expiry {
            let d = self.days_to(expiry);
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
        (i.miit_lookup == Lookup::ActiveWithProvider).then(|| Found::bare(State::FilingActive))
    }

    fn refile(&self) -> Option<Found> {
        let i = self.input;
        let t = &self.rules.thresholds;
        if i.planning_refile != Some(true) {
            return None;
        }
        let too_few_months = i
            .server_purchase_months
            .is_some_and(|m| i128::from(m) < i128::from(t.refile_min_server_months.value));
        if i.server_billing == Some(Billing::PayAsYouGo) || too_few_months {
            return Some(Found::bare(State::ServerIneligibleForFiling));
        }
        if let Some(expiry) = i.domain_expiry {
            let limit =
                add_months(self.today, t.refile_min_domain_months.value).unwrap_or(self.today);
            if expiry <= limit {
                return Some(Found::bare(State::DomainTooShortForFiling));
            }
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
        Some(found)
    }

    fn domain(&self) -> Option<Found> {
        let expiry = self.input.domain_expiry?;
        let d = self.days_to(expiry);
        let state = if d < 0 {
            State::DomainExpired
        } else if d <= self.rules.thresholds.domain_expiring_soon_days.value {
            State::DomainExpiringSoon
        } else {
            State::DomainOk
        };
        Some(Found::dated(state, d, expiry))
    }

    fn licence(&self) -> Option<Found> {
        let t = &self.rules.thresholds;
        let expiry = match (self.input.licence_expiry, self.input.licence_issue) {
            (Some(expiry), _) => expiry,
            (None, Some(issue)) => {
                add_months(issue, t.licence_validity_months.value).unwrap_or(issue)
            }
            (None, None) => return None,
        };
        let d = self.days_to(expiry);
        let deadline = add_days(expiry, -t.licence_renewal_deadline_days.value).unwrap_or(expiry);
        let state = if d < 0 {
            State::LicenceExpired
        } else if d < t.licence_renewal_deadline_days.value {
            State::LicenceRenewalDeadlineMissed
        } else if d <= t.licence_renewal_due_days.value {
            State::LicenceRenewalDue
        } else {
            State::LicenceValid
        };
        Some(Found::dated(state, d, deadline))
    }

    fn annual_report(&self) -> Option<Found> {
        let t = &self.rules.thresholds;
        let filed = self.input.annual_report_filed?;
        let report_year = self.today.year() - 1;
        let issue = match (self.input.licence_issue, self.input.licence_expiry) {
            (Some(issue), _) => Some(issue),
            (None, Some(expiry)) => add_months(expiry, -t.licence_validity_months.value),
            (None, None) => None,
        };
        let issued_after_report_year = issue.is_some_and(|d| d.year() > report_year);
        if filed || issued_after_report_year {
            return Some(Found::bare(State::AnnualReportNotDue));
        }
        let this_year =
            |md: &str| parse_month_day(md).and_then(|(m, d)| in_year(self.today.year(), m, d));
        let window_end = this_year(&t.annual_report_window_end.value);
        let correction_end = this_year(&t.annual_report_correction_end.value);
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
        if self.input.ga_filed? {
            return Some(Found::bare(State::GaFiled));
        }
        let window = self.rules.thresholds.ga_filing_window_days.value;
        let deadline = add_days(opened, window).unwrap_or(opened);
        let state = if days_between(opened, self.today) <= window {
            State::GaWindowOpen
        } else {
            State::GaOverdue
        };
        Some(Found::dated(state, self.days_to(deadline), deadline))
    }

    /// Attaches the texts of the output language to a found state.
    fn render(&self, found: Found) -> AxisResult {
        let lang = self.input.lang;
        let rules = self.rules;
        let empty = Default::default();
        let (texts, zh) = match rules.states.get(found.state.code()) {
            Some(map) => lang_texts(map, lang),
            None => (&empty, &empty),
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
        let thresholds = rules.thresholds.placeholder_values(lang);
        let provider = rules.option_label("provider", self.input.provider.code(), lang);
        // `{days}` in texts: the result's days, or the days left to its deadline where the
        // contract gives a deadline but no days (annual report).
        let days = found
            .days
            .or_else(|| found.deadline.map(|d| self.days_to(d)));
        let value = |name: &str| -> Option<String> {
            match name {
                "days" => days.map(|d| d.to_string()),
                "abs_days" => days.map(|d| d.abs().to_string()),
                "deadline" => found.deadline.map(format_date),
                "provider" => Some(provider.clone()),
                "report_year" => Some((self.today.year() - 1).to_string()),
                "not_checked" => Some(not_checked.clone()),
                _ => thresholds
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone()),
            }
        };
        let mut actions: Vec<String> = list_or_fallback(&texts.actions, &zh.actions)
            .iter()
            .map(|a| fill(a, &value))
            .collect();
        let mut links: Vec<Link> = list_or_fallback(&texts.links, &zh.links)
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
        AxisResult {
            axis: found.state.axis(),
            state: found.state,
            severity: found.state.severity(),
            days: found.days,
            deadline: found.deadline.map(format_date),
            title: fill(or_fallback(&texts.title, &zh.title), &value),
            summary: fill(or_fallback(&texts.summary, &zh.summary), &value),
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
            .filter(|(_, d)| *d < earliest || *d > latest)
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
    parse_input(map).map(|_| ())
}
