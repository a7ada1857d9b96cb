//! Benchmarks of legal time: one unit-year schedule, and every Chongqing unit for 2026
//! (8,090 villages and 3,055 communities in 38 districts).
//!
//! Run: `cargo bench -p cunwu-core --bench legal_time`. Figures are reported as ratios to the
//! baseline `period/+5d` measured in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use cunwu_core::period::{CountingRules, Length, period_end};
use cunwu_core::rules::SourceFile;
use cunwu_core::schedule::{ScheduleOptions, Scheduler};
use cunwu_core::{RuleSet, UnitKind};

const VILLAGES: usize = 8_090;
const COMMUNITIES: usize = 3_055;

fn benches(c: &mut Criterion) {
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:?}"));
    let cal = rules.calendar().unwrap_or_else(|e| panic!("{e}"));
    let start = NaiveDate::from_ymd_opt(2026, 2, 12).unwrap_or_default();
    let cat = rules.resolve(start, None).unwrap_or_else(|e| panic!("{e}"));
    let counting = CountingRules::from_catalogue(&cat, None);
    c.bench_function("period/+5d (baseline)", |b| {
        b.iter(|| period_end(cal, black_box(start), Length::Days(5), &counting))
    });

    c.bench_function("catalogue/resolve 2026", |b| b.iter(|| rules.resolve(black_box(start), None)));
    c.bench_function("period/counting rules from a catalogue", |b| {
        b.iter(|| CountingRules::from_catalogue(black_box(&cat), Some("extension.filing")))
    });

    let quiet = ScheduleOptions { explain: false, estimate: false };
    let explained = ScheduleOptions::default();
    c.bench_function("schedule/one unit-year, no explanations", |b| {
        b.iter(|| Scheduler::new(&rules).schedule(UnitKind::Village, black_box(2026), None, &quiet))
    });
    c.bench_function("schedule/one unit-year, explained", |b| {
        b.iter(|| Scheduler::new(&rules).schedule(UnitKind::Village, black_box(2026), None, &explained))
    });

    // Every unit of the city: 38 districts. The bundled rules hold no real district catalogue,
    // so every unit resolves against the city rules; units of one kind share their schedule.
    let units: Vec<UnitKind> = std::iter::repeat_n(UnitKind::Village, VILLAGES)
        .chain(std::iter::repeat_n(UnitKind::Community, COMMUNITIES))
        .collect();
    let mut group = c.benchmark_group("schedule/city-year");
    group.sample_size(20);
    group.bench_function("11,145 units, explained, one scheduler", |b| {
        b.iter(|| {
            let mut scheduler = Scheduler::new(&rules);
            let mut obligations = 0;
            for kind in &units {
                let s = scheduler.schedule(*kind, 2026, None, &explained).unwrap_or_else(|e| panic!("{e}"));
                obligations += s.obligations.len();
            }
            black_box(obligations)
        })
    });

    // The same city where every one of the 38 districts publishes its own catalogue for 2026:
    // 76 distinct (kind, district) schedules, each computed once and shared by its units.
    let districts: Vec<String> = (1..=38).map(|i| format!("5001{i:02}")).collect();
    let extra: Vec<SourceFile> =
        districts.iter().map(|id| SourceFile::new(format!("bench/{id}.toml"), district_layer(id))).collect();
    let city = RuleSet::bundled_with(&extra).unwrap_or_else(|e| panic!("{e:?}"));
    group.bench_function("11,145 units in 38 districts with their own catalogues, explained", |b| {
        b.iter(|| {
            let mut scheduler = Scheduler::new(&city);
            let mut obligations = 0;
            for (i, kind) in units.iter().enumerate() {
                let district = districts.get(i % districts.len()).map(String::as_str);
                let s = scheduler.schedule(*kind, 2026, district, &explained).unwrap_or_else(|e| panic!("{e}"));
                obligations += s.obligations.len();
            }
            black_box(obligations)
        })
    });
    group.finish();
}

/// An illustrative district catalogue: online publication of every item.
fn district_layer(id: &str) -> String {
    format!(
        r#"[[documents]]
id = "bench-{id}"
title = "示例区县目录 {id}"
issuer = "示例"
tag = "LOCAL"

[layer]
id = "bench-{id}-2026"
name = "示例区县目录 {id}"
level = "district"
parent = "cq-policy-2018"
effective_from = 2026-01-01
effective_until = 2026-12-31
source = "bench-{id}"
district = {{ id = "{id}", name = "示例区县{id}" }}
illustrative = true

[[amendments]]
all = true
add_channels = ["online"]
basis = [{{ doc = "bench-{id}", article = "一" }}]
"#
    )
}

criterion_group!(legal_time, benches);
criterion_main!(legal_time);
