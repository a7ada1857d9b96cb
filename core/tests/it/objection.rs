//! The objection ladder: every path (reply and accept, escalate when dissatisfied or late at every
//! level up to the final one, withdrawal, correction and re-publication), every event tried in
//! every stage, and reply deadlines for other provinces' rule sets given as data.

use chrono::NaiveDate;
use cunwu_core::log::{Actor, Role};
use cunwu_core::objection::{
    Aspect, EscalationReason, Level, Objection, ObjectionEvent, ObjectionStage, Objector, ObjectorKind, Outcome,
    Subject,
};
use cunwu_core::procedure::UnitRef;
use cunwu_core::rules::SourceFile;
use cunwu_core::{RuleSet, UnitKind};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn actor(role: Role) -> Actor {
    Actor { id: format!("{role:?}"), role, name: None }
}

fn filed(kind: ObjectorKind, level: Level, subject: Subject) -> ObjectionEvent {
    ObjectionEvent::Filed {
        unit: UnitRef { id: "v1".into(), kind: UnitKind::Village, district: None, name: None },
        objector: Objector { kind, id: "o1".into() },
        subject,
        level,
        text: "异议".into(),
    }
}

fn disclosure() -> Subject {
    Subject::Disclosure { aspect: Aspect::Content, case: None, item: None }
}

fn reply(outcome: Outcome) -> ObjectionEvent {
    ObjectionEvent::Replied { outcome, reasons: "理由".into(), written: true }
}

fn bundled() -> RuleSet {
    RuleSet::bundled().unwrap()
}

/// Every kind of event, with who would take it at `level` for `objector`.
fn all_events(level: Level, objector: Role) -> Vec<(ObjectionEvent, Role)> {
    vec![
        (ObjectionEvent::Acknowledged {}, level.role()),
        (reply(Outcome::Upheld), level.role()),
        (reply(Outcome::Dismissed), level.role()),
        (ObjectionEvent::Accepted {}, objector),
        (ObjectionEvent::Escalated { reason: EscalationReason::Dissatisfied }, objector),
        (ObjectionEvent::Escalated { reason: EscalationReason::Overdue }, objector),
        (ObjectionEvent::Withdrawn {}, objector),
        (ObjectionEvent::CorrectionOrdered {}, level.role()),
        (ObjectionEvent::Republished {}, Role::Committee),
    ]
}

/// What the ladder allows in a stage (an oracle written from the statute, not from the code).
/// `late` is a date past both the reply deadline and the (prompting, never binding) appeal window:
/// no text limits when a dissatisfied objector may go up a level [CQ-L art. 31].
fn allowed(stage: ObjectionStage, event: &ObjectionEvent, level: Level, upheld: bool, late: bool) -> bool {
    use ObjectionEvent as E;
    use ObjectionStage as S;
    match (stage, event) {
        (S::Filed, E::Acknowledged {}) => true,
        (S::Filed | S::Acknowledged, E::Replied { .. } | E::Withdrawn {}) => true,
        (S::Filed | S::Acknowledged, E::Escalated { reason: EscalationReason::Overdue }) => {
            late && level != Level::District
        }
        (S::Replied, E::Accepted {} | E::Withdrawn {}) => true,
        (S::Replied, E::Escalated { reason: EscalationReason::Dissatisfied }) => level != Level::District,
        (S::Replied, E::CorrectionOrdered {}) => upheld,
        (S::CorrectionOrdered, E::Republished {}) => true,
        _ => false,
    }
}

