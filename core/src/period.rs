//! Counting periods by the law: "within N days after", "N months", "N working days", "on day X",
//! and the display minimum, each answer with its explanation.
//!
//! The rules are the civil law's (民法典 arts. 200–204; earlier 民法总则 and 民法通则 art. 154), taken
//! from the parameters in force so each step cites the text that governed on the date:
//! the start day is not counted (art. 201); a month period ends on the corresponding day, or the
//! month's last day (art. 202); a last day that is a rest day moves to the day after the rest ends
//! (art. 203) — where the rule in the data says so.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError, DayInfo};
use crate::catalogue::{ResolvedCatalogue, ResolvedParameter};
use crate::diff::basis_texts;
use crate::error::InputError;
use crate::model::{DisplayPeriod, LegalBasis};

/// The longest periods accepted, so absurd input cannot run away.
pub const MAX_DAYS: u32 = 36_600;
/// The longest month period accepted.
pub const MAX_MONTHS: u32 = 1_200;
/// The longest working-day period accepted.
pub const MAX_WORKING_DAYS: u32 = 25_000;
/// The longest run of rest days an extension may pass over before the data is deemed wrong.
const MAX_REST_RUN: u32 = 60;

/// A length of time in a rule (期限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Length {
    /// Calendar days (日).
    Days(u32),
    /// Months (月).
    Months(u32),
    /// Working days (工作日), only where a text says so.
    WorkingDays(u32),
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Length::Days(n) => write!(f, "+{n}d"),
            Length::Months(n) => write!(f, "+{n}m"),
            Length::WorkingDays(n) => write!(f, "+{n}wd"),
        }
    }
}

impl FromStr for Length {
    type Err = InputError;

    /// `+5d`, `+1m`, `+10wd` (the `+` is optional).
    ///
    /// ```
    /// use cunwu_core::period::Length;
    /// assert_eq!("+5d".parse::<Length>().unwrap(), Length::Days(5));
    /// assert_eq!("10wd".parse::<Length>().unwrap(), Length::WorkingDays(10));
    /// assert_eq!("+1000000000d".parse::<Length>().unwrap_err().code(), "INPUT_INVALID_PERIOD");
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InputError::InvalidPeriod { value: s.to_string() };
        let t = s.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(invalid)?);
        let n: u32 = digits.parse().map_err(|_| invalid())?;
        let (length, max) = match unit {
            "d" => (Length::Days(n), MAX_DAYS),
            "m" => (Length::Months(n), MAX_MONTHS),
            "wd" => (Length::WorkingDays(n), MAX_WORKING_DAYS),
            _ => return Err(invalid()),
        };
        if n > max { Err(invalid()) } else { Ok(length) }
    }
}

/// One step of an explanation, in Chinese and English, with the legal basis it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The date the step arrives at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
    /// The legal basis applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<LegalBasis>,
}

/// Why a date is that date: the rule, the counting steps, every day passed over and why, and
/// the calendar data it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The rule or parameter the date comes from (`filing.deadline_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Rest days passed over by an extension or by counting working days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<DayInfo>,
    /// The calendar data version used (empty when no calendar was needed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub calendar_version: String,
    /// Some day was beyond the holiday data and classified by weekday only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
}

/// Collects an explanation, or only its `estimated` flag when explanations are not wanted (the
/// text is then never formatted: a city-wide schedule need not pay for it).
struct Recorder {
    on: bool,
    ex: Explanation,
}

impl Recorder {
    fn new(rule: Option<&str>, on: bool) -> Self {
        let ex = Explanation {
            rule: rule.map(str::to_string),
            steps: Vec::new(),
            skipped: Vec::new(),
            calendar_version: String::new(),
            estimated: false,
        };
        Recorder { on, ex }
    }

    fn step(&mut self, date: Option<NaiveDate>, text: impl FnOnce() -> (String, String), basis: &[LegalBasis]) {
        if self.on {
            let (zh, en) = text();
            self.ex.steps.push(Step { date, zh, en, basis: basis.to_vec() });
        }
    }

    fn skip(&mut self, day: DayInfo) {
        if self.on {
            self.ex.skipped.push(day);
        }
    }

    fn calendar(&mut self, cal: &Calendar) {
        if self.on && self.ex.calendar_version.is_empty() {
            self.ex.calendar_version = cal.version().to_string();
        }
    }
}

