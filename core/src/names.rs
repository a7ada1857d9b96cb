//! The one table of Chinese names (名称表) every surface shows: stages, events, outcomes,
//! deadlines, roles, levels and kinds, by the name they have in JSON. The renderings of the core
//! use it, the bindings return it ([`labels`]), and the browser form reads it, so a stage is
//! called the same everywhere and no English name reaches Chinese text.
//!
//! It also cites, by title, the documents the code itself rests on (the procedure's transition
//! table): [`cite_code_basis`]. The titles are checked against `rules/documents.toml` by a test.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::objection::{Aspect, EscalationReason, Level, ObjectionStage, Outcome};
use crate::procedure::{DeadlineRule, Stage};

/// The Chinese name of a case event (`plan_proposed` → 提出公开方案), by its JSON type name.
///
/// ```
/// assert_eq!(cunwu_core::names::case_event_zh("review_accepted"), Some("乡镇(街道)审查通过"));
/// assert_eq!(cunwu_core::names::case_event_zh("nope"), None);
/// ```
pub fn case_event_zh(kind: &str) -> Option<&'static str> {
    lookup(CASE_EVENTS, kind)
}

/// The Chinese name of an objection event (`replied` → 答复), by its JSON type name.
pub fn objection_event_zh(kind: &str) -> Option<&'static str> {
    lookup(OBJECTION_EVENTS, kind)
}

const CASE_EVENTS: &[(&str, &str)] = &[
    ("opened", "立案"),
    ("plan_proposed", "提出公开方案"),
    ("plan_reviewed", "审查完善方案"),
    ("objection_answered", "答复监委会异议"),
    ("objection_referred", "异议提交处理"),
    ("objection_settled", "异议处理完毕"),
    ("secrecy_reviewed", "保密审查"),
    ("plan_decided", "确定公开方案"),
    ("published", "组织实施公开"),
    ("taken_down", "撤下公开内容"),
    ("filed", "存档并报乡镇(街道)备案"),
    ("review_accepted", "乡镇(街道)审查通过"),
    ("rectification_ordered", "责令整改"),
    ("correction_required", "要求更正"),
];

/// The Chinese name of an objection's deadline (`reply` → 答复期限), by its JSON name.
///
/// ```
/// assert_eq!(cunwu_core::names::objection_deadline_zh("appeal"), Some("向上一级反映期限"));
/// ```
pub fn objection_deadline_zh(what: &str) -> Option<&'static str> {
    lookup(OBJECTION_DEADLINES, what)
}

const OBJECTION_DEADLINES: &[(&str, &str)] =
    &[("reply", "答复期限"), ("appeal", "向上一级反映期限"), ("republication", "重新公布期限")];

/// The Chinese name (称谓) of a relation a roster names (`child` → 子女), by its JSON name.
///
/// ```
/// assert_eq!(cunwu_core::names::relation_zh("child"), Some("子女"));
/// ```
pub fn relation_zh(relation: &str) -> Option<&'static str> {
    lookup(RELATIONS, relation)
}

const RELATIONS: &[(&str, &str)] = &[
    ("self", "本人"),
    ("spouse", "配偶"),
    ("parent", "父母"),
    ("child", "子女"),
    ("grandparent", "祖父母、外祖父母"),
    ("grandchild", "孙子女、外孙子女"),
    ("sibling", "兄弟姐妹"),
    ("parent_in_law", "配偶的父母"),
    ("child_in_law", "子女的配偶"),
    ("sibling_in_law", "兄弟姐妹的配偶、配偶的兄弟姐妹"),
    ("uncle_aunt", "伯叔姑舅姨"),
    ("nephew_niece", "侄子女、外甥子女"),
    ("cousin", "堂表兄弟姐妹"),
    ("other", "其他亲属"),
];

/// The Chinese name of what changes on a schedule's wake-up day (`due` → 公开截止日), by its
/// JSON name.
///
/// ```
/// assert_eq!(cunwu_core::names::wake_change_zh("filing_overdue"), Some("备案逾期"));
/// ```
pub fn wake_change_zh(change: &str) -> Option<&'static str> {
    lookup(WAKE_CHANGES, change)
}

