//! One page per disclosure item for a reviewer (`cunwu rules explain ITEM`): the obligation, its
//! legal force, each value with the layer that set it, and the quoted text of every clause it
//! rests on, so that whether the clause says what the data claims can be checked by reading.
//!
//! [`legal_basis_markdown`] puts every item of the bundled rules on one page
//! (`docs/legal-basis.md`, checked for staleness by `cargo test`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Provenance, ResolvedCatalogue, ResolvedItem, ResolvedParameter};
use crate::error::{Error, InputError};
use crate::model::{Force, LegalBasis, UnitKind};
use crate::rules::{RuleSet, TextStatus};

/// A request to explain one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainRequest {
    /// The item id.
    pub item: String,
    /// The date (ISO) whose rules apply.
    pub as_of: String,
    /// The kind of unit (absent: every kind at once).
    #[serde(default)]
    pub unit_kind: Option<UnitKind>,
    /// District id or name.
    #[serde(default)]
    pub district: Option<String>,
}

/// One quoted clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Document id.
    pub doc: String,
    /// The document's title.
    pub title: String,
    /// How it is cited: its short title in 《》 (`《重庆市实施〈村民委员会组织法〉办法》`).
    pub cited_as: String,
    /// Its jurisdiction and region (`全国`, `重庆市`, `南岸区`, `无`).
    pub jurisdiction: String,
    /// Its kind, in Chinese (`法律、地方性法规`).
    pub kind_zh: String,
    /// Whether it binds the layer that cites it.
    pub binds: bool,
    /// The clause as cited (`第二十七条第（九）项`).
    pub article: String,
    /// The clause of the source text it names (`第二十七条`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The clause's text, where held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `verbatim` or `summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TextStatus>,
    /// The rule file's remark on how the clause supports the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One value of the item (or a parameter it depends on) with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedValue {
    /// What it is (`cadence`, `display`, `scope: community`, `parameter filing.deadline_days`).
    pub field: String,
    /// The value as text.
    pub value: String,
    /// The layer that set it.
    pub layer: String,
    /// A configurable local default (no text fixes it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_default: bool,
    /// The general parameter it comes from, if not the item itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The clauses it rests on.
    pub basis: Vec<Citation>,
}

/// The review page of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemExplanation {
    /// Item id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// The date whose rules apply.
    pub as_of: NaiveDate,
    /// The kind of unit, if one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_kind: Option<UnitKind>,
    /// Binding, adopted or advisory.
    pub force: Force,
    /// The district layer that adopted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_by: Option<String>,
    /// The layer that defines it.
    pub defined_by: String,
    /// The obligation's own basis.
    pub basis: Vec<Citation>,
    /// Every value, item fields first, then the parameters its dates depend on.
    pub values: Vec<ExplainedValue>,
    /// Remarks of the rule files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The same page as Markdown, in Chinese ([`ItemExplanation::to_markdown`]).
    pub markdown: String,
}

/// Explain `req.item` as in force on `req.as_of`.
///
/// ```
/// use cunwu_core::explain::{explain_item, ExplainRequest};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let req = ExplainRequest { item: "finance.income-expenditure".into(), as_of: "2026-01-01".into(),
///                            unit_kind: None, district: None };
/// let page = explain_item(&rules, &req).unwrap();
/// assert_eq!(page.force, cunwu_core::Force::Binding);
/// let cadence = page.values.iter().find(|v| v.field == "cadence").unwrap();
/// assert!(cadence.basis[0].text.as_deref().unwrap().contains("财务情况必须每月公开一次"));
/// ```
pub fn explain_item(rules: &RuleSet, req: &ExplainRequest) -> Result<ItemExplanation, Error> {
    let as_of = crate::api::parse_date(&req.as_of, "/as_of")?;
    let cat = rules.resolve_for(as_of, req.district.as_deref(), req.unit_kind)?;
    let item = cat.item(&req.item).or_else(|| cat.advisory_item(&req.item)).ok_or_else(|| {
        Error::Input(InputError::Unanswerable {
            pointer: "/item".into(),
            message_zh: format!("{as_of} 没有生效的事项 `{}`", req.item),
            message_en: format!("no item `{}` is in force on {as_of}", req.item),
        })
    })?;
    Ok(explain_resolved(rules, &cat, item))
}

