//! Integration tests of the cunwu command line: the commands the README and the rule
//! maintainers' recipe promise, run as a user would run them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cunwu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cunwu")).args(args).current_dir(repo_root()).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn lint_of_the_bundled_rules_directory_passes() {
    let out = cunwu(&["rules", "lint", "rules"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out), "");
}

#[test]
fn compile_writes_the_rules_argument_of_the_browser_package() {
    let out = cunwu(&["rules", "compile", "examples/districts"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let input: cunwu_core::api::RulesInput = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(input.bundled);
    assert_eq!(input.files.len(), 1);
    assert_eq!(input.files[0].path, "examples/districts/nanan-2026.toml");
    assert!(input.files[0].text.starts_with('{'));
    let set = input.load().unwrap();
    assert!(set.resolve_shared(chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), Some("500108"), None).is_ok());
}

#[test]
fn compile_refuses_rules_with_errors_and_writes_nothing() {
    let target = std::env::temp_dir().join(format!("cunwu-compile-{}.json", std::process::id()));
    let out = cunwu(&["rules", "compile", "tests/fixtures/bad-district", "--out", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad-2026.toml:25:1: error[RULES_UNKNOWN_KEY]"));
    assert!(!target.exists());
}

#[test]
fn lint_reports_each_problem_on_one_line_and_exits_1() {
    let out = cunwu(&["rules", "lint", "tests/fixtures/bad-district", "--with-bundled"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("tests/fixtures/bad-district/bad-2026.toml:25:1: error[RULES_UNKNOWN_KEY]: "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("tests/fixtures/bad-district/bad-2026.toml:32:1: error[CATALOGUE_LOOSENED_DISPLAY]: ")
    );
    assert!(lines[2].starts_with("tests/fixtures/bad-district/bad-2026.toml:35:1: error[RULES_MISSING_LEGAL_BASIS]: "));
    assert!(String::from_utf8_lossy(&out.stderr).contains("错误 3 个，警告 0 个"));
    // A warning says so, as rustc and ruff print it: a village's word in a community's item.
    let out = cunwu(&["rules", "lint", "tests/fixtures/community-name", "--with-bundled"]);
    assert_eq!(out.status.code(), Some(0), "a warning alone passes");
    assert!(
        stdout(&out).starts_with(
            "tests/fixtures/community-name/district-2026.toml:38:1: warning[CATALOGUE_COMMUNITY_NAME_MISSING]: "
        ),
        "{}",
        stdout(&out)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("错误 0 个，警告 1 个"));
}

#[test]
fn lint_json_is_machine_readable() {
    let out = cunwu(&["rules", "lint", "tests/fixtures/bad-district", "--with-bundled", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diags.as_array().unwrap().len(), 3);
}

#[test]
fn show_json_lists_obligations_and_advisory_items_with_basis_and_provenance() {
    let out = cunwu(&["rules", "show", "--as-of", "2026-01-01", "--format", "json"]);
    assert!(out.status.success());
    let cat: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = cat["items"].as_array().unwrap();
    let advisory = cat["advisory"].as_array().unwrap();
    assert!(items.len() >= 30 && items.len() + advisory.len() >= 49);
    assert!(items.iter().all(|i| i["force"] == "binding"));
    assert!(advisory.iter().all(|i| i["force"] == "advisory"));
    let mut kinds: Vec<&str> = items.iter().map(|i| i["kind"]["value"].as_str().unwrap()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    // No party item binds a Chongqing unit in the city rules: all of them rest on samples.
    assert_eq!(kinds, ["finance", "government", "service"]);
    for item in items {
        assert!(!item["basis"].as_array().unwrap().is_empty(), "{}", item["id"]);
        for field in ["name", "kind", "cadence", "filed_with_township"] {
            assert!(item[field]["layer"].is_string(), "{} {field}", item["id"]);
        }
    }
}

#[test]
fn show_table_is_the_default() {
    let out = cunwu(&["rules", "show", "--as-of", "2026-01-01"]);
    assert!(stdout(&out).contains("| finance.income-expenditure | 村各项收入和支出 | 财务 |"));
}

#[test]
fn show_with_a_district_directory() {
    let out =
        cunwu(&["rules", "show", "--as-of", "2026-07-01", "--district", "500108", "--with", "examples/districts"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("service.reception-day"));
}

#[test]
fn bad_dates_and_unknown_districts_exit_1_with_a_code() {
    let out = cunwu(&["rules", "show", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("INPUT_INVALID_DATE"));
    let out = cunwu(&["rules", "show", "--as-of", "2026-01-01", "--district", "nowhere"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("CATALOGUE_UNKNOWN_DISTRICT"));
}

#[test]
fn diff_names_the_statute_and_policy_changes_with_sources() {
    let out = cunwu(&["rules", "diff", "--as-of", "2013-10-31", "--as-of", "2026-01-01"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("+ 层级 cq-statute-2013"));
    assert!(text.contains("+ 层级 cq-policy-2018"));
    assert!(text.contains("「村各项收入和支出」公开频次：每季度 → 每月；依据：《市民政局对市五届人大一次会议第0447号建议的答复》一(二)二"), "{text}");
}

#[test]
fn diff_needs_two_dates() {
    let out = cunwu(&["rules", "diff", "--as-of", "2013-10-31"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("INPUT_INVALID_REQUEST"));
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let out = cunwu(&["rules", "schema"]);
    let committed = std::fs::read_to_string(repo_root().join("rules/schema/rule-file.schema.json")).unwrap();
    assert!(stdout(&out) == committed, "`cunwu rules schema` differs from the committed schema");
}

#[test]
fn period_gives_the_dates_the_law_gives() {
    for (args, expected) in [
        (&["2025-09-30", "+5d"][..], "2025-10-09"),
        (&["2026-09-30", "+5d"][..], "2026-10-08"),
        (&["2026-02-12", "+5d"][..], "2026-02-24"),
        (&["2024-12-31", "+5d"][..], "2025-01-06"),
        (&["2026-01-31", "+1m"][..], "2026-02-28"),
        (&["2025-09-30", "+5d", "--no-extension"][..], "2025-10-05"),
    ] {
        let mut full = vec!["period"];
        full.extend_from_slice(args);
        let out = cunwu(&full);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout(&out).lines().next(), Some(expected), "{args:?}");
    }
}

#[test]
fn period_explains_in_both_languages_and_json() {
    let text = stdout(&cunwu(&["period", "2026-02-12", "+5d"]));
    assert!(text.contains("顺延至休息日结束的次日2026年2月24日"), "{text}");
    assert!(text.contains("it moves to the day after the rest ends, 2026-02-24"), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&cunwu(&["period", "2026-02-12", "+5d", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["date"], "2026-02-24");
    assert_eq!(json["explanation"]["skipped"].as_array().unwrap().len(), 7);
}

#[test]
fn period_past_the_horizon_names_the_missing_year() {
    let out = cunwu(&["period", "2026-12-20", "+10d"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CALENDAR_HORIZON") && err.contains("2027"), "{err}");
    let est = cunwu(&["period", "2026-12-20", "+10d", "--estimate"]);
    assert!(stdout(&est).starts_with("2026-12-30\n"));
}

#[test]
fn schedule_table_json_and_ics() {
    let table = stdout(&cunwu(&["schedule", "--kind", "village", "--year", "2026", "--today", "2026-04-14"]));
    assert!(
        table.contains("| 2026-04-15 | 村各项收入和支出 | 2026-03 | 2026-05-16 | 2026-04-20 | 2026-05-20 |"),
        "{table}"
    );
    assert!(table.contains("下一个状态变化日：2026-04-15"), "{table}");
    let json: serde_json::Value = serde_json::from_slice(
        &cunwu(&["schedule", "--kind", "community", "--year", "2026", "--format", "json"]).stdout,
    )
    .unwrap();
    assert!(json["obligations"].as_array().unwrap().len() > 40);
    assert!(!json["recommendations"].as_array().unwrap().is_empty());
    let ics =
        stdout(&cunwu(&["schedule", "--kind", "group", "--year", "2026", "--format", "ics", "--unit-name", "三组"]));
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n")
            && ics.contains("BEGIN:VEVENT\r\n")
            && ics.ends_with("END:VCALENDAR\r\n")
    );
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "lines are folded at 75 octets");
}

#[test]
fn event_posted_and_calendar_commands() {
    let event: serde_json::Value = serde_json::from_slice(
        &cunwu(&["event", "finance.land-compensation", "2026-09-28", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(event["due"]["date"], "2026-10-08");
    let text = stdout(&cunwu(&["event", "finance.land-compensation", "2026-09-28"]));
    assert!(text.contains("公开期限：2026-10-08（含当日）"), "{text}");
    let posted: serde_json::Value = serde_json::from_slice(
        &cunwu(&["posted", "government.family-planning", "2026-04-13", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(posted["display"]["earliest_removal"], "2026-04-24");
    let days = stdout(&cunwu(&["calendar", "2026-02-14", "2026-02-16"]));
    assert_eq!(
        days.lines().collect::<Vec<_>>(),
        ["2026-02-14 调休上班日 春节", "2026-02-15 周末 春节", "2026-02-16 法定节假日 春节"]
    );
}

#[test]
fn procedure_replay_of_the_example_log() {
    let out = cunwu(&["procedure", "replay", "examples/procedure/village-2026-q1.jsonl", "--today", "2026-05-21"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("阶段：审查通过\n") && text.contains("日志：11 条"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(
        &cunwu(&[
            "procedure",
            "replay",
            "examples/procedure/village-2026-q1.jsonl",
            "--today",
            "2026-04-25",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(json["state"]["stage"], "closed");
}

#[test]
fn procedure_replay_rejects_a_tampered_log_at_its_index() {
    let text = std::fs::read_to_string(repo_root().join("examples/procedure/village-2026-q1.jsonl")).unwrap();
    let tampered = text.replacen("\"2026-04-17\"", "\"2026-04-16\"", 1);
    let dir = std::env::temp_dir().join(format!("cunwu-tamper-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.jsonl");
    std::fs::write(&path, tampered).unwrap();
    let out = cunwu(&["procedure", "replay", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/6: error[LOG_HASH"), "{err}");
}

#[test]
fn procedure_diagram_and_requirements() {
    let d = stdout(&cunwu(&["procedure", "diagram"]));
    assert!(d.starts_with("stateDiagram-v2\n") && d.contains("期限：filing.deadline_days"));
    let p = stdout(&cunwu(&["procedure", "diagram", "--pipeline", "party"]));
    assert!(p.contains("secrecy_reviewed"));
    let req: serde_json::Value = serde_json::from_slice(
        &cunwu(&[
            "procedure",
            "requirements",
            "--format",
            "json",
            "--kind",
            "village",
            "--period",
            "2026-Q1",
            "--pipeline",
            "party",
            "--with",
            "examples/districts",
            "--district",
            "南岸区",
        ])
        .stdout,
    )
    .unwrap();
    // The city rules bind no party item; the (illustrative) Nan'an catalogue adopts one.
    let ids: Vec<&str> = req.as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["party.study-activities"]);
}

#[test]
fn objection_replay_text_public_and_json() {
    let log = "examples/objection/village-2026-q1-objection.jsonl";
    let text = stdout(&cunwu(&["objection", "replay", log, "--today", "2026-05-06"]));
    assert!(text.contains("当前：乡镇(街道)，已办结"), "{text}");
    let public = stdout(&cunwu(&["objection", "replay", log, "--public"]));
    assert!(
        public.starts_with("【互动空间】示例村\n") && public.contains("139****5678") && !public.contains("13912345678"),
        "{public}"
    );
    assert!(!public.contains("resident-0042"), "the objector's identity is withheld");
    let json: serde_json::Value =
        serde_json::from_slice(&cunwu(&["objection", "replay", log, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["state"]["levels"].as_array().unwrap().len(), 2);
}

#[test]
fn validate_good_bad_and_schema() {
    let good = cunwu(&["validate", "examples/submissions/finance-good.json"]);
    assert!(good.status.success());
    let bad = cunwu(&["validate", "examples/submissions/finance-bad.json"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = stdout(&bad);
    assert!(text.contains("/payload/expenditure/0/counterparty: error[VALIDATION_PERSONAL_DATA]"), "{text}");
    assert!(text.contains("（改为：某建筑队 联系人139****5678）"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(
        &cunwu(&["validate", "examples/submissions/finance-bad.json", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(json["ok"], false);
    // No silent pass: wrong shapes are errors at their pointers, skipped checks are named.
    let shapes = cunwu(&["validate", "examples/submissions/finance-wrong-shapes.json"]);
    assert_eq!(shapes.status.code(), Some(1));
    let text = stdout(&shapes);
    for expected in [
        "/item: error[VALIDATION_TYPE]",
        "/posted_by: error[VALIDATION_UNKNOWN_FIELD]",
        "/roster: error[VALIDATION_TYPE]",
        "VALIDATION_CHECK_SKIPPED",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let schema = stdout(&cunwu(&["validate", "--schema", "beneficiary_list"]));
    let committed =
        std::fs::read_to_string(repo_root().join("rules/schema/submission-beneficiary-list.schema.json")).unwrap();
    assert!(schema == committed, "the printed schema is the committed one");
}

#[test]
fn compliance_report_on_the_example_city() {
    let o = cunwu(&["compliance", "examples/compliance", "--year", "2026"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("全市：18 个单位（村 12，社区 6）"), "{out}");
    assert!(out.contains("最差的10个单位"));
    assert!(
        out.contains("评估范围说明（不是记录的问题）：\n  19项检查的期限无法确定"),
        "checks past the holiday data are counted: {out}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&cunwu(&[
        "compliance",
        "examples/compliance",
        "--year",
        "2026",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["as_of"], "2026-12-24", "the default date stops at the holiday data");
    let csv = stdout(&cunwu(&["compliance", "examples/compliance", "--year", "2026", "--format", "csv"]));
    assert_eq!(csv.lines().count(), 19);
    let html = stdout(&cunwu(&["compliance", "examples/compliance", "--year", "2026", "--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "no external assets");
}

#[test]
fn compliance_lists_bad_rows_and_exits_1_but_still_reports() {
    let dir = std::env::temp_dir().join(format!("cunwu-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("units.csv"),
        "id,name,kind,township,district\nv1,石桥村,village,石桥镇,南岸区\nv2,x,hamlet,t,d\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("postings.csv"),
        "unit,item,period,posted,removed,boards\nv1,finance.income-expenditure,2026-01,2026-02-10,,1\nv1,finance.income-expenditure,2026-02,2026-02-30,,1\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not records").unwrap();
    let o = cunwu(&["compliance", dir.to_str().unwrap(), "--year", "2026", "--as-of", "2026-03-31"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("全市：1 个单位"), "{out}");
    assert!(out.contains("units.csv:3:1 error[COMPLIANCE_BAD_ROW]"), "{out}");
    assert!(out.contains("postings.csv:3:1 error[COMPLIANCE_BAD_ROW]"), "{out}");
    assert!(
        out.contains("notes.txt warning[COMPLIANCE_UNKNOWN_FILE]")
            || out.contains("notes.txt error[COMPLIANCE_UNKNOWN_FILE]"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn synth_writes_records_that_the_assessment_reads_back_with_the_truth() {
    let dir = std::env::temp_dir().join(format!("cunwu-cli-synth-{}", std::process::id()));
    let o = cunwu(&["synth", dir.to_str().unwrap(), "--seed", "9", "--records", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let truth = std::fs::read_to_string(dir.join("truth/violations.jsonl")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&cunwu(&[
        "compliance",
        dir.to_str().unwrap(),
        "--year",
        "2026",
        "--format",
        "json",
    ])))
    .unwrap();
    let found: usize = json["units"].as_array().unwrap().iter().map(|u| u["findings"].as_array().unwrap().len()).sum();
    assert_eq!(found, truth.lines().count());
    assert!(json["problems"].as_array().unwrap().iter().all(|p| p["severity"] == "warning"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn synth_rates_are_configurable_and_checked() {
    let dir = std::env::temp_dir().join(format!("cunwu-cli-rates-{}", std::process::id()));
    let bad = cunwu(&["synth", dir.to_str().unwrap(), "--rate", "lateness=5"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("INPUT_INVALID_REQUEST"));
    let o = cunwu(&["synth", dir.to_str().unwrap(), "--rate", "late=10000", "--rate", "missing=0"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let truth = std::fs::read_to_string(dir.join("truth/violations.jsonl")).unwrap();
    assert!(truth.lines().all(|l| !l.contains("\"missing\"")));
    assert!(truth.lines().filter(|l| l.contains("\"late\"")).count() > 1000);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The personal numbers of issue 18 in the forms people type them: separators of every kind,
/// full-width digits, a country code, the check X apart, invisible characters.
const TYPED_NUMBERS: &[&str] = &[
    "139-1234-5678",
    "139 1234 5678",
    "+8613912345678",
    "8613912345678",
    "０086 139 1234 5678",
    "１３９１２３４５６７８",
    "500101 19900101 123X",
    "500101\u{a0}19900101\u{a0}123X",
    "50010119900101123\u{200b}X",
    "6222 0212 3456 7894",
    "6217-0012-3400-5670",
];

fn digits_of(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
            _ => None,
        })
        .collect()
}

fn assert_absent(number: &str, out: &str, what: &str) {
    let digits = digits_of(number);
    let tail = &digits[digits.len() - 10..];
    assert!(!digits_of(out).contains(tail), "{number} leaks in {what}:\n{out}");
}

/// Issue 18: `objection replay --public` prints the public record only, in text and in JSON, and
/// nothing of a personal number typed into the unit, the objection or the reply; `schedule
/// --format ics` masks the unit's name.
#[test]
fn public_outputs_carry_no_personal_number_in_any_typed_form() {
    use cunwu_core::log::{Actor, Role};
    use cunwu_core::objection::{Aspect, Level, Objection, ObjectionEvent, Objector, ObjectorKind, Outcome, Subject};
    use cunwu_core::procedure::UnitRef;
    let rules = cunwu_core::RuleSet::bundled().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let actor = |role| Actor { id: "a1".into(), role, name: None };
    let dir = std::env::temp_dir().join(format!("cunwu-public-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, number) in TYPED_NUMBERS.iter().enumerate() {
        let filed = ObjectionEvent::Filed {
            unit: UnitRef {
                id: format!("v-{number}"),
                kind: cunwu_core::UnitKind::Village,
                district: None,
                name: Some(format!("石桥村{number}")),
            },
            objector: Objector { kind: ObjectorKind::Resident, id: (*number).to_owned() },
            subject: Subject::Disclosure { aspect: Aspect::Content, case: None, item: Some(format!("item {number}")) },
            level: Level::Committee,
            text: format!("联系{number}"),
        };
        let mut o = Objection::file(&rules, day, actor(Role::Resident), filed).unwrap();
        o.apply(&rules, day, actor(Role::Committee), ObjectionEvent::Acknowledged {}).unwrap();
        o.apply(
            &rules,
            day,
            actor(Role::Committee),
            ObjectionEvent::Replied {
                outcome: Outcome::Dismissed, reasons: format!("经核实 {number}"), written: true
            },
        )
        .unwrap();
        let log = dir.join(format!("o{i}.jsonl"));
        std::fs::write(&log, o.to_jsonl()).unwrap();
        let log = log.to_str().unwrap();
        for format in ["text", "json"] {
            let out = cunwu(&["objection", "replay", log, "--public", "--format", format, "--today", "2026-03-03"]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_absent(number, &stdout(&out), &format!("objection replay --public --format {format}"));
            assert!(stdout(&out).contains("石桥村"), "the record is printed");
        }
        let name = format!("石桥村{number}");
        let ics = cunwu(&["schedule", "--kind", "village", "--year", "2026", "--format", "ics", "--unit-name", &name]);
        assert!(ics.status.success(), "{}", String::from_utf8_lossy(&ics.stderr));
        assert_absent(number, &stdout(&ics).replace("\r\n ", ""), "schedule --format ics");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 21 (and the outside test of issue 18): `cunwu … | head -1` once panicked with "failed
/// printing to stdout: Broken pipe" and status 101. A closed pipe ends the program quietly with
/// status 0 and nothing on stderr, for every command that prints more than a pipe holds.
#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    use std::io::Read;
    use std::process::Stdio;
    let commands: &[&[&str]] = &[
        &["calendar", "2026-01-01", "2026-12-24"],
        &["rules", "show", "--as-of", "2026-07-01", "--format", "json"],
        &["schedule", "--kind", "village", "--year", "2026", "--format", "json"],
        &["schedule", "--kind", "village", "--year", "2026", "--format", "ics"],
        &["compliance", "examples/compliance", "--year", "2026", "--format", "html"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cunwu"))
            .args(*args)
            .current_dir(repo_root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}
mod host;
mod limits;
mod snapshots;

/// The JSON report is streamed to its file: the same bytes as on standard output, and a write
/// that fails leaves no half file behind.
#[test]
fn the_json_report_streamed_to_a_file_is_whole_or_absent() {
    let dir = std::env::temp_dir().join(format!("cunwu-stream-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("report.json");
    let args = ["compliance", "examples/compliance", "--year", "2026", "--format", "json"];
    let printed = cunwu(&args);
    let mut to_file: Vec<&str> = args.to_vec();
    let shown = target.display().to_string();
    to_file.extend(["--out", shown.as_str()]);
    let written = cunwu(&to_file);
    assert_eq!(written.status.code(), printed.status.code(), "{}", String::from_utf8_lossy(&written.stderr));
    assert_eq!(std::fs::read(&target).unwrap(), printed.stdout);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "a partial file was left");
    // Into a folder that does not exist: an error, and nothing written anywhere.
    let missing = dir.join("no/such/report.json").display().to_string();
    let mut bad: Vec<&str> = args.to_vec();
    bad.extend(["--out", missing.as_str()]);
    let failed = cunwu(&bad);
    assert_eq!(failed.status.code(), Some(1));
    // With `--format json` the error is the JSON answer, on standard output.
    let answer: serde_json::Value = serde_json::from_slice(&failed.stdout).unwrap();
    assert_eq!(answer["ok"], false);
    assert!(answer["errors"][0]["message_en"].as_str().unwrap().contains("cannot write"), "{answer}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 23, outside test: writing never follows a link out of the folder nor opens a FIFO; lone
/// carriage returns count as lines; a folder named like a record file is reported.
#[cfg(unix)]
#[test]
fn writes_replace_links_and_fifos_and_record_folders_are_read_whole() {
    let dir = std::env::temp_dir().join(format!("cunwu-writes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("city")).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("city/units.csv")).unwrap();
    let fifo = dir.join("report.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let city = dir.join("city").display().to_string();
    let out = cunwu(&["synth", &city]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me", "written through the link");
    assert!(!std::fs::symlink_metadata(dir.join("city/units.csv")).unwrap().file_type().is_symlink());
    // Into a FIFO: replaced, not opened (opening it would wait for a reader for ever).
    let shown = fifo.display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cunwu"))
        .args(["compliance", "examples/compliance", "--year", "2026", "--format", "json", "--out", &shown])
        .current_dir(repo_root())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while child.try_wait().unwrap().is_none() && waited < 300 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
        panic!("the report waited on a FIFO");
    }
    assert!(std::fs::metadata(&fifo).unwrap().is_file());
    // Lone carriage returns end lines for the line limit, as they end CSV records.
    let cr = dir.join("cr");
    std::fs::create_dir_all(&cr).unwrap();
    let units = std::fs::read_to_string(repo_root().join("examples/compliance/units.csv")).unwrap();
    std::fs::write(cr.join("units.csv"), units.replace('\n', "\r")).unwrap();
    let lines = units.lines().count();
    let crs = cr.display().to_string();
    let over = cunwu(&["compliance", &crs, "--year", "2026", "--max-file-lines", &(lines - 1).to_string()]);
    assert!(
        String::from_utf8_lossy(&over.stderr).contains("INPUT_TOO_LARGE"),
        "{}",
        String::from_utf8_lossy(&over.stderr)
    );
    // A folder named like a record file is reported, not skipped.
    std::fs::create_dir_all(cr.join("events.csv")).unwrap();
    let out = cunwu(&["compliance", &crs, "--year", "2026", "--format", "json"]);
    assert!(stdout(&out).contains("COMPLIANCE_READ_FAILED"), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 21: rule and record folders are read as regular files only: a FIFO, a device or a link
/// into /proc is refused with its reason in both languages, never opened (no hang, no endless
/// read), and the command ends at once.
#[cfg(unix)]
#[test]
fn folders_with_fifos_devices_and_proc_links_are_refused_not_read() {
    let dir = std::env::temp_dir().join(format!("cunwu-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    assert!(
        Command::new("cp")
            .args(["-r", "rules/.", rules.to_str().unwrap()])
            .current_dir(repo_root())
            .status()
            .unwrap()
            .success()
    );
    assert!(Command::new("mkfifo").arg(rules.join("x.toml")).status().unwrap().success());
    std::os::unix::fs::symlink("/dev/zero", rules.join("zero.toml")).unwrap();
    let started = std::time::Instant::now();
    let out = cunwu(&["rules", "lint", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("x.toml: error[RULES_READ_FAILED]: 无法读取文件：不是普通文件（命名管道）"), "{text}");
    assert!(text.contains("zero.toml: error[RULES_READ_FAILED]: 无法读取文件：不是普通文件（设备文件）"), "{text}");
    // A link to /proc/self reaches the whole file system: refused by the folder bound, at once.
    std::os::unix::fs::symlink("/proc/self", rules.join("proc")).unwrap();
    let out = cunwu(&["rules", "lint", rules.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("RULES_READ_FAILED"), "{}", stdout(&out));
    // A FIFO among the records: that file is left out and said so, the rest assessed.
    let records = dir.join("records");
    std::fs::create_dir_all(&records).unwrap();
    assert!(
        Command::new("cp")
            .args(["-r", "examples/compliance/.", records.to_str().unwrap()])
            .current_dir(repo_root())
            .status()
            .unwrap()
            .success()
    );
    std::fs::remove_file(records.join("postings.csv")).unwrap();
    assert!(Command::new("mkfifo").arg(records.join("postings.csv")).status().unwrap().success());
    let out = cunwu(&["compliance", records.to_str().unwrap(), "--year", "2026"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("postings.csv error[COMPLIANCE_READ_FAILED] 无法读取"), "{}", stdout(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "a special file was waited on");
    let _ = std::fs::remove_dir_all(dir);
}
