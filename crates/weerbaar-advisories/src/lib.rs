//! Vulnerability intelligence: the advisory feeds weerbaar matches inventories against.
//!
//! One module per feed, each a strict parser whose errors name the file and the record:
//!
//! * [`osv`]: OSV records (one JSON, JSON Lines, a directory tree, osv.dev's `all.zip`);
//! * [`nvd`]: NVD CVE JSON 2.0 (API pages and single records) with CPE 2.3 match criteria;
//! * [`kev`]: the CISA Known Exploited Vulnerabilities catalog (JSON and CSV);
//! * [`epss`]: FIRST EPSS daily scores (CSV, plain or gzip);
//! * [`cvss`]: CVSS v3.1 and v4.0 base scores computed from the vector, never copied from text.
//!
//! Parsing validates as it deserialises (as rustsec does): a record that violates its schema is
//! rejected with its id and JSON path, instead of flowing on and being half-matched later. This
//! crate does no network or storage I/O; downloading and storing feeds are adapters around it.

pub mod cvss;
pub mod epss;
mod error;
pub mod kev;
pub mod nvd;
pub mod osv;

pub use error::{FeedError, FeedErrorKind, Record};
