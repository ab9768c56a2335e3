//! Findings over time: what a rematch of a tenant's stored components found, kept from the
//! first rematch that saw it to the one in which it was gone.
//!
//! * **Identity survives feed changes.** A finding is one vulnerability on one component of one
//!   asset. Its preferred id can change between feed updates (a GHSA appears for a CVE and
//!   becomes the primary id), so an observation continues an open finding on the same component
//!   when their id sets share any id, not when one id string is equal.
//! * **Resolution says why.** An open finding that a rematch no longer observes is resolved at
//!   that rematch, with the reason read off the asset's current components: `upgraded` (the
//!   package is still there at another version), `removed` (it is gone), or `not-affected` (the
//!   component is unchanged; the advisory data changed, e.g. a withdrawn advisory or a corrected
//!   range).
//! * **Facts, not judgements.** Rows keep the facts as last observed (KEV, EPSS, CVSS, fixes);
//!   priority and due dates are computed from them by `weerbaar-plan`, so a changed policy
//!   never rewrites stored rows.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use weerbaar_inventory::model::Component;

use crate::inventory::asset_key;
use crate::{Store, StoreError, TenantId, audit, new_id, now};

/// What the feeds said about a finding's vulnerability when it was last observed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingFacts {
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub kev: Option<KevFact>,
    #[serde(default)]
    pub epss: Option<EpssFact>,
    #[serde(default)]
    pub cvss: Option<CvssFact>,
}

/// A KEV listing (dates as `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevFact {
    pub cve: String,
    pub date_added: String,
    pub due_date: String,
    pub ransomware: bool,
}

/// An EPSS score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpssFact {
    pub cve: String,
    pub score: f64,
    pub percentile: f64,
}

/// A CVSS base score computed from its vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssFact {
    pub version: String,
    pub vector: String,
    pub base_score: f64,
}

/// One stored component of a tenant, with the keys a rematch reports findings under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantComponent {
    pub asset_key: String,
    pub component_key: String,
    pub component: Component,
}

/// One finding, as a rematch observed it on a stored component.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedFinding {
    /// From [`TenantComponent::asset_key`].
    pub asset_key: String,
    /// From [`TenantComponent::component_key`].
    pub component_key: String,
    /// Every id of the vulnerability, the preferred one first.
    pub ids: Vec<String>,
    pub ecosystem: Option<String>,
    pub package: String,
    pub version: String,
    pub purl: Option<String>,
    pub fixed_versions: Vec<String>,
    /// `purl`, `ecosystem`, `cpe` or `name-mapping`.
    pub matched_by: String,
    pub cpe: Option<String>,
    pub facts: FindingFacts,
}

/// Why a finding was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resolution {
    /// The package is still on the asset, at another version.
    Upgraded,
    /// The package is no longer on the asset.
    Removed,
    /// The component is unchanged, but the advisories no longer say it is affected.
    NotAffected,
}

impl Resolution {
    fn as_str(self) -> &'static str {
        match self {
            Resolution::Upgraded => "upgraded",
            Resolution::Removed => "removed",
            Resolution::NotAffected => "not-affected",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "upgraded" => Some(Resolution::Upgraded),
            "removed" => Some(Resolution::Removed),
            "not-affected" => Some(Resolution::NotAffected),
            _ => None,
        }
    }
}

/// A stored finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFinding {
    pub tenant: String,
    pub finding_id: String,
    pub asset_key: String,
    /// The asset's display name.
    pub asset: String,
    pub criticality: String,
    pub exposure: String,
    pub zone: Option<String>,
    /// The preferred id when last observed.
    pub vuln_id: String,
    /// Every id, the preferred one first.
    pub ids: Vec<String>,
    pub ecosystem: Option<String>,
    pub package: String,
    pub version: String,
    pub purl: Option<String>,
    pub fixed_versions: Vec<String>,
    pub matched_by: String,
    pub cpe: Option<String>,
    pub facts: FindingFacts,
    pub first_seen: i64,
    pub last_seen: i64,
    pub resolved_at: Option<i64>,
    pub resolution: Option<Resolution>,
}

/// What one [`Store::record_findings`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RematchSummary {
    /// Findings seen for the first time.
    pub new: usize,
    /// Open findings seen again.
    pub still_open: usize,
    /// Open findings no longer seen, now resolved.
    pub resolved: usize,
}

