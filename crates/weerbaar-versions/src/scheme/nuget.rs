//! NuGet: `NuGet.Versioning`'s `NuGetVersion.TryParse` and `VersionComparer.Default`.
//!
//! Used for the OSV ecosystem `NuGet` (nuget.org packages, .NET `PackageReference` versions).
//!
//! # Rules
//!
//! Parsing follows `NuGetVersion.TryParse` (`NuGetVersionFactory.cs`, with
//! `SemanticVersion.ParseSections`, `IsValidPart` and `TryGetNormalizedVersion`):
//!
//! * Leading and trailing white space is trimmed (`string.Trim`).
//! * The first `-` or `+` ends the version number; the release labels run from a `-` to the next
//!   `+`; the build metadata follows the `+`.
//! * The version number has one to four dot-separated ASCII numbers (`Major.Minor.Patch.Revision`,
//!   missing ones are 0, so `1` = `1.0` = `1.0.0.0`). Leading zeros are allowed (`1.01` = `1.1`),
//!   and so is white space around each number (`1. 2` = `1.2`), as `System.Version` allows.
//! * Release labels and metadata identifiers are dot-separated, non-empty and made of
//!   `[A-Za-z0-9-]`; a numeric release label must not have a leading zero (`01`).
//!
//! Ordering follows `VersionComparer.Compare` in the `Default` mode: the four numbers in order,
//! then a version with release labels (a pre-release) before the same version without, then the
//! labels one by one, a missing label first. A label that `int.TryParse` accepts (an optional `-`
//! and digits, within `Int32`) is numeric and compares by value, below every other label; other
//! labels compare ASCII-case-insensitively (`StringComparer.OrdinalIgnoreCase`). Build metadata
//! is ignored.
//!
//! `==` follows `Compare`, so `1.0.0-0` == `1.0.0--0` (both labels are the number 0) even though
//! NuGet's `VersionComparer.Equals`, which compares labels as strings, says otherwise.
//!
//! # Display
//!
//! NuGet's normalised string, `ToNormalizedString()`: `Major.Minor.Patch`, then `.Revision` only
//! when it is not 0, then `-` and the labels as written. Build metadata is dropped, as
//! `ToNormalizedString` does ("does not include leading zeros or metadata"); it does not take
//! part in ordering either. So `01.2.0.0-Beta+abc` prints `1.2.0-Beta`.
//!
//! # Deviation: numbers beyond `Int32`
//!
//! NuGet rejects a version number above 2147483647. The OSV fixtures compare such versions
//! (`999999999999999999999999999991 < 999999999999999999999999999999`), so we accept numbers of
//! any length and compare them exactly, as digit strings.
//!
//! # Representation
//!
//! The normalised string is built once; numbers of up to 19 digits are kept as `u64`, longer ones
//! and alphanumeric labels as byte ranges into that string, so comparing never allocates.
//!
//! # Rejected input
//!
//! Everything `NuGetVersion.TryParse` rejects except over-large numbers, with the position of the
//! offending character: empty input, a missing version number (`-beta`), more than four numbers,
//! an empty number (`1..2`) or a trailing `.`, a non-digit in the version number (`1beta`), an
//! empty label or metadata identifier (`1.0-`, `1.0-a..b`, `1.0+`), a character outside
//! `[A-Za-z0-9-]` in a label or in metadata, and a numeric label with a leading zero (`1.0-01`).

use std::cmp::Ordering;
use std::fmt;
use std::fmt::Write as _;

use crate::{ParseError, Scheme, SchemeVersion};

/// A version number: small ones inline, others as their digits (no leading zeros) in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    /// At most 19 digits, which always fits.
    Small(u64),
    /// 20 digits or more: byte range in the normalised string.
    Big(u32, u32),
}

/// One release label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// A label `int.TryParse` accepts.
    Numeric(i32),
    /// Any other label: byte range in the normalised string.
    Alpha(u32, u32),
}

/// A parsed NuGet version.
///
/// `Display` prints NuGet's normalised string (`ToNormalizedString`), without build metadata.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    /// The normalised string, which also holds the digits and labels the fields point to.
    text: String,
    /// Major, minor, patch, revision.
    numbers: [Num; 4],
    /// Release labels; empty for a release.
    labels: Vec<Label>,
}

