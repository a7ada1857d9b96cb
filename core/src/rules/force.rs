//! Legal force (法律效力): which documents bind which layer and which kind of unit, and the lint
//! checks that keep every obligation on a text that binds the units it reaches.
//!
//! A document binds a layer when it is not a sample and its jurisdiction covers the layer: a
//! national text binds every layer; a province's text binds the layers of that province (the
//! region of the source document of the chain's province-level layer); a district's text binds
//! only that district's layers. It reaches a kind of unit only if it `governs` that kind: the
//! village committees law and Chongqing's implementing measures govern villages (and their
//! groups), never urban communities.
//!
//! The lint refuses, each at its place in the file:
//! - an item none of whose sources binds its layer, unless it is marked `advisory`
//!   (`RULES_NOT_BINDING`), and an amendment or parameter value resting on no binding text unless
//!   it is a local default;
//! - a unit kind in an item's scope that no binding source of it governs
//!   (`RULES_SCOPE_NOT_GOVERNED`);
//! - an item or value in force before every source it rests on (`RULES_BEFORE_IN_FORCE`);
//! - an adoption outside a district layer, or citing no district text (`RULES_BAD_ADOPTION`);
//! - a basis whose clause is not in the document's text under `rules/sources/`
//!   (`RULES_UNKNOWN_CLAUSE`, `RULES_NO_SOURCE_TEXT`).

#[cfg(feature = "toml")]
use chrono::NaiveDate;

#[cfg(feature = "toml")]
use super::{Checker, Layer, RuleProblem, date_of};
use super::{LayerLevel, RuleSet};
use crate::model::{DocumentKind, Force, Jurisdiction, LegalBasis, UnitKind};
use crate::rules::file::{ClauseDef, SourceTextDef};

/// The clause texts held for one document (`rules/sources/<doc>.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The header: document, verbatim or summary, note.
    pub def: SourceTextDef,
    /// The clauses, in file order.
    pub clauses: Vec<ClauseDef>,
}

impl SourceText {
    /// The clause a citation names: the one whose id equals `article`, else the longest id that
    /// `article` starts with followed by a finer reference (`第二十七条第（九）项` → `第二十七条`).
    /// The finer reference must begin with `第`, and every parenthesised number in it (`（九）`)
    /// must appear in the clause's text where the text is held: `一(二)二十` does not name
    /// `一(二)二`, `第三十条之二` does not name `第三十条`, and `第二十七条第（十一）项` is refused
    /// when the article lists only （一）…（十）.
    pub fn clause(&self, article: &str) -> Option<&ClauseDef> {
        let article = article.trim();
        self.clauses.iter().find(|c| c.id == article).or_else(|| {
            self.clauses
                .iter()
                .filter(|c| !c.id.is_empty())
                .filter(|c| article.strip_prefix(c.id.as_str()).is_some_and(|rest| finer_reference(rest, c)))
                .max_by_key(|c| c.id.len())
        })
    }
}

/// Whether `rest` (what a citation adds after a clause id) is a finer reference into `clause`.
fn finer_reference(rest: &str, clause: &ClauseDef) -> bool {
    if !rest.starts_with('第') {
        return false;
    }
    let Some(text) = clause.text.as_deref() else { return true };
    rest.split('（').skip(1).all(|p| p.split_once('）').is_some_and(|(n, _)| text.contains(&format!("（{n}）"))))
}

impl RuleSet {
    /// The clause texts held for a document, if any (never in the browser package, which reads
    /// no source texts).
    pub fn source_text(&self, doc: &str) -> Option<&SourceText> {
        #[cfg(feature = "toml")]
        return self.sources.get(doc);
        #[cfg(not(feature = "toml"))]
        {
            let _ = doc;
            None
        }
    }

    /// The province whose texts bind layer `li`: the region of the source document of the
    /// province-level layer of its chain (`重庆市`).
    pub(crate) fn layer_province(&self, li: usize) -> Option<&str> {
        self.chain(li).into_iter().filter_map(|i| self.layers.get(i)).find_map(|l| match l.def.level {
            LayerLevel::CityStatute | LayerLevel::CityPolicy => {
                self.documents.get(&l.def.source).and_then(|d| d.region.as_deref())
            }
            _ => None,
        })
    }

