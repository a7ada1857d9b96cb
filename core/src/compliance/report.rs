//! Ranking and roll-ups: units ranked city-wide, and per township, district and city the counts
//! per finding type, grade counts and score distribution.
//!
//! Ranking is deterministic: higher score first; on equal scores, fewer charged findings, then
//! fewer findings of any kind, then unit id (byte order). Townships and districts are ranked by
//! mean score, then id. Scores are rounded half away from zero (四舍五入) to two decimals.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::evaluate::{Evaluator, UnitAssessment};
use super::records::Dataset;
use super::{FindingKind, Responsible};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::error::{ComplianceError, Error};
use crate::model::UnitKind;
use crate::rules::{RuleSet, ScoringSchemeDef};

/// How many units fell in one grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeCount {
    /// Grade id (`excellent`).
    pub grade: String,
    /// Grade name (`优秀`).
    pub name: String,
    /// Units.
    pub count: u32,
}

/// How many findings of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    /// The type.
    pub kind: FindingKind,
    /// Findings.
    pub count: u32,
    /// Units with at least one.
    pub units: u32,
}

/// The figures of one township, district, or the whole city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollUp {
    /// `city`, `district` or `township`.
    pub level: String,
    /// The district (for a township: `district/township`).
    pub id: String,
    /// The name.
    pub name: String,
    /// Units.
    pub units: u32,
    /// Villages among them.
    pub villages: u32,
    /// Communities among them.
    pub communities: u32,
    /// Villagers' groups (村民小组) among them.
    #[serde(default)]
    pub groups: u32,
    /// Obligations checked.
    pub obligations: u64,
    /// Checks that could not be dated.
    pub undetermined: u64,
    /// Mean score, two decimals (0 when there are no units).
    pub mean_score: Decimal,
    /// Lowest score.
    pub min_score: Decimal,
    /// Highest score.
    pub max_score: Decimal,
    /// Units per grade, best first.
    pub grades: Vec<GradeCount>,
    /// Findings per type (every type, zeros included), in [`FindingKind::ALL`] order.
    pub findings: Vec<KindCount>,
    /// Findings charged to each party (committee, township, district).
    pub by_responsible: BTreeMap<Responsible, u32>,
    /// Score distribution: units per tenth of full marks (`[0, 10%)`, …, `[90%, 100%]`).
    pub histogram: [u32; 10],
    /// Rank among its peers (1 = best); absent for the city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
}

/// A city-wide compliance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceReport {
    /// The year assessed (obligations due in it).
    pub year: i32,
    /// The assessment date.
    pub as_of: NaiveDate,
    /// The rules version.
    pub rules_version: String,
    /// The city-wide scoring scheme (districts may have their own; each unit names its scheme).
    pub scheme: ScoringSchemeDef,
    /// Records read.
    pub records: u64,
    /// The whole city.
    pub city: RollUp,
    /// Districts, ranked.
    pub districts: Vec<RollUp>,
    /// Townships, ranked.
    pub townships: Vec<RollUp>,
    /// Units, ranked (best first).
    pub units: Vec<UnitAssessment>,
    /// Districts for which the rules hold no district catalogue (the city-wide one applied).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub districts_without_catalogue: Vec<String>,
    /// Problems with the records (bad rows, unknown units, unmatched records, undated checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Diagnostic>,
    /// The title of every document the findings cite, by id (`《重庆市实施〈村民委员会组织法〉办法》`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents: BTreeMap<String, String>,
}

impl ComplianceReport {
    /// Whether any row was left out (an error among the problems).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }

    /// The worst `n` units, worst first.
    pub fn worst(&self, n: usize) -> impl Iterator<Item = &UnitAssessment> {
        self.units.iter().rev().take(n)
    }
}

/// Evaluated units not yet ranked or rolled up: what a worker process returns for its share of
/// a city (a district, say), to be combined with the others by [`roll_up_batches`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitBatch {
    /// The year assessed.
    pub year: i32,
    /// The assessment date.
    pub as_of: NaiveDate,
    /// Records read.
    pub records: u64,
    /// The units, in registry order.
    pub units: Vec<UnitAssessment>,
    /// Problems with the records of this batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Diagnostic>,
    /// Districts of this batch with no district catalogue in the rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub districts_without_catalogue: Vec<String>,
}

