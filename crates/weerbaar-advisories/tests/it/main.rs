//! All integration tests of weerbaar-advisories, built into one binary.

mod cvss;
mod epss;
mod kev;
mod nvd;
mod osv;
