//! 到期与逾期 — the nightly question, city-wide: what is due between two days, and what is overdue
//! by the last of them, over many units, open cases and open objections at once. Only the matching
//! obligations come back, sorted; no unit's whole schedule is built into the answer.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::UnitKind;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::objection::{Objection, ObjectionStage, ObjectionStatusOptions, Subject};
use crate::procedure::{DisclosureCase, Pipeline, Stage, StatusOptions, UnitRef};
use crate::rules::RuleSet;
use crate::schedule::{ScheduleOptions, Scheduler};

/// Where an entry stands on the window's last day. A schedule's obligation is always `due` (the
/// schedule does not know what was published); a case's step is overdue once its day has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Due on a day of the window (its last day not passed by the window's end).
    Due,
    /// Its last day passed and it is not done.
    Overdue,
    /// Overdue by more than `procedure.very_overdue_days` (严重逾期).
    VeryOverdue,
}

/// One obligation due or overdue: of a unit's schedule (an item to publish for a period), or of an
/// open case (a step of the procedure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEntry {
    /// Its last day.
    pub date: NaiveDate,
    /// Due or overdue on the window's last day.
    pub state: DueState,
    /// Days past its last day, on the window's last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// The unit's id.
    pub unit: String,
    /// The covered period's label (an objection's: its case's period, when it concerns one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The item, for a schedule's obligation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The case's id, for a case's step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The objection's id, for an objection's reply or re-publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection: Option<String>,
    /// The case's stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// What is due: `publication` for a schedule's obligation, the deadline rule of a case's step
    /// (`filing`, `review`, `republication`, …), or an objection's `reply` or `republication`.
    pub deadline: String,
    /// Whether the date rests on an estimated calendar.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
}

/// What [`due_between`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueList {
    /// The window's first day.
    pub from: NaiveDate,
    /// The window's last day.
    pub until: NaiveDate,
    /// The entries, by date, then unit, then period, item and case.
    pub entries: Vec<DueEntry>,
    /// Units and cases that could not be looked at, each with its reason (an unknown district, a
    /// date past the calendar): never skipped without a word. Always present, empty when all
    /// were looked at.
    #[serde(default)]
    pub problems: Vec<Diagnostic>,
}

/// What [`due_between`] looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct DueInput<'a> {
    /// The units, for their schedules' obligations.
    pub units: &'a [UnitRef],
    /// Cases (open ones for their steps; any, for what their plans cover).
    pub cases: &'a [&'a DisclosureCase],
    /// Objections (open ones, for their reply and re-publication deadlines).
    pub objections: &'a [&'a Objection],
}

/// Options of [`due_between`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueOptions {
    /// Past the published calendar, estimate (weekends only; entries say `estimated`).
    pub estimate: bool,
}

