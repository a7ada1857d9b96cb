//! Reading a rules directory into memory. The only file IO in the core; the domain modules take
//! [`SourceFile`]s, so the WASM build never touches a file system.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::rules::load::make_diagnostic;
use crate::rules::{RuleProblem, SourceFile};

/// Folders under a rules directory that hold no rule files (the generated schema).
pub const RESERVED_DIRS: &[&str] = &["schema"];

/// Every `*.toml` file under `dir` (recursively, sorted, skipping [`RESERVED_DIRS`]). Each path
/// is `dir` joined with the file's relative path, with `/` as separator, so diagnostics point where
/// the maintainer looks (`rules/layers/cq-policy-2018.toml:41:7`). Unreadable files become
/// `RULES_READ_FAILED` errors.
///
/// ```
/// let files = cunwu_core::fs::read_rules_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules")).unwrap();
/// assert!(files.iter().any(|f| f.path.ends_with("/rules/layers/cq-statute-2013.toml")));
/// ```
pub fn read_rules_dir(dir: impl AsRef<Path>) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let shown = dir.as_ref().to_string_lossy().replace('\\', "/");
    read_rules_dir_as(dir, &shown)
}

/// Like [`read_rules_dir`], but paths in diagnostics start with `shown` instead of `dir` (for a
/// caller that reads from an absolute path but reports paths relative to a project root).
pub fn read_rules_dir_as(dir: impl AsRef<Path>, shown: &str) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let root = dir.as_ref();
    let shown = shown.trim_end_matches('/');
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    walk(root, root, &mut paths, &mut errors);
    crate::sort::sort(&mut paths);
    let mut files = Vec::new();
    for (rel, full) in paths {
        match std::fs::read_to_string(&full) {
            Ok(text) => files.push(SourceFile::new(join(shown, &rel), text)),
            Err(e) => errors.push(read_failed(&join(shown, &rel), &e.to_string())),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

fn join(dir: &str, rel: &str) -> String {
    let dir = dir.strip_prefix("./").unwrap_or(dir);
    if dir.is_empty() || dir == "." { rel.to_string() } else { format!("{dir}/{rel}") }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, std::path::PathBuf)>, errors: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(read_failed(&dir.display().to_string(), &e.to_string()));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel: Vec<String> = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if path.is_dir() {
            if rel.len() == 1 && rel.first().is_some_and(|n| RESERVED_DIRS.contains(&n.as_str())) {
                continue;
            }
            walk(root, &path, out, errors);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push((rel.join("/"), path));
        }
    }
}

fn read_failed(path: &str, message: &str) -> Diagnostic {
    let location = Location { file: Some(path.to_string()), ..Location::default() };
    make_diagnostic(RuleProblem::ReadFailed { message: message.to_string() }, location)
}

/// The record files of a compliance folder (every file directly in `dir`, sorted; the dataset
/// reports names it does not know). A file that cannot be read as UTF-8 text is reported as
/// `COMPLIANCE_READ_FAILED` and left out; a folder that cannot be listed is an error.
///
/// ```
/// let (files, problems) = cunwu_core::fs::read_records_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliance")).unwrap();
/// assert!(files.iter().any(|f| f.path.ends_with("units.csv")));
/// assert!(problems.is_empty());
/// ```
pub fn read_records_dir(dir: impl AsRef<Path>) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let dir = dir.as_ref();
    let shown = dir.to_string_lossy().replace('\\', "/");
    let entries = std::fs::read_dir(dir).map_err(|e| vec![records_read_failed(&shown, &e.to_string())])?;
    let mut paths: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    crate::sort::sort(&mut paths);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shown_path = join(&shown, &name);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => files.push(SourceFile::new(shown_path, text.trim_start_matches('\u{feff}').to_string())),
                Err(e) => problems.push(records_read_failed(
                    &shown_path,
                    &format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
                )),
            },
            Err(e) => problems.push(records_read_failed(&shown_path, &e.to_string())),
        }
    }
    Ok((files, problems))
}

/// The compliance dataset of a folder: [`read_records_dir`] then
/// [`Dataset::from_sources`](crate::compliance::Dataset::from_sources), with the files that could
/// not be read listed first among its problems.
///
/// ```
/// let data = cunwu_core::fs::read_records_dataset(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliance")).unwrap();
/// assert_eq!(data.units.len(), 18);
/// ```
pub fn read_records_dataset(dir: impl AsRef<Path>) -> Result<crate::compliance::Dataset, Vec<Diagnostic>> {
    let (files, unread) = read_records_dir(dir)?;
    let mut data = crate::compliance::Dataset::from_sources(&files);
    data.problems.splice(0..0, unread);
    Ok(data)
}

fn records_read_failed(path: &str, message: &str) -> Diagnostic {
    Diagnostic {
        code: "COMPLIANCE_READ_FAILED".into(),
        severity: crate::diagnostic::Severity::Error,
        message_zh: format!("无法读取 `{path}`：{message}；该文件未计入评估"),
        message_en: format!("cannot read `{path}`: {message}; the file is left out"),
        hint_zh: Some("记录文件须为 UTF-8 编码的 CSV 或 JSON Lines".into()),
        hint_en: Some("record files must be UTF-8 CSV or JSON Lines".into()),
        location: Location { file: Some(path.to_string()), ..Location::default() },
        related: Vec::new(),
    }
}
