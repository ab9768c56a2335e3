//! Inventories: what is installed where.
//!
//! "Map the components that need patching" starts with knowing every component of every asset.
//! This crate owns the domain model ([`model`]: assets and components) and one importer per
//! format people already have: supplier SBOMs (CycloneDX, SPDX), package databases on servers
//! (dpkg, rpm, apk, os-release), osquery results, application lockfiles and asset-inventory CSV
//! exports. It does no I/O beyond reading the file it is given, and knows nothing of storage.
//!
//! # Design
//!
//! * **Detect from content** ([`detect`]); `--format` overrides the guess.
//! * **Strict, located errors.** An [`ImportError`] names the file and the line, JSON path or XML
//!   element. An import either yields the whole [`Inventory`] or an error — never part of one —
//!   which is what lets storage make imports all-or-nothing.
//! * **Bounded input.** Files above [`ImportOptions::max_bytes`] are refused before they are read;
//!   XML entity declarations are refused outright (no billion-laughs expansion).
//! * **Evidence kept.** Every [`model::Component`] records where it was read from.

pub mod collect;
mod enrich;
mod error;
pub mod export;
mod format;
mod formats;
mod group;
mod inventory;
pub mod model;

use std::io::Read;
use std::path::Path;

pub use enrich::enrich;
pub use error::{ImportError, ImportErrorKind};
pub use format::{Format, detect};
pub use formats::csv::ColumnMap;
pub use group::{GroupError, NamedAsset, Naming, enrich_assets, group};
pub use inventory::{ImportedAsset, Inventory, Warning};

/// The default size limit for one inventory file: large enough for a 100k-component SBOM with
/// hashes and licences, small enough that a mistaken 2 GB upload is refused at once.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// How to import a file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Use this format instead of detecting it.
    pub format: Option<Format>,
    /// Column mapping for CSV exports.
    pub columns: Option<ColumnMap>,
    /// Refuse files larger than this.
    pub max_bytes: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: None,
            columns: None,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Reads `path` (refusing it above the size limit) and imports it.
///
/// # Errors
/// An [`ImportError`] naming the file and where in it the problem is.
pub fn import_file(path: &Path, options: &ImportOptions) -> Result<Inventory, ImportError> {
    let name = path.display().to_string();
    let bytes = read_limited(path, options.max_bytes)?;
    import_bytes(&name, &bytes, options)
}

/// Imports `bytes`, reported as `file` in errors and component sources.
///
/// # Errors
/// An [`ImportError`] naming the file and where in it the problem is.
pub fn import_bytes(
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Inventory, ImportError> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(too_large(file, bytes.len() as u64, options.max_bytes));
    }
    let format = match options.format {
        Some(format) => format,
        None => detect(file, bytes)?,
    };
    formats::import(format, file, bytes, options)
}

/// Reads a file, refusing it when it is larger than `limit`.
///
/// The size is checked before reading, and again while reading, so a file that grows (or a pipe
/// with no size) cannot slip past the limit.
///
/// # Errors
/// [`ImportErrorKind::Io`] or [`ImportErrorKind::TooLarge`].
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let name = path.display().to_string();
    let io_error = |e: std::io::Error| ImportError::new(&name, ImportErrorKind::Io, e.to_string());
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > limit {
        return Err(too_large(&name, size, limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(file: &str, size: u64, limit: u64) -> ImportError {
    ImportError::new(
        file,
        ImportErrorKind::TooLarge { size, limit },
        format!(
            "file is {} bytes, above the import limit of {limit} bytes (raise it with --max-size)",
            size
        ),
    )
}
