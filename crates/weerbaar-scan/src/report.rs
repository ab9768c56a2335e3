//! The `weerbaar.scan/1` report: the stable JSON contract of `weerbaar scan --format json`.
//!
//! Within `weerbaar.scan/1`, fields are only ever added; none is renamed, removed or changes
//! meaning. Optional values are always present, as `null`, so consumers can rely on the keys.
//! A change that breaks this promise gets a new schema name (`weerbaar.scan/2`). The full field
//! reference is `docs/scan-report.md`; a snapshot test pins the shape.

use serde::Serialize;
use weerbaar_matching::MatchedBy;

use crate::intel::{CvssScore, FeedSummary, KevListing};

/// The schema name every report carries.
pub const SCHEMA: &str = "weerbaar.scan/1";

/// A whole scan: the inputs, the feeds they were matched against, and the findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The tool and its version.
    pub tool: Tool,
    /// When the scan ran (RFC 3339, UTC), as the caller gave it: the report is a pure function
    /// of its inputs.
    pub generated_at: String,
    /// What the advisory feeds held.
    pub feeds: FeedSummary,
    /// One entry per input file.
    pub inputs: Vec<InputSummary>,
    /// Counts over the findings.
    pub summary: Summary,
    /// Findings, most urgent first (see [`crate::scan`]).
    pub findings: Vec<Finding>,
}

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// One scanned file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    /// The file as given.
    pub file: String,
    /// The format it was read as (`cyclonedx-json`, `dpkg-status`, `cargo-lock`…).
    pub format: String,
    /// Assets it describes.
    pub assets: usize,
    /// Components over those assets.
    pub components: usize,
    /// Components that could be matched: with an ecosystem and a version, or with a CPE, or
    /// named in the CPE mapping table.
    pub matchable: usize,
}

/// Counts over the findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings (one per vulnerability per distinct package).
    pub findings: usize,
    /// Distinct vulnerable packages.
    pub packages: usize,
    /// Findings per CVSS severity rating; `unknown` has no scorable vector.
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub none: usize,
    pub unknown: usize,
    /// Findings whose vulnerability is in CISA's KEV catalog.
    pub kev: usize,
    /// Of those, known to be used in ransomware campaigns.
    pub ransomware: usize,
    /// Findings with a fixed version to upgrade to.
    pub fixable: usize,
}

/// The package a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// OSV ecosystem with release (`Debian:12`, `PyPI`), or `null` for a CPE match.
    pub ecosystem: Option<String>,
    pub name: String,
    pub version: String,
    /// The canonical purl, when the inventory gave or enrichment derived one.
    pub purl: Option<String>,
}

/// Where a vulnerable package was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The input file.
    pub file: String,
    /// The asset in it, when the file names one.
    pub asset: Option<String>,
}

/// An EPSS score on a finding, with the CVE it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Epss {
    pub cve: String,
    pub score: f64,
    pub percentile: f64,
}

/// The KEV part of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kev {
    pub cve: String,
    pub date_added: String,
    pub due_date: String,
    pub ransomware: bool,
    pub required_action: String,
}

impl From<&KevListing> for Kev {
    fn from(k: &KevListing) -> Self {
        Self {
            cve: k.cve.clone(),
            date_added: k.date_added.clone(),
            due_date: k.due_date.clone(),
            ransomware: k.ransomware,
            required_action: k.required_action.clone(),
        }
    }
}

/// One vulnerability affecting one distinct package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The preferred id: the ecosystem's own database, then GHSA, then another id, the CVE last.
    pub advisory_id: String,
    /// Every other id of the vulnerability (aliases across databases), sorted.
    pub aliases: Vec<String>,
    /// A one-line summary, from the advisory or NVD.
    pub summary: Option<String>,
    pub package: Package,
    /// Versions that fix it, sorted (empty: no fix published).
    pub fixed_versions: Vec<String>,
    /// How the package was identified: `purl`, `ecosystem`, `cpe` or `name-mapping`. A
    /// `name-mapping` match is a guess from vendor and product names; judge it accordingly.
    pub matched_by: MatchedBy,
    /// For `cpe` and `name-mapping`: the CPE the package was matched as.
    pub cpe: Option<String>,
    /// `critical`, `high`, `medium`, `low`, `none` or `unknown` (no scorable CVSS vector).
    pub severity: &'static str,
    pub cvss: Option<CvssScore>,
    pub kev: Option<Kev>,
    pub epss: Option<Epss>,
    /// Every file and asset that carries the package.
    pub locations: Vec<Location>,
}
