//! The append-only, hash-chained event log shared by the disclosure procedure and the objection
//! ladder. Each entry records the actor and role, the date, the event, the versions of the rules
//! and calendar in force, and the SHA-256 of the previous entry; any change, reordering, removal
//! or insertion is detected at its index.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Location, Severity};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acts, in which capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 村(居)民委员会 — the committee.
    Committee,
    /// 村(居)民委员会会议 — the committee meeting (a deciding body under CQ-L art. 29).
    CommitteeMeeting,
    /// 村党组织和村民委员会联席会议 — the joint meeting of both committees.
    JointMeeting,
    /// 村(居)务监督委员会 — the supervision committee as a body.
    SupervisionCommittee,
    /// A member of the supervision committee.
    SupervisionMember,
    /// 村党组织 — the party branch.
    PartyBranch,
    /// 村(居)民代表会议 — the representatives' meeting.
    RepresentativesMeeting,
    /// 村(居)民小组组长 — a group head.
    GroupHead,
    /// An officer of the 乡镇(街道) — township or subdistrict.
    TownshipOfficer,
    /// An officer of the 区县 — district or county.
    DistrictOfficer,
    /// 村(居)民 — a resident.
    Resident,
}

impl Role {
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Committee => "村(居)民委员会",
            Role::CommitteeMeeting => "村(居)民委员会会议",
            Role::JointMeeting => "两委联席会议",
            Role::SupervisionCommittee => "村(居)务监督委员会",
            Role::SupervisionMember => "监督委员会成员",
            Role::PartyBranch => "村党组织",
            Role::RepresentativesMeeting => "村(居)民代表会议",
            Role::GroupHead => "村(居)民小组组长",
            Role::TownshipOfficer => "乡镇(街道)",
            Role::DistrictOfficer => "区县",
            Role::Resident => "村(居)民",
        }
    }
}

/// The person or body acting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// A stable id in the host system.
    pub id: String,
    /// The capacity in which they act.
    pub role: Role,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry<E> {
    /// Position in the log, from 0.
    pub index: u64,
    /// The day the event happened.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub date: NaiveDate,
    /// Who acted.
    pub actor: Actor,
    /// What happened.
    pub event: E,
    /// The rules version in force when the entry was made.
    pub rules_version: String,
    /// The calendar version in force when the entry was made.
    pub calendar_version: String,
    /// The host's id of the delivery that made this entry (a message id), when it gave one:
    /// applying the same event with the same key again returns this entry instead of a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Whether `hash` is an HMAC-SHA256 under the host's [`ChainKey`] (a keyed chain) rather than a
    /// plain SHA-256.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keyed: bool,
    /// SHA-256 of the previous entry (hex), or [`GENESIS`].
    pub prev_hash: String,
    /// SHA-256 of this entry's other fields (hex); in a keyed chain their HMAC-SHA256.
    pub hash: String,
}

#[derive(Serialize)]
struct HashInput<'a, E> {
    index: u64,
    date: NaiveDate,
    actor: &'a Actor,
    event: &'a E,
    rules_version: &'a str,
    calendar_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    idempotency_key: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    keyed: bool,
    prev_hash: &'a str,
}

