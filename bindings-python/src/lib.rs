//! The Python module `cunwu`: converts Python values to the core's requests and the core's
//! answers back to Python. No domain logic lives here.
//!
//! Data crosses as JSON-compatible dicts (dates as ISO strings, as the city system stores them);
//! arguments accept `datetime.date` or ISO strings. Every core error becomes a subclass of
//! `cunwu.CunwuError` through one exhaustive match ([`error_class`]).

use std::sync::Arc;

use chrono::NaiveDate;
use cunwu_core::api::{self, parse_date};
use cunwu_core::catalogue::ResolvedCatalogue;
use cunwu_core::diff::CatalogueDiff;
use cunwu_core::rules::{SourceFile, merge_sources};
use cunwu_core::{Diagnostic, Error, InputError, RuleSet};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyString};

mod journal;
use journal::{DisclosureCase, Objection};

/// The Python exception class for each core error. Exhaustive: a new core error kind does not
/// compile until it is mapped here.
fn error_class(e: &Error) -> &'static str {
    match e {
        Error::Rules(_) => "RulesError",
        Error::Catalogue(_) => "CatalogueError",
        Error::Input(_) => "InputError",
        Error::Calendar(_) => "CalendarError",
        Error::Procedure(_) => "ProcedureError",
        Error::Objection(_) => "ObjectionError",
        Error::Log(_) => "LogError",
        Error::Compliance(_) => "ComplianceError",
    }
}

/// Raise `e` as its `cunwu` exception, carrying the code and the diagnostics as JSON.
fn to_py_err(py: Python<'_>, e: Error) -> PyErr {
    let class = error_class(&e);
    let details = serde_json::to_string(&e.diagnostics()).unwrap_or_else(|_| "[]".into());
    let raised = py
        .import("cunwu._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|cls| cls.call1((e.to_string(), e.code(), details)));
    match raised {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// A panic inside the core is a bug; it must not reach Python as a `BaseException`. It is raised
/// as `cunwu.InternalError` (code `INTERNAL_PANIC`) instead.
fn internal(py: Python<'_>, payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let message = format!("internal error in cunwu (please report it): {what}");
    let details = serde_json::json!([{ "code": "INTERNAL_PANIC", "severity": "error", "message_zh": format!("cunwu 内部错误（请报告）：{what}"),
        "message_en": message.clone(), "location": {} }])
    .to_string();
    let raised = py
        .import("cunwu._errors")
        .and_then(|m| m.getattr("InternalError"))
        .and_then(|c| c.call1((message, "INTERNAL_PANIC", details)));
    match raised {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// Run `f` with the GIL released, turning a panic into `cunwu.InternalError`.
fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))).map_err(|p| internal(py, p))
}

/// Run `f` (holding the GIL), turning a panic into `cunwu.InternalError`.
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> T) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| internal(py, p))
}

fn json_to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// Read a `datetime.date` or an ISO string; `datetime.datetime` is refused (a date is meant).
fn extract_date(py: Python<'_>, value: &Bound<'_, PyAny>, pointer: &str) -> PyResult<NaiveDate> {
    let invalid =
        |v: String| to_py_err(py, Error::Input(InputError::InvalidDate { pointer: pointer.into(), value: v }));
    if value.is_instance_of::<PyDateTime>() {
        return Err(invalid(value.str()?.to_string()));
    }
    if value.is_instance_of::<PyDate>() {
        return value.extract::<NaiveDate>();
    }
    if value.is_instance_of::<PyString>() {
        let s: String = value.extract()?;
        return parse_date(&s, pointer).map_err(|e| to_py_err(py, e.into()));
    }
    Err(invalid(value.repr()?.to_string()))
}

/// Folders as paths: a name `os.listdir` gives with undecodable bytes (as surrogates) is read as
/// the file system names it.
fn read_dirs(py: Python<'_>, dirs: &[std::path::PathBuf]) -> PyResult<Vec<SourceFile>> {
    let mut files = Vec::new();
    for dir in dirs {
        let read = cunwu_core::fs::read_rules_dir(dir).map_err(|d| to_py_err(py, Error::Rules(d)))?;
        files = merge_sources(files, &read);
    }
    Ok(files)
}

fn base(bundled: bool) -> Vec<SourceFile> {
    if bundled { cunwu_core::rules::bundled::sources() } else { Vec::new() }
}

/// One problem found in rules or a request: a stable `code`, where it is, and messages in
/// Chinese and English.
///
/// >>> import cunwu
/// >>> d = cunwu.Catalogue.lint("tests/fixtures/bad-district", bundled=True)[0]
/// >>> (d.code, d.line, d.column)
/// ('RULES_UNKNOWN_KEY', 25, 1)
#[pyclass(frozen, module = "cunwu")]
struct DiagnosticInfo {
    inner: Diagnostic,
}

#[pymethods]
impl DiagnosticInfo {
    /// The stable machine code.
    #[getter]
    fn code(&self) -> &str {
        &self.inner.code
    }
    /// `"error"` or `"warning"`.
    #[getter]
    fn severity(&self) -> &'static str {
        if self.inner.is_error() { "error" } else { "warning" }
    }
    /// The message in Chinese.
    #[getter]
    fn message_zh(&self) -> &str {
        &self.inner.message_zh
    }
    /// The message in English.
    #[getter]
    fn message_en(&self) -> &str {
        &self.inner.message_en
    }
    /// The rule file, if the problem is in one.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.inner.location.file.as_deref()
    }
    /// 1-based line in `file`.
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner.location.line
    }
    /// 1-based column in `file`.
    #[getter]
    fn column(&self) -> Option<u32> {
        self.inner.location.column
    }
    /// JSON pointer of the field.
    #[getter]
    fn pointer(&self) -> Option<&str> {
        self.inner.location.pointer.as_deref()
    }
    /// The diagnostic as a JSON-compatible dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner)
    }
    /// A diagnostic from its dict (as `to_dict()` gives it).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(DiagnosticInfo { inner: from_py(py, data, "")? })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<DiagnosticInfo>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "DiagnosticInfo", &self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.one_line()
    }
    fn __repr__(&self) -> String {
        format!("<Diagnostic {} at {}>", self.inner.code, self.inner.location)
    }
}

fn diagnostics(py: Python<'_>, diags: Vec<Diagnostic>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
    diags.into_iter().map(|d| Py::new(py, DiagnosticInfo { inner: d })).collect()
}

/// A validated set of disclosure rules: the bundled ones, a directory, or both.
///
/// >>> import cunwu
/// >>> cat = cunwu.Catalogue.bundled().resolve("2026-01-01")
/// >>> cat.item("finance.income-expenditure")["cadence"]["value"]
/// ['monthly']
#[pyclass(frozen, module = "cunwu")]
struct Catalogue {
    rules: Arc<RuleSet>,
}

impl Catalogue {
    fn from_sources(py: Python<'_>, files: Vec<SourceFile>) -> PyResult<Self> {
        let rules = run(py, || RuleSet::load(&files))?.map_err(|d| to_py_err(py, Error::Rules(d)))?;
        Ok(Catalogue { rules: Arc::new(rules) })
    }
}

#[pymethods]
impl Catalogue {
    /// The rules bundled with cunwu (national, Chongqing statute, Chongqing policy).
    #[staticmethod]
    fn bundled(py: Python<'_>) -> PyResult<Self> {
        Catalogue::from_sources(py, base(true))
    }

    /// Rules read from directories (later ones override files of the same path); with
    /// `bundled=True`, on top of the bundled rules. Raises `RulesError` listing every problem.
    #[staticmethod]
    #[pyo3(signature = (*dirs, bundled = false))]
    fn load(py: Python<'_>, dirs: Vec<std::path::PathBuf>, bundled: bool) -> PyResult<Self> {
        let files = merge_sources(base(bundled), &read_dirs(py, &dirs)?);
        Catalogue::from_sources(py, files)
    }

