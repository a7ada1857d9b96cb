// The WASM rows of tests/limits.json (rendered as docs/limits.md): every exported function of the
// packages is listed, and for every limit listed, input just under it works and input just over
// it answers the code shown, naming the limit (issue 23). Probes run on the Node package; the
// browser package's functions are the same Rust code and must be listed too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";

const repo = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, repo), "utf8");
const cunwu = createRequire(import.meta.url)("../pkg-node");
const web = await import("../pkg/index.js");
web.initSync({ module: readFileSync(new URL("../pkg/cunwu_wasm_bg.wasm", import.meta.url)) });
const table = JSON.parse(read("tests/limits.json"));
const rows = table.entry_points.filter((r) => r.surface === "wasm");
const bytes = (text) => Buffer.byteLength(text, "utf8");

// Exports that are not entry points: the loader's hooks and the error classes it throws.
const NOT_ENTRY_POINTS = new Set(["start", "default", "initSync", "CunwuInputError", "CunwuInternalError"]);

test("every exported function of both packages is in the table", () => {
  const listed = new Set(rows.map((r) => r.entry));
  for (const [name, pkg] of [["pkg-node", cunwu], ["pkg", web]]) {
    const exported = Object.keys(pkg).filter((k) => !k.startsWith("__") && !NOT_ENTRY_POINTS.has(k));
    const missing = exported.filter((k) => !listed.has(k));
    assert.deepEqual(missing, [], `${name}: add these to tests/limits.json`);
  }
  for (const entry of listed) assert.equal(typeof cunwu[entry], "function", `tests/limits.json lists ${entry}`);
  // The browser package has every function but those the table marks as the Node package's.
  for (const r of rows) assert.equal(typeof web[r.entry] === "function", !r.node_only, `${r.entry}: node_only is ${!!r.node_only} in tests/limits.json`);
});

const caseLog = read("examples/procedure/village-2026-q1.jsonl");
const objectionLog = read("examples/objection/village-2026-q1-objection.jsonl");
const lines = (text) => text.split("\n").filter((l) => l.trim());
const first = (text) => JSON.parse(lines(text)[0]);
const submission = JSON.parse(read("examples/submissions/finance-good.json"));
const recordDir = "examples/compliance/";
const recordFiles = readdirSync(new URL(recordDir, repo), { withFileTypes: true })
  .filter((d) => d.isFile())
  .map((d) => ({ path: d.name, text: read(recordDir + d.name) }));
const unit = { id: "u1", name: "示例村", kind: "village", district: "500101", township: "t1" };
const dueUnit = { id: "u1", kind: "village" };
const unitRecords = { postings: [{ unit: "u1", item: "finance.income-expenditure", period: "2026-Q1", posted: "2026-04-03", removed: null }] };
const limited = (limits) => ({ files: [], bundled: true, limits });

