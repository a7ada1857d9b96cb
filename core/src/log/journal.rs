//! A machine's journal: its log, the state the log gives, and the checks of every append and replay.

use chrono::NaiveDate;

use super::*;
use crate::diagnostic::Diagnostic;

/// How an entry's guards are held. Guards that rest on the code (the stage graph, dates that
/// never go backwards, who acts in which capacity) always hold. Guards that rest on the rules in
/// force (an item of the catalogue, a parameter, a district, a deadline) hold when an event is
/// applied; when a log is replayed, an entry recorded under other rules or another calendar is
/// read as recorded: such a guard that would now refuse it is noted, and the entry stands
/// (`LOG_RULES_CHANGED`, [`Journal::warnings`]).
///
/// ```
/// use cunwu_core::log::Guards;
/// let refused = || -> Result<(), cunwu_core::Error> { Err(cunwu_core::log::LogError::Empty.into()) };
/// assert!(Guards::enforcing().rule(refused()).is_err());
/// let mut recorded = Guards::as_recorded();
/// assert_eq!(recorded.rule(refused()).unwrap(), None);
/// assert_eq!(recorded.relaxed()[0].code, "LOG_EMPTY");
/// ```
#[derive(Debug, Default)]
pub struct Guards {
    as_recorded: bool,
    relaxed: Vec<Diagnostic>,
}

impl Guards {
    /// Every guard holds: an event being applied now.
    pub fn enforcing() -> Guards {
        Guards::default()
    }

    /// An entry replayed under rules other than those it records.
    pub fn as_recorded() -> Guards {
        Guards { as_recorded: true, relaxed: Vec::new() }
    }

    /// A guard that rests on the rules in force: its refusal stands when enforcing; when
    /// reading as recorded it is noted and passed (`Ok(None)`: what it would have given is
    /// missing, and the caller goes on without it).
    pub fn rule<T>(&mut self, checked: Result<T, crate::error::Error>) -> Result<Option<T>, crate::error::Error> {
        match checked {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.as_recorded => {
                self.relaxed.extend(e.diagnostics().into_iter().take(1));
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// What today's rules would have refused.
    pub fn relaxed(&self) -> &[Diagnostic] {
        &self.relaxed
    }
}

/// A state machine whose events are kept in a hash-chained [`Journal`]: the disclosure procedure
/// and the objection ladder are two of them, sharing the log, its checks and its replay.
pub trait Machine {
    /// What happens.
    type Event: Serialize + DeserializeOwned + Clone + PartialEq;
    /// What the events say.
    type State: Clone;
    /// The state the first entry creates (its hash is the journal's id), or why it cannot.
    fn start(
        rules: &crate::rules::RuleSet,
        first: &Entry<Self::Event>,
        guards: &mut Guards,
    ) -> Result<Self::State, crate::error::Error>;
    /// Check `event` by `actor` on `date` against every guard and apply it to `state`; the guards
    /// that rest on the rules go through `guards` ([`Guards::rule`]).
    fn step(
        rules: &crate::rules::RuleSet,
        state: &mut Self::State,
        date: NaiveDate,
        actor: &Actor,
        event: &Self::Event,
        guards: &mut Guards,
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
    /// What the replay noted (`LOG_RULES_CHANGED`).
    warnings: Vec<Diagnostic>,
}

/// Bytes of one entry as a JSON line, its line break included.
fn line_bytes<E: Serialize>(entry: &Entry<E>) -> usize {
    super::entry_line(entry).len().saturating_add(1)
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
        check_idempotency_key(idempotency_key.as_deref())?;
        let limit = rules.limits().max_log_entries;
        if limit == 0 {
            return Err(crate::error::Error::Log(LogError::TooLarge { what: "entries", limit, actual: 1 }));
        }
        let (rules_version, calendar_version) = versions(rules);
        let versions = (rules_version.as_str(), calendar_version.as_str());
        let first = next_entry_with(&[], date, actor, event, versions, idempotency_key, key.as_ref());
        let text_bytes = line_bytes(&first);
        check_log_bytes(rules, text_bytes)?;
        let state = M::start(rules, &first, &mut Guards::enforcing())?;
        Ok(Journal { entries: vec![first], state, key, text_bytes, warnings: Vec::new() })
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
        check_idempotency_key(options.idempotency_key.as_deref())?;
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
        M::step(rules, &mut next, date, &actor, &event, &mut Guards::enforcing())?;
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
        let line = super::entry_line(&entry);
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
        if entries.is_empty() {
            return Err(LogError::Empty);
        }
        let invalid = |index: u64, e: crate::error::Error| {
            let diagnostic =
                e.diagnostics().into_iter().next().unwrap_or_else(|| LogError::Empty.diagnostics().remove(0));
            LogError::Invalid { index, diagnostic: Box::new(diagnostic) }
        };
        let (rules_version, calendar_version) = versions(rules);
        let current = (rules_version.as_str(), calendar_version.as_str());
        let mut warnings = Vec::new();
        let mut state = None;
        for e in &entries {
            let recorded = (e.rules_version.as_str(), e.calendar_version.as_str());
            let mut guards = if recorded == current { Guards::enforcing() } else { Guards::as_recorded() };
            match state.as_mut() {
                None => state = Some(M::start(rules, e, &mut guards).map_err(|err| invalid(e.index, err))?),
                Some(state) => M::step(rules, state, e.date, &e.actor, &e.event, &mut guards)
                    .map_err(|err| invalid(e.index, err))?,
            }
            warnings
                .extend(guards.relaxed().iter().map(|d| super::error::rules_changed(e.index, recorded, current, d)));
        }
        let state = state.ok_or(LogError::Empty)?;
        Ok(Journal { entries, state, key: options.key.clone(), text_bytes, warnings })
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

    /// What the replay noted: entries accepted under the rules they record that today's rules
    /// would refuse (`LOG_RULES_CHANGED`, one per guard, naming the entry and both versions).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
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

/// Longest idempotency key (a delivery or message id), in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

/// An idempotency key names one delivery: not empty or blank (every later blank key would
/// collide with it), at most [`MAX_IDEMPOTENCY_KEY_CHARS`] characters.
fn check_idempotency_key(key: Option<&str>) -> Result<(), crate::error::Error> {
    let Some(key) = key else { return Ok(()) };
    // Blank: spaces, or only invisible characters (zero-width space and joiners, word joiner, BOM).
    let invisible = |c: char| c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}');
    let message = if key.chars().all(invisible) {
        "an idempotency key must not be empty or blank: it names one delivery".to_string()
    } else if key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS {
        format!("an idempotency key is at most {MAX_IDEMPOTENCY_KEY_CHARS} characters")
    } else {
        return Ok(());
    };
    Err(crate::error::Error::Input(crate::error::InputError::InvalidRequest {
        pointer: "/idempotency_key".into(),
        message,
    }))
}