/// What is due between `from` and `until` (both counted), and what is overdue on `until`:
///
/// - for each of `units`, the items its schedule says must be published with a last day in the
///   window, except those a case of `cases` covers by its plan (an open case's steps stand for
///   them; a closed one published them);
/// - for each of `cases` not closed, every step with a deadline on or before `until`: due when
///   the deadline falls in the window, overdue when it has passed (a case's deadline before
///   `from` that is still open is overdue, not left out);
/// - for each of `objections` still open, its reply deadline (awaiting a reply) or its
///   re-publication deadline (correction ordered), due or overdue the same way. The appeal
///   window is the objector's prompt, not an obligation, and is not listed.
///
/// A unit whose schedule cannot be computed, or a case whose status cannot, is a problem in the
/// answer, not an error of the call.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::{RuleSet, UnitKind, due::{due_between, DueInput, DueOptions}, procedure::UnitRef};
/// let rules = RuleSet::bundled().unwrap();
/// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// let units = [UnitRef { id: "v1".into(), kind: UnitKind::Village, district: None, name: None }];
/// let input = DueInput { units: &units, ..Default::default() };
/// let list = due_between(&rules, input, d("2026-04-01"), d("2026-04-30"), DueOptions::default()).unwrap();
/// assert!(list.entries.iter().any(|e| e.item.as_deref() == Some("finance.income-expenditure")
///     && e.period.as_deref() == Some("2026-03")));
/// assert!(list.entries.windows(2).all(|w| w[0].date <= w[1].date));
/// ```
pub fn due_between(
    rules: &RuleSet,
    input: DueInput<'_>,
    from: NaiveDate,
    until: NaiveDate,
    options: DueOptions,
) -> Result<DueList, Error> {
    let DueInput { units, cases, objections } = input;
    // The calendar listing's bound (`calendar_span`, docs/limits.md).
    if !(0..=3660).contains(&(until - from).num_days()) {
        return Err(Error::Input(crate::error::InputError::InvalidRequest {
            pointer: "/until".into(),
            message: "`until` must be on or after `from`, at most 3660 days later".into(),
        }));
    }
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    // A unit or a log given twice is counted once, and said.
    let mut by_id: HashMap<&str, &UnitRef> = HashMap::new();
    let mut twice: Vec<&str> = Vec::new();
    let units: Vec<&UnitRef> = units
        .iter()
        .filter(|u| match by_id.entry(u.id.as_str()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(u);
                true
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                twice.push(u.id.as_str());
                false
            }
        })
        .collect();
    if !twice.is_empty() {
        problems.push(input_problem(
            "/units",
            format!("单位 {} 重复列出，只计一次", shown(&twice)),
            format!("units listed more than once, counted once: {}", shown(&twice)),
        ));
    }
    let cases = distinct(cases, |c| c.id(), "/cases", "案件", "cases", &mut problems);
    let objections =
        distinct(objections, |o| o.state().id.as_str(), "/objections", "异议", "objections", &mut problems);
    // A case about a unit of the list must agree with it on the kind of unit, or its plan would be
    // matched against another kind's schedule.
    let mut mismatched = Vec::new();
    let units_of_logs = cases.iter().map(|c| &c.state().unit).chain(objections.iter().map(|o| &o.state().unit));
    for unit in units_of_logs {
        if by_id.get(unit.id.as_str()).is_some_and(|u| u.kind != unit.kind) && !mismatched.contains(&unit.id.as_str()) {
            mismatched.push(unit.id.as_str());
        }
    }
    if !mismatched.is_empty() {
        problems.push(input_problem(
            "/cases",
            format!("单位 {} 在案件或异议中与单位列表中的类型不同：其案件不抵扣单位的公开事项", shown(&mismatched)),
            format!(
                "units whose cases or objections give another kind of unit than the units list: their cases cover none of their items: {}",
                shown(&mismatched)
            ),
        ));
    }
    // The units' schedules, one per (kind, district) and year, and their obligations due in the
    // window.
    let mut groups: BTreeMap<(UnitKind, Option<&str>), Vec<&UnitRef>> = BTreeMap::new();
    for u in units {
        groups.entry((u.kind, u.district.as_deref())).or_default().push(u);
    }
    let mut scheduler = Scheduler::new(rules);
    let schedule_options = ScheduleOptions { explain: false, estimate: options.estimate };
    let years = chrono::Datelike::year(&from)..=chrono::Datelike::year(&until);
    let mut schedules = Vec::new();
    for ((kind, district), members) in groups {
        for year in years.clone() {
            match scheduler.schedule(kind, year, district, &schedule_options) {
                Ok(s) => schedules.push((members.clone(), s)),
                Err(e) => problems.extend(unit_problems(&members, &e)),
            }
        }
    }
    let in_window = |o: &&crate::schedule::Obligation| o.due.date.is_some_and(|d| (from..=until).contains(&d));
    let wanted: HashSet<(&str, &str)> = schedules
        .iter()
        .flat_map(|(_, s)| s.obligations.iter().filter(in_window).map(|o| (o.item.as_str(), o.covers.label.as_str())))
        .collect();
    // What the cases cover of those, by unit: a planned item under each period label it is due
    // for (a Q1 plan's monthly item covers "2026-03"; an item planned beyond what is due, its
    // case's period), worked out once per kind of case. An open case's steps stand for them; a
    // closed case published them.
    let open: Vec<&DisclosureCase> = cases.iter().copied().filter(|c| c.state().stage != Stage::Closed).collect();
    type KindOfCase<'a> = (UnitKind, Option<&'a str>, &'a str, Pipeline);
    let mut coverable: HashMap<KindOfCase<'_>, Vec<(&str, &str)>> = HashMap::new();
    let mut covered: HashSet<(&str, &str, &str)> = HashSet::new();
    for case in cases.iter().filter(|_| !wanted.is_empty()) {
        let state = case.state();
        if mismatched.contains(&state.unit.id.as_str()) {
            continue;
        }
        let Some(plan) = &state.plan else { continue };
        let key = (state.unit.kind, state.unit.district.as_deref(), state.period.as_str(), state.pipeline);
        let pairs = coverable.entry(key).or_insert_with(|| {
            let due = crate::procedure::due_labels(rules, state);
            wanted
                .iter()
                .copied()
                .filter(|(item, label)| match due.get(*item) {
                    Some(labels) => labels.iter().any(|l| l == label),
                    None => *label == state.period,
                })
                .collect()
        });
        for (item, label) in pairs.iter() {
            if plan.items.contains(*item) {
                covered.insert((state.unit.id.as_str(), item, label));
            }
        }
    }
    // Cases that could not be looked at, grouped by what is wrong (a calendar horizon reached by
    // thousands of cases is one problem naming some of them and their count).
    let mut case_problems: BTreeMap<(String, String), (Diagnostic, Vec<String>, usize)> = BTreeMap::new();
    let mut note = |case: &DisclosureCase, d: Diagnostic| {
        let slot = case_problems.entry((d.code.clone(), d.message_en.clone())).or_insert_with(|| (d, Vec::new(), 0));
        if slot.1.len() < 5 {
            slot.1.push(format!("{} {}", case.state().unit.id, case.state().period));
        }
        slot.2 += 1;
    };
    for case in open {
        let state = case.state();
        match case.status_with(rules, until, StatusOptions { estimate: options.estimate }) {
            Err(e) => e.diagnostics().into_iter().for_each(|d| note(case, d)),
            Ok(status) => {
                let mut seen = BTreeSet::new();
                for a in &status.next_actions {
                    let Some(d) = &a.deadline else { continue };
                    let Some(date) = d.date else {
                        d.error.iter().for_each(|e| note(case, e.clone()));
                        continue;
                    };
                    if date > until || !seen.insert(d.rule as u8) {
                        continue;
                    }
                    entries.push(DueEntry {
                        date,
                        state: match (d.overdue_days, d.very_overdue) {
                            (_, true) => DueState::VeryOverdue,
                            (Some(_), false) => DueState::Overdue,
                            (None, false) => DueState::Due,
                        },
                        overdue_days: d.overdue_days,
                        unit: state.unit.id.clone(),
                        period: Some(state.period.clone()),
                        item: None,
                        case: Some(case.id().to_string()),
                        objection: None,
                        stage: Some(state.stage),
                        deadline: d.rule.name().into(),
                        estimated: d.estimated,
                    });
                }
            }
        }
    }
    // Open objections: the reply awaited, or the re-publication ordered.
    let mut objection_problems: BTreeMap<(String, String), (Diagnostic, Vec<String>, usize)> = BTreeMap::new();
    for objection in objections {
        let state = objection.state();
        if matches!(state.stage, ObjectionStage::Closed | ObjectionStage::Withdrawn) {
            continue;
        }
        let mut note = |d: Diagnostic| {
            let slot =
                objection_problems.entry((d.code.clone(), d.message_en.clone())).or_insert_with(|| (d, Vec::new(), 0));
            if slot.1.len() < 5 {
                slot.1.push(state.id.chars().take(12).collect());
            }
            slot.2 += 1;
        };
        match objection.status_with(rules, until, ObjectionStatusOptions { estimate: options.estimate }) {
            Err(e) => e.diagnostics().into_iter().for_each(&mut note),
            Ok(status) => {
                let period = match &state.subject {
                    Subject::Disclosure { case: Some(c), .. } => Some(c.period.clone()),
                    _ => None,
                };
                for d in [&status.reply, &status.republication].into_iter().flatten() {
                    let Some(date) = d.date else {
                        d.error.iter().for_each(|e| note(e.clone()));
                        continue;
                    };
                    if date > until {
                        continue;
                    }
                    entries.push(DueEntry {
                        date,
                        state: if d.overdue_days.is_some() { DueState::Overdue } else { DueState::Due },
                        overdue_days: d.overdue_days,
                        unit: state.unit.id.clone(),
                        period: period.clone(),
                        item: None,
                        case: None,
                        objection: Some(state.id.clone()),
                        stage: None,
                        deadline: d.what.clone(),
                        estimated: d.estimated,
                    });
                }
            }
        }
    }
    for (mut d, examples, count) in objection_problems.into_values() {
        let more = if count > examples.len() { format!(" … ({count} in all)") } else { String::new() };
        d.message_zh = format!("异议 {}{}：{}", examples.join("、"), more.replace("in all", "件"), d.message_zh);
        d.message_en = format!("objections {}{}: {}", examples.join(", "), more, d.message_en);
        problems.push(d);
    }
    for (mut d, examples, count) in case_problems.into_values() {
        let more = if count > examples.len() { format!(" … ({count} in all)") } else { String::new() };
        d.message_zh = format!("案件 {}{}：{}", examples.join("、"), more.replace("in all", "件"), d.message_zh);
        d.message_en = format!("cases {}{}: {}", examples.join(", "), more, d.message_en);
        problems.push(d);
    }
    // An obligation whose period ended by the window's end but that has no due day (past the
    // published calendar) may be due in the window: said, once per reason, never left out quietly.
    // Counted in units, not obligations: a monthly item undated for two months is one unit's.
    let mut undated: BTreeMap<(String, String), (Diagnostic, HashSet<&str>)> = BTreeMap::new();
    for (members, schedule) in &schedules {
        for o in schedule.obligations.iter().filter(|o| o.due.date.is_none() && o.covers.until < until) {
            if let Some(e) = &o.due.error {
                let slot =
                    undated.entry((e.code.clone(), o.item.clone())).or_insert_with(|| (e.clone(), HashSet::new()));
                slot.1.extend(members.iter().map(|u| u.id.as_str()));
            }
        }
    }
    for ((_, item), (mut d, units)) in undated {
        let count = units.len();
        d.message_zh = format!("{count} 个单位的事项 {item} 没有到期日，可能在此期间到期：{}", d.message_zh);
        d.message_en =
            format!("item {item} of {count} unit(s) has no due day and may fall due in the window: {}", d.message_en);
        problems.push(d);
    }
    for (members, schedule) in &schedules {
        for o in schedule.obligations.iter().filter(in_window) {
            let Some(date) = o.due.date else { continue };
            for u in members {
                if covered.contains(&(u.id.as_str(), o.item.as_str(), o.covers.label.as_str())) {
                    continue;
                }
                entries.push(DueEntry {
                    date,
                    state: DueState::Due,
                    // The schedule does not know whether it was published: due on its day.
                    overdue_days: None,
                    unit: u.id.clone(),
                    period: Some(o.covers.label.clone()),
                    item: Some(o.item.clone()),
                    case: None,
                    objection: None,
                    stage: None,
                    deadline: "publication".into(),
                    estimated: o.due.estimated,
                });
            }
        }
    }
    entries.sort_by(|a, b| {
        (a.date, &a.unit, &a.period, &a.item, &a.case, &a.objection, &a.deadline).cmp(&(
            b.date,
            &b.unit,
            &b.period,
            &b.item,
            &b.case,
            &b.objection,
            &b.deadline,
        ))
    });
    Ok(DueList { from, until, entries, problems })
}

