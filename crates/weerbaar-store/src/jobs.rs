//! Claims of scheduled job slots (`job_runs`), and the retention deletes the jobs run.
//!
//! A job runs once per time slot across every instance sharing the database. The `(job, slot)`
//! row is the claim: the first instance to insert it runs the slot; the others see the row and
//! skip. The holder keeps `lease_until` in the future while it works (heartbeat); when it dies,
//! the lease runs out and another instance takes the slot over, raising `fencing`. Every later
//! write of a claim (renew, finish) names the fencing it was given, so a holder that was taken
//! over (paused, partitioned, slow) can no longer touch the row.
//!
//! Time is passed in (`now`, Unix seconds) rather than read from the database clock: SQLite and
//! PostgreSQL then agree exactly, tests control time, and instances compare leases by their own
//! clocks, which therefore must be synchronised (NTP) to well within a lease.
//!
//! `job_runs` is a global system table: it belongs to no tenant, so it is neither keyed by
//! tenant nor audited (the row is its own record). On Citus it is a reference table.

use serde::Serialize;
use sqlx::Row;

use crate::{Store, StoreError, TenantId, audit};

/// Where a slot's run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Running,
    Done,
    Failed,
}

impl JobStatus {
    /// The stored spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "running" => Ok(JobStatus::Running),
            "done" => Ok(JobStatus::Done),
            "failed" => Ok(JobStatus::Failed),
            other => Err(StoreError::Corrupt {
                table: "job_runs",
                column: "status",
                reason: format!("unknown status {other:?}"),
            }),
        }
    }
}

/// A slot this holder owns, as long as its fencing is the row's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobClaim {
    pub job: String,
    pub slot: i64,
    pub holder: String,
    /// 1 for the first holder, raised by each takeover.
    pub fencing: i64,
}

/// One slot's run, for status pages and metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRun {
    pub job: String,
    pub slot: i64,
    pub holder: String,
    pub lease_until: i64,
    pub fencing: i64,
    pub status: JobStatus,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub detail: Option<String>,
}

/// What [`Store::prune_imports`] or [`Store::drop_upload_bodies`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PruneSummary {
    /// Tenants that had rows deleted.
    pub tenants: usize,
    /// Rows deleted.
    pub rows: u64,
}

