"""The conformance corpus under tests/cases, run through the Python API."""

import json
import pathlib

import pytest

import cunwu
from matching import matches

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = [
    pytest.param(case, id=f"{path.stem}: {case['name']}")
    for path in sorted((REPO / "tests" / "cases").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
]


def load_rules(spec):
    spec = spec or {}
    bundled = spec.get("bundled", True)
    dirs = spec.get("dirs", [])
    if dirs:
        return cunwu.Catalogue.load(*dirs, bundled=bundled)
    return cunwu.Catalogue.bundled()


def answer(value, warnings=()):
    return {"ok": True, "value": value, "warnings": list(warnings)}


def run_case(case):
    op, request, spec = case["op"], case.get("request", {}), case.get("rules") or {}
    try:
        if op == "lint":
            diags = [d.to_dict() for d in cunwu.Catalogue.lint(*spec.get("dirs", []), bundled=spec.get("bundled", True))]
            errors = sum(1 for d in diags if d["severity"] == "error")
            report = {"clean": errors == 0, "error_count": errors, "warning_count": len(diags) - errors, "diagnostics": diags}
            return answer(report)
        rules = load_rules(spec)
        if op == "resolve_catalogue":
            value = rules.resolve(request["as_of"], request.get("district")).to_dict()
            return answer(value, value.pop("warnings", []))
        if op == "diff_catalogue":
            return answer(rules.diff(request["from"], request["to"], request.get("district")).to_dict())
        if op == "period":
            options = {k: request[k] for k in ("extension", "rule", "estimate") if k in request}
            return answer(rules.period(request["start"], request["length"], **options))
        if op == "schedule":
            options = {k: request[k] for k in ("district", "today", "estimate", "explain") if k in request}
            value = rules.schedule(request["unit_kind"], request["year"], **options)
            return answer(value, value.get("warnings", []))
        if op == "event_obligation":
            options = {k: request[k] for k in ("district", "estimate") if k in request}
            return answer(rules.event_obligation(request["item"], request["event"], **options))
        if op == "after_posting":
            options = {k: request[k] for k in ("district", "estimate") if k in request}
            return answer(rules.after_posting(request["item"], request["posted"], **options))
        if op == "calendar_days":
            return answer(rules.days(request["from"], request["until"], estimate=request.get("estimate", False)))
        raise AssertionError(f"unknown op {op}")
    except cunwu.CunwuError as e:
        return {"ok": False, "errors": e.details()}


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    failures = matches(case["expect"], run_case(case))
    assert not failures, "\n".join(failures)


def test_corpus_is_not_empty():
    assert len(CASES) >= 20
