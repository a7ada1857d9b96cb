//! Evaluation: each unit's records against its obligations, as of a date, into findings with
//! their explanations, and the score and grade the scoring scheme in force gives them.
//!
//! Every record dated after "as of" is treated as not yet made, so an assessment as of a date
//! is reproducible whatever was added later. A deadline that cannot be dated (beyond the holiday
//! data, `CALENDAR_HORIZON`) is never guessed: the check is counted as undetermined.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::records::{Dataset, Disclosure, ObjectionLevel, Origin, PeriodKey, ReplyOutcome, SubjectKind, UnitRow};
use super::{FindingKind, Responsible};
use crate::catalogue::{ParamValue, ResolvedCatalogue};
use crate::diagnostic::{Diagnostic, Location};
use crate::error::{ComplianceError, Error};
use crate::model::{DisplayPeriod, LegalBasis};
use crate::objection::{Aspect, Level, Subject, reply_rule_for};
use crate::period::{CountingRules, Length, display_end, period_end};
use crate::procedure::DeadlineRule;
use crate::rules::{RuleSet, ScoringSchemeDef};
use crate::schedule::{Obligation, Schedule, ScheduleOptions, Scheduler};

/// One date a finding compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedDate {
    /// What it is (`due`, `posted`, `earliest_removal`, `removed`, `filing_deadline`, `filed`,
    /// `review_deadline`, `reviewed`, `reply_deadline`, `replied`, `republication_deadline`,
    /// `republished`, `granted`, `as_of`).
    pub what: Cow<'static, str>,
    /// The Chinese label.
    pub label_zh: Cow<'static, str>,
    /// The date (absent: no such record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// Why a finding is a finding: the obligation, its legal basis, the dates compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The obligation, in Chinese.
    pub obligation_zh: String,
    /// The obligation, in English.
    pub obligation_en: String,
    /// The parameter applied (the deadline, the relative circle), if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<Cow<'static, str>>,
    /// The legal basis of the obligation (shared by every finding about the same item).
    pub basis: Arc<[LegalBasis]>,
    /// The legal force of the obligation for this unit: `binding`, or `adopted` by its
    /// district's catalogue. Advisory items never give findings.
    pub force: crate::model::Force,
    /// Where the texts of `basis` bind (`全国`, `重庆市`, a district).
    pub jurisdiction: Arc<[String]>,
    /// The legal basis of the parameter applied.
    #[serde(default = "no_basis", skip_serializing_if = "is_empty_basis")]
    pub parameter_basis: Arc<[LegalBasis]>,
    /// The finding rests on a configurable local default: the parameter's value, the display
    /// minimum, or the reading that extends the item to this kind of unit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_default: bool,
    /// The dates compared.
    pub compared: Vec<ComparedDate>,
    /// The conclusion, in Chinese.
    pub text_zh: String,
    /// The conclusion, in English.
    pub text_en: String,
}

/// One finding of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The type.
    pub kind: FindingKind,
    /// Who it is charged to.
    pub responsible: Responsible,
    /// The item, if it concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Arc<str>>,
    /// The item's name (for a benefit: the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_name: Option<Arc<str>>,
    /// The covered period's label (or the event date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The objection's id (reply overdue, re-publication after an upheld objection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection: Option<String>,
    /// The ladder level (reply overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Days late, short or overdue (as of the assessment date when the act is still missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The record it rests on, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Location>,
    /// Why.
    pub explanation: Explanation,
}

/// Points deducted for one finding type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// The finding type.
    pub finding: FindingKind,
    /// How many findings of it were charged.
    pub count: u32,
    /// Points deducted (after the cap).
    pub points: Decimal,
    /// The cap was reached.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capped: bool,
}

/// A unit's score under a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// The scheme's id.
    pub scheme: String,
    /// The score (full marks minus deductions, not below 0), two decimals.
    pub points: Decimal,
    /// The grade's id (`excellent`).
    pub grade: String,
    /// The grade's name (`优秀`).
    pub grade_zh: String,
    /// Deductions by finding type (types with none are left out).
    pub deductions: Vec<Deduction>,
    /// Findings that lowered the score.
    pub charged: u32,
}

/// One unit's assessment: its findings and its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAssessment {
    /// The unit.
    pub unit: UnitRow,
    /// The district catalogue applied (absent: the city-wide catalogue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// Obligations due by the assessment date and checked.
    pub obligations: u32,
    /// Checks that could not be made because a deadline could not be dated.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub undetermined: u32,
    /// Findings, in a stable order (item, period, type).
    pub findings: Vec<Finding>,
    /// The score.
    pub score: Score,
    /// The rank in the whole report (1 = best), set by the roll-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Records of this unit that matched no obligation (`COMPLIANCE_UNMATCHED_RECORD`), and
    /// whether it was judged under example rules (`COMPLIANCE_ILLUSTRATIVE_RULES`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Diagnostic>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn no_basis() -> Arc<[LegalBasis]> {
    Arc::from(Vec::new())
}

fn is_empty_basis(b: &Arc<[LegalBasis]>) -> bool {
    b.is_empty()
}

/// A deadline kind the evaluator memoizes by its start day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Rule {
    Procedure(DeadlineRule),
    Reply(&'static str),
}

impl Rule {
    fn parameter(self) -> &'static str {
        match self {
            Rule::Procedure(r) => r.parameter(),
            Rule::Reply(p) => p,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Rule::Procedure(r) => r.extension(),
            Rule::Reply(_) => "extension.reply",
        }
    }
}

/// A unit's periodic obligations, sorted for a merge with its disclosures.
struct Plan {
    schedule: Arc<Schedule>,
    /// (item index in the dataset or `u16::MAX`, period, index into `schedule.obligations`).
    entries: Vec<(u16, PeriodKey, usize)>,
}

/// Values memoized per (key, day): one table per key indexed by days since `base` (a lookup
/// is an index, not a hash), and a map for days outside the tables' span.
struct DayMemo<K> {
    base: NaiveDate,
    tables: Vec<(K, Vec<Option<Dated>>)>,
    other: HashMap<(K, NaiveDate), Dated>,
}

/// Days a table spans from its base (about six years around the assessed year).
const MEMO_SPAN: i64 = 366 * 6;

impl<K: Copy + PartialEq + Eq + std::hash::Hash> DayMemo<K> {
    fn new(year: i32) -> Self {
        let base = NaiveDate::from_ymd_opt(year - 2, 1, 1).unwrap_or(NaiveDate::MIN);
        DayMemo { base, tables: Vec::new(), other: HashMap::new() }
    }

    fn index(&self, day: NaiveDate) -> Option<usize> {
        let i = (day - self.base).num_days();
        if (0..MEMO_SPAN).contains(&i) { usize::try_from(i).ok() } else { None }
    }

    fn get(&self, key: K, day: NaiveDate) -> Option<Dated> {
        match self.index(day) {
            Some(i) => self.tables.iter().find(|(k, _)| *k == key).and_then(|(_, t)| t.get(i).copied().flatten()),
            None => self.other.get(&(key, day)).copied(),
        }
    }

    fn insert(&mut self, key: K, day: NaiveDate, value: Dated) {
        let Some(i) = self.index(day) else {
            self.other.insert((key, day), value);
            return;
        };
        let at = match self.tables.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.tables.push((key, vec![None; usize::try_from(MEMO_SPAN).unwrap_or(0)]));
                self.tables.len() - 1
            }
        };
        if let Some(slot) = self.tables.get_mut(at).and_then(|(_, t)| t.get_mut(i)) {
            *slot = Some(value);
        }
    }
}

/// An act due by a deadline, as of the assessment date: not done and the deadline passed, or
/// done after it. `days` counts past the deadline (to the assessment date, or to the act).
#[derive(Debug, Clone, Copy)]
enum Overdue {
    NotDone { days: i64 },
    Late { on: NaiveDate, days: i64 },
}

