//! What the feeds said at the last rematch, to tell what a feed update changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use weerbaar_advisories::{kev, nvd, osv};
use weerbaar_matching::{CpeIndex, Index, IndexBuilder};
use weerbaar_scan::Knowledge;

use crate::TrackingError;

/// The cache key of the state file. Not the feeds' fingerprint: the state of *older* feeds is
/// exactly what is wanted after an update. Bump it when [`AdvisoryState`] changes shape.
const STATE_KIND: &str = "weerbaar advisory-state 2";

/// One OSV advisory as last matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryMark {
    /// The record's `modified`.
    pub modified: String,
    pub withdrawn: bool,
    /// Its aliases, so the findings of a record that later disappears can still be found.
    pub aliases: Vec<String>,
}

/// Every advisory the findings were last matched against: OSV records by id (with `modified`,
/// withdrawn flag and aliases) and NVD records by CVE id (with `lastModified`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryState {
    /// The fingerprint of the feeds this state was taken from.
    pub fingerprint: String,
    pub osv: BTreeMap<String, AdvisoryMark>,
    pub nvd: BTreeMap<String, String>,
    /// KEV listings by CVE: due date and known ransomware use. A CVE that enters KEV (or whose
    /// listing changes) puts its findings in the delta, so their facts, priority and due date
    /// follow at once: the moment a municipality must hear of it.
    pub kev: BTreeMap<String, (String, bool)>,
}

impl AdvisoryState {
    /// The state of parsed feeds.
    #[must_use]
    pub fn of(
        fingerprint: &str,
        advisories: &[osv::Advisory],
        cves: &[nvd::Cve],
        kev: Option<&kev::Catalog>,
    ) -> Self {
        Self {
            fingerprint: fingerprint.to_owned(),
            osv: advisories
                .iter()
                .map(|a| {
                    (
                        a.id.clone(),
                        AdvisoryMark {
                            modified: a.modified.clone(),
                            withdrawn: a.is_withdrawn(),
                            aliases: a.aliases.clone(),
                        },
                    )
                })
                .collect(),
            nvd: cves
                .iter()
                .map(|c| (c.id.clone(), c.last_modified.clone()))
                .collect(),
            kev: kev
                .map(|k| k.entries.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|e| (e.cve_id.clone(), (e.due_date.to_string(), e.ransomware)))
                .collect(),
        }
    }

    /// The state saved at `path`; `Ok(None)` when there is none (or of an older format).
    ///
    /// # Errors
    /// A damaged or unreadable file.
    pub fn load(path: &Path) -> Result<Option<Self>, TrackingError> {
        Ok(weerbaar_matching::load_cache(path, STATE_KIND)?)
    }

    /// Saves the state at `path`, atomically.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn save(&self, path: &Path) -> Result<(), TrackingError> {
        Ok(weerbaar_matching::save_cache(path, STATE_KIND, self)?)
    }

    /// What changed from `self` to the feeds `advisories` and `cves` (whose state is `newer`).
    #[must_use]
    pub fn delta<'a>(
        &self,
        newer: &AdvisoryState,
        advisories: &'a [osv::Advisory],
        cves: &'a [nvd::Cve],
    ) -> Delta<'a> {
        let mut ids: BTreeSet<String> = BTreeSet::new();
        let mut changed = Vec::new();
        for a in advisories {
            let was = self.osv.get(&a.id);
            let same =
                was.is_some_and(|w| w.modified == a.modified && w.withdrawn == a.is_withdrawn());
            if same {
                continue;
            }
            ids.insert(a.id.clone());
            ids.extend(a.aliases.iter().cloned());
            // A record that dropped an alias must still answer for the findings under it.
            if let Some(w) = was {
                ids.extend(w.aliases.iter().cloned());
            }
            changed.push(a);
        }
        let mut removed = Vec::new();
        for (id, mark) in &self.osv {
            if !newer.osv.contains_key(id) {
                ids.insert(id.clone());
                ids.extend(mark.aliases.iter().cloned());
                removed.push(id.clone());
            }
        }
        let mut changed_cves = Vec::new();
        for c in cves {
            if self.nvd.get(&c.id) != Some(&c.last_modified) {
                ids.insert(c.id.clone());
                changed_cves.push(c);
            }
        }
        for id in self.nvd.keys() {
            if !newer.nvd.contains_key(id) {
                ids.insert(id.clone());
                removed.push(id.clone());
            }
        }
        // KEV entries added, changed or (rarely) removed: the findings under those CVEs are
        // matched again so they carry the listing.
        for (cve, listing) in &newer.kev {
            if self.kev.get(cve) != Some(listing) {
                ids.insert(cve.clone());
            }
        }
        for cve in self.kev.keys() {
            if !newer.kev.contains_key(cve) {
                ids.insert(cve.clone());
            }
        }
        Delta {
            changed,
            changed_cves,
            removed,
            ids: ids.into_iter().collect(),
        }
    }
}

/// What a feed update changed.
#[derive(Debug, Clone, Default)]
pub struct Delta<'a> {
    /// OSV advisories that are new, or whose `modified` or withdrawn flag changed.
    pub changed: Vec<&'a osv::Advisory>,
    /// NVD records that are new or whose `lastModified` changed.
    pub changed_cves: Vec<&'a nvd::Cve>,
    /// Ids (OSV and CVE) that are gone from the feeds.
    pub removed: Vec<String>,
    /// Every id and alias of the changed and removed records: the findings the incremental
    /// rematch answers for.
    pub ids: Vec<String>,
}

impl Delta<'_> {
    /// Whether nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The changed records compiled for matching (withdrawn ones compile to nothing): what
    /// [`crate::rematch_delta`] looks for hit packages with. Its intel is empty; the findings'
    /// facts come from the full knowledge.
    #[must_use]
    pub fn knowledge(&self) -> Knowledge {
        let mut builder = IndexBuilder::new();
        for a in &self.changed {
            builder.add(a);
        }
        let index: Index = builder.finish();
        let cves: Vec<nvd::Cve> = self.changed_cves.iter().map(|&c| c.clone()).collect();
        Knowledge {
            index,
            cpe: CpeIndex::build(&cves),
            intel: weerbaar_scan::Intel::default(),
        }
    }
}
