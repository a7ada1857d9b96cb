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
    const text = type === "string" ? (optional ? "string?" : "string") : /^string( \| null)?( \| undefined)?$/.test(type) ? "string?" : type === "boolean" ? "boolean" : null;
    return { name, text };
  });
}
const functions = [...dts.matchAll(/^export function (\w+)\((.*)\): (.+);$/gm)]
  .filter(([, name]) => name !== "initSync")
  .map(([, name, list, returns]) => {
    const kind = returns.startsWith("Answer<") ? "answer" : returns.includes("findings") ? "findings" : "value";
    const all = params(list);
    const checks = all.map((p, i) => (p.text ? [i, p.name, p.text] : null)).filter(Boolean);
    // Where the rules argument is: its limits bound the texts checked before they are copied.
    const rules = all.findIndex((p) => p.name === "rules");
    return { name, kind, checks, rules };
  });
if (functions.length < 10) throw new Error(`only ${functions.length} functions found in ${dir}/cunwu_wasm.d.ts`);
functions.push({ name: "__cunwu_panic_for_tests", kind: "answer", checks: [], rules: -1 });

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

// The UTF-8 length of a string, counted only when it could be over the limit, so nothing is
// copied to find out: a UTF-16 unit is one to three bytes, a surrogate pair four, and a lone
// surrogate three (it is written as U+FFFD).
function overLimit(text, limit) {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes > limit) return true;
  }
  return false;
}

// A limit of the rules argument when it sets one (a number), else the default. Read with care:
// the argument is the caller's object, and its getters may throw.
function limitOf(rules, key, fallback) {
  try {
    const value = rules?.limits?.[key];
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
  } catch (_) {
    return fallback;
  }
}

// A call that ran out of JavaScript stack (a RangeError) may have left the instance's own stack
// pointer where the overflow found it: the instance is replaced, as after a trap.
// Set when a replacement could not be made (the stack was still exhausted): made by the next call.
let stale = false;

function refuse(kind, diagnostic) {
  if (kind === "answer") return { ok: false, errors: [diagnostic] };
  if (kind === "findings") return { ok: false, findings: [diagnostic] };
  throw new TypeError(diagnostic.message_en);
}

// How many cunwu calls are running (calls nest when one reads an argument whose getter calls
// cunwu), and the message of a trap that happened under them (null when none did).
let depth = 0;
let trapped = null;

function replace() {
  try {
    glue.__cunwu_reinstantiate();
    stale = false;
  } catch (_) {
    stale = true;
  }
}

