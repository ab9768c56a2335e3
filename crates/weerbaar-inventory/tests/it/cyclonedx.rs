//! CycloneDX JSON and XML importers on real SBOMs, a generated 100k-component BOM, hostile XML
//! and arbitrary input.
//!
//! Every count asserted here was verified independently with Python (`json`/`xml.etree`) on the
//! fixture files before it was written down.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use weerbaar_fixtures::fixture;
use weerbaar_inventory::model::{AssetKind, Component, Location};
use weerbaar_inventory::{
    Format, ImportError, ImportErrorKind, ImportOptions, ImportedAsset, Inventory, import_bytes,
    import_file,
};

fn load(relative: &str) -> Option<(Inventory, String)> {
    let path = fixture(relative)?;
    let inventory =
        import_file(&path, &ImportOptions::default()).unwrap_or_else(|e| panic!("{relative}: {e}"));
    Some((inventory, path.display().to_string()))
}

fn asset(inventory: &Inventory) -> &ImportedAsset {
    assert_eq!(inventory.assets.len(), 1);
    &inventory.assets[0]
}

/// Components counted by the type part of their purl (`pkg:deb`, …; `-` for none).
fn purl_types(asset: &ImportedAsset) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in &asset.components {
        let kind = c
            .purl
            .as_deref()
            .map_or("-", |p| p.split('/').next().unwrap_or(p));
        *counts.entry(kind.to_owned()).or_insert(0) += 1;
    }
    counts
}

fn find<'a>(asset: &'a ImportedAsset, name: &str) -> &'a Component {
    asset
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn json_path(p: &str) -> Location {
    Location::JsonPath(p.to_owned())
}

fn element(p: &str) -> Location {
    Location::Element(p.to_owned())
}

fn import_as(format: Format, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let options = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    import_bytes("generated", bytes, &options)
}

#[test]
fn keycloak_maven_bom() {
    let Some((inv, file)) = load("sbom/cyclonedx-bom-examples/SBOM_keycloak-10.0.2_bom.json")
    else {
        return;
    };
    assert_eq!(inv.format, Format::CycloneDxJson);
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("keycloak-parent"));
    assert_eq!(a.kind, Some(AssetKind::Application));
    assert_eq!(a.components.len(), 903);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([("pkg:maven".to_owned(), 903)])
    );
    let first = &a.components[0];
    assert_eq!(first.name, "bcprov-jdk15on");
    assert_eq!(first.version.as_deref(), Some("1.62"));
    assert_eq!(
        first.purl.as_deref(),
        Some("pkg:maven/org.bouncycastle/bcprov-jdk15on@1.62?type=jar")
    );
    assert_eq!(first.source.file, file);
    assert_eq!(first.source.location, json_path("$.components[0]"));
    let last = &a.components[902];
    assert_eq!(last.name, "product-portal-example");
    assert_eq!(last.source.location, json_path("$.components[902]"));
    assert_eq!(
        a.components.iter().filter(|c| c.vendor.is_some()).count(),
        756
    );
    assert!(a.components.iter().all(|c| c.ecosystem.is_none()));
}

#[test]
fn juice_shop_npm_bom() {
    let Some((inv, _)) = load("sbom/cyclonedx-bom-examples/SBOM_juice-shop_v11.1.2_bom.json")
    else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("juice-shop"));
    assert_eq!(a.components.len(), 840, "837 libraries and 3 frameworks");
    assert_eq!(purl_types(a), BTreeMap::from([("pkg:npm".to_owned(), 840)]));
    let c = &a.components[0];
    assert_eq!(
        (c.name.as_str(), c.version.as_deref()),
        ("body-parser", Some("1.19.0"))
    );
    // The scope is the CycloneDX group, kept only in the purl.
    let is = find(a, "is");
    assert_eq!(is.purl.as_deref(), Some("pkg:npm/%40sindresorhus/is@0.7.0"));
}

#[test]
fn laravel_composer_bom_spec_1_4() {
    let Some((inv, _)) = load("sbom/cyclonedx-bom-examples/SBOM_laravel-7.12.0_bom.1.4.json")
    else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("cyclonedx-php-composer-demo"));
    assert_eq!(a.components.len(), 62);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([("pkg:composer".to_owned(), 62)])
    );
    let c = &a.components[0];
    assert_eq!(c.name, "stack-cors");
    assert_eq!(
        c.purl.as_deref(),
        Some("pkg:composer/asm89/stack-cors@1.3.0")
    );
    assert_eq!(
        c.vendor.as_deref(),
        Some("Alexander"),
        "the 1.4 author string"
    );
    assert_eq!(a.components[61].name, "portable-ascii");
}

