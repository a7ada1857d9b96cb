//! Plain-text renderings shared by every surface (the CLI prints them; Python and WASM return them).

use crate::catalogue::ResolvedCatalogue;
use crate::diff::{channel_zh, cite};

/// The catalogue as a Markdown table, one item a row, with the source of each row's obligation.
///
/// ```
/// use chrono::NaiveDate;
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let cat = rules.resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap();
/// let table = cunwu_core::render::catalogue_table(&cat);
/// assert!(table.lines().any(|l| l.contains("finance.income-expenditure") && l.contains("每月")));
/// ```
pub fn catalogue_table(cat: &ResolvedCatalogue) -> String {
    let mut out = String::new();
    let layers: Vec<&str> = cat.layers.iter().map(|l| l.id.as_str()).collect();
    out.push_str(&format!("# 村(居)务公开目录 {}（{}）\n\n", cat.as_of, layers.join(" → ")));
    if let Some(d) = &cat.district {
        out.push_str(&format!("区县：{}（{}）\n\n", d.name, d.id));
    }
    for w in &cat.warnings {
        out.push_str(&format!("注意：{}\n\n", w.message_zh));
    }
    out.push_str("| id | 事项 | 类别 | 范围 | 频次 | 公开时限 | 方式 | 备案 | 依据 |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for item in &cat.items {
        let scope: Vec<&str> = item.scope.iter().map(|s| s.value.name_zh()).collect();
        let mut cadence: Vec<String> = item.cadence.value.iter().map(|c| c.name_zh().to_string()).collect();
        if let Some(w) = &item.within_days {
            cadence.push(format!("{}日内", w.value));
        }
        let display = item.display.as_ref().map(|d| d.value.describe_zh()).unwrap_or_else(|| "—".into());
        let channels: Vec<&str> = item.channels.iter().map(|c| channel_zh(c.value)).collect();
        let filed = if item.filed_with_township.value { "是" } else { "否" };
        let source = crate::catalogue::Provenance {
            layer: item.defined_by.clone(),
            basis: item.basis.clone(),
            local_default: false,
            parameter: None,
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            item.id,
            match item.force {
                crate::model::Force::Adopted => format!("{}（区县采纳）", item.name.value),
                _ => item.name.value.clone(),
            },
            item.kind.value.name_zh(),
            scope.join("、"),
            cadence.join("，"),
            display,
            channels.join("、"),
            filed,
            cite(&source, &cat.documents)
        ));
    }
    out.push_str(&format!("\n共 {} 项有约束力的公开事项。\n", cat.items.len()));
    if !cat.advisory.is_empty() {
        out.push_str(
            "\n## 建议公开事项（依据对本单位没有约束力，只列出、不评判；区县可采纳）\n\n| id | 事项 | 类别 | 范围 | 频次 | 依据 |\n|---|---|---|---|---|---|\n",
        );
        for item in &cat.advisory {
            let scope: Vec<&str> = item.scope.iter().map(|s| s.value.name_zh()).collect();
            let cadence: Vec<&str> = item.cadence.value.iter().map(|c| c.name_zh()).collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                item.id,
                item.name.value,
                item.kind.value.name_zh(),
                scope.join("、"),
                cadence.join("，"),
                crate::diff::basis_texts(&item.basis, &cat.documents).join("；")
            ));
        }
    }
    out.push_str("\n## 参数\n\n| id | 名称 | 取值 | 依据 |\n|---|---|---|---|\n");
    for p in &cat.parameters {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            p.id,
            p.name,
            crate::names::value_zh(&p.value.to_text()),
            cite(&p.source, &cat.documents)
        ));
    }
    out
}

fn date_cell(r: &crate::schedule::DateResult) -> String {
    match (&r.date, &r.error) {
        (Some(d), _) => {
            let mut s = d.to_string();
            if r.extended {
                s.push('*');
            }
            if r.estimated {
                s.push_str("（估）");
            }
            s
        }
        (None, Some(e)) if e.code == "CALENDAR_HORIZON" => "—（超出节假日数据）".into(),
        (None, Some(e)) => format!("—（{}）", e.message_zh),
        (None, None) => "—".into(),
    }
}

