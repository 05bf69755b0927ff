//! The contract's input object: field list, strict validation, and the typed [`Input`].

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::date::parse_date;
use crate::output::ErrorCode;

/// What a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A `YYYY-MM-DD` string.
    Date,
    /// `true` or `false`.
    Bool,
    /// An integer ≥ 0.
    Count,
    /// One of the listed strings (the first is the default where the contract names one).
    Choice(&'static [&'static str]),
}

/// Languages of the output texts.
pub const LANGS: &[&str] = &["zh-CN", "en"];
/// Access providers; `other` is the default.
pub const PROVIDERS: &[&str] = &["aliyun", "tencent", "huawei", "baidu", "west", "other"];
/// Server billing modes.
pub const BILLINGS: &[&str] = &["subscription", "payg"];
/// MIIT lookup outcomes; `unknown` is the default.
pub const LOOKUPS: &[&str] = &[
    "active_with_provider",
    "active_no_access",
    "not_found",
    "unknown",
];

/// Every input field of the contract, in the contract's order (errors and warnings follow it).
pub const FIELDS: &[(&str, FieldKind)] = &[
    ("today", FieldKind::Date),
    ("lang", FieldKind::Choice(LANGS)),
    ("provider", FieldKind::Choice(PROVIDERS)),
    ("serverExpiry", FieldKind::Date),
    ("serverBilling", FieldKind::Choice(BILLINGS)),
    ("serverPurchaseMonths", FieldKind::Count),
    ("miitLookup", FieldKind::Choice(LOOKUPS)),
    ("noticeDeadline", FieldKind::Date),
    ("planningRefile", FieldKind::Bool),
    ("domainExpiry", FieldKind::Date),
    ("licenceExpiry", FieldKind::Date),
    ("licenceIssue", FieldKind::Date),
    ("annualReportFiled", FieldKind::Bool),
    ("siteOpened", FieldKind::Date),
    ("gaFiled", FieldKind::Bool),
];

/// The kind of a contract field, or `None` for an unknown field.
pub fn field_kind(name: &str) -> Option<FieldKind> {
    FIELDS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// Language of the output texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    /// `"zh-CN"` or `"en"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language with this code; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The access provider of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provider {
    Aliyun,
    Tencent,
    Huawei,
    Baidu,
    West,
    #[default]
    Other,
}

impl Provider {
    /// The contract's code (`"aliyun"`), also the key in the rules data.
    pub fn code(self) -> &'static str {
        match self {
            Provider::Aliyun => "aliyun",
            Provider::Tencent => "tencent",
            Provider::Huawei => "huawei",
            Provider::Baidu => "baidu",
            Provider::West => "west",
            Provider::Other => "other",
        }
    }

    fn from_code(code: &str) -> Option<Provider> {
        Some(match code {
            "aliyun" => Provider::Aliyun,
            "tencent" => Provider::Tencent,
            "huawei" => Provider::Huawei,
            "baidu" => Provider::Baidu,
            "west" => Provider::West,
            "other" => Provider::Other,
            _ => return None,
        })
    }
}

/// Server billing mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// 包年包月.
    Subscription,
    /// 按量付费.
    PayAsYouGo,
}

/// What the MIIT lookup shows for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lookup {
    ActiveWithProvider,
    ActiveNoAccess,
    NotFound,
    #[default]
    Unknown,
}

/// A validated input object. Absent (or `null`) fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Input {
    pub today: Option<NaiveDate>,
    pub lang: Lang,
    pub provider: Provider,
    pub server_expiry: Option<NaiveDate>,
    pub server_billing: Option<Billing>,
    pub server_purchase_months: Option<u64>,
    /// `Unknown` both when absent and when given as `"unknown"`.
    pub miit_lookup: Lookup,
    pub notice_deadline: Option<NaiveDate>,
    pub planning_refile: Option<bool>,
    pub domain_expiry: Option<NaiveDate>,
    pub licence_expiry: Option<NaiveDate>,
    pub licence_issue: Option<NaiveDate>,
    pub annual_report_filed: Option<bool>,
    pub site_opened: Option<NaiveDate>,
    pub ga_filed: Option<bool>,
}

impl Input {
    /// The present date fields, with their names, in contract order.
    pub fn dates(&self) -> Vec<(&'static str, NaiveDate)> {
        [
            ("today", self.today),
            ("serverExpiry", self.server_expiry),
            ("noticeDeadline", self.notice_deadline),
            ("domainExpiry", self.domain_expiry),
            ("licenceExpiry", self.licence_expiry),
            ("licenceIssue", self.licence_issue),
            ("siteOpened", self.site_opened),
        ]
        .into_iter()
        .filter_map(|(n, d)| d.map(|d| (n, d)))
        .collect()
    }
}

