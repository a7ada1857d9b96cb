//! The official calendar of rest days: weekends, statutory holidays, days moved by 调休 and
//! make-up working days, from the State Council's yearly notices (`rules/calendar/*.toml`).
//!
//! The calendar knows where its data ends. A day past the horizon is an error
//! (`CALENDAR_HORIZON`) naming the year whose notice is missing, unless the caller asks for an
//! estimate (weekends only), and then every answer built on it says it is estimated.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::rules::file::{BreakDef, CalendarSettingsDef, CalendarYearDef, FestivalRuleDef};
use crate::rules::load::{LoadedFile, make_diagnostic};
use crate::rules::problem::RuleProblem;

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary working day (Monday to Friday).
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A statutory holiday day (法定节假日).
    StatutoryHoliday,
    /// A weekday off in exchange for a make-up working day, or as 补假 (调休休息日).
    InLieuRest,
    /// A Saturday or Sunday made a working day (调休上班日).
    MakeUpWorkday,
}

impl DayKind {
    /// Whether work stops on this day (a 法定休假日 in the sense of 民法典 art. 203).
    pub fn is_rest(self) -> bool {
        matches!(self, DayKind::Weekend | DayKind::StatutoryHoliday | DayKind::InLieuRest)
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            DayKind::Workday => "工作日",
            DayKind::Weekend => "周末",
            DayKind::StatutoryHoliday => "法定节假日",
            DayKind::InLieuRest => "调休休息日",
            DayKind::MakeUpWorkday => "调休上班日",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            DayKind::Workday => "working day",
            DayKind::Weekend => "weekend",
            DayKind::StatutoryHoliday => "statutory holiday",
            DayKind::InLieuRest => "day off moved by 调休",
            DayKind::MakeUpWorkday => "make-up working day",
        }
    }

    fn code(self) -> u8 {
        match self {
            DayKind::Workday => 0,
            DayKind::Weekend => 1,
            DayKind::StatutoryHoliday => 2,
            DayKind::InLieuRest => 3,
            DayKind::MakeUpWorkday => 4,
        }
    }

    fn from_code(c: u8) -> DayKind {
        match c {
            1 => DayKind::Weekend,
            2 => DayKind::StatutoryHoliday,
            3 => DayKind::InLieuRest,
            4 => DayKind::MakeUpWorkday,
            _ => DayKind::Workday,
        }
    }
}

/// One day, classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    /// The date.
    pub date: NaiveDate,
    /// What kind of day it is.
    pub kind: DayKind,
    /// The holiday break it belongs to (`国庆节`), for holidays, moved days and make-up days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holiday: Option<String>,
    /// The notice year whose data classified it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_year: Option<i32>,
    /// Beyond the data horizon: classified by weekday only, at the caller's request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
}

impl DayInfo {
    /// Whether work stops on this day.
    pub fn is_rest(&self) -> bool {
        self.kind.is_rest()
    }
}

/// A question the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date needs a holiday notice that is not in the data.
    #[error("{date} is beyond the holiday data: the {needed_year} notice is not in the rules (data covers {covered})")]
    Horizon {
        /// The date asked about.
        date: NaiveDate,
        /// The notice year that would settle it.
        needed_year: i32,
        /// What the data covers, as text (`2018-01-01..2026-12-24`).
        covered: String,
    },
    /// The rules hold no calendar at all.
    #[error("the rules hold no holiday calendar")]
    NoData,
    /// Date arithmetic left the range of representable dates, or a run of rest days is too long
    /// to be real data.
    #[error("date arithmetic from {from} is out of range ({what})")]
    OutOfRange {
        /// Where the arithmetic started.
        from: NaiveDate,
        /// What was being computed.
        what: String,
    },
}

