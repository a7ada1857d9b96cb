//! Snapshot tests (insta) of what people read: the text every command prints by default, and the
//! compliance report's table. A change of wording shows as a diff to review; `INSTA_UPDATE=always
//! cargo test -p cunwu-cli` writes the new snapshots (commit them once read).
//!
//! Each text is also checked for English left in Chinese text (a stage, an outcome or a deadline
//! printed as its Rust or JSON name) and for internal document ids where a title belongs.

use super::{cunwu, stdout};

/// Runs the command and returns its standard output, failing when it did not succeed.
fn text(args: &[&str]) -> String {
    let out = cunwu(args);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert_chinese(args, &text);
    text
}

/// English words and document ids that must not reach Chinese text: stage, outcome and deadline
/// names, and the ids of the documents the rules cite.
fn assert_chinese(args: &[&str], text: &str) {
    const ENGLISH: &[&str] = &[
        "Closed",
        "Upheld",
        "Dismissed",
        "Replied",
        "Filed",
        "Review",
        "Filing",
        "DueDate",
        "Republication",
        "closed",
        "upheld",
        "replied",
        "plan_proposed",
        "review_accepted",
        "posted ",
    ];
    for word in ENGLISH {
        assert!(!text.contains(word), "{args:?} prints `{word}`:\n{text}");
    }
    let rules = cunwu_core::RuleSet::bundled().unwrap();
    for doc in rules.documents() {
        assert!(!text.contains(&format!("{} ", doc.id)), "{args:?} cites `{}` by id:\n{text}", doc.id);
    }
}

#[test]
fn schedule_of_a_community_says_community() {
    let t = text(&["schedule", "--kind", "community", "--year", "2026"]);
    assert!(t.contains("社区(居)财务收支情况") && !t.contains("村集体财务收支情况"), "{t}");
    insta::assert_snapshot!(t);
}

#[test]
fn posted_and_event_texts() {
    insta::assert_snapshot!("posted", text(&["posted", "finance.income-expenditure", "2026-04-10"]));
    insta::assert_snapshot!("event", text(&["event", "finance.land-compensation", "2026-09-28"]));
    insta::assert_snapshot!(
        "event_community",
        text(&["event", "finance.income-expenditure", "2026-09-28", "--kind", "community"])
    );
}

#[test]
fn period_and_calendar_texts() {
    insta::assert_snapshot!("period", text(&["period", "2026-09-30", "+5d"]));
    insta::assert_snapshot!("calendar", text(&["calendar", "2026-09-30", "2026-10-09"]));
}

#[test]
fn procedure_texts() {
    insta::assert_snapshot!(
        "case_replay",
        text(&["procedure", "replay", "examples/procedure/village-2026-q1.jsonl", "--today", "2026-04-20"])
    );
    insta::assert_snapshot!(
        "requirements",
        text(&["procedure", "requirements", "--kind", "community", "--period", "2026-Q1"])
    );
}

#[test]
fn objection_texts() {
    let log = "examples/objection/village-2026-q1-objection.jsonl";
    insta::assert_snapshot!("objection_replay", text(&["objection", "replay", log, "--today", "2026-04-25"]));
    insta::assert_snapshot!("objection_public", text(&["objection", "replay", log, "--public"]));
}

#[test]
fn validation_text_names_severity_and_titles() {
    let t = text(&["validate", "examples/submissions/beneficiaries-cadre-relative.json"]);
    insta::assert_snapshot!("validate_beneficiaries", t);
    insta::assert_snapshot!("validate_finance_bad", text(&["validate", "examples/submissions/finance-bad.json"]));
}

#[test]
fn compliance_report_table() {
    let t = text(&["compliance", "examples/compliance", "--year", "2026"]);
    // Every unit kind counted; a note on coverage is not a record's problem.
    assert!(t.contains("全市：18 个单位（村 12，社区 6）"), "{t}");
    assert!(t.contains("评估范围说明（不是记录的问题）：\n  19项检查的期限无法确定"), "{t}");
    assert!(!t.contains("记录问题"), "{t}");
    insta::assert_snapshot!("compliance_table", t);
}

#[test]
fn due_text() {
    insta::assert_snapshot!(
        "due",
        text(&["due", "2026-04-01", "2026-04-30", "--units", "examples/compliance/units.csv", "examples/procedure"])
    );
}
