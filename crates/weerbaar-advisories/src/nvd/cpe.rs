//! CPE 2.3 names in the formatted string binding (NISTIR 7695 §6.2) and the attribute
//! comparison of CPE name matching (NISTIR 7696 §6).
//!
//! # Syntax accepted
//!
//! `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`
//! — always all 13 components (the prefix is lower case and `part` is `a`, `o` or `h`). Each of
//! the ten attributes is `*` (ANY), `-` (NA) or a value in which:
//!
//! * letters, digits, `_`, `.` and `-` stand for themselves;
//! * every other printable ASCII character is quoted with a backslash (`\:`, `\*`, `\+`, `\(`);
//!   quoting a letter or digit is an error, as 7695 forbids it;
//! * an unquoted `*` may only be the first or last character, and unquoted `?` only in a run at
//!   the start or the end (7695's `spec_chrs`): they are wildcards;
//! * spaces, control characters and non-ASCII characters are errors (the binding is printable
//!   ASCII).
//!
//! The `language` attribute is checked as any other value, not as an RFC 5646 tag; NVD uses only
//! `*` there.
//!
//! # Representation
//!
//! A [`Cpe`] keeps its text exactly as given (so `Display` round-trips byte for byte) and the
//! byte ranges of its attributes, in one allocation: NVD files hold millions of criteria.
//! Attribute values are handed out in their quoted form ([`AttrValue::Value`]);
//! [`AttrValue::unquoted`] removes the backslashes.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `part` component: what kind of thing a name describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Part {
    /// `a`: an application.
    Application,
    /// `o`: an operating system (also firmware, which NVD files as `o`).
    OperatingSystem,
    /// `h`: a hardware device.
    Hardware,
}

impl Part {
    /// The letter used in the name.
    #[must_use]
    pub const fn letter(self) -> char {
        match self {
            Part::Application => 'a',
            Part::OperatingSystem => 'o',
            Part::Hardware => 'h',
        }
    }
}

/// The ten attributes that follow `part`, in their order in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    Vendor,
    Product,
    Version,
    Update,
    Edition,
    Language,
    SwEdition,
    TargetSw,
    TargetHw,
    Other,
}

impl Attribute {
    /// All attributes, in name order.
    pub const ALL: [Attribute; 10] = [
        Attribute::Vendor,
        Attribute::Product,
        Attribute::Version,
        Attribute::Update,
        Attribute::Edition,
        Attribute::Language,
        Attribute::SwEdition,
        Attribute::TargetSw,
        Attribute::TargetHw,
        Attribute::Other,
    ];

    /// The attribute's name in NISTIR 7695.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Attribute::Vendor => "vendor",
            Attribute::Product => "product",
            Attribute::Version => "version",
            Attribute::Update => "update",
            Attribute::Edition => "edition",
            Attribute::Language => "language",
            Attribute::SwEdition => "sw_edition",
            Attribute::TargetSw => "target_sw",
            Attribute::TargetHw => "target_hw",
            Attribute::Other => "other",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// The value of one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrValue<'a> {
    /// `*`: any value (in a criterion), or unknown (in a product's name).
    Any,
    /// `-`: not applicable.
    Na,
    /// A value as written in the name: quoted characters keep their backslash, and unquoted
    /// `*`/`?` at its ends are wildcards.
    Value(&'a str),
}

impl<'a> AttrValue<'a> {
    /// The value with its backslashes removed (`7.0\:beta` → `7.0:beta`); `None` for ANY and NA.
    /// Wildcards are kept as plain `*` and `?`; use [`has_wildcard`](Self::has_wildcard) to
    /// tell them apart from quoted ones first.
    #[must_use]
    pub fn unquoted(self) -> Option<Cow<'a, str>> {
        match self {
            AttrValue::Value(v) if v.contains('\\') => {
                Some(Cow::Owned(literals(v).map(char::from).collect()))
            }
            AttrValue::Value(v) => Some(Cow::Borrowed(v)),
            AttrValue::Any | AttrValue::Na => None,
        }
    }

