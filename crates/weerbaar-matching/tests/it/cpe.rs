//! CPE matching against NVD configurations, and the name-mapping table.
//!
//! Real NVD records (osv.dev's, vunnel's and vuln-list's fixtures) for ranges, exact versions,
//! `AND` "running on" configurations and platform criteria; constructed records where the real
//! ones do not cover a case (wildcard vendors, FortiOS, Windows builds, rejected CVEs).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use proptest::prelude::*;
use weerbaar_advisories::nvd::{self, Cve};
use weerbaar_matching::{
    BUILTIN_FILE, CpeComponent, CpeFinding, CpeIndex, CpeMatcher, Mapping, MatchedBy, normalise,
};

const NVD_FILES: [&str; 3] = [
    "nvd/osv.dev-nvdcve-2.0",
    "nvd/vunnel",
    "nvd/vuln-list-update",
];

fn read_dir(dir: &Path) -> Vec<Cve> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut cves = Vec::new();
    for p in paths {
        cves.extend(nvd::read(&p).expect("parse NVD file").cves);
    }
    cves
}

struct Loaded {
    cves: Vec<Cve>,
    index: CpeIndex,
}

/// Every CVE of the NVD fixtures, deduplicated by id (vuln-list repeats its records in a page).
fn loaded() -> Option<&'static Loaded> {
    static CELL: OnceLock<Option<Loaded>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut cves = Vec::new();
        for dir in NVD_FILES {
            cves.extend(read_dir(&weerbaar_fixtures::fixture(dir)?));
        }
        let mut seen = BTreeSet::new();
        cves.retain(|c| seen.insert(c.id.clone()));
        let start = Instant::now();
        let index = CpeIndex::build(&cves);
        println!(
            "CpeIndex::build: {} CVEs in {:?}: {:?}; {} warnings",
            cves.len(),
            start.elapsed(),
            index.stats(),
            index.warnings().len()
        );
        Some(Loaded { cves, index })
    })
    .as_ref()
}

fn cves_for(index: &CpeIndex, cpe: &str) -> Vec<String> {
    let c = nvd::Cpe::parse(cpe).expect("valid CPE");
    index.match_cpe(&c).into_iter().map(|h| h.cve).collect()
}

fn app(vendor_product: &str, version: &str) -> String {
    format!("cpe:2.3:a:{vendor_product}:{version}:*:*:*:*:*:*:*")
}

#[test]
fn real_index_counts() {
    let Some(l) = loaded() else { return };
    let s = l.index.stats();
    assert_eq!(s.cves, l.cves.len());
    let empty = l
        .cves
        .iter()
        .filter(|c| c.configurations.is_empty())
        .count();
    assert_eq!(s.without_configurations, empty);
    assert!(empty > 0, "the vunnel page has CVEs awaiting analysis");
    let configs: usize = l.cves.iter().map(|c| c.configurations.len()).sum();
    assert_eq!(s.configurations + s.skipped_configurations, configs);
    assert_eq!(s.rejected, 0);
}

#[test]
fn ranges_at_their_bounds() {
    let Some(l) = loaded() else { return };
    let apparmor = |v: &str| cves_for(&l.index, &app("canonical:apparmor", v));
    // CVE-2016-1585: < 2.13.10, [3.0.0, 3.0.12), [3.1.0, 3.1.6).
    assert!(apparmor("2.13.9").contains(&"CVE-2016-1585".to_owned()));
    assert!(!apparmor("2.13.10").contains(&"CVE-2016-1585".to_owned()));
    assert!(!apparmor("2.14").contains(&"CVE-2016-1585".to_owned()));
    assert!(apparmor("3.0.0").contains(&"CVE-2016-1585".to_owned()));
    assert!(apparmor("3.0.11").contains(&"CVE-2016-1585".to_owned()));
    assert!(!apparmor("3.0.12").contains(&"CVE-2016-1585".to_owned()));
    assert!(apparmor("3.1.5").contains(&"CVE-2016-1585".to_owned()));
    assert!(!apparmor("3.1.6").contains(&"CVE-2016-1585".to_owned()));

    // The fixed version is the bound of the criterion that matched, not every bound.
    let c = nvd::Cpe::parse(&app("canonical:apparmor", "3.0.5")).expect("cpe");
    let hit = l
        .index
        .match_cpe(&c)
        .into_iter()
        .find(|h| h.cve == "CVE-2016-1585")
        .expect("CVE-2016-1585");
    assert_eq!(hit.fixed, ["3.0.12"]);
    assert_eq!(
        hit.criteria,
        ["cpe:2.3:a:canonical:apparmor:*:*:*:*:*:*:*:* >=3.0.0 <3.0.12"]
    );

    // CVE-2021-3881: versionEndIncluding 0.7 — 0.7 is affected, and there is no fixed version.
    let libmobi = |v: &str| {
        let c = nvd::Cpe::parse(&app("libmobi_project:libmobi", v)).expect("cpe");
        l.index.match_cpe(&c)
    };
    let at = libmobi("0.7");
    assert_eq!(at.len(), 1);
    assert_eq!(at.first().map(|h| h.cve.as_str()), Some("CVE-2021-3881"));
    assert!(at.first().is_some_and(|h| h.fixed.is_empty()));
    assert!(libmobi("0.7.1").is_empty());
    assert_eq!(libmobi("0.1").len(), 1);

    // CVE-2023-4863: chrome < 116.0.5845.187.
    let chrome = |v: &str| cves_for(&l.index, &app("google:chrome", v));
    assert_eq!(chrome("116.0.5845.186"), ["CVE-2023-4863"]);
    assert!(chrome("116.0.5845.187").is_empty());
}

