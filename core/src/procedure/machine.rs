//! The procedure as a machine over the shared log: the first entry, every guard of every later
//! one, and the state they give.

use chrono::NaiveDate;

use super::*;

/// The disclosure procedure as a [`Machine`](crate::log::Machine) over the shared log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure;

impl crate::log::Machine for Procedure {
    type Event = CaseEvent;
    type State = CaseState;

    fn start(rules: &RuleSet, first: &Entry<CaseEvent>, guards: &mut Guards) -> Result<CaseState, Error> {
        initial_state(rules, first.date, &first.actor, &first.event, guards)
    }

    fn step(
        rules: &RuleSet,
        state: &mut CaseState,
        date: NaiveDate,
        actor: &Actor,
        event: &CaseEvent,
        guards: &mut Guards,
    ) -> Result<(), Error> {
        transition(rules, state, date, actor, event, guards)
    }
}

/// A disclosure case (村(居)务公开案件): its hash-chained log and the state the log gives.
pub type DisclosureCase = crate::log::Journal<Procedure>;

/// Parse a period label into its first and last day and its cadence.
///
/// ```
/// use cunwu_core::procedure::parse_period;
/// let (from, until, _) = parse_period("2026-Q1").unwrap();
/// assert_eq!((from.to_string(), until.to_string()), ("2026-01-01".into(), "2026-03-31".into()));
/// assert!(parse_period("2026-Q5").is_err());
/// ```
pub fn parse_period(label: &str) -> Result<(NaiveDate, NaiveDate, Cadence), ProcedureError> {
    let bad = || ProcedureError::InvalidPeriod { label: label.to_string() };
    let (year, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(bad)?;
    let span = |m1: u32, m2: u32| -> Result<(NaiveDate, NaiveDate), ProcedureError> {
        let from = NaiveDate::from_ymd_opt(year, m1, 1).ok_or_else(bad)?;
        Ok((from, last_day_of_month(year, m2).ok_or_else(bad)?))
    };
    let (from, until, cadence) = match rest {
        None => {
            let (f, u) = span(1, 12)?;
            (f, u, Cadence::Annual)
        }
        Some(q) if q.starts_with('Q') => {
            let n: u32 = q.get(1..).and_then(|n| n.parse().ok()).filter(|n| (1..=4).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n * 3 - 2, n * 3)?;
            (f, u, Cadence::Quarterly)
        }
        Some(h) if h.starts_with('H') => {
            let n: u32 = h.get(1..).and_then(|n| n.parse().ok()).filter(|n| (1..=2).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n * 6 - 5, n * 6)?;
            (f, u, Cadence::HalfYearly)
        }
        Some(m) if m.len() == 2 => {
            let n: u32 = m.parse().ok().filter(|n| (1..=12).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n, n)?;
            (f, u, Cadence::Monthly)
        }
        Some(_) => return Err(bad()),
    };
    Ok((from, until, cadence))
}

pub(super) fn reject(e: ProcedureError) -> Error {
    Error::Procedure(e)
}

pub(super) fn number(cat: &ResolvedCatalogue, id: &str) -> Option<u32> {
    cat.parameter(id).and_then(|p| p.as_number()).and_then(|n| u32::try_from(n).ok())
}

/// The periodic items due for a case's period, each with every cadence it is due under: items of
/// the case's pipeline whose covered period ends with the case's (a quarter's items with its last
/// month's monthly items, and so on).
pub(super) fn due_cadences(
    cat: &ResolvedCatalogue,
    unit: UnitKind,
    pipeline: Pipeline,
    cadence: Cadence,
    until: NaiveDate,
) -> Vec<(&crate::catalogue::ResolvedItem, Cadence)> {
    let month = chrono::Datelike::month(&until);
    let due = |c: &Cadence| match c {
        Cadence::Monthly => true,
        Cadence::Quarterly => month % 3 == 0 && cadence != Cadence::Monthly,
        Cadence::HalfYearly => {
            month % 6 == 0 && matches!(cadence, Cadence::HalfYearly | Cadence::Annual | Cadence::Quarterly)
        }
        Cadence::Annual => month == 12 && cadence != Cadence::Monthly,
        Cadence::OnChange | Cadence::AdHoc => false,
    };
    cat.items
        .iter()
        .filter(|i| i.applies_to(unit))
        .filter(|i| (i.kind.value == crate::model::AffairKind::Party) == (pipeline == Pipeline::Party))
        .flat_map(|i| i.cadence.value.iter().filter(|c| due(c)).map(move |c| (i, *c)))
        .collect()
}

/// The items due for a case's period, once each.
fn due_items(
    cat: &ResolvedCatalogue,
    unit: UnitKind,
    pipeline: Pipeline,
    cadence: Cadence,
    until: NaiveDate,
) -> Vec<MissingItem> {
    let mut out: Vec<MissingItem> = Vec::new();
    for (i, _) in due_cadences(cat, unit, pipeline, cadence, until) {
        if out.last().is_none_or(|m| m.id != i.id) {
            out.push(MissingItem { id: i.id.clone(), name: i.name.value.clone(), basis: i.basis.clone() });
        }
    }
    out
}

impl DisclosureCase {
    /// Open a case: the first entry of its log.
    pub fn open(
        rules: &RuleSet,
        date: NaiveDate,
        actor: Actor,
        unit: UnitRef,
        period: &str,
        pipeline: Pipeline,
    ) -> Result<Self, Error> {
        DisclosureCase::begin(rules, date, actor, CaseEvent::Opened { unit, period: period.to_string(), pipeline })
    }

    /// What is due, what is overdue, what may happen next and by when, as of `today`.
    pub fn status(&self, rules: &RuleSet, today: NaiveDate) -> Result<CaseStatus, Error> {
        status::status(rules, self.state(), today, StatusOptions::default())
    }

    /// [`DisclosureCase::status`] with options: `estimate` gives deadlines past the published
    /// calendar (weekends only, each marked `estimated`).
    pub fn status_with(&self, rules: &RuleSet, today: NaiveDate, options: StatusOptions) -> Result<CaseStatus, Error> {
        status::status(rules, self.state(), today, options)
    }

    /// The case's id: the hash of its first entry.
    pub fn id(&self) -> &str {
        self.entries().first().map(|e| e.hash.as_str()).unwrap_or_default()
    }
}

fn initial_state(
    rules: &RuleSet,
    date: NaiveDate,
    actor: &Actor,
    event: &CaseEvent,
    guards: &mut Guards,
) -> Result<CaseState, Error> {
    let CaseEvent::Opened { unit, period, pipeline } = event else {
        return Err(reject(ProcedureError::Opening {
            message: format!("the first event must be `opened`, not `{}`", event.kind()),
        }));
    };
    let allowed: &[Role] = match pipeline {
        Pipeline::General => &[Role::Committee],
        Pipeline::Party => &[Role::PartyBranch],
    };
    if !allowed.contains(&actor.role) {
        return Err(reject(ProcedureError::WrongRole {
            event: "opened".into(),
            role: actor.role,
            allowed: allowed.iter().map(|r| r.name_zh()).collect::<Vec<_>>().join("、"),
            basis: "cq-village-measures-2013 第二十九条".into(),
        }));
    }
    let (from, until, _) = parse_period(period).map_err(reject)?;
    guards.rule(rules.resolve_shared(date, unit.district.as_deref(), Some(unit.kind)).map_err(Error::from))?;
    Ok(CaseState {
        unit: unit.clone(),
        period: period.clone(),
        period_from: from,
        period_until: until,
        pipeline: *pipeline,
        stage: Stage::Opened,
        last_event: date,
        stage_since: date,
        plan: None,
        objection: None,
        referred_to: None,
        publications: Vec::new(),
        filings: Vec::new(),
        rectifications: Vec::new(),
        republication_reason: None,
        objections: Vec::new(),
    })
}

fn outcome(event: &CaseEvent, state: &CaseState, rules: &RuleSet, date: NaiveDate) -> &'static str {
    match event {
        CaseEvent::PlanReviewed { objection: Some(_) } if state.stage == Stage::Proposed => "objection",
        CaseEvent::PlanReviewed { .. } if state.stage == Stage::Proposed => "no objection",
        CaseEvent::PlanReviewed { .. } => "objection withdrawn",
        CaseEvent::ObjectionAnswered { accepted: true, .. } => "accepted",
        CaseEvent::ObjectionAnswered { accepted: false, .. } => "not accepted",
        CaseEvent::SecrecyReviewed { cleared: true, .. } => "cleared",
        CaseEvent::SecrecyReviewed { cleared: false, .. } => "not cleared",
        CaseEvent::TakenDown {} => {
            let early = state
                .publications
                .last()
                .and_then(|p| p.earliest_removal.or(if p.taken_down.is_none() { Some(NaiveDate::MAX) } else { None }))
                .is_some_and(|removal| date < removal);
            let _ = rules;
            if early { "too early" } else { "after the minimum display" }
        }
        _ => "",
    }
}

