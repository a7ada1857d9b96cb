//! The compliance input: a unit registry and each unit's records, read from CSV or JSON Lines
//! text (one file per kind of record) or from rows in memory, into a compact [`Dataset`].
//!
//! | File (`.csv` or `.jsonl`) | One row per | Columns |
//! |---|---|---|
//! | `units` | unit (村/社区) | `id, name, kind, township, district`, optional `areas` (片区数, CQ-L art. 28) |
//! | `postings` | posting of an item for a period | `unit, item, period, posted, removed, boards` |
//! | `filings` | filing with the township | `unit, item, period, filed` |
//! | `reviews` | township review | `unit, item, period, reviewed, outcome` (`accepted`/`rectify`) |
//! | `republications` | re-publication | `unit, item, period, posted` |
//! | `events` | event that triggers an ad hoc item | `unit, item, date` |
//! | `objections` | objection received at one level | `id, unit, level, received, objector, subject, item, period` |
//! | `replies` | reply at one level | `objection, level, replied, outcome` (`upheld`/`rejected`) |
//! | `benefits` | benefit under a welfare policy | `unit, program, beneficiary, cadre, relation, granted, disclosed` |
//!
//! `period` is the label of the covered period (`2026-03`, `2026-Q1`, `2026-H1`, `2026`) or, for
//! an ad hoc item, the date of its event. Dates are ISO (`2026-04-15`); empty means none.
//!
//! A row that cannot be read, or names a unit not in the registry, is reported as a problem with
//! its file and line (and column or field) and left out; every other row is still evaluated.
//! Records from different files about the same disclosure (unit, item, period) are merged.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::UnitKind;
use crate::objection::{Level, ObjectorKind};
use crate::rules::SourceFile;

/// A unit of the registry (村/社区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRow {
    /// Stable id (a division code, say).
    pub id: String,
    /// Name (`石桥村`).
    pub name: String,
    /// `village` or `community`.
    pub kind: UnitKind,
    /// The township or subdistrict (乡镇/街道).
    pub township: String,
    /// The district or county (区县): its id or name. When the rules hold a catalogue for it,
    /// that catalogue applies; otherwise the city-wide one.
    pub district: String,
    /// 片区数 — for a village whose area is large (村域面积较大的村), the number of areas the
    /// township has divided it into: each area has its own board and every posting goes up on
    /// each of them (CQ-L art. 28, parameter `display.by_area`). Absent or empty: one board.
    /// A number, or a numeric string as rows read from a spreadsheet carry it.
    /// Always written (empty when absent), so that CSV rows keep one width.
    #[serde(default, deserialize_with = "number_or_text")]
    #[schemars(with = "Option<u16>")]
    pub areas: Option<u16>,
}

/// A posting of an item for a period (公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingRow {
    /// Unit id.
    pub unit: String,
    /// Item id (`finance.income-expenditure`).
    pub item: String,
    /// Covered period (`2026-03`, `2026-Q1`, `2026-H1`, `2026`) or the event date of an ad hoc item.
    pub period: String,
    /// The day it went up.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub posted: NaiveDate,
    /// The day it came down; absent while it is still up.
    #[serde(default, deserialize_with = "crate::model::optional_date_field")]
    pub removed: Option<NaiveDate>,
    /// How many boards it was posted on (分片公开): a number, or a numeric string as rows read
    /// from a spreadsheet carry it.
    #[serde(default, deserialize_with = "number_or_text")]
    #[schemars(with = "Option<u16>")]
    pub boards: Option<u16>,
}

/// A visitor rather than an untagged enum: serde reads untagged enums through its buffered
/// `Content` path, which the browser package would carry for this alone.
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    struct BoardsVisitor;
    impl<'de> serde::de::Visitor<'de> for BoardsVisitor {
        type Value = Option<u16>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number (of boards or areas)")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
            u16::try_from(n)
                .map(Some)
                .map_err(|_| E::custom(format!("expected a whole number from 0 to 65535, found `{n}`")))
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
            u16::try_from(n)
                .map(Some)
                .map_err(|_| E::custom(format!("expected a whole number from 0 to 65535, found `{n}`")))
        }
        fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Self::Value, E> {
            Err(E::custom(format!("expected a whole number from 0 to 65535, found `{n}`")))
        }
        fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Self::Value, E> {
            if t.trim().is_empty() {
                return Ok(None);
            }
            t.trim()
                .parse()
                .map(Some)
                .map_err(|_| E::custom(format!("expected a whole number from 0 to 65535, found `{t}`")))
        }
    }
    d.deserialize_option(BoardsVisitor)
}

/// A filing with the township (备案).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingRow {
    /// Unit id.
    pub unit: String,
    /// Item id.
    pub item: String,
    /// Covered period.
    pub period: String,
    /// The day the township received it.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub filed: NaiveDate,
}

/// What a township review decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// 审查通过.
    Accepted,
    /// 责令整改并重新公开.
    Rectify,
}

/// A township review of a filing (审查).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRow {
    /// Unit id.
    pub unit: String,
    /// Item id.
    pub item: String,
    /// Covered period.
    pub period: String,
    /// The day of the review decision.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub reviewed: NaiveDate,
    /// `accepted` or `rectify`.
    pub outcome: ReviewOutcome,
}

/// A re-publication after an order, an upheld objection or an early take-down (重新公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepublicationRow {
    /// Unit id.
    pub unit: String,
    /// Item id.
    pub item: String,
    /// Covered period.
    pub period: String,
    /// The day it went up again.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub posted: NaiveDate,
}

/// An event that makes an ad hoc item due (随时公开): a major receipt, a land compensation...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRow {
    /// Unit id.
    pub unit: String,
    /// Item id.
    pub item: String,
    /// The day of the event; postings give it as their `period`.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub date: NaiveDate,
}

/// What an objection is about, for its reply deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// Content, timing or form of a disclosure [CQ-L arts. 31, 35].
    Disclosure,
    /// One of the violations listed in art. 40 [CQ-L art. 40].
    Violation,
}

/// An objection received at one level of the ladder (异议).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRow {
    /// The objection's id (the same at every level it reaches).
    pub id: String,
    /// Unit id.
    pub unit: String,
    /// The level that received it.
    pub level: Level,
    /// The day it was received at this level.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub received: NaiveDate,
    /// Who objects.
    pub objector: ObjectorKind,
    /// `disclosure` or `violation`.
    pub subject: SubjectKind,
    /// The item objected to, if any (for the re-publication an upheld objection requires).
    #[serde(default)]
    pub item: Option<String>,
    /// Its covered period.
    #[serde(default)]
    pub period: Option<String>,
}

/// What a reply decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOutcome {
    /// The objection is upheld: correct and re-publish.
    Upheld,
    /// The objection is rejected.
    Rejected,
}

/// A reply to an objection at one level (答复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRow {
    /// The objection's id.
    pub objection: String,
    /// The level that replies.
    pub level: Level,
    /// The day of the reply.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub replied: NaiveDate,
    /// `upheld` or `rejected`.
    pub outcome: ReplyOutcome,
}

/// A benefit granted under a welfare policy, with the beneficiary's relation to a cadre (十公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitRow {
    /// Unit id.
    pub unit: String,
    /// The policy (`低保`, `危房改造`...).
    pub program: String,
    /// The beneficiary (an id or a masked name; never shown in reports beyond what is given).
    pub beneficiary: String,
    /// The cadre the beneficiary is related to, if any.
    #[serde(default)]
    pub cadre: Option<String>,
    /// `self` (the cadre), or a relation (`spouse`, `parent`, `child`, `sibling`, `grandparent`,
    /// `grandchild`...), compared with the parameter `cadre.relative_circle`.
    #[serde(default)]
    pub relation: Option<String>,
    /// The day it was granted.
    #[serde(deserialize_with = "crate::model::date_field")]
    pub granted: NaiveDate,
    /// The day it was disclosed as a cadre-relative benefit; absent if not.
    #[serde(default, deserialize_with = "crate::model::optional_date_field")]
    pub disclosed: Option<NaiveDate>,
}

