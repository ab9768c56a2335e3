//! Keeping findings current: the adapter between the stored inventories (`weerbaar-store`) and
//! matching (`weerbaar-scan`), used by the CLI and, later, the server.
//!
//! * **Two paths.** [`rematch`] matches one tenant's stored components (all, or the assets just
//!   imported) against the full knowledge. After a feed update, [`rematch_delta`] visits only
//!   what the update touches, across every tenant: the normal path, since a daily OSV update
//!   changes a few hundred of half a million records.
//! * **The delta is by record.** [`AdvisoryState`] keeps, per OSV record, its `modified`,
//!   withdrawn flag and aliases, and per NVD record its `lastModified`; saved beside the
//!   knowledge cache, it is compared with the new feeds into a [`Delta`]: records added,
//!   changed (including newly withdrawn) and removed, and every id and alias they carry. A
//!   record changed when its `modified` did: feeds that rewrite a record without touching
//!   `modified` are not seen (`findings refresh` does a full rematch).
//! * **NVD too.** Changed CVE records are compiled into the delta's CPE index the same way, so
//!   components matched by CPE follow NVD updates incrementally.
//! * **Not covered incrementally.** KEV and EPSS: facts (KEV listing, EPSS score) on findings
//!   whose advisories did not change are refreshed by the next full rematch of their tenant,
//!   not by a feed update.
//! * **No state, full rematch.** Without a saved state (first feed import, or a new state
//!   format) every tenant is rematched in full, and the state saved afterwards.

pub mod judge;
mod rematch;
mod state;

use weerbaar_advisories::{kev, nvd, osv};
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;
use weerbaar_store::{Store, StoreError};

pub use rematch::{DeltaSteps, DeltaSummary, rematch, rematch_delta};
pub use state::{AdvisoryMark, AdvisoryState, Delta};

/// Why tracking failed.
#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The saved advisory state cannot be read or written.
    #[error("advisory state: {0}")]
    State(#[from] weerbaar_matching::PersistError),
}

/// How [`after_feed_update`] brought the findings up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdatePath {
    /// The advisories were the ones last matched: nothing to do.
    Unchanged,
    /// No saved state: every tenant was rematched in full.
    Full,
    /// Only what changed was rematched.
    Incremental,
}

/// What [`after_feed_update`] changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UpdateSummary {
    pub path: UpdatePath,
    /// Tenants whose findings were recorded.
    pub tenants: usize,
    pub new: usize,
    pub still_open: usize,
    pub resolved: usize,
}

/// The feeds after an update: their fingerprint, parsed records and compiled knowledge.
#[derive(Debug, Clone, Copy)]
pub struct Feeds<'a> {
    pub fingerprint: &'a str,
    pub osv: &'a [osv::Advisory],
    pub nvd: &'a [nvd::Cve],
    pub kev: Option<&'a kev::Catalog>,
    pub knowledge: &'a Knowledge,
}

/// Brings every tenant's findings up to date with `feeds`, given the state of the advisories
/// they were last matched against (`previous`): incrementally when there is one, else in full.
/// Returns the summary and the new state, for the caller to save once this succeeded.
///
/// # Errors
/// A store error.
pub async fn after_feed_update(
    store: &Store,
    previous: Option<&AdvisoryState>,
    feeds: Feeds<'_>,
    mapping: &Mapping,
    threads: usize,
    actor: &str,
) -> Result<(UpdateSummary, AdvisoryState), TrackingError> {
    let current = AdvisoryState::of(feeds.fingerprint, feeds.osv, feeds.nvd, feeds.kev);
    let mut summary = UpdateSummary {
        path: UpdatePath::Unchanged,
        tenants: 0,
        new: 0,
        still_open: 0,
        resolved: 0,
    };
    match previous {
        None => {
            summary.path = UpdatePath::Full;
            for tenant in store.tenants().await? {
                let s = rematch(
                    store,
                    &tenant.id,
                    feeds.knowledge,
                    mapping,
                    None,
                    threads,
                    actor,
                )
                .await?;
                summary.tenants += 1;
                summary.new += s.new;
                summary.still_open += s.still_open;
                summary.resolved += s.resolved;
            }
        }
        Some(previous) => {
            let delta = previous.delta(&current, feeds.osv, feeds.nvd);
            if !delta.is_empty() {
                summary.path = UpdatePath::Incremental;
                let s = rematch_delta(
                    store,
                    feeds.knowledge,
                    &delta.knowledge(),
                    &delta.ids,
                    mapping,
                    threads,
                    actor,
                )
                .await?;
                summary.tenants = s.tenants;
                summary.new = s.new;
                summary.still_open = s.still_open;
                summary.resolved = s.resolved;
            }
        }
    }
    Ok((summary, current))
}
