// The conformance matcher (tests/README.md), the same rules as the Rust and Python runners.

export function matches(expected, actual, path = "") {
  const failures = [];
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(expected) && Object.keys(expected).some((k) => k.startsWith("$") && k !== "$absent")) {
    if (!Array.isArray(actual)) return [`${path}: matchers need an array, found ${JSON.stringify(actual)}`];
    for (const [op, arg] of Object.entries(expected)) {
      if (op === "$len") {
        if (actual.length !== arg) failures.push(`${path}: length ${actual.length} != ${arg}`);
      } else if (op === "$min_len") {
        if (actual.length < arg) failures.push(`${path}: length ${actual.length} < ${arg}`);
      } else if (op === "$contains") {
        arg.forEach((want, i) => {
          if (!actual.some((got) => matches(want, got).length === 0))
            failures.push(`${path}: no element matches $contains[${i}] = ${JSON.stringify(want)}`);
        });
      } else if (op === "$excludes") {
        arg.forEach((unwanted, i) => {
          const hit = actual.find((got) => matches(unwanted, got).length === 0);
          if (hit !== undefined) failures.push(`${path}: $excludes[${i}] matched ${JSON.stringify(hit)}`);
        });
      } else {
        failures.push(`${path}: unknown matcher ${op}`);
      }
    }
    return failures;
  }
  if (isObj(expected)) {
    if (!isObj(actual)) return [`${path}: expected an object, found ${JSON.stringify(actual)}`];
    for (const [k, v] of Object.entries(expected)) {
      if (k === "$absent") {
        for (const name of v) if (name in actual) failures.push(`${path}/${name}: present, expected absent`);
      } else if (!(k in actual)) failures.push(`${path}/${k}: missing`);
      else failures.push(...matches(v, actual[k], `${path}/${k}`));
    }
    return failures;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${path}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`];
    expected.forEach((e, i) => failures.push(...matches(e, actual[i], `${path}/${i}`)));
    return failures;
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`];
}
