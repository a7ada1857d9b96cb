//! Where cases meet the 考评: what a plan must hold, item by item with the period label and due day
//! the schedule and the compliance records use, and the record rows a case's log gives, so a host
//! that runs its cases through the library feeds the assessment with no mapping of its own.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::machine::due_cadences;
use super::{CaseState, DisclosureCase, Pipeline, Stage, parse_period};
use crate::compliance::{FilingRow, PostingRow, RepublicationRow, ReviewOutcome, ReviewRow, Rows};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::{Cadence, LegalBasis, UnitKind};
use crate::period::{CountingRules, fixed_day};
use crate::rules::RuleSet;

/// One item a plan must include, under one of its cadences (an item due both monthly and
/// quarterly is listed twice): the label of the period it covers, as the schedule and the
/// compliance records write it (`2026-03` for a monthly item in a Q1 plan), and its due day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRequirement {
    /// Item id.
    pub id: String,
    /// Item name.
    pub name: String,
    /// Its legal basis.
    pub basis: Vec<LegalBasis>,
    /// The cadence it is due under.
    pub cadence: Cadence,
    /// The covered period's label.
    pub period: String,
    /// The last day to publish it (the rules' due day for the cadence, moved past rest days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Why the due day could not be computed (past the published calendar, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_error: Option<Diagnostic>,
}

/// The label of the period of `cadence` that ends on `until` (the last day of a month).
pub(super) fn period_label(cadence: Cadence, until: NaiveDate) -> String {
    let (year, month) = (until.year(), until.month());
    match cadence {
        Cadence::Monthly => format!("{year}-{month:02}"),
        Cadence::Quarterly => format!("{year}-Q{}", month.div_ceil(3)),
        Cadence::HalfYearly => format!("{year}-H{}", month.div_ceil(6)),
        Cadence::Annual | Cadence::OnChange | Cadence::AdHoc => year.to_string(),
    }
}

/// The due day of a period of `cadence` ending on `until`, under the catalogue in force.
fn due_day(
    rules: &RuleSet,
    cat: &crate::catalogue::ResolvedCatalogue,
    cadence: Cadence,
    until: NaiveDate,
) -> Result<Option<NaiveDate>, Error> {
    let param = match cadence {
        Cadence::Monthly => "disclosure.monthly_due_day",
        Cadence::HalfYearly => "disclosure.half_yearly_due_day",
        Cadence::Annual => "disclosure.annual_due_day",
        _ => "disclosure.quarterly_due_day",
    };
    let Some(day) = cat.parameter(param).and_then(|p| p.as_number()).and_then(|n| u32::try_from(n).ok()) else {
        return Ok(None);
    };
    let next = until.succ_opt().unwrap_or(until);
    let counting = CountingRules::from_catalogue(cat, None).with_explain(false);
    let d = fixed_day(rules.calendar()?, next.year(), next.month(), day, param, &[], &counting)?;
    Ok(Some(d.date))
}

/// What a plan for `unit` and `period` must include, as of `date` (what the schedule says is due
/// when the period ends): each item under each cadence it is due, with its period label, due day
/// and legal basis.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::procedure::{plan_requirements, Pipeline};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// let items = plan_requirements(&rules, cunwu_core::UnitKind::Village, None, "2026-Q1", Pipeline::General, d).unwrap();
/// assert!(items.iter().any(|i| i.id == "government.family-planning" && i.period == "2026-Q1"));
/// // A monthly item in a quarter's plan covers the quarter's last month.
/// let monthly = items.iter().find(|i| i.id == "finance.income-expenditure").unwrap();
/// assert_eq!(monthly.period, "2026-03");
/// assert!(monthly.due.is_some());
/// // The city rules bind no party item (each rests on a sample): nothing is required of the
/// // party pipeline until a district catalogue adopts some.
/// let party = plan_requirements(&rules, cunwu_core::UnitKind::Village, None, "2026-Q1", Pipeline::Party, d).unwrap();
/// assert!(party.is_empty());
/// ```
pub fn plan_requirements(
    rules: &RuleSet,
    unit: UnitKind,
    district: Option<&str>,
    period: &str,
    pipeline: Pipeline,
    date: NaiveDate,
) -> Result<Vec<PlanRequirement>, Error> {
    let (_, until, cadence) = parse_period(period).map_err(Error::Procedure)?;
    let cat = rules.resolve_shared(date, district, Some(unit))?;
    Ok(due_cadences(&cat, unit, pipeline, cadence, until)
        .into_iter()
        .map(|(item, c)| {
            let (due, due_error) = match due_day(rules, &cat, c, until) {
                Ok(d) => (d, None),
                Err(e) => (None, e.diagnostics().into_iter().next()),
            };
            PlanRequirement {
                id: item.id.clone(),
                name: item.name.value.clone(),
                basis: item.basis.clone(),
                cadence: c,
                period: period_label(c, until),
                due,
                due_error,
            }
        })
        .collect())
}

