//! Scanning inventories against [`Knowledge`] into a [`ScanReport`].

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use weerbaar_advisories::cvss::Severity;
use weerbaar_advisories::{epss, kev, nvd, osv};
use weerbaar_inventory::ImportedAsset;
use weerbaar_inventory::model::Component;
use weerbaar_matching::{
    ComponentRef, CpeComponent, CpeIndex, CpeMatcher, Index, Mapping, MatchedBy, Matcher,
};

use crate::intel::Intel;
use crate::report::{
    Epss, Finding, InputSummary, Kev, Location, Package, SCHEMA, ScanReport, Summary, Tool,
};

/// Everything a scan matches against, compiled once from the feeds.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// OSV advisories compiled for matching.
    pub index: Index,
    /// NVD configurations compiled for CPE matching.
    pub cpe: CpeIndex,
    /// Summaries, vectors, KEV and EPSS by id.
    pub intel: Intel,
}

impl Knowledge {
    /// Compiles parsed feeds.
    #[must_use]
    pub fn build(
        advisories: &[osv::Advisory],
        cves: &[nvd::Cve],
        kev: Option<&kev::Catalog>,
        epss: Option<&epss::Scores>,
    ) -> Self {
        Self {
            index: Index::build(advisories),
            cpe: CpeIndex::build(cves),
            intel: Intel::build(advisories, cves, kev, epss),
        }
    }
}

/// One inventory file to scan, after import and enrichment.
#[derive(Debug, Clone)]
pub struct ScanInput {
    /// The file, as the user named it.
    pub file: String,
    /// The format it was read as.
    pub format: String,
    /// Its assets, enriched (ecosystems, OSV names, purls).
    pub assets: Vec<ImportedAsset>,
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// The report's `generated_at`.
    pub generated_at: String,
    /// The report's `tool.version`.
    pub tool_version: String,
    /// Matching threads.
    pub threads: usize,
}

fn severity_word(cvss: Option<f64>) -> &'static str {
    match cvss.map(Severity::of) {
        None => "unknown",
        Some(Severity::None) => "none",
        Some(Severity::Low) => "low",
        Some(Severity::Medium) => "medium",
        Some(Severity::High) => "high",
        Some(Severity::Critical) => "critical",
    }
}

/// Most urgent first: KEV-listed (ransomware first), then by CVSS base score, then by EPSS,
/// then by package and id, so the order is total and the report reproducible.
fn urgency(a: &Finding, b: &Finding) -> Ordering {
    let kev = |f: &Finding| f.kev.as_ref().map_or(0, |k| 1 + u8::from(k.ransomware));
    let score = |f: &Finding| f.cvss.as_ref().map_or(-1.0, |c| c.base_score);
    let epss = |f: &Finding| f.epss.as_ref().map_or(-1.0, |e| e.score);
    kev(b)
        .cmp(&kev(a))
        .then_with(|| score(b).total_cmp(&score(a)))
        .then_with(|| epss(b).total_cmp(&epss(a)))
        .then_with(|| a.package.ecosystem.cmp(&b.package.ecosystem))
        .then_with(|| a.package.name.cmp(&b.package.name))
        .then_with(|| a.package.version.cmp(&b.package.version))
        .then_with(|| a.advisory_id.cmp(&b.advisory_id))
}

/// One finding of [`match_components`], with the components that have it.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    /// The finding; its `locations` are empty (the caller knows where its components are).
    pub finding: Finding,
    /// Indices into the matched components of every one that has it.
    pub components: Vec<usize>,
}

/// What [`match_components`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchOutcome {
    /// Findings, in no particular order.
    pub findings: Vec<Matched>,
    /// For each component, whether it could be matched at all: an ecosystem and a version, a
    /// CPE, or a row of the mapping table.
    pub matchable: Vec<bool>,
}