impl Explanation {
    /// The explanation as Chinese text, one step a line.
    pub fn to_text_zh(&self) -> String {
        let mut out: Vec<String> = self.steps.iter().enumerate().map(|(i, s)| format!("{}. {}", i + 1, s.zh)).collect();
        if self.estimated {
            out.push("注意：部分日期超出官方放假安排，仅按周末估算。".into());
        }
        if !self.calendar_version.is_empty() {
            out.push(format!("节假日数据版本：{}", self.calendar_version));
        }
        out.join("\n")
    }

    /// The explanation as English text, one step a line.
    pub fn to_text_en(&self) -> String {
        let mut out: Vec<String> = self.steps.iter().enumerate().map(|(i, s)| format!("{}. {}", i + 1, s.en)).collect();
        if self.estimated {
            out.push("Note: some days are beyond the official holiday data and were estimated by weekday only.".into());
        }
        if !self.calendar_version.is_empty() {
            out.push(format!("Calendar data: {}", self.calendar_version));
        }
        out.join("\n")
    }
}

/// A computed last day (or due day) with how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The trigger, when the rule counts from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// The length counted, when the rule counts one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Length>,
    /// The last day before any extension.
    pub nominal: NaiveDate,
    /// The last day (inclusive): the act is in time if done on or before it.
    pub date: NaiveDate,
    /// Whether a rest day moved the last day.
    pub extended: bool,
    /// How it was computed.
    pub explanation: Explanation,
}

/// The counting rules in force, with their legal bases, and the choices of the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountingRules {
    /// Basis of "the start day is not counted".
    pub start_basis: Vec<LegalBasis>,
    /// Basis of "a month period ends on the corresponding or last day".
    pub month_basis: Vec<LegalBasis>,
    /// Whether a last day on a rest day moves to the next working day.
    pub extension: bool,
    /// Basis of the extension (or of the rule applying it).
    pub extension_basis: Vec<LegalBasis>,
    /// The extension rule is a configurable local default.
    pub extension_local_default: bool,
    /// Classify days beyond the holiday data by weekday instead of failing.
    pub estimate: bool,
    /// Build the explanation's text (off for bulk schedules that will not show it).
    pub explain: bool,
    cite_start: String,
    cite_month: String,
    cite_extension: String,
}

fn param<'a>(cat: &'a ResolvedCatalogue, id: &str) -> Option<&'a ResolvedParameter> {
    cat.parameter(id)
}

fn flag(p: Option<&ResolvedParameter>) -> Option<bool> {
    match p.map(|p| &p.value) {
        Some(crate::catalogue::ParamValue::Flag(b)) => Some(*b),
        _ => None,
    }
}

impl CountingRules {
    /// The counting rules of `cat`; `extension_rule` names the flag parameter that says whether
    /// this kind of deadline moves past rest days (`extension.filing`), or `None` for the civil
    /// law's general rule (`period.rest_day_extension`).
    pub fn from_catalogue(cat: &ResolvedCatalogue, extension_rule: Option<&str>) -> Self {
        let start = param(cat, "period.start_day_excluded");
        let month = param(cat, "period.month_end");
        let general = param(cat, "period.rest_day_extension");
        let specific = extension_rule.and_then(|id| param(cat, id));
        let ext = specific.or(general);
        let docs = &cat.documents;
        let cite = |b: &[LegalBasis]| {
            let texts = basis_texts(b, docs);
            if texts.is_empty() { String::new() } else { format!("（{}）", texts.join("；")) }
        };
        let start_basis = start.map(|p| p.source.basis.clone()).unwrap_or_default();
        let month_basis = month.map(|p| p.source.basis.clone()).unwrap_or_default();
        let extension_basis = ext.map(|p| p.source.basis.clone()).unwrap_or_default();
        CountingRules {
            cite_start: cite(&start_basis),
            cite_month: cite(&month_basis),
            cite_extension: cite(&extension_basis),
            start_basis,
            month_basis,
            extension: flag(ext).unwrap_or(false),
            extension_basis,
            extension_local_default: ext.is_some_and(|p| p.source.local_default),
            estimate: false,
            explain: true,
        }
    }

