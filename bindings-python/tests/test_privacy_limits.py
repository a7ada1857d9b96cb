"""Issue 18: masking respects the text limit and finds the forms people type. Issue 23: the
other entry points honour the rules' limits."""

import json
from pathlib import Path

import pytest

import cunwu

REPO = Path(__file__).resolve().parents[2]


def test_mask_refuses_text_over_the_limit():
    with pytest.raises(cunwu.InputError) as e:
        cunwu.mask("1" * ((64 << 20) + 1))
    assert e.value.code == "INPUT_TOO_LARGE"


def test_mask_finds_separated_and_full_width_forms():
    assert cunwu.mask("电话 +86 139-1234-5678") == "电话 139****5678"
    assert cunwu.mask("１３９１２３４５６７８") == "139****5678"
    assert cunwu.mask("卡号 6222 0212 3456 7894") == "卡号 [银行卡号已隐去]"


# Issue 23: every entry point honours the rules' limits.
def test_validate_honours_max_text_bytes():
    submission = json.loads((REPO / "examples/submissions/finance-good.json").read_text(encoding="utf-8"))
    # Counted as compact UTF-8 JSON, as JSON.stringify writes it in the browser.
    size = len(json.dumps(submission, ensure_ascii=False, separators=(",", ":")).encode())
    tight = cunwu.Catalogue.bundled().with_limits(max_text_bytes=size - 1)
    answer = cunwu.validate(submission, tight)
    assert not answer["ok"] and answer["findings"][0]["code"] == "INPUT_TOO_LARGE"
    assert cunwu.validate(submission, cunwu.Catalogue.bundled().with_limits(max_text_bytes=size))["ok"]


