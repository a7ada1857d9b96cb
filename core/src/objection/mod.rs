//! Objections and escalation (异议与逐级反映): a resident, a group of villagers, the supervision
//! committee or one of its members challenges the content, timing or form of a disclosure — or
//! an act on the Chongqing statute's art. 40 list — at the group head, the committee, the
//! township or the district; each level must reply in time; the objector may accept, or go up a
//! level when dissatisfied (at any time: no text sets a time bar) or when the reply is late. The district is
//! final. Built on the same hash-chained log as the disclosure procedure.
//!
//! Reply deadlines are parameters (`reply.*`), so another province's rule set is data, not code.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::{ParamValue, ResolvedCatalogue};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::error::Error;
use crate::log::{Actor, Entry, Guards, Role};

mod records;
mod status;
use crate::model::UnitKind;
use crate::procedure::UnitRef;
use crate::rules::RuleSet;
pub use status::{ObjectionDeadline, ObjectionStatus, ObjectionStatusOptions};

/// The levels of the ladder, in order (村(居)民小组组长 → 村民小组会议 → 村(居)委会 → 乡镇(街道) → 区县).
///
/// A group's affairs (组务) go from the group head to the group meeting [CQ-L art. 32], not to the
/// committee; any objector may also go straight to the township or district [CQ-L art. 31].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 村(居)民小组组长 [CQ-L art. 32].
    GroupHead,
    /// 村民小组会议: a disputed answer of the group head, put to it by the supervision committee
    /// for decision [CQ-L art. 32]. No text sets a day count for its decision.
    GroupMeeting,
    /// 村(居)民委员会 [CQ-L arts. 31, 35, 40].
    Committee,
    /// 乡镇人民政府(街道办事处) [CQ-L arts. 31, 35, 40, 43].
    Township,
    /// 区县 — final [CQ-P].
    District,
}

impl Level {
    /// The next level up; `None` at the district (final).
    pub fn next(self) -> Option<Level> {
        match self {
            Level::GroupHead => Some(Level::GroupMeeting),
            // After the group meeting, the villager's way to the township stays open (art. 31).
            Level::GroupMeeting => Some(Level::Township),
            Level::Committee => Some(Level::Township),
            Level::Township => Some(Level::District),
            Level::District => None,
        }
    }

    /// The role that receives and answers at this level.
    pub fn role(self) -> Role {
        match self {
            Level::GroupHead => Role::GroupHead,
            // The supervision committee puts the dispute to the group meeting and records its decision.
            Level::GroupMeeting => Role::SupervisionCommittee,
            Level::Committee => Role::Committee,
            Level::Township => Role::TownshipOfficer,
            Level::District => Role::DistrictOfficer,
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Level::GroupHead => "村(居)民小组组长",
            Level::GroupMeeting => "村(居)民小组会议",
            Level::Committee => "村(居)民委员会",
            Level::Township => "乡镇(街道)",
            Level::District => "区县",
        }
    }
}

/// Who objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectorKind {
    /// A resident (村(居)民).
    Resident,
    /// Villagers objecting jointly.
    VillagersGroup,
    /// The supervision committee as a body [CQ-L art. 35].
    SupervisionCommittee,
    /// One member of the supervision committee [CQ-P].
    SupervisionMember,
}

impl ObjectorKind {
    /// The role in which the objector acts in the log.
    pub fn role(self) -> Role {
        match self {
            ObjectorKind::Resident | ObjectorKind::VillagersGroup => Role::Resident,
            ObjectorKind::SupervisionCommittee => Role::SupervisionCommittee,
            ObjectorKind::SupervisionMember => Role::SupervisionMember,
        }
    }

    fn public_zh(self) -> &'static str {
        match self {
            ObjectorKind::Resident => "一名村(居)民",
            ObjectorKind::VillagersGroup => "部分村(居)民联名",
            ObjectorKind::SupervisionCommittee => "村(居)务监督委员会",
            ObjectorKind::SupervisionMember => "一名监督委员会成员",
        }
    }
}

/// The objector. The id never appears in the public record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objector {
    /// Who.
    pub kind: ObjectorKind,
    /// Their id in the host system (withheld from the public record).
    pub id: String,
}

/// What part of a disclosure is challenged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// 内容.
    Content,
    /// 时间.
    Timing,
    /// 形式.
    Form,
}

