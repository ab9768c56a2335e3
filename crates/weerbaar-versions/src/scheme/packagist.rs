//! Packagist (Composer) versions, ordered by PHP's `version_compare`.
//!
//! Used for the OSV ecosystem `Packagist` (packagist.org, Drupal's and other Composer
//! repositories, FriendsOfPHP security advisories).
//!
//! # Rules
//!
//! Composer compares normalised versions with PHP's `version_compare`
//! (`Composer\Semver\Constraint\Constraint::versionCompare`). OSV's Packagist ecosystem, as
//! implemented by osv.dev (`osv/ecosystems/packagist.py`) and osv-scalibr
//! (`semantic/version-packagist.go`), and as pinned by their test data, applies
//! `version_compare` to the version strings as published, after dropping a leading `v`.
//!
//! **Composer normalisation applied** (`Composer\Semver\VersionParser::normalize`):
//! * surrounding whitespace is trimmed (PHP `trim`: space, `\t`, `\n`, `\r`, `\0`, `\x0B`);
//! * a leading `v` or `V` is dropped when a digit follows (`v1.0` = `V1.0` = `1.0`), as
//!   `normalize` and `normalizeBranch` do with their `^v?\d` patterns.
//!
//! **Not applied**, because OSV's fixtures pin `version_compare` on the published string and
//! these steps would change their answers: padding to four components (`1.0` → `1.0.0.0`; PHP's
//! own test `1.0.0 > 1.0` would become `=`), lower-casing and expanding stability flags
//! (`-ALPHA.1` and `-BETA.1` are both unknown words to `version_compare`, so `v1.9.0-ALPHA.1 =
//! v1.9.0-BETA.1`), dropping `-stable` (`5.1.0-stable < 5.1.0-beta2`), and stripping `+build`.
//! `dev-` branches need no step: `dev-foo` splits into `dev` and `foo`, and `dev` sorts below every
//! release, which is what the fixtures expect (`dev-foo < 1.26.0`).
//!
//! **`version_compare`** (php-src `ext/standard/versioning.c`):
//! * `php_canonicalize_version` copies the first byte as is; after it, `-`, `_` and `+` become
//!   `.`, a `.` is inserted wherever a digit meets a non-digit (both are kept), and any other byte
//!   that is not a letter or digit becomes `.`; never two `.` in a row. So `1.0.0rc2` and
//!   `1.0.0.rc2` are both `1, 0, 0, rc, 2`, `1..0` is `1, 0`, and `1.0~1` is `1, 0, ~, 1` (a
//!   punctuation byte right after a digit survives as a word). A version starting with `#` is
//!   not canonicalised at all. Bytes are classified as ASCII (PHP 8 runs with the C locale), so
//!   every byte of a non-ASCII character counts as punctuation.
//! * The parts are compared left to right. Two numbers compare numerically. Two words compare by
//!   their special form, matched as a prefix, case-sensitively: anything else < `dev` <
//!   `alpha` = `a` < `beta` = `b` < `RC` = `rc` < `#` < `pl` = `p` (so `patch` = `p`, `abc` =
//!   `a`). A number against a word compares as `#`.
//! * When one side runs out, the other side's next part decides: a number makes it greater,
//!   a word is compared with `#`, and a word equal to `#` passes the decision to the part after.
//!   So `1.0 < 1.0.0`, `1.0 < 1.0pl1`, and `1.0 > 1.0RC1`.
//!
//! # Deviations from PHP, forced by the OSV fixtures or by `Ord`
//!
//! * Numbers compare exactly, whatever their length. PHP reads each with `strtol`, which
//!   saturates at 2^63 - 1, so PHP calls all larger numbers equal; the fixtures require
//!   `999999999999999999999999999991 < 999999999999999999999999999999`.
//! * `#` is kept as a letter. PHP drops a `#` that does not follow a digit (`1.2.3.#` becomes
//!   `1.2.3.`), but the osv.dev cases require the part `#` to act like a number
//!   (`1.2.3.# = 1.2.3.1`, `1.2.3.# = 1.2.3`, `1.2.3.#.1 > 1.2.3`). Those cases are not
//!   transitive (`1.2.3 = 1.2.3.# = 1.2.3.1`, yet `1.2.3 < 1.2.3.1`), so for versions with a `#`
//!   part this relation is not a total order, and no order could be while matching them.
//!   Without `#` parts it is a total order.
//! * A version ending in a separator (`1.0.`, `1.0-`) ends in an empty part. PHP's loop stops
//!   at such a part without comparing it, which makes it answer `-1` both ways for `1.0.` against
//!   itself or against `1.0.dev`. Here the empty part is compared like any other unknown word
//!   (below `dev`), which agrees with PHP wherever PHP agrees with itself (`1. < 1`, `1. < 1.1`).
//!
//! Where osv.dev and osv-scalibr differ from PHP outside their fixtures, PHP is followed: words
//! outside the special forms rank below `dev` (osv-scalibr ranks them equal to `dev`), special
//! forms match as prefixes (osv.dev matches whole words only, so `patch` is unknown there), and
//! punctuation other than `#` is dropped or split off as PHP does (both keep it inside words).
//!
//! # Representation
//!
//! The trimmed input (for [`Display`](fmt::Display), which prints it as given: `version_compare`
//! has no canonical spelling) and its parts: a number as `u64` when it fits, otherwise as the span
//! of its digits without leading zeros in the input; a word as its special-form rank. `cmp` walks
//! two slices without allocating.
//!
//! # Rejected input
//!
//! Only what carries no version: the empty or all-whitespace string, and a NUL byte inside the
//! version (PHP's C code would silently stop reading there). Everything else is accepted, as
//! `version_compare` accepts any string.

