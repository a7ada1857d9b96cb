// The finance statement form (bindings-wasm/demo) in a real browser (Debian's chromium, driven
// by playwright-core), as a cadre uses it: lines added, moved and removed in the table with the
// totals following; an error at its cell; a personal number flagged with its masked version one
// click away; the month's obligations; then the notice printed to PDF (A4 and A3), whose text
// must hold the heading, the legal basis by title, the 互动空间 line and the masked number, and
// never the full one. Screenshots and the PDFs go under target/demo/ for a person to look at.
// Needs bindings-wasm/pkg (scripts/build-wasm), /usr/bin/chromium, CJK fonts (fonts-noto-cjk)
// and pdftotext (poppler-utils); scripts/test-all installs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "..", "target", "demo");
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

/// The text of a PDF (pdftotext, layout kept, line breaks and spaces removed for matching).
function pdfText(path) {
  return execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

test("the finance statement form and its printed notice, in headless Chromium", async () => {
  await mkdir(out, { recursive: true });
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const errors = [];
    const elsewhere = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Nothing leaves the browser: every request is for the page's own files.
    page.on("request", (r) => {
      if (!r.url().startsWith(origin) || r.method() !== "GET") elsewhere.push(`${r.method()} ${r.url()}`);
    });
    await page.goto(`${origin}/demo/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
    const status = () => page.textContent("#status");
    assert.equal(await status(), "表单有效，可以提交");
    assert.equal(await page.textContent("#total-income"), "42000.00");
    assert.equal(await page.textContent("#total-expenditure"), "19360.30");
    assert.equal(await page.textContent("#computed-closing"), "174940.20");

    // A line added: the totals follow as it is typed; the stated closing balance no longer fits.
    await page.click("#add-income");
    const last = page.locator("#income tr").last();
    await last.locator('[data-field="category"]').fill("存款利息");
    await last.locator('[data-field="amount"]').fill("100.5");
    await last.locator('[data-field="counterparty"]').fill("某农村商业银行");
    await last.locator('[data-field="voucher"]').fill("2026-03-005");
    await last.locator('[data-field="date"]').fill("2026-03-31");
    assert.equal(await page.textContent("#total-income"), "42100.50");
    assert.equal(await page.textContent("#computed-closing"), "175040.70");
    const closingMsg = page.locator('.msg[data-for="/payload/closing_balance"]');
    assert.match(await closingMsg.textContent(), /期末余额.*不符/);
    await page.fill("#closing", "175040.70");
    assert.equal(await status(), "表单有效，可以提交");

    // Reordered: the third line moved up is the second, and its pointers follow its place.
    await page.locator("#income tr").nth(2).locator('button[data-op="up"]').click();
    assert.equal(await page.locator("#income tr").nth(1).locator('[data-field="category"]').inputValue(), "存款利息");
    assert.equal(
      await page.locator("#income tr").nth(1).locator('[data-field="amount"]').getAttribute("data-pointer"),
      "/payload/income/1/amount",
    );
    assert.equal(await page.locator("#income tr").nth(1).locator("td.no").textContent(), "2");

    // An error at its cell, in Chinese: a thousands separator is no amount.
    const amount = page.locator("#expenditure tr").nth(0).locator('[data-field="amount"]');
    await amount.fill("18,500.00");
    const amountMsg = page.locator('.msg[data-for="/payload/expenditure/0/amount"]');
    assert.match(await amountMsg.textContent(), /金额/);
    assert.ok(await amount.evaluate((e) => e.classList.contains("invalid")));
    assert.equal(await page.textContent("#total-expenditure"), "—");
    await amount.fill("18500.00");
    assert.equal(await amountMsg.textContent(), "");

    // Removed: the line and its amount leave the totals.
    await page.locator("#income tr").nth(1).locator('button[data-op="remove"]').click();
    assert.equal(await page.locator("#income tr").count(), 2);
    assert.equal(await page.textContent("#total-income"), "42000.00");
    await page.fill("#closing", "174940.20");
    assert.equal(await status(), "表单有效，可以提交");

    // A personal number: flagged at its cell, with the masked version one click away.
    const counterparty = page.locator("#income tr").nth(0).locator('[data-field="counterparty"]');
    await counterparty.fill("张三 11010519491231002X");
    const cellMsg = page.locator('.msg[data-for="/payload/income/0/counterparty"]');
    assert.match(await cellMsg.textContent(), /个人信息/);
    assert.match(await cellMsg.textContent(), /《社会救助暂行办法》/, "the basis is cited by title");
    assert.ok(!(await cellMsg.textContent()).includes("cn-social-assistance"), "never by id");
    assert.equal(await page.isVisible("#mask-suggestion"), true);
    const maskButton = page.locator("#income tr").nth(0).locator(".mask-btn");
    assert.equal(await maskButton.textContent(), "打码为：张三 1****************X");
    await page.screenshot({ path: join(out, "form-personal-data.png"), fullPage: true });

    // The month's obligations for the unit.
    const obligations = await page.locator("#schedule li").allTextContents();
    assert.ok(obligations.length > 5, obligations.join("\n"));
    assert.ok(obligations.every((o) => o.startsWith("2026-04-") && o.includes("（含当日）")), obligations.join("\n"));

    // The notice printed with the full number still in the form: the paper shows it masked.
    for (const paper of ["A4", "A3"]) {
      await page.selectOption("#paper", paper);
      await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
      const pdf = join(out, `notice-${paper}.pdf`);
      await writeFile(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      const text = pdfText(pdf);
      for (const expected of ["示例村财务收支公开表", "单位示例村", "所属期间2026年3月", "公开日期2026-04-15", "计划撤下日期2026-05-16",
        "收入合计", "42000.00", "支出合计", "19360.30", "期末余额", "依据：", "《村民委员会组织法》", "互动空间", "《重庆市实施〈村民委员会组织法〉办法》第三十一条"]) {
        assert.ok(text.includes(expected), `${paper}: the printed notice lacks ${expected}:\n${text}`);
      }
      assert.ok(text.includes("张三1****************X"), `${paper}: the masked number is printed:\n${text}`);
      assert.ok(text.includes("草稿：表单尚有1个问题未更正"), `${paper}: a notice with errors says it is a draft:\n${text}`);
      assert.ok(!text.includes("11010519491231002X"), `${paper}: the full number must never be printed`);
      const size = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
      const expectedSize = paper === "A4" ? /Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts/ : /Page size:\s+84[12](\.\d+)? x 119[01](\.\d+)? pts/;
      assert.match(size, expectedSize, `${paper}: ${size}`);
    }
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: join(out, "notice-print-view.png"), fullPage: true });
    await page.emulateMedia({ media: null });

    // A number typed into the period or an amount is masked on paper too, totals included.
    await page.fill("#period", "2026-13912345678");
    await page.locator("#expenditure tr").nth(1).locator('[data-field="amount"]').fill("13912345678");
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const leaky = join(out, "notice-numbers.pdf");
    await writeFile(leaky, await page.pdf({ preferCSSPageSize: true }));
    const ltext = pdfText(leaky);
    assert.ok(!ltext.includes("13912345678"), `a mobile number in the period or an amount is printed in full:\n${ltext}`);
    await page.fill("#period", "2026-03");
    await page.locator("#expenditure tr").nth(1).locator('[data-field="amount"]').fill("860.30");

    // A community's notice: the community's names, and no village statute in its 互动空间 line.
    await page.selectOption("#unit", "cq-demo-101");
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const community = join(out, "notice-community.pdf");
    await writeFile(community, await page.pdf({ preferCSSPageSize: true }));
    const ctext = pdfText(community);
    assert.ok(ctext.includes("示例社区财务收支公开表") && ctext.includes("互动空间"), ctext);
    assert.ok(!ctext.includes("第三十一条"), `a village statute is no basis of a community's notice:\n${ctext}`);

    await counterparty.fill("某农业合作社");
    assert.equal(await page.isVisible("#mask-suggestion"), false);
    await page.screenshot({ path: join(out, "form.png"), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(elsewhere, [], "the page sends nothing anywhere");
  } finally {
    await browser.close();
    server.close();
  }
});
