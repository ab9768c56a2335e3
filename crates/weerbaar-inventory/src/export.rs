//! Writes an asset's inventory as a CycloneDX 1.6 JSON SBOM, for tools that read SBOMs (and for
//! handing a supplier or auditor "what runs on this server").
//!
//! # Mapping
//!
//! * `metadata.component` is the asset: type `device` for hosts and appliances (CycloneDX's
//!   pattern for hardware that carries an `operating-system` component), `application` for
//!   applications, `platform` for cloud services. Its zone, owner, criticality, exposure and
//!   tags become `weerbaar:*` properties.
//! * The OS, when known, is the first component: type `operating-system`, name = os-release
//!   `ID`, version = `VERSION_ID`, description = the name, with codename and `ID_LIKE` as
//!   properties — the shape Trivy and Syft emit for distributions.
//! * Each package is a `library` component with name, version, `publisher` (vendor), `purl` and
//!   `cpe` when known. Facts CycloneDX has no field for are properties in the `weerbaar:`
//!   namespace: `weerbaar:ecosystem`, `weerbaar:source-name`, `weerbaar:source-version`. Where a
//!   component was read from goes into `evidence.occurrences` (new in 1.6): the file as
//!   `location`, the line as `line`, a JSON or XML path as `additionalContext`.
//! * `bom-ref`s are unique: the purl when it is not taken yet, else `component-N`.
//! * `serialNumber` is a random version-4 UUID and `metadata.timestamp` the current UTC time;
//!   both are made with `std` alone (a per-process random hasher seed, and a civil-date
//!   conversion), so no dependency is added for them.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::ImportedAsset;
use crate::model::{AssetKind, Component, Location};

/// The CycloneDX specification version written.
pub const SPEC_VERSION: &str = "1.6";

/// The asset's components as a CycloneDX 1.6 JSON document (pretty-printed).
#[must_use]
pub fn cyclonedx_json(asset: &ImportedAsset, tool_version: &str) -> String {
    document(
        asset,
        tool_version,
        &random_uuid_v4(),
        &rfc3339(SystemTime::now()),
    )
}

/// The document with a given serial number and timestamp, so tests can compare exactly.
pub(crate) fn document(
    asset: &ImportedAsset,
    tool_version: &str,
    uuid: &str,
    timestamp: &str,
) -> String {
    let mut refs: HashSet<String> = HashSet::new();
    refs.insert("asset".to_owned());

    let mut components = Vec::with_capacity(asset.components.len() + 1);
    if let Some(os) = &asset.os {
        let mut c = Map::new();
        c.insert("type".into(), json!("operating-system"));
        c.insert(
            "bom-ref".into(),
            json!(unique_ref(&mut refs, "asset-os", 0)),
        );
        c.insert("name".into(), json!(os.id));
        insert_opt(&mut c, "version", os.version_id.as_deref());
        insert_opt(&mut c, "description", os.name.as_deref());
        let mut props = Vec::new();
        push_prop(&mut props, "weerbaar:codename", os.codename.as_deref());
        if !os.id_like.is_empty() {
            push_prop(&mut props, "weerbaar:id-like", Some(&os.id_like.join(" ")));
        }
        if !props.is_empty() {
            c.insert("properties".into(), Value::Array(props));
        }
        components.push(Value::Object(c));
    }
    for (i, component) in asset.components.iter().enumerate() {
        components.push(library(component, &mut refs, i));
    }

    let mut subject = Map::new();
    subject.insert("type".into(), json!(asset_type(asset.kind)));
    subject.insert("bom-ref".into(), json!("asset"));
    subject.insert("name".into(), json!(asset_name(asset)));
    let mut props = Vec::new();
    push_prop(&mut props, "weerbaar:zone", asset.zone.as_deref());
    push_prop(&mut props, "weerbaar:owner", asset.owner.as_deref());
    push_prop(
        &mut props,
        "weerbaar:criticality",
        asset.criticality.map(|c| c.as_str()),
    );
    push_prop(
        &mut props,
        "weerbaar:exposure",
        asset.exposure.map(|e| e.as_str()),
    );
    for tag in &asset.tags {
        push_prop(&mut props, "weerbaar:tag", Some(tag));
    }
    if !props.is_empty() {
        subject.insert("properties".into(), Value::Array(props));
    }

    let doc = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{uuid}"),
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "weerbaar",
                    "version": tool_version,
                }],
            },
            "component": Value::Object(subject),
        },
        "components": components,
    });
    format!("{doc:#}\n")
}

