//! The effective disclosure catalogue (公开目录) for a date and district: layers applied from the
//! national root down to the district, every field carrying the layer and legal basis that set it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::error::CatalogueError;
use crate::model::{
    AffairKind, Cadence, Channel, DisplayPeriod, Force, LegalBasis, UnitKind, cadence_at_least_as_strict,
};
use crate::rules::{
    DateRange, DistrictDef, DocumentDef, ItemDef, ItemField, LayerInfo, LayerLevel, ParameterKind, RawParamValue,
    RuleProblem, RuleSet, Tighter, layer_diagnostic,
};

/// The parameter giving the minimum display of items that set none (保留十日以上).
pub const PARAM_DISPLAY_MINIMUM_DAYS: &str = "display.minimum_days";
/// The parameter giving the deadline of event-driven items that set none (随时公开：十日内).
pub const PARAM_AD_HOC_WITHIN_DAYS: &str = "disclosure.ad_hoc_within_days";

/// Codes of warnings that resolution can attach to an answer. Append only.
pub const WARNING_CODES: &[&str] = &["CATALOGUE_DISTRICT_NOT_IN_FORCE"];

/// Which layer set a value, on what legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The layer that set the value.
    pub layer: String,
    /// The legal basis given for it (empty for a value nobody set, such as "not filed").
    pub basis: Vec<LegalBasis>,
    /// The value is a configurable local default that no source fixes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local_default: bool,
    /// The value comes from this general parameter, not from the item itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// A value with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    #[serde(flatten)]
    pub source: Provenance,
}

/// A parameter value, typed by its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Days, months or a day of the month.
    Number(i64),
    /// A flag.
    Flag(bool),
    /// A ratio (`"1/10"`) or a choice.
    Text(String),
    /// A list of strings.
    List(Vec<String>),
}

impl ParamValue {
    /// Check a raw value from a file against a parameter's kind.
    ///
    /// ```
    /// use cunwu_core::catalogue::ParamValue;
    /// use cunwu_core::rules::{ParameterKind, RawParamValue};
    /// assert!(ParamValue::check(ParameterKind::Days, &[], &RawParamValue::Integer(5)).is_ok());
    /// assert!(ParamValue::check(ParameterKind::DayOfMonth, &[], &RawParamValue::Integer(32)).is_err());
    /// assert!(ParamValue::check(ParameterKind::Ratio, &[], &RawParamValue::Text("1/10".into())).is_ok());
    /// ```
    pub fn check(kind: ParameterKind, choices: &[String], raw: &RawParamValue) -> Result<ParamValue, String> {
        match (kind, raw) {
            (ParameterKind::Days | ParameterKind::Months, RawParamValue::Integer(n)) if (0..=36_500).contains(n) => {
                Ok(ParamValue::Number(*n))
            }
            (ParameterKind::DayOfMonth, RawParamValue::Integer(n)) if (1..=31).contains(n) => {
                Ok(ParamValue::Number(*n))
            }
            (ParameterKind::Flag, RawParamValue::Flag(b)) => Ok(ParamValue::Flag(*b)),
            (ParameterKind::Ratio, RawParamValue::Text(s)) if parse_ratio(s).is_some() => {
                Ok(ParamValue::Text(s.clone()))
            }
            (ParameterKind::Choice, RawParamValue::Text(s)) if choices.contains(s) => Ok(ParamValue::Text(s.clone())),
            (ParameterKind::List, RawParamValue::List(items)) => Ok(ParamValue::List(items.clone())),
            (ParameterKind::Choice, RawParamValue::Text(s)) => {
                Err(format!("`{s}` is not one of the choices: {}", choices.join(", ")))
            }
            (kind, raw) => Err(format!("{raw:?} does not fit a parameter of kind {}", kind_name(kind))),
        }
    }

    /// A number to compare values for tightening; `None` where values are not ordered.
    fn rank(&self) -> Option<f64> {
        match self {
            ParamValue::Number(n) => Some(*n as f64),
            ParamValue::Text(s) => parse_ratio(s).map(|(a, b)| a as f64 / b as f64),
            // A duty switched on is stricter than one switched off (`display.by_area`).
            ParamValue::Flag(b) => Some(f64::from(u8::from(*b))),
            ParamValue::List(_) => None,
        }
    }

