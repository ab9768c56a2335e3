//! Exact version ordering for every ecosystem weerbaar matches.
//!
//! Every patch decision in weerbaar comes down to one question: is the installed version older than
//! the fixed one? This crate answers it the way each ecosystem's own tool does, because a single
//! wrong answer (an epoch, a `~`, a Maven qualifier, a distro release suffix) reports a vulnerable
//! server as patched.
//!
//! # Design
//!
//! * **One module per scheme** ([`scheme`]), each behind [`SchemeVersion`]. A scheme is an ordering
//!   rule; an [`Ecosystem`] (an OSV ecosystem name such as `Debian:12`) maps to one scheme.
//! * **Parse once, compare often.** A version is parsed into a value whose `Ord` never re-parses.
//!   The matcher compares each installed version against many range bounds, so parsing cost is
//!   paid once per string and comparisons stay allocation-free for the hot schemes.
//! * **Typed when the scheme is known, dynamic when it is not.** Code that knows its scheme uses
//!   the concrete types (`DpkgVersion`); code that learns it from data uses [`Version`], which
//!   refuses to compare across schemes rather than invent an order.
//! * **Errors carry the position.** A [`ParseError`] names the scheme, the input, the byte offset
//!   and the reason; nothing in this crate panics on input.
//!
//! The fixture files of osv-scalibr's `semantic` package (and PHP's own `version_compare` tests)
//! are checked in both directions by `tests/it`; property tests check that every order is total
//! and that printing a parsed version and parsing it again gives an equal value.
//!
//! ```
//! use weerbaar_versions::{Ecosystem, Scheme};
//! use std::cmp::Ordering;
//!
//! let eco = Ecosystem::parse("Debian:12").unwrap();
//! assert_eq!(eco.scheme(), Scheme::Dpkg);
//! assert_eq!(eco.scheme().compare("1.0~rc1-1", "1.0-1").unwrap(), Ordering::Less);
//! ```

mod ecosystem;
mod error;
pub mod scheme;
pub mod sort;
mod version;

pub use ecosystem::Ecosystem;
pub use error::{ParseError, UnknownEcosystem};
pub use scheme::{Scheme, SchemeVersion};
pub use version::Version;