/// At most five ids, and how many in all.
fn shown(ids: &[&str]) -> String {
    let first: Vec<&str> = ids.iter().copied().take(5).collect();
    if ids.len() > first.len() { format!("{} … ({})", first.join(", "), ids.len()) } else { first.join(", ") }
}

/// A problem of the request (`INPUT_INVALID_REQUEST`) at `pointer`, in both languages.
fn input_problem(pointer: &str, zh: String, en: String) -> Diagnostic {
    Diagnostic {
        code: "INPUT_INVALID_REQUEST".into(),
        severity: crate::diagnostic::Severity::Error,
        message_zh: zh,
        message_en: en,
        hint_zh: None,
        hint_en: None,
        location: crate::diagnostic::Location::at_pointer(pointer),
        related: Vec::new(),
    }
}

/// `logs` without a second copy of one id (the first is kept), the copies said as a problem.
fn distinct<'a, J>(
    logs: &[&'a J],
    id: impl Fn(&J) -> &str,
    pointer: &str,
    zh: &str,
    en: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<&'a J> {
    let mut seen = HashSet::new();
    let mut twice = Vec::new();
    let mut out = Vec::with_capacity(logs.len());
    for j in logs {
        if seen.insert(id(j).to_string()) {
            out.push(*j);
        } else {
            twice.push(id(j).chars().take(12).collect::<String>());
        }
    }
    if !twice.is_empty() {
        let ids: Vec<&str> = twice.iter().map(String::as_str).collect();
        problems.push(input_problem(
            pointer,
            format!("{zh} {} 重复给出，只计第一份", shown(&ids)),
            format!("{en} given more than once, the first copy counted: {}", shown(&ids)),
        ));
    }
    out
}

fn unit_problems(members: &[&UnitRef], e: &Error) -> Vec<Diagnostic> {
    let ids: Vec<&str> = members.iter().map(|u| u.id.as_str()).take(5).collect();
    let more = if members.len() > ids.len() { format!(" … ({} in all)", members.len()) } else { String::new() };
    let mut out = e.diagnostics();
    for d in &mut out {
        d.message_zh = format!("单位 {}{}：{}", ids.join("、"), more.replace("in all", "个"), d.message_zh);
        d.message_en = format!("units {}{}: {}", ids.join(", "), more, d.message_en);
    }
    out
}
