//! Matching installed components against OSV advisories.
//!
//! # Design
//!
//! * **Compile once** ([`Index::build`]). Every `affected` entry of every non-withdrawn advisory
//!   is stored under its OSV ecosystem base name (`Debian`) and normalised package name, with its
//!   release (`12`) kept beside it for scoping. The bounds of `ECOSYSTEM` ranges are parsed with
//!   the ecosystem's scheme and those of `SEMVER` ranges always with [`Scheme::SemVer`], once;
//!   events are sorted once, as the OSV evaluation algorithm requires. `GIT` ranges are not
//!   evaluated (no commit graph here); such entries match through their `versions` list, which
//!   the feeds that publish GIT ranges (PyPA, OSV.dev enrichment) fill in. An unparseable bound
//!   keeps the entry, drops that event and records a per-advisory [`Warning`]; an ecosystem
//!   [`Ecosystem::parse`] rejects skips the entry with a counted warning. Nothing panics.
//! * **Evaluate exactly as OSV says** (the `eval` module): events sorted by version (`introduced: "0"`
//!   first); walking them, `introduced ≤ v` sets affected, `fixed ≤ v` clears it,
//!   `last_affected < v` clears it, `limit ≤ v` ends the range unaffected. Any range of any
//!   affected entry, or membership of the explicit `versions` list (exact string, or equal under
//!   the scheme), makes the component affected.
//! * **Scope by release** ([`release_matches`]): an advisory without release applies to every
//!   release; Ubuntu compares the `YY.MM` part (`22.04` ~ `22.04:LTS` ~ `Pro:22.04:LTS`); Red Hat
//!   treats the component's release as a `:`-bounded prefix of the advisory's
//!   (`enterprise_linux:9` ~ `enterprise_linux:9::appstream`); RPM distributions with numeric
//!   releases compare the major (`AlmaLinux:9` ~ `9.3`); the others compare exactly. A component
//!   whose ecosystem has no release matches every release.
//! * **Names and versions as the feeds key them** ([`ComponentRef`]): PyPI names are PEP 503
//!   normalised on both sides; Debian, Ubuntu and Alpine advisories are keyed by source (apk:
//!   origin) package, so the component's `source_name`/`source_version` are used when present; RPM feeds differ (Red Hat
//!   and AlmaLinux list binary packages, others source packages), so both names are looked up;
//!   Go versions lose a leading `v` (OSV's Go data has none), and the toolchain's `go1.22.4` its `go`. RPM epochs are the rpm scheme's
//!   business (`1:3.0.7-25.el9`, a missing epoch is `0`).
//! * **Evaluate each distinct package once** ([`Matcher::match_components`]): instances are
//!   grouped by (ecosystem, names, version, origin), so 300 tenants with the same `openssl`
//!   cost one evaluation, and each [`Finding`] lists the input indices that carry it.
//! * **Report a vulnerability once** per package: advisories connected through their ids and
//!   `aliases` (GHSA ↔ CVE ↔ PYSEC) form one union-find group, reported with a preferred primary
//!   id (the ecosystem's own database, then GHSA, then any non-CVE id, then the CVE) and every id.
//!   Withdrawn advisories never match.
//! * **Build from a stream, save, load at start-up** ([`IndexBuilder`], [`Index::save_file`],
//!   [`Index::load_file`], the [`persist`] module). `IndexBuilder::add` compiles one record at a
//!   time, so a feed is never held whole; the alias groups are computed in `finish` from the ids
//!   the index keeps. The saved index is a versioned, checksummed binary file keyed by the
//!   caller's fingerprint of its inputs: a missing, stale (other fingerprint or format version)
//!   file loads as `None` and is rebuilt, a damaged one is an error, never a wrong index. Loading
//!   parses the bounds again from their canonical text but skips the JSON, the union-find and
//!   the sorting. [`save_cache`]/[`load_cache`] give other serde types (the CPE index) the same
//!   envelope. The synthetic 500,000-advisory benchmark corpus is the `corpus` module behind the
//!   non-default `corpus` feature (`examples/corpus.rs`, `scripts/bench-matching`).
//!
//! # CPE matching
//!
//! Components that carry a CPE, or whose vendor and name the editable name-mapping table
//! ([`Mapping`], `data/cpe-mapping.csv`) recognises, are matched against NVD configurations
//! ([`CpeIndex`], [`CpeMatcher`]). Every finding says how it was matched ([`MatchedBy`]:
//! `purl`, `ecosystem`, `cpe` or `name-mapping`), so users can judge guessed matches. The rules,
//! including the treatment of "running on/with" configurations, are in the `cpe` and
//! `mapping` module documentation.

#[cfg(feature = "corpus")]
pub mod corpus;
mod cpe;
mod eval;
mod index;
mod mapping;
mod matcher;
pub mod persist;
mod release;

pub use cpe::{CpeComponent, CpeFinding, CpeHit, CpeIndex, CpeIndexStats, CpeMatcher, CpeWarning};
pub use eval::EvalVersion;
pub use index::{Index, IndexBuilder, IndexStats, Warning};
pub use mapping::{
    Alias, BUILTIN_FILE, Guess, Mapping, MappingError, MappingRow, VersionRule, normalise,
};
pub use matcher::{ComponentRef, Finding, MatchedBy, Matcher, PackageRef};
pub use persist::{PersistError, load_cache, save_cache};
pub use release::{normalise_name, release_matches};

#[cfg(doc)]
use weerbaar_versions::{Ecosystem, Scheme};
