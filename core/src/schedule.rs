//! A unit's disclosure schedule: for each item the catalogue imposes and each period it covers,
//! the due date, the earliest removal date (posting on the due date), the filing deadline and the
//! township's review deadline — each with its explanation. Event-driven items get their dates
//! from [`Scheduler::event_obligation`]. The core never reads the clock: callers pass "today".

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::catalogue::{ResolvedCatalogue, ResolvedItem};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::error::{CatalogueError, Error};
use crate::model::{AffairKind, Cadence, DisplayPeriod, LegalBasis, UnitKind};
use crate::period::{CountingRules, Deadline, Explanation, Length, display_end, fixed_day, period_end};
use crate::rules::{DistrictDef, RuleSet};

/// Codes of warnings a schedule can carry in its dates. Append only.
pub const WARNING_CODES: &[&str] = &["SCHEDULE_NO_RULE"];

/// The span of time an obligation reports on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveredPeriod {
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered.
    pub until: NaiveDate,
    /// A stable label (`2026-Q1`, `2026-03`, `2026-H1`, `2026`, or the event date).
    pub label: String,
}

impl CoveredPeriod {
    /// The label for people: the stable label, except that what follows a posting reads
    /// `张贴于 2026-04-10` (the stable label, for machines, is `posted 2026-04-10`).
    ///
    /// ```
    /// use cunwu_core::schedule::CoveredPeriod;
    /// let day = chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
    /// let p = CoveredPeriod { from: day, until: day, label: "posted 2026-04-10".into() };
    /// assert_eq!(p.label_zh(), "张贴于 2026-04-10");
    /// ```
    pub fn label_zh(&self) -> String {
        match self.label.strip_prefix("posted ") {
            Some(day) => format!("张贴于 {day}"),
            None => self.label.clone(),
        }
    }
}

/// A computed date, or why it could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateResult {
    /// The date, when it could be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// A rest day moved it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub extended: bool,
    /// It rests on days beyond the holiday data, estimated by weekday.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// How it was computed (when explanations were asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// Why there is no date (`CALENDAR_HORIZON`, `SCHEDULE_NO_RULE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
}

impl DateResult {
    fn from_deadline(d: Result<Deadline, CalendarError>, explain: bool) -> Self {
        match d {
            Ok(d) => DateResult {
                date: Some(d.date),
                extended: d.extended,
                estimated: d.explanation.estimated,
                explanation: explain.then_some(d.explanation),
                error: None,
            },
            Err(e) => DateResult::failed(Error::Calendar(e).diagnostics().into_iter().next()),
        }
    }

    fn failed(error: Option<Diagnostic>) -> Self {
        DateResult { date: None, extended: false, estimated: false, explanation: None, error }
    }

    fn no_rule(what_zh: &str, what_en: &str) -> Self {
        DateResult::failed(Some(Diagnostic {
            code: "SCHEDULE_NO_RULE".into(),
            severity: Severity::Warning,
            message_zh: format!("当时生效的规则没有规定{what_zh}"),
            message_en: format!("no rule in force fixes {what_en}"),
            hint_zh: None,
            hint_en: None,
            location: Location::default(),
            related: Vec::new(),
        }))
    }
}

/// The display an obligation needs when posted on its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayDates {
    /// The minimum display.
    pub period: DisplayPeriod,
    /// The last day it must still be up (absent for standing display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<NaiveDate>,
    /// The first day it may come down (absent for standing display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_removal: Option<NaiveDate>,
    /// How it was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// The minimum is a configurable local default (the one-month display of every finance item).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_default: bool,
}

/// One disclosure duty: an item for a covered period, and the dates that follow from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// Item id.
    pub item: String,
    /// Item name.
    pub name: String,
    /// 党务 / 政务 / 财务 / 服务.
    pub kind: AffairKind,
    /// The cadence this obligation comes from.
    pub cadence: Cadence,
    /// The period reported on.
    pub covers: CoveredPeriod,
    /// The last day to publish.
    pub due: DateResult,
    /// Display when posted on the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<DisplayDates>,
    /// The last day to file with the township (posting on the due date), if filing is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing: Option<DateResult>,
    /// The township's review deadline (filing on its last day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<DateResult>,
    /// The legal basis of the item.
    pub basis: Vec<LegalBasis>,
    /// The obligation's legal force: `binding`, or `adopted` by the district's catalogue.
    pub force: crate::model::Force,
    /// The obligation rests on a configurable local default — it reaches this kind of unit by a
    /// marked reading of a text, not its words, or its cadence is one (a quarterly rhythm no text
    /// sets): every finding built on it says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_default: bool,
    /// Who must publish it, when not the committee (the township, for 低保 and assistance lists).
    #[serde(default, skip_serializing_if = "is_committee")]
    pub responsible: crate::compliance::Responsible,
}

