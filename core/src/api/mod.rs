//! The binding-neutral API: plain serializable requests and answers (the cedar `ffi` pattern).
//! Python and WASM only convert to and from these types; no domain logic lives in a binding.
//!
//! Every answer has the same shape: `{"ok": true, "value": …, "warnings": […]}` or
//! `{"ok": false, "errors": […], "warnings": […]}`, where errors and warnings are
//! [`Diagnostic`]s with stable codes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::ResolvedCatalogue;
use crate::diagnostic::{Diagnostic, Severity};
use crate::diff::CatalogueDiff;
use crate::error::{Error, InputError};
use crate::rules::{RuleSet, SourceFile};

mod journal;
pub use journal::*;

/// The tagged answer every API function returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer<T> {
    /// `true` when `value` is present and `errors` is empty.
    pub ok: bool,
    /// The result, when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
    /// Why it failed, when not `ok`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Diagnostic>,
    /// Things the caller should know either way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

impl<T> Answer<T> {
    /// A successful answer.
    pub fn success(value: T, warnings: Vec<Diagnostic>) -> Self {
        Answer { ok: true, value: Some(value), errors: Vec::new(), warnings }
    }

    /// A failed answer from diagnostics; warnings among them are kept apart.
    pub fn failure(diags: Vec<Diagnostic>) -> Self {
        let (errors, warnings) = diags.into_iter().partition(|d| d.severity == Severity::Error);
        Answer { ok: false, value: None, errors, warnings }
    }

    /// From a result.
    pub fn from_result(result: Result<T, Error>, warnings: Vec<Diagnostic>) -> Self {
        match result {
            Ok(v) => Answer::success(v, warnings),
            Err(e) => {
                let mut a = Answer::failure(e.diagnostics());
                a.warnings.extend(warnings);
                a
            }
        }
    }
}

/// A rule file given inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInput {
    /// Path shown in diagnostics.
    pub path: String,
    /// The text: TOML, or JSON for a compiled rule file.
    pub text: String,
}

/// Which rules to use: the bundled ones, extra files, or only the given files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesInput {
    /// Rule files to add (or, with `bundled = false`, to use alone).
    #[serde(default)]
    pub files: Vec<FileInput>,
    /// Whether the bundled rules are included; default true.
    #[serde(default = "yes")]
    pub bundled: bool,
    /// Limits on what one call accepts, when not the defaults ([`crate::limits`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<crate::limits::Limits>,
}

fn yes() -> bool {
    true
}

impl RulesInput {
    /// The bundled rules and nothing else.
    pub fn default_bundled() -> Self {
        RulesInput { files: Vec::new(), bundled: true, limits: None }
    }

    /// The files as loader input, bundled first when asked for.
    pub fn sources(&self) -> Vec<SourceFile> {
        let base = if self.bundled { crate::rules::bundled::sources() } else { Vec::new() };
        crate::rules::merge_sources(base, &self.given())
    }

    fn given(&self) -> Vec<SourceFile> {
        self.files.iter().map(|f| SourceFile::new(f.path.clone(), f.text.clone())).collect()
    }

    /// [`RulesInput::sources`], once each file given is within `limits.max_text_bytes`
    /// (`INPUT_TOO_LARGE` naming the file, checked before anything is parsed).
    pub fn checked_sources(&self) -> Result<Vec<SourceFile>, Vec<crate::Diagnostic>> {
        check_file_list(self.files.iter().map(|f| f.path.as_str()), "/files").map_err(|e| e.diagnostics())?;
        self.limits.unwrap_or_default().check_rule_files(&self.given())?;
        Ok(self.sources())
    }

    /// Load the rule set from [`RulesInput::checked_sources`].
    pub fn load(&self) -> Result<RuleSet, Error> {
        let set = RuleSet::load(&self.checked_sources().map_err(Error::Rules)?).map_err(Error::Rules)?;
        Ok(match self.limits {
            Some(limits) => set.with_limits(limits),
            None => set,
        })
    }
}

/// Parse an ISO date of a request field.
///
/// ```
/// assert!(cunwu_core::api::parse_date("2026-02-30", "/as_of").is_err());
/// assert_eq!(cunwu_core::api::parse_date("2026-01-15", "/as_of").unwrap().to_string(), "2026-01-15");
/// ```
pub fn parse_date(value: &str, pointer: &str) -> Result<NaiveDate, InputError> {
    crate::model::parse_iso_date(value.trim())
        .ok_or_else(|| InputError::InvalidDate { pointer: pointer.to_string(), value: value.to_string() })
}

