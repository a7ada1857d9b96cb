//! City-wide compliance (考评): evaluate every unit's disclosure records against its obligations,
//! score the findings with the scoring scheme in the rules, and roll up to township, district and
//! city.
//!
//! Data flows in four steps, each usable on its own so a city can split the work across worker
//! processes (by district, say) and combine the results:
//!
//! 1. [`records`]: a unit registry and the units' records (postings, filings, reviews,
//!    re-publications, events, objections and replies, benefits) from CSV or JSON Lines text or
//!    from rows in memory, into a compact [`Dataset`]. Bad rows are reported with file and line
//!    ([`Dataset::problems`]) and the rest is still evaluated.
//! 2. [`evaluate`]: each unit's [`Finding`]s — missing, late, displayed too short, not filed or filed
//!    late, review overdue, reply overdue at each ladder level, rectification not re-published,
//!    cadre-relative benefit not disclosed — each with its explanation (the obligation, its legal
//!    basis, the dates compared), and its score and grade under the [`ScoringSchemeDef`] in force.
//! 3. [`report`]: ranking (score, then fewer charged findings, then unit id) and roll-ups by
//!    township, district and city, with counts per finding type and score distributions.
//! 4. [`render`]: the report as a table, CSV or a self-contained HTML page with SVG charts.
//!
//! [`synth`] generates a synthetic city at any scale with a seed, configurable violation rates
//! and the ground truth of every violation it injected.
//!
//! ```
//! use chrono::NaiveDate;
//! use cunwu_core::RuleSet;
//! use cunwu_core::compliance::{Dataset, Rows, UnitRow, PostingRow, assess};
//! use cunwu_core::UnitKind;
//! let rules = RuleSet::bundled().unwrap();
//! let d = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let rows = Rows {
//!     units: vec![UnitRow { id: "v1".into(), name: "石桥村".into(), kind: UnitKind::Village,
//!                           township: "石桥镇".into(), district: "南岸区".into(), areas: None }],
//!     postings: vec![PostingRow { unit: "v1".into(), item: "finance.income-expenditure".into(),
//!                                 period: "2026-01".into(), posted: d("2026-03-02"), removed: None, boards: None }],
//!     ..Rows::default()
//! };
//! let data = Dataset::from_rows(&rows);
//! let report = assess(&rules, &data, 2026, d("2026-03-10")).unwrap();
//! let unit = &report.units[0];
//! let late = unit.findings.iter().find(|f| f.kind == cunwu_core::compliance::FindingKind::Late).unwrap();
//! assert_eq!(late.period.as_deref(), Some("2026-01"));
//! // Due on the 15th of February, a Sunday in the Spring Festival break: the last day moves to
//! // the first working day after it, 24 February; posted 2 March, 6 days late.
//! assert_eq!(late.days, Some(6));
//! assert_eq!(late.explanation.compared[0].date, Some(d("2026-02-24")));
//! ```

pub mod evaluate;
pub mod records;
pub mod render;
pub mod report;
pub mod synth;

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use evaluate::{ComparedDate, Evaluator, Explanation, Finding, Score, UnitAssessment};
pub use records::{
    BenefitRow, Dataset, EventRow, FilingRow, MAX_PROBLEMS_LISTED, ObjectionRow, PostingRow, ReplyOutcome, ReplyRow,
    RepublicationRow, ReviewOutcome, ReviewRow, Rows, SubjectKind, UnitRow,
};
pub use report::{ComplianceReport, RollUp, UnitBatch, assess, assess_batch, roll_up, roll_up_batches};

pub use crate::rules::ScoringSchemeDef;

/// Codes of record problems (bad rows, unknown units...) and report warnings. Append only.
pub const CODES: &[&str] = &[
    "COMPLIANCE_BAD_ROW",
    "COMPLIANCE_UNKNOWN_UNIT",
    "COMPLIANCE_DUPLICATE_UNIT",
    "COMPLIANCE_DUPLICATE_RECORD",
    "COMPLIANCE_UNKNOWN_FILE",
    "COMPLIANCE_NO_REGISTRY",
    "COMPLIANCE_UNMATCHED_RECORD",
    "COMPLIANCE_UNKNOWN_OBJECTION",
    "COMPLIANCE_UNDATED",
    "COMPLIANCE_NO_SCHEME",
    "COMPLIANCE_READ_FAILED",
    "COMPLIANCE_ILLUSTRATIVE_RULES",
    "COMPLIANCE_IMPLAUSIBLE_DATE",
    "COMPLIANCE_MISSING_COLUMN",
    "COMPLIANCE_NOT_JUDGED",
    "COMPLIANCE_FUTURE_RECORD",
    "COMPLIANCE_MORE_PROBLEMS",
];

/// The codes of notes on what the assessment covers — days past the holiday data, posts whose
/// areas could not be judged, example rules, no scoring scheme, records after the assessment
/// date — as opposed to problems of records: no record is at fault, and the reports list them
/// apart (数据覆盖说明).
pub const COVERAGE_CODES: &[&str] = &[
    "COMPLIANCE_UNDATED",
    "COMPLIANCE_NOT_JUDGED",
    "COMPLIANCE_ILLUSTRATIVE_RULES",
    "COMPLIANCE_NO_SCHEME",
    "COMPLIANCE_FUTURE_RECORD",
];

