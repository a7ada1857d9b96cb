// Time schedules from WASM in Node: the same calls as core/examples/schedule_timing.rs.
// Usage: node bench/schedule.mjs CITY.json node|web (CITY.json: the requests the native program
// wrote). Prints microseconds for one village-year with explanations (best of 5 runs) and
// milliseconds for the city-scale schedule, every unit one year (best of 3 runs).
import { readFileSync } from "node:fs";
import { loadPackage } from "./load-package.mjs";

const cunwu = await loadPackage(process.argv[3] ?? "node");
const city = JSON.parse(readFileSync(process.argv[2], "utf8"));
const one = { unit_kind: "village", year: 2026, explain: true };
if (!cunwu.schedule(one).ok) throw new Error("the schedule must compute");
const run = (n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) cunwu.schedule(one);
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
};
run(50);
const village = Math.min(...[0, 1, 2, 3, 4].map(() => run(200)));
const cityRun = () => {
  const start = process.hrtime.bigint();
  let obligations = 0;
  for (const request of city) obligations += cunwu.schedule(request).value.obligations.length;
  if (obligations === 0) throw new Error("no obligations");
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const cityMs = Math.min(cityRun(), cityRun(), cityRun());
console.log(`${village.toFixed(1)} ${cityMs.toFixed(0)}`);
