//! weerbaar's generic scheme for product versions: the `versionStartIncluding`/`versionEndExcluding`
//! bounds of NVD CPE match criteria and the versions found in Windows and appliance inventories.
//!
//! These versions follow no single specification: `7.2.4` (firmware), `15.2(4)M3` (Cisco IOS),
//! `20.4R3-S1` (Junos), `9.1.4-h3` (PAN-OS hotfix), `8.0.2-22380479` (ESXi build), `7.0u3`
//! (VMware update), `10.0.19045.3803` (Windows build), `1.0.2k` (OpenSSL patch letter), `R80.40`
//! (Check Point), `2019`, `v2.3`. Tools that match CPE ranges compare them with heuristics
//! (nvdtools' `smartVerCmp`, which grype uses as its "fuzzy" comparator; Dependency-Track's
//! `ComponentVersion`); those heuristics are not total orders (nvdtools compares `1.0` and `1.0.0`
//! by string length, Dependency-Track only equates one trailing `.0`). This scheme keeps their
//! intent but is a documented total order, so range checks are consistent.
//!
//! # Rules
//!
//! 1. **Tokens.** The version is split into maximal runs of ASCII digits (numbers) and of ASCII
//!    letters (words). The separators `.` `-` `_` `+` `(` `)` `\` and space only delimit tokens
//!    and are otherwise ignored, as is a change from letters to digits: `15.2(4)M3`,
//!    `15.2.4.M.3` and `15-2-4-m3` are equal, and so are `1.0rc1` and `1.0-rc.1`.
//! 2. **Leading `v`.** A `v` or `V` that is the first token and is directly followed by a digit is
//!    dropped: `v2.3` == `2.3`.
//! 3. **Groups.** The tokens form groups: a leading group of numbers, then one group per word,
//!    holding that word and the numbers that follow it up to the next word.
//!    `15.2(4)M3` is `[15 2 4] (M: [3])`; `20.4R3-S1` is `[20 4] (R: [3]) (S: [1])`;
//!    `R80.40` is `[] (R: [80 40])`; `12.2(55)SE10a` is `[12 2 55] (SE: [10]) (a: [])`.
//! 4. **Comparison.** Groups are compared pairwise, in order; the first difference decides.
//!    A version with fewer groups is padded with *end* groups (an end word with no numbers).
//!    * Two groups compare by their word (below), then by their numbers.
//!    * Numbers compare as lists, element by element, each as an integer of any size (leading
//!      zeros ignored); the shorter list is padded with zeros, so `1.0` == `1.0.0` and
//!      `7.0u3` == `7.0.0u3`.
//!    * Words are compared case-insensitively and ranked:
//!      `dev` < `alpha` < `beta` < `rc` = `pre` = `preview` < `snapshot` < *end* = `final` = `ga`
//!      = `release` < every other word. Other words compare with each other alphabetically
//!      (ASCII, case-insensitive, a prefix before its extensions: `z` < `za`).
//!
//!    So the spelled-out pre-release words sort before the release (`1.0beta2` < `1.0rc1` <
//!    `1.0`), following PEP 440's ranks (`pre` and `preview` are spellings of `rc`, `dev` is
//!    lowest) and Maven's place for `snapshot`; the release words equal the bare release
//!    (`6.7ga` == `6.7`, `5.3.0.RELEASE` == `5.3.0`); and **every other word is a post-release
//!    marker** that sorts after the release it follows and before the next release:
//!    `1.0.2` < `1.0.2a` < `1.0.2k` < `1.0.2za` < `1.0.3`; `7.0` < `7.0u1` < `7.0u3` < `7.0u3c`;
//!    `9.1.4` < `9.1.4-b3` < `9.1.4-h3` < `9.1.5`; `15.2(4)M` < `15.2(4)M1` < `15.2(4)M10`;
//!    `20.4R3` < `20.4R3-S1` < `20.4R4`.
//!
//!    **Single letters are patch letters, never pre-releases**: `1.0b2` is *after* `1.0` (as in
//!    OpenSSL's `1.0.2b` or ISC's `9.11.3-P4`), while `1.0beta2` is before it. Only the words
//!    listed above are pre-releases.
//! 5. A hyphen carries no meaning of its own: `8.0.2-22380479` is `[8 0 2 22380479]`, after `8.0.2`
//!    and before `8.0.3`; `+` is likewise an ordinary separator (no SemVer build metadata).
//!
//! Two versions of different shapes (`7.0u3` against `7.0.3`, `2019` against `10.0.17763`) get
//! *an* answer but not necessarily a meaningful one; the scheme assumes both sides of a
//! comparison follow the same product's convention.
//!
//! # Representation
//!
//! The input is kept as given (for `Display`) and tokenised once into a boxed slice of
//! `(kind, start, end, key)` records pointing into it; numbers exclude their leading zeros, so
//! long ones compare by length and then byte-wise, whatever their size. Word ranks are decided
//! at parse time, and `key` (a number's value up to 19 digits, a word's first 8 lower-cased
//! bytes) settles most token comparisons with one integer comparison. Comparing walks the two
//! slices group by group without allocating.
//!
//! # Rejected input
//!
//! * empty or whitespace-only input ("empty version");
//! * ASCII control characters, including tab and newline ("control character");
//! * non-ASCII characters;
//! * any other punctuation, because it changes the meaning in some other syntax and silently
//!   ignoring it would compare the wrong thing: `*` and `?` (CPE wildcards), `<` `>` `=` `!`
//!   `~` `^` `|` `&` `,` (range expressions), `:` (epochs, CPE strings), `/`, quotes, …;
//! * input with no digit or letter at all, such as CPE's `-` ("not applicable");
//! * input longer than `u32::MAX` bytes.

