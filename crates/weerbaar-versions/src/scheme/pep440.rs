//! PEP 440 versions, as PyPI and pip order them.
//!
//! **Ecosystems:** PyPI (and anything else that orders Python distributions).
//!
//! # Rules
//!
//! The target is `packaging.version` 21.3, the copy pip vendors (`pip._vendor.packaging`), which
//! implements the PyPA "Version specifiers" specification (originally PEP 440):
//!
//! * **Grammar**: `VERSION_PATTERN` matched case-insensitively and anchored with `^\s*` / `\s*$`:
//!   optional `v`, optional epoch `N!`, release `N(.N)*`, then optional pre-release
//!   (`a|b|c|rc|alpha|beta|pre|preview`), post-release (`post|rev|r`, or the implicit `-N`), dev
//!   release (`dev`), each with optional `.`/`-`/`_` separators and an implicit number 0, and
//!   finally a local label `+seg([-_.]seg)*` with `seg = [a-z0-9]+`.
//! * **Normalisation** (`_parse_letter_version`, `_parse_local_version`, `Version.__str__`):
//!   `alpha→a`, `beta→b`, `c|pre|preview→rc`, `rev|r→post`; numbers lose leading zeros; local
//!   separators become `.`, local letters are lowercased, all-digit local segments become
//!   integers. [`Display`](fmt::Display) prints exactly `str(Version(x))`.
//! * **Order** (`_cmpkey`): epoch; release with trailing zeros ignored (`1.0 == 1.0.0`); pre
//!   (`a < b < rc < none`, except that a dev release with neither pre nor post sorts before every
//!   pre-release: `1.0.dev0 < 1.0a0`); post (`none < .postN`); dev (`.devN < none`); local
//!   (`none < any`; segment by segment, numeric segments compare as integers and are greater
//!   than alphanumeric ones, which compare as strings; a longer label wins a shared prefix).
//!   Numbers are unbounded, as Python integers are.
//! * **Legacy versions**: a string that is not PEP 440 (`trunk`, `0.3m1`, `1.0-final`) is *not*
//!   rejected by [`SchemeVersion::parse`]: like `packaging.version.parse` (what pip 23 and the
//!   OSV PyPI fixtures use) it becomes a `LegacyVersion`, ordered by setuptools' old rules
//!   (`_legacy_cmpkey`) and below every PEP 440 version (its epoch is -1). Its Display is the input
//!   unchanged. [`Pep440Version::parse_strict`] is `packaging.version.Version` itself: it rejects
//!   such strings with a position, and [`Pep440Version::is_legacy`] tells the two apart.
//!
//! # Representation
//!
//! Parsing produces one `Box<[u64]>` *key* whose lexicographic order is exactly `_cmpkey`'s tuple
//! order, so `cmp` is a slice comparison: no allocation, no re-parsing, no branching on parts.
//! Each component is encoded prefix-free, so concatenating them preserves the tuple order:
//!
//! * a number `n < 2^64 - 2` is the word `n + 1` (so the word 0 can end lists); larger numbers
//!   (Python has no limit) are `u64::MAX`, the digit count, then 19-digit chunks: a longer number
//!   is greater, and equal-length numbers compare chunk by chunk;
//! * release: the numbers without trailing zeros, then 0; pre/post/dev/local: a tag word ordered
//!   like packaging's `±Infinity` sentinels, followed by the number;
//! * local text segments and legacy parts: UTF-8 bytes packed eight to a word, big-endian, then a
//!   0 word (no byte is 0, so shorter strings sort first, as in Python);
//! * legacy versions start with the word 0, below any PEP 440 epoch word.
//!
//! The key is built in a stack buffer and boxed once, so a parse costs one allocation. The only
//! thing the key drops, the count of trailing zero release segments, is kept beside it for
//! Display; everything else Display needs is decoded from the key.
//!
//! # Rejected input
//!
//! [`SchemeVersion::parse`] rejects only an empty or all-whitespace string (packaging would make
//! a meaningless `LegacyVersion` of it). [`Pep440Version::parse_strict`] rejects exactly what
//! `Version()` rejects, with the byte offset where the grammar stops matching.
//!
//! # Python quirks reproduced
//!
//! * `\s` is Python's Unicode whitespace (Rust's `char::is_whitespace` plus U+001C..U+001F).
//! * The regex is `re.IGNORECASE` over Unicode, so besides ASCII letters it accepts `ı`/`İ` for
//!   `i`, `ſ` for `s` and `K` (Kelvin) for `k`: `1.0.poſt1`, `1.0prevıew1`, `1.0+K` are versions.
//!   packaging keeps the lowercased spelling in its key (`poſt` sorts after `post`, `prevıew`
//!   between `b` and `rc`); so does this module. Two deliberate Display differences keep
//!   `parse(v.to_string()) == v`: packaging prints `poſt` as `.post` (a different version) and
//!   lowercases `İ` to `i̇` (an unparsable string); here they print as `.poſt` and `İ`.
//! * Legacy versions lowercase with Unicode rules and split on Unicode decimal digits (`\d`), with
//!   the digit table of Python 3.11 (Unicode 14); Rust's lowercasing may know newer characters.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed PEP 440 version (or a pre-PEP 440 "legacy" version; see the module docs).
#[derive(Clone)]
pub struct Pep440Version {
    /// Compare key; see the module docs for the encoding.
    key: Box<[u64]>,
    form: Form,
}

