//! The contract's input object: field list, strict validation, and the typed [`Input`].

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::date::parse_date;
use crate::json::Json;
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
pub const LOOKUPS: &[&str] = &["found", "not_found", "unknown"];
/// What the access provider says about the site's access; `unknown` is the default.
pub const ACCESS_STATUSES: &[&str] = &["active", "cancelled", "unknown"];
/// Contract v1 values of `miitLookup`, rejected with a message naming their v2 replacement:
/// (v1 value, the `accessStatus` that says the same).
pub const V1_LOOKUPS: &[(&str, &str)] = &[
    ("active_with_provider", "active"),
    ("active_no_access", "cancelled"),
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
    ("accessStatus", FieldKind::Choice(ACCESS_STATUSES)),
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

/// Whether the public MIIT lookup finds the site's website record (it shows nothing about
/// the access provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lookup {
    Found,
    NotFound,
    #[default]
    Unknown,
}

/// What the access provider says: its filing console, a 取消接入 notice, or a provincial
/// 空壳 公示 naming the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    Active,
    /// Access was removed (取消接入).
    Cancelled,
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
    /// `Unknown` both when absent and when given as `"unknown"`.
    pub access_status: Access,
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

/// Why a field is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The value is not what the field accepts.
    BadValue(FieldKind),
    /// The key is not a field of the contract.
    UnknownField,
    /// A known field appears more than once in the JSON text.
    DuplicateKey,
    /// `miitLookup` has a contract-v1 value; carries the `accessStatus` that replaces it.
    V1Lookup(&'static str, &'static str),
    /// A valid date from which the contract derives a date outside years 0000–9999.
    DateOutOfRange,
}

/// One invalid field of an input object (before texts are attached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// `INVALID_DATE` or `INVALID_VALUE`.
    pub code: ErrorCode,
    /// The field's key as given.
    pub field: String,
    /// What is wrong with it.
    pub kind: ProblemKind,
}

impl FieldProblem {
    pub(crate) fn new(field: &str, kind: ProblemKind) -> Self {
        let code = match kind {
            ProblemKind::BadValue(FieldKind::Date) | ProblemKind::DateOutOfRange => {
                ErrorCode::InvalidDate
            }
            _ => ErrorCode::InvalidValue,
        };
        FieldProblem {
            code,
            field: field.to_owned(),
            kind,
        }
    }

