//! `DisclosureCase` and `Objection`: both wrap a [`Journal`] over the same rules, so their log
//! plumbing — the stored head, the chain key, compare-and-swap and idempotent appends — is written
//! once here and the classes only name their machine. No domain logic lives here.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use cunwu_core::log::{AppendOptions, ChainKey, Head, Journal, Machine, ReadOptions};
use cunwu_core::{Error, InputError, RuleSet};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use super::{
    Catalogue, DiagnosticInfo, diagnostics, extract_date, from_py, guard, json_to_py, result_value, to_py_err,
};

/// The chain key: `bytes` of at least 32 (kept by the host outside the log's table). Anything
/// else is `cunwu.InputError`; the key is never quoted.
pub(super) fn chain_key(py: Python<'_>, key: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ChainKey>> {
    let Some(key) = key.filter(|k| !k.is_none()) else { return Ok(None) };
    let Ok(bytes) = key.cast::<PyBytes>() else {
        let message = format!("the chain key must be bytes (at least 32), not {}", key.get_type().name()?);
        return Err(to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: "/chain_key".into(), message })));
    };
    ChainKey::new(bytes.as_bytes().to_vec()).map(Some).map_err(|e| to_py_err(py, e.into()))
}

/// A stored head (`"11:5f3a…"`), as `str`.
fn head(py: Python<'_>, head: Option<&str>) -> PyResult<Option<Head>> {
    head.map(|h| h.parse::<Head>().map_err(|e| to_py_err(py, e.into()))).transpose()
}

fn read_options(py: Python<'_>, expected_head: Option<&str>, key: Option<&Bound<'_, PyAny>>) -> PyResult<ReadOptions> {
    Ok(ReadOptions { expected_head: head(py, expected_head)?, key: chain_key(py, key)? })
}

/// Opening or filing under compare-and-swap: the log must not exist yet.
fn check_new<M: Machine>(py: Python<'_>, expected_head: Option<&str>) -> PyResult<()> {
    if let Some(expected) = head(py, expected_head)? {
        let found = cunwu_core::log::head_of::<M::Event>(&[]);
        if expected != found {
            return Err(to_py_err(py, cunwu_core::log::LogError::Conflict { expected, found }.into()));
        }
    }
    Ok(())
}

/// How a journal is begun: the delivery's id, the head the caller expects (none yet), the key.
struct Opening<'a, 'py> {
    idempotency_key: Option<String>,
    expected_head: Option<&'a str>,
    key: Option<&'a Bound<'py, PyAny>>,
}

/// Begin a journal with its first event, as `open` and `file` do.
fn begin<M: Machine>(
    py: Python<'_>,
    rules: &RuleSet,
    date: NaiveDate,
    actor: cunwu_core::log::Actor,
    event: M::Event,
    opening: Opening<'_, '_>,
) -> PyResult<Journal<M>> {
    check_new::<M>(py, opening.expected_head)?;
    let key = chain_key(py, opening.key)?;
    let idempotency_key = opening.idempotency_key;
    guard(py, || Journal::<M>::begin_with(rules, date, actor, event, idempotency_key, key))?
        .map_err(|e| to_py_err(py, e))
}

/// `append(date, actor, event, expected_head=, idempotency_key=)`: check and append one event.
/// The arguments are converted first (their `__str__` may run Python code, even code that uses
/// this object); the journal is locked only for the check and the append.
fn append<'py, M: Machine>(
    py: Python<'py>,
    rules: &RuleSet,
    journal: &Mutex<Journal<M>>,
    (date, actor, event): (&Bound<'py, PyAny>, &Bound<'py, PyAny>, &Bound<'py, PyAny>),
    expected_head: Option<&str>,
    idempotency_key: Option<String>,
) -> PyResult<cunwu_core::log::Applied<M::Event>> {
    let date = extract_date(py, date, "/date")?;
    let actor = from_py(py, actor, "/actor")?;
    let event = from_py(py, event, "/event")?;
    let options = AppendOptions { expected_head: head(py, expected_head)?, idempotency_key };
    let mut journal = lock(py, journal)?;
    guard(py, || journal.append(rules, date, actor, event, &options))?.map_err(|e| to_py_err(py, e))
}

