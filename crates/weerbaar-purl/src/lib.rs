//! Package URLs (purl): parsing, building and printing them exactly as ECMA-427 specifies, and
//! mapping them to the OSV ecosystem, package name and version that advisories are keyed by.
//!
//! Every inventory weerbaar imports (CycloneDX and SPDX SBOMs, OS package databases, lockfiles)
//! identifies components by purl, and every advisory match starts from one, so this crate is the
//! single place where a purl string becomes a value.
//!
//! # Specification
//!
//! ECMA-427 (1st edition) and the package-url/purl-spec repository it comes from: clause 5
//! (components, permitted characters, percent-encoding, case folding, per-component rules), the
//! informative "how to parse" and "how to build" procedures, the Annex C grammar, and the
//! registered type definitions (`types/*-definition.json`), which are transcribed in [`types`].
//! Conformance is pinned by the purl-spec test suite (586 cases in `tests/spec` and
//! `tests/types`) and the older flat suite (59 cases), run from `tests/it` against the files in
//! place.
//!
//! # Design
//!
//! * **One value, always canonical.** [`PackageUrl`] stores decoded, normalised components, so
//!   equal packages compare equal however their strings were spelled, and `Display` is the
//!   canonical form (qualifiers sorted by key, upper-case `%XX`, `:` never encoded).
//! * **Two parsers.** [`PackageUrl::parse`] is lenient: it applies every normalisation the spec
//!   and its "recommended" tests show (any case in scheme, type and qualifier keys, `pkg://`,
//!   unencoded characters, empty qualifier values, `.`/`..` subpath segments), because SBOMs in
//!   the wild are written by many tools. [`PackageUrl::parse_strict`] additionally rejects what
//!   the "required" tests reject (upper-case qualifier keys, as in `?Platform=java`) and what
//!   clause 5 says "shall" not appear (a scheme other than `pkg`, unencoded whitespace), for
//!   validating purls weerbaar itself emits. When both accept, they give the same value.
//!   [`PackageUrl::is_canonical`] answers the "validate" question.
//! * **Parsing and building share the normaliser**, so a purl built from components and the
//!   same purl parsed from its string are the same value (property-tested and fuzzed:
//!   print → parse is the identity).
//! * **Type rules are data.** The case-sensitivity flags, namespace requirements, required
//!   qualifiers and permitted characters of each registered type live in one table that a test
//!   checks against the definition files; the few prose rules (pypi `_`→`-`, pub, cpan `::`,
//!   git host/path, mlflow on Databricks) are named in [`types::Special`].
//! * **Errors say where and why**: [`PurlError`] carries the component, byte offset and an
//!   [`ErrorKind`] ("namespace is required for type maven"). Nothing panics on any input.
//! * **Percent-encoding is written here**, not taken from a URL crate: the purl allowed set
//!   (alphanumerics, `.-_~`, and `:` everywhere) matches no library's default.
//!
//! # Where this deviates from the letter of the spec, and why
//!
//! * The "how to parse" text splits `#` and `?` from the right; this parser takes the first `#`
//!   and the first `?` before it, as URL parsing does (clause 5.1: a purl is a URL). Both agree
//!   on every valid purl; the left split keeps an unencoded `?` inside a qualifier value.
//! * The version follows the last `@`, as "how to parse" says, except when that `@` starts a
//!   segment that more path follows: then it is an unencoded npm scope
//!   (`pkg:npm/@babel/core`, as the recommended npm test expects), and there is no version.
//! * A trailing `/` before `@` is not stripped: `pkg:swift/github.com/Alamofire/@5.4.3` has no
//!   name, as the required swift test says (the "how to parse" text would strip it).
//! * `golang` keeps the case of module paths (its definition's flags say case-sensitive; a note
//!   says lower-case; Go module paths are case-sensitive).
//! * `git` lower-cases the repository path only on GitHub and Bitbucket hosts, which are
//!   case-insensitive (their own purl types lower-case); see [`types::Special::Git`].
//! * Duplicate qualifier keys are an error in both modes rather than last-wins: clause 5.6.6
//!   requires unique keys, and silently picking one of two `distro` values would pick a release.
//! * Qualifier values are opaque: the `checksum` list is split by [`PackageUrl::checksums`] but
//!   not lower-cased (the known-qualifiers note asks for lower-case hex; no test requires it and
//!   a value the producer wrote should print back as written).
//! * One required test, maven's `?type=pom&repositorY_url=...` parse case, expects an upper-case
//!   key to be accepted, while the required gem and rpm cases (and clause 5.6.6) reject them:
//!   the lenient parser accepts it, the strict one does not (see `tests/it/spec_suite.rs`).
//!
//! # OSV
//!
//! [`PackageUrl::osv_package`] and [`PackageUrl::osv_version`] map a purl to what OSV keys
//! advisories by; the [`osv`] module documents every rule (distribution releases, source
//! package names, epochs).
//!
//! ```
//! use weerbaar_purl::PackageUrl;
//!
//! let purl = PackageUrl::parse("pkg:rpm/almalinux/openssl@3.0.7-25.el9?distro=almalinux-9&epoch=1")?;
//! let osv = purl.osv_package().expect("AlmaLinux is an OSV ecosystem");
//! assert_eq!(osv.ecosystem.to_string(), "AlmaLinux:9");
//! assert_eq!(osv.name, "openssl");
//! assert_eq!(purl.osv_version().as_deref(), Some("1:3.0.7-25.el9"));
//!
//! let built = PackageUrl::builder("npm", "animation").namespace("@angular").version("12.3.1").build()?;
//! assert_eq!(built.to_string(), "pkg:npm/%40angular/animation@12.3.1");
//! # Ok::<(), weerbaar_purl::PurlError>(())
//! ```

mod encoding;
mod error;
pub mod osv;
mod purl;
pub mod types;

pub use error::{Component, ErrorKind, PurlError};
pub use osv::OsvPackage;
pub use purl::{Builder, PackageUrl};