    /// The same rules with the extension switched on or off by the caller.
    pub fn with_extension(mut self, on: bool) -> Self {
        self.extension = on;
        self
    }

    /// The same rules, with or without the explanation's text.
    pub fn with_explain(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }

    /// The same rules, estimating days beyond the holiday data.
    pub fn with_estimate(mut self, on: bool) -> Self {
        self.estimate = on;
        self
    }
}

fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn day_label_zh(info: &DayInfo) -> String {
    match &info.holiday {
        Some(h) => format!("{}（{}）", info.kind.name_zh(), h),
        None => info.kind.name_zh().to_string(),
    }
}

fn day_label_en(info: &DayInfo) -> String {
    match &info.holiday {
        Some(h) => format!("{} ({h})", info.kind.name_en()),
        None => info.kind.name_en().to_string(),
    }
}

fn overflow(start: NaiveDate, what: &str) -> CalendarError {
    CalendarError::OutOfRange { from: start, what: what.to_string() }
}

/// Move `nominal` past rest days if the rules say so, recording each step.
fn extend(
    cal: &Calendar,
    nominal: NaiveDate,
    rules: &CountingRules,
    rec: &mut Recorder,
) -> Result<(NaiveDate, bool), CalendarError> {
    if !rules.extension {
        rec.step(
            Some(nominal),
            || {
                (
                    format!("本规则不顺延：最后一日为{}", date_zh(nominal)),
                    format!("this rule does not move past rest days: the last day is {nominal}"),
                )
            },
            &[],
        );
        return Ok((nominal, false));
    }
    rec.calendar(cal);
    if !cal.is_rest(nominal, rules.estimate)? {
        if rec.on {
            let first = cal.day(nominal, rules.estimate)?;
            rec.ex.estimated |= first.estimated;
            rec.step(
                Some(nominal),
                || {
                    (
                        format!("{}是{}，无需顺延{}", date_zh(nominal), day_label_zh(&first), rules.cite_extension),
                        format!("{nominal} is a {}, so nothing moves", day_label_en(&first)),
                    )
                },
                &rules.extension_basis,
            );
        } else {
            rec.ex.estimated |= !cal.is_covered(nominal);
        }
        return Ok((nominal, false));
    }
    let mut day = nominal;
    let mut passed = Vec::new();
    loop {
        let info = cal.day(day, rules.estimate)?;
        rec.ex.estimated |= info.estimated;
        if !info.is_rest() {
            break;
        }
        passed.push(info);
        if passed.len() > MAX_REST_RUN as usize {
            return Err(overflow(nominal, "a run of rest days longer than any holiday"));
        }
        day = day.succ_opt().ok_or_else(|| overflow(nominal, "+1d"))?;
    }
    let local = if rules.extension_local_default { "（本地默认规则，可配置）" } else { "" };
    rec.step(
        Some(day),
        || {
            let first = passed.first();
            let names: Vec<String> = passed
                .iter()
                .map(|d| format!("{:02}-{:02}{}", d.date.month(), d.date.day(), day_label_zh(d)))
                .collect();
            (
                format!(
                    "最后一日{}是{}，顺延至休息日结束的次日{}{}{}；跳过：{}",
                    date_zh(nominal),
                    first.map(day_label_zh).unwrap_or_default(),
                    date_zh(day),
                    rules.cite_extension,
                    local,
                    names.join("、")
                ),
                format!(
                    "the last day {nominal} is a {}; it moves to the day after the rest ends, {day}; passed over: {}",
                    first.map(day_label_en).unwrap_or_default(),
                    passed.iter().map(|d| format!("{} {}", d.date, day_label_en(d))).collect::<Vec<_>>().join(", ")
                ),
            )
        },
        &rules.extension_basis,
    );
    for d in passed {
        rec.skip(d);
    }
    Ok((day, true))
}