#[test]
fn proton_bridge_go_bom() {
    let Some((inv, _)) =
        load("sbom/cyclonedx-bom-examples/SBOM_proton-bridge_proton-bridge-v1.8.0.bom.json")
    else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(
        a.name.as_deref(),
        Some("github.com/ProtonMail/proton-bridge")
    );
    assert_eq!(a.components.len(), 201);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([("pkg:golang".to_owned(), 201)])
    );
    let last = &a.components[200];
    assert_eq!(last.name, "gopkg.in/yaml.v3");
    assert_eq!(
        last.version.as_deref(),
        Some("v3.0.0-20200313102051-9f266ea9e77c")
    );
}

#[test]
fn other_bom_examples() {
    for (file, count) in [
        ("SBOM_cern-lhc-vdm-editor-e564943_bom.json", 43),
        ("SBOM_dropwizard-1.3.15_bom.json", 167),
        ("SBOM_protonmail-webclient-v4-0912dff_bom.json", 883),
        ("VEX_bom.json", 3),
    ] {
        let Some((inv, _)) = load(&format!("sbom/cyclonedx-bom-examples/{file}")) else {
            return;
        };
        assert_eq!(inv.component_count(), count, "{file}");
    }
}

#[test]
fn vex_and_saasbom_import_with_no_components() {
    for (file, name) in [
        ("VEX_vex.json", None),
        ("VEX_CISA-Use-Cases_Case-2_vex.json", Some("ABC")),
        (
            "SaaSBOM_apigateway-microservices-datastores_bom.json",
            Some("Acme Cloud Example"),
        ),
    ] {
        let Some((inv, _)) = load(&format!("sbom/cyclonedx-bom-examples/{file}")) else {
            return;
        };
        let a = asset(&inv);
        assert_eq!(a.components.len(), 0, "{file}");
        assert_eq!(a.name.as_deref(), name, "{file}");
    }
}

#[test]
fn trivy_fluentd_container_spec_1_7() {
    let Some((inv, _)) = load("sbom/trivy/fluentd-multiple-lockfiles.cdx.json") else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(
        a.name.as_deref(),
        Some("testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz")
    );
    assert_eq!(a.kind, Some(AssetKind::Host));
    let os = a.os.as_ref().expect("os");
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("debian", Some("10.2"))
    );
    assert_eq!(a.components.len(), 161);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([
            ("-".to_owned(), 1),
            ("pkg:deb".to_owned(), 105),
            ("pkg:gem".to_owned(), 55),
        ])
    );
    let debian = &a.components[0];
    assert_eq!(
        (debian.name.as_str(), debian.purl.as_deref()),
        ("debian", None)
    );

    let adduser = &a.components[1];
    assert_eq!(adduser.name, "adduser");
    assert_eq!(
        adduser.purl.as_deref(),
        Some("pkg:deb/debian/adduser@3.118?arch=all&distro=debian-10.2")
    );
    assert_eq!(
        adduser.vendor.as_deref(),
        Some("Debian Adduser Developers <adduser@packages.debian.org>")
    );
    assert_eq!(adduser.source.location, json_path("$.components[1]"));

    let bsdutils = find(a, "bsdutils");
    assert_eq!(bsdutils.version.as_deref(), Some("1:2.33.1-0.1"));
    assert_eq!(bsdutils.source_name.as_deref(), Some("util-linux"));
    assert_eq!(bsdutils.source_version.as_deref(), Some("2.33.1-0.1"));
    let libgmp = find(a, "libgmp10");
    assert_eq!(libgmp.source_version.as_deref(), Some("2:6.1.2+dfsg-4"));

    let zeitwerk = &a.components[160];
    assert_eq!(zeitwerk.purl.as_deref(), Some("pkg:gem/zeitwerk@2.3.0"));
    assert_eq!(zeitwerk.source_name, None);
}

#[test]
fn trivy_centos_7() {
    let Some((inv, _)) = load("sbom/trivy/centos-7-cyclonedx.json") else {
        return;
    };
    let a = asset(&inv);
    let os = a.os.as_ref().expect("os");
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("centos", Some("7.6.1810"))
    );
    assert_eq!(a.components.len(), 3);
    let openssl = find(a, "openssl-libs");
    assert_eq!(openssl.version.as_deref(), Some("1.0.2k-16.el7"));
    assert_eq!(
        openssl.purl.as_deref(),
        Some(
            "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810"
        )
    );
    assert_eq!(openssl.source_name.as_deref(), Some("openssl"));
    assert_eq!(openssl.source_version.as_deref(), Some("1:1.0.2k-16.el7"));
    assert_eq!(
        find(a, "bash").source_version.as_deref(),
        Some("4.2.46-31.el7")
    );
}

