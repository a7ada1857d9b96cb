"""The reference host's database plumbing: where the tables are, how they are made, and how one
worker talks to them. Nothing here knows a rule of the library; ``host.py`` beside this file is the
service that uses it.

- ``Dialect``: SQLite (standard library) or PostgreSQL (psycopg 3, imported only when used);
- the **schema**: the tables (one text for both dialects) and the append-only triggers on the
  entries tables (one text per dialect), ``schema(dialect)`` in order;
- ``Database``: where the tables are (a SQLite file, or a PostgreSQL DSN and optionally a schema),
  picklable for a worker process, and ``create_schema()``;
- ``Connection``: one worker's connection, autocommit between explicit ``transaction()`` blocks,
  SQL with ``?`` placeholders, and the classification of a lost race (``is_race``,
  ``is_unique_violation``) that the host's retry loop needs.

Print the schema:  python3 examples/host/host.py schema [--dialect sqlite|postgres]
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sqlite3
from typing import Any, Iterator, List, Literal, Optional, Sequence, Tuple, Union

Dialect = Literal["sqlite", "postgres"]

#: The environment variable read by ``Database.from_env``: a PostgreSQL DSN (libpq string or URL).
DSN_VARIABLE = "CUNWU_HOST_DSN"


# ---------------------------------------------------------------------------------------------
# Schema: one text for both dialects (TEXT, INTEGER and BOOLEAN mean the same in both), plus the
# append-only triggers, which each dialect writes its own way.
# ---------------------------------------------------------------------------------------------

#: The tables. Entry lines are TEXT, never JSON/JSONB: the hash covers the exact bytes the library
#: returned, and a JSON column type may reorder keys or change number and string forms. Beside a
#: log only its head is kept (docs/host.md): stage, deadlines and wake-ups are derived from the log
#: and the day, and a stored copy would go stale. Dates are ISO text.
TABLES: Tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS units (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    township     TEXT NOT NULL,
    district     TEXT NOT NULL,
    areas        INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS submissions (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT,
    item         TEXT,
    period       TEXT,
    received_on  TEXT NOT NULL,
    body         TEXT NOT NULL,
    accepted     BOOLEAN NOT NULL,
    findings     TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS cases (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    period       TEXT NOT NULL,
    pipeline     TEXT NOT NULL,
    head         TEXT NOT NULL,
    UNIQUE (unit_id, period, pipeline)
)""",
    """CREATE TABLE IF NOT EXISTS case_entries (
    case_id      TEXT NOT NULL REFERENCES cases (id),
    idx          INTEGER NOT NULL CHECK (idx >= 0),
    line         TEXT NOT NULL,
    PRIMARY KEY (case_id, idx)
)""",
    """CREATE TABLE IF NOT EXISTS objections (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    case_id      TEXT REFERENCES cases (id),
    head         TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS objection_entries (
    objection_id TEXT NOT NULL REFERENCES objections (id),
    idx          INTEGER NOT NULL CHECK (idx >= 0),
    line         TEXT NOT NULL,
    PRIMARY KEY (objection_id, idx)
)""",
)

#: The tables no row of which is ever changed or removed by the host.
APPEND_ONLY = ("case_entries", "objection_entries")


def append_only_triggers(dialect: Dialect) -> List[str]:
    """The statements that make the entries tables append-only for the application's own SQL.

    They guard against a host's bug (an ORM's ``save()`` on an entry, a cleanup job), not against
    the table's owner, who can drop them: that is what the head and the chain key are for."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for table in APPEND_ONLY
            for op in ("UPDATE", "DELETE")
        ]
    statements = [
        "CREATE OR REPLACE FUNCTION cunwu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$"
    ]
    statements += [
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION cunwu_append_only()"
        for table in APPEND_ONLY
    ]
    return statements


def schema(dialect: Dialect) -> List[str]:
    """Every statement that creates the host's tables in ``dialect``, in order."""
    return [*TABLES, *append_only_triggers(dialect)]