    /// The value as plain text (`5`, `true`, `1/10`).
    pub fn to_text(&self) -> String {
        match self {
            ParamValue::Number(n) => n.to_string(),
            ParamValue::Flag(b) => b.to_string(),
            ParamValue::Text(s) => s.clone(),
            ParamValue::List(items) => items.join(", "),
        }
    }
}

fn parse_ratio(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('/')?;
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    (b > 0 && a <= b).then_some((a, b))
}

fn kind_name(kind: ParameterKind) -> &'static str {
    match kind {
        ParameterKind::Days => "days",
        ParameterKind::Months => "months",
        ParameterKind::DayOfMonth => "day_of_month",
        ParameterKind::Ratio => "ratio",
        ParameterKind::Flag => "flag",
        ParameterKind::Choice => "choice",
        ParameterKind::List => "list",
    }
}

/// A parameter as in force on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedParameter {
    /// Parameter id.
    pub id: String,
    /// Chinese description.
    pub name: String,
    /// What it measures.
    pub kind: ParameterKind,
    /// Which direction is stricter.
    pub tighter: Tighter,
    /// The value in force.
    pub value: ParamValue,
    /// The days this value applies (within the layer's range).
    pub effective: DateRange,
    /// Where it came from.
    #[serde(flatten)]
    pub source: Provenance,
    /// The value's legal force: binding, adopted by a district, or a local default.
    pub force: Force,
    /// Remarks from the rule file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ResolvedParameter {
    /// The value as a count of days, months or a day of the month.
    pub fn as_number(&self) -> Option<i64> {
        match self.value {
            ParamValue::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// A disclosure item (公开事项) as in force on a date, each field with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedItem {
    /// Stable id.
    pub id: String,
    /// Chinese name. In a catalogue resolved for communities, the community's name (社区/居)
    /// where the rules give one.
    pub name: Sourced<String>,
    /// The name on a community's board, where the rules give one (shown in every answer for a
    /// community instead of `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_name: Option<Sourced<String>>,
    /// 党务 / 政务 / 财务 / 服务.
    pub kind: Sourced<AffairKind>,
    /// Unit kinds that must disclose it, each with the layer that added it.
    pub scope: Vec<Sourced<UnitKind>>,
    /// Cadences.
    pub cadence: Sourced<Vec<Cadence>>,
    /// Days after the event, for event-driven cadences (from the item or the general parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<Sourced<u32>>,
    /// Minimum display (from the item or the general parameter); absent where no rule in force sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Sourced<DisplayPeriod>>,
    /// Required channels, each with the layer that required it.
    pub channels: Vec<Sourced<Channel>>,
    /// Whether the disclosure is filed with the township.
    pub filed_with_township: Sourced<bool>,
    /// The shape of a submission for this item.
    pub family: crate::validation::Family,
    /// Payload fields this item requires beyond its family's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_fields: Vec<String>,
    /// Who must publish it (the committee unless the item's text charges the township).
    pub responsible: crate::compliance::Responsible,
    /// Days before the event, for items due before their event (`评议十日前公布`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_days: Option<Sourced<u32>>,
    /// The layer that defines the item.
    pub defined_by: String,
    /// The legal force of the obligation: `binding`, `adopted` (by a district's catalogue) or
    /// `advisory` (a recommendation, never judged).
    pub force: Force,
    /// The district layer that adopted an advisory item, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_by: Option<String>,
    /// The legal basis of the obligation itself.
    pub basis: Vec<LegalBasis>,
    /// Remarks from the rule files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ResolvedItem {
    /// Whether a unit of this kind must disclose the item.
    pub fn applies_to(&self, unit: UnitKind) -> bool {
        self.scope.iter().any(|s| s.value == unit)
    }
}

impl ResolvedCatalogue {
    /// For a catalogue resolved for one kind of unit, keep only the items that apply to it (a
    /// community's catalogue lists no homestead item); a catalogue for every kind is unchanged.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    /// let mut community = rules.resolve_for(day, None, Some(cunwu_core::UnitKind::Community)).unwrap();
    /// community.keep_applicable();
    /// assert!(community.item("government.homestead").is_none());
    /// assert!(community.item("finance.income-expenditure").is_some());
    /// ```
    pub fn keep_applicable(&mut self) {
        if let Some(kind) = self.unit_kind {
            self.items.retain(|i| i.applies_to(kind));
            self.advisory.retain(|i| i.applies_to(kind));
        }
    }
}

/// The effective catalogue for a date (and district).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedCatalogue {
    /// The date the catalogue is in force.
    pub as_of: NaiveDate,
    /// The district whose catalogue applies, if one was asked for and is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictDef>,
    /// The layers applied, from the national root down.
    pub layers: Vec<LayerInfo>,
    /// The kind of unit this catalogue judges; absent: every kind at once (for display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_kind: Option<UnitKind>,
    /// The obligations (binding or adopted items), by id.
    pub items: Vec<ResolvedItem>,
    /// Recommended items (建议公开): resting only on other jurisdictions' texts, samples or
    /// practice; listed, never judged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisory: Vec<ResolvedItem>,
    /// Parameters, by id.
    pub parameters: Vec<ResolvedParameter>,
    /// The documents cited anywhere in this catalogue, by id.
    pub documents: BTreeMap<String, DocumentDef>,
    /// Things the caller should know (a district with no catalogue in force on the date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

impl ResolvedCatalogue {
    /// An obligation (a binding or adopted item) by id; an advisory item is not one.
    pub fn item(&self, id: &str) -> Option<&ResolvedItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// An advisory item (建议公开) by id.
    pub fn advisory_item(&self, id: &str) -> Option<&ResolvedItem> {
        self.advisory.iter().find(|i| i.id == id)
    }

    /// A parameter by id.
    pub fn parameter(&self, id: &str) -> Option<&ResolvedParameter> {
        self.parameters.iter().find(|p| p.id == id)
    }
}

impl RuleSet {
    /// The effective catalogue on `as_of`, for `district` (its id or name) when given.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let cat = rules.resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap();
    /// let finance = cat.item("finance.income-expenditure").unwrap();
    /// assert_eq!(finance.cadence.value, vec![cunwu_core::Cadence::Monthly]);
    /// assert_eq!(finance.cadence.source.layer, "cq-policy-2018");
    /// ```
    pub fn resolve(&self, as_of: NaiveDate, district: Option<&str>) -> Result<ResolvedCatalogue, CatalogueError> {
        self.resolve_for(as_of, district, None)
    }

    /// The effective catalogue on `as_of` for units of kind `unit` (`None`: every kind at once).
    ///
    /// For one kind, only what the texts governing that kind say applies: an amendment or a
    /// parameter value whose sources do not govern it is left out, so a village-only statute's
    /// reply deadlines never reach a community.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cunwu_core::UnitKind;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let village = rules.resolve_for(day, None, Some(UnitKind::Village)).unwrap();
    /// let community = rules.resolve_for(day, None, Some(UnitKind::Community)).unwrap();
    /// assert!(village.parameter("reply.committee_to_resident_days").is_some());
    /// assert!(community.parameter("reply.committee_to_resident_days").is_none());
    /// ```
    pub fn resolve_for(
        &self,
        as_of: NaiveDate,
        district: Option<&str>,
        unit: Option<UnitKind>,
    ) -> Result<ResolvedCatalogue, CatalogueError> {
        let mut warnings = Vec::new();
        let leaf = match district {
            Some(d) => {
                let known: Vec<usize> = (0..self.layers.len())
                    .filter(|&i| {
                        self.layers
                            .get(i)
                            .and_then(|l| l.def.district.as_ref())
                            .is_some_and(|x| x.id == d || x.name == d)
                    })
                    .collect();
                if known.is_empty() {
                    return Err(CatalogueError::UnknownDistrict { district: d.to_string() });
                }
                match known.into_iter().find(|&i| self.chain_in_force(i, as_of)) {
                    Some(i) => i,
                    None => {
                        warnings.push(district_not_in_force(d, as_of));
                        self.city_leaf(as_of).ok_or(CatalogueError::NotInForce { as_of })?
                    }
                }
            }
            None => self.city_leaf(as_of).ok_or(CatalogueError::NotInForce { as_of })?,
        };
        let chain = self.chain(leaf);
        let (all_items, parameters) = resolve_chain(self, &chain, as_of, None, unit);
        let (items, advisory): (Vec<ResolvedItem>, Vec<ResolvedItem>) =
            all_items.into_iter().partition(|i| i.force.is_judged());
        let all_layers = self.layers();
        let layers: Vec<LayerInfo> = chain.iter().filter_map(|&i| all_layers.get(i).cloned()).collect();
        let mut cited = BTreeMap::new();
        let mut cite = |b: &LegalBasis| {
            if let Some(doc) = self.documents.get(&b.doc) {
                cited.insert(b.doc.clone(), doc.clone());
            }
        };
        for item in items.iter().chain(&advisory) {
            item.basis.iter().for_each(&mut cite);
            let sources =
                [&item.name.source, &item.kind.source, &item.cadence.source, &item.filed_with_township.source]
                    .into_iter()
                    .chain(item.within_days.as_ref().map(|s| &s.source))
                    .chain(item.display.as_ref().map(|s| &s.source))
                    .chain(item.scope.iter().map(|s| &s.source))
                    .chain(item.channels.iter().map(|s| &s.source));
            sources.flat_map(|s| s.basis.iter()).for_each(&mut cite);
        }
        parameters.iter().flat_map(|p| p.source.basis.iter()).for_each(&mut cite);
        for layer in &layers {
            if let Some(doc) = self.documents.get(&layer.source) {
                cited.insert(layer.source.clone(), doc.clone());
            }
        }
        let district = layers.last().and_then(|l| l.district.clone());
        Ok(ResolvedCatalogue {
            as_of,
            district,
            layers,
            unit_kind: unit,
            items,
            advisory,
            parameters,
            documents: cited,
            warnings,
        })
    }

    fn chain_in_force(&self, leaf: usize, date: NaiveDate) -> bool {
        self.chain(leaf).iter().all(|&i| self.layers.get(i).is_some_and(|l| l.range.contains(date)))
    }

    /// The deepest non-district layer whose whole chain is in force on `date`.
    fn city_leaf(&self, date: NaiveDate) -> Option<usize> {
        (0..self.layers.len())
            .filter(|&i| self.layers.get(i).is_some_and(|l| l.def.level != LayerLevel::District))
            .filter(|&i| self.chain_in_force(i, date))
            .max_by_key(|&i| (self.chain(i).len(), std::cmp::Reverse(i)))
    }
}

fn district_not_in_force(district: &str, as_of: NaiveDate) -> Diagnostic {
    Diagnostic {
        code: "CATALOGUE_DISTRICT_NOT_IN_FORCE".into(),
        severity: Severity::Warning,
        message_zh: format!("区县 `{district}` 在 {as_of} 没有生效的公开目录，适用市级规则"),
        message_en: format!("district `{district}` has no catalogue in force on {as_of}; the city rules apply"),
        hint_zh: Some("在 rules/ 中为该区县添加当年的目录层级".into()),
        hint_en: Some("add the district's catalogue layer for that year under rules/".into()),
        location: Location::at_pointer("/district"),
        related: Vec::new(),
    }
}

/// Parameters in force on `date` along `chain`; with `check`, report every override that loosens.
fn resolve_params(
    set: &RuleSet,
    chain: &[usize],
    date: NaiveDate,
    mut check: Option<&mut Vec<Diagnostic>>,
    unit: Option<UnitKind>,
) -> BTreeMap<String, ResolvedParameter> {
    let mut out: BTreeMap<String, ResolvedParameter> = BTreeMap::new();
    let mut definitions: BTreeMap<String, (String, ParameterKind, Tighter, Vec<String>)> = BTreeMap::new();
    for &li in chain {
        let Some(layer) = set.layers.get(li) else {
            continue;
        };
        for (param, ptr) in &layer.parameters {
            if let (Some(kind), Some(name), Some(tighter)) = (param.kind, &param.name, param.tighter) {
                definitions.entry(param.id.clone()).or_insert((name.clone(), kind, tighter, param.choices.clone()));
            }
            let Some((name, kind, tighter, choices)) = definitions.get(&param.id).cloned() else {
                continue;
            };
            // A value reaches a kind of unit only if it is meant for it (its `scope`) and rests on
            // a text that governs it, or is a local default; the all-kinds view leaves out
            // values meant for some kinds only.
            let applies = |v: &crate::rules::ParameterValueDef| match unit {
                None => v.scope.is_empty(),
                Some(k) => {
                    (v.scope.is_empty() || v.scope.contains(&k))
                        && (v.local_default || set.basis_binds(&v.basis, li, Some(k)))
                }
            };
            let in_force = param
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| applies(v) && v.from.0 <= date)
                .max_by_key(|(_, v)| v.from.0);
            let Some((vi, v)) = in_force else { continue };
            let next_from =
                param.values.iter().filter(|w| applies(w)).map(|w| w.from.0).filter(|f| *f > v.from.0).min();
            let until = [v.until.map(|u| u.0), next_from.and_then(|f| f.pred_opt()), layer.range.until]
                .into_iter()
                .flatten()
                .min();
            if until.is_some_and(|u| u < date) {
                continue;
            }
            let Ok(value) = ParamValue::check(kind, &choices, &v.value) else {
                continue;
            };
            let resolved = ResolvedParameter {
                id: param.id.clone(),
                name,
                kind,
                tighter,
                value,
                effective: DateRange { from: v.from.0, until },
                source: Provenance {
                    layer: layer.def.id.clone(),
                    basis: basis_for(set, &v.basis, li, unit),
                    local_default: v.local_default,
                    parameter: None,
                },
                force: set.value_force(&v.basis, li, v.local_default),
                note: v.note.clone().filter(|n| !n.is_empty()),
            };
            if let (Some(found), Some(parent)) = (check.as_deref_mut(), out.get(&param.id)) {
                let looser = match (tighter, &resolved.value, &parent.value) {
                    // A list that must only grow (the 十公开 relative circle): dropping an entry loosens.
                    (Tighter::Higher, ParamValue::List(c), ParamValue::List(p)) => p.iter().any(|x| !c.contains(x)),
                    _ => match (tighter, resolved.value.rank(), parent.value.rank()) {
                        (Tighter::Lower, Some(c), Some(p)) => c > p,
                        (Tighter::Higher, Some(c), Some(p)) => c < p,
                        _ => false,
                    },
                };
                if looser && parent.source.layer != resolved.source.layer {
                    let problem = RuleProblem::ParameterLoosened {
                        id: param.id.clone(),
                        child: resolved.value.to_text(),
                        parent: parent.value.to_text(),
                        parent_layer: parent.source.layer.clone(),
                        parent_source: set.cite_basis(&parent.source),
                    };
                    found.push(layer_diagnostic(set, li, &format!("{ptr}/values/{vi}/value"), problem, None));
                }
            }
            out.insert(param.id.clone(), resolved);
        }
    }
    out
}

