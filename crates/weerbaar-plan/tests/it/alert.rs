//! Notifications: new KEV and new Act findings.

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::alert::{AlertKind, alerts};
use weerbaar_plan::{Exception, ExceptionKind, Finding, Kev, PolicySet, Scope};

use crate::common::{asset, cvss, d, finding};

fn fw(tenant: &str, kev: bool) -> Finding {
    let mut f = finding(
        tenant,
        asset("fw", Criticality::High, Exposure::InternetFacing),
        "CVE-2024-3400",
        "2024-04-10",
    );
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"));
    if kev {
        f.kev = Some(Kev {
            date_added: d("2024-04-12"),
            due_date: d("2024-04-19"),
            ransomware: true,
        });
    }
    f
}

#[test]
fn a_kev_listing_raises_new_kev_and_new_act_once() {
    let policies = PolicySet::default();
    let none = |_: &str| -> &[Exception] { &[] };
    let before = [fw("a", false), fw("b", false)];
    // Without KEV: PoC? no EPSS: none; automatable, total, high: Attend.
    let after = [fw("a", true), fw("b", false)];
    let got: Vec<(String, AlertKind)> = alerts(&before, &after, &policies, none, d("2024-04-12"))
        .into_iter()
        .map(|a| (a.finding.tenant, a.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("a".to_owned(), AlertKind::NewKev),
            ("a".to_owned(), AlertKind::NewAct)
        ]
    );
    // The next rematch changes nothing: no alert.
    assert!(alerts(&after, &after, &policies, none, d("2024-04-13")).is_empty());
    // A new tenant with the same finding: alerts for it alone.
    let later = [fw("a", true), fw("b", false), fw("c", true)];
    let got: Vec<String> = alerts(&after, &later, &policies, none, d("2024-04-13"))
        .into_iter()
        .map(|a| a.finding.tenant)
        .collect();
    assert_eq!(got, ["c", "c"]);
}

#[test]
fn excepted_findings_raise_nothing() {
    let exceptions = [Exception {
        scope: Scope {
            advisory: "CVE-2024-3400".into(),
            package: None,
            asset: None,
        },
        kind: ExceptionKind::NotAffected {
            justification: weerbaar_plan::Justification::ProtectedAtPerimeter,
        },
        author: "x".into(),
        reason: "GlobalProtect not enabled".into(),
        date: d("2024-04-11"),
    }];
    let by = |t: &str| -> &[Exception] { if t == "a" { &exceptions } else { &[] } };
    let got = alerts(
        &[],
        &[fw("a", true)],
        &PolicySet::default(),
        by,
        d("2024-04-12"),
    );
    assert!(got.is_empty());
}
