//! Scanning inventories against [`Knowledge`] into a [`ScanReport`].

use std::cmp::Ordering;
use std::collections::BTreeSet;

use weerbaar_advisories::cvss::Severity;
use weerbaar_advisories::{epss, kev, nvd, osv};
use weerbaar_inventory::ImportedAsset;
use weerbaar_matching::{ComponentRef, Index, MatchedBy, Matcher};

use crate::intel::Intel;
use crate::report::{
    Epss, Finding, InputSummary, Kev, Location, Package, SCHEMA, ScanReport, Summary, Tool,
};

/// Everything a scan matches against, compiled once from the feeds.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// OSV advisories compiled for matching.
    pub index: Index,
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

/// Matches every component of `inputs` and reports the findings. Each distinct package is
/// evaluated once however many assets carry it; each finding lists where it was found.
#[must_use]
pub fn scan(knowledge: &Knowledge, inputs: &[ScanInput], options: &ScanOptions) -> ScanReport {
    // Where each matched component came from: (input, asset).
    let mut origin: Vec<(usize, usize)> = Vec::new();
    let mut refs: Vec<ComponentRef<'_>> = Vec::new();
    let mut summaries = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let mut summary = InputSummary {
            file: input.file.clone(),
            format: input.format.clone(),
            assets: input.assets.len(),
            components: 0,
            matchable: 0,
        };
        for (a, asset) in input.assets.iter().enumerate() {
            summary.components += asset.components.len();
            for component in &asset.components {
                let matched_by = if component.purl.is_some() {
                    MatchedBy::Purl
                } else {
                    MatchedBy::Ecosystem
                };
                if let Some(r) = ComponentRef::from_component(component, matched_by) {
                    refs.push(r);
                    origin.push((i, a));
                    summary.matchable += 1;
                }
            }
        }
        summaries.push(summary);
    }

    let matcher = Matcher {
        threads: options.threads.max(1),
    };
    let intel = &knowledge.intel;
    let mut findings: Vec<Finding> = matcher
        .run(&knowledge.index, &refs)
        .into_iter()
        .map(|f| {
            let locations: BTreeSet<Location> = f
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
            let cvss = intel.cvss(&f.advisories, &f.ids);
            Finding {
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
                locations: locations.into_iter().collect(),
                advisory_id: f.id,
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
        feeds: intel.feeds().clone(),
        inputs: summaries,
        summary,
        findings,
    }
}
