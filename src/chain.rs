//! The chain picture's data (`chain.toml` next to the checker rules): the steps from a server's
//! expiry to refiling, and which checker state puts the reader at which step. Loaded and
//! validated at build time; `templates/partials/chain.html` draws it as an inline SVG for the
//! guides' ```` ```chain ```` blocks and for the checker result (which marks the reader's step).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::diagnostic::{toml_error, Diagnostic, TomlHelp};

/// File name of the chain data, in the rules file's folder.
pub const CHAIN_FILE: &str = "chain.toml";

/// The chain as written in `chain.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    /// The picture's accessible name and caption heading.
    pub title: String,
    /// One sentence under the picture (what the order means; no invented day counts).
    #[serde(default)]
    pub caption: String,
    /// The steps, first to last.
    pub steps: Vec<Step>,
    /// Checker state code → step id (states not listed have no place on the chain).
    #[serde(default)]
    pub states: BTreeMap<String, String>,
    /// `[en]`: the title and caption in English (for the English edition). With it, every
    /// step needs its `en` texts too.
    #[serde(default)]
    pub en: Option<ChainTexts>,
}

/// The chain's own texts in another language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainTexts {
    /// The picture's accessible name and caption heading.
    pub title: String,
    /// One sentence under the picture.
    #[serde(default)]
    pub caption: String,
}

/// A step's texts in another language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepTexts {
    /// Short label in the box.
    pub label: String,
    /// One short line under the label.
    #[serde(default)]
    pub note: String,
}

/// One step of the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id (`a-z`, `0-9`, `-`), used in the SVG and by the state map.
    pub id: String,
    /// Short label in the box (a few characters).
    pub label: String,
    /// One short line under the label.
    #[serde(default)]
    pub note: String,
    /// `en = { label, note }`: the same in English.
    #[serde(default)]
    pub en: Option<StepTexts>,
}

/// Where the chain data lives for the rules file `rules` (`content/checker/rules.toml` →
/// `content/checker/chain.toml`).
pub fn chain_path(rules: &Path) -> PathBuf {
    rules.with_file_name(CHAIN_FILE)
}

/// Loads and validates `root/rel_path`; `Ok(None)` when the file does not exist (the site then
/// has no chain picture, and a ```` ```chain ```` block is an error).
pub fn load_chain(root: &Path, rel_path: &Path) -> Result<Option<Chain>, Vec<Diagnostic>> {
    let file = root.join(rel_path);
    if !file.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&file).map_err(|e| {
        vec![
            Diagnostic::error(rel_path, format!("cannot read the chain data: {e}"))
                .help("check that the file is readable UTF-8 text"),
        ]
    })?;
    let chain: Chain = toml::from_str(&text).map_err(|e| {
        let help = TomlHelp {
            unknown_field:
                "remove the key or fix its spelling; the file's header comment lists the keys",
            date: None,
            missing_field: "add the missing key; the file's header comment describes every table",
            invalid_type: Some("give the value the type named in the message (text in quotes)"),
            other: "fix the TOML at this position; the file's header comment describes its layout",
        };
        vec![toml_error(
            rel_path,
            &text,
            &e,
            "invalid chain data: ",
            &help,
        )]
    })?;
    let problems = validate(&chain, rel_path, &text);
    if problems.is_empty() {
        Ok(Some(chain))
    } else {
        Err(problems)
    }
}

/// The 1-based line of the first line of `text` for which `pred` holds (1 when none does).
fn line_of(text: &str, pred: impl Fn(&str) -> bool) -> usize {
    text.lines().position(pred).map_or(1, |i| i + 1)
}

/// Widest note (display columns) that fits a step box on a 360 px screen.
const NOTE_MAX_WIDTH: usize = 40;

/// Widest label (display columns): the label is drawn larger and bold, and the reader's
/// "you are here" marker follows it on the same line.
const LABEL_MAX_WIDTH: usize = 20;

