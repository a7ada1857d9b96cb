//! The compliance report as text: a terminal table, CSV (one row per unit, or per finding), and
//! a self-contained HTML page (no external assets; charts drawn as inline SVG) with a page per
//! unit (`#u-<id>`, shown by the CSS `:target` rule) holding its findings and their explanations.

use std::fmt::Write as _;

use super::FindingKind;
use super::evaluate::{Finding, UnitAssessment};
use super::report::{ComplianceReport, RollUp};

/// Display width in a terminal: CJK and full-width characters count two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w { s.to_string() } else { format!("{s}{}", " ".repeat(w - n)) }
}

fn lpad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w { s.to_string() } else { format!("{}{s}", " ".repeat(w - n)) }
}

fn grades_line(r: &RollUp) -> String {
    r.grades.iter().map(|g| format!("{} {}", g.name, g.count)).collect::<Vec<_>>().join(" / ")
}

fn findings_total(r: &RollUp) -> u32 {
    r.findings.iter().map(|k| k.count).sum()
}

/// The units by kind, every kind that has any: `村 12，社区 6，村民小组 3`.
fn unit_kinds(c: &super::report::RollUp) -> String {
    let kinds = [("村", c.villages), ("社区", c.communities), ("村民小组", c.groups)];
    let shown: Vec<String> = kinds.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{k} {n}")).collect();
    if shown.is_empty() { "无".into() } else { shown.join("，") }
}

/// The report as a terminal table: the city (every unit kind counted), findings by type,
/// districts ranked, the worst units, the record problems, and apart from them the notes on what
/// the assessment covers.
///
/// ```
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{assess, synth, render};
/// let rules = RuleSet::bundled().unwrap();
/// let city = synth::generate(&rules, &synth::SynthConfig::small(3)).unwrap();
/// let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
/// let text = render::table(&report, 5);
/// assert!(text.contains("全市"));
/// assert!(text.contains("最差的5个单位"));
/// ```
pub fn table(report: &ComplianceReport, worst: usize) -> String {
    let mut out = String::new();
    let c = &report.city;
    let local = if report.scheme.local_default { "（分值为本地默认值）" } else { "" };
    let _ = writeln!(
        out,
        "村(居)务公开考评 {}年 · 评估日 {} · 考评方案 {}{local}",
        report.year, report.as_of, report.scheme.name
    );
    let _ = writeln!(
        out,
        "全市：{} 个单位（{}），检查义务 {} 项，记录 {} 条，平均分 {}（最低 {:.1}，最高 {:.1}）",
        c.units,
        unit_kinds(c),
        c.obligations,
        report.records,
        c.mean_score,
        c.min_score,
        c.max_score
    );
    let _ = writeln!(out, "等次：{}", grades_line(c));
    out.push('\n');
    let _ = writeln!(out, "{}{}{}", pad("问题类型", 30), lpad("问题数", 10), lpad("涉及单位", 10));
    for k in &c.findings {
        let _ = writeln!(
            out,
            "{}{}{}",
            pad(k.kind.name_zh(), 30),
            lpad(&k.count.to_string(), 10),
            lpad(&k.units.to_string(), 10)
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}{}{}{}{}  等次",
        pad("排名", 6),
        pad("区县", 26),
        lpad("单位", 7),
        lpad("平均分", 9),
        lpad("问题数", 9)
    );
    for d in &report.districts {
        let _ = writeln!(
            out,
            "{}{}{}{}{}  {}",
            pad(&d.rank.unwrap_or(0).to_string(), 6),
            pad(&d.name, 26),
            lpad(&d.units.to_string(), 7),
            lpad(&format!("{:.2}", d.mean_score), 9),
            lpad(&findings_total(d).to_string(), 9),
            grades_line(d)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "最差的{worst}个单位");
    let _ = writeln!(
        out,
        "{}{}{}{}{}  主要问题",
        pad("排名", 8),
        pad("单位", 24),
        pad("乡镇(街道)", 22),
        lpad("得分", 8),
        lpad("问题", 6)
    );
    for u in report.worst(worst) {
        let _ = writeln!(
            out,
            "{}{}{}{}{}  {}",
            pad(&u.rank.unwrap_or(0).to_string(), 8),
            pad(&format!("{} {}", u.unit.id, u.unit.name), 24),
            pad(&u.unit.township, 22),
            lpad(&format!("{:.1}", u.score.points), 8),
            lpad(&u.findings.len().to_string(), 6),
            top_kinds(u)
        );
    }
    let (coverage, problems): (Vec<&crate::Diagnostic>, Vec<&crate::Diagnostic>) =
        report.problems.iter().partition(|p| super::is_coverage_note(p));
    if !problems.is_empty() {
        out.push('\n');
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let _ = writeln!(out, "记录问题 {} 条（其中 {errors} 条记录未计入评估）：", problems.len());
        for p in problems.iter().take(20) {
            let _ = writeln!(out, "  {} {}[{}] {}", p.location, p.severity.name(), p.code, p.message_zh);
        }
        if problems.len() > 20 {
            let _ = writeln!(out, "  ……其余 {} 条见 JSON 输出", problems.len() - 20);
        }
    }
    if !coverage.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "评估范围说明（不是记录的问题）：");
        for p in coverage.iter().take(20) {
            let _ = writeln!(out, "  {}", p.message_zh);
        }
        if coverage.len() > 20 {
            let _ = writeln!(out, "  ……其余 {} 条见 JSON 输出", coverage.len() - 20);
        }
    }
    if !report.districts_without_catalogue.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "以下区县在规则中没有区县目录，按全市目录评估：{}",
            report.districts_without_catalogue.join("、")
        );
    }
    out
}