pub(super) fn catalogue_for(
    rules: &RuleSet,
    state: &CaseState,
    date: NaiveDate,
) -> Result<std::sync::Arc<ResolvedCatalogue>, Error> {
    Ok(rules.resolve_shared(date, state.unit.district.as_deref(), Some(state.unit.kind))?)
}

fn check_items(cat: &ResolvedCatalogue, unit: UnitKind, items: &[String], date: NaiveDate) -> Result<(), Error> {
    for id in items {
        // Advisory items (建议公开) may be planned and published; they are never required.
        let known = cat.item(id).or_else(|| cat.advisory_item(id)).is_some_and(|i| i.applies_to(unit));
        if !known {
            return Err(reject(ProcedureError::UnknownItem { id: id.clone(), date }));
        }
    }
    Ok(())
}

/// Check `event` against every guard and apply it to `state`.
fn transition(
    rules: &RuleSet,
    state: &mut CaseState,
    date: NaiveDate,
    actor: &Actor,
    event: &CaseEvent,
    guards: &mut Guards,
) -> Result<(), Error> {
    if let CaseEvent::Opened { .. } = event {
        return Err(reject(ProcedureError::Opening {
            message: "a case is opened only once, by its first event".into(),
        }));
    }
    if date < state.last_event {
        return Err(reject(ProcedureError::DateBackwards { date, previous: state.last_event }));
    }
    let kind = event.kind();
    let out = outcome(event, state, rules, date);
    let edge = TRANSITIONS
        .iter()
        .find(|t| t.event == kind && t.outcome == out && t.pipeline == state.pipeline && t.from.contains(&state.stage))
        .ok_or_else(|| {
            let allowed = crate::sort::set(
                TRANSITIONS
                    .iter()
                    .filter(|t| t.pipeline == state.pipeline && t.from.contains(&state.stage))
                    .map(|t| t.event.to_string()),
            )
            .into_iter()
            .collect();
            reject(ProcedureError::InvalidTransition { event: kind.into(), stage: state.stage.name().into(), allowed })
        })?;
    // The catalogue in force on the day: a guard of the rules (read as recorded, an entry whose
    // district or catalogue is gone goes on without it).
    let cat = guards.rule(catalogue_for(rules, state, date))?;
    let wrong_role = |roles: &[Role]| {
        reject(ProcedureError::WrongRole {
            event: kind.into(),
            role: actor.role,
            allowed: roles.iter().map(|r| r.name_zh()).collect::<Vec<_>>().join("、"),
            basis: edge.basis.into(),
        })
    };
    // Who may act is the code's table, narrowed by the rules (the deciding body in force): only
    // the narrowing is a guard of the rules.
    let structural = roles_for(edge, state, None);
    if !structural.contains(&actor.role) {
        return Err(wrong_role(&structural));
    }
    if let Some(cat) = &cat {
        let roles = roles_for(edge, state, Some(cat));
        if !roles.contains(&actor.role) {
            guards.rule(Err::<(), _>(wrong_role(&roles)))?;
        }
    }
    match event {
        CaseEvent::PlanProposed { items, boards, channels, planned_publication } => {
            if let Some(cat) = &cat {
                guards.rule(check_items(cat, state.unit.kind, items, date))?;
                let (_, _, cadence) = parse_period(&state.period).map_err(reject)?;
                let required = due_items(cat, state.unit.kind, state.pipeline, cadence, state.period_until);
                let missing: Vec<MissingItem> = required.into_iter().filter(|m| !items.contains(&m.id)).collect();
                if !missing.is_empty() {
                    guards.rule(Err::<(), _>(reject(ProcedureError::PlanIncomplete { missing })))?;
                }
            }
            state.plan = Some(Plan {
                items: crate::sort::set(items.iter().cloned()),
                boards: boards.clone(),
                channels: channels.clone(),
                planned_publication: *planned_publication,
                proposed_on: date,
            });
        }
        CaseEvent::PlanReviewed { objection } if state.stage == Stage::Proposed => state.objection = objection.clone(),
        CaseEvent::ObjectionAnswered { items_added, .. } | CaseEvent::ObjectionSettled { items_added, .. } => {
            if let Some(cat) = &cat {
                guards.rule(check_items(cat, state.unit.kind, items_added, date))?;
            }
            if let Some(plan) = state.plan.as_mut() {
                plan.items.extend(items_added.iter().cloned());
            }
        }
        CaseEvent::ObjectionReferred { to } => {
            if !matches!(to, Role::RepresentativesMeeting | Role::TownshipOfficer | Role::DistrictOfficer) {
                return Err(reject(ProcedureError::InvalidReferral { to: *to }));
            }
            state.referred_to = Some(*to);
        }
        CaseEvent::SecrecyReviewed { cleared: false, .. } => state.plan = None,
        CaseEvent::Published { boards, reported_at_meeting, printed_copies } => {
            let display = cat.as_deref().and_then(|cat| longest_display(cat, state));
            let earliest_removal = display.and_then(|d| {
                let counted = matches!(
                    cat.as_deref().and_then(|c| c.parameter("display.start_day_counted")).map(|p| &p.value),
                    Some(crate::catalogue::ParamValue::Flag(true))
                );
                display_end(date, d, counted, &[], &[]).map(|e| e.earliest_removal)
            });
            state.publications.push(Publication {
                date,
                boards: boards.clone(),
                reported_at_meeting: *reported_at_meeting,
                printed_copies: *printed_copies,
                taken_down: None,
                earliest_removal,
            });
            state.republication_reason = None;
        }
        CaseEvent::TakenDown {} => {
            if let Some(p) = state.publications.last_mut() {
                p.taken_down = Some(date);
            }
            if edge.to == Stage::RepublicationRequired {
                state.republication_reason = Some(format!("taken down on {date}, before the minimum display"));
            }
        }
        CaseEvent::Filed {} => state.filings.push(date),
        CaseEvent::CorrectionRequired { objection } => {
            state.objections.push(objection.clone());
            state.republication_reason = Some(format!("objection {} upheld", objection.get(..12).unwrap_or(objection)));
        }
        CaseEvent::RectificationOrdered { reasons } => {
            state.rectifications.push((date, reasons.clone()));
            state.republication_reason = Some("rectification ordered by the township".into());
        }
        _ => {}
    }
    let to = if kind == "taken_down" && edge.to == Stage::Published { state.stage } else { edge.to };
    if to != state.stage {
        state.stage_since = date;
    }
    state.stage = to;
    state.last_event = date;
    Ok(())
}

