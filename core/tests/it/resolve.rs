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
    assert!(cat.items.len() >= 49, "{}", cat.items.len());
}
