//! Hostile input on the text entry points: duplicate keys, deep nesting, huge and invalid text.
//! Each gets a clear error at its place, in bounded time, and nothing panics.

use crate::repo_root;
use cunwu_core::RuleSet;
use cunwu_core::api;
use cunwu_core::limits::Limits;
use cunwu_core::rules::SourceFile;

fn rules() -> RuleSet {
    RuleSet::bundled().unwrap()
}

#[test]
fn a_duplicate_key_in_a_submission_is_a_finding_at_its_line() {
    let text = "{\n  \"item\": \"finance.income-expenditure\",\n  \"item\": \"finance.budget\"\n}";
    let answer = api::validate_text(&rules(), text);
    assert!(!answer.ok);
    let finding = &answer.findings[0];
    assert_eq!(finding.code, "VALIDATION_TYPE");
    assert!(finding.message_en.contains("duplicate key `item`"), "{}", finding.message_en);
    assert_eq!(finding.location.line, Some(3));
}

#[test]
fn a_duplicate_key_in_a_json_rule_file_is_a_syntax_error() {
    let diags = RuleSet::lint(&[SourceFile::new("x.json", r#"{"documents": [], "documents": []}"#)]);
    assert_eq!(diags[0].code, "RULES_SYNTAX");
    assert!(diags[0].message_en.contains("duplicate key `documents`"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let answer = api::validate_text(&rules(), &deep);
    assert_eq!(answer.findings[0].code, "VALIDATION_TYPE");
    assert!(answer.findings[0].message_en.contains("recursion limit"));
    let diags = RuleSet::lint(&[SourceFile::new("x.json", format!("{{\"documents\": {deep}}}"))]);
    assert_eq!(diags[0].code, "RULES_SYNTAX");
    let err = api::try_case_replay(&rules(), &format!("{{\"index\": {deep}}}\n"), None).err().unwrap();
    assert!(err.diagnostics()[0].code.starts_with("LOG_"), "{:?}", err.diagnostics());
}

#[test]
fn a_huge_string_is_judged_without_trouble() {
    let huge = "金".repeat(20_000_000);
    let text = format!(r#"{{"item": "finance.income-expenditure", "unit": {{"id": "{huge}"}}}}"#);
    let answer = api::validate_text(&rules(), &text);
    assert!(!answer.ok);
    assert!(answer.findings.iter().all(|f| f.message_en.len() < 10_000), "messages do not echo the input");
}

#[test]
fn a_log_of_millions_of_lines_is_refused_before_it_is_read() {
    let text = "not json\n".repeat(3_000_000);
    let err = api::try_case_replay(&rules(), &text, None).err().unwrap();
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, "LOG_TOO_LARGE");
    assert!(d.message_en.contains("100001 entries (at most 100000"), "{}", d.message_en);
    // Under the limit, the first bad line is named.
    let text = "\n".repeat(1_000) + "not json\n";
    let err = api::try_case_replay(&rules(), &text, None).err().unwrap();
    assert!(err.diagnostics()[0].message_en.contains("1001"), "{:?}", err.diagnostics());
}

#[test]
fn limits_are_configurable_and_each_has_its_code() {
    let tight = rules().with_limits(Limits { max_text_bytes: 100, max_log_entries: 2, max_file_lines: 3 });
    let answer = api::validate_text(&tight, &format!(r#"{{"item": "{}"}}"#, "x".repeat(200)));
    assert_eq!(answer.findings[0].code, "INPUT_TOO_LARGE");
    assert!(answer.findings[0].message_zh.contains("上限100"));

    // A log's entries (each line is longer than 100 bytes: a log is bounded by its bytes too).
    let tight = rules().with_limits(Limits { max_text_bytes: 1 << 20, max_log_entries: 2, max_file_lines: 3 });
    let case = api::case_open(
        &tight,
        &serde_json::from_value(serde_json::json!({
            "date": "2026-01-05", "actor": { "id": "a", "role": "committee" },
            "unit": { "id": "u", "kind": "village" }, "period": "2026-01", "pipeline": "general"
        }))
        .unwrap(),
    )
    .value
    .unwrap();
    let three = [case.log.clone(), case.log.clone(), case.log].concat();
    let err = api::try_case_apply(
        &tight,
        three,
        &serde_json::from_value(serde_json::json!({
            "date": "2026-01-06", "actor": { "id": "a", "role": "committee" }, "event": { "type": "plan_proposed", "items": [], "planned_publication": "2026-01-10" }
        }))
        .unwrap(),
    )
    .err()
    .unwrap();
    assert_eq!(err.diagnostics()[0].code, "LOG_TOO_LARGE");

    let request: api::ComplianceRequest = serde_json::from_value(serde_json::json!({
        "year": 2026, "as_of": "2026-06-30",
        "files": [{ "path": "units.csv", "text": "id,name,kind,township,district\na,b,village,c,d\ne,f,village,g,h\ni,j,village,k,l\n" }]
    }))
    .unwrap();
    let answer = api::compliance(&tight, &request);
    assert_eq!(answer.errors[0].code, "INPUT_TOO_LARGE");
    assert_eq!(answer.errors[0].location.pointer.as_deref(), Some("/files/0/text"));
    assert!(api::compliance(&rules(), &request).ok, "the default limits let it through");
}

#[test]
fn invalid_utf8_files_are_read_errors_with_their_path() {
    let dir = std::env::temp_dir().join(format!("cunwu-hostile-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::create_dir_all(dir.join("records")).unwrap();
    std::fs::write(dir.join("rules/bad.toml"), [0xff, 0xfe, b'[', b']']).unwrap();
    std::fs::write(dir.join("records/units.csv"), [b'i', b'd', 0xff, b'\n']).unwrap();
    let diags = cunwu_core::fs::read_rules_dir(dir.join("rules")).unwrap_err();
    assert_eq!(diags[0].code, "RULES_READ_FAILED");
    assert!(diags[0].location.file.as_deref().unwrap_or_default().ends_with("bad.toml"));
    let (_, problems) = cunwu_core::fs::read_records_dir(dir.join("records")).unwrap();
    assert_eq!(problems[0].code, "COMPLIANCE_READ_FAILED");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn amounts_beyond_a_decimal_are_findings_not_crashes() {
    // Regression: the sum of lines and the balance were computed with `+`, which panics on
    // overflow, and an amount with 31 digits was skipped without a word.
    for (file, pointer) in [
        ("finance-sum-overflow.json", "/payload/income/1/amount"),
        ("finance-balance-overflow.json", "/payload/closing_balance"),
        ("finance-too-many-digits.json", "/payload/opening_balance"),
    ] {
        let text = std::fs::read_to_string(crate::repo_root().join("tests/fixtures/submissions").join(file)).unwrap();
        let answer = api::validate_text(&rules(), &text);
        assert!(!answer.ok, "{file}");
        assert!(
            answer
                .findings
                .iter()
                .any(|f| f.code == "VALIDATION_MONEY_FORMAT" && f.location.pointer.as_deref() == Some(pointer)),
            "{file}: {:?}",
            answer.findings
        );
    }
}

/// Issue 18 (outside test): a text holding thousands of personal numbers once gave one finding
/// per number, each carrying the whole masked text, so the answer grew with the square of the
/// input (97 KB took 74 s and 770 MB). It is one finding per text, with the masked text once.
#[test]
fn many_personal_numbers_in_one_text_give_one_finding_of_linear_size() {
    let rules = cunwu_core::RuleSet::bundled().unwrap();
    let mut submission: serde_json::Value =
        serde_json::from_str(include_str!("../../../examples/submissions/finance-good.json")).unwrap();
    let text = "13912345678 ".repeat(8000);
    submission["payload"]["income"][0]["counterparty"] = serde_json::Value::String(text.clone());
    let answer = cunwu_core::validation::validate(&rules, &submission);
    let personal: Vec<_> = answer.findings.iter().filter(|f| f.code == "VALIDATION_PERSONAL_DATA").collect();
    assert_eq!(personal.len(), 1);
    assert!(personal[0].message_zh.contains("等共 8000 处"), "{}", personal[0].message_zh);
    let size = serde_json::to_string(&answer).unwrap().len();
    assert!(size < 4 * text.len(), "answer of {size} bytes for {} bytes of text", text.len());
}

/// Issue 23 (and 21): rule and record folders are read file by file, regular files only and each
/// with a byte bound. A FIFO named `x.toml` or `postings.csv` once made the reader hang, a link to
/// `/dev/zero` ran it out of memory, and a link to a parent folder looped.
#[cfg(unix)]
#[test]
fn fifos_devices_and_link_loops_are_never_read() {
    let dir = std::env::temp_dir().join(format!("cunwu-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/sub")).unwrap();
    std::fs::create_dir_all(dir.join("records")).unwrap();
    let fifo = |p: std::path::PathBuf| {
        let status = std::process::Command::new("mkfifo").arg(&p).status().unwrap();
        assert!(status.success());
    };
    fifo(dir.join("rules/x.toml"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("rules/zero.toml")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("rules/sub/loop")).unwrap();
    let diags = cunwu_core::fs::read_rules_dir(dir.join("rules")).unwrap_err();
    let messages: Vec<String> = diags.iter().map(|d| format!("{} {}", d.code, d.message_en)).collect();
    assert_eq!(diags.len(), 2, "{messages:?}");
    assert!(
        messages.iter().all(|m| m.starts_with("RULES_READ_FAILED") && m.contains("not a regular file")),
        "{messages:?}"
    );

    std::fs::copy(repo_root().join("examples/compliance/units.csv"), dir.join("records/units.csv")).unwrap();
    fifo(dir.join("records/postings.csv"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("records/filings.csv")).unwrap();
    let data = cunwu_core::fs::read_records_dataset(dir.join("records")).unwrap();
    let unread: Vec<&str> = data
        .problems
        .iter()
        .filter(|p| p.code == "COMPLIANCE_READ_FAILED")
        .filter_map(|p| p.location.file.as_deref())
        .collect();
    assert_eq!(unread.len(), 2, "{:?}", data.problems);
    assert_eq!(data.units.len(), 18, "the registry is still read");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 23: a record file over `max_text_bytes` or `max_file_lines` stops the reading with
/// `INPUT_TOO_LARGE` naming the file and the limit; nothing is assessed from a partial folder.
#[test]
fn a_record_file_over_the_limits_is_refused_with_its_name() {
    let dir = repo_root().join("examples/compliance");
    let postings = std::fs::metadata(dir.join("postings.csv")).unwrap().len() as usize;
    let just_over = Limits { max_text_bytes: postings - 1, ..Limits::default() };
    let errors = cunwu_core::fs::read_records_dataset_with(&dir, &just_over).unwrap_err();
    assert_eq!(errors[0].code, "INPUT_TOO_LARGE");
    assert!(errors[0].location.file.as_deref().is_some_and(|f| f.ends_with("postings.csv")), "{errors:?}");
    assert!(errors[0].message_en.contains(&format!("{}", postings - 1)), "{}", errors[0].message_en);
    let exactly = Limits { max_text_bytes: postings, ..Limits::default() };
    // Every other file of the folder is smaller than postings.csv.
    assert!(cunwu_core::fs::read_records_dataset_with(&dir, &exactly).is_ok());
}

/// Issue 23, outside test: a file of a million bad rows costs memory for a thousand problems,
/// and says how many more there were.
#[test]
fn a_million_bad_rows_are_counted_not_kept() {
    let header = "unit,item,period,posted,removed\n";
    let postings = format!("{header}{}", "x\n".repeat(20_000));
    let units = "id,name,kind,township,district\na,b,village,c,d\n";
    let data = cunwu_core::compliance::Dataset::from_sources(&[
        cunwu_core::rules::SourceFile::new("units.csv", units),
        cunwu_core::rules::SourceFile::new("postings.csv", postings),
    ]);
    let bad = data.problems.iter().filter(|p| p.code == "COMPLIANCE_BAD_ROW").count();
    assert_eq!(bad, cunwu_core::compliance::MAX_PROBLEMS_LISTED);
    let more: Vec<_> = data.problems.iter().filter(|p| p.code == "COMPLIANCE_MORE_PROBLEMS").collect();
    assert_eq!(more.len(), 1, "{more:?}");
    assert!(more[0].message_en.contains("19000 more COMPLIANCE_BAD_ROW"), "{}", more[0].message_en);
    assert!(more[0].is_error());
}

/// Lines end at `\r` too, as CSV records do: a file of lone `\r`s is not one line.
#[test]
fn the_line_limit_counts_lone_carriage_returns() {
    let tight = rules().with_limits(Limits { max_file_lines: 3, ..Limits::default() });
    let text = "id,name,kind,township,district\ra,b,village,c,d\re,f,village,g,h\ri,j,village,k,l\r";
    let request: api::ComplianceRequest = serde_json::from_value(serde_json::json!({
        "year": 2026, "as_of": "2026-06-30", "files": [{ "path": "units.csv", "text": text }]
    }))
    .unwrap();
    let e = api::try_compliance(&tight, &request).err().unwrap();
    assert_eq!(e.diagnostics()[0].code, "INPUT_TOO_LARGE");
    assert!(e.diagnostics()[0].message_en.contains("max_file_lines"));
}

/// Rows given as JSON are bounded like the files they stand for.
#[test]
fn rows_in_a_request_are_bounded_by_max_text_bytes() {
    let tight = rules().with_limits(Limits { max_text_bytes: 50, ..Limits::default() });
    let request: api::ComplianceRequest = serde_json::from_value(serde_json::json!({
        "year": 2026, "as_of": "2026-06-30",
        "rows": { "units": [{ "id": "a", "name": "石桥村", "kind": "village", "township": "c", "district": "d" }] }
    }))
    .unwrap();
    let e = api::try_compliance(&tight, &request).err().unwrap();
    assert_eq!(e.diagnostics()[0].code, "INPUT_TOO_LARGE");
}

/// A log is never written past what the same rules can read back; a byte-order mark is not an
/// entry.
#[test]
fn a_log_is_bounded_by_its_bytes_when_written_and_read() {
    let text = std::fs::read_to_string(crate::repo_root().join("examples/procedure/village-2026-q1.jsonl")).unwrap();
    let (head, last) = text.trim_end().rsplit_once('\n').unwrap();
    let head = format!("{head}\n");
    let last: cunwu_core::log::Entry<cunwu_core::procedure::CaseEvent> = serde_json::from_str(last).unwrap();
    let tight = rules().with_limits(Limits { max_text_bytes: text.len() - 1, ..Limits::default() });
    let mut case = cunwu_core::procedure::DisclosureCase::from_jsonl(&tight, &head).unwrap();
    let e = case.apply(&tight, last.date, last.actor.clone(), last.event.clone()).unwrap_err();
    assert_eq!(e.code(), "LOG_TOO_LARGE");
    assert_eq!(case.to_jsonl(), head);
    let exact = rules().with_limits(Limits { max_text_bytes: text.len(), ..Limits::default() });
    let mut case = cunwu_core::procedure::DisclosureCase::from_jsonl(&exact, &head).unwrap();
    case.apply(&exact, last.date, last.actor, last.event).unwrap();
    // The same length (the entry made now records the rules version in force now).
    assert_eq!(case.to_jsonl().len(), text.len());
    assert!(cunwu_core::procedure::DisclosureCase::from_jsonl(&exact, &format!("\u{feff}{text}")).is_ok());
}

/// Rule folders are bounded as a whole, and a link to `/` is not walked.
#[test]
fn a_rules_folder_is_bounded_as_a_whole() {
    let dir = std::env::temp_dir().join(format!("cunwu-rules-whole-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..3 {
        std::fs::write(dir.join(format!("f{i}.toml")), "# x\n".repeat(100)).unwrap();
    }
    let tight = Limits { max_text_bytes: 1000, ..Limits::default() };
    let e = cunwu_core::fs::read_rules_dir_with(&dir, "r", &tight).unwrap_err();
    assert_eq!(e[0].code, "INPUT_TOO_LARGE", "{e:?}");
    assert!(cunwu_core::fs::read_rules_dir_with(&dir, "r", &Limits { max_text_bytes: 1200, ..tight }).is_ok());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/", dir.join("root")).unwrap();
        let e = cunwu_core::fs::read_rules_dir_with(&dir, "r", &Limits::default()).unwrap_err();
        assert_eq!(e[0].code, "RULES_READ_FAILED", "{e:?}");
        assert!(e[0].message_en.contains("10000 entries"), "{}", e[0].message_en);
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Files given as text are bounded in number and path length; a long value is not echoed whole.
#[test]
fn file_lists_and_echoed_values_are_bounded() {
    let many: Vec<serde_json::Value> =
        (0..10_001).map(|i| serde_json::json!({ "path": format!("f{i}"), "text": "" })).collect();
    let request: api::ComplianceRequest =
        serde_json::from_value(serde_json::json!({ "year": 2026, "as_of": "2026-06-30", "files": many })).unwrap();
    let e = api::try_compliance(&rules(), &request).err().unwrap();
    assert_eq!(e.diagnostics()[0].code, "INPUT_TOO_LARGE");
    let long = serde_json::json!([{ "path": "x".repeat(5000), "text": "a" }]);
    let request: api::ComplianceRequest =
        serde_json::from_value(serde_json::json!({ "year": 2026, "as_of": "2026-06-30", "files": long })).unwrap();
    let e = api::try_compliance(&rules(), &request).err().unwrap();
    assert_eq!(e.diagnostics()[0].code, "INPUT_TOO_LARGE");
    assert!(e.diagnostics()[0].message_en.contains("MAX_PATH_BYTES"));
    let request = api::PeriodRequest {
        start: "2026-01-05".into(),
        length: "x".repeat(1 << 20),
        extension: None,
        rule: None,
        estimate: false,
    };
    let answer = api::period(&rules(), &request);
    assert!(answer.errors[0].message_en.len() < 400 && answer.errors[0].message_zh.len() < 600);
}
