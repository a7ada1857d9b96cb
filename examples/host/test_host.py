"""Tests of the reference host (examples/host/host.py and db.py) on a real database.

Every test runs on SQLite, and on PostgreSQL when ``CUNWU_HOST_DSN`` is set (each test in a
schema of its own, dropped afterwards). ``scripts/test-host`` runs both, starting a throwaway
PostgreSQL server. Run one database by hand:

    python3 -m pytest -q examples/host/test_host.py                       # SQLite (PostgreSQL skipped)
    CUNWU_HOST_DSN="host=… dbname=…" python3 -m pytest -q examples/host   # both
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import secrets
import sys
import threading
import uuid
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cunwu  # noqa: E402

import host as h  # noqa: E402
import tamper  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

COMMITTEE = {"id": "cw-01", "role": "committee"}
SUPERVISION = {"id": "jw-01", "role": "supervision_committee"}
MEETING = {"id": "cw-meeting", "role": "committee_meeting"}
TOWNSHIP = {"id": "town-01", "role": "township_officer"}
RESIDENT = {"id": "resident-0042", "role": "resident"}
BOARD: Dict[str, Any] = {"boards": ["村便民服务中心公开栏"], "reported_at_meeting": True, "printed_copies": True}

VILLAGE = {"id": "cq-t-001", "name": "示例村", "kind": "village", "township": "示例镇", "district": "示例区"}
RIVER = {"id": "cq-t-002", "name": "河湾村", "kind": "village", "township": "示例镇", "district": "示例区"}
BRIDGE = {"id": "cq-t-003", "name": "新桥社区", "kind": "community", "township": "示例街道", "district": "示例区"}

Step = Tuple[str, Dict[str, Any], Dict[str, Any]]


def plan(rules: cunwu.Catalogue, kind: str = "village", period: str = "2026-Q1", district: Optional[str] = None) -> Dict[str, Any]:
    """A complete plan for the period, to be published on 04-15."""
    items = sorted({i["id"] for i in rules.plan_requirements(kind, period, district=district)})
    return {"type": "plan_proposed", "items": items, "planned_publication": "2026-04-15", "boards": BOARD["boards"]}


def to_publication(rules: cunwu.Catalogue, kind: str = "village", district: Optional[str] = None) -> List[Step]:
    """The steps of a Q1 case up to its publication on 04-15."""
    return [
        ("2026-04-02", COMMITTEE, plan(rules, kind, district=district)),
        ("2026-04-05", SUPERVISION, {"type": "plan_reviewed"}),
        ("2026-04-09", MEETING, {"type": "plan_decided"}),
        ("2026-04-15", COMMITTEE, {"type": "published", **BOARD}),
    ]


def full_quarter(rules: cunwu.Catalogue) -> List[Step]:
    """examples/python/procedure.py's quarter: objection answered, published, filed, rectification,
    re-publication, re-filing, acceptance (11 entries with the opening)."""
    return [
        ("2026-04-02", COMMITTEE, plan(rules)),
        ("2026-04-05", SUPERVISION, {"type": "plan_reviewed", "objection": "“十公开”事项未列明享受人员名单"}),
        ("2026-04-08", COMMITTEE, {"type": "objection_answered", "accepted": True, "answer": "已补充名单"}),
        ("2026-04-09", MEETING, {"type": "plan_decided"}),
        ("2026-04-15", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-04-17", COMMITTEE, {"type": "filed"}),
        ("2026-04-28", TOWNSHIP, {"type": "rectification_ordered", "reasons": ["财务收支明细不全"]}),
        ("2026-05-06", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-05-08", COMMITTEE, {"type": "filed"}),
        ("2026-05-20", TOWNSHIP, {"type": "review_accepted"}),
    ]


def filed_objection(unit: Dict[str, Any], period: str = "2026-Q1") -> Dict[str, Any]:
    """A resident's objection to the unit's disclosure for ``period``, at the committee."""
    return {
        "type": "filed",
        "unit": {"id": unit["id"], "kind": unit["kind"]},
        "objector": {"kind": "resident", "id": RESIDENT["id"]},
        "subject": {"kind": "disclosure", "aspect": "content", "case": {"unit_id": unit["id"], "period": period}},
        "level": "committee",
        "text": "三月财务收支公开缺少支出明细",
    }


# ---------------------------------------------------------------------------------------------
# Fixtures: each test gets its own database (a SQLite file, or a PostgreSQL schema).
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules() -> cunwu.Catalogue:
    return cunwu.Catalogue.bundled()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[h.Database]:
    if request.param == "sqlite":
        database = h.Database.sqlite(tmp_path / "host.db")
        database.create_schema()
        yield database
        return
    dsn = os.environ.get(h.DSN_VARIABLE)
    if not dsn:
        pytest.skip(f"{h.DSN_VARIABLE} is not set: the PostgreSQL variant runs under scripts/test-host, "
                    "which starts a throwaway server")
    database = h.Database.postgres(dsn, schema=f"t_{uuid.uuid4().hex[:16]}")
    database.create_schema()
    yield database
    conn = database.connect()
    try:
        with conn.transaction():
            conn.execute(f'DROP SCHEMA "{database.schema}" CASCADE')
    finally:
        conn.close()


@pytest.fixture
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def config(rules: cunwu.Catalogue, db: h.Database, key: bytes) -> h.HostConfig:
    return h.HostConfig(rules, db, key)


@pytest.fixture
def host(config: h.HostConfig) -> Iterator[h.Host]:
    with config.host() as service:
        for unit in (VILLAGE, RIVER, BRIDGE):
            service.add_unit(unit)
        yield service


def open_and_apply(host: h.Host, unit: Dict[str, Any], steps: List[Step], prefix: str) -> str:
    """Open the unit's Q1 case and apply ``steps``, each its own delivery; the case id."""
    case_id = host.open_case(unit["id"], "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key=f"{prefix}-open").log_id
    for n, (date, actor, event) in enumerate(steps):
        assert host.record(case_id, date, actor, event, idempotency_key=f"{prefix}-{n}").status == "applied"
    return case_id


def stored(db: h.Database, kind: str, log_id: str) -> Tuple[str, List[str]]:
    """The stored head and lines of a log, as stored (read directly, not through the host)."""
    _, table, fk = tamper.TABLES[kind]
    conn = db.connect()
    try:
        lines = [str(r[0]) for r in conn.query(f"SELECT line FROM {table} WHERE {fk} = ? ORDER BY idx", (log_id,))]
    finally:
        conn.close()
    return tamper.stored_head(db, kind, log_id), lines


def count_rows(db: h.Database, table: str) -> int:
    conn = db.connect()
    try:
        return int(conn.query(f"SELECT COUNT(*) FROM {table}")[0][0])
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Schema and storage
# ---------------------------------------------------------------------------------------------


def test_schema_is_idempotent_and_entries_are_append_only(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    db.create_schema()  # again: a no-op
    case_id = open_and_apply(host, VILLAGE, to_publication(rules)[:1], "s")
    conn = db.connect()
    try:
        for statement in ("UPDATE case_entries SET line = line", "DELETE FROM case_entries"):
            with pytest.raises(Exception, match="append-only"):
                with conn.transaction():
                    conn.execute(statement)
        # The unique (case, index) key: a second entry 1, however it got there, is refused.
        with pytest.raises(Exception) as raised:
            with conn.transaction():
                conn.execute("INSERT INTO case_entries (case_id, idx, line) VALUES (?, 1, '{}')", (case_id,))
        assert conn.is_unique_violation(raised.value)
    finally:
        conn.close()
    assert len(host.read_case(case_id)) == 2


def test_stored_lines_and_head_are_exactly_the_librarys(host: h.Host, db: h.Database, rules: cunwu.Catalogue, key: bytes) -> None:
    case_id = open_and_apply(host, VILLAGE, full_quarter(rules), "q")
    # The same deliveries made in memory with the same key give the same log, byte for byte.
    memory = cunwu.DisclosureCase.open(rules, "2026-04-01", COMMITTEE, {"id": VILLAGE["id"], "kind": "village", "name": "示例村"},
                                       "2026-Q1", idempotency_key="q-open", chain_key=key)
    for n, (date, actor, event) in enumerate(full_quarter(rules)):
        memory.apply(date, actor, event, idempotency_key=f"q-{n}")
    head, lines = stored(db, "case", case_id)
    assert case_id == memory.id
    assert head == memory.head
    assert "".join(line + "\n" for line in lines) == memory.to_jsonl()
    case = host.read_case(case_id)
    assert case.keyed and case.state["stage"] == "closed" and len(case) == 11
    conn = db.connect()
    try:  # beside the log, only its head (and what the row is: unit, period, pipeline)
        assert conn.query("SELECT unit_id, period, pipeline, head FROM cases WHERE id = ?", (case_id,)) == [
            (VILLAGE["id"], "2026-Q1", "general", memory.head)]
    finally:
        conn.close()
    # The key is written nowhere: in no row of any table (nor, for SQLite, in the files).
    conn = db.connect()
    try:
        for table in ("units", "submissions", "cases", "case_entries", "objections", "objection_entries"):
            for row in conn.query(f"SELECT * FROM {table}"):
                assert not any(key.hex() in str(value) for value in row), table
    finally:
        conn.close()
    if db.dialect == "sqlite":
        for path in (db.target, db.target + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    content = f.read()
                assert key not in content and key.hex().encode() not in content


# ---------------------------------------------------------------------------------------------
# The flows
# ---------------------------------------------------------------------------------------------


def test_submissions_are_validated_stored_and_answered_once(host: h.Host, db: h.Database) -> None:
    def load(name: str) -> Dict[str, Any]:
        with open(os.path.join(REPO, "examples/submissions", f"{name}.json"), encoding="utf-8") as f:
            return dict(json.load(f))

    good = host.submit("sub-1", load("finance-good"), "2026-04-15")
    bad = host.submit("sub-2", load("finance-bad"), "2026-04-15")
    assert (good.status, good.accepted, good.findings) == ("received", True, [])
    assert bad.status == "received" and not bad.accepted and bad.findings
    again = host.submit("sub-2", load("finance-bad"), "2026-04-16")
    assert (again.status, again.accepted, again.findings) == ("already_received", False, bad.findings)
    with pytest.raises(h.IdempotencyConflict):
        host.submit("sub-1", load("finance-bad"), "2026-04-15")
    assert count_rows(db, "submissions") == 2


def test_five_steps_refusals_change_nothing(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, VILLAGE, to_publication(rules)[:1], "r")
    before = stored(db, "case", case_id)
    with pytest.raises(cunwu.ProcedureError):  # skipping the review and the decision
        host.record(case_id, "2026-04-15", COMMITTEE, {"type": "published", **BOARD}, idempotency_key="r-skip")
    with pytest.raises(cunwu.ProcedureError):  # the wrong role
        host.record(case_id, "2026-04-05", COMMITTEE, {"type": "plan_reviewed"}, idempotency_key="r-role")
    assert stored(db, "case", case_id) == before


def test_opening_twice(host: h.Host) -> None:
    first = host.open_case(VILLAGE["id"], "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key="o-1")
    again = host.open_case(VILLAGE["id"], "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key="o-1")
    assert (first.status, again.status, again.log_id) == ("applied", "already_applied", first.log_id)
    with pytest.raises(h.CaseExists) as exists:
        host.open_case(VILLAGE["id"], "2026-Q1", "2026-04-02", COMMITTEE, idempotency_key="o-2")
    assert exists.value.case_id == first.log_id
    with pytest.raises(h.IdempotencyConflict):
        host.open_case(VILLAGE["id"], "2026-Q1", "2026-04-03", COMMITTEE, idempotency_key="o-1")
    with pytest.raises(h.NotFound):
        host.open_case("no-such-unit", "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key="o-3")
    assert host.find_case(VILLAGE["id"], "2026-Q1") == first.log_id


def test_a_form_showing_an_old_head_is_refused_by_the_library(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, VILLAGE, to_publication(rules)[:2], "f")
    shown = host.read_case(case_id).head
    host.record(case_id, "2026-04-09", MEETING, {"type": "plan_decided"}, idempotency_key="f-decide")
    before = stored(db, "case", case_id)
    with pytest.raises(h.StaleHead) as stale:
        host.record(case_id, "2026-04-15", COMMITTEE, {"type": "published", **BOARD},
                    idempotency_key="f-publish", expected_head=shown)
    assert stale.value.code == "LOG_CONFLICT" and stale.value.error.code == "LOG_CONFLICT"
    assert stored(db, "case", case_id) == before
    fresh = host.record(case_id, "2026-04-15", COMMITTEE, {"type": "published", **BOARD},
                        idempotency_key="f-publish", expected_head=before[0])
    assert fresh.status == "applied" and fresh.attempts == 1


def test_objection_escalated_upheld_and_the_case_published_again(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "c")
    with pytest.raises(h.WrongCase):
        host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER, "2026-Q2"), idempotency_key="o-q2", case_id=case_id)
    with pytest.raises(h.WrongCase):
        host.file_objection("2026-04-20", RESIDENT, filed_objection(VILLAGE), idempotency_key="o-v", case_id=case_id)
    oid = host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER), idempotency_key="o-file", case_id=case_id).log_id
    assert host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER), idempotency_key="o-file",
                               case_id=case_id).status == "already_applied"
    assert host.read_objection(oid).status("2026-04-24")["may_escalate_for_lateness"]
    host.record_objection(oid, "2026-04-24", RESIDENT, {"type": "escalated", "reason": "overdue"}, idempotency_key="o-esc")
    assert host.read_objection(oid).state["level"] == "township"
    host.record_objection(oid, "2026-04-29", TOWNSHIP, {"type": "replied", "outcome": "upheld", "reasons": "确有遗漏",
                                                         "written": True}, idempotency_key="o-reply")
    on_objection, on_case = host.order_correction(oid, "2026-04-29", TOWNSHIP, idempotency_key="o-correct")
    assert on_objection.status == "applied" and on_case is not None and on_case.status == "applied"
    # Delivered again (a crash after the first half, say): nothing doubled.
    again = host.order_correction(oid, "2026-04-29", TOWNSHIP, idempotency_key="o-correct")
    assert [r.status for r in again if r] == ["already_applied", "already_applied"]
    case = host.read_case(case_id)
    assert case.state["stage"] == "republication_required"
    assert case.log[-1]["event"] == {"type": "correction_required", "objection": oid}
    host.record(case_id, "2026-05-06", COMMITTEE, {"type": "published", **BOARD}, idempotency_key="c-again")
    host.record_objection(oid, "2026-05-06", COMMITTEE, {"type": "republished"}, idempotency_key="o-done")
    objection = host.read_objection(oid)
    assert objection.state["stage"] == "closed" and objection.keyed
    conn = db.connect()
    try:
        assert conn.query("SELECT unit_id, case_id, head FROM objections WHERE id = ?", (oid,)) == [
            (RIVER["id"], case_id, objection.head)]
    finally:
        conn.close()
    with pytest.raises(cunwu.ObjectionError):  # closed: no more replies
        host.record_objection(oid, "2026-05-07", TOWNSHIP, {"type": "replied", "outcome": "dismissed", "reasons": "-",
                                                             "written": True}, idempotency_key="o-late")


