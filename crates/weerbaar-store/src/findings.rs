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
use crate::{Store, StoreError, TenantId, audit, ensure_tenant, new_id, now};

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

/// Which open findings a rematch answers for: those it did not observe again are resolved;
/// every other open finding is left as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RematchScope<'a> {
    /// Every asset of the tenant: a full rematch.
    Tenant,
    /// The named assets (after an inventory import of them).
    Assets(&'a [String]),
    /// Findings whose ids meet these ids (any case), on any asset: after a feed update, the
    /// ids and aliases of the advisories that were added, changed, withdrawn or removed.
    Vulnerabilities(&'a [String]),
}

impl RematchScope<'_> {
    /// The audit log's `object` of a rematch in this scope.
    fn audit_object(self) -> String {
        match self {
            RematchScope::Tenant => "tenant".to_owned(),
            RematchScope::Assets(names) => format!("assets:{}", names.join(",")),
            RematchScope::Vulnerabilities(ids) => {
                // A feed update can touch thousands of ids; the log names the first few.
                const SHOWN: usize = 20;
                let mut text = format!(
                    "vulnerabilities:{}",
                    ids.iter()
                        .take(SHOWN)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(",")
                );
                if ids.len() > SHOWN {
                    text.push_str(&format!(",…(+{})", ids.len() - SHOWN));
                }
                text
            }
        }
    }
}

/// One installed package as the portfolio has it, for matching once however many assets carry
/// it: the columns of `components` that matching reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortfolioPackage {
    pub ecosystem: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub source_name: Option<String>,
    pub source_version: Option<String>,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub vendor: Option<String>,
}

impl PortfolioPackage {
    /// The package as a component to match; its `source` is empty (it stands for many).
    #[must_use]
    pub fn to_component(&self) -> Component {
        Component {
            ecosystem: self.ecosystem.clone(),
            name: self.name.clone(),
            version: self.version.clone(),
            purl: self.purl.clone(),
            cpe: self.cpe.clone(),
            vendor: self.vendor.clone(),
            source_name: self.source_name.clone(),
            source_version: self.source_version.clone(),
            source: weerbaar_inventory::model::Source {
                file: String::new(),
                location: weerbaar_inventory::model::Location::Line(0),
            },
        }
    }

    fn from_row(row: &AnyRow) -> Result<Self, StoreError> {
        Ok(Self {
            ecosystem: row.try_get("ecosystem")?,
            name: row.try_get("name")?,
            version: row.try_get("version")?,
            source_name: row.try_get("source_name")?,
            source_version: row.try_get("source_version")?,
            purl: row.try_get("purl")?,
            cpe: row.try_get("cpe")?,
            vendor: row.try_get("vendor")?,
        })
    }
}

/// A stored component of some tenant, found across the portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioComponent {
    pub tenant: String,
    pub component: TenantComponent,
}

/// What [`Store::open_findings_among`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenAmong {
    /// Every tenant with such a finding, with the ids (upper case, among those asked for)
    /// its open findings have.
    pub tenants: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The components the findings are on, each once.
    pub components: Vec<PortfolioComponent>,
}

/// Bind parameters for an `IN (…)` list of `n` values starting at parameter `first` (1-based):
/// anonymous `?` on SQLite (see [`crate::Backend::values_rows`] for why), `$n` on PostgreSQL.
/// The `n`th (1-based) bind parameter of a statement that uses [`in_list`].
fn placeholder(backend: crate::Backend, n: usize) -> String {
    match backend {
        crate::Backend::Sqlite => "?".to_owned(),
        crate::Backend::Postgres => format!("${n}"),
    }
}

