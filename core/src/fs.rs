//! Reading a rules directory into memory. The only file IO in the core; the domain modules take
//! [`SourceFile`]s, so the WASM build never touches a file system.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::rules::load::make_diagnostic;
use crate::rules::{RuleProblem, SourceFile};

/// Folders under a rules directory that hold no rule files (the generated schema).
pub const RESERVED_DIRS: &[&str] = &["schema"];

/// Entries of a rules or records folder looked at (subfolders included), at most: past it the
/// folder is refused (`RULES_READ_FAILED`, `COMPLIANCE_READ_FAILED`), so a link to `/` in a rules
/// folder is not walked for minutes. The bundled rules have a hundred.
pub const MAX_FOLDER_ENTRIES: usize = 10_000;

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
    read_rules_dir_with(dir, shown, &crate::limits::Limits::default())
}

/// Like [`read_rules_dir_as`], each file read with the bound of `limits.max_text_bytes`: a file
/// over it is `INPUT_TOO_LARGE` naming the file and the limit.
///
/// ```
/// use cunwu_core::limits::Limits;
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
/// let tight = Limits { max_text_bytes: 10, ..Limits::default() };
/// let errors = cunwu_core::fs::read_rules_dir_with(dir, "rules", &tight).unwrap_err();
/// assert_eq!(errors[0].code, "INPUT_TOO_LARGE");
/// ```
pub fn read_rules_dir_with(
    dir: impl AsRef<Path>,
    shown: &str,
    limits: &crate::limits::Limits,
) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let root = dir.as_ref();
    let shown = shown.trim_end_matches('/');
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut budget = MAX_FOLDER_ENTRIES;
    walk(root, root, &mut paths, &mut errors, &mut seen, &mut budget);
    if budget == 0 {
        let message = format!(
            "more than {MAX_FOLDER_ENTRIES} entries (files and folders); is a link pointing outside the rules?"
        );
        let why = Why {
            zh: format!("超过 {MAX_FOLDER_ENTRIES} 个条目（文件和文件夹）：是否有链接指向规则目录之外？"),
            en: message,
        };
        return Err(vec![read_failed(shown, &why)]);
    }
    crate::sort::sort(&mut paths);
    let mut files = Vec::new();
    // The files together are bounded too: each is bounded by the limit, and so is their sum.
    let mut total = 0usize;
    for (rel, full) in paths {
        let shown_path = join(shown, &rel);
        let left = limits.max_text_bytes.saturating_sub(total);
        match read_text_file(&full, left) {
            Ok(text) => {
                total = total.saturating_add(text.len());
                files.push(SourceFile::new(shown_path, text));
            }
            Err(ReadError::TooLarge { actual, .. }) if left < limits.max_text_bytes => {
                let limit = limits.max_text_bytes;
                errors.extend(too_large(shown, limit, total.saturating_add(actual)));
                break;
            }
            Err(ReadError::TooLarge { limit, actual }) => errors.extend(too_large(&shown_path, limit, actual)),
            Err(problem) => errors.push(read_failed(&shown_path, &Why::of(&problem))),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

/// Why a file or folder could not be read, in both languages.
struct Why {
    zh: String,
    en: String,
}

impl Why {
    fn of(problem: &ReadError) -> Why {
        Why { zh: problem.message_zh(), en: problem.to_string() }
    }

    fn io(e: &std::io::Error) -> Why {
        Why { zh: format!("系统错误：{e}"), en: e.to_string() }
    }
}

/// Why a file was not read ([`read_text_file`]).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file (after following links): a FIFO, a device, a socket. Never opened: a
    /// FIFO would block and a device never end.
    #[error("not a regular file ({0}); only regular files are read")]
    NotRegular(&'static str),
    /// More bytes than the limit (reading stopped at the limit plus one byte).
    #[error("{actual} bytes, more than {limit} (the limit max_text_bytes)")]
    TooLarge {
        /// The limit.
        limit: usize,
        /// The file's size as the file system gave it (at least the limit plus one).
        actual: usize,
    },
    /// Not UTF-8 text.
    #[error("not UTF-8 text (byte {0})")]
    NotUtf8(usize),
    /// The file system's own error.
    #[error("{0}")]
    Io(std::io::Error),
}

impl ReadError {
    /// The reason in Chinese.
    ///
    /// ```
    /// let e = cunwu_core::fs::ReadError::NotRegular("a FIFO");
    /// assert_eq!(e.message_zh(), "不是普通文件（命名管道），只读取普通文件");
    /// ```
    pub fn message_zh(&self) -> String {
        match self {
            ReadError::NotRegular(kind) => {
                let kind = match *kind {
                    "a FIFO" => "命名管道",
                    "a device" => "设备文件",
                    "a socket" => "套接字",
                    "a folder" => "文件夹",
                    _ => "不是文件",
                };
                format!("不是普通文件（{kind}），只读取普通文件")
            }
            ReadError::TooLarge { limit, actual } => format!("{actual} 字节，超过上限 {limit}（max_text_bytes）"),
            ReadError::NotUtf8(at) => format!("不是 UTF-8 文本（第 {at} 字节起）"),
            ReadError::Io(e) => format!("系统错误：{e}"),
        }
    }
}

/// The text of the regular file at `path` (links followed), read with a bound: never more than
/// `max_bytes` plus one byte is read, so a file that grows meanwhile, a `/proc` file or a device
/// cannot make it read more, and a FIFO is never opened. A leading byte-order mark is kept.
///
/// ```
/// use cunwu_core::fs::{read_text_file, ReadError};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/submissions/finance-good.json");
/// assert!(read_text_file(path, 1 << 20).unwrap().starts_with('{'));
/// assert!(matches!(read_text_file(path, 10), Err(ReadError::TooLarge { limit: 10, .. })));
/// # #[cfg(unix)]
/// assert!(matches!(read_text_file("/dev/zero", 10), Err(ReadError::NotRegular(_))));
/// ```
pub fn read_text_file(path: impl AsRef<Path>, max_bytes: usize) -> Result<String, ReadError> {
    let bytes = read_bounded(path.as_ref(), max_bytes)?;
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

/// `INPUT_TOO_LARGE` for the file shown as `file`.
fn too_large(file: &str, limit: usize, actual: usize) -> Vec<Diagnostic> {
    let e = crate::Error::Input(crate::InputError::TooLarge { pointer: String::new(), what: "bytes", limit, actual });
    with_file(e.diagnostics(), file)
}

/// What kind of file system object `t` is, for a message.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() { "a folder" } else { "not a file" }
}

/// The bytes of the regular file at `path` (links followed), at most `limit` of them: read with a
/// bound, so a file that grows meanwhile or a `/proc` file that never ends cannot make it read
/// more.
fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    // Opened without waiting (a FIFO put in its place since the check would otherwise block the
    // open), then checked again on the open file itself.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    let cap = usize::try_from(meta.len()).unwrap_or(limit).min(limit);
    let mut bytes = Vec::with_capacity(cap.saturating_add(1));
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > limit {
        let actual = usize::try_from(meta.len()).unwrap_or(usize::MAX).max(bytes.len());
        return Err(ReadError::TooLarge { limit, actual });
    }
    Ok(bytes)
}

fn join(dir: &str, rel: &str) -> String {
    let dir = dir.strip_prefix("./").unwrap_or(dir);
    if dir.is_empty() || dir == "." { rel.to_string() } else { format!("{dir}/{rel}") }
}

fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, std::path::PathBuf)>,
    errors: &mut Vec<Diagnostic>,
    seen: &mut std::collections::BTreeSet<std::path::PathBuf>,
    budget: &mut usize,
) {
    // A folder reached twice (a link to a parent) is walked once: no loop, no file read twice.
    if let Ok(real) = std::fs::canonicalize(dir) {
        if !seen.insert(real) {
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(read_failed(&dir.display().to_string(), &Why::io(&e)));
            return;
        }
    };
    for entry in entries.flatten() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
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
            walk(root, &path, out, errors, seen, budget);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push((rel.join("/"), path));
        }
    }
}

