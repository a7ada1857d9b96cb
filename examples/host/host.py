"""A reference host for cunwu on a real database: what the city system keeps, and how it writes it.

SQLite (standard library) by default; PostgreSQL (psycopg 3) when ``CUNWU_HOST_DSN`` is set. The
library decides every rule; this module only stores what the library returns and reads it back
under the two checks a host owes its logs:

- the **head** (``"entries:hash"``) of every log, stored in the case's (or objection's) row and
  changed in the same transaction as the entry insert, so a log cut short, grown or rewritten in
  the entries table is refused on read (``LOG_TRUNCATED``, ``LOG_UNEXPECTED_ENTRIES``,
  ``LOG_REWRITTEN``);
- the **chain key**, a secret given to the process (environment or a file), never written to the
  database: every chain is an HMAC chain, so whoever can write the tables but does not hold the
  key cannot rewrite an entry and recompute the chain undetected.

Writers never lose an event: an append is prepared by the library against the head just read
(``expected_head``), and stored by ``UPDATE … SET head = new WHERE id = ? AND head = old`` plus an
``INSERT`` under the ``(log, index)`` primary key, in one transaction. A writer that lost the race
sees 0 rows updated (or a unique violation), rolls back, reads again and retries; the procedure's
guards then judge its event against the new state. A repeated delivery carries the same
idempotency key and is answered "already applied" with the entry made the first time.

One ``Host`` is one worker's connection: give each thread or process its own (``HostConfig``
carries what a worker process needs). The database plumbing (``Database``, ``Connection``, the
schema) is in ``db.py`` beside this file; ``Database``, ``Connection``, ``Dialect``, ``schema``
and ``DSN_VARIABLE`` are re-exported here. See README.md beside this file.

Print the schema:  python3 examples/host/host.py schema [--dialect sqlite|postgres]
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
import random
import sys
import time
from typing import Any, Callable, Dict, FrozenSet, List, Literal, Optional, Sequence, Set, Tuple, Union

import cunwu

# The database layer (db.py); the names the service's callers use are re-exported from here.
from db import DSN_VARIABLE as DSN_VARIABLE
from db import Connection as Connection
from db import Database as Database
from db import Dialect as Dialect
from db import Raced
from db import schema as schema

logger = logging.getLogger("cunwu.host")

DateLike = Union[datetime.date, str]
Journal = Union[cunwu.DisclosureCase, cunwu.Objection]

#: The head of a log that does not exist yet (no entry, the genesis hash).
EMPTY_HEAD = "0:" + "0" * 64

#: Environment variables read by ``chain_key_from_env`` (``Database.from_env`` reads ``DSN_VARIABLE``).
KEY_VARIABLE = "CUNWU_HOST_CHAIN_KEY"  # hex, at least 64 digits (32 bytes)
KEY_FILE_VARIABLE = "CUNWU_HOST_CHAIN_KEY_FILE"  # a file of at least 32 bytes


# ---------------------------------------------------------------------------------------------
# Errors of the host. The library's own errors (cunwu.ProcedureError, cunwu.ObjectionError, …)
# pass through unchanged: they are the answer to the caller ("refused by the rules").
# ---------------------------------------------------------------------------------------------


class HostError(Exception):
    """Base of the host's errors; ``code`` is stable, for a view to map to a response."""

    code = "HOST_ERROR"


class NotFound(HostError):
    """No unit, case or objection with that id."""

    code = "HOST_NOT_FOUND"


class CaseExists(HostError):
    """A case for this unit, period and pipeline was opened by another delivery."""

    code = "HOST_CASE_EXISTS"

    def __init__(self, case_id: str) -> None:
        super().__init__(f"a case for this unit, period and pipeline exists already: {case_id}")
        self.case_id = case_id


class IdempotencyConflict(HostError):
    """A delivery id used again for something else (another submission, another opening)."""

    code = "HOST_IDEMPOTENCY_CONFLICT"


class WrongCase(HostError):
    """An objection linked to a case of another unit or period than the one it is about."""

    code = "HOST_WRONG_CASE"


class StaleHead(HostError):
    """The caller's ``expected_head`` (what its form showed) is not the log's head any more: the
    library refused the append with ``LOG_CONFLICT``. Nothing was written; show the log again."""

    code = "LOG_CONFLICT"

    def __init__(self, error: cunwu.LogError) -> None:
        super().__init__(str(error))
        self.error = error


class TooManyConflicts(HostError):
    """The append lost the race ``max_attempts`` times in a row; nothing was written."""

    code = "HOST_TOO_MANY_CONFLICTS"


