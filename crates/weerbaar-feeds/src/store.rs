//! The feed directory: syncing, importing and reporting on `<data-dir>/feeds/<source>/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::detect::{Detected, detect_and_parse, parse_as};
use crate::http::{Client, Fetched};
use crate::manifest::{self, FileEntry, MANIFEST, Manifest};
use crate::{Error, HttpOptions, Source, UrlConfig, now};

/// `<data-dir>/feeds`.
#[must_use]
pub fn feeds_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("feeds")
}

fn source_dir(data_dir: &Path, source: Source) -> PathBuf {
    feeds_dir(data_dir).join(source.name())
}

/// The manifest of `source` under `data_dir`, if it was ever synced or imported.
///
/// # Errors
/// [`Error::Io`] when the manifest exists but cannot be read.
pub fn load_manifest(data_dir: &Path, source: Source) -> Result<Option<Manifest>, Error> {
    manifest::read(&source_dir(data_dir, source))
}

/// Temporary files that are removed unless the update they belong to completed.
struct Staging {
    files: Vec<PathBuf>,
}

impl Staging {
    fn temp_for(&mut self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        self.files.push(path.clone());
        path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for file in &self.files {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// Keeps the characters that are safe in a file name.
fn sanitize(s: &str) -> String {
    let decoded = s.replace("%20", " ");
    decoded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned()
}

/// The stored file name of a download: the URL's last path segment; for OSV the ecosystem is
/// kept (`Debian-all.zip`); for an NVD API page its start index (`nvd-api-000000.json`).
fn file_name(source: Source, url: &str, page: Option<u64>) -> String {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let segments: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    let mut segments = segments.into_iter().rev();
    let last = segments.next().unwrap_or("feed");
    let name = match source {
        Source::Osv => match segments.next() {
            Some(eco) => format!("{}-{}", sanitize(eco), sanitize(last)),
            None => sanitize(last),
        },
        Source::Nvd if !last.ends_with(".json") && !last.ends_with(".gz") => {
            format!("nvd-api-{:06}.json", page.unwrap_or(0))
        }
        _ => sanitize(last),
    };
    if name.is_empty() {
        format!("{}-feed", source.name())
    } else {
        name
    }
}

/// `url` with its `startIndex` query parameter set to `start`.
fn with_start_index(url: &str, start: u64) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("startIndex="))
        .collect();
    let start = format!("startIndex={start}");
    params.push(&start);
    format!("{base}?{}", params.join("&"))
}

/// What happened to one file during a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum FileOutcome {
    /// New bytes were downloaded, verified and stored.
    Updated {
        file: String,
        url: String,
        size: u64,
        records: u64,
    },
    /// The server answered `304 Not Modified`; the stored file stays.
    NotModified {
        file: String,
        url: String,
        records: u64,
    },
}