/// Whether `d` is a note on what the assessment covers ([`COVERAGE_CODES`]), not a problem of a
/// record.
///
/// ```
/// use cunwu_core::compliance::is_coverage_note;
/// let d = cunwu_core::Diagnostic {
///     code: "COMPLIANCE_UNDATED".into(), severity: cunwu_core::Severity::Warning,
///     message_zh: String::new(), message_en: String::new(), hint_zh: None, hint_en: None,
///     location: Default::default(), related: vec![],
/// };
/// assert!(is_coverage_note(&d));
/// ```
pub fn is_coverage_note(d: &crate::Diagnostic) -> bool {
    COVERAGE_CODES.contains(&d.code.as_str())
}

/// The default assessment date for `year`: its last day, or the last day of the holiday data if
/// that is earlier, so that no check rests on a guessed calendar.
///
/// ```
/// use chrono::NaiveDate;
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// assert_eq!(cunwu_core::compliance::default_as_of(&rules, 2025), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
/// assert_eq!(cunwu_core::compliance::default_as_of(&rules, 2026), NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
/// ```
pub fn default_as_of(rules: &crate::RuleSet, year: i32) -> chrono::NaiveDate {
    let end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(chrono::NaiveDate::MAX);
    match rules.calendar() {
        Ok(cal) => end.min(cal.covered_until()),
        Err(_) => end,
    }
}

/// A type of finding (考评发现的问题).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 应公开未公开 — an obligation whose due day has passed with no posting.
    Missing,
    /// 未按时公开 — posted after the due day.
    Late,
    /// 公开时间不足 — taken down before the minimum display ended.
    DisplayShort,
    /// 未按片区公开 — a village divided into areas posted on fewer boards than it has areas
    /// (CQ-L art. 28).
    TooFewBoards,
    /// 未报乡镇备案 — posted, but not filed with the township by the deadline.
    NotFiled,
    /// 备案超期 — filed after the deadline.
    FiledLate,
    /// 乡镇审查超期 — the township did not review a filing in time.
    ReviewOverdue,
    /// 异议答复超期 — an objection not answered in time at some level of the ladder.
    ReplyOverdue,
    /// 整改后未重新公开 — a re-publication ordered (by review, objection or early take-down) not made in time.
    NotRepublished,
    /// 村干部亲属享受惠民政策未公开 — a benefit to a cadre or a cadre's relative not disclosed (十公开).
    BenefitUndisclosed,
}

impl FindingKind {
    /// Every finding type, in report order.
    pub const ALL: [FindingKind; 10] = [
        FindingKind::Missing,
        FindingKind::Late,
        FindingKind::DisplayShort,
        FindingKind::TooFewBoards,
        FindingKind::NotFiled,
        FindingKind::FiledLate,
        FindingKind::ReviewOverdue,
        FindingKind::ReplyOverdue,
        FindingKind::NotRepublished,
        FindingKind::BenefitUndisclosed,
    ];

    /// The stable id (`display_short`).
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::Missing => "missing",
            FindingKind::Late => "late",
            FindingKind::DisplayShort => "display_short",
            FindingKind::TooFewBoards => "too_few_boards",
            FindingKind::NotFiled => "not_filed",
            FindingKind::FiledLate => "filed_late",
            FindingKind::ReviewOverdue => "review_overdue",
            FindingKind::ReplyOverdue => "reply_overdue",
            FindingKind::NotRepublished => "not_republished",
            FindingKind::BenefitUndisclosed => "benefit_undisclosed",
        }
    }

    /// The Chinese name.
    ///
    /// ```
    /// assert_eq!(cunwu_core::compliance::FindingKind::Late.name_zh(), "未按时公开");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            FindingKind::Missing => "应公开未公开",
            FindingKind::Late => "未按时公开",
            FindingKind::DisplayShort => "公开时间不足",
            FindingKind::TooFewBoards => "未按片区公开",
            FindingKind::NotFiled => "未报乡镇备案",
            FindingKind::FiledLate => "备案超期",
            FindingKind::ReviewOverdue => "乡镇审查超期",
            FindingKind::ReplyOverdue => "异议答复超期",
            FindingKind::NotRepublished => "整改后未重新公开",
            FindingKind::BenefitUndisclosed => "干部亲属享受惠民政策未公开",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            FindingKind::Missing => "not disclosed",
            FindingKind::Late => "disclosed late",
            FindingKind::DisplayShort => "displayed too short",
            FindingKind::TooFewBoards => "not posted on every area's board",
            FindingKind::NotFiled => "not filed with the township",
            FindingKind::FiledLate => "filed late",
            FindingKind::ReviewOverdue => "township review overdue",
            FindingKind::ReplyOverdue => "objection reply overdue",
            FindingKind::NotRepublished => "not re-published after rectification",
            FindingKind::BenefitUndisclosed => "cadre-relative benefit not disclosed",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for FindingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FindingKind::ALL.into_iter().find(|k| k.id() == s).ok_or_else(|| format!("unknown finding type `{s}`"))
    }
}

/// Who a finding is charged to (责任主体).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Responsible {
    /// The unit's own bodies: the committee, its group heads (村(居)民委员会).
    #[default]
    Committee,
    /// The township or subdistrict (乡镇人民政府、街道办事处).
    Township,
    /// The district or county (区县).
    District,
}

impl Responsible {
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Responsible::Committee => "村(居)委会",
            Responsible::Township => "乡镇(街道)",
            Responsible::District => "区县",
        }
    }
}
