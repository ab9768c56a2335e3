//! `manifest.json`: what is stored for one source, and where it came from.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Source};

/// The name of the manifest file in each source directory.
pub const MANIFEST: &str = "manifest.json";

/// The manifest of one source directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `osv`, `nvd`, `kev` or `epss`.
    pub source: String,
    /// When the source was last confirmed current (Unix seconds, UTC): a download or a
    /// `304 Not Modified` from every URL, or an import. `status` measures age from here.
    pub fetched_at: i64,
    /// The records in all files, as counted by the parser.
    pub records: u64,
    /// The files, in fetch order.
    pub files: Vec<FileEntry>,
}

/// One stored feed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file name inside the source directory.
    pub file: String,
    /// Where it was downloaded from (`None` for an imported file).
    pub url: Option<String>,
    /// The path it was imported from (`None` for a download).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
    /// The server's `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The server's `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When these bytes were downloaded or imported (Unix seconds).
    pub downloaded_at: i64,
    /// When the file was last confirmed current (download, 304 or import; Unix seconds).
    pub fetched_at: i64,
    /// Size in bytes.
    pub size: u64,
    /// Records the parser counted.
    pub records: u64,
    /// The weerbaar-advisories parser that validated the file (`kev::parse`).
    pub parser: String,
}

impl Manifest {
    /// A manifest over `files`; it is as current as its least recently confirmed file.
    pub(crate) fn new(source: Source, files: Vec<FileEntry>) -> Self {
        Self {
            source: source.name().to_owned(),
            fetched_at: files.iter().map(|f| f.fetched_at).min().unwrap_or(0),
            records: files.iter().map(|f| f.records).sum(),
            files,
        }
    }

    /// The entry for `file`, if any.
    #[must_use]
    pub fn file(&self, file: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.file == file)
    }
}

/// Reads the manifest of the source directory `dir`; `None` when there is none yet.
///
/// # Errors
/// [`Error::Io`] when it exists but cannot be read or parsed.
pub fn read(dir: &Path) -> Result<Option<Manifest>, Error> {
    let path = dir.join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Error::io(
            &path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })
}

/// Writes the manifest of `dir` through a temporary file and a rename.
pub(crate) fn write(dir: &Path, manifest: &Manifest) -> Result<(), Error> {
    let path = dir.join(MANIFEST);
    let temp = dir.join(format!(".{MANIFEST}.tmp-{}", std::process::id()));
    let mut text = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
    text.push(b'\n');
    let result = (|| {
        use std::io::Write;
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(&path, e));
    }
    Ok(())
}
