//! Matching components against an [`Index`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use weerbaar_inventory::model::Component;
use weerbaar_versions::{Ecosystem, Scheme, Version};

use crate::eval::is_affected_sorted;
use crate::index::{Entry, Index};
use crate::release::{normalise_name, release_matches};

/// How a finding was matched: where a component's ecosystem came from (OSV matching), or
/// whether its CPE was given or guessed (NVD matching). Serialised as `purl`, `ecosystem`,
/// `cpe` and `name-mapping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    /// Derived from the component's purl.
    Purl,
    /// Given as an ecosystem by the inventory.
    Ecosystem,
    /// The component's own CPE, matched against NVD configurations.
    Cpe,
    /// A CPE guessed from the component's vendor and name through the name-mapping table.
    NameMapping,
}

/// One component instance to match: borrowed strings, so a million instances cost no copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComponentRef<'a> {
    /// The OSV ecosystem with release where known (`Debian:12`, `PyPI`).
    pub ecosystem: &'a str,
    /// The package name in that ecosystem.
    pub name: &'a str,
    /// The installed version.
    pub version: &'a str,
    /// The canonical purl, for reporting.
    pub purl: Option<&'a str>,
    /// The source package (Debian, RPM).
    pub source_name: Option<&'a str>,
    /// The source package version, when it differs from the binary's.
    pub source_version: Option<&'a str>,
    /// Where the ecosystem came from.
    pub matched_by: MatchedBy,
}

impl<'a> ComponentRef<'a> {
    /// A component given by ecosystem, name and version.
    #[must_use]
    pub fn new(ecosystem: &'a str, name: &'a str, version: &'a str) -> Self {
        Self {
            ecosystem,
            name,
            version,
            purl: None,
            source_name: None,
            source_version: None,
            matched_by: MatchedBy::Ecosystem,
        }
    }

    /// An inventory component, or `None` when it has no ecosystem or no version (nothing to
    /// match). `matched_by` says whether enrichment derived the ecosystem from the purl.
    #[must_use]
    pub fn from_component(component: &'a Component, matched_by: MatchedBy) -> Option<Self> {
        Some(Self {
            ecosystem: component.ecosystem.as_deref()?,
            name: &component.name,
            version: component.version.as_deref()?,
            purl: component.purl.as_deref(),
            source_name: component.source_name.as_deref(),
            source_version: component.source_version.as_deref(),
            matched_by,
        })
    }
}

/// The package a finding is about, as the (first) matching component gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageRef {
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// One vulnerability (a group of aliased advisories) affecting one distinct package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Indices into the matched slice of every instance of the package.
    pub components: Vec<usize>,
    /// The preferred id: the ecosystem's own database, then GHSA, then other non-CVE ids.
    pub id: String,
    /// Every id of the group's matching advisories and their aliases, sorted.
    pub ids: Vec<String>,
    /// The ids of the advisory records that matched, sorted.
    pub advisories: Vec<String>,
    /// The package.
    pub package: PackageRef,
    /// The fixed versions of the matching ranges, sorted and deduplicated (empty: no fix).
    pub fixed: Vec<String>,
    /// Where the component's ecosystem came from.
    pub matched_by: MatchedBy,
}

/// Matches components against an [`Index`], evaluating each distinct package once.
#[derive(Debug, Clone, Copy)]
pub struct Matcher {
    /// Worker threads for the distinct packages (at least 1).
    pub threads: usize,
}

impl Default for Matcher {
    fn default() -> Self {
        Self { threads: 2 }
    }
}

type DistinctKey<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    MatchedBy,
);

type Distinct<'a> = Vec<(ComponentRef<'a>, Vec<usize>)>;
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn key<'a>(c: &ComponentRef<'a>) -> DistinctKey<'a> {
    (
        c.ecosystem,
        c.name,
        c.version,
        c.source_name,
        c.source_version,
        c.matched_by,
    )
}

/// Groups `components` (whose first index is `offset`) into distinct packages, in order of
/// first appearance. A fast non-cryptographic hash: the keys are the caller's own inventory.
fn dedup<'a>(components: &[ComponentRef<'a>], offset: usize) -> Distinct<'a> {
    let mut distinct: Distinct<'a> = Vec::new();
    let mut seen: FxMap<DistinctKey<'a>, usize> =
        HashMap::with_capacity_and_hasher(1024, BuildHasherDefault::default());
    for (i, c) in components.iter().enumerate() {
        match seen.get(&key(c)) {
            Some(&d) => {
                if let Some(slot) = distinct.get_mut(d) {
                    slot.1.push(offset + i);
                }
            }
            None => {
                seen.insert(key(c), distinct.len());
                distinct.push((*c, vec![offset + i]));
            }
        }
    }
    distinct
}

