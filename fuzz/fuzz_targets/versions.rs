//! Fuzzes every version scheme: parsing arbitrary bytes must never panic, and whatever parses must
//! obey the contracts of `SchemeVersion` (antisymmetric order, `==` agreeing with `cmp`, printed
//! form parsing back to an equal version).
//!
//! Input layout: first byte picks the scheme, the rest is split at the first `\t` into two inputs.

#![no_main]

use std::cmp::Ordering;

use libfuzzer_sys::fuzz_target;
use weerbaar_versions::{Scheme, Version};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let (a, b) = text.split_once('\t').unwrap_or((&text, "0"));
    let (va, vb) = match (Version::parse(scheme, a), Version::parse(scheme, b)) {
        (Ok(va), Ok(vb)) => (va, vb),
        (Err(e), _) | (_, Err(e)) => {
            assert!(e.position() <= e.input().len());
            let _ = e.to_string();
            return;
        }
    };
    let ab = va.partial_cmp(&vb).expect("same scheme");
    let ba = vb.partial_cmp(&va).expect("same scheme");
    assert_eq!(ab, ba.reverse(), "{scheme}: {a:?} vs {b:?}");
    assert_eq!(va == vb, ab == Ordering::Equal, "{scheme}: {a:?} vs {b:?}");
    for (input, v) in [(a, &va), (b, &vb)] {
        let printed = v.to_string();
        let again = Version::parse(scheme, &printed)
            .unwrap_or_else(|e| panic!("{scheme}: {input:?} printed as {printed:?}: {e}"));
        assert!(again == *v, "{scheme}: {input:?} printed as {printed:?} differs");
        assert_eq!(again.to_string(), printed, "{scheme}: {input:?} not idempotent");
    }
});
