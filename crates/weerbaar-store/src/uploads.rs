//! Uploads: inventories pushed to the server, queued for the ingest worker; and the rematch
//! queue of assets whose inventory changed that way.
//!
//! The queue is a table, not a broker, so that it is as durable and as transactional as the data
//! it feeds: an upload is stored before the push is acknowledged, and its import, its rematch
//! entry and its `done` status commit together or not at all.
//!
//! * **Claims with leases.** A worker claims the oldest queued upload (or one whose lease ran
//!   out because its worker died) and holds it until `lease_until`. On PostgreSQL several
//!   instances claim at once with `FOR UPDATE SKIP LOCKED`; SQLite claims under its write lock.
//! * **Fencing.** Every claim increments `attempts`; completing or failing an upload checks that
//!   the row is still `processing` under this worker's id *and* this attempt, so a worker that
//!   stalled past its lease and was taken over cannot overwrite the new owner's result.
//! * **Idempotent pushes.** A push retried with the same idempotency key finds the first upload
//!   (refused if the body differs), so a lost response never imports twice.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use weerbaar_inventory::Format;

use crate::inventory::{asset_key, import_in_tx, validate_asset_name};
use crate::{
    AssetImport, ImportSummary, Store, StoreError, TenantId, audit, ensure_tenant, new_id, now,
};

/// After this many claims an upload whose worker keeps dying (a body that crashes or exhausts
/// the worker) is failed instead of being handed out again.
pub const MAX_ATTEMPTS: i64 = 5;

/// The longest accepted file name, idempotency key and worker id.
const MAX_TEXT: usize = 255;

/// Where an upload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadState {
    Queued,
    Processing,
    Done,
    Failed,
}

impl UploadState {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            UploadState::Queued => "queued",
            UploadState::Processing => "processing",
            UploadState::Done => "done",
            UploadState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "queued" => UploadState::Queued,
            "processing" => UploadState::Processing,
            "done" => UploadState::Done,
            "failed" => UploadState::Failed,
            other => {
                return Err(StoreError::Corrupt {
                    table: "uploads",
                    column: "status",
                    reason: format!("unknown status {other:?}"),
                });
            }
        })
    }
}

impl std::str::FromStr for UploadState {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).map_err(|_| StoreError::InvalidUpload {
            reason: format!("unknown upload status {s:?}: use queued, processing, done or failed"),
        })
    }
}

/// A pushed inventory to queue.
#[derive(Debug, Clone)]
pub struct NewUpload<'a> {
    pub tenant: TenantId,
    /// The file's name as pushed: reported in errors and kept as each component's source.
    pub file_name: String,
    /// A format name (`cyclonedx-json`, `dpkg-status`…) instead of detection.
    pub input_format: Option<String>,
    /// The asset the file describes, for files that do not name it (package databases,
    /// lockfiles); wins over a name in the file.
    pub asset_name: Option<String>,
    pub body: &'a [u8],
    /// A client-chosen key: a push repeated with the same key returns the first upload.
    pub idempotency_key: Option<String>,
}

/// An upload's status resource: everything but the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadStatus {
    pub tenant: TenantId,
    pub id: String,
    pub file_name: String,
    pub input_format: Option<String>,
    pub asset_name: Option<String>,
    pub size: i64,
    pub sha256: String,
    pub idempotency_key: Option<String>,
    pub status: UploadState,
    /// Why it failed: the importer's message, naming the file and line.
    pub error: Option<String>,
    /// What the import changed, once done.
    pub summary: Option<Vec<ImportSummary>>,
    /// How many times a worker claimed it.
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// True when [`Store::enqueue_upload`] found an earlier upload with the same idempotency key
    /// instead of queueing a new one.
    #[serde(skip)]
    pub replayed: bool,
}

/// Which uploads to list: newest first, `limit` at a time, those older than `before` (the id of
/// the last upload of the previous page).
#[derive(Debug, Clone, Default)]
pub struct UploadFilter {
    pub status: Option<UploadState>,
    pub before: Option<String>,
    pub limit: u32,
}

/// An upload a worker holds: its input, and the claim that fences its result.
#[derive(Clone)]
pub struct ClaimedUpload {
    pub tenant: TenantId,
    pub id: String,
    pub file_name: String,
    pub input_format: Option<String>,
    pub asset_name: Option<String>,
    pub body: Vec<u8>,
    /// This claim's number (the fencing token).
    pub attempts: i64,
    pub worker: String,
    pub lease_until: i64,
}

