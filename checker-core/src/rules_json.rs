//! Reading the rules data from JSON without serde: the browser's path (checker-wasm), where
//! serde's generated code for the rules structs was about a third of the WebAssembly.
//!
//! It accepts exactly what the serde derives of `rules.rs` accept from `serde_json` (same field
//! names, same defaults, unknown and repeated fields refused), so the JSON the generator writes
//! with serde reads back into equal [`Rules`] (a test checks that on the shipped rules).

use crate::json::{parse, Json};
use crate::output::Link;
use crate::rules::{
    Action, AxisTexts, FieldTexts, LangMap, Messages, ProviderTexts, ReasonTexts, Rules,
    StateTexts, Threshold, Thresholds, VariantTexts,
};
use crate::text_map::TextMap;

impl Rules {
    /// Reads rules data from JSON text (the form the generator embeds in pages). The data is
    /// not validated (see [`Rules::validate`]); an error names the key path that is wrong.
    pub fn from_json(text: &str) -> std::result::Result<Rules, String> {
        let value = parse(text).map_err(|e| e.to_string())?;
        read_rules(&value).map_err(|e| e.to_string())
    }
}

/// What is wrong, and at which key path (`states.SERVER_ACTIVE.zh-CN.title`).
#[derive(Debug)]
struct Error {
    at: String,
    message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "`{}`: {}", self.at, self.message)
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn wrong(at: &str, expected: &str, got: &Json) -> Error {
    Error {
        at: at.to_owned(),
        message: format!("expected {expected}, found {}", got.kind()),
    }
}

/// The fields of one struct: only `fields` may appear, each at most once.
struct Fields<'a> {
    entries: &'a [(String, Json)],
    at: &'a str,
}

impl<'a> Fields<'a> {
    fn new(value: &'a Json, at: &'a str, fields: &[&str]) -> Result<Self> {
        let Json::Object(entries) = value else {
            return Err(wrong(at, "an object", value));
        };
        for (i, (key, _)) in entries.iter().enumerate() {
            if !fields.contains(&key.as_str()) {
                return Err(Error {
                    at: join(at, key),
                    message: format!("unknown field; expected one of: {}", fields.join(", ")),
                });
            }
            if entries[..i].iter().any(|(k, _)| k == key) {
                return Err(Error {
                    at: join(at, key),
                    message: "the field is given more than once".to_owned(),
                });
            }
        }
        Ok(Fields { entries, at })
    }

    fn get(&self, key: &str) -> Option<(&'a Json, String)> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| (v, join(self.at, key)))
    }

    fn required(&self, key: &str) -> Result<(&'a Json, String)> {
        self.get(key).ok_or_else(|| Error {
            at: self.at.to_owned(),
            message: format!("missing field `{key}`"),
        })
    }

    /// A string field; absent is empty (the derives' `#[serde(default)]`).
    fn string(&self, key: &str) -> Result<String> {
        match self.get(key) {
            Some((v, at)) => string(v, &at),
            None => Ok(String::new()),
        }
    }

    /// A list of steps (strings, or tables with marks); absent is empty.
    fn actions(&self, key: &str) -> Result<Vec<Action>> {
        self.list(key, action)
    }

    /// A list of links; absent is empty.
    fn links(&self, key: &str) -> Result<Vec<Link>> {
        self.list(key, link)
    }

    fn list<T>(&self, key: &str, item: fn(&Json, &str) -> Result<T>) -> Result<Vec<T>> {
        let Some((v, at)) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Json::Array(items) = v else {
            return Err(wrong(&at, "an array", v));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, x)| item(x, &join(&at, &i.to_string())))
            .collect()
    }

    /// A map keyed by string; absent is empty. A repeated key keeps its last value, as serde's
    /// `BTreeMap` did.
    fn map<T>(&self, key: &str, item: fn(&Json, &str) -> Result<T>) -> Result<TextMap<T>> {
        match self.get(key) {
            Some((v, at)) => map(v, &at, item),
            None => Ok(TextMap::new()),
        }
    }
}

fn string(value: &Json, at: &str) -> Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong(at, "a string", value))
}

fn integer(value: &Json, at: &str) -> Result<i64> {
    value
        .as_i64()
        .ok_or_else(|| wrong(at, "a whole number", value))
}

fn map<T>(value: &Json, at: &str, item: fn(&Json, &str) -> Result<T>) -> Result<TextMap<T>> {
    let Json::Object(entries) = value else {
        return Err(wrong(at, "an object", value));
    };
    let mut out = TextMap::new();
    for (key, v) in entries {
        out.insert(key.clone(), item(v, &join(at, key))?);
    }
    Ok(out)
}

