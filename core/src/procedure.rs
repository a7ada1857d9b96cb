//! The disclosure procedure as a state machine over a tamper-evident event log: the five steps
//! of the Chongqing policy (提出方案 → 审查完善 → 确定方案 → 组织实施公开 → 存档备案), then the
//! township's review and any rectification; party affairs follow the party's own pipeline
//! (propose → review including secrecy → approve → implement) in the same machinery.
//!
//! Nothing about time is stored: the stage comes from the events, and what is due or overdue
//! from the events, the rules, the calendar and the "today" the caller passes.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::ResolvedCatalogue;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::error::Error;
use crate::log::{Actor, Entry, Guards, Role};
use crate::model::{Cadence, Channel, DisplayPeriod, LegalBasis, UnitKind};
use crate::period::{CountingRules, Length, display_end, fixed_day, last_day_of_month, period_end};
use crate::rules::RuleSet;

/// Which pipeline a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pipeline {
    /// The five steps of 村(居)务公开 [CQ-P; CQ-L art. 29].
    General,
    /// Party affairs: propose → review incl. secrecy → approve → implement [党务公开条例 art. 15].
    Party,
}

/// The unit a case belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitRef {
    /// The unit's id in the host system.
    pub id: String,
    /// Village, community or group.
    pub kind: UnitKind,
    /// Its district (id or name), for the district catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Where a case stands. Derived from the events; never stored apart from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The case exists; no plan yet.
    Opened,
    /// 提出公开方案 — a plan is proposed.
    Proposed,
    /// The supervision committee objected to the plan.
    ObjectionRaised,
    /// The committee answered without accepting the objection.
    ObjectionAnswered,
    /// The unresolved objection went to the representatives' meeting or the township.
    ObjectionReferred,
    /// 审查完善方案 — the plan is reviewed (or, for party affairs, cleared including secrecy).
    Reviewed,
    /// 确定公开方案 — decided by the deciding body (approved, for party affairs).
    Decided,
    /// 组织实施公开 — published.
    Published,
    /// Taken down before the minimum display: must be published again.
    RepublicationRequired,
    /// 做好存档备案 — archived and filed with the township.
    Filed,
    /// The township ordered rectification and re-publication.
    RectificationOrdered,
    /// The township accepted the filing.
    Closed,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Opened => "opened",
            Stage::Proposed => "proposed",
            Stage::ObjectionRaised => "objection_raised",
            Stage::ObjectionAnswered => "objection_answered",
            Stage::ObjectionReferred => "objection_referred",
            Stage::Reviewed => "reviewed",
            Stage::Decided => "decided",
            Stage::Published => "published",
            Stage::RepublicationRequired => "republication_required",
            Stage::Filed => "filed",
            Stage::RectificationOrdered => "rectification_ordered",
            Stage::Closed => "closed",
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Opened => "已立案",
            Stage::Proposed => "已提出方案",
            Stage::ObjectionRaised => "监委会提出异议",
            Stage::ObjectionAnswered => "已答复异议",
            Stage::ObjectionReferred => "异议已提交处理",
            Stage::Reviewed => "方案已审查",
            Stage::Decided => "方案已确定",
            Stage::Published => "已公开",
            Stage::RepublicationRequired => "须重新公开",
            Stage::Filed => "已报备",
            Stage::RectificationOrdered => "责令整改",
            Stage::Closed => "审查通过",
        }
    }
}

crate::json::internally_tagged! {
    /// What happened in a case. The first event of every log is `opened`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum CaseEvent (tag = "type", twin = CaseEventTwin) {
        /// A case for a unit and a period (`2026-Q1`, `2026-03`, `2026-H1`, `2026`).
        Opened {
            /// The unit.
            unit: UnitRef,
            /// The period covered.
            period: String,
            /// General or party affairs.
            pipeline: Pipeline,
        },
        /// 提出公开方案: the items, boards, channels and planned publication date.
        PlanProposed {
            /// Item ids.
            items: Vec<String>,
            /// Boards (or areas for 分片公开).
            #[serde(default)]
            boards: Vec<String>,
            /// Channels.
            #[serde(default)]
            channels: Vec<Channel>,
            /// The planned publication date.
            #[serde(deserialize_with = "crate::model::date_field")]
            planned_publication: NaiveDate,
        },
        /// 审查完善方案: the supervision committee's review, with its objection if any.
        PlanReviewed {
            /// The objection (None: reviewed without objection).
            #[serde(default)]
            objection: Option<String>,
        },
        /// The committee's answer to the supervision committee's objection.
        ObjectionAnswered {
            /// Whether the committee accepts the objection.
            accepted: bool,
            /// The answer.
            #[serde(default)]
            answer: String,
            /// Items added to the plan.
            #[serde(default)]
            items_added: Vec<String>,
        },
        /// The unresolved objection goes to the representatives' meeting or the township.
        ObjectionReferred {
            /// `representatives_meeting` or `township_officer`.
            to: Role,
        },
        /// The body the objection was referred to decides it.
        ObjectionSettled {
            /// Whether the objection is upheld.
            upheld: bool,
            /// Items added to the plan.
            #[serde(default)]
            items_added: Vec<String>,
            /// The reasons.
            #[serde(default)]
            note: String,
        },
        /// Party affairs: review of the plan, including secrecy (保密审查).
        SecrecyReviewed {
            /// Cleared for publication.
            cleared: bool,
            /// Remarks.
            #[serde(default)]
            note: String,
        },
        /// 确定公开方案 (approved, for party affairs).
        PlanDecided {},
        /// 组织实施公开: posted on the boards (and reported, printed).
        Published {
            /// Boards posted on.
            #[serde(default)]
            boards: Vec<String>,
            /// Reported at the representatives' meeting.
            #[serde(default)]
            reported_at_meeting: bool,
            /// Printed copies given to the representatives.
            #[serde(default)]
            printed_copies: bool,
        },
        /// The content was taken down.
        TakenDown {},
        /// 做好存档备案: archived and filed with the township.
        Filed {},
        /// The township accepts the filing.
        ReviewAccepted {},
        /// The township orders rectification and re-publication.
        RectificationOrdered {
            /// What is wrong.
            reasons: Vec<String>,
        },
        /// An upheld objection about this disclosure requires correction and re-publication; the
        /// case cannot close until it is published again [CQ-L art. 31].
        CorrectionRequired {
            /// The objection's id (the hash of its first log entry).
            objection: String,
        },
    }
}