/// The period labels each item is due under for a case's period (a Q1 plan's monthly item
/// covers "2026-03"), by item id: what the case's plan items cover.
pub fn due_labels(rules: &RuleSet, state: &CaseState) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let Ok((_, until, cadence)) = parse_period(&state.period) else { return out };
    let day_after = state.period_until.succ_opt().unwrap_or(until);
    if let Ok(cat) = rules.resolve_shared(day_after, state.unit.district.as_deref(), Some(state.unit.kind)) {
        for (i, c) in due_cadences(&cat, state.unit.kind, state.pipeline, cadence, until) {
            out.entry(i.id.clone()).or_default().push(period_label(c, until));
        }
    }
    out
}

/// The (item, period label) pairs a case's plan covers: each planned item under each cadence it is
/// due for the case's period, and an item planned beyond what is due (an advisory item, say) under
/// the case's own period.
fn planned(rules: &RuleSet, state: &CaseState) -> Vec<(String, String)> {
    let Some(plan) = &state.plan else { return Vec::new() };
    let due = due_labels(rules, state);
    let mut out = Vec::new();
    for id in &plan.items {
        match due.get(id) {
            Some(labels) => out.extend(labels.iter().map(|l| (id.clone(), l.clone()))),
            None => out.push((id.clone(), state.period.clone())),
        }
    }
    out
}

impl DisclosureCase {
    /// The compliance record rows this case's log gives (公开、备案、审查、重新公开), exactly as the
    /// compliance reader takes them, one per planned item and period: the first publication is
    /// the posting (its boards counted, its take-down its removal), the first filing the
    /// filing, the first review decision the review (a rectification order is `rectify`, an
    /// acceptance `accepted`), the first later publication the re-publication. A case not yet
    /// published gives no rows.
    ///
    /// ```
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/procedure/village-2026-q1.jsonl"));
    /// let case = cunwu_core::procedure::DisclosureCase::from_jsonl(&rules, text).unwrap();
    /// let rows = case.record_rows(&rules);
    /// let monthly = rows.postings.iter().find(|p| p.item == "finance.income-expenditure").unwrap();
    /// assert_eq!((monthly.period.as_str(), monthly.posted.to_string().as_str()), ("2026-03", "2026-04-15"));
    /// assert!(rows.reviews.iter().all(|r| r.outcome == cunwu_core::compliance::ReviewOutcome::Rectify));
    /// assert_eq!(rows.republications.len(), rows.postings.len());
    /// ```
    pub fn record_rows(&self, rules: &RuleSet) -> Rows {
        let state = self.state();
        let unit = state.unit.id.clone();
        let mut rows = Rows::default();
        let Some(first) = state.publications.first() else { return rows };
        let review = match (state.rectifications.first(), state.stage) {
            (Some((date, _)), _) => Some((*date, ReviewOutcome::Rectify)),
            (None, Stage::Closed) => Some((state.stage_since, ReviewOutcome::Accepted)),
            _ => None,
        };
        for (item, period) in planned(rules, state) {
            // No board named: the count is unknown, not zero.
            let boards = (!first.boards.is_empty()).then(|| u16::try_from(first.boards.len()).unwrap_or(u16::MAX));
            rows.postings.push(PostingRow {
                unit: unit.clone(),
                item: item.clone(),
                period: period.clone(),
                posted: first.date,
                removed: first.taken_down,
                boards,
            });
            if let Some(filed) = state.filings.first() {
                rows.filings.push(FilingRow {
                    unit: unit.clone(),
                    item: item.clone(),
                    period: period.clone(),
                    filed: *filed,
                });
            }
            if let Some((reviewed, outcome)) = review {
                rows.reviews.push(ReviewRow {
                    unit: unit.clone(),
                    item: item.clone(),
                    period: period.clone(),
                    reviewed,
                    outcome,
                });
            }
            if let Some(again) = state.publications.get(1) {
                rows.republications.push(RepublicationRow { unit: unit.clone(), item, period, posted: again.date });
            }
        }
        rows
    }
}
