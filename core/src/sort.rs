//! Stable sorting, with one sorting routine for the whole crate under feature `compact`.
//!
//! The standard library's sort is generic: every element type (and every comparison closure) gets
//! its own copy of the sorting code, about 3.5 KB of WebAssembly each; seventeen of them made 6%
//! of the browser package's code. With feature `compact` (the browser package) the elements'
//! positions are sorted instead — one copy, for `usize` — with the comparison behind a `dyn`
//! reference, and the elements are then swapped into that order: smaller, but slower for a city's
//! millions of records, so other builds use the standard stable sort. Both are stable, so every
//! build gives the same order. [`set`] builds a `BTreeSet` without the bulk sort.

use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Sort `items` stably by `compare`.
#[cfg(not(feature = "compact"))]
pub(crate) fn sort_by<T>(items: &mut [T], compare: impl FnMut(&T, &T) -> Ordering) {
    items.sort_by(compare);
}

/// Sort `items` stably by `compare` (one routine for every type: see the module documentation).
#[cfg(feature = "compact")]
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let slice = &*items;
        let mut by_position = |a: usize, b: usize| match (slice.get(a), slice.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        };
        positions(slice.len(), &mut by_position)
    };
    // `target[i]`: where the element now at `i` belongs. Swap each element into its place; the
    // one swapped out takes over its old destination.
    let mut target = vec![0; order.len()];
    for (place, &from) in order.iter().enumerate() {
        if let Some(t) = target.get_mut(from) {
            *t = place;
        }
    }
    for i in 0..items.len() {
        while let Some(&j) = target.get(i) {
            if j == i || j >= items.len() {
                break;
            }
            items.swap(i, j);
            target.swap(i, j);
        }
    }
}

/// Sort `items` stably by the key `key` gives.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sort `items` stably in their natural order.
pub(crate) fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A set of `items`, inserted one by one: collecting into a `BTreeSet` sorts the items first,
/// with yet another copy of the standard sort.
pub(crate) fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The positions `0..len` in the order `compare` gives them (stable: equal ones stay in order).
/// Not generic: the one sorting routine.
#[cfg(feature = "compact")]
fn positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(all(test, feature = "compact"))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys included.
        #[test]
        fn agrees_with_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            super::sort_by_key(&mut ours, |(k, _)| *k);
            let mut standard = items.clone();
            standard.sort_by_key(|(k, _)| *k);
            prop_assert_eq!(ours, standard);
            let mut ours = items.clone();
            super::sort(&mut ours);
            let mut standard = items;
            standard.sort();
            prop_assert_eq!(ours, standard);
        }
    }
}
