//! Cases and objections through the binding-neutral API: open or file, apply one event to a stored
//! log, replay a stored log. Every request may carry what a host with a database needs: the head
//! it stored beside the log (`expected_head`), the delivery's id (`idempotency_key`) and the chain's
//! key (`chain_key`, hex); every view carries the log's `id` and `head`, and an apply says whether
//! it appended and gives the new entry's exact line.

use serde::{Deserialize, Serialize};

use super::{Answer, parse_date};
use crate::error::{Error, InputError};
use crate::log::{AppendOptions, ChainKey, Head, Journal, Machine, ReadOptions};
use crate::rules::RuleSet;

/// Open a disclosure case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOpenRequest {
    /// The date (ISO).
    pub date: String,
    /// Who opens it (the committee, or the party branch for party affairs).
    pub actor: crate::log::Actor,
    /// The unit.
    pub unit: crate::procedure::UnitRef,
    /// The period (`2026-Q1`, `2026-03`, `2026-H1`, `2026`).
    pub period: String,
    /// `general` or `party`.
    pub pipeline: crate::procedure::Pipeline,
    /// The delivery's id (a message id), recorded in the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// See [`AppendRequest::expected_head`]: the log must not exist yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_head: Option<String>,
    /// The chain's key as hex (at least 64 hex digits, 32 bytes): the log becomes an HMAC chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
}

/// One event to apply to a case's stored log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseEventRequest {
    /// The date of the event (ISO).
    pub date: String,
    /// Who acts.
    pub actor: crate::log::Actor,
    /// What happens.
    pub event: crate::procedure::CaseEvent,
    /// See [`AppendRequest::idempotency_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// See [`AppendRequest::expected_head`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_head: Option<String>,
    /// See [`AppendRequest::chain_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
}

/// What an append asks of the stored log (the fields every event request shares).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendRequest {
    /// The delivery's id (a message id): the same event delivered again under it returns the
    /// entry already made (`appended: false`); another event under it is
    /// `LOG_IDEMPOTENCY_CONFLICT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// The head the caller read (`"11:5f3a…"`): if the log moved on since, `LOG_CONFLICT` and
    /// nothing is appended. On opening or filing, the log must not exist yet (`0:` and the
    /// genesis hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_head: Option<String>,
    /// The chain's key as hex, for a keyed chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
}

/// Replay a stored log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    /// The log as JSON Lines.
    pub jsonl: String,
    /// Derive the status as of this day (ISO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    /// The head stored beside the log: a log that does not end there is refused
    /// (`LOG_TRUNCATED`, `LOG_UNEXPECTED_ENTRIES`, `LOG_REWRITTEN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_head: Option<String>,
    /// The chain's key as hex, for a keyed chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
    /// Past the published calendar, estimate deadlines (weekends only, marked `estimated`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// Objections only: the public record and nothing else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public: bool,
    /// Also give the compliance record rows the log gives (`records`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub records: bool,
}

/// A case: its id and head, its state, its log, and (when "today" was given) its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    /// The case's id: the hash of its first entry.
    pub id: String,
    /// The head to store beside the log (`entries:hash`).
    pub head: String,
    /// What the events say.
    pub state: crate::procedure::CaseState,
    /// The log.
    pub log: Vec<crate::log::Entry<crate::procedure::CaseEvent>>,
    /// Due, overdue and next actions as of "today".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::procedure::CaseStatus>,
    /// After an apply: whether the entry was appended now (false for a repeated delivery).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appended: Option<bool>,
    /// After an open or apply: the entry as its exact JSON line, for an append-only table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// When asked for: the compliance record rows the log gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<crate::compliance::Rows>,
}

/// The chain key given as hex: at least 32 bytes. Its text is never quoted in an error.
pub fn chain_key(hex: Option<&str>) -> Result<Option<ChainKey>, Error> {
    let Some(hex) = hex else { return Ok(None) };
    let hex = hex.trim();
    let bad = || {
        Error::Input(InputError::InvalidRequest {
            pointer: "/chain_key".into(),
            message: "the chain key must be hexadecimal digits, two per byte (the key itself is not shown)".into(),
        })
    };
    if hex.len() % 2 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)?;
    Ok(Some(ChainKey::new(bytes)?))
}

fn head(text: Option<&str>) -> Result<Option<Head>, Error> {
    Ok(text.map(str::parse::<Head>).transpose()?)
}