use std::cmp::Ordering;
use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Packagist version.
#[derive(Debug, Clone)]
pub struct PackagistVersion {
    /// The input without surrounding whitespace.
    text: Box<str>,
    parts: Vec<Part>,
}

/// One part of the canonicalised version.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// A number that fits in `u64`.
    Small(u64),
    /// A number above `u64::MAX`: its digits, without leading zeros, at `start..start + len`.
    Big { start: usize, len: usize },
    /// A word, by its special-form rank.
    Word(Rank),
}

/// `compare_special_version_forms`' order; numbers rank as [`Rank::Hash`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Other,
    Dev,
    Alpha,
    Beta,
    Rc,
    Hash,
    Patch,
}

/// PHP `trim`'s default character list.
fn is_php_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0b)
}

fn rank(word: &[u8]) -> Rank {
    match word {
        [b'd', b'e', b'v', ..] => Rank::Dev,
        [b'a', ..] => Rank::Alpha,
        [b'b', ..] => Rank::Beta,
        [b'R', b'C', ..] | [b'r', b'c', ..] => Rank::Rc,
        [b'#', ..] => Rank::Hash,
        [b'p', ..] => Rank::Patch,
        _ => Rank::Other,
    }
}

/// Classifies the part at `body[start..end]`; `base` is the body's offset in the stored text.
fn part(body: &[u8], start: usize, end: usize, base: usize) -> Part {
    let bytes = body.get(start..end).unwrap_or_default();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return Part::Word(rank(bytes));
    }
    // `strtol` reads the leading digits (a canonicalised number part is nothing else).
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let zeros = bytes.iter().take_while(|&&b| b == b'0').count().min(digits);
    let significant = bytes.get(zeros..digits).unwrap_or_default();
    let mut value: u64 = 0;
    for &d in significant {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(v) => value = v,
            None => {
                return Part::Big {
                    start: base + start + zeros,
                    len: significant.len(),
                };
            }
        }
    }
    Part::Small(value)
}

/// The parts of `body` as `php_canonicalize_version` then the `.` split of
/// `php_version_compare` produce them, except that `#` counts as a letter.
fn parts(body: &[u8], base: usize) -> Vec<Part> {
    let mut parts = Vec::with_capacity(body.len() / 2 + 1);
    if body.first() == Some(&b'#') {
        // php_version_compare leaves a version starting with `#` as it is.
        let mut start = 0;
        for (i, &b) in body.iter().enumerate() {
            if b == b'.' {
                parts.push(part(body, start, i, base));
                start = i + 1;
            }
        }
        parts.push(part(body, start, body.len(), base));
        return parts;
    }

    let is_digit = |b: u8| b.is_ascii_digit();
    let is_non_digit = |b: u8| !b.is_ascii_digit() && b != b'.';
    let is_letter = |b: u8| b.is_ascii_alphanumeric() || b == b'#';
    // Every byte copied into a part directly follows the previous one in `body`, so a part is
    // the span `start..end` of `body`.
    let Some(&first) = body.first() else {
        return parts;
    };
    // The first byte is copied as is, even a `.` (which then ends an empty first part).
    let mut last_out = first;
    let (mut start, mut end) = if first == b'.' {
        parts.push(Part::Word(Rank::Other));
        (1, 1)
    } else {
        (0, 1)
    };
    let mut last_in = first;
    for (i, &c) in body.iter().enumerate().skip(1) {
        let transition =
            (is_non_digit(last_in) && is_digit(c)) || (is_digit(last_in) && is_non_digit(c));
        let separator = matches!(c, b'-' | b'_' | b'+') || (!transition && !is_letter(c));
        if separator || transition {
            if last_out != b'.' {
                parts.push(part(body, start, end, base));
                last_out = b'.';
            }
            (start, end) = (i, i);
        }
        if !separator {
            if start == end {
                start = i;
            }
            end = i + 1;
            last_out = c;
        }
        last_in = c;
    }
    parts.push(part(body, start, end, base));
    parts
}

