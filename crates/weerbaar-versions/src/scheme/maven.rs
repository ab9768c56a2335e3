//! Maven: `org.apache.maven.artifact.versioning.ComparableVersion`, as Maven 3.8.6 ships it.
//!
//! Used for the OSV ecosystem `Maven` (Maven Central, Gradle, sbt, Leiningen, …: every tool that
//! resolves against a Maven repository orders versions with this class).
//!
//! # Rules
//!
//! This is a port of `ComparableVersion` from `maven-artifact` 3.8.6
//! (`parseVersion`, `ListItem.normalize`, and the `compareTo` of `IntItem`, `LongItem`,
//! `BigIntegerItem`, `StringItem` and `ListItem`):
//!
//! * The input is lower-cased (`String.toLowerCase(Locale.ENGLISH)`) and split on `.`, on `-`, and
//!   on every transition between a digit and a non-digit. A digit is what Java's
//!   `Character.isDigit(char)` accepts: any decimal digit of the Basic Multilingual Plane (Arabic,
//!   Devanagari, full-width, … digits count with their numeric value). Everything else, including
//!   `_`, `+`, spaces and astral-plane characters, is part of a qualifier.
//! * `-` and every digit/non-digit transition open a nested list; `.` stays in the current one. An
//!   empty token (`1..2`, `1-`, a leading `.`) is the number 0.
//! * Numbers compare by kind first (`int` up to 9 digits < `long` up to 18 < `BigInteger`), the
//!   kind being chosen from the length after stripping leading ASCII `'0'`s, then by value.
//! * Qualifiers: `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `""` = `ga` =
//!   `final` = `release` < `sp` < every other qualifier, those ordered by UTF-16 code unit
//!   (Java's `String.compareTo`). `a`, `b` and `m` mean alpha, beta and milestone when a digit
//!   follows directly (`1a1` = `1-alpha-1`, but `1a` = `1-a`).
//! * A qualifier is less than a nested list, which is less than a number.
//! * Each list drops its trailing "null" items (0, the release qualifier, empty lists), and the
//!   null items just before its nested list.
//! * A shorter list is padded with nothing: a number is compared with 0, a qualifier with the
//!   release qualifier `""`, and a nested list item by item (MNG-6964).
//!
//! # Which Maven, and the one deliberate deviation
//!
//! The ordering fixtures (`maven-versions-generated.txt`) were produced by sorting real versions
//! with `maven-artifact` 3.8.6, and pass only with 3.8.6's parser. Later releases (the Debian
//! 3.8.7 build, 3.9.x) put a qualifier followed by a digit, or a qualifier ending the version,
//! into a new nested list even after a `.` (MNG-7644), so that `2.9.0.RC1` becomes `2.9-rc-1`;
//! 3.8.6 keeps it in place (`2.9.0.rc-1`), which orders `2.9.0-1 < 2.9.0.RC1`. We follow 3.8.6.
//!
//! We deviate from every `ComparableVersion.compareTo` in one place: a nested list whose own items
//! all normalise away, leaving only a further nested list, is merged with that list, so
//! `1-ga-1` = `1-0-1` = `1-1`. That is what the POM reference's "Version Order Specification"
//! prescribes (null values are trimmed at every hyphen), what `ComparableVersion.getCanonical()`
//! prints (`1-ga-1` → `1-1`), and what the fixture `1-1 = 1-ga-1` requires; `compareTo` instead
//! keeps the empty level and orders `1-ga-1 < 1-1`. The root list is not merged, so `0-1` stays
//! below `1`, as in Maven.
//!
//! # Not a total order
//!
//! Maven's ordering is not transitive when padding meets a mismatched item: `2.9.0.RC1` <
//! `2.9` (rc is compared with the padding), `2.9` < `2.9.0-1`, yet `2.9.0-1` < `2.9.0.RC1` (a
//! nested list is less than the number 0). The generated fixtures contain exactly such chains
//! (`2.9.0.RC3 < 2.9.0 < 2.9.0-1 < 2.9.0.RC1`), so any transitive order would have to claim
//! `2.9.0.RC3 < 2.9.0.RC1`. We reproduce Maven's pairwise answers instead. `==` is still an
//! equivalence (it holds exactly when both versions normalise to the same items), but sorting a
//! list that mixes such versions gives an order that depends on the algorithm, as in Maven.
//! Compare versions pairwise (range checks do) rather than relying on a sorted list.
//!
//! # Unicode
//!
//! Lower-casing uses Rust's Unicode tables, which are newer than Java 17's (Unicode 13): the
//! roughly 95 letters that gained a lower-case form since then fold here but not in that Java.
//! A capital sigma (`Σ`) is lower-cased by Unicode's Final_Sigma rule, where Java decides with
//! its word-break iterator, so `Σ` inside a qualifier may become `σ` here and `ς` in Java.
//!
//! # Representation
//!
//! Lists only ever nest as the last item of their parent, so the tree is a chain and is stored
//! flattened: a token sequence where `Tok::Sub` marks "the rest is a nested list". Comparing two
//! versions is then one lock-step walk over both sequences with no recursion and no allocation,
//! however deep the nesting. Numbers up to 18 digits are stored inline; longer ones and unknown
//! qualifiers point into one text buffer that also holds the original input for `Display`.
//!
//! # Rejected input
//!
//! Maven accepts every string. We reject only the empty string (meaningless; Maven would treat it
//! as `0`) and inputs over 256 MiB, which the compact offsets cannot address.

