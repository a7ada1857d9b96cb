"""The Python rows of ``tests/limits.json`` (rendered as ``docs/limits.md``): every public entry
point is listed, and for every limit listed, input just under it works and input just over it
raises or answers the code shown, naming the limit (issue 23)."""

import datetime
import inspect
import json
import shutil
from pathlib import Path

import pytest

import cunwu

REPO = Path(__file__).resolve().parents[2]
TABLE = json.loads((REPO / "tests/limits.json").read_text(encoding="utf-8"))
ROWS = [r for r in TABLE["entry_points"] if r["surface"] == "python"]
DEFAULT_BYTES = 64 << 20
CASE_LOG = (REPO / "examples/procedure/village-2026-q1.jsonl").read_text(encoding="utf-8")
OBJECTION_LOG = (REPO / "examples/objection/village-2026-q1-objection.jsonl").read_text(encoding="utf-8")
RECORDS = REPO / "examples/compliance"


def public_entry_points():
    """Every public function of the module and every public method of its classes."""
    names = set()
    for name, value in vars(cunwu).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if inspect.isclass(value):
            if issubclass(value, BaseException):
                continue
            for attr, member in vars(value).items():
                if attr.startswith("_") or isinstance(member, property) or not callable(getattr(value, attr)):
                    continue
                if type(member).__name__ == "getset_descriptor":
                    continue
                names.add(f"{name}.{attr}")
        elif callable(value):
            names.add(name)
    return names


def test_every_public_entry_point_is_in_the_table():
    listed = {r["entry"] for r in ROWS}
    missing = {n for n in public_entry_points() if n not in listed and f"{n.split('.')[0]}.*" not in listed}
    assert not missing, f"add these to tests/limits.json: {sorted(missing)}"
    for entry in listed:
        owner, _, attr = entry.partition(".")
        assert hasattr(cunwu, owner), entry
        if attr and attr != "*":
            assert hasattr(getattr(cunwu, owner), attr), f"tests/limits.json lists {entry}, which does not exist"


def limited(**limits):
    return cunwu.Catalogue.bundled().with_limits(**limits)


def raises(code, named, call):
    with pytest.raises(cunwu.CunwuError) as e:
        call()
    assert e.value.code == code, (e.value.code, str(e.value))
    assert named in str(e.value), str(e.value)
    return e.value


def not_over(call, named):
    """Just under: the call succeeds, or fails for a reason other than this limit."""
    try:
        return call()
    except cunwu.CunwuError as e:
        assert "TOO_LARGE" not in e.code and named not in str(e), str(e)
        return None


# ---- rule files: fixed at the default in Python -------------------------------------------------


def padded_layer(size):
    """The example district layer padded with comments to exactly `size` bytes."""
    text = (REPO / "examples/districts/nanan-2026.toml").read_text(encoding="utf-8") + "\n"
    line = "# padding for the limits test\n"
    body = text + line * ((size - len(text.encode())) // len(line))
    return body + "#" * (size - len(body.encode()) - 1) + "\n"


@pytest.fixture(scope="module")
def rule_dirs(tmp_path_factory):
    dirs = {}
    for name, size in [("under", DEFAULT_BYTES), ("over", DEFAULT_BYTES + 1)]:
        d = tmp_path_factory.mktemp(name)
        text = padded_layer(size)
        assert len(text.encode()) == size
        (d / "nanan-2026.toml").write_text(text, encoding="utf-8")
        dirs[name] = d
    yield dirs
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)


def rule_file_probe(entry, rule_dirs):
    calls = {
        "Catalogue.load": lambda d: cunwu.Catalogue.load(str(d), bundled=True),
        "Catalogue.lint": lambda d: cunwu.Catalogue.lint(str(d), bundled=True),
        "Catalogue.compile": lambda d: cunwu.Catalogue.compile(str(d)),
        "Catalogue.from_files": lambda d: cunwu.Catalogue.from_files(
            {"nanan.toml": (d / "nanan-2026.toml").read_text(encoding="utf-8")}
        ),
    }
    call = calls[entry]
    answer = not_over(lambda: call(rule_dirs["under"]), "max_text_bytes")
    assert answer is not None
    if entry == "Catalogue.lint":
        assert not [d for d in answer if d.severity == "error"], answer
    # A folder that cannot be read raises, as for lint: a file over the limit is not read.
    error = raises("INPUT_TOO_LARGE", "max_text_bytes", lambda: call(rule_dirs["over"]))
    assert isinstance(error, cunwu.RulesError) and error.details()[0]["location"]["file"].endswith(".toml")


# ---- the configurable limits ----------------------------------------------------------------------


def record_files():
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(RECORDS.iterdir()) if p.is_file()}


def assess_boundary(method, limit, value, *args, **kwargs):
    """`method` with `limit` at `value` works; at `value - 1` it raises INPUT_TOO_LARGE naming it."""
    call = lambda n: getattr(limited(**{limit: n}), method)(*args, year=2026, **kwargs)  # noqa: E731
    not_over(lambda: call(value), limit)
    raises("INPUT_TOO_LARGE", limit, lambda: call(value - 1))