/// One invalid field of an input object (before texts are attached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// `INVALID_DATE` or `INVALID_VALUE`.
    pub code: ErrorCode,
    /// The field's key as given.
    pub field: String,
    /// What the field accepts; `None` for an unknown field.
    pub expected: Option<FieldKind>,
}

impl FieldProblem {
    /// A plain English description for build-time diagnostics (presets in Markdown).
    pub fn describe(&self) -> String {
        match self.expected {
            None => format!(
                "unknown field `{}`; expected one of: {}",
                self.field,
                FIELDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
            Some(FieldKind::Date) => format!(
                "`{}` must be a real date written YYYY-MM-DD (a quoted string), e.g. \"2026-11-05\"",
                self.field
            ),
            Some(FieldKind::Bool) => format!("`{}` must be true or false", self.field),
            Some(FieldKind::Count) => format!("`{}` must be a whole number ≥ 0", self.field),
            Some(FieldKind::Choice(options)) => format!(
                "`{}` must be one of: {}",
                self.field,
                options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Validates an input object strictly: every invalid field is reported (one problem per field,
/// known fields in contract order, then unknown keys sorted, so the order does not depend on
/// how the JSON map is ordered). `null` means absent.
pub fn parse_input(map: &Map<String, Value>) -> Result<Input, Vec<FieldProblem>> {
    let mut input = Input::default();
    let mut problems = Vec::new();
    for &(name, kind) in FIELDS {
        let value = match map.get(name) {
            None | Some(Value::Null) => continue,
            Some(v) => v,
        };
        if !set_field(&mut input, name, kind, value) {
            problems.push(FieldProblem {
                code: if kind == FieldKind::Date {
                    ErrorCode::InvalidDate
                } else {
                    ErrorCode::InvalidValue
                },
                field: name.to_owned(),
                expected: Some(kind),
            });
        }
    }
    let mut unknown: Vec<&String> = map.keys().filter(|k| field_kind(k).is_none()).collect();
    unknown.sort();
    problems.extend(unknown.into_iter().map(|k| FieldProblem {
        code: ErrorCode::InvalidValue,
        field: k.clone(),
        expected: None,
    }));
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// Stores `value` in the field `name`; `false` when the value is not acceptable.
fn set_field(input: &mut Input, name: &str, kind: FieldKind, value: &Value) -> bool {
    match kind {
        FieldKind::Date => {
            let Some(date) = value.as_str().and_then(parse_date) else {
                return false;
            };
            let slot = match name {
                "today" => &mut input.today,
                "serverExpiry" => &mut input.server_expiry,
                "noticeDeadline" => &mut input.notice_deadline,
                "domainExpiry" => &mut input.domain_expiry,
                "licenceExpiry" => &mut input.licence_expiry,
                "licenceIssue" => &mut input.licence_issue,
                "siteOpened" => &mut input.site_opened,
                _ => return false,
            };
            *slot = Some(date);
            true
        }
        FieldKind::Bool => {
            let Some(b) = value.as_bool() else {
                return false;
            };
            let slot = match name {
                "planningRefile" => &mut input.planning_refile,
                "annualReportFiled" => &mut input.annual_report_filed,
                "gaFiled" => &mut input.ga_filed,
                _ => return false,
            };
            *slot = Some(b);
            true
        }
        FieldKind::Count => {
            // Whole numbers only. `3.0` counts as 3 because JavaScript, the other front door,
            // cannot tell it from `3`; `3.5`, `"3"` and negative numbers are rejected.
            const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
            let n = match (value.as_u64(), value.as_f64()) {
                (Some(n), _) => n,
                (None, Some(f)) if (0.0..=MAX_SAFE).contains(&f) && f.fract() == 0.0 => f as u64,
                _ => return false,
            };
            input.server_purchase_months = Some(n);
            true
        }
        FieldKind::Choice(_) => {
            let Some(s) = value.as_str() else {
                return false;
            };
            match name {
                "lang" => Lang::from_code(s).map(|l| input.lang = l).is_some(),
                "provider" => Provider::from_code(s).map(|p| input.provider = p).is_some(),
                "serverBilling" => {
                    let billing = match s {
                        "subscription" => Billing::Subscription,
                        "payg" => Billing::PayAsYouGo,
                        _ => return false,
                    };
                    input.server_billing = Some(billing);
                    true
                }
                "miitLookup" => {
                    input.miit_lookup = match s {
                        "active_with_provider" => Lookup::ActiveWithProvider,
                        "active_no_access" => Lookup::ActiveNoAccess,
                        "not_found" => Lookup::NotFound,
                        "unknown" => Lookup::Unknown,
                        _ => return false,
                    };
                    true
                }
                _ => false,
            }
        }
    }
}
