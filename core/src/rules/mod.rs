//! Rule data: loading the files, checking them (the maintainers' lint), and the validated
//! [`RuleSet`] that everything else reads.
//!
//! A rule set is built all at once or not at all: if any file has an error, nothing is returned
//! but the full list of diagnostics.

pub mod bundled;
#[cfg(feature = "toml")]
pub mod compile;
pub mod file;
pub mod force;
pub(crate) mod load;
pub mod problem;
pub mod schema;
#[cfg(feature = "toml")]
mod toml_reader;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::LegalBasis;
pub use file::{
    AmendmentDef, ClauseDef, DeductionDef, DistrictDef, DocumentDef, FamilyDef, GradeDef, ItemDef, ItemField, LayerDef,
    LayerLevel, ParameterDef, ParameterKind, ParameterValueDef, Points, RawParamValue, RuleDate, RuleFile,
    ScoringSchemeDef, SourceTextDef, TextStatus, Tighter,
};
pub use load::SourceFile;
use load::{LoadedFile, make_diagnostic};
pub use problem::{RULE_PROBLEM_CODES, RuleProblem};

/// An inclusive range of days; `until = None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub until: Option<NaiveDate>,
}

impl DateRange {
    /// Whether `date` falls in the range.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cunwu_core::rules::DateRange;
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let r = DateRange { from: d("2013-11-01"), until: None };
    /// assert!(r.contains(d("2026-01-01")) && !r.contains(d("2013-10-31")));
    /// ```
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|u| date <= u)
    }

    /// Whether two ranges share a day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.from <= other.until.unwrap_or(NaiveDate::MAX) && other.from <= self.until.unwrap_or(NaiveDate::MAX)
    }

    /// Whether every day of `self` is in `outer`.
    pub fn within(&self, outer: &DateRange) -> bool {
        self.from >= outer.from
            && match (self.until, outer.until) {
                (_, None) => true,
                (Some(a), Some(b)) => a <= b,
                (None, Some(_)) => false,
            }
    }

    /// The days common to both, if any.
    pub fn intersect(&self, other: &DateRange) -> Option<DateRange> {
        let from = self.from.max(other.from);
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        (until.is_none_or(|u| u >= from)).then_some(DateRange { from, until })
    }
}

/// A validated layer with its contents and where they came from.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub def: LayerDef,
    pub file: usize,
    pub parent: Option<usize>,
    pub range: DateRange,
    pub items: Vec<(ItemDef, String)>,
    pub amendments: Vec<(AmendmentDef, String)>,
    pub parameters: Vec<(ParameterDef, String)>,
}

/// Resolved catalogues by (district, first day of the rules epoch), shared by every caller.
type SharedCatalogues =
    std::sync::Arc<std::sync::Mutex<BTreeMap<CatalogueKey, std::sync::Arc<crate::catalogue::ResolvedCatalogue>>>>;

/// A shared catalogue's key: district, first day of the rules epoch, unit kind.
type CatalogueKey = (Option<String>, NaiveDate, Option<crate::model::UnitKind>);

/// A summary of one layer, as listed by [`RuleSet::layers`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// Layer id.
    pub id: String,
    /// Layer name.
    pub name: String,
    /// Level.
    pub level: LayerLevel,
    /// Parent layer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Days in force.
    pub effective: DateRange,
    /// Source document id.
    pub source: String,
    /// The district, for a district layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictDef>,
    /// Example data, not a real catalogue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
    /// The file that declares the layer.
    pub file: String,
}

/// A validated set of rules: documents, layers, items, amendments and parameters.
///
/// ```
/// let rules = cunwu_core::RuleSet::bundled().expect("the bundled rules are valid");
/// assert!(rules.layers().iter().any(|l| l.id == "cq-statute-2013"));
/// ```
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Resolved catalogues by (district, first day of the rules epoch), shared by every caller.
    pub(crate) resolved: SharedCatalogues,
    pub(crate) families: BTreeMap<crate::validation::Family, FamilyDef>,
    /// Scoring schemes (考评办法), checked: unique ids, no two in force for one place on one day.
    pub(crate) scoring: Vec<ScoringSchemeDef>,
    pub(crate) version: String,
    pub(crate) calendar: Option<crate::calendar::Calendar>,
    pub(crate) breakpoints: Vec<NaiveDate>,
    pub(crate) files: Vec<LoadedFile>,
    pub(crate) documents: BTreeMap<String, DocumentDef>,
    /// Clause texts by document id (`rules/sources/`).
    #[cfg(feature = "toml")]
    pub(crate) sources: BTreeMap<String, force::SourceText>,
    pub(crate) layers: Vec<Layer>,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) limits: crate::limits::Limits,
}

impl RuleSet {
    /// Load and check rule files. On any error, returns every diagnostic (errors and warnings),
    /// sorted by file and position, and no rule set.
    ///
    /// ```
    /// use cunwu_core::{RuleSet, rules::SourceFile};
    /// let bad = SourceFile::new("a.toml", "[layer]\nid = 1\n");
    /// let diags = RuleSet::load(&[bad]).unwrap_err();
    /// assert_eq!(diags[0].code, "RULES_INVALID_VALUE");
    /// ```
    pub fn load(files: &[SourceFile]) -> Result<RuleSet, Vec<Diagnostic>> {
        let (set, diags) = build(files);
        match set {
            Some(set) if !diags.iter().any(Diagnostic::is_error) => Ok(RuleSet { warnings: diags, ..set }),
            _ => Err(diags),
        }
    }

    /// Every diagnostic for these files: what `cunwu rules lint` prints.
    pub fn lint(files: &[SourceFile]) -> Vec<Diagnostic> {
        build(files).1
    }

    /// The rules bundled with cunwu (national, Chongqing statute, Chongqing policy).
    pub fn bundled() -> Result<RuleSet, Vec<Diagnostic>> {
        let mut set = RuleSet::load(&bundled::sources())?;
        // Without the TOML reader the bundled files are their compiled JSON; the version is the
        // one every other build computes from the TOML texts (logs written in a browser carry it).
        set.version = bundled::compiled::VERSION.to_string();
        Ok(set)
    }

