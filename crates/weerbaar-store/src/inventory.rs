//! Assets and their components: storing imports, listing and showing what is stored.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use weerbaar_inventory::model::{
    Asset, AssetKind, Component, Criticality, Exposure, Location, OperatingSystem, Source,
};
use weerbaar_inventory::{Format, ImportedAsset};

use crate::{Backend, Store, StoreError, TenantId, audit, ensure_tenant, new_id, now};

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const INSERT_BATCH: usize = 500;
const COMPONENT_COLUMNS: usize = 15;

/// One asset's part of an import: what the file said, already merged with the command line.
#[derive(Debug, Clone)]
pub struct AssetImport<'a> {
    pub asset: &'a ImportedAsset,
    /// The asset's name (from the file, or `--asset`).
    pub name: &'a str,
    pub file: &'a str,
    pub format: Format,
}

/// What an import changed on one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub asset: String,
    pub file: String,
    pub components: usize,
    pub added: usize,
    pub removed: usize,
    pub kept: usize,
    pub created: bool,
}

/// One row of the import history: every stored import of an asset, from the CLI or an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub id: String,
    pub asset: String,
    pub file: String,
    pub format: String,
    pub components: i64,
    pub added: i64,
    pub removed: i64,
    pub imported_at: i64,
}

/// An asset with the size of its inventory, as `inventory list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetSummary {
    #[serde(flatten)]
    pub asset: Asset,
    pub components: i64,
    pub updated_at: i64,
}

/// An asset with every stored component, as `inventory show` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAsset {
    #[serde(flatten)]
    pub asset: Asset,
    pub created_at: i64,
    pub updated_at: i64,
    pub components: Vec<StoredComponent>,
}

/// A component with the dates it was first and last seen in an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredComponent {
    #[serde(flatten)]
    pub component: Component,
    pub first_seen: i64,
    pub last_seen: i64,
}

