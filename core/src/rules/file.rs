//! The rule file format: what a maintainer writes in `rules/**/*.toml`.
//!
//! These types are the single source of `rules/schema/rule-file.schema.json` (generated with
//! schemars), so an editor can check a file while it is typed. Every table rejects unknown keys.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::model::{AffairKind, Cadence, Channel, DisplayPeriod, DocumentKind, Jurisdiction, LegalBasis, UnitKind};

/// A calendar date in a rule file: a TOML date (`2013-11-01`) or an ISO string (`"2013-11-01"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[schemars(transparent)]
pub struct RuleDate(pub NaiveDate);

impl<'de> Deserialize<'de> for RuleDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[cfg(feature = "toml")]
        let text = {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Raw {
                Toml(toml::value::Datetime),
                Text(String),
            }
            match Raw::deserialize(deserializer)? {
                Raw::Toml(dt) => {
                    return match (dt.date, dt.time, dt.offset) {
                        (Some(d), None, None) => date_from_parts(d.year, d.month, d.day).map(RuleDate),
                        _ => Err(serde::de::Error::custom(format!("expected a date like 2026-01-15, found `{dt}`"))),
                    };
                }
                Raw::Text(s) => s,
            }
        };
        // Compiled (JSON) rule files carry dates as ISO strings.
        #[cfg(not(feature = "toml"))]
        let text = String::deserialize(deserializer)?;
        crate::model::parse_date_leniently(&text)
            .map(RuleDate)
            .map_err(|_| serde::de::Error::custom(format!("expected a date like 2026-01-15, found `{text}`")))
    }
}

#[cfg(feature = "toml")]
fn date_from_parts<E: serde::de::Error>(y: u16, m: u8, d: u8) -> Result<NaiveDate, E> {
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
        .ok_or_else(|| E::custom(format!("`{y:04}-{m:02}-{d:02}` is not a calendar date")))
}

/// One rule file. Any file may declare documents; a file with items, amendments or parameters
/// must declare the layer they belong to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cunwu rule file")]
pub struct RuleFile {
    /// Legal and policy documents that bases cite by id.
    #[serde(default)]
    pub documents: Vec<DocumentDef>,
    /// The layer this file defines.
    #[serde(default)]
    pub layer: Option<LayerDef>,
    /// Disclosure items (公开事项) this layer adds.
    #[serde(default)]
    pub items: Vec<ItemDef>,
    /// Changes this layer makes to items of its ancestors; they may only tighten.
    #[serde(default)]
    pub amendments: Vec<AmendmentDef>,
    /// Numeric and policy parameters this layer defines or overrides, as dated values.
    #[serde(default)]
    pub parameters: Vec<ParameterDef>,
    /// The year whose official holiday notice this file encodes (`rules/calendar/<year>.toml`).
    #[serde(default)]
    pub calendar: Option<CalendarYearDef>,
    /// The holiday breaks of that year's notice.
    #[serde(default)]
    pub breaks: Vec<BreakDef>,
    /// How many statutory days each festival has, by the version of the holiday law.
    #[serde(default)]
    pub festival_rules: Vec<FestivalRuleDef>,
    /// Settings of the calendar data as a whole.
    #[serde(default)]
    pub calendar_settings: Option<CalendarSettingsDef>,
    /// What a submission of each family must contain.
    #[serde(default)]
    pub families: Vec<FamilyDef>,
    /// Quantitative assessment schemes (考评办法): points per finding, caps, grade bands.
    #[serde(default)]
    pub scoring: Vec<ScoringSchemeDef>,
    /// The document whose clause texts this file holds (`rules/sources/<doc>.toml`).
    #[serde(default)]
    pub source_text: Option<SourceTextDef>,
    /// Clause texts of the document named in `source_text`, so every citation can be checked.
    #[serde(default)]
    pub clauses: Vec<ClauseDef>,
}

/// How the clause texts of one document are held: the exact text, or a faithful summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    /// 原文 — the exact text of the document.
    Verbatim,
    /// 摘要 — a faithful summary; the exact text is not held here.
    Summary,
}