// Each function called with a request that works on the bundled rules.
const CALLS = {
  resolveCatalogue: (rules) => cunwu.resolveCatalogue({ as_of: "2026-01-01" }, rules),
  diffCatalogue: (rules) => cunwu.diffCatalogue({ from: "2025-01-01", to: "2026-01-01" }, rules),
  compileRules: (rules) => cunwu.compileRules(rules),
  lintRules: (rules) => cunwu.lintRules(rules),
  period: (rules) => cunwu.period({ start: "2026-01-05", length: "+5d" }, rules),
  schedule: (rules) => cunwu.schedule({ unit_kind: "village", year: 2026, explain: false }, rules),
  scheduleIcs: (rules) => cunwu.scheduleIcs({ unit_kind: "village", year: 2026 }, "示例村", rules),
  explainItem: (rules) => cunwu.explainItem({ item: "finance.income-expenditure", as_of: "2026-01-01" }, rules),
  eventObligation: (rules) => cunwu.eventObligation({ item: "finance.land-compensation", event: "2026-03-02" }, rules),
  afterPosting: (rules) => cunwu.afterPosting({ item: "finance.income-expenditure", posted: "2026-03-02" }, rules),
  calendarDays: (rules) => cunwu.calendarDays({ from: "2026-01-01", until: "2026-01-31" }, rules),
  planRequirements: (rules) => cunwu.planRequirements({ unit_kind: "village", period: "2026-Q1" }, rules),
  unitCompliance: (rules) => cunwu.unitCompliance({ year: 2026, unit, records: unitRecords }, rules),
  assessCompliance: (rules) => cunwu.assessCompliance({ year: 2026, files: recordFiles }, rules),
  caseOpen: (rules) => {
    const { date, actor, event } = first(caseLog);
    return cunwu.caseOpen({ date, actor, unit: event.unit, period: event.period, pipeline: event.pipeline }, rules);
  },
  objectionFile: (rules) => {
    const { date, actor, event } = first(objectionLog);
    return cunwu.objectionFile({ date, actor, event }, rules);
  },
  caseApply: (rules) => applyLast(cunwu.caseApply, caseLog, rules),
  objectionApply: (rules) => applyLast(cunwu.objectionApply, objectionLog, rules),
  caseReplay: (rules) => cunwu.caseReplay(caseLog, undefined, rules),
  objectionReplay: (rules) => cunwu.objectionReplay(objectionLog, undefined, false, rules),
  caseReplayWith: (rules) => cunwu.caseReplayWith({ jsonl: caseLog }, rules),
  objectionReplayWith: (rules) => cunwu.objectionReplayWith({ jsonl: objectionLog }, rules),
  dueBetween: (rules) => cunwu.dueBetween({ from: "2026-04-01", until: "2026-04-30", units: [dueUnit], cases: [caseLog] }, rules),
  validate: (rules) => cunwu.validate(submission, rules),
};

function applyLast(apply, text, rules) {
  const entries = lines(text).map((l) => JSON.parse(l));
  const last = entries.pop();
  return apply({ log: entries, date: last.date, actor: last.actor, event: last.event }, rules);
}

/** dueBetween answers a case's log over a limit as a problem at /cases/0, not as a failed call. */
function assertDueProblem(limits, code, named) {
  const under = cunwu.dueBetween({ from: "2026-04-01", until: "2026-04-30", units: [dueUnit], cases: [caseLog] }, limited(limits.under));
  assert.equal(under.ok, true, JSON.stringify(under.errors));
  assert.deepEqual(under.value.problems, []);
  const over = cunwu.dueBetween({ from: "2026-04-01", until: "2026-04-30", units: [dueUnit], cases: [caseLog] }, limited(limits.over));
  assert.equal(over.ok, true, JSON.stringify(over.errors));
  const p = over.value.problems.find((d) => d.code === code);
  assert.ok(p, `dueBetween just over, want ${code}: ${JSON.stringify(over.value.problems).slice(0, 400)}`);
  assert.ok(p.location.pointer.startsWith("/cases/0"), p.location.pointer);
  assert.ok(p.message_en.includes(named) && p.message_zh.includes(named), p.message_en);
  // The units are still answered.
  assert.ok(over.value.entries.some((e) => e.unit === "u1"));
}

/** The errors of an answer (a lint report carries them as diagnostics). */
const errorsOf = (a) => (a.value && a.value.diagnostics) || a.errors || a.findings || [];
const failed = (a) => !a.ok || (a.value && a.value.clean === false);

function assertUnder(answer, baseline, named, what) {
  const errors = errorsOf(answer);
  assert.ok(!errors.some((e) => e.code.endsWith("_TOO_LARGE") || e.message_en.includes(named)), `${what} just under: ${JSON.stringify(errors).slice(0, 400)}`);
  assert.equal(failed(answer), failed(baseline), `${what} just under: ${JSON.stringify(errors).slice(0, 400)}`);
}

function assertOver(answer, code, named, what) {
  assert.ok(failed(answer), `${what} just over: answered ok`);
  const e = errorsOf(answer).find((d) => d.code === code);
  assert.ok(e, `${what} just over, want ${code}: ${JSON.stringify(errorsOf(answer)).slice(0, 400)}`);
  assert.ok(e.message_en.includes(named) && e.message_zh.includes(named), `${what}: ${e.message_en}`);
}

