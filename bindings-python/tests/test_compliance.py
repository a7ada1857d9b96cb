"""Compliance from Python: the batch call in worker processes (as a Dask or Spark partition
would run it), pickling, rows in memory with bad rows reported, renderings."""

import concurrent.futures
import csv
import decimal
import io
import pickle
from pathlib import Path

import pytest

import cunwu

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "compliance"
RULES = cunwu.Catalogue.bundled()
AS_OF = "2026-12-24"


def read_rows():
    """The example city as a dict of row lists, the way a host system holds it."""
    rows = {}
    for path in sorted(EXAMPLE.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows[path.stem] = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(f)]
    for r in rows.get("postings", []):
        if "boards" in r:
            r["boards"] = int(r["boards"])
    return rows


def partition(rows, district):
    """The rows of one district: what one worker receives."""
    units = [u for u in rows["units"] if u["district"] == district]
    ids = {u["id"] for u in units}
    objections = [o for o in rows.get("objections", []) if o["unit"] in ids]
    names = {o["id"] for o in objections}
    part = {k: [r for r in v if r.get("unit") in ids] for k, v in rows.items() if k not in ("units", "replies")}
    part["units"] = units
    part["replies"] = [r for r in rows.get("replies", []) if r["objection"] in names]
    return part


def assess_partition(catalogue, part):
    return catalogue.assess_units(part, year=2026, as_of=AS_OF)


def test_folder_and_rows_give_the_same_report():
    from_folder = RULES.assess(str(EXAMPLE), year=2026, as_of=AS_OF)
    from_rows = RULES.assess(read_rows(), year=2026, as_of=AS_OF)
    assert from_folder.city == from_rows.city
    assert [u.id for u in from_folder] == [u.id for u in from_rows]
    assert [u.findings for u in from_folder] != [] and len(from_folder) == 18


def test_partitions_in_worker_processes_roll_up_to_the_whole_city():
    rows = read_rows()
    districts = sorted({u["district"] for u in rows["units"]})
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        batches = list(pool.map(assess_partition, [RULES] * len(districts), [partition(rows, d) for d in districts]))
    combined = RULES.roll_up(batches)
    whole = RULES.assess(rows, year=2026, as_of=AS_OF)
    assert combined.city == whole.city
    assert combined.districts == whole.districts
    assert [(u.id, u.rank, u.score) for u in combined] == [(u.id, u.rank, u.score) for u in whole]


def test_objects_pickle_and_compare():
    report = RULES.assess(str(EXAMPLE), year=2026, as_of=AS_OF)
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again.city == report.city
    unit = report.units[0]
    assert pickle.loads(pickle.dumps(unit)) == unit
    assert cunwu.UnitAssessment.from_dict(unit.to_dict()) == unit
    assert cunwu.ComplianceReport.from_dict(report.to_dict()) == report
    assert isinstance(unit.score, decimal.Decimal)
    assert "UnitAssessment" in repr(unit) and "ComplianceReport" in repr(report)


def test_rows_with_mistakes_are_reported_and_the_rest_evaluated():
    unit = {"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}
    rows = {
        "units": [unit, dict(unit, id="v2", kind="hamlet")],
        "postings": [
            {"unit": "v1", "item": "finance.income-expenditure", "period": "2026-01", "posted": "2026-02-10"},
            {"unit": "v1", "item": "finance.income-expenditure", "period": "2026-02", "posted": "2026-02-30"},
            {"unit": "nobody", "item": "finance.income-expenditure", "period": "2026-02", "posted": "2026-03-10"},
        ],
    }
    report = RULES.assess(rows, year=2026, as_of="2026-03-31")
    assert len(report) == 1
    problems = [(p.code, p.file, p.pointer) for p in report.problems]
    assert problems == [
        ("COMPLIANCE_BAD_ROW", "<units>", "/1/kind"),
        ("COMPLIANCE_BAD_ROW", "<postings>", "/1/posted"),
        ("COMPLIANCE_UNKNOWN_UNIT", "<postings>", "/2"),
    ]


def test_no_scheme_in_force_raises_compliance_error():
    with pytest.raises(cunwu.ComplianceError) as e:
        # 2018 is in the holiday data; the default scheme starts on 2018-04-24.
        RULES.assess({"units": []}, year=2018, as_of="2018-03-31")
    assert e.value.code == "COMPLIANCE_NO_SCHEME"


def test_records_or_files_not_both():
    with pytest.raises(cunwu.InputError):
        RULES.assess({"units": []}, year=2026, files={"units.csv": "id,name,kind,township,district\n"})


def test_renderings():
    report = RULES.assess(str(EXAMPLE), year=2026, as_of=AS_OF)
    units = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [int(u["rank"]) for u in units] == list(range(1, 19))
    findings = list(csv.DictReader(io.StringIO(report.to_csv(findings=True))))
    assert len(findings) == sum(len(u.findings) for u in report)
    assert "全市" in report.to_table()
    html = report.to_html()
    assert html.count('<section class="unit"') == 18 and "<svg" in html