const WAKE_CHANGES: &[(&str, &str)] = &[
    ("publishable", "可以公开（覆盖期已结束）"),
    ("due", "公开截止日"),
    ("overdue", "公开逾期"),
    ("removal_allowed", "可以撤下"),
    ("filing_overdue", "备案逾期"),
    ("review_overdue", "审查逾期"),
];

const OBJECTION_EVENTS: &[(&str, &str)] = &[
    ("filed", "提出异议"),
    ("acknowledged", "受理"),
    ("replied", "答复"),
    ("accepted", "异议人接受答复"),
    ("escalated", "向上一级反映"),
    ("withdrawn", "撤回异议"),
    ("correction_ordered", "责令更正并重新公布"),
    ("republished", "重新公布"),
    ("action_against_objector", "对异议人采取措施"),
];

impl ObjectionStage {
    /// The Chinese name (待答复、已答复、已办结…).
    ///
    /// ```
    /// assert_eq!(cunwu_core::objection::ObjectionStage::Closed.name_zh(), "已办结");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            ObjectionStage::Filed => "已提出，待答复",
            ObjectionStage::Acknowledged => "已受理，待答复",
            ObjectionStage::Replied => "已答复",
            ObjectionStage::CorrectionOrdered => "已责令更正，待重新公布",
            ObjectionStage::Closed => "已办结",
            ObjectionStage::Withdrawn => "已撤回",
        }
    }

    /// Every stage.
    pub const ALL: [ObjectionStage; 6] = [
        ObjectionStage::Filed,
        ObjectionStage::Acknowledged,
        ObjectionStage::Replied,
        ObjectionStage::CorrectionOrdered,
        ObjectionStage::Closed,
        ObjectionStage::Withdrawn,
    ];
}

impl EscalationReason {
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            EscalationReason::Dissatisfied => "对答复不满意",
            EscalationReason::Overdue => "逾期未答复",
        }
    }
}

impl Aspect {
    /// The Chinese name (内容、时间、形式).
    pub fn name_zh(self) -> &'static str {
        match self {
            Aspect::Content => "内容",
            Aspect::Timing => "时间",
            Aspect::Form => "形式",
        }
    }
}

/// A parameter's value as people read it: each name in it (a relation, a role) in Chinese
/// (`spouse, parent` → `配偶、父母`); numbers and other text as they are.
///
/// ```
/// assert_eq!(cunwu_core::names::value_zh("spouse, parent, child"), "配偶、父母、子女");
/// assert_eq!(cunwu_core::names::value_zh("joint_meeting"), "两委联席会议");
/// assert_eq!(cunwu_core::names::value_zh("15"), "15");
/// ```
pub fn value_zh(text: &str) -> String {
    let role = |t: &str| crate::log::Role::ALL.into_iter().find(|r| json_name(*r) == t).map(crate::log::Role::name_zh);
    let parts: Vec<&str> = text.split(", ").collect();
    let named: Vec<Option<&str>> = parts.iter().map(|t| relation_zh(t).or_else(|| role(t))).collect();
    if named.iter().all(Option::is_some) {
        named.into_iter().flatten().collect::<Vec<_>>().join("、")
    } else {
        text.to_string()
    }
}

/// The table of names: for each kind of value, its JSON name and its Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// Kind of value (`case_stage`, `deadline_rule`, …) → JSON name → Chinese name.
    pub tables: BTreeMap<&'static str, BTreeMap<String, &'static str>>,
}

impl Labels {
    /// The Chinese name of `value` in the table `table`.
    ///
    /// ```
    /// let labels = cunwu_core::names::labels();
    /// assert_eq!(labels.zh("case_stage", "closed"), Some("审查通过"));
    /// assert_eq!(labels.zh("outcome", "upheld"), Some("异议成立"));
    /// assert_eq!(labels.zh("deadline_rule", "review"), Some("审查期限"));
    /// ```
    pub fn zh(&self, table: &str, value: &str) -> Option<&'static str> {
        self.tables.get(table)?.get(value).copied()
    }
}

/// The Chinese name of `key` in a table of (JSON name, Chinese name) pairs.
fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, zh)| *zh)
}