fn explain_resolved(rules: &RuleSet, cat: &ResolvedCatalogue, item: &ResolvedItem) -> ItemExplanation {
    let layer_index = |layer: &str| rules.layers.iter().position(|l| l.def.id == layer);
    // Whether a cited text binds is a question of where the unit is (the catalogue's lowest
    // layer) and of its kind, not of the layer that wrote the value: the 2018 reply binds a
    // Chongqing community even where it is cited for an item the national layer defined.
    let leaf = cat.layers.last().and_then(|l| layer_index(&l.id));
    let unit = cat.unit_kind;
    let cite = |basis: &[LegalBasis], _layer: &str| citations(rules, basis, leaf, unit);
    let value = |field: String, value: String, src: &Provenance| ExplainedValue {
        field,
        value,
        layer: src.layer.clone(),
        local_default: src.local_default,
        parameter: src.parameter.clone(),
        basis: cite(&src.basis, &src.layer),
    };
    let mut values = vec![
        value("name".into(), item.name.value.clone(), &item.name.source),
        value("kind".into(), item.kind.value.name_zh().into(), &item.kind.source),
    ];
    // For one kind of unit, its own scope entry (what brought the item to it); every entry else.
    values.extend(
        item.scope
            .iter()
            .filter(|s| unit.is_none_or(|k| s.value == k))
            .map(|s| value(format!("scope: {:?}", s.value), s.value.name_zh().into(), &s.source)),
    );
    let cadence: Vec<&str> = item.cadence.value.iter().map(|c| c.name_zh()).collect();
    values.push(value("cadence".into(), cadence.join("、"), &item.cadence.source));
    if let Some(w) = &item.within_days {
        values.push(value("within_days".into(), format!("{}日内", w.value), &w.source));
    }
    if let Some(b) = &item.before_days {
        values.push(value("before_days".into(), format!("事前{}日", b.value), &b.source));
    }
    if let Some(d) = &item.display {
        values.push(value("display".into(), d.value.describe_zh(), &d.source));
    }
    values.extend(
        item.channels
            .iter()
            .map(|c| value(format!("channel: {:?}", c.value), crate::diff::channel_zh(c.value).into(), &c.source)),
    );
    let filed = if item.filed_with_township.value { "报乡镇(街道)备案" } else { "不备案" };
    values.push(value("filed_with_township".into(), filed.into(), &item.filed_with_township.source));
    for id in parameters_of(item) {
        if let Some(p) = cat.parameter(id) {
            values.push(parameter_value(rules, p, leaf, unit));
        }
    }
    let responsible = ExplainedValue {
        field: "responsible".into(),
        value: item.responsible.name_zh().into(),
        layer: item.defined_by.clone(),
        local_default: false,
        parameter: None,
        basis: cite(&item.basis, &item.defined_by),
    };
    values.push(responsible);
    let mut page = ItemExplanation {
        id: item.id.clone(),
        name: item.name.value.clone(),
        as_of: cat.as_of,
        unit_kind: cat.unit_kind,
        force: item.force,
        adopted_by: item.adopted_by.clone(),
        defined_by: item.defined_by.clone(),
        basis: cite(&item.basis, &item.defined_by),
        values,
        notes: item.notes.clone(),
        markdown: String::new(),
    };
    page.markdown = page.to_markdown();
    page
}

/// Citations as text, the clauses of one document together (`《…》一(二)三、一(二)五`).
fn merged(citations: &[Citation]) -> Vec<String> {
    crate::diff::merge_citations(citations.iter().map(|c| (c.cited_as.clone(), c.article.as_str())))
}

