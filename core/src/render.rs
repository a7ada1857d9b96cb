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
            item.name.value,
            item.kind.value.name_zh(),
            scope.join("、"),
            cadence.join("，"),
            display,
            channels.join("、"),
            filed,
            cite(&source, &cat.documents)
        ));
    }
    out.push_str(&format!(
        "\n共 {} 项。\n\n## 参数\n\n| id | 名称 | 取值 | 依据 |\n|---|---|---|---|\n",
        cat.items.len()
    ));
    for p in &cat.parameters {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            p.id,
            p.name,
            p.value.to_text(),
            cite(&p.source, &cat.documents)
        ));
    }
    out
}