/// A unit's obligations for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The kind of unit.
    pub unit_kind: UnitKind,
    /// The year: obligations whose due day falls in it.
    pub year: i32,
    /// The district whose catalogue applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictDef>,
    /// The calendar data version.
    pub calendar_version: String,
    /// Obligations by due date, then item id.
    pub obligations: Vec<Obligation>,
    /// Advisory items (建议公开) for this kind of unit on 1 January: recommended, never due.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Recommendation>,
    /// Warnings from resolving the catalogue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

/// What happens on a wake-up date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WakeEvent {
    /// Item id.
    pub item: String,
    /// The covered period's label.
    pub period: String,
    /// `publishable` (the period closed), `due`, `overdue`, `removal_allowed`, `filing_overdue`,
    /// `review_overdue`.
    pub change: String,
}

/// The next date on which an obligation changes status, and what changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WakeUp {
    /// The date.
    pub date: NaiveDate,
    /// Every change on that date.
    pub events: Vec<WakeEvent>,
}

impl Schedule {
    /// The next date after `today` on which any obligation changes status, so a host system can
    /// schedule its reminders. `None` when nothing changes after `today`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cunwu_core::{RuleSet, UnitKind};
    /// use cunwu_core::schedule::{ScheduleOptions, Scheduler};
    /// let rules = RuleSet::bundled().unwrap();
    /// let s = Scheduler::new(&rules).schedule(UnitKind::Village, 2026, None, &ScheduleOptions::default()).unwrap();
    /// let wake = s.next_wake_up(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).unwrap();
    /// assert_eq!(wake.date, NaiveDate::from_ymd_opt(2026, 4, 2).unwrap());
    /// ```
    pub fn next_wake_up(&self, today: NaiveDate) -> Option<WakeUp> {
        let mut by_date: BTreeMap<NaiveDate, Vec<WakeEvent>> = BTreeMap::new();
        let mut add = |date: Option<NaiveDate>, o: &Obligation, change: &str| {
            if let Some(d) = date.filter(|d| *d > today) {
                by_date.entry(d).or_default().push(WakeEvent {
                    item: o.item.clone(),
                    period: o.covers.label.clone(),
                    change: change.into(),
                });
            }
        };
        for o in &self.obligations {
            add(o.covers.until.succ_opt(), o, "publishable");
            add(o.due.date, o, "due");
            add(o.due.date.and_then(|d| d.succ_opt()), o, "overdue");
            add(o.display.as_ref().and_then(|d| d.earliest_removal), o, "removal_allowed");
            add(o.filing.as_ref().and_then(|f| f.date).and_then(|d| d.succ_opt()), o, "filing_overdue");
            add(o.review.as_ref().and_then(|f| f.date).and_then(|d| d.succ_opt()), o, "review_overdue");
        }
        by_date.into_iter().next().map(|(date, events)| WakeUp { date, events })
    }
}

/// Choices for computing a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptions {
    /// Attach explanations to every date (default true).
    pub explain: bool,
    /// Estimate days beyond the holiday data (weekends only) instead of leaving them undated.
    pub estimate: bool,
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions { explain: true, estimate: false }
    }
}

/// Computes schedules against one rule set, sharing what units of the same kind and district
/// have in common: resolved catalogues per date, and whole schedules per (kind, district, year).
///
/// Identical inputs give identical schedules, so 11,145 units in a handful of (kind, district)
/// groups cost a handful of computations.
pub struct Scheduler<'r> {
    rules: &'r RuleSet,
    contexts: BTreeMap<ContextKey, Arc<Context>>,
    schedules: BTreeMap<ScheduleKey, Arc<Schedule>>,
}

/// A resolved catalogue with the counting rules of each kind of deadline, built once per period
/// of unchanging rules.
struct Context {
    cat: ResolvedCatalogue,
    due: CountingRules,
    filing: CountingRules,
    review: CountingRules,
}

