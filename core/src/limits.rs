//! Limits on what one call accepts, so hostile input (a pasted file of gigabytes, a log of
//! millions of lines) gets a clear error in bounded time and memory instead of exhausting the host.
//!
//! The limits travel with the [`RuleSet`](crate::RuleSet) every call takes
//! ([`RuleSet::with_limits`](crate::RuleSet::with_limits)); Python sets them with
//! `Catalogue.with_limits(...)`, the WASM packages with `limits` in the `rules` argument. The
//! defaults are local defaults (no regulation sets them), sized so that a whole city's records
//! (Chongqing's 11,145 units, 3.35 million records a year) pass.
//!
//! Where they apply (`docs/limits.md` lists every entry point of the CLI, Python and WASM, and a
//! test on each surface walks that table): every text a call takes (a submission — from Python
//! as the JSON text of the dict —, a log, a rule file given as text, a record file given as text
//! or rows given as JSON) is checked against `max_text_bytes` before it is parsed; a record file
//! also against `max_file_lines`. Files read from a folder ([`crate::fs`]) are read with a byte
//! bound, never past the limit plus one byte, regular files only (a FIFO, a device or a socket is
//! reported and never opened), one record file at a time; rule files from a folder are bounded by
//! the limits the caller gives (the CLI's `--max-text-bytes`), else by the default. A log longer
//! than `max_log_entries` is refused when read, and [`Journal::apply`](crate::log::Journal::apply)
//! refuses to append past it (so a stored log can always be read back under the same rules).
//! Every message over a limit names it ([`limit_name`]).
//!
//! Fixed limits, not configurable, documented here for completeness:
//! - JSON nesting: 127 levels of arrays and objects (serde_json's recursion limit of 128): deeper
//!   input is a parse error (`recursion limit exceeded`).
//! - Period lengths: 36,600 days, 1,200 months, 25,000 working days ([`crate::period`]).
//! - One calendar listing: 3,660 days (`api::calendar_days`).
//! - One validation answer: 10,000 findings and 4 MiB of pointers, messages and hints; past
//!   them `VALIDATION_TOO_MANY_FINDINGS` says how many more were found (a pointer repeats every
//!   parent key, so deep long keys would make the answer grow with the square of the input).
//! - WASM functions that take no rules (`mask`…): the default `max_text_bytes`, checked before
//!   the text is copied into WebAssembly's memory.

use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError};

/// Limits on one call's input. Every field has a default ([`Limits::default`]).
///
/// ```
/// use cunwu_core::{RuleSet, api, limits::Limits};
/// let rules = RuleSet::bundled().unwrap().with_limits(Limits { max_text_bytes: 16, ..Limits::default() });
/// let answer = api::validate_text(&rules, r#"{"item": "finance.income-expenditure"}"#);
/// assert_eq!(answer.findings[0].code, "INPUT_TOO_LARGE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of one text: a submission, an event log, a record file (`INPUT_TOO_LARGE`, or
    /// `LOG_TOO_LARGE` for a log). Default 64 MiB.
    pub max_text_bytes: usize,
    /// Entries of one event log (`LOG_TOO_LARGE`). Default 100,000 (a case or objection has
    /// tens).
    pub max_log_entries: usize,
    /// Lines of one record file (`INPUT_TOO_LARGE`). Default 10,000,000 (a city's postings for a
    /// year are 3 million).
    pub max_file_lines: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_text_bytes: 64 << 20, max_log_entries: 100_000, max_file_lines: 10_000_000 }
    }
}

impl Limits {
    /// `INPUT_TOO_LARGE` at `pointer` when `text` is longer than [`Limits::max_text_bytes`].
    ///
    /// ```
    /// let limits = cunwu_core::limits::Limits { max_text_bytes: 3, ..Default::default() };
    /// assert!(limits.check_text("abc", "/x").is_ok());
    /// assert_eq!(limits.check_text("abcd", "/x").unwrap_err().diagnostics()[0].code, "INPUT_TOO_LARGE");
    /// ```
    pub fn check_text(&self, text: &str, pointer: &str) -> Result<(), Error> {
        check(text.len(), self.max_text_bytes, "bytes", pointer)
    }
}

