// Type-checked use of the browser package (`tsc --noEmit -p bindings-wasm`, in the test command):
// what a front-end developer writes compiles, and the `@ts-expect-error` lines prove the
// generated types are not `any` — a wrong call must not compile.
import init, {
  mask,
  period,
  resolveCatalogue,
  schedule,
  submissionSchema,
  validate,
  type Diagnostic,
} from "../pkg/index.js";

export async function page(): Promise<string[]> {
  await init();
  const out: string[] = [];

  const s = schedule({ unit_kind: "village", year: 2026 }); // the rules argument may be left out
  if (s.ok) {
    out.push(`${s.value.obligations.length} obligations`);
  } else {
    const first: Diagnostic = s.errors[0];
    out.push(`${first.code} ${first.message_zh}`);
  }

  const p = period({ start: "2026-02-12", length: "+5d" }, { bundled: true, files: [] });
  if (p.ok) out.push(p.value.date);

  const c = resolveCatalogue({ as_of: "2026-01-01", district: null });
  if (c.ok) out.push(c.value.items[0].id);

  const v = validate({ item: "finance.income-expenditure" });
  out.push(String(v.ok), ...v.findings.map((f) => f.location.pointer ?? ""));

  out.push(mask("13912345678"), submissionSchema("finance_statement") ?? "");

  // @ts-expect-error an unknown unit kind does not compile
  schedule({ unit_kind: "hamlet", year: 2026 });
  // @ts-expect-error the year is a number
  schedule({ unit_kind: "village", year: "2026" });
  // @ts-expect-error a finding kind is one of the known kinds
  const wrong: UnitAssessment["findings"][number]["kind"] = "too_late";
  // @ts-expect-error the city-wide assessment is in the Node package only
  assessCompliance;
  // @ts-expect-error a failed answer has no value
  if (!a.ok) out.push(a.value.unit.id);
  return out.concat(String(wrong));
}
