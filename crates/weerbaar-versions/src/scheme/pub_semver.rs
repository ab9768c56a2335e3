//! Dart's pub_semver ordering: Pub.
//!
//! # Rules
//!
//! `Version.compareTo` in pub_semver's `lib/src/version.dart`:
//!
//! * major, minor, patch numerically; then a version without a pre-release above one with;
//! * pre-release identifier lists by `_compareLists`: left to right, a missing identifier
//!   (shorter list) lower, two integers numerically, an integer below a string, two strings by
//!   code unit;
//! * then, unlike SemVer, the build: no build is *lower* than any build (`1.0.0 < 1.0.0+1`),
//!   and two builds compare by `_compareLists` too. Two versions are equal only when their
//!   builds are.
//!
//! An identifier is an integer exactly when Dart's VM `int.tryParse` accepts it
//! (`_splitParts`), which is wider than SemVer's "digits only": an optional `-` sign
//! (`-1` is the integer −1), hexadecimal after `0x`/`0X` (`0x10` is 16; a positive one up to
//! `0xffffffffffffffff` wraps to a negative `int`, as the VM's `_parseRadix` allows), and only
//! values that fit a 64-bit `int` (a longer run of digits stays a string and so sorts above
//! every integer). We follow that exactly, because it is what `pub` runs.
//!
//! # Accepted spellings
//!
//! `Version.parse` takes exactly `major.minor.patch[-pre][+build]` with identifiers of
//! `[0-9A-Za-z-]`. The osv-scalibr fixtures also use, and so we also accept: a leading `v`,
//! fewer or more than three release components (missing ones are zero; ones after the patch
//! compare numerically after it, as in [`super::semver`]) and release numbers beyond 64 bits
//! (which Dart rejects), compared exactly. Leading zeros are allowed, as in Dart.
//!
//! # Rejected
//!
//! Everything else, with the byte offset: empty input, non-numeric or empty release components,
//! empty identifiers, characters outside `[0-9A-Za-z-]` in identifiers, surrounding whitespace.
//!
//! # Representation
//!
//! Shared with [`super::semver`]: the input (inline up to 22 bytes) plus release numbers and
//! spans; comparing classifies identifiers in place without allocating.

use std::cmp::Ordering;
use std::fmt;

use super::semver::{
    SemverParts, Span, Text, cmp_identifier_lists, cmp_prerelease, parse_semver_like,
};
use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Pub version.
#[derive(Clone)]
pub struct PubVersion {
    text: Text,
    parts: SemverParts,
}

impl PubVersion {
    fn slice(&self, span: Span) -> &str {
        let bytes = span.get(self.text.as_bytes());
        // Identifier spans are ASCII, so this never fails.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// The pre-release identifiers as written, without the `-`.
    #[must_use]
    pub fn pre_release(&self) -> &str {
        self.slice(self.parts.pre)
    }

    /// The build identifiers as written, without the `+`.
    #[must_use]
    pub fn build(&self) -> &str {
        self.slice(self.parts.build)
    }
}

/// Dart VM's `int.tryParse(source)` (no radix) for an identifier of `[0-9A-Za-z-]`.
fn dart_int(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    if let [b'0', x, hex @ ..] = digits
        && (*x | 0x20) == b'x'
    {
        let magnitude = accumulate(hex, 16)?;
        return if negative {
            i64::try_from(-i128::from(magnitude)).ok()
        } else {
            // A positive hex literal may use all 64 bits; the VM reads it as two's complement.
            Some(i64::from_ne_bytes(magnitude.to_ne_bytes()))
        };
    }
    let magnitude = i128::from(accumulate(digits, 10)?);
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// The value of `digits` in `radix` (10 or 16), or `None` if empty, not all digits, or over
/// `u64::MAX`.
fn accumulate(digits: &[u8], radix: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &b| {
        let d = char::from(b).to_digit(radix)?;
        acc.checked_mul(u64::from(radix))?.checked_add(u64::from(d))
    })
}

/// One identifier of pub_semver's `_compareLists`: integers before strings.
fn cmp_dart_identifier(a: &[u8], b: &[u8]) -> Ordering {
    match (dart_int(a), dart_int(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        // Identifiers are ASCII, so byte order is Dart's UTF-16 code-unit order.
        (None, None) => a.cmp(b),
    }
}

impl SchemeVersion for PubVersion {
    const SCHEME: Scheme = Scheme::Pub;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let parts = parse_semver_like(Scheme::Pub, input, false)?;
        Ok(Self {
            text: Text::new(input),
            parts,
        })
    }
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (at, bt) = (self.text.as_bytes(), other.text.as_bytes());
        let (a, b) = (&self.parts, &other.parts);
        a.cmp_release(at, b, bt)
            .then_with(|| cmp_prerelease(a.pre.get(at), b.pre.get(bt), cmp_dart_identifier))
            .then_with(|| {
                // Builds always come after no build (`_compareLists` treats a missing list the
                // same way, so one call covers both rules).
                cmp_identifier_lists(a.build.get(at), b.build.get(bt), cmp_dart_identifier)
            })
    }
}

impl PartialOrd for PubVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PubVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PubVersion {}

impl fmt::Display for PubVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

