//! The browser (and Node) package of cunwu: JSON-shaped requests in, tagged answers out.
//!
//! Every export returns `{ ok: true, value, warnings } | { ok: false, errors, warnings }` and
//! never throws for a domain failure; decimals travel as strings and dates as ISO strings. The
//! bundled rules are parsed once per instance and reused.

use std::sync::OnceLock;

use cunwu_core::api::{self, Answer, ResolveRequest, RulesInput};
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
  /** Limits on what one call accepts, when not the defaults (64 MiB of text, 100,000 log entries, 10,000,000 lines of a record file). */
  limits?: { max_text_bytes?: number; max_log_entries?: number; max_file_lines?: number };
}
export interface ResolveRequest { as_of: string; district?: string | null; unit_kind?: "village" | "community" | "group" | null }
export interface ExplainRequest { item: string; as_of: string; unit_kind?: "village" | "community" | "group" | null; district?: string | null }
/** One quoted clause of a source text (rules/sources/). */
export interface Citation {
  doc: string; title: string; jurisdiction: string; kind_zh: string; binds: boolean; article: string;
  clause?: string; text?: string; status?: "verbatim" | "summary"; note?: string;
}
/** One item's review page: its legal force, each value with its layer, the quoted clauses. */
export interface ItemExplanation {
  id: string; name: string; as_of: string; unit_kind?: string;
  force: "binding" | "adopted" | "local_default" | "advisory"; adopted_by?: string; defined_by: string;
  basis: Citation[];
  values: Array<{ field: string; value: string; layer: string; local_default?: boolean; parameter?: string; basis: Citation[] }>;
  notes?: string[];
  /** The same page as Markdown, in Chinese. */
  markdown: string;
}
export interface DiffRequest { from: string; to: string; district?: string | null }
export interface LintReport { clean: boolean; error_count: number; warning_count: number; diagnostics: Diagnostic[] }
/** The effective catalogue; see the JSON produced by `cunwu rules show --format json`. */
export interface ResolvedCatalogue {
  as_of: string;
  district?: { id: string; name: string };
  layers: Array<Record<string, unknown>>;
  unit_kind?: "village" | "community" | "group";
  /** The obligations: binding or adopted items. */
  items: Array<Record<string, unknown> & { id: string; force: "binding" | "adopted" }>;
  /** Recommended items (建议公开): no text binds the unit; never judged. */
  advisory?: Array<Record<string, unknown> & { id: string; force: "advisory" }>;
  parameters: Array<Record<string, unknown> & { id: string }>;
  documents: Record<string, Record<string, unknown>>;
}
export interface PeriodRequest { start: string; length: string; extension?: boolean | null; rule?: string | null; estimate?: boolean }
export interface ScheduleRequest {
  unit_kind: "village" | "community" | "group";
  year: number;
  district?: string | null;
  today?: string | null;
  estimate?: boolean;
  explain?: boolean;
}
export interface EventRequest { item: string; unit_kind?: "village" | "community" | "group"; event: string; district?: string | null; estimate?: boolean; explain?: boolean }
export interface PostingRequest { item: string; unit_kind?: "village" | "community" | "group"; posted: string; district?: string | null; estimate?: boolean }
export interface DaysRequest { from: string; until: string; estimate?: boolean }
/** Why a date is that date: steps in Chinese and English, days passed over, calendar version. */
export interface Explanation {
  rule?: string;
  steps: Array<{ date?: string; zh: string; en: string; basis?: Array<{ doc: string; article: string; note?: string }> }>;
  skipped?: DayInfo[];
  calendar_version?: string;
  estimated?: boolean;
}
export interface DayInfo {
  date: string;
  kind: "workday" | "weekend" | "statutory_holiday" | "in_lieu_rest" | "make_up_workday";
  holiday?: string;
  notice_year?: number;
  estimated?: boolean;
}
export interface Deadline { start?: string; length?: Record<string, number>; nominal: string; date: string; extended: boolean; explanation: Explanation }
export interface DateResult { date?: string; extended?: boolean; estimated?: boolean; explanation?: Explanation; error?: Diagnostic }
export interface Obligation {
  item: string;
  name: string;
  kind: string;
  cadence: string;
  covers: { from: string; until: string; label: string };
  due: DateResult;
  display?: { period: unknown; last_day?: string; earliest_removal?: string; explanation?: Explanation };
  filing?: DateResult;
  review?: DateResult;
  basis: Array<{ doc: string; article: string; note?: string }>;
  force: "binding" | "adopted";
  /** Who must publish it, when not the committee (the township, for 低保 and assistance lists). */
  responsible?: "township" | "district";
}
export interface Schedule {
  unit_kind: string;
  year: number;
  district?: { id: string; name: string };
  calendar_version: string;
  obligations: Obligation[];
  /** Advisory items (建议公开): recommended, never due. */
  recommendations?: Array<{ item: string; name: string; kind: string; cadence: string[]; basis: Array<{ doc: string; article: string; note?: string }> }>;
  next_wake_up?: { date: string; events: Array<{ item: string; period: string; change: string }> };
}
export interface Actor { id: string; role: string; name?: string }
/** What a host with a database sends with an event (see docs/host.md). */
export interface LogWrite {
  /** The delivery's id: the same event again under it returns the entry already made (`appended: false`). */
  idempotency_key?: string;
  /** Compare and swap: the head the caller read ("11:5f3a…"); if the log moved on, `LOG_CONFLICT`. */
  expected_head?: string;
  /** The chain's key as hex (at least 32 bytes), for a keyed (HMAC) chain. Never written to the log. */
  chain_key?: string;
}
export interface CaseOpenRequest extends LogWrite {
  date: string;
  actor: Actor;
  unit: { id: string; kind: "village" | "community" | "group"; district?: string; name?: string };
  period: string;
  pipeline: "general" | "party";
}
export interface CaseApplyRequest extends LogWrite { log: Array<Record<string, unknown>>; date: string; actor: Actor; event: { type: string } & Record<string, unknown> }
/** A stored log read back with what the host stored beside it. */
export interface ReplayRequest {
  jsonl: string;
  today?: string;
  /** The head stored beside the log: a log that does not end there is refused (`LOG_TRUNCATED`, …). */
  expected_head?: string;
  chain_key?: string;
  /** Past the published calendar, estimate deadlines (weekends only, marked `estimated`). */
  estimate?: boolean;
  /** Objections only: the public record and nothing else. */
  public?: boolean;
  /** Also give the compliance record rows the log gives. */
  records?: boolean;
}
export interface CaseView {
  /** The case's id: the hash of its first entry. */
  id: string;
  /** The head to store beside the log ("entries:hash"). */
  head: string;
  state: { stage: string; period: string; [key: string]: unknown };
  log: Array<{ index: number; date: string; actor: Actor; event: { type: string }; prev_hash: string; hash: string; idempotency_key?: string; keyed?: boolean } & Record<string, unknown>>;
  status?: { today: string; stage: string; next_actions: Array<Record<string, unknown>>; overdue: Array<Record<string, unknown>>; next_wake_up?: string; republication_required?: string; rules_version: string; calendar_version: string };
  /** After an apply: whether the entry was appended now (false for a repeated delivery). */
  appended?: boolean;
  /** After an open or apply: the entry's exact JSON line, for an append-only table. */
  line?: string;
  records?: ComplianceRows;
}
export interface ObjectionEventRequest extends LogWrite { date: string; actor: Actor; event: { type: string } & Record<string, unknown> }
export interface ObjectionApplyRequest extends ObjectionEventRequest { log: Array<Record<string, unknown>> }
export interface ObjectionView {
  /** Absent in the public view, which carries only `public_record`. */
  id?: string;
  head?: string;
  state?: { id: string; level: string; stage: string; [key: string]: unknown };
  /** Absent in the public view. */
  log?: Array<Record<string, unknown>>;
  status?: Record<string, unknown>;
  public_record?: { unit: string; subject: string; objection: string; levels: string[]; timeline: Array<{ date: string; what: string }>; outcome?: string; status: string };
  appended?: boolean;
  line?: string;
  records?: ComplianceRows;
}
/** One item a plan must include under one of its cadences, with its period label and due day. */
export interface PlanRequirement {
  id: string; name: string; basis: Array<{ doc: string; article: string; note?: string }>;
  cadence: string; period: string; due?: string; due_error?: Diagnostic;
}
export interface DueRequest {
  from: string;
  until: string;
  units?: Array<{ id: string; kind: "village" | "community" | "group"; district?: string; name?: string }>;
  /** Cases, each its log as JSON Lines (open ones for their steps; any, for what their plans cover). */
  cases?: string[];
  /** The heads stored beside the cases' logs, one per log in order (a log not ending at its head is a problem). */
  case_heads?: string[];
  /** Open objections, each its log as JSON Lines (their reply and re-publication deadlines). */
  objections?: string[];
  /** The heads stored beside the objections' logs, one per log in order. */
  objection_heads?: string[];
  chain_key?: string;
  estimate?: boolean;
}
export interface DueEntry {
  date: string;
  state: "due" | "overdue" | "very_overdue";
  overdue_days?: number;
  unit: string;
  period?: string;
  item?: string;
  case?: string;
  objection?: string;
  stage?: string;
  deadline: string;
  estimated?: boolean;
}
export interface DueList { from: string; until: string; entries: DueEntry[]; problems: Diagnostic[] }
export interface CatalogueDiff {
  from: string;
  to: string;
  layers_entered: Array<Record<string, unknown>>;
  layers_left: Array<Record<string, unknown>>;
  changes: Array<Record<string, unknown> & { id: string; summary_zh: string }>;
}
/** A unit of the registry. */
export interface UnitRow { id: string; name: string; kind: "village" | "community" | "group"; township: string; district: string; areas?: number | null }
/** Record rows by kind (see the core's `compliance::records`); dates are ISO strings. */
export interface ComplianceRows {
  units?: UnitRow[];
  postings?: Array<{ unit: string; item: string; period: string; posted: string; removed?: string | null; boards?: number | null }>;
  filings?: Array<{ unit: string; item: string; period: string; filed: string }>;
  reviews?: Array<{ unit: string; item: string; period: string; reviewed: string; outcome: "accepted" | "rectify" }>;
  republications?: Array<{ unit: string; item: string; period: string; posted: string }>;
  events?: Array<{ unit: string; item: string; date: string }>;
  objections?: Array<{ id: string; unit: string; level: "group_head" | "committee" | "township" | "district"; received: string;
    objector: "resident" | "villagers_group" | "supervision_committee" | "supervision_member"; subject: "disclosure" | "violation";
    item?: string | null; period?: string | null }>;
  replies?: Array<{ objection: string; level: "group_head" | "committee" | "township" | "district"; replied: string; outcome: "upheld" | "rejected" }>;
  benefits?: Array<{ unit: string; program: string; beneficiary: string; cadre?: string | null; relation?: string | null; granted: string; disclosed?: string | null }>;
}
export type FindingKind = "missing" | "late" | "display_short" | "too_few_boards" | "not_filed" | "filed_late" | "review_overdue"
  | "reply_overdue" | "not_republished" | "benefit_undisclosed";
