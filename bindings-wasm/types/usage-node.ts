// Type-checked use of the Node package (`pkg-node`: every capability), beside usage.ts for the
// browser package: the functions the browser package leaves out are typed here.
import {
  assessCompliance,
  labels,
  compileRules,
  lintRules,
  schedule,
  unitCompliance,
  type Answer,
  type ComplianceReport,
  type RulesInput,
  type UnitAssessment,
} from "../pkg-node/index.js";

export function server(): string[] {
  const out: string[] = [];
  const unit = { id: "v1", name: "石桥村", kind: "village" as const, township: "石桥镇", district: "南岸区" };
  const r: Answer<ComplianceReport> = assessCompliance({ year: 2026, rows: { units: [unit] } });
  if (r.ok) out.push(String(r.value.units.length), r.value.rules_version);
  // One unit's own findings (for a page that shows a village its findings, served from here).
  const a: Answer<UnitAssessment> = unitCompliance({ year: 2026, as_of: "2026-04-30", unit, records: { postings: [] } });
  if (a.ok) {
    const points: string = a.value.score.points; // decimals are strings
    out.push(points, ...a.value.findings.map((f) => `${f.kind} ${f.explanation.text_zh}`));
  }

  // Compile a district's TOML for the browser package, which reads only JSON rule files.
  const compiled: Answer<RulesInput> = compileRules({ files: [{ path: "d.toml", text: "" }], bundled: true });
  if (compiled.ok) out.push(...(compiled.value.files ?? []).map((f) => f.path));

  const lint = lintRules({ files: [], bundled: true });
  if (lint.ok) out.push(String(lint.value.error_count));
  out.push(String(schedule({ unit_kind: "community", year: 2026 }).ok));
  // @ts-expect-error rules are files, not a folder name
  compileRules("rules/");
  // The table of Chinese names: a table of strings by JSON name.
  const stage: string | undefined = labels()["case_stage"]?.["closed"];
  out.push(stage ?? "");
  return out;
}