    /// Rules from in-memory files `{path: toml_text}`; with `bundled=True` (the default), on top
    /// of the bundled rules.
    #[staticmethod]
    #[pyo3(signature = (files, *, bundled = true))]
    fn from_files(py: Python<'_>, files: std::collections::BTreeMap<String, String>, bundled: bool) -> PyResult<Self> {
        api::check_file_list(files.keys().map(String::as_str), "/files").map_err(|e| to_py_err(py, e))?;
        let extra: Vec<SourceFile> = files.into_iter().map(|(p, t)| SourceFile::new(p, t)).collect();
        // Each text bounded like a rule file read from a folder (the default max_text_bytes).
        cunwu_core::limits::Limits::default().check_rule_files(&extra).map_err(|d| to_py_err(py, Error::Rules(d)))?;
        Catalogue::from_sources(py, merge_sources(base(bundled), &extra))
    }

    /// Every problem in the rule directories (and the bundled rules, with `bundled=True`).
    #[staticmethod]
    #[pyo3(signature = (*dirs, bundled = false))]
    fn lint(py: Python<'_>, dirs: Vec<std::path::PathBuf>, bundled: bool) -> PyResult<Vec<Py<DiagnosticInfo>>> {
        let files = merge_sources(base(bundled), &read_dirs(py, &dirs)?);
        let diags = run(py, || RuleSet::lint(&files))?;
        diagnostics(py, diags)
    }

    /// The rule files in `dirs` compiled to JSON rule files, `{path: json_text}`, for the browser
    /// package (which reads no TOML): pass them as `rules.files` to its functions. The rules are
    /// checked first, with the bundled ones unless `bundled=False`; any error raises `RulesError`
    /// and nothing is compiled.
    ///
    /// >>> import cunwu
    /// >>> compiled = cunwu.Catalogue.compile("examples/districts")
    /// >>> [(path, text[:13]) for path, text in compiled.items()]
    /// [('examples/districts/nanan-2026.toml', '{"amendments"')]
    #[staticmethod]
    #[pyo3(signature = (*dirs, bundled = true))]
    fn compile(
        py: Python<'_>,
        dirs: Vec<std::path::PathBuf>,
        bundled: bool,
    ) -> PyResult<std::collections::BTreeMap<String, String>> {
        let files = read_dirs(py, &dirs)?.into_iter().map(|f| api::FileInput { path: f.path, text: f.text }).collect();
        let input = api::RulesInput { files, bundled, limits: None };
        let answer = run(py, move || api::compile_rules(&input))?;
        match answer.value {
            Some(compiled) if answer.ok => Ok(compiled.files.into_iter().map(|f| (f.path, f.text)).collect()),
            _ => Err(to_py_err(py, Error::Rules(answer.errors))),
        }
    }

    /// The effective catalogue on `as_of` (a `datetime.date` or `"YYYY-MM-DD"`), for `district`
    /// (id or name) when given. With `unit_kind`, only the items that apply to that kind, as the
    /// texts governing it say (the village statute never reaches a community).
    #[pyo3(signature = (as_of, district = None, *, unit_kind = None))]
    fn resolve(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        district: Option<String>,
        unit_kind: Option<&str>,
    ) -> PyResult<EffectiveCatalogue> {
        let as_of = extract_date(py, as_of, "/as_of")?;
        let unit_kind = unit_kind.map(|k| parse_unit_kind(py, k)).transpose()?;
        let rules = Arc::clone(&self.rules);
        let mut cat = run(py, move || rules.resolve_for(as_of, district.as_deref(), unit_kind))?
            .map_err(|e| to_py_err(py, e.into()))?;
        cat.keep_applicable();
        Ok(EffectiveCatalogue { inner: cat })
    }