#[test]
fn every_event_in_every_stage_at_every_level() {
    let rules = bundled();
    let levels = [Level::GroupHead, Level::Committee, Level::Township, Level::District];
    let mut tried = 0;
    for level in levels {
        for (prefix, upheld) in [
            (vec![], false),
            (vec![(ObjectionEvent::Acknowledged {}, level.role())], false),
            (vec![(reply(Outcome::Upheld), level.role())], true),
            (vec![(reply(Outcome::Dismissed), level.role())], false),
            (vec![(reply(Outcome::Upheld), level.role()), (ObjectionEvent::CorrectionOrdered {}, level.role())], true),
        ] {
            for late in [false, true] {
                let mut base = Objection::file(
                    &rules,
                    d("2026-03-02"),
                    actor(Role::Resident),
                    filed(ObjectorKind::Resident, level, disclosure()),
                )
                .unwrap();
                for (e, r) in &prefix {
                    base.apply(&rules, d("2026-03-03"), actor(*r), e.clone()).unwrap();
                }
                let stage = base.state().stage;
                let date = if late { d("2026-04-10") } else { d("2026-03-04") };
                for (event, role) in all_events(level, Role::Resident) {
                    tried += 1;
                    let mut o = base.clone();
                    let expect = allowed(stage, &event, level, upheld, late);
                    let got = o.apply(&rules, date, actor(role), event.clone());
                    match (expect, got) {
                        (true, Ok(_)) => {}
                        (false, Err(_)) => assert_eq!(o.state(), base.state(), "a refused event changed the objection"),
                        (true, Err(e)) => panic!("{level:?} {stage:?} late={late}: {event:?} should be allowed: {e}"),
                        (false, Ok(_)) => panic!("{level:?} {stage:?} late={late}: {event:?} should be refused"),
                    }
                }
            }
        }
    }
    assert!(tried > 300);
}

#[test]
fn escalation_for_lateness_climbs_to_the_district_and_stops() {
    let rules = bundled();
    let mut o = Objection::file(
        &rules,
        d("2026-03-02"),
        actor(Role::Resident),
        filed(ObjectorKind::Resident, Level::Committee, disclosure()),
    )
    .unwrap();
    let mut date = d("2026-03-02");
    for expected in [Level::Township, Level::District] {
        let due = o.status(&rules, date).unwrap().reply.unwrap().date.unwrap();
        date = due.succ_opt().unwrap();
        assert!(o.status(&rules, date).unwrap().may_escalate_for_lateness);
        o.apply(&rules, date, actor(Role::Resident), ObjectionEvent::Escalated { reason: EscalationReason::Overdue })
            .unwrap();
        assert_eq!(o.state().level, expected);
    }
    let late = date + chrono::Days::new(40);
    assert!(!o.status(&rules, late).unwrap().may_escalate_for_lateness, "the district is final");
    let err = o
        .apply(&rules, late, actor(Role::Resident), ObjectionEvent::Escalated { reason: EscalationReason::Overdue })
        .unwrap_err();
    assert_eq!(err.code(), "OBJECTION_FINAL_LEVEL");
    assert_eq!(o.state().levels.len(), 3);
}

/// 组务 [CQ-L art. 32]: a disputed answer of the group head goes to the group meeting (put by the
/// supervision committee), which no text gives a day count; the township stays open afterwards.
#[test]
fn a_group_objection_goes_from_the_group_head_to_the_group_meeting() {
    let rules = bundled();
    let unit = UnitRef { id: "g1".into(), kind: UnitKind::Group, district: None, name: None };
    let event = ObjectionEvent::Filed {
        unit,
        objector: Objector { kind: ObjectorKind::Resident, id: "r1".into() },
        subject: disclosure(),
        level: Level::GroupHead,
        text: "组务公开有误".into(),
    };
    let mut o = Objection::file(&rules, d("2026-03-02"), actor(Role::Resident), event).unwrap();
    let due = o.status(&rules, d("2026-03-02")).unwrap().reply.unwrap();
    assert_eq!((due.parameter.as_str(), due.date), ("reply.group_head_days", Some(d("2026-03-05"))));
    o.apply(&rules, d("2026-03-04"), actor(Role::GroupHead), reply(Outcome::Dismissed)).unwrap();
    // Long after the local "appeal window": still accepted, never refused.
    o.apply(
        &rules,
        d("2026-06-30"),
        actor(Role::Resident),
        ObjectionEvent::Escalated { reason: EscalationReason::Dissatisfied },
    )
    .unwrap();
    assert_eq!(o.state().level, Level::GroupMeeting);
    let status = o.status(&rules, d("2026-09-30")).unwrap();
    let due = status.reply.unwrap();
    assert_eq!((due.parameter.as_str(), due.date, due.overdue_days), ("reply.group_meeting_days", None, None));
    o.apply(&rules, d("2026-10-01"), actor(Role::SupervisionCommittee), reply(Outcome::Dismissed)).unwrap();
    o.apply(
        &rules,
        d("2026-10-02"),
        actor(Role::Resident),
        ObjectionEvent::Escalated { reason: EscalationReason::Dissatisfied },
    )
    .unwrap();
    assert_eq!(o.state().level, Level::Township);
}

