//! Fuzzes the feed parsers (OSV in every form, NVD CVE 2.0, KEV JSON/CSV, EPSS plain/gzip) and
//! the CVSS scorer: no input may panic, and every error must render.
//!
//! Input layout: the first byte picks the parser, the rest is the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weerbaar_advisories::{cvss, epss, kev, nvd, osv};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let file = "fuzz";
    match pick % 6 {
        0 => {
            if let Ok(advisories) = osv::parse_any(file, bytes) {
                for a in &advisories {
                    let _ = a.lint();
                }
            }
        }
        1 => {
            if let Ok(doc) = nvd::parse(file, bytes) {
                for cve in &doc.cves {
                    let _ = (cve.description(), cve.cwe_ids());
                }
            }
        }
        2 => {
            let _ = kev::parse(file, bytes).map_err(|e| e.to_string());
        }
        3 => {
            let _ = epss::parse(file, bytes).map_err(|e| e.to_string());
        }
        4 => {
            let text = String::from_utf8_lossy(bytes);
            if let Ok(score) = cvss::base_score(&text) {
                assert!((0.0..=10.0).contains(&score.base_score), "{text:?}");
            }
        }
        _ => {
            let text = String::from_utf8_lossy(bytes);
            let _ = nvd::Cpe::parse(&text).map_err(|e| e.to_string());
        }
    }
});