    /// One item's review page as a dict: its legal force (`binding`, `adopted`, `advisory`), each
    /// value with the layer that set it, and the quoted text of every clause it rests on.
    #[pyo3(signature = (item, as_of, *, unit_kind = None, district = None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        item: String,
        as_of: &Bound<'py, PyAny>,
        unit_kind: Option<&str>,
        district: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = explain_request(py, item, as_of, unit_kind, district)?;
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || cunwu_core::explain::explain_item(&rules, &request))?;
        result_value(py, result)
    }

    /// The same page as Markdown, in Chinese: what a reviewer reads to check the law.
    #[pyo3(signature = (item, as_of, *, unit_kind = None, district = None))]
    fn explain_text(
        &self,
        py: Python<'_>,
        item: String,
        as_of: &Bound<'_, PyAny>,
        unit_kind: Option<&str>,
        district: Option<String>,
    ) -> PyResult<String> {
        let request = explain_request(py, item, as_of, unit_kind, district)?;
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || cunwu_core::explain::explain_item(&rules, &request))?;
        result.map(|page| page.markdown).map_err(|e| to_py_err(py, e))
    }

    /// What changed in force between two dates, each change with its source.
    #[pyo3(signature = (from_date, to_date, district = None))]
    fn diff(
        &self,
        py: Python<'_>,
        from_date: &Bound<'_, PyAny>,
        to_date: &Bound<'_, PyAny>,
        district: Option<String>,
    ) -> PyResult<CatalogueChanges> {
        let a = extract_date(py, from_date, "/from")?;
        let b = extract_date(py, to_date, "/to")?;
        let rules = Arc::clone(&self.rules);
        let diff = run(py, move || rules.diff(a, b, district.as_deref()))?.map_err(|e| to_py_err(py, e.into()))?;
        Ok(CatalogueChanges { inner: diff })
    }

    /// The last day of a period of `length` (`"+5d"`, `"+1m"`, `"+10wd"`) after `start`, counted by
    /// the law, as a dict with `date` and its `explanation`. `extension=None` lets the rule in
    /// force decide (`rule`, e.g. `"extension.filing"`, or the civil law's general rule).
    #[pyo3(signature = (start, length, *, extension = None, rule = None, estimate = false))]
    fn period<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        length: String,
        extension: Option<bool>,
        rule: Option<String>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let start = extract_date(py, start, "/start")?.to_string();
        let request = api::PeriodRequest { start, length, extension, rule, estimate };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_period(&rules, &request))?;
        result_value(py, result)
    }

    /// The schedule of a unit of `unit_kind` (`"village"`, `"community"`, `"group"`) for `year`,
    /// as a dict; with `today`, also `next_wake_up`.
    #[pyo3(signature = (unit_kind, year, *, district = None, today = None, estimate = false, explain = true))]
    #[allow(clippy::too_many_arguments)]
    fn schedule<'py>(
        &self,
        py: Python<'py>,
        unit_kind: &str,
        year: i32,
        district: Option<String>,
        today: Option<&Bound<'py, PyAny>>,
        estimate: bool,
        explain: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let unit_kind = parse_unit_kind(py, unit_kind)?;
        let today = today.map(|t| extract_date(py, t, "/today")).transpose()?.map(|d| d.to_string());
        let request = api::ScheduleRequest { unit_kind, year, district, today, estimate, explain };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_schedule(&rules, &request))?;
        result_value(py, result)
    }

    /// Assess a city: evaluate every unit's `records` — a folder of record files (`units.csv`,
    /// `postings.jsonl`...) or a dict of row lists (`{"units": [...], "postings": [...]}`) —
    /// for `year` as of `as_of` (default: the year's last day, or the last day of the holiday
    /// data if earlier), score, rank and roll up. Record files may instead be given as text,
    /// `files={"units.csv": "...", ...}`. Bad rows are in `report.problems`, not raised.
    /// Releases the GIL.
    #[pyo3(signature = (records = None, *, year, as_of = None, files = None))]
    fn assess(
        &self,
        py: Python<'_>,
        records: Option<&Bound<'_, PyAny>>,
        year: i32,
        as_of: Option<&Bound<'_, PyAny>>,
        files: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<compliance::ComplianceReport> {
        let as_of = compliance::as_of(py, &self.rules, year, as_of)?;
        let data = compliance::dataset(py, self.rules.limits(), records, files)?;
        let batch = compliance::batch(py, &self.rules, data, year, as_of)?;
        compliance::report(py, &self.rules, vec![batch])
    }

    /// Evaluate and score the units of `records` without ranking them: the work of one worker
    /// process (a Dask or Spark partition). The batch pickles; `roll_up` combines batches.
    #[pyo3(signature = (records = None, *, year, as_of = None, files = None))]
    fn assess_units(
        &self,
        py: Python<'_>,
        records: Option<&Bound<'_, PyAny>>,
        year: i32,
        as_of: Option<&Bound<'_, PyAny>>,
        files: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<compliance::AssessmentBatch> {
        let as_of = compliance::as_of(py, &self.rules, year, as_of)?;
        let data = compliance::dataset(py, self.rules.limits(), records, files)?;
        Ok(compliance::AssessmentBatch { inner: compliance::batch(py, &self.rules, data, year, as_of)? })
    }

    /// Rank and roll up batches from `assess_units` (same year and date) into one report.
    fn roll_up(
        &self,
        py: Python<'_>,
        batches: Vec<PyRef<'_, compliance::AssessmentBatch>>,
    ) -> PyResult<compliance::ComplianceReport> {
        let batches = batches.iter().map(|b| b.inner.clone()).collect();
        compliance::report(py, &self.rules, batches)
    }

    /// One unit's assessment, for a page that shows a village its own findings: `unit` is its
    /// registry row, `records` a dict of its row lists (as for `assess`).
    #[pyo3(signature = (unit, records = None, *, year, as_of = None))]
    fn assess_unit(
        &self,
        py: Python<'_>,
        unit: &Bound<'_, PyAny>,
        records: Option<&Bound<'_, PyAny>>,
        year: i32,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<compliance::UnitAssessment> {
        let as_of = compliance::as_of(py, &self.rules, year, as_of)?.to_string();
        let unit = from_py(py, unit, "/unit")?;
        let records: serde_json::Value = match records {
            Some(r) => from_py(py, r, "/records")?,
            None => serde_json::Value::Null,
        };
        let request = api::UnitComplianceRequest { year, as_of: Some(as_of), unit, records };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_unit_compliance(&rules, &request))?;
        Ok(compliance::UnitAssessment { inner: result.map_err(|e| to_py_err(py, e))? })
    }

    /// The schedule as an iCalendar file (text) for staff to subscribe to.
    #[pyo3(signature = (unit_kind, year, *, district = None, unit_name = "本单位", estimate = false))]
    fn schedule_ics(
        &self,
        py: Python<'_>,
        unit_kind: &str,
        year: i32,
        district: Option<String>,
        unit_name: &str,
        estimate: bool,
    ) -> PyResult<String> {
        let unit_kind = parse_unit_kind(py, unit_kind)?;
        let request = api::ScheduleRequest { unit_kind, year, district, today: None, estimate, explain: true };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_schedule(&rules, &request))?;
        match result {
            Ok(a) => Ok(cunwu_core::render::schedule_ics(&self.rules, &a.schedule, unit_name)),
            Err(e) => Err(to_py_err(py, e)),
        }
    }

    /// The obligation an event on `event` creates for the event-driven item `item`, for a unit of
    /// `unit_kind` (texts that do not govern that kind never reach it).
    #[pyo3(signature = (item, event, *, unit_kind = "village", district = None, estimate = false))]
    fn event_obligation<'py>(
        &self,
        py: Python<'py>,
        item: String,
        event: &Bound<'py, PyAny>,
        unit_kind: &str,
        district: Option<String>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let event = extract_date(py, event, "/event")?.to_string();
        let unit_kind = parse_unit_kind(py, unit_kind)?;
        let request = api::EventRequest { item, unit_kind, event, district, estimate, explain: true };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_event_obligation(&rules, &request))?;
        result_value(py, result)
    }

    /// The removal, filing and review deadlines that follow from posting `item` on `posted`.
    #[pyo3(signature = (item, posted, *, unit_kind = "village", district = None, estimate = false))]
    fn after_posting<'py>(
        &self,
        py: Python<'py>,
        item: String,
        posted: &Bound<'py, PyAny>,
        unit_kind: &str,
        district: Option<String>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let posted = extract_date(py, posted, "/posted")?.to_string();
        let unit_kind = parse_unit_kind(py, unit_kind)?;
        let request = api::PostingRequest { item, unit_kind, posted, district, estimate };
        let rules = Arc::clone(&self.rules);
        let result = run(py, move || api::try_after_posting(&rules, &request))?;
        result_value(py, result)
    }

    /// The official classification of each day from `start` to `end` (inclusive), as dicts.
    #[pyo3(signature = (start, end = None, *, estimate = false))]
    fn days<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        end: Option<&Bound<'py, PyAny>>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let from = extract_date(py, start, "/from")?.to_string();
        let until = match end {
            Some(e) => extract_date(py, e, "/until")?.to_string(),
            None => from.clone(),
        };
        result_value(
            py,
            guard(py, || api::try_calendar_days(&self.rules, &api::DaysRequest { from, until, estimate }))?,
        )
    }

    /// The items a disclosure plan for `period` (`"2026-Q1"`) must include, as of the day after the
    /// period ends (or `as_of`): each under each cadence it is due, with its period label
    /// (`"2026-03"` for a monthly item in a Q1 plan), due day and legal basis.
    #[pyo3(signature = (unit_kind, period, *, pipeline = "general", district = None, as_of = None))]
    fn plan_requirements<'py>(
        &self,
        py: Python<'py>,
        unit_kind: &str,
        period: &str,
        pipeline: &str,
        district: Option<String>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let kind = parse_unit_kind(py, unit_kind)?;
        let pipeline: cunwu_core::procedure::Pipeline =
            from_py(py, &PyString::new(py, pipeline).into_any(), "/pipeline")?;
        let date = match as_of {
            Some(d) => extract_date(py, d, "/as_of")?,
            None => {
                let (_, until, _) = cunwu_core::procedure::parse_period(period).map_err(|e| to_py_err(py, e.into()))?;
                until.succ_opt().unwrap_or(until)
            }
        };
        let result = guard(py, || {
            cunwu_core::procedure::plan_requirements(&self.rules, kind, district.as_deref(), period, pipeline, date)
        })?;
        result_value(py, result)
    }

    /// What is due between `from_` and `until` (both counted) and overdue on `until`, over many
    /// units (dicts `{"id", "kind", "district"?, "name"?}`), cases (`DisclosureCase` objects, or
    /// their JSON Lines logs, read under `chain_key`) and objections (`Objection` objects or their
    /// logs): the units' items with a last day in the window (less those a case's plan covers),
    /// every open case's step and every open objection's reply or re-publication due by `until`,
    /// sorted by date. `{"from", "until", "entries": [...], "problems": [...]}`: a unit, case or
    /// objection that could not be looked at is a problem, never left out quietly.
    ///
    /// Logs given as texts are read against `case_heads` / `objection_heads` (the heads stored
    /// beside them, one per text, in order; a log that does not end at its head is a problem), or
    /// without heads when none are given: a host that stores heads passes them, or passes objects
    /// it replayed against them (`from_jsonl(..., expected_head=)`).
    #[pyo3(signature = (from_, until, *, units = None, cases = None, objections = None, case_heads = None, objection_heads = None, chain_key = None, estimate = false))]
    #[allow(clippy::too_many_arguments)]
    fn due_between<'py>(
        &self,
        py: Python<'py>,
        from_: &Bound<'py, PyAny>,
        until: &Bound<'py, PyAny>,
        units: Option<&Bound<'py, PyAny>>,
        cases: Option<&Bound<'py, PyAny>>,
        objections: Option<&Bound<'py, PyAny>>,
        case_heads: Option<Vec<String>>,
        objection_heads: Option<Vec<String>>,
        chain_key: Option<&Bound<'py, PyAny>>,
        estimate: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let from = extract_date(py, from_, "/from")?;
        let until = extract_date(py, until, "/until")?;
        let limits = self.rules.limits();
        let units: Vec<cunwu_core::procedure::UnitRef> = match units {
            Some(u) => from_py_within(py, u, "/units", limits)?,
            None => Vec::new(),
        };
        let key = journal::chain_key(py, chain_key)?;
        let mut problems = Vec::new();
        let rules = &self.rules;
        let cases = read_logs::<DisclosureCase, cunwu_core::procedure::Procedure>(
            py,
            (cases, case_heads.as_deref(), &key),
            ("cases", "DisclosureCase"),
            &mut problems,
            |text, options| cunwu_core::procedure::DisclosureCase::from_jsonl_with(rules, text, options),
            |o| o.get().with_case(py, Clone::clone),
        )?;
        let objections = read_logs::<journal::Objection, cunwu_core::objection::Ladder>(
            py,
            (objections, objection_heads.as_deref(), &key),
            ("objections", "Objection"),
            &mut problems,
            |text, options| cunwu_core::objection::Objection::from_jsonl_with(rules, text, options),
            |o| o.get().with_objection(py, Clone::clone),
        )?;
        let case_refs: Vec<&cunwu_core::procedure::DisclosureCase> = cases.iter().collect();
        let objection_refs: Vec<&cunwu_core::objection::Objection> = objections.iter().collect();
        let options = cunwu_core::due::DueOptions { estimate };
        let input = cunwu_core::due::DueInput { units: &units, cases: &case_refs, objections: &objection_refs };
        let mut list = run(py, || cunwu_core::due::due_between(rules, input, from, until, options))?
            .map_err(|e| to_py_err(py, e))?;
        problems.append(&mut list.problems);
        list.problems = problems;
        json_to_py(py, &list)
    }

    /// The layers of the rule set, as dicts.
    fn layers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.rules.layers())
    }

    /// Warnings found while loading.
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
        diagnostics(py, self.rules.warnings().to_vec())
    }

    /// A version of the rule data (a hash of every file); logs record it.
    #[getter]
    fn version(&self) -> &str {
        self.rules.version()
    }

    fn __repr__(&self) -> String {
        let ids: Vec<String> = self.rules.layers().into_iter().map(|l| l.id).collect();
        format!("<Catalogue layers={ids:?}>")
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Catalogue>().is_ok_and(|o| o.get().rules.version() == self.rules.version())
    }

    fn __hash__(&self) -> u64 {
        self.rules
            .version()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }

    /// Pickling rebuilds the rules from their files (so a catalogue can go to worker processes).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py, (FilePairs, String)>> {
        let files = self.rules.sources().into_iter().map(|f| (f.path, f.text)).collect();
        let limits = serde_json::to_string(self.rules.limits()).map_err(|e| to_py_err(py, internal_json(e)))?;
        Ok((py.import("cunwu._cunwu")?.getattr("_catalogue_from_files")?, (files, limits)))
    }

    /// These rules with other limits on what one call accepts (hostile input: huge texts, logs of
    /// millions of lines); a limit left out keeps its value. Over a limit, a call raises
    /// `InputError` (`INPUT_TOO_LARGE`) or `LogError` (`LOG_TOO_LARGE`). See the Rust docs of
    /// `cunwu_core::limits` for the defaults and the fixed limits.
    ///
    /// >>> import cunwu
    /// >>> rules = cunwu.Catalogue.bundled().with_limits(max_log_entries=10)
    /// >>> rules.limits["max_log_entries"], rules.limits["max_text_bytes"]
    /// (10, 67108864)
    #[pyo3(signature = (*, max_text_bytes = None, max_log_entries = None, max_file_lines = None))]
    fn with_limits(
        &self,
        max_text_bytes: Option<usize>,
        max_log_entries: Option<usize>,
        max_file_lines: Option<usize>,
    ) -> Catalogue {
        let mut limits = *self.rules.limits();
        limits.max_text_bytes = max_text_bytes.unwrap_or(limits.max_text_bytes);
        limits.max_log_entries = max_log_entries.unwrap_or(limits.max_log_entries);
        limits.max_file_lines = max_file_lines.unwrap_or(limits.max_file_lines);
        Catalogue { rules: Arc::new((*self.rules).clone().with_limits(limits)) }
    }

    /// The limits on what one call accepts, by name.
    #[getter]
    fn limits(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let l = self.rules.limits();
        [
            ("max_text_bytes", l.max_text_bytes),
            ("max_log_entries", l.max_log_entries),
            ("max_file_lines", l.max_file_lines),
        ]
        .into_iter()
        .collect()
    }
}

