//! RubyGems versions, ordered exactly like `Gem::Version#<=>`.
//!
//! Used for the OSV ecosystem `RubyGems` (gems on rubygems.org, Bundler lockfiles, the Ruby
//! advisory database).
//!
//! # Rules (RubyGems `lib/rubygems/version.rb`)
//!
//! * **Validity** is `Gem::Version::ANCHORED_VERSION_PATTERN`,
//!   `\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`, with one
//!   relaxation: the first dot-separated segment may continue with letters after its leading digit
//!   (`1beta`). RubyGems raises "Malformed version number string" for `1beta`, but the
//!   osv-scalibr fixtures compare it (`1 > 1beta`), and `Gem::Version`'s own segment scan gives it
//!   an unambiguous meaning (`1`, `"beta"`), so it is accepted and ordered that way.
//! * **Normalisation** (`Gem::Version#initialize`): surrounding ASCII whitespace is stripped and
//!   every `-` becomes `.pre.`, so `1.0-rc1` is `1.0.pre.rc1`.
//! * **Segments** (`_segments`): the maximal runs of ASCII digits (an Integer) or of ASCII letters
//!   (a String) in that string; every other character only separates. `1.0.a10` is
//!   `1, 0, "a", 10`, the same as `1.0.a.10`.
//! * **Canonical segments** (`canonical_segments`): the segments are split at the first String
//!   into a numeric part and a string part, and trailing zeros are dropped from each part. So
//!   `1.0.0` is `[1]`, and `1.0.0.a.0` is `[1, "a"]`, equal to `1.a`.
//! * **Comparison** (`<=>`): the canonical segments are compared pairwise, a missing one counting
//!   as `0`. Integers compare numerically (arbitrary size), Strings byte-wise (so `A < a`), and a
//!   String sorts before an Integer, which is what makes `1.0.a` a pre-release of `1.0`. Two
//!   versions are equal exactly when their canonical segments are.
//!
//! # Representation
//!
//! The stripped input plus its canonical segments. A numeric segment is held as a `u64` when it
//! fits and otherwise as a span of its digits (without leading zeros) in the input, a string
//! segment as a span, and the `pre` that a `-` stands for as a marker, so `cmp` is a straight walk
//! over two slices: no parsing, no allocation, and numbers of any length compare exactly.
//!
//! [`Display`](fmt::Display) prints what `Gem::Version#to_s` prints, the normalised string (a gem
//! released as `1.0-rc1` is published as `1.0.pre.rc1`). The one exception is a `-` next to
//! another `-` or a `.`, or at the end (`1.0-a--b`, `1.0-a-`): RubyGems' own `to_s` then has
//! empty segments (`1.0.pre.a.pre..pre.b`) that it would itself reject, so the stripped input is
//! printed instead, which parses back to an equal version.
//!
//! # Rejected input
//!
//! Everything `ANCHORED_VERSION_PATTERN` rejects, except the `1beta` relaxation above: a version
//! not starting with a digit (`v1.0`, `.1`), an empty segment (`1..0`, `1.`, `1-`, `1-a.`),
//! characters other than ASCII letters, digits, `.` and `-` (`1.0_1`, `1.0+x`, `1,0`, `1.0é`),
//! and whitespace inside the version. The error points at the offending byte, or at the dangling
//! separator when the version ends there. The empty or all-whitespace string is also rejected:
//! RubyGems reads it as `0`, but an empty version in advisory data is a data error, not version
//! zero.

use std::cmp::Ordering;
use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed RubyGems version (`Gem::Version`).
#[derive(Debug, Clone)]
pub struct RubyGemsVersion {
    /// The input without surrounding whitespace (`-` not yet replaced).
    text: Box<str>,
    /// `canonical_segments`, with numbers too big for `u64` and strings as spans into `text`.
    segments: Vec<Segment>,
    /// Whether `Display` prints `text` as is, because `to_s` would not parse back.
    keep_dashes: bool,
}

/// One canonical segment.
#[derive(Debug, Clone, Copy)]
enum Segment {
    /// An Integer that fits in `u64`.
    Small(u64),
    /// An Integer above `u64::MAX`: its digits, without leading zeros, at `start..start + len`.
    Big { start: usize, len: usize },
    /// A String at `start..start + len`.
    Str { start: usize, len: usize },
    /// The String `pre` that a `-` turns into.
    Pre,
}

/// A missing segment compares as Integer 0.
const ZERO: Segment = Segment::Small(0);

/// Ruby's `\s` (ASCII only): what `ANCHORED_VERSION_PATTERN` allows around a version.
fn is_ruby_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn error(input: &str, position: usize, reason: &'static str) -> ParseError {
    ParseError::new(Scheme::RubyGems, input, position, reason)
}

