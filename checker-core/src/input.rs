//! The contract's input object: field list, strict validation, and the typed [`Input`].

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::date::parse_date;
use crate::json::{Json, Number};
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
/// What a provider's notice says is wrong (contract v3); `unknown` is the default.
pub const NOTICE_REASONS: &[&str] = &["not_resolving", "unreachable", "info_inaccurate", "unknown"];
/// Whether the subject has other filings (website, APP, 小程序, 快应用); `unknown` is the default.
pub const OTHER_FILINGS: &[&str] = &["yes", "no", "unknown"];
/// The earliest date the contract accepts (v3).
pub const EARLIEST_DATE: &str = "1900-01-01";
/// The latest date the contract accepts (v3).
pub const LATEST_DATE: &str = "2199-12-31";

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
    ("noticeReceived", FieldKind::Bool),
    ("noticeReason", FieldKind::Choice(NOTICE_REASONS)),
    ("otherFilings", FieldKind::Choice(OTHER_FILINGS)),
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
    /// Simplified Chinese (`"zh-CN"`), the default.
    #[default]
    ZhCn,
    /// English (`"en"`).
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
    /// Alibaba Cloud (`"aliyun"`).
    Aliyun,
    /// Tencent Cloud (`"tencent"`).
    Tencent,
    /// Huawei Cloud (`"huawei"`).
    Huawei,
    /// Baidu AI Cloud (`"baidu"`).
    Baidu,
    /// West.cn (`"west"`).
    West,
    /// Any other provider, or none given (`"other"`): no provider-specific advice.
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
    /// The lookup shows the website's record (`"found"`).
    Found,
    /// The lookup finds no record (`"not_found"`).
    NotFound,
    /// Not looked up or not given (`"unknown"`).
    #[default]
    Unknown,
}

/// What the access provider says: its filing console, a 取消接入 notice, or a provincial
/// 空壳 公示 naming the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// The provider shows the website's access as in place (`"active"`).
    Active,
    /// Access was removed (取消接入).
    Cancelled,
    /// Not known or not given (`"unknown"`).
    #[default]
    Unknown,
}

/// What a provider's 核查 / 整改 notice says is wrong (contract v3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoticeReason {
    /// The domain does not resolve to the provider's mainland servers.
    NotResolving,
    /// The site cannot be reached or has no real traffic.
    Unreachable,
    /// The filed details are out of date or wrong.
    InfoInaccurate,
    /// Not given, or given as `"unknown"`.
    #[default]
    Unknown,
}

impl NoticeReason {
    /// The contract's code (`"not_resolving"`), also the key of its fix in the rules data;
    /// `None` for `Unknown`.
    pub fn code(self) -> Option<&'static str> {
        match self {
            NoticeReason::NotResolving => Some("not_resolving"),
            NoticeReason::Unreachable => Some("unreachable"),
            NoticeReason::InfoInaccurate => Some("info_inaccurate"),
            NoticeReason::Unknown => None,
        }
    }
}

/// Whether the same subject (主办单位) has other filings (contract v3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OtherFilings {
    /// Another website, an APP, a 小程序 or a 快应用 is on file.
    Yes,
    /// Nothing else is on file: the subject is a shell once this site lost access.
    No,
    /// Not given, or given as `"unknown"`.
    #[default]
    Unknown,
}

/// A validated input object. Absent (or `null`) fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Input {
    /// `today`, when given (else the caller's default).
    pub today: Option<NaiveDate>,
    /// `lang`: the language of the output texts.
    pub lang: Lang,
    /// `provider`: selects provider-specific texts only.
    pub provider: Provider,
    /// `serverExpiry`.
    pub server_expiry: Option<NaiveDate>,
    /// `serverBilling`.
    pub server_billing: Option<Billing>,
    /// `serverPurchaseMonths`.
    pub server_purchase_months: Option<u64>,
    /// `Unknown` both when absent and when given as `"unknown"`.
    pub miit_lookup: Lookup,
    /// `Unknown` both when absent and when given as `"unknown"`.
    pub access_status: Access,
    /// `noticeDeadline`: the deadline printed in the notice.
    pub notice_deadline: Option<NaiveDate>,
    /// `noticeReceived` as given (v3).
    pub notice_received: Option<bool>,
    /// `Unknown` both when absent and when given as `"unknown"` (v3).
    pub notice_reason: NoticeReason,
    /// `Unknown` both when absent and when given as `"unknown"` (v3).
    pub other_filings: OtherFilings,
    /// `planningRefile`.
    pub planning_refile: Option<bool>,
    /// `domainExpiry`.
    pub domain_expiry: Option<NaiveDate>,
    /// `licenceExpiry`: the licence's 有效期至.
    pub licence_expiry: Option<NaiveDate>,
    /// `licenceIssue`: the licence's issue date.
    pub licence_issue: Option<NaiveDate>,
    /// `annualReportFiled`.
    pub annual_report_filed: Option<bool>,
    /// `siteOpened`: the day the site went live.
    pub site_opened: Option<NaiveDate>,
    /// `gaFiled`: the public-security filing is done.
    pub ga_filed: Option<bool>,
}