/// The result of syncing one source.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub source: Source,
    pub files: Vec<FileOutcome>,
    /// Records in the source after the sync.
    pub records: u64,
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Syncs each of `sources` from its configured URLs into `data_dir`, one source at a time;
/// `progress` receives one line per step (for stderr). A source that fails keeps its previous
/// files and manifest untouched; the others still sync.
///
/// # Errors
/// The outer error is only for an invalid proxy; each source reports its own result.
pub fn sync(
    data_dir: &Path,
    sources: &[Source],
    urls: &UrlConfig,
    http: &HttpOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Result<SyncReport, Error>>, Error> {
    let client = Client::new(http)?;
    Ok(sources
        .iter()
        .map(|&source| sync_source(data_dir, source, &urls.urls(source), &client, progress))
        .collect())
}

fn sync_source(
    data_dir: &Path,
    source: Source,
    urls: &[String],
    client: &Client,
    progress: &mut dyn FnMut(&str),
) -> Result<SyncReport, Error> {
    let dir = source_dir(data_dir, source);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let previous = manifest::read(&dir)?;
    let mut staging = Staging { files: Vec::new() };
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut entries: Vec<FileEntry> = Vec::new();
    let mut outcomes = Vec::new();
    let started = now();
    let mut queue: std::collections::VecDeque<(String, Option<u64>)> =
        urls.iter().map(|u| (u.clone(), None)).collect();
    while let Some((url, page)) = queue.pop_front() {
        let name = file_name(source, &url, page);
        if entries.iter().any(|e| e.file == name) {
            return Err(Error::Config(format!(
                "{source}: two URLs store as the same file {name}: {url}"
            )));
        }
        let target = dir.join(&name);
        // Only ask "changed since?" about a file that is still there to keep.
        let known = previous
            .as_ref()
            .and_then(|m| m.file(&name))
            .filter(|e| e.url.as_deref() == Some(url.as_str()) && target.is_file());
        let validators = known.map(|e| (e.etag.as_deref(), e.last_modified.as_deref()));
        progress(&format!("{source}: GET {url}"));
        let temp = staging.temp_for(&dir, &name);
        match client.fetch(source, &url, validators, &temp, progress)? {
            Fetched::NotModified => {
                let Some(known) = known else {
                    return Err(Error::Transfer {
                        source_name: source,
                        url,
                        reason: "304 Not Modified to an unconditional request".to_owned(),
                    });
                };
                progress(&format!("{source}: {name}: not modified"));
                if source == Source::Nvd {
                    // The next page is named inside this one: read it from the kept file.
                    let bytes = std::fs::read(&target).map_err(|e| Error::io(&target, e))?;
                    let kept = parse_as(source, &name, &bytes).map_err(|error| Error::Parse {
                        source_name: source,
                        origin: target.display().to_string(),
                        error: Box::new(error),
                    })?;
                    if let Some(next) = kept.next_start_index {
                        queue.push_front((with_start_index(&url, next), Some(next)));
                    }
                }
                outcomes.push(FileOutcome::NotModified {
                    file: name.clone(),
                    url: url.clone(),
                    records: known.records,
                });
                entries.push(FileEntry {
                    fetched_at: started,
                    ..known.clone()
                });
            }
            Fetched::Body {
                size,
                etag,
                last_modified,
            } => {
                let bytes = std::fs::read(&temp).map_err(|e| Error::io(&temp, e))?;
                let detected = parse_as(source, &url, &bytes).map_err(|error| Error::Parse {
                    source_name: source,
                    origin: url.clone(),
                    error: Box::new(error),
                })?;
                drop(bytes);
                progress(&format!(
                    "{source}: {name}: {size} bytes, {} records",
                    detected.records
                ));
                if let Some(next) = detected.next_start_index {
                    if client.nvd_paced() {
                        std::thread::sleep(std::time::Duration::from_millis(6500));
                    }
                    queue.push_front((with_start_index(&url, next), Some(next)));
                }
                outcomes.push(FileOutcome::Updated {
                    file: name.clone(),
                    url: url.clone(),
                    size,
                    records: detected.records,
                });
                entries.push(FileEntry {
                    file: name.clone(),
                    url: Some(url.clone()),
                    imported_from: None,
                    etag,
                    last_modified,
                    downloaded_at: started,
                    fetched_at: started,
                    size,
                    records: detected.records,
                    parser: detected.parser.to_owned(),
                });
                staged.push((temp, target));
            }
        }
    }
    let manifest = Manifest::new(source, entries);
    commit(&dir, &staged, previous.as_ref(), &manifest)?;
    staging.files.clear();
    Ok(SyncReport {
        source,
        records: manifest.records,
        files: outcomes,
    })
}

/// Renames the verified temporary files over the previous ones, writes the manifest last, and
/// removes files the previous manifest listed that the new one no longer does.
fn commit(
    dir: &Path,
    staged: &[(PathBuf, PathBuf)],
    previous: Option<&Manifest>,
    manifest: &Manifest,
) -> Result<(), Error> {
    for (temp, target) in staged {
        std::fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
    }
    manifest::write(dir, manifest)?;
    if let Some(previous) = previous {
        for old in &previous.files {
            if manifest.file(&old.file).is_none() && old.file != MANIFEST {
                let _ = std::fs::remove_file(dir.join(&old.file));
            }
        }
    }
    Ok(())
}

/// One file stored by [`import`].
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub path: String,
    pub source: Source,
    pub file: String,
    pub size: u64,
    pub records: u64,
    pub parser: String,
}

