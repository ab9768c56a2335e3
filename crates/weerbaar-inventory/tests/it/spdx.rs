//! SPDX importer on real documents: spdx/spdx-examples, trivy and osv-scanner output.
//!
//! Expected package counts were checked outside Rust: `grep -c '^PackageName:'` for tag-value,
//! and a short python3 script over `json.load(...)["packages"]` applying the documented rules
//! (OS packages and the identifier-less described package and grouping nodes are not components).

use std::path::Path;

use proptest::prelude::*;
use weerbaar_fixtures::{fixture, fixtures_in};
use weerbaar_inventory::model::{AssetKind, Component, Location};
use weerbaar_inventory::{
    Format, ImportError, ImportErrorKind, ImportOptions, Inventory, import_bytes, import_file,
};

fn options(format: Format) -> ImportOptions {
    ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    }
}

/// Imports with format detection, and checks detection picked SPDX.
fn import(path: &Path) -> Inventory {
    let inventory = import_file(path, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        matches!(inventory.format, Format::SpdxJson | Format::SpdxTagValue),
        "{}: detected as {}",
        path.display(),
        inventory.format
    );
    inventory
}

fn find<'a>(inventory: &'a Inventory, name: &str) -> &'a Component {
    inventory.assets[0]
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn json_path(p: &str) -> Location {
    Location::JsonPath(p.to_owned())
}

/// Every file of spdx-examples: (file name, packages in the file, components, asset name).
const EXAMPLES: &[(&str, usize, usize, &str)] = &[
    (
        "presentations_OSS-NA-2023_SPDXVersion2.3_01-MinimalSBOM.json",
        1,
        1,
        "tools-java 1.5.1",
    ),
    (
        "presentations_OSS-NA-2023_SPDXVersion2.3_02-SBOMwSource.json",
        1,
        1,
        "tools-java 1.5.1",
    ),
    (
        "presentations_OSS-NA-2023_SPDXVersion2.3_03-SBOMwDependency.json",
        2,
        2,
        "tools-java 1.5.1",
    ),
    (
        "presentations_OSS-NA-2023_SPDXVersion2.3_04-SBOMwSecurity.json",
        2,
        2,
        "tools-java 1.5.1",
    ),
    (
        "presentations_OSS-NA-2023_SPDXVersion2.3_05-SBOMwSourceLicense.json",
        1,
        1,
        "tools-java 1.5.1",
    ),
    (
        "presentations_SBOMS-SPDX-Now-and-Future_ACME-v2.3.spdx.json",
        4,
        3,
        "Acme Applcation 2.3",
    ),
    (
        "software_example10_spdx2.3_hello-source.spdx.json",
        1,
        0,
        "hello",
    ),
    (
        "software_example11_spdx2.3_sbom.spdx.json",
        4,
        4,
        "hello-server-src 0.1.0",
    ),
    (
        "software_example12_spdx2.2_hello-dist.spdx.json",
        1,
        0,
        "hello 0.0.1",
    ),
    (
        "software_example12_spdx2.2_hello-src.spdx.json",
        1,
        0,
        "hello 0.0.1",
    ),
    (
        "software_example14_content_examplemaven-0.0.1.spdx.json",
        6,
        5,
        "examplemaven 0.0.1",
    ),
    (
        "software_example14_spdx2.3_examplemaven-0.0.1-enriched.spdx.json",
        6,
        5,
        "examplemaven 0.0.1",
    ),
    ("software_example1_spdx2.2_example1.spdx", 1, 0, "hello"),
    (
        "software_example2_spdx2.2_example2-bin.spdx",
        1,
        0,
        "hello-bin",
    ),
    (
        "software_example2_spdx2.2_example2-src.spdx",
        1,
        0,
        "hello-src",
    ),
    (
        "software_example3_spdx2.2_example3-bin.spdx",
        1,
        0,
        "main-bin",
    ),
    (
        "software_example3_spdx2.2_example3-src.spdx",
        1,
        0,
        "main-src",
    ),
    (
        "software_example4_spdx2.2_example4-bin.spdx",
        3,
        2,
        "main-bin",
    ),
    (
        "software_example4_spdx2.2_example4-src.spdx",
        1,
        0,
        "main-src",
    ),
    (
        "software_example5_spdx2.2_example5-bin.spdx",
        1,
        0,
        "hello-go-bin",
    ),
    (
        "software_example5_spdx2.2_example5-src.spdx",
        1,
        0,
        "hello-go-src",
    ),
    (
        "software_example6_spdx2.2_example6-bin.spdx",
        1,
        0,
        "hello-go-bin",
    ),
    (
        "software_example6_spdx2.2_example6-lib.spdx",
        5,
        4,
        "go-1.15 1.15.4",
    ),
    (
        "software_example6_spdx2.2_example6-src.spdx",
        1,
        0,
        "hello-go-src",
    ),
    (
        "software_example7_spdx2.2_example7-bin.spdx.json",
        1,
        0,
        "hello",
    ),
    (
        "software_example7_spdx2.2_example7-go-module.spdx.json",
        1,
        0,
        "example.com/hello",
    ),
    (
        "software_example7_spdx2.2_example7-golang.spdx.json",
        2,
        1,
        "go1.16.4.linux-amd64 1.16.4",
    ),
    (
        "software_example7_spdx2.2_example7-third-party-modules.spdx.json",
        3,
        3,
        "hello-imports.spdx.json",
    ),
    (
        "software_example8_spdx2.3_examplemaven-0.0.1.spdx.json",
        6,
        5,
        "examplemaven 0.0.1",
    ),
    (
        "software_example9_spdx2.2_appbomination.spdx.json",
        7,
        6,
        "App-BOM-ination 1.0",
    ),
];