/// Which findings to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// Only findings that are not resolved.
    pub open_only: bool,
    /// Only findings first seen at or after this time (Unix seconds).
    pub first_seen_since: Option<i64>,
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn corrupt(column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "findings",
        column,
        reason: reason.to_string(),
    }
}

fn upper_ids(ids: &[String]) -> HashSet<String> {
    ids.iter().map(|id| id.trim().to_uppercase()).collect()
}

struct OpenRow {
    finding_id: String,
    asset_key: String,
    component_key: String,
    ecosystem: Option<String>,
    package: String,
    ids: HashSet<String>,
}

impl Store {
    /// Every stored component of `tenant` (of the assets named in `assets`, when given), with
    /// the keys to report findings under.
    ///
    /// # Errors
    /// A database error, or a corrupt stored location.
    pub async fn tenant_components(
        &self,
        tenant: &TenantId,
        assets: Option<&[String]>,
    ) -> Result<Vec<TenantComponent>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM components WHERE tenant_id = $1 ORDER BY asset_key, component_key",
        )
        .bind(tenant.as_str())
        .fetch_all(&self.pool)
        .await?;
        let wanted: Option<HashSet<String>> =
            assets.map(|a| a.iter().map(|n| asset_key(n)).collect());
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let asset_key: String = row.try_get("asset_key")?;
            if wanted.as_ref().is_some_and(|w| !w.contains(&asset_key)) {
                continue;
            }
            out.push(TenantComponent {
                asset_key,
                component_key: row.try_get("component_key")?,
                component: crate::inventory::component_from_row(row)?.component,
            });
        }
        Ok(out)
    }

    /// Records what a rematch of `tenant` observed, in one transaction with an audit entry.
    ///
    /// `scope` names the assets that were rematched (`None`: all of the tenant's): open
    /// findings on them that `observed` does not contain are resolved now; findings on other
    /// assets are untouched. See the module documentation for identity and resolution.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], or a database error; nothing is stored then.
    pub async fn record_findings(
        &self,
        tenant: &TenantId,
        actor: &str,
        scope: Option<&[String]>,
        observed: &[ObservedFinding],
    ) -> Result<RematchSummary, StoreError> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT tenant_id FROM tenants WHERE tenant_id = $1")
                .bind(tenant.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(StoreError::UnknownTenant {
                id: tenant.to_string(),
            });
        }
        let scope_keys: Option<HashSet<String>> =
            scope.map(|s| s.iter().map(|n| asset_key(n)).collect());
        let in_scope = |key: &str| scope_keys.as_ref().is_none_or(|s| s.contains(key));

        let mut open: Vec<OpenRow> = Vec::new();
        for row in sqlx::query(
            "SELECT finding_id, asset_key, component_key, ecosystem, package, ids FROM findings \
             WHERE tenant_id = $1 AND resolved_at IS NULL",
        )
        .bind(tenant.as_str())
        .fetch_all(&mut *tx)
        .await?
        {
            let asset_key: String = row.try_get("asset_key")?;
            if !in_scope(&asset_key) {
                continue;
            }
            let ids: String = row.try_get("ids")?;
            let ids: Vec<String> = serde_json::from_str(&ids).map_err(|e| corrupt("ids", e))?;
            open.push(OpenRow {
                finding_id: row.try_get("finding_id")?,
                asset_key,
                component_key: row.try_get("component_key")?,
                ecosystem: row.try_get("ecosystem")?,
                package: row.try_get("package")?,
                ids: upper_ids(&ids),
            });
        }
        let mut by_component: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, o) in open.iter().enumerate() {
            by_component
                .entry((o.asset_key.as_str(), o.component_key.as_str()))
                .or_default()
                .push(i);
        }

        let mut summary = RematchSummary::default();
        let mut continued: HashSet<usize> = HashSet::new();
        for f in observed {
            let ids = upper_ids(&f.ids);
            let existing = by_component
                .get(&(f.asset_key.as_str(), f.component_key.as_str()))
                .and_then(|candidates| {
                    candidates.iter().copied().find(|&i| {
                        !continued.contains(&i)
                            && open.get(i).is_some_and(|o| !o.ids.is_disjoint(&ids))
                    })
                });
            let vuln_id = f.ids.first().cloned().unwrap_or_default();
            match existing.and_then(|i| open.get(i).map(|o| (i, o))) {
                Some((i, o)) => {
                    continued.insert(i);
                    summary.still_open += 1;
                    sqlx::query(
                        "UPDATE findings SET vuln_id = $1, ids = $2, fixed_versions = $3, \
                         matched_by = $4, cpe = $5, facts = $6, last_seen = $7 \
                         WHERE tenant_id = $8 AND finding_id = $9",
                    )
                    .bind(&vuln_id)
                    .bind(json(&f.ids))
                    .bind(json(&f.fixed_versions))
                    .bind(&f.matched_by)
                    .bind(f.cpe.as_deref())
                    .bind(json(&f.facts))
                    .bind(at)
                    .bind(tenant.as_str())
                    .bind(&o.finding_id)
                    .execute(&mut *tx)
                    .await?;
                    if o.ids != ids {
                        write_ids(&mut tx, tenant, &o.finding_id, &ids, true).await?;
                    }
                }
                None => {
                    summary.new += 1;
                    let finding_id = new_id();
                    sqlx::query(
                        "INSERT INTO findings (tenant_id, finding_id, asset_key, component_key, \
                         vuln_id, ids, ecosystem, package, version, purl, fixed_versions, \
                         matched_by, cpe, facts, first_seen, last_seen) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                                 $15, $15)",
                    )
                    .bind(tenant.as_str())
                    .bind(&finding_id)
                    .bind(&f.asset_key)
                    .bind(&f.component_key)
                    .bind(&vuln_id)
                    .bind(json(&f.ids))
                    .bind(f.ecosystem.as_deref())
                    .bind(&f.package)
                    .bind(&f.version)
                    .bind(f.purl.as_deref())
                    .bind(json(&f.fixed_versions))
                    .bind(&f.matched_by)
                    .bind(f.cpe.as_deref())
                    .bind(json(&f.facts))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    write_ids(&mut tx, tenant, &finding_id, &ids, false).await?;
                }
            }
        }

        // What is on the rematched assets now, to say why the rest was resolved.
        let mut present_keys: HashSet<(String, String)> = HashSet::new();
        let mut present_packages: HashSet<(String, Option<String>, String)> = HashSet::new();
        for row in sqlx::query(
            "SELECT asset_key, component_key, ecosystem, name FROM components WHERE tenant_id = $1",
        )
        .bind(tenant.as_str())
        .fetch_all(&mut *tx)
        .await?
        {
            let asset: String = row.try_get("asset_key")?;
            if !in_scope(&asset) {
                continue;
            }
            present_keys.insert((asset.clone(), row.try_get("component_key")?));
            present_packages.insert((asset, row.try_get("ecosystem")?, row.try_get("name")?));
        }
        for (i, o) in open.iter().enumerate() {
            if continued.contains(&i) {
                continue;
            }
            let resolution =
                if present_keys.contains(&(o.asset_key.clone(), o.component_key.clone())) {
                    Resolution::NotAffected
                } else if present_packages.contains(&(
                    o.asset_key.clone(),
                    o.ecosystem.clone(),
                    o.package.clone(),
                )) {
                    Resolution::Upgraded
                } else {
                    Resolution::Removed
                };
            summary.resolved += 1;
            sqlx::query(
                "UPDATE findings SET resolved_at = $1, resolution = $2 \
                 WHERE tenant_id = $3 AND finding_id = $4",
            )
            .bind(at)
            .bind(resolution.as_str())
            .bind(tenant.as_str())
            .bind(&o.finding_id)
            .execute(&mut *tx)
            .await?;
        }

        audit(
            &mut tx,
            tenant,
            actor,
            "findings.rematch",
            &match scope {
                Some(s) => format!("assets:{}", s.join(",")),
                None => "tenant".to_owned(),
            },
            &serde_json::json!({
                "new": summary.new,
                "still_open": summary.still_open,
                "resolved": summary.resolved,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The tenant's findings, newest first.
    ///
    /// # Errors
    /// A database error, or a corrupt stored value.
    pub async fn findings(
        &self,
        tenant: &TenantId,
        filter: FindingFilter,
    ) -> Result<Vec<StoredFinding>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.*, a.name AS asset_name, a.criticality, a.exposure, a.zone \
             FROM findings f LEFT JOIN assets a \
               ON a.tenant_id = f.tenant_id AND a.asset_key = f.asset_key \
             WHERE f.tenant_id = $1 AND ($2 = 0 OR f.resolved_at IS NULL) \
               AND f.first_seen >= $3 \
             ORDER BY f.first_seen DESC, f.finding_id",
        )
        .bind(tenant.as_str())
        .bind(i64::from(filter.open_only))
        .bind(filter.first_seen_since.unwrap_or(i64::MIN))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(finding_from_row).collect()
    }

    /// Every finding, of every tenant, whose vulnerability has `id` among its ids (any case):
    /// the provider's "who is exposed to CVE-2024-3400". Open findings first, then by tenant
    /// and asset.
    ///
    /// # Errors
    /// A database error, or a corrupt stored value.
    pub async fn exposure(&self, id: &str) -> Result<Vec<StoredFinding>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.*, a.name AS asset_name, a.criticality, a.exposure, a.zone \
             FROM finding_ids i \
             JOIN findings f ON f.tenant_id = i.tenant_id AND f.finding_id = i.finding_id \
             LEFT JOIN assets a ON a.tenant_id = f.tenant_id AND a.asset_key = f.asset_key \
             WHERE i.id = $1 \
             ORDER BY CASE WHEN f.resolved_at IS NULL THEN 0 ELSE 1 END, f.tenant_id, \
                      f.asset_key, f.finding_id",
        )
        .bind(id.trim().to_uppercase())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(finding_from_row).collect()
    }
}