export interface Finding {
  kind: FindingKind;
  responsible: "committee" | "township" | "district";
  item?: string; item_name?: string; period?: string; objection?: string; level?: string; days?: number;
  record?: { file?: string; line?: number; column?: number; pointer?: string };
  explanation: {
    obligation_zh: string; obligation_en: string; parameter?: string; local_default?: boolean;
    basis: Array<{ doc: string; article: string; note?: string }>;
    compared: Array<{ what: string; label_zh: string; date?: string }>;
    text_zh: string; text_en: string;
  };
}
/** One unit's assessment. Scores are decimal strings ("87.5"). */
export interface UnitAssessment {
  unit: UnitRow;
  catalogue?: string;
  obligations: number;
  undetermined?: number;
  findings: Finding[];
  score: { scheme: string; points: string; grade: string; grade_zh: string; charged: number;
    deductions: Array<{ finding: FindingKind; count: number; points: string; capped?: boolean }> };
  rank?: number;
  problems?: Diagnostic[];
}
export interface UnitComplianceRequest { year: number; as_of?: string | null; unit: UnitRow; records?: ComplianceRows }
export interface ComplianceRequest { year: number; as_of?: string | null; rows?: ComplianceRows; files?: Array<{ path: string; text: string }> }
/** A city-wide report: roll-ups (`city`, `districts`, `townships`), units ranked, problems. */
export interface ComplianceReport {
  year: number; as_of: string; rules_version: string; records: number;
  scheme: Record<string, unknown> & { id: string; name: string };
  city: Record<string, unknown>; districts: Array<Record<string, unknown>>; townships: Array<Record<string, unknown>>;
  units: UnitAssessment[];
  districts_without_catalogue?: string[];
  problems?: Diagnostic[];
}
"#;

