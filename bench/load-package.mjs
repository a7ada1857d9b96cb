// Load a cunwu WebAssembly package by name: "node" (bindings-wasm/pkg-node, built for speed) or
// "web" (bindings-wasm/pkg, the browser package, built for size; initialised from its bytes, as a
// page does after fetching them).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function loadPackage(which) {
  if (which === "node") {
    return createRequire(import.meta.url)("../bindings-wasm/pkg-node");
  }
  if (which !== "web") throw new Error(`unknown package ${which}: node or web`);
  const web = await import("../bindings-wasm/pkg/index.js");
  const bytes = readFileSync(fileURLToPath(new URL("../bindings-wasm/pkg/cunwu_wasm_bg.wasm", import.meta.url)));
  web.initSync({ module: bytes });
  return web;
}