/// The last day of a period of `length` after `start` ("within N after a trigger").
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::period::{period_end, CountingRules};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let cat = rules.resolve(d("2025-09-30"), None).unwrap();
/// let counting = CountingRules::from_catalogue(&cat, None);
/// let end = period_end(rules.calendar().unwrap(), d("2025-09-30"), "+5d".parse().unwrap(), &counting).unwrap();
/// assert_eq!(end.date, d("2025-10-09"));
/// ```
pub fn period_end(
    cal: &Calendar,
    start: NaiveDate,
    length: Length,
    rules: &CountingRules,
) -> Result<Deadline, CalendarError> {
    let mut rec = Recorder::new(None, rules.explain);
    rec.step(
        Some(start),
        || {
            (
                format!("起算日为{}，当日不计入，自次日开始计算{}", date_zh(start), rules.cite_start),
                format!("the period starts on {start}; that day is not counted, counting begins the next day"),
            )
        },
        &rules.start_basis,
    );
    let (nominal, date, extended) = match length {
        Length::Days(n) => {
            let nominal = start
                .checked_add_days(chrono::Days::new(u64::from(n)))
                .ok_or_else(|| overflow(start, &length.to_string()))?;
            rec.step(
                Some(nominal),
                || {
                    (
                        format!("{n}日期间的最后一日为{}", date_zh(nominal)),
                        format!("the {n}-day period's last day is {nominal}"),
                    )
                },
                &[],
            );
            let (date, extended) = extend(cal, nominal, rules, &mut rec)?;
            (nominal, date, extended)
        }
        Length::Months(n) => {
            let nominal =
                start.checked_add_months(Months::new(n)).ok_or_else(|| overflow(start, &length.to_string()))?;
            let clamped = nominal.day() != start.day();
            rec.step(
                Some(nominal),
                || {
                    if clamped {
                        (
                            format!(
                                "{n}个月后没有对应日（{}日），以该月最后一日{}为期间的最后一日{}",
                                start.day(),
                                date_zh(nominal),
                                rules.cite_month
                            ),
                            format!(
                                "{n} month(s) later has no day {}, so the month's last day {nominal} is the last day",
                                start.day()
                            ),
                        )
                    } else {
                        (
                            format!("{n}个月期间以到期月的对应日{}为最后一日{}", date_zh(nominal), rules.cite_month),
                            format!("a {n}-month period ends on the corresponding day, {nominal}"),
                        )
                    }
                },
                &rules.month_basis,
            );
            let (date, extended) = extend(cal, nominal, rules, &mut rec)?;
            (nominal, date, extended)
        }
        Length::WorkingDays(n) => {
            rec.calendar(cal);
            let mut day = start;
            let mut counted = 0;
            let mut rest = 0usize;
            // Zero working days: the start day itself if work is done on it, else the next day
            // that is a working day (as `+0d` ends there, moved past rest days) — never a
            // holiday.
            if n == 0 {
                loop {
                    let info = cal.day(day, rules.estimate)?;
                    rec.ex.estimated |= info.estimated;
                    if !info.is_rest() {
                        break;
                    }
                    rest += 1;
                    rec.skip(info);
                    day = day.succ_opt().ok_or_else(|| overflow(start, &length.to_string()))?;
                }
            }
            while counted < n {
                day = day.succ_opt().ok_or_else(|| overflow(start, &length.to_string()))?;
                let info = cal.day(day, rules.estimate)?;
                rec.ex.estimated |= info.estimated;
                if info.is_rest() {
                    rest += 1;
                    rec.skip(info);
                } else {
                    counted += 1;
                }
            }
            rec.step(
                Some(day),
                || {
                    (
                        format!("数满{n}个工作日，最后一日为{}（跳过{rest}个休息日）", date_zh(day)),
                        format!("counting {n} working days ends on {day} ({rest} rest days passed over)"),
                    )
                },
                &[],
            );
            (day, day, false)
        }
    };
    Ok(Deadline { start: Some(start), length: Some(length), nominal, date, extended, explanation: rec.ex })
}

/// The Chinese name of a due-day rule (`disclosure.monthly_due_day` → 按月公开事项的公开日).
fn due_rule_zh(rule: &str) -> String {
    let cadence = match rule {
        "disclosure.monthly_due_day" => "按月",
        "disclosure.quarterly_due_day" => "按季度",
        "disclosure.half_yearly_due_day" => "按半年",
        "disclosure.annual_due_day" => "按年度",
        _ => return format!("规则 {rule} 规定的公开日"),
    };
    format!("{cadence}公开事项的公开日")
}