/// What `append` did, as a dict: `{"entry", "appended", "line", "head"}`.
fn applied_dict<'py, E: serde::Serialize>(
    py: Python<'py>,
    applied: &cunwu_core::log::Applied<E>,
) -> PyResult<Bound<'py, PyAny>> {
    let dict = pyo3::types::PyDict::new(py);
    dict.set_item("entry", json_to_py(py, &applied.entry)?)?;
    dict.set_item("appended", applied.appended)?;
    dict.set_item("line", &applied.line)?;
    dict.set_item("head", applied.head.to_string())?;
    Ok(dict.into_any())
}

/// Whether two journals hold the same log. One lock at a time: two threads comparing `a == b` and
/// `b == a` never wait on each other, and `a == a` takes one lock.
fn eq<M: Machine>(py: Python<'_>, a: &Mutex<Journal<M>>, b: &Mutex<Journal<M>>) -> PyResult<bool> {
    if std::ptr::eq(a, b) {
        return Ok(true);
    }
    let mine = lock(py, a)?.entries().to_vec();
    Ok(*lock(py, b)?.entries() == *mine)
}

/// The journal behind `m`, for one call. Calls from several threads are serialised: a thread
/// waiting for the lock releases the GIL so the holder can finish, and no Python code runs while
/// it is held (arguments are converted before). A journal left by a panic is refused
/// (`cunwu.InternalError`), not used half-changed.
pub(super) fn lock<'a, T>(py: Python<'_>, m: &'a Mutex<T>) -> PyResult<std::sync::MutexGuard<'a, T>> {
    loop {
        match m.try_lock() {
            Ok(g) => return Ok(g),
            Err(std::sync::TryLockError::WouldBlock) => py.detach(std::thread::yield_now),
            Err(std::sync::TryLockError::Poisoned(_)) => {
                return Err(super::internal(
                    py,
                    Box::new("this object was left unusable by an earlier internal error; rebuild it from its log"),
                ));
            }
        }
    }
}

/// Rebuild from JSON Lines; the chain and every event are verified, against the stored head and
/// under the key when given.
fn from_jsonl<M: Machine>(
    py: Python<'_>,
    rules: &RuleSet,
    text: &str,
    expected_head: Option<&str>,
    key: Option<&Bound<'_, PyAny>>,
) -> PyResult<Journal<M>> {
    let options = read_options(py, expected_head, key)?;
    guard(py, || Journal::<M>::from_jsonl_with(rules, text, &options))?.map_err(|e| to_py_err(py, e.into()))
}

/// Rebuild from a dict with a `"log"`, as `to_dict()` gives it.
fn from_dict<M: Machine>(
    py: Python<'_>,
    rules: &RuleSet,
    data: &Bound<'_, PyAny>,
    expected_head: Option<&str>,
    key: Option<&Bound<'_, PyAny>>,
) -> PyResult<Journal<M>> {
    let log = data.get_item("log").map_err(|_| {
        let message = "expected a dict with a \"log\" list, as to_dict() gives it".to_owned();
        to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: "/log".into(), message }))
    })?;
    // Counted before anything is converted: a list of millions is refused at once.
    let limit = rules.limits().max_log_entries;
    // The list's own size, not its `__len__` (a subclass may say anything).
    let size = match (log.cast::<pyo3::types::PyList>(), log.cast::<pyo3::types::PyTuple>()) {
        (Ok(list), _) => Ok(list.len()),
        (_, Ok(tuple)) => Ok(tuple.len()),
        _ => log.len(),
    };
    if let Ok(actual) = size {
        if actual > limit {
            let error = cunwu_core::log::LogError::TooLarge { what: "entries", limit, actual };
            return Err(to_py_err(py, error.into()));
        }
    }
    let options = read_options(py, expected_head, key)?;
    let log = from_py(py, &log, "/log")?;
    guard(py, || Journal::<M>::replay_with(rules, log, &options))?.map_err(|e| to_py_err(py, e.into()))
}

