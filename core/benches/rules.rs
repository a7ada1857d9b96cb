//! Benchmark of loading the rules: what `Catalogue.bundled()` in Python and every WASM instance
//! pay once. Baseline: parsing the same TOML files into untyped `toml::Table`s, measured in the
//! same run, so the figure reads as "loading costs N× merely parsing the text".
//!
//! Run: `cargo bench -p cunwu-core --bench rules`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cunwu_core::RuleSet;
use cunwu_core::rules::bundled::FILES;

fn benches(c: &mut Criterion) {
    c.bench_function("rules/parse bundled TOML, untyped (baseline)", |b| {
        b.iter(|| {
            for (_, text) in FILES {
                black_box(text.parse::<toml::Table>().unwrap());
            }
        })
    });
    c.bench_function("rules/load bundled: parse, lint, layer, calendar", |b| {
        b.iter(|| black_box(RuleSet::bundled().unwrap()))
    });
}

criterion_group!(rules, benches);
criterion_main!(rules);
