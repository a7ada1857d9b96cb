//! Why a log cannot be trusted or read, and the warnings a replay gives.

use super::Head;
use crate::diagnostic::{Diagnostic, Location, Severity};

/// A log that cannot be trusted or read, at the index where it fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// A line that is not a log entry (bad JSON, unknown fields, a bad date).
    #[error("line {line}: not a log entry: {message}")]
    Parse {
        /// 1-based line of the JSON Lines text.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An entry whose index is not its position: one was removed, inserted or moved.
    #[error("entry {index}: its index says {found}; an entry was removed, inserted or reordered")]
    Index {
        /// The position in the log.
        index: u64,
        /// The index the entry carries.
        found: u64,
    },
    /// An entry whose content does not match its hash: it was changed.
    #[error("entry {index}: its content does not match its hash; it was changed")]
    Hash {
        /// The position in the log.
        index: u64,
    },
    /// An entry that does not name its predecessor's hash: the chain is broken.
    #[error("entry {index}: it does not follow the entry before it; the chain is broken")]
    Chain {
        /// The position in the log.
        index: u64,
    },
    /// An entry the procedure rejects.
    #[error("entry {index}: {}", .diagnostic.message_en)]
    Invalid {
        /// The position in the log.
        index: u64,
        /// Why it was rejected (with the procedure's own code).
        diagnostic: Box<Diagnostic>,
    },
    /// A log with no entries.
    #[error("the log is empty")]
    Empty,
    /// A log shorter than the head stored beside it: entries were removed from its end.
    #[error("the log has {found} entries but its stored head says {}: entries were removed from its end", .expected.entries)]
    Truncated {
        /// The head the host stored.
        expected: Head,
        /// How many entries the log has.
        found: u64,
    },
    /// A log longer than the head stored beside it: entries were added without the head.
    #[error("the log has {found} entries but its stored head says {}: entries were added outside the library, or the head was not stored", .expected.entries)]
    UnexpectedEntries {
        /// The head the host stored.
        expected: Head,
        /// How many entries the log has.
        found: u64,
    },
    /// A log of the head's length whose last hash is not the head's: it was rewritten.
    #[error("the log's last entry is not the one its stored head names: the log was rewritten")]
    Rewritten {
        /// The head the host stored.
        expected: Head,
        /// The log's own head.
        found: Head,
    },
    /// An append whose expected head is not the log's: another writer appended first.
    #[error("the log moved on: expected head {expected}, but it is {found}; read it again and retry")]
    Conflict {
        /// The head the caller read.
        expected: Head,
        /// The log's head now.
        found: Head,
    },
    /// A keyed entry read without the key.
    #[error("entry {index} is keyed (an HMAC chain): give the chain's key to read it")]
    KeyRequired {
        /// The position in the log.
        index: u64,
    },
    /// A plain entry where the key says every entry must be keyed.
    #[error("entry {index} is not keyed, but a key was given: every entry of a keyed chain is keyed")]
    NotKeyed {
        /// The position in the log.
        index: u64,
    },
    /// A chain key shorter than [`ChainKey::MIN_BYTES`].
    #[error("a chain key must have at least 32 bytes, not {bytes}")]
    KeyTooShort {
        /// Its length.
        bytes: usize,
    },
    /// An idempotency key already used for another event.
    #[error("entry {index} already used the idempotency key `{key}` for another event")]
    IdempotencyConflict {
        /// The entry that used the key.
        index: u64,
        /// The key.
        key: String,
    },
    /// A head that is not `entries:hash`.
    #[error("`{given}` is not a log head (entries:hash, the hash 64 hex digits, as `11:5f3a…`)")]
    BadHead {
        /// What was given (at most 80 characters).
        given: String,
    },
    /// A log larger than the rules' [`Limits`](crate::limits::Limits) allow.
    #[error("the log is too large: {}{actual} {what} (at most {limit}, the limit {}; see docs/limits.md)", crate::limits::at_least(what, *limit, *actual).1, crate::limits::limit_name(what))]
    TooLarge {
        /// What was counted (`bytes` or `entries`).
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What was given (for entries, counting stops at the limit plus one).
        actual: usize,
    },
}