use std::cmp::Ordering;
use std::fmt;

use super::digits::{BIG, cmp_digits, number_key, word_key};
use crate::{ParseError, Scheme, SchemeVersion};

/// The rank of a word; the derived order is the scheme's order of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Dev,
    Alpha,
    Beta,
    Rc,
    Snapshot,
    /// The end of the version, and the words that mean "the release itself".
    End,
    /// Any other word; these compare alphabetically among themselves.
    Post,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Digits without leading zeros (an empty range is zero).
    Num,
    Word(Rank),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: u32,
    end: u32,
    /// A comparison shortcut: for a number of at most 19 digits its value, for a longer one
    /// [`BIG`]; for a word its first 8 bytes lower-cased, big-endian and zero-padded. Unequal
    /// keys decide the comparison; equal keys do when both tokens are fully encoded.
    key: u64,
}

/// A parsed generic product version (see the module documentation for the order).
#[derive(Debug, Clone)]
pub struct GenericVersion {
    text: Box<str>,
    tokens: Box<[Token]>,
}

/// One group: its word (`None` for the leading group) and its numbers.
#[derive(Clone, Copy)]
struct Group<'a> {
    rank: Rank,
    word: Option<&'a Token>,
    nums: &'a [Token],
}

impl GenericVersion {
    fn bytes(&self, t: &Token) -> &[u8] {
        self.text
            .as_bytes()
            .get(t.start as usize..t.end as usize)
            .unwrap_or_default()
    }

    /// The group starting at token index `*i` (advancing it), or `None` past the end.
    /// The leading group is the one at index 0 with `leading` set.
    fn group(&self, i: &mut usize, leading: bool) -> Option<Group<'_>> {
        let (rank, word) = if leading {
            // The leading group has no word; giving it the rank of a word-less end makes two
            // leading groups compare by their numbers only.
            (Rank::End, None)
        } else {
            let t = self.tokens.get(*i)?;
            *i += 1;
            match t.kind {
                Kind::Word(rank) => (rank, Some(t)),
                // Unreachable by construction: after the leading group, every group starts with
                // a word. Treat a stray number as an end word to stay total and panic-free.
                Kind::Num => (Rank::End, None),
            }
        };
        let start = *i;
        let rest = self.tokens.get(start..).unwrap_or_default();
        let len = rest.iter().take_while(|t| t.kind == Kind::Num).count();
        *i = start + len;
        Some(Group {
            rank,
            word,
            nums: rest.get(..len).unwrap_or_default(),
        })
    }
}

fn cmp_words(a: &[u8], b: &[u8]) -> Ordering {
    a.iter()
        .map(u8::to_ascii_lowercase)
        .cmp(b.iter().map(u8::to_ascii_lowercase))
}