/// A step: a string, or `{ text, asks, irreversible, when }` (as `Action`'s serde impls).
fn action(value: &Json, at: &str) -> Result<Action> {
    if let Json::String(text) = value {
        return Ok(Action::plain(text.clone()));
    }
    let f = Fields::new(value, at, &["text", "asks", "irreversible", "when"])?;
    let (text, text_at) = f.required("text")?;
    let irreversible = match f.get("irreversible") {
        Some((v, at)) => v.as_bool().ok_or_else(|| wrong(&at, "true or false", v))?,
        None => false,
    };
    Ok(Action {
        text: string(text, &text_at)?,
        asks: f.list("asks", string)?,
        irreversible,
        when: f.string("when")?,
    })
}

fn link(value: &Json, at: &str) -> Result<Link> {
    let f = Fields::new(value, at, &["title", "href"])?;
    let (title, title_at) = f.required("title")?;
    let (href, href_at) = f.required("href")?;
    Ok(Link {
        title: string(title, &title_at)?,
        href: string(href, &href_at)?,
    })
}

fn read_rules(value: &Json) -> Result<Rules> {
    let f = Fields::new(
        value,
        "",
        &[
            "thresholds",
            "messages",
            "axes",
            "states",
            "fields",
            "reasons",
        ],
    )?;
    let (thresholds, thresholds_at) = f.required("thresholds")?;
    let (messages, messages_at) = f.required("messages")?;
    let (axes, axes_at) = f.required("axes")?;
    let (states, states_at) = f.required("states")?;
    let (fields, fields_at) = f.required("fields")?;
    let (reasons, reasons_at) = f.required("reasons")?;
    Ok(Rules {
        thresholds: read_thresholds(thresholds, &thresholds_at)?,
        messages: lang_map(messages, &messages_at, read_messages)?,
        axes: map(axes, &axes_at, |v, at| lang_map(v, at, read_axis))?,
        states: map(states, &states_at, |v, at| lang_map(v, at, read_state))?,
        fields: map(fields, &fields_at, |v, at| lang_map(v, at, read_field))?,
        reasons: map(reasons, &reasons_at, |v, at| lang_map(v, at, read_reason))?,
    })
}

fn lang_map<T: Default>(
    value: &Json,
    at: &str,
    read: fn(&Json, &str) -> Result<T>,
) -> Result<LangMap<T>> {
    let f = Fields::new(value, at, &["zh-CN", "en"])?;
    let zh_cn = match f.get("zh-CN") {
        Some((v, at)) => read(v, &at)?,
        None => T::default(),
    };
    let en = match f.get("en") {
        Some((Json::Null, _)) | None => None,
        Some((v, at)) => Some(read(v, &at)?),
    };
    Ok(LangMap { zh_cn, en })
}

fn threshold<T>(
    value: &Json,
    at: &str,
    read: fn(&Json, &str) -> Result<T>,
) -> Result<Threshold<T>> {
    let f = Fields::new(value, at, &["value", "source", "verified", "note"])?;
    let (v, v_at) = f.required("value")?;
    let (source, source_at) = f.required("source")?;
    let (verified, verified_at) = f.required("verified")?;
    Ok(Threshold {
        value: read(v, &v_at)?,
        source: string(source, &source_at)?,
        verified: string(verified, &verified_at)?,
        note: f.string("note")?,
    })
}

/// The threshold names, in the struct's field order.
const THRESHOLDS: [&str; 12] = Thresholds::NAMES;

fn read_thresholds(value: &Json, at: &str) -> Result<Thresholds> {
    let f = Fields::new(value, at, &THRESHOLDS)?;
    let days = |key: &str| -> Result<Threshold<i64>> {
        let (v, at) = f.required(key)?;
        threshold(v, &at, integer)
    };
    let month_day = |key: &str| -> Result<Threshold<String>> {
        let (v, at) = f.required(key)?;
        threshold(v, &at, string)
    };
    Ok(Thresholds {
        server_expiring_soon_days: days(THRESHOLDS[0])?,
        server_expired_long_ago_days: days(THRESHOLDS[1])?,
        domain_expiring_soon_days: days(THRESHOLDS[2])?,
        licence_renewal_deadline_days: days(THRESHOLDS[3])?,
        licence_renewal_near_days: days(THRESHOLDS[4])?,
        licence_renewal_due_days: days(THRESHOLDS[5])?,
        licence_validity_months: days(THRESHOLDS[6])?,
        refile_min_server_months: days(THRESHOLDS[7])?,
        refile_min_domain_months: days(THRESHOLDS[8])?,
        ga_filing_window_days: days(THRESHOLDS[9])?,
        annual_report_window_end: month_day(THRESHOLDS[10])?,
        annual_report_correction_end: month_day(THRESHOLDS[11])?,
    })
}