    /// Whether the value starts or ends with an unquoted `*` or `?`.
    #[must_use]
    pub fn has_wildcard(self) -> bool {
        match self {
            AttrValue::Value(v) => Pattern::of(v).is_wild(),
            AttrValue::Any | AttrValue::Na => false,
        }
    }
}

/// A parsed CPE 2.3 formatted string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cpe {
    text: Box<str>,
    part: Part,
    /// Byte ranges of the ten attributes in `text`; `u16` because names are capped at 64 KiB.
    spans: [(u16, u16); 10],
}

/// Why a string is not a CPE 2.3 formatted string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CPE 2.3 name: {reason} (at byte {position})")]
pub struct CpeError {
    /// Byte offset of the problem in the input.
    pub position: usize,
    /// What is wrong.
    pub reason: String,
}

const PREFIX: &str = "cpe:2.3:";

/// The longest name accepted; NVD's longest are a few hundred bytes.
const MAX_LEN: usize = u16::MAX as usize;

fn fail<T>(position: usize, reason: impl Into<String>) -> Result<T, CpeError> {
    Err(CpeError {
        position,
        reason: reason.into(),
    })
}

impl Cpe {
    /// Parses a formatted string, validating it as described in the module documentation.
    ///
    /// # Errors
    /// A [`CpeError`] with the byte offset and the reason. Never panics.
    pub fn parse(input: &str) -> Result<Self, CpeError> {
        let (part, spans) = Self::check(input)?;
        Ok(Self {
            text: input.into(),
            part,
            spans,
        })
    }

    fn check(input: &str) -> Result<(Part, [(u16, u16); 10]), CpeError> {
        if input.len() > MAX_LEN {
            return fail(0, format!("longer than {MAX_LEN} bytes"));
        }
        if let Some((i, c)) = input.char_indices().find(|&(_, c)| !c.is_ascii_graphic()) {
            let what = match c {
                ' ' => "a space".to_owned(),
                c if c.is_ascii_control() => format!("control character {c:?}"),
                c => format!("non-ASCII character {c:?}"),
            };
            return fail(i, format!("{what}; a formatted string is printable ASCII"));
        }
        if !input.starts_with(PREFIX) {
            let reason = if input.starts_with("cpe:/") {
                "a CPE 2.2 URI (cpe:/…), not a CPE 2.3 formatted string (cpe:2.3:…)"
            } else {
                "does not start with \"cpe:2.3:\""
            };
            return fail(0, reason);
        }

        // Split on unquoted colons: the part plus ten attributes.
        let mut comps = [(0usize, 0usize); 11];
        let mut n = 0;
        let mut start = PREFIX.len();
        let mut bytes = input.bytes().enumerate().skip(PREFIX.len());
        let mut push = |start: usize, end: usize, n: &mut usize| -> Result<(), CpeError> {
            match comps.get_mut(*n) {
                Some(slot) => *slot = (start, end),
                None => return fail(start, "more than 13 components"),
            }
            *n += 1;
            Ok(())
        };
        while let Some((i, b)) = bytes.next() {
            match b {
                b'\\' if bytes.next().is_none() => {
                    return fail(i, "a backslash at the end quotes nothing");
                }
                b':' => {
                    push(start, i, &mut n)?;
                    start = i + 1;
                }
                _ => {}
            }
        }
        push(start, input.len(), &mut n)?;
        if n != comps.len() {
            return fail(
                input.len(),
                format!("{} components; a CPE 2.3 name has 13", n + 2),
            );
        }

        let text = |(s, e): (usize, usize)| input.get(s..e).unwrap_or_default();
        let part = match text(comps[0]) {
            "a" => Part::Application,
            "o" => Part::OperatingSystem,
            "h" => Part::Hardware,
            other => {
                return fail(comps[0].0, format!("part must be a, o or h, not {other:?}"));
            }
        };
        let mut spans = [(0u16, 0u16); 10];
        for ((span, &(s, e)), attr) in spans.iter_mut().zip(&comps[1..]).zip(Attribute::ALL) {
            check_value(text((s, e)), s, attr)?;
            // Both fit: the input length was checked against u16::MAX above.
            *span = (
                u16::try_from(s).unwrap_or(u16::MAX),
                u16::try_from(e).unwrap_or(u16::MAX),
            );
        }
        Ok((part, spans))
    }

