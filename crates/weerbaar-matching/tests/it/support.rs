use std::path::Path;

use weerbaar_advisories::osv::{Advisory, parse_jsonl, parse_record};

/// Parses an OSV record embedded in a larger JSON document by serialising it back to bytes.
pub fn record(value: &serde_json::Value) -> Result<Advisory, String> {
    let bytes = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    parse_record("embedded.json", &bytes).map_err(|e| e.to_string())
}

pub fn load_jsonl(path: &Path) -> Vec<Advisory> {
    let bytes = std::fs::read(path).expect("read feed");
    parse_jsonl(&path.display().to_string(), &bytes).expect("parse feed")
}

pub fn adv(json: &str) -> Advisory {
    parse_record("t.json", json.as_bytes()).expect("valid record")
}
