//! A synthetic city for tests and benchmarks: a registry at any scale (Chongqing: 8,090 villages
//! and 3,055 communities in 38 districts and about 1,000 townships), each unit's records for a
//! year, violations injected at configurable rates, and the ground truth — the list of every
//! violation injected — so a test can prove the evaluator finds exactly those.
//!
//! Generation is deterministic for a seed (ChaCha8). Rates are in basis points (1/10,000). The
//! records that are not violations are made compliant with a margin drawn at random: posted on
//! or before the due day, displayed at least the minimum, filed and reviewed in time.
//!
//! Dates are computed with the same deadline rules the evaluator applies (the rules in force),
//! so the generator tests the evaluator's bookkeeping; the deadline arithmetic itself is checked
//! by the conformance corpus against independently computed dates.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::FindingKind;
use super::evaluate::{Evaluator, Finding, Rule};
use super::records::{
    BenefitRow, Dataset, Disclosure, EventRow, ObjectionRow, Origin, PeriodKey, ReplyOutcome, ReplyRow, Rows,
    SubjectKind, UnitRow,
};
use crate::error::Error;
use crate::model::{DisplayPeriod, UnitKind};
use crate::objection::{Aspect, Level, ObjectorKind, Subject, reply_rule_for};
use crate::procedure::DeadlineRule;
use crate::rules::RuleSet;

/// Violation rates, in basis points (per 10,000 chances).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates {
    /// Of obligations due: not posted.
    pub missing: u32,
    /// Of obligations posted: posted late.
    pub late: u32,
    /// Of postings with a minimum display: taken down early.
    pub display_short: u32,
    /// Of villages: divided into two to four areas, each with its board (分片公开).
    pub areas: u32,
    /// Of postings of a village divided into areas: put up on fewer boards than it has areas.
    pub too_few_boards: u32,
    /// Of postings to file: never filed.
    pub not_filed: u32,
    /// Of postings to file: filed late.
    pub filed_late: u32,
    /// Of filings: review overdue.
    pub review_overdue: u32,
    /// Of objection levels: reply overdue.
    pub reply_overdue: u32,
    /// Of re-publications required: not made in time.
    pub not_republished: u32,
    /// Of cadre-relative benefits: not disclosed.
    pub benefit_undisclosed: u32,
    /// Of reviews: rectification ordered.
    pub rectify: u32,
    /// Of units: an objection filed during the year.
    pub objection: u32,
    /// Of objections answered at a level: rejected and escalated to the next level.
    pub escalate: u32,
    /// Of villages: an ad hoc event (a land compensation) during the year.
    pub event: u32,
}