/// Evaluate and score every unit of `data` (no ranking, no roll-up).
///
/// ```
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{assess_batch, roll_up_batches, synth};
/// let rules = RuleSet::bundled().unwrap();
/// let city = synth::generate(&rules, &synth::SynthConfig::small(7)).unwrap();
/// let batch = assess_batch(&rules, &city.dataset, 2026, city.as_of).unwrap();
/// let report = roll_up_batches(&rules, vec![batch.clone(), batch]).unwrap();
/// assert_eq!(report.city.units as usize, 2 * city.dataset.units.len());
/// ```
pub fn assess_batch(rules: &RuleSet, data: &Dataset, year: i32, as_of: NaiveDate) -> Result<UnitBatch, Error> {
    let mut eval = Evaluator::new(rules, year, as_of);
    let units = eval.evaluate(data)?;
    // Nothing due by the assessment date (the first days of January) is no assessment: every
    // unit would score full marks with nothing checked.
    if !units.is_empty() && units.iter().all(|u| u.obligations == 0) {
        return Err(Error::Input(crate::error::InputError::InvalidRequest {
            pointer: "/as_of".into(),
            message: format!(
                "no obligation of {year} was due by {as_of}: there is nothing to assess (choose a later assessment date)"
            ),
        }));
    }
    let mut problems = data.problems.clone();
    // Records dated after the assessment date count as not yet made; the report says how many.
    let later = data.dated_after(as_of);
    if later > 0 {
        problems.push(Diagnostic {
            code: "COMPLIANCE_FUTURE_RECORD".into(),
            severity: Severity::Warning,
            message_zh: format!("{later}条记录的日期晚于评估日 {as_of}，按尚未发生处理，未计入评估"),
            message_en: format!(
                "{later} record(s) are dated after the assessment date {as_of}: counted as not yet made"
            ),
            hint_zh: Some("如评估日有误，请用 --as-of 指定；如日期录入有误，请更正记录".into()),
            hint_en: Some(
                "if the assessment date is wrong, give --as-of; if the dates are wrong, correct the records".into(),
            ),
            location: Location::at_pointer("/as_of"),
            related: Vec::new(),
        });
    }
    if let Some(undated) = eval.undated() {
        let count: u64 = units.iter().map(|u| u64::from(u.undetermined)).sum();
        problems.push(undated_problem(count, undated));
    }
    Ok(UnitBatch {
        year,
        as_of,
        records: u64::try_from(data.record_count()).unwrap_or(u64::MAX),
        units,
        problems,
        districts_without_catalogue: eval.districts_without_catalogue(),
    })
}

/// Rank and roll up batches assessed separately (same year and date; the first batch's are
/// used). An empty list gives `INPUT_INVALID_REQUEST`.
pub fn roll_up_batches(rules: &RuleSet, batches: Vec<UnitBatch>) -> Result<ComplianceReport, Error> {
    let Some(first) = batches.first() else {
        return Err(Error::Input(crate::error::InputError::InvalidRequest {
            pointer: "/batches".into(),
            message: "no batch to roll up".into(),
        }));
    };
    let (year, as_of) = (first.year, first.as_of);
    if let Some((i, b)) = batches.iter().enumerate().find(|(_, b)| (b.year, b.as_of) != (year, as_of)) {
        return Err(Error::Input(crate::error::InputError::InvalidRequest {
            pointer: format!("/batches/{i}"),
            message: format!("batch {i} assesses {} as of {}, not {year} as of {as_of}", b.year, b.as_of),
        }));
    }
    let mut units = Vec::new();
    let mut problems = Vec::new();
    let mut records = 0u64;
    let mut without = std::collections::BTreeSet::new();
    for b in batches {
        units.extend(b.units);
        problems.extend(b.problems);
        records = records.saturating_add(b.records);
        without.extend(b.districts_without_catalogue);
    }
    let mut report = roll_up(rules, year, as_of, units, problems)?;
    report.records = records;
    report.districts_without_catalogue = without.into_iter().collect();
    Ok(report)
}

