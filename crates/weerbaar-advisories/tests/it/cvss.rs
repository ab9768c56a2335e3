//! CVSS base scores computed from real vectors, checked against the scores their publishers
//! computed: every CVSS metric in the NVD fixtures, GHSA's GraphQL `cvss {score, vectorString}`
//! and Trivy's golden scan results; and every CVSS_V3/CVSS_V4 vector in the OSV fixtures must
//! score. Counts were verified independently with python3 (which implements the v3 equations).

use proptest::prelude::*;
use serde_json::Value;
use weerbaar_advisories::cvss::{self, CvssError, CvssVersion, Severity};
use weerbaar_fixtures::{fixture, fixtures_in};

fn json(path: &std::path::Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Calls `f` on every object in `value` that has the key `key`.
fn objects_with<'a>(value: &'a Value, key: &str, f: &mut impl FnMut(&'a Value)) {
    match value {
        Value::Object(map) => {
            if map.contains_key(key) {
                f(value);
            }
            for v in map.values() {
                objects_with(v, key, f);
            }
        }
        Value::Array(items) => {
            for v in items {
                objects_with(v, key, f);
            }
        }
        _ => {}
    }
}

fn severity(s: &str) -> Severity {
    match s {
        "NONE" => Severity::None,
        "LOW" => Severity::Low,
        "MEDIUM" | "MODERATE" => Severity::Medium,
        "HIGH" => Severity::High,
        "CRITICAL" => Severity::Critical,
        other => panic!("severity {other}"),
    }
}

#[test]
fn nvd_metrics_score_as_published() {
    let mut files = Vec::new();
    for dir in [
        "nvd/osv.dev-nvdcve-2.0",
        "nvd/vunnel",
        "nvd/vuln-list-update",
    ] {
        let Some(found) = fixtures_in(dir, ".json") else {
            return;
        };
        files.extend(found);
    }
    assert_eq!(files.len(), 30);
    let (mut v30, mut v31, mut v40, mut v2) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for path in &files {
        let doc = json(path);
        objects_with(&doc, "vectorString", &mut |data| {
            let vector = data["vectorString"].as_str().expect("vectorString");
            let version = data["version"].as_str().expect("version");
            let published = data["baseScore"].as_f64().expect("baseScore");
            if version == "2.0" {
                v2 += 1;
                assert!(
                    matches!(cvss::base_score(vector), Err(CvssError::NoPrefix(_))),
                    "{vector}"
                );
                return;
            }
            let score = cvss::base_score(vector)
                .unwrap_or_else(|e| panic!("{}: {vector}: {e}", path.display()));
            match version {
                "3.0" => v30 += 1,
                "3.1" => v31 += 1,
                "4.0" => v40 += 1,
                other => panic!("version {other}"),
            }
            assert_eq!(score.version.as_str(), version, "{vector}");
            let published_severity = severity(data["baseSeverity"].as_str().expect("severity"));
            if score.base_score != published || score.severity != published_severity {
                mismatches.push(format!(
                    "{}: {vector}: computed {} {}, published {published} {published_severity}",
                    path.display(),
                    score.base_score,
                    score.severity
                ));
            }
        });
    }
    assert_eq!(mismatches, Vec::<String>::new());
    assert_eq!((v30, v31, v40, v2), (4, 85, 1, 16));
    eprintln!(
        "NVD: {} CVSS v3/v4 metrics score as published",
        v30 + v31 + v40
    );
}

#[test]
fn ghsa_graphql_scores_match() {
    let Some(files) = fixtures_in("osv/osv-schema/ghsa-to-osv", ".json") else {
        return;
    };
    let mut checked = 0;
    for path in files
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".osv.json"))
    {
        let doc = json(path);
        let Some(vector) = doc["cvss"]["vectorString"].as_str() else {
            // GHSA writes `{"score": 0, "vectorString": null}` when there is no CVSS.
            assert_eq!(doc["cvss"]["score"], 0, "{}", path.display());
            continue;
        };
        let score = cvss::base_score(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
        assert_eq!(
            Some(score.base_score),
            doc["cvss"]["score"].as_f64(),
            "{vector}"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn trivy_golden_scores_match() {
    let Some(files) = fixtures_in("matching-oracles/trivy/goldens", ".json") else {
        return;
    };
    let mut checked = 0;
    for path in &files {
        objects_with(&json(path), "V3Vector", &mut |cvss| {
            let vector = cvss["V3Vector"].as_str().expect("V3Vector");
            let score = cvss::base_score(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
            assert_eq!(Some(score.base_score), cvss["V3Score"].as_f64(), "{vector}");
            checked += 1;
        });
    }
    assert_eq!(checked, 78);
}

/// Every CVSS vector in the OSV fixtures scores; for GHSA records with only a v3 vector, GitHub's
/// severity label agrees with the computed severity except where GitHub set it by hand.
#[test]
fn osv_vectors_all_score() {
    let mut files = Vec::new();
    for (dir, suffix) in [
        ("osv/ghsa", ".jsonl"),
        ("osv/rustsec", "-osv.jsonl"),
        ("osv/pypa", ".jsonl"),
        ("osv/osv-schema/linter-testdata", ".json"),
    ] {
        let Some(found) = fixtures_in(dir, suffix) else {
            return;
        };
        files.extend(found);
    }
    let (mut v3, mut v4) = (0, 0);
    let (mut agree, mut disagree) = (0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let records: Vec<Value> = if path.to_string_lossy().ends_with(".jsonl") {
            text.lines()
                .map(|l| serde_json::from_str(l).expect("record"))
                .collect()
        } else {
            vec![serde_json::from_str(&text).expect("record")]
        };
        for record in &records {
            let Some(severities) = record["severity"].as_array() else {
                continue;
            };
            let mut v3_severity = None;
            let mut has_v4 = false;
            for s in severities {
                let vector = s["score"].as_str().expect("score");
                let score = cvss::base_score(vector)
                    .unwrap_or_else(|e| panic!("{}: {}: {e}", record["id"], vector));
                match s["type"].as_str() {
                    Some("CVSS_V3") => {
                        assert!(matches!(
                            score.version,
                            CvssVersion::V3_0 | CvssVersion::V3_1
                        ));
                        v3 += 1;
                        v3_severity = Some(score.severity);
                    }
                    Some("CVSS_V4") => {
                        assert_eq!(score.version, CvssVersion::V4_0);
                        v4 += 1;
                        has_v4 = true;
                    }
                    other => panic!("{other:?}"),
                }
            }
            let label = record["database_specific"]["severity"].as_str();
            if let (Some(label), Some(computed), false) = (label, v3_severity, has_v4) {
                if severity(label) == computed {
                    agree += 1;
                } else {
                    disagree.push(record["id"].as_str().expect("id").to_owned());
                }
            }
        }
    }
    assert_eq!((v3, v4), (903, 65));
    assert_eq!(agree, 327);
    // GitHub rates this one MODERATE; its vector (AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H) is 7.8.
    assert_eq!(disagree, ["GHSA-99qr-9cc9-fv2x"]);
    eprintln!("OSV: {v3} CVSS v3 and {v4} CVSS v4 vectors scored");
}

#[test]
fn rustsec_v4_vectors() {
    // Some RUSTSEC v4 vectors carry threat metrics (`E:U`); the base score is that of the eleven
    // base metrics alone, and the normalised vector keeps the rest after them.
    let Some(path) = fixture("osv/rustsec/rustsec-osv.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("read");
    let mut seen = 0;
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("record");
        for s in record["severity"].as_array().into_iter().flatten() {
            let vector = s["score"].as_str().expect("score");
            if !vector.starts_with("CVSS:4.0/") {
                continue;
            }
            let score = cvss::base_score(vector).expect("scores");
            let base_only: String = vector.split('/').take(12).collect::<Vec<_>>().join("/");
            assert_eq!(
                cvss::base_score(&base_only).map(|s| s.base_score),
                Ok(score.base_score)
            );
            assert!(
                score.vector.starts_with(&base_only),
                "canonical form of {vector}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 57);
}

fn component() -> impl Strategy<Value = String> {
    let names = proptest::sample::select(vec![
        "AV", "AC", "AT", "PR", "UI", "S", "C", "I", "A", "VC", "VI", "VA", "SC", "SI", "SA", "E",
        "RL", "RC", "CR", "MAV", "MSI", "MS", "U", "AU", "av", "",
    ]);
    let values = proptest::sample::select(vec![
        "N", "L", "H", "A", "P", "R", "U", "C", "X", "S", "Red", "Clear", "n", "", "H:H",
    ]);
    prop_oneof![
        8 => (names, values).prop_map(|(n, v)| format!("{n}:{v}")),
        1 => "[^/]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,80}") {
        let _ = cvss::base_score(&s);
    }

    #[test]
    fn vector_like_strings_never_panic(
        prefix in proptest::sample::select(vec!["CVSS:3.0", "CVSS:3.1", "CVSS:4.0", "CVSS:2.0", "CVSS", ""]),
        parts in proptest::collection::vec(component(), 0..14),
    ) {
        let vector = format!("{prefix}/{}", parts.join("/"));
        if let Ok(score) = cvss::base_score(&vector) {
            prop_assert!((0.0..=10.0).contains(&score.base_score));
            prop_assert_eq!(score.severity, Severity::of(score.base_score));
            // The normalised vector is a fixed point.
            let again = cvss::base_score(&score.vector).expect("normalised vector scores");
            prop_assert_eq!(&again, &score);
        }
    }
}