    /// The whole name, exactly as parsed.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `part` component.
    #[must_use]
    pub fn part(&self) -> Part {
        self.part
    }

    /// The value of `attr`.
    #[must_use]
    pub fn get(&self, attr: Attribute) -> AttrValue<'_> {
        let (s, e) = self.spans.get(attr.index()).copied().unwrap_or((0, 0));
        match self.text.get(usize::from(s)..usize::from(e)).unwrap_or("*") {
            "*" => AttrValue::Any,
            "-" => AttrValue::Na,
            v => AttrValue::Value(v),
        }
    }

    /// The `vendor` attribute.
    #[must_use]
    pub fn vendor(&self) -> AttrValue<'_> {
        self.get(Attribute::Vendor)
    }

    /// The `product` attribute.
    #[must_use]
    pub fn product(&self) -> AttrValue<'_> {
        self.get(Attribute::Product)
    }

    /// The `version` attribute.
    #[must_use]
    pub fn version(&self) -> AttrValue<'_> {
        self.get(Attribute::Version)
    }

    /// The `update` attribute.
    #[must_use]
    pub fn update(&self) -> AttrValue<'_> {
        self.get(Attribute::Update)
    }

    /// The `target_sw` attribute.
    #[must_use]
    pub fn target_sw(&self) -> AttrValue<'_> {
        self.get(Attribute::TargetSw)
    }

    /// The `target_hw` attribute.
    #[must_use]
    pub fn target_hw(&self) -> AttrValue<'_> {
        self.get(Attribute::TargetHw)
    }
}

