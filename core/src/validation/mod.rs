//! Submission validation: what a browser form and the city system check before a disclosure is
//! accepted. Every check runs and every problem is reported at once (never first-fail), each a
//! finding with severity, stable code, JSON pointer, Chinese and English message and legal basis.
//!
//! No silent pass: the whole submission is first read against its family's published JSON
//! Schema ([`shape`]): a value of the wrong type, an unknown field or a missing one is an error at
//! its pointer. Then the domain checks run on the JSON (one malformed field does not hide the
//! others). A check that cannot run — no catalogue for the unit on that date, an unknown item,
//! an unreadable period — is named in a `VALIDATION_CHECK_SKIPPED` warning next to the error that
//! stopped it, so `ok` always means that every check ran and passed. The typed payloads below
//! are what the schemas are generated from.

mod shape;

pub use shape::KEYWORDS as SCHEMA_KEYWORDS;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::{ParamValue, ResolvedCatalogue, ResolvedItem};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{Cadence, Channel, LegalBasis};
use crate::rules::RuleSet;

/// The shape of a submission, by item (declared in the rules: `family = "…"` on an item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// 财务收支公开表: opening balance, income and expenditure lines, closing balance.
    FinanceStatement,
    /// 享受人员名单: who receives which benefit, how much, and any relation to village cadres.
    BeneficiaryList,
    /// 工程项目: stage, budget, bids, contractor, acceptance.
    Project,
    /// 公告: free text.
    Notice,
}

impl Family {
    /// Every family, in declaration order.
    pub const ALL: [Family; 4] = [Family::FinanceStatement, Family::BeneficiaryList, Family::Project, Family::Notice];
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Family::FinanceStatement => "finance_statement",
            Family::BeneficiaryList => "beneficiary_list",
            Family::Project => "project",
            Family::Notice => "notice",
        })
    }
}

/// An amount of money in yuan: a string with at most two decimals (`"1234.50"`), or a whole
/// number of yuan; fractional JSON numbers are refused, as they would lose cents in JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money(pub String);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;
        impl serde::de::Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an amount: a string such as \"1234.50\" or a whole number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Ok(Money(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                Ok(Money(v.to_string()))
            }
        }
        d.deserialize_any(MoneyVisitor)
    }
}

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount in yuan: a string with at most two decimals (\"1234.50\"), or a whole number of yuan.",
            "type": ["string", "integer"],
            "pattern": r"^-?\d+(\.\d{1,2})?$"
        })
    }
}

/// The typed reading of a submission of `family` (the types the published schema is generated
/// from): `Ok` exactly when serde reads the envelope as [`Submission`] and its payload as the
/// family's type. An independent oracle for the shape check: a submission that `validate` calls
/// `ok` always reads.
///
/// ```
/// use cunwu_core::validation::{Family, read_typed};
/// let good: serde_json::Value = serde_json::from_str(include_str!("../../../examples/submissions/finance-good.json")).unwrap();
/// assert!(read_typed(Family::FinanceStatement, &good).is_ok());
/// let mut bad = good.clone();
/// bad["item"] = serde_json::json!(42);
/// assert!(read_typed(Family::FinanceStatement, &bad).is_err());
/// ```
pub fn read_typed(family: Family, submission: &Value) -> Result<(), String> {
    let envelope: Submission = crate::json::from_value(submission.clone()).map_err(|e| e.to_string())?;
    let payload = envelope.payload;
    let read = match family {
        Family::FinanceStatement => crate::json::from_value::<FinanceStatement>(payload).map(drop),
        Family::BeneficiaryList => crate::json::from_value::<BeneficiaryList>(payload).map(drop),
        Family::Project => crate::json::from_value::<Project>(payload).map(drop),
        Family::Notice => crate::json::from_value::<Notice>(payload).map(drop),
    };
    read.map_err(|e| format!("/payload: {e}"))
}

/// One income or expenditure line.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Category (`集体资产租赁收入`).
    pub category: String,
    /// Amount, ≥ 0.
    pub amount: Money,
    /// Who paid or was paid.
    pub counterparty: String,
    /// Voucher number (凭证号), unique within the statement.
    pub voucher: String,
    /// Date, inside the period covered.
    pub date: NaiveDate,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// A finance statement (财务收支公开).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinanceStatement {
    /// Balance at the start of the period.
    pub opening_balance: Money,
    /// Income lines.
    pub income: Vec<Line>,
    /// Expenditure lines.
    pub expenditure: Vec<Line>,
    /// Stated total income (checked against the lines).
    #[serde(default)]
    pub total_income: Option<Money>,
    /// Stated total expenditure (checked against the lines).
    #[serde(default)]
    pub total_expenditure: Option<Money>,
    /// Balance at the end: opening + income − expenditure.
    pub closing_balance: Money,
}

/// A beneficiary's relation to a village cadre (十公开).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CadreRelation {
    /// The cadre's name.
    pub cadre: String,
    /// `self`, `spouse`, `parent`, `child`, `sibling`, `grandparent`, `grandchild`, …
    pub relation: String,
}

/// One beneficiary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Beneficiary {
    /// Name.
    pub name: String,
    /// Benefit kind, if it differs from the list's.
    #[serde(default)]
    pub benefit_kind: Option<String>,
    /// Amount, ≥ 0.
    pub amount: Money,
    /// Period of the benefit, if it differs from the submission's.
    #[serde(default)]
    pub period: Option<String>,
    /// Household size (低保), if relevant.
    #[serde(default)]
    pub household_size: Option<u32>,
    /// The relation to a village cadre, which must be marked (十公开).
    #[serde(default)]
    pub relation_to_cadre: Option<CadreRelation>,
}

/// A beneficiary list (享受人员名单).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BeneficiaryList {
    /// The benefit (`城乡低保`).
    pub benefit_kind: String,
    /// The beneficiaries.
    pub entries: Vec<Beneficiary>,
    /// Stated total (checked against the entries).
    #[serde(default)]
    pub total: Option<Money>,
}

/// A bid for a project.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bid {
    /// Bidder.
    pub bidder: String,
    /// Amount, ≥ 0.
    pub amount: Money,
}