def assess_text_bytes(entry):
    method = entry.split(".")[1]
    files = record_files()
    size = max(len(t.encode()) for t in files.values())
    for kwargs in [{"records": str(RECORDS)}, {"files": files}]:
        assess_boundary(method, "max_text_bytes", size, **kwargs)
    # Rows: bounded as their JSON text, measured as the binding writes it.
    rows = {"units": [{"id": "u1", "name": "示例村", "kind": "village", "district": "500101", "township": "t1"}]}
    size = len(json.dumps(rows, default=str, ensure_ascii=False, separators=(",", ":")).encode())
    assess_boundary(method, "max_text_bytes", size, rows)


def assess_file_lines(entry):
    method = entry.split(".")[1]
    files = record_files()
    lines = max(len(t.splitlines()) for t in files.values())
    for kwargs in [{"records": str(RECORDS)}, {"files": files}]:
        assess_boundary(method, "max_file_lines", lines, **kwargs)


def assess_unit_text_bytes(_entry):
    unit = {"id": "u1", "name": "示例村", "kind": "village", "district": "500101", "township": "t1"}
    records = {"postings": [{"unit": "u1", "item": "finance.income-expenditure", "period": "2026-Q1",
                             "posted": datetime.date(2026, 4, 3), "removed": None}]}
    compact = lambda v: len(json.dumps(v, default=str, separators=(",", ":"), ensure_ascii=False).encode())  # noqa: E731
    # The unit row counts as the library reads it, with the records.
    size = compact(records) + compact(cunwu.Catalogue.bundled().assess_unit(unit, None, year=2026).unit)
    call = lambda n: limited(max_text_bytes=n).assess_unit(unit, records, year=2026)  # noqa: E731
    not_over(lambda: call(size), "max_text_bytes")
    raises("INPUT_TOO_LARGE", "max_text_bytes", lambda: call(size - 1))


LOGS = {"DisclosureCase": (cunwu.DisclosureCase, CASE_LOG), "Objection": (cunwu.Objection, OBJECTION_LOG)}


def log_text_bytes(entry):
    cls, text = LOGS[entry.split(".")[0]]
    size = len(text.encode())
    assert len(cls.from_jsonl(limited(max_text_bytes=size), text)) > 1
    raises("LOG_TOO_LARGE", "max_text_bytes", lambda: cls.from_jsonl(limited(max_text_bytes=size - 1), text))


def log_entries(entry):
    owner, method = entry.split(".")
    cls, text = LOGS[owner]
    n = len(text.splitlines())
    if method == "from_jsonl":
        read = lambda cat: cls.from_jsonl(cat, text)  # noqa: E731
    else:
        data = cls.from_jsonl(cunwu.Catalogue.bundled(), text).to_dict()
        read = lambda cat: cls.from_dict(cat, data)  # noqa: E731
    assert len(read(limited(max_log_entries=n))) == n
    raises("LOG_TOO_LARGE", "max_log_entries", lambda: read(limited(max_log_entries=n - 1)))


def apply_log_entries(entry):
    owner, method = entry.split(".")
    cls, text = LOGS[owner]
    lines = text.splitlines()
    head, last = "\n".join(lines[:-1]) + "\n", json.loads(lines[-1])
    n = len(lines) - 1
    roomy = cls.from_jsonl(limited(max_log_entries=n + 1), head)
    getattr(roomy, method)(last["date"], last["actor"], last["event"])
    assert len(roomy) == n + 1
    full = cls.from_jsonl(limited(max_log_entries=n), head)
    raises("LOG_TOO_LARGE", "max_log_entries", lambda: getattr(full, method)(last["date"], last["actor"], last["event"]))
    assert len(full) == n and full.to_jsonl() == head


def log_nesting(entry):
    cls, _ = LOGS[entry.split(".")[0]]
    for levels, over in [(127, False), (128, True)]:
        deep = "[" * levels + "]" * levels + "\n"
        with pytest.raises(cunwu.LogError) as e:
            cls.from_jsonl(cunwu.Catalogue.bundled(), deep)
        assert ("recursion limit" in str(e.value)) == over, str(e.value)
        if over:
            assert e.value.code == "LOG_PARSE"


def due_problem(limits_under, limits_over, named):
    """due_between answers a case's log over a limit as a problem at /cases/0; the units are still
    answered."""
    unit = {"id": "u1", "kind": "village"}
    ask = lambda cat: cat.due_between("2026-04-01", "2026-04-30", units=[unit], cases=[CASE_LOG])  # noqa: E731
    assert ask(limited(**limits_under))["problems"] == []
    answer = ask(limited(**limits_over))
    problem = next(p for p in answer["problems"] if p["code"] == "LOG_TOO_LARGE")
    assert problem["location"]["pointer"].startswith("/cases/0"), problem
    assert named in problem["message_en"] and named in problem["message_zh"], problem
    assert any(e["unit"] == "u1" for e in answer["entries"])