impl Overdue {
    fn of(deadline: NaiveDate, act: Option<NaiveDate>, as_of: NaiveDate) -> Option<Overdue> {
        match act {
            None if as_of > deadline => Some(Overdue::NotDone { days: (as_of - deadline).num_days() }),
            Some(on) if on > deadline => Some(Overdue::Late { on, days: (on - deadline).num_days() }),
            _ => None,
        }
    }

    fn days(self) -> i64 {
        match self {
            Overdue::NotDone { days } | Overdue::Late { days, .. } => days,
        }
    }

    fn act(self) -> Option<NaiveDate> {
        match self {
            Overdue::NotDone { .. } => None,
            Overdue::Late { on, .. } => Some(on),
        }
    }
}

/// A parameter with its legal basis and whether its value is a local default.
type ParamInfo = (&'static str, Arc<[LegalBasis]>, bool);

/// What every finding about one item shares: its id, name and basis.
/// An item's id, name, basis and jurisdiction, and whether it reaches the slot's kind of unit
/// only by a marked reading (`scope_by_reading`).
type ItemShared = (Arc<str>, Arc<str>, Arc<[LegalBasis]>, Arc<[String]>, bool);

/// A computed deadline: the date, or `None` when it cannot be dated (or no rule fixes it).
type Dated = Option<NaiveDate>;

/// Evaluates units against the rules for a year, as of a date. Schedules, deadlines and
/// display ends are computed once per distinct input and shared by every unit.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{Dataset, Evaluator, Rows, UnitRow};
/// use cunwu_core::UnitKind;
/// let rules = RuleSet::bundled().unwrap();
/// let unit = UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
///                      township: "石桥镇".into(), district: "南岸区".into(), areas: None };
/// let data = Dataset::from_rows(&Rows { units: vec![unit], ..Rows::default() });
/// let mut eval = Evaluator::new(&rules, 2026, NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
/// let result = eval.evaluate_unit(&data, 0).unwrap();
/// // Nothing posted: every obligation due by 30 April is missing.
/// assert_eq!(result.findings.len() as u32, result.obligations);
/// assert_eq!(result.score.grade_zh, "不合格");
/// ```
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
    year: i32,
    as_of: NaiveDate,
    scheduler: Scheduler<'r>,
    /// Unit district string → the catalogue district (`None`: city-wide).
    catalogues: HashMap<String, Option<String>>,
    /// (catalogue district, unit kind) → slot index: each slot judges one kind of unit under
    /// one catalogue, since texts that do not govern a kind never reach it.
    slots: Vec<(Option<String>, crate::model::UnitKind)>,
    /// Per slot: the example layer (`illustrative = true`) among its rules in the year, if any.
    slot_examples: Vec<Option<crate::rules::LayerInfo>>,
    plans: HashMap<(crate::model::UnitKind, usize), Arc<Plan>>,
    /// The item ids the plans' indices refer to (a copy of the dataset's interned items).
    plan_items: Vec<String>,
    deadlines: DayMemo<(usize, Rule)>,
    displays: DayMemo<(usize, DisplayPeriod)>,
    events: HashMap<(usize, String, NaiveDate), Option<Arc<Obligation>>>,
    /// Shared parts of findings by (slot, item, name): a slot judges one kind of unit, whose
    /// obligation may carry another name and basis than a village's.
    items: HashMap<(usize, String, String), ItemShared>,
    params: HashMap<(usize, NaiveDate, &'static str), ParamInfo>,
    undated: Option<Diagnostic>,
}

impl<'r> Evaluator<'r> {
    /// An evaluator of `year` (obligations due in it), as of `as_of`.
    pub fn new(rules: &'r RuleSet, year: i32, as_of: NaiveDate) -> Self {
        Evaluator {
            rules,
            year,
            as_of,
            scheduler: Scheduler::new(rules),
            catalogues: HashMap::new(),
            slots: Vec::new(),
            slot_examples: Vec::new(),
            plans: HashMap::new(),
            plan_items: Vec::new(),
            deadlines: DayMemo::new(year),
            displays: DayMemo::new(year),
            events: HashMap::new(),
            items: HashMap::new(),
            params: HashMap::new(),
            undated: None,
        }
    }

    /// The year evaluated.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The assessment date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Why some checks could not be made (the first such reason), if any.
    pub fn undated(&self) -> Option<&Diagnostic> {
        self.undated.as_ref()
    }

    /// Districts of the registry for which the rules hold no district catalogue (the city-wide
    /// catalogue applied), sorted.
    pub fn districts_without_catalogue(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.catalogues.iter().filter(|(_, c)| c.is_none()).map(|(d, _)| d.clone()).collect();
        crate::sort::sort(&mut out);
        out
    }

    /// Evaluate every unit of `data`, in registry order.
    ///
    /// A year that cannot be assessed is an error, never a report of perfect scores with no
    /// obligation checked: the assessment date before the year begins, or a year whose first day
    /// the holiday data does not settle.
    pub fn evaluate(&mut self, data: &Dataset) -> Result<Vec<UnitAssessment>, Error> {
        self.check_year()?;
        self.sync_items(data);
        (0..data.units.len()).map(|i| self.evaluate_one(data, u32::try_from(i).unwrap_or(u32::MAX))).collect()
    }

    fn check_year(&self) -> Result<(), Error> {
        let invalid = |pointer: &str, message: String| {
            Error::Input(crate::error::InputError::InvalidRequest { pointer: pointer.into(), message })
        };
        let jan1 = NaiveDate::from_ymd_opt(self.year, 1, 1)
            .ok_or_else(|| invalid("/year", format!("{} is not a year cunwu can evaluate", self.year)))?;
        let cal = self.rules.calendar()?;
        if !cal.is_covered(jan1) {
            return Err(cal.horizon(jan1).into());
        }
        if self.as_of < jan1 {
            return Err(invalid(
                "/as_of",
                format!(
                    "the assessment date {} comes before {} begins: nothing of that year is due yet",
                    self.as_of, self.year
                ),
            ));
        }
        Ok(())
    }

    /// Plans refer to items by the dataset's interned index: when this evaluator meets a dataset
    /// whose items differ from those its plans were built for, the plans are dropped. (Indices
    /// of one dataset never change: interning only appends.)
    fn sync_items(&mut self, data: &Dataset) {
        if self.plan_items != data.items {
            self.plans.clear();
            self.plan_items = data.items.clone();
        }
    }

    pub(crate) fn slot(&mut self, district: &str, kind: crate::model::UnitKind) -> Result<usize, Error> {
        let catalogue = match self.catalogues.get(district) {
            Some(c) => c.clone(),
            None => {
                let jan1 = NaiveDate::from_ymd_opt(self.year, 1, 1).ok_or(Error::Input(
                    crate::error::InputError::InvalidRequest {
                        pointer: "/year".into(),
                        message: format!("{} is not a year cunwu can evaluate", self.year),
                    },
                ))?;
                let c = match self.rules.resolve_shared(jan1, Some(district), None) {
                    Ok(cat) => Some(cat.district.as_ref().map_or_else(|| district.to_string(), |d| d.id.clone())),
                    Err(crate::error::CatalogueError::UnknownDistrict { .. }) => None,
                    Err(e) => return Err(e.into()),
                };
                self.catalogues.insert(district.to_string(), c.clone());
                c
            }
        };
        let key = (catalogue, kind);
        Ok(match self.slots.iter().position(|s| *s == key) {
            Some(i) => i,
            None => {
                let jan1 = NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(self.as_of);
                let example = self.rules.layers().into_iter().find(|l| {
                    l.illustrative
                        && l.district.as_ref().is_none_or(|d| {
                            key.0.as_deref().is_some_and(|k| k == d.id.as_str() || k == d.name.as_str())
                        })
                        && l.effective.from <= self.as_of
                        && l.effective.until.is_none_or(|u| u >= jan1)
                });
                self.slot_examples.push(example);
                self.slots.push(key);
                self.slots.len() - 1
            }
        })
    }

    fn plan(&mut self, data: &Dataset, kind: crate::model::UnitKind, slot: usize) -> Result<Arc<Plan>, Error> {
        if let Some(p) = self.plans.get(&(kind, slot)) {
            return Ok(Arc::clone(p));
        }
        let district = self.slot_district(slot);
        let options = ScheduleOptions { explain: false, estimate: false };
        let schedule = self.scheduler.schedule(kind, self.year, district.as_deref(), &options)?;
        let mut entries: Vec<(u16, PeriodKey, usize)> = schedule
            .obligations
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let period = PeriodKey::parse(&o.covers.label)?;
                Some((data.find_item(&o.item).unwrap_or(u16::MAX), period, i))
            })
            .collect();
        crate::sort::sort(&mut entries);
        let plan = Arc::new(Plan { schedule, entries });
        self.plans.insert((kind, slot), Arc::clone(&plan));
        Ok(plan)
    }

    /// The schedule of units of `kind` in catalogue slot `slot`.
    pub(crate) fn schedule(&mut self, kind: crate::model::UnitKind, slot: usize) -> Result<Arc<Schedule>, Error> {
        let district = self.slot_district(slot);
        let options = ScheduleOptions { explain: false, estimate: false };
        self.scheduler.schedule(kind, self.year, district.as_deref(), &options)
    }

    pub(crate) fn catalogue(&self, slot: usize, date: NaiveDate) -> Option<Arc<ResolvedCatalogue>> {
        let (district, kind) = self.slots.get(slot).cloned()?;
        self.rules.resolve_shared(date, district.as_deref(), Some(kind)).ok()
    }

    /// The district catalogue of a slot (`None`: city-wide).
    fn slot_district(&self, slot: usize) -> Option<String> {
        self.slots.get(slot).and_then(|(d, _)| d.clone())
    }

    /// The unit kind a slot judges.
    fn slot_kind(&self, slot: usize) -> crate::model::UnitKind {
        self.slots.get(slot).map_or(crate::model::UnitKind::Village, |(_, k)| *k)
    }

    /// A parameter's basis as in force on `date` (shared per period of unchanging rules).
    fn param_info(&mut self, slot: usize, date: NaiveDate, param: &'static str) -> ParamInfo {
        let key = (slot, self.rules.epoch_start(date), param);
        if let Some(p) = self.params.get(&key) {
            return p.clone();
        }
        let cat = self.catalogue(slot, date);
        let (basis, local) = param_basis(cat.as_deref(), param);
        let info = (param, Arc::from(basis), local);
        self.params.insert(key, info.clone());
        info
    }

    /// The item's id, name and basis, shared by every finding about it.
    fn item_shared(&mut self, slot: usize, o: &Obligation) -> ItemShared {
        let key = (slot, o.item.clone(), o.name.clone());
        if let Some(i) = self.items.get(&key) {
            return i.clone();
        }
        let jurisdiction = jurisdiction_of(self.rules, &o.basis);
        let kind = self.slot_kind(slot);
        let reading = self.catalogue(slot, o.covers.from).is_some_and(|c| {
            c.item(&o.item).is_some_and(|i| i.scope.iter().any(|s| s.value == kind && s.source.local_default))
        });
        let shared: ItemShared =
            (Arc::from(o.item.as_str()), Arc::from(o.name.as_str()), Arc::from(o.basis.clone()), jurisdiction, reading);
        self.items.insert(key, shared.clone());
        shared
    }

    /// A finding about an obligation, its explanation built from shared parts.
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &mut self,
        slot: usize,
        base: &FindingBase<'_>,
        kind: FindingKind,
        responsible: Responsible,
        days: Option<i64>,
        parameter: Option<(&'static str, NaiveDate)>,
        compared: Vec<ComparedDate>,
        (text_zh, text_en): (String, String),
    ) -> Finding {
        let o = base.o;
        let (item, name, basis, jurisdiction, reading) = self.item_shared(slot, o);
        let (parameter, parameter_basis, param_local) = match parameter {
            Some((id, on)) => {
                let (_, b, local) = self.param_info(slot, on, id);
                (Some(Cow::Borrowed(id)), b, local)
            }
            None => (None, no_basis(), false),
        };
        Finding {
            kind,
            responsible,
            explanation: Explanation {
                obligation_zh: format!("“{name}”（{}）", o.covers.label),
                obligation_en: format!("`{item}` for {}", o.covers.label),
                parameter,
                basis,
                // A reading of whom a text reaches makes the obligation itself a local default; a
                // local-default rhythm or value leaves it binding, and says so below.
                force: if reading { crate::model::Force::LocalDefault } else { o.force },
                jurisdiction,
                parameter_basis,
                local_default: param_local
                    || o.local_default
                    || (kind == FindingKind::DisplayShort && display_local(o)),
                compared,
                text_zh,
                text_en,
            },
            item: Some(item),
            item_name: Some(name),
            period: Some(o.covers.label.clone()),
            objection: None,
            level: None,
            days,
            record: base.record.clone(),
        }
    }

    fn note_undated(&mut self, e: Error) {
        if self.undated.is_none() {
            self.undated = e.diagnostics().into_iter().next();
        }
    }

    /// The deadline `rule` sets from `start` (memoized).
    pub(crate) fn deadline(&mut self, slot: usize, rule: Rule, start: NaiveDate) -> Dated {
        if let Some(d) = self.deadlines.get((slot, rule), start) {
            return d;
        }
        let dated = self.catalogue(slot, start).and_then(|cat| {
            let days = cat.parameter(rule.parameter()).and_then(|p| p.as_number())?;
            let counting = CountingRules::from_catalogue(&cat, Some(rule.extension())).with_explain(false);
            let days = u32::try_from(days).ok()?;
            let result = self
                .rules
                .calendar()
                .map_err(Error::from)
                .and_then(|cal| period_end(cal, start, Length::Days(days), &counting).map_err(Error::from));
            match result {
                Ok(d) => Some(d.date),
                Err(e) => {
                    self.note_undated(e);
                    None
                }
            }
        });
        self.deadlines.insert((slot, rule), start, dated);
        dated
    }

    /// Whether the flag parameter `id` is on in the slot's catalogue in force on `day`.
    pub(crate) fn flag(&mut self, slot: usize, day: NaiveDate, id: &str) -> bool {
        self.catalogue(slot, day)
            .is_some_and(|cat| matches!(cat.parameter(id).map(|p| &p.value), Some(ParamValue::Flag(true))))
    }

    /// The first day a posting made on `posted` may come down (memoized).
    pub(crate) fn earliest_removal(&mut self, slot: usize, period: DisplayPeriod, posted: NaiveDate) -> Dated {
        if let Some(d) = self.displays.get((slot, period), posted) {
            return d;
        }
        let counted = self.flag(slot, posted, "display.start_day_counted");
        let end = display_end(posted, period, counted, &[], &[]).map(|e| e.earliest_removal);
        self.displays.insert((slot, period), posted, end);
        end
    }

    pub(crate) fn event_obligation(&mut self, slot: usize, item: &str, date: NaiveDate) -> Option<Arc<Obligation>> {
        let key = (slot, item.to_string(), date);
        if let Some(o) = self.events.get(&key) {
            return o.clone();
        }
        let district = self.slot_district(slot);
        let options = ScheduleOptions { explain: false, estimate: false };
        let kind = self.slot_kind(slot);
        let o = self.scheduler.event_obligation(kind, item, date, district.as_deref(), &options).ok().map(Arc::new);
        self.events.insert(key, o.clone());
        o
    }

    /// The scheme that scores `unit`.
    fn scheme(&self, unit: &UnitRow, catalogue: Option<&str>) -> Result<&'r ScoringSchemeDef, Error> {
        let rules: &'r RuleSet = self.rules;
        catalogue
            .and_then(|c| rules.scoring_scheme(self.as_of, Some(c)))
            .filter(|s| s.district.is_some())
            .or_else(|| rules.scoring_scheme(self.as_of, Some(&unit.district)))
            .ok_or(Error::Compliance(ComplianceError::NoScheme { date: self.as_of }))
    }

    /// Evaluate one unit (an index into `data.units`).
    pub fn evaluate_unit(&mut self, data: &Dataset, unit: u32) -> Result<UnitAssessment, Error> {
        self.sync_items(data);
        self.evaluate_one(data, unit)
    }

    fn evaluate_one(&mut self, data: &Dataset, unit: u32) -> Result<UnitAssessment, Error> {
        let row = data.units.get(usize::try_from(unit).unwrap_or(usize::MAX)).ok_or_else(|| {
            Error::Input(crate::error::InputError::InvalidRequest {
                pointer: "/unit".into(),
                message: format!("no unit at index {unit}"),
            })
        })?;
        let slot = self.slot(&row.district, row.kind)?;
        let plan = self.plan(data, row.kind, slot)?;
        let records = data.records(unit);
        let mut run = UnitRun {
            data,
            problems: Vec::new(),
            findings: Vec::new(),
            obligations: 0,
            undetermined: 0,
            boards_unknown: 0,
            replies_without_deadline: 0,
        };
        let as_of = self.as_of;
        let seen = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);

        // Periodic obligations ⋈ disclosures, both sorted by (item, period).
        let mut disclosures = records.disclosures.iter().peekable();
        for &(item, period, ob) in &plan.entries {
            while let Some(d) = disclosures.next_if(|d| (d.item, d.period) < (item, period)) {
                self.unmatched(&mut run, slot, d);
            }
            let found = disclosures.next_if(|d| (d.item, d.period) == (item, period));
            if let Some(o) = plan.schedule.obligations.get(ob) {
                self.check_disclosure(&mut run, slot, o, found, &seen);
            }
        }
        for d in disclosures {
            self.unmatched(&mut run, slot, d);
        }
        // Ad hoc obligations from events.
        let year = self.year;
        for e in records.events.iter().filter(|e| e.date <= as_of && e.date.year() == year) {
            let item = data.items.get(usize::from(e.item)).cloned().unwrap_or_default();
            match self.event_obligation(slot, &item, e.date) {
                Some(o) => {
                    let found = data.disclosure_of(unit, e.item, PeriodKey::event(e.date));
                    self.check_disclosure(&mut run, slot, &o, found, &seen);
                }
                None if self.is_advisory(slot, &item) => {}
                None => run.unmatched_event(&item, e.date, e.origin),
            }
        }
        for o in records.objections {
            self.check_objection(&mut run, slot, unit, o, &seen);
        }
        self.check_benefits(&mut run, slot, records.benefits, &seen);

        // A city holds every finding of every unit: no spare capacity kept per unit.
        run.findings.shrink_to_fit();
        crate::sort::sort_by(&mut run.findings, |a, b| {
            (&a.item, &a.period, a.kind, &a.objection, a.level).cmp(&(
                &b.item,
                &b.period,
                b.kind,
                &b.objection,
                b.level,
            ))
        });
        if run.replies_without_deadline > 0 {
            let n = run.replies_without_deadline;
            run.problems.push(Diagnostic {
                code: "COMPLIANCE_NOT_JUDGED".into(),
                severity: crate::diagnostic::Severity::Warning,
                message_zh: format!("本单位有{n}次异议受理层级的答复没有规定期限（如社区居民委员会：《城市居民委员会组织法》只要求予以答复）：是否逾期答复未作评判"),
                message_en: format!(
                    "{n} objection(s) reached a level whose reply no text in force gives a deadline (a community's committee, say: the urban residents' committees law only requires a reply): whether the reply was late was not judged"
                ),
                hint_zh: Some("区县如规定了答复期限，可在区县目录中设定相应参数".into()),
                hint_en: Some("a district that sets a reply deadline can set the parameter in its catalogue".into()),
                location: crate::diagnostic::Location::at_pointer(format!("/units/{}", row.id)),
                related: Vec::new(),
            });
        }
        if run.boards_unknown > 0 {
            let n = run.boards_unknown;
            run.problems.push(Diagnostic {
                code: "COMPLIANCE_NOT_JUDGED".into(),
                severity: crate::diagnostic::Severity::Warning,
                message_zh: format!("本村划分了片区，但有{n}次公开的记录没有公开栏数（或不能确定评估日前张贴了几个公开栏）：这些公开未能评估是否按片区公开"),
                message_en: format!(
                    "this village has areas, but {n} posting(s) give no number of boards (or not how many were up by the assessment date): whether they went up on every area's board was not judged"
                ),
                hint_zh: Some("在 postings 的 `boards` 列填写张贴的公开栏数".into()),
                hint_en: Some("give the number of boards in the `boards` column of postings".into()),
                location: crate::diagnostic::Location::at_pointer(format!("/units/{}", row.id)),
                related: Vec::new(),
            });
        }
        // Example data (`illustrative = true`) is no real catalogue: a unit judged under it on
        // any day of the year is told so, since its findings and score must not rank anyone.
        if let Some(layer) = self.slot_examples.get(slot).cloned().flatten() {
            run.problems.push(Diagnostic {
                code: "COMPLIANCE_ILLUSTRATIVE_RULES".into(),
                severity: crate::diagnostic::Severity::Warning,
                message_zh: format!(
                    "本单位按示例目录“{}”评估：示例数据不是真实的区县目录，其结论和得分不得用于考评排名或问责",
                    layer.name
                ),
                message_en: format!(
                    "this unit is judged under the example catalogue `{}`: example data is no real district catalogue, and its findings and score must not rank or charge anyone",
                    layer.id
                ),
                hint_zh: Some("正式考评请改用区县实际印发的目录".into()),
                hint_en: Some("for a real assessment, use the catalogue the district actually issued".into()),
                location: crate::diagnostic::Location::at_pointer(format!("/units/{}", row.id)),
                related: Vec::new(),
            });
        }
        let catalogue = self.slot_district(slot);
        let scheme = self.scheme(row, catalogue.as_deref())?;
        let score = score(scheme, &run.findings);
        Ok(UnitAssessment {
            unit: row.clone(),
            catalogue,
            obligations: run.obligations,
            undetermined: run.undetermined,
            findings: run.findings,
            score,
            rank: None,
            problems: run.problems,
        })
    }

    fn unmatched(&mut self, run: &mut UnitRun<'_>, slot: usize, d: &Disclosure) {
        // Only records of periods due in this year are expected to match; ad hoc postings are
        // matched through their events. A posting of an advisory item (建议公开) is a voluntary
        // disclosure: nothing is owed, nothing is wrong.
        if d.period.due_year() == self.year && !d.period.is_event() {
            let item = run.data.items.get(usize::from(d.item)).cloned().unwrap_or_default();
            if !self.is_advisory(slot, &item) {
                run.unmatched_disclosure(d);
            }
        }
    }

    /// Whether `item` is an advisory item (建议公开) for the slot's units in the assessed year.
    fn is_advisory(&self, slot: usize, item: &str) -> bool {
        let jan1 = NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(self.as_of);
        [jan1, self.as_of]
            .into_iter()
            .any(|day| self.catalogue(slot, day).is_some_and(|c| c.advisory_item(item).is_some()))
    }

    fn check_disclosure(
        &mut self,
        run: &mut UnitRun<'_>,
        slot: usize,
        o: &Obligation,
        found: Option<&Disclosure>,
        seen: &impl Fn(Option<NaiveDate>) -> Option<NaiveDate>,
    ) {
        let Some(due) = o.due.date else {
            if o.due.error.is_some() {
                run.undetermined += 1;
            }
            return;
        };
        if due >= self.as_of {
            return;
        }
        run.obligations += 1;
        let record = found.map(|d| run.data.location(d.origin));
        let posted = found.and_then(|d| seen(d.posted));
        let base = FindingBase { o, record: record.clone() };
        let Some(posted) = posted else {
            let days = (self.as_of - due).num_days();
            run.push(self.finding(
                slot,
                &base,
                FindingKind::Missing,
                o.responsible,
                Some(days),
                Some((due_parameter(o.cadence, o.covers.from == o.covers.until), due)),
                vec![date("due", "应公开日", Some(due)), date("as_of", "评估日", Some(self.as_of))],
                (
                    format!("至评估日{}未公开，已超过公开期限{days}日", self.as_of),
                    format!("not posted by the assessment date {}, {days} day(s) after the due day", self.as_of),
                ),
            ));
            return;
        };
        if posted > due {
            let days = (posted - due).num_days();
            run.push(self.finding(
                slot,
                &base,
                FindingKind::Late,
                o.responsible,
                Some(days),
                Some((due_parameter(o.cadence, o.covers.from == o.covers.until), due)),
                vec![date("due", "应公开日", Some(due)), date("posted", "实际公开日", Some(posted))],
                (format!("迟{days}日公开"), format!("posted {days} day(s) late")),
            ));
        }
        let Some(d) = found else { return };
        // Display.
        // A standing display (长期公开) has no minimum to fall short of: nothing to date.
        let display = o.display.as_ref().map(|d| d.period).filter(|p| *p != DisplayPeriod::Standing);
        if let (Some(display), Some(removed)) = (display, seen(d.removed)) {
            match self.earliest_removal(slot, display, posted) {
                Some(earliest) if removed < earliest => {
                    let days = (earliest - removed).num_days();
                    run.push(self.finding(
                        slot,
                        &base,
                        FindingKind::DisplayShort,
                        o.responsible,
                        Some(days),
                        None,
                        vec![
                            date("posted", "公开日", Some(posted)),
                            date("earliest_removal", "最早可撤下日", Some(earliest)),
                            date("removed", "实际撤下日", Some(removed)),
                        ],
                        (
                            format!("公开时限为{}，提前{days}日撤下", display.describe_zh()),
                            format!("the minimum display is {}; taken down {days} day(s) early", display.describe_en()),
                        ),
                    ));
                    self.check_republication(run, slot, &base, removed, seen(d.republished), "early");
                }
                Some(_) => {}
                None => run.undetermined += 1,
            }
        }
        // Boards by area (分片公开, CQ-L art. 28): a village the township has divided into areas
        // posts on the board of each. Only the committee's own postings of a village, and only
        // boards that were up by the assessment date, count; an unknown count is not judged.
        let unit = run.data.units.get(d.unit as usize);
        let areas = unit.filter(|u| u.kind == crate::model::UnitKind::Village).and_then(|u| u.areas).unwrap_or(1);
        if areas > 1 && o.responsible == Responsible::Committee && self.flag(slot, posted, "display.by_area") {
            let later = match (d.later_first, d.later_last) {
                (None, _) | (_, None) => Some(0),
                (Some(_), Some(last)) if last <= self.as_of => Some(d.later_boards),
                (Some(first), Some(_)) if first > self.as_of => Some(0),
                _ => None,
            };
            match later {
                Some(later) if !d.boards_unknown => {
                    let boards = d.boards.saturating_add(later);
                    if boards < areas {
                        run.push(self.finding(
                            slot,
                            &base,
                            FindingKind::TooFewBoards,
                            o.responsible,
                            None,
                            Some(("display.by_area", posted)),
                            vec![date("posted", "公开日", Some(posted))],
                            (
                                format!("该村划分为{areas}个片区，应在每个片区的公开栏公开，至评估日记录只有{boards}个公开栏"),
                                format!(
                                    "the village has {areas} areas and must post on each area's board; by the assessment date it posted on {boards}"
                                ),
                            ),
                        ));
                    }
                }
                _ => run.boards_unknown += 1,
            }
        }
        // Filing and review.
        if o.filing.is_none() {
            return;
        }
        let Some(filing_deadline) = self.deadline(slot, Rule::Procedure(DeadlineRule::Filing), posted) else {
            run.undetermined += 1;
            return;
        };
        // A filing dated before the posting cannot be the filing of this posting: it is an
        // implausible record, reported, and the posting stays unfiled.
        let filed = match seen(d.filed) {
            Some(f) if f < posted => {
                run.implausible(
                    d.origin,
                    format!("备案日期 {f} 早于公开日期 {posted}"),
                    format!("filed on {f}, before the posting on {posted}"),
                );
                None
            }
            other => other,
        };
        let filing_dates = |filed: Option<NaiveDate>| {
            vec![
                date("posted", "公开日", Some(posted)),
                date("filing_deadline", "备案期限", Some(filing_deadline)),
                date("filed", "备案日", filed),
            ]
        };
        if let Some(over) = Overdue::of(filing_deadline, filed, self.as_of) {
            let days = over.days();
            let (kind, text) = match over {
                Overdue::NotDone { .. } => (
                    FindingKind::NotFiled,
                    (
                        format!("公开后应于{filing_deadline}（含当日）前报乡镇备案，至评估日未备案，超期{days}日"),
                        format!(
                            "to be filed by {filing_deadline}; not filed by the assessment date, {days} day(s) over"
                        ),
                    ),
                ),
                Overdue::Late { .. } => {
                    (FindingKind::FiledLate, (format!("迟{days}日备案"), format!("filed {days} day(s) late")))
                }
            };
            let param = Some(("filing.deadline_days", posted));
            run.push(self.finding(
                slot,
                &base,
                kind,
                Responsible::Committee,
                Some(days),
                param,
                filing_dates(over.act()),
                text,
            ));
        }
        let Some(filed) = filed else { return };
        let Some(review_deadline) = self.deadline(slot, Rule::Procedure(DeadlineRule::Review), filed) else {
            run.undetermined += 1;
            return;
        };
        let reviewed = match seen(d.reviewed) {
            Some(r) if r < filed => {
                run.implausible(
                    d.origin,
                    format!("审查日期 {r} 早于备案日期 {filed}"),
                    format!("reviewed on {r}, before the filing on {filed}"),
                );
                None
            }
            other => other,
        };
        let review_dates = |r: Option<NaiveDate>| {
            vec![
                date("filed", "备案日", Some(filed)),
                date("review_deadline", "审查期限", Some(review_deadline)),
                date("reviewed", "审查日", r),
            ]
        };
        if let Some(over) = Overdue::of(review_deadline, reviewed, self.as_of) {
            let days = over.days();
            let text = match over {
                Overdue::NotDone { .. } => (
                    format!("乡镇应于{review_deadline}（含当日）前审查，至评估日未审查，超期{days}日"),
                    format!(
                        "the township was to review by {review_deadline}; not reviewed by the assessment date, {days} day(s) over"
                    ),
                ),
                Overdue::Late { .. } => (format!("乡镇迟{days}日审查"), format!("reviewed {days} day(s) late")),
            };
            let param = Some(("review.deadline_days", filed));
            let kind = FindingKind::ReviewOverdue;
            run.push(self.finding(
                slot,
                &base,
                kind,
                Responsible::Township,
                Some(days),
                param,
                review_dates(over.act()),
                text,
            ));
        }
        if let Some(r) = reviewed.filter(|_| d.rectify) {
            self.check_republication(run, slot, &base, r, seen(d.republished), "order");
        }
    }

    /// A re-publication required from `from` (an order, an upheld objection, an early take-down).
    fn check_republication(
        &mut self,
        run: &mut UnitRun<'_>,
        slot: usize,
        base: &FindingBase<'_>,
        from: NaiveDate,
        republished: Option<NaiveDate>,
        why: &str,
    ) {
        let Some(deadline) = self.deadline(slot, Rule::Procedure(DeadlineRule::Republication), from) else {
            run.undetermined += 1;
            return;
        };
        let republished = republished.filter(|r| *r >= from);
        let (why_zh, why_en, what) = match why {
            "order" => ("乡镇审查责令整改", "the township ordered rectification", "reviewed"),
            "early" => ("提前撤下", "taken down early", "removed"),
            _ => ("异议成立", "the objection was upheld", "replied"),
        };
        let dates = |r: Option<NaiveDate>| {
            vec![
                date(what, why_zh, Some(from)),
                date("republication_deadline", "重新公开期限", Some(deadline)),
                date("republished", "重新公开日", r),
            ]
        };
        let Some(over) = Overdue::of(deadline, republished, self.as_of) else { return };
        let days = over.days();
        let text = match over {
            Overdue::NotDone { .. } => (
                format!("{why_zh}（{from}）后应于{deadline}（含当日）前重新公开，至评估日未重新公开，超期{days}日"),
                format!("{why_en} on {from}: to be re-published by {deadline}; not re-published, {days} day(s) over"),
            ),
            Overdue::Late { .. } => (
                format!("{why_zh}（{from}）后迟{days}日重新公开"),
                format!("{why_en} on {from}: re-published {days} day(s) late"),
            ),
        };
        let param = Some(("republication.deadline_days", from));
        let kind = FindingKind::NotRepublished;
        let f = self.finding(slot, base, kind, Responsible::Committee, Some(days), param, dates(over.act()), text);
        run.push(f);
    }

    fn check_objection(
        &mut self,
        run: &mut UnitRun<'_>,
        slot: usize,
        unit: u32,
        o: &ObjectionLevel,
        seen: &impl Fn(Option<NaiveDate>) -> Option<NaiveDate>,
    ) {
        if o.received > self.as_of || o.received.year() != self.year {
            return;
        }
        let subject = match o.subject {
            SubjectKind::Disclosure => Subject::Disclosure { aspect: Aspect::Content, case: None, item: None },
            SubjectKind::Violation => Subject::Violation { item: 0 },
        };
        let (param, _) = reply_rule_for(self.slot_kind(slot), o.level, o.objector, &subject);
        // Where no text in force for this kind of unit sets a reply deadline (a community's
        // committee, a group meeting), the reply is required but its lateness is not judged.
        let has_rule = self.catalogue(slot, o.received).is_some_and(|c| c.parameter(param).is_some());
        let deadline = if has_rule {
            run.obligations += 1;
            match self.deadline(slot, Rule::Reply(param), o.received) {
                Some(d) => Some(d),
                None => {
                    run.undetermined += 1;
                    None
                }
            }
        } else {
            run.replies_without_deadline += 1;
            None
        };
        let reply = o.reply.filter(|(r, _)| seen(Some(*r)).is_some());
        let responsible = match o.level {
            Level::GroupHead | Level::GroupMeeting | Level::Committee => Responsible::Committee,
            Level::Township => Responsible::Township,
            Level::District => Responsible::District,
        };
        let dates = |r: Option<NaiveDate>| {
            vec![
                date("received", "受理日", Some(o.received)),
                date("reply_deadline", "答复期限", deadline),
                date("replied", "答复日", r),
            ]
        };
        // A level that never replied is late until the objection went up a level (the matter
        // left it), not until the assessment date.
        let escalated = o.escalated.filter(|_| reply.is_none()).and_then(|e| seen(Some(e)));
        let overdue = deadline.and_then(|dl| Overdue::of(dl, reply.map(|(r, _)| r), escalated.unwrap_or(self.as_of)));
        let cat = self.catalogue(slot, o.received);
        if let (Some(over), Some(deadline)) = (overdue, deadline) {
            let days = over.days();
            let (text_zh, text_en) = match (over, escalated) {
                (Overdue::NotDone { .. }, Some(up)) => (
                    format!(
                        "{}应于{deadline}（含当日）前答复，未答复；异议人于{up}向上一级反映，至此超期{days}日",
                        o.level.name_zh()
                    ),
                    format!(
                        "the {:?} level was to reply by {deadline}; it did not, and the objection went up a level on {up}, {days} day(s) over by then",
                        o.level
                    ),
                ),
                (Overdue::NotDone { .. }, None) => (
                    format!("{}应于{deadline}（含当日）前答复，至评估日未答复，超期{days}日", o.level.name_zh()),
                    format!(
                        "the {:?} level was to reply by {deadline}; no reply by the assessment date, {days} day(s) over",
                        o.level
                    ),
                ),
                (Overdue::Late { .. }, _) => (
                    format!("{}迟{days}日答复", o.level.name_zh()),
                    format!("the {:?} level replied {days} day(s) late", o.level),
                ),
            };
            let (_, basis, local_default) = self.param_info(slot, o.received, param);
            // The item and period the objection concerns, where its record names them: a reply
            // overdue is read next to the disclosure it is about.
            let (item, item_name, period) = match o.target {
                Some((item, period)) => {
                    let id = run.data.items.get(usize::from(item)).cloned().unwrap_or_default();
                    let name =
                        cat.as_deref().and_then(|c| c.item(&id)).map_or_else(|| id.clone(), |i| i.name.value.clone());
                    (Some(Arc::from(id.as_str())), Some(Arc::from(name.as_str())), Some(period.label()))
                }
                None => (None, None, None),
            };
            run.findings.push(Finding {
                kind: FindingKind::ReplyOverdue,
                responsible,
                item,
                item_name,
                period,
                objection: Some(o.id.clone()),
                level: Some(o.level),
                days: Some(days),
                record: Some(run.data.location(o.origin)),
                explanation: Explanation {
                    obligation_zh: format!("{}对异议的答复", o.level.name_zh()),
                    obligation_en: format!("the reply to an objection at the {:?} level", o.level),
                    parameter: Some(Cow::Borrowed(param)),
                    jurisdiction: jurisdiction_of(self.rules, &basis),
                    force: if local_default { crate::model::Force::LocalDefault } else { crate::model::Force::Binding },
                    basis,
                    parameter_basis: no_basis(),
                    local_default,
                    compared: dates(over.act()),
                    text_zh,
                    text_en,
                },
            });
        }
        // An upheld objection about a disclosure requires its correction and re-publication.
        if let (Some((replied, ReplyOutcome::Upheld)), Some((item, period))) = (reply, o.target) {
            let item_id = run.data.items.get(usize::from(item)).cloned().unwrap_or_default();
            let republished = run.data.disclosure_of(unit, item, period).and_then(|d| seen(d.republished));
            let base = FindingBase::for_objection(&item_id, period, Some(run.data.location(o.origin)), cat.as_deref());
            let before = run.findings.len();
            self.check_republication(run, slot, &base.as_ref(), replied, republished, "objection");
            if let Some(f) = run.findings.get_mut(before) {
                f.objection = Some(o.id.clone());
            }
        }
    }

    /// When a cadre-relative benefit granted on `granted` must be disclosed (十公开): on the due
    /// day of the obligation of [`BENEFITS_ITEM`] that covers the grant (the next unified
    /// disclosure day for a quarterly item), or within the item's event deadline if it is ad hoc.
    /// `None` when no binding obligation exists for this unit; `Some(None)` when it cannot be dated.
    pub(crate) fn benefit_due(&mut self, slot: usize, granted: NaiveDate) -> Option<Dated> {
        let cat = self.catalogue(slot, granted)?;
        let item = cat.item(BENEFITS_ITEM).filter(|i| i.applies_to(self.slot_kind(slot)))?;
        if item.cadence.value.iter().all(|c| c.is_event_driven()) {
            return Some(self.event_obligation(slot, BENEFITS_ITEM, granted).and_then(|o| o.due.date));
        }
        let (kind, district) = (self.slot_kind(slot), self.slot_district(slot));
        let options = ScheduleOptions { explain: false, estimate: false };
        for year in [granted.year(), granted.year() + 1] {
            let Ok(schedule) = self.scheduler.schedule(kind, year, district.as_deref(), &options) else {
                return Some(None);
            };
            let covering = schedule
                .obligations
                .iter()
                .find(|o| o.item == BENEFITS_ITEM && o.covers.from <= granted && granted <= o.covers.until);
            if let Some(o) = covering {
                return Some(o.due.date);
            }
        }
        Some(None)
    }

    /// The force of the 十公开 obligation for the slot's units on `day`, and whether it rests on a
    /// local default (a community reached by a reading of “村干部”, or the quarterly rhythm).
    fn benefit_force(&mut self, slot: usize, day: NaiveDate) -> (crate::model::Force, bool) {
        let kind = self.slot_kind(slot);
        let cat = self.catalogue(slot, day);
        let Some(item) = cat.as_ref().and_then(|c| c.item(BENEFITS_ITEM)) else {
            return (crate::model::Force::Binding, false);
        };
        let reading = item.scope.iter().any(|s| s.value == kind && s.source.local_default);
        let local = reading || item.cadence.source.local_default;
        (if reading { crate::model::Force::LocalDefault } else { item.force }, local)
    }

    /// A cadre-relative benefit disclosed after its due day (十公开): a `late` finding.
    fn benefit_late(
        &mut self,
        slot: usize,
        b: &super::records::Benefit,
        relation: &str,
        due: NaiveDate,
        on: NaiveDate,
    ) -> Finding {
        let cat = self.catalogue(slot, b.granted);
        let item = cat.as_ref().and_then(|c| c.item(BENEFITS_ITEM));
        let basis: Arc<[LegalBasis]> = item.map_or_else(no_basis, |i| Arc::from(i.basis.clone()));
        let days = (on - due).num_days();
        let (force, local) = self.benefit_force(slot, b.granted);
        benefit_finding(
            FindingKind::Late,
            b,
            days,
            Explanation {
                obligation_zh: BENEFIT_OBLIGATION.0.into(),
                obligation_en: BENEFIT_OBLIGATION.1.into(),
                parameter: Some(Cow::Borrowed("cadre.relative_circle")),
                jurisdiction: jurisdiction_of(self.rules, &basis),
                force,
                basis,
                parameter_basis: no_basis(),
                local_default: local,
                compared: vec![
                    date("granted", "享受日", Some(b.granted)),
                    date("due", "应公开日", Some(due)),
                    date("disclosed", "公开日", Some(on)),
                ],
                text_zh: format!(
                    "{}（干部的{}）于{}享受“{}”，应于{due}（含当日）前公开，迟{days}日公开",
                    b.beneficiary,
                    relation_zh(relation),
                    b.granted,
                    b.program
                ),
                text_en: format!(
                    "{} ({relation}) received “{}” on {}; due by {due}, disclosed {days} day(s) late",
                    b.beneficiary, b.program, b.granted
                ),
            },
        )
    }

    fn check_benefits(
        &mut self,
        run: &mut UnitRun<'_>,
        slot: usize,
        benefits: &[super::records::Benefit],
        seen: &impl Fn(Option<NaiveDate>) -> Option<NaiveDate>,
    ) {
        let (as_of, year) = (self.as_of, self.year);
        // A benefit is judged in the year its disclosure falls due: a fourth-quarter grant is due
        // on the next January's unified day, so it belongs to the next year's assessment.
        for b in
            benefits.iter().filter(|b| b.granted <= as_of && (b.granted.year() == year || b.granted.year() + 1 == year))
        {
            let Some(relation) = b.relation.as_deref().filter(|_| b.cadre.is_some()) else { continue };
            let cat = self.catalogue(slot, b.granted);
            let circle = cat.as_ref().and_then(|c| c.parameter("cadre.relative_circle")).map(|p| &p.value);
            let in_circle = relation == "self"
                || matches!(circle, Some(ParamValue::List(list)) if list.iter().any(|r| r == relation));
            if !in_circle {
                continue;
            }
            // Due on the item's own due day after the grant, not on the grant itself.
            let due = match self.benefit_due(slot, b.granted) {
                None => continue, // no binding 十公开 obligation for this unit
                Some(None) => {
                    run.undetermined += 1;
                    continue;
                }
                Some(Some(due)) if due >= as_of || due.year() != year => continue, // not due in this assessment
                Some(Some(due)) => due,
            };
            run.obligations += 1;
            if let Some(on) = seen(b.disclosed) {
                if on > due {
                    let mut f = self.benefit_late(slot, b, relation, due, on);
                    f.record = Some(run.data.location(b.origin));
                    run.findings.push(f);
                }
                continue;
            }
            let (_, basis, local_default) = self.param_info(slot, b.granted, "cadre.relative_circle");
            let item_basis: Arc<[LegalBasis]> =
                cat.as_ref().and_then(|c| c.item(BENEFITS_ITEM)).map_or_else(no_basis, |i| Arc::from(i.basis.clone()));
            let cadre = b.cadre.clone().unwrap_or_default();
            let (force, local) = self.benefit_force(slot, b.granted);
            let mut f = benefit_finding(
                FindingKind::BenefitUndisclosed,
                b,
                (self.as_of - due).num_days(),
                Explanation {
                    obligation_zh: BENEFIT_OBLIGATION.0.into(),
                    obligation_en: BENEFIT_OBLIGATION.1.into(),
                    parameter: Some(Cow::Borrowed("cadre.relative_circle")),
                    jurisdiction: jurisdiction_of(self.rules, &item_basis),
                    force,
                    basis: item_basis,
                    parameter_basis: basis,
                    local_default: local_default || local,
                    compared: vec![
                        date("granted", "享受日", Some(b.granted)),
                        date("due", "应公开日", Some(due)),
                        date("as_of", "评估日", Some(self.as_of)),
                    ],
                    text_zh: format!(
                        "{}（干部{cadre}的{}）于{}享受“{}”，应于{due}（含当日）前公开，至评估日未公开，超过{}日",
                        b.beneficiary,
                        relation_zh(relation),
                        b.granted,
                        b.program,
                        (self.as_of - due).num_days()
                    ),
                    text_en: format!(
                        "{} ({relation} of cadre {cadre}) received “{}” on {}; due by {due}, not disclosed by the assessment date",
                        b.beneficiary, b.program, b.granted
                    ),
                },
            );
            f.record = Some(run.data.location(b.origin));
            run.findings.push(f);
        }
    }
}

