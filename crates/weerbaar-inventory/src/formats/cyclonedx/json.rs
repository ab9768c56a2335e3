//! CycloneDX JSON: tolerant serde structs over only the fields an inventory needs.
//!
//! Strings are borrowed from the input ([`Str`]) and copied once, into the [`Component`]s that
//! are kept; fields that are not declared here are skipped by serde without being built, so the
//! cost of a BOM is dominated by tokenising it.
//!
//! [`Component`]: crate::model::Component

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::{Collector, Entry, PropKey, Props, Vendors, check_spec_version};
use crate::model::Location;
use crate::{Format, ImportError, ImportErrorKind, Inventory};

pub(super) fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let bom = parse(file, bytes)?;
    match bom.bom_format.as_ref().map(|f| f.0.trim()) {
        Some("CycloneDX") => {}
        Some(other) => {
            return Err(ImportError::new(
                file,
                ImportErrorKind::UnknownFormat,
                format!("not a CycloneDX BOM: bomFormat is {other:?}, expected \"CycloneDX\""),
            )
            .at(Location::JsonPath("$.bomFormat".into())));
        }
        None => {
            return Err(ImportError::new(
                file,
                ImportErrorKind::UnknownFormat,
                "not a CycloneDX BOM: the required \"bomFormat\": \"CycloneDX\" is missing",
            )
            .at(Location::JsonPath("$".into())));
        }
    }
    let Some(spec_version) = &bom.spec_version else {
        return Err(ImportError::invalid(
            file,
            Location::JsonPath("$".into()),
            "the required \"specVersion\" is missing",
        ));
    };
    check_spec_version(
        file,
        &spec_version.0,
        Location::JsonPath("$.specVersion".into()),
    )?;

    let mut collector = Collector::new(file);
    collector.components.reserve(bom.components.len());
    let mut path = String::with_capacity(64);
    let meta = bom.metadata.as_ref().and_then(|m| m.component.as_ref());
    if let Some(meta) = meta {
        path.push_str("$.metadata.component.components");
        walk(&meta.components, &mut path, &mut collector);
    }
    path.clear();
    path.push_str("$.components");
    walk(&bom.components, &mut path, &mut collector);
    let meta = meta.map(|m| entry(m, Location::JsonPath("$.metadata.component".into())));
    Ok(collector.finish(Format::CycloneDxJson, meta))
}

/// Parses the BOM; only a document that fails is parsed again, with path tracking, to locate
/// the error: tracking costs a third of the parse and is wasted on the common, valid, case.
fn parse<'a>(file: &str, bytes: &'a [u8]) -> Result<Bom<'a>, ImportError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match serde_json::from_slice(body) {
        Ok(bom) => Ok(bom),
        Err(e) => match crate::formats::json::<Bom<'_>>(file, bytes) {
            Err(located) => Err(located),
            // Unreachable in practice: both parse the same bytes into the same type.
            Ok(_) => Err(ImportError::new(
                file,
                ImportErrorKind::Syntax,
                e.to_string(),
            )),
        },
    }
}

/// Flattens `components` in document order, parents before their children; `path` is the JSON
/// path of the array and is restored before returning.
fn walk<'a>(components: &'a [Component<'a>], path: &mut String, collector: &mut Collector<'_>) {
    let base = path.len();
    for (i, component) in components.iter().enumerate() {
        use std::fmt::Write as _;
        let _ = write!(path, "[{i}]");
        collector.push(entry(component, Location::JsonPath(path.clone())));
        if !component.components.is_empty() {
            path.push_str(".components");
            walk(&component.components, path, collector);
        }
        path.truncate(base);
    }
}

