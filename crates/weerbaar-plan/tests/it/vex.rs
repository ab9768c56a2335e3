//! CycloneDX VEX import and export.

use weerbaar_plan::vex::{ImportOptions, export, import};
use weerbaar_plan::{Exception, ExceptionKind, Justification, Scope};

use crate::common::d;

fn opts() -> ImportOptions {
    ImportOptions {
        author: "importer".into(),
        date: d("2026-11-28"),
        asset: Some("keycloak-01".into()),
    }
}

#[test]
fn imports_cyclonedx_examples() {
    let Some(path) = weerbaar_fixtures::fixture("sbom/cyclonedx-bom-examples/VEX_vex.json") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("test input is valid");
    let got = import("VEX_vex.json", &bytes, &opts()).expect("test input is valid");
    assert_eq!(got.exceptions.len(), 1);
    let e = &got.exceptions[0];
    assert_eq!(e.scope.advisory, "CVE-2020-25649");
    // A BOM-Link ref: the purl after `#`.
    assert_eq!(
        e.scope.package.as_deref(),
        Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar")
    );
    assert_eq!(e.scope.asset.as_deref(), Some("keycloak-01"));
    assert_eq!(
        e.kind,
        ExceptionKind::NotAffected {
            justification: Justification::CodeNotReachable
        }
    );
    assert_eq!(e.author, "importer");
    assert_eq!(e.date, d("2026-11-28"));
    assert!(e.reason.starts_with("Automated dataflow analysis"));

    let Some(path) = weerbaar_fixtures::fixture(
        "sbom/cyclonedx-bom-examples/VEX_CISA-Use-Cases_Case-2_vex.json",
    ) else {
        return;
    };
    let bytes = std::fs::read(&path).expect("test input is valid");
    let got = import("case2.json", &bytes, &opts()).expect("test input is valid");
    // Every record is about the product itself (metadata.component): no package scope.
    assert_eq!(got.exceptions.len(), 19);
    assert!(got.exceptions.iter().all(|e| e.scope.package.is_none()));
    assert_eq!(got.exceptions[3].scope.advisory, "CVE-2020-11899");
}

#[test]
fn a_bom_without_vulnerabilities_imports_nothing() {
    let Some(path) = weerbaar_fixtures::fixture("sbom/cyclonedx-bom-examples/VEX_bom.json") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("test input is valid");
    let got = import("VEX_bom.json", &bytes, &opts()).expect("test input is valid");
    assert!(got.exceptions.is_empty());
}

fn doc(vulns: &str) -> String {
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
        "components":[{{"type":"library","name":"log4j-core","bom-ref":"log4j","purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}}],
        "vulnerabilities":[{vulns}]}}"#
    )
}

const GOOD: &str = r#"{"id":"CVE-2021-44228","analysis":{"state":"not_affected","justification":"requires_configuration","detail":"JNDI lookups disabled"},"affects":[{"ref":"log4j"}]}"#;

