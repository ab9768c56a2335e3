//! dpkg version ordering, used by the Debian and Ubuntu ecosystems.
//!
//! # Rules
//!
//! A version is `[epoch:]upstream[-revision]` (deb-version(7)). Parsing follows dpkg's
//! `parseversion` (lib/dpkg/parsehelp.c) and ordering follows `dpkg_version_compare` and
//! `verrevcmp` (lib/dpkg/version.c):
//!
//! * leading and trailing blanks (space, tab) are trimmed, as dpkg does;
//! * the epoch is everything before the first `:` and is read like C `strtol` (an optional sign,
//!   then decimal digits, up to `INT_MAX`); without a colon the epoch is 0;
//! * the revision is everything after the last `-` of the rest; without a hyphen it is empty,
//!   which `verrevcmp` treats exactly like `0` (so `1.0 = 1.0-0 = 1.0-00`);
//! * epochs compare numerically, then upstream, then revision with `verrevcmp`: alternately a
//!   run of non-digits compared character by character (`~` sorts before everything, even the
//!   end of the string, then the end of the string and digits, then letters, then every other
//!   character), and a run of digits compared numerically (leading zeros ignored; runs of any
//!   length compare exactly, with no integer overflow).
//!
//! # Representation
//!
//! The trimmed text is kept once (one allocation) with the epoch and the byte ranges of the
//! upstream version and revision. `verrevcmp` walks both byte slices directly, so comparing
//! allocates nothing and never re-parses. It first skips the common prefix of both slices (backing
//! up to the start of a digit run), which makes the usual case, two close versions of one
//! package, cheap. A pre-tokenised form was not chosen: dpkg versions are short and a forward
//! scan over bytes is already faster than comparing token vectors.
//!
//! # Rejected input
//!
//! * an empty (or all-blank) version, a blank inside the version;
//! * an empty epoch (`:1`), an epoch that is not a number (`1a:2`), a negative epoch (`-1:2`), an
//!   epoch above `INT_MAX`, nothing after the colon (`1:`);
//! * an empty revision (`1.0-`), an empty upstream version (`1:-1`);
//! * a character outside `[0-9A-Za-z.+~-:]` in the upstream version or outside `[0-9A-Za-z.+~]`
//!   in the revision (this includes control characters, other whitespace and non-ASCII).
//!
//! dpkg itself only *warns* about invalid characters (`dpkg --compare-versions` still compares),
//! and when the upstream version does not start with a digit it warns and skips the character
//! check altogether. We reject invalid characters: no Debian archive can carry them, and a
//! vulnerability match on such a string is better refused than guessed. A version that does not
//! start with a digit (`a1.0`, `~1`) is only a warning in dpkg and is accepted here, ordered as
//! dpkg orders it. dpkg's `strtol` would also skip leading `\n`, `\v`, `\f`, `\r` in the epoch;
//! those are rejected as invalid characters.

use std::cmp::Ordering;
use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed dpkg version: `[epoch:]upstream[-revision]`.
#[derive(Debug, Clone)]
pub struct DpkgVersion {
    /// The version with surrounding blanks removed, as dpkg reads it.
    text: Box<str>,
    /// The epoch, `0..=i32::MAX` as dpkg allows.
    epoch: u32,
    /// Start of the upstream version in `text`.
    upstream_start: usize,
    /// End of the upstream version in `text` (the last `-`, or the end).
    upstream_end: usize,
}

impl DpkgVersion {
    /// The epoch (0 when absent).
    #[must_use]
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version, without epoch and revision.
    #[must_use]
    pub fn upstream(&self) -> &str {
        self.text
            .get(self.upstream_start..self.upstream_end)
            .unwrap_or_default()
    }

