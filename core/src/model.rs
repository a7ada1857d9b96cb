//! The vocabulary of disclosure rules: kinds of affairs, units, cadences, display periods,
//! channels, legal bases, and how strict one value is compared with another.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The four kinds of affairs disclosed (四项公开: 党务、政务、财务、服务) [CQ-P, 2018 reply].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AffairKind {
    /// 党务 — party affairs.
    Party,
    /// 政务 — government affairs.
    Government,
    /// 财务 — finance.
    Finance,
    /// 服务 — services and self-government affairs.
    Service,
}

impl AffairKind {
    /// The Chinese name (`党务`).
    pub fn name_zh(self) -> &'static str {
        match self {
            AffairKind::Party => "党务",
            AffairKind::Government => "政务",
            AffairKind::Finance => "财务",
            AffairKind::Service => "服务",
        }
    }
}

/// The kind of unit that discloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 村 — administrative village (村民委员会).
    Village,
    /// 社区 — urban community (居民委员会).
    Community,
    /// 村(居)民小组 — group below a village or community (组务公开) [CQ-L art. 32].
    Group,
}

impl UnitKind {
    /// The Chinese name (`村`).
    pub fn name_zh(self) -> &'static str {
        match self {
            UnitKind::Village => "村",
            UnitKind::Community => "社区",
            UnitKind::Group => "村(居)民小组",
        }
    }
}

/// How far a document's text reaches (法律效力范围): the whole country, one province-level unit
/// (Chongqing is one), one district, or nowhere (a sample, a mirror of unknown origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// 全国 — national law, regulations and central documents.
    National,
    /// 省级 — one province-level unit, named by the document's `region` (`重庆市`).
    Province,
    /// 区县 — one district or county, named by the document's `region` (`南岸区`).
    District,
    /// 无 — binds nobody: a sample, a practice, a text of unknown origin.
    None,
}

/// What sort of text a document is (文件类别). Samples never bind; the others bind within their
/// jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 法律、地方性法规 — adopted by a people's congress.
    Law,
    /// 行政法规、规章 — adopted by a government.
    Regulation,
    /// 党政规范性文件 — a policy document of the Party and the government.
    Policy,
    /// 答复函 — an official reply that states the policy in force.
    OfficialReply,
    /// 公开目录 — a district's official disclosure catalogue [CQ-L art. 27].
    Catalogue,
    /// 样本、参考目录、地方惯例 — evidence of practice, never binding.
    Sample,
}

impl DocumentKind {
    /// The Chinese name (`法律、地方性法规`).
    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentKind::Law => "法律、地方性法规",
            DocumentKind::Regulation => "行政法规、规章",
            DocumentKind::Policy => "党政规范性文件",
            DocumentKind::OfficialReply => "答复函",
            DocumentKind::Catalogue => "区县公开目录",
            DocumentKind::Sample => "样本或地方惯例",
        }
    }
}

/// The legal force of an obligation or a value for the unit it is applied to (法律效力).
///
/// Only `binding` and `adopted` obligations are judged; `advisory` items are listed as
/// recommendations (建议公开) and never give a finding, a missing plan item or a deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Force {
    /// 有约束力 — rests on a text in force for the unit's jurisdiction on the date.
    Binding,
    /// 区县采纳 — a district's own catalogue made it binding there, citing the district's document.
    Adopted,
    /// 本地默认值 — a value no text fixes, set as a configurable local default (values only).
    LocalDefault,
    /// 建议 — rests only on other jurisdictions' texts, samples or practice; never judged.
    Advisory,
}

impl Force {
    /// The Chinese name (`有约束力`).
    pub fn name_zh(self) -> &'static str {
        match self {
            Force::Binding => "有约束力",
            Force::Adopted => "区县采纳",
            Force::LocalDefault => "本地默认值",
            Force::Advisory => "建议公开（无约束力）",
        }
    }

    /// Whether an obligation of this force is judged (schedules, plans, validation, compliance).
    pub fn is_judged(self) -> bool {
        !matches!(self, Force::Advisory)
    }
}

