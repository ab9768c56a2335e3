//! rpm's version ordering: Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, openEuler, Photon OS,
//! Azure Linux, Mageia.
//!
//! # Rules
//!
//! A version is an EVR string, `[epoch:]version[-release]`, compared the way rpm ≥ 4.18 compares
//! two EVR strings (`rpmverParse` + `rpmverCmp` in `rpmio/rpmver.c`, which is what the Lua
//! `rpm.vercmp` and `rpmdev-vercmp` use):
//!
//! * **Splitting** (`parseEVR`): the epoch is a leading run of ASCII digits immediately followed
//!   by `:`; an empty epoch (`:1.0`) means `0`. Anything else before a `:` is part of the version
//!   (`a:1` and `1.m+e2:1` have no epoch). The release is everything after the **last** `-`; the
//!   version is what lies between the epoch and that `-`. So `1-9-1` is version `1-9`, release `1`.
//! * **Epoch**: a missing epoch compares as `0`.
//! * **Release**: compared only after equal epochs and versions. A *missing* release (`1.0`) sorts
//!   before every present release, even an empty one (`1.0` < `1.0-` < `1.0-0`): this is
//!   `compare_values` in `rpmverCmp`, where a NULL component is older than any string. (Older
//!   `rpmVersionCompare`/`rpmdsCompare` treated a missing release as matching any release; rpm
//!   4.18's `rpm.vercmp` and the osv-scalibr fixtures order it first, which is what a total order
//!   needs.)
//! * **Each component** is compared with `rpmvercmp` (`rpmio/rpmvercmp.c`, rpm ≥ 4.15 semantics):
//!   - the string is read as a sequence of segments: maximal runs of ASCII digits, maximal runs of
//!     ASCII letters, and single `~` and `^` characters. Every other byte (`.`, `_`, `+`, `:`,
//!     spaces, any non-ASCII byte, …) only separates segments and is otherwise ignored, so
//!     `2.0 == 2_0`, `1a == 1.a` and `1.1.α == 1.1.β`;
//!   - segments are compared pairwise. Numeric segments compare as numbers of any length (leading
//!     zeros ignored, then more digits wins, then digit by digit: `10.0001 == 10.1`); alphabetic
//!     segments compare byte-wise (`strcmp`, so `Z` < `a`); a numeric segment is newer than an
//!     alphabetic one;
//!   - `~` sorts before everything, including the end of the string (`1.0~rc1 < 1.0`);
//!   - `^` sorts after the end of the string but before any other segment
//!     (`1.0 < 1.0^git1 < 1.0.1`);
//!   - when one string runs out, the other is newer, unless its next segment is `~`.
//!
//!   These rules amount to a lexicographic comparison of segment lists with an implicit end
//!   marker, where segment kinds order as `~` < end < `^` < alphabetic < numeric. That is the
//!   representation used here.
//!
//! # Representation
//!
//! The input is kept as given (for `Display`) and segmented once into a boxed slice of
//! `(kind, start, end, key)` records pointing into it: the version's segments followed by the
//! release's. Numeric segments start after their leading zeros, so two long numbers compare by
//! length and then byte-wise, whatever their size (no `u64` overflow). The `key` is a shortcut
//! that settles most comparisons with one integer comparison: a number's value when it has at
//! most 19 digits, a letter run's first 8 bytes. Comparing two versions walks the two slices
//! without allocating.
//!
//! # Rejected input
//!
//! rpm itself accepts any non-empty string. This module rejects:
//! * the empty string (rpm's `rpmverParse` returns NULL: "invalid version") and strings made only
//!   of whitespace, which are a missing value rather than a version;
//! * ASCII control characters (NUL, tab, newline, …): rpm's C strings cannot carry a NUL, rpmbuild
//!   never produces the others, and they signal a mangled input;
//! * inputs longer than `u32::MAX` bytes.
//!
//! Other oddities are accepted like rpm accepts them: `+`, `_a`, `1-`, `a:1`, non-ASCII letters.

use std::cmp::Ordering;
use std::fmt;

use super::digits::{BIG, cmp_digits, number_key, word_key};
use crate::{ParseError, Scheme, SchemeVersion};