impl CalendarError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] = &["CALENDAR_HORIZON", "CALENDAR_NO_DATA", "CALENDAR_OUT_OF_RANGE"];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::Horizon { .. } => "CALENDAR_HORIZON",
            CalendarError::NoData => "CALENDAR_NO_DATA",
            CalendarError::OutOfRange { .. } => "CALENDAR_OUT_OF_RANGE",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            CalendarError::Horizon { date, needed_year, covered } => {
                format!("{date} 超出节假日数据范围：规则中没有{needed_year}年的放假安排通知（现有数据：{covered}）")
            }
            CalendarError::NoData => "规则中没有节假日数据".to_string(),
            CalendarError::OutOfRange { from, what } => format!("自{from}起的日期计算超出范围（{what}）"),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> (String, String) {
        match self {
            CalendarError::Horizon { needed_year, .. } => (
                format!(
                    "国务院办公厅公布{needed_year}年放假安排后，在 rules/calendar/{needed_year}.toml 中录入；或明确要求按周末估算"
                ),
                format!(
                    "add rules/calendar/{needed_year}.toml once the State Council publishes the {needed_year} schedule, or ask explicitly for an estimate (weekends only)"
                ),
            ),
            CalendarError::NoData => {
                ("加入 rules/calendar/ 下的年度数据".into(), "include the yearly files of rules/calendar/".into())
            }
            CalendarError::OutOfRange { .. } => ("请检查日期和期限".into(), "check the dates and the length".into()),
        }
    }
}

/// The official rest-day calendar built from the yearly notices.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::calendar::DayKind;
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let cal = rules.calendar().unwrap();
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// assert_eq!(cal.day(d("2026-10-01"), false).unwrap().kind, DayKind::StatutoryHoliday);
/// assert_eq!(cal.day(d("2026-02-28"), false).unwrap().kind, DayKind::MakeUpWorkday);
/// assert_eq!(cal.day(d("2027-03-01"), false).unwrap_err().code(), "CALENDAR_HORIZON");
/// assert!(cal.day(d("2027-03-01"), true).unwrap().estimated);
/// ```
#[derive(Debug, Clone)]
pub struct Calendar {
    first_year: i32,
    last_year: i32,
    start: NaiveDate,
    covered_until: NaiveDate,
    kinds: Vec<u8>,
    breaks: Vec<(String, i32)>,
    break_of: Vec<u16>,
    version: String,
}

const NO_BREAK: u16 = u16::MAX;

impl Calendar {
    /// The first notice year with data.
    pub fn first_year(&self) -> i32 {
        self.first_year
    }

    /// The last notice year with data.
    pub fn last_year(&self) -> i32 {
        self.last_year
    }

    /// The last day whose classification the data settles.
    pub fn covered_until(&self) -> NaiveDate {
        self.covered_until
    }

    /// A version of the data: the years covered and a hash of every classified day.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn covered_text(&self) -> String {
        format!("{}..{}", self.start, self.covered_until)
    }

    /// The error for a date the data does not settle.
    pub(crate) fn horizon(&self, date: NaiveDate) -> CalendarError {
        let needed_year = if date < self.start { date.year() } else { self.last_year + 1 };
        CalendarError::Horizon { date, needed_year, covered: self.covered_text() }
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        let offset = date.signed_duration_since(self.start).num_days();
        usize::try_from(offset).ok().filter(|&i| i < self.kinds.len())
    }

    /// Whether the data settles `date` (no estimate needed).
    pub fn is_covered(&self, date: NaiveDate) -> bool {
        date >= self.start && date <= self.covered_until
    }

    /// Whether work stops on `date`. Fast path for counting.
    pub fn is_rest(&self, date: NaiveDate, estimate: bool) -> Result<bool, CalendarError> {
        if self.is_covered(date) {
            let kind = self.index(date).and_then(|i| self.kinds.get(i)).copied().unwrap_or(0);
            return Ok(DayKind::from_code(kind).is_rest());
        }
        if estimate { Ok(is_weekend(date)) } else { Err(self.horizon(date)) }
    }

    /// Classify `date`; beyond the horizon, an error unless `estimate`.
    pub fn day(&self, date: NaiveDate, estimate: bool) -> Result<DayInfo, CalendarError> {
        if !self.is_covered(date) {
            if !estimate {
                return Err(self.horizon(date));
            }
            let kind = if is_weekend(date) { DayKind::Weekend } else { DayKind::Workday };
            return Ok(DayInfo { date, kind, holiday: None, notice_year: None, estimated: true });
        }
        let i = self.index(date).unwrap_or(0);
        let kind = DayKind::from_code(self.kinds.get(i).copied().unwrap_or(0));
        let brk =
            self.break_of.get(i).copied().filter(|&b| b != NO_BREAK).and_then(|b| self.breaks.get(usize::from(b)));
        Ok(DayInfo {
            date,
            kind,
            holiday: brk.map(|(name, _)| name.clone()),
            notice_year: brk.map(|(_, y)| *y).or(Some(date.year())),
            estimated: false,
        })
    }

    /// Every classified day from `from` to `until` (inclusive), for exports and cross-checks.
    pub fn days(&self, from: NaiveDate, until: NaiveDate, estimate: bool) -> Result<Vec<DayInfo>, CalendarError> {
        from.iter_days().take_while(|d| *d <= until).map(|d| self.day(d, estimate)).collect()
    }
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The calendar data of one file, as collected by the rules checker.
#[derive(Debug, Clone)]
pub(crate) struct YearSource {
    pub file: usize,
    pub year: CalendarYearDef,
    pub breaks: Vec<(BreakDef, String)>,
}