class UntrustedLog(HostError):
    """A stored log that fails its check: the library refuses it against its stored head and the
    chain key — entries removed (``LOG_TRUNCATED``), added (``LOG_UNEXPECTED_ENTRIES``), rewritten
    (``LOG_REWRITTEN``, ``LOG_HASH``, ``LOG_CHAIN``), unkeyed (``LOG_NOT_KEYED``), unreadable — or
    the host finds it is not the log of its row (``HOST_LOG_MISPLACED``: a genuine log copied
    under another case's id, unit or period). Nothing is appended to such a log; it is a matter
    for whoever audits the database. ``error`` is the library's error, when it was the library's."""

    def __init__(
        self,
        noun: str,
        log_id: str,
        code: str,
        message: str,
        *,
        pointer: Optional[str] = None,
        error: Optional[cunwu.LogError] = None,
    ) -> None:
        super().__init__(f"{noun} {log_id}: {code}: {message}")
        self.detail = message
        self.code = code
        self.noun = noun
        self.log_id = log_id
        self.pointer = pointer
        self.error = error

    @staticmethod
    def refused(noun: str, log_id: str, error: cunwu.LogError) -> "UntrustedLog":
        """The library's refusal of the stored log."""
        details = error.details()
        pointer = (details[0].get("location") or {}).get("pointer") if details else None
        return UntrustedLog(noun, log_id, error.code, str(error), pointer=pointer, error=error)

    def as_problem(self) -> Dict[str, Any]:
        """The refusal as a problem row of a report (``code``, ``message_en``, ``location``)."""
        details = self.error.details() if self.error else []
        why = details[0]["message_zh"] if details else "日志不属于该记录（编号、单位或期间不符）"
        return {
            "code": self.code,
            "severity": "error",
            "message_zh": f"{'案件' if self.noun == 'case' else '异议'} {self.log_id}：{why}",
            "message_en": str(self),
            "location": {"pointer": self.pointer, self.noun: self.log_id} if self.pointer else {self.noun: self.log_id},
        }


# ---------------------------------------------------------------------------------------------
# The chain key: held by the process, never by the database.
# ---------------------------------------------------------------------------------------------


def chain_key_from_env() -> bytes:
    """The chain key from ``CUNWU_HOST_CHAIN_KEY`` (hex) or ``CUNWU_HOST_CHAIN_KEY_FILE`` (a
    file of raw bytes, e.g. a mounted secret). Raises ``HostError`` when neither is set: a host
    that reads its logs without the key cannot tell a rechained forgery from a plain log."""
    if os.environ.get(KEY_VARIABLE):
        try:
            key = bytes.fromhex(os.environ[KEY_VARIABLE])
        except ValueError as error:
            raise HostError(f"{KEY_VARIABLE} is not hex") from error
    elif os.environ.get(KEY_FILE_VARIABLE):
        with open(os.environ[KEY_FILE_VARIABLE], "rb") as f:
            key = f.read()
    else:
        raise HostError(f"no chain key: set {KEY_VARIABLE} (hex) or {KEY_FILE_VARIABLE}")
    if len(key) < 32:
        raise HostError("the chain key must be at least 32 bytes")
    return key