impl LogError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] = &[
        "LOG_PARSE",
        "LOG_INDEX",
        "LOG_HASH",
        "LOG_CHAIN",
        "LOG_INVALID_EVENT",
        "LOG_EMPTY",
        "LOG_TOO_LARGE",
        "LOG_TRUNCATED",
        "LOG_UNEXPECTED_ENTRIES",
        "LOG_REWRITTEN",
        "LOG_CONFLICT",
        "LOG_KEY_REQUIRED",
        "LOG_NOT_KEYED",
        "LOG_KEY_TOO_SHORT",
        "LOG_IDEMPOTENCY_CONFLICT",
        "LOG_BAD_HEAD",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LogError::Parse { .. } => "LOG_PARSE",
            LogError::Index { .. } => "LOG_INDEX",
            LogError::Hash { .. } => "LOG_HASH",
            LogError::Chain { .. } => "LOG_CHAIN",
            LogError::Invalid { .. } => "LOG_INVALID_EVENT",
            LogError::Empty => "LOG_EMPTY",
            LogError::TooLarge { .. } => "LOG_TOO_LARGE",
            LogError::Truncated { .. } => "LOG_TRUNCATED",
            LogError::UnexpectedEntries { .. } => "LOG_UNEXPECTED_ENTRIES",
            LogError::Rewritten { .. } => "LOG_REWRITTEN",
            LogError::Conflict { .. } => "LOG_CONFLICT",
            LogError::KeyRequired { .. } => "LOG_KEY_REQUIRED",
            LogError::NotKeyed { .. } => "LOG_NOT_KEYED",
            LogError::KeyTooShort { .. } => "LOG_KEY_TOO_SHORT",
            LogError::IdempotencyConflict { .. } => "LOG_IDEMPOTENCY_CONFLICT",
            LogError::BadHead { .. } => "LOG_BAD_HEAD",
        }
    }

    /// The index of the entry at fault, where there is one.
    pub fn index(&self) -> Option<u64> {
        match self {
            LogError::Index { index, .. }
            | LogError::Hash { index }
            | LogError::Chain { index }
            | LogError::Invalid { index, .. }
            | LogError::KeyRequired { index }
            | LogError::NotKeyed { index }
            | LogError::IdempotencyConflict { index, .. } => Some(*index),
            LogError::Parse { line, .. } => u64::try_from(line.saturating_sub(1)).ok(),
            LogError::Truncated { found, .. } | LogError::UnexpectedEntries { found, .. } => {
                Some(found.saturating_sub(1))
            }
            LogError::Empty
            | LogError::TooLarge { .. }
            | LogError::Rewritten { .. }
            | LogError::Conflict { .. }
            | LogError::KeyTooShort { .. }
            | LogError::BadHead { .. } => None,
        }
    }

    /// The error as diagnostics: the log error first (pointer `/<index>`), then, for a rejected
    /// event, the procedure's own diagnostic.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let zh = match self {
            LogError::Parse { line, message } => format!("第{line}行不是有效的日志记录：{message}"),
            LogError::Index { index, found } => {
                format!("第{index}条记录的序号为{found}：有记录被删除、插入或调换了顺序")
            }
            LogError::Hash { index } => format!("第{index}条记录的内容与其哈希值不符：记录被改动过"),
            LogError::Chain { index } => format!("第{index}条记录与前一条记录衔接不上：哈希链断裂"),
            LogError::Invalid { index, diagnostic } => format!("第{index}条记录被拒绝：{}", diagnostic.message_zh),
            LogError::Empty => "日志为空".to_string(),
            LogError::Truncated { expected, found } => {
                format!("日志只有{found}条记录，而与其一并保存的日志头为{}条：日志末尾的记录被删除了", expected.entries)
            }
            LogError::UnexpectedEntries { expected, found } => format!(
                "日志有{found}条记录，而与其一并保存的日志头为{}条：有记录未经本库追加，或日志头未随之保存",
                expected.entries
            ),
            LogError::Rewritten { .. } => "日志最后一条记录与保存的日志头不符：日志被改写过".to_string(),
            LogError::Conflict { expected, found } => {
                format!("日志已有新的记录：预期日志头为 {expected}，实际为 {found}；请重新读取后再试")
            }
            LogError::KeyRequired { index } => format!("第{index}条记录使用了链密钥（HMAC 链）：须提供密钥才能读取"),
            LogError::NotKeyed { index } => {
                format!("第{index}条记录未使用链密钥，但已提供密钥：密钥链中的每条记录都须使用密钥")
            }
            LogError::KeyTooShort { bytes } => format!("链密钥至少须为32字节，现为{bytes}字节"),
            LogError::IdempotencyConflict { index, key } => {
                format!("幂等键 `{key}` 已由第{index}条记录用于另一事件")
            }
            LogError::BadHead { given } => {
                format!("`{given}` 不是有效的日志头（格式为 条数:哈希值，哈希值为64位十六进制数，如 `11:5f3a…`）")
            }
            LogError::TooLarge { what, limit, actual } => {
                let name = crate::limits::limit_name(what);
                let what = if *what == "bytes" { "字节" } else { "条记录" };
                let at_least = crate::limits::at_least(what, *limit, *actual).0;
                format!("日志过大：{at_least}{actual}{what}（上限{limit}，即限值 {name}；见 docs/limits.md）")
            }
        };
        let mut out = vec![Diagnostic {
            code: self.code().to_string(),
            severity: Severity::Error,
            message_zh: zh,
            message_en: self.to_string(),
            hint_zh: None,
            hint_en: None,
            location: Location { pointer: self.index().map(|i| format!("/{i}")), ..Location::default() },
            related: Vec::new(),
        }];
        if let LogError::Invalid { diagnostic, .. } = self {
            out.push((**diagnostic).clone());
        }
        out
    }
}