use std::cmp::Ordering;
use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// Inputs longer than this are rejected: offsets into the text buffer are `u32`, and lower-casing
/// plus copied digits can make the buffer a few times longer than the input.
const MAX_INPUT_LEN: usize = 256 << 20;

/// Index of the release qualifier (`""`, `ga`, `final`, `release`) in Maven's `QUALIFIERS` list.
const RELEASE: u8 = 5;

/// One item of the flattened version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A well-known qualifier: its index in alpha, beta, milestone, rc, snapshot, "", sp.
    Known(u8),
    /// Any other qualifier, lower-cased: byte range in the text buffer.
    Other(u32, u32),
    /// The rest of the sequence is a nested list (Maven's `ListItem` as last item).
    Sub,
    /// A number of at most 9 digits once leading ASCII zeros are stripped (Maven's `IntItem`).
    Int(u64),
    /// A number of 10 to 18 such digits (Maven's `LongItem`).
    Long(u64),
    /// A longer number (Maven's `BigIntegerItem`): its value's ASCII digits without leading zeros,
    /// as a byte range in the text buffer (empty for zero).
    Big(u32, u32),
}

impl Tok {
    /// Rank of the item type: qualifier < nested list < number, whatever the values.
    fn rank(self) -> u8 {
        match self {
            Tok::Known(_) | Tok::Other(..) => 0,
            Tok::Sub => 1,
            Tok::Int(_) | Tok::Long(_) | Tok::Big(..) => 2,
        }
    }

    /// Whether `ListItem.normalize` drops this item when it trails a list.
    fn is_null(self) -> bool {
        match self {
            Tok::Known(q) => q == RELEASE,
            Tok::Int(v) | Tok::Long(v) => v == 0,
            Tok::Big(_, len) => len == 0,
            Tok::Other(..) | Tok::Sub => false,
        }
    }

    /// Maven's `item.compareTo(null)`: how the item compares with the padding of a shorter list.
    /// A nested list compares item by item, which the caller's walk does.
    fn cmp_padding(self) -> Ordering {
        match self {
            Tok::Known(q) => q.cmp(&RELEASE),
            Tok::Other(..) => Ordering::Greater,
            Tok::Sub => Ordering::Equal,
            Tok::Int(v) | Tok::Long(v) => v.cmp(&0),
            Tok::Big(_, len) => len.cmp(&0),
        }
    }
}