/// A disclosure case an objection concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRef {
    /// The unit.
    pub unit_id: String,
    /// The period (`2026-Q1`).
    pub period: String,
}

crate::json::internally_tagged! {
    /// What the objection is about.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Subject (tag = "kind", twin = SubjectTwin) {
        /// The content, timing or form of a disclosure [CQ-L arts. 31, 35].
        Disclosure {
            /// Which part.
            aspect: Aspect,
            /// The case, if the disclosure belongs to one.
            #[serde(default)]
            case: Option<CaseRef>,
            /// The item, if one.
            #[serde(default)]
            item: Option<String>,
        },
        /// An act on the statute's art. 40 list (1–7), which carries longer deadlines.
        Violation {
            /// The item of art. 40 (1–7).
            item: u8,
        },
    }
}

/// A reply's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 异议成立.
    Upheld,
    /// 部分成立.
    PartlyUpheld,
    /// 不成立.
    Dismissed,
}

impl Outcome {
    /// The Chinese name (异议成立、异议部分成立、异议不成立).
    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Upheld => "异议成立",
            Outcome::PartlyUpheld => "异议部分成立",
            Outcome::Dismissed => "异议不成立",
        }
    }
}

/// Why an objection goes up a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// The objector is not satisfied with the reply.
    Dissatisfied,
    /// The reply is overdue.
    Overdue,
}

crate::json::internally_tagged! {
    /// What happened in an objection. The first event is `filed`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ObjectionEvent (tag = "type", twin = ObjectionEventTwin) {
        /// The objection is made at a level.
        Filed {
            /// The unit concerned.
            unit: UnitRef,
            /// Who objects.
            objector: Objector,
            /// What about.
            subject: Subject,
            /// Where it is made.
            level: Level,
            /// The objection.
            text: String,
        },
        /// The receiving level acknowledges it.
        Acknowledged {},
        /// The receiving level replies.
        Replied {
            /// The outcome.
            outcome: Outcome,
            /// The reasons.
            reasons: String,
            /// Whether the reply is in writing.
            written: bool,
        },
        /// The objector accepts the reply.
        Accepted {},
        /// The objector goes up a level.
        Escalated {
            /// Why.
            reason: EscalationReason,
        },
        /// The objector withdraws.
        Withdrawn {},
        /// Correction and re-publication are ordered (or undertaken, by the committee itself).
        CorrectionOrdered {},
        /// The corrected disclosure is published again.
        Republished {},
        /// An action against the objector, recorded by the host system; flagged as reprisal when its
        /// kind is on `objection.reprisal_actions` [CQ-L art. 40(4)].
        ActionAgainstObjector {
            /// The kind of action (`benefit_cancelled`…).
            action: String,
            /// Details.
            #[serde(default)]
            note: String,
        },
    }
}

impl ObjectionEvent {
    /// The type name of every event (`filed`, …), as [`Self::kind`] gives them.
    pub const KINDS: [&'static str; 9] = [
        "filed",
        "acknowledged",
        "replied",
        "accepted",
        "escalated",
        "withdrawn",
        "correction_ordered",
        "republished",
        "action_against_objector",
    ];

    /// The event's type name.
    pub fn kind(&self) -> &'static str {
        match self {
            ObjectionEvent::Filed { .. } => "filed",
            ObjectionEvent::Acknowledged {} => "acknowledged",
            ObjectionEvent::Replied { .. } => "replied",
            ObjectionEvent::Accepted {} => "accepted",
            ObjectionEvent::Escalated { .. } => "escalated",
            ObjectionEvent::Withdrawn {} => "withdrawn",
            ObjectionEvent::CorrectionOrdered {} => "correction_ordered",
            ObjectionEvent::Republished {} => "republished",
            ObjectionEvent::ActionAgainstObjector { .. } => "action_against_objector",
        }
    }
}

/// Where an objection stands (derived from its events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStage {
    /// Made at the current level, awaiting a reply.
    Filed,
    /// Acknowledged, awaiting a reply.
    Acknowledged,
    /// Replied; the objector may accept or escalate.
    Replied,
    /// Correction and re-publication ordered.
    CorrectionOrdered,
    /// Settled: accepted, or corrected and re-published.
    Closed,
    /// Withdrawn by the objector.
    Withdrawn,
}