/// The stage of a village project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStage {
    /// 立项.
    Approval,
    /// 招投标.
    Bidding,
    /// 预算.
    Budget,
    /// 施工.
    Construction,
    /// 验收.
    Acceptance,
    /// 决算.
    FinalAccounts,
}

/// A village project (村级工程项目).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Name.
    pub name: String,
    /// Stage.
    pub stage: ProjectStage,
    /// Budget, ≥ 0.
    pub budget: Money,
    /// Bids.
    #[serde(default)]
    pub bids: Vec<Bid>,
    /// Contractor.
    #[serde(default)]
    pub contractor: Option<String>,
    /// Acceptance date.
    #[serde(default)]
    pub acceptance_date: Option<NaiveDate>,
}

/// A free-text notice.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
}

/// A relative of a cadre.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relative {
    /// Name.
    pub name: String,
    /// `spouse`, `parent`, `child`, `sibling`, `grandparent`, `grandchild`, …
    pub relation: String,
}

/// A village cadre with the relatives the roster knows.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cadre {
    /// Name.
    pub name: String,
    /// Post (`村委会主任`).
    #[serde(default)]
    pub post: Option<String>,
    /// Relatives.
    #[serde(default)]
    pub relatives: Vec<Relative>,
}

/// Where and when the disclosure will be posted.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// Planned posting date.
    pub date: NaiveDate,
    /// Boards.
    #[serde(default)]
    pub boards: Vec<String>,
    /// Planned removal date, if one is planned.
    #[serde(default)]
    pub planned_removal: Option<NaiveDate>,
}

/// A submission: the envelope, and a payload whose shape depends on the item's family.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The unit.
    pub unit: crate::procedure::UnitRef,
    /// The catalogue item.
    pub item: String,
    /// The period covered (`2026-03`, `2026-Q1`, `2026-H1`, `2026`).
    pub period: String,
    /// Where and when it will be posted.
    pub posting: Posting,
    /// Channels.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The payload: a finance statement, beneficiary list, project or notice.
    pub payload: Value,
    /// The unit's cadres and their relatives, for 十公开.
    #[serde(default)]
    pub roster: Vec<Cadre>,
}

/// Generate the JSON Schema of a submission of one family (the envelope with that family's
/// payload) from the types. The library serves the committed copy,
/// [`rules::schema::submission_schema`](crate::rules::schema::submission_schema), which a test
/// keeps equal to this.
///
/// ```
/// use cunwu_core::validation::{Family, generate_family_schema};
/// assert!(generate_family_schema(Family::Notice).contains("cunwu submission: notice"));
/// ```
pub fn generate_family_schema(family: Family) -> String {
    let payload = match family {
        Family::FinanceStatement => schemars::schema_for!(FinanceStatement),
        Family::BeneficiaryList => schemars::schema_for!(BeneficiaryList),
        Family::Project => schemars::schema_for!(Project),
        Family::Notice => schemars::schema_for!(Notice),
    };
    let mut envelope = serde_json::to_value(schemars::schema_for!(Submission)).unwrap_or(Value::Null);
    let payload = serde_json::to_value(payload).unwrap_or(Value::Null);
    if let Some(obj) = envelope.as_object_mut() {
        obj.insert("title".into(), Value::String(format!("cunwu submission: {family}")));
        let mut defs = obj.remove("$defs").and_then(|d| d.as_object().cloned()).unwrap_or_default();
        if let Some(p) = payload.get("$defs").and_then(Value::as_object) {
            defs.extend(p.clone());
        }
        let mut inline = payload.clone();
        if let Some(i) = inline.as_object_mut() {
            i.remove("$defs");
            i.remove("$schema");
        }
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert("payload".into(), inline);
        }
        obj.insert("$defs".into(), Value::Object(defs));
    }
    let mut text = serde_json::to_string_pretty(&envelope).unwrap_or_default();
    text.push('\n');
    text
}

/// Every code a validation finding can carry. Append only.
pub const CODES: &[&str] = &[
    "VALIDATION_REQUIRED",
    "VALIDATION_TYPE",
    "VALIDATION_UNKNOWN_ITEM",
    "VALIDATION_PERIOD_INVALID",
    "VALIDATION_PERIOD_CADENCE",
    "VALIDATION_DATE_OUTSIDE_PERIOD",
    "VALIDATION_EARLY_POSTING",
    "VALIDATION_LATE_POSTING",
    "VALIDATION_DISPLAY_TOO_SHORT",
    "VALIDATION_CHANNEL_MISSING",
    "VALIDATION_MONEY_FORMAT",
    "VALIDATION_MONEY_NEGATIVE",
    "VALIDATION_BALANCE_MISMATCH",
    "VALIDATION_TOTAL_MISMATCH",
    "VALIDATION_DUPLICATE_VOUCHER",
    "VALIDATION_PERSONAL_DATA",
    "VALIDATION_CADRE_RELATIVE_UNMARKED",
    "VALIDATION_ADVISORY_ITEM",
    "VALIDATION_UNKNOWN_FIELD",
    "VALIDATION_CHECK_SKIPPED",
    "VALIDATION_UNKNOWN_DISTRICT",
    "VALIDATION_NOT_IN_FORCE",
    "VALIDATION_UNKNOWN_RELATION",
    "VALIDATION_TOO_MANY_FINDINGS",
];

/// At most this many findings are listed in one answer…
const MAX_FINDINGS: usize = 10_000;
/// …and at most this many bytes of pointers, messages and hints (a pointer repeats every parent
/// key, so deep long keys would make the answer grow with the square of the submission).
const MAX_FINDING_BYTES: usize = 4 << 20;

/// What validation found: `ok` when no finding is an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationAnswer {
    /// No errors (warnings allowed).
    pub ok: bool,
    /// Every finding, in the order of the submission.
    pub findings: Vec<Diagnostic>,
}

/// Findings so far, the pointers the shape check already reported (a domain check does not
/// report the same place twice), and what the listed findings weigh and how many were left out
/// past [`MAX_FINDINGS`] or [`MAX_FINDING_BYTES`].
struct Findings<'r>(
    Vec<Diagnostic>,
    BTreeSet<String>,
    usize,
    usize,
    &'r std::collections::BTreeMap<String, crate::rules::DocumentDef>,
);