fn top_kinds(u: &UnitAssessment) -> String {
    let mut counts: Vec<(FindingKind, usize)> = FindingKind::ALL
        .iter()
        .map(|k| (*k, u.findings.iter().filter(|f| f.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    crate::sort::sort_by(&mut counts, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.iter().take(3).map(|(k, n)| format!("{}×{n}", k.name_zh())).collect::<Vec<_>>().join("，")
}

fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}

/// One CSV row per unit, in rank order: rank, unit, name, kind, township, district, score,
/// grade, charged findings, all findings, then a count column per finding type.
///
/// ```
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{assess, synth, render};
/// let rules = RuleSet::bundled().unwrap();
/// let city = synth::generate(&rules, &synth::SynthConfig::small(3)).unwrap();
/// let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
/// let csv = render::units_csv(&report);
/// assert_eq!(csv.lines().count(), 1 + report.units.len());
/// assert!(csv.starts_with("rank,unit,name,kind,township,district,score,grade"));
/// ```
pub fn units_csv(report: &ComplianceReport) -> String {
    let mut header = vec![
        "rank", "unit", "name", "kind", "township", "district", "score", "grade", "grade_zh", "charged", "findings",
    ];
    header.extend(FindingKind::ALL.iter().map(|k| k.id()));
    csv_text(
        &header,
        report.units.iter().map(|u| {
            let mut row = vec![
                u.rank.unwrap_or(0).to_string(),
                u.unit.id.clone(),
                u.unit.name.clone(),
                format!("{:?}", u.unit.kind).to_lowercase(),
                u.unit.township.clone(),
                u.unit.district.clone(),
                u.score.points.to_string(),
                u.score.grade.clone(),
                u.score.grade_zh.clone(),
                u.score.charged.to_string(),
                u.findings.len().to_string(),
            ];
            row.extend(FindingKind::ALL.iter().map(|k| u.findings.iter().filter(|f| f.kind == *k).count().to_string()));
            row
        }),
    )
}

/// One CSV row per finding: unit, type, who it is charged to, item, period, objection, level,
/// days, the record it rests on, and the explanation in Chinese.
pub fn findings_csv(report: &ComplianceReport) -> String {
    let header =
        ["unit", "kind", "responsible", "item", "period", "objection", "level", "days", "record", "explanation_zh"];
    csv_text(
        &header,
        report.units.iter().flat_map(|u| {
            u.findings.iter().map(move |f| {
                vec![
                    u.unit.id.clone(),
                    f.kind.id().to_string(),
                    format!("{:?}", f.responsible).to_lowercase(),
                    f.item.as_deref().unwrap_or_default().to_string(),
                    f.period.clone().unwrap_or_default(),
                    f.objection.clone().unwrap_or_default(),
                    f.level.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default(),
                    f.days.map(|d| d.to_string()).unwrap_or_default(),
                    f.record.as_ref().map(|r| r.to_string()).unwrap_or_default(),
                    format!("{}：{}", f.explanation.obligation_zh, f.explanation.text_zh),
                ]
            })
        }),
    )
}

/// Text for the page, escaped, with every run of whitespace (line breaks included) written as one
/// space — what a browser shows anyway — so the page's masking reads numbers as a reader sees them.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_gap = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_gap {
                out.push(' ');
            }
            in_gap = true;
            continue;
        }
        in_gap = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every unit's anchor: its place among the report's units sorted by id (`u-1`, `u-2`…), unique
/// and stable for the same registry, and showing nothing of the id (an id may be a personal
/// number; a hash of one is not enough: a masked number beside it leaves few to try).
fn anchors(report: &ComplianceReport) -> std::collections::BTreeMap<&str, usize> {
    let mut ids: Vec<&str> = report.units.iter().map(|u| u.unit.id.as_str()).collect();
    crate::sort::sort(&mut ids);
    ids.dedup();
    ids.into_iter().enumerate().map(|(i, id)| (id, i + 1)).collect()
}

/// A record's place for a page others read: the file's name without its folders (a folder may
/// be named after a person), with line and column.
fn public_location(location: &crate::diagnostic::Location) -> String {
    let mut l = location.clone();
    if let Some(f) = &l.file {
        l.file = Some(super::records::file_name(f).to_string());
    }
    l.to_string()
}

const GRADE_COLOURS: [&str; 6] = ["#2e7d32", "#9ccc65", "#fbc02d", "#c62828", "#6a1b9a", "#455a64"];

/// Stacked bars: for each district, the share of its units in each grade.
fn grade_chart(report: &ComplianceReport) -> String {
    let rows = &report.districts;
    let (label_w, bar_w, row_h) = (170.0, 520.0, 20.0);
    let height = 40.0 + row_h * rows.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"各区县等次分布\" viewBox=\"0 0 {} {height}\" width=\"100%\">",
        label_w + bar_w + 60.0
    );
    // Legend.
    for (i, g) in report.city.grades.iter().enumerate() {
        let x = label_w + i as f64 * 110.0;
        let colour = GRADE_COLOURS.get(i).copied().unwrap_or("#999");
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"15\" font-size=\"12\">{}</text>",
            x + 16.0,
            esc(&g.name)
        );
    }
    for (r, d) in rows.iter().enumerate() {
        let y = 28.0 + r as f64 * row_h;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(&d.name)
        );
        let mut x = label_w;
        for (i, g) in d.grades.iter().enumerate() {
            if d.units == 0 || g.count == 0 {
                continue;
            }
            let w = bar_w * f64::from(g.count) / f64::from(d.units);
            let colour = GRADE_COLOURS.get(i).copied().unwrap_or("#999");
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"><title>{} {}：{} 个单位</title></rect>",
                row_h - 4.0,
                esc(&d.name),
                esc(&g.name),
                g.count
            );
            x += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            label_w + bar_w + 6.0,
            y + 13.0,
            d.mean_score
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars: findings per type, most frequent first.
fn findings_chart(report: &ComplianceReport) -> String {
    let mut kinds = report.city.findings.clone();
    crate::sort::sort_by(&mut kinds, |a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    let max = kinds.iter().map(|k| k.count).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (190.0, 440.0, 24.0);
    let height = 10.0 + row_h * kinds.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"最常见的问题\" viewBox=\"0 0 {} {height}\" width=\"100%\">",
        label_w + bar_w + 80.0
    );
    for (r, k) in kinds.iter().enumerate() {
        let y = 5.0 + r as f64 * row_h;
        let w = bar_w * f64::from(k.count) / f64::from(max);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#1565c0\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            label_w - 6.0,
            y + 15.0,
            esc(k.kind.name_zh()),
            row_h - 6.0,
            label_w + w + 6.0,
            y + 15.0,
            k.count
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Columns: units per tenth of full marks.
fn histogram_chart(r: &RollUp) -> String {
    let max = r.histogram.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, top) = (60.0, 120.0, 20.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"得分分布\" viewBox=\"0 0 {} {}\" width=\"100%\" style=\"max-width:640px\">",
        w * 10.0 + 20.0,
        top + h + 30.0
    );
    for (i, n) in r.histogram.iter().enumerate() {
        let bh = h * f64::from(*n) / f64::from(max);
        let x = 10.0 + i as f64 * w;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{:.1}\" width=\"{}\" height=\"{bh:.1}\" fill=\"#00897b\"><title>{n}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}–{}%</text><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{n}</text>",
            x + 4.0,
            top + h - bh,
            w - 8.0,
            x + w / 2.0,
            top + h + 16.0,
            i * 10,
            i * 10 + 10,
            x + w / 2.0,
            top + h - bh - 4.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn finding_html(f: &Finding, documents: &std::collections::BTreeMap<String, String>) -> String {
    let e = &f.explanation;
    let basis = e
        .basis
        .iter()
        .chain(e.parameter_basis.iter())
        .map(|b| {
            let title = documents
                .get(&b.doc)
                .map_or_else(|| b.doc.clone(), |t| format!("《{}》", t.trim_matches(['《', '》'])));
            format!("<span title=\"{}\">{}</span>{}", esc(&b.doc), esc(&title), esc(&b.article))
        })
        .collect::<Vec<_>>()
        .join("；");
    let dates = e
        .compared
        .iter()
        .map(|c| format!("{}：{}", esc(&c.label_zh), c.date.map_or_else(|| "无".to_string(), |d| d.to_string())))
        .collect::<Vec<_>>()
        .join("，");
    let local = if e.local_default { "（期限为本地默认值）" } else { "" };
    let record =
        f.record.as_ref().map(|r| format!("<br><small>记录：{}</small>", esc(&public_location(r)))).unwrap_or_default();
    format!(
        "<tr><td>{}</td><td>{}</td><td>{}<br><small>{}</small></td><td>{}{local}<br><small>{dates}</small><br><small>依据：{basis}</small>{record}</td></tr>",
        esc(f.kind.name_zh()),
        esc(f.responsible.name_zh()),
        esc(&e.obligation_zh),
        esc(f.objection.as_deref().unwrap_or("")),
        esc(&e.text_zh),
    )
}

/// A self-contained HTML report: summary, grade distribution per district, the most frequent
/// findings, the score distribution, districts and townships ranked, the worst units, and a
/// page per unit with its findings and their explanations.
///
/// ```
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{assess, synth, render};
/// let rules = RuleSet::bundled().unwrap();
/// let city = synth::generate(&rules, &synth::SynthConfig::small(3)).unwrap();
/// let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
/// let html = render::html(&report, 10);
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("<svg") && !html.contains("http://cdn") && !html.contains("<script src"));
/// ```
/// Personal numbers anywhere in the page are masked (`privacy::mask`), file names carry no
/// folders, and every unit has an anchor from its place among the units sorted by id.
pub fn html(report: &ComplianceReport, worst: usize) -> String {
    let order = anchors(report);
    let anchor = |id: &str| order.get(id).copied().unwrap_or(0);
    let mut out = String::with_capacity(64 * 1024 + report.units.len() * 600);
    let c = &report.city;
    let title = format!("村(居)务公开考评报告 {}年", report.year);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body>",
        esc(&title),
        STYLE
    );
    let local = if report.scheme.local_default {
        "（本地默认方案，分值须按区县考评办法核定）"
    } else {
        ""
    };
    let _ = write!(
        out,
        "<main id=\"top\"><h1>{}</h1><p>评估日 {} · 考评方案：{}{local} · 规则版本 <code>{}</code></p>",
        esc(&title),
        report.as_of,
        esc(&report.scheme.name),
        esc(&report.rules_version)
    );
    let _ = write!(
        out,
        "<p class=\"summary\">全市 <b>{}</b> 个单位（{}），检查义务 {} 项，记录 {} 条；平均分 <b>{}</b>（最低 {}，最高 {}）；{}</p>",
        c.units,
        unit_kinds(c),
        c.obligations,
        report.records,
        c.mean_score,
        c.min_score,
        c.max_score,
        esc(&grades_line(c))
    );
    let _ = write!(out, "<h2>各区县等次分布</h2>{}", grade_chart(report));
    let _ = write!(out, "<h2>最常见的问题</h2>{}", findings_chart(report));
    let _ = write!(out, "<h2>得分分布</h2>{}", histogram_chart(c));
    out.push_str("<h2>区县排名</h2><table><thead><tr><th>排名</th><th>区县</th><th>单位</th><th>平均分</th><th>最低分</th><th>问题数</th><th>等次</th></tr></thead><tbody>");
    for d in &report.districts {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            d.rank.unwrap_or(0),
            esc(&d.name),
            d.units,
            d.mean_score,
            d.min_score,
            findings_total(d),
            esc(&grades_line(d))
        );
    }
    out.push_str("</tbody></table>");
    out.push_str("<details><summary>乡镇(街道)排名</summary><table><thead><tr><th>排名</th><th>区县</th><th>乡镇(街道)</th><th>单位</th><th>平均分</th><th>问题数</th><th>乡镇审查超期</th></tr></thead><tbody>");
    for t in &report.townships {
        let district = t.id.split_once('/').map_or("", |(d, _)| d);
        let review = t.findings.iter().find(|k| k.kind == FindingKind::ReviewOverdue).map_or(0, |k| k.count);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{review}</td></tr>",
            t.rank.unwrap_or(0),
            esc(district),
            esc(&t.name),
            t.units,
            t.mean_score,
            findings_total(t)
        );
    }
    out.push_str("</tbody></table></details>");
    let _ = write!(
        out,
        "<h2>最差的{worst}个单位</h2><table><thead><tr><th>排名</th><th>单位</th><th>乡镇(街道)</th><th>区县</th><th>得分</th><th>等次</th><th>主要问题</th></tr></thead><tbody>"
    );
    for u in report.worst(worst) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><a href=\"#u-{}\">{} {}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            u.rank.unwrap_or(0),
            anchor(&u.unit.id),
            esc(&u.unit.id),
            esc(&u.unit.name),
            esc(&u.unit.township),
            esc(&u.unit.district),
            u.score.points,
            esc(&u.score.grade_zh),
            esc(&top_kinds(u))
        );
    }
    out.push_str("</tbody></table>");
    let (coverage, problems): (Vec<&crate::Diagnostic>, Vec<&crate::Diagnostic>) =
        report.problems.iter().partition(|p| super::is_coverage_note(p));
    if !problems.is_empty() {
        let _ = write!(
            out,
            "<h2>记录问题（{} 条）</h2><table><thead><tr><th>位置</th><th>代码</th><th>说明</th></tr></thead><tbody>",
            problems.len()
        );
        for p in problems.iter().take(500) {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}[{}]</code></td><td>{}</td></tr>",
                esc(&public_location(&p.location)),
                p.severity.name(),
                esc(&p.code),
                esc(&p.message_zh)
            );
        }
        out.push_str("</tbody></table>");
    }
    if !coverage.is_empty() {
        out.push_str("<h2>评估范围说明</h2><p>以下说明评估覆盖了什么、没有覆盖什么，不是记录的问题。</p><ul>");
        for p in coverage.iter().take(500) {
            let _ = write!(out, "<li>{}</li>", esc(&p.message_zh));
        }
        out.push_str("</ul>");
    }
    out.push_str("<details><summary>全部单位（按排名）</summary><p class=\"index\">");
    for u in &report.units {
        let _ = write!(out, "<a href=\"#u-{}\">{} {}</a> ", anchor(&u.unit.id), esc(&u.unit.name), u.score.points);
    }
    out.push_str("</p></details></main>");
    for u in &report.units {
        let _ = write!(
            out,
            "<section class=\"unit\" id=\"u-{}\"><p><a href=\"#top\">← 返回总览</a></p><h2>{} {}</h2><p>{} · {} · {} · 第 {} 名 · 得分 <b>{}</b>（{}）· 检查义务 {} 项</p>",
            anchor(&u.unit.id),
            esc(&u.unit.id),
            esc(&u.unit.name),
            esc(&u.unit.district),
            esc(&u.unit.township),
            esc(u.unit.kind.name_zh()),
            u.rank.unwrap_or(0),
            u.score.points,
            esc(&u.score.grade_zh),
            u.obligations
        );
        if !u.score.deductions.is_empty() {
            out.push_str("<p>扣分：");
            for d in &u.score.deductions {
                let capped = if d.capped { "（已达上限）" } else { "" };
                let _ = write!(out, "{} {} 项 −{}{capped}；", esc(d.finding.name_zh()), d.count, d.points);
            }
            out.push_str("</p>");
        }
        if u.findings.is_empty() {
            out.push_str("<p>未发现问题。</p>");
        } else {
            out.push_str(
                "<table><thead><tr><th>问题</th><th>责任主体</th><th>事项</th><th>说明</th></tr></thead><tbody>",
            );
            for f in &u.findings {
                out.push_str(&finding_html(f, &report.documents));
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</section>");
    }
    out.push_str("</body></html>\n");
    // The page is read by others: every personal number in it — in a unit's name or id, in a
    // record's value quoted by a problem — is masked, wherever it came from.
    crate::privacy::mask(&out)
}

const STYLE: &str = "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}\
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}\
th{background:#f3f3f3}small{color:#555}.summary{font-size:16px}.index a{display:inline-block;margin:2px 6px;font-size:13px}\
section.unit{display:none}section.unit:target{display:block}section.unit:target~main,main:has(~section.unit:target){display:none}";