impl CaseEvent {
    /// The event's type name (`plan_proposed`).
    pub fn kind(&self) -> &'static str {
        match self {
            CaseEvent::Opened { .. } => "opened",
            CaseEvent::PlanProposed { .. } => "plan_proposed",
            CaseEvent::PlanReviewed { .. } => "plan_reviewed",
            CaseEvent::ObjectionAnswered { .. } => "objection_answered",
            CaseEvent::ObjectionReferred { .. } => "objection_referred",
            CaseEvent::ObjectionSettled { .. } => "objection_settled",
            CaseEvent::SecrecyReviewed { .. } => "secrecy_reviewed",
            CaseEvent::PlanDecided {} => "plan_decided",
            CaseEvent::Published { .. } => "published",
            CaseEvent::TakenDown {} => "taken_down",
            CaseEvent::Filed {} => "filed",
            CaseEvent::ReviewAccepted {} => "review_accepted",
            CaseEvent::RectificationOrdered { .. } => "rectification_ordered",
            CaseEvent::CorrectionRequired { .. } => "correction_required",
        }
    }
}

/// The deadline an edge of the procedure carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineRule {
    /// The publication due day of the period (`disclosure.*_due_day`).
    DueDate,
    /// Days after the plan was proposed (`objection.supervision_window_days`).
    ObjectionWindow,
    /// Days after the objection (`reply.committee_to_supervision_days`).
    CommitteeAnswer,
    /// Days after the referral to the township (`reply.government_to_supervision_days`).
    GovernmentAnswer,
    /// Days after publication (`filing.deadline_days`).
    Filing,
    /// Days after filing (`review.deadline_days`).
    Review,
    /// Days after an order or an early take-down (`republication.deadline_days`).
    Republication,
}

impl DeadlineRule {
    /// The parameter giving its days.
    pub fn parameter(self) -> &'static str {
        match self {
            DeadlineRule::DueDate => "disclosure.*_due_day",
            DeadlineRule::ObjectionWindow => "objection.supervision_window_days",
            DeadlineRule::CommitteeAnswer => "reply.committee_to_supervision_days",
            DeadlineRule::GovernmentAnswer => "reply.government_to_supervision_days",
            DeadlineRule::Filing => "filing.deadline_days",
            DeadlineRule::Review => "review.deadline_days",
            DeadlineRule::Republication => "republication.deadline_days",
        }
    }

    /// The flag parameter saying whether it moves past rest days.
    pub fn extension(self) -> &'static str {
        match self {
            DeadlineRule::DueDate | DeadlineRule::Republication => "extension.disclosure_due",
            DeadlineRule::ObjectionWindow | DeadlineRule::CommitteeAnswer | DeadlineRule::GovernmentAnswer => {
                "extension.reply"
            }
            DeadlineRule::Filing => "extension.filing",
            DeadlineRule::Review => "extension.review",
        }
    }
}

/// One edge of the procedure: an event, from a stage, to a stage, by whom, by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// The event type.
    pub event: &'static str,
    /// The outcome this edge stands for (`objection`, `no objection`…), if the event has several.
    pub outcome: &'static str,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// From these stages.
    pub from: &'static [Stage],
    /// To this stage.
    pub to: Stage,
    /// Who may act.
    pub roles: &'static [Role],
    /// The deadline that applies.
    pub deadline: Option<DeadlineRule>,
    /// The step in Chinese.
    pub label_zh: &'static str,
    /// Its legal basis, as `document-id article`.
    pub basis: &'static str,
}

use Pipeline::{General, Party};
use Role as R;
use Stage as S;

const DECIDERS: &[Role] = &[R::CommitteeMeeting, R::JointMeeting];
const PUBLISH_FROM: &[Stage] = &[S::Decided, S::RectificationOrdered, S::RepublicationRequired];
const POSTED: &[Stage] = &[S::Published, S::Filed, S::Closed];

