//! The dispatcher from OSV ecosystem names to version schemes.
//!
//! OSV writes an ecosystem as `Name` or `Name:release` (`Debian:12`, `AlmaLinux:9`,
//! `Alpine:v3.19`, `Ubuntu:Pro:22.04:LTS`). The release does not change how versions order, so it
//! is kept for the caller (advisory matching scopes by it) but ignored for the scheme. Names match
//! case-insensitively because inventories and hand-written files spell them loosely (`pypi`,
//! `DEBIAN`). An ecosystem that is not in the table is rejected, never guessed: ordering `1.10`
//! against `1.9` with the wrong scheme silently reports a vulnerable system as patched.

use std::fmt;
use std::str::FromStr;

use crate::{Scheme, UnknownEcosystem};

/// OSV ecosystem names (as spelled in the OSV schema) and the scheme each uses.
///
/// `generic` is weerbaar's own name for product versions from NVD CPE data, which OSV has no
/// ecosystem for.
const TABLE: &[(&str, Scheme)] = &[
    ("AlmaLinux", Scheme::Rpm),
    ("Alpaquita", Scheme::Apk),
    ("Alpine", Scheme::Apk),
    ("Azure Linux", Scheme::Rpm),
    ("BellSoft Hardened Containers", Scheme::Apk),
    ("Bioconductor", Scheme::Cran),
    ("Bitnami", Scheme::SemVer),
    ("Chainguard", Scheme::Apk),
    ("CRAN", Scheme::Cran),
    ("crates.io", Scheme::SemVer),
    ("Debian", Scheme::Dpkg),
    ("GHC", Scheme::Hackage),
    ("Go", Scheme::SemVer),
    ("Hackage", Scheme::Hackage),
    ("Hex", Scheme::SemVer),
    ("Mageia", Scheme::Rpm),
    ("Maven", Scheme::Maven),
    ("MinimOS", Scheme::Apk),
    ("npm", Scheme::SemVer),
    ("NuGet", Scheme::NuGet),
    ("openEuler", Scheme::Rpm),
    ("openSUSE", Scheme::Rpm),
    ("Packagist", Scheme::Packagist),
    ("Photon OS", Scheme::Rpm),
    ("Pub", Scheme::Pub),
    ("PyPI", Scheme::Pep440),
    ("Red Hat", Scheme::Rpm),
    ("Rocky Linux", Scheme::Rpm),
    ("RubyGems", Scheme::RubyGems),
    ("SUSE", Scheme::Rpm),
    ("SwiftURL", Scheme::SemVer),
    ("Ubuntu", Scheme::Dpkg),
    ("Wolfi", Scheme::Apk),
    ("generic", Scheme::Generic),
];

/// A recognised ecosystem: its canonical OSV name, optional release, and version scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ecosystem {
    name: &'static str,
    release: Option<Box<str>>,
    scheme: Scheme,
}

impl Ecosystem {
    /// Looks up `input` (`Name` or `Name:release`, any case).
    ///
    /// # Errors
    /// [`UnknownEcosystem`], whose message lists every supported ecosystem.
    pub fn parse(input: &str) -> Result<Self, UnknownEcosystem> {
        let trimmed = input.trim();
        let (base, release) = match trimmed.split_once(':') {
            Some((base, release)) => (base.trim(), Some(release.trim())),
            None => (trimmed, None),
        };
        let unknown = || UnknownEcosystem {
            name: input.to_owned(),
        };
        let &(name, scheme) = TABLE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(base))
            .ok_or_else(unknown)?;
        let release = match release {
            None => None,
            Some("") => return Err(unknown()),
            Some(r) => Some(r.into()),
        };
        Ok(Self {
            name,
            release,
            scheme,
        })
    }

    /// The canonical OSV spelling of the ecosystem, without release (`Debian`).
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The release suffix, if one was given (`12` in `Debian:12`).
    #[must_use]
    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }

    /// The version scheme that orders this ecosystem's versions.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Every supported ecosystem name with its scheme, in the canonical spelling.
    pub fn supported() -> impl Iterator<Item = (&'static str, Scheme)> {
        TABLE.iter().copied()
    }
}

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)?;
        if let Some(release) = &self.release {
            write!(f, ":{release}")?;
        }
        Ok(())
    }
}

pub(crate) fn supported_list() -> String {
    let mut names: Vec<&str> = TABLE.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| n.to_ascii_lowercase());
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_suffix_and_case_are_ignored_for_the_scheme() {
        let e = Ecosystem::parse("debian:12").expect("known");
        assert_eq!(e.name(), "Debian");
        assert_eq!(e.release(), Some("12"));
        assert_eq!(e.scheme(), Scheme::Dpkg);
        assert_eq!(e.to_string(), "Debian:12");
        let e = Ecosystem::parse("Ubuntu:Pro:22.04:LTS").expect("known");
        assert_eq!(e.release(), Some("Pro:22.04:LTS"));
        assert_eq!(
            Ecosystem::parse("ALMALINUX:9").expect("known").scheme(),
            Scheme::Rpm
        );
        assert_eq!(
            Ecosystem::parse("Rocky Linux").expect("known").scheme(),
            Scheme::Rpm
        );
        assert_eq!(
            Ecosystem::parse("pypi").expect("known").scheme(),
            Scheme::Pep440
        );
    }

    #[test]
    fn unknown_ecosystems_are_rejected_with_the_supported_list() {
        let err = Ecosystem::parse("Gentoo").expect_err("unknown");
        let msg = err.to_string();
        assert!(msg.contains("\"Gentoo\""), "{msg}");
        for (name, _) in TABLE {
            assert!(msg.contains(name), "{msg} lacks {name}");
        }
        assert!(Ecosystem::parse("").is_err());
        assert!(Ecosystem::parse("Debian:").is_err());
        assert!(Ecosystem::parse(":12").is_err());
    }

    #[test]
    fn every_scheme_is_reachable_from_some_ecosystem() {
        for scheme in Scheme::ALL {
            assert!(
                TABLE.iter().any(|(_, s)| *s == scheme),
                "{scheme} has no ecosystem"
            );
        }
    }
}