#[derive(Clone)]
enum Form {
    /// Trailing zero release segments, which the key leaves out but `str()` prints.
    Pep440 { release_zeros: usize },
    /// `LegacyVersion.__str__` is the input as given.
    Legacy(Box<str>),
}

/// First key word of a number too large for one word.
const BIG: u64 = u64::MAX;
/// The largest number stored as `n + 1` in one word (keeps `n + 1 < BIG`).
const SMALL_MAX: u64 = u64::MAX - 2;
/// Decimal digits per chunk of a big number (10^19 - 1 fits in a u64).
const CHUNK_DIGITS: usize = 19;
/// Ends a release list, a local label, a packed string; also tags a legacy key.
const END: u64 = 0;

// Tag words, numbered in the order of packaging's `_cmpkey` values.
const PRE_DEV_ONLY: u64 = 0; // NegativeInfinity: dev release without pre or post
const PRE_A: u64 = 1;
const PRE_B: u64 = 2;
const PRE_PREVI_DOT: u64 = 3; // "previ\u{307}ew", from `prevİew`
const PRE_PREV_DOTLESS: u64 = 4; // "prevıew"
const PRE_RC: u64 = 5;
const PRE_NONE: u64 = 6; // Infinity
const POST_NONE: u64 = 0;
const POST_POST: u64 = 1;
const POST_LONG_S: u64 = 2; // "poſt" sorts after "post"
const DEV_SOME: u64 = 0;
const DEV_NONE: u64 = 1;
const LOCAL_NONE: u64 = 0;
const LOCAL_SOME: u64 = 1;
const SEG_ALPHA: u64 = 1; // (NegativeInfinity, str) sorts before (int, "")
const SEG_NUM: u64 = 2;

/// The word for the number 0.
const ZERO: u64 = 1;

impl SchemeVersion for Pep440Version {
    const SCHEME: Scheme = Scheme::Pep440;

    /// `packaging.version.parse`: a PEP 440 version, or else a legacy version.
    fn parse(input: &str) -> Result<Self, ParseError> {
        let (start, end) = trim_py_space(input);
        if start >= end {
            return Err(ParseError::new(
                Scheme::Pep440,
                input,
                start,
                "empty version",
            ));
        }
        match parse_pep440(input, start, end) {
            Ok(v) => Ok(v),
            Err(_) => Ok(Self {
                key: legacy_key(input),
                form: Form::Legacy(input.into()),
            }),
        }
    }
}

impl Pep440Version {
    /// Parses a PEP 440 version only, like `packaging.version.Version`.
    ///
    /// # Errors
    /// A [`ParseError`] at the byte where the PEP 440 grammar stops matching, for every string
    /// that `Version()` rejects with `InvalidVersion` (and which [`SchemeVersion::parse`] would
    /// accept as a legacy version).
    pub fn parse_strict(input: &str) -> Result<Self, ParseError> {
        let (start, end) = trim_py_space(input);
        if start >= end {
            return Err(ParseError::new(
                Scheme::Pep440,
                input,
                start,
                "empty version",
            ));
        }
        parse_pep440(input, start, end)
    }

    /// Whether this is a pre-PEP 440 `LegacyVersion` (it sorts below every PEP 440 version).
    #[must_use]
    pub fn is_legacy(&self) -> bool {
        matches!(self.form, Form::Legacy(_))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Pep440Version {}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl Hash for Pep440Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The key, like `_BaseVersion.__hash__`, so equal versions hash alike.
        self.key.hash(state);
    }
}

impl fmt::Debug for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.is_legacy() {
            "Pep440Version::Legacy"
        } else {
            "Pep440Version"
        };
        f.debug_tuple(name).field(&self.to_string()).finish()
    }
}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.form {
            Form::Legacy(original) => f.write_str(original),
            Form::Pep440 { release_zeros } => write_canonical(f, &self.key, *release_zeros),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key building
// ---------------------------------------------------------------------------------------------

const INLINE_WORDS: usize = 32;

/// Collects key words on the stack and boxes them once; spills to a `Vec` for long versions.
struct KeyBuf {
    inline: [u64; INLINE_WORDS],
    len: usize,
    spill: Vec<u64>,
}

impl KeyBuf {
    fn new() -> Self {
        Self {
            inline: [0; INLINE_WORDS],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, word: u64) {
        if self.spill.is_empty() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = word;
                self.len += 1;
                return;
            }
            self.spill.reserve(INLINE_WORDS * 2);
            self.spill.extend_from_slice(&self.inline);
        }
        self.spill.push(word);
    }

    fn finish(self) -> Box<[u64]> {
        if self.spill.is_empty() {
            Box::from(self.inline.get(..self.len).unwrap_or_default())
        } else {
            self.spill.into_boxed_slice()
        }
    }
}

