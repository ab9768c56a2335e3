//! Real purls from real SBOMs (trivy, CycloneDX examples, osv-scanner test data), read in place:
//! every one must parse, print canonically and parse back to the same value, and map to the
//! OSV package the matcher will look up.

use std::collections::BTreeMap;

use serde_json::Value;
use weerbaar_purl::{ErrorKind, PackageUrl};

/// Every string under a `"purl"` key, anywhere in the document.
fn json_purls(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("purl", Value::String(s)) => out.push(s.clone()),
                    _ => json_purls(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_purls(v, out)),
        _ => {}
    }
}

fn purls_in_json(relative: &str) -> Option<Vec<String>> {
    let path = weerbaar_fixtures::fixture(relative)?;
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("readable"))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    let mut out = Vec::new();
    json_purls(&doc, &mut out);
    Some(out)
}

/// `<purl>…</purl>` elements of a CycloneDX XML file, with `&amp;` unescaped.
fn purls_in_xml(relative: &str) -> Option<Vec<String>> {
    let path = weerbaar_fixtures::fixture(relative)?;
    let text = std::fs::read_to_string(&path).expect("readable");
    Some(
        text.split("<purl>")
            .skip(1)
            .filter_map(|s| {
                s.split_once("</purl>")
                    .map(|(p, _)| p.replace("&amp;", "&"))
            })
            .collect(),
    )
}

/// Parses and checks the print → parse round trip.
fn roundtrip(purl: &str) -> PackageUrl {
    let p = PackageUrl::parse(purl).unwrap_or_else(|e| panic!("{e}"));
    let printed = p.to_string();
    let back = PackageUrl::parse(&printed).unwrap_or_else(|e| panic!("{purl} printed as {e}"));
    assert_eq!(back, p, "{purl} printed as {printed}");
    assert!(PackageUrl::is_canonical(&printed), "{printed}");
    p
}

/// [`roundtrip`], then the OSV triple.
fn osv(purl: &str) -> (String, String, Option<String>) {
    let p = roundtrip(purl);
    let o = p
        .osv_package()
        .unwrap_or_else(|| panic!("{purl}: no OSV package"));
    (o.ecosystem.to_string(), o.name, p.osv_version())
}

fn triple(e: &str, n: &str, v: &str) -> (String, String, Option<String>) {
    (e.to_owned(), n.to_owned(), Some(v.to_owned()))
}

#[test]
fn trivy_container_sbom_debian_and_gems() {
    let Some(purls) = purls_in_json("sbom/trivy/fluentd-multiple-lockfiles.cdx.json") else {
        return;
    };
    let mut ecosystems = BTreeMap::<String, usize>::new();
    for purl in &purls {
        *ecosystems.entry(osv(purl).0).or_default() += 1;
    }
    assert_eq!(
        ecosystems,
        BTreeMap::from([("Debian:10".to_owned(), 105), ("RubyGems".to_owned(), 55)]),
        "distro=debian-10.2 is Debian:10"
    );
    let find = |prefix: &str| {
        purls
            .iter()
            .find(|p| p.starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix} not in the SBOM"))
            .clone()
    };
    // The epoch travels as a qualifier in trivy's purls; OSV compares it as part of the version.
    assert_eq!(
        osv(&find("pkg:deb/debian/login@")),
        triple("Debian:10", "login", "1:4.5-1.1")
    );
    assert_eq!(
        osv(&find("pkg:deb/debian/libselinux1@")),
        triple("Debian:10", "libselinux1", "2.8-1+b1")
    );
    assert_eq!(
        osv(&find("pkg:deb/debian/findutils@")),
        triple("Debian:10", "findutils", "4.6.0+git+20190209-2")
    );
    assert_eq!(
        osv(&find("pkg:gem/fluent-plugin-elasticsearch@")),
        triple("RubyGems", "fluent-plugin-elasticsearch", "3.8.0")
    );
}