#[test]
fn exact_versions_and_updates() {
    let Some(l) = loaded() else { return };
    let xz = |v: &str| cves_for(&l.index, &app("tukaani:xz", v));
    assert_eq!(xz("5.6.0"), ["CVE-2024-3094"]);
    assert_eq!(xz("5.6.1"), ["CVE-2024-3094"]);
    assert!(xz("5.6.2").is_empty());
    assert!(xz("5.4.6").is_empty());
    // No version: exact-version criteria do not match.
    assert!(xz("*").is_empty());

    // CVE-2022-25761: < 1.2.5, and 1.3 rc1/rc2 listed by update.
    let open62541 = |v: &str, u: &str| {
        cves_for(
            &l.index,
            &format!("cpe:2.3:a:open62541:open62541:{v}:{u}:*:*:*:*:*:*"),
        )
    };
    assert_eq!(open62541("1.3", "rc1"), ["CVE-2022-25761"]);
    assert_eq!(open62541("1.2.4", "*"), ["CVE-2022-25761"]);
    assert!(open62541("1.3", "rc9").is_empty());
    assert!(open62541("1.2.5", "*").is_empty());

    // Fedora 37 is listed exactly in CVE-2023-4863 and CVE-2022-25761.
    let fedora = cves_for(&l.index, "cpe:2.3:o:fedoraproject:fedora:37:*:*:*:*:*:*:*");
    assert!(fedora.contains(&"CVE-2023-4863".to_owned()));
    assert!(fedora.contains(&"CVE-2022-25761".to_owned()));
    assert!(!fedora.contains(&"CVE-2022-1122".to_owned()), "34-36 only");
}

#[test]
fn running_on_configurations_match_on_the_vulnerable_node() {
    let Some(l) = loaded() else { return };
    // CVE-2020-13595: AND(esp-idf [4.0.0, 4.2], esp32 as platform).
    let idf = |v: &str| cves_for(&l.index, &app("espressif:esp-idf", v));
    assert_eq!(idf("4.0.0"), ["CVE-2020-13595"]);
    assert_eq!(idf("4.2"), ["CVE-2020-13595"]);
    assert!(idf("3.3.9").is_empty());
    assert!(idf("4.2.1").is_empty());
    // The strict, whole-asset evaluation of the same configuration needs the platform.
    let cve = l
        .cves
        .iter()
        .find(|c| c.id == "CVE-2020-13595")
        .expect("CVE-2020-13595");
    let alone = nvd::Cpe::parse(&app("espressif:esp-idf", "4.1")).expect("cpe");
    assert!(!cve.matches(std::slice::from_ref(&alone)));
    assert!(!idf("4.1").is_empty());
    // The platform alone is never vulnerable.
    assert!(cves_for(&l.index, "cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*").is_empty());

    // Ten IBM CVEs: AND(security_verify_privilege_on-premises < 11.5, macOS or Windows).
    let ibm = |v: &str| {
        cves_for(
            &l.index,
            &app("ibm:security_verify_privilege_on-premises", v),
        )
    };
    assert_eq!(ibm("11.4").len(), 11);
    assert!(ibm("11.5").is_empty());
    for platform in [
        "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*",
        "cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*",
    ] {
        assert!(cves_for(&l.index, platform).is_empty(), "{platform}");
    }
}

