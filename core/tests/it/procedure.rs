//! Model-based and property tests of the disclosure procedure: every transition of the table is
//! taken at least once, every event is tried in every reachable stage and accepted exactly when
//! the table allows it, and random event sequences never panic and replay to the same state.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::NaiveDate;
use cunwu_core::RuleSet;
use cunwu_core::log::{Actor, Role};
use cunwu_core::procedure::{CaseEvent, DisclosureCase, Pipeline, Stage, TRANSITIONS, UnitRef, plan_requirements};
use cunwu_core::{Error, UnitKind};
use proptest::prelude::*;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().unwrap())
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 1).unwrap() + chrono::Days::new(n)
}

fn actor(role: Role) -> Actor {
    Actor { id: format!("{role:?}"), role, name: None }
}

fn open(pipeline: Pipeline) -> DisclosureCase {
    let role = if pipeline == Pipeline::Party { Role::PartyBranch } else { Role::Committee };
    let unit = UnitRef { id: "v1".into(), kind: UnitKind::Village, district: None, name: None };
    DisclosureCase::open(rules(), day(0), actor(role), unit, "2026-Q1", pipeline).unwrap()
}

fn plan_items(pipeline: Pipeline) -> Vec<String> {
    let mut items: Vec<String> = plan_requirements(rules(), UnitKind::Village, None, "2026-Q1", pipeline, day(0))
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    // The city rules bind no party item (every one rests on a sample: advisory); a plan may
    // still publish a recommended one.
    if items.is_empty() {
        items.push("party.dues".into());
    }
    items
}

/// An event of `kind` with `outcome`, and the role that may take it in `pipeline` (or, where no
/// edge allows the event, a plausible one).
fn sample(kind: &str, outcome: &str, pipeline: Pipeline) -> (CaseEvent, Role) {
    let event = match (kind, outcome) {
        ("plan_proposed", _) => CaseEvent::PlanProposed {
            items: plan_items(pipeline),
            boards: vec![],
            channels: vec![],
            planned_publication: day(14),
        },
        ("plan_reviewed", "objection") => CaseEvent::PlanReviewed { objection: Some("遗漏".into()) },
        ("plan_reviewed", _) => CaseEvent::PlanReviewed { objection: None },
        ("objection_answered", "accepted") => {
            CaseEvent::ObjectionAnswered { accepted: true, answer: String::new(), items_added: vec![] }
        }
        ("objection_answered", _) => {
            CaseEvent::ObjectionAnswered { accepted: false, answer: String::new(), items_added: vec![] }
        }
        ("objection_referred", _) => CaseEvent::ObjectionReferred { to: Role::TownshipOfficer },
        ("objection_settled", _) => {
            CaseEvent::ObjectionSettled { upheld: true, items_added: vec![], note: String::new() }
        }
        ("secrecy_reviewed", "not cleared") => CaseEvent::SecrecyReviewed { cleared: false, note: String::new() },
        ("secrecy_reviewed", _) => CaseEvent::SecrecyReviewed { cleared: true, note: String::new() },
        ("plan_decided", _) => CaseEvent::PlanDecided {},
        ("published", _) => CaseEvent::Published { boards: vec![], reported_at_meeting: true, printed_copies: true },
        ("taken_down", _) => CaseEvent::TakenDown {},
        ("filed", _) => CaseEvent::Filed {},
        ("review_accepted", _) => CaseEvent::ReviewAccepted {},
        ("correction_required", _) => CaseEvent::CorrectionRequired { objection: "0123456789abcdef".into() },
        _ => CaseEvent::RectificationOrdered { reasons: vec!["x".into()] },
    };
    let role = match (kind, pipeline) {
        ("plan_decided", Pipeline::General) => Role::CommitteeMeeting,
        ("objection_settled", _) => Role::TownshipOfficer,
        _ => TRANSITIONS
            .iter()
            .find(|t| t.event == kind && t.pipeline == pipeline)
            .or_else(|| TRANSITIONS.iter().find(|t| t.event == kind))
            .and_then(|t| t.roles.first().copied())
            .unwrap_or(Role::Committee),
    };
    (event, role)
}

