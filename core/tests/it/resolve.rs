//! Resolution properties over the bundled rules, for every day the rules change.

use chrono::NaiveDate;
use cunwu_core::RuleSet;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_default()
}

#[test]
fn every_item_in_force_has_a_legal_basis_and_known_documents() {
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    for date in ["2010-10-28", "2013-11-01", "2016-03-31", "2018-04-24", "2026-01-01"] {
        let cat = rules.resolve(d(date), None).unwrap_or_else(|e| panic!("{e}"));
        for item in &cat.items {
            assert!(!item.basis.is_empty(), "{date} {}", item.id);
            for b in &item.basis {
                assert!(cat.documents.contains_key(&b.doc), "{date} {} cites {}", item.id, b.doc);
            }
        }
    }
}

#[test]
fn lower_layers_never_loosen_over_time() {
    // The lint checks each layer against its parent; this checks the result day by day across
    // the layer boundaries: nothing required on the eve of a new layer is weaker after it.
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    for (before, after) in [("2013-10-31", "2013-11-01"), ("2018-04-23", "2018-04-24")] {
        let a = rules.resolve(d(before), None).unwrap_or_else(|e| panic!("{e}"));
        let b = rules.resolve(d(after), None).unwrap_or_else(|e| panic!("{e}"));
        for old in &a.items {
            let new = b.item(&old.id).unwrap_or_else(|| panic!("{} dropped on {after}", old.id));
            if let (Some(o), Some(n)) = (&old.display, &new.display) {
                assert!(n.value.at_least(&o.value), "{}", old.id);
            }
            assert!(old.channels.iter().all(|c| new.channels.iter().any(|x| x.value == c.value)), "{}", old.id);
            assert!(old.scope.iter().all(|c| new.scope.iter().any(|x| x.value == c.value)), "{}", old.id);
            assert!(!old.filed_with_township.value || new.filed_with_township.value, "{}", old.id);
        }
    }
}

#[test]
fn the_catalogue_covers_the_49_researched_items() {
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    let cat = rules.resolve(d("2026-01-01"), None).unwrap_or_else(|e| panic!("{e}"));
    // Obligations and recommendations together: an item resting only on another province's law
    // or a sample is kept, as advisory.
    assert!(cat.items.len() + cat.advisory.len() >= 49, "{} + {}", cat.items.len(), cat.advisory.len());
}

/// Every item borrowed from another province, a district's catalogue or a sample is advisory in
/// the city rules, and no obligation of a Chongqing unit cites such a text.
#[test]
fn borrowed_items_are_advisory_and_obligations_cite_only_binding_texts() {
    use cunwu_core::{Force, Jurisdiction, UnitKind};
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    for kind in [UnitKind::Village, UnitKind::Community, UnitKind::Group] {
        let cat = rules.resolve_for(d("2026-01-01"), None, Some(kind)).unwrap_or_else(|e| panic!("{e}"));
        for id in [
            "finance.budget",
            "finance.collected-fees",
            "government.special-care",
            "government.disability-allowances",
            "government.land-loss-pension",
            "party.organisation",
            "party.dues",
            "party.study-activities",
            "finance.service-funds",
        ] {
            assert!(cat.item(id).is_none(), "{kind:?}: {id} is an obligation");
            assert_eq!(cat.advisory_item(id).map(|i| i.force), Some(Force::Advisory), "{kind:?}: {id}");
        }
        for item in &cat.items {
            for b in &item.basis {
                let doc = rules.document(&b.doc).unwrap_or_else(|| panic!("{}", b.doc));
                let chongqing = doc.region.as_deref() == Some("重庆市");
                assert!(
                    doc.jurisdiction == Jurisdiction::National
                        || (doc.jurisdiction == Jurisdiction::Province && chongqing),
                    "{kind:?}: {} cites {}",
                    item.id,
                    b.doc
                );
            }
        }
    }
}

/// The 2013 statute governs villages (and their groups): none of its values reaches a community.
#[test]
fn the_village_statute_never_reaches_a_community() {
    use cunwu_core::UnitKind;
    let rules = RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    let cat = rules.resolve_for(d("2026-06-01"), None, Some(UnitKind::Community)).unwrap_or_else(|e| panic!("{e}"));
    let statute = |b: &cunwu_core::LegalBasis| b.doc == "cq-village-measures-2013" || b.doc == "cn-village-organic-law";
    for p in &cat.parameters {
        assert!(p.source.local_default || !p.source.basis.iter().any(statute), "{} rests on village law", p.id);
    }
    // Items extended to communities by a marked reading of the policy (a local default) are
    // judged as such; every other community obligation rests on texts governing communities.
    let by_reading = |i: &&cunwu_core::ResolvedItem| {
        i.scope.iter().any(|s| s.value == UnitKind::Community && s.source.local_default)
    };
    for item in cat.items.iter().filter(|i| i.applies_to(UnitKind::Community)).filter(|i| !by_reading(i)) {
        for field in [&item.cadence.source, &item.filed_with_township.source] {
            assert!(field.local_default || field.basis.is_empty() || !field.basis.iter().all(statute), "{}", item.id);
        }
        for c in &item.channels {
            assert!(!c.source.basis.iter().all(statute), "{} channel {:?} from village law", item.id, c.value);
        }
    }
    for id in ["reply.committee_to_resident_days", "reply.government_to_resident_days", "disclosure.ad_hoc_within_days"]
    {
        assert!(cat.parameter(id).is_none(), "{id} reaches a community");
    }
}