#[test]
fn unknown_target_software_is_assumed() {
    let Some(l) = loaded() else { return };
    // CVE-2022-25929 names target_sw node.js.
    let sc = |tsw: &str| {
        cves_for(
            &l.index,
            &format!("cpe:2.3:a:smoothiecharts:smoothie_charts:1.35.0:*:*:*:*:{tsw}:*:*"),
        )
    };
    assert_eq!(sc("*"), ["CVE-2022-25929"]);
    assert_eq!(sc("node.js"), ["CVE-2022-25929"]);
    assert!(sc("wordpress").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Constructed records.

fn record(id: &str, status: &str, configurations: &str) -> Cve {
    let json = format!(
        r#"{{"id": "{id}", "published": "2024-01-01T00:00:00.000", "lastModified": "2024-01-02T00:00:00.000",
            "vulnStatus": "{status}", "descriptions": [{{"lang": "en", "value": "test"}}],
            "references": [], "configurations": {configurations}}}"#
    );
    let doc = nvd::parse("constructed.json", json.as_bytes()).expect("valid record");
    doc.cves.into_iter().next().expect("one CVE")
}

fn criterion(criteria: &str, vulnerable: bool, bounds: &str) -> String {
    format!(
        r#"{{"vulnerable": {vulnerable}, "criteria": "{criteria}", "matchCriteriaId": "00000000-0000-0000-0000-000000000001"{bounds}}}"#
    )
}

fn or_config(criteria: &[String]) -> String {
    format!(
        r#"[{{"nodes": [{{"operator": "OR", "negate": false, "cpeMatch": [{}]}}]}}]"#,
        criteria.join(",")
    )
}

fn fortios_cve() -> Cve {
    record(
        "CVE-2099-0001",
        "Analyzed",
        &or_config(&[criterion(
            "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
            true,
            r#", "versionStartIncluding": "7.2.0", "versionEndExcluding": "7.2.5""#,
        )]),
    )
}

fn builtin() -> Mapping {
    Mapping::builtin().expect("built-in table parses")
}

#[test]
fn name_mapped_fortigate_finds_a_fortios_cve() {
    let index = CpeIndex::build(&[fortios_cve()]);
    let mapping = builtin();
    let components = [
        CpeComponent {
            cpe: None,
            vendor: Some("Fortinet"),
            name: "FortiGate",
            version: Some("7.2.4"),
        },
        CpeComponent {
            cpe: None,
            vendor: Some("Fortinet"),
            name: "FortiGate",
            version: Some("7.2.5"),
        },
        CpeComponent {
            cpe: None,
            vendor: None,
            name: "Fortinet FortiGate",
            version: Some("v7.2.4"),
        },
        CpeComponent {
            cpe: Some("cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*"),
            vendor: None,
            name: "firewall",
            version: None,
        },
    ];
    let found = CpeMatcher::match_components(&index, &mapping, &components);
    let guessed = "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*";
    assert_eq!(
        found,
        [
            CpeFinding {
                components: vec![0, 2],
                cve: "CVE-2099-0001".into(),
                cpe: guessed.into(),
                criteria: vec!["cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:* >=7.2.0 <7.2.5".into()],
                fixed: vec!["7.2.5".into()],
                matched_by: MatchedBy::NameMapping,
            },
            CpeFinding {
                components: vec![3],
                cve: "CVE-2099-0001".into(),
                cpe: guessed.into(),
                criteria: vec!["cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:* >=7.2.0 <7.2.5".into()],
                fixed: vec!["7.2.5".into()],
                matched_by: MatchedBy::Cpe,
            },
        ]
    );
    let json = serde_json::to_value(&found).expect("serialise");
    assert_eq!(json[0]["matched_by"], "name-mapping");
    assert_eq!(json[1]["matched_by"], "cpe");
}