async fn write_ids(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant: &TenantId,
    finding_id: &str,
    ids: &HashSet<String>,
    replace: bool,
) -> Result<(), StoreError> {
    if replace {
        sqlx::query("DELETE FROM finding_ids WHERE tenant_id = $1 AND finding_id = $2")
            .bind(tenant.as_str())
            .bind(finding_id)
            .execute(&mut **tx)
            .await?;
    }
    for id in ids {
        sqlx::query("INSERT INTO finding_ids (tenant_id, id, finding_id) VALUES ($1, $2, $3)")
            .bind(tenant.as_str())
            .bind(id)
            .bind(finding_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn finding_from_row(row: &AnyRow) -> Result<StoredFinding, StoreError> {
    let ids: String = row.try_get("ids")?;
    let fixed: String = row.try_get("fixed_versions")?;
    let facts: String = row.try_get("facts")?;
    let resolution: Option<String> = row.try_get("resolution")?;
    let asset_key: String = row.try_get("asset_key")?;
    Ok(StoredFinding {
        tenant: row.try_get("tenant_id")?,
        finding_id: row.try_get("finding_id")?,
        asset: row
            .try_get::<Option<String>, _>("asset_name")?
            .unwrap_or_else(|| asset_key.clone()),
        asset_key,
        criticality: row
            .try_get::<Option<String>, _>("criticality")?
            .unwrap_or_else(|| "normal".to_owned()),
        exposure: row
            .try_get::<Option<String>, _>("exposure")?
            .unwrap_or_else(|| "internal".to_owned()),
        zone: row.try_get("zone")?,
        vuln_id: row.try_get("vuln_id")?,
        ids: serde_json::from_str(&ids).map_err(|e| corrupt("ids", e))?,
        ecosystem: row.try_get("ecosystem")?,
        package: row.try_get("package")?,
        version: row.try_get("version")?,
        purl: row.try_get("purl")?,
        fixed_versions: serde_json::from_str(&fixed).map_err(|e| corrupt("fixed_versions", e))?,
        matched_by: row.try_get("matched_by")?,
        cpe: row.try_get("cpe")?,
        facts: serde_json::from_str(&facts).map_err(|e| corrupt("facts", e))?,
        first_seen: row.try_get("first_seen")?,
        last_seen: row.try_get("last_seen")?,
        resolved_at: row.try_get("resolved_at")?,
        resolution: resolution
            .map(|r| Resolution::parse(&r).ok_or_else(|| corrupt("resolution", r)))
            .transpose()?,
    })
}