/// The deadline of edge `t` when taken from `from`: publishing again after a rectification order
/// or an early take-down runs on the re-publication deadline, not the period's due day.
pub(super) fn effective_rule(t: &Transition, from: Stage) -> Option<DeadlineRule> {
    match (t.deadline, from) {
        (Some(DeadlineRule::DueDate), Stage::RectificationOrdered | Stage::RepublicationRequired) => {
            Some(DeadlineRule::Republication)
        }
        (rule, _) => rule,
    }
}

/// Who may take the step `edge` in `state`: the table's roles, narrowed by the deciding body in
/// force (`procedure.deciding_body`) and by the body an objection was referred to.
pub(super) fn roles_for(edge: &Transition, state: &CaseState, cat: Option<&ResolvedCatalogue>) -> Vec<Role> {
    match (edge.event, state.pipeline, state.referred_to) {
        ("plan_decided", Pipeline::General, _) => {
            let Some(cat) = cat else { return edge.roles.to_vec() };
            match cat.parameter("procedure.deciding_body").map(|p| p.value.to_text()).as_deref() {
                Some("joint_meeting") => vec![Role::JointMeeting],
                _ => vec![Role::CommitteeMeeting],
            }
        }
        ("objection_settled", _, Some(Role::RepresentativesMeeting)) => vec![Role::RepresentativesMeeting],
        ("objection_settled", _, Some(_)) => vec![Role::TownshipOfficer, Role::DistrictOfficer],
        _ => edge.roles.to_vec(),
    }
}

/// The longest minimum display among the plan's items (None when one is standing).
fn longest_display(cat: &ResolvedCatalogue, state: &CaseState) -> Option<DisplayPeriod> {
    let plan = state.plan.as_ref()?;
    let mut longest: Option<DisplayPeriod> = None;
    for id in &plan.items {
        // What is on the board stays up its minimum, advisory items included (一(二)二).
        let d = cat.item(id).or_else(|| cat.advisory_item(id)).and_then(|i| i.display.as_ref()).map(|d| d.value)?;
        if d == DisplayPeriod::Standing {
            return None;
        }
        longest = Some(match longest {
            Some(l) if l.at_least(&d) => l,
            _ => d,
        });
    }
    longest
}