#[test]
fn missing_version_matches_only_all_version_criteria() {
    let every = record(
        "CVE-2099-0002",
        "Analyzed",
        &or_config(&[criterion(
            "cpe:2.3:a:roundcube:webmail:*:*:*:*:*:*:*:*",
            true,
            "",
        )]),
    );
    let index = CpeIndex::build(&[fortios_cve(), every]);
    let mapping = builtin();
    let without = |name: &'static str| CpeComponent {
        cpe: None,
        vendor: None,
        name,
        version: None,
    };
    let found = CpeMatcher::match_components(
        &index,
        &mapping,
        &[without("FortiGate"), without("Roundcube Webmail")],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found.first().map(|f| f.cve.as_str()), Some("CVE-2099-0002"));
    assert_eq!(
        found.first().map(|f| f.cpe.as_str()),
        Some("cpe:2.3:a:roundcube:webmail:*:*:*:*:*:*:*:*")
    );
}

#[test]
fn wildcard_criteria_and_rejected_cves() {
    let wild = record(
        "CVE-2099-0003",
        "Analyzed",
        &or_config(&[criterion(
            "cpe:2.3:a:*:examplelib*:1.0.?:*:*:*:*:*:*:*",
            true,
            "",
        )]),
    );
    let rejected = record(
        "CVE-2099-0004",
        "Rejected",
        &or_config(&[criterion("cpe:2.3:a:x:y:*:*:*:*:*:*:*:*", true, "")]),
    );
    let platform_only = record(
        "CVE-2099-0005",
        "Analyzed",
        &or_config(&[criterion("cpe:2.3:a:x:y:*:*:*:*:*:*:*:*", false, "")]),
    );
    let index = CpeIndex::build(&[wild, rejected, platform_only]);
    assert_eq!(index.stats().rejected, 1);
    assert_eq!(index.stats().wildcard_criteria, 1);
    assert_eq!(index.stats().skipped_configurations, 1);
    assert_eq!(
        index.warnings().first().map(|w| w.cve.as_str()),
        Some("CVE-2099-0005")
    );
    assert_eq!(
        cves_for(&index, &app("acme:examplelib-ng", "1.0.7")),
        ["CVE-2099-0003"]
    );
    assert!(cves_for(&index, &app("acme:examplelib", "1.1.0")).is_empty());
    assert!(cves_for(&index, &app("acme:other", "1.0.7")).is_empty());
    assert!(cves_for(&index, &app("x:y", "1.0")).is_empty());
}

#[test]
fn windows_builds_map_to_nvd_releases() {
    let cve = record(
        "CVE-2099-0006",
        "Analyzed",
        &or_config(&[
            criterion(
                "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:x64:*",
                true,
                r#", "versionEndExcluding": "10.0.19045.3803""#,
            ),
            criterion(
                "cpe:2.3:o:microsoft:windows_server_2022:*:*:*:*:*:*:*:*",
                true,
                r#", "versionEndExcluding": "10.0.20348.2159""#,
            ),
        ]),
    );
    let index = CpeIndex::build(&[cve]);
    let mapping = builtin();
    let win = |name: &'static str, version: &'static str| CpeComponent {
        cpe: None,
        vendor: Some("Microsoft Corporation"),
        name,
        version: Some(version),
    };
    let components = [
        win("Microsoft Windows 10 Pro", "10.0.19045.3570"),
        win("Microsoft Windows 10 Enterprise", "10.0.19045.3803"),
        win("Microsoft Windows 10 Pro", "10.0.19044.3570"),
        win(
            "Microsoft Windows Server 2022 Datacenter",
            "10.0.20348.2113",
        ),
    ];
    let found = CpeMatcher::match_components(&index, &mapping, &components);
    let got: Vec<(Vec<usize>, &str)> = found
        .iter()
        .map(|f| (f.components.clone(), f.cpe.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                vec![0],
                "cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.3570:*:*:*:*:*:*:*"
            ),
            (
                vec![3],
                "cpe:2.3:o:microsoft:windows_server_2022:10.0.20348.2113:*:*:*:*:*:*:*"
            ),
        ]
    );
    let (cpes, _) = CpeMatcher::resolve(&mapping, &components[2]);
    assert_eq!(
        cpes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["cpe:2.3:o:microsoft:windows_10_21h2:10.0.19044.3570:*:*:*:*:*:*:*"]
    );
}

#[test]
fn index_survives_a_serde_round_trip() {
    let Some(l) = loaded() else { return };
    let json = serde_json::to_string(&l.index).expect("serialise");
    let back: CpeIndex = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, l.index);
    assert_eq!(
        cves_for(&back, &app("canonical:apparmor", "3.0.5")),
        cves_for(&l.index, &app("canonical:apparmor", "3.0.5"))
    );
}

// ---------------------------------------------------------------------------------------------
// The mapping table.

