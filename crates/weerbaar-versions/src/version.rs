//! [`Version`]: a parsed version of any scheme, for code that learns the scheme at run time.

use std::cmp::Ordering;
use std::fmt;

use crate::scheme::{
    apk::ApkVersion, cran::CranVersion, dpkg::DpkgVersion, generic::GenericVersion,
    hackage::HackageVersion, maven::MavenVersion, nuget::NuGetVersion, packagist::PackagistVersion,
    pep440::Pep440Version, pub_semver::PubVersion, rpm::RpmVersion, rubygems::RubyGemsVersion,
    semver::SemVersion,
};
use crate::{ParseError, Scheme, SchemeVersion};

macro_rules! versions {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// A parsed version of any scheme.
        ///
        /// Versions of the same scheme are totally ordered. Versions of different schemes are
        /// not comparable: [`PartialOrd::partial_cmp`] returns `None` and `==` is `false`, because
        /// no answer would be meaningful and a wrong one hides a vulnerability.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Version {
            $(
                #[doc = concat!("A [`", stringify!($ty), "`].")]
                $variant($ty),
            )*
        }

        impl Version {
            /// Parses `input` with `scheme`.
            ///
            /// # Errors
            /// The scheme's [`ParseError`].
            pub fn parse(scheme: Scheme, input: &str) -> Result<Self, ParseError> {
                match scheme {
                    $(Scheme::$variant => <$ty>::parse(input).map(Version::$variant),)*
                }
            }

            /// The scheme this version belongs to.
            #[must_use]
            pub fn scheme(&self) -> Scheme {
                match self {
                    $(Version::$variant(_) => Scheme::$variant,)*
                }
            }
        }

        impl PartialOrd for Version {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                match (self, other) {
                    $((Version::$variant(a), Version::$variant(b)) => Some(a.cmp(b)),)*
                    _ => None,
                }
            }
        }

        impl fmt::Display for Version {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Version::$variant(v) => fmt::Display::fmt(v, f),)*
                }
            }
        }

        $(
            impl From<$ty> for Version {
                fn from(v: $ty) -> Self {
                    Version::$variant(v)
                }
            }
        )*
    };
}

versions! {
    Dpkg(DpkgVersion),
    Rpm(RpmVersion),
    Apk(ApkVersion),
    Pep440(Pep440Version),
    SemVer(SemVersion),
    Pub(PubVersion),
    Maven(MavenVersion),
    NuGet(NuGetVersion),
    RubyGems(RubyGemsVersion),
    Packagist(PackagistVersion),
    Cran(CranVersion),
    Hackage(HackageVersion),
    Generic(GenericVersion),
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl Scheme {
    /// Parses both strings with this scheme and compares them.
    ///
    /// # Errors
    /// The [`ParseError`] of the first string that does not parse.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, ParseError> {
        let a = Version::parse(self, a)?;
        let b = Version::parse(self, b)?;
        // Same scheme on both sides, so the comparison is always defined.
        Ok(a.partial_cmp(&b).unwrap_or(Ordering::Equal))
    }

    /// Parses `input` with this scheme.
    ///
    /// # Errors
    /// The scheme's [`ParseError`].
    pub fn parse(self, input: &str) -> Result<Version, ParseError> {
        Version::parse(self, input)
    }
}
