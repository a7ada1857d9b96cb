// Time the WASM validate in Node on the statement written by the native timing program.
// Usage: node bench/validation.mjs STATEMENT.json node|web. Prints microseconds per call (best of
// 5 runs) passing JSON text, then passing the object (as a page would).
import { readFileSync } from "node:fs";
import { loadPackage } from "./load-package.mjs";

const cunwu = await loadPackage(process.argv[3] ?? "node");
const submission = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (!cunwu.validate(submission).ok) throw new Error("the statement must be valid");
const run = (call, n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) call();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
};
const best = (call) => {
  run(call, 100);
  return Math.min(...[0, 1, 2, 3, 4].map(() => run(call, 300))).toFixed(1);
};
// Passing the object converts it field by field; passing JSON text (what a form sends anyway)
// parses it inside WASM.
const text = best(() => cunwu.validate(JSON.stringify(submission)));
const object = best(() => cunwu.validate(submission));
console.log(`${text} ${object}`);