impl fmt::Debug for PubVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PubVersion").field(&self.text).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> PubVersion {
        match PubVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn ord(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    #[test]
    fn build_is_ordered() {
        assert_eq!(ord("1.0.0", "1.0.0+build"), Ordering::Less);
        assert_eq!(ord("1.0.0-pre", "1.0.0-pre+build"), Ordering::Less);
        assert_eq!(ord("1.0.0-pre+build", "1.0.0"), Ordering::Less);
        assert_eq!(ord("1.2.3+1", "1.2.3+2"), Ordering::Less);
        assert_eq!(ord("1.2.3+900", "1.2.3+a"), Ordering::Less);
        assert_eq!(ord("1.2.3+a", "1.2.3+a1"), Ordering::Less);
        assert_eq!(ord("1.2.3+9a", "1.2.3+1z"), Ordering::Greater);
        assert_eq!(ord("1.2.3+a", "1.2.3+a.0"), Ordering::Less);
        assert_ne!(v("1.2.3+build"), v("1.2.3+otherbuild"));
        assert_eq!(v("1.2.3+01"), v("1.2.3+1"));
    }

    #[test]
    fn pub_semver_sorted_list() {
        // The sorted list pub_semver's own tests check every pair of.
        let sorted = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0-rc.1+build.1",
            "1.0.0",
            "1.0.0+0.3.7",
            "1.3.7+build",
            "1.3.7+build.2.b8f12d7",
            "1.3.7+build.11.e0f985a",
            "2.0.0",
            "2.1.0",
            "2.2.0",
            "2.11.0",
            "2.11.1",
        ];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(ord(a, b), i.cmp(&j), "{a} vs {b}");
                assert_eq!(v(a) == v(b), i == j, "{a} == {b}");
            }
        }
        for (a, b) in [
            ("01.2.3", "1.2.3"),
            ("1.02.3", "1.2.3"),
            ("1.2.03", "1.2.3"),
            ("1.2.3-01", "1.2.3-1"),
            ("1.2.3+01", "1.2.3+1"),
        ] {
            assert_eq!(v(a), v(b));
        }
    }

    #[test]
    fn dart_integers() {
        assert_eq!(dart_int(b"0"), Some(0));
        assert_eq!(dart_int(b"007"), Some(7));
        assert_eq!(dart_int(b"-1"), Some(-1));
        assert_eq!(dart_int(b"-0"), Some(0));
        assert_eq!(dart_int(b"-"), None);
        assert_eq!(dart_int(b"--1"), None);
        assert_eq!(dart_int(b"0x1f"), Some(31));
        assert_eq!(dart_int(b"0X1F"), Some(31));
        assert_eq!(dart_int(b"0x"), None);
        assert_eq!(dart_int(b"0xg"), None);
        assert_eq!(dart_int(b"-0x10"), Some(-16));
        assert_eq!(dart_int(b"0xffffffffffffffff"), Some(-1));
        assert_eq!(dart_int(b"0x10000000000000000"), None);
        assert_eq!(dart_int(b"-0x8000000000000000"), Some(i64::MIN));
        assert_eq!(dart_int(b"-0x8000000000000001"), None);
        assert_eq!(dart_int(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(dart_int(b"9223372036854775808"), None);
        assert_eq!(dart_int(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(dart_int(b"00000000000000000000000001"), Some(1));
        assert_eq!(dart_int(b"1a"), None);
        assert_eq!(dart_int(b"1-2"), None);
    }

    #[test]
    fn pre_release_identifiers_follow_dart() {
        // `-1` is an integer below 0; `0x10` is 16.
        assert_eq!(ord("1.0.0--1", "1.0.0-0"), Ordering::Less);
        assert_eq!(v("1.0.0-0x10"), v("1.0.0-16"));
        // Past 64 bits the identifier is a string, so above every integer.
        assert_eq!(
            ord("1.0.0-99999999999999999999", "1.0.0-5"),
            Ordering::Greater
        );
        assert_eq!(ord("1.0.0-99999999999999999999", "1.0.0-a"), Ordering::Less);
        assert_eq!(ord("1.0.0-alpha", "1.0.0-alpha.1"), Ordering::Less);
        assert_eq!(ord("1.0.0-beta.11", "1.0.0-beta.2"), Ordering::Greater);
    }

    #[test]
    fn lenient_release() {
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("1"), v("1.0.0"));
        assert_eq!(v("01.02.03-01.dev+pre.02"), v("1.2.3-1.dev+pre.2"));
        assert_eq!(ord("1.2.3.4", "1.2.3"), Ordering::Greater);
        assert_eq!(
            ord(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
    }

    #[test]
    fn errors() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty version"),
            (" 1.2.3", 0, "expected a number"),
            ("=1.2.3", 0, "expected a number"),
            ("1.2.3beta", 5, "invalid character 'b'"),
            ("1.2.3-", 6, "empty pre-release identifier"),
            ("1.2.3+a.", 8, "empty build metadata identifier"),
            ("1.2.3-a_b", 7, "invalid character '_'"),
        ];
        for &(input, pos, reason) in cases {
            let e = match PubVersion::parse(input) {
                Ok(v) => panic!("{input:?} should not parse: {v:?}"),
                Err(e) => e,
            };
            assert_eq!(e.position(), pos, "{input:?}: {e}");
            assert!(e.reason().contains(reason), "{input:?}: {e}");
            assert_eq!(e.scheme(), Scheme::Pub);
        }
    }

    #[test]
    fn display_round_trips_and_nasty_inputs() {
        for s in ["1.2.3", "v1.2.3-rc.1+build.5", "01.2.3+0x1f"] {
            let a = v(s);
            assert_eq!(a.to_string(), s);
            assert_eq!(v(&a.to_string()), a);
        }
        for s in [
            "\0",
            "v",
            "1.2.3-\u{300}",
            "١",
            "+",
            "-",
            "1.2.3+-",
            "1.2.3--",
        ] {
            let _ = PubVersion::parse(s);
        }
    }
}