/// The message of the last panic, kept by the hook that [`start`] installs. A panic aborts (the
/// package is built with `panic = "abort"`), which JavaScript sees as a `WebAssembly.RuntimeError`;
/// the package's entry module (`index.js`, written by `scripts/wasm-guard.mjs`) catches it, reads
/// this message, replaces the instance and answers `INTERNAL_PANIC`: no panic reaches the page.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Runs when the instance starts: installs the panic hook.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut slot) = LAST_PANIC.lock() {
            *slot = Some(info.to_string());
        }
    }));
}

/// The last panic's message, taken (for the entry module's guard).
#[wasm_bindgen(js_name = __cunwu_take_panic, skip_typescript)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut slot| slot.take())
}

/// Panics, so the tests can prove that the guard turns a panic into an answer.
#[wasm_bindgen(js_name = __cunwu_panic_for_tests, skip_typescript)]
#[allow(clippy::panic)]
pub fn panic_for_tests() -> JsValue {
    panic!("deliberate panic for the test suite")
}

fn bundled() -> &'static Result<RuleSet, Vec<Diagnostic>> {
    static BUNDLED: OnceLock<Result<RuleSet, Vec<Diagnostic>>> = OnceLock::new();
    BUNDLED.get_or_init(RuleSet::bundled)
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify`: requests cross as JSON text, read by `json::read`. Measured against
    /// serde-wasm-bindgen's deserializer: 0.94x the gzipped size, and a 500-line statement
    /// object validated in half the time.
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.parse`: most answers cross as JSON text (see [`to_js`]).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    /// What JavaScript throws when its stack runs out.
    #[wasm_bindgen(js_name = RangeError)]
    type JsRangeError;
}