/// The sources of a value that govern `unit` (all of them in the all-kinds view): a value that
/// reaches a community never names the village statute as its basis.
fn basis_for(set: &RuleSet, basis: &[LegalBasis], li: usize, unit: Option<UnitKind>) -> Vec<LegalBasis> {
    match unit {
        None => basis.to_vec(),
        Some(k) => {
            let governing: Vec<LegalBasis> =
                basis.iter().filter(|b| set.document_governs(&b.doc, k)).cloned().collect();
            // A local default may rest on no governing text at all: keep what it cites.
            if governing.is_empty() || !set.basis_binds(&governing, li, Some(k)) { basis.to_vec() } else { governing }
        }
    }
}

fn sourced<T>(value: T, layer: &str, basis: &[LegalBasis], local_default: bool) -> Sourced<T> {
    Sourced {
        value,
        source: Provenance { layer: layer.to_string(), basis: basis.to_vec(), local_default, parameter: None },
    }
}

fn new_item(set: &RuleSet, li: usize, def: &ItemDef, layer: &str) -> ResolvedItem {
    let local = |f: ItemField| def.local_defaults.contains(&f);
    let b = &def.basis;
    let force = if def.advisory { Force::Advisory } else { set.value_force(b, li, false) };
    ResolvedItem {
        id: def.id.clone(),
        name: sourced(def.name.clone(), layer, b, false),
        community_name: def.community_name.clone().map(|n| sourced(n, layer, b, false)),
        kind: sourced(def.kind, layer, b, local(ItemField::Kind)),
        scope: def
            .scope
            .iter()
            .map(|u| sourced(*u, layer, b, local(ItemField::Scope) || def.scope_by_reading.contains(u)))
            .collect(),
        cadence: sourced(def.cadence.clone(), layer, b, local(ItemField::Cadence)),
        within_days: def.within_days.map(|d| sourced(d, layer, b, local(ItemField::WithinDays))),
        display: def.display.map(|d| sourced(d, layer, b, local(ItemField::Display))),
        channels: def.channels.iter().map(|c| sourced(*c, layer, b, local(ItemField::Channels))).collect(),
        filed_with_township: match def.filed_with_township {
            Some(v) => sourced(v, layer, b, local(ItemField::FiledWithTownship)),
            None => sourced(false, layer, &[], false),
        },
        family: def.family.unwrap_or(crate::validation::Family::Notice),
        required_fields: def.required_fields.clone(),
        responsible: def.responsible.unwrap_or(crate::compliance::Responsible::Committee),
        before_days: def.before_days.map(|d| sourced(d, layer, b, local(ItemField::WithinDays))),
        defined_by: layer.to_string(),
        force,
        adopted_by: None,
        basis: def.basis.clone(),
        notes: def.note.iter().filter(|n| !n.is_empty()).cloned().collect(),
    }
}