/// The header of a source-text file: which document, how its text is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceTextDef {
    /// The document id, as declared in a `[[documents]]` table.
    pub doc: String,
    /// Verbatim or summary, for every clause that does not say otherwise.
    pub status: TextStatus,
    /// Where the text comes from, what is missing (Chinese).
    #[serde(default)]
    pub note: Option<String>,
}

/// One clause of a document: its id as cited (`第三十条`, `一(二)二`) and its text.
///
/// A citation `第二十七条第（九）项` is checked against the clause `第二十七条`: a basis names a
/// clause when its `article` equals a clause id or starts with one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseDef {
    /// The clause id as cited.
    pub id: String,
    /// Verbatim or summary, when it differs from the file's.
    #[serde(default)]
    pub status: Option<TextStatus>,
    /// The text (left out of the browser package's bundled rules, which keep the ids only).
    #[serde(default)]
    pub text: Option<String>,
}

/// A number of points in a scoring scheme: a TOML integer (`5`) or a decimal string (`"0.5"`).
/// TOML floats are refused, so no score is ever computed in binary floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[schemars(transparent)]
pub struct Points(#[schemars(with = "PointsSchema")] pub rust_decimal::Decimal);

/// The JSON Schema shape of [`Points`].
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
enum PointsSchema {
    Integer(#[schemars(range(max = 10000))] u32),
    Decimal(#[schemars(regex(pattern = r"^\d{1,5}(\.\d{1,2})?$"))] String),
}

/// The largest number of points a scheme may state (full marks, a deduction, a cap): far above
/// any real 考评办法 (100 marks), and low enough that no sum of deductions over a city's findings
/// can leave the exact decimal range.
pub const POINTS_MAX: u32 = 10_000;

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: serde reads untagged enums through its
        // buffered `Content` path, which would be carried by the browser package for this alone.
        struct PointsVisitor;
        impl serde::de::Visitor<'_> for PointsVisitor {
            type Value = rust_decimal::Decimal;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("points like 5 or \"0.5\"")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Ok(n.into())
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(n.into())
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Self::Value, E> {
                Err(E::custom(format!("write fractional points as a string (\"{f}\"), so they stay exact")))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                s.trim()
                    .parse::<rust_decimal::Decimal>()
                    .map_err(|_| E::custom(format!("expected points like 5 or \"0.5\", found `{s}`")))
            }
        }
        let value = deserializer.deserialize_any(PointsVisitor)?;
        if value.is_sign_negative() {
            return Err(serde::de::Error::custom(format!("points cannot be negative, found {value}")));
        }
        if value > rust_decimal::Decimal::from(POINTS_MAX) {
            return Err(serde::de::Error::custom(format!("points may not exceed {POINTS_MAX}, found {value}")));
        }
        if value.normalize().scale() > 2 {
            return Err(serde::de::Error::custom(format!("points have at most two decimals, found {value}")));
        }
        Ok(Points(value))
    }
}

/// A quantitative assessment scheme (考评办法) for the disclosure work of villages and
/// communities, in force on a range of dates, for the whole city or one district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringSchemeDef {
    /// Stable id (`cq-assessment-default`).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// First day in force.
    pub from: RuleDate,
    /// Last day in force (open-ended if absent).
    #[serde(default)]
    pub until: Option<RuleDate>,
    /// The district whose scheme this is (id as in its catalogue layer); absent: city-wide.
    #[serde(default)]
    pub district: Option<String>,
    /// The score a unit with no findings gets (满分).
    pub full_marks: Points,
    /// Whose findings lower a unit's score: `committee` (the unit's own bodies), `township`,
    /// `district`. Findings charged to others are still counted in the roll-ups.
    pub charged: Vec<crate::compliance::Responsible>,
    /// Points deducted per finding type.
    pub deductions: Vec<DeductionDef>,
    /// Grade bands (等次), from the best down; the last must start at 0.
    pub grades: Vec<GradeDef>,
    /// Legal basis; required unless `local_default = true`.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// The values are a configurable local default (no source fixes them).
    #[serde(default)]
    pub local_default: bool,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// Points deducted for one type of finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeductionDef {
    /// The finding type.
    pub finding: crate::compliance::FindingKind,
    /// Points per finding.
    pub points: Points,
    /// Further points per day late or short (for findings measured in days).
    #[serde(default)]
    pub per_day: Option<Points>,
    /// The most this finding type can deduct from one unit in one assessment.
    #[serde(default)]
    pub cap: Option<Points>,
}