fn invalid_char(input: &str, position: usize) -> ParseError {
    let c = input
        .get(position..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or('\u{fffd}');
    ParseError::new(
        Scheme::RubyGems,
        input,
        position,
        format!("invalid character {c:?}"),
    )
}

/// Checks `ANCHORED_VERSION_PATTERN` (with the `1beta` relaxation) on the stripped version `s`,
/// which starts at byte `offset` of `input`. The pattern is deterministic (each next byte decides
/// the branch), so one forward pass finds the first byte at which every match fails.
fn validate(input: &str, s: &[u8], offset: usize) -> Result<(), ParseError> {
    let at = |i: usize| s.get(i).copied();
    let alnum_run = |mut i: usize| {
        while at(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
            i += 1;
        }
        i
    };
    let pre_run = |mut i: usize| {
        while at(i).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-') {
            i += 1;
        }
        i
    };

    match at(0) {
        Some(b) if b.is_ascii_digit() => {}
        Some(b) if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' => {
            return Err(error(input, offset, "a version must start with a digit"));
        }
        _ => return Err(invalid_char(input, offset)),
    }
    // Release part: the first segment (digits, then possibly letters), then `.segment`s.
    let mut i = alnum_run(1);
    while at(i) == Some(b'.') {
        let end = alnum_run(i + 1);
        if end == i + 1 {
            return Err(expected_after(
                input,
                s,
                offset,
                i + 1,
                "expected a letter or digit after '.'",
            ));
        }
        i = end;
    }
    // Pre-release part: `-` then segments that may themselves contain `-`.
    if at(i) == Some(b'-') {
        let mut sep = i;
        loop {
            let end = pre_run(sep + 1);
            if end == sep + 1 {
                let reason = if at(sep) == Some(b'-') {
                    "expected a letter, digit or '-' after '-'"
                } else {
                    "expected a letter, digit or '-' after '.'"
                };
                return Err(expected_after(input, s, offset, sep + 1, reason));
            }
            i = end;
            if at(i) == Some(b'.') {
                sep = i;
            } else {
                break;
            }
        }
    }
    if i < s.len() {
        return Err(invalid_char(input, offset + i));
    }
    Ok(())
}

/// The error for a separator not followed by a segment: at the offending byte, or at the
/// separator itself when the version ends there.
fn expected_after(
    input: &str,
    s: &[u8],
    offset: usize,
    i: usize,
    reason: &'static str,
) -> ParseError {
    if i >= s.len() {
        error(input, offset + i - 1, reason)
    } else {
        error(input, offset + i, reason)
    }
}

impl SchemeVersion for RubyGemsVersion {
    const SCHEME: Scheme = Scheme::RubyGems;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let bytes = input.as_bytes();
        let start = bytes
            .iter()
            .position(|&b| !is_ruby_space(b))
            .unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|&b| !is_ruby_space(b))
            .map_or(start, |p| p + 1);
        let stripped = bytes.get(start..end).unwrap_or_default();
        if stripped.is_empty() {
            return Err(error(input, 0, "empty version"));
        }
        validate(input, stripped, start)?;
        let text = input.get(start..end).unwrap_or_default();
        let keep_dashes = stripped.ends_with(b"-")
            || stripped
                .windows(2)
                .any(|w| matches!(w, [b'-', b'-' | b'.'] | [b'.', b'-']));
        Ok(Self {
            text: text.into(),
            segments: canonical_segments(stripped),
            keep_dashes,
        })
    }
}

/// `Gem::Version#canonical_segments` of the stripped input `t`: segments of the string with each
/// `-` replaced by `.pre.`.
fn canonical_segments(t: &[u8]) -> Vec<Segment> {
    let mut segments = Vec::with_capacity(t.len() / 2 + 1);
    let mut i = 0;
    while let Some(&b) = t.get(i) {
        if b.is_ascii_digit() {
            let run_end = run(t, i, u8::is_ascii_digit);
            let digits = t.get(i..run_end).unwrap_or_default();
            let zeros = digits.iter().take_while(|&&d| d == b'0').count();
            segments.push(number(digits, i, zeros));
            i = run_end;
        } else if b.is_ascii_alphabetic() {
            let run_end = run(t, i, u8::is_ascii_alphabetic);
            segments.push(Segment::Str {
                start: i,
                len: run_end - i,
            });
            i = run_end;
        } else {
            if b == b'-' {
                segments.push(Segment::Pre);
            }
            i += 1;
        }
    }
    let first_string = segments
        .iter()
        .position(|s| matches!(s, Segment::Str { .. } | Segment::Pre))
        .unwrap_or(segments.len());
    // Trailing zeros of the string part, then of the numeric part.
    while segments.len() > first_string && segments.last().is_some_and(is_zero) {
        segments.pop();
    }
    let mut numeric_end = first_string;
    while numeric_end > 0 && segments.get(numeric_end - 1).is_some_and(is_zero) {
        numeric_end -= 1;
    }
    segments.drain(numeric_end..first_string);
    segments
}

