//! What changed in force between two dates: items and parameters added, removed or changed,
//! each change with the legal source of the new value (`cunwu rules diff`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::catalogue::{Provenance, ResolvedCatalogue, ResolvedItem, Sourced};
use crate::error::CatalogueError;
use crate::model::{Cadence, Channel, DisplayPeriod, LegalBasis, UnitKind};
use crate::rules::{DocumentDef, LayerInfo, RuleSet};

/// Whether a subject appeared, disappeared or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In force at the second date only.
    Added,
    /// In force at the first date only.
    Removed,
    /// In force at both, with a different value.
    Changed,
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A disclosure item.
    Item,
    /// A parameter.
    Parameter,
}

/// One change between the two dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Item or parameter.
    pub subject: Subject,
    /// Its id.
    pub id: String,
    /// Its Chinese name (at the later date, or the earlier one if removed).
    pub name: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The field that changed (`display`, `cadence`…); absent for whole items or parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value before, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Json>,
    /// The value after, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Json>,
    /// Who set the new value (or, for a removal, the old one), on what basis.
    pub source: Provenance,
    /// The change in one Chinese sentence, with its source.
    pub summary_zh: String,
}

/// The changes in force between two dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueDiff {
    /// The earlier date.
    pub from: NaiveDate,
    /// The later date.
    pub to: NaiveDate,
    /// Layers in force at `to` but not at `from`.
    pub layers_entered: Vec<LayerInfo>,
    /// Layers in force at `from` but not at `to`.
    pub layers_left: Vec<LayerInfo>,
    /// The changes, items first, by id.
    pub changes: Vec<Change>,
}

impl RuleSet {
    /// What changed in force between `from` and `to` (either may be the later).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let diff = rules.diff(d("2013-10-31"), d("2026-01-01"), None).unwrap();
    /// assert!(diff.changes.iter().any(|c| c.id == "finance.income-expenditure" && c.field.as_deref() == Some("cadence")));
    /// ```
    pub fn diff(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        district: Option<&str>,
    ) -> Result<CatalogueDiff, CatalogueError> {
        let a = self.resolve(from, district)?;
        let b = self.resolve(to, district)?;
        Ok(diff_catalogues(&a, &b))
    }
}

fn to_json<T: Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// Each basis as `《title》article`, with the document's title where it is known.
///
/// Clauses of one document cited together read as one citation (`《…答复》一(二)三、一(二)五`), and
/// a clause cited twice is cited once.
pub fn basis_texts(basis: &[LegalBasis], docs: &std::collections::BTreeMap<String, DocumentDef>) -> Vec<String> {
    merge_citations(
        basis.iter().map(|b| {
            (docs.get(&b.doc).map_or_else(|| format!("{} ", b.doc), DocumentDef::citation), b.article.as_str())
        }),
    )
}

/// (document as cited, clause) pairs as text, the clauses of one document together
/// (`《…》一(二)三、一(二)五`) and each clause once.
pub(crate) fn merge_citations<'a>(cited: impl IntoIterator<Item = (String, &'a str)>) -> Vec<String> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for (doc, article) in cited {
        match out.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, articles)) if articles.contains(&article) => {}
            Some((_, articles)) => articles.push(article),
            None => out.push((doc, vec![article])),
        }
    }
    out.into_iter().map(|(doc, articles)| format!("{doc}{}", articles.join("、"))).collect()
}

/// Cite a provenance: `《title》article；…〔层级 id〕`, noting local defaults and parameters.
pub fn cite(source: &Provenance, docs: &std::collections::BTreeMap<String, DocumentDef>) -> String {
    let mut parts = basis_texts(&source.basis, docs);
    if source.local_default {
        parts.push("本地默认值（可配置）".into());
    }
    if let Some(p) = &source.parameter {
        parts.push(format!("参数 {p}"));
    }
    if parts.is_empty() {
        format!("层级 {}", source.layer)
    } else {
        format!("{}〔层级 {}〕", parts.join("；"), source.layer)
    }
}