/// The transition table: the single source of the state machine, its guards and its diagram.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        event: "plan_proposed",
        outcome: "",
        pipeline: General,
        from: &[S::Opened],
        to: S::Proposed,
        roles: &[R::Committee],
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "提出公开方案",
        basis: "cq-village-measures-2013 第二十九条第（一）项",
    },
    Transition {
        event: "plan_reviewed",
        outcome: "no objection",
        pipeline: General,
        from: &[S::Proposed],
        to: S::Reviewed,
        roles: &[R::SupervisionCommittee],
        deadline: Some(DeadlineRule::ObjectionWindow),
        label_zh: "审查完善方案",
        basis: "cq-village-measures-2013 第二十九条第（二）项",
    },
    Transition {
        event: "plan_reviewed",
        outcome: "objection",
        pipeline: General,
        from: &[S::Proposed],
        to: S::ObjectionRaised,
        roles: &[R::SupervisionCommittee],
        deadline: Some(DeadlineRule::ObjectionWindow),
        label_zh: "监委会提出异议",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "objection_answered",
        outcome: "accepted",
        pipeline: General,
        from: &[S::ObjectionRaised],
        to: S::Reviewed,
        roles: &[R::Committee],
        deadline: Some(DeadlineRule::CommitteeAnswer),
        label_zh: "答复并采纳异议",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "objection_answered",
        outcome: "not accepted",
        pipeline: General,
        from: &[S::ObjectionRaised],
        to: S::ObjectionAnswered,
        roles: &[R::Committee],
        deadline: Some(DeadlineRule::CommitteeAnswer),
        label_zh: "答复未采纳异议",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "plan_reviewed",
        outcome: "objection withdrawn",
        pipeline: General,
        from: &[S::ObjectionAnswered],
        to: S::Reviewed,
        roles: &[R::SupervisionCommittee],
        deadline: None,
        label_zh: "监委会接受答复",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "objection_referred",
        outcome: "",
        pipeline: General,
        from: &[S::ObjectionAnswered],
        to: S::ObjectionReferred,
        roles: &[R::SupervisionCommittee],
        deadline: None,
        label_zh: "提交村民(代表)会议或乡镇处理",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "objection_settled",
        outcome: "",
        pipeline: General,
        from: &[S::ObjectionReferred],
        to: S::Reviewed,
        roles: &[R::RepresentativesMeeting, R::TownshipOfficer, R::DistrictOfficer],
        deadline: Some(DeadlineRule::GovernmentAnswer),
        label_zh: "异议处理决定",
        basis: "cq-village-measures-2013 第三十五条",
    },
    Transition {
        event: "plan_decided",
        outcome: "",
        pipeline: General,
        from: &[S::Reviewed],
        to: S::Decided,
        roles: DECIDERS,
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "确定公开方案",
        basis: "cq-village-measures-2013 第二十九条第（三）项",
    },
    Transition {
        event: "published",
        outcome: "",
        pipeline: General,
        from: PUBLISH_FROM,
        to: S::Published,
        roles: &[R::Committee],
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "组织实施公开",
        basis: "cq-village-measures-2013 第三十条",
    },
    Transition {
        event: "taken_down",
        outcome: "after the minimum display",
        pipeline: General,
        from: POSTED,
        to: S::Published,
        roles: &[R::Committee],
        deadline: None,
        label_zh: "撤下公开内容",
        basis: "cq-village-measures-2013 第三十条",
    },
    Transition {
        event: "taken_down",
        outcome: "too early",
        pipeline: General,
        from: POSTED,
        to: S::RepublicationRequired,
        roles: &[R::Committee],
        deadline: None,
        label_zh: "保留不足十日，须重新公布",
        basis: "cq-village-measures-2013 第三十条",
    },
    Transition {
        event: "filed",
        outcome: "",
        pipeline: General,
        from: &[S::Published],
        to: S::Filed,
        roles: &[R::Committee],
        deadline: Some(DeadlineRule::Filing),
        label_zh: "存档并报乡镇(街道)备案",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "review_accepted",
        outcome: "",
        pipeline: General,
        from: &[S::Filed],
        to: S::Closed,
        roles: &[R::TownshipOfficer],
        deadline: Some(DeadlineRule::Review),
        label_zh: "乡镇(街道)审查通过",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "rectification_ordered",
        outcome: "",
        pipeline: General,
        from: &[S::Filed],
        to: S::RectificationOrdered,
        roles: &[R::TownshipOfficer],
        deadline: Some(DeadlineRule::Review),
        label_zh: "责令整改并重新公布",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "plan_proposed",
        outcome: "",
        pipeline: Party,
        from: &[S::Opened],
        to: S::Proposed,
        roles: &[R::PartyBranch],
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "提出党务公开方案",
        basis: "cn-party-affairs-disclosure 第十五条",
    },
    Transition {
        event: "secrecy_reviewed",
        outcome: "cleared",
        pipeline: Party,
        from: &[S::Proposed],
        to: S::Reviewed,
        roles: &[R::PartyBranch],
        deadline: None,
        label_zh: "审核（含保密审查）通过",
        basis: "cn-party-affairs-disclosure 第十五条",
    },
    Transition {
        event: "secrecy_reviewed",
        outcome: "not cleared",
        pipeline: Party,
        from: &[S::Proposed],
        to: S::Opened,
        roles: &[R::PartyBranch],
        deadline: None,
        label_zh: "审核未通过，重新提出",
        basis: "cn-party-affairs-disclosure 第十五条",
    },
    Transition {
        event: "plan_decided",
        outcome: "",
        pipeline: Party,
        from: &[S::Reviewed],
        to: S::Decided,
        roles: &[R::PartyBranch],
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "审批",
        basis: "cn-party-affairs-disclosure 第十五条",
    },
    Transition {
        event: "published",
        outcome: "",
        pipeline: Party,
        from: PUBLISH_FROM,
        to: S::Published,
        roles: &[R::PartyBranch],
        deadline: Some(DeadlineRule::DueDate),
        label_zh: "实施公开",
        basis: "cn-party-affairs-disclosure 第十五条",
    },
    Transition {
        event: "taken_down",
        outcome: "after the minimum display",
        pipeline: Party,
        from: POSTED,
        to: S::Published,
        roles: &[R::PartyBranch],
        deadline: None,
        label_zh: "撤下公开内容",
        basis: "cq-village-measures-2013 第三十条",
    },
    Transition {
        event: "taken_down",
        outcome: "too early",
        pipeline: Party,
        from: POSTED,
        to: S::RepublicationRequired,
        roles: &[R::PartyBranch],
        deadline: None,
        label_zh: "保留不足十日，须重新公布",
        basis: "cq-village-measures-2013 第三十条",
    },
    Transition {
        event: "filed",
        outcome: "",
        pipeline: Party,
        from: &[S::Published],
        to: S::Filed,
        roles: &[R::PartyBranch],
        deadline: Some(DeadlineRule::Filing),
        label_zh: "存档并报乡镇(街道)备案",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "review_accepted",
        outcome: "",
        pipeline: Party,
        from: &[S::Filed],
        to: S::Closed,
        roles: &[R::TownshipOfficer],
        deadline: Some(DeadlineRule::Review),
        label_zh: "乡镇(街道)审查通过",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "rectification_ordered",
        outcome: "",
        pipeline: Party,
        from: &[S::Filed],
        to: S::RectificationOrdered,
        roles: &[R::TownshipOfficer],
        deadline: Some(DeadlineRule::Review),
        label_zh: "责令整改并重新公布",
        basis: "cq-reply-2018-0447 一(二)五",
    },
    Transition {
        event: "correction_required",
        outcome: "",
        pipeline: General,
        from: POSTED,
        to: S::RepublicationRequired,
        roles: &[R::Committee, R::TownshipOfficer, R::DistrictOfficer],
        deadline: None,
        label_zh: "异议成立，须改正并重新公布",
        basis: "cq-village-measures-2013 第三十一条",
    },
    Transition {
        event: "correction_required",
        outcome: "",
        pipeline: Party,
        from: POSTED,
        to: S::RepublicationRequired,
        roles: &[R::PartyBranch, R::TownshipOfficer, R::DistrictOfficer],
        deadline: None,
        label_zh: "异议成立，须改正并重新公布",
        basis: "cq-village-measures-2013 第三十一条",
    },
];

/// A guard that rejected an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcedureError {
    /// The event is not a step that may follow the current stage.
    #[error("`{event}` may not follow stage `{stage}`")]
    InvalidTransition {
        /// The event type.
        event: String,
        /// The current stage.
        stage: String,
        /// What may follow instead.
        allowed: Vec<String>,
    },
    /// The actor's role may not take this step.
    #[error("a `{role:?}` may not take the step `{event}`; it is for: {allowed}")]
    WrongRole {
        /// The event type.
        event: String,
        /// The actor's role.
        role: Role,
        /// The roles that may.
        allowed: String,
        /// The legal basis of the step.
        basis: String,
    },
    /// An event dated before the one it follows.
    #[error("the event is dated {date}, before the previous event ({previous})")]
    DateBackwards {
        /// The event's date.
        date: NaiveDate,
        /// The previous event's date.
        previous: NaiveDate,
    },
    /// The plan leaves out obligations the schedule says are due for the period.
    #[error("the plan leaves out {} item(s) due for the period: {}", .missing.len(), .missing.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", "))]
    PlanIncomplete {
        /// What is missing, with its sources.
        missing: Vec<MissingItem>,
    },
    /// An item id not in force for the unit.
    #[error("item `{id}` is not in force for this unit on {date}")]
    UnknownItem {
        /// The id.
        id: String,
        /// The date.
        date: NaiveDate,
    },
    /// A period label that is not `YYYY-Qn`, `YYYY-MM`, `YYYY-Hn` or `YYYY`.
    #[error("`{label}` is not a period like 2026-Q1, 2026-03, 2026-H1 or 2026")]
    InvalidPeriod {
        /// The label given.
        label: String,
    },
    /// The first event of a case must be `opened`, and only the first.
    #[error("{message}")]
    Opening {
        /// What is wrong.
        message: String,
    },
    /// An objection may only be referred to the representatives' meeting or the township/district.
    #[error("an objection may be referred to the representatives' meeting or the township or district, not `{to:?}`")]
    InvalidReferral {
        /// The role named.
        to: Role,
    },
}