/// The kind of a segment; the derived order is the order of kinds at one position (the end of a
/// component sits between `Tilde` and `Caret`, see [`cmp_segments`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Tilde,
    Caret,
    Alpha,
    Num,
}

/// One segment: its kind and its byte range in the input (numeric ranges exclude leading zeros).
#[derive(Debug, Clone, Copy)]
struct Segment {
    kind: Kind,
    start: u32,
    end: u32,
    /// A comparison shortcut: for a number of at most 19 digits its value, for a longer one
    /// [`BIG`]; for letters the first 8 bytes, big-endian and zero-padded. Unequal keys decide
    /// the comparison; equal keys do when both segments are short enough to be fully encoded.
    key: u64,
}

/// A parsed rpm EVR (`[epoch:]version[-release]`), ordered like `rpm.vercmp`.
#[derive(Debug, Clone)]
pub struct RpmVersion {
    text: Box<str>,
    /// The version's segments, then the release's.
    segments: Box<[Segment]>,
    /// Number of segments that belong to the version.
    version_len: u32,
    /// Byte range of the epoch's digits without leading zeros (empty for `0` or no epoch).
    epoch: (u32, u32),
    has_release: bool,
}

impl RpmVersion {
    /// The epoch digits without leading zeros (empty means 0).
    fn epoch_digits(&self) -> &[u8] {
        bytes(&self.text, self.epoch.0, self.epoch.1)
    }

    fn version_segments(&self) -> &[Segment] {
        self.segments
            .get(..self.version_len as usize)
            .unwrap_or_default()
    }

    fn release_segments(&self) -> &[Segment] {
        self.segments
            .get(self.version_len as usize..)
            .unwrap_or_default()
    }
}

fn bytes(text: &str, start: u32, end: u32) -> &[u8] {
    text.as_bytes()
        .get(start as usize..end as usize)
        .unwrap_or_default()
}