impl Default for Rates {
    /// Illustrative rates (no source: synthetic data only).
    fn default() -> Self {
        Rates {
            missing: 150,
            late: 300,
            display_short: 100,
            areas: 2000,
            too_few_boards: 500,
            not_filed: 100,
            filed_late: 150,
            review_overdue: 200,
            reply_overdue: 1500,
            not_republished: 1500,
            benefit_undisclosed: 1000,
            rectify: 200,
            objection: 3000,
            escalate: 3000,
            event: 2000,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthConfig {
    /// The seed.
    pub seed: u64,
    /// The year of the records.
    pub year: i32,
    /// The assessment date (records after it are not generated).
    pub as_of: NaiveDate,
    /// Villages.
    pub villages: u32,
    /// Communities.
    pub communities: u32,
    /// Districts.
    pub districts: u32,
    /// Townships (spread over the districts).
    pub townships: u32,
    /// Violation rates.
    pub rates: Rates,
    /// Also keep the records as rows (to write files); off for benchmarks.
    pub keep_rows: bool,
}

impl SynthConfig {
    /// Chongqing's size: 8,090 villages, 3,055 communities, 38 districts, 1,000 townships; the
    /// year 2026 assessed as of 2026-12-24 (the last day of the 2026 holiday data).
    pub fn chongqing(seed: u64) -> Self {
        SynthConfig {
            seed,
            year: 2026,
            as_of: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or(NaiveDate::MIN),
            villages: 8090,
            communities: 3055,
            districts: 38,
            townships: 1000,
            rates: Rates::default(),
            keep_rows: false,
        }
    }

    /// Chongqing's size times `factor` (districts stay 38 up to 16×... and grow with the factor
    /// beyond, as a country's provinces would).
    pub fn scaled(seed: u64, factor: u32) -> Self {
        let base = SynthConfig::chongqing(seed);
        SynthConfig {
            villages: base.villages * factor,
            communities: base.communities * factor,
            districts: base.districts * factor,
            townships: base.townships * factor,
            ..base
        }
    }

    /// A small city for examples and tests: 2 districts, 4 townships, 12 villages, 6 communities.
    pub fn small(seed: u64) -> Self {
        SynthConfig {
            villages: 12,
            communities: 6,
            districts: 2,
            townships: 4,
            keep_rows: true,
            ..SynthConfig::chongqing(seed)
        }
    }
}

/// One injected violation: what the evaluator must find.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Violation {
    /// Unit id.
    pub unit: String,
    /// The finding type.
    pub kind: FindingKind,
    /// Item id.
    pub item: Option<String>,
    /// Period label (benefits: the grant date).
    pub period: Option<String>,
    /// Objection id.
    pub objection: Option<String>,
}

impl Violation {
    /// The violation a finding of `unit` corresponds to, to compare with the ground truth.
    pub fn of_finding(unit: &str, f: &Finding) -> Violation {
        let item = if f.kind == FindingKind::BenefitUndisclosed { None } else { f.item.as_deref().map(str::to_string) };
        Violation { unit: unit.into(), kind: f.kind, item, period: f.period.clone(), objection: f.objection.clone() }
    }
}

/// A generated city.
#[derive(Debug, Clone)]
pub struct SyntheticCity {
    /// The configuration.
    pub config: SynthConfig,
    /// The assessment date.
    pub as_of: NaiveDate,
    /// The records, indexed.
    pub dataset: Dataset,
    /// The records as rows (when `keep_rows`).
    pub rows: Option<Rows>,
    /// Every violation injected, sorted.
    pub truth: Vec<Violation>,
}

/// Chongqing's 38 districts and counties (names only; the catalogue applied is the city-wide one
/// unless the rules hold a district catalogue of that name).
const DISTRICTS: [&str; 38] = [
    "万州区",
    "黔江区",
    "涪陵区",
    "渝中区",
    "大渡口区",
    "江北区",
    "沙坪坝区",
    "九龙坡区",
    "南岸区",
    "北碚区",
    "綦江区",
    "大足区",
    "渝北区",
    "巴南区",
    "长寿区",
    "江津区",
    "合川区",
    "永川区",
    "南川区",
    "璧山区",
    "铜梁区",
    "潼南区",
    "荣昌区",
    "开州区",
    "梁平区",
    "武隆区",
    "城口县",
    "丰都县",
    "垫江县",
    "忠县",
    "云阳县",
    "奉节县",
    "巫山县",
    "巫溪县",
    "石柱土家族自治县",
    "秀山土家族苗族自治县",
    "酉阳土家族苗族自治县",
    "彭水苗族土家族自治县",
];

const SYLLABLES: [&str; 40] = [
    "石", "桥", "青", "山", "龙", "凤", "河", "溪", "坝", "岭", "松", "柏", "新", "安", "兴", "隆", "福", "寿", "白",
    "马", "金", "银", "花", "竹", "水", "田", "平", "和", "东", "南", "西", "北", "双", "红", "岩", "湾", "高", "丰",
    "永", "乐",
];

const CIRCLE: [&str; 7] = ["self", "spouse", "parent", "child", "sibling", "grandparent", "grandchild"];

struct Gen<'r> {
    rng: ChaCha8Rng,
    eval: Evaluator<'r>,
    config: SynthConfig,
    data: Dataset,
    rows: Option<Rows>,
    truth: Vec<Violation>,
    line: u32,
    /// Disclosures of the current unit already under a re-publication requirement.
    required: Vec<(u16, PeriodKey)>,
}

impl Gen<'_> {
    fn chance(&mut self, bp: u32) -> bool {
        self.rng.random_range(0..10_000u32) < bp
    }

