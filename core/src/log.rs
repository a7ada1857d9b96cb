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
    /// SHA-256 of the previous entry (hex), or [`GENESIS`].
    pub prev_hash: String,
    /// SHA-256 of this entry's other fields (hex).
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
    prev_hash: &'a str,
}

/// The SHA-256 (hex) of an entry's content: every field but `hash`, as canonical JSON.
pub fn entry_hash<E: Serialize>(e: &Entry<E>) -> String {
    let input = HashInput {
        index: e.index,
        date: e.date,
        actor: &e.actor,
        event: &e.event,
        rules_version: &e.rules_version,
        calendar_version: &e.calendar_version,
        prev_hash: &e.prev_hash,
    };
    let bytes = serde_json::to_vec(&input).unwrap_or_default();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
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
    pub const CODES: &'static [&'static str] =
        &["LOG_PARSE", "LOG_INDEX", "LOG_HASH", "LOG_CHAIN", "LOG_INVALID_EVENT", "LOG_EMPTY", "LOG_TOO_LARGE"];

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
        }
    }

    /// The index of the entry at fault, where there is one.
    pub fn index(&self) -> Option<u64> {
        match self {
            LogError::Index { index, .. }
            | LogError::Hash { index }
            | LogError::Chain { index }
            | LogError::Invalid { index, .. } => Some(*index),
            LogError::Parse { line, .. } => u64::try_from(line.saturating_sub(1)).ok(),
            LogError::Empty | LogError::TooLarge { .. } => None,
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
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let index = u64::try_from(i).unwrap_or(u64::MAX);
        if e.index != index {
            return Err(LogError::Index { index, found: e.index });
        }
        if entry_hash(e) != e.hash {
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
    let prev_hash = entries.last().map(|e| e.hash.clone()).unwrap_or_else(|| GENESIS.to_string());
    let mut entry = Entry {
        index: u64::try_from(entries.len()).unwrap_or(u64::MAX),
        date,
        actor,
        event,
        rules_version: rules_version.to_string(),
        calendar_version: calendar_version.to_string(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry);
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
    type Event: Serialize + DeserializeOwned + Clone;
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
        let limit = rules.limits().max_log_entries;
        if limit == 0 {
            return Err(crate::error::Error::Log(LogError::TooLarge { what: "entries", limit, actual: 1 }));
        }
        let (rules_version, calendar_version) = versions(rules);
        let first = next_entry(&[], date, actor, event, &rules_version, &calendar_version);
        let state = M::start(rules, &first)?;
        Ok(Journal { entries: vec![first], state })
    }

    /// Check an event against every guard and append it; on any error nothing changes.
    pub fn apply(
        &mut self,
        rules: &crate::rules::RuleSet,
        date: NaiveDate,
        actor: Actor,
        event: M::Event,
    ) -> Result<&Entry<M::Event>, crate::error::Error> {
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
        let entry = next_entry(&self.entries, date, actor, event, &rules_version, &calendar_version);
        self.state = next;
        self.entries.push(entry);
        self.entries.last().ok_or(crate::error::Error::Log(LogError::Empty))
    }

    /// Rebuild from a log: the chain must be unbroken and every event valid, else the error
    /// names the entry.
    pub fn replay(rules: &crate::rules::RuleSet, entries: Vec<Entry<M::Event>>) -> Result<Self, LogError> {
        let limit = rules.limits().max_log_entries;
        if entries.len() > limit {
            return Err(LogError::TooLarge { what: "entries", limit, actual: entries.len() });
        }
        verify(&entries)?;
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
        Ok(Journal { entries, state })
    }

    /// Read and replay a JSON Lines log.
    pub fn from_jsonl(rules: &crate::rules::RuleSet, text: &str) -> Result<Self, LogError> {
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
        Journal::replay(rules, from_jsonl(text)?)
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