/// `rpmvercmp` over two pre-segmented components.
fn cmp_segments(a_text: &str, a: &[Segment], b_text: &str, b: &[Segment]) -> Ordering {
    let mut i = 0;
    loop {
        match (a.get(i), b.get(i)) {
            (None, None) => return Ordering::Equal,
            // The string that still has a segment is newer, unless that segment is a tilde.
            (None, Some(y)) => {
                return if y.kind == Kind::Tilde {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (Some(x), None) => {
                return if x.kind == Kind::Tilde {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            (Some(x), Some(y)) => {
                if x.kind != y.kind {
                    return x.kind.cmp(&y.kind);
                }
                let ord = if x.key != y.key {
                    x.key.cmp(&y.key)
                } else {
                    match x.kind {
                        Kind::Num if x.key == BIG => {
                            cmp_digits(bytes(a_text, x.start, x.end), bytes(b_text, y.start, y.end))
                        }
                        Kind::Alpha
                            if x.end.saturating_sub(x.start) > 8
                                || y.end.saturating_sub(y.start) > 8 =>
                        {
                            bytes(a_text, x.start, x.end).cmp(bytes(b_text, y.start, y.end))
                        }
                        _ => Ordering::Equal,
                    }
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
        i += 1;
    }
}

/// Appends the segments of `text[start..end]` (a version or release) to `out`.
fn segment(text: &str, start: usize, end: usize, out: &mut Vec<Segment>) {
    let b = text.as_bytes();
    let mut i = start;
    // Offsets fit in u32: `parse` rejects longer inputs.
    let pos = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    while i < end {
        let c = b.get(i).copied().unwrap_or(0);
        if c == b'~' || c == b'^' {
            let kind = if c == b'~' { Kind::Tilde } else { Kind::Caret };
            out.push(Segment {
                kind,
                start: pos(i),
                end: pos(i + 1),
                key: 0,
            });
            i += 1;
        } else if c.is_ascii_digit() {
            let run_start = i;
            while i < end && b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let mut digits = run_start;
            while digits < i && b.get(digits) == Some(&b'0') {
                digits += 1;
            }
            out.push(Segment {
                kind: Kind::Num,
                start: pos(digits),
                end: pos(i),
                key: number_key(b.get(digits..i).unwrap_or_default()),
            });
        } else if c.is_ascii_alphabetic() {
            let run_start = i;
            while i < end && b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
            }
            out.push(Segment {
                kind: Kind::Alpha,
                start: pos(run_start),
                end: pos(i),
                key: word_key(b.get(run_start..i).unwrap_or_default(), false),
            });
        } else {
            i += 1;
        }
    }
}

impl SchemeVersion for RpmVersion {
    const SCHEME: Scheme = Scheme::Rpm;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let err =
            |pos: usize, reason: &'static str| ParseError::new(Scheme::Rpm, input, pos, reason);
        if input.is_empty() {
            return Err(err(0, "empty version"));
        }
        if let Some(pos) = input.bytes().position(|c| c.is_ascii_control()) {
            return Err(err(pos, "control character in version"));
        }
        if input.trim().is_empty() {
            return Err(err(0, "version is only whitespace"));
        }
        if u32::try_from(input.len()).is_err() {
            return Err(err(0, "version too long"));
        }

        let b = input.as_bytes();
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let (epoch, version_start) = if b.get(digits) == Some(&b':') {
            let mut first = 0;
            while first < digits && b.get(first) == Some(&b'0') {
                first += 1;
            }
            ((first, digits), digits + 1)
        } else {
            ((0, 0), 0)
        };
        // rpm splits at the last hyphen; it cannot lie inside the epoch, which is all digits.
        let hyphen = input.rfind('-').filter(|&h| h >= version_start);
        let version_end = hyphen.unwrap_or(input.len());

        let mut segments = Vec::with_capacity(input.len() / 2 + 1);
        segment(input, version_start, version_end, &mut segments);
        let version_len = segments.len();
        if let Some(h) = hyphen {
            segment(input, h + 1, input.len(), &mut segments);
        }

        let pos = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        Ok(Self {
            text: input.into(),
            segments: segments.into_boxed_slice(),
            version_len: pos(version_len),
            epoch: (pos(epoch.0), pos(epoch.1)),
            has_release: hyphen.is_some(),
        })
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.epoch_digits(), other.epoch_digits())
            .then_with(|| {
                cmp_segments(
                    &self.text,
                    self.version_segments(),
                    &other.text,
                    other.version_segments(),
                )
            })
            .then_with(|| match (self.has_release, other.has_release) {
                (true, true) => cmp_segments(
                    &self.text,
                    self.release_segments(),
                    &other.text,
                    other.release_segments(),
                ),
                (has, other_has) => has.cmp(&other_has),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RpmVersion {
        match RpmVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn check(a: &str, op: Ordering, b: &str) {
        assert_eq!(v(a).cmp(&v(b)), op, "{a} vs {b}");
        assert_eq!(v(b).cmp(&v(a)), op.reverse(), "{b} vs {a}");
        assert_eq!(v(a) == v(b), op == Ordering::Equal, "{a} == {b}");
    }

    use Ordering::{Equal as EQ, Greater as GT, Less as LT};

    #[test]
    fn rpmvercmp_basics() {
        check("1.0", EQ, "1.0");
        check("1.0", LT, "2.0");
        check("2.0", LT, "2.0.1");
        check("2.0.1", LT, "2.0.1a");
        check("5.5p1", LT, "5.5p10");
        check("10xyz", LT, "10.1xyz");
        check("xyz.4", LT, "8");
        check("6.0.rc1", GT, "6.0");
        check("1.0a", LT, "1.0aa");
        check("10.0001", EQ, "10.1");
        check("2_0", EQ, "2.0");
        check("1a", EQ, "1.a");
        check("1.0Z", LT, "1.0a");
        check("1..0", EQ, "1.0");
    }

    #[test]
    fn tilde_and_caret() {
        check("1.0~rc1", LT, "1.0");
        check("1.0~rc1~git123", LT, "1.0~rc1");
        check("1.0~rc1", LT, "1.0arc1");
        check("1.0~", LT, "1.0");
        check("1.0~~", LT, "1.0~");
        check("1.0^", GT, "1.0");
        check("1.0^git1", LT, "1.01");
        check("1.0^git1", LT, "1.0.1");
        check("1.0^git1", LT, "1.0a");
        check("1.0^git1~pre", LT, "1.0^git1");
        check("1.0^git1~pre", GT, "1.0");
        check("1.0~rc1^git1", GT, "1.0~rc1");
        check("1.0~rc1^git1", LT, "1.0");
        check("1.0^^", GT, "1.0^");
        check("1.0^~", LT, "1.0^");
        check("1.0^~", GT, "1.0");
    }

    #[test]
    fn epoch_version_release() {
        check("1:1.0", GT, "2.0");
        check("0:1.0", EQ, "1.0");
        check(":1.0", EQ, "1.0");
        check("00:1.0", EQ, "0:1.0");
        check("01:2", EQ, "1:2");
        check("99999999999999999999999:1", GT, "99999999999999999999998:9");
        // Not an epoch: the prefix is not all digits.
        check("a:1", LT, "b:1");
        check("1.m+e2:1", LT, "4.m+e1:1");
        // Missing release < empty release < any release.
        check("1", LT, "1-");
        check("1-", LT, "1-0");
        check("1", LT, "1-~");
        check("1-~", LT, "1-");
        check("1-", EQ, "1-.");
        check("1-1.", EQ, "1-1");
        // rpm splits the release off at the LAST hyphen.
        check("1-9-1", GT, "1-10");
        check("1-2-3", LT, "1-2.3-3");
        check("2:1-9-1", GT, "2:1-10");
        // An empty version equals one made only of separators.
        check("-1", EQ, ".-1");
        check("-1", LT, "0-1");
        check("~-1", LT, "-1");
    }

    #[test]
    fn huge_numbers() {
        check(
            "1.99999999999999999999999999",
            LT,
            "1.100000000000000000000000000",
        );
        check("1.0000000000000000000000000001", EQ, "1.1");
        check("18446744073709551616", GT, "18446744073709551615");
        check("9999999999999999999", LT, "10000000000000000000");
        check("1.00000000000000000000000", EQ, "1.0");
    }

    #[test]
    fn long_letter_runs() {
        // Letter runs longer than the 8-byte comparison key.
        check("1.0abcdefghij", LT, "1.0abcdefghik");
        check("1.0abcdefgh", LT, "1.0abcdefghi");
        check("1.0abcdefghij", EQ, "1.0.abcdefghij");
        check("1.0ABCDEFGHIJ", LT, "1.0abcdefghij");
        check("1.0abcdefghZ", LT, "1.0abcdefgha");
    }

    #[test]
    fn display_round_trip() {
        for s in [
            "1:2.3-4.el9",
            "1.0~rc1^git2",
            "a:1",
            "+",
            "1-",
            "0:3.10.0-229.1.2.ael7b",
            "1.1.α",
        ] {
            let p = v(s);
            assert_eq!(p.to_string(), s);
            assert_eq!(v(&p.to_string()), p);
        }
    }

    #[test]
    fn rejects() {
        let e = RpmVersion::parse("").err();
        assert_eq!(e.as_ref().map(ParseError::position), Some(0));
        assert_eq!(e.as_ref().map(ParseError::reason), Some("empty version"));
        let e = RpmVersion::parse("1.0\n").err();
        assert_eq!(e.as_ref().map(ParseError::position), Some(3));
        assert_eq!(
            e.as_ref().map(ParseError::reason),
            Some("control character in version")
        );
        let e = RpmVersion::parse("1\u{0}2").err();
        assert_eq!(e.as_ref().map(ParseError::position), Some(1));
        assert!(RpmVersion::parse("   ").is_err());
        assert!(RpmVersion::parse(" 1 ").is_ok());
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "1.".repeat(100_000);
        let nasty = [
            "-", ":", "::", "-:", ":-", "~", "^", "é", "1:", "1:-", "0000:", "\u{feff}", "1-2-3-4",
            &long,
        ];
        for a in nasty {
            for b in nasty {
                if let (Ok(x), Ok(y)) = (RpmVersion::parse(a), RpmVersion::parse(b)) {
                    assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
                }
            }
        }
    }
}