#[test]
fn every_spdx_example_imports() {
    let Some(files) = fixtures_in("sbom/spdx-examples", "") else {
        return;
    };
    assert_eq!(
        files.len(),
        EXAMPLES.len(),
        "the table must list every file"
    );
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let &(_, _, components, asset) = EXAMPLES
            .iter()
            .find(|e| e.0 == name)
            .unwrap_or_else(|| panic!("{name} is not in the table"));
        let inventory = import(path);
        let expected = if name.ends_with(".json") {
            Format::SpdxJson
        } else {
            Format::SpdxTagValue
        };
        assert_eq!(inventory.format, expected, "{name}");
        assert_eq!(inventory.assets.len(), 1, "{name}");
        assert_eq!(inventory.component_count(), components, "{name}");
        assert_eq!(inventory.assets[0].name.as_deref(), Some(asset), "{name}");
        for c in &inventory.assets[0].components {
            assert_eq!(c.source.file, path.display().to_string());
            assert!(!c.name.is_empty());
        }
    }
    let packages: usize = EXAMPLES.iter().map(|e| e.1).sum();
    let components: usize = EXAMPLES.iter().map(|e| e.2).sum();
    assert_eq!((packages, components), (68, 45));
}

#[test]
fn spdx_example_components() {
    let Some(path) =
        fixture("sbom/spdx-examples/software_example9_spdx2.2_appbomination.spdx.json")
    else {
        return;
    };
    let inv = import(&path);
    let asset = &inv.assets[0];
    assert_eq!(asset.kind, None);
    assert!(asset.os.is_none());
    let junit = find(&inv, "junit");
    assert_eq!(junit.version.as_deref(), Some("4.12"));
    assert_eq!(junit.purl.as_deref(), Some("pkg:maven/junit/junit@4.12"));
    assert_eq!(junit.source.location, json_path("$.packages[5]"));
    // Contains only files, so it is not a grouping node.
    assert_eq!(find(&inv, "Gradle").version, None);
    assert!(asset.components.iter().all(|c| c.name != "App-BOM-ination"));

    let Some(path) =
        fixture("sbom/spdx-examples/presentations_SBOMS-SPDX-Now-and-Future_ACME-v2.3.spdx.json")
    else {
        return;
    };
    let inv = import(&path);
    assert_eq!(inv.assets[0].kind, Some(AssetKind::Application));
    let openssl = find(&inv, "OpenSSL");
    assert_eq!(openssl.version.as_deref(), Some("3.0.4"));
    assert_eq!(openssl.purl.as_deref(), Some("pkg:alpine/openssl@3.0.4"));
    assert_eq!(openssl.source.location, json_path("$.packages[3]"));

    let Some(path) = fixture(
        "sbom/spdx-examples/presentations_OSS-NA-2023_SPDXVersion2.3_04-SBOMwSecurity.json",
    ) else {
        return;
    };
    let inv = import(&path);
    // The described package has a purl, so it is a component as well as the asset.
    let tools = find(&inv, "tools-java");
    assert_eq!(
        tools.purl.as_deref(),
        Some("pkg:github/spdx/tools-java@2235d5d7f7fe46ce1e0d54b7831c5681633b25cc")
    );
    assert_eq!(tools.vendor.as_deref(), Some("SPDX"));
    assert_eq!(tools.source.location, json_path("$.packages[0]"));
    let xlsx = find(&inv, "xlsx");
    assert_eq!(xlsx.vendor.as_deref(), Some("Webjar"));
    assert_eq!(
        xlsx.purl.as_deref(),
        Some("pkg:maven/org.webjars.npm/xlsx@0.16.6")
    );
    assert_eq!(xlsx.cpe, None);
}