fn validate(chain: &Chain, rel_path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let error = |message: String, line: usize, help: &str| {
        Diagnostic::error(rel_path, message)
            .at(line, None)
            .with_source(text)
            .help(help.to_owned())
    };
    if chain.steps.is_empty() {
        problems.push(error(
            "the chain has no steps".to_owned(),
            1,
            "add `[[steps]]` tables with `id` and `label`, first step first",
        ));
    }
    let mut ids = HashSet::new();
    for (i, step) in chain.steps.iter().enumerate() {
        // The line of this step's `id`: a repeated id is reported where it repeats.
        let nth = chain.steps[..i].iter().filter(|s| s.id == step.id).count();
        let quoted = format!("\"{}\"", step.id);
        let line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("id") && l.contains(&quoted))
            .nth(nth)
            .map_or(1, |(n, _)| n + 1);
        let well_formed = !step.id.is_empty()
            && step
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            problems.push(error(
                format!("step id `{}` is not lowercase a-z, 0-9 and `-`", step.id),
                line,
                "use an id like `server-expiry`",
            ));
        }
        if !ids.insert(step.id.as_str()) {
            problems.push(error(
                format!("step id `{}` is used twice", step.id),
                line,
                "give every step its own id",
            ));
        }
        // The same rules for the Chinese texts and the English ones (`en = { label, note }`).
        let mut texts = vec![("", step.label.as_str(), step.note.as_str())];
        match (&step.en, &chain.en) {
            (Some(en), _) => texts.push((" (English)", en.label.as_str(), en.note.as_str())),
            (None, Some(_)) => problems.push(error(
                format!(
                    "step `{}` has no English texts, but the chain has `[en]`",
                    step.id
                ),
                line,
                "add `en = { label = \"…\", note = \"…\" }` to the step",
            )),
            (None, None) => {}
        }
        if step.en.is_some() && chain.en.is_none() {
            problems.push(error(
                format!(
                    "step `{}` has English texts, but the chain has no `[en]` title",
                    step.id
                ),
                line,
                "add an `[en]` table with `title` (and `caption`) in English",
            ));
        }
        for (which, label, note) in texts {
            // The box is drawn for a 360 px screen: a longer line runs out of it (the SVG does
            // not wrap).
            let note_width = unicode_width::UnicodeWidthStr::width(note);
            if note_width > NOTE_MAX_WIDTH {
                problems.push(error(
                    format!(
                        "step `{}`: the note{which} is {note_width} columns wide, more than the box holds ({NOTE_MAX_WIDTH}; a Chinese character is 2)",
                        step.id
                    ),
                    line,
                    "shorten the note to one short line; the guides carry the details",
                ));
            }
            let label_width = unicode_width::UnicodeWidthStr::width(label);
            if label.trim().is_empty() {
                problems.push(error(
                    format!("step `{}` has an empty label{which}", step.id),
                    line,
                    "write a short label (a few characters)",
                ));
            } else if label_width > LABEL_MAX_WIDTH {
                problems.push(error(
                    format!(
                        "step `{}`: the label{which} is {label_width} columns wide, more than the box holds ({LABEL_MAX_WIDTH}; a Chinese character is 2)",
                        step.id
                    ),
                    line,
                    "shorten the label to a few words; the note and the guides carry the rest",
                ));
            }
        }
    }
    if chain.title.trim().is_empty() {
        problems.push(error(
            "the chain's `title` is empty".to_owned(),
            line_of(text, |l| l.trim_start().starts_with("title")),
            "write the picture's name (it is read out to screen-reader users)",
        ));
    }
    if let Some(en) = &chain.en {
        if en.title.trim().is_empty() {
            problems.push(error(
                "the chain's `[en]` title is empty".to_owned(),
                line_of(text, |l| l.trim() == "[en]"),
                "write the picture's name in English",
            ));
        }
    }
    for (state, step) in &chain.states {
        let line = line_of(text, |l| {
            l.trim_start().starts_with(state.as_str()) && l.contains('=')
        });
        match beian_checker::State::from_code(state) {
            None => problems.push(error(
                format!("`{state}` is not a checker state"),
                line,
                "use a state code of the checker contract, e.g. SERVER_EXPIRED_FILING_AT_RISK",
            )),
            Some(s) if s.axis() != beian_checker::Axis::Filing => problems.push(error(
                format!("`{state}` is not a state of the filing axis"),
                line,
                "only the filing axis's states have a place on the chain",
            )),
            Some(_) => {}
        }
        if !ids.contains(step.as_str()) {
            problems.push(error(
                format!("`{state}` points at step `{step}`, which the chain does not have"),
                line,
                "use the `id` of one of the `[[steps]]`",
            ));
        }
    }
    problems
}

