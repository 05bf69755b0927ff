//! The shipped rules data: complete zh-CN texts, no invented cancellation day counts, and
//! `Rules::validate` catching every kind of bad edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use beian_checker::{rules_table, Rules, STATES};
use common::{rules, RULES_TOML};

#[test]
fn shipped_rules_are_valid() {
    let problems = rules().validate();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_same_struct_round_trips_through_json() {
    // The browser gets the rules as JSON; it must deserialize into the same value.
    let r = rules();
    let json = serde_json::to_string(&r).unwrap();
    let back: Rules = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn every_state_has_complete_zh_cn_texts() {
    let r = rules();
    for state in STATES {
        let texts = &r
            .states
            .get(state.code())
            .unwrap_or_else(|| panic!("{} missing", state.code()))
            .zh_cn;
        assert!(!texts.title.trim().is_empty(), "{}", state.code());
        assert!(!texts.summary.trim().is_empty(), "{}", state.code());
        assert!(!texts.condition.trim().is_empty(), "{}", state.code());
        assert!(
            !texts.actions.is_empty() && texts.actions.iter().all(|a| !a.trim().is_empty()),
            "{}",
            state.code()
        );
        assert!(
            !texts.links.is_empty(),
            "{} links to at least one guide",
            state.code()
        );
    }
}

/// Every sentence the checker can show, with where it comes from.
fn all_texts(r: &Rules) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (code, map) in &r.states {
        for (lang, t) in
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|e| ("en", e)))
        {
            let at = format!("{code}.{lang}");
            out.push((at.clone(), t.title.clone()));
            out.push((at.clone(), t.summary.clone()));
            out.push((at.clone(), t.condition.clone()));
            out.extend(t.actions.iter().map(|a| (at.clone(), a.text.clone())));
            for (p, extra) in &t.providers {
                out.extend(
                    extra
                        .actions
                        .iter()
                        .map(|a| (format!("{at}.{p}"), a.text.clone())),
                );
            }
            for (v, variant) in &t.variants {
                let at = format!("{at}.variants.{v}");
                out.push((at.clone(), variant.title.clone()));
                out.push((at.clone(), variant.summary.clone()));
                out.extend(variant.actions.iter().map(|a| (at.clone(), a.text.clone())));
            }
        }
    }
    // Form labels, hints and option labels, and the error and helper messages.
    for (name, map) in &r.fields {
        for (lang, t) in
            std::iter::once(("zh-CN", &map.zh_cn)).chain(map.en.as_ref().map(|e| ("en", e)))
        {
            let at = format!("fields.{name}.{lang}");
            out.push((at.clone(), t.label.clone()));
            out.push((at.clone(), t.hint.clone()));
            out.extend(t.options.values().map(|o| (at.clone(), o.clone())));
        }
    }
    let messages = serde_json::to_value(&r.messages).unwrap();
    for (lang, m) in messages.as_object().unwrap() {
        for (key, text) in m.as_object().unwrap() {
            out.push((
                format!("messages.{lang}.{key}"),
                text.as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

#[test]
fn no_text_claims_a_day_count_for_cancellation() {
    // Facts 2.1, 2.7, 10: no provider publishes how many days after expiry a filing is
    // cancelled or can still be restored. Catch both orders: "N 天内…注销" and "注销…N 天".
    let count = regex::Regex::new(r"\d+\s*(个)?(自然日|工作日|天|日|小时)").unwrap();
    let claim = regex::Regex::new(
        r"\d+\s*(个)?(自然日|工作日|天|日)(内|后|以内|之内).{0,40}(注销|取消接入|恢复|清理)",
    )
    .unwrap();
    let english =
        regex::Regex::new(r"(?i)(within|after)\s+\d+\s+days?.{0,40}(cancel|restor|remov)").unwrap();
    for (at, text) in all_texts(&rules()) {
        assert!(!claim.is_match(&text), "{at}: {text}");
        assert!(!english.is_match(&text), "{at}: {text}");
        // A day count next to the cancellation words must be a sourced review time, never a
        // grace period: only these phrases are allowed.
        if count.is_match(&text) && (text.contains("注销") || text.contains("取消接入")) {
            let allowed = ["最长 20 个工作日", "1～2 个工作日"];
            let stripped = allowed.iter().fold(text.clone(), |t, a| t.replace(a, ""));
            assert!(
                !count.is_match(&stripped),
                "{at}: unexplained day count near 注销/取消接入: {text}"
            );
        }
    }
}

#[test]
fn the_day_count_checks_would_catch_a_bad_text() {
    // The regex above is only useful if it matches the myth's wording.
    let claim = regex::Regex::new(
        r"\d+\s*(个)?(自然日|工作日|天|日)(内|后|以内|之内).{0,40}(注销|取消接入|恢复|清理)",
    )
    .unwrap();
    assert!(claim.is_match("服务器到期 15 天内续费可以恢复备案"));
    assert!(claim.is_match("过期30天后备案将被注销"));
}

#[test]
fn texts_never_say_the_filing_itself_expires() {
    for (at, text) in all_texts(&rules()) {
        for myth in [
            "备案到期",
            "备案过期",
            "备案有效期为",
            "备案续期",
            "续费备案",
        ] {
            assert!(!text.contains(myth), "{at}: {text}");
        }
    }
}

#[test]
fn rules_table_covers_every_state_without_raw_placeholders() {
    for lang in ["zh-CN", "en"] {
        let table = rules_table(&rules(), lang);
        assert_eq!(table.len(), STATES.len());
        for (row, state) in table.iter().zip(STATES) {
            assert_eq!(row.state, *state);
            let text = serde_json::to_string(row).unwrap();
            assert!(!text.contains('{') || !text.contains("}\""), "{text}");
            for p in [
                "{days}",
                "{abs_days}",
                "{deadline}",
                "{provider}",
                "{report_year}",
                "_days}",
                "_end}",
            ] {
                assert!(!text.contains(p), "{lang} {}: {p} in {text}", state.code());
            }
            assert!(!row.title.is_empty() && !row.condition.is_empty());
        }
    }
    let zh = rules_table(&rules(), "zh-CN");
    let soon = zh
        .iter()
        .find(|r| r.state.code() == "SERVER_EXPIRING_SOON")
        .unwrap();
    assert_eq!(soon.condition, "服务器 1～30 天内到期");
}

fn edited(from: &str, to: &str) -> Rules {
    assert!(
        RULES_TOML.contains(from),
        "test edit target not found: {from}"
    );
    toml::from_str(&RULES_TOML.replacen(from, to, 1)).unwrap()
}

fn problems(r: &Rules) -> Vec<(String, String)> {
    r.validate()
        .into_iter()
        .map(|p| (p.path.join("."), p.message))
        .collect()
}

#[test]
fn validate_catches_bad_thresholds() {
    let r = edited(
        "[thresholds.licence_renewal_due_days]\nvalue = 180",
        "[thresholds.licence_renewal_due_days]\nvalue = 60",
    );
    assert_eq!(
        problems(&r),
        [(
            "thresholds.licence_renewal_due_days.value".to_owned(),
            "licence_renewal_due_days (60) must be greater than licence_renewal_near_days (120)"
                .to_owned()
        )]
    );
    let r = edited(
        "[thresholds.licence_renewal_near_days]\nvalue = 120",
        "[thresholds.licence_renewal_near_days]\nvalue = 90",
    );
    assert_eq!(
        problems(&r),
        [(
            "thresholds.licence_renewal_near_days.value".to_owned(),
            "licence_renewal_near_days (90) must be greater than licence_renewal_deadline_days (90)"
                .to_owned()
        )]
    );
    let r = edited(
        "[thresholds.licence_renewal_near_days]\nvalue = 120",
        "[thresholds.licence_renewal_near_days]\nvalue = 180",
    );
    assert_eq!(
        problems(&r)[0].1,
        "licence_renewal_due_days (180) must be greater than licence_renewal_near_days (180)"
    );
    let r = edited(
        "[thresholds.ga_filing_window_days]\nvalue = 30",
        "[thresholds.ga_filing_window_days]\nvalue = 0",
    );
    assert_eq!(problems(&r)[0].0, "thresholds.ga_filing_window_days.value");
    assert!(problems(&r)[0].1.contains("not between 1 and"));
    let r = edited("value = \"04-30\"", "value = \"02-30\"");
    assert_eq!(
        problems(&r)[0].0,
        "thresholds.annual_report_correction_end.value"
    );
    let r = edited("value = \"04-30\"", "value = \"03-01\"");
    assert!(problems(&r)[0]
        .1
        .contains("must come after annual_report_window_end"));
    let r = edited("verified = \"2026-11-27\"", "verified = \"2026-11-31\"");
    assert_eq!(
        problems(&r)[0].0,
        "thresholds.server_expiring_soon_days.verified"
    );
    let r = edited(
        "source = \"facts 3.1: 增值电信业务经营许可证有效期为五年\"",
        "source = \" \"",
    );
    assert_eq!(
        problems(&r)[0].0,
        "thresholds.licence_validity_months.source"
    );
}

#[test]
fn validate_catches_bad_texts() {
    let r = edited("title = \"服务器即将到期\"", "title = \"\"");
    assert_eq!(
        problems(&r),
        [(
            "states.SERVER_EXPIRING_SOON.zh-CN.title".to_owned(),
            "title of `SERVER_EXPIRING_SOON` is empty".to_owned()
        )]
    );

    let r = edited("[states.GA_FILED.zh-CN]", "[states.GA_FILE.zh-CN]");
    let p = problems(&r);
    assert!(
        p.contains(&(
            // `[states.GA_FILED.en]` is still there: the state exists, its zh-CN texts do not.
            "states.GA_FILED.zh-CN.title".to_owned(),
            "title of `GA_FILED` is empty".to_owned()
        )),
        "{p:?}"
    );
    assert!(
        p.contains(&(
            "states.GA_FILE".to_owned(),
            "unknown state `GA_FILE`".to_owned()
        )),
        "{p:?}"
    );

    let r = edited("还剩 {days} 天。到期前续费", "还剩 {dais} 天。到期前续费");
    assert_eq!(
        problems(&r),
        [(
            "states.SERVER_EXPIRING_SOON.zh-CN.summary".to_owned(),
            "unknown placeholder `{dais}`".to_owned()
        )]
    );

    // A state without a key date cannot quote one.
    let r = edited(
        "summary = \"公安备案已经完成。",
        "summary = \"公安备案已经完成 {deadline}。",
    );
    assert_eq!(
        problems(&r),
        [(
            "states.GA_FILED.zh-CN.summary".to_owned(),
            "unknown placeholder `{deadline}`".to_owned()
        )]
    );

    let r = edited(
        "href = \"guides/counting-days.md#civil-code\" },\n]\n\n[states.GA_WINDOW_OPEN.zh-CN.variants.last_day]",
        "href = \"https://example.com/x\" },\n]\n\n[states.GA_WINDOW_OPEN.zh-CN.variants.last_day]",
    );
    assert_eq!(problems(&r)[0].0, "states.GA_WINDOW_OPEN.zh-CN.links");

    let r = edited(
        "[states.RECTIFICATION_OPEN.zh-CN.providers.aliyun]",
        "[states.RECTIFICATION_OPEN.zh-CN.providers.alicloud]",
    );
    assert_eq!(problems(&r)[0].1, "unknown provider `alicloud`");

    let r = edited(
        "actions = [\n  \"记下域名到期日，或开启自动续费。\",\n]",
        "actions = []",
    );
    assert_eq!(problems(&r)[0].1, "state `DOMAIN_OK` has no zh-CN actions");

    // Text variants: the one the classification uses must exist, unknown ones are reported,
    // and only the rectification-with-expired-server state may quote the server's expiry.
    let r = edited(
        "[states.DOMAIN_OK.zh-CN.variants.neutral]",
        "[states.DOMAIN_OK.zh-CN.variants.too_short]",
    );
    let p = problems(&r);
    assert!(
        p.iter()
            .any(|(_, m)| m == "`too_short` is not a text variant of `DOMAIN_OK`"),
        "{p:?}"
    );
    assert!(
        p.iter().any(
            |(at, m)| at == "states.DOMAIN_OK.zh-CN.variants.neutral.title"
                && m.contains("no zh-CN title")
        ),
        "{p:?}"
    );
    let r = edited(
        "summary = \"服务器将在 {deadline} 到期，还剩 {days} 天。",
        "summary = \"服务器将在 {server_expiry} 到期，还剩 {days} 天。",
    );
    assert_eq!(
        problems(&r),
        [(
            "states.SERVER_EXPIRING_SOON.zh-CN.summary".to_owned(),
            "unknown placeholder `{server_expiry}`".to_owned()
        )]
    );
    // A state without a deadline cannot count the days to it.
    let r = edited(
        "summary = \"公安备案已经完成。",
        "summary = \"公安备案已经完成 {deadline_days}。",
    );
    assert_eq!(problems(&r)[0].1, "unknown placeholder `{deadline_days}`");
}

#[test]
fn validate_catches_bad_fields_and_messages() {
    let r = edited("payg = \"按量付费\" }", "payg = \"\" }");
    assert_eq!(
        problems(&r)[0].1,
        "option `payg` of `serverBilling` has no zh-CN label"
    );
    let r = edited("[fields.gaFiled.zh-CN]", "[fields.gaFilled.zh-CN]");
    let p = problems(&r);
    assert!(
        p.iter().any(|(_, m)| m == "label of `gaFiled` is empty"),
        "{p:?}"
    );
    assert!(
        p.iter().any(|(_, m)| m == "unknown input field `gaFilled`"),
        "{p:?}"
    );
    let r = edited("no_input = \"请至少", "no_input = \"{oops}请至少");
    assert_eq!(
        problems(&r)[0],
        (
            "messages.zh-CN.no_input".to_owned(),
            "unknown placeholder `{oops}`".to_owned()
        )
    );
    let r = edited(
        "[axes.domain.zh-CN]\ntitle = \"域名\"",
        "[axes.domain.zh-CN]\ntitle = \"\"",
    );
    assert_eq!(problems(&r)[0].0, "axes.domain.zh-CN.title");
}

#[test]
fn validate_reports_a_state_with_no_table_at_all() {
    let bad = RULES_TOML.replace("[states.GA_FILED.", "[states.GA_FILEDX.");
    let p = problems(&toml::from_str(&bad).unwrap());
    assert_eq!(
        p,
        [
            (
                "states".to_owned(),
                "state `GA_FILED` has no texts".to_owned()
            ),
            (
                "states.GA_FILEDX".to_owned(),
                "unknown state `GA_FILEDX`".to_owned()
            ),
        ]
    );
}

#[test]
fn unknown_keys_are_rejected_by_the_parser() {
    let bad = RULES_TOML.replacen(
        "[thresholds.ga_filing_window_days]\n",
        "[thresholds.ga_filing_window_days]\nunit = \"days\"\n",
        1,
    );
    let e = toml::from_str::<Rules>(&bad).unwrap_err();
    assert!(e.message().contains("unknown field `unit`"), "{e}");
    let bad = RULES_TOML.replacen(
        "[thresholds.ga_filing_window_days]\n",
        "[thresholds.ga_window_days]\nvalue = 1\n[thresholds.ga_filing_window_days]\n",
        1,
    );
    assert!(toml::from_str::<Rules>(&bad).is_err());
}

#[test]
fn every_danger_state_leads_with_what_to_do_today() {
    // The actions are an ordered list; for an urgent result the first says what to do today.
    let r = rules();
    for state in beian_checker::STATES {
        if state.severity() != beian_checker::Severity::Danger {
            continue;
        }
        let map = &r.states[state.code()];
        let first = map
            .zh_cn
            .actions
            .first()
            .map(|a| a.text.as_str())
            .unwrap_or("");
        assert!(first.starts_with("今天"), "{}: {first}", state.code());
        if let Some(en) = &map.en {
            let first = en.actions.first().map(|a| a.text.as_str()).unwrap_or("");
            assert!(first.starts_with("Today"), "{} (en): {first}", state.code());
        }
    }
}

#[test]
fn a_dead_server_is_never_called_reachable() {
    // RECTIFICATION_OPEN_SERVER_EXPIRED: the server has stopped, so no text may say the site
    // can be reached during the rectification period (usability finding 1).
    let r = rules();
    let map = &r.states["RECTIFICATION_OPEN_SERVER_EXPIRED"];
    let mut texts = vec![map.zh_cn.title.clone(), map.zh_cn.summary.clone()];
    texts.extend(map.zh_cn.actions.iter().map(|a| a.text.clone()));
    for extra in map.zh_cn.providers.values() {
        texts.extend(extra.actions.iter().map(|a| a.text.clone()));
    }
    let all = texts.join("\n");
    for reachable in ["照常访问", "可以正常访问", "一般可以", "仍可访问"] {
        assert!(!all.contains(reachable), "{reachable} in {all}");
    }
    assert!(all.contains("打不开"), "{all}");
}

#[test]
fn the_lookup_is_never_said_to_show_the_access_provider() {
    // Facts part 2, 9.2: the public MIIT lookup has no access-provider field.
    for (at, text) in all_texts(&rules()) {
        for claim in [
            "查询显示网站有接入商",
            "能查到，且有接入商",
            "能查到，但没有接入商",
            "备案查询能查到网站，但没有接入信息",
        ] {
            assert!(!text.contains(claim), "{at}: {text}");
        }
    }
}

#[test]
fn the_threshold_list_names_every_field_with_its_value() {
    // `Thresholds::entries` is the one list of thresholds (reading, validation, placeholders):
    // it must name each serialized field once, with that field's value.
    let r = rules();
    let json = serde_json::to_value(&r.thresholds).unwrap();
    let fields = json.as_object().unwrap();
    let entries = r.thresholds.entries();
    assert_eq!(entries.len(), fields.len());
    for (name, entry) in entries {
        let field = &fields
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a field"))["value"];
        match entry {
            beian_checker::ThresholdRef::Count { value, .. } => {
                assert_eq!(field.as_i64(), Some(value.value), "{name}");
            }
            beian_checker::ThresholdRef::MonthDay(t) => {
                assert_eq!(field.as_str(), Some(t.value.as_str()), "{name}");
            }
        }
    }
}