/// The obligation's display minimum is a configurable local default.
fn display_local(o: &Obligation) -> bool {
    o.display.as_ref().is_some_and(|d| d.local_default)
}

/// Where the texts of `basis` bind, for explanations (`全国`, `重庆市`, `南岸区`), each once.
fn jurisdiction_of(rules: &RuleSet, basis: &[LegalBasis]) -> Arc<[String]> {
    let mut out: Vec<String> = Vec::new();
    for b in basis {
        let place = rules.document(&b.doc).map(|d| d.place_zh());
        if let Some(p) = place.filter(|p| !out.contains(p)) {
            out.push(p);
        }
    }
    Arc::from(out)
}

/// The obligation of 十公开 findings, in Chinese and English.
const BENEFIT_OBLIGATION: (&str, &str) = (
    "村干部及其直系亲属享受惠民政策情况公开（十公开）",
    "benefits to village cadres and their lineal relatives are disclosed (十公开)",
);

/// A 十公开 finding about benefit `b` (its record is set by the caller).
fn benefit_finding(kind: FindingKind, b: &super::records::Benefit, days: i64, explanation: Explanation) -> Finding {
    Finding {
        kind,
        responsible: Responsible::Committee,
        item: None,
        item_name: Some(Arc::from(b.program.as_str())),
        period: Some(b.granted.to_string()),
        objection: None,
        level: None,
        days: Some(days),
        record: None,
        explanation,
    }
}