fn read_options(expected_head: Option<&str>, key: Option<&str>) -> Result<ReadOptions, Error> {
    Ok(ReadOptions { expected_head: head(expected_head)?, key: chain_key(key)? })
}

/// Opening or filing under compare-and-swap: the log must not exist yet.
fn check_new<E>(expected_head: Option<&str>) -> Result<(), Error> {
    if let Some(expected) = head(expected_head)? {
        let found = crate::log::head_of::<E>(&[]);
        if expected != found {
            return Err(Error::Log(crate::log::LogError::Conflict { expected, found }));
        }
    }
    Ok(())
}

/// Replay `log` (under the key), then append one event with the request's checks.
fn append<M: Machine>(
    rules: &RuleSet,
    log: Vec<crate::log::Entry<M::Event>>,
    date: &str,
    actor: &crate::log::Actor,
    event: &M::Event,
    req: &AppendRequest,
) -> Result<(Journal<M>, crate::log::Applied<M::Event>), Error> {
    let options = read_options(None, req.chain_key.as_deref())?;
    let mut journal = Journal::<M>::replay_with(rules, log, &options)?;
    let date = parse_date(date, "/date")?;
    let append = AppendOptions {
        expected_head: head(req.expected_head.as_deref())?,
        idempotency_key: req.idempotency_key.clone(),
    };
    let applied = journal.append(rules, date, actor.clone(), event.clone(), &append)?;
    Ok((journal, applied))
}

fn case_view(case: &crate::procedure::DisclosureCase, status: Option<crate::procedure::CaseStatus>) -> CaseView {
    CaseView {
        id: case.id().to_string(),
        head: case.head().to_string(),
        state: case.state().clone(),
        log: case.entries().to_vec(),
        status,
        appended: None,
        line: None,
        records: None,
    }
}

fn first_line<E: Serialize>(entries: &[crate::log::Entry<E>]) -> Option<String> {
    entries.first().and_then(|e| serde_json::to_string(e).ok())
}

/// Open a case (the first entry of its log).
pub fn try_case_open(rules: &RuleSet, req: &CaseOpenRequest) -> Result<CaseView, Error> {
    check_new::<crate::procedure::CaseEvent>(req.expected_head.as_deref())?;
    let date = parse_date(&req.date, "/date")?;
    let event = crate::procedure::CaseEvent::Opened {
        unit: req.unit.clone(),
        period: req.period.clone(),
        pipeline: req.pipeline,
    };
    let key = chain_key(req.chain_key.as_deref())?;
    let case = crate::procedure::DisclosureCase::begin_with(
        rules,
        date,
        req.actor.clone(),
        event,
        req.idempotency_key.clone(),
        key,
    )?;
    Ok(CaseView { line: first_line(case.entries()), ..case_view(&case, None) })
}

/// [`try_case_open`] as an answer.
pub fn case_open(rules: &RuleSet, req: &CaseOpenRequest) -> Answer<CaseView> {
    Answer::from_result(try_case_open(rules, req), Vec::new())
}

/// Verify and replay `log`, then apply one more event (with the request's compare-and-swap and
/// idempotency key); the view says whether it appended and gives the entry's line.
pub fn try_case_apply(
    rules: &RuleSet,
    log: Vec<crate::log::Entry<crate::procedure::CaseEvent>>,
    req: &CaseEventRequest,
) -> Result<CaseView, Error> {
    let append_req = AppendRequest {
        idempotency_key: req.idempotency_key.clone(),
        expected_head: req.expected_head.clone(),
        chain_key: req.chain_key.clone(),
    };
    let (case, applied) =
        append::<crate::procedure::Procedure>(rules, log, &req.date, &req.actor, &req.event, &append_req)?;
    Ok(CaseView { appended: Some(applied.appended), line: Some(applied.line), ..case_view(&case, None) })
}

/// [`try_case_apply`] as an answer.
pub fn case_apply(
    rules: &RuleSet,
    log: Vec<crate::log::Entry<crate::procedure::CaseEvent>>,
    req: &CaseEventRequest,
) -> Answer<CaseView> {
    Answer::from_result(try_case_apply(rules, log, req), Vec::new())
}

