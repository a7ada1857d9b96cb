//! Hostile input on the text entry points: duplicate keys, deep nesting, huge and invalid text.
//! Each gets a clear error at its place, in bounded time, and nothing panics.

use cunwu_core::RuleSet;
use cunwu_core::api;
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
fn a_million_lines_of_log_fail_at_the_first_bad_line() {
    let text = "\n".repeat(1_000_000) + "not json\n" + &"{}\n".repeat(1_000_000);
    let err = api::try_case_replay(&rules(), &text, None).err().unwrap();
    let d = &err.diagnostics()[0];
    assert!(d.code.starts_with("LOG_"), "{d:?}");
    assert!(d.message_en.contains("1000001"), "{}", d.message_en);
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
