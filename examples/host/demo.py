"""The reference host's flows end to end, on a real database, with a short Chinese/English log:
submissions; a quarter's disclosure case through the five steps (with a rectification);
a resident's objection escalated to the township, upheld, and the case published again; two
workers delivering at once; the nightly job; the monthly 考评 read from the database; what the
head and the chain key catch when someone edits the tables; a rules upgrade read with warnings.

Run from the repository root:  python3 examples/host/demo.py [--db FILE]

SQLite in a temporary folder by default (or FILE); PostgreSQL when CUNWU_HOST_DSN is set (in a
schema of its own, dropped at the end). The chain key comes from CUNWU_HOST_CHAIN_KEY(_FILE) when
set; else a throwaway key is made for this run (and the SQLite file is then of no use after it).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
import tempfile
import threading
from typing import Any, Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cunwu  # noqa: E402

import host as h  # noqa: E402
import tamper  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

COMMITTEE = {"id": "cw-01", "role": "committee", "name": "村民委员会"}
SUPERVISION = {"id": "jw-01", "role": "supervision_committee", "name": "村务监督委员会"}
MEETING = {"id": "cw-meeting", "role": "committee_meeting"}
TOWNSHIP = {"id": "town-01", "role": "township_officer", "name": "示例镇民政办"}
RESIDENT = {"id": "resident-0042", "role": "resident"}
BOARD: Dict[str, Any] = {"boards": ["村便民服务中心公开栏"], "reported_at_meeting": True, "printed_copies": True}

UNITS = [
    {"id": "cq-demo-001", "name": "示例村", "kind": "village", "township": "示例镇", "district": "示例区"},
    {"id": "cq-demo-002", "name": "河湾村", "kind": "village", "township": "示例镇", "district": "示例区"},
    {"id": "cq-demo-003", "name": "新桥社区", "kind": "community", "township": "示例街道", "district": "示例区"},
]


def say(text: str) -> None:
    """One line of the demo's log."""
    print(text, flush=True)


def plan(rules: cunwu.Catalogue, kind: str, period: str, when: str, district: Optional[str] = None) -> Dict[str, Any]:
    """A plan with every item the rules require for the period, to be published on ``when``."""
    items = sorted({i["id"] for i in rules.plan_requirements(kind, period, district=district)})
    return {"type": "plan_proposed", "items": items, "planned_publication": when, "boards": BOARD["boards"]}


def step(host: h.Host, case_id: str, date: str, actor: Dict[str, Any], event: Dict[str, Any], key: str) -> h.Recorded:
    """Deliver one event and print what the host answered."""
    done = host.record(case_id, date, actor, event, idempotency_key=key)
    stage = host.read_case(case_id).state["stage"]
    say(f"  {date} {event['type']:<22} {done.status:<15} → {stage} (head {done.head[:14]}…)")
    return done