fn entry<'a>(c: &'a Component<'a>, location: Location) -> Entry<'a> {
    let borrow = |s: &'a Option<Str<'a>>| s.as_ref().map(|s| Cow::Borrowed(&*s.0));
    let party = |p: &'a Option<Party<'a>>| p.as_ref().and_then(|p| borrow(&p.name));
    let mut props = Props::default();
    for property in &c.properties {
        if let (Some(name), Some(value)) = (&property.name, &property.value)
            && let Some(key) = PropKey::of(&name.0)
        {
            props.set(key, Cow::Borrowed(&value.0));
        }
    }
    Entry {
        kind: borrow(&c.kind),
        name: Cow::Borrowed(&c.name.0),
        version: borrow(&c.version),
        description: borrow(&c.description),
        purl: borrow(&c.purl),
        cpe: borrow(&c.cpe),
        vendors: Vendors {
            manufacturer: party(&c.manufacturer),
            publisher: borrow(&c.publisher),
            supplier: party(&c.supplier),
            author: borrow(&c.author),
            first_author: c.authors.first().and_then(|a| borrow(&a.name)),
        },
        props,
        location,
    }
}

#[derive(Deserialize)]
struct Bom<'a> {
    #[serde(rename = "bomFormat", borrow, default)]
    bom_format: Option<Str<'a>>,
    #[serde(rename = "specVersion", borrow, default)]
    spec_version: Option<Str<'a>>,
    #[serde(borrow, default)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow, default, deserialize_with = "list")]
    components: Vec<Component<'a>>,
}

#[derive(Deserialize)]
struct Metadata<'a> {
    #[serde(borrow, default)]
    component: Option<Component<'a>>,
}

#[derive(Deserialize)]
struct Component<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    description: Option<Str<'a>>,
    #[serde(borrow, default)]
    purl: Option<Str<'a>>,
    #[serde(borrow, default)]
    cpe: Option<Str<'a>>,
    #[serde(borrow, default)]
    publisher: Option<Str<'a>>,
    /// A plain string up to 1.5 (deprecated in 1.6 for `authors`).
    #[serde(borrow, default)]
    author: Option<Str<'a>>,
    #[serde(borrow, default)]
    supplier: Option<Party<'a>>,
    /// 1.6.
    #[serde(borrow, default)]
    manufacturer: Option<Party<'a>>,
    /// 1.6.
    #[serde(borrow, default, deserialize_with = "list")]
    authors: Vec<Party<'a>>,
    #[serde(borrow, default, deserialize_with = "list")]
    properties: Vec<Property<'a>>,
    #[serde(borrow, default, deserialize_with = "list")]
    components: Vec<Component<'a>>,
}

/// An organizational entity or contact; only its name is wanted.
#[derive(Deserialize)]
struct Party<'a> {
    #[serde(borrow, default)]
    name: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Property<'a> {
    #[serde(borrow, default)]
    name: Option<Str<'a>>,
    #[serde(borrow, default)]
    value: Option<Str<'a>>,
}