#[test]
fn spdx_tag_value_components() {
    let Some(path) = fixture("sbom/spdx-examples/software_example6_spdx2.2_example6-lib.spdx")
    else {
        return;
    };
    let inv = import(&path);
    let names: Vec<_> = inv.assets[0]
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.version.as_deref(),
                c.source.location.clone(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("go", Some("1.15.4"), Location::Line(31)),
            ("go.fmt", Some("1.15.4"), Location::Line(46)),
            ("go.reflect", Some("1.15.4"), Location::Line(58)),
            ("go.strconv", Some("1.15.4"), Location::Line(69)),
        ]
    );

    // This file ends with a 40-line <text> licence containing lines like "met:".
    let Some(path) = fixture("sbom/spdx-examples/software_example4_spdx2.2_example4-bin.spdx")
    else {
        return;
    };
    let inv = import(&path);
    let libc = find(&inv, "libc");
    assert_eq!(libc.version, None);
    assert_eq!(libc.source.location, Location::Line(48));
    assert_eq!(find(&inv, "libdl").source.location, Location::Line(57));
}

#[test]
fn trivy_centos_container() {
    let Some(path) = fixture("sbom/trivy/centos-7-spdx.json") else {
        return;
    };
    let inv = import(&path);
    let asset = &inv.assets[0];
    assert_eq!(
        asset.name.as_deref(),
        Some("integration/testdata/fixtures/images/centos-7.tar.gz")
    );
    assert_eq!(asset.kind, Some(AssetKind::Host));
    let os = asset
        .os
        .as_ref()
        .expect("os from SPDXRef-OperatingSystem-…");
    assert_eq!(os.id, "centos");
    assert_eq!(os.version_id.as_deref(), Some("7.6.1810"));
    assert_eq!(asset.components.len(), 2);

    let bash = find(&inv, "bash");
    assert_eq!(bash.version.as_deref(), Some("4.2.46"));
    assert_eq!(
        bash.purl.as_deref(),
        Some("pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810")
    );
    assert_eq!(bash.source_name.as_deref(), Some("bash"));
    assert_eq!(bash.source_version.as_deref(), Some("4.2.46-31.el7"));
    assert_eq!(bash.ecosystem, None);
    assert_eq!(bash.source.location, json_path("$.packages[2]"));

    let openssl = find(&inv, "openssl-libs");
    assert_eq!(openssl.version.as_deref(), Some("1:1.0.2k-19.el7"));
    assert_eq!(
        openssl.purl.as_deref(),
        Some(
            "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810"
        )
    );
    assert_eq!(openssl.source_version.as_deref(), Some("1:1.0.2k-16.el7"));
    assert_eq!(openssl.source.location, json_path("$.packages[3]"));
}