/// The date that gives `outcome` for a take-down (early or after the display), else the next day.
fn date_for(case: &DisclosureCase, kind: &str, outcome: &str) -> NaiveDate {
    let last = case.state().last_event;
    match (kind, outcome) {
        ("taken_down", "too early") => last.max(case.state().publications.last().map(|p| p.date).unwrap_or(last)),
        ("taken_down", _) => last + chrono::Days::new(400),
        _ => last + chrono::Days::new(1),
    }
}

/// Paths reaching every stage of a pipeline: (kind, outcome) steps from `opened`.
fn paths(pipeline: Pipeline) -> Vec<Vec<(&'static str, &'static str)>> {
    let publish = match pipeline {
        Pipeline::General => {
            vec![("plan_proposed", ""), ("plan_reviewed", "no objection"), ("plan_decided", ""), ("published", "")]
        }
        Pipeline::Party => {
            vec![("plan_proposed", ""), ("secrecy_reviewed", "cleared"), ("plan_decided", ""), ("published", "")]
        }
    };
    let with = |extra: &[(&'static str, &'static str)]| {
        publish.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>()
    };
    let mut out = vec![
        vec![],
        vec![("plan_proposed", "")],
        publish[..2].to_vec(),
        publish[..3].to_vec(),
        publish.clone(),
        with(&[("taken_down", "too early")]),
        with(&[("filed", "")]),
        with(&[("filed", ""), ("rectification_ordered", "")]),
        with(&[("filed", ""), ("review_accepted", "")]),
    ];
    if pipeline == Pipeline::General {
        out.push(vec![("plan_proposed", ""), ("plan_reviewed", "objection")]);
        out.push(vec![("plan_proposed", ""), ("plan_reviewed", "objection"), ("objection_answered", "not accepted")]);
        out.push(vec![
            ("plan_proposed", ""),
            ("plan_reviewed", "objection"),
            ("objection_answered", "not accepted"),
            ("objection_referred", ""),
        ]);
    }
    out
}

fn apply(case: &mut DisclosureCase, pipeline: Pipeline, kind: &str, outcome: &str) -> Result<(), Error> {
    let (event, role) = sample(kind, outcome, pipeline);
    let date = date_for(case, kind, outcome);
    case.apply(rules(), date, actor(role), event).map(|_| ())
}

const EVENTS: &[(&str, &str)] = &[
    ("plan_proposed", ""),
    ("plan_reviewed", "no objection"),
    ("plan_reviewed", "objection"),
    ("objection_answered", "accepted"),
    ("objection_answered", "not accepted"),
    ("objection_referred", ""),
    ("objection_settled", ""),
    ("secrecy_reviewed", "cleared"),
    ("secrecy_reviewed", "not cleared"),
    ("plan_decided", ""),
    ("published", ""),
    ("taken_down", "too early"),
    ("taken_down", "after the minimum display"),
    ("filed", ""),
    ("review_accepted", ""),
    ("rectification_ordered", ""),
    ("correction_required", ""),
];

