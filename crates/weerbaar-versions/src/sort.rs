//! Sorting that never panics, even where an ecosystem's own order is not total.
//!
//! PHP's `version_compare` treats a `#` part as "any number", so Packagist has
//! `1.2.3.# = 1.2.3` and `1.2.3.# = 1.2.3.1` while `1.2.3 < 1.2.3.1`. The fixtures pin that
//! behaviour, so [`crate::scheme::packagist::PackagistVersion`]'s `Ord` cannot be total for such
//! inputs. Since Rust 1.81 the standard library's sorts may panic on a comparison that is not a
//! total order, and user input must never panic weerbaar. This merge sort only ever asks "is the
//! right one smaller?", so an inconsistent answer produces some order, never a panic; for a
//! total order it is an ordinary stable sort.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`, tolerating comparison functions that are not total orders.
pub fn sort_by<T>(items: Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut scratch: Vec<usize> = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right only when strictly smaller: that keeps the sort stable.
                if cmp(&items[order[j]], &items[order[i]]) == Ordering::Less {
                    scratch[k] = order[j];
                    j += 1;
                } else {
                    scratch[k] = order[i];
                    i += 1;
                }
                k += 1;
            }
            scratch[k..k + (mid - i)].copy_from_slice(&order[i..mid]);
            k += mid - i;
            scratch[k..k + (end - j)].copy_from_slice(&order[j..end]);
            start = end;
        }
        std::mem::swap(&mut order, &mut scratch);
        width *= 2;
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scheme, Version};

    #[test]
    fn sorts_stably_like_the_standard_library_for_total_orders() {
        let items: Vec<(u8, usize)> = [5u8, 3, 5, 1, 3, 9, 0, 5]
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(k, _)| k);
        assert_eq!(sort_by(items, |a, b| a.0.cmp(&b.0)), expected);
        assert!(sort_by(Vec::<u8>::new(), u8::cmp).is_empty());
        assert_eq!(sort_by(vec![1u8], u8::cmp), vec![1]);
    }

    #[test]
    fn a_non_total_order_does_not_panic_and_loses_nothing() {
        let inputs = [
            "1.2.3.1",
            "1.2.3.#",
            "1.2.3",
            "1.2.3.#.1",
            "1.2.3.#",
            "1.0",
            "2",
        ];
        let versions: Vec<Version> = inputs
            .iter()
            .map(|s| Version::parse(Scheme::Packagist, s).expect("parses"))
            .collect();
        let sorted = sort_by(versions, |a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
        assert_eq!(sorted.len(), inputs.len());
        // An adversarial comparator that contradicts itself must not panic either.
        let mut flip = false;
        let chaos = sort_by((0..1000).collect::<Vec<u32>>(), |_, _| {
            flip = !flip;
            if flip {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        });
        assert_eq!(chaos.len(), 1000);
    }
}
