//! The JSON Schema of rule files, generated from [`RuleFile`](super::RuleFile) and committed as
//! `rules/schema/rule-file.schema.json` (a test fails when the committed copy is stale).

/// The schema as pretty JSON text, ending with a newline.
///
/// ```
/// assert!(cunwu_core::rules::schema::rule_file_schema_text().contains("\"items\""));
/// ```
pub fn rule_file_schema_text() -> String {
    let schema = schemars::schema_for!(super::RuleFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The committed submission schemas: `(file name, text)` for each family.
pub fn submission_schemas() -> Vec<(String, String)> {
    use crate::validation::{Family, family_schema_text};
    [Family::FinanceStatement, Family::BeneficiaryList, Family::Project, Family::Notice]
        .into_iter()
        .map(|f| (format!("submission-{}.schema.json", f.to_string().replace('_', "-")), family_schema_text(f)))
        .collect()
}
