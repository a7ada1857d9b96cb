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
}