/// A JavaScript exception caught from `JSON.stringify` or `JSON.parse`: thrown on when it is the
/// stack running out (the caller's stack, not the input, is at fault; the entry module then
/// replaces the instance, as after a trap), so it never becomes a wrong answer about the input.
fn unless_out_of_stack(e: JsValue) -> JsValue {
    use wasm_bindgen::JsCast as _;
    if e.is_instance_of::<JsRangeError>() {
        wasm_bindgen::throw_val(e);
    }
    e
}

/// An answer as a JS value, written as JSON text by serde_json and read by `JSON.parse`.
///
/// Answers cross one of two ways, chosen per function. This one, for most: their types then need
/// only serde_json's writer, which the library has anyway, where building JS objects directly
/// (serde-wasm-bindgen) costs code for every type. The schedule family ([`to_js_objects`]) keeps
/// direct objects: a village-year's explained schedule is 430 KB of JSON, and decoding and parsing
/// that text made `schedule` 1.4x slower (it costs 6 KB of the gzipped browser package).
fn to_js<T: Serialize>(answer: &T) -> JsValue {
    match serde_json::to_string(answer) {
        Ok(text) => json_parse(&text).unwrap_or_else(unless_out_of_stack),
        Err(e) => JsValue::from_str(&format!("cunwu: cannot serialize an answer: {e}")),
    }
}

/// An answer as a JS value built directly (serde-wasm-bindgen), for the schedule family (see
/// [`to_js`]).
fn to_js_objects<T: Serialize>(answer: &Answer<T>) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    answer
        .serialize(&serializer)
        .unwrap_or_else(|e| JsValue::from_str(&format!("cunwu: cannot serialize an answer: {e}")))
}

/// A JS value as a Rust value, through JSON text (`undefined` reads as `null`).
fn parse_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    if value.is_undefined() {
        return cunwu_core::json::read("null").map_err(|e| e.to_string());
    }
    let text = json_stringify(value)
        .map_err(unless_out_of_stack)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| "not representable as JSON (a function, a BigInt or a cycle)".to_string())?;
    cunwu_core::json::read(&text).map_err(|e| e.to_string())
}

fn invalid_request<T>(pointer: &str, message: String) -> Answer<T> {
    Answer::failure(Error::Input(InputError::InvalidRequest { pointer: pointer.into(), message }).diagnostics())
}

fn from_js<T: DeserializeOwned>(value: JsValue, pointer: &str) -> Result<T, JsValue> {
    parse_js(&value).map_err(|e| to_js(&invalid_request::<()>(pointer, e)))
}

