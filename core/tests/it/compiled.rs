//! Compiled (JSON) rule files: the browser package reads the bundled rules compiled by the build
//! script, and `cunwu rules compile` turns a maintainer's TOML into what a browser can load. Both
//! must give the very rules the TOML gives.

use cunwu_core::api::{self, ResolveRequest, ScheduleRequest};
use cunwu_core::rules::{RuleSet, SourceFile, bundled, compile::compile};
use serde_json::json;

fn answers(set: &RuleSet, districts: &[Option<&str>]) -> Vec<String> {
    let mut out = Vec::new();
    for district in districts {
        for as_of in ["2013-11-01", "2016-03-01", "2018-06-30", "2018-07-01", "2022-01-01", "2026-06-15"] {
            let request =
                ResolveRequest { as_of: as_of.into(), district: district.map(str::to_string), unit_kind: None };
            out.push(serde_json::to_string(&api::resolve_catalogue(set, &request)).unwrap());
        }
        for unit_kind in ["village", "community", "group"] {
            for year in [2019, 2024, 2026] {
                let request: ScheduleRequest = serde_json::from_value(
                    json!({ "unit_kind": unit_kind, "year": year, "district": district, "explain": true }),
                )
                .unwrap();
                out.push(serde_json::to_string(&api::schedule(set, &request)).unwrap());
            }
        }
    }
    out
}

#[test]
fn the_compiled_bundled_rules_are_the_toml_rules() {
    let toml = RuleSet::load(&bundled::toml_sources()).unwrap();
    // The compiled bundle leaves the source texts out (the browser package runs no citation
    // check); here they are added back as TOML, so the full check runs on the compiled rest.
    let texts: Vec<SourceFile> =
        bundled::toml_sources().into_iter().filter(|f| f.path.starts_with("rules/sources/")).collect();
    let json = RuleSet::load(&[bundled::json_sources(), texts].concat()).unwrap();
    assert_eq!(toml.version(), bundled::compiled::VERSION, "the build script's version formula drifted");
    assert!(toml.warnings().is_empty() && json.warnings().is_empty());
    let paths = |files: Vec<SourceFile>| files.into_iter().map(|f| f.path).collect::<Vec<_>>();
    let mut toml_paths = paths(bundled::toml_sources());
    toml_paths.retain(|p| !p.starts_with("rules/sources/"));
    toml_paths.sort();
    assert_eq!(toml_paths, paths(bundled::json_sources()));
    // Same answers, version aside (the JSON texts hash differently; `RuleSet::bundled` sets it)
    // and the maintainers' remarks (`note`, `notes`), which the compiled bundle leaves out.
    let strip = |v: Vec<String>, from: &str| {
        v.into_iter().map(|a| without_remarks(&a.replace(from, "VERSION"))).collect::<Vec<_>>()
    };
    assert_eq!(strip(answers(&toml, &[None]), toml.version()), strip(answers(&json, &[None]), json.version()));
}

/// An answer without what the compiled bundle leaves out: remarks (`note`, `notes`) and the
/// documents' `url` and `number`.
fn without_remarks(answer: &str) -> String {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("note");
                map.remove("notes");
                if map.contains_key("jurisdiction") {
                    map.remove("url");
                    map.remove("number");
                    map.remove("tag");
                }
                for v in map.values_mut() {
                    strip(v);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(answer).unwrap();
    strip(&mut value);
    value.to_string()
}

#[test]
fn compiled_district_rules_answer_as_their_toml() {
    let district = cunwu_core::fs::read_rules_dir(crate::repo_root().join("examples/districts")).unwrap();
    let mut all = bundled::toml_sources();
    all.extend(district);
    let compiled = compile(&all).unwrap();
    let toml = RuleSet::load(&all).unwrap();
    let json = RuleSet::load(&compiled).unwrap();
    let districts = [None, Some("500108")];
    let strip = |v: Vec<String>, from: &str| v.into_iter().map(|a| a.replace(from, "VERSION")).collect::<Vec<_>>();
    let (a, b) = (strip(answers(&toml, &districts), toml.version()), strip(answers(&json, &districts), json.version()));
    assert_eq!(a, b);
    assert!(a.iter().any(|answer| answer.contains("南岸")), "the district layer took part");
}

#[test]
fn compile_refuses_rules_with_errors_and_compiles_nothing() {
    let bad = SourceFile::new("layers/bad.toml", "[layer]\nid = 1\n");
    let diags = compile(&[bad]).unwrap_err();
    assert_eq!(diags[0].code, "RULES_INVALID_VALUE");
    assert_eq!(diags[0].location.line, Some(2), "TOML places are kept: {diags:?}");
}

fn lint_codes(file: SourceFile) -> Vec<(String, Option<String>, Option<u32>)> {
    RuleSet::lint(&[file]).into_iter().map(|d| (d.code, d.location.pointer, d.location.line)).collect()
}

#[test]
fn json_rule_files_report_syntax_with_line_and_column() {
    let diags = RuleSet::lint(&[SourceFile::new("x.json", "{\n  \"layer\": {,\n}")]);
    assert_eq!(diags[0].code, "RULES_SYNTAX");
    assert_eq!((diags[0].location.line, diags[0].location.column), (Some(2), Some(13)));
    assert!(diags[0].message_zh.starts_with("JSON 语法错误"), "{}", diags[0].message_zh);
}

#[test]
fn json_rule_files_report_unknown_and_missing_keys_by_pointer() {
    let codes = lint_codes(SourceFile::new("x.json", r#"{"layers": []}"#));
    assert_eq!(codes[0], ("RULES_UNKNOWN_KEY".into(), Some("/layers".into()), None));
    let codes = lint_codes(SourceFile::new("x.json", r#"{"documents": [{"id": "d"}]}"#));
    assert_eq!(codes[0].0, "RULES_MISSING_KEY");
    assert_eq!(codes[0].1.as_deref(), Some("/documents/0"));
    let codes = lint_codes(SourceFile::new(
        "x.json",
        r#"{"documents": [{"id": "d", "title": "t", "issuer": "i", "colour": 1}]}"#,
    ));
    assert!(codes.iter().any(|(code, ptr, _)| code == "RULES_INVALID_VALUE" && ptr.as_deref() == Some("/documents/0")));
    let codes = lint_codes(SourceFile::new("x.json", r#"{"documents": {"id": "d"}}"#));
    assert_eq!(codes[0], ("RULES_INVALID_VALUE".into(), Some("/documents".into()), None));
    let codes = lint_codes(SourceFile::new("x.json", "[1, 2]"));
    assert_eq!(codes[0].0, "RULES_SYNTAX");
}

#[test]
fn a_file_starting_with_a_brace_is_json_whatever_its_name() {
    let file = SourceFile::new("layers/x.toml", "{\"documents\": []}");
    assert!(file.is_json());
    assert!(RuleSet::lint(&[file]).iter().all(|d| d.code != "RULES_SYNTAX"));
}
