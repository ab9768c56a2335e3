//! Integration tests: semantics on hand-built advisories, and real oracles (osv-scanner results,
//! the OSV API querybatch recordings, real OSV feeds).

mod cpe;
mod feeds;
mod no_panic;
mod persist;
mod scan_results;
mod semantics;
mod support;
mod trivy;