/// Directories that hold other feeds than OSV records (a folder of NVD records, downloads of
/// every source) are replaced by their feed files; OSV trees stay whole, to be stored as one
/// zip. The first `.json` file, in name order, tells which a directory is.
fn expand_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut json = Vec::new();
        crate::load::walk(path, &[".json"], &mut json).map_err(|e| Error::io(path, e))?;
        let first = json.iter().min();
        let osv_tree = match first {
            Some(file) => {
                let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
                crate::detect::guess(&bytes) == Some(Source::Osv)
            }
            None => true,
        };
        if osv_tree {
            out.push(path.clone());
        } else {
            let mut files = Vec::new();
            crate::load::walk(path, crate::load::FEED_EXTENSIONS, &mut files)
                .map_err(|e| Error::io(path, e))?;
            files.sort();
            out.extend(files);
        }
    }
    Ok(out)
}

/// Zips the `.json` files under `dir` (an OSV directory tree) so it is stored as one file.
fn zip_dir(dir: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Write;
    let mut files = Vec::new();
    crate::load::walk(dir, &[".json"], &mut files).map_err(|e| Error::io(dir, e))?;
    if files.is_empty() {
        return Err(Error::Unrecognised {
            file: dir.display().to_string(),
            reason: "a directory to import must hold OSV records as .json files; none found"
                .to_owned(),
        });
    }
    files.sort();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
        let name = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        writer
            .start_file(name, options)
            .and_then(|()| writer.write_all(&bytes).map_err(Into::into))
            .map_err(|e| Error::io(&file, std::io::Error::other(e)))?;
    }
    writer
        .finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| Error::io(dir, std::io::Error::other(e)))
}

/// Imports feed files (or OSV directory trees) into `data_dir`: each is recognised by content
/// and parsed in full first; only when all of them parsed are they stored, each source's files
/// and manifest through temporary files and renames. A directory is stored as one zip.
///
/// # Errors
/// The first file that cannot be read, recognised or parsed; nothing is stored then.
pub fn import(data_dir: &Path, paths: &[PathBuf]) -> Result<Vec<ImportReport>, Error> {
    let mut parsed: Vec<(ImportReport, Vec<u8>)> = Vec::new();
    for path in &expand_dirs(paths)? {
        let shown = path.display().to_string();
        let (bytes, name) = if path.is_dir() {
            let dir_name = path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "osv".to_owned());
            (zip_dir(path)?, format!("{}.zip", sanitize(&dir_name)))
        } else {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let name = path
                .file_name()
                .map_or_else(|| "feed".to_owned(), |n| sanitize(&n.to_string_lossy()));
            (bytes, name)
        };
        let Detected {
            source,
            records,
            parser,
            ..
        } = match detect_and_parse(&shown, &bytes) {
            Ok(d) => d,
            Err(None) => {
                return Err(Error::Unrecognised {
                    file: shown,
                    reason: "not an OSV record, JSON Lines, zip or directory, an NVD CVE 2.0 \
                        document, a KEV catalog (JSON or CSV) or EPSS scores (CSV, plain or gzip)"
                        .to_owned(),
                });
            }
            Err(Some((source, error))) => {
                return Err(Error::Parse {
                    source_name: source,
                    origin: shown,
                    error: Box::new(error),
                });
            }
        };
        if let Some((other, _)) = parsed
            .iter()
            .find(|(r, _)| r.source == source && (source.single_file() || r.file == name))
        {
            return Err(Error::Config(format!(
                "{shown} and {} would both be stored as the {source} feed; import one of them",
                other.path
            )));
        }
        parsed.push((
            ImportReport {
                path: shown,
                source,
                file: name,
                size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
                records,
                parser: parser.to_owned(),
            },
            bytes,
        ));
    }

    // Stage every file of every source before renaming anything.
    let mut staging = Staging { files: Vec::new() };
    let mut by_source: BTreeMap<Source, Vec<(PathBuf, PathBuf)>> = BTreeMap::new();
    for (report, bytes) in &parsed {
        let dir = source_dir(data_dir, report.source);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let temp = staging.temp_for(&dir, &report.file);
        write_synced(&temp, bytes)?;
        by_source
            .entry(report.source)
            .or_default()
            .push((temp, dir.join(&report.file)));
    }
    let at = now();
    let mut plans = Vec::new();
    for (&source, staged) in &by_source {
        let dir = source_dir(data_dir, source);
        let previous = manifest::read(&dir)?;
        let new: Vec<FileEntry> = parsed
            .iter()
            .filter(|(r, _)| r.source == source)
            .map(|(r, _)| FileEntry {
                file: r.file.clone(),
                url: None,
                imported_from: std::fs::canonicalize(&r.path)
                    .map_or_else(|_| Some(r.path.clone()), |p| Some(p.display().to_string())),
                etag: None,
                last_modified: None,
                downloaded_at: at,
                fetched_at: at,
                size: r.size,
                records: r.records,
                parser: r.parser.clone(),
            })
            .collect();
        let mut files: Vec<FileEntry> = match (&previous, source.single_file()) {
            (Some(previous), false) => previous
                .files
                .iter()
                .filter(|old| !new.iter().any(|n| n.file == old.file))
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        files.extend(new);
        plans.push((dir, staged.clone(), previous, Manifest::new(source, files)));
    }
    for (dir, staged, previous, manifest) in &plans {
        commit(dir, staged, previous.as_ref(), manifest)?;
    }
    staging.files.clear();
    Ok(parsed.into_iter().map(|(r, _)| r).collect())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// The state of one source for `feeds status`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedStatus {
    pub source: Source,
    /// `ok`, `stale`, `missing` (never synced or imported) or `damaged` (a file listed in the
    /// manifest is gone or has another size; sync or import again).
    pub state: &'static str,
    pub files: Vec<String>,
    pub records: Option<u64>,
    /// When the source was last confirmed current (Unix seconds).
    pub fetched_at: Option<i64>,
    /// Seconds since `fetched_at`, measured at `now`.
    pub age_seconds: Option<i64>,
    /// The age after which the source counts as stale.
    pub stale_after_seconds: i64,
    pub stale: bool,
}