/// Resolve the catalogue on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// ISO date.
    pub as_of: String,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
    /// The kind of unit: only what the texts governing it say applies (absent: every kind).
    #[serde(default)]
    pub unit_kind: Option<crate::model::UnitKind>,
}

/// The changes between two dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffRequest {
    /// The earlier ISO date.
    pub from: String,
    /// The later ISO date.
    pub to: String,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
}

/// What `lint` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LintReport {
    /// No errors (warnings allowed).
    pub clean: bool,
    /// Count of errors.
    pub error_count: usize,
    /// Count of warnings.
    pub warning_count: usize,
    /// Every diagnostic, by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lint rule files. The answer is `ok` whenever linting ran; `value.clean` says whether the rules
/// are free of errors.
///
/// ```
/// use cunwu_core::api::{lint, RulesInput};
/// let a = lint(&RulesInput::default_bundled());
/// assert!(a.ok && a.value.unwrap().clean);
/// ```
pub fn lint(rules: &RulesInput) -> Answer<LintReport> {
    let diagnostics = match rules.checked_sources() {
        Ok(sources) => RuleSet::lint(&sources),
        Err(too_large) => too_large,
    };
    let error_count = diagnostics.iter().filter(|d| d.is_error()).count();
    let warning_count = diagnostics.len() - error_count;
    Answer::success(LintReport { clean: error_count == 0, error_count, warning_count, diagnostics }, Vec::new())
}

/// The `files` of `rules` compiled to JSON rule files, for the browser package (which reads no
/// TOML): the same paths, and `bundled` as given. The rules are first loaded as a whole (bundled
/// ones included when asked for); on any error nothing is compiled and every diagnostic is
/// returned with its TOML line and column.
///
/// ```
/// use cunwu_core::api::{compile_rules, FileInput, RulesInput};
/// let text = "[[documents]]\nid = \"d\"\ntitle = \"t\"\nissuer = \"i\"\njurisdiction = \"district\"\n\
///             region = \"某区\"\nkind = \"catalogue\"\ngoverns = [\"village\"]\n";
/// let district = FileInput { path: "d.toml".into(), text: text.into() };
/// let a = compile_rules(&RulesInput { files: vec![district], bundled: true, limits: None });
/// let compiled = a.value.unwrap();
/// assert!(compiled.files[0].text.starts_with("{\"documents\""));
/// assert!(compiled.load().is_ok());
/// ```
#[cfg(feature = "toml")]
pub fn compile_rules(rules: &RulesInput) -> Answer<RulesInput> {
    let all = match rules.checked_sources() {
        Ok(all) => all,
        Err(too_large) => return Answer::failure(too_large),
    };
    match crate::rules::compile::compile(&all) {
        Ok(compiled) => {
            let files = compiled
                .into_iter()
                .filter(|f| rules.files.iter().any(|given| given.path == f.path))
                .map(|f| FileInput { path: f.path, text: f.text })
                .collect();
            Answer::success(RulesInput { files, bundled: rules.bundled, limits: rules.limits }, Vec::new())
        }
        Err(diags) => Answer::failure(diags),
    }
}

/// Resolve the effective catalogue.
///
/// ```
/// use cunwu_core::api::{resolve_catalogue, ResolveRequest};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let a = resolve_catalogue(&rules, &ResolveRequest { as_of: "2026-01-01".into(), district: None, unit_kind: None });
/// assert!(a.ok);
/// let bad = resolve_catalogue(&rules, &ResolveRequest { as_of: "2026-13-01".into(), district: None, unit_kind: None });
/// assert_eq!(bad.errors[0].code, "INPUT_INVALID_DATE");
/// ```
pub fn resolve_catalogue(rules: &RuleSet, req: &ResolveRequest) -> Answer<ResolvedCatalogue> {
    let result = parse_date(&req.as_of, "/as_of")
        .map_err(Error::from)
        .and_then(|d| rules.resolve_for(d, req.district.as_deref(), req.unit_kind).map_err(Error::from));
    match result {
        Ok(mut cat) => {
            cat.keep_applicable();
            let warnings = std::mem::take(&mut cat.warnings);
            Answer::success(cat, warnings)
        }
        Err(e) => Answer::from_result(Err(e), Vec::new()),
    }
}

