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
    size = len(json.dumps(submission).encode())
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


def test_validate_of_a_submission_nested_past_pythons_recursion_limit_is_a_cunwu_error():
    deep = {}
    inner = deep
    for _ in range(5000):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(cunwu.InputError) as e:
        cunwu.validate({"item": "finance.income-expenditure", "payload": deep})
    assert e.value.code == "INPUT_INVALID_REQUEST"