impl Findings<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        pointer: &str,
        zh: String,
        en: String,
        basis: &[LegalBasis],
        hint: Option<(String, String)>,
    ) {
        // Cited by title for people (the ids stay in the rules for machines).
        let cite = crate::diff::basis_texts(basis, self.4).join("；");
        let (zh, en) = if cite.is_empty() {
            (zh, en)
        } else {
            (format!("{zh}（依据：{cite}）"), format!("{en} (basis: {cite})"))
        };
        // Personal data is reported wherever it is, shape errors or not.
        if severity == Severity::Error && code != "VALIDATION_PERSONAL_DATA" && self.1.contains(pointer) {
            return;
        }
        let weight = pointer.len() + zh.len() + en.len() + hint.as_ref().map_or(0, |(z, e)| z.len() + e.len());
        if self.0.len() >= MAX_FINDINGS || self.2.saturating_add(weight) > MAX_FINDING_BYTES {
            self.3 += 1;
            return;
        }
        self.2 += weight;
        let (hint_zh, hint_en) = match hint {
            Some((z, e)) => (Some(z), Some(e)),
            None => (None, None),
        };
        self.0.push(Diagnostic {
            code: code.into(),
            severity,
            message_zh: zh,
            message_en: en,
            hint_zh,
            hint_en,
            location: Location::at_pointer(pointer),
            related: Vec::new(),
        });
    }

    fn error(&mut self, code: &str, pointer: &str, zh: String, en: String) {
        self.push(Severity::Error, code, pointer, zh, en, &[], None);
    }

    fn has_error(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// A check that could not run: a warning naming it when an error already explains why, an
    /// error otherwise (`ok` never holds with a check skipped).
    fn skipped(&mut self, pointer: &str, check_zh: &str, check_en: &str, why_zh: &str, why_en: &str) {
        let severity = if self.has_error() { Severity::Warning } else { Severity::Error };
        self.push(
            severity,
            "VALIDATION_CHECK_SKIPPED",
            pointer,
            format!("未能进行{check_zh}：{why_zh}"),
            format!("{check_en} could not run: {why_en}"),
            &[],
            None,
        );
    }
}

fn doc(doc: &str, article: &str) -> LegalBasis {
    LegalBasis { doc: doc.into(), article: article.into(), note: None }
}

/// Parse money: a string (or an integer) with at most two decimals.
fn money(v: &Value, at: impl Fn() -> String, f: &mut Findings, non_negative: bool) -> Option<Decimal> {
    let number_text;
    let text: &str = match v {
        Value::String(s) => s.trim(),
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            number_text = n.to_string();
            &number_text
        }
        Value::Number(n) => {
            f.push(
                Severity::Error,
                "VALIDATION_MONEY_FORMAT",
                &at(),
                format!("金额 {n} 是浮点数，可能丢失分位"),
                format!("amount {n} is a floating-point number and may lose cents"),
                &[],
                Some((
                    "请以字符串提交金额，如 \"1234.50\"".into(),
                    "send amounts as strings such as \"1234.50\"".into(),
                )),
            );
            return None;
        }
        other => {
            f.error(
                "VALIDATION_TYPE",
                &at(),
                format!("金额应为字符串，实际为 {other}"),
                format!("an amount must be a string, found {other}"),
            );
            return None;
        }
    };
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits_ok = !int.trim_start_matches('-').is_empty()
        && int.trim_start_matches('-').chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !digits_ok || frac.len() > 2 || text.ends_with('.') {
        f.push(
            Severity::Error,
            "VALIDATION_MONEY_FORMAT",
            &at(),
            format!("`{text}` 不是以元为单位、最多两位小数的金额"),
            format!("`{text}` is not an amount in yuan with at most two decimals"),
            &[],
            None,
        );
        return None;
    }
    // Exactly, or not at all: an amount with more digits than a decimal holds (29) is refused, not
    // rounded, and not skipped.
    let Ok(d) = Decimal::from_str_exact(text) else {
        f.push(
            Severity::Error,
            "VALIDATION_MONEY_FORMAT",
            &at(),
            format!("金额 `{text}` 位数过多，无法精确计算"),
            format!("amount `{text}` has more digits than can be computed exactly"),
            &[],
            None,
        );
        return None;
    };
    if non_negative && d.is_sign_negative() && !d.is_zero() {
        f.error(
            "VALIDATION_MONEY_NEGATIVE",
            &at(),
            format!("金额 {text} 不能为负数"),
            format!("amount {text} may not be negative"),
        );
    }
    Some(d)
}

/// `YYYY-MM-DD`, parsed by hand: it is on every line of a statement.
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse::<u32>().ok())
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

fn date(v: &Value, at: impl Fn() -> String, f: &mut Findings) -> Option<NaiveDate> {
    match v.as_str().and_then(iso_date) {
        Some(d) => Some(d),
        None => {
            f.error(
                "VALIDATION_TYPE",
                &at(),
                format!("{v} 不是有效日期（格式如 2026-01-15）"),
                format!("{v} is not a date like 2026-01-15"),
            );
            None
        }
    }
}

/// A step of a JSON pointer, formatted only when a finding needs it.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(segs: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for s in segs {
        out.push('/');
        match s {
            Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// Report every place where `path` (`income/*/voucher`) under `value` is missing or empty.
fn check_required<'a>(
    value: Option<&'a Value>,
    segs: &[&'a str],
    at: &mut Vec<Seg<'a>>,
    path: &str,
    basis: &[LegalBasis],
    f: &mut Findings,
) {
    let Some((seg, rest)) = segs.split_first() else {
        if value.is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty())) {
            let pointer = pointer_of(at);
            f.push(
                Severity::Error,
                "VALIDATION_REQUIRED",
                &pointer,
                format!("缺少必填项 `{path}`"),
                format!("`{path}` is required"),
                basis,
                None,
            );
        }
        return;
    };
    match (*seg, value) {
        ("*", Some(Value::Array(items))) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Seg::Index(i));
                check_required(Some(item), rest, at, path, basis, f);
                at.pop();
            }
        }
        ("*", _) => {}
        (key, v) => {
            at.push(Seg::Key(key));
            check_required(v.and_then(|v| v.get(key)), rest, at, path, basis, f);
            at.pop();
        }
    }
}

