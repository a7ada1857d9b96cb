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

mod machine;
mod records;
mod status;

use machine::effective_rule;
pub use machine::{DisclosureCase, Procedure, parse_period};
pub use records::{PlanRequirement, due_labels, plan_requirements};
pub use status::{CaseStatus, DeadlineStatus, NextAction, StatusOptions};

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
    /// The type name of every event (`opened`, …), as [`Self::kind`] gives them.
    pub const KINDS: [&'static str; 14] = [
        "opened",
        "plan_proposed",
        "plan_reviewed",
        "objection_answered",
        "objection_referred",
        "objection_settled",
        "secrecy_reviewed",
        "plan_decided",
        "published",
        "taken_down",
        "filed",
        "review_accepted",
        "rectification_ordered",
        "correction_required",
    ];

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
    /// Its name, as in JSON (`due_date`, `filing`, …).
    pub fn name(self) -> &'static str {
        match self {
            DeadlineRule::DueDate => "due_date",
            DeadlineRule::ObjectionWindow => "objection_window",
            DeadlineRule::CommitteeAnswer => "committee_answer",
            DeadlineRule::GovernmentAnswer => "government_answer",
            DeadlineRule::Filing => "filing",
            DeadlineRule::Review => "review",
            DeadlineRule::Republication => "republication",
        }
    }

    /// The Chinese name (公开期限、备案期限、审查期限…).
    pub fn name_zh(self) -> &'static str {
        match self {
            DeadlineRule::DueDate => "公开期限",
            DeadlineRule::ObjectionWindow => "监委会异议期限",
            DeadlineRule::CommitteeAnswer => "村(居)委会答复期限",
            DeadlineRule::GovernmentAnswer => "乡镇(街道)答复期限",
            DeadlineRule::Filing => "备案期限",
            DeadlineRule::Review => "审查期限",
            DeadlineRule::Republication => "重新公开期限",
        }
    }

    /// The rule named `name` (as in JSON).
    pub fn from_name(name: &str) -> Option<DeadlineRule> {
        DeadlineRule::ALL.into_iter().find(|r| r.name() == name)
    }

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
                let allowed: Vec<String> = allowed.iter().map(|a| crate::names::quoted_zh("case_event", a)).collect();
                format!(
                    "当前阶段{}不能进行{}，不得跳过程序；可进行：{}",
                    crate::names::quoted_zh("case_stage", stage),
                    crate::names::quoted_zh("case_event", event),
                    allowed.join("、")
                )
            }
            ProcedureError::WrongRole { event, role, allowed, .. } => {
                format!("{}不能进行{}，应由{allowed}进行", role.name_zh(), crate::names::quoted_zh("case_event", event))
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
        // Cited by title for people; the ids stay in the machine fields (`basis` of an edge).
        let basis = crate::names::cite_code_basis(&self.basis());
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
