//! Input validation, errors, warnings and usage errors of the contract ("details that are easy
//! to get wrong"), plus the pure date helpers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use beian_checker::{classify_json as classify_text, parse_date, today_in_shanghai, UsageError};
use common::{classify_json, date, default_today, rules};
use serde_json::{json, Value};

fn errors(out: &Value) -> Vec<(String, Option<String>)> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_owned(),
                e.get("field").map(|f| f.as_str().unwrap().to_owned()),
            )
        })
        .collect()
}

fn err(code: &str, field: &str) -> (String, Option<String>) {
    (code.to_owned(), Some(field.to_owned()))
}

#[test]
fn strict_date_parsing() {
    for bad in [
        "2026-02-30",
        "2027-02-29",
        "2026/10/01",
        "2026-1-5",
        "20261001",
        "",
        " 2026-10-01",
        "2026-10-01 ",
        "2026-10-01T00:00:00",
        "2026-13-01",
        "2026-00-10",
        "2026-10-00",
        "+2026-10-01",
        "２０２６-10-01",
        "2026-10-1",
        "26-10-01",
        "2026-1０-01",
    ] {
        assert_eq!(parse_date(bad), None, "{bad:?} must be invalid");
    }
    assert_eq!(parse_date("2028-02-29"), Some(date("2028-02-29")));
    assert_eq!(parse_date("2000-02-29"), Some(date("2000-02-29")));
    assert_eq!(parse_date("1900-02-29"), None);
    assert_eq!(
        parse_date("0001-01-01").map(|d| d.to_string()),
        Some("0001-01-01".to_owned())
    );
    assert_eq!(
        parse_date("9999-12-31").map(|d| d.to_string()),
        Some("9999-12-31".to_owned())
    );
}

#[test]
fn today_in_shanghai_is_utc_plus_8() {
    // 2026-10-19T15:59:59.999Z is 23:59:59.999 in Shanghai; one millisecond later it is the 20th.
    let ms = 1_792_425_599_999_i64;
    assert_eq!(today_in_shanghai(ms), date("2026-10-19"));
    assert_eq!(today_in_shanghai(ms + 1), date("2026-10-20"));
    assert_eq!(today_in_shanghai(0), date("1970-01-01"));
    assert_eq!(today_in_shanghai(-8 * 3_600_000 - 1), date("1969-12-31"));
    // Extreme clocks saturate instead of panicking.
    let _ = today_in_shanghai(i64::MAX);
    let _ = today_in_shanghai(i64::MIN);
}

