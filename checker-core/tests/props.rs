//! Property tests: any input object built from the contract's fields (valid and invalid values,
//! extra keys) gives either errors and nothing else, or exactly one result per present axis, in
//! axis order (classification is total); every date in any output is a well-formed YYYY-MM-DD
//! in 0000–9999; any JSON object (values of any type, nested) classifies the same from its text
//! and its value; and any text is classified or refused as the JSON parser sees it, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use beian_checker::{classify_value, parse_date, Rules, UsageError, AXES};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn any_date() -> impl Strategy<Value = Value> {
    prop_oneof![
        // Real dates around today, far past and far future.
        (1990i32..2040, 1u32..=12, 1u32..=31)
            .prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        (0i32..=9999, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        // The edges of four-digit years, where derived dates can leave them.
        (prop_oneof![0i32..=5, 9990i32..=9999], 1u32..=12, 1u32..=31)
            .prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        Just(json!("2028-02-29")),
        Just(json!("2027-02-29")),
        Just(json!("2026-02-30")),
        Just(json!("2026/10/01")),
        Just(json!("2026-1-5")),
        Just(json!("20261001")),
        Just(json!("")),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        "\\PC{0,12}".prop_map(Value::from),
    ]
}

fn any_choice(options: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => proptest::sample::select(options).prop_map(Value::from),
        1 => Just(json!("nope")),
        1 => Just(json!(1)),
        1 => Just(Value::Null),
    ]
}

fn any_bool() -> impl Strategy<Value = Value> {
    prop_oneof![4 => any::<bool>().prop_map(Value::from), 1 => Just(json!("true")), 1 => Just(json!(0)), 1 => Just(Value::Null)]
}

fn any_count() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0u64..40).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(Value::from),
        1 => Just(json!("3")),
        1 => Just(Value::Null),
    ]
}

/// The contract's input fields: the dates, the choices and the month count (in the order
/// `any_input` draws them), and the yes/no answers.
const DATE_FIELDS: [&str; 7] = [
    "today",
    "serverExpiry",
    "noticeDeadline",
    "domainExpiry",
    "licenceExpiry",
    "licenceIssue",
    "siteOpened",
];
const OTHER_FIELDS: [&str; 8] = [
    "lang",
    "provider",
    "serverBilling",
    "miitLookup",
    "accessStatus",
    "noticeReason",
    "otherFilings",
    "serverPurchaseMonths",
];
const BOOL_FIELDS: [&str; 4] = [
    "planningRefile",
    "annualReportFiled",
    "gaFiled",
    "noticeReceived",
];

/// An input object: each contract field present or not, with a valid or invalid value, plus
/// sometimes an unknown key.
fn any_input() -> impl Strategy<Value = Value> {
    let dates = proptest::collection::vec(proptest::option::weighted(0.4, any_date()), 7);
    let choices = (
        proptest::option::weighted(0.3, any_choice(&["zh-CN", "en"])),
        proptest::option::weighted(
            0.4,
            any_choice(&["aliyun", "tencent", "huawei", "baidu", "west", "other"]),
        ),
        proptest::option::weighted(0.3, any_choice(&["subscription", "payg"])),
        proptest::option::weighted(
            0.4,
            any_choice(&[
                "found",
                "not_found",
                "unknown",
                "active_with_provider",
                "active_no_access",
            ]),
        ),
        proptest::option::weighted(0.4, any_choice(&["active", "cancelled", "unknown"])),
        proptest::option::weighted(
            0.3,
            any_choice(&["not_resolving", "unreachable", "info_inaccurate", "unknown"]),
        ),
        proptest::option::weighted(0.3, any_choice(&["yes", "no", "unknown"])),
    );
    let others = (
        proptest::option::weighted(0.3, any_count()),
        proptest::collection::vec(proptest::option::weighted(0.4, any_bool()), 4),
        proptest::option::weighted(0.1, ("[a-zA-Z]{1,12}", any_bool())),
    );
    (dates, choices, others).prop_map(
        |(
            dates,
            (lang, provider, billing, lookup, access, reason, others_filed),
            (months, bools, extra),
        )| {
            let mut m = Map::new();
            for (name, v) in DATE_FIELDS.iter().zip(dates) {
                if let Some(v) = v {
                    m.insert((*name).to_owned(), v);
                }
            }
            let others = [
                lang,
                provider,
                billing,
                lookup,
                access,
                reason,
                others_filed,
                months,
            ];
            for (name, v) in OTHER_FIELDS.iter().zip(others) {
                if let Some(v) = v {
                    m.insert((*name).to_owned(), v);
                }
            }
            for (name, v) in BOOL_FIELDS.iter().zip(bools) {
                if let Some(v) = v {
                    m.insert((*name).to_owned(), v);
                }
            }
            if let Some((k, v)) = extra {
                m.insert(k, v);
            }
            Value::Object(m)
        },
    )
}