/// Run `f` with the rule set `rules` asks for (the cached bundled rules when it is absent); its
/// answer crosses by `cross` ([`to_js`] or [`to_js_objects`]).
fn with_rules<T: Serialize>(
    rules: JsValue,
    cross: fn(&Answer<T>) -> JsValue,
    f: impl FnOnce(&RuleSet) -> Answer<T>,
) -> JsValue {
    if rules.is_undefined() || rules.is_null() {
        return match bundled() {
            Ok(set) => cross(&f(set)),
            Err(diags) => cross(&Answer::<T>::failure(diags.clone())),
        };
    }
    let input: RulesInput = match from_js(rules, "/rules") {
        Ok(i) => i,
        Err(answer) => return answer,
    };
    // Only other limits: the cached bundled rules with them, not a fresh parse.
    if input.files.is_empty() && input.bundled {
        return match bundled() {
            Ok(set) => cross(&f(&set.clone().with_limits(input.limits.unwrap_or_default()))),
            Err(diags) => cross(&Answer::<T>::failure(diags.clone())),
        };
    }
    match input.load() {
        Ok(set) => cross(&f(&set)),
        Err(e) => cross(&Answer::<T>::failure(e.diagnostics())),
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
    with_rules(rules, to_js, |set| api::resolve_catalogue(set, &request))
}

/// What changed in force between `request.from` and `request.to`, with the source of each change.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = diffCatalogue, unchecked_return_type = "Answer<CatalogueDiff>")]
pub fn diff_catalogue(
    #[wasm_bindgen(unchecked_param_type = "DiffRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::DiffRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::diff_catalogue(set, &request))
}

/// Rule files compiled to JSON (`rules.files` only; checked with the bundled rules unless
/// `rules.bundled` is false), for the browser package, which reads no TOML.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = compileRules, unchecked_return_type = "Answer<RulesInput>")]
pub fn compile_rules(#[wasm_bindgen(unchecked_param_type = "RulesInput")] rules: JsValue) -> JsValue {
    match from_js::<RulesInput>(rules, "/rules") {
        Ok(input) => to_js(&api::compile_rules(&input)),
        Err(answer) => answer,
    }
}

/// Lint rule files (with the bundled rules unless `rules.bundled` is false).
#[cfg(feature = "full")]
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

/// The last day of a period counted by the law, with its explanation.
#[wasm_bindgen(js_name = period, unchecked_return_type = "Answer<Deadline>")]
pub fn period(
    #[wasm_bindgen(unchecked_param_type = "PeriodRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::PeriodRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js_objects, |set| api::period(set, &request))
}

/// A unit's disclosure schedule for a year (and the next wake-up date when `today` is given).
#[wasm_bindgen(js_name = schedule, unchecked_return_type = "Answer<Schedule>")]
pub fn schedule(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ScheduleRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js_objects, |set| api::schedule(set, &request))
}

/// One unit's compliance assessment as of a date: its findings with their explanations, its
/// score and grade, and any problems with its records — for a page that shows a village its own
/// findings.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = unitCompliance, unchecked_return_type = "Answer<UnitAssessment>")]
pub fn unit_compliance(
    #[wasm_bindgen(unchecked_param_type = "UnitComplianceRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::UnitComplianceRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::unit_compliance(set, &request))
}

/// One item's review page (Node package): its legal force, each value with the layer that set
/// it, and the quoted text of every clause it rests on; `markdown` is the same page as text.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = explainItem, unchecked_return_type = "Answer<ItemExplanation>")]
pub fn explain_item(
    #[wasm_bindgen(unchecked_param_type = "ExplainRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: cunwu_core::explain::ExplainRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::explain_item(set, &request))
}

/// A compliance assessment of several units (a township's, say): ranked and rolled up.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = assessCompliance, unchecked_return_type = "Answer<ComplianceReport>")]
pub fn assess_compliance(
    #[wasm_bindgen(unchecked_param_type = "ComplianceRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ComplianceRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::compliance(set, &request))
}

/// The schedule as iCalendar text.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = scheduleIcs, unchecked_return_type = "Answer<string>")]
pub fn schedule_ics(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRequest")] request: JsValue,
    unit_name: String,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ScheduleRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| {
        let result =
            api::try_schedule(set, &request).map(|a| cunwu_core::render::schedule_ics(set, &a.schedule, &unit_name));
        Answer::from_result(result, Vec::new())
    })
}

