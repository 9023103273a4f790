//! The engine for JavaScript: qualify a lead from JSON, as the backend does.

use accord_core::{Answers, Audience, Context, Rulebook};
use wasm_bindgen::prelude::*;

/// Qualifies a lead in the browser: `rulebook` and `answers` are JSON text,
/// `audience` is `form` or `call`. Returns the qualification as JSON text,
/// or throws an error listing every problem in the rulebook.
#[wasm_bindgen(js_name = qualify)]
pub fn qualify_json(rulebook: &str, answers: &str, audience: &str) -> Result<String, JsError> {
    let rulebook = Rulebook::from_json(rulebook).map_err(|e| JsError::new(&e.to_string()))?;
    let answers: Answers =
        serde_json::from_str(answers).map_err(|e| JsError::new(&format!("answers: {e}")))?;
    let audience = match audience {
        "call" => Audience::Call,
        _ => Audience::Form,
    };
    let q = rulebook.qualify(&answers, &Context::default(), audience);
    serde_json::to_string(&q).map_err(|e| JsError::new(&e.to_string()))
}
