//! Fuzzes the purl parsers: no input may panic, and whatever parses must print a canonical
//! string that parses back (leniently and strictly) to an equal value, whose printed form is
//! the same string again. Strict parsing must never accept what lenient parsing rejects, and
//! must agree with it when both accept. The OSV mapping must not panic either.
//!
//! Input layout: the bytes, lossily decoded as UTF-8.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weerbaar_purl::PackageUrl;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let strict = PackageUrl::parse_strict(&input);
    let _ = PackageUrl::is_canonical(&input);
    let purl = match PackageUrl::parse(&input) {
        Ok(purl) => purl,
        Err(e) => {
            assert!(
                strict.is_err(),
                "{input:?}: strict accepts what lenient rejects"
            );
            assert!(e.position().is_some_and(|p| p <= input.len()));
            let _ = e.to_string();
            return;
        }
    };
    if let Ok(strict) = &strict {
        assert_eq!(strict, &purl, "{input:?}: strict and lenient disagree");
    }
    let printed = purl.to_string();
    let again = PackageUrl::parse(&printed)
        .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}: {e}"));
    assert_eq!(again, purl, "{input:?} printed as {printed:?} differs");
    assert_eq!(
        again.to_string(),
        printed,
        "{input:?}: printing is not idempotent"
    );
    assert_eq!(
        PackageUrl::parse_strict(&printed).as_ref(),
        Ok(&purl),
        "{printed:?} strict"
    );
    assert!(
        PackageUrl::is_canonical(&printed),
        "{printed:?} is not canonical"
    );
    let _ = (purl.osv_package(), purl.osv_version(), purl.checksums());
});
