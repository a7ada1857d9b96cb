"""What a township's reminder service does: a village's 2026 obligations, what changes next, and
why a deadline is the date it is.

Run from the repository root:  python3 examples/python/schedule.py
"""

import datetime

import cunwu

rules = cunwu.Catalogue.bundled()
today = datetime.date(2026, 9, 28)

schedule = rules.schedule("village", 2026, today=today)
wake = schedule["next_wake_up"]
print(f"next change after {today}: {wake['date']} ({len(wake['events'])} events)")

october = [o for o in schedule["obligations"] if o["due"].get("date", "").startswith("2026-10")]
print(f"{len(october)} obligations fall due in October 2026")
first = october[0]
print(f"  {first['name']} ({first['covers']['label']}): due {first['due']['date']}, "
      f"filing by {first['filing']['date']}, review by {first['review']['date']}")

# A land-compensation decision taken today must be published within 10 days — over the holiday.
event = rules.event_obligation("finance.land-compensation", today)
print(f"land compensation decided {today}: publish by {event['due']['date']}")
print(event["due"]["explanation"]["steps"][-1]["zh"])

# Dates past the official holiday data are refused, not guessed.
try:
    rules.period("2026-12-20", "+10d")
except cunwu.CalendarError as error:
    print("refused:", error.code)
print("estimated:", rules.period("2026-12-20", "+10d", estimate=True)["date"])
