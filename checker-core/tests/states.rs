//! Table-driven tests of every state and every boundary of the contract, on the real rules data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::classify_json;
use serde_json::{json, Value};

/// One expected result: axis, state, days, deadline (`None`: the key must be absent).
type Expect = (
    &'static str,
    &'static str,
    Option<i64>,
    Option<&'static str>,
);

/// Classifies `input` (with `today` 2026-10-20 unless given) and checks the results exactly:
/// axes, states, severities from the contract, `days` and `deadline` present only where named.
fn check(name: &str, mut input: Value, expected: &[Expect]) {
    if input.get("today").is_none() {
        input["today"] = json!("2026-10-20");
    }
    let out = classify_json(input.clone());
    assert_eq!(
        out["errors"],
        json!([]),
        "{name}: unexpected errors for {input}"
    );
    let results = out["results"].as_array().unwrap();
    let got: Vec<(String, String, Option<i64>, Option<String>)> = results
        .iter()
        .map(|r| {
            (
                r["axis"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
                r.get("days").map(|d| d.as_i64().unwrap()),
                r.get("deadline").map(|d| d.as_str().unwrap().to_owned()),
            )
        })
        .collect();
    let want: Vec<(String, String, Option<i64>, Option<String>)> = expected
        .iter()
        .map(|(a, s, d, dl)| ((*a).to_owned(), (*s).to_owned(), *d, dl.map(str::to_owned)))
        .collect();
    assert_eq!(got, want, "{name}: {input}");
    for r in results {
        let state = beian_checker::State::from_code(r["state"].as_str().unwrap()).unwrap();
        assert_eq!(r["severity"], json!(state.severity().code()), "{name}");
        assert!(
            !r["title"].as_str().unwrap().is_empty(),
            "{name}: empty title"
        );
        assert!(
            !r["summary"].as_str().unwrap().is_empty(),
            "{name}: empty summary"
        );
        assert!(
            !r["actions"].as_array().unwrap().is_empty(),
            "{name}: no actions"
        );
        let text = r.to_string();
        assert!(
            !text.contains("{days}") && !text.contains("{deadline}"),
            "{name}: unfilled placeholder in {text}"
        );
    }
}

#[test]
fn filing_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "not_found wins",
            json!({"miitLookup": "not_found", "serverExpiry": "2027-01-01", "noticeDeadline": "2026-10-01"}),
            vec![("filing", "FILING_CANCELLED_REFILE", None, None)],
        ),
        (
            "not_found wins over cancelled access",
            json!({"miitLookup": "not_found", "accessStatus": "cancelled"}),
            vec![("filing", "FILING_CANCELLED_REFILE", None, None)],
        ),
        (
            "cancelled access wins over a notice and a server",
            json!({"miitLookup": "found", "accessStatus": "cancelled", "noticeDeadline": "2026-10-01",
                "serverExpiry": "2026-10-01"}),
            vec![("filing", "ACCESS_CANCELLED", None, None)],
        ),
        (
            "cancelled access alone",
            json!({"accessStatus": "cancelled"}),
            vec![("filing", "ACCESS_CANCELLED", None, None)],
        ),
        (
            "cancelled access, other filings unknown",
            json!({"accessStatus": "cancelled", "otherFilings": "unknown"}),
            vec![("filing", "ACCESS_CANCELLED", None, None)],
        ),
        (
            "cancelled access, other filings yes",
            json!({"accessStatus": "cancelled", "otherFilings": "yes", "noticeReceived": true}),
            vec![("filing", "ACCESS_CANCELLED_OTHER_FILINGS", None, None)],
        ),
        (
            "cancelled access, no other filings: a shell",
            json!({"accessStatus": "cancelled", "otherFilings": "no", "noticeReason": "unreachable"}),
            vec![("filing", "ACCESS_CANCELLED_SHELL", None, None)],
        ),
        (
            "not found wins over cancelled access with other filings",
            json!({"miitLookup": "not_found", "accessStatus": "cancelled", "otherFilings": "yes"}),
            vec![("filing", "FILING_CANCELLED_REFILE", None, None)],
        ),
        (
            "a notice without a deadline is open: danger, whatever else is fine",
            json!({"noticeReceived": true, "accessStatus": "active", "miitLookup": "found",
                "serverExpiry": "2027-10-20"}),
            vec![("filing", "RECTIFICATION_DEADLINE_UNKNOWN", None, None)],
        ),
        (
            "a reason alone opens a notice",
            json!({"noticeReason": "info_inaccurate"}),
            vec![("filing", "RECTIFICATION_DEADLINE_UNKNOWN", None, None)],
        ),
        (
            "a notice without a deadline and an expired server",
            json!({"noticeReceived": true, "serverExpiry": "2026-10-19"}),
            vec![("filing", "RECTIFICATION_OPEN_SERVER_EXPIRED", None, None)],
        ),
        (
            "a notice with a deadline: noticeReceived adds nothing",
            json!({"noticeReceived": true, "noticeDeadline": "2026-10-25"}),
            vec![("filing", "RECTIFICATION_OPEN", Some(5), Some("2026-10-25"))],
        ),
        (
            "no notice, said so: the server decides",
            json!({"noticeReceived": false, "noticeReason": "unknown", "serverExpiry": "2026-10-25"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(5),
                Some("2026-10-25"),
            )],
        ),
        (
            "notice open, server expired yesterday",
            json!({"noticeDeadline": "2026-10-25", "serverExpiry": "2026-10-19"}),
            vec![(
                "filing",
                "RECTIFICATION_OPEN_SERVER_EXPIRED",
                Some(5),
                Some("2026-10-25"),
            )],
        ),
        (
            "notice today, server expired long ago",
            json!({"noticeDeadline": "2026-10-20", "serverExpiry": "2024-01-01"}),
            vec![(
                "filing",
                "RECTIFICATION_OPEN_SERVER_EXPIRED",
                Some(0),
                Some("2026-10-20"),
            )],
        ),
        (
            "notice open, server expires today (not yet expired)",
            json!({"noticeDeadline": "2026-10-25", "serverExpiry": "2026-10-20"}),
            vec![("filing", "RECTIFICATION_OPEN", Some(5), Some("2026-10-25"))],
        ),
        (
            "notice overdue wins over an expired server",
            json!({"noticeDeadline": "2026-10-19", "serverExpiry": "2026-10-01"}),
            vec![(
                "filing",
                "RECTIFICATION_OVERDUE",
                Some(-1),
                Some("2026-10-19"),
            )],
        ),
        (
            "notice yesterday",
            json!({"noticeDeadline": "2026-10-19", "serverExpiry": "2027-01-01"}),
            vec![(
                "filing",
                "RECTIFICATION_OVERDUE",
                Some(-1),
                Some("2026-10-19"),
            )],
        ),
        (
            "notice today",
            json!({"noticeDeadline": "2026-10-20"}),
            vec![("filing", "RECTIFICATION_OPEN", Some(0), Some("2026-10-20"))],
        ),
        (
            "notice tomorrow, found and active",
            json!({"noticeDeadline": "2026-10-21", "miitLookup": "found", "accessStatus": "active"}),
            vec![("filing", "RECTIFICATION_OPEN", Some(1), Some("2026-10-21"))],
        ),
        (
            "server -367",
            json!({"serverExpiry": "2025-10-18"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_LONG_AGO",
                Some(-367),
                Some("2025-10-18"),
            )],
        ),
        (
            "server -366",
            json!({"serverExpiry": "2025-10-19"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_LONG_AGO",
                Some(-366),
                Some("2025-10-19"),
            )],
        ),
        (
            "server -365",
            json!({"serverExpiry": "2025-10-20"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_FILING_AT_RISK",
                Some(-365),
                Some("2025-10-20"),
            )],
        ),
        (
            "server -1",
            json!({"serverExpiry": "2026-10-19"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_FILING_AT_RISK",
                Some(-1),
                Some("2026-10-19"),
            )],
        ),
        (
            "server 0",
            json!({"serverExpiry": "2026-10-20"}),
            vec![(
                "filing",
                "SERVER_EXPIRES_TODAY",
                Some(0),
                Some("2026-10-20"),
            )],
        ),
        (
            "server +1",
            json!({"serverExpiry": "2026-10-21"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(1),
                Some("2026-10-21"),
            )],
        ),
        (
            "contract example",
            json!({"serverExpiry": "2026-11-05"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(16),
                Some("2026-11-05"),
            )],
        ),
        (
            "server +30",
            json!({"serverExpiry": "2026-11-19"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(30),
                Some("2026-11-19"),
            )],
        ),
        (
            "server +31",
            json!({"serverExpiry": "2026-11-20"}),
            vec![("filing", "SERVER_ACTIVE", Some(31), Some("2026-11-20"))],
        ),
        (
            "server with active access",
            json!({"serverExpiry": "2026-11-20", "miitLookup": "found", "accessStatus": "active"}),
            vec![("filing", "SERVER_ACTIVE", Some(31), Some("2026-11-20"))],
        ),
        (
            "explicit unknown lookup is absent",
            json!({"serverExpiry": "2026-10-21", "miitLookup": "unknown"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(1),
                Some("2026-10-21"),
            )],
        ),
        (
            "server with only a found lookup",
            json!({"serverExpiry": "2026-10-19", "miitLookup": "found"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_FILING_AT_RISK",
                Some(-1),
                Some("2026-10-19"),
            )],
        ),
        (
            "only access active",
            json!({"accessStatus": "active"}),
            vec![("filing", "FILING_ACTIVE", None, None)],
        ),
        (
            "found and active",
            json!({"miitLookup": "found", "accessStatus": "active"}),
            vec![("filing", "FILING_ACTIVE", None, None)],
        ),
        (
            "only found",
            json!({"miitLookup": "found"}),
            vec![("filing", "FILING_FOUND", None, None)],
        ),
        (
            "found with explicit unknown access",
            json!({"miitLookup": "found", "accessStatus": "unknown"}),
            vec![("filing", "FILING_FOUND", None, None)],
        ),
        (
            "explicit unknowns give no filing axis",
            json!({"miitLookup": "unknown", "accessStatus": "unknown", "domainExpiry": "2026-11-20"}),
            vec![("domain", "DOMAIN_OK", Some(31), Some("2026-11-20"))],
        ),
        (
            "across a leap day",
            json!({"today": "2028-02-28", "serverExpiry": "2028-03-01"}),
            vec![(
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(2),
                Some("2028-03-01"),
            )],
        ),
        (
            "leap day itself",
            json!({"today": "2028-02-29", "serverExpiry": "2028-02-29"}),
            vec![(
                "filing",
                "SERVER_EXPIRES_TODAY",
                Some(0),
                Some("2028-02-29"),
            )],
        ),
        (
            "366-day year long ago",
            json!({"today": "2028-12-31", "serverExpiry": "2027-12-31"}),
            vec![(
                "filing",
                "SERVER_EXPIRED_LONG_AGO",
                Some(-366),
                Some("2027-12-31"),
            )],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn refile_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "payg",
            json!({"planningRefile": true, "serverBilling": "payg", "serverPurchaseMonths": 12}),
            vec![("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None)],
        ),
        (
            "2 months",
            json!({"planningRefile": true, "serverBilling": "subscription", "serverPurchaseMonths": 2}),
            vec![("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None)],
        ),
        (
            "0 months",
            json!({"planningRefile": true, "serverPurchaseMonths": 0}),
            vec![("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None)],
        ),
        (
            "3 months is enough",
            json!({"planningRefile": true, "serverPurchaseMonths": 3}),
            vec![("refile", "REFILE_ELIGIBLE", None, None)],
        ),
        (
            "subscription and 3 months",
            json!({"planningRefile": true, "serverBilling": "subscription", "serverPurchaseMonths": 3}),
            vec![("refile", "REFILE_ELIGIBLE", None, None)],
        ),
        (
            "server check wins over domain",
            json!({"planningRefile": true, "serverBilling": "payg", "domainExpiry": "2026-10-25"}),
            vec![
                ("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None),
                (
                    "domain",
                    "DOMAIN_EXPIRING_SOON",
                    Some(5),
                    Some("2026-10-25"),
                ),
            ],
        ),
        (
            "domain exactly today + 3 months",
            json!({"planningRefile": true, "domainExpiry": "2027-01-20"}),
            vec![
                ("refile", "DOMAIN_TOO_SHORT_FOR_FILING", None, None),
                (
                    "domain",
                    "DOMAIN_TOO_SHORT_TO_FILE",
                    Some(92),
                    Some("2027-01-20"),
                ),
            ],
        ),
        (
            "a short domain beside an ineligible server is still too short to file",
            json!({"planningRefile": true, "serverBilling": "payg", "domainExpiry": "2027-01-20"}),
            vec![
                ("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None),
                (
                    "domain",
                    "DOMAIN_TOO_SHORT_TO_FILE",
                    Some(92),
                    Some("2027-01-20"),
                ),
            ],
        ),
        (
            "domain one day later",
            json!({"planningRefile": true, "domainExpiry": "2027-01-21"}),
            vec![
                ("refile", "REFILE_ELIGIBLE", None, None),
                ("domain", "DOMAIN_OK", Some(93), Some("2027-01-21")),
            ],
        ),
        (
            "clamped: 2027-11-30 + 3 months = 2028-02-29",
            json!({"today": "2027-11-30", "planningRefile": true, "domainExpiry": "2028-02-29"}),
            vec![
                ("refile", "DOMAIN_TOO_SHORT_FOR_FILING", None, None),
                (
                    "domain",
                    "DOMAIN_TOO_SHORT_TO_FILE",
                    Some(91),
                    Some("2028-02-29"),
                ),
            ],
        ),
        (
            "clamped, next day",
            json!({"today": "2027-11-30", "planningRefile": true, "domainExpiry": "2028-03-01"}),
            vec![
                ("refile", "REFILE_ELIGIBLE", None, None),
                ("domain", "DOMAIN_OK", Some(92), Some("2028-03-01")),
            ],
        ),
        (
            "nothing else given: not checked, never a green verdict",
            json!({"planningRefile": true}),
            vec![("refile", "REFILE_NOT_CHECKED", None, None)],
        ),
        (
            "not found and a server answer: refile follows without the checkbox",
            json!({"miitLookup": "not_found", "serverBilling": "subscription"}),
            vec![
                ("filing", "FILING_CANCELLED_REFILE", None, None),
                ("refile", "REFILE_ELIGIBLE", None, None),
            ],
        ),
        (
            "not found, payg",
            json!({"miitLookup": "not_found", "serverBilling": "payg"}),
            vec![
                ("filing", "FILING_CANCELLED_REFILE", None, None),
                ("refile", "SERVER_INELIGIBLE_FOR_FILING", None, None),
            ],
        ),
        (
            "not found, planningRefile false, months given: still follows",
            json!({"miitLookup": "not_found", "planningRefile": false, "serverPurchaseMonths": 12}),
            vec![
                ("filing", "FILING_CANCELLED_REFILE", None, None),
                ("refile", "REFILE_ELIGIBLE", None, None),
            ],
        ),
        (
            "cancelled access and a short domain",
            json!({"accessStatus": "cancelled", "domainExpiry": "2027-01-20"}),
            vec![
                ("filing", "ACCESS_CANCELLED", None, None),
                ("refile", "DOMAIN_TOO_SHORT_FOR_FILING", None, None),
                (
                    "domain",
                    "DOMAIN_TOO_SHORT_TO_FILE",
                    Some(92),
                    Some("2027-01-20"),
                ),
            ],
        ),
        (
            "not found alone: no refile axis",
            json!({"miitLookup": "not_found"}),
            vec![("filing", "FILING_CANCELLED_REFILE", None, None)],
        ),
        (
            "found with a server answer: no refile axis",
            json!({"miitLookup": "found", "serverBilling": "payg"}),
            vec![("filing", "FILING_FOUND", None, None)],
        ),
        (
            "not found with planningRefile: not checked",
            json!({"miitLookup": "not_found", "planningRefile": true}),
            vec![
                ("filing", "FILING_CANCELLED_REFILE", None, None),
                ("refile", "REFILE_NOT_CHECKED", None, None),
            ],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn refile_eligible_says_which_checks_did_not_run() {
    let out = classify_json(
        json!({"today": "2026-10-20", "planningRefile": true, "serverBilling": "subscription"}),
    );
    let summary = out["results"][0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("服务器购买时长") && summary.contains("域名到期日"),
        "{summary}"
    );
    assert!(
        !summary.contains("计费方式"),
        "billing was checked: {summary}"
    );
    let out = classify_json(
        json!({"today": "2026-10-20", "planningRefile": true, "serverBilling": "subscription",
        "serverPurchaseMonths": 12, "domainExpiry": "2027-10-20"}),
    );
    let summary = out["results"][0]["summary"].as_str().unwrap();
    assert!(summary.contains("都已检查"), "{summary}");
}

#[test]
fn domain_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "-1",
            json!({"domainExpiry": "2026-10-19"}),
            vec![("domain", "DOMAIN_EXPIRED", Some(-1), Some("2026-10-19"))],
        ),
        (
            "0",
            json!({"domainExpiry": "2026-10-20"}),
            vec![(
                "domain",
                "DOMAIN_EXPIRING_SOON",
                Some(0),
                Some("2026-10-20"),
            )],
        ),
        (
            "30",
            json!({"domainExpiry": "2026-11-19"}),
            vec![(
                "domain",
                "DOMAIN_EXPIRING_SOON",
                Some(30),
                Some("2026-11-19"),
            )],
        ),
        (
            "31",
            json!({"domainExpiry": "2026-11-20"}),
            vec![("domain", "DOMAIN_OK", Some(31), Some("2026-11-20"))],
        ),
        (
            "planningRefile false is no axis",
            json!({"domainExpiry": "2026-11-20", "planningRefile": false}),
            vec![("domain", "DOMAIN_OK", Some(31), Some("2026-11-20"))],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn licence_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "d -1",
            json!({"licenceExpiry": "2026-10-19"}),
            vec![("licence", "LICENCE_EXPIRED", Some(-1), Some("2026-07-21"))],
        ),
        (
            "d 0",
            json!({"licenceExpiry": "2026-10-20"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_MISSED",
                Some(0),
                Some("2026-07-22"),
            )],
        ),
        (
            "d 89",
            json!({"licenceExpiry": "2027-01-17"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_MISSED",
                Some(89),
                Some("2026-10-19"),
            )],
        ),
        (
            "d 90: last day to apply is today",
            json!({"licenceExpiry": "2027-01-18"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_NEAR",
                Some(90),
                Some("2026-10-20"),
            )],
        ),
        (
            "d 120",
            json!({"licenceExpiry": "2027-02-17"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_NEAR",
                Some(120),
                Some("2026-11-19"),
            )],
        ),
        (
            "d 121",
            json!({"licenceExpiry": "2027-02-18"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DUE",
                Some(121),
                Some("2026-11-20"),
            )],
        ),
        (
            "d 180",
            json!({"licenceExpiry": "2027-04-18"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DUE",
                Some(180),
                Some("2027-01-18"),
            )],
        ),
        (
            "d 181",
            json!({"licenceExpiry": "2027-04-19"}),
            vec![("licence", "LICENCE_VALID", Some(181), Some("2027-01-19"))],
        ),
        (
            "issue only: + 60 months",
            json!({"licenceIssue": "2021-10-20"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_MISSED",
                Some(0),
                Some("2026-07-22"),
            )],
        ),
        (
            "issue on a leap day, clamped",
            json!({"today": "2029-02-28", "licenceIssue": "2024-02-29"}),
            vec![(
                "licence",
                "LICENCE_RENEWAL_DEADLINE_MISSED",
                Some(0),
                Some("2028-11-30"),
            )],
        ),
        (
            "issue on a leap day, day after",
            json!({"today": "2029-03-01", "licenceIssue": "2024-02-29"}),
            vec![("licence", "LICENCE_EXPIRED", Some(-1), Some("2028-11-30"))],
        ),
        (
            "both dates: expiry wins",
            json!({"licenceExpiry": "2027-04-19", "licenceIssue": "2021-10-20"}),
            vec![("licence", "LICENCE_VALID", Some(181), Some("2027-01-19"))],
        ),
    ];
    // A licence date also brings the annual-report axis; saying the report is filed keeps it
    // out of the way here (annual_report_axis covers it).
    for (name, mut input, mut expected) in cases {
        input["annualReportFiled"] = json!(true);
        expected.push(("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None));
        check(name, input, &expected);
    }
}

#[test]
fn annual_report_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "filed",
            json!({"annualReportFiled": true}),
            vec![("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None)],
        ),
        (
            "jan 1",
            json!({"today": "2026-01-01", "annualReportFiled": false}),
            vec![(
                "annualReport",
                "ANNUAL_REPORT_WINDOW_OPEN",
                None,
                Some("2026-03-31"),
            )],
        ),
        (
            "mar 31",
            json!({"today": "2026-03-31", "annualReportFiled": false}),
            vec![(
                "annualReport",
                "ANNUAL_REPORT_WINDOW_OPEN",
                None,
                Some("2026-03-31"),
            )],
        ),
        (
            "apr 1",
            json!({"today": "2026-04-01", "annualReportFiled": false}),
            vec![(
                "annualReport",
                "ANNUAL_REPORT_LATE_CORRECTION",
                None,
                Some("2026-04-30"),
            )],
        ),
        (
            "apr 30",
            json!({"today": "2026-04-30", "annualReportFiled": false}),
            vec![(
                "annualReport",
                "ANNUAL_REPORT_LATE_CORRECTION",
                None,
                Some("2026-04-30"),
            )],
        ),
        (
            "may 1",
            json!({"today": "2026-05-01", "annualReportFiled": false}),
            vec![("annualReport", "ANNUAL_REPORT_MISSED", None, None)],
        ),
        (
            "dec 31",
            json!({"today": "2026-12-31", "annualReportFiled": false}),
            vec![("annualReport", "ANNUAL_REPORT_MISSED", None, None)],
        ),
        (
            "leap year feb 29",
            json!({"today": "2028-02-29", "annualReportFiled": false}),
            vec![(
                "annualReport",
                "ANNUAL_REPORT_WINDOW_OPEN",
                None,
                Some("2028-03-31"),
            )],
        ),
        (
            "issued after Y-12-31",
            json!({"today": "2026-02-01", "annualReportFiled": false, "licenceIssue": "2026-01-01"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1795), Some("2030-10-03")),
                ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            ],
        ),
        (
            "issued on Y-12-31",
            json!({"today": "2026-02-01", "annualReportFiled": false, "licenceIssue": "2025-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1794), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_WINDOW_OPEN",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "expiry only: issue = expiry - 60 months, after Y",
            json!({"today": "2026-02-01", "annualReportFiled": false, "licenceExpiry": "2031-01-01"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1795), Some("2030-10-03")),
                ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            ],
        ),
        (
            "expiry only: issue = Y-12-31",
            json!({"today": "2026-02-01", "annualReportFiled": false, "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1794), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_WINDOW_OPEN",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "expiry only, clamped: 2031-02-28 - 60 months = 2026-02-28",
            json!({"today": "2026-02-01", "annualReportFiled": false, "licenceExpiry": "2031-02-28"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1853), Some("2030-11-30")),
                ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            ],
        ),
        (
            "both dates: issue decides the report",
            json!({"today": "2026-02-01", "annualReportFiled": false,
            "licenceIssue": "2025-06-01", "licenceExpiry": "2031-06-01"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1946), Some("2031-03-03")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_WINDOW_OPEN",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "not said, licence known: schedule, this year's window",
            json!({"today": "2026-02-01", "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1794), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "not said, on the window's last day",
            json!({"today": "2026-03-31", "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1736), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "not said, the day after: next year's window",
            json!({"today": "2026-04-01", "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1735), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2027-03-31"),
                ),
            ],
        ),
        (
            "not said, dec 31",
            json!({"today": "2026-12-31", "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1461), Some("2030-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2027-03-31"),
                ),
            ],
        ),
        (
            "not said, issued after Y: not due wins",
            json!({"today": "2026-02-01", "licenceExpiry": "2031-01-01"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1795), Some("2030-10-03")),
                ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            ],
        ),
        (
            "both dates: issue after Y wins over an old expiry",
            json!({"today": "2026-02-01", "annualReportFiled": false,
            "licenceIssue": "2026-01-15", "licenceExpiry": "2030-12-31"}),
            vec![
                ("licence", "LICENCE_VALID", Some(1794), Some("2030-10-02")),
                ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            ],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn public_security_axis() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "filed",
            json!({"siteOpened": "2020-01-01", "gaFiled": true}),
            vec![("publicSecurity", "GA_FILED", None, None)],
        ),
        (
            "opened today",
            json!({"siteOpened": "2026-10-20", "gaFiled": false}),
            vec![(
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(30),
                Some("2026-11-19"),
            )],
        ),
        (
            "n = 29",
            json!({"siteOpened": "2026-09-21", "gaFiled": false}),
            vec![(
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(1),
                Some("2026-10-21"),
            )],
        ),
        (
            "n = 30",
            json!({"siteOpened": "2026-09-20", "gaFiled": false}),
            vec![(
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(0),
                Some("2026-10-20"),
            )],
        ),
        (
            "n = 31",
            json!({"siteOpened": "2026-09-19", "gaFiled": false}),
            vec![("publicSecurity", "GA_OVERDUE", Some(-1), Some("2026-10-19"))],
        ),
        (
            "not open yet",
            json!({"siteOpened": "2026-11-01", "gaFiled": false}),
            vec![(
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(42),
                Some("2026-12-01"),
            )],
        ),
        (
            "across a leap day",
            json!({"today": "2028-03-01", "siteOpened": "2028-01-31", "gaFiled": false}),
            vec![(
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(0),
                Some("2028-03-01"),
            )],
        ),
        (
            "only siteOpened: the deadline, as info",
            json!({"siteOpened": "2026-09-19"}),
            vec![(
                "publicSecurity",
                "GA_DEADLINE",
                Some(-1),
                Some("2026-10-19"),
            )],
        ),
        (
            "only siteOpened, in the window",
            json!({"siteOpened": "2026-10-20"}),
            vec![(
                "publicSecurity",
                "GA_DEADLINE",
                Some(30),
                Some("2026-11-19"),
            )],
        ),
        (
            "gaFiled null is absent",
            json!({"siteOpened": "2026-10-20", "gaFiled": null}),
            vec![(
                "publicSecurity",
                "GA_DEADLINE",
                Some(30),
                Some("2026-11-19"),
            )],
        ),
        (
            "only gaFiled: no axis",
            json!({"gaFiled": false, "domainExpiry": "2026-11-20"}),
            vec![("domain", "DOMAIN_OK", Some(31), Some("2026-11-20"))],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn every_axis_at_once_in_axis_order() {
    check(
        "all axes",
        json!({"serverExpiry": "2026-11-05", "planningRefile": true, "serverBilling": "subscription",
            "serverPurchaseMonths": 12, "domainExpiry": "2027-10-20", "licenceExpiry": "2027-01-18",
            "annualReportFiled": true, "siteOpened": "2026-10-01", "gaFiled": false, "provider": "aliyun"}),
        &[
            (
                "filing",
                "SERVER_EXPIRING_SOON",
                Some(16),
                Some("2026-11-05"),
            ),
            ("refile", "REFILE_ELIGIBLE", None, None),
            ("domain", "DOMAIN_OK", Some(365), Some("2027-10-20")),
            (
                "licence",
                "LICENCE_RENEWAL_DEADLINE_NEAR",
                Some(90),
                Some("2026-10-20"),
            ),
            ("annualReport", "ANNUAL_REPORT_NOT_DUE", None, None),
            (
                "publicSecurity",
                "GA_WINDOW_OPEN",
                Some(11),
                Some("2026-10-31"),
            ),
        ],
    );
}

#[test]
fn every_state_is_reached_by_this_file() {
    // Guards the tables above: a state added to the contract must get a case here.
    let text = include_str!("states.rs");
    for state in beian_checker::STATES {
        assert!(
            text.contains(&format!("\"{}\"", state.code())),
            "no case for {}",
            state.code()
        );
    }
}

#[test]
fn licence_expiry_from_the_issue_date_is_marked_estimated() {
    let out = classify_json(
        json!({"today": "2026-10-20", "licenceIssue": "2021-10-20", "annualReportFiled": true}),
    );
    let licence = &out["results"][0];
    assert_eq!(licence["state"], json!("LICENCE_RENEWAL_DEADLINE_MISSED"));
    assert_eq!(licence["estimated"], json!(true));
    assert!(
        licence["summary"].as_str().unwrap().contains("推算"),
        "{licence}"
    );
    // A given expiry is not estimated: the key is absent, and so is the sentence.
    for input in [
        json!({"today": "2026-10-20", "licenceExpiry": "2026-10-20", "annualReportFiled": true}),
        json!({"today": "2026-10-20", "licenceExpiry": "2026-10-20", "licenceIssue": "2021-10-20",
            "annualReportFiled": true}),
    ] {
        let out = classify_json(input);
        let licence = &out["results"][0];
        assert!(licence.get("estimated").is_none(), "{licence}");
        assert!(
            !licence["summary"].as_str().unwrap().contains("推算"),
            "{licence}"
        );
    }
    // English says so too.
    let out = classify_json(
        json!({"today": "2026-10-20", "lang": "en", "licenceIssue": "2021-10-20", "annualReportFiled": true}),
    );
    assert!(out["results"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("estimated"));
    // Only licence results ever carry the key.
    let out = classify_json(
        json!({"today": "2026-10-20", "licenceIssue": "2021-10-20", "serverExpiry": "2026-10-30",
            "siteOpened": "2026-10-01"}),
    );
    for r in out["results"].as_array().unwrap() {
        assert_eq!(
            r.get("estimated").is_some(),
            r["axis"] == json!("licence"),
            "{r}"
        );
    }
}

#[test]
fn licence_near_says_how_many_days_are_left_to_apply() {
    let out = classify_json(
        json!({"today": "2026-10-20", "licenceExpiry": "2027-02-17", "annualReportFiled": true}),
    );
    let r = &out["results"][0];
    assert_eq!(r["severity"], json!("danger"));
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.contains("2026-11-19") && summary.contains("距今 30 天"),
        "{summary}"
    );
}

#[test]
fn a_domain_too_short_to_file_is_never_called_fine() {
    let out = classify_json(
        json!({"today": "2026-10-20", "planningRefile": true, "domainExpiry": "2027-01-20"}),
    );
    let domain = &out["results"][1];
    assert_eq!(domain["state"], json!("DOMAIN_TOO_SHORT_TO_FILE"));
    assert_eq!(domain["severity"], json!("warning"));
    let title = domain["title"].as_str().unwrap();
    assert!(title.contains("不够备案"), "{title}");
    assert!(
        domain["summary"].as_str().unwrap().contains("2027-01-20"),
        "{domain}"
    );
    // Without the refile axis the plain text stays.
    let out = classify_json(json!({"today": "2026-10-20", "domainExpiry": "2027-01-20"}));
    assert_eq!(out["results"][0]["state"], json!("DOMAIN_OK"));
    assert_eq!(out["results"][0]["title"], json!("域名正常"));
    // And with an eligible refile, too.
    let out = classify_json(
        json!({"today": "2026-10-20", "planningRefile": true, "domainExpiry": "2027-01-21"}),
    );
    assert_eq!(out["results"][1]["title"], json!("域名正常"));
    let out = classify_json(
        json!({"today": "2026-10-20", "lang": "en", "planningRefile": true, "domainExpiry": "2027-01-20"}),
    );
    assert!(out["results"][1]["title"]
        .as_str()
        .unwrap()
        .contains("too short"));
}

#[test]
fn annual_report_no_licence_in_year() {
    let cases: Vec<(&str, Value, Vec<Expect>)> = vec![
        (
            "expired before the year reported on",
            json!({"today": "2026-02-10", "licenceExpiry": "2024-12-31", "annualReportFiled": false}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-406), Some("2024-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_NO_LICENCE_IN_YEAR",
                    None,
                    None,
                ),
            ],
        ),
        (
            "expired on the first day of the year reported on: held that day",
            json!({"today": "2026-02-10", "licenceExpiry": "2025-01-01", "annualReportFiled": false}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-405), Some("2024-10-03")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_WINDOW_OPEN",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "not said, after March: the report due next covers this year",
            json!({"today": "2026-05-10", "licenceExpiry": "2025-12-31"}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-130), Some("2025-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_NO_LICENCE_IN_YEAR",
                    None,
                    None,
                ),
            ],
        ),
        (
            "not said, after March, licence held this year",
            json!({"today": "2026-05-10", "licenceExpiry": "2026-01-01"}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-129), Some("2025-10-03")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2027-03-31"),
                ),
            ],
        ),
        (
            "not said, by March 31: last year's report",
            json!({"today": "2026-03-31", "licenceExpiry": "2025-12-31"}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-90), Some("2025-10-02")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_SCHEDULE",
                    None,
                    Some("2026-03-31"),
                ),
            ],
        ),
        (
            "estimated expiry from the issue date",
            json!({"today": "2026-02-10", "licenceIssue": "2019-01-01"}),
            vec![
                ("licence", "LICENCE_EXPIRED", Some(-771), Some("2023-10-03")),
                (
                    "annualReport",
                    "ANNUAL_REPORT_NO_LICENCE_IN_YEAR",
                    None,
                    None,
                ),
            ],
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, &expected);
    }
}

#[test]
fn refile_not_checked_is_not_green() {
    let out = classify_json(json!({"today": "2026-10-20", "planningRefile": true}));
    let r = &out["results"][0];
    assert_eq!(r["state"], json!("REFILE_NOT_CHECKED"));
    assert_eq!(r["severity"], json!("info"));
    assert!(r.get("days").is_none() && r.get("deadline").is_none());
}

#[test]
fn rectification_with_a_dead_server_says_the_site_is_down() {
    let out = classify_json(
        json!({"today": "2026-12-01", "noticeDeadline": "2026-12-06", "serverExpiry": "2026-11-21",
            "provider": "aliyun"}),
    );
    let r = &out["results"][0];
    assert_eq!(r["state"], json!("RECTIFICATION_OPEN_SERVER_EXPIRED"));
    assert_eq!(r["severity"], json!("danger"));
    assert_eq!(r["days"], json!(5));
    assert_eq!(r["deadline"], json!("2026-12-06"));
    let text = r.to_string();
    assert!(text.contains("打不开"), "{text}");
    assert!(
        text.contains("2026-11-21") && text.contains("已过去 10 天"),
        "{text}"
    );
    assert!(!text.contains("照常访问"), "{text}");
    assert!(!text.contains("可以正常访问"), "{text}");
    let first = r["actions"][0].as_str().unwrap();
    assert!(first.starts_with("今天"), "{first}");
    // The milder state keeps its sentence, but never promises access when the server is gone.
    let out = classify_json(json!({"today": "2026-12-01", "noticeDeadline": "2026-12-06"}));
    assert_eq!(out["results"][0]["state"], json!("RECTIFICATION_OPEN"));
}

#[test]
fn filing_found_explains_what_the_lookup_cannot_show() {
    let out = classify_json(json!({"today": "2026-10-20", "miitLookup": "found"}));
    let r = &out["results"][0];
    assert_eq!(r["state"], json!("FILING_FOUND"));
    assert_eq!(r["severity"], json!("info"));
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.contains("看不到接入商") && summary.contains("取消接入"),
        "{summary}"
    );
    let actions = r["actions"].to_string();
    assert!(actions.contains("备案控制台"), "{actions}");
    assert!(
        actions.contains("短信") && actions.contains("公示"),
        "{actions}"
    );
}

#[test]
fn danger_results_lead_with_what_to_do_today() {
    let inputs = [
        json!({"miitLookup": "not_found"}),
        json!({"accessStatus": "cancelled"}),
        json!({"accessStatus": "cancelled", "otherFilings": "yes"}),
        json!({"accessStatus": "cancelled", "otherFilings": "no"}),
        json!({"noticeReceived": true}),
        json!({"noticeReceived": true, "serverExpiry": "2026-10-19"}),
        json!({"noticeDeadline": "2026-10-19"}),
        json!({"noticeDeadline": "2026-10-25", "serverExpiry": "2026-10-19"}),
        json!({"serverExpiry": "2025-01-01"}),
        json!({"serverExpiry": "2026-10-19"}),
        json!({"licenceExpiry": "2026-10-19", "annualReportFiled": true}),
        json!({"licenceExpiry": "2026-12-01", "annualReportFiled": true}),
        json!({"licenceExpiry": "2027-02-01", "annualReportFiled": true}),
        json!({"today": "2026-04-10", "annualReportFiled": false}),
        json!({"today": "2026-06-10", "annualReportFiled": false}),
        json!({"siteOpened": "2026-01-01", "gaFiled": false}),
    ];
    for mut input in inputs {
        if input.get("today").is_none() {
            input["today"] = json!("2026-10-20");
        }
        let out = classify_json(input.clone());
        let r = &out["results"][0];
        assert_eq!(r["severity"], json!("danger"), "{input}");
        let first = r["actions"][0].as_str().unwrap();
        assert!(first.starts_with("今天"), "{input}: {first}");
        let en = {
            let mut i = input.clone();
            i["lang"] = json!("en");
            classify_json(i)
        };
        let first = en["results"][0]["actions"][0].as_str().unwrap();
        assert!(first.starts_with("Today"), "{input}: {first}");
    }
}

#[test]
fn annual_report_texts_name_the_year() {
    for (input, year) in [
        (
            json!({"today": "2026-02-01", "annualReportFiled": false}),
            "2025 年度",
        ),
        (
            json!({"today": "2026-04-02", "annualReportFiled": false}),
            "2025 年度",
        ),
        (
            json!({"today": "2026-06-01", "annualReportFiled": false}),
            "2025 年度",
        ),
        (
            json!({"today": "2026-06-01", "annualReportFiled": true}),
            "2025 年度",
        ),
        (
            json!({"today": "2026-06-01", "licenceExpiry": "2030-01-01"}),
            "2026 年度",
        ),
        (
            json!({"today": "2026-02-01", "licenceExpiry": "2030-01-01"}),
            "2025 年度",
        ),
    ] {
        let out = classify_json(input.clone());
        let r = out["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["axis"] == json!("annualReport"))
            .unwrap();
        let text = format!("{}{}", r["summary"], r["actions"]);
        assert!(text.contains(year), "{input}: {text}");
        assert!(!text.contains("上一年度"), "{input}: {text}");
        assert!(!text.contains("日 前"), "stray space in {text}");
    }
}