fn hash_input<E: Serialize>(e: &Entry<E>) -> Vec<u8> {
    let input = HashInput {
        index: e.index,
        date: e.date,
        actor: &e.actor,
        event: &e.event,
        rules_version: &e.rules_version,
        calendar_version: &e.calendar_version,
        idempotency_key: e.idempotency_key.as_deref(),
        keyed: e.keyed,
        prev_hash: &e.prev_hash,
    };
    serde_json::to_vec(&input).unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 (hex) of an entry's content: every field but `hash`, as canonical JSON.
pub fn entry_hash<E: Serialize>(e: &Entry<E>) -> String {
    hex(&Sha256::digest(hash_input(e)))
}

/// The hash an entry must carry: [`entry_hash`], or in a keyed chain the HMAC-SHA256 of the same
/// content under `key`.
pub fn entry_mac<E: Serialize>(e: &Entry<E>, key: Option<&ChainKey>) -> String {
    use hmac::Mac as _;
    match key {
        None => entry_hash(e),
        Some(key) => match hmac::Hmac::<Sha256>::new_from_slice(&key.0) {
            Ok(mut mac) => {
                mac.update(&hash_input(e));
                hex(&mac.finalize().into_bytes())
            }
            // HMAC takes keys of any length; this arm is never taken.
            Err(_) => String::new(),
        },
    }
}

/// 链密钥 — a secret the host holds outside the log's table (an environment variable, a secrets
/// manager), making the chain an HMAC chain: whoever can write the table but does not hold the key
/// cannot rewrite the log and recompute the chain undetected. The key is never written to the log,
/// and its `Debug` form does not show it.
///
/// ```
/// use cunwu_core::log::ChainKey;
/// let key = ChainKey::new(b"a secret of the host, 32 bytes or more".to_vec()).unwrap();
/// assert_eq!(format!("{key:?}"), "ChainKey(..)");
/// assert!(ChainKey::new(b"short".to_vec()).is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ChainKey(Vec<u8>);

impl ChainKey {
    /// The shortest key accepted, in bytes (RFC 2104 asks for at least the hash's output length).
    pub const MIN_BYTES: usize = 32;

    /// A key of at least [`ChainKey::MIN_BYTES`] bytes.
    pub fn new(bytes: Vec<u8>) -> Result<ChainKey, LogError> {
        if bytes.len() < ChainKey::MIN_BYTES {
            return Err(LogError::KeyTooShort { bytes: bytes.len() });
        }
        Ok(ChainKey(bytes))
    }
}

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(..)")
    }
}

/// 日志头 — what a host stores beside a log, written in the same transaction as its entries:
/// how many entries it has and the last one's hash. A log read back against its stored head is
/// refused if it is shorter (`LOG_TRUNCATED`), longer (`LOG_UNEXPECTED_ENTRIES`) or different
/// (`LOG_REWRITTEN`); without it, a log cut after any entry is a valid, shorter log. Written as
/// `"11:5f3a…"` (entries, colon, hash).
///
/// ```
/// use cunwu_core::log::Head;
/// let head: Head = "2:ab12".parse().unwrap();
/// assert_eq!((head.entries, head.hash.as_str()), (2, "ab12"));
/// assert_eq!(head.to_string(), "2:ab12");
/// assert!("two:ab12".parse::<Head>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// How many entries the log has.
    pub entries: u64,
    /// The last entry's hash ([`GENESIS`] for no entries).
    pub hash: String,
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.entries, self.hash)
    }
}

impl std::str::FromStr for Head {
    type Err = LogError;
    fn from_str(text: &str) -> Result<Head, LogError> {
        let bad = || LogError::BadHead { given: text.chars().take(80).collect() };
        let (entries, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let entries = entries.parse::<u64>().map_err(|_| bad())?;
        if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Head { entries, hash: hash.to_ascii_lowercase() })
    }
}

/// The head of `entries`.
pub fn head_of<E>(entries: &[Entry<E>]) -> Head {
    Head {
        entries: u64::try_from(entries.len()).unwrap_or(u64::MAX),
        hash: entries.last().map(|e| e.hash.clone()).unwrap_or_else(|| GENESIS.to_string()),
    }
}

/// How a stored log is read back: against the head the host stored, under the host's key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The head stored beside the log: a log that does not end there is refused.
    pub expected_head: Option<Head>,
    /// The chain's key, for a keyed chain (every entry must then be keyed).
    pub key: Option<ChainKey>,
}

/// How one event is appended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppendOptions {
    /// Compare and swap: the head the caller read; if the log moved on since, `LOG_CONFLICT` and
    /// nothing is appended.
    pub expected_head: Option<Head>,
    /// The host's id of this delivery: applying the same event with the same key again returns
    /// the entry already made ([`Applied::appended`] false); the same key with another event is
    /// `LOG_IDEMPOTENCY_CONFLICT`.
    pub idempotency_key: Option<String>,
}