/// A schedule as a Markdown table, one obligation a row. `*` marks a date moved past rest days.
///
/// ```
/// use cunwu_core::{RuleSet, UnitKind};
/// use cunwu_core::schedule::{ScheduleOptions, Scheduler};
/// let rules = RuleSet::bundled().unwrap();
/// let s = Scheduler::new(&rules).schedule(UnitKind::Village, 2026, None, &ScheduleOptions::default()).unwrap();
/// assert!(cunwu_core::render::schedule_table(&s).contains("| 2026-04-15 | 村各项收入和支出 | 2026-03 |"));
/// ```
pub fn schedule_table(s: &crate::schedule::Schedule) -> String {
    let mut out = format!("# {}年公开日程（{}）\n\n", s.year, s.unit_kind.name_zh());
    if let Some(d) = &s.district {
        out.push_str(&format!("区县：{}（{}）\n\n", d.name, d.id));
    }
    out.push_str("| 公开截止 | 事项 | 覆盖期 | 最早撤下 | 备案截止 | 审查截止 |\n|---|---|---|---|---|---|\n");
    for o in &s.obligations {
        let removal = match &o.display {
            Some(d) => match (d.earliest_removal, d.period) {
                (Some(r), _) => r.to_string(),
                (None, crate::model::DisplayPeriod::Standing) => "长期公示".into(),
                (None, _) => "—".into(),
            },
            None => "—".into(),
        };
        let filing = o.filing.as_ref().map(date_cell).unwrap_or_else(|| "不备案".into());
        let review = o.review.as_ref().map(date_cell).unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            date_cell(&o.due),
            o.name,
            o.covers.label,
            removal,
            filing,
            review
        ));
    }
    out.push_str(&format!(
        "\n共 {} 项义务。* 表示因休息日顺延；（估）表示超出官方放假安排按周末估算。节假日数据版本：{}\n",
        s.obligations.len(),
        s.calendar_version
    ));
    out
}