/// The Chinese name of a value's field (`scope: Village` → 适用范围) for the page people read; the
/// JSON keeps the field's own name.
fn field_zh(field: &str) -> &str {
    let head = field.split([':', ' ']).next().unwrap_or(field);
    match head {
        "name" => "名称",
        "kind" => "类别",
        "scope" => "适用范围",
        "cadence" => "频次",
        "within_days" => "事后公开时限",
        "before_days" => "事前公开时限",
        "display" => "公开时限",
        "channel" => "公开方式",
        "filed_with_township" => "备案",
        "responsible" => "责任主体",
        "parameter" => "参数",
        _ => field,
    }
}

/// The parameters an item's dates depend on.
fn parameters_of(item: &ResolvedItem) -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        item.cadence.value.iter().filter_map(|c| crate::schedule::due_day_parameter(*c)).collect();
    if item.filed_with_township.value {
        out.extend(["filing.deadline_days", "review.deadline_days"]);
    }
    out
}

fn parameter_value(
    rules: &RuleSet,
    p: &ResolvedParameter,
    layer: Option<usize>,
    unit: Option<UnitKind>,
) -> ExplainedValue {
    ExplainedValue {
        field: format!("parameter {}", p.id),
        value: format!("{}（{}）", crate::names::value_zh(&p.value.to_text()), p.name),
        layer: p.source.layer.clone(),
        local_default: p.source.local_default,
        parameter: Some(p.id.clone()),
        basis: citations(rules, &p.source.basis, layer, unit),
    }
}

/// The citations of `basis`, each saying whether its text binds a unit of kind `unit` placed
/// at layer `layer` (the catalogue's lowest).
fn citations(rules: &RuleSet, basis: &[LegalBasis], layer: Option<usize>, unit: Option<UnitKind>) -> Vec<Citation> {
    basis
        .iter()
        .map(|b| {
            let doc = rules.document(&b.doc);
            let text = rules.source_text(&b.doc);
            let clause = text.and_then(|t| t.clause(&b.article));
            Citation {
                doc: b.doc.clone(),
                title: doc.map_or_else(|| b.doc.clone(), |d| d.title.clone()),
                cited_as: doc.map_or_else(|| b.doc.clone(), crate::rules::DocumentDef::citation),
                jurisdiction: doc.map_or_else(String::new, |d| d.place_zh()),
                kind_zh: doc.map_or_else(String::new, |d| d.kind.name_zh().to_string()),
                binds: layer.is_some_and(|li| rules.document_binds(&b.doc, li))
                    && unit.is_none_or(|k| rules.document_governs(&b.doc, k)),
                article: b.article.clone(),
                clause: clause.map(|c| c.id.clone()),
                text: clause.and_then(|c| c.text.as_deref()).map(|t| t.trim().to_string()),
                status: clause.map(|c| c.status.or(text.map(|t| t.def.status)).unwrap_or(TextStatus::Summary)),
                note: b.note.clone(),
            }
        })
        .collect()
}

