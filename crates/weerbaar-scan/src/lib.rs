//! An ad hoc vulnerability scan: inventories in, a `weerbaar.scan/1` report out.
//!
//! # Design
//!
//! * **Compile once, scan many** ([`Knowledge`]). The feeds are compiled into the matching
//!   [`Index`](weerbaar_matching::Index) and an [`Intel`] table (summaries, CVSS vectors, KEV
//!   listings, EPSS scores by id). Both are plain data, so the binary can cache them beside the
//!   feeds and a scan does not re-read gigabytes of JSON.
//! * **A report is a pure function** ([`scan`]) of the knowledge, the enriched inventories and
//!   the options (time stamp, version, threads): the same inputs give byte-identical JSON.
//!   Nothing here reads files, the clock or the network.
//! * **Scores are computed, not copied.** A finding's CVSS base score comes from scoring one
//!   published vector with `weerbaar_advisories::cvss`, never from a number in the feed. Which
//!   vector is chosen is documented on [`Intel::cvss`].
//! * **One vulnerability, one finding, per package.** Matching already merges advisories that
//!   alias each other; KEV and EPSS are looked up under every CVE id of the group, so a GHSA
//!   finding shows the KEV listing of its CVE alias.
//! * **The JSON is a contract** ([`report`]): `weerbaar.scan/1` only grows.

mod intel;
pub mod report;
mod scan;

pub use intel::{CvssScore, EpssValue, FeedSummary, Intel, KevListing, VectorSource};
pub use report::{SCHEMA, ScanReport};
pub use scan::{Knowledge, MatchOutcome, Matched, ScanInput, ScanOptions, match_components, scan};
