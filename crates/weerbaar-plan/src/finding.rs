//! The input of the plan: one finding is one advisory matched on one package of one asset.
//!
//! These types belong to this crate (the scan layer maps its results into them), so the plan does
//! not depend on how matching or storage represent things. Dates are calendar dates in the
//! tenant's local calendar: due dates are days, and "resolved in time" means "on or before the due
//! day". The adapter turns stored timestamps into dates with the tenant's time zone.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use weerbaar_advisories::{cvss, epss, kev};
use weerbaar_inventory::model::{Criticality, Exposure};

/// One advisory on one installed package of one asset of one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The tenant's slug.
    pub tenant: String,
    pub asset: AssetRef,
    /// The advisory the matcher reported (`CVE-2024-3400`, `ALSA-2024:1234`, `GHSA-…`).
    pub advisory_id: String,
    /// Other ids of the same vulnerability (a CVE for an ALSA, the GHSA for a CVE).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub package: Package,
    /// The versions that fix it, as the matched ranges give them (one per affected branch).
    #[serde(default)]
    pub fixed_versions: Vec<String>,
    #[serde(default)]
    pub kev: Option<Kev>,
    #[serde(default)]
    pub epss: Option<Epss>,
    #[serde(default)]
    pub cvss: Option<Cvss>,
    /// The day of the import in which the finding first appeared.
    pub first_seen: Date,
    /// The day of the last import that still showed it.
    pub last_seen: Date,
    /// The day of the import in which the component disappeared or was upgraded past the fix.
    #[serde(default)]
    pub resolved_at: Option<Date>,
}

impl Finding {
    /// The advisory id followed by its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.advisory_id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether `id` names this finding's vulnerability (ids compare case-insensitively).
    #[must_use]
    pub fn has_id(&self, id: &str) -> bool {
        self.ids().any(|own| own.eq_ignore_ascii_case(id.trim()))
    }
}

/// The asset a finding is on, with what the plan needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AssetRef {
    pub name: String,
    #[serde(default)]
    pub criticality: Criticality,
    #[serde(default)]
    pub exposure: Exposure,
    #[serde(default)]
    pub zone: Option<String>,
}

/// The installed package.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Package {
    /// The OSV ecosystem, with release (`AlmaLinux:9`, `Debian:12`, `npm`).
    pub ecosystem: String,
    pub name: String,
    /// The installed version.
    pub version: String,
    #[serde(default)]
    pub purl: Option<String>,
}

/// What the CISA KEV catalog says about the vulnerability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kev {
    pub date_added: Date,
    /// CISA's deadline for federal agencies.
    pub due_date: Date,
    /// `knownRansomwareCampaignUse` is `Known`.
    pub ransomware: bool,
}

impl Kev {
    /// From a parsed catalog entry.
    #[must_use]
    pub fn from_entry(entry: &kev::KevEntry) -> Option<Self> {
        Some(Self {
            date_added: civil(entry.date_added)?,
            due_date: civil(entry.due_date)?,
            ransomware: entry.ransomware,
        })
    }
}

/// A KEV calendar date as a `jiff` date (every KEV date is representable; `None` is defensive).
#[must_use]
pub fn civil(date: kev::Date) -> Option<Date> {
    let year = i16::try_from(date.year()).ok()?;
    let month = i8::try_from(date.month()).ok()?;
    let day = i8::try_from(date.day()).ok()?;
    Date::new(year, month, day).ok()
}

/// The FIRST EPSS score of the vulnerability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Epss {
    /// Probability of exploitation activity in the next 30 days, in [0, 1].
    pub score: f64,
    /// Share of all scored CVEs at or below this score, in [0, 1].
    pub percentile: f64,
}

impl From<&epss::EpssScore> for Epss {
    fn from(s: &epss::EpssScore) -> Self {
        Self {
            score: s.epss,
            percentile: s.percentile,
        }
    }
}

/// The CVSS base score of the vulnerability, computed from its vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// The vector with its `CVSS:3.1/` or `CVSS:4.0/` prefix.
    pub vector: String,
    pub base_score: f64,
}

impl Cvss {
    /// `3.0`, `3.1` or `4.0`, from the vector's prefix.
    #[must_use]
    pub fn version(&self) -> Option<&str> {
        self.vector.strip_prefix("CVSS:")?.split('/').next()
    }

    /// The value of one base metric (`AV` → `N`), if the vector has it.
    #[must_use]
    pub fn metric(&self, name: &str) -> Option<&str> {
        self.vector
            .split('/')
            .skip(1)
            .filter_map(|part| part.split_once(':'))
            .find_map(|(k, v)| (k == name).then_some(v))
    }
}

impl From<&cvss::Score> for Cvss {
    fn from(s: &cvss::Score) -> Self {
        Self {
            vector: s.vector.clone(),
            base_score: s.base_score,
        }
    }
}
