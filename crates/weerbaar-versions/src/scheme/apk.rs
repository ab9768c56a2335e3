//! apk-tools version ordering, used by the Alpine, Wolfi, Chainguard (and other apk-based)
//! ecosystems.
//!
//! # Rules
//!
//! apk versions follow `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}` (apk-package(5)).
//! Ordering follows apk-tools' `src/version.c` (`token_next`, `token_cmp` and
//! `apk_version_compare_fuzzy` in apk-tools 3; `get_token`/`next_token` in 2.x): the version is
//! read as a sequence of tokens, and two versions are compared token by token:
//!
//! * the first number compares numerically; later `.`-numbers compare numerically unless either
//!   has a leading zero, in which case they compare as strings (`1.01 < 1.1`, `8.2.0 < 8.2.001`);
//! * a letter compares by its byte; suffix names by their rank
//!   `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`; suffix numbers and the
//!   `-r` revision numerically; a `~hash` by bytes;
//! * when one version has a token where the other has a token of a different kind (or ends), a
//!   pre-release suffix is lowest, then the end of an invalid version, the end of the version, a
//!   revision, a hash, a suffix number, a post-release suffix, a letter, a number. So
//!   `1.2_rc1 < 1.2 < 1.2-r0 < 1.2_p1 < 1.2a < 1.2.1`.
//!
//! Numbers of any length compare exactly (apk-tools 3 reads them into a wrapping `uint64_t`).
//!
//! # Invalid versions
//!
//! `apk version -t` compares any string, and so does this type: nothing but the empty string is
//! rejected. Where a string stops following the grammar, apk-tools stops tokenising and treats the
//! rest as an "invalid" end, which sorts below the end of a valid version. The fixtures (from
//! osv-scalibr's test data) pin down how such versions order, and a few of them differ from
//! apk-tools 3:
//!
//! * a letter followed by digits (`6.6.2p1`, common in real Alpine versions) continues with a
//!   number, as apk-tools 2.x reads it (apk-tools 3 calls it invalid and orders `6.6.2p1` and
//!   `6.6.2p2` as equal);
//! * `-r` without digits at the end is revision 0 (`1-r = 1-r0`, as apk-tools 2.x);
//! * whatever follows a revision's digits (`1-r0-1`, `1-r1a`), and a `-` that does not start a
//!   revision (`1-ruff`, `1--r1`), is an invalid end whose content is ignored, so
//!   `1-r0-1 = 1-r0-2` and `1-ruff2 = 1--ruff1`; `-r` followed directly by `-` reads as `-r0`
//!   then such an end (`1-r0-1 = 1-r-2`), where apk-tools 3 would make `1-r-2` invalid at `-r`.
//!   Such an ignored end sorts below any other invalid end at the same token (`1-ruff < 1_x`);
//! * two versions that become invalid at the same token are equal in apk-tools; here their
//!   remaining bytes are compared (`0..1..0 < 0..1..1`, `a < b`, as the fixtures require), which
//!   also keeps the order total.
//!
//! Where apk-tools 2.x and 3 disagree on well-formed versions, 3 is followed: leading zeros in
//! later numbers compare as strings (2.x compared the number of zeros, giving `8.2.001 < 8.2.0`,
//! and its zero handling also made `1.0 < 1.0_rc1`).
//!
//! # Representation
//!
//! The input is kept once (one allocation) together with its token list (a second one). Each
//! token is a kind plus a byte range into the input, and the list ends with an end or invalid
//! token, so comparing is a plain walk over two token slices: no allocation, no re-parsing.

use std::cmp::Ordering;
use std::fmt;

use super::digits::cmp_digits;
use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed apk version.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    text: Box<str>,
    /// The tokens; the last one is always [`Kind::End`] or [`Kind::Invalid`].
    tokens: Box<[Token]>,
}