// A district layer padded with comments to 256 KiB: larger than any record file or request text.
const layer = read("examples/districts/nanan-2026.toml") + "\n";
const padded = layer + "# padding for the limits test\n".repeat(Math.ceil(((256 << 10) - bytes(layer)) / 30));
const ruleBytes = bytes(padded);
const withLayer = (max) => ({ files: [{ path: "nanan-2026.toml", text: padded }], bundled: true, limits: { max_text_bytes: max } });

function nested(levels) {
  return "[".repeat(levels) + "]".repeat(levels);
}

const PROBES = {
  rule_file_bytes(entry, code) {
    const call = CALLS[entry];
    const baseline = call(withLayer(64 << 20));
    assertUnder(call(withLayer(ruleBytes)), baseline, "max_text_bytes", entry);
    assertOver(call(withLayer(ruleBytes - 1)), code, "max_text_bytes", entry);
  },
  text_bytes(entry, code) {
    if (entry === "dueBetween") {
      const size = bytes(caseLog);
      return assertDueProblem({ under: { max_text_bytes: size }, over: { max_text_bytes: size - 1 } }, code, "max_text_bytes");
    }
    const size = {
      validate: bytes(JSON.stringify(submission)),
      caseReplay: bytes(caseLog),
      objectionReplay: bytes(objectionLog),
      caseReplayWith: bytes(caseLog),
      objectionReplayWith: bytes(objectionLog),
      assessCompliance: Math.max(...recordFiles.map((f) => bytes(f.text))),
      // The unit row counts as the library reads it, with the records.
      unitCompliance: bytes(JSON.stringify(unitRecords)) + bytes(JSON.stringify(cunwu.unitCompliance({ year: 2026, unit }).value.unit)),
    }[entry];
    assert.ok(size, `no size for ${entry}`);
    const baseline = CALLS[entry](undefined);
    assertUnder(CALLS[entry](limited({ max_text_bytes: size })), baseline, "max_text_bytes", entry);
    assertOver(CALLS[entry](limited({ max_text_bytes: size - 1 })), code, "max_text_bytes", entry);
  },
  file_lines(entry, code) {
    const most = Math.max(...recordFiles.map((f) => f.text.split("\n").filter((l, i, all) => i < all.length - 1 || l).length));
    const baseline = CALLS[entry](undefined);
    assertUnder(CALLS[entry](limited({ max_file_lines: most })), baseline, "max_file_lines", entry);
    assertOver(CALLS[entry](limited({ max_file_lines: most - 1 })), code, "max_file_lines", entry);
  },
  log_entries(entry, code) {
    if (entry === "dueBetween") {
      const n = lines(caseLog).length;
      return assertDueProblem({ under: { max_log_entries: n }, over: { max_log_entries: n - 1 } }, code, "max_log_entries");
    }
    const n = lines(entry.startsWith("case") ? caseLog : objectionLog).length;
    // A replay reads n entries; an apply reads n - 1 and appends one.
    const call = CALLS[entry];
    const baseline = call(undefined);
    assert.equal(baseline.ok, true, JSON.stringify(baseline.errors));
    assertUnder(call(limited({ max_log_entries: n })), baseline, "max_log_entries", entry);
    assertOver(call(limited({ max_log_entries: n - 1 })), code, "max_log_entries", entry);
    if (entry.endsWith("Apply")) {
      // Over only by the entry appended: the log read is within the limit, the append is not.
      const e = errorsOf(call(limited({ max_log_entries: n - 1 }))).find((d) => d.code === code);
      assert.ok(e.message_en.includes(`at least ${n} entries`) && e.message_zh.includes(`至少${n}条`), e.message_en);
    }
  },
  json_nesting(entry, code) {
    for (const [levels, over] of [[127, false], [128, true]]) {
      let answer;
      if (entry === "validate") {
        answer = cunwu.validate({ family: "notice", x: JSON.parse(nested(levels - 1)) });
      } else {
        const replay = {
          caseReplay: cunwu.caseReplay,
          objectionReplay: (t, d, r) => cunwu.objectionReplay(t, d, false, r),
          caseReplayWith: (t, _d, r) => cunwu.caseReplayWith({ jsonl: t }, r),
          objectionReplayWith: (t, _d, r) => cunwu.objectionReplayWith({ jsonl: t }, r),
        }[entry];
        answer = replay(nested(levels) + "\n", undefined, undefined);
      }
      const text = JSON.stringify(errorsOf(answer));
      assert.equal(text.includes("recursion limit"), over, `${entry}, ${levels} levels: ${text.slice(0, 300)}`);
      if (over) assert.ok(errorsOf(answer).some((e) => e.code === code), `${entry}: want ${code}: ${text.slice(0, 300)}`);
    }
  },
  period_length(_entry, code) {
    for (const [under, over, named] of [["+36600d", "+36601d", "36600"], ["+1200m", "+1201m", "1200"], ["+25000wd", "+25001wd", "25000"]]) {
      const ok = cunwu.period({ start: "2026-01-05", length: under, estimate: true });
      assert.equal(ok.ok, true, JSON.stringify(ok.errors));
      assertOver(cunwu.period({ start: "2026-01-05", length: over, estimate: true }), code, named, "period " + over);
    }
  },
  calendar_span(entry, code) {
    if (entry === "dueBetween") {
      const ok = cunwu.dueBetween({ from: "2026-01-01", until: "2036-01-09", estimate: true });
      assert.equal(ok.ok, true, JSON.stringify(ok.errors));
      assertOver(cunwu.dueBetween({ from: "2026-01-01", until: "2036-01-10", estimate: true }), code, "3660", "dueBetween");
      return;
    }
    const ok = cunwu.calendarDays({ from: "2026-01-01", until: "2036-01-09", estimate: true });
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
    assert.equal(ok.value.length, 3661);
    assertOver(cunwu.calendarDays({ from: "2026-01-01", until: "2036-01-10", estimate: true }), code, "3660", "calendarDays");
  },
  mask_text_bytes(_entry, code) {
    const limit = 64 << 20;
    assert.equal(cunwu.mask("a".repeat(limit)).length, limit);
    assert.throws(
      () => cunwu.mask("a".repeat(limit + 1)),
      (e) => e.name === "CunwuInputError" && e.diagnostic.code === code && e.diagnostic.message_zh.includes("max_text_bytes") && e.message.includes("max_text_bytes"),
    );
  },
};

