//! The upload worker: takes inventories pushed to the server from the store's upload queue,
//! parses them with the same importers as `weerbaar inventory import`, and stores them.
//!
//! Every `weerbaar serve` instance runs one [`Worker`]; several instances share one queue.
//!
//! # Design
//!
//! * **The queue is the database.** A push is acknowledged once its upload row is committed;
//!   the worker claims it with a lease ([`weerbaar_store::Store::claim_upload`]), so an instance
//!   that dies mid-import leaves the upload to whichever instance claims it after the lease.
//!   There is no in-memory hand-off to lose.
//! * **All or nothing.** The import, the rematch queue entry and the `done` status commit in one
//!   transaction, fenced by the claim ([`weerbaar_store::Store::complete_upload`]): a worker that
//!   stalled past its lease and was taken over cannot store a second copy.
//! * **Permanent versus transient failures.** A file that does not parse, or names no asset, fails
//!   for good with the importer's message (file and line): retrying cannot help. A database error
//!   leaves the claim to expire, and the upload is retried (at most
//!   [`weerbaar_store::MAX_ATTEMPTS`] times).
//! * **Same mapping as the CLI.** Grouping, naming and enrichment are
//!   [`weerbaar_inventory::group`] and [`weerbaar_inventory::enrich_assets`], shared with the
//!   command line, so a pushed file is stored exactly as the same file imported locally.
//! * **CPU work off the runtime.** Parsing runs on the blocking pool, so a large SBOM does not
//!   stall the server's request handling; the lease is extended while it runs.
//! * **No logging dependency.** Outcomes are returned and counted in [`Metrics`]; the binary
//!   decides how to log them ([`Worker::run`]'s callback).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use weerbaar_inventory::{
    Format, GroupError, ImportOptions, Naming, Warning, enrich_assets, group, import_bytes,
};
use weerbaar_store::{AssetImport, ClaimedUpload, ImportSummary, Store, StoreError, TenantId};

/// How long a claim lasts unless extended: long enough for any import, short enough that an
/// upload of a dead instance is picked up within a minute.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// How long an idle worker waits before looking at the queue again.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A worker failure that is not about one upload (the database is unreachable).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`Worker::process_one`] did.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// The queue was empty.
    Idle,
    /// The upload was stored.
    Done {
        tenant: TenantId,
        upload: String,
        summaries: Vec<ImportSummary>,
        /// What the importers and enrichment skipped or corrected, with where.
        warnings: Vec<Warning>,
    },
    /// The upload failed for good (it does not parse, or names no asset).
    Failed {
        tenant: TenantId,
        upload: String,
        error: String,
    },
    /// Storing failed (a database error): the upload will be retried after its lease.
    Retry {
        tenant: TenantId,
        upload: String,
        error: StoreError,
    },
    /// Another worker took the upload over (this one stalled past its lease); nothing was
    /// stored by this one.
    Lost { tenant: TenantId, upload: String },
}

/// Counters for `/metrics`, shared with the server.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Uploads stored.
    pub processed: AtomicU64,
    /// Uploads failed for good.
    pub failed: AtomicU64,
    /// Uploads left for a retry after a database error, or lost to another worker.
    pub retried: AtomicU64,
    /// Components stored by the processed uploads.
    pub components: AtomicU64,
    /// Failures to reach the queue at all.
    pub errors: AtomicU64,
}

impl Metrics {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// One instance's upload worker.
#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    id: String,
    lease: Duration,
    poll_interval: Duration,
    max_bytes: u64,
    metrics: Arc<Metrics>,
}

/// A worker id unique across instances and restarts: host, process id and start time, so the
/// claims of a restarted process are not mistaken for its predecessor's.
#[must_use]
pub fn default_worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty() && h.len() <= 64 && !h.contains(char::is_control))
        .unwrap_or_else(|| "host".to_owned());
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{host}-{}-{started:x}", std::process::id())
}

