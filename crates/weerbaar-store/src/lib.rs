//! weerbaar's storage: one code path over SQLite (the default) and PostgreSQL.
//!
//! The domain crates know nothing of SQL; this crate stores their values. The design follows
//! vaultwarden's: one set of queries for both backends, with every backend difference (connection
//! set-up, migration locking, migration files) confined to [`backend`].
//!
//! * **Tenant first.** Every table has `tenant_id` and leads its primary key with it, and every
//!   query filters on it: a request can only see its own tenant, and a provider that outgrows
//!   one database can distribute the tables by `tenant_id` (Citus) without a redesign.
//! * **All or nothing.** An import replaces an asset's component set inside one transaction, and
//!   a multi-file import is one transaction too: a failure leaves the stored data exactly as it
//!   was.
//! * **Audited.** Every change writes an `audit_log` row in the same transaction as the change.
//! * **Queues are tables.** Pushed inventories wait in `uploads` and changed assets in
//!   `rematch_queue`, so they are as durable and transactional as the data they feed; workers
//!   claim uploads with leases and fencing tokens (see the `uploads` module). Write transactions
//!   begin with SQLite's write lock ([`backend::Backend`]), so concurrent writers wait on the
//!   busy timeout instead of failing.
//! * **Portable values.** Timestamps are Unix seconds (BIGINT), structured values are JSON text,
//!   so the same rows mean the same on both backends.

pub mod backend;
mod error;
mod exceptions;
mod findings;
mod inventory;
mod jobs;
mod pages;
mod tenant;
mod tokens;
mod uploads;

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{Any, Pool};

pub use backend::Backend;
pub use error::StoreError;
pub use exceptions::{NewException, StoredException};
pub use findings::{
    CvssFact, EpssFact, FindingFacts, FindingFilter, KevFact, ObservedFinding, OpenAmong,
    PortfolioComponent, PortfolioPackage, RematchScope, RematchSummary, Resolution, StoredFinding,
    TenantComponent,
};
pub use inventory::{
    AssetImport, AssetSummary, ImportRecord, ImportSummary, StoredAsset, StoredComponent,
};
pub use jobs::{JobClaim, JobRun, JobStatus, PruneSummary};
pub use pages::{FindingQuery, FindingStatus, Page, PageRequest, Severity};
pub use tenant::{Tenant, TenantId};
pub use tokens::{AuthError, CreatedToken, NewToken, Scope, TOKEN_PREFIX, TokenInfo};
pub use uploads::{
    ClaimedUpload, MAX_ATTEMPTS, NewUpload, RematchItem, UploadFilter, UploadState, UploadStatus,
};

/// The file name of the default SQLite database inside the data directory.
pub const SQLITE_FILE: &str = "weerbaar.db";

/// A connection pool to weerbaar's database, with the schema migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool<Any>,
    backend: Backend,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`) and brings the schema up to date.
    ///
    /// # Errors
    /// [`StoreError`] when the URL is unsupported, the database is unreachable, or its schema is
    /// newer than this binary.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let backend = Backend::from_url(url)?;
        let pool = backend.connect(url).await?;
        backend.migrate(&pool).await?;
        Ok(Self { pool, backend })
    }

    /// Opens (creating it if needed) the SQLite database in `data_dir`.
    ///
    /// # Errors
    /// As [`Store::open`], or when the directory cannot be created.
    pub async fn open_data_dir(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Database(sqlx::Error::Configuration(
                format!("cannot create data directory {}: {e}", data_dir.display()).into(),
            ))
        })?;
        let path = data_dir.join(SQLITE_FILE);
        Self::open(&sqlite_url(&path)).await
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database's own consistency check (see [`Backend`]): the problems found, none when
    /// it is sound. Used after crashes and by the crash tests.
    ///
    /// # Errors
    /// [`StoreError::Database`] when the check cannot run.
    pub async fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        self.backend.integrity_check(&self.pool).await
    }

    /// Closes every connection (and, for SQLite, checkpoints the WAL).
    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// The `sqlite://` URL of a database file, created on first use.
#[must_use]
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// Now, in Unix seconds: the unit of every stored timestamp.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A unique, time-ordered id (for imports and audit entries): milliseconds since the epoch, the
/// process id and a counter, so ids from several server instances never collide and sort by time.
pub(crate) fn new_id() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{millis:013x}-{:08x}-{n:08x}", std::process::id())
}

/// Fails with [`StoreError::UnknownTenant`] unless `tenant` exists, inside the caller's
/// transaction (so a tenant deleted concurrently cannot slip between check and write).
pub(crate) async fn ensure_tenant(
    tx: &mut sqlx::Transaction<'_, Any>,
    tenant: &TenantId,
) -> Result<(), StoreError> {
    let exists: Option<String> =
        sqlx::query_scalar("SELECT tenant_id FROM tenants WHERE tenant_id = $1")
            .bind(tenant.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    if exists.is_none() {
        return Err(StoreError::UnknownTenant {
            id: tenant.to_string(),
        });
    }
    Ok(())
}

/// Writes one audit entry inside the caller's transaction.
pub(crate) async fn audit(
    tx: &mut sqlx::Transaction<'_, Any>,
    tenant: &TenantId,
    actor: &str,
    action: &str,
    object: &str,
    detail: &serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (tenant_id, audit_id, at, actor, action, object, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant.as_str())
    .bind(new_id())
    .bind(now())
    .bind(actor)
    .bind(action)
    .bind(object)
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub detail: serde_json::Value,
}

impl Store {
    /// The tenant's newest audit id: a revision of all its data, since every change writes an
    /// audit row in the same transaction. `None` for a tenant without any.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn revision(&self, tenant: &TenantId) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT MAX(audit_id) FROM audit_log WHERE tenant_id = $1")
                .bind(tenant.as_str())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The tenant's audit log, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditEntry>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT at, actor, action, object, detail FROM audit_log \
             WHERE tenant_id = $1 ORDER BY at, audit_id",
        )
        .bind(tenant.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEntry {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    object: r.try_get("object")?,
                    detail: serde_json::from_str(&detail).map_err(|e| StoreError::Corrupt {
                        table: "audit_log",
                        column: "detail",
                        reason: e.to_string(),
                    })?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Whether the database answers and its schema is the one this binary knows, for readiness
    /// probes: `Ok(version)` when current.
    ///
    /// # Errors
    /// A database error, or [`StoreError::SchemaTooNew`] / [`StoreError::Corrupt`] when the
    /// schema is not at [`backend::SCHEMA_VERSION`].
    pub async fn check_schema(&self) -> Result<i64, StoreError> {
        let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        let version = version.unwrap_or(0);
        match version.cmp(&backend::SCHEMA_VERSION) {
            std::cmp::Ordering::Equal => Ok(version),
            std::cmp::Ordering::Greater => Err(StoreError::SchemaTooNew {
                found: version,
                known: backend::SCHEMA_VERSION,
            }),
            std::cmp::Ordering::Less => Err(StoreError::Corrupt {
                table: "schema_migrations",
                column: "version",
                reason: format!(
                    "schema version {version} is older than {}; restart to migrate",
                    backend::SCHEMA_VERSION
                ),
            }),
        }
    }
}