test("every limit in the table has a probe", () => {
  for (const r of rows) for (const l of r.limits) assert.ok(PROBES[l.limit], `${r.entry}: no probe for ${l.limit}`);
  for (const r of rows) if (r.limits.some((l) => l.limit === "rule_file_bytes" || l.limit === "text_bytes")) assert.ok(CALLS[r.entry], `no call for ${r.entry}`);
});

for (const r of rows) {
  for (const l of r.limits) {
    test(`${r.entry}: ${l.limit} holds at its boundary (${l.code} over it)`, () => PROBES[l.limit](r.entry, l.code));
  }
}

// Issue 23, outside test: regressions.
test("a stack overflow during a call replaces the instance: no later call answers wrongly", () => {
  const bad = JSON.parse(read("examples/submissions/finance-bad.json"));
  const want = JSON.stringify(cunwu.validate(bad));
  let wrong = 0;
  const near = (n) => {
    try {
      near(n + 1);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    // Each level on the way back calls cunwu with less and less stack below it.
    try {
      const a = cunwu.validate(bad);
      if (a.ok !== false || (a.findings[0].code !== "INTERNAL_PANIC" && JSON.stringify(a) !== want)) wrong++;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  };
  for (let round = 0; round < 3; round++) near(0);
  assert.equal(wrong, 0, "answers other than the right one or INTERNAL_PANIC near the stack's end");
  assert.equal(JSON.stringify(cunwu.validate(bad)), want, "the next call at normal depth");
});

test("an argument wasm-bindgen converts is checked before any text is copied", () => {
  const throwing = { valueOf() { throw new Error("no"); } };
  const a = cunwu.objectionReplay(objectionLog, null, throwing);
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "INPUT_INVALID_REQUEST");
  assert.equal(a.errors[0].location.pointer, "/is_public");
  assert.equal(cunwu.objectionReplay(objectionLog, null, undefined).ok, true, "undefined reads as false");
});

test("a text over the rules' limit is refused before it is copied, with the core's code", () => {
  const a = cunwu.caseReplay(caseLog, null, limited({ max_text_bytes: 100 }));
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "LOG_TOO_LARGE");
  assert.ok(a.errors[0].message_zh.includes("max_text_bytes"));
});

