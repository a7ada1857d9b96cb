"""The conformance corpus under tests/cases, run through the Python API."""

import datetime
import decimal
import json
import os
import pathlib

import pytest

import cunwu
from matching import matches

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = [
    pytest.param({**case, "_file": path.name}, id=f"{path.stem}: {case['name']}")
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
    """The envelope of `core::api` answers (no `warnings` key when there are none)."""
    out = {"ok": True, "value": value}
    if warnings:
        out["warnings"] = list(warnings)
    return out


def tamper(jsonl, t):
    """The tamper actions of tests/README.md, on the lines of a JSON Lines log."""
    entries = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    i = t.get("index", 0)
    action = t["action"]
    if action == "change":
        *path, last = t["pointer"].strip("/").split("/")
        target = entries[i]
        for key in path:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[int(last) if isinstance(target, list) else last] = t["value"]
    elif action == "remove":
        del entries[i]
    elif action == "swap":
        entries[i], entries[i + 1] = entries[i + 1], entries[i]
    elif action == "insert":
        entries.insert(i + 1, dict(entries[i]))
    elif action == "truncate":
        entries = entries[:i]
    else:
        raise AssertionError(f"unknown tamper action {action}")
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)


class Refused(Exception):
    """The corpus's `{"ok": false, "failed_at": ...}` answer, raised out of `run_journal`."""

    def __init__(self, at, error):
        self.answer = {"ok": False, "failed_at": at, "errors": error.details()}


def run_journal(cls, rules, request, first, start):
    """Start a case or objection with `start()`, apply the request's events one by one (the first
    refusal ends the run), optionally tamper with the JSON Lines, replay them with
    `cls.from_jsonl`, and return the replayed journal with its state, log and status."""
    try:
        journal = start()
    except cunwu.CunwuError as e:
        raise Refused(first, e) from e
    for i, event in enumerate(request.get("events", [])):
        try:
            journal.apply(event["date"], event["actor"], event["event"])
        except cunwu.CunwuError as e:
            raise Refused(i, e) from e
    jsonl = journal.to_jsonl()
    if "tamper" in request:
        jsonl = tamper(jsonl, request["tamper"])
    replayed = cls.from_jsonl(rules, jsonl)
    value = {"state": replayed.state, "log": replayed.log}
    if "today" in request:
        value["status"] = replayed.status(request["today"])
    return replayed, value


def run_procedure(rules, request):
    o = request["open"]
    try:
        _, value = run_journal(cunwu.DisclosureCase, rules, request, "open", lambda: cunwu.DisclosureCase.open(
            rules, o["date"], o["actor"], o["unit"], o["period"], o["pipeline"]))
    except Refused as r:
        return r.answer
    return answer(value)


def run_objection(rules, request):
    f = request["file"]
    try:
        replayed, value = run_journal(cunwu.Objection, rules, request, "file", lambda: cunwu.Objection.file(
            rules, f["date"], f["actor"], f["event"]))
    except Refused as r:
        return r.answer
    if request.get("public"):
        # The public view is the public record only, as the core's replay gives it.
        value = {"public_record": replayed.public_record()}
    return answer(value)


def run_case(case):
    op, request, spec = case["op"], case.get("request", {}), case.get("rules") or {}
    try:
        if op == "validate":
            submission = json.loads((REPO / request["file"]).read_text(encoding="utf-8")) if "file" in request else request["submission"]
            return cunwu.validate(submission, load_rules(spec))
        if op == "procedure":
            return run_procedure(load_rules(spec), request)
        if op == "objection":
            return run_objection(load_rules(spec), request)
        if op == "mask":
            return answer(cunwu.mask(request["text"]))
        if op == "lint":
            diags = [d.to_dict() for d in cunwu.Catalogue.lint(*spec.get("dirs", []), bundled=spec.get("bundled", True))]
            errors = sum(1 for d in diags if d["severity"] == "error")
            report = {"clean": errors == 0, "error_count": errors, "warning_count": len(diags) - errors, "diagnostics": diags}
            return answer(report)
        rules = load_rules(spec)
        if op == "resolve_catalogue":
            value = rules.resolve(request["as_of"], request.get("district"), unit_kind=request.get("unit_kind")).to_dict()
            return answer(value, value.pop("warnings", []))
        if op == "explain_item":
            options = {k: request[k] for k in ("unit_kind", "district") if k in request}
            return answer(rules.explain(request["item"], request["as_of"], **options))
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
            options = {k: request[k] for k in ("unit_kind", "district", "estimate") if k in request}
            return answer(rules.event_obligation(request["item"], request["event"], **options))
        if op == "after_posting":
            options = {k: request[k] for k in ("unit_kind", "district", "estimate") if k in request}
            return answer(rules.after_posting(request["item"], request["posted"], **options))
        if op == "unit_compliance":
            assessment = rules.assess_unit(request["unit"], request.get("records"), year=request["year"], as_of=request.get("as_of"))
            return answer(assessment.to_dict())
        if op == "compliance":
            options = {"year": request["year"], "as_of": request.get("as_of")}
            if "dir" in request:
                report = rules.assess(request["dir"], **options)  # relative: paths shown as `<dir>/<name>`
            elif "files" in request:
                report = rules.assess(files={f["path"]: f["text"] for f in request["files"]}, **options)
            else:
                report = rules.assess(request.get("rows", {}), **options)
            return answer(report.to_dict())
        if op == "calendar_days":
            return answer(rules.days(request["from"], request["until"], estimate=request.get("estimate", False)))
        raise AssertionError(f"unknown op {op}")
    except cunwu.CunwuError as e:
        return {"ok": False, "errors": e.details()}


def to_json(value):
    """An answer as JSON: dates in ISO form, decimals as their exact text (scale kept)."""

    def default(v):
        if isinstance(v, (datetime.date, datetime.datetime)):
            return v.isoformat()
        if isinstance(v, decimal.Decimal):
            return str(v)
        raise TypeError(f"not JSON: {v!r}")

    return json.dumps(value, ensure_ascii=False, default=default)


PARITY = {}


@pytest.fixture(scope="module", autouse=True)
def write_parity():
    """Every runner writes its answers for tests/parity.py, which compares them byte for byte."""
    yield
    target = os.environ.get("CUNWU_PARITY_DIR")
    if target and len(PARITY) == len(CASES):
        pathlib.Path(target).mkdir(parents=True, exist_ok=True)
        lines = (json.dumps({"case": name, "answer": json.loads(text)}, ensure_ascii=False) for name, text in PARITY.items())
        (pathlib.Path(target) / "python.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    actual = run_case(case)
    PARITY[f"{case['_file']}: {case['name']}"] = to_json(actual)
    failures = matches(case["expect"], json.loads(to_json(actual)))
    assert not failures, "\n".join(failures)


def test_corpus_is_not_empty():
    assert len(CASES) >= 20