/// Unit kind, district, first day of the rules' epoch, estimate, explain.
type ContextKey = (UnitKind, Option<String>, NaiveDate, bool, bool);

/// What makes two schedules identical: unit kind, district, year, explain, estimate.
type ScheduleKey = (UnitKind, Option<String>, i32, bool, bool);

fn quarter_label(year: i32, q: u32) -> String {
    format!("{year}-Q{q}")
}

impl<'r> Scheduler<'r> {
    /// A scheduler over `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Scheduler { rules, contexts: BTreeMap::new(), schedules: BTreeMap::new() }
    }

    fn context(
        &mut self,
        unit_kind: UnitKind,
        district: Option<&str>,
        date: NaiveDate,
        options: &ScheduleOptions,
    ) -> Result<Arc<Context>, CatalogueError> {
        let key =
            (unit_kind, district.map(str::to_string), self.rules.epoch_start(date), options.estimate, options.explain);
        if let Some(c) = self.contexts.get(&key) {
            return Ok(Arc::clone(c));
        }
        let cat = (*self.rules.resolve_shared(date, district, Some(unit_kind))?).clone();
        let rules = |ext: &str| {
            CountingRules::from_catalogue(&cat, Some(ext)).with_estimate(options.estimate).with_explain(options.explain)
        };
        let (due, filing, review) =
            (rules("extension.disclosure_due"), rules("extension.filing"), rules("extension.review"));
        let ctx = Arc::new(Context { cat, due, filing, review });
        self.contexts.insert(key, Arc::clone(&ctx));
        Ok(ctx)
    }

    /// The schedule of a unit of `unit_kind` (in `district`) for `year`: every obligation whose
    /// due day falls in the year. Shared with every other call for the same arguments.
    pub fn schedule(
        &mut self,
        unit_kind: UnitKind,
        year: i32,
        district: Option<&str>,
        options: &ScheduleOptions,
    ) -> Result<Arc<Schedule>, Error> {
        let key = (unit_kind, district.map(str::to_string), year, options.explain, options.estimate);
        if let Some(s) = self.schedules.get(&key) {
            return Ok(Arc::clone(s));
        }
        let schedule = Arc::new(self.compute(unit_kind, year, district, options)?);
        self.schedules.insert(key, Arc::clone(&schedule));
        Ok(schedule)
    }

    fn compute(
        &mut self,
        unit_kind: UnitKind,
        year: i32,
        district: Option<&str>,
        options: &ScheduleOptions,
    ) -> Result<Schedule, Error> {
        let cal = self.rules.calendar()?;
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| {
            Error::Input(crate::error::InputError::InvalidRequest {
                pointer: "/year".into(),
                message: format!("{year} is not a year on the calendar"),
            })
        })?;
        let first = self.context(unit_kind, district, jan1, options)?;
        let mut obligations = Vec::new();
        for month in 1..=12u32 {
            let due_month_start =
                NaiveDate::from_ymd_opt(year, month, 1).ok_or(CatalogueError::NotInForce { as_of: jan1 })?;
            let ctx = self.context(unit_kind, district, due_month_start, options)?;
            let cat = &ctx.cat;
            let prev_end = due_month_start.pred_opt().unwrap_or(due_month_start);
            for item in cat.items.iter().filter(|i| i.applies_to(unit_kind)) {
                for cadence in &item.cadence.value {
                    let covers = match (cadence, month) {
                        (Cadence::Monthly, _) => Some(CoveredPeriod {
                            from: NaiveDate::from_ymd_opt(prev_end.year(), prev_end.month(), 1).unwrap_or(prev_end),
                            until: prev_end,
                            label: format!("{}-{:02}", prev_end.year(), prev_end.month()),
                        }),
                        (Cadence::Quarterly, 1 | 4 | 7 | 10) => {
                            let from = prev_end
                                .checked_sub_months(chrono::Months::new(2))
                                .and_then(|d| d.with_day(1))
                                .unwrap_or(prev_end);
                            Some(CoveredPeriod {
                                from,
                                until: prev_end,
                                label: quarter_label(prev_end.year(), prev_end.month().div_ceil(3)),
                            })
                        }
                        (Cadence::HalfYearly, 1 | 7) => {
                            let from = prev_end
                                .checked_sub_months(chrono::Months::new(5))
                                .and_then(|d| d.with_day(1))
                                .unwrap_or(prev_end);
                            let half = if prev_end.month() == 6 { 1 } else { 2 };
                            Some(CoveredPeriod { from, until: prev_end, label: format!("{}-H{half}", prev_end.year()) })
                        }
                        (Cadence::Annual, 1) => Some(CoveredPeriod {
                            from: NaiveDate::from_ymd_opt(prev_end.year(), 1, 1).unwrap_or(prev_end),
                            until: prev_end,
                            label: prev_end.year().to_string(),
                        }),
                        _ => None,
                    };
                    // Nothing is owed for a period that began before the item did (a district's
                    // new catalogue creates no duty for the quarter before it took effect).
                    let began = covers.as_ref().is_some_and(|c| {
                        self.context(unit_kind, district, c.from, options)
                            .is_ok_and(|at| at.cat.item(&item.id).is_some_and(|i| i.applies_to(unit_kind)))
                    });
                    if let (Some(covers), true) = (covers, began) {
                        obligations.push(periodic(cal, &ctx, item, *cadence, covers, year, month, options));
                    }
                }
            }
        }
        crate::sort::sort_by(&mut obligations, |a, b| {
            (a.due.date, &a.item, &a.covers.label).cmp(&(b.due.date, &b.item, &b.covers.label))
        });
        Ok(Schedule {
            unit_kind,
            year,
            district: first.cat.district.clone(),
            calendar_version: cal.version().to_string(),
            obligations,
            recommendations: first
                .cat
                .advisory
                .iter()
                .filter(|i| i.applies_to(unit_kind))
                .map(|i| Recommendation {
                    item: i.id.clone(),
                    name: i.name.value.clone(),
                    kind: i.kind.value,
                    cadence: i.cadence.value.clone(),
                    basis: i.basis.clone(),
                })
                .collect(),
            warnings: first.cat.warnings.clone(),
        })
    }

    /// The obligation an event creates for an event-driven item (随时公开): publish within the
    /// item's deadline of `event`, then display, file and review.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cunwu_core::{RuleSet, UnitKind};
    /// use cunwu_core::schedule::{ScheduleOptions, Scheduler};
    /// let rules = RuleSet::bundled().unwrap();
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let o = Scheduler::new(&rules)
    ///     .event_obligation(UnitKind::Village, "finance.land-compensation", d("2026-09-28"), None, &ScheduleOptions::default())
    ///     .unwrap();
    /// assert_eq!(o.due.date, Some(d("2026-10-08")));
    /// ```
    pub fn event_obligation(
        &mut self,
        unit_kind: UnitKind,
        item: &str,
        event: NaiveDate,
        district: Option<&str>,
        options: &ScheduleOptions,
    ) -> Result<Obligation, Error> {
        let cal = self.rules.calendar()?;
        let ctx = self.context(unit_kind, district, event, options)?;
        let resolved = obligation_item(&ctx.cat, item, unit_kind, event)?;
        let cadence = resolved.cadence.value.iter().copied().find(|c| c.is_event_driven()).unwrap_or(Cadence::AdHoc);
        let covers = CoveredPeriod { from: event, until: event, label: event.to_string() };
        let due = match (&resolved.before_days, &resolved.within_days) {
            (Some(b), _) => before_event(event, b, item, options.explain),
            (None, Some(w)) => {
                let mut d = period_end(cal, event, Length::Days(w.value), &ctx.due);
                if let Ok(d) = d.as_mut() {
                    d.explanation.rule =
                        Some(w.source.parameter.clone().unwrap_or_else(|| format!("{item}.within_days")));
                }
                DateResult::from_deadline(d, options.explain)
            }
            (None, None) => DateResult::no_rule("随时公开的天数", "the number of days for ad hoc disclosure"),
        };
        Ok(follow_on(cal, &ctx, resolved, cadence, covers, due, options))
    }
}

