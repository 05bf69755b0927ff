//! The texts of the output language: picking a language's text with its zh-CN fallback, and the
//! values the placeholders get (thresholds, report periods, field labels). Placeholder syntax is
//! in `template.rs`, a leaf module, so that `rules` (which validates placeholders) and `text`
//! (which reads rules) do not import each other.

use crate::date::parse_month_day;
use crate::input::Lang;
use crate::rules::{LangMap, Rules, ThresholdRef, Thresholds};

/// The texts of `lang` when given, else zh-CN.
pub(crate) fn lang_texts<T>(map: &LangMap<T>, lang: Lang) -> (&T, &T) {
    let zh = &map.zh_cn;
    match (lang, &map.en) {
        (Lang::En, Some(en)) => (en, zh),
        _ => (zh, zh),
    }
}

/// `primary` unless it is empty, else `fallback` (an untranslated text falls back to zh-CN).
pub(crate) fn or_fallback<'a>(primary: &'a str, fallback: &'a str) -> &'a str {
    if primary.trim().is_empty() {
        fallback
    } else {
        primary
    }
}

/// Same for lists.
pub(crate) fn list_or_fallback<'a, T>(primary: &'a [T], fallback: &'a [T]) -> &'a [T] {
    if primary.is_empty() {
        fallback
    } else {
        primary
    }
}

impl Thresholds {
    /// Every threshold's name (its key in the data and its placeholder name) with its value
    /// written for `lang`.
    pub(crate) fn placeholder_values(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = self
            .entries()
            .into_iter()
            .map(|(name, entry)| match entry {
                ThresholdRef::Count { value, .. } => (name, value.value.to_string()),
                ThresholdRef::MonthDay(t) => (name, month_day_words(&t.value, lang)),
            })
            .collect();
        // Derived: the validity in years, beside its months.
        let at = out
            .iter()
            .position(|(n, _)| *n == "licence_validity_months")
            .map_or(out.len(), |i| i + 1);
        out.insert(
            at,
            (VALIDITY_YEARS, years(self.licence_validity_months.value)),
        );
        out
    }

    /// The names of every threshold placeholder: the thresholds and the derived validity in years.
    pub(crate) fn placeholder_names() -> Vec<&'static str> {
        let mut names = Thresholds::NAMES.to_vec();
        let at = names
            .iter()
            .position(|n| *n == "licence_validity_months")
            .map_or(names.len(), |i| i + 1);
        names.insert(at, VALIDITY_YEARS);
        names
    }
}

/// The placeholder derived from `licence_validity_months` (`5` for 60).
const VALIDITY_YEARS: &str = "licence_validity_years";

/// The annual report covering `year`, as texts name it: `2025 年度` (zh-CN) or `2025` (en).
pub(crate) fn report_period(year: i32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{year} 年度"),
        Lang::En => year.to_string(),
    }
}

/// A count of days with its unit, in agreement: `1 天` / `3 天`, `1 day` / `3 days` (also for
/// `-1`: `-1 day`). The texts' `{n_…}` placeholders.
pub(crate) fn count_days(n: i64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 天"),
        Lang::En if n.abs() == 1 => format!("{n} day"),
        Lang::En => format!("{n} days"),
    }
}

/// `months` in years: whole (`5`) or with one decimal (`2.5`), rounded half to even as
/// `format!("{:.1}", months as f64 / 12.0)` rounds it. Integer arithmetic, because `f64`
/// formatting would add about 19 KB to the WebAssembly.
fn years(months: i64) -> String {
    if months % 12 == 0 {
        return (months / 12).to_string();
    }
    // Tenths of a year, months * 10 / 12 rounded half to even: whole years `q` (10 tenths
    // each, an even number, so the parity is that of `t`) plus the 5 r / 6 tenths of the `r`
    // remaining months. No overflow: |10 q| <= 10 / 12 |i64::MIN|.
    let (q, r) = (months.div_euclid(12), months.rem_euclid(12));
    let (mut t, rest) = ((5 * r) / 6, (5 * r) % 6);
    if rest > 3 || (rest == 3 && t % 2 != 0) {
        t += 1;
    }
    let tenths = 10 * q + t;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// `03-31` as `3 月 31 日` (zh-CN) or `31 March` (en); anything malformed is returned as is.
pub(crate) fn month_day_words(md: &str, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match parse_month_day(md) {
        Some((m, d)) => match lang {
            Lang::ZhCn => format!("{m} 月 {d} 日"),
            Lang::En => format!("{d} {}", MONTHS[(m - 1) as usize]),
        },
        None => md.to_owned(),
    }
}

impl Rules {
    /// The label of an input field in `lang` (falls back to zh-CN, then to the field name).
    pub(crate) fn field_label(&self, field: &str, lang: Lang) -> String {
        match self.fields.get(field) {
            Some(map) => {
                let (t, zh) = lang_texts(map, lang);
                let label = or_fallback(&t.label, &zh.label);
                if label.is_empty() {
                    field.to_owned()
                } else {
                    label.to_owned()
                }
            }
            None => field.to_owned(),
        }
    }

    /// The label of an option of a choice field (falls back to zh-CN, then to the code).
    pub(crate) fn option_label(&self, field: &str, option: &str, lang: Lang) -> String {
        self.fields
            .get(field)
            .and_then(|map| {
                let (t, zh) = lang_texts(map, lang);
                t.options
                    .get(option)
                    .filter(|s| !s.is_empty())
                    .or_else(|| zh.options.get(option))
            })
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| option.to_owned())
    }

    /// A message template in `lang`, falling back to zh-CN.
    pub(crate) fn message(
        &self,
        lang: Lang,
        pick: fn(&crate::rules::Messages) -> &String,
    ) -> String {
        let (t, zh) = lang_texts(&self.messages, lang);
        or_fallback(pick(t), pick(zh)).to_owned()
    }
}