impl Store {
    /// Claims `(job, slot)` for `holder` until `now + lease` seconds: a new slot, or a running one
    /// whose lease expired before `now` (its holder died), which is taken over with the fencing
    /// raised. `None` when the slot is finished (done or failed) or another holder's lease is
    /// still current.
    ///
    /// # Errors
    /// A database error.
    pub async fn claim_slot(
        &self,
        job: &str,
        slot: i64,
        holder: &str,
        now: i64,
        lease: i64,
    ) -> Result<Option<JobClaim>, StoreError> {
        let until = now.saturating_add(lease);
        let inserted = sqlx::query(
            "INSERT INTO job_runs (job, slot, holder, lease_until, fencing, status, started_at) \
             VALUES ($1, $2, $3, $4, 1, 'running', $5) ON CONFLICT (job, slot) DO NOTHING",
        )
        .bind(job)
        .bind(slot)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Some(JobClaim {
                job: job.to_owned(),
                slot,
                holder: holder.to_owned(),
                fencing: 1,
            }));
        }
        // One statement, so two instances taking over at once cannot both win: PostgreSQL
        // re-checks the WHERE on the locked row after the first commits, SQLite serialises
        // writers.
        let fencing: Option<i64> = sqlx::query_scalar(
            "UPDATE job_runs SET holder = $1, lease_until = $2, fencing = fencing + 1, \
             started_at = $3 \
             WHERE job = $4 AND slot = $5 AND status = 'running' AND lease_until < $3 \
             RETURNING fencing",
        )
        .bind(holder)
        .bind(until)
        .bind(now)
        .bind(job)
        .bind(slot)
        .fetch_optional(&self.pool)
        .await?;
        Ok(fencing.map(|fencing| JobClaim {
            job: job.to_owned(),
            slot,
            holder: holder.to_owned(),
            fencing,
        }))
    }

    /// Extends the claim's lease to `now + lease`. `false` when the claim was lost (taken over,
    /// or already finished): the holder must stop.
    ///
    /// A lease that ran out but was not taken over yet is renewed: nobody else has the slot, so
    /// the holder may go on.
    ///
    /// # Errors
    /// A database error.
    pub async fn renew_claim(
        &self,
        claim: &JobClaim,
        now: i64,
        lease: i64,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE job_runs SET lease_until = $1 \
             WHERE job = $2 AND slot = $3 AND fencing = $4 AND status = 'running'",
        )
        .bind(now.saturating_add(lease))
        .bind(&claim.job)
        .bind(claim.slot)
        .bind(claim.fencing)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Records the slot's outcome, only while the claim is still the row's. `false` when it was
    /// lost: the outcome of a taken-over run is not recorded.
    ///
    /// # Errors
    /// A database error.
    pub async fn finish_claim(
        &self,
        claim: &JobClaim,
        now: i64,
        status: JobStatus,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE job_runs SET status = $1, finished_at = $2, detail = $3 \
             WHERE job = $4 AND slot = $5 AND fencing = $6 AND status = 'running'",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(detail)
        .bind(&claim.job)
        .bind(claim.slot)
        .bind(claim.fencing)
        .execute(&self.pool)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// The job's `n` latest slots, newest first.
    ///
    /// # Errors
    /// A database error, or a stored status this binary does not know.
    pub async fn last_runs(&self, job: &str, n: u32) -> Result<Vec<JobRun>, StoreError> {
        let rows = sqlx::query(
            "SELECT job, slot, holder, lease_until, fencing, status, started_at, finished_at, \
             detail FROM job_runs WHERE job = $1 ORDER BY slot DESC LIMIT $2",
        )
        .bind(job)
        .bind(i64::from(n))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(JobRun {
                    job: r.try_get("job")?,
                    slot: r.try_get("slot")?,
                    holder: r.try_get("holder")?,
                    lease_until: r.try_get("lease_until")?,
                    fencing: r.try_get("fencing")?,
                    status: JobStatus::parse(&status)?,
                    started_at: r.try_get("started_at")?,
                    finished_at: r.try_get("finished_at")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Deletes the records of runs that finished before `before` (Unix seconds). Running slots
    /// stay, whatever their age: they are someone's claim.
    ///
    /// # Errors
    /// A database error.
    pub async fn prune_job_runs(&self, before: i64) -> Result<u64, StoreError> {
        let deleted =
            sqlx::query("DELETE FROM job_runs WHERE status <> 'running' AND finished_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?;
        Ok(deleted.rows_affected())
    }

    /// Deletes import history older than `before` (Unix seconds), except each asset's latest
    /// import, which says where its current inventory came from. One transaction per tenant,
    /// with an audit row naming what was deleted.
    ///
    /// # Errors
    /// A database error; tenants pruned before it stay pruned.
    pub async fn prune_imports(
        &self,
        before: i64,
        actor: &str,
    ) -> Result<PruneSummary, StoreError> {
        self.prune_each_tenant(
            "DELETE FROM imports WHERE tenant_id = $1 AND imported_at < $2 \
             AND EXISTS (SELECT 1 FROM imports newer \
                 WHERE newer.tenant_id = imports.tenant_id \
                   AND newer.asset_key = imports.asset_key \
                   AND (newer.imported_at > imports.imported_at \
                        OR (newer.imported_at = imports.imported_at \
                            AND newer.import_id > imports.import_id)))",
            before,
            actor,
            ("retention.imports", "imports", "deleted"),
        )
        .await
    }

    /// Drops the bodies of finished (done or failed) uploads last updated before `before` (Unix
    /// seconds), keeping their status rows: what was uploaded and how it ended stays
    /// answerable, the bytes go. One transaction per tenant, with an audit row.
    ///
    /// # Errors
    /// A database error; tenants done before it stay done.
    pub async fn drop_upload_bodies(
        &self,
        before: i64,
        actor: &str,
    ) -> Result<PruneSummary, StoreError> {
        self.prune_each_tenant(
            "UPDATE uploads SET body = NULL WHERE tenant_id = $1 AND body IS NOT NULL \
             AND status IN ('done', 'failed') AND updated_at < $2",
            before,
            actor,
            ("retention.upload-bodies", "uploads", "dropped"),
        )
        .await
    }

    /// Runs one retention statement (`$1` the tenant, `$2` the cut-off) per tenant, each in its
    /// own transaction with an audit row `(action, object, {count_key: n, before})` when it
    /// changed anything, so a failure part-way leaves the tenants already done consistent.
    async fn prune_each_tenant(
        &self,
        sql: &'static str,
        before: i64,
        actor: &str,
        (action, object, count_key): (&str, &str, &str),
    ) -> Result<PruneSummary, StoreError> {
        let mut summary = PruneSummary::default();
        for tenant in self.tenants().await? {
            let mut tx = self.backend.begin_write(&self.pool).await?;
            let changed = sqlx::query(sql)
                .bind(tenant.id.as_str())
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed > 0 {
                audit(
                    &mut tx,
                    &tenant.id,
                    actor,
                    action,
                    object,
                    &serde_json::json!({ count_key: changed, "before": before }),
                )
                .await?;
                summary.tenants += 1;
                summary.rows += changed;
            }
            tx.commit().await?;
        }
        Ok(summary)
    }

    /// Whether the upload's body is still stored (`None` for an unknown upload): retention drops
    /// it once the upload is finished and old.
    ///
    /// # Errors
    /// A database error.
    pub async fn upload_body_retained(
        &self,
        tenant: &TenantId,
        upload: &str,
    ) -> Result<Option<bool>, StoreError> {
        let retained: Option<i64> = sqlx::query_scalar(
            "SELECT CASE WHEN body IS NULL THEN 0 ELSE 1 END FROM uploads \
             WHERE tenant_id = $1 AND upload_id = $2",
        )
        .bind(tenant.as_str())
        .bind(upload)
        .fetch_optional(&self.pool)
        .await?;
        Ok(retained.map(|r| r == 1))
    }
}