impl Limits {
    /// `INPUT_TOO_LARGE` at `pointer` when a record file has more than
    /// [`Limits::max_file_lines`] lines (counting stops at the limit plus one). A line ends at
    /// `\n`, `\r\n` or a lone `\r`, as the CSV reader ends a record.
    ///
    /// ```
    /// let limits = cunwu_core::limits::Limits { max_file_lines: 2, ..Default::default() };
    /// assert!(limits.check_lines("a\r\nb\r\n", "/x").is_ok());
    /// assert!(limits.check_lines("a\rb\rc", "/x").is_err());
    /// ```
    pub fn check_lines(&self, text: &str, pointer: &str) -> Result<(), Error> {
        let lines = count_lines(text, self.max_file_lines.saturating_add(1));
        check(lines, self.max_file_lines, "lines", pointer)
    }
}

/// Lines of `text`, counted no further than `stop`: each `\n`, `\r\n` or lone `\r` ends one, and
/// a last line without an ending counts too.
fn count_lines(text: &str, stop: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut lines, mut start, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() && lines < stop {
        match bytes.get(i) {
            Some(b'\n') => {
                lines += 1;
                start = i + 1;
            }
            Some(b'\r') => {
                lines += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() && lines < stop {
        lines += 1;
    }
    lines
}

/// The name of the limit that bounds a count of `what` (`bytes`, `lines`, `entries`), as a
/// message names it.
///
/// ```
/// assert_eq!(cunwu_core::limits::limit_name("lines"), "max_file_lines");
/// ```
pub fn limit_name(what: &str) -> &'static str {
    match what {
        "lines" => "max_file_lines",
        "files" => "MAX_FOLDER_ENTRIES",
        "path bytes" => "MAX_PATH_BYTES",
        "entries" | "log entries" => "max_log_entries",
        _ => "max_text_bytes",
    }
}

/// "at least", in Chinese and English, where a count stopped at the limit plus one (lines and
/// entries are counted no further than that, a file of unknown size read no further).
pub(crate) fn at_least(_what: &str, limit: usize, actual: usize) -> (&'static str, &'static str) {
    // A file whose size the file system does not give (a `/proc` file) is read to the limit plus
    // one byte, and its size is not known either.
    if actual == limit.saturating_add(1) { ("至少", "at least ") } else { ("", "") }
}

impl Limits {
    /// `INPUT_TOO_LARGE`, naming the file, for every rule file given as text that is longer than
    /// [`Limits::max_text_bytes`], or at `/files` when they are longer together (rule files read
    /// from a folder are bounded while read, each and together, [`crate::fs`]).
    ///
    /// ```
    /// use cunwu_core::{limits::Limits, rules::SourceFile};
    /// let limits = Limits { max_text_bytes: 4, ..Limits::default() };
    /// let errors = limits.check_rule_files(&[SourceFile::new("a.toml", "x = 12")]).unwrap_err();
    /// assert_eq!(errors[0].code, "INPUT_TOO_LARGE");
    /// assert_eq!(errors[0].location.file.as_deref(), Some("a.toml"));
    /// ```
    pub fn check_rule_files(&self, files: &[crate::rules::SourceFile]) -> Result<(), Vec<crate::Diagnostic>> {
        // Together too: as a rules folder is read.
        let total = files.iter().map(|f| f.text.len()).fold(0usize, usize::saturating_add);
        if files.len() > 1 && total > self.max_text_bytes && files.iter().all(|f| f.text.len() <= self.max_text_bytes) {
            return Err(check(total, self.max_text_bytes, "bytes", "/files")
                .err()
                .map(|e| e.diagnostics())
                .unwrap_or_default());
        }
        let errors: Vec<crate::Diagnostic> = files
            .iter()
            .filter_map(|f| self.check_text(&f.text, "").err().map(|e| (f, e)))
            .flat_map(|(f, e)| {
                e.diagnostics().into_iter().map(|mut d| {
                    d.location.file = Some(f.path.clone());
                    d.location.pointer = None;
                    d
                })
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn check(actual: usize, limit: usize, what: &'static str, pointer: &str) -> Result<(), Error> {
    if actual <= limit {
        return Ok(());
    }
    Err(Error::Input(InputError::TooLarge { pointer: pointer.to_string(), what, limit, actual }))
}
