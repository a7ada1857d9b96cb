// The conformance corpus under tests/cases, run through the WebAssembly package in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { matches } from "./matching.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const require = createRequire(import.meta.url);
const cunwu = require(process.env.CUNWU_WASM_PKG ?? join(here, "..", "pkg-node", "cunwu_wasm.js"));

// The same walk as the core's `fs::read_rules_dir`: every *.toml, sorted, top-level schema/ skipped,
// paths shown as `<dir>/<relative path>`.
function readRulesDir(dir) {
  const out = [];
  const walk = (abs, rel) => {
    for (const name of readdirSync(abs)) {
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      if (statSync(childAbs).isDirectory()) {
        if (!rel && name === "schema") continue;
        walk(childAbs, childRel);
      } else if (name.endsWith(".toml")) {
        out.push({ path: `${dir}/${childRel}`, text: readFileSync(childAbs, "utf8") });
      }
    }
  };
  walk(join(repo, dir), "");
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function rulesInput(spec) {
  if (!spec) return undefined;
  const files = [];
  for (const dir of spec.dirs ?? []) files.push(...readRulesDir(dir));
  return { files, bundled: spec.bundled ?? true };
}

// The tamper actions of tests/README.md, on the lines of a JSON Lines log.
function tamper(jsonl, t) {
  let entries = jsonl.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const i = t.index ?? 0;
  if (t.action === "change") {
    const keys = t.pointer.replace(/^\//, "").split("/");
    const last = keys.pop();
    let target = entries[i];
    for (const k of keys) target = target[k];
    target[last] = t.value;
  } else if (t.action === "remove") entries.splice(i, 1);
  else if (t.action === "swap") [entries[i], entries[i + 1]] = [entries[i + 1], entries[i]];
  else if (t.action === "insert") entries.splice(i + 1, 0, structuredClone(entries[i]));
  else if (t.action === "truncate") entries = entries.slice(0, i);
  else throw new Error(`unknown tamper action ${t.action}`);
  return entries.map((e) => JSON.stringify(e) + "\n").join("");
}

// Drive a case or objection as every binding does: start it, apply the events one by one (the
// first refusal is the answer, with `failed_at`), optionally tamper with the JSON Lines, replay.
function runJournal(request, first, { start, apply, toJsonl, replay }) {
  const started = start(request[first]);
  if (!started.ok) return { ok: false, failed_at: first, errors: started.errors };
  let view = started.value;
  for (const [i, e] of (request.events ?? []).entries()) {
    const applied = apply({ log: view.log, date: e.date, actor: e.actor, event: e.event });
    if (!applied.ok) return { ok: false, failed_at: i, errors: applied.errors };
    view = applied.value;
  }
  let jsonl = toJsonl(view.log).value;
  if (request.tamper) jsonl = tamper(jsonl, request.tamper);
  return replay(jsonl);
}

function runProcedure(request, rules) {
  return runJournal(request, "open", {
    start: (open) => cunwu.caseOpen(open, rules),
    apply: (req) => cunwu.caseApply(req, rules),
    toJsonl: (log) => cunwu.caseLogToJsonl(log),
    replay: (jsonl) => cunwu.caseReplay(jsonl, request.today, rules),
  });
}

function runObjection(request, rules) {
  return runJournal(request, "file", {
    start: (file) => cunwu.objectionFile(file, rules),
    apply: (req) => cunwu.objectionApply(req, rules),
    toJsonl: (log) => cunwu.objectionLogToJsonl(log),
    replay: (jsonl) => cunwu.objectionReplay(jsonl, request.today, request.public ?? false, rules),
  });
}

function runCase(c) {
  const rules = rulesInput(c.rules);
  switch (c.op) {
    case "validate":
      return cunwu.validate(c.request.file ? JSON.parse(readFileSync(join(repo, c.request.file), "utf8")) : c.request.submission, rules);
    case "procedure":
      return runProcedure(c.request, rules);
    case "objection":
      return runObjection(c.request, rules);
    case "resolve_catalogue":
      return cunwu.resolveCatalogue(c.request, rules);
    case "diff_catalogue":
      return cunwu.diffCatalogue(c.request, rules);
    case "lint":
      return cunwu.lintRules(rules ?? { files: [], bundled: true });
    case "period":
      return cunwu.period(c.request, rules);
    case "schedule":
      return cunwu.schedule(c.request, rules);
    case "event_obligation":
      return cunwu.eventObligation(c.request, rules);
    case "after_posting":
      return cunwu.afterPosting(c.request, rules);
    case "calendar_days":
      return cunwu.calendarDays(c.request, rules);
    case "unit_compliance":
      return cunwu.unitCompliance(c.request, rules);
    case "compliance": {
      const { dir, ...request } = c.request;
      if (dir) {
        // A folder of record files, read as the CLI reads it (sorted, paths shown relative).
        request.files = readdirSync(join(repo, dir), { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort()
          .map((name) => ({ path: `${dir}/${name}`, text: readFileSync(join(repo, dir, name), "utf8") }));
      }
      return cunwu.assessCompliance(request, rules);
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

const caseDir = join(repo, "tests", "cases");
const files = readdirSync(caseDir).filter((f) => f.endsWith(".json")).sort();
assert.ok(files.length > 0, "no case files");
for (const file of files) {
  const { cases } = JSON.parse(readFileSync(join(caseDir, file), "utf8"));
  for (const c of cases) {
    test(`${file}: ${c.name}`, () => {
      const failures = matches(c.expect, runCase(c));
      assert.deepEqual(failures, []);
    });
  }
}

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