/// What [`Journal::append`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied<E> {
    /// The entry: the new one, or the one a repeated delivery made before.
    pub entry: Entry<E>,
    /// Whether it was appended now (false for a repeated delivery).
    pub appended: bool,
    /// The entry as its exact JSON line (no line break), for an append-only table.
    pub line: String,
    /// The log's head after the call, to store beside it.
    pub head: Head,
}

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
    #[error("`{given}` is not a log head (entries:hash, as `11:5f3a…`)")]
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
            LogError::BadHead { given } => format!("`{given}` 不是有效的日志头（格式为 条数:哈希值，如 `11:5f3a…`）"),
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

/// Check that `entries` form an unbroken chain: indices in order, hashes matching content, each
/// naming its predecessor.
pub fn verify<E: Serialize>(entries: &[Entry<E>]) -> Result<(), LogError> {
    verify_keyed(entries, None)
}

/// [`verify`] under `key`: with a key every entry must be keyed and carry its HMAC; without one,
/// a keyed entry is `LOG_KEY_REQUIRED` (a wrong key is found as a changed entry, `LOG_HASH`).
pub fn verify_keyed<E: Serialize>(entries: &[Entry<E>], key: Option<&ChainKey>) -> Result<(), LogError> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let index = u64::try_from(i).unwrap_or(u64::MAX);
        if e.index != index {
            return Err(LogError::Index { index, found: e.index });
        }
        match (e.keyed, key.is_some()) {
            (true, false) => return Err(LogError::KeyRequired { index }),
            (false, true) => return Err(LogError::NotKeyed { index }),
            _ => {}
        }
        if entry_mac(e, key) != e.hash {
            return Err(LogError::Hash { index });
        }
        if e.prev_hash != prev {
            return Err(LogError::Chain { index });
        }
        prev = e.hash.clone();
    }
    Ok(())
}

/// Build the next entry after `entries`, hashed and chained.
pub fn next_entry<E: Serialize>(
    entries: &[Entry<E>],
    date: NaiveDate,
    actor: Actor,
    event: E,
    rules_version: &str,
    calendar_version: &str,
) -> Entry<E> {
    next_entry_with(entries, date, actor, event, (rules_version, calendar_version), None, None)
}

/// [`next_entry`] with the delivery's idempotency key and under the chain's key.
pub fn next_entry_with<E: Serialize>(
    entries: &[Entry<E>],
    date: NaiveDate,
    actor: Actor,
    event: E,
    (rules_version, calendar_version): (&str, &str),
    idempotency_key: Option<String>,
    key: Option<&ChainKey>,
) -> Entry<E> {
    let prev_hash = entries.last().map(|e| e.hash.clone()).unwrap_or_else(|| GENESIS.to_string());
    let mut entry = Entry {
        index: u64::try_from(entries.len()).unwrap_or(u64::MAX),
        date,
        actor,
        event,
        rules_version: rules_version.to_string(),
        calendar_version: calendar_version.to_string(),
        idempotency_key,
        keyed: key.is_some(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_mac(&entry, key);
    entry
}

/// The log as JSON Lines, one entry a line.
pub fn to_jsonl<E: Serialize>(entries: &[Entry<E>]) -> String {
    entries.iter().filter_map(|e| serde_json::to_string(e).ok()).map(|l| l + "\n").collect()
}

/// Read JSON Lines (blank lines are skipped). Does not verify the chain; see [`verify`].
pub fn from_jsonl<E: DeserializeOwned>(text: &str) -> Result<Vec<Entry<E>>, LogError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| crate::json::read(l).map_err(|e| LogError::Parse { line: i + 1, message: e.to_string() }))
        .collect()
}

