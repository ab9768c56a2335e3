//! The job bodies, and [`scheduler`] which registers them from a [`JobsConfig`].
//!
//! Matching and feed downloads are CPU-bound or blocking; they run on the blocking pool so the
//! server's request handlers keep their threads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use weerbaar_feeds::{FileOutcome, SyncReport};
use weerbaar_notify::Delivery;
use weerbaar_store::{Store, TenantId};
use weerbaar_tracking::{AdvisoryState, UpdateSummary};

use crate::alerts::Snapshot;
use crate::knowledge::{self, Note};
use crate::{JobContext, JobsConfig, JobsError, Scheduler, Scope};

/// The job names, as claimed in `job_runs` and shown in status and metrics.
pub const FEED_SYNC: &str = "feed-sync";
pub const REMATCH_QUEUE: &str = "rematch-queue";
pub const RETENTION: &str = "retention";

const DAY: i64 = 86_400;

/// What [`rematch_after_feed_update`] did.
#[derive(Debug)]
pub struct FeedRematch {
    pub summary: UpdateSummary,
    /// One result per notification destination (empty without notifications or news).
    pub deliveries: Vec<Delivery>,
}

fn blocking_failed(e: tokio::task::JoinError) -> JobsError {
    JobsError::failed("a background task", e)
}

/// Brings every tenant's findings up to date with the stored feeds of `data_dir`:
/// incrementally, from the advisory state saved at the last rematch, or in full when there is
/// none; then sends the notifications. `None` when there is nothing to do: no tenants, no
/// feeds, or the feeds are the ones last matched.
///
/// The state is saved only after every tenant was recorded: a failure leaves the previous
/// state, so the next update rematches this delta again.
///
/// # Errors
/// A feed that cannot be read, a database error, or an invalid notification configuration.
pub async fn rematch_after_feed_update(
    store: &Store,
    data_dir: &Path,
    actor: &str,
    notes: Arc<dyn Fn(Note) + Send + Sync>,
) -> Result<Option<FeedRematch>, JobsError> {
    if store.tenants().await?.is_empty() {
        return Ok(None);
    }
    let fingerprint = knowledge::fingerprint(data_dir)?;
    let state_path = knowledge::state_path(data_dir);
    let previous = match AdvisoryState::load(&state_path) {
        Ok(state) => state,
        Err(e) => {
            notes(Note::Warning(format!(
                "{e}; rematching every tenant in full"
            )));
            None
        }
    };
    if previous
        .as_ref()
        .is_some_and(|p| p.fingerprint == fingerprint)
    {
        return Ok(None);
    }
    let loaded = {
        let (dir, fingerprint, notes) = (data_dir.to_owned(), fingerprint.clone(), notes.clone());
        tokio::task::spawn_blocking(move || {
            knowledge::load_stored_with_feeds(&dir, &fingerprint, &*notes)
        })
        .await
        .map_err(blocking_failed)??
    };
    let Some((knowledge, feeds)) = loaded else {
        return Ok(None);
    };
    // With notifications configured, every tenant's open findings before the update, to tell
    // what became newly KEV-listed or newly Act.
    let snapshots = Snapshot::take_all(store, data_dir).await?;
    let mapping = knowledge::mapping(None)?;
    let (summary, state) = weerbaar_tracking::after_feed_update(
        store,
        previous.as_ref(),
        weerbaar_tracking::Feeds {
            fingerprint: &fingerprint,
            osv: &feeds.osv,
            nvd: &feeds.nvd,
            kev: feeds.kev.as_ref(),
            knowledge: &knowledge,
        },
        &mapping,
        knowledge::threads(None),
        actor,
    )
    .await?;
    let mut deliveries = Vec::new();
    for snapshot in snapshots {
        deliveries.extend(snapshot.notify(store).await?);
    }
    if let Err(e) = state.save(&state_path) {
        notes(Note::Warning(format!(
            "the advisory state could not be saved ({e}); the next feed update rematches every tenant"
        )));
    }
    Ok(Some(FeedRematch {
        summary,
        deliveries,
    }))
}