/// The catalogue in force on a date: items and parameters, each field with its provenance.
///
/// >>> import cunwu
/// >>> cat = cunwu.Catalogue.bundled().resolve("2026-01-01")
/// >>> cat.item("finance.income-expenditure")["display"]["value"]
/// {'months': 1}
/// >>> "party.dues" in cat             # advisory (a local sample): not an obligation
/// False
/// >>> cat.advisory_item("party.dues")["force"]
/// 'advisory'
/// >>> community = cunwu.Catalogue.bundled().resolve("2026-01-01", unit_kind="community")
/// >>> community.parameter("reply.committee_to_resident_days") is None   # village law only
/// True
#[pyclass(frozen, module = "cunwu")]
struct EffectiveCatalogue {
    inner: ResolvedCatalogue,
}

#[pymethods]
impl EffectiveCatalogue {
    /// The date the catalogue is in force.
    #[getter]
    fn as_of(&self) -> NaiveDate {
        self.inner.as_of
    }
    /// The district (`{"id", "name"}`), if a district catalogue applies.
    #[getter]
    fn district<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.district)
    }
    /// The obligations (binding or adopted items) as dicts, by id.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.items)
    }
    /// Advisory items (建议公开) as dicts: no text binds the unit, they are never judged.
    #[getter]
    fn advisory<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.advisory)
    }
    /// The kind of unit the catalogue judges (`None`: every kind at once).
    #[getter]
    fn unit_kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.unit_kind)
    }
    /// Parameters as dicts, by id.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.parameters)
    }
    /// Warnings (a district with no catalogue in force on the date).
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
        diagnostics(py, self.inner.warnings.clone())
    }
    /// One obligation by id, or `None` (an advisory item is not one: see `advisory_item`).
    fn item<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.item(id))
    }
    /// One advisory item (建议公开) by id, or `None`.
    fn advisory_item<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.advisory_item(id))
    }
    /// One parameter by id, or `None`.
    fn parameter<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.parameter(id))
    }
    /// The whole catalogue as a JSON-compatible dict (the same as the CLI's `--format json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner)
    }
    /// The catalogue as a Markdown table.
    fn table(&self) -> String {
        cunwu_core::render::catalogue_table(&self.inner)
    }
    fn __len__(&self) -> usize {
        self.inner.items.len()
    }
    fn __contains__(&self, id: &str) -> bool {
        self.inner.item(id).is_some()
    }

    /// Iterate over the items (dicts).
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.items(py)?.try_iter()?.into_any())
    }

    /// A catalogue from its dict (as `to_dict()` gives it).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(EffectiveCatalogue { inner: from_py(py, data, "")? })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<EffectiveCatalogue>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "EffectiveCatalogue", &self.inner)
    }
    fn __repr__(&self) -> String {
        let district = self.inner.district.as_ref().map(|d| format!(" district={}", d.id)).unwrap_or_default();
        format!("<EffectiveCatalogue as_of={}{} items={}>", self.inner.as_of, district, self.inner.items.len())
    }
}

