// The monthly finance statement (财务收支公开表) as a form: income and expenditure lines as table
// rows (add, remove, move up and down), totals computed as you type in exact decimal arithmetic,
// every finding of cunwu's validation at its cell, personal data flagged with a one-click masked
// version, the unit's obligations for the month, and a print view: the notice for the board
// (公开栏), A4 or A3, with the standard heading, the table, the legal basis by document title and
// the 互动空间 line for objections, personal data masked. Everything runs in the page (cunwu
// WebAssembly): nothing is sent anywhere.
import init, { mask, resolveCatalogue, schedule, validate } from "../pkg/index.js";

const START = {
  income: [
    ["集体资产租赁收入", "12000.00", "某农业合作社", "2026-03-001", "2026-03-05"],
    ["上级转移支付", "30000.00", "镇财政所", "2026-03-002", "2026-03-12"],
  ],
  expenditure: [
    ["村道维修", "18500.00", "某建筑队", "2026-03-003", "2026-03-20"],
    ["办公费", "860.30", "某文具店", "2026-03-004", "2026-03-28"],
  ],
};
const FIELDS = ["category", "amount", "counterparty", "voucher", "date"];
const ITEM = "finance.income-expenditure";
const $ = (sel) => document.querySelector(sel);

// Money as integer fen (BigInt), never floating point: "1234.5" → 123450n; null when the text is
// no amount (the validator says why, at the cell).
function fen(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -v : v;
}
function yuan(v) {
  if (v === null) return "—";
  const sign = v < 0n ? "-" : "";
  const a = v < 0n ? -v : v;
  return `${sign}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
}

function cell(side, field, value) {
  const td = document.createElement("td");
  if (field === "amount") td.className = "num";
  const input = document.createElement("input");
  input.dataset.field = field;
  input.value = value;
  input.setAttribute("aria-label", { category: "类别", amount: "金额", counterparty: "对方单位或个人", voucher: "凭证号", date: "日期" }[field]);
  const msg = document.createElement("span");
  msg.className = "msg";
  td.append(input, msg);
  return td;
}

function row(side, values = ["", "", "", "", ""]) {
  const tr = document.createElement("tr");
  tr.dataset.side = side;
  const no = document.createElement("td");
  no.className = "no";
  tr.append(no);
  FIELDS.forEach((f, k) => tr.append(cell(side, f, values[k] ?? "")));
  const ops = document.createElement("td");
  ops.className = "ops";
  for (const [op, text, label] of [["up", "↑", "上移"], ["down", "↓", "下移"], ["remove", "✕", "删除"]]) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.op = op;
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    ops.append(b);
  }
  tr.append(ops);
  return tr;
}

// Each row's number and each input's pointer follow the row's place, after every change.
function reindex() {
  for (const side of ["income", "expenditure"]) {
    [...document.querySelectorAll(`#${side} tr`)].forEach((tr, i) => {
      tr.querySelector("td.no").textContent = String(i + 1);
      for (const input of tr.querySelectorAll("input")) {
        const pointer = `/payload/${side}/${i}/${input.dataset.field}`;
        input.dataset.pointer = pointer;
        input.nextElementSibling.dataset.for = pointer;
      }
    });
  }
}

function lines(side) {
  return [...document.querySelectorAll(`#${side} tr`)].map((tr) =>
    Object.fromEntries([...tr.querySelectorAll("input")].map((i) => [i.dataset.field, i.value.trim()])),
  );
}

function sum(side) {
  let total = 0n;
  for (const l of lines(side)) {
    const v = fen(l.amount);
    if (v === null) return null;
    total += v;
  }
  return total;
}

function unit() {
  const o = $("#unit").selectedOptions[0];
  return { id: o.value, kind: o.dataset.kind, name: o.dataset.name };
}

function submission() {
  const income = sum("income");
  const expenditure = sum("expenditure");
  const payload = {
    opening_balance: $("#opening").value.trim(),
    income: lines("income"),
    expenditure: lines("expenditure"),
    closing_balance: $("#closing").value.trim(),
  };
  // The statement states its totals as the table shows them (computed from the lines).
  if (income !== null) payload.total_income = yuan(income);
  if (expenditure !== null) payload.total_expenditure = yuan(expenditure);
  return {
    unit: unit(),
    item: ITEM,
    period: $("#period").value.trim(),
    posting: { date: $("#posted").value, boards: ["便民服务中心公开栏"], planned_removal: $("#removal").value },
    channels: ["board", "representatives_meeting", "printed_copies"],
    payload,
  };
}

function totals() {
  const income = sum("income");
  const expenditure = sum("expenditure");
  $("#total-income").textContent = yuan(income);
  $("#total-expenditure").textContent = yuan(expenditure);
  const opening = fen($("#opening").value);
  $("#computed-closing").textContent =
    opening === null || income === null || expenditure === null ? "—" : yuan(opening + income - expenditure);
}