/// One line per source: what a sync did.
#[must_use]
pub fn describe_sync(report: &SyncReport) -> String {
    let updated = report
        .files
        .iter()
        .filter(|f| matches!(f, FileOutcome::Updated { .. }))
        .count();
    if updated == 0 {
        "not modified".to_owned()
    } else {
        format!("updated {updated} of {} files", report.files.len())
    }
}

/// The `feed-sync` job: downloads the configured sources into `data_dir` (each source all or
/// nothing, a failed one keeps its previous data), then rematches what changed and notifies.
/// Fails only when every source failed.
///
/// # Errors
/// A configuration error, every source failing, or an error of the rematch.
pub async fn feed_sync(
    ctx: &JobContext,
    config: &crate::FeedSyncConfig,
    data_dir: &Path,
) -> Result<String, JobsError> {
    let sources = config.sources()?;
    let urls = config.url_config()?;
    let http = config.http();
    let results = {
        let (dir, sources) = (data_dir.to_owned(), sources.clone());
        tokio::task::spawn_blocking(move || {
            weerbaar_feeds::sync(&dir, &sources, &urls, &http, &mut |line| {
                tracing::info!(job = FEED_SYNC, "{line}");
            })
        })
        .await
        .map_err(blocking_failed)??
    };
    let mut lines = Vec::new();
    let mut any_ok = false;
    for (source, result) in sources.iter().zip(results) {
        match result {
            Ok(report) => {
                any_ok = true;
                lines.push(format!("{source}: {}", describe_sync(&report)));
            }
            Err(e) => {
                tracing::warn!(job = FEED_SYNC, %source, error = %e, "kept the previous data");
                lines.push(format!("{source}: failed ({e})"));
            }
        }
    }
    if !any_ok {
        return Err(JobsError::Config(format!(
            "every source failed: {}",
            lines.join("; ")
        )));
    }
    let rematch = rematch_after_feed_update(
        &ctx.store,
        data_dir,
        &ctx.actor(),
        Arc::new(knowledge::log_notes),
    )
    .await?;
    if let Some(done) = rematch {
        for d in &done.deliveries {
            tracing::info!(job = FEED_SYNC, "notification: {d}");
        }
        lines.push(format!(
            "findings: {} new, {} resolved across {} tenants ({:?})",
            done.summary.new, done.summary.resolved, done.summary.tenants, done.summary.path
        ));
    }
    Ok(lines.join("; "))
}

/// The `retention` job: drops bodies of finished uploads and import history past their days,
/// and old job records. Every deletion of tenant data is audited in its tenant's log.
///
/// # Errors
/// A database error; what was deleted before it stays deleted.
pub async fn retention(
    ctx: &JobContext,
    config: &crate::RetentionConfig,
    now: i64,
) -> Result<String, JobsError> {
    let days = |d: u64| {
        now.saturating_sub(
            i64::try_from(d)
                .unwrap_or(i64::MAX / DAY)
                .saturating_mul(DAY),
        )
    };
    let actor = ctx.actor();
    let bodies = ctx
        .store
        .drop_upload_bodies(days(config.upload_body_days), &actor)
        .await?;
    let imports = ctx
        .store
        .prune_imports(days(config.import_history_days), &actor)
        .await?;
    let runs = ctx.store.prune_job_runs(days(config.job_runs_days)).await?;
    Ok(format!(
        "upload bodies dropped: {}; import history rows deleted: {} ({} tenants); job records deleted: {runs}",
        bodies.rows, imports.rows, imports.tenants
    ))
}

