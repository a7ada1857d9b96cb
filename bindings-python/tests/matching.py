"""The conformance matcher (tests/README.md), the same rules as the Rust and Node runners."""

from typing import Any, List


def matches(expected: Any, actual: Any, path: str = "") -> List[str]:
    failures: List[str] = []
    if isinstance(expected, dict) and any(k.startswith("$") and k != "$absent" for k in expected):
        if not isinstance(actual, list):
            return [f"{path}: matchers need an array, found {actual!r}"]
        for op, arg in expected.items():
            if op == "$len" and len(actual) != arg:
                failures.append(f"{path}: length {len(actual)} != {arg}")
            elif op == "$min_len" and len(actual) < arg:
                failures.append(f"{path}: length {len(actual)} < {arg}")
            elif op == "$contains":
                for i, want in enumerate(arg):
                    if not any(not matches(want, got) for got in actual):
                        failures.append(f"{path}: no element matches $contains[{i}] = {want!r}")
            elif op == "$excludes":
                for i, unwanted in enumerate(arg):
                    hit = next((got for got in actual if not matches(unwanted, got)), None)
                    if hit is not None:
                        failures.append(f"{path}: $excludes[{i}] matched {hit!r}")
            elif op not in ("$len", "$min_len", "$contains", "$excludes"):
                failures.append(f"{path}: unknown matcher {op}")
        return failures
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, found {actual!r}"]
        for key, value in expected.items():
            if key == "$absent":
                failures.extend(f"{path}/{k}: present, expected absent" for k in value if k in actual)
            elif key not in actual:
                failures.append(f"{path}/{key}: missing")
            else:
                failures.extend(matches(value, actual[key], f"{path}/{key}"))
        return failures
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, found {actual!r}"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            failures.extend(matches(e, a, f"{path}/{i}"))
        return failures
    if isinstance(expected, bool) or isinstance(actual, bool):
        ok = expected is actual
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        ok = float(expected) == float(actual)
    else:
        ok = expected == actual
    return [] if ok else [f"{path}: expected {expected!r}, found {actual!r}"]
