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

/// The feeds `advisories` names, or else the stored feeds of `data_dir`, compiled.
///
/// # Errors
/// A feed that cannot be read or parsed; `Ok(Err(NoFeeds))` when nothing is stored.
pub fn load(data_dir: &Path, advisories: &[PathBuf]) -> anyhow::Result<Result<Knowledge, NoFeeds>> {
    if std::io::stderr().is_terminal() {
        eprintln!("loading advisories…");
    }
    let feeds = if advisories.is_empty() {
        let feeds = weerbaar_feeds::load_stored(data_dir)?;
        if feeds.osv.is_empty() && feeds.nvd.is_empty() {
            return Ok(Err(NoFeeds(format!(
                "no advisories in {}: run `weerbaar feeds sync` (or `feeds import`)",
                weerbaar_feeds::feeds_dir(data_dir).display()
            ))));
        }
        feeds
    } else {
        weerbaar_feeds::load_paths(advisories)?
    };
    let knowledge = Knowledge::build(
        &feeds.osv,
        &feeds.nvd,
        feeds.kev.as_ref(),
        feeds.epss.as_ref(),
    );
    drop(feeds);
    report_warnings(&knowledge);
    Ok(Ok(knowledge))
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