fn from_parameter<T>(value: T, p: &ResolvedParameter) -> Sourced<T> {
    Sourced { value, source: Provenance { parameter: Some(p.id.clone()), ..p.source.clone() } }
}

/// The display an item has in effect: its own, or the general minimum.
fn effective_display(
    item: &ResolvedItem,
    params: &BTreeMap<String, ResolvedParameter>,
) -> Option<Sourced<DisplayPeriod>> {
    item.display.clone().or_else(|| {
        let p = params.get(PARAM_DISPLAY_MINIMUM_DAYS)?;
        Some(from_parameter(DisplayPeriod::Days(u32::try_from(p.as_number()?).ok()?), p))
    })
}

/// The event deadline an item has in effect: its own, or the general one, for event cadences.
fn effective_within(item: &ResolvedItem, params: &BTreeMap<String, ResolvedParameter>) -> Option<Sourced<u32>> {
    if !item.cadence.value.iter().any(|c| c.is_event_driven()) {
        return None;
    }
    item.within_days.clone().or_else(|| {
        let p = params.get(PARAM_AD_HOC_WITHIN_DAYS)?;
        Some(from_parameter(u32::try_from(p.as_number()?).ok()?, p))
    })
}

/// Apply the layers of `chain` (root first) on `date`. With `check`, every amendment that loosens
/// what the layers above it set is reported into it.
pub(crate) fn resolve_chain(
    set: &RuleSet,
    chain: &[usize],
    date: NaiveDate,
    mut check: Option<&mut Vec<Diagnostic>>,
    unit: Option<UnitKind>,
) -> (Vec<ResolvedItem>, Vec<ResolvedParameter>) {
    let mut items: BTreeMap<String, ResolvedItem> = BTreeMap::new();
    for (depth, &li) in chain.iter().enumerate() {
        let Some(layer) = set.layers.get(li) else {
            continue;
        };
        let lid = layer.def.id.as_str();
        let in_force = |from: Option<crate::rules::RuleDate>, until: Option<crate::rules::RuleDate>| {
            from.is_none_or(|f| f.0 <= date) && until.is_none_or(|u| date <= u.0)
        };
        // Amendments first: they change only what the ancestors defined.
        let parent_params = match check {
            Some(_) => resolve_params(set, chain.get(..depth).unwrap_or(&[]), date, None, unit),
            None => BTreeMap::new(),
        };
        // For one kind of unit, an amendment applies only if a text it rests on governs it.
        let reaches = |am: &crate::rules::AmendmentDef| unit.is_none_or(|k| set.basis_binds(&am.basis, li, Some(k)));
        for (am, ptr) in layer.amendments.iter().filter(|(a, _)| in_force(a.from, a.until) && reaches(a)) {
            let targets: Vec<String> = items
                .values()
                .filter(|it| am.all || am.items.contains(&it.id) || am.kinds.contains(&it.kind.value))
                .map(|it| it.id.clone())
                .collect();
            for id in targets {
                let Some(item) = items.get_mut(&id) else {
                    continue;
                };
                if let Some(found) = check.as_deref_mut() {
                    check_amendment(set, li, ptr, am, item, &parent_params, found);
                }
                match unit {
                    Some(_) => {
                        let am =
                            crate::rules::AmendmentDef { basis: basis_for(set, &am.basis, li, unit), ..am.clone() };
                        apply_amendment(item, &am, lid);
                    }
                    None => apply_amendment(item, am, lid),
                }
            }
        }
        for (def, _) in layer.items.iter().filter(|(d, _)| in_force(d.from, d.until)) {
            items.insert(def.id.clone(), new_item(set, li, def, lid));
        }
    }
    let params = resolve_params(set, chain, date, check, unit);
    let items = items
        .into_values()
        .map(|mut item| {
            // For one kind of unit, a scope entry stands only on a text that governs that kind
            // (the lint refuses others; this holds for rules it never saw).
            if let Some(k) = unit {
                item.scope.retain(|s| {
                    s.value != k
                        || s.source.local_default
                        || s.source.basis.iter().any(|b| set.document_governs(&b.doc, k))
                });
                // The obligation's basis for this kind: the item's texts that govern it, or else
                // the texts that extended the item to it (a village law never stands as a
                // community's basis).
                let governing: Vec<LegalBasis> =
                    item.basis.iter().filter(|b| set.document_governs(&b.doc, k)).cloned().collect();
                match (governing.is_empty(), item.scope.iter().find(|s| s.value == k)) {
                    (false, _) => item.basis = governing,
                    (true, Some(entry)) => item.basis = entry.source.basis.clone(),
                    (true, None) => {}
                }
            }
            // A community's board says 社区/居, not 村.
            // A community's board says 社区/居 (its source is settled just below).
            if unit == Some(UnitKind::Community) {
                if let Some(name) = item.community_name.clone() {
                    item.name = name;
                }
            }
            // For one kind of unit, what the item is (its name and kind) rests on a text that
            // governs that kind: where the defining text does not, on what extended it to them.
            if let Some(k) = unit {
                let entry = item.scope.iter().find(|s| s.value == k).map(|s| s.source.clone());
                let governs = |src: &Provenance| src.basis.iter().any(|b| set.document_governs(&b.doc, k));
                if let Some(entry) = entry {
                    if !governs(&item.name.source) && !item.name.source.local_default {
                        item.name.source = entry.clone();
                    }
                    if !governs(&item.kind.source) && !item.kind.source.local_default {
                        item.kind.source = entry;
                    }
                }
            }
            item.display = effective_display(&item, &params);
            item.within_days = effective_within(&item, &params);
            item
        })
        .collect();
    (items, params.into_values().collect())
}