/// Every kind of row, in memory: what a host system passes instead of files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rows {
    /// The registry.
    #[serde(default)]
    pub units: Vec<UnitRow>,
    /// Postings.
    #[serde(default)]
    pub postings: Vec<PostingRow>,
    /// Filings.
    #[serde(default)]
    pub filings: Vec<FilingRow>,
    /// Reviews.
    #[serde(default)]
    pub reviews: Vec<ReviewRow>,
    /// Re-publications.
    #[serde(default)]
    pub republications: Vec<RepublicationRow>,
    /// Events of ad hoc items.
    #[serde(default)]
    pub events: Vec<EventRow>,
    /// Objections, one row per level reached.
    #[serde(default)]
    pub objections: Vec<ObjectionRow>,
    /// Replies, one row per level.
    #[serde(default)]
    pub replies: Vec<ReplyRow>,
    /// Benefits.
    #[serde(default)]
    pub benefits: Vec<BenefitRow>,
}

/// A covered period, packed: `year * 1000 + code` where code is the month (1–12), 100 + quarter,
/// 200 + half, 300 for the year, or 400 + the day of the year (0-based) of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey(pub i32);

impl PeriodKey {
    /// Parse a label (`2026-03`, `2026-Q1`, `2026-H2`, `2026`, `2026-04-07`).
    ///
    /// ```
    /// use cunwu_core::compliance::records::PeriodKey;
    /// let q = PeriodKey::parse("2026-Q1").unwrap();
    /// assert_eq!(q.label(), "2026-Q1");
    /// assert_eq!(PeriodKey::parse("2026-04-07").unwrap().label(), "2026-04-07");
    /// assert!(PeriodKey::parse("2026-Q5").is_none());
    /// ```
    pub fn parse(label: &str) -> Option<PeriodKey> {
        let label = label.trim();
        let year_of = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        if let Ok(date) = crate::model::parse_date_leniently(label) {
            year_of(&date.year().to_string())?;
            return Some(PeriodKey::event(date));
        }
        let (year, rest) = match label.split_once('-') {
            Some((y, r)) => (year_of(y)?, Some(r)),
            None => (year_of(label)?, None),
        };
        let code = match rest {
            None => 300,
            Some(r) => {
                if let Some(q) = r.strip_prefix('Q') {
                    100 + q.parse::<i32>().ok().filter(|q| (1..=4).contains(q))?
                } else if let Some(h) = r.strip_prefix('H') {
                    200 + h.parse::<i32>().ok().filter(|h| (1..=2).contains(h))?
                } else if r.len() == 2 {
                    r.parse::<i32>().ok().filter(|m| (1..=12).contains(m))?
                } else {
                    return None;
                }
            }
        };
        Some(PeriodKey(year * 1000 + code))
    }

    /// The key of an event date.
    pub fn event(date: NaiveDate) -> PeriodKey {
        PeriodKey(date.year() * 1000 + 400 + i32::try_from(date.ordinal0()).unwrap_or(0))
    }

    /// The first day of the period (the event's day for an event).
    ///
    /// ```
    /// use cunwu_core::compliance::records::PeriodKey;
    /// let start = |l: &str| PeriodKey::parse(l).unwrap().start().unwrap().to_string();
    /// assert_eq!([start("2026-03"), start("2026-Q3"), start("2026-H2"), start("2026"), start("2026-04-07")],
    ///            ["2026-03-01", "2026-07-01", "2026-07-01", "2026-01-01", "2026-04-07"]);
    /// ```
    pub fn start(self) -> Option<NaiveDate> {
        let (year, code) = (self.0.div_euclid(1000), self.0.rem_euclid(1000));
        let month = match code {
            1..=12 => code,
            101..=104 => (code - 101) * 3 + 1,
            201..=202 => (code - 201) * 6 + 1,
            300 => 1,
            _ => return NaiveDate::from_yo_opt(year, u32::try_from(code - 399).ok()?),
        };
        NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, 1)
    }

    /// The year of the period.
    pub fn year(self) -> i32 {
        self.0.div_euclid(1000)
    }

    /// The label back.
    pub fn label(self) -> String {
        let (year, code) = (self.0.div_euclid(1000), self.0.rem_euclid(1000));
        match code {
            1..=12 => format!("{year}-{code:02}"),
            101..=104 => format!("{year}-Q{}", code - 100),
            201..=202 => format!("{year}-H{}", code - 200),
            300 => year.to_string(),
            _ => NaiveDate::from_yo_opt(year, u32::try_from(code - 399).unwrap_or(1))
                .map_or_else(|| format!("{year}-?{code}"), |d| d.to_string()),
        }
    }

    /// Whether this is an event date (an ad hoc item).
    pub fn is_event(self) -> bool {
        self.0.rem_euclid(1000) >= 400
    }

    /// The year in which a disclosure of this period falls due: the year after its last day
    /// (events: the event's year).
    pub fn due_year(self) -> i32 {
        let (year, code) = (self.0.div_euclid(1000), self.0.rem_euclid(1000));
        match code {
            12 | 104 | 202 | 300 => year + 1,
            _ => year,
        }
    }
}

/// Where a row came from: a file (index into [`Dataset::files`]) and a 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    /// Index into the dataset's file names.
    pub file: u16,
    /// 1-based line (for rows in memory: the 1-based row number).
    pub line: u32,
}

/// All that is known of one disclosure (unit, item, period), merged from every file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure {
    /// Unit index.
    pub unit: u32,
    /// Item index (into [`Dataset::items`]).
    pub item: u16,
    /// Covered period.
    pub period: PeriodKey,
    /// First posting.
    pub posted: Option<NaiveDate>,
    /// When that posting came down.
    pub removed: Option<NaiveDate>,
    /// Boards it went up on, on the day of the first posting (rows of that day that repeat the
    /// first exactly are duplicates and not added).
    pub boards: u16,
    /// Some row of the first posting day gave no number of boards: the count is unknown.
    pub boards_unknown: bool,
    /// Boards of postings made on later days, and the first and last of those days: evaluation
    /// counts them only when they came before the assessment date.
    pub later_boards: u16,
    /// The first later posting day.
    pub later_first: Option<NaiveDate>,
    /// The last later posting day.
    pub later_last: Option<NaiveDate>,
    /// First filing.
    pub filed: Option<NaiveDate>,
    /// First review.
    pub reviewed: Option<NaiveDate>,
    /// The review ordered rectification.
    pub rectify: bool,
    /// First re-publication.
    pub republished: Option<NaiveDate>,
    /// The posting row (or the first row seen).
    pub origin: Origin,
}

/// An event of an ad hoc item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Unit index.
    pub unit: u32,
    /// Item index.
    pub item: u16,
    /// The day.
    pub date: NaiveDate,
    /// Its row.
    pub origin: Origin,
}

/// One level of one objection, with its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionLevel {
    /// Unit index.
    pub unit: u32,
    /// The objection's id.
    pub id: String,
    /// The level.
    pub level: Level,
    /// Received.
    pub received: NaiveDate,
    /// Objector.
    pub objector: ObjectorKind,
    /// Subject.
    pub subject: SubjectKind,
    /// Item and period objected to.
    pub target: Option<(u16, PeriodKey)>,
    /// The reply, if any.
    pub reply: Option<(NaiveDate, ReplyOutcome)>,
    /// The day the objection was received at the next level up (the objector escalated), if it
    /// was: a reply never given at this level is late until then, not for ever.
    pub escalated: Option<NaiveDate>,
    /// Its row.
    pub origin: Origin,
}

/// A benefit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Benefit {
    /// Unit index.
    pub unit: u32,
    /// The policy.
    pub program: String,
    /// The beneficiary.
    pub beneficiary: String,
    /// The cadre.
    pub cadre: Option<String>,
    /// The relation.
    pub relation: Option<String>,
    /// Granted.
    pub granted: NaiveDate,
    /// Disclosed.
    pub disclosed: Option<NaiveDate>,
    /// Its row.
    pub origin: Origin,
}

