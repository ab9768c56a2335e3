//! Fuzzes every inventory importer and the enrichment step: arbitrary bytes must give an
//! inventory or a located error, never a panic, a hang or an error whose location is missing
//! for a syntax problem.
//!
//! Input layout: the first byte picks the format (or, past the last format, content detection),
//! the rest is the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weerbaar_inventory::{ColumnMap, Format, ImportOptions, enrich, import_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let format = Format::ALL.get(usize::from(selector) % (Format::ALL.len() + 1)).copied();
    let options = ImportOptions {
        format,
        columns: ColumnMap::preset("weerbaar"),
        ..ImportOptions::default()
    };
    match import_bytes("fuzz-input", content, &options) {
        Ok(mut inventory) => {
            enrich(&mut inventory);
            let _ = serde_json::to_string(&inventory);
        }
        Err(e) => {
            assert_eq!(e.file, "fuzz-input");
            let _ = e.to_string();
        }
    }
});
