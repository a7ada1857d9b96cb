// A host's side of a case log, from Node: store the head beside the log, replay against it (a
// cut log is refused), append with compare-and-swap and an idempotency key, and ask what is due
// city-wide. The city system does the same from Python (examples/host/); see docs/host.md.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/host.mjs
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const stored = readFileSync("examples/procedure/village-2026-q1.jsonl", "utf8");
const full = cunwu.caseReplayWith({ jsonl: stored });
const head = full.value.head;                              // store this beside the log
console.log(`stored: ${full.value.log.length} entries, head ${head.slice(0, 12)}…`);

// The last entry deleted from the table: alone it is a valid earlier state; against the head, not.
const cut = stored.trimEnd().split("\n").slice(0, -1).join("\n") + "\n";
console.log(`cut log without the head: ${cunwu.caseReplayWith({ jsonl: cut }).ok}`);
const refused = cunwu.caseReplayWith({ jsonl: cut, expected_head: head });
console.log(`cut log against the head: ${refused.ok} ${refused.errors[0].code}`);

// Two workers read the same open case; both append, only the first wins.
const lines = stored.trimEnd().split("\n").slice(0, 6);      // opened … published
const log = lines.map((l) => JSON.parse(l));
const readHead = cunwu.caseReplayWith({ jsonl: lines.join("\n") + "\n" }).value.head;
const filed = { date: "2026-04-17", actor: { id: "cw-01", role: "committee" }, event: { type: "filed" } };
const first = cunwu.caseApply({ log, ...filed, expected_head: readHead, idempotency_key: "msg-17" });
console.log(`worker 1: appended ${first.value.appended}, new head ${first.value.head.slice(0, 14)}…, line of ${first.value.line.length} bytes`);
const second = cunwu.caseApply({ log: first.value.log, ...filed, expected_head: readHead });
console.log(`worker 2 on the old head: ${second.ok} ${second.errors[0].code}`);
const again = cunwu.caseApply({ log: first.value.log, ...filed, idempotency_key: "msg-17" });
console.log(`the same delivery again: appended ${again.value.appended}, still ${again.value.log.length} entries`);

// The nightly job: what is due in May, and overdue on its last day, over units and open cases.
const open = first.value.log.map((e) => JSON.stringify(e)).join("\n") + "\n";
const due = cunwu.dueBetween({
  from: "2026-05-01",
  until: "2026-05-31",
  units: [{ id: "v1", kind: "village" }, { id: "c1", kind: "community" }],
  cases: [open],
});
const overdue = due.value.entries.filter((e) => e.state !== "due");
console.log(`due in May: ${due.value.entries.length} entries, overdue: ${overdue.map((e) => `${e.unit} ${e.deadline} ${e.overdue_days}d`).join(", ")}`);