/// An item the plan leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingItem {
    /// Item id.
    pub id: String,
    /// Item name.
    pub name: String,
    /// Its legal basis.
    pub basis: Vec<LegalBasis>,
}

impl ProcedureError {
    /// Every code of this area. Append only.
    pub const CODES: &'static [&'static str] = &[
        "PROCEDURE_INVALID_TRANSITION",
        "PROCEDURE_WRONG_ROLE",
        "PROCEDURE_DATE_BACKWARDS",
        "PROCEDURE_PLAN_INCOMPLETE",
        "PROCEDURE_UNKNOWN_ITEM",
        "PROCEDURE_INVALID_PERIOD",
        "PROCEDURE_OPENING",
        "PROCEDURE_INVALID_REFERRAL",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProcedureError::InvalidTransition { .. } => "PROCEDURE_INVALID_TRANSITION",
            ProcedureError::WrongRole { .. } => "PROCEDURE_WRONG_ROLE",
            ProcedureError::DateBackwards { .. } => "PROCEDURE_DATE_BACKWARDS",
            ProcedureError::PlanIncomplete { .. } => "PROCEDURE_PLAN_INCOMPLETE",
            ProcedureError::UnknownItem { .. } => "PROCEDURE_UNKNOWN_ITEM",
            ProcedureError::InvalidPeriod { .. } => "PROCEDURE_INVALID_PERIOD",
            ProcedureError::Opening { .. } => "PROCEDURE_OPENING",
            ProcedureError::InvalidReferral { .. } => "PROCEDURE_INVALID_REFERRAL",
        }
    }

    /// The legal basis of the guard, as `document-id article`.
    pub fn basis(&self) -> String {
        match self {
            ProcedureError::InvalidTransition { .. } => "cq-reply-2018-0447 一(二)四（五个程序）".into(),
            ProcedureError::WrongRole { basis, .. } => basis.clone(),
            ProcedureError::DateBackwards { .. } => "—".into(),
            ProcedureError::PlanIncomplete { .. } => "cq-village-measures-2013 第二十七条、第三十条".into(),
            ProcedureError::UnknownItem { .. } => "cq-village-measures-2013 第二十七条".into(),
            ProcedureError::InvalidPeriod { .. } | ProcedureError::Opening { .. } => "—".into(),
            ProcedureError::InvalidReferral { .. } => "cq-village-measures-2013 第三十五条".into(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ProcedureError::InvalidTransition { event, stage, allowed } => {
                format!("当前阶段 `{stage}` 不能进行 `{event}`，不得跳过程序；可进行：{}", allowed.join("、"))
            }
            ProcedureError::WrongRole { event, role, allowed, .. } => {
                format!("{}不能进行 `{event}`，应由{allowed}进行", role.name_zh())
            }
            ProcedureError::DateBackwards { date, previous } => format!("事件日期 {date} 早于上一事件日期 {previous}"),
            ProcedureError::PlanIncomplete { missing } => {
                let names: Vec<String> = missing.iter().map(|m| format!("{}（{}）", m.name, m.id)).collect();
                format!("公开方案遗漏了本期应公开的{}项：{}", missing.len(), names.join("、"))
            }
            ProcedureError::UnknownItem { id, date } => format!("事项 `{id}` 在 {date} 对本单位不适用或不存在"),
            ProcedureError::InvalidPeriod { label } => {
                format!("`{label}` 不是有效的公开期（如 2026-Q1、2026-03、2026-H1、2026）")
            }
            ProcedureError::Opening { message } => format!("立案有误：{message}"),
            ProcedureError::InvalidReferral { to } => {
                format!("异议只能提交村民会议、村民代表会议或乡镇、区县处理，不能提交{}", to.name_zh())
            }
        }
    }

    /// The error as a diagnostic.
    pub fn diagnostic(&self) -> Diagnostic {
        let basis = self.basis();
        Diagnostic {
            code: self.code().to_string(),
            severity: Severity::Error,
            message_zh: format!("{}（依据：{basis}）", self.message_zh()),
            message_en: format!("{} (basis: {basis})", self),
            hint_zh: None,
            hint_en: None,
            location: Location::at_pointer("/event"),
            related: Vec::new(),
        }
    }
}

/// A publication of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Posting date.
    pub date: NaiveDate,
    /// Boards.
    pub boards: Vec<String>,
    /// Reported at the representatives' meeting.
    pub reported_at_meeting: bool,
    /// Printed copies for the representatives.
    pub printed_copies: bool,
    /// When it came down, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_down: Option<NaiveDate>,
    /// The first day it may come down (absent for standing display).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_removal: Option<NaiveDate>,
}

/// The plan as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Item ids.
    pub items: BTreeSet<String>,
    /// Boards.
    pub boards: Vec<String>,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Planned publication.
    pub planned_publication: NaiveDate,
    /// When it was proposed.
    pub proposed_on: NaiveDate,
}

/// Everything the events say about a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    /// The unit.
    pub unit: UnitRef,
    /// The period label.
    pub period: String,
    /// First day covered.
    pub period_from: NaiveDate,
    /// Last day covered.
    pub period_until: NaiveDate,
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The current stage.
    pub stage: Stage,
    /// The date of the last event.
    pub last_event: NaiveDate,
    /// The date the stage was entered.
    pub stage_since: NaiveDate,
    /// The plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// The supervision committee's objection, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection: Option<String>,
    /// Where the objection was referred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<Role>,
    /// Every publication, in order.
    pub publications: Vec<Publication>,
    /// Every filing date.
    pub filings: Vec<NaiveDate>,
    /// Rectification orders with their reasons.
    pub rectifications: Vec<(NaiveDate, Vec<String>)>,
    /// Why the case must be published again, if it must.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republication_reason: Option<String>,
    /// Upheld objections that required correction (their ids).
    #[serde(default)]
    pub objections: Vec<String>,
}

/// The disclosure procedure as a [`Machine`](crate::log::Machine) over the shared log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure;

impl crate::log::Machine for Procedure {
    type Event = CaseEvent;
    type State = CaseState;