impl Input {
    /// Whether a provider's notice came (contract v3): `noticeReceived: true`, or a
    /// `noticeReason` other than `unknown`, or a `noticeDeadline`.
    pub fn notice_came(&self) -> bool {
        self.notice_received == Some(true)
            || self.notice_reason != NoticeReason::Unknown
            || self.notice_deadline.is_some()
    }

    /// Whether the reader already answered the question behind `field` (a rule text that asks
    /// for it is then dropped). A choice field answered `unknown` counts as not answered; the
    /// notice question is answered by any of its three fields.
    pub fn answered(&self, field: &str) -> bool {
        match field {
            "serverExpiry" => self.server_expiry.is_some(),
            "serverBilling" => self.server_billing.is_some(),
            "serverPurchaseMonths" => self.server_purchase_months.is_some(),
            "miitLookup" => self.miit_lookup != Lookup::Unknown,
            "accessStatus" => self.access_status != Access::Unknown,
            "noticeDeadline" => self.notice_deadline.is_some(),
            "noticeReceived" => self.notice_received.is_some() || self.notice_came(),
            "noticeReason" => self.notice_reason != NoticeReason::Unknown,
            "otherFilings" => self.other_filings != OtherFilings::Unknown,
            "planningRefile" => self.planning_refile.is_some(),
            "domainExpiry" => self.domain_expiry.is_some(),
            "licenceExpiry" => self.licence_expiry.is_some(),
            "licenceIssue" => self.licence_issue.is_some(),
            "annualReportFiled" => self.annual_report_filed.is_some(),
            "siteOpened" => self.site_opened.is_some(),
            "gaFiled" => self.ga_filed.is_some(),
            "today" => self.today.is_some(),
            "provider" => self.provider != Provider::Other,
            _ => false,
        }
    }