/// `{"state": …, "log": […]}`.
fn to_dict<'py, M: Machine>(py: Python<'py>, journal: &Journal<M>) -> PyResult<Bound<'py, PyAny>>
where
    M::State: serde::Serialize,
{
    json_to_py(py, &serde_json::json!({ "state": journal.state(), "log": journal.entries() }))
}

/// `__reduce__`: the class's `from_jsonl` with the rules and the log, so unpickling verifies the
/// chain again. A keyed journal is not pickled: its key is written nowhere, a pickle included.
fn reduce<'py, M: Machine>(
    py: Python<'py>,
    class: &str,
    rules: &Arc<RuleSet>,
    journal: &Journal<M>,
) -> PyResult<(Bound<'py, PyAny>, (Catalogue, String))> {
    if journal.is_keyed() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a keyed {class} is not pickled (its chain key is written nowhere, a pickle included): \
             send to_jsonl() and its head, and read them with {class}.from_jsonl(..., expected_head=, chain_key=)"
        )));
    }
    let rebuild = py.import("cunwu._cunwu")?.getattr(class)?.getattr("from_jsonl")?;
    Ok((rebuild, (Catalogue { rules: Arc::clone(rules) }, journal.to_jsonl())))
}

/// A disclosure case (村(居)务公开案件): the five-step procedure (or the party pipeline) over a
/// hash-chained event log. Every event is checked by the procedure's guards before it is appended;
/// a rejected event raises `cunwu.ProcedureError` and changes nothing.
///
/// A host with a database stores the log's entries and, beside them in the same transaction, its
/// `head`; it reads the log back with `from_jsonl(..., expected_head=head)` (a truncated log is
/// refused), appends with `append(..., expected_head=head, idempotency_key=message_id)` (a writer
/// that lost the race is refused, a repeated delivery returns the entry already made), and may
/// key the chain with a secret it holds outside the table (`chain_key=`). See docs/host.md.
///
/// >>> import cunwu
/// >>> rules = cunwu.Catalogue.bundled()
/// >>> case = cunwu.DisclosureCase.open(rules, "2026-04-01", {"id": "cw", "role": "committee"},
/// ...     {"id": "v1", "kind": "village"}, "2026-Q1")
/// >>> case.state["stage"], case.head.startswith("1:")
/// ('opened', True)
#[pyclass(frozen, module = "cunwu")]
pub(super) struct DisclosureCase {
    rules: Arc<RuleSet>,
    /// Behind a lock: one object may be used from several threads (calls are serialised).
    case: Mutex<cunwu_core::procedure::DisclosureCase>,
}