    fn start(rules: &RuleSet, first: &Entry<CaseEvent>, guards: &mut Guards) -> Result<CaseState, Error> {
        initial_state(rules, first.date, &first.actor, &first.event, guards)
    }

    fn step(
        rules: &RuleSet,
        state: &mut CaseState,
        date: NaiveDate,
        actor: &Actor,
        event: &CaseEvent,
        guards: &mut Guards,
    ) -> Result<(), Error> {
        transition(rules, state, date, actor, event, guards)
    }
}

/// A disclosure case (村(居)务公开案件): its hash-chained log and the state the log gives.
pub type DisclosureCase = crate::log::Journal<Procedure>;

/// Parse a period label into its first and last day and its cadence.
///
/// ```
/// use cunwu_core::procedure::parse_period;
/// let (from, until, _) = parse_period("2026-Q1").unwrap();
/// assert_eq!((from.to_string(), until.to_string()), ("2026-01-01".into(), "2026-03-31".into()));
/// assert!(parse_period("2026-Q5").is_err());
/// ```
pub fn parse_period(label: &str) -> Result<(NaiveDate, NaiveDate, Cadence), ProcedureError> {
    let bad = || ProcedureError::InvalidPeriod { label: label.to_string() };
    let (year, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(bad)?;
    let span = |m1: u32, m2: u32| -> Result<(NaiveDate, NaiveDate), ProcedureError> {
        let from = NaiveDate::from_ymd_opt(year, m1, 1).ok_or_else(bad)?;
        Ok((from, last_day_of_month(year, m2).ok_or_else(bad)?))
    };
    let (from, until, cadence) = match rest {
        None => {
            let (f, u) = span(1, 12)?;
            (f, u, Cadence::Annual)
        }
        Some(q) if q.starts_with('Q') => {
            let n: u32 = q.get(1..).and_then(|n| n.parse().ok()).filter(|n| (1..=4).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n * 3 - 2, n * 3)?;
            (f, u, Cadence::Quarterly)
        }
        Some(h) if h.starts_with('H') => {
            let n: u32 = h.get(1..).and_then(|n| n.parse().ok()).filter(|n| (1..=2).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n * 6 - 5, n * 6)?;
            (f, u, Cadence::HalfYearly)
        }
        Some(m) if m.len() == 2 => {
            let n: u32 = m.parse().ok().filter(|n| (1..=12).contains(n)).ok_or_else(bad)?;
            let (f, u) = span(n, n)?;
            (f, u, Cadence::Monthly)
        }
        Some(_) => return Err(bad()),
    };
    Ok((from, until, cadence))
}

fn reject(e: ProcedureError) -> Error {
    Error::Procedure(e)
}

fn number(cat: &ResolvedCatalogue, id: &str) -> Option<u32> {
    cat.parameter(id).and_then(|p| p.as_number()).and_then(|n| u32::try_from(n).ok())
}

/// The items due for a case's period: periodic items of the case's pipeline whose covered period
/// ends with the case's (a quarter's items with its last month's monthly items, and so on).
fn due_items(
    cat: &ResolvedCatalogue,
    unit: UnitKind,
    pipeline: Pipeline,
    cadence: Cadence,
    until: NaiveDate,
) -> Vec<MissingItem> {
    let month = chrono::Datelike::month(&until);
    cat.items
        .iter()
        .filter(|i| i.applies_to(unit))
        .filter(|i| (i.kind.value == crate::model::AffairKind::Party) == (pipeline == Pipeline::Party))
        .filter(|i| {
            i.cadence.value.iter().any(|c| match c {
                Cadence::Monthly => true,
                Cadence::Quarterly => month % 3 == 0 && cadence != Cadence::Monthly,
                Cadence::HalfYearly => {
                    month % 6 == 0 && matches!(cadence, Cadence::HalfYearly | Cadence::Annual | Cadence::Quarterly)
                }
                Cadence::Annual => month == 12 && cadence != Cadence::Monthly,
                Cadence::OnChange | Cadence::AdHoc => false,
            })
        })
        .map(|i| MissingItem { id: i.id.clone(), name: i.name.value.clone(), basis: i.basis.clone() })
        .collect()
}

impl DisclosureCase {
    /// Open a case: the first entry of its log.
    pub fn open(
        rules: &RuleSet,
        date: NaiveDate,
        actor: Actor,
        unit: UnitRef,
        period: &str,
        pipeline: Pipeline,
    ) -> Result<Self, Error> {
        DisclosureCase::begin(rules, date, actor, CaseEvent::Opened { unit, period: period.to_string(), pipeline })
    }

    /// What is due, what is overdue, what may happen next and by when, as of `today`.
    pub fn status(&self, rules: &RuleSet, today: NaiveDate) -> Result<CaseStatus, Error> {
        status(rules, self.state(), today, StatusOptions::default())
    }

    /// [`DisclosureCase::status`] with options: `estimate` gives deadlines past the published
    /// calendar (weekends only, each marked `estimated`).
    pub fn status_with(&self, rules: &RuleSet, today: NaiveDate, options: StatusOptions) -> Result<CaseStatus, Error> {
        status(rules, self.state(), today, options)
    }

    /// The case's id: the hash of its first entry.
    pub fn id(&self) -> &str {
        self.entries().first().map(|e| e.hash.as_str()).unwrap_or_default()
    }
}

fn initial_state(
    rules: &RuleSet,
    date: NaiveDate,
    actor: &Actor,
    event: &CaseEvent,
    guards: &mut Guards,
) -> Result<CaseState, Error> {
    let CaseEvent::Opened { unit, period, pipeline } = event else {
        return Err(reject(ProcedureError::Opening {
            message: format!("the first event must be `opened`, not `{}`", event.kind()),
        }));
    };
    let allowed: &[Role] = match pipeline {
        Pipeline::General => &[Role::Committee],
        Pipeline::Party => &[Role::PartyBranch],
    };
    if !allowed.contains(&actor.role) {
        return Err(reject(ProcedureError::WrongRole {
            event: "opened".into(),
            role: actor.role,
            allowed: allowed.iter().map(|r| r.name_zh()).collect::<Vec<_>>().join("、"),
            basis: "cq-village-measures-2013 第二十九条".into(),
        }));
    }
    let (from, until, _) = parse_period(period).map_err(reject)?;
    guards.rule(rules.resolve_shared(date, unit.district.as_deref(), Some(unit.kind)).map_err(Error::from))?;
    Ok(CaseState {
        unit: unit.clone(),
        period: period.clone(),
        period_from: from,
        period_until: until,
        pipeline: *pipeline,
        stage: Stage::Opened,
        last_event: date,
        stage_since: date,
        plan: None,
        objection: None,
        referred_to: None,
        publications: Vec::new(),
        filings: Vec::new(),
        rectifications: Vec::new(),
        republication_reason: None,
        objections: Vec::new(),
    })
}

fn outcome(event: &CaseEvent, state: &CaseState, rules: &RuleSet, date: NaiveDate) -> &'static str {
    match event {
        CaseEvent::PlanReviewed { objection: Some(_) } if state.stage == Stage::Proposed => "objection",
        CaseEvent::PlanReviewed { .. } if state.stage == Stage::Proposed => "no objection",
        CaseEvent::PlanReviewed { .. } => "objection withdrawn",
        CaseEvent::ObjectionAnswered { accepted: true, .. } => "accepted",
        CaseEvent::ObjectionAnswered { accepted: false, .. } => "not accepted",
        CaseEvent::SecrecyReviewed { cleared: true, .. } => "cleared",
        CaseEvent::SecrecyReviewed { cleared: false, .. } => "not cleared",
        CaseEvent::TakenDown {} => {
            let early = state
                .publications
                .last()
                .and_then(|p| p.earliest_removal.or(if p.taken_down.is_none() { Some(NaiveDate::MAX) } else { None }))
                .is_some_and(|removal| date < removal);
            let _ = rules;
            if early { "too early" } else { "after the minimum display" }
        }
        _ => "",
    }
}