fn read_failed(path: &str, message: &Why) -> Diagnostic {
    let location = Location { file: Some(path.to_string()), ..Location::default() };
    make_diagnostic(RuleProblem::ReadFailed { message: message.en.clone(), message_zh: message.zh.clone() }, location)
}

/// The record files of a compliance folder (every regular file directly in `dir`, sorted; the
/// dataset reports names it does not know), each read with the bound of the default limits. A
/// file that cannot be read as UTF-8 text, or is not a regular file (a FIFO, a device: never
/// opened), is reported as `COMPLIANCE_READ_FAILED` and left out; a file over the limits or a
/// folder that cannot be listed is an error.
///
/// ```
/// let (files, problems) = cunwu_core::fs::read_records_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliance")).unwrap();
/// assert!(files.iter().any(|f| f.path.ends_with("units.csv")));
/// assert!(problems.is_empty());
/// ```
pub fn read_records_dir(dir: impl AsRef<Path>) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let limits = crate::limits::Limits::default();
    let (shown, paths) = list_records_dir(dir.as_ref())?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (shown_path, path) in shown.into_iter().zip(paths) {
        match read_record_file(&path, &shown_path, &limits)? {
            Ok(text) => files.push(SourceFile::new(shown_path, text)),
            Err(problem) => problems.push(problem),
        }
    }
    Ok((files, problems))
}

