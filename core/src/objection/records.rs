//! The compliance record rows an objection's log gives (异议、答复), exactly as the compliance
//! reader takes them.

use super::{Objection, Outcome, Subject};
use crate::compliance::{ObjectionRow, ReplyOutcome, ReplyRow, RepublicationRow, Rows, SubjectKind};

impl Objection {
    /// The rows this objection gives the 考评: one objection row per level it reached, one reply
    /// row per level that replied (`upheld` for an objection upheld in whole or in part,
    /// `rejected` for one dismissed), and, when correction was ordered and the objection names an
    /// item and a period but no case, the re-publication (an objection about a case leaves the
    /// re-publication to the case's own rows, so it is not counted twice).
    ///
    /// ```
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/objection/village-2026-q1-objection.jsonl"));
    /// let o = cunwu_core::objection::Objection::from_jsonl(&rules, text).unwrap();
    /// let rows = o.record_rows();
    /// assert_eq!(rows.objections.len(), o.state().levels.len());
    /// assert!(rows.objections.iter().all(|r| r.id == o.state().id));
    /// ```
    pub fn record_rows(&self) -> Rows {
        let st = self.state();
        let (subject, item, period, case) = match &st.subject {
            Subject::Disclosure { item, case, .. } => {
                (SubjectKind::Disclosure, item.clone(), case.as_ref().map(|c| c.period.clone()), case.is_some())
            }
            Subject::Violation { .. } => (SubjectKind::Violation, None, None, false),
        };
        let mut rows = Rows::default();
        for level in &st.levels {
            rows.objections.push(ObjectionRow {
                id: st.id.clone(),
                unit: st.unit.id.clone(),
                level: level.level,
                received: level.filed_on,
                objector: st.objector.kind,
                subject,
                item: item.clone(),
                period: period.clone(),
            });
            if let (Some(replied), Some(outcome)) = (level.replied_on, level.outcome) {
                let outcome = match outcome {
                    Outcome::Upheld | Outcome::PartlyUpheld => ReplyOutcome::Upheld,
                    Outcome::Dismissed => ReplyOutcome::Rejected,
                };
                rows.replies.push(ReplyRow { objection: st.id.clone(), level: level.level, replied, outcome });
            }
        }
        if let (Some(posted), Some(item), Some(period), false) = (st.republished, item, period, case) {
            rows.republications.push(RepublicationRow { unit: st.unit.id.clone(), item, period, posted });
        }
        rows
    }
}