/// One grade band: units scoring at least `min` (and less than the band above) get `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeDef {
    /// Chinese name (`优秀`).
    pub name: String,
    /// English name (`excellent`), used in CSV and JSON keys.
    pub id: String,
    /// The lowest score in the band.
    pub min: Points,
}

/// The required fields of a submission family, with their basis.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyDef {
    /// The family.
    pub id: crate::validation::Family,
    /// Chinese name.
    pub name: String,
    /// Required payload fields, as paths (`opening_balance`, `income/*/voucher`).
    pub required: Vec<String>,
    /// Legal basis; required unless `local_default = true`.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// The list is a configurable local default.
    #[serde(default)]
    pub local_default: bool,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// One year's official holiday schedule (国务院办公厅关于部分节假日安排的通知).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarYearDef {
    /// The notice year.
    pub year: i32,
    /// The notice URL(s), the first being the main notice.
    pub notices: Vec<String>,
    /// Anything a reader should know (later adjustments).
    #[serde(default)]
    pub note: Option<String>,
}

/// One holiday break: the days off, which of them are statutory, and the make-up working days.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakDef {
    /// Name as in the notice (`国庆节、中秋节`).
    pub name: String,
    /// Statutory holiday days (法定节假日) by festival name.
    pub statutory: std::collections::BTreeMap<String, Vec<RuleDate>>,
    /// Every day off of the break (statutory days, weekends, days moved by 调休).
    pub off: Vec<RuleDate>,
    /// Weekend days made working days (调休上班).
    #[serde(default)]
    pub workdays: Vec<RuleDate>,
}

/// The statutory days of each festival under one version of the 全国年节及纪念日放假办法.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FestivalRuleDef {
    /// First notice year this version governs.
    pub from_year: i32,
    /// Last notice year it governs; open-ended when absent.
    #[serde(default)]
    pub until_year: Option<i32>,
    /// Days per festival (`{ "春节" = 4 }`).
    pub days: std::collections::BTreeMap<String, u32>,
    /// Legal basis.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// Settings of the calendar data.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettingsDef {
    /// Day of December from which days of the last year with data count as beyond the horizon,
    /// because the next year's notice may still change them.
    pub next_notice_reaches_back_to: u32,
    /// The value is a configurable local default.
    #[serde(default)]
    pub local_default: bool,
    /// Legal basis, if any.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// Why this value.
    #[serde(default)]
    pub note: Option<String>,
}

/// A legal or policy document (法律法规、政策文件) that rule values cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    /// Stable id used in `basis = [{ doc = "…" }]`.
    pub id: String,
    /// Full title (`重庆市实施《中华人民共和国村民委员会组织法》办法`).
    pub title: String,
    /// The short title people cite it by (`重庆市实施〈村民委员会组织法〉办法`), shown in every
    /// message, explanation, report, form and calendar; the full title when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
    /// Issuing body.
    pub issuer: String,
    /// Document number or announcement (`渝委办发〔2015〕6号`).
    #[serde(default)]
    pub number: Option<String>,
    /// Date adopted or issued, where known.
    #[serde(default)]
    pub issued: Option<RuleDate>,
    /// Date in force, where known.
    #[serde(default)]
    pub in_force: Option<RuleDate>,
    /// Where the text can be read.
    #[serde(default)]
    pub url: Option<String>,
    /// Jurisdiction tag of BRIEF.md (`NAT`, `CQ-L`, `CQ-P`, `LOCAL`, `PROV:SH`), for people.
    #[serde(default)]
    pub tag: Option<String>,
    /// How far its text reaches: `national`, `province`, `district` or `none`.
    pub jurisdiction: Jurisdiction,
    /// For a province or district text: which one (`重庆市`, `南岸区`); a district text also binds
    /// only a district layer of that name or id.
    #[serde(default)]
    pub region: Option<String>,
    /// What sort of text it is; a `sample` never binds.
    pub kind: DocumentKind,
    /// The unit kinds whose disclosure the text governs (`["village", "group"]` for the village
    /// committees law): a value resting on it never reaches another kind of unit.
    pub governs: Vec<UnitKind>,
    /// Last day in force (repealed or replaced), where known.
    #[serde(default)]
    pub until: Option<RuleDate>,
    /// Anything a reader should know: how far the text was verified, what is missing.
    #[serde(default)]
    pub note: Option<String>,
}