/// Chinese text of a field value for summaries.
fn show(field: &str, v: &Json) -> String {
    if v.as_array().is_some_and(|a| a.is_empty()) {
        return "（无）".into();
    }
    let list = |v: &Json| v.as_array().cloned().unwrap_or_default();
    match field {
        "cadence" => list(v)
            .iter()
            .filter_map(|c| crate::json::from_value::<Cadence>(c.clone()).ok())
            .map(|c| c.name_zh())
            .collect::<Vec<_>>()
            .join("+"),
        "display" => crate::json::from_value::<DisplayPeriod>(v.clone())
            .map(|d| d.describe_zh())
            .unwrap_or_else(|_| v.to_string()),
        "scope" => list(v)
            .iter()
            .filter_map(|c| crate::json::from_value::<UnitKind>(c.clone()).ok())
            .map(|c| c.name_zh())
            .collect::<Vec<_>>()
            .join("、"),
        "channels" => list(v)
            .iter()
            .filter_map(|c| crate::json::from_value::<Channel>(c.clone()).ok())
            .map(channel_zh)
            .collect::<Vec<_>>()
            .join("、"),
        "filed_with_township" => if v.as_bool() == Some(true) { "报乡镇(街道)备案" } else { "不要求备案" }.into(),
        "within_days" => format!("{}日内", v),
        _ => match v {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// Chinese name of a channel.
pub fn channel_zh(c: Channel) -> &'static str {
    match c {
        Channel::Board => "公开栏",
        Channel::AreaBoards => "分片公开栏",
        Channel::RepresentativesMeeting => "代表会议通报",
        Channel::PrintedCopies => "印发代表",
        Channel::Online => "网络公开",
    }
}

fn field_zh(field: &str) -> &str {
    match field {
        "name" => "名称",
        "kind" => "类别",
        "scope" => "适用范围",
        "cadence" => "公开频次",
        "within_days" => "随时公开期限",
        "display" => "公开时限",
        "channels" => "公开方式",
        "filed_with_township" => "备案",
        other => other,
    }
}

type FieldView = (&'static str, Option<Json>, Option<Provenance>);

/// The comparable fields of an item, with the provenance of each.
fn item_fields(item: &ResolvedItem) -> Vec<FieldView> {
    fn one<T: Serialize>(s: &Sourced<T>) -> (Option<Json>, Option<Provenance>) {
        (Some(to_json(&s.value)), Some(s.source.clone()))
    }
    fn many<T: Serialize>(list: &[Sourced<T>]) -> (Option<Json>, Option<Provenance>) {
        let values: Vec<&T> = list.iter().map(|s| &s.value).collect();
        (Some(to_json(&values)), list.last().map(|s| s.source.clone()))
    }
    let opt = |s: &Option<Sourced<u32>>| s.as_ref().map(one).unwrap_or((None, None));
    let disp = |s: &Option<Sourced<DisplayPeriod>>| s.as_ref().map(one).unwrap_or((None, None));
    let fields = [
        ("name", one(&item.name)),
        ("kind", one(&item.kind)),
        ("scope", many(&item.scope)),
        ("cadence", one(&item.cadence)),
        ("within_days", opt(&item.within_days)),
        ("display", disp(&item.display)),
        ("channels", many(&item.channels)),
        ("filed_with_township", one(&item.filed_with_township)),
    ];
    fields.into_iter().map(|(f, (v, p))| (f, v, p)).collect()
}

/// For a list field that gained elements, the provenance of the first element added.
fn added_element_source(field: &str, old: &ResolvedItem, new: &ResolvedItem) -> Option<Provenance> {
    fn first_new<T: PartialEq>(old: &[Sourced<T>], new: &[Sourced<T>]) -> Option<Provenance> {
        new.iter().find(|n| !old.iter().any(|o| o.value == n.value)).map(|n| n.source.clone())
    }
    match field {
        "scope" => first_new(&old.scope, &new.scope),
        "channels" => first_new(&old.channels, &new.channels),
        _ => None,
    }
}

/// Compare two resolved catalogues.
pub fn diff_catalogues(a: &ResolvedCatalogue, b: &ResolvedCatalogue) -> CatalogueDiff {
    let mut docs = a.documents.clone();
    docs.extend(b.documents.clone());
    let mut changes = Vec::new();
    let mut ids: Vec<&str> = a.items.iter().chain(&b.items).map(|i| i.id.as_str()).collect();
    crate::sort::sort(&mut ids);
    ids.dedup();
    for id in ids {
        match (a.item(id), b.item(id)) {
            (None, Some(new)) => {
                let source = Provenance {
                    layer: new.defined_by.clone(),
                    basis: new.basis.clone(),
                    local_default: false,
                    parameter: None,
                };
                let summary_zh = format!("新增事项「{}」（{}）；依据：{}", new.name.value, id, cite(&source, &docs));
                changes.push(Change {
                    subject: crate::diff::Subject::Item,
                    id: id.into(),
                    name: new.name.value.clone(),
                    change: ChangeKind::Added,
                    field: None,
                    before: None,
                    after: None,
                    source,
                    summary_zh,
                });
            }
            (Some(old), None) => {
                let source = Provenance {
                    layer: old.defined_by.clone(),
                    basis: old.basis.clone(),
                    local_default: false,
                    parameter: None,
                };
                let summary_zh =
                    format!("事项「{}」（{}）不再生效；原依据：{}", old.name.value, id, cite(&source, &docs));
                changes.push(Change {
                    subject: Subject::Item,
                    id: id.into(),
                    name: old.name.value.clone(),
                    change: ChangeKind::Removed,
                    field: None,
                    before: None,
                    after: None,
                    source,
                    summary_zh,
                });
            }
            (Some(old), Some(new)) => {
                for ((field, before, old_src), (_, after, new_src)) in
                    item_fields(old).into_iter().zip(item_fields(new))
                {
                    if before == after {
                        continue;
                    }
                    let source = added_element_source(field, old, new).or(new_src).or(old_src).unwrap_or(Provenance {
                        layer: new.defined_by.clone(),
                        basis: Vec::new(),
                        local_default: false,
                        parameter: None,
                    });
                    let text =
                        |v: &Option<Json>| v.as_ref().map(|v| show(field, v)).unwrap_or_else(|| "（无规定）".into());
                    let summary_zh = format!(
                        "「{}」{}：{} → {}；依据：{}",
                        new.name.value,
                        field_zh(field),
                        text(&before),
                        text(&after),
                        cite(&source, &docs)
                    );
                    changes.push(Change {
                        subject: Subject::Item,
                        id: id.into(),
                        name: new.name.value.clone(),
                        change: ChangeKind::Changed,
                        field: Some(field.into()),
                        before,
                        after,
                        source,
                        summary_zh,
                    });
                }
            }
            (None, None) => {}
        }
    }
    let mut pids: Vec<&str> = a.parameters.iter().chain(&b.parameters).map(|p| p.id.as_str()).collect();
    crate::sort::sort(&mut pids);
    pids.dedup();
    for id in pids {
        let (old, new) = (a.parameter(id), b.parameter(id));
        let (change, shown) = match (old, new) {
            (None, Some(n)) => (ChangeKind::Added, n),
            (Some(o), None) => (ChangeKind::Removed, o),
            (Some(o), Some(n)) if o.value != n.value || o.source != n.source => (ChangeKind::Changed, n),
            _ => continue,
        };
        let text = |p: Option<&crate::catalogue::ResolvedParameter>| {
            p.map(|p| p.value.to_text()).unwrap_or_else(|| "（无）".into())
        };
        let summary_zh = format!(
            "参数「{}」（{}）：{} → {}；依据：{}",
            shown.name,
            id,
            text(old),
            text(new),
            cite(&shown.source, &docs)
        );
        changes.push(Change {
            subject: Subject::Parameter,
            id: id.into(),
            name: shown.name.clone(),
            change,
            field: None,
            before: old.map(|p| to_json(&p.value)),
            after: new.map(|p| to_json(&p.value)),
            source: shown.source.clone(),
            summary_zh,
        });
    }
    let ids = |c: &ResolvedCatalogue| c.layers.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
    let (in_a, in_b) = (ids(a), ids(b));
    CatalogueDiff {
        from: a.as_of,
        to: b.as_of,
        layers_entered: b.layers.iter().filter(|l| !in_a.contains(&l.id)).cloned().collect(),
        layers_left: a.layers.iter().filter(|l| !in_b.contains(&l.id)).cloned().collect(),
        changes,
    }
}

impl CatalogueDiff {
    /// The changelog as Chinese text, one change a line, layers first.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let text = rules.diff(d("2013-10-31"), d("2026-01-01"), None).unwrap().to_text();
    /// assert!(text.contains("cq-statute-2013"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = format!("公开规则变化 {} → {}\n", self.from, self.to);
        for l in &self.layers_entered {
            out.push_str(&format!("+ 层级 {}：{}（{} 起）\n", l.id, l.name, l.effective.from));
        }
        for l in &self.layers_left {
            out.push_str(&format!("- 层级 {}：{}\n", l.id, l.name));
        }
        for c in &self.changes {
            let mark = match c.change {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
            };
            out.push_str(&format!("{mark} {}\n", c.summary_zh));
        }
        if self.changes.is_empty() && self.layers_entered.is_empty() && self.layers_left.is_empty() {
            out.push_str("（无变化）\n");
        }
        out
    }
}