impl ItemExplanation {
    /// The page as Markdown, in Chinese, for people: what a reviewer reads to check the law.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("### {}（`{}`）\n\n", self.name, self.id);
        let force = match (&self.adopted_by, self.force) {
            (Some(layer), Force::Adopted) => format!("{}（由层级 `{layer}` 采纳）", self.force.name_zh()),
            _ => self.force.name_zh().to_string(),
        };
        out.push_str(&format!("- 法律效力：{force}\n- 定义层级：`{}`；适用日期：{}\n", self.defined_by, self.as_of));
        match self.unit_kind {
            Some(k) => out.push_str(&format!("- 单位类别：{}\n", k.name_zh())),
            None => out.push_str(
                "- 单位类别：未指定（各类单位合并的视图，含只调整村的文件的取值；评判某类单位请指定单位类别）\n",
            ),
        }
        out.push_str("\n| 项目 | 取值 | 层级 | 依据 |\n|---|---|---|---|\n");
        for v in &self.values {
            let mut basis = merged(&v.basis);
            if v.local_default {
                basis.push("本地默认值（可配置）".into());
            }
            if basis.is_empty() {
                basis.push("—".into());
            }
            out.push_str(&format!(
                "| {} | {} | `{}` | {} |\n",
                cell(field_zh(&v.field)),
                cell(&v.value),
                v.layer,
                cell(&basis.join("；"))
            ));
        }
        out.push_str("\n引用条文：\n\n");
        let mut seen: Vec<(&str, &str)> = Vec::new();
        let all = self.basis.iter().chain(self.values.iter().flat_map(|v| v.basis.iter()));
        for c in all {
            let key = (c.doc.as_str(), c.clause.as_deref().unwrap_or(c.article.as_str()));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let status = match c.status {
                Some(TextStatus::Verbatim) => "原文",
                Some(TextStatus::Summary) => "摘要",
                None => "未收录条文",
            };
            let binds = if c.binds { "有约束力" } else { "无约束力" };
            out.push_str(&format!(
                "- {}{}（{}，{}，{binds}；{status}）",
                c.cited_as,
                c.clause.as_deref().unwrap_or(&c.article),
                if c.jurisdiction.is_empty() { "—" } else { &c.jurisdiction },
                c.kind_zh
            ));
            match &c.text {
                Some(t) => out.push_str(&format!("：{}\n", t.replace('\n', " "))),
                None => out.push('\n'),
            }
        }
        if !self.notes.is_empty() {
            out.push_str("\n说明：\n\n");
            for n in &self.notes {
                out.push_str(&format!("- {n}\n"));
            }
        }
        out
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Every item of `rules` on `as_of`, obligations first then advisory items, each page with its
/// quoted clauses: the page a lawyer reviews (`docs/legal-basis.md`).
///
/// ```
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let page = cunwu_core::explain::legal_basis_markdown(&rules, day).unwrap();
/// assert!(page.contains("建议公开"));
/// ```
pub fn legal_basis_markdown(rules: &RuleSet, as_of: NaiveDate) -> Result<String, Error> {
    let all = rules.resolve(as_of, None)?;
    let mut out = format!(
        "# 法律依据（{as_of} 生效的市级规则）\n\n\
         由 `cunwu_core::explain::legal_basis_markdown` 生成，`cargo test` 检查是否过期\n\
         （`CUNWU_UPDATE_GENERATED=1 cargo test -p cunwu-core --test it generated` 重新生成）。\n\
         每个事项一节：法律效力、每项取值及其层级和依据、所引条文的文本（原文或摘要，见 `rules/sources/`）。\n\
         “有约束力”的事项才会被评判；“建议公开”的事项只依据外省法规、样本或地方惯例，只列出、不评判，区县可在本区县目录中采纳。\n\n\
         每类单位一章：只适用调整该类单位的文件（村民委员会组织法和重庆市实施办法只调整村和村民小组）。\n\n\
         共 {} 项有约束力的公开事项、{} 项建议公开事项。\n\n",
        all.items.len(),
        all.advisory.len()
    );
    for kind in [UnitKind::Village, UnitKind::Community, UnitKind::Group] {
        let cat = rules.resolve_for(as_of, None, Some(kind))?;
        out.push_str(&format!("## {}：有约束力的公开事项\n\n", kind.name_zh()));
        for item in cat.items.iter().filter(|i| i.applies_to(kind)) {
            out.push_str(&explain_resolved(rules, &cat, item).markdown);
            out.push('\n');
        }
        out.push_str(&format!(
            "## {}：建议公开事项（无约束力，不作评判）\n\n| id | 事项 | 依据 |\n|---|---|---|\n",
            kind.name_zh()
        ));
        for item in cat.advisory.iter().filter(|i| i.applies_to(kind)) {
            let basis: Vec<String> = citations(rules, &item.basis, None, None)
                .iter()
                .map(|c| {
                    format!(
                        "{}{}（{}）",
                        c.cited_as,
                        c.article,
                        if c.jurisdiction.is_empty() { "—" } else { &c.jurisdiction }
                    )
                })
                .collect();
            out.push_str(&format!("| {} | {} | {} |\n", item.id, cell(&item.name.value), cell(&basis.join("；"))));
        }
        out.push('\n');
    }
    Ok(out.trim_end().to_string() + "\n")
}