/// Packs bytes (none of them 0) eight to a word, big-endian, then ends with a 0 word.
struct Packer {
    word: u64,
    bytes: u32,
}

impl Packer {
    fn new() -> Self {
        Self { word: 0, bytes: 0 }
    }

    fn byte(&mut self, buf: &mut KeyBuf, b: u8) {
        self.word = (self.word << 8) | u64::from(b);
        self.bytes += 1;
        if self.bytes == 8 {
            buf.push(self.word);
            self.word = 0;
            self.bytes = 0;
        }
    }

    fn finish(self, buf: &mut KeyBuf) {
        if self.bytes > 0 {
            buf.push(self.word << (8 * (8 - self.bytes)));
        }
        buf.push(END);
    }
}

fn parse_u64(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &b| {
        let d = char::from(b).to_digit(10)?;
        acc.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// Pushes the ASCII digit string `digits` as an unbounded number (see the module docs).
fn push_num(buf: &mut KeyBuf, digits: &[u8]) {
    let first_nonzero = digits
        .iter()
        .position(|&b| b != b'0')
        .unwrap_or(digits.len());
    let significant = digits.get(first_nonzero..).unwrap_or_default();
    if significant.len() <= 20
        && let Some(n) = parse_u64(significant).filter(|&n| n <= SMALL_MAX)
    {
        buf.push(n + 1);
        return;
    }
    buf.push(BIG);
    buf.push(significant.len() as u64);
    for chunk in significant.chunks(CHUNK_DIGITS) {
        buf.push(parse_u64(chunk).unwrap_or(0));
    }
}

// ---------------------------------------------------------------------------------------------
// PEP 440 parsing
// ---------------------------------------------------------------------------------------------

/// Python's `\s` for `str` patterns.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Byte range of `input` without surrounding Python whitespace.
fn trim_py_space(input: &str) -> (usize, usize) {
    let start = input.len() - input.trim_start_matches(is_py_space).len();
    let end = input.trim_end_matches(is_py_space).len();
    (start, end.max(start))
}

/// A non-ASCII letter that Python's Unicode `IGNORECASE` matches against an ASCII letter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// U+0130 `İ`, matches `i`; lowercases to `i` + U+0307.
    DottedCapitalI,
    /// U+0131 `ı`, matches `i`.
    DotlessI,
    /// U+017F `ſ`, matches `s`.
    LongS,
}

/// What the parser has consumed so far, for error messages.
#[derive(Clone, Copy)]
enum Stage {
    Release,
    Pre,
    Post,
    Dev,
    Local,
}

impl Stage {
    fn after(self) -> &'static str {
        match self {
            Stage::Release => {
                "after the release segment (expected a pre-release such as 'a1', 'b1', 'rc1', \
                 a post-release such as '.post1', a dev release such as '.dev1', '+local' or the end)"
            }
            Stage::Pre => "after the pre-release (expected '.postN', '.devN', '+local' or the end)",
            Stage::Post => "after the post-release (expected '.devN', '+local' or the end)",
            Stage::Dev => "after the dev release (expected '+local' or the end)",
            Stage::Local => "in the local version label",
        }
    }
}

struct Cursor<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    fn at(&self, pos: usize) -> Option<u8> {
        if pos < self.end {
            self.bytes.get(pos).copied()
        } else {
            None
        }
    }

    fn peek(&self) -> Option<u8> {
        self.at(self.pos)
    }

    fn is_sep(b: Option<u8>) -> bool {
        matches!(b, Some(b'-' | b'_' | b'.'))
    }

    fn eat_sep(&mut self) {
        if Self::is_sep(self.peek()) {
            self.pos += 1;
        }
    }

    /// Consumes a run of ASCII digits (possibly empty) and returns it.
    fn digits(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    /// Matches `word` (lowercase ASCII) case-insensitively at the cursor, the way Python's
    /// Unicode `IGNORECASE` does; returns the end and the non-ASCII letter used, if any.
    fn keyword(&self, word: &[u8]) -> Option<(usize, Option<Fold>)> {
        let mut pos = self.pos;
        let mut fold = None;
        for &want in word {
            let b = self.at(pos)?;
            if b.to_ascii_lowercase() == want {
                pos += 1;
                continue;
            }
            let next = self.at(pos + 1);
            fold = match (want, b, next) {
                (b'i', 0xC4, Some(0xB0)) => Some(Fold::DottedCapitalI),
                (b'i', 0xC4, Some(0xB1)) => Some(Fold::DotlessI),
                (b's', 0xC5, Some(0xBF)) => Some(Fold::LongS),
                _ => return None,
            };
            pos += 2;
        }
        Some((pos, fold))
    }

    /// Length in bytes of a local-label character at `pos` (`[a-z0-9]` under Unicode
    /// `IGNORECASE`, which adds `İ ı ſ K`), or 0.
    fn local_char_len(&self, pos: usize) -> usize {
        match (self.at(pos), self.at(pos + 1), self.at(pos + 2)) {
            (Some(b), _, _) if b.is_ascii_alphanumeric() => 1,
            (Some(0xC4), Some(0xB0 | 0xB1), _) | (Some(0xC5), Some(0xBF), _) => 2,
            (Some(0xE2), Some(0x84), Some(0xAA)) => 3,
            _ => 0,
        }
    }

    fn error(&self, pos: usize, reason: impl Into<std::borrow::Cow<'static, str>>) -> ParseError {
        ParseError::new(Scheme::Pep440, self.input, pos, reason)
    }

    fn unexpected(&self, stage: Stage) -> ParseError {
        let found = self
            .input
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
            .map_or_else(|| "end".to_owned(), |c| format!("{c:?}"));
        self.error(self.pos, format!("unexpected {found} {}", stage.after()))
    }
}

