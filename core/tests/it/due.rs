//! The city-wide due and overdue call (issue 19): what it lists agrees with each case's own
//! status and each unit's schedule, nothing is skipped without a problem, and it is sorted.

use chrono::NaiveDate;
use cunwu_core::due::{DueInput, DueOptions, DueState, due_between};
use cunwu_core::log::Entry;
use cunwu_core::procedure::{CaseEvent, DisclosureCase, UnitRef};
use cunwu_core::schedule::{ScheduleOptions, Scheduler};
use cunwu_core::{RuleSet, UnitKind};
use proptest::prelude::*;

use crate::repo_root;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn example() -> Vec<Entry<CaseEvent>> {
    let text = std::fs::read_to_string(repo_root().join("examples/procedure/village-2026-q1.jsonl")).unwrap();
    cunwu_core::log::from_jsonl(&text).unwrap()
}

/// The example's first `n` events for unit `id`.
fn case(rules: &RuleSet, id: &str, n: usize) -> DisclosureCase {
    let entries = example();
    let CaseEvent::Opened { mut unit, period, pipeline } = entries[0].event.clone() else { unreachable!() };
    unit.id = id.into();
    let mut case = DisclosureCase::begin(
        rules,
        entries[0].date,
        entries[0].actor.clone(),
        CaseEvent::Opened { unit, period, pipeline },
    )
    .unwrap();
    for e in &entries[1..n] {
        case.apply(rules, e.date, e.actor.clone(), e.event.clone()).unwrap();
    }
    case
}

fn village(id: &str) -> UnitRef {
    UnitRef { id: id.into(), kind: UnitKind::Village, district: None, name: None }
}

#[test]
fn an_overdue_step_from_before_the_window_is_listed_and_a_closed_case_is_not() {
    let rules = RuleSet::bundled().unwrap();
    // Published on 04-15, never filed; another case closed.
    let (open, closed) = (case(&rules, "v1", 6), case(&rules, "v2", 11));
    let list = due_between(
        &rules,
        DueInput { units: &[], cases: &[&open, &closed], objections: &[] },
        day("2026-06-01"),
        day("2026-06-30"),
        DueOptions::default(),
    )
    .unwrap();
    assert!(list.entries.iter().all(|e| e.unit == "v1"), "{:?}", list.entries);
    let filing = list.entries.iter().find(|e| e.deadline == "filing").unwrap();
    assert!(filing.date < day("2026-06-01"));
    assert_eq!(filing.state, DueState::VeryOverdue);
    // The same as the case's own status on the window's last day.
    let status = open.status(&rules, day("2026-06-30")).unwrap();
    let overdue = status.overdue.iter().find(|o| o.rule.name() == "filing").unwrap();
    assert_eq!((Some(filing.date), filing.overdue_days), (overdue.date, overdue.overdue_days));
}

#[test]
fn a_units_obligation_a_case_covers_is_left_to_the_case() {
    let rules = RuleSet::bundled().unwrap();
    // A Q1 case past its plan: its items (and the March monthly ones) are the case's.
    let planned = case(&rules, "v1", 5);
    let units = [village("v1"), village("v2")];
    let list = due_between(
        &rules,
        DueInput { units: &units, cases: &[&planned], objections: &[] },
        day("2026-04-01"),
        day("2026-04-30"),
        DueOptions::default(),
    )
    .unwrap();
    let of = |unit: &str| list.entries.iter().filter(|e| e.unit == unit && e.item.is_some()).count();
    assert!(of("v2") > 0);
    assert!(of("v1") < of("v2"), "v1 {} v2 {}", of("v1"), of("v2"));
    // What v2 owes is exactly its schedule's obligations due in the window.
    let schedule = Scheduler::new(&rules)
        .schedule(UnitKind::Village, 2026, None, &ScheduleOptions { explain: false, estimate: false })
        .unwrap();
    let due = schedule
        .obligations
        .iter()
        .filter(|o| o.due.date.is_some_and(|d| (day("2026-04-01")..=day("2026-04-30")).contains(&d)))
        .count();
    assert_eq!(of("v2"), due);
    assert!(
        list.entries
            .iter()
            .filter(|e| e.unit == "v1" && e.item.is_some())
            .all(|e| e.period.as_deref() != Some("2026-Q1") && e.period.as_deref() != Some("2026-03"))
    );
}