fn scan_personal_data<'a>(v: &'a Value, at: &mut Vec<Seg<'a>>, f: &mut Findings) {
    let number_text;
    let text = match v {
        Value::String(s) => Some(s.as_str()),
        // A number is posted too (an amount of 13912345678 is a mobile number).
        Value::Number(n) => {
            number_text = n.to_string();
            Some(number_text.as_str())
        }
        _ => None,
    };
    match v {
        Value::String(_) | Value::Number(_) => personal_data_finding(text.unwrap_or_default(), at, false, f),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Seg::Index(i));
                scan_personal_data(x, at, f);
                at.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                at.push(Seg::Key(k));
                // A key is kept with the submission as much as its value.
                personal_data_finding(k, at, true, f);
                scan_personal_data(x, at, f);
                at.pop();
            }
        }
        _ => {}
    }
}

/// One `VALIDATION_PERSONAL_DATA` finding for a text holding personal data (however many pieces:
/// each piece is named, the masked text is given once, so the answer grows with the text, not
/// with the square of it).
fn personal_data_finding(text: &str, at: &[Seg<'_>], key: bool, f: &mut Findings) {
    let found = crate::privacy::find(text);
    if found.is_empty() {
        return;
    }
    if f.0.len() >= MAX_FINDINGS || f.2 >= MAX_FINDING_BYTES {
        // Not listed (the answer is full): counted without building its pointer.
        f.3 += 1;
        return;
    }
    let pointer = &pointer_of(at);
    let name = |k: crate::privacy::PersonalData| match k {
        crate::privacy::PersonalData::IdNumber => ("身份证号码", "an ID number"),
        crate::privacy::PersonalData::Mobile => ("手机号码", "a mobile number"),
        crate::privacy::PersonalData::BankCard => ("银行卡号", "a bank card number"),
    };
    const NAMED: usize = 5;
    let list = |zh: bool| {
        let mut parts: Vec<String> = found
            .iter()
            .take(NAMED)
            .map(|x| {
                let (z, e) = name(x.kind);
                if zh {
                    format!("第{}个字符起的{z}", x.start + 1)
                } else {
                    format!("{e} from character {}", x.start + 1)
                }
            })
            .collect();
        if found.len() > NAMED {
            parts.push(if zh {
                format!("等共 {} 处", found.len())
            } else {
                format!("and {} more", found.len() - NAMED)
            });
        }
        parts.join(if zh { "、" } else { ", " })
    };
    let (what_zh, what_en) = if key { ("字段名", "the field's name") } else { ("", "the text") };
    let masked = crate::privacy::mask(text);
    f.push(
        Severity::Error,
        "VALIDATION_PERSONAL_DATA",
        pointer,
        format!("{what_zh}含有完整的个人信息（{}），不得公开", list(true)),
        format!("{what_en} contains personal data in full ({}); it may not be posted", list(false)),
        &[doc("cn-social-assistance-2014", "第六十一条"), doc("cq-dibao-regulations-2016", "第十八条第（五）项")],
        Some((format!("改为：{masked}"), format!("post instead: {masked}"))),
    );
}

/// Add `a` to the running `total`; a sum beyond what a decimal holds is a finding at `pointer`
/// and leaves no total (nothing is checked against a wrong one).
fn add_exact(total: Option<Decimal>, a: Option<Decimal>, pointer: &str, f: &mut Findings) -> Option<Decimal> {
    let (t, a) = (total?, a?);
    let sum = t.checked_add(a);
    if sum.is_none() {
        f.error(
            "VALIDATION_MONEY_FORMAT",
            pointer,
            format!("加上 {a} 后合计超出可精确计算的范围"),
            format!("adding {a} takes the sum beyond what can be computed exactly"),
        );
    }
    sum
}

/// The sum of the lines' amounts, or `None` when an amount is unreadable (then no total or
/// balance can be checked without misleading).
fn sum_lines<'a>(
    lines: Option<&'a Value>,
    base: &'static str,
    period: Option<(NaiveDate, NaiveDate)>,
    vouchers: &mut std::collections::HashMap<&'a str, (&'static str, usize)>,
    f: &mut Findings,
) -> Option<Decimal> {
    let mut total = Some(Decimal::ZERO);
    for (i, line) in lines.and_then(Value::as_array).into_iter().flatten().enumerate() {
        let at = |field: &str| format!("{base}/{i}/{field}");
        let amount = line.get("amount").and_then(|a| money(a, || at("amount"), f, true));
        total = add_exact(total, amount, &at("amount"), f);
        if let (Some(d), Some((from, until))) = (line.get("date").and_then(|d| date(d, || at("date"), f)), period) {
            if d < from || d > until {
                f.error(
                    "VALIDATION_DATE_OUTSIDE_PERIOD",
                    &at("date"),
                    format!("日期 {d} 不在公开期 {from} 至 {until} 内"),
                    format!("date {d} is outside the period {from}..{until}"),
                );
            }
        }
        if let Some(v) = line.get("voucher").and_then(Value::as_str).filter(|v| !v.trim().is_empty()) {
            if let Some((first_base, first_i)) = vouchers.get(v) {
                let first = format!("{first_base}/{first_i}/voucher");
                f.error(
                    "VALIDATION_DUPLICATE_VOUCHER",
                    &at("voucher"),
                    format!("凭证号 `{v}` 与 {first} 重复"),
                    format!("voucher `{v}` repeats {first}"),
                );
            } else {
                vouchers.insert(v, (base, i));
            }
        }
    }
    total
}

fn check_total(stated: Option<&Value>, pointer: &str, computed: Option<Decimal>, f: &mut Findings) {
    // `null` is no stated total (the schema allows it).
    let stated = stated.filter(|v| !v.is_null()).and_then(|v| money(v, || pointer.to_string(), f, true));
    if let (Some(s), Some(computed)) = (stated, computed) {
        if s != computed {
            f.push(
                Severity::Error,
                "VALIDATION_TOTAL_MISMATCH",
                pointer,
                format!("合计 {s} 与明细之和 {computed} 不符"),
                format!("stated total {s} does not equal the sum of the lines, {computed}"),
                &[],
                Some((format!("应为 {computed}"), format!("should be {computed}"))),
            );
        }
    }
}

