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


GENESIS = "0" * 64


def head_at(log, k):
    """The head of a log's first `k` entries, as every runner computes it for `expected_head_at`."""
    return f"{k}:{log[k - 1]['hash']}" if k > 0 else f"0:{GENESIS}"


def key_of(hex_key):
    return None if hex_key is None else bytes.fromhex(hex_key)


def write_options(request, log):
    """An event or opening request's log fields (`idempotency_key`, `expected_head_at`) as keywords."""
    options = {}
    if "idempotency_key" in request:
        options["idempotency_key"] = request["idempotency_key"]
    if "expected_head" in request:
        options["expected_head"] = request["expected_head"]
    if "expected_head_at" in request:
        options["expected_head"] = head_at(log, request["expected_head_at"])
    return options


def replay_options(request, log):
    """The replay request: `expected_head_at` or `expected_head`, `chain_key` (the case's by default)."""
    options = dict(request.get("replay", {}))
    out = {}
    if "expected_head_at" in options:
        out["expected_head"] = head_at(log, options.pop("expected_head_at"))
    if "expected_head" in options:
        out["expected_head"] = options.pop("expected_head")
    key = options.pop("chain_key", request.get("chain_key"))
    if key is not None:
        out["chain_key"] = key_of(key)
    return out, options


def view(journal, status=None, records=False):
    """The API's view of a replayed journal: id, head, state, log, status, records."""
    value = {"id": journal.id, "head": journal.head, "state": journal.state, "log": journal.log}
    if status is not None:
        value["status"] = status
    if records:
        value["records"] = journal.record_rows()
    return value


def run_journal(cls, rules, request, first, start):
    """Start a case or objection with `start(**options)`, append the request's events one by one
    (the first refusal ends the run), optionally tamper with the JSON Lines, and replay them with
    `cls.from_jsonl` (under `replay_rules` when given). Returns the answer, with the appended flags
    when the events carry idempotency keys."""
    key = key_of(request.get("chain_key"))
    opening = write_options(request[first], [])
    try:
        journal = start(chain_key=key, **opening)
    except cunwu.CunwuError as e:
        raise Refused(first, e) from e
    flags = []
    for i, event in enumerate(request.get("events", [])):
        try:
            applied = journal.append(event["date"], event["actor"], event["event"], **write_options(event, journal.log))
        except cunwu.CunwuError as e:
            raise Refused(i, e) from e
        flags.append(applied["appended"])
    log = journal.log
    jsonl = journal.to_jsonl()
    if "tamper" in request:
        jsonl = tamper(jsonl, request["tamper"])
    later = load_rules(request["replay_rules"]) if "replay_rules" in request else rules
    read, options = replay_options(request, log)
    public = request.get("public", options.get("public", False))
    try:
        replayed = cls.from_jsonl(later, jsonl, **read)
        if public:
            # The public view is the public record only, as the core's replay gives it.
            result = answer({"public_record": replayed.public_record()})
        else:
            status = None
            if "today" in request:
                status = (
                    replayed.status(request["today"], estimate=options.get("estimate", False))
                    if cls is cunwu.DisclosureCase
                    else replayed.status(request["today"])
                )
            value = view(replayed, status, options.get("records", False))
            result = answer(value, [w.to_dict() for w in replayed.warnings])
    except cunwu.CunwuError as e:
        result = {"ok": False, "errors": e.details()}
    if any("idempotency_key" in e for e in request.get("events", [])):
        result["appended"] = flags
    return result


def run_procedure(rules, request):
    o = request["open"]
    try:
        return run_journal(cunwu.DisclosureCase, rules, request, "open", lambda **kw: cunwu.DisclosureCase.open(
            rules, o["date"], o["actor"], o["unit"], o["period"], o["pipeline"], **kw))
    except Refused as r:
        return r.answer


def run_objection(rules, request):
    f = request["file"]
    try:
        return run_journal(cunwu.Objection, rules, request, "file", lambda **kw: cunwu.Objection.file(
            rules, f["date"], f["actor"], f["event"], **kw))
    except Refused as r:
        return r.answer


def run_replay_log(rules, request):
    """`replay_log`: a stored log read from a file and replayed with the request's options."""
    cls = cunwu.Objection if request.get("kind") == "objection" else cunwu.DisclosureCase
    jsonl = (REPO / request["file"]).read_text(encoding="utf-8")
    read = {}
    if "expected_head" in request:
        read["expected_head"] = request["expected_head"]
    if request.get("chain_key") is not None:
        read["chain_key"] = key_of(request["chain_key"])
    replayed = cls.from_jsonl(rules, jsonl, **read)
    if request.get("public"):
        return answer({"public_record": replayed.public_record()})
    status = None
    if "today" in request:
        status = (
            replayed.status(request["today"], estimate=request.get("estimate", False))
            if cls is cunwu.DisclosureCase
            else replayed.status(request["today"])
        )
    return answer(view(replayed, status, request.get("records", False)), [w.to_dict() for w in replayed.warnings])


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
        if op == "replay_log":
            return run_replay_log(load_rules(spec), request)
        if op == "due_between":
            cases = [(REPO / f).read_text(encoding="utf-8") for f in request.get("case_files", [])]
            objections = [(REPO / f).read_text(encoding="utf-8") for f in request.get("objection_files", [])]
            options = {"estimate": request.get("estimate", False), "chain_key": key_of(request.get("chain_key")),
                       "case_heads": request.get("case_heads"), "objection_heads": request.get("objection_heads")}
            return answer(load_rules(spec).due_between(request["from"], request["until"], units=request.get("units", []),
                                                       cases=cases, objections=objections, **options))
        if op == "mask":
            return answer(cunwu.mask(request["text"]))
        if op == "labels":
            return answer(cunwu.labels())
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