/// A due day fixed by the calendar ("the 15th of the first month of the next quarter"): day
/// `day` of `year`-`month` (the month's last day if shorter), moved past rest days if the rules
/// say so.
pub fn fixed_day(
    cal: &Calendar,
    year: i32,
    month: u32,
    day: u32,
    rule: &str,
    rule_basis: &[LegalBasis],
    rules: &CountingRules,
) -> Result<Deadline, CalendarError> {
    let bad = || CalendarError::OutOfRange { from: NaiveDate::MIN, what: format!("{year}-{month}-{day}") };
    let last = last_day_of_month(year, month).ok_or_else(bad)?;
    let nominal = NaiveDate::from_ymd_opt(year, month, day.min(last.day())).ok_or_else(bad)?;
    let mut rec = Recorder::new(Some(rule), rules.explain);
    rec.step(
        Some(nominal),
        || {
            (
                format!("{}为{}（含当日）", due_rule_zh(rule), date_zh(nominal)),
                format!("by {rule}, the due day is {nominal} (inclusive)"),
            )
        },
        rule_basis,
    );
    let (date, extended) = extend(cal, nominal, rules, &mut rec)?;
    Ok(Deadline { start: None, length: None, nominal, date, extended, explanation: rec.ex })
}

/// The last day of a month.
pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// How long a posting stays up: the last day it must be on the board and the first day it may
/// come down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayEnd {
    /// The posting date.
    pub posted: NaiveDate,
    /// The minimum display.
    pub period: DisplayPeriod,
    /// The last day the posting must still be up.
    pub last_day: NaiveDate,
    /// The first day it may be taken down.
    pub earliest_removal: NaiveDate,
    /// How it was computed.
    pub explanation: Explanation,
}

/// When a posting on `posted` may come down under `period` (None for standing display).
///
/// Display counts calendar days and never moves past rest days: it is a minimum duration, not a
/// deadline. By default the posting day is not counted (posted on D, ≥10 days: up through D+10,
/// down from D+11); `start_day_counted` is the stricter reading's opposite (through D+9).
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::DisplayPeriod;
/// use cunwu_core::period::display_end;
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let end = display_end(d("2026-01-15"), DisplayPeriod::Days(10), false, &[], &[]).unwrap();
/// assert_eq!((end.last_day, end.earliest_removal), (d("2026-01-25"), d("2026-01-26")));
/// ```
pub fn display_end(
    posted: NaiveDate,
    period: DisplayPeriod,
    start_day_counted: bool,
    display_basis: &[LegalBasis],
    start_basis: &[LegalBasis],
) -> Option<DisplayEnd> {
    let mut rec = Recorder::new(Some("display"), true);
    let last_day = match period {
        DisplayPeriod::Standing => return None,
        DisplayPeriod::Days(n) => {
            let n = if start_day_counted { n.saturating_sub(1) } else { n };
            let last = posted.checked_add_days(chrono::Days::new(u64::from(n)))?;
            let (zh, en) = if start_day_counted {
                (
                    format!("张贴当日计入：{}张贴，保留至{}", date_zh(posted), date_zh(last)),
                    format!("the posting day counts: posted {posted}, up through {last}"),
                )
            } else {
                (
                    format!("张贴当日不计入：{}张贴，{}日期间至{}", date_zh(posted), n, date_zh(last)),
                    format!("the posting day is not counted: posted {posted}, the period runs through {last}"),
                )
            };
            rec.step(Some(last), || (zh, en), if start_day_counted { display_basis } else { start_basis });
            last
        }
        DisplayPeriod::Months(m) => {
            let last = posted.checked_add_months(Months::new(m))?;
            rec.step(
                Some(last),
                || {
                    (
                        format!("{}张贴，{m}个月期间至对应日{}", date_zh(posted), date_zh(last)),
                        format!("posted {posted}, the {m}-month period runs through {last}"),
                    )
                },
                display_basis,
            );
            last
        }
    };
    let earliest_removal = last_day.succ_opt()?;
    rec.step(
        Some(earliest_removal),
        || {
            (
                format!("公开时限{}，最早可于{}撤下（保留时间按自然日计算，不因休息日顺延）", period.describe_zh(), date_zh(earliest_removal)),
                format!(
                    "minimum display {}: it may come down from {earliest_removal} (calendar days; rest days do not extend it)",
                    period.describe_en()
                ),
            )
        },
        display_basis,
    );
    Some(DisplayEnd { posted, period, last_day, earliest_removal, explanation: rec.ex })
}
