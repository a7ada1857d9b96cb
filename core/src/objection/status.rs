//! An objection as of a day: its deadlines, whether the objector may escalate for lateness,
//! reprisals, and the next day anything changes. Derived from the log, never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ActionRecord, Level, Objection, ObjectionStage, flag, number, reply_rule_for};
use crate::catalogue::ResolvedCatalogue;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::period::{CountingRules, Length, period_end};
use crate::rules::RuleSet;

/// Options of [`Objection::status_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObjectionStatusOptions {
    /// Past the published calendar, estimate (weekends only; deadlines say `estimated`).
    pub estimate: bool,
}

/// A computed deadline of an objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionDeadline {
    /// What it is (`reply`, `appeal`, `republication`).
    pub what: String,
    /// The parameter it comes from.
    pub parameter: String,
    /// The last day, if a rule in force fixes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Whether the reply must be written.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub written: bool,
    /// Days past it, if passed and not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// Whether the date rests on an estimated calendar (weekends only, past the published one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// Why it could not be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
}

pub(super) fn compute(
    rules: &RuleSet,
    cat: &ResolvedCatalogue,
    what: &str,
    param: &str,
    start: NaiveDate,
    today: NaiveDate,
    options: ObjectionStatusOptions,
) -> ObjectionDeadline {
    let mut d = ObjectionDeadline {
        what: what.into(),
        parameter: param.into(),
        date: None,
        written: false,
        overdue_days: None,
        estimated: false,
        error: None,
    };
    let Some(days) = number(cat, param) else { return d };
    let counting =
        CountingRules::from_catalogue(cat, Some("extension.reply")).with_explain(false).with_estimate(options.estimate);
    match rules
        .calendar()
        .map_err(Error::from)
        .and_then(|cal| period_end(cal, start, Length::Days(days), &counting).map_err(Error::from))
    {
        Ok(end) => {
            d.date = Some(end.date);
            d.estimated = end.explanation.estimated;
            d.overdue_days = (today > end.date).then(|| (today - end.date).num_days());
        }
        Err(e) => d.error = e.diagnostics().into_iter().next(),
    }
    d
}

/// An objection as of a day: derived, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionStatus {
    /// The day.
    pub today: NaiveDate,
    /// The stage.
    pub stage: ObjectionStage,
    /// The current level.
    pub level: Level,
    /// The reply deadline at the current level (while awaiting a reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<ObjectionDeadline>,
    /// A prompt after a reply: the local default `objection.appeal_window_days` suggests going up a
    /// level by this day. It is never a time bar: an escalation after it is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<ObjectionDeadline>,
    /// The re-publication deadline (after correction is ordered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republication: Option<ObjectionDeadline>,
    /// The objector may escalate now because the reply is overdue.
    pub may_escalate_for_lateness: bool,
    /// The next day on which something about the objection changes: the day after a deadline
    /// (the reply turning overdue, the appeal prompt passing, the re-publication overdue). A
    /// deadline past the published calendar (not estimated) wakes on the day after the calendar's
    /// last day, or the next day once past it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_wake_up: Option<NaiveDate>,
    /// Actions against the objector flagged as reprisal [CQ-L art. 40(4)].
    pub reprisals: Vec<ActionRecord>,
    /// The rules version the status was derived with (each date under the catalogue in force on
    /// it).
    pub rules_version: String,
    /// The calendar version it was derived with.
    pub calendar_version: String,
}

impl Objection {
    /// Deadlines, overdue replies and reprisals as of `today`.
    pub fn status(&self, rules: &RuleSet, today: NaiveDate) -> Result<ObjectionStatus, Error> {
        self.status_with(rules, today, ObjectionStatusOptions::default())
    }

    /// [`status`](Objection::status) with options: past the published calendar, `estimate` gives
    /// dates (weekends only, marked `estimated`).
    pub fn status_with(
        &self,
        rules: &RuleSet,
        today: NaiveDate,
        options: ObjectionStatusOptions,
    ) -> Result<ObjectionStatus, Error> {
        let st = self.state();
        let current = st.levels.last();
        let mut reply = None;
        let mut appeal = None;
        let mut republication = None;
        if let Some(rec) = current {
            let cat = rules.resolve_shared(rec.filed_on, st.unit.district.as_deref(), Some(st.unit.kind))?;
            match st.stage {
                ObjectionStage::Filed | ObjectionStage::Acknowledged => {
                    let (param, written) = reply_rule_for(st.unit.kind, rec.level, st.objector.kind, &st.subject);
                    let mut d = compute(rules, &cat, "reply", param, rec.filed_on, today, options);
                    d.written = written.is_some_and(|w| flag(&cat, w));
                    reply = Some(d);
                }
                ObjectionStage::Replied => {
                    let replied = rec.replied_on.unwrap_or(rec.filed_on);
                    appeal =
                        Some(compute(rules, &cat, "appeal", "objection.appeal_window_days", replied, today, options));
                }
                ObjectionStage::CorrectionOrdered => {
                    let ordered = st.correction_ordered.unwrap_or(rec.filed_on);
                    republication = Some(compute(
                        rules,
                        &cat,
                        "republication",
                        "republication.deadline_days",
                        ordered,
                        today,
                        options,
                    ));
                }
                ObjectionStage::Closed | ObjectionStage::Withdrawn => {}
            }
        }
        let next_wake_up = next_wake_up(rules, [&reply, &appeal, &republication], today);
        let may_escalate_for_lateness =
            reply.as_ref().is_some_and(|r| r.overdue_days.is_some()) && st.level.next().is_some();
        Ok(ObjectionStatus {
            today,
            stage: st.stage,
            level: st.level,
            reply,
            appeal,
            republication,
            may_escalate_for_lateness,
            next_wake_up,
            reprisals: st.actions.iter().filter(|a| a.reprisal).cloned().collect(),
            rules_version: rules.version().to_string(),
            calendar_version: rules.calendar().map(|c| c.version().to_string()).unwrap_or_default(),
        })
    }
}

/// The day after the earliest deadline still ahead, or, for a deadline past the calendar, the day
/// after the calendar's last day (the next day once past it).
fn next_wake_up(rules: &RuleSet, deadlines: [&Option<ObjectionDeadline>; 3], today: NaiveDate) -> Option<NaiveDate> {
    let tomorrow = today.succ_opt().unwrap_or(today);
    let after_calendar = rules.calendar().ok().and_then(|c| c.covered_until().succ_opt()).filter(|d| *d > today);
    deadlines
        .into_iter()
        .flatten()
        .filter_map(|d| match (d.date, &d.error) {
            (Some(date), _) => date.succ_opt().filter(|w| *w > today),
            (None, Some(_)) => Some(after_calendar.unwrap_or(tomorrow)),
            (None, None) => None,
        })
        .min()
}