impl NuGetVersion {
    fn slice(&self, start: u32, len: u32) -> &str {
        let start = start as usize;
        start
            .checked_add(len as usize)
            .and_then(|end| self.text.get(start..end))
            .unwrap_or_default()
    }

    fn cmp_num(&self, a: Num, other: &Self, b: Num) -> Ordering {
        match (a, b) {
            (Num::Small(x), Num::Small(y)) => x.cmp(&y),
            (Num::Small(_), Num::Big(..)) => Ordering::Less,
            (Num::Big(..), Num::Small(_)) => Ordering::Greater,
            (Num::Big(s1, l1), Num::Big(s2, l2)) => l1
                .cmp(&l2)
                .then_with(|| self.slice(s1, l1).cmp(other.slice(s2, l2))),
        }
    }

    fn cmp_label(&self, a: Label, other: &Self, b: Label) -> Ordering {
        match (a, b) {
            (Label::Numeric(x), Label::Numeric(y)) => x.cmp(&y),
            (Label::Numeric(_), Label::Alpha(..)) => Ordering::Less,
            (Label::Alpha(..), Label::Numeric(_)) => Ordering::Greater,
            (Label::Alpha(s1, l1), Label::Alpha(s2, l2)) => {
                // OrdinalIgnoreCase upper-cases before comparing; labels are ASCII.
                let x = self.slice(s1, l1).bytes().map(|c| c.to_ascii_uppercase());
                let y = other.slice(s2, l2).bytes().map(|c| c.to_ascii_uppercase());
                x.cmp(y)
            }
        }
    }
}

/// `int.TryParse` on a label that is already known to be `[A-Za-z0-9-]+`.
fn numeric_label(label: &str) -> Option<i32> {
    let digits = label.strip_prefix('-').unwrap_or(label);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    label.parse().ok()
}

/// Collects the parts of one version while checking them.
struct Builder<'a> {
    input: &'a str,
    text: String,
}

impl<'a> Builder<'a> {
    fn error(&self, at: usize, reason: impl Into<std::borrow::Cow<'static, str>>) -> ParseError {
        ParseError::new(Scheme::NuGet, self.input, at, reason)
    }

    fn invalid_char(&self, at: usize, what: &str) -> ParseError {
        let c = self.input.get(at..).and_then(|s| s.chars().next());
        let reason = match c {
            Some(c) => format!("invalid character {c:?} in {what}"),
            None => format!("invalid character in {what}"),
        };
        self.error(at, reason)
    }

