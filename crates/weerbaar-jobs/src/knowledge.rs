//! Loading what matching needs: the stored advisory feeds compiled into a `Knowledge` (cached
//! per feed update), and the CPE name-mapping table. Shared by the CLI (`scan`, `findings
//! refresh`, the rematch after an import or a feed update) and the jobs.
//!
//! Messages for people (a damaged cache, advisory warnings, "compiling…") go to a [`Notes`]
//! callback: the CLI prints them on stderr, the server logs them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;

use crate::JobsError;

/// Something worth telling the person or the log while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// The stored feeds are being compiled (slow; once per feed update).
    Compiling,
    /// A damaged cache, an advisory the index could not use, a cache that could not be saved.
    Warning(String),
}

/// Where [`Note`]s go.
pub type Notes<'a> = &'a (dyn Fn(Note) + Send + Sync);

/// Notes to the log, for the jobs.
pub fn log_notes(note: Note) {
    match note {
        Note::Compiling => tracing::info!("compiling the stored advisories"),
        Note::Warning(message) => tracing::warn!("{message}"),
    }
}

/// The built-in name-mapping table, with the rows of `user` on top.
///
/// # Errors
/// The user's file cannot be read, or has an error (named with file and line).
pub fn mapping(user: Option<&Path>) -> Result<Mapping, JobsError> {
    let mapping =
        Mapping::builtin().map_err(|e| JobsError::failed("the built-in CPE name table", e))?;
    let Some(path) = user else {
        return Ok(mapping);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| JobsError::failed(format!("reading {}", path.display()), e))?;
    let user = Mapping::parse(&text, &path.display().to_string())
        .map_err(|e| JobsError::failed(format!("reading {}", path.display()), e))?;
    Ok(mapping.with(user))
}

/// The compiled-knowledge cache of a data directory: the matching index, the CPE index and
/// the intel table, each a file keyed by the stored feeds' fingerprint and this binary's
/// version (a new release may compile differently).
fn cache_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache")
}

const INDEX_FILE: &str = "osv-index.bin";
const CPE_FILE: &str = "cpe-index.bin";
const INTEL_FILE: &str = "intel.bin";

/// The cached knowledge, when every part is there for `fingerprint`. A damaged file is reported
/// and treated as missing: the cache is rebuilt from the feeds, never trusted.
fn load_cached(dir: &Path, fingerprint: &str, notes: Notes<'_>) -> Option<Knowledge> {
    let warn = |e: &dyn std::fmt::Display| {
        notes(Note::Warning(format!("ignoring the knowledge cache: {e}")));
    };
    let index = weerbaar_matching::Index::load_file(&dir.join(INDEX_FILE), fingerprint)
        .map_err(|e| warn(&e))
        .ok()??;
    let cpe = weerbaar_matching::load_cache(&dir.join(CPE_FILE), fingerprint)
        .map_err(|e| warn(&e))
        .ok()??;
    let intel = weerbaar_matching::load_cache(&dir.join(INTEL_FILE), fingerprint)
        .map_err(|e| warn(&e))
        .ok()??;
    Some(Knowledge { index, cpe, intel })
}

fn save_cached(dir: &Path, fingerprint: &str, knowledge: &Knowledge) -> Result<(), JobsError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| JobsError::failed(format!("creating {}", dir.display()), e))?;
    let saving = |e| JobsError::failed(format!("saving the cache in {}", dir.display()), e);
    knowledge
        .index
        .save_file(&dir.join(INDEX_FILE), fingerprint)
        .map_err(saving)?;
    weerbaar_matching::save_cache(&dir.join(CPE_FILE), fingerprint, &knowledge.cpe)
        .map_err(saving)?;
    weerbaar_matching::save_cache(&dir.join(INTEL_FILE), fingerprint, &knowledge.intel)
        .map_err(saving)?;
    Ok(())
}

fn compile(feeds: &weerbaar_feeds::Feeds, notes: Notes<'_>) -> Knowledge {
    let knowledge = Knowledge::build(
        &feeds.osv,
        &feeds.nvd,
        feeds.kev.as_ref(),
        feeds.epss.as_ref(),
    );
    report_warnings(&knowledge, notes);
    knowledge
}

/// The feeds `advisories` names, compiled (not cached: they are files of the moment).
///
/// # Errors
/// A feed that cannot be read or parsed.
pub fn load_paths(advisories: &[PathBuf], notes: Notes<'_>) -> Result<Knowledge, JobsError> {
    let feeds = weerbaar_feeds::load_paths(advisories)?;
    Ok(compile(&feeds, notes))
}

