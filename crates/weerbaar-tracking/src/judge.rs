//! Stored findings judged by `weerbaar-plan`: the one bridge from the store's rows to the
//! domain's patch plan and exposure, shared by the command line (`weerbaar plan`, `exposure`)
//! and the server's API, so both give the same answer for the same data and day.
//!
//! Days are counted in the Brussels calendar: a due date is a day at the municipality, not a
//! UTC instant.

use std::collections::HashMap;

use jiff::civil::Date;
use weerbaar_plan::exposure::Exposed;
use weerbaar_plan::{Exception, Plan, Policy, PolicySet};
use weerbaar_store::{Store, StoreError, StoredFinding, TenantId};

/// Ecosystem of findings matched by CPE: NVD product versions follow the generic scheme.
const CPE_ECOSYSTEM: &str = "generic";

/// The zone whose calendar days the plan counts.
pub const DISPLAY_ZONE: &str = "Europe/Brussels";

/// Why judging failed.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored exception body that weerbaar-plan cannot read.
    #[error("stored exception {id} of {tenant}: {reason}")]
    Exception {
        tenant: String,
        id: String,
        reason: String,
    },
}

/// The Brussels time zone (UTC if the bundled database lacks it).
#[must_use]
pub fn zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(DISPLAY_ZONE).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// A stored timestamp's day in Brussels.
#[must_use]
pub fn local_day(seconds: i64) -> Date {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone())
        .date()
}

/// Today in Brussels.
#[must_use]
pub fn today() -> Date {
    jiff::Timestamp::now().to_zoned_datetime(zone()).date()
}

/// A stored finding as weerbaar-plan sees it.
#[must_use]
pub fn to_plan(f: &StoredFinding) -> weerbaar_plan::Finding {
    let facts = &f.facts;
    let parse_date = |text: &str| text.parse::<Date>().ok();
    weerbaar_plan::Finding {
        tenant: f.tenant.clone(),
        asset: weerbaar_plan::AssetRef {
            name: f.asset.clone(),
            criticality: f.criticality.parse().unwrap_or_default(),
            exposure: f.exposure.parse().unwrap_or_default(),
            zone: f.zone.clone(),
        },
        advisory_id: f.vuln_id.clone(),
        aliases: f
            .ids
            .iter()
            .filter(|id| **id != f.vuln_id)
            .cloned()
            .collect(),
        package: weerbaar_plan::Package {
            ecosystem: f
                .ecosystem
                .clone()
                .unwrap_or_else(|| CPE_ECOSYSTEM.to_owned()),
            name: f.package.clone(),
            version: f.version.clone(),
            purl: f.purl.clone(),
        },
        fixed_versions: f.fixed_versions.clone(),
        kev: facts.kev.as_ref().and_then(|k| {
            Some(weerbaar_plan::Kev {
                date_added: parse_date(&k.date_added)?,
                due_date: parse_date(&k.due_date)?,
                ransomware: k.ransomware,
            })
        }),
        epss: facts.epss.as_ref().map(|e| weerbaar_plan::Epss {
            score: e.score,
            percentile: e.percentile,
        }),
        cvss: facts.cvss.as_ref().map(|c| weerbaar_plan::Cvss {
            vector: c.vector.clone(),
            base_score: c.base_score,
        }),
        first_seen: local_day(f.first_seen),
        last_seen: local_day(f.last_seen),
        resolved_at: f.resolved_at.map(local_day),
    }
}

/// The tenant's exceptions in force, as weerbaar-plan reads them.
///
/// # Errors
/// A database error, or a stored body weerbaar-plan cannot read.
pub async fn exceptions_in_force(
    store: &Store,
    tenant: &TenantId,
) -> Result<Vec<Exception>, JudgeError> {
    store
        .exceptions(tenant, false)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::from_value(s.body).map_err(|e| JudgeError::Exception {
                tenant: tenant.to_string(),
                id: s.id,
                reason: e.to_string(),
            })
        })
        .collect()
}

/// The tenant's patch plan for `today` under `policy`.
///
/// # Errors
/// [`StoreError::UnknownTenant`], a database error, or an unreadable exception.
pub async fn tenant_plan(
    store: &Store,
    tenant: &TenantId,
    policy: &Policy,
    today: Date,
) -> Result<Plan, JudgeError> {
    store.tenant(tenant).await?;
    let stored = store.findings(tenant, Default::default()).await?;
    let findings: Vec<weerbaar_plan::Finding> = stored.iter().map(to_plan).collect();
    let exceptions = exceptions_in_force(store, tenant).await?;
    Ok(weerbaar_plan::build(
        tenant.as_str(),
        &findings,
        &exceptions,
        policy,
        today,
    ))
}

/// Who is exposed to `id` (any alias): every tenant's assets, or only `only`'s.
///
/// # Errors
/// A database error, or an unreadable exception.
pub async fn exposure(
    store: &Store,
    id: &str,
    policies: &PolicySet,
    today: Date,
    only: Option<&TenantId>,
) -> Result<Vec<Exposed>, JudgeError> {
    let stored = store.exposure(id).await?;
    let findings: Vec<weerbaar_plan::Finding> = stored
        .iter()
        .filter(|f| only.is_none_or(|t| f.tenant == t.as_str()))
        .map(to_plan)
        .collect();
    let mut exceptions: HashMap<String, Vec<Exception>> = HashMap::new();
    for f in &findings {
        if !exceptions.contains_key(&f.tenant) {
            let tenant = TenantId::new(&f.tenant)?;
            exceptions.insert(f.tenant.clone(), exceptions_in_force(store, &tenant).await?);
        }
    }
    Ok(weerbaar_plan::exposure::exposure(
        &findings,
        id,
        policies,
        |tenant| exceptions.get(tenant).map_or(&[], Vec::as_slice),
        today,
    ))
}