/// The statement's sums and balance; a mismatch rests on the item's basis for this kind of unit.
fn finance_statement(p: &Value, period: Option<(NaiveDate, NaiveDate)>, basis: &[LegalBasis], f: &mut Findings) {
    let mut vouchers = std::collections::HashMap::new();
    let income = sum_lines(p.get("income"), "/payload/income", period, &mut vouchers, f);
    let expenditure = sum_lines(p.get("expenditure"), "/payload/expenditure", period, &mut vouchers, f);
    check_total(p.get("total_income"), "/payload/total_income", income, f);
    check_total(p.get("total_expenditure"), "/payload/total_expenditure", expenditure, f);
    let opening = p.get("opening_balance").and_then(|v| money(v, || "/payload/opening_balance".into(), f, false));
    let closing = p.get("closing_balance").and_then(|v| money(v, || "/payload/closing_balance".into(), f, false));
    if let (Some(o), Some(c), Some(income), Some(expenditure)) = (opening, closing, income, expenditure) {
        let Some(expected) = o.checked_add(income).and_then(|x| x.checked_sub(expenditure)) else {
            f.error(
                "VALIDATION_MONEY_FORMAT",
                "/payload/closing_balance",
                format!("期初 {o} + 收入 {income} − 支出 {expenditure} 超出可精确计算的范围"),
                format!(
                    "opening {o} + income {income} − expenditure {expenditure} is beyond what can be computed exactly"
                ),
            );
            return;
        };
        if expected != c {
            f.push(
                Severity::Error,
                "VALIDATION_BALANCE_MISMATCH",
                "/payload/closing_balance",
                format!("期末余额 {c} 与 期初 {o} + 收入 {income} − 支出 {expenditure} = {expected} 不符"),
                format!("closing balance {c} does not equal opening {o} + income {income} − expenditure {expenditure} = {expected}"),
                basis,
                Some((format!("应为 {expected}"), format!("should be {expected}"))),
            );
        }
    }
}

/// A name as a reader sees it: trimmed, without invisible characters.
fn plain_name(name: &str) -> String {
    name.chars()
        .filter(|c| !crate::privacy::invisible(*c))
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace())
        .to_string()
}

/// The relations a roster may name (称谓): the values `cadre.relative_circle` chooses from.
/// A relation outside this list cannot be placed inside or outside the circle, so it is an
/// error rather than a relative silently left out of the 十公开 check.
pub const RELATIONS: &[&str] = &[
    "spouse",
    "parent",
    "child",
    "grandparent",
    "grandchild",
    "sibling",
    "parent_in_law",
    "child_in_law",
    "sibling_in_law",
    "uncle_aunt",
    "nephew_niece",
    "cousin",
    "other",
];

/// The roster's cadres and relatives, read field by field: an unknown extra field (reported by
/// the shape check) does not drop a cadre from the 十公开 check; an entry whose name or relation
/// cannot be read is named as not checked.
fn roster_of(value: Option<&Value>, f: &mut Findings) -> Vec<Cadre> {
    let mut out = Vec::new();
    let unread = |f: &mut Findings, at: String| {
        f.skipped(
            &at,
            "“十公开”核对（享受人是否为村干部或其直系亲属）",
            "the 十公开 check (whether a beneficiary is a cadre or a cadre's relative)",
            "村干部名册中该项的姓名或亲属关系无法读取",
            "a name or relation of the cadre roster could not be read",
        );
    };
    let cadres = match value {
        None | Some(Value::Null) => return out,
        Some(Value::Array(a)) => a,
        Some(_) => {
            unread(f, "/roster".into());
            return out;
        }
    };
    for (i, c) in cadres.iter().enumerate() {
        let Some(name) = c.get("name").and_then(Value::as_str) else {
            unread(f, format!("/roster/{i}"));
            continue;
        };
        let mut relatives = Vec::new();
        match c.get("relatives") {
            None | Some(Value::Null) => {}
            Some(Value::Array(rs)) => {
                for (j, r) in rs.iter().enumerate() {
                    match (r.get("name").and_then(Value::as_str), r.get("relation").and_then(Value::as_str)) {
                        (Some(n), Some(rel)) => relatives.push(Relative { name: n.into(), relation: rel.into() }),
                        _ => unread(f, format!("/roster/{i}/relatives/{j}")),
                    }
                }
            }
            Some(_) => unread(f, format!("/roster/{i}/relatives")),
        }
        out.push(Cadre { name: name.into(), post: None, relatives });
    }
    out
}

fn unknown_relations(roster: &[Cadre], f: &mut Findings) {
    for (i, c) in roster.iter().enumerate() {
        for (j, r) in c.relatives.iter().enumerate() {
            if !RELATIONS.contains(&r.relation.as_str()) {
                f.error(
                    "VALIDATION_UNKNOWN_RELATION",
                    &format!("/roster/{i}/relatives/{j}/relation"),
                    format!(
                        "不认识的亲属关系 `{}`，无法判断是否在“十公开”亲属范围内；可用：{}",
                        r.relation,
                        RELATIONS.join("、")
                    ),
                    format!(
                        "unknown relation `{}`: it cannot be placed in or out of the 十公开 circle; expected one of {}",
                        r.relation,
                        RELATIONS.join(", ")
                    ),
                );
            }
        }
    }
}