/// Quotes `value` for use as an attribute of a formatted string: every character other than a
/// letter, digit, `_`, `.` or `-` gets a backslash (`g++` → `g\+\+`). The result is a literal
/// (`*` and `?` become `\*` and `\?`, a lone `-` becomes `\-`); the caller still has to reject empty values, spaces and
/// non-ASCII, which [`Cpe::parse`] refuses.
#[must_use]
pub fn quote(value: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if value == "-" {
        // A lone `-` would read as NA.
        return Cow::Borrowed("\\-");
    }
    if value.chars().all(plain) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if !plain(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Checks one attribute value (`s` starts at byte `at` of the name).
fn check_value(s: &str, at: usize, attr: Attribute) -> Result<(), CpeError> {
    let name = attr.name();
    if s.is_empty() {
        return fail(at, format!("{name} is empty (write * for ANY or - for NA)"));
    }
    if s == "*" || s == "-" {
        return Ok(());
    }
    let b = s.as_bytes();
    let last = b.len() - 1;
    let mut k = 0;
    while let Some(&c) = b.get(k) {
        match c {
            b'\\' => {
                match b.get(k + 1) {
                    Some(q) if q.is_ascii_alphanumeric() => {
                        return fail(
                            at + k,
                            format!(
                                "{name}: a letter or digit must not be quoted (\\{})",
                                char::from(*q)
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        return fail(
                            at + k,
                            format!("{name}: a backslash at the end quotes nothing"),
                        );
                    }
                }
                k += 2;
                continue;
            }
            b'*' if k == 0 || k == last => {}
            b'*' => {
                return fail(
                    at + k,
                    format!(
                        "{name}: an unquoted * may only start or end a value (write \\* for a literal)"
                    ),
                );
            }
            b'?' => {
                let leading = b.get(..k).is_some_and(|p| p.iter().all(|&x| x == b'?'));
                let trailing = b.get(k..).is_some_and(|p| p.iter().all(|&x| x == b'?'));
                if !leading && !trailing {
                    return fail(
                        at + k,
                        format!(
                            "{name}: an unquoted ? may only appear at the start or end of a value (write \\? for a literal)"
                        ),
                    );
                }
            }
            c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-') => {}
            c => {
                let c = char::from(c);
                return fail(
                    at + k,
                    format!("{name}: {c:?} must be quoted as \\{c} in a formatted string"),
                );
            }
        }
        k += 1;
    }
    Ok(())
}

impl fmt::Display for Cpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Cpe {
    type Err = CpeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Cpe {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Cpe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // The name goes into the message: a JSON path alone does not show the bad byte.
        let (part, spans) =
            Cpe::check(&s).map_err(|e| serde::de::Error::custom(format!("{s:?}: {e}")))?;
        Ok(Cpe {
            text: s.into_boxed_str(),
            part,
            spans,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Attribute comparison (NISTIR 7696 §6.1, table 6-2).

/// The literal bytes of a quoted value: `\x` is `x`.
fn literals(v: &str) -> impl Iterator<Item = u8> + '_ {
    let mut bytes = v.bytes();
    std::iter::from_fn(move || {
        let b = bytes.next()?;
        if b == b'\\' { bytes.next() } else { Some(b) }
    })
}

/// A wildcard at one end of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wild {
    None,
    /// `*`: any number of characters.
    Star,
    /// A run of `n` `?`: as 7696's `compare_strings`, up to `n` characters.
    Q(usize),
}

/// A value split into its wildcard ends and its quoted literal core.
#[derive(Debug, Clone, Copy)]
struct Pattern<'a> {
    lead: Wild,
    core: &'a str,
    trail: Wild,
}

impl<'a> Pattern<'a> {
    fn of(v: &'a str) -> Self {
        let b = v.as_bytes();
        let (lead, start) = if b.first() == Some(&b'*') {
            (Wild::Star, 1)
        } else {
            let n = b.iter().take_while(|&&c| c == b'?').count();
            (if n == 0 { Wild::None } else { Wild::Q(n) }, n)
        };
        let rest = b.get(start..).unwrap_or_default();
        // A trailing special is unquoted only if the backslashes right before it pair up.
        let unquoted_at = |i: usize| {
            rest.get(..i)
                .is_some_and(|p| p.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0)
        };
        let (trail, end) = if rest.last() == Some(&b'*') && unquoted_at(rest.len() - 1) {
            (Wild::Star, rest.len() - 1)
        } else {
            let mut end = rest.len();
            while end > 0 && rest.get(end - 1) == Some(&b'?') && unquoted_at(end - 1) {
                end -= 1;
            }
            let n = rest.len() - end;
            (if n == 0 { Wild::None } else { Wild::Q(n) }, end)
        };
        let core = v.get(start..start + end).unwrap_or_default();
        Self { lead, core, trail }
    }

    fn is_wild(&self) -> bool {
        self.lead != Wild::None || self.trail != Wild::None
    }
}

/// Whether the criterion's attribute value `source` matches the name's value `target`, i.e.
/// 7696 relates them as SUPERSET or EQUAL.
pub(crate) fn attr_matches(source: AttrValue<'_>, target: AttrValue<'_>) -> bool {
    match (source, target) {
        (AttrValue::Any, _) | (AttrValue::Na, AttrValue::Na) => true,
        // NA against anything else is DISJOINT or SUBSET; a value against ANY is SUBSET (the
        // name says less than the criterion requires) and against NA DISJOINT.
        (AttrValue::Na, _) | (AttrValue::Value(_), AttrValue::Any | AttrValue::Na) => false,
        (AttrValue::Value(s), AttrValue::Value(t)) => value_matches(s, t),
    }
}

fn value_matches(source: &str, target: &str) -> bool {
    let t = Pattern::of(target);
    if t.is_wild() {
        // 7696: a target with wildcards relates UNDEFINED to any value.
        return false;
    }
    let s = Pattern::of(source);
    if !s.is_wild() {
        return literals(source)
            .map(|c| c.to_ascii_lowercase())
            .eq(literals(target).map(|c| c.to_ascii_lowercase()));
    }
    let core: Vec<u8> = literals(s.core).map(|c| c.to_ascii_lowercase()).collect();
    let text: Vec<u8> = literals(target).map(|c| c.to_ascii_lowercase()).collect();
    if core.len() > text.len() {
        return false;
    }
    (0..=text.len() - core.len()).any(|p| {
        let before_ok = match s.lead {
            Wild::None => p == 0,
            Wild::Star => true,
            Wild::Q(n) => p <= n,
        };
        let after = text.len() - p - core.len();
        let after_ok = match s.trail {
            Wild::None => after == 0,
            Wild::Star => true,
            Wild::Q(n) => after <= n,
        };
        before_ok && after_ok && text.get(p..p + core.len()) == Some(&core[..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpe(s: &str) -> Cpe {
        match Cpe::parse(s) {
            Ok(c) => c,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn err(s: &str) -> CpeError {
        match Cpe::parse(s) {
            Ok(c) => panic!("{s} parsed as {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn parses_components() {
        let c = cpe("cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*");
        assert_eq!(c.part(), Part::OperatingSystem);
        assert_eq!(c.vendor(), AttrValue::Value("fortinet"));
        assert_eq!(c.product(), AttrValue::Value("fortios"));
        assert_eq!(c.version(), AttrValue::Value("7.2.4"));
        assert_eq!(c.update(), AttrValue::Any);
        assert_eq!(c.get(Attribute::Other), AttrValue::Any);
        let h = cpe("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*");
        assert_eq!(h.part(), Part::Hardware);
        assert_eq!(h.version(), AttrValue::Na);
    }

    #[test]
    fn quoted_characters() {
        let c = cpe(r"cpe:2.3:a:gnu:g\+\+:1.0\:beta:*:*:*:*:*:*:*");
        assert_eq!(c.product(), AttrValue::Value(r"g\+\+"));
        assert_eq!(c.product().unquoted().as_deref(), Some("g++"));
        assert_eq!(c.version().unquoted().as_deref(), Some("1.0:beta"));
        assert_eq!(c.update(), AttrValue::Any);
        let star = cpe(r"cpe:2.3:a:x:y\*z:\*:*:*:*:*:*:*:*");
        assert_eq!(star.product().unquoted().as_deref(), Some("y*z"));
        assert!(!star.product().has_wildcard());
        assert_eq!(star.version(), AttrValue::Value(r"\*"));
        assert!(!star.version().has_wildcard());
        let apple = cpe(r"cpe:2.3:a:apple:safari:5.0\(7533.16\):*:*:*:*:*:*:*");
        assert_eq!(apple.version().unquoted().as_deref(), Some("5.0(7533.16)"));
        // A quoted backslash.
        let bs = cpe(r"cpe:2.3:a:x:y:a\\:*:*:*:*:*:*:*");
        assert_eq!(bs.version().unquoted().as_deref(), Some(r"a\"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("7.2.4"), "7.2.4");
        assert_eq!(quote("g++"), r"g\+\+");
        assert_eq!(quote("1.0:beta*"), r"1.0\:beta\*");
        let c = cpe(&format!("cpe:2.3:a:x:{}:*:*:*:*:*:*:*:*", quote("a&b(c)?")));
        assert_eq!(c.product().unquoted().as_deref(), Some("a&b(c)?"));
        assert!(!c.product().has_wildcard());
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:x64:*",
            r"cpe:2.3:a:gnu:g\+\+:1.0\:beta:*:*:*:*:*:*:*",
            "cpe:2.3:a:ibm:security_verify_privilege_on-premises:*:*:*:*:*:*:*:*",
            "cpe:2.3:a:x:*lib?:??1.0*:-:*:*:*:*:*:*",
        ] {
            let c = cpe(s);
            assert_eq!(c.to_string(), s);
            assert_eq!(cpe(&c.to_string()), c);
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("{s:?}"));
        }
    }

    #[test]
    fn rejects_with_reasons() {
        let cases = [
            ("cpe:/a:apache:http_server:2.4.49", "CPE 2.2 URI"),
            ("cpe:2.2:a:x:y:*:*:*:*:*:*:*:*", "does not start"),
            ("cpe:2.3:a:x:y:*:*:*:*:*:*:*", "12 components"),
            ("cpe:2.3:a:x:y:*:*:*:*:*:*:*:*:*", "more than 13"),
            ("cpe:2.3:x:x:y:*:*:*:*:*:*:*:*", "part must be a, o or h"),
            ("cpe:2.3:*:x:y:*:*:*:*:*:*:*:*", "part must be a, o or h"),
            ("cpe:2.3:a::y:*:*:*:*:*:*:*:*", "vendor is empty"),
            ("cpe:2.3:a:x:y:1.0 beta:*:*:*:*:*:*:*", "a space"),
            ("cpe:2.3:a:x:y:1.0é:*:*:*:*:*:*:*", "non-ASCII"),
            ("cpe:2.3:a:x:y:1.0\t:*:*:*:*:*:*:*", "control character"),
            ("cpe:2.3:a:x:g++:*:*:*:*:*:*:*:*", "must be quoted"),
            ("cpe:2.3:a:x:y:1*0:*:*:*:*:*:*:*", "unquoted *"),
            ("cpe:2.3:a:x:y:1?0:*:*:*:*:*:*:*", "unquoted ?"),
            (r"cpe:2.3:a:x:\y:*:*:*:*:*:*:*:*", "must not be quoted"),
            (r"cpe:2.3:a:x:y:*:*:*:*:*:*:*:a\", "backslash at the end"),
        ];
        for (input, want) in cases {
            let e = err(input);
            assert!(e.to_string().contains(want), "{input}: {e}");
        }
        assert_eq!(err("cpe:2.3:a:x:g++:*:*:*:*:*:*:*:*").position, 13);
    }

    fn m(source: &str, target: &str) -> bool {
        let v = |s| match s {
            "*" => AttrValue::Any,
            "-" => AttrValue::Na,
            s => AttrValue::Value(s),
        };
        attr_matches(v(source), v(target))
    }

    #[test]
    fn attribute_relations_follow_nistir_7696() {
        // ANY in the criterion matches everything; NA only NA.
        assert!(m("*", "*") && m("*", "-") && m("*", "x"));
        assert!(m("-", "-") && !m("-", "*") && !m("-", "x"));
        // A value never matches ANY (SUBSET) or NA (DISJOINT).
        assert!(!m("x", "*") && !m("x", "-"));
        // Case-insensitive, quoting-insensitive equality.
        assert!(m("Microsoft", "microsoft"));
        assert!(m(r"1\.0", "1.0"));
        assert!(!m("1.0", "1.0.0"));
        // Wildcards in the criterion.
        assert!(m("win*", "windows_10") && m("*10", "windows_10") && m("*ows*", "windows_10"));
        assert!(m("*", "x") && !m("win*", "linux"));
        assert!(m("1.?", "1.2") && m("1.?", "1.") && !m("1.?", "1.23"));
        assert!(m("??1", "xy1") && m("??1", "1") && !m("??1", "abc1"));
        // A wildcard in the target is UNDEFINED.
        assert!(!m("windows", "win*") && !m("win*", "win*"));
        // A quoted star is a literal.
        assert!(m(r"a\*", r"a\*") && !m(r"a\*", "ab"));
    }
}