impl SchemeVersion for PackagistVersion {
    const SCHEME: Scheme = Scheme::Packagist;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let bytes = input.as_bytes();
        let start = bytes
            .iter()
            .position(|&b| !is_php_space(b))
            .unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|&b| !is_php_space(b))
            .map_or(start, |p| p + 1);
        let text = input.get(start..end).unwrap_or_default();
        if text.is_empty() {
            return Err(ParseError::new(
                Scheme::Packagist,
                input,
                0,
                "empty version",
            ));
        }
        if let Some(nul) = text.bytes().position(|b| b == 0) {
            return Err(ParseError::new(
                Scheme::Packagist,
                input,
                start + nul,
                "NUL byte in version",
            ));
        }
        let t = text.as_bytes();
        let base = match t {
            [b'v' | b'V', d, ..] if d.is_ascii_digit() => 1,
            _ => 0,
        };
        let parts = parts(t.get(base..).unwrap_or_default(), base);
        Ok(Self {
            text: text.into(),
            parts,
        })
    }
}

impl PackagistVersion {
    fn digits(&self, start: usize, len: usize) -> &[u8] {
        self.text
            .as_bytes()
            .get(start..start + len)
            .unwrap_or_default()
    }

    /// The loop of `php_version_compare`.
    fn compare_parts(&self, a: Part, other: &Self, b: Part) -> Ordering {
        use Part::{Big, Small, Word};
        match (a, b) {
            (Small(x), Small(y)) => x.cmp(&y),
            (Small(_), Big { .. }) => Ordering::Less,
            (Big { .. }, Small(_)) => Ordering::Greater,
            (Big { start: s1, len: l1 }, Big { start: s2, len: l2 }) => l1
                .cmp(&l2)
                .then_with(|| self.digits(s1, l1).cmp(other.digits(s2, l2))),
            (Word(x), Word(y)) => x.cmp(&y),
            (Word(x), _) => x.cmp(&Rank::Hash),
            (_, Word(y)) => Rank::Hash.cmp(&y),
        }
    }
}

/// The tail of `php_version_compare`: the longer version's remaining parts against `#N#`.
fn rest_against_end(rest: &[Part]) -> Ordering {
    for p in rest {
        match p {
            Part::Word(r) => match r.cmp(&Rank::Hash) {
                Ordering::Equal => {}
                o => return o,
            },
            Part::Small(_) | Part::Big { .. } => return Ordering::Greater,
        }
    }
    Ordering::Equal
}

impl Ord for PackagistVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (&a, &b) in self.parts.iter().zip(&other.parts) {
            let o = self.compare_parts(a, other, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        let common = self.parts.len().min(other.parts.len());
        match self.parts.len().cmp(&other.parts.len()) {
            Ordering::Greater => rest_against_end(self.parts.get(common..).unwrap_or_default()),
            Ordering::Less => {
                rest_against_end(other.parts.get(common..).unwrap_or_default()).reverse()
            }
            Ordering::Equal => Ordering::Equal,
        }
    }
}

impl PartialOrd for PackagistVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PackagistVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PackagistVersion {}

