//! The contract v3 rules for texts that a reader acts on ("Texts that a reader acts on (v3)"),
//! checked over every state, variant and language of the shipped rules data:
//!
//! - irreversible steps (注销主体, 注销网站) are marked in the data, offered only where the
//!   contract allows them, and say what they delete and when they are the way;
//! - no ok or info result says that all is well beside a warning or danger result;
//! - a deadline of today reads "今天是最后一天" / "today is the last day", never "0 days";
//!   English counts agree in number;
//! - no result asks for an input the reader already gave.
//!
//! Each check is a function that returns the violations it finds, run once on the shipped data
//! (no violation) and once on data edited to break the rule (the violation is found), so a
//! check that could never fail would fail its own test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use beian_checker::{classify_value, Action, Rules, Severity, State, STATES};
use serde_json::{json, Map, Value};

const TODAY: &str = "2026-10-20";

/// Every input of the sweep: each date field at offsets around every threshold, alone and with
/// companions that switch the other rows and variants on (an urgent result beside it, a refile,
/// the notice fields, the other-filings answer), on days of the year that reach each
/// annual-report row. Both languages.
fn sweep() -> Vec<Value> {
    const OFFSETS: [i64; 24] = [
        -400, -366, -365, -31, -30, -1, 0, 1, 2, 29, 30, 31, 89, 90, 91, 92, 93, 119, 120, 121,
        179, 180, 181, 400,
    ];
    let todays = [
        "2026-10-20",
        "2027-01-05",
        "2027-03-31",
        "2027-04-30",
        "2027-05-02",
    ];
    let companions: Vec<Value> = vec![
        json!({}),
        // An urgent result beside everything else: the neutral variants.
        json!({"domainExpiry": "DAY-1"}),
        json!({"noticeReceived": true}),
        json!({"planningRefile": true, "serverBilling": "subscription", "serverPurchaseMonths": 12}),
        json!({"noticeReason": "not_resolving", "provider": "tencent"}),
        json!({"miitLookup": "found", "accessStatus": "active"}),
        json!({"annualReportFiled": false}),
        json!({"gaFiled": false}),
        json!({"noticeReceived": false}),
    ];
    let fields = [
        "serverExpiry",
        "noticeDeadline",
        "domainExpiry",
        "licenceExpiry",
        "licenceIssue",
        "siteOpened",
    ];
    let mut out = Vec::new();
    for today in todays {
        let base = common::date(today);
        let day = |offset: i64| -> String {
            let d = base + chrono::Days::new(offset.unsigned_abs());
            let d = if offset < 0 {
                base - chrono::Days::new(offset.unsigned_abs())
            } else {
                d
            };
            d.format("%Y-%m-%d").to_string()
        };
        for companion in &companions {
            for field in fields {
                for offset in OFFSETS {
                    let mut m = Map::new();
                    m.insert("today".into(), json!(today));
                    for (k, v) in companion.as_object().unwrap() {
                        let v = if v == "DAY-1" {
                            json!(day(-1))
                        } else {
                            v.clone()
                        };
                        m.insert(k.clone(), v);
                    }
                    m.insert(field.into(), json!(day(offset)));
                    // The licence axis needs its annual report answered to reach every row.
                    if field.starts_with("licence") {
                        m.entry("annualReportFiled").or_insert(json!(true));
                    }
                    out.push(Value::Object(m));
                }
            }
        }
    }
    // The filing axis without dates, with every other-filings answer and reason.
    for lookup in ["found", "not_found", "unknown"] {
        for access in ["active", "cancelled", "unknown"] {
            for other in ["yes", "no", "unknown"] {
                for reason in ["not_resolving", "unreachable", "info_inaccurate", "unknown"] {
                    for server in [None, Some("2026-10-01"), Some("2026-10-25"), Some(TODAY)] {
                        let mut m = json!({"today": TODAY, "miitLookup": lookup,
                            "accessStatus": access, "otherFilings": other, "noticeReason": reason});
                        if let Some(s) = server {
                            m["serverExpiry"] = json!(s);
                        }
                        out.push(m.clone());
                        // And beside an expired domain (the neutral texts).
                        m["domainExpiry"] = json!("2026-10-19");
                        out.push(m);
                    }
                }
            }
        }
    }
    out.push(json!({"today": TODAY, "planningRefile": true}));
    out.push(json!({"today": TODAY, "planningRefile": true, "siteOpened": "2026-01-01", "gaFiled": false}));
    out.push(json!({"today": TODAY, "planningRefile": true, "serverBilling": "payg"}));
    out.push(json!({"today": TODAY, "planningRefile": true, "serverPurchaseMonths": 1, "domainExpiry": "2026-10-19"}));
    for today in todays {
        out.push(json!({"today": today, "licenceExpiry": "2030-01-01"}));
        out.push(
            json!({"today": today, "licenceExpiry": "2030-01-01", "domainExpiry": "2026-10-19"}),
        );
    }
    out.push(json!({"today": TODAY, "noticeDeadline": TODAY, "serverExpiry": "2026-10-15"}));
    out.push(json!({"today": TODAY, "siteOpened": "2026-01-01", "gaFiled": true, "domainExpiry": "2026-10-19"}));
    for today in todays {
        for filed in [json!(true), json!(false), Value::Null] {
            out.push(
                json!({"today": today, "annualReportFiled": filed, "domainExpiry": "2026-01-01"}),
            );
            out.push(
                json!({"today": today, "annualReportFiled": filed, "licenceExpiry": "2020-01-01"}),
            );
        }
    }
    let english: Vec<Value> = out
        .iter()
        .map(|i| {
            let mut i = i.clone();
            i["lang"] = json!("en");
            i
        })
        .collect();
    out.extend(english);
    out
}

