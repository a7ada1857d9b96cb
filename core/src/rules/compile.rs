//! TOML rule files compiled to JSON rule files: the same tables and keys, dates as ISO strings.
//!
//! A JSON rule file (`*.json`, or any text whose first non-blank character is `{`, which no TOML
//! document can start with) is read by every build of cunwu; the TOML reader is left out of the
//! browser package to keep it small. The bundled rules are compiled by the build script with this
//! same function (`core/build.rs` includes `toml_to_json.rs`), so the browser reads what the CLI reads.

use super::{RuleSet, SourceFile};
use crate::diagnostic::Diagnostic;

include!("toml_to_json.rs");

/// Check `files` as [`RuleSet::load`] does and compile each TOML file to JSON (JSON files are
/// kept as they are), under the same paths. On any error nothing is compiled: every diagnostic
/// is returned, with the TOML line and column. Loading the result gives the same rules.
///
/// ```
/// use cunwu_core::rules::{RuleSet, bundled, compile::compile};
/// let json = compile(&bundled::toml_sources()).unwrap();
/// assert!(json.iter().all(|f| f.is_json()));
/// let a = RuleSet::load(&json).unwrap();
/// let b = RuleSet::load(&bundled::toml_sources()).unwrap();
/// assert_eq!(a.layers().len(), b.layers().len());
/// ```
pub fn compile(files: &[SourceFile]) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    RuleSet::load(files)?;
    files
        .iter()
        .map(|f| {
            if f.is_json() {
                return Ok(f.clone());
            }
            // The file parsed as TOML above, so this does not fail; report it if it does.
            toml_to_json(&f.text).map(|text| SourceFile::new(f.path.clone(), text)).map_err(|message| {
                let location = crate::diagnostic::Location { file: Some(f.path.clone()), ..Default::default() };
                vec![super::load::make_diagnostic(super::RuleProblem::Syntax { message }, location)]
            })
        })
        .collect()
}