/// The state of every source at time `now` (Unix seconds; injectable for tests).
///
/// # Errors
/// [`Error::Io`] when a manifest exists but cannot be read.
pub fn status(data_dir: &Path, now: i64) -> Result<Vec<FeedStatus>, Error> {
    Source::ALL
        .into_iter()
        .map(|source| {
            let manifest = load_manifest(data_dir, source)?;
            let stale_after_seconds = source.stale_after();
            Ok(match manifest {
                None => FeedStatus {
                    source,
                    state: "missing",
                    files: Vec::new(),
                    records: None,
                    fetched_at: None,
                    age_seconds: None,
                    stale_after_seconds,
                    stale: true,
                },
                Some(m) => {
                    let age = now.saturating_sub(m.fetched_at).max(0);
                    let stale = age > stale_after_seconds;
                    let dir = source_dir(data_dir, source);
                    // A file deleted or changed behind weerbaar's back (size differs).
                    let damaged = m.files.iter().any(|f| {
                        std::fs::metadata(dir.join(&f.file)).map_or(true, |md| md.len() != f.size)
                    });
                    FeedStatus {
                        source,
                        state: match (damaged, stale) {
                            (true, _) => "damaged",
                            (false, true) => "stale",
                            (false, false) => "ok",
                        },
                        files: m.files.iter().map(|f| f.file.clone()).collect(),
                        records: Some(m.records),
                        fetched_at: Some(m.fetched_at),
                        age_seconds: Some(age),
                        stale_after_seconds,
                        stale,
                    }
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            file_name(Source::Osv, "https://h/Rocky%20Linux/all.zip", None),
            "Rocky_Linux-all.zip"
        );
        assert_eq!(
            file_name(Source::Kev, "http://127.0.0.1:1/a/kev.json?x=1", None),
            "kev.json"
        );
        assert_eq!(
            file_name(Source::Nvd, "https://h/rest/json/cves/2.0", Some(2000)),
            "nvd-api-002000.json"
        );
        assert_eq!(
            with_start_index("https://h/2.0?a=1&startIndex=0", 2000),
            "https://h/2.0?a=1&startIndex=2000"
        );
    }
}