impl DocumentDef {
    /// How messages cite it: `《short title》` (a title inside it in 〈〉, as a title inside a
    /// title is written).
    ///
    /// ```
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let doc = rules.document("cq-village-measures-2013").unwrap();
    /// assert_eq!(doc.citation(), "《重庆市实施〈村民委员会组织法〉办法》");
    /// ```
    pub fn citation(&self) -> String {
        let title = self.short_title.as_deref().unwrap_or(&self.title);
        let inner = title.trim_matches(['《', '》']).replace('《', "〈").replace('》', "〉");
        format!("《{inner}》")
    }
}

impl DocumentDef {
    /// Where the document binds, for people: `全国`, its region (`重庆市`, `南岸区`), or `无`.
    ///
    /// ```
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// assert_eq!(rules.document("cq-village-measures-2013").unwrap().place_zh(), "重庆市");
    /// assert_eq!(rules.document("cn-civil-code").unwrap().place_zh(), "全国");
    /// ```
    pub fn place_zh(&self) -> String {
        match self.jurisdiction {
            Jurisdiction::National => "全国".into(),
            Jurisdiction::None => "无".into(),
            Jurisdiction::Province | Jurisdiction::District => self.region.clone().unwrap_or_default(),
        }
    }
}

/// The level of a layer; a child layer is always at a lower level than its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LayerLevel {
    /// National law and central documents.
    National,
    /// A province-level statute (Chongqing's 2013 implementing measures).
    CityStatute,
    /// Province-level policy (Chongqing's 2015 opinions as stated in the 2018 reply).
    CityPolicy,
    /// A district's (区县) catalogue for a year [CQ-L art. 27].
    District,
}

/// The header of a layer file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerDef {
    /// Stable id (`cq-statute-2013`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// The level of this layer.
    pub level: LayerLevel,
    /// Id of the parent layer; only a national layer has none.
    #[serde(default)]
    pub parent: Option<String>,
    /// First day in force.
    pub effective_from: RuleDate,
    /// Last day in force (inclusive); open-ended when absent.
    #[serde(default)]
    pub effective_until: Option<RuleDate>,
    /// Id of the document this layer encodes.
    pub source: String,
    /// For a district layer: the district it applies to.
    #[serde(default)]
    pub district: Option<DistrictDef>,
    /// Marks example data that is not a real catalogue.
    #[serde(default)]
    pub illustrative: bool,
    /// Remarks for maintainers.
    #[serde(default)]
    pub note: Option<String>,
}

/// A district (区县).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DistrictDef {
    /// Administrative division code or another stable id (`500108`).
    pub id: String,
    /// Name (`南岸区`).
    pub name: String,
}

/// A field of an item whose value no source fixes: a configurable local default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemField {
    /// The kind (党务/政务/财务/服务).
    Kind,
    /// The unit kinds it applies to.
    Scope,
    /// The cadence.
    Cadence,
    /// The event-driven deadline.
    WithinDays,
    /// The minimum display.
    Display,
    /// The channels.
    Channels,
    /// Whether it is filed with the township.
    FiledWithTownship,
}