def test_assess_honours_the_limits_for_folders_files_and_rows():
    folder = REPO / "examples/compliance"
    postings = (folder / "postings.csv").stat().st_size
    tight = cunwu.Catalogue.bundled().with_limits(max_text_bytes=postings - 1)
    with pytest.raises(cunwu.InputError) as e:
        tight.assess(str(folder), year=2026)
    assert e.value.code == "INPUT_TOO_LARGE" and "postings.csv" in str(e.value)
    assert cunwu.Catalogue.bundled().with_limits(max_text_bytes=postings).assess(str(folder), year=2026).units
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.csv")}
    lines = cunwu.Catalogue.bundled().with_limits(max_file_lines=3)
    with pytest.raises(cunwu.InputError) as e:
        lines.assess(files=files, year=2026)
    assert e.value.code == "INPUT_TOO_LARGE"
    rows = {"units": [{"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}]}
    with pytest.raises(cunwu.InputError) as e:
        cunwu.Catalogue.bundled().with_limits(max_text_bytes=20).assess(rows, year=2026)
    assert e.value.code == "INPUT_TOO_LARGE"


def test_validate_of_a_submission_nested_past_pythons_recursion_limit_is_a_finding():
    deep = {}
    inner = deep
    for _ in range(5000):
        inner["x"] = {}
        inner = inner["x"]
    answer = cunwu.validate({"item": "finance.income-expenditure", "payload": deep})
    assert not answer["ok"] and answer["findings"][0]["code"] == "VALIDATION_TYPE"
    # A circular list and an integer past Python's digit limit: findings too, as in the browser.
    circular = []
    circular.append(circular)
    for bad in (circular, 10**5000):
        answer = cunwu.validate({"item": "finance.income-expenditure", "payload": bad})
        assert answer["findings"][0]["code"] == "VALIDATION_TYPE", answer


# Issue 23, outside test: what json.dumps cannot write is a cunwu error on every entry point that
# takes a dict, not a RecursionError or ValueError.
def _deep(levels):
    x = 1
    for _ in range(levels):
        x = [x]
    return x


def test_arguments_json_cannot_hold_are_input_errors_everywhere():
    rules = cunwu.Catalogue.bundled()
    log = (REPO / "examples/procedure/village-2026-q1.jsonl").read_text(encoding="utf-8")
    case = cunwu.DisclosureCase.from_jsonl(rules, log)
    circular = []
    circular.append(circular)
    unit = {"id": "u1", "name": "示例村", "kind": "village", "district": "500101", "township": "t1"}
    for bad in (_deep(1100), circular, 10**5000):
        calls = [
            lambda: case.apply("2026-05-01", {"id": "x", "role": "committee"}, {"type": "taken_down", "x": bad}),
            lambda: cunwu.DisclosureCase.open(rules, "2026-04-01", {"id": "cw", "role": "committee"}, {"id": bad}, "2026-Q1"),
            lambda: cunwu.Objection.file(rules, "2026-04-01", {"id": "r", "role": "resident"}, {"type": "filed", "x": bad}),
            lambda: cunwu.DisclosureCase.from_dict(rules, {"log": [bad]}),
            lambda: rules.assess_unit(unit, {"postings": [bad]}, year=2026),
            lambda: cunwu.ComplianceReport.from_dict({"x": bad}),
            lambda: cunwu.DiagnosticInfo.from_dict({"x": bad}),
        ]
        for call in calls:
            with pytest.raises(cunwu.InputError):
                call()
    assert len(case) == 11, "nothing was appended"


def test_text_is_counted_as_utf8_bytes_as_on_every_surface():
    text = "异" * 1000 + "😀" * 100
    submission = {"family": "notice", "item": "finance.income-expenditure", "text": text}
    size = len(json.dumps(submission, ensure_ascii=False, separators=(",", ":")).encode())
    at = cunwu.Catalogue.bundled().with_limits(max_text_bytes=size)
    assert not any(f["code"] == "INPUT_TOO_LARGE" for f in cunwu.validate(submission, at)["findings"])
    under = cunwu.Catalogue.bundled().with_limits(max_text_bytes=size - 1)
    assert cunwu.validate(submission, under)["findings"][0]["code"] == "INPUT_TOO_LARGE"


def test_a_log_is_never_written_past_what_can_be_read_back():
    log = (REPO / "examples/procedure/village-2026-q1.jsonl").read_text(encoding="utf-8")
    lines = log.splitlines(keepends=True)
    last = json.loads(lines[-1])
    head = "".join(lines[:-1])
    rules = cunwu.Catalogue.bundled().with_limits(max_text_bytes=len(log.encode()) - 1)
    case = cunwu.DisclosureCase.from_jsonl(rules, head)
    with pytest.raises(cunwu.LogError) as e:
        case.apply(last["date"], last["actor"], last["event"])
    assert e.value.code == "LOG_TOO_LARGE" and "max_text_bytes" in str(e.value)
    assert case.to_jsonl() == head
    # Exactly at the limit: appended, and read back under the same rules.
    roomy = cunwu.Catalogue.bundled().with_limits(max_text_bytes=len(log.encode()))
    case = cunwu.DisclosureCase.from_jsonl(roomy, head)
    case.apply(last["date"], last["actor"], last["event"])
    assert cunwu.DisclosureCase.from_jsonl(roomy, case.to_jsonl()) == case
    # A log restored from a dict is held to the same bound as its text.
    with pytest.raises(cunwu.LogError):
        cunwu.DisclosureCase.from_dict(rules, case.to_dict())


def test_a_long_log_given_as_a_dict_is_refused_before_it_is_converted():
    rules = cunwu.Catalogue.bundled().with_limits(max_log_entries=10)
    with pytest.raises(cunwu.LogError) as e:
        cunwu.DisclosureCase.from_dict(rules, {"log": [{}] * 400_000})
    assert e.value.code == "LOG_TOO_LARGE" and "400000" in str(e.value)


def test_a_folder_whose_name_is_not_utf8_is_read(tmp_path):
    import os

    name = os.fsdecode(b"rules-\xff")
    folder = tmp_path / name
    folder.mkdir()
    (folder / "nanan-2026.toml").write_text((REPO / "examples/districts/nanan-2026.toml").read_text(encoding="utf-8"), encoding="utf-8")
    rules = cunwu.Catalogue.load(str(folder), bundled=True)
    assert rules.resolve("2026-07-01", "500108").district["id"] == "500108"


# Issue 23, second outside test.
def test_file_lists_list_lengths_and_odd_numbers_are_bounded_or_refused():
    rules = cunwu.Catalogue.bundled()
    with pytest.raises(cunwu.InputError) as e:
        rules.assess(files={f"f{i}.csv": "" for i in range(10_001)}, year=2026)
    assert e.value.code == "INPUT_TOO_LARGE"
    with pytest.raises(cunwu.InputError) as e:
        rules.with_limits(max_text_bytes=100).assess(files={"x" * 5000: "a"}, year=2026)
    assert e.value.code == "INPUT_TOO_LARGE" and "MAX_PATH_BYTES" in str(e.value)

    class Liar(list):
        def __len__(self):
            return 1

    with pytest.raises(cunwu.LogError) as e:
        cunwu.DisclosureCase.from_dict(rules.with_limits(max_log_entries=10), {"log": Liar([{}] * 1000)})
    assert e.value.code == "LOG_TOO_LARGE"
    answer = cunwu.validate({"item": "finance.income-expenditure", "x": float("nan")})
    assert answer["findings"][0]["code"] == "VALIDATION_TYPE" and "line 1" not in answer["findings"][0]["message_en"]
    with pytest.raises(cunwu.InputError) as e:
        rules.period("2026-01-01", "x" * (1 << 20))
    assert len(str(e.value)) < 1000
