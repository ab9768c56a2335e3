//! One module per version scheme, all behind [`SchemeVersion`].
//!
//! Each module documents the rules it follows and where they come from (the ecosystem's own tool
//! or specification). A scheme's version type is parsed once; comparing two parsed values never
//! re-parses and, for the hot schemes, never allocates.

use std::fmt;

use crate::ParseError;

pub mod apk;
pub mod cran;
mod digits;
pub mod dpkg;
pub mod generic;
pub mod hackage;
pub mod maven;
pub mod nuget;
pub mod packagist;
pub mod pep440;
pub mod pub_semver;
pub mod rpm;
pub mod rubygems;
pub mod semver;

/// A parsed version of one scheme.
///
/// Implementations uphold these contracts, which the property tests check:
/// * `Ord` is a total order that agrees with the ecosystem's own tool, and `Eq` agrees with `Ord`
///   (two spellings the tool treats as equal, such as `1.0` and `1.0.0` in NuGet, are `==`);
/// * `Display` prints the scheme's canonical form where the scheme normalises (PEP 440, NuGet, …)
///   and the input as given otherwise; parsing the printed form yields an equal version.
pub trait SchemeVersion:
    Ord + Clone + fmt::Debug + fmt::Display + Send + Sync + Sized + 'static
{
    /// The scheme this type implements.
    const SCHEME: Scheme;

    /// Parses `input`, rejecting it with the reason and position when the scheme's tool would.
    ///
    /// # Errors
    /// A [`ParseError`] naming the byte offset and the reason. Never panics, whatever the input.
    fn parse(input: &str) -> Result<Self, ParseError>;
}

/// The version schemes weerbaar implements.
///
/// A scheme is an ordering rule; several ecosystems share one (Debian and Ubuntu use dpkg's).
/// [`crate::Ecosystem`] maps OSV ecosystem names to schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// dpkg: Debian, Ubuntu.
    Dpkg,
    /// rpm's rpmvercmp: Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, …
    Rpm,
    /// apk-tools: Alpine, Wolfi, Chainguard.
    Apk,
    /// PEP 440: PyPI.
    Pep440,
    /// SemVer 2.0 with node-semver's precedence: npm, crates.io, Go, Hex, …
    SemVer,
    /// Dart's pub_semver, which also orders build metadata: Pub.
    Pub,
    /// Maven's ComparableVersion.
    Maven,
    /// NuGet.Versioning.
    NuGet,
    /// RubyGems' Gem::Version.
    RubyGems,
    /// Composer's normalisation plus PHP's version_compare: Packagist.
    Packagist,
    /// R's package_version: CRAN, Bioconductor.
    Cran,
    /// Haskell's Data.Version (PVP): Hackage, GHC.
    Hackage,
    /// A documented dotted scheme for product versions in NVD CPE data.
    Generic,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 13] = [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Pep440,
        Scheme::SemVer,
        Scheme::Pub,
        Scheme::Maven,
        Scheme::NuGet,
        Scheme::RubyGems,
        Scheme::Packagist,
        Scheme::Cran,
        Scheme::Hackage,
        Scheme::Generic,
    ];

    /// The scheme's short, stable name (used in JSON output and error messages).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Pep440 => "pep440",
            Scheme::SemVer => "semver",
            Scheme::Pub => "pub",
            Scheme::Maven => "maven",
            Scheme::NuGet => "nuget",
            Scheme::RubyGems => "rubygems",
            Scheme::Packagist => "packagist",
            Scheme::Cran => "cran",
            Scheme::Hackage => "hackage",
            Scheme::Generic => "generic",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
