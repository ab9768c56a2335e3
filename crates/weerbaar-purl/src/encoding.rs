//! Percent-encoding as ECMA-427 clause 5.4 defines it, written out because the rule set is small
//! and differs from every URL library's defaults.
//!
//! * The "allowed set" (never encoded) is the alphanumerics and the punctuation `.-_~`; the colon
//!   is never encoded either, "whether used as a separator or otherwise". Everything else,
//!   including the other separators when they occur inside a component, is written as `%XX` over
//!   the UTF-8 bytes, with upper-case hex digits (RFC 3986 section 2.1 recommends upper case, and
//!   the test suite's canonical forms use it).
//! * Decoding accepts either hex case and turns `+` into nothing special: a purl is not an HTML
//!   form, so `+` is a literal plus (`1:2.4.47-2+b1`).
//! * A `%` that does not start a two-hex-digit triplet, and decoded bytes that are not UTF-8, are
//!   errors rather than being passed through: the Annex C grammar requires both, and guessing
//!   would give two different purls the same meaning.

use crate::error::ErrorKind;

/// Whether `b` is written as itself in a canonical purl component.
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':')
}

/// Appends `s` to `out`, percent-encoding every byte outside the unreserved set.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// Percent-encodes `s` into a new string.
#[cfg(test)]
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `s`. On failure returns the byte offset within `s` and the reason.
pub(crate) fn decode(s: &str) -> Result<String, (usize, ErrorKind)> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_value);
            let lo = bytes.get(i + 2).copied().and_then(hex_value);
            match (hi, lo) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                }
                _ => return Err((i, ErrorKind::InvalidPercentEncoding)),
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| {
        // Point at the `%` triplet that starts the bad sequence: walk the input until the decoded
        // length passes the first invalid byte.
        let bad = e.utf8_error().valid_up_to();
        let mut decoded = 0;
        let mut at = 0;
        while decoded < bad {
            at += if bytes.get(at) == Some(&b'%') { 3 } else { 1 };
            decoded += 1;
        }
        (at.min(s.len()), ErrorKind::InvalidUtf8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_only_outside_the_allowed_set_and_never_the_colon() {
        assert_eq!(encode("sha256:ab"), "sha256:ab");
        assert_eq!(encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode("@angular"), "%40angular");
        assert_eq!(encode("1.0.0 Final"), "1.0.0%20Final");
        assert_eq!(
            encode("https://x/y?a=b&c#d"),
            "https:%2F%2Fx%2Fy%3Fa%3Db%26c%23d"
        );
        assert_eq!(encode("a+b,c%"), "a%2Bb%2Cc%25");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn decodes_either_hex_case_and_keeps_plus() {
        assert_eq!(decode("%2f%2F+").as_deref(), Ok("//+"));
        assert_eq!(decode("%C3%A9").as_deref(), Ok("é"));
        assert_eq!(decode("plain").as_deref(), Ok("plain"));
    }

    #[test]
    fn rejects_broken_triplets_and_invalid_utf8_with_their_offset() {
        assert_eq!(decode("ab%2"), Err((2, ErrorKind::InvalidPercentEncoding)));
        assert_eq!(decode("%zz"), Err((0, ErrorKind::InvalidPercentEncoding)));
        assert_eq!(decode("%"), Err((0, ErrorKind::InvalidPercentEncoding)));
        assert_eq!(decode("ab%FFcd"), Err((2, ErrorKind::InvalidUtf8)));
        assert_eq!(decode("é%C3"), Err((2, ErrorKind::InvalidUtf8)));
    }
}