fn resolved(
    mapping: &Mapping,
    vendor: Option<&str>,
    name: &str,
    version: Option<&str>,
) -> Vec<String> {
    let c = CpeComponent {
        cpe: None,
        vendor,
        name,
        version,
    };
    CpeMatcher::resolve(mapping, &c)
        .0
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

#[test]
fn builtin_table_guesses() {
    let m = builtin();
    let one = |vendor: Option<&str>, name: &str, version: Option<&str>| {
        let all = resolved(&m, vendor, name, version);
        all.first().cloned().unwrap_or_default()
    };
    let cases: &[(Option<&str>, &str, Option<&str>, &str)] = &[
        (
            Some("Fortinet"),
            "FortiGate",
            Some("7.2.4"),
            "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*",
        ),
        (
            Some("Fortinet, Inc."),
            "FortiGate 60F",
            Some("v7.4.1"),
            "cpe:2.3:o:fortinet:fortios:7.4.1:*:*:*:*:*:*:*",
        ),
        (
            Some("Palo Alto Networks"),
            "PAN-OS",
            Some("10.2.9"),
            "cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*",
        ),
        (
            Some("Microsoft"),
            "Edge",
            Some("120.0.2210.91"),
            "cpe:2.3:a:microsoft:edge_chromium:120.0.2210.91:*:*:*:*:*:*:*",
        ),
        (
            None,
            "Google Chrome",
            Some("120.0.6099.130"),
            "cpe:2.3:a:google:chrome:120.0.6099.130:*:*:*:*:*:*:*",
        ),
        (
            Some("Mozilla"),
            "Mozilla Firefox ESR 115.6.0 (x64 en-US)",
            Some("115.6.0"),
            "cpe:2.3:a:mozilla:firefox_esr:115.6.0:*:*:*:*:*:*:*",
        ),
        (
            Some("Mozilla"),
            "Mozilla Firefox (x64 nl)",
            Some("121.0"),
            "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*",
        ),
        (
            Some("Microsoft Corporation"),
            "Microsoft Exchange Server 2019 CU12",
            Some("15.2.1118.7"),
            "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*",
        ),
        (
            None,
            "Microsoft Exchange Server 2016 Cumulative Update 23",
            None,
            "cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_23:*:*:*:*:*:*",
        ),
        (
            Some("Microsoft Corporation"),
            "Microsoft Office Professional Plus 2019 - nl-nl",
            Some("16.0.10827.20181"),
            "cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*",
        ),
        (
            Some("Microsoft Corporation"),
            "Microsoft 365 Apps for enterprise - nl-nl",
            Some("16.0.17126.20132"),
            "cpe:2.3:a:microsoft:365_apps:-:*:*:*:*:*:*:*",
        ),
        (
            Some("Veeam Software Group GmbH"),
            "Veeam Backup & Replication",
            Some("12.1.0.2131"),
            "cpe:2.3:a:veeam:veeam_backup_\\&_replication:12.1.0.2131:*:*:*:*:*:*:*",
        ),
        (
            Some("VMware, Inc."),
            "VMware ESXi",
            Some("8.0.2"),
            "cpe:2.3:o:vmware:esxi:8.0.2:*:*:*:*:*:*:*",
        ),
        (
            Some("VMware, Inc."),
            "VMware ESXi 7.0 Update 3c",
            Some("7.0.3"),
            "cpe:2.3:o:vmware:esxi:7.0:update_3c:*:*:*:*:*:*",
        ),
        (
            None,
            "Zyxel USG FLEX 100",
            Some("V5.36"),
            "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.36:*:*:*:*:*:*:*",
        ),
        (
            Some("Adobe"),
            "Adobe Acrobat Reader DC MUI",
            Some("23.008.20470"),
            "cpe:2.3:a:adobe:acrobat_reader_dc:23.008.20470:*:*:*:*:*:*:*",
        ),
        (
            Some("Adobe"),
            "Adobe Acrobat (64-bit)",
            Some("23.008.20470"),
            "cpe:2.3:a:adobe:acrobat_dc:23.008.20470:*:*:*:*:*:*:*",
        ),
        (
            None,
            "ConnectWise ScreenConnect",
            Some("23.9.7"),
            "cpe:2.3:a:connectwise:screenconnect:23.9.7:*:*:*:*:*:*:*",
        ),
        (
            Some("Progress Software Corporation"),
            "MOVEit Transfer",
            Some("2023.0.1"),
            "cpe:2.3:a:progress:moveit_transfer:2023.0.1:*:*:*:*:*:*:*",
        ),
        (
            Some("Microsoft"),
            "Microsoft SharePoint Server Subscription Edition",
            None,
            "cpe:2.3:a:microsoft:sharepoint_server:-:*:*:*:*:*:*:*",
        ),
    ];
    for &(vendor, name, version, want) in cases {
        assert_eq!(
            one(vendor, name, version),
            want,
            "{vendor:?} {name:?} {version:?}"
        );
    }
    // Products NVD names in more than one way are guessed under each name.
    assert_eq!(
        resolved(&m, Some("Ivanti"), "Connect Secure", Some("22.7R2.3")),
        [
            "cpe:2.3:a:ivanti:connect_secure:22.7R2.3:*:*:*:*:*:*:*",
            "cpe:2.3:a:pulsesecure:pulse_connect_secure:22.7R2.3:*:*:*:*:*:*:*"
        ]
    );
    // "Edge" alone is ambiguous: it needs its vendor.
    assert!(resolved(&m, None, "Edge", Some("120.0")).is_empty());
    // An unknown product, and a Windows build the table does not know.
    assert!(resolved(&m, Some("Acme"), "Widget", Some("1.0")).is_empty());
    assert!(resolved(&m, None, "Microsoft Windows 10 Pro", Some("10.0.99999.1")).is_empty());
    assert!(resolved(&m, None, "Microsoft Windows 10 Pro", None).is_empty());
    // A version that cannot be bound into a CPE name gives no guess rather than a wrong one.
    assert!(resolved(&m, None, "Google Chrome", Some("120 beta é")).is_empty());
}

#[test]
fn builtin_table_has_no_duplicate_aliases() {
    let m = builtin();
    assert!(m.rows().len() > 60, "{} rows", m.rows().len());
    let mut seen = HashMap::new();
    for row in m.rows() {
        for a in &row.names {
            let key = (
                a.normalised.clone(),
                a.prefix,
                a.word_boundary,
                row.version.when_prefix.clone(),
            );
            if let Some(first) = seen.insert(key, row.line) {
                panic!("alias {:?} on lines {first} and {}", a.written, row.line);
            }
        }
    }
}

#[test]
fn builtin_table_covers_the_required_products() {
    let m = builtin();
    let products: BTreeSet<String> = m
        .rows()
        .iter()
        .flat_map(|r| r.cpes.iter().map(|(_, v, p)| format!("{v}:{p}")))
        .collect();
    for want in [
        "fortinet:fortios",
        "fortinet:fortiproxy",
        "fortinet:fortiweb",
        "paloaltonetworks:pan-os",
        "paloaltonetworks:globalprotect",
        "cisco:adaptive_security_appliance_software",
        "cisco:firepower_threat_defense",
        "cisco:ios_xe",
        "ivanti:connect_secure",
        "ivanti:policy_secure",
        "ivanti:endpoint_manager_mobile",
        "citrix:netscaler_application_delivery_controller",
        "citrix:netscaler_gateway",
        "sonicwall:sonicos",
        "juniper:junos",
        "watchguard:fireware",
        "vmware:esxi",
        "vmware:vcenter_server",
        "citrix:hypervisor",
        "proxmox:virtual_environment",
        "microsoft:exchange_server",
        "zimbra:collaboration",
        "roundcube:webmail",
        "exim:exim",
        "postfix:postfix",
        "veeam:veeam_backup_\\&_replication",
        "veritas:backup_exec",
        "commvault:command_center",
        "synology:diskstation_manager",
        "qnap:qts",
        "google:chrome",
        "microsoft:edge_chromium",
        "mozilla:firefox",
        "apple:safari",
        "microsoft:office",
        "microsoft:365_apps",
        "libreoffice:libreoffice",
        "adobe:acrobat_reader_dc",
        "citrix:workspace",
        "connectwise:screenconnect",
        "progress:moveit_transfer",
        "atlassian:confluence_server",
        "microsoft:windows_10_22h2",
        "microsoft:windows_server_2022",
        "microsoft:sharepoint_server",
    ] {
        assert!(products.contains(want), "no row for {want}");
    }
}

/// Every row's `kev` reference names a real KEV entry; rows without one are listed (they are
/// in the table for municipal estates, not for KEV).
#[test]
fn builtin_kev_references_exist() {
    let Some(path) = weerbaar_fixtures::fixture("kev/known_exploited_vulnerabilities.json") else {
        return;
    };
    let bytes = std::fs::read(path).expect("read KEV");
    let kev: serde_json::Value = serde_json::from_slice(&bytes).expect("KEV JSON");
    let entries: Vec<(String, String)> = kev["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|v| {
            (
                v["vendorProject"]
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase(),
                v["product"].as_str().unwrap_or_default().to_lowercase(),
            )
        })
        .collect();
    assert!(entries.len() > 1000);
    let m = builtin();
    let mut without = Vec::new();
    let mut with = 0;
    for row in m.rows() {
        let name = row
            .cpes
            .iter()
            .map(|(_, v, p)| format!("{v}:{p}"))
            .collect::<Vec<_>>()
            .join(";");
        match &row.kev {
            Some((vendor, product)) => {
                with += 1;
                let (v, p) = (vendor.to_lowercase(), product.to_lowercase());
                assert!(
                    entries.iter().any(|(ev, ep)| *ev == v && ep.contains(&p)),
                    "{BUILTIN_FILE}:{}: {name}: no KEV entry {vendor}/{product}",
                    row.line
                );
            }
            None => without.push(name),
        }
    }
    assert!(with >= 50, "{with} rows reference KEV");
    println!("rows not referenced to a KEV entry: {without:?}");
}