/// One level's handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRecord {
    /// The level.
    pub level: Level,
    /// When the objection reached it.
    pub filed_on: NaiveDate,
    /// When it was acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_on: Option<NaiveDate>,
    /// When it replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_on: Option<NaiveDate>,
    /// The outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    /// Why it left this level, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated: Option<EscalationReason>,
}

/// An action against the objector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// When.
    pub date: NaiveDate,
    /// What kind.
    pub action: String,
    /// On the reprisal list and after the objection: the art. 40(4) violation.
    pub reprisal: bool,
}

/// Everything the events say about an objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionState {
    /// The objection's id: the hash of its first entry.
    pub id: String,
    /// The unit concerned.
    pub unit: UnitRef,
    /// Who objects.
    pub objector: Objector,
    /// What about.
    pub subject: Subject,
    /// The objection.
    pub text: String,
    /// The current level.
    pub level: Level,
    /// The stage.
    pub stage: ObjectionStage,
    /// Each level's handling, in order.
    pub levels: Vec<LevelRecord>,
    /// When correction was ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_ordered: Option<NaiveDate>,
    /// When the corrected disclosure was published again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republished: Option<NaiveDate>,
    /// Actions against the objector.
    pub actions: Vec<ActionRecord>,
    /// The date of the last event.
    pub last_event: NaiveDate,
    /// When the first objection was made.
    pub filed_on: NaiveDate,
}

/// A guard of the objection ladder that rejected an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectionError {
    /// Not a step that may follow the current stage.
    #[error("`{event}` may not follow stage `{stage}`")]
    InvalidTransition {
        /// The event.
        event: String,
        /// The stage.
        stage: String,
    },
    /// The actor's role may not take the step.
    #[error("a `{role:?}` may not take the step `{event}` here; it is for `{allowed:?}`")]
    WrongRole {
        /// The event.
        event: String,
        /// The actor's role.
        role: Role,
        /// Who may.
        allowed: Role,
    },
    /// Nothing is above the district.
    #[error("the district is the final level; the objection cannot go higher")]
    FinalLevel,
    /// Escalating for lateness before the reply is late.
    #[error("the reply is not overdue: it is due by {due}")]
    NotOverdue {
        /// The reply deadline.
        due: NaiveDate,
    },
    /// Escalating for dissatisfaction after the appeal window.
    #[error("the appeal window closed on {closed}")]
    AppealWindowClosed {
        /// Its last day.
        closed: NaiveDate,
    },
    /// A reply that must be written is not.
    #[error("this reply must be in writing")]
    ReplyNotWritten,
    /// Correction ordered on a dismissed objection.
    #[error("correction can only follow an upheld or partly upheld objection")]
    NothingToCorrect,
    /// An event dated before the one it follows.
    #[error("the event is dated {date}, before the previous event ({previous})")]
    DateBackwards {
        /// The date.
        date: NaiveDate,
        /// The previous event's date.
        previous: NaiveDate,
    },
    /// The first event must be `filed`, and only the first.
    #[error("{message}")]
    Opening {
        /// What is wrong.
        message: String,
    },
}