/// The sweep's outputs with the shipped rules: (input, output), only those without errors.
/// A copy of `rules` with `edit` applied: each rule's check is shown to find the violation an
/// edit makes, so that a check that finds nothing cannot pass unnoticed.
fn broken(rules: &Rules, edit: impl FnOnce(&mut Rules)) -> Rules {
    let mut copy = rules.clone();
    edit(&mut copy);
    copy
}

/// The zh-CN actions of `state`.
fn zh_actions<'r>(rules: &'r mut Rules, state: &str) -> &'r mut Vec<Action> {
    &mut rules.states.get_mut(state).unwrap().zh_cn.actions
}

fn outputs(rules: &Rules) -> Vec<(Value, Value)> {
    let today = common::date(TODAY);
    sweep()
        .into_iter()
        .filter_map(|input| {
            let out = serde_json::to_value(classify_value(&input, rules, today).unwrap()).unwrap();
            let ok = out["errors"].as_array().unwrap().is_empty();
            ok.then_some((input, out))
        })
        .collect()
}

/// Title, summary and actions of a result, one string each.
fn texts(result: &Value) -> Vec<String> {
    let mut t = vec![
        result["title"].as_str().unwrap().to_owned(),
        result["summary"].as_str().unwrap().to_owned(),
    ];
    t.extend(
        result["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned()),
    );
    t
}

fn is_en(input: &Value) -> bool {
    input["lang"] == "en"
}

// ---------------------------------------------------------------------------------------------
// The last day is today; English counts agree.

fn last_day_violations(outs: &[(Value, Value)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (input, out) in outs {
        for r in out["results"].as_array().unwrap() {
            let today = out["today"].as_str().unwrap();
            let last = r.get("days") == Some(&json!(0)) || r.get("deadline") == Some(&json!(today));
            let all = texts(r).join("\n");
            let lower = all.to_lowercase();
            if last {
                let says = if is_en(input) {
                    lower.contains("today is the last day")
                } else {
                    all.contains("今天是最后一天")
                };
                if !says {
                    bad.push(format!("{}: last day not said: {input}\n{all}", r["state"]));
                }
                for never in ["不要等到", "还剩 0 天", "距今 0 天", "in 0 days"] {
                    if lower.contains(never) || has_zero_count(&lower) {
                        bad.push(format!(
                            "{}: {never:?} on the last day: {input}",
                            r["state"]
                        ));
                    }
                }
            }
            if is_en(input) {
                if let Some(n) = disagreeing_count(&all) {
                    bad.push(format!(
                        "{}: count {n:?} disagrees: {input}\n{all}",
                        r["state"]
                    ));
                }
            }
        }
    }
    bad
}

/// Whether `text` counts zero days: `0 天` or `0 day(s)` not preceded by a digit.
fn has_zero_count(text: &str) -> bool {
    ["0 天", "0 day"].iter().any(|zero| {
        text.match_indices(zero).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// A count whose unit disagrees in number: `1 days`, `3 day` (not `3-day`).
fn disagreeing_count(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '(')
        .collect();
    for pair in words.windows(2) {
        let unit = pair[1].trim_end_matches(|c: char| !c.is_alphabetic());
        let Ok(n) = pair[0].trim_start_matches('-').parse::<u64>() else {
            continue;
        };
        if (n == 1 && unit == "days") || (n != 1 && unit == "day") {
            return Some(format!("{} {}", pair[0], pair[1]));
        }
    }
    None
}

#[test]
fn a_deadline_of_today_says_today_is_the_last_day_and_counts_agree() {
    let rules = common::rules();
    let outs = outputs(&rules);
    let bad = last_day_violations(&outs);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    // Every state that can fall on today did, in both languages.
    let mut seen = BTreeSet::new();
    for (input, out) in &outs {
        for r in out["results"].as_array().unwrap() {
            if r.get("days") == Some(&json!(0)) || r.get("deadline") == Some(&out["today"]) {
                seen.insert((r["state"].as_str().unwrap().to_owned(), is_en(input)));
            }
        }
    }
    for state in STATES.iter().filter(|s| s.can_fall_on_today()) {
        for en in [false, true] {
            assert!(
                seen.contains(&(state.code().to_owned(), en)),
                "the sweep never puts {} on its last day (en: {en})",
                state.code()
            );
        }
    }
    // The check finds a violation: the last-day variant of the domain dropped.
    let broken = broken(&rules, |r| {
        for map in r.states.values_mut() {
            map.zh_cn.variants.remove("last_day");
        }
    });
    assert!(!last_day_violations(&outputs(&broken)).is_empty());
    // And a count that does not agree.
    assert_eq!(
        disagreeing_count("in 1 days, (1 day)"),
        Some("1 days,".to_owned())
    );
    assert_eq!(disagreeing_count("3 day left"), Some("3 day".to_owned()));
    assert_eq!(disagreeing_count("a 30-day window, 2 days, 1 day."), None);
    assert!(has_zero_count("还剩 0 天") && has_zero_count("in 0 days"));
    assert!(!has_zero_count("还有 90 天，30 days"));
}

// ---------------------------------------------------------------------------------------------
// Never "fine" beside an open problem.

/// Words that say all is well or nothing needs doing.
const ALL_WELL_ZH: &[&str] = &[
    "正常状态",
    "不需要做什么",
    "无需处理",
    "一切正常",
    "没有问题",
    "不受任何影响",
    "服务器正常",
    "域名正常",
    "接入正常",
    "许可证有效",
];
const ALL_WELL_EN: &[&str] = &[
    "nothing needs doing",
    "all is well",
    "in order",
    "is fine",
    "nothing to do",
    "no action",
    "not affected in any way",
    "the licence is valid",
];

fn neutral_violations(outs: &[(Value, Value)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (input, out) in outs {
        let results = out["results"].as_array().unwrap();
        let alarm = results
            .iter()
            .any(|r| r["severity"] == "warning" || r["severity"] == "danger");
        if !alarm {
            continue;
        }
        for r in results {
            if r["severity"] != "ok" && r["severity"] != "info" {
                continue;
            }
            let all = texts(r).join("\n");
            let lower = all.to_lowercase();
            let words = if is_en(input) {
                ALL_WELL_EN
            } else {
                ALL_WELL_ZH
            };
            for w in words {
                if lower.contains(&w.to_lowercase()) {
                    bad.push(format!(
                        "{}: {w:?} beside an alarm: {input}\n{all}",
                        r["state"]
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn no_ok_or_info_result_says_all_is_well_beside_a_warning_or_danger() {
    let rules = common::rules();
    let outs = outputs(&rules);
    let bad = neutral_violations(&outs);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    // Every ok and info state was shown beside an alarm, in both languages.
    let mut seen = BTreeSet::new();
    for (input, out) in &outs {
        let results = out["results"].as_array().unwrap();
        if results
            .iter()
            .any(|r| r["severity"] == "danger" || r["severity"] == "warning")
        {
            for r in results {
                seen.insert((r["state"].as_str().unwrap().to_owned(), is_en(input)));
            }
        }
    }
    for state in STATES.iter().filter(|s| s.severity() <= Severity::Info) {
        // FILING_* ok/info rows cannot stand beside an urgent filing row (one per axis), but
        // can beside other axes; every one is reached.
        for en in [false, true] {
            assert!(
                seen.contains(&(state.code().to_owned(), en)),
                "the sweep never shows {} beside an alarm (en: {en})",
                state.code()
            );
        }
    }
    // The same outputs without the neutral variants break the rule: the check finds it.
    let broken = broken(&rules, |r| {
        for map in r.states.values_mut() {
            map.zh_cn.variants.remove("neutral");
            if let Some(en) = map.en.as_mut() {
                en.variants.remove("neutral");
            }
        }
    });
    assert!(!neutral_violations(&outputs(&broken)).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Irreversible steps.

/// Words that name cancelling the whole subject, and one website's filing.
const SUBJECT_ZH: &[&str] = &["注销主体", "注销空壳主体"];
const SUBJECT_EN: &[&str] = &[
    "cancel the filer",
    "cancelling the filer",
    "cancel the shell filer",
    "cancelling the shell filer",
];
const SITE_ZH: &[&str] = &["注销网站", "注销对应的网站备案"];
const SITE_EN: &[&str] = &["(注销网站)"];
/// A step that warns against an irreversible act rather than offering it.
const WARNS: &[&str] = &[
    "不要注销主体",
    "查清之前不要注销主体",
    "do not cancel the filer",
    "you must not cancel the filer",
    "there is no need to cancel the filer",
];

fn mentions(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    words.iter().any(|w| lower.contains(&w.to_lowercase()))
}

/// Every step of the data, with where it is: (state or `reasons.X`, language, condition key,
/// action).
fn data_actions(rules: &Rules) -> Vec<(String, &'static str, &Action)> {
    let mut out = Vec::new();
    for (code, map) in &rules.states {
        for (lang, t) in
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|e| ("en", e)))
        {
            for a in &t.actions {
                out.push((code.clone(), lang, a));
            }
            for extra in t.providers.values() {
                for a in &extra.actions {
                    out.push((code.clone(), lang, a));
                }
            }
            for v in t.variants.values() {
                for a in &v.actions {
                    out.push((code.clone(), lang, a));
                }
            }
        }
    }
    for (code, map) in &rules.reasons {
        for (lang, t) in
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|e| ("en", e)))
        {
            for a in &t.actions {
                out.push((format!("reasons.{code}"), lang, a));
            }
        }
    }
    out
}

fn irreversible_violations(rules: &Rules) -> Vec<String> {
    let mut bad = Vec::new();
    for (at, lang, a) in data_actions(rules) {
        let en = lang == "en";
        let subject = mentions(&a.text, if en { SUBJECT_EN } else { SUBJECT_ZH });
        let site = mentions(&a.text, if en { SITE_EN } else { SITE_ZH });
        let warning = mentions(&a.text, WARNS);
        if (subject || site) && !warning && !a.irreversible {
            bad.push(format!(
                "{at} ({lang}): offers an irreversible step without the mark: {}",
                a.text
            ));
        }
        if !a.irreversible {
            continue;
        }
        let undone = if en {
            "cannot be undone"
        } else {
            "不可撤回"
        };
        if !a.text.contains(undone) {
            bad.push(format!(
                "{at} ({lang}): irreversible step does not say so: {}",
                a.text
            ));
        }
        if subject && !warning {
            let allowed = at == "ACCESS_CANCELLED_SHELL"
                || (at == "FILING_CANCELLED_REFILE" && a.when == "otherFilings!=yes");
            if !allowed {
                bad.push(format!(
                    "{at} ({lang}): offers 注销主体 where the contract does not allow it: {}",
                    a.text
                ));
            }
            let deletes = if en {
                ["website", "app", "mini-program", "quick"]
                    .iter()
                    .all(|w| a.text.contains(w))
            } else {
                ["网站", "APP", "小程序", "快应用"]
                    .iter()
                    .all(|w| a.text.contains(w))
            };
            let when = if en {
                a.text.contains("先接入后变更") && a.text.contains("mobile number")
            } else {
                a.text.contains("先接入后变更") && a.text.contains("手机号")
            };
            if !deletes || !when {
                bad.push(format!(
                    "{at} ({lang}): 注销主体 without what it deletes and when it is the way: {}",
                    a.text
                ));
            }
        } else if site {
            let ends = if en {
                "filing number ends"
            } else {
                "备案号作废"
            };
            if !a.text.contains(ends) {
                bad.push(format!(
                    "{at} ({lang}): 注销网站 without what it ends: {}",
                    a.text
                ));
            }
        }
    }
    // Summaries and titles never offer it; they may warn against it.
    for (code, map) in &rules.states {
        for (lang, t) in
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|e| ("en", e)))
        {
            let en = lang == "en";
            let mut all = vec![t.title.clone(), t.summary.clone()];
            for v in t.variants.values() {
                all.push(v.title.clone());
                all.push(v.summary.clone());
            }
            for text in all {
                let subject = mentions(&text, if en { SUBJECT_EN } else { SUBJECT_ZH });
                let negated = [
                    "不需要、更不应该注销主体",
                    "千万不要注销主体",
                    "no need to cancel the filer",
                    "must not cancel the filer",
                ];
                if subject && !mentions(&text, &negated) {
                    bad.push(format!(
                        "{code} ({lang}): a title or summary names 注销主体: {text}"
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn irreversible_steps_are_marked_allowed_and_explained() {
    let rules = common::rules();
    let bad = irreversible_violations(&rules);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    // There are irreversible steps, and the rows that may offer 注销主体 do.
    let marked: Vec<_> = data_actions(&rules)
        .into_iter()
        .filter(|(_, _, a)| a.irreversible)
        .collect();
    assert!(marked
        .iter()
        .any(|(at, _, _)| at == "ACCESS_CANCELLED_SHELL"));
    assert!(marked.iter().any(|(at, _, _)| at == "DOMAIN_EXPIRED"));

    // Each part of the rule fails when broken.
    // The first irreversible step of ACCESS_CANCELLED_SHELL (注销主体).
    fn first_marked(r: &mut Rules) -> &mut Action {
        let actions = zh_actions(r, "ACCESS_CANCELLED_SHELL");
        let i = actions.iter().position(|a| a.irreversible).unwrap();
        &mut actions[i]
    }
    let unmarked = broken(&rules, |r| first_marked(r).irreversible = false);
    assert!(!irreversible_violations(&unmarked).is_empty());

    let silent = broken(&rules, |r| {
        let a = first_marked(r);
        a.text = a.text.replace("不可撤回", "");
    });
    assert!(!irreversible_violations(&silent).is_empty());

    let misplaced = broken(&rules, |r| {
        let offer = first_marked(r).clone();
        zh_actions(r, "ACCESS_CANCELLED_OTHER_FILINGS").push(offer);
    });
    assert!(!irreversible_violations(&misplaced).is_empty());

    let unconditional = broken(&rules, |r| {
        for a in zh_actions(r, "FILING_CANCELLED_REFILE") {
            if a.irreversible {
                a.when.clear();
            }
        }
    });
    assert!(!irreversible_violations(&unconditional).is_empty());
}

#[test]
fn cancelling_the_subject_is_offered_only_where_the_contract_allows() {
    // Over every output of the sweep: only ACCESS_CANCELLED_SHELL, and FILING_CANCELLED_REFILE
    // with otherFilings not "yes", offer 注销主体; ACCESS_CANCELLED first asks about the other
    // filings; FILING_CANCELLED_REFILE with otherFilings yes says to add the site.
    let rules = common::rules();
    let outs = outputs(&rules);
    let mut seen = BTreeSet::new();
    for (input, out) in &outs {
        let en = is_en(input);
        for r in out["results"].as_array().unwrap() {
            let state = r["state"].as_str().unwrap();
            let offers = r["actions"].as_array().unwrap().iter().any(|a| {
                let a = a.as_str().unwrap();
                mentions(a, if en { SUBJECT_EN } else { SUBJECT_ZH }) && !mentions(a, WARNS)
            });
            let allowed = state == "ACCESS_CANCELLED_SHELL"
                || (state == "FILING_CANCELLED_REFILE" && input["otherFilings"] != "yes");
            assert!(
                !offers || allowed,
                "{state} offers 注销主体 for {input}: {r}"
            );
            if offers {
                seen.insert(state.to_owned());
            }
            let first = r["actions"][0].as_str().unwrap();
            if state == "ACCESS_CANCELLED" {
                let asks = if en { "other filings" } else { "其他备案" };
                assert!(first.contains(asks), "{input}: {first}");
            }
            if state == "FILING_CANCELLED_REFILE" && input["otherFilings"] == "yes" {
                // Both languages name the path by its Chinese term.
                assert!(
                    r["actions"].to_string().contains("新增网站"),
                    "{input}: {r}"
                );
            }
        }
    }
    assert!(seen.contains("ACCESS_CANCELLED_SHELL") && seen.contains("FILING_CANCELLED_REFILE"));
}

// ---------------------------------------------------------------------------------------------
// Ask nothing already answered.

/// Phrases by which a text asks the reader for an input, per field and language.
fn asking_phrases(field: &str, en: bool) -> &'static [&'static str] {
    match (field, en) {
        ("miitLookup", false) => &["“工信部备案查询”", "在 beian.miit.gov.cn 按域名查"],
        ("miitLookup", true) => &["“MIIT lookup”", "search beian.miit.gov.cn by domain"],
        ("accessStatus", false) => &["“接入状态”"],
        ("accessStatus", true) => &["“Access status”"],
        ("noticeReceived", false) => &["填上“收到了”"],
        ("noticeReceived", true) => &["enter “yes”"],
        ("noticeDeadline", false) => &["找到后把它填进本检查器"],
        ("noticeDeadline", true) => &["Then enter it in this checker"],
        ("serverExpiry", false) => &["填写服务器到期日", "再填上服务器到期日"],
        ("serverExpiry", true) => &[
            "Enter the server's expiry date",
            "enter the server's expiry date",
        ],
        ("domainExpiry", false) => &["填写域名到期日"],
        ("domainExpiry", true) => &["Enter the domain's expiry date"],
        ("otherFilings", false) => &["用主办单位全称查"],
        ("otherFilings", true) => &["by the filer's full name"],
        ("gaFiled", false) => &["是否已经办理公安备案"],
        ("gaFiled", true) => &["already has a public-security filing"],
        ("annualReportFiled", false) => &["年报是否已经提交"],
        ("annualReportFiled", true) => &[
            "has been submitted, then enter",
            "has been submitted, and submit",
        ],
        _ => &[],
    }
}

const ASKED_FIELDS: [&str; 9] = [
    "miitLookup",
    "accessStatus",
    "noticeReceived",
    "noticeDeadline",
    "serverExpiry",
    "domainExpiry",
    "otherFilings",
    "gaFiled",
    "annualReportFiled",
];

/// Whether the input answers `field` (as `Input::answered`, from the raw JSON).
fn answered(input: &Value, field: &str) -> bool {
    let v = &input[field];
    match field {
        "miitLookup" | "accessStatus" | "otherFilings" | "noticeReason" => {
            !v.is_null() && v != "unknown"
        }
        "noticeReceived" => {
            !v.is_null()
                || !input["noticeDeadline"].is_null()
                || (!input["noticeReason"].is_null() && input["noticeReason"] != "unknown")
        }
        _ => !v.is_null(),
    }
}

fn asking_violations(rules: &Rules, outs: &[(Value, Value)]) -> Vec<String> {
    let mut bad = Vec::new();
    // In the data: a step that asks for an input in this checker names it in `asks`.
    for (at, lang, a) in data_actions(rules) {
        let en = lang == "en";
        for field in ASKED_FIELDS {
            if mentions(&a.text, asking_phrases(field, en)) && !a.asks.iter().any(|f| f == field) {
                bad.push(format!(
                    "{at} ({lang}): asks for {field} without asks = [\"{field}\"]: {}",
                    a.text
                ));
            }
        }
    }
    // In the outputs: nothing asks for a given input.
    for (input, out) in outs {
        let en = is_en(input);
        for r in out["results"].as_array().unwrap() {
            let all = texts(r).join("\n");
            for field in ASKED_FIELDS {
                if answered(input, field) && mentions(&all, asking_phrases(field, en)) {
                    bad.push(format!(
                        "{}: asks for {field} although given: {input}",
                        r["state"]
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn no_result_asks_for_an_input_already_given() {
    let rules = common::rules();
    let outs = outputs(&rules);
    let bad = asking_violations(&rules, &outs);
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    // The contract's example: FILING_* and SERVER_* texts do not ask for the MIIT lookup once
    // it is given.
    let out = common::classify_json(
        json!({"today": TODAY, "serverExpiry": "2025-01-01", "miitLookup": "found"}),
    );
    assert_eq!(out["results"][0]["state"], "SERVER_EXPIRED_LONG_AGO");
    assert!(
        !out["results"][0].to_string().contains("工信部备案查询"),
        "{out}"
    );
    let out = common::classify_json(json!({"today": TODAY, "serverExpiry": "2025-01-01"}));
    assert!(
        out["results"][0].to_string().contains("工信部备案查询"),
        "{out}"
    );
    // A step that asks without its mark is found.
    let broken = broken(&rules, |r| {
        for a in zh_actions(r, "SERVER_EXPIRED_LONG_AGO") {
            a.asks.clear();
        }
    });
    assert!(!asking_violations(&broken, &outputs(&broken)).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Notice reasons: carried on RECTIFICATION_* results, their fix after the first action.

#[test]
fn a_notice_reason_is_carried_and_its_fix_follows_the_first_action() {
    let rules = common::rules();
    for state_input in [
        json!({"noticeDeadline": "2026-10-19"}),
        json!({"noticeDeadline": "2026-10-25", "serverExpiry": "2026-10-01"}),
        json!({"noticeReceived": true, "serverExpiry": "2026-10-01"}),
        json!({"noticeDeadline": "2026-10-25"}),
        json!({"noticeReceived": true}),
    ] {
        for reason in ["not_resolving", "unreachable", "info_inaccurate"] {
            for lang in ["zh-CN", "en"] {
                let mut input = state_input.clone();
                input["today"] = json!(TODAY);
                input["noticeReason"] = json!(reason);
                input["lang"] = json!(lang);
                let out = common::classify_json(input.clone());
                let r = &out["results"][0];
                let state = State::from_code(r["state"].as_str().unwrap()).unwrap();
                assert!(state.is_rectification(), "{input}: {r}");
                assert_eq!(r["reason"], json!(reason), "{input}");
                let plain = {
                    let mut i = input.clone();
                    i.as_object_mut().unwrap().remove("noticeReason");
                    i["noticeReceived"] = json!(true);
                    common::classify_json(i)
                };
                let own = plain["results"][0]["actions"].as_array().unwrap().clone();
                assert!(plain["results"][0].get("reason").is_none());
                let map = &rules.reasons[reason];
                let fix = if lang == "en" {
                    &map.en.as_ref().unwrap().actions
                } else {
                    &map.zh_cn.actions
                };
                let got = r["actions"].as_array().unwrap();
                let mut want = vec![own[0].clone()];
                want.extend(fix.iter().map(|a| json!(a.text)));
                want.extend(own[1..].iter().cloned());
                assert_eq!(got, &want, "{input}");
            }
        }
    }
    // `unknown` is no reason; other axes carry none.
    let out = common::classify_json(
        json!({"today": TODAY, "noticeReceived": true, "noticeReason": "unknown", "domainExpiry": "2027-10-20"}),
    );
    assert!(out["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("reason").is_none()));
    let out = common::classify_json(
        json!({"today": TODAY, "accessStatus": "cancelled", "noticeReason": "unreachable"}),
    );
    assert!(out["results"][0].get("reason").is_none(), "{out}");
}

#[test]
fn an_open_notice_names_a_server_that_expires_soon() {
    for (input, needle) in [
        (
            json!({"noticeReceived": true, "serverExpiry": "2026-10-25"}),
            "2026-10-25",
        ),
        (
            json!({"noticeDeadline": "2026-11-01", "serverExpiry": "2026-11-19"}),
            "2026-11-19",
        ),
        (
            json!({"noticeReceived": true, "serverExpiry": TODAY}),
            "今天是最后一天",
        ),
    ] {
        let mut input = input;
        input["today"] = json!(TODAY);
        let out = common::classify_json(input.clone());
        let summary = out["results"][0]["summary"].as_str().unwrap();
        assert!(
            summary.contains(needle) && summary.contains("先续费服务器"),
            "{input}: {summary}"
        );
    }
    // Beyond the soon window the server is not named.
    let out = common::classify_json(
        json!({"today": TODAY, "noticeReceived": true, "serverExpiry": "2026-11-20"}),
    );
    assert!(!out["results"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("2026-11-20"));
}