#[test]
fn trivy_conda_and_julia() {
    let Some(path) = fixture("sbom/trivy/conda-spdx.json") else {
        return;
    };
    let inv = import(&path);
    let asset = &inv.assets[0];
    assert_eq!(asset.name.as_deref(), Some("testdata/fixtures/repo/conda"));
    assert_eq!(asset.kind, None);
    assert!(asset.os.is_none());
    assert_eq!(asset.components.len(), 2);
    let pip = find(&inv, "pip");
    assert_eq!(pip.version.as_deref(), Some("22.2.2"));
    assert_eq!(pip.purl.as_deref(), Some("pkg:conda/pip@22.2.2"));
    assert_eq!(pip.vendor, None, "NOASSERTION is no vendor");
    assert_eq!(pip.source.location, json_path("$.packages[1]"));

    let Some(path) = fixture("sbom/trivy/julia-spdx.json") else {
        return;
    };
    let inv = import(&path);
    let found: Vec<_> = inv.assets[0]
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.purl.as_deref(),
                c.source.location.clone(),
            )
        })
        .collect();
    // Manifest.toml (a grouping node) and the described filesystem are not components; the two
    // B packages differ by uuid and are both kept.
    assert_eq!(
        found,
        [
            (
                "A",
                Some("pkg:julia/A@1.9.0?uuid=ead4f63c-334e-11e9-00e6-e7f0a5f21b60"),
                json_path("$.packages[1]")
            ),
            (
                "B",
                Some("pkg:julia/B@1.9.0?uuid=f41f7b98-334e-11e9-1257-49272045fb24"),
                json_path("$.packages[2]")
            ),
            (
                "B",
                Some("pkg:julia/B@1.9.0?uuid=edca9bc6-334e-11e9-3554-9595dbb4349c"),
                json_path("$.packages[3]")
            ),
        ]
    );
}

#[test]
fn osv_scanner_scalibr_document() {
    let Some(path) = fixture("sbom/osv-scanner/only-unimportant.spdx.json") else {
        return;
    };
    let inv = import(&path);
    let asset = &inv.assets[0];
    // Nothing is described (empty relationships), so the document names the asset.
    assert_eq!(asset.name.as_deref(), Some("SCALIBR-generated SPDX"));
    assert_eq!(asset.components.len(), 1);
    let pcre = &asset.components[0];
    assert_eq!(pcre.name, "libpcre3");
    assert_eq!(pcre.version.as_deref(), Some("2:8.39-12ubuntu0.1"));
    assert_eq!(
        pcre.purl.as_deref(),
        Some("pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3")
    );
    assert_eq!(pcre.source_name, None, "sourceInfo is prose here");
    assert_eq!(pcre.source.location, json_path("$.packages[0]"));
}

fn read(relative: &str) -> Option<(String, Vec<u8>)> {
    let path = fixture(relative)?;
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some((path.display().to_string(), bytes))
}

fn import_error(file: &str, bytes: &[u8], format: Format) -> ImportError {
    import_bytes(file, bytes, &options(format)).expect_err("must fail")
}

#[test]
fn truncated_real_json_is_a_located_syntax_error() {
    let Some((file, bytes)) = read("sbom/trivy/centos-7-spdx.json") else {
        return;
    };
    let half = bytes.get(..bytes.len() / 2).unwrap_or_default();
    let err = import_error(&file, half, Format::SpdxJson);
    assert_eq!(err.kind, ImportErrorKind::Syntax, "{err}");
    let lines = half.iter().filter(|&&b| b == b'\n').count() + 1;
    assert_eq!(err.location, Some(Location::Line(lines)), "{err}");
    assert!(err.to_string().starts_with(&file), "{err}");
}

#[test]
fn packages_not_an_array_is_a_json_path_error() {
    let Some((file, bytes)) = read("sbom/trivy/conda-spdx.json") else {
        return;
    };
    let text = String::from_utf8(bytes).expect("utf-8");
    let broken = text.replacen("\"packages\": [", "\"packages\": {\"x\": [", 1);
    let broken = broken.replacen("\n  ],\n  \"files\"", "\n  ]},\n  \"files\"", 1);
    assert_ne!(broken, text);
    let err = import_error(&file, broken.as_bytes(), Format::SpdxJson);
    assert_eq!(err.kind, ImportErrorKind::Invalid, "{err}");
    assert_eq!(err.location, Some(json_path("$.packages")), "{err}");
}

#[test]
fn unsupported_version_in_a_real_document() {
    let Some((file, bytes)) = read("sbom/trivy/julia-spdx.json") else {
        return;
    };
    let text = String::from_utf8(bytes).expect("utf-8");
    let err = import_error(
        &file,
        text.replacen("SPDX-2.3", "SPDX-3.0", 1).as_bytes(),
        Format::SpdxJson,
    );
    assert_eq!(err.location, Some(json_path("$.spdxVersion")), "{err}");
    assert!(err.reason.contains("SPDX-3.0"), "{err}");
}