    fn days(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo { lo } else { self.rng.random_range(lo..=hi) }
    }

    fn origin(&mut self) -> Origin {
        self.line += 1;
        Origin { file: 0, line: self.line }
    }

    fn name(&mut self, len: usize, suffix: &str) -> String {
        let mut s = String::new();
        for _ in 0..len {
            let i = self.rng.random_range(0..SYLLABLES.len());
            s.push_str(SYLLABLES.get(i).copied().unwrap_or("山"));
        }
        s + suffix
    }

    fn inject(
        &mut self,
        unit: &str,
        kind: FindingKind,
        item: Option<&str>,
        period: Option<String>,
        objection: Option<&str>,
    ) {
        self.truth.push(Violation {
            unit: unit.into(),
            kind,
            item: item.map(str::to_string),
            period,
            objection: objection.map(str::to_string),
        });
    }
}

fn add(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn span(from: NaiveDate, to: NaiveDate) -> u64 {
    u64::try_from((to - from).num_days()).unwrap_or(0)
}

/// Generate a city.
///
/// ```
/// use cunwu_core::RuleSet;
/// use cunwu_core::compliance::synth::{generate, SynthConfig};
/// let rules = RuleSet::bundled().unwrap();
/// let a = generate(&rules, &SynthConfig::small(1)).unwrap();
/// let b = generate(&rules, &SynthConfig::small(1)).unwrap();
/// assert_eq!(a.truth, b.truth); // the same seed, the same city
/// assert_eq!(a.dataset.units.len(), 18);
/// ```
pub fn generate(rules: &RuleSet, config: &SynthConfig) -> Result<SyntheticCity, Error> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(config.seed),
        eval: Evaluator::new(rules, config.year, config.as_of),
        config: config.clone(),
        data: Dataset::new(),
        rows: config.keep_rows.then(Rows::default),
        truth: Vec::new(),
        line: 0,
        required: Vec::new(),
    };
    let districts = config.districts.max(1);
    let townships = config.townships.max(districts);
    let mut taken = std::collections::HashSet::new();
    let township_names: Vec<(String, String)> = (0..townships)
        .map(|t| {
            let d = t % districts;
            let district = match DISTRICTS.get(usize::try_from(d).unwrap_or(0)) {
                Some(name) if d < 38 => (*name).to_string(),
                _ => format!("第{}区", d + 1),
            };
            let suffix = if g.chance(3000) { "街道" } else { "镇" };
            // Township names are unique within a district; three syllables when two collide.
            let mut township = g.name(2, suffix);
            for len in [2, 2, 3, 3, 4] {
                if !taken.contains(&(d, township.clone())) {
                    break;
                }
                township = g.name(len, suffix);
            }
            if taken.contains(&(d, township.clone())) {
                township = format!("{}{}", g.name(2, ""), t) + suffix;
            }
            taken.insert((d, township.clone()));
            (district, township)
        })
        .collect();
    let total = config.villages + config.communities;
    for u in 0..total {
        let kind = if u < config.villages { UnitKind::Village } else { UnitKind::Community };
        let t = usize::try_from(g.rng.random_range(0..townships)).unwrap_or(0);
        let (district, township) = township_names.get(t).cloned().unwrap_or_default();
        let suffix = if kind == UnitKind::Village { "村" } else { "社区" };
        let name = g.name(2, suffix);
        let areas = (kind == UnitKind::Village && g.chance(config.rates.areas))
            .then(|| 2 + u16::try_from(g.rng.random_range(0..3u32)).unwrap_or(0));
        let row = UnitRow { id: format!("U{:07}", u + 1), name, kind, township, district, areas };
        let origin = g.origin();
        if let Some(rows) = g.rows.as_mut() {
            rows.units.push(row.clone());
        }
        g.data.add_unit(row.clone(), origin);
        unit_records(&mut g, u, &row)?;
    }
    g.data.finish();
    crate::sort::sort(&mut g.truth);
    let Gen { data, rows, truth, .. } = g;
    Ok(SyntheticCity { config: config.clone(), as_of: config.as_of, dataset: data, rows, truth })
}

