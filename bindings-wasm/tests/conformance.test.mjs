// The conformance corpus under tests/cases, run through the Node package (every capability).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { matches } from "./matching.mjs";
import { corpus, repo, runCase } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cunwu = require(process.env.CUNWU_WASM_PKG ?? join(here, "..", "pkg-node"));

// Every runner writes its answers for tests/parity.py, which compares them byte for byte.
const parity = [];
const cases = corpus();
for (const { file, c } of cases) {
  test(`${file}: ${c.name}`, () => {
    const answer = runCase(cunwu, c);
    parity.push(JSON.stringify({ case: `${file}: ${c.name}`, answer }));
    const failures = matches(c.expect, answer);
    assert.deepEqual(failures, []);
  });
}
after(() => {
  const dir = process.env.CUNWU_PARITY_DIR;
  if (dir && parity.length === cases.length) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "wasm.jsonl"), parity.map((l) => l + "\n").join(""));
  }
});

test("bad requests are answered, never thrown", () => {
  const a = cunwu.resolveCatalogue({ as_of: 20260101 });
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "INPUT_INVALID_REQUEST");
  const b = cunwu.resolveCatalogue("not an object");
  assert.equal(b.ok, false);
  const c = cunwu.lintRules({ files: "nope" });
  assert.equal(c.ok, false);
});

test("error codes match the committed list", () => {
  const committed = JSON.parse(readFileSync(join(repo, "tests", "error-codes.json"), "utf8"));
  assert.deepEqual(cunwu.errorCodes(), committed);
});

test("the rule-file schema is the committed one", () => {
  const committed = readFileSync(join(repo, "rules", "schema", "rule-file.schema.json"), "utf8");
  assert.equal(cunwu.ruleFileSchema(), committed);
});