#[test]
fn mapping_errors_name_file_and_line() {
    let cases = [
        ("a:x:y,Y\n", 1, "header"),
        ("cpe,names,version,kev\n# c\n\nx:y,Y\n", 4, "three"),
        ("cpe,names,version,kev\nq:x:y,Y\n", 2, "part"),
        ("cpe,names,version,kev\na:x:y\n", 2, "2 to 4"),
        ("cpe,names,version,kev\na:x:y,Y;;Z\n", 2, "empty alias"),
        (
            "cpe,names,version,kev\na:x:y,Y,when=1\n",
            2,
            "unknown version directive",
        ),
        (
            "cpe,names,version,kev\na:x:y,Y,strip-prefix\n",
            2,
            "key=value",
        ),
        (
            "cpe,names,version,kev\na:x:y,Y,,KEV\n",
            2,
            "vendorProject/product",
        ),
        (
            "cpe,names,version,kev\na:x:y,Y\na:x:z,y\n",
            3,
            "already mapped on line 2",
        ),
        ("cpe,names,version,kev\na:x y:z,Y\n", 2, "space"),
        ("cpe,names,version,kev\na:*:z,Y\n", 2, "not * or -"),
        ("cpe,names,version,kev\na:x:z,--\n", 2, "no letters"),
    ];
    for (text, line, needle) in cases {
        let e = Mapping::parse(text, "site.csv").expect_err(text);
        assert_eq!(
            (e.file.as_str(), e.line),
            ("site.csv", line),
            "{text:?}: {e}"
        );
        assert!(
            e.to_string().starts_with(&format!("site.csv:{line}: ")),
            "{e}"
        );
        assert!(e.message.contains(needle), "{text:?}: {e}");
    }
    // The same alias with another when-prefix is not a duplicate.
    let ok = Mapping::parse(
        "cpe,names,version,kev\no:x:a,Y *,when-prefix=1\no:x:b,Y *,when-prefix=2\n",
        "site.csv",
    );
    assert!(ok.is_ok());
}