impl std::fmt::Debug for ClaimedUpload {
    // The body can be megabytes: never dump it into a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimedUpload")
            .field("tenant", &self.tenant)
            .field("id", &self.id)
            .field("file_name", &self.file_name)
            .field("size", &self.body.len())
            .field("attempts", &self.attempts)
            .field("worker", &self.worker)
            .field("lease_until", &self.lease_until)
            .finish_non_exhaustive()
    }
}

/// An asset waiting for rematch, as taken from the queue; `queued_at` identifies this entry, so
/// [`Store::done_rematch`] removes it only if it was not queued again meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RematchItem {
    pub tenant: TenantId,
    pub asset_key: String,
    pub queued_at: i64,
}

fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn check_text(what: &str, value: &str) -> Result<(), StoreError> {
    let reason = if value.trim().is_empty() {
        "is empty"
    } else if value.len() > MAX_TEXT {
        "is longer than 255 bytes"
    } else if value.chars().any(char::is_control) {
        "contains control characters"
    } else {
        return Ok(());
    };
    Err(StoreError::InvalidUpload {
        reason: format!("{what} {value:?} {reason}"),
    })
}

fn seconds(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2)
}

const STATUS_COLUMNS: &str = "tenant_id, upload_id, file_name, input_format, asset_name, size, \
     sha256, idempotency_key, status, error, summary, attempts, created_at, updated_at";

fn status_from_row(row: &AnyRow) -> Result<UploadStatus, StoreError> {
    let tenant: String = row.try_get("tenant_id")?;
    let status: String = row.try_get("status")?;
    let summary: Option<String> = row.try_get("summary")?;
    Ok(UploadStatus {
        tenant: TenantId::new(&tenant)?,
        id: row.try_get("upload_id")?,
        file_name: row.try_get("file_name")?,
        input_format: row.try_get("input_format")?,
        asset_name: row.try_get("asset_name")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        idempotency_key: row.try_get("idempotency_key")?,
        status: UploadState::parse(&status)?,
        error: row.try_get("error")?,
        summary: summary
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt {
                table: "uploads",
                column: "summary",
                reason: e.to_string(),
            })?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        replayed: false,
    })
}