/// The registry and every record, indexed by unit; what the evaluator reads.
///
/// Built with [`Dataset::from_rows`], [`Dataset::from_sources`] (file texts) or record by record
/// with the `add_*` methods followed by [`Dataset::finish`].
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The registry, in the order given.
    pub units: Vec<UnitRow>,
    /// Item ids, interned.
    pub items: Vec<String>,
    /// Names of the files rows came from.
    pub files: Vec<String>,
    /// Disclosures, sorted by (unit, item, period) after [`Dataset::finish`].
    pub disclosures: Vec<Disclosure>,
    /// Events, sorted by unit.
    pub events: Vec<Event>,
    /// Objection levels, sorted by unit.
    pub objections: Vec<ObjectionLevel>,
    /// Benefits, sorted by unit.
    pub benefits: Vec<Benefit>,
    /// Problems found while reading, with file and line: nothing is dropped silently.
    pub problems: Vec<Diagnostic>,
    unit_index: HashMap<String, u32>,
    item_index: HashMap<String, u16>,
    disclosure_index: HashMap<(u32, u16, PeriodKey), usize>,
    objection_index: HashMap<(String, Level), usize>,
    pending_replies: Vec<(ReplyRow, Origin)>,
    starts: Starts,
    /// Problems of each (file, code) found so far: past [`MAX_PROBLEMS_LISTED`] they are counted,
    /// not kept, and [`Dataset::finish`] says how many more there were.
    problem_counts: HashMap<(Option<String>, String), (usize, Severity)>,
}

/// Problems of one code in one file listed one by one; the rest are counted in one
/// `COMPLIANCE_MORE_PROBLEMS`, so a file of a million bad rows costs memory for a thousand.
pub const MAX_PROBLEMS_LISTED: usize = 1_000;

/// Where each unit's records start in the sorted vectors (one more entry than units).
#[derive(Debug, Clone, Default)]
struct Starts {
    disclosures: Vec<usize>,
    events: Vec<usize>,
    objections: Vec<usize>,
    benefits: Vec<usize>,
}

/// The records of one unit, borrowed from a finished [`Dataset`].
#[derive(Debug, Clone, Copy)]
pub struct UnitRecords<'d> {
    /// Disclosures sorted by (item, period).
    pub disclosures: &'d [Disclosure],
    /// Events.
    pub events: &'d [Event],
    /// Objection levels.
    pub objections: &'d [ObjectionLevel],
    /// Benefits.
    pub benefits: &'d [Benefit],
}

/// The columns a CSV file of each kind must have, in [`FILE_KINDS`] order (`areas` of the
/// registry is optional: a village without it has one board). A missing column is an error: its
/// values would read as empty and the checks on them would pass without a word.
const COLUMNS: [&[&str]; 9] = [
    &["id", "name", "kind", "township", "district"],
    &["unit", "item", "period", "posted", "removed", "boards"],
    &["unit", "item", "period", "filed"],
    &["unit", "item", "period", "reviewed", "outcome"],
    &["unit", "item", "period", "posted"],
    &["unit", "item", "date"],
    &["id", "unit", "level", "received", "objector", "subject", "item", "period"],
    &["objection", "level", "replied", "outcome"],
    &["unit", "program", "beneficiary", "cadre", "relation", "granted", "disclosed"],
];

/// The kinds of record file, by file stem.
const FILE_KINDS: &[&str] =
    &["units", "postings", "filings", "reviews", "republications", "events", "objections", "replies", "benefits"];

fn problem(code: &str, severity: Severity, zh: String, en: String, location: Location) -> Diagnostic {
    // A bad row's message repeats what the row holds: a personal number in it is masked.
    Diagnostic {
        code: code.into(),
        severity,
        message_zh: crate::privacy::mask(&zh),
        message_en: crate::privacy::mask(&en),
        hint_zh: None,
        hint_en: None,
        location,
        related: Vec::new(),
    }
}

/// A record file being read: its path and its text (borrowed from a [`SourceFile`] or read from a
/// folder one file at a time).
struct Src<'a> {
    path: &'a str,
    text: &'a str,
}

impl Dataset {
    /// An empty dataset.
    pub fn new() -> Self {
        Dataset::default()
    }

    /// A dataset from rows in memory. Row numbers stand in for lines (`<postings>:3`).
    ///
    /// ```
    /// use cunwu_core::compliance::{Dataset, Rows, UnitRow};
    /// use cunwu_core::UnitKind;
    /// let unit = UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
    ///                      township: "石桥镇".into(), district: "南岸区".into(), areas: None };
    /// let data = Dataset::from_rows(&Rows { units: vec![unit.clone(), unit], ..Rows::default() });
    /// assert_eq!(data.units.len(), 1);
    /// assert_eq!(data.problems[0].code, "COMPLIANCE_DUPLICATE_UNIT");
    /// assert_eq!(data.problems[0].location.to_string(), "<units>#/1");
    /// ```
    pub fn from_rows(rows: &Rows) -> Dataset {
        let mut data = Dataset::new();
        fn each<T>(data: &mut Dataset, name: &str, rows: &[T], mut add: impl FnMut(&mut Dataset, &T, Origin)) {
            let file = data.file(&format!("<{name}>"));
            for (i, row) in rows.iter().enumerate() {
                add(data, row, Origin { file, line: u32::try_from(i + 1).unwrap_or(u32::MAX) });
            }
        }
        each(&mut data, "units", &rows.units, |d, r, o| d.add_unit(r.clone(), o));
        each(&mut data, "postings", &rows.postings, |d, r, o| d.add_posting(r, o));
        each(&mut data, "filings", &rows.filings, |d, r, o| d.add_filing(r, o));
        each(&mut data, "reviews", &rows.reviews, |d, r, o| d.add_review(r, o));
        each(&mut data, "republications", &rows.republications, |d, r, o| d.add_republication(r, o));
        each(&mut data, "events", &rows.events, |d, r, o| d.add_event(r, o));
        each(&mut data, "objections", &rows.objections, |d, r, o| d.add_objection(r, o));
        each(&mut data, "replies", &rows.replies, |d, r, o| d.add_reply(r.clone(), o));
        each(&mut data, "benefits", &rows.benefits, |d, r, o| d.add_benefit(r, o));
        data.finish();
        data
    }