fn catalogue_for(
    rules: &RuleSet,
    state: &CaseState,
    date: NaiveDate,
) -> Result<std::sync::Arc<ResolvedCatalogue>, Error> {
    Ok(rules.resolve_shared(date, state.unit.district.as_deref(), Some(state.unit.kind))?)
}

fn check_items(cat: &ResolvedCatalogue, unit: UnitKind, items: &[String], date: NaiveDate) -> Result<(), Error> {
    for id in items {
        // Advisory items (建议公开) may be planned and published; they are never required.
        let known = cat.item(id).or_else(|| cat.advisory_item(id)).is_some_and(|i| i.applies_to(unit));
        if !known {
            return Err(reject(ProcedureError::UnknownItem { id: id.clone(), date }));
        }
    }
    Ok(())
}

/// Check `event` against every guard and apply it to `state`.
fn transition(
    rules: &RuleSet,
    state: &mut CaseState,
    date: NaiveDate,
    actor: &Actor,
    event: &CaseEvent,
    guards: &mut Guards,
) -> Result<(), Error> {
    if let CaseEvent::Opened { .. } = event {
        return Err(reject(ProcedureError::Opening {
            message: "a case is opened only once, by its first event".into(),
        }));
    }
    if date < state.last_event {
        return Err(reject(ProcedureError::DateBackwards { date, previous: state.last_event }));
    }
    let kind = event.kind();
    let out = outcome(event, state, rules, date);
    let edge = TRANSITIONS
        .iter()
        .find(|t| t.event == kind && t.outcome == out && t.pipeline == state.pipeline && t.from.contains(&state.stage))
        .ok_or_else(|| {
            let allowed = crate::sort::set(
                TRANSITIONS
                    .iter()
                    .filter(|t| t.pipeline == state.pipeline && t.from.contains(&state.stage))
                    .map(|t| t.event.to_string()),
            )
            .into_iter()
            .collect();
            reject(ProcedureError::InvalidTransition { event: kind.into(), stage: state.stage.name().into(), allowed })
        })?;
    // The catalogue in force on the day: a guard of the rules (read as recorded, an entry whose
    // district or catalogue is gone goes on without it).
    let cat = guards.rule(catalogue_for(rules, state, date))?;
    let wrong_role = |roles: &[Role]| {
        reject(ProcedureError::WrongRole {
            event: kind.into(),
            role: actor.role,
            allowed: roles.iter().map(|r| r.name_zh()).collect::<Vec<_>>().join("、"),
            basis: edge.basis.into(),
        })
    };
    // Who may act is the code's table, narrowed by the rules (the deciding body in force): only
    // the narrowing is a guard of the rules.
    let structural = roles_for(edge, state, None);
    if !structural.contains(&actor.role) {
        return Err(wrong_role(&structural));
    }
    if let Some(cat) = &cat {
        let roles = roles_for(edge, state, Some(cat));
        if !roles.contains(&actor.role) {
            guards.rule(Err::<(), _>(wrong_role(&roles)))?;
        }
    }
    match event {
        CaseEvent::PlanProposed { items, boards, channels, planned_publication } => {
            if let Some(cat) = &cat {
                guards.rule(check_items(cat, state.unit.kind, items, date))?;
                let (_, _, cadence) = parse_period(&state.period).map_err(reject)?;
                let required = due_items(cat, state.unit.kind, state.pipeline, cadence, state.period_until);
                let missing: Vec<MissingItem> = required.into_iter().filter(|m| !items.contains(&m.id)).collect();
                if !missing.is_empty() {
                    guards.rule(Err::<(), _>(reject(ProcedureError::PlanIncomplete { missing })))?;
                }
            }
            state.plan = Some(Plan {
                items: crate::sort::set(items.iter().cloned()),
                boards: boards.clone(),
                channels: channels.clone(),
                planned_publication: *planned_publication,
                proposed_on: date,
            });
        }
        CaseEvent::PlanReviewed { objection } if state.stage == Stage::Proposed => state.objection = objection.clone(),
        CaseEvent::ObjectionAnswered { items_added, .. } | CaseEvent::ObjectionSettled { items_added, .. } => {
            if let Some(cat) = &cat {
                guards.rule(check_items(cat, state.unit.kind, items_added, date))?;
            }
            if let Some(plan) = state.plan.as_mut() {
                plan.items.extend(items_added.iter().cloned());
            }
        }
        CaseEvent::ObjectionReferred { to } => {
            if !matches!(to, Role::RepresentativesMeeting | Role::TownshipOfficer | Role::DistrictOfficer) {
                return Err(reject(ProcedureError::InvalidReferral { to: *to }));
            }
            state.referred_to = Some(*to);
        }
        CaseEvent::SecrecyReviewed { cleared: false, .. } => state.plan = None,
        CaseEvent::Published { boards, reported_at_meeting, printed_copies } => {
            let display = cat.as_deref().and_then(|cat| longest_display(cat, state));
            let earliest_removal = display.and_then(|d| {
                let counted = matches!(
                    cat.as_deref().and_then(|c| c.parameter("display.start_day_counted")).map(|p| &p.value),
                    Some(crate::catalogue::ParamValue::Flag(true))
                );
                display_end(date, d, counted, &[], &[]).map(|e| e.earliest_removal)
            });
            state.publications.push(Publication {
                date,
                boards: boards.clone(),
                reported_at_meeting: *reported_at_meeting,
                printed_copies: *printed_copies,
                taken_down: None,
                earliest_removal,
            });
            state.republication_reason = None;
        }
        CaseEvent::TakenDown {} => {
            if let Some(p) = state.publications.last_mut() {
                p.taken_down = Some(date);
            }
            if edge.to == Stage::RepublicationRequired {
                state.republication_reason = Some(format!("taken down on {date}, before the minimum display"));
            }
        }
        CaseEvent::Filed {} => state.filings.push(date),
        CaseEvent::CorrectionRequired { objection } => {
            state.objections.push(objection.clone());
            state.republication_reason = Some(format!("objection {} upheld", objection.get(..12).unwrap_or(objection)));
        }
        CaseEvent::RectificationOrdered { reasons } => {
            state.rectifications.push((date, reasons.clone()));
            state.republication_reason = Some("rectification ordered by the township".into());
        }
        _ => {}
    }
    let to = if kind == "taken_down" && edge.to == Stage::Published { state.stage } else { edge.to };
    if to != state.stage {
        state.stage_since = date;
    }
    state.stage = to;
    state.last_event = date;
    Ok(())
}