/// Escape text for an iCalendar property value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1).
fn ics_fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// A schedule as an iCalendar file: one all-day event per due date and per filing deadline, so
/// staff can subscribe in any calendar application. Output is deterministic (DTSTAMP is the
/// first day of the schedule's year; the core never reads the clock).
///
/// ```
/// use cunwu_core::{RuleSet, UnitKind};
/// use cunwu_core::schedule::{ScheduleOptions, Scheduler};
/// let rules = RuleSet::bundled().unwrap();
/// let s = Scheduler::new(&rules).schedule(UnitKind::Community, 2026, None, &ScheduleOptions::default()).unwrap();
/// let ics = cunwu_core::render::schedule_ics(&rules, &s, "示例社区");
/// assert!(ics.contains("依据：《"));
/// assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
/// ```
pub fn schedule_ics(rules: &crate::RuleSet, s: &crate::schedule::Schedule, unit_name: &str) -> String {
    let mut out = String::new();
    let mut line = |l: String| ics_fold(&l, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//cunwu//村(居)务公开日程//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    // The calendar is shared: a unit name typed with a number in it is masked, its whitespace
    // first written as single spaces (a name is one line; a blank line inside hides nothing).
    let unit_name = crate::privacy::mask(&unit_name.split_whitespace().collect::<Vec<_>>().join(" "));
    line(format!("X-WR-CALNAME:{}", ics_text(&format!("{unit_name} {}年村(居)务公开日程", s.year))));
    let stamp = format!("{}0101T000000Z", s.year);
    for o in &s.obligations {
        let mut events = vec![("due", "公开", &o.due)];
        if let Some(f) = &o.filing {
            events.push(("filing", "报乡镇备案", f));
        }
        for (kind, what, result) in events {
            let Some(date) = result.date else { continue };
            let next = date.succ_opt().unwrap_or(date);
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}-{}-{}-{}@cunwu", o.item, o.covers.label, kind, s.unit_kind.name_zh()));
            line(format!("DTSTAMP:{stamp}"));
            line(format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
            line(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
            line(format!("SUMMARY:{}", ics_text(&format!("【{what}截止】{}（{}）", o.name, o.covers.label))));
            let mut description = result.explanation.as_ref().map(|e| e.to_text_zh()).unwrap_or_default();
            let basis = crate::diff::basis_texts(&o.basis, &rules.documents);
            description.push_str(&format!("\n依据：{}", basis.join("；")));
            line(format!("DESCRIPTION:{}", ics_text(&description)));
            line("END:VEVENT".into());
        }
    }
    line("END:VCALENDAR".into());
    out
}

/// A deadline's day, saying the day itself still counts: `2026-04-15（含当日）`.
fn through(date: chrono::NaiveDate) -> String {
    format!("{date}（含当日）")
}

/// A replayed case as text: the stage, each event, what is overdue and what may happen next,
/// all in Chinese (names from [`crate::names`]).
///
/// ```
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let log = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/procedure/village-2026-q1.jsonl")).unwrap();
/// let request = cunwu_core::api::ReplayRequest { jsonl: log, today: Some("2026-06-30".into()), ..Default::default() };
/// let case = cunwu_core::api::case_replay_request(&rules, &request).value.unwrap();
/// let text = cunwu_core::render::case_text(&case);
/// assert!(text.contains("阶段：审查通过"));
/// assert!(!text.contains("closed") && !text.contains("Closed"));
/// ```
pub fn case_text(case: &crate::api::CaseView) -> String {
    let st = &case.state;
    let mut out = format!(
        "公开案件：{}（{}） {} — 阶段：{}\n",
        st.unit.name.as_deref().unwrap_or(&st.unit.id),
        st.unit.kind.name_zh(),
        st.period,
        st.stage.name_zh(),
    );
    out.push_str(&format!(
        "日志：{} 条，哈希链完整（最后一条 {}）\n",
        case.log.len(),
        case.log.last().map(|e| &e.hash[..12.min(e.hash.len())]).unwrap_or("")
    ));
    for e in &case.log {
        let kind = e.event.kind();
        let event = crate::names::case_event_zh(kind).unwrap_or(kind);
        out.push_str(&format!("  #{} {} {} {}\n", e.index, e.date, e.actor.role.name_zh(), event));
    }
    if let Some(status) = &case.status {
        out.push_str(&format!("截至 {}：\n", status.today));
        for o in &status.overdue {
            let very = if o.very_overdue { "（严重逾期）" } else { "" };
            let date = o.date.map(through).unwrap_or_else(|| "（未定）".into());
            out.push_str(&format!(
                "  逾期：{} {date}，已逾期 {} 日{very}\n",
                o.rule.name_zh(),
                o.overdue_days.unwrap_or(0),
            ));
        }
        if let Some(r) = &status.republication_required {
            out.push_str(&format!("  须重新公开：{r}\n"));
        }
        for a in &status.next_actions {
            let roles: Vec<&str> = a.roles.iter().map(|r| r.name_zh()).collect();
            let by =
                a.deadline.as_ref().and_then(|d| d.date).map(|d| format!("，期限 {}", through(d))).unwrap_or_default();
            out.push_str(&format!("  下一步：{}，由{}{}\n", a.label_zh, roles.join("/"), by));
        }
        if let Some(w) = status.next_wake_up {
            out.push_str(&format!("  下一个状态变化日：{w}\n"));
        }
    }
    out
}

/// A replayed objection as text: where it stands, each level, deadlines and reprisals, all in
/// Chinese.
pub fn objection_text(view: &crate::api::ObjectionView) -> String {
    let Some(st) = &view.state else {
        // The public view: only the public record.
        return view.public_record.as_ref().map(crate::objection::PublicRecord::to_text).unwrap_or_default();
    };
    let mut out = format!(
        "异议 {}：{} — 当前：{}，{}\n",
        st.id.get(..12).unwrap_or(&st.id),
        st.unit.name.as_deref().unwrap_or(&st.unit.id),
        st.level.name_zh(),
        st.stage.name_zh()
    );
    for l in &st.levels {
        let replied = match (l.replied_on, l.outcome) {
            (Some(d), Some(o)) => format!("{d} 答复：{}", o.name_zh()),
            (Some(d), None) => format!("{d} 答复"),
            (None, _) => "尚未答复".into(),
        };
        out.push_str(&format!("  {}：{} 收到，{replied}\n", l.level.name_zh(), l.filed_on));
    }
    if let Some(s) = &view.status {
        for d in [&s.reply, &s.appeal, &s.republication].into_iter().flatten() {
            let overdue = d.overdue_days.map(|n| format!("，已逾期 {n} 日")).unwrap_or_default();
            let date = d.date.map(through).unwrap_or_else(|| "（无规定）".into());
            let what = crate::names::objection_deadline_zh(&d.what).unwrap_or(&d.what);
            out.push_str(&format!("  {what}：{date}{overdue}\n"));
        }
        if s.may_escalate_for_lateness {
            out.push_str("  答复已逾期：异议人可向上一级反映\n");
        }
        for r in &s.reprisals {
            out.push_str(&format!("  打击报复（第四十条第（四）项）：{} {}\n", r.date, r.action));
        }
    }
    out
}

/// One obligation as text (`cunwu event`, `cunwu posted`): the item, the period, each deadline
/// with whether its day counts, and the legal basis by document title.
///
/// ```
/// use cunwu_core::api::{after_posting, PostingRequest};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let request = PostingRequest { item: "finance.income-expenditure".into(), unit_kind: cunwu_core::UnitKind::Village, posted: "2026-04-10".into(), district: None, estimate: false };
/// let o = after_posting(&rules, &request).value.unwrap();
/// let text = cunwu_core::render::obligation_text(&rules, &o);
/// assert!(text.contains("备案期限：2026-04-15（含当日）"));
/// assert!(text.contains("依据：《村民委员会组织法》第三十条第二款"));
/// ```
pub fn obligation_text(rules: &crate::RuleSet, o: &crate::schedule::Obligation) -> String {
    let mut out = format!("{}（{}） 覆盖期 {}\n", o.name, o.item, o.covers.label_zh());
    let cell = |r: &crate::schedule::DateResult| match (r.date, &r.error) {
        (Some(d), _) => {
            let mut s = through(d);
            if r.extended {
                s.push_str("，因休息日顺延");
            }
            if r.estimated {
                s.push_str("，按估算日历");
            }
            s
        }
        (None, Some(e)) => format!("未定（{}）", e.message_zh),
        (None, None) => "无规定".into(),
    };
    // After a posting, the first date is the posting day itself, not a deadline.
    let posted = o.covers.label.starts_with("posted ");
    let due_label = if posted { "张贴日期" } else { "公开期限" };
    match (posted, o.due.date) {
        (true, Some(d)) => out.push_str(&format!("  {due_label}：{d}\n")),
        _ => out.push_str(&format!("  {due_label}：{}\n", cell(&o.due))),
    }
    if let Some(d) = &o.display {
        match (d.earliest_removal, d.period) {
            (Some(r), _) => out.push_str(&format!("  最早撤下：{r}（公示{}）\n", d.period.describe_zh())),
            (None, crate::model::DisplayPeriod::Standing) => out.push_str("  公示：长期公示\n"),
            (None, _) => {}
        }
    }
    match &o.filing {
        Some(f) => out.push_str(&format!("  备案期限：{}\n", cell(f))),
        None => out.push_str("  备案：不报乡镇(街道)备案\n"),
    }
    if let Some(r) = &o.review {
        out.push_str(&format!("  审查期限：{}\n", cell(r)));
    }
    out.push_str(&format!("  依据：{}\n", crate::diff::basis_texts(&o.basis, &rules.documents).join("；")));
    out
}

/// What a plan must include (`cunwu procedure requirements`), as text: one line per item and
/// period, with its due day and basis by document title.
pub fn requirements_text(rules: &crate::RuleSet, items: &[crate::procedure::PlanRequirement]) -> String {
    let mut out = format!("本期公开方案应包括 {} 项：\n", items.len());
    for i in items {
        let due = match (i.due, &i.due_error) {
            (Some(d), _) => format!("，应于 {}前公开", through(d)),
            (None, Some(e)) => format!("，公开期限未定（{}）", e.message_zh),
            (None, None) => String::new(),
        };
        out.push_str(&format!(
            "  {}（{}） {} {}{due}；依据：{}\n",
            i.name,
            i.id,
            i.period,
            i.cadence.name_zh(),
            crate::diff::basis_texts(&i.basis, &rules.documents).join("；")
        ));
    }
    out
}

/// What is due or overdue, as text: one line per entry (date, state, unit, period, what), then
/// the problems, each with its severity.
///
/// ```
/// use cunwu_core::{RuleSet, due::{due_between, DueInput, DueOptions}, procedure::UnitRef, UnitKind};
/// let rules = RuleSet::bundled().unwrap();
/// let units = [UnitRef { id: "v1".into(), kind: UnitKind::Village, district: None, name: Some("示例村".into()) }];
/// let from = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// let until = chrono::NaiveDate::from_ymd_opt(2026, 4, 30).unwrap();
/// let list = due_between(&rules, DueInput { units: &units, ..Default::default() }, from, until, DueOptions::default())
///     .unwrap();
/// let text = cunwu_core::render::due_text(&list);
/// assert!(text.starts_with("2026-04-01 至 2026-04-30"));
/// assert!(text.contains("应公开"));
/// ```
pub fn due_text(list: &crate::due::DueList) -> String {
    use crate::due::DueState;
    let overdue = list.entries.iter().filter(|e| e.state != DueState::Due).count();
    let mut out =
        format!("{} 至 {}：{} 项到期或逾期（其中逾期 {} 项）\n", list.from, list.until, list.entries.len(), overdue);
    for e in &list.entries {
        let state = match (e.state, e.overdue_days) {
            (DueState::Due, _) => "到期".to_string(),
            (DueState::Overdue, n) => format!("已逾期 {} 日", n.unwrap_or(0)),
            (DueState::VeryOverdue, n) => format!("严重逾期 {} 日", n.unwrap_or(0)),
        };
        let what = match (&e.item, &e.case) {
            (Some(item), _) => format!("应公开 {item}"),
            (None, Some(case)) => {
                let rule =
                    crate::procedure::DeadlineRule::from_name(&e.deadline).map_or(e.deadline.as_str(), |r| r.name_zh());
                let stage = e.stage.map(|s| format!("（当前：{}）", s.name_zh())).unwrap_or_default();
                format!("案件 {} {rule}{stage}", case.get(..12).unwrap_or(case))
            }
            (None, None) => match &e.objection {
                Some(id) => {
                    let what = if e.deadline == "reply" { "答复期限" } else { "重新公布期限" };
                    format!("异议 {} {what}", id.get(..12).unwrap_or(id))
                }
                None => e.deadline.clone(),
            },
        };
        let estimated = if e.estimated { "（按估算日历）" } else { "" };
        let period = e.period.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
        out.push_str(&format!("  期限 {}（含当日） {} {}{} {}{}\n", e.date, state, e.unit, period, what, estimated));
    }
    for p in &list.problems {
        out.push_str(&format!("{}\n", p.one_line()));
    }
    out
}
