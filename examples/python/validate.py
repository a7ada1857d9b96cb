"""What the city system does when a village accountant submits March's finance statement: validate
it exactly as the browser form did, with Decimal amounts and date objects as Python gives them.

Run from the repository root:  python3 examples/python/validate.py
"""

import datetime
import decimal
import json

import cunwu

submission = json.load(open("examples/submissions/finance-bad.json", encoding="utf-8"))
answer = cunwu.validate(submission)
print("accepted:", answer["ok"], "|", len(answer["findings"]), "findings")
for finding in answer["findings"][:4]:
    print(f"  {finding['location']['pointer']}: {finding['code']}")

good = json.load(open("examples/submissions/finance-good.json", encoding="utf-8"))
good["posting"]["date"] = datetime.date(2026, 4, 15)
good["payload"]["opening_balance"] = decimal.Decimal("152300.50")
print("the corrected statement is accepted:", cunwu.validate(good)["ok"])
print(cunwu.mask("联系人 13912345678，身份证 11010519491231002X"))