fn run(t: &[u8], start: usize, class: fn(&u8) -> bool) -> usize {
    start
        + t.get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| class(b))
            .count()
}

/// A digit run at `start`, with `zeros` leading zeros.
fn number(digits: &[u8], start: usize, zeros: usize) -> Segment {
    let significant = digits.get(zeros..).unwrap_or_default();
    let mut value: u64 = 0;
    for &d in significant {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(v) => value = v,
            None => {
                return Segment::Big {
                    start: start + zeros,
                    len: significant.len(),
                };
            }
        }
    }
    Segment::Small(value)
}

fn is_zero(s: &Segment) -> bool {
    matches!(s, Segment::Small(0))
}

impl RubyGemsVersion {
    fn slice(&self, start: usize, len: usize) -> &[u8] {
        self.text
            .as_bytes()
            .get(start..start + len)
            .unwrap_or_default()
    }

    /// A String segment's bytes.
    fn string(&self, s: Segment) -> &[u8] {
        match s {
            Segment::Str { start, len } => self.slice(start, len),
            _ => b"pre",
        }
    }

    fn compare_segments(&self, a: Segment, other: &Self, b: Segment) -> Ordering {
        use Segment::{Big, Pre, Small, Str};
        match (a, b) {
            (Small(x), Small(y)) => x.cmp(&y),
            (Small(_), Big { .. }) => Ordering::Less,
            (Big { .. }, Small(_)) => Ordering::Greater,
            (Big { start: s1, len: l1 }, Big { start: s2, len: l2 }) => l1
                .cmp(&l2)
                .then_with(|| self.slice(s1, l1).cmp(other.slice(s2, l2))),
            (Str { .. } | Pre, Str { .. } | Pre) => self.string(a).cmp(other.string(b)),
            (Str { .. } | Pre, _) => Ordering::Less,
            (_, Str { .. } | Pre) => Ordering::Greater,
        }
    }
}