impl std::fmt::Display for ItemField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ItemField::Kind => "kind",
            ItemField::Scope => "scope",
            ItemField::Cadence => "cadence",
            ItemField::WithinDays => "within_days",
            ItemField::Display => "display",
            ItemField::Channels => "channels",
            ItemField::FiledWithTownship => "filed_with_township",
        })
    }
}

/// A disclosure item (公开事项) as a layer defines it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Stable id (`finance.income-expenditure`).
    pub id: String,
    /// Chinese name as used on the board.
    pub name: String,
    /// The name on a community's board (社区/居), where the name speaks of a village (村民、
    /// 村集体…): a community's answers show it instead of `name`.
    #[serde(default)]
    pub community_name: Option<String>,
    /// 党务 / 政务 / 财务 / 服务.
    pub kind: AffairKind,
    /// Units that must disclose it.
    pub scope: Vec<UnitKind>,
    /// When it is disclosed; several cadences may apply (`["ad_hoc", "quarterly"]`).
    pub cadence: Vec<Cadence>,
    /// For event-driven cadences: days after the event. When absent, the parameter
    /// `disclosure.ad_hoc_within_days` applies.
    #[serde(default)]
    pub within_days: Option<u32>,
    /// Minimum display. When absent, the parameter `display.minimum_days` applies.
    #[serde(default)]
    pub display: Option<DisplayPeriod>,
    /// Channels required for this item (layers below may add more, never remove).
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Whether the disclosure is filed with the township (报乡镇(街道)备案).
    #[serde(default)]
    pub filed_with_township: Option<bool>,
    /// Who must publish it (default `committee`): the township publishes the 低保 and social
    /// assistance 公示 on the village's or community's board, and its lapses are charged to it.
    #[serde(default)]
    pub responsible: Option<crate::compliance::Responsible>,
    /// The shape of a submission for this item (default `notice`).
    #[serde(default)]
    pub family: Option<crate::validation::Family>,
    /// Payload fields this item requires beyond its family's (`["entries/*/relation_to_cadre"]`).
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// Legal basis of the obligation; required.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// Fields whose values no source fixes (configurable local defaults); explain in `note`.
    #[serde(default)]
    pub local_defaults: Vec<ItemField>,
    /// Unit kinds of `scope` that the basis reaches only on a reading (解读适用范围, a local
    /// default for those kinds alone): the 2018 reply's “村干部” read as including community
    /// cadres. Each must be in `scope`; explain in `note`.
    #[serde(default)]
    pub scope_by_reading: Vec<UnitKind>,
    /// The item rests on no text that binds this layer's units (another province's law, a sample,
    /// practice): a recommendation (建议公开), listed but never judged unless a district adopts it.
    /// The lint requires it exactly when no basis binds.
    #[serde(default)]
    pub advisory: bool,
    /// Event-driven items whose deadline comes before the event (`评议十日前公布`): days before.
    #[serde(default)]
    pub before_days: Option<u32>,
    /// First day in force, if later than the layer's.
    #[serde(default)]
    pub from: Option<RuleDate>,
    /// Last day in force, if earlier than the layer's.
    #[serde(default)]
    pub until: Option<RuleDate>,
    /// Remarks: what the source says, what was inferred.
    #[serde(default)]
    pub note: Option<String>,
}