/// The 十公开 item: benefits to cadres and their lineal relatives [CQ-P 一(一)四].
pub const BENEFITS_ITEM: &str = "service.cadre-relative-benefits";

/// The parameter that fixes the due day of an obligation of `cadence` (`event`: created by an
/// event, an ad hoc item).
fn due_parameter(cadence: crate::model::Cadence, event: bool) -> &'static str {
    match crate::schedule::due_day_parameter(cadence) {
        Some(p) if !event => p,
        _ => crate::catalogue::PARAM_AD_HOC_WITHIN_DAYS,
    }
}

fn relation_zh(relation: &str) -> &str {
    match relation {
        "self" => "本人",
        "spouse" => "配偶",
        "parent" => "父母",
        "child" => "子女",
        "sibling" => "兄弟姐妹",
        "grandparent" => "祖父母、外祖父母",
        "grandchild" => "孙子女、外孙子女",
        "parent_in_law" => "配偶的父母",
        "child_in_law" => "子女的配偶",
        "sibling_in_law" => "兄弟姐妹的配偶或配偶的兄弟姐妹",
        "uncle_aunt" => "伯叔姑舅姨",
        "nephew_niece" => "侄甥",
        "cousin" => "堂表兄弟姐妹",
        "other" => "其他亲属",
        other => other,
    }
}

