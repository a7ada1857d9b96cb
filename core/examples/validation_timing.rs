//! Native timing of submission validation for `scripts/bench-surfaces`, which compares it with
//! the same call through Python and through WASM in Node. Writes the 500-line statement it times
//! to the path given, so every surface validates the same document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

#[path = "../benches/validation.rs"]
#[allow(dead_code)]
mod statement_source;

fn main() {
    let out = std::env::args().nth(1).expect("usage: validation_timing OUT.json");
    let rules = cunwu_core::RuleSet::bundled().unwrap();
    let submission = statement_source::statement(500);
    std::fs::write(&out, serde_json::to_string(&submission).unwrap()).unwrap();
    assert!(cunwu_core::validation::validate(&rules, &submission).ok);
    let text = serde_json::to_string(&submission).unwrap();
    // As the bindings are called: from JSON text (Node passes text; Python converts its dict).
    let run = |n: u32| {
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(cunwu_core::api::validate_text(&rules, std::hint::black_box(&text)));
        }
        start.elapsed().as_secs_f64() / f64::from(n)
    };
    run(200);
    let per_call = (0..5).map(|_| run(500)).fold(f64::INFINITY, f64::min);
    println!("{:.1}", per_call * 1e6);
}
