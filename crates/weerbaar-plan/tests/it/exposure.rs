//! Portfolio exposure and "new since".

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::exposure::{exposure, new_since};
use weerbaar_plan::{
    EffectiveState, Exception, ExceptionKind, Finding, Kev, PolicySet, Scope, SlaState,
};

use crate::common::{asset, d, finding};

fn portfolio() -> Vec<Finding> {
    let mut out = Vec::new();
    for (tenant, host, version, seen) in [
        ("gemeente-b", "fw-2", "10.2.7", "2024-04-13"),
        ("gemeente-a", "fw-1", "10.2.9", "2024-04-12"),
        ("ocmw-c", "fw-3", "11.0.0", "2024-04-20"),
    ] {
        let mut f = finding(
            tenant,
            asset(host, Criticality::High, Exposure::InternetFacing),
            "GHSA-panos-3400",
            seen,
        );
        f.aliases = vec!["CVE-2024-3400".into()];
        f.package.ecosystem = "generic".into();
        f.package.name = "pan-os".into();
        f.package.version = version.into();
        f.fixed_versions = vec!["10.2.9-h1".into(), "11.0.4-h1".into()];
        f.kev = Some(Kev {
            date_added: d("2024-04-12"),
            due_date: d("2024-04-19"),
            ransomware: true,
        });
        out.push(f);
    }
    let mut resolved = finding(
        "gemeente-d",
        asset("fw-4", Criticality::High, Exposure::InternetFacing),
        "CVE-2024-3400",
        "2024-04-12",
    );
    resolved.resolved_at = Some(d("2024-04-14"));
    out.push(resolved);
    out.push(finding(
        "gemeente-a",
        asset("srv", Criticality::Normal, Exposure::Internal),
        "CVE-2023-0001",
        "2024-04-21",
    ));
    out
}

#[test]
fn exposure_lists_unresolved_findings_across_tenants_through_aliases() {
    let findings = portfolio();
    let policies = PolicySet::parse(
        "p.toml",
        "[tenant.ocmw-c]\nkev_days = 3\nkev_catalog_due_date = false\n",
    )
    .expect("valid policy");
    let exceptions = [Exception {
        scope: Scope {
            advisory: "CVE-2024-3400".into(),
            package: None,
            asset: None,
        },
        kind: ExceptionKind::AcceptedRisk {
            expires: d("2024-05-01"),
        },
        author: "x".into(),
        reason: "y".into(),
        date: d("2024-04-14"),
    }];
    let by_tenant = |t: &str| -> &[Exception] { if t == "gemeente-b" { &exceptions } else { &[] } };
    let rows = exposure(
        &findings,
        "cve-2024-3400",
        &policies,
        by_tenant,
        d("2024-04-21"),
    );
    let got: Vec<(&str, &str, Option<&str>, String, SlaState)> = rows
        .iter()
        .map(|r| {
            (
                r.tenant.as_str(),
                r.installed.as_str(),
                r.fix.as_deref(),
                r.due.date.to_string(),
                r.sla,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "gemeente-a",
                "10.2.9",
                Some("10.2.9-h1"),
                "2024-04-19".into(),
                SlaState::Overdue
            ),
            (
                "gemeente-b",
                "10.2.7",
                Some("10.2.9-h1"),
                "2024-04-19".into(),
                SlaState::Overdue
            ),
            (
                "ocmw-c",
                "11.0.0",
                Some("11.0.4-h1"),
                "2024-04-23".into(),
                SlaState::DueSoon
            ),
        ]
    );
    assert!(matches!(rows[1].state, EffectiveState::Excepted(_)));
    assert_eq!(rows[0].advisory_id, "GHSA-panos-3400");
    assert!(
        exposure(
            &findings,
            "CVE-2099-0001",
            &policies,
            by_tenant,
            d("2024-04-21")
        )
        .is_empty()
    );
}

#[test]
fn new_since_lists_the_newest_first() {
    let findings = portfolio();
    let got: Vec<(&str, String)> = new_since(&findings, d("2024-04-13"))
        .iter()
        .map(|f| (f.tenant.as_str(), f.first_seen.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("gemeente-a", "2024-04-21".to_owned()),
            ("ocmw-c", "2024-04-20".to_owned()),
            ("gemeente-b", "2024-04-13".to_owned())
        ]
    );
}

#[test]
fn findings_round_trip_through_json() {
    for f in portfolio() {
        let json = serde_json::to_string(&f).expect("serialises");
        let back: Finding = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, f);
    }
    // What the scan layer writes: optional facts may be left out.
    let minimal = r#"{"tenant":"t","asset":{"name":"a","criticality":"critical","exposure":"internet-facing"},
        "advisory_id":"CVE-1","package":{"ecosystem":"npm","name":"x","version":"1.0.0"},
        "first_seen":"2025-01-01","last_seen":"2025-01-02"}"#;
    let f: Finding = serde_json::from_str(minimal).expect("parses");
    assert_eq!(f.asset.criticality, Criticality::Critical);
    assert_eq!(f.resolved_at, None);
}