    /// A dataset from rows given as JSON (`{"units": [...], "postings": [...], ...}`, the shape
    /// of [`Rows`]), read leniently: each row on its own, so a bad row is reported (file
    /// `<postings>`, pointer `/3`, the field when known) and the others are still evaluated.
    ///
    /// ```
    /// use cunwu_core::compliance::Dataset;
    /// let rows = serde_json::json!({
    ///     "units": [{"id": "v1", "name": "石桥村", "kind": "village", "township": "石桥镇", "district": "南岸区"}],
    ///     "postings": [{"unit": "v1", "item": "finance.income-expenditure", "period": "2026-01", "posted": "2026-02-30"},
    ///                  {"unit": "v1", "item": "finance.income-expenditure", "period": "2026-02", "posted": "2026-03-10"}],
    ///     "notes": []
    /// });
    /// let data = Dataset::from_json(&rows);
    /// assert_eq!(data.disclosures.len(), 1);
    /// let codes: Vec<String> = data.problems.iter().map(|p| format!("{} {}", p.code, p.location)).collect();
    /// assert_eq!(codes, ["COMPLIANCE_UNKNOWN_FILE <notes>", "COMPLIANCE_BAD_ROW <postings>#/0/posted"]);
    /// ```
    pub fn from_json(value: &serde_json::Value) -> Dataset {
        let mut data = Dataset::new();
        let Some(object) = value.as_object() else {
            if !value.is_null() {
                data.push_problem(problem(
                    "COMPLIANCE_BAD_ROW",
                    Severity::Error,
                    "记录应为对象：{\"units\": [...], \"postings\": [...], ...}".into(),
                    "records must be an object: {\"units\": [...], \"postings\": [...], ...}".into(),
                    Location::at_pointer(""),
                ));
            }
            data.finish();
            return data;
        };
        for key in object.keys().filter(|k| !FILE_KINDS.contains(&k.as_str())) {
            data.push_problem(problem(
                "COMPLIANCE_UNKNOWN_FILE",
                Severity::Warning,
                format!("不认识的记录类别 `{key}`，已跳过；可用的类别：{}", FILE_KINDS.join("、")),
                format!("unknown kind of record `{key}` skipped; expected {}", FILE_KINDS.join(", ")),
                Location { file: Some(format!("<{key}>")), ..Location::default() },
            ));
        }
        fn each<T: DeserializeOwned>(
            data: &mut Dataset,
            object: &serde_json::Map<String, serde_json::Value>,
            kind: &str,
            mut add: impl FnMut(&mut Dataset, T, Origin),
        ) {
            let Some((rows, file)) = data.json_rows(object, kind) else { return };
            for (i, row) in rows.iter().enumerate() {
                let origin = Origin { file, line: u32::try_from(i + 1).unwrap_or(u32::MAX) };
                // Owned, as every other typed read: one deserializer path keeps the browser
                // package small (bindings-wasm/README.md: Size).
                match crate::json::from_value::<T>(row.clone()) {
                    Ok(r) => add(data, r, origin),
                    Err(e) => data.bad_json_row(row, i, origin, &e.to_string()),
                }
            }
        }
        each(&mut data, object, "units", |d, r: UnitRow, o| d.add_unit(r, o));
        each(&mut data, object, "postings", |d, r: PostingRow, o| d.add_posting(&r, o));
        each(&mut data, object, "filings", |d, r: FilingRow, o| d.add_filing(&r, o));
        each(&mut data, object, "reviews", |d, r: ReviewRow, o| d.add_review(&r, o));
        each(&mut data, object, "republications", |d, r: RepublicationRow, o| d.add_republication(&r, o));
        each(&mut data, object, "events", |d, r: EventRow, o| d.add_event(&r, o));
        each(&mut data, object, "objections", |d, r: ObjectionRow, o| d.add_objection(&r, o));
        each(&mut data, object, "replies", |d, r: ReplyRow, o| d.add_reply(r, o));
        each(&mut data, object, "benefits", |d, r: BenefitRow, o| d.add_benefit(&r, o));
        data.finish();
        data
    }

    /// A dataset from record files (`units.csv`, `postings.jsonl`...; see the module docs). The
    /// registry is read first whatever the order given. Files of unknown names are reported
    /// (`COMPLIANCE_UNKNOWN_FILE`) and skipped; a missing registry is `COMPLIANCE_NO_REGISTRY`.
    ///
    /// ```
    /// use cunwu_core::compliance::Dataset;
    /// use cunwu_core::rules::SourceFile;
    /// let units = SourceFile::new("units.csv", "id,name,kind,township,district,areas\nv1,石桥村,village,石桥镇,南岸区,\n");
    /// let postings = SourceFile::new("postings.csv",
    ///     "unit,item,period,posted,removed,boards\nv1,finance.income-expenditure,2026-01,2026-02-10,,1\nv9,x,2026-01,2026-02-10,,\n");
    /// let data = Dataset::from_sources(&[postings, units]);
    /// assert_eq!(data.disclosures.len(), 1);
    /// assert_eq!(data.problems[0].code, "COMPLIANCE_UNKNOWN_UNIT");
    /// assert_eq!(data.problems[0].location.to_string(), "postings.csv:3:1");
    /// ```
    pub fn from_sources(sources: &[SourceFile]) -> Dataset {
        let paths: Vec<&str> = sources.iter().map(|s| s.path.as_str()).collect();
        let read = |i: usize| Ok(Ok(sources.get(i).map_or("", |s| s.text.as_str()).into()));
        Dataset::from_files(&paths, read).unwrap_or_else(|problems| {
            // The texts in memory are never refused; kept for the type.
            let mut data = Dataset::new();
            data.problems = problems;
            data
        })
    }

