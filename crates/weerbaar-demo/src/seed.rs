//! Seeding the demo provider into a store.

use std::path::Path;

use serde::Serialize;
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;
use weerbaar_store::{AssetImport, NewException, Store, StoreError, TenantId};

use crate::dataset::Dataset;
use crate::estate::{self, Municipality};
use crate::{ACTOR, DemoError};

/// What the findings were matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KnowledgeSource {
    /// The feeds stored in the data directory (`weerbaar feeds sync` or `feeds import`).
    StoredFeeds,
    /// The project's own demo dataset.
    DemoDataset,
}

impl KnowledgeSource {
    /// A phrase for the overview.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::StoredFeeds => "the stored feeds",
            Self::DemoDataset => {
                "weerbaar's demo advisories (run `weerbaar feeds sync` for the real feeds)"
            }
        }
    }
}

/// What [`seed_demo`] did, per municipality and in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub source: KnowledgeSource,
    pub tenants: Vec<TenantSummary>,
}

/// One municipality's part of a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantSummary {
    pub tenant: TenantId,
    pub name: String,
    /// False when the tenant already existed (a second run).
    pub created: bool,
    pub assets: usize,
    pub components: usize,
    /// Exceptions added now (none on a second run).
    pub exceptions_added: usize,
    /// Findings first seen now.
    pub new_findings: usize,
    /// Findings open after the seed.
    pub open_findings: usize,
}

impl Summary {
    #[must_use]
    pub fn assets(&self) -> usize {
        self.tenants.iter().map(|t| t.assets).sum()
    }

    #[must_use]
    pub fn components(&self) -> usize {
        self.tenants.iter().map(|t| t.components).sum()
    }

    #[must_use]
    pub fn open_findings(&self) -> usize {
        self.tenants.iter().map(|t| t.open_findings).sum()
    }
}

/// The knowledge the demo matches against: the stored feeds of `data_dir` when there are any
/// (compiled here, without the binary's cache), else the demo dataset.
///
/// # Errors
/// A stored feed that cannot be read or parsed.
pub fn knowledge(data_dir: &Path) -> Result<(Knowledge, KnowledgeSource), DemoError> {
    let feeds = weerbaar_feeds::load_stored(data_dir)?;
    if feeds.osv.is_empty() && feeds.nvd.is_empty() {
        return Ok((Dataset::load()?.knowledge(), KnowledgeSource::DemoDataset));
    }
    Ok((
        Knowledge::build(
            &feeds.osv,
            &feeds.nvd,
            feeds.kev.as_ref(),
            feeds.epss.as_ref(),
        ),
        KnowledgeSource::StoredFeeds,
    ))
}

/// Seeds the demo provider into `store`, matched against the stored feeds of `data_dir` or,
/// without them, the demo dataset. See [`seed_demo_with`].
///
/// # Errors
/// As [`knowledge`] and [`seed_demo_with`].
pub async fn seed_demo(store: &Store, data_dir: &Path) -> Result<Summary, DemoError> {
    let (knowledge, source) = knowledge(data_dir)?;
    seed_demo_with(store, &knowledge, source).await
}

/// Seeds the demo provider into `store` and matches it against `knowledge` (a caller with a
/// compiled-knowledge cache passes its own).
///
/// For each municipality: creates the tenant (once), imports every asset's inventory in one
/// transaction through [`Store::import_assets`] (audited as actor `demo`), adds its exceptions
/// (once), and rematches the tenant. Running it again re-imports the same inventories (the
/// estates are generated from a fixed seed), so nothing is duplicated and no finding changes.
///
/// # Errors
/// A store error; the municipality being seeded is then left as its last completed step.
pub async fn seed_demo_with(
    store: &Store,
    knowledge: &Knowledge,
    source: KnowledgeSource,
) -> Result<Summary, DemoError> {
    let mapping = Mapping::builtin()?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut tenants = Vec::new();
    for m in estate::municipalities()? {
        tenants.push(seed_one(store, knowledge, &mapping, threads, &m).await?);
    }
    Ok(Summary { source, tenants })
}

async fn seed_one(
    store: &Store,
    knowledge: &Knowledge,
    mapping: &Mapping,
    threads: usize,
    m: &Municipality,
) -> Result<TenantSummary, DemoError> {
    let created = ensure_tenant(store, &m.tenant, &m.name).await?;
    let imports: Vec<AssetImport<'_>> = m
        .assets
        .iter()
        .map(|a| AssetImport {
            asset: &a.asset,
            name: &a.name,
            file: &a.file,
            format: a.format,
        })
        .collect();
    let summaries = store.import_assets(&m.tenant, ACTOR, &imports).await?;

    // Exceptions are decisions, not inventory: add each once, however often the demo runs.
    let existing = store.exceptions(&m.tenant, true).await?;
    let mut new = Vec::new();
    for e in &m.exceptions {
        let body = serde_json::to_value(e)?;
        if !existing.iter().any(|s| s.body == body) {
            new.push(NewException {
                advisory: e.scope.advisory.clone(),
                body,
            });
        }
    }
    if !new.is_empty() {
        store.add_exceptions(&m.tenant, ACTOR, &new).await?;
    }

    let rematch =
        weerbaar_tracking::rematch(store, &m.tenant, knowledge, mapping, None, threads, ACTOR)
            .await?;
    Ok(TenantSummary {
        tenant: m.tenant.clone(),
        name: m.name.clone(),
        created,
        assets: summaries.len(),
        components: summaries.iter().map(|s| s.components).sum(),
        exceptions_added: new.len(),
        new_findings: rematch.new,
        open_findings: rematch.new + rematch.still_open,
    })
}

/// Creates `tenant` unless it exists; true when it was created now.
///
/// Looks first instead of relying on [`StoreError::TenantExists`]: a refused `add_tenant` has
/// already taken SQLite's write lock, and its transaction is rolled back only when sqlx gets
/// the connection back, so the next write transaction could meet that lock with a stale read
/// snapshot and fail with "database is locked" (seen in about one run in fifteen).
pub(crate) async fn ensure_tenant(
    store: &Store,
    tenant: &TenantId,
    name: &str,
) -> Result<bool, DemoError> {
    match store.tenant(tenant).await {
        Ok(_) => return Ok(false),
        Err(StoreError::UnknownTenant { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    match store.add_tenant(tenant, name, ACTOR).await {
        Ok(_) => Ok(true),
        // Another process seeded it in between.
        Err(StoreError::TenantExists { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
