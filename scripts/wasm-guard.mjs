// Write the entry module of a built WebAssembly package (index.js + index.d.ts) that guards every
// function: a panic inside cunwu aborts, which JavaScript sees as a `WebAssembly.RuntimeError`;
// the guard catches it, reads the panic's message, replaces the instance (a trapped instance's
// stack and locks are left as the trap found them) and answers
// `{ ok: false, errors: [INTERNAL_PANIC] }` (`findings` for `validate`), or throws
// `CunwuInternalError` from the functions that return plain values (`mask`...). No panic reaches
// the page as a bare trap. Any other exception passes through unchanged. It also checks the
// arguments declared `string`, which wasm-bindgen reads without asking: anything else is an
// INPUT_INVALID_REQUEST answer at that argument (a TypeError from the plain-value functions).
//
// Usage: node scripts/wasm-guard.mjs PACKAGE_DIR web|nodejs   (scripts/build-wasm runs it)
import { readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";

const [dir, target] = process.argv.slice(2);
const dts = readFileSync(join(dir, "cunwu_wasm.d.ts"), "utf8");
// Split a parameter list at its top-level commas.
function params(list) {
  const out = [];
  let depth = 0, start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if ("{[(<".includes(c)) depth++;
    else if ("}])>".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (list.trim()) out.push(list.slice(start).trim());
  return out.map((p) => {
    const [, name, optional, type] = p.match(/^(\w+)(\??): (.+)$/);
    // wasm-bindgen reads a `string` argument's bytes without asking what it is: anything else
    // must be stopped here (a number where text is expected once read out of bounds).
    const text = type === "string" ? (optional ? "string?" : "string") : /^string( \| null)?( \| undefined)?$/.test(type) ? "string?" : null;
    return { name, text };
  });
}
const functions = [...dts.matchAll(/^export function (\w+)\((.*)\): (.+);$/gm)]
  .filter(([, name]) => name !== "initSync")
  .map(([, name, list, returns]) => {
    const kind = returns.startsWith("Answer<") ? "answer" : returns.includes("findings") ? "findings" : "value";
    const checks = params(list).map((p, i) => (p.text ? [i, p.name, p.text] : null)).filter(Boolean);
    return { name, kind, checks };
  });
if (functions.length < 10) throw new Error(`only ${functions.length} functions found in ${dir}/cunwu_wasm.d.ts`);
functions.push({ name: "__cunwu_panic_for_tests", kind: "answer", checks: [] });

// A fresh instance from the same compiled module, for after a trap.
const reinstantiate = target === "web"
  ? `
/** Replace the instance after a trap (used by index.js). */
export function __cunwu_reinstantiate() {
    if (wasmModule === undefined) return;
    __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule);
}
`
  : `
/** Replace the instance after a trap (used by index.js). */
module.exports.__cunwu_reinstantiate = function () {
    wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    wasm = wasmInstance.exports;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
};
`;
const glue = join(dir, "cunwu_wasm.js");
if (!readFileSync(glue, "utf8").includes("__cunwu_reinstantiate")) appendFileSync(glue, reinstantiate);

const body = `
/** Thrown by the functions that return a plain value when cunwu hits an internal error (a bug). */
class CunwuInternalError extends Error {
  constructor(diagnostic) {
    super(diagnostic.message_en);
    this.name = "CunwuInternalError";
    this.diagnostic = diagnostic;
  }
}

/** Thrown by the functions that return a plain value when an argument is over its limit. */
class CunwuInputError extends RangeError {
  constructor(diagnostic) {
    super(diagnostic.message_en);
    this.name = "CunwuInputError";
    this.diagnostic = diagnostic;
  }
}

// The UTF-8 length of a string, counted only when it could be over the limit (a UTF-16 unit is
// one to three bytes, a surrogate pair four), so nothing is copied to find out.
function overLimit(text, limit) {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
    if (bytes > limit) return true;
  }
  return false;
}

function refuse(kind, diagnostic) {
  if (kind === "answer") return { ok: false, errors: [diagnostic] };
  if (kind === "findings") return { ok: false, findings: [diagnostic] };
  throw new TypeError(diagnostic.message_en);
}

// How many cunwu calls are running (calls nest when one reads an argument whose getter calls
// cunwu), and the message of a trap that happened under them (null when none did).
let depth = 0;
let trapped = null;

function guard(name, kind, checks) {
  const f = glue[name];
  return function (...args) {
    for (const [i, param, text] of checks) {
      const arg = args[i];
      if (typeof arg === "string" || (text === "string?" && arg == null)) continue;
      return refuse(kind, {
        code: "INPUT_INVALID_REQUEST",
        severity: "error",
        message_zh: \`参数 \\\`\${param}\\\` 应为字符串\`,
        message_en: \`argument \\\`\${param}\\\` of \${name} must be a string\`,
        location: { pointer: \`/\${param}\` },
      });
    }
    // The plain-value functions take no rules, so the default bound is theirs; a text over it is
    // refused before its bytes are copied into WebAssembly's memory.
    if (kind === "value") {
      for (const [i, param] of checks) {
        const arg = args[i];
        if (typeof arg !== "string") continue;
        const limit = glue.__cunwu_max_text_bytes();
        if (!overLimit(arg, limit)) continue;
        throw new CunwuInputError({
          code: "INPUT_TOO_LARGE",
          severity: "error",
          message_zh: \`输入过大：\\\`\${param}\\\` 超过上限 \${limit} 字节（即限值 max_text_bytes 的默认值；见 docs/limits.md）\`,
          message_en: \`input too large: \\\`\${param}\\\` of \${name} is over the limit of \${limit} bytes (the default max_text_bytes; see docs/limits.md)\`,
          location: { pointer: \`/\${param}\` },
        });
      }
    }
    // A call may run JavaScript while it reads its arguments (a getter, \`toJSON\`), and that
    // code may call cunwu again: calls nest. A trap unwinds only the innermost call, so the
    // instance is replaced when the outermost call ends, never under a call still running on it,
    // and every call that was running when the trap happened answers INTERNAL_PANIC: what it
    // computed ran on an instance with a moved stack pointer and held locks.
    depth++;
    let answer, failed = null;
    try {
      answer = f(...args);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) {
        depth--;
        if (depth === 0 && trapped !== null) {
          trapped = null;
          glue.__cunwu_reinstantiate();
        }
        throw e;
      }
      let what = e.message;
      try {
        what = glue.__cunwu_take_panic() ?? what;
      } catch (_) {
        // the trapped instance could not say; the trap's own message stands
      }
      trapped = trapped ?? what;
    }
    if (trapped !== null) failed = trapped;
    depth--;
    if (depth === 0 && trapped !== null) {
      trapped = null;
      glue.__cunwu_reinstantiate();
    }
    if (failed === null) return answer;
    const diagnostic = {
      code: "INTERNAL_PANIC",
      severity: "error",
      message_zh: \`cunwu 内部错误（请报告）：\${failed}\`,
      message_en: \`internal error in cunwu (please report it): \${failed}\`,
      location: {},
    };
    if (kind === "value") throw new CunwuInternalError(diagnostic);
    return refuse(kind, diagnostic);
  };
}
`;
const header = "// Generated by scripts/wasm-guard.mjs: every function of cunwu, guarded (see that script).\n";
let js;
if (target === "web") {
  js = header + `import * as glue from "./cunwu_wasm.js";\nexport { default, initSync } from "./cunwu_wasm.js";\n` + body +
    functions.map(({ name, kind, checks }) => `export const ${name} = guard("${name}", "${kind}", ${JSON.stringify(checks)});`).join("\n") +
    "\nexport { CunwuInternalError, CunwuInputError };\n";
} else {
  js = header + `"use strict";\nconst glue = require("./cunwu_wasm.js");\n` + body +
    "module.exports = {\n  CunwuInternalError,\n  CunwuInputError,\n" +
    functions.map(({ name, kind, checks }) => `  ${name}: guard("${name}", "${kind}", ${JSON.stringify(checks)}),`).join("\n") + "\n};\n";
}
writeFileSync(join(dir, "index.js"), js);
writeFileSync(
  join(dir, "index.d.ts"),
  header +
    `export * from "./cunwu_wasm.js";\n` +
    (target === "web" ? `export { default } from "./cunwu_wasm.js";\n` : "") +
    `import type { Diagnostic } from "./cunwu_wasm.js";\n` +
    `/** Thrown by the functions that return a plain value when cunwu hits an internal error (a bug). */\n` +
    `export declare class CunwuInternalError extends Error {\n  diagnostic: Diagnostic;\n}\n` +
    `/** Thrown by the functions that return a plain value when an argument is over its limit (INPUT_TOO_LARGE). */\n` +
    `export declare class CunwuInputError extends RangeError {\n  diagnostic: Diagnostic;\n}\n`,
);