impl Store {
    /// Stores a pushed inventory as a `queued` upload (audited), or, when the tenant already has
    /// an upload with the same idempotency key and body, returns that one (`replayed`).
    ///
    /// # Errors
    /// [`StoreError::InvalidUpload`] (bad file name, format, asset name or key),
    /// [`StoreError::InvalidAsset`], [`StoreError::IdempotencyConflict`] (same key, other body),
    /// [`StoreError::UnknownTenant`], or a database error.
    pub async fn enqueue_upload(
        &self,
        upload: NewUpload<'_>,
        actor: &str,
    ) -> Result<UploadStatus, StoreError> {
        check_text("file name", &upload.file_name)?;
        if let Some(format) = &upload.input_format {
            format
                .parse::<Format>()
                .map_err(|e| StoreError::InvalidUpload { reason: e })?;
        }
        if let Some(name) = &upload.asset_name {
            validate_asset_name(name)?;
        }
        if let Some(key) = &upload.idempotency_key {
            check_text("idempotency key", key)?;
        }
        let sha256 = hex_sha256(upload.body);
        let size = i64::try_from(upload.body.len()).unwrap_or(i64::MAX);
        let tenant = &upload.tenant;

        let mut tx = self.backend.begin_write(&self.pool).await?;
        ensure_tenant(&mut tx, tenant).await?;
        if let Some(key) = &upload.idempotency_key {
            let existing = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {STATUS_COLUMNS} FROM uploads WHERE tenant_id = $1 AND idempotency_key = $2"
            )))
            .bind(tenant.as_str())
            .bind(key.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = existing {
                let mut status = status_from_row(&row)?;
                if status.sha256 != sha256 {
                    return Err(StoreError::IdempotencyConflict {
                        key: key.clone(),
                        upload: status.id,
                    });
                }
                status.replayed = true;
                return Ok(status);
            }
        }
        let id = new_id();
        let at = now();
        sqlx::query(
            "INSERT INTO uploads (tenant_id, upload_id, file_name, input_format, asset_name, body, \
                                  size, sha256, idempotency_key, status, attempts, created_at, \
                                  updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 0, $10, $10)",
        )
        .bind(tenant.as_str())
        .bind(&id)
        .bind(&upload.file_name)
        .bind(upload.input_format.as_deref())
        .bind(upload.asset_name.as_deref())
        .bind(upload.body)
        .bind(size)
        .bind(&sha256)
        .bind(upload.idempotency_key.as_deref())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            tenant,
            actor,
            "upload.enqueue",
            &format!("upload:{id}"),
            &serde_json::json!({
                "file": upload.file_name,
                "size": size,
                "sha256": sha256,
                "asset": upload.asset_name,
                "format": upload.input_format,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(UploadStatus {
            tenant: tenant.clone(),
            id,
            file_name: upload.file_name,
            input_format: upload.input_format,
            asset_name: upload.asset_name,
            size,
            sha256,
            idempotency_key: upload.idempotency_key,
            status: UploadState::Queued,
            error: None,
            summary: None,
            attempts: 0,
            created_at: at,
            updated_at: at,
            replayed: false,
        })
    }

    /// One upload's status (never its body).
    ///
    /// # Errors
    /// [`StoreError::UnknownUpload`] (also for another tenant's upload), or a database error.
    pub async fn upload(&self, tenant: &TenantId, id: &str) -> Result<UploadStatus, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {STATUS_COLUMNS} FROM uploads WHERE tenant_id = $1 AND upload_id = $2"
        )))
        .bind(tenant.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => status_from_row(&row),
            None => Err(StoreError::UnknownUpload { id: id.to_owned() }),
        }
    }

    /// The tenant's uploads, newest first (a page per [`UploadFilter`]; a limit of 0 means 100).
    ///
    /// # Errors
    /// A database error.
    pub async fn uploads(
        &self,
        tenant: &TenantId,
        filter: &UploadFilter,
    ) -> Result<Vec<UploadStatus>, StoreError> {
        let limit = if filter.limit == 0 { 100 } else { filter.limit };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {STATUS_COLUMNS} FROM uploads WHERE tenant_id = $1 \
             AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR upload_id < $3) \
             ORDER BY upload_id DESC LIMIT $4"
        )))
        .bind(tenant.as_str())
        .bind(filter.status.map(UploadState::as_str))
        .bind(filter.before.as_deref())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(status_from_row).collect()
    }

    /// How many uploads are queued or being processed, over every tenant (for metrics and
    /// readiness).
    ///
    /// # Errors
    /// A database error.
    pub async fn upload_backlog(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM uploads WHERE status IN ('queued', 'processing')",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Claims the oldest queued upload, or else one whose lease expired (its worker died), for
    /// `worker` until `lease` from now. `None` when there is nothing to do. Every claim
    /// increments `attempts`; an upload claimed [`MAX_ATTEMPTS`] times already is failed
    /// instead.
    ///
    /// # Errors
    /// [`StoreError::InvalidUpload`] for an unusable worker id, or a database error.
    pub async fn claim_upload(
        &self,
        worker: &str,
        lease: Duration,
    ) -> Result<Option<ClaimedUpload>, StoreError> {
        check_text("worker id", worker)?;
        let skip_locked = self.backend.skip_locked();
        loop {
            let mut tx = self.backend.begin_write(&self.pool).await?;
            let at = now();
            let mut candidate = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT tenant_id, upload_id, attempts, claimed_by FROM uploads \
                 WHERE status = 'queued' ORDER BY created_at, upload_id LIMIT 1{skip_locked}"
            )))
            .fetch_optional(&mut *tx)
            .await?;
            if candidate.is_none() {
                candidate = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT tenant_id, upload_id, attempts, claimed_by FROM uploads \
                     WHERE status = 'processing' AND lease_until <= $1 \
                     ORDER BY lease_until, upload_id LIMIT 1{skip_locked}"
                )))
                .bind(at)
                .fetch_optional(&mut *tx)
                .await?;
            }
            let Some(row) = candidate else {
                tx.rollback().await?;
                return Ok(None);
            };
            let tenant = TenantId::new(&row.try_get::<String, _>("tenant_id")?)?;
            let id: String = row.try_get("upload_id")?;
            let attempts: i64 = row.try_get("attempts")?;
            let previous: Option<String> = row.try_get("claimed_by")?;
            if let Some(previous) = &previous {
                if attempts >= MAX_ATTEMPTS {
                    let error = format!(
                        "gave up after {attempts} attempts: the worker processing it stopped \
                         each time (last: {previous})"
                    );
                    sqlx::query(
                        "UPDATE uploads SET status = 'failed', error = $1, lease_until = NULL, \
                         updated_at = $2 WHERE tenant_id = $3 AND upload_id = $4",
                    )
                    .bind(&error)
                    .bind(at)
                    .bind(tenant.as_str())
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                    audit(
                        &mut tx,
                        &tenant,
                        worker,
                        "upload.failed",
                        &format!("upload:{id}"),
                        &serde_json::json!({ "error": error, "attempts": attempts }),
                    )
                    .await?;
                    tx.commit().await?;
                    continue;
                }
                audit(
                    &mut tx,
                    &tenant,
                    worker,
                    "upload.reclaim",
                    &format!("upload:{id}"),
                    &serde_json::json!({ "from": previous, "attempt": attempts + 1 }),
                )
                .await?;
            }
            let lease_until = at.saturating_add(seconds(lease));
            let row = sqlx::query(
                "UPDATE uploads SET status = 'processing', claimed_by = $1, lease_until = $2, \
                 attempts = attempts + 1, updated_at = $3 \
                 WHERE tenant_id = $4 AND upload_id = $5 \
                 RETURNING file_name, input_format, asset_name, body, attempts",
            )
            .bind(worker)
            .bind(lease_until)
            .bind(at)
            .bind(tenant.as_str())
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
            let claimed = ClaimedUpload {
                file_name: row.try_get("file_name")?,
                input_format: row.try_get("input_format")?,
                asset_name: row.try_get("asset_name")?,
                body: row
                    .try_get::<Option<Vec<u8>>, _>("body")?
                    .unwrap_or_default(),
                attempts: row.try_get("attempts")?,
                tenant,
                id,
                worker: worker.to_owned(),
                lease_until,
            };
            tx.commit().await?;
            return Ok(Some(claimed));
        }
    }

    /// Extends a claim to `lease` from now, while a long import runs.
    ///
    /// # Errors
    /// [`StoreError::ClaimLost`] when another worker took the upload over, or a database error.
    pub async fn extend_lease(
        &self,
        claimed: &mut ClaimedUpload,
        lease: Duration,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let at = now();
        let until = at.saturating_add(seconds(lease));
        fence(&mut tx, claimed, at, Some(until)).await?;
        tx.commit().await?;
        claimed.lease_until = until;
        Ok(())
    }

    /// Stores a claimed upload's inventory in ONE transaction: the assets are imported (as
    /// [`Store::import_assets`] does, audited with actor `upload:<id>`), queued for rematch, and
    /// the upload marked `done` with the summary. Only if `claimed` still holds the upload:
    /// otherwise nothing is stored.
    ///
    /// # Errors
    /// [`StoreError::ClaimLost`], [`StoreError::InvalidAsset`], or a database error; in every
    /// case nothing was stored.
    pub async fn complete_upload(
        &self,
        claimed: &ClaimedUpload,
        imports: &[AssetImport<'_>],
    ) -> Result<Vec<ImportSummary>, StoreError> {
        for import in imports {
            validate_asset_name(import.name)?;
        }
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let at = now();
        // Fence first: on PostgreSQL the UPDATE locks the upload row, so no other worker can
        // reclaim it (their claim skips locked rows) while this transaction runs.
        fence(&mut tx, claimed, at, None).await?;
        let actor = format!("upload:{}", claimed.id);
        let summaries =
            import_in_tx(self.backend, &mut tx, &claimed.tenant, &actor, imports).await?;
        let keys: Vec<String> = imports.iter().map(|i| asset_key(i.name)).collect();
        queue_rematch_in_tx(&mut tx, &claimed.tenant, &keys, at).await?;
        let summary = serde_json::to_string(&summaries).map_err(|e| StoreError::Corrupt {
            table: "uploads",
            column: "summary",
            reason: e.to_string(),
        })?;
        sqlx::query(
            "UPDATE uploads SET status = 'done', summary = $1, error = NULL, lease_until = NULL, \
             updated_at = $2 WHERE tenant_id = $3 AND upload_id = $4",
        )
        .bind(summary)
        .bind(at)
        .bind(claimed.tenant.as_str())
        .bind(&claimed.id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &claimed.tenant,
            &claimed.worker,
            "upload.done",
            &format!("upload:{}", claimed.id),
            &serde_json::json!({
                "assets": summaries.iter().map(|s| s.asset.as_str()).collect::<Vec<_>>(),
                "attempt": claimed.attempts,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(summaries)
    }

    /// Marks a claimed upload `failed` for good with `error` (a parse error: retrying cannot
    /// help). Only if `claimed` still holds it.
    ///
    /// # Errors
    /// [`StoreError::ClaimLost`], or a database error.
    pub async fn fail_upload(
        &self,
        claimed: &ClaimedUpload,
        error: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let at = now();
        fence(&mut tx, claimed, at, None).await?;
        sqlx::query(
            "UPDATE uploads SET status = 'failed', error = $1, lease_until = NULL, updated_at = $2 \
             WHERE tenant_id = $3 AND upload_id = $4",
        )
        .bind(error)
        .bind(at)
        .bind(claimed.tenant.as_str())
        .bind(&claimed.id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &claimed.tenant,
            &claimed.worker,
            "upload.failed",
            &format!("upload:{}", claimed.id),
            &serde_json::json!({ "error": error, "attempt": claimed.attempts }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues assets (names or keys) of a tenant for rematch, for inventory changes that do not
    /// come through an upload.
    ///
    /// # Errors
    /// A database error.
    pub async fn queue_rematch(
        &self,
        tenant: &TenantId,
        assets: &[&str],
    ) -> Result<(), StoreError> {
        let keys: Vec<String> = assets.iter().map(|a| asset_key(a)).collect();
        let mut tx = self.backend.begin_write(&self.pool).await?;
        queue_rematch_in_tx(&mut tx, tenant, &keys, now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Up to `limit` assets waiting for rematch, longest waiting first. Taking does not remove:
    /// call [`Store::done_rematch`] after matching them.
    ///
    /// # Errors
    /// A database error.
    pub async fn take_rematch_batch(&self, limit: u32) -> Result<Vec<RematchItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT tenant_id, asset_key, queued_at FROM rematch_queue \
             ORDER BY queued_at, tenant_id, asset_key LIMIT $1",
        )
        .bind(i64::from(limit.max(1)))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RematchItem {
                    tenant: TenantId::new(&r.try_get::<String, _>("tenant_id")?)?,
                    asset_key: r.try_get("asset_key")?,
                    queued_at: r.try_get("queued_at")?,
                })
            })
            .collect()
    }

    /// Removes matched entries from the rematch queue, except those queued again since they
    /// were taken (their `queued_at` moved on). Returns how many were removed.
    ///
    /// # Errors
    /// A database error.
    pub async fn done_rematch(&self, items: &[RematchItem]) -> Result<u64, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let mut removed = 0;
        for item in items {
            removed += sqlx::query(
                "DELETE FROM rematch_queue \
                 WHERE tenant_id = $1 AND asset_key = $2 AND queued_at = $3",
            )
            .bind(item.tenant.as_str())
            .bind(&item.asset_key)
            .bind(item.queued_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(removed)
    }
}

/// Checks the claim and touches the upload row (moving the lease to `lease_until` if given),
/// inside the caller's transaction; [`StoreError::ClaimLost`] when the upload is no longer this
/// claim's.
async fn fence(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    claimed: &ClaimedUpload,
    at: i64,
    lease_until: Option<i64>,
) -> Result<(), StoreError> {
    let updated = sqlx::query(
        "UPDATE uploads SET updated_at = $5, lease_until = COALESCE($6, lease_until) \
         WHERE tenant_id = $1 AND upload_id = $2 \
         AND status = 'processing' AND claimed_by = $3 AND attempts = $4",
    )
    .bind(claimed.tenant.as_str())
    .bind(&claimed.id)
    .bind(&claimed.worker)
    .bind(claimed.attempts)
    .bind(at)
    .bind(lease_until)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::ClaimLost {
            id: claimed.id.clone(),
            worker: claimed.worker.clone(),
        })
    }
}

/// Queues assets for rematch. `queued_at` only grows for an entry (a re-queue in the same second
/// adds one), so an entry queued again while it was being matched differs from the one taken.
async fn queue_rematch_in_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant: &TenantId,
    keys: &[String],
    at: i64,
) -> Result<(), StoreError> {
    for key in keys {
        sqlx::query(
            "INSERT INTO rematch_queue (tenant_id, asset_key, queued_at) VALUES ($1, $2, $3) \
             ON CONFLICT (tenant_id, asset_key) DO UPDATE SET queued_at = \
                 CASE WHEN excluded.queued_at > rematch_queue.queued_at \
                      THEN excluded.queued_at ELSE rematch_queue.queued_at + 1 END",
        )
        .bind(tenant.as_str())
        .bind(key)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
