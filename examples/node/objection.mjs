// A village's "interaction space" page: post the handling of an objection with the objector's
// identity withheld and personal data masked, and mask what a clerk pastes into a notice.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/objection.mjs
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const log = readFileSync("examples/objection/village-2026-q1-objection.jsonl", "utf8");
const answer = cunwu.objectionReplay(log, "2026-05-06", true);
const record = answer.value.public_record;
console.log(`${record.unit}: ${record.status}, ${record.timeline.length} steps, outcome ${record.outcome}`);
console.log(cunwu.mask("低保户王某，身份证11010519491231002X，电话13912345678"));
