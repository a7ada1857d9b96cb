// Time one unit-year schedule with explanations from WASM in Node, best of 5 runs, microseconds
// per call (the same request as core/examples/schedule_timing.rs).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cunwu = require("../bindings-wasm/pkg-node/cunwu_wasm.js");
const request = { unit_kind: "village", year: 2026, explain: true };
if (!cunwu.schedule(request).ok) throw new Error("the schedule must compute");
const run = (n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) cunwu.schedule(request);
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
};
run(50);
console.log(Math.min(...[0, 1, 2, 3, 4].map(() => run(200))).toFixed(1));