/// One item's review page: force, values with their layers, quoted clauses
/// ([`crate::explain::explain_item`]).
pub fn explain_item(rules: &RuleSet, req: &crate::explain::ExplainRequest) -> Answer<crate::explain::ItemExplanation> {
    Answer::from_result(crate::explain::explain_item(rules, req), Vec::new())
}

/// The changelog between two dates.
pub fn diff_catalogue(rules: &RuleSet, req: &DiffRequest) -> Answer<CatalogueDiff> {
    let result = parse_date(&req.from, "/from")
        .and_then(|a| Ok((a, parse_date(&req.to, "/to")?)))
        .map_err(Error::from)
        .and_then(|(a, b)| rules.diff(a, b, req.district.as_deref()).map_err(Error::from));
    Answer::from_result(result, Vec::new())
}

/// The last day of a period ("within N after a trigger"), with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodRequest {
    /// The trigger date (ISO).
    pub start: String,
    /// `+5d`, `+1m` or `+10wd`.
    pub length: String,
    /// Move a last day on a rest day to the next working day. When absent, the rule in force
    /// decides (`rule`, or the civil law's general rule).
    #[serde(default)]
    pub extension: Option<bool>,
    /// The flag parameter whose value and basis govern the extension (`extension.filing`).
    #[serde(default)]
    pub rule: Option<String>,
    /// Estimate days beyond the holiday data (weekends only) instead of failing.
    #[serde(default)]
    pub estimate: bool,
}

/// Count a period by the law.
///
/// ```
/// use cunwu_core::api::{period, PeriodRequest};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let req = PeriodRequest { start: "2026-02-12".into(), length: "+5d".into(), extension: None, rule: None, estimate: false };
/// assert_eq!(period(&rules, &req).value.unwrap().date.to_string(), "2026-02-24");
/// ```
pub fn period(rules: &RuleSet, req: &PeriodRequest) -> Answer<crate::period::Deadline> {
    Answer::from_result(try_period(rules, req), Vec::new())
}

/// [`period`] as a `Result`, for bindings that raise errors.
pub fn try_period(rules: &RuleSet, req: &PeriodRequest) -> Result<crate::period::Deadline, Error> {
    let start = parse_date(&req.start, "/start")?;
    let length: crate::period::Length = req.length.parse()?;
    // Counting rules (the civil law's and the extension switches) are the same for every kind.
    let cat = rules.resolve_shared(start, None, None)?;
    // An unknown rule is an error, never the general extension silently used instead.
    if let Some(rule) = req.rule.as_deref() {
        let known: Vec<&str> = cat
            .parameters
            .iter()
            .filter(|p| p.id.starts_with("extension.") && matches!(p.value, crate::catalogue::ParamValue::Flag(_)))
            .map(|p| p.id.as_str())
            .collect();
        if !known.contains(&rule) {
            return Err(Error::Input(crate::error::InputError::InvalidRequest {
                pointer: "/rule".into(),
                message: format!(
                    "unknown rule `{rule}` on {start}; the rules with an extension flag are {}",
                    known.join(", ")
                ),
            }));
        }
    }
    let mut counting =
        crate::period::CountingRules::from_catalogue(&cat, req.rule.as_deref()).with_estimate(req.estimate);
    if let Some(on) = req.extension {
        counting = counting.with_extension(on);
    }
    let cal = rules.calendar()?;
    Ok(crate::period::period_end(cal, start, length, &counting)?)
}

/// A unit's schedule for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// `village`, `community` or `group`.
    pub unit_kind: crate::model::UnitKind,
    /// The year: obligations whose due day falls in it.
    pub year: i32,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
    /// "Today" (ISO), to get the next wake-up date; the core never reads the clock.
    #[serde(default)]
    pub today: Option<String>,
    /// Estimate days beyond the holiday data instead of leaving them undated.
    #[serde(default)]
    pub estimate: bool,
    /// Attach explanations (default true).
    #[serde(default = "yes")]
    pub explain: bool,
}

/// A schedule, and the next wake-up date when "today" was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleAnswer {
    /// The schedule.
    #[serde(flatten)]
    pub schedule: crate::schedule::Schedule,
    /// The next date after `today` on which an obligation changes status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_wake_up: Option<crate::schedule::WakeUp>,
}