/// How often an item is disclosed (公开时间).
///
/// Periodic cadences are due on dates set by parameters (`disclosure.quarterly_due_day`,
/// `disclosure.monthly_due_day`); event-driven ones within a number of days of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// 每月 — every month, covering the previous month.
    Monthly,
    /// 每季度 — every quarter, on the unified disclosure day, covering the previous quarter.
    Quarterly,
    /// 每半年 — every half year.
    HalfYearly,
    /// 每年 — every year.
    Annual,
    /// 变动时 — whenever the standing information changes (adoption, amendment).
    OnChange,
    /// 随时 — within a number of days of the event.
    AdHoc,
}

impl Cadence {
    /// Months between two periodic disclosures; `None` for event-driven cadences.
    pub fn interval_months(self) -> Option<u32> {
        match self {
            Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::HalfYearly => Some(6),
            Cadence::Annual => Some(12),
            Cadence::OnChange | Cadence::AdHoc => None,
        }
    }

    /// Whether the cadence is triggered by an event rather than the calendar.
    pub fn is_event_driven(self) -> bool {
        self.interval_months().is_none()
    }

    /// The English name (`quarterly`).
    pub fn name_en(self) -> &'static str {
        match self {
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYearly => "half-yearly",
            Cadence::Annual => "annual",
            Cadence::OnChange => "on change",
            Cadence::AdHoc => "ad hoc",
        }
    }

    /// The Chinese name (`每季度`).
    pub fn name_zh(self) -> &'static str {
        match self {
            Cadence::Monthly => "每月",
            Cadence::Quarterly => "每季度",
            Cadence::HalfYearly => "每半年",
            Cadence::Annual => "每年",
            Cadence::OnChange => "变动时",
            Cadence::AdHoc => "随时",
        }
    }
}

/// Whether `child` keeps every obligation of `parent`: each parent cadence has a child cadence of
/// the same family (periodic or event-driven) that is at least as frequent, and event-driven
/// deadlines are no longer.
///
/// ```
/// use cunwu_core::{Cadence, cadence_at_least_as_strict};
/// assert!(cadence_at_least_as_strict(&[Cadence::Monthly], None, &[Cadence::Quarterly], None));
/// assert!(!cadence_at_least_as_strict(&[Cadence::Annual], None, &[Cadence::Quarterly], None));
/// assert!(!cadence_at_least_as_strict(&[Cadence::AdHoc], Some(15), &[Cadence::AdHoc], Some(10)));
/// ```
pub fn cadence_at_least_as_strict(
    child: &[Cadence],
    child_within_days: Option<u32>,
    parent: &[Cadence],
    parent_within_days: Option<u32>,
) -> bool {
    let periodic_ok = parent.iter().filter_map(|p| p.interval_months()).all(|parent_months| {
        child.iter().filter_map(|c| c.interval_months()).any(|child_months| child_months <= parent_months)
    });
    let parent_has_event = parent.iter().any(|c| c.is_event_driven());
    let event_ok = !parent_has_event
        || (child.iter().any(|c| c.is_event_driven())
            && match (child_within_days, parent_within_days) {
                (_, None) => true,
                (Some(c), Some(p)) => c <= p,
                (None, Some(_)) => false,
            });
    periodic_ok && event_ok
}

/// The minimum time a disclosure stays on the board (公开时限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisplayPeriod {
    /// At least this many days (`{ days = 10 }`: 保留十日以上).
    Days(u32),
    /// At least this many months (`{ months = 1 }`: 不少于一个月).
    Months(u32),
    /// Standing display, never taken down while in force (长期公示).
    Standing,
}

