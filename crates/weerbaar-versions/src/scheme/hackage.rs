//! Haskell's `Data.Version` order (PVP): Hackage, GHC.
//!
//! # Rules
//!
//! A version is a non-empty list of non-negative integers separated by `.` (the
//! [Package Versioning Policy](https://pvp.haskell.org/); Cabal's `Distribution.Types.Version`
//! parser, and `Data.Version.parseVersion` without the deprecated tags). Versions compare as
//! Haskell lists of `Int` (`instance Ord Version` compares `versionBranch`): component by
//! component, and when one list is a prefix of the other the shorter one is lower, so
//! `1.0 < 1.0.0` and the two are not equal.
//!
//! Leading zeros are accepted and ignored (`Data.Version` reads components with `read`; Cabal
//! refuses them when packaging, so they do not occur on Hackage). Components longer than
//! Haskell's `Int` compare exactly (Cabal rejects more than nine digits and `Data.Version`
//! would overflow; neither gives a usable answer, an exact one is the safe choice).
//!
//! # Rejected
//!
//! Anything else, with the byte offset: empty input, an empty component (`1..2`, `1.`, `.1`),
//! tags (`1.0-beta`, deprecated in `Data.Version` and dropped by Cabal), a `v` prefix,
//! whitespace and any other character.
//!
//! # Representation
//!
//! The input (inline up to 22 bytes, for `Display`, which prints it as given) and a boxed slice
//! of components, each a `u64` or, past that, the span of its digits. One allocation per parse;
//! comparing allocates nothing.

use std::cmp::Ordering;
use std::fmt;

use super::semver::{Num, Text, cmp_num_lists, parse_num_list};
use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Hackage version.
#[derive(Clone)]
pub struct HackageVersion {
    text: Text,
    components: Box<[Num]>,
}

impl HackageVersion {
    /// The number of components (`3` for `1.2.3`).
    #[must_use]
    pub fn len(&self) -> usize {
        self.components.len()
    }

    /// Always `false`: a version has at least one component.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }
}

impl SchemeVersion for HackageVersion {
    const SCHEME: Scheme = Scheme::Hackage;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let components = parse_num_list(
            Scheme::Hackage,
            input,
            b".",
            "Hackage versions are dot-separated numbers",
        )?;
        Ok(Self {
            text: Text::new(input),
            components,
        })
    }
}

impl Ord for HackageVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_num_lists(
            &self.components,
            self.text.as_bytes(),
            &other.components,
            other.text.as_bytes(),
        )
    }
}

impl PartialOrd for HackageVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for HackageVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for HackageVersion {}

impl fmt::Display for HackageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

impl fmt::Debug for HackageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HackageVersion").field(&self.text).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> HackageVersion {
        match HackageVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn ord(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    #[test]
    fn list_order() {
        assert_eq!(ord("1.0", "1.0.0"), Ordering::Less);
        assert_ne!(v("1.0"), v("1.0.0"));
        assert_eq!(ord("1", "1.0"), Ordering::Less);
        assert_eq!(ord("0.9", "0.10"), Ordering::Less);
        assert_eq!(ord("1.0.0.0", "0.11.3.0"), Ordering::Greater);
        assert_eq!(ord("2.0", "1.9.9.9.9"), Ordering::Greater);
        assert_eq!(v("1.02"), v("1.2"));
        assert_eq!(v("0"), v("000"));
        assert_eq!(
            ord(
                "1.99999999999999999999999999",
                "1.99999999999999999999999998"
            ),
            Ordering::Greater
        );
        assert_eq!(ord("1.99999999999999999999999999", "2"), Ordering::Less);
        assert_eq!(v("1.2.3").len(), 3);
    }

    #[test]
    fn errors() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty version"),
            ("1.", 2, "expected a number after '.'"),
            ("1..2", 2, "expected a number, found '.'"),
            (".1", 0, "expected a number, found '.'"),
            ("v1.0", 0, "expected a number, found 'v'"),
            ("1.0-beta", 3, "invalid character '-'"),
            ("1.0 ", 3, "invalid character ' '"),
            ("1.0\u{2024}1", 3, "invalid character '\u{2024}'"),
        ];
        for &(input, pos, reason) in cases {
            let e = match HackageVersion::parse(input) {
                Ok(v) => panic!("{input:?} should not parse: {v:?}"),
                Err(e) => e,
            };
            assert_eq!(e.position(), pos, "{input:?}: {e}");
            assert!(e.reason().contains(reason), "{input:?}: {e}");
            assert_eq!(e.scheme(), Scheme::Hackage);
        }
    }

    #[test]
    fn display_round_trips_and_nasty_inputs() {
        for s in ["1", "0.1.26.0", "001.2", "1.2.3.4.5.6.7.8.9.10.11.12.13"] {
            let a = v(s);
            assert_eq!(a.to_string(), s);
            assert_eq!(v(&a.to_string()), a);
        }
        let long = "9".repeat(100_000);
        assert!(HackageVersion::parse(&long).is_ok());
        for s in ["\0", ".", "-", "١", "1.\u{0}", "1.2.3-"] {
            assert!(HackageVersion::parse(s).is_err(), "{s:?}");
        }
    }
}