#[test]
fn errors_name_the_file_and_the_record_and_import_nothing() {
    let cases = [
        (
            format!(
                r#"{GOOD},{GOOD},{GOOD},{{"id":"CVE-1","analysis":{{"state":"not_affected"}}}}"#
            ),
            "$.vulnerabilities[3].analysis.justification",
            "needs a justification",
        ),
        (
            format!(r#"{GOOD},{{"id":"CVE-1","analysis":{{"state":"fixed"}}}}"#),
            "$.vulnerabilities[1].analysis.state",
            "unknown state",
        ),
        (
            format!(
                r#"{GOOD},{{"id":"CVE-1","analysis":{{"state":"not_affected","justification":"trust_me"}}}}"#
            ),
            "$.vulnerabilities[1].analysis.justification",
            "unknown justification",
        ),
        (
            r#"{"id":"CVE-1","analysis":{"state":"false_positive"},"affects":[{"ref":"nowhere"}]}"#
                .to_owned(),
            "$.vulnerabilities[0].affects[0].ref",
            "neither a bom-ref",
        ),
        (
            r#"{"analysis":{"state":"false_positive"}}"#.to_owned(),
            "$.vulnerabilities[0].id",
            "missing",
        ),
        (
            r#"{"id":"CVE-1","analysis":{"state":"exploitable"},"properties":[{"name":"weerbaar:exception","value":"accepted_risk"}]}"#
                .to_owned(),
            "$.vulnerabilities[0].properties",
            "weerbaar:expires",
        ),
    ];
    for (vulns, path, needle) in cases {
        let e = import("tenant-a.vex.json", doc(&vulns).as_bytes(), &opts())
            .expect_err("must be refused");
        assert_eq!(e.file, "tenant-a.vex.json");
        assert_eq!(e.path, path, "{e}");
        assert!(e.message.contains(needle), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("tenant-a.vex.json: {path}: "))
        );
    }
    let e = import("x.json", b"{\"bomFormat\":\"SPDX\"}", &opts()).expect_err("must be refused");
    assert_eq!(e.path, "$.bomFormat");
    let e = import(
        "x.json",
        b"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.2\",\"vulnerabilities\":[]}",
        &opts(),
    )
    .expect_err("must be refused");
    assert_eq!(e.path, "$.specVersion");
    let e = import("x.json", b"{not json", &opts()).expect_err("must be refused");
    assert!(e.message.contains("line 1"), "{e}");
}

#[test]
fn states_that_are_not_decisions_are_skipped() {
    let vulns =
        format!(r#"{GOOD},{{"id":"CVE-2","analysis":{{"state":"in_triage"}}}},{{"id":"CVE-3"}}"#);
    let got = import("v.json", doc(&vulns).as_bytes(), &opts()).expect("test input is valid");
    assert_eq!(got.exceptions.len(), 1);
    assert_eq!(
        got.exceptions[0].scope.package.as_deref(),
        Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    );
    let skipped: Vec<(&str, Option<&str>)> = got
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.state.as_deref()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("$.vulnerabilities[1]", Some("in_triage")),
            ("$.vulnerabilities[2]", None)
        ]
    );
}

#[test]
fn export_then_import_gives_the_same_exceptions() {
    let exceptions = vec![
        Exception {
            scope: Scope {
                advisory: "CVE-2021-44228".into(),
                package: Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".into()),
                asset: Some("app-01".into()),
            },
            kind: ExceptionKind::NotAffected {
                justification: Justification::ProtectedAtPerimeter,
            },
            author: "an@gemeente.example".into(),
            reason: "WAF blocks ${jndi: lookups \"always\"".into(),
            date: d("2026-01-05"),
        },
        Exception {
            scope: Scope {
                advisory: "CVE-2024-3400".into(),
                package: None,
                asset: Some("fw".into()),
            },
            kind: ExceptionKind::AcceptedRisk {
                expires: d("2026-03-01"),
            },
            author: "piet".into(),
            reason: "vendor hotfix pending".into(),
            date: d("2026-02-01"),
        },
        Exception {
            scope: Scope {
                advisory: "GHSA-abcd-efgh-ijkl".into(),
                package: Some("lodash".into()),
                asset: None,
            },
            kind: ExceptionKind::FalsePositive,
            author: "jan".into(),
            reason: "bundled copy is not lodash".into(),
            date: d("2026-02-02"),
        },
    ];
    let json = export(&exceptions, d("2026-11-28"));
    assert_eq!(json["specVersion"], "1.6");
    let bytes = serde_json::to_vec_pretty(&json).expect("test input is valid");
    let options = ImportOptions {
        author: "other".into(),
        date: d("2000-01-01"),
        asset: None,
    };
    let back = import("roundtrip.json", &bytes, &options).expect("test input is valid");
    assert_eq!(back.exceptions, exceptions);
    assert!(back.skipped.is_empty());
}