#[pymethods]
impl DisclosureCase {
    /// Open a case for `unit` (`{"id", "kind", "district"?, "name"?}`) and `period` (`"2026-Q1"`),
    /// by `actor` (`{"id", "role"}`) on `date`; with `chain_key` (bytes, at least 32) a keyed chain.
    #[staticmethod]
    #[pyo3(signature = (catalogue, date, actor, unit, period, pipeline = "general", *, idempotency_key = None, expected_head = None, chain_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn open(
        py: Python<'_>,
        catalogue: &Catalogue,
        date: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
        unit: &Bound<'_, PyAny>,
        period: &str,
        pipeline: &str,
        idempotency_key: Option<String>,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let date = extract_date(py, date, "/date")?;
        let actor: cunwu_core::log::Actor = from_py(py, actor, "/actor")?;
        let unit: cunwu_core::procedure::UnitRef = from_py(py, unit, "/unit")?;
        let pipeline: cunwu_core::procedure::Pipeline =
            from_py(py, &PyString::new(py, pipeline).into_any(), "/pipeline")?;
        let event = cunwu_core::procedure::CaseEvent::Opened { unit, period: period.to_string(), pipeline };
        let rules = Arc::clone(&catalogue.rules);
        let case = begin(py, &rules, date, actor, event, Opening { idempotency_key, expected_head, key: chain_key })?;
        Ok(DisclosureCase { rules, case: Mutex::new(case) })
    }

    /// Check `event` (a dict with `"type"`) by `actor` on `date` and append it; returns the log
    /// entry (the one already made, for a repeated `idempotency_key`).
    #[pyo3(signature = (date, actor, event, *, expected_head = None, idempotency_key = None))]
    fn apply<'py>(
        &self,
        py: Python<'py>,
        date: &Bound<'py, PyAny>,
        actor: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        expected_head: Option<&str>,
        idempotency_key: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let applied = append(py, &self.rules, &self.case, (date, actor, event), expected_head, idempotency_key)?;
        json_to_py(py, &applied.entry)
    }

    /// [`apply`] for an append-only table: `{"entry", "appended", "line", "head"}` — whether it
    /// was appended now (False for a repeated delivery), the entry's exact JSON line to insert,
    /// and the head to store with it. With `expected_head`, `cunwu.LogError` (`LOG_CONFLICT`) if
    /// the log moved on.
    #[pyo3(signature = (date, actor, event, *, expected_head = None, idempotency_key = None))]
    fn append<'py>(
        &self,
        py: Python<'py>,
        date: &Bound<'py, PyAny>,
        actor: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        expected_head: Option<&str>,
        idempotency_key: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let applied = append(py, &self.rules, &self.case, (date, actor, event), expected_head, idempotency_key)?;
        applied_dict(py, &applied)
    }

    /// Rebuild a case from its JSON Lines log: the hash chain must be unbroken and every event
    /// valid, else `cunwu.LogError` naming the entry; with `expected_head` (the head stored
    /// beside it) a shorter, longer or rewritten log is refused; with `chain_key` the chain must
    /// be keyed with it.
    #[staticmethod]
    #[pyo3(signature = (catalogue, text, *, expected_head = None, chain_key = None))]
    fn from_jsonl(
        py: Python<'_>,
        catalogue: &Catalogue,
        text: &str,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let case = from_jsonl(py, &catalogue.rules, text, expected_head, chain_key)?;
        Ok(DisclosureCase { rules: Arc::clone(&catalogue.rules), case: Mutex::new(case) })
    }

    /// The log as JSON Lines.
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.case)?.to_jsonl())
    }

    /// The head to store beside the log: `"entries:hash"`.
    #[getter]
    fn head(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.case)?.head().to_string())
    }

    /// The case's id: the hash of its first entry.
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.case)?.id().to_string())
    }

    /// The unit, as a dict.
    #[getter]
    fn unit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &lock(py, &self.case)?.state().unit)
    }

    /// The period label (`"2026-Q1"`).
    #[getter]
    fn period(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.case)?.state().period.clone())
    }

    /// Whether the chain is keyed.
    #[getter]
    fn keyed(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(lock(py, &self.case)?.is_keyed())
    }

    /// What the replay noted: entries accepted under the rules they record that today's rules
    /// would refuse (`LOG_RULES_CHANGED`).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
        let warnings = lock(py, &self.case)?.warnings().to_vec();
        diagnostics(py, warnings)
    }

    /// What the events say, as a dict.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, lock(py, &self.case)?.state())
    }

    /// The log entries, as dicts.
    #[getter]
    fn log<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &lock(py, &self.case)?.entries())
    }

    /// Due, overdue and next actions as of `today` (derived, never stored); with `estimate`,
    /// deadlines past the published calendar are estimated (weekends only, marked `estimated`).
    #[pyo3(signature = (today, *, estimate = false))]
    fn status<'py>(&self, py: Python<'py>, today: &Bound<'py, PyAny>, estimate: bool) -> PyResult<Bound<'py, PyAny>> {
        let today = extract_date(py, today, "/today")?;
        let case = lock(py, &self.case)?;
        let options = cunwu_core::procedure::StatusOptions { estimate };
        result_value(py, guard(py, || case.status_with(&self.rules, today, options))?)
    }

    /// What may happen next, by whom and by when, as of `today`.
    #[pyo3(signature = (today, *, estimate = false))]
    fn next_actions<'py>(
        &self,
        py: Python<'py>,
        today: &Bound<'py, PyAny>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let today = extract_date(py, today, "/today")?;
        let case = lock(py, &self.case)?;
        let options = cunwu_core::procedure::StatusOptions { estimate };
        result_value(py, guard(py, || case.status_with(&self.rules, today, options).map(|s| s.next_actions))?)
    }

    /// The next date after `today` on which anything about the case changes (a deadline passing,
    /// turning very overdue, a notice allowed down), or None.
    #[pyo3(signature = (today, *, estimate = false))]
    fn next_wake_up(&self, py: Python<'_>, today: &Bound<'_, PyAny>, estimate: bool) -> PyResult<Option<NaiveDate>> {
        let today = extract_date(py, today, "/today")?;
        let case = lock(py, &self.case)?;
        let options = cunwu_core::procedure::StatusOptions { estimate };
        guard(py, || case.status_with(&self.rules, today, options).map(|s| s.next_wake_up))?
            .map_err(|e| to_py_err(py, e))
    }

    /// The compliance record rows the case gives (postings, filings, reviews, re-publications),
    /// exactly as `Catalogue.assess` takes them.
    fn record_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let case = lock(py, &self.case)?;
        json_to_py(py, &guard(py, || case.record_rows(&self.rules))?)
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(lock(py, &self.case)?.entries().len())
    }

    /// `{"state": …, "log": […]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*lock(py, &self.case)?)
    }

    /// Rebuild from a dict with a `"log"` (as `to_dict()` gives it); the log is verified, against
    /// `expected_head` and under `chain_key` when given.
    #[staticmethod]
    #[pyo3(signature = (catalogue, data, *, expected_head = None, chain_key = None))]
    fn from_dict(
        py: Python<'_>,
        catalogue: &Catalogue,
        data: &Bound<'_, PyAny>,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let case = from_dict(py, &catalogue.rules, data, expected_head, chain_key)?;
        Ok(DisclosureCase { rules: Arc::clone(&catalogue.rules), case: Mutex::new(case) })
    }

    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<DisclosureCase>() else { return Ok(false) };
        eq(slf.py(), &slf.get().case, &other.get().case)
    }

    /// Pickling carries the rules and the log; unpickling verifies the chain again. A keyed case
    /// is not pickled (TypeError): its key goes nowhere.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (Catalogue, String))> {
        reduce(py, "DisclosureCase", &self.rules, &*lock(py, &self.case)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let case = lock(py, &self.case)?;
        let st = case.state();
        Ok(format!(
            "<DisclosureCase {} {} stage={:?} entries={}>",
            st.unit.id,
            st.period,
            st.stage,
            case.entries().len()
        ))
    }
}

