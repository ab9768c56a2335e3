//! Reading feeds back for matching: the stored feeds of a data directory, or files given on the
//! command line (`weerbaar scan --advisories PATH`).
//!
//! Both paths produce one [`Feeds`] value with a [`Feeds::fingerprint`]. The fingerprint is
//! what a compiled index cache is keyed by: for stored feeds it is derived from the manifests
//! (file name, size and download time of every file), so it changes exactly when a sync or an
//! import swapped in new bytes, and costs no read of the feed files themselves.

use std::path::{Path, PathBuf};

use weerbaar_advisories::{epss, kev, nvd, osv};

use crate::detect::guess;
use crate::manifest::Manifest;
use crate::store::load_manifest;
use crate::{Error, Source};

/// Parsed feeds, ready to be compiled for matching.
#[derive(Debug, Default)]
pub struct Feeds {
    /// Every OSV advisory, in file order.
    pub osv: Vec<osv::Advisory>,
    /// Every NVD CVE record, in file order.
    pub nvd: Vec<nvd::Cve>,
    /// The KEV catalog (the last one given wins).
    pub kev: Option<kev::Catalog>,
    /// The EPSS scores (the last file given wins).
    pub epss: Option<epss::Scores>,
    /// Identifies these exact inputs; see the module documentation.
    pub fingerprint: String,
}

/// FNV-1a, 64 bits: a stable fingerprint across builds and platforms (std's hasher is not).
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    *hash ^= 0xff;
    *hash = hash.wrapping_mul(0x0100_0000_01b3);
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

impl Feeds {
    /// Adds one parsed file of `source`.
    fn add(&mut self, source: Source, file: &str, bytes: &[u8]) -> Result<(), Error> {
        let parse_error = |error| Error::Parse {
            source_name: source,
            origin: file.to_owned(),
            error: Box::new(error),
        };
        match source {
            Source::Osv => self
                .osv
                .extend(osv::parse_any(file, bytes).map_err(parse_error)?),
            Source::Nvd => self
                .nvd
                .extend(nvd::parse(file, bytes).map_err(parse_error)?.cves),
            Source::Kev => self.kev = Some(kev::parse(file, bytes).map_err(parse_error)?),
            Source::Epss => self.epss = Some(epss::parse(file, bytes).map_err(parse_error)?),
        }
        Ok(())
    }

    /// Whether no feed holds anything.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.osv.is_empty() && self.nvd.is_empty() && self.kev.is_none() && self.epss.is_none()
    }
}

/// The stored feeds of `data_dir`, every source that was ever synced or imported.
///
/// # Errors
/// A manifest or feed file that cannot be read, or (after tampering: stored files were
/// validated before they were swapped in) no longer parses.
pub fn load_stored(data_dir: &Path) -> Result<Feeds, Error> {
    let mut feeds = Feeds::default();
    let mut hash = FNV_OFFSET;
    for source in Source::ALL {
        let Some(manifest) = load_manifest(data_dir, source)? else {
            continue;
        };
        fingerprint_manifest(&mut hash, &manifest);
        let dir = crate::feeds_dir(data_dir).join(source.name());
        for entry in &manifest.files {
            let path = dir.join(&entry.file);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            feeds.add(source, &path.display().to_string(), &bytes)?;
        }
    }
    feeds.fingerprint = format!("stored:{hash:016x}");
    Ok(feeds)
}

/// A fingerprint of the stored feeds of `data_dir` without reading them: equal to
/// [`load_stored`]'s exactly when the stored files are the same.
///
/// # Errors
/// A manifest that cannot be read.
pub fn stored_fingerprint(data_dir: &Path) -> Result<String, Error> {
    let mut hash = FNV_OFFSET;
    for source in Source::ALL {
        if let Some(manifest) = load_manifest(data_dir, source)? {
            fingerprint_manifest(&mut hash, &manifest);
        }
    }
    Ok(format!("stored:{hash:016x}"))
}

fn fingerprint_manifest(hash: &mut u64, manifest: &Manifest) {
    fnv(hash, manifest.source.as_bytes());
    for f in &manifest.files {
        fnv(hash, f.file.as_bytes());
        fnv(hash, &f.size.to_le_bytes());
        fnv(hash, &f.downloaded_at.to_le_bytes());
    }
}

/// Feed files and directories given by path, each file recognised by its content as
/// `weerbaar feeds import` does. A directory contributes every `.json`, `.jsonl`, `.zip`,
/// `.csv` and `.gz` file below it (an OSV tree of records, a folder of downloaded feeds).
/// Nothing is stored.
///
/// # Errors
/// The first path that cannot be read, recognised or parsed, named in the error; a directory
/// without any feed file.
pub fn load_paths(paths: &[PathBuf]) -> Result<Feeds, Error> {
    let mut feeds = Feeds::default();
    let mut hash = FNV_OFFSET;
    for path in paths {
        let files = if path.is_dir() {
            let mut files = Vec::new();
            walk(path, FEED_EXTENSIONS, &mut files).map_err(|e| Error::io(path, e))?;
            if files.is_empty() {
                return Err(Error::Unrecognised {
                    file: path.display().to_string(),
                    reason: "the directory holds no .json, .jsonl, .zip, .csv or .gz files"
                        .to_owned(),
                });
            }
            files.sort();
            files
        } else {
            vec![path.clone()]
        };
        for file in files {
            let shown = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            let source = guess(&bytes).ok_or_else(|| Error::Unrecognised {
                file: shown.clone(),
                reason: "not an OSV, NVD, KEV or EPSS feed file".to_owned(),
            })?;
            fnv(&mut hash, shown.as_bytes());
            fnv(&mut hash, &bytes);
            feeds.add(source, &shown, &bytes)?;
        }
    }
    feeds.fingerprint = format!("paths:{hash:016x}");
    Ok(feeds)
}

pub(crate) const FEED_EXTENSIONS: &[&str] = &[".json", ".jsonl", ".zip", ".csv", ".gz"];

/// The files below `dir` whose names end in one of `extensions`, hidden files and directories
/// excluded, in no particular order.
pub(crate) fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, extensions, out)?;
        } else if extensions.iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_separates_fields() {
        let (mut a, mut b) = (FNV_OFFSET, FNV_OFFSET);
        fnv(&mut a, b"ab");
        fnv(&mut a, b"c");
        fnv(&mut b, b"a");
        fnv(&mut b, b"bc");
        assert_ne!(a, b);
    }

    #[test]
    fn unrecognised_file_is_named() {
        let dir = std::env::temp_dir().join(format!("weerbaar-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create dir");
        let file = dir.join("notes.txt");
        std::fs::write(&file, "hello\n").expect("write");
        let err = load_paths(std::slice::from_ref(&file)).expect_err("not a feed");
        assert!(err.to_string().contains("notes.txt"), "{err}");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