#[test]
fn replay_equals_applying_and_every_tampering_is_found() {
    let rules = bundled();
    let mut o = Objection::file(
        &rules,
        d("2026-04-20"),
        actor(Role::Resident),
        filed(ObjectorKind::Resident, Level::Committee, disclosure()),
    )
    .unwrap();
    o.apply(&rules, d("2026-04-22"), actor(Role::Committee), reply(Outcome::Dismissed)).unwrap();
    o.apply(
        &rules,
        d("2026-04-25"),
        actor(Role::Resident),
        ObjectionEvent::Escalated { reason: EscalationReason::Dissatisfied },
    )
    .unwrap();
    let replayed = Objection::from_jsonl(&rules, &o.to_jsonl()).unwrap();
    assert_eq!(replayed.state(), o.state());
    let mut entries = o.entries().to_vec();
    entries.swap(1, 2);
    assert_eq!(Objection::replay(&rules, entries).unwrap_err().code(), "LOG_INDEX");
}

/// The bundled rules without the Chongqing layers, plus one province's layer.
fn province(file: &str) -> RuleSet {
    let mut files: Vec<SourceFile> =
        cunwu_core::rules::bundled::sources().into_iter().filter(|f| !f.path.contains("/layers/cq-")).collect();
    let path = crate::repo_root().join("tests/fixtures/provinces").join(file);
    files.push(SourceFile::new(format!("tests/fixtures/provinces/{file}"), std::fs::read_to_string(path).unwrap()));
    RuleSet::load(&files).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn reply_due(rules: &RuleSet, kind: ObjectorKind, level: Level) -> (String, Option<NaiveDate>, bool) {
    let role = kind.role();
    let o = Objection::file(rules, d("2026-04-20"), actor(role), filed(kind, level, disclosure())).unwrap();
    let r = o.status(rules, d("2026-04-20")).unwrap().reply.unwrap();
    (r.parameter, r.date, r.written)
}

#[test]
fn chongqing_reply_deadlines() {
    let rules = bundled();
    assert_eq!(
        reply_due(&rules, ObjectorKind::Resident, Level::Committee),
        ("reply.committee_to_resident_days".into(), Some(d("2026-04-23")), false)
    );
    assert_eq!(reply_due(&rules, ObjectorKind::Resident, Level::Township).1, Some(d("2026-04-30")));
    assert_eq!(reply_due(&rules, ObjectorKind::SupervisionCommittee, Level::Committee).1, Some(d("2026-04-27")));
    assert_eq!(
        reply_due(&rules, ObjectorKind::SupervisionCommittee, Level::Township),
        ("reply.government_to_supervision_days".into(), Some(d("2026-04-30")), true)
    );
}

#[test]
fn shanghai_committee_has_15_days_and_no_government_deadline() {
    let rules = province("shanghai.toml");
    // 15 days after 2026-04-20 is 2026-05-05, inside the Labour Day break: the civil law's
    // general extension moves it to 2026-05-06.
    assert_eq!(reply_due(&rules, ObjectorKind::Resident, Level::Committee).1, Some(d("2026-05-06")));
    assert_eq!(reply_due(&rules, ObjectorKind::Resident, Level::Township).1, None, "Shanghai's statute sets no number");
}

#[test]
fn zhejiang_government_has_20_days() {
    let rules = province("zhejiang.toml");
    assert_eq!(reply_due(&rules, ObjectorKind::Resident, Level::Committee).1, Some(d("2026-05-06")));
    assert_eq!(reply_due(&rules, ObjectorKind::Resident, Level::Township).1, Some(d("2026-05-11")));
}

#[test]
fn sichuan_supervision_group_gets_written_answers_in_10_and_20_days() {
    let rules = province("sichuan.toml");
    assert_eq!(reply_due(&rules, ObjectorKind::SupervisionCommittee, Level::Committee).1, Some(d("2026-04-30")));
    let (_, date, written) = reply_due(&rules, ObjectorKind::SupervisionCommittee, Level::Township);
    assert_eq!((date, written), (Some(d("2026-05-11")), true));
}

mod properties {
    //! The ladder as a state machine under random use: refused events change nothing, any log
    //! replays to the state it was built to, and any tampering with it is found at its index.
    use super::*;
    use proptest::prelude::*;

    fn rules() -> &'static RuleSet {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        RULES.get_or_init(bundled)
    }

    const LEVELS: [Level; 4] = [Level::GroupHead, Level::Committee, Level::Township, Level::District];

    /// An objection filed at `level`, then `steps` tried in order (refusals skipped).
    fn build(level: usize, steps: &[(usize, u64)]) -> Objection {
        let level = LEVELS[level % LEVELS.len()];
        let mut o = Objection::file(
            rules(),
            d("2026-04-20"),
            actor(Role::Resident),
            filed(ObjectorKind::Resident, level, disclosure()),
        )
        .unwrap();
        for &(e, gap) in steps {
            let events = all_events(o.state().level, Role::Resident);
            let (event, role) = events[e % events.len()].clone();
            let before = o.clone();
            let date = o.entries().last().unwrap().date + chrono::Days::new(gap);
            if o.apply(rules(), date, actor(role), event).is_err() {
                assert_eq!(o, before, "a refused event changed the objection");
            }
        }
        o
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_use_replays_to_the_same_state(level in 0usize..4, steps in proptest::collection::vec((0usize..9, 0u64..40), 0..30)) {
            let o = build(level, &steps);
            let replayed = Objection::from_jsonl(rules(), &o.to_jsonl()).unwrap();
            prop_assert_eq!(replayed.state(), o.state());
            prop_assert!(o.status(rules(), d("2026-12-31")).is_ok());
        }

        #[test]
        fn any_tampering_is_found_at_its_index(
            level in 0usize..4,
            steps in proptest::collection::vec((0usize..9, 0u64..40), 1..30),
            pick in any::<prop::sample::Index>(),
            how in 0usize..4,
        ) {
            let o = build(level, &steps);
            let mut entries = o.entries().to_vec();
            let n = entries.len();
            prop_assume!(n >= 2);
            let i = pick.index(n);
            let expected = match how {
                // Change an event's date (its hash no longer matches).
                0 => {
                    entries[i].date = entries[i].date + chrono::Days::new(1);
                    i
                }
                // Remove an event that is not the last (removing the last is a shorter log).
                1 => {
                    let i = i.min(n - 2);
                    entries.remove(i);
                    i
                }
                // Swap two neighbours.
                2 => {
                    let i = i.min(n - 2);
                    entries.swap(i, i + 1);
                    i
                }
                // Insert a copy after an event.
                _ => {
                    let copy = entries[i].clone();
                    entries.insert(i + 1, copy);
                    i + 1
                }
            };
            let err = Objection::replay(rules(), entries).unwrap_err();
            prop_assert!(err.code().starts_with("LOG_"), "{}", err.code());
            prop_assert_eq!(err.index(), Some(expected as u64), "{} {:?}", how, err);
        }
    }
}
