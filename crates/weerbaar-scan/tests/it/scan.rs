//! Scans on real feeds: RustSec's OSV export, an NVD record, the real KEV catalog.

use weerbaar_advisories::{epss, kev, nvd, osv};
use weerbaar_inventory::{ImportOptions, ImportedAsset};
use weerbaar_matching::Mapping;
use weerbaar_scan::{Knowledge, SCHEMA, ScanInput, ScanOptions, scan};

const LOCK: &str = r#"version = 3

[[package]]
name = "libwebp-sys"
version = "0.9.2"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

/// EPSS scores in the published layout (our own numbers, for the test).
const EPSS: &str = "#model_version:v2025.03.14,score_date:2025-09-01T00:00:00+0000\n\
cve,epss,percentile\nCVE-2023-4863,0.93512,0.99801\n";

fn mapping() -> Mapping {
    Mapping::builtin().expect("the built-in table parses")
}

fn options() -> ScanOptions {
    ScanOptions {
        generated_at: "2026-11-28T00:00:00Z".to_owned(),
        tool_version: "test".to_owned(),
        threads: 2,
    }
}

fn lock_input(file: &str, asset: &str) -> ScanInput {
    let mut inventory =
        weerbaar_inventory::import_bytes(file, LOCK.as_bytes(), &ImportOptions::default())
            .expect("Cargo.lock imports");
    weerbaar_inventory::enrich(&mut inventory);
    let assets: Vec<ImportedAsset> = inventory
        .assets
        .into_iter()
        .map(|mut a| {
            a.name = Some(asset.to_owned());
            a
        })
        .collect();
    ScanInput {
        file: file.to_owned(),
        format: inventory.format.name().to_owned(),
        assets,
    }
}

struct Feeds {
    osv: Vec<osv::Advisory>,
    nvd: Vec<nvd::Cve>,
    kev: kev::Catalog,
    epss: epss::Scores,
}

fn feeds() -> Option<Feeds> {
    let read = |p: &str| -> Option<(String, Vec<u8>)> {
        let path = weerbaar_fixtures::fixture(p)?;
        Some((
            path.display().to_string(),
            std::fs::read(&path).expect("read fixture"),
        ))
    };
    let (f, b) = read("osv/rustsec/rustsec-osv.jsonl")?;
    let osv = osv::parse_any(&f, &b).expect("rustsec parses");
    let (f, b) = read("nvd/osv.dev-nvdcve-2.0/CVE-2023-4863.json")?;
    let nvd = nvd::parse(&f, &b).expect("nvd parses").cves;
    let (f, b) = read("kev/known_exploited_vulnerabilities.json")?;
    let kev = kev::parse(&f, &b).expect("kev parses");
    let epss = epss::parse("epss.csv", EPSS.as_bytes()).expect("epss parses");
    Some(Feeds {
        osv,
        nvd,
        kev,
        epss,
    })
}