    /// The Debian revision, empty when absent (which orders like `0`).
    #[must_use]
    pub fn revision(&self) -> &str {
        self.text
            .get(self.upstream_end.saturating_add(1)..)
            .unwrap_or_default()
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn err(
    input: &str,
    position: usize,
    reason: impl Into<std::borrow::Cow<'static, str>>,
) -> ParseError {
    ParseError::new(Scheme::Dpkg, input, position, reason)
}

/// Parses a C `strtol`-style epoch (sign, digits) ending exactly at `colon`.
fn parse_epoch(input: &str, start: usize, colon: usize) -> Result<u32, ParseError> {
    let bytes = input.as_bytes();
    let field = bytes.get(start..colon).unwrap_or_default();
    let (negative, digits_from) = match field.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let digits = field.get(digits_from..).unwrap_or_default();
    let n_digits = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits.is_empty() {
        return Err(err(input, start, "epoch in version is empty"));
    }
    if n_digits != digits.len() {
        let position = start + digits_from + n_digits;
        let c = input
            .get(position..)
            .and_then(|s| s.chars().next())
            .unwrap_or('?');
        return Err(err(
            input,
            position,
            format!("invalid character {c:?} in epoch"),
        ));
    }
    let value = digits.iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    if negative && value != 0 {
        return Err(err(input, start, "epoch in version is negative"));
    }
    match u32::try_from(value) {
        Ok(v) if v <= i32::MAX as u32 => Ok(v),
        _ => Err(err(input, start, "epoch in version is too big")),
    }
}

fn check_chars(
    input: &str,
    offset: usize,
    part: &str,
    allowed: &[u8],
    reason_part: &str,
) -> Result<(), ParseError> {
    for (i, c) in part.char_indices() {
        let ok = c.is_ascii_alphanumeric() || (c.is_ascii() && allowed.contains(&(c as u8)));
        if !ok {
            return Err(err(
                input,
                offset + i,
                format!("invalid character {c:?} in {reason_part}"),
            ));
        }
    }
    Ok(())
}

impl SchemeVersion for DpkgVersion {
    const SCHEME: Scheme = Scheme::Dpkg;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let bytes = input.as_bytes();
        let start = bytes.iter().take_while(|&&b| is_blank(b)).count();
        let len = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| !is_blank(b))
            .count();
        let end = start + len;
        if len == 0 {
            return Err(err(input, 0, "empty version"));
        }
        if bytes
            .get(end..)
            .unwrap_or_default()
            .iter()
            .any(|&b| !is_blank(b))
        {
            return Err(err(input, end, "embedded whitespace in version"));
        }

        let (epoch, upstream_start) = match bytes
            .get(start..end)
            .and_then(|s| s.iter().position(|&b| b == b':'))
        {
            Some(rel) => {
                let colon = start + rel;
                let epoch = parse_epoch(input, start, colon)?;
                if colon + 1 == end {
                    return Err(err(input, colon + 1, "nothing after colon in version"));
                }
                (epoch, colon + 1)
            }
            None => (0, start),
        };

        let rest = bytes.get(upstream_start..end).unwrap_or_default();
        let upstream_end = match rest.iter().rposition(|&b| b == b'-') {
            Some(rel) => {
                let hyphen = upstream_start + rel;
                if hyphen + 1 == end {
                    return Err(err(input, hyphen + 1, "revision is empty"));
                }
                hyphen
            }
            None => end,
        };
        if upstream_end == upstream_start {
            return Err(err(input, upstream_start, "upstream version is empty"));
        }

        let upstream = input.get(upstream_start..upstream_end).unwrap_or_default();
        check_chars(
            input,
            upstream_start,
            upstream,
            b".-+~:",
            "upstream version",
        )?;
        if upstream_end < end {
            let revision = input.get(upstream_end + 1..end).unwrap_or_default();
            check_chars(input, upstream_end + 1, revision, b".+~", "revision")?;
        }

        Ok(Self {
            text: input.get(start..end).unwrap_or_default().into(),
            epoch,
            upstream_start: upstream_start - start,
            upstream_end: upstream_end - start,
        })
    }
}

/// dpkg's `order()`: the weight of one non-digit position (`0` is the end of the string).
#[inline]
fn order(c: u8) -> i32 {
    if c.is_ascii_alphabetic() {
        i32::from(c)
    } else if c == b'~' {
        -1
    } else if c == 0 || c.is_ascii_digit() {
        0
    } else {
        i32::from(c) + 256
    }
}