impl DisplayPeriod {
    /// Whether `self` is at least as long as `other` for every possible posting date.
    ///
    /// A month is at least 28 and at most 31 days, so `{months = 1}` beats `{days = 28}` but not
    /// `{days = 29}`.
    ///
    /// ```
    /// use cunwu_core::DisplayPeriod::*;
    /// assert!(Months(1).at_least(&Days(10)));
    /// assert!(!Days(10).at_least(&Months(1)));
    /// assert!(Days(31).at_least(&Months(1)));
    /// assert!(Standing.at_least(&Months(12)));
    /// ```
    pub fn at_least(&self, other: &DisplayPeriod) -> bool {
        use DisplayPeriod::*;
        match (*self, *other) {
            (Standing, _) => true,
            (_, Standing) => false,
            (Days(a), Days(b)) => a >= b,
            (Months(a), Months(b)) => a >= b,
            (Days(a), Months(b)) => u64::from(a) >= 31 * u64::from(b),
            (Months(a), Days(b)) => 28 * u64::from(a) >= u64::from(b),
        }
    }

    /// The period in English (`at least 10 days`).
    pub fn describe_en(&self) -> String {
        match self {
            DisplayPeriod::Days(d) => format!("at least {d} days"),
            DisplayPeriod::Months(m) => format!("at least {m} month(s)"),
            DisplayPeriod::Standing => "standing display".to_string(),
        }
    }

    /// The period in Chinese (`10日以上`).
    pub fn describe_zh(&self) -> String {
        match self {
            DisplayPeriod::Days(d) => format!("{d}日以上"),
            DisplayPeriod::Months(m) => format!("不少于{m}个月"),
            DisplayPeriod::Standing => "长期公示".to_string(),
        }
    }
}

/// Where and how a disclosure is made (公开方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 固定公开栏 — the fixed board at the service centre [CQ-L art. 28].
    Board,
    /// 分片公开 — boards by group or settlement, for large dispersed units [CQ-L art. 28; CQ-P].
    AreaBoards,
    /// 在村(居)民代表会议上通报 — reported at the representatives' meeting [CQ-P].
    RepresentativesMeeting,
    /// 印发给村(居)民代表 — printed copies for the representatives [CQ-P].
    PrintedCopies,
    /// 网络公开 — online (website, app) [CQ-P].
    Online,
}

/// One legal basis of a rule value: a document (by id in the documents registry) and its clause.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// Id of a document declared in a `[[documents]]` table.
    pub doc: String,
    /// The clause: article, paragraph, item (`第三十条`, `一(二)二`).
    pub article: String,
    /// Optional remark on how the clause supports the value.
    #[serde(default, skip_serializing_if = "no_note")]
    pub note: Option<String>,
}

/// A basis note that says nothing (absent, or emptied in the browser package's bundle).
fn no_note(note: &Option<String>) -> bool {
    note.as_deref().is_none_or(str::is_empty)
}

/// A date written exactly `YYYY-MM-DD` (ISO 8601, zero-padded, ten characters), as requests give
/// them; anything else — `2026-1-5`, `+026-01-05`, a datetime, a day that does not exist — is
/// `None`.
///
/// ```
/// use cunwu_core::model::parse_iso_date;
/// assert_eq!(parse_iso_date("2026-01-05").unwrap().to_string(), "2026-01-05");
/// assert_eq!(parse_iso_date("0000-01-01").unwrap().to_string(), "0000-01-01");
/// for bad in ["2026-1-5", "2026-02-30", "+026-01-05", "2026-01-05T00:00", "2026/01/05", "２０２６-01-05", ""] {
///     assert!(parse_iso_date(bad).is_none(), "{bad}");
/// }
/// ```
pub fn parse_iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let number = |from: usize, to: usize| {
        let digits = text.get(from..to)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse::<u32>().ok())?
    };
    chrono::NaiveDate::from_ymd_opt(i32::try_from(number(0, 4)?).ok()?, number(5, 7)?, number(8, 10)?)
}

