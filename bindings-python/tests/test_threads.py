"""Issue 23: one case or objection used from several threads. Calls are serialised (a waiting
thread releases the GIL); nothing is lost or applied twice, and no thread sees a plain
``RuntimeError: Already borrowed``."""

import json
import threading
import time
from pathlib import Path

import cunwu

REPO = Path(__file__).resolve().parents[2]
CASE = json.loads((REPO / "tests/cases/procedure.json").read_text(encoding="utf-8"))["cases"][0]["request"]


class Slow:
    """A value whose conversion (``json.dumps(default=str)``) takes a while and uses the object
    meanwhile, as a host's lazy value might, so the other thread's call lands in the middle."""

    calls = 0

    def __init__(self, value, journal):
        self.value, self.journal = value, journal

    def __str__(self):
        Slow.calls += 1
        time.sleep(0.02)
        len(self.journal)  # re-entrant use while converting: must not deadlock
        return self.value


def open_case():
    o = CASE["open"]
    return cunwu.DisclosureCase.open(cunwu.Catalogue.bundled(), o["date"], o["actor"], o["unit"], o["period"], o["pipeline"])


def test_two_threads_applying_to_one_case_are_serialised_and_nothing_is_lost():
    case = open_case()
    first = CASE["events"][0]
    errors, answers = [], []

    def worker(event):
        try:
            answers.append(case.apply(event["date"], event["actor"], event["event"]))
        except Exception as e:  # noqa: BLE001 - the test records whatever comes
            errors.append(e)

    # The same plan proposed twice at once: the first is applied, the second is refused by the
    # procedure (a plan is already proposed), never by a borrow conflict.
    calls = Slow.calls
    slow = dict(first, event=dict(first["event"], planned_publication=Slow(first["event"]["planned_publication"], case)))
    threads = [threading.Thread(target=worker, args=(e,)) for e in (slow, first)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Slow.calls > calls, "the slow conversion ran"
    assert not any(type(e) is RuntimeError for e in errors), errors
    assert all(isinstance(e, cunwu.CunwuError) for e in errors), errors
    assert len(answers) + len(errors) == 2
    assert len(case) == 1 + len(answers)
    replayed = cunwu.DisclosureCase.from_jsonl(cunwu.Catalogue.bundled(), case.to_jsonl())
    assert replayed == case


def test_readers_and_a_writer_in_many_threads():
    case = open_case()
    stop = threading.Event()
    failures = []

    def reader():
        while not stop.is_set():
            try:
                case.status("2026-04-10")
                case.to_jsonl()
                repr(case)
                assert case == case
            except Exception as e:  # noqa: BLE001
                failures.append(e)

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for t in readers:
        t.start()
    try:
        for event in CASE["events"][:4]:
            case.apply(event["date"], event["actor"], event["event"])
    finally:
        stop.set()
    for t in readers:
        t.join()
    assert failures == []
    assert len(case) == 5


def test_objections_are_serialised_too():
    rules = cunwu.Catalogue.bundled()
    o = cunwu.Objection.file(rules, "2026-04-20", {"id": "r1", "role": "resident"}, {"type": "filed",
        "unit": {"id": "v1", "kind": "village"}, "objector": {"kind": "resident", "id": "r1"},
        "subject": {"kind": "disclosure", "aspect": "content"}, "level": "committee", "text": "账目不清"})
    results = []

    def worker(actor_id):
        try:
            results.append(o.apply("2026-04-21", {"id": actor_id, "role": "committee"}, {"type": "acknowledged"}))
        except cunwu.CunwuError as e:
            results.append(e)

    threads = [threading.Thread(target=worker, args=(Slow("cw", o) if i == 0 else "cw",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    applied = [r for r in results if isinstance(r, dict)]
    assert len(applied) == 1 and len(o) == 2, results
