//! The shared parity case table (`tests/checker-cases/cases.json`) is well-formed and covers
//! every state, every error code and the warning, so the native-vs-wasm parity test that runs
//! it exercises the whole contract.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

const CASES: &str = include_str!("../../tests/checker-cases/cases.json");

#[test]
fn case_table_covers_the_contract() {
    let cases: Vec<Value> = serde_json::from_str(CASES).unwrap();
    let mut names = BTreeSet::new();
    let mut states = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        assert!(names.insert(name.to_owned()), "duplicate case name {name}");
        let input = &case["input"];
        assert!(input.is_object(), "{name}: input must be an object");
        // Every case pins `today` (valid or deliberately invalid), so the outputs do not depend
        // on a clock; with an invalid `today` the output's today is the caller's default, which
        // the parity test passes identically to both sides.
        assert!(input.get("today").is_some(), "{name}: no today");
        let out = common::classify_json(input.clone());
        for r in out["results"].as_array().unwrap() {
            states.insert(r["state"].as_str().unwrap().to_owned());
        }
        for e in out["errors"]
            .as_array()
            .unwrap()
            .iter()
            .chain(out["warnings"].as_array().unwrap())
        {
            codes.insert(e["code"].as_str().unwrap().to_owned());
        }
    }
    // The error paths that are easy to miss: a v1 lookup value, and a date outside 1900–2199,
    // `today` included (repeated keys and the 1 MB limit need raw text:
    // tests/integration/parity.rs).
    let outputs: Vec<Value> = cases
        .iter()
        .map(|c| common::classify_json(c["input"].clone()))
        .collect();
    assert!(
        outputs.iter().any(|o| o["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "miitLookup"
                && e["message"].as_str().unwrap().contains("accessStatus"))),
        "no case gives the v1 miitLookup error"
    );
    for field in [
        "serverExpiry",
        "domainExpiry",
        "licenceIssue",
        "siteOpened",
        "today",
    ] {
        assert!(
            outputs.iter().any(|o| o["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field
                    && e["code"] == "INVALID_DATE"
                    && e["message"].as_str().unwrap().contains("1900"))),
            "no case gives a date-range error on {field}"
        );
    }
    assert!(
        outputs.iter().any(|o| o["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["estimated"] == true)),
        "no case has an estimated licence expiry"
    );
    for state in beian_checker::STATES {
        assert!(
            states.contains(state.code()),
            "no case reaches {}",
            state.code()
        );
    }
    for code in [
        "INVALID_DATE",
        "INVALID_VALUE",
        "NO_INPUT",
        "DATE_IMPLAUSIBLE",
    ] {
        assert!(codes.contains(code), "no case gives {code}");
    }
}
