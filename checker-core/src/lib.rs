//! Classification core of the beian-guide expiry checker: pure logic, no I/O.
//!
//! One implementation of the checker contract (its inputs, states and outputs are documented in
//! the repository's `docs/classify.md`), called natively by the generator
//! (`beian-guide classify`, the static rules table, rules validation) and in the browser through
//! `checker-wasm`. It reads no clock and no files: the caller passes the rules data and the
//! default `today`.

#![warn(missing_docs)]

mod classify;
mod date;
mod input;
mod json;
mod model;
mod output;
mod rules;
mod rules_json;
mod table;
mod template;
mod text;
mod text_map;
mod validate;

pub use classify::{check_input, classify_json, classify_value, MAX_INPUT_BYTES};
pub use date::{add_months, parse_date, today_in_shanghai};
pub use input::{
    field_kind, in_range, parse_entries, parse_input, Access, Billing, FieldKind, FieldProblem,
    Input, Lang, Lookup, NoticeReason, OtherFilings, ProblemKind, Provider, ACCESS_STATUSES,
    BILLINGS, EARLIEST_DATE, FIELDS, LANGS, LATEST_DATE, LOOKUPS, NOTICE_REASONS, OTHER_FILINGS,
    PROVIDERS, V1_LOOKUPS,
};
pub use json::{parse as parse_json, Json, Number, ParseError};
pub use model::{Axis, Severity, State, AXES, STATES};
pub use output::{
    AxisResult, ErrorCode, InputError, Link, Output, UsageError, Warning, WarningCode,
};
pub use rules::{
    variants, Action, AxisTexts, FieldTexts, LangMap, Messages, MonthDay, ProviderTexts,
    ReasonTexts, Rules, StateTexts, Threshold, ThresholdRef, Thresholds, VariantTexts,
    DEADLINE_UNKNOWN, LAST_DAY, NEUTRAL,
};
pub use table::{rules_table, TableRow};
pub use text_map::TextMap;
pub use validate::{is_content_link, RulesProblem};
