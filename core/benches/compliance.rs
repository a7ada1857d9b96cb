//! The city-year compliance assessment (evaluate, score, rank, roll up) of a synthetic city at
//! 1×, 4× and 16× Chongqing (11,145 / 44,580 / 178,320 units; ≈3.35 M records per 1×), on one
//! core. Generation is not timed. Peak memory per size: `cargo run --release -p cunwu-core
//! --example compliance_scale -- <factor>` (one process per size).
//!
//! `CUNWU_BENCH_FACTORS=1,4` limits the sizes (default 1,4,16).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use cunwu_core::RuleSet;
use cunwu_core::compliance::{assess, synth};

fn factors() -> Vec<u32> {
    std::env::var("CUNWU_BENCH_FACTORS")
        .ok()
        .map(|v| v.split(',').filter_map(|f| f.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 4, 16])
}

fn city_year(c: &mut Criterion) {
    let rules = RuleSet::bundled().unwrap();
    let mut group = c.benchmark_group("compliance_city_year");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(15));
    for factor in factors() {
        let city = synth::generate(&rules, &synth::SynthConfig::scaled(2026, factor)).unwrap();
        eprintln!(
            "{factor}x: {} units, {} records, {} violations injected",
            city.dataset.units.len(),
            city.dataset.record_count(),
            city.truth.len()
        );
        group.throughput(Throughput::Elements(city.dataset.units.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{factor}x")), &city, |b, city| {
            b.iter(|| assess(&rules, &city.dataset, 2026, city.as_of).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, city_year);
criterion_main!(benches);