#[test]
fn unterminated_text_in_a_real_tag_value_document() {
    let Some((file, bytes)) =
        read("sbom/spdx-examples/software_example6_spdx2.2_example6-lib.spdx")
    else {
        return;
    };
    let text = String::from_utf8(bytes).expect("utf-8");
    let start = text
        .lines()
        .position(|l| l.starts_with("ExtractedText: <text>"))
        .expect("has a <text>")
        + 1;
    let err = import_error(
        &file,
        text.replace("</text>", "").as_bytes(),
        Format::SpdxTagValue,
    );
    assert_eq!(err.kind, ImportErrorKind::Syntax, "{err}");
    assert_eq!(err.location, Some(Location::Line(start)), "{err}");

    let err = import_error(
        &file,
        text.replacen("SPDX-2.2", "SPDX-1.2", 1).as_bytes(),
        Format::SpdxTagValue,
    );
    assert_eq!(err.location, Some(Location::Line(1)), "{err}");
}

const JSON_SAMPLE: &str = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "n",
 "documentDescribes": ["SPDXRef-a"],
 "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1", "supplier": "Person: p (x@y)",
   "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe22Type", "referenceLocator": "cpe:/a:v:p:1"},
                    {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/a@1"}]},
  {"SPDXID": "SPDXRef-os", "name": "debian", "versionInfo": "12", "primaryPackagePurpose": "OPERATING-SYSTEM"}],
 "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-a"},
   {"spdxElementId": "SPDXRef-a", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-a"}]}"#;

const TAG_VALUE_SAMPLE: &str = "SPDXVersion: SPDX-2.2\nDocumentName: n\nSPDXID: SPDXRef-DOCUMENT\n\
PackageName: a\nSPDXID: SPDXRef-a\nPackageVersion: 1\nPackageSupplier: Organization: o ()\n\
ExternalRef: SECURITY cpe22Type cpe:/a:v:p:1:u:~a~b~c~d~e\nExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1\n\
PackageComment: <text>x\ny: z\n</text>\nRelationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\n\
FileName: f\nSPDXID: SPDXRef-f\n";

#[test]
fn samples_import() {
    let inv = import_bytes("s.json", JSON_SAMPLE.as_bytes(), &ImportOptions::default())
        .expect("json sample");
    assert_eq!(inv.component_count(), 1);
    let inv = import_bytes(
        "s.spdx",
        TAG_VALUE_SAMPLE.as_bytes(),
        &ImportOptions::default(),
    )
    .expect("tag-value sample");
    assert_eq!(inv.format, Format::SpdxTagValue);
    assert_eq!(
        inv.assets[0].components[0].cpe.as_deref(),
        Some("cpe:2.3:a:v:p:1:u:a:*:b:c:d:e")
    );
}

/// Sample text with one edit: cut, an inserted string, or a byte replaced.
fn mutated(sample: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (0..=sample.len(), 0..=sample.len(), ".{0,12}", any::<u8>()).prop_map(
        move |(a, b, insert, byte)| {
            let (start, end) = (a.min(b), a.max(b));
            let bytes = sample.as_bytes();
            let mut out = Vec::with_capacity(bytes.len() + insert.len());
            out.extend_from_slice(bytes.get(..start).unwrap_or_default());
            match byte % 3 {
                0 => {}
                1 => out.extend_from_slice(insert.as_bytes()),
                _ => out.push(byte),
            }
            out.extend_from_slice(bytes.get(end..).unwrap_or_default());
            out
        },
    )
}

fn never_panics(bytes: &[u8]) {
    for format in [Format::SpdxJson, Format::SpdxTagValue] {
        let _ = import_bytes("p", bytes, &options(format));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        never_panics(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(SPDXVersion: SPDX-2\\.[123]\n|DocumentName: d\n|PackageName: .{0,5}\n|SPDXID: SPDXRef-[ab]\n|ExternalRef: [A-Z_-]{0,9} (purl|cpe22Type|cpe23Type) .{0,20}\n|Relationship: .{0,30}\n|<text>|</text>|\n|.{0,10}:.{0,10}\n){0,24}") {
        never_panics(text.as_bytes());
    }

    #[test]
    fn mutated_json_never_panics(bytes in mutated(JSON_SAMPLE)) {
        never_panics(&bytes);
    }

    #[test]
    fn mutated_tag_value_never_panics(bytes in mutated(TAG_VALUE_SAMPLE)) {
        never_panics(&bytes);
    }
}