/// Evaluate, score, rank and roll up every unit of `data` for `year`, as of `as_of`.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::{assess, synth};
/// let rules = RuleSet::bundled().unwrap();
/// let city = synth::generate(&rules, &synth::SynthConfig::small(7)).unwrap();
/// let report = assess(&rules, &city.dataset, 2026, city.as_of).unwrap();
/// assert_eq!(report.city.units as usize, city.dataset.units.len());
/// assert_eq!(report.units[0].rank, Some(1));
/// ```
pub fn assess(rules: &RuleSet, data: &Dataset, year: i32, as_of: NaiveDate) -> Result<ComplianceReport, Error> {
    roll_up_batches(rules, vec![assess_batch(rules, data, year, as_of)?])
}

/// The `COMPLIANCE_UNDATED` warning: `count` checks not made, and why.
pub fn undated_problem(count: u64, cause: &Diagnostic) -> Diagnostic {
    Diagnostic {
        code: "COMPLIANCE_UNDATED".into(),
        severity: Severity::Warning,
        message_zh: format!("{count}项检查的期限无法确定，未作判断：{}", cause.message_zh),
        message_en: format!(
            "{count} check(s) were not made because their deadline cannot be dated: {}",
            cause.message_en
        ),
        hint_zh: cause.hint_zh.clone(),
        hint_en: cause.hint_en.clone(),
        location: Location::default(),
        related: Vec::new(),
    }
}

/// Rank units and roll them up: the second half of [`assess`], for assessments made elsewhere
/// (worker processes, one per district) and gathered. `problems` are carried into the report,
/// followed by every unit's own.
pub fn roll_up(
    rules: &RuleSet,
    year: i32,
    as_of: NaiveDate,
    mut units: Vec<UnitAssessment>,
    mut problems: Vec<Diagnostic>,
) -> Result<ComplianceReport, Error> {
    let scheme = rules.scoring_scheme(as_of, None).ok_or(ComplianceError::NoScheme { date: as_of })?.clone();
    crate::sort::sort_by(&mut units, |a, b| {
        b.score
            .points
            .cmp(&a.score.points)
            .then(a.score.charged.cmp(&b.score.charged))
            .then(a.findings.len().cmp(&b.findings.len()))
            .then_with(|| a.unit.id.cmp(&b.unit.id))
    });
    for (i, u) in units.iter_mut().enumerate() {
        u.rank = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
        problems.extend(u.problems.iter().cloned());
    }
    let full = scheme.full_marks.0;
    let grade_order: Vec<(String, String)> = scheme.grades.iter().map(|g| (g.id.clone(), g.name.clone())).collect();
    let city = summarize("city", "city", "全市", units.iter(), full, &grade_order, None);
    let mut by_district: BTreeMap<&str, Vec<&UnitAssessment>> = BTreeMap::new();
    let mut by_township: BTreeMap<(&str, &str), Vec<&UnitAssessment>> = BTreeMap::new();
    for u in &units {
        by_district.entry(u.unit.district.as_str()).or_default().push(u);
        by_township.entry((u.unit.district.as_str(), u.unit.township.as_str())).or_default().push(u);
    }
    let mut districts: Vec<RollUp> = by_district
        .iter()
        .map(|(d, us)| summarize("district", d, d, us.iter().copied(), full, &grade_order, None))
        .collect();
    let mut townships: Vec<RollUp> = by_township
        .iter()
        .map(|((d, t), us)| summarize("township", &format!("{d}/{t}"), t, us.iter().copied(), full, &grade_order, None))
        .collect();
    rank(&mut districts);
    rank(&mut townships);
    let mut documents = BTreeMap::new();
    let cited = units
        .iter()
        .flat_map(|u| u.findings.iter())
        .flat_map(|f| f.explanation.basis.iter().chain(f.explanation.parameter_basis.iter()).map(|b| b.doc.as_str()));
    for id in cited.chain(scheme.basis.iter().map(|b| b.doc.as_str())) {
        if !documents.contains_key(id) {
            if let Some(doc) = rules.document(id) {
                documents.insert(id.to_string(), doc.citation());
            }
        }
    }
    Ok(ComplianceReport {
        year,
        as_of,
        rules_version: rules.version().to_string(),
        scheme,
        records: 0,
        city,
        districts,
        townships,
        units,
        districts_without_catalogue: Vec::new(),
        problems,
        documents,
    })
}