/// Outside test of issue 19: a closed case published what its plan held, so the unit owes none of
/// it again.
#[test]
fn a_closed_cases_items_are_not_due_again() {
    let rules = RuleSet::bundled().unwrap();
    let (closed, open) = (case(&rules, "v1", 11), case(&rules, "v2", 5));
    let units = [village("v1"), village("v2"), village("v3")];
    let list = due_between(
        &rules,
        DueInput { units: &units, cases: &[&closed, &open], objections: &[] },
        day("2026-04-01"),
        day("2026-04-30"),
        DueOptions::default(),
    )
    .unwrap();
    let of = |unit: &str| list.entries.iter().filter(|e| e.unit == unit && e.item.is_some()).count();
    // The closed and the open case leave the same items to their cases; v3 has no case.
    assert_eq!(of("v1"), of("v2"));
    assert!(of("v1") < of("v3"), "v1 {} v3 {}", of("v1"), of("v3"));
    assert!(
        list.entries
            .iter()
            .filter(|e| e.unit == "v1")
            .all(|e| e.period.as_deref() != Some("2026-Q1") && e.period.as_deref() != Some("2026-03"))
    );
    // And a closed case has no step due.
    assert!(list.entries.iter().all(|e| e.unit != "v1" || e.case.is_none()));
}

#[test]
fn a_unit_that_cannot_be_scheduled_is_a_problem_not_a_silence() {
    let rules = RuleSet::bundled().unwrap();
    let units = [UnitRef { id: "x1".into(), kind: UnitKind::Village, district: Some("渝中区".into()), name: None }];
    let list = due_between(
        &rules,
        DueInput { units: &units, cases: &[], objections: &[] },
        day("2026-04-01"),
        day("2026-04-30"),
        DueOptions::default(),
    )
    .unwrap();
    assert!(list.entries.is_empty());
    assert_eq!(list.problems.len(), 1, "{:?}", list.problems);
    assert!(list.problems[0].message_en.contains("x1"));
    // A window that ends before it begins, or spans more than the calendar listing's bound.
    assert!(
        due_between(
            &rules,
            DueInput { units: &units, cases: &[], objections: &[] },
            day("2026-04-30"),
            day("2026-04-01"),
            DueOptions::default()
        )
        .is_err()
    );
    assert!(
        due_between(
            &rules,
            DueInput { units: &units, cases: &[], objections: &[] },
            day("2016-01-01"),
            day("2026-04-01"),
            DueOptions::default()
        )
        .is_err()
    );
}

#[test]
fn past_the_calendar_a_case_step_is_a_problem_unless_estimated() {
    let rules = RuleSet::bundled().unwrap();
    let open = case(&rules, "v1", 6);
    let late = (day("2027-02-01"), day("2027-02-28"));
    let exact = due_between(
        &rules,
        DueInput { units: &[village("v9")], cases: &[&open], objections: &[] },
        late.0,
        late.1,
        DueOptions::default(),
    )
    .unwrap();
    assert!(!exact.problems.is_empty());
    let estimated = due_between(
        &rules,
        DueInput { units: &[village("v9")], cases: &[&open], objections: &[] },
        late.0,
        late.1,
        DueOptions { estimate: true },
    )
    .unwrap();
    assert!(estimated.entries.iter().any(|e| e.estimated));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    /// Sorted, within bounds, and one entry per pending deadline of each case.
    #[test]
    fn every_listing_is_sorted_and_within_its_window(start in 0u64..300, len in 0u64..60, stages in proptest::collection::vec(1usize..=11, 1..6)) {
        let rules = RuleSet::bundled().unwrap();
        let from = day("2026-01-01") + chrono::Days::new(start);
        let until = from + chrono::Days::new(len);
        let cases: Vec<DisclosureCase> = stages.iter().enumerate().map(|(i, n)| case(&rules, &format!("v{i}"), *n)).collect();
        let refs: Vec<&DisclosureCase> = cases.iter().collect();
        let units: Vec<UnitRef> = (0..3).map(|i| village(&format!("v{i}"))).collect();
        let list = due_between(&rules, DueInput { units: &units, cases: &refs, objections: &[] }, from, until, DueOptions::default()).unwrap();
        prop_assert!(list.entries.windows(2).all(|w| w[0].date <= w[1].date));
        for e in &list.entries {
            prop_assert!(e.date <= until);
            if e.case.is_none() { prop_assert!(e.date >= from); }
        }
        for c in &cases {
            let listed = list.entries.iter().filter(|e| e.case.as_deref() == Some(c.id())).count();
            if c.state().stage == cunwu_core::procedure::Stage::Closed {
                prop_assert_eq!(listed, 0);
            } else {
                let status = c.status(&rules, until).unwrap();
                let mut rules_seen = std::collections::BTreeSet::new();
                let pending = status.next_actions.iter().filter_map(|a| a.deadline.as_ref()).filter(|d| d.date.is_some_and(|x| x <= until) && rules_seen.insert(d.rule as u8)).count();
                prop_assert_eq!(listed, pending);
            }
        }
    }
}