/// The `rematch-queue` job: matches the assets uploads changed against this instance's
/// knowledge, tenant by tenant, then notifies; batch by batch until the queue is empty. An
/// entry queued again while it was matched stays for the next run.
///
/// # Errors
/// A feed or database error; batches matched before it are recorded and dequeued.
pub async fn rematch_queue(
    ctx: &JobContext,
    config: &crate::RematchQueueConfig,
    data_dir: &Path,
) -> Result<String, JobsError> {
    let store = &ctx.store;
    if store.take_rematch_batch(1).await?.is_empty() {
        return Ok("queue empty".to_owned());
    }
    let loaded = {
        let dir = data_dir.to_owned();
        tokio::task::spawn_blocking(move || {
            knowledge::load_stored_shared(&dir, &knowledge::log_notes)
        })
        .await
        .map_err(blocking_failed)??
    };
    let Some(knowledge) = loaded else {
        // Nothing to match against yet: the entries wait for the first feed sync.
        return Ok("no feeds yet; the queue waits".to_owned());
    };
    let mapping = knowledge::mapping(None)?;
    let actor = ctx.actor();
    let (mut assets, mut new, mut resolved) = (0usize, 0usize, 0usize);
    loop {
        let batch = store.take_rematch_batch(config.batch).await?;
        if batch.is_empty() {
            break;
        }
        let mut per_tenant: BTreeMap<TenantId, Vec<String>> = BTreeMap::new();
        for item in &batch {
            per_tenant
                .entry(item.tenant.clone())
                .or_default()
                .push(item.asset_key.clone());
        }
        for (tenant, keys) in &per_tenant {
            let snapshot = Snapshot::take(store, tenant, data_dir).await?;
            let summary = weerbaar_tracking::rematch(
                store,
                tenant,
                &knowledge,
                &mapping,
                Some(keys),
                knowledge::threads(None),
                &actor,
            )
            .await?;
            if let Some(snapshot) = snapshot {
                for d in snapshot.notify(store).await? {
                    tracing::info!(job = REMATCH_QUEUE, "notification: {d}");
                }
            }
            assets += keys.len();
            new += summary.new;
            resolved += summary.resolved;
        }
        let removed = store.done_rematch(&batch).await?;
        // Everything taken was re-queued meanwhile: stop rather than spin on it; the next slot
        // takes it.
        if removed == 0 {
            break;
        }
    }
    Ok(format!(
        "{assets} assets rematched: {new} new, {resolved} resolved findings"
    ))
}

/// A scheduler with the standard jobs `config` enables, for an instance whose feeds live in
/// `data_dir`. `instance` must be unique among live instances (host name and process id).
///
/// # Errors
/// [`JobsError::Config`] for an invalid feed configuration (checked now, not at the first run).
pub fn scheduler(
    store: Store,
    instance: &str,
    config: &JobsConfig,
    data_dir: &Path,
) -> Result<Scheduler, JobsError> {
    let mut scheduler = Scheduler::new(store, instance).with_timing(
        config.lease_seconds,
        Duration::from_secs(config.heartbeat_seconds),
        Duration::from_secs(config.tick_seconds),
    );
    if !config.enabled {
        return Ok(scheduler);
    }
    let data_dir: Arc<PathBuf> = Arc::new(data_dir.to_owned());
    if config.feed_sync.enabled {
        config.feed_sync.sources()?;
        config.feed_sync.url_config()?;
        let feed = Arc::new(config.feed_sync.clone());
        let scope = if feed.per_instance {
            Scope::Instance
        } else {
            Scope::Cluster
        };
        let dir = Arc::clone(&data_dir);
        scheduler = scheduler.job(FEED_SYNC, feed.interval_seconds, scope, move |ctx| {
            let (feed, dir) = (Arc::clone(&feed), Arc::clone(&dir));
            async move { feed_sync(&ctx, &feed, &dir).await }
        });
    }
    if config.rematch_queue.enabled {
        let queue = Arc::new(config.rematch_queue.clone());
        let dir = Arc::clone(&data_dir);
        scheduler = scheduler.job(
            REMATCH_QUEUE,
            queue.interval_seconds,
            Scope::Cluster,
            move |ctx| {
                let (queue, dir) = (Arc::clone(&queue), Arc::clone(&dir));
                async move { rematch_queue(&ctx, &queue, &dir).await }
            },
        );
    }
    if config.retention.enabled {
        let keep = Arc::new(config.retention.clone());
        let clock = scheduler.clock();
        scheduler = scheduler.job(
            RETENTION,
            keep.interval_seconds,
            Scope::Cluster,
            move |ctx| {
                let (keep, clock) = (Arc::clone(&keep), Arc::clone(&clock));
                async move { retention(&ctx, &keep, clock.now()).await }
            },
        );
    }
    Ok(scheduler)
}
