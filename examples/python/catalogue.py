"""What the city information system does with the catalogue: the items a village must disclose
this quarter, with the legal basis of each, and what a district's catalogue changes.

Run from the repository root:  python3 examples/python/catalogue.py
"""

import datetime

import cunwu

rules = cunwu.Catalogue.load("examples/districts", bundled=True)
catalogue = rules.resolve(datetime.date(2026, 7, 1), district="南岸区")
print(catalogue)

quarterly = [
    item for item in catalogue.items
    if "quarterly" in item["cadence"]["value"]
    and any(s["value"] == "village" for s in item["scope"])
]
print(f"{len(quarterly)} quarterly items for a village, due on the 15th:")
for item in quarterly[:5]:
    basis = "；".join(f"{b['doc']} {b['article']}" for b in item["basis"])
    print(f"  {item['name']['value']}  [{basis}]")

filing = catalogue.parameter("filing.deadline_days")
print(f"filing with the township within {filing['value']} days (set by {filing['layer']})")

city = cunwu.Catalogue.bundled()
for change in city.diff("2018-04-23", "2018-04-24").changes[:3]:
    print(" ", change["summary_zh"])

try:
    city.resolve("2026-02-30")
except cunwu.InputError as error:
    print("refused:", error.code, error.details()[0]["message_zh"])