/// The byte at `i`, or `0` past the end (parsing rejects NUL, so `0` is only the end).
#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// Length of the common prefix of `a` and `b`, eight bytes at a time where possible.
#[inline]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let words = a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .take_while(|(x, y)| x == y)
        .count();
    let done = words * 8;
    let rest_a = a.get(done..).unwrap_or_default();
    let rest_b = b.get(done..).unwrap_or_default();
    done + rest_a
        .iter()
        .zip(rest_b)
        .take_while(|(x, y)| x == y)
        .count()
}

/// dpkg's `verrevcmp` over byte slices.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    // Skip the common prefix, backing up to the start of a digit run it may end in: the
    // algorithm's state after an identical prefix that ends on a non-digit is the same as at the
    // start, and digit runs must be compared whole (leading zeros, lengths).
    let common = common_prefix(a, b);
    if common == a.len() && common == b.len() {
        return Ordering::Equal;
    }
    let mut start = common;
    while start > 0 && at(a, start - 1).is_ascii_digit() {
        start -= 1;
    }
    let (mut i, mut j) = (start, start);
    while i < a.len() || j < b.len() {
        loop {
            let (ca, cb) = (at(a, i), at(b, j));
            let a_text = ca != 0 && !ca.is_ascii_digit();
            let b_text = cb != 0 && !cb.is_ascii_digit();
            if !a_text && !b_text {
                break;
            }
            let (oa, ob) = (order(ca), order(cb));
            if oa != ob {
                return oa.cmp(&ob);
            }
            i += 1;
            j += 1;
        }
        while at(a, i) == b'0' {
            i += 1;
        }
        while at(b, j) == b'0' {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        loop {
            let (ca, cb) = (at(a, i), at(b, j));
            if !(ca.is_ascii_digit() && cb.is_ascii_digit()) {
                break;
            }
            if first_diff == Ordering::Equal {
                first_diff = ca.cmp(&cb);
            }
            i += 1;
            j += 1;
        }
        // The longer digit run (leading zeros already skipped) is the larger number.
        if at(a, i).is_ascii_digit() {
            return Ordering::Greater;
        }
        if at(b, j).is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.text.as_bytes(), other.text.as_bytes());
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| {
                verrevcmp(
                    a.get(self.upstream_start..self.upstream_end)
                        .unwrap_or_default(),
                    b.get(other.upstream_start..other.upstream_end)
                        .unwrap_or_default(),
                )
            })
            .then_with(|| {
                // Past the end when there is no revision: the empty slice, which orders like "0".
                verrevcmp(
                    a.get(self.upstream_end + 1..).unwrap_or_default(),
                    b.get(other.upstream_end + 1..).unwrap_or_default(),
                )
            })
    }
}

impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DpkgVersion {}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DpkgVersion {
        match DpkgVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    fn rejects(s: &str, position: usize, reason: &str) {
        match DpkgVersion::parse(s) {
            Ok(v) => panic!("{s:?} should be rejected, got {v:?}"),
            Err(e) => {
                assert_eq!(e.position(), position, "{s:?}: {e}");
                assert!(e.reason().contains(reason), "{s:?}: {e}");
            }
        }
    }

    #[test]
    fn parts() {
        let x = v("2:1.0-rc1-3ubuntu1");
        assert_eq!(x.epoch(), 2);
        assert_eq!(x.upstream(), "1.0-rc1");
        assert_eq!(x.revision(), "3ubuntu1");
        let y = v("1.0");
        assert_eq!((y.epoch(), y.upstream(), y.revision()), (0, "1.0", ""));
        let z = v("1:2:3-4");
        assert_eq!((z.epoch(), z.upstream(), z.revision()), (1, "2:3", "4"));
    }

    #[test]
    fn tilde_sorts_before_everything() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(cmp("1.0~~a", "1.0~~"), Ordering::Greater);
        assert_eq!(cmp("1.0~", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0-1~bpo1", "1.0-1"), Ordering::Less);
    }

    #[test]
    fn letters_before_non_letters() {
        assert_eq!(cmp("1.0a", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0a", "1.0."), Ordering::Less);
        assert_eq!(cmp("1.0Z", "1.0a"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0a"), Ordering::Less);
        assert_eq!(cmp("1a", "1.0"), Ordering::Less);
    }

    #[test]
    fn numbers_and_equality() {
        assert_eq!(v("1.0"), v("1.00"));
        assert_eq!(v("1.0"), v("1.0-0"));
        assert_eq!(v("1.0"), v("0:1.0-00"));
        assert_eq!(v("+1:1.0"), v("1:1.0"));
        assert_eq!(v("-0:1.0"), v("1.0"));
        assert_eq!(v("01:1.0"), v("1:1.0"));
        assert_eq!(cmp("1.9", "1.10"), Ordering::Less);
        assert_eq!(cmp("1:0.1", "0:9.9"), Ordering::Greater);
        let big = "99999999999999999999999999";
        assert_eq!(
            cmp(&format!("1.{big}"), &format!("1.{big}0")),
            Ordering::Less
        );
        assert_eq!(
            cmp(&format!("1.{big}"), &format!("1.0000{big}")),
            Ordering::Equal
        );
        assert_eq!(
            cmp(&format!("1.{big}8"), &format!("1.{big}9")),
            Ordering::Less
        );
        assert_eq!(cmp("2147483647:1", "2147483646:9"), Ordering::Greater);
    }

    #[test]
    fn non_digit_start_is_accepted() {
        assert_eq!(cmp("a1", "1"), Ordering::Greater);
        assert_eq!(cmp("~1", "1"), Ordering::Less);
        assert_eq!(cmp("~", "0"), Ordering::Less);
    }

    #[test]
    fn blanks_are_trimmed() {
        let x = v(" \t1.0-1 ");
        assert_eq!(x.to_string(), "1.0-1");
        assert_eq!(x, v("1.0-1"));
    }

    #[test]
    fn errors() {
        rejects("", 0, "empty version");
        rejects("  \t", 0, "empty version");
        rejects("1.0 1", 3, "embedded whitespace");
        rejects(" 1.0\t1", 4, "embedded whitespace");
        rejects(":1", 0, "epoch in version is empty");
        rejects("+:1", 0, "epoch in version is empty");
        rejects("1a:1", 1, "invalid character 'a' in epoch");
        rejects("a:1", 0, "invalid character 'a' in epoch");
        rejects("-1:1", 0, "negative");
        rejects("2147483648:1", 0, "too big");
        rejects("99999999999999999999999999:1", 0, "too big");
        rejects("1:", 2, "nothing after colon");
        rejects("1.0-", 4, "revision is empty");
        rejects("1:-1", 2, "upstream version is empty");
        rejects("-1", 0, "upstream version is empty");
        rejects("1.0!", 3, "invalid character '!' in upstream version");
        rejects("1.0_1", 3, "invalid character '_' in upstream version");
        rejects("1:1.0-1:2", 7, "invalid character ':' in revision");
        rejects("1.0-1:2", 1, "invalid character '.' in epoch");
        rejects("1.0-a_b", 5, "invalid character '_' in revision");
        rejects("1.0\n", 3, "invalid character '\\n'");
        rejects("1.0\0", 3, "invalid character");
        rejects("1.é", 2, "invalid character 'é'");
        rejects("\n1:1", 0, "invalid character '\\n' in epoch");
        rejects("é:1", 0, "invalid character 'é' in epoch");
    }

    #[test]
    fn display_round_trip() {
        for s in [
            "1.0",
            "1:2.3~rc1-4+deb12u1",
            "0:0",
            "a",
            "~~",
            "1:2:3-4-5",
            "+1:2",
        ] {
            let x = v(s);
            let y = v(&x.to_string());
            assert_eq!(x, y);
            assert_eq!(x.to_string(), s);
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "9".repeat(100_000);
        let inputs = [
            "\u{0}",
            "\u{7f}",
            "é:1",
            "1:é",
            "1-é",
            "::::",
            "----",
            "1:::-",
            "~",
            "-",
            ":",
            "\u{feff}1.0",
            long.as_str(),
        ];
        for s in inputs {
            let _ = DpkgVersion::parse(s);
        }
        let l = v(&long);
        assert_eq!(l.cmp(&l.clone()), Ordering::Equal);
        assert_eq!(l.cmp(&v("1")), Ordering::Greater);
    }
}