/// A parsed Maven version.
///
/// `Display` prints the input as given (Maven keeps the original string); `==` holds when Maven's
/// `compareTo` returns 0 (see the module documentation for the one deliberate exception).
#[derive(Debug, Clone)]
pub struct MavenVersion {
    /// The input, followed by lower-cased qualifiers and long digit strings that tokens point to.
    text: String,
    /// Length of the input at the start of `text`.
    input_len: usize,
    /// The normalised, flattened item sequence.
    toks: Vec<Tok>,
}

impl MavenVersion {
    fn slice(&self, start: u32, len: u32) -> &str {
        let start = start as usize;
        start
            .checked_add(len as usize)
            .and_then(|end| self.text.get(start..end))
            .unwrap_or_default()
    }

    fn cmp_tok(&self, a: Tok, other: &Self, b: Tok) -> Ordering {
        match (a, b) {
            (Tok::Known(x), Tok::Known(y)) => x.cmp(&y),
            (Tok::Known(_), Tok::Other(..)) => Ordering::Less,
            (Tok::Other(..), Tok::Known(_)) => Ordering::Greater,
            (Tok::Other(s1, l1), Tok::Other(s2, l2)) => {
                cmp_utf16(self.slice(s1, l1), other.slice(s2, l2))
            }
            (Tok::Int(x), Tok::Int(y)) | (Tok::Long(x), Tok::Long(y)) => x.cmp(&y),
            (Tok::Big(s1, l1), Tok::Big(s2, l2)) => {
                // Digits without leading zeros: the longer is larger, else compare digit-wise.
                l1.cmp(&l2)
                    .then_with(|| self.slice(s1, l1).cmp(other.slice(s2, l2)))
            }
            (Tok::Int(_), Tok::Long(_) | Tok::Big(..)) | (Tok::Long(_), Tok::Big(..)) => {
                Ordering::Less
            }
            (Tok::Long(_) | Tok::Big(..), Tok::Int(_)) | (Tok::Big(..), Tok::Long(_)) => {
                Ordering::Greater
            }
            _ => a.rank().cmp(&b.rank()),
        }
    }
}

/// Compares two strings as Java's `String.compareTo` does: by UTF-16 code unit.
///
/// UTF-8 byte order is code point order, which differs from UTF-16 order only between a character
/// in U+E000..=U+FFFF (lead byte 0xEE or 0xEF) and an astral one (lead byte 0xF0..=0xF4), whose
/// surrogates (0xD800..) sort first in UTF-16.
fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (&x, &y) in a.iter().zip(b) {
        if x != y {
            // Both strings agree up to here, so `x` and `y` are both lead bytes or both
            // continuation bytes of one character; only lead bytes can need the fix-up.
            return match (x, y) {
                (0xEE..=0xEF, 0xF0..) => Ordering::Greater,
                (0xF0.., 0xEE..=0xEF) => Ordering::Less,
                _ => x.cmp(&y),
            };
        }
    }
    a.len().cmp(&b.len())
}

/// The BMP characters Java's `Character.isDigit(char)` accepts (Unicode category Nd), as the code
/// point of each block's digit zero; every block holds the ten digits 0..=9 in order.
const DIGIT_ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// The decimal value of `c` if Java's `Character.isDigit` accepts it.
fn java_digit(c: char) -> Option<u8> {
    let cp = u32::from(c);
    if c.is_ascii_digit() {
        return Some((cp - 0x30) as u8);
    }
    if !(0x0660..=0xFF19).contains(&cp) {
        return None;
    }
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    let d = cp - zero;
    (d < 10).then_some(d as u8)
}

/// Builds the token sequence of one version.
struct Parser<'a> {
    /// The lower-cased input the tokens are cut from.
    src: &'a str,
    /// Whether `src` is ASCII that may still hold upper-case letters (lower-cased on the fly),
    /// rather than an already lower-cased copy.
    ascii: bool,
    text: String,
    toks: Vec<Tok>,
}