def test_the_log_limit_refuses_before_anything_is_stored(db: h.Database, key: bytes) -> None:
    small = cunwu.Catalogue.bundled().with_limits(max_log_entries=2)
    with h.Host(small, db, key) as service:
        service.add_unit(VILLAGE)
        case_id = open_and_apply(service, VILLAGE, to_publication(small)[:1], "l")
        before = stored(db, "case", case_id)
        with pytest.raises(cunwu.LogError) as too_large:
            service.record(case_id, "2026-04-05", SUPERVISION, {"type": "plan_reviewed"}, idempotency_key="l-3")
        assert too_large.value.code == "LOG_TOO_LARGE"
        assert stored(db, "case", case_id) == before
        assert len(service.read_case(case_id)) == 2  # still readable: the case is not stuck


# ---------------------------------------------------------------------------------------------
# Someone edits the tables without the key
# ---------------------------------------------------------------------------------------------


def test_truncation_by_any_number_of_entries_is_detected(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, VILLAGE, full_quarter(rules), "t")
    head, _ = stored(db, "case", case_id)
    for k in range(1, 12):
        removed = tamper.truncate(db, "case", case_id, k)
        with pytest.raises(h.UntrustedLog) as refused:
            host.read_case(case_id)
        assert refused.value.code == "LOG_TRUNCATED", k  # all 11 removed too
        with pytest.raises(h.UntrustedLog):  # nothing is appended to it either
            host.record(case_id, "2026-05-21", TOWNSHIP, {"type": "review_accepted"}, idempotency_key=f"t-x{k}")
        tamper.restore(db, "case", case_id, tamper.entries(db, "case", case_id) + removed, head)
        assert host.read_case(case_id).state["stage"] == "closed"