/// Compares number lists, padding the shorter with zeros.
fn cmp_nums(a: &GenericVersion, x: &[Token], b: &GenericVersion, y: &[Token]) -> Ordering {
    let n = x.len().max(y.len());
    for j in 0..n {
        let (xt, yt) = (x.get(j), y.get(j));
        let xk = xt.map_or(0, |t| t.key);
        let yk = yt.map_or(0, |t| t.key);
        let ord = if xk != yk {
            xk.cmp(&yk)
        } else if xk == BIG {
            let xs = xt.map_or(&[][..], |t| a.bytes(t));
            let ys = yt.map_or(&[][..], |t| b.bytes(t));
            cmp_digits(xs, ys)
        } else {
            Ordering::Equal
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Compares the words of two `Post` groups.
fn cmp_post(
    a: &GenericVersion,
    x: Option<&Token>,
    b: &GenericVersion,
    y: Option<&Token>,
) -> Ordering {
    let xk = x.map_or(0, |t| t.key);
    let yk = y.map_or(0, |t| t.key);
    if xk != yk {
        return xk.cmp(&yk);
    }
    let long = |t: Option<&Token>| t.is_some_and(|t| t.end.saturating_sub(t.start) > 8);
    if long(x) || long(y) {
        cmp_words(
            x.map_or(&[][..], |t| a.bytes(t)),
            y.map_or(&[][..], |t| b.bytes(t)),
        )
    } else {
        Ordering::Equal
    }
}

const END: Group<'static> = Group {
    rank: Rank::End,
    word: None,
    nums: &[],
};

fn classify(word: &[u8]) -> Rank {
    let lower = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
    if lower("dev") {
        Rank::Dev
    } else if lower("alpha") {
        Rank::Alpha
    } else if lower("beta") {
        Rank::Beta
    } else if lower("rc") || lower("pre") || lower("preview") {
        Rank::Rc
    } else if lower("snapshot") {
        Rank::Snapshot
    } else if lower("final") || lower("ga") || lower("release") {
        Rank::End
    } else {
        Rank::Post
    }
}

fn is_separator(c: u8) -> bool {
    matches!(c, b'.' | b'-' | b'_' | b'+' | b'(' | b')' | b'\\' | b' ')
}

impl SchemeVersion for GenericVersion {
    const SCHEME: Scheme = Scheme::Generic;

    fn parse(input: &str) -> Result<Self, ParseError> {
        let err = |pos: usize, reason: String| ParseError::new(Scheme::Generic, input, pos, reason);
        if input.trim().is_empty() {
            return Err(err(0, "empty version".into()));
        }
        if u32::try_from(input.len()).is_err() {
            return Err(err(0, "version too long".into()));
        }
        for (pos, c) in input.char_indices() {
            if c.is_ascii_control() {
                return Err(err(pos, format!("control character {c:?}")));
            }
            if !c.is_ascii() {
                return Err(err(pos, format!("non-ASCII character {c:?}")));
            }
            if !c.is_ascii_alphanumeric() && !is_separator(c as u8) {
                let what = if matches!(c, '*' | '?') {
                    "wildcard"
                } else {
                    "invalid character"
                };
                return Err(err(pos, format!("{what} {c:?}")));
            }
        }

        let b = input.as_bytes();
        let pos = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let mut tokens = Vec::with_capacity(input.len() / 2 + 1);
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            let start = i;
            if c.is_ascii_digit() {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let mut first = start;
                while first < i && b.get(first) == Some(&b'0') {
                    first += 1;
                }
                tokens.push(Token {
                    kind: Kind::Num,
                    start: pos(first),
                    end: pos(i),
                    key: number_key(b.get(first..i).unwrap_or_default()),
                });
            } else if c.is_ascii_alphabetic() {
                while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                let word = b.get(start..i).unwrap_or_default();
                let leading_v = tokens.is_empty()
                    && word.eq_ignore_ascii_case(b"v")
                    && b.get(i).is_some_and(u8::is_ascii_digit);
                if !leading_v {
                    tokens.push(Token {
                        kind: Kind::Word(classify(word)),
                        start: pos(start),
                        end: pos(i),
                        key: word_key(word, true),
                    });
                }
            } else {
                i += 1;
            }
        }
        if tokens.is_empty() {
            return Err(err(0, "no digits or letters in version".into()));
        }
        Ok(Self {
            text: input.into(),
            tokens: tokens.into_boxed_slice(),
        })
    }
}

impl Ord for GenericVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut i, mut j) = (0, 0);
        let mut leading = true;
        loop {
            let x = self.group(&mut i, leading);
            let y = other.group(&mut j, leading);
            leading = false;
            let (x, y) = match (x, y) {
                (None, None) => return Ordering::Equal,
                (x, y) => (x.unwrap_or(END), y.unwrap_or(END)),
            };
            let ord = x
                .rank
                .cmp(&y.rank)
                .then_with(|| {
                    if x.rank == Rank::Post {
                        cmp_post(self, x.word, other, y.word)
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| cmp_nums(self, x.nums, other, y.nums));
            if ord != Ordering::Equal {
                return ord;
            }
        }
    }
}

impl PartialOrd for GenericVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GenericVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GenericVersion {}