impl Scheduler<'_> {
    /// The dates that follow from posting `item` on `posted`: the earliest removal, the filing
    /// deadline and the township's review deadline (for a posting made on another day than the
    /// due date the schedule assumes).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cunwu_core::RuleSet;
    /// use cunwu_core::schedule::{ScheduleOptions, Scheduler};
    /// let rules = RuleSet::bundled().unwrap();
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let options = ScheduleOptions::default();
    /// let o = Scheduler::new(&rules)
    ///     .after_posting(cunwu_core::UnitKind::Village, "government.family-planning", d("2026-04-13"), None, &options)
    ///     .unwrap();
    /// assert_eq!(o.display.unwrap().earliest_removal, Some(d("2026-04-24")));
    /// assert_eq!(o.filing.unwrap().date, Some(d("2026-04-20")));
    /// ```
    pub fn after_posting(
        &mut self,
        unit_kind: UnitKind,
        item: &str,
        posted: NaiveDate,
        district: Option<&str>,
        options: &ScheduleOptions,
    ) -> Result<Obligation, Error> {
        let cal = self.rules.calendar()?;
        let ctx = self.context(unit_kind, district, posted, options)?;
        let resolved = obligation_item(&ctx.cat, item, unit_kind, posted)?;
        let cadence = resolved.cadence.value.first().copied().unwrap_or(Cadence::AdHoc);
        let covers = CoveredPeriod { from: posted, until: posted, label: format!("posted {posted}") };
        let due = DateResult { date: Some(posted), extended: false, estimated: false, explanation: None, error: None };
        Ok(follow_on(cal, &ctx, resolved, cadence, covers, due, options))
    }
}

