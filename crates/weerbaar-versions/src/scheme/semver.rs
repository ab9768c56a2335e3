//! SemVer 2.0.0 with node-semver's precedence: npm, crates.io, Go, Hex, Bitnami, SwiftURL.
//!
//! # Rules
//!
//! Precedence is [SemVer 2.0.0 §11](https://semver.org/spec/v2.0.0.html#spec-item-11) as
//! node-semver implements it (`SemVer.compare` = `compareMain` then `comparePre` in
//! `classes/semver.js`, identifiers by `compareIdentifiers` in `internal/identifiers.js`):
//!
//! * major, minor and patch compare numerically;
//! * a version with a pre-release is lower than the same version without one;
//! * pre-release identifiers compare left to right: numeric ones numerically, alphanumeric ones
//!   by ASCII byte order, a numeric identifier is lower than an alphanumeric one, and when one
//!   list is a prefix of the other the shorter list is lower;
//! * build metadata is ignored (`1.0.0+a == 1.0.0+b`), as node-semver, Go's `semver.Compare`
//!   and Cargo's requirement matching ignore it; Go's `+incompatible` is build metadata.
//!
//! Numbers of any length compare exactly (node-semver rejects main components above 2^53 and
//! compares long numeric pre-release identifiers as floating point; Go and osv-scalibr compare
//! them exactly, which is what we do).
//!
//! # Accepted spellings
//!
//! The ecosystems' own tools are strict, but advisory data and the osv-scalibr fixtures this
//! crate is tested against are not, so parsing is as lenient as node-semver's *loose* mode plus
//! osv-scalibr's `semantic/version-semver-like.go`:
//!
//! * surrounding ASCII whitespace and a leading run of `v`, `=` and whitespace (node-semver's
//!   loose `[v=\s]*`; Go's `v` prefix);
//! * one or more numeric release components: missing minor and patch are zero (`1.2` is
//!   `1.2.0`, as Go's shorthand `v1.2`); leading zeros are ignored (`01.2.3` is `1.2.3`);
//! * components after the patch (`1.2.3.4`) are compared numerically after the patch, missing
//!   ones being zero. No SemVer tool accepts them; osv-scalibr files them under the pre-release
//!   (so `1.2.3.4 < 1.2.3` there), which would report a later build as older, so we do not;
//! * a pre-release without its hyphen when it starts with a letter (`1.2.3beta`, node-semver
//!   loose).
//!
//! # Rejected
//!
//! Empty input, a release component that is not a number (`1.x`, `1..2`, `1.2.`), an empty
//! pre-release or build identifier (`1.2.3-`, `1.2.3-a..b`, `1.2.3+`), and any character
//! outside `[0-9A-Za-z-]` in an identifier (`1.2.3-rc_1`, `1.2.3~rc1`). The error names the
//! byte offset of the offending character.
//!
//! # Representation
//!
//! The input is kept (inline, without allocating, up to 22 bytes) for `Display`, which prints
//! it as given. Parsing records each release component as a `u64`, or, past `u64`, as the span
//! of its significant digits, and the spans of the extra components, the pre-release and the
//! build. Comparing walks those spans in place: no allocation and no re-validation.
//!
//! The helpers shared with [`super::pub_semver`], [`super::hackage`] and [`super::cran`]
//! (number spans, inline text, the semver-like parser) live here.

use std::cmp::Ordering;
use std::fmt;

use super::digits::cmp_digits;
use crate::{ParseError, Scheme, SchemeVersion};

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

const INLINE_CAP: usize = 22;

/// The input as given. Short inputs (nearly all versions) are stored inline so that parsing
/// them allocates nothing; the enum is no larger than a `Box<str>` plus its tag.
#[derive(Clone)]
pub(crate) enum Text {
    Inline { len: u8, buf: [u8; INLINE_CAP] },
    Heap(Box<str>),
}