/// Matches `components` against the knowledge. Each distinct package (or CPE) is evaluated
/// once however many components carry it.
///
/// A component with an OSV ecosystem and a version is matched against the OSV advisories only:
/// distribution and library versions carry backported fixes that NVD's upstream version ranges
/// do not know, so a CPE match on them would report fixed vulnerabilities. Every other
/// component (appliances, Windows software, anything without an ecosystem) is matched by CPE
/// against NVD: its own CPE (`matched_by: cpe`), else a guess from the `mapping` table
/// (`name-mapping`).
#[must_use]
pub fn match_components(
    knowledge: &Knowledge,
    mapping: &Mapping,
    components: &[&Component],
    threads: usize,
) -> MatchOutcome {
    // For each matching path: the refs, and the index into `components` of each.
    let mut refs: Vec<ComponentRef<'_>> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    let mut cpe_refs: Vec<CpeComponent<'_>> = Vec::new();
    let mut cpe_origin: Vec<usize> = Vec::new();
    let mut resolvable: HashMap<CpeComponent<'_>, bool> = HashMap::new();
    let mut matchable = vec![false; components.len()];
    for (i, component) in components.iter().enumerate() {
        let matched_by = if component.purl.is_some() {
            MatchedBy::Purl
        } else {
            MatchedBy::Ecosystem
        };
        if let Some(r) = ComponentRef::from_component(component, matched_by) {
            refs.push(r);
            origin.push(i);
        } else {
            let c = CpeComponent::from_component(component);
            let usable = *resolvable
                .entry(c)
                .or_insert_with(|| !CpeMatcher::resolve(mapping, &c).0.is_empty());
            if !usable {
                continue;
            }
            cpe_refs.push(c);
            cpe_origin.push(i);
        }
        if let Some(m) = matchable.get_mut(i) {
            *m = true;
        }
    }
    let back = |origin: &[usize], indices: Vec<usize>| -> Vec<usize> {
        indices
            .into_iter()
            .filter_map(|c| origin.get(c).copied())
            .collect()
    };

    let intel = &knowledge.intel;
    let matcher = Matcher {
        threads: threads.max(1),
    };
    let mut findings: Vec<Matched> = matcher
        .run(&knowledge.index, &refs)
        .into_iter()
        .map(|f| {
            let cvss = intel.cvss(&f.advisories, &f.ids);
            Matched {
                finding: Finding {
                    aliases: f.ids.iter().filter(|id| **id != f.id).cloned().collect(),
                    summary: intel.summary(&f.advisories, &f.ids),
                    package: Package {
                        ecosystem: Some(f.package.ecosystem),
                        name: f.package.name,
                        version: f.package.version,
                        purl: f.package.purl,
                    },
                    fixed_versions: f.fixed,
                    matched_by: f.matched_by,
                    cpe: None,
                    severity: severity_word(cvss.as_ref().map(|c| c.base_score)),
                    kev: intel.kev(&f.ids).map(Kev::from),
                    epss: intel.epss(&f.ids).map(|(cve, v)| Epss {
                        cve: cve.to_owned(),
                        score: v.score,
                        percentile: v.percentile,
                    }),
                    cvss,
                    locations: Vec::new(),
                    advisory_id: f.id,
                },
                components: back(&origin, f.components),
            }
        })
        .collect();
    findings.extend(
        CpeMatcher::match_components(&knowledge.cpe, mapping, &cpe_refs)
            .into_iter()
            .map(|f| {
                let ids = vec![f.cve.clone()];
                // Every instance of one CPE has the same name and version: take the first's.
                let first = f.components.first().and_then(|&c| cpe_refs.get(c)).copied();
                let cvss = intel.cvss(&[], &ids);
                Matched {
                    finding: Finding {
                        aliases: Vec::new(),
                        summary: intel.summary(&[], &ids),
                        package: Package {
                            ecosystem: None,
                            name: first.map_or_else(String::new, |c| c.name.to_owned()),
                            version: first.and_then(|c| c.version).unwrap_or_default().to_owned(),
                            purl: None,
                        },
                        fixed_versions: f.fixed,
                        matched_by: f.matched_by,
                        cpe: Some(f.cpe),
                        severity: severity_word(cvss.as_ref().map(|c| c.base_score)),
                        kev: intel.kev(&ids).map(Kev::from),
                        epss: intel.epss(&ids).map(|(cve, v)| Epss {
                            cve: cve.to_owned(),
                            score: v.score,
                            percentile: v.percentile,
                        }),
                        cvss,
                        locations: Vec::new(),
                        advisory_id: f.cve,
                    },
                    components: back(&cpe_origin, f.components),
                }
            }),
    );
    MatchOutcome {
        findings,
        matchable,
    }
}

/// Matches every component of `inputs` and reports the findings (see [`match_components`]).
/// Each finding lists every file and asset that carries its package.
#[must_use]
pub fn scan(
    knowledge: &Knowledge,
    mapping: &Mapping,
    inputs: &[ScanInput],
    options: &ScanOptions,
) -> ScanReport {
    let mut components: Vec<&Component> = Vec::new();
    // Where each component came from: (input, asset).
    let mut origin: Vec<(usize, usize)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for (a, asset) in input.assets.iter().enumerate() {
            for component in &asset.components {
                components.push(component);
                origin.push((i, a));
            }
        }
    }
    let outcome = match_components(knowledge, mapping, &components, options.threads);

    let mut summaries: Vec<InputSummary> = inputs
        .iter()
        .map(|input| InputSummary {
            file: input.file.clone(),
            format: input.format.clone(),
            assets: input.assets.len(),
            components: input.assets.iter().map(|a| a.components.len()).sum(),
            matchable: 0,
        })
        .collect();
    for (&(i, _), &m) in origin.iter().zip(&outcome.matchable) {
        if let Some(s) = summaries.get_mut(i) {
            s.matchable += usize::from(m);
        }
    }

    let mut findings: Vec<Finding> = outcome
        .findings
        .into_iter()
        .map(|m| {
            let locations: BTreeSet<Location> = m
                .components
                .iter()
                .filter_map(|&c| origin.get(c))
                .filter_map(|&(i, a)| {
                    let input = inputs.get(i)?;
                    Some(Location {
                        file: input.file.clone(),
                        asset: input.assets.get(a)?.name.clone(),
                    })
                })
                .collect();
            Finding {
                locations: locations.into_iter().collect(),
                ..m.finding
            }
        })
        .collect();
    findings.sort_by(urgency);

    let mut summary = Summary {
        findings: findings.len(),
        ..Summary::default()
    };
    let mut packages = BTreeSet::new();
    for f in &findings {
        packages.insert((&f.package.ecosystem, &f.package.name, &f.package.version));
        match f.severity {
            "critical" => summary.critical += 1,
            "high" => summary.high += 1,
            "medium" => summary.medium += 1,
            "low" => summary.low += 1,
            "none" => summary.none += 1,
            _ => summary.unknown += 1,
        }
        if let Some(k) = &f.kev {
            summary.kev += 1;
            summary.ransomware += usize::from(k.ransomware);
        }
        summary.fixable += usize::from(!f.fixed_versions.is_empty());
    }
    summary.packages = packages.len();

    ScanReport {
        schema: SCHEMA,
        tool: Tool {
            name: "weerbaar".to_owned(),
            version: options.tool_version.clone(),
        },
        generated_at: options.generated_at.clone(),
        feeds: knowledge.intel.feeds().clone(),
        inputs: summaries,
        summary,
        findings,
    }
}
