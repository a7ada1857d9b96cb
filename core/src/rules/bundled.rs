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

/// The bundled rule files as loader input.
///
/// ```
/// assert!(cunwu_core::rules::bundled::sources().iter().any(|f| f.path == "rules/documents.toml"));
/// ```
pub fn sources() -> Vec<SourceFile> {
    FILES.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect()
}