impl Rules {
    /// The severity's display name in `lang` (`"zh-CN"`/`"en"`, else zh-CN), for the icon's
    /// text so that colour is never the only signal.
    pub fn severity_label(&self, severity: crate::model::Severity, lang: &str) -> String {
        let lang = Lang::from_code(lang).unwrap_or_default();
        let pick: fn(&crate::rules::Messages) -> &String = match severity {
            crate::model::Severity::Ok => |m| &m.severity_ok,
            crate::model::Severity::Info => |m| &m.severity_info,
            crate::model::Severity::Warning => |m| &m.severity_warning,
            crate::model::Severity::Danger => |m| &m.severity_danger,
        };
        self.message(lang, pick)
    }

    /// The axis's title and description in `lang` (falling back to zh-CN).
    pub fn axis_texts(&self, axis: crate::model::Axis, lang: &str) -> (String, String) {
        let lang = Lang::from_code(lang).unwrap_or_default();
        match self.axes.get(axis.code()) {
            Some(map) => {
                let (t, zh) = lang_texts(map, lang);
                (
                    or_fallback(&t.title, &zh.title).to_owned(),
                    or_fallback(&t.description, &zh.description).to_owned(),
                )
            }
            None => (axis.code().to_owned(), String::new()),
        }
    }

    /// The fix for a notice reason in `lang` (falling back to zh-CN): its title, its steps
    /// (thresholds filled in) and its links; `None` for a code without texts (`unknown`).
    pub fn reason_texts(
        &self,
        code: &str,
        lang: &str,
    ) -> Option<(String, Vec<String>, Vec<crate::output::Link>)> {
        let lang = Lang::from_code(lang).unwrap_or_default();
        let (t, zh) = lang_texts(self.reasons.get(code)?, lang);
        let thresholds = self.thresholds.placeholder_values(lang);
        let value = |name: &str| {
            thresholds
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        let actions = list_or_fallback(&t.actions, &zh.actions)
            .iter()
            .map(|a| crate::template::fill(&a.text, &value))
            .collect();
        Some((
            or_fallback(&t.title, &zh.title).to_owned(),
            actions,
            list_or_fallback(&t.links, &zh.links).to_vec(),
        ))
    }

    /// A field's label and hint in `lang` (falling back to zh-CN).
    pub fn field_texts(&self, field: &str, lang: &str) -> (String, String) {
        let lang = Lang::from_code(lang).unwrap_or_default();
        let hint = self
            .fields
            .get(field)
            .map(|map| {
                let (t, zh) = lang_texts(map, lang);
                or_fallback(&t.hint, &zh.hint).to_owned()
            })
            .unwrap_or_default();
        (self.field_label(field, lang), hint)
    }

    /// The label of one option of a choice field in `lang` (falling back to zh-CN, then the code).
    pub fn option_text(&self, field: &str, option: &str, lang: &str) -> String {
        self.option_label(field, option, Lang::from_code(lang).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::years;

    #[test]
    fn years_round_as_float_formatting_does() {
        for months in (-20_000..=20_000).chain([i64::from(i32::MAX), i64::from(i32::MIN)]) {
            let expected = if months % 12 == 0 {
                (months / 12).to_string()
            } else {
                format!("{:.1}", months as f64 / 12.0)
            };
            assert_eq!(years(months), expected, "{months} months");
        }
        assert_eq!(years(30), "2.5");
        assert_eq!(years(3), "0.2");
        assert_eq!(years(60), "5");
        // Total at the extremes (where `f64` has lost the months long ago).
        assert!(years(i64::MAX).starts_with("768614336404564650."));
        assert!(years(i64::MIN).starts_with("-768614336404564650."));
    }
}