/// The obligation an event creates for an event-driven item.
#[wasm_bindgen(js_name = eventObligation, unchecked_return_type = "Answer<Obligation>")]
pub fn event_obligation(
    #[wasm_bindgen(unchecked_param_type = "EventRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::EventRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js_objects, |set| api::event_obligation(set, &request))
}

/// The removal, filing and review deadlines that follow from posting an item on a day.
#[wasm_bindgen(js_name = afterPosting, unchecked_return_type = "Answer<Obligation>")]
pub fn after_posting(
    #[wasm_bindgen(unchecked_param_type = "PostingRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::PostingRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js_objects, |set| api::after_posting(set, &request))
}

/// The official classification of each day in a range.
#[wasm_bindgen(js_name = calendarDays, unchecked_return_type = "Answer<DayInfo[]>")]
pub fn calendar_days(
    #[wasm_bindgen(unchecked_param_type = "DaysRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::DaysRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js_objects, |set| api::calendar_days(set, &request))
}

/// Open a disclosure case; the answer carries its state and log (the first entry).
#[wasm_bindgen(js_name = caseOpen, unchecked_return_type = "Answer<CaseView>")]
pub fn case_open(
    #[wasm_bindgen(unchecked_param_type = "CaseOpenRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::CaseOpenRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::case_open(set, &request))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplyRequest {
    log: Vec<cunwu_core::log::Entry<cunwu_core::procedure::CaseEvent>>,
    date: String,
    actor: cunwu_core::log::Actor,
    event: cunwu_core::procedure::CaseEvent,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    expected_head: Option<String>,
    #[serde(default)]
    chain_key: Option<String>,
}

/// Verify and replay `request.log`, then check and append one event: with `expected_head`, refused
/// (`LOG_CONFLICT`) if the log moved on; with `idempotency_key`, a repeated delivery returns the
/// entry already made (`appended: false`). The view gives the new entry's exact `line` and `head`.
#[wasm_bindgen(js_name = caseApply, unchecked_return_type = "Answer<CaseView>")]
pub fn case_apply(
    #[wasm_bindgen(unchecked_param_type = "CaseApplyRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: ApplyRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    let event = api::CaseEventRequest {
        date: request.date,
        actor: request.actor,
        event: request.event,
        idempotency_key: request.idempotency_key,
        expected_head: request.expected_head,
        chain_key: request.chain_key,
    };
    with_rules(rules, to_js, |set| api::case_apply(set, request.log, &event))
}

/// Replay a JSON Lines log (verifying the hash chain) and, with `today`, derive the status.
#[wasm_bindgen(js_name = caseReplay, unchecked_return_type = "Answer<CaseView>")]
pub fn case_replay(
    jsonl: String,
    today: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    with_rules(rules, to_js, |set| api::case_replay(set, &jsonl, today.as_deref()))
}

/// Replay a stored case log with what the host stored beside it: `{ jsonl, today?, expected_head?,
/// chain_key?, estimate?, records? }`. A log that does not end at `expected_head` is refused
/// (`LOG_TRUNCATED`, `LOG_UNEXPECTED_ENTRIES`, `LOG_REWRITTEN`); entries recorded under other rules
/// that today's would refuse are warnings (`LOG_RULES_CHANGED`).
#[wasm_bindgen(js_name = caseReplayWith, unchecked_return_type = "Answer<CaseView>")]
pub fn case_replay_with(
    #[wasm_bindgen(unchecked_param_type = "ReplayRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ReplayRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::case_replay_request(set, &request))
}

/// What is due between two days and overdue on the last, over many units, cases and objections
/// (each a JSON Lines log): only the matching entries, sorted; what could not be looked at is a
/// problem. The city's nightly job, not a form's: in the Node package only.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = dueBetween, unchecked_return_type = "Answer<DueList>")]
pub fn due_between(
    #[wasm_bindgen(unchecked_param_type = "DueRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::DueRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::due_between(set, &request))
}

