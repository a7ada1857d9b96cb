"""Time cunwu.validate from Python on the statement written by the native timing program.
Prints microseconds per call (best of 5 runs)."""

import json
import sys
import timeit

import cunwu

submission = json.load(open(sys.argv[1], encoding="utf-8"))
rules = cunwu.Catalogue.bundled()
assert cunwu.validate(submission, rules)["ok"]
timer = timeit.Timer(lambda: cunwu.validate(submission, rules))
timer.timeit(100)
print(f"{min(timer.repeat(5, 300)) / 300 * 1e6:.1f}")
