"""What someone who can write the host's tables, but does not hold the chain key, can do to a
stored log: the demo and the tests use it to show what the host detects, and what it cannot
detect by itself (a log cut back together with its stored head; see ``Host.verify_checkpoint``).

An attacker here is the tables' owner: the append-only triggers are switched off around each
change and switched on again, as a DBA could. Everything a plain SHA-256 chain allows is done
exactly as the library would (same canonical JSON, same chaining), so a forgery is caught by the
key, not by a slip in the forging.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from db import APPEND_ONLY, Connection, Database, append_only_triggers

GENESIS = "0" * 64

#: The log tables: (table of rows with the head, table of entries, the entries' key column).
TABLES: Dict[str, Tuple[str, str, str]] = {
    "case": ("cases", "case_entries", "case_id"),
    "objection": ("objections", "objection_entries", "objection_id"),
}


@contextlib.contextmanager
def _as_owner(db: Database) -> Iterator[Connection]:
    """A transaction with the append-only triggers off, on again before it commits."""
    conn = db.connect()
    try:
        with conn.transaction():
            if db.dialect == "sqlite":
                for table in APPEND_ONLY:
                    for op in ("update", "delete"):
                        conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            else:
                for table in APPEND_ONLY:
                    conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            yield conn
            if db.dialect == "sqlite":
                for statement in append_only_triggers("sqlite"):
                    conn.execute(statement)
            else:
                for table in APPEND_ONLY:
                    conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    finally:
        conn.close()


def entries(db: Database, kind: str, log_id: str) -> List[Dict[str, Any]]:
    """The stored entries of a log, parsed (key order kept), in index order."""
    _, table, fk = TABLES[kind]
    conn = db.connect()
    try:
        rows = conn.query(f"SELECT line FROM {table} WHERE {fk} = ? ORDER BY idx", (log_id,))
    finally:
        conn.close()
    return [json.loads(line) for (line,) in rows]


def stored_head(db: Database, kind: str, log_id: str) -> str:
    """The head stored in the log's row."""
    rows_table = TABLES[kind][0]
    conn = db.connect()
    try:
        return str(conn.query(f"SELECT head FROM {rows_table} WHERE id = ?", (log_id,))[0][0])
    finally:
        conn.close()


def line_of(entry: Dict[str, Any]) -> str:
    """An entry as the library writes it: compact JSON, keys in the entry's order."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def plain_hash(entry: Dict[str, Any]) -> str:
    """The SHA-256 the library gives an unkeyed entry: of every field but ``hash``."""
    content = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(line_of(content).encode("utf-8")).hexdigest()


def rechain(items: List[Dict[str, Any]], *, keep_marks: bool, start: int = 0) -> List[Dict[str, Any]]:
    """Renumber ``items`` and recompute the chain from ``start`` with plain SHA-256, as anyone can
    without the key. ``keep_marks=False`` drops every entry's ``keyed`` mark (the forgery then
    reads as a plain log); ``True`` keeps them (the hashes are then not the key's HMACs)."""
    out: List[Dict[str, Any]] = []
    prev = GENESIS if start == 0 else items[start - 1]["hash"]
    for i, entry in enumerate(items):
        if i < start:
            out.append(entry)
            continue
        # The library's field order: index first, then the content, prev_hash, hash.
        content = {k: v for k, v in entry.items() if k not in ("index", "prev_hash", "hash")}
        if not keep_marks:
            content.pop("keyed", None)
        forged = {"index": i, **content, "prev_hash": prev}
        forged["hash"] = plain_hash(forged)
        prev = forged["hash"]
        out.append(forged)
    return out


def write(db: Database, kind: str, log_id: str, items: List[Dict[str, Any]], *, head: Optional[str]) -> None:
    """Replace a log's entries with ``items`` (and its stored head with ``head`` when given)."""
    rows_table, table, fk = TABLES[kind]
    with _as_owner(db) as conn:
        conn.execute(f"DELETE FROM {table} WHERE {fk} = ?", (log_id,))
        for entry in items:
            conn.execute(f"INSERT INTO {table} ({fk}, idx, line) VALUES (?, ?, ?)", (log_id, entry["index"], line_of(entry)))
        if head is not None:
            conn.execute(f"UPDATE {rows_table} SET head = ? WHERE id = ?", (head, log_id))


def head_of(items: List[Dict[str, Any]]) -> str:
    """The head of a list of entries, as the library writes it."""
    return f"{len(items)}:{items[-1]['hash'] if items else GENESIS}"


def truncate(db: Database, kind: str, log_id: str, k: int, *, move_head: bool = False) -> List[Dict[str, Any]]:
    """Delete the last ``k`` entries; with ``move_head``, set the stored head to the shorter log's
    (an earlier genuine head: nothing to forge). Returns the entries removed."""
    items = entries(db, kind, log_id)
    kept, removed = items[: len(items) - k], items[len(items) - k :]
    write(db, kind, log_id, kept, head=head_of(kept) if move_head else None)
    return removed


def restore(db: Database, kind: str, log_id: str, items: List[Dict[str, Any]], head: str) -> None:
    """Put a log back as it was (entries and head)."""
    write(db, kind, log_id, items, head=head)


def forge(
    db: Database,
    kind: str,
    log_id: str,
    edit: Callable[[List[Dict[str, Any]]], List[Dict[str, Any]]],
    *,
    keep_marks: bool,
) -> str:
    """Rewrite a log as an attacker without the key: ``edit`` the entries (change, drop, add),
    recompute the chain from the first changed entry with plain SHA-256 (from the first entry
    when the marks are dropped) and store the forged head beside it. Returns that head."""
    items = entries(db, kind, log_id)
    edited = edit(json.loads(json.dumps(items)))
    start = 0
    if keep_marks:
        while start < min(len(items), len(edited)) and edited[start] == items[start]:
            start += 1
    forged = rechain(edited, keep_marks=keep_marks, start=start)
    head = head_of(forged)
    write(db, kind, log_id, forged, head=head)
    return head
