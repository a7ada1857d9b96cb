// What a village's own page does: show the village its findings as of today, each with the
// obligation, its legal basis and the dates compared — from the records the village already
// entered, without a round trip to the server.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/compliance.mjs
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const unit = { id: "v1", name: "石桥村", kind: "village", township: "石桥镇", district: "南岸区" };
const records = {
  postings: [
    { unit: "v1", item: "finance.income-expenditure", period: "2026-01", posted: "2026-03-02" },
    { unit: "v1", item: "government.family-planning", period: "2026-Q1", posted: "2026-04-13", removed: "2026-04-20" },
  ],
  filings: [{ unit: "v1", item: "government.family-planning", period: "2026-Q1", filed: "2026-04-16" }],
};

const answer = cunwu.unitCompliance({ year: 2026, as_of: "2026-04-30", unit, records });
if (!answer.ok) throw new Error(answer.errors[0].message_en);
const a = answer.value;
console.log(`${a.unit.name}: ${a.score.points} 分 ${a.score.grade_zh}, ${a.findings.length} findings`);
for (const f of a.findings.filter((f) => f.kind !== "missing")) {
  const dates = f.explanation.compared.map((c) => `${c.label_zh} ${c.date ?? "—"}`).join("，");
  console.log(`${f.kind} ${f.item} ${f.period}: ${f.explanation.text_zh}（${dates}）`);
}

// A record with a mistake is reported at its row and field; the rest is still evaluated.
const bad = cunwu.unitCompliance({ year: 2026, as_of: "2026-04-30", unit,
  records: { postings: [{ unit: "v1", item: "finance.income-expenditure", period: "2026-02", posted: "2026-02-30" }] } });
console.log(`bad row: ${bad.value.problems[0].code} at ${bad.value.problems[0].location.file}#${bad.value.problems[0].location.pointer}`);
