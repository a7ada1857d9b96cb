"""A Django-style service for the city community information system, without Django: the calls a
view or a management command would make. Storage is a dict here, kept the way a database must
keep it (docs/host.md): each case's log with its head beside it, every write conditioned on the
head it read, every delivery carrying an idempotency key. examples/host/ is the same on SQLite and
PostgreSQL, with several workers.

Run from the repository root:  python3 examples/python/service.py
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List

import cunwu


class DisclosureService:
    """What the city system does with cunwu: accept submissions, run cases and objections, and
    report what is overdue. Every rule comes from the catalogue; nothing is decided here."""

    def __init__(self, catalogue: cunwu.Catalogue) -> None:
        self.catalogue = catalogue
        self.submissions: List[Dict[str, Any]] = []
        self.case_logs: Dict[str, str] = {}        # case key -> JSON Lines log
        self.case_heads: Dict[str, str] = {}       # case key -> the head stored beside the log
        self.objection_logs: Dict[str, str] = {}   # objection id -> JSON Lines log

    # -- a form posts a submission (the same checks ran in the browser through WASM) ----------
    def submit(self, submission: Dict[str, Any]) -> Dict[str, Any]:
        answer = cunwu.validate(submission, self.catalogue)
        if answer["ok"]:
            self.submissions.append(submission)
        return {"accepted": answer["ok"], "findings": answer["findings"]}

    # -- the five-step procedure ---------------------------------------------------------------
    def open_case(self, unit: Dict[str, Any], period: str, date: datetime.date, actor: Dict[str, Any]) -> str:
        case = cunwu.DisclosureCase.open(self.catalogue, date, actor, unit, period)
        key = f"{unit['id']}/{period}"
        self.case_logs[key] = case.to_jsonl()
        self.case_heads[key] = case.head
        return key

    def record(
        self, key: str, date: datetime.date, actor: Dict[str, Any], event: Dict[str, Any], delivery: str
    ) -> Dict[str, Any]:
        head = self.case_heads[key]
        # Verifies the chain and that the log ends at the stored head (none cut off, none added).
        case = cunwu.DisclosureCase.from_jsonl(self.catalogue, self.case_logs[key], expected_head=head)
        # Raises cunwu.ProcedureError (changing nothing), or cunwu.LogError LOG_CONFLICT when the
        # log moved on; the same delivery twice is answered with the entry already there.
        written = case.append(date, actor, event, expected_head=head, idempotency_key=delivery)
        if written["appended"]:
            # In a database: insert written["line"] at (case, index) and set the head WHERE head = old,
            # in one transaction.
            self.case_logs[key] += written["line"] + "\n"  # the line comes without its line break
            self.case_heads[key] = written["head"]
        return written["entry"]

    # -- objections ----------------------------------------------------------------------------
    def file_objection(self, date: datetime.date, actor: Dict[str, Any], filed: Dict[str, Any]) -> str:
        objection = cunwu.Objection.file(self.catalogue, date, actor, filed)
        self.objection_logs[objection.id] = objection.to_jsonl()
        return objection.id

    def record_objection(self, oid: str, date: datetime.date, actor: Dict[str, Any], event: Dict[str, Any]) -> None:
        objection = cunwu.Objection.from_jsonl(self.catalogue, self.objection_logs[oid])
        objection.apply(date, actor, event)
        self.objection_logs[oid] = objection.to_jsonl()

    # -- the nightly job: what falls due this week, or is overdue, over every unit and open case --
    def nightly(self, today: datetime.date, units: List[Dict[str, Any]]) -> List[str]:
        week = today + datetime.timedelta(days=6)
        due = self.catalogue.due_between(today, week, units=units, cases=list(self.case_logs.values()))
        lines = [f"{e['date']} {e['state']} {e['unit']} {e['period']} {e.get('item') or e['deadline']}" for e in due["entries"]]
        # A log that could not be read, a unit whose district has no catalogue: never skipped silently.
        lines += [f"问题：{p['code']} {p['message_zh']}" for p in due["problems"]]
        return lines

    # -- the monthly report: what is overdue, by whom ------------------------------------------
    def monthly_report(self, today: datetime.date) -> List[str]:
        lines = []
        for key, log in sorted(self.case_logs.items()):
            status = cunwu.DisclosureCase.from_jsonl(self.catalogue, log).status(today)
            for overdue in status["overdue"]:
                flag = "（严重逾期）" if overdue.get("very_overdue") else ""
                lines.append(f"{key}: {overdue['rule']} 逾期 {overdue['overdue_days']} 日{flag}")
        for oid, log in sorted(self.objection_logs.items()):
            status = cunwu.Objection.from_jsonl(self.catalogue, log).status(today)
            if status["may_escalate_for_lateness"]:
                lines.append(f"异议 {oid[:8]}: {status['level']} 答复逾期 {status['reply']['overdue_days']} 日")
            for reprisal in status["reprisals"]:
                lines.append(f"异议 {oid[:8]}: 疑似打击报复（{reprisal['action']}，{reprisal['date']}）")
        return lines

    # -- the monthly compliance report (考评): every unit's records, scored and rolled up ------
    def monthly_compliance(self, records: Any, as_of: datetime.date, html_path: str = "") -> List[str]:
        """`records` is the folder the nightly export writes (or a dict of row lists). Bad rows
        are listed, not raised: the rest of the city is still assessed."""
        report = self.catalogue.assess(records, year=as_of.year, as_of=as_of)
        if html_path:
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(report.to_html(worst=20))  # self-contained: mail it or serve it as is
        city = report.city
        grades = "，".join(f"{g['name']} {g['count']}" for g in city["grades"])
        lines = [f"{as_of} 全市 {city['units']} 个单位，平均分 {city['mean_score']}；{grades}"]
        for d in report.districts:
            lines.append(f"  {d['rank']}. {d['name']} 平均分 {d['mean_score']}")
        for unit in report.worst(3):
            kinds = sorted({f["kind"] for f in unit.findings})
            lines.append(f"  需督办：{unit.name}（{unit.unit['township']}）{unit.score} 分 {unit.grade_zh}：{'、'.join(kinds)}")
        for problem in report.problems:
            if problem.severity == "error":
                lines.append(f"  数据问题：{problem.file}:{problem.line} {problem.code}")
        return lines


if __name__ == "__main__":
    service = DisclosureService(cunwu.Catalogue.bundled())
    committee = {"id": "cw-01", "role": "committee"}
    unit = {"id": "cq-demo-001", "kind": "village", "name": "示例村"}
    d = datetime.date

    import json
    bad = json.load(open("examples/submissions/finance-bad.json", encoding="utf-8"))
    result = service.submit(bad)
    print("submission accepted:", result["accepted"], "|", len(result["findings"]), "findings")

    key = service.open_case(unit, "2026-Q1", d(2026, 4, 1), committee)
    items = [i["id"] for i in service.catalogue.plan_requirements("village", "2026-Q1")]
    plan = {"type": "plan_proposed", "items": items, "planned_publication": "2026-04-15"}
    service.record(key, d(2026, 4, 2), committee, plan, delivery="msg-1")
    service.record(key, d(2026, 4, 2), committee, plan, delivery="msg-1")  # delivered twice
    print("a duplicate delivery is stored once:", len(service.case_logs[key].splitlines()), "entries")
    try:
        service.record(key, d(2026, 4, 15), committee, {"type": "published"}, delivery="msg-2")
    except cunwu.ProcedureError as error:
        print("skipping the review is refused:", error.code)

    oid = service.file_objection(d(2026, 4, 20), {"id": "r-9", "role": "resident"}, {
        "type": "filed", "unit": unit, "objector": {"kind": "resident", "id": "r-9"},
        "subject": {"kind": "disclosure", "aspect": "timing", "case": {"unit_id": unit["id"], "period": "2026-Q1"}},
        "level": "committee", "text": "一季度尚未公开"})
    service.record_objection(oid, d(2026, 4, 22), committee, {"type": "action_against_objector", "action": "benefit_cancelled"})

    nightly = service.nightly(d(2026, 4, 13), [unit, {"id": "cq-demo-002", "kind": "community"}])
    print("nightly, 2026-04-13:", len(nightly), "entries;", next(line for line in nightly if "cq-demo-002" in line))

    for line in service.monthly_report(d(2026, 5, 1)):
        print(line)

    for line in service.monthly_compliance("examples/compliance", d(2026, 11, 30)):
        print(line)