fn apply_amendment(item: &mut ResolvedItem, am: &crate::rules::AmendmentDef, layer: &str) {
    let local = |f: ItemField| am.local_defaults.contains(&f);
    let b = &am.basis;
    if let Some(name) = &am.name {
        item.name = sourced(name.clone(), layer, b, false);
    }
    if let Some(name) = &am.community_name {
        item.community_name = Some(sourced(name.clone(), layer, b, false));
    }
    if let Some(c) = &am.cadence {
        item.cadence = sourced(c.clone(), layer, b, local(ItemField::Cadence));
    }
    if let Some(d) = am.within_days {
        item.within_days = Some(sourced(d, layer, b, local(ItemField::WithinDays)));
    }
    if let Some(d) = am.display {
        item.display = Some(sourced(d, layer, b, local(ItemField::Display)));
    }
    for c in &am.add_channels {
        if !item.channels.iter().any(|x| x.value == *c) {
            item.channels.push(sourced(*c, layer, b, local(ItemField::Channels)));
        }
    }
    crate::sort::sort_by_key(&mut item.channels, |c| c.value);
    for u in &am.add_scope {
        if !item.scope.iter().any(|x| x.value == *u) {
            item.scope.push(sourced(*u, layer, b, local(ItemField::Scope)));
        }
    }
    crate::sort::sort_by_key(&mut item.scope, |s| s.value);
    if let Some(f) = am.filed_with_township {
        item.filed_with_township = sourced(f, layer, b, local(ItemField::FiledWithTownship));
    }
    if am.adopt && item.force == Force::Advisory {
        item.force = Force::Adopted;
        item.adopted_by = Some(layer.to_string());
    }
    if let Some(note) = am.note.as_ref().filter(|n| !n.is_empty()) {
        item.notes.push(note.clone());
    }
}