impl ObjectionError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] = &[
        "OBJECTION_INVALID_TRANSITION",
        "OBJECTION_WRONG_ROLE",
        "OBJECTION_FINAL_LEVEL",
        "OBJECTION_NOT_OVERDUE",
        "OBJECTION_APPEAL_WINDOW_CLOSED",
        "OBJECTION_REPLY_NOT_WRITTEN",
        "OBJECTION_NOTHING_TO_CORRECT",
        "OBJECTION_DATE_BACKWARDS",
        "OBJECTION_OPENING",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ObjectionError::InvalidTransition { .. } => "OBJECTION_INVALID_TRANSITION",
            ObjectionError::WrongRole { .. } => "OBJECTION_WRONG_ROLE",
            ObjectionError::FinalLevel => "OBJECTION_FINAL_LEVEL",
            ObjectionError::NotOverdue { .. } => "OBJECTION_NOT_OVERDUE",
            ObjectionError::AppealWindowClosed { .. } => "OBJECTION_APPEAL_WINDOW_CLOSED",
            ObjectionError::ReplyNotWritten => "OBJECTION_REPLY_NOT_WRITTEN",
            ObjectionError::NothingToCorrect => "OBJECTION_NOTHING_TO_CORRECT",
            ObjectionError::DateBackwards { .. } => "OBJECTION_DATE_BACKWARDS",
            ObjectionError::Opening { .. } => "OBJECTION_OPENING",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ObjectionError::InvalidTransition { event, stage } => format!(
                "当前阶段{}不能进行{}",
                crate::names::quoted_zh("objection_stage", stage),
                crate::names::quoted_zh("objection_event", event)
            ),
            ObjectionError::WrongRole { event, role, allowed } => {
                format!(
                    "{}不能进行{}，应由{}进行",
                    role.name_zh(),
                    crate::names::quoted_zh("objection_event", event),
                    allowed.name_zh()
                )
            }
            ObjectionError::FinalLevel => "区县为最终一级，不能再向上反映".into(),
            ObjectionError::NotOverdue { due } => format!("答复尚未逾期（答复期限为{due}），不能以逾期为由向上反映"),
            ObjectionError::AppealWindowClosed { closed } => format!("向上一级反映的期限已于{closed}届满"),
            ObjectionError::ReplyNotWritten => "依规定本答复须为书面答复".into(),
            ObjectionError::NothingToCorrect => "只有异议成立或部分成立时才能责令改正".into(),
            ObjectionError::DateBackwards { date, previous } => format!("事件日期 {date} 早于上一事件日期 {previous}"),
            ObjectionError::Opening { message } => format!("异议记录有误：{message}"),
        }
    }

    /// The error as a diagnostic.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: self.code().to_string(),
            severity: Severity::Error,
            message_zh: self.message_zh(),
            message_en: self.to_string(),
            hint_zh: None,
            hint_en: None,
            location: Location::at_pointer("/event"),
            related: Vec::new(),
        }
    }
}

fn reject(e: ObjectionError) -> Error {
    Error::Objection(e)
}

/// The reply deadline rule for an objection at a level: the parameter giving its days, whether it
/// must be written (a flag parameter), and the legal text behind it.
///
/// ```
/// use cunwu_core::objection::{reply_rule, Level, ObjectorKind, Subject, Aspect};
/// let disclosure = Subject::Disclosure { aspect: Aspect::Content, case: None, item: None };
/// assert_eq!(reply_rule(Level::Committee, ObjectorKind::Resident, &disclosure).0, "reply.committee_to_resident_days");
/// assert_eq!(reply_rule(Level::Township, ObjectorKind::Resident, &cunwu_core::objection::Subject::Violation { item: 3 }).0, "reply.government_violation_days");
/// ```
pub fn reply_rule(level: Level, objector: ObjectorKind, subject: &Subject) -> (&'static str, Option<&'static str>) {
    reply_rule_for(UnitKind::Village, level, objector, subject)
}

/// [`reply_rule`] for a unit of `unit` kind: an objection to a group's affairs (组务) brought to
/// the committee is answered by the group head within the group head's days, the committee or
/// supervision committee urging it [CQ-L art. 32] — not by the committee in its own 3 days.
///
/// ```
/// use cunwu_core::objection::{reply_rule_for, Level, ObjectorKind, Subject, Aspect};
/// use cunwu_core::UnitKind;
/// let disclosure = Subject::Disclosure { aspect: Aspect::Content, case: None, item: None };
/// let rule = reply_rule_for(UnitKind::Group, Level::Committee, ObjectorKind::Resident, &disclosure);
/// assert_eq!(rule.0, "reply.group_head_days");
/// ```
pub fn reply_rule_for(
    unit: UnitKind,
    level: Level,
    objector: ObjectorKind,
    subject: &Subject,
) -> (&'static str, Option<&'static str>) {
    if unit == UnitKind::Group && level == Level::Committee && !matches!(subject, Subject::Violation { .. }) {
        return ("reply.group_head_days", None);
    }
    let violation = matches!(subject, Subject::Violation { .. });
    let supervision = objector == ObjectorKind::SupervisionCommittee;
    match (level, violation, supervision) {
        (Level::GroupHead, _, _) => ("reply.group_head_days", None),
        // No text fixes when the group meeting must decide: a parameter no bundled layer sets, so
        // the decision is required and its lateness is not judged unless a district sets one.
        (Level::GroupMeeting, _, _) => ("reply.group_meeting_days", None),
        (Level::Committee, true, _) => ("reply.committee_violation_days", Some("reply.violation_written")),
        (Level::Committee, false, true) => ("reply.committee_to_supervision_days", None),
        (Level::Committee, false, false) => ("reply.committee_to_resident_days", None),
        (_, true, _) => ("reply.government_violation_days", None),
        (_, false, true) => ("reply.government_to_supervision_days", Some("reply.supervision_written")),
        (_, false, false) => ("reply.government_to_resident_days", None),
    }
}