fn rank(rollups: &mut [RollUp]) {
    crate::sort::sort_by(rollups, |a, b| b.mean_score.cmp(&a.mean_score).then_with(|| a.id.cmp(&b.id)));
    for (i, r) in rollups.iter_mut().enumerate() {
        r.rank = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
    }
}

fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn summarize<'a>(
    level: &str,
    id: &str,
    name: &str,
    units: impl Iterator<Item = &'a UnitAssessment>,
    full: Decimal,
    grade_order: &[(String, String)],
    rank: Option<u32>,
) -> RollUp {
    let mut r = RollUp {
        level: level.into(),
        id: id.into(),
        name: name.into(),
        units: 0,
        villages: 0,
        groups: 0,
        communities: 0,
        obligations: 0,
        undetermined: 0,
        mean_score: Decimal::ZERO,
        min_score: Decimal::ZERO,
        max_score: Decimal::ZERO,
        grades: grade_order.iter().map(|(g, n)| GradeCount { grade: g.clone(), name: n.clone(), count: 0 }).collect(),
        findings: FindingKind::ALL.iter().map(|k| KindCount { kind: *k, count: 0, units: 0 }).collect(),
        by_responsible: BTreeMap::new(),
        histogram: [0; 10],
        rank,
    };
    let mut total = Decimal::ZERO;
    let (mut min, mut max): (Option<Decimal>, Option<Decimal>) = (None, None);
    let mut kinds_seen = [false; FindingKind::ALL.len()];
    for u in units {
        r.units += 1;
        match u.unit.kind {
            UnitKind::Village => r.villages += 1,
            UnitKind::Community => r.communities += 1,
            UnitKind::Group => r.groups += 1,
        }
        r.obligations += u64::from(u.obligations);
        r.undetermined += u64::from(u.undetermined);
        let p = u.score.points;
        total = total.checked_add(p).unwrap_or(Decimal::MAX);
        min = Some(min.map_or(p, |m| m.min(p)));
        max = Some(max.map_or(p, |m| m.max(p)));
        match r.grades.iter_mut().find(|g| g.grade == u.score.grade) {
            Some(g) => g.count += 1,
            None => {
                r.grades.push(GradeCount { grade: u.score.grade.clone(), name: u.score.grade_zh.clone(), count: 1 })
            }
        }
        kinds_seen = [false; FindingKind::ALL.len()];
        for f in &u.findings {
            if let Some(i) = FindingKind::ALL.iter().position(|k| *k == f.kind) {
                if let Some(c) = r.findings.get_mut(i) {
                    c.count += 1;
                    if !kinds_seen.get(i).copied().unwrap_or(true) {
                        c.units += 1;
                    }
                }
                if let Some(seen) = kinds_seen.get_mut(i) {
                    *seen = true;
                }
            }
            *r.by_responsible.entry(f.responsible).or_default() += 1;
        }
        let bin = if full.is_zero() {
            9
        } else {
            use rust_decimal::prelude::ToPrimitive;
            (p * Decimal::TEN / full).floor().to_usize().unwrap_or(0).min(9)
        };
        if let Some(h) = r.histogram.get_mut(bin) {
            *h += 1;
        }
    }
    let _ = kinds_seen;
    if r.units > 0 {
        r.mean_score = round(total / Decimal::from(r.units));
    }
    r.min_score = min.unwrap_or_default();
    r.max_score = max.unwrap_or_default();
    r
}