#[test]
fn trivy_small_boms() {
    for (file, count) in [
        ("fluentd-multiple-lockfiles-cyclonedx.json", 4),
        ("npm-cyclonedx.json", 13),
        ("pom-cyclonedx.json", 3),
    ] {
        let Some((inv, _)) = load(&format!("sbom/trivy/{file}")) else {
            return;
        };
        assert_eq!(inv.component_count(), count, "{file}");
    }
}

#[test]
fn syft_postgres_stretch_xml() {
    let Some((inv, _)) = load("sbom/osv-scanner/postgres-stretch.cdx.xml") else {
        return;
    };
    assert_eq!(inv.format, Format::CycloneDxXml);
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("postgres:11.15-stretch"));
    assert_eq!(a.kind, Some(AssetKind::Host));
    let os = a.os.as_ref().expect("os");
    assert_eq!(os.id, "debian");
    assert_eq!(os.version_id.as_deref(), Some("9"));
    assert_eq!(os.codename.as_deref(), Some("stretch"));
    assert_eq!(os.name.as_deref(), Some("Debian GNU/Linux 9 (stretch)"));
    assert_eq!(a.components.len(), 137);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([
            ("-".to_owned(), 1),
            ("pkg:deb".to_owned(), 132),
            ("pkg:generic".to_owned(), 1),
            ("pkg:golang".to_owned(), 3),
        ])
    );
    let adduser = &a.components[0];
    assert_eq!(adduser.name, "adduser");
    assert_eq!(adduser.version.as_deref(), Some("3.115"));
    assert_eq!(
        adduser.purl.as_deref(),
        Some("pkg:deb/debian/adduser@3.115?arch=all&distro=debian-9"),
        "&amp; decoded"
    );
    assert_eq!(
        adduser.cpe.as_deref(),
        Some("cpe:2.3:a:adduser:adduser:3.115:*:*:*:*:*:*:*")
    );
    assert_eq!(
        adduser.vendor.as_deref(),
        Some("Debian Adduser Developers <adduser-devel@lists.alioth.debian.org>")
    );
    assert_eq!(
        adduser.source.location,
        element("/bom/components/component[1]")
    );
    assert_eq!(
        a.components[136].source.location,
        element("/bom/components/component[137]")
    );
    assert_eq!(
        a.components
            .iter()
            .filter(|c| c.source_name.is_some())
            .count(),
        97
    );
    // syft names the source version only where it differs from the binary's.
    let bsdutils = find(a, "bsdutils");
    assert_eq!(bsdutils.version.as_deref(), Some("1:2.29.2-1+deb9u1"));
    assert_eq!(bsdutils.source_name.as_deref(), Some("util-linux"));
    assert_eq!(bsdutils.source_version.as_deref(), Some("2.29.2-1+deb9u1"));
    assert_eq!(
        bsdutils.source.location,
        element("/bom/components/component[6]")
    );
    let libuuid = find(a, "libuuid1");
    assert_eq!(libuuid.source_name.as_deref(), Some("util-linux"));
    assert_eq!(libuuid.source_version, None);
}

#[test]
fn syft_alpine_xml() {
    let Some((inv, _)) = load("sbom/osv-scanner/alpine.cdx.xml") else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("alpine:latest"));
    let os = a.os.as_ref().expect("os");
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("alpine", Some("3.17.2"))
    );
    assert_eq!(a.components.len(), 16);
    assert_eq!(
        purl_types(a),
        BTreeMap::from([("-".to_owned(), 2), ("pkg:apk".to_owned(), 14)])
    );
    let base = &a.components[0];
    assert_eq!(base.name, "alpine-baselayout");
    assert_eq!(
        base.purl.as_deref(),
        Some(
            "pkg:apk/alpine/alpine-baselayout@3.4.0-r0?arch=x86_64&upstream=alpine-baselayout&distro=alpine-3.17.2"
        )
    );
    assert_eq!(
        base.vendor.as_deref(),
        Some("Natanael Copa <ncopa@alpinelinux.org>")
    );
    assert_eq!(base.source_name.as_deref(), Some("alpine-baselayout"));
    let busybox = find(a, "busybox");
    assert_eq!(busybox.purl, None);
    assert_eq!(
        busybox.cpe.as_deref(),
        Some("cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*")
    );
}

