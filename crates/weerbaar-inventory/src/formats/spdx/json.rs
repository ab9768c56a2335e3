//! The SPDX JSON serialisation (SPDX 2.3 clause 7 field names, `spdx-schema.json`).
//!
//! Only the fields an inventory needs are declared; serde skips the rest (files, snippets,
//! licences, checksums), so their shape is not checked. The declared ones are typed, and a value
//! of the wrong type is reported with its JSON path (`$.packages[3].versionInfo`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Document, ExternalRef, Package, Relationship, check_version};
use crate::ImportError;
use crate::model::Location;

/// A value that must be a JSON object. Derived struct deserialisers also accept arrays (fields by
/// position), which would let `[["SPDXRef-a", "a"]]` pass as a package list; SPDX objects are
/// never arrays, so an array is reported as the type error it is.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }

        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

#[derive(Deserialize)]
struct JsonDocument {
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<String>,
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    name: Option<String>,
    #[serde(rename = "documentDescribes")]
    document_describes: Option<Vec<String>>,
    packages: Option<Vec<Object<JsonPackage>>>,
    relationships: Option<Vec<Object<JsonRelationship>>>,
    /// Present in SPDX 3 JSON-LD, which has no `spdxVersion`; used only to say so.
    #[serde(rename = "@context")]
    context: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct JsonPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(rename = "versionInfo")]
    version_info: Option<String>,
    supplier: Option<String>,
    originator: Option<String>,
    #[serde(rename = "primaryPackagePurpose")]
    primary_package_purpose: Option<String>,
    #[serde(rename = "sourceInfo")]
    source_info: Option<String>,
    #[serde(rename = "externalRefs")]
    external_refs: Option<Vec<Object<JsonExternalRef>>>,
}

#[derive(Deserialize)]
struct JsonExternalRef {
    #[serde(rename = "referenceCategory")]
    reference_category: String,
    #[serde(rename = "referenceType")]
    reference_type: String,
    #[serde(rename = "referenceLocator")]
    reference_locator: String,
}

#[derive(Deserialize)]
struct JsonRelationship {
    #[serde(rename = "spdxElementId")]
    spdx_element_id: String,
    #[serde(rename = "relationshipType")]
    relationship_type: String,
    #[serde(rename = "relatedSpdxElement")]
    related_spdx_element: String,
}

