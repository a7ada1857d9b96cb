//! A case as of a day: its deadlines, what is overdue, what may happen next and when to look again.

use chrono::NaiveDate;

use super::machine::{catalogue_for, number, roles_for};
use super::*;

/// A deadline of the case as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineStatus {
    /// Which rule.
    pub rule: DeadlineRule,
    /// The last day, when it could be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Days past it, if passed and not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// Overdue by more than `procedure.very_overdue_days`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub very_overdue: bool,
    /// The first day it is very overdue (`procedure.very_overdue_days` after `date`), where the
    /// rules set that parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub very_overdue_from: Option<NaiveDate>,
    /// Whether `date` rests on an estimated calendar (weekends only, past the published one):
    /// asked for with `estimate`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// Why it could not be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
}

/// Something that may happen next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAction {
    /// The event type.
    pub event: String,
    /// The outcome, where the event has several.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome: String,
    /// The step in Chinese.
    pub label_zh: String,
    /// Who may take it.
    pub roles: Vec<Role>,
    /// By when, where a deadline applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineStatus>,
}

/// A case as of a day: derived, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStatus {
    /// The day.
    pub today: NaiveDate,
    /// The stage.
    pub stage: Stage,
    /// The stage in Chinese.
    pub stage_zh: String,
    /// What may happen next.
    pub next_actions: Vec<NextAction>,
    /// Deadlines passed and not met.
    pub overdue: Vec<DeadlineStatus>,
    /// The next date on which something about the case changes status. A deadline past the
    /// published calendar (not estimated) wakes on the day after the calendar's last day, or the
    /// next day once past it: never "nothing will change" while a deadline is undetermined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_wake_up: Option<NaiveDate>,
    /// Why the case must be published again, if it must.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republication_required: Option<String>,
    /// The rules version the status was derived with (each date under the catalogue in force on
    /// it).
    pub rules_version: String,
    /// The calendar version it was derived with.
    pub calendar_version: String,
}

/// How a status is derived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusOptions {
    /// Past the published calendar, count weekends only instead of leaving the deadline without
    /// a date; every deadline so computed says `estimated`.
    pub estimate: bool,
}