function guard(name, kind, checks, rulesAt) {
  const f = glue[name];
  // Decided once here: nothing per call compiles a regular expression (V8 may compile one lazily,
  // and doing that at the stack's end aborts the process).
  const countsEntries = name.endsWith("Apply") || name.endsWith("LogToJsonl");
  return function (...args) {
    if (stale && depth === 0) replace();
    // Every argument wasm-bindgen converts itself is checked before any is copied: a conversion
    // that throws after a text was copied would leave the copy in WebAssembly's memory.
    for (const [i, param, text] of checks) {
      const arg = args[i];
      if (text === "boolean") {
        if (arg == null) args[i] = false;
        else if (typeof arg !== "boolean") {
          return refuse(kind, {
            code: "INPUT_INVALID_REQUEST",
            severity: "error",
            message_zh: \`参数 \\\`\${param}\\\` 应为 true 或 false\`,
            message_en: \`argument \\\`\${param}\\\` of \${name} must be true or false\`,
            location: { pointer: \`/\${param}\` },
          });
        }
        continue;
      }
      if (typeof arg === "string" || (text === "string?" && arg == null)) continue;
      return refuse(kind, {
        code: "INPUT_INVALID_REQUEST",
        severity: "error",
        message_zh: \`参数 \\\`\${param}\\\` 应为字符串\`,
        message_en: \`argument \\\`\${param}\\\` of \${name} must be a string\`,
        location: { pointer: \`/\${param}\` },
      });
    }
    // A text over its bound is refused before its bytes are copied into WebAssembly's memory
    // (which never shrinks): the rules argument's max_text_bytes where it has one, else the
    // default. A log's text is LOG_TOO_LARGE, as the core answers.
    const fallback = glue.__cunwu_max_text_bytes();
    const limit = rulesAt >= 0 ? limitOf(args[rulesAt], "max_text_bytes", fallback) : fallback;
    for (const [i, param, text] of checks) {
      const arg = args[i];
      if (text === "boolean" || typeof arg !== "string" || !overLimit(arg, limit)) continue;
      const log = param === "jsonl";
      const which = limit === fallback;
      const diagnostic = {
        code: log ? "LOG_TOO_LARGE" : "INPUT_TOO_LARGE",
        severity: "error",
        message_zh: \`\${log ? "日志" : "输入"}过大：\\\`\${param}\\\` 超过上限 \${limit} 字节（即限值 max_text_bytes\${which ? " 的默认值" : ""}；见 docs/limits.md）\`,
        message_en: \`\${log ? "the log is too large" : "input too large"}: \\\`\${param}\\\` of \${name} is over the limit of \${limit} bytes (the \${which ? "default " : ""}max_text_bytes; see docs/limits.md)\`,
        location: { pointer: \`/\${param}\` },
      };
      if (kind === "value") throw new CunwuInputError(diagnostic);
      return refuse(kind, diagnostic);
    }
    // A log given as entries is counted before it is converted: JSON.stringify of a million
    // entries would take seconds and gigabytes before the core could refuse it.
    if (countsEntries) {
      let entries;
      try {
        entries = Array.isArray(args[0]) ? args[0].length : Array.isArray(args[0]?.log) ? args[0].log.length : undefined;
      } catch (_) {
        entries = undefined;
      }
      const most = rulesAt >= 0 ? limitOf(args[rulesAt], "max_log_entries", 100000) : 100000;
      if (entries !== undefined && entries > most) {
        return refuse(kind, {
          code: "LOG_TOO_LARGE",
          severity: "error",
          message_zh: \`日志过大：\${entries}条记录（上限\${most}，即限值 max_log_entries；见 docs/limits.md）\`,
          message_en: \`the log is too large: \${entries} entries (at most \${most}, the limit max_log_entries; see docs/limits.md)\`,
          location: { pointer: "/log" },
        });
      }
    }
    // A call may run JavaScript while it reads its arguments (a getter, \`toJSON\`), and that
    // code may call cunwu again: calls nest. A trap unwinds only the innermost call, so the
    // instance is replaced when the outermost call ends, never under a call still running on it,
    // and every call that was running when the trap happened answers INTERNAL_PANIC: what it
    // computed ran on an instance with a moved stack pointer and held locks.
    // Written to survive a call made with the stack nearly exhausted (a getter that recursed to
    // the limit and then called cunwu): \`depth\` is restored in \`finally\`, the error is kept as
    // it is (no message built, no regular expression run) and described only afterwards, in a
    // \`try\`; a replacement that cannot be made now is made by the next call.
    depth++;
    let answer, caught = null, threw = false;
    try {
      answer = f(...args);
    } catch (e) {
      threw = true;
      caught = e;
    } finally {
      depth--;
    }
    if (threw) {
      if (!(caught instanceof WebAssembly.RuntimeError) && !(caught instanceof RangeError)) {
        if (depth === 0 && trapped !== null) {
          trapped = null;
          replace();
        }
        throw caught;
      }
      if (trapped === null) {
        trapped = "a trap";
        try {
          trapped = caught instanceof RangeError
            ? "the JavaScript stack ran out during the call, or a range error escaped it: " + caught.message
            : glue.__cunwu_take_panic() ?? caught.message;
        } catch (_) {
          // the trapped instance, or the stack, could not say more
        }
      }
    }
    const failed = trapped;
    if (depth === 0 && trapped !== null) {
      trapped = null;
      replace();
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
    functions.map(({ name, kind, checks, rules }) => `export const ${name} = guard("${name}", "${kind}", ${JSON.stringify(checks)}, ${rules});`).join("\n") +
    "\nexport { CunwuInternalError, CunwuInputError };\n";
} else {
  js = header + `"use strict";\nconst glue = require("./cunwu_wasm.js");\n` + body +
    "module.exports = {\n  CunwuInternalError,\n  CunwuInputError,\n" +
    functions.map(({ name, kind, checks, rules }) => `  ${name}: guard("${name}", "${kind}", ${JSON.stringify(checks)}, ${rules}),`).join("\n") + "\n};\n";
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