/// The changes in force between two dates.
///
/// >>> import cunwu
/// >>> diff = cunwu.Catalogue.bundled().diff("2018-04-23", "2018-04-24")
/// >>> next(c for c in diff if c["id"] == "finance.income-expenditure" and c.get("field") == "cadence")["after"]
/// ['monthly']
#[pyclass(frozen, module = "cunwu")]
struct CatalogueChanges {
    inner: CatalogueDiff,
}

#[pymethods]
impl CatalogueChanges {
    /// The changes as dicts.
    #[getter]
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.changes)
    }
    /// The whole diff as a JSON-compatible dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner)
    }
    /// The changelog as Chinese text, one change a line.
    fn text(&self) -> String {
        self.inner.to_text()
    }
    fn __len__(&self) -> usize {
        self.inner.changes.len()
    }

    /// Iterate over the changes (dicts).
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.changes(py)?.try_iter()?.into_any())
    }

    /// Changes from their dict (as `to_dict()` gives it).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(CatalogueChanges { inner: from_py(py, data, "")? })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<CatalogueChanges>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        reduce_json(py, "CatalogueChanges", &self.inner)
    }
    fn __repr__(&self) -> String {
        format!("<CatalogueChanges {} → {}: {} changes>", self.inner.from, self.inner.to, self.inner.changes.len())
    }
}

fn explain_request(
    py: Python<'_>,
    item: String,
    as_of: &Bound<'_, PyAny>,
    unit_kind: Option<&str>,
    district: Option<String>,
) -> PyResult<cunwu_core::explain::ExplainRequest> {
    let as_of = extract_date(py, as_of, "/as_of")?.to_string();
    let unit_kind = unit_kind.map(|k| parse_unit_kind(py, k)).transpose()?;
    Ok(cunwu_core::explain::ExplainRequest { item, as_of, unit_kind, district })
}

fn parse_unit_kind(py: Python<'_>, kind: &str) -> PyResult<cunwu_core::UnitKind> {
    cunwu_core::json::from_value(serde_json::Value::String(kind.to_string())).map_err(|_| {
        let message = format!("`{kind}` is not a unit kind: village, community or group");
        to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: "/unit_kind".into(), message }))
    })
}

/// A core result as Python data, or its error raised as the right exception.
fn result_value<'py, T: serde::Serialize>(py: Python<'py>, result: Result<T, Error>) -> PyResult<Bound<'py, PyAny>> {
    match result {
        Ok(v) => json_to_py(py, &v),
        Err(e) => Err(to_py_err(py, e)),
    }
}

/// Python data (dicts, lists, dates) as a core type, through JSON; dates become ISO strings.
/// A failure given as diagnostics (a folder that could not be read, a file over the limits), as
/// the `cunwu` error of its first code: `InputError` for `INPUT_*`, else `ComplianceError`.
fn diagnostics_err(py: Python<'_>, diagnostics: &[Diagnostic]) -> PyErr {
    let code = diagnostics.first().map(|d| d.code.clone()).unwrap_or_default();
    let message = diagnostics.first().map(|d| d.one_line()).unwrap_or_default();
    let class = if code.starts_with("INPUT_") { "InputError" } else { "ComplianceError" };
    let details = serde_json::to_string(diagnostics).unwrap_or_else(|_| "[]".into());
    let raised =
        py.import("cunwu._errors").and_then(|m| m.getattr(class)).and_then(|cls| cls.call1((message, code, details)));
    match raised {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// [`from_py`], refusing a value whose JSON text is over `limits.max_text_bytes`
/// (`INPUT_TOO_LARGE` at `pointer`).
fn from_py_within<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    pointer: &str,
    limits: &cunwu_core::limits::Limits,
) -> PyResult<T> {
    let text = json_text(py, value)?;
    limits.check_text(&text, pointer).map_err(|e| to_py_err(py, e))?;
    cunwu_core::json::read(&text).map_err(|e| {
        to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: pointer.into(), message: e.to_string() }))
    })
}

/// The JSON text of a Python value (`datetime.date` and `decimal.Decimal` as their `str`): compact
/// and in UTF-8, so the limits count the bytes every surface counts (the CLI a file's, WASM
/// `JSON.stringify`'s). What `json.dumps` cannot write — nesting past Python's recursion limit, a
/// circular list, an integer of thousands of digits, a lone surrogate — is `cunwu.InputError`.
fn json_text(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    json_text_or_why(py, value)?
        .map_err(|message| to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: String::new(), message })))
}

/// [`json_text`], or why the value cannot be written as JSON.
fn json_text_or_why(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Result<String, String>> {
    let json = py.import("json")?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("default", py.import("builtins")?.getattr("str")?)?;
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("separators", (",", ":"))?;
    // NaN and infinities are not JSON: refused here with Python's own words.
    kwargs.set_item("allow_nan", false)?;
    match json.call_method("dumps", (value,), Some(&kwargs)) {
        Ok(text) => Ok(text.extract().map_err(|_| "not valid Unicode text (a lone surrogate)".to_string())),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyRecursionError>(py) => Ok(Err("nested too deeply".into())),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyValueError>(py) => {
            Ok(Err(format!("cannot be written as JSON: {}", e.value(py))))
        }
        Err(e) => Err(e),
    }
}

fn from_py<T: serde::de::DeserializeOwned>(py: Python<'_>, value: &Bound<'_, PyAny>, pointer: &str) -> PyResult<T> {
    let text = json_text(py, value)?;
    cunwu_core::json::read(&text).map_err(|e| {
        to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: pointer.into(), message: e.to_string() }))
    })
}

/// Validate a submission (a dict; `datetime.date` and `decimal.Decimal` values are accepted and
/// sent as ISO dates and exact decimal strings). Returns `{"ok": bool, "findings": [...]}`:
/// every problem at once, each with `code`, `severity`, `location.pointer`, messages and hints.
///
/// >>> import cunwu, decimal
/// >>> answer = cunwu.validate({"unit": {"id": "v1", "kind": "village"}, "item": "finance.income-expenditure",
/// ...     "period": "2026-03", "posting": {"date": "2026-04-15"},
/// ...     "channels": ["board", "representatives_meeting", "printed_copies"],
/// ...     "payload": {"opening_balance": decimal.Decimal("100.00"), "income": [], "expenditure": [],
/// ...                 "closing_balance": decimal.Decimal("100.00")}})
/// >>> answer["ok"]
/// True
#[pyfunction]
#[pyo3(signature = (submission, catalogue = None))]
fn validate<'py>(
    py: Python<'py>,
    submission: &Bound<'py, PyAny>,
    catalogue: Option<&Catalogue>,
) -> PyResult<Bound<'py, PyAny>> {
    let rules = match catalogue {
        Some(c) => Arc::clone(&c.rules),
        None => Arc::new(RuleSet::bundled().map_err(|d| to_py_err(py, Error::Rules(d)))?),
    };
    // As text, so the rules' `max_text_bytes` bounds it as on every surface (an answer with
    // `INPUT_TOO_LARGE`, like any finding).
    // A dict JSON cannot hold (circular, nested past Python's recursion limit) is a finding, as
    // a cyclic object is in the browser.
    let text = match json_text_or_why(py, submission)? {
        Ok(text) => text,
        Err(why) => {
            let finding = cunwu_core::Diagnostic {
                code: "VALIDATION_TYPE".into(),
                severity: cunwu_core::Severity::Error,
                message_zh: format!("无法作为 JSON 读取：{why}"),
                message_en: format!("cannot be read as JSON: {why}"),
                hint_zh: None,
                hint_en: None,
                location: cunwu_core::Location::at_pointer(""),
                related: Vec::new(),
            };
            let answer = cunwu_core::validation::ValidationAnswer { ok: false, findings: vec![finding] };
            return json_to_py(py, &answer);
        }
    };
    let answer = run(py, move || api::validate_text(&rules, &text))?;
    json_to_py(py, &answer)
}

