#!/usr/bin/env python3
"""Compare the answers of the Rust, Python and WASM runners to the conformance corpus byte for byte.

Each runner, with CUNWU_PARITY_DIR set, writes `<runner>.jsonl` there: one line per case, the case
name and its answer as the runner's own JSON (Rust: serde_json; Python: json.dumps with dates in
ISO form and decimals as their exact text; WASM: JSON.stringify). Each answer is put in one
canonical text (keys sorted, no spaces, non-ASCII as is) and the three texts must be equal: the
same codes, the same dates, the same decimal scale, the same order of every array.

Usage: tests/parity.py DIR [--min-cases N]   (exit 1 on any difference, naming the first place)
"""

import json
import pathlib
import sys

RUNNERS = ("rust", "python", "wasm")


def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return f"{path or '/'}: {canonical(a)[:200]} vs {canonical(b)[:200]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: present in only one ({'first' if key in a else 'second'})"
            found = first_difference(a[key], b[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path or '/'}: {len(a)} elements vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
        return None
    return None if canonical(a) == canonical(b) else f"{path or '/'}: {canonical(a)[:200]} vs {canonical(b)[:200]}"


def read(path):
    answers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        answers[record["case"]] = record["answer"]
    return answers


def main():
    args = sys.argv[1:]
    directory = pathlib.Path(args[0])
    min_cases = int(args[args.index("--min-cases") + 1]) if "--min-cases" in args else 200
    runs = {}
    for runner in RUNNERS:
        path = directory / f"{runner}.jsonl"
        if not path.exists():
            print(f"parity: {path} is missing (did the {runner} runner run with CUNWU_PARITY_DIR?)")
            return 1
        runs[runner] = read(path)
    names = set(runs["rust"])
    for runner in RUNNERS[1:]:
        if set(runs[runner]) != names:
            print(f"parity: {runner} ran other cases than rust: {sorted(set(runs[runner]) ^ names)[:5]}")
            return 1
    differences = []
    for name in sorted(names):
        texts = {runner: canonical(runs[runner][name]) for runner in RUNNERS}
        for runner in RUNNERS[1:]:
            if texts[runner] != texts["rust"]:
                where = first_difference(runs["rust"][name], runs[runner][name])
                differences.append(f"{name}: rust vs {runner}: {where}")
    print(f"parity: {len(names)} cases, {len(differences)} answers differ")
    for d in differences[:40]:
        print("  " + d)
    if len(names) < min_cases:
        print(f"parity: the corpus has {len(names)} cases, fewer than {min_cases}")
        return 1
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
