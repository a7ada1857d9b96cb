"""A resident's objection to a village's March finance disclosure, as the city system would record
it: the committee does not answer in time, the resident goes to the township, the township upholds
the objection and orders correction; the disclosure case must be published again before it can
close. Prints the deadlines as they come and the public record (互动空间) for the board.

Run from the repository root:  python3 examples/python/objection.py [OUT.jsonl]
"""

import sys

import cunwu

rules = cunwu.Catalogue.bundled()
resident = {"id": "resident-0042", "role": "resident"}
committee = {"id": "cw-01", "role": "committee"}
township = {"id": "town-01", "role": "township_officer"}

objection = cunwu.Objection.file(rules, "2026-04-20", resident, {
    "type": "filed",
    "unit": {"id": "cq-demo-001", "kind": "village", "name": "示例村"},
    "objector": {"kind": "resident", "id": "resident-0042"},
    "subject": {"kind": "disclosure", "aspect": "content", "case": {"unit_id": "cq-demo-001", "period": "2026-Q1"}},
    "level": "committee",
    "text": "三月财务收支公开缺少支出明细。联系电话13912345678",
})
print("committee must reply by", objection.status("2026-04-20")["reply"]["date"])
print("may escalate on 2026-04-24:", objection.status("2026-04-24")["may_escalate_for_lateness"])

objection.apply("2026-04-24", resident, {"type": "escalated", "reason": "overdue"})
print("township must reply by", objection.status("2026-04-24")["reply"]["date"])
objection.apply("2026-04-29", township, {"type": "replied", "outcome": "upheld",
                                         "reasons": "支出明细确有遗漏", "written": True})
objection.apply("2026-04-29", township, {"type": "correction_ordered"})
print("re-publication due by", objection.status("2026-04-29")["republication"]["date"])

# The same upholding, recorded on the disclosure case: it cannot close until published again.
case_log = open("examples/procedure/village-2026-q1.jsonl", encoding="utf-8").read()
lines = case_log.splitlines()[:7]  # up to the first filing
case = cunwu.DisclosureCase.from_jsonl(rules, "\n".join(lines) + "\n")
case.apply("2026-04-29", township, {"type": "correction_required", "objection": objection.id})
print("case:", case.state["stage"], "| blocked from closing:",
      [a["event"] for a in case.next_actions("2026-04-29")])

objection.apply("2026-05-06", committee, {"type": "republished"})
print()
print(objection.public_text())
if len(sys.argv) > 1:
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(objection.to_jsonl())
