//! The one way weerbaar's tests find third-party test data.
//!
//! Real, externally authored files (advisories, SBOMs, version-ordering fixtures) live outside the
//! repository, in the directory named by `WEERBAAR_FIXTURES` (`.ci/run` points it at
//! `../shared/data`). They are never copied into the repository, so a test that needs one asks
//! this crate for it:
//!
//! * when `WEERBAAR_FIXTURES` is unset (a fresh clone on a user's machine), [`fixture`] returns
//!   `None` and prints a `skipped:` line, so the test reports itself as skipped instead of
//!   silently passing on nothing;
//! * when it is set, a missing file is a hard failure: CI must never go green because the data
//!   went missing.

use std::path::{Path, PathBuf};

pub mod http;

/// The environment variable that names the fixture root.
pub const ENV: &str = "WEERBAAR_FIXTURES";

/// The fixture root, if the environment names one.
#[must_use]
pub fn root() -> Option<PathBuf> {
    std::env::var_os(ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Resolves `relative` under the fixture root.
///
/// Returns `None` (and says so on stderr) when `WEERBAAR_FIXTURES` is unset.
///
/// # Panics
/// When `WEERBAAR_FIXTURES` is set but the file does not exist: that is a broken test setup and
/// must fail the test, never skip it.
#[must_use]
pub fn fixture(relative: impl AsRef<Path>) -> Option<PathBuf> {
    let relative = relative.as_ref();
    let Some(root) = root() else {
        eprintln!(
            "skipped: {ENV} is not set, so fixture {} is not available",
            relative.display()
        );
        return None;
    };
    let path = root.join(relative);
    assert!(
        path.exists(),
        "{ENV}={} is set, but fixture {} does not exist",
        root.display(),
        path.display()
    );
    Some(path)
}

/// Lists the files directly under `relative` whose names end with `suffix`, sorted.
///
/// Same skip/fail rules as [`fixture`].
///
/// # Panics
/// When the directory exists but cannot be read.
#[must_use]
pub fn fixtures_in(relative: impl AsRef<Path>, suffix: &str) -> Option<Vec<PathBuf>> {
    let dir = fixture(relative)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read fixture directory {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    Some(files)
}