/// The warning codes a replay gives. Append only.
pub const WARNING_CODES: &[&str] = &["LOG_RULES_CHANGED"];

/// `LOG_RULES_CHANGED`: entry `index` was accepted under the rules (and calendar) it records,
/// and today's rules would judge it differently, for the reason `today`. The entry stands: the
/// log is what happened; the warning says where the rules moved under it.
pub(super) fn rules_changed(
    index: u64,
    recorded: (&str, &str),
    current: (&str, &str),
    today: &Diagnostic,
) -> Diagnostic {
    let (rules_then, calendar_then) = recorded;
    let (rules_now, calendar_now) = current;
    Diagnostic {
        code: "LOG_RULES_CHANGED".to_string(),
        severity: Severity::Warning,
        message_zh: format!(
            "第{index}条记录按记录时的规则版本 {rules_then}（日历版本 {calendar_then}）被接受；按现行规则版本 {rules_now}（日历版本 {calendar_now}）将被拒绝：{}（{}）。该记录仍然有效",
            today.message_zh, today.code
        ),
        message_en: format!(
            "entry {index} was accepted under the rules it records, version {rules_then} (calendar {calendar_then}); the rules in force now, version {rules_now} (calendar {calendar_now}), would refuse it: {} ({}). The entry stands",
            today.message_en, today.code
        ),
        hint_zh: Some("规则更新不会使已保存的日志失效；如需按新规则处理，请追加新的事件".into()),
        hint_en: Some("a rules update never strands a stored log; to act under the new rules, apply new events".into()),
        location: Location { pointer: Some(format!("/{index}")), ..Location::default() },
        related: Vec::new(),
    }
}
