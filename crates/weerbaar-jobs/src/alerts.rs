//! Notifications after a rematch: what became newly KEV-listed or newly Act is sent to the
//! destinations of `notify.toml` (docs/notifications.md). Shared by the CLI and the jobs.
//!
//! The configuration is `WEERBAAR_NOTIFY` (a path) or `<data-dir>/notify.toml`; without either,
//! nothing is sent and nothing is said. A rematch takes a [`Snapshot`] of the tenant's open
//! findings before it writes, and [`Snapshot::notify`] compares it with the findings after.
//! Because the comparison is of stored findings, a second rematch of the same change (another
//! instance, a retried job) finds nothing new and sends nothing twice. Findings are judged as
//! the plan judges them (`weerbaar_tracking::judge`).

use std::path::{Path, PathBuf};

use weerbaar_notify::{Config, Delivery, Notifier};
use weerbaar_plan::PolicySet;
use weerbaar_store::{FindingFilter, Store, TenantId};
use weerbaar_tracking::judge::{exceptions_in_force, to_plan};

use crate::JobsError;

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
        let today = weerbaar_tracking::judge::today();
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