/// Replay a JSON Lines log and, with `today`, derive the case's status.
pub fn try_case_replay(rules: &RuleSet, jsonl: &str, today: Option<&str>) -> Result<CaseView, Error> {
    let req = ReplayRequest { jsonl: jsonl.to_string(), today: today.map(str::to_string), ..ReplayRequest::default() };
    try_case_replay_request(rules, &req).map(|(view, _)| view)
}

/// [`try_case_replay`] with the stored head, the chain's key and `estimate`; also the replay's
/// warnings (`LOG_RULES_CHANGED`).
pub fn try_case_replay_request(
    rules: &RuleSet,
    req: &ReplayRequest,
) -> Result<(CaseView, Vec<crate::Diagnostic>), Error> {
    let options = read_options(req.expected_head.as_deref(), req.chain_key.as_deref())?;
    let case = crate::procedure::DisclosureCase::from_jsonl_with(rules, &req.jsonl, &options)?;
    let status = match &req.today {
        Some(t) => {
            let options = crate::procedure::StatusOptions { estimate: req.estimate };
            Some(case.status_with(rules, parse_date(t, "/today")?, options)?)
        }
        None => None,
    };
    let records = req.records.then(|| case.record_rows(rules));
    Ok((CaseView { records, ..case_view(&case, status) }, case.warnings().to_vec()))
}

/// [`try_case_replay`] as an answer.
pub fn case_replay(rules: &RuleSet, jsonl: &str, today: Option<&str>) -> Answer<CaseView> {
    let req = ReplayRequest { jsonl: jsonl.to_string(), today: today.map(str::to_string), ..ReplayRequest::default() };
    case_replay_request(rules, &req)
}

/// [`try_case_replay_request`] as an answer, the replay's warnings among its warnings.
pub fn case_replay_request(rules: &RuleSet, req: &ReplayRequest) -> Answer<CaseView> {
    match try_case_replay_request(rules, req) {
        Ok((view, warnings)) => Answer::success(view, warnings),
        Err(e) => Answer::from_result(Err(e), Vec::new()),
    }
}

/// An objection: its id and head, its state, its log, and (when asked for) its status and public
/// record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionView {
    /// The objection's id: the hash of its first entry (absent in the public view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The head to store beside the log (absent in the public view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// What the events say (absent in the public view: it names the objector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<crate::objection::ObjectionState>,
    /// The log (absent in the public view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<Vec<crate::log::Entry<crate::objection::ObjectionEvent>>>,
    /// Deadlines and reprisals as of "today".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::objection::ObjectionStatus>,
    /// The record fit to post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_record: Option<crate::objection::PublicRecord>,
    /// After an apply: whether the entry was appended now (false for a repeated delivery).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appended: Option<bool>,
    /// After a filing or apply: the entry as its exact JSON line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// When asked for: the compliance record rows the log gives (absent in the public view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<crate::compliance::Rows>,
}

/// One objection event (the first must be `filed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionEventRequest {
    /// The date (ISO).
    pub date: String,
    /// Who acts.
    pub actor: crate::log::Actor,
    /// What happens.
    pub event: crate::objection::ObjectionEvent,
    /// See [`AppendRequest::idempotency_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// See [`AppendRequest::expected_head`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_head: Option<String>,
    /// See [`AppendRequest::chain_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
}

fn objection_view(o: &crate::objection::Objection) -> ObjectionView {
    ObjectionView {
        id: Some(o.state().id.clone()),
        head: Some(o.head().to_string()),
        state: Some(o.state().clone()),
        log: Some(o.entries().to_vec()),
        status: None,
        public_record: None,
        appended: None,
        line: None,
        records: None,
    }
}

/// Make an objection (its first entry).
pub fn try_objection_file(rules: &RuleSet, req: &ObjectionEventRequest) -> Result<ObjectionView, Error> {
    check_new::<crate::objection::ObjectionEvent>(req.expected_head.as_deref())?;
    let date = parse_date(&req.date, "/date")?;
    let key = chain_key(req.chain_key.as_deref())?;
    let o = crate::objection::Objection::begin_with(
        rules,
        date,
        req.actor.clone(),
        req.event.clone(),
        req.idempotency_key.clone(),
        key,
    )?;
    Ok(ObjectionView { line: first_line(o.entries()), ..objection_view(&o) })
}

/// [`try_objection_file`] as an answer.
pub fn objection_file(rules: &RuleSet, req: &ObjectionEventRequest) -> Answer<ObjectionView> {
    Answer::from_result(try_objection_file(rules, req), Vec::new())
}