/// The stored feeds of `data_dir`, compiled. They are compiled once per change: the result is
/// cached under `<data-dir>/cache/` and loaded instead of re-reading the feeds while their
/// fingerprint is unchanged. `None` when nothing is stored.
///
/// # Errors
/// A feed that cannot be read or parsed.
pub fn load_stored(data_dir: &Path, notes: Notes<'_>) -> Result<Option<Knowledge>, JobsError> {
    let fingerprint = fingerprint(data_dir)?;
    let cache = cache_dir(data_dir);
    if let Some(knowledge) = load_cached(&cache, &fingerprint, notes) {
        return Ok(Some(knowledge));
    }
    notes(Note::Compiling);
    let feeds = weerbaar_feeds::load_stored(data_dir)?;
    if feeds.osv.is_empty() && feeds.nvd.is_empty() {
        return Ok(None);
    }
    let knowledge = compile(&feeds, notes);
    drop(feeds);
    if let Err(e) = save_cached(&cache, &fingerprint, &knowledge) {
        notes(Note::Warning(format!(
            "the compiled advisories could not be cached: {e}"
        )));
    }
    Ok(Some(knowledge))
}

/// The stored knowledge of `data_dir` as [`load_stored`] gives it, kept in memory while the
/// feeds' fingerprint is unchanged: the server's rematch job runs every few seconds, and reading
/// the cache files each time would cost more than matching a few assets. The price is that the
/// compiled knowledge stays resident in the server between runs.
///
/// # Errors
/// As [`load_stored`].
pub fn load_stored_shared(
    data_dir: &Path,
    notes: Notes<'_>,
) -> Result<Option<Arc<Knowledge>>, JobsError> {
    type Resident = Mutex<HashMap<PathBuf, (String, Arc<Knowledge>)>>;
    static RESIDENT: OnceLock<Resident> = OnceLock::new();
    let resident = RESIDENT.get_or_init(Resident::default);
    let fingerprint = fingerprint(data_dir)?;
    if let Some((kept, knowledge)) = resident
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(data_dir)
        && *kept == fingerprint
    {
        return Ok(Some(Arc::clone(knowledge)));
    }
    // Loaded outside the lock: a slow compile must not hold up another data directory.
    let Some(knowledge) = load_stored(data_dir, notes)? else {
        return Ok(None);
    };
    let knowledge = Arc::new(knowledge);
    resident
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(data_dir.to_owned(), (fingerprint, Arc::clone(&knowledge)));
    Ok(Some(knowledge))
}

/// The key of the compiled-knowledge cache: the stored feeds' fingerprint and this build's
/// version.
///
/// # Errors
/// A feed manifest cannot be read.
pub fn fingerprint(data_dir: &Path) -> Result<String, JobsError> {
    Ok(format!(
        "weerbaar {} {}",
        env!("CARGO_PKG_VERSION"),
        weerbaar_feeds::stored_fingerprint(data_dir)?
    ))
}

/// Where the advisory state of the last rematch is kept (`weerbaar_tracking::AdvisoryState`).
#[must_use]
pub fn state_path(data_dir: &Path) -> PathBuf {
    cache_dir(data_dir).join("advisory-state.bin")
}

/// The stored feeds both parsed and compiled, for the rematch after a feed update: the
/// records give the advisory state, the knowledge the findings. The compiled part comes from
/// the cache when it is current and is cached otherwise, so `scan` and later rematches find it
/// ready; the feeds are parsed once either way. `None` when nothing is stored.
///
/// # Errors
/// A feed that cannot be read or parsed.
pub fn load_stored_with_feeds(
    data_dir: &Path,
    fingerprint: &str,
    notes: Notes<'_>,
) -> Result<Option<(Knowledge, weerbaar_feeds::Feeds)>, JobsError> {
    let feeds = weerbaar_feeds::load_stored(data_dir)?;
    if feeds.osv.is_empty() && feeds.nvd.is_empty() {
        return Ok(None);
    }
    let cache = cache_dir(data_dir);
    if let Some(knowledge) = load_cached(&cache, fingerprint, notes) {
        return Ok(Some((knowledge, feeds)));
    }
    notes(Note::Compiling);
    let knowledge = compile(&feeds, notes);
    if let Err(e) = save_cached(&cache, fingerprint, &knowledge) {
        notes(Note::Warning(format!(
            "the compiled advisories could not be cached: {e}"
        )));
    }
    Ok(Some((knowledge, feeds)))
}

fn report_warnings(knowledge: &Knowledge, notes: Notes<'_>) {
    const SHOWN: usize = 20;
    let warnings = knowledge.index.warnings();
    for warning in warnings.iter().take(SHOWN) {
        notes(Note::Warning(format!(
            "{}: {}",
            warning.advisory, warning.message
        )));
    }
    if warnings.len() > SHOWN {
        notes(Note::Warning(format!(
            "… and {} more advisory warnings",
            warnings.len() - SHOWN
        )));
    }
}

/// Matching threads: the number of CPUs unless given.
#[must_use]
pub fn threads(given: Option<usize>) -> usize {
    given.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}