def test_truncation_is_reported_by_the_nightly_job_and_the_assessment(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "n")
    tamper.truncate(db, "case", case_id, 1)
    report = host.nightly("2026-04-25")
    assert [(p["code"], p["location"]["case"]) for p in report.problems] == [("LOG_TRUNCATED", case_id)]
    assessment = host.assess("2026-05-31")
    assert [p["code"] for p in assessment.log_problems] == ["LOG_TRUNCATED"]


def test_entries_added_without_the_head_are_detected(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, VILLAGE, to_publication(rules), "a")
    head, _ = stored(db, "case", case_id)
    host.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="a-filed")
    # Genuine entries, an older head: the entries table restored from a later backup than the
    # cases table, or an insert that bypassed the head's update.
    conn = db.connect()
    try:
        with conn.transaction():
            conn.execute("UPDATE cases SET head = ? WHERE id = ?", (head, case_id))
    finally:
        conn.close()
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert refused.value.code == "LOG_UNEXPECTED_ENTRIES"
    # A forged entry appended without the key is refused at that entry, head or no head.
    genuine = tamper.entries(db, "case", case_id)

    def add_review(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return [*items, {**items[-1], "date": "2026-04-20", "actor": TOWNSHIP, "event": {"type": "review_accepted"},
                         "idempotency_key": "forged"}]

    tamper.forge(db, "case", case_id, add_review, keep_marks=True)
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert (refused.value.code, refused.value.pointer) == ("LOG_HASH", f"/{len(genuine)}")


def test_a_log_of_the_heads_length_ending_elsewhere_is_detected(
    host: h.Host, db: h.Database, rules: cunwu.Catalogue, key: bytes
) -> None:
    case_id = open_and_apply(host, RIVER, [*to_publication(rules), ("2026-04-17", COMMITTEE, {"type": "filed"})], "x")
    head, lines = stored(db, "case", case_id)
    # A replica that diverged (written with the key, so the chain is genuine): the same first five
    # entries, then a take-down instead of the filing. Same length, another last entry.
    replica = cunwu.DisclosureCase.from_jsonl(rules, "".join(line + "\n" for line in lines[:5]), chain_key=key)
    other = replica.append("2026-04-30", COMMITTEE, {"type": "taken_down"}, idempotency_key="x-other")
    tamper.write(db, "case", case_id, [json.loads(line) for line in lines[:5]] + [json.loads(other["line"])], head=None)
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert refused.value.code == "LOG_REWRITTEN"


def test_rewritten_entries_are_detected_with_the_key(host: h.Host, db: h.Database, rules: cunwu.Catalogue, key: bytes) -> None:
    case_id = open_and_apply(host, VILLAGE, full_quarter(rules), "w")

    # An entry changed in place, chain left alone: its hash no longer matches.
    def soften(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        items[7]["event"]["reasons"] = ["无问题"]
        return items

    original = tamper.entries(db, "case", case_id)
    head, _ = stored(db, "case", case_id)
    changed = soften(json.loads(json.dumps(original)))
    tamper.write(db, "case", case_id, changed, head=None)
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert (refused.value.code, refused.value.pointer) == ("LOG_HASH", "/7")
    tamper.restore(db, "case", case_id, original, head)

    # The forgery: the rectification order, re-publication and re-filing (entries 7-9)
    # removed, the chain recomputed and the head updated — with the keyed marks dropped ...
    def drop_rectification(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return items[:7] + items[10:]

    forged_head = tamper.forge(db, "case", case_id, drop_rectification, keep_marks=False)
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert (refused.value.code, refused.value.pointer) == ("LOG_NOT_KEYED", "/0")
    # ... which is why the host always reads with its key: without it, the forgery passes as a
    # plain log, closed and consistent with its (forged) head.
    _, lines = stored(db, "case", case_id)
    plain = cunwu.DisclosureCase.from_jsonl(rules, "".join(line + "\n" for line in lines), expected_head=forged_head)
    assert plain.state["stage"] == "closed" and len(plain) == 8 and not plain.keyed
    tamper.restore(db, "case", case_id, original, head)

    # ... and with the marks kept: the first rewritten entry's hash is not the key's HMAC.
    tamper.forge(db, "case", case_id, drop_rectification, keep_marks=True)
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(case_id)
    assert (refused.value.code, refused.value.pointer) == ("LOG_HASH", "/7")
    tamper.restore(db, "case", case_id, original, head)
    assert host.read_case(case_id).state["stage"] == "closed"


def test_a_genuine_log_copied_under_another_case_is_refused(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    good = open_and_apply(host, VILLAGE, full_quarter(rules), "g")
    late = open_and_apply(host, RIVER, to_publication(rules), "l")
    # Both logs are genuine and keyed; the late one's rows now hold the closed one's entries and head.
    tamper.write(db, "case", late, tamper.entries(db, "case", good), head=tamper.stored_head(db, "case", good))
    with pytest.raises(h.UntrustedLog) as refused:
        host.read_case(late)
    assert refused.value.code == "HOST_LOG_MISPLACED"
    assert host.read_case(good).state["stage"] == "closed"


def test_a_log_cut_back_with_its_head_needs_a_checkpoint_kept_elsewhere(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "k")
    checkpoint = host.heads()
    assert host.verify_checkpoint(checkpoint) == []
    host.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="k-file")
    assert host.verify_checkpoint(checkpoint) == []  # grown since: still extends the checkpoint
    tamper.truncate(db, "case", case_id, 3, move_head=True)
    # An earlier genuine head with its genuine entries: the stored head cannot tell.
    assert host.read_case(case_id).state["stage"] == "reviewed"
    problems = host.verify_checkpoint(checkpoint)
    assert [(p["code"], p["log"]) for p in problems] == [("HOST_ROLLED_BACK", case_id)]


# ---------------------------------------------------------------------------------------------
# Workers at once: threads and processes, forced to read the same head before either writes
# ---------------------------------------------------------------------------------------------

Delivery = Tuple[str, Dict[str, Any], Dict[str, Any], str]  # date, actor, event, idempotency key
Outcome = Tuple[str, str, int]  # ("applied" | "already_applied" | "refused", code or "", attempts)


def _deliver(config: h.HostConfig, kind: str, log_id: str, delivery: Delivery, wait: Callable[[], object]) -> Outcome:
    """One worker: its own Host, delivering one event; it waits for the others on its first
    attempt only, after reading and before writing."""
    date, actor, event, idempotency_key = delivery

    def before_write(_: str, attempt: int) -> None:
        if attempt == 1:
            wait()

    with config.host(before_write=before_write) as worker:
        record = worker.record if kind == "case" else worker.record_objection
        try:
            done = record(log_id, date, actor, event, idempotency_key=idempotency_key)
        except (cunwu.ProcedureError, cunwu.ObjectionError) as error:
            return ("refused", error.code, 0)
    return (done.status, "", done.attempts)


def _process_worker(config: h.HostConfig, kind: str, log_id: str, delivery: Delivery,
                    barrier: Any, results: Any, n: int) -> None:
    """A worker process: the result (or the error) goes back on ``results``."""
    try:
        results.put((n, _deliver(config, kind, log_id, delivery, lambda: barrier.wait(30))))
    except BaseException as error:  # reported to the test, which fails on it
        barrier.abort()
        results.put((n, ("error", repr(error), 0)))


def run_workers(config: h.HostConfig, kind: str, log_id: str, deliveries: List[Delivery], how: str) -> List[Outcome]:
    """Deliver each of ``deliveries`` from its own worker (``how``: threads or processes), all
    at once; the outcomes in delivery order."""
    if how == "threads":
        barrier = threading.Barrier(len(deliveries), timeout=30)
        outcomes: Dict[int, Outcome] = {}

        def work(n: int, delivery: Delivery) -> None:
            try:
                outcomes[n] = _deliver(config, kind, log_id, delivery, barrier.wait)
            except BaseException as error:
                barrier.abort()
                outcomes[n] = ("error", repr(error), 0)

        threads = [threading.Thread(target=work, args=(n, d)) for n, d in enumerate(deliveries)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return [outcomes[n] for n in range(len(deliveries))]
    ctx = multiprocessing.get_context("spawn")  # no connection or library state crosses a fork
    pbarrier = ctx.Barrier(len(deliveries))
    results = ctx.Queue()
    procs = [ctx.Process(target=_process_worker, args=(config, kind, log_id, d, pbarrier, results, n))
             for n, d in enumerate(deliveries)]
    for p in procs:
        p.start()
    got = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return [got[n] for n in range(len(deliveries))]


def assert_nothing_lost(log: List[Dict[str, Any]], deliveries: List[Delivery], outcomes: List[Outcome]) -> None:
    """Every delivery told "applied" or "already applied" is in the log exactly once; a refused
    one is not in it; no outcome is an error; the race was real (someone retried)."""
    assert all(o[0] in ("applied", "already_applied", "refused") for o in outcomes), outcomes
    for (_, _, event, idem), (status, code, _) in zip(deliveries, outcomes):
        made = [e for e in log if e.get("idempotency_key") == idem]
        if status == "refused":
            assert made == [] and code, (idem, code)
        else:
            assert len(made) == 1 and made[0]["event"]["type"] == event["type"], (idem, made)
    assert any(o[2] > 1 for o in outcomes) or any(o[0] == "refused" for o in outcomes), outcomes


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_two_workers_apply_different_events_to_one_case(
    how: str, host: h.Host, config: h.HostConfig, rules: cunwu.Catalogue
) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "w")
    oid = host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER), idempotency_key="w-obj", case_id=case_id).log_id
    deliveries: List[Delivery] = [
        ("2026-04-21", COMMITTEE, {"type": "filed"}, "w-filed"),
        ("2026-04-21", TOWNSHIP, {"type": "correction_required", "objection": oid}, "w-correct"),
    ]
    outcomes = run_workers(config, "case", case_id, deliveries, how)
    case = host.read_case(case_id)
    assert_nothing_lost(case.log, deliveries, outcomes)
    # Filed first, the correction still applies (filed → republication_required); the correction
    # first, the filing is refused by the procedure (nothing to file until published again).
    statuses = [o[0] for o in outcomes]
    assert statuses in (["applied", "applied"], ["refused", "applied"]), outcomes
    assert len(case) == 5 + statuses.count("applied")
    assert case.head == tamper.stored_head(config.db, "case", case_id)


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_two_workers_apply_events_that_both_stand_to_one_objection(
    how: str, host: h.Host, config: h.HostConfig
) -> None:
    oid = host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER), idempotency_key="b-obj").log_id
    deliveries: List[Delivery] = [
        ("2026-04-21", COMMITTEE, {"type": "acknowledged"}, "b-ack"),
        ("2026-04-21", COMMITTEE, {"type": "action_against_objector", "action": "benefit_cancelled"}, "b-act"),
    ]
    outcomes = run_workers(config, "objection", oid, deliveries, how)
    assert [o[0] for o in outcomes] == ["applied", "applied"], outcomes
    objection = host.read_objection(oid)
    assert_nothing_lost(objection.log, deliveries, outcomes)
    assert sorted(o[2] for o in outcomes) == [1, 2]  # one won, one read again and applied
    assert len(objection) == 3