    /// Whether document `doc` binds the units of layer `li` (ignoring dates and unit kinds).
    pub(crate) fn document_binds(&self, doc: &str, li: usize) -> bool {
        let (Some(d), Some(layer)) = (self.documents.get(doc), self.layers.get(li)) else {
            return false;
        };
        if d.kind == DocumentKind::Sample {
            return false;
        }
        match d.jurisdiction {
            Jurisdiction::National => true,
            Jurisdiction::Province => {
                layer.def.level != LayerLevel::National
                    && d.region.is_some()
                    && d.region.as_deref() == self.layer_province(li)
            }
            Jurisdiction::District => {
                layer.def.level == LayerLevel::District
                    && layer
                        .def
                        .district
                        .as_ref()
                        .is_some_and(|x| d.region.as_deref().is_some_and(|r| r == x.name || r == x.id))
            }
            Jurisdiction::None => false,
        }
    }

    /// Whether document `doc` governs units of `kind` (an unknown document governs nothing).
    pub(crate) fn document_governs(&self, doc: &str, kind: UnitKind) -> bool {
        self.documents.get(doc).is_some_and(|d| d.governs.contains(&kind))
    }

    /// Whether some source in `basis` binds layer `li` and, when `kind` is given, governs it.
    pub(crate) fn basis_binds(&self, basis: &[LegalBasis], li: usize, kind: Option<UnitKind>) -> bool {
        basis.iter().any(|b| self.document_binds(&b.doc, li) && kind.is_none_or(|k| self.document_governs(&b.doc, k)))
    }

    /// The force of a value set in layer `li` on `basis`: binding (or adopted, when the binding
    /// text is a district's), a local default, or advisory.
    pub(crate) fn value_force(&self, basis: &[LegalBasis], li: usize, local_default: bool) -> Force {
        let binding: Vec<&LegalBasis> = basis.iter().filter(|b| self.document_binds(&b.doc, li)).collect();
        let district_only = !binding.is_empty()
            && binding
                .iter()
                .all(|b| self.documents.get(&b.doc).is_some_and(|d| d.jurisdiction == Jurisdiction::District));
        match (binding.is_empty(), local_default) {
            (_, true) => Force::LocalDefault,
            (false, false) if district_only => Force::Adopted,
            (false, false) => Force::Binding,
            (true, false) => Force::Advisory,
        }
    }

    /// The first day on which some binding source in `basis` is in force (`None`: no dates known).
    #[cfg(feature = "toml")]
    fn basis_in_force_from(&self, basis: &[LegalBasis], li: usize) -> Option<NaiveDate> {
        basis
            .iter()
            .filter(|b| self.document_binds(&b.doc, li))
            .map(|b| self.documents.get(&b.doc).and_then(|d| date_of(d.in_force.or(d.issued))))
            .collect::<Option<Vec<_>>>()
            .and_then(|dates| dates.into_iter().min())
    }
}

/// A list of document ids for messages.
#[cfg(feature = "toml")]
fn doc_list(basis: &[LegalBasis]) -> String {
    let mut docs: Vec<&str> = basis.iter().map(|b| b.doc.as_str()).collect();
    docs.dedup();
    docs.join(", ")
}

