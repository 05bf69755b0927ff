//! The core's own JSON reader and writer (what the WebAssembly uses instead of serde) agree
//! with serde_json on the real data: the rules read back equal, every output is written byte
//! for byte as `serde_json::to_string` writes it, and inputs classify the same whether given
//! as text or as a parsed `serde_json::Value`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use beian_checker::{classify_json, classify_value, parse_json, Json, Rules};
use proptest::prelude::*;
use serde_json::Value;

const CASES: &str = include_str!("../../tests/checker-cases/cases.json");

fn case_inputs() -> Vec<Value> {
    let cases: Vec<Value> = serde_json::from_str(CASES).unwrap();
    cases.iter().map(|c| c["input"].clone()).collect()
}

#[test]
fn rules_json_written_by_serde_reads_back_equal() {
    let rules = common::rules();
    let text = serde_json::to_string(&rules).unwrap();
    assert_eq!(Rules::from_json(&text), Ok(rules.clone()));
    let pretty = serde_json::to_string_pretty(&rules).unwrap();
    assert_eq!(Rules::from_json(&pretty), Ok(rules));
}

#[test]
fn rules_json_refuses_what_serde_refuses_and_names_the_key() {
    let rules = common::rules();
    let mut value = serde_json::to_value(&rules).unwrap();
    value["states"]["SERVER_ACTIVE"]["zh-CN"]["titel"] = Value::from("x");
    let err = Rules::from_json(&value.to_string()).unwrap_err();
    assert!(serde_json::from_value::<Rules>(value).is_err());
    assert!(
        err.starts_with("`states.SERVER_ACTIVE.zh-CN.titel`: unknown field"),
        "{err}"
    );

    let mut value = serde_json::to_value(&rules).unwrap();
    value["thresholds"]["server_expiring_soon_days"]["value"] = Value::from(30.5);
    let err = Rules::from_json(&value.to_string()).unwrap_err();
    assert!(serde_json::from_value::<Rules>(value).is_err());
    assert_eq!(
        err,
        "`thresholds.server_expiring_soon_days.value`: expected a whole number, found a number"
    );

    let mut value = serde_json::to_value(&rules).unwrap();
    value.as_object_mut().unwrap().remove("fields");
    let err = Rules::from_json(&value.to_string()).unwrap_err();
    assert!(serde_json::from_value::<Rules>(value).is_err());
    assert_eq!(err, "missing field `fields`");

    let mut value = serde_json::to_value(&rules).unwrap();
    value["states"]["SERVER_ACTIVE"]["zh-CN"]["links"][0]["href"] = Value::Null;
    let err = Rules::from_json(&value.to_string()).unwrap_err();
    assert!(serde_json::from_value::<Rules>(value).is_err());
    assert_eq!(
        err,
        "`states.SERVER_ACTIVE.zh-CN.links.0.href`: expected a string, found null"
    );

    let text = serde_json::to_string(&rules).unwrap();
    let twice = format!("{{\"fields\": {{}}, {}", &text[1..]);
    assert!(Rules::from_json(&twice)
        .unwrap_err()
        .contains("more than once"));
    assert!(Rules::from_json("[]").is_err());
    assert!(Rules::from_json("{")
        .unwrap_err()
        .contains("line 1 column 2"));
}

#[test]
fn rules_defaults_match_serde_defaults() {
    // Only the required keys: every text defaults to empty, `en` to none.
    let rules = common::rules();
    let mut value = serde_json::to_value(&rules).unwrap();
    value["messages"] = serde_json::json!({"en": null});
    value["axes"] = serde_json::json!({"filing": {}});
    value["states"] =
        serde_json::json!({"SERVER_ACTIVE": {"zh-CN": {}, "en": {"variants": {"v": {}}}}});
    value["fields"] = serde_json::json!({"lang": {"zh-CN": {"options": {"en": "English"}}}});
    let ours = Rules::from_json(&value.to_string()).unwrap();
    let serde: Rules = serde_json::from_value(value).unwrap();
    assert_eq!(ours, serde);
}

#[test]
fn outputs_are_written_as_serde_json_writes_them() {
    let rules = common::shared_rules();
    let today = common::default_today();
    let mut inputs = case_inputs();
    for lang in ["en", "zh-CN"] {
        for mut input in case_inputs() {
            input["lang"] = Value::from(lang);
            input["provider"] = Value::from("aliyun");
            inputs.push(input);
        }
    }
    for input in inputs {
        let out = classify_value(&input, rules, today).unwrap();
        assert_eq!(
            out.to_json(),
            serde_json::to_string(&out).unwrap(),
            "{input}"
        );
        // Text and parsed value are the same input.
        let text = classify_json(&input.to_string(), rules, today).unwrap();
        assert_eq!(text, out, "{input}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any JSON serde_json writes, the core reads as the same tree.
    #[test]
    fn serde_json_text_reads_back(value in json_value()) {
        let text = value.to_string();
        prop_assert_eq!(parse_json(&text), Ok(Json::from(&value)));
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        prop_assert_eq!(parse_json(&pretty), Ok(Json::from(&value)));
    }

    /// Any text: the core and serde_json agree on whether it is JSON.
    #[test]
    fn both_readers_agree_on_what_is_json(text in json_like_text()) {
        let ours = parse_json(&text).is_ok();
        let theirs = serde_json::from_str::<Value>(&text).is_ok();
        prop_assert_eq!(ours, theirs, "{:?}", text);
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Short texts made of JSON's own characters, so many are (almost) JSON.
fn json_like_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just(" ".to_owned()),
            Just("\"a\"".to_owned()),
            Just("\"\\u00e9\\n\"".to_owned()),
            Just("\"\\ud83d\"".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("fals".to_owned()),
            Just("-".to_owned()),
            Just("0".to_owned()),
            Just("12".to_owned()),
            Just(".5".to_owned()),
            Just("e3".to_owned()),
            Just("\n".to_owned()),
            Just("\u{1}".to_owned()),
            Just("中".to_owned()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}