impl Text {
    pub(crate) fn new(s: &str) -> Self {
        let bytes = s.as_bytes();
        let mut buf = [0u8; INLINE_CAP];
        match (u8::try_from(bytes.len()), buf.get_mut(..bytes.len())) {
            (Ok(len), Some(dst)) => {
                dst.copy_from_slice(bytes);
                Text::Inline { len, buf }
            }
            _ => Text::Heap(s.into()),
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or(&[]),
            Text::Heap(s) => s.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `&str`, so always valid UTF-8.
            Text::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Text::Heap(s) => s,
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A byte range of the stored text. Inputs are limited to `u32::MAX` bytes so spans stay small.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Self {
        // Callers check the input length against `MAX_LEN` first, so these never saturate.
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn is_empty(self) -> bool {
        self.start >= self.end
    }

    pub(crate) fn get(self, text: &[u8]) -> &[u8] {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or(&[])
    }
}

/// The longest input any scheme here accepts, so that byte offsets fit a [`Span`].
pub(crate) const MAX_LEN: usize = u32::MAX as usize;

/// A non-negative integer: a `u64` when it fits, otherwise the span of its significant digits
/// (no leading zeros). A `Big` is therefore always greater than any `Small`.
// No derived `PartialEq`: a `Big` only means something next to its text (see `cmp_in`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    Small(u64),
    Big(Span),
}

impl Num {
    /// `digits` (ASCII digits only, non-empty) starts at byte `start` of the text.
    pub(crate) fn from_digits(digits: &[u8], start: usize) -> Self {
        let zeros = digits.iter().take_while(|&&d| d == b'0').count();
        let significant = digits.get(zeros..).unwrap_or(&[]);
        let mut value: u64 = 0;
        for &d in significant {
            match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d.wrapping_sub(b'0'))))
            {
                Some(v) => value = v,
                None => return Num::Big(Span::new(start + zeros, start + digits.len())),
            }
        }
        Num::Small(value)
    }

    pub(crate) fn cmp_in(self, text: &[u8], other: Self, other_text: &[u8]) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(&b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => cmp_digits(a.get(text), b.get(other_text)),
        }
    }
}

/// Compares two lists of numbers lexicographically, a proper prefix being lower (Haskell's list
/// `compare`, R's `numeric_version` order).
pub(crate) fn cmp_num_lists(a: &[Num], at: &[u8], b: &[Num], bt: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = x.cmp_in(at, *y, bt);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

/// Parses `input` as a list of numbers separated by any byte in `separators`, nothing else
/// allowed (Hackage, CRAN). `what` names the scheme's grammar in error messages.
pub(crate) fn parse_num_list(
    scheme: Scheme,
    input: &str,
    separators: &[u8],
    what: &'static str,
) -> Result<Box<[Num]>, ParseError> {
    let bytes = input.as_bytes();
    check_len(scheme, input)?;
    let count = 1 + bytes.iter().filter(|b| separators.contains(b)).count();
    let mut nums = Vec::with_capacity(count);
    let mut pos = 0;
    loop {
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        let digits = bytes.get(start..pos).unwrap_or(&[]);
        if digits.is_empty() {
            return Err(expected_number(scheme, input, input, pos, what));
        }
        nums.push(Num::from_digits(digits, start));
        match bytes.get(pos) {
            None => break,
            Some(b) if separators.contains(b) => pos += 1,
            Some(_) => return Err(unexpected_char(scheme, input, input, pos, what)),
        }
    }
    Ok(nums.into_boxed_slice())
}

pub(crate) fn check_len(scheme: Scheme, input: &str) -> Result<(), ParseError> {
    if input.is_empty() {
        return Err(ParseError::new(scheme, input, 0, "empty version"));
    }
    if input.len() > MAX_LEN {
        return Err(ParseError::new(
            scheme,
            input,
            MAX_LEN,
            "version longer than 4 GiB",
        ));
    }
    Ok(())
}

fn char_at(input: &str, pos: usize) -> Option<char> {
    input.get(pos..).and_then(|s| s.chars().next())
}

/// "expected a number" at `pos`, saying what is there instead.
///
/// `view` is the part of `input` being parsed (without trimmed whitespace), for the message.
pub(crate) fn expected_number(
    scheme: Scheme,
    input: &str,
    view: &str,
    pos: usize,
    what: &'static str,
) -> ParseError {
    let reason = match char_at(view, pos) {
        None if pos == 0 => format!("expected a number ({what})"),
        None => format!(
            "expected a number after {:?} ({what})",
            prev_char(view, pos)
        ),
        Some(c) => format!("expected a number, found {c:?} ({what})"),
    };
    ParseError::new(scheme, input, pos, reason)
}

fn prev_char(input: &str, pos: usize) -> char {
    input
        .get(..pos)
        .and_then(|s| s.chars().next_back())
        .unwrap_or(' ')
}

/// "invalid character" at `pos`.
pub(crate) fn unexpected_char(
    scheme: Scheme,
    input: &str,
    view: &str,
    pos: usize,
    what: &'static str,
) -> ParseError {
    let reason = match char_at(view, pos) {
        Some(c) => format!("invalid character {c:?} ({what})"),
        None => format!("unexpected end of version ({what})"),
    };
    ParseError::new(scheme, input, pos, reason)
}

/// The parts of a semver-like version, as spans of the stored text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SemverParts {
    pub(crate) major: Num,
    pub(crate) minor: Num,
    pub(crate) patch: Num,
    /// Dot-separated numeric components after the patch (`4.5` in `1.2.3.4.5`).
    pub(crate) extra: Span,
    /// The pre-release identifiers, without the `-`.
    pub(crate) pre: Span,
    /// The build identifiers, without the `+`.
    pub(crate) build: Span,
}