fn number(cat: &ResolvedCatalogue, id: &str) -> Option<u32> {
    cat.parameter(id).and_then(|p| p.as_number()).and_then(|n| u32::try_from(n).ok())
}

fn flag(cat: &ResolvedCatalogue, id: &str) -> bool {
    matches!(cat.parameter(id).map(|p| &p.value), Some(ParamValue::Flag(true)))
}

/// The objection ladder as a [`Machine`](crate::log::Machine) over the shared log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder;

impl crate::log::Machine for Ladder {
    type Event = ObjectionEvent;
    type State = ObjectionState;

    fn start(rules: &RuleSet, first: &Entry<ObjectionEvent>, guards: &mut Guards) -> Result<ObjectionState, Error> {
        let ObjectionEvent::Filed { unit, objector, subject, level, text } = &first.event else {
            return Err(reject(ObjectionError::Opening {
                message: format!("the first event must be `filed`, not `{}`", first.event.kind()),
            }));
        };
        if first.actor.role != objector.kind.role() {
            return Err(reject(ObjectionError::WrongRole {
                event: "filed".into(),
                role: first.actor.role,
                allowed: objector.kind.role(),
            }));
        }
        guards
            .rule(rules.resolve_shared(first.date, unit.district.as_deref(), Some(unit.kind)).map_err(Error::from))?;
        let date = first.date;
        Ok(ObjectionState {
            id: first.hash.clone(),
            unit: unit.clone(),
            objector: objector.clone(),
            subject: subject.clone(),
            text: text.clone(),
            level: *level,
            stage: ObjectionStage::Filed,
            levels: vec![LevelRecord {
                level: *level,
                filed_on: date,
                acknowledged_on: None,
                replied_on: None,
                outcome: None,
                reasons: None,
                escalated: None,
            }],
            correction_ordered: None,
            republished: None,
            actions: Vec::new(),
            last_event: date,
            filed_on: date,
        })
    }

    fn step(
        rules: &RuleSet,
        state: &mut ObjectionState,
        date: NaiveDate,
        actor: &Actor,
        event: &ObjectionEvent,
        guards: &mut Guards,
    ) -> Result<(), Error> {
        transition(rules, state, date, actor, event, guards)
    }
}

/// An objection (异议): its hash-chained log and the state the log gives.
pub type Objection = crate::log::Journal<Ladder>;

impl Objection {
    /// Make an objection: `event` is its `filed` event, the first entry of its log.
    pub fn file(rules: &RuleSet, date: NaiveDate, actor: Actor, event: ObjectionEvent) -> Result<Self, Error> {
        Objection::begin(rules, date, actor, event)
    }