/// The parameter fixing the due day of a periodic cadence (`None` for event-driven ones).
pub fn due_day_parameter(cadence: Cadence) -> Option<&'static str> {
    match cadence {
        Cadence::Monthly => Some("disclosure.monthly_due_day"),
        Cadence::Quarterly => Some("disclosure.quarterly_due_day"),
        Cadence::HalfYearly => Some("disclosure.half_yearly_due_day"),
        Cadence::Annual => Some("disclosure.annual_due_day"),
        _ => None,
    }
}

/// The obligation `item` puts on units of `kind` on `date`: an error naming why there is none
/// (no such item, an advisory item, an item for other kinds of unit).
fn obligation_item<'c>(
    cat: &'c ResolvedCatalogue,
    item: &str,
    kind: UnitKind,
    date: NaiveDate,
) -> Result<&'c ResolvedItem, Error> {
    let invalid = |message_zh: String, message_en: String| {
        Error::Input(crate::error::InputError::Unanswerable { pointer: "/item".into(), message_zh, message_en })
    };
    match (cat.item(item), cat.advisory_item(item)) {
        (Some(i), _) if i.applies_to(kind) => Ok(i),
        (Some(_), _) => Err(invalid(
            format!("事项 `{item}` 在 {date} 不适用于{}", kind.name_zh()),
            format!("item `{item}` does not apply to units of kind `{kind:?}` on {date}"),
        )),
        (None, Some(_)) => Err(invalid(
            format!("事项 `{item}` 在 {date} 是建议公开事项（所依据的文件对本单位没有约束力），不产生公开义务"),
            format!(
                "item `{item}` is advisory on {date} (建议公开: it rests on no text that binds this unit) and creates no obligation"
            ),
        )),
        (None, None) => {
            Err(invalid(format!("{date} 没有生效的事项 `{item}`"), format!("no item `{item}` is in force on {date}")))
        }
    }
}

/// The last day to publish an item due `days` before its event (`评议十日前公布`): counted back
/// from the event, the event day not counted; a rest day does not move it (moving it later would
/// shorten the notice the law requires).
fn before_event(event: NaiveDate, days: &crate::catalogue::Sourced<u32>, item: &str, explain: bool) -> DateResult {
    let Some(date) = event.checked_sub_days(chrono::Days::new(u64::from(days.value))) else {
        return DateResult::no_rule("事前公开的期限", "the deadline before the event");
    };
    let n = days.value;
    let explanation = explain.then(|| Explanation {
        rule: Some(format!("{item}.before_days")),
        steps: vec![crate::period::Step {
            date: Some(date),
            zh: format!("事项发生日 {event} 之前{n}日公布：最迟 {date}（不因休息日顺延）"),
            en: format!("published {n} days before the event on {event}: by {date} (not moved by rest days)"),
            basis: days.source.basis.clone(),
        }],
        skipped: Vec::new(),
        calendar_version: String::new(),
        estimated: false,
    });
    DateResult { date: Some(date), extended: false, estimated: false, explanation, error: None }
}

