// Requests cross the boundary as JSON text (JSON.stringify, then serde_json): values JSON cannot
// represent are answered with an error, never thrown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cunwu = require("../pkg-node");

test("a BigInt in a request is an INPUT_INVALID_REQUEST answer", () => {
  const a = cunwu.schedule({ unit_kind: "village", year: 2026n });
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "INPUT_INVALID_REQUEST");
});

test("a missing request is an INPUT_INVALID_REQUEST answer", () => {
  const a = cunwu.unitCompliance(undefined);
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "INPUT_INVALID_REQUEST");
});

test("a cyclic submission is a finding, not an exception", () => {
  const s = { item: "finance.income-expenditure" };
  s.self = s;
  const a = cunwu.validate(s);
  assert.equal(a.ok, false);
  assert.equal(a.findings[0].code, "VALIDATION_TYPE");
});

test("Date objects arrive as ISO text: a datetime is refused as a date", () => {
  const a = cunwu.period({ start: new Date("2026-02-12T00:00:00Z"), length: "+5d" });
  assert.equal(a.ok, false);
});
