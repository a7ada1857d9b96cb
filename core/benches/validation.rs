//! Benchmark of submission validation: a 500-line monthly finance statement.
//!
//! Run: `cargo bench -p cunwu-core --bench validation`. The baseline in the same run is parsing
//! the statement's JSON text, which every caller pays anyway.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cunwu_core::RuleSet;
use serde_json::{Value, json};

/// A balanced statement for March 2026 with `n` lines (half income, half expenditure).
pub fn statement(n: usize) -> Value {
    let line = |i: usize| {
        json!({
            "category": if i % 2 == 0 { "集体资产租赁收入" } else { "村道维修" },
            "amount": format!("{}.{:02}", 100 + i, i % 100),
            "counterparty": format!("往来单位{i}"),
            "voucher": format!("2026-03-{i:04}"),
            "date": format!("2026-03-{:02}", 1 + i % 31),
        })
    };
    let income: Vec<Value> = (0..n).step_by(2).map(line).collect();
    let expenditure: Vec<Value> = (1..n).step_by(2).map(line).collect();
    let sum = |lines: &[Value]| -> rust_decimal::Decimal {
        lines.iter().map(|l| l["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum()
    };
    let opening: rust_decimal::Decimal = "500000.00".parse().unwrap();
    let closing = opening + sum(&income) - sum(&expenditure);
    json!({
        "unit": {"id": "v1", "kind": "village"}, "item": "finance.income-expenditure", "period": "2026-03",
        "posting": {"date": "2026-04-15", "planned_removal": "2026-05-20"},
        "channels": ["board", "representatives_meeting", "printed_copies"],
        "payload": {"opening_balance": opening.to_string(), "income": income, "expenditure": expenditure,
                    "total_income": sum(&income).to_string(), "total_expenditure": sum(&expenditure).to_string(),
                    "closing_balance": closing.to_string()}
    })
}

fn benches(c: &mut Criterion) {
    let rules = RuleSet::bundled().unwrap();
    let submission = statement(500);
    assert!(cunwu_core::validation::validate(&rules, &submission).ok, "the benchmark statement must be valid");
    let text = serde_json::to_string(&submission).unwrap();
    c.bench_function("validation/parse 500-line JSON (baseline)", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)))
    });
    c.bench_function("validation/500-line finance statement", |b| {
        b.iter(|| cunwu_core::validation::validate(&rules, black_box(&submission)))
    });
}

criterion_group!(validation, benches);
criterion_main!(validation);