#[allow(clippy::too_many_arguments)]
fn periodic(
    cal: &Calendar,
    ctx: &Context,
    item: &ResolvedItem,
    cadence: Cadence,
    covers: CoveredPeriod,
    year: i32,
    month: u32,
    options: &ScheduleOptions,
) -> Obligation {
    let param = due_day_parameter(cadence).unwrap_or("disclosure.annual_due_day");
    let due = match ctx.cat.parameter(param).and_then(|p| p.as_number().map(|n| (n, p))) {
        Some((day, p)) => {
            let day = u32::try_from(day).unwrap_or(15);
            DateResult::from_deadline(
                fixed_day(cal, year, month, day, param, &p.source.basis, &ctx.due),
                options.explain,
            )
        }
        None => DateResult::no_rule("该频次事项的公开日", "the due day of this cadence"),
    };
    follow_on(cal, ctx, item, cadence, covers, due, options)
}

/// Display, filing and review dates that follow from posting on the due date.
fn follow_on(
    cal: &Calendar,
    ctx: &Context,
    item: &ResolvedItem,
    cadence: Cadence,
    covers: CoveredPeriod,
    due: DateResult,
    options: &ScheduleOptions,
) -> Obligation {
    let cat = &ctx.cat;
    let posted = due.date;
    let display = item.display.as_ref().map(|d| {
        let start_counted = cat.parameter("display.start_day_counted");
        let counted = matches!(start_counted.map(|p| &p.value), Some(crate::catalogue::ParamValue::Flag(true)));
        let start_basis =
            cat.parameter("period.start_day_excluded").map(|p| p.source.basis.clone()).unwrap_or_default();
        let end = posted.and_then(|p| display_end(p, d.value, counted, &d.source.basis, &start_basis));
        DisplayDates {
            period: d.value,
            last_day: end.as_ref().map(|e| e.last_day),
            earliest_removal: end.as_ref().map(|e| e.earliest_removal),
            explanation: if options.explain { end.map(|e| e.explanation) } else { None },
            local_default: d.source.local_default,
        }
    });
    let mut filing = None;
    let mut review = None;
    // The township's own 公示 (低保, assistance lists) is not filed with the township.
    if item.filed_with_township.value && item.responsible == crate::compliance::Responsible::Committee {
        let f = match (posted, cat.parameter("filing.deadline_days").and_then(|p| p.as_number())) {
            (Some(p), Some(days)) => {
                let mut d = period_end(cal, p, Length::Days(u32::try_from(days).unwrap_or(0)), &ctx.filing);
                if let Ok(d) = d.as_mut() {
                    d.explanation.rule = Some("filing.deadline_days".into());
                }
                DateResult::from_deadline(d, options.explain)
            }
            (None, _) => DateResult::failed(None),
            (_, None) => DateResult::no_rule("报乡镇备案的期限", "the filing deadline"),
        };
        let r = match (f.date, cat.parameter("review.deadline_days").and_then(|p| p.as_number())) {
            (Some(filed), Some(days)) => {
                let mut d = period_end(cal, filed, Length::Days(u32::try_from(days).unwrap_or(0)), &ctx.review);
                if let Ok(d) = d.as_mut() {
                    d.explanation.rule = Some("review.deadline_days".into());
                }
                DateResult::from_deadline(d, options.explain)
            }
            (None, _) => DateResult::failed(None),
            (_, None) => DateResult::no_rule("乡镇审查的期限", "the review deadline"),
        };
        filing = Some(f);
        review = Some(r);
    }
    Obligation {
        item: item.id.clone(),
        name: item.name.value.clone(),
        kind: item.kind.value,
        cadence,
        covers,
        due,
        display,
        filing,
        review,
        basis: item.basis.clone(),
        force: item.force,
        // A local default when the obligation reaches this kind of unit by a reading, or when its
        // cadence (the rhythm that makes it due) is one.
        local_default: item.cadence.source.local_default
            || cat.unit_kind.is_some_and(|k| item.scope.iter().any(|s| s.value == k && s.source.local_default)),
        responsible: item.responsible,
    }
}

fn is_committee(r: &crate::compliance::Responsible) -> bool {
    *r == crate::compliance::Responsible::Committee
}

/// An advisory item (建议公开) a schedule lists beside its obligations: recommended, never due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Item id.
    pub item: String,
    /// Item name.
    pub name: String,
    /// 党务 / 政务 / 财务 / 服务.
    pub kind: AffairKind,
    /// The cadence its sources suggest.
    pub cadence: Vec<Cadence>,
    /// The texts it rests on (none of which binds the unit).
    pub basis: Vec<LegalBasis>,
}
