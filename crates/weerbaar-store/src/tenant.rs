//! Tenants: the municipalities (and the provider itself) whose data weerbaar keeps apart.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sqlx::Row;

use crate::{Store, StoreError, audit, now};

/// A tenant's id: a lowercase slug (`gemeente-diest`), used in URLs, file names and as the
/// sharding key, so it is restricted to characters that are safe in all three.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    /// Validates `id`.
    ///
    /// # Errors
    /// [`StoreError::InvalidTenant`].
    pub fn new(id: &str) -> Result<Self, StoreError> {
        let valid = !id.is_empty()
            && id.len() <= 63
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-');
        if valid {
            Ok(Self(id.to_owned()))
        } else {
            Err(StoreError::InvalidTenant { id: id.to_owned() })
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TenantId {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stored tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub created_at: i64,
}

impl Store {
    /// Creates a tenant.
    ///
    /// # Errors
    /// [`StoreError::TenantExists`], or a database error.
    pub async fn add_tenant(
        &self,
        id: &TenantId,
        name: &str,
        actor: &str,
    ) -> Result<Tenant, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let created_at = now();
        let inserted = sqlx::query(
            "INSERT INTO tenants (tenant_id, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (tenant_id) DO NOTHING",
        )
        .bind(id.as_str())
        .bind(name)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::TenantExists { id: id.to_string() });
        }
        audit(
            &mut tx,
            id,
            actor,
            "tenant.create",
            &format!("tenant:{id}"),
            &serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(Tenant {
            id: id.clone(),
            name: name.to_owned(),
            created_at,
        })
    }

    /// Every tenant, by id.
    ///
    /// # Errors
    /// A database error.
    pub async fn tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let rows =
            sqlx::query("SELECT tenant_id, name, created_at FROM tenants ORDER BY tenant_id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(tenant_from_row).collect()
    }

    /// One tenant.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], or a database error.
    pub async fn tenant(&self, id: &TenantId) -> Result<Tenant, StoreError> {
        let row =
            sqlx::query("SELECT tenant_id, name, created_at FROM tenants WHERE tenant_id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some(row) => tenant_from_row(&row),
            None => Err(StoreError::UnknownTenant { id: id.to_string() }),
        }
    }
}

fn tenant_from_row(row: &sqlx::any::AnyRow) -> Result<Tenant, StoreError> {
    let id: String = row.try_get("tenant_id")?;
    Ok(Tenant {
        id: TenantId::new(&id).map_err(|e| StoreError::Corrupt {
            table: "tenants",
            column: "tenant_id",
            reason: e.to_string(),
        })?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
    })
}