/// A table of (JSON name, Chinese name) pairs as one of [`Labels::tables`].
fn pairs(table: &[(&str, &'static str)]) -> BTreeMap<String, &'static str> {
    table.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
}

/// The JSON name of a unit-like enum value.
fn json_name(v: impl Serialize) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn table<T: Serialize + Copy>(values: &[T], zh: fn(T) -> &'static str) -> BTreeMap<String, &'static str> {
    values.iter().map(|v| (json_name(*v), zh(*v))).collect()
}

/// Every name the surfaces show, by table.
///
/// ```
/// let labels = cunwu_core::names::labels();
/// assert!(labels.tables["case_event"].values().all(|zh| !zh.is_ascii()));
/// ```
pub fn labels() -> Labels {
    use crate::compliance::FindingKind;
    use crate::log::Role;
    use crate::model::{AffairKind, Cadence, Channel, UnitKind};
    let mut tables = BTreeMap::new();
    tables.insert("case_stage", table(&Stage::ALL, Stage::name_zh));
    tables.insert("case_event", pairs(CASE_EVENTS));
    tables.insert("deadline_rule", table(&DeadlineRule::ALL, DeadlineRule::name_zh));
    tables.insert("role", table(&Role::ALL, Role::name_zh));
    tables.insert("objection_stage", table(&ObjectionStage::ALL, ObjectionStage::name_zh));
    tables.insert("objection_event", pairs(OBJECTION_EVENTS));
    tables.insert("objection_deadline", pairs(OBJECTION_DEADLINES));
    tables.insert("wake_change", pairs(WAKE_CHANGES));
    tables.insert("relation", pairs(RELATIONS));
    tables.insert("objection_level", table(&Level::ALL, Level::name_zh));
    tables.insert("outcome", table(&[Outcome::Upheld, Outcome::PartlyUpheld, Outcome::Dismissed], Outcome::name_zh));
    tables.insert(
        "escalation_reason",
        table(&[EscalationReason::Dissatisfied, EscalationReason::Overdue], EscalationReason::name_zh),
    );
    tables.insert("aspect", table(&[Aspect::Content, Aspect::Timing, Aspect::Form], Aspect::name_zh));
    tables.insert("unit_kind", table(&[UnitKind::Village, UnitKind::Community, UnitKind::Group], UnitKind::name_zh));
    tables.insert("affair_kind", table(&AffairKind::ALL, AffairKind::name_zh));
    tables.insert("cadence", table(&Cadence::ALL, Cadence::name_zh));
    tables.insert("channel", table(&Channel::ALL, crate::diff::channel_zh));
    tables.insert("finding_kind", table(&FindingKind::ALL, FindingKind::name_zh));
    tables.insert("day_kind", table(&crate::calendar::DayKind::ALL, crate::calendar::DayKind::name_zh));
    Labels { tables }
}

/// The documents the code cites by id (the procedure's transition table and its errors), with
/// their short titles; a test checks them against `rules/documents.toml`.
pub const CODE_DOCUMENTS: &[(&str, &str)] = &[
    ("cq-village-measures-2013", "《重庆市实施〈村民委员会组织法〉办法》"),
    ("cq-reply-2018-0447", "《市民政局对市五届人大一次会议第0447号建议的答复》"),
    ("cn-party-affairs-disclosure", "《中国共产党党务公开条例（试行）》"),
];

/// A basis the code states as `"<document id> <article>"`, cited by title for people
/// (`《重庆市实施〈村民委员会组织法〉办法》第二十九条`); text that starts with no known id is
/// returned as it is.
///
/// ```
/// use cunwu_core::names::cite_code_basis;
/// assert_eq!(cite_code_basis("cq-village-measures-2013 第三十条"), "《重庆市实施〈村民委员会组织法〉办法》第三十条");
/// assert_eq!(cite_code_basis("—"), "—");
/// ```
pub fn cite_code_basis(basis: &str) -> String {
    basis
        .split('；')
        .map(|part| {
            let (id, rest) = part.split_once(' ').unwrap_or((part, ""));
            match CODE_DOCUMENTS.iter().find(|(d, _)| *d == id) {
                Some((_, title)) => format!("{title}{rest}"),
                None => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

impl Stage {
    /// Every stage, in the order of the procedure.
    pub const ALL: [Stage; 12] = [
        Stage::Opened,
        Stage::Proposed,
        Stage::ObjectionRaised,
        Stage::ObjectionAnswered,
        Stage::ObjectionReferred,
        Stage::Reviewed,
        Stage::Decided,
        Stage::Published,
        Stage::RepublicationRequired,
        Stage::Filed,
        Stage::RectificationOrdered,
        Stage::Closed,
    ];
}

impl DeadlineRule {
    /// Every deadline rule.
    pub const ALL: [DeadlineRule; 7] = [
        DeadlineRule::DueDate,
        DeadlineRule::ObjectionWindow,
        DeadlineRule::CommitteeAnswer,
        DeadlineRule::GovernmentAnswer,
        DeadlineRule::Filing,
        DeadlineRule::Review,
        DeadlineRule::Republication,
    ];
}

impl crate::log::Role {
    /// Every role.
    pub const ALL: [crate::log::Role; 11] = {
        use crate::log::Role::*;
        [
            Committee,
            CommitteeMeeting,
            JointMeeting,
            SupervisionCommittee,
            SupervisionMember,
            PartyBranch,
            RepresentativesMeeting,
            GroupHead,
            TownshipOfficer,
            DistrictOfficer,
            Resident,
        ]
    };
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] =
        [Level::GroupHead, Level::GroupMeeting, Level::Committee, Level::Township, Level::District];
}

impl crate::model::AffairKind {
    /// The four kinds (四项公开).
    pub const ALL: [crate::model::AffairKind; 4] = {
        use crate::model::AffairKind::*;
        [Party, Government, Finance, Service]
    };
}

impl crate::model::Cadence {
    /// Every cadence.
    pub const ALL: [crate::model::Cadence; 6] = {
        use crate::model::Cadence::*;
        [Monthly, Quarterly, HalfYearly, Annual, OnChange, AdHoc]
    };
}

impl crate::model::Channel {
    /// Every channel.
    pub const ALL: [crate::model::Channel; 5] = {
        use crate::model::Channel::*;
        [Board, AreaBoards, RepresentativesMeeting, PrintedCopies, Online]
    };
}

impl crate::calendar::DayKind {
    /// Every kind of day.
    pub const ALL: [crate::calendar::DayKind; 5] = {
        use crate::calendar::DayKind::*;
        [Workday, Weekend, StatutoryHoliday, InLieuRest, MakeUpWorkday]
    };
}

/// `name` (a JSON name of `table`) in Chinese, as 「中文」; a name the table does not know as
/// 「name」.
pub(crate) fn quoted_zh(table: &str, name: &str) -> String {
    let zh = match table {
        "case_event" => case_event_zh(name),
        "objection_event" => objection_event_zh(name),
        "case_stage" => Stage::ALL.into_iter().find(|s| json_name(*s) == name).map(Stage::name_zh),
        "objection_stage" => {
            ObjectionStage::ALL.into_iter().find(|s| json_name(*s) == name).map(ObjectionStage::name_zh)
        }
        _ => None,
    };
    format!("「{}」", zh.unwrap_or(name))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The titles the code cites are the bundled documents' own: they cannot drift apart.
    #[cfg(feature = "toml")]
    #[test]
    fn code_documents_are_cited_as_the_rules_cite_them() {
        let rules = crate::RuleSet::bundled().unwrap();
        for (id, title) in CODE_DOCUMENTS {
            assert_eq!(rules.document(id).map(|d| d.citation()).as_deref(), Some(*title), "{id}");
        }
    }

    /// Every relation a roster may name has a Chinese name; every name in the table is Chinese.
    #[test]
    fn every_name_is_chinese_and_every_relation_named() {
        for r in crate::validation::RELATIONS.iter().chain(&["self"]) {
            assert!(relation_zh(r).is_some(), "{r}");
        }
        for (table, names) in labels().tables {
            for (json, zh) in names {
                assert!(!json.is_empty(), "{table}: a value without its JSON name");
                assert!(!zh.is_ascii(), "{table}/{json}: {zh}");
            }
        }
    }

    /// Every event kind of both logs is in the tables (a new event cannot go unnamed).
    #[test]
    fn every_event_and_deadline_is_named() {
        for kind in crate::procedure::CaseEvent::KINDS {
            assert!(case_event_zh(kind).is_some(), "{kind}");
        }
        for kind in crate::objection::ObjectionEvent::KINDS {
            assert!(objection_event_zh(kind).is_some(), "{kind}");
        }
    }
}