fn param_basis(cat: Option<&ResolvedCatalogue>, param: &str) -> (Vec<LegalBasis>, bool) {
    cat.and_then(|c| c.parameter(param))
        .map_or((Vec::new(), false), |p| (p.source.basis.clone(), p.source.local_default))
}

fn date(what: &'static str, label_zh: &'static str, date: Option<NaiveDate>) -> ComparedDate {
    ComparedDate { what: Cow::Borrowed(what), label_zh: Cow::Borrowed(label_zh), date }
}

/// What every finding about one obligation shares.
struct FindingBase<'a> {
    o: &'a Obligation,
    record: Option<Location>,
}

/// An owned obligation stand-in for findings about a disclosure known only by item and period.
struct TargetBase {
    o: Obligation,
    record: Option<Location>,
}

impl FindingBase<'_> {
    fn for_objection(
        item: &str,
        period: PeriodKey,
        record: Option<Location>,
        cat: Option<&ResolvedCatalogue>,
    ) -> TargetBase {
        let resolved = cat.and_then(|c| c.item(item));
        let label = period.label();
        TargetBase {
            o: Obligation {
                item: item.to_string(),
                name: resolved.map_or_else(|| item.to_string(), |i| i.name.value.clone()),
                kind: resolved.map_or(crate::model::AffairKind::Finance, |i| i.kind.value),
                cadence: crate::model::Cadence::AdHoc,
                covers: crate::schedule::CoveredPeriod { from: NaiveDate::MIN, until: NaiveDate::MIN, label },
                due: crate::schedule::DateResult {
                    date: None,
                    extended: false,
                    estimated: false,
                    explanation: None,
                    error: None,
                },
                display: None,
                filing: None,
                review: None,
                basis: resolved.map(|i| i.basis.clone()).unwrap_or_default(),
                force: crate::model::Force::Binding,
                local_default: false,
                responsible: Responsible::Committee,
            },
            record,
        }
    }
}

