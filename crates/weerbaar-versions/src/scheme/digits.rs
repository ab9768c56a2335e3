//! Digit-string and comparison-key helpers shared by the schemes: every ecosystem compares numeric parts of any
//! length exactly (no `u64` overflow), and the hot schemes keep a `u64` shortcut key per part.

use std::cmp::Ordering;

/// Compares two ASCII digit strings as unbounded integers: leading zeros are ignored, an empty
/// string is zero.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| s.iter().take_while(|&&d| d == b'0').count();
    let a = a.get(strip(a)..).unwrap_or_default();
    let b = b.get(strip(b)..).unwrap_or_default();
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The shortcut key of a number too long for a `u64`; it exceeds every 19-digit value.
pub(crate) const BIG: u64 = u64::MAX;

/// The value of a digit string (without leading zeros) of at most 19 digits, else [`BIG`].
/// Unequal keys decide a comparison; equal `BIG` keys need [`cmp_digits`].
pub(crate) fn number_key(digits: &[u8]) -> u64 {
    if digits.len() > 19 {
        return BIG;
    }
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u64::from(d.wrapping_sub(b'0')))
}

/// The shortcut key of a word: its first 8 bytes, big-endian and zero-padded (lower-cased when
/// the scheme compares words case-insensitively). Unequal keys decide a comparison of words;
/// equal keys do only when both words are at most 8 bytes long.
pub(crate) fn word_key(word: &[u8], fold_case: bool) -> u64 {
    let mut key = [0u8; 8];
    for (k, c) in key.iter_mut().zip(word) {
        *k = if fold_case {
            c.to_ascii_lowercase()
        } else {
            *c
        };
    }
    u64::from_be_bytes(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_strings_compare_by_value_at_any_length() {
        assert_eq!(cmp_digits(b"010", b"9"), Ordering::Greater);
        assert_eq!(cmp_digits(b"", b"000"), Ordering::Equal);
        assert_eq!(
            cmp_digits(b"99999999999999999999999", b"100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(number_key(b"18446744073709551615000"), BIG);
        assert_eq!(number_key(b"1234"), 1234);
    }
}