/// The JSON Schema (as text) of submissions of a family: `finance_statement`,
/// `beneficiary_list`, `project` or `notice`.
///
/// >>> import cunwu, json
/// >>> "closing_balance" in json.loads(cunwu.submission_schema("finance_statement"))["properties"]["payload"]["required"]
/// True
#[pyfunction]
fn submission_schema(py: Python<'_>, family: &str) -> PyResult<String> {
    let f: cunwu_core::validation::Family = from_py(py, &PyString::new(py, family).into_any(), "/family")?;
    Ok(cunwu_core::rules::schema::submission_schema(f).to_owned())
}

/// Personal data in `text` (ID numbers, mobile numbers, bank cards) replaced by masked forms.
///
/// >>> import cunwu
/// >>> cunwu.mask("身份证11010519491231002X 电话13912345678")
/// '身份证1****************X 电话139****5678'
///
/// A text over the default text limit (64 MiB) raises `InputError` with code `INPUT_TOO_LARGE`.
#[pyfunction]
fn mask(py: Python<'_>, text: &str) -> PyResult<String> {
    cunwu_core::limits::Limits::default().check_text(text, "/text").map_err(|e| to_py_err(py, e))?;
    Ok(cunwu_core::privacy::mask(text))
}

/// The procedure as a Mermaid state diagram (`"general"` or `"party"`).
///
/// >>> import cunwu
/// >>> cunwu.procedure_diagram().splitlines()[0]
/// 'stateDiagram-v2'
#[pyfunction]
#[pyo3(signature = (pipeline = "general"))]
fn procedure_diagram(pipeline: &str) -> String {
    let p = if pipeline == "party" {
        cunwu_core::procedure::Pipeline::Party
    } else {
        cunwu_core::procedure::Pipeline::General
    };
    cunwu_core::procedure::mermaid(p)
}

/// What `__reduce__` returns: the function that rebuilds the object, and its arguments.
type Reduced<'py, A> = (Bound<'py, PyAny>, A);

/// Rule files as `(path, text)` pairs.
type FilePairs = Vec<(String, String)>;

/// Rebuild a catalogue from `(path, text)` pairs and its limits as JSON (the pickle path of
/// `Catalogue`).
#[pyfunction]
#[pyo3(signature = (files, limits = None))]
fn _catalogue_from_files(py: Python<'_>, files: Vec<(String, String)>, limits: Option<String>) -> PyResult<Catalogue> {
    let catalogue = Catalogue::from_sources(py, files.into_iter().map(|(p, t)| SourceFile::new(p, t)).collect())?;
    match limits {
        None => Ok(catalogue),
        Some(text) => {
            let limits = serde_json::from_str(&text).map_err(|e| to_py_err(py, internal_json(e)))?;
            Ok(Catalogue { rules: Arc::new((*catalogue.rules).clone().with_limits(limits)) })
        }
    }
}

fn internal_json(e: serde_json::Error) -> Error {
    Error::Input(InputError::InvalidRequest { pointer: String::new(), message: e.to_string() })
}

/// Rebuild a value of one of the data classes from its JSON (the pickle path).
#[pyfunction]
fn _from_json(py: Python<'_>, class: &str, text: &str) -> PyResult<Py<PyAny>> {
    let bad = |e: serde_json::Error| {
        to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: String::new(), message: e.to_string() }))
    };
    Ok(match class {
        "EffectiveCatalogue" => {
            Py::new(py, EffectiveCatalogue { inner: serde_json::from_str(text).map_err(bad)? })?.into_any()
        }
        "CatalogueChanges" => {
            Py::new(py, CatalogueChanges { inner: serde_json::from_str(text).map_err(bad)? })?.into_any()
        }
        "UnitAssessment" => {
            Py::new(py, compliance::UnitAssessment { inner: serde_json::from_str(text).map_err(bad)? })?.into_any()
        }
        "AssessmentBatch" => {
            Py::new(py, compliance::AssessmentBatch { inner: serde_json::from_str(text).map_err(bad)? })?.into_any()
        }
        "ComplianceReport" => {
            Py::new(py, compliance::ComplianceReport { inner: Arc::new(serde_json::from_str(text).map_err(bad)?) })?
                .into_any()
        }
        _ => Py::new(py, DiagnosticInfo { inner: serde_json::from_str(text).map_err(bad)? })?.into_any(),
    })
}

fn reduce_json<'py, T: serde::Serialize>(
    py: Python<'py>,
    class: &str,
    value: &T,
) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
    let text = serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok((py.import("cunwu._cunwu")?.getattr("_from_json")?, (class.to_string(), text)))
}

/// Test hook: panics inside the guard, to prove a panic never reaches Python as anything but
/// `cunwu.InternalError`.
#[pyfunction]
#[allow(clippy::panic)]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || panic!("deliberate panic for the test suite"))
}

/// The one table of Chinese names every surface shows — case stages and events, objection
/// stages, events, levels, outcomes and deadlines, deadline rules, roles, relations, unit and
/// affair kinds, cadences, channels, finding kinds, day kinds — as `{table: {json_name: 中文}}`.
///
/// >>> import cunwu
/// >>> cunwu.labels()["case_stage"]["closed"]
/// '审查通过'
/// >>> cunwu.labels()["outcome"]["upheld"]
/// '异议成立'
#[pyfunction]
fn labels(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    json_to_py(py, &cunwu_core::names::labels().tables)
}

/// Every error and warning code cunwu can return, as `(area, code)` pairs.
///
/// >>> import cunwu
/// >>> ("calendar", "CALENDAR_HORIZON") in cunwu.error_codes()
/// True
#[pyfunction]
fn error_codes() -> Vec<(String, String)> {
    api::error_codes().into_iter().map(|c| (c.area, c.code)).collect()
}