/// Token kinds, declared in the order apk-tools ranks them when two versions have different
/// kinds at the same position (lowest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// `_alpha`, `_beta`, `_pre`, `_rc`: sorts below everything, even the end.
    PreSuffix,
    /// The rest of a version that stopped following the grammar.
    Invalid,
    End,
    Revision,
    Hash,
    SuffixNumber,
    /// `_cvs`, `_svn`, `_git`, `_hg`, `_p`.
    PostSuffix,
    Letter,
    /// A number after `.` (or after a letter).
    Number,
    /// The leading number.
    First,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    /// Suffix rank (only for suffix kinds).
    rank: u8,
    start: usize,
    end: usize,
}

/// The grammar state: what the previous token was, in apk-tools' `enum PARTS` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    First,
    Number,
    Letter,
    Suffix,
    SuffixNumber,
    Hash,
}

const SUFFIXES: [(&[u8], Kind, u8); 9] = [
    (b"alpha", Kind::PreSuffix, 1),
    (b"beta", Kind::PreSuffix, 2),
    (b"pre", Kind::PreSuffix, 3),
    (b"rc", Kind::PreSuffix, 4),
    (b"cvs", Kind::PostSuffix, 6),
    (b"svn", Kind::PostSuffix, 7),
    (b"git", Kind::PostSuffix, 8),
    (b"hg", Kind::PostSuffix, 9),
    (b"p", Kind::PostSuffix, 10),
];

fn run_len(bytes: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| pred(b))
        .count()
}

fn tokenize(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let len = b.len();
    let mut out = Vec::with_capacity(8);
    let tok = |kind, start, end| Token {
        kind,
        rank: 0,
        start,
        end,
    };

    let n = run_len(b, 0, |c| c.is_ascii_digit());
    if n == 0 {
        out.push(tok(Kind::Invalid, 0, len));
        return out;
    }
    out.push(tok(Kind::First, 0, n));
    let mut state = State::First;
    let mut i = n;
    loop {
        let Some(&c) = b.get(i) else {
            out.push(tok(Kind::End, i, i));
            return out;
        };
        match c {
            b'a'..=b'z' if state <= State::Number => {
                out.push(tok(Kind::Letter, i, i + 1));
                state = State::Letter;
                i += 1;
                continue;
            }
            b'.' if state <= State::Number => {
                let n = run_len(b, i + 1, |c| c.is_ascii_digit());
                if n > 0 {
                    out.push(tok(Kind::Number, i + 1, i + 1 + n));
                    state = State::Number;
                    i += 1 + n;
                    continue;
                }
            }
            b'0'..=b'9' if state == State::Letter || state == State::Suffix => {
                // After a letter: apk-tools 2.x reads another number (`6.6.2p1`).
                let n = run_len(b, i, |c| c.is_ascii_digit());
                let (kind, next) = if state == State::Letter {
                    (Kind::Number, State::Number)
                } else {
                    (Kind::SuffixNumber, State::SuffixNumber)
                };
                out.push(tok(kind, i, i + n));
                state = next;
                i += n;
                continue;
            }
            b'_' if state <= State::SuffixNumber => {
                let n = run_len(b, i + 1, |c| c.is_ascii_lowercase());
                let name = b.get(i + 1..i + 1 + n).unwrap_or_default();
                if let Some(&(_, kind, rank)) = SUFFIXES.iter().find(|(s, _, _)| *s == name) {
                    out.push(Token {
                        kind,
                        rank,
                        start: i,
                        end: i + 1 + n,
                    });
                    state = State::Suffix;
                    i += 1 + n;
                    continue;
                }
            }
            b'~' if state < State::Hash => {
                let n = run_len(b, i + 1, |c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                if n > 0 {
                    out.push(tok(Kind::Hash, i + 1, i + 1 + n));
                    state = State::Hash;
                    i += 1 + n;
                    continue;
                }
            }
            b'-' => {
                // The revision. Whatever follows it, and any `-` that does not start one, is an
                // invalid end whose content is ignored (an empty range): see the module docs.
                let n = run_len(b, i + 2, |c| c.is_ascii_digit());
                let after = i + 2 + n;
                if b.get(i + 1) == Some(&b'r') {
                    if after == len {
                        out.push(tok(Kind::Revision, i + 2, len));
                        out.push(tok(Kind::End, len, len));
                        return out;
                    }
                    if n > 0 || b.get(after) == Some(&b'-') {
                        out.push(tok(Kind::Revision, i + 2, after));
                        out.push(tok(Kind::Invalid, after, after));
                        return out;
                    }
                }
                out.push(tok(Kind::Invalid, i, i));
                return out;
            }
            _ => {}
        }
        out.push(tok(Kind::Invalid, i, len));
        return out;
    }
}

impl SchemeVersion for ApkVersion {
    const SCHEME: Scheme = Scheme::Apk;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Apk, input, 0, "empty version"));
        }
        Ok(Self {
            tokens: tokenize(input).into_boxed_slice(),
            text: input.into(),
        })
    }
}

