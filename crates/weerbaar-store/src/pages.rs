//! Keyset pagination for the API's list endpoints.
//!
//! A page is "the next `limit` rows after this key", never `OFFSET`: the cost of a page does not
//! grow with its depth, and rows inserted meanwhile neither repeat nor vanish between pages. The
//! cursor is the last row's sort key, hex-encoded so that callers treat it as opaque (and so it
//! survives any URL). A tenant can only page through its own rows however the cursor is forged:
//! every query still filters on the tenant first.

use serde::Serialize;
use sqlx::Row;

use crate::findings::finding_from_row;
use crate::inventory::{asset_from_row, asset_key, component_from_row};
use crate::{AssetSummary, Store, StoreError, StoredComponent, StoredFinding, Tenant, TenantId};

/// The largest page a caller may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The page size when none is asked for.
pub const DEFAULT_LIMIT: usize = 100;

/// Which page: at most `limit` items after `cursor` (from the start when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageRequest {
    /// Clamped to 1..=[`MAX_LIMIT`]; 0 means [`DEFAULT_LIMIT`].
    pub limit: usize,
    pub cursor: Option<String>,
}

impl PageRequest {
    fn limit(&self) -> usize {
        match self.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        }
    }

    fn key(&self) -> Result<Option<Vec<String>>, StoreError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// One page of items, and the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

fn encode_cursor(parts: &[&str]) -> String {
    use std::fmt::Write;
    let joined = parts.join("\u{1f}");
    let mut out = String::with_capacity(joined.len() * 2);
    for b in joined.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn decode_cursor(cursor: &str) -> Result<Vec<String>, StoreError> {
    if cursor.is_empty() || !cursor.len().is_multiple_of(2) || cursor.len() > 4096 {
        return Err(StoreError::InvalidCursor);
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            cursor
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(StoreError::InvalidCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| StoreError::InvalidCursor)?;
    Ok(text.split('\u{1f}').map(str::to_owned).collect())
}

/// A one-part key (an id), checked.
fn single(key: Option<Vec<String>>) -> Result<Option<String>, StoreError> {
    match key {
        None => Ok(None),
        Some(mut parts) if parts.len() == 1 => Ok(parts.pop()),
        Some(_) => Err(StoreError::InvalidCursor),
    }
}

/// Cuts `items` (fetched with one extra) to the page and sets the next cursor from its last.
fn page<T>(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next_cursor }
}

/// Which findings by state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindingStatus {
    #[default]
    Open,
    Resolved,
    All,
}

/// A CVSS severity band (CVSS v3/v4 qualitative ratings of the base score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// No score known, or 0.0.
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The band of a finding's CVSS base score.
    #[must_use]
    pub fn of(finding: &StoredFinding) -> Self {
        match finding.facts.cvss.as_ref().map(|c| c.base_score) {
            Some(s) if s >= 9.0 => Severity::Critical,
            Some(s) if s >= 7.0 => Severity::High,
            Some(s) if s >= 4.0 => Severity::Medium,
            Some(s) if s > 0.0 => Severity::Low,
            _ => Severity::None,
        }
    }
}

/// Filters of the findings list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingQuery {
    pub status: FindingStatus,
    /// Only findings whose vulnerability is in CISA's KEV catalogue (`Some(true)`) or not.
    pub kev: Option<bool>,
    /// Only findings of at least this severity.
    pub min_severity: Option<Severity>,
    /// Only findings on this asset (by name, any case).
    pub asset: Option<String>,
}

impl FindingQuery {
    fn filters_in_memory(&self) -> bool {
        self.kev.is_some() || self.min_severity.is_some()
    }

    fn admits(&self, f: &StoredFinding) -> bool {
        self.kev.is_none_or(|kev| f.facts.kev.is_some() == kev)
            && self.min_severity.is_none_or(|min| Severity::of(f) >= min)
    }
}