impl Parser<'_> {
    /// Byte range of `s` in the text buffer, copying it there (lower-cased) unless the input
    /// already holds it verbatim.
    fn store(&mut self, start: usize, end: usize) -> Option<(u32, u32)> {
        let src = self.src;
        let s = src.get(start..end)?;
        let (at, len) = if self.ascii && !s.bytes().any(|b| b.is_ascii_uppercase()) {
            (start, s.len())
        } else {
            let at = self.text.len();
            self.text.extend(s.chars().map(|c| c.to_ascii_lowercase()));
            (at, self.text.len() - at)
        };
        Some((u32::try_from(at).ok()?, u32::try_from(len).ok()?))
    }

    /// Maven's `new StringItem(value, followedByDigit)`.
    fn qualifier(&mut self, start: usize, end: usize, followed_by_digit: bool) -> Option<Tok> {
        let src = self.src;
        let s = src.get(start..end)?;
        let known = |name: &str| s.eq_ignore_ascii_case(name);
        let index = if followed_by_digit && known("a") {
            Some(0)
        } else if followed_by_digit && known("b") {
            Some(1)
        } else if followed_by_digit && known("m") {
            Some(2)
        } else if known("alpha") {
            Some(0)
        } else if known("beta") {
            Some(1)
        } else if known("milestone") {
            Some(2)
        } else if known("rc") || known("cr") {
            Some(3)
        } else if known("snapshot") {
            Some(4)
        } else if known("ga") || known("final") || known("release") {
            Some(RELEASE)
        } else if known("sp") {
            Some(6)
        } else {
            None
        };
        match index {
            Some(q) => Some(Tok::Known(q)),
            None => self.store(start, end).map(|(at, len)| Tok::Other(at, len)),
        }
    }

    /// Maven's `parseItem(true, buf)`: the kind comes from the length once leading ASCII `'0'`s
    /// are stripped (all of them kept if nothing else is left, as `stripLeadingZeroes` does),
    /// the value from every digit, whatever its script.
    fn number(&mut self, start: usize, end: usize) -> Option<Tok> {
        let src = self.src;
        let s = src.get(start..end)?;
        let chars = s.chars().count();
        let ascii_zeros = s.bytes().take_while(|&b| b == b'0').count();
        let kept = if ascii_zeros == s.len() {
            chars
        } else {
            chars - ascii_zeros
        };
        let digits = s.chars().filter_map(java_digit).skip_while(|&d| d == 0);
        if kept <= 18 {
            let value = digits.fold(0u64, |v, d| v * 10 + u64::from(d));
            return Some(if kept <= 9 {
                Tok::Int(value)
            } else {
                Tok::Long(value)
            });
        }
        let at = self.text.len();
        self.text.extend(digits.map(|d| char::from(b'0' + d)));
        let len = self.text.len() - at;
        Some(Tok::Big(u32::try_from(at).ok()?, u32::try_from(len).ok()?))
    }

    fn item(&mut self, is_digit: bool, start: usize, end: usize) -> Option<Tok> {
        if is_digit {
            self.number(start, end)
        } else {
            self.qualifier(start, end, false)
        }
    }

    /// Maven's `parseVersion` loop (3.8.6), producing the raw, unnormalised sequence.
    fn tokenize(&mut self) -> Option<()> {
        let mut is_digit = false;
        let mut start = 0;
        let src = self.src;
        for (i, c) in src.char_indices() {
            if c == '.' || c == '-' {
                let tok = if i == start {
                    Tok::Int(0)
                } else {
                    self.item(is_digit, start, i)?
                };
                self.toks.push(tok);
                start = i + 1;
                if c == '-' {
                    self.toks.push(Tok::Sub);
                }
            } else if java_digit(c).is_some() {
                if !is_digit && i > start {
                    let tok = self.qualifier(start, i, true)?;
                    self.toks.extend([tok, Tok::Sub]);
                    start = i;
                }
                is_digit = true;
            } else {
                if is_digit && i > start {
                    let tok = self.number(start, i)?;
                    self.toks.extend([tok, Tok::Sub]);
                    start = i;
                }
                is_digit = false;
            }
        }
        if src.len() > start {
            let tok = self.item(is_digit, start, src.len())?;
            self.toks.push(tok);
        }
        Some(())
    }

    /// `ListItem.normalize` on every list, innermost first, plus the merge of emptied nested
    /// levels. Working backwards, a kept token is followed by what was kept after it, so: a
    /// nested list is dropped when nothing follows it (it normalised to empty) and merged when
    /// another nested list follows directly; a null item is dropped when it ends its list.
    fn normalize(&mut self) {
        let toks = &mut self.toks;
        let len = toks.len();
        let mut write = len;
        for read in (0..len).rev() {
            let Some(&tok) = toks.get(read) else { break };
            let next = toks.get(write).copied();
            let keep = match tok {
                Tok::Sub => next.is_some() && next != Some(Tok::Sub),
                t if t.is_null() => next.is_some() && next != Some(Tok::Sub),
                _ => true,
            };
            if keep {
                write -= 1;
                if let Some(slot) = toks.get_mut(write) {
                    *slot = tok;
                }
            }
        }
        toks.copy_within(write.., 0);
        toks.truncate(len - write);
    }
}