/// The identity of a component on an asset: the same package at the same version keeps its
/// first-seen date across imports; an upgrade is a new component (and the old one disappears).
///
/// Stored as a 128-bit FNV-1a hash of (ecosystem, name, version, purl) in hex: a fixed 32 bytes
/// keeps the primary-key index small (a 100k-component import writes it 100k times), the hash is
/// stable across Rust versions (unlike `DefaultHasher`), and 128 bits make a collision within one
/// asset's components practically impossible.
fn component_key(c: &Component) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    let fields = [
        c.ecosystem.as_deref().unwrap_or(""),
        c.name.as_str(),
        c.version.as_deref().unwrap_or(""),
        c.purl.as_deref().unwrap_or(""),
    ];
    for field in fields {
        for &byte in field.as_bytes().iter().chain(&[0x1f]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

/// Asset names are matched case-insensitively: `WEB01` and `web01` are one host.
pub(crate) fn asset_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub(crate) fn validate_asset_name(name: &str) -> Result<(), StoreError> {
    let reason = if name.trim().is_empty() {
        Some("it is empty")
    } else if name.len() > 255 {
        Some("it is longer than 255 bytes")
    } else if name.chars().any(char::is_control) {
        Some("it contains control characters")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidAsset {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

impl Store {
    /// Stores one or more asset inventories in ONE transaction: each asset's component set is
    /// replaced by the imported one, first-seen dates survive for components that stayed, and
    /// the asset's attributes are updated where the import gives them. On any error nothing is
    /// stored.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], [`StoreError::InvalidAsset`], or a database error.
    pub async fn import_assets(
        &self,
        tenant: &TenantId,
        actor: &str,
        imports: &[AssetImport<'_>],
    ) -> Result<Vec<ImportSummary>, StoreError> {
        for import in imports {
            validate_asset_name(import.name)?;
        }
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let summaries = import_in_tx(self.backend, &mut tx, tenant, actor, imports).await?;
        tx.commit().await?;
        Ok(summaries)
    }

    /// The tenant's import history (newest first), of one asset or of all.
    ///
    /// # Errors
    /// A database error.
    pub async fn import_history(
        &self,
        tenant: &TenantId,
        asset: Option<&str>,
    ) -> Result<Vec<ImportRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.*, COALESCE(a.name, i.asset_key) AS asset_name FROM imports i \
             LEFT JOIN assets a ON a.tenant_id = i.tenant_id AND a.asset_key = i.asset_key \
             WHERE i.tenant_id = $1 AND ($2 IS NULL OR i.asset_key = $2) \
             ORDER BY i.imported_at DESC, i.import_id DESC",
        )
        .bind(tenant.as_str())
        .bind(asset.map(asset_key))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ImportRecord {
                    id: r.try_get("import_id")?,
                    asset: r.try_get("asset_name")?,
                    file: r.try_get("file")?,
                    format: r.try_get("format")?,
                    components: r.try_get("components")?,
                    added: r.try_get("added")?,
                    removed: r.try_get("removed")?,
                    imported_at: r.try_get("imported_at")?,
                })
            })
            .collect()
    }

    /// The tenant's assets with their component counts, by name.
    ///
    /// # Errors
    /// A database error.
    pub async fn list_assets(&self, tenant: &TenantId) -> Result<Vec<AssetSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.*, a.component_count AS n \
             FROM assets a WHERE a.tenant_id = $1 ORDER BY a.asset_key",
        )
        .bind(tenant.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AssetSummary {
                    asset: asset_from_row(row)?,
                    components: row.try_get("n")?,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// One asset with all its components, or `None` if the tenant has no such asset.
    ///
    /// # Errors
    /// A database error.
    pub async fn asset(
        &self,
        tenant: &TenantId,
        name: &str,
    ) -> Result<Option<StoredAsset>, StoreError> {
        let key = asset_key(name);
        let Some(row) = sqlx::query("SELECT * FROM assets WHERE tenant_id = $1 AND asset_key = $2")
            .bind(tenant.as_str())
            .bind(&key)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let components = sqlx::query(
            "SELECT * FROM components WHERE tenant_id = $1 AND asset_key = $2 \
             ORDER BY ecosystem, name, version",
        )
        .bind(tenant.as_str())
        .bind(&key)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(StoredAsset {
            asset: asset_from_row(&row)?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            components: components
                .iter()
                .map(component_from_row)
                .collect::<Result<_, _>>()?,
        }))
    }
}

/// The body of [`Store::import_assets`], inside the caller's write transaction (begun with
/// [`Backend::begin_write`]), so that an upload's completion can store its imports, queue them
/// for rematch and mark the upload done all in one transaction.
pub(crate) async fn import_in_tx(
    backend: Backend,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant: &TenantId,
    actor: &str,
    imports: &[AssetImport<'_>],
) -> Result<Vec<ImportSummary>, StoreError> {
    for import in imports {
        validate_asset_name(import.name)?;
    }
    ensure_tenant(tx, tenant).await?;
    let keys: Vec<String> = imports.iter().map(|i| asset_key(i.name)).collect();
    backend.lock_assets(tx, tenant.as_str(), &keys).await?;
    let at = now();
    let mut summaries = Vec::with_capacity(imports.len());
    for import in imports {
        let summary = import_one(backend, tx, tenant, import, at).await?;
        audit(
            tx,
            tenant,
            actor,
            "inventory.import",
            &format!("asset:{}", import.name),
            &serde_json::json!({
                "file": import.file,
                "format": import.format.name(),
                "components": summary.components,
                "added": summary.added,
                "removed": summary.removed,
            }),
        )
        .await?;
        summaries.push(summary);
    }
    Ok(summaries)
}

async fn import_one(
    backend: Backend,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant: &TenantId,
    import: &AssetImport<'_>,
    at: i64,
) -> Result<ImportSummary, StoreError> {
    let key = asset_key(import.name);
    let a = import.asset;
    let existed: Option<String> =
        sqlx::query_scalar("SELECT asset_key FROM assets WHERE tenant_id = $1 AND asset_key = $2")
            .bind(tenant.as_str())
            .bind(&key)
            .fetch_optional(&mut **tx)
            .await?;
    // Attributes the file does not give keep their stored value (COALESCE with the old row), so
    // re-importing a bare dpkg status file does not wipe the zone or criticality set earlier.
    sqlx::query(
        "INSERT INTO assets (tenant_id, asset_key, name, kind, os_id, os_version, os, zone, owner, \
                             criticality, exposure, tags, created_at, updated_at) \
         VALUES ($1, $2, $3, COALESCE($4, 'host'), $5, $6, $7, $8, $9, \
                 COALESCE($10, 'normal'), COALESCE($11, 'internal'), COALESCE($12, '[]'), $13, $13) \
         ON CONFLICT (tenant_id, asset_key) DO UPDATE SET \
             name = excluded.name, \
             kind = COALESCE($4, assets.kind), \
             os_id = COALESCE($5, assets.os_id), \
             os_version = COALESCE($6, assets.os_version), \
             os = COALESCE($7, assets.os), \
             zone = COALESCE($8, assets.zone), \
             owner = COALESCE($9, assets.owner), \
             criticality = COALESCE($10, assets.criticality), \
             exposure = COALESCE($11, assets.exposure), \
             tags = COALESCE($12, assets.tags), \
             updated_at = $13",
    )
    .bind(tenant.as_str())
    .bind(&key)
    .bind(import.name.trim())
    .bind(a.kind.map(AssetKind::as_str))
    .bind(a.os.as_ref().map(|o| o.id.clone()))
    .bind(a.os.as_ref().and_then(|o| o.version_id.clone()))
    .bind(a.os.as_ref().map(json_text))
    .bind(a.zone.clone())
    .bind(a.owner.clone())
    .bind(a.criticality.map(Criticality::as_str))
    .bind(a.exposure.map(Exposure::as_str))
    .bind((!a.tags.is_empty()).then(|| json_text(&a.tags)))
    .bind(at)
    .execute(&mut **tx)
    .await?;

    let previous: HashMap<String, Previous> = sqlx::query(
        "SELECT component_key, first_seen, cpe, vendor, source_name, source_version, \
                source_file, source_location \
         FROM components WHERE tenant_id = $1 AND asset_key = $2",
    )
    .bind(tenant.as_str())
    .bind(&key)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("component_key")?,
            Previous {
                first_seen: r.try_get("first_seen")?,
                cpe: r.try_get("cpe")?,
                vendor: r.try_get("vendor")?,
                source_name: r.try_get("source_name")?,
                source_version: r.try_get("source_version")?,
                source_file: r.try_get("source_file")?,
                source_location: r.try_get("source_location")?,
            },
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;

    // The same package listed twice (an SBOM that nests a library in two places) is one
    // component; the first occurrence's source location is kept as the evidence.
    let mut seen = HashSet::new();
    let components: Vec<(String, &Component, String)> = a
        .components
        .iter()
        .map(|c| (component_key(c), c))
        .filter(|(k, _)| seen.insert(k.clone()))
        .map(|(k, c)| (k, c, json_text(&c.source.location)))
        .collect();

    // Only what changed is written: a daily re-import of 1,500 packages with a few upgrades
    // deletes and inserts those few (every row written costs three index updates), and moves
    // `last_seen` of the rest with one UPDATE of an unindexed column. A component whose other
    // columns changed (a new source location) is rewritten, keeping its first-seen date.
    let unchanged: HashSet<&str> = components
        .iter()
        .filter(|(k, c, location)| previous.get(k).is_some_and(|p| p.describes(c, location)))
        .map(|(k, _, _)| k.as_str())
        .collect();
    let stale: Vec<&str> = previous
        .keys()
        .map(String::as_str)
        .filter(|k| !unchanged.contains(k))
        .collect();
    for chunk in stale.chunks(INSERT_BATCH) {
        let sql = match backend {
            Backend::Sqlite => format!(
                "DELETE FROM components WHERE tenant_id = ? AND asset_key = ? \
                 AND component_key IN ({})",
                vec!["?"; chunk.len()].join(",")
            ),
            Backend::Postgres => format!(
                "DELETE FROM components WHERE tenant_id = $1 AND asset_key = $2 \
                 AND component_key IN ({})",
                (3..chunk.len() + 3)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        };
        // Built only from placeholders: no user text reaches the SQL.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(tenant.as_str())
            .bind(&key);
        for k in chunk {
            query = query.bind(*k);
        }
        query.execute(&mut **tx).await?;
    }
    if !unchanged.is_empty() {
        sqlx::query("UPDATE components SET last_seen = $1 WHERE tenant_id = $2 AND asset_key = $3")
            .bind(at)
            .bind(tenant.as_str())
            .bind(&key)
            .execute(&mut **tx)
            .await?;
    }
    let fresh: Vec<&(String, &Component, String)> = components
        .iter()
        .filter(|(k, _, _)| !unchanged.contains(k.as_str()))
        .collect();
    for chunk in fresh.chunks(INSERT_BATCH) {
        let mut sql = String::from(
            "INSERT INTO components (tenant_id, asset_key, component_key, ecosystem, name, \
             version, purl, cpe, vendor, source_name, source_version, source_file, \
             source_location, first_seen, last_seen) VALUES ",
        );
        sql.push_str(&backend.values_rows(chunk.len(), COMPONENT_COLUMNS));
        // Built only from placeholders and constant column names: no user text reaches the SQL.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (ckey, c, location) in chunk {
            let first_seen = previous.get(ckey).map_or(at, |p| p.first_seen);
            query = query
                .bind(tenant.as_str())
                .bind(&key)
                .bind(ckey.as_str())
                .bind(c.ecosystem.as_deref())
                .bind(c.name.as_str())
                .bind(c.version.as_deref())
                .bind(c.purl.as_deref())
                .bind(c.cpe.as_deref())
                .bind(c.vendor.as_deref())
                .bind(c.source_name.as_deref())
                .bind(c.source_version.as_deref())
                .bind(c.source.file.as_str())
                .bind(location.as_str())
                .bind(first_seen)
                .bind(at);
        }
        query.execute(&mut **tx).await?;
    }

    let kept = components
        .iter()
        .filter(|(k, _, _)| previous.contains_key(k))
        .count();
    let added = components.len() - kept;
    let removed = previous.len() - kept;
    sqlx::query(
        "INSERT INTO imports (tenant_id, import_id, asset_key, file, format, components, added, \
                              removed, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tenant.as_str())
    .bind(new_id())
    .bind(&key)
    .bind(import.file)
    .bind(import.format.name())
    .bind(count(components.len()))
    .bind(count(added))
    .bind(count(removed))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE assets SET component_count = $1 WHERE tenant_id = $2 AND asset_key = $3")
        .bind(count(components.len()))
        .bind(tenant.as_str())
        .bind(&key)
        .execute(&mut **tx)
        .await?;
    Ok(ImportSummary {
        asset: import.name.trim().to_owned(),
        file: import.file.to_owned(),
        components: components.len(),
        added,
        removed,
        kept,
        created: existed.is_none(),
    })
}

/// A stored component's columns beyond its key, to tell whether a re-import changed it.
struct Previous {
    first_seen: i64,
    cpe: Option<String>,
    vendor: Option<String>,
    source_name: Option<String>,
    source_version: Option<String>,
    source_file: String,
    source_location: String,
}

impl Previous {
    /// Whether the stored row already says everything `c` says (the key covers ecosystem,
    /// name, version and purl).
    fn describes(&self, c: &Component, location: &str) -> bool {
        self.cpe.as_deref() == c.cpe.as_deref()
            && self.vendor.as_deref() == c.vendor.as_deref()
            && self.source_name.as_deref() == c.source_name.as_deref()
            && self.source_version.as_deref() == c.source_version.as_deref()
            && self.source_file == c.source.file
            && self.source_location == location
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn corrupt(column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "assets",
        column,
        reason: reason.to_string(),
    }
}

pub(crate) fn asset_from_row(row: &AnyRow) -> Result<Asset, StoreError> {
    let kind: String = row.try_get("kind")?;
    let criticality: String = row.try_get("criticality")?;
    let exposure: String = row.try_get("exposure")?;
    let tags: String = row.try_get("tags")?;
    let os: Option<String> = row.try_get("os")?;
    Ok(Asset {
        name: row.try_get("name")?,
        kind: kind.parse().map_err(|e| corrupt("kind", e))?,
        os: os
            .map(|s| serde_json::from_str::<OperatingSystem>(&s))
            .transpose()
            .map_err(|e| corrupt("os", e))?,
        zone: row.try_get("zone")?,
        owner: row.try_get("owner")?,
        criticality: criticality.parse().map_err(|e| corrupt("criticality", e))?,
        exposure: exposure.parse().map_err(|e| corrupt("exposure", e))?,
        tags: serde_json::from_str(&tags).map_err(|e| corrupt("tags", e))?,
    })
}

pub(crate) fn component_from_row(row: &AnyRow) -> Result<StoredComponent, StoreError> {
    let location: String = row.try_get("source_location")?;
    let location: Location = serde_json::from_str(&location).map_err(|e| StoreError::Corrupt {
        table: "components",
        column: "source_location",
        reason: e.to_string(),
    })?;
    Ok(StoredComponent {
        component: Component {
            ecosystem: row.try_get("ecosystem")?,
            name: row.try_get("name")?,
            version: row.try_get("version")?,
            purl: row.try_get("purl")?,
            cpe: row.try_get("cpe")?,
            vendor: row.try_get("vendor")?,
            source_name: row.try_get("source_name")?,
            source_version: row.try_get("source_version")?,
            source: Source {
                file: row.try_get("source_file")?,
                location,
            },
        },
        first_seen: row.try_get("first_seen")?,
        last_seen: row.try_get("last_seen")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(eco: Option<&str>, name: &str, version: &str) -> Component {
        Component {
            ecosystem: eco.map(Into::into),
            name: name.into(),
            version: Some(version.into()),
            purl: None,
            cpe: None,
            vendor: None,
            source_name: None,
            source_version: None,
            source: Source {
                file: "f".into(),
                location: Location::Line(1),
            },
        }
    }

    #[test]
    fn component_keys_are_stable_and_separate_fields() {
        // Pinned: a changed key would reset every stored first-seen date.
        assert_eq!(
            component_key(&c(Some("Debian:12"), "bash", "5.2")),
            "b4cce546b9c97b40873ff8a9339cc9ba"
        );
        assert_eq!(component_key(&c(None, "", "")).len(), 32);
        assert_ne!(
            component_key(&c(Some("npm"), "ab", "c")),
            component_key(&c(Some("npm"), "a", "bc")),
            "field boundaries count"
        );
        assert_ne!(
            component_key(&c(Some("npm"), "a", "1")),
            component_key(&c(Some("PyPI"), "a", "1"))
        );
    }
}
