//! Time schedules through the binding-neutral API, answers serialized to JSON (what a binding
//! hands over); `scripts/bench-surfaces` compares them with the same calls from WASM in Node.
//!
//! Prints two numbers: microseconds for one village-year with explanations (the call a village's
//! page makes), best of 5 runs; and milliseconds for the city-scale schedule, every unit of
//! Chongqing (8,090 villages and 3,055 communities, BRIEF.md) one year without explanations, best
//! of 3 runs. With a path argument, writes the city's requests there as a JSON
//! array (the Node benchmark reads them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use cunwu_core::RuleSet;
use cunwu_core::api::{ScheduleRequest, schedule};
use cunwu_core::model::UnitKind;

fn best_of(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min)
}

fn main() {
    let rules = RuleSet::bundled().unwrap();
    let one = ScheduleRequest {
        unit_kind: UnitKind::Village,
        year: 2026,
        district: None,
        today: None,
        estimate: false,
        explain: true,
    };
    let once = |request: &ScheduleRequest| serde_json::to_string(&schedule(&rules, request)).unwrap().len();
    assert!(once(&one) > 1000);
    let run = |n: u32| {
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(once(&one));
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    };
    run(50);
    let village = best_of(5, || run(200));

    let kinds = std::iter::repeat_n(UnitKind::Village, 8_090).chain(std::iter::repeat_n(UnitKind::Community, 3_055));
    let requests: Vec<ScheduleRequest> = kinds
        .map(|unit_kind| ScheduleRequest {
            unit_kind,
            year: 2026,
            district: None,
            today: None,
            estimate: false,
            explain: false,
        })
        .collect();
    assert_eq!(requests.len(), 11_145);
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(path, serde_json::to_string(&requests).unwrap()).unwrap();
    }
    let city_ms = best_of(3, || {
        let start = Instant::now();
        let total: usize = requests.iter().map(|r| std::hint::black_box(once(r))).sum();
        assert!(total > 0);
        start.elapsed().as_secs_f64() * 1e3
    });
    println!("{village:.1} {city_ms:.0}");
}