    /// A dataset from record files named by `paths`, each read by `read(i)` only when its turn
    /// comes (the registry first) and dropped after, so a reader of a folder holds one file's
    /// text at a time. `read` answers the text, a problem that leaves the file out
    /// (`COMPLIANCE_READ_FAILED`), or errors that stop the whole reading (a file over the limits).
    /// Files of unknown names are reported and never read.
    pub(crate) fn from_files<'t>(
        paths: &[&str],
        mut read: impl FnMut(usize) -> Result<Result<std::borrow::Cow<'t, str>, Diagnostic>, Vec<Diagnostic>>,
    ) -> Result<Dataset, Vec<Diagnostic>> {
        let mut data = Dataset::new();
        let kind_of = |path: &str| {
            let name = file_name(path);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            (FILE_KINDS.iter().position(|k| *k == stem), ext.to_ascii_lowercase())
        };
        let mut ordered: Vec<(usize, usize, String)> = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            match kind_of(path) {
                (Some(k), ext) if ext == "csv" || ext == "jsonl" => ordered.push((k, i, ext)),
                _ => {
                    let location = Location { file: Some((*path).to_string()), ..Location::default() };
                    // Messages name the file, not its folders (they are printed in reports).
                    let name = file_name(path);
                    data.push_problem(problem(
                        "COMPLIANCE_UNKNOWN_FILE",
                        Severity::Warning,
                        format!(
                            "不认识的文件 `{name}`，已跳过；可用的文件名：{}（.csv 或 .jsonl）",
                            FILE_KINDS.join("、")
                        ),
                        format!("unknown file `{name}` skipped; expected {} (.csv or .jsonl)", FILE_KINDS.join(", ")),
                        location,
                    ));
                }
            }
        }
        if !ordered.iter().any(|(k, _, _)| *k == 0) {
            data.push_problem(problem(
                "COMPLIANCE_NO_REGISTRY",
                Severity::Error,
                "没有单位名册（units.csv 或 units.jsonl），无法评估".into(),
                "no unit registry (units.csv or units.jsonl): nothing can be evaluated".into(),
                Location::default(),
            ));
        }
        crate::sort::sort_by_key(&mut ordered, |(k, _, _)| *k);
        for (kind, i, ext) in ordered {
            let path = paths.get(i).copied().unwrap_or_default();
            let text = match read(i)? {
                Ok(text) => text,
                Err(problem) => {
                    data.push_problem(problem);
                    continue;
                }
            };
            let src = Src { path, text: &text };
            let file = data.file(path);
            let csv = ext == "csv";
            if csv {
                data.check_columns(&src, file, COLUMNS.get(kind).copied().unwrap_or_default());
            }
            match kind {
                0 => data.read(&src, file, csv, |d, r: UnitRow, o| d.add_unit(r, o)),
                1 => data.read(&src, file, csv, |d, r: PostingRow, o| d.add_posting(&r, o)),
                2 => data.read(&src, file, csv, |d, r: FilingRow, o| d.add_filing(&r, o)),
                3 => data.read(&src, file, csv, |d, r: ReviewRow, o| d.add_review(&r, o)),
                4 => data.read(&src, file, csv, |d, r: RepublicationRow, o| d.add_republication(&r, o)),
                5 => data.read(&src, file, csv, |d, r: EventRow, o| d.add_event(&r, o)),
                6 => data.read(&src, file, csv, |d, r: ObjectionRow, o| d.add_objection(&r, o)),
                7 => data.read(&src, file, csv, |d, r: ReplyRow, o| d.add_reply(r, o)),
                _ => data.read(&src, file, csv, |d, r: BenefitRow, o| d.add_benefit(&r, o)),
            }
        }
        data.finish();
        Ok(data)
    }

    /// Report every column of `columns` that the header line of the CSV file lacks.
    fn check_columns(&mut self, src: &Src<'_>, file: u16, columns: &[&str]) {
        let mut reader = ::csv::ReaderBuilder::new().trim(::csv::Trim::All).from_reader(src.text.as_bytes());
        let Ok(headers) = reader.headers() else { return };
        let missing: Vec<&str> = columns.iter().copied().filter(|c| !headers.iter().any(|h| h == *c)).collect();
        // The registry's optional column: without it no village is judged for area boards.
        if columns.first() == Some(&"id") && columns.contains(&"district") && !headers.iter().any(|h| h == "areas") {
            self.report(
                "COMPLIANCE_MISSING_COLUMN",
                Severity::Warning,
                Origin { file, line: 1 },
                format!("文件 {} 没有 `areas`（片区数）列：各村按一个公开栏评估，分片公开（重庆市实施办法第二十八条）未能评估", file_name(src.path)),
                format!(
                    "{} has no `areas` column: every village is judged as having one board, and area boards (CQ-L art. 28) are not judged",
                    file_name(src.path)
                ),
            );
        }
        if missing.is_empty() {
            return;
        }
        let list = missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join("、");
        self.report(
            "COMPLIANCE_MISSING_COLUMN",
            Severity::Error,
            Origin { file, line: 1 },
            format!("文件 {} 缺少列 {list}：这些值一律按空值读取，依赖它们的检查（如撤下日、公开栏数）结果不可靠；请补上该列（值可以为空）", file_name(src.path)),
            format!(
                "{} has no column {}: its values read as empty and the checks that use them cannot be trusted; add the column (its cells may be empty)",
                file_name(src.path),
                missing.join(", ")
            ),
        );
    }

    /// The rows of `kind` in a JSON object of rows, and their file; a non-array is reported.
    fn json_rows<'v>(
        &mut self,
        object: &'v serde_json::Map<String, serde_json::Value>,
        kind: &str,
    ) -> Option<(&'v [serde_json::Value], u16)> {
        let value = object.get(kind)?;
        let file = self.file(&format!("<{kind}>"));
        match value.as_array() {
            Some(rows) => Some((rows.as_slice(), file)),
            None => {
                self.push_problem(problem(
                    "COMPLIANCE_BAD_ROW",
                    Severity::Error,
                    format!("`{kind}` 应为数组；其中的记录未计入评估"),
                    format!("`{kind}` must be an array; its records are left out"),
                    Location { file: Some(format!("<{kind}>")), ..Location::default() },
                ));
                None
            }
        }
    }

    /// A JSON row that cannot be read (not generic: one copy for every kind of row).
    fn bad_json_row(&mut self, row: &serde_json::Value, i: usize, origin: Origin, message: &str) {
        let field = row.as_object().and_then(|o| {
            o.iter()
                .find(|(_, v)| v.as_str().is_some_and(|v| !v.is_empty() && message.contains(&format!("`{v}`"))))
                .map(|(k, _)| k.clone())
        });
        let mut location = self.location(origin);
        if let Some(f) = &field {
            location.pointer = Some(format!("/{i}/{f}"));
        }
        let at = field.as_deref().map(|f| format!("（字段 `{f}`）")).unwrap_or_default();
        let at_en = field.as_deref().map(|f| format!(" (field `{f}`)")).unwrap_or_default();
        self.push_problem(problem(
            "COMPLIANCE_BAD_ROW",
            Severity::Error,
            format!("第{}条记录无法读取{at}：{message}；该记录未计入评估", i + 1),
            format!("row {} cannot be read{at_en}: {message}; the row is left out", i + 1),
            location,
        ));
    }

    fn read<T: DeserializeOwned>(
        &mut self,
        src: &Src<'_>,
        file: u16,
        csv: bool,
        mut add: impl FnMut(&mut Dataset, T, Origin),
    ) {
        if csv {
            let mut reader = ::csv::ReaderBuilder::new().trim(::csv::Trim::All).from_reader(src.text.as_bytes());
            let headers = reader.headers().cloned().unwrap_or_default();
            let mut record = ::csv::StringRecord::new();
            loop {
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                        let origin = Origin { file, line };
                        match record.deserialize::<T>(Some(&headers)) {
                            Ok(row) => add(self, row, origin),
                            Err(e) => {
                                let message = csv_message(&e);
                                let field = match e.kind() {
                                    ::csv::ErrorKind::Deserialize { err, .. } => err.field(),
                                    _ => None,
                                }
                                .and_then(|i| usize::try_from(i).ok())
                                // serde names the value, not the column, for enum variants.
                                .or_else(|| {
                                    record.iter().position(|v| !v.is_empty() && message.contains(&format!("`{v}`")))
                                })
                                .and_then(|i| headers.get(i));
                                self.bad_row(src, origin, None, field, &message);
                            }
                        }
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                        self.bad_row(src, Origin { file, line }, None, None, &csv_message(&e));
                        if !matches!(e.kind(), ::csv::ErrorKind::UnequalLengths { .. } | ::csv::ErrorKind::Utf8 { .. })
                        {
                            break;
                        }
                    }
                }
            }
        } else {
            for (i, text) in src.text.lines().enumerate() {
                if text.trim().is_empty() {
                    continue;
                }
                let origin = Origin { file, line: u32::try_from(i + 1).unwrap_or(u32::MAX) };
                match serde_json::from_str::<T>(text) {
                    Ok(row) => add(self, row, origin),
                    Err(e) => {
                        let column = u32::try_from(e.column()).ok();
                        self.bad_row(src, origin, column, None, &e.to_string());
                    }
                }
            }
        }
    }

    fn bad_row(&mut self, src: &Src<'_>, origin: Origin, column: Option<u32>, field: Option<&str>, message: &str) {
        let location = Location {
            file: Some(src.path.to_string()),
            line: Some(origin.line),
            column: column.or(Some(1)),
            pointer: field.map(|f| format!("/{f}")),
        };
        let at = field.map(|f| format!("（字段 `{f}`）")).unwrap_or_default();
        let at_en = field.map(|f| format!(" (field `{f}`)")).unwrap_or_default();
        self.push_problem(problem(
            "COMPLIANCE_BAD_ROW",
            Severity::Error,
            format!("第{}行无法读取{at}：{message}；该行未计入评估", origin.line),
            format!("line {} cannot be read{at_en}: {message}; the row is left out", origin.line),
            location,
        ));
    }

    fn file(&mut self, name: &str) -> u16 {
        if let Some(i) = self.files.iter().position(|f| f == name) {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        self.files.push(name.to_string());
        u16::try_from(self.files.len() - 1).unwrap_or(u16::MAX)
    }

    /// The location of a row.
    pub fn location(&self, origin: Origin) -> Location {
        let file = self.files.get(usize::from(origin.file)).cloned();
        if file.as_deref().is_some_and(|f| f.starts_with('<')) {
            return Location {
                file,
                pointer: Some(format!("/{}", origin.line.saturating_sub(1))),
                ..Location::default()
            };
        }
        Location { file, line: Some(origin.line), column: Some(1), pointer: None }
    }

    fn report(&mut self, code: &str, severity: Severity, origin: Origin, zh: String, en: String) {
        let location = self.location(origin);
        self.push_problem(problem(code, severity, zh, en, location));
    }

    fn unit_of(&mut self, unit: &str, origin: Origin) -> Option<u32> {
        let found = self.unit_index.get(unit).copied();
        if found.is_none() {
            self.report(
                "COMPLIANCE_UNKNOWN_UNIT",
                Severity::Error,
                origin,
                format!("单位 `{unit}` 不在名册中；该行未计入评估"),
                format!("unit `{unit}` is not in the registry; the row is left out"),
            );
        }
        found
    }

    fn period_of(&mut self, period: &str, origin: Origin) -> Option<PeriodKey> {
        let key = PeriodKey::parse(period);
        if key.is_none() {
            let mut location = self.location(origin);
            location.pointer = Some("/period".into());
            self.push_problem(problem(
                "COMPLIANCE_BAD_ROW",
                Severity::Error,
                format!("期间 `{period}` 无法识别（应如 2026-03、2026-Q1、2026-H1、2026 或事件日期 2026-04-07）；该行未计入评估"),
                format!("period `{period}` is not a label like 2026-03, 2026-Q1, 2026-H1, 2026 or an event date; the row is left out"),
                location,
            ));
        }
        key
    }

    /// The interned index of an item id.
    pub fn item_index(&mut self, item: &str) -> u16 {
        if let Some(i) = self.item_index.get(item) {
            return *i;
        }
        let i = u16::try_from(self.items.len()).unwrap_or(u16::MAX);
        self.items.push(item.to_string());
        self.item_index.insert(item.to_string(), i);
        i
    }

    /// The interned index of an item id, if any record names it.
    pub fn find_item(&self, item: &str) -> Option<u16> {
        self.item_index.get(item).copied()
    }

    /// The index of a unit id.
    pub fn unit_index(&self, id: &str) -> Option<u32> {
        self.unit_index.get(id).copied()
    }

    /// Add a unit to the registry; a second unit with the same id is reported and left out.
    pub fn add_unit(&mut self, row: UnitRow, origin: Origin) {
        if self.unit_index.contains_key(&row.id) {
            let id = row.id.clone();
            self.report(
                "COMPLIANCE_DUPLICATE_UNIT",
                Severity::Error,
                origin,
                format!("单位 `{id}` 在名册中重复出现；保留第一次出现的记录"),
                format!("unit `{id}` appears twice in the registry; the first is kept"),
            );
            return;
        }
        self.unit_index.insert(row.id.clone(), u32::try_from(self.units.len()).unwrap_or(u32::MAX));
        self.units.push(row);
    }

    /// The disclosure a row is about, created on first sight. A row dated before the period it
    /// reports on began (a posting of March's statement dated 0001-01-01), or for an event more
    /// than a year before it, is implausible: it is reported and left out, so that it cannot stand
    /// in for a real posting or filing.
    fn disclosure(
        &mut self,
        unit: &str,
        item: &str,
        period: &str,
        origin: Origin,
        (what, dated): (&str, NaiveDate),
    ) -> Option<usize> {
        if self.disclosure_index.is_empty() && !self.disclosures.is_empty() {
            // Records added after `finish` (which drops the index to save memory).
            for (i, d) in self.disclosures.iter().enumerate() {
                self.disclosure_index.insert((d.unit, d.item, d.period), i);
            }
        }
        let unit = self.unit_of(unit, origin)?;
        let key = self.period_of(period, origin)?;
        // An event's records may come before it (an appraisal plan is published ten days before
        // the appraisal): for an event the bound is the start of the year before it.
        let floor = if key.is_event() {
            key.start().and_then(|d| NaiveDate::from_ymd_opt(d.year() - 1, 1, 1))
        } else {
            key.start()
        };
        if let Some(start) = floor.filter(|s| dated < *s) {
            self.report(
                "COMPLIANCE_IMPLAUSIBLE_DATE",
                Severity::Error,
                origin,
                format!("{what}日期 {dated} 早于所报告的期间 {period} 的开始（{start}）；该行未计入评估"),
                format!("the date {dated} comes before the period it reports on, {period}, began ({start}); the row is left out"),
            );
            return None;
        }
        let period = key;
        let item = self.item_index(item);
        let next = self.disclosures.len();
        let at = *self.disclosure_index.entry((unit, item, period)).or_insert(next);
        if at == next {
            self.disclosures.push(Disclosure {
                unit,
                item,
                period,
                posted: None,
                removed: None,
                boards: 0,
                boards_unknown: false,
                later_boards: 0,
                later_first: None,
                later_last: None,
                filed: None,
                reviewed: None,
                rectify: false,
                republished: None,
                origin,
            });
        }
        Some(at)
    }

    fn duplicate(&mut self, what: &str, what_zh: &str, origin: Origin, key: &str) {
        self.report(
            "COMPLIANCE_DUPLICATE_RECORD",
            Severity::Warning,
            origin,
            format!("{key} 的{what_zh}记录重复；按最早的日期评估"),
            format!("a second {what} record for {key}; the earliest date is evaluated"),
        );
    }

    /// Add a posting. Several rows of one disclosure are postings on several boards (分片公开):
    /// rows of the first day add their boards (the display ends with the earliest removal among
    /// them), rows of later days are later postings, counted as boards only when they came before
    /// the assessment date; the first day is the posting date. A row that repeats the first
    /// exactly is a duplicate (`COMPLIANCE_DUPLICATE_RECORD`) and counted once.
    pub fn add_posting(&mut self, row: &PostingRow, origin: Origin) {
        if let Some(removed) = row.removed.filter(|r| *r < row.posted) {
            self.report(
                "COMPLIANCE_IMPLAUSIBLE_DATE",
                Severity::Error,
                origin,
                format!("撤下日期 {removed} 早于公开日期 {}；该行未计入评估", row.posted),
                format!("taken down on {removed}, before it was posted on {}; the row is left out", row.posted),
            );
            return;
        }
        if row.boards == Some(0) {
            self.report(
                "COMPLIANCE_BAD_ROW",
                Severity::Error,
                origin,
                "公开栏数为0：没有张贴就不是公开；该行未计入评估".into(),
                "posted on 0 boards, which is no posting; the row is left out".into(),
            );
            return;
        }
        let Some(at) = self.disclosure(&row.unit, &row.item, &row.period, origin, ("公开", row.posted)) else {
            return;
        };
        let Some(d) = self.disclosures.get_mut(at) else { return };
        let boards = row.boards.unwrap_or(1);
        let duplicate = match d.posted {
            None => {
                d.posted = Some(row.posted);
                d.removed = row.removed;
                d.boards = boards;
                d.boards_unknown = row.boards.is_none();
                d.origin = origin;
                false
            }
            Some(first) if row.posted < first => {
                // An earlier posting: what was the first day's becomes a later posting.
                d.later_boards = d.later_boards.saturating_add(d.boards);
                d.later_first = Some(d.later_first.map_or(first, |l| l.min(first)));
                d.later_last = Some(d.later_last.map_or(first, |l| l.max(first)));
                d.posted = Some(row.posted);
                d.removed = row.removed;
                d.boards = boards;
                d.boards_unknown = row.boards.is_none();
                d.origin = origin;
                false
            }
            Some(first) if row.posted == first => {
                let same = d.removed == row.removed && d.boards == boards && row.boards.is_some();
                if !same {
                    // More boards the same day; the display ends with the earliest removal.
                    d.boards = d.boards.saturating_add(boards);
                    d.boards_unknown |= row.boards.is_none();
                    d.removed = match (d.removed, row.removed) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                same
            }
            Some(_) => {
                d.later_boards = d.later_boards.saturating_add(boards);
                d.later_first = Some(d.later_first.map_or(row.posted, |l| l.min(row.posted)));
                d.later_last = Some(d.later_last.map_or(row.posted, |l| l.max(row.posted)));
                false
            }
        };
        if duplicate {
            self.duplicate("posting", "公开", origin, &format!("{}/{}/{}", row.unit, row.item, row.period));
        }
    }

    /// Add a filing.
    pub fn add_filing(&mut self, row: &FilingRow, origin: Origin) {
        let Some(at) = self.disclosure(&row.unit, &row.item, &row.period, origin, ("备案", row.filed)) else {
            return;
        };
        let Some(d) = self.disclosures.get_mut(at) else { return };
        let first = d.filed.is_none();
        d.filed = Some(d.filed.map_or(row.filed, |f| f.min(row.filed)));
        if !first {
            self.duplicate("filing", "备案", origin, &format!("{}/{}/{}", row.unit, row.item, row.period));
        }
    }

    /// Add a review.
    pub fn add_review(&mut self, row: &ReviewRow, origin: Origin) {
        let Some(at) = self.disclosure(&row.unit, &row.item, &row.period, origin, ("审查", row.reviewed)) else {
            return;
        };
        let Some(d) = self.disclosures.get_mut(at) else { return };
        let first = d.reviewed.is_none();
        if first || d.reviewed.is_some_and(|r| row.reviewed < r) {
            d.reviewed = Some(row.reviewed);
        }
        // Rectification ordered by any review stands: a second row saying "accepted" cannot
        // cancel it.
        d.rectify |= row.outcome == ReviewOutcome::Rectify;
        if !first {
            self.duplicate("review", "审查", origin, &format!("{}/{}/{}", row.unit, row.item, row.period));
        }
    }

    /// Add a re-publication.
    pub fn add_republication(&mut self, row: &RepublicationRow, origin: Origin) {
        let Some(at) = self.disclosure(&row.unit, &row.item, &row.period, origin, ("重新公开", row.posted)) else {
            return;
        };
        let Some(d) = self.disclosures.get_mut(at) else { return };
        let first = d.republished.is_none();
        d.republished = Some(d.republished.map_or(row.posted, |p| p.min(row.posted)));
        if !first {
            self.duplicate("re-publication", "重新公开", origin, &format!("{}/{}/{}", row.unit, row.item, row.period));
        }
    }

    /// Add an event of an ad hoc item.
    pub fn add_event(&mut self, row: &EventRow, origin: Origin) {
        let Some(unit) = self.unit_of(&row.unit, origin) else { return };
        let item = self.item_index(&row.item);
        self.events.push(Event { unit, item, date: row.date, origin });
    }

    /// Add an objection received at one level.
    pub fn add_objection(&mut self, row: &ObjectionRow, origin: Origin) {
        let Some(unit) = self.unit_of(&row.unit, origin) else { return };
        let target = match (&row.item, &row.period) {
            (Some(item), Some(period)) => {
                let Some(period) = self.period_of(period, origin) else { return };
                Some((self.item_index(item), period))
            }
            _ => None,
        };
        let key = (row.id.clone(), row.level);
        if self.objection_index.contains_key(&key) {
            self.duplicate("objection", "异议", origin, &format!("{}@{:?}", row.id, row.level));
            return;
        }
        self.objection_index.insert(key, self.objections.len());
        self.objections.push(ObjectionLevel {
            unit,
            id: row.id.clone(),
            level: row.level,
            received: row.received,
            objector: row.objector,
            subject: row.subject,
            target,
            reply: None,
            escalated: None,
            origin,
        });
    }

    /// Add a reply (matched with its objection level when the dataset is finished).
    pub fn add_reply(&mut self, row: ReplyRow, origin: Origin) {
        self.pending_replies.push((row, origin));
    }

    /// Add a benefit.
    pub fn add_benefit(&mut self, row: &BenefitRow, origin: Origin) {
        // A relation the 十公开 check cannot place, or half of a cadre link, would leave the
        // benefit out of the check without a word: the row is refused instead.
        let relation = row.relation.as_deref().filter(|r| !r.is_empty());
        let cadre = row.cadre.as_deref().filter(|c| !c.is_empty());
        let problem = match (cadre, relation) {
            _ if row.disclosed.is_some_and(|d| d < row.granted) => Some((
                format!("公开日期早于享受日期 {}：未享受的待遇无从公开", row.granted),
                format!("disclosed before it was granted on {}", row.granted),
            )),
            (_, Some(r)) if r != "self" && !crate::validation::RELATIONS.contains(&r) => Some((
                format!(
                    "亲属关系 `{r}` 不认识，无法判断是否在“十公开”亲属范围内；可用：self、{}",
                    crate::validation::RELATIONS.join("、")
                ),
                format!(
                    "unknown relation `{r}`: it cannot be placed in or out of the 十公开 circle; expected self, {}",
                    crate::validation::RELATIONS.join(", ")
                ),
            )),
            (Some(c), None) => Some((
                format!("有村干部 `{c}` 却没有亲属关系（relation），无法核对“十公开”"),
                format!("a cadre (`{c}`) without a relation: the 十公开 check cannot run"),
            )),
            (None, Some(r)) => Some((
                format!("有亲属关系 `{r}` 却没有村干部（cadre），无法核对“十公开”"),
                format!("a relation (`{r}`) without a cadre: the 十公开 check cannot run"),
            )),
            _ => None,
        };
        if let Some((zh, en)) = problem {
            self.report(
                "COMPLIANCE_BAD_ROW",
                Severity::Error,
                origin,
                format!("{zh}；该行未计入评估"),
                format!("{en}; the row is left out"),
            );
            return;
        }
        let Some(unit) = self.unit_of(&row.unit, origin) else { return };
        self.benefits.push(Benefit {
            unit,
            program: row.program.clone(),
            beneficiary: row.beneficiary.clone(),
            cadre: row.cadre.clone(),
            relation: row.relation.clone(),
            granted: row.granted,
            disclosed: row.disclosed,
            origin,
        });
    }

    /// Keep `d`, or count it once [`MAX_PROBLEMS_LISTED`] of its code and file are kept.
    fn push_problem(&mut self, d: Diagnostic) {
        let key = (d.location.file.clone(), d.code.clone());
        let count = self.problem_counts.entry(key).or_insert((0, d.severity));
        count.0 += 1;
        if d.severity == Severity::Error {
            count.1 = Severity::Error;
        }
        if count.0 <= MAX_PROBLEMS_LISTED {
            self.problems.push(d);
        }
    }

    /// One `COMPLIANCE_MORE_PROBLEMS` for each (file, code) past [`MAX_PROBLEMS_LISTED`].
    fn summarise_problems(&mut self) {
        let mut more: Vec<_> = self
            .problem_counts
            .iter()
            .filter(|(_, (n, _))| *n > MAX_PROBLEMS_LISTED)
            .map(|((file, code), (n, severity))| (file.clone(), code.clone(), *n, *severity))
            .collect();
        crate::sort::sort_by_key(&mut more, |(file, code, _, _)| (file.clone(), code.clone()));
        for (file, code, n, severity) in more {
            let hidden = n - MAX_PROBLEMS_LISTED;
            let name = file.as_deref().map(file_name).unwrap_or("");
            self.problems.push(problem(
                "COMPLIANCE_MORE_PROBLEMS",
                severity,
                format!("{name}：另有{hidden}条 {code} 问题未逐条列出（共{n}条，只列出前{MAX_PROBLEMS_LISTED}条）"),
                format!("{name}: {hidden} more {code} problem(s) not listed one by one ({n} in all; the first {MAX_PROBLEMS_LISTED} are listed)"),
                Location { file, ..Location::default() },
            ));
        }
        self.problem_counts.clear();
    }

    /// Match replies with objections, sort every record by unit and index them. Called by the
    /// constructors; call it after adding records by hand. Adding records after it is allowed
    /// (call it again).
    pub fn finish(&mut self) {
        for (row, origin) in std::mem::take(&mut self.pending_replies) {
            match self.objection_index.get(&(row.objection.clone(), row.level)).copied() {
                Some(i) if self.objections.get(i).is_some_and(|o| row.replied < o.received) => {
                    let received = self.objections.get(i).map(|o| o.received).unwrap_or(row.replied);
                    self.report(
                        "COMPLIANCE_IMPLAUSIBLE_DATE",
                        Severity::Error,
                        origin,
                        format!("答复日期 {} 早于异议受理日期 {received}；该行未计入评估", row.replied),
                        format!(
                            "replied on {}, before the objection was received on {received}; the row is left out",
                            row.replied
                        ),
                    );
                }
                Some(i) => {
                    if let Some(o) = self.objections.get_mut(i) {
                        match o.reply {
                            Some((first, _)) if first <= row.replied => {
                                self.duplicate("reply", "答复", origin, &format!("{}@{:?}", row.objection, row.level))
                            }
                            _ => o.reply = Some((row.replied, row.outcome)),
                        }
                    }
                }
                None => self.report(
                    "COMPLIANCE_UNKNOWN_OBJECTION",
                    Severity::Error,
                    origin,
                    format!(
                        "答复所指的异议 `{}`（{}）没有受理记录；该行未计入评估",
                        row.objection,
                        row.level.name_zh()
                    ),
                    format!(
                        "the reply names objection `{}` at level {:?}, which has no row; the row is left out",
                        row.objection, row.level
                    ),
                ),
            }
        }
        self.summarise_problems();
        crate::sort::sort_by_key(&mut self.disclosures, |d| (d.unit, d.item, d.period));
        // Merged: the index is only needed while rows come in; lookups now search the sorted
        // vector, and a city-scale index would cost more memory than the records.
        self.disclosure_index = HashMap::new();
        crate::sort::sort_by_key(&mut self.events, |e| (e.unit, e.item, e.date));
        crate::sort::sort_by(&mut self.objections, |a, b| (a.unit, &a.id, a.level).cmp(&(b.unit, &b.id, b.level)));
        self.objection_index.clear();
        for (i, o) in self.objections.iter().enumerate() {
            self.objection_index.insert((o.id.clone(), o.level), i);
        }
        // Each level's escalation: the next level's row of the same objection, by level.
        for i in 1..self.objections.len() {
            let (Some(lower), Some(upper)) = (self.objections.get(i - 1), self.objections.get(i)) else { continue };
            // An upper level received before the lower one is not an escalation of it (a date
            // that cannot be right is left out, and the lower level keeps its own lateness).
            let escalated = (lower.unit == upper.unit && lower.id == upper.id && upper.received >= lower.received)
                .then_some(upper.received);
            if let Some(lower) = self.objections.get_mut(i - 1) {
                lower.escalated = escalated;
            }
        }
        crate::sort::sort_by_key(&mut self.benefits, |b| b.unit);
        let n = self.units.len();
        self.starts = Starts {
            disclosures: starts(n, self.disclosures.iter().map(|d| d.unit)),
            events: starts(n, self.events.iter().map(|e| e.unit)),
            objections: starts(n, self.objections.iter().map(|o| o.unit)),
            benefits: starts(n, self.benefits.iter().map(|b| b.unit)),
        };
    }

    /// How many records carry a date after `as_of` (they count as not yet made).
    pub fn dated_after(&self, as_of: NaiveDate) -> usize {
        let after = |d: Option<NaiveDate>| d.is_some_and(|d| d > as_of);
        self.disclosures
            .iter()
            .filter(|d| [d.posted, d.removed, d.filed, d.reviewed, d.republished].into_iter().any(after))
            .count()
            + self.events.iter().filter(|e| e.date > as_of).count()
            + self.objections.iter().filter(|o| o.received > as_of || after(o.reply.map(|r| r.0))).count()
            + self.benefits.iter().filter(|b| b.granted > as_of || after(b.disclosed)).count()
    }

    /// The records of unit `unit` (an index into [`Dataset::units`]).
    pub fn records(&self, unit: u32) -> UnitRecords<'_> {
        let u = usize::try_from(unit).unwrap_or(usize::MAX);
        fn slice<'a, T>(all: &'a [T], starts: &[usize], u: usize) -> &'a [T] {
            match (starts.get(u), starts.get(u + 1)) {
                (Some(a), Some(b)) => all.get(*a..*b).unwrap_or(&[]),
                _ => &[],
            }
        }
        UnitRecords {
            disclosures: slice(&self.disclosures, &self.starts.disclosures, u),
            events: slice(&self.events, &self.starts.events, u),
            objections: slice(&self.objections, &self.starts.objections, u),
            benefits: slice(&self.benefits, &self.starts.benefits, u),
        }
    }

    /// How many records were read (rows kept, after merging none away: each row counts once).
    pub fn record_count(&self) -> usize {
        let d: usize = self
            .disclosures
            .iter()
            .map(|d| {
                usize::from(d.posted.is_some())
                    + usize::from(d.filed.is_some())
                    + usize::from(d.reviewed.is_some())
                    + usize::from(d.republished.is_some())
            })
            .sum();
        d + self.events.len()
            + self.objections.iter().map(|o| 1 + usize::from(o.reply.is_some())).sum::<usize>()
            + self.benefits.len()
    }

    /// The disclosure of (unit, item, period), if any record names it (after [`Dataset::finish`]).
    pub fn disclosure_of(&self, unit: u32, item: u16, period: PeriodKey) -> Option<&Disclosure> {
        let all = self.records(unit).disclosures;
        all.binary_search_by_key(&(item, period), |d| (d.item, d.period)).ok().and_then(|i| all.get(i))
    }

    /// Add a whole disclosure at once, for generators that produce merged records. The caller
    /// guarantees that (unit, item, period) is not given twice.
    pub fn push_disclosure(&mut self, d: Disclosure) {
        self.disclosures.push(d);
    }

    /// A disclosure of `unit` added since the last [`Dataset::finish`] (searched from the end).
    pub(crate) fn pending_disclosure(&self, unit: u32, item: u16, period: PeriodKey) -> Option<&Disclosure> {
        self.disclosures.iter().rev().take_while(|d| d.unit == unit).find(|d| d.item == item && d.period == period)
    }

    /// Set the re-publication of a disclosure added since the last [`Dataset::finish`].
    pub(crate) fn set_republished(&mut self, unit: u32, item: u16, period: PeriodKey, on: Option<NaiveDate>) {
        if let Some(d) = self
            .disclosures
            .iter_mut()
            .rev()
            .take_while(|d| d.unit == unit)
            .find(|d| d.item == item && d.period == period)
        {
            d.republished = on;
        }
    }
}