    /// `TryGetNormalizedVersion`: one to four numbers in `[start, end)` of the input, returned as
    /// their digits without leading zeros (`""` for a missing number).
    fn numbers(&self, start: usize, end: usize) -> Result<[&'a str; 4], ParseError> {
        let mut numbers = [""; 4];
        let part = self.input.get(start..end).unwrap_or_default();
        let mut pos = 0;
        for slot in &mut numbers {
            let Some(section) = part.get(pos..).filter(|s| !s.is_empty()) else {
                break;
            };
            // White space is allowed around each number, as `System.Version` parses each part
            // with `NumberStyles.Integer`.
            let lead = section.len() - section.trim_start().len();
            let body = section.get(lead..).unwrap_or_default();
            let digits = body.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                let at = start + pos + lead;
                return Err(match body.chars().next() {
                    Some('.') | None => self.error(at, "empty number in the version number"),
                    Some(_) => self.invalid_char(at, "version number"),
                });
            }
            *slot = body
                .get(..digits)
                .unwrap_or_default()
                .trim_start_matches('0');
            let rest = body.get(digits..).unwrap_or_default();
            let after = lead + digits + (rest.len() - rest.trim_start().len());
            let sep_at = start + pos + after;
            match section.get(after..).and_then(|s| s.chars().next()) {
                None => pos = part.len(),
                Some('.') if after + 1 == section.len() => {
                    return Err(self.error(sep_at, "version number ends with '.'"));
                }
                Some('.') => pos += after + 1,
                Some(_) => return Err(self.invalid_char(sep_at, "version number")),
            }
        }
        if pos < part.len() {
            return Err(self.error(start + pos, "more than four numbers in the version number"));
        }
        Ok(numbers)
    }

    /// Appends a number (digits without leading zeros) to the normalised string.
    fn push_number(&mut self, digits: &str) -> Result<Num, ParseError> {
        if digits.len() <= 19 {
            let value = digits
                .bytes()
                .fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
            let _ = write!(self.text, "{value}");
            return Ok(Num::Small(value));
        }
        let at = self.text.len();
        self.text.push_str(digits);
        self.range(at, digits.len())
            .map(|(at, len)| Num::Big(at, len))
    }

    fn range(&self, at: usize, len: usize) -> Result<(u32, u32), ParseError> {
        match (u32::try_from(at), u32::try_from(len)) {
            (Ok(at), Ok(len)) => Ok((at, len)),
            _ => Err(self.error(0, "version too long")),
        }
    }

    /// Checks dot-separated identifiers in `[start, end)` (`IsValid` / `IsValidPart`).
    fn identifiers(&self, start: usize, end: usize, label: bool) -> Result<(), ParseError> {
        let what = if label {
            "release label"
        } else {
            "build metadata"
        };
        let section = self.input.get(start..end).unwrap_or_default();
        let mut offset = start;
        for part in section.split('.') {
            if part.is_empty() {
                return Err(self.error(offset, format!("empty identifier in {what}")));
            }
            if let Some(bad) = part
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
            {
                return Err(self.invalid_char(offset + bad.0, what));
            }
            if label
                && part.len() > 1
                && part.starts_with('0')
                && part.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(self.error(offset, "leading zero in numeric release label"));
            }
            offset += part.len() + 1;
        }
        Ok(())
    }
}

impl SchemeVersion for NuGetVersion {
    const SCHEME: Scheme = Scheme::NuGet;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let mut b = Builder {
            input,
            text: String::with_capacity(input.len() + 8),
        };
        let body = input.trim();
        if body.is_empty() {
            return Err(b.error(0, "empty version"));
        }
        if u32::try_from(input.len()).is_err() {
            return Err(b.error(0, "version too long"));
        }
        let start = input.len() - input.trim_start().len();
        let end = start + body.len();
        // `ParseSections`: the first '-' or '+' ends the version number, the next '+' the labels.
        let dash = body.find(['-', '+']).map(|i| start + i);
        let version_end = dash.unwrap_or(end);
        if version_end == start {
            return Err(b.error(start, "missing version number"));
        }
        let digits = b.numbers(start, version_end)?;
        let (labels_range, metadata_start) = match dash {
            Some(d) if input.as_bytes().get(d) == Some(&b'-') => {
                let plus = input
                    .get(d + 1..end)
                    .and_then(|s| s.find('+'))
                    .map(|i| d + 1 + i);
                (Some((d + 1, plus.unwrap_or(end))), plus.map(|p| p + 1))
            }
            Some(d) => (None, Some(d + 1)),
            None => (None, None),
        };
        if let Some((from, to)) = labels_range {
            b.identifiers(from, to, true)?;
        }
        if let Some(from) = metadata_start {
            b.identifiers(from, end, false)?;
        }