/// The log of a case view as JSON Lines, for storage.
#[wasm_bindgen(js_name = caseLogToJsonl, unchecked_return_type = "Answer<string>")]
pub fn case_log_to_jsonl(
    #[wasm_bindgen(unchecked_param_type = "Array<Record<string, unknown>>")] log: JsValue,
) -> JsValue {
    let log: Vec<cunwu_core::log::Entry<cunwu_core::procedure::CaseEvent>> = match from_js(log, "/log") {
        Ok(l) => l,
        Err(answer) => return answer,
    };
    to_js(&Answer::success(cunwu_core::log::to_jsonl(&log), Vec::new()))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementsRequest {
    unit_kind: cunwu_core::UnitKind,
    period: String,
    #[serde(default = "general")]
    pipeline: cunwu_core::procedure::Pipeline,
    #[serde(default)]
    district: Option<String>,
}

fn general() -> cunwu_core::procedure::Pipeline {
    cunwu_core::procedure::Pipeline::General
}

/// The items a disclosure plan for a period must include: each under each cadence it is due, with
/// its period label (`2026-03` for a monthly item in a Q1 plan), due day and legal basis.
#[wasm_bindgen(js_name = planRequirements, unchecked_return_type = "Answer<PlanRequirement[]>")]
pub fn plan_requirements(
    #[wasm_bindgen(
        unchecked_param_type = "{ unit_kind: string; period: string; pipeline?: string; district?: string }"
    )]
    request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: RequirementsRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| {
        let result = cunwu_core::procedure::parse_period(&request.period).map_err(cunwu_core::Error::from).and_then(
            |(_, until, _)| {
                let date = until.succ_opt().unwrap_or(until);
                cunwu_core::procedure::plan_requirements(
                    set,
                    request.unit_kind,
                    request.district.as_deref(),
                    &request.period,
                    request.pipeline,
                    date,
                )
            },
        );
        Answer::from_result(result, Vec::new())
    })
}

/// Make an objection: `{ date, actor, event: { type: "filed", ... } }`.
#[wasm_bindgen(js_name = objectionFile, unchecked_return_type = "Answer<ObjectionView>")]
pub fn objection_file(
    #[wasm_bindgen(unchecked_param_type = "ObjectionEventRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ObjectionEventRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::objection_file(set, &request))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectionApplyRequest {
    log: Vec<cunwu_core::log::Entry<cunwu_core::objection::ObjectionEvent>>,
    date: String,
    actor: cunwu_core::log::Actor,
    event: cunwu_core::objection::ObjectionEvent,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    expected_head: Option<String>,
    #[serde(default)]
    chain_key: Option<String>,
}

/// Verify and replay `request.log`, then check and append one objection event.
#[wasm_bindgen(js_name = objectionApply, unchecked_return_type = "Answer<ObjectionView>")]
pub fn objection_apply(
    #[wasm_bindgen(unchecked_param_type = "ObjectionApplyRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: ObjectionApplyRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    let event = api::ObjectionEventRequest {
        date: request.date,
        actor: request.actor,
        event: request.event,
        idempotency_key: request.idempotency_key,
        expected_head: request.expected_head,
        chain_key: request.chain_key,
    };
    with_rules(rules, to_js, |set| api::objection_apply(set, request.log, &event))
}

/// Replay an objection log; with `today` its status, with `isPublic` its public record.
#[wasm_bindgen(js_name = objectionReplay, unchecked_return_type = "Answer<ObjectionView>")]
pub fn objection_replay(
    jsonl: String,
    today: Option<String>,
    is_public: bool,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    with_rules(rules, to_js, |set| api::objection_replay(set, &jsonl, today.as_deref(), is_public))
}

/// Replay a stored objection log with what the host stored beside it: `{ jsonl, today?,
/// expected_head?, chain_key?, public?, records? }` (see `caseReplayWith`).
#[wasm_bindgen(js_name = objectionReplayWith, unchecked_return_type = "Answer<ObjectionView>")]
pub fn objection_replay_with(
    #[wasm_bindgen(unchecked_param_type = "ReplayRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let request: api::ReplayRequest = match from_js(request, "") {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    with_rules(rules, to_js, |set| api::objection_replay_request(set, &request))
}

/// An objection log as JSON Lines, for storage.
#[wasm_bindgen(js_name = objectionLogToJsonl, unchecked_return_type = "Answer<string>")]
pub fn objection_log_to_jsonl(
    #[wasm_bindgen(unchecked_param_type = "Array<Record<string, unknown>>")] log: JsValue,
) -> JsValue {
    let log: Vec<cunwu_core::log::Entry<cunwu_core::objection::ObjectionEvent>> = match from_js(log, "/log") {
        Ok(l) => l,
        Err(answer) => return answer,
    };
    to_js(&Answer::success(cunwu_core::log::to_jsonl(&log), Vec::new()))
}

