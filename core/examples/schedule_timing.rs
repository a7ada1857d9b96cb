//! Time one unit-year schedule with explanations through the binding-neutral API, answer
//! serialized to JSON (what a binding hands over), best of 5 runs; prints microseconds per call.
//! `scripts/bench-surfaces` compares it with the same call from WASM in Node.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use cunwu_core::RuleSet;
use cunwu_core::api::{ScheduleRequest, schedule};
use cunwu_core::model::UnitKind;

fn main() {
    let rules = RuleSet::bundled().unwrap();
    let request = ScheduleRequest {
        unit_kind: UnitKind::Village,
        year: 2026,
        district: None,
        today: None,
        estimate: false,
        explain: true,
    };
    let once = || serde_json::to_string(&schedule(&rules, &request)).unwrap().len();
    assert!(once() > 1000);
    let run = |n: u32| {
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(once());
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    };
    run(50);
    let best = (0..5).map(|_| run(200)).fold(f64::INFINITY, f64::min);
    println!("{best:.1}");
}