pub(super) fn parse(file: &str, bytes: &[u8]) -> Result<Document, ImportError> {
    let Object(raw): Object<JsonDocument> = crate::formats::json(file, bytes)?;
    let root = Location::JsonPath("$".to_owned());
    let Some(version) = raw.spdx_version else {
        let reason = if raw.context.is_some() {
            "no spdxVersion: this looks like an SPDX 3 JSON-LD document; only SPDX 2.2 and 2.3 \
             are supported"
        } else {
            "missing field `spdxVersion`: not an SPDX 2.x JSON document"
        };
        return Err(ImportError::invalid(file, root, reason));
    };
    check_version(&version).map_err(|reason| {
        ImportError::invalid(file, Location::JsonPath("$.spdxVersion".to_owned()), reason)
    })?;
    let Some(name) = raw.name else {
        return Err(ImportError::invalid(
            file,
            root,
            "missing field `name` (the document name)",
        ));
    };

    let mut packages = Vec::new();
    for (i, Object(p)) in raw.packages.unwrap_or_default().into_iter().enumerate() {
        let path = format!("$.packages[{i}]");
        if p.name.trim().is_empty() {
            return Err(ImportError::invalid(
                file,
                Location::JsonPath(format!("{path}.name")),
                "empty package name",
            ));
        }
        let refs = p
            .external_refs
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(j, Object(r))| ExternalRef {
                category: r.reference_category,
                kind: r.reference_type,
                locator: r.reference_locator,
                location: Location::JsonPath(format!("{path}.externalRefs[{j}].referenceLocator")),
            })
            .collect();
        packages.push(Package {
            id: p.spdx_id,
            name: p.name,
            version: p.version_info,
            supplier: p.supplier,
            originator: p.originator,
            purpose: p.primary_package_purpose,
            source_info: p.source_info,
            refs,
            location: Location::JsonPath(path),
        });
    }

    Ok(Document {
        id: raw
            .spdx_id
            .map_or_else(|| "SPDXRef-DOCUMENT".to_owned(), |id| id.trim().to_owned()),
        name,
        describes: raw.document_describes.unwrap_or_default(),
        packages,
        relationships: raw
            .relationships
            .unwrap_or_default()
            .into_iter()
            .map(|Object(r)| Relationship {
                from: r.spdx_element_id,
                kind: r.relationship_type,
                to: r.related_spdx_element,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use crate::model::{AssetKind, Location};
    use crate::{ImportErrorKind, Inventory};

    fn import(json: &str) -> Inventory {
        super::super::import_json("t.json", json.as_bytes()).expect("imports")
    }

    fn error(json: &str) -> crate::ImportError {
        super::super::import_json("t.json", json.as_bytes()).expect_err("fails")
    }

    fn path(p: &str) -> Option<Location> {
        Some(Location::JsonPath(p.to_owned()))
    }

    const TRIVY_23: &str = r#"{
      "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "alpine:3.19",
      "packages": [
        {"SPDXID": "SPDXRef-ContainerImage-1", "name": "alpine:3.19",
         "primaryPackagePurpose": "CONTAINER",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:oci/alpine@sha256%3Aabc"}]},
        {"SPDXID": "SPDXRef-OperatingSystem-2", "name": "alpine", "versionInfo": "3.19.1",
         "primaryPackagePurpose": "OPERATING-SYSTEM"},
        {"SPDXID": "SPDXRef-Package-3", "name": "musl", "versionInfo": "1.2.4-r2",
         "supplier": "Organization: Alpine (a@alpine.example)",
         "externalRefs": [
           {"referenceCategory": "SECURITY", "referenceType": "cpe22Type",
            "referenceLocator": "cpe:/a:musl-libc:musl:1.2.4"},
           {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
            "referenceLocator": "cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:*"},
           {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64"},
           {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:apk/alpine/other@1"}]}
      ],
      "relationships": [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": "SPDXRef-ContainerImage-1"},
        {"spdxElementId": "SPDXRef-ContainerImage-1", "relationshipType": "CONTAINS",
         "relatedSpdxElement": "SPDXRef-OperatingSystem-2"}
      ]
    }"#;

    #[test]
    fn container_image_with_os() {
        let inv = import(TRIVY_23);
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("alpine:3.19"));
        assert_eq!(asset.kind, Some(AssetKind::Host));
        let os = asset.os.as_ref().expect("os");
        assert_eq!(
            (os.id.as_str(), os.version_id.as_deref()),
            ("alpine", Some("3.19.1"))
        );
        // The image (despite its pkg:oci purl) and the OS are not components.
        assert_eq!(asset.components.len(), 1);
        let musl = &asset.components[0];
        assert_eq!(musl.name, "musl");
        assert_eq!(musl.version.as_deref(), Some("1.2.4-r2"));
        assert_eq!(
            musl.purl.as_deref(),
            Some("pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64")
        );
        // cpe23Type wins over an earlier cpe22Type.
        assert_eq!(
            musl.cpe.as_deref(),
            Some("cpe:2.3:a:musl-libc:musl:1.2.4:*:*:*:*:*:*:*")
        );
        assert_eq!(musl.vendor.as_deref(), Some("Alpine"));
        assert_eq!(
            musl.source.location,
            Location::JsonPath("$.packages[2]".into())
        );
    }

    #[test]
    fn cpe22_only_is_converted() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.2", "name": "d", "packages": [
                {"SPDXID": "SPDXRef-a", "name": "log4j-core", "versionInfo": "2.14.1",
                 "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe22Type",
                                   "referenceLocator": "cpe:/a:apache:log4j:2.14.1"}]}]}"#,
        );
        assert_eq!(
            inv.assets[0].components[0].cpe.as_deref(),
            Some("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*")
        );
    }

    #[test]
    fn described_package_with_purl_is_also_a_component() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.3", "name": "doc", "documentDescribes": ["SPDXRef-p"],
                "packages": [{"SPDXID": "SPDXRef-p", "name": "tools-java", "versionInfo": "1.5.1",
                  "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl", "referenceLocator": "pkg:github/spdx/tools-java@1"}]}]}"#,
        );
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("tools-java 1.5.1"));
        assert_eq!(asset.kind, None);
        assert_eq!(asset.components.len(), 1);
        assert_eq!(asset.components[0].name, "tools-java");
    }

    #[test]
    fn described_package_without_identifiers_is_only_the_asset() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.3", "name": "doc", "packages": [
                {"SPDXID": "SPDXRef-app", "name": "Zaaksysteem", "versionInfo": "4.2",
                 "primaryPackagePurpose": "APPLICATION"},
                {"SPDXID": "SPDXRef-lib", "name": "lib", "versionInfo": "1"}],
               "relationships": [{"spdxElementId": "SPDXRef-app", "relationshipType": "DESCRIBED_BY",
                                  "relatedSpdxElement": "SPDXRef-DOCUMENT"}]}"#,
        );
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("Zaaksysteem 4.2"));
        assert_eq!(asset.kind, Some(AssetKind::Application));
        assert_eq!(asset.components.len(), 1);
        assert_eq!(asset.components[0].name, "lib");
    }

    #[test]
    fn several_described_packages_are_components_of_the_document() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.2", "name": "modules",
                "documentDescribes": ["SPDXRef-a", "SPDXRef-b", "SPDXRef-missing"],
                "packages": [{"SPDXID": "SPDXRef-a", "name": "a"},
                             {"SPDXID": "SPDXRef-b", "name": "b"}]}"#,
        );
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("modules"));
        assert_eq!(asset.components.len(), 2);
    }

    #[test]
    fn grouping_nodes_are_skipped() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.3", "name": "repo", "packages": [
                {"SPDXID": "SPDXRef-App", "name": "Manifest.toml", "primaryPackagePurpose": "APPLICATION"},
                {"SPDXID": "SPDXRef-A", "name": "A", "versionInfo": "1"},
                {"SPDXID": "SPDXRef-Dir", "name": "vendor", "versionInfo": "NOASSERTION"},
                {"SPDXID": "SPDXRef-B", "name": "B", "versionInfo": "NOASSERTION"}],
               "relationships": [
                {"spdxElementId": "SPDXRef-App", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-A"},
                {"spdxElementId": "SPDXRef-B", "relationshipType": "CONTAINED_BY", "relatedSpdxElement": "SPDXRef-Dir"},
                {"spdxElementId": "SPDXRef-A", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-file"}]}"#,
        );
        let names: Vec<_> = inv.assets[0]
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref()))
            .collect();
        assert_eq!(names, [("A", Some("1")), ("B", None)]);
        // Nothing described: the document names the asset.
        assert_eq!(inv.assets[0].name.as_deref(), Some("repo"));
    }

    #[test]
    fn files_only_document_has_no_components() {
        let inv = import(
            r#"{"spdxVersion": "SPDX-2.3", "name": "files", "files": [{"fileName": "./a.c"}],
                "snippets": [], "documentDescribes": ["SPDXRef-file"]}"#,
        );
        assert_eq!(inv.component_count(), 0);
        assert_eq!(inv.assets[0].name.as_deref(), Some("files"));
    }

    #[test]
    fn unsupported_versions_are_named() {
        let err = error(r#"{"spdxVersion": "SPDX-3.0", "name": "x"}"#);
        assert_eq!(err.location, path("$.spdxVersion"));
        assert_eq!(err.kind, ImportErrorKind::Invalid);
        assert!(err.reason.contains("\"SPDX-3.0\""), "{err}");

        let err = error(
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#,
        );
        assert!(err.reason.contains("SPDX 3"), "{err}");
        let err = error(r#"{"name": "x"}"#);
        assert!(err.reason.contains("spdxVersion"), "{err}");
        assert!(
            import(r#"{"spdxVersion": "SPDX-2.1", "name": "x"}"#).assets[0]
                .components
                .is_empty()
        );
    }

    #[test]
    fn truncated_json_names_the_line() {
        let err = error("{\"spdxVersion\": \"SPDX-2.3\",\n\"packages\": [\n{\"name\": \"a\"");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert_eq!(err.location, Some(Location::Line(3)), "{err}");
    }

    #[test]
    fn wrong_shapes_name_the_json_path() {
        let err = error(r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": {"a": 1}}"#);
        assert_eq!(err.location, path("$.packages"), "{err}");

        let err = error(
            r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": [
                {"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": 2}]}"#,
        );
        assert_eq!(err.location, path("$.packages[1].versionInfo"), "{err}");

        let err = error(
            r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": [{"SPDXID": "SPDXRef-a"}]}"#,
        );
        assert_eq!(err.location, path("$.packages[0]"), "{err}");
        assert!(err.reason.contains("`name`"), "{err}");

        let err = error(
            r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": [{"SPDXID": "SPDXRef-a", "name": " "}]}"#,
        );
        assert_eq!(err.location, path("$.packages[0].name"), "{err}");

        let err = error(r#"{"spdxVersion": "SPDX-2.3", "packages": []}"#);
        assert_eq!(err.location, path("$"), "{err}");

        let err = error(
            r#"{"spdxVersion": "SPDX-2.3", "name": "x", "relationships": [{"spdxElementId": "a"}]}"#,
        );
        assert_eq!(err.location, path("$.relationships[0]"), "{err}");

        let err = error(r#"["SPDX-2.3", null, "x"]"#);
        assert_eq!(err.location, path("$"), "{err}");
        assert!(err.reason.contains("expected a JSON object"), "{err}");

        let err =
            error(r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": [["SPDXRef-a", "a"]]}"#);
        assert_eq!(err.location, path("$.packages[0]"), "{err}");
    }

    #[test]
    fn bad_cpe_names_the_reference() {
        let err = error(
            r#"{"spdxVersion": "SPDX-2.3", "name": "x", "packages": [{"SPDXID": "SPDXRef-a", "name": "a",
                "externalRefs": [{"referenceCategory": "OTHER", "referenceType": "x", "referenceLocator": "y"},
                                 {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                                  "referenceLocator": "openssl 1.0"}]}]}"#,
        );
        assert_eq!(
            err.location,
            path("$.packages[0].externalRefs[1].referenceLocator"),
            "{err}"
        );
    }
}