/// Compute a unit's schedule.
///
/// ```
/// use cunwu_core::api::{schedule, ScheduleRequest};
/// use cunwu_core::UnitKind;
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let req = ScheduleRequest { unit_kind: UnitKind::Village, year: 2026, district: None, today: Some("2026-04-01".into()), estimate: false, explain: false };
/// let a = schedule(&rules, &req);
/// assert_eq!(a.value.unwrap().next_wake_up.unwrap().date.to_string(), "2026-04-02");
/// ```
pub fn schedule(rules: &RuleSet, req: &ScheduleRequest) -> Answer<ScheduleAnswer> {
    let result = try_schedule(rules, req);
    let warnings = result.as_ref().map(|a| a.schedule.warnings.clone()).unwrap_or_default();
    Answer::from_result(result, warnings)
}

/// [`schedule`] as a `Result`, for bindings that raise errors.
pub fn try_schedule(rules: &RuleSet, req: &ScheduleRequest) -> Result<ScheduleAnswer, Error> {
    let today = req.today.as_deref().map(|t| parse_date(t, "/today")).transpose()?;
    let options = crate::schedule::ScheduleOptions { explain: req.explain, estimate: req.estimate };
    let s =
        crate::schedule::Scheduler::new(rules).schedule(req.unit_kind, req.year, req.district.as_deref(), &options)?;
    let next_wake_up = today.and_then(|t| s.next_wake_up(t));
    Ok(ScheduleAnswer { schedule: (*s).clone(), next_wake_up })
}

/// The obligation an event creates for an event-driven item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// Item id.
    pub item: String,
    /// The kind of unit (default `village`): texts that do not govern it never reach it.
    #[serde(default = "village")]
    pub unit_kind: crate::model::UnitKind,
    /// The event date (ISO).
    pub event: String,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
    /// Estimate days beyond the holiday data.
    #[serde(default)]
    pub estimate: bool,
    /// Attach explanations (default true).
    #[serde(default = "yes")]
    pub explain: bool,
}

fn village() -> crate::model::UnitKind {
    crate::model::UnitKind::Village
}

/// Compute the obligation an event creates.
pub fn event_obligation(rules: &RuleSet, req: &EventRequest) -> Answer<crate::schedule::Obligation> {
    Answer::from_result(try_event_obligation(rules, req), Vec::new())
}

/// [`event_obligation`] as a `Result`, for bindings that raise errors.
pub fn try_event_obligation(rules: &RuleSet, req: &EventRequest) -> Result<crate::schedule::Obligation, Error> {
    let event = parse_date(&req.event, "/event")?;
    let options = crate::schedule::ScheduleOptions { explain: req.explain, estimate: req.estimate };
    crate::schedule::Scheduler::new(rules).event_obligation(
        req.unit_kind,
        &req.item,
        event,
        req.district.as_deref(),
        &options,
    )
}

/// The dates that follow from an actual posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostingRequest {
    /// Item id.
    pub item: String,
    /// The kind of unit (default `village`): texts that do not govern it never reach it.
    #[serde(default = "village")]
    pub unit_kind: crate::model::UnitKind,
    /// The day it was posted (ISO).
    pub posted: String,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
    /// Estimate days beyond the holiday data.
    #[serde(default)]
    pub estimate: bool,
}

/// The earliest removal, filing and review deadlines that follow from a posting.
pub fn after_posting(rules: &RuleSet, req: &PostingRequest) -> Answer<crate::schedule::Obligation> {
    Answer::from_result(try_after_posting(rules, req), Vec::new())
}

/// [`after_posting`] as a `Result`, for bindings that raise errors.
pub fn try_after_posting(rules: &RuleSet, req: &PostingRequest) -> Result<crate::schedule::Obligation, Error> {
    let posted = parse_date(&req.posted, "/posted")?;
    let options = crate::schedule::ScheduleOptions { explain: true, estimate: req.estimate };
    crate::schedule::Scheduler::new(rules).after_posting(
        req.unit_kind,
        &req.item,
        posted,
        req.district.as_deref(),
        &options,
    )
}

/// Classify the days from `from` to `until` by the official calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaysRequest {
    /// First day (ISO).
    pub from: String,
    /// Last day (ISO), at most 3660 days after `from`.
    pub until: String,
    /// Estimate days beyond the holiday data.
    #[serde(default)]
    pub estimate: bool,
}

