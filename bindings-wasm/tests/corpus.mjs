// The conformance corpus under tests/cases, as every WASM runner drives it: the same requests,
// rule folders, journals and tamper actions as the Rust and Python runners (tests/README.md).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");

/** Every case of the corpus, with the file it is in. */
export function corpus() {
  const caseDir = join(repo, "tests", "cases");
  const files = readdirSync(caseDir).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0) throw new Error("no case files");
  return files.flatMap((file) => JSON.parse(readFileSync(join(caseDir, file), "utf8")).cases.map((c) => ({ file, c })));
}

// The same walk as the core's `fs::read_rules_dir`: every *.toml, sorted, top-level schema/ skipped,
// paths shown as `<dir>/<relative path>`.
export function readRulesDir(dir) {
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

export function rulesInput(spec) {
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

const GENESIS = "0".repeat(64);

/** The head of a log's first `k` entries, as every runner computes it for `expected_head_at`. */
function headAt(log, k) {
  return k > 0 ? `${k}:${log[k - 1].hash}` : `0:${GENESIS}`;
}

/** An event or opening request as the corpus writes it, made into the API's. */
function withLogFields(req, request, log) {
  const { expected_head_at, ...rest } = req;
  if (expected_head_at !== undefined) rest.expected_head = headAt(log, expected_head_at);
  if (request.chain_key !== undefined) rest.chain_key = request.chain_key;
  return rest;
}

/** The replay request: the log, `today`, and the case's `replay` options. */
function replayRequest(request, jsonl, log) {
  const req = { jsonl };
  if (request.today !== undefined) req.today = request.today;
  if (request.chain_key !== undefined) req.chain_key = request.chain_key;
  for (const [k, v] of Object.entries(request.replay ?? {})) {
    if (k === "expected_head_at") req.expected_head = headAt(log, v);
    else req[k] = v;
  }
  if (req.chain_key === null) delete req.chain_key;
  return req;
}

// Drive a case or objection as every binding does: start it, apply the events one by one (the
// first refusal is the answer, with `failed_at`), optionally tamper with the JSON Lines, replay
// (under `replay_rules` when given). With idempotency keys, the appended flags are in the answer.
function runJournal(request, first, { start, apply, toJsonl, replay }) {
  const started = start(withLogFields(request[first], request, []));
  if (!started.ok) return { ok: false, failed_at: first, errors: started.errors };
  let view = started.value;
  const flags = [];
  for (const [i, e] of (request.events ?? []).entries()) {
    const applied = apply({ log: view.log, ...withLogFields(e, request, view.log) });
    if (!applied.ok) return { ok: false, failed_at: i, errors: applied.errors };
    view = applied.value;
    flags.push(view.appended);
  }
  let jsonl = toJsonl(view.log).value;
  if (request.tamper) jsonl = tamper(jsonl, request.tamper);
  const answer = replay(replayRequest(request, jsonl, view.log));
  if ((request.events ?? []).some((e) => e.idempotency_key !== undefined)) answer.appended = flags;
  return answer;
}

function runProcedure(cunwu, request, rules, rulesOf) {
  const later = request.replay_rules ? rulesOf(request.replay_rules) : rules;
  return runJournal(request, "open", {
    start: (open) => cunwu.caseOpen(open, rules),
    apply: (req) => cunwu.caseApply(req, rules),
    toJsonl: (log) => cunwu.caseLogToJsonl(log),
    replay: (req) => cunwu.caseReplayWith(req, later),
  });
}

function runObjection(cunwu, request, rules, rulesOf) {
  const later = request.replay_rules ? rulesOf(request.replay_rules) : rules;
  const withPublic = request.public === undefined ? request : { ...request, replay: { ...(request.replay ?? {}), public: request.public } };
  return runJournal(withPublic, "file", {
    start: (file) => cunwu.objectionFile(file, rules),
    apply: (req) => cunwu.objectionApply(req, rules),
    toJsonl: (log) => cunwu.objectionLogToJsonl(log),
    replay: (req) => cunwu.objectionReplayWith(req, later),
  });
}

/** `replay_log`: a stored log read from a file and replayed with the request's options. */
function runReplayLog(cunwu, request, rules) {
  const { kind, file, ...rest } = request;
  const req = { ...rest, jsonl: readFileSync(join(repo, file), "utf8") };
  return kind === "objection" ? cunwu.objectionReplayWith(req, rules) : cunwu.caseReplayWith(req, rules);
}

/** Run case `c` through the package `cunwu` with `rules` (by default the case's own rules);
 * `rulesOf` turns a rules spec (`replay_rules`) into the rules argument (the browser package
 * takes compiled JSON rules). */
export function runCase(cunwu, c, rules = rulesInput(c.rules), rulesOf = rulesInput) {
  switch (c.op) {
    case "validate":
      return cunwu.validate(c.request.file ? JSON.parse(readFileSync(join(repo, c.request.file), "utf8")) : c.request.submission, rules);
    case "procedure":
      return runProcedure(cunwu, c.request, rules, rulesOf);
    case "objection":
      return runObjection(cunwu, c.request, rules, rulesOf);
    case "replay_log":
      return runReplayLog(cunwu, c.request, rules);
    case "due_between": {
      const { case_files, objection_files, ...request } = c.request;
      request.cases = (case_files ?? []).map((f) => readFileSync(join(repo, f), "utf8"));
      request.objections = (objection_files ?? []).map((f) => readFileSync(join(repo, f), "utf8"));
      return cunwu.dueBetween(request, rules);
    }
    case "resolve_catalogue":
      return cunwu.resolveCatalogue(c.request, rules);
    case "diff_catalogue":
      return cunwu.diffCatalogue(c.request, rules);
    case "explain_item":
      return cunwu.explainItem(c.request, rules);
    case "mask":
      return { ok: true, value: cunwu.mask(c.request.text) };
    case "labels":
      return { ok: true, value: cunwu.labels() };
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