/// `Version(input)`: the body `input[start..end]` has its surrounding whitespace removed.
fn parse_pep440(input: &str, start: usize, end: usize) -> Result<Pep440Version, ParseError> {
    let mut c = Cursor {
        input,
        bytes: input.as_bytes(),
        pos: start,
        end,
    };
    let mut buf = KeyBuf::new();

    if matches!(c.peek(), Some(b'v' | b'V')) {
        c.pos += 1;
    }

    // Epoch, or the first release number.
    let first = c.digits();
    if first.is_empty() {
        return Err(c.error(c.pos, "expected a release number such as '1.0'"));
    }
    let mut segment = first;
    if c.peek() == Some(b'!') {
        push_num(&mut buf, first);
        c.pos += 1;
        segment = c.digits();
        if segment.is_empty() {
            return Err(c.error(c.pos, "expected a release number after the epoch '!'"));
        }
    } else {
        buf.push(ZERO);
    }

    // Release. Zero segments are held back so that trailing ones stay out of the key.
    let mut release_zeros = 0usize;
    loop {
        if segment.iter().all(|&b| b == b'0') {
            release_zeros += 1;
        } else {
            for _ in 0..release_zeros {
                buf.push(ZERO);
            }
            release_zeros = 0;
            push_num(&mut buf, segment);
        }
        if c.peek() == Some(b'.') && c.at(c.pos + 1).is_some_and(|b| b.is_ascii_digit()) {
            c.pos += 1;
            segment = c.digits();
        } else {
            break;
        }
    }
    buf.push(END);
    let mut stage = Stage::Release;

    // Pre-release. Trying the longer spelling first is what the backtracking regex ends up
    // doing: after a shorter one ("a" of "alpha"), the rest ("lpha") can never match.
    let mut pre: Option<(u64, &[u8])> = None;
    {
        let save = c.pos;
        c.eat_sep();
        const PRE: [(&[u8], u64); 8] = [
            (b"preview", PRE_RC),
            (b"pre", PRE_RC),
            (b"alpha", PRE_A),
            (b"a", PRE_A),
            (b"beta", PRE_B),
            (b"b", PRE_B),
            (b"rc", PRE_RC),
            (b"c", PRE_RC),
        ];
        let found = PRE.iter().find_map(|&(word, tag)| {
            c.keyword(word).map(|(to, fold)| {
                // Python lowercases the matched spelling and only maps exact ASCII words, so a
                // folded "preview" keeps its own spelling, which sorts between "b" and "rc".
                let tag = match fold {
                    Some(Fold::DottedCapitalI) => PRE_PREVI_DOT,
                    Some(Fold::DotlessI) => PRE_PREV_DOTLESS,
                    _ => tag,
                };
                (to, tag)
            })
        });
        if let Some((to, tag)) = found {
            c.pos = to;
            c.eat_sep();
            pre = Some((tag, c.digits()));
            stage = Stage::Pre;
        } else {
            c.pos = save;
        }
    }

    // Post-release: the implicit `-N` first, as the regex alternation does.
    let mut post: Option<(u64, &[u8])> = None;
    if c.peek() == Some(b'-') && c.at(c.pos + 1).is_some_and(|b| b.is_ascii_digit()) {
        c.pos += 1;
        post = Some((POST_POST, c.digits()));
        stage = Stage::Post;
    } else {
        let save = c.pos;
        c.eat_sep();
        let found = [&b"post"[..], b"rev", b"r"]
            .iter()
            .find_map(|word| c.keyword(word));
        if let Some((to, fold)) = found {
            c.pos = to;
            c.eat_sep();
            let tag = if fold == Some(Fold::LongS) {
                POST_LONG_S
            } else {
                POST_POST
            };
            post = Some((tag, c.digits()));
            stage = Stage::Post;
        } else {
            c.pos = save;
        }
    }

    // Dev release.
    let mut dev: Option<&[u8]> = None;
    {
        let save = c.pos;
        c.eat_sep();
        if let Some((to, _)) = c.keyword(b"dev") {
            c.pos = to;
            c.eat_sep();
            dev = Some(c.digits());
            stage = Stage::Dev;
        } else {
            c.pos = save;
        }
    }

    match (pre, post, dev) {
        (None, None, Some(_)) => buf.push(PRE_DEV_ONLY),
        (None, _, _) => buf.push(PRE_NONE),
        (Some((tag, n)), _, _) => {
            buf.push(tag);
            push_num(&mut buf, n);
        }
    }
    match post {
        None => buf.push(POST_NONE),
        Some((tag, n)) => {
            buf.push(tag);
            push_num(&mut buf, n);
        }
    }
    match dev {
        None => buf.push(DEV_NONE),
        Some(n) => {
            buf.push(DEV_SOME);
            push_num(&mut buf, n);
        }
    }

    // Local label.
    if c.peek() == Some(b'+') {
        c.pos += 1;
        buf.push(LOCAL_SOME);
        loop {
            let seg_start = c.pos;
            while c.local_char_len(c.pos) > 0 {
                c.pos += c.local_char_len(c.pos);
            }
            let seg = c.bytes.get(seg_start..c.pos).unwrap_or_default();
            if seg.is_empty() {
                let reason = if seg_start > 0 && c.bytes.get(seg_start - 1) == Some(&b'+') {
                    "expected a local version label (letters and digits) after '+'"
                } else {
                    "expected letters or digits after a separator in the local version label"
                };
                return Err(c.error(c.pos, reason));
            }
            push_local_segment(&mut buf, seg);
            if Cursor::is_sep(c.peek()) {
                c.pos += 1;
            } else {
                break;
            }
        }
        buf.push(END);
        stage = Stage::Local;
    } else {
        buf.push(LOCAL_NONE);
    }

    if c.pos < c.end {
        return Err(c.unexpected(stage));
    }
    Ok(Pep440Version {
        key: buf.finish(),
        form: Form::Pep440 { release_zeros },
    })
}