    /// The public handling record (互动空间): the timeline, levels, replies and outcome, with
    /// the objector's identity withheld and personal data in every text masked.
    pub fn public_record(&self) -> PublicRecord {
        let st = self.state();
        let subject = match &st.subject {
            Subject::Disclosure { aspect, case, item } => {
                let aspect = match aspect {
                    Aspect::Content => "公开内容",
                    Aspect::Timing => "公开时间",
                    Aspect::Form => "公开形式",
                };
                let what = case
                    .as_ref()
                    .map(|c| format!("{}村(居)务公开", c.period))
                    .or_else(|| item.clone())
                    .unwrap_or_else(|| "村(居)务公开".into());
                format!("对{what}的{aspect}提出异议")
            }
            Subject::Violation { item } => {
                format!("反映《重庆市实施〈村民委员会组织法〉办法》第四十条第（{item}）项所列情形")
            }
        };
        let mut timeline = Vec::new();
        for e in self.entries() {
            let level = st.levels.iter().rev().find(|l| l.filed_on <= e.date).map(|l| l.level).unwrap_or(st.level);
            let what = match &e.event {
                ObjectionEvent::Filed { level, .. } => {
                    format!("{}向{}提出异议", st.objector.kind.public_zh(), level.name_zh())
                }
                ObjectionEvent::Acknowledged {} => format!("{}已受理", level.name_zh()),
                ObjectionEvent::Replied { outcome, reasons, written } => format!(
                    "{}{}答复：{}。理由：{}",
                    level.name_zh(),
                    if *written { "书面" } else { "" },
                    outcome.name_zh(),
                    reasons
                ),
                ObjectionEvent::Accepted {} => "异议人接受答复".into(),
                ObjectionEvent::Escalated { reason: EscalationReason::Dissatisfied } => {
                    "异议人对答复不满意，向上一级反映".into()
                }
                ObjectionEvent::Escalated { reason: EscalationReason::Overdue } => {
                    "答复逾期，异议人向上一级反映".into()
                }
                ObjectionEvent::Withdrawn {} => "异议人撤回异议".into(),
                ObjectionEvent::CorrectionOrdered {} => format!("{}责令改正并重新公布", level.name_zh()),
                ObjectionEvent::Republished {} => "已改正并重新公布".into(),
                ObjectionEvent::ActionAgainstObjector { .. } => continue,
            };
            timeline.push(PublicEvent { date: e.date, what });
        }
        let status = match st.stage {
            ObjectionStage::Filed | ObjectionStage::Acknowledged => format!("正在由{}办理", st.level.name_zh()),
            ObjectionStage::Replied => format!("{}已答复", st.level.name_zh()),
            ObjectionStage::CorrectionOrdered => "责令改正，待重新公布".into(),
            ObjectionStage::Closed => "已办结".into(),
            ObjectionStage::Withdrawn => "已撤回".into(),
        };
        let outcome = st.levels.iter().rev().find_map(|l| l.outcome).map(|o| o.name_zh().to_string());
        // Every text of the record is masked, whatever field it came from: a unit's name, an item
        // or a period typed by a host can carry a number as well as the objection's own text.
        let mask = |t: &str| crate::privacy::mask_public(t);
        PublicRecord {
            unit: mask(st.unit.name.as_deref().unwrap_or(&st.unit.id)),
            subject: mask(&subject),
            objection: mask(&st.text),
            levels: st.levels.iter().map(|l| l.level.name_zh().to_string()).collect(),
            timeline: timeline.into_iter().map(|e| PublicEvent { date: e.date, what: mask(&e.what) }).collect(),
            outcome: outcome.map(|o| mask(&o)),
            status: mask(&status),
        }
    }
}

/// One line of the public record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEvent {
    /// When.
    pub date: NaiveDate,
    /// What happened, in Chinese, masked.
    pub what: String,
}

/// An objection fit to post (互动空间): no identity, personal data masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRecord {
    /// The unit.
    pub unit: String,
    /// What the objection is about.
    pub subject: String,
    /// The objection, masked.
    pub objection: String,
    /// The levels it went through.
    pub levels: Vec<String>,
    /// The timeline.
    pub timeline: Vec<PublicEvent>,
    /// The latest outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Where it stands.
    pub status: String,
}

impl PublicRecord {
    /// The record as text for the board.
    pub fn to_text(&self) -> String {
        let mut out = format!("【互动空间】{}\n事由：{}\n异议内容：{}\n", self.unit, self.subject, self.objection);
        for e in &self.timeline {
            out.push_str(&format!("{}  {}\n", e.date, e.what));
        }
        if let Some(o) = &self.outcome {
            out.push_str(&format!("处理结果：{o}\n"));
        }
        out.push_str(&format!("办理状态：{}\n", self.status));
        out
    }
}

