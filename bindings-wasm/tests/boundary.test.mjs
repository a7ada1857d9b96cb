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

test("limits travel in the rules argument, each with its code", () => {
  const tight = { limits: { max_text_bytes: 64, max_log_entries: 1 } };
  const v = cunwu.validate(JSON.stringify({ item: "x".repeat(100) }), tight);
  assert.equal(v.findings[0].code, "INPUT_TOO_LARGE");
  const r = cunwu.caseReplay("{}\n{}\n", null, tight);
  assert.equal(r.errors[0].code, "LOG_TOO_LARGE");
  assert.equal(cunwu.schedule({ unit_kind: "village", year: 2026 }, tight).ok, true, "other calls are unaffected");
  const bad = cunwu.schedule({ unit_kind: "village", year: 2026 }, { limits: { max_lines: 1 } });
  assert.equal(bad.errors[0].code, "INPUT_INVALID_REQUEST");
});

// Issue 18: `mask` takes no rules, so the default text bound (64 MiB) is its limit; a text over it
// is refused before its bytes are copied into WebAssembly's memory, exactly at the limit in UTF-8
// bytes (a CJK character is three), and the package answers as before afterwards.
test("mask refuses a text over the default limit with INPUT_TOO_LARGE, counting UTF-8 bytes", async () => {
  const web = await import("../pkg/index.js");
  const { readFileSync } = await import("node:fs");
  web.initSync({ module: readFileSync(new URL("../pkg/cunwu_wasm_bg.wasm", import.meta.url)) });
  const limit = 64 << 20;
  for (const pkg of [cunwu, web]) {
    const ascii = "a".repeat(limit);
    assert.equal(pkg.mask(ascii).length, limit, "exactly at the limit is masked");
    const over = (text) => assert.throws(() => pkg.mask(text), (e) => {
      assert.ok(e instanceof pkg.CunwuInputError && e instanceof RangeError, String(e));
      assert.equal(e.diagnostic.code, "INPUT_TOO_LARGE");
      assert.equal(e.diagnostic.location.pointer, "/text");
      assert.match(e.diagnostic.message_en, /67108864 bytes/);
      return true;
    });
    over(ascii + "a");
    // A third as many characters, each three bytes: one character more than fits.
    over("村".repeat(Math.floor(limit / 3) + 1));
    assert.equal(pkg.mask("村".repeat(Math.floor(limit / 3))).length, Math.floor(limit / 3));
    over("😀".repeat(limit / 4 + 1));
    assert.equal(pkg.mask("13912345678"), "139****5678", "the next call answers as before");
  }
});