/// One local segment: an integer if all digits (`str.isdigit`), else the lowercased text.
fn push_local_segment(buf: &mut KeyBuf, seg: &[u8]) {
    if seg.iter().all(u8::is_ascii_digit) {
        buf.push(SEG_NUM);
        push_num(buf, seg);
        return;
    }
    buf.push(SEG_ALPHA);
    let mut packer = Packer::new();
    let mut i = 0;
    while let Some(&b) = seg.get(i) {
        match (b, seg.get(i + 1)) {
            // `'İ'.lower()` is "i" + U+0307 COMBINING DOT ABOVE.
            (0xC4, Some(0xB0)) => {
                for byte in [b'i', 0xCC, 0x87] {
                    packer.byte(buf, byte);
                }
                i += 2;
            }
            // `'K'.lower()` (Kelvin sign) is "k".
            (0xE2, _) => {
                packer.byte(buf, b'k');
                i += 3;
            }
            _ => {
                packer.byte(buf, b.to_ascii_lowercase());
                i += 1;
            }
        }
    }
    packer.finish(buf);
}

// ---------------------------------------------------------------------------------------------
// Display: decoding the key
// ---------------------------------------------------------------------------------------------

struct Words<'a> {
    words: &'a [u64],
    pos: usize,
}

impl Words<'_> {
    fn peek(&self) -> u64 {
        self.words.get(self.pos).copied().unwrap_or(END)
    }

    fn next(&mut self) -> u64 {
        let w = self.peek();
        self.pos += 1;
        w
    }

    fn write_num(&mut self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = self.next();
        if first != BIG {
            return write!(f, "{}", first.saturating_sub(1));
        }
        let mut remaining = usize::try_from(self.next()).unwrap_or(0);
        while remaining > 0 {
            let width = remaining.min(CHUNK_DIGITS);
            write!(f, "{:0width$}", self.next())?;
            remaining -= width;
        }
        Ok(())
    }

    /// Bytes of a packed string, up to and including its 0 word.
    fn packed_bytes(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let w = self.next();
            if w == END {
                return out;
            }
            out.extend(w.to_be_bytes().into_iter().filter(|&b| b != 0));
        }
    }
}

