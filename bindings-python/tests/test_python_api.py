"""Behaving like a Python library: equality, dicts both ways, pickling (for worker processes),
iteration, and no panic escaping as anything but cunwu.InternalError."""

import concurrent.futures
import pickle

import pytest

import cunwu

RULES = cunwu.Catalogue.bundled()


def resolve_in_worker(catalogue, as_of):
    return len(catalogue.resolve(as_of))


def test_catalogue_pickles_and_equals_by_version():
    again = pickle.loads(pickle.dumps(RULES))
    assert again == RULES and hash(again) == hash(RULES)
    assert again.version.startswith("rules+")
    assert cunwu.Catalogue.load("examples/districts", bundled=True) != RULES


def test_catalogue_goes_to_worker_processes():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        sizes = list(pool.map(resolve_in_worker, [RULES, RULES], ["2026-01-01", "2013-10-31"]))
    assert sizes == [len(RULES.resolve("2026-01-01")), len(RULES.resolve("2013-10-31"))]


@pytest.mark.parametrize("make", [
    lambda: RULES.resolve("2026-01-01"),
    lambda: RULES.diff("2013-10-31", "2026-01-01"),
    lambda: cunwu.Catalogue.lint("tests/fixtures/bad-district", bundled=True)[0],
])
def test_data_classes_pickle_equal_and_round_trip_through_dicts(make):
    value = make()
    assert pickle.loads(pickle.dumps(value)) == value
    assert type(value).from_dict(value.to_dict()) == value


def test_iteration():
    cat = RULES.resolve("2026-01-01")
    assert [i["id"] for i in cat] == [i["id"] for i in cat.items]
    diff = RULES.diff("2013-10-31", "2026-01-01")
    assert sum(1 for _ in diff) == len(diff)


def test_cases_and_objections_pickle_and_round_trip():
    case = cunwu.DisclosureCase.open(RULES, "2026-04-01", {"id": "cw", "role": "committee"}, {"id": "v1", "kind": "village"}, "2026-Q1")
    assert pickle.loads(pickle.dumps(case)) == case
    assert cunwu.DisclosureCase.from_dict(RULES, case.to_dict()) == case
    o = cunwu.Objection.file(RULES, "2026-04-20", {"id": "r", "role": "resident"}, {"type": "filed", "unit": {"id": "v1", "kind": "village"},
        "objector": {"kind": "resident", "id": "r"}, "subject": {"kind": "violation", "item": 3}, "level": "committee", "text": "x"})
    assert pickle.loads(pickle.dumps(o)) == o
    assert cunwu.Objection.from_dict(RULES, o.to_dict()) == o


def test_a_tampered_dict_is_refused():
    case = cunwu.DisclosureCase.open(RULES, "2026-04-01", {"id": "cw", "role": "committee"}, {"id": "v1", "kind": "village"}, "2026-Q1")
    data = case.to_dict()
    data["log"][0]["date"] = "2026-03-31"
    with pytest.raises(cunwu.LogError) as e:
        cunwu.DisclosureCase.from_dict(RULES, data)
    assert e.value.code == "LOG_HASH"


@pytest.mark.parametrize("cls", [cunwu.DisclosureCase, cunwu.Objection])
def test_from_dict_without_a_log_is_an_input_error_not_a_key_error(cls):
    # Regression: a dict without "log" used to raise a bare KeyError.
    with pytest.raises(cunwu.InputError) as e:
        cls.from_dict(RULES, {"state": {}})
    assert e.value.code == "INPUT_INVALID_REQUEST"
    assert e.value.details()[0]["location"]["pointer"] == "/log"


def test_no_panic_reaches_python_as_a_base_exception():
    from cunwu import _cunwu

    with pytest.raises(cunwu.InternalError) as e:
        _cunwu._panic_for_tests()
    assert e.value.code == "INTERNAL_PANIC"
    assert isinstance(e.value, Exception)


def test_every_exception_class_carries_code_and_details():
    for cls in (cunwu.RulesError, cunwu.CatalogueError, cunwu.InputError, cunwu.CalendarError,
                cunwu.ProcedureError, cunwu.ObjectionError, cunwu.LogError, cunwu.InternalError):
        err = cls("message", "SOME_CODE", '[{"code": "SOME_CODE"}]')
        assert isinstance(err, cunwu.CunwuError) and err.code == "SOME_CODE" and err.details() == [{"code": "SOME_CODE"}]


def test_limits_are_configurable_pickled_and_raise_clear_errors():
    import pickle

    rules = cunwu.Catalogue.bundled().with_limits(max_log_entries=1, max_text_bytes=2000)
    assert rules.limits == {"max_file_lines": 10_000_000, "max_log_entries": 1, "max_text_bytes": 2000}
    assert pickle.loads(pickle.dumps(rules)).limits == rules.limits
    assert cunwu.Catalogue.bundled().limits["max_log_entries"] == 100_000
    with pytest.raises(cunwu.CunwuError) as e:
        cunwu.DisclosureCase.from_jsonl(rules, "{}\n{}\n")
    assert e.value.code == "LOG_TOO_LARGE"
    with pytest.raises(cunwu.CunwuError) as e:
        cunwu.DisclosureCase.from_jsonl(rules, "x" * 3000)
    assert e.value.code == "LOG_TOO_LARGE"
