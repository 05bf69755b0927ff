//! The static rules table (for readers without JavaScript), rendered from the rules data.

use serde::Serialize;

use crate::input::Lang;
use crate::model::{Axis, Severity, State, STATES};
use crate::output::Link;
use crate::rules::{Rules, StateTexts};
use crate::template::fill;
use crate::text::{lang_texts, list_or_fallback, or_fallback};

/// The table's stand-in for a count with its unit: `N 天`, `N days`.
fn count_words(n: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 天"),
        Lang::En => format!("{n} days"),
    }
}

/// One row of the static rules table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRow {
    /// The state's axis.
    pub axis: Axis,
    /// The state.
    pub state: State,
    /// The state's severity.
    pub severity: Severity,
    /// The condition in words, with the thresholds filled in.
    pub condition: String,
    /// The state's title.
    pub title: String,
    /// The summary, with the table's stand-ins for the reader's dates.
    pub summary: String,
    /// What to do, in order.
    pub actions: Vec<String>,
    /// Guide pages to read.
    pub links: Vec<Link>,
}

/// Every state's row, in axis and row order, with texts in `lang` (`"zh-CN"` or `"en"`; any
/// other value gives zh-CN). Summary sentences that quote the reader's dates (`{days}`,
/// `{abs_days}`, `{deadline}`) are left out, since the table has no dates; elsewhere those
/// placeholders get the table's generic words (`N`, `截止日期`). Provider-specific additions are
/// left out.
pub fn rules_table(rules: &Rules, lang: &str) -> Vec<TableRow> {
    let lang = Lang::from_code(lang).unwrap_or_default();
    let thresholds = rules.thresholds.placeholder_values(lang);
    let days = rules.message(lang, |m| &m.table_days);
    let deadline = rules.message(lang, |m| &m.table_deadline);
    let provider = rules.message(lang, |m| &m.table_provider);
    let year = rules.message(lang, |m| &m.table_year);
    let next_period = rules.message(lang, |m| &m.table_next_period);
    let due_period = rules.message(lang, |m| &m.table_due_period);
    let value = |name: &str| -> Option<String> {
        match name {
            "days" | "abs_days" | "deadline_days" | "server_abs_days" => Some(days.clone()),
            "n_days" | "n_abs_days" | "n_deadline_days" | "n_server_abs_days" => {
                Some(count_words(&days, lang))
            }
            "deadline" | "server_expiry" => Some(deadline.clone()),
            "provider" => Some(provider.clone()),
            "report_year" | "report_period" => Some(year.clone()),
            "next_report_period" => Some(next_period.clone()),
            "due_report_period" => Some(due_period.clone()),
            "not_checked" | "estimated" => Some(String::new()),
            _ => thresholds
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone()),
        }
    };
    let empty = StateTexts::default();
    STATES
        .iter()
        .map(|&state| {
            let (texts, zh) = match rules.states.get(state.code()) {
                Some(map) => lang_texts(map, lang),
                None => (&empty, &empty),
            };
            let fill = |t: &str| tidy_spaces(&fill(t, &value));
            TableRow {
                axis: state.axis(),
                state,
                severity: state.severity(),
                condition: fill(or_fallback(&texts.condition, &zh.condition)),
                title: fill(or_fallback(&texts.title, &zh.title)),
                summary: fill(&without_dated_sentences(or_fallback(
                    &texts.summary,
                    &zh.summary,
                ))),
                actions: list_or_fallback(&texts.actions, &zh.actions)
                    .iter()
                    .map(|a| fill(&a.text))
                    .collect(),
                links: list_or_fallback(&texts.links, &zh.links)
                    .iter()
                    .map(|l| Link {
                        title: fill(&l.title),
                        href: l.href.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Whether `c` is a CJK character or CJK punctuation (texts put a space only between those and
/// Latin letters or digits).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Drops a space that has CJK on both sides. A placeholder written `看 {report_period}年报`
/// reads `看 2025 年度年报` with a number, but the table's word stands in for the number
/// (`看上一年度年报`), so the space the number needed is removed.
fn tidy_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            !(c == ' '
                && i > 0
                && chars.get(i + 1).is_some_and(|&n| is_cjk(n))
                && is_cjk(chars[i - 1]))
        })
        .map(|(_, &c)| c)
        .collect()
}

/// `text` without the sentences that quote the reader's dates (`{days}`, `{abs_days}`,
/// `{deadline}`, `{server_expiry}`, `{server_abs_days}`). A sentence
/// ends at `。` or at `.` followed by a space (so `beian.miit.gov.cn` does not split one).
fn without_dated_sentences(text: &str) -> String {
    let mut kept = String::new();
    let mut sentence = String::new();
    let mut chars = text.chars().peekable();
    let flush = |sentence: &mut String, kept: &mut String| {
        let dated = [
            "{days}",
            "{abs_days}",
            "{deadline}",
            "{deadline_days}",
            "{server_expiry}",
            "{server_abs_days}",
            "{n_days}",
            "{n_abs_days}",
            "{n_deadline_days}",
            "{n_server_abs_days}",
        ]
        .iter()
        .any(|p| sentence.contains(p));
        if !dated {
            kept.push_str(sentence);
        }
        sentence.clear();
    };
    while let Some(c) = chars.next() {
        sentence.push(c);
        let ends = c == '。' || (c == '.' && chars.peek().is_none_or(|n| n.is_whitespace()));
        if ends {
            while let Some(&n) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                sentence.push(n);
                chars.next();
            }
            flush(&mut sentence, &mut kept);
        }
    }
    flush(&mut sentence, &mut kept);
    kept.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::{tidy_spaces, without_dated_sentences};

    #[test]
    fn spaces_between_cjk_words_are_dropped_only_there() {
        assert_eq!(tidy_spaces("看 上一年度年报"), "看上一年度年报");
        assert_eq!(tidy_spaces("看 2025 年度年报"), "看 2025 年度年报");
        assert_eq!(tidy_spaces("在 截止日期 前提交"), "在截止日期前提交");
        assert_eq!(tidy_spaces("file 接入备案 with"), "file 接入备案 with");
        assert_eq!(tidy_spaces("填报：上一年度"), "填报：上一年度");
    }

    #[test]
    fn drops_only_dated_sentences() {
        assert_eq!(
            without_dated_sentences("服务器将在 {deadline} 到期，还剩 {days} 天。到期前续费即可。"),
            "到期前续费即可。"
        );
        assert_eq!(
            without_dated_sentences("Due {deadline}. Check beian.miit.gov.cn now."),
            "Check beian.miit.gov.cn now."
        );
        assert_eq!(without_dated_sentences("域名在 {deadline} 到期。"), "");
        assert_eq!(without_dated_sentences("没有日期"), "没有日期");
    }
}
