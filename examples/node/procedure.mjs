// A browser page replaying a village's case log: where the case stands, what is overdue, and
// what must happen next — and what happens when the stored log has been edited.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/procedure.mjs
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const log = readFileSync("examples/procedure/village-2026-q1.jsonl", "utf8");
const replay = cunwu.caseReplay(log, "2026-05-21");
console.log(`stage ${replay.value.state.stage}, ${replay.value.log.length} entries, next: ${replay.value.status.next_actions.map((a) => a.event).join(", ")}`);

const edited = log.replace("财务收支明细不全", "无问题");
const refused = cunwu.caseReplay(edited, "2026-05-21");
console.log(`edited log: ${refused.ok} ${refused.errors[0].code} at ${refused.errors[0].location.pointer}`);

const opened = cunwu.caseOpen({ date: "2026-07-01", actor: { id: "cw", role: "committee" }, unit: { id: "v1", kind: "village" }, period: "2026-Q2", pipeline: "general" });
const skipped = cunwu.caseApply({ log: opened.value.log, date: "2026-07-15", actor: { id: "cw", role: "committee" }, event: { type: "published" } });
console.log(`publishing without a plan: ${skipped.errors[0].code}`);
// In Chinese throughout: the stage and the events by their Chinese names, the basis by its title.
console.log(skipped.errors[0].message_zh);
// The one table of Chinese names every surface shows (the Node package: a server sends it to pages).
const names = cunwu.labels();
console.log(`阶段：${names.case_stage[replay.value.state.stage]}；下一步：${replay.value.status.next_actions.map((a) => names.case_event[a.event]).join("、")}`);
