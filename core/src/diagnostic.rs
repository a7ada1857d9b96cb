//! Diagnostics: a problem with a stable code, a place in a file, and a message in Chinese and English.
//!
//! Spans are kept as byte offsets while loading; line and column are computed once, when the
//! diagnostic is built, from the file's [`LineIndex`] (the jiter approach).

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. Errors make `cunwu rules lint` exit 1; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The rules cannot be used as they are.
    Error,
    /// Suspicious, but the rules can be used.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as rustc and ruff print it before a code.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a diagnostic points: a file and position, or a field of a request.
///
/// `line` and `column` are 1-based; `column` counts characters, not bytes, so a
/// maintainer's editor shows the same column for Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Location {
    /// Path of the rule file, relative to the rules directory (`layers/cq-policy-2018.toml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in characters) in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// JSON pointer to the field inside the file or request (`/items/3/display`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    /// A location inside a request or answer, by JSON pointer only.
    ///
    /// ```
    /// let at = cunwu_core::Location::at_pointer("/as_of");
    /// assert_eq!(at.to_string(), "/as_of");
    /// ```
    pub fn at_pointer(pointer: impl Into<String>) -> Self {
        Location { pointer: Some(pointer.into()), ..Location::default() }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line, self.column, &self.pointer) {
            (Some(file), Some(line), Some(col), _) => write!(f, "{file}:{line}:{col}"),
            (Some(file), Some(line), None, _) => write!(f, "{file}:{line}"),
            (Some(file), _, _, Some(ptr)) => write!(f, "{file}#{ptr}"),
            (Some(file), _, _, None) => write!(f, "{file}"),
            (None, _, _, Some(ptr)) => write!(f, "{ptr}"),
            (None, _, _, None) => write!(f, "-"),
        }
    }
}

/// One problem found in rule data or in a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable machine code (`CATALOGUE_LOOSENED_DISPLAY`); never changes meaning.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// The message in Chinese.
    pub message_zh: String,
    /// The message in English.
    pub message_en: String,
    /// How to fix it, in Chinese, where a fix is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint_zh: Option<String>,
    /// How to fix it, in English, where a fix is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint_en: Option<String>,
    /// Where the problem is.
    pub location: Location,
    /// Other places that explain the problem (the parent layer's item for a loosening overlay).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
}

impl Diagnostic {
    /// One line in the `file:line:col: CODE: message` form printed by `cunwu rules lint`.
    ///
    /// ```
    /// use cunwu_core::{Diagnostic, Location, Severity};
    /// let d = Diagnostic {
    ///     code: "RULES_UNKNOWN_KEY".into(), severity: Severity::Error,
    ///     message_zh: "未知字段 `foo`".into(), message_en: "unknown key `foo`".into(),
    ///     hint_zh: None, hint_en: None,
    ///     location: Location { file: Some("layers/a.toml".into()), line: Some(3), column: Some(1), pointer: None },
    ///     related: vec![],
    /// };
    /// assert_eq!(d.one_line(), "layers/a.toml:3:1: error[RULES_UNKNOWN_KEY]: 未知字段 `foo` / unknown key `foo`");
    /// ```
    /// (`LOCATION: error[CODE]: 中文 / English`, or `warning[CODE]`.)
    pub fn one_line(&self) -> String {
        let what = format!("{}[{}]: {} / {}", self.severity.name(), self.code, self.message_zh, self.message_en);
        if self.location == Location::default() { what } else { format!("{}: {what}", self.location) }
    }

    /// Whether this diagnostic is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Maps byte offsets of one text to 1-based line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// 1-based `(line, column)` of byte `offset` in `text` (the text this index was built from).
    ///
    /// ```
    /// let text = "a = 1\n村 = 2\n";
    /// let idx = cunwu_core::LineIndex::new(text);
    /// assert_eq!(idx.line_col(text, 0), (1, 1));
    /// assert_eq!(idx.line_col(text, text.find('2').unwrap()), (2, 5));
    /// ```
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = text.get(start..offset.min(text.len())).map(|s| s.chars().count()).unwrap_or(0);
        (to_u32(line + 1), to_u32(col + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