#[pymodule]
fn _cunwu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Catalogue>()?;
    m.add_class::<EffectiveCatalogue>()?;
    m.add_class::<CatalogueChanges>()?;
    m.add_class::<DiagnosticInfo>()?;
    m.add_class::<DisclosureCase>()?;
    m.add_class::<Objection>()?;
    m.add_class::<compliance::UnitAssessment>()?;
    m.add_class::<compliance::AssessmentBatch>()?;
    m.add_class::<compliance::ComplianceReport>()?;
    m.add_function(wrap_pyfunction!(mask, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(submission_schema, m)?)?;
    m.add_function(wrap_pyfunction!(procedure_diagram, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(labels, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_catalogue_from_files, m)?)?;
    m.add_function(wrap_pyfunction!(_from_json, m)?)?;
    Ok(())
}

/// City-wide compliance (考评) for Python: assessments as objects that pickle (so worker
/// processes can return them), the batch call releasing the GIL.
mod compliance {
    use super::*;
    use cunwu_core::compliance as core;

    /// Where records come from: a folder path (str or `os.PathLike`) or a dict of row lists,
    /// or record files given as `{name: text}`.
    /// Every source is bounded by `limits`: a file (`files=`, a folder's) by its bytes and lines,
    /// rows in memory by the size of their JSON text (`INPUT_TOO_LARGE`, nothing assessed).
    pub(super) fn dataset(
        py: Python<'_>,
        limits: &cunwu_core::limits::Limits,
        records: Option<&Bound<'_, PyAny>>,
        files: Option<std::collections::BTreeMap<String, String>>,
    ) -> PyResult<core::Dataset> {
        let records = match (records, files) {
            (Some(r), None) => r,
            (None, Some(files)) => {
                api::check_file_list(files.keys().map(String::as_str), "/files").map_err(|e| to_py_err(py, e))?;
                for (path, text) in &files {
                    let within = limits
                        .check_text(text, &format!("/files/{path}"))
                        .and_then(|()| limits.check_lines(text, &format!("/files/{path}")));
                    within.map_err(|e| to_py_err(py, e))?;
                }
                let sources: Vec<SourceFile> = files.into_iter().map(|(p, t)| SourceFile::new(p, t)).collect();
                return run(py, move || core::Dataset::from_sources(&sources));
            }
            (records, _) => {
                let message =
                    if records.is_some() { "give records or files, not both" } else { "give records or files" };
                return Err(to_py_err(
                    py,
                    Error::Input(InputError::InvalidRequest { pointer: "/records".into(), message: message.into() }),
                ));
            }
        };
        let os = py.import("os")?;
        if records.is_instance_of::<PyString>() || records.is_instance(&os.getattr("PathLike")?)? {
            let path: std::path::PathBuf = records.extract()?;
            let limits = *limits;
            return run(py, move || cunwu_core::fs::read_records_dataset_with(&path, &limits))?
                .map_err(|d| diagnostics_err(py, &d));
        }
        let value: serde_json::Value = from_py_within(py, records, "/records", limits)?;
        run(py, move || core::Dataset::from_json(&value))
    }

    pub(super) fn as_of(
        py: Python<'_>,
        rules: &RuleSet,
        year: i32,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NaiveDate> {
        match as_of {
            Some(d) => extract_date(py, d, "/as_of"),
            None => Ok(core::default_as_of(rules, year)),
        }
    }

    fn units_py(py: Python<'_>, units: &[core::UnitAssessment]) -> PyResult<Vec<Py<UnitAssessment>>> {
        units.iter().map(|u| Py::new(py, UnitAssessment { inner: u.clone() })).collect()
    }

    /// One unit's assessment: its findings (each with its explanation), score and grade.
    ///
    /// >>> import cunwu
    /// >>> rules = cunwu.Catalogue.bundled()
    /// >>> unit = {"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}
    /// >>> a = rules.assess_unit(unit, {"postings": [{"unit": "v1", "item": "finance.income-expenditure",
    /// ...     "period": "2026-01", "posted": "2026-03-02"}]}, year=2026, as_of="2026-03-10")
    /// >>> [(f["kind"], f["days"]) for f in a.findings if f["period"] == "2026-01"]
    /// [('late', 6), ('not_filed', 1)]
    /// >>> a.grade_zh, a.score  # 100 − 60 (missing, capped) − 2.2 (late 1 + 6 × 0.2) − 2 (not filed)
    /// ('不合格', Decimal('35.8'))
    #[pyclass(frozen, module = "cunwu")]
    pub(super) struct UnitAssessment {
        pub(super) inner: core::UnitAssessment,
    }

    #[pymethods]
    impl UnitAssessment {
        /// The unit's id.
        #[getter]
        fn id(&self) -> &str {
            &self.inner.unit.id
        }
        /// The unit's name.
        #[getter]
        fn name(&self) -> &str {
            &self.inner.unit.name
        }
        /// The registry row (`id`, `name`, `kind`, `township`, `district`).
        #[getter]
        fn unit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.unit)
        }
        /// The score, exact (`decimal.Decimal`).
        #[getter]
        fn score<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            py.import("decimal")?.getattr("Decimal")?.call1((self.inner.score.points.to_string(),))
        }
        /// The grade's id (`excellent`, `good`, `pass`, `fail` under the default scheme).
        #[getter]
        fn grade(&self) -> &str {
            &self.inner.score.grade
        }
        /// The grade's name (`优秀`, `良好`, `合格`, `不合格` under the default scheme).
        #[getter]
        fn grade_zh(&self) -> &str {
            &self.inner.score.grade_zh
        }
        /// The rank in the report (1 = best), once rolled up.
        #[getter]
        fn rank(&self) -> Option<u32> {
            self.inner.rank
        }
        /// Obligations checked.
        #[getter]
        fn obligations(&self) -> u32 {
            self.inner.obligations
        }
        /// The findings, as dicts (`kind`, `responsible`, `item`, `period`, `days`, `explanation`...).
        #[getter]
        fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.findings)
        }
        /// Records of the unit that matched no obligation.
        #[getter]
        fn problems(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
            diagnostics(py, self.inner.problems.clone())
        }
        /// The assessment as a JSON-compatible dict.
        fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner)
        }
        /// An assessment from its dict.
        #[staticmethod]
        fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
            Ok(UnitAssessment { inner: from_py(py, data, "")? })
        }
        fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
            other.cast::<UnitAssessment>().is_ok_and(|o| o.get().inner == self.inner)
        }
        fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
            reduce_json(py, "UnitAssessment", &self.inner)
        }
        fn __repr__(&self) -> String {
            format!(
                "<UnitAssessment {} {} score={} {} findings={}>",
                self.inner.unit.id,
                self.inner.unit.name,
                self.inner.score.points,
                self.inner.score.grade_zh,
                self.inner.findings.len()
            )
        }
    }

    /// Units evaluated and scored but not yet ranked: what a worker returns for its partition
    /// (a district, say). Pickles; combine partitions with `Catalogue.roll_up`.
    ///
    /// >>> import cunwu, pickle
    /// >>> rules = cunwu.Catalogue.bundled()
    /// >>> batch = rules.assess_units("examples/compliance", year=2026, as_of="2026-12-24")
    /// >>> len(batch), pickle.loads(pickle.dumps(batch)) == batch
    /// (18, True)
    #[pyclass(frozen, module = "cunwu")]
    pub(super) struct AssessmentBatch {
        pub(super) inner: core::UnitBatch,
    }

    #[pymethods]
    impl AssessmentBatch {
        /// The year assessed.
        #[getter]
        fn year(&self) -> i32 {
            self.inner.year
        }
        /// The assessment date.
        #[getter]
        fn as_of(&self) -> NaiveDate {
            self.inner.as_of
        }
        /// Records read.
        #[getter]
        fn records(&self) -> u64 {
            self.inner.records
        }
        /// The units.
        #[getter]
        fn units(&self, py: Python<'_>) -> PyResult<Vec<Py<UnitAssessment>>> {
            units_py(py, &self.inner.units)
        }
        /// Problems with the records (bad rows with file and line, unknown units...).
        #[getter]
        fn problems(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
            diagnostics(py, self.inner.problems.clone())
        }
        fn __len__(&self) -> usize {
            self.inner.units.len()
        }
        /// The batch as a JSON-compatible dict.
        fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner)
        }
        /// A batch from its dict.
        #[staticmethod]
        fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
            Ok(AssessmentBatch { inner: from_py(py, data, "")? })
        }
        fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
            other.cast::<AssessmentBatch>().is_ok_and(|o| o.get().inner == self.inner)
        }
        fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
            reduce_json(py, "AssessmentBatch", &self.inner)
        }
        fn __repr__(&self) -> String {
            format!(
                "<AssessmentBatch {} as of {}: {} units, {} problems>",
                self.inner.year,
                self.inner.as_of,
                self.inner.units.len(),
                self.inner.problems.len()
            )
        }
    }

    /// A city-wide compliance report: units ranked, roll-ups by township, district and city,
    /// and the record problems; renders as a table, CSV or a self-contained HTML page.
    ///
    /// >>> import cunwu
    /// >>> report = cunwu.Catalogue.bundled().assess("examples/compliance", year=2026, as_of="2026-12-24")
    /// >>> report.city["units"], [d["name"] for d in report.districts]
    /// (18, ['黔江区', '万州区'])
    /// >>> report.worst(1)[0].rank
    /// 18
    /// >>> report.to_html().startswith("<!DOCTYPE html>")
    /// True
    #[pyclass(frozen, module = "cunwu")]
    pub(super) struct ComplianceReport {
        pub(super) inner: Arc<core::ComplianceReport>,
    }

    #[pymethods]
    impl ComplianceReport {
        /// The year assessed.
        #[getter]
        fn year(&self) -> i32 {
            self.inner.year
        }
        /// The assessment date.
        #[getter]
        fn as_of(&self) -> NaiveDate {
            self.inner.as_of
        }
        /// Records read.
        #[getter]
        fn records(&self) -> u64 {
            self.inner.records
        }
        /// The scoring scheme applied city-wide, as a dict.
        #[getter]
        fn scheme<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.scheme)
        }
        /// The whole city's figures, as a dict.
        #[getter]
        fn city<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.city)
        }
        /// The districts, ranked, as dicts.
        #[getter]
        fn districts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.districts)
        }
        /// The townships, ranked, as dicts.
        #[getter]
        fn townships<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &self.inner.townships)
        }
        /// Every unit, ranked (best first).
        #[getter]
        fn units(&self, py: Python<'_>) -> PyResult<Vec<Py<UnitAssessment>>> {
            units_py(py, &self.inner.units)
        }
        /// Problems with the records.
        #[getter]
        fn problems(&self, py: Python<'_>) -> PyResult<Vec<Py<DiagnosticInfo>>> {
            diagnostics(py, self.inner.problems.clone())
        }
        /// The `n` worst units, worst first.
        #[pyo3(signature = (n = 10))]
        fn worst(&self, py: Python<'_>, n: usize) -> PyResult<Vec<Py<UnitAssessment>>> {
            let worst: Vec<core::UnitAssessment> = self.inner.worst(n).cloned().collect();
            units_py(py, &worst)
        }
        /// The report as a terminal table.
        #[pyo3(signature = (worst = 10))]
        fn to_table(&self, worst: usize) -> String {
            core::render::table(&self.inner, worst)
        }
        /// CSV: one row per unit, or with `findings=True` one row per finding.
        #[pyo3(signature = (findings = false))]
        fn to_csv(&self, findings: bool) -> String {
            if findings { core::render::findings_csv(&self.inner) } else { core::render::units_csv(&self.inner) }
        }
        /// A self-contained HTML page (charts as inline SVG, a page per unit).
        #[pyo3(signature = (worst = 10))]
        fn to_html(&self, py: Python<'_>, worst: usize) -> PyResult<String> {
            let report = Arc::clone(&self.inner);
            run(py, move || core::render::html(&report, worst))
        }
        /// The report as a JSON-compatible dict.
        fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            json_to_py(py, &*self.inner)
        }
        /// A report from its dict.
        #[staticmethod]
        fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
            Ok(ComplianceReport { inner: Arc::new(from_py(py, data, "")?) })
        }
        fn __len__(&self) -> usize {
            self.inner.units.len()
        }
        fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
            let units = units_py(py, &self.inner.units)?;
            Ok(pyo3::types::PyList::new(py, units)?.try_iter()?.into_any().unbind())
        }
        fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
            other.cast::<ComplianceReport>().is_ok_and(|o| o.get().inner == self.inner)
        }
        fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
            reduce_json(py, "ComplianceReport", &*self.inner)
        }
        fn __repr__(&self) -> String {
            format!(
                "<ComplianceReport {} as of {}: {} units, mean score {}, {} problems>",
                self.inner.year,
                self.inner.as_of,
                self.inner.city.units,
                self.inner.city.mean_score,
                self.inner.problems.len()
            )
        }
    }

    pub(super) fn batch(
        py: Python<'_>,
        rules: &Arc<RuleSet>,
        data: core::Dataset,
        year: i32,
        as_of: NaiveDate,
    ) -> PyResult<core::UnitBatch> {
        let rules = Arc::clone(rules);
        run(py, move || core::assess_batch(&rules, &data, year, as_of))?.map_err(|e| to_py_err(py, e))
    }

    pub(super) fn report(
        py: Python<'_>,
        rules: &Arc<RuleSet>,
        batches: Vec<core::UnitBatch>,
    ) -> PyResult<ComplianceReport> {
        let rules = Arc::clone(rules);
        let report = run(py, move || core::roll_up_batches(&rules, batches))?.map_err(|e| to_py_err(py, e))?;
        Ok(ComplianceReport { inner: Arc::new(report) })
    }
}

