"""Python-specific behaviour: values Python developers already use, exceptions they can catch."""

import datetime
import json
import pathlib

import pytest

import cunwu

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_dates_are_accepted_as_date_objects_and_iso_strings():
    rules = cunwu.Catalogue.bundled()
    a = rules.resolve(datetime.date(2026, 1, 1))
    b = rules.resolve("2026-01-01")
    assert a.to_dict() == b.to_dict()
    assert a.as_of == datetime.date(2026, 1, 1)


def test_datetime_is_refused_because_a_date_is_meant():
    with pytest.raises(cunwu.InputError) as e:
        cunwu.Catalogue.bundled().resolve(datetime.datetime(2026, 1, 1, 12, 0))
    assert e.value.code == "INPUT_INVALID_DATE"


def test_other_types_are_refused_with_a_code():
    with pytest.raises(cunwu.InputError):
        cunwu.Catalogue.bundled().resolve(20260101)


def test_rules_errors_list_every_problem_with_its_place():
    with pytest.raises(cunwu.RulesError) as e:
        cunwu.Catalogue.load("tests/fixtures/bad-district", bundled=True)
    codes = [(d["code"], d["location"]["line"]) for d in e.value.details()]
    assert codes == [("RULES_UNKNOWN_KEY", 25), ("CATALOGUE_LOOSENED_DISPLAY", 32), ("RULES_MISSING_LEGAL_BASIS", 35)]
    assert e.value.code == "RULES_UNKNOWN_KEY"
    assert isinstance(e.value, cunwu.CunwuError)


def test_catalogue_errors_are_their_own_class():
    with pytest.raises(cunwu.CatalogueError) as e:
        cunwu.Catalogue.bundled().resolve("2026-01-01", district="nowhere")
    assert e.value.code == "CATALOGUE_UNKNOWN_DISTRICT"


def test_in_memory_files_extend_the_bundled_rules():
    text = (REPO / "examples/districts/nanan-2026.toml").read_text(encoding="utf-8")
    rules = cunwu.Catalogue.from_files({"nanan.toml": text})
    cat = rules.resolve("2026-03-01", "南岸区")
    assert "service.reception-day" in cat
    assert cat.district == {"id": "500108", "name": "南岸区"}


def test_every_core_error_code_has_a_python_class():
    committed = json.loads((REPO / "tests/error-codes.json").read_text(encoding="utf-8"))
    assert [(c["area"], c["code"]) for c in committed] == cunwu.error_codes()
    from cunwu._errors import AREA_CLASSES

    for area, _code in cunwu.error_codes():
        assert issubclass(AREA_CLASSES[area], cunwu.CunwuError)


def test_reprs_and_lengths_are_useful():
    rules = cunwu.Catalogue.bundled()
    cat = rules.resolve("2026-01-01")
    assert repr(cat).startswith("<EffectiveCatalogue as_of=2026-01-01 items=")
    diff = rules.diff("2013-10-31", "2026-01-01")
    assert len(diff) > 0 and "公开频次：每季度 → 每月" in diff.text()
    assert "cq-policy-2018" in repr(rules)


def test_lint_returns_diagnostics_with_positions():
    diags = cunwu.Catalogue.lint("tests/fixtures/bad-district", bundled=True)
    assert [d.code for d in diags] == ["RULES_UNKNOWN_KEY", "CATALOGUE_LOOSENED_DISPLAY", "RULES_MISSING_LEGAL_BASIS"]
    first = diags[0]
    assert (first.file, first.line, first.column) == ("tests/fixtures/bad-district/bad-2026.toml", 25, 1)
    assert str(first).startswith("tests/fixtures/bad-district/bad-2026.toml:25:1: error[RULES_UNKNOWN_KEY]")


def test_compile_gives_json_rule_files_that_load_as_the_toml():
    compiled = cunwu.Catalogue.compile("examples/districts")
    assert list(compiled) == ["examples/districts/nanan-2026.toml"]
    from_json = cunwu.Catalogue.from_files(compiled)
    from_toml = cunwu.Catalogue.load("examples/districts", bundled=True)
    day = datetime.date(2026, 7, 1)
    a = from_json.resolve(day, "500108").to_dict()
    b = from_toml.resolve(day, "500108").to_dict()
    assert a == b


def test_compile_refuses_rules_with_errors():
    with pytest.raises(cunwu.RulesError) as e:
        cunwu.Catalogue.compile("tests/fixtures/bad-district")
    assert e.value.code == "RULES_UNKNOWN_KEY"
    assert e.value.details()[0]["location"]["line"] == 25


def test_the_table_renders():
    table = cunwu.Catalogue.bundled().resolve("2026-01-01").table()
    assert "| finance.income-expenditure | 村各项收入和支出 |" in table


def test_force_and_explanation_of_an_item():
    rules = cunwu.Catalogue.bundled()
    cat = rules.resolve("2026-01-01")
    assert all(i["force"] == "binding" for i in cat.items)
    assert {i["id"] for i in cat.advisory} >= {"finance.budget", "party.dues", "government.special-care"}
    assert cat.item("finance.budget") is None and cat.advisory_item("finance.budget")["force"] == "advisory"
    page = rules.explain("finance.budget", datetime.date(2026, 1, 1))
    assert page["force"] == "advisory"
    assert page["basis"][0]["jurisdiction"] == "上海市" and page["basis"][0]["binds"] is False
    text = rules.explain_text("service.cadre-relative-benefits", "2026-01-01", unit_kind="community")
    assert "一(一)四" in text and "直系亲属" in text and "有约束力" in text
    community = rules.resolve("2026-01-01", unit_kind="community")
    assert community.unit_kind == "community"
    assert community.parameter("reply.committee_to_resident_days") is None
    with pytest.raises(cunwu.InputError) as e:
        rules.explain("no.such-item", "2026-01-01")
    assert e.value.code == "INPUT_INVALID_REQUEST"
    with pytest.raises(cunwu.InputError):
        rules.resolve("2026-01-01", unit_kind="town")