#[test]
fn bad_purls_are_kept_as_written() {
    let Some((inv, _)) = load("sbom/osv-scanner/bad-purls.cdx.xml") else {
        return;
    };
    let a = asset(&inv);
    assert_eq!(a.components.len(), 16);
    // The empty <name> is kept as given; the purl still identifies the package.
    let first = &a.components[0];
    assert_eq!(first.name, "");
    assert_eq!(first.version.as_deref(), Some("3.4.0-r0"));
    let purl_at = |i: usize| a.components[i - 1].purl.as_deref();
    assert_eq!(purl_at(3), Some("pkg:pypi/"));
    assert_eq!(purl_at(7), Some("pkg:pypi/"));
    assert_eq!(purl_at(8), Some("pkg:///"));
    assert_eq!(purl_at(11), Some("/"));
    assert_eq!(purl_at(15), Some("pkg:pypi/"));
    assert_eq!(a.components[14].name, "zlib");
    assert_eq!(
        purl_at(14),
        Some("pkg:apk/alpine/@1.36.1-r27?arch=x86_64&upstream=busybox&distro=alpine-3.17.2")
    );
    assert_eq!(a.components[13].name, "ssl_client");
    // The OS component has an empty name too; syft's distro properties still name the OS.
    let os = a.os.as_ref().expect("os");
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("alpine", Some("3.17.2"))
    );
}

#[test]
fn duplicate_bom_refs() {
    let Some(path) = fixture("sbom/osv-scanner/with-duplicates.cdx.xml") else {
        return;
    };
    let inv = import_file(&path, &ImportOptions::default()).expect("import");
    let a = asset(&inv);
    // 18 <component>s; libcrypto3 (9, 10) and zlib (16, 17) are repeated verbatim, bom-ref
    // included, and collapse into their first copy.
    assert_eq!(a.components.len(), 16);
    let at = |name: &str| {
        let found: Vec<&Component> = a.components.iter().filter(|c| c.name == name).collect();
        assert_eq!(found.len(), 1, "{name}");
        found[0].source.location.clone()
    };
    assert_eq!(at("libcrypto3"), element("/bom/components/component[9]"));
    assert_eq!(at("zlib"), element("/bom/components/component[16]"));
    assert_eq!(
        a.components[9].source.location,
        element("/bom/components/component[11]")
    );

    // The same bom-ref on a component that differs: both are kept.
    let text = std::fs::read_to_string(Path::new(&path)).expect("read");
    let version = "<version>3.0.8-r0</version>";
    let second = text
        .rfind("<name>libcrypto3</name>")
        .expect("second libcrypto3");
    let at = second + text[second..].find(version).expect("its version");
    let mut changed = text.clone();
    changed.replace_range(at..at + version.len(), "<version>3.0.9-r0</version>");
    let inv = import_as(Format::CycloneDxXml, changed.as_bytes()).expect("import");
    let a = asset(&inv);
    assert_eq!(a.components.len(), 17);
    let versions: Vec<(Option<&str>, String)> = a
        .components
        .iter()
        .filter(|c| c.name == "libcrypto3")
        .map(|c| (c.version.as_deref(), c.source.location.to_string()))
        .collect();
    assert_eq!(
        versions,
        [
            (Some("3.0.8-r0"), "/bom/components/component[9]".to_owned()),
            (Some("3.0.9-r0"), "/bom/components/component[10]".to_owned()),
        ]
    );
}

