//! The errors a caller of cunwu can receive, one `thiserror` enum per area, each variant with a
//! stable code and messages in Chinese and English. Every error converts to [`Diagnostic`]s, the
//! one shape that crosses the Python and WASM boundaries.

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// Resolving the catalogue for a date and district failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// No chain of layers is in force on the date (before the oldest layer, say).
    #[error("no disclosure rules are in force on {as_of}")]
    NotInForce {
        /// The date asked for.
        as_of: NaiveDate,
    },
    /// No layer at any date is for this district.
    #[error("unknown district `{district}`")]
    UnknownDistrict {
        /// The district asked for.
        district: String,
    },
}

impl CatalogueError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] = &["CATALOGUE_NOT_IN_FORCE", "CATALOGUE_UNKNOWN_DISTRICT"];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CatalogueError::NotInForce { .. } => "CATALOGUE_NOT_IN_FORCE",
            CatalogueError::UnknownDistrict { .. } => "CATALOGUE_UNKNOWN_DISTRICT",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            CatalogueError::NotInForce { as_of } => format!("{as_of} 没有生效的公开规则"),
            CatalogueError::UnknownDistrict { district } => {
                format!("未知区县 `{district}`：没有该区县的公开目录")
            }
        }
    }

    fn pointer(&self) -> &'static str {
        match self {
            CatalogueError::NotInForce { .. } => "/as_of",
            CatalogueError::UnknownDistrict { .. } => "/district",
        }
    }
}

/// A request that cannot be understood: a bad date, a missing field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A date that is not `YYYY-MM-DD` or not on the calendar.
    #[error("`{}` is not a date like 2026-01-15", shown(value))]
    InvalidDate {
        /// JSON pointer of the field.
        pointer: String,
        /// What was given.
        value: String,
    },
    /// A period that is not `+Nd`, `+Nm` or `+Nwd`, or is absurdly long.
    #[error(
        "`{}` is not a period like +5d, +1m or +10wd (at most 36600 days, 1200 months, 25000 working days)",
        shown(value)
    )]
    InvalidPeriod {
        /// What was given.
        value: String,
    },
    /// A request whose shape is wrong.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// JSON pointer of the field.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A request that is well formed but cannot be answered, said in both languages (the same
    /// code as [`InputError::InvalidRequest`]).
    #[error("invalid request: {message_en}")]
    Unanswerable {
        /// JSON pointer of the field.
        pointer: String,
        /// Why, in Chinese.
        message_zh: String,
        /// Why, in English.
        message_en: String,
    },
    /// An input larger than the [`Limits`](crate::limits::Limits) allow.
    #[error("too large: {}{actual} {what} (at most {limit}, the limit {}; see docs/limits.md)", crate::limits::at_least(what, *limit, *actual).1, crate::limits::limit_name(what))]
    TooLarge {
        /// JSON pointer of the field.
        pointer: String,
        /// What was counted (`bytes`, `log entries`, `lines`).
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What was given (for counts that stop early, the limit plus one).
        actual: usize,
    },
}

impl InputError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] =
        &["INPUT_INVALID_DATE", "INPUT_INVALID_REQUEST", "INPUT_INVALID_PERIOD", "INPUT_TOO_LARGE"];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::InvalidDate { .. } => "INPUT_INVALID_DATE",
            InputError::InvalidRequest { .. } | InputError::Unanswerable { .. } => "INPUT_INVALID_REQUEST",
            InputError::InvalidPeriod { .. } => "INPUT_INVALID_PERIOD",
            InputError::TooLarge { .. } => "INPUT_TOO_LARGE",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            InputError::InvalidDate { value, .. } => {
                format!("`{}` 不是有效日期（格式如 2026-01-15）", shown(value))
            }
            InputError::InvalidRequest { message, .. } => format!("请求无效：{message}"),
            InputError::Unanswerable { message_zh, .. } => format!("请求无效：{message_zh}"),
            InputError::InvalidPeriod { value } => {
                let value = shown(value);
                format!("`{value}` 不是有效期限（格式如 +5d、+1m、+10wd；最长36600日、1200个月、25000个工作日）")
            }
            InputError::TooLarge { what, limit, actual, .. } => {
                let name = crate::limits::limit_name(what);
                let at_least = crate::limits::at_least(what, *limit, *actual).0;
                let what = match *what {
                    "bytes" => "字节",
                    "path bytes" => "字节的路径",
                    "files" => "个文件",
                    "log entries" | "entries" => "条日志记录",
                    _ => "行",
                };
                format!("输入过大：{at_least}{actual}{what}（上限{limit}，即限值 {name}；见 docs/limits.md）")
            }
        }
    }

    fn pointer(&self) -> &str {
        match self {
            InputError::InvalidDate { pointer, .. }
            | InputError::InvalidRequest { pointer, .. }
            | InputError::Unanswerable { pointer, .. }
            | InputError::TooLarge { pointer, .. } => pointer,
            InputError::InvalidPeriod { .. } => "/length",
        }
    }
}

/// A compliance assessment that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplianceError {
    /// No scoring scheme (考评办法) is in force on the assessment date.
    #[error("no scoring scheme is in force on {date}")]
    NoScheme {
        /// The assessment date.
        date: chrono::NaiveDate,
    },
}

impl ComplianceError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ComplianceError::NoScheme { .. } => "COMPLIANCE_NO_SCHEME",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ComplianceError::NoScheme { date } => format!("{date}没有生效的考评方案（规则中的 `[[scoring]]`）"),
        }
    }
}