let maskTarget = null;

function check() {
  reindex();
  totals();
  for (const m of document.querySelectorAll(".msg")) {
    m.textContent = "";
    m.classList.remove("warning");
  }
  for (const b of document.querySelectorAll(".mask-btn")) b.remove();
  for (const i of document.querySelectorAll("[data-pointer]")) i.classList.remove("invalid");
  $("#other").replaceChildren();
  const answer = validate(submission());
  const errors = answer.findings.filter((f) => f.severity === "error");
  for (const f of answer.findings) {
    const pointer = f.location.pointer ?? "";
    const text = f.hint_zh ? `${f.message_zh}（${f.hint_zh}）` : f.message_zh;
    // At its cell; a finding about a whole line at the line's first cell.
    const msg =
      document.querySelector(`.msg[data-for="${CSS.escape(pointer)}"]`) ??
      document.querySelector(`.msg[data-for^="${CSS.escape(pointer)}/"]`);
    if (msg) {
      msg.textContent += (msg.textContent ? "；" : "") + text;
      if (f.severity === "warning") msg.classList.add("warning");
      else msg.previousElementSibling?.classList.add("invalid");
    } else {
      const li = document.createElement("li");
      li.textContent = `${f.severity === "error" ? "错误" : "提示"}：${text}`;
      $("#other").append(li);
    }
  }
  const status = $("#status");
  status.textContent = errors.length === 0 ? "表单有效，可以提交" : `有 ${errors.length} 个问题需要更正`;
  status.className = errors.length === 0 ? "ok" : "bad";
  // Personal data: each cell holding some gets its masked version one click away.
  const withData = [...document.querySelectorAll("input[data-pointer]")].filter((i) => i.value && mask(i.value) !== i.value);
  for (const input of withData) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "mask-btn";
    b.textContent = `打码为：${mask(input.value)}`;
    b.addEventListener("click", () => {
      input.value = mask(input.value);
      refresh();
    });
    input.parentElement.append(b);
  }
  maskTarget = withData[0] ?? null;
  $("#mask-suggestion").hidden = maskTarget === null;
  if (maskTarget) $("#masked").textContent = mask(maskTarget.value);
}

function showSchedule() {
  const month = $("#posted").value.slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month)) {
    $("#schedule").replaceChildren(text("li", "请填写公开日期"));
    return;
  }
  const answer = schedule({ unit_kind: unit().kind, year: Number(month.slice(0, 4)), explain: false });
  const list = $("#schedule");
  list.replaceChildren();
  if (!answer.ok) {
    const li = document.createElement("li");
    li.textContent = answer.errors[0].message_zh;
    list.append(li);
    return;
  }
  for (const o of answer.value.obligations.filter((o) => o.due.date?.startsWith(month))) {
    const li = document.createElement("li");
    li.textContent = `${o.due.date}（含当日）前公开：${o.name}（${o.covers.label}）`;
    list.append(li);
  }
}

// How a document is cited: its short title in 《》, a title inside it in 〈〉 (as the core cites).
function citation(doc) {
  const title = (doc.short_title ?? doc.title).replace(/^《|》$/g, "").replaceAll("《", "〈").replaceAll("》", "〉");
  return `《${title}》`;
}