/// For keys sorted ascending in 0..n, the index where each key's run starts (n + 1 entries).
fn starts(n: usize, keys: impl Iterator<Item = u32>) -> Vec<usize> {
    let mut out = vec![0usize; n + 1];
    for k in keys {
        if let Some(c) = usize::try_from(k).ok().and_then(|k| out.get_mut(k + 1)) {
            *c += 1;
        }
    }
    for i in 1..out.len() {
        let prev = out.get(i - 1).copied().unwrap_or(0);
        if let Some(c) = out.get_mut(i) {
            *c += prev;
        }
    }
    out
}

/// A path's last component: what messages name (folders may be named after people).
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn csv_message(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields, found {len}")
        }
        _ => e.to_string(),
    }
}

fn write_one<T: Serialize>(name: &str, rows: &[T], ext: &str, out: &mut Vec<(String, String)>) {
    if rows.is_empty() && name != "units" {
        return;
    }
    let text = if ext == "csv" {
        let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
        for r in rows {
            let _ = w.serialize(r);
        }
        w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
    } else {
        let mut s = String::new();
        for r in rows {
            if let Ok(line) = serde_json::to_string(r) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        s
    };
    out.push((format!("{name}.{ext}"), text));
}

/// The rows as record files (`units.csv`, `postings.csv`... or `.jsonl`), the format
/// [`Dataset::from_sources`] reads. Kinds with no rows are left out, except the registry.
///
/// ```
/// use cunwu_core::compliance::{Rows, UnitRow};
/// use cunwu_core::compliance::records::write_rows;
/// use cunwu_core::UnitKind;
/// let rows = Rows { units: vec![UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
///                                         township: "石桥镇".into(), district: "南岸区".into(), areas: None }], ..Rows::default() };
/// let files = write_rows(&rows, "csv");
/// assert_eq!(files[0], ("units.csv".to_string(), "id,name,kind,township,district,areas\nv1,石桥村,village,石桥镇,南岸区,\n".to_string()));
/// ```
pub fn write_rows(rows: &Rows, ext: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    write_one("units", &rows.units, ext, &mut out);
    write_one("postings", &rows.postings, ext, &mut out);
    write_one("filings", &rows.filings, ext, &mut out);
    write_one("reviews", &rows.reviews, ext, &mut out);
    write_one("republications", &rows.republications, ext, &mut out);
    write_one("events", &rows.events, ext, &mut out);
    write_one("objections", &rows.objections, ext, &mut out);
    write_one("replies", &rows.replies, ext, &mut out);
    write_one("benefits", &rows.benefits, ext, &mut out);
    out
}
