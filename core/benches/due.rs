//! The nightly question city-wide (issue 19): what is due between two days and what is overdue,
//! over all 11,145 units of Chongqing (8,090 villages, 3,055 communities) and 50,000 open cases
//! at every stage of the procedure, next to its baseline in the same run: one `status` call per
//! case. Building the cases is not timed.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use cunwu_core::due::{DueInput, DueOptions, due_between};
use cunwu_core::log::Entry;
use cunwu_core::procedure::{CaseEvent, DisclosureCase, UnitRef};
use cunwu_core::{RuleSet, UnitKind};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn units() -> Vec<UnitRef> {
    (0..11_145)
        .map(|i| UnitRef {
            id: format!("U{i:07}"),
            kind: if i < 8_090 { UnitKind::Village } else { UnitKind::Community },
            district: None,
            name: None,
        })
        .collect()
}

/// 50,000 cases of villages, each the example's first 2 to 10 events (every stage up to filed
/// and re-published).
fn cases(rules: &RuleSet) -> Vec<DisclosureCase> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/procedure/village-2026-q1.jsonl"))
            .unwrap();
    let entries: Vec<Entry<CaseEvent>> = cunwu_core::log::from_jsonl(&text).unwrap();
    (0..50_000)
        .map(|i| {
            let first = &entries[0];
            let CaseEvent::Opened { mut unit, period, pipeline } = first.event.clone() else { unreachable!() };
            unit.id = format!("U{:07}", i % 8_090);
            let mut case = DisclosureCase::begin(
                rules,
                first.date,
                first.actor.clone(),
                CaseEvent::Opened { unit, period, pipeline },
            )
            .unwrap();
            for e in &entries[1..2 + i % 9] {
                case.apply(rules, e.date, e.actor.clone(), e.event.clone()).unwrap();
            }
            case
        })
        .collect()
}

fn city_wide(c: &mut Criterion) {
    let rules = RuleSet::bundled().unwrap();
    let units = units();
    let cases = cases(&rules);
    let refs: Vec<&DisclosureCase> = cases.iter().collect();
    let (from, until) = (day("2026-05-01"), day("2026-05-31"));
    let list = due_between(
        &rules,
        DueInput { units: &units, cases: &refs, objections: &[] },
        from,
        until,
        DueOptions::default(),
    )
    .unwrap();
    eprintln!(
        "{} units, {} cases: {} entries, {} problems",
        units.len(),
        cases.len(),
        list.entries.len(),
        list.problems.len()
    );
    let mut group = c.benchmark_group("due_city_wide");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    group.bench_function("due_between_11145_units_50000_cases", |b| {
        b.iter(|| {
            due_between(
                &rules,
                DueInput { units: &units, cases: &refs, objections: &[] },
                from,
                until,
                DueOptions::default(),
            )
            .unwrap()
        })
    });
    group.bench_function("units_only_11145", |b| {
        b.iter(|| {
            due_between(
                &rules,
                DueInput { units: &units, cases: &[], objections: &[] },
                from,
                until,
                DueOptions::default(),
            )
            .unwrap()
        })
    });
    group.bench_function("cases_only_50000", |b| {
        b.iter(|| {
            due_between(
                &rules,
                DueInput { units: &[], cases: &refs, objections: &[] },
                from,
                until,
                DueOptions::default(),
            )
            .unwrap()
        })
    });
    group.bench_function("baseline_status_x_50000", |b| {
        b.iter(|| cases.iter().map(|c| c.status(&rules, until).unwrap().overdue.len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, city_wide);
criterion_main!(benches);
