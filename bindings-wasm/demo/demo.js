// The demo form: validates a monthly finance statement as the user types, shows each message at
// its field, offers the masked text when personal data is pasted, and lists the chosen unit's
// obligations for the month. Everything runs in the page (cunwu WebAssembly).
import init, { mask, schedule, validate } from "../pkg/index.js";

const LINES = {
  income: [
    ["集体资产租赁收入", "12000.00", "某农业合作社", "2026-03-001", "2026-03-05"],
    ["上级转移支付", "30000.00", "镇财政所", "2026-03-002", "2026-03-12"],
  ],
  expenditure: [
    ["村道维修", "18500.00", "某建筑队", "2026-03-003", "2026-03-20"],
    ["办公费", "860.30", "某文具店", "2026-03-004", "2026-03-28"],
  ],
};
const FIELDS = [["category", "类别", "wide"], ["amount", "金额", ""], ["counterparty", "对方单位或个人", "wide"], ["voucher", "凭证号", ""], ["date", "日期", ""]];
const $ = (sel) => document.querySelector(sel);

function buildLines() {
  const box = $("#lines");
  for (const [side, rows] of Object.entries(LINES)) {
    rows.forEach((values, i) => {
      const div = document.createElement("div");
      div.append(side === "income" ? `收入 ${i + 1}：` : `支出 ${i + 1}：`);
      FIELDS.forEach(([key, label, cls], k) => {
        const pointer = `/payload/${side}/${i}/${key}`;
        const l = document.createElement("label");
        l.textContent = `${label} `;
        const input = document.createElement("input");
        input.dataset.pointer = pointer;
        input.value = values[k];
        if (cls) input.className = cls;
        l.append(input);
        const msg = document.createElement("span");
        msg.className = "msg";
        msg.dataset.for = pointer;
        div.append(l, msg);
      });
      box.append(div);
    });
  }
}

function value(pointer) {
  return document.querySelector(`[data-pointer="${pointer}"]`).value.trim();
}

function submission() {
  const unit = $("#unit").selectedOptions[0];
  const line = (side, i) => Object.fromEntries(FIELDS.map(([key]) => [key, value(`/payload/${side}/${i}/${key}`)]));
  return {
    unit: { id: unit.value, kind: unit.dataset.kind, name: unit.textContent },
    item: "finance.income-expenditure",
    period: value("/period"),
    posting: { date: value("/posting/date"), boards: ["村便民服务中心公开栏"], planned_removal: value("/posting/planned_removal") },
    channels: ["board", "representatives_meeting", "printed_copies"],
    payload: {
      opening_balance: value("/payload/opening_balance"),
      income: LINES.income.map((_, i) => line("income", i)),
      expenditure: LINES.expenditure.map((_, i) => line("expenditure", i)),
      closing_balance: value("/payload/closing_balance"),
    },
  };
}

let maskTarget = null;

function check() {
  for (const m of document.querySelectorAll(".msg")) m.textContent = "";
  for (const i of document.querySelectorAll("[data-pointer]")) i.classList.remove("invalid");
  $("#other").replaceChildren();
  const answer = validate(submission());
  const errors = answer.findings.filter((f) => f.severity === "error");
  for (const f of answer.findings) {
    const pointer = f.location.pointer ?? "";
    const msg = document.querySelector(`.msg[data-for="${pointer}"]`);
    const text = f.hint_zh ? `${f.message_zh}（${f.hint_zh}）` : f.message_zh;
    if (msg) {
      msg.textContent += text;
      document.querySelector(`[data-pointer="${pointer}"]`)?.classList.add("invalid");
    } else {
      const li = document.createElement("li");
      li.textContent = `${pointer} ${text}`;
      $("#other").append(li);
    }
  }
  const status = $("#status");
  status.textContent = errors.length === 0 ? "表单有效，可以提交" : `有 ${errors.length} 个问题需要更正`;
  status.className = errors.length === 0 ? "ok" : "bad";
  // Personal data: offer the masked form of the first field that has any.
  maskTarget = [...document.querySelectorAll("input[data-pointer]")].find((i) => i.value && mask(i.value) !== i.value) ?? null;
  $("#mask-suggestion").hidden = maskTarget === null;
  if (maskTarget) $("#masked").textContent = mask(maskTarget.value);
}

function showSchedule() {
  const unit = $("#unit").selectedOptions[0];
  const month = value("/posting/date").slice(0, 7);
  const answer = schedule({ unit_kind: unit.dataset.kind, year: Number(month.slice(0, 4)), explain: false });
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
    li.textContent = `${o.due.date} ${o.name}（${o.covers.label}）`;
    list.append(li);
  }
}

await init();
buildLines();
$("#form").addEventListener("input", () => { check(); showSchedule(); });
$("#unit").addEventListener("change", () => { check(); showSchedule(); });
$("#use-masked").addEventListener("click", () => {
  if (maskTarget) maskTarget.value = mask(maskTarget.value);
  check();
});
check();
showSchedule();
document.body.dataset.ready = "true";