/// An array, or `null` for an empty one (some producers write `"components": null`).
fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// A string borrowed from the input unless it contains escapes.
///
/// serde's `#[serde(borrow)]` only borrows a `Cow<str>` that is a field's whole type, not one
/// inside an `Option`; this newtype borrows wherever it is.
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssetKind;

    fn import_str(json: &str) -> Result<Inventory, ImportError> {
        import("bom.json", json.as_bytes())
    }

    fn path(err: &ImportError) -> &str {
        match &err.location {
            Some(Location::JsonPath(p)) => p,
            other => panic!("expected a JSON path, got {other:?} ({err})"),
        }
    }

    #[test]
    fn nested_components_are_flattened_with_paths() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6",
            "metadata":{"component":{"type":"application","name":"portal","version":"2",
                "components":[{"type":"library","name":"inner","version":"0.1"}]}},
            "components":[
              {"type":"library","name":"a","version":"1"},
              {"type":"application","name":"b","components":[
                 {"type":"library","name":"c","version":"3","purl":"pkg:npm/c@3?x=1&y=2",
                  "components":[{"type":"framework","name":"d"}]}]}]}"#,
        )
        .expect("import");
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("portal"));
        assert_eq!(asset.kind, Some(AssetKind::Application));
        let got: Vec<(&str, String)> = asset
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.source.location.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("inner", "$.metadata.component.components[0]".to_owned()),
                ("a", "$.components[0]".to_owned()),
                ("b", "$.components[1]".to_owned()),
                ("c", "$.components[1].components[0]".to_owned()),
                (
                    "d",
                    "$.components[1].components[0].components[0]".to_owned()
                ),
            ]
        );
        assert_eq!(
            asset.components[3].purl.as_deref(),
            Some("pkg:npm/c@3?x=1&y=2")
        );
    }

    #[test]
    fn escaped_strings_are_decoded() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
              {"type":"library","name":"caf\u00e9","purl":"pkg:npm\/x@1"}]}"#,
        )
        .expect("import");
        let c = &inv.assets[0].components[0];
        assert_eq!(c.name, "café");
        assert_eq!(c.purl.as_deref(), Some("pkg:npm/x@1"));
    }

    #[test]
    fn vendor_preference_and_null_lists() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
              {"type":"library","name":"a","supplier":{"name":"Sup"},"publisher":"Pub",
               "properties":null,"components":null},
              {"type":"library","name":"b","supplier":{"name":" Sup "},"author":"Au"},
              {"type":"library","name":"c","authors":[{"name":"First"},{"name":"Second"}]},
              {"type":"library","name":"d","manufacturer":{"name":"Maker"},"publisher":"Pub"},
              {"type":"library","name":"e","publisher":"","supplier":{"url":["x"]}}]}"#,
        )
        .expect("import");
        let vendors: Vec<Option<&str>> = inv.assets[0]
            .components
            .iter()
            .map(|c| c.vendor.as_deref())
            .collect();
        assert_eq!(
            vendors,
            [Some("Pub"), Some("Sup"), Some("First"), Some("Maker"), None]
        );
    }

    #[test]
    fn operating_system_component_sets_the_os() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.5",
            "metadata":{"component":{"type":"container","name":"img:1"}},
            "components":[
              {"type":"operating-system","name":"debian","version":"12.5"},
              {"type":"operating-system","name":"alpine","version":"3.19"},
              {"type":"library","name":"bash","version":"5.2.15-2+b2",
               "purl":"pkg:deb/debian/bash@5.2.15-2%2Bb2?distro=debian-12.5",
               "properties":[{"name":"aquasecurity:trivy:SrcName","value":"bash"},
                             {"name":"aquasecurity:trivy:SrcVersion","value":"5.2.15"},
                             {"name":"aquasecurity:trivy:SrcRelease","value":"2"}]}]}"#,
        )
        .expect("import");
        let asset = &inv.assets[0];
        assert_eq!(asset.kind, Some(AssetKind::Host));
        let os = asset.os.as_ref().expect("os");
        assert_eq!(os.id, "debian");
        assert_eq!(os.version_id.as_deref(), Some("12.5"));
        assert_eq!(
            asset.components.len(),
            3,
            "the OS components are components too"
        );
        let bash = &asset.components[2];
        assert_eq!(bash.source_name.as_deref(), Some("bash"));
        assert_eq!(bash.source_version.as_deref(), Some("5.2.15-2"));
        assert_eq!(bash.ecosystem, None);
    }

    #[test]
    fn non_software_types_are_skipped_but_their_children_kept() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
              {"type":"device","name":"router","components":[
                {"type":"firmware","name":"fw","version":"1.0"}]},
              {"type":"file","name":"README"},
              {"type":"data","name":"dataset"},
              {"type":"machine-learning-model","name":"model"},
              {"type":"cryptographic-asset","name":"aes"},
              {"type":"device-driver","name":"drv"},
              {"type":"platform","name":"jvm"},
              {"type":"container","name":"img"},
              {"type":"something-new","name":"future"},
              {"name":"untyped"}]}"#,
        )
        .expect("import");
        let names: Vec<&str> = inv.assets[0]
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["fw", "drv", "jvm", "img", "future", "untyped"]);
        assert_eq!(
            inv.assets[0].components[0].source.location,
            Location::JsonPath("$.components[0].components[0]".into())
        );
    }

    #[test]
    fn duplicates_collapse_to_the_first_and_fill_gaps() {
        let inv = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":[
              {"bom-ref":"r1","type":"library","name":"zlib","version":"1.3","purl":"pkg:apk/alpine/zlib@1.3"},
              {"bom-ref":"r1","type":"library","name":"zlib","version":"1.2","purl":"pkg:apk/alpine/zlib@1.2"},
              {"type":"application","name":"app","components":[
                {"bom-ref":"r1","type":"library","name":"zlib","version":"1.3",
                 "purl":"pkg:apk/alpine/zlib@1.3","cpe":"cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*"}]},
              {"type":"library","name":"zlib","version":"1.3"}]}"#,
        )
        .expect("import");
        let c = &inv.assets[0].components;
        assert_eq!(c.len(), 4, "{c:#?}");
        assert_eq!(
            c[0].source.location,
            Location::JsonPath("$.components[0]".into())
        );
        assert_eq!(
            c[0].cpe.as_deref(),
            Some("cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*"),
            "filled from the later copy"
        );
        assert_eq!(
            c[1].version.as_deref(),
            Some("1.2"),
            "same bom-ref, differs: kept"
        );
        assert_eq!(c[2].name, "app");
        assert_eq!(c[3].purl, None, "no purl is a different key");
    }

    #[test]
    fn empty_boms_import_with_no_components() {
        let inv = import_str(r#"{"bomFormat":"CycloneDX","specVersion":"1.4","version":1}"#)
            .expect("import");
        assert_eq!(inv.component_count(), 0);
        assert_eq!(inv.assets[0].name, None);
    }

    #[test]
    fn format_and_version_are_checked() {
        let err = import_str(r#"{"spdxVersion":"SPDX-2.3","packages":[]}"#).expect_err("spdx");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert!(err.reason.contains("bomFormat"), "{err}");

        let err = import_str(r#"{"bomFormat":"SPDX","specVersion":"1.4"}"#).expect_err("spdx");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert_eq!(path(&err), "$.bomFormat");

        let err = import_str(r#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#).expect_err("2.0");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert_eq!(path(&err), "$.specVersion");

        let err = import_str(r#"{"bomFormat":"CycloneDX"}"#).expect_err("no version");
        assert_eq!(err.kind, ImportErrorKind::Invalid);
        assert!(err.reason.contains("specVersion"), "{err}");

        let err = import_str(r#"{"bomFormat":"CycloneDX","specVersion":1.4}"#).expect_err("number");
        assert_eq!(path(&err), "$.specVersion");

        let err = import_str("[]").expect_err("array");
        assert_eq!(path(&err), "$");
    }

    #[test]
    fn wrong_type_names_the_component_path() {
        let err = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
              {"type":"library","name":"a"},
              {"type":"application","name":"b","components":[{"type":"library","name":"c","version":3}]}]}"#,
        )
        .expect_err("bad version type");
        assert_eq!(err.kind, ImportErrorKind::Invalid);
        assert_eq!(path(&err), "$.components[1].components[0].version");
        assert!(err.reason.contains("expected a string"), "{err}");
    }

    #[test]
    fn missing_name_names_the_component() {
        let err = import_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
              {"type":"library","name":"a"},{"type":"library","version":"1"}]}"#,
        )
        .expect_err("no name");
        assert_eq!(path(&err), "$.components[1]");
        assert!(err.reason.contains("missing field `name`"), "{err}");
    }

    #[test]
    fn truncated_json_names_the_line() {
        let err = import_str(
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\n\"components\":[\n{\"type\":\"library\",\n\"name\":\"a\"",
        )
        .expect_err("truncated");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert_eq!(err.location, Some(Location::Line(4)), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut doc = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
        for _ in 0..10_000 {
            doc.push_str(r#"[{"name":"x","components":"#);
        }
        doc.push_str("[]");
        for _ in 0..10_000 {
            doc.push_str("}]");
        }
        doc.push('}');
        let err = import_str(&doc).expect_err("too deep");
        assert!(err.reason.contains("recursion limit"), "{err}");
    }
}