#[test]
fn cyclonedx_example_sboms_map_to_language_ecosystems() {
    let Some(files) = weerbaar_fixtures::fixtures_in("sbom/cyclonedx-bom-examples", ".json") else {
        return;
    };
    let mut all = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(purls) = purls_in_json(&format!("sbom/cyclonedx-bom-examples/{name}")) {
            all.extend(purls);
        }
    }
    let mut ecosystems = BTreeMap::<String, usize>::new();
    for purl in &all {
        *ecosystems.entry(osv(purl).0).or_default() += 1;
    }
    assert_eq!(
        ecosystems.keys().map(String::as_str).collect::<Vec<_>>(),
        ["Go", "Maven", "Packagist", "npm"]
    );
    assert!(all.len() > 3000, "{} purls", all.len());
    let find = |purl: &str| {
        assert!(all.iter().any(|p| p == purl), "{purl} not in the examples");
        osv(purl)
    };
    assert_eq!(
        find("pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar"),
        triple("Maven", "ch.qos.logback:logback-core", "1.2.3")
    );
    assert_eq!(
        find("pkg:npm/%40dabh/diagnostics@2.0.2"),
        triple("npm", "@dabh/diagnostics", "2.0.2")
    );
    assert_eq!(
        find("pkg:composer/asm89/stack-cors@1.3.0"),
        triple("Packagist", "asm89/stack-cors", "1.3.0")
    );
    // Go module paths keep their case; the version keeps its `v`.
    assert_eq!(
        find("pkg:golang/github.com/BurntSushi/toml@v0.3.1"),
        triple("Go", "github.com/BurntSushi/toml", "v0.3.1")
    );
}

#[test]
fn osv_scanner_sboms_including_broken_purls() {
    let Some(alpine) = purls_in_xml("sbom/osv-scanner/alpine.cdx.xml") else {
        return;
    };
    let Some(stretch) = purls_in_xml("sbom/osv-scanner/postgres-stretch.cdx.xml") else {
        return;
    };
    let Some(bad) = purls_in_xml("sbom/osv-scanner/bad-purls.cdx.xml") else {
        return;
    };
    for purl in alpine.iter().chain(&stretch) {
        let p = roundtrip(purl);
        // The image's own `pkg:generic/postgresql` has no OSV ecosystem; its packages all do.
        assert_eq!(p.osv_package().is_some(), p.ty() != "generic", "{purl}");
    }
    // syft's `upstream` qualifier names the source package, which OSV keys Alpine and Debian by.
    let libcrypto = alpine
        .iter()
        .find(|p| p.starts_with("pkg:apk/alpine/libcrypto3@"))
        .expect("libcrypto3 in alpine.cdx.xml");
    assert_eq!(osv(libcrypto).0, "Alpine:v3.17");
    assert_eq!(osv(libcrypto).1, "openssl");
    let libaudit = stretch
        .iter()
        .find(|p| p.starts_with("pkg:deb/debian/libaudit1@"))
        .expect("libaudit1 in postgres-stretch.cdx.xml");
    assert_eq!(osv(libaudit), triple("Debian:9", "audit", "1:2.6.7-2"));

    let mut errors = Vec::new();
    for purl in &bad {
        match PackageUrl::parse(purl) {
            Ok(_) => {
                roundtrip(purl);
            }
            Err(e) => errors.push((purl.clone(), e.kind().clone())),
        }
    }
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        errors,
        [
            ("/", ErrorKind::MissingScheme),
            ("pkg:///", ErrorKind::MissingType),
            (
                "pkg:apk/alpine/@1.36.1-r27?arch=x86_64&upstream=busybox&distro=alpine-3.17.2",
                ErrorKind::MissingName
            ),
            ("pkg:pypi/", ErrorKind::MissingName),
            ("pkg:pypi/", ErrorKind::MissingName),
            ("pkg:pypi/", ErrorKind::MissingName),
        ]
        .map(|(p, k)| (p.to_owned(), k))
    );
}