impl DisclosureCase {
    /// The case, for one call that reads many (`Catalogue.due_between`).
    pub(super) fn with_case<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&cunwu_core::procedure::DisclosureCase) -> T,
    ) -> PyResult<T> {
        Ok(f(&*lock(py, &self.case)?))
    }
}

impl Objection {
    /// The objection, for one call that reads many (`Catalogue.due_between`).
    pub(super) fn with_objection<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&cunwu_core::objection::Objection) -> T,
    ) -> PyResult<T> {
        Ok(f(&*lock(py, &self.objection)?))
    }
}

/// An objection (异议) and its escalation up the ladder 村(居)民小组 → 村(居)委会 → 乡镇(街道) →
/// 区县, over the same kind of hash-chained log as a disclosure case (with the same head, key,
/// compare-and-swap and idempotency keys).
///
/// >>> import cunwu
/// >>> rules = cunwu.Catalogue.bundled()
/// >>> o = cunwu.Objection.file(rules, "2026-04-20", {"id": "r1", "role": "resident"}, {"type": "filed",
/// ...     "unit": {"id": "v1", "kind": "village"}, "objector": {"kind": "resident", "id": "r1"},
/// ...     "subject": {"kind": "disclosure", "aspect": "content"}, "level": "committee", "text": "账目不清"})
/// >>> o.status("2026-04-20")["reply"]["date"]
/// '2026-04-23'
#[pyclass(frozen, module = "cunwu")]
pub(super) struct Objection {
    rules: Arc<RuleSet>,
    /// Behind a lock: one object may be used from several threads (calls are serialised).
    objection: Mutex<cunwu_core::objection::Objection>,
}