/// Any error of cunwu.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Rule files have errors; every diagnostic is listed.
    #[error("the rules have {} error(s); first: {}", count_errors(.0), first_error(.0))]
    Rules(Vec<Diagnostic>),
    /// The catalogue could not be resolved.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// The request is malformed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The calendar cannot answer (a date beyond the holiday data).
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// A guard of the disclosure procedure rejected an event.
    #[error(transparent)]
    Procedure(#[from] crate::procedure::ProcedureError),
    /// A guard of the objection ladder rejected an event.
    #[error(transparent)]
    Objection(#[from] crate::objection::ObjectionError),
    /// An event log is broken, tampered with or unreadable.
    #[error(transparent)]
    Log(#[from] crate::log::LogError),
    /// A compliance assessment cannot be made.
    #[error(transparent)]
    Compliance(#[from] ComplianceError),
}

fn count_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

fn first_error(diags: &[Diagnostic]) -> String {
    diags.iter().find(|d| d.is_error()).map(Diagnostic::one_line).unwrap_or_default()
}

impl Error {
    /// The code of the error (for `Rules`, the code of the first error diagnostic).
    ///
    /// ```
    /// use cunwu_core::{Error, InputError};
    /// let e = Error::from(InputError::InvalidDate { pointer: "/as_of".into(), value: "x".into() });
    /// assert_eq!(e.code(), "INPUT_INVALID_DATE");
    /// ```
    pub fn code(&self) -> &str {
        match self {
            Error::Rules(diags) => {
                diags.iter().find(|d| d.is_error()).map(|d| d.code.as_str()).unwrap_or("RULES_INVALID_VALUE")
            }
            Error::Catalogue(e) => e.code(),
            Error::Input(e) => e.code(),
            Error::Calendar(e) => e.code(),
            Error::Procedure(e) => e.code(),
            Error::Objection(e) => e.code(),
            Error::Log(e) => e.code(),
            Error::Compliance(e) => e.code(),
        }
    }

    /// The error as diagnostics, the shape that crosses every boundary.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let single = |code: &str, zh: String, en: String, pointer: &str| Diagnostic {
            code: code.to_string(),
            severity: Severity::Error,
            message_zh: zh,
            message_en: en,
            hint_zh: None,
            hint_en: None,
            location: Location::at_pointer(pointer),
            related: Vec::new(),
        };
        match self {
            Error::Rules(diags) => diags.clone(),
            Error::Catalogue(e) => {
                vec![single(e.code(), e.message_zh(), e.to_string(), e.pointer())]
            }
            Error::Input(e) => vec![single(e.code(), e.message_zh(), e.to_string(), e.pointer())],
            Error::Calendar(e) => {
                let mut d = single(e.code(), e.message_zh(), e.to_string(), "");
                d.location.pointer = None;
                let (zh, en) = e.hint();
                (d.hint_zh, d.hint_en) = (Some(zh), Some(en));
                vec![d]
            }
            Error::Procedure(e) => vec![e.diagnostic()],
            Error::Objection(e) => vec![e.diagnostic()],
            Error::Log(e) => e.diagnostics(),
            Error::Compliance(e) => {
                let mut d = single(e.code(), e.message_zh(), e.to_string(), "/as_of");
                d.hint_zh = Some("在规则目录中加入在该日生效的 `[[scoring]]` 考评方案".into());
                d.hint_en = Some("add a `[[scoring]]` scheme in force on that date to the rules".into());
                vec![d]
            }
        }
    }
}

/// Every error code cunwu can return, by area, for bindings to check that they map them all.
///
/// ```
/// let all = cunwu_core::error::all_codes();
/// assert!(all.iter().any(|(area, code)| *area == "rules" && *code == "CATALOGUE_LOOSENED_DISPLAY"));
/// ```
pub fn all_codes() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    out.extend(crate::rules::RULE_PROBLEM_CODES.iter().map(|c| ("rules", *c)));
    out.extend(CatalogueError::CODES.iter().map(|c| ("catalogue", *c)));
    out.extend(crate::catalogue::WARNING_CODES.iter().map(|c| ("catalogue", *c)));
    out.extend(InputError::CODES.iter().map(|c| ("input", *c)));
    out.extend(crate::calendar::CalendarError::CODES.iter().map(|c| ("calendar", *c)));
    out.extend(crate::schedule::WARNING_CODES.iter().map(|c| ("schedule", *c)));
    out.extend(crate::procedure::ProcedureError::CODES.iter().map(|c| ("procedure", *c)));
    out.extend(crate::log::LogError::CODES.iter().map(|c| ("log", *c)));
    out.extend(crate::log::WARNING_CODES.iter().map(|c| ("log", *c)));
    out.extend(crate::objection::ObjectionError::CODES.iter().map(|c| ("objection", *c)));
    out.extend(crate::validation::CODES.iter().map(|c| ("validation", *c)));
    out.extend(crate::compliance::CODES.iter().map(|c| ("compliance", *c)));
    // A panic caught at a binding's boundary (a bug): Python's cunwu.InternalError.
    out.push(("internal", "INTERNAL_PANIC"));
    out
}

/// A value quoted in a message, cut to its first 80 characters: an error about a 50 MB field is
/// not 50 MB.
///
/// ```
/// assert_eq!(cunwu_core::error::shown("2026"), "2026");
/// assert_eq!(cunwu_core::error::shown(&"x".repeat(100)).chars().count(), 81);
/// ```
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(80) {
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", value.get(..at).unwrap_or(value))),
        None => std::borrow::Cow::Borrowed(value),
    }
}
