//! Generate a synthetic city at `factor`× Chongqing and time one full assessment (evaluate,
//! score, rank, roll up), printing records, time and peak memory (VmHWM from /proc on Linux).
//!
//! `cargo run --release -p cunwu-core --example compliance_scale -- 1`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use cunwu_core::RuleSet;
use cunwu_core::compliance::{assess, synth};

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let factor: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let rules = RuleSet::bundled().unwrap();
    let t = Instant::now();
    let city = synth::generate(&rules, &synth::SynthConfig::scaled(2026, factor)).unwrap();
    let generated = t.elapsed();
    let after_generation = peak_kib().map_or(0, |k| k / 1024);
    let held = std::mem::size_of_val(city.dataset.disclosures.as_slice()) / (1024 * 1024);
    let records = city.dataset.record_count();
    let t = Instant::now();
    let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
    let assessed = t.elapsed();
    println!(
        "factor {factor}: {} units, {records} records, {} injected, {} found; generated in {:.2?}, assessed in {:.2?}; peak {} MiB after generating (disclosures hold {held} MiB), {} MiB after assessing",
        city.dataset.units.len(),
        city.truth.len(),
        report.city.findings.iter().map(|k| k.count).sum::<u32>(),
        generated,
        assessed,
        after_generation,
        peak_kib().map_or(0, |k| k / 1024)
    );
}