impl SemverParts {
    /// Compares major, minor, patch and the extra components (missing ones are zero).
    pub(crate) fn cmp_release(&self, at: &[u8], other: &Self, bt: &[u8]) -> Ordering {
        self.major
            .cmp_in(at, other.major, bt)
            .then_with(|| self.minor.cmp_in(at, other.minor, bt))
            .then_with(|| self.patch.cmp_in(at, other.patch, bt))
            .then_with(|| {
                let (a, b) = (self.extra.get(at), other.extra.get(bt));
                if a.is_empty() && b.is_empty() {
                    return Ordering::Equal;
                }
                let mut xs = a.split(|&c| c == b'.');
                let mut ys = b.split(|&c| c == b'.');
                loop {
                    match (xs.next(), ys.next()) {
                        (None, None) => return Ordering::Equal,
                        (x, y) => {
                            let ord = cmp_digits(x.unwrap_or(&[]), y.unwrap_or(&[]));
                            if ord != Ordering::Equal {
                                return ord;
                            }
                        }
                    }
                }
            })
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        if self.pos < self.end {
            self.bytes.get(self.pos).copied()
        } else {
            None
        }
    }

    fn eat_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Parses a semver-like version.
///
/// Always accepted: one leading `v`, one or more dot-separated numeric components, a `-`
/// pre-release and a `+` build of dot-separated `[0-9A-Za-z-]+` identifiers. With `loose`
/// (node-semver's loose mode): surrounding whitespace, a leading run of `v`, `=` and
/// whitespace, and a pre-release without its `-` when it starts with a letter.
pub(crate) fn parse_semver_like(
    scheme: Scheme,
    input: &str,
    loose: bool,
) -> Result<SemverParts, ParseError> {
    check_len(scheme, input)?;
    let bytes = input.as_bytes();
    let mut cur = Cursor {
        bytes,
        pos: 0,
        end: bytes.len(),
    };
    if loose {
        while cur.end > 0 && bytes.get(cur.end - 1).is_some_and(u8::is_ascii_whitespace) {
            cur.end -= 1;
        }
        if cur.end == 0 {
            return Err(ParseError::new(scheme, input, 0, "empty version"));
        }
        cur.eat_while(|b| b == b'v' || b == b'=' || b.is_ascii_whitespace());
    } else if cur.peek() == Some(b'v') {
        cur.pos += 1;
    }

    const RELEASE: &str = "release numbers are dot-separated digits";
    let view = input.get(..cur.end).unwrap_or(input);
    let zero = Num::Small(0);
    let mut nums = [zero; 3];
    let mut count = 0usize;
    let (mut extra_start, mut extra_end) = (0, 0);
    loop {
        let start = cur.pos;
        cur.eat_while(|b| b.is_ascii_digit());
        let digits = bytes.get(start..cur.pos).unwrap_or(&[]);
        if digits.is_empty() {
            return Err(expected_number(scheme, input, view, cur.pos, RELEASE));
        }
        let num = Num::from_digits(digits, start);
        match nums.get_mut(count) {
            Some(slot) => *slot = num,
            None => {
                if count == 3 {
                    extra_start = start;
                }
                extra_end = cur.pos;
            }
        }
        count += 1;
        if cur.peek() == Some(b'.') {
            cur.pos += 1;
        } else {
            break;
        }
    }
    let [major, minor, patch] = nums;

    let mut pre = Span::default();
    let mut build = Span::default();
    match cur.peek() {
        Some(b'-') => {
            cur.pos += 1;
            pre = parse_identifiers(scheme, input, &mut cur, "pre-release")?;
        }
        Some(b) if loose && b.is_ascii_alphabetic() => {
            pre = parse_identifiers(scheme, input, &mut cur, "pre-release")?;
        }
        _ => {}
    }
    if cur.peek() == Some(b'+') {
        cur.pos += 1;
        build = parse_identifiers(scheme, input, &mut cur, "build metadata")?;
    }
    if cur.peek().is_some() {
        let what = if !build.is_empty() {
            "build identifiers are [0-9A-Za-z-]"
        } else if !pre.is_empty() {
            "pre-release identifiers are [0-9A-Za-z-]"
        } else {
            "expected '.', '-', '+' or the end after a release number"
        };
        return Err(unexpected_char(scheme, input, view, cur.pos, what));
    }
    Ok(SemverParts {
        major,
        minor,
        patch,
        extra: Span::new(extra_start, extra_end),
        pre,
        build,
    })
}

fn parse_identifiers(
    scheme: Scheme,
    input: &str,
    cur: &mut Cursor<'_>,
    what: &'static str,
) -> Result<Span, ParseError> {
    let start = cur.pos;
    loop {
        let ident_start = cur.pos;
        cur.eat_while(is_ident_byte);
        if cur.pos == ident_start {
            let reason = match cur.peek() {
                None | Some(b'.' | b'+') => format!("empty {what} identifier"),
                Some(_) => match char_at(input, cur.pos) {
                    Some(c) => format!("invalid character {c:?} in {what}"),
                    None => format!("empty {what} identifier"),
                },
            };
            return Err(ParseError::new(scheme, input, cur.pos, reason));
        }
        if cur.peek() == Some(b'.') {
            cur.pos += 1;
        } else {
            return Ok(Span::new(start, cur.pos));
        }
    }
}

/// Splits a (non-empty) identifier list on `.`.
pub(crate) fn identifiers(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|&c| c == b'.')
}

