//! The rules shipped inside the library, so every binding works with no files on disk.
//!
//! The list must name every rule file under `rules/`; a test compares it with the directory.

use super::SourceFile;

/// Paths (as in the repository) and texts of the bundled rule files.
pub const FILES: &[(&str, &str)] = &[
    ("rules/documents.toml", include_str!("../../../rules/documents.toml")),
    ("rules/families.toml", include_str!("../../../rules/families.toml")),
    ("rules/layers/cn-national.toml", include_str!("../../../rules/layers/cn-national.toml")),
    ("rules/layers/cq-statute-2013.toml", include_str!("../../../rules/layers/cq-statute-2013.toml")),
    ("rules/layers/cq-policy-2018.toml", include_str!("../../../rules/layers/cq-policy-2018.toml")),
    ("rules/scoring/cq-default.toml", include_str!("../../../rules/scoring/cq-default.toml")),
    ("rules/calendar/festivals.toml", include_str!("../../../rules/calendar/festivals.toml")),
    ("rules/calendar/2018.toml", include_str!("../../../rules/calendar/2018.toml")),
    ("rules/calendar/2019.toml", include_str!("../../../rules/calendar/2019.toml")),
    ("rules/calendar/2020.toml", include_str!("../../../rules/calendar/2020.toml")),
    ("rules/calendar/2021.toml", include_str!("../../../rules/calendar/2021.toml")),
    ("rules/calendar/2022.toml", include_str!("../../../rules/calendar/2022.toml")),
    ("rules/calendar/2023.toml", include_str!("../../../rules/calendar/2023.toml")),
    ("rules/calendar/2024.toml", include_str!("../../../rules/calendar/2024.toml")),
    ("rules/calendar/2025.toml", include_str!("../../../rules/calendar/2025.toml")),
    ("rules/calendar/2026.toml", include_str!("../../../rules/calendar/2026.toml")),
];

/// The bundled rule files compiled to JSON by the build script, and their version.
pub mod compiled {
    include!(concat!(env!("OUT_DIR"), "/bundled_compiled.rs"));
}

/// The bundled rule files as loader input: the TOML texts, or in a build without the TOML reader
/// (the browser package) the same files compiled to JSON, under the same paths.
///
/// ```
/// assert!(cunwu_core::rules::bundled::sources().iter().any(|f| f.path == "rules/documents.toml"));
/// ```
pub fn sources() -> Vec<SourceFile> {
    if cfg!(feature = "toml") { toml_sources() } else { json_sources() }
}

/// The bundled rule files as written (TOML).
pub fn toml_sources() -> Vec<SourceFile> {
    FILES.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect()
}

/// The bundled rule files compiled to JSON (a file that failed to compile is left as a JSON
/// string, which the loader reports as a syntax error naming the file).
///
/// ```
/// let files = cunwu_core::rules::bundled::json_sources();
/// assert!(files.iter().all(|f| f.text.starts_with('{')));
/// ```
pub fn json_sources() -> Vec<SourceFile> {
    compiled::COMPILED
        .iter()
        .map(|(path, text)| match text {
            Ok(json) => SourceFile::new(*path, *json),
            // The parser's message as a JSON string, which the loader reports as a syntax error.
            Err(message) => SourceFile::new(*path, serde_json::to_string(message).unwrap_or_default()),
        })
        .collect()
}
