//! The contract's output object and the usage errors of the front doors.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::json::write_str;
use crate::model::{Axis, Severity, State};

/// The output object, serialized exactly as the contract describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The date used as today, `YYYY-MM-DD`.
    pub today: String,
    /// One result per axis whose inputs are present, in axis order; empty when there are errors.
    pub results: Vec<AxisResult>,
    /// Non-fatal remarks on the input; empty when there are errors.
    pub warnings: Vec<Warning>,
    /// Every invalid field, or `NO_INPUT`.
    pub errors: Vec<InputError>,
}

impl Output {
    /// The exit code of `beian-guide classify` for this output: 0 without errors, else 1.
    pub fn exit_code(&self) -> i32 {
        if self.errors.is_empty() {
            0
        } else {
            1
        }
    }
}

/// The classification of one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxisResult {
    /// The axis classified.
    pub axis: Axis,
    /// The state it is in.
    pub state: State,
    /// The state's severity (fixed by the contract).
    pub severity: Severity,
    /// Days from today to the axis's key date (negative: in the past), where the contract names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The axis's key date, `YYYY-MM-DD`, where the contract names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// `true` when the key date was derived rather than given (a licence expiry computed from
    /// the issue date); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated: Option<bool>,
    /// The notice's `noticeReason` on a `RECTIFICATION_*` result, when given and not
    /// `unknown` (contract v3); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The state's title in the output language (a text variant's, when one applies).
    pub title: String,
    /// The summary, with placeholders filled in.
    pub summary: String,
    /// What to do, in order, as sentences with placeholders filled in.
    pub actions: Vec<String>,
    /// Guide pages to read.
    pub links: Vec<Link>,
}

/// A link to a guide page. In the rules data `href` is a content-relative `.md` path; the
/// generator and the CLI turn it into a site URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The link text.
    pub title: String,
    /// Where it points (a content-relative `.md` path in the rules data).
    pub href: String,
}

/// Warning codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WarningCode {
    /// A date before 2000-01-01 or more than 120 months after today.
    #[serde(rename = "DATE_IMPLAUSIBLE")]
    DateImplausible,
}

/// A remark on one input field that does not stop the classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What kind of remark.
    pub code: WarningCode,
    /// The input field it is about.
    pub field: String,
    /// The remark, in the output language.
    pub message: String,
}

/// Error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// A bad value in a date field (wrong format, not a real date, not a string, outside
    /// 1900–2199).
    #[serde(rename = "INVALID_DATE")]
    InvalidDate,
    /// Any other bad value, an unknown field, or a key given twice.
    #[serde(rename = "INVALID_VALUE")]
    InvalidValue,
    /// Valid input, but no axis has its inputs.
    #[serde(rename = "NO_INPUT")]
    NoInput,
}

/// One problem with the input: a field, or `NO_INPUT` without a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// What kind of problem.
    pub code: ErrorCode,
    /// The input field at fault; absent for `NO_INPUT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The problem and its fix, in the output language.
    pub message: String,
}

/// Input that cannot be classified at all: the front door reports it (the CLI exits 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// The text is not JSON; carries the parser's message.
    NotJson(String),
    /// Valid JSON, but not an object (`[]`, `42`).
    NotAnObject,
    /// The input is larger than the front door accepts; carries the limit in bytes.
    TooLarge(u64),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::NotJson(e) => write!(f, "input is not valid json: {e}"),
            UsageError::NotAnObject => {
                f.write_str("input must be a json object like {\"serverExpiry\": \"2026-11-05\"}")
            }
            UsageError::TooLarge(limit) => write!(
                f,
                "input is larger than {} bytes (1 MB); the checker reads one small json object, check that the right file was given",
                limit
            ),
        }
    }
}

impl std::error::Error for UsageError {}

impl WarningCode {
    /// The contract's code (`"DATE_IMPLAUSIBLE"`).
    pub fn code(self) -> &'static str {
        match self {
            WarningCode::DateImplausible => "DATE_IMPLAUSIBLE",
        }
    }
}

impl ErrorCode {
    /// The contract's code (`"INVALID_DATE"`).
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::InvalidDate => "INVALID_DATE",
            ErrorCode::InvalidValue => "INVALID_VALUE",
            ErrorCode::NoInput => "NO_INPUT",
        }
    }
}

impl Output {
    /// The output as compact JSON text, byte for byte what `serde_json::to_string` writes for
    /// it (a test compares them), without serde: this is what the WebAssembly returns.
    pub fn to_json(&self) -> String {
        let mut w = Writer(String::with_capacity(4096));
        w.start("today");
        w.str(&self.today);
        w.key("results");
        w.list(&self.results, |w, r| {
            w.start("axis");
            w.str(r.axis.code());
            w.key("state");
            w.str(r.state.code());
            w.key("severity");
            w.str(r.severity.code());
            if let Some(days) = r.days {
                w.key("days");
                w.0.push_str(&days.to_string());
            }
            if let Some(deadline) = &r.deadline {
                w.key("deadline");
                w.str(deadline);
            }
            if let Some(estimated) = r.estimated {
                w.key("estimated");
                w.0.push_str(if estimated { "true" } else { "false" });
            }
            if let Some(reason) = &r.reason {
                w.key("reason");
                w.str(reason);
            }
            w.key("title");
            w.str(&r.title);
            w.key("summary");
            w.str(&r.summary);
            w.key("actions");
            w.list(&r.actions, |w, a| w.str(a));
            w.key("links");
            w.list(&r.links, |w, l| {
                w.start("title");
                w.str(&l.title);
                w.key("href");
                w.str(&l.href);
                w.0.push('}');
            });
            w.0.push('}');
        });
        w.key("warnings");
        w.list(&self.warnings, |w, x| {
            w.start("code");
            w.str(x.code.code());
            w.key("field");
            w.str(&x.field);
            w.key("message");
            w.str(&x.message);
            w.0.push('}');
        });
        w.key("errors");
        w.list(&self.errors, |w, e| {
            w.start("code");
            w.str(e.code.code());
            if let Some(field) = &e.field {
                w.key("field");
                w.str(field);
            }
            w.key("message");
            w.str(&e.message);
            w.0.push('}');
        });
        w.0.push('}');
        w.0
    }
}

/// Compact JSON output, in the order the caller writes it.
struct Writer(String);

impl Writer {
    /// `{"first":`, starting an object.
    fn start(&mut self, first: &str) {
        self.0.push('{');
        self.str(first);
        self.0.push(':');
    }

    /// `,"key":`.
    fn key(&mut self, key: &str) {
        self.0.push(',');
        self.str(key);
        self.0.push(':');
    }

    fn str(&mut self, s: &str) {
        write_str(&mut self.0, s);
    }

    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.0.push('[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            item(self, x);
        }
        self.0.push(']');
    }
}
