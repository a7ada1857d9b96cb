//! What the CLI reads: rule folders, submissions, logs, heads, units and keys, each bounded by
//! the rules' limits, only regular files (a FIFO, a device or `/proc` file is refused, never
//! read), with errors placed in the file they concern.

use std::path::PathBuf;

use cunwu_core::api;
use cunwu_core::rules::SourceFile;
use cunwu_core::{Diagnostic, Error, RuleSet};

use crate::RulesArgs;

/// An `INPUT_INVALID_REQUEST` error at `pointer`.
pub(crate) fn input_error(pointer: &str, message: String) -> Vec<Diagnostic> {
    Error::Input(cunwu_core::InputError::InvalidRequest { pointer: pointer.into(), message }).diagnostics()
}

/// The chain key of `--key-file`: hex, surrounding whitespace ignored. A key file is small: more
/// than 4 KiB is refused unread.
pub(crate) fn read_key_file(path: Option<&std::path::Path>) -> Result<Option<String>, Vec<Diagnostic>> {
    let Some(path) = path else { return Ok(None) };
    let text = cunwu_core::fs::read_text_file(path, 4096)
        .map_err(|problem| in_file(input_error("", format!("cannot read the key file: {problem}")), path))?;
    let key = text.trim().to_string();
    // The key's form is checked where the bindings check it, with the same error.
    api::chain_key(Some(&key)).map_err(|e| in_file(e.diagnostics(), path))?;
    Ok(Some(key))
}

/// The rule files of `dir`, each bounded by `limits`.
pub(crate) fn read_dir(dir: &PathBuf, limits: &cunwu_core::limits::Limits) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    cunwu_core::fs::read_rules_dir_with(dir, &dir.to_string_lossy().replace('\\', "/"), limits)
}

pub(crate) fn load_rules(args: &RulesArgs) -> Result<RuleSet, Vec<Diagnostic>> {
    let limits = args.limits.limits();
    let mut files = match &args.rules {
        Some(dir) => read_dir(dir, &limits)?,
        None => cunwu_core::rules::bundled::sources(),
    };
    for dir in &args.with {
        files = cunwu_core::rules::merge_sources(files, &read_dir(dir, &limits)?);
    }
    Ok(RuleSet::load(&files)?.with_limits(limits))
}

/// What a file given on the command line holds, for the error when it is too large.
#[derive(Clone, Copy)]
pub(crate) enum InputFile {
    /// A submission: `INPUT_TOO_LARGE`.
    Submission,
    /// A case or objection log: `LOG_TOO_LARGE`, as the bindings answer for a log's text.
    Log,
}

/// The text of a file named on the command line, read with the bound of the rules' limits (a
/// FIFO or a device is refused, never read).
pub(crate) fn read_input(path: &std::path::Path, set: &RuleSet, kind: InputFile) -> Result<String, Vec<Diagnostic>> {
    use cunwu_core::fs::ReadError;
    let shown = path.display().to_string();
    match cunwu_core::fs::read_text_file(path, set.limits().max_text_bytes) {
        Ok(text) => Ok(text),
        Err(ReadError::TooLarge { limit, actual }) => {
            let error = match kind {
                InputFile::Submission => Error::Input(cunwu_core::InputError::TooLarge {
                    pointer: String::new(),
                    what: "bytes",
                    limit,
                    actual,
                }),
                InputFile::Log => Error::Log(cunwu_core::log::LogError::TooLarge { what: "bytes", limit, actual }),
            };
            let mut diagnostics = error.diagnostics();
            for d in &mut diagnostics {
                d.location.file = Some(shown.clone());
                d.location.pointer = None;
            }
            Err(diagnostics)
        }
        Err(problem) => Err(in_file(input_error("", format!("cannot read {shown}: {problem}")), path)),
    }
}

/// `diagnostics` placed in the file `path` where they name no file (a log's errors name entries).
pub(crate) fn in_file(mut diagnostics: Vec<Diagnostic>, path: &std::path::Path) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        if d.location.file.is_none() {
            d.location.file = Some(path.display().to_string());
            if d.location.pointer.as_deref() == Some("") {
                d.location.pointer = None;
            }
        }
    }
    diagnostics
}

/// A log named on the command line: its text and stored head, or why it could not be read.
pub(crate) struct LogFile {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    /// Its head from `--heads` (the empty log's head when it could not be read).
    pub(crate) head: String,
    pub(crate) unread: Option<Vec<Diagnostic>>,
}

