// The demo page in a real browser (Debian's chromium, driven by playwright-core): a statement
// whose totals do not add up shows the error at the closing balance; fixing it makes the form
// valid; pasting an 18-digit ID number offers the masked form; the month's obligations show.
// Needs bindings-wasm/pkg (scripts/build-wasm) and /usr/bin/chromium (scripts/test-all installs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path.endsWith("/") ? join(path, "index.html") : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("demo form in headless Chromium", async () => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/demo/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
    assert.equal(await page.textContent("#status"), "表单有效，可以提交");

    const closing = page.locator('[data-pointer="/payload/closing_balance"]');
    await closing.fill("1.00");
    const at = page.locator('.msg[data-for="/payload/closing_balance"]');
    assert.match(await at.textContent(), /期末余额 1\.00 .*不符/);
    assert.match(await page.textContent("#status"), /有 1 个问题需要更正/);
    assert.ok(await closing.evaluate((e) => e.classList.contains("invalid")));

    await closing.fill("174940.20");
    assert.equal(await page.textContent("#status"), "表单有效，可以提交");
    assert.equal(await at.textContent(), "");

    assert.equal(await page.isVisible("#mask-suggestion"), false);
    const counterparty = page.locator('[data-pointer="/payload/income/0/counterparty"]');
    await counterparty.fill("张三 11010519491231002X");
    assert.equal(await page.isVisible("#mask-suggestion"), true);
    assert.equal(await page.textContent("#masked"), "张三 1****************X");
    assert.match(await page.textContent('.msg[data-for="/payload/income/0/counterparty"]'), /1\*{16}X/);
    await page.click("#use-masked");
    assert.equal(await counterparty.inputValue(), "张三 1****************X");
    assert.equal(await page.textContent("#status"), "表单有效，可以提交");

    const obligations = await page.locator("#schedule li").allTextContents();
    assert.ok(obligations.length > 5, obligations.join("\n"));
    assert.ok(obligations.every((o) => o.startsWith("2026-04-")), obligations.join("\n"));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
