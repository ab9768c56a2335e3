//! Loading what matching needs, for the commands: the compiling and caching itself is
//! `weerbaar_jobs::knowledge`, shared with the server's jobs; this adds the CLI's messages.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use weerbaar_jobs::knowledge::Note;
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;

pub use weerbaar_jobs::knowledge::threads;

/// Why there is nothing to match against; the message tells the user what to do.
#[derive(Debug)]
pub struct NoFeeds(pub String);

/// Loading messages on stderr; the progress line only for a person at a terminal.
pub fn notes(note: Note) {
    match note {
        Note::Compiling => {
            if std::io::stderr().is_terminal() {
                eprintln!("compiling the stored advisories (once per feed update)…");
            }
        }
        Note::Warning(message) => eprintln!("warning: {message}"),
    }
}

/// The built-in name-mapping table, with the rows of `user` on top.
///
/// # Errors
/// The user's file cannot be read, or has an error (named with file and line).
pub fn mapping(user: Option<&Path>) -> anyhow::Result<Mapping> {
    Ok(weerbaar_jobs::knowledge::mapping(user)?)
}

/// The feeds `advisories` names, or else the stored feeds of `data_dir`, compiled (stored feeds
/// through the cache under `<data-dir>/cache/`).
///
/// # Errors
/// A feed that cannot be read or parsed; `Ok(Err(NoFeeds))` when nothing is stored.
pub fn load(data_dir: &Path, advisories: &[PathBuf]) -> anyhow::Result<Result<Knowledge, NoFeeds>> {
    if !advisories.is_empty() {
        if std::io::stderr().is_terminal() {
            eprintln!("loading advisories…");
        }
        return Ok(Ok(weerbaar_jobs::knowledge::load_paths(
            advisories, &notes,
        )?));
    }
    match weerbaar_jobs::knowledge::load_stored(data_dir, &notes)? {
        Some(knowledge) => Ok(Ok(knowledge)),
        None => Ok(Err(NoFeeds(format!(
            "no advisories in {}: run `weerbaar feeds sync` (or `feeds import`)",
            weerbaar_feeds::feeds_dir(data_dir).display()
        )))),
    }
}