fn deadline(
    rules: &RuleSet,
    state: &CaseState,
    rule: DeadlineRule,
    today: NaiveDate,
    options: StatusOptions,
) -> DeadlineStatus {
    let none = DeadlineStatus {
        rule,
        date: None,
        overdue_days: None,
        very_overdue: false,
        very_overdue_from: None,
        estimated: false,
        error: None,
    };
    let failed = |e: Error| DeadlineStatus { error: e.diagnostics().into_iter().next(), ..none.clone() };
    let trigger = match rule {
        DeadlineRule::DueDate => None,
        DeadlineRule::ObjectionWindow => state.plan.as_ref().map(|p| p.proposed_on),
        DeadlineRule::CommitteeAnswer | DeadlineRule::GovernmentAnswer => Some(state.stage_since),
        DeadlineRule::Filing => state.publications.last().map(|p| p.date),
        DeadlineRule::Review => state.filings.last().copied(),
        DeadlineRule::Republication => Some(state.stage_since),
    };
    let anchor = trigger.unwrap_or(state.period_until);
    let cat = match catalogue_for(rules, state, anchor) {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let cal = match rules.calendar() {
        Ok(c) => c,
        Err(e) => return failed(e.into()),
    };
    let counting =
        CountingRules::from_catalogue(&cat, Some(rule.extension())).with_explain(false).with_estimate(options.estimate);
    let computed = match (rule, trigger) {
        (DeadlineRule::DueDate, _) => {
            let next = state.period_until.succ_opt().unwrap_or(state.period_until);
            let (_, _, cadence) = parse_period(&state.period).unwrap_or((next, next, Cadence::Quarterly));
            let param = match cadence {
                Cadence::Monthly => "disclosure.monthly_due_day",
                Cadence::HalfYearly => "disclosure.half_yearly_due_day",
                Cadence::Annual => "disclosure.annual_due_day",
                _ => "disclosure.quarterly_due_day",
            };
            match number(&cat, param) {
                Some(day) => fixed_day(
                    cal,
                    chrono::Datelike::year(&next),
                    chrono::Datelike::month(&next),
                    day,
                    param,
                    &[],
                    &counting,
                )
                .map_err(Error::from),
                None => return none,
            }
        }
        (_, Some(start)) => match number(&cat, rule.parameter()) {
            Some(days) => period_end(cal, start, Length::Days(days), &counting).map_err(Error::from),
            None => return none,
        },
        (_, None) => return none,
    };
    match computed {
        Ok(d) => {
            let overdue = (today > d.date).then(|| (today - d.date).num_days());
            let very_after = number(&cat, "procedure.very_overdue_days");
            let very = very_after.is_some_and(|v| overdue.is_some_and(|o| o > i64::from(v)));
            let very_overdue_from =
                very_after.and_then(|v| d.date.checked_add_days(chrono::Days::new(u64::from(v) + 1)));
            DeadlineStatus {
                date: Some(d.date),
                overdue_days: overdue,
                very_overdue: very,
                very_overdue_from,
                estimated: d.explanation.estimated,
                ..none
            }
        }
        Err(e) => failed(e),
    }
}

pub(super) fn status(
    rules: &RuleSet,
    state: &CaseState,
    today: NaiveDate,
    options: StatusOptions,
) -> Result<CaseStatus, Error> {
    let cat = catalogue_for(rules, state, today.max(state.last_event))?;
    let mut next_actions = Vec::new();
    let mut overdue = Vec::new();
    let mut wake = Vec::new();
    let mut seen = BTreeSet::new();
    for t in TRANSITIONS.iter().filter(|t| t.pipeline == state.pipeline && t.from.contains(&state.stage)) {
        if t.event == "taken_down" && t.outcome == "too early" {
            continue;
        }
        let roles = roles_for(t, state, Some(&cat));
        let rule = match (t.deadline, state.stage) {
            (Some(DeadlineRule::DueDate), Stage::RectificationOrdered | Stage::RepublicationRequired) => {
                Some(DeadlineRule::Republication)
            }
            (Some(DeadlineRule::GovernmentAnswer), _) if state.referred_to == Some(Role::RepresentativesMeeting) => {
                None
            }
            (r, _) => r,
        };
        let d = rule.map(|r| deadline(rules, state, r, today, options));
        if let Some(d) = &d {
            // Every change of state is a wake-up: the day after the deadline (overdue) and the
            // first day it is very overdue.
            if let Some(date) = d.date {
                wake.push(date.succ_opt().unwrap_or(date));
            } else if d.error.is_some() {
                // A deadline past the published calendar is not "nothing will change": it lies
                // beyond the calendar's last day, so the job wakes the day after it (the
                // calendar should be updated by then) and, past it, every day until it is.
                let after = rules.calendar().ok().and_then(|c| c.covered_until().succ_opt());
                wake.push(after.filter(|a| *a > today).unwrap_or_else(|| today.succ_opt().unwrap_or(today)));
            }
            wake.extend(d.very_overdue_from);
            if d.overdue_days.is_some() && seen.insert(d.rule as u8) {
                overdue.push(d.clone());
            }
        }
        next_actions.push(NextAction {
            event: t.event.into(),
            outcome: t.outcome.into(),
            label_zh: t.label_zh.into(),
            roles,
            deadline: d,
        });
    }
    if let Some(p) = state.publications.last() {
        if let (Some(r), None) = (p.earliest_removal, p.taken_down) {
            wake.push(r);
        }
    }
    let next_wake_up = wake.into_iter().filter(|d| *d > today).min();
    Ok(CaseStatus {
        today,
        stage: state.stage,
        stage_zh: state.stage.name_zh().into(),
        next_actions,
        overdue,
        next_wake_up,
        republication_required: state.republication_reason.clone(),
        rules_version: rules.version().to_string(),
        calendar_version: rules.calendar().map(|c| c.version().to_string()).unwrap_or_default(),
    })
}
