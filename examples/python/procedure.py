"""A full quarter of a sample village's disclosure, as the city system would record it: the plan,
the supervision committee's objection and the answer, the decision, publication, filing, the
township's rectification order, re-publication, re-filing and acceptance. Prints the status as the
case goes, and writes the hash-chained log as JSON Lines.

Run from the repository root:  python3 examples/python/procedure.py [OUT.jsonl]
"""

import sys

import cunwu

rules = cunwu.Catalogue.bundled()
committee = {"id": "cw-01", "role": "committee", "name": "示例村村民委员会"}
supervision = {"id": "jw-01", "role": "supervision_committee", "name": "示例村村务监督委员会"}
meeting = {"id": "cw-meeting", "role": "committee_meeting"}
township = {"id": "town-01", "role": "township_officer", "name": "示例镇民政办"}

case = cunwu.DisclosureCase.open(
    rules, "2026-04-01", committee, {"id": "cq-demo-001", "kind": "village", "name": "示例村"}, "2026-Q1"
)
required = [i["id"] for i in rules.plan_requirements("village", "2026-Q1")]
try:
    case.apply("2026-04-02", committee, {"type": "plan_proposed", "items": required[:-1], "planned_publication": "2026-04-15"})
except cunwu.ProcedureError as error:
    print("plan refused:", error.code, error.details()[0]["message_zh"][:60], "…")

board = {"boards": ["村便民服务中心公开栏"], "reported_at_meeting": True, "printed_copies": True}
steps = [
    ("2026-04-02", committee, {"type": "plan_proposed", "items": sorted(set(required)), "planned_publication": "2026-04-15"}),
    ("2026-04-05", supervision, {"type": "plan_reviewed", "objection": "“十公开”事项未列明享受人员名单"}),
    ("2026-04-08", committee, {"type": "objection_answered", "accepted": True, "answer": "已补充名单"}),
    ("2026-04-09", meeting, {"type": "plan_decided"}),
    ("2026-04-15", committee, {"type": "published", **board}),
]
for date, actor, event in steps:
    case.apply(date, actor, event)
status = case.status("2026-04-25")
print("2026-04-25:", status["stage_zh"], "| overdue:", [(o["rule"], o["overdue_days"]) for o in status["overdue"]])

for date, actor, event in [
    ("2026-04-17", committee, {"type": "filed"}),
    ("2026-04-28", township, {"type": "rectification_ordered", "reasons": ["财务收支明细不全"]}),
    ("2026-05-06", committee, {"type": "published", **board}),
    ("2026-05-08", committee, {"type": "filed"}),
    ("2026-05-20", township, {"type": "review_accepted"}),
]:
    case.apply(date, actor, event)

status = case.status("2026-05-21")
print("2026-05-21:", status["stage_zh"], "| next:", [a["event"] for a in status["next_actions"]], "| entries:", len(case))
# The one table of Chinese names every surface shows: an event's JSON name as a cadre reads it.
names = cunwu.labels()
print("下一步：", "、".join(names["case_event"][a["event"]] for a in status["next_actions"]))

text = case.to_jsonl()
if len(sys.argv) > 1:
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(text)
replayed = cunwu.DisclosureCase.from_jsonl(rules, text)
assert replayed.state == case.state
tampered = text.replace("财务收支明细不全", "无问题", 1)
try:
    cunwu.DisclosureCase.from_jsonl(rules, tampered)
except cunwu.LogError as error:
    print("tampered log refused:", error.code, error.details()[0]["location"]["pointer"])