impl Chain {
    /// Template context for `partials/chain.html`: the steps with their 0-based index and the
    /// state codes that mark them (`{ title, caption, steps: [{ id, label, note, index, states }] }`).
    pub fn template_context(&self) -> Value {
        self.template_context_in("")
    }

    /// [`Chain::template_context`] in language `lang`: English texts for `en` when the data
    /// has them, else the Chinese ones.
    pub fn template_context_in(&self, lang: &str) -> Value {
        let english = lang == "en";
        let steps: Vec<Value> = self
            .steps
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let states: Vec<&str> = self
                    .states
                    .iter()
                    .filter(|(_, step)| **step == s.id)
                    .map(|(state, _)| state.as_str())
                    .collect();
                let (label, note) = match (&s.en, english) {
                    (Some(en), true) => (&en.label, &en.note),
                    _ => (&s.label, &s.note),
                };
                json!({ "id": s.id, "label": label, "note": note, "index": index, "states": states })
            })
            .collect();
        let (title, caption) = match (&self.en, english) {
            (Some(en), true) => (&en.title, &en.caption),
            _ => (&self.title, &self.caption),
        };
        json!({ "title": title, "caption": caption, "steps": steps })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn load(text: &str) -> Result<Option<Chain>, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("chain.toml"), text).unwrap();
        load_chain(dir.path(), Path::new("chain.toml"))
    }

    const GOOD: &str = "title = \"链条\"\n\n[[steps]]\nid = \"server-expiry\"\nlabel = \"服务器到期\"\n\n[[steps]]\nid = \"refile\"\nlabel = \"重新备案\"\n\n[states]\nSERVER_EXPIRED_FILING_AT_RISK = \"server-expiry\"\nFILING_CANCELLED_REFILE = \"refile\"\n";

    #[test]
    fn a_missing_file_is_no_chain() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_chain(dir.path(), Path::new("chain.toml"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn the_context_lists_the_states_of_each_step() {
        let chain = load(GOOD).unwrap().unwrap();
        let cx = chain.template_context();
        assert_eq!(cx["steps"][0]["id"], "server-expiry");
        assert_eq!(cx["steps"][0]["states"][0], "SERVER_EXPIRED_FILING_AT_RISK");
        assert_eq!(cx["steps"][1]["index"], 1);
        assert_eq!(cx["steps"][1]["states"][0], "FILING_CANCELLED_REFILE");
    }

    #[test]
    fn bad_data_is_reported_at_its_line() {
        let text = GOOD
            .replace("id = \"refile\"", "id = \"server-expiry\"")
            .replace(
                "FILING_CANCELLED_REFILE = \"refile\"",
                "NOT_A_STATE = \"nowhere\"\nDOMAIN_OK = \"server-expiry\"",
            );
        let e = load(&text).unwrap_err();
        let messages: Vec<String> = e.iter().map(|d| format!("{d}")).collect();
        let all = messages.join("\n");
        assert!(
            all.contains("step id `server-expiry` is used twice"),
            "{all}"
        );
        assert!(
            all.contains("`NOT_A_STATE` is not a checker state"),
            "{all}"
        );
        assert!(all.contains("points at step `nowhere`"), "{all}");
        assert!(
            all.contains("`DOMAIN_OK` is not a state of the filing axis"),
            "{all}"
        );
        assert!(
            all.contains("chain.toml:8\n"),
            "the repeated id is on line 8:\n{all}"
        );
        assert!(
            all.contains("chain.toml:13\n"),
            "NOT_A_STATE is on line 13:\n{all}"
        );
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_file() {
        let e = load(&format!("{GOOD}\n[extra]\nx = 1\n")).unwrap_err();
        let text = format!("{}", e[0]);
        assert!(text.contains("chain.toml"), "{text}");
        assert!(text.contains("invalid chain data"), "{text}");
    }

    #[test]
    fn a_long_label_and_a_blank_title_are_reported() {
        let text = GOOD.replace("title = \"链条\"", "title = \"  \"").replace(
            "label = \"重新备案\"",
            &format!("label = \"{}\"", "重新备案".repeat(3)),
        );
        let all: Vec<String> = load(&text)
            .unwrap_err()
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            all,
            [
                "step `refile`: the label is 24 columns wide, more than the box holds (20; a Chinese character is 2)",
                "the chain's `title` is empty",
            ]
        );
    }

    #[test]
    fn a_note_wider_than_the_box_is_reported_at_its_step() {
        // 23 Chinese characters: 46 columns, more than a step box holds at 360 px.
        let long = "空壳网站；名下网站和小程序等都没了才算空壳主体";
        let text = GOOD.replace(
            "label = \"重新备案\"",
            &format!("label = \"重新备案\"\nnote = \"{long}\""),
        );
        let all: Vec<String> = load(&text)
            .unwrap_err()
            .iter()
            .map(|d| format!("{d}"))
            .collect();
        let all = all.join("\n");
        assert!(
            all.contains("step `refile`: the note is 46 columns wide"),
            "{all}"
        );
        assert!(
            all.contains("chain.toml:8\n"),
            "the step's id is on line 8:\n{all}"
        );
        // Exactly 40 columns fits.
        let fits = GOOD.replace(
            "label = \"重新备案\"",
            &format!("label = \"重新备案\"\nnote = \"{}\"", "备".repeat(20)),
        );
        assert!(load(&fits).is_ok());
    }

    #[test]
    fn english_texts_are_used_for_en_and_validated_like_the_chinese() {
        let en = GOOD
            .replace(
                "label = \"服务器到期\"",
                "label = \"服务器到期\"\nen = { label = \"Server expires\", note = \"The site goes down\" }",
            )
            .replace(
                "label = \"重新备案\"",
                "label = \"重新备案\"\nen = { label = \"File again\" }",
            )
            + "\n[en]\ntitle = \"The chain\"\ncaption = \"In order.\"\n";
        let chain = load(&en).unwrap().unwrap();
        let cx = chain.template_context_in("en");
        assert_eq!(cx["title"], "The chain");
        assert_eq!(cx["steps"][0]["label"], "Server expires");
        assert_eq!(cx["steps"][0]["note"], "The site goes down");
        assert_eq!(
            chain.template_context_in("zh-CN")["steps"][0]["label"],
            "服务器到期"
        );
        // A step without English texts when the chain has them, and a too-wide English note.
        let missing = en.replace("en = { label = \"File again\" }\n", "");
        let e = load(&missing).unwrap_err();
        assert!(
            e[0].message.contains("step `refile` has no English texts"),
            "{}",
            e[0]
        );
        let wide = en.replace("The site goes down", &"x".repeat(41));
        let e = load(&wide).unwrap_err();
        assert!(
            e[0].message
                .contains("the note (English) is 41 columns wide"),
            "{}",
            e[0]
        );
    }
}
