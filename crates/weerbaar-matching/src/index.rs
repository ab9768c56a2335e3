//! The compiled advisory index.

use std::collections::HashMap;

use serde::Serialize;
use weerbaar_advisories::osv::{Advisory, Event, RangeType};
use weerbaar_versions::{Ecosystem, Scheme, Version};

use crate::eval::{Bound, CEvent, sort_events};
use crate::release::normalise_name;

/// Something in an advisory the index could not use fully. The advisory is still indexed
/// (minus the part named here) unless the message says it was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The advisory id.
    pub advisory: String,
    /// What was wrong, with the JSON path (`$.affected[0].ranges[1].events[2]`).
    pub message: String,
}

/// Counts from [`Index::build`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    /// Advisories given.
    pub advisories: usize,
    /// Withdrawn advisories (never matched).
    pub withdrawn: usize,
    /// `affected` entries indexed.
    pub entries: usize,
    /// `affected` entries skipped because their ecosystem is not supported.
    pub unknown_ecosystem: usize,
    /// `affected` entries without a package (GIT-only records).
    pub without_package: usize,
    /// `GIT` ranges, which match only through the `versions` list.
    pub git_ranges: usize,
    /// Range bounds or listed versions that did not parse under their scheme.
    pub unparseable: usize,
}

#[derive(Debug)]
pub(crate) struct AdvMeta {
    pub(crate) id: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) group: u32,
}

#[derive(Debug)]
pub(crate) struct CRange {
    pub(crate) semver: bool,
    pub(crate) events: Vec<CEvent>,
}

#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) advisory: u32,
    pub(crate) release: Option<Box<str>>,
    pub(crate) ranges: Vec<CRange>,
    pub(crate) versions: Vec<Box<str>>,
    pub(crate) parsed_versions: Vec<Version>,
}

/// Advisories compiled for matching: entries keyed by ecosystem base name and normalised
/// package name, each with its release, pre-parsed and pre-sorted ranges and its versions list.
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) advisories: Vec<AdvMeta>,
    pub(crate) entries: HashMap<&'static str, HashMap<Box<str>, Vec<Entry>>>,
    pub(crate) schemes: HashMap<&'static str, Scheme>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) stats: IndexStats,
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while let Some(&p) = self.parent.get(x as usize) {
            if p == x {
                break;
            }
            let gp = self.parent.get(p as usize).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = gp;
            }
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(slot) = self.parent.get_mut(hi as usize) {
                *slot = lo;
            }
        }
    }
}

fn intern<'a>(ids: &mut HashMap<&'a str, u32>, uf: &mut UnionFind, s: &'a str) -> u32 {
    if let Some(&n) = ids.get(s) {
        return n;
    }
    let n = u32::try_from(uf.parent.len()).unwrap_or(u32::MAX);
    uf.parent.push(n);
    ids.insert(s, n);
    n
}

/// Compiles advisories one at a time, so a caller streaming a feed never holds all of its
/// records: only the index grows. The alias groups need every id, so they are computed by
/// [`IndexBuilder::finish`] from the ids and aliases the index keeps anyway.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    index: Index,
    /// Per advisory: withdrawn records join no alias group.
    withdrawn: Vec<bool>,
}

impl IndexBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Compiles one advisory. Never fails: see [`Index::build`].
    pub fn add(&mut self, adv: &Advisory) {
        let index = &mut self.index;
        index.stats.advisories += 1;
        let adv_idx = u32::try_from(index.advisories.len()).unwrap_or(u32::MAX);
        index.advisories.push(AdvMeta {
            id: adv.id.clone(),
            aliases: adv.aliases.clone(),
            group: 0,
        });
        let withdrawn = adv.is_withdrawn();
        self.withdrawn.push(withdrawn);
        if withdrawn {
            index.stats.withdrawn += 1;
        } else {
            index.compile(adv_idx, adv);
        }
    }

    /// Computes the alias groups and returns the index.
    #[must_use]
    pub fn finish(self) -> Index {
        let IndexBuilder {
            mut index,
            withdrawn,
        } = self;
        let groups = {
            let mut ids: HashMap<&str, u32> = HashMap::with_capacity(index.advisories.len() * 2);
            let mut uf = UnionFind { parent: Vec::new() };
            let mut nodes = Vec::with_capacity(index.advisories.len());
            for (meta, &withdrawn) in index.advisories.iter().zip(&withdrawn) {
                let a = intern(&mut ids, &mut uf, &meta.id);
                nodes.push(a);
                if withdrawn {
                    continue;
                }
                for alias in &meta.aliases {
                    let b = intern(&mut ids, &mut uf, alias);
                    uf.union(a, b);
                }
            }
            nodes.into_iter().map(|n| uf.find(n)).collect::<Vec<_>>()
        };
        for (meta, group) in index.advisories.iter_mut().zip(groups) {
            meta.group = group;
        }
        index.advisories.shrink_to_fit();
        index.warnings.shrink_to_fit();
        index
    }
}