    /// The bundled rules plus `extra` files (a district's catalogue, say).
    ///
    /// ```
    /// use cunwu_core::{RuleSet, rules::SourceFile};
    /// let extra = SourceFile::new("d.toml", "");
    /// assert!(RuleSet::bundled_with(&[extra]).is_ok());
    /// ```
    pub fn bundled_with(extra: &[SourceFile]) -> Result<RuleSet, Vec<Diagnostic>> {
        RuleSet::load(&merge_sources(bundled::sources(), extra))
    }

    /// The files this rule set was built from (to rebuild it elsewhere: another process, a
    /// pickled object).
    pub fn sources(&self) -> Vec<SourceFile> {
        self.files.iter().map(|f| SourceFile::new(f.path.clone(), f.text.clone())).collect()
    }

    /// A version of the rule data: a hash of every file's path and text. Event logs record it.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// These rules with other [`Limits`](crate::limits::Limits) on what one call accepts.
    ///
    /// ```
    /// use cunwu_core::{RuleSet, limits::Limits};
    /// let rules = RuleSet::bundled().unwrap().with_limits(Limits { max_log_entries: 10, ..Limits::default() });
    /// assert_eq!(rules.limits().max_log_entries, 10);
    /// ```
    pub fn with_limits(self, limits: crate::limits::Limits) -> Self {
        RuleSet { limits, ..self }
    }

    /// The limits on what one call accepts.
    pub fn limits(&self) -> &crate::limits::Limits {
        &self.limits
    }

    /// The official rest-day calendar of these rules.
    pub fn calendar(&self) -> Result<&crate::calendar::Calendar, crate::calendar::CalendarError> {
        self.calendar.as_ref().ok_or(crate::calendar::CalendarError::NoData)
    }

    /// Warnings found while loading (the rules loaded anyway).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// All layers, in file order.
    pub fn layers(&self) -> Vec<LayerInfo> {
        self.layers
            .iter()
            .map(|l| LayerInfo {
                id: l.def.id.clone(),
                name: l.def.name.clone(),
                level: l.def.level,
                parent: l.def.parent.clone(),
                effective: l.range,
                source: l.def.source.clone(),
                district: l.def.district.clone(),
                illustrative: l.def.illustrative,
                file: self.files.get(l.file).map(|f| f.path.clone()).unwrap_or_default(),
            })
            .collect()
    }

    /// The catalogue in force on `date` (for `district`), shared: resolving any day of a period of
    /// unchanging rules gives the same catalogue, so it is computed once per period and district.
    /// Its `as_of` is the first day it was asked for in that period; use [`RuleSet::resolve`]
    /// where `as_of` matters.
    ///
    /// Give the kind of unit whenever the catalogue is used to judge a unit: only then are the
    /// values resting on texts that do not govern that kind left out (a village-only statute
    /// never reaches a community). `None` gives the view of every kind at once, for display.
    pub fn resolve_shared(
        &self,
        date: NaiveDate,
        district: Option<&str>,
        unit: Option<crate::model::UnitKind>,
    ) -> Result<std::sync::Arc<crate::catalogue::ResolvedCatalogue>, crate::error::CatalogueError> {
        const MAX_CACHED: usize = 512;
        let key = (district.map(str::to_string), self.epoch_start(date), unit);
        if let Ok(cache) = self.resolved.lock() {
            if let Some(c) = cache.get(&key) {
                return Ok(std::sync::Arc::clone(c));
            }
        }
        let cat = std::sync::Arc::new(self.resolve_for(date, district, unit)?);
        if let Ok(mut cache) = self.resolved.lock() {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(key, std::sync::Arc::clone(&cat));
        }
        Ok(cat)
    }

    /// The scoring scheme (考评办法) in force on `date` for units of `district`: the district's
    /// own scheme if it has one, else the city-wide scheme.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// let scheme = rules.scoring_scheme(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), None).unwrap();
    /// assert_eq!(scheme.grades.first().unwrap().name, "优秀");
    /// ```
    pub fn scoring_scheme(&self, date: NaiveDate, district: Option<&str>) -> Option<&ScoringSchemeDef> {
        let in_force = |s: &&ScoringSchemeDef| s.from.0 <= date && s.until.is_none_or(|u| date <= u.0);
        let local =
            district.and_then(|d| self.scoring.iter().filter(in_force).find(|s| s.district.as_deref() == Some(d)));
        local.or_else(|| self.scoring.iter().filter(in_force).find(|s| s.district.is_none()))
    }

    /// The required fields of a submission family.
    pub fn family(&self, id: crate::validation::Family) -> Option<&FamilyDef> {
        self.families.get(&id)
    }

    /// Every declared document, by id.
    ///
    /// ```
    /// let rules = cunwu_core::RuleSet::bundled().unwrap();
    /// assert!(rules.documents().all(|d| d.citation().starts_with('《')));
    /// ```
    pub fn documents(&self) -> impl Iterator<Item = &DocumentDef> {
        self.documents.values()
    }

    /// A declared document by id.
    pub fn document(&self, id: &str) -> Option<&DocumentDef> {
        self.documents.get(id)
    }

    /// Where something in a layer's file is.
    pub(crate) fn location(&self, layer: usize, pointer: &str) -> Location {
        self.layers
            .get(layer)
            .and_then(|l| self.files.get(l.file))
            .map(|f| f.location(pointer))
            .unwrap_or_else(|| Location::at_pointer(pointer))
    }

    /// The legal basis of a value as text for messages (`《title》article；…`).
    pub(crate) fn cite_basis(&self, source: &crate::catalogue::Provenance) -> String {
        let parts = crate::diff::basis_texts(&source.basis, &self.documents);
        if parts.is_empty() { "—".to_string() } else { parts.join("；") }
    }