/// A state machine whose events are kept in a hash-chained [`Journal`]: the disclosure procedure
/// and the objection ladder are two of them, sharing the log, its checks and its replay.
pub trait Machine {
    /// What happens.
    type Event: Serialize + DeserializeOwned + Clone + PartialEq;
    /// What the events say.
    type State: Clone;
    /// The state the first entry creates (its hash is the journal's id), or why it cannot.
    fn start(rules: &crate::rules::RuleSet, first: &Entry<Self::Event>) -> Result<Self::State, crate::error::Error>;
    /// Check `event` by `actor` on `date` against every guard and apply it to `state`.
    fn step(
        rules: &crate::rules::RuleSet,
        state: &mut Self::State,
        date: NaiveDate,
        actor: &Actor,
        event: &Self::Event,
    ) -> Result<(), crate::error::Error>;
}

/// A machine's append-only log and the state it gives. Nothing is stored but the log: the state is
/// its replay, and a refused event changes neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal<M: Machine> {
    entries: Vec<Entry<M::Event>>,
    state: M::State,
    /// The chain's key, when keyed: later entries are made with it.
    key: Option<ChainKey>,
    /// Bytes of the log as JSON Lines ([`Journal::to_jsonl`]), kept so an append that would
    /// take it past `max_text_bytes` is refused: the library never writes a log it cannot read.
    text_bytes: usize,
}

/// Bytes of one entry as a JSON line, its line break included.
fn line_bytes<E: Serialize>(entry: &Entry<E>) -> usize {
    serde_json::to_string(entry).map(|l| l.len()).unwrap_or(0).saturating_add(1)
}

/// `LOG_TOO_LARGE` when a log of `bytes` would be past the rules' `max_text_bytes`.
fn check_log_bytes(rules: &crate::rules::RuleSet, bytes: usize) -> Result<(), LogError> {
    let limit = rules.limits().max_text_bytes;
    if bytes > limit {
        return Err(LogError::TooLarge { what: "bytes", limit, actual: bytes });
    }
    Ok(())
}

fn versions(rules: &crate::rules::RuleSet) -> (String, String) {
    (rules.version().to_string(), rules.calendar().map(|c| c.version().to_string()).unwrap_or_default())
}

impl<M: Machine> Journal<M> {
    /// Begin a journal with its first event.
    pub fn begin(
        rules: &crate::rules::RuleSet,
        date: NaiveDate,
        actor: Actor,
        event: M::Event,
    ) -> Result<Self, crate::error::Error> {
        Journal::begin_with(rules, date, actor, event, None, None)
    }

    /// [`Journal::begin`] with the delivery's idempotency key, and under the chain's key (a keyed
    /// chain: every later entry is keyed too).
    pub fn begin_with(
        rules: &crate::rules::RuleSet,
        date: NaiveDate,
        actor: Actor,
        event: M::Event,
        idempotency_key: Option<String>,
        key: Option<ChainKey>,
    ) -> Result<Self, crate::error::Error> {
        let limit = rules.limits().max_log_entries;
        if limit == 0 {
            return Err(crate::error::Error::Log(LogError::TooLarge { what: "entries", limit, actual: 1 }));
        }
        let (rules_version, calendar_version) = versions(rules);
        let versions = (rules_version.as_str(), calendar_version.as_str());
        let first = next_entry_with(&[], date, actor, event, versions, idempotency_key, key.as_ref());
        let text_bytes = line_bytes(&first);
        check_log_bytes(rules, text_bytes)?;
        let state = M::start(rules, &first)?;
        Ok(Journal { entries: vec![first], state, key, text_bytes })
    }

    /// Check an event against every guard and append it; on any error nothing changes.
    pub fn apply(
        &mut self,
        rules: &crate::rules::RuleSet,
        date: NaiveDate,
        actor: Actor,
        event: M::Event,
    ) -> Result<&Entry<M::Event>, crate::error::Error> {
        self.append(rules, date, actor, event, &AppendOptions::default())?;
        self.entries.last().ok_or(crate::error::Error::Log(LogError::Empty))
    }

