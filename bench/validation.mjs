// Time the WASM validate in Node on the statement written by the native timing program.
// Prints microseconds per call (best of 5 runs). Passes the object, as a page would.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../bindings-wasm/pkg-node/cunwu_wasm.js");
const submission = JSON.parse(readFileSync(process.argv[2], "utf8"));
if (!cunwu.validate(submission).ok) throw new Error("the statement must be valid");
const run = (n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) cunwu.validate(submission);
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
};
run(100);
console.log(Math.min(...[0, 1, 2, 3, 4].map(() => run(300))).toFixed(1));