/// All calendar data found in the rule files.
#[derive(Debug, Clone, Default)]
pub(crate) struct CalendarSources {
    pub years: Vec<YearSource>,
    pub festival_rules: Vec<(usize, FestivalRuleDef, String)>,
    pub settings: Vec<(usize, CalendarSettingsDef)>,
    pub orphan_breaks: Vec<usize>,
}

fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Check the calendar data and build the calendar; `None` when there is none or it has errors.
pub(crate) fn build(src: &CalendarSources, files: &[LoadedFile], diags: &mut Vec<Diagnostic>) -> Option<Calendar> {
    let start_len = diags.len();
    let mut report = |file: usize, pointer: &str, problem: RuleProblem| {
        let location = files.get(file).map(|f| f.location(pointer)).unwrap_or_default();
        diags.push(make_diagnostic(problem, location));
    };
    for &file in &src.orphan_breaks {
        report(file, "/breaks", RuleProblem::CalendarWithoutHeader);
    }
    if src.settings.len() > 1 {
        for (file, _) in src.settings.iter().skip(1) {
            report(*file, "/calendar_settings", RuleProblem::CalendarSettingsDuplicate);
        }
    }
    if let Some((file, s)) = src.settings.first() {
        if !(1..=31).contains(&s.next_notice_reaches_back_to) {
            report(
                *file,
                "/calendar_settings/next_notice_reaches_back_to",
                RuleProblem::InvalidValue { message: "a day of December, 1–31".into() },
            );
        }
    }
    if src.years.is_empty() {
        return None;
    }
    let mut by_year: BTreeMap<i32, &YearSource> = BTreeMap::new();
    for y in &src.years {
        if by_year.insert(y.year.year, y).is_some() {
            report(y.file, "/calendar/year", RuleProblem::CalendarDuplicateYear { year: y.year.year });
        }
    }
    let years: Vec<i32> = by_year.keys().copied().collect();
    for pair in years.windows(2) {
        if let [a, b] = pair {
            if b - a != 1 {
                let file = by_year.get(b).map(|y| y.file).unwrap_or(0);
                report(file, "/calendar/year", RuleProblem::CalendarYearGap { after: *a, before: *b });
            }
        }
    }
    // Every classified date: (kind, break index). Later conflicts are reported, not overwritten.
    let mut days: BTreeMap<NaiveDate, (DayKind, u16)> = BTreeMap::new();
    let mut break_names: Vec<(String, i32)> = Vec::new();
    for (year, ys) in &by_year {
        let rule =
            src.festival_rules.iter().find(|(_, r, _)| r.from_year <= *year && r.until_year.is_none_or(|u| *year <= u));
        let mut festival_days: BTreeMap<String, u32> = BTreeMap::new();
        for (b, ptr) in &ys.breaks {
            let index = u16::try_from(break_names.len()).unwrap_or(NO_BREAK);
            break_names.push((b.name.clone(), *year));
            let off: BTreeSet<NaiveDate> = crate::sort::set(b.off.iter().map(|d| d.0));
            for (festival, dates) in &b.statutory {
                *festival_days.entry(festival.clone()).or_default() += u32::try_from(dates.len()).unwrap_or(u32::MAX);
                if let Some((_, r, _)) = rule {
                    if !r.days.contains_key(festival) {
                        report(
                            ys.file,
                            &format!("{ptr}/statutory"),
                            RuleProblem::CalendarUnknownFestival { festival: festival.clone() },
                        );
                    }
                }
                for d in dates {
                    if !off.contains(&d.0) {
                        report(
                            ys.file,
                            &format!("{ptr}/statutory"),
                            RuleProblem::CalendarStatutoryNotOff { date: d.0.to_string(), festival: festival.clone() },
                        );
                    }
                }
            }
            let statutory: BTreeSet<NaiveDate> = crate::sort::set(b.statutory.values().flatten().map(|d| d.0));
            let mut placements: Vec<(NaiveDate, DayKind, &str)> = Vec::new();
            for d in &off {
                let kind = if statutory.contains(d) {
                    DayKind::StatutoryHoliday
                } else if is_weekend(*d) {
                    DayKind::Weekend
                } else {
                    DayKind::InLieuRest
                };
                placements.push((*d, kind, "off"));
            }
            for w in &b.workdays {
                if !is_weekend(w.0) {
                    report(
                        ys.file,
                        &format!("{ptr}/workdays"),
                        RuleProblem::CalendarWorkdayNotWeekend { date: w.0.to_string() },
                    );
                }
                placements.push((w.0, DayKind::MakeUpWorkday, "workdays"));
            }
            for (date, kind, key) in placements {
                let in_year = date.year() == *year || (date.year() == year - 1 && date.month() == 12);
                if !in_year {
                    let problem = RuleProblem::CalendarDateOutOfYear { date: date.to_string(), year: *year };
                    report(ys.file, &format!("{ptr}/{key}"), problem);
                } else if days.insert(date, (kind, index)).is_some() {
                    report(
                        ys.file,
                        &format!("{ptr}/{key}"),
                        RuleProblem::CalendarDayConflict { date: date.to_string() },
                    );
                }
            }
        }
        match rule {
            None => report(ys.file, "/calendar/year", RuleProblem::CalendarNoFestivalRule { year: *year }),
            Some((_, r, _)) => {
                for (festival, expected) in &r.days {
                    let found = festival_days.get(festival).copied().unwrap_or(0);
                    if found == 0 {
                        report(
                            ys.file,
                            "/calendar/year",
                            RuleProblem::CalendarFestivalMissing { year: *year, festival: festival.clone() },
                        );
                    } else if found != *expected {
                        report(
                            ys.file,
                            "/calendar/year",
                            RuleProblem::CalendarFestivalCount {
                                year: *year,
                                festival: festival.clone(),
                                expected: *expected,
                                found,
                            },
                        );
                    }
                }
            }
        }
    }
    if diags.iter().skip(start_len).any(Diagnostic::is_error) {
        return None;
    }
    let first_year = *years.first()?;
    let last_year = *years.last()?;
    let start = NaiveDate::from_ymd_opt(first_year, 1, 1)?;
    let end = NaiveDate::from_ymd_opt(last_year, 12, 31)?;
    let covered_until = match src.settings.first() {
        Some((_, s)) => {
            NaiveDate::from_ymd_opt(last_year, 12, s.next_notice_reaches_back_to.clamp(1, 31))?.pred_opt()?
        }
        None => end,
    };
    let mut kinds = Vec::new();
    let mut break_of = Vec::new();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for date in start.iter_days().take_while(|d| *d <= end) {
        let (kind, b) = match days.get(&date) {
            Some((k, b)) => (*k, *b),
            None if is_weekend(date) => (DayKind::Weekend, NO_BREAK),
            None => (DayKind::Workday, NO_BREAK),
        };
        kinds.push(kind.code());
        break_of.push(b);
        fnv1a(&mut hash, &[kind.code()]);
    }
    fnv1a(&mut hash, covered_until.to_string().as_bytes());
    let version = format!("{first_year}-{last_year}+{hash:016x}");
    Some(Calendar { first_year, last_year, start, covered_until, kinds, breaks: break_names, break_of, version })
}