impl Store {
    /// Tenants by id, a page at a time.
    ///
    /// # Errors
    /// [`StoreError::InvalidCursor`], or a database error.
    pub async fn tenants_page(&self, req: &PageRequest) -> Result<Page<Tenant>, StoreError> {
        let limit = req.limit();
        let after = single(req.key()?)?;
        let rows = sqlx::query(
            "SELECT tenant_id, name, created_at FROM tenants WHERE tenant_id > $1 \
             ORDER BY tenant_id LIMIT $2",
        )
        .bind(after.unwrap_or_default())
        .bind(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get("tenant_id")?;
                Ok(Tenant {
                    id: TenantId::new(&id).map_err(|e| StoreError::Corrupt {
                        table: "tenants",
                        column: "tenant_id",
                        reason: e.to_string(),
                    })?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(page(items, limit, |t| encode_cursor(&[t.id.as_str()])))
    }

    /// The tenant's assets with their component counts, by key (lower-cased name).
    ///
    /// # Errors
    /// [`StoreError::InvalidCursor`], or a database error.
    pub async fn assets_page(
        &self,
        tenant: &TenantId,
        req: &PageRequest,
    ) -> Result<Page<AssetSummary>, StoreError> {
        let limit = req.limit();
        let after = single(req.key()?)?;
        let rows = sqlx::query(
            "SELECT a.*, a.component_count AS n \
             FROM assets a WHERE a.tenant_id = $1 AND a.asset_key > $2 \
             ORDER BY a.asset_key LIMIT $3",
        )
        .bind(tenant.as_str())
        .bind(after.unwrap_or_default())
        .bind(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get::<String, _>("asset_key")?,
                    AssetSummary {
                        asset: asset_from_row(row)?,
                        components: row.try_get("n")?,
                        updated_at: row.try_get("updated_at")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let page = page(items, limit, |(key, _)| encode_cursor(&[key]));
        Ok(Page {
            items: page.items.into_iter().map(|(_, a)| a).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// One asset with its component count, or `None` when the tenant has no such asset.
    ///
    /// # Errors
    /// A database error.
    pub async fn asset_summary(
        &self,
        tenant: &TenantId,
        name: &str,
    ) -> Result<Option<AssetSummary>, StoreError> {
        let row = sqlx::query(
            "SELECT a.*, a.component_count AS n \
             FROM assets a WHERE a.tenant_id = $1 AND a.asset_key = $2",
        )
        .bind(tenant.as_str())
        .bind(asset_key(name))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(AssetSummary {
                asset: asset_from_row(&row)?,
                components: row.try_get("n")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// The components of one asset, a page at a time in a stable order (their identity key).
    /// `None` when the tenant has no such asset.
    ///
    /// # Errors
    /// [`StoreError::InvalidCursor`], or a database error.
    pub async fn components_page(
        &self,
        tenant: &TenantId,
        asset: &str,
        req: &PageRequest,
    ) -> Result<Option<Page<StoredComponent>>, StoreError> {
        let limit = req.limit();
        let after = single(req.key()?)?;
        let key = asset_key(asset);
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT asset_key FROM assets WHERE tenant_id = $1 AND asset_key = $2",
        )
        .bind(tenant.as_str())
        .bind(&key)
        .fetch_optional(&self.pool)
        .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT * FROM components WHERE tenant_id = $1 AND asset_key = $2 \
             AND component_key > $3 ORDER BY component_key LIMIT $4",
        )
        .bind(tenant.as_str())
        .bind(&key)
        .bind(after.unwrap_or_default())
        .bind(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok((
                    row.try_get::<String, _>("component_key")?,
                    component_from_row(row)?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let page = page(items, limit, |(k, _)| encode_cursor(&[k]));
        Ok(Some(Page {
            items: page.items.into_iter().map(|(_, c)| c).collect(),
            next_cursor: page.next_cursor,
        }))
    }

    /// The tenant's findings, newest first (first seen, then id), filtered, a page at a time.
    ///
    /// KEV and severity live in the stored facts (JSON), so they are filtered here rather than
    /// in SQL: rows are read in batches after the cursor until the page is full, which keeps
    /// pages exact (a filtered page is as long as asked unless the list ends).
    ///
    /// # Errors
    /// [`StoreError::InvalidCursor`], or a database error.
    pub async fn findings_page(
        &self,
        tenant: &TenantId,
        query: &FindingQuery,
        req: &PageRequest,
    ) -> Result<Page<StoredFinding>, StoreError> {
        let limit = req.limit();
        let mut position: Option<(i64, String)> = match req.key()? {
            None => None,
            Some(parts) => match parts.as_slice() {
                [seen, id] => Some((
                    seen.parse().map_err(|_| StoreError::InvalidCursor)?,
                    id.clone(),
                )),
                _ => return Err(StoreError::InvalidCursor),
            },
        };
        // Filters the SQL cannot express (KEV, severity) are applied to the rows as they come;
        // without them one page is one query of exactly a page.
        let batch = if query.filters_in_memory() {
            (limit + 1).max(200)
        } else {
            limit + 1
        };
        let (open, resolved) = match query.status {
            FindingStatus::Open => (1_i64, 0_i64),
            FindingStatus::Resolved => (0, 1),
            FindingStatus::All => (0, 0),
        };
        let asset = query.asset.as_deref().map(asset_key);
        let mut items = Vec::new();
        loop {
            // Newest first, ties by id in the same direction, so both backends walk the
            // (tenant_id, first_seen, finding_id) index backwards and stop after one page; the
            // keyset condition is spelled out rather than a row comparison, which both plan well.
            let (seen, id) = position.clone().unwrap_or((i64::MAX, String::new()));
            let rows = sqlx::query(
                "SELECT f.*, a.name AS asset_name, a.criticality, a.exposure, a.zone \
                 FROM findings f LEFT JOIN assets a \
                   ON a.tenant_id = f.tenant_id AND a.asset_key = f.asset_key \
                 WHERE f.tenant_id = $1 \
                   AND ($2 = 0 OR f.resolved_at IS NULL) \
                   AND ($3 = 0 OR f.resolved_at IS NOT NULL) \
                   AND ($4 = '' OR f.asset_key = $4) \
                   AND (f.first_seen < $5 OR (f.first_seen = $5 AND f.finding_id < $6)) \
                 ORDER BY f.first_seen DESC, f.finding_id DESC LIMIT $7",
            )
            .bind(tenant.as_str())
            .bind(open)
            .bind(resolved)
            .bind(asset.clone().unwrap_or_default())
            .bind(seen)
            .bind(id)
            .bind(i64::try_from(batch).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
            let exhausted = rows.len() < batch;
            for row in &rows {
                let f = finding_from_row(row)?;
                position = Some((f.first_seen, f.finding_id.clone()));
                if query.admits(&f) {
                    items.push(f);
                    if items.len() > limit {
                        break;
                    }
                }
            }
            if exhausted || items.len() > limit {
                break;
            }
        }
        Ok(page(items, limit, |f| {
            encode_cursor(&[&f.first_seen.to_string(), &f.finding_id])
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let c = encode_cursor(&["1700000000", "abc-1"]);
        assert_eq!(
            decode_cursor(&c).expect("own cursor"),
            ["1700000000", "abc-1"]
        );
        for bad in ["", "x", "zz", "abc", "ff"] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }
}
