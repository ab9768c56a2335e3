//! trivy's integration fixtures: a trivy-db (its own bucket format, not OSV) and the expected
//! scan results of OS images.
//!
//! The db fixture is converted to OSV-shaped advisories (`introduced: 0`, `fixed:
//! FixedVersion`, or no fix for an entry without one) for the distributions whose goldens name
//! the package the advisory is keyed by and whose ecosystem weerbaar supports: AlmaLinux,
//! Rocky Linux, Photon OS, CBL-Mariner (OSV's `Azure Linux`) and openSUSE. Not reproduced:
//! Debian, Ubuntu and Alpine (trivy matches by the *source* package, which the goldens do not
//! record: `e2fslibs` is found through `e2fsprogs`, `libcrypto1.1` through `openssl`), Amazon
//! Linux and Oracle Linux (no OSV ecosystem in `weerbaar_versions::Ecosystem`), Red Hat and
//! CentOS (trivy keys them by CPE and content set, not by release).

use std::collections::BTreeSet;

use weerbaar_advisories::osv::{Advisory, Affected, Event, Package, Range, RangeType};
use weerbaar_matching::{ComponentRef, Index, Matcher};
use weerbaar_versions::Scheme;

/// (trivy db bucket, OSV ecosystem) and (golden OS family, OSV ecosystem base).
const DISTROS: &[(&str, &str, &str, &str)] = &[
    ("almalinux.yaml", "alma ", "AlmaLinux:", "almalinux-8.json"),
    (
        "rockylinux.yaml",
        "rocky ",
        "Rocky Linux:",
        "rockylinux-8.json",
    ),
    ("photon.yaml", "Photon OS ", "Photon OS:", "photon-30.json"),
    (
        "mariner.yaml",
        "CBL-Mariner ",
        "Azure Linux:",
        "mariner-1.0.json",
    ),
    (
        "opensuse.yaml",
        "openSUSE ",
        "openSUSE:",
        "opensuse-leap-151.json",
    ),
];

fn unquote(s: &str) -> &str {
    let s = s.split(" #").next().unwrap_or(s).trim();
    s.trim_matches('"')
}

/// The trivy-db fixture shape: `- bucket: <os>` / `- bucket: <pkg>` / `- key: <id>` /
/// `FixedVersion: <v>` by indentation. Returns (os, package, id, fixed).
fn parse_db(text: &str) -> Vec<(String, String, String, Option<String>)> {
    let mut out: Vec<(String, String, String, Option<String>)> = Vec::new();
    let (mut os, mut pkg) = (String::new(), String::new());
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if let Some(b) = t.strip_prefix("- bucket:") {
            if indent == 0 {
                os = unquote(b).to_owned();
            } else {
                pkg = unquote(b).to_owned();
            }
        } else if let Some(k) = t.strip_prefix("- key:") {
            out.push((os.clone(), pkg.clone(), unquote(k).to_owned(), None));
        } else if let Some(f) = t.strip_prefix("FixedVersion:")
            && indent == 12
            && let Some(last) = out.last_mut()
        {
            last.3 = Some(unquote(f).to_owned());
        }
    }
    out
}

fn advisory(id: &str, ecosystem: &str, name: &str, fixed: Option<&str>) -> Advisory {
    let mut events = vec![Event::Introduced("0".into())];
    events.extend(fixed.map(|f| Event::Fixed(f.to_owned())));
    Advisory {
        schema_version: None,
        id: id.to_owned(),
        modified: "2024-01-01T00:00:00Z".into(),
        published: None,
        withdrawn: None,
        aliases: Vec::new(),
        related: Vec::new(),
        upstream: Vec::new(),
        summary: None,
        details: None,
        severity: Vec::new(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: ecosystem.to_owned(),
                name: name.to_owned(),
                purl: None,
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind: RangeType::Ecosystem,
                repo: None,
                events,
            }],
            versions: Vec::new(),
        }],
        references: Vec::new(),
        credits: Vec::new(),
        database_severity: None,
    }
}

#[test]
fn trivy_goldens_for_supported_rpm_distributions() {
    let mut rows = 0;
    for &(db, bucket_prefix, eco_prefix, golden) in DISTROS {
        let Some(db_path) =
            weerbaar_fixtures::fixture(format!("matching-oracles/trivy/db-fixtures/{db}"))
        else {
            return;
        };
        let Some(golden_path) =
            weerbaar_fixtures::fixture(format!("matching-oracles/trivy/goldens/{golden}"))
        else {
            return;
        };
        let advisories: Vec<Advisory> = parse_db(&std::fs::read_to_string(db_path).expect("read"))
            .into_iter()
            .filter_map(|(os, pkg, id, fixed)| {
                let release = os.strip_prefix(bucket_prefix)?;
                Some(advisory(
                    &id,
                    &format!("{eco_prefix}{release}"),
                    &pkg,
                    fixed.as_deref(),
                ))
            })
            .collect();
        let index = Index::build(&advisories);
        assert!(index.warnings().is_empty(), "{:?}", index.warnings());

        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(golden_path).expect("read")).expect("json");
        let os_name = doc["Metadata"]["OS"]["Name"].as_str().unwrap_or_default();
        // The image's release as OSV spells it: majors for Alma/Rocky, `Leap 15.1` for openSUSE.
        let release = if eco_prefix == "openSUSE:" {
            format!("Leap {os_name}")
        } else {
            os_name.to_owned()
        };
        let ecosystem = format!("{eco_prefix}{release}");
        let mut expected = BTreeSet::new();
        let mut packages = BTreeSet::new();
        for v in doc["Results"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["Vulnerabilities"].as_array().into_iter().flatten())
        {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            packages.insert((s("PkgName"), s("InstalledVersion")));
            expected.insert((
                s("PkgName"),
                s("InstalledVersion"),
                s("VulnerabilityID"),
                s("FixedVersion"),
            ));
        }
        // trivy matches RPM distributions by source RPM, which the goldens do not record; the one
        // binary package here whose name differs is Photon's `curl-libs`, built from `curl`.
        let comps: Vec<ComponentRef<'_>> = packages
            .iter()
            .map(|(n, v)| {
                let mut c = ComponentRef::new(&ecosystem, n, v);
                if n == "curl-libs" {
                    c.source_name = Some("curl");
                }
                c
            })
            .collect();
        let got: BTreeSet<(String, String, String, String)> =
            Matcher::match_components(&index, &comps)
                .into_iter()
                .map(|f| {
                    // trivy prints a zero epoch away (`0:8.2.4082-1.cm1` → `8.2.4082-1.cm1`).
                    let fixed = f.fixed.first().map_or(String::new(), |x| {
                        x.strip_prefix("0:").unwrap_or(x).to_owned()
                    });
                    (f.package.name, f.package.version, f.id, fixed)
                })
                .collect();
        assert_eq!(got, expected, "{golden}");
        // The fixed versions agree under the rpm scheme too.
        for (_, installed, _, fixed) in &expected {
            if !fixed.is_empty() {
                assert!(
                    Scheme::Rpm
                        .compare(installed, fixed)
                        .is_ok_and(|o| o.is_lt())
                );
            }
        }
        rows += expected.len();
    }
    println!("trivy goldens: {rows} (package, installed, id, fixed) rows reproduced exactly");
}