fn library(component: &Component, refs: &mut HashSet<String>, index: usize) -> Value {
    let mut c = Map::new();
    c.insert("type".into(), json!("library"));
    let preferred = component.purl.as_deref().unwrap_or("");
    c.insert("bom-ref".into(), json!(unique_ref(refs, preferred, index)));
    c.insert("name".into(), json!(component.name));
    insert_opt(&mut c, "version", component.version.as_deref());
    insert_opt(&mut c, "publisher", component.vendor.as_deref());
    insert_opt(&mut c, "purl", component.purl.as_deref());
    insert_opt(&mut c, "cpe", component.cpe.as_deref());

    let mut props = Vec::new();
    push_prop(
        &mut props,
        "weerbaar:ecosystem",
        component.ecosystem.as_deref(),
    );
    push_prop(
        &mut props,
        "weerbaar:source-name",
        component.source_name.as_deref(),
    );
    push_prop(
        &mut props,
        "weerbaar:source-version",
        component.source_version.as_deref(),
    );
    if !props.is_empty() {
        c.insert("properties".into(), Value::Array(props));
    }

    let mut occurrence = Map::new();
    occurrence.insert("location".into(), json!(component.source.file));
    match &component.source.location {
        Location::Line(n) => {
            occurrence.insert("line".into(), json!(n));
        }
        Location::JsonPath(p) | Location::Element(p) => {
            occurrence.insert("additionalContext".into(), json!(p));
        }
    }
    c.insert(
        "evidence".into(),
        json!({ "occurrences": [Value::Object(occurrence)] }),
    );
    Value::Object(c)
}

/// `preferred` when it is non-empty and unused, else `component-{index}` (made unique too).
fn unique_ref(refs: &mut HashSet<String>, preferred: &str, index: usize) -> String {
    if !preferred.is_empty() && refs.insert(preferred.to_owned()) {
        return preferred.to_owned();
    }
    let mut candidate = format!("component-{index}");
    let mut n = 0usize;
    while !refs.insert(candidate.clone()) {
        n += 1;
        candidate = format!("component-{index}-{n}");
    }
    candidate
}

fn asset_type(kind: Option<AssetKind>) -> &'static str {
    match kind {
        None | Some(AssetKind::Host | AssetKind::Appliance) => "device",
        Some(AssetKind::Application) => "application",
        Some(AssetKind::CloudService) => "platform",
    }
}

fn asset_name(asset: &ImportedAsset) -> String {
    asset
        .name
        .clone()
        .or_else(|| asset.os.as_ref().and_then(|os| os.name.clone()))
        .unwrap_or_else(|| "unnamed asset".to_owned())
}

fn insert_opt(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        map.insert(key.to_owned(), json!(v));
    }
}

fn push_prop(props: &mut Vec<Value>, name: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        props.push(json!({ "name": name, "value": v }));
    }
}

/// A random RFC 9562 version-4 UUID, lowercase.
///
/// `RandomState` is seeded from the operating system's randomness once per process and varies
/// per instance; hashing the time, the process id and a counter through two instances gives
/// 128 unpredictable-enough bits for a serial number (which must be unique, not secret).
fn random_uuid_v4() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let word = || {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_u64(count);
        h.finish()
    };
    let (hi, lo) = (word(), word());
    format_uuid_v4(hi, lo)
}