impl Worker {
    /// A worker with the default lease and poll interval.
    #[must_use]
    pub fn new(store: Store, id: impl Into<String>) -> Self {
        Self {
            store,
            id: id.into(),
            lease: DEFAULT_LEASE,
            poll_interval: DEFAULT_POLL_INTERVAL,
            max_bytes: weerbaar_inventory::DEFAULT_MAX_BYTES,
            metrics: Arc::default(),
        }
    }

    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    #[must_use]
    pub fn with_poll_interval(mut self, poll_interval: Duration) -> Self {
        self.poll_interval = poll_interval;
        self
    }

    /// The importers' size limit (the server refuses larger pushes before they are queued).
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Shares `metrics` (for several workers feeding one `/metrics`).
    #[must_use]
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The worker's counters.
    #[must_use]
    pub fn metrics(&self) -> Arc<Metrics> {
        Arc::clone(&self.metrics)
    }

    /// Processes uploads until `shutdown` completes, calling `on_outcome` after each one (and
    /// for failures to reach the queue). An upload being processed is finished first: shutdown
    /// never abandons a claim halfway (and if the process is killed, the lease hands it on).
    pub async fn run<F>(&self, shutdown: impl Future<Output = ()>, on_outcome: F)
    where
        F: Fn(&Result<Outcome, IngestError>),
    {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let result = self.process_one().await;
            let idle = !matches!(
                result,
                Ok(Outcome::Done { .. } | Outcome::Failed { .. } | Outcome::Lost { .. })
            );
            if !matches!(result, Ok(Outcome::Idle)) {
                on_outcome(&result);
            }
            if idle {
                tokio::select! {
                    () = &mut shutdown => return,
                    () = tokio::time::sleep(self.poll_interval) => {}
                }
            } else {
                tokio::select! {
                    biased;
                    () = &mut shutdown => return,
                    () = std::future::ready(()) => {}
                }
            }
        }
    }

    /// Claims one upload and processes it to the end.
    ///
    /// # Errors
    /// [`IngestError`] when the queue cannot be reached; problems with the upload itself are
    /// [`Outcome`]s.
    pub async fn process_one(&self) -> Result<Outcome, IngestError> {
        let claimed = match self.store.claim_upload(&self.id, self.lease).await {
            Ok(Some(claimed)) => claimed,
            Ok(None) => return Ok(Outcome::Idle),
            Err(e) => {
                Metrics::add(&self.metrics.errors, 1);
                return Err(e.into());
            }
        };
        let heartbeat = self.heartbeat(&claimed);
        let outcome = self.process(claimed).await;
        heartbeat.abort();
        let (counter, n) = match &outcome {
            Outcome::Done { summaries, .. } => {
                let components: usize = summaries.iter().map(|s| s.components).sum();
                Metrics::add(&self.metrics.components, components as u64);
                (&self.metrics.processed, 1)
            }
            Outcome::Failed { .. } => (&self.metrics.failed, 1),
            Outcome::Retry { .. } | Outcome::Lost { .. } => (&self.metrics.retried, 1),
            Outcome::Idle => (&self.metrics.processed, 0),
        };
        Metrics::add(counter, n);
        Ok(outcome)
    }

    /// Extends the claim every third of the lease while the upload is processed, so a long
    /// parse or import is not taken over as if this worker had died.
    fn heartbeat(&self, claimed: &ClaimedUpload) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        let lease = self.lease;
        let mut claim = claimed.clone();
        // The body can be large; the heartbeat only needs the claim.
        claim.body = Vec::new();
        tokio::spawn(async move {
            let every = (lease / 3).max(Duration::from_secs(1));
            loop {
                tokio::time::sleep(every).await;
                if store.extend_lease(&mut claim, lease).await.is_err() {
                    // Lost or unreachable: completion's fencing decides what happens.
                    return;
                }
            }
        })
    }

    async fn process(&self, claimed: ClaimedUpload) -> Outcome {
        let tenant = claimed.tenant.clone();
        let upload = claimed.id.clone();
        let max_bytes = self.max_bytes;
        // Parse off the async runtime; the claim (with its body) comes back with the result.
        let parsed = tokio::task::spawn_blocking(move || {
            let result = parse(&claimed, max_bytes);
            (claimed, result)
        })
        .await;
        let (claimed, parsed) = match parsed {
            Ok(pair) => pair,
            Err(e) => {
                // The parser panicked: a bug, and deterministic for this body, so retrying
                // would only panic again.
                return self
                    .fail(
                        None,
                        tenant,
                        upload,
                        format!("the importer stopped unexpectedly: {e}"),
                    )
                    .await;
            }
        };
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(message) => return self.fail(Some(&claimed), tenant, upload, message).await,
        };
        let imports: Vec<AssetImport<'_>> = parsed
            .assets
            .iter()
            .map(|a| AssetImport {
                asset: &a.asset,
                name: &a.name,
                file: &claimed.file_name,
                format: a.format,
            })
            .collect();
        match self.store.complete_upload(&claimed, &imports).await {
            Ok(summaries) => Outcome::Done {
                tenant,
                upload,
                summaries,
                warnings: parsed.warnings,
            },
            Err(StoreError::ClaimLost { .. }) => Outcome::Lost { tenant, upload },
            Err(e @ StoreError::InvalidAsset { .. }) => {
                let message = format!("{}: {e}", claimed.file_name);
                self.fail(Some(&claimed), tenant, upload, message).await
            }
            Err(error) => Outcome::Retry {
                tenant,
                upload,
                error,
            },
        }
    }

    async fn fail(
        &self,
        claimed: Option<&ClaimedUpload>,
        tenant: TenantId,
        upload: String,
        error: String,
    ) -> Outcome {
        let Some(claimed) = claimed else {
            // Without the claim (lost with a panicking parser) the lease decides; after
            // MAX_ATTEMPTS the store fails it.
            return Outcome::Retry {
                tenant,
                upload,
                error: StoreError::InvalidUpload { reason: error },
            };
        };
        match self.store.fail_upload(claimed, &error).await {
            Ok(()) => Outcome::Failed {
                tenant,
                upload,
                error,
            },
            Err(StoreError::ClaimLost { .. }) => Outcome::Lost { tenant, upload },
            Err(error) => Outcome::Retry {
                tenant,
                upload,
                error,
            },
        }
    }
}