# ---------------------------------------------------------------------------------------------
# What the host answers.
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Recorded:
    """The answer to one delivery of an event (or an opening, or a filing).

    ``status`` is ``"applied"`` (the entry was stored now) or ``"already_applied"`` (the same
    delivery was stored before; ``entry`` is the entry made then). ``head`` is the log's head after
    the call, ``attempts`` how many times the host read and tried (more than 1 after a race), and
    ``warnings`` the replay's ``LOG_RULES_CHANGED`` notes (an entry today's rules would judge
    differently, naming both rules versions)."""

    log_id: str
    status: Literal["applied", "already_applied"]
    entry: Dict[str, Any]
    head: str
    attempts: int
    warnings: Tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class SubmissionAnswer:
    """The answer to a submission: stored with the validation's findings, accepted or not.
    ``status`` is ``"received"`` or ``"already_received"`` (a repeated delivery, answered from the
    stored row without validating again)."""

    submission_id: str
    status: Literal["received", "already_received"]
    accepted: bool
    findings: List[Dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class NightlyReport:
    """What the nightly job found on ``today``: the library's due and overdue entries over every
    stored unit and open case (window ``since``..``today``, overdue judged on ``today``), the
    problems (a unit or case the library could not look at, a stored log that failed its check:
    never skipped quietly), each open case's next wake-up, and the open objections to act on."""

    today: datetime.date
    since: datetime.date
    due: List[Dict[str, Any]]
    problems: List[Dict[str, Any]]
    wake_ups: Dict[str, Optional[datetime.date]]
    objections: List[Dict[str, Any]]

    @property
    def next_wake_up(self) -> Optional[datetime.date]:
        """The earliest day on which any open case changes state (the latest the job may sleep)."""
        days = [d for d in self.wake_ups.values() if d is not None]
        return min(days) if days else None

    def overdue(self) -> List[Dict[str, Any]]:
        """The entries overdue or very overdue on ``today``."""
        return [e for e in self.due if e["state"] in ("overdue", "very_overdue")]

    def lines(self) -> List[str]:
        """The report as short Chinese/English lines for a log or a mail."""
        out = []
        for e in self.due:
            what = e.get("item") or e["deadline"]
            who = f"{e['unit']} {e['period']}" + (f" 案件 {e['case'][:12]}" if e.get("case") else "")
            if e["state"] == "due":
                out.append(f"到期 due {e['date']}: {who} {what}")
            else:
                flag = "严重逾期 very overdue" if e["state"] == "very_overdue" else "逾期 overdue"
                out.append(f"{flag} {e.get('overdue_days')}d: {who} {what} (last day {e['date']})")
        for o in self.objections:
            out.append(f"异议 objection {o['objection'][:12]} {o['level']}: {', '.join(o['alerts'])}")
        for p in self.problems:
            where = p.get("location") or {}
            log_id = where.get("case") or where.get("objection") or ""
            out.append(f"{p['severity']} {p['code']} {log_id[:12]} {where.get('pointer') or ''}: {p.get('message_en', '')[:120]}")
        out.append(f"下次唤醒 next wake-up: {self.next_wake_up}")
        return out


@dataclasses.dataclass(frozen=True)
class Assessment:
    """The monthly 考评 read from the database: the library's report over the units table and the
    record rows of every stored case and objection, how many rows of each table went in, and the
    logs that failed their check (left out, and listed here)."""

    report: cunwu.ComplianceReport
    rows: Dict[str, int]
    log_problems: List[Dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# The two kinds of log, stored the same way.
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _LogKind:
    noun: str
    table: str
    entries: str
    fk: str
    journal: Any  # cunwu.DisclosureCase or cunwu.Objection (the class)
    identity: Tuple[str, ...]  # the row's columns that the log itself must agree with

    def identity_of(self, journal: Journal) -> Tuple[Any, ...]:
        """What the log says of the columns in ``identity``."""
        state = journal.state
        if self.noun == "case":
            return (state["unit"]["id"], state["period"], state["pipeline"])
        return (state["unit"]["id"],)


_CASES = _LogKind("case", "cases", "case_entries", "case_id", cunwu.DisclosureCase, ("unit_id", "period", "pipeline"))
_OBJECTIONS = _LogKind("objection", "objections", "objection_entries", "objection_id", cunwu.Objection, ("unit_id",))


def _date(value: DateLike) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _located(diagnostic: Dict[str, Any], noun: str, log_id: str) -> Dict[str, Any]:
    """A diagnostic of the library, as a problem row naming the log it is about."""
    location = dict(diagnostic.get("location") or {})
    location[noun] = log_id
    return {**diagnostic, "location": location}


def _warnings(journal: Journal) -> Tuple[str, ...]:
    return tuple(f"{w.code} {w.pointer}: {w.message_en}" for w in journal.warnings)


def rules_districts(rules: cunwu.Catalogue) -> FrozenSet[str]:
    """The districts the rules hold a catalogue for, by name and by id."""
    known: Set[str] = set()
    for layer in rules.layers():
        district = layer.get("district")
        if district:
            known.update((district["name"], district["id"]))
    return frozenset(known)


# ---------------------------------------------------------------------------------------------
# The host.
# ---------------------------------------------------------------------------------------------


class Host:
    """The city system's service layer over one database connection: submissions, disclosure
    cases, objections, the nightly job and the monthly 考评. Every rule is the library's.

    ``chain_key`` (bytes, at least 32) keys every log; it is held here and never stored.
    ``before_write(log_id, attempt)``, when given, is called after an append was prepared and
    before its transaction (a hook for tracing and for tests that force two writers to race)."""

    def __init__(
        self,
        rules: cunwu.Catalogue,
        db: Database,
        chain_key: bytes,
        *,
        max_attempts: int = 10,
        before_write: Optional[Callable[[str, int], None]] = None,
    ) -> None:
        if not isinstance(chain_key, bytes) or len(chain_key) < 32:
            raise HostError("the chain key must be bytes, at least 32")
        self.rules = rules
        self.db = db
        self._key = chain_key
        self._max_attempts = max_attempts
        self._before_write = before_write
        self._districts = rules_districts(rules)
        self._conn = db.connect()

    def __repr__(self) -> str:
        return f"<Host {self.db.describe()} rules={self.rules.version}>"  # never the key

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> "Host":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- units ------------------------------------------------------------------------------

    def add_unit(self, unit: Dict[str, Any]) -> None:
        """Store a unit (``id, name, kind, township, district``, optional ``areas``), as the
        考评 reads it; ``district`` is the administrative district's name."""
        with self._conn.transaction() as tx:
            tx.execute(
                "INSERT INTO units (id, name, kind, township, district, areas) VALUES (?, ?, ?, ?, ?, ?)",
                (unit["id"], unit["name"], unit["kind"], unit["township"], unit["district"], unit.get("areas")),
            )

    def units(self) -> List[Dict[str, Any]]:
        """Every stored unit, as the 考评's ``units`` rows."""
        rows = self._conn.query("SELECT id, name, kind, township, district, areas FROM units ORDER BY id")
        return [
            {k: v for k, v in zip(("id", "name", "kind", "township", "district", "areas"), r) if v is not None}
            for r in rows
        ]

    def _unit_ref(self, unit: Dict[str, Any]) -> Dict[str, Any]:
        """A unit as the procedure and the schedules take it: its rules district only when the
        rules hold a catalogue for it (the 考评 takes any district name and falls back to the
        city's catalogue; the procedure and ``due_between`` refuse a district they do not know)."""
        ref = {"id": unit["id"], "kind": unit["kind"], "name": unit["name"]}
        if unit["district"] in self._districts:
            ref["district"] = unit["district"]
        return ref

    def _unit(self, unit_id: str) -> Dict[str, Any]:
        for unit in self._conn.query(
            "SELECT id, name, kind, township, district, areas FROM units WHERE id = ?", (unit_id,)
        ):
            return dict(zip(("id", "name", "kind", "township", "district", "areas"), unit))
        raise NotFound(f"no unit {unit_id}")

    # -- submissions ----------------------------------------------------------------------------

    def submit(self, submission_id: str, submission: Dict[str, Any], received_on: DateLike) -> SubmissionAnswer:
        """Validate a submission (a form's posting) and store it with the answer, accepted or
        not (the findings are the record of why). ``submission_id`` is the delivery's id: the
        same id again is answered from the stored row; the same id with another body is refused
        (``IdempotencyConflict``)."""
        answer = cunwu.validate(submission, self.rules)
        body = _canonical(submission)
        unit: Dict[str, Any] = submission["unit"] if isinstance(submission.get("unit"), dict) else {}
        try:
            with self._conn.transaction() as tx:
                tx.execute(
                    "INSERT INTO submissions (id, unit_id, item, period, received_on, body, accepted, findings) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        submission_id,
                        unit.get("id"),
                        submission.get("item"),
                        submission.get("period"),
                        _date(received_on).isoformat(),
                        body,
                        bool(answer["ok"]),
                        _canonical(answer["findings"]),
                    ),
                )
        except Exception as error:
            if not self._conn.is_unique_violation(error):
                raise
            for stored_body, accepted, findings in self._conn.query(
                "SELECT body, accepted, findings FROM submissions WHERE id = ?", (submission_id,)
            ):
                if stored_body != body:
                    raise IdempotencyConflict(f"submission id {submission_id} was used for another submission")
                return SubmissionAnswer(submission_id, "already_received", bool(accepted), json.loads(findings))
            raise
        return SubmissionAnswer(submission_id, "received", bool(answer["ok"]), answer["findings"])

    # -- reading a log back ---------------------------------------------------------------------

    def _replay(
        self, kind: _LogKind, log_id: str, row: Tuple[Any, ...], head: str, lines: Sequence[str]
    ) -> Journal:
        """Verify and rebuild a log from its stored lines, against its stored head, under the key,
        and check it is the log of its row: its id (the first entry's hash) is the row's id, and
        its unit and period are the row's (a genuine log copied under another case is refused)."""
        text = "".join(line + "\n" for line in lines)  # stored without their line breaks
        try:
            journal: Journal = kind.journal.from_jsonl(self.rules, text, expected_head=head, chain_key=self._key)
        except cunwu.LogError as error:
            raise UntrustedLog.refused(kind.noun, log_id, error) from error
        says = (journal.id, *kind.identity_of(journal))
        if says != (log_id, *row):
            raise UntrustedLog(
                kind.noun, log_id, "HOST_LOG_MISPLACED",
                f"the row says {(log_id, *row)}, its log says {says}", pointer="/0",
            )
        for warning in journal.warnings:  # every read repeats them: the nightly report lists them once
            logger.debug("%s %s: %s %s: %s", kind.noun, log_id, warning.code, warning.pointer, warning.message_en)
        return journal

    def _read(self, kind: _LogKind, log_id: str) -> Journal:
        # One statement: the head and the entries from one snapshot, on both databases (two
        # SELECTs at READ COMMITTED could see a head older than the entries, a false alarm).
        columns = ", ".join(f"t.{c}" for c in kind.identity)
        rows = self._conn.query(
            f"SELECT t.head, e.line, {columns} FROM {kind.table} t "
            f"LEFT JOIN {kind.entries} e ON e.{kind.fk} = t.id WHERE t.id = ? ORDER BY e.idx",
            (log_id,),
        )
        if not rows:
            raise NotFound(f"no {kind.noun} {log_id}")
        lines = [r[1] for r in rows if r[1] is not None]
        return self._replay(kind, log_id, tuple(rows[0][2:]), rows[0][0], lines)

    def _read_all(self, kind: _LogKind) -> Tuple[List[Tuple[str, Journal]], List[UntrustedLog]]:
        """Every stored log of ``kind``, verified (one statement: one snapshot); the ones that fail
        their check are returned apart, never dropped."""
        columns = ", ".join(f"t.{c}" for c in kind.identity)
        rows = self._conn.query(
            f"SELECT t.id, t.head, e.line, {columns} FROM {kind.table} t "
            f"LEFT JOIN {kind.entries} e ON e.{kind.fk} = t.id ORDER BY t.id, e.idx"
        )
        grouped: Dict[str, Tuple[str, Tuple[Any, ...], List[str]]] = {}
        for r in rows:
            group = grouped.setdefault(r[0], (r[1], tuple(r[3:]), []))
            if r[2] is not None:
                group[2].append(r[2])
        good: List[Tuple[str, Journal]] = []
        bad: List[UntrustedLog] = []
        for log_id, (head, row, lines) in grouped.items():
            try:
                good.append((log_id, self._replay(kind, log_id, row, head, lines)))
            except UntrustedLog as error:
                bad.append(error)
        return good, bad

    def read_case(self, case_id: str) -> cunwu.DisclosureCase:
        """The case, verified against its stored head and the key (``UntrustedLog`` if not);
        ``.warnings`` lists what today's rules would judge differently."""
        case = self._read(_CASES, case_id)
        assert isinstance(case, cunwu.DisclosureCase)
        return case

    def read_objection(self, objection_id: str) -> cunwu.Objection:
        """The objection, verified like a case."""
        objection = self._read(_OBJECTIONS, objection_id)
        assert isinstance(objection, cunwu.Objection)
        return objection

    def find_case(self, unit_id: str, period: str, pipeline: str = "general") -> Optional[str]:
        """The id of the unit's case for ``period`` and ``pipeline``, if opened."""
        rows = self._conn.query(
            "SELECT id FROM cases WHERE unit_id = ? AND period = ? AND pipeline = ?", (unit_id, period, pipeline)
        )
        return rows[0][0] if rows else None

    def heads(self) -> Dict[str, Dict[str, str]]:
        """Every stored head, ``{"cases": {id: head}, "objections": {id: head}}``: a checkpoint
        to hand to someone who cannot write these tables (the township's system, write-once
        storage), so that entries removed together with their head can still be found
        (``verify_checkpoint``)."""
        return {
            kind.table: {row[0]: row[1] for row in self._conn.query(f"SELECT id, head FROM {kind.table} ORDER BY id")}
            for kind in (_CASES, _OBJECTIONS)
        }

    def verify_checkpoint(self, checkpoint: Dict[str, Dict[str, str]]) -> List[Dict[str, Any]]:
        """The logs that no longer extend the heads of an earlier checkpoint: gone, shorter than
        then, or with another entry where the checkpoint's head was. An empty list when every log
        is at or past its checkpointed head. (A log cut back together with its stored head reads
        cleanly by itself; only a head kept elsewhere shows it.)"""
        problems: List[Dict[str, Any]] = []
        for kind in (_CASES, _OBJECTIONS):
            for log_id, head in sorted(checkpoint.get(kind.table, {}).items()):
                count, _, last = head.partition(":")
                try:
                    log = self._read(kind, log_id).log
                except UntrustedLog as error:
                    problems.append({"code": error.code, "log": log_id, "checkpoint": head, "message": error.detail})
                    continue
                except NotFound:
                    problems.append({"code": "HOST_LOG_GONE", "log": log_id, "checkpoint": head,
                                     "message": f"{kind.noun} is no longer stored"})
                    continue
                if len(log) < int(count):
                    problems.append({"code": "HOST_ROLLED_BACK", "log": log_id, "checkpoint": head,
                                     "message": f"{kind.noun} has {len(log)} entries, the checkpoint saw {count}"})
                elif int(count) > 0 and log[int(count) - 1]["hash"] != last:
                    problems.append({"code": "HOST_REWRITTEN", "log": log_id, "checkpoint": head,
                                     "message": f"{kind.noun} entry {int(count) - 1} is not the one checkpointed"})
        return problems

    # -- writing: the first entry, then appends -------------------------------------------------

    def _begin(self, kind: _LogKind, journal: Journal, columns: Dict[str, Any]) -> Recorded:
        """Store a new log's row and first entry in one transaction. A unique violation means the
        log (same id: the same first entry) or, for a case, the unit's case for the period exists:
        the same delivery is answered "already applied", anything else is refused."""
        log_id = journal.id
        line = journal.to_jsonl().rstrip("\n")  # the one entry's line
        row = {"id": log_id, "head": journal.head, **columns}
        names = ", ".join(row)
        try:
            with self._conn.transaction() as tx:
                tx.execute(f"INSERT INTO {kind.table} ({names}) VALUES ({', '.join('?' for _ in row)})", tuple(row.values()))
                tx.execute(f"INSERT INTO {kind.entries} ({kind.fk}, idx, line) VALUES (?, ?, ?)", (log_id, 0, line))
        except Exception as error:
            if not self._conn.is_unique_violation(error):
                raise
            existing = log_id if kind is _OBJECTIONS else self.find_case(row["unit_id"], row["period"], row["pipeline"])
            if existing is None:
                raise
            stored = self._read(kind, existing)
            first = stored.log[0]
            if existing == log_id and first == journal.log[0]:
                return Recorded(existing, "already_applied", first, stored.head, 1, _warnings(stored))
            mine = journal.log[0].get("idempotency_key")
            if mine is not None and first.get("idempotency_key") == mine:
                raise IdempotencyConflict(f"delivery {mine} opened {existing} with other content") from error
            raise CaseExists(existing) from error
        return Recorded(log_id, "applied", journal.log[0], journal.head, 1, _warnings(journal))

    def _append(
        self,
        kind: _LogKind,
        log_id: str,
        date: DateLike,
        actor: Dict[str, Any],
        event: Dict[str, Any],
        idempotency_key: str,
        expected_head: Optional[str],
    ) -> Recorded:
        """Read, let the library check and prepare the entry, store it under the head's
        compare-and-swap; on a lost race read again and retry. The library's refusals pass through."""
        for attempt in range(1, self._max_attempts + 1):
            journal = self._read(kind, log_id)
            old_head = journal.head
            try:
                applied = journal.append(
                    date, actor, event, expected_head=expected_head or old_head, idempotency_key=idempotency_key
                )
            except cunwu.LogError as error:
                if error.code == "LOG_CONFLICT":
                    raise StaleHead(error) from error
                raise
            if not applied["appended"]:
                return Recorded(log_id, "already_applied", applied["entry"], applied["head"], attempt, _warnings(journal))
            if self._before_write is not None:
                self._before_write(log_id, attempt)
            try:
                with self._conn.transaction() as tx:
                    # The head first: on PostgreSQL its row lock queues a concurrent writer, which
                    # then finds the head changed (0 rows). The unique (log, index) key stops any
                    # writer that got past it (one that bypassed the head, say).
                    changed = tx.execute(
                        f"UPDATE {kind.table} SET head = ? WHERE id = ? AND head = ?",
                        (applied["head"], log_id, old_head),
                    )
                    if changed != 1:
                        raise Raced()
                    tx.execute(
                        f"INSERT INTO {kind.entries} ({kind.fk}, idx, line) VALUES (?, ?, ?)",
                        (log_id, applied["entry"]["index"], applied["line"].rstrip("\n")),
                    )
            except Exception as error:
                if not self._conn.is_race(error):
                    raise
                logger.info("%s %s: lost the race on %s (attempt %d); reading again", kind.noun, log_id, old_head, attempt)
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 5)))
                continue
            return Recorded(log_id, "applied", applied["entry"], applied["head"], attempt, _warnings(journal))
        raise TooManyConflicts(f"{kind.noun} {log_id}: {self._max_attempts} attempts lost the race")

    # -- the five steps -------------------------------------------------------------------------

    def open_case(
        self,
        unit_id: str,
        period: str,
        date: DateLike,
        actor: Dict[str, Any],
        *,
        idempotency_key: str,
        pipeline: str = "general",
    ) -> Recorded:
        """Open the unit's case for ``period`` (one per unit, period and pipeline). The same
        delivery again is "already applied"; another opening of the same case is ``CaseExists``."""
        unit = self._unit(unit_id)
        case = cunwu.DisclosureCase.open(
            self.rules, date, actor, self._unit_ref(unit), period, pipeline,
            idempotency_key=idempotency_key, chain_key=self._key,
        )
        return self._begin(_CASES, case, {"unit_id": unit_id, "period": period, "pipeline": pipeline})

    def record(
        self,
        case_id: str,
        date: DateLike,
        actor: Dict[str, Any],
        event: Dict[str, Any],
        *,
        idempotency_key: str,
        expected_head: Optional[str] = None,
    ) -> Recorded:
        """Apply one event of the procedure to a stored case. ``idempotency_key`` is the
        delivery's id (a message id, a form's token). ``expected_head``, when the caller gives the
        head it showed the user, refuses the event if the case moved on since (``StaleHead``)
        instead of applying it to a state the user never saw. A refusal by the procedure is
        ``cunwu.ProcedureError``, and nothing is stored."""
        return self._append(_CASES, case_id, date, actor, event, idempotency_key, expected_head)

    # -- objections -----------------------------------------------------------------------------

    def file_objection(
        self,
        date: DateLike,
        actor: Dict[str, Any],
        filed: Dict[str, Any],
        *,
        idempotency_key: str,
        case_id: Optional[str] = None,
    ) -> Recorded:
        """File an objection (``filed`` is the ``{"type": "filed", …}`` event). Its unit must be
        stored; ``case_id`` links it to the disclosure case it is about (for the correction)."""
        unit = self._unit(filed["unit"]["id"])
        if case_id is not None:
            case = self.read_case(case_id)  # exists, and its log checks
            named = (filed.get("subject") or {}).get("case") or {}
            if case.unit["id"] != unit["id"] or named.get("period", case.period) != case.period:
                raise WrongCase(f"case {case_id} is {case.unit['id']} {case.period}; the objection is about "
                                f"{unit['id']} {named.get('period', '')}".rstrip())
        objection = cunwu.Objection.file(
            self.rules, date, actor, {**filed, "unit": self._unit_ref(unit)},
            idempotency_key=idempotency_key, chain_key=self._key,
        )
        return self._begin(_OBJECTIONS, objection, {"unit_id": unit["id"], "case_id": case_id})

    def record_objection(
        self,
        objection_id: str,
        date: DateLike,
        actor: Dict[str, Any],
        event: Dict[str, Any],
        *,
        idempotency_key: str,
        expected_head: Optional[str] = None,
    ) -> Recorded:
        """Apply one event of the objection ladder (acknowledged, replied, escalated, …), like
        ``record``; a refusal is ``cunwu.ObjectionError``."""
        return self._append(_OBJECTIONS, objection_id, date, actor, event, idempotency_key, expected_head)

    def order_correction(
        self, objection_id: str, date: DateLike, actor: Dict[str, Any], *, idempotency_key: str
    ) -> Tuple[Recorded, Optional[Recorded]]:
        """An upheld objection: record the correction order on the objection and, when it is
        about a stored case, ``correction_required`` on the case (which then cannot close until
        published again). Two logs, two transactions; delivered again after a crash between them,
        the idempotency keys make the second delivery finish the work without doubling it."""
        on_objection = self.record_objection(
            objection_id, date, actor, {"type": "correction_ordered"}, idempotency_key=idempotency_key
        )
        rows = self._conn.query("SELECT case_id FROM objections WHERE id = ?", (objection_id,))
        case_id = rows[0][0] if rows else None
        if case_id is None:
            return on_objection, None
        on_case = self.record(
            case_id, date, actor, {"type": "correction_required", "objection": objection_id},
            idempotency_key=f"{idempotency_key}/case",
        )
        return on_objection, on_case

    # -- the nightly job ------------------------------------------------------------------------

    def nightly(self, today: DateLike, *, since: Optional[DateLike] = None) -> NightlyReport:
        """The nightly job: what is due from ``since`` (default ``today``; give the day after the
        last run so a missed night leaves nothing out) to ``today``, and overdue on ``today``,
        over every stored unit, case (open ones for their steps, closed ones for what their plans
        published) and open objection (its reply or re-publication), in one
        ``Catalogue.due_between`` call; each open case's and objection's next wake-up; and the open
        objections whose reply is late or whose objector suffered a reprisal. Every stored log is read and checked (a closed case may be reopened
        by an upheld objection; a host with years of closed cases may keep an index of the open
        ones, written in the same transaction as the head)."""
        today_d = _date(today)
        since_d = _date(since) if since is not None else today_d
        units = [self._unit_ref(u) for u in self.units()]
        everything, untrusted = self._read_all(_CASES)
        cases = [(i, c) for i, c in everything if c.state["stage"] != "closed"]
        # Every case read against its head: open ones owe their steps, closed ones cover their items.
        all_cases: List[Union[cunwu.DisclosureCase, str]] = [c for _, c in everything if isinstance(c, cunwu.DisclosureCase)]
        objections, untrusted_objections = self._read_all(_OBJECTIONS)
        open_objections: List[Union[cunwu.Objection, str]] = [
            o for _, o in objections
            if isinstance(o, cunwu.Objection) and o.state["stage"] not in ("closed", "withdrawn")
        ]
        due = self.rules.due_between(since_d, today_d, units=units, cases=all_cases, objections=open_objections)
        problems: List[Dict[str, Any]] = list(due.get("problems", [])) + [u.as_problem() for u in untrusted]
        wake_ups: Dict[str, Optional[datetime.date]] = {}
        for case_id, case in cases:
            assert isinstance(case, cunwu.DisclosureCase)
            problems += [_located(w.to_dict(), "case", case_id) for w in case.warnings]
            try:
                wake_ups[case_id] = case.next_wake_up(today_d)
            except cunwu.CunwuError as error:
                problems += [_located(d, "case", case_id) for d in error.details()]
        problems += [u.as_problem() for u in untrusted_objections]
        alerts = []
        for objection_id, objection in objections:
            assert isinstance(objection, cunwu.Objection)
            if objection.state["stage"] in ("closed", "withdrawn"):
                continue
            problems += [_located(w.to_dict(), "objection", objection_id) for w in objection.warnings]
            try:
                status = objection.status(today_d)
                wake_ups[objection_id] = objection.next_wake_up(today_d)
            except cunwu.CunwuError as error:
                problems += [_located(d, "objection", objection_id) for d in error.details()]
                continue
            found = []
            if status.get("may_escalate_for_lateness"):
                found.append(f"答复逾期 reply overdue {status['reply']['overdue_days']}d")
            for reprisal in status.get("reprisals", []):
                found.append(f"疑似打击报复 suspected reprisal {reprisal['action']} {reprisal['date']}")
            if found:
                alerts.append({"objection": objection_id, "level": status["level"], "alerts": found, "status": status})
        return NightlyReport(today_d, since_d, due["entries"], problems, wake_ups, alerts)

    # -- the monthly 考评 -----------------------------------------------------------------------

    def assess(self, as_of: DateLike, *, year: Optional[int] = None) -> Assessment:
        """The 考评 as of ``as_of``: the units table and the ``record_rows()`` of every stored case
        and objection, fed to ``Catalogue.assess`` with no mapping of the host's own. A log that
        fails its check is left out and listed in ``log_problems`` (and the report's own problems
        list bad rows); the rest of the city is still assessed."""
        as_of_d = _date(as_of)
        records: Dict[str, List[Dict[str, Any]]] = {"units": self.units()}
        cases, bad_cases = self._read_all(_CASES)
        objections, bad_objections = self._read_all(_OBJECTIONS)
        for _, journal in [*cases, *objections]:
            for table, rows in journal.record_rows().items():
                records.setdefault(table, []).extend(rows)
        report = self.rules.assess(records, year=year or as_of_d.year, as_of=as_of_d)
        counts = {table: len(rows) for table, rows in records.items() if rows}
        return Assessment(report, counts, [u.as_problem() for u in [*bad_cases, *bad_objections]])


# ---------------------------------------------------------------------------------------------
# What a worker process needs to make its own Host.
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HostConfig:
    """Everything a worker needs to build its ``Host``: picklable (the catalogue pickles as its
    rule files), so it can be passed to a ``multiprocessing`` worker. The key travels in memory
    from the parent, as it would from a secrets manager; it is not written anywhere."""

    rules: cunwu.Catalogue
    db: Database
    chain_key: bytes = dataclasses.field(repr=False)

    def host(self, **options: Any) -> Host:
        """A new Host (and connection) for this worker."""
        return Host(self.rules, self.db, self.chain_key, **options)


def main(argv: Sequence[str]) -> int:
    """``host.py schema [--dialect sqlite|postgres]``: print the schema."""
    args = list(argv)
    if not args or args[0] != "schema":
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    dialect: Dialect = "postgres" if "--dialect" in args and args[args.index("--dialect") + 1] == "postgres" else "sqlite"
    for statement in schema(dialect):
        print(statement + ";\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
