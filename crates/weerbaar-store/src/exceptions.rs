//! Exceptions: recorded decisions about findings (VEX-style), kept per tenant.
//!
//! The store does not interpret an exception: its body is the JSON the domain crate
//! (`weerbaar-plan`) serialises, with the scope's advisory id beside it for lookups. Adding
//! several (a VEX import) is one transaction; revoking keeps the row with who and when, because
//! an exception that was once in force explains why a finding was not patched.

use serde::Serialize;
use sqlx::Row;

use crate::{Store, StoreError, TenantId, audit, ensure_tenant, new_id, now};

/// An exception to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewException {
    /// The advisory id its scope names.
    pub advisory: String,
    /// The decision, as the domain serialises it.
    pub body: serde_json::Value,
}

/// A stored exception.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredException {
    pub id: String,
    pub body: serde_json::Value,
    pub created_at: i64,
    pub created_by: String,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<String>,
}

impl Store {
    /// Stores `exceptions` for `tenant` in one transaction, each with an audit entry, and
    /// returns their ids in order. On any error nothing is stored.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], or a database error.
    pub async fn add_exceptions(
        &self,
        tenant: &TenantId,
        actor: &str,
        exceptions: &[NewException],
    ) -> Result<Vec<String>, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        ensure_tenant(&mut tx, tenant).await?;
        let at = now();
        let mut ids = Vec::with_capacity(exceptions.len());
        for e in exceptions {
            let id = new_id();
            sqlx::query(
                "INSERT INTO exceptions (tenant_id, exception_id, advisory, body, created_at, \
                 created_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant.as_str())
            .bind(&id)
            .bind(e.advisory.trim().to_uppercase())
            .bind(e.body.to_string())
            .bind(at)
            .bind(actor)
            .execute(&mut *tx)
            .await?;
            audit(
                &mut tx,
                tenant,
                actor,
                "exception.add",
                &format!("exception:{id}"),
                &e.body,
            )
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The tenant's exceptions, oldest first; revoked ones only when `include_revoked`.
    ///
    /// # Errors
    /// A database error, or a body that is not JSON.
    pub async fn exceptions(
        &self,
        tenant: &TenantId,
        include_revoked: bool,
    ) -> Result<Vec<StoredException>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM exceptions WHERE tenant_id = $1 AND ($2 = 1 OR revoked_at IS NULL) \
             ORDER BY created_at, exception_id",
        )
        .bind(tenant.as_str())
        .bind(i64::from(include_revoked))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                Ok(StoredException {
                    id: r.try_get("exception_id")?,
                    body: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                        table: "exceptions",
                        column: "body",
                        reason: e.to_string(),
                    })?,
                    created_at: r.try_get("created_at")?,
                    created_by: r.try_get("created_by")?,
                    revoked_at: r.try_get("revoked_at")?,
                    revoked_by: r.try_get("revoked_by")?,
                })
            })
            .collect()
    }

    /// Revokes an exception (it stops applying now), with an audit entry. `false` when the
    /// tenant has no such exception in force.
    ///
    /// # Errors
    /// A database error.
    pub async fn revoke_exception(
        &self,
        tenant: &TenantId,
        actor: &str,
        id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE exceptions SET revoked_at = $1, revoked_by = $2 \
             WHERE tenant_id = $3 AND exception_id = $4 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(actor)
        .bind(tenant.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if done {
            audit(
                &mut tx,
                tenant,
                actor,
                "exception.revoke",
                &format!("exception:{id}"),
                &serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }
}
