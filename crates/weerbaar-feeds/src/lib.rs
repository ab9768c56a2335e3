//! Downloading and storing the advisory feeds: the adapter around `weerbaar-advisories`.
//!
//! Each feed [`Source`] (OSV, NVD, KEV, EPSS) keeps its raw files, exactly as published, in
//! `<data-dir>/feeds/<source>/`, described by a `manifest.json` ([`Manifest`]): where each file
//! came from, its `ETag` and `Last-Modified`, when it was fetched, its size, how many records
//! the weerbaar-advisories parser counted in it, and which parser that was.
//!
//! Updates are atomic per source ([`sync`], [`import`]):
//!
//! 1. every file is written to a temporary file in the source's directory (same file system);
//! 2. it is verified: every byte the server announced arrived (`Content-Length`), and the whole
//!    file parses with the weerbaar-advisories parser of its format (gzip, zip and JSON included);
//! 3. only when every file of the source passed are they renamed over the previous ones, and the
//!    manifest is written last, again through a temporary file and a rename.
//!
//! Any failure (HTTP error, a connection dropped mid-body, a parse error) removes the temporary
//! files and leaves the previous files and manifest byte-identical. Conditional requests
//! (`If-None-Match`, `If-Modified-Since` from the manifest) make a sync with nothing new cost one
//! round trip per file; a `304 Not Modified` keeps the file and only refreshes `fetched_at`.

mod detect;
mod http;
mod load;
mod manifest;
mod source;
mod store;

pub use detect::{Detected, detect_and_parse};
pub use http::{HttpOptions, ProxyChoice};
pub use load::{Feeds, load_paths, load_stored, stored_fingerprint};
pub use manifest::{FileEntry, Manifest};
pub use source::{Source, UrlConfig};
pub use store::{
    FeedStatus, FileOutcome, ImportReport, SyncReport, feeds_dir, import, load_manifest, status,
    sync,
};

/// Why a feed could not be synchronised or imported. Every variant names the source, and the URL
/// or file, so a log line alone says what failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error("{source_name}: {url}: HTTP {status}")]
    Status {
        source_name: Source,
        url: String,
        status: u16,
    },
    /// The request or the body transfer failed (connection refused, dropped, timed out).
    #[error("{source_name}: {url}: {reason}")]
    Transfer {
        source_name: Source,
        url: String,
        reason: String,
    },
    /// The downloaded or imported file is not a valid feed file.
    #[error("{source_name}: {origin}: {error}")]
    Parse {
        source_name: Source,
        origin: String,
        /// Boxed: the parser's error is large, and errors travel through every result.
        error: Box<weerbaar_advisories::FeedError>,
    },
    /// A file given to `import` is no feed weerbaar recognises.
    #[error("{file}: {reason}")]
    Unrecognised { file: String, reason: String },
    /// Reading or writing the data directory failed.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    /// The configuration is invalid (an unknown source, a bad URL or proxy).
    #[error("{0}")]
    Config(String),
}

impl Error {
    pub(crate) fn io(path: &std::path::Path, error: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            error,
        }
    }
}

/// The current time as Unix seconds.
#[must_use]
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