impl fmt::Display for GenericVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal as EQ, Greater as GT, Less as LT};

    fn v(s: &str) -> GenericVersion {
        match GenericVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    fn check(a: &str, op: Ordering, b: &str) {
        assert_eq!(v(a).cmp(&v(b)), op, "{a} vs {b}");
        assert_eq!(v(b).cmp(&v(a)), op.reverse(), "{b} vs {a}");
        assert_eq!(v(a) == v(b), op == EQ, "{a} == {b}");
    }

    /// Each list must be strictly increasing; every pair is checked, not just neighbours.
    fn ascending(list: &[&str]) {
        for (i, a) in list.iter().enumerate() {
            for (j, b) in list.iter().enumerate() {
                check(a, i.cmp(&j), b);
            }
        }
    }

    #[test]
    fn appliance_firmware() {
        ascending(&[
            "7.0.12", "7.2", "7.2.0.1", "7.2.4", "7.2.10", "7.4.0", "10.0",
        ]);
        check("7.2", EQ, "7.2.0");
        check("7.2", EQ, "7.2.0.0.0");
        check("7.2.4", EQ, "07.02.004");
    }

    #[test]
    fn cisco_ios_trains() {
        ascending(&[
            "15.2(4)",
            "15.2(4)M",
            "15.2(4)M1",
            "15.2(4)M2",
            "15.2(4)M3",
            "15.2(4)M10",
            "15.2(4)M11",
            "15.2(5)M",
        ]);
        ascending(&[
            "12.2(55)SE",
            "12.2(55)SE1",
            "12.2(55)SE9",
            "12.2(55)SE10",
            "12.2(55)SE10a",
            "12.2(55)SE11",
        ]);
        // NX-OS nests a second parenthesised number.
        ascending(&["7.0(3)I7(8)", "7.0(3)I7(9)", "7.0(3)I7(10)", "9.3(10)"]);
        // ASA spells the interim build both ways.
        check("9.8(4)32", EQ, "9.8(4.32)");
        check("15.2(4)M3", EQ, "15.2(4)m3");
        // Escaped as in CPE 2.3 formatted strings.
        check("15.2\\(4\\)m3", EQ, "15.2(4)M3");
    }

    #[test]
    fn hotfix_and_build_suffixes() {
        ascending(&[
            "9.1.4",
            "9.1.4-b3",
            "9.1.4-b10",
            "9.1.4-h1",
            "9.1.4-h3",
            "9.1.5",
        ]);
        ascending(&[
            "20.4R3",
            "20.4R3-S1",
            "20.4R3-S1.3",
            "20.4R3-S10",
            "20.4R4",
            "21.1R1",
        ]);
        ascending(&["15.1X49-D90", "15.1X49-D100", "15.1X49-D110"]);
        ascending(&["9.11.3", "9.11.3-P1", "9.11.3-P4", "9.11.4"]);
    }

    #[test]
    fn hypervisor_builds_and_updates() {
        ascending(&[
            "8.0.1",
            "8.0.2",
            "8.0.2-22380479",
            "8.0.2-23305546",
            "8.0.3",
        ]);
        ascending(&[
            "7.0", "7.0u1", "7.0u2", "7.0u3", "7.0u3c", "7.0u3d", "7.0.1",
        ]);
        check("7.0u3", EQ, "7.0.0u3");
        check("7.0u3", EQ, "7.0 U3");
        check("7.0U3c", EQ, "7.0u3c");
        check("6.7ga", EQ, "6.7");
        check("5.3.0.RELEASE", EQ, "5.3.0");
        check("2.0-final", EQ, "2");
    }

    #[test]
    fn windows_builds() {
        ascending(&[
            "6.1.7601.24499",
            "10.0.14393.6452",
            "10.0.17763.5206",
            "10.0.19044.3803",
            "10.0.19045.3693",
            "10.0.19045.3803",
            "10.0.19045.3930",
            "10.0.22000.2652",
            "10.0.22621.2861",
            "10.0.22631.2861",
        ]);
        check("10.0.19045.3803", EQ, "10.0.19045.3803.0");
    }

    #[test]
    fn check_point_years_and_leading_v() {
        ascending(&[
            "R77.30", "R80", "R80.10", "R80.40", "R81", "R81.10", "R81.20",
        ]);
        check("r81.10", EQ, "R81.10");
        ascending(&["2012", "2016", "2019", "2022"]);
        check("v2.3", EQ, "2.3");
        check("V2.3", EQ, "2.3.0");
        check("v2.3", LT, "v2.10");
        // Only a leading `v` directly before a digit is dropped.
        check("2.3v1", GT, "2.3");
        check("v.2", LT, "2");
    }

    #[test]
    fn pre_releases_and_patch_letters() {
        ascending(&[
            "1.0dev",
            "1.0-alpha",
            "1.0-alpha.1",
            "1.0-alpha.2",
            "1.0beta",
            "1.0beta2",
            "1.0-rc1",
            "1.0-rc2",
            "1.0-SNAPSHOT",
            "1.0",
            "1.0a",
            "1.0b2",
            "1.0p1",
            "1.0.1-beta",
            "1.0.1",
        ]);
        check("1.0rc1", EQ, "1.0-rc.1");
        check("1.0rc1", EQ, "1.0.0-RC-1");
        check("1.0pre1", EQ, "1.0rc1");
        check("1.0preview1", EQ, "1.0RC1");
        ascending(&[
            "1.0.2", "1.0.2a", "1.0.2k", "1.0.2z", "1.0.2za", "1.0.2zh", "1.0.3",
        ]);
        ascending(&["7.4", "7.4p1", "7.4p2", "7.5"]);
        check("1.0a", EQ, "1.0.a");
        check("1.0a", EQ, "1.0.0A");
    }

    #[test]
    fn numbers_of_any_size() {
        check(
            "1.99999999999999999999999999",
            LT,
            "1.100000000000000000000000000",
        );
        check("1.0000000000000000000000000001", EQ, "1.1");
        check("18446744073709551616", GT, "18446744073709551615");
        check("9999999999999999999", LT, "10000000000000000000");
        check("1.00000000000000000000000", EQ, "1.0");
        check("1.18446744073709551616", EQ, "1.018446744073709551616");
        check("0", EQ, "0.0");
        check("0", LT, "0.0.1");
    }

    #[test]
    fn long_words() {
        // Words longer than the 8-byte comparison key.
        check("1.0abcdefghij", LT, "1.0abcdefghik");
        check("1.0abcdefgh", LT, "1.0abcdefghi");
        check("1.0ABCDEFGHIJ", EQ, "1.0abcdefghij");
        check("1.0abcdefghZ", GT, "1.0abcdefgha");
    }

    #[test]
    fn total_order_on_a_mixed_set() {
        let all = [
            "1",
            "1.0",
            "1.0.0",
            "1.0a",
            "1.0beta",
            "1.0rc1",
            "1.0u1",
            "1a",
            "a",
            "a1",
            "R1",
            "ga",
            "1.0-ga",
            "1.0-1",
            "1.0.1",
            "1-dev",
            "dev",
            "v1",
            "2019",
            "1.0beta.final",
            "z",
            "1.0final1",
            "0",
            "00",
            "0a",
        ];
        let vs: Vec<_> = all.iter().map(|s| v(s)).collect();
        for a in &vs {
            for b in &vs {
                assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{a} {b}");
                for c in &vs {
                    if a <= b && b <= c {
                        assert!(a <= c, "{a} <= {b} <= {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn display_round_trip() {
        for s in ["15.2(4)M3", "v2.3", "7.0 U3", "R80.40", "1.0-rc.1", " 1.0 "] {
            let p = v(s);
            assert_eq!(p.to_string(), s);
            assert_eq!(v(&p.to_string()), p);
        }
    }

    #[test]
    fn rejects() {
        let cases: [(&str, usize, &str); 10] = [
            ("", 0, "empty version"),
            ("   ", 0, "empty version"),
            ("1.0\t", 3, "control character '\\t'"),
            ("1.\n0", 2, "control character '\\n'"),
            ("1.0β", 3, "non-ASCII character 'β'"),
            ("*", 0, "wildcard '*'"),
            (">=1.0", 0, "invalid character '>'"),
            ("1:2.0", 1, "invalid character ':'"),
            ("1.0,2.0", 3, "invalid character ','"),
            ("-", 0, "no digits or letters in version"),
        ];
        for (input, position, reason) in cases {
            match GenericVersion::parse(input) {
                Ok(p) => panic!("{input:?} parsed as {p:?}"),
                Err(e) => {
                    assert_eq!(e.position(), position, "{input:?}");
                    assert_eq!(e.reason(), reason, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long = "1.a".repeat(100_000);
        let zeros = "0".repeat(10_000);
        let nasty = [
            "v",
            "V",
            "v1",
            "(",
            "()",
            "a",
            "0",
            "--1--",
            "\u{0}",
            "é",
            "\u{feff}1",
            &long,
            &zeros,
        ];
        for a in nasty {
            for b in nasty {
                if let (Ok(x), Ok(y)) = (GenericVersion::parse(a), GenericVersion::parse(b)) {
                    assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
                }
            }
        }
        assert_eq!(v("v"), v("V"));
    }
}