/// The calendar's classification of each day in a range.
pub fn calendar_days(rules: &RuleSet, req: &DaysRequest) -> Answer<Vec<crate::calendar::DayInfo>> {
    Answer::from_result(try_calendar_days(rules, req), Vec::new())
}

/// [`calendar_days`] as a `Result`, for bindings that raise errors.
pub fn try_calendar_days(rules: &RuleSet, req: &DaysRequest) -> Result<Vec<crate::calendar::DayInfo>, Error> {
    let from = parse_date(&req.from, "/from")?;
    let until = parse_date(&req.until, "/until")?;
    let span = until.signed_duration_since(from).num_days();
    if !(0..=3660).contains(&span) {
        return Err(Error::Input(InputError::InvalidRequest {
            pointer: "/until".into(),
            message: "`until` must be on or after `from`, at most 3660 days later".into(),
        }));
    }
    Ok(rules.calendar()?.days(from, until, req.estimate)?)
}

/// Validate a submission given as JSON text: every check, every finding at once. Text that is not
/// JSON is one finding (`VALIDATION_TYPE`), not a failure.
pub fn validate_text(rules: &RuleSet, json: &str) -> crate::validation::ValidationAnswer {
    if let Err(e) = rules.limits().check_text(json, "") {
        return crate::validation::ValidationAnswer { ok: false, findings: e.diagnostics() };
    }
    match crate::json::parse_strict(json) {
        Ok(v) => crate::validation::validate(rules, &v),
        Err(e) => crate::validation::ValidationAnswer {
            ok: false,
            findings: vec![Diagnostic {
                code: "VALIDATION_TYPE".into(),
                severity: Severity::Error,
                message_zh: format!("不是有效的 JSON：{e}"),
                message_en: format!("not valid JSON: {e}"),
                hint_zh: None,
                hint_en: None,
                location: crate::diagnostic::Location {
                    line: u32::try_from(e.line()).ok(),
                    column: u32::try_from(e.column()).ok(),
                    ..crate::diagnostic::Location::at_pointer("")
                },
                related: Vec::new(),
            }],
        },
    }
}

/// Every error and warning code, with its area (`rules`, `catalogue`, `input`).
pub fn error_codes() -> Vec<ErrorCode> {
    crate::error::all_codes()
        .into_iter()
        .map(|(area, code)| ErrorCode { area: area.into(), code: code.into() })
        .collect()
}

/// One error code and its area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCode {
    /// `rules`, `catalogue` or `input`.
    pub area: String,
    /// The code.
    pub code: String,
}

/// Parse a JSON request, with a pointer-carrying error on failure.
///
/// The text is read strictly ([`crate::json::parse_strict`]: a key given twice is an error) into a
/// JSON value and the request is read from that value, the way the rules and record rows are
/// read: one deserializer path for every typed read, which keeps the browser package small. A
/// syntax error carries its line and column; a wrong field says which.
///
/// ```
/// use cunwu_core::api::{parse_request, ResolveRequest};
/// let request: ResolveRequest = parse_request(r#"{"as_of": "2026-03-01"}"#).unwrap();
/// assert_eq!(request.as_of, "2026-03-01");
/// let e = parse_request::<ResolveRequest>(r#"{"as_of": "2026-03-01", "as_of": "2026-04-01"}"#).unwrap_err();
/// assert_eq!(e.diagnostics()[0].code, "INPUT_INVALID_REQUEST");
/// assert!(e.to_string().contains("duplicate key `as_of`"));
/// let e = parse_request::<ResolveRequest>(r#"{"as_of": 20260301}"#).unwrap_err();
/// assert!(e.to_string().contains("invalid type: integer `20260301`, expected a string"));
/// ```
pub fn parse_request<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    crate::json::read(json)
        .map_err(|e| Error::Input(InputError::InvalidRequest { pointer: String::new(), message: e.to_string() }))
}

/// A city-wide compliance assessment: the registry and records as rows, as record files
/// (`units.csv`, `postings.jsonl`... given as text), or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceRequest {
    /// The year assessed.
    pub year: i32,
    /// The assessment date; default [`crate::compliance::default_as_of`].
    #[serde(default)]
    pub as_of: Option<String>,
    /// Rows in memory, in the shape of [`crate::compliance::Rows`]; read row by row, so a bad
    /// row is reported (`<postings>#/3`) and the rest is evaluated.
    #[serde(default)]
    pub rows: serde_json::Value,
    /// Record files as text (the registry may be here and the other records in `rows`, or the
    /// other way round).
    #[serde(default)]
    pub files: Vec<FileInput>,
}