/// The logs at `paths`, each read with the rules' bound; one that cannot be read, or that has no
/// head in `heads` when heads are given, is left unread with its reason.
pub(crate) fn read_logs(
    paths: &[PathBuf],
    set: &RuleSet,
    heads: Option<&std::collections::HashMap<String, String>>,
) -> Vec<LogFile> {
    let empty = cunwu_core::log::head_of::<cunwu_core::procedure::CaseEvent>(&[]).to_string();
    paths
        .iter()
        .map(|path| {
            let unread = |d| LogFile { path: path.clone(), text: String::new(), head: empty.clone(), unread: Some(d) };
            let head = match heads.map(|h| h.get(&path.display().to_string())) {
                None => empty.clone(),
                Some(Some(h)) => h.clone(),
                Some(None) => {
                    return unread(in_file(input_error("", "no head for this log in --heads".into()), path));
                }
            };
            match read_input(path, set, InputFile::Log) {
                Ok(text) => LogFile { path: path.clone(), text, head, unread: None },
                Err(d) => unread(d),
            }
        })
        .collect()
}

/// The heads file of `cunwu due --heads`: `PATH HEAD` per line (blank lines and `#` comments
/// skipped); a line that is not one is an error at its line.
pub(crate) fn read_heads(
    path: &std::path::Path,
    set: &RuleSet,
) -> Result<std::collections::HashMap<String, String>, Vec<Diagnostic>> {
    let text = read_input(path, set, InputFile::Submission)?;
    let mut heads = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |message: String| {
            let mut d = in_file(input_error("", message), path);
            for x in &mut d {
                x.location.line = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
            d
        };
        let Some((log, head)) = line.rsplit_once(char::is_whitespace) else {
            return Err(at("expected `PATH HEAD`".into()));
        };
        head.parse::<cunwu_core::log::Head>().map_err(|e| at(e.to_string()))?;
        if heads.insert(log.trim().to_string(), head.to_string()).is_some() {
            return Err(at(format!("a second head for `{}`", log.trim())));
        }
    }
    Ok(heads)
}

/// The logs and the index `i` a pointer `/cases/<i>…` or `/objections/<i>…` names.
pub(crate) fn log_index<'a>(
    pointer: Option<&str>,
    cases: &'a [LogFile],
    objections: &'a [LogFile],
) -> Option<(&'a [LogFile], usize)> {
    let pointer = pointer?;
    let (logs, rest) = match (pointer.strip_prefix("/cases/"), pointer.strip_prefix("/objections/")) {
        (Some(rest), _) => (cases, rest),
        (None, Some(rest)) => (objections, rest),
        (None, None) => return None,
    };
    Some((logs, rest.split('/').next()?.parse().ok()?))
}

/// The log files of `paths`: each file as given, each folder's `*.jsonl` files sorted by name.
pub(crate) fn log_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| in_file(input_error("", format!("cannot read the folder: {e}")), path))?;
        let mut found: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| in_file(input_error("", format!("cannot read the folder: {e}")), path))?;
            let p = entry.path();
            if p.is_dir() {
                // Said, not skipped quietly: folders are not read recursively.
                eprintln!("{}: warning: a folder inside a folder of logs is not read", p.display());
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("jsonl")) {
                found.push(p);
            }
            if found.len() > 1_000_000 {
                return Err(in_file(input_error("", "more than 1,000,000 logs in one folder".into()), path));
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// The units of `--units`: CSV with a header, or JSON Lines (by the file's extension).
pub(crate) fn read_units(
    path: &std::path::Path,
    set: &RuleSet,
) -> Result<Vec<cunwu_core::procedure::UnitRef>, Vec<Diagnostic>> {
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
        kind: cunwu_core::UnitKind,
        #[serde(default)]
        district: Option<String>,
        #[serde(default)]
        name: Option<String>,
    }
    let text = read_input(path, set, InputFile::Submission)?;
    let at = |line: u32, message: String| {
        let mut d = input_error("", message);
        for x in &mut d {
            x.location.file = Some(path.display().to_string());
            x.location.line = Some(line);
            x.location.pointer = None;
        }
        d
    };
    let mut rows = Vec::new();
    if path.extension().is_some_and(|x| x == "jsonl") {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: Row = serde_json::from_str(line)
                .map_err(|e| at(u32::try_from(i + 1).unwrap_or(u32::MAX), format!("not a unit: {e}")))?;
            rows.push(row);
        }
    } else {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.deserialize::<Row>() {
            let row = record.map_err(|e| {
                let line = e.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                at(line, format!("not a unit: {e}"))
            })?;
            rows.push(row);
        }
    }
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    Ok(rows
        .into_iter()
        .map(|r| cunwu_core::procedure::UnitRef {
            id: r.id,
            kind: r.kind,
            district: blank(r.district),
            name: blank(r.name),
        })
        .collect())
}