/// A date as chrono reads one (`NaiveDate`'s `FromStr`, which its serde support uses): year,
/// `-`, month, `-`, day, each number optionally preceded by whitespace, whitespace allowed around
/// the dashes and at the end; the month and day may have one digit, the year a sign. Errors carry
/// chrono's messages (`input contains invalid characters`, `input is out of range`...).
///
/// This is chrono's reading, written out here so the browser package need not carry chrono's
/// general format parser (14 KB) for it; a property test holds it equal to chrono's on every
/// input. Request fields use the stricter [`parse_iso_date`]; record rows, log entries and events
/// are read with this one, so spreadsheet dates such as `2026-3-5` keep being accepted.
///
/// ```
/// use cunwu_core::model::parse_date_leniently;
/// assert_eq!(parse_date_leniently("2026-3-5").unwrap().to_string(), "2026-03-05");
/// assert_eq!(parse_date_leniently(" 2026 - 03 - 05 ").unwrap().to_string(), "2026-03-05");
/// assert_eq!(parse_date_leniently("2026-02-30"), Err("input is out of range"));
/// assert_eq!(parse_date_leniently("2026/03/05"), Err("input contains invalid characters"));
/// assert_eq!(parse_date_leniently("2026-03"), Err("premature end of input"));
/// assert_eq!(parse_date_leniently("2026-03-05T08:00"), Err("trailing input"));
/// ```
pub fn parse_date_leniently(text: &str) -> Result<chrono::NaiveDate, &'static str> {
    const OUT_OF_RANGE: &str = "input is out of range";
    const INVALID: &str = "input contains invalid characters";
    const TOO_SHORT: &str = "premature end of input";
    // chrono's `scan::number`: at least one and at most `max` ASCII digits.
    fn number(s: &str, max: usize) -> Result<(&str, i64), &'static str> {
        let digits = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(if s.is_empty() { TOO_SHORT } else { INVALID });
        }
        let mut n = 0i64;
        for b in s.bytes().take(digits) {
            n = n.checked_mul(10).and_then(|n| n.checked_add(i64::from(b - b'0'))).ok_or(OUT_OF_RANGE)?;
        }
        Ok((s.get(digits..).unwrap_or(""), n))
    }
    fn dash(s: &str) -> Result<&str, &'static str> {
        let s = s.trim_start();
        match s.strip_prefix('-') {
            Some(rest) => Ok(rest),
            None if s.is_empty() => Err(TOO_SHORT),
            None => Err(INVALID),
        }
    }
    let s = text.trim_start();
    let (s, year) = if let Some(rest) = s.strip_prefix('-') {
        let (s, n) = number(rest, usize::MAX)?;
        (s, 0i64.checked_sub(n).ok_or(OUT_OF_RANGE)?)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let year = i32::try_from(year).map_err(|_| OUT_OF_RANGE)?;
    let (s, month) = number(dash(s)?.trim_start(), 2)?;
    if !(1..=12).contains(&month) {
        return Err(OUT_OF_RANGE);
    }
    let (s, day) = number(dash(s)?.trim_start(), 2)?;
    if !(1..=31).contains(&day) {
        return Err(OUT_OF_RANGE);
    }
    if !s.trim_start().is_empty() {
        return Err("trailing input");
    }
    let (month, day) = (u32::try_from(month).map_err(|_| OUT_OF_RANGE)?, u32::try_from(day).map_err(|_| OUT_OF_RANGE)?);
    chrono::NaiveDate::from_ymd_opt(year, month, day).ok_or(OUT_OF_RANGE)
}

/// Reads a date field with [`parse_date_leniently`], exactly as chrono's serde support would
/// (`#[serde(deserialize_with = "crate::model::date_field")]`).
pub(crate) fn date_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// [`date_field`] for an optional date (the field needs `#[serde(default)]` as well).
pub(crate) fn optional_date_field<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    struct OptionalDate;
    impl<'de> serde::de::Visitor<'de> for OptionalDate {
        type Value = Option<chrono::NaiveDate>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a formatted date string")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date_field(d).map(Some)
        }
    }
    d.deserialize_option(OptionalDate)
}

struct DateVisitor;

impl serde::de::Visitor<'_> for DateVisitor {
    type Value = chrono::NaiveDate;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a formatted date string")
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        // The value in backticks: readers of record rows find the field by it.
        parse_date_leniently(text)
            .map_err(|why| E::custom(format!("`{text}` is not a date like 2026-01-15 (YYYY-MM-DD): {why}")))
    }
}