test("lone surrogates count as the three bytes they are written as", () => {
  const limit = 64 << 20;
  assert.throws(() => cunwu.mask("\udc00".repeat(Math.ceil(limit / 3) + 1)), (e) => e.name === "CunwuInputError" && e.diagnostic.code === "INPUT_TOO_LARGE");
  assert.equal(cunwu.mask("\ud800".repeat(Math.floor(limit / 3))).length, Math.floor(limit / 3));
});

test("a log of entries over the limit is refused before it is converted", () => {
  const entries = new Array(400000).fill({});
  const started = Date.now();
  const a = cunwu.caseApply({ log: entries, date: "2026-04-02", actor: { id: "a", role: "committee" }, event: { type: "filed" } }, limited({ max_log_entries: 10 }));
  assert.equal(a.errors[0].code, "LOG_TOO_LARGE");
  assert.ok(a.errors[0].message_en.includes("400000 entries"));
  assert.ok(Date.now() - started < 5000, "refused at once");
});

test("rows of assessCompliance and the unit row of unitCompliance are bounded", () => {
  const rows = { units: Array.from({ length: 50 }, (_, i) => ({ ...unit, id: `u${i}` })) };
  const a = cunwu.assessCompliance({ year: 2026, rows }, limited({ max_text_bytes: 1000 }));
  assert.equal(a.ok, false);
  assert.equal(a.errors[0].code, "INPUT_TOO_LARGE");
  const big = { ...unit, name: "村".repeat(100000) };
  const b = cunwu.unitCompliance({ year: 2026, unit: big }, limited({ max_text_bytes: 1000 }));
  assert.equal(b.errors[0].code, "INPUT_TOO_LARGE");
});

test("a call made at the stack's end from inside another call's getter leaves the next calls correct (both packages)", () => {
  const bad = JSON.parse(read("examples/submissions/finance-bad.json"));
  for (const pkg of [cunwu, web]) {
    const want = JSON.stringify(pkg.validate(bad));
    for (const outer of [
      (rules) => pkg.schedule({ unit_kind: "village", year: 2026 }, rules),
      (rules) => pkg.validate(bad, rules),
      (rules) => pkg.caseOpen({ date: "2026-04-01", actor: { id: "a", role: "committee" }, unit: { id: "u", kind: "village" }, period: "2026-Q1", pipeline: "general" }, rules),
    ]) {
      const rules = {
        get files() {
          (function f() {
            try {
              f();
            } catch (e) {
              pkg.validate(bad);
            }
          })();
          return [];
        },
      };
      const a = outer(rules);
      assert.equal(a.ok, false);
      assert.equal(JSON.stringify(pkg.validate(bad)), want, "the next call");
      assert.equal(pkg.schedule({ unit_kind: "village", year: 2026, explain: false }).ok, true);
      assert.equal(pkg.mask("电话 13912345678"), "电话 139****5678");
    }
  }
});

test("file lists are bounded in number and path length", () => {
  const many = Array.from({ length: 10001 }, (_, i) => ({ path: `f${i}`, text: "" }));
  assert.equal(cunwu.assessCompliance({ year: 2026, files: many }).errors[0].code, "INPUT_TOO_LARGE");
  const long = cunwu.assessCompliance({ year: 2026, files: [{ path: "x".repeat(5000), text: "a" }] });
  assert.equal(long.errors[0].code, "INPUT_TOO_LARGE");
  assert.ok(long.errors[0].message_en.includes("MAX_PATH_BYTES"));
  const rules = cunwu.resolveCatalogue({ as_of: "2026-01-01" }, { files: many.map((f) => ({ ...f, path: f.path + ".toml" })), bundled: true });
  assert.equal(rules.errors[0].code, "INPUT_TOO_LARGE");
  const echo = cunwu.period({ start: "2026-01-05", length: "x".repeat(1 << 20) });
  assert.ok(JSON.stringify(echo).length < 2000);
});