/// The assessment date of a compliance request: `as_of` parsed, or by default the year's last
/// day (or the last day of the holiday data if earlier, [`crate::compliance::default_as_of`]).
///
/// ```
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// assert_eq!(cunwu_core::api::compliance_as_of(&rules, 2026, None).unwrap().to_string(), "2026-12-24");
/// assert!(cunwu_core::api::compliance_as_of(&rules, 2026, Some("2026-02-30")).is_err());
/// ```
pub fn compliance_as_of(rules: &RuleSet, year: i32, as_of: Option<&str>) -> Result<NaiveDate, Error> {
    match as_of {
        Some(d) => Ok(parse_date(d, "/as_of")?),
        None => Ok(crate::compliance::default_as_of(rules, year)),
    }
}

impl ComplianceRequest {
    /// The dataset: the files (registry first within them) or the rows.
    pub fn dataset(&self) -> Result<crate::compliance::Dataset, Error> {
        match (self.files.is_empty(), self.rows.is_null()) {
            (true, _) => Ok(crate::compliance::Dataset::from_json(&self.rows)),
            (false, true) => {
                let sources: Vec<SourceFile> =
                    self.files.iter().map(|f| SourceFile::new(f.path.clone(), f.text.clone())).collect();
                Ok(crate::compliance::Dataset::from_sources(&sources))
            }
            (false, false) => Err(Error::Input(InputError::InvalidRequest {
                pointer: "/rows".into(),
                message: "give the records either as `files` or as `rows`, not both".into(),
            })),
        }
    }
}

/// `INPUT_TOO_LARGE` at `pointer` when record rows given as JSON values are, written as compact
/// JSON (as `JSON.stringify` and the Python binding write them), longer together than
/// `max_text_bytes`: rows in memory are bounded like the record files they stand for.
fn check_rows<'a>(
    rules: &RuleSet,
    values: impl IntoIterator<Item = &'a serde_json::Value>,
    pointer: &str,
) -> Result<(), Error> {
    let limit = rules.limits().max_text_bytes;
    let mut size = 0usize;
    for value in values {
        if !value.is_null() {
            size = size.saturating_add(serde_json::to_string(value).map(|t| t.len()).unwrap_or(0));
        }
    }
    if size > limit {
        return Err(Error::Input(InputError::TooLarge { pointer: pointer.into(), what: "bytes", limit, actual: size }));
    }
    Ok(())
}

/// Files given as text, at most [`crate::fs::MAX_FOLDER_ENTRIES`] of them, each path at most
/// [`MAX_PATH_BYTES`]: `INPUT_TOO_LARGE` (a path is echoed in messages, and a file costs memory
/// however empty it is).
pub fn check_file_list<'a>(paths: impl ExactSizeIterator<Item = &'a str>, pointer: &str) -> Result<(), Error> {
    let count = paths.len();
    let most = crate::fs::MAX_FOLDER_ENTRIES;
    if count > most {
        return Err(Error::Input(InputError::TooLarge {
            pointer: pointer.into(),
            what: "files",
            limit: most,
            actual: count,
        }));
    }
    for (i, path) in paths.enumerate() {
        if path.len() > MAX_PATH_BYTES {
            let pointer = format!("{pointer}/{i}/path");
            let actual = path.len();
            return Err(Error::Input(InputError::TooLarge {
                pointer,
                what: "path bytes",
                limit: MAX_PATH_BYTES,
                actual,
            }));
        }
    }
    Ok(())
}

/// The longest path of a file given as text, in bytes (Linux's `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;

/// Assess a city: evaluate, score, rank and roll up.
///
/// ```
/// use cunwu_core::api::{compliance, ComplianceRequest};
/// use cunwu_core::compliance::{Rows, UnitRow};
/// use cunwu_core::{RuleSet, UnitKind};
/// let rules = RuleSet::bundled().unwrap();
/// let rows = Rows { units: vec![UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
///                                         township: "石桥镇".into(), district: "南岸区".into(), areas: None }], ..Rows::default() };
/// let rows = serde_json::to_value(rows).unwrap();
/// let answer = compliance(&rules, &ComplianceRequest { year: 2026, as_of: Some("2026-03-31".into()), rows, files: vec![] });
/// assert!(answer.ok);
/// assert_eq!(answer.value.unwrap().city.units, 1);
/// ```
pub fn compliance(rules: &RuleSet, req: &ComplianceRequest) -> Answer<crate::compliance::ComplianceReport> {
    Answer::from_result(try_compliance(rules, req), Vec::new())
}