/// The logs of a `due_between` argument: objects of the class `P` are read in place (each copied
/// once under its own lock, no lock held across the call), texts replayed with `replay` under the
/// key and against their heads when heads are given (one per log; a log that cannot be read is a
/// problem at `/<name>/<i>`, not an error of the call).
fn read_logs<'py, P, M>(
    py: Python<'py>,
    (given, heads, key): (Option<&Bound<'py, PyAny>>, Option<&[String]>, &Option<cunwu_core::log::ChainKey>),
    (name, class): (&str, &str),
    problems: &mut Vec<cunwu_core::Diagnostic>,
    replay: impl Fn(&str, &cunwu_core::log::ReadOptions) -> Result<cunwu_core::log::Journal<M>, cunwu_core::log::LogError>,
    copy: impl Fn(&Bound<'py, P>) -> PyResult<cunwu_core::log::Journal<M>>,
) -> PyResult<Vec<cunwu_core::log::Journal<M>>>
where
    P: pyo3::PyClass,
    M: cunwu_core::log::Machine,
{
    let Some(given) = given else { return Ok(Vec::new()) };
    if given.is_instance_of::<PyString>() || given.is_instance_of::<pyo3::types::PyBytes>() {
        let message = format!("{name} must be a list of {class} objects or JSON Lines texts, not one text");
        return Err(to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: format!("/{name}"), message })));
    }
    let items: Vec<Bound<'py, PyAny>> = given.try_iter()?.collect::<PyResult<_>>()?;
    let heads = heads.unwrap_or_default();
    if !heads.is_empty() && heads.len() != items.len() {
        let message = format!("{} heads for {} logs: give one head per log, or none", heads.len(), items.len());
        let pointer = format!("/{}_heads", name.trim_end_matches('s'));
        return Err(to_py_err(py, Error::Input(InputError::InvalidRequest { pointer, message })));
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Ok(object) = item.cast::<P>() {
            out.push(copy(object)?);
            continue;
        }
        let text: String = item.extract().map_err(|_| {
            let message = format!("{name}[{i}] is neither a {class} nor its JSON Lines text");
            to_py_err(py, Error::Input(InputError::InvalidRequest { pointer: format!("/{name}/{i}"), message }))
        })?;
        let expected_head = match heads.get(i) {
            Some(h) => Some(h.parse::<cunwu_core::log::Head>().map_err(|e| to_py_err(py, Error::Log(e)))?),
            None => None,
        };
        let options = cunwu_core::log::ReadOptions { expected_head, key: key.clone() };
        match guard(py, || replay(&text, &options))? {
            Ok(journal) => out.push(journal),
            Err(e) => problems.extend(Error::from(e).diagnostics().into_iter().take(1).map(|mut d| {
                d.location.pointer = Some(format!("/{name}/{i}{}", d.location.pointer.unwrap_or_default()));
                d
            })),
        }
    }
    Ok(out)
}