impl TargetBase {
    fn as_ref(&self) -> FindingBase<'_> {
        FindingBase { o: &self.o, record: self.record.clone() }
    }
}

/// The findings of the unit being evaluated.
struct UnitRun<'d> {
    data: &'d Dataset,
    problems: Vec<Diagnostic>,
    findings: Vec<Finding>,
    obligations: u32,
    undetermined: u32,
    /// Postings of a village with areas whose number of boards is unknown (not judged).
    boards_unknown: u32,
    /// Objections received at a level for which no text in force sets a reply deadline (a
    /// community's committee, a group meeting): their lateness is not judged, and the unit is told.
    replies_without_deadline: u32,
}

impl UnitRun<'_> {
    fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// A record whose dates contradict each other: an error among the unit's problems.
    fn implausible(&mut self, origin: Origin, zh: String, en: String) {
        self.problems.push(Diagnostic {
            code: "COMPLIANCE_IMPLAUSIBLE_DATE".into(),
            severity: crate::diagnostic::Severity::Error,
            message_zh: format!("{zh}：该记录不予采信"),
            message_en: format!("{en}: the record is not relied on"),
            hint_zh: None,
            hint_en: None,
            location: self.data.location(origin),
            related: Vec::new(),
        });
    }

    fn unmatched(&mut self, origin: Origin, zh: String, en: String) {
        self.problems.push(Diagnostic {
            code: "COMPLIANCE_UNMATCHED_RECORD".into(),
            severity: crate::diagnostic::Severity::Warning,
            message_zh: zh,
            message_en: en,
            hint_zh: Some("检查事项编号、期间和单位类别是否与该年度目录一致".into()),
            hint_en: Some("check the item id, the period and the unit's kind against that year's catalogue".into()),
            location: self.data.location(origin),
            related: Vec::new(),
        });
    }

    fn unmatched_disclosure(&mut self, d: &Disclosure) {
        let item = self.data.items.get(usize::from(d.item)).cloned().unwrap_or_default();
        let period = d.period.label();
        self.unmatched(
            d.origin,
            format!("事项 `{item}`（{period}）的记录不对应本单位该年度的任何公开义务，未计入评估"),
            format!(
                "the record of `{item}` for {period} matches no obligation of this unit in the year; not evaluated"
            ),
        );
    }

    fn unmatched_event(&mut self, item: &str, date: NaiveDate, origin: Origin) {
        self.unmatched(
            origin,
            format!("{date}的事件所指事项 `{item}` 不是当时目录中的随时公开事项，未计入评估"),
            format!("the event of {date} names `{item}`, not an ad hoc item of the catalogue in force; not evaluated"),
        );
    }
}