def due_text_bytes(_entry):
    size = len(CASE_LOG.encode())
    due_problem({"max_text_bytes": size}, {"max_text_bytes": size - 1}, "max_text_bytes")


def due_log_entries(_entry):
    n = len(CASE_LOG.splitlines())
    due_problem({"max_log_entries": n}, {"max_log_entries": n - 1}, "max_log_entries")


def due_calendar_span(_entry):
    rules = cunwu.Catalogue.bundled()
    assert rules.due_between("2026-01-01", "2036-01-09", estimate=True)["entries"] == []
    raises("INPUT_INVALID_REQUEST", "3660", lambda: rules.due_between("2026-01-01", "2036-01-10", estimate=True))


def validate_text_bytes(_entry):
    submission = json.loads((REPO / "examples/submissions/finance-good.json").read_text(encoding="utf-8"))
    size = len(json.dumps(submission, default=str, ensure_ascii=False, separators=(",", ":")).encode())
    assert cunwu.validate(submission, limited(max_text_bytes=size))["ok"]
    answer = cunwu.validate(submission, limited(max_text_bytes=size - 1))
    assert not answer["ok"] and answer["findings"][0]["code"] == "INPUT_TOO_LARGE"
    assert "max_text_bytes" in answer["findings"][0]["message_en"]


def validate_nesting(_entry):
    for levels, over in [(127, False), (128, True)]:
        value = []
        for _ in range(levels - 2):
            value = [value]
        answer = cunwu.validate({"family": "notice", "x": value})
        messages = " ".join(f["message_en"] for f in answer["findings"])
        assert ("recursion limit" in messages) == over, messages
        if over:
            assert answer["findings"][0]["code"] == "VALIDATION_TYPE"


def period_length(_entry):
    rules = cunwu.Catalogue.bundled()
    for under, over, named in [("+36600d", "+36601d", "36600"), ("+1200m", "+1201m", "1200"), ("+25000wd", "+25001wd", "25000")]:
        assert rules.period("2026-01-05", under, estimate=True)["date"]
        raises("INPUT_INVALID_PERIOD", named, lambda: rules.period("2026-01-05", over, estimate=True))


def calendar_span(_entry):
    rules = cunwu.Catalogue.bundled()
    assert len(rules.days("2026-01-01", "2036-01-09", estimate=True)) == 3661
    raises("INPUT_INVALID_REQUEST", "3660", lambda: rules.days("2026-01-01", "2036-01-10", estimate=True))


def mask_text_bytes(_entry):
    assert len(cunwu.mask("a" * DEFAULT_BYTES)) == DEFAULT_BYTES
    raises("INPUT_TOO_LARGE", "max_text_bytes", lambda: cunwu.mask("a" * (DEFAULT_BYTES + 1)))


PROBES = {
    "text_bytes": {"Catalogue.assess": assess_text_bytes, "Catalogue.assess_units": assess_text_bytes,
                   "Catalogue.assess_unit": assess_unit_text_bytes, "validate": validate_text_bytes,
                   "DisclosureCase.from_jsonl": log_text_bytes, "Objection.from_jsonl": log_text_bytes,
                   "Catalogue.due_between": due_text_bytes},
    "file_lines": {"Catalogue.assess": assess_file_lines, "Catalogue.assess_units": assess_file_lines},
    "log_entries": {"DisclosureCase.from_jsonl": log_entries, "Objection.from_jsonl": log_entries,
                    "DisclosureCase.from_dict": log_entries, "Objection.from_dict": log_entries,
                    "DisclosureCase.apply": apply_log_entries, "Objection.apply": apply_log_entries,
                    "DisclosureCase.append": apply_log_entries, "Objection.append": apply_log_entries,
                    "Catalogue.due_between": due_log_entries},
    "json_nesting": {"DisclosureCase.from_jsonl": log_nesting, "Objection.from_jsonl": log_nesting,
                     "validate": validate_nesting},
    "period_length": {"Catalogue.period": period_length},
    "calendar_span": {"Catalogue.days": calendar_span, "Catalogue.due_between": due_calendar_span},
    "mask_text_bytes": {"mask": mask_text_bytes},
}

PAIRS = [(r["entry"], l["limit"], l["code"]) for r in ROWS for l in r["limits"]]


def test_every_limit_in_the_table_has_a_probe():
    for entry, limit, _ in PAIRS:
        assert limit == "rule_file_bytes" or entry in PROBES.get(limit, {}), f"no probe for {entry} / {limit}"
    probed = {(e, l) for l, entries in PROBES.items() for e in entries}
    assert probed <= {(e, l) for e, l, _ in PAIRS}, "a probe for a limit the table does not list"


@pytest.mark.parametrize("entry,limit,code", PAIRS, ids=[f"{e}-{l}" for e, l, _ in PAIRS])
def test_limit_holds_at_its_boundary(entry, limit, code, rule_dirs):
    if limit == "rule_file_bytes":
        assert code == "INPUT_TOO_LARGE"
        rule_file_probe(entry, rule_dirs)
    else:
        PROBES[limit][entry](entry)