fn describe_cadence(c: &[Cadence], within: Option<u32>) -> (String, String) {
    let zh: Vec<&str> = c.iter().map(|c| c.name_zh()).collect();
    let en: Vec<&str> = c.iter().map(|c| c.name_en()).collect();
    match within {
        Some(d) if c.iter().any(|c| c.is_event_driven()) => {
            (format!("{}（{d}日内）", zh.join("+")), format!("{} (within {d} days)", en.join(" + ")))
        }
        _ => (zh.join("+"), en.join(" + ")),
    }
}

fn check_amendment(
    set: &RuleSet,
    li: usize,
    ptr: &str,
    am: &crate::rules::AmendmentDef,
    item: &ResolvedItem,
    parent_params: &BTreeMap<String, ResolvedParameter>,
    found: &mut Vec<Diagnostic>,
) {
    let child_src = Provenance { layer: String::new(), basis: am.basis.clone(), local_default: false, parameter: None };
    let mut report =
        |field: ItemField, key: &str, child: (String, String), parent: (String, String), parent_src: &Provenance| {
            let parent_layer = set.layer_index(&parent_src.layer).unwrap_or(usize::MAX);
            let related = set.layers.get(parent_layer).map(|_| set.location(parent_layer, ""));
            let problem = RuleProblem::Loosened {
                item: item.id.clone(),
                field,
                child_zh: child.0,
                child_en: child.1,
                child_source: set.cite_basis(&child_src),
                parent_zh: parent.0,
                parent_en: parent.1,
                parent_layer: parent_src.layer.clone(),
                parent_source: set.cite_basis(parent_src),
            };
            found.push(layer_diagnostic(set, li, &format!("{ptr}/{key}"), problem, related));
        };
    let current_within = effective_within(item, parent_params);
    if let Some(new) = am.display {
        if let Some(current) = effective_display(item, parent_params) {
            if !new.at_least(&current.value) {
                let (child, parent) = (
                    (new.describe_zh(), new.describe_en()),
                    (current.value.describe_zh(), current.value.describe_en()),
                );
                report(ItemField::Display, "display", child, parent, &current.source);
            }
        }
    }
    if let Some(new) = &am.cadence {
        let new_within = am.within_days.or(current_within.as_ref().map(|w| w.value));
        let old_within = current_within.as_ref().map(|w| w.value);
        if !cadence_at_least_as_strict(new, new_within, &item.cadence.value, old_within) {
            let (child, parent) =
                (describe_cadence(new, new_within), describe_cadence(&item.cadence.value, old_within));
            report(ItemField::Cadence, "cadence", child, parent, &item.cadence.source);
        }
    } else if let (Some(new), Some(current)) = (am.within_days, &current_within) {
        if new > current.value {
            let child = (format!("{new}日内"), format!("within {new} days"));
            let parent = (format!("{}日内", current.value), format!("within {} days", current.value));
            report(ItemField::WithinDays, "within_days", child, parent, &current.source);
        }
    }
    if am.filed_with_township == Some(false) && item.filed_with_township.value {
        let src = item.filed_with_township.source.clone();
        let (child, parent) =
            (("不备案".into(), "not filed".into()), ("报乡镇备案".into(), "filed with the township".into()));
        report(ItemField::FiledWithTownship, "filed_with_township", child, parent, &src);
    }
}