impl Matcher {
    /// Matches with the default settings (two threads).
    #[must_use]
    pub fn match_components(index: &Index, components: &[ComponentRef<'_>]) -> Vec<Finding> {
        Matcher::default().run(index, components)
    }

    /// Matches `components` against `index`. Findings are ordered by the first instance of
    /// their package, then by primary id.
    #[must_use]
    pub fn run(&self, index: &Index, components: &[ComponentRef<'_>]) -> Vec<Finding> {
        let threads = self.threads.max(1);
        let distinct = if threads > 1 && components.len() >= 65_536 {
            // Deduplicate shards in parallel, then merge the (far fewer) distinct packages in
            // shard order, so the result is the same as the sequential pass.
            let chunk = components.len().div_ceil(threads);
            let shards: Vec<Distinct<'_>> = std::thread::scope(|s| {
                let handles: Vec<_> = components
                    .chunks(chunk)
                    .enumerate()
                    .map(|(n, part)| s.spawn(move || dedup(part, n * chunk)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            let mut merged: Distinct<'_> = Vec::new();
            let mut seen: FxMap<DistinctKey<'_>, usize> = FxMap::default();
            for shard in shards {
                for (c, idx) in shard {
                    match seen.get(&key(&c)) {
                        Some(&d) => {
                            if let Some(slot) = merged.get_mut(d) {
                                slot.1.extend(idx);
                            }
                        }
                        None => {
                            seen.insert(key(&c), merged.len());
                            merged.push((c, idx));
                        }
                    }
                }
            }
            merged
        } else {
            dedup(components, 0)
        };
        if threads == 1 || distinct.len() < 256 {
            return distinct
                .iter()
                .flat_map(|(c, idx)| evaluate(index, c, idx))
                .collect();
        }
        // Small chunks handed out in turn, not one fixed half per thread: when another process
        // holds a core, the other thread takes over the rest instead of waiting for it.
        const CHUNK: usize = 512;
        let next = std::sync::atomic::AtomicUsize::new(0);
        let chunks: Vec<&[(ComponentRef<'_>, Vec<usize>)]> = distinct.chunks(CHUNK).collect();
        let mut done: Vec<(usize, Vec<Finding>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(part) = chunks.get(n) else {
                                break;
                            };
                            let found: Vec<Finding> = part
                                .iter()
                                .flat_map(|(c, idx)| evaluate(index, c, idx))
                                .collect();
                            mine.push((n, found));
                        }
                        mine
                    })
                })
                .collect();
            let mut out = Vec::new();
            for h in handles {
                match h.join() {
                    Ok(v) => out.extend(v),
                    Err(e) => std::panic::resume_unwind(e),
                }
            }
            out
        });
        // Chunk order is input order, so the result equals the sequential pass.
        done.sort_unstable_by_key(|(n, _)| *n);
        done.into_iter().flat_map(|(_, f)| f).collect()
    }
}

/// The ids of databases native to an ecosystem, preferred as a finding's primary id.
fn native_prefixes(base: &str) -> &'static [&'static str] {
    match base {
        "PyPI" => &["PYSEC-"],
        "crates.io" => &["RUSTSEC-"],
        "Go" => &["GO-"],
        "AlmaLinux" => &["ALSA-", "ALBA-", "ALEA-"],
        "Rocky Linux" => &["RLSA-", "RXSA-"],
        "Red Hat" => &["RHSA-", "RHBA-", "RHEA-"],
        "Debian" => &["DSA-", "DLA-", "DTSA-", "DEBIAN-"],
        "Ubuntu" => &["USN-", "UBUNTU-"],
        "Alpine" => &["ALPINE-"],
        "SUSE" | "openSUSE" => &["SUSE-", "openSUSE-"],
        "Hex" => &["EEF-"],
        "Bitnami" => &["BIT-"],
        "Chainguard" | "Wolfi" => &["CGA-"],
        "Mageia" => &["MGASA-"],
        "Photon OS" => &["PHSA-"],
        "openEuler" => &["OESA-"],
        "Azure Linux" => &["AZL-"],
        "Hackage" | "GHC" => &["HSEC-"],
        "Pub" | "SwiftURL" | "npm" | "Maven" | "NuGet" | "RubyGems" | "Packagist" => &[],
        _ => &[],
    }
}

fn rank(base: &str, id: &str) -> u8 {
    if native_prefixes(base).iter().any(|p| id.starts_with(p)) {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        3
    } else {
        2
    }
}

struct Lookup<'a> {
    name: String,
    version: &'a str,
    parsed: Option<Version>,
    semver: Option<Version>,
}

