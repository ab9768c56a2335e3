//! Notifications after a rematch: what became newly KEV-listed or newly Act is sent to the
//! destinations of `notify.toml` (docs/notifications.md). Shared by the CLI and the jobs.
//!
//! The configuration is `WEERBAAR_NOTIFY` (a path) or `<data-dir>/notify.toml`; without either,
//! nothing is sent and nothing is said. A rematch takes a [`Snapshot`] of the tenant's open
//! findings before it writes, and [`Snapshot::notify`] compares it with the findings after.
//! Because the comparison is of stored findings, a second rematch of the same change (another
//! instance, a retried job) finds nothing new and sends nothing twice.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use weerbaar_notify::{Config, Delivery, Notifier};
use weerbaar_plan::{Exception, PolicySet};
use weerbaar_store::{FindingFilter, Store, StoredFinding, TenantId};

use crate::JobsError;

/// The zone of every calendar day weerbaar shows or judges by.
const DISPLAY_ZONE: &str = "Europe/Brussels";

/// The Brussels time zone (UTC if the bundled database lacks it).
#[must_use]
pub fn display_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(DISPLAY_ZONE).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// The Brussels calendar day of a stored timestamp.
#[must_use]
pub fn local_day(seconds: i64) -> Date {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(display_zone())
        .date()
}

/// Ecosystem of findings matched by CPE: NVD product versions follow the generic scheme.
const CPE_ECOSYSTEM: &str = "generic";

fn parse_date(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// A stored finding as weerbaar-plan sees it: days in the Brussels calendar.
#[must_use]
pub fn to_plan(f: &StoredFinding) -> weerbaar_plan::Finding {
    let facts = &f.facts;
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

/// The exceptions in force of `tenant`, as the plan reads them.
///
/// # Errors
/// A database error, or a stored exception this build cannot read.
pub async fn exceptions_in_force(
    store: &Store,
    tenant: &TenantId,
) -> Result<Vec<Exception>, JobsError> {
    store
        .exceptions(tenant, false)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::from_value(s.body)
                .map_err(|e| JobsError::failed(format!("stored exception {} of {tenant}", s.id), e))
        })
        .collect()
}

fn config_path(data_dir: &Path) -> Option<PathBuf> {
    match std::env::var_os("WEERBAAR_NOTIFY") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => Some(data_dir.join("notify.toml")).filter(|p| p.is_file()),
    }
}

/// The configured notifier, if any.
///
/// # Errors
/// A configuration that cannot be read or is invalid (file and line named), or a secret named
/// in it that is missing from the environment.
pub fn notifier(data_dir: &Path) -> Result<Option<Notifier>, JobsError> {
    let Some(path) = config_path(data_dir) else {
        return Ok(None);
    };
    let reading = |e| JobsError::failed(format!("reading {}", path.display()), e);
    let text = std::fs::read_to_string(&path).map_err(reading)?;
    let config = Config::parse(&path.display().to_string(), &text)
        .map_err(|e| JobsError::failed("the notification configuration", e))?;
    Ok(Some(Notifier::from_env(config).map_err(|e| {
        JobsError::failed("the notification configuration", e)
    })?))
}

/// The policy the alerts judge "Act" by: `WEERBAAR_POLICY`, as `plan` reads it.
fn policies() -> Result<PolicySet, JobsError> {
    match std::env::var_os("WEERBAAR_POLICY") {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| JobsError::failed(format!("reading {}", path.display()), e))?;
            PolicySet::parse(&path.display().to_string(), &text)
                .map_err(|e| JobsError::failed("the policy", e))
        }
        _ => Ok(PolicySet::default()),
    }
}

/// A tenant's open findings before a rematch, when notifications are configured.
#[derive(Debug)]
pub struct Snapshot {
    notifier: Notifier,
    tenant: TenantId,
    before: Vec<weerbaar_plan::Finding>,
}

impl Snapshot {
    /// Takes the snapshot, or `None` when no notifications are configured.
    ///
    /// # Errors
    /// An invalid notification configuration, or a database error.
    pub async fn take(
        store: &Store,
        tenant: &TenantId,
        data_dir: &Path,
    ) -> Result<Option<Self>, JobsError> {
        let Some(notifier) = notifier(data_dir)? else {
            return Ok(None);
        };
        Ok(Some(Self {
            notifier,
            tenant: tenant.clone(),
            before: open_findings(store, tenant).await?,
        }))
    }

    /// Every tenant's snapshot, or none when no notifications are configured.
    ///
    /// # Errors
    /// As [`Snapshot::take`].
    pub async fn take_all(store: &Store, data_dir: &Path) -> Result<Vec<Self>, JobsError> {
        let mut snapshots = Vec::new();
        for tenant in store.tenants().await? {
            match Self::take(store, &tenant.id, data_dir).await? {
                Some(snapshot) => snapshots.push(snapshot),
                None => break,
            }
        }
        Ok(snapshots)
    }

    /// Sends what the rematch made newly KEV-listed or newly Act, and returns each delivery's
    /// result. A failed delivery is a result, not an error: the rematch itself succeeded.
    ///
    /// # Errors
    /// A database error, or an invalid policy file.
    pub async fn notify(self, store: &Store) -> Result<Vec<Delivery>, JobsError> {
        let after = open_findings(store, &self.tenant).await?;
        let exceptions = exceptions_in_force(store, &self.tenant).await?;
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(display_zone())
            .date();
        let alerts = weerbaar_plan::alert::alerts(
            &self.before,
            &after,
            &policies()?,
            |_| exceptions.as_slice(),
            today,
        );
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let notifier = self.notifier;
        tokio::task::spawn_blocking(move || notifier.send(&alerts, jiff::Timestamp::now()))
            .await
            .map_err(|e| JobsError::failed("sending notifications", e))
    }
}

async fn open_findings(
    store: &Store,
    tenant: &TenantId,
) -> Result<Vec<weerbaar_plan::Finding>, JobsError> {
    Ok(store
        .findings(
            tenant,
            FindingFilter {
                open_only: true,
                ..FindingFilter::default()
            },
        )
        .await?
        .iter()
        .map(to_plan)
        .collect())
}