fn in_list(backend: crate::Backend, first: usize, n: usize) -> String {
    (0..n)
        .map(|i| match backend {
            crate::Backend::Sqlite => "?".to_owned(),
            crate::Backend::Postgres => format!("${}", first + i),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// How many values one `IN (…)` list binds: far below both backends' parameter limits.
const IN_CHUNK: usize = 500;

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

/// An asset's component keys and its (ecosystem, name) pairs.
type Present = (HashSet<String>, HashSet<(Option<String>, String)>);

struct OpenRow {
    finding_id: String,
    asset_key: String,
    component_key: String,
    ecosystem: Option<String>,
    package: String,
    ids: HashSet<String>,
    /// Whether the rematch answers for it: resolved when not observed again.
    answered: bool,
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

    /// Every distinct installed package of the portfolio, all tenants together: what a feed
    /// update is matched against, once per package however many assets carry it. Read from
    /// the covering index `components_by_package_columns` (migration 0004) without touching
    /// the table.
    ///
    /// # Errors
    /// A database error.
    pub async fn portfolio_packages(&self) -> Result<Vec<PortfolioPackage>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT name, ecosystem, version, source_name, source_version, purl, cpe, \
                    vendor FROM components",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(PortfolioPackage::from_row).collect()
    }

    /// Every stored component, of every tenant, that is one of `packages`.
    ///
    /// # Errors
    /// A database error, or a corrupt stored location.
    pub async fn package_instances(
        &self,
        packages: &[PortfolioPackage],
    ) -> Result<Vec<PortfolioComponent>, StoreError> {
        let mut out = Vec::new();
        let mut conn = self.pool.acquire().await?;
        for p in packages {
            // `IS NOT DISTINCT FROM`: NULL equals NULL (a component without a version or a
            // purl); `name` leads the index so PostgreSQL seeks on it too.
            let rows = sqlx::query(
                "SELECT * FROM components WHERE name = $1 \
                   AND ecosystem IS NOT DISTINCT FROM $2 AND version IS NOT DISTINCT FROM $3 \
                   AND source_name IS NOT DISTINCT FROM $4 \
                   AND source_version IS NOT DISTINCT FROM $5 \
                   AND purl IS NOT DISTINCT FROM $6 AND cpe IS NOT DISTINCT FROM $7 \
                   AND vendor IS NOT DISTINCT FROM $8",
            )
            .bind(&p.name)
            .bind(p.ecosystem.as_deref())
            .bind(p.version.as_deref())
            .bind(p.source_name.as_deref())
            .bind(p.source_version.as_deref())
            .bind(p.purl.as_deref())
            .bind(p.cpe.as_deref())
            .bind(p.vendor.as_deref())
            .fetch_all(&mut *conn)
            .await?;
            for row in &rows {
                out.push(PortfolioComponent {
                    tenant: row.try_get("tenant_id")?,
                    component: TenantComponent {
                        asset_key: row.try_get("asset_key")?,
                        component_key: row.try_get("component_key")?,
                        component: crate::inventory::component_from_row(row)?.component,
                    },
                });
            }
        }
        Ok(out)
    }

    /// The open findings, of every tenant, whose ids meet `ids` (any case): the tenants that
    /// have them, and the components they are on (a component that is gone since is left out;
    /// its tenant is still named).
    ///
    /// # Errors
    /// A database error, or a corrupt stored location.
    pub async fn open_findings_among(&self, ids: &[String]) -> Result<OpenAmong, StoreError> {
        let ids: Vec<String> = {
            let mut ids: Vec<String> = upper_ids(ids).into_iter().collect();
            ids.sort_unstable();
            ids
        };
        let mut out = OpenAmong::default();
        let mut seen: HashSet<(String, String, String)> = HashSet::new();
        for chunk in ids.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT DISTINCT i.id AS matched_id, f.tenant_id AS finding_tenant, f.asset_key AS finding_asset, \
                        f.component_key AS finding_component, c.ecosystem, c.name, c.version, \
                        c.purl, c.cpe, c.vendor, c.source_name, c.source_version, \
                        c.source_file, c.source_location, c.first_seen, c.last_seen \
                 FROM finding_ids i \
                 JOIN findings f ON f.tenant_id = i.tenant_id AND f.finding_id = i.finding_id \
                 LEFT JOIN components c ON c.tenant_id = f.tenant_id \
                   AND c.asset_key = f.asset_key AND c.component_key = f.component_key \
                 WHERE i.id IN ({}) AND f.resolved_at IS NULL",
                in_list(self.backend, 1, chunk.len())
            );
            // Only placeholders are formatted in; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id);
            }
            for row in query.fetch_all(&self.pool).await? {
                let tenant: String = row.try_get("finding_tenant")?;
                let asset_key: String = row.try_get("finding_asset")?;
                let component_key: String = row.try_get("finding_component")?;
                out.tenants
                    .entry(tenant.clone())
                    .or_default()
                    .insert(row.try_get("matched_id")?);
                let present: Option<String> = row.try_get("name")?;
                if present.is_none()
                    || !seen.insert((tenant.clone(), asset_key.clone(), component_key.clone()))
                {
                    continue;
                }
                out.components.push(PortfolioComponent {
                    tenant,
                    component: TenantComponent {
                        asset_key,
                        component_key,
                        component: crate::inventory::component_from_row(&row)?.component,
                    },
                });
            }
        }
        Ok(out)
    }

    /// Records what a rematch of `tenant` observed, in one transaction with an audit entry.
    ///
    /// `scope` says what was rematched: open findings in it that `observed` does not contain
    /// are resolved now; other findings are untouched (an observation outside the scope still
    /// opens or continues its finding). See the module documentation for identity and
    /// resolution.
    ///
    /// # Errors
    /// [`StoreError::UnknownTenant`], or a database error; nothing is stored then.
    pub async fn record_findings(
        &self,
        tenant: &TenantId,
        actor: &str,
        scope: RematchScope<'_>,
        observed: &[ObservedFinding],
    ) -> Result<RematchSummary, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let summary = self
            .record_in(&mut tx, tenant, actor, scope, observed, now())
            .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// [`Store::record_findings`] for several tenants in one transaction: all are recorded, or
    /// none. A feed update touches a few findings of many tenants; one commit instead of one per
    /// tenant is most of its cost on SQLite.
    ///
    /// # Errors
    /// As [`Store::record_findings`]; nothing is stored then.
    pub async fn record_findings_of_tenants(
        &self,
        actor: &str,
        batch: &[(TenantId, RematchScope<'_>, Vec<ObservedFinding>)],
    ) -> Result<Vec<RematchSummary>, StoreError> {
        let at = now();
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let mut out = Vec::with_capacity(batch.len());
        for (tenant, scope, observed) in batch {
            out.push(
                self.record_in(&mut tx, tenant, actor, *scope, observed, at)
                    .await?,
            );
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn record_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        tenant: &TenantId,
        actor: &str,
        scope: RematchScope<'_>,
        observed: &[ObservedFinding],
        at: i64,
    ) -> Result<RematchSummary, StoreError> {
        ensure_tenant(tx, tenant).await?;
        let scope_keys: Option<HashSet<String>> = match scope {
            RematchScope::Assets(names) => Some(names.iter().map(|n| asset_key(n)).collect()),
            RematchScope::Tenant | RematchScope::Vulnerabilities(_) => None,
        };
        let in_scope = |key: &str| scope_keys.as_ref().is_none_or(|s| s.contains(key));
        let vulnerability_scope: Option<HashSet<String>> = match scope {
            RematchScope::Vulnerabilities(ids) => Some(upper_ids(ids)),
            RematchScope::Tenant | RematchScope::Assets(_) => None,
        };

        let open_rows = match scope {
            RematchScope::Vulnerabilities(_) => {
                // Through `finding_ids`, so a feed update touching a few ids reads a few rows
                // however many findings the tenant has. The observations' ids are read too: an
                // observation continues an open finding it shares any id with, in scope or not.
                let mut ids: HashSet<String> = vulnerability_scope.clone().unwrap_or_default();
                for f in observed {
                    ids.extend(upper_ids(&f.ids));
                }
                let mut ids: Vec<String> = ids.into_iter().collect();
                ids.sort_unstable();
                let mut rows = Vec::new();
                let mut seen: HashSet<String> = HashSet::new();
                for chunk in ids.chunks(IN_CHUNK) {
                    let sql = format!(
                        "SELECT f.finding_id, f.asset_key, f.component_key, f.ecosystem, \
                                f.package, f.ids FROM finding_ids i \
                         JOIN findings f ON f.tenant_id = i.tenant_id \
                           AND f.finding_id = i.finding_id \
                         WHERE i.tenant_id = {t} AND i.id IN ({list}) \
                           AND f.resolved_at IS NULL",
                        t = placeholder(self.backend, 1),
                        list = in_list(self.backend, 2, chunk.len()),
                    );
                    // Only placeholders are formatted in; every value is bound.
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
                    for id in chunk {
                        query = query.bind(id);
                    }
                    for row in query.fetch_all(&mut **tx).await? {
                        let finding_id: String = row.try_get("finding_id")?;
                        if seen.insert(finding_id) {
                            rows.push(row);
                        }
                    }
                }
                rows
            }
            RematchScope::Tenant | RematchScope::Assets(_) => {
                sqlx::query(
                    "SELECT finding_id, asset_key, component_key, ecosystem, package, ids \
                     FROM findings WHERE tenant_id = $1 AND resolved_at IS NULL",
                )
                .bind(tenant.as_str())
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let mut open: Vec<OpenRow> = Vec::new();
        for row in open_rows {
            let asset_key: String = row.try_get("asset_key")?;
            if !in_scope(&asset_key) {
                continue;
            }
            let ids: String = row.try_get("ids")?;
            let ids: Vec<String> = serde_json::from_str(&ids).map_err(|e| corrupt("ids", e))?;
            let ids = upper_ids(&ids);
            open.push(OpenRow {
                finding_id: row.try_get("finding_id")?,
                asset_key,
                component_key: row.try_get("component_key")?,
                ecosystem: row.try_get("ecosystem")?,
                package: row.try_get("package")?,
                answered: vulnerability_scope
                    .as_ref()
                    .is_none_or(|scope| !scope.is_disjoint(&ids)),
                ids,
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
        // New findings, inserted together after the loop: one multi-row INSERT per chunk
        // instead of three statements per finding (a feed update adds a few findings to each of
        // hundreds of tenants; per-statement overhead was most of its time).
        let mut fresh: Vec<(String, String, &ObservedFinding, HashSet<String>)> = Vec::new();
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
                    .execute(&mut **tx)
                    .await?;
                    if o.ids != ids {
                        write_ids(tx, tenant, &o.finding_id, &ids, true).await?;
                    }
                }
                None => {
                    summary.new += 1;
                    fresh.push((new_id(), vuln_id, f, ids));
                }
            }
        }
        self.insert_findings(tx, tenant, &fresh, at).await?;

        // What is on the assets now, to say why the rest was resolved: read per asset, and
        // only for assets with something to resolve.
        let mut present: HashMap<String, Present> = HashMap::new();
        for (i, o) in open.iter().enumerate() {
            if continued.contains(&i) || !o.answered {
                continue;
            }
            if !present.contains_key(&o.asset_key) {
                let mut keys = HashSet::new();
                let mut packages = HashSet::new();
                for row in sqlx::query(
                    "SELECT component_key, ecosystem, name FROM components \
                     WHERE tenant_id = $1 AND asset_key = $2",
                )
                .bind(tenant.as_str())
                .bind(&o.asset_key)
                .fetch_all(&mut **tx)
                .await?
                {
                    keys.insert(row.try_get("component_key")?);
                    packages.insert((row.try_get("ecosystem")?, row.try_get("name")?));
                }
                present.insert(o.asset_key.clone(), (keys, packages));
            }
            let resolution = match present.get(&o.asset_key) {
                Some((keys, _)) if keys.contains(&o.component_key) => Resolution::NotAffected,
                Some((_, packages))
                    if packages.contains(&(o.ecosystem.clone(), o.package.clone())) =>
                {
                    Resolution::Upgraded
                }
                _ => Resolution::Removed,
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
            .execute(&mut **tx)
            .await?;
        }

        audit(
            tx,
            tenant,
            actor,
            "findings.rematch",
            &scope.audit_object(),
            &serde_json::json!({
                "new": summary.new,
                "still_open": summary.still_open,
                "resolved": summary.resolved,
            }),
        )
        .await?;
        Ok(summary)
    }

    /// Inserts new findings and their ids, many rows per statement.
    async fn insert_findings(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        tenant: &TenantId,
        fresh: &[(String, String, &ObservedFinding, HashSet<String>)],
        at: i64,
    ) -> Result<(), StoreError> {
        const COLUMNS: usize = 16;
        const ROWS: usize = 200;
        for chunk in fresh.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO findings (tenant_id, finding_id, asset_key, component_key, \
                 vuln_id, ids, ecosystem, package, version, purl, fixed_versions, \
                 matched_by, cpe, facts, first_seen, last_seen) VALUES {}",
                self.backend.values_rows(chunk.len(), COLUMNS)
            );
            // Only placeholders are formatted in; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (finding_id, vuln_id, f, _) in chunk {
                query = query
                    .bind(tenant.as_str())
                    .bind(finding_id.as_str())
                    .bind(f.asset_key.as_str())
                    .bind(f.component_key.as_str())
                    .bind(vuln_id.as_str())
                    .bind(json(&f.ids))
                    .bind(f.ecosystem.as_deref())
                    .bind(f.package.as_str())
                    .bind(f.version.as_str())
                    .bind(f.purl.as_deref())
                    .bind(json(&f.fixed_versions))
                    .bind(f.matched_by.as_str())
                    .bind(f.cpe.as_deref())
                    .bind(json(&f.facts))
                    .bind(at)
                    .bind(at);
            }
            query.execute(&mut **tx).await?;
        }
        let ids: Vec<(&str, &str)> = fresh
            .iter()
            .flat_map(|(finding_id, _, _, ids)| {
                ids.iter().map(move |id| (finding_id.as_str(), id.as_str()))
            })
            .collect();
        for chunk in ids.chunks(ROWS * 3) {
            let sql = format!(
                "INSERT INTO finding_ids (tenant_id, id, finding_id) VALUES {}",
                self.backend.values_rows(chunk.len(), 3)
            );
            // Only placeholders are formatted in; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (finding_id, id) in chunk {
                query = query.bind(tenant.as_str()).bind(*id).bind(*finding_id);
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
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

pub(crate) fn finding_from_row(row: &AnyRow) -> Result<StoredFinding, StoreError> {
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