impl Ord for RubyGemsVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.segments.len().max(other.segments.len());
        for i in 0..n {
            let a = self.segments.get(i).copied().unwrap_or(ZERO);
            let b = other.segments.get(i).copied().unwrap_or(ZERO);
            let o = self.compare_segments(a, other, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for RubyGemsVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RubyGemsVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RubyGemsVersion {}

impl fmt::Display for RubyGemsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.keep_dashes {
            return f.write_str(&self.text);
        }
        for (i, part) in self.text.split('-').enumerate() {
            if i > 0 {
                f.write_str(".pre.")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RubyGemsVersion {
        match RubyGemsVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    fn err(s: &str) -> ParseError {
        match RubyGemsVersion::parse(s) {
            Ok(v) => panic!("{s:?} parsed as {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn prerelease_and_trailing_zeros() {
        assert_eq!(cmp("1.0", "1"), Ordering::Equal);
        assert_eq!(cmp("1.0.0.0", "1"), Ordering::Equal);
        assert_eq!(cmp("1.0.a", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0.0.a", "1.a"), Ordering::Equal);
        assert_eq!(cmp("1.0.a.0", "1.0.a"), Ordering::Equal);
        assert_eq!(cmp("1.a.0.1", "1.a.1"), Ordering::Less);
        assert_eq!(cmp("0.a", "0.0.a"), Ordering::Equal);
        assert_eq!(cmp("1.0.a10", "1.0.a.10"), Ordering::Equal);
        assert_eq!(cmp("1.0.a10", "1.0.a9"), Ordering::Greater);
        assert_eq!(cmp("1.0.A", "1.0.a"), Ordering::Less);
        assert_eq!(cmp("1.0.rc1", "1.0.beta2"), Ordering::Greater);
        assert_eq!(cmp("1.0.a", "1.0.0.1"), Ordering::Less);
        assert_eq!(cmp("2.a", "1.9"), Ordering::Greater);
        assert_eq!(cmp("1.0.b1", "1.0.b"), Ordering::Greater);
        assert_eq!(cmp("1.0.pre", "1.0.pre.0"), Ordering::Equal);
    }

    #[test]
    fn dash_is_pre() {
        assert_eq!(cmp("1.0-rc1", "1.0.pre.rc1"), Ordering::Equal);
        assert_eq!(cmp("1.0-rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0-1", "1.0.pre.1"), Ordering::Equal);
        assert_eq!(v("1.0-rc1").to_string(), "1.0.pre.rc1");
        assert_eq!(cmp("1.0--", "1.0.pre.pre"), Ordering::Equal);
        assert_eq!(cmp("1.0-pre", "1.0.pre.pre"), Ordering::Equal);
        assert_eq!(cmp("1.0-pra", "1.0-pre"), Ordering::Less);
        assert_eq!(cmp("1.0-prf", "1.0-a-b"), Ordering::Greater);
        // RubyGems' to_s would be `1.0.pre..pre.`, which it rejects; the input is kept instead.
        assert_eq!(v("1.0--").to_string(), "1.0--");
        assert_eq!(v("1.0-a-").to_string(), "1.0-a-");
        assert_eq!(v("1.0-a-.b").to_string(), "1.0-a-.b");
        assert_eq!(v("1-a-b").to_string(), "1.pre.a.pre.b");
    }

    #[test]
    fn lenient_first_segment() {
        assert_eq!(cmp("1", "1beta"), Ordering::Greater);
        assert_eq!(cmp("1beta", "1.beta"), Ordering::Equal);
        assert_eq!(cmp("10rc1", "10.rc.1"), Ordering::Equal);
    }

    #[test]
    fn huge_numbers() {
        let big = "99999999999999999999999999";
        assert_eq!(cmp(big, "18446744073709551615"), Ordering::Greater);
        assert_eq!(
            cmp("18446744073709551616", "18446744073709551615"),
            Ordering::Greater
        );
        assert_eq!(
            cmp("0018446744073709551616", "18446744073709551616"),
            Ordering::Equal
        );
        assert_eq!(
            cmp("1.999999999999999999991", "1.999999999999999999999"),
            Ordering::Less
        );
        assert_eq!(cmp("000", "0"), Ordering::Equal);
        assert_eq!(cmp("1.00a", "1.a"), Ordering::Equal);
    }

    #[test]
    fn whitespace_is_stripped() {
        assert_eq!(cmp(" \t1.0\n", "1"), Ordering::Equal);
        assert_eq!(v(" 1.0-a ").to_string(), "1.0.pre.a");
    }

    #[test]
    fn errors() {
        let e = err("");
        assert_eq!((e.position(), e.reason()), (0, "empty version"));
        assert_eq!(err("  ").reason(), "empty version");
        let e = err("v1.0");
        assert_eq!(
            (e.position(), e.reason()),
            (0, "a version must start with a digit")
        );
        let e = err("1..0");
        assert_eq!(
            (e.position(), e.reason()),
            (2, "expected a letter or digit after '.'")
        );
        let e = err("1.0.");
        assert_eq!(e.position(), 3);
        let e = err("1.0_1");
        assert_eq!((e.position(), e.reason()), (3, "invalid character '_'"));
        let e = err("1.0 beta");
        assert_eq!((e.position(), e.reason()), (3, "invalid character ' '"));
        let e = err("1.0-");
        assert_eq!(
            (e.position(), e.reason()),
            (3, "expected a letter, digit or '-' after '-'")
        );
        let e = err("1.0-a.");
        assert_eq!(e.position(), 5);
        let e = err(" 1.0é");
        assert_eq!((e.position(), e.reason()), (4, "invalid character 'é'"));
        assert_eq!(err("1-a_b").position(), 3);
        assert_eq!(err("1.0-a.+").position(), 6);
    }

    #[test]
    fn display_round_trip() {
        for s in [
            "1.0",
            "1.0-rc1",
            " 2.3.a.4 ",
            "1beta",
            "007",
            "1.0-a-b.c",
            "9-e.-r",
            "1--",
            "1-a--b",
        ] {
            let a = v(s);
            let b = v(&a.to_string());
            assert_eq!(a, b);
            assert_eq!(a.to_string(), b.to_string());
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "1.".repeat(10_000) + "a";
        let digits = "9".repeat(5_000);
        for s in [
            "\0",
            "1\0",
            "é",
            "1.é",
            "-",
            ".",
            "1-é",
            "١٢",
            long.as_str(),
            digits.as_str(),
            "1.0-\u{202e}",
        ] {
            let _ = RubyGemsVersion::parse(s).map(|v| (v.to_string(), v.cmp(&v)));
        }
        assert!(v(&digits) > v("1"));
        assert!(v(&long) < v("2"));
    }
}
