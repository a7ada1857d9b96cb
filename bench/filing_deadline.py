"""cunwu's filing-deadline computation against a straightforward pure-Python implementation built
on the `chinese-calendar` package: agreement on every posting day 2018-01-01..2026-12-10, and
the speed ratio, measured in one run.

Run after the test command has installed the package:  python3 bench/filing_deadline.py
"""

import datetime
import time

import chinese_calendar

import cunwu


def pure_python_deadline(posted: datetime.date, days: int = 5) -> datetime.date:
    """Civil-law counting: the posting day is not counted; a last day off moves to the next working day."""
    last = posted + datetime.timedelta(days=days)
    while not chinese_calendar.is_workday(last):
        last += datetime.timedelta(days=1)
    return last


rules = cunwu.Catalogue.bundled()
first, last = datetime.date(2018, 1, 1), datetime.date(2026, 12, 10)
days = [first + datetime.timedelta(n) for n in range((last - first).days + 1)]

start = time.perf_counter()
ours = [rules.period(d, "+5d", rule="extension.filing")["date"] for d in days]
cunwu_seconds = time.perf_counter() - start

start = time.perf_counter()
theirs = [pure_python_deadline(d).isoformat() for d in days]
python_seconds = time.perf_counter() - start

disagreements = [(d, a, b) for d, a, b in zip(days, ours, theirs) if a != b]
print(f"{len(days)} posting days; disagreements: {len(disagreements)}")
for d, a, b in disagreements[:10]:
    print(f"  {d}: cunwu {a}, chinese-calendar {b}")
print(f"cunwu (with explanation, dict out): {cunwu_seconds / len(days) * 1e6:.1f} µs per deadline")
print(f"pure Python + chinese-calendar:     {python_seconds / len(days) * 1e6:.1f} µs per deadline")
print(f"ratio: cunwu takes {cunwu_seconds / python_seconds:.2f}x the pure-Python time")