fn objection(rules: &RuleSet, n: usize) -> cunwu_core::objection::Objection {
    let text = std::fs::read_to_string(repo_root().join("examples/objection/village-2026-q1-objection.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().take(n).collect();
    cunwu_core::objection::Objection::from_jsonl(rules, &(lines.join("\n") + "\n")).unwrap()
}

/// Outside test of issue 19: the nightly call covers objections too — the committee's reply
/// awaited (overdue by the window's end), the township's re-publication ordered — and a closed
/// objection owes nothing.
#[test]
fn open_objections_reply_and_republication_deadlines_are_listed() {
    let rules = RuleSet::bundled().unwrap();
    // One objection at three points of its log (they share its id).
    let (filed, ordered, closed) = (objection(&rules, 1), objection(&rules, 4), objection(&rules, 5));
    let listed = |o: &cunwu_core::objection::Objection| {
        let input = DueInput { objections: &[o], ..Default::default() };
        let list = due_between(&rules, input, day("2026-04-20"), day("2026-05-31"), DueOptions::default()).unwrap();
        assert!(list.problems.is_empty(), "{:?}", list.problems);
        assert!(list.entries.iter().all(|e| e.objection.as_deref() == Some(o.state().id.as_str())));
        list.entries
    };
    let reply = listed(&filed);
    assert_eq!(reply.len(), 1, "{reply:?}");
    assert_eq!((reply[0].deadline.as_str(), reply[0].state), ("reply", DueState::Overdue));
    let status = filed.status(&rules, day("2026-05-31")).unwrap();
    let due = status.reply.unwrap();
    assert_eq!((Some(reply[0].date), reply[0].overdue_days), (due.date, due.overdue_days));
    assert_eq!(reply[0].period.as_deref(), Some("2026-Q1"));
    let republication = listed(&ordered);
    assert_eq!(republication.len(), 1, "{republication:?}");
    assert_eq!(republication[0].deadline, "republication");
    assert!(listed(&closed).is_empty());
    // An objection's wake-up is the day after its deadline, as a case's.
    assert_eq!(filed.status(&rules, day("2026-04-20")).unwrap().next_wake_up, due.date.and_then(|d| d.succ_opt()));
    assert_eq!(closed.status(&rules, day("2026-05-07")).unwrap().next_wake_up, None);
}

/// Outside test of issue 19: a unit or a case given twice is counted once and said; a case whose
/// unit the list gives as another kind is said, not quietly matched against the wrong schedule.
#[test]
fn twice_given_and_mismatched_kinds_are_problems() {
    let rules = RuleSet::bundled().unwrap();
    let open = case(&rules, "v1", 6);
    let units = [village("v2"), village("v2")];
    let input = DueInput { units: &units, cases: &[&open, &open], objections: &[] };
    let list = due_between(&rules, input, day("2026-04-01"), day("2026-04-30"), DueOptions::default()).unwrap();
    let codes: Vec<&str> = list.problems.iter().map(|p| p.location.pointer.as_deref().unwrap_or("")).collect();
    assert_eq!(codes, ["/units", "/cases"], "{:?}", list.problems);
    let once = due_between(
        &rules,
        DueInput { units: &units[..1], cases: &[&open], objections: &[] },
        day("2026-04-01"),
        day("2026-04-30"),
        DueOptions::default(),
    )
    .unwrap();
    assert_eq!(list.entries, once.entries, "counted once");
    let community = [UnitRef { id: "v1".into(), kind: UnitKind::Community, district: None, name: None }];
    let input = DueInput { units: &community, cases: &[&open], objections: &[] };
    let list = due_between(&rules, input, day("2026-04-01"), day("2026-04-30"), DueOptions::default()).unwrap();
    assert!(list.problems.iter().any(|p| p.message_en.contains("another kind")), "{:?}", list.problems);
    // Second outside test: the mismatched case covers none of the unit's items.
    let alone = due_between(
        &rules,
        DueInput { units: &community, ..Default::default() },
        day("2026-04-01"),
        day("2026-04-30"),
        DueOptions::default(),
    )
    .unwrap();
    let items = |l: &cunwu_core::due::DueList| l.entries.iter().filter(|e| e.item.is_some()).count();
    assert_eq!(items(&list), items(&alone));
}
