//! Placeholder syntax of the rule texts: the `{name}`s a text uses, filling them, and the names
//! that the input supplies. A leaf module (it imports nothing of the crate).

/// Placeholders whose value depends on the input, usable in state texts.
pub(crate) const DYNAMIC_PLACEHOLDERS: &[&str] = &[
    "days",
    "abs_days",
    "deadline",
    "deadline_days",
    "provider",
    "report_year",
    "report_period",
    "next_report_period",
    "due_report_period",
    "not_checked",
    "estimated",
    "server_expiry",
    "server_abs_days",
    // Counts with their unit, in agreement ("1 day", "2 days"; "1 天").
    "n_days",
    "n_abs_days",
    "n_deadline_days",
    "n_server_abs_days",
];

/// Placeholders usable in messages.
pub(crate) const MESSAGE_PLACEHOLDERS: &[&str] = &[
    "label",
    "field",
    "options",
    "fields",
    "value",
    "items",
    "access",
    "server_expiry",
    "n_server_days",
];

/// Replaces each `{name}` for which `value(name)` is `Some`; anything else is kept as written
/// (validation reports unknown placeholders, so a typo does not vanish silently).
pub(crate) fn fill(template: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names used in `template`.
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}
