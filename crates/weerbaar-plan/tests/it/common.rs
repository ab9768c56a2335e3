//! Builders for findings and the real feeds.

use std::sync::OnceLock;

use jiff::civil::Date;
use weerbaar_advisories::{epss, kev};
use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::{AssetRef, Cvss, Finding, Package};

pub fn d(s: &str) -> Date {
    s.parse().expect("test input is valid")
}

pub fn asset(name: &str, criticality: Criticality, exposure: Exposure) -> AssetRef {
    AssetRef {
        name: name.into(),
        criticality,
        exposure,
        zone: None,
    }
}

/// A finding with no KEV/EPSS/CVSS facts, first seen on `first_seen`.
pub fn finding(tenant: &str, asset: AssetRef, advisory: &str, first_seen: &str) -> Finding {
    Finding {
        tenant: tenant.into(),
        asset,
        advisory_id: advisory.into(),
        aliases: vec![],
        package: Package {
            ecosystem: "Debian:12".into(),
            name: "pkg".into(),
            version: "1.0-1".into(),
            purl: None,
        },
        fixed_versions: vec![],
        kev: None,
        epss: None,
        cvss: None,
        first_seen: d(first_seen),
        last_seen: d(first_seen),
        resolved_at: None,
    }
}

/// A CVSS value with the score computed from the vector by weerbaar-advisories.
pub fn cvss(vector: &str) -> Cvss {
    let score = weerbaar_advisories::cvss::base_score(vector).expect("test input is valid");
    Cvss::from(&score)
}

/// The real KEV catalog, parsed once.
pub fn kev_catalog() -> Option<&'static kev::Catalog> {
    static CATALOG: OnceLock<Option<kev::Catalog>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let path = weerbaar_fixtures::fixture("kev/known_exploited_vulnerabilities.json")?;
            let bytes = std::fs::read(&path).expect("test input is valid");
            Some(kev::parse(&path.display().to_string(), &bytes).expect("test input is valid"))
        })
        .as_ref()
}

/// Real EPSS scores (the first rows of FIRST's file).
pub fn epss_scores() -> Option<epss::Scores> {
    let path =
        weerbaar_fixtures::fixture("epss/lodestonesecurity-epss_scores-current-first49rows.csv")?;
    let bytes = std::fs::read(&path).expect("test input is valid");
    Some(epss::parse(&path.display().to_string(), &bytes).expect("test input is valid"))
}
