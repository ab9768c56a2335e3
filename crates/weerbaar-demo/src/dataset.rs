//! The demo dataset: advisories, KEV entries and EPSS scores that the weerbaar project wrote
//! itself from public facts (see `data/README.md` for the source of every fact).
//!
//! The files are compiled into the binary, so the demo works without network access, and they
//! are in the formats of the real feeds (OSV JSON Lines, an NVD CVE API 2.0 page, the KEV
//! catalog, an EPSS scores file), so the same parsers read them and `weerbaar scan
//! --advisories crates/weerbaar-demo/data/feeds` reads them too. Every record says it is demo data.
//! They are never written to the feed store: after `weerbaar feeds sync` the real feeds win.

use std::path::Path;

use weerbaar_advisories::{epss, kev, nvd, osv};
use weerbaar_scan::Knowledge;

use crate::DemoError;

/// One file of the dataset: its name (in `data/feeds/`, the SBOM in `data/`) and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFile {
    pub name: &'static str,
    pub text: &'static str,
}

/// OSV records for packages of an ecosystem (Debian, Ubuntu, Red Hat, Maven, npm, PyPI).
pub const OSV: DataFile = DataFile {
    name: "demo-advisories.osv.jsonl",
    text: include_str!("../data/feeds/demo-advisories.osv.jsonl"),
};
/// NVD CVE records with CPE configurations, for appliances and products known by CPE.
pub const NVD: DataFile = DataFile {
    name: "demo-nvd.json",
    text: include_str!("../data/feeds/demo-nvd.json"),
};
/// Entries of CISA's Known Exploited Vulnerabilities catalog.
pub const KEV: DataFile = DataFile {
    name: "demo-kev.json",
    text: include_str!("../data/feeds/demo-kev.json"),
};
/// EPSS scores (illustrative, see the README).
pub const EPSS: DataFile = DataFile {
    name: "demo-epss.csv",
    text: include_str!("../data/feeds/demo-epss.csv"),
};
/// The CycloneDX SBOM of the fictional civil-affairs (burgerzaken) application.
pub const BURGERZAKEN_SBOM: DataFile = DataFile {
    name: "burgerzaken-portal.cdx.json",
    text: include_str!("../data/burgerzaken-portal.cdx.json"),
};

/// Every advisory file of the dataset.
pub const FEED_FILES: [DataFile; 4] = [OSV, NVD, KEV, EPSS];

/// The dataset, parsed.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub osv: Vec<osv::Advisory>,
    pub nvd: Vec<nvd::Cve>,
    pub kev: kev::Catalog,
    pub epss: epss::Scores,
}

impl Dataset {
    /// Parses the embedded files with the feeds' own strict parsers.
    ///
    /// # Errors
    /// [`DemoError::Dataset`] when a file does not parse (a broken build, caught by the tests).
    pub fn load() -> Result<Self, DemoError> {
        let name = |f: DataFile| format!("demo/{}", f.name);
        Ok(Self {
            osv: osv::parse_jsonl(&name(OSV), OSV.text.as_bytes())?,
            nvd: nvd::parse(&name(NVD), NVD.text.as_bytes())?.cves,
            kev: kev::parse(&name(KEV), KEV.text.as_bytes())?,
            epss: epss::parse(&name(EPSS), EPSS.text.as_bytes())?,
        })
    }

    /// The dataset compiled for matching.
    #[must_use]
    pub fn knowledge(&self) -> Knowledge {
        Knowledge::build(&self.osv, &self.nvd, Some(&self.kev), Some(&self.epss))
    }

    /// Every CVE the dataset speaks of (OSV aliases and NVD ids), sorted.
    #[must_use]
    pub fn cves(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .osv
            .iter()
            .flat_map(|a| std::iter::once(&a.id).chain(&a.aliases))
            .filter(|id| id.starts_with("CVE-"))
            .cloned()
            .chain(self.nvd.iter().map(|c| c.id.clone()))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Writes the advisory files into `dir` (for `weerbaar scan --advisories DIR` or a test of the
/// file loaders).
///
/// # Errors
/// [`DemoError::Io`] when a file cannot be written.
pub fn write_feed_files(dir: &Path) -> Result<(), DemoError> {
    std::fs::create_dir_all(dir).map_err(|e| DemoError::io(dir, e))?;
    for f in FEED_FILES {
        let path = dir.join(f.name);
        std::fs::write(&path, f.text).map_err(|e| DemoError::io(&path, e))?;
    }
    Ok(())
}