#[test]
fn invalid_dates_are_invalid_date_one_per_field() {
    for bad in [
        json!("2026-02-30"),
        json!("2027-02-29"),
        json!("2026/10/01"),
        json!("2026-1-5"),
        json!("20261001"),
        json!(20261001),
        json!(true),
        json!({"y": 2026}),
        json!(["2026-10-01"]),
    ] {
        let out =
            classify_json(json!({"today": "2026-10-20", "serverExpiry": bad, "domainExpiry": bad}));
        assert_eq!(
            errors(&out),
            vec![
                err("INVALID_DATE", "serverExpiry"),
                err("INVALID_DATE", "domainExpiry")
            ],
            "{bad}"
        );
        assert_eq!(out["results"], json!([]));
        assert_eq!(out["warnings"], json!([]));
        assert!(!out["errors"][0]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn invalid_today_is_reported_and_default_used_for_output_today() {
    let out = classify_json(json!({"today": "2026-02-30", "serverExpiry": "2026-10-21"}));
    assert_eq!(errors(&out), vec![err("INVALID_DATE", "today")]);
    assert_eq!(out["today"], json!("2001-01-01"));
}

#[test]
fn a_valid_today_is_the_output_today_even_when_other_fields_are_invalid() {
    let out = classify_json(json!({"today": "2026-10-20", "serverExpiry": "2026-02-30"}));
    assert_eq!(errors(&out), vec![err("INVALID_DATE", "serverExpiry")]);
    assert_eq!(out["today"], json!("2026-10-20"));
    // A repeated today is an error itself, so the default is used.
    let r = rules();
    let out = classify_text(
        r#"{"today": "2026-10-20", "today": "2026-10-20", "serverExpiry": "2026-11-05"}"#,
        &r,
        default_today(),
    )
    .unwrap();
    assert_eq!(out.today, "2001-01-01");
}

#[test]
fn every_other_bad_value_is_invalid_value() {
    let cases = [
        ("lang", json!("zh")),
        ("lang", json!(1)),
        ("provider", json!("AliYun")),
        ("provider", json!(null)),
        ("serverBilling", json!("monthly")),
        ("serverPurchaseMonths", json!(-1)),
        ("serverPurchaseMonths", json!(3.5)),
        ("serverPurchaseMonths", json!("3")),
        ("serverPurchaseMonths", json!(-0.5)),
        ("serverPurchaseMonths", json!(3.0)),
        ("serverPurchaseMonths", json!(1e2)),
        ("miitLookup", json!("gone")),
        ("miitLookup", json!("active_with_provider")),
        ("miitLookup", json!("active_no_access")),
        ("miitLookup", json!("Found")),
        ("accessStatus", json!("removed")),
        ("accessStatus", json!(true)),
        ("planningRefile", json!("true")),
        ("planningRefile", json!(1)),
        ("annualReportFiled", json!(0)),
        ("gaFiled", json!("yes")),
    ];
    for (field, value) in cases {
        let out = classify_json(
            json!({"today": "2026-10-20", "serverExpiry": "2026-10-21", field: value}),
        );
        if value.is_null() {
            assert_eq!(errors(&out), vec![], "null is absent for {field}");
            continue;
        }
        assert_eq!(
            errors(&out),
            vec![err("INVALID_VALUE", field)],
            "{field} = {value}"
        );
        assert_eq!(out["results"], json!([]));
    }
}

#[test]
fn every_invalid_field_is_reported_in_contract_order_then_unknown_keys() {
    let out = classify_json(json!({
        "zeta": 1, "gaFiled": 1, "today": 1, "alpha": null, "serverExpiry": "x", "lang": "fr",
        "serverPurchaseMonths": -5, "Serverexpiry": "2026-10-10", "accessStatus": "x",
        "miitLookup": "active_no_access"
    }));
    assert_eq!(
        errors(&out),
        vec![
            err("INVALID_DATE", "today"),
            err("INVALID_VALUE", "lang"),
            err("INVALID_DATE", "serverExpiry"),
            err("INVALID_VALUE", "serverPurchaseMonths"),
            err("INVALID_VALUE", "miitLookup"),
            err("INVALID_VALUE", "accessStatus"),
            err("INVALID_VALUE", "gaFiled"),
            err("INVALID_VALUE", "Serverexpiry"),
            err("INVALID_VALUE", "alpha"),
            err("INVALID_VALUE", "zeta"),
        ]
    );
}

#[test]
fn errors_suppress_warnings_and_results() {
    let out = classify_json(
        json!({"today": "2026-10-20", "serverExpiry": "1990-01-01", "domainExpiry": "bad"}),
    );
    assert_eq!(errors(&out), vec![err("INVALID_DATE", "domainExpiry")]);
    assert_eq!(out["warnings"], json!([]));
    assert_eq!(out["results"], json!([]));
}

#[test]
fn null_means_absent() {
    let out = classify_json(
        json!({"today": "2026-10-20", "serverExpiry": null, "domainExpiry": "2026-11-20",
        "provider": null, "lang": null, "miitLookup": null, "gaFiled": null}),
    );
    assert_eq!(errors(&out), vec![]);
    assert_eq!(out["results"].as_array().unwrap().len(), 1);
    assert_eq!(out["results"][0]["state"], json!("DOMAIN_OK"));
}

#[test]
fn null_today_uses_the_default() {
    let out = classify_json(json!({"today": null, "serverExpiry": "2001-01-02"}));
    assert_eq!(out["today"], json!("2001-01-01"));
    assert_eq!(out["results"][0]["days"], json!(1));
}

#[test]
fn no_input() {
    for input in [
        json!({"today": "2026-10-20"}),
        json!({}),
        json!({"today": "2026-10-20", "miitLookup": "unknown", "accessStatus": "unknown",
               "provider": "aliyun", "lang": "en", "serverBilling": "payg",
               "serverPurchaseMonths": 12, "planningRefile": false, "licenceIssue": null}),
        json!({"today": "2026-10-20", "gaFiled": true}),
    ] {
        let out = classify_json(input.clone());
        assert_eq!(out["errors"].as_array().unwrap().len(), 1, "{input}");
        assert_eq!(out["errors"][0]["code"], json!("NO_INPUT"));
        assert!(
            out["errors"][0].get("field").is_none(),
            "NO_INPUT has no field"
        );
        assert_eq!(out["results"], json!([]));
        assert_eq!(out["warnings"], json!([]));
    }
    // NO_INPUT only when the input is otherwise valid.
    let out = classify_json(json!({"today": "2026-10-20", "provider": "x"}));
    assert_eq!(errors(&out), vec![err("INVALID_VALUE", "provider")]);
}

#[test]
fn implausible_dates_warn_but_classify() {
    let cases = [
        ("2026-10-20", "serverExpiry", "1999-12-31", true),
        ("2026-10-20", "serverExpiry", "2000-01-01", false),
        ("2026-10-20", "domainExpiry", "2036-10-20", false),
        ("2026-10-20", "domainExpiry", "2036-10-21", true),
        ("2028-02-29", "domainExpiry", "2038-02-28", false),
        ("2028-02-29", "domainExpiry", "2038-03-01", true),
        ("2026-10-20", "serverExpiry", "1900-01-01", true),
        ("2026-10-20", "noticeDeadline", "2199-12-31", true),
    ];
    for (today, field, value, warn) in cases {
        let out = classify_json(json!({"today": today, field: value}));
        assert_eq!(errors(&out), vec![], "{field} {value}");
        assert_eq!(
            out["results"].as_array().unwrap().len(),
            1,
            "still classified: {field} {value}"
        );
        let warnings = out["warnings"].as_array().unwrap();
        if warn {
            assert_eq!(warnings.len(), 1, "{field} {value}");
            assert_eq!(warnings[0]["code"], json!("DATE_IMPLAUSIBLE"));
            assert_eq!(warnings[0]["field"], json!(field));
            assert!(warnings[0]["message"].as_str().unwrap().contains(value));
        } else {
            assert!(warnings.is_empty(), "{field} {value}: {warnings:?}");
        }
    }
    // Several fields, in contract order; an implausible today itself does not warn.
    let out = classify_json(
        json!({"today": "1999-06-01", "siteOpened": "1980-01-01", "gaFiled": false,
        "serverExpiry": "1999-07-01"}),
    );
    let fields: Vec<&str> = out["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["serverExpiry", "siteOpened"]);
}

#[test]
fn usage_errors() {
    let r = rules();
    for text in ["[]", "42", "\"x\"", "null", "true"] {
        assert_eq!(
            classify_text(text, &r, default_today()),
            Err(UsageError::NotAnObject),
            "{text}"
        );
    }
    for text in ["", "{", "nope", "{\"a\":1,}", "{'a': 1}"] {
        match classify_text(text, &r, default_today()) {
            Err(UsageError::NotJson(m)) => {
                let line = UsageError::NotJson(m).to_string();
                assert!(!line.contains('\n'), "one line: {line}");
                assert!(line.starts_with("input is not valid json"), "{line}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    assert!(!UsageError::NotAnObject.to_string().contains('\n'));
}

#[test]
fn output_json_shape_follows_the_contract() {
    let r = rules();
    let out = classify_text(
        r#"{"today":"2026-10-20","serverExpiry":"2026-11-05","planningRefile":true}"#,
        &r,
        default_today(),
    )
    .unwrap();
    let text = serde_json::to_string(&out).unwrap();
    // Key order as in the contract's example; absent days/deadline are left out, not null.
    assert!(text.starts_with(r#"{"today":"2026-10-20","results":[{"axis":"filing","state":"SERVER_EXPIRING_SOON","severity":"warning","days":16,"deadline":"2026-11-05","title":"#), "{text}");
    assert!(
        text.contains(
            r#"{"axis":"refile","state":"REFILE_NOT_CHECKED","severity":"info","title":"#
        ),
        "{text}"
    );
    assert!(text.ends_with(r#""warnings":[],"errors":[]}"#), "{text}");
    assert!(!text.contains("null"));
}

#[test]
fn provider_changes_wording_not_state() {
    let base = json!({"today": "2026-10-20", "serverExpiry": "2026-10-17"});
    let other = classify_json(base.clone());
    for provider in ["aliyun", "tencent", "huawei"] {
        let mut input = base.clone();
        input["provider"] = json!(provider);
        let out = classify_json(input);
        assert_eq!(out["results"][0]["state"], other["results"][0]["state"]);
        assert_eq!(out["results"][0]["days"], other["results"][0]["days"]);
        let n = out["results"][0]["actions"].as_array().unwrap().len();
        assert!(
            n > other["results"][0]["actions"].as_array().unwrap().len(),
            "{provider} adds an action"
        );
    }
}

#[test]
fn english_texts_and_fallback() {
    let out =
        classify_json(json!({"today": "2026-10-20", "serverExpiry": "2026-11-05", "lang": "en"}));
    let r = &out["results"][0];
    assert_eq!(r["title"], json!("The server expires soon"));
    assert!(r["summary"].as_str().unwrap().contains("2026-11-05"));
    assert_eq!(
        r["actions"][0],
        json!("Renew the server before it expires, or turn on auto-renewal.")
    );
    // The shipped data has English for the static table's condition column and for
    // provider-specific actions.
    let en_condition =
        "condition = \"The website cannot be found in the MIIT filing lookup (beian.miit.gov.cn)\"\n";
    let en_tencent = "[states.SERVER_EXPIRED_FILING_AT_RISK.en.providers.tencent]\n";
    let table = beian_checker::rules_table(common::shared_rules(), "en");
    assert_eq!(
        table[0].condition,
        "The website cannot be found in the MIIT filing lookup (beian.miit.gov.cn)"
    );
    let tencent_expired = json!({"today": "2026-10-20", "serverExpiry": "2026-10-17", "lang": "en", "provider": "tencent"});
    let last_action = |out: &Value| {
        out["results"][0]["actions"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(last_action(&classify_json(tencent_expired.clone())).starts_with("Tencent Cloud"));
    // Texts without an English draft fall back to zh-CN rather than vanish: checked on a copy
    // of the data with those two English texts removed.
    assert!(common::RULES_TOML.contains(en_condition) && common::RULES_TOML.contains(en_tencent));
    let (head, tail) = common::RULES_TOML.split_once(en_tencent).unwrap();
    // Drop the provider table's header and its `actions` line.
    let tail = tail.split_once('\n').unwrap().1;
    let without_en: beian_checker::Rules =
        toml::from_str(&format!("{head}{tail}").replacen(en_condition, "", 1)).unwrap();
    let table = beian_checker::rules_table(&without_en, "en");
    assert_eq!(
        table[0].condition,
        "在工信部备案查询（beian.miit.gov.cn）中查不到该网站"
    );
    let out = serde_json::to_value(
        beian_checker::classify_value(&tencent_expired, &without_en, common::default_today())
            .unwrap(),
    )
    .unwrap();
    assert!(last_action(&out).starts_with("腾讯云"));
    let out = classify_json(json!({"today": "2026-10-20", "serverExpiry": "x", "lang": "en"}));
    assert!(out["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Server expiry date"));
}

#[test]
fn v1_lookup_values_say_what_to_use_instead() {
    for (old, access) in [
        ("active_with_provider", "active"),
        ("active_no_access", "cancelled"),
    ] {
        for lang in ["zh-CN", "en"] {
            let out =
                classify_json(json!({"today": "2026-10-20", "miitLookup": old, "lang": lang}));
            assert_eq!(errors(&out), vec![err("INVALID_VALUE", "miitLookup")]);
            let message = out["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains(old), "{message}");
            assert!(message.contains("\"found\""), "{message}");
            assert!(message.contains(&format!("\"{access}\"")), "{message}");
            assert!(message.contains("accessStatus"), "{message}");
        }
    }
    // The preset validation says the same in English.
    let map = json!({"miitLookup": "active_no_access"});
    let problems = beian_checker::check_input(map.as_object().unwrap()).unwrap_err();
    let d = problems[0].describe();
    assert!(
        d.contains("accessStatus = \"cancelled\"") && d.contains("miitLookup = \"found\""),
        "{d}"
    );
}

#[test]
fn duplicate_keys_are_invalid_value_on_that_key() {
    let r = rules();
    let today = default_today();
    let out = |text: &str| serde_json::to_value(classify_text(text, &r, today).unwrap()).unwrap();
    // Same value twice, different values, a null and a value: always an error, never "last wins".
    for text in [
        r#"{"today":"2026-10-20","serverExpiry":"2026-11-05","serverExpiry":"2026-11-05"}"#,
        r#"{"today":"2026-10-20","serverExpiry":"2026-11-05","serverExpiry":"2027-11-05"}"#,
        r#"{"today":"2026-10-20","serverExpiry":null,"serverExpiry":"2027-11-05"}"#,
        r#"{"today":"2026-10-20","serverExpiry":"bad","serverExpiry":"2027-11-05"}"#,
    ] {
        let o = out(text);
        assert_eq!(
            errors(&o),
            vec![err("INVALID_VALUE", "serverExpiry")],
            "{text}"
        );
        assert_eq!(o["results"], json!([]));
        assert_eq!(o["warnings"], json!([]));
        assert!(o["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("不止一次"));
    }
    // Several duplicates, with other errors: contract order, then unknown keys in input order,
    // each once.
    let o = out(
        r#"{"zz":1,"gaFiled":true,"today":"2026-10-20","gaFiled":false,"aa":2,"zz":3,"lang":"en","lang":"en"}"#,
    );
    assert_eq!(
        errors(&o),
        vec![
            err("INVALID_VALUE", "lang"),
            err("INVALID_VALUE", "gaFiled"),
            err("INVALID_VALUE", "zz"),
            err("INVALID_VALUE", "aa"),
        ]
    );
    // A duplicated `lang` cannot choose the language of the messages.
    assert!(o["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("不止一次"));
    // Nested duplicates are inside a value that is invalid anyway.
    let o = out(r#"{"today":"2026-10-20","serverExpiry":{"a":1,"a":2}}"#);
    assert_eq!(errors(&o), vec![err("INVALID_DATE", "serverExpiry")]);
}

#[test]
fn input_over_one_megabyte_is_a_usage_error() {
    let r = rules();
    let pad = |n: usize| {
        format!(
            "{{\"today\":\"2026-10-20\",\"serverExpiry\":\"2026-11-05\"{}}}",
            " ".repeat(n)
        )
    };
    let base = pad(0).len();
    let limit = usize::try_from(beian_checker::MAX_INPUT_BYTES).unwrap();
    assert_eq!(limit, 1024 * 1024);
    let at_limit = pad(limit - base);
    assert_eq!(at_limit.len(), limit);
    assert!(classify_text(&at_limit, &r, default_today()).is_ok());
    let over = pad(limit - base + 1);
    match classify_text(&over, &r, default_today()) {
        Err(e @ UsageError::TooLarge(_)) => {
            let line = e.to_string();
            assert!(!line.contains('\n') && line.contains("1048576"), "{line}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn dates_outside_1900_to_2199_are_invalid_date() {
    // Contract v3: every date, `today` included, lies in 1900-01-01 … 2199-12-31.
    for (field, value) in [
        ("serverExpiry", "1899-12-31"),
        ("domainExpiry", "2200-01-01"),
        ("licenceIssue", "0001-01-01"),
        ("licenceExpiry", "0000-03-30"),
        ("siteOpened", "9999-12-31"),
        ("noticeDeadline", "2500-06-01"),
    ] {
        let out = classify_json(json!({"today": "2026-10-20", field: value}));
        assert_eq!(
            errors(&out),
            vec![err("INVALID_DATE", field)],
            "{field} {value}"
        );
        assert!(out["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1900"));
        assert_eq!(out["today"], json!("2026-10-20"));
    }
    // An invalid today is reported like any other field, beside the others; the output's
    // today is then the default.
    let out = classify_json(
        json!({"today": "2200-01-01", "provider": "x", "serverExpiry": "1800-01-01"}),
    );
    assert_eq!(
        errors(&out),
        vec![
            err("INVALID_DATE", "today"),
            err("INVALID_VALUE", "provider"),
            err("INVALID_DATE", "serverExpiry")
        ]
    );
    assert_eq!(out["today"], json!("2001-01-01"));
    // The edges are dates like any other, and the dates derived from them may leave the range
    // by a few years: they are printed the same way.
    let edges = [
        (
            json!({"today": "2199-12-31", "siteOpened": "2199-12-31", "gaFiled": false}),
            "2200-01-30",
        ),
        (
            json!({"today": "2199-06-01", "licenceIssue": "2199-01-01"}),
            "2203-10-03",
        ),
        (
            json!({"today": "1900-01-01", "licenceExpiry": "1900-01-01"}),
            "1899-10-03",
        ),
        (
            json!({"today": "2199-12-31", "licenceExpiry": "2199-12-31", "annualReportFiled": false}),
            "2199-12-31",
        ),
    ];
    for (input, date) in edges {
        let out = classify_json(input.clone());
        assert_eq!(errors(&out), vec![], "{input}");
        let text = out.to_string();
        assert!(text.contains(date), "{input}: {text}");
    }
}

#[test]
fn corners_settled_in_contract_v3() {
    let r = rules();
    let run = |text: &str| classify_text(text, &r, default_today());
    let out = |text: &str| serde_json::to_value(run(text).unwrap()).unwrap();
    let codes = |v: &Value| -> Vec<(String, String)> {
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap().to_owned(),
                    e["field"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let one = |code: &str, field: &str| vec![(code.to_owned(), field.to_owned())];
    // A key given twice: one INVALID_VALUE, whatever the type and values, null included.
    for text in [
        r#"{"today":"2026-10-20","serverExpiry":null,"serverExpiry":null}"#,
        r#"{"today":"2026-10-20","serverExpiry":"2026-11-05","serverExpiry":"bad"}"#,
        r#"{"today":"2026-10-20","serverExpiry":null,"serverExpiry":"2026-11-05","serverExpiry":3}"#,
    ] {
        assert_eq!(
            codes(&out(text)),
            one("INVALID_VALUE", "serverExpiry"),
            "{text}"
        );
    }
    // An unknown key, even with null (and once, however often it is given).
    assert_eq!(
        codes(&out(
            r#"{"today":"2026-10-20","serverExpiry":"2026-11-05","x":null,"x":1}"#
        )),
        one("INVALID_VALUE", "x")
    );
    // -0 is negative; above 2^64 − 1 is too large, and says so.
    let v = out(r#"{"today":"2026-10-20","planningRefile":true,"serverPurchaseMonths":-0}"#);
    assert_eq!(codes(&v), one("INVALID_VALUE", "serverPurchaseMonths"));
    assert!(!v["errors"][0]["message"].as_str().unwrap().contains("太大"));
    let v = out(
        r#"{"today":"2026-10-20","planningRefile":true,"serverPurchaseMonths":18446744073709551616}"#,
    );
    assert_eq!(codes(&v), one("INVALID_VALUE", "serverPurchaseMonths"));
    assert!(
        v["errors"][0]["message"].as_str().unwrap().contains("太大"),
        "{v}"
    );
    let v = out(
        r#"{"today":"2026-10-20","lang":"en","planningRefile":true,"serverPurchaseMonths":99999999999999999999999}"#,
    );
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too large"),
        "{v}"
    );
    let v = out(
        r#"{"today":"2026-10-20","planningRefile":true,"serverPurchaseMonths":18446744073709551615}"#,
    );
    assert_eq!(codes(&v), vec![]);
    // A byte order mark at the start is ignored; elsewhere outside a string it is not JSON;
    // inside a string it is a character.
    assert_eq!(
        codes(&out(
            "\u{feff}{\"today\":\"2026-10-20\",\"serverExpiry\":\"2026-11-05\"}"
        )),
        vec![]
    );
    assert!(matches!(
        run("{\u{feff}\"today\":\"2026-10-20\"}"),
        Err(UsageError::NotJson(_))
    ));
    assert!(matches!(
        run("\u{feff}\u{feff}{}"),
        Err(UsageError::NotJson(_))
    ));
    assert_eq!(
        codes(&out("{\"today\":\"2026-10-20\",\"lang\":\"\u{feff}en\"}")),
        one("INVALID_VALUE", "lang")
    );
    // The byte order mark counts toward the size limit.
    let limit = usize::try_from(beian_checker::MAX_INPUT_BYTES).unwrap();
    let body = |n: usize| {
        format!(
            "{{\"today\":\"2026-10-20\",\"serverExpiry\":\"2026-11-05\"{}}}",
            " ".repeat(n)
        )
    };
    let exact = body(limit - body(0).len());
    assert!(run(&exact).is_ok());
    let with_bom = format!("\u{feff}{}", body(limit - body(0).len() - 3));
    assert_eq!(with_bom.len(), limit);
    assert!(run(&with_bom).is_ok());
    let over = format!("\u{feff}{exact}");
    assert!(matches!(run(&over), Err(UsageError::TooLarge(_))));
    // A lone surrogate escape is not JSON; 128 levels of nesting are, 129 are not (the
    // top-level object is the first).
    assert!(matches!(
        run(r#"{"x":"\ud800"}"#),
        Err(UsageError::NotJson(_))
    ));
    let nested = |n: usize| format!("{{\"x\":{}{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
    assert!(run(&nested(128)).is_ok());
    assert!(matches!(run(&nested(129)), Err(UsageError::NotJson(_))));
    // noticeReceived: false beside a deadline or a reason (valid or not) is an error on it.
    let v = out(r#"{"today":"2026-10-20","noticeReceived":false,"noticeDeadline":"2026-02-30"}"#);
    assert_eq!(
        codes(&v),
        vec![
            ("INVALID_DATE".to_owned(), "noticeDeadline".to_owned()),
            ("INVALID_VALUE".to_owned(), "noticeReceived".to_owned())
        ]
    );
    let v = out(
        r#"{"today":"2026-10-20","noticeReceived":false,"noticeReason":"unknown","accessStatus":"active"}"#,
    );
    assert_eq!(codes(&v), vec![]);
}

#[test]
fn many_unknown_keys_are_each_reported_once_in_input_order() {
    // 70,000 distinct unknown keys (the contract's linear-cost case; its timing is measured by
    // bench/checker/unknown-keys.sh, not here), with repeats, after a known field.
    let r = rules();
    let mut text = String::from("{\"today\":\"2026-10-20\"");
    for i in 0..70_000 {
        text.push_str(&format!(",\"k{i}\":1"));
    }
    text.push_str(",\"k5\":2,\"k0\":null}");
    assert!(text.len() < 1024 * 1024);
    let out = classify_text(&text, &r, default_today()).unwrap();
    assert_eq!(out.errors.len(), 70_000);
    for (i, e) in out.errors.iter().enumerate() {
        assert_eq!(e.field.as_deref(), Some(format!("k{i}").as_str()));
    }
}