/// Validate a submission (an object, or its JSON text) before it is sent: `{ ok, findings }`, every
/// problem at once with its JSON pointer. Amounts travel as strings (`"1234.50"`).
#[wasm_bindgen(js_name = validate, unchecked_return_type = "{ ok: boolean; findings: Diagnostic[] }")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | string")] submission: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RulesInput | undefined")] rules: JsValue,
) -> JsValue {
    let answer = |set: &RuleSet| match submission.as_string() {
        Some(text) => api::validate_text(set, &text),
        None => match json_stringify(&submission).map_err(unless_out_of_stack).ok().and_then(|t| t.as_string()) {
            Some(text) => api::validate_text(set, &text),
            None => api::validate_text(set, "<not representable as JSON>"),
        },
    };
    let result = if rules.is_undefined() || rules.is_null() {
        match bundled() {
            Ok(set) => answer(set),
            Err(d) => cunwu_core::validation::ValidationAnswer { ok: false, findings: d.clone() },
        }
    } else {
        let failed = |findings| cunwu_core::validation::ValidationAnswer { ok: false, findings };
        match parse_js::<RulesInput>(&rules) {
            Ok(input) => match input.load() {
                Ok(set) => answer(&set),
                Err(e) => failed(e.diagnostics()),
            },
            Err(e) => failed(invalid_request::<()>("/rules", e).errors),
        }
    };
    to_js(&result)
}

/// The JSON Schema (text) of submissions of a family, for form builders.
#[wasm_bindgen(js_name = submissionSchema)]
pub fn submission_schema(family: &str) -> Option<String> {
    cunwu_core::json::from_value::<cunwu_core::validation::Family>(serde_json::Value::String(family.into()))
        .ok()
        .map(|f| cunwu_core::rules::schema::submission_schema(f).to_owned())
}

/// Personal data in `text` (ID numbers, mobile numbers, bank cards) replaced by masked forms.
///
/// A text longer than the default `max_text_bytes` (64 MiB) is refused: the entry module checks
/// its length before it crosses (a `CunwuInputError`, `INPUT_TOO_LARGE` at `/text`); this check
/// repeats it inside.
#[wasm_bindgen(js_name = mask)]
pub fn mask(text: &str) -> Result<String, JsError> {
    cunwu_core::limits::Limits::default()
        .check_text(text, "/text")
        .map_err(|e| JsError::new(&e.diagnostics().first().map(|d| d.message_en.clone()).unwrap_or_default()))?;
    Ok(cunwu_core::privacy::mask(text))
}

/// The default bound on one text's bytes, for the entry module's check of plain-value arguments.
#[wasm_bindgen(js_name = __cunwu_max_text_bytes, skip_typescript)]
pub fn max_text_bytes() -> usize {
    cunwu_core::limits::Limits::default().max_text_bytes
}

/// The procedure as a Mermaid state diagram (`"general"` or `"party"`).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = procedureDiagram)]
pub fn procedure_diagram(pipeline: Option<String>) -> String {
    let p = match pipeline.as_deref() {
        Some("party") => cunwu_core::procedure::Pipeline::Party,
        _ => cunwu_core::procedure::Pipeline::General,
    };
    cunwu_core::procedure::mermaid(p)
}

/// The one table of Chinese names every surface shows (case stages and events, objection stages,
/// events, levels, outcomes and deadlines, roles, relations, kinds, cadences, channels…), as
/// `{table: {json_name: 中文}}`: a page shows a stage as `labels().case_stage[stage]`. In the
/// Node package only (a server sends the table to its pages with their data; it is not worth the
/// browser package's budget).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = labels, unchecked_return_type = "Record<string, Record<string, string>>")]
pub fn labels() -> JsValue {
    to_js(&cunwu_core::names::labels().tables)
}

/// Every error and warning code, with its area.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "Array<{ area: string; code: string }>")]
pub fn error_codes() -> JsValue {
    to_js(&api::error_codes())
}

/// The JSON Schema of rule files, for editors and form builders.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = ruleFileSchema)]
pub fn rule_file_schema() -> String {
    cunwu_core::rules::schema::RULE_FILE_SCHEMA.to_owned()
}