/// An obligation to write records for: item, period label, due day, display, filed, the period's
/// last day, and whether the committee publishes it.
type Due = (String, String, NaiveDate, Option<DisplayPeriod>, bool, NaiveDate, bool);

fn unit_records(g: &mut Gen<'_>, unit: u32, row: &UnitRow) -> Result<(), Error> {
    let as_of = g.config.as_of;
    g.required.clear();
    let slot = g.eval.slot(&row.district, row.kind)?;
    let schedule = g.eval.schedule(row.kind, slot)?;
    let mut posted_keys: Vec<(u16, PeriodKey, NaiveDate)> = Vec::new();
    let mut obligations: Vec<Due> = schedule
        .obligations
        .iter()
        .filter_map(|o| {
            let due = o.due.date.filter(|d| *d < as_of)?;
            Some((
                o.item.clone(),
                o.covers.label.clone(),
                due,
                o.display.as_ref().map(|d| d.period),
                o.filing.is_some(),
                o.covers.until,
                o.responsible == super::Responsible::Committee,
            ))
        })
        .collect();
    // One ad hoc event for some villages.
    if row.kind == UnitKind::Village && g.chance(g.config.rates.event) {
        let start = NaiveDate::from_ymd_opt(g.config.year, 1, 2).unwrap_or(as_of);
        let date = add(start, g.days(0, span(start, as_of).saturating_sub(40)));
        let item = "finance.land-compensation";
        if let Some(o) = g.eval.event_obligation(slot, item, date) {
            if let Some(due) = o.due.date.filter(|d| *d < as_of) {
                let origin = g.origin();
                let ev = EventRow { unit: row.id.clone(), item: item.into(), date };
                g.data.add_event(&ev, origin);
                if let Some(rows) = g.rows.as_mut() {
                    rows.events.push(ev);
                }
                obligations.push((
                    item.into(),
                    date.to_string(),
                    due,
                    o.display.as_ref().map(|d| d.period),
                    o.filing.is_some(),
                    date,
                    o.responsible == super::Responsible::Committee,
                ));
            }
        }
    }
    for (item, label, due, display, filed, until, committee) in obligations {
        let Some(period) = PeriodKey::parse(&label) else { continue };
        let rates = g.config.rates;
        if g.chance(rates.missing) {
            g.inject(&row.id, FindingKind::Missing, Some(&item), Some(label), None);
            continue;
        }
        let earliest_post = add(until, 1);
        let posted = if g.chance(rates.late) && due < as_of {
            let late = g.days(1, span(due, as_of).min(20));
            g.inject(&row.id, FindingKind::Late, Some(&item), Some(label.clone()), None);
            add(due, late)
        } else {
            let margin = g.days(0, span(earliest_post, due).min(4));
            due.checked_sub_days(Days::new(margin)).unwrap_or(due).max(earliest_post.min(due))
        };
        let item_ix = g.data.item_index(&item);
        let mut d = Disclosure {
            unit,
            item: item_ix,
            period,
            posted: Some(posted),
            removed: None,
            boards: 1,
            boards_unknown: false,
            later_boards: 0,
            later_first: None,
            later_last: None,
            filed: None,
            reviewed: None,
            rectify: false,
            republished: None,
            origin: Origin::default(),
        };
        // Boards by area.
        if let Some(areas) = row.areas.filter(|a| *a > 1) {
            d.boards = areas;
            if committee && g.eval.flag(slot, posted, "display.by_area") && g.chance(rates.too_few_boards) {
                d.boards = u16::try_from(g.days(1, u64::from(areas) - 1)).unwrap_or(1);
                g.inject(&row.id, FindingKind::TooFewBoards, Some(&item), Some(label.clone()), None);
            }
        }
        // Display.
        if let Some(display) = display.filter(|p| *p != DisplayPeriod::Standing) {
            if let Some(earliest) = g.eval.earliest_removal(slot, display, posted) {
                let short = span(posted, earliest) > 1 && add(earliest, 0) <= as_of && g.chance(rates.display_short);
                if short {
                    let removed = add(posted, g.days(1, span(posted, earliest) - 1));
                    d.removed = Some(removed);
                    g.inject(&row.id, FindingKind::DisplayShort, Some(&item), Some(label.clone()), None);
                    republish(g, slot, &mut d, removed, &row.id, &item, &label, None);
                } else {
                    let removed = add(earliest, g.days(0, 10));
                    d.removed = (removed <= as_of).then_some(removed);
                }
            }
        }
        // Filing and review.
        if filed {
            if let Some(deadline) = g.eval.deadline(slot, Rule::Procedure(DeadlineRule::Filing), posted) {
                let filed_on = if deadline < as_of && g.chance(rates.not_filed) {
                    g.inject(&row.id, FindingKind::NotFiled, Some(&item), Some(label.clone()), None);
                    None
                } else if deadline < as_of && g.chance(rates.filed_late) {
                    g.inject(&row.id, FindingKind::FiledLate, Some(&item), Some(label.clone()), None);
                    Some(add(deadline, g.days(1, span(deadline, as_of).min(10))))
                } else {
                    Some(add(posted, g.days(0, span(posted, deadline))))
                };
                d.filed = filed_on.filter(|f| *f <= as_of);
                if let Some(f) = d.filed {
                    review(g, slot, &mut d, f, &row.id, &item, &label);
                }
            }
        }
        if d.posted.is_some() {
            posted_keys.push((item_ix, period, posted));
        }
        push_disclosure(g, d, &row.id, &item, &label);
    }
    objections(g, slot, unit, row, &posted_keys)?;
    benefits(g, slot, row);
    Ok(())
}

