// A browser form's check before sending: every problem at its field, amounts as strings.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/validate.mjs
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const form = JSON.parse(readFileSync("examples/submissions/finance-bad.json", "utf8"));
const answer = cunwu.validate(form);
const byField = new Map(answer.findings.map((f) => [f.location.pointer, f.message_zh]));
console.log(`ok=${answer.ok}, ${answer.findings.length} findings; closing balance field: ${byField.get("/payload/closing_balance") ?? "(fine)"}`);
console.log(`counterparty field: ${answer.findings.find((f) => f.code === "VALIDATION_PERSONAL_DATA").hint_zh}`);
const schema = JSON.parse(cunwu.submissionSchema("finance_statement"));
console.log(`form fields: ${Object.keys(schema.properties.payload.properties).join(", ")}`);