fn transition(
    rules: &RuleSet,
    st: &mut ObjectionState,
    date: NaiveDate,
    actor: &Actor,
    event: &ObjectionEvent,
    guards: &mut Guards,
) -> Result<(), Error> {
    if date < st.last_event {
        return Err(reject(ObjectionError::DateBackwards { date, previous: st.last_event }));
    }
    let kind = event.kind();
    let invalid = || reject(ObjectionError::InvalidTransition { event: kind.into(), stage: format!("{:?}", st.stage) });
    let receiver = st.level.role();
    let objector = st.objector.kind.role();
    let need = |role: Role| -> Result<(), Error> {
        if actor.role == role {
            Ok(())
        } else {
            Err(reject(ObjectionError::WrongRole { event: kind.into(), role: actor.role, allowed: role }))
        }
    };
    // The catalogue in force on the day: a guard of the rules (read as recorded, an entry whose
    // district or catalogue is gone goes on without it).
    let cat = guards
        .rule(rules.resolve_shared(date, st.unit.district.as_deref(), Some(st.unit.kind)).map_err(Error::from))?;
    use ObjectionStage as S;
    match event {
        ObjectionEvent::Filed { .. } => {
            return Err(reject(ObjectionError::Opening {
                message: "an objection is filed once, by its first event".into(),
            }));
        }
        ObjectionEvent::Acknowledged {} => {
            if st.stage != S::Filed {
                return Err(invalid());
            }
            need(receiver)?;
            if let Some(l) = st.levels.last_mut() {
                l.acknowledged_on = Some(date);
            }
            st.stage = S::Acknowledged;
        }
        ObjectionEvent::Replied { outcome, reasons, written } => {
            if !matches!(st.stage, S::Filed | S::Acknowledged) {
                return Err(invalid());
            }
            need(receiver)?;
            let (_, written_rule) = reply_rule_for(st.unit.kind, st.level, st.objector.kind, &st.subject);
            if cat.as_deref().is_some_and(|cat| written_rule.is_some_and(|w| flag(cat, w))) && !written {
                guards.rule(Err::<(), _>(reject(ObjectionError::ReplyNotWritten)))?;
            }
            if let Some(l) = st.levels.last_mut() {
                l.replied_on = Some(date);
                l.outcome = Some(*outcome);
                l.reasons = Some(reasons.clone());
            }
            st.stage = S::Replied;
        }
        ObjectionEvent::Accepted {} => {
            if st.stage != S::Replied {
                return Err(invalid());
            }
            need(objector)?;
            st.stage = S::Closed;
        }
        ObjectionEvent::Withdrawn {} => {
            if !matches!(st.stage, S::Filed | S::Acknowledged | S::Replied) {
                return Err(invalid());
            }
            need(objector)?;
            st.stage = S::Withdrawn;
        }
        ObjectionEvent::Escalated { reason } => {
            need(objector)?;
            let next = st.level.next().ok_or_else(|| reject(ObjectionError::FinalLevel))?;
            let rec = st.levels.last().cloned().ok_or_else(invalid)?;
            match (reason, st.stage) {
                // No text limits when a dissatisfied objector may go up a level: the local
                // `objection.appeal_window_days` only prompts (status), it never refuses.
                (EscalationReason::Dissatisfied, S::Replied) => {}
                (EscalationReason::Overdue, S::Filed | S::Acknowledged) => {
                    let resolved = rules.resolve_shared(rec.filed_on, st.unit.district.as_deref(), Some(st.unit.kind));
                    if let Some(rec_cat) = guards.rule(resolved.map_err(Error::from))? {
                        let (param, _) = reply_rule_for(st.unit.kind, rec.level, st.objector.kind, &st.subject);
                        let d =
                            status::compute(rules, &rec_cat, "reply", param, rec.filed_on, date, Default::default());
                        if let (Some(due), None) = (d.date, d.overdue_days) {
                            guards.rule(Err::<(), _>(reject(ObjectionError::NotOverdue { due })))?;
                        }
                    }
                }
                _ => return Err(invalid()),
            }
            if let Some(l) = st.levels.last_mut() {
                l.escalated = Some(*reason);
            }
            st.levels.push(LevelRecord {
                level: next,
                filed_on: date,
                acknowledged_on: None,
                replied_on: None,
                outcome: None,
                reasons: None,
                escalated: None,
            });
            st.level = next;
            st.stage = S::Filed;
        }
        ObjectionEvent::CorrectionOrdered {} => {
            if st.stage != S::Replied {
                return Err(invalid());
            }
            need(receiver)?;
            if st.levels.last().and_then(|l| l.outcome) == Some(Outcome::Dismissed) {
                return Err(reject(ObjectionError::NothingToCorrect));
            }
            st.correction_ordered = Some(date);
            st.stage = S::CorrectionOrdered;
        }
        ObjectionEvent::Republished {} => {
            if st.stage != S::CorrectionOrdered {
                return Err(invalid());
            }
            need(Role::Committee)?;
            st.republished = Some(date);
            st.stage = S::Closed;
        }
        ObjectionEvent::ActionAgainstObjector { action, .. } => {
            let listed = match cat.as_deref().and_then(|c| c.parameter("objection.reprisal_actions")).map(|p| &p.value)
            {
                Some(ParamValue::List(list)) => list.contains(action),
                _ => false,
            };
            st.actions.push(ActionRecord { date, action: action.clone(), reprisal: listed && date >= st.filed_on });
        }
    }
    st.last_event = date;
    Ok(())
}
