//! The browser (and Node) package of cunwu: JSON-shaped requests in, tagged answers out.
//!
//! Every export returns `{ ok: true, value, warnings } | { ok: false, errors, warnings }` and
//! never throws for a domain failure; decimals travel as strings and dates as ISO strings. The
//! bundled rules are parsed once per instance and reused.

use std::sync::OnceLock;

use cunwu_core::api::{self, Answer, DiffRequest, ResolveRequest, RulesInput};
use cunwu_core::{Diagnostic, Error, InputError, RuleSet};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A problem with a stable code, a place, and messages in Chinese and English. */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  message_zh: string;
  message_en: string;
  hint_zh?: string;
  hint_en?: string;
  location: { file?: string; line?: number; column?: number; pointer?: string };
  related?: Array<{ file?: string; line?: number; column?: number; pointer?: string }>;
}
/** Every answer: a value, or the errors that prevented it. */
export type Answer<T> =
  | { ok: true; value: T; warnings?: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings?: Diagnostic[] };
/** Which rules to use: the bundled ones plus `files`, or only `files` with `bundled: false`. */
export interface RulesInput {
  files?: Array<{ path: string; text: string }>;
  bundled?: boolean;
}
export interface ResolveRequest { as_of: string; district?: string | null }
export interface DiffRequest { from: string; to: string; district?: string | null }
export interface LintReport { clean: boolean; error_count: number; warning_count: number; diagnostics: Diagnostic[] }
/** The effective catalogue; see the JSON produced by `cunwu rules show --format json`. */
export interface ResolvedCatalogue {
  as_of: string;
  district?: { id: string; name: string };
  layers: Array<Record<string, unknown>>;
  items: Array<Record<string, unknown> & { id: string }>;
  parameters: Array<Record<string, unknown> & { id: string }>;
  documents: Record<string, Record<string, unknown>>;
}
export interface CatalogueDiff {
  from: string;
  to: string;
  layers_entered: Array<Record<string, unknown>>;
  layers_left: Array<Record<string, unknown>>;
  changes: Array<Record<string, unknown> & { id: string; summary_zh: string }>;
}
"#;

fn bundled() -> &'static Result<RuleSet, Vec<Diagnostic>> {
    static BUNDLED: OnceLock<Result<RuleSet, Vec<Diagnostic>>> = OnceLock::new();
    BUNDLED.get_or_init(RuleSet::bundled)
}

fn to_js<T: Serialize>(answer: &Answer<T>) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    answer
        .serialize(&serializer)
        .unwrap_or_else(|e| JsValue::from_str(&format!("cunwu: cannot serialize an answer: {e}")))
}

fn invalid_request<T>(pointer: &str, message: String) -> Answer<T> {
    Answer::failure(Error::Input(InputError::InvalidRequest { pointer: pointer.into(), message }).diagnostics())
}

fn from_js<T: DeserializeOwned>(value: JsValue, pointer: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| to_js(&invalid_request::<()>(pointer, e.to_string())))
}

/// Run `f` with the rule set `rules` asks for (the cached bundled rules when it is absent).
fn with_rules<T: Serialize>(rules: JsValue, f: impl FnOnce(&RuleSet) -> Answer<T>) -> JsValue {
    if rules.is_undefined() || rules.is_null() {
        return match bundled() {
            Ok(set) => to_js(&f(set)),
            Err(diags) => to_js(&Answer::<T>::failure(diags.clone())),
        };
    }
    let input: RulesInput = match from_js(rules, "/rules") {
        Ok(i) => i,
        Err(answer) => return answer,
    };
    match input.load() {
        Ok(set) => to_js(&f(&set)),
        Err(e) => to_js(&Answer::<T>::failure(e.diagnostics())),
    }
}

/// The disclosure catalogue in force on `request.as_of` (for `request.district`), every field
/// with the layer and legal basis that set it.
#[wasm_bindgen(js_name = resolveCatalogue, unchecked_return_type = "Answer<ResolvedCatalogue>")]
pub fn resolve_catalogue(
    #[wasm_bindgen(unchecked_param_type = "ResolveRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: ResolveRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, |set| api::resolve_catalogue(set, &request))
}

/// What changed in force between `request.from` and `request.to`, with the source of each change.
#[wasm_bindgen(js_name = diffCatalogue, unchecked_return_type = "Answer<CatalogueDiff>")]
pub fn diff_catalogue(
    #[wasm_bindgen(unchecked_param_type = "DiffRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: DiffRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, |set| api::diff_catalogue(set, &request))
}

/// Lint rule files (with the bundled rules unless `rules.bundled` is false).
#[wasm_bindgen(js_name = lintRules, unchecked_return_type = "Answer<LintReport>")]
pub fn lint_rules(#[wasm_bindgen(unchecked_param_type = "RulesInput")] rules: JsValue) -> JsValue {
    let input: RulesInput = if rules.is_undefined() || rules.is_null() {
        RulesInput::default_bundled()
    } else {
        match from_js(rules, "/rules") {
            Ok(i) => i,
            Err(answer) => return answer,
        }
    };
    to_js(&api::lint(&input))
}

/// Every error and warning code, with its area.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "Array<{ area: string; code: string }>")]
pub fn error_codes() -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    api::error_codes().serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// The JSON Schema of rule files, for editors and form builders.
#[wasm_bindgen(js_name = ruleFileSchema)]
pub fn rule_file_schema() -> String {
    cunwu_core::rules::schema::rule_file_schema_text()
}
