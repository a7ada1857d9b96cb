// What a browser form does with the catalogue: list the items a community must disclose, and
// show a maintainer where their district file is wrong. Every call returns { ok, value | errors }.
//
// Run from the repository root after the test command has built the package:
//   node examples/node/catalogue.mjs
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const cunwu = require("../../bindings-wasm/pkg-node");

const answer = cunwu.resolveCatalogue({ as_of: "2026-04-15" });
if (!answer.ok) throw new Error(answer.errors[0].message_en);
const forCommunity = answer.value.items.filter((i) => i.scope.some((s) => s.value === "community"));
console.log(`${forCommunity.length} items apply to a community on ${answer.value.as_of}`);

const bad = readFileSync("tests/fixtures/bad-district/bad-2026.toml", "utf8");
const lint = cunwu.lintRules({ files: [{ path: "my-district.toml", text: bad }] });
for (const d of lint.value.diagnostics) {
  console.log(`${d.location.file}:${d.location.line}:${d.location.column} ${d.code} ${d.message_zh}`);
}

const refused = cunwu.resolveCatalogue({ as_of: "2026-13-01" });
console.log(refused.ok, refused.errors[0].code);
