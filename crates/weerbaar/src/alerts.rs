//! Notifications after a rematch: what became newly KEV-listed or newly Act is sent to the
//! destinations of `notify.toml` (docs/notifications.md).
//!
//! The configuration is `WEERBAAR_NOTIFY` (a path) or `<data-dir>/notify.toml`; without either,
//! nothing is sent and nothing is said. A rematch takes a [`Snapshot`] of the tenant's open
//! findings before it writes, and [`Snapshot::notify`] compares it with the findings after.

use std::path::{Path, PathBuf};

use anyhow::Context;
use weerbaar_notify::{Config, Notifier};
use weerbaar_plan::PolicySet;
use weerbaar_store::{FindingFilter, Store, TenantId};

use crate::commands::{in_force, to_plan};
use crate::output;

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
pub fn notifier(data_dir: &Path) -> anyhow::Result<Option<Notifier>> {
    let Some(path) = config_path(data_dir) else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config = Config::parse(&path.display().to_string(), &text)?;
    Ok(Some(Notifier::from_env(config)?))
}

/// The policy the alerts judge "Act" by: `WEERBAAR_POLICY`, as `plan` reads it.
fn policies() -> anyhow::Result<PolicySet> {
    match std::env::var_os("WEERBAAR_POLICY") {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(PolicySet::parse(&path.display().to_string(), &text)?)
        }
        _ => Ok(PolicySet::default()),
    }
}

/// A tenant's open findings before a rematch, when notifications are configured.
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
    ) -> anyhow::Result<Option<Self>> {
        let Some(notifier) = notifier(data_dir)? else {
            return Ok(None);
        };
        Ok(Some(Self {
            notifier,
            tenant: tenant.clone(),
            before: open_findings(store, tenant).await?,
        }))
    }

    /// Sends what the rematch made newly KEV-listed or newly Act; reports each delivery on
    /// stderr. A failed delivery is reported, not an error: the rematch itself succeeded.
    ///
    /// # Errors
    /// A database error, or an invalid policy file.
    pub async fn notify(self, store: &Store) -> anyhow::Result<()> {
        let after = open_findings(store, &self.tenant).await?;
        let exceptions = in_force(store, &self.tenant).await?;
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(output::display_zone())
            .date();
        let alerts = weerbaar_plan::alert::alerts(
            &self.before,
            &after,
            &policies()?,
            |_| exceptions.as_slice(),
            today,
        );
        if alerts.is_empty() {
            return Ok(());
        }
        let notifier = self.notifier;
        let deliveries =
            tokio::task::spawn_blocking(move || notifier.send(&alerts, jiff::Timestamp::now()))
                .await?;
        for d in &deliveries {
            eprintln!("notification: {d}");
        }
        Ok(())
    }
}

async fn open_findings(
    store: &Store,
    tenant: &TenantId,
) -> anyhow::Result<Vec<weerbaar_plan::Finding>> {
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