/// The message names, in the struct's field order.
const MESSAGES: [&str; 28] = [
    "invalid_date",
    "invalid_choice",
    "invalid_bool",
    "invalid_count",
    "unknown_field",
    "duplicate_key",
    "v1_lookup",
    "date_out_of_range",
    "too_large",
    "notice_contradiction",
    "server_renew_first",
    "server_renew_first_today",
    "no_input",
    "date_implausible",
    "not_checked",
    "all_checked",
    "licence_estimated",
    "list_separator",
    "table_days",
    "table_deadline",
    "table_provider",
    "table_year",
    "table_next_period",
    "table_due_period",
    "severity_ok",
    "severity_info",
    "severity_warning",
    "severity_danger",
];

fn read_messages(value: &Json, at: &str) -> Result<Messages> {
    let f = Fields::new(value, at, &MESSAGES)?;
    let mut m = Messages::default();
    let slots: [&mut String; 28] = [
        &mut m.invalid_date,
        &mut m.invalid_choice,
        &mut m.invalid_bool,
        &mut m.invalid_count,
        &mut m.unknown_field,
        &mut m.duplicate_key,
        &mut m.v1_lookup,
        &mut m.date_out_of_range,
        &mut m.too_large,
        &mut m.notice_contradiction,
        &mut m.server_renew_first,
        &mut m.server_renew_first_today,
        &mut m.no_input,
        &mut m.date_implausible,
        &mut m.not_checked,
        &mut m.all_checked,
        &mut m.licence_estimated,
        &mut m.list_separator,
        &mut m.table_days,
        &mut m.table_deadline,
        &mut m.table_provider,
        &mut m.table_year,
        &mut m.table_next_period,
        &mut m.table_due_period,
        &mut m.severity_ok,
        &mut m.severity_info,
        &mut m.severity_warning,
        &mut m.severity_danger,
    ];
    for (slot, key) in slots.into_iter().zip(MESSAGES) {
        *slot = f.string(key)?;
    }
    Ok(m)
}

fn read_axis(value: &Json, at: &str) -> Result<AxisTexts> {
    let f = Fields::new(value, at, &["title", "description"])?;
    Ok(AxisTexts {
        title: f.string("title")?,
        description: f.string("description")?,
    })
}

fn read_state(value: &Json, at: &str) -> Result<StateTexts> {
    let f = Fields::new(
        value,
        at,
        &[
            "title",
            "condition",
            "summary",
            "actions",
            "links",
            "providers",
            "variants",
        ],
    )?;
    Ok(StateTexts {
        title: f.string("title")?,
        condition: f.string("condition")?,
        summary: f.string("summary")?,
        actions: f.actions("actions")?,
        links: f.links("links")?,
        providers: f.map("providers", read_provider)?,
        variants: f.map("variants", read_variant)?,
    })
}

fn read_provider(value: &Json, at: &str) -> Result<ProviderTexts> {
    let f = Fields::new(value, at, &["actions", "links"])?;
    Ok(ProviderTexts {
        actions: f.actions("actions")?,
        links: f.links("links")?,
    })
}

fn read_variant(value: &Json, at: &str) -> Result<VariantTexts> {
    let f = Fields::new(value, at, &["title", "summary", "actions", "links"])?;
    Ok(VariantTexts {
        title: f.string("title")?,
        summary: f.string("summary")?,
        actions: f.actions("actions")?,
        links: f.links("links")?,
    })
}

fn read_reason(value: &Json, at: &str) -> Result<ReasonTexts> {
    let f = Fields::new(value, at, &["title", "actions", "links"])?;
    Ok(ReasonTexts {
        title: f.string("title")?,
        actions: f.actions("actions")?,
        links: f.links("links")?,
    })
}

fn read_field(value: &Json, at: &str) -> Result<FieldTexts> {
    let f = Fields::new(value, at, &["label", "hint", "options"])?;
    Ok(FieldTexts {
        label: f.string("label")?,
        hint: f.string("hint")?,
        options: f.map("options", string)?,
    })
}
