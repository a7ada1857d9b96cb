"""The Python examples under examples/python run and print what they promise."""

import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_catalogue_example_runs():
    out = subprocess.run(
        [sys.executable, "examples/python/catalogue.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "<EffectiveCatalogue as_of=2026-07-01 district=500108" in out
    assert "filing with the township within 3 days (set by example-nanan-2026)" in out
    assert "refused: INPUT_INVALID_DATE" in out


def test_schedule_example_runs():
    out = subprocess.run(
        [sys.executable, "examples/python/schedule.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "next change after 2026-09-28: 2026-10-01" in out
    assert "land compensation decided 2026-09-28: publish by 2026-10-08" in out
    assert "refused: CALENDAR_HORIZON" in out
    assert "estimated: 2026-12-30" in out


def test_procedure_example_runs(tmp_path):
    log = tmp_path / "case.jsonl"
    out = subprocess.run(
        [sys.executable, "examples/python/procedure.py", str(log)], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "plan refused: PROCEDURE_PLAN_INCOMPLETE" in out
    assert "2026-04-25: 已公开 | overdue: [('filing', 5)]" in out
    assert "2026-05-21: 审查通过 | next: ['taken_down', 'correction_required'] | entries: 11" in out
    assert "tampered log refused: LOG_HASH /7" in out
    import cunwu

    replayed = cunwu.DisclosureCase.from_jsonl(cunwu.Catalogue.bundled(), log.read_text(encoding="utf-8"))
    assert replayed.state["stage"] == "closed"


def test_objection_example_runs(tmp_path):
    log = tmp_path / "objection.jsonl"
    out = subprocess.run(
        [sys.executable, "examples/python/objection.py", str(log)], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "committee must reply by 2026-04-23" in out
    assert "may escalate on 2026-04-24: True" in out
    assert "township must reply by 2026-05-06" in out
    assert "case: republication_required | blocked from closing: ['published']" in out
    assert "139****5678" in out and "13912345678" not in out


def test_validate_example_runs():
    out = subprocess.run(
        [sys.executable, "examples/python/validate.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "accepted: False | 11 findings" in out
    assert "the corrected statement is accepted: True" in out
    assert "联系人 139****5678，身份证 1****************X" in out


def test_service_example_runs():
    out = subprocess.run(
        [sys.executable, "examples/python/service.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "submission accepted: False | 11 findings" in out
    assert "a duplicate delivery is stored once: 2 entries" in out
    assert "nightly, 2026-04-13: 10 entries; 2026-04-15 due cq-demo-002 2026-03 finance.income-expenditure" in out
    assert "skipping the review is refused: PROCEDURE_INVALID_TRANSITION" in out
    assert "cq-demo-001/2026-Q1: objection_window 逾期 24 日" in out
    assert "疑似打击报复（benefit_cancelled，2026-04-22）" in out
    assert "2026-11-30 全市 18 个单位，平均分" in out
    assert "需督办：" in out


def test_compliance_example_runs(tmp_path):
    html = tmp_path / "report.html"
    out = subprocess.run(
        [sys.executable, "examples/python/compliance.py", str(html)], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "<ComplianceReport 2026 as of 2026-11-30: 18 units" in out
    assert "最差的3个单位" in out
    assert "2 district batches rolled up: same ranking as one run: True" in out
    assert "worst: " in out
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