/// [`compliance`] as a `Result`.
pub fn try_compliance(rules: &RuleSet, req: &ComplianceRequest) -> Result<crate::compliance::ComplianceReport, Error> {
    let as_of = compliance_as_of(rules, req.year, req.as_of.as_deref())?;
    check_rows(rules, [&req.rows], "/rows")?;
    check_file_list(req.files.iter().map(|f| f.path.as_str()), "/files")?;
    for (i, file) in req.files.iter().enumerate() {
        rules.limits().check_text(&file.text, &format!("/files/{i}/text"))?;
        rules.limits().check_lines(&file.text, &format!("/files/{i}/text"))?;
    }
    crate::compliance::assess(rules, &req.dataset()?, req.year, as_of)
}

/// One unit's evaluation, for a page that shows a village its own findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitComplianceRequest {
    /// The year assessed.
    pub year: i32,
    /// The assessment date; default [`crate::compliance::default_as_of`].
    #[serde(default)]
    pub as_of: Option<String>,
    /// The unit.
    pub unit: crate::compliance::UnitRow,
    /// Its records, in the shape of [`crate::compliance::Rows`] (`units`, if given, is
    /// ignored; rows of other units are reported), read row by row.
    #[serde(default)]
    pub records: serde_json::Value,
}

/// Evaluate and score one unit. Problems with its records are in the value's `problems`.
///
/// ```
/// use cunwu_core::api::{unit_compliance, UnitComplianceRequest};
/// use cunwu_core::compliance::UnitRow;
/// use cunwu_core::{RuleSet, UnitKind};
/// let rules = RuleSet::bundled().unwrap();
/// let unit = UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
///                      township: "石桥镇".into(), district: "南岸区".into(), areas: None };
/// let answer = unit_compliance(&rules, &UnitComplianceRequest { year: 2026, as_of: Some("2026-01-31".into()), unit, records: serde_json::Value::Null });
/// assert_eq!(answer.value.unwrap().findings[0].kind, cunwu_core::compliance::FindingKind::Missing);
/// ```
pub fn unit_compliance(rules: &RuleSet, req: &UnitComplianceRequest) -> Answer<crate::compliance::UnitAssessment> {
    Answer::from_result(try_unit_compliance(rules, req), Vec::new())
}

/// [`unit_compliance`] as a `Result`.
pub fn try_unit_compliance(
    rules: &RuleSet,
    req: &UnitComplianceRequest,
) -> Result<crate::compliance::UnitAssessment, Error> {
    let as_of = compliance_as_of(rules, req.year, req.as_of.as_deref())?;
    // The unit row and its records, as compact JSON, are bounded like rows given to `assess`.
    let unit_row = serde_json::to_value(&req.unit).unwrap_or_default();
    check_rows(rules, [&unit_row, &req.records], "/records")?;
    let mut records = match &req.records {
        serde_json::Value::Null => serde_json::Map::new(),
        serde_json::Value::Object(o) => o.clone(),
        _ => {
            return Err(Error::Input(InputError::InvalidRequest {
                pointer: "/records".into(),
                message: "records must be an object: {\"postings\": [...], ...}".into(),
            }));
        }
    };
    let unit = serde_json::to_value(&req.unit)
        .map_err(|e| Error::Input(InputError::InvalidRequest { pointer: "/unit".into(), message: e.to_string() }))?;
    records.insert("units".into(), serde_json::Value::Array(vec![unit]));
    let data = crate::compliance::Dataset::from_json(&serde_json::Value::Object(records));
    let mut eval = crate::compliance::Evaluator::new(rules, req.year, as_of);
    let mut unit = eval.evaluate_unit(&data, 0)?;
    let mut problems = data.problems;
    problems.append(&mut unit.problems);
    if let Some(undated) = eval.undated().filter(|_| unit.undetermined > 0) {
        problems.push(crate::compliance::report::undated_problem(u64::from(unit.undetermined), undated));
    }
    unit.problems = problems;
    Ok(unit)
}