    /// The chain of layer indices from the root to `leaf`.
    pub(crate) fn chain(&self, leaf: usize) -> Vec<usize> {
        let mut chain = vec![leaf];
        let mut current = leaf;
        while let Some(parent) = self.layers.get(current).and_then(|l| l.parent) {
            if chain.contains(&parent) {
                break; // cycles are rejected by lint; never loop
            }
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// Every date on which something in the rules starts or stops applying, sorted.
    fn compute_breakpoints(&self) -> Vec<NaiveDate> {
        let mut dates = BTreeSet::new();
        let mut add = |from: NaiveDate, until: Option<NaiveDate>| {
            dates.insert(from);
            if let Some(next) = until.and_then(|u| u.succ_opt()) {
                dates.insert(next);
            }
        };
        for layer in &self.layers {
            add(layer.range.from, layer.range.until);
            for (i, _) in &layer.items {
                add(date_of(i.from).unwrap_or(layer.range.from), date_of(i.until));
            }
            for (a, _) in &layer.amendments {
                add(date_of(a.from).unwrap_or(layer.range.from), date_of(a.until));
            }
            for (p, _) in &layer.parameters {
                for v in &p.values {
                    add(v.from.0, date_of(v.until));
                }
            }
        }
        dates.into_iter().collect()
    }

    /// The first day of the period of unchanging rules that contains `date`: resolving any day
    /// of that period gives the same catalogue (but for its `as_of`).
    pub fn epoch_start(&self, date: NaiveDate) -> NaiveDate {
        let i = self.breakpoints.partition_point(|d| *d <= date);
        i.checked_sub(1).and_then(|i| self.breakpoints.get(i)).copied().unwrap_or(NaiveDate::MIN)
    }

    pub(crate) fn layer_index(&self, id: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.def.id == id)
    }
}

/// `base` with `extra` added; an extra file with the same path as a base file replaces it, so a
/// directory can both extend the bundled rules and override one of their files.
///
/// ```
/// use cunwu_core::rules::{merge_sources, SourceFile};
/// let base = vec![SourceFile::new("rules/a.toml", "x"), SourceFile::new("rules/b.toml", "y")];
/// let merged = merge_sources(base, &[SourceFile::new("rules/a.toml", "z")]);
/// assert_eq!(merged.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(), ["z", "y"]);
/// ```
pub fn merge_sources(mut base: Vec<SourceFile>, extra: &[SourceFile]) -> Vec<SourceFile> {
    for file in extra {
        match base.iter_mut().find(|b| b.path == file.path) {
            Some(slot) => *slot = file.clone(),
            None => base.push(file.clone()),
        }
    }
    base
}

include!("version_formula.rs");

fn sources_version(sources: &[SourceFile]) -> String {
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.path.cmp(&b.path));
    version_of(sorted.into_iter().map(|f| (f.path.as_str(), f.text.as_str())))
}

fn date_of(d: Option<RuleDate>) -> Option<NaiveDate> {
    d.map(|d| d.0)
}

/// Build the rule set and every diagnostic. The set is `None` when a file could not be parsed.
fn build(sources: &[SourceFile]) -> (Option<RuleSet>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let mut parsed = Vec::new();
    let mut broken = false;
    for src in sources {
        let (loaded, file) = load::parse_file(src, &mut diags);
        match file {
            Some(f) => parsed.push((files.len(), f)),
            None => broken = true,
        }
        files.push(loaded);
    }

    let mut set = RuleSet {
        resolved: Default::default(),
        families: BTreeMap::new(),
        scoring: Vec::new(),
        version: sources_version(sources),
        calendar: None,
        breakpoints: Vec::new(),
        files,
        documents: BTreeMap::new(),
        #[cfg(feature = "toml")]
        sources: BTreeMap::new(),
        layers: Vec::new(),
        warnings: Vec::new(),
        limits: crate::limits::Limits::default(),
    };
    let mut ck = Checker {
        set: &mut set,
        diags: &mut diags,
        calendar: crate::calendar::CalendarSources::default(),
        pending_basis: Vec::new(),
        pending_citations: Vec::new(),
        source_files: Vec::new(),
    };
    ck.collect(parsed);
    ck.check_calendar();
    ck.check_layers();
    ck.check_community_names();
    ck.check_contents();
    // The maintainers' force and citation checks. The browser package (no TOML reader) reads rule
    // files compiled by `cunwu rules compile`, which ran them; it still derives every item's
    // force and every scope at run time, so nothing resting on a non-binding text is judged.
    #[cfg(feature = "toml")]
    {
        ck.check_force();
        ck.check_citations();
    }
    ck.check_tightening();
    sort_diagnostics(&mut diags);
    diags.dedup();
    ((!broken).then_some(set), diags)
}

fn sort_diagnostics(diags: &mut [Diagnostic]) {
    crate::sort::sort_by(diags, |a, b| {
        let key = |d: &Diagnostic| (d.location.file.clone(), d.location.line, d.location.column, d.code.clone());
        key(a).cmp(&key(b))
    });
}

struct Checker<'a> {
    set: &'a mut RuleSet,
    diags: &'a mut Vec<Diagnostic>,
    calendar: crate::calendar::CalendarSources,
    /// Document references to check once every file's documents are known.
    pending_basis: Vec<(usize, String, String)>,
    /// Citations (file, pointer of the basis, basis) to check against the source texts.
    #[cfg_attr(not(feature = "toml"), allow(dead_code))]
    pending_citations: Vec<(usize, String, LegalBasis)>,
    /// Source-text files (file, document id), checked once every document is known.
    #[cfg_attr(not(feature = "toml"), allow(dead_code))]
    source_files: Vec<(usize, String)>,
}

