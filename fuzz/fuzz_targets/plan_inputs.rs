//! Fuzzes the files users give weerbaar beside their inventories: policy files (TOML), CycloneDX
//! VEX documents, CPE name-mapping tables, and the compiled-index cache files read at start-up.
//! No input may panic; errors must render.
//!
//! Input layout: the first byte picks the parser, the rest is the file.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    match pick % 4 {
        0 => {
            let _ = weerbaar_plan::PolicySet::parse("fuzz.toml", &text).map_err(|e| e.to_string());
        }
        1 => {
            let options = weerbaar_plan::vex::ImportOptions {
                author: "fuzz".into(),
                date: jiff::civil::date(2026, 11, 28),
                asset: None,
            };
            let _ = weerbaar_plan::vex::import("fuzz.json", bytes, &options)
                .map_err(|e| e.to_string());
        }
        2 => {
            if let Ok(mapping) = weerbaar_matching::Mapping::parse(&text, "fuzz.csv") {
                let _ = mapping.lookup(Some("Fortinet"), "FortiGate", Some("7.2.4"));
            }
        }
        _ => {
            let mut reader = bytes;
            let _ = weerbaar_matching::Index::load(&mut reader).map_err(|e| e.to_string());
        }
    }
});