    /// [`Journal::apply`] for a host with several writers and redelivered messages: with
    /// `options.idempotency_key`, an event already applied under that key returns its entry
    /// and appends nothing; with `options.expected_head`, a log that moved on since the caller
    /// read it is `LOG_CONFLICT`. The checks run in that order, then the limit and the guards;
    /// on any error nothing changes.
    ///
    /// ```
    /// use cunwu_core::{RuleSet, log::{AppendOptions, Entry}, procedure::{CaseEvent, DisclosureCase}};
    /// let rules = RuleSet::bundled().unwrap();
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/procedure/village-2026-q1.jsonl"));
    /// let (head, last) = text.trim_end().rsplit_once('\n').unwrap();
    /// let mut case = DisclosureCase::from_jsonl(&rules, head).unwrap();
    /// let last: Entry<CaseEvent> = serde_json::from_str(last).unwrap();
    /// let read = case.head();
    /// let once = AppendOptions { expected_head: Some(read.clone()), idempotency_key: Some("msg-1".into()) };
    /// let applied = case.append(&rules, last.date, last.actor.clone(), last.event.clone(), &once).unwrap();
    /// assert!(applied.appended && applied.line.ends_with('}') && applied.head == case.head());
    /// // The same delivery again: the entry already made, nothing appended.
    /// let again = case.append(&rules, last.date, last.actor.clone(), last.event.clone(), &once).unwrap();
    /// assert!(!again.appended);
    /// assert_eq!(case.entries().len(), 11);
    /// // Another delivery from a writer that read the old head: refused, nothing appended.
    /// let stale = AppendOptions { expected_head: Some(read), idempotency_key: Some("msg-2".into()) };
    /// let e = case.append(&rules, last.date, last.actor, last.event, &stale).unwrap_err();
    /// assert_eq!(e.code(), "LOG_CONFLICT");
    /// assert_eq!(case.entries().len(), 11);
    /// ```
    pub fn append(
        &mut self,
        rules: &crate::rules::RuleSet,
        date: NaiveDate,
        actor: Actor,
        event: M::Event,
        options: &AppendOptions,
    ) -> Result<Applied<M::Event>, crate::error::Error> {
        if let Some(key) = &options.idempotency_key {
            if let Some(done) = self.entries.iter().find(|e| e.idempotency_key.as_ref() == Some(key)) {
                if done.date == date && done.actor == actor && done.event == event {
                    return Ok(self.applied(done.clone(), false));
                }
                let conflict = LogError::IdempotencyConflict { index: done.index, key: key.clone() };
                return Err(crate::error::Error::Log(conflict));
            }
        }
        let head = self.head();
        if let Some(expected) = &options.expected_head {
            if *expected != head {
                return Err(crate::error::Error::Log(LogError::Conflict { expected: expected.clone(), found: head }));
            }
        }
        // A log at its limit takes no more entries: the next `from_jsonl` under the same rules
        // would refuse it, and the case would be stuck.
        let limit = rules.limits().max_log_entries;
        if self.entries.len() >= limit {
            let actual = self.entries.len().saturating_add(1);
            return Err(crate::error::Error::Log(LogError::TooLarge { what: "entries", limit, actual }));
        }
        let mut next = self.state.clone();
        M::step(rules, &mut next, date, &actor, &event)?;
        let (rules_version, calendar_version) = versions(rules);
        let versions = (rules_version.as_str(), calendar_version.as_str());
        let key = self.key.as_ref();
        let entry = next_entry_with(&self.entries, date, actor, event, versions, options.idempotency_key.clone(), key);
        let text_bytes = self.text_bytes.saturating_add(line_bytes(&entry));
        check_log_bytes(rules, text_bytes)?;
        self.state = next;
        self.text_bytes = text_bytes;
        self.entries.push(entry.clone());
        Ok(self.applied(entry, true))
    }

    fn applied(&self, entry: Entry<M::Event>, appended: bool) -> Applied<M::Event> {
        let line = serde_json::to_string(&entry).unwrap_or_default();
        Applied { entry, appended, line, head: self.head() }
    }

    /// Rebuild from a log: the chain must be unbroken and every event valid, else the error
    /// names the entry.
    pub fn replay(rules: &crate::rules::RuleSet, entries: Vec<Entry<M::Event>>) -> Result<Self, LogError> {
        Journal::replay_with(rules, entries, &ReadOptions::default())
    }

