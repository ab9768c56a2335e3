//! Notifications after a rematch, for the commands: `weerbaar_jobs::alerts` does the work
//! (shared with the server's jobs); this reports each delivery on stderr.

use std::path::Path;

use weerbaar_store::{Store, TenantId};

/// A tenant's open findings before a rematch, when notifications are configured.
pub struct Snapshot(weerbaar_jobs::alerts::Snapshot);

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
        Ok(
            weerbaar_jobs::alerts::Snapshot::take(store, tenant, data_dir)
                .await?
                .map(Self),
        )
    }

    /// Sends what the rematch made newly KEV-listed or newly Act; reports each delivery on
    /// stderr. A failed delivery is reported, not an error: the rematch itself succeeded.
    ///
    /// # Errors
    /// A database error, or an invalid policy file.
    pub async fn notify(self, store: &Store) -> anyhow::Result<()> {
        for d in self.0.notify(store).await? {
            eprintln!("notification: {d}");
        }
        Ok(())
    }
}