/// Verify and replay `log`, then apply one more event (with the request's compare-and-swap and
/// idempotency key).
pub fn try_objection_apply(
    rules: &RuleSet,
    log: Vec<crate::log::Entry<crate::objection::ObjectionEvent>>,
    req: &ObjectionEventRequest,
) -> Result<ObjectionView, Error> {
    let append_req = AppendRequest {
        idempotency_key: req.idempotency_key.clone(),
        expected_head: req.expected_head.clone(),
        chain_key: req.chain_key.clone(),
    };
    let (o, applied) = append::<crate::objection::Ladder>(rules, log, &req.date, &req.actor, &req.event, &append_req)?;
    Ok(ObjectionView { appended: Some(applied.appended), line: Some(applied.line), ..objection_view(&o) })
}

/// [`try_objection_apply`] as an answer.
pub fn objection_apply(
    rules: &RuleSet,
    log: Vec<crate::log::Entry<crate::objection::ObjectionEvent>>,
    req: &ObjectionEventRequest,
) -> Answer<ObjectionView> {
    Answer::from_result(try_objection_apply(rules, log, req), Vec::new())
}

/// Replay a JSON Lines objection log; with `today`, its status; with `public`, its public record.
pub fn try_objection_replay(
    rules: &RuleSet,
    jsonl: &str,
    today: Option<&str>,
    public: bool,
) -> Result<ObjectionView, Error> {
    let req = ReplayRequest {
        jsonl: jsonl.to_string(),
        today: today.map(str::to_string),
        public,
        ..ReplayRequest::default()
    };
    try_objection_replay_request(rules, &req).map(|(view, _)| view)
}

/// [`try_objection_replay`] with the stored head and the chain's key; also the replay's warnings.
pub fn try_objection_replay_request(
    rules: &RuleSet,
    req: &ReplayRequest,
) -> Result<(ObjectionView, Vec<crate::Diagnostic>), Error> {
    let options = read_options(req.expected_head.as_deref(), req.chain_key.as_deref())?;
    let o = crate::objection::Objection::from_jsonl_with(rules, &req.jsonl, &options)?;
    let status = match &req.today {
        Some(t) => Some(o.status_with(
            rules,
            parse_date(t, "/today")?,
            crate::objection::ObjectionStatusOptions { estimate: req.estimate },
        )?),
        None => None,
    };
    // The public view carries the public record and nothing else: no id, state, log or status
    // (they name the objector and hold the unmasked texts).
    if req.public {
        let view = ObjectionView {
            id: None,
            head: None,
            state: None,
            log: None,
            status: None,
            public_record: Some(o.public_record()),
            appended: None,
            line: None,
            records: None,
        };
        return Ok((view, Vec::new()));
    }
    let records = req.records.then(|| o.record_rows());
    Ok((ObjectionView { status, records, ..objection_view(&o) }, o.warnings().to_vec()))
}

/// [`try_objection_replay`] as an answer.
///
/// In the public view an error's messages are masked too (a message may quote the log).
pub fn objection_replay(rules: &RuleSet, jsonl: &str, today: Option<&str>, public: bool) -> Answer<ObjectionView> {
    let req = ReplayRequest {
        jsonl: jsonl.to_string(),
        today: today.map(str::to_string),
        public,
        ..ReplayRequest::default()
    };
    objection_replay_request(rules, &req)
}

/// [`try_objection_replay_request`] as an answer, the replay's warnings among its warnings.
pub fn objection_replay_request(rules: &RuleSet, req: &ReplayRequest) -> Answer<ObjectionView> {
    let mut answer = match try_objection_replay_request(rules, req) {
        Ok((view, warnings)) => Answer::success(view, warnings),
        Err(e) => Answer::from_result(Err(e), Vec::new()),
    };
    if req.public {
        crate::privacy::mask_diagnostics(&mut answer.errors);
    }
    answer
}