def five_steps(host: h.Host, rules: cunwu.Catalogue) -> str:
    """示例村 2026-Q1 through the five steps, with a rectification and re-filing, to closed."""
    say("\n== 五个程序 the five steps: 示例村 2026-Q1 ==")
    opened = host.open_case("cq-demo-001", "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key="msg-001-open")
    case_id = opened.log_id
    say(f"  2026-04-01 opened                 {opened.status:<15} case {case_id[:12]}")
    for n, (date, actor, event) in enumerate([
        ("2026-04-02", COMMITTEE, plan(rules, "village", "2026-Q1", "2026-04-15")),
        ("2026-04-05", SUPERVISION, {"type": "plan_reviewed", "objection": "“十公开”事项未列明享受人员名单"}),
        ("2026-04-08", COMMITTEE, {"type": "objection_answered", "accepted": True, "answer": "已补充名单"}),
        ("2026-04-09", MEETING, {"type": "plan_decided"}),
        ("2026-04-15", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-04-17", COMMITTEE, {"type": "filed"}),
        ("2026-04-28", TOWNSHIP, {"type": "rectification_ordered", "reasons": ["财务收支明细不全"]}),
        ("2026-05-06", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-05-08", COMMITTEE, {"type": "filed"}),
        ("2026-05-20", TOWNSHIP, {"type": "review_accepted"}),
    ], start=1):
        step(host, case_id, date, actor, event, f"msg-001-{n:02d}")
    again = host.record(case_id, "2026-05-20", TOWNSHIP, {"type": "review_accepted"}, idempotency_key="msg-001-10")
    say(f"  重复投递 duplicate delivery of msg-001-10: {again.status}, still {len(host.read_case(case_id))} entries")
    try:
        host.record(case_id, "2026-05-21", TOWNSHIP, {"type": "rectification_ordered", "reasons": ["复查"]},
                    idempotency_key="msg-001-11", expected_head=opened.head)
    except h.StaleHead as error:
        say(f"  过期页面 a form showing the case as opened: refused, {error.code} (nothing written)")
    return case_id


def quarter_in_progress(host: h.Host, rules: cunwu.Catalogue, unit_id: str, kind: str) -> str:
    """A unit's 2026-Q1 case up to publication on 04-15 (then nobody files it)."""
    case_id = host.open_case(unit_id, "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key=f"msg-{unit_id}-open").log_id
    for n, (date, actor, event) in enumerate([
        ("2026-04-02", COMMITTEE, plan(rules, kind, "2026-Q1", "2026-04-15")),
        ("2026-04-05", SUPERVISION, {"type": "plan_reviewed"}),
        ("2026-04-09", MEETING, {"type": "plan_decided"}),
        ("2026-04-15", COMMITTEE, {"type": "published", **BOARD}),
    ], start=1):
        host.record(case_id, date, actor, event, idempotency_key=f"msg-{unit_id}-{n:02d}")
    return case_id


def two_workers(config: h.HostConfig, case_id: str) -> None:
    """The clerk's form and the sync job deliver the same (late) filing at the same moment: two
    workers, each with its own connection, forced to read the same head before either writes."""
    say("\n== 两个工作进程 two workers deliver one filing of 河湾村 at once ==")
    barrier = threading.Barrier(2, timeout=30)

    def first_attempt_waits(log_id: str, attempt: int) -> None:
        if attempt == 1:
            barrier.wait()  # both have read the same head; now both write

    deliveries = [
        ("clerk", "2026-04-27", COMMITTEE, {"type": "filed"}, "msg-002-filed"),
        ("sync job", "2026-04-27", COMMITTEE, {"type": "filed"}, "msg-002-filed"),
    ]
    answers: Dict[str, str] = {}

    def work(name: str, date: str, actor: Dict[str, Any], event: Dict[str, Any], key: str) -> None:
        with config.host(before_write=first_attempt_waits) as worker:
            done = worker.record(case_id, date, actor, event, idempotency_key=key)
            answers[name] = f"{done.status} after {done.attempts} attempt(s)"

    threads = [threading.Thread(target=work, args=d) for d in deliveries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, _, _, event, key in deliveries:
        say(f"  {name:<9} {event['type']:<22} {key:<14} {answers[name]}")
    with config.host() as reader:
        log = reader.read_case(case_id).log
    filings = [e["index"] for e in log if e.get("idempotency_key") == "msg-002-filed"]
    say(f"  the log holds the filing once (entry {filings}), {len(log)} entries")


def objection(host: h.Host, case_id: str) -> str:
    """A resident's objection to 河湾村's Q1 disclosure: not answered in time, escalated to the
    township, upheld; the case must be published again."""
    say("\n== 异议 objection: 河湾村 2026-Q1, escalated ==")
    filed = {
        "type": "filed",
        "unit": {"id": "cq-demo-002", "kind": "village"},
        "objector": {"kind": "resident", "id": RESIDENT["id"]},
        "subject": {"kind": "disclosure", "aspect": "content", "case": {"unit_id": "cq-demo-002", "period": "2026-Q1"}},
        "level": "committee",
        "text": "三月财务收支公开缺少支出明细。联系电话13912345678",
    }
    done = host.file_objection("2026-04-20", RESIDENT, filed, idempotency_key="obj-1", case_id=case_id)
    oid = done.log_id
    status = host.read_objection(oid).status("2026-04-20")
    say(f"  2026-04-20 filed at the committee: reply due {status['reply']['date']}")
    return oid


def escalate(host: h.Host, oid: str) -> None:
    """The committee did not reply in time: the resident escalates to the township."""
    host.record_objection(oid, "2026-04-24", RESIDENT, {"type": "escalated", "reason": "overdue"}, idempotency_key="obj-2")
    status = host.read_objection(oid).status("2026-04-24")
    say(f"  2026-04-24 escalated to the {status['level']}: reply due {status['reply']['date']}")


def uphold(host: h.Host, oid: str) -> None:
    """The township upholds the objection and orders correction: the case must publish again."""
    host.record_objection(oid, "2026-04-29", TOWNSHIP, {"type": "replied", "outcome": "upheld",
                                                         "reasons": "支出明细确有遗漏", "written": True},
                          idempotency_key="obj-3")
    on_objection, on_case = host.order_correction(oid, "2026-04-29", TOWNSHIP, idempotency_key="obj-4")
    stage = host.read_case(on_case.log_id).state["stage"] if on_case else "-"
    say(f"  2026-04-29 upheld, correction ordered: objection {on_objection.status}, case {stage}")


def finish_case_two(host: h.Host, case_id: str, oid: str) -> None:
    """河湾村 publishes again, files, and the township accepts; the objection is settled."""
    for n, (date, actor, event) in enumerate([
        ("2026-05-06", COMMITTEE, {"type": "published", **BOARD}),
        ("2026-05-08", COMMITTEE, {"type": "filed"}),
        ("2026-05-20", TOWNSHIP, {"type": "review_accepted"}),
    ], start=10):
        step(host, case_id, date, actor, event, f"msg-002-{n:02d}")
    host.record_objection(oid, "2026-05-06", COMMITTEE, {"type": "republished"}, idempotency_key="obj-5")
    say(f"  objection now {host.read_objection(oid).state['stage']}")


def nightly(host: h.Host, today: str, since: Optional[str] = None) -> h.NightlyReport:
    """Run the nightly job and print its report."""
    report = host.nightly(today, since=since)
    say(f"\n== 夜间任务 nightly job {report.since}..{report.today}: {len(report.due)} due/overdue ==")
    for line in report.lines():
        say("  " + line)
    return report


def tampering(db: h.Database, host: h.Host, closed_case: str, open_case: str) -> None:
    """What the head and the key catch when the tables are edited by someone without the key."""
    say("\n== 篡改 someone with write access to the tables, without the key ==")
    checkpoint = host.heads()
    head = tamper.stored_head(db, "case", closed_case)
    removed = tamper.truncate(db, "case", closed_case, 3)
    try:
        host.read_case(closed_case)
    except h.UntrustedLog as error:
        say(f"  last 3 entries deleted: {error.code} ({error.error})")
    tamper.restore(db, "case", closed_case, tamper.entries(db, "case", closed_case) + removed, head)
    say(f"  restored: reads again, stage {host.read_case(closed_case).state['stage']}")

    def drop_rectification(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return items[:7] + items[10:]  # the order, the re-publication and the re-filing

    tamper.forge(db, "case", closed_case, drop_rectification, keep_marks=False)
    try:
        host.read_case(closed_case)
    except h.UntrustedLog as error:
        say(f"  entries 7-9 removed, rechained and head updated: {error.code} at {error.pointer}")

    tamper.truncate(db, "case", open_case, 2, move_head=True)
    case = host.read_case(open_case)
    say(f"  last 2 entries and the head cut back together: reads as {case.state['stage']} — only a "
        "checkpoint kept elsewhere shows it:")
    for problem in host.verify_checkpoint(checkpoint):
        say(f"    {problem['code']}: {problem['log'][:12]} {problem['message']}")


def upgrade(workdir: str) -> None:
    """A case recorded under a district catalogue, read after the catalogue was republished
    with a retroactive item and another deciding body: readable, with warnings."""
    say("\n== 规则更新 rules upgrade: a stored case read under republished rules ==")
    before = cunwu.Catalogue.load(os.path.join(REPO, "tests/fixtures/upgrade/before"), bundled=True)
    after = cunwu.Catalogue.load(os.path.join(REPO, "tests/fixtures/upgrade/after"), bundled=True)
    db = h.Database.from_env(os.path.join(workdir, "upgrade.db"), schema=f"cunwu_demo_up_{secrets.token_hex(4)}")
    db.create_schema()
    key = secrets.token_bytes(32)
    try:
        with h.Host(before, db, key) as old:
            old.add_unit({"id": "cq-up-001", "name": "示例村", "kind": "village", "township": "示例镇", "district": "示例区"})
            case_id = old.open_case("cq-up-001", "2026-Q1", "2026-04-01", COMMITTEE, idempotency_key="up-0").log_id
            for n, (date, actor, event) in enumerate([
                ("2026-04-02", COMMITTEE, plan(before, "village", "2026-Q1", "2026-04-15", "示例区")),
                ("2026-04-05", SUPERVISION, {"type": "plan_reviewed"}),
                ("2026-04-09", MEETING, {"type": "plan_decided"}),
                ("2026-04-15", COMMITTEE, {"type": "published", **BOARD}),
            ], start=1):
                old.record(case_id, date, actor, event, idempotency_key=f"up-{n}")
        say(f"  recorded under {before.version}: published")
        with h.Host(after, db, key) as new:
            case = new.read_case(case_id)
            for w in case.warnings:
                say(f"  {w.code} {w.pointer}: {w.message_zh[:90]}…")
            done = new.record(case_id, "2026-04-17", COMMITTEE, {"type": "filed"}, idempotency_key="up-5")
            say(f"  under {after.version}: filing {done.status}, status says rules "
                f"{new.read_case(case_id).status('2026-04-17')['rules_version']}")
    finally:
        drop(db)


def drop(db: h.Database) -> None:
    """Drop a PostgreSQL demo schema (a SQLite file goes with its temporary folder)."""
    if db.dialect == "postgres" and db.schema:
        conn = db.connect()
        try:
            with conn.transaction():
                conn.execute(f'DROP SCHEMA "{db.schema}" CASCADE')
        finally:
            conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the SQLite file (default: a temporary one)")
    args = parser.parse_args()
    rules = cunwu.Catalogue.bundled()
    with tempfile.TemporaryDirectory(prefix="cunwu-host-demo-") as workdir:
        db = h.Database.from_env(args.db or os.path.join(workdir, "host.db"), schema=f"cunwu_demo_{secrets.token_hex(4)}")
        try:
            key = h.chain_key_from_env()
            origin = "from the environment"
        except h.HostError:
            key = secrets.token_bytes(32)
            origin = "a throwaway key for this run"
        db.create_schema()
        say(f"数据库 database: {db.describe()}; 链密钥 chain key: {origin} (never stored in the database)")
        config = h.HostConfig(rules, db, key)
        try:
            with config.host() as host:
                for unit in UNITS:
                    host.add_unit(unit)

                say("\n== 提交 submissions ==")
                for sid, name in [("sub-1", "finance-good"), ("sub-2", "finance-bad"), ("sub-1", "finance-good")]:
                    with open(os.path.join(REPO, "examples/submissions", f"{name}.json"), encoding="utf-8") as f:
                        answer = host.submit(sid, json.load(f), "2026-04-15")
                    say(f"  {sid} {name:<13} {answer.status:<17} accepted={answer.accepted} findings={len(answer.findings)}")

                closed_case = five_steps(host, rules)
                river = quarter_in_progress(host, rules, "cq-demo-002", "village")
                bridge = quarter_in_progress(host, rules, "cq-demo-003", "community")
                oid = objection(host, river)
                nightly(host, "2026-04-24")
                escalate(host, oid)
                two_workers(config, river)
                uphold(host, oid)
                finish_case_two(host, river, oid)
                report = nightly(host, "2026-05-21")
                assert any(e.get("case") == bridge and e["state"] == "very_overdue" for e in report.due)

                say("\n== 月度考评 monthly assessment, read from the database ==")
                assessment = host.assess("2026-05-31")
                city = assessment.report.city
                say(f"  rows: {assessment.rows}")
                say(f"  {city['units']} units, mean score {city['mean_score']}")
                for assessed in assessment.report.units:
                    kinds = sorted({f["kind"] for f in assessed.findings})
                    say(f"  {assessed.name} {assessed.score} {assessed.grade_zh}: {'、'.join(kinds) or '无问题'}")

                tampering(db, host, closed_case, bridge)
            upgrade(workdir)
        finally:
            drop(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
