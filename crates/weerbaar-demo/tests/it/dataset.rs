//! The demo dataset: parsed by the real feed loaders, consistent, and every advisory matches
//! something in the demo estates.

use std::collections::BTreeSet;

use weerbaar_demo::dataset::{self, Dataset};
use weerbaar_demo::estate;
use weerbaar_inventory::model::Component;
use weerbaar_matching::Mapping;

#[test]
fn files_load_through_the_feed_loaders() {
    let dir = std::env::temp_dir().join(format!("weerbaar-demo-data-{}", std::process::id()));
    dataset::write_feed_files(&dir).expect("write files");
    let feeds = weerbaar_feeds::load_paths(std::slice::from_ref(&dir)).expect("load");
    let data = Dataset::load().expect("parse");
    assert_eq!(feeds.osv.len(), data.osv.len());
    assert_eq!(feeds.nvd.len(), data.nvd.len());
    assert!(feeds.kev.is_some() && feeds.epss.is_some());
    let _ = std::fs::remove_dir_all(&dir);
    // The checked-in directory is what `weerbaar scan --advisories` is pointed at.
    let checked_in = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/feeds");
    let same = weerbaar_feeds::load_paths(&[checked_in]).expect("load data/feeds");
    assert_eq!(same.osv.len(), feeds.osv.len());
    assert_eq!(same.nvd.len(), feeds.nvd.len());

    let cves = data.cves();
    assert!(
        (30..=60).contains(&cves.len()),
        "a few dozen CVEs, got {}",
        cves.len()
    );
    assert!(data.kev.entries.len() >= 25);
}

#[test]
fn every_record_is_marked_as_demo_data() {
    for line in dataset::OSV.text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(v["database_specific"]["weerbaar_demo"], true, "{}", v["id"]);
    }
    let data = Dataset::load().expect("parse");
    for cve in &data.nvd {
        let text = &cve.descriptions[0].value;
        assert!(text.contains("weerbaar demo data"), "{}: {text}", cve.id);
    }
    let kev: serde_json::Value = serde_json::from_str(dataset::KEV.text).expect("json");
    for k in kev["vulnerabilities"].as_array().expect("entries") {
        assert_eq!(k["notes"], "weerbaar demo data", "{}", k["cveID"]);
    }
}

#[test]
fn kev_and_epss_speak_only_of_dataset_cves() {
    let data = Dataset::load().expect("parse");
    let cves: BTreeSet<String> = data.cves().into_iter().collect();
    for k in &data.kev.entries {
        assert!(cves.contains(&k.cve_id), "KEV {} has no advisory", k.cve_id);
    }
    for s in &data.epss.scores {
        assert!(cves.contains(&s.cve), "EPSS {} has no advisory", s.cve);
    }
    assert_eq!(data.epss.scores.len(), cves.len(), "every CVE has a score");
}

#[test]
fn every_advisory_matches_a_demo_component() {
    let data = Dataset::load().expect("parse");
    let knowledge = data.knowledge();
    assert!(
        knowledge.index.warnings().is_empty(),
        "{:?}",
        knowledge.index.warnings()
    );
    let towns = estate::municipalities().expect("estates");
    let components: Vec<&Component> = towns
        .iter()
        .flat_map(|m| m.assets.iter())
        .flat_map(|a| a.asset.components.iter())
        .collect();
    let mapping = Mapping::builtin().expect("mapping");
    let outcome = weerbaar_scan::match_components(&knowledge, &mapping, &components, 2);
    let matched: BTreeSet<String> = outcome
        .findings
        .iter()
        .flat_map(|m| {
            std::iter::once(m.finding.advisory_id.clone()).chain(m.finding.aliases.iter().cloned())
        })
        .collect();
    let unmatched: Vec<String> = data
        .cves()
        .into_iter()
        .filter(|cve| !matched.contains(cve))
        .collect();
    assert!(
        unmatched.is_empty(),
        "advisories that match nothing: {unmatched:?}"
    );
    for a in &data.osv {
        assert!(
            matched.contains(&a.id),
            "OSV record {} matches nothing",
            a.id
        );
    }
    // A patched estate exists too: not every component is vulnerable.
    let vulnerable: BTreeSet<usize> = outcome
        .findings
        .iter()
        .flat_map(|m| m.components.iter().copied())
        .collect();
    assert!(
        vulnerable.len() * 2 < components.len(),
        "{} of {}",
        vulnerable.len(),
        components.len()
    );
}