/// `a + b`, or the largest decimal where the sum would not fit (never a panic); one copy of
/// the decimal addition, not one per call.
#[inline(never)]
fn add_or_max(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(Decimal::MAX)
}

/// Score findings under a scheme: full marks minus, per finding type charged to a responsible
/// party the scheme names, `points` per finding plus `per_day` per day, capped per type.
///
/// ```
/// use cunwu_core::compliance::evaluate::score;
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let scheme = rules.scoring_scheme(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), None).unwrap();
/// let s = score(scheme, &[]);
/// assert_eq!(s.points, scheme.full_marks.0);
/// assert_eq!(s.grade_zh, "优秀");
/// ```
pub fn score(scheme: &ScoringSchemeDef, findings: &[Finding]) -> Score {
    let mut deductions = Vec::new();
    let mut charged = 0u32;
    let mut total = Decimal::ZERO;
    for rule in &scheme.deductions {
        let mut count = 0u32;
        let mut points = Decimal::ZERO;
        // Saturating arithmetic: points are bounded by the lint (`POINTS_MAX`), and no input can
        // make a score panic however many findings or days it has.
        for f in findings.iter().filter(|f| f.kind == rule.finding && scheme.charged.contains(&f.responsible)) {
            count = count.saturating_add(1);
            points = add_or_max(points, rule.points.0);
            if let (Some(per_day), Some(days)) = (rule.per_day, f.days) {
                let late = per_day.0.checked_mul(Decimal::from(days.max(0))).unwrap_or(Decimal::MAX);
                points = add_or_max(points, late);
            }
        }
        if count == 0 {
            continue;
        }
        let capped = rule.cap.is_some_and(|c| points > c.0);
        if let Some(cap) = rule.cap.filter(|_| capped) {
            points = cap.0;
        }
        charged = charged.saturating_add(count);
        total = add_or_max(total, points);
        deductions.push(Deduction { finding: rule.finding, count, points: points.round_dp(2), capped });
    }
    let points = scheme.full_marks.0.checked_sub(total).unwrap_or(Decimal::ZERO).max(Decimal::ZERO).round_dp(2);
    let grade = scheme.grades.iter().find(|g| points >= g.min.0).or(scheme.grades.last());
    Score {
        scheme: scheme.id.clone(),
        points,
        grade: grade.map(|g| g.id.clone()).unwrap_or_default(),
        grade_zh: grade.map(|g| g.name.clone()).unwrap_or_default(),
        deductions,
        charged,
    }
}