#[test]
fn a_kev_listed_crate_gets_kev_epss_and_a_computed_cvss() {
    let Some(feeds) = feeds() else { return };
    let knowledge = Knowledge::build(&feeds.osv, &feeds.nvd, Some(&feeds.kev), Some(&feeds.epss));
    let inputs = [
        lock_input("portal/Cargo.lock", "burgerzaken-portal"),
        lock_input("kiosk/Cargo.lock", "kiosk"),
    ];
    let report = scan(&knowledge, &mapping(), &inputs, &options());

    assert_eq!(report.schema, SCHEMA);
    assert_eq!(report.feeds.osv_advisories, 1206);
    assert_eq!(report.feeds.kev_entries, Some(feeds.kev.entries.len()));
    assert_eq!(report.inputs.len(), 2);
    assert_eq!(report.inputs[0].components, 2);
    assert_eq!(report.inputs[0].matchable, 2);

    // libwebp-sys 0.9.2 is affected by RUSTSEC-2023-0061 (CVE-2023-4863, fixed in 0.9.3); the
    // same package in two lockfiles is one finding with two locations.
    let f = report
        .findings
        .iter()
        .find(|f| f.advisory_id == "RUSTSEC-2023-0061")
        .expect("RUSTSEC-2023-0061 found");
    // RustSec's record lists the CVE, the rejected duplicate CVE-2023-5129 and the GHSA.
    assert_eq!(
        f.aliases,
        ["CVE-2023-4863", "CVE-2023-5129", "GHSA-j7hp-h8jx-5ppr"]
    );
    assert_eq!(f.package.ecosystem.as_deref(), Some("crates.io"));
    assert_eq!(f.package.name, "libwebp-sys");
    assert_eq!(f.package.version, "0.9.2");
    assert_eq!(
        f.package.purl.as_deref(),
        Some("pkg:cargo/libwebp-sys@0.9.2")
    );
    assert_eq!(f.fixed_versions, vec!["0.9.3".to_owned()]);
    assert_eq!(f.locations.len(), 2);
    assert_eq!(
        f.locations[0].asset.as_deref(),
        Some("kiosk"),
        "locations are sorted by file: kiosk/ before portal/"
    );

    // KEV, from the real catalog: added 2023-09-13, due 2023-10-04.
    let k = f.kev.as_ref().expect("CVE-2023-4863 is in KEV");
    assert_eq!(
        (k.cve.as_str(), k.date_added.as_str(), k.due_date.as_str()),
        ("CVE-2023-4863", "2023-09-13", "2023-10-04")
    );
    assert!(!k.ransomware);

    let e = f.epss.as_ref().expect("scored");
    assert_eq!(
        (e.cve.as_str(), e.score, e.percentile),
        ("CVE-2023-4863", 0.93512, 0.99801)
    );

    // The RustSec record has no vector; NVD's primary v3.1 vector is scored here.
    let c = f.cvss.as_ref().expect("NVD gives a vector");
    assert_eq!(c.version, "3.1");
    assert_eq!(c.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H");
    assert!((c.base_score - 8.8).abs() < 1e-9, "{}", c.base_score);
    assert_eq!(c.source, "nvd");
    assert_eq!(f.severity, "high");

    // KEV-listed findings come first.
    assert_eq!(report.findings[0].advisory_id, "RUSTSEC-2023-0061");
    assert_eq!(report.summary.kev, 1);
    assert_eq!(report.summary.findings, report.findings.len());
    // serde 1.0.200 has no advisory.
    assert!(report.findings.iter().all(|f| f.package.name != "serde"));
}

#[test]
fn the_report_is_a_pure_function_of_its_inputs() {
    let Some(feeds) = feeds() else { return };
    let knowledge = Knowledge::build(&feeds.osv, &feeds.nvd, Some(&feeds.kev), Some(&feeds.epss));
    let inputs = [lock_input("Cargo.lock", "app")];
    let a =
        serde_json::to_string(&scan(&knowledge, &mapping(), &inputs, &options())).expect("json");
    let one_thread = ScanOptions {
        threads: 1,
        ..options()
    };
    let b =
        serde_json::to_string(&scan(&knowledge, &mapping(), &inputs, &one_thread)).expect("json");
    assert_eq!(a, b);
}

/// The keys of `weerbaar.scan/1` (docs/scan-report.md). Adding a key is allowed within the
/// schema version and must be added here and to the document; removing or renaming one is not.
#[test]
fn the_json_contract_keeps_its_keys() {
    let Some(feeds) = feeds() else { return };
    let knowledge = Knowledge::build(&feeds.osv, &feeds.nvd, Some(&feeds.kev), Some(&feeds.epss));
    let report = scan(
        &knowledge,
        &mapping(),
        &[lock_input("Cargo.lock", "app")],
        &options(),
    );
    let json = serde_json::to_value(&report).expect("json");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let sorted = |mut v: Vec<&str>| {
        v.sort_unstable();
        v.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&json),
        sorted(vec![
            "schema",
            "tool",
            "generated_at",
            "feeds",
            "inputs",
            "summary",
            "findings"
        ])
    );
    let finding = &json["findings"][0];
    assert_eq!(
        keys(finding),
        sorted(vec![
            "advisory_id",
            "aliases",
            "summary",
            "package",
            "fixed_versions",
            "matched_by",
            "cpe",
            "severity",
            "cvss",
            "kev",
            "epss",
            "locations",
        ])
    );
    assert_eq!(
        keys(&finding["package"]),
        sorted(vec!["ecosystem", "name", "version", "purl"])
    );
    assert_eq!(
        keys(&finding["kev"]),
        sorted(vec![
            "cve",
            "date_added",
            "due_date",
            "ransomware",
            "required_action"
        ])
    );
    assert_eq!(
        keys(&finding["epss"]),
        sorted(vec!["cve", "score", "percentile"])
    );
    assert_eq!(
        keys(&finding["cvss"]),
        sorted(vec!["version", "vector", "base_score", "source"])
    );
    assert_eq!(finding["matched_by"], "purl");
    assert_eq!(json["schema"], "weerbaar.scan/1");
}