/// What is due and overdue over many units and many open cases ([`crate::due::due_between`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueRequest {
    /// The window's first day (ISO).
    pub from: String,
    /// The window's last day (ISO), at most 3,660 days after `from`.
    pub until: String,
    /// The units.
    #[serde(default)]
    pub units: Vec<crate::procedure::UnitRef>,
    /// The open cases, each its log as JSON Lines. A log that cannot be read is a problem of the
    /// answer naming it (`/cases/<i>`), not a silence.
    #[serde(default)]
    pub cases: Vec<String>,
    /// The heads stored beside the cases' logs, in the same order (empty: read without heads).
    /// A log that does not end at its head is a problem (`LOG_TRUNCATED`, …), not an answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_heads: Vec<String>,
    /// The open objections, each its log as JSON Lines (`/objections/<i>` in a problem).
    #[serde(default)]
    pub objections: Vec<String>,
    /// The heads stored beside the objections' logs, in the same order (empty: without heads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objection_heads: Vec<String>,
    /// The chain's key as hex, when the logs are keyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_key: Option<String>,
    /// Past the published calendar, estimate (weekends only).
    #[serde(default)]
    pub estimate: bool,
}

/// The stored logs of a [`DueRequest`], each read under the key and against its head when heads
/// are given (as many as logs, or none); a log that cannot be read is a problem at
/// `/<name>/<i>`.
fn read_stored<J>(
    texts: &[String],
    heads: &[String],
    name: &str,
    key: &Option<crate::log::ChainKey>,
    problems: &mut Vec<crate::Diagnostic>,
    read: impl Fn(&str, &ReadOptions) -> Result<J, crate::log::LogError>,
) -> Result<Vec<J>, Error> {
    if !heads.is_empty() && heads.len() != texts.len() {
        let message = format!("{} heads for {} logs: give one head per log, or none", heads.len(), texts.len());
        return Err(Error::Input(InputError::InvalidRequest { pointer: format!("/{name}_heads"), message }));
    }
    let mut out = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let expected_head = match heads.get(i) {
            // A head that is not one is the caller's mistake: `LOG_BAD_HEAD`, for the whole call.
            Some(h) => head(Some(h))?,
            None => None,
        };
        let options = ReadOptions { expected_head, key: key.clone() };
        match read(text, &options) {
            Ok(j) => out.push(j),
            Err(e) => problems.extend(Error::Log(e).diagnostics().into_iter().take(1).map(|mut d| {
                d.location.pointer = Some(format!("/{name}/{i}{}", d.location.pointer.unwrap_or_default()));
                d
            })),
        }
    }
    Ok(out)
}

/// [`due_between`] as a `Result`.
pub fn try_due_between(rules: &RuleSet, req: &DueRequest) -> Result<crate::due::DueList, Error> {
    let from = parse_date(&req.from, "/from")?;
    let until = parse_date(&req.until, "/until")?;
    let key = chain_key(req.chain_key.as_deref())?;
    let mut problems = Vec::new();
    let cases = read_stored(&req.cases, &req.case_heads, "cases", &key, &mut problems, |text, options| {
        crate::procedure::DisclosureCase::from_jsonl_with(rules, text, options)
    })?;
    let objections =
        read_stored(&req.objections, &req.objection_heads, "objections", &key, &mut problems, |text, options| {
            crate::objection::Objection::from_jsonl_with(rules, text, options)
        })?;
    let refs: Vec<&crate::procedure::DisclosureCase> = cases.iter().collect();
    let objection_refs: Vec<&crate::objection::Objection> = objections.iter().collect();
    let options = crate::due::DueOptions { estimate: req.estimate };
    let input = crate::due::DueInput { units: &req.units, cases: &refs, objections: &objection_refs };
    let mut list = crate::due::due_between(rules, input, from, until, options)?;
    problems.append(&mut list.problems);
    list.problems = problems;
    Ok(list)
}

/// What is due between two days and overdue on the last, city-wide: units' schedules and open
/// cases' steps, only the matching entries, sorted.
///
/// ```
/// use cunwu_core::{RuleSet, api::{due_between, DueRequest}};
/// let rules = RuleSet::bundled().unwrap();
/// let req: DueRequest = serde_json::from_value(serde_json::json!({
///     "from": "2026-04-01", "until": "2026-04-30",
///     "units": [{"id": "v1", "kind": "village"}], "cases": ["not a log"]})).unwrap();
/// let answer = due_between(&rules, &req);
/// let list = answer.value.unwrap();
/// assert!(!list.entries.is_empty());
/// assert_eq!(list.problems[0].location.pointer.as_deref(), Some("/cases/0/0"));
/// ```
pub fn due_between(rules: &RuleSet, req: &DueRequest) -> Answer<crate::due::DueList> {
    Answer::from_result(try_due_between(rules, req), Vec::new())
}
