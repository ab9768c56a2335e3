//! osv-scanner's result files: each package with the full OSV records osv-scanner matched.

use std::collections::{BTreeMap, BTreeSet};

use weerbaar_advisories::osv::Advisory;
use weerbaar_matching::{ComponentRef, Index, Matcher};

use crate::support::record;

#[test]
fn osv_scanner_scan_results_are_reproduced() {
    let Some(files) =
        weerbaar_fixtures::fixtures_in("matching-oracles/osv-scanner/scan-results", ".json")
    else {
        return;
    };
    let mut report = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
        let Some(results) = doc.get("results").and_then(|r| r.as_array()) else {
            // A single OSV record (source-analysis fixtures): it must parse and index.
            let a = record(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
            let index = Index::build(std::slice::from_ref(&a));
            assert!(index.stats().entries > 0, "{name}");
            continue;
        };
        let mut packages = Vec::new();
        let mut records: BTreeMap<String, Advisory> = BTreeMap::new();
        for r in results {
            for p in r["packages"].as_array().into_iter().flatten() {
                let pkg = &p["package"];
                let key = (
                    pkg["ecosystem"].as_str().unwrap_or_default().to_owned(),
                    pkg["name"].as_str().unwrap_or_default().to_owned(),
                    pkg["version"].as_str().unwrap_or_default().to_owned(),
                );
                let mut expected = BTreeSet::new();
                for v in p["vulnerabilities"].as_array().into_iter().flatten() {
                    let a = record(v).unwrap_or_else(|e| panic!("{name}: {e}"));
                    expected.insert(a.id.clone());
                    records.insert(a.id.clone(), a);
                }
                packages.push((key, expected));
            }
        }
        let advisories: Vec<Advisory> = records.into_values().collect();
        let index = Index::build(&advisories);
        for ((eco, pname, version), expected) in packages {
            let comps = [ComponentRef::new(&eco, &pname, &version)];
            let got: BTreeSet<String> = Matcher::match_components(&index, &comps)
                .into_iter()
                .flat_map(|f| f.advisories)
                .collect();
            report.push((name.clone(), eco, pname, version, expected, got));
        }
    }
    let mut agree = 0;
    let mut diffs = Vec::new();
    for (file, eco, name, version, expected, got) in &report {
        if expected == got {
            agree += 1;
        } else {
            diffs.push(format!(
                "{file}: {eco} {name} {version}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    println!(
        "osv-scanner scan results: {agree}/{} packages agree",
        report.len()
    );
    for d in &diffs {
        println!("  {d}");
    }
    assert!(diffs.is_empty(), "{diffs:#?}");
}
