//! cunwu-core: the rules of village and community affairs disclosure (村(居)务公开) as code.
//!
//! Rule data (the layered, dated catalogue and its parameters) is loaded into a validated
//! [`RuleSet`]; [`RuleSet::resolve`] gives the effective catalogue for a date and district, every
//! value with the layer and legal basis that set it; [`RuleSet::diff`] says what changed between
//! two dates. [`api`] offers the same as plain serializable requests and answers for bindings.
//!
//! ```
//! use chrono::NaiveDate;
//! let rules = cunwu_core::RuleSet::bundled().unwrap();
//! let cat = rules.resolve(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), None).unwrap();
//! // 30-odd binding obligations; items resting only on other provinces' texts or samples are
//! // listed apart as advisory (建议公开) and never judged.
//! assert!(cat.items.len() >= 30 && cat.advisory.len() >= 20);
//! let display = cat.item("finance.income-expenditure").unwrap().display.as_ref().unwrap();
//! assert_eq!(display.value, cunwu_core::DisplayPeriod::Months(1));
//! ```

pub mod api;
pub mod calendar;
pub mod catalogue;
pub mod compliance;
pub mod diagnostic;
pub mod diff;
pub mod due;
pub mod error;
pub mod explain;
pub mod fs;
pub mod json;
pub mod limits;
pub mod log;
pub mod model;
pub mod names;
pub mod objection;
pub mod period;
pub mod privacy;
pub mod procedure;
pub mod render;
pub mod rules;
pub mod schedule;
mod sort;
pub mod validation;

pub use catalogue::{ResolvedCatalogue, ResolvedItem, ResolvedParameter};
pub use diagnostic::{Diagnostic, LineIndex, Location, Severity};
pub use error::{CatalogueError, ComplianceError, Error, InputError};
pub use model::{
    AffairKind, Cadence, Channel, DisplayPeriod, DocumentKind, Force, Jurisdiction, LegalBasis, UnitKind,
    cadence_at_least_as_strict,
};
pub use rules::RuleSet;