impl Index {
    /// Compiles `advisories`. Never fails: what cannot be used is counted in [`Index::stats`]
    /// and described in [`Index::warnings`]. [`IndexBuilder`] does the same one record at a time.
    #[must_use]
    pub fn build(advisories: &[Advisory]) -> Self {
        let mut builder = IndexBuilder::new();
        builder.withdrawn.reserve(advisories.len());
        builder.index.advisories.reserve(advisories.len());
        for adv in advisories {
            builder.add(adv);
        }
        builder.finish()
    }

    fn warn(&mut self, adv: &Advisory, message: String) {
        self.warnings.push(Warning {
            advisory: adv.id.clone(),
            message,
        });
    }

    fn compile(&mut self, adv_idx: u32, adv: &Advisory) {
        for (ai, affected) in adv.affected.iter().enumerate() {
            let Some(package) = &affected.package else {
                self.stats.without_package += 1;
                continue;
            };
            let eco = match Ecosystem::parse(&package.ecosystem) {
                Ok(e) => e,
                Err(_) => {
                    self.stats.unknown_ecosystem += 1;
                    self.warn(
                        adv,
                        format!(
                            "$.affected[{ai}]: unsupported ecosystem {:?}; entry skipped",
                            package.ecosystem
                        ),
                    );
                    continue;
                }
            };
            let scheme = eco.scheme();
            let mut entry = Entry {
                advisory: adv_idx,
                release: eco.release().map(Into::into),
                ranges: Vec::new(),
                versions: Vec::new(),
                parsed_versions: Vec::new(),
            };
            for (ri, range) in affected.ranges.iter().enumerate() {
                let (semver, range_scheme) = match range.kind {
                    RangeType::Git => {
                        self.stats.git_ranges += 1;
                        continue;
                    }
                    RangeType::Semver => (true, Scheme::SemVer),
                    RangeType::Ecosystem => (false, scheme),
                };
                let mut events = Vec::with_capacity(range.events.len());
                for (ei, event) in range.events.iter().enumerate() {
                    let text = event.version();
                    if matches!(event, Event::Introduced(v) if v == "0") {
                        events.push(CEvent::Introduced(Bound::Zero));
                        continue;
                    }
                    let parsed = match Version::parse(range_scheme, text) {
                        Ok(v) => v,
                        Err(e) => {
                            self.stats.unparseable += 1;
                            self.warn(
                                adv,
                                format!(
                                    "$.affected[{ai}].ranges[{ri}].events[{ei}]: {} {text:?} \
                                     does not parse as {range_scheme}: {e}; event ignored",
                                    event.key()
                                ),
                            );
                            continue;
                        }
                    };
                    events.push(match event {
                        Event::Introduced(_) => CEvent::Introduced(Bound::At(parsed)),
                        Event::Fixed(s) => CEvent::Fixed(parsed, s.as_str().into()),
                        Event::LastAffected(_) => CEvent::LastAffected(parsed),
                        Event::Limit(_) => CEvent::Limit(parsed),
                    });
                }
                sort_events(&mut events);
                entry.ranges.push(CRange { semver, events });
            }
            for v in &affected.versions {
                entry.versions.push(v.as_str().into());
                if let Ok(p) = Version::parse(scheme, v) {
                    entry.parsed_versions.push(p);
                }
            }
            if entry.ranges.is_empty() && entry.versions.is_empty() {
                // GIT-only without versions: nothing to match by version.
                continue;
            }
            let base = eco.name();
            self.schemes.insert(base, scheme);
            let name = normalise_name(base, &package.name);
            self.entries
                .entry(base)
                .or_default()
                .entry(name.into())
                .or_default()
                .push(entry);
            self.stats.entries += 1;
        }
    }

    /// The warnings collected while compiling.
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Counts collected while compiling.
    #[must_use]
    pub fn stats(&self) -> IndexStats {
        self.stats
    }

    /// The number of advisories given to [`Index::build`].
    #[must_use]
    pub fn len(&self) -> usize {
        self.advisories.len()
    }

    /// Whether the index was built from no advisories.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.advisories.is_empty()
    }
}