fn write_canonical(f: &mut fmt::Formatter<'_>, key: &[u64], release_zeros: usize) -> fmt::Result {
    let mut w = Words { words: key, pos: 0 };

    if w.peek() == ZERO {
        w.next();
    } else {
        w.write_num(f)?;
        f.write_str("!")?;
    }

    let mut segments = 0usize;
    while w.peek() != END {
        if segments > 0 {
            f.write_str(".")?;
        }
        w.write_num(f)?;
        segments += 1;
    }
    w.next();
    for i in 0..release_zeros {
        f.write_str(if segments == 0 && i == 0 { "0" } else { ".0" })?;
    }

    let pre = match w.next() {
        PRE_A => "a",
        PRE_B => "b",
        PRE_PREVI_DOT => "prevİew",
        PRE_PREV_DOTLESS => "prevıew",
        PRE_RC => "rc",
        _ => "",
    };
    if !pre.is_empty() {
        f.write_str(pre)?;
        w.write_num(f)?;
    }

    match w.next() {
        POST_POST => {
            f.write_str(".post")?;
            w.write_num(f)?;
        }
        POST_LONG_S => {
            f.write_str(".poſt")?;
            w.write_num(f)?;
        }
        _ => {}
    }

    if w.next() == DEV_SOME {
        f.write_str(".dev")?;
        w.write_num(f)?;
    }

    if w.next() == LOCAL_SOME {
        f.write_str("+")?;
        let mut first = true;
        loop {
            let tag = w.next();
            if tag == END {
                break;
            }
            if !first {
                f.write_str(".")?;
            }
            first = false;
            if tag == SEG_NUM {
                w.write_num(f)?;
            } else {
                let bytes = w.packed_bytes();
                let text = String::from_utf8_lossy(&bytes);
                // Print `İ` rather than its lowercase "i̇", which the grammar does not accept.
                f.write_str(&text.replace("i\u{307}", "İ"))?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Legacy versions: packaging 21.3 `LegacyVersion`, `_parse_version_parts`, `_legacy_cmpkey`
// ---------------------------------------------------------------------------------------------

/// Separator between legacy parts in the packed key; below every (escaped) byte of a part, so
/// the joined string orders like the tuple of parts.
const LEGACY_SEP: u8 = 1;
/// Escape for bytes 0..=2 inside a part, keeping every packed byte non-zero and order intact.
const LEGACY_ESC: u8 = 2;

/// The inclusive ranges of Python 3.11's `\d` (Unicode 14 category Nd).
const PY_DECIMAL: [(u32, u32); 62] = [
    (0x30, 0x39),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
];

fn is_py_decimal(c: char) -> bool {
    let c = u32::from(c);
    PY_DECIMAL.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// The token classes of `re.split(r"(\d+|[a-z]+|\.|-)", s)`; `Other` runs are the text between
/// matches, which `split` returns too.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LegacyClass {
    Digit,
    Letter,
    Single,
    Other,
}

fn legacy_class(c: char) -> LegacyClass {
    if c.is_ascii_lowercase() {
        LegacyClass::Letter
    } else if c == '.' || c == '-' {
        LegacyClass::Single
    } else if is_py_decimal(c) {
        LegacyClass::Digit
    } else {
        LegacyClass::Other
    }
}

/// `_parse_version_parts(s)` without the final "*final" (the caller adds it).
fn legacy_parts(lowered: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = lowered;
    while let Some(c) = rest.chars().next() {
        let class = legacy_class(c);
        let len = if class == LegacyClass::Single {
            c.len_utf8()
        } else {
            rest.find(|d: char| legacy_class(d) != class)
                .unwrap_or(rest.len())
        };
        let (token, tail) = rest.split_at(len);
        rest = tail;
        let token = match token {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            t => t,
        };
        if token.is_empty() || token == "." {
            continue;
        }
        if token.starts_with(|d: char| d.is_ascii_digit()) {
            // `zfill(8)`: pad to eight characters for a numeric-looking string order.
            let pad = 8usize.saturating_sub(token.chars().count());
            parts.push(format!("{}{token}", "0".repeat(pad)));
        } else {
            parts.push(format!("*{token}"));
        }
    }
    parts
}

/// `_legacy_cmpkey(version)`, encoded as a key that sorts below every PEP 440 key.
fn legacy_key(input: &str) -> Box<[u64]> {
    let lowered = input.to_lowercase();
    let mut parts: Vec<String> = Vec::new();
    for part in legacy_parts(&lowered)
        .into_iter()
        .chain(std::iter::once("*final".to_owned()))
    {
        if part.starts_with('*') {
            // Drop "-" before a pre-release tag, and trailing zeros of each numeric series.
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }

    let mut buf = KeyBuf::new();
    buf.push(END);
    let mut packer = Packer::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            packer.byte(&mut buf, LEGACY_SEP);
        }
        for b in part.bytes() {
            if b <= LEGACY_ESC {
                packer.byte(&mut buf, LEGACY_ESC);
                packer.byte(&mut buf, b + 1);
            } else {
                packer.byte(&mut buf, b);
            }
        }
    }
    packer.finish(&mut buf);
    buf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        match Pep440Version::parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn strict(s: &str) -> Pep440Version {
        match Pep440Version::parse_strict(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should be PEP 440: {e}"),
        }
    }

    fn err(s: &str) -> ParseError {
        match Pep440Version::parse_strict(s) {
            Ok(v) => panic!("{s:?} should be rejected, got {v}"),
            Err(e) => e,
        }
    }

    #[track_caller]
    fn assert_order(list: &[&str]) {
        for (i, a) in list.iter().enumerate() {
            for (j, b) in list.iter().enumerate() {
                assert_eq!(strict(a).cmp(&strict(b)), i.cmp(&j), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn spec_order() {
        // The ordering example of the PyPA specification, plus epochs and locals.
        assert_order(&[
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1",
        ]);
    }

    #[test]
    fn equal_spellings() {
        for (a, b) in [
            ("1.0", "1.0.0.0"),
            ("1.0a", "1.0a0"),
            ("1.0-alpha.1", "1.0a1"),
            ("1.0BETA_2", "1.0b2"),
            ("1.0c1", "1.0rc1"),
            ("1.0pre1", "1.0rc1"),
            ("1.0preview1", "1.0rc1"),
            ("1.0-1", "1.0.post1"),
            ("1.0.rev1", "1.0.post1"),
            ("1.0r", "1.0.post0"),
            ("1.0-dev", "1.0.dev0"),
            ("v1.0", "1.0"),
            ("0!1.0", "1.0"),
            ("01.002", "1.2"),
            ("1.0+ABC-01_x", "1.0+abc.1.x"),
            ("  1.0\t\n", "1.0"),
            ("\u{2003}1.0\u{1c}", "1.0"),
            ("00000000000000000000000000001", "1"),
        ] {
            assert_eq!(v(a), v(b), "{a} == {b}");
            assert_eq!(v(a).cmp(&v(b)), Ordering::Equal);
        }
    }

    #[test]
    fn canonical_display() {
        for (input, canonical) in [
            ("1.0", "1.0"),
            ("1.0.0", "1.0.0"),
            ("0.0", "0.0"),
            ("v01.02.00", "1.2.0"),
            ("1!1.0-ALPHA-3", "1!1.0a3"),
            ("0!1.0", "1.0"),
            ("1.0preview", "1.0rc0"),
            ("1.0a.", "1.0a0"),
            ("1.0-7", "1.0.post7"),
            ("1.0_r.dev", "1.0.post0.dev0"),
            ("1.0.post-dev", "1.0.post0.dev0"),
            ("1.0a-.post1", "1.0a0.post1"),
            ("1.0a.+x", "1.0a0+x"),
            ("1.0+Ubuntu-01_007.A", "1.0+ubuntu.1.7.a"),
            ("1.0+0a", "1.0+0a"),
            (
                "99999999999999999999999999!1.18446744073709551616.0",
                "99999999999999999999999999!1.18446744073709551616.0",
            ),
            ("1.0+0018446744073709551615", "1.0+18446744073709551615"),
        ] {
            let parsed = strict(input);
            assert_eq!(parsed.to_string(), canonical, "{input}");
            assert_eq!(v(canonical), parsed);
            assert_eq!(v(canonical).to_string(), canonical);
        }
    }

    #[test]
    fn big_numbers() {
        assert_order(&[
            "18446744073709551613",
            "18446744073709551614",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "100000000000000000000",
            "1234567890123456789012345678901234567890",
            "1234567890123456789012345678901234567891",
            "1234567890123456789112345678901234567890",
        ]);
        assert_order(&[
            "1.0+99999999999999999999999",
            "1.0+100000000000000000000000",
        ]);
        assert_order(&[
            "1.0.post18446744073709551616",
            "1.0.post18446744073709551617",
        ]);
        let big = "1234567890123456789012345678901234567890123";
        assert_eq!(strict(big).to_string(), big);
        let zeros_inside = "1000000000000000000000000000000000000000000000001";
        assert_eq!(strict(zeros_inside).to_string(), zeros_inside);
    }

    #[test]
    fn dev_post_local_subtleties() {
        assert_order(&[
            "1.0.dev0",
            "1.0a0.dev0",
            "1.0a0",
            "1.0a0.post0.dev0",
            "1.0a0.post0",
        ]);
        assert_order(&["1.0", "1.0.post0.dev0", "1.0.post0", "1.0.post1.dev0"]);
        // Local: none < alphanumeric < numeric; numbers numerically; longer wins a prefix.
        assert_order(&[
            "1.0", "1.0+a", "1.0+a.a", "1.0+a.0", "1.0+b", "1.0+z9", "1.0+0", "1.0+1", "1.0+1.a",
            "1.0+2", "1.0+10",
        ]);
        assert_order(&[
            "1.0+abcdefgh",
            "1.0+abcdefgh.x",
            "1.0+abcdefgh0",
            "1.0+abcdefgha",
        ]);
        assert!(v("1.0+1") < v("1.0.post0"));
        assert!(v("1.0.dev1+x") < v("1.0a0"));
    }

    #[test]
    fn unicode_case_folding_like_python() {
        // Python's re.IGNORECASE accepts these; packaging then keeps the odd spelling.
        assert_order(&["1.0b9", "1.0prevİew0", "1.0prevıew0", "1.0rc0"]);
        assert_order(&["1.0.post9", "1.0.poſt0"]);
        assert_eq!(v("1.0+K"), v("1.0+k"));
        assert!(v("1.0+ſ") > v("1.0+z"));
        for s in ["1.0prevıew1", "1.0PREVİEW1", "1.0.poſt1", "1.0+İ.ı.ſ.K"] {
            let parsed = strict(s);
            assert_eq!(v(&parsed.to_string()), parsed, "{s} round trip");
        }
        assert_eq!(strict("1.0+İ.ı.ſ.K").to_string(), "1.0+İ.ı.ſ.k");
        assert_eq!(strict("1.0PREVİEW1").to_string(), "1.0prevİew1");
    }

    #[test]
    fn errors_have_positions() {
        let cases: [(&str, usize, &str); 11] = [
            ("", 0, "empty"),
            ("   ", 3, "empty"),
            ("abc", 0, "release number"),
            ("1!", 2, "after the epoch"),
            ("1.0-", 3, "after the release"),
            ("1.0foo", 3, "after the release"),
            ("1.0a1x", 5, "after the pre-release"),
            ("1.0.dev1.post1", 8, "after the dev"),
            ("1.0+", 4, "after '+'"),
            ("1.0+abc.", 8, "after a separator"),
            ("1!v1.0", 2, "after the epoch"),
        ];
        for (input, pos, reason) in cases {
            let e = err(input);
            assert_eq!(e.position(), pos, "{input}: {e}");
            assert!(e.reason().contains(reason), "{input}: {e}");
        }
        assert!(err("1.0 a").reason().contains("' '"));
        assert_eq!(err("1.0é").position(), 3);
        assert!(Pep440Version::parse("").is_err());
        assert!(Pep440Version::parse(" \u{3000}\n").is_err());
    }

    #[test]
    fn legacy_versions() {
        for s in [
            "trunk",
            "0.3m1",
            "1.0-final",
            "1.0beta6.1",
            "-class.-jw.util.version.Version-",
        ] {
            assert!(v(s).is_legacy(), "{s}");
            assert!(Pep440Version::parse_strict(s).is_err());
            assert_eq!(v(s).to_string(), s);
            assert!(v(s) < v("0.0.dev0"), "{s}");
            assert!(v(s) < v("0!0"), "{s}");
        }
        assert!(v("0.3m1") < v("0.3m2"));
        assert!(v("0.3m5") < v("0.4m1"));
        assert!(v("4.11-final") < v("5.0-final"));
        assert!(v("0.7.11p2") < v("0.7.11p3"));
        // `_legacy_cmpkey` drops "-" before a pre-release tag and trailing zero runs.
        assert_eq!(v("1.0-final"), v("1-final"));
        assert_eq!(v("1.0.0x"), v("1x"));
        assert_eq!(v("TRUNK"), v("trunk"));
        assert!(v("1.0x") < v("1.0y"));
        // Tuples of parts, each ending in "*final": ("*a", "*!", "*final") > ("*a", "*!", "*b", …).
        assert!(v("a!") > v("a!b"));
        assert!(v("a!b") < v("ab!"));
        assert!(v("x") > v("x\u{0}"));
        // NUL and the escaped bytes keep their order.
        assert!(v("x\u{0}") < v("x\u{1}"));
        assert!(v("x\u{1}") < v("x\u{2}"));
        assert!(v("x\u{2}") < v("x\u{3}"));
    }

    #[test]
    fn nasty_inputs_do_not_panic() {
        let long_digits = "9".repeat(10_000);
        let long_release = format!("1{}", ".0".repeat(5_000));
        let long_local = format!("1+{}", "a.".repeat(5_000) + "b");
        for s in [
            "\u{0}",
            "1.0\u{0}",
            "é",
            "1.0+é",
            "1.0+\u{c4}",
            "😀",
            "1.0a😀",
            "ı",
            "1.0pr",
            "1.0prevı",
            "1.0+\u{212a}\u{212a}",
            "v",
            "!",
            "+",
            "1!",
            "1.",
            ".1",
            "1..0",
            "1.0a-1-2",
            "-",
            "99999999999999999999999999",
            long_digits.as_str(),
            long_release.as_str(),
            long_local.as_str(),
        ] {
            if let Ok(parsed) = Pep440Version::parse(s) {
                let shown = parsed.to_string();
                assert_eq!(v(&shown), parsed, "{s:?} round trip via {shown:?}");
                assert_eq!(v(&shown).to_string(), shown);
                let _ = format!("{parsed:?}");
            }
            let _ = Pep440Version::parse_strict(s);
        }
        assert_eq!(v(&long_release), v("1"));
        assert_eq!(v(&long_release).to_string(), long_release);
    }
}
