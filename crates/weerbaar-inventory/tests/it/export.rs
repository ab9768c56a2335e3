//! CycloneDX 1.6 export, validated structurally (the CycloneDX importer lives elsewhere).

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;
use weerbaar_inventory::export::cyclonedx_json;
use weerbaar_inventory::model::{Component, Location, OperatingSystem, Source};
use weerbaar_inventory::{ImportOptions, ImportedAsset, import_file};

fn is_uuid_v4_urn(s: &str) -> bool {
    let Some(u) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups: Vec<&str> = u.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && u.bytes()
            .all(|b| b == b'-' || matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && groups.get(2).is_some_and(|g| g.starts_with('4'))
        && groups
            .get(3)
            .is_some_and(|g| g.starts_with(['8', '9', 'a', 'b']))
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The checks a CycloneDX 1.6 validator makes on the parts weerbaar writes.
fn check_document(text: &str, expected_components: usize) -> Value {
    let doc: Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(doc["version"], 1);
    assert!(
        is_uuid_v4_urn(doc["serialNumber"].as_str().unwrap_or("")),
        "{}",
        doc["serialNumber"]
    );
    let meta = &doc["metadata"];
    assert!(
        is_rfc3339_utc(meta["timestamp"].as_str().unwrap_or("")),
        "{}",
        meta["timestamp"]
    );
    let tool = &meta["tools"]["components"][0];
    assert_eq!(tool["type"], "application");
    assert_eq!(tool["name"], "weerbaar");
    assert_eq!(tool["version"], "9.9.9");
    assert!(meta["component"]["name"].is_string());
    assert!(meta["component"]["type"].is_string());

    let components = doc["components"].as_array().expect("components array");
    assert_eq!(components.len(), expected_components);
    let mut refs = HashSet::new();
    assert!(
        refs.insert(
            meta["component"]["bom-ref"]
                .as_str()
                .expect("ref")
                .to_owned()
        )
    );
    let types = ["library", "operating-system"];
    for c in components {
        assert!(types.contains(&c["type"].as_str().unwrap_or("")), "{c}");
        assert!(c["name"].as_str().is_some_and(|n| !n.is_empty()), "{c}");
        let r = c["bom-ref"].as_str().expect("bom-ref");
        assert!(refs.insert(r.to_owned()), "duplicate bom-ref {r}");
        for key in ["version", "purl", "cpe", "publisher"] {
            assert!(c.get(key).is_none_or(Value::is_string), "{key} in {c}");
        }
        for p in c["properties"].as_array().into_iter().flatten() {
            assert!(p["name"].is_string() && p["value"].is_string(), "{p}");
        }
        for o in c["evidence"]["occurrences"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(o["location"].is_string(), "{o}");
            assert!(o.get("line").is_none_or(|l| l.as_u64().is_some()), "{o}");
        }
    }
    doc
}

#[test]
fn this_machines_packages_export() {
    let status = Path::new("/var/lib/dpkg/status");
    if !status.exists() {
        eprintln!("skipped: no dpkg database on this machine");
        return;
    }
    let mut inv = import_file(status, &ImportOptions::default()).expect("import");
    let mut asset = inv.assets.remove(0);
    asset.os = Some(OperatingSystem {
        id: "debian".into(),
        version_id: Some("12".into()),
        ..OperatingSystem::default()
    });
    let n = asset.components.len();
    let text = cyclonedx_json(&asset, "9.9.9");
    let doc = check_document(&text, n + 1);
    assert_eq!(doc["metadata"]["component"]["type"], "device");
    assert_eq!(doc["components"][0]["type"], "operating-system");
    let first = &doc["components"][1];
    assert_eq!(
        first["name"].as_str(),
        Some(asset.components[0].name.as_str())
    );
    assert_eq!(
        first["evidence"]["occurrences"][0]["location"],
        "/var/lib/dpkg/status"
    );
    assert_eq!(first["evidence"]["occurrences"][0]["line"], 1);
    // Two exports are two documents.
    let again: Value = serde_json::from_str(&cyclonedx_json(&asset, "9.9.9")).expect("json");
    assert_ne!(again["serialNumber"], doc["serialNumber"]);
}

#[test]
fn purls_duplicates_and_json_locations() {
    let component = |name: &str, purl: Option<&str>, location: Location| Component {
        ecosystem: None,
        name: name.into(),
        version: Some("1.0".into()),
        purl: purl.map(str::to_owned),
        cpe: Some("cpe:2.3:a:vendor:x:1.0:*:*:*:*:*:*:*".into()),
        vendor: Some("Vendor \"Quoted\" <x>".into()),
        source_name: None,
        source_version: None,
        source: Source {
            file: "sbom.json".into(),
            location,
        },
    };
    let asset = ImportedAsset {
        components: vec![
            component(
                "a",
                Some("pkg:npm/a@1.0"),
                Location::JsonPath("$.components[0]".into()),
            ),
            component(
                "a",
                Some("pkg:npm/a@1.0"),
                Location::JsonPath("$.components[1]".into()),
            ),
            component(
                "b",
                None,
                Location::Element("/bom/components/component[3]".into()),
            ),
        ],
        ..ImportedAsset::default()
    };
    let doc = check_document(&cyclonedx_json(&asset, "9.9.9"), 3);
    assert_eq!(doc["metadata"]["component"]["name"], "unnamed asset");
    assert_eq!(doc["components"][0]["bom-ref"], "pkg:npm/a@1.0");
    assert_eq!(doc["components"][1]["bom-ref"], "component-1");
    assert_eq!(doc["components"][0]["publisher"], "Vendor \"Quoted\" <x>");
    assert_eq!(
        doc["components"][2]["evidence"]["occurrences"][0]["additionalContext"],
        "/bom/components/component[3]"
    );
}
