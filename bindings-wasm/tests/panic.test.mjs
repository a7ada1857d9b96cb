// No panic crosses into JavaScript: the core denies panics by lint, and as a last line each
// package's entry module catches the trap a panic becomes, answers INTERNAL_PANIC with the panic's
// message, and replaces the instance, so the next call works (scripts/wasm-guard.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const node = createRequire(import.meta.url)("../pkg-node");
const web = await import("../pkg/index.js");
web.initSync({ module: readFileSync(new URL("../pkg/cunwu_wasm_bg.wasm", import.meta.url)) });

for (const [name, cunwu] of [["Node package", node], ["browser package", web]]) {
  test(`${name}: a panic is an INTERNAL_PANIC answer with its message`, () => {
    const a = cunwu.__cunwu_panic_for_tests();
    assert.equal(a.ok, false);
    assert.equal(a.errors[0].code, "INTERNAL_PANIC");
    assert.match(a.errors[0].message_en, /deliberate panic for the test suite/);
    assert.match(a.errors[0].message_zh, /内部错误/);
  });

  test(`${name}: after a panic the package answers as before, however many panics`, () => {
    const before = cunwu.schedule({ unit_kind: "village", year: 2026 });
    for (let i = 0; i < 200; i++) assert.equal(cunwu.__cunwu_panic_for_tests().ok, false);
    const after = cunwu.schedule({ unit_kind: "village", year: 2026 });
    assert.equal(after.ok, true);
    assert.deepEqual(after, before);
    assert.equal(cunwu.mask("13912345678"), "139****5678");
    assert.equal(cunwu.validate({ item: "finance.income-expenditure" }).ok, false);
  });

  test(`${name}: a number where text is expected is refused before it reaches WebAssembly`, () => {
    // wasm-bindgen reads a string argument's bytes without asking; a number once read out of bounds.
    assert.throws(() => cunwu.mask(42), TypeError);
    const a = cunwu.caseReplay(42, null);
    assert.equal(a.ok, false);
    assert.equal(a.errors[0].code, "INPUT_INVALID_REQUEST");
    assert.equal(a.errors[0].location.pointer, "/jsonl");
    assert.equal(cunwu.caseReplay("", undefined).ok, false, "null or undefined where allowed goes through");
    assert.equal(cunwu.mask("13912345678"), "139****5678");
  });

  test(`${name}: a panic inside a call nested in another call's argument leaves both answered and the next call correct`, () => {
    // Issue 23: a getter of an argument runs while cunwu reads it, and may call cunwu. A trap in
    // that inner call once replaced the instance under the outer call, which then answered
    // undefined and left the next, unrelated call reading garbage.
    const bad = JSON.parse(readFileSync(new URL("../../examples/submissions/finance-bad.json", import.meta.url), "utf8"));
    const expected = cunwu.validate(bad);
    let inner;
    const submission = {
      item: "finance.income-expenditure",
      get payload() {
        inner = cunwu.__cunwu_panic_for_tests();
        return {};
      },
    };
    const outer = cunwu.validate(submission);
    assert.equal(inner.ok, false);
    assert.equal(inner.errors[0].code, "INTERNAL_PANIC");
    assert.equal(outer.ok, false, "the outer call answers");
    assert.equal(outer.findings[0].code, "INTERNAL_PANIC", "and says its run was not sound");
    assert.deepEqual(cunwu.validate(bad), expected, "the next call answers as before");
    // Nested twice, with a plain-value function in between.
    const deep = {
      get a() {
        return cunwu.schedule({ unit_kind: "village", year: 2026, get today() {
          try { cunwu.mask({ toString() { return "x"; } }); } catch (_) { /* a TypeError, before WebAssembly */ }
          cunwu.__cunwu_panic_for_tests();
          return "2026-04-14";
        } });
      },
    };
    assert.equal(cunwu.validate(deep).ok, false);
    assert.deepEqual(cunwu.validate(bad), expected);
    assert.equal(cunwu.mask("13912345678"), "139****5678");
    // A nested call that does not panic changes nothing.
    const fine = { item: "finance.income-expenditure", get note() { return cunwu.mask("13912345678"); } };
    assert.equal(cunwu.validate(fine).findings.some((f) => f.code === "INTERNAL_PANIC"), false);
  });
}