#[test]
fn user_rows_override_builtin_rows() {
    let user = Mapping::parse(
        "cpe,names,version,kev\no:example:fortigate_os,FortiGate\na:example:intranet,Gemeente Intranet\n",
        "site.csv",
    )
    .expect("user file");
    let m = builtin().with(user);
    assert_eq!(
        resolved(&m, None, "FortiGate", Some("7.2.4")),
        ["cpe:2.3:o:example:fortigate_os:7.2.4:*:*:*:*:*:*:*"]
    );
    // Other aliases of the overridden built-in row stay.
    assert_eq!(
        resolved(&m, None, "FortiOS", Some("7.2.4")),
        ["cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*"]
    );
    assert_eq!(
        resolved(&m, None, "Gemeente Intranet", Some("3")),
        ["cpe:2.3:a:example:intranet:3:*:*:*:*:*:*:*"]
    );
    assert_eq!(normalise("  Gemeente-Intranet!! "), "gemeente intranet");
}

proptest! {
    #[test]
    fn garbage_never_panics(
        cpe in proptest::option::of("(cpe:2\\.3:|cpe:/)?[aoh*]?(:[ -~]{0,6}){0,13}"),
        vendor in proptest::option::of("[ -~]{0,12}"),
        name in "[ -~é]{0,24}",
        version in proptest::option::of("[ -~]{0,10}"),
    ) {
        let index = CpeIndex::build(&[fortios_cve()]);
        let mapping = builtin();
        let c = CpeComponent { cpe: cpe.as_deref(), vendor: vendor.as_deref(), name: &name, version: version.as_deref() };
        let _ = CpeMatcher::match_components(&index, &mapping, &[c]);
    }

    #[test]
    fn garbage_mapping_files_never_panic(text in "(cpe,names,version,kev\n)?([ -~;,:*\\\\]{0,30}\n){0,5}") {
        let _ = Mapping::parse(&text, "fuzz.csv");
    }
}