/// The entries of a records folder that could be files (links followed; folders left out), as
/// shown paths and real paths, sorted.
fn list_records_dir(dir: &Path) -> Result<(Vec<String>, Vec<std::path::PathBuf>), Vec<Diagnostic>> {
    let shown = dir.to_string_lossy().replace('\\', "/");
    let entries = std::fs::read_dir(dir).map_err(|e| vec![records_read_failed(&shown, &Why::io(&e))])?;
    let mut paths: Vec<std::path::PathBuf> = Vec::new();
    for (i, entry) in entries.flatten().enumerate() {
        if i >= MAX_FOLDER_ENTRIES {
            let message = format!("more than {MAX_FOLDER_ENTRIES} entries; a records folder holds nine files");
            let why = Why {
                zh: format!("超过 {MAX_FOLDER_ENTRIES} 个条目：记录文件夹只应有九个文件"), en: message
            };
            return Err(vec![records_read_failed(&shown, &why)]);
        }
        let path = entry.path();
        // A folder is left out, unless it bears a record file's name (then it is reported).
        if !path.is_dir() || path.extension().is_some_and(|e| e == "csv" || e == "jsonl") {
            paths.push(path);
        }
    }
    crate::sort::sort(&mut paths);
    let names = paths
        .iter()
        .map(|p| join(&shown, &p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()))
        .collect();
    Ok((names, paths))
}

/// One record file's text, read with the bound of `limits` (bytes, then lines): a problem that
/// leaves it out, or an error over the limits.
fn read_record_file(
    path: &Path,
    shown: &str,
    limits: &crate::limits::Limits,
) -> Result<Result<String, Diagnostic>, Vec<Diagnostic>> {
    let text = match read_text_file(path, limits.max_text_bytes) {
        Ok(t) => t,
        Err(ReadError::TooLarge { limit, actual }) => return Err(too_large(shown, limit, actual)),
        Err(problem) => return Ok(Err(records_read_failed(shown, &Why::of(&problem)))),
    };
    limits.check_lines(&text, shown).map_err(|e| with_file(e.diagnostics(), shown))?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(Ok(text))
}

fn with_file(mut diagnostics: Vec<Diagnostic>, file: &str) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        d.location.file = Some(file.to_string());
        d.location.pointer = None;
    }
    diagnostics
}

/// The compliance dataset of a folder, with the default limits: [`read_records_dataset_with`].
///
/// ```
/// let data = cunwu_core::fs::read_records_dataset(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliance")).unwrap();
/// assert_eq!(data.units.len(), 18);
/// ```
pub fn read_records_dataset(dir: impl AsRef<Path>) -> Result<crate::compliance::Dataset, Vec<Diagnostic>> {
    read_records_dataset_with(dir, &crate::limits::Limits::default())
}

/// The compliance dataset of a folder, read one file at a time (the registry first; each file's
/// text is dropped once its rows are read, so memory holds the rows and one file, not the
/// folder). Each file is bounded by `limits` (`max_text_bytes`, `max_file_lines`): a file over
/// them is an `INPUT_TOO_LARGE` error naming the file and the limit, and nothing is assessed.
/// Files of unknown names are reported and not read; a file that is not a regular file or not
/// UTF-8 is `COMPLIANCE_READ_FAILED` and left out.
///
/// ```
/// use cunwu_core::limits::Limits;
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/compliance");
/// let tight = Limits { max_file_lines: 3, ..Limits::default() };
/// let errors = cunwu_core::fs::read_records_dataset_with(dir, &tight).unwrap_err();
/// assert_eq!(errors[0].code, "INPUT_TOO_LARGE");
/// assert!(errors[0].location.file.as_deref().is_some_and(|f| f.ends_with(".csv")));
/// ```
pub fn read_records_dataset_with(
    dir: impl AsRef<Path>,
    limits: &crate::limits::Limits,
) -> Result<crate::compliance::Dataset, Vec<Diagnostic>> {
    let (shown, paths) = list_records_dir(dir.as_ref())?;
    let names: Vec<&str> = shown.iter().map(String::as_str).collect();
    crate::compliance::Dataset::from_files(&names, |i| {
        let (Some(path), Some(name)) = (paths.get(i), names.get(i)) else {
            return Ok(Ok("".into()));
        };
        Ok(read_record_file(path, name, limits)?.map(std::borrow::Cow::Owned))
    })
}

fn records_read_failed(path: &str, message: &Why) -> Diagnostic {
    Diagnostic {
        code: "COMPLIANCE_READ_FAILED".into(),
        severity: crate::diagnostic::Severity::Error,
        message_zh: format!("无法读取 `{path}`：{}；该文件未计入评估", message.zh),
        message_en: format!("cannot read `{path}`: {}; the file is left out", message.en),
        hint_zh: Some("记录文件须为 UTF-8 编码的 CSV 或 JSON Lines".into()),
        hint_en: Some("record files must be UTF-8 CSV or JSON Lines".into()),
        location: Location { file: Some(path.to_string()), ..Location::default() },
        related: Vec::new(),
    }
}