/// The deadline of edge `t` when taken from `from`: publishing again after a rectification order
/// or an early take-down runs on the re-publication deadline, not the period's due day.
fn effective_rule(t: &Transition, from: Stage) -> Option<DeadlineRule> {
    match (t.deadline, from) {
        (Some(DeadlineRule::DueDate), Stage::RectificationOrdered | Stage::RepublicationRequired) => {
            Some(DeadlineRule::Republication)
        }
        (rule, _) => rule,
    }
}

/// Who may take the step `edge` in `state`: the table's roles, narrowed by the deciding body in
/// force (`procedure.deciding_body`) and by the body an objection was referred to.
fn roles_for(edge: &Transition, state: &CaseState, cat: Option<&ResolvedCatalogue>) -> Vec<Role> {
    match (edge.event, state.pipeline, state.referred_to) {
        ("plan_decided", Pipeline::General, _) => {
            let Some(cat) = cat else { return edge.roles.to_vec() };
            match cat.parameter("procedure.deciding_body").map(|p| p.value.to_text()).as_deref() {
                Some("joint_meeting") => vec![Role::JointMeeting],
                _ => vec![Role::CommitteeMeeting],
            }
        }
        ("objection_settled", _, Some(Role::RepresentativesMeeting)) => vec![Role::RepresentativesMeeting],
        ("objection_settled", _, Some(_)) => vec![Role::TownshipOfficer, Role::DistrictOfficer],
        _ => edge.roles.to_vec(),
    }
}

/// The longest minimum display among the plan's items (None when one is standing).
fn longest_display(cat: &ResolvedCatalogue, state: &CaseState) -> Option<DisplayPeriod> {
    let plan = state.plan.as_ref()?;
    let mut longest: Option<DisplayPeriod> = None;
    for id in &plan.items {
        // What is on the board stays up its minimum, advisory items included (一(二)二).
        let d = cat.item(id).or_else(|| cat.advisory_item(id)).and_then(|i| i.display.as_ref()).map(|d| d.value)?;
        if d == DisplayPeriod::Standing {
            return None;
        }
        longest = Some(match longest {
            Some(l) if l.at_least(&d) => l,
            _ => d,
        });
    }
    longest
}

/// A deadline of the case as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineStatus {
    /// Which rule.
    pub rule: DeadlineRule,
    /// The last day, when it could be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Days past it, if passed and not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// Overdue by more than `procedure.very_overdue_days`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub very_overdue: bool,
    /// The first day it is very overdue (`procedure.very_overdue_days` after `date`), where the
    /// rules set that parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub very_overdue_from: Option<NaiveDate>,
    /// Whether `date` rests on an estimated calendar (weekends only, past the published one):
    /// asked for with `estimate`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// Why it could not be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
}

/// Something that may happen next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAction {
    /// The event type.
    pub event: String,
    /// The outcome, where the event has several.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome: String,
    /// The step in Chinese.
    pub label_zh: String,
    /// Who may take it.
    pub roles: Vec<Role>,
    /// By when, where a deadline applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineStatus>,
}

/// A case as of a day: derived, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStatus {
    /// The day.
    pub today: NaiveDate,
    /// The stage.
    pub stage: Stage,
    /// The stage in Chinese.
    pub stage_zh: String,
    /// What may happen next.
    pub next_actions: Vec<NextAction>,
    /// Deadlines passed and not met.
    pub overdue: Vec<DeadlineStatus>,
    /// The next date on which something about the case changes status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_wake_up: Option<NaiveDate>,
    /// Why the case must be published again, if it must.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub republication_required: Option<String>,
    /// The rules version the status was derived with (each date under the catalogue in force on
    /// it).
    pub rules_version: String,
    /// The calendar version it was derived with.
    pub calendar_version: String,
}

/// How a status is derived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusOptions {
    /// Past the published calendar, count weekends only instead of leaving the deadline without
    /// a date; every deadline so computed says `estimated`.
    pub estimate: bool,
}