#[test]
fn platform_criteria_inside_a_node() {
    // One AND node holding the vulnerable app and its platform; one OR node mixing them.
    let and_node = record(
        "CVE-2099-0007",
        "Analyzed",
        &format!(
            r#"[{{"nodes": [{{"operator": "AND", "negate": false, "cpeMatch": [{}, {}]}}]}}]"#,
            criterion(
                "cpe:2.3:a:acme:portal:*:*:*:*:*:*:*:*",
                true,
                r#", "versionEndIncluding": "2.0""#
            ),
            criterion("cpe:2.3:o:acme:appliance_os:-:*:*:*:*:*:*:*", false, ""),
        ),
    );
    let or_node = record(
        "CVE-2099-0008",
        "Analyzed",
        &or_config(&[
            criterion("cpe:2.3:a:acme:agent:1.0:*:*:*:*:*:*:*", true, ""),
            criterion("cpe:2.3:o:acme:appliance_os:-:*:*:*:*:*:*:*", false, ""),
        ]),
    );
    let index = CpeIndex::build(&[and_node, or_node]);
    assert_eq!(
        cves_for(&index, &app("acme:portal", "2.0")),
        ["CVE-2099-0007"]
    );
    assert!(cves_for(&index, &app("acme:portal", "2.0.1")).is_empty());
    assert_eq!(
        cves_for(&index, &app("acme:agent", "1.0")),
        ["CVE-2099-0008"]
    );
    assert!(cves_for(&index, &app("acme:agent", "1.1")).is_empty());
    assert!(
        cves_for(&index, "cpe:2.3:o:acme:appliance_os:-:*:*:*:*:*:*:*").is_empty(),
        "a platform is never vulnerable on its own"
    );
}

/// The scan command caches the CPE index with `save_cache` (postcard, which is not
/// self-describing): the round trip must give an index that matches exactly as the original.
#[test]
fn the_cpe_index_survives_the_file_cache() {
    let Some(l) = loaded() else { return };
    let path = std::env::temp_dir().join(format!("weerbaar-cpe-cache-{}", std::process::id()));
    weerbaar_matching::save_cache(&path, "fp-1", &l.index).expect("save");
    let back: CpeIndex = weerbaar_matching::load_cache(&path, "fp-1")
        .expect("load")
        .expect("same fingerprint");
    assert!(
        weerbaar_matching::load_cache::<CpeIndex>(&path, "fp-2")
            .expect("load")
            .is_none(),
        "another fingerprint is a stale cache"
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(back.stats(), l.index.stats());
    for probe in [
        app("google:chrome", "116.0.5845.96"),
        app("tukaani:xz", "5.6.1"),
        app("apparmor_project:apparmor", "2.12"),
        app("libmobi_project:libmobi", "0.9"),
    ] {
        let c = nvd::Cpe::parse(&probe).expect("valid CPE");
        let (a, b) = (l.index.match_cpe(&c), back.match_cpe(&c));
        assert_eq!(a, b, "{probe}");
    }
    let hits: usize = l
        .cves
        .iter()
        .flat_map(|c| c.configurations.iter())
        .flat_map(|c| c.nodes.iter())
        .flat_map(|n| n.cpe_match.iter())
        .filter(|m| m.vulnerable)
        .map(|m| {
            let c = &m.criteria;
            assert_eq!(l.index.match_cpe(c), back.match_cpe(c), "{}", c.as_str());
            1
        })
        .sum();
    assert!(hits > 100, "{hits}");
}