/// Compares identifier lists left to right with `cmp_ident`; when one is a prefix of the other
/// the shorter one is lower (SemVer §11.4.4, pub_semver's `_compareLists`).
pub(crate) fn cmp_identifier_lists(
    a: &[u8],
    b: &[u8],
    cmp_ident: impl Fn(&[u8], &[u8]) -> Ordering,
) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    // An empty span is an empty list, not a list of one empty identifier.
    if a.is_empty() || b.is_empty() {
        return a.len().cmp(&b.len());
    }
    let mut xs = identifiers(a);
    let mut ys = identifiers(b);
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = cmp_ident(x, y);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// A version without a pre-release is higher than one with (SemVer §11.3); otherwise compares
/// the lists.
pub(crate) fn cmp_prerelease(
    a: &[u8],
    b: &[u8],
    cmp_ident: impl Fn(&[u8], &[u8]) -> Ordering,
) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => cmp_identifier_lists(a, b, cmp_ident),
    }
}

/// SemVer §11.4: digits-only identifiers compare numerically (exactly, whatever their length)
/// and sort before the others, which compare in ASCII order.
fn cmp_semver_identifier(a: &[u8], b: &[u8]) -> Ordering {
    let numeric = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match (numeric(a), numeric(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

// ---------------------------------------------------------------------------------------------
// SemVersion
// ---------------------------------------------------------------------------------------------

/// A parsed SemVer version (node-semver precedence, build metadata ignored).
#[derive(Clone)]
pub struct SemVersion {
    text: Text,
    parts: SemverParts,
}

impl SemVersion {
    /// The pre-release identifiers as written, without the `-` (empty when there are none).
    #[must_use]
    pub fn pre_release(&self) -> &str {
        self.slice(self.parts.pre)
    }

    /// The build metadata as written, without the `+` (empty when there is none).
    #[must_use]
    pub fn build(&self) -> &str {
        self.slice(self.parts.build)
    }

    fn slice(&self, span: Span) -> &str {
        self.text
            .as_str()
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default()
    }
}

impl SchemeVersion for SemVersion {
    const SCHEME: Scheme = Scheme::SemVer;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let parts = parse_semver_like(Scheme::SemVer, input, true)?;
        Ok(Self {
            text: Text::new(input),
            parts,
        })
    }
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (at, bt) = (self.text.as_bytes(), other.text.as_bytes());
        self.parts.cmp_release(at, &other.parts, bt).then_with(|| {
            cmp_prerelease(
                self.parts.pre.get(at),
                other.parts.pre.get(bt),
                cmp_semver_identifier,
            )
        })
    }
}

impl PartialOrd for SemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVersion {}

impl fmt::Display for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}

