// What a village office's page does: show this month's obligations and export the year as a
// calendar. Every call returns { ok, value | errors }.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/schedule.mjs
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const answer = cunwu.schedule({ unit_kind: "village", year: 2026, today: "2026-04-14", explain: false });
if (!answer.ok) throw new Error(answer.errors[0].message_en);
const april = answer.value.obligations.filter((o) => o.due.date?.startsWith("2026-04"));
console.log(`${april.length} obligations due in April 2026; next change on ${answer.value.next_wake_up.date}`);

const period = cunwu.period({ start: "2026-02-12", length: "+5d" });
console.log(`2026-02-12 +5d -> ${period.value.date}`);

const ics = cunwu.scheduleIcs({ unit_kind: "community", year: 2026 }, "示例社区");
console.log(`calendar export: ${ics.value.split("BEGIN:VEVENT").length - 1} events`);