/// A BOM of `n` components: every tenth is an application with two nested libraries.
fn generated_bom(n: usize) -> String {
    let mut out = String::with_capacity(n * 420);
    out.push_str(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:00000000-0000-0000-0000-000000000000","version":1,
"metadata":{"timestamp":"2024-01-01T00:00:00Z","component":{"type":"application","name":"generated","version":"1.0"}},
"components":["#,
    );
    let mut emitted = 0;
    let mut i = 0;
    while emitted < n {
        if i > 0 {
            out.push(',');
        }
        let library = |out: &mut String, id: usize| {
            out.push_str(&format!(
                r#"{{"type":"library","bom-ref":"pkg:npm/pkg-{id}@1.{id}.0","name":"pkg-{id}","version":"1.{id}.0","purl":"pkg:npm/pkg-{id}@1.{id}.0","description":"Generated package number {id} with a description of typical length","hashes":[{{"alg":"SHA-256","content":"3f5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"}}],"licenses":[{{"license":{{"id":"MIT"}}}}],"externalReferences":[{{"type":"vcs","url":"https://example.invalid/pkg-{id}.git"}}],"properties":[{{"name":"cdx:npm:package:path","value":"node_modules/pkg-{id}"}}]}}"#
            ));
        };
        if i % 10 == 9 && emitted + 3 <= n {
            out.push_str(&format!(
                r#"{{"type":"application","name":"app-{emitted}","version":"2.0","components":["#
            ));
            library(&mut out, emitted + 1);
            out.push(',');
            library(&mut out, emitted + 2);
            out.push_str("]}");
            emitted += 3;
        } else {
            library(&mut out, emitted);
            emitted += 1;
        }
        i += 1;
    }
    out.push_str("]}\n");
    out
}

#[test]
fn generated_100k_component_bom() {
    let bom = generated_bom(100_000);
    assert!(bom.len() > 30_000_000, "{} bytes", bom.len());
    let inv = import_as(Format::CycloneDxJson, bom.as_bytes()).expect("import");
    let a = asset(&inv);
    assert_eq!(a.name.as_deref(), Some("generated"));
    assert_eq!(a.components.len(), 100_000);
    let first = &a.components[0];
    assert_eq!(first.name, "pkg-0");
    assert_eq!(first.purl.as_deref(), Some("pkg:npm/pkg-0@1.0.0"));
    assert_eq!(first.source.location, json_path("$.components[0]"));
    // Top-level entry 9 is the first application: components 9, 10 and 11.
    assert_eq!(a.components[9].name, "app-9");
    assert_eq!(a.components[10].name, "pkg-10");
    assert_eq!(
        a.components[10].source.location,
        json_path("$.components[9].components[0]")
    );
    assert_eq!(
        a.components[11].source.location,
        json_path("$.components[9].components[1]")
    );
    let last = &a.components[99_999];
    assert_eq!(last.name, "pkg-99999");
    assert_eq!(last.version.as_deref(), Some("1.99999.0"));
}

#[test]
fn billion_laughs_is_refused_before_expansion() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE bom [\n <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><component type=\"library\"><name>&lol9;</name></component></components></bom>\n");
    let err = import_as(Format::CycloneDxXml, xml.as_bytes()).expect_err("refused");
    assert_eq!(err.kind, ImportErrorKind::Refused);
    assert_eq!(err.location, Some(Location::Line(2)));
    assert!(err.to_string().contains("DOCTYPE"), "{err}");

    // An external entity is refused the same way.
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>";
    let err = import_as(Format::CycloneDxXml, xxe.as_bytes()).expect_err("refused");
    assert_eq!(err.kind, ImportErrorKind::Refused);
}

#[test]
fn truncated_real_files_give_located_errors() {
    let Some(path) = fixture("sbom/trivy/fluentd-multiple-lockfiles.cdx.json") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read");
    let cut = &bytes[..bytes.len() / 2];
    let lines = cut.iter().filter(|&&b| b == b'\n').count() + 1;
    let err = import_as(Format::CycloneDxJson, cut).expect_err("truncated");
    assert_eq!(err.kind, ImportErrorKind::Syntax);
    assert_eq!(err.location, Some(Location::Line(lines)), "{err}");

    let Some(path) = fixture("sbom/osv-scanner/alpine.cdx.xml") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read");
    let cut = &bytes[..bytes.len() / 2];
    let err = import_as(Format::CycloneDxXml, cut).expect_err("truncated");
    assert_eq!(err.kind, ImportErrorKind::Syntax);
    assert!(
        matches!(err.location, Some(Location::Line(n)) if n > 1),
        "{err}"
    );
}

fn cdx_json_around(value: &str) -> String {
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{{"type":"library","name":"a"}},{value}]}}"#
    )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_as(Format::CycloneDxJson, &bytes);
        let _ = import_as(Format::CycloneDxXml, &bytes);
    }

    #[test]
    fn arbitrary_json_components_never_panic(value in "[\\[\\]{}\",:a-z0-9 .\\\\-]{0,200}") {
        let _ = import_as(Format::CycloneDxJson, cdx_json_around(&value).as_bytes());
    }

    #[test]
    fn arbitrary_xml_fragments_never_panic(body in "[<>/&;#!\\[\\]a-z0-9=\" :-]{0,300}") {
        let xml = format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component type=\"library\">{body}</component></components></bom>"
        );
        let _ = import_as(Format::CycloneDxXml, xml.as_bytes());
    }

    #[test]
    fn xml_text_round_trips(name in "\\PC{1,40}") {
        let escaped = name.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let xml = format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component type=\"library\"><name>{escaped}</name></component></components></bom>"
        );
        let inv = import_as(Format::CycloneDxXml, xml.as_bytes()).expect("import");
        prop_assert_eq!(&inv.assets[0].components[0].name, name.trim());
    }
}