fn beneficiary_list(p: &Value, roster: &[Cadre], circle: &BTreeSet<String>, basis: &[LegalBasis], f: &mut Findings) {
    let mut total = Some(Decimal::ZERO);
    // Names are compared as a reader sees them: spaces around them and invisible characters
    // (zero-width spaces, joiners, the BOM) do not make 张小红 someone else.
    let mut linked: BTreeMap<String, (String, String)> = BTreeMap::new();
    for c in roster {
        linked.insert(plain_name(&c.name), (c.name.clone(), "self".into()));
        for r in c.relatives.iter().filter(|r| circle.contains(&r.relation)) {
            linked.entry(plain_name(&r.name)).or_insert((c.name.clone(), r.relation.clone()));
        }
    }
    for (i, e) in p.get("entries").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let ptr = format!("/payload/entries/{i}");
        let amount = e.get("amount").and_then(|a| money(a, || format!("{ptr}/amount"), f, true));
        total = add_exact(total, amount, &format!("{ptr}/amount"), f);
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        // Marked means a cadre's name and a known relation, not an empty object.
        let mark = e.get("relation_to_cadre").filter(|r| !r.is_null());
        let marked = mark.is_some_and(|r| {
            let cadre = r.get("cadre").and_then(Value::as_str).is_some_and(|c| !plain_name(c).is_empty());
            let relation = r.get("relation").and_then(Value::as_str);
            cadre && relation.is_some_and(|x| x == "self" || RELATIONS.contains(&x))
        });
        if let (Some(_), false) = (mark, marked) {
            f.error(
                "VALIDATION_UNKNOWN_RELATION",
                &format!("{ptr}/relation_to_cadre"),
                format!("标明的干部关系须写明干部姓名和关系（self 或 {}）", RELATIONS.join("、")),
                format!("a marked relation needs the cadre's name and a relation (self or {})", RELATIONS.join(", ")),
            );
        }
        if let (Some((cadre, relation)), false) = (linked.get(&plain_name(name)), marked) {
            f.push(
                Severity::Error,
                "VALIDATION_CADRE_RELATIVE_UNMARKED",
                &format!("{ptr}/relation_to_cadre"),
                format!(
                    "享受人 {name} 是村(居)干部 {cadre} 本人或其亲属（{}），必须标明（“十公开”）",
                    crate::names::relation_zh(relation).unwrap_or(relation)
                ),
                format!("beneficiary {name} is village cadre {cadre} or a close relative ({relation}) and must be marked as such"),
                // The circle's own basis (the 2018 reply's 直系亲属, or a district's wider circle).
                basis,
                Some((
                    format!("加上 \"relation_to_cadre\": {{\"cadre\": \"{cadre}\", \"relation\": \"{relation}\"}}"),
                    format!("add \"relation_to_cadre\": {{\"cadre\": \"{cadre}\", \"relation\": \"{relation}\"}}"),
                )),
            );
        }
    }
    check_total(p.get("total"), "/payload/total", total, f);
}

fn project(p: &Value, f: &mut Findings) {
    if let Some(b) = p.get("budget") {
        money(b, || "/payload/budget".into(), f, true);
    }
    for (i, bid) in p.get("bids").and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(a) = bid.get("amount") {
            money(a, || format!("/payload/bids/{i}/amount"), f, true);
        }
    }
    if let Some(stage) = p.get("stage") {
        if crate::json::from_value::<ProjectStage>(stage.clone()).is_err() {
            f.error(
                "VALIDATION_TYPE",
                "/payload/stage",
                format!("{stage} 不是项目阶段（approval、bidding、budget、construction、acceptance、final_accounts）"),
                format!("{stage} is not a project stage (approval, bidding, budget, construction, acceptance, final_accounts)"),
            );
        }
    }
}

/// The due day of a periodic item for `period`, per the rules in force.
/// The due day of a period ending on `until`, with the basis of the due-day rule for this kind
/// of unit (a community's never the village statute).
fn due_date(
    rules: &RuleSet,
    cat: &ResolvedCatalogue,
    until: NaiveDate,
    cadence: Cadence,
) -> Option<(NaiveDate, Vec<LegalBasis>)> {
    let next = until.succ_opt()?;
    let param = match cadence {
        Cadence::Monthly => "disclosure.monthly_due_day",
        Cadence::Quarterly => "disclosure.quarterly_due_day",
        Cadence::HalfYearly => "disclosure.half_yearly_due_day",
        Cadence::Annual => "disclosure.annual_due_day",
        Cadence::OnChange | Cadence::AdHoc => return None,
    };
    let parameter = cat.parameter(param)?;
    let day = parameter.as_number().and_then(|n| u32::try_from(n).ok())?;
    let basis = parameter.source.basis.clone();
    let counting =
        crate::period::CountingRules::from_catalogue(cat, Some("extension.disclosure_due")).with_explain(false);
    let cal = rules.calendar().ok()?;
    crate::period::fixed_day(
        cal,
        chrono::Datelike::year(&next),
        chrono::Datelike::month(&next),
        day,
        param,
        &[],
        &counting,
    )
    .ok()
    .map(|d| (d.date, basis))
}

