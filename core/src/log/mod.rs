//! The append-only, hash-chained event log shared by the disclosure procedure and the objection
//! ladder. Each entry records the actor and role, the date, the event, the versions of the rules
//! and calendar in force, and the SHA-256 of the previous entry; any change, reordering, removal
//! or insertion is detected at its index.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod error;
mod journal;

pub use error::{LogError, WARNING_CODES};
pub use journal::{Guards, Journal, Machine};

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
/// let hash = "ab12".repeat(16); // 64 hex digits
/// let head: Head = format!("2:{hash}").parse().unwrap();
/// assert_eq!((head.entries, head.hash.as_str()), (2, hash.as_str()));
/// assert_eq!(head.to_string(), format!("2:{hash}"));
/// assert!(format!("two:{hash}").parse::<Head>().is_err());
/// assert!(format!("02:{hash}").parse::<Head>().is_err(), "one spelling: no leading zero");
/// assert!("2:ab12".parse::<Head>().is_err(), "a hash is 64 hex digits");
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
        // Digits only, no sign and no leading zero: one head has one spelling.
        if entries.is_empty()
            || !entries.bytes().all(|b| b.is_ascii_digit())
            || (entries.len() > 1 && entries.starts_with('0'))
        {
            return Err(bad());
        }
        let entries = entries.parse::<u64>().map_err(|_| bad())?;
        if hash.len() != GENESIS.len() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
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
    entries.iter().map(|e| entry_line(e) + "\n").collect()
}

/// One entry as its JSON line (without the line break). U+0085, U+2028 and U+2029, which JSON allows
/// raw in strings but which many line splitters (Python's `str.splitlines`, JavaScript before
/// ES2019) take for line breaks, are written escaped; the hash is over the entry's values, so
/// either spelling reads back to the same entry.
pub fn entry_line<E: Serialize>(entry: &Entry<E>) -> String {
    let line = serde_json::to_string(entry).unwrap_or_default();
    if line.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        line.replace('\u{85}', "\\u0085").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
    } else {
        line
    }
}

/// Read JSON Lines (blank lines are skipped). Does not verify the chain; see [`verify`].
pub fn from_jsonl<E: DeserializeOwned>(text: &str) -> Result<Vec<Entry<E>>, LogError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| crate::json::read(l).map_err(|e| LogError::Parse { line: i + 1, message: e.to_string() }))
        .collect()
}