impl SchemeVersion for MavenVersion {
    const SCHEME: Scheme = Scheme::Maven;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Maven, input, 0, "empty version"));
        }
        if input.len() > MAX_INPUT_LEN {
            return Err(ParseError::new(
                Scheme::Maven,
                input,
                MAX_INPUT_LEN,
                "version longer than 256 MiB",
            ));
        }
        let mut text = String::with_capacity(input.len() + 32);
        text.push_str(input);
        let lowered;
        let ascii = input.is_ascii();
        let src = if ascii {
            input
        } else {
            // Java lower-cases the whole string before splitting it (a lower-cased letter can
            // even turn into two, `İ` into `i̇`); see "Unicode" above for where the tables differ.
            lowered = input.to_lowercase();
            &lowered
        };
        let mut parser = Parser {
            src,
            ascii,
            text,
            toks: Vec::with_capacity(8),
        };
        if parser.tokenize().is_none() {
            return Err(ParseError::new(
                Scheme::Maven,
                input,
                0,
                "version too long to index",
            ));
        }
        parser.normalize();
        Ok(Self {
            text: parser.text,
            input_len: input.len(),
            toks: parser.toks,
        })
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.toks.len().max(other.toks.len());
        for i in 0..n {
            let ord = match (self.toks.get(i), other.toks.get(i)) {
                (Some(&a), Some(&b)) => self.cmp_tok(a, other, b),
                (Some(&a), None) => a.cmp_padding(),
                (None, Some(&b)) => b.cmp_padding().reverse(),
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.get(..self.input_len).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
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

    #[test]
    fn qualifier_order() {
        let chain = [
            "1-alpha",
            "1-beta",
            "1-milestone",
            "1-rc",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-abd",
            "1-1",
            "1.1",
        ];
        for pair in chain.windows(2) {
            lt(pair[0], pair[1]);
        }
        eq("1-cr", "1-rc");
        eq("1-ga", "1");
        eq("1.FINAL", "1");
        eq("1-Release", "1");
        eq("1a1", "1-alpha-1");
        eq("1M2", "1-milestone-2");
        // Without a digit after it, `a` is just an unknown qualifier.
        lt("1-alpha", "1a");
        lt("1-sp", "1a");
    }

    #[test]
    fn trailing_nulls_and_padding() {
        eq("1", "1.0.0");
        eq("1.", "1-");
        eq("1-0", "1");
        eq("1.0.0-0.0.0", "1");
        eq("1-foo", "1.0.0-foo.0.0");
        eq("1..1", "1.0.1");
        lt("1", "1.0.1");
        lt("1.0.alpha.1", "1");
        // MNG-6964: the whole nested list is compared with the padding, not just its first item.
        lt("1", "1-0.1");
        lt("1-0.0.alpha", "1");
    }

    #[test]
    fn maven_3_8_6_keeps_dotted_qualifiers_in_place() {
        // The fixture-generating Maven (3.8.6), not MNG-7644's later rule.
        lt("2.9.0-1", "2.9.0.RC1");
        lt("1.5.9.RC1", "1.5.9-RC0");
        lt("6.1.12.rc5", "6.1.12rc1");
        lt("2.9.0.RC1", "2.9");
    }

    #[test]
    fn emptied_nested_levels_merge() {
        eq("1-ga-1", "1-1");
        eq("1-0-1", "1-1");
        eq("1--1", "1-1");
        eq("1-final-x", "1-x");
        // The root list is never merged: 0-1 is still below 1.
        lt("0-1", "1");
        lt("0", "0-1");
        eq("0-0-1", "0-1");
    }

    #[test]
    fn number_kinds() {
        lt("1.999999999", "1.1000000000");
        lt("1.999999999999999999", "1.1000000000000000000");
        lt(
            "99999999999999999999999999991",
            "99999999999999999999999999999",
        );
        eq("1.0001", "1.1");
        // Maven picks the kind before looking at the value: ten ASCII zeros make a `long` 0,
        // which is larger than every `int`.
        lt("1.999999999.1", "1.0000000000.1");
        lt("1.0.1", "1.0000000000.1");
        lt("1.0000000000.1", "1.0000000000000000000.1");
        eq("1.0000000000", "1");
        // Non-ASCII digits count with their value, and are not stripped as leading zeros.
        eq("\u{0661}.\u{0662}", "1.2");
        eq("\u{FF11}\u{FF10}", "10");
        let arabic_zeros = |n| "\u{0660}".repeat(n);
        lt(&format!("1.{}5", arabic_zeros(8)), "1.6");
        lt("1.6", &format!("1.{}5", arabic_zeros(9)));
        // Astral-plane digits are not digits to Java's char-based loop.
        lt("1-\u{1D7CE}", "1-1");
    }

    #[test]
    fn unknown_qualifiers_use_utf16_order() {
        lt("1-\u{10000}", "1-\u{FFFD}");
        lt("1-a\u{E000}", "1-b");
        lt("1-abc", "1-abcd");
        eq("1-FOO", "1-foo");
        eq("1-\u{C4}", "1-\u{E4}");
    }

    #[test]
    fn case_insensitive_everywhere() {
        eq("1.0-SNAPSHOT", "1-snapshot");
        eq("1X", "1-x");
        eq("1Cr", "1rc");
        eq("1-\u{130}", "1-i\u{307}");
    }

    #[test]
    fn display_is_the_input() {
        for s in [
            "1.0.0-RC1",
            "1-GA-1",
            " spaced ",
            "\u{0661}.x",
            "1.0000000000000000000000",
        ] {
            let x = v(s);
            assert_eq!(x.to_string(), s);
            assert_eq!(v(&x.to_string()), x);
        }
    }

    #[test]
    fn rejects_only_empty() {
        let err = MavenVersion::parse("").err();
        assert_eq!(err.as_ref().map(ParseError::position), Some(0));
        assert_eq!(err.as_ref().map(ParseError::reason), Some("empty version"));
        for s in [" ", ".", "-", "+", "0", "---", "\u{0}", "x", "1.0+build"] {
            assert!(MavenVersion::parse(s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long_digits = "9".repeat(100_000);
        let deep = "a1".repeat(50_000);
        let dashes = "-".repeat(10_000);
        let inputs = [
            long_digits.as_str(),
            deep.as_str(),
            dashes.as_str(),
            "\u{1F600}1\u{1F600}",
            "\u{FFFF}.\u{10FFFF}-\u{0}",
            "ΣΑΣ.ς1",
            "99999999999999999999999999.0",
        ];
        for a in inputs {
            for b in inputs {
                let _ = v(a).cmp(&v(b));
            }
        }
        assert_eq!(v(&deep).cmp(&v(&deep)), Ordering::Equal);
    }
}
