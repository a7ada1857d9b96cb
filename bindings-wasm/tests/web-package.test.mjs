// The browser package (bindings-wasm/pkg: built for size, the browser's API only, no TOML reader),
// initialised from its bytes as a page does, run in Node: the conformance corpus for every
// capability it has, with rule folders compiled to JSON by the Node package (`compileRules`), as
// a server ships them to the page. Answers must match the same expectations as every runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { matches } from "./matching.mjs";
import { corpus, rulesInput, runCase } from "./corpus.mjs";

const web = await import("../pkg/index.js");
web.initSync({ module: readFileSync(new URL("../pkg/cunwu_wasm_bg.wasm", import.meta.url)) });
const node = createRequire(import.meta.url)("../pkg-node");

// Operations of the corpus that the browser package leaves to the Node package (and why).
const NODE_ONLY = {
  diff_catalogue: "diffCatalogue",
  lint: "lintRules",
  explain_item: "explainItem",
  compliance: "assessCompliance (city-wide, record files)",
  unit_compliance: "unitCompliance (the evaluator is a seventh of the browser package's budget)",
  due_between: "dueBetween (the city's nightly job, not a form's)",
  labels: "labels (a server sends the table of names to its pages)",
};

const cases = corpus();
const leftOut = [];
for (const { file, c } of cases) {
  if (c.op in NODE_ONLY) {
    leftOut.push(`${file}: ${c.name} (${NODE_ONLY[c.op]})`);
    continue;
  }
  let rules;
  if (c.rules) {
    const compiled = node.compileRules(rulesInput(c.rules));
    if (!compiled.ok) {
      // Rule folders with errors are the lint's cases: `compileRules` refuses them, so a page
      // never receives them.
      leftOut.push(`${file}: ${c.name} (its rules do not compile: ${compiled.errors[0].code})`);
      continue;
    }
    rules = compiled.value;
    assert.ok(rules.files.every((f) => f.text.startsWith("{")), "compiled rule files are JSON");
  }
  // Rules a log is replayed under after an upgrade arrive compiled too.
  const compile = (spec) => {
    const compiled = node.compileRules(rulesInput(spec));
    assert.ok(compiled.ok, JSON.stringify(compiled.errors));
    return compiled.value;
  };
  test(`browser package: ${file}: ${c.name}`, () => {
    assert.deepEqual(matches(c.expect, runCase(web, c, rules, compile)), []);
  });
}

test("the browser package runs most of the corpus", () => {
  // Three quarters: since 2026-12-01 one unit's compliance (`unitCompliance`) is a Node-only
  // function too, and the corpus's compliance cases run in the Node package only.
  const run = cases.length - leftOut.length;
  assert.ok(run >= 0.75 * cases.length, `only ${run} of ${cases.length} cases run:\n${leftOut.join("\n")}`);
});

test("the Node-only functions are not in the browser package", () => {
  for (const name of ["dueBetween", "assessCompliance", "unitCompliance", "lintRules", "diffCatalogue", "scheduleIcs", "compileRules", "ruleFileSchema", "explainItem"]) {
    assert.equal(typeof web[name], "undefined", name);
    assert.equal(typeof node[name], "function", name);
  }
});

test("a TOML rule file is refused with RULES_TOML_UNAVAILABLE at its path", () => {
  const a = web.resolveCatalogue({ as_of: "2026-01-01" }, { files: [{ path: "d.toml", text: "[layer]\nid = \"x\"\n" }] });
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "RULES_TOML_UNAVAILABLE");
  assert.equal(a.errors[0].location.file, "d.toml");
  assert.match(a.errors[0].message_zh, /cunwu rules compile/);
});

test("the bundled rules carry the same version in both packages (logs move between them)", () => {
  const open = {
    date: "2026-01-05",
    actor: { id: "a", role: "committee" },
    unit: { id: "u", kind: "village" },
    period: "2026-01",
    pipeline: "general",
  };
  const fromWeb = web.caseOpen(open).value.log[0];
  const fromNode = node.caseOpen(open).value.log[0];
  assert.equal(fromWeb.rules_version, fromNode.rules_version);
  assert.equal(fromWeb.hash, fromNode.hash);
  // A log written in the browser replays in Node.
  const jsonl = web.caseLogToJsonl(web.caseOpen(open).value.log).value;
  assert.equal(node.caseReplay(jsonl, "2026-01-06").ok, true);
});