/// Which items an amendment changes: exactly one of `items`, `kinds` or `all`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentDef {
    /// These items, by id.
    #[serde(default)]
    pub items: Vec<String>,
    /// Every inherited item of these kinds.
    #[serde(default)]
    pub kinds: Vec<AffairKind>,
    /// Every inherited item.
    #[serde(default)]
    pub all: bool,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New name on a community's board (社区/居).
    #[serde(default)]
    pub community_name: Option<String>,
    /// New cadence; must keep every obligation of the old one.
    #[serde(default)]
    pub cadence: Option<Vec<Cadence>>,
    /// New event-driven deadline; may only shorten.
    #[serde(default)]
    pub within_days: Option<u32>,
    /// New minimum display; may only lengthen.
    #[serde(default)]
    pub display: Option<DisplayPeriod>,
    /// Channels added.
    #[serde(default)]
    pub add_channels: Vec<Channel>,
    /// Unit kinds added.
    #[serde(default)]
    pub add_scope: Vec<UnitKind>,
    /// Filing with the township; may only become `true`.
    #[serde(default)]
    pub filed_with_township: Option<bool>,
    /// A district layer makes advisory items binding in its district (采纳), citing its own
    /// catalogue; only a district layer may adopt.
    #[serde(default)]
    pub adopt: bool,
    /// Legal basis of the change; required.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// Fields this amendment sets that no source fixes.
    #[serde(default)]
    pub local_defaults: Vec<ItemField>,
    /// First day in force, if later than the layer's.
    #[serde(default)]
    pub from: Option<RuleDate>,
    /// Last day in force, if earlier than the layer's.
    #[serde(default)]
    pub until: Option<RuleDate>,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a parameter measures, which fixes the type of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParameterKind {
    /// A number of calendar days (an integer ≥ 0).
    Days,
    /// A number of months.
    Months,
    /// A day of the month, 1–31.
    DayOfMonth,
    /// A fraction written `"1/10"`.
    Ratio,
    /// `true` or `false`.
    Flag,
    /// One of the strings listed in `choices`.
    Choice,
    /// A list of strings (`["benefit_cancelled", "fined"]`).
    List,
}

/// Which direction of change makes a parameter stricter; a lower layer may only move that way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tighter {
    /// Smaller is stricter (a deadline).
    Lower,
    /// Larger is stricter (a minimum display); for a list, more entries (a lower layer may add,
    /// never remove: the 十公开 relative circle).
    Higher,
    /// Any value may be set by a lower layer (a policy choice).
    None,
}

/// A parameter, or a lower layer's override of an ancestor's parameter (then only `id` and
/// `values` are given).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterDef {
    /// Stable id (`filing.deadline_days`).
    pub id: String,
    /// Chinese description; required when the parameter is defined, not when overridden.
    #[serde(default)]
    pub name: Option<String>,
    /// Type of the values; required when defined.
    #[serde(default)]
    pub kind: Option<ParameterKind>,
    /// Direction of tightening; required when defined.
    #[serde(default)]
    pub tighter: Option<Tighter>,
    /// Allowed values of a `choice` parameter.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Dated values: each applies from its `from` until the next value's `from`, or its own `until`.
    pub values: Vec<ParameterValueDef>,
}

/// One dated value of a parameter.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterValueDef {
    /// First day the value applies.
    pub from: RuleDate,
    /// Last day it applies (inclusive), if it ends before the next value.
    #[serde(default)]
    pub until: Option<RuleDate>,
    /// The value: an integer, a boolean or a string, as the parameter's kind requires.
    pub value: RawParamValue,
    /// Legal basis; required unless `local_default = true`.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// The value is a configurable local default that no source fixes; say why in `note`.
    #[serde(default)]
    pub local_default: bool,
    /// The unit kinds the value applies to (absent: every kind its sources govern). A value
    /// applies to a kind only if it is a local default or one of its sources governs that kind.
    #[serde(default)]
    pub scope: Vec<UnitKind>,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// A parameter value as written in a file, before it is checked against the parameter's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RawParamValue {
    /// An integer.
    Integer(i64),
    /// A boolean.
    Flag(bool),
    /// A string (a ratio `"1/10"` or a choice).
    Text(String),
    /// A list of strings.
    List(Vec<String>),
}

/// Read by a visitor rather than as an untagged enum (serde's buffered `Content` path, which the
/// browser package would carry for this alone); the same values are accepted.
impl<'de> Deserialize<'de> for RawParamValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> serde::de::Visitor<'de> for RawVisitor {
            type Value = RawParamValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer, a boolean, a string or a list of strings")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Ok(RawParamValue::Integer(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
                i64::try_from(n)
                    .map(RawParamValue::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(RawParamValue::Flag(b))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(RawParamValue::Text(s.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(RawParamValue::Text(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    list.push(item);
                }
                Ok(RawParamValue::List(list))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}
