"""The monthly compliance report (考评) for a city: every unit's records assessed, scored and
rolled up; then the same work split over worker processes, one per district, as a Dask or Spark
job would split it.

Run from the repository root:  python3 examples/python/compliance.py [report.html]
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime
import sys
from pathlib import Path
from typing import Any, Dict, List

import cunwu

EXAMPLE = Path("examples/compliance")
AS_OF = datetime.date(2026, 11, 30)


def read_rows() -> Dict[str, List[Dict[str, Any]]]:
    """The records as a host system holds them: lists of dicts (empty cells left out)."""
    rows: Dict[str, List[Dict[str, Any]]] = {}
    for path in sorted(EXAMPLE.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows[path.stem] = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(f)]
    return rows


def district_rows(rows: Dict[str, List[Dict[str, Any]]], district: str) -> Dict[str, List[Dict[str, Any]]]:
    units = [u for u in rows["units"] if u["district"] == district]
    ids = {u["id"] for u in units}
    part = {kind: [r for r in rs if r.get("unit") in ids] for kind, rs in rows.items() if kind not in ("units", "replies")}
    objections = {o["id"] for o in part.get("objections", [])}
    part["units"] = units
    part["replies"] = [r for r in rows.get("replies", []) if r["objection"] in objections]
    return part


def assess_district(catalogue: cunwu.Catalogue, rows: Dict[str, List[Dict[str, Any]]]) -> cunwu.AssessmentBatch:
    # Runs in a worker process: the catalogue and the batch travel by pickle.
    return catalogue.assess_units(rows, year=AS_OF.year, as_of=AS_OF)


if __name__ == "__main__":
    rules = cunwu.Catalogue.bundled()

    report = rules.assess(str(EXAMPLE), year=AS_OF.year, as_of=AS_OF)
    print(report)
    print(report.to_table(worst=3))

    rows = read_rows()
    districts = sorted({u["district"] for u in rows["units"]})
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        batches = list(pool.map(assess_district, [rules] * len(districts), [district_rows(rows, d) for d in districts]))
    combined = rules.roll_up(batches)
    print(f"{len(batches)} district batches rolled up: same ranking as one run: "
          f"{[u.id for u in combined] == [u.id for u in report]}")

    worst = report.worst(1)[0]
    finding = next(f for f in worst.findings if f["kind"] != "missing")
    print(f"worst: {worst.name} {worst.score} {worst.grade_zh}; e.g. {finding['kind']} {finding['item_name']} "
          f"{finding['period']}: {finding['explanation']['text_zh']}")

    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(report.to_html(), encoding="utf-8")
        print(f"HTML report written to {sys.argv[1]}")
