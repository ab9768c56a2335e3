//! R's `package_version` / `numeric_version` order: CRAN, Bioconductor.
//!
//! # Rules
//!
//! R's `.make_numeric_version` (`src/library/base/R/version.R`) accepts a string that matches
//! `^([[:digit:]]+[.-])*[[:digit:]]+$` and splits it on `[.-]` into integers (`as.integer`,
//! so leading zeros vanish). The two separators are interchangeable: `1.0-0 == 1.0.0`, and
//! `0.01.0 == 0.1-0`.
//!
//! Versions compare component by component, and a version that is a proper prefix of another
//! is lower (`1.8 < 1.8.0`): `utils::compareVersion`, which is what osv-scalibr's fixture
//! generator checks CRAN orderings against. R's comparison *operators* on `numeric_version`
//! (`Ops.numeric_version` via `.encode_numeric_version`) differ in one respect: they pad the
//! shorter version with zeros, so there `1.8 == 1.8.0`. Only versions that differ solely by
//! trailing zero components are affected; we keep them distinct (the fixtures require it, and
//! a distinct order never hides that two spellings differ).
//!
//! `package_version` (what a `DESCRIPTION` file uses) additionally requires two components;
//! we accept one, as `numeric_version` and `compareVersion` do, because advisory data has
//! such versions (every OSV range may start at `introduced: "0"`).
//!
//! Components past R's 32-bit integers (`as.integer` turns them into `NA`, which makes every
//! comparison `NA`) compare exactly here instead of being rejected.
//!
//! # Rejected
//!
//! What R rejects, with the byte offset: empty input, a leading, trailing or doubled separator
//! (`.1`, `1.`, `1..2`, `1-.2`), whitespace, and any character other than digits, `.` and `-`
//! (`1.0a`, `v1.0`).
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

/// A parsed CRAN version.
#[derive(Clone)]
pub struct CranVersion {
    text: Text,
    components: Box<[Num]>,
}

impl CranVersion {
    /// The number of components (`3` for `1.2-3`).
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

impl SchemeVersion for CranVersion {
    const SCHEME: Scheme = Scheme::Cran;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let components = parse_num_list(
            Scheme::Cran,
            input,
            b".-",
            "R versions are numbers separated by '.' or '-'",
        )?;
        Ok(Self {
            text: Text::new(input),
            components,
        })
    }
}

impl Ord for CranVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_num_lists(
            &self.components,
            self.text.as_bytes(),
            &other.components,
            other.text.as_bytes(),
        )
    }
}

impl PartialOrd for CranVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for CranVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for CranVersion {}

impl fmt::Display for CranVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

impl fmt::Debug for CranVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CranVersion").field(&self.text).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> CranVersion {
        match CranVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn ord(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    #[test]
    fn r_order() {
        assert_eq!(v("0.01.0"), v("0.1-0"));
        assert_eq!(v("1.0-0"), v("1.0.0"));
        assert_eq!(ord("0.01", "0.1-0"), Ordering::Less);
        assert_eq!(ord("1.8", "1.8.0"), Ordering::Less);
        assert_eq!(ord("0.9", "0.75"), Ordering::Less);
        assert_eq!(ord("1.0-10", "1.0-9"), Ordering::Greater);
        assert_eq!(ord("2.0", "1"), Ordering::Greater);
        assert_eq!(
            ord("1.0-99999999999999999999999", "1.0-99999999999999999999998"),
            Ordering::Greater
        );
        assert_eq!(v("1.2-3").len(), 3);
    }

    #[test]
    fn errors() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty version"),
            ("1.", 2, "expected a number after '.'"),
            ("1-", 2, "expected a number after '-'"),
            ("1.-2", 2, "expected a number, found '-'"),
            ("-1", 0, "expected a number, found '-'"),
            ("1.0a", 3, "invalid character 'a'"),
            (" 1.0", 0, "expected a number, found ' '"),
            ("1.0_1", 3, "invalid character '_'"),
        ];
        for &(input, pos, reason) in cases {
            let e = match CranVersion::parse(input) {
                Ok(v) => panic!("{input:?} should not parse: {v:?}"),
                Err(e) => e,
            };
            assert_eq!(e.position(), pos, "{input:?}: {e}");
            assert!(e.reason().contains(reason), "{input:?}: {e}");
            assert_eq!(e.scheme(), Scheme::Cran);
        }
    }

    #[test]
    fn display_round_trips_and_nasty_inputs() {
        for s in [
            "1",
            "0.1-2",
            "01.0-0",
            "3.6.3.20200101.123456789012345678901234",
        ] {
            let a = v(s);
            assert_eq!(a.to_string(), s);
            assert_eq!(v(&a.to_string()), a);
        }
        for s in ["\0", ".", "-", "١.٢", "1\u{0}", "1.2.3-"] {
            assert!(CranVersion::parse(s).is_err(), "{s:?}");
        }
    }
}