impl fmt::Debug for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SemVersion").field(&self.text).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVersion {
        match SemVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn ord(a: &str, b: &str) -> Ordering {
        v(a).cmp(&v(b))
    }

    fn err(s: &str) -> ParseError {
        match SemVersion::parse(s) {
            Ok(v) => panic!("{s:?} should not parse, got {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn spec_precedence_chain() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for w in chain.windows(2) {
            if let [a, b] = w {
                assert_eq!(ord(a, b), Ordering::Less, "{a} < {b}");
                assert_eq!(ord(b, a), Ordering::Greater, "{b} > {a}");
            }
        }
    }

    #[test]
    fn build_metadata_is_ignored_and_equal_agrees() {
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
        assert_eq!(v("1.0.0-rc.1+a"), v("1.0.0-rc.1+b.c"));
        assert_eq!(v("v2.0.0+incompatible"), v("2.0.0"));
        assert_eq!(v("v2.0.0+incompatible").build(), "incompatible");
        assert_eq!(ord("1.0.0-pre+build", "1.0.0"), Ordering::Less);
    }

    #[test]
    fn identifiers() {
        // Numeric identifiers sort below alphanumeric ones, whatever their value.
        assert_eq!(ord("1.0.0-999", "1.0.0-a"), Ordering::Less);
        assert_eq!(ord("1.0.0-5-foo", "1.0.0-5"), Ordering::Greater);
        // ASCII order: uppercase before lowercase, and `r2 > r100` lexically.
        assert_eq!(ord("1.2.3-R2", "1.2.3-r100"), Ordering::Less);
        assert_eq!(ord("1.2.3-r2", "1.2.3-r100"), Ordering::Greater);
        // Leading zeros (node-semver loose) compare numerically.
        assert_eq!(v("1.0.0-01"), v("1.0.0-1"));
        assert_eq!(ord("1.0.0-alpha", "1.0.0-alpha.0"), Ordering::Less);
        // Hyphens inside identifiers are alphanumeric.
        assert_eq!(ord("1.0.0--", "1.0.0-0"), Ordering::Greater);
    }

    #[test]
    fn huge_numbers_compare_exactly() {
        let big = "99999999999999999999999999";
        assert_eq!(ord(big, "18446744073709551615"), Ordering::Greater);
        assert_eq!(
            ord("18446744073709551616", "18446744073709551615"),
            Ordering::Greater
        );
        assert_eq!(v("000018446744073709551616"), v("18446744073709551616"));
        assert_eq!(
            ord(
                "1.0.0-99999999999999999999998",
                "1.0.0-99999999999999999999999"
            ),
            Ordering::Less
        );
        assert_eq!(
            ord("1.0.0-99999999999999999999999", "1.0.0-a"),
            Ordering::Less
        );
        assert_eq!(
            ord("1.2.3.99999999999999999999999", "1.2.3.5"),
            Ordering::Greater
        );
    }

    #[test]
    fn lenient_spellings() {
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("=1.2.3"), v("1.2.3"));
        assert_eq!(v(" =v 1.2.3 \n"), v("1.2.3"));
        assert_eq!(v("1"), v("1.0.0"));
        assert_eq!(v("v1.2"), v("1.2.0"));
        assert_eq!(v("01.002.0003"), v("1.2.3"));
        assert_eq!(v("1.2.3beta"), v("1.2.3-beta"));
        assert_eq!(v("1.2.3beta").pre_release(), "beta");
        assert_eq!(v("1.2-rc.1"), v("1.2.0-rc.1"));
        // Extra release components order after the patch, zero-padded.
        assert_eq!(ord("1.2.3.4", "1.2.3"), Ordering::Greater);
        assert_eq!(ord("1.2.3.4", "1.2.4"), Ordering::Less);
        assert_eq!(ord("1.2.3.4.5", "1.2.3.4.10"), Ordering::Less);
        assert_eq!(v("1.2.3.0"), v("1.2.3"));
        assert_eq!(ord("1.2.3.4-rc", "1.2.3.4"), Ordering::Less);
    }

    #[test]
    fn errors_name_the_position() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty version"),
            ("   ", 0, "empty version"),
            ("v", 1, "expected a number"),
            ("1..2", 2, "expected a number, found '.'"),
            ("1.2.", 4, "expected a number after '.'"),
            ("1.x", 2, "found 'x'"),
            ("1.2.3-", 6, "empty pre-release identifier"),
            ("1.2.3-a..b", 8, "empty pre-release identifier"),
            ("1.2.3+", 6, "empty build metadata identifier"),
            ("1.2.3-rc_1", 8, "invalid character '_'"),
            ("1.2.3~rc1", 5, "invalid character '~'"),
            ("1.2.3+b€", 7, "invalid character '€'"),
            ("1.2.3 4", 5, "invalid character ' '"),
        ];
        for &(input, pos, reason) in cases {
            let e = err(input);
            assert_eq!(e.position(), pos, "{input:?}: {e}");
            assert!(e.reason().contains(reason), "{input:?}: {e}");
            assert_eq!(e.scheme(), Scheme::SemVer);
        }
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "1.2.3",
            "v1.2.3-rc.1+build.5",
            " =1.2 ",
            "1.2.3-a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p+this.is.long",
            "99999999999999999999999999.1",
        ] {
            let a = v(s);
            assert_eq!(a.to_string(), s);
            assert_eq!(v(&a.to_string()), a);
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "1.".repeat(10_000) + "1";
        let inputs = [
            "\0",
            "-",
            "+",
            ".",
            "v.",
            "1.2.3-\u{feff}",
            "١.٢.٣",
            "1.2.3+é",
            "=",
            "vvvv",
            "1.2.3-\t",
            &long,
        ];
        for s in inputs {
            let _ = SemVersion::parse(s);
        }
        assert!(SemVersion::parse(&long).is_ok());
    }
}