/// An upload's assets, parsed, named and enriched.
#[derive(Debug)]
pub struct Parsed {
    pub assets: Vec<weerbaar_inventory::NamedAsset>,
    pub warnings: Vec<Warning>,
}

/// Parses an upload as `weerbaar inventory import FILE [--asset NAME] [--input-format F]` would.
///
/// # Errors
/// A message naming the file (and the line, JSON path or XML element) when it cannot be
/// imported.
pub fn parse(claimed: &ClaimedUpload, max_bytes: u64) -> Result<Parsed, String> {
    let format = claimed
        .input_format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()
        .map_err(|e| format!("{}: {e}", claimed.file_name))?;
    let options = ImportOptions {
        format,
        columns: None,
        max_bytes,
    };
    let inventory =
        import_bytes(&claimed.file_name, &claimed.body, &options).map_err(|e| e.to_string())?;
    let naming = match &claimed.asset_name {
        Some(name) => Naming::Given(name),
        None => Naming::FromFile,
    };
    let (mut assets, mut warnings) = group(vec![(claimed.file_name.clone(), inventory)], naming)
        .map_err(|e| match e {
            GroupError::Unnamed { file } => {
                format!("{file}: does not name its asset; push it with an asset name")
            }
            GroupError::SeveralAssets { file, count } => format!(
                "{file}: describes {count} assets, so an asset name cannot name them; push it \
                 without one"
            ),
            other => other.to_string(),
        })?;
    warnings.extend(enrich_assets(&mut assets));
    Ok(Parsed { assets, warnings })
}