fn lookups<'a>(base: &str, scheme: Scheme, c: &ComponentRef<'a>) -> Vec<Lookup<'a>> {
    let strip = |v: &'a str| -> &'a str {
        if base == "Go" {
            // `v1.2.3` (modules) and `go1.22.4` (the toolchain, as `go version` prints it).
            v.strip_prefix('v')
                .or_else(|| {
                    v.strip_prefix("go")
                        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                })
                .unwrap_or(v)
        } else {
            v
        }
    };
    let mut pairs: Vec<(&'a str, &'a str)> = Vec::with_capacity(2);
    match (scheme, c.source_name) {
        // Debian's and Alpine's advisories are keyed by the source (apk: origin) package.
        (Scheme::Dpkg | Scheme::Apk, Some(src)) => {
            pairs.push((src, c.source_version.unwrap_or(c.version)));
        }
        (Scheme::Rpm, Some(src)) if src != c.name => {
            pairs.push((c.name, c.version));
            pairs.push((src, c.source_version.unwrap_or(c.version)));
        }
        _ => pairs.push((c.name, c.version)),
    }
    pairs
        .into_iter()
        .map(|(name, version)| {
            let version = strip(version);
            let parsed = Version::parse(scheme, version).ok();
            let semver = if scheme == Scheme::SemVer {
                parsed.clone()
            } else {
                Version::parse(Scheme::SemVer, version).ok()
            };
            Lookup {
                name: normalise_name(base, name),
                version,
                parsed,
                semver,
            }
        })
        .collect()
}

/// Whether `entry` affects the looked-up version; the fixed versions found go to `fixed`.
fn entry_affects(entry: &Entry, l: &Lookup<'_>, fixed: &mut BTreeSet<String>) -> bool {
    let mut hit = entry.versions.iter().any(|v| &**v == l.version)
        || l.parsed
            .as_ref()
            .is_some_and(|p| entry.parsed_versions.iter().any(|v| v == p));
    for range in &entry.ranges {
        let v = if range.semver { &l.semver } else { &l.parsed };
        let Some(v) = v else { continue };
        let (affected, fix) = is_affected_sorted(&range.events, v);
        if affected {
            hit = true;
            if let Some(f) = fix {
                fixed.insert(f.to_owned());
            }
        }
    }
    hit
}

fn evaluate(index: &Index, c: &ComponentRef<'_>, instances: &[usize]) -> Vec<Finding> {
    let Ok(eco) = Ecosystem::parse(c.ecosystem) else {
        return Vec::new();
    };
    let base = eco.name();
    let Some(by_name) = index.entries.get(base) else {
        return Vec::new();
    };
    let scheme = eco.scheme();
    // advisory index → fixed versions
    let mut hits: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for l in lookups(base, scheme, c) {
        let Some(entries) = by_name.get(l.name.as_str()) else {
            continue;
        };
        for entry in entries {
            if !release_matches(base, scheme, entry.release.as_deref(), eco.release()) {
                continue;
            }
            let mut fixed = BTreeSet::new();
            if entry_affects(entry, &l, &mut fixed) {
                hits.entry(entry.advisory).or_default().extend(fixed);
            }
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    // Group the matching advisories by alias group.
    let mut groups: BTreeMap<u32, Vec<(u32, BTreeSet<String>)>> = BTreeMap::new();
    for (adv, fixed) in hits {
        let group = index.advisories.get(adv as usize).map_or(adv, |m| m.group);
        groups.entry(group).or_default().push((adv, fixed));
    }
    let package = PackageRef {
        ecosystem: c.ecosystem.to_owned(),
        name: c.name.to_owned(),
        version: c.version.to_owned(),
        purl: c.purl.map(str::to_owned),
    };
    let mut out: Vec<Finding> = groups
        .into_values()
        .map(|members| {
            let mut ids = BTreeSet::new();
            let mut records = BTreeSet::new();
            let mut fixed = BTreeSet::new();
            for (adv, f) in members {
                if let Some(meta) = index.advisories.get(adv as usize) {
                    records.insert(meta.id.clone());
                    ids.insert(meta.id.clone());
                    ids.extend(meta.aliases.iter().cloned());
                }
                fixed.extend(f);
            }
            let id = records
                .iter()
                .min_by_key(|id| (rank(base, id), (*id).clone()))
                .cloned()
                .unwrap_or_default();
            Finding {
                components: instances.to_vec(),
                id,
                ids: ids.into_iter().collect(),
                advisories: records.into_iter().collect(),
                package: package.clone(),
                fixed: fixed.into_iter().collect(),
                matched_by: c.matched_by,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The rustc `FxHasher` multiply-rotate hash, word at a time.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
