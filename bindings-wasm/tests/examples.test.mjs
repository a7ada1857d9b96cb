// The Node examples under examples/node run and print what they promise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("examples/node/catalogue.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/catalogue.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /items apply to a community on 2026-04-15/);
  assert.match(out, /my-district\.toml:25:1 RULES_UNKNOWN_KEY/);
  assert.match(out, /my-district\.toml:32:1 CATALOGUE_LOOSENED_DISPLAY/);
  assert.match(out, /false INPUT_INVALID_DATE/);
});

test("examples/node/schedule.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/schedule.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /obligations due in April 2026; next change on 2026-04-15/);
  assert.match(out, /2026-02-12 \+5d -> 2026-02-24/);
  assert.match(out, /calendar export: \d+ events/);
});

test("examples/node/procedure.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/procedure.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /stage closed, 11 entries, next: taken_down/);
  assert.match(out, /edited log: false LOG_HASH at \/7/);
  assert.match(out, /publishing without a plan: PROCEDURE_INVALID_TRANSITION/);
});

test("examples/node/host.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/host.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /cut log without the head: true/);
  assert.match(out, /cut log against the head: false LOG_TRUNCATED/);
  assert.match(out, /worker 1: appended true, new head 7:/);
  assert.match(out, /worker 2 on the old head: false LOG_CONFLICT/);
  assert.match(out, /the same delivery again: appended false, still 7 entries/);
  assert.match(out, /overdue: cq-demo-001 review 13d/);
});

test("examples/node/objection.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/objection.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /示例村: 已办结, 5 steps, outcome 异议成立/);
  assert.match(out, /身份证1\*{16}X，电话139\*{4}5678/);
});

test("examples/node/validate.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/validate.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /ok=false, 11 findings; closing balance field: \(fine\)/);
  assert.match(out, /counterparty field: 改为：某建筑队 联系人139\*{4}5678/);
  assert.match(out, /form fields: .*opening_balance/);
});

test("examples/node/compliance.mjs", () => {
  const out = execFileSync(process.execPath, ["examples/node/compliance.mjs"], { cwd: repo, encoding: "utf8" });
  assert.match(out, /石桥村: [\d.]+ 分 \S+, \d+ findings/);
  assert.match(out, /late finance\.income-expenditure 2026-01: 迟6日公开（应公开日 2026-02-24，实际公开日 2026-03-02）/);
  assert.match(out, /display_short government\.family-planning 2026-Q1: 公开时限为\S+，提前4日撤下/);
  assert.match(out, /bad row: COMPLIANCE_BAD_ROW at <postings>#\/0/);
});