#[pymethods]
impl Objection {
    /// Make an objection: `event` is a `{"type": "filed", ...}` dict, by `actor` on `date`; with
    /// `chain_key` (bytes, at least 32) a keyed chain.
    #[staticmethod]
    #[pyo3(signature = (catalogue, date, actor, event, *, idempotency_key = None, expected_head = None, chain_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn file(
        py: Python<'_>,
        catalogue: &Catalogue,
        date: &Bound<'_, PyAny>,
        actor: &Bound<'_, PyAny>,
        event: &Bound<'_, PyAny>,
        idempotency_key: Option<String>,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let date = extract_date(py, date, "/date")?;
        let actor = from_py(py, actor, "/actor")?;
        let event = from_py(py, event, "/event")?;
        let rules = Arc::clone(&catalogue.rules);
        let objection =
            begin(py, &rules, date, actor, event, Opening { idempotency_key, expected_head, key: chain_key })?;
        Ok(Objection { rules, objection: Mutex::new(objection) })
    }

    /// Check an event and append it; returns the log entry.
    #[pyo3(signature = (date, actor, event, *, expected_head = None, idempotency_key = None))]
    fn apply<'py>(
        &self,
        py: Python<'py>,
        date: &Bound<'py, PyAny>,
        actor: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        expected_head: Option<&str>,
        idempotency_key: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let applied = append(py, &self.rules, &self.objection, (date, actor, event), expected_head, idempotency_key)?;
        json_to_py(py, &applied.entry)
    }

    /// [`apply`] for an append-only table: `{"entry", "appended", "line", "head"}`.
    #[pyo3(signature = (date, actor, event, *, expected_head = None, idempotency_key = None))]
    fn append<'py>(
        &self,
        py: Python<'py>,
        date: &Bound<'py, PyAny>,
        actor: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        expected_head: Option<&str>,
        idempotency_key: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let applied = append(py, &self.rules, &self.objection, (date, actor, event), expected_head, idempotency_key)?;
        applied_dict(py, &applied)
    }

    /// Rebuild an objection from its JSON Lines log (chain verified; against `expected_head` and
    /// under `chain_key` when given).
    #[staticmethod]
    #[pyo3(signature = (catalogue, text, *, expected_head = None, chain_key = None))]
    fn from_jsonl(
        py: Python<'_>,
        catalogue: &Catalogue,
        text: &str,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let objection = from_jsonl(py, &catalogue.rules, text, expected_head, chain_key)?;
        Ok(Objection { rules: Arc::clone(&catalogue.rules), objection: Mutex::new(objection) })
    }

    /// The log as JSON Lines.
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.objection)?.to_jsonl())
    }

    /// The objection's id: the hash of its first entry (link it to a case with
    /// `{"type": "correction_required", "objection": id}`).
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.objection)?.state().id.clone())
    }

    /// The head to store beside the log: `"entries:hash"`.
    #[getter]
    fn head(&self, py: Python<'_>) -> PyResult<String> {
        Ok(lock(py, &self.objection)?.head().to_string())
    }

    /// Whether the chain is keyed.
    #[getter]
    fn keyed(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(lock(py, &self.objection)?.is_keyed())
    }

    /// What the replay noted (`LOG_RULES_CHANGED`).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
        let warnings = lock(py, &self.objection)?.warnings().to_vec();
        diagnostics(py, warnings)
    }

    /// What the events say, as a dict.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, lock(py, &self.objection)?.state())
    }

    /// The log entries, as dicts.
    #[getter]
    fn log<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &lock(py, &self.objection)?.entries())
    }

    /// Deadlines, lateness and reprisals as of `today`; with `estimate`, deadlines past the
    /// published calendar are estimated (weekends only, marked `estimated`).
    #[pyo3(signature = (today, *, estimate = false))]
    fn status<'py>(&self, py: Python<'py>, today: &Bound<'py, PyAny>, estimate: bool) -> PyResult<Bound<'py, PyAny>> {
        let today = extract_date(py, today, "/today")?;
        let objection = lock(py, &self.objection)?;
        let options = cunwu_core::objection::ObjectionStatusOptions { estimate };
        result_value(py, guard(py, || objection.status_with(&self.rules, today, options))?)
    }

    /// The next date after `today` on which anything about the objection changes (the reply
    /// turning overdue, the appeal prompt passing, the re-publication overdue; past the published
    /// calendar, the day after its last day), or None.
    #[pyo3(signature = (today, *, estimate = false))]
    fn next_wake_up(&self, py: Python<'_>, today: &Bound<'_, PyAny>, estimate: bool) -> PyResult<Option<NaiveDate>> {
        let today = extract_date(py, today, "/today")?;
        let objection = lock(py, &self.objection)?;
        let options = cunwu_core::objection::ObjectionStatusOptions { estimate };
        guard(py, || objection.status_with(&self.rules, today, options).map(|s| s.next_wake_up))?
            .map_err(|e| to_py_err(py, e))
    }

    /// The compliance record rows the objection gives (objections, replies, and a re-publication
    /// when it names no case), exactly as `Catalogue.assess` takes them.
    fn record_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let objection = lock(py, &self.objection)?;
        json_to_py(py, &guard(py, || objection.record_rows())?)
    }

    /// The public handling record (互动空间) as a dict; identity withheld, personal data masked.
    fn public_record<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let objection = lock(py, &self.objection)?;
        json_to_py(py, &guard(py, || objection.public_record())?)
    }

    /// The public handling record as text for the board.
    fn public_text(&self, py: Python<'_>) -> PyResult<String> {
        let objection = lock(py, &self.objection)?;
        guard(py, || objection.public_record().to_text())
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(lock(py, &self.objection)?.entries().len())
    }

    /// `{"state": …, "log": […]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &*lock(py, &self.objection)?)
    }

    /// Rebuild from a dict with a `"log"` (as `to_dict()` gives it); the log is verified.
    #[staticmethod]
    #[pyo3(signature = (catalogue, data, *, expected_head = None, chain_key = None))]
    fn from_dict(
        py: Python<'_>,
        catalogue: &Catalogue,
        data: &Bound<'_, PyAny>,
        expected_head: Option<&str>,
        chain_key: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let objection = from_dict(py, &catalogue.rules, data, expected_head, chain_key)?;
        Ok(Objection { rules: Arc::clone(&catalogue.rules), objection: Mutex::new(objection) })
    }

    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<Objection>() else { return Ok(false) };
        eq(slf.py(), &slf.get().objection, &other.get().objection)
    }

    /// Pickling carries the rules and the log; unpickling verifies the chain again. A keyed
    /// objection is not pickled (TypeError).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (Catalogue, String))> {
        reduce(py, "Objection", &self.rules, &*lock(py, &self.objection)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let objection = lock(py, &self.objection)?;
        let st = objection.state();
        Ok(format!("<Objection {} level={:?} stage={:?}>", st.id.get(..12).unwrap_or(""), st.level, st.stage))
    }
}