impl ApkVersion {
    /// Whether the whole string follows the apk version grammar (with apk-tools 2.x's leniency
    /// for a number after the letter and a bare `-r`). Invalid versions still order, as
    /// `apk version -t` orders them.
    #[must_use]
    pub fn is_well_formed(&self) -> bool {
        !matches!(self.tokens.last(), Some(t) if t.kind == Kind::Invalid)
    }

    fn bytes(&self, t: &Token) -> &[u8] {
        self.text.as_bytes().get(t.start..t.end).unwrap_or_default()
    }
}

fn cmp_token(ta: &Token, a: &[u8], tb: &Token, b: &[u8]) -> Ordering {
    match ta.kind.cmp(&tb.kind) {
        Ordering::Equal => {}
        other => return other,
    }
    match ta.kind {
        Kind::First | Kind::SuffixNumber | Kind::Revision => cmp_digits(a, b),
        // Either with a leading zero: apk-tools 3 compares as strings (Gentoo's rule).
        Kind::Number if a.first() == Some(&b'0') || b.first() == Some(&b'0') => a.cmp(b),
        Kind::Number => cmp_digits(a, b),
        Kind::PreSuffix | Kind::PostSuffix => ta.rank.cmp(&tb.rank),
        Kind::Letter | Kind::Hash | Kind::Invalid => a.cmp(b),
        Kind::End => Ordering::Equal,
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        // Both lists end with End or Invalid, which compare as terminators, so the walk always
        // decides before either list runs out.
        for (ta, tb) in self.tokens.iter().zip(other.tokens.iter()) {
            match cmp_token(ta, self.bytes(ta), tb, other.bytes(tb)) {
                Ordering::Equal => {
                    if matches!(ta.kind, Kind::End | Kind::Invalid) {
                        return Ordering::Equal;
                    }
                }
                decided => return decided,
            }
        }
        self.tokens.len().cmp(&other.tokens.len())
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ApkVersion {
        match ApkVersion::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    #[track_caller]
    fn check(a: &str, op: Ordering, b: &str) {
        assert_eq!(v(a).cmp(&v(b)), op, "{a} vs {b}");
        assert_eq!(v(b).cmp(&v(a)), op.reverse(), "{b} vs {a}");
    }

    use Ordering::{Equal, Greater, Less};

    #[test]
    fn suffix_and_revision_order() {
        let ordered = [
            "1.2_alpha_pre",
            "1.2_alpha",
            "1.2_alpha1",
            "1.2_alpha2",
            "1.2_beta",
            "1.2_pre1",
            "1.2_rc1",
            "1.2",
            "1.2-r0",
            "1.2-r1",
            "1.2~0abc",
            "1.2~0abc-r1",
            "1.2~1",
            "1.2_cvs",
            "1.2_svn",
            "1.2_git",
            "1.2_hg",
            "1.2_p1",
            "1.2_p1-r1",
            "1.2_p2",
            "1.2a_rc1",
            "1.2a",
            "1.2a_p1",
            "1.2b",
            "1.2.0",
            "1.2.1",
            "1.3",
        ];
        for w in ordered.windows(2) {
            check(w[0], Less, w[1]);
        }
        for (i, a) in ordered.iter().enumerate() {
            for b in ordered.get(i + 1..).unwrap_or_default() {
                check(a, Less, b);
            }
        }
    }

    #[test]
    fn numbers() {
        check("1.10", Greater, "1.9");
        check("006", Equal, "6");
        check("1.01", Less, "1.1");
        check("1.001", Less, "1.01");
        check("8.2.0", Less, "8.2.001");
        check("8.2.0015", Less, "8.2.002");
        check("1-r1", Equal, "1-r01");
        check("1_p01", Equal, "1_p1");
        let big = "99999999999999999999999999";
        check(big, Less, &format!("{big}0"));
        check(&format!("1.{big}8"), Less, &format!("1.{big}9"));
        check(&format!("1-r{big}"), Greater, "1-r18446744073709551615");
        check(&format!("1-r000{big}"), Equal, &format!("1-r{big}"));
    }

    #[test]
    fn letter_then_number() {
        check("6.6.2p1", Less, "6.6.2p2");
        check("6.6.2p9", Less, "6.6.2p10");
        check("6.6.2p1", Greater, "6.6.2_p1");
        check("6.6.2p1", Greater, "6.6.2p");
        check("6.6.2p1-r0", Less, "6.6.2p1-r1");
        assert!(v("6.6.2p1-r3").is_well_formed());
    }

    #[test]
    fn invalid_versions() {
        check("1-r", Equal, "1-r0");
        check("1-ruff", Less, "1");
        check("1-r0-1", Equal, "1-r-2");
        check("1-r1a", Greater, "1-r0");
        check("1-r1a", Less, "1-r1");
        check("1-r1a", Equal, "1-r1-r2");
        check("1-r-2", Greater, "1-ruff");
        check("1-r-2", Less, "1-r0");
        check("1-ruff", Less, "1_x");
        check("1.0_rc1", Less, "1.0");
        check("1--r1", Equal, "1-ruff");
        check("1.2_foo", Less, "1.2");
        check("1.2_foo", Greater, "1.2_rc1");
        check("0..1..0", Less, "0..1..1");
        check("a", Less, "b");
        check(".1", Less, "0");
        check("1.0bc", Greater, "1.0");
        check("1.0~", Less, "1.0");
        check("1.0~xyz", Equal, "1.0~xyz");
        check("1.2.0A", Less, "1.2.0a");
        check("1 ", Less, "1");
        assert!(!v("1-ruff").is_well_formed());
        assert!(!v("a").is_well_formed());
        assert!(v("1.2_alpha1_p2~12ab-r3").is_well_formed());
        assert!(v("1-r").is_well_formed());
    }

    #[test]
    fn rejects_only_empty() {
        let e = match ApkVersion::parse("") {
            Ok(v) => panic!("accepted {v:?}"),
            Err(e) => e,
        };
        assert_eq!(e.position(), 0);
        assert_eq!(e.reason(), "empty version");
    }

    #[test]
    fn display_round_trip() {
        for s in ["1.2.3_rc1-r2", "6.6.2p1", "a b", "1-ruff", "é", "0..1"] {
            let x = v(s);
            assert_eq!(x.to_string(), s);
            assert_eq!(v(&x.to_string()), x);
        }
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long_digits = "9".repeat(100_000);
        let long_mixed = "1a_p".repeat(10_000);
        let inputs = [
            "\u{0}",
            "1\u{0}",
            "-",
            "-r",
            "1-",
            "1-r",
            "1_",
            "1_-r0",
            "1~",
            "1.",
            "1..",
            "é1",
            "1é",
            "1.é",
            "1-ré",
            long_digits.as_str(),
            long_mixed.as_str(),
        ];
        let parsed: Vec<ApkVersion> = inputs.iter().map(|s| v(s)).collect();
        for a in &parsed {
            for b in &parsed {
                assert_eq!(a.cmp(b), b.cmp(a).reverse());
            }
        }
    }
}