    /// A plain English description for build-time diagnostics (presets in Markdown).
    pub fn describe(&self) -> String {
        match self.kind {
            ProblemKind::UnknownField => format!(
                "unknown field `{}`; expected one of: {}",
                self.field,
                FIELDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
            ProblemKind::DuplicateKey => format!(
                "`{}` is given more than once; keep one value",
                self.field
            ),
            ProblemKind::V1Lookup(old, access) => format!(
                "`miitLookup = \"{old}\"` is a contract v1 value (the MIIT lookup does not show the access provider); \
                 write miitLookup = \"found\" and accessStatus = \"{access}\" instead"
            ),
            ProblemKind::DateOutOfRange => format!(
                "`{}` gives a derived date outside the years 0000-9999; check the date",
                self.field
            ),
            ProblemKind::BadValue(FieldKind::Date) => format!(
                "`{}` must be a real date written YYYY-MM-DD (a quoted string), e.g. \"2026-11-05\"",
                self.field
            ),
            ProblemKind::BadValue(FieldKind::Bool) => {
                format!("`{}` must be true or false", self.field)
            }
            ProblemKind::BadValue(FieldKind::Count) => {
                format!("`{}` must be a whole number ≥ 0", self.field)
            }
            ProblemKind::BadValue(FieldKind::Choice(options)) => format!(
                "`{}` must be one of: {}",
                self.field,
                options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Validates an input object strictly: every invalid field is reported (one problem per field,
/// known fields in contract order, then unknown keys in map order). `null` means absent.
pub fn parse_input(map: &Map<String, Value>) -> Result<Input, Vec<FieldProblem>> {
    let values: Vec<(&str, Json)> = map
        .iter()
        .map(|(k, v)| (k.as_str(), Json::from(v)))
        .collect();
    let entries: Vec<(&str, &Json)> = values.iter().map(|(k, v)| (*k, v)).collect();
    parse_entries(&entries)
}

/// Validates the entries of an input object as written, in input order and possibly with
/// repeated keys (a repeated key is `INVALID_VALUE` on that key, whatever its values). Known
/// fields are reported in contract order, then unknown keys in input order.
pub fn parse_entries(entries: &[(&str, &Json)]) -> Result<Input, Vec<FieldProblem>> {
    let mut input = Input::default();
    let mut problems = Vec::new();
    let count = |name: &str| entries.iter().filter(|(k, _)| *k == name).count();
    for &(name, kind) in FIELDS {
        let value = match count(name) {
            0 => continue,
            1 => entries
                .iter()
                .find(|(k, _)| *k == name)
                .map_or(&Json::Null, |(_, v)| *v),
            _ => {
                problems.push(FieldProblem::new(name, ProblemKind::DuplicateKey));
                continue;
            }
        };
        if value.is_null() {
            continue;
        }
        if let Err(kind) = set_field(&mut input, name, kind, value) {
            problems.push(FieldProblem::new(name, kind));
        }
    }
    let mut unknown: Vec<&str> = Vec::new();
    for (key, _) in entries {
        if field_kind(key).is_none() && !unknown.contains(key) {
            unknown.push(key);
        }
    }
    problems.extend(
        unknown
            .into_iter()
            .map(|k| FieldProblem::new(k, ProblemKind::UnknownField)),
    );
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// Stores `value` in the field `name`, or says why it is not acceptable.
fn set_field(
    input: &mut Input,
    name: &str,
    kind: FieldKind,
    value: &Json,
) -> Result<(), ProblemKind> {
    let bad = ProblemKind::BadValue(kind);
    match kind {
        FieldKind::Date => {
            let date = value.as_str().and_then(parse_date).ok_or(bad)?;
            let slot = match name {
                "today" => &mut input.today,
                "serverExpiry" => &mut input.server_expiry,
                "noticeDeadline" => &mut input.notice_deadline,
                "domainExpiry" => &mut input.domain_expiry,
                "licenceExpiry" => &mut input.licence_expiry,
                "licenceIssue" => &mut input.licence_issue,
                "siteOpened" => &mut input.site_opened,
                _ => return Err(bad),
            };
            *slot = Some(date);
        }
        FieldKind::Bool => {
            let b = value.as_bool().ok_or(bad)?;
            let slot = match name {
                "planningRefile" => &mut input.planning_refile,
                "annualReportFiled" => &mut input.annual_report_filed,
                "gaFiled" => &mut input.ga_filed,
                _ => return Err(bad),
            };
            *slot = Some(b);
        }
        FieldKind::Count => {
            // A JSON integer only: `3.0`, `3e0`, `3.5`, `"3"` and negative numbers are rejected
            // (both front doors parse the same JSON text, so they agree on what is an integer).
            input.server_purchase_months = Some(value.as_u64().ok_or(bad)?);
        }
        FieldKind::Choice(_) => {
            let s = value.as_str().ok_or(bad)?;
            match name {
                "lang" => input.lang = Lang::from_code(s).ok_or(bad)?,
                "provider" => input.provider = Provider::from_code(s).ok_or(bad)?,
                "serverBilling" => {
                    input.server_billing = Some(match s {
                        "subscription" => Billing::Subscription,
                        "payg" => Billing::PayAsYouGo,
                        _ => return Err(bad),
                    });
                }
                "miitLookup" => {
                    if let Some(&(old, access)) = V1_LOOKUPS.iter().find(|(old, _)| *old == s) {
                        return Err(ProblemKind::V1Lookup(old, access));
                    }
                    input.miit_lookup = match s {
                        "found" => Lookup::Found,
                        "not_found" => Lookup::NotFound,
                        "unknown" => Lookup::Unknown,
                        _ => return Err(bad),
                    };
                }
                "accessStatus" => {
                    input.access_status = match s {
                        "active" => Access::Active,
                        "cancelled" => Access::Cancelled,
                        "unknown" => Access::Unknown,
                        _ => return Err(bad),
                    };
                }
                _ => return Err(bad),
            }
        }
    }
    Ok(())
}