/// Validate a submission given as JSON: every check, every finding at once.
///
/// ```
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let submission = serde_json::json!({
///     "unit": {"id": "v1", "kind": "village"}, "item": "finance.income-expenditure", "period": "2026-03",
///     "posting": {"date": "2026-04-15"}, "channels": ["board", "representatives_meeting", "printed_copies"],
///     "payload": {"opening_balance": "100.00", "income": [], "expenditure": [], "closing_balance": "90.00"}
/// });
/// let answer = cunwu_core::validation::validate(&rules, &submission);
/// assert!(!answer.ok);
/// assert_eq!(answer.findings[0].code, "VALIDATION_BALANCE_MISMATCH");
/// ```
pub fn validate(rules: &RuleSet, submission: &Value) -> ValidationAnswer {
    let mut f = Findings(Vec::new(), BTreeSet::new(), 0, 0, &rules.documents);
    let s = submission;
    if !s.is_object() {
        f.error("VALIDATION_TYPE", "", "提交内容应为 JSON 对象".into(), "a submission must be a JSON object".into());
        return ValidationAnswer { ok: false, findings: f.0 };
    }
    for key in ["unit", "item", "period", "posting", "payload"] {
        if s.get(key).is_none_or(Value::is_null) {
            f.error(
                "VALIDATION_REQUIRED",
                &format!("/{key}"),
                format!("缺少必填项 `{key}`"),
                format!("`{key}` is required"),
            );
        }
    }
    let unit: Option<crate::procedure::UnitRef> = s.get("unit").and_then(|u| {
        crate::json::from_value(u.clone())
            .map_err(|e| {
                f.error("VALIDATION_TYPE", "/unit", format!("单位信息有误：{e}"), format!("invalid unit: {e}"))
            })
            .ok()
    });
    let posting = s.pointer("/posting/date").and_then(|d| date(d, || "/posting/date".into(), &mut f));
    let period = s.get("period").and_then(Value::as_str).and_then(|p| match crate::procedure::parse_period(p) {
        Ok(x) => Some(x),
        Err(_) => {
            f.error(
                "VALIDATION_PERIOD_INVALID",
                "/period",
                format!("`{p}` 不是公开期（如 2026-03、2026-Q1、2026-H1、2026）"),
                format!("`{p}` is not a period like 2026-03, 2026-Q1, 2026-H1 or 2026"),
            );
            None
        }
    });
    let as_of = posting.or_else(|| period.and_then(|(_, u, _)| u.succ_opt()));
    let item_id = s.get("item").and_then(Value::as_str).unwrap_or_default();
    let resolved = match (unit.as_ref(), as_of) {
        (Some(u), Some(d)) => match rules.resolve_shared(d, u.district.as_deref(), Some(u.kind)) {
            Ok(cat) => Some((cat, u.kind)),
            Err(crate::error::CatalogueError::UnknownDistrict { district }) => {
                let mut known: Vec<String> = rules
                    .layers()
                    .into_iter()
                    .filter_map(|l| l.district.map(|d| format!("{}（{}）", d.name, d.id)))
                    .collect();
                crate::sort::sort(&mut known);
                known.dedup();
                let list = if known.is_empty() { "（无）".to_string() } else { known.join("、") };
                f.push(
                    Severity::Error,
                    "VALIDATION_UNKNOWN_DISTRICT",
                    "/unit/district",
                    format!("规则中没有区县 `{district}` 的目录"),
                    format!("the rules hold no catalogue for district `{district}`"),
                    &[],
                    Some((
                        format!("有目录的区县：{list}；按全市目录检查请省略 `district`"),
                        format!("districts with a catalogue: {list}; leave `district` out for the city-wide catalogue"),
                    )),
                );
                None
            }
            Err(crate::error::CatalogueError::NotInForce { as_of }) => {
                let at = if posting.is_some() { "/posting/date" } else { "/period" };
                f.error(
                    "VALIDATION_NOT_IN_FORCE",
                    at,
                    format!("{as_of} 没有生效的公开规则，无法检查"),
                    format!("no disclosure rules are in force on {as_of}: nothing can be checked"),
                );
                None
            }
        },
        _ => None,
    };
    // An advisory item (建议公开) may be published and its content is checked, but nothing about
    // it is an obligation: no cadence, due date, display or channel is judged.
    let mut judged = true;
    let item: Option<(&ResolvedCatalogue, ResolvedItem)> = match &resolved {
        Some((cat, kind)) => match cat.item(item_id).filter(|i| i.applies_to(*kind)) {
            Some(i) => Some((&**cat, i.clone())),
            None if cat.advisory_item(item_id).is_some_and(|i| i.applies_to(*kind)) => {
                judged = false;
                let it = cat.advisory_item(item_id).cloned();
                let basis = it.as_ref().map(|i| i.basis.clone()).unwrap_or_default();
                f.push(
                    Severity::Warning,
                    "VALIDATION_ADVISORY_ITEM",
                    "/item",
                    format!("事项 `{item_id}` 是建议公开事项（所依据的文件对本单位没有约束力），只检查内容，不检查公开时间、时限和方式"),
                    format!(
                        "item `{item_id}` is advisory (its sources do not bind this unit): its content is checked, its timing, display and channels are not judged"
                    ),
                    &basis,
                    None,
                );
                it.map(|i| (&**cat, i))
            }
            None => {
                if s.get("item").is_some_and(Value::is_string) {
                    f.error(
                        "VALIDATION_UNKNOWN_ITEM",
                        "/item",
                        format!("事项 `{item_id}` 对该单位在该日不适用或不存在"),
                        format!("item `{item_id}` is not in force for this unit on that date"),
                    );
                }
                None
            }
        },
        None => None,
    };
    // The whole submission against its family's schema (the envelope only, when the item and so
    // its family are unknown).
    let family = item.as_ref().map(|(_, it)| it.family);
    for e in shape::check(family.unwrap_or(Family::Notice), s, family.is_some()) {
        f.error(e.code, &e.pointer, e.zh, e.en);
        f.1.insert(e.pointer);
    }
    if item.is_none() {
        f.skipped(
            "/item",
            "事项检查（公开周期、公开日期、公开时限、公开方式、必填内容、内容核对）",
            "the item's checks (cadence, due date, display, channels, required fields, content)",
            "无法确定本单位在该日适用的事项",
            "the item in force for this unit on that date could not be determined",
        );
    } else if period.is_none() {
        f.skipped(
            "/period",
            "公开期检查（公开周期、迟报、日期在期内）",
            "the period's checks (cadence, late posting, dates inside the period)",
            "公开期无法读取",
            "the period could not be read",
        );
    }
    if item.is_some() && posting.is_none() {
        f.skipped(
            "/posting/date",
            "张贴日期检查（迟报、公开时限）",
            "the posting date's checks (late posting, display)",
            "张贴日期无法读取",
            "the posting date could not be read",
        );
    }
    if let (Some((cat, it)), Some((from, until, kind)), true) = (&item, period, judged) {
        let periodic: Vec<Cadence> = it.cadence.value.iter().copied().filter(|c| !c.is_event_driven()).collect();
        if !periodic.is_empty() && !periodic.contains(&kind) {
            let names: Vec<&str> = periodic.iter().map(|c| c.name_zh()).collect();
            f.push(
                Severity::Error,
                "VALIDATION_PERIOD_CADENCE",
                "/period",
                format!(
                    "该事项按{}公开，公开期 `{}` 不符",
                    names.join("、"),
                    s.get("period").and_then(Value::as_str).unwrap_or("")
                ),
                format!(
                    "this item is disclosed {}, which the period does not match",
                    periodic.iter().map(|c| c.name_en()).collect::<Vec<_>>().join(", ")
                ),
                &it.cadence.source.basis,
                None,
            );
        }
        if let (Some(posted), true) = (posting, periodic.contains(&kind)) {
            if posted <= until {
                f.push(
                    Severity::Warning,
                    "VALIDATION_EARLY_POSTING",
                    "/posting/date",
                    format!("公开期至 {until} 结束，{posted} 张贴时尚未结束"),
                    format!("the period runs to {until}; posting on {posted} comes before it ends"),
                    &[],
                    None,
                );
            }
            if let Some((due, due_basis)) = due_date(rules, cat, until, kind) {
                if posted > due {
                    f.push(
                        Severity::Warning,
                        "VALIDATION_LATE_POSTING",
                        "/posting/date",
                        format!(
                            "应于 {due}（含当日）前公开，计划 {posted} 张贴已逾期 {} 日",
                            (posted - due).num_days()
                        ),
                        format!("due by {due}; posting on {posted} is {} days late", (posted - due).num_days()),
                        &due_basis,
                        None,
                    );
                }
            } else {
                // The due day cannot be dated (the holiday data does not reach it): say so, never
                // a silent pass on a posting that may be late.
                f.skipped(
                    "/posting/date",
                    "迟报检查",
                    "the late-posting check",
                    "公开期限无法确定（节假日数据未覆盖该日期，或规则没有公开日）",
                    "the due day cannot be dated (the holiday data does not reach it, or no rule sets it)",
                );
            }
        }
        let _ = from;
    }
    if let (Some((cat, it)), Some(posted), true) = (&item, posting, judged) {
        if let (Some(removal), Some(display)) = (
            s.pointer("/posting/planned_removal")
                .filter(|d| !d.is_null())
                .and_then(|d| date(d, || "/posting/planned_removal".into(), &mut f)),
            &it.display,
        ) {
            let counted =
                matches!(cat.parameter("display.start_day_counted").map(|p| &p.value), Some(ParamValue::Flag(true)));
            let earliest =
                crate::period::display_end(posted, display.value, counted, &[], &[]).map(|e| e.earliest_removal);
            match earliest {
                Some(e) if removal < e => f.push(
                    Severity::Error,
                    "VALIDATION_DISPLAY_TOO_SHORT",
                    "/posting/planned_removal",
                    format!("公开时限{}，最早 {e} 才能撤下，计划 {removal} 撤下过早", display.value.describe_zh()),
                    format!(
                        "minimum display {}: it may come down from {e}, not {removal}",
                        display.value.describe_en()
                    ),
                    &display.source.basis,
                    None,
                ),
                None => f.push(
                    Severity::Error,
                    "VALIDATION_DISPLAY_TOO_SHORT",
                    "/posting/planned_removal",
                    "该事项须长期公示，不能计划撤下".into(),
                    "this item is a standing display and may not be planned to come down".into(),
                    &display.source.basis,
                    None,
                ),
                _ => {}
            }
        }
        let given: BTreeSet<Channel> = crate::sort::set(
            s.get("channels").and_then(|c| crate::json::from_value::<Vec<Channel>>(c.clone()).ok()).unwrap_or_default(),
        );
        for required in &it.channels {
            if !given.contains(&required.value) {
                f.push(
                    Severity::Error,
                    "VALIDATION_CHANNEL_MISSING",
                    "/channels",
                    format!("缺少公开方式“{}”", crate::diff::channel_zh(required.value)),
                    format!(
                        "channel `{}` is required",
                        serde_json::to_value(required.value)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    ),
                    &required.source.basis,
                    None,
                );
            }
        }
    }
    let null = Value::Null;
    let payload = s.get("payload").unwrap_or(&null);
    if item.is_some() && !payload.is_object() {
        f.skipped("/payload", "内容核对", "the content checks", "公开内容不是对象", "the payload is not an object");
    }
    if let Some((cat, it)) = &item {
        let mut required: Vec<String> = rules.family(it.family).map(|fam| fam.required.clone()).unwrap_or_default();
        required.extend(it.required_fields.iter().cloned());
        // The family's basis as far as it governs this kind of unit (a community's statement
        // never rests on the village statute); the item's own basis where none of it does.
        let mut basis = rules.family(it.family).map(|fam| fam.basis.clone()).unwrap_or_default();
        if let Some(kind) = cat.unit_kind {
            basis.retain(|b| rules.document_governs(&b.doc, kind));
            if basis.is_empty() {
                basis.clone_from(&it.basis);
            }
        }
        for path in &required {
            let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            check_required(Some(payload), &segs, &mut vec![Seg::Key("payload")], path, &basis, &mut f);
        }
        let covered = period.map(|(a, b, _)| (a, b));
        match it.family {
            Family::FinanceStatement => finance_statement(payload, covered, &it.basis, &mut f),
            Family::BeneficiaryList => {
                let roster = roster_of(s.get("roster"), &mut f);
                unknown_relations(&roster, &mut f);
                let circle: BTreeSet<String> = match cat.parameter("cadre.relative_circle").map(|p| &p.value) {
                    Some(ParamValue::List(l)) => crate::sort::set(l.iter().cloned()),
                    _ => BTreeSet::new(),
                };
                let circle_basis =
                    cat.parameter("cadre.relative_circle").map(|p| p.source.basis.clone()).unwrap_or_default();
                beneficiary_list(payload, &roster, &circle, &circle_basis, &mut f);
            }
            Family::Project => project(payload, &mut f),
            Family::Notice => {}
        }
    }
    // Every string of the submission will be posted or kept with it: the unit's name, the
    // boards, the roster, not only the payload.
    scan_personal_data(s, &mut Vec::new(), &mut f);
    // A message may quote a value (`"13912345678" is not a date`): what the answer says is masked,
    // as anything shown next to the form may be seen by others. Pointers stay as they are: they
    // address the submitter's own document.
    crate::privacy::mask_diagnostics(&mut f.0);
    if f.3 > 0 {
        // Every check ran; not every finding fits in one answer.
        f.0.push(Diagnostic {
            code: "VALIDATION_TOO_MANY_FINDINGS".into(),
            severity: Severity::Error,
            message_zh: format!("另有 {} 个问题未列出（一次最多列出 {MAX_FINDINGS} 个、共 {} MiB）；请先改正以上问题", f.3, MAX_FINDING_BYTES >> 20),
            message_en: format!(
                "{} more findings are not listed (one answer lists at most {MAX_FINDINGS}, {} MiB in all); correct those above first",
                f.3,
                MAX_FINDING_BYTES >> 20
            ),
            hint_zh: None,
            hint_en: None,
            location: Location::at_pointer(""),
            related: Vec::new(),
        });
    }
    let ok = !f.0.iter().any(Diagnostic::is_error);
    ValidationAnswer { ok, findings: f.0 }
}
