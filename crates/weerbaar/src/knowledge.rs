//! Loading what matching needs: the advisory feeds compiled into a `Knowledge`, and the CPE
//! name-mapping table. Shared by `scan`, `findings refresh` and the rematch after an import.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;

/// Why there is nothing to match against; the message tells the user what to do.
#[derive(Debug)]
pub struct NoFeeds(pub String);

/// The built-in name-mapping table, with the rows of `user` on top.
///
/// # Errors
/// The user's file cannot be read, or has an error (named with file and line).
pub fn mapping(user: Option<&Path>) -> anyhow::Result<Mapping> {
    let mapping = Mapping::builtin()?;
    let Some(path) = user else {
        return Ok(mapping);
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let user = Mapping::parse(&text, &path.display().to_string())?;
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
fn load_cached(dir: &Path, fingerprint: &str) -> Option<Knowledge> {
    let warn = |e: &dyn std::fmt::Display| eprintln!("warning: ignoring the knowledge cache: {e}");
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

fn save_cached(dir: &Path, fingerprint: &str, knowledge: &Knowledge) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    knowledge
        .index
        .save_file(&dir.join(INDEX_FILE), fingerprint)?;
    weerbaar_matching::save_cache(&dir.join(CPE_FILE), fingerprint, &knowledge.cpe)?;
    weerbaar_matching::save_cache(&dir.join(INTEL_FILE), fingerprint, &knowledge.intel)?;
    Ok(())
}

/// The feeds `advisories` names, or else the stored feeds of `data_dir`, compiled. Stored
/// feeds are compiled once per change: the result is cached under `<data-dir>/cache/` and
/// loaded instead of re-reading the feeds while their fingerprint is unchanged.
///
/// # Errors
/// A feed that cannot be read or parsed; `Ok(Err(NoFeeds))` when nothing is stored.
pub fn load(data_dir: &Path, advisories: &[PathBuf]) -> anyhow::Result<Result<Knowledge, NoFeeds>> {
    let progress = std::io::stderr().is_terminal();
    if !advisories.is_empty() {
        if progress {
            eprintln!("loading advisories…");
        }
        let feeds = weerbaar_feeds::load_paths(advisories)?;
        let knowledge = Knowledge::build(
            &feeds.osv,
            &feeds.nvd,
            feeds.kev.as_ref(),
            feeds.epss.as_ref(),
        );
        report_warnings(&knowledge);
        return Ok(Ok(knowledge));
    }
    let fingerprint = fingerprint(data_dir)?;
    let cache = cache_dir(data_dir);
    if let Some(knowledge) = load_cached(&cache, &fingerprint) {
        return Ok(Ok(knowledge));
    }
    if progress {
        eprintln!("compiling the stored advisories (once per feed update)…");
    }
    let feeds = weerbaar_feeds::load_stored(data_dir)?;
    if feeds.osv.is_empty() && feeds.nvd.is_empty() {
        return Ok(Err(NoFeeds(format!(
            "no advisories in {}: run `weerbaar feeds sync` (or `feeds import`)",
            weerbaar_feeds::feeds_dir(data_dir).display()
        ))));
    }
    let knowledge = Knowledge::build(
        &feeds.osv,
        &feeds.nvd,
        feeds.kev.as_ref(),
        feeds.epss.as_ref(),
    );
    drop(feeds);
    report_warnings(&knowledge);
    if let Err(e) = save_cached(&cache, &fingerprint, &knowledge) {
        eprintln!("warning: the compiled advisories could not be cached: {e:#}");
    }
    Ok(Ok(knowledge))
}

/// The key of the compiled-knowledge cache: the stored feeds' fingerprint and this binary's
/// version.
///
/// # Errors
/// A feed manifest cannot be read.
pub fn fingerprint(data_dir: &Path) -> anyhow::Result<String> {
    Ok(format!(
        "weerbaar {} {}",
        env!("CARGO_PKG_VERSION"),
        weerbaar_feeds::stored_fingerprint(data_dir)?
    ))
}

/// Where the advisory state of the last rematch is kept (`weerbaar_tracking::AdvisoryState`).
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
) -> anyhow::Result<Option<(Knowledge, weerbaar_feeds::Feeds)>> {
    let feeds = weerbaar_feeds::load_stored(data_dir)?;
    if feeds.osv.is_empty() && feeds.nvd.is_empty() {
        return Ok(None);
    }
    let cache = cache_dir(data_dir);
    if let Some(knowledge) = load_cached(&cache, fingerprint) {
        return Ok(Some((knowledge, feeds)));
    }
    if std::io::stderr().is_terminal() {
        eprintln!("compiling the stored advisories (once per feed update)…");
    }
    let knowledge = Knowledge::build(
        &feeds.osv,
        &feeds.nvd,
        feeds.kev.as_ref(),
        feeds.epss.as_ref(),
    );
    report_warnings(&knowledge);
    if let Err(e) = save_cached(&cache, fingerprint, &knowledge) {
        eprintln!("warning: the compiled advisories could not be cached: {e:#}");
    }
    Ok(Some((knowledge, feeds)))
}

fn report_warnings(knowledge: &Knowledge) {
    const SHOWN: usize = 20;
    let warnings = knowledge.index.warnings();
    for warning in warnings.iter().take(SHOWN) {
        eprintln!("warning: {}: {}", warning.advisory, warning.message);
    }
    if warnings.len() > SHOWN {
        eprintln!(
            "warning: … and {} more advisory warnings",
            warnings.len() - SHOWN
        );
    }
}

/// Matching threads: the number of CPUs unless given.
pub fn threads(given: Option<usize>) -> usize {
    given.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}
