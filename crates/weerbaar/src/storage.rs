//! Opening the store the command line points at.

use std::path::PathBuf;

use anyhow::Context;
use weerbaar_store::Store;

use crate::cli::StorageArgs;

/// The data directory when neither `--data-dir` nor `--database` is given: the XDG data home,
/// so a municipality's laptop keeps its data where backup tools look for it.
fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("weerbaar");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(home).join(".local/share/weerbaar");
    }
    PathBuf::from("weerbaar-data")
}

/// The data directory: `--data-dir`, `WEERBAAR_DATA_DIR`, or the default. Feeds live here even
/// when `--database` points the inventory at another database.
pub fn data_dir(args: &StorageArgs) -> PathBuf {
    args.data_dir.clone().unwrap_or_else(default_data_dir)
}

pub async fn open(args: &StorageArgs) -> anyhow::Result<Store> {
    if let Some(url) = &args.database {
        let shown = weerbaar_store::backend::redact(url);
        return Store::open(url)
            .await
            .with_context(|| format!("opening database {shown}"));
    }
    let dir = data_dir(args);
    Store::open_data_dir(&dir)
        .await
        .with_context(|| format!("opening the database in {}", dir.display()))
}

/// Who the audit log records for command-line changes.
pub fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}
