//! The OSV range evaluation algorithm over pre-parsed, pre-sorted events.

use std::cmp::Ordering;

use weerbaar_versions::Version;

/// A range bound: `introduced: "0"` is [`Bound::Zero`], everything else a parsed version.
#[derive(Debug, Clone)]
pub(crate) enum Bound {
    Zero,
    At(Version),
}

/// A compiled event. `Fixed` keeps the string as written, for reporting.
#[derive(Debug, Clone)]
pub(crate) enum CEvent {
    Introduced(Bound),
    Fixed(Version, Box<str>),
    LastAffected(Version),
    Limit(Version),
}

impl CEvent {
    fn bound(&self) -> Option<&Version> {
        match self {
            CEvent::Introduced(Bound::Zero) => None,
            CEvent::Introduced(Bound::At(v))
            | CEvent::Fixed(v, _)
            | CEvent::LastAffected(v)
            | CEvent::Limit(v) => Some(v),
        }
    }
}

/// Sorts events as the OSV spec requires: by version, `introduced: "0"` first. The sort is
/// stable, so events with equal versions keep the order the record gives them.
pub(crate) fn sort_events(events: &mut [CEvent]) {
    events.sort_by(|a, b| match (a.bound(), b.bound()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
    });
}

/// A component version as the matcher evaluates it: the string (for `versions` lists) and its
/// parse under the scheme a range uses, when it parses.
#[derive(Debug, Clone, Copy)]
pub struct EvalVersion<'a> {
    /// The version as the component gives it (after the Go `v` is removed).
    pub text: &'a str,
    /// Parsed with the ecosystem's scheme.
    pub ecosystem: Option<&'a Version>,
    /// Parsed with SemVer (for `SEMVER` ranges).
    pub semver: Option<&'a Version>,
}

fn ge(v: &Version, b: &Version) -> bool {
    matches!(v.partial_cmp(b), Some(Ordering::Greater | Ordering::Equal))
}

/// Evaluates one range whose events are sorted (see the crate docs for the rules). Returns
/// whether `v` is affected and, if so, the `fixed` version that ends the interval containing it.
pub(crate) fn is_affected_sorted<'e>(events: &'e [CEvent], v: &Version) -> (bool, Option<&'e str>) {
    let mut affected = false;
    for e in events {
        match e {
            CEvent::Introduced(Bound::Zero) => affected = true,
            CEvent::Introduced(Bound::At(b)) => {
                if ge(v, b) {
                    affected = true;
                }
            }
            CEvent::Fixed(b, _) | CEvent::Limit(b) => {
                if ge(v, b) {
                    affected = false;
                }
            }
            CEvent::LastAffected(b) => {
                if v.partial_cmp(b) == Some(Ordering::Greater) {
                    affected = false;
                }
            }
        }
    }
    if !affected {
        return (false, None);
    }
    // The interval containing `v` ends at the first fixed/last_affected/limit above it.
    for e in events {
        match e {
            CEvent::Fixed(b, text) if v.partial_cmp(b) == Some(Ordering::Less) => {
                return (true, Some(text));
            }
            CEvent::LastAffected(b) | CEvent::Limit(b)
                if v.partial_cmp(b) != Some(Ordering::Greater) =>
            {
                return (true, None);
            }
            _ => {}
        }
    }
    (true, None)
}
