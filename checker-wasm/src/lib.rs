//! wasm-bindgen bindings over `beian_checker`; no logic of its own.
//!
//! The page's JS creates one [`Checker`] from the rules JSON embedded in the page, then calls
//! [`Checker::classify`] with the input object (as JSON text) and today's date in Asia/Shanghai,
//! which JS computes (the core reads no clock). Every error crosses the boundary through
//! `to_js_error`, the one conversion point.

use std::fmt::Display;

use beian_checker::{classify_json, parse_date, Rules};
use wasm_bindgen::prelude::*;

/// Turns any displayable error into the JS `Error` thrown by the bindings.
fn to_js_error(err: impl Display) -> JsError {
    JsError::new(&err.to_string())
}

/// The checker with its rules loaded, kept by JS between classifications.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Checker {
    rules: Rules,
}

#[wasm_bindgen]
impl Checker {
    /// Loads the rules data (the JSON the generator embeds in the page).
    ///
    /// The rules are not validated again here: the build validated them before embedding them,
    /// and the validation code would add about a tenth to the module's size. They are read with
    /// the core's own JSON reader, not serde (serde's generated code was a third of the module).
    #[wasm_bindgen(constructor)]
    pub fn new(rules_json: &str) -> Result<Checker, JsError> {
        let rules = Rules::from_json(rules_json)
            .map_err(|e| to_js_error(format_args!("the checker rules are not valid: {e}")))?;
        Ok(Checker { rules })
    }

    /// Classifies one input object (JSON text) and returns the output object as JSON text.
    ///
    /// `default_today` (`YYYY-MM-DD`) is used when the input has no `today`. Throws on input
    /// that is not a JSON object or is larger than 1 MB (the command's exit 2); invalid fields
    /// are not thrown, they are reported in the output's `errors`, exactly as natively. The
    /// input is JSON text, not a parsed object, so a key given twice reaches the core and is
    /// `INVALID_VALUE` here too.
    pub fn classify(&self, input_json: &str, default_today: &str) -> Result<String, JsError> {
        let today = parse_date(default_today).ok_or_else(|| {
            to_js_error(format_args!(
                "default today `{default_today}` is not a YYYY-MM-DD date"
            ))
        })?;
        let output = classify_json(input_json, &self.rules, today).map_err(to_js_error)?;
        Ok(output.to_json())
    }
}