# ---------------------------------------------------------------------------------------------
# The database: a connection per worker, `?` placeholders, explicit transactions.
# ---------------------------------------------------------------------------------------------

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclasses.dataclass(frozen=True)
class Database:
    """Where the host's tables are: a SQLite file, or a PostgreSQL DSN and optionally a schema
    (``search_path``) inside it. Picklable, so a worker process can be given one."""

    dialect: Dialect
    target: str
    schema: Optional[str] = None

    def __post_init__(self) -> None:
        if self.dialect not in ("sqlite", "postgres"):
            raise ValueError(f"unknown dialect {self.dialect!r}")
        if self.schema is not None and not _SCHEMA_NAME.match(self.schema):
            raise ValueError(f"not a plain schema name: {self.schema!r}")

    @staticmethod
    def sqlite(path: Union[str, os.PathLike[str]]) -> "Database":
        """A SQLite database file (created when missing)."""
        return Database("sqlite", os.fspath(path))

    @staticmethod
    def postgres(dsn: str, schema: Optional[str] = None) -> "Database":
        """A PostgreSQL database; with ``schema``, the host's tables live in that schema."""
        return Database("postgres", dsn, schema)

    @staticmethod
    def from_env(sqlite_path: Union[str, os.PathLike[str]], *, schema: Optional[str] = None) -> "Database":
        """PostgreSQL when ``CUNWU_HOST_DSN`` is set (in ``schema`` when given), else SQLite at
        ``sqlite_path``."""
        dsn = os.environ.get(DSN_VARIABLE)
        return Database.postgres(dsn, schema) if dsn else Database.sqlite(sqlite_path)

    def describe(self) -> str:
        """A label for logs, without the DSN's password."""
        if self.dialect == "sqlite":
            return f"SQLite {self.target}"
        target = re.sub(r"(password=)\S+", r"\1***", re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", self.target))
        return f"PostgreSQL {target}" + (f" (schema {self.schema})" if self.schema else "")

    def connect(self) -> "Connection":
        """A new connection (one per worker: connections are not shared between threads)."""
        return Connection(self)

    def create_schema(self) -> None:
        """Create the schema (the PostgreSQL schema too, when named), the tables and the
        triggers; a no-op for those that exist. Run once, before the workers start."""
        conn = self.connect()
        try:
            if self.dialect == "sqlite":
                # WAL: readers never wait for a writer; the setting stays with the file.
                conn.query("PRAGMA journal_mode=WAL")
            with conn.transaction():
                if self.dialect == "postgres" and self.schema:
                    # The connection's search_path names it already; it resolves once created.
                    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                for statement in schema(self.dialect):
                    conn.execute(statement)
        finally:
            conn.close()


class Raced(Exception):
    """The write transaction lost to another writer; read again and retry. Raised inside a
    ``transaction()`` block (which then rolls back) when a conditional write matched no row;
    ``Connection.is_race`` counts it as a lost race."""


class Connection:
    """One connection, in autocommit mode between transactions: a single ``SELECT`` sees one
    consistent snapshot on both databases, and writes happen in ``transaction()`` blocks only.
    SQL is written with ``?`` placeholders (turned into ``%s`` for psycopg)."""

    def __init__(self, db: Database) -> None:
        self.dialect: Dialect = db.dialect
        self._raw: Any
        if db.dialect == "sqlite":
            raw = sqlite3.connect(db.target, timeout=30.0, isolation_level=None)
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute("PRAGMA busy_timeout = 30000")
            self._raw = raw
        else:
            import psycopg  # only needed for PostgreSQL

            self._raw = psycopg.connect(db.target, autocommit=True)
            if db.schema:
                self._raw.execute(f'SET search_path TO "{db.schema}"')

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    @staticmethod
    def _params(params: Sequence[Any]) -> Optional[Tuple[Any, ...]]:
        # psycopg parses `%` only when given parameters (the trigger's text holds one).
        return tuple(params) or None

    def query(self, sql: str, params: Sequence[Any] = ()) -> List[Tuple[Any, ...]]:
        """Run one statement and return its rows (none for a statement without rows)."""
        if self.dialect == "sqlite":
            return list(self._raw.execute(sql, tuple(params)).fetchall())
        with self._raw.cursor() as cur:
            cur.execute(self._sql(sql), self._params(params))
            return list(cur.fetchall()) if cur.description else []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (inside ``transaction()``) and return the number of rows it changed."""
        if self.dialect == "sqlite":
            return int(self._raw.execute(sql, tuple(params)).rowcount)
        with self._raw.cursor() as cur:
            cur.execute(self._sql(sql), self._params(params))
            return int(cur.rowcount)

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Connection"]:
        """A write transaction: committed when the block ends, rolled back when it raises. On
        SQLite it takes the write lock at once (``BEGIN IMMEDIATE``), so two writers queue instead
        of failing halfway; on PostgreSQL it runs at READ COMMITTED, where the conditional UPDATE
        of the head waits for a concurrent writer's commit and then matches no row."""
        if self.dialect == "sqlite":
            self._raw.execute("BEGIN IMMEDIATE")
            try:
                yield self
                self._raw.execute("COMMIT")
            except BaseException:
                if self._raw.in_transaction:  # some errors end the transaction themselves
                    self._raw.execute("ROLLBACK")
                raise
        else:
            with self._raw.transaction():
                yield self

    def is_unique_violation(self, error: BaseException) -> bool:
        """Whether ``error`` is a primary or unique key already taken (by another writer)."""
        if self.dialect == "sqlite":
            if not isinstance(error, sqlite3.IntegrityError):
                return False
            name = getattr(error, "sqlite_errorname", "")
            return name in ("SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE") or (
                not name and "UNIQUE constraint failed" in str(error)
            )
        import psycopg

        return isinstance(error, psycopg.errors.UniqueViolation)

    def is_race(self, error: BaseException) -> bool:
        """Whether ``error`` means another writer got there first (the head moved, a unique key
        taken, a lock or serialization failure): the transaction was rolled back; read again."""
        if isinstance(error, Raced) or self.is_unique_violation(error):
            return True
        if self.dialect == "sqlite":
            return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
        import psycopg

        return isinstance(error, (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected))

    def close(self) -> None:
        """Close the connection."""
        self._raw.close()