impl Checker<'_> {
    fn report(&mut self, file: usize, pointer: &str, problem: RuleProblem) {
        let location = self.set.files.get(file).map(|f| f.location(pointer)).unwrap_or_default();
        self.diags.push(make_diagnostic(problem, location));
    }

    fn report_layer(&mut self, layer: usize, pointer: &str, problem: RuleProblem) {
        let file = self.set.layers.get(layer).map(|l| l.file).unwrap_or(usize::MAX);
        self.report(file, pointer, problem);
    }

    /// Documents and layers from every file.
    fn collect(&mut self, parsed: Vec<(usize, load::ParsedFile)>) {
        for (file, rf) in parsed {
            for (doc, ptr) in rf.documents {
                if self.set.documents.contains_key(&doc.id) {
                    self.report(file, &format!("{ptr}/id"), RuleProblem::DuplicateDocument { id: doc.id.clone() });
                } else {
                    self.set.documents.insert(doc.id.clone(), doc);
                }
            }
            match rf.calendar {
                Some(year) => self.calendar.years.push(crate::calendar::YearSource { file, year, breaks: rf.breaks }),
                None if !rf.breaks.is_empty() => self.calendar.orphan_breaks.push(file),
                None => {}
            }
            for (rule, ptr) in rf.festival_rules {
                self.calendar.festival_rules.push((file, rule, ptr));
            }
            for (family, ptr) in rf.families {
                let subject = format!("family `{}`", family.id);
                self.check_cited(file, &ptr, subject, &family.basis, family.local_default, family.note.is_some());
                match self.set.families.entry(family.id) {
                    std::collections::btree_map::Entry::Occupied(_) => {
                        let id = family.id.to_string();
                        self.report(file, &format!("{ptr}/id"), RuleProblem::FamilyDuplicate { id });
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(family);
                    }
                }
            }
            for (scheme, ptr) in rf.scoring {
                self.collect_scoring(file, scheme, &ptr);
            }
            #[cfg(feature = "toml")]
            self.collect_source_text(file, rf.source_text, rf.clauses);
            if let Some(settings) = rf.calendar_settings {
                self.calendar.settings.push((file, settings));
            }
            let has_content = !rf.items.is_empty() || !rf.amendments.is_empty() || !rf.parameters.is_empty();
            let Some(def) = rf.layer else {
                if has_content {
                    self.report(file, "", RuleProblem::LayerMissing);
                }
                continue;
            };
            if self.set.layers.iter().any(|l| l.def.id == def.id) {
                self.report(file, "/layer/id", RuleProblem::LayerDuplicate { id: def.id.clone() });
                continue;
            }
            let range = DateRange { from: def.effective_from.0, until: date_of(def.effective_until) };
            let (items, amendments, parameters) = (rf.items, rf.amendments, rf.parameters);
            self.set.layers.push(Layer { def, file, parent: None, range, items, amendments, parameters });
        }
    }

    /// A table outside the layers (a family, a scoring scheme) cites a basis or is a local
    /// default with a note; its documents are checked once every file's are known.
    fn check_cited(
        &mut self,
        file: usize,
        ptr: &str,
        subject: String,
        basis: &[LegalBasis],
        local_default: bool,
        has_note: bool,
    ) {
        if basis.is_empty() && !local_default {
            self.report(file, ptr, RuleProblem::MissingLegalBasis { subject: subject.clone() });
        }
        if local_default && !has_note {
            self.report(file, ptr, RuleProblem::LocalDefaultWithoutNote { subject });
        }
        for (k, b) in basis.iter().enumerate() {
            self.pending_basis.push((file, format!("{ptr}/basis/{k}/doc"), b.doc.clone()));
            self.pending_citations.push((file, format!("{ptr}/basis/{k}"), b.clone()));
        }
    }

    /// One scoring scheme: basis or local default, documents, deductions and grade bands; kept
    /// only if its id is new and no scheme for the same place is in force on any of its days.
    fn collect_scoring(&mut self, file: usize, scheme: ScoringSchemeDef, ptr: &str) {
        let subject = format!("scoring scheme `{}`", scheme.id);
        self.check_cited(file, ptr, subject, &scheme.basis, scheme.local_default, scheme.note.is_some());
        let range = DateRange { from: scheme.from.0, until: scheme.until.map(|u| u.0) };
        if let Some(u) = range.until.filter(|u| *u < range.from) {
            let problem = RuleProblem::InvalidRange { from: range.from.to_string(), until: u.to_string() };
            self.report(file, &format!("{ptr}/until"), problem);
        }
        let mut seen = std::collections::BTreeSet::new();
        for (k, d) in scheme.deductions.iter().enumerate() {
            if !seen.insert(d.finding) {
                let problem =
                    RuleProblem::ScoringDuplicateFinding { id: scheme.id.clone(), finding: d.finding.to_string() };
                self.report(file, &format!("{ptr}/deductions/{k}/finding"), problem);
            }
        }
        let bad_grades = |message: &str, message_zh: &str| RuleProblem::ScoringBadGrades {
            id: scheme.id.clone(),
            message: message.into(),
            message_zh: message_zh.into(),
        };
        let mut problems = Vec::new();
        for (k, pair) in scheme.grades.windows(2).enumerate() {
            if let [upper, lower] = pair
                && lower.min >= upper.min
            {
                let en =
                    format!("grade `{}` must start below `{}` ({} ≥ {})", lower.id, upper.id, lower.min.0, upper.min.0);
                let zh = format!(
                    "等次“{}”的分数线必须低于“{}”（{} ≥ {}）",
                    lower.name, upper.name, lower.min.0, upper.min.0
                );
                problems.push((format!("{ptr}/grades/{}/min", k + 1), bad_grades(&en, &zh)));
            }
        }
        match scheme.grades.last() {
            None => problems.push((format!("{ptr}/grades"), bad_grades("no grade bands", "没有规定等次"))),
            Some(last) if !last.min.0.is_zero() => problems.push((
                format!("{ptr}/grades/{}/min", scheme.grades.len() - 1),
                bad_grades("the lowest grade must start at 0", "最低等次的分数线必须为0"),
            )),
            Some(_) => {}
        }
        if let Some(first) = scheme.grades.first().filter(|g| g.min > scheme.full_marks) {
            let en = format!("grade `{}` starts above full marks ({})", first.id, scheme.full_marks.0);
            let zh = format!("等次“{}”的分数线高于满分（{}）", first.name, scheme.full_marks.0);
            problems.push((format!("{ptr}/grades/0/min"), bad_grades(&en, &zh)));
        }
        for (at, problem) in problems {
            self.report(file, &at, problem);
        }
        if self.set.scoring.iter().any(|s| s.id == scheme.id) {
            self.report(file, &format!("{ptr}/id"), RuleProblem::ScoringDuplicateScheme { id: scheme.id });
            return;
        }
        let clash = self.set.scoring.iter().find(|other| {
            other.district == scheme.district
                && range.overlaps(&DateRange { from: other.from.0, until: other.until.map(|u| u.0) })
        });
        if let Some(other) = clash {
            let place =
                scheme.district.as_deref().map_or_else(|| "the whole city".to_string(), |d| format!("district `{d}`"));
            let from = range.from.max(other.from.0).to_string();
            let problem = RuleProblem::ScoringOverlap { id: scheme.id, other: other.id.clone(), place, from };
            self.report(file, &format!("{ptr}/from"), problem);
            return;
        }
        self.set.scoring.push(scheme);
    }

    /// The holiday calendar: sources cited, every year consistent with the holiday law.
    fn check_calendar(&mut self) {
        for (file, ptr, doc) in std::mem::take(&mut self.pending_basis) {
            if !self.set.documents.contains_key(&doc) {
                self.report(file, &ptr, RuleProblem::UnknownDocument { doc });
            }
        }
        let rules: Vec<(usize, String, Vec<LegalBasis>)> =
            self.calendar.festival_rules.iter().map(|(f, r, p)| (*f, p.clone(), r.basis.clone())).collect();
        for (file, ptr, basis) in rules {
            if basis.is_empty() {
                self.report(file, &ptr, RuleProblem::MissingLegalBasis { subject: "festival rule".into() });
            }
            for (k, b) in basis.iter().enumerate() {
                self.pending_citations.push((file, format!("{ptr}/basis/{k}"), b.clone()));
                if !self.set.documents.contains_key(&b.doc) {
                    self.report(
                        file,
                        &format!("{ptr}/basis/{k}/doc"),
                        RuleProblem::UnknownDocument { doc: b.doc.clone() },
                    );
                }
            }
        }
        let settings: Vec<(usize, bool, bool, usize)> = self
            .calendar
            .settings
            .iter()
            .map(|(f, s)| (*f, s.local_default, s.note.is_some(), s.basis.len()))
            .collect();
        for (file, local, has_note, basis) in settings {
            if basis == 0 && !local {
                self.report(
                    file,
                    "/calendar_settings",
                    RuleProblem::MissingLegalBasis { subject: "calendar settings".into() },
                );
            }
            if local && !has_note {
                self.report(
                    file,
                    "/calendar_settings",
                    RuleProblem::LocalDefaultWithoutNote { subject: "calendar settings".into() },
                );
            }
        }
        self.set.calendar = crate::calendar::build(&self.calendar, &self.set.files, self.diags);
    }

    fn check_layers(&mut self) {
        for i in 0..self.set.layers.len() {
            let Some(layer) = self.set.layers.get(i) else {
                continue;
            };
            let def = layer.def.clone();
            let range = layer.range;
            if let Some(until) = range.until {
                if until < range.from {
                    self.report_layer(
                        i,
                        "/layer/effective_until",
                        RuleProblem::InvalidRange { from: range.from.to_string(), until: until.to_string() },
                    );
                }
            }
            if !self.set.documents.contains_key(&def.source) {
                self.report_layer(i, "/layer/source", RuleProblem::UnknownDocument { doc: def.source.clone() });
            }
            let level = level_name(def.level);
            match (&def.parent, def.level) {
                (Some(_), LayerLevel::National) => self.report_layer(
                    i,
                    "/layer/parent",
                    RuleProblem::LayerParentRule {
                        layer: def.id.clone(),
                        level: level.into(),
                        expectation: "must not have a parent".into(),
                    },
                ),
                (None, l) if l != LayerLevel::National => self.report_layer(
                    i,
                    "/layer",
                    RuleProblem::LayerParentRule {
                        layer: def.id.clone(),
                        level: level.into(),
                        expectation: "must name its parent".into(),
                    },
                ),
                (Some(parent), _) => match self.set.layer_index(parent) {
                    None => self.report_layer(
                        i,
                        "/layer/parent",
                        RuleProblem::LayerUnknownParent { layer: def.id.clone(), parent: parent.clone() },
                    ),
                    Some(p) => {
                        if let Some(l) = self.set.layers.get_mut(i) {
                            l.parent = Some(p);
                        }
                    }
                },
                _ => {}
            }
            match (def.level, &def.district) {
                (LayerLevel::District, None) => self.report_layer(
                    i,
                    "/layer",
                    RuleProblem::LayerDistrict {
                        layer: def.id.clone(),
                        message: "a district layer must give `district = { id, name }`".into(),
                    },
                ),
                (l, Some(_)) if l != LayerLevel::District => self.report_layer(
                    i,
                    "/layer/district",
                    RuleProblem::LayerDistrict {
                        layer: def.id.clone(),
                        message: "only a district layer may give `district`".into(),
                    },
                ),
                _ => {}
            }
        }
        // Cycles, level order and date containment along parent links.
        for i in 0..self.set.layers.len() {
            let mut seen = vec![i];
            let mut current = i;
            while let Some(p) = self.set.layers.get(current).and_then(|l| l.parent) {
                if seen.contains(&p) {
                    let chain =
                        seen.iter().chain([&p]).filter_map(|&k| self.set.layers.get(k)).map(|l| l.def.id.clone());
                    let chain = chain.collect::<Vec<_>>().join(" → ");
                    self.report_layer(i, "/layer/parent", RuleProblem::LayerCycle { chain });
                    if let Some(l) = self.set.layers.get_mut(i) {
                        l.parent = None;
                    }
                    break;
                }
                seen.push(p);
                current = p;
            }
        }
        for i in 0..self.set.layers.len() {
            let (Some(layer), Some(parent)) = (
                self.set.layers.get(i),
                self.set.layers.get(i).and_then(|l| l.parent).and_then(|p| self.set.layers.get(p)),
            ) else {
                continue;
            };
            let (id, level, range) = (layer.def.id.clone(), layer.def.level, layer.range);
            let (pid, plevel, prange) = (parent.def.id.clone(), parent.def.level, parent.range);
            if level <= plevel {
                self.report_layer(
                    i,
                    "/layer/level",
                    RuleProblem::LayerLevelOrder {
                        layer: id.clone(),
                        level: level_name(level).into(),
                        parent: pid.clone(),
                        parent_level: level_name(plevel).into(),
                    },
                );
            }
            if !range.within(&prange) {
                self.report_layer(
                    i,
                    "/layer/effective_from",
                    RuleProblem::LayerOutsideParent { layer: id, parent: pid },
                );
            }
        }
        #[cfg(feature = "toml")]
        self.check_skipped_levels();
        // Two layers competing for one place: same parent and both non-district, or same district.
        for i in 0..self.set.layers.len() {
            for j in (i + 1)..self.set.layers.len() {
                let (Some(a), Some(b)) = (self.set.layers.get(i), self.set.layers.get(j)) else {
                    continue;
                };
                let place = match (&a.def.district, &b.def.district) {
                    (Some(da), Some(db)) if da.id == db.id => Some(format!("district `{}`", da.id)),
                    (None, None) if a.def.parent == b.def.parent => Some("the city".to_string()),
                    _ => None,
                };
                if let (Some(place), Some(common)) = (place, a.range.intersect(&b.range)) {
                    let problem = RuleProblem::LayerOverlap {
                        layer: b.def.id.clone(),
                        other: a.def.id.clone(),
                        place,
                        from: common.from.to_string(),
                    };
                    self.report_layer(j, "/layer/effective_from", problem);
                }
            }
        }
    }

    /// A layer must hang under the lowest layer that binds it: if another layer at a higher
    /// level than it refines its parent on some of the same days, the chain skips that layer.
    #[cfg(feature = "toml")]
    fn check_skipped_levels(&mut self) {
        let ancestors = |set: &RuleSet, mut at: usize| {
            let mut out = Vec::new();
            while let Some(p) = set.layers.get(at).and_then(|l| l.parent) {
                if out.contains(&p) || out.len() > set.layers.len() {
                    break;
                }
                out.push(p);
                at = p;
            }
            out
        };
        let mut found = Vec::new();
        for (i, layer) in self.set.layers.iter().enumerate() {
            let Some(parent) = layer.parent else { continue };
            let mine = ancestors(self.set, i);
            for (j, other) in self.set.layers.iter().enumerate() {
                let theirs = ancestors(self.set, j);
                let refines_parent = j != i && theirs.contains(&parent) && !mine.contains(&j);
                let higher = other.def.level < layer.def.level;
                if refines_parent && higher && !theirs.contains(&i) && layer.range.intersect(&other.range).is_some() {
                    found.push((i, parent, j));
                }
            }
        }
        for (i, parent, j) in found {
            let name = |k: usize| self.set.layers.get(k).map(|l| l.def.id.clone()).unwrap_or_default();
            let problem = RuleProblem::LayerSkipsLevel { layer: name(i), parent: name(parent), skipped: name(j) };
            self.report_layer(i, "/layer/parent", problem);
        }
    }

    fn check_basis(&mut self, layer: usize, pointer: &str, basis: &[LegalBasis]) {
        let file = self.set.layers.get(layer).map(|l| l.file).unwrap_or(usize::MAX);
        for (k, b) in basis.iter().enumerate() {
            self.pending_citations.push((file, format!("{pointer}/basis/{k}"), b.clone()));
            if !self.set.documents.contains_key(&b.doc) {
                self.report_layer(
                    layer,
                    &format!("{pointer}/basis/{k}/doc"),
                    RuleProblem::UnknownDocument { doc: b.doc.clone() },
                );
            }
        }
    }

    fn check_range(
        &mut self,
        layer: usize,
        pointer: &str,
        subject: &str,
        from: Option<RuleDate>,
        until: Option<RuleDate>,
    ) -> DateRange {
        let layer_range =
            self.set.layers.get(layer).map(|l| l.range).unwrap_or(DateRange { from: NaiveDate::MIN, until: None });
        let range =
            DateRange { from: date_of(from).unwrap_or(layer_range.from), until: date_of(until).or(layer_range.until) };
        if let Some(u) = range.until.filter(|u| *u < range.from) {
            self.report_layer(
                layer,
                &format!("{pointer}/until"),
                RuleProblem::InvalidRange { from: range.from.to_string(), until: u.to_string() },
            );
        } else if !range.within(&layer_range) {
            let at = if from.is_some() { "from" } else { "until" };
            self.report_layer(
                layer,
                &format!("{pointer}/{at}"),
                RuleProblem::OutsideLayer { subject: subject.to_string() },
            );
        }
        range
    }

    /// Items, amendments and parameters of each layer, against documents and ancestors.
    fn check_contents(&mut self) {
        for li in 0..self.set.layers.len() {
            let Some(layer) = self.set.layers.get(li).cloned() else {
                continue;
            };
            let ancestors: Vec<usize> = self.set.chain(li).into_iter().filter(|&a| a != li).collect();
            for (item, ptr) in &layer.items {
                let subject = format!("item `{}`", item.id);
                if item.basis.is_empty() {
                    self.report_layer(li, ptr, RuleProblem::MissingLegalBasis { subject: subject.clone() });
                }
                self.check_basis(li, ptr, &item.basis);
                if !item.local_defaults.is_empty() && item.note.is_none() {
                    self.report_layer(
                        li,
                        &format!("{ptr}/local_defaults"),
                        RuleProblem::LocalDefaultWithoutNote { subject: subject.clone() },
                    );
                }
                if item.scope.is_empty() {
                    self.report_layer(li, &format!("{ptr}/scope"), RuleProblem::EmptyList { field: "scope".into() });
                }
                for (k, kind) in item.scope_by_reading.iter().enumerate() {
                    if !item.scope.contains(kind) {
                        self.report_layer(
                            li,
                            &format!("{ptr}/scope_by_reading/{k}"),
                            RuleProblem::InvalidValue {
                                message: format!(
                                    "`scope_by_reading` 的 {} 不在 `scope` 中 / {kind:?} in `scope_by_reading` is not in `scope`",
                                    kind.name_zh()
                                ),
                            },
                        );
                    }
                }
                if !item.scope_by_reading.is_empty() && item.note.is_none() {
                    self.report_layer(
                        li,
                        &format!("{ptr}/scope_by_reading"),
                        RuleProblem::LocalDefaultWithoutNote { subject: subject.clone() },
                    );
                }
                if item.cadence.is_empty() {
                    self.report_layer(
                        li,
                        &format!("{ptr}/cadence"),
                        RuleProblem::EmptyList { field: "cadence".into() },
                    );
                }
                self.check_range(li, ptr, &subject, item.from, item.until);
            }
            self.check_item_ids(li, &layer, &ancestors);
            for (am, ptr) in &layer.amendments {
                let selectors =
                    usize::from(!am.items.is_empty()) + usize::from(!am.kinds.is_empty()) + usize::from(am.all);
                if selectors != 1 {
                    self.report_layer(li, ptr, RuleProblem::BadSelector);
                }
                if am.basis.is_empty() {
                    self.report_layer(li, ptr, RuleProblem::MissingLegalBasis { subject: "amendment".into() });
                }
                self.check_basis(li, ptr, &am.basis);
                if !am.local_defaults.is_empty() && am.note.is_none() {
                    self.report_layer(
                        li,
                        &format!("{ptr}/local_defaults"),
                        RuleProblem::LocalDefaultWithoutNote { subject: "amendment".into() },
                    );
                }
                self.check_range(li, ptr, "amendment", am.from, am.until);
                for (k, id) in am.items.iter().enumerate() {
                    let known = ancestors
                        .iter()
                        .any(|&a| self.set.layers.get(a).is_some_and(|l| l.items.iter().any(|(it, _)| &it.id == id)));
                    if !known {
                        self.report_layer(li, &format!("{ptr}/items/{k}"), RuleProblem::UnknownItem { id: id.clone() });
                    }
                }
            }
            for (param, ptr) in &layer.parameters {
                self.check_parameter(li, &ancestors, param, ptr);
            }
        }
    }

    /// An item that reaches communities (by its scope or an amendment's `add_scope`) under a name
    /// that speaks of a village (村民、村集体…) needs a `community_name`: a community's board
    /// says 社区/居. A warning at the item's name.
    fn check_community_names(&mut self) {
        use crate::model::UnitKind;
        const VILLAGE_WORDS: [&str; 6] = ["村民", "村集体", "村务", "村级", "村干部", "村规"];
        let layers = &self.set.layers;
        let amendments = || layers.iter().flat_map(|l| l.amendments.iter().map(|(a, _)| a));
        let targets =
            |a: &AmendmentDef, item: &ItemDef| a.all || a.items.contains(&item.id) || a.kinds.contains(&item.kind);
        let mut found = Vec::new();
        for (li, layer) in layers.iter().enumerate() {
            for (item, ptr) in &layer.items {
                let reaches = item.scope.contains(&UnitKind::Community)
                    || amendments().any(|a| a.add_scope.contains(&UnitKind::Community) && targets(a, item));
                let named = item.community_name.is_some()
                    || amendments().any(|a| a.community_name.is_some() && targets(a, item));
                if reaches && !named && VILLAGE_WORDS.iter().any(|w| item.name.contains(w)) {
                    found.push((li, format!("{ptr}/name"), item.id.clone(), item.name.clone()));
                }
            }
        }
        for (li, ptr, id, name) in found {
            self.report_layer(li, &ptr, RuleProblem::CommunityNameMissing { id, name });
        }
    }

    fn check_item_ids(&mut self, li: usize, layer: &Layer, ancestors: &[usize]) {
        let mut by_id: BTreeMap<&str, Vec<(DateRange, &str)>> = BTreeMap::new();
        for (item, ptr) in &layer.items {
            let range = DateRange {
                from: date_of(item.from).unwrap_or(layer.range.from),
                until: date_of(item.until).or(layer.range.until),
            };
            by_id.entry(item.id.as_str()).or_default().push((range, ptr.as_str()));
        }
        for (id, mut versions) in by_id {
            let in_ancestor = ancestors
                .iter()
                .any(|&a| self.set.layers.get(a).is_some_and(|l| l.items.iter().any(|(it, _)| it.id == id)));
            if in_ancestor {
                if let Some((_, ptr)) = versions.first() {
                    self.report_layer(li, &format!("{ptr}/id"), RuleProblem::DuplicateItem { id: id.to_string() });
                }
                continue;
            }
            crate::sort::sort_by_key(&mut versions, |(r, _)| r.from);
            for pair in versions.windows(2) {
                let [(a, _), (b, ptr)] = pair else { continue };
                if a.overlaps(b) {
                    self.report_layer(li, &format!("{ptr}/id"), RuleProblem::DuplicateItem { id: id.to_string() });
                } else if let Some(until) = a.until.filter(|u| u.succ_opt() != Some(b.from)) {
                    self.report_layer(
                        li,
                        &format!("{ptr}/from"),
                        RuleProblem::ItemGap {
                            id: id.to_string(),
                            after: until.to_string(),
                            before: b.from.to_string(),
                        },
                    );
                }
            }
        }
    }

    fn check_parameter(&mut self, li: usize, ancestors: &[usize], param: &ParameterDef, ptr: &str) {
        let definition = ancestors.iter().find_map(|&a| {
            let layer = self.set.layers.get(a)?;
            layer
                .parameters
                .iter()
                .find(|(p, _)| p.id == param.id && p.kind.is_some())
                .map(|(p, _)| (layer.def.id.clone(), p.clone()))
        });
        let twice_here = self
            .set
            .layers
            .get(li)
            .map(|l| l.parameters.iter().filter(|(p, _)| p.id == param.id).count() > 1)
            .unwrap_or(false);
        if twice_here {
            self.report_layer(li, &format!("{ptr}/id"), RuleProblem::ParameterDuplicate { id: param.id.clone() });
        }
        let kind = match (&definition, param.kind) {
            (Some((layer, _)), _) if param.kind.is_some() || param.tighter.is_some() || param.name.is_some() => {
                self.report_layer(
                    li,
                    &format!("{ptr}/id"),
                    RuleProblem::ParameterRedefined { id: param.id.clone(), layer: layer.clone() },
                );
                return;
            }
            (Some((_, def)), _) => def.kind,
            (None, None) => {
                let is_override_of_nothing = param.name.is_none() && param.tighter.is_none();
                let problem = if is_override_of_nothing {
                    RuleProblem::ParameterUnknown { id: param.id.clone() }
                } else {
                    RuleProblem::ParameterIncomplete { id: param.id.clone(), missing: "kind".into() }
                };
                self.report_layer(li, &format!("{ptr}/id"), problem);
                return;
            }
            (None, Some(kind)) => {
                for (field, missing) in [("name", param.name.is_none()), ("tighter", param.tighter.is_none())] {
                    if missing {
                        self.report_layer(
                            li,
                            &format!("{ptr}/id"),
                            RuleProblem::ParameterIncomplete { id: param.id.clone(), missing: field.into() },
                        );
                    }
                }
                Some(kind)
            }
        };
        let choices = match &definition {
            Some((_, def)) => def.choices.clone(),
            None => param.choices.clone(),
        };
        let Some(kind) = kind else { return };
        if param.values.is_empty() {
            self.report_layer(li, &format!("{ptr}/values"), RuleProblem::EmptyList { field: "values".into() });
        }
        let mut ranges = Vec::new();
        for (k, v) in param.values.iter().enumerate() {
            let vptr = format!("{ptr}/values/{k}");
            let subject = format!("parameter `{}` value from {}", param.id, v.from.0);
            if v.basis.is_empty() && !v.local_default {
                self.report_layer(li, &vptr, RuleProblem::MissingLegalBasis { subject: subject.clone() });
            }
            if v.local_default && v.note.is_none() {
                self.report_layer(
                    li,
                    &format!("{vptr}/local_default"),
                    RuleProblem::LocalDefaultWithoutNote { subject: subject.clone() },
                );
            }
            self.check_basis(li, &vptr, &v.basis);
            if let Err(message) = crate::catalogue::ParamValue::check(kind, &choices, &v.value) {
                self.report_layer(
                    li,
                    &format!("{vptr}/value"),
                    RuleProblem::ParameterBadValue { id: param.id.clone(), message },
                );
            }
            // The 十公开 circle names relations from the roster's vocabulary: a value outside it
            // would match no relative and silently narrow the check.
            if param.id == "cadre.relative_circle" {
                if let RawParamValue::List(list) = &v.value {
                    for (j, r) in list.iter().enumerate() {
                        if !crate::validation::RELATIONS.contains(&r.as_str()) {
                            self.report_layer(
                                li,
                                &format!("{vptr}/value/{j}"),
                                RuleProblem::ParameterBadValue {
                                    id: param.id.clone(),
                                    message: format!(
                                        "`{r}` is not a relation; expected one of {}",
                                        crate::validation::RELATIONS.join(", ")
                                    ),
                                },
                            );
                        }
                    }
                }
            }
            let range = self.check_range(li, &vptr, &subject, Some(v.from), v.until);
            ranges.push((range, vptr));
        }
        crate::sort::sort_by_key(&mut ranges, |(r, _)| r.from);
        for pair in ranges.windows(2) {
            let [(a, _), (b, bptr)] = pair else { continue };
            if a.from == b.from || a.until.is_some_and(|u| u >= b.from) {
                self.report_layer(
                    li,
                    &format!("{bptr}/from"),
                    RuleProblem::ParameterOverlap { id: param.id.clone(), date: b.from.to_string() },
                );
            } else if let Some(u) = a.until.filter(|u| u.succ_opt() != Some(b.from)) {
                self.report_layer(
                    li,
                    &format!("{bptr}/from"),
                    RuleProblem::ParameterGap {
                        id: param.id.clone(),
                        after: u.to_string(),
                        before: b.from.to_string(),
                    },
                );
            }
        }
    }

    /// Resolve every chain at every date where anything changes and report each loosening once.
    /// (The browser package, reading rules `cunwu rules compile` checked, only keeps the dates.)
    fn check_tightening(&mut self) {
        self.set.breakpoints = self.set.compute_breakpoints();
        if cfg!(not(feature = "toml")) {
            return;
        }
        let dates = self.set.breakpoints.clone();
        let mut found = Vec::new();
        for leaf in 0..self.set.layers.len() {
            let chain = self.set.chain(leaf);
            for &date in &dates {
                if chain.iter().all(|&l| self.set.layers.get(l).is_some_and(|l| l.range.contains(date))) {
                    // The all-kinds view, and each kind's: a value scoped to some kinds
                    // (`scope = [...]`) is checked against what reaches those kinds.
                    for unit in [
                        None,
                        Some(crate::model::UnitKind::Village),
                        Some(crate::model::UnitKind::Community),
                        Some(crate::model::UnitKind::Group),
                    ] {
                        crate::catalogue::resolve_chain(self.set, &chain, date, Some(&mut found), unit);
                    }
                }
            }
        }
        // One report per place, however many kinds saw it.
        let mut seen = std::collections::BTreeSet::new();
        found.retain(|d| seen.insert((d.location.to_string(), d.code.clone(), d.message_en.clone())));
        self.diags.extend(found);
    }
}

/// The snake_case name of a level, as written in files.
pub(crate) fn level_name(level: LayerLevel) -> &'static str {
    match level {
        LayerLevel::National => "national",
        LayerLevel::CityStatute => "city_statute",
        LayerLevel::CityPolicy => "city_policy",
        LayerLevel::District => "district",
    }
}

/// A diagnostic about `layer`'s content at `pointer`, for the resolver's tightening check.
pub(crate) fn layer_diagnostic(
    set: &RuleSet,
    layer: usize,
    pointer: &str,
    problem: RuleProblem,
    related: Option<Location>,
) -> Diagnostic {
    let mut d = make_diagnostic(problem, set.location(layer, pointer));
    d.related.extend(related);
    d
}

/// Whether a diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