/// The lint's force and citation checks (not in the browser package: see `rules::build`).
#[cfg(feature = "toml")]
impl Checker<'_> {
    /// Whether every document `basis` names is declared (unknown ones are reported on their own).
    fn all_known(&self, basis: &[LegalBasis]) -> bool {
        basis.iter().all(|b| self.set.documents.contains_key(&b.doc))
    }

    /// Source texts: one header per file, for a declared document, once per document.
    pub(super) fn collect_source_text(
        &mut self,
        file: usize,
        header: Option<SourceTextDef>,
        clauses: Vec<(ClauseDef, String)>,
    ) {
        let Some(header) = header else {
            if !clauses.is_empty() {
                self.report(file, "/clauses", RuleProblem::MissingKey { key: "source_text".into() });
            }
            return;
        };
        if self.set.sources.contains_key(&header.doc) {
            let problem = RuleProblem::DuplicateDocument { id: format!("{} (source text)", header.doc) };
            self.report(file, "/source_text/doc", problem);
            return;
        }
        let mut seen = std::collections::BTreeSet::new();
        for (c, ptr) in &clauses {
            if !seen.insert(c.id.clone()) {
                let problem = RuleProblem::InvalidValue { message: format!("clause `{}` is listed twice", c.id) };
                self.report(file, &format!("{ptr}/id"), problem);
            }
        }
        self.source_files.push((file, header.doc.clone()));
        let clauses = clauses.into_iter().map(|(c, _)| c).collect();
        self.set.sources.insert(header.doc.clone(), SourceText { def: header, clauses });
    }

    /// Every source text names a declared document; every citation names a clause held for it.
    pub(super) fn check_citations(&mut self) {
        for (file, doc) in std::mem::take(&mut self.source_files) {
            if !self.set.documents.contains_key(&doc) {
                self.report(file, "/source_text/doc", RuleProblem::UnknownDocument { doc });
            }
        }
        for (file, ptr, basis) in std::mem::take(&mut self.pending_citations) {
            if !self.set.documents.contains_key(&basis.doc) {
                continue; // reported as an unknown document
            }
            let problem = match self.set.sources.get(&basis.doc) {
                None => RuleProblem::NoSourceText { doc: basis.doc.clone() },
                Some(text) if text.clause(&basis.article).is_none() => {
                    RuleProblem::UnknownClause { doc: basis.doc.clone(), article: basis.article.clone() }
                }
                Some(_) => continue,
            };
            self.report(file, &format!("{ptr}/article"), problem);
        }
    }

    /// Force, scope and dates of each layer's items, amendments and parameter values.
    pub(super) fn check_force(&mut self) {
        for li in 0..self.set.layers.len() {
            let Some(layer) = self.set.layers.get(li).cloned() else {
                continue;
            };
            self.check_item_force(li, &layer);
            self.check_amendment_force(li, &layer);
            for (param, ptr) in &layer.parameters {
                for (vi, v) in param.values.iter().enumerate() {
                    let vptr = format!("{ptr}/values/{vi}");
                    if !v.local_default
                        && !v.basis.is_empty()
                        && self.all_known(&v.basis)
                        && !self.set.basis_binds(&v.basis, li, None)
                    {
                        let subject = format!("parameter `{}` (value from {})", param.id, v.from.0);
                        let problem = RuleProblem::NotBinding { subject, docs: doc_list(&v.basis) };
                        self.report_layer(li, &format!("{vptr}/basis"), problem);
                    }
                    if !v.local_default {
                        self.check_in_force(li, &vptr, &format!("parameter `{}`", param.id), &v.basis, v.from.0);
                    }
                    // Each cited text must be in force while the value is: a value that outlives
                    // one of its texts needs a new value citing the text that replaced it.
                    let next_from = param.values.iter().map(|w| w.from.0).filter(|f| *f > v.from.0).min();
                    let end = [v.until.map(|u| u.0), next_from.and_then(|f| f.pred_opt())].into_iter().flatten().min();
                    for b in &v.basis {
                        let repealed = self.set.documents.get(&b.doc).and_then(|d| date_of(d.until));
                        if let Some(r) = repealed.filter(|r| end.is_none_or(|e| e > *r)) {
                            let subject =
                                format!("parameter `{}` (value from {}), citing `{}`,", param.id, v.from.0, b.doc);
                            let problem = RuleProblem::SourceRepealed { subject, until: r.to_string() };
                            self.report_layer(li, &format!("{vptr}/basis"), problem);
                        }
                    }
                }
            }
        }
    }

    fn check_item_force(&mut self, li: usize, layer: &Layer) {
        for (item, ptr) in &layer.items {
            let binds = self.set.basis_binds(&item.basis, li, None);
            let subject = format!("item `{}`", item.id);
            match (binds, item.advisory) {
                (false, false) if !item.basis.is_empty() && self.all_known(&item.basis) => {
                    let problem = RuleProblem::NotBinding { subject: subject.clone(), docs: doc_list(&item.basis) };
                    self.report_layer(li, &format!("{ptr}/basis"), problem);
                }
                (true, true) => {
                    let problem =
                        RuleProblem::AdvisoryButBinding { item: item.id.clone(), docs: doc_list(&item.basis) };
                    self.report_layer(li, &format!("{ptr}/advisory"), problem);
                }
                _ => {}
            }
            if binds && !item.advisory {
                self.check_all_bind(li, ptr, &subject, &item.basis);
                for (k, unit) in item.scope.iter().enumerate() {
                    if !self.set.basis_binds(&item.basis, li, Some(*unit)) {
                        let problem = RuleProblem::ScopeNotGoverned {
                            subject: subject.clone(),
                            unit: *unit,
                            docs: doc_list(&item.basis),
                        };
                        self.report_layer(li, &format!("{ptr}/scope/{k}"), problem);
                    }
                }
                let from = date_of(item.from).unwrap_or(layer.range.from);
                self.check_in_force(li, ptr, &subject, &item.basis, from);
                let until = date_of(item.until).or(layer.range.until);
                self.check_not_repealed(li, ptr, &subject, &item.basis, until);
            }
        }
    }

    fn check_amendment_force(&mut self, li: usize, layer: &Layer) {
        for (am, ptr) in &layer.amendments {
            if am.basis.is_empty() || !self.all_known(&am.basis) {
                continue; // reported as a missing basis or an unknown document
            }
            if !self.set.basis_binds(&am.basis, li, None) {
                let problem = RuleProblem::NotBinding { subject: "amendment".into(), docs: doc_list(&am.basis) };
                self.report_layer(li, &format!("{ptr}/basis"), problem);
                continue;
            }
            self.check_all_bind(li, ptr, "amendment", &am.basis);
            for (k, unit) in am.add_scope.iter().enumerate() {
                if !self.set.basis_binds(&am.basis, li, Some(*unit)) {
                    let problem = RuleProblem::ScopeNotGoverned {
                        subject: "amendment".into(),
                        unit: *unit,
                        docs: doc_list(&am.basis),
                    };
                    self.report_layer(li, &format!("{ptr}/add_scope/{k}"), problem);
                }
            }
            if am.adopt {
                let district_text = am.basis.iter().any(|b| {
                    self.set.document_binds(&b.doc, li)
                        && self.set.documents.get(&b.doc).is_some_and(|d| d.jurisdiction == Jurisdiction::District)
                });
                if layer.def.level != LayerLevel::District || !district_text {
                    self.report_layer(li, &format!("{ptr}/adopt"), RuleProblem::BadAdoption);
                }
            }
            let from = date_of(am.from).unwrap_or(layer.range.from);
            self.check_in_force(li, ptr, "amendment", &am.basis, from);
            let until = date_of(am.until).or(layer.range.until);
            self.check_not_repealed(li, ptr, "amendment", &am.basis, until);
        }
    }

    /// An obligation cites only texts that bind its units: a finding never names another
    /// province's law or a sample as its basis. Evidence of practice belongs in `note`.
    fn check_all_bind(&mut self, li: usize, ptr: &str, subject: &str, basis: &[LegalBasis]) {
        for (k, b) in basis.iter().enumerate() {
            if self.set.documents.contains_key(&b.doc) && !self.set.document_binds(&b.doc, li) {
                let problem =
                    RuleProblem::NotBinding { subject: format!("{subject} (basis {k})"), docs: b.doc.clone() };
                self.report_layer(li, &format!("{ptr}/basis/{k}/doc"), problem);
            }
        }
    }

    /// An item or amendment must not outlive every binding source it rests on: when all of them
    /// were repealed (`until`), it must end by the last repeal.
    fn check_not_repealed(
        &mut self,
        li: usize,
        ptr: &str,
        subject: &str,
        basis: &[LegalBasis],
        until: Option<NaiveDate>,
    ) {
        let ends: Option<Vec<NaiveDate>> = basis
            .iter()
            .filter(|b| self.set.document_binds(&b.doc, li))
            .map(|b| self.set.documents.get(&b.doc).and_then(|d| date_of(d.until)))
            .collect();
        let Some(last) = ends.and_then(|e| e.into_iter().max()) else { return };
        if until.is_none_or(|u| u > last) {
            let problem = RuleProblem::SourceRepealed { subject: subject.to_string(), until: last.to_string() };
            self.report_layer(li, &format!("{ptr}/basis"), problem);
        }
    }

    /// A value in force from `from` must not start before every binding source it rests on.
    fn check_in_force(&mut self, li: usize, ptr: &str, subject: &str, basis: &[LegalBasis], from: NaiveDate) {
        if let Some(first) = self.set.basis_in_force_from(basis, li) {
            if from < first {
                let problem = RuleProblem::BeforeInForce {
                    subject: subject.to_string(),
                    from: from.to_string(),
                    in_force: first.to_string(),
                };
                self.report_layer(li, &format!("{ptr}/from"), problem);
            }
        }
    }
}