    /// The value of a choice field as its code (`"tencent"`), for rule conditions
    /// (`otherFilings=yes`); `None` for other fields.
    pub fn choice(&self, field: &str) -> Option<&'static str> {
        Some(match field {
            "lang" => self.lang.code(),
            "provider" => self.provider.code(),
            "serverBilling" => match self.server_billing? {
                Billing::Subscription => "subscription",
                Billing::PayAsYouGo => "payg",
            },
            "miitLookup" => match self.miit_lookup {
                Lookup::Found => "found",
                Lookup::NotFound => "not_found",
                Lookup::Unknown => "unknown",
            },
            "accessStatus" => match self.access_status {
                Access::Active => "active",
                Access::Cancelled => "cancelled",
                Access::Unknown => "unknown",
            },
            "noticeReason" => self.notice_reason.code().unwrap_or("unknown"),
            "otherFilings" => match self.other_filings {
                OtherFilings::Yes => "yes",
                OtherFilings::No => "no",
                OtherFilings::Unknown => "unknown",
            },
            _ => return None,
        })
    }

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
    /// A real date outside 1900-01-01 … 2199-12-31 (v3).
    DateOutOfRange,
    /// An integer above 2^64 − 1 (v3: "too large", not "enter an integer ≥ 0").
    TooLarge,
    /// `noticeReceived: false` next to a `noticeDeadline` or a `noticeReason` other than
    /// `unknown`, which say that a notice came (v3).
    NoticeContradiction,
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
                "`{}` must lie between {EARLIEST_DATE} and {LATEST_DATE}",
                self.field
            ),
            ProblemKind::TooLarge => format!(
                "`{}` is too large a number; write the number of months, e.g. 12",
                self.field
            ),
            ProblemKind::NoticeContradiction => format!(
                "`{}` is false, but a notice deadline or reason is given, which means a notice came; \
                 write noticeReceived = true or remove it",
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
/// repeated keys (a repeated key is `INVALID_VALUE` on that key, whatever its values, `null`
/// included). Known fields are reported in contract order, then unknown keys in input order,
/// each once. One pass over the entries plus a sort of the unknown keys: the cost grows with
/// the input's size, never with its square (70,000 unknown keys are one sort).
pub fn parse_entries(entries: &[(&str, &Json)]) -> Result<Input, Vec<FieldProblem>> {
    let mut input = Input::default();
    let mut problems = Vec::new();
    // Per known field: how often it appears and its first value.
    let mut seen: Vec<(usize, Option<&Json>)> = vec![(0, None); FIELDS.len()];
    let mut unknown: Vec<(&str, usize)> = Vec::new();
    // Any non-null value counts as given here, valid or not (contract v3, `noticeReceived`).
    let mut notice_given = false;
    for (i, &(key, value)) in entries.iter().enumerate() {
        match FIELDS.iter().position(|(n, _)| *n == key) {
            Some(f) => {
                let slot = &mut seen[f];
                slot.0 += 1;
                slot.1.get_or_insert(value);
                notice_given |= match key {
                    "noticeDeadline" => !value.is_null(),
                    "noticeReason" => !value.is_null() && value.as_str() != Some("unknown"),
                    _ => false,
                };
            }
            None => unknown.push((key, i)),
        }
    }
    for (&(name, kind), &(count, value)) in FIELDS.iter().zip(&seen) {
        let value = match (count, value) {
            (0, _) | (_, None) => continue,
            (1, Some(v)) => v,
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
        } else if name == "noticeReceived" && input.notice_received == Some(false) && notice_given {
            problems.push(FieldProblem::new(name, ProblemKind::NoticeContradiction));
        }
    }
    // Each unknown key once, at its first place, in input order.
    problems.extend(
        first_occurrences(&unknown).map(|(k, _)| FieldProblem::new(k, ProblemKind::UnknownField)),
    );
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// The entries of `keys` whose key did not occur earlier in it, in order: linear time, through
/// a small open-addressing set of FNV-1a hashes (no `HashSet`, whose hasher, and no sort, would
/// add several kilobytes to the WebAssembly).
fn first_occurrences<'a, T>(keys: &'a [(&'a str, T)]) -> impl Iterator<Item = &'a (&'a str, T)> {
    let capacity = (keys.len() * 2).next_power_of_two().max(8);
    let mask = capacity - 1;
    // Slot: 0 empty, else 1 + the index in `keys` of the key held there.
    let mut slots = vec![0usize; capacity];
    keys.iter()
        .enumerate()
        .filter(move |&(i, (key, _))| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in key.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            // Truncation is the point: the low bits pick the slot.
            #[allow(clippy::cast_possible_truncation)]
            let mut at = (h as usize) & mask;
            loop {
                match slots[at] {
                    0 => {
                        slots[at] = i + 1;
                        return true;
                    }
                    held if keys[held - 1].0 == *key => return false,
                    _ => at = (at + 1) & mask,
                }
            }
        })
        .map(|(_, entry)| entry)
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
            if !in_range(date) {
                return Err(ProblemKind::DateOutOfRange);
            }
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
                "noticeReceived" => &mut input.notice_received,
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
            if matches!(value, Json::Number(Number::Big)) {
                return Err(ProblemKind::TooLarge);
            }
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
                "noticeReason" => {
                    input.notice_reason = match s {
                        "not_resolving" => NoticeReason::NotResolving,
                        "unreachable" => NoticeReason::Unreachable,
                        "info_inaccurate" => NoticeReason::InfoInaccurate,
                        "unknown" => NoticeReason::Unknown,
                        _ => return Err(bad),
                    };
                }
                "otherFilings" => {
                    input.other_filings = match s {
                        "yes" => OtherFilings::Yes,
                        "no" => OtherFilings::No,
                        "unknown" => OtherFilings::Unknown,
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

/// Whether `date` lies in the contract's range, 1900-01-01 … 2199-12-31 (v3).
pub fn in_range(date: NaiveDate) -> bool {
    (1900..=2199).contains(&chrono::Datelike::year(&date))
}