impl fmt::Display for PackagistVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> PackagistVersion {
        match PackagistVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        let o = v(a).cmp(&v(b));
        assert_eq!(
            v(b).cmp(&v(a)),
            o.reverse(),
            "{a} vs {b} is not antisymmetric"
        );
        o
    }

    #[test]
    fn canonicalisation() {
        assert_eq!(cmp("1.0.0rc2", "1.0.0.rc2"), Ordering::Equal);
        assert_eq!(cmp("1.0-rc_2", "1.0+rc.2"), Ordering::Equal);
        assert_eq!(cmp("1..0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("1.0~1", "1.0.1"), Ordering::Less);
        assert_eq!(cmp("-1", "_1"), Ordering::Equal);
        assert_eq!(cmp(".1", "1"), Ordering::Less);
        assert_eq!(cmp("1.", "1"), Ordering::Less);
        assert_eq!(cmp("1.", "1.1"), Ordering::Less);
        assert_eq!(cmp("1.", "1.p"), Ordering::Less);
        assert_eq!(cmp("1.", "1."), Ordering::Equal);
    }

    #[test]
    fn special_forms() {
        assert_eq!(cmp("1.0-foo", "1.0-dev"), Ordering::Less);
        assert_eq!(cmp("1.0-dev", "1.0-alpha"), Ordering::Less);
        assert_eq!(cmp("1.0-alpha", "1.0-a"), Ordering::Equal);
        assert_eq!(cmp("1.0-abc", "1.0-a"), Ordering::Equal);
        assert_eq!(cmp("1.0-beta", "1.0-RC"), Ordering::Less);
        assert_eq!(cmp("1.0-RC1", "1.0-rc1"), Ordering::Equal);
        assert_eq!(cmp("1.0-Rc1", "1.0-dev"), Ordering::Less);
        assert_eq!(cmp("1.0-ALPHA", "1.0-BETA"), Ordering::Equal);
        assert_eq!(cmp("1.0-patch1", "1.0-pl1"), Ordering::Equal);
        assert_eq!(cmp("1.0", "1.0-pl1"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0-rc1"), Ordering::Greater);
        assert_eq!(cmp("1.0", "1.0.0"), Ordering::Less);
        assert_eq!(cmp("1.0.a.5", "1.0"), Ordering::Less);
        assert_eq!(cmp("dev-master", "0.0.1"), Ordering::Less);
        assert_eq!(cmp("abc", "dev"), Ordering::Greater);
    }

    #[test]
    fn v_prefix_and_whitespace() {
        assert_eq!(cmp("v1.0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("V1.0", "v1.0"), Ordering::Equal);
        assert_eq!(cmp(" 1.0\n", "1.0"), Ordering::Equal);
        // Not followed by a digit: `v` is a word, ranked below everything.
        assert_eq!(cmp("vx", "dev"), Ordering::Less);
        assert_eq!(cmp("v", "dev"), Ordering::Less);
    }

    #[test]
    fn hash_and_big_numbers() {
        assert_eq!(cmp("1.2.3.#", "1.2.3"), Ordering::Equal);
        assert_eq!(cmp("1.2.3.#", "1.2.3.1"), Ordering::Equal);
        assert_eq!(cmp("1.2.3.#.beta", "1.2.3"), Ordering::Less);
        assert_eq!(cmp("1.2.3#", "1.2.3.#"), Ordering::Equal);
        // A version starting with `#` is compared as is: one part `#1`, ranked like a number.
        assert_eq!(cmp("#1.0", "1"), Ordering::Greater);
        assert_eq!(cmp("#1", "5"), Ordering::Equal);
        assert_eq!(
            cmp("18446744073709551616", "18446744073709551615"),
            Ordering::Greater
        );
        assert_eq!(
            cmp("1.00018446744073709551616", "1.18446744073709551616"),
            Ordering::Equal
        );
        assert_eq!(cmp("99999999999999999999999999", "1.0"), Ordering::Greater);
    }

    #[test]
    fn errors() {
        let e = PackagistVersion::parse("").err();
        assert_eq!(
            e.map(|e| (e.position(), e.reason().to_owned())),
            Some((0, "empty version".into()))
        );
        assert!(PackagistVersion::parse(" \t\0").is_err());
        let e = PackagistVersion::parse(" 1.0\0x").err();
        assert_eq!(
            e.map(|e| (e.position(), e.reason().to_owned())),
            Some((4, "NUL byte in version".into()))
        );
    }

    #[test]
    fn display_round_trip() {
        for s in [
            "1.0",
            "v1.0-RC1",
            " 2.x-dev ",
            "dev-master",
            "1.0.",
            "#1",
            "é1",
        ] {
            let a = v(s);
            let b = v(&a.to_string());
            assert_eq!(a, b);
            assert_eq!(a.to_string(), b.to_string());
        }
        assert_eq!(v(" v1.0 ").to_string(), "v1.0");
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "1.a-".repeat(10_000);
        let digits = "9".repeat(5_000);
        for s in [
            "#",
            ".",
            "..",
            "-",
            "v",
            "é",
            "1é2",
            "١٢",
            "#..",
            "\u{202e}1",
            long.as_str(),
            digits.as_str(),
        ] {
            let x = v(s);
            assert_eq!(x.cmp(&x), Ordering::Equal);
            let _ = (x.cmp(&v("1.0")), x.to_string());
        }
        assert!(v(&digits) > v("1"));
    }
}