#[test]
fn every_event_in_every_stage_is_accepted_exactly_when_the_table_allows_it() {
    let mut taken = BTreeSet::new();
    let mut stages_seen = BTreeSet::new();
    for pipeline in [Pipeline::General, Pipeline::Party] {
        for path in paths(pipeline) {
            let mut base = open(pipeline);
            for (kind, outcome) in &path {
                apply(&mut base, pipeline, kind, outcome).unwrap_or_else(|e| panic!("path {path:?} at {kind}: {e}"));
            }
            let stage = base.state().stage;
            stages_seen.insert((pipeline as u8, stage));
            for (kind, outcome) in EVENTS {
                let mut case = base.clone();
                // "objection withdrawn" is plan_reviewed from objection_answered.
                let table_outcome = match (*kind, stage) {
                    ("plan_reviewed", Stage::ObjectionAnswered) => "objection withdrawn",
                    _ => outcome,
                };
                let edge = TRANSITIONS.iter().position(|t| {
                    t.event == *kind && t.outcome == table_outcome && t.pipeline == pipeline && t.from.contains(&stage)
                });
                let result = apply(&mut case, pipeline, kind, outcome);
                match (edge, result) {
                    (Some(i), Ok(())) => {
                        taken.insert(i);
                        let expected = if TRANSITIONS[i].outcome == "after the minimum display" {
                            stage
                        } else {
                            TRANSITIONS[i].to
                        };
                        assert_eq!(case.state().stage, expected, "{kind}/{outcome} from {stage:?}");
                    }
                    (Some(i), Err(e)) if *kind == "taken_down" && e.code() == "PROCEDURE_INVALID_TRANSITION" => {
                        // a take-down outcome the dates cannot produce from this stage
                        let _ = i;
                    }
                    (Some(_), Err(e)) => panic!("{pipeline:?} {stage:?}: {kind}/{outcome} should be allowed: {e}"),
                    (None, Ok(())) => panic!("{pipeline:?} {stage:?}: {kind}/{outcome} should be refused"),
                    (None, Err(e)) => {
                        assert_eq!(e.code(), "PROCEDURE_INVALID_TRANSITION", "{pipeline:?} {stage:?} {kind}/{outcome}")
                    }
                }
                // a refused event changes nothing
                if edge.is_none() {
                    assert_eq!(case.state(), base.state());
                    assert_eq!(case.entries().len(), base.entries().len());
                }
            }
        }
    }
    let missing: Vec<String> = (0..TRANSITIONS.len())
        .filter(|i| !taken.contains(i))
        .map(|i| {
            format!(
                "{} {} {:?} from {:?}",
                TRANSITIONS[i].event, TRANSITIONS[i].outcome, TRANSITIONS[i].pipeline, TRANSITIONS[i].from
            )
        })
        .collect();
    assert!(missing.is_empty(), "transitions never taken: {missing:#?}");
}

#[test]
fn a_forged_entry_with_a_recomputed_hash_breaks_the_chain_after_it() {
    let mut case = open(Pipeline::General);
    apply(&mut case, Pipeline::General, "plan_proposed", "").unwrap();
    apply(&mut case, Pipeline::General, "plan_reviewed", "no objection").unwrap();
    let mut entries = case.entries().to_vec();
    entries[1].date = day(3);
    entries[1].hash = cunwu_core::log::entry_hash(&entries[1]);
    let err = DisclosureCase::replay(rules(), entries).unwrap_err();
    assert_eq!((err.code(), err.index()), ("LOG_CHAIN", Some(2)));
}

#[test]
fn the_diagram_has_every_transition() {
    for pipeline in [Pipeline::General, Pipeline::Party] {
        let d = cunwu_core::procedure::mermaid(pipeline);
        for t in TRANSITIONS.iter().filter(|t| t.pipeline == pipeline) {
            assert!(d.contains(&format!("{}: {}", t.event, t.label_zh)), "{} missing", t.event);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_never_panic_and_replay_to_the_same_state(
        party: bool,
        steps in proptest::collection::vec((0usize..17, 0usize..11, 0u64..20), 0..25),
    ) {
        let pipeline = if party { Pipeline::Party } else { Pipeline::General };
        let mut case = open(pipeline);
        let roles = [Role::Committee, Role::CommitteeMeeting, Role::JointMeeting, Role::SupervisionCommittee, Role::SupervisionMember,
            Role::PartyBranch, Role::RepresentativesMeeting, Role::GroupHead, Role::TownshipOfficer, Role::DistrictOfficer, Role::Resident];
        for (e, r, gap) in steps {
            let (kind, outcome) = EVENTS[e];
            let (event, _) = sample(kind, outcome, pipeline);
            let before = case.clone();
            let date = case.state().last_event + chrono::Days::new(gap);
            match case.apply(rules(), date, actor(roles[r]), event) {
                Ok(_) => {}
                Err(_) => prop_assert_eq!(&case, &before, "a refused event changed the case"),
            }
        }
        let replayed = DisclosureCase::from_jsonl(rules(), &case.to_jsonl()).unwrap();
        prop_assert_eq!(replayed.state(), case.state());
        prop_assert!(case.status(rules(), day(120)).is_ok());
    }
}