    /// [`Journal::replay`] against the head the host stored and under the chain's key: a log
    /// that does not end at `options.expected_head` is refused (`LOG_TRUNCATED`,
    /// `LOG_UNEXPECTED_ENTRIES`, `LOG_REWRITTEN`); with `options.key` every entry must carry its
    /// HMAC.
    pub fn replay_with(
        rules: &crate::rules::RuleSet,
        entries: Vec<Entry<M::Event>>,
        options: &ReadOptions,
    ) -> Result<Self, LogError> {
        let limit = rules.limits().max_log_entries;
        if entries.len() > limit {
            return Err(LogError::TooLarge { what: "entries", limit, actual: entries.len() });
        }
        // As many bytes as the log would have written out: a log restored from entries is held to
        // the same bound as its text.
        let text_bytes = entries.iter().map(line_bytes).fold(0usize, usize::saturating_add);
        check_log_bytes(rules, text_bytes)?;
        verify_keyed(&entries, options.key.as_ref())?;
        if let Some(expected) = &options.expected_head {
            check_head(expected, head_of(&entries))?;
        }
        let first = entries.first().ok_or(LogError::Empty)?;
        let invalid = |index: u64, e: crate::error::Error| {
            let diagnostic =
                e.diagnostics().into_iter().next().unwrap_or_else(|| LogError::Empty.diagnostics().remove(0));
            LogError::Invalid { index, diagnostic: Box::new(diagnostic) }
        };
        let mut state = M::start(rules, first).map_err(|e| invalid(0, e))?;
        for e in entries.iter().skip(1) {
            M::step(rules, &mut state, e.date, &e.actor, &e.event).map_err(|err| invalid(e.index, err))?;
        }
        Ok(Journal { entries, state, key: options.key.clone(), text_bytes })
    }

    /// Read and replay a JSON Lines log.
    pub fn from_jsonl(rules: &crate::rules::RuleSet, text: &str) -> Result<Self, LogError> {
        Journal::from_jsonl_with(rules, text, &ReadOptions::default())
    }

    /// [`Journal::from_jsonl`] with [`Journal::replay_with`]'s checks.
    pub fn from_jsonl_with(rules: &crate::rules::RuleSet, text: &str, options: &ReadOptions) -> Result<Self, LogError> {
        // A byte-order mark, as some editors write, is not part of the first entry.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let limits = rules.limits();
        if text.len() > limits.max_text_bytes {
            return Err(LogError::TooLarge { what: "bytes", limit: limits.max_text_bytes, actual: text.len() });
        }
        // Count before parsing, so a log of millions of lines is refused without reading them.
        let limit = limits.max_log_entries;
        let entries = text.lines().filter(|l| !l.trim().is_empty()).take(limit.saturating_add(1)).count();
        if entries > limit {
            return Err(LogError::TooLarge { what: "entries", limit, actual: entries });
        }
        Journal::replay_with(rules, from_jsonl(text)?, options)
    }

    /// The head to store beside the log ([`Head`]).
    pub fn head(&self) -> Head {
        head_of(&self.entries)
    }

    /// Whether the chain is keyed.
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The log as JSON Lines.
    pub fn to_jsonl(&self) -> String {
        to_jsonl(&self.entries)
    }

    /// The log.
    pub fn entries(&self) -> &[Entry<M::Event>] {
        &self.entries
    }

    /// The state the log gives.
    pub fn state(&self) -> &M::State {
        &self.state
    }
}

/// Refuse a log whose head is not the one stored.
fn check_head(expected: &Head, found: Head) -> Result<(), LogError> {
    use std::cmp::Ordering;
    match found.entries.cmp(&expected.entries) {
        Ordering::Less => Err(LogError::Truncated { expected: expected.clone(), found: found.entries }),
        Ordering::Greater => Err(LogError::UnexpectedEntries { expected: expected.clone(), found: found.entries }),
        Ordering::Equal if found.hash != expected.hash => {
            Err(LogError::Rewritten { expected: expected.clone(), found })
        }
        Ordering::Equal => Ok(()),
    }
}