fn review(g: &mut Gen<'_>, slot: usize, d: &mut Disclosure, filed: NaiveDate, unit: &str, item: &str, label: &str) {
    let as_of = g.config.as_of;
    let Some(deadline) = g.eval.deadline(slot, Rule::Procedure(DeadlineRule::Review), filed) else { return };
    let reviewed = if deadline < as_of && g.chance(g.config.rates.review_overdue) {
        g.inject(unit, FindingKind::ReviewOverdue, Some(item), Some(label.into()), None);
        if g.chance(5000) { Some(add(deadline, g.days(1, span(deadline, as_of)))) } else { None }
    } else {
        Some(add(filed, g.days(1, span(filed, deadline).max(1))))
    };
    d.reviewed = reviewed.filter(|r| *r <= as_of);
    if let Some(r) = d.reviewed {
        // A disclosure re-published already (early take-down) is not also ordered to rectify:
        // one re-publication is tracked per disclosure.
        // One re-publication is tracked per disclosure: no order on one re-published already.
        if !g.required.contains(&(d.item, d.period)) && g.chance(g.config.rates.rectify) {
            d.rectify = true;
            republish(g, slot, d, r, unit, item, label, None);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn republish(
    g: &mut Gen<'_>,
    slot: usize,
    d: &mut Disclosure,
    from: NaiveDate,
    unit: &str,
    item: &str,
    label: &str,
    objection: Option<&str>,
) {
    let as_of = g.config.as_of;
    g.required.push((d.item, d.period));
    let Some(deadline) = g.eval.deadline(slot, Rule::Procedure(DeadlineRule::Republication), from) else { return };
    if deadline < as_of && g.chance(g.config.rates.not_republished) {
        g.inject(unit, FindingKind::NotRepublished, Some(item), Some(label.into()), objection);
        if g.chance(5000) {
            let late = add(deadline, g.days(1, span(deadline, as_of)));
            d.republished = (late <= as_of).then_some(late);
        }
    } else {
        let on = add(from, g.days(1, span(from, deadline).max(1)));
        d.republished = (on <= as_of).then_some(on);
    }
}

fn push_disclosure(g: &mut Gen<'_>, mut d: Disclosure, unit: &str, item: &str, label: &str) {
    d.origin = g.origin();
    if let Some(rows) = g.rows.as_mut() {
        use super::records::{FilingRow, PostingRow, RepublicationRow, ReviewOutcome, ReviewRow};
        if let Some(posted) = d.posted {
            rows.postings.push(PostingRow {
                unit: unit.into(),
                item: item.into(),
                period: label.into(),
                posted,
                removed: d.removed,
                boards: Some(d.boards),
            });
        }
        if let Some(filed) = d.filed {
            rows.filings.push(FilingRow { unit: unit.into(), item: item.into(), period: label.into(), filed });
        }
        if let Some(reviewed) = d.reviewed {
            let outcome = if d.rectify { ReviewOutcome::Rectify } else { ReviewOutcome::Accepted };
            rows.reviews.push(ReviewRow {
                unit: unit.into(),
                item: item.into(),
                period: label.into(),
                reviewed,
                outcome,
            });
        }
        if let Some(posted) = d.republished {
            rows.republications.push(RepublicationRow {
                unit: unit.into(),
                item: item.into(),
                period: label.into(),
                posted,
            });
        }
    }
    g.data.push_disclosure(d);
}

fn objections(
    g: &mut Gen<'_>,
    slot: usize,
    unit: u32,
    row: &UnitRow,
    posted: &[(u16, PeriodKey, NaiveDate)],
) -> Result<(), Error> {
    let as_of = g.config.as_of;
    if !g.chance(g.config.rates.objection) {
        return Ok(());
    }
    // Object to one posting the unit made, not yet under another re-publication requirement.
    let candidates: Vec<&(u16, PeriodKey, NaiveDate)> = posted
        .iter()
        .filter(|(i, p, _)| !g.required.contains(&(*i, *p)))
        .filter(|(_, _, d)| span(*d, as_of) > 60)
        .collect();
    let Some(&&(item_ix, period, posted_on)) = candidates.get(g.rng.random_range(0..candidates.len().max(1))) else {
        return Ok(());
    };
    let item = g.data.items.get(usize::from(item_ix)).cloned().unwrap_or_default();
    let id = format!("{}-O1", row.id);
    let objector = if g.chance(3000) { ObjectorKind::SupervisionCommittee } else { ObjectorKind::Resident };
    let mut level = Level::Committee;
    let mut received = add(posted_on, g.days(1, 10));
    loop {
        let subject = Subject::Disclosure { aspect: Aspect::Content, case: None, item: None };
        let (param, _) = reply_rule_for(row.kind, level, objector, &subject);
        let Some(deadline) = g.eval.deadline(slot, Rule::Reply(param), received) else { break };
        if received > as_of {
            break;
        }
        let o = ObjectionRow {
            id: id.clone(),
            unit: row.id.clone(),
            level,
            received,
            objector,
            subject: SubjectKind::Disclosure,
            item: Some(item.clone()),
            period: Some(period.label()),
        };
        let origin = g.origin();
        g.data.add_objection(&o, origin);
        if let Some(rows) = g.rows.as_mut() {
            rows.objections.push(o);
        }
        let replied = if deadline < as_of && g.chance(g.config.rates.reply_overdue) {
            g.truth.push(Violation {
                unit: row.id.clone(),
                kind: FindingKind::ReplyOverdue,
                // A reply overdue is read next to the disclosure its objection concerns.
                item: Some(item.clone()),
                period: Some(period.label()),
                objection: Some(id.clone()),
            });
            if g.chance(5000) { Some(add(deadline, g.days(1, span(deadline, as_of)))) } else { None }
        } else {
            Some(add(received, g.days(0, span(received, deadline))))
        };
        let Some(replied) = replied.filter(|r| *r <= as_of) else { break };
        let escalate = level.next().is_some() && g.chance(g.config.rates.escalate);
        let outcome = if escalate {
            ReplyOutcome::Rejected
        } else if g.chance(5000) {
            ReplyOutcome::Upheld
        } else {
            ReplyOutcome::Rejected
        };
        let reply = ReplyRow { objection: id.clone(), level, replied, outcome };
        let origin = g.origin();
        g.data.add_reply(reply.clone(), origin);
        if let Some(rows) = g.rows.as_mut() {
            rows.replies.push(reply);
        }
        if outcome == ReplyOutcome::Upheld {
            if let Some(mut d) = g.data.pending_disclosure(unit, item_ix, period).copied() {
                republish(g, slot, &mut d, replied, &row.id, &item, &period.label(), Some(&id));
                if let (Some(r), Some(rows)) = (d.republished, g.rows.as_mut()) {
                    rows.republications.push(super::records::RepublicationRow {
                        unit: row.id.clone(),
                        item: item.clone(),
                        period: period.label(),
                        posted: r,
                    });
                }
                g.data.set_republished(unit, item_ix, period, d.republished);
            }
            break;
        }
        match level.next().filter(|_| escalate) {
            Some(next) => {
                level = next;
                received = add(replied, g.days(1, 5));
            }
            None => break,
        }
    }
    Ok(())
}

fn benefits(g: &mut Gen<'_>, slot: usize, row: &UnitRow) {
    let as_of = g.config.as_of;
    let start = NaiveDate::from_ymd_opt(g.config.year, 1, 5).unwrap_or(as_of);
    for k in 0..3u32 {
        let granted = add(start, g.days(0, span(start, as_of)));
        let related = g.chance(2500);
        let (cadre, relation) = if related {
            let r = CIRCLE.get(g.rng.random_range(0..CIRCLE.len())).copied().unwrap_or("self");
            (Some(g.name(1, "某")), Some(r.to_string()))
        } else if g.chance(1000) {
            // A relation outside the circle (a cousin): no 十公开 duty.
            (Some(g.name(1, "某")), Some("cousin".to_string()))
        } else {
            (None, None)
        };
        // Only a relation in the default circle (直系亲属) owes disclosure, and only from the due
        // day of the 十公开 item after the grant.
        let due = g.eval.benefit_due(slot, granted).flatten();
        let owed = related && relation.as_deref().is_some_and(|r| r != "sibling") && due.is_some_and(|d| d < as_of);
        let disclosed = if owed {
            if g.chance(g.config.rates.benefit_undisclosed) {
                g.inject(&row.id, FindingKind::BenefitUndisclosed, None, Some(granted.to_string()), None);
                None
            } else {
                // Disclosed on time: by the due day of the 十公开 item.
                let on = add(granted, g.days(0, 20)).min(due.unwrap_or(granted));
                (on <= as_of).then_some(on).or(Some(granted))
            }
        } else if related {
            // Not yet owed (or a sibling): disclosed or not, there is nothing to find.
            g.chance(5000).then_some(granted)
        } else {
            None
        };
        let b = BenefitRow {
            unit: row.id.clone(),
            program: ["低保", "危房改造", "临时救助"]
                .get(usize::try_from(k).unwrap_or(0))
                .copied()
                .unwrap_or("低保")
                .into(),
            beneficiary: format!("{}-B{}", row.id, k + 1),
            cadre,
            relation,
            granted,
            disclosed,
        };
        let origin = g.origin();
        g.data.add_benefit(&b, origin);
        if let Some(rows) = g.rows.as_mut() {
            rows.benefits.push(b);
        }
    }
}