fn deadline(
    rules: &RuleSet,
    state: &CaseState,
    rule: DeadlineRule,
    today: NaiveDate,
    options: StatusOptions,
) -> DeadlineStatus {
    let none = DeadlineStatus {
        rule,
        date: None,
        overdue_days: None,
        very_overdue: false,
        very_overdue_from: None,
        estimated: false,
        error: None,
    };
    let failed = |e: Error| DeadlineStatus { error: e.diagnostics().into_iter().next(), ..none.clone() };
    let trigger = match rule {
        DeadlineRule::DueDate => None,
        DeadlineRule::ObjectionWindow => state.plan.as_ref().map(|p| p.proposed_on),
        DeadlineRule::CommitteeAnswer | DeadlineRule::GovernmentAnswer => Some(state.stage_since),
        DeadlineRule::Filing => state.publications.last().map(|p| p.date),
        DeadlineRule::Review => state.filings.last().copied(),
        DeadlineRule::Republication => Some(state.stage_since),
    };
    let anchor = trigger.unwrap_or(state.period_until);
    let cat = match catalogue_for(rules, state, anchor) {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let cal = match rules.calendar() {
        Ok(c) => c,
        Err(e) => return failed(e.into()),
    };
    let counting =
        CountingRules::from_catalogue(&cat, Some(rule.extension())).with_explain(false).with_estimate(options.estimate);
    let computed = match (rule, trigger) {
        (DeadlineRule::DueDate, _) => {
            let next = state.period_until.succ_opt().unwrap_or(state.period_until);
            let (_, _, cadence) = parse_period(&state.period).unwrap_or((next, next, Cadence::Quarterly));
            let param = match cadence {
                Cadence::Monthly => "disclosure.monthly_due_day",
                Cadence::HalfYearly => "disclosure.half_yearly_due_day",
                Cadence::Annual => "disclosure.annual_due_day",
                _ => "disclosure.quarterly_due_day",
            };
            match number(&cat, param) {
                Some(day) => fixed_day(
                    cal,
                    chrono::Datelike::year(&next),
                    chrono::Datelike::month(&next),
                    day,
                    param,
                    &[],
                    &counting,
                )
                .map_err(Error::from),
                None => return none,
            }
        }
        (_, Some(start)) => match number(&cat, rule.parameter()) {
            Some(days) => period_end(cal, start, Length::Days(days), &counting).map_err(Error::from),
            None => return none,
        },
        (_, None) => return none,
    };
    match computed {
        Ok(d) => {
            let overdue = (today > d.date).then(|| (today - d.date).num_days());
            let very_after = number(&cat, "procedure.very_overdue_days");
            let very = very_after.is_some_and(|v| overdue.is_some_and(|o| o > i64::from(v)));
            let very_overdue_from =
                very_after.and_then(|v| d.date.checked_add_days(chrono::Days::new(u64::from(v) + 1)));
            DeadlineStatus {
                date: Some(d.date),
                overdue_days: overdue,
                very_overdue: very,
                very_overdue_from,
                estimated: d.explanation.estimated,
                ..none
            }
        }
        Err(e) => failed(e),
    }
}

fn status(rules: &RuleSet, state: &CaseState, today: NaiveDate, options: StatusOptions) -> Result<CaseStatus, Error> {
    let cat = catalogue_for(rules, state, today.max(state.last_event))?;
    let mut next_actions = Vec::new();
    let mut overdue = Vec::new();
    let mut wake = Vec::new();
    let mut seen = BTreeSet::new();
    for t in TRANSITIONS.iter().filter(|t| t.pipeline == state.pipeline && t.from.contains(&state.stage)) {
        if t.event == "taken_down" && t.outcome == "too early" {
            continue;
        }
        let roles = roles_for(t, state, Some(&cat));
        let rule = match (t.deadline, state.stage) {
            (Some(DeadlineRule::DueDate), Stage::RectificationOrdered | Stage::RepublicationRequired) => {
                Some(DeadlineRule::Republication)
            }
            (Some(DeadlineRule::GovernmentAnswer), _) if state.referred_to == Some(Role::RepresentativesMeeting) => {
                None
            }
            (r, _) => r,
        };
        let d = rule.map(|r| deadline(rules, state, r, today, options));
        if let Some(d) = &d {
            // Every change of state is a wake-up: the day after the deadline (overdue) and the
            // first day it is very overdue.
            if let Some(date) = d.date {
                wake.push(date.succ_opt().unwrap_or(date));
            }
            wake.extend(d.very_overdue_from);
            if d.overdue_days.is_some() && seen.insert(d.rule as u8) {
                overdue.push(d.clone());
            }
        }
        next_actions.push(NextAction {
            event: t.event.into(),
            outcome: t.outcome.into(),
            label_zh: t.label_zh.into(),
            roles,
            deadline: d,
        });
    }
    if let Some(p) = state.publications.last() {
        if let (Some(r), None) = (p.earliest_removal, p.taken_down) {
            wake.push(r);
        }
    }
    let next_wake_up = wake.into_iter().filter(|d| *d > today).min();
    Ok(CaseStatus {
        today,
        stage: state.stage,
        stage_zh: state.stage.name_zh().into(),
        next_actions,
        overdue,
        next_wake_up,
        republication_required: state.republication_reason.clone(),
        rules_version: rules.version().to_string(),
        calendar_version: rules.calendar().map(|c| c.version().to_string()).unwrap_or_default(),
    })
}

/// The items a plan for `unit` and `period` must include, as of `date` (what the schedule says
/// is due when the period ends), with their legal basis.
///
/// ```
/// use chrono::NaiveDate;
/// use cunwu_core::procedure::{plan_requirements, Pipeline};
/// let rules = cunwu_core::RuleSet::bundled().unwrap();
/// let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// let items = plan_requirements(&rules, cunwu_core::UnitKind::Village, None, "2026-Q1", Pipeline::General, d).unwrap();
/// assert!(items.iter().any(|i| i.id == "government.family-planning"));
/// // The city rules bind no party item (each rests on a sample): nothing is required of the
/// // party pipeline until a district catalogue adopts some.
/// let party = plan_requirements(&rules, cunwu_core::UnitKind::Village, None, "2026-Q1", Pipeline::Party, d).unwrap();
/// assert!(party.is_empty());
/// ```
pub fn plan_requirements(
    rules: &RuleSet,
    unit: UnitKind,
    district: Option<&str>,
    period: &str,
    pipeline: Pipeline,
    date: NaiveDate,
) -> Result<Vec<MissingItem>, Error> {
    let (_, until, cadence) = parse_period(period).map_err(reject)?;
    let cat = rules.resolve_shared(date, district, Some(unit))?;
    Ok(due_items(&cat, unit, pipeline, cadence, until))
}

/// The procedure as a Mermaid state diagram, generated from [`TRANSITIONS`], each edge with its
/// step, who takes it and the deadline rule on it.
///
/// ```
/// let d = cunwu_core::procedure::mermaid(cunwu_core::procedure::Pipeline::General);
/// assert!(d.starts_with("stateDiagram-v2"));
/// assert!(d.contains("filed: 存档并报乡镇(街道)备案"));
/// ```
pub fn mermaid(pipeline: Pipeline) -> String {
    let mut out = String::from("stateDiagram-v2\n");
    out.push_str(&format!(
        "    [*] --> opened: opened ({})\n",
        if pipeline == Pipeline::General { "村(居)民委员会" } else { "村党组织" }
    ));
    for t in TRANSITIONS.iter().filter(|t| t.pipeline == pipeline) {
        let roles: Vec<&str> = t.roles.iter().map(|r| r.name_zh()).collect();
        let outcome = if t.outcome.is_empty() { String::new() } else { format!("（{}）", t.outcome) };
        for from in t.from {
            let deadline =
                effective_rule(t, *from).map(|d| format!("<br/>期限：{}", d.parameter())).unwrap_or_default();
            out.push_str(&format!(
                "    {} --> {}: {}: {}{}<br/>{}{}\n",
                from.name(),
                t.to.name(),
                t.event,
                t.label_zh,
                outcome,
                roles.join("/"),
                deadline
            ));
        }
    }
    out.push_str("    closed --> [*]\n");
    out
}
