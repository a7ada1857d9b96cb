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
    ("rules/sources/cn-civil-code.toml", include_str!("../../../rules/sources/cn-civil-code.toml")),
    (
        "rules/sources/cn-general-principles-civil-law.toml",
        include_str!("../../../rules/sources/cn-general-principles-civil-law.toml"),
    ),
    (
        "rules/sources/cn-general-provisions-civil-law.toml",
        include_str!("../../../rules/sources/cn-general-provisions-civil-law.toml"),
    ),
    ("rules/sources/cn-holiday-notices.toml", include_str!("../../../rules/sources/cn-holiday-notices.toml")),
    ("rules/sources/cn-holidays-2013.toml", include_str!("../../../rules/sources/cn-holidays-2013.toml")),
    ("rules/sources/cn-holidays-2024.toml", include_str!("../../../rules/sources/cn-holidays-2024.toml")),
    (
        "rules/sources/cn-party-affairs-disclosure.toml",
        include_str!("../../../rules/sources/cn-party-affairs-disclosure.toml"),
    ),
    (
        "rules/sources/cn-social-assistance-2014.toml",
        include_str!("../../../rules/sources/cn-social-assistance-2014.toml"),
    ),
    (
        "rules/sources/cn-urban-residents-organic-law.toml",
        include_str!("../../../rules/sources/cn-urban-residents-organic-law.toml"),
    ),
    ("rules/sources/cn-village-organic-law.toml", include_str!("../../../rules/sources/cn-village-organic-law.toml")),
    ("rules/sources/cn-zhongban-2004-17.toml", include_str!("../../../rules/sources/cn-zhongban-2004-17.toml")),
    (
        "rules/sources/cq-collective-assets-2010.toml",
        include_str!("../../../rules/sources/cq-collective-assets-2010.toml"),
    ),
    (
        "rules/sources/cq-dibao-regulations-2016.toml",
        include_str!("../../../rules/sources/cq-dibao-regulations-2016.toml"),
    ),
    ("rules/sources/cq-nanan-catalogue-2016.toml", include_str!("../../../rules/sources/cq-nanan-catalogue-2016.toml")),
    ("rules/sources/cq-opinions-2015-6.toml", include_str!("../../../rules/sources/cq-opinions-2015-6.toml")),
    ("rules/sources/cq-reply-2018-0447.toml", include_str!("../../../rules/sources/cq-reply-2018-0447.toml")),
    (
        "rules/sources/cq-village-measures-2013.toml",
        include_str!("../../../rules/sources/cq-village-measures-2013.toml"),
    ),
    (
        "rules/sources/local-cq-county-housing-catalogue.toml",
        include_str!("../../../rules/sources/local-cq-county-housing-catalogue.toml"),
    ),
    (
        "rules/sources/local-cq-rongchang-catalogue.toml",
        include_str!("../../../rules/sources/local-cq-rongchang-catalogue.toml"),
    ),
    (
        "rules/sources/local-party-affairs-practice.toml",
        include_str!("../../../rules/sources/local-party-affairs-practice.toml"),
    ),
    (
        "rules/sources/local-village-affairs-practice.toml",
        include_str!("../../../rules/sources/local-village-affairs-practice.toml"),
    ),
    (
        "rules/sources/local-zj-county-catalogue.toml",
        include_str!("../../../rules/sources/local-zj-county-catalogue.toml"),
    ),
    ("rules/sources/prov-hn-measures.toml", include_str!("../../../rules/sources/prov-hn-measures.toml")),
    (
        "rules/sources/prov-jl-soudengzhan-2022.toml",
        include_str!("../../../rules/sources/prov-jl-soudengzhan-2022.toml"),
    ),
    ("rules/sources/prov-sh-measures-2020.toml", include_str!("../../../rules/sources/prov-sh-measures-2020.toml")),
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
/// string, which the loader reports as a syntax error naming the file), as the browser package
/// reads them: without the source texts under `rules/sources/` and without the remarks (`note`)
/// of rule tables.
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