def test_a_repeated_delivery_is_stored_once(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "d")
    published = host.read_case(case_id).head
    first = host.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="d-filed")
    again = host.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="d-filed")
    assert (first.status, again.status) == ("applied", "already_applied")
    assert again.entry == first.entry and again.head == first.head
    # Even from a writer holding the head from before the first delivery.
    stale = host.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="d-filed",
                        expected_head=published)
    assert stale.status == "already_applied"
    with pytest.raises(cunwu.LogError) as reused:  # the same id for another event
        host.record(case_id, "2026-04-28", TOWNSHIP, {"type": "review_accepted"}, idempotency_key="d-filed")
    assert reused.value.code == "LOG_IDEMPOTENCY_CONFLICT"
    assert [e.get("idempotency_key") for e in host.read_case(case_id).log].count("d-filed") == 1


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_a_repeated_delivery_at_the_same_moment_is_stored_once(
    how: str, host: h.Host, config: h.HostConfig, rules: cunwu.Catalogue
) -> None:
    case_id = open_and_apply(host, RIVER, to_publication(rules), "p")
    delivery: Delivery = ("2026-04-17", COMMITTEE, {"type": "filed"}, "p-filed")
    outcomes = run_workers(config, "case", case_id, [delivery, delivery], how)
    assert sorted(o[0] for o in outcomes) == ["already_applied", "applied"], outcomes
    log = host.read_case(case_id).log
    assert [e.get("idempotency_key") for e in log].count("p-filed") == 1 and len(log) == 6