// The legal basis of the notice: what the item, its rhythm and its display period rest on, for
// this kind of unit, by document title.
function basisLine(posted) {
  const answer = resolveCatalogue({ as_of: posted, unit_kind: unit().kind });
  if (!answer.ok) return "（公开日期无效，无法确定）";
  const cat = answer.value;
  const item = cat.items.find((i) => i.id === ITEM);
  if (!item) return "";
  const seen = new Set();
  const parts = [];
  for (const b of [...item.basis, ...item.name.basis, ...item.cadence.basis, ...(item.display?.basis ?? [])]) {
    const key = `${b.doc} ${b.article}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = cat.documents[b.doc];
    parts.push(doc ? `${citation(doc)}${b.article}` : b.article);
  }
  return parts.join("；");
}

function text(tag, content, cls) {
  const e = document.createElement(tag);
  e.textContent = content;
  if (cls) e.className = cls;
  return e;
}

// The period as the board says it (2026年3月, 2026年第一季度, 2026年上半年, 2026年); anything
// else as typed, masked.
function periodZh(label) {
  const q = ["", "一", "二", "三", "四"];
  let m;
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label))) return `${m[1]}年${Number(m[2])}月`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(label))) return `${m[1]}年第${q[Number(m[2])]}季度`;
  if ((m = /^(\d{4})-H([12])$/.exec(label))) return `${m[1]}年${m[2] === "1" ? "上" : "下"}半年`;
  if ((m = /^(\d{4})$/.exec(label))) return `${m[1]}年`;
  return mask(label);
}

function span(e, n) {
  e.colSpan = n;
  return e;
}

// The notice as it goes on the board: every text masked, nothing editable.
function renderNotice() {
  const u = unit();
  const notice = $("#notice");
  notice.replaceChildren();
  // A draft that still has errors says so on the paper: it is not to be posted.
  const errors = validate(submission()).findings.filter((f) => f.severity === "error").length;
  if (errors > 0) notice.append(text("p", `（草稿：表单尚有 ${errors} 个问题未更正，更正前不得张贴）`, "draft"));
  notice.append(text("h1", `${mask(u.name)}财务收支公开表`));
  const head = document.createElement("table");
  head.className = "notice-head";
  const period = periodZh($("#period").value.trim());
  const cells = [["单位", mask(u.name)], ["所属期间", period], ["公开日期", $("#posted").value], ["计划撤下日期", $("#removal").value]];
  const tr = document.createElement("tr");
  for (const [k, v] of cells) tr.append(text("th", k), text("td", v));
  head.append(tr);
  notice.append(head);
  const table = document.createElement("table");
  table.className = "notice-lines";
  const thead = document.createElement("thead");
  const header = document.createElement("tr");
  for (const h of ["收支", "序号", "类别（摘要）", "金额（元）", "对方单位或个人", "凭证号", "日期"]) header.append(text("th", h));
  thead.append(header);
  table.append(thead);
  for (const [side, name] of [["income", "收入"], ["expenditure", "支出"]]) {
    lines(side).forEach((l, i) => {
      const r = document.createElement("tr");
      r.append(text("td", name), text("td", String(i + 1)), text("td", mask(l.category), "wrap"), text("td", mask(l.amount), "num"),
        text("td", mask(l.counterparty), "wrap"), text("td", mask(l.voucher), "wrap"), text("td", mask(l.date), "wrap"));
      table.append(r);
    });
    const total = document.createElement("tr");
    total.append(span(text("td", `${name}合计`), 3), text("td", mask(yuan(sum(side))), "num"), span(text("td", ""), 3));
    table.append(total);
  }
  const balance = document.createElement("tr");
  balance.append(span(text("td", "期初余额"), 3), text("td", mask($("#opening").value), "num"),
    span(text("td", "期末余额"), 2), text("td", mask($("#closing").value), "num"));
  table.append(balance);
  notice.append(table);
  notice.append(text("p", `依据：${basisLine($("#posted").value)}`));
  const village = u.kind === "village";
  notice.append(
    text(
      "p",
      "互动空间：对本公开内容、时间、形式等有异议的，可以逐级向村(居)委会、乡镇(街道)、区县反映或投诉，受理单位应予答复（《市民政局对市五届人大一次会议第0447号建议的答复》一(二)五）" +
        (village ? "；村民也可以通过村务监督委员会或者直接向村民委员会提出，村民委员会应当自收到之日起三日内答复（《重庆市实施〈村民委员会组织法〉办法》第三十一条）。" : "。"),
      "interaction",
    ),
  );
  $("#page-size").textContent = `@page { size: ${$("#paper").value.replace(/^(A[34])$/, "$1 portrait")}; margin: 15mm; }`;
}

function refresh() {
  check();
  showSchedule();
}

function add(side) {
  $(`#${side}`).append(row(side));
  refresh();
  $(`#${side} tr:last-child input`).focus();
}

await init();
for (const [side, rows] of Object.entries(START)) for (const values of rows) $(`#${side}`).append(row(side, values));
$("#form").addEventListener("input", refresh);
$("#unit").addEventListener("change", refresh);
$("#add-income").addEventListener("click", () => add("income"));
$("#add-expenditure").addEventListener("click", () => add("expenditure"));
$("#form").addEventListener("click", (e) => {
  const op = e.target.closest("button[data-op]")?.dataset.op;
  if (!op) return;
  const tr = e.target.closest("tr");
  if (op === "remove") tr.remove();
  if (op === "up" && tr.previousElementSibling) tr.parentElement.insertBefore(tr, tr.previousElementSibling);
  if (op === "down" && tr.nextElementSibling) tr.parentElement.insertBefore(tr.nextElementSibling, tr);
  refresh();
});
$("#use-masked").addEventListener("click", () => {
  if (maskTarget) maskTarget.value = mask(maskTarget.value);
  refresh();
});
window.addEventListener("beforeprint", renderNotice);
$("#print").addEventListener("click", () => {
  renderNotice();
  window.print();
});
refresh();
renderNotice();
document.body.dataset.ready = "true";
