//! Generated artifacts committed to the repository must match what the code generates.
//! Run with `CUNWU_UPDATE_GENERATED=1` to rewrite them.

use crate::repo_root;

fn check(relative: &str, generated: &str) {
    let path = repo_root().join(relative);
    if std::env::var_os("CUNWU_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, generated).unwrap_or_else(|e| panic!("writing {relative}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is stale; run `CUNWU_UPDATE_GENERATED=1 cargo test -p cunwu-core --test it generated` and commit it"
    );
}

#[test]
fn rule_file_schema_is_current() {
    check("rules/schema/rule-file.schema.json", &cunwu_core::rules::schema::generate_rule_file_schema());
}

/// The page a lawyer reviews: every obligation of the bundled rules, its force, values and the
/// quoted text of each clause it rests on.
#[test]
fn legal_basis_page_is_current() {
    let rules = cunwu_core::RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    check("docs/legal-basis.md", &cunwu_core::explain::legal_basis_markdown(&rules, day).unwrap());
}

#[test]
fn error_code_list_is_current() {
    let codes = cunwu_core::api::error_codes();
    let mut text = serde_json::to_string_pretty(&codes).unwrap_or_default();
    text.push('\n');
    check("tests/error-codes.json", &text);
}

#[test]
fn bundled_list_names_every_rule_file() {
    let on_disk = cunwu_core::fs::read_rules_dir_as(repo_root().join("rules"), "rules").unwrap_or_default();
    let mut disk: Vec<String> = on_disk.into_iter().map(|f| f.path).collect();
    let mut bundled: Vec<String> = cunwu_core::rules::bundled::FILES.iter().map(|(p, _)| p.to_string()).collect();
    disk.sort();
    bundled.sort();
    assert_eq!(disk, bundled, "rules/ and core/src/rules/bundled.rs disagree");
}

#[test]
fn error_codes_are_unique() {
    let codes = cunwu_core::api::error_codes();
    let mut seen = std::collections::BTreeSet::new();
    for c in &codes {
        assert!(seen.insert(c.code.clone()), "duplicate code {}", c.code);
    }
}

#[test]
fn procedure_diagram_is_current() {
    let mut text = String::from(
        "# The disclosure procedure\n\nGenerated from `core/src/procedure.rs` (`TRANSITIONS`) by `cargo test`; \
         also printed by `cunwu procedure diagram`. Each edge: event, step, who takes it, the deadline parameter.\n\n",
    );
    for (title, pipeline) in [
        ("General affairs (五个程序)", cunwu_core::procedure::Pipeline::General),
        ("Party affairs (党务公开)", cunwu_core::procedure::Pipeline::Party),
    ] {
        text.push_str(&format!("## {title}\n\n```mermaid\n{}```\n\n", cunwu_core::procedure::mermaid(pipeline)));
    }
    check("docs/procedure.md", &text);
}

#[test]
fn submission_schemas_are_current() {
    for (name, text) in cunwu_core::rules::schema::generate_submission_schemas() {
        check(&format!("rules/schema/{name}"), &text);
    }
}