# ---------------------------------------------------------------------------------------------
# The nightly job and the monthly 考评
# ---------------------------------------------------------------------------------------------


def test_the_nightly_job_finds_the_overdue_filing(host: h.Host, db: h.Database, rules: cunwu.Catalogue) -> None:
    river = open_and_apply(host, RIVER, to_publication(rules), "r")  # published 04-15, never filed
    oid = host.file_objection("2026-04-20", RESIDENT, filed_objection(RIVER), idempotency_key="r-obj", case_id=river).log_id

    on_due_day = host.nightly("2026-04-15")
    # The units without a case owe their items on 04-15; 河湾村's case, published that day,
    # stands for its own (and its filing is not due before 04-20).
    assert {e["unit"] for e in on_due_day.due} == {VILLAGE["id"], BRIDGE["id"]}
    assert all(e["deadline"] == "publication" and e["state"] == "due" for e in on_due_day.due)

    report = host.nightly("2026-04-25")
    overdue = report.overdue()
    # The case's filing and the objection's reply (the committee's 3 days) are both overdue.
    assert [(e.get("case"), e.get("objection"), e["deadline"], e["state"], e["overdue_days"]) for e in overdue] == [
        (river, None, "filing", "overdue", 5), (None, oid, "reply", "overdue", 2)]
    assert [a["objection"] for a in report.objections] == [oid]
    assert report.problems == []
    assert report.wake_ups[river] == datetime.date(2026, 5, 16)

    def of_case(entries: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return [e for e in entries if e.get("case") == river]

    # The day before it turns very overdue, the wake-up is that day; on it, the entry says so.
    assert host.nightly("2026-05-20").wake_ups[river] == datetime.date(2026, 5, 21)
    late = host.nightly("2026-05-21")
    assert [(e["case"], e["state"]) for e in of_case(late.overdue())] == [(river, "very_overdue")]
    assert any("严重逾期" in line for line in late.lines())

    host.record(river, "2026-05-22", COMMITTEE, {"type": "filed"}, idempotency_key="r-filed")
    assert of_case(host.nightly("2026-05-22").due) == []  # filed (late): nothing owed until the review's day
    review = next(a["deadline"]["date"] for a in host.read_case(river).next_actions("2026-05-22")
                  if a["event"] == "review_accepted")
    assert [(e["deadline"], e["state"]) for e in of_case(host.nightly(review).due)] == [("review", "due")]


def test_a_deadline_past_the_calendar_is_a_problem_of_the_nightly_job_not_a_silence(host: h.Host) -> None:
    case_id = host.open_case(VILLAGE["id"], "2026-Q4", "2026-12-20", COMMITTEE, idempotency_key="q4-open").log_id
    report = host.nightly("2026-12-21")
    # The plan is due on a day the published calendar does not reach: the wake-up is the day after
    # the calendar's last day (not None, "nothing will change"), and due_between names the problem.
    wake = report.wake_ups[case_id]
    assert wake is not None and wake <= datetime.date(2027, 1, 1), wake
    assert [p["code"] for p in report.problems] == ["CALENDAR_HORIZON"]
    assert "2026-Q4" in report.problems[0]["message_en"]
    assert host.read_case(case_id).next_wake_up("2026-12-21", estimate=True) is not None


def test_the_nightly_job_does_not_report_items_a_closed_case_published(host: h.Host, rules: cunwu.Catalogue) -> None:
    early = [  # published on 04-07, filed, reviewed and closed by 04-10: before the due day 04-15
        ("2026-04-01", COMMITTEE, {**plan(rules), "planned_publication": "2026-04-07"}),
        ("2026-04-02", SUPERVISION, {"type": "plan_reviewed"}),
        ("2026-04-03", MEETING, {"type": "plan_decided"}),
        ("2026-04-07", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-04-08", COMMITTEE, {"type": "filed"}),
        ("2026-04-10", TOWNSHIP, {"type": "review_accepted"}),
    ]
    case_id = open_and_apply(host, VILLAGE, early, "e")
    assert host.read_case(case_id).state["stage"] == "closed"
    report = host.nightly("2026-04-15")
    assert [e for e in report.due if e["unit"] == VILLAGE["id"]] == []


def test_the_assessment_from_the_database_equals_the_one_from_the_objects(
    host: h.Host, rules: cunwu.Catalogue, key: bytes
) -> None:
    memory: List[h.Journal] = []

    def both_open(unit: Dict[str, Any], steps: List[Step], prefix: str) -> str:
        ref = {"id": unit["id"], "kind": unit["kind"], "name": unit["name"]}
        case = cunwu.DisclosureCase.open(rules, "2026-04-01", COMMITTEE, ref, "2026-Q1",
                                         idempotency_key=f"{prefix}-open", chain_key=key)
        for n, (date, actor, event) in enumerate(steps):
            case.apply(date, actor, event, idempotency_key=f"{prefix}-{n}")
        memory.append(case)
        return open_and_apply(host, unit, steps, prefix)

    both_open(VILLAGE, full_quarter(rules), "v")
    river = both_open(RIVER, to_publication(rules), "r")
    both_open(BRIDGE, to_publication(rules, "community")[:2], "b")

    filed = filed_objection(RIVER)
    objection = cunwu.Objection.file(rules, "2026-04-20", RESIDENT, {**filed, "unit": {"id": RIVER["id"], "kind": "village",
                                                                                        "name": RIVER["name"]}},
                                     idempotency_key="o-file", chain_key=key)
    oid = host.file_objection("2026-04-20", RESIDENT, filed, idempotency_key="o-file", case_id=river).log_id
    assert oid == objection.id
    ladder: List[Tuple[str, Dict[str, Any], Dict[str, Any], str]] = [
        ("2026-04-24", RESIDENT, {"type": "escalated", "reason": "overdue"}, "o-esc"),
        ("2026-04-29", TOWNSHIP, {"type": "replied", "outcome": "upheld", "reasons": "确有遗漏", "written": True}, "o-reply"),
    ]
    for date, actor, event, idem in ladder:
        objection.apply(date, actor, event, idempotency_key=idem)
        host.record_objection(oid, date, actor, event, idempotency_key=idem)
    objection.apply("2026-04-29", TOWNSHIP, {"type": "correction_ordered"}, idempotency_key="o-fix")
    memory[1].apply("2026-04-29", TOWNSHIP, {"type": "correction_required", "objection": oid}, idempotency_key="o-fix/case")
    host.order_correction(oid, "2026-04-29", TOWNSHIP, idempotency_key="o-fix")
    memory.append(objection)

    # The host reads cases, then objections, each by id; the rows go in in that order (the
    # report's evidence points at rows by position, so the same rows in another order would
    # differ in those pointers only).
    records: Dict[str, List[Dict[str, Any]]] = {"units": host.units()}
    cases = sorted((j for j in memory if isinstance(j, cunwu.DisclosureCase)), key=lambda j: j.id)
    objections = sorted((j for j in memory if isinstance(j, cunwu.Objection)), key=lambda j: j.id)
    ordered: List[h.Journal] = [*cases, *objections]
    for journal in ordered:
        for table, rows in journal.record_rows().items():
            records.setdefault(table, []).extend(rows)
    expected = rules.assess(records, year=2026, as_of="2026-05-31")
    got = host.assess("2026-05-31")
    assert got.log_problems == []
    assert got.report.to_dict() == expected.to_dict()
    assert got.rows["postings"] > 0 and got.rows["filings"] > 0 and got.rows["objections"] == 2
    assert {u.id for u in got.report.units} == {VILLAGE["id"], RIVER["id"], BRIDGE["id"]}
    assert not any(p.severity == "error" for p in got.report.problems)


# ---------------------------------------------------------------------------------------------
# A rules upgrade
# ---------------------------------------------------------------------------------------------


def test_a_rules_upgrade_leaves_stored_cases_readable_with_warnings(db: h.Database, key: bytes) -> None:
    before = cunwu.Catalogue.load(os.path.join(REPO, "tests/fixtures/upgrade/before"), bundled=True)
    after = cunwu.Catalogue.load(os.path.join(REPO, "tests/fixtures/upgrade/after"), bundled=True)
    unit = {**VILLAGE, "district": "示例区"}  # the fixture's district, which has its own catalogue
    with h.Host(before, db, key) as old:
        old.add_unit(unit)
        case_id = open_and_apply(old, unit, to_publication(before, district="示例区"), "u")
        assert old.read_case(case_id).warnings == []
        assert old.read_case(case_id).unit["district"] == "示例区"
    with h.Host(after, db, key) as new:
        case = new.read_case(case_id)
        assert case.state["stage"] == "published"
        warnings = [(w.code, w.pointer) for w in case.warnings]
        assert warnings == [("LOG_RULES_CHANGED", "/1"), ("LOG_RULES_CHANGED", "/3")]
        assert all(before.version in w.message_en and after.version in w.message_en for w in case.warnings)
        done = new.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="u-filed")
        assert done.status == "applied" and [w.split(":")[0] for w in done.warnings] == ["LOG_RULES_CHANGED /1", "LOG_RULES_CHANGED /3"]
        assert new.read_case(case_id).status("2026-04-17")["rules_version"] == after.version
        report = new.nightly("2026-04-20")
        assert [(p["code"], p["severity"], p["location"]["case"]) for p in report.problems] == [
            ("LOG_RULES_CHANGED", "warning", case_id)] * 2
        assert new.assess("2026-05-31").log_problems == []


def test_the_demo_runs_every_flow_end_to_end() -> None:
    """``python3 examples/host/demo.py`` (SQLite, no environment) runs each flow it promises."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != h.DSN_VARIABLE}
    out = subprocess.run([sys.executable, "examples/host/demo.py"], cwd=root, env=env,
                         capture_output=True, text=True, check=True, timeout=300).stdout
    for heading in ["提交 submissions", "五个程序", "异议 objection", "夜间任务 nightly job", "两个工作进程",
                    "月度考评", "篡改", "规则更新"]:
        assert f"== {heading}" in out, heading
    assert "HOST_ROLLED_BACK" in out and "LOG_RULES_CHANGED" in out