/// Sets the version (4) and variant (10xx) bits and formats 8-4-4-4-12.
fn format_uuid_v4(hi: u64, lo: u64) -> String {
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (lo & !(0xC0 << 56)) | (0x80 << 56);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// `time` as an RFC 3339 UTC timestamp with second precision (`2024-05-01T12:00:00Z`).
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year, March-based
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::model::{OperatingSystem, Source};

    fn at(secs: u64) -> String {
        rfc3339(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn timestamps() {
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00Z");
        assert_eq!(at(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn uuids_are_version_4_and_differ() {
        let a = random_uuid_v4();
        let b = random_uuid_v4();
        assert_ne!(a, b);
        for u in [
            &a,
            &b,
            &format_uuid_v4(0, 0),
            &format_uuid_v4(u64::MAX, u64::MAX),
        ] {
            let bytes = u.as_bytes();
            assert_eq!(u.len(), 36, "{u}");
            assert_eq!(bytes.get(14), Some(&b'4'), "{u}");
            assert!(
                matches!(bytes.get(19), Some(b'8' | b'9' | b'a' | b'b')),
                "{u}"
            );
            assert!(u.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()), "{u}");
            let dashes: Vec<usize> = u.match_indices('-').map(|(i, _)| i).collect();
            assert_eq!(dashes, [8, 13, 18, 23], "{u}");
        }
    }

    #[test]
    fn refs_are_unique() {
        let mut refs = HashSet::new();
        assert_eq!(
            unique_ref(&mut refs, "pkg:deb/debian/a@1", 0),
            "pkg:deb/debian/a@1"
        );
        assert_eq!(
            unique_ref(&mut refs, "pkg:deb/debian/a@1", 1),
            "component-1"
        );
        assert_eq!(unique_ref(&mut refs, "component-1", 2), "component-2");
        assert_eq!(unique_ref(&mut refs, "", 2), "component-2-1");
    }

    #[test]
    fn deterministic_document_shape() {
        let asset = ImportedAsset {
            name: Some("web1".into()),
            kind: Some(AssetKind::Host),
            os: Some(OperatingSystem {
                id: "debian".into(),
                id_like: vec![],
                name: Some("Debian GNU/Linux".into()),
                version_id: Some("12".into()),
                codename: Some("bookworm".into()),
            }),
            zone: Some("dmz".into()),
            components: vec![Component {
                ecosystem: Some("Debian".into()),
                name: "bash".into(),
                version: Some("5.2.15-2+b7".into()),
                purl: None,
                cpe: None,
                vendor: None,
                source_name: Some("bash".into()),
                source_version: Some("5.2.15-2".into()),
                source: Source {
                    file: "/var/lib/dpkg/status".into(),
                    location: Location::Line(280),
                },
            }],
            ..ImportedAsset::default()
        };
        let text = document(
            &asset,
            "0.1.0",
            "00000000-0000-4000-8000-000000000000",
            "2024-01-01T00:00:00Z",
        );
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc["bomFormat"], "CycloneDX");
        assert_eq!(doc["specVersion"], "1.6");
        assert_eq!(
            doc["serialNumber"],
            "urn:uuid:00000000-0000-4000-8000-000000000000"
        );
        assert_eq!(doc["metadata"]["component"]["type"], "device");
        assert_eq!(doc["metadata"]["component"]["name"], "web1");
        assert_eq!(
            doc["metadata"]["component"]["properties"][0],
            json!({"name": "weerbaar:zone", "value": "dmz"})
        );
        assert_eq!(doc["components"][0]["type"], "operating-system");
        assert_eq!(doc["components"][0]["name"], "debian");
        assert_eq!(doc["components"][0]["version"], "12");
        let bash = &doc["components"][1];
        assert_eq!(bash["type"], "library");
        assert_eq!(bash["bom-ref"], "component-0");
        assert_eq!(bash["version"], "5.2.15-2+b7");
        assert_eq!(
            bash["evidence"]["occurrences"][0],
            json!({"location": "/var/lib/dpkg/status", "line": 280})
        );
        assert!(bash.get("purl").is_none());
    }
}