#[test]
fn municipalities_are_fictional_demo_tenants_and_deterministic() {
    let a = estate::municipalities().expect("estates");
    let b = estate::municipalities().expect("estates");
    assert!((6..=8).contains(&a.len()));
    for (x, y) in a.iter().zip(&b) {
        assert!(x.tenant.as_str().starts_with("demo-"), "{}", x.tenant);
        assert!(x.name.ends_with("(demo)"), "{}", x.name);
        assert_eq!(x.assets.len(), y.assets.len());
        for (p, q) in x.assets.iter().zip(&y.assets) {
            assert_eq!(p.name, q.name);
            assert_eq!(p.asset.components, q.asset.components);
        }
        let names: BTreeSet<&str> = x.assets.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names.len(),
            x.assets.len(),
            "asset names are unique in {}",
            x.tenant
        );
        for required in [
            "fw-edge01",
            "esx01",
            "vcenter01",
            "mail01",
            "burgerzaken-portal",
        ] {
            assert!(names.contains(required), "{} lacks {required}", x.tenant);
        }
    }
}

/// The CVEs found on one asset of one town.
fn found(towns: &[estate::Municipality], town: usize, asset: &str) -> BTreeSet<String> {
    let data = Dataset::load().expect("parse");
    let knowledge = data.knowledge();
    let mapping = Mapping::builtin().expect("mapping");
    let a = towns[town]
        .assets
        .iter()
        .find(|a| a.name == asset)
        .expect("asset");
    let refs: Vec<&Component> = a.asset.components.iter().collect();
    weerbaar_scan::match_components(&knowledge, &mapping, &refs, 1)
        .findings
        .iter()
        .flat_map(|m| {
            std::iter::once(m.finding.advisory_id.clone()).chain(m.finding.aliases.iter().cloned())
        })
        .filter(|id| id.starts_with("CVE-"))
        .collect()
}

#[test]
fn appliance_versions_compare_as_their_vendors_number_them() {
    let towns = estate::municipalities().expect("estates");
    let set = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>();
    // FortiOS 7.2.2: before all three SSL-VPN fixes; 7.4.4: after them.
    assert_eq!(
        found(&towns, 0, "fw-edge01"),
        set(&["CVE-2022-42475", "CVE-2023-27997", "CVE-2024-21762"])
    );
    assert_eq!(found(&towns, 4, "fw-edge01"), set(&[]));
    // NetScaler 13.1-48.47 is before 13.1-49.13; 14.1-43.56 is the CitrixBleed 2 fix.
    assert_eq!(
        found(&towns, 2, "fw-edge01"),
        set(&["CVE-2023-3519", "CVE-2023-4966", "CVE-2025-5777"])
    );
    assert_eq!(found(&towns, 6, "fw-edge01"), set(&[]));
    // PAN-OS 10.2.7-h3 is before 10.2.9.
    assert_eq!(found(&towns, 3, "fw-edge01"), set(&["CVE-2024-3400"]));
    // Ivanti by exact release and update.
    assert_eq!(
        found(&towns, 1, "fw-edge01"),
        set(&["CVE-2023-46805", "CVE-2024-21887"])
    );
    assert_eq!(found(&towns, 5, "fw-edge01"), set(&["CVE-2025-0282"]));
    // Exchange by cumulative update.
    assert_eq!(
        found(&towns, 0, "mail01"),
        set(&["CVE-2021-26855", "CVE-2021-34473"])
    );
    assert_eq!(found(&towns, 3, "mail01"), set(&[]));
}