/// Any JSON value, nested up to a few levels (arrays and objects of anything).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from),
        any_date(),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("\\PC{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object: some of the contract's keys and some other keys, each with any JSON value.
fn any_json_object() -> impl Strategy<Value = Value> {
    let keys =
        proptest::sample::select([DATE_FIELDS.as_slice(), &OTHER_FIELDS, &BOOL_FIELDS].concat());
    // Unknown keys are echoed in their error; letters keep them apart from the "signed year"
    // heuristic of `dates_are_well_formed`.
    let key = prop_oneof![4 => keys.prop_map(str::to_owned), 1 => "[a-zA-Z]{1,12}"];
    proptest::collection::btree_map(key, any_json(), 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// The axes whose inputs are present, by the contract's presence rules, computed independently
/// of the core from the raw JSON.
fn present_axes(input: &Value) -> Vec<&'static str> {
    let has = |k: &str| input.get(k).is_some_and(|v| !v.is_null());
    let mut axes = Vec::new();
    let lookup = input
        .get("miitLookup")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let access = input
        .get("accessStatus")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let reason = input
        .get("noticeReason")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let received = input.get("noticeReceived") == Some(&json!(true));
    if has("serverExpiry")
        || has("noticeDeadline")
        || lookup != "unknown"
        || access != "unknown"
        || received
        || reason != "unknown"
    {
        axes.push("filing");
    }
    let gone = lookup == "not_found" || access == "cancelled";
    let any_check = has("serverBilling") || has("serverPurchaseMonths") || has("domainExpiry");
    if input.get("planningRefile") == Some(&json!(true)) || (gone && any_check) {
        axes.push("refile");
    }
    if has("domainExpiry") {
        axes.push("domain");
    }
    if has("licenceExpiry") || has("licenceIssue") {
        axes.push("licence");
    }
    if has("annualReportFiled") || has("licenceExpiry") || has("licenceIssue") {
        axes.push("annualReport");
    }
    if has("siteOpened") {
        axes.push("publicSecurity");
    }
    axes
}

/// Every date-valued key of an output (`today`, `deadline`) and every `YYYY-MM-DD`-looking run
/// in its texts is a real date written with four digits (derived dates may leave 1900–2199 by
/// a few years; they are still written `YYYY-MM-DD`).
fn dates_are_well_formed(out: &Value) -> Result<(), TestCaseError> {
    let mut dates = vec![out["today"].clone()];
    for r in out["results"].as_array().unwrap() {
        if let Some(d) = r.get("deadline") {
            dates.push(d.clone());
        }
        if let Some(e) = r.get("estimated") {
            prop_assert_eq!(e, &json!(true));
            prop_assert_eq!(&r["axis"], &json!("licence"));
        }
    }
    for d in dates {
        let s = d.as_str().unwrap_or_default();
        prop_assert!(parse_date(s).is_some(), "not a YYYY-MM-DD date: {}", d);
    }
    let text = out.to_string();
    prop_assert!(
        !text.contains("+1000") && !text.contains("\"-"),
        "signed year in {}",
        text
    );
    Ok(())
}

fn check(input: &Value, rules: &Rules) -> Result<(), TestCaseError> {
    let today = parse_date("2026-10-20").unwrap();
    let out = serde_json::to_value(classify_value(input, rules, today).unwrap()).unwrap();
    dates_are_well_formed(&out)?;
    let errors = out["errors"].as_array().unwrap();
    let results = out["results"].as_array().unwrap();
    let warnings = out["warnings"].as_array().unwrap();
    if errors.is_empty() {
        let got: Vec<&str> = results
            .iter()
            .map(|r| r["axis"].as_str().unwrap())
            .collect();
        prop_assert_eq!(got, present_axes(input));
        prop_assert!(!results.is_empty());
        for r in results {
            prop_assert!(!r["title"].as_str().unwrap().is_empty());
            prop_assert!(!r["actions"].as_array().unwrap().is_empty());
            let text = r.to_string();
            prop_assert!(
                !text.contains("{days}") && !text.contains("{deadline}"),
                "{}",
                text
            );
        }
        for w in warnings {
            prop_assert_eq!(&w["code"], &json!("DATE_IMPLAUSIBLE"));
        }
    } else {
        prop_assert!(results.is_empty(), "results with errors: {}", out);
        prop_assert!(warnings.is_empty(), "warnings with errors: {}", out);
        let no_input = errors.iter().any(|e| e["code"] == json!("NO_INPUT"));
        if no_input {
            prop_assert_eq!(errors.len(), 1);
            prop_assert!(present_axes(input).is_empty());
        } else {
            // One error per field, each naming a field of the input.
            let fields: BTreeSet<&str> = errors
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            prop_assert_eq!(fields.len(), errors.len());
            for f in fields {
                prop_assert!(input.get(f).is_some(), "error for absent field {}", f);
            }
        }
    }
    // The axis order of AXES is the output order.
    let order: Vec<&str> = AXES.iter().map(|a| a.code()).collect();
    let positions: Vec<usize> = results
        .iter()
        .map(|r| {
            order
                .iter()
                .position(|a| *a == r["axis"].as_str().unwrap())
                .unwrap()
        })
        .collect();
    prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn errors_or_one_result_per_present_axis(input in any_input()) {
        let rules = common::shared_rules();
        check(&input, rules)?;
    }

    #[test]
    fn the_text_path_agrees_with_the_value_path(input in any_input()) {
        // Without repeated keys, parsing the text gives what classifying the value gives.
        let rules = common::shared_rules();
        let today = parse_date("2026-10-20").unwrap();
        let from_value = classify_value(&input, rules, today).unwrap();
        let from_text = beian_checker::classify_json(&input.to_string(), rules, today).unwrap();
        prop_assert_eq!(from_value, from_text);
    }

    #[test]
    fn a_repeated_key_is_always_an_error_on_that_key(input in any_input(), pick in any::<prop::sample::Index>(), value in any_date()) {
        // Repeat one key of the object (with any value): never "last wins", always
        // INVALID_VALUE on that key, one error per key, nothing classified.
        let rules = common::shared_rules();
        let today = parse_date("2026-10-20").unwrap();
        let map = input.as_object().unwrap();
        prop_assume!(!map.is_empty());
        let key = map.keys().nth(pick.index(map.len())).unwrap().clone();
        let body = input.to_string();
        let text = format!("{}, {}: {}}}", &body[..body.len() - 1], json!(key), value);
        let out = serde_json::to_value(beian_checker::classify_json(&text, rules, today).unwrap()).unwrap();
        let errors = out["errors"].as_array().unwrap();
        let on_key: Vec<&Value> = errors.iter().filter(|e| e["field"] == json!(key)).collect();
        prop_assert_eq!(on_key.len(), 1, "{}", out);
        prop_assert_eq!(&on_key[0]["code"], &json!("INVALID_VALUE"));
        prop_assert!(out["results"].as_array().unwrap().is_empty());
        prop_assert!(out["warnings"].as_array().unwrap().is_empty());
    }

    #[test]
    fn arbitrary_text_is_a_usage_error_unless_it_is_a_json_object(text in "\\PC{0,64}") {
        // Mostly not JSON: the parse-error path. Whatever the text, no panic, and the answer
        // agrees with a real JSON parser on what the text is.
        let rules = common::shared_rules();
        let today = parse_date("2026-10-20").unwrap();
        let got = beian_checker::classify_json(&text, rules, today);
        match serde_json::from_str::<Value>(&text) {
            Err(_) => prop_assert!(matches!(got, Err(UsageError::NotJson(_))), "{:?}: {:?}", text, got),
            Ok(Value::Object(_)) => prop_assert!(got.is_ok(), "{:?}: {:?}", text, got),
            Ok(_) => prop_assert!(matches!(got, Err(UsageError::NotAnObject)), "{:?}: {:?}", text, got),
        }
    }

    #[test]
    fn arbitrary_json_objects_classify_like_their_values(input in any_json_object()) {
        // Any JSON object (the contract's keys with values of any JSON type, nested arrays and
        // objects, unknown keys): the text path gives what the value path gives, and the
        // output keeps the invariants (errors only, or one result per present axis).
        let rules = common::shared_rules();
        let today = parse_date("2026-10-20").unwrap();
        let from_value = classify_value(&input, rules, today).unwrap();
        let from_text = beian_checker::classify_json(&input.to_string(), rules, today).unwrap();
        prop_assert_eq!(&from_value, &from_text);
        check(&input, rules)?;
    }

    #[test]
    fn strict_dates_round_trip(y in 0i32..=9999, m in 0u32..=13, d in 0u32..=32) {
        let s = format!("{y:04}-{m:02}-{d:02}");
        match parse_date(&s) {
            Some(date) => prop_assert_eq!(date.format("%Y-%m-%d").to_string(), s),
            None => prop_assert!(chrono::NaiveDate::from_ymd_opt(y, m, d).is_none()),
        }
    }
}