        // The normalised string: `ToNormalizedString` prints the revision only when it is not 0.
        let mut numbers = [Num::Small(0); 4];
        for (i, (slot, digits)) in numbers.iter_mut().zip(digits).enumerate() {
            if i == 3 && digits.is_empty() {
                break;
            }
            if i > 0 {
                b.text.push('.');
            }
            *slot = b.push_number(digits)?;
        }
        let mut labels = Vec::new();
        if let Some((from, to)) = labels_range {
            let release = input.get(from..to).unwrap_or_default();
            b.text.push('-');
            labels.reserve_exact(release.split('.').count());
            for (i, label) in release.split('.').enumerate() {
                if i > 0 {
                    b.text.push('.');
                }
                let at = b.text.len();
                b.text.push_str(label);
                labels.push(match numeric_label(label) {
                    Some(n) => Label::Numeric(n),
                    None => b
                        .range(at, label.len())
                        .map(|(at, len)| Label::Alpha(at, len))?,
                });
            }
        }
        Ok(Self {
            text: b.text,
            numbers,
            labels,
        })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (&a, &b) in self.numbers.iter().zip(&other.numbers) {
            let ord = self.cmp_num(a, other, b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        match (self.labels.is_empty(), other.labels.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        for (&a, &b) in self.labels.iter().zip(&other.labels) {
            let ord = self.cmp_label(a, other, b);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        self.labels.len().cmp(&other.labels.len())
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> NuGetVersion {
        NuGetVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ord(a: &str, b: &str) -> Ordering {
        let (x, y) = (v(a), v(b));
        let o = x.cmp(&y);
        assert_eq!(y.cmp(&x), o.reverse(), "{a} vs {b} is not antisymmetric");
        assert_eq!(x == y, o == Ordering::Equal);
        o
    }

    #[track_caller]
    fn lt(a: &str, b: &str) {
        assert_eq!(ord(a, b), Ordering::Less, "{a} < {b}");
    }

    #[track_caller]
    fn eq(a: &str, b: &str) {
        assert_eq!(ord(a, b), Ordering::Equal, "{a} = {b}");
    }

    #[track_caller]
    fn bad(s: &str, position: usize, reason: &str) {
        match NuGetVersion::parse(s) {
            Ok(x) => panic!("{s:?} parsed as {x}"),
            Err(e) => {
                assert_eq!((e.position(), e.reason()), (position, reason), "{s:?}");
            }
        }
    }

    #[test]
    fn nuget_test_suite_orderings() {
        // From NuGet.Versioning.Test's NuGetVersionTest.
        for (a, b) in [
            ("1.0", "1.0.1"),
            ("1.23", "1.231"),
            ("1.4.5.6", "1.45.6"),
            ("1.4.5.6", "1.4.5.60"),
            ("1.01", "1.10"),
            ("1.01-alpha", "1.10-beta"),
            ("1.01.0-RC-1", "1.10.0-rc-2"),
            ("1.01-RC-1", "1.01"),
            ("1.01", "1.2-preview"),
        ] {
            lt(a, b);
        }
        for (a, b) in [
            ("1.0", "1.0.0.0"),
            ("1.23.01", "1.23.1"),
            ("1.45.6", "1.45.6.0"),
            ("1.45.6-Alpha", "1.45.6-Alpha"),
            ("1.6.2-BeTa", "1.6.02-beta"),
            ("22.3.07     ", "22.3.07"),
        ] {
            eq(a, b);
        }
    }

    #[test]
    fn release_labels() {
        lt("1.0.0-alpha", "1.0.0-alpha.1");
        lt("1.0.0-alpha.1", "1.0.0-alpha.beta");
        lt("1.0.0-beta.2", "1.0.0-beta.11");
        lt("1.0.0-rc.1", "1.0.0");
        lt("1.0.0", "1.0.0.1-alpha");
        lt("1.0.0-A", "1.0.0-b");
        // Numeric labels (what int.TryParse accepts) come first, then the others.
        lt("1.0.0-999", "1.0.0-a");
        lt("1.0.0--1", "1.0.0-0");
        eq("1.0.0--0", "1.0.0-0");
        // Beyond Int32 a label is alphanumeric, compared as text.
        lt("1.0.0-2147483647", "1.0.0-2147483648");
        lt("1.0.0-3", "1.0.0-2147483648");
        lt("1.0.0-10", "1.0.0-2147483648");
        lt("1.0.0-2147483648", "1.0.0-a");
        lt("1.0.0--2147483648", "1.0.0--2147483649");
        // A dash inside a label is just a character.
        lt("1.0.0-1-2", "1.0.0-a");
        lt("1.0.0-RC-1", "1.0.0-rc-2");
    }

    #[test]
    fn metadata_is_ignored() {
        eq("1.0.0+abc", "1.0.0+ABD");
        eq("1.0.0-beta+1", "1.0.0-beta");
        eq("1.0+test", "1.0.0.0");
        lt("1.0.0-beta+zzz", "1.0.0+aaa");
    }

    #[test]
    fn huge_numbers_compare_exactly() {
        lt(
            "999999999999999999999999999991",
            "999999999999999999999999999999",
        );
        lt("18446744073709551615", "18446744073709551616");
        lt("9999999999999999999", "10000000000000000000");
        eq("1.00000000000000000000000000000000002", "1.2");
        lt("1.0.0.99999999999999999999999", "1.0.1");
    }

    #[test]
    fn display_is_normalized() {
        for (input, shown) in [
            ("1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("1.0.0.0", "1.0.0"),
            ("1.0.0.4", "1.0.0.4"),
            ("01.02.003.0000", "1.2.3"),
            ("1.0.0009.01-1.1+A", "1.0.9.1-1.1"),
            ("1.0-1.1+B.B", "1.0.0-1.1"),
            ("  1.022-Beta  ", "1.22.0-Beta"),
            ("1 . 2", "1.2.0"),
            ("1.0.0--0", "1.0.0--0"),
            (
                "00000000000000000000000000000012345678901234567890123",
                "12345678901234567890123.0.0",
            ),
            (
                "1.0.0.100000000000000000000-x",
                "1.0.0.100000000000000000000-x",
            ),
        ] {
            let x = v(input);
            assert_eq!(x.to_string(), shown, "{input:?}");
            let again = v(&x.to_string());
            assert_eq!(again, x);
            assert_eq!(again.to_string(), shown);
        }
    }

    #[test]
    fn rejections_from_the_nuget_test_suite() {
        for s in [
            "1beta",
            "$version$",
            "1.2Av^c",
            "1.2..",
            "1.2.3.4.5",
            "1.2.3.Beta",
            "1.2.3.4This version is full of awesomeness!!",
            "So.is.this",
            "1.34.2Alpha",
            "1.34.2Release Candidate",
            "1.4.7-",
            "1.4.7-*",
            "1.4.7+*",
            "1.4.7-AA.01^",
            "1.4.7-AA.0A^",
            "1.4.7-A^A",
            "1.4.7+AA.01^",
        ] {
            assert!(NuGetVersion::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn error_positions() {
        bad("", 0, "empty version");
        bad("   ", 0, "empty version");
        bad("-beta", 0, "missing version number");
        bad("  +meta", 2, "missing version number");
        bad("1beta", 1, "invalid character 'b' in version number");
        bad("1..2", 2, "empty number in the version number");
        bad("1.2.", 3, "version number ends with '.'");
        bad(
            "1.2.3.4.5",
            8,
            "more than four numbers in the version number",
        );
        bad("1 2", 2, "invalid character '2' in version number");
        bad("1.0-", 4, "empty identifier in release label");
        bad("1.0-a..b", 6, "empty identifier in release label");
        bad("1.0-a.01", 6, "leading zero in numeric release label");
        bad("1.0-a_b", 5, "invalid character '_' in release label");
        bad("1.0-a+", 6, "empty identifier in build metadata");
        bad("1.0+a+b", 5, "invalid character '+' in build metadata");
        bad("1.0-é", 4, "invalid character 'é' in release label");
        bad("١.0", 0, "invalid character '١' in version number");
    }

    #[test]
    fn accepted_oddities() {
        // Leading zeros in metadata and in alphanumeric labels are fine, as in NuGet.
        eq("1.0.0-0a+01", "1.0.0-0A");
        eq("1.0.0-00a", "1.0.0-00A");
        // White space around numbers, as System.Version allows.
        eq("\t1 .\u{3000}2 -x", "1.2-x");
        eq(" 1.0.0 ", "1");
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "9".repeat(100_000);
        let labels = format!("1.0-{}", "a.".repeat(10_000) + "a");
        for s in [
            long.as_str(),
            labels.as_str(),
            "\u{0}",
            "1.\u{10FFFF}",
            "1.0-\u{1F600}",
            "+",
            "-",
            ".",
            "1.-1",
            "٣",
            "1.0.0-a+b-c.d",
        ] {
            if let Ok(x) = NuGetVersion::parse(s) {
                assert!(v(&x.to_string()) == x, "{s:?}");
            }
        }
    }
}
